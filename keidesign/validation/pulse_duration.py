"""The model's time of zero velocity t0 and time-average deceleration V / t0 against
full-width rigid-barrier tests of small cars (issue 14: "average deceleration within
+/-15 % of published full-width tests").

Two checks, nothing fitted:

* **published t0** (``data/crash/fullwidth_pulse_durations.csv``,
  :func:`keidesign.crash.validation.load_pulse_durations`): per test, the model's t0 and
  V / t0 at the test's speed and mass against the test's. A row naming a us_specs
  generation runs that generation's imported front (the shipped force law and level,
  :func:`keidesign.validation.nhtsa_barrier.import_fronts`, forces at the test's speed,
  :func:`~keidesign.validation.nhtsa_barrier.pulse_at`); a row naming a
  ``frontal_tests.csv`` row runs the reference structure on it
  (:func:`keidesign.crash.validation.predict`, as the Neon row of the validation table).
  Errors (model - test) / test; the time-average error e_a and the duration error e_t
  are tied: 1 + e_a = 1 / (1 + e_t).
* **the bracket of the NCAP crush** (:func:`bracket_checks`): a test with a maximum
  dynamic crush C and no duration still bounds its time average between a_ESW =
  V^2 / (2 C) (a back-loaded pulse, status R) and 2 a_ESW (rigorous kinematics),
  :func:`keidesign.crash.validation.time_average_bounds_g`; each imported generation's
  model V / t0 (at 56 km/h, its own test mass: :func:`keidesign.validation.crash.
  ncap_pulse_checks`) is placed in the band of its own NCAP test's crush, with the
  model's shape ratio 2 C_m / (V t0) beside the Neon's measured 1.21.

Validity: full-width rigid-wall tests at 48-56 km/h; t0 from a compartment (seat or
sill) accelerometer, the model's from the body lane of :mod:`keidesign.crash.pulse`.
"""

from __future__ import annotations

import numpy as np

from keidesign.crash import pulse
from keidesign.crash import validation as crash_val
from keidesign.crash._pulse_kernel import G0
from keidesign.validation import crash as cv
from keidesign.validation import nhtsa_barrier as nb

__all__ = ["bracket_checks", "duration_checks", "routed_runs", "summary"]


def routed_runs(rows: list[dict]) -> list[tuple[dict, str, dict, float]]:
    """The pulse model run for each test row naming a model route (module docstring):
    ``(row, route, result, v0_kmh)``, ``route`` ``import`` (the row's us_specs generation:
    its imported front with the shipped force law, forces at the row's speed, at the
    row's test mass when it gives one) or ``reference structure`` (the row's
    ``frontal_tests.csv`` row, :func:`keidesign.crash.validation.row_pulse_params`, at
    that row's speed and mass), ``result`` the :func:`keidesign.crash.pulse.simulate`
    result at ``v0_kmh``; a row naming neither is left out."""
    names = {cv.car_name(r, "us_specs_") for r in rows if r["us_specs_generation"].strip()}
    fronts, _ = nb.import_fronts(names) if names else ({}, [])
    frontal = {r["test_id"]: r for r in crash_val.load_tests()}
    out = []
    for r in rows:
        name = cv.car_name(r, "us_specs_") if r["us_specs_generation"].strip() else ""
        if name in fronts:
            v0 = float(r["speed_kmh"])
            p = {k: np.atleast_1d(np.asarray(v, dtype=float))
                 for k, v in pulse.params_from_inputs(nb.pulse_at(fronts[name], v0)).items()}
            if r["test_mass_kg"] is not None:
                p["m_test"] = np.array([float(r["test_mass_kg"])])
            route = "import"
        elif r["frontal_tests_id"] in frontal:
            f = frontal[r["frontal_tests_id"]]
            v0, p, route = float(f["speed_kmh"]), crash_val.row_pulse_params(f), \
                "reference structure"
        else:
            continue
        out.append((r, route, pulse.simulate(p, v0_kmh=v0), v0))
    return out


def duration_checks(rows: list[dict] | None = None) -> list[dict]:
    """Per row of ``fullwidth_pulse_durations.csv`` (module docstring): ``vehicle``,
    ``test`` (NHTSA number), ``route`` (``import`` or ``reference structure``),
    ``make``, test and model t0 (ms), V / t0 (g) and crush (mm), and the errors
    ``t0_error``, ``avg_error``, ``crush_error`` (None where the test has no crush)."""
    rows = crash_val.load_pulse_durations() if rows is None else rows
    out = []
    for r, route, res, _ in routed_runs(rows):
        m = {"t0_ms": float(res["t_stop"][0]) * 1e3,
             "avg_decel_g": float(res["mean_decel"][0]) / G0,
             "crush_mm": float(res["c_max"][0]) * 1e3}
        make = r["us_specs_make"] if route == "import" else r["vehicle"].split()[0]
        c = r["max_dynamic_crush_mm"]
        out.append({"vehicle": f"{r['vehicle']} {r['model_year']:.0f}",
                    "test": f"{r['program']} {r['nhtsa_test_no']:.0f}", "route": route,
                    "make": make, "speed_kmh": r["speed_kmh"], "mass_kg": r["test_mass_kg"],
                    "t0_test_ms": r["t0_ms"], "t0_model_ms": m["t0_ms"],
                    "avg_test_g": r["avg_decel_g"], "avg_model_g": m["avg_decel_g"],
                    "crush_test_mm": c, "crush_model_mm": m["crush_mm"],
                    "t0_error": m["t0_ms"] / r["t0_ms"] - 1.0,
                    "avg_error": m["avg_decel_g"] / r["avg_decel_g"] - 1.0,
                    "crush_error": None if c is None else m["crush_mm"] / c - 1.0})
    return out


def bracket_checks(ncap: list[dict]) -> list[dict]:
    """Each check of :func:`keidesign.validation.crash.ncap_pulse_checks` with the band
    its test's crush sets on the time average (module docstring): ``lo_g`` = a_ESW,
    ``hi_g`` = 2 a_ESW, t0 between ``t0_lo_ms`` = C / V and ``t0_hi_ms`` = 2 C / V,
    ``inside`` (the model's V / t0 in the band) and ``position`` = (model V / t0) /
    a_ESW of the test, i.e. the shape ratio 2 C_test / (V t0_model) the test's crush
    would need for the model's duration (1 to 2 inside)."""
    out = []
    for c in ncap:
        lo, hi = crash_val.time_average_bounds_g(c["speed_kmh"], c["crush_test_mm"])
        v = c["speed_kmh"] / 3.6
        t_lo = c["crush_test_mm"] / v
        out.append({**c, "lo_g": lo, "hi_g": hi, "t0_lo_ms": t_lo, "t0_hi_ms": 2.0 * t_lo,
                    "inside": lo <= c["mean_model_g"] <= hi,
                    "position": c["mean_model_g"] / lo})
    return out


def summary(checks: list[dict], key: str) -> dict:
    """Mean error, mean absolute error and count within the target's +/-15 % of
    ``checks[i][key]`` (:func:`keidesign.validation.crash.error_summary`) and the number
    of distinct cars."""
    s = cv.error_summary([c[key] for c in checks])
    return {**s, "cars": len({c["vehicle"] for c in checks})}
