"""Calibration of the energy-model constants on the EPA MY2022 test-car list rows.

Run ``python -m keidesign.energy.calibration`` to print the fit, the per-vehicle
predicted vs measured values and the error statistics, and to compare the fitted
constants with ``calibration.toml`` (``--check`` exits 1 on a mismatch); ``--write``
rewrites ``calibration.toml`` from the fit.

Data: ``keidesign/data/vehicles/epa_testcar_my2022_small.csv`` (EPA Test Car List
MY2022). Each row gives the equivalent test weight (``etw_kg``, the dynamometer inertia
setting), the target road-load coefficients in SI (``F0_N``, ``F1_N_per_mps``,
``F2_N_per_mps2``: they embed the real Cd A and Crr, so they are used directly) and the
measured unadjusted result ``RND_ADJ_FE``: mpg on Tier 2 certification gasoline for
``Federal fuel 2-day exhaust`` (FTP-75) and ``HWFE`` rows; for ``Electricity`` rows
MPGe = 33.705 kWh/gal over the AC energy from the wall (SAE J1634 charge-depleting
UDDS / highway). The row's ``m_eff = etw_kg (1 + f_rot)``.

ICE fit: least squares on the relative error of the fuel per mile,
``sum (FC_pred/FC_meas - 1)^2``, over the 12 ICE test vehicles x 2 tests. For a fixed
manual-gearbox factor the model is linear in ``(1/eta_ftp, 1/eta_hwfet, p_idle)``;
the factor is found by a bounded scalar search. Candidate structures (shared vs
per-test efficiency, idle fuel scaled with displacement or not, manual factor or not)
are compared by their leave-one-vehicle-out and leave-one-model-family-out errors; the
chosen one is the ``per-test eta, idle ~ V_d, MT factor`` structure (see
``docs/energy.md`` for why).

BEV fit: least squares on the relative wall-energy error of the Nissan Leaf rows
(40 and 62 kWh, 2 configurations each) for ``(1/eta_drive, eta_regen)``, with
``eta_charge`` and ``P_aux`` fixed. The Chevrolet Bolt EV rows are excluded: their
values (UDDS 129/132, highway 109) equal the Bolt's *label* MPGe (131/109), i.e. they
look like 0.7-adjusted values, and as unadjusted values they would imply a 63 %
highway wall-to-wheel efficiency, physically implausible next to the Leaf's 87 %. They
are reported as a check both ways, as are the FASTSim i-MiEV label values.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar

from keidesign.energy.cycles import METRES_PER_MILE, DriveTest, get_test, wltc
from keidesign.energy.roadload import (
    J_PER_KWH,
    cycle_basis,
    load_constants,
    phase_basis,
    tractive_energy,
)

__all__ = ["CalRow", "fit_bev", "fit_ice", "fixed_constants", "load_rows", "main"]

TOML_PATH = Path(__file__).with_name("calibration.toml")

# ---------------------------------------------------------------- fixed assumptions
#: Tier 2 certification gasoline properties, the sample fuel of 40 CFR 600 App. II(b):
#: specific gravity 0.745, net (lower) heating value 18,478 Btu/lb; water at 60 F =
#: 3781.8 g per US gallon (the constant of the 40 CFR 600.113-12 equations).
FUEL_SG = 0.745
FUEL_NHV_BTU_PER_LB = 18478.0
WATER_G_PER_GAL = 3781.8
KJ_PER_KG_PER_BTU_PER_LB = 2.326


def lhv_kwh_per_gal() -> float:
    """Lower heating value of the certification gasoline per US gallon (kWh)."""
    kg = FUEL_SG * WATER_G_PER_GAL / 1000.0
    return kg * FUEL_NHV_BTU_PER_LB * KJ_PER_KG_PER_BTU_PER_LB / 3600.0


def fixed_constants() -> dict:
    """Assumed (not fitted) constants, with their sources in the TOML comments."""
    return {
        "roadload": {"rho_air": 1.2, "g": 9.80665, "rotating_mass_fraction": 0.03,
                     "smoothing_w": 50.0},
        "fuel": {"lhv_kwh_per_galUS": round(lhv_kwh_per_gal(), 4),
                 "mpge_kwh_per_gal": 33.705},
        "bev": {"eta_charge": 0.90, "aux_kw": 0.25},
    }


# ---------------------------------------------------------------- data
TEST_OF_PROCEDURE = {
    "Federal fuel 2-day exhaust (w/can load)": "ftp",
    "HWFE": "hwfet",
    "Charge Depleting UDDS": "ftp",  # BEV: UDDS (bags 1+2, repeated); same per-mile basis
    "Charge Depleting Highway": "hwfet",
}


@dataclass
class CalRow:
    """One EPA test-car row with its computed tractive energies."""

    model: str
    config: str
    trans: str  # EPA code: CVT, M, A, OT
    fuel: str  # "gasoline" or "electricity"
    test: str  # "ftp" or "hwfet"
    etw: float
    f0: float
    f1: float
    f2: float
    displacement_l: float
    measured: float  # mpg or MPGe (unadjusted, as listed)
    # per-mile composites (kWh/mi) and weighted time per mile (s/mi)
    e_pos: float = 0.0
    e_brake: float = 0.0
    t_per_mi: float = 0.0
    family: str = field(init=False)

    def __post_init__(self):
        self.family = self.model.split()[0]

    @property
    def key(self) -> str:
        return f"{self.model} #{self.config} {self.trans}"


def _composite(test: DriveTest, bases, theta: np.ndarray, eps: float):
    dmi = test.distance / METRES_PER_MILE
    w = test.weights
    res = [tractive_energy(b, theta, eps) for b in bases]
    e_pos = w @ np.array([r[0] for r in res]) / J_PER_KWH / dmi
    e_brk = w @ np.array([r[1] for r in res]) / J_PER_KWH / dmi
    return float(e_pos), float(e_brk), float(test.duration / dmi)


def load_rows(consts: dict | None = None) -> list[CalRow]:
    """Read the EPA rows and compute their tractive energies with the model's functions."""
    c = consts or {**fixed_constants()}
    frot = c["roadload"]["rotating_mass_fraction"]
    eps = c["roadload"]["smoothing_w"]
    ref = resources.files("keidesign").joinpath(
        "data", "vehicles", "epa_testcar_my2022_small.csv")
    with ref.open("r", encoding="utf-8") as fh:
        raw = list(csv.DictReader(fh))
    rows = []
    for r in raw:
        test = TEST_OF_PROCEDURE[r["Test Procedure Description"]]
        elec = r["Test Fuel Type Description"] == "Electricity"
        row = CalRow(
            model=r["Represented Test Veh Model"], config=r["Test Veh Configuration #"],
            trans=r["Tested Transmission Type Code"],
            fuel="electricity" if elec else "gasoline", test=test,
            etw=float(r["etw_kg"]), f0=float(r["F0_N"]), f1=float(r["F1_N_per_mps"]),
            f2=float(r["F2_N_per_mps2"]),
            displacement_l=0.0 if elec else float(r["Test Veh Displacement (L)"]),
            measured=float(r["RND_ADJ_FE"]))
        theta = np.array([row.etw * (1 + frot), row.f0, row.f1, row.f2])
        row.e_pos, row.e_brake, row.t_per_mi = _composite(
            get_test(test), cycle_basis(test), theta, eps)
        rows.append(row)
    return rows


# ---------------------------------------------------------------- ICE fit
@dataclass(frozen=True)
class IceStructure:
    name: str
    per_test_eta: bool
    idle_scales_with_v: bool
    mt_factor: bool


ICE_STRUCTURES = (
    IceStructure("shared eta, idle ~ V_d", False, True, False),
    IceStructure("shared eta, idle ~ V_d, MT factor", False, True, True),
    IceStructure("per-test eta, idle constant, MT factor", True, False, True),
    IceStructure("per-test eta, idle ~ V_d, MT factor", True, True, True),
)
CHOSEN_ICE = ICE_STRUCTURES[3]


def _ice_columns(row: CalRow, s: IceStructure) -> np.ndarray:
    idle = row.t_per_mi / 3600.0 * (row.displacement_l if s.idle_scales_with_v else 1.0)
    if s.per_test_eta:
        return np.array([row.e_pos if row.test == "ftp" else 0.0,
                         row.e_pos if row.test == "hwfet" else 0.0, idle])
    return np.array([row.e_pos, idle])


def _ice_fc_meas(row: CalRow, lhv: float) -> float:
    return lhv / row.measured


def fit_ice(rows: list[CalRow], s: IceStructure = CHOSEN_ICE, lhv: float | None = None
            ) -> dict:
    """Fit the ICE constants; return ``eta`` per test, ``idle_kw_per_l``, ``f_mt``."""
    lhv = lhv_kwh_per_gal() if lhv is None else lhv
    A = np.array([_ice_columns(r, s) for r in rows])
    y = np.array([_ice_fc_meas(r, lhv) for r in rows])
    mt = np.array([r.trans == "M" for r in rows], dtype=float)

    def solve(f):
        scale = (1.0 + f * mt) / y
        p, *_ = np.linalg.lstsq(A * scale[:, None], np.ones_like(y), rcond=None)
        return p, float(np.sum((A @ p * scale - 1.0) ** 2))

    f_mt = 0.0
    if s.mt_factor:
        f_mt = float(minimize_scalar(lambda f: solve(f)[1], bounds=(-0.3, 0.5),
                                     method="bounded", options={"xatol": 1e-8}).x)
    p, _ = solve(f_mt)
    if s.per_test_eta:
        eta = {"ftp": 1.0 / p[0], "hwfet": 1.0 / p[1]}
    else:
        eta = {"ftp": 1.0 / p[0], "hwfet": 1.0 / p[0]}
    return {"eta": eta, "idle": float(p[-1]), "f_mt": f_mt, "structure": s}


def predict_ice(row: CalRow, fit: dict, lhv: float | None = None) -> float:
    """Predicted mpg of an ICE row with fitted constants."""
    lhv = lhv_kwh_per_gal() if lhv is None else lhv
    s = fit["structure"]
    idle = row.t_per_mi / 3600.0 * (row.displacement_l if s.idle_scales_with_v else 1.0)
    fc = row.e_pos / fit["eta"][row.test] + fit["idle"] * idle
    fc *= 1.0 + (fit["f_mt"] if row.trans == "M" else 0.0)
    return lhv / fc


def _holdout(rows, fitter, predictor, group) -> np.ndarray:
    errs = np.zeros(len(rows))
    for g in sorted({group(r) for r in rows}):
        train = [r for r in rows if group(r) != g]
        f = fitter(train)
        for i, r in enumerate(rows):
            if group(r) == g:
                errs[i] = predictor(r, f) / r.measured - 1.0
    return errs


def _stats(e: np.ndarray) -> dict:
    return {"rms": float(np.sqrt(np.mean(e**2))), "max_abs": float(np.max(np.abs(e))),
            "mean": float(np.mean(e))}


def ice_report(rows: list[CalRow]) -> dict:
    """Fit every ICE structure; return fits, in-sample and hold-out errors."""
    ice = [r for r in rows if r.fuel == "gasoline"]
    out = {"rows": ice, "structures": []}
    for s in ICE_STRUCTURES:
        f = fit_ice(ice, s)
        e = np.array([predict_ice(r, f) / r.measured - 1.0 for r in ice])
        loo = _holdout(ice, lambda tr, s=s: fit_ice(tr, s), predict_ice, lambda r: r.key)
        lfo = _holdout(ice, lambda tr, s=s: fit_ice(tr, s), predict_ice,
                       lambda r: r.family)
        out["structures"].append({"structure": s, "fit": f, "err": e, "loo": loo,
                                  "lfo": lfo})
    return out


# ---------------------------------------------------------------- BEV fit
def _bev_terms(row: CalRow, c: dict) -> tuple[np.ndarray, float]:
    eta_c, aux = c["bev"]["eta_charge"], c["bev"]["aux_kw"]
    cols = np.array([row.e_pos / eta_c, -row.e_brake / eta_c])
    offset = aux * row.t_per_mi / 3600.0 / eta_c
    return cols, offset


def bev_kwh_meas(row: CalRow, c: dict) -> float:
    return c["fuel"]["mpge_kwh_per_gal"] / row.measured


def fit_bev(rows: list[CalRow], c: dict | None = None) -> dict:
    """Fit ``eta_drive`` and ``eta_regen`` on BEV rows (relative least squares)."""
    c = c or fixed_constants()
    A = np.array([_bev_terms(r, c)[0] for r in rows])
    off = np.array([_bev_terms(r, c)[1] for r in rows])
    y = np.array([bev_kwh_meas(r, c) for r in rows])
    p, *_ = np.linalg.lstsq(A / y[:, None], 1.0 - off / y, rcond=None)
    return {"eta_drive": 1.0 / p[0], "eta_regen": float(p[1])}


def predict_bev_kwh(e_pos: float, e_brake: float, t_per_mi: float, fit: dict,
                    c: dict | None = None) -> float:
    """Wall kWh/mi from per-mile tractive energies (kWh/mi) and time per mile (s/mi)."""
    c = c or fixed_constants()
    b = c["bev"]
    return (e_pos / fit["eta_drive"] - fit["eta_regen"] * e_brake
            + b["aux_kw"] * t_per_mi / 3600.0) / b["eta_charge"]


def predict_bev(row: CalRow, fit: dict, c: dict | None = None) -> float:
    """Predicted MPGe of a BEV row."""
    c = c or fixed_constants()
    kwh = predict_bev_kwh(row.e_pos, row.e_brake, row.t_per_mi, fit, c)
    return c["fuel"]["mpge_kwh_per_gal"] / kwh


def bev_report(rows: list[CalRow]) -> dict:
    c = fixed_constants()
    leaf = [r for r in rows if r.fuel == "electricity" and r.family == "LEAF"]
    bolt = [r for r in rows if r.fuel == "electricity" and r.family == "BOLT"]
    f = fit_bev(leaf, c)
    e = np.array([predict_bev(r, f, c) / r.measured - 1.0 for r in leaf])
    loo = _holdout(leaf, lambda tr: fit_bev(tr, c), lambda r, ff: predict_bev(r, ff, c),
                   lambda r: r.key)
    return {"rows": leaf, "fit": f, "err": e, "loo": loo, "bolt": bolt}


# ---------------------------------------------------------------- cross-checks
def design_theta(mass: float, cd: float, area: float, crr: float, c: dict) -> np.ndarray:
    r = c["roadload"]
    return np.array([mass * (1 + r["rotating_mass_fraction"]), crr * mass * r["g"], 0.0,
                     0.5 * r["rho_air"] * cd * area])


def per_mile(test: DriveTest, theta: np.ndarray, eps: float) -> tuple[float, float, float]:
    """(E+ kWh/mi, E_brake kWh/mi, s/mi) of an arbitrary drive test."""
    return _composite(test, tuple(phase_basis(p) for p in test.phases), theta, eps)


def fastsim_row(name: str) -> dict:
    ref = resources.files("keidesign").joinpath("data", "vehicles", "fastsim_small_cars.csv")
    with ref.open("r", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["name"] == name:
                return r
    raise KeyError(name)


# ---------------------------------------------------------------- TOML
def fitted_constants(rows: list[CalRow] | None = None) -> dict:
    """All constants: fixed assumptions plus the chosen fits and their error stats."""
    rows = rows if rows is not None else load_rows()
    ice = ice_report(rows)
    chosen = next(x for x in ice["structures"] if x["structure"] == CHOSEN_ICE)
    f = chosen["fit"]
    bev = bev_report(rows)
    c = fixed_constants()
    c["ice"] = {
        "eta": {"ftp": f["eta"]["ftp"], "hwfet": f["eta"]["hwfet"]},
        "idle_kw_per_l": f["idle"],
        "transmission_factor": {"cvt": 1.0, "at4": 1.0, "at6": 1.0,
                                "mt5": 1.0 + f["f_mt"], "single_speed": 1.0},
        "fit": {"n_vehicles": len({r.key for r in ice["rows"]}), "n_rows": len(ice["rows"]),
                "rms": _stats(chosen["err"])["rms"],
                "max_abs": _stats(chosen["err"])["max_abs"],
                "loo_rms": _stats(chosen["loo"])["rms"],
                "lfo_rms": _stats(chosen["lfo"])["rms"]},
    }
    c["bev"].update({
        "eta_drive": bev["fit"]["eta_drive"], "eta_regen": bev["fit"]["eta_regen"],
        "fit": {"n_rows": len(bev["rows"]), "rms": _stats(bev["err"])["rms"],
                "max_abs": _stats(bev["err"])["max_abs"],
                "loo_rms": _stats(bev["loo"])["rms"]},
    })
    return c


def _g(x: float) -> str:
    """TOML float with 6 significant digits (always with a '.' or an exponent)."""
    s = f"{x:.6g}"
    return s if ("." in s or "e" in s) else s + ".0"


def toml_text(c: dict) -> str:
    """The full ``calibration.toml`` text (comments carry the sources)."""
    r, fu, ice, bev = c["roadload"], c["fuel"], c["ice"], c["bev"]
    tf = ice["transmission_factor"]
    return f"""\
# Energy-model constants (keidesign.energy). WRITTEN BY
#   python -m keidesign.energy.calibration --write
# and checked by `python -m keidesign.energy.calibration --check` and the tests.
# Do not edit by hand: change the assumptions in calibration.py and re-run.
# Fit data: keidesign/data/vehicles/epa_testcar_my2022_small.csv (EPA Test Car List MY2022).

[roadload]
# Air density at standard conditions (~20 degC, 101.3 kPa), kg/m^3.
rho_air = {_g(r["rho_air"])}
# Standard gravity, m/s^2.
g = {_g(r["g"])}
# Rotating-mass allowance: m_eff = m (1 + f); UN GTR No. 15 Annex 4 para. 2.5.1 estimate.
rotating_mass_fraction = {_g(r["rotating_mass_fraction"])}
# Smoothing power eps (W) of the positive part s(P) = (P + sqrt(P^2 + eps^2))/2.
smoothing_w = {_g(r["smoothing_w"])}

[fuel]
# LHV of Tier 2 certification gasoline per US gal: SG 0.745 x 3781.8 g/gal x NHV
# 18,478 Btu/lb (sample fuel of 40 CFR 600 App. II(b)) = 114,800 Btu/gal.
lhv_kwh_per_galUS = {_g(fu["lhv_kwh_per_galUS"])}
# EPA gallon-equivalent of electricity (MPGe), kWh per gallon.
mpge_kwh_per_gal = {_g(fu["mpge_kwh_per_gal"])}

[ice]
# FITTED: wheel-to-fuel cycle-mean efficiency per test (FTP includes the cold start).
eta = {{ ftp = {_g(ice["eta"]["ftp"])}, hwfet = {_g(ice["eta"]["hwfet"])} }}
# FITTED: idle/friction fuel power per litre of displacement, over the whole test time, kW/L.
idle_kw_per_l = {_g(ice["idle_kw_per_l"])}
# FITTED (mt5 only): multiplier on fuel; CVT = 1 by definition; AT assumed = CVT
# (one 6-speed AT in the data); single_speed for completeness.
transmission_factor = {{ cvt = {_g(tf["cvt"])}, at4 = {_g(tf["at4"])}, \
at6 = {_g(tf["at6"])}, mt5 = {_g(tf["mt5"])}, single_speed = {_g(tf["single_speed"])} }}

[ice.fit]
# Relative mpg errors (pred/meas - 1) of the fit above; loo = leave one vehicle out,
# lfo = leave one model family (Mirage, Versa, MX-5) out.
n_vehicles = {ice["fit"]["n_vehicles"]}
n_rows = {ice["fit"]["n_rows"]}
rms = {_g(ice["fit"]["rms"])}
max_abs = {_g(ice["fit"]["max_abs"])}
loo_rms = {_g(ice["fit"]["loo_rms"])}
lfo_rms = {_g(ice["fit"]["lfo_rms"])}

[bev]
# FITTED: battery-to-wheel propulsion efficiency.
eta_drive = {_g(bev["eta_drive"])}
# FITTED: share of the braking energy at the wheels returned to the battery.
eta_regen = {_g(bev["eta_regen"])}
# ASSUMED: wall-to-battery (charger + battery) efficiency; not identifiable from wall data.
eta_charge = {_g(bev["eta_charge"])}
# ASSUMED: accessory (12 V) load from the battery, kW (FASTSim BEV default aux_kw).
aux_kw = {_g(bev["aux_kw"])}

[bev.fit]
# Relative MPGe errors on the Nissan Leaf rows (Bolt rows excluded, see calibration.py).
n_rows = {bev["fit"]["n_rows"]}
rms = {_g(bev["fit"]["rms"])}
max_abs = {_g(bev["fit"]["max_abs"])}
loo_rms = {_g(bev["fit"]["loo_rms"])}
"""


def compare(fitted: dict, stored: dict, rtol: float = 1e-4) -> list[str]:
    """Names of the constants whose stored value differs from the fit by > rtol."""
    bad = []

    def walk(a, b, path):
        if isinstance(a, dict):
            for k, v in a.items():
                if not isinstance(b, dict) or k not in b:
                    bad.append(f"{path}{k} (missing)")
                else:
                    walk(v, b[k], f"{path}{k}.")
        elif isinstance(a, (int, float)):
            if not math.isclose(float(a), float(b), rel_tol=rtol, abs_tol=1e-6):
                bad.append(f"{path[:-1]}: stored {b} vs fitted {a:.6g}")

    walk(fitted, stored, "")
    return bad


# ---------------------------------------------------------------- report
def report(rows: list[CalRow] | None = None) -> str:
    rows = rows if rows is not None else load_rows()
    lines = []
    p = lines.append
    ice = ice_report(rows)
    lhv = lhv_kwh_per_gal()
    p(f"Fuel LHV (Tier 2 cert gasoline, 40 CFR 600 App. II sample): {lhv:.4f} kWh/galUS")
    p("")
    p("ICE model structures (relative mpg error; loo = leave one vehicle out, "
      "lfo = leave one model family out):")
    p("")
    p("| structure | eta_ftp | eta_hwfet | idle | MT factor | rms | max | loo rms | "
      "lfo rms |")
    p("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for x in ice["structures"]:
        f, s = x["fit"], x["structure"]
        unit = "kW/L" if s.idle_scales_with_v else "kW"
        p(f"| {s.name}{' (chosen)' if s == CHOSEN_ICE else ''} | {f['eta']['ftp']:.4f} | "
          f"{f['eta']['hwfet']:.4f} | {f['idle']:.3f} {unit} | {1 + f['f_mt']:.4f} | "
          f"{_stats(x['err'])['rms']:.2%} | {_stats(x['err'])['max_abs']:.2%} | "
          f"{_stats(x['loo'])['rms']:.2%} | {_stats(x['lfo'])['rms']:.2%} |")
    chosen = next(x for x in ice["structures"] if x["structure"] == CHOSEN_ICE)
    f = chosen["fit"]
    p("")
    p(f"Chosen ICE fit ({CHOSEN_ICE.name}), per vehicle and test:")
    p("")
    p("| vehicle | trans | V_d (L) | ETW (kg) | test | E+ (kWh/mi) | measured mpg | "
      "predicted mpg | error | loo error |")
    p("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r, e, lo in zip(ice["rows"], chosen["err"], chosen["loo"], strict=True):
        p(f"| {r.model} #{r.config} | {r.trans} | {r.displacement_l:.3f} | {r.etw:.0f} | "
          f"{r.test} | {r.e_pos:.4f} | {r.measured:.1f} | {predict_ice(r, f):.1f} | "
          f"{e:+.1%} | {lo:+.1%} |")
    for t in ("ftp", "hwfet"):
        e = np.array([x for r, x in zip(ice["rows"], chosen["err"], strict=True)
                      if r.test == t])
        p(f"\n{t}: rms {_stats(e)['rms']:.2%}, max |error| {_stats(e)['max_abs']:.2%}, "
          f"mean {_stats(e)['mean']:+.2%}")
    cvt = np.array([x for r, x in zip(ice["rows"], chosen["err"], strict=True)
                    if r.trans == "CVT"])
    p(f"CVT rows only: rms {_stats(cvt)['rms']:.2%}, max {_stats(cvt)['max_abs']:.2%}")

    bev = bev_report(rows)
    c = fixed_constants()
    p("")
    p(f"BEV fit (Leaf rows): eta_drive {bev['fit']['eta_drive']:.4f}, eta_regen "
      f"{bev['fit']['eta_regen']:.4f} (eta_charge {c['bev']['eta_charge']} and aux "
      f"{c['bev']['aux_kw']} kW assumed)")
    p("")
    p("| vehicle | ETW (kg) | test | E+ | E_brake (kWh/mi) | measured MPGe | "
      "predicted MPGe | error | loo error |")
    p("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r, e, lo in zip(bev["rows"], bev["err"], bev["loo"], strict=True):
        p(f"| {r.model} #{r.config} | {r.etw:.0f} | {r.test} | {r.e_pos:.4f} | "
          f"{r.e_brake:.4f} | {r.measured:.1f} | {predict_bev(r, bev['fit']):.1f} | "
          f"{e:+.1%} | {lo:+.1%} |")
    p(f"\nLeaf: rms {_stats(bev['err'])['rms']:.2%}, max {_stats(bev['err'])['max_abs']:.2%},"
      f" loo rms {_stats(bev['loo'])['rms']:.2%}")
    p("")
    p("Bolt EV rows (excluded; listed value vs prediction, and vs prediction x 0.7):")
    p("")
    p("| vehicle | test | listed | predicted unadjusted | error | 0.7 x predicted | error |")
    p("| --- | --- | --- | --- | --- | --- | --- |")
    for r in bev["bolt"]:
        pr = predict_bev(r, bev["fit"])
        p(f"| {r.model} #{r.config} | {r.test} | {r.measured:.1f} | {pr:.1f} | "
          f"{pr / r.measured - 1:+.1%} | {0.7 * pr:.1f} | {0.7 * pr / r.measured - 1:+.1%} |")

    # FASTSim i-MiEV: label kWh/mi (adjusted); unadjusted = 0.7 x label kWh/mi.
    fs = fastsim_row("2016 MITSUBISHI i-MiEV")
    eps = c["roadload"]["smoothing_w"]
    p("")
    p("i-MiEV (FASTSim parameters: test mass "
      f"{fs['test_mass_kg']} kg, Cd {fs['drag_coef']}, A {fs['frontal_area_m2']} m2, "
      f"Crr {fs['wheel_rr_coef']}) vs EPA label x 0.7:")
    p("")
    p("| test | predicted unadjusted kWh/mi | label kWh/mi | 0.7 x label | error |")
    p("| --- | --- | --- | --- | --- |")
    for t, col in (("ftp", "label_city_kwh_per_mi"), ("hwfet", "label_hwy_kwh_per_mi")):
        th = design_theta(float(fs["test_mass_kg"]), float(fs["drag_coef"]),
                          float(fs["frontal_area_m2"]), float(fs["wheel_rr_coef"]), c)
        ep, eb, tpm = per_mile(get_test(t), th, eps)
        k = predict_bev_kwh(ep, eb, tpm, bev["fit"], c)
        lab = float(fs[col])
        p(f"| {t} | {k:.4f} | {lab:.4f} | {0.7 * lab:.4f} | {k / (0.7 * lab) - 1:+.1%} |")

    # N-Box (FASTSim 2021 parameters), 658 cc CVT.
    nb = fastsim_row("2021 Honda N-Box G")
    th = design_theta(float(nb["test_mass_kg"]), float(nb["drag_coef"]),
                      float(nb["frontal_area_m2"]), float(nb["wheel_rr_coef"]), c)
    p("")
    p("2021 Honda N-Box (FASTSim: 1050 kg, Cd 0.38, A 2.19 m2, Crr 0.0101; 0.658 L, CVT):")
    for name, test, eta in (("FTP-75", get_test("ftp"), f["eta"]["ftp"]),
                            ("HWFET", get_test("hwfet"), f["eta"]["hwfet"]),
                            ("WLTC 3b low+medium+high (FTP constants)", wltc("3b"),
                             f["eta"]["ftp"])):
        ep, eb, tpm = per_mile(test, th, eps)
        fc = ep / eta + f["idle"] * 0.658 * tpm / 3600.0
        mpg = lhv / fc
        p(f"  {name}: E+ {ep:.4f} kWh/mi, {mpg:.1f} mpg = {mpg * 1.609344 / 3.785412:.1f} km/L")
    p("  (catalogue WLTC 21.6 km/L for the 3rd-gen NA FF, kei.csv; Japanese test mass and "
      "idle stop differ)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m keidesign.energy.calibration",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="rewrite calibration.toml")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if calibration.toml differs from the fit")
    args = ap.parse_args(argv)
    rows = load_rows()
    print(report(rows))
    fitted = fitted_constants(rows)
    if args.write:
        TOML_PATH.write_text(toml_text(fitted), encoding="utf-8")
        load_constants.cache_clear()
        print(f"\nwrote {TOML_PATH}")
        return 0
    try:
        stored = load_constants()
    except FileNotFoundError:
        print("\ncalibration.toml missing: run with --write")
        return 1
    bad = compare(fitted, stored)
    if bad:
        print("\ncalibration.toml differs from the fit:\n  " + "\n  ".join(bad))
        return 1 if args.check else 0
    print("\ncalibration.toml agrees with the fit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
