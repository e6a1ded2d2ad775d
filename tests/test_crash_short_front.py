"""short_front_pulses.csv (issue 14, task s20h4): the Scion iQ's own US NCAP test, the
shortest certified front, in the columns of ncap_frontal_pulses.csv, read by
``benchmarks/crash_probes.py short_front`` through ``ncap_pulse_checks(res, rows)``;
and the IIHS microcar intrusion rows (the iQ's toe pan) beside the model's dash."""

from __future__ import annotations

import pytest

from keidesign.specs import sources
from keidesign.validation import crash as cv


def test_the_iq_row_reads_like_an_ncap_row():
    rows = cv.ncap_pulse_rows("short_front_pulses.csv")
    ncap = cv.ncap_pulse_rows()
    assert len(rows) == 1 and list(rows[0]) == list(ncap[0])
    r = rows[0]
    assert (r["nhtsa_test_no"], r["source_quality"], r["status"]) == ("7729", "Valid", "R")
    assert 55.0 <= float(r["speed_kmh"]) <= 58.0
    assert float(r["max_dynamic_crush_mm"]) == pytest.approx(455.1)
    assert float(r["peak_decel_g"]) == pytest.approx(67.46)
    # not a row of the fitted set: the force-level fit and its hold-out do not see it
    assert r["nhtsa_test_no"] not in {x["nhtsa_test_no"] for x in ncap}
    names = {cv.car_name(vr.row) for vr in sources.vehicle_rows("us_specs")}
    assert cv.car_name(r, "us_specs_") == "SCION iQ AJ10" in names


def test_checks_take_other_rows():
    """``ncap_pulse_checks(res, rows)`` compares the model with the rows given; a car
    without a verdict is left out."""
    rows = cv.ncap_pulse_rows("short_front_pulses.csv")
    pulse = {"available_mm": 300.0, "crush_mm": 420.0, "past_mm": 370.0, "peak_g": 90.0,
             "test_mass_kg": 1160.0, "esw_g": 29.0, "mean_g": 35.0, "duration_ms": 60.0}
    res = {"cars": [cv.CarVerdict("SCION iQ AJ10", pulse=pulse)]}
    (c,) = cv.ncap_pulse_checks(res, rows)
    assert c["test"] == "7729" and c["stack_mm"] == pytest.approx(50.0)
    assert c["peak_error"] == pytest.approx(90.0 / 67.46 - 1.0)
    assert c["crush_error"] == pytest.approx(420.0 / 455.1 - 1.0)
    assert cv.ncap_pulse_checks({"cars": []}, rows) == []


def test_iq_toe_pan_row_of_the_microcar_table():
    """The iQ's IIHS moderate-overlap toe pan (140 mm) joins the intrusion checks beside
    its model dash intrusion; the smart W451 rows are data (that generation is not
    importable)."""
    pulse = {"dash_mm": 60.9}
    (c,) = [c for c in cv.intrusion_checks({"cars": [cv.CarVerdict("SCION iQ AJ10",
                                                                   pulse=pulse)]})]
    assert c["iihs_toepan_mm"] == pytest.approx(140.0) and c["iihs_tests"] == ["Scion iQ 2012"]
