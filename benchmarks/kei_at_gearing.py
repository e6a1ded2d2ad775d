"""Published gear ratios of small 3-4 speed automatics against the model's default
spacing and spread (issue 13, 5 Dec 2026): ``python benchmarks/validation_probes.py
kei_at_gearing`` (~6 min; the EPA side of the rules, ``kei_at_gearing_fit``,
~3 min). Shipped: the 4AT default spread (``TRANSMISSION_DEFAULTS["at4"]["ratio_low"]``
2.8 -> 3.02); tried, not kept: the published step (positions of 2nd and 3rd).

**The rule, written before the runs.** A published rule replaces the model's default
for a 3-4 speed automatic only if (0) it is the median of at least 5 published
transmissions, and on the kei WLTC figures (1) the MAE of MLIT's kei automatics
(``mlit_kei``'s sampled 4AT rows, specs alone) improves and (2) the kei WLTC check
(``keidesign.energy.calibration.kei_wltc_check``, 13 ICE rows) gets no worse than 0.2
point. Reported beside them: MLIT's unseen families (73 configurations) and the kei
automatics of ``kei_automatics.csv`` (8 automatics, step against their twins). A rule
that touches the EPA rows' gearing (the spread of an automatic without published
ratios: ``calibration.epa_ice_params`` takes every EPA automatic's first gear from the
default spread) would also need the ICE constants refitted and the EPA stepped
automatics held out by family before it ships (not run here).

**Data** (``keidesign/data/vehicles/at_gearing.csv``, README there): the published
ratio sets found (5 Dec 2026) of seven small-car automatics, two of them kei: the Suzuki
kei 4AT of the Jimny JB23 / JB64 (2.875 / 1.568 / 1.000 / 0.696, Motor Fan 2018, V),
the supercharged Subaru Sambar's 3AT (2.659 / 1.530 / 1.000, an owner's page, R), and
five non-kei 4ATs for the shape (Suzuki Grand Vitara and Aerio, Honda Civic EP3, Mazda
FN4A-EL: full sets from service documents, R; Nissan X-Trail T30: first and top only,
R). Four-speed: 6 spreads, 5 full sets (1 kei); three-speed: 1 set (kei).

**Shape of a set.** For an ``n``-speed gearbox with gear ratios ``r_1 > ... > r_n`` the
spread is ``s = r_1 / r_n`` and each gear's position on the log scale
``phi_i = ln(r_i / r_n) / ln(s)`` (1 for first, 0 for top). The model
(:func:`keidesign.energy.powertrains.gear_ratios`) spaces the gears geometrically,
``phi_i = (n - i) / (n - 1)``: 2/3 and 1/3 for a 4-speed, 1/2 for a 3-speed, and a
design without published ratios takes the spread of
:data:`~keidesign.energy.powertrains.TRANSMISSION_DEFAULTS` (4AT 2.8 / 0.75 = 3.73, 3AT
2.8). A planetary 4AT with a direct third and an overdrive fourth puts its 2nd and 3rd
lower on the log scale than a geometric set (the wide first step of a Simpson or
Ravigneaux set, Naunheimer et al., *Automotive Transmissions*, 2nd ed., 2011, ch. 4 and
6, R): the published rule is ``k_i = k_n (k_1 / k_n)^phi_i`` with the published median
``phi_i`` (overall ratios ``k``, rad/s per m/s).

**Trials** (each a context manager swapping the shipped defaults for the probe's run):

* ``step``: the published median positions for 4-speed gearboxes (:func:`step_rule`;
  every 4-speed automatic, with or without published ratios; the 3-speed's one set,
  the Sambar's 0.435 against 0.5, is below the rule's 5 and stays geometric);
* ``spread``: the 4AT default spread set to the published median (:func:`spread_rule`;
  only designs without a published first gear: MLIT's rows and the EPA rows, whose first
  gear is their N/V top gear x the default spread); shipped since 5 Dec 2026 as
  ``ratio_low`` 3.02 (spread 4.027), so this variant now differs from the shipped model
  only by the rounding, and ``spread 3.73 (before)`` (:func:`previous_spread`) is the
  model before;
* ``step + spread`` together;
* ``kei top gear`` (what-if, one published kei 4AT, so not a candidate): the 4AT
  default final drive that gives the Jimny 4AT's engine revolutions per metre in top
  gear on the kei import's default tyre 155/65R14 (:func:`kei_top_gear`).
"""
from __future__ import annotations

import contextlib
import csv
import functools
import math
import statistics
import tempfile
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import kei_automatic as ka  # benchmarks/kei_automatic.py
import mlit_kei  # benchmarks/mlit_kei.py
import numpy as np

from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy.vehicle import ROLLING_RADIUS_FACTOR, tyre_diameter_m

DATA = Path(__file__).resolve().parents[1] / "keidesign" / "data" / "vehicles" / \
    "at_gearing.csv"

#: The kei import's default tyre (``keidesign.specs.build``: kei 155/65R14).
KEI_DEFAULT_TYRE = (155.0, 65.0, 14.0)


def rows() -> list[dict[str, str]]:
    with open(DATA, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def ratios(r: dict[str, str]) -> list[float | None]:
    """Gear ratios of a row, first to top (None where the source gives none)."""
    return [float(r[f"r{i}"]) if r[f"r{i}"] else None for i in range(1, int(r["gears"]) + 1)]


def shape(r: dict[str, str]) -> tuple[float, list[float | None]]:
    """Spread ``r_1 / r_n`` and log positions ``phi_i`` of a row (module docstring)."""
    g = ratios(r)
    s = g[0] / g[-1]
    return s, [None if x is None else math.log(x / g[-1]) / math.log(s) for x in g]


def published_rule(rs: list[dict[str, str]]) -> dict[int, dict]:
    """Per gear count: the median spread and the median position of each gear over the
    rows that give it, with the number of transmissions behind each."""
    out = {}
    for n in sorted({int(r["gears"]) for r in rs}):
        sub = [shape(r) for r in rs if int(r["gears"]) == n]
        phis = []
        for i in range(n):
            vals = [p[i] for _, p in sub if p[i] is not None]
            phis.append((statistics.median(vals), len(vals)))
        out[n] = {"spread": statistics.median(s for s, _ in sub), "n_spread": len(sub),
                  "phi": [p for p, _ in phis], "n_phi": min(k for _, k in phis)}
    return out


def report_shape(rs: list[dict[str, str]]) -> dict[int, dict]:
    rule = published_rule(rs)
    print("\nPublished sets (at_gearing.csv): spread r1/rn and log positions phi_i")
    for r in rs:
        s, p = shape(r)
        ps = " / ".join("-" if x is None else f"{x:.3f}" for x in p)
        print(f"  {r['transmission']:34s} kei {r['kei']:3s} {r['gears']} speeds: spread "
              f"{s:.3f}, phi {ps} ({r['status']})")
    for n, d in rule.items():
        geo = " / ".join(f"{(n - 1 - i) / (n - 1):.3f}" for i in range(n))
        pub = " / ".join(f"{x:.3f}" for x in d["phi"])
        default = pt.TRANSMISSION_DEFAULTS[f"at{n}"]
        print(f"  {n}-speed: published median spread {d['spread']:.3f} (n {d['n_spread']})"
              f" against the default {default['ratio_low'] / default['ratio_high']:.3f}; "
              f"positions {pub} (n {d['n_phi']}) against the geometric {geo}")
    return rule


# ------------------------------------------------------------------------- trials
def step_rule(rule: dict[int, dict]):
    """Patch :func:`keidesign.energy.powertrains.gear_ratios` so that a 4-speed gearbox
    (only the automatics have 4 gears) runs on the published median log positions
    ``k_i = k_n (k_1 / k_n)^phi_i``; other gear counts unchanged."""
    real = pt.gear_ratios

    @functools.wraps(real)
    def f(x, n_gears):
        if n_gears != 4:
            return real(x, n_gears)
        phi = np.array(rule[n_gears]["phi"])
        return x["k_hi"] * (x["k_lo"] / x["k_hi"]) ** phi
    return mock.patch.object(pt, "gear_ratios", f)


def spread_rule(rule: dict[int, dict]):
    """The 4AT default first gear set to the default top gear x the published median
    spread (designs without a published first gear)."""
    at4 = dict(pt.TRANSMISSION_DEFAULTS["at4"])
    at4["ratio_low"] = round(at4["ratio_high"] * rule[4]["spread"], 4)
    return mock.patch.dict(pt.TRANSMISSION_DEFAULTS, {"at4": at4})


#: The 4AT default first gear before 5 Dec 2026 (spread 2.8 / 0.75 = 3.73).
PREVIOUS_AT4_RATIO_LOW = 2.8


def previous_spread():
    """The 4AT default first gear as before 5 Dec 2026 (:data:`PREVIOUS_AT4_RATIO_LOW`)."""
    at4 = {**pt.TRANSMISSION_DEFAULTS["at4"], "ratio_low": PREVIOUS_AT4_RATIO_LOW}
    return mock.patch.dict(pt.TRANSMISSION_DEFAULTS, {"at4": at4})


def jimny_rev_per_m(rs: list[dict[str, str]]) -> float:
    """Engine revolutions per metre in top gear of the Jimny 4AT (its row, tyre
    175/80R16 of ``kei_automatics.csv``; rolling radius factor 0.97)."""
    r = next(x for x in rs if x["transmission"].startswith("Suzuki kei 4AT"))
    k = float(r["r4"]) * float(r["final_drive"]) * float(r["transfer_high"])
    return k / (math.pi * tyre_diameter_m((175.0, 80.0, 16.0)) * ROLLING_RADIUS_FACTOR)


def kei_top_gear(rs: list[dict[str, str]]):
    """What-if: the 4AT default final drive giving :func:`jimny_rev_per_m` in top gear
    on the kei default tyre."""
    at4 = dict(pt.TRANSMISSION_DEFAULTS["at4"])
    circ = math.pi * tyre_diameter_m(KEI_DEFAULT_TYRE) * ROLLING_RADIUS_FACTOR
    at4["final_drive"] = round(jimny_rev_per_m(rs) * circ / at4["ratio_high"], 3)
    return mock.patch.dict(pt.TRANSMISSION_DEFAULTS, {"at4": at4})


@contextlib.contextmanager
def _both(*cms) -> Iterator[None]:
    with contextlib.ExitStack() as st:
        for cm in cms:
            st.enter_context(cm)
        yield


def variants(rs: list[dict[str, str]], rule: dict[int, dict]) -> dict:
    return {"spread 3.73 (before)": previous_spread,
            "step": lambda: step_rule(rule), "spread": lambda: spread_rule(rule),
            "step + spread": lambda: _both(step_rule(rule), spread_rule(rule)),
            "kei top gear (what-if)": lambda: kei_top_gear(rs)}


# ------------------------------------------------------------------------- runs
def _is_at(c: dict) -> bool:
    return c["trans"] == "automatic" and (c["gears"] or 0) in (3, 4)


def mlit_runs(vs: dict) -> dict[str, dict]:
    """``mlit_kei``'s sample: every configuration once with the shipped model, then the
    3-4 speed automatics again under each variant (the other rows have no 3-4 speed
    gearbox and do not move). Per variant: the automatics' errors and the unseen
    families' MAE (specs alone, %)."""
    base = mlit_kei.run_all(quiet=True)
    out = {}
    for name, ctx in [("shipped", contextlib.nullcontext)] + list(vs.items()):
        errs = {}
        with ctx(), tempfile.TemporaryDirectory() as d:
            for i, x in enumerate(base):
                c = x["case"]
                if not _is_at(c):
                    continue
                pub = float(c["row"]["wltc_max_km_per_L"])
                res = mlit_kei.run(c, Path(d)) if name != "shipped" else x
                errs[i] = (100 * (res["wltc_pred"] / pub - 1),
                           100 * (res["wltc_pub_mass"] / pub - 1))
        unseen = [errs[i][0] if i in errs else x["err_pred"] for i, x in enumerate(base)
                  if x["case"]["family"]["in_kei_csv"] != "yes"]
        allr = [errs[i][0] if i in errs else x["err_pred"] for i, x in enumerate(base)]
        a = np.array([e[0] for e in errs.values()])
        b = np.array([e[1] for e in errs.values()])
        out[name] = {"at_mae": float(np.mean(np.abs(a))), "at_bias": float(np.mean(a)),
                     "at_mae_pub": float(np.mean(np.abs(b))),
                     "unseen_mae": float(np.mean(np.abs(unseen))),
                     "unseen_bias": float(np.mean(unseen)), "n_unseen": len(unseen),
                     "all_mae": float(np.mean(np.abs(allr))), "n_at": int(a.size),
                     "rows": {f"{base[i]['case']['row']['name']} "
                              f"{base[i]['case']['row']['type']} "
                              f"{base[i]['case']['row']['transmission']} "
                              f"{base[i]['case']['row']['drive']} "
                              f"({base[i]['case']['row']['list']}, idle stop "
                              f"{'yes' if base[i]['case']['idle_stop'] else 'no'})": e
                              for i, e in errs.items()}}
        o = out[name]
        print(f"\n### MLIT, {name}: {o['n_at']} 3-4 speed automatics MAE "
              f"{o['at_mae']:.2f} % (bias {o['at_bias']:+.2f} %; at the published curb "
              f"{o['at_mae_pub']:.2f} %); unseen families n {o['n_unseen']} MAE "
              f"{o['unseen_mae']:.2f} % (bias {o['unseen_bias']:+.2f} %); all "
              f"{len(allr)} {o['all_mae']:.2f} %")
        for k, e in o["rows"].items():
            print(f"  {k}: {e[0]:+.1f} % / {e[1]:+.1f} %")
    return out


def kei_check(vs: dict) -> dict[str, float]:
    """The kei WLTC check's MAE (%) with the shipped model and each variant."""
    out = {}
    for name, ctx in [("shipped", contextlib.nullcontext)] + list(vs.items()):
        with ctx():
            out[name] = 100 * cal.kei_wltc_stats(cal.kei_wltc_check())["all"]["mae"]
        print(f"kei WLTC check, {name}: MAE {out[name]:.3f} %")
    return out


def kei_automatics(vs: dict) -> dict[str, dict]:
    """``kei_automatics.csv`` (published or imputed ratios on every automatic: only the
    step rule can move them)."""
    r = ka.rows()
    out = {"shipped": ka.report(r, ka.run_rows(r), "shipped")}
    for name in ("step",):
        with vs[name]():
            out[name] = ka.report(r, ka.run_rows(r), f"trial: {name}")
    return out


def epa_fit(only: tuple[str, ...] = ("spread 3.73 (before)", "step", "spread",
                                     "step + spread")) -> dict:
    """The EPA side of a rule that would ship (``kei_at_gearing_fit``, ~8 min): the ICE
    constants refitted on every EPA gasoline row with the rule in place and judged
    leave-one-family-out (``ice_lofo(exact=False)`` on the probes' two-point grid, as
    ``kei_automatic_fit``): FTP and HWFET MAE (bias) of all gasoline rows, the
    automatics, the 4-speed and the 5+-speed automatics, against the shipped defaults
    refitted the same way. The EPA 4-speed automatics carry their N/V top gear and take
    first gear from the default spread and the intermediate gears from the spacing, so
    both rules move them."""
    from kei_automatic import _automatic_groups, _ms

    from keidesign.energy import testcars as tc
    from keidesign.validation import fueleconomy as fe

    rs = rows()
    rule = published_rule(rs)
    vs = variants(rs, rule)
    cars = [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]
    groups = _automatic_groups(cars)
    c0 = cal.fixed_constants()
    grid_pts = ((1500.0, 1000.0), (1750.0, 1000.0))
    out = {}
    for name in ("shipped", *only):
        ctx = contextlib.nullcontext if name == "shipped" else vs[name]
        with ctx():
            grid = fe.ice_grid(cars, c0, grid_pts, names=cal.FIT_NAMES)
            lofo = fe.ice_lofo(cars, c0, grid, exact=False)
            fit = fe.best_fit(grid)
        e = {t: lofo.error(t) for t in fe.TESTS}
        print(f"\n### EPA, {name}\n  all-car fit: " + ", ".join(
            f"{k} {v:.4g}" for k, v in fit.items()))
        for g, m in groups.items():
            print(f"  lofo {g:20s} n={m.sum():3d}: FTP {_ms(e['ftp'][m])}, HWFET "
                  f"{_ms(e['hwfet'][m])}")
        out[name] = {"fit": fit, "lofo": {t: {g: float(100 * np.mean(np.abs(v[m])))
                                              for g, m in groups.items()}
                                          for t, v in e.items()}}
    return out


def verdict(rule: dict[int, dict], mlit: dict, check: dict) -> dict[str, bool]:
    out = {}
    for name in mlit:
        if name == "shipped":
            continue
        if name == "spread 3.73 (before)":
            print(f"the model before (4AT spread 3.73): MLIT automatics "
                  f"{mlit[name]['at_mae']:.2f} % against {mlit['shipped']['at_mae']:.2f} % "
                  f"shipped; kei check {check[name]:.3f} % against "
                  f"{check['shipped']:.3f} %")
            continue
        ok1 = mlit[name]["at_mae"] < mlit["shipped"]["at_mae"]
        ok2 = check[name] - check["shipped"] <= 0.2
        n_ok = {"step": rule[4]["n_phi"] >= 5,
                "spread": rule[4]["n_spread"] >= 5,
                "step + spread": min(rule[4]["n_phi"], rule[4]["n_spread"]) >= 5,
                "spread 3.73 (before)": True}.get(name, False)
        out[name] = ok1 and ok2 and n_ok
        print(f"rule, {name}: >= 5 published transmissions {n_ok}; MLIT automatics "
              f"{mlit['shipped']['at_mae']:.2f} -> {mlit[name]['at_mae']:.2f} % "
              f"({'better' if ok1 else 'not better'}); kei check "
              f"{check['shipped']:.3f} -> {check[name]:.3f} % ({'ok' if ok2 else 'worse'})"
              f": the kei legs {'pass' if out[name] else 'fail'} (the EPA leg: "
              f"kei_at_gearing_fit)")
    return out


def main() -> dict:
    rs = rows()
    rule = report_shape(rs)
    vs = variants(rs, rule)
    print(f"\nJimny 4AT top gear: {jimny_rev_per_m(rs):.3f} engine rev/m; the 4AT default "
          f"on 155/65R14: "
          f"{0.75 * 4.0 / (math.pi * tyre_diameter_m(KEI_DEFAULT_TYRE) * 0.97):.3f} rev/m")
    out = {"rule": rule, "check": kei_check(vs), "mlit": mlit_runs(vs),
           "kei_automatics": kei_automatics(vs)}
    out["verdict"] = verdict(rule, out["mlit"], out["check"])
    return out


if __name__ == "__main__":
    main()
