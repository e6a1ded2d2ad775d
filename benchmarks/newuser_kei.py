"""The kei misses of the second new-user pass (issue 13, 4 Dec 2026):
``python benchmarks/validation_probes.py newuser_kei`` (~30 s).

Prints, for the Jimny JB64 5MT (WLTC), the Move Canbus 2022 G turbo (WLTC) and the 2016
Move Canbus NA (JC08) of ``tests/data/newuser/``:

* before -> after: each spec file imported with ``--predict`` and evaluated as shipped
  and with the inputs of 4 Dec 2026 taken out (:data:`ADDED`: the Jimny's tyre and
  published gearing with its transfer's high range, the Canbus's idle stop, its stop
  speed ``engine.idle_stop_speed`` and the 2022 turbo's compression ratio);
* each car by part (:data:`PARTS`: the added inputs one after the other), the Jimny's
  what-if drag coefficients (unsourced: no published Cd was found) and its test in 2WD,
  the 2016 Canbus at the manual's 7 km/h;
* where the model stops the engine: the seconds of each Japanese trace standing, and
  braking below 7, 9 and 13 km/h (:func:`keidesign.energy.powertrains.
  stop_before_standstill`), against the model's low-speed region below ``v_cut``
  (``fuel_cut_mph``) where a deceleration burns the idle fuel;
* the stop speed on the kei data (what-if, not adopted: no source read names it for
  these generations): every kei.csv row the WLTC / JC08 check runs with idle stop, at 0,
  7 and 9 km/h, and the check's ICE MAE and bias.

Nothing is fitted; nothing is written.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from pathlib import Path
from unittest import mock

import newuser  # benchmarks/newuser.py
import numpy as np

from keidesign.energy import calibration as cal
from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy.cycles import segments
from keidesign.energy.vehicle import JC08_SEGMENTS, wltc_segments

__all__ = ["main"]

#: spec stem -> (published quantity, the keys added on 4 Dec 2026)
ADDED = {
    "suzuki_jimny_jb64_5mt": ("wltc_km_per_l", ("tyre", "ratio_low", "ratio_high",
                                                "final_drive", "transfer_ratio")),
    "daihatsu_move_canbus_2022_turbo": ("wltc_km_per_l", ("idle_stop", "idle_stop_speed",
                                                          "compression_ratio")),
    "daihatsu_move_canbus_2016": ("jc08_km_per_l", ("tyre", "idle_stop_speed")),
}
#: What-if drag coefficients of the Jimny (no published value found).
JIMNY_CD_WHAT_IF = (0.45, 0.50)
STOP_SPEEDS_KMH = (7.0, 9.0, 13.0)


def _without(text: str, keys: tuple[str, ...]) -> str:
    return "".join(line for line in text.splitlines(keepends=True)
                   if not re.match(rf"\s*({'|'.join(keys)})\s*=", line))


def _predicted(stem: str, text: str, quantity: str, tmp: Path, extra: str = "") -> float:
    path = tmp / f"{stem}.toml"
    path.write_text(text, encoding="utf-8")
    run = newuser.run_spec(path, tmp)
    if not run.outputs:
        raise RuntimeError(f"{stem}: {run.message}")
    if extra:
        return float(extra)
    key = newuser.QUANTITIES[quantity][0]
    return float(run.outputs[key]["value"])


def _published(stem: str, quantity: str) -> float:
    r = next(r for r in newuser.published() if r["spec"] == stem and r["quantity"] == quantity)
    return float(r["low"])


def _pct(v: float, ref: float) -> str:
    return f"{100.0 * (v / ref - 1.0):+.1f} %"


def before_after(tmp: Path) -> None:
    print("before -> after (import spec --predict, evaluate):")
    for stem, (q, keys) in ADDED.items():
        text = (newuser.SPECS / f"{stem}.toml").read_text(encoding="utf-8")
        pub = _published(stem, q)
        b = _predicted(stem, _without(text, keys), q, tmp)
        a = _predicted(stem, text, q, tmp)
        print(f"  {stem} {q}: published {pub:g}; {b:.2f} ({_pct(b, pub)}) -> {a:.2f} "
              f"({_pct(a, pub)}); added: {', '.join(keys)}")


#: spec stem -> steps (label, the :data:`ADDED` keys still left out) from before to after
PARTS = {
    "suzuki_jimny_jb64_5mt": (
        ("before", ADDED["suzuki_jimny_jb64_5mt"][1]),
        ("+ tyre 175/80R16", ("ratio_low", "ratio_high", "final_drive", "transfer_ratio")),
        ("+ gearing (5.809-1.000, final 3.818 x transfer 1.320)", ())),
    "daihatsu_move_canbus_2022_turbo": (
        ("before", ADDED["daihatsu_move_canbus_2022_turbo"][1]),
        ("+ idle stop", ("idle_stop_speed", "compression_ratio")),
        ("+ its stop below 9 km/h", ("compression_ratio",)),
        ("+ compression ratio 9.0 (KF turbo 2019)", ())),
    "daihatsu_move_canbus_2016": (
        ("before", ("tyre", "idle_stop_speed")), ("+ tyre 155/65R14", ("idle_stop_speed",)),
        ("+ its stop below 9 km/h", ())),
}


def parts(tmp: Path) -> None:
    for stem, steps in PARTS.items():
        q = ADDED[stem][0]
        text = (newuser.SPECS / f"{stem}.toml").read_text(encoding="utf-8")
        pub = _published(stem, q)
        print(f"\n{stem} {q} by part:")
        for name, out in steps:
            v = _predicted(stem, _without(text, out) if out else text, q, tmp)
            print(f"  {name}: {v:.2f} ({_pct(v, pub)})")
        if stem == "daihatsu_move_canbus_2016":
            t = text.replace("idle_stop_speed = 9 ", "idle_stop_speed = 7 ")
            v = _predicted(stem, t, q, tmp)
            print(f"  what-if 7 km/h (the manual's NA figure): {v:.2f} ({_pct(v, pub)})")
        if stem != "suzuki_jimny_jb64_5mt":
            continue
        for cd in JIMNY_CD_WHAT_IF:
            t = text.replace("[engine]", f"[aero]\ncd = {cd}\n\n[engine]")
            v = _predicted(stem, t, q, tmp)
            print(f"  what-if Cd {cd} (unsourced): {v:.2f} ({_pct(v, pub)})")
        t = text.replace('drive = "4wd"', 'drive = "rwd"')
        v = _predicted(stem, t, q, tmp)
        print(f"  what-if the test in 2WD (drive rwd: no 4WD driveline loss): {v:.2f} "
              f"({_pct(v, pub)})")


def stop_seconds() -> None:
    c = kc.ice_constants()
    v_cut = c["fuel_cut_mph"] * pt.MPH
    print(f"\nwhere the engine stops (s of trace): standing; braking below the stop speed; "
          f"the low-speed region below v_cut = {v_cut * 3.6:.1f} km/h where a deceleration "
          "burns idle fuel")
    for name, names in (("WLTC 3b", wltc_segments("3b")), ("JC08", JC08_SEGMENTS)):
        tr = pt.Trace.of(segments(names))
        stand = float(np.sum(tr.dt * (tr.vb <= 0.0)))
        low = float(np.sum(tr.dt * ((tr.vb > 0.0) & (tr.vb < v_cut) & (tr.dv < 0.0))))
        parts = ", ".join(f"{v:g} km/h {np.sum(tr.dt * pt.stop_before_standstill(tr, v / 3.6)):.0f}"
                          for v in STOP_SPEEDS_KMH)
        print(f"  {name}: {np.sum(tr.dt):.0f} s; standing {stand:.0f}; braking below {parts}; "
              f"decelerating below v_cut {low:.0f}")


def kei_data() -> None:
    from keidesign.validation import report

    orig = cal.kei_spec
    print("\nstop speed on the kei data (what-if on every kei.csv ICE row run with idle "
          "stop; the ISG hybrids and the trucks unchanged):")
    for v in (0.0, 7.0, 9.0):
        def spec(*a, _v=v, **k):
            s = orig(*a, **k)
            return dataclasses.replace(s, idle_stop_speed=_v) if s.idle_stop else s

        with mock.patch.object(cal, "kei_spec", spec):
            w = cal.kei_wltc_check()
            j = cal.kei_jc08_check(report.DESIGN_DIR)
        st = cal.kei_wltc_stats(w)["all"]
        ji = [r for r in j if r["unit"] == "km/L"]
        idle = [r for r in w if r["unit"] == "km/L" and "idle stop" in r["assumptions"]
                and "ISG" not in r["assumptions"]]  # an ISG hybrid's engine rule is its own
        rows = "; ".join(f"{r['model']} {100 * r['error']:+.1f} %" for r in idle)
        jrows = "; ".join(f"{r['model']} {100 * r['error']:+.1f} %" for r in ji
                          if r["set"] != "trucks")
        print(f"  {v:g} km/h: WLTC ICE {st['n']} MAE {100 * st['mae']:.2f} % bias "
              f"{100 * st['bias']:+.2f} % ({rows}); JC08 ICE {len(ji)} MAE "
              f"{100 * np.mean([abs(r['error']) for r in ji]):.2f} % bias "
              f"{100 * np.mean([r['error'] for r in ji]):+.2f} % ({jrows})")


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        before_after(tmp)
        parts(tmp)
    stop_seconds()
    kei_data()
