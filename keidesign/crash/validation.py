"""Model vs published full-width rigid-barrier tests (data/crash/frontal_tests.csv).

Each test car is run through the same chain as a design: the generic structure of the
registered defaults (rails 80 x 110 x 2.0 mm DP590, crash boxes, bumper; restraint
defaults) with the car's own test mass, crush length, powertrain block length and
powertrain mass from the row, at the row's impact speed. Nothing is fitted: a row
checks the generic small-car structure, and the stated bound (maximum dynamic crush
and average deceleration within +/-15 %) is tested per row in
``tests/test_crash_validation.py``.
"""

from __future__ import annotations

import csv
import importlib.resources

import numpy as np
import openmdao.api as om

from keidesign import variables as reg
from keidesign.crash.pulse import outputs_from_result, params_from_inputs, simulate
from keidesign.crash.structure import FrontStructureComp

G0 = 9.80665
BOUND = 0.15
_NUM = ("speed_kmh", "test_mass_kg", "crush_length_mm", "block_length_mm", "stack_mass_kg",
        "max_dynamic_crush_mm", "avg_decel_g", "peak_decel_g", "duration_ms")


def load_tests(text: str | None = None) -> list[dict]:
    """Rows of the validation file (numbers as floats)."""
    if text is None:
        ref = importlib.resources.files("keidesign") / "data" / "crash" / "frontal_tests.csv"
        text = ref.read_text(encoding="utf-8")
    rows = []
    for row in csv.DictReader(text.splitlines()):
        rows.append({k: (float(v) if k in _NUM else v) for k, v in row.items()})
    return rows


def predict(row: dict) -> dict:
    """Model figures for one test row (mm, g, ms)."""
    prob = om.Problem(reports=False)
    prob.model.add_subsystem("s", FrontStructureComp(material=reg.get("crash:front:material")
                                                     .default), promotes=["*"])
    prob.setup()
    for var in reg.variables("crash:front:", design=True):
        if var.default is not None and var.units not in (None, "unitless"):
            try:
                prob.set_val(var.name, var.default)
            except KeyError:
                pass
    prob.set_val("crash:front:crush_length", row["crush_length_mm"])
    prob.set_val("powertrain:block_length", row["block_length_mm"])
    prob.set_val("crash:front:test_mass", row["test_mass_kg"])
    prob.set_val("body:width", 1600.0)
    prob.set_val("crash:front:rail_width", 80.0)
    prob.set_val("crash:front:rail_height", 110.0)
    prob.set_val("crash:front:wall_thickness", 2.0)
    prob.run_model()
    vals = {"crash:front:test_mass": row["test_mass_kg"],
            "crash:front:stack_mass": row["stack_mass_kg"],
            "crash:front:engine_clearance": reg.get("crash:front:engine_clearance").default,
            "crash:restraint:slack": reg.get("crash:restraint:slack").default,
            "crash:restraint:stiffness": reg.get("crash:restraint:stiffness").default,
            "crash:restraint:load_limit": reg.get("crash:restraint:load_limit").default}
    for name in ("bumper_force", "crash_box_force", "rail_force", "bumper_stroke",
                 "crash_box_stroke", "rail_stroke", "engine_gap"):
        vals[f"crash:front:{name}"] = float(prob.get_val(f"crash:front:{name}")[0])
    vals = {k: np.array([v], dtype=float) for k, v in vals.items()}
    out = outputs_from_result(simulate(params_from_inputs(vals), v0_kmh=row["speed_kmh"]))
    return {"max_dynamic_crush_mm": float(out["crash:front:crush_required"][0]),
            "avg_decel_g": float(out["crash:front:mean_decel"][0]) / G0,
            "peak_decel_g": float(out["crash:front:peak_decel"][0]) / G0,
            "duration_ms": float(out["crash:front:pulse_duration"][0])}


def validation_table(rows: list[dict] | None = None) -> list[dict]:
    """Model vs test with relative errors for every row."""
    rows = load_tests() if rows is None else rows
    table = []
    for row in rows:
        model = predict(row)
        rec = {"vehicle": row["vehicle"], "program": row["program"], "test_id": row["test_id"]}
        for k, v in model.items():
            rec[f"{k}_test"] = row[k]
            rec[f"{k}_model"] = v
            rec[f"{k}_error"] = (v - row[k]) / row[k]
        table.append(rec)
    return table


__all__ = ["BOUND", "load_tests", "predict", "validation_table"]
