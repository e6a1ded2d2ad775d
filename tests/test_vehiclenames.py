"""Every label of a published car says its make once (the validation tables said
"NISSAN NISSAN LEAF S" and "2013 CODA CODA 5005": the data files repeat the make at the
start of the model)."""

from __future__ import annotations

import csv
from importlib.resources import files

from keidesign.energy import testcars as tc
from keidesign.validation import crash as cv
from keidesign.vehiclenames import car_label, model_after_make, vehicle_name


def _make_twice(label: str, make: str) -> bool:
    """``make`` followed by itself, or by itself plus digits (MAZDA MAZDA2), in ``label``."""
    w = label.lower().split()
    m = make.lower()
    return any(a == m and (b == m or (b.startswith(m) and b[len(m):].isdigit()))
               for a, b in zip(w, w[1:], strict=False))


def test_car_label_says_the_make_once_as_written():
    assert car_label("NISSAN", "NISSAN LEAF S", "ZE0/AZE0 (1st gen)") == \
        "NISSAN LEAF S ZE0/AZE0 (1st gen)"
    assert car_label("MAZDA", "MAZDA2", "DE (2nd gen, US)") == "MAZDA2 DE (2nd gen, US)"
    assert car_label("CODA", "CODA") == "CODA"
    assert car_label("KIA", "Soul", "PS (2nd gen)") == "KIA Soul PS (2nd gen)"
    assert car_label("KIA", "KIAXX", "") == "KIA KIAXX"  # not the make plus a digit
    assert model_after_make("NISSAN", "nissan leaf") == " leaf"
    assert vehicle_name("NISSAN", "NISSAN LEAF S") == "Nissan LEAF S"


def test_validation_car_keys_say_the_make_once():
    """The car column of docs/validation.md (worst configurations) and docs/validation.json
    is :attr:`TestCar.key`."""
    cars = tc.test_cars()
    doubled = [c.key for c in cars if c.model.upper().startswith(c.make.upper())]
    assert doubled, "the EPA rows no longer repeat the make: this test checks nothing"
    assert [c.key for c in cars if _make_twice(c.key, c.make)] == []
    coda = next(c for c in cars if c.make.upper() == "CODA")
    assert coda.key.startswith(f"{coda.year} CODA {coda.vehicle_id} ")


def test_crash_and_range_names_say_the_make_once():
    """docs/crash.md and the EV range table of docs/validation.md name us_specs
    generations by :func:`keidesign.validation.crash.car_name`."""
    text = files("keidesign").joinpath("data", "vehicles", "us_specs.csv").read_text(
        encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert any(r["model"].upper().startswith(r["make"].upper() + " ") for r in rows)
    assert [cv.car_name(r) for r in rows if _make_twice(cv.car_name(r), r["make"])] == []
    pulses = [r for r in cv.ncap_pulse_rows() if r["us_specs_make"]]
    assert "NISSAN VERSA S N17 sedan" in {cv.car_name(r, "us_specs_") for r in pulses}


def test_us_specs_row_labels_say_the_make_once():
    """``keidesign import vehicle`` lists rows by this label, and the mass calibration
    names its cars by it (data/mass/calibration_cars.csv, docs/mass_cost.md)."""
    from keidesign.specs import sources

    rows = sources.vehicle_rows("us_specs")
    labels = {vr.label: vr.row["make"] for vr in rows}
    assert "NISSAN LEAF S, ZE0/AZE0 (1st gen) (2011-2017), 24 kW (109 HP)" in labels
    assert [lab for lab, make in labels.items() if _make_twice(lab.replace(",", " "), make)] == []
    assert {vr.label for vr in rows} == {sources.SpecRow(vr.line, vr.row).label for vr in rows}
