"""fullwidth_pulse_durations.csv (issue 14, task s17h8): published times of zero velocity
t0 of full-width rigid-barrier tests of small cars, the model against them
(``keidesign.validation.pulse_duration``), and the band a test's crush alone sets on its
time average (``validation.time_average_bounds_g``). Every row sourced, its figures
consistent with each other and with the stored signal they come from, fewer cars than a
fit needs, and a bad row refused in one line naming row, field, value and what is
allowed."""

from __future__ import annotations

import csv
import io
from importlib.resources import files

import pytest
from conftest import assert_refused_in_one_line, csv_text_with

from keidesign.crash import validation as val
from keidesign.errors import InputError
from keidesign.validation import pulse_duration as pdur

TEXT = (files("keidesign") / "data" / "crash" / "fullwidth_pulse_durations.csv").read_text()


def test_file_reads_with_sources():
    rows = val.load_pulse_durations()
    assert len(rows) == 1
    assert all(r["status"] in ("V", "R") and r["source"].strip() for r in rows)
    for r in rows:
        v = r["speed_kmh"] / 3.6
        # the time average is the row's own V / t0, and the crush fits inside V t0
        assert r["avg_decel_g"] == pytest.approx(v / (r["t0_ms"] * 1e-3) / 9.80665, rel=0.02)
        assert r["max_dynamic_crush_mm"] <= v * r["t0_ms"]


def test_neon_row_is_the_stored_signal():
    """The Neon's t0, time average and crush are those of the stored NHTSA 2320 signal
    (integrated here) and of frontal_tests.csv, within rounding."""
    row = next(r for r in val.load_pulse_durations() if r["nhtsa_test_no"] == 2320)
    t, a = val.load_pulse()
    f = val.pulse_figures(t, a, row["speed_kmh"])
    assert row["t0_ms"] == pytest.approx(f["duration_ms"], rel=0.005)
    assert row["avg_decel_g"] == pytest.approx(f["avg_decel_g"], rel=0.005)
    assert row["max_dynamic_crush_mm"] == pytest.approx(f["max_dynamic_crush_mm"], rel=0.005)
    frontal = next(r for r in val.load_tests() if r["test_id"] == row["frontal_tests_id"])
    assert frontal["duration_ms"] == pytest.approx(row["t0_ms"], rel=0.005)
    assert (frontal["speed_kmh"], frontal["test_mass_kg"]) == (row["speed_kmh"],
                                                               row["test_mass_kg"])


def test_too_few_cars_to_fit():
    """One car: the file may judge the model, never set a constant (five needed)."""
    rows = val.load_pulse_durations()
    assert len({(r["vehicle"], r["model_year"]) for r in rows}) < val.MIN_CARS_TO_FIT


def test_bounds_hold_the_measured_pulse():
    """a_ESW <= V / t0 <= 2 a_ESW on the one stored pulse (2 C / (V t0) = 1.21)."""
    t, a = val.load_pulse()
    f = val.pulse_figures(t, a, 56.5)
    lo, hi = val.time_average_bounds_g(56.5, f["max_dynamic_crush_mm"])
    assert lo == pytest.approx(f["esw_decel_g"]) and hi == pytest.approx(2.0 * lo)
    assert lo < f["avg_decel_g"] < hi
    assert f["avg_decel_g"] / lo == pytest.approx(1.21, abs=0.01)
    with pytest.raises(InputError, match="max_dynamic_crush_mm: 0 mm; allowed: > 0 mm"):
        val.time_average_bounds_g(56.0, 0.0)


def test_model_against_the_neon():
    """The shipped reference-structure chain on the Neon row: shorter and harder than
    the test (docs/crash.md, "Time of zero velocity and time average against the
    tests"); the two errors are tied, 1 + e_a = 1 / (1 + e_t)."""
    (c,) = pdur.duration_checks()
    assert c["route"] == "reference structure"
    assert c["t0_model_ms"] < c["t0_test_ms"] and c["avg_model_g"] > c["avg_test_g"]
    assert (1.0 + c["avg_error"]) * (1.0 + c["t0_error"]) == pytest.approx(1.0, abs=0.01)
    s = pdur.summary([c], "avg_error")
    assert s["cars"] == 1 and s["within"] == 0


def test_bracket_of_a_check():
    """The band of a test's crush, as the probe places each NCAP generation in it."""
    check = {"vehicle": "x", "speed_kmh": 56.0, "crush_test_mm": 600.0, "mean_model_g": 25.0}
    (b,) = pdur.bracket_checks([check])
    v = 56.0 / 3.6
    assert b["lo_g"] == pytest.approx(v * v / 1.2 / 9.80665)
    assert b["t0_lo_ms"] == pytest.approx(600.0 / v) and b["t0_hi_ms"] == pytest.approx(
        1200.0 / v)
    assert b["inside"] and b["position"] == pytest.approx(25.0 / b["lo_g"])


@pytest.mark.parametrize(("edit", "message"), [
    (("R,\"NHTSA", "A,\"NHTSA"), "status: 'A'; allowed: V or R"),
    ((",78.0,20.5,", ",250,20.5,"), "t0_ms: '250'; allowed: 20 to 200"),
    ((",78.0,20.5,", ",78.0,25.0,"), "avg_decel_g: '25.0'; allowed: the row's V / t0 = "
                                     "20.5 g within 2%, or blank"),
    ((",20.5,741,", ",20.5,1300,"), "max_dynamic_crush_mm: '1300'; allowed: 0 to V t0 = "
                                    "1224 mm"),
    ((",741,NHTSA 2320,", ",741,,"), "frontal_tests_id: ''; allowed: a test_id of "
                                     "frontal_tests.csv"),
    ((",56.5,\"rigid", ",,\"rigid"), "speed_kmh: ''; allowed: 30 to 70"),
])
def test_bad_rows_refused_in_one_line(edit, message):
    assert_refused_in_one_line(val.load_pulse_durations, TEXT, edit, message,
                               "fullwidth_pulse_durations.csv line 2")


def test_empty_source_refused():
    with pytest.raises(InputError, match="line 2 source: empty"):
        val.load_pulse_durations(csv_text_with(TEXT, 0, source=" "))


def test_import_route_runs_the_generation_at_the_tests_speed_and_mass():
    """A row naming a us_specs generation runs its imported front (shipped law) at the
    row's speed and mass; a heavier test car runs longer (synthetic row, not data)."""
    rows = list(csv.DictReader(TEXT.splitlines()))
    r = dict(rows[0], vehicle="Mitsubishi Mirage", model_year="2015", nhtsa_test_no="9030",
             speed_kmh="56.39", test_mass_kg="1100", t0_ms="60", avg_decel_g="",
             max_dynamic_crush_mm="", frontal_tests_id="", us_specs_make="MITSUBISHI",
             us_specs_model="MIRAGE", us_specs_generation="A05A hatchback")
    heavy = dict(r, test_mass_kg="1300")
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows([r, heavy])
    light_c, heavy_c = pdur.duration_checks(val.load_pulse_durations(out.getvalue()))
    assert light_c["route"] == heavy_c["route"] == "import"
    assert 30.0 < light_c["t0_model_ms"] < heavy_c["t0_model_ms"] < 120.0
    assert light_c["crush_error"] is None
    assert (1.0 + light_c["avg_error"]) * (1.0 + light_c["t0_error"]) == pytest.approx(1.0)
