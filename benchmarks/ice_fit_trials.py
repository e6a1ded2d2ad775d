"""Issue 13's ICE-fit trials (3 Dec 2026, none shipped): the data and compression-ratio
modes the probes ``ratio_fit``, ``ratio_fit_more``, ``ratio_fit_specs`` (and the
``technology`` probe's per-row factors) refit and hold out, kept out of the shipped
calibration (:mod:`keidesign.energy.calibration`; docs/validation.md, "the compression
ratio in the ICE fit").

The shipped calibration fits the EPA rows alone, every row's engine at the reference
ratio :data:`keidesign.energy.powertrains.COMPRESSION_RATIO_REF` (Willans factor 1). The
trials:

* **EPA rows at their published ratio** (``c["epa_rows"]["compression_ratio"] =
  "published"``, :data:`EPA_COMPRESSION`): each row's Willans efficiency ``e`` scaled by
  :func:`keidesign.energy.powertrains.compression_efficiency` of its engine's ratio
  (``us_specs.csv``, :func:`keidesign.energy.testcars.engine_ratio`; else the US class
  default of its turbo flag, :data:`keidesign.energy.powertrains.
  US_COMPRESSION_RATIO_DEFAULT`): :func:`compression_factors`.
* **The kei WLTC rows as fit data** (:data:`ICE_FIT_DATA` ``epa+kei``,
  :class:`KeiFitRows`, :func:`fit_ice_joint`), weighted by :data:`KEI_WEIGHTINGS`.
* **A share of the fuel-air-cycle gain** ``cr_gain`` (``g``, fitted: :data:`CR_GAIN_TRIAL`)::

      factor = 1 + g (f(r) - 1)                                          [A]

  with ``f(r)`` the shipped factor (:func:`keidesign.energy.powertrains.
  compression_efficiency`, the fuel-air cycle's efficiency ratio to the reference,
  Heywood 1988 ch. 5 [R]); ``g`` = 1 is the shipped model, ``g`` < 1 a real engine
  realising part of the gain (heat transfer, combustion duration, the friction of
  higher peak pressures). Valid for ``g`` in 0-1.5 and ratios 8-15 (the shipped range).

* **Friction by cylinder size** (issue 13, s21h2, 5 Dec 2026; :func:`cylinder_volume`,
  :func:`cylinder_active`): the Willans friction term's size law ``V_d^alpha`` replaced
  by the bore scaling of Sandoval & Heywood's friction terms, ``V_d [(1 - phi) + phi
  (v_ref / v_c)^(2/3)]`` with the cylinder volume ``v_c`` (the EPA file's cylinder
  count, :func:`epa_cylinders`) and ``phi`` (``cyl_share``) fitted in place of
  ``alpha`` (:data:`CYL_FIT_NAMES`) or fixed (:data:`CYL_SHARE_FIXED`). Tried, not
  kept (docs/validation.md, probes ``cylinder_friction``, ``cylinder_friction_kei``).

The shipped calibration stays the one implementation: :func:`active` swaps in (by
``transmission_trials.swapped_in``) :func:`ice_fuel_segments` (the shipped function's
loop with the per-row factors of :func:`compression_factors`; with the shipped
``reference`` mode and no ``cr_gain`` bit-identical to it, ``tests/test_ratio_fit.py``),
:func:`fit_vectors` (also knows ``cr_gain``) and :func:`with_compression` (the
evaluated designs' ``e`` with the gain, for :meth:`KeiFitRows.predict`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import product
from types import SimpleNamespace
from typing import Any

import numpy as np
from scipy.optimize import least_squares

from geometry import ad as D
from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import vehicle as ev
from keidesign.energy.cycles import segments

#: The shipped functions the wrappers call (taken at import, before any patch).
SHIPPED = SimpleNamespace(ice_fuel_segments=cal.ice_fuel_segments,
                          fit_vectors=cal.fit_vectors, with_compression=pt.with_compression)

#: Compression ratio of the EPA rows (``c["epa_rows"]["compression_ratio"]``, absent:
#: ``reference``): ``reference`` (every row at :data:`keidesign.energy.powertrains.
#: COMPRESSION_RATIO_REF`, the shipped calibration) or ``published`` (the engine's ratio
#: of ``us_specs.csv``, else the US class default of the label's turbo flag).
EPA_COMPRESSION = ("reference", "published")
#: Data of the ICE fit: ``epa`` (the EPA rows alone: the shipped calibration) or
#: ``epa+kei`` (the EPA rows at their published ratio and the kei WLTC catalogue rows of
#: :func:`keidesign.energy.calibration.kei_wltc_check` at theirs, weighted by
#: :data:`KEI_WEIGHTINGS`: :func:`fit_ice_joint`). The EPA set alone cannot separate
#: engine size from compression ratio (its high-ratio engines are its large ones,
#: Skyactiv 2.0/2.5); the kei engines are small *and* high-ratio (0.66 L at 12.0).
ICE_FIT_DATA = ("epa", "epa+kei")
#: Weighting of the two sets in :func:`fit_ice_joint` (least squares on weighted log
#: errors): ``epa_family`` (the trial's default): every EPA residual (FTP, HWFET of a
#: configuration) weight 1, as in the shipped fit, and every kei *family* the weight of
#: the mean EPA family (EPA residuals / EPA families, ~33), shared by its rows: a family
#: is the unit of independent information (what the hold-out leaves out), so a kei
#: family counts as much as an EPA one and the 13 kei rows (10 model lines) carry 10 of
#: 49 family shares (20 % of the weight) instead of 13 of 1,311 residuals (1 %);
#: ``family``: every family of either set the same total weight, shared by its
#: residuals (the EPA rows re-weighted too: their hold-out error gets worse,
#: docs/validation.md).
KEI_WEIGHTINGS = ("epa_family", "family")
#: Start and bounds of the fitted share ``cr_gain`` of the fuel-air-cycle gain.
CR_GAIN_TRIAL = {"x0": 1.0, "lb": 0.0, "ub": 1.5}


def gain_efficiency(cr: float, turbo: bool, gain: float) -> float:
    """``1 + g (f(r) - 1)``: the share ``gain`` of the shipped compression factor's gain
    over the reference ratio (module docstring)."""
    return 1.0 + gain * (pt.compression_efficiency(cr, turbo) - 1.0)


def compression_factors(cars: list, c: dict, gain: float = 1.0) -> np.ndarray:
    """Willans-efficiency factor ``(n,)`` of each EPA row's compression ratio
    (:data:`EPA_COMPRESSION`; :func:`gain_efficiency` with ``gain``)."""
    how = c.get("epa_rows", {}).get("compression_ratio", "reference")
    if how not in EPA_COMPRESSION:
        raise ValueError(f"epa_rows.compression_ratio {how!r}: one of {EPA_COMPRESSION}")
    if how == "reference":
        return np.ones(len(cars))
    out = []
    for car in cars:
        turbo = bool(getattr(car, "turbo", False))
        cr = getattr(car, "compression_ratio", 0.0) or pt.US_COMPRESSION_RATIO_DEFAULT[turbo]
        out.append(gain_efficiency(cr, turbo, gain))
    return np.array(out)


def ice_fuel_segments(cars: list, c: dict, fit: dict,
                      seg_names: tuple[str, ...] = cal.SEG_EPA
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Calibration's ``ice_fuel_segments`` (fuel (J) per segment ``(n, n_seg)`` and
    cold-start fuel (J) ``(n,)`` of EPA rows) with each row's Willans efficiency times
    :func:`compression_factors` (``fit``'s ``cr_gain``, else 1). The shipped loop, one
    line added: held bit-identical to the shipped function in the shipped mode
    (``tests/test_ratio_fit.py``)."""
    seg = segments(seg_names)
    ice = cal._ice_kernel_consts(c, fit)
    x_all = cal.epa_ice_params(cars, c, c["roadload"]["rotating_mass_fraction"])
    fuel = np.zeros((len(cars), len(seg_names)))
    cold = np.zeros(len(cars))
    f_cr = compression_factors(cars, c, ice.pop("cr_gain", 1.0))
    for trans in sorted({car.trans for car in cars}):
        idx = np.array([i for i, car in enumerate(cars) if car.trans == trans])
        x = {k: v[idx] for k, v in x_all.items()}
        out = pt.ice_cycle(seg, x, trans, dict(ice, e=ice["e"] * f_cr[idx][:, None]),
                           manual_schedule=pt.manual_schedule(ice))
        fuel[idx] = out["fuel"]
        cold[idx] = out["cold"][:, 0]
    return fuel, cold


def fit_vectors(names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Calibration's ``fit_vectors`` that also knows ``cr_gain`` (:data:`CR_GAIN_TRIAL`)."""
    rows = [(CR_GAIN_TRIAL["x0"], CR_GAIN_TRIAL["lb"], CR_GAIN_TRIAL["ub"]) if n == "cr_gain"
            else tuple(float(v[0]) for v in SHIPPED.fit_vectors((n,))) for n in names]
    return tuple(np.array([r[i] for r in rows]) for i in range(3))


def with_compression(c: dict, cr: float, turbo: bool) -> dict:
    """The shipped ``with_compression``; with ``c["cr_gain"]`` the factor of
    :func:`gain_efficiency` instead."""
    if "cr_gain" not in c:
        return SHIPPED.with_compression(c, cr, turbo)
    return dict(c, e=c["e"] * gain_efficiency(cr, turbo, c["cr_gain"]))


def check_effect() -> None:
    """Raise unless the published ratios and a ``cr_gain`` move calibration's predicted
    FTP of the first EPA row with a published ratio other than the reference (the swap
    reaches :func:`keidesign.energy.calibration.predict_ice`)."""
    from keidesign.energy import testcars as tc

    c, fit, _ = cal.stored_fits()
    car = next(car for car in tc.test_cars() if car.cls in cal.ICE_CLASSES
               and car.compression_ratio and car.compression_ratio != pt.COMPRESSION_RATIO_REF)
    pub = joint_constants(c)
    base = cal.predict_ice([car], c, fit)["ftp"][0]
    for cc, ff in ((pub, fit), (pub, {**fit, "cr_gain": 0.5})):
        moved = cal.predict_ice([car], cc, ff)["ftp"][0]
        if not abs(moved / base - 1.0) > 1e-4:
            raise RuntimeError(f"ICE-fit trial does not reach calibration.predict_ice "
                               f"({car.key}: {base:.4f} -> {moved:.4f} mpg)")
        base = moved


@contextmanager
def active() -> Iterator[None]:
    """Calibration with the trials available, for the ``with`` block (the wrappers of
    this module swapped in, :func:`check_effect`; all undone on exit)."""
    from transmission_trials import swapped_in

    pairs = ((SHIPPED.ice_fuel_segments, ice_fuel_segments),
             (SHIPPED.fit_vectors, fit_vectors), (SHIPPED.with_compression, with_compression))
    with swapped_in(pairs, check_effect):
        yield


@dataclass(frozen=True)
class KeiFitRows:
    """The kei ICE rows of :func:`keidesign.energy.calibration.kei_wltc_check`
    (catalogue WLTC km/L) as fit data.

    Attributes:
        specs: one :class:`~keidesign.energy.vehicle.VehicleSpec` per row (the check's
            assumptions and the row's published compression ratio, else the kei class
            default).
        measured: catalogue WLTC, km/L.
        family: the ``kei.csv`` model (a family: its rows are held out together).
        turbo: turbocharged rows.
        name: ``model variant`` per row.
    """

    specs: tuple
    measured: np.ndarray
    family: tuple[str, ...]
    turbo: np.ndarray
    name: tuple[str, ...]

    @classmethod
    def load(cls) -> KeiFitRows:
        rows = [t for t in cal._kei_todo() if t[0]["powertrain"] != "BEV"]
        return cls(specs=tuple(cal.kei_spec(*t[:7]) for t in rows),
                   measured=np.array([float(t[0]["wltc_km_per_L"]) for t in rows]),
                   family=tuple(t[0]["model"] for t in rows),
                   turbo=np.array([t[0]["turbo"] == "yes" for t in rows]),
                   name=tuple(f"{t[0]['model']} {t[0]['variant']}" for t in rows))

    def predict(self, c: dict, fit: dict, idx: Any = None) -> np.ndarray:
        """Model WLTC km/L of the rows (``idx``: a subset) with the ICE fit ``fit`` on
        the constants ``c`` (``fixed_constants`` form; the BEV loss constants of the
        mild hybrids' motors from ``calibration.toml``)."""
        idx = range(len(self.specs)) if idx is None else idx
        consts = {**c, "ice": cal.ice_section(c["ice"], fit),
                  "bev": {**c["bev"], **cal._stored_fit()["bev"]}}
        res = ev.simulate([self.specs[i] for i in idx], constants=consts)
        return np.asarray(res["wltc_km_per_l"], dtype=float)


def joint_weights(cars: list, kei: KeiFitRows, how: str = "epa_family"
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares weights ``(EPA (2n,): FTP then HWFET residuals, kei (m,))`` of
    :data:`KEI_WEIGHTINGS` ``how``."""
    if how not in KEI_WEIGHTINGS:
        raise ValueError(f"kei weighting {how!r}: one of {KEI_WEIGHTINGS}")
    fam_e = [car.family for car in cars] * 2
    n_e = {f: fam_e.count(f) for f in set(fam_e)}
    n_k = {f: kei.family.count(f) for f in set(kei.family)}
    if how == "epa_family":
        share = len(fam_e) / len(n_e)
        return np.ones(len(fam_e)), np.array([share / n_k[f] for f in kei.family])
    return (np.array([1.0 / n_e[f] for f in fam_e]),
            np.array([1.0 / n_k[f] for f in kei.family]))


def joint_resid(cars: list, kei: KeiFitRows | None, c: dict, fit: dict,
                w: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Weighted log errors: the EPA FTP and HWFET results, then the kei WLTC rows (none
    if ``kei`` is None)."""
    r = np.sqrt(w[0]) * cal._log_resid(cars, c, fit)
    if kei is None:
        return r
    return np.concatenate([r, np.sqrt(w[1]) * np.log(kei.predict(c, fit) / kei.measured)])


def joint_constants(c: dict | None = None) -> dict:
    """``fixed_constants`` with the EPA rows at their published compression ratio (the
    data of ``epa+kei``, :data:`ICE_FIT_DATA`)."""
    c = c or cal.fixed_constants()
    return {**c, "epa_rows": {**c["epa_rows"], "compression_ratio": "published"}}


def fit_ice_joint(cars: list, kei: KeiFitRows, c: dict | None = None,
                  weighting: str = "epa_family", names: tuple[str, ...] = cal.FIT_NAMES,
                  grid: Any = None) -> dict:
    """The ICE constants fitted on the EPA rows and the kei WLTC rows (``epa+kei``): as
    the shipped ``fit_ice`` (cold start on the EPA bags, least squares of ``names`` at
    every grid point, the best point kept) on :func:`joint_resid` weighted by
    :func:`joint_weights`; the EPA rows at their published compression ratio
    (:func:`joint_constants`). Call it inside :func:`active`."""
    c = joint_constants(c)
    w = joint_weights(cars, kei, weighting)
    x0, lb, ub = fit_vectors(names)
    k_cs = cal.fit_cold_start(cars, c["fuel"]["lhv_kwh_per_galUS"])
    best = None
    for shift, cvt in grid or product(cal.SHIFT_GRID, cal.CVT_GRID):
        base = {"cold_kwh_per_l": k_cs, "shift_rpm": shift, "cvt_min_rpm": cvt}

        def fn(p, base=base):
            return joint_resid(cars, kei, c, {**base, **dict(zip(names, p, strict=True))}, w)

        r = least_squares(fn, x0, bounds=(lb, ub), x_scale=x0, xtol=1e-8, ftol=1e-8)
        if best is None or r.cost < best[0] - 1e-12:
            best = (r.cost, {**base, **dict(zip(names, map(float, r.x), strict=True))})
    return best[1]


def with_trials(fn: Callable) -> Callable:
    """``fn`` run inside :func:`active` (a probe's decorator)."""
    @functools.wraps(fn)
    def run(*a: Any, **k: Any) -> Any:
        with active():
            return fn(*a, **k)
    return run


# ------------------------------------------------------------- per-cylinder friction
# Issue 13, s21h2 (5 Dec 2026): the size law of the Willans friction term by cylinder
# size instead of the fitted exponent of the displacement (module docstring of
# :func:`cylinder_volume`).

#: Reference cylinder of the per-cylinder friction law, L (a 2.0 L four's cylinder; the
#: fitted ``pme0_bar`` is the zero-load mep of an engine of such cylinders).
CYL_REF_L = 0.5
#: Start and bounds of the fitted share ``cyl_share`` of the zero-load mep that scales
#: with the cylinder's bore (0: none, the mep independent of size; 1: all of it).
CYL_SHARE_TRIAL = {"x0": 0.5, "lb": 0.0, "ub": 1.0}
#: Fixed values of ``cyl_share`` tried with the published ratios (one fitted level less):
#: 0.15, about the share of the size-dependent Sandoval & Heywood terms (rings, seals,
#: cam bearings, ~12-15 kPa at 2000 rpm for a 0.5 L cylinder of B = S = 86 mm, R) in
#: the fitted zero-load mep (82-116 kPa); 0.52, the share the fit at 12.0 finds.
CYL_SHARE_FIXED = (0.15, 0.52)
#: The ICE fit names with the per-cylinder law: ``cyl_share`` in place of ``alpha`` (the
#: same number of fitted constants).
CYL_FIT_NAMES = tuple("cyl_share" if n == "alpha" else n for n in cal.FIT_NAMES)
#: The shipped ``effective_volume`` and ``epa_ice_params`` and this module's
#: ``fit_vectors`` (taken at import; held in a namespace, out of the swap's reach).
SHIPPED_CYL = SimpleNamespace(effective_volume=pt.effective_volume,
                              epa_ice_params=cal.epa_ice_params, fit_vectors=fit_vectors)


def cylinders_of_displacement(vd_l: Any) -> np.ndarray:
    """Cylinder count where none is given: the import's rule (``keidesign.specs.build``:
    below 1.1 L 3, below 2.6 L 4, below 3.7 L 6, else 8; every current kei engine of
    0.66 L has 3 cylinders, A)."""
    vd = np.real(np.asarray(D.value(vd_l), dtype=complex))
    return np.where(vd < 1.1, 3.0, np.where(vd < 2.6, 4.0, np.where(vd < 3.7, 6.0, 8.0)))


def cylinder_volume(x: dict, c: dict) -> Any:
    """Effective swept volume (m^3) of the Willans friction term by cylinder size (the
    trial's ``effective_volume``; without ``c["cyl_share"]`` the shipped one)::

        V_eff = V_d [(1 - phi) + phi (v_ref / v_c)^(2/3)],   v_c = V_d / n_c      [m^3]

    so that ``p_me0 V_eff = V_d [p_me0 (1 - phi) + p_me0 phi (B_ref / B)^2]``: of the
    zero-load mep of the reference cylinder (``v_ref`` = :data:`CYL_REF_L`), the share
    ``phi`` (``cyl_share``, fitted, 0-1) scales with the bore as ``1 / B^2`` and the rest
    does not depend on size.

    Physics and sources: the friction mep terms of Patton, Nitschke & Heywood (SAE
    890836) as revised by Sandoval & Heywood ("An Improved Friction Model for
    Spark-Ignition Engines", SAE 2003-01-0725; Heywood, *Internal Combustion Engine
    Fundamentals*, 2nd ed., 2018, ch. 13) [R: the terms' forms recalled with these
    citations, the coefficients not read]: crankshaft seals ``~ D_b / (B^2 S n_c)``,
    piston-ring tension ``~ (1 + 500 / N) / B^2``, cam bearings ``~ N n_b / (B^2 S
    n_c)``, flat followers ``~ n_v / (S n_c)``; the hydrodynamic piston-skirt term ``~
    S_p / B`` and the accessories and pumping terms do not depend on size at a given
    engine speed. With the bearing diameters, valve count per cylinder and stroke-to-bore
    ratio the same for every engine (A: S/B 0.9-1.1 for the engines in the data), the
    size-dependent terms go as ``1 / B^2 ~ v_c^(-2/3)`` (the follower's ``1 / B`` and the
    cam bearings' ``1 / B^3`` lumped into it, A), so at fixed total displacement more,
    smaller cylinders have more friction per litre. The speed term ``p_b (N / 1000
    rpm)^2`` multiplies the same ``V_eff`` (as shipped; A). ``n_c`` = ``x["ncyl"]``, else
    :func:`cylinders_of_displacement`. Units: ``x["vd"]`` L, ``n_c`` -. Validity:
    0.2-0.7 L cylinders (kei 0.22 L to the EPA rows' 0.25-0.65 L), 3-6 cylinders."""
    if "cyl_share" not in c:
        return SHIPPED_CYL.effective_volume(x, c)
    vd = x["vd"]
    ncyl = x["ncyl"] if "ncyl" in x else cylinders_of_displacement(vd)
    phi = c["cyl_share"]
    return vd * ((1.0 - phi) + phi * (CYL_REF_L * ncyl / vd) ** (2.0 / 3.0)) * 1e-3


@functools.cache
def _epa_cylinders() -> dict[str, float]:
    """``# of Cylinders and Rotors`` of the EPA test-car file by test number."""
    from keidesign.energy import testcars as tc

    out = {}
    for r in tc._csv("epa_testcar_small_2011_2023.csv"):
        try:
            out[r["Test Number"]] = float(r["# of Cylinders and Rotors"])
        except ValueError:
            pass
    return out


def epa_cylinders(cars: list) -> np.ndarray:
    """Cylinder count ``(n,)`` of EPA rows (the file's, else the import's rule)."""
    cyl = _epa_cylinders()
    out = []
    for car in cars:
        n = next((cyl[t] for t in getattr(car, "test_numbers", ()) if t in cyl), None)
        out.append(n if n else float(cylinders_of_displacement(car.vd)))
    return np.array(out)


def epa_ice_params_cyl(cars: list, c: dict, frot: float) -> dict:
    """Calibration's ``epa_ice_params`` with the rows' cylinder counts (``ncyl``)."""
    x = SHIPPED_CYL.epa_ice_params(cars, c, frot)
    return {**x, "ncyl": epa_cylinders(cars)[:, None]}


def fit_vectors_cyl(names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``fit_vectors`` that also knows ``cyl_share`` (:data:`CYL_SHARE_TRIAL`)."""
    rows = [(CYL_SHARE_TRIAL["x0"], CYL_SHARE_TRIAL["lb"], CYL_SHARE_TRIAL["ub"])
            if n == "cyl_share" else tuple(float(v[0]) for v in SHIPPED_CYL.fit_vectors((n,)))
            for n in names]
    return tuple(np.array([r[i] for r in rows]) for i in range(3))


def check_cyl_effect() -> None:
    """Raise unless ``cyl_share`` moves calibration's predicted FTP of a 3-cylinder EPA
    row (the swap reaches :func:`keidesign.energy.calibration.predict_ice`)."""
    from keidesign.energy import testcars as tc

    c, fit, _ = cal.stored_fits()
    cars = [car for car in tc.test_cars() if car.cls in cal.ICE_CLASSES]
    car = next(car for car, n in zip(cars, epa_cylinders(cars), strict=True) if n == 3)
    f0 = {k: v for k, v in fit.items() if k != "alpha"}
    a = cal.predict_ice([car], c, {**f0, "cyl_share": 0.0})["ftp"][0]
    b = cal.predict_ice([car], c, {**f0, "cyl_share": 1.0})["ftp"][0]
    if not abs(b / a - 1.0) > 1e-3:
        raise RuntimeError(f"per-cylinder friction trial does not reach predict_ice "
                           f"({car.key}: {a:.4f} -> {b:.4f} mpg)")


@contextmanager
def cylinder_active() -> Iterator[None]:
    """Calibration and kernel with the per-cylinder friction law available (and the
    compression-ratio trials of :func:`active`), for the ``with`` block; all undone on
    exit."""
    from transmission_trials import swapped_in

    with active():
        pairs = ((SHIPPED_CYL.effective_volume, cylinder_volume),
                 (SHIPPED_CYL.epa_ice_params, epa_ice_params_cyl),
                 (fit_vectors, fit_vectors_cyl))
        with swapped_in(pairs, check_cyl_effect):
            yield
