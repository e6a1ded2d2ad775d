"""The NCAP rows' dynamic crush read without their signals (issue 14, task s19h4):
the smallest crush a pulse's own peak allows (``validation.peak_bound_crush_mm``), the
band a 40 km/h test sets at 56 km/h (``validation.speed_scaled_crush_mm``), and what the
``ncap_crush_check`` probe reads from ``ncap_frontal_pulses.csv`` with them (the
figures of docs/crash.md, "The NCAP rows' dynamic crush against their peaks")."""

from __future__ import annotations

import csv
from importlib.resources import files

import pytest

from keidesign.crash import validation as val
from keidesign.errors import InputError

ROWS = {r["nhtsa_test_no"]: r for r in csv.DictReader(
    (files("keidesign") / "data" / "crash" / "ncap_frontal_pulses.csv")
    .read_text(encoding="utf-8").splitlines()) if r["source_quality"] == "Valid"}


def _shape(test: str) -> float:
    r = ROWS[test]
    return float(r["max_dynamic_crush_mm"]) / val.peak_bound_crush_mm(
        float(r["speed_kmh"]), float(r["peak_decel_g"]))


def test_peak_bound_is_the_square_wave_crush():
    # a square wave of a_p stops V in exactly V^2 / (2 a_p): its ESW is its peak
    c = val.peak_bound_crush_mm(56.0, 30.0)
    assert val.esw_decel_g(56.0, c) == pytest.approx(30.0, rel=1e-12)
    assert c == pytest.approx((56.0 / 3.6) ** 2 / (2 * 30.0 * 9.80665) * 1e3, rel=1e-12)


def test_peak_bound_holds_the_stored_pulse():
    t, a = val.load_pulse()
    f = val.pulse_figures(t, a, 56.5)
    c_min = val.peak_bound_crush_mm(56.5, f["peak_decel_g"])
    assert c_min < f["max_dynamic_crush_mm"]
    assert f["max_dynamic_crush_mm"] / c_min == pytest.approx(2.22, abs=0.01)


def test_speed_band_ends():
    lo, hi = val.speed_scaled_crush_mm(400.0, 40.0, 56.0)
    assert lo == pytest.approx(560.0) and hi == pytest.approx(784.0)


@pytest.mark.parametrize("call, message", [
    (lambda: val.peak_bound_crush_mm(0.0, 40.0), "speed_kmh: 0 km/h; allowed: > 0 km/h"),
    (lambda: val.peak_bound_crush_mm(56.0, -1.0), "peak_decel_g: -1 g; allowed: > 0 g"),
    (lambda: val.speed_scaled_crush_mm(0.0, 40.0, 56.0),
     "max_dynamic_crush_mm: 0 mm; allowed: > 0 mm"),
    (lambda: val.speed_scaled_crush_mm(400.0, 40.0, float("nan")),
     "speed_to_kmh: nan km/h; allowed: > 0 km/h"),
])
def test_bad_input_refused_in_one_line(call, message):
    with pytest.raises(InputError) as e:
        call()
    assert str(e.value) == message


def test_every_row_above_its_peak_bound():
    assert all(_shape(t) > 1.0 for t in ROWS)


def test_the_cr_z_is_the_one_row_outside_the_shape_range():
    # rows whose static and dynamic crush agree (docs/crash.md): peak / ESW 1.96-2.57
    agree = ("7564", "7505", "7504", "7751", "8464", "9982", "9030", "8153", "8314")
    lo, hi = min(_shape(t) for t in agree), max(_shape(t) for t in agree)
    assert (round(lo, 2), round(hi, 2)) == (1.96, 2.57)
    out = [t for t in ROWS if not 0.9 * lo <= _shape(t) <= 1.1 * hi]
    assert out == ["7622"]
    assert _shape("7622") == pytest.approx(3.55, abs=0.01)
