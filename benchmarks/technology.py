"""Engine and transmission technology descriptors against the gasoline hold-out errors
(issue 13): is any descriptor of the fueleconomy.gov vehicle record a lever?

    python benchmarks/validation_probes.py technology   # ~15 min per trial, then seconds

Residuals, every gasoline configuration, on the probes' footing (:data:`GRID`):

* FTP / HWFET from the measured coast-down and ETW, leave-one-family-out (the ICE
  constants refitted without the family, :func:`keidesign.validation.fueleconomy.ice_lofo`);
* label combined, FTP and HWFET from published specs alone, leave-one-family-out: the
  specs-only chain of :mod:`keidesign.validation.specsonly` with
  :class:`~keidesign.validation.specsonly.HoldOut` constants (those ICE constants, the
  road-load pair and the mass build-up refitted without the family);
* the kei WLTC check with the all-car fit (nothing fitted to kei cars).

Each trial of :data:`TRIALS` is computed once and stored in
``benchmarks/results/technology_<trial>.json`` (git-ignored; recomputed when the model,
this file or a ``benchmarks/`` module it imports changes: ``benchmarks/result_cache.py``).

Descriptors, joined through the label row (:func:`keidesign.energy.testcars.label_for`,
fueleconomy.gov ``id``): ``eng_dscr`` and ``guzzler`` of
``keidesign/data/epa/epa_label_descriptors_2011_2023.csv`` (the vehicles file of the
same source, NREL/vehicle-data c48aa4c), ``trany``, ``tCharger``, ``sCharger``,
``startStop``, ``fuelType1`` of the label file. For each descriptor (:func:`descriptors`):
count, mean error, MAE, per transmission class, and the most MAE it could explain: the
MAE with the mean error of the rows carrying it and that of the others removed (two
constants, in sample: an upper bound of what one sourced effectiveness could do); the
within-family difference of direct and port injection. Then (:func:`compare`) the
direct-injection trial (:data:`DI_FUEL_REDUCTION`, swapped into the shipped engine model
by :func:`_injection`): the EPA rows of the fit and the imported designs at their
engine's injection, against the shipped model (``none``: every row and design at port
injection's efficiency). Not kept (docs/validation.md).
"""

from __future__ import annotations

import csv
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import numpy as np
import result_cache  # (benchmarks/result_cache.py)

os.environ.setdefault("OPENMDAO_REPORTS", "0")

ROOT = Path(__file__).resolve().parents[1]
CACHE_DIR = ROOT / "benchmarks" / "results"
#: The probes' footing (``validation_probes.RATIO_GRID``): two strategy grid points and
#: one Gauss-Newton step per held-out family (``ice_lofo(exact=False)``), not the
#: 20-point grid and exact refits of ``keidesign validate``. On 4 Dec 2026 it gave the
#: gasoline label combined from specs 5.73 % (+0.31 %) against validate's 5.8 % (+0.7 %),
#: FTP / HWFET 5.58 / 4.41 % against 5.6 / 4.4 %.
GRID = tuple((s, cv, k) for s, cv in ((1500.0, 1000.0), (1750.0, 1000.0))
             for k in (0.85, 1.0))  # the shipped schedule's scales, cal.SCHEDULE_SCALES
DESCRIPTORS_CSV = ROOT / "keidesign" / "data" / "epa" / "epa_label_descriptors_2011_2023.csv"
LABEL_CSV = ROOT / "keidesign" / "data" / "epa" / "epa_label_small_2011_2023.csv"


def label_records() -> dict[str, dict[str, str]]:
    """fueleconomy.gov id -> the label file's row with ``eng_dscr`` and ``guzzler``."""
    with DESCRIPTORS_CSV.open(encoding="utf-8") as f:
        extra = {r["id"]: r for r in csv.DictReader(f)}
    with LABEL_CSV.open(encoding="utf-8") as f:
        return {r["id"]: {**r, "eng_dscr": extra[r["id"]]["eng_dscr"],
                          "guzzler": extra[r["id"]]["guzzler"]} for r in csv.DictReader(f)}


#: Descriptor name -> predicate on a label record (``eng_dscr`` matched case-insensitively).
DESCRIPTORS: dict[str, Callable[[dict[str, str]], bool]] = {
    "port injection (no SIDI)": lambda r: "sid" not in r["eng_dscr"].lower(),
    "SIDI only": lambda r: (re.search(r"sidi?", r["eng_dscr"], re.I) is not None
                            and "pfi" not in r["eng_dscr"].lower()),
    "SIDI & PFI": lambda r: "sidi & pfi" in r["eng_dscr"].lower(),
    "eng_dscr blank": lambda r: not r["eng_dscr"].strip(),
    "stop-start (eng_dscr)": lambda r: "stop-start" in r["eng_dscr"].lower(),
    "startStop Y": lambda r: r["startStop"] == "Y",
    "PZEV/SULEV": lambda r: "pzev" in r["eng_dscr"].lower(),
    "mild hybrid": lambda r: "mild hybrid" in r["eng_dscr"].lower(),
    "i-ELOOP": lambda r: "eloop" in r["eng_dscr"].lower().replace("-", ""),
    "cylinder deactivation": lambda r: "cylinder deactivation" in r["eng_dscr"].lower(),
    "guzzler": lambda r: bool(r["guzzler"].strip()),
    "turbo (tCharger)": lambda r: bool(r["tCharger"].strip()),
    "supercharger": lambda r: bool(r["sCharger"].strip()),
    "trany select-shift (S)": lambda r: "(S" in r["trany"],
    "trany automated manual (AM)": lambda r: "(AM" in r["trany"],
    "trany CVT (AV)": lambda r: "(AV" in r["trany"] or "variable gear" in r["trany"],
    "premium fuel": lambda r: r["fuelType1"].startswith("Premium"),
}


#: Fuel-consumption reduction of stoichiometric (homogeneous) gasoline direct injection
#: against port injection, as a fraction: 0.015, the middle of the 1-2 % CO2 reduction
#: of "homogeneous direct injection" in EPA's 2008 staff report (EPA420-R-08-008, quoted
#: by IEA-ETSAP Technology Brief T01, "Advanced Automotive Gasoline Engines", April 2010;
#: status R: the secondary source was read, the EPA report was not). Mechanisms: charge
#: cooling by the evaporating fuel (knock margin, so earlier spark) and mixture control
#: in transients (Heywood 1988, ch. 7 and 9). The trial's physics, not the shipped
#: model's: the Willans efficiency ``e`` of a direct-injected engine is
#: ``e / (1 - DI_FUEL_REDUCTION)`` (:func:`injection_efficiency`; the idle and
#: cold-start fuel are not scaled), port injection the reference of the fitted ``e``.
DI_FUEL_REDUCTION = 0.015


def injection_efficiency(direct_injection: bool | None) -> float:
    """Willans-efficiency factor of the trial (:data:`DI_FUEL_REDUCTION`); port
    injection and unknown injection 1."""
    return 1.0 / (1.0 - DI_FUEL_REDUCTION) if direct_injection else 1.0


#: Trials of :func:`_run`: whether the EPA rows of the fit and the imported designs carry
#: their engine's direct injection (:attr:`keidesign.energy.testcars.TestCar.
#: direct_injection`, from the fueleconomy.gov record) through
#: :func:`injection_efficiency`; ``none`` is the shipped model.
TRIALS = {"none": False, "di": True}


@contextmanager
def _injection(on: bool, current: dict) -> Iterator[None]:
    """Swap the trial into the engine model: the EPA rows' Willans factors
    (``ice_fit_trials.compression_factors``, swapped into the calibration by
    ``ice_fit_trials.active``) times their injection factor, and every evaluated
    design's ``e`` (``powertrains.with_compression``) times the factor of
    ``current["di"]``, the car being evaluated. ``on=False``: the shipped model."""
    import ice_fit_trials as ift  # benchmarks/ice_fit_trials.py

    from keidesign.energy import powertrains as pt

    if not on:
        yield
        return
    cf0, wc0 = ift.compression_factors, pt.with_compression

    def cf(cars: list, c: dict, gain: float = 1.0) -> np.ndarray:
        return cf0(cars, c, gain) * np.array([injection_efficiency(car.direct_injection)
                                              for car in cars])

    def wc(c: dict, cr: float, turbo: bool) -> dict:
        out = wc0(c, cr, turbo)
        return dict(out, e=out["e"] * injection_efficiency(current.get("di")))

    with ift.active(), mock.patch.object(ift, "compression_factors", cf), \
            mock.patch.object(pt, "with_compression", wc):
        yield


def _run(trial: str) -> dict:
    """One trial of :data:`TRIALS`: the ICE constants refitted on every gasoline
    configuration and held out by family (:data:`GRID`, one step), the specs-only chain
    with those constants (road-load pair and mass build-up held out too) and the kei
    WLTC check with the all-car fit. Returns ``{"cars": {index: errors}, "kei": [...],
    "fit": {...}}``, ``index`` the configuration's place among the gasoline test cars."""
    import ice_fit_trials as ift  # benchmarks/ice_fit_trials.py

    from keidesign.energy import calibration as ecal
    from keidesign.energy import constants as kc
    from keidesign.energy import testcars as tc
    from keidesign.errors import InputError
    from keidesign.mass import calibration as mcal
    from keidesign.validation import fueleconomy as fe
    from keidesign.validation import roadload as rl
    from keidesign.validation import specsonly as so

    cars = list(tc.test_cars())
    ice = [c for c in cars if c.cls in fe.ICE_CLASSES]
    current: dict = {}
    with _injection(TRIALS[trial], current):
        cf = ecal.fixed_constants()
        grid = fe.ice_grid(ice, cf, GRID)
        lofo = fe.ice_lofo(ice, cf, grid, exact=False)
        fit = fe.best_fit(grid)
        kei = ift.KeiFitRows.load()
        k_err = kei.predict(cf, fit) / kei.measured - 1.0
        road = rl.validate(rl.cases(cars))
        base = kc.ice_constants()
        mass_cars = mcal.read_cars()
        hold = so.HoldOut(
            ice={f: ecal.ice_section(base, fit) for f, fit in lofo.extra["fits"].items()},
            road={f: {"road:crr": v["c0"], "road:crr_speed": v["c1"]}
                  for f, v in road["lofo_fits"].items()},
            mass={f: mcal.held_constants([d for d in mass_cars if d.family != f])
                  for f in sorted({d.family for d in mass_cars})})
        out: dict = {str(i): {"ftp_a": float(lofo.error("ftp")[i]),
                              "hwfet_a": float(lofo.error("hwfet")[i])}
                     for i in range(len(ice))}
        index = {id(c): i for i, c in enumerate(ice)}
        held, where = [], []
        for car in so.cases(ice):
            try:
                d = so.imported(car)
            except InputError:
                continue
            current["di"] = car.direct_injection
            held.append(so.predict(car, hold, d))
            where.append(index[id(car)])
        err = so.errors(held)
        for j, i in enumerate(where):
            out[str(i)].update({f"{k}_s" if k != "comb" else k: float(err[k][j])
                                for k in ("ftp", "hwfet", "comb")})
    return {"cars": out, "kei": [float(x) for x in k_err], "kei_names": list(kei.name),
            "fit": {k: float(v) for k, v in fit.items() if np.isscalar(v)}}


def results(trial: str = "none", refresh: bool = False) -> dict:
    """:func:`_run` of ``trial``, cached in :data:`CACHE_DIR` (computed when absent or
    written by another model or probe code, :func:`result_cache.cached`)."""
    return result_cache.cached(CACHE_DIR / f"technology_{trial}.json",
                               lambda: _run(trial), refresh)


def rows(trial: str = "none", refresh: bool = False) -> list[dict]:
    """One dict per gasoline configuration of :func:`results` (``trial``): key, family,
    class, label record (None without a label row) and the hold-out errors ``ftp_a``,
    ``hwfet_a`` (measured road load), ``comb``, ``ftp_s``, ``hwfet_s`` (from specs; NaN
    where not available)."""
    from keidesign.energy import testcars as tc
    from keidesign.validation import fueleconomy as fe

    res = results(trial, refresh)["cars"]
    recs = label_records()
    out = []
    ice = [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]
    for i, car in enumerate(ice):
        lab = tc.label_for(car)
        e = res.get(str(i), {})
        out.append({"key": car.key, "family": car.family, "class": car.cls,
                    "di": car.direct_injection,
                    "rec": recs.get(lab.id) if lab is not None else None,
                    **{k: e.get(k, np.nan) for k in ("ftp_a", "hwfet_a", "comb", "ftp_s",
                                                      "hwfet_s")}})
    return out


def explained(err: np.ndarray, has: np.ndarray) -> tuple[float, float]:
    """MAE of ``err`` and the MAE with the mean of the ``has`` group removed from it and
    the mean of the others from them (two constants, in sample: the upper bound)."""
    e = err.copy()
    for m in (has, ~has):
        if m.any():
            e[m] = e[m] - e[m].mean()
    return float(np.abs(err).mean()), float(np.abs(e).mean())


def _line(name: str, err: np.ndarray, has: np.ndarray, cls: np.ndarray,
          fam: np.ndarray) -> str:
    ok = np.isfinite(err)
    err, has, cls, fam = err[ok], has[ok], cls[ok], fam[ok]
    n = int(has.sum())
    if n == 0:
        return f"  {name:30s} n=0"
    mae, best = explained(err, has)
    per = ", ".join(f"{c} {100 * err[has & (cls == c)].mean():+.1f} "
                    f"(n={int((has & (cls == c)).sum())}; others "
                    f"{100 * err[~has & (cls == c)].mean():+.1f})"
                    for c in sorted(set(cls[has])) if (~has & (cls == c)).any())
    return (f"  {name:30s} n={n:3d} ({len(set(fam[has]))} fam) mean {100 * err[has].mean():+.1f} % "
            f"MAE {100 * np.abs(err[has]).mean():.1f} %, others {100 * err[~has].mean():+.1f} %"
            f" | all {100 * mae:.2f} -> {100 * best:.2f} % at most | {per}")


def _ms(x: np.ndarray) -> str:
    x = x[np.isfinite(x)]
    return f"{100 * np.abs(x).mean():.2f} % ({100 * x.mean():+.2f} %, n={x.size})"


def descriptors(refresh: bool = False) -> None:
    """The descriptor table (module docstring) on the shipped model's hold-out errors."""
    rs = [r for r in rows("none", refresh) if r["rec"] is not None]
    print(f"{len(rs)} gasoline configurations with a label row (hold-out errors; 'at "
          "most' = the descriptor's and the others' mean errors removed, in sample)")
    cls = np.array([r["class"] for r in rs])
    fam = np.array([r["family"] for r in rs])
    for what, label in (("comb", "label combined from specs"),
                        ("ftp_a", "FTP, measured road load"),
                        ("hwfet_a", "HWFET, measured road load")):
        err = np.array([r[what] for r in rs], dtype=float)
        print(f"{label}: MAE {_ms(err)}")
        for name, pred in DESCRIPTORS.items():
            has = np.array([pred(r["rec"]) for r in rs], dtype=bool)
            print(_line(name, err, has, cls, fam))
    err = np.array([r["comb"] for r in rs], dtype=float)
    print("label combined from specs, family means by injection:")
    for name in ("port injection (no SIDI)", "SIDI only", "SIDI & PFI"):
        by = defaultdict(list)
        for r, e in zip(rs, err, strict=True):
            if np.isfinite(e) and DESCRIPTORS[name](r["rec"]):
                by[r["family"]].append(e)
        means = sorted((float(np.mean(v)), f, len(v)) for f, v in by.items())
        print(f"  {name}: " + ", ".join(f"{f} {100 * m:+.1f} ({n})" for m, f, n in means))
    print("within a family, direct minus port injection (mean hold-out error):")
    for what in ("comb", "ftp_a", "hwfet_a"):
        by = defaultdict(lambda: defaultdict(list))
        for r in rows("none"):
            if r["di"] is not None and np.isfinite(r[what]):
                by[r["family"]][r["di"]].append(r[what])
        d = [np.mean(v[True]) - np.mean(v[False]) for v in by.values() if v[True] and v[False]]
        print(f"  {what}: {100 * np.mean(d):+.2f} points over {len(d)} families with both")


def compare(refresh: bool = False) -> None:
    """The direct-injection trial (:data:`TRIALS`) against the shipped model, both on
    this probe's footing: gasoline label combined from specs, FTP / HWFET from the
    measured road load and from specs, per class and by injection, and the kei WLTC
    check (all-car fit)."""
    from keidesign.validation import fueleconomy as fe

    for trial in TRIALS:
        res = results(trial, refresh)
        rs = rows(trial)
        print(f"### {trial}: all-car fit " + ", ".join(f"{k} {v:.4g}"
                                                       for k, v in res["fit"].items()))
        for what in ("comb", "ftp_a", "hwfet_a", "ftp_s", "hwfet_s"):
            err = np.array([r[what] for r in rs], dtype=float)
            parts = [f"all {_ms(err)}"]
            for cls in fe.ICE_CLASSES:
                m = np.array([r["class"] == cls for r in rs])
                parts.append(f"{cls} {_ms(err[m])}")
            for lab, v in (("DI", True), ("port", False), ("unknown", None)):
                m = np.array([r["di"] is v for r in rs])
                parts.append(f"{lab} {_ms(err[m])}")
            print(f"  {what}: " + "; ".join(parts))
        k = np.array(res["kei"])
        print(f"  kei WLTC (all-car fit, not fitted): {_ms(k)}")


def report(refresh: bool = False) -> None:
    descriptors(refresh)
    compare(refresh)


if __name__ == "__main__":
    report()
