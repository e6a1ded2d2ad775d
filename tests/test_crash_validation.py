"""Crash models against published full-width rigid-barrier tests (data/crash)."""

from __future__ import annotations

import pytest

from keidesign.crash.validation import BOUND, load_tests, predict, validation_table

ROWS = load_tests()


def test_validation_file_has_its_schema_and_sources():
    text = ("vehicle,model_year,program,test_id,speed_kmh,test_mass_kg,crush_length_mm,"
            "block_length_mm,stack_mass_kg,max_dynamic_crush_mm,avg_decel_g,peak_decel_g,"
            "duration_ms,status,source")
    from importlib.resources import files
    head = (files("keidesign") / "data" / "crash" / "frontal_tests.csv").read_text().splitlines()[0]
    assert head == text
    for row in ROWS:
        assert row["source"] and row["status"] in ("V", "R")


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['vehicle']}-{r['test_id']}" for r in ROWS])
def test_model_within_stated_bound(row):
    rec = validation_table([row])[0]
    assert abs(rec["max_dynamic_crush_mm_error"]) <= BOUND
    assert abs(rec["avg_decel_g_error"]) <= BOUND


def test_table_machinery_on_a_model_generated_row():
    """A row made from the model itself comes back with zero error (plumbing check)."""
    row = {"vehicle": "synthetic", "program": "model", "test_id": "0", "speed_kmh": 56.0,
           "test_mass_kg": 1150.0, "crush_length_mm": 1000.0, "block_length_mm": 450.0,
           "stack_mass_kg": 235.0}
    row.update(predict(row))
    rec = validation_table([row])[0]
    for key in ("max_dynamic_crush_mm", "avg_decel_g", "peak_decel_g", "duration_ms"):
        assert abs(rec[f"{key}_error"]) < 1e-12
