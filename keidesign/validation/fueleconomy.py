"""The energy model on hundreds of EPA-tested cars, judged leave-one-family-out.

What is compared (issue 13 (a), (c), (f)): for every usable configuration of the EPA Test
Car List MY2011–2023 small cars (:mod:`keidesign.energy.testcars`),

(a) the unadjusted FTP-75 and HWFET results simulated from the measured target
    coast-down coefficients A/B/C and the equivalent test weight (the dynamometer
    settings), against the measured ``RND_ADJ_FE`` (mpg; MPGe wall-to-wheel for EVs:
    SAE J1634 charge-depleting UDDS and highway);
(c) the label city/highway/combined values derived from those results (the derived
    5-cycle formulas, EVs with the 0.7 floor) against fueleconomy.gov
    ``city08``/``highway08``/``comb08`` for the configurations joined to a label row,
    with the coefficient set fueleconomy.gov uses for the model year
    (:func:`keidesign.label.fueleconomy_gov_set`: 40 CFR 600.210-12's 2017 set from
    MY2011 on, since fueleconomy.gov recomputed its MY2011-2016 estimates with it; the
    window sticker of MY2011-2016 carried the 2008 set of 600.210-08, which the
    comparison used until 4 Dec 2026); the label formula alone is also applied to the
    *measured* results, so the label error splits into model error and
    5-cycle-derivation error;
(f) EV range is left to the spec-based comparison (the battery is not in the EPA file).

Two sets of constants are judged:

* ``shipped``: ``keidesign/energy/calibration.toml`` as the model uses it;
* ``lofo``: the ICE constants (``pme0``, ``alpha``, ``idle_kw``, ``eta_cvt``, ``eta_at``,
  the cold-start ``k_cs`` and the grid of ``shift_rpm`` x ``cvt_min_rpm``) and the BEV
  constants (loss scale, regenerative share) refitted with every car of one *family*
  (make + model line, badge twins merged) left out, then that family predicted. For the
  ICE the refit is one Gauss-Newton step from the all-car least-squares optimum of every
  grid point on the remaining rows chooses the grid point, then the continuous constants
  are refitted on the remaining rows (least squares started from that step); the
  cold-start constant is refitted on the remaining cars' bags. A test holds this against
  a full refit (grid included). The BEV refit is a full one (it is cheap).

Errors are relative, ``model / measured - 1``; MAE = mean absolute error, bias = mean
error, worst = largest absolute error, per class (cvt, automatic, dct, manual, ev,
hybrid).

Hybrids (class ``hybrid``): the EPA file has no motor, so each configuration is joined to
its published hybrid system (``data/vehicles/hybrid_systems.csv``: traction-motor power,
architecture; :func:`keidesign.energy.testcars.hybrid_system`) and simulated by the HEV
model (:func:`keidesign.energy.calibration.predict_hev`) with the non-hybrid ICE and EV
constants and each engine's published compression ratio (an Atkinson engine's expansion
ratio; ``hybrid_systems.csv``, the reference 12.0 where none is published) and traction
motor's gearing (its published reduction to the wheels, a P2 motor on the selected gear:
:func:`keidesign.energy.calibration.hev_motor_gearing`): nothing is
fitted to hybrids. ``lofo`` uses the ICE constants refitted
without the hybrid's family (the Civic Hybrid's family includes the Civic), or the
all-car refit for a family with no conventional member.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any

import numpy as np
from scipy.optimize import least_squares

from keidesign import label as lab
from keidesign.energy import calibration as cal
from keidesign.energy import testcars as tc

__all__ = [
    "ICE_CLASSES", "Comparison", "GridFit", "KeiSet", "adfe_stats", "bev_lofo",
    "compare_labels", "ice_grid", "ice_lofo", "stats", "validate_adfe", "validate_unadjusted",
]

ICE_CLASSES = ("cvt", "automatic", "dct", "manual")
TESTS = ("ftp", "hwfet")


@dataclass
class Comparison:
    """Model vs measured for a list of cars.

    Attributes:
        cars: the test cars.
        measured, predicted: ``{test: (n,)}`` (mpg or MPGe).
        how: what the prediction is (``"shipped"``, ``"lofo"``, ...).
    """

    cars: list[tc.TestCar]
    measured: dict[str, np.ndarray]
    predicted: dict[str, np.ndarray]
    how: str
    extra: dict = field(default_factory=dict)

    def error(self, test: str) -> np.ndarray:
        return self.predicted[test] / self.measured[test] - 1.0


def stats(err: np.ndarray) -> dict[str, float]:
    """MAE, bias, worst (signed) and count of relative errors."""
    err = np.asarray(err, dtype=float)
    if err.size == 0:
        return {"n": 0, "mae": float("nan"), "bias": float("nan"), "worst": float("nan")}
    i = int(np.argmax(np.abs(err)))
    return {"n": int(err.size), "mae": float(np.mean(np.abs(err))),
            "bias": float(np.mean(err)), "worst": float(err[i])}


def _measured(cars: Sequence[tc.TestCar]) -> dict[str, np.ndarray]:
    return {t: np.array([car.tests[t] for car in cars]) for t in TESTS}


# ------------------------------------------------------------------ ICE refits
@dataclass
class GridFit:
    """Least-squares optimum of the continuous ICE constants at one grid point."""

    base: dict  # cold start + the two grid constants
    x: np.ndarray  # values of `names`
    fun: np.ndarray  # residuals (2n: log FTP errors, then log HWFET errors; kei rows last)
    jac: np.ndarray  # d fun / d x at the optimum
    names: tuple[str, ...] = cal.FIT_NAMES

    def fit(self, x: np.ndarray | None = None) -> dict:
        vals = self.x if x is None else x
        return {**self.base, **dict(zip(self.names, map(float, vals), strict=True))}


@dataclass
class KeiSet:
    """Kei WLTC rows in an ICE fit (the trial of ``benchmarks/ice_fit_trials.py``, probe
    ``ratio_fit``; not shipped): ``rows`` with ``predict(c, fit)`` (km/L), ``measured``
    and ``family`` (``ice_fit_trials.KeiFitRows``), and the weights ``(EPA (2n,), kei
    (m,))`` of the weighted log errors (``ice_fit_trials.joint_weights``)."""

    rows: Any
    weights: tuple[np.ndarray, np.ndarray]


def _resid(cars: list, c: dict, fit: dict, kei: KeiSet | None,
           keep: np.ndarray | None = None) -> np.ndarray:
    r = cal._log_resid(cars, c, fit)
    if kei is not None:
        w, rows = kei.weights, kei.rows
        r = np.concatenate([np.sqrt(w[0]) * r,
                            np.sqrt(w[1]) * np.log(rows.predict(c, fit) / rows.measured)])
    return r if keep is None else r[keep]


def ice_grid(cars: Sequence[tc.TestCar], c: dict,
             grid: Sequence[tuple[float, ...]] | None = None, kei: KeiSet | None = None,
             names: tuple[str, ...] = cal.FIT_NAMES) -> list[GridFit]:
    """All-car fits at every ``(shift_rpm, cvt_min_rpm[, schedule scale])`` grid point
    (the calibration's least squares on the log of the FTP and HWFET results; with
    ``kei``, the kei WLTC rows too, weighted). A point's third value is the scale of the
    manual's upshift speeds (``manual_schedule_mph`` = scale x
    :data:`~keidesign.energy.calibration.MAKERS_UPSHIFT_MPH` in its base); a two-value
    point leaves the schedule as ``c["ice"]`` has it (none: the shipped rule on every
    cycle). Default grid: the calibration's, ``SHIFT_GRID x CVT_GRID x
    SCHEDULE_SCALES``."""
    grid = list(grid or product(cal.SHIFT_GRID, cal.CVT_GRID, cal.SCHEDULE_SCALES))
    k_cs = cal.fit_cold_start(list(cars), c["fuel"]["lhv_kwh_per_galUS"])
    out = []
    x0, lb, ub = cal.fit_vectors(names)
    for shift, cvt, *scale in grid:
        base = {"cold_kwh_per_l": k_cs, "shift_rpm": shift, "cvt_min_rpm": cvt}
        if scale:
            base["manual_schedule_mph"] = cal.schedule_mph(scale[0])

        def fn(p, base=base):
            return _resid(list(cars), c, {**base, **dict(zip(names, p, strict=True))}, kei)

        r = least_squares(fn, x0, bounds=(lb, ub), x_scale=x0, xtol=1e-8, ftol=1e-8)
        out.append(GridFit(base, r.x.copy(), r.fun.copy(), r.jac.copy(), names))
    return out


def best_fit(grid: Sequence[GridFit]) -> dict:
    """The all-car fit: the grid point of least cost."""
    return min(grid, key=lambda g: float(g.fun @ g.fun)).fit()


def _step(g: GridFit, keep: np.ndarray) -> tuple[np.ndarray, float]:
    """One Gauss-Newton step of grid fit ``g`` on the residual rows ``keep``."""
    jac, r = g.jac[keep], g.fun[keep]
    dx = np.linalg.lstsq(jac, -r, rcond=None)[0]
    _, lb, ub = cal.fit_vectors(g.names)
    x = np.clip(g.x + dx, lb, ub)
    res = r + jac @ (x - g.x)
    return x, float(res @ res)


def ice_lofo(cars: Sequence[tc.TestCar], c: dict, grid: Sequence[GridFit],
             group: Callable[[tc.TestCar], str] = lambda car: car.family,
             exact: bool = True, only: Sequence[str] | None = None,
             kei: KeiSet | None = None) -> Comparison:
    """Leave-one-group-out predictions from the grid fits (module docstring).

    Per group: the grid point whose one-step refit on the remaining rows costs least,
    then (``exact``) the least squares of the continuous constants on the remaining
    rows, started from that step; ``exact=False`` keeps the one step. ``only``: hold out
    just these groups (the other predictions stay NaN). With ``kei`` (the grid fitted
    with it) the kei families are held out too, one at a time (groups ``kei:<model>``):
    ``extra["kei"]`` holds their WLTC km/L predictions (row order of ``kei.rows``)."""
    cars = list(cars)
    n = len(cars)
    groups = [group(car) for car in cars]
    k_groups = [f"kei:{f}" for f in kei.rows.family] if kei is not None else []
    pred = {t: np.full(n, np.nan) for t in TESTS}
    kei_pred = np.full(len(k_groups), np.nan)
    chosen = {}
    names = grid[0].names
    _, lb, ub = cal.fit_vectors(names)
    for gname in sorted(set(groups + k_groups) if only is None else set(only)):
        test = np.array([g == gname for g in groups])
        k_test = np.array([g == gname for g in k_groups], dtype=bool)
        keep = np.concatenate([~test, ~test, ~k_test])
        best = None
        for g in grid:
            x, cost = _step(g, keep)
            if best is None or cost < best[0]:
                best = (cost, g, x)
        _, g, x = best
        train = [car for car, t in zip(cars, test, strict=True) if not t]
        base = dict(g.base)
        if test.any() and any(car.bags for car in train):
            base["cold_kwh_per_l"] = cal.fit_cold_start(train, c["fuel"]["lhv_kwh_per_galUS"])
        if exact:
            def fn(p, base=base, train=train, keep=keep):
                fit = {**base, **dict(zip(names, p, strict=True))}
                if kei is None:
                    return cal._log_resid(train, c, fit)
                return _resid(cars, c, fit, kei, keep)

            x = least_squares(fn, x, bounds=(lb, ub), x_scale=cal.fit_vectors(names)[0],
                              xtol=1e-8, ftol=1e-8).x
        fit = {**base, **dict(zip(names, map(float, x), strict=True))}
        idx = np.flatnonzero(test)
        if idx.size:
            p = cal.predict_ice([cars[i] for i in idx], c, fit)
            for t in TESTS:
                pred[t][idx] = p[t]
        k_idx = np.flatnonzero(k_test)
        if k_idx.size:
            kei_pred[k_idx] = kei.rows.predict(c, fit, k_idx)
        chosen[gname] = fit
    return Comparison(cars, _measured(cars), pred, "lofo", {"fits": chosen, "kei": kei_pred})


def ice_exact_holdout(cars: Sequence[tc.TestCar], c: dict, family: str,
                      grid: Sequence[tuple[float, ...]] | None = None) -> Comparison:
    """A full refit without ``family`` (grid included), then that family predicted."""
    train = [car for car in cars if car.family != family]
    test = [car for car in cars if car.family == family]
    fit = best_fit(ice_grid(train, c, grid))
    return Comparison(test, _measured(test), cal.predict_ice(test, c, fit), "exact",
                      {"fit": fit})


# ------------------------------------------------------------------ BEV
def bev_lofo(cars: Sequence[tc.TestCar], c: dict) -> tuple[Comparison, dict]:
    """BEV loss constants fitted on all EVs, and leave-one-family-out predictions (the
    fit without each family in ``extra["fits"]``)."""
    cars = list(cars)
    fit_all = cal.fit_bev(cars, c)
    pred = {t: np.zeros(len(cars)) for t in TESTS}
    fits = {}
    for fam in sorted({car.family for car in cars}):
        idx = [i for i, car in enumerate(cars) if car.family == fam]
        train = [car for car in cars if car.family != fam]
        fits[fam] = cal.fit_bev(train, c)
        p = cal.predict_bev([cars[i] for i in idx], c, fits[fam])
        for t in TESTS:
            pred[t][idx] = p[t]
    return Comparison(cars, _measured(cars), pred, "lofo", {"fits": fits}), fit_all


# ------------------------------------------------------------------ (a) and (c)
def validate_unadjusted(cars: Sequence[tc.TestCar] | None = None, *, refit: bool = True,
                        grid: Sequence[tuple[float, ...]] | None = None) -> dict:
    """(a): shipped-constant and leave-one-family-out comparisons, ICE and EV.

    Returns ``{"ice_shipped", "ice_lofo", "ev_shipped", "ev_lofo": Comparison,
    "ice_fit": dict (all cars), "bev_fit": dict, "hybrids": [TestCar]}``."""
    cars = list(cars if cars is not None else tc.test_cars())
    ice = [car for car in cars if car.cls in ICE_CLASSES]
    ev = [car for car in cars if car.cls == "ev"]
    hyb = [car for car in cars if car.cls == "hybrid" and tc.hybrid_system(car) is not None]
    systems = [tc.hybrid_system(car) for car in hyb]
    c, fit, bev = cal.stored_fits()
    out: dict = {"hybrids": [car for car in cars if car.cls == "hybrid"]}
    out["ice_shipped"] = Comparison(ice, _measured(ice), cal.predict_ice(ice, c, fit),
                                    "shipped")
    out["ev_shipped"] = Comparison(ev, _measured(ev), cal.predict_bev(ev, c, bev), "shipped")
    if hyb:
        out["hybrid_shipped"] = Comparison(
            hyb, _measured(hyb), cal.predict_hev(hyb, c, fit, bev, systems), "shipped")
    if refit:
        cf = cal.fixed_constants()
        g = ice_grid(ice, cf, grid)
        out["ice_fit"] = best_fit(g)
        out["ice_lofo"] = ice_lofo(ice, cf, g)
        out["ev_lofo"], out["bev_fit"] = bev_lofo(ev, cf)
        if hyb:
            out["hybrid_lofo"] = hybrid_lofo(hyb, systems, cf, out)
    return out


def validate_adfe(res: dict | None = None) -> dict[str, Comparison]:
    """The model against the analytically derived results (``testcars`` docstring, item
    0): not measurements, so neither fitted nor in the tables of (a); reported apart so
    nothing is hidden. ``shipped``: the shipped constants. With ``res`` from
    :func:`validate_unadjusted` with its refits: ``lofo``, the configurations predicted
    by a leave-one-family-out refit, i.e. a fit on every measured configuration but the
    family's: ``res["ice_lofo"]``'s refit without the family, or, for a family with no
    measured configuration, the all-car refit ``res["ice_fit"]`` when it was fitted on
    every measured gasoline configuration (then it is that family's refit); ``allcar``,
    the others: the all-car refit of a subset (``--quick``), which lacks the family but
    is no leave-one-family-out refit (present only if any). A configuration's
    ``measured`` holds its derived values, NaN for a test it has none of
    (:func:`adfe_stats` skips those)."""
    cars = [car for car in tc.analytically_derived_cars() if car.cls in ICE_CLASSES]
    meas = {t: np.array([car.tests.get(t, np.nan) for car in cars]) for t in TESTS}
    c, fit, _ = cal.stored_fits()
    out = {"shipped": Comparison(cars, meas, cal.predict_ice(cars, c, fit), "shipped")}
    if res is None or "ice_lofo" not in res:
        return out
    fits = res["ice_lofo"].extra["fits"]
    every = {car.test_numbers for car in tc.test_cars() if car.cls in ICE_CLASSES}
    complete = {car.test_numbers for car in res["ice_lofo"].cars} == every
    cf = cal.fixed_constants()
    pred = {t: np.full(len(cars), np.nan) for t in TESTS}
    real = np.zeros(len(cars), dtype=bool)
    for fam in sorted({car.family for car in cars}):
        idx = [i for i, car in enumerate(cars) if car.family == fam]
        p = cal.predict_ice([cars[i] for i in idx], cf, fits.get(fam, res["ice_fit"]))
        for t in TESTS:
            pred[t][idx] = p[t]
        real[idx] = fam in fits or complete
    for how, sel in (("lofo", real), ("allcar", ~real)):
        if sel.any() or how == "lofo":
            out[how] = Comparison([car for car, s in zip(cars, sel, strict=True) if s],
                                  {t: meas[t][sel] for t in TESTS},
                                  {t: pred[t][sel] for t in TESTS}, how)
    return out


def adfe_stats(comp: Comparison) -> dict[str, dict[str, float]]:
    """:func:`stats` per test over the configurations that have a derived value."""
    out = {}
    for t in TESTS:
        e = comp.error(t)
        out[t] = stats(e[np.isfinite(e)])
    return out


def hybrid_lofo(cars: Sequence[tc.TestCar], systems: Sequence[tc.HybridSystem], c: dict,
                res: dict) -> Comparison:
    """Hybrids predicted with the ICE and EV constants refitted without their family
    (module docstring): the ``fits`` of ``res["ice_lofo"]`` and ``res["ev_lofo"]``, the
    all-car refits ``res["ice_fit"]``, ``res["bev_fit"]`` for a family absent there."""
    cars = list(cars)
    pred = {t: np.zeros(len(cars)) for t in TESTS}
    ice_fits, ev_fits = res["ice_lofo"].extra["fits"], res["ev_lofo"].extra["fits"]
    for fam in sorted({car.family for car in cars}):
        idx = [i for i, car in enumerate(cars) if car.family == fam]
        p = cal.predict_hev([cars[i] for i in idx], c, ice_fits.get(fam, res["ice_fit"]),
                            ev_fits.get(fam, res["bev_fit"]), [systems[i] for i in idx])
        for t in TESTS:
            pred[t][idx] = p[t]
    return Comparison(cars, _measured(cars), pred, "lofo")


def compare_labels(comp: Comparison) -> Comparison:
    """(c): label values derived from the predicted (and measured) unadjusted results
    against the fueleconomy.gov label of every car joined to a label row, with the
    derived 5-cycle set of that published value (:func:`keidesign.label.
    fueleconomy_gov_set`)."""
    rows, cars, idx = [], [], []
    for i, car in enumerate(comp.cars):
        row = tc.label_for(car)
        if row is not None:
            rows.append(row)
            cars.append(car)
            idx.append(i)
    idx_a = np.array(idx, dtype=int)
    meas = {"city": np.array([r.city for r in rows]), "hwy": np.array([r.hwy for r in rows]),
            "comb": np.array([r.comb for r in rows])}

    def labels(ftp: np.ndarray, hwy: np.ndarray) -> dict[str, np.ndarray]:
        city, high = np.zeros(len(cars)), np.zeros(len(cars))
        for j, car in enumerate(cars):
            coeffs = lab.fueleconomy_gov_set(car.year)
            city[j], high[j] = lab.label_from_unadjusted(ftp[j], hwy[j], coeffs,
                                                         ev=car.cls == "ev")
        return {"city": city, "hwy": high, "comb": lab.combined_55_45(city, high)}

    pred = labels(comp.predicted["ftp"][idx_a], comp.predicted["hwfet"][idx_a])
    from_meas = labels(comp.measured["ftp"][idx_a], comp.measured["hwfet"][idx_a])
    return Comparison(cars, meas, pred, f"label from {comp.how}",
                      {"from_measured": from_meas, "rows": rows})
