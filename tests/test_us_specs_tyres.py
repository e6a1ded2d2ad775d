"""us_specs.csv tyres (issue 13): one size a row, the driven axle's. A staggered car's
catalogue gives two sizes (the smart fortwo, the BMW i3 and i8, the Alfa 4C: narrower
fronts, driven rears); the import read the first, the undriven front, until 5 Dec 2026.
The model has one tyre size, whose rolling radius sets the overall gearing: the driven
axle's is in ``tyre``, the other axle's in ``tyre_other_axle`` (read by no model)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from keidesign.energy import testcars as tc
from keidesign.specs import sources
from keidesign.specs.sources import parse_tyre, tyre_sizes
from keidesign.validation import specsonly


def _rows():
    return sources.us_specs_rows()


def test_every_row_has_at_most_one_size_per_axle():
    staggered = []
    for sr in _rows():
        r = sr.row
        assert len(tyre_sizes(r["tyre"])) <= 1, (sr.line, r["tyre"])
        assert (parse_tyre(r["tyre"]) is not None) == bool(r["tyre"].strip()), sr.line
        other = r["tyre_other_axle"].strip()
        if other:
            assert len(tyre_sizes(other)) == 1 and r["tyre"].strip(), sr.line
            assert r["tyre_source"].strip() and r["tyre_status"] in ("V", "R"), sr.line
            staggered.append((r["make"], r["model"]))
        if r["tyre_source"].strip() or r["tyre_status"].strip():
            assert r["tyre_status"] in ("V", "R") and r["tyre_source"].strip(), sr.line
    assert ("smart", "fortwo") in staggered and ("BMW", "I3 BEV") in staggered
    assert ("BMW", "I8") in staggered and ("Fiat", "Alfa 4c") in staggered
    assert ("MITSUBISHI", "i-MiEV") in staggered


@pytest.mark.parametrize("make, model, generation, driven, other", [
    ("MITSUBISHI", "i-MiEV", "HA3W", (175.0, 60.0, 15.0), (145.0, 65.0, 15.0)),
    ("smart", "fortwo", "W451", (175.0, 55.0, 15.0), (155.0, 60.0, 15.0)),
])
def test_rear_driven_rows_give_the_rear_and_the_front(make, model, generation, driven,
                                                        other):
    """The i-MiEV (rear motor) and the fortwo W451 (rear engine): ``tyre`` is the driven
    rear, the narrower front in ``tyre_other_axle`` (5 Dec 2026)."""
    sr, = [s for s in _rows() if (s.row["make"], s.row["model"], s.row["generation"])
           == (make, model, generation)]
    assert parse_tyre(sr.row["tyre"]) == driven
    assert parse_tyre(sr.row["tyre_other_axle"]) == other
    assert driven[0] > other[0]                       # the wider tyre on the driven axle


@pytest.mark.parametrize("model, rear, front", [
    ("I3 BEV", (175.0, 60.0, 19.0), (155.0, 70.0, 19.0)),
    ("I3s", (195.0, 50.0, 20.0), (175.0, 55.0, 20.0)),
])
def test_epa_import_of_the_i3_takes_the_rear_size(model, rear, front):
    cars = [c for c in tc.test_cars() if c.make == "BMW" and c.model == model]
    assert cars and all(c.drive == "rwd" for c in cars)
    for car in cars:
        spec = sources.epa_spec(car=car)
        assert spec.get("tyre") == rear != front
        assert "the driven axle's" in spec.facts["tyre"].note
    design = specsonly.imported(cars[0])                     # keidesign import epa --predict
    assert (design.values["body:tyre_width"], design.values["body:tyre_aspect"]) == rear[:2]


def test_us_specs_import_of_the_smart_takes_the_rear_size():
    spec = sources.vehicle_spec("smart fortwo", file="us_specs", variant="W453")
    assert spec.get("tyre") == (185.0, 60.0, 15.0)          # rear; front 165/65 R15
    ed = sources.vehicle_spec("smart fortwo electric drive", file="us_specs")
    assert ed.get("tyre") == (185.0, 60.0, 15.0)


def test_a_two_size_cell_is_refused_with_its_line():
    sr = next(s for s in _rows() if s.row["tyre_other_axle"])
    bad = replace(sr, row={**sr.row, "tyre": "165/65 R15 || 185/60 R15"})
    with pytest.raises(ValueError, match=rf"us_specs.csv line {sr.line}: tyre .*one size"):
        sources._us_specs_tyre(bad)


def test_roadload_probe_rolls_a_staggered_car_on_both_sizes():
    """``benchmarks/roadload_probe.py``'s tyre relation (a probe, tried and not kept):
    a staggered car's factor is the mean of its two axles' (equal axle loads)."""
    import numpy as np
    from conftest import benchmark_module

    rp = benchmark_module("roadload_probe")
    d = rp.data()
    i3 = np.flatnonzero(d.fam == "BMW I3")
    assert i3.size and np.isfinite(d.tyre_other[i3, 0]).all()
    f = rp.tyre_factor(d)
    for i in i3:
        both = (rp.tyre_rrc_factor(*d.tyre[i]) + rp.tyre_rrc_factor(*d.tyre_other[i])) / 2
        assert f[i] == pytest.approx(float(both), rel=1e-12)
    one = np.flatnonzero(~np.isfinite(d.tyre_other[:, 0]) & np.isfinite(d.tyre[:, 0]))[0]
    assert f[one] == pytest.approx(float(rp.tyre_rrc_factor(*d.tyre[one])), rel=1e-12)
