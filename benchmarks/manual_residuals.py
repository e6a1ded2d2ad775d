"""Residual analysis of the gasoline FTP / HWFET hold-out errors (issue 13): why the
model is optimistic on sporty manual cars.

    python benchmarks/validation_probes.py manual_residuals

Reads the leave-one-family-out (``lofo``) errors of every gasoline configuration from
docs/validation.json (``benchmarks/validation.py``'s output) and prints their Pearson
correlation with candidate features, over all configurations, among the manuals, and
between family means (the error is mostly per family, ``validation_probes.py floor``):

* published rated speed (rpm) and specific power: ``us_engine_speeds.csv`` (the EPA
  engine joined by family, displacement and the file's rated horsepower);
* EPA-file features: displacement, specific power (rated hp / L), N/V of top gear,
  test weight per rated power, model year, the manual and turbo flags;
* the engine speed the model's gear rule picks at 20, 25 and 30 mph (highest gear with
  ``N >= shift_rpm``, ratios geometric between first and top, docs/energy.md section 3;
  the power reserve does not bind at these cruise loads; stepped gearboxes only).

Then the same engine behind a manual and another gearbox (:func:`pairs`), the error per
FTP bag (:func:`bags`) and the hold-out trials of the published rated speed (full-load
curve, a valve-train friction law, the upshift speed in the engine's speed range):
:func:`trials`. Findings: docs/validation.md, "Why the sporty manuals are optimistic".
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import ice_fit_trials as ift  # benchmarks/ice_fit_trials.py
import numpy as np

from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc
from keidesign.validation import fueleconomy as fe

ROOT = Path(__file__).resolve().parents[1]
SPEEDS_CSV = ROOT / "keidesign" / "data" / "vehicles" / "us_engine_speeds.csv"
SPEEDS_MPH = (20.0, 25.0, 30.0)


def engine_speeds() -> dict[tuple[str, float, float], dict[str, float]]:
    """Published rated speed (rpm), power (hp) and torque (N m) of the EPA engines,
    keyed by (family, displacement L rounded to 0.01, EPA rated hp)."""
    out = {}
    with SPEEDS_CSV.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            out[(r["family"], round(float(r["displacement_l"]), 2), float(r["epa_rated_hp"]))] = {
                "rpm": float(r["rated_rpm"]), "hp": float(r["rated_hp"]),
                "nm": float(r["torque_nm"]) if r["torque_nm"] else float("nan")}
    return out


def rated_rpm(car: tc.TestCar, table: dict | None = None) -> float:
    """The car's published rated speed (rpm), NaN where ``us_engine_speeds.csv`` has none."""
    table = engine_speeds() if table is None else table
    e = table.get((car.family, round(car.vd, 2), car.hp))
    return e["rpm"] if e else float("nan")


def cruise_rpm(car: tc.TestCar, mph: float, shift_rpm: float) -> float:
    """Engine speed (rpm) of the gear the model's rule picks at a steady ``mph``: the
    highest gear with ``N >= shift_rpm`` (NaN for a CVT or a single speed)."""
    n_g = pt.GEARS[car.trans]
    if n_g <= 1:
        return float("nan")
    spread = (cal.fixed_constants()["epa_rows"]["spread_mt6"] if car.trans == "mt6" else
              pt.TRANSMISSION_DEFAULTS[car.trans]["ratio_low"]
              / pt.TRANSMISSION_DEFAULTS[car.trans]["ratio_high"])
    x = {"k_hi": np.array([[car.nv]]), "k_lo": np.array([[car.nv * spread]])}
    n = mph * np.asarray(pt.gear_ratios(x, n_g))[0]
    ok = n[n >= shift_rpm]
    return float(ok.min()) if ok.size else float(n.max())


def _stored_ice() -> dict:
    """The shipped ``[ice]`` section of calibration.toml."""
    import tomllib

    with (ROOT / "keidesign" / "energy" / "calibration.toml").open("rb") as f:
        return tomllib.load(f)["ice"]


def _lofo_errors(cars: list[tc.TestCar], doc: dict | None = None) -> dict[str, np.ndarray]:
    """The hold-out errors of ``cars`` (every gasoline configuration, in
    ``testcars.test_cars()`` order) from docs/validation.json's ``lofo`` rows, matched by
    position: a row names its car by ``TestCar.key``, which is not unique (one car at
    several road-load settings; :mod:`testcar_id`), so a dict keyed by it would give every
    configuration of a key the last one's error. The rows are written in the same order
    (``fueleconomy.validate_unadjusted``); their keys and measured values are checked."""
    if doc is None:
        doc = json.loads((ROOT / "docs" / "validation.json").read_text(encoding="utf-8"))
    rows = [r for r in doc["cars"] if r["constants"] == "lofo" and r["class"] in fe.ICE_CLASSES]
    if len(rows) != len(cars) or any(
            r["car"] != c.key or any(r[f"{t}_measured"] != c.tests[t] for t in ("ftp", "hwfet"))
            for r, c in zip(rows, cars, strict=True)):
        raise ValueError("docs/validation.json's lofo rows do not line up with the EPA "
                         "gasoline test cars: regenerate it (benchmarks/validation.py)")
    return {t: np.array([r[f"{t}_model"] / r[f"{t}_measured"] - 1.0 for r in rows])
            for t in fe.TESTS}


def features(cars: list[tc.TestCar], shift_rpm: float) -> dict[str, np.ndarray]:
    table = engine_speeds()
    f = {"rated rpm (published)": [rated_rpm(c, table) for c in cars],
         "hp/L": [c.hp / c.vd for c in cars],
         "displacement L": [c.vd for c in cars],
         "N/V top rpm/mph": [c.nv for c in cars],
         "ETW/power kg/kW": [c.etw / (0.7457 * c.hp) for c in cars],
         "model year": [c.year for c in cars],
         "manual": [pt.FAMILY[c.trans] == "manual" for c in cars],
         "turbo": [bool(c.turbo) for c in cars]}
    for v in SPEEDS_MPH:
        f[f"N at {v:.0f} mph rpm"] = [cruise_rpm(c, v, shift_rpm) for c in cars]
    f["rated rpm x hp/L"] = np.array(f["rated rpm (published)"]) * np.array(f["hp/L"])
    return {k: np.asarray(v, dtype=float) for k, v in f.items()}


def _r(x: np.ndarray, y: np.ndarray) -> tuple[float, int]:
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 4 or np.std(x[ok]) == 0.0:
        return float("nan"), int(ok.sum())
    return float(np.corrcoef(x[ok], y[ok])[0, 1]), int(ok.sum())


def residuals() -> tuple[list[tc.TestCar], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Print the correlation table; returns the cars, their errors and features."""
    cars = [c for c in tc.test_cars() if c.cls in fe.ICE_CLASSES]
    err = _lofo_errors(cars)
    shift = float(_stored_ice()["shift_rpm"])
    feat = features(cars, shift)
    man = np.array([pt.FAMILY[c.trans] == "manual" for c in cars])
    fam = np.array([c.family for c in cars])
    fams = sorted(set(fam))
    has = np.isfinite(feat["rated rpm (published)"])
    print(f"{len(cars)} gasoline configurations ({len(fams)} families; {man.sum()} manual), "
          f"lofo errors of docs/validation.json; {has.sum()} with a published rated speed "
          f"(us_engine_speeds.csv, {len(set(fam[has]))} families); gear rule at "
          f"{shift:.0f} rpm")
    print("Pearson r (n) of the hold-out error with each feature:")
    print(f"  {'feature':24s} {'FTP all':>12s} {'FTP manual':>12s} {'FTP non-man':>12s} "
          f"{'FTP fam.mean':>12s} {'HWFET all':>12s} {'HWFET man':>12s}")
    for k, x in feat.items():
        cells = []
        for t, mask in (("ftp", None), ("ftp", man), ("ftp", ~man), ("ftp", "fam"),
                        ("hwfet", None), ("hwfet", man)):
            if isinstance(mask, str):
                xm = np.array([np.nanmean(x[fam == f]) if np.isfinite(x[fam == f]).any()
                               else np.nan for f in fams])
                ym = np.array([err[t][fam == f].mean() for f in fams])
                r, n = _r(xm, ym)
            else:
                m = np.ones(len(cars), bool) if mask is None else mask
                r, n = _r(x[m], err[t][m])
            cells.append(f"{r:+.2f} ({n:3d})")
        print(f"  {k:24s} " + " ".join(f"{c:>12s}" for c in cells))
    return cars, err, feat


def groups(cars: list[tc.TestCar], err: dict, feat: dict) -> None:
    """Mean FTP / HWFET hold-out error by published rated speed band, manuals and the
    rest, and the worst manual families with their engines."""
    rpm = feat["rated rpm (published)"]
    man = feat["manual"] > 0.5
    print("\nMean hold-out error (FTP / HWFET, n) by published rated speed:")
    for lo, hi in ((0, 5999), (5999, 6499), (6499, 6999), (6999, 9000)):
        band = (rpm > lo) & (rpm <= hi)
        cells = []
        for name, m in (("manual", man), ("other", ~man)):
            s = band & m
            cells.append(f"{name} {100 * err['ftp'][s].mean():+.1f} / "
                         f"{100 * err['hwfet'][s].mean():+.1f} % ({s.sum()})"
                         if s.any() else f"{name} -")
        print(f"  {lo + 1:5.0f}-{hi:5.0f} rpm: " + "; ".join(cells))
    by: dict[tuple, list] = defaultdict(list)
    for i, c in enumerate(cars):
        if man[i]:
            by[(c.family, round(c.vd, 1), c.hp, f"{rpm[i]:.0f}")].append(i)
    print("\nManual engines by mean FTP hold-out error (family, L, hp, rated rpm, N/V top, "
          "N at 25 mph, FTP / HWFET error, n):")
    rows = sorted(by.items(), key=lambda kv: -np.mean(err["ftp"][kv[1]]))
    for (f, vd, hp, r), idx in rows[:12] + [(("...",) * 4, [])] + rows[-6:]:
        if not idx:
            print("  ...")
            continue
        nv = np.mean([cars[i].nv for i in idx])
        print(f"  {f:18s} {vd:4.1f} L {hp:4.0f} hp {r:>5s} rpm  N/V {nv:4.1f}"
              f"  N25 {np.nanmean(feat['N at 25 mph rpm'][idx]):5.0f}  "
              f"{100 * err['ftp'][idx].mean():+5.1f} / {100 * err['hwfet'][idx].mean():+5.1f} %"
              f"  ({len(idx)})")


#: Reference rated speed (rpm) of the trials: the EPA rows' assumed rated speed.
N_REF_RPM = 6000.0
#: Start and bounds of the friction trial's fitted valve-train share ``k_vt``.
VT_TRIAL = {"x0": 0.1, "lb": -1.0, "ub": 3.0}
#: Upshift-speed grid (rpm at the reference rated speed) of the shift trials; the
#: shipped grid point is 1500 rpm.
SHIFT_GRID = ((1500.0, 1000.0), (1750.0, 1000.0), (2000.0, 1000.0))


def _published_w_r(cars: list, table: dict) -> np.ndarray:
    """Rated speed (rad/s, ``(n, 1)``) of EPA rows: published where known, else the EPA
    rows' assumed 6000 rpm."""
    rpm = np.array([rated_rpm(c, table) for c in cars])
    return np.where(np.isfinite(rpm), rpm, N_REF_RPM)[:, None] * pt.RPM


def scaled_shift(w_shift: float, w_r: np.ndarray, w_idle: float) -> np.ndarray:
    """Upshift speed (rad/s) in the engine's speed range, after UN GTR No. 15 (WLTP)
    Annex 2 para. 2(k): ``n_min_drive = n_idle + 0.125 (n_rated - n_idle)`` for gears
    above 2 of a manual gearbox. Here the share is not 0.125 but that of the fitted
    ``shift_rpm`` at the reference rated speed: ``w_idle + (w_shift - w_idle)
    (w_r - w_idle) / (w_ref - w_idle)``, ``w_ref`` = 6000 rpm (so a 6000 rpm engine shifts
    at ``shift_rpm`` as shipped)."""
    w_ref = N_REF_RPM * pt.RPM
    return w_idle + (w_shift - w_idle) * (w_r - w_idle) / (w_ref - w_idle)


def proportional_shift(w_shift: float, w_r: np.ndarray, w_idle: float) -> np.ndarray:
    """Upshift speed (rad/s) in proportion to the rated speed, ``w_shift w_r / w_ref``
    (the sensitivity case of the shift trials: no source gives this form)."""
    del w_idle
    return w_shift * w_r / (N_REF_RPM * pt.RPM)


def _trial_list() -> list[tuple[str, bool, tuple[str, ...], tuple[str, ...], tuple]]:
    """(name, published rated speed, fitted names, families whose upshift speed scales
    with the rated speed (``prop:`` prefix: :func:`proportional_shift`), grid)."""
    import validation_probes as vp

    n = cal.FIT_NAMES
    return [("shipped (6000 rpm assumed)", False, n, (), vp.RATIO_GRID),
            ("published rated speed", True, n, (), vp.RATIO_GRID),
            ("published rated speed + valve-train friction", True, (*n, "k_vt"), (),
             vp.RATIO_GRID),
            ("shipped, 3-point shift grid", False, n, (), SHIFT_GRID),
            ("upshift speed in the rated speed (GTR 15), manuals", True, n, ("manual",),
             SHIFT_GRID),
            ("upshift speed in the rated speed (GTR 15), all stepped", True, n,
             ("manual", "automatic", "dct"), SHIFT_GRID),
            ("upshift speed in proportion to the rated speed, manuals", True, n,
             ("prop:manual",), SHIFT_GRID)]


def _ms3(x: np.ndarray) -> str:
    return f"{100 * np.mean(np.abs(x)):.3f} % ({100 * np.mean(x):+.2f} %)"


def trials(only: tuple[int, ...] | None = None) -> None:
    """Leave-one-family-out trials of the candidates the correlations point to (the
    published rated speed), ``ice_lofo(exact=False)`` on a grid of (``shift_rpm``,
    ``cvt_min_rpm``), with the kei WLTC check (all-car fit, nothing fitted on kei cars):

    * ``shipped``: every EPA row at the assumed 6000 rpm;
    * ``published rated speed``: the EPA rows at their published rated speed where
      ``us_engine_speeds.csv`` has it (moves only the full-load curve: the gear rule's
      power reserve and the 1.1 x rated-speed limit);
    * ``... + valve-train friction``: the zero-load mean effective pressure scaled by
      ``1 + k_vt ((N_r / 6000 rpm)^2 - 1)`` (``k_vt`` fitted): a valve train sized not
      to float at rated speed ``N_r`` carries spring loads ~ N_r^2 (valve acceleration
      at a given cam profile ~ N^2), and its friction (boundary/mixed lubrication at the
      cam-follower contact) ~ spring load (Patton, Nitschke & Heywood, SAE 890836, the
      valve-train terms; Heywood 1988 ch. 13). ``k_vt`` is the valve train's share of
      the friction at 6000 rpm; the kei rows take their check's rated speed;
    * ``upshift speed in the rated speed``: the gear rule's ``N_shift`` placed in the
      engine's speed range (:func:`scaled_shift`, WLTP's manual-gearbox rule), for the
      manuals or for every stepped gearbox, with the published rated speed; no extra
      constant (``shift_rpm`` on :data:`SHIFT_GRID` is the value at 6000 rpm), so the
      3-point grid's shipped model is the baseline.
    """
    from unittest import mock

    table = engine_speeds()
    cars = [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]
    kei = ift.KeiFitRows.load()
    man = np.array([pt.FAMILY[c.trans] == "manual" for c in cars])
    rpm = np.array([rated_rpm(c, table) for c in cars])
    orig_params, orig_cycle, orig_vectors = cal.epa_ice_params, pt.ice_cycle, cal.fit_vectors
    orig_gear = pt.gear_index
    state: dict = {"scale": (), "trans": ""}

    def params_published(cs, c, frot):
        x = orig_params(cs, c, frot)
        x["w_r"] = _published_w_r(cs, table)
        return x

    def cycle_trial(seg, x, trans, c, *a, **kw):
        k = c.get("k_vt", 0.0)
        if k:
            from geometry import ad as D

            f = 1.0 + k * ((np.asarray(D.real(x["w_r"])) / (N_REF_RPM * pt.RPM)) ** 2 - 1.0)
            c = {**c, "pme0_bar": c["pme0_bar"] * f, "pme2_bar": c["pme2_bar"] * f}
        state["trans"] = trans
        return orig_cycle(seg, x, trans, c, *a, **kw)

    def gear_trial(kg, vb, pe, t_r, p_r, w_r, w_idle, w_shift, turbo):
        fam = pt.FAMILY.get(state["trans"])
        if fam in state["scale"]:
            w_shift = scaled_shift(w_shift, w_r, w_idle)[:, :, None]
        elif f"prop:{fam}" in state["scale"]:
            w_shift = proportional_shift(w_shift, w_r, w_idle)[:, :, None]
        return orig_gear(kg, vb, pe, t_r, p_r, w_r, w_idle, w_shift, turbo)

    def vectors(names):
        if "k_vt" not in names:
            return orig_vectors(names)
        rest = tuple(n for n in names if n != "k_vt")
        x0, lb, ub = orig_vectors(rest)
        return (np.append(x0, VT_TRIAL["x0"]), np.append(lb, VT_TRIAL["lb"]),
                np.append(ub, VT_TRIAL["ub"]))

    import validation_probes as vp

    c = cal.fixed_constants()
    print(f"\n{len(cars)} gasoline configurations, {np.isfinite(rpm).sum()} at a published "
          f"rated speed; {len(kei.measured)} kei WLTC rows")
    for i, (name, published, names, scale, grid_pts) in enumerate(_trial_list()):
        if only is not None and i not in only:
            continue
        state["scale"] = scale
        with mock.patch.object(cal, "epa_ice_params",
                               params_published if published else orig_params), \
                mock.patch.object(pt, "ice_cycle", cycle_trial), \
                mock.patch.object(pt, "gear_index", gear_trial), \
                mock.patch.object(cal, "fit_vectors", vectors):
            grid = fe.ice_grid(cars, c, grid_pts, names=names)
            lofo = fe.ice_lofo(cars, c, grid, exact=False)
            fit = fe.best_fit(grid)
            k_err = kei.predict(c, fit) / kei.measured - 1.0
        e = {t: lofo.error(t) for t in fe.TESTS}
        hi = np.nan_to_num(rpm) >= 7000.0
        print(f"\n### {name}")
        print("  all-car fit: " + vp._fit_text(fit))
        print(f"  lofo FTP {_ms3(e['ftp'])}, HWFET {_ms3(e['hwfet'])}; kei WLTC "
              f"{_ms3(k_err)}")
        for lab, m in (("manual", man), ("other", ~man), (">= 7000 rpm", hi),
                       ("manual >= 7000", man & hi)):
            print(f"    {lab:14s} FTP {vp._ms(e['ftp'][m])}, HWFET {vp._ms(e['hwfet'][m])} "
                  f"(n={m.sum()})")


def main() -> None:
    cars, err, feat = residuals()
    groups(cars, err, feat)
    pairs(cars, err, feat)
    bags(cars, feat)
    trials()


def pairs(cars: list[tc.TestCar], err: dict, feat: dict) -> None:
    """The same engine (family, displacement, rated hp) behind a manual and another
    gearbox: the hold-out FTP error of each, and the manual's excess by rated speed."""
    rpm = feat["rated rpm (published)"]
    man = feat["manual"] > 0.5
    by: dict[tuple, list] = defaultdict(list)
    for i, c in enumerate(cars):
        by[(c.family, round(c.vd, 1), c.hp)].append(i)
    print("\nThe same engine with a manual and another gearbox: FTP hold-out error "
          "manual / other (n manual, n other)")
    gap: dict[bool, list] = defaultdict(list)
    for (f, vd, hp), idx in sorted(by.items()):
        idx = np.array(idx)
        m, o = idx[man[idx]], idx[~man[idx]]
        if not (m.size and o.size):
            continue
        d = err["ftp"][m].mean() - err["ftp"][o].mean()
        r = rpm[idx[0]]
        gap[bool(np.nan_to_num(r) >= 7000.0)].append(d)
        print(f"  {f:18s} {vd:4.1f} L {hp:4.0f} hp {r:5.0f} rpm: "
              f"{100 * err['ftp'][m].mean():+5.1f} / {100 * err['ftp'][o].mean():+5.1f} % "
              f"({m.size}, {o.size})")
    for hi, ds in sorted(gap.items()):
        print(f"  manual minus other, engines {'>= 7000 rpm' if hi else '< 7000 rpm or unknown'}: "
              f"mean {100 * np.mean(ds):+.1f} points over {len(ds)} engines")


def _shipped_fit() -> dict:
    """The stored ICE fit as :func:`keidesign.energy.calibration.stored_fits` reads it
    (one reader: every constant the kernel takes, e.g. the 3-4 speed automatics'
    ``at_spin_nm`` since 7 Dec 2026)."""
    return cal.stored_fits()[1]


def bags(cars: list[tc.TestCar], feat: dict) -> None:
    """Where in the FTP the optimism sits: the shipped constants' error on each bag
    (bag 1 cold transient, bag 2 stabilised, bag 3 hot transient; in sample) of the
    configurations with bag results, by group."""
    rows = [i for i, c in enumerate(cars) if c.bags]
    sub = [cars[i] for i in rows]
    pred = cal.predict_ice(sub, cal.fixed_constants(), _shipped_fit())
    meas = np.array([c.bags for c in sub])
    e = {b: pred[b] / meas[:, k] - 1.0 for k, b in enumerate(("bag1", "bag2", "bag3"))}
    e["ftp"] = pred["ftp"] / np.array([c.tests["ftp"] for c in sub]) - 1.0
    e["hwfet"] = pred["hwfet"] / np.array([c.tests["hwfet"] for c in sub]) - 1.0
    rpm = feat["rated rpm (published)"][rows]
    man = feat["manual"][rows] > 0.5
    print(f"\nShipped constants, in sample, the {len(sub)} configurations with bag results: "
          "mean error (n) of bag 1 / bag 2 / bag 3 / FTP / HWFET")
    for lab, m in (("manual, published >= 7000 rpm", man & (np.nan_to_num(rpm) >= 7000)),
                   ("manual, other", man & ~(np.nan_to_num(rpm) >= 7000)),
                   ("not manual", ~man)):
        print(f"  {lab:30s} " + " / ".join(f"{100 * e[b][m].mean():+.1f}"
                                            for b in ("bag1", "bag2", "bag3", "ftp", "hwfet"))
              + f" % ({m.sum()})")
