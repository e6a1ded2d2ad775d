"""A ``us_specs.csv`` EV row imports its EPA test car's published motor (issue 13,
deliverable 5, task s40c): the peak torque and the single reduction of ``ev_motors.csv``
(the join the EPA import reads) where the row gives none.

Before 7 Dec 2026 these rows took the assumed 2.8 N m per kW and the 8.0 reduction
bounded at a 0.6 g launch force: the i3 351 N m at 7.5 for its published 250 N m at 9.7,
the Bolt 418 N m for 360, the i-MiEV 137 N m for 180; the 0-60 mph check's 7 EVs 8.05 ->
5.62 % MAE (docs/validation.md, "0-60 mph: the EVs' launch";
``python benchmarks/validation_probes.py ev_launch``)."""

from __future__ import annotations

import pytest

from keidesign.energy import testcars as tc
from keidesign.specs import build, sources


def _row(model: str) -> sources.VehicleRow:
    return next(v for v in sources.vehicle_rows("us_specs") if v.row["model"] == model)


def _entry(tables, table: str, key: str) -> build.Entry | None:
    t = next(t for t in tables if t.name == table)
    return next((e for e in t.entries if e.key == key), None)


@pytest.mark.parametrize("model, torque, reduction", [
    ("I3 BEV", 250.0, 9.7),          # ev_motors.csv, BMW I3 2014-2017 (V)
    ("BOLT EV", 360.0, 7.05),        # CHEVROLET BOLT 2017-2021 (R torque, EPA axle ratio)
    ("i-MiEV", 180.0, 7.065),        # MITSUBISHI I-MIEV 2012-2017 (V)
    ("Kona Electric", 395.0, None),  # HYUNDAI KONA 2019-2023: no published reduction
])
def test_an_ev_row_takes_its_test_cars_published_motor(model, torque, reduction):
    """The design's motor torque is the published one, sourced (not assumed); the final
    drive the published reduction, or left to the import's default where none is."""
    header, tables = build.build_design(sources.row_spec(_row(model)), predict=False)
    e = _entry(tables, "powertrain.bev", "motor_torque")
    assert e.value == torque and not e.assumed
    assert e.note.startswith("ev_motors.csv: published peak torque")
    fd = _entry(tables, "powertrain", "final_drive")
    if reduction is None:
        assert fd is None                       # bev_default_ratio decides, as before
    else:
        assert fd.value == reduction and not fd.assumed
        assert "ev_motors.csv: published reduction" in fd.note


def test_the_join_is_the_epa_import_s_and_leaves_a_given_torque():
    """The same ``ev_motors.csv`` row the EPA import joins to its test car; a spec that
    already has a torque or ratios keeps them (the row's own data win)."""
    vr = _row("I3 BEV")
    spec = sources.row_spec(vr)
    sr = sources.SpecRow(vr.line, vr.row)
    car = sources._epa_twin(sr, int(spec.get("model_year")), spec)
    assert car.motor_nm == spec.get("motor_torque") == tc.ev_motor(car).motor_nm
    spec.set("motor_torque", 123.0, "a spec file's own")
    spec.set("ratio_high", 1.0, "a spec file's own")
    spec.facts.pop("final_drive")
    sources._twin_motor(spec, car, "EPA test car")
    assert spec.get("motor_torque") == 123.0 and "final_drive" not in spec.facts


def test_a_row_without_a_test_car_joins_its_motor_by_name():
    """The Spark EV has no EPA test car in the data: its generation's ``ev_motors.csv``
    row is joined by the row's make, model and the import's model year (task s41e): the
    last year's (2016) 443 N m at 3.87, the 2014 car's 540 N m at 3.17 with --year."""
    for year, torque, reduction in ((None, 443.0, 3.87), (2014, 540.0, 3.17)):
        spec = sources.row_spec(_row("Spark EV"), year)
        _, tables = build.build_design(spec, predict=False)
        e = _entry(tables, "powertrain.bev", "motor_torque")
        assert e.value == torque and not e.assumed
        assert "joined by us_specs.csv line" in e.note and "make, model and model year" \
            in e.note
        fd = _entry(tables, "powertrain", "final_drive")
        assert fd.value == reduction and not fd.assumed
    # the same rows as the EPA join would take for such a car
    m = tc.ev_motor_of("CHEVROLET", "Spark EV", 2015)
    assert (m.family, m.motor_nm, m.reduction_ratio) == ("CHEVROLET SPARK", 443.0, 3.87)
    assert tc.ev_motor_of("CHEVROLET", "Spark EV", 2013) is None
    assert tc.ev_motor_of("CHEVROLET", "Spark", 2015) is None      # the pattern: EV only


def test_a_row_without_any_published_motor_keeps_the_assumed_torque(monkeypatch):
    """No test car and no ``ev_motors.csv`` row: the import's 2.8 N m per kW, marked
    assumed, and the default reduction, as before."""
    monkeypatch.setattr(tc, "ev_motors", lambda: ())
    _, tables = build.build_design(sources.row_spec(_row("Spark EV")), predict=False)
    e = _entry(tables, "powertrain.bev", "motor_torque")
    assert e.assumed and e.value == pytest.approx(2.8 * 105.0)
    assert _entry(tables, "powertrain", "final_drive") is None


def test_family_of_is_the_test_cars_family():
    """:func:`keidesign.energy.testcars.family_of` is the test cars' family (the join's
    key), for every shipped configuration."""
    cars = tc.test_cars()
    assert all(tc.family_of(c.make, c.model) == c.family for c in cars)
    assert tc.family_of("CHEVROLET", "Spark EV") == "CHEVROLET SPARK"
    assert tc.family_of("SUBARU", "BRZ") == "TOYOTA 86"      # TWINS
