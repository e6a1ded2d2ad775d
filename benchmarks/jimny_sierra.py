"""One body, one 4-speed automatic, two engines: the Suzuki Jimny JB64 (0.66 L turbo,
kei) and Jimny Sierra JB74 (1.5 L NA) against their 5MT twins, by WLTC phase (issue 13,
task s45c; ``python benchmarks/validation_probes.py jimny_sierra``, ~1 min).

``keidesign/data/vehicles/jimny_sierra.csv`` (README there) holds the four
configurations with their published WLTC and WLTC-L / M / H figures (Motor Fan's 2018
launch figures, status R) and published gearing (the same 4AT ratios and transfer in
both; final drive 5.375 and 4.300). The published 4AT / 5MT step is -18.5 % on the kei
engine and -9.3 % on the 1.5 L one: the same gearbox costs the small engine twice the
share. A loss that does not scale with the engine (a spin torque) gives that shape; how
the loss grows with engine speed decides how much more the kei engine, turning more
revolutions per km, pays.

Each row is run as the spec file a user writes from it (the rows' gearing, published
curb mass; the new-user path ``import spec``, ``evaluate``) and its WLTC run split by
phase (:func:`kei_4at_phases.phase_runs`); printed per body: the published and model
step per phase and over the cycle, and the kei / Sierra ratio of the cycle steps, with
the shipped constants and, with ``trial`` (``[ice]`` constants, e.g. a fitted
``at_spin_law = "viscous"`` arm of ``at_lockup._trials``), with the trial's. Nothing is
fitted here.
"""

from __future__ import annotations

import csv
from pathlib import Path
from unittest import mock

import kei_4at_phases as kp  # benchmarks/kei_4at_phases.py
import kei_automatic as ka  # benchmarks/kei_automatic.py

__all__ = ["main", "rows", "spec_text", "steps"]

DATA = (Path(__file__).resolve().parents[1] / "keidesign" / "data" / "vehicles"
        / "jimny_sierra.csv")
PHASES = ("low", "medium", "high")


def rows(path: Path = DATA) -> list[dict[str, str]]:
    """The rows of ``jimny_sierra.csv`` (strings)."""
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def spec_text(r: dict[str, str], goods: bool = True, lockup: bool = True) -> str:
    """A ``keidesign import spec`` file of row ``r`` (the signature of
    :func:`kei_automatic.spec_text`, whose place it takes in :func:`kei_4at_phases.
    phase_runs`; ``goods`` unused: both bodies are passenger cars; ``lockup`` unused:
    MLIT lists the Jimny's 4AT with a lock-up converter, the design default)."""
    del goods, lockup
    lines = ["[vehicle]", f'name = "{r["config"]}"', "model_year = 2018", 'market = "jdm"',
             "seats = 4", 'drive = "4wd"', 'layout = "front"', 'frame = "ladder"', "",
             "[dimensions]"]
    lines += [f"{k} = {r[k + '_mm']}" for k in ("length", "width", "height", "wheelbase")]
    lines += [f'tyre = "{r["tyre"]}"', "", "[mass]", f'curb = "{r["curb_mass_kg"]} kg"', "",
              "[engine]", f"displacement = {r['displacement_cc']}",
              f"power = {r['power_kW']}", f"torque = {r['torque_Nm']}",
              f"cylinders = {r['cylinders']}",
              f"turbo = {'true' if r['turbo'] == 'yes' else 'false'}", "idle_stop = false",
              "", "[transmission]", f'type = "{r["transmission"]}"', f"gears = {r['gears']}"]
    lines += [f"{k} = {r[k]}" for k in ("ratio_low", "ratio_high", "final_drive",
                                        "transfer_ratio")]
    return "\n".join(lines) + "\n"


def steps(rs: list[dict[str, str]], runs: dict[str, dict]) -> dict[str, dict]:
    """Per automatic with a twin: the published and model step (automatic / manual - 1 of
    km/L) per phase and over the cycle, printed; ``{config: {phase: (pub, model)}}``."""
    by = {r["config"]: r for r in rs}
    out = {}
    for r in rs:
        tw = by.get(r["twin"])
        if tw is None or r["config"] not in runs or tw["config"] not in runs:
            continue
        a, t = runs[r["config"]], runs[tw["config"]]
        res = {}
        for p in PHASES:
            pub = float(r[f"wltc_{p}"]) / float(tw[f"wltc_{p}"]) - 1.0
            fa = a["phases"][p]["fuel"] / a["phases"][p]["km"]
            ft = t["phases"][p]["fuel"] / t["phases"][p]["km"]
            res[p] = (pub, ft / fa - 1.0)
        pub = float(r["wltc_km_per_L"]) / float(tw["wltc_km_per_L"]) - 1.0
        f_a = sum(a["phases"][p]["fuel"] for p in PHASES)
        f_t = sum(t["phases"][p]["fuel"] for p in PHASES)
        res["cycle"] = (pub, f_t / f_a - 1.0)
        rpm = " / ".join(f"{a['phases'][p]['rpm']:.0f}" for p in PHASES)
        print(f"  {r['config']} / {tw['config']}: 4AT engine rpm L / M / H {rpm}; step "
              "published / model: " + ", ".join(
                  f"{k} {100 * v[0]:+.1f} / {100 * v[1]:+.1f} %" for k, v in res.items()))
        # the fuel the published step asks for beyond the model's, as an input drag
        # torque at the model's engine speeds and marginal efficiency (kei_4at_phases (b))
        d_f = f_t / (1.0 + pub) - f_a
        w_int = sum(a["phases"][p]["w_int"] for p in PHASES)
        res["t_eq"] = d_f * a["e"] / w_int
        print(f"    the published step asks for {d_f / 3.6e6:.3f} kWh more fuel over the cycle:"
              f" an input drag of {res['t_eq']:.2f} N m beyond the model's")
        out[r["config"]] = res
    kei = [v["cycle"] for k, v in out.items() if "JB64" in k]
    big = [v["cycle"] for k, v in out.items() if "JB74" in k]
    if kei and big:
        print(f"  kei / 1.5 L cycle step ratio: published {kei[0][0] / big[0][0]:.2f}, "
              f"model {kei[0][1] / big[0][1]:.2f}")
    return out


#: A converter speed ratio at or below this is at the model's slip cap (the coupling
#: point, ``powertrains.TC_COUPLING_RATIO`` 0.85, where the smooth cap bends): below it a
#: real converter multiplies torque at an efficiency below its speed ratio, which the
#: model does not describe (``converter_speed_ratio``'s validity).
CAP_NU = 0.855


def _summary_with_cap(s: dict) -> dict:
    """:func:`kei_4at_phases._summary` and, per phase, the share of the driving time
    (traction, moving) with the converter at the slip cap (``"capped"``)."""
    import numpy as np

    out = _SUMMARY(s)
    seg = s["seg"]
    bounds = list(seg.starts) + [seg.dt.size]
    nu = np.where(s["w_g"] > 1.0, np.minimum(s["w_g"] / s["w"], 1.0), 1.0)
    out["capped"] = {}
    for k, name in enumerate(seg.names):
        sl = slice(bounds[k], bounds[k + 1])
        drive = (s["pw"][sl] > 0.0) & (seg.vb[sl] > 0.0)
        dt = seg.dt[sl][drive]
        out["capped"][kp._phase(name)] = float(np.sum(dt[nu[sl][drive] <= CAP_NU])
                                               / np.sum(dt))
    return out


_SUMMARY = kp._summary


def run(trial: dict | None = None) -> dict[str, dict]:
    """The four rows' phase runs and steps, with the ``[ice]`` constants ``trial`` held
    (None: the shipped ones) and the trial kernel active (:mod:`kei_automatic_trials`)."""
    import kei_automatic_trials as kat

    from keidesign.energy import constants as kc

    rs = rows()
    with kat.active(), kc.held(ice=trial), mock.patch.object(ka, "spec_text", spec_text), \
            mock.patch.object(kp, "_summary", _summary_with_cap):
        runs = kp.phase_runs(rs)
        km_l = ka.run_rows(rs)
    for r in rs:
        pub = float(r["wltc_km_per_L"])
        print(f"  {r['config']}: WLTC published {pub:.1f}, model {km_l[r['config']]:.2f} "
              f"km/L ({100 * (km_l[r['config']] / pub - 1.0):+.1f} %)")
    for r in rs:
        if r["transmission"] == "automatic":
            cap = runs[r["config"]]["capped"]
            print(f"  {r['config']}: driving time with the converter at the model's slip cap "
                  f"(speed ratio <= {CAP_NU:.3f}, the coupling point's 0.85 + 0.005): "
                  + ", ".join(f"{p} {100 * cap[p]:.1f} %" for p in PHASES))
    out = steps(rs, runs)
    out["km_per_l"] = km_l
    return out


def main() -> dict:
    print("Jimny JB64 / Jimny Sierra JB74, 4AT against 5MT by WLTC phase, shipped constants:")
    return run()


if __name__ == "__main__":
    main()
