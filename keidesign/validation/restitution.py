"""The pulse model's restitution against full-width rigid-barrier tests (issue 14).

Definitions and the measured reduction: :mod:`keidesign.crash.restitution` (e_end, the
compartment's rearward velocity at 160 ms over the impact speed, the model's
``crash:front:rebound_velocity`` / V; e_sep, its largest rearward velocity over V). Two
checks, nothing fitted:

* **measured tests** (:func:`restitution_checks`, ``data/crash/fullwidth_restitution.csv``
  rows of kind ``test`` with a restitution): the model at the test's speed and mass, by
  the route :mod:`keidesign.validation.pulse_duration` uses (a ``frontal_tests.csv`` row:
  the reference structure, :func:`keidesign.crash.validation.row_pulse_params`; a us_specs
  generation: its imported front with its forces at the test's speed:
  :func:`keidesign.validation.pulse_duration.routed_runs`); errors e_model - e_test
  (restitution units), their mean (bias) and mean absolute value (:func:`summary`);
* **the published range** (:func:`band_counts`): how many of a set of modelled cars fall
  below, inside and above a ``statistic`` row's range.

:func:`fleet_restitution` gives e_end and e_sep of many cars' pulse inputs in one call
(the ``restitution`` probe of ``benchmarks/crash_probes.py``). A constant may be set from
these checks only on :data:`keidesign.crash.validation.MIN_CARS_TO_FIT` cars or more.
Validity: as :mod:`keidesign.crash.restitution`.
"""

from __future__ import annotations

import numpy as np

from keidesign.crash import pulse
from keidesign.crash import restitution as rest
from keidesign.validation import pulse_duration as pdur

__all__ = ["band_counts", "fleet_restitution", "restitution_checks", "summary"]


def restitution_checks(rows: list[dict] | None = None) -> list[dict]:
    """Per measured test row of ``fullwidth_restitution.csv`` (module docstring):
    ``vehicle``, ``test``, ``route``, test and model e_end (``e_end_test``,
    ``e_end_model``) and e_sep, the model's crush (mm), and the errors ``e_end_error``,
    ``e_sep_error`` (model - test; None where the test has no figure)."""
    rows = rest.load_restitution() if rows is None else rows
    rows = [r for r in rows if r["kind"] == "test" and (
        r["restitution_160ms"] is not None or r["restitution_separation"] is not None)]
    out = []
    for r, route, res, v0 in pdur.routed_runs(rows):
        e = rest.model_restitution(res, v0)
        m = {"e_end": float(e["restitution_end"][0]),
             "e_sep": float(e["restitution_separation"][0]),
             "crush_mm": float(res["c_max"][0]) * 1e3}
        e_end, e_sep = r["restitution_160ms"], r["restitution_separation"]
        out.append({"vehicle": f"{r['vehicle']} {r['model_year']:.0f}",
                    "test": f"{r['program']} {r['nhtsa_test_no']:.0f}", "route": route,
                    "speed_kmh": r["speed_kmh"], "crush_test_mm": r["max_dynamic_crush_mm"],
                    "crush_model_mm": m["crush_mm"],
                    "e_end_test": e_end, "e_end_model": m["e_end"],
                    "e_sep_test": e_sep, "e_sep_model": m["e_sep"],
                    "e_end_error": None if e_end is None else m["e_end"] - e_end,
                    "e_sep_error": None if e_sep is None else m["e_sep"] - e_sep})
    return out


def summary(checks: list[dict], key: str) -> dict:
    """Bias (mean of ``checks[i][key]``, model - test), mean absolute error and count of
    the checks with that error, and the number of distinct cars among them."""
    errs = [c[key] for c in checks if c[key] is not None]
    n = len(errs)
    return {"n": n, "cars": len({c["vehicle"] for c in checks if c[key] is not None}),
            "bias": sum(errs) / n if n else None,
            "mae": sum(abs(x) for x in errs) / n if n else None}


def fleet_restitution(params: dict, v0_kmh: float = 56.0) -> dict:
    """e_end, e_sep, crush (mm) and the zones' end s_1 + s_2 + s_3 (mm) of many cars'
    SI pulse parameters (one lane each, :func:`keidesign.crash.pulse.simulate`), arrays;
    ``past_zones`` marks a crush beyond the zones' end (the compaction engaged)."""
    r = pulse.simulate(params, v0_kmh=v0_kmh)
    e = rest.model_restitution(r, v0_kmh)
    crush = np.real(r["c_max"]) * 1e3
    zones = np.real(np.asarray(params["s1"]) + params["s2"] + params["s3"]) * 1e3
    zones = np.broadcast_to(zones, crush.shape)
    return {"e_end": e["restitution_end"], "e_sep": e["restitution_separation"],
            "crush_mm": crush, "zones_mm": zones, "past_zones": crush > zones}


def band_counts(values, low: float, high: float) -> dict:
    """How many of ``values`` lie below ``low``, within [low, high] and above ``high``."""
    x = np.asarray(values, dtype=float)
    return {"below": int((x < low).sum()), "inside": int(((x >= low) & (x <= high)).sum()),
            "above": int((x > high).sum())}
