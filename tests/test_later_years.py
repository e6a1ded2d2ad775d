"""The model-year hold-out stand-in (``benchmarks/later_years.py``, task s42e): its row
selection, and its core on three MY2023 rows with the record checked against a live
prediction with the shipped constants (a stale docs/validation.json would fail it)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from conftest import benchmark_module

from keidesign.energy import calibration as cal
from keidesign.energy import testcars as tc
from keidesign.validation.report import car_id


def test_split_marks_a_family_new_only_when_no_earlier_year_has_it():
    ly = benchmark_module("later_years")
    cars = [SimpleNamespace(year=y, family=f)
            for y, f in ((2018, "A"), (2020, "A"), (2021, "B"), (2022, "B"), (2019, "C"))]
    got = [(c.year, c.family, new) for c, new in ly.split(cars, 2020)]
    assert got == [(2020, "A", False), (2021, "B", True), (2022, "B", True)]
    got = [(c.year, c.family, new) for c, new in ly.split(cars, 2019)]
    assert got == [(2020, "A", False), (2021, "B", True), (2022, "B", True), (2019, "C", True)]
    assert ly.split(cars, 2023) == []


def test_core_on_three_rows_matches_a_live_prediction_with_the_shipped_constants():
    ly = benchmark_module("later_years")
    my23 = [c for c in tc.test_cars() if c.year == 2023]
    ice = [c for c in my23 if c.cls == "cvt"][:2]
    ev = [c for c in my23 if c.cls == "ev"][:1]
    three = ice + ev
    assert len(three) == 3
    errs = ly.errors_a(three, ly.record())
    c, fit, bev = cal.stored_fits()
    p_ice, p_ev = cal.predict_ice(ice, c, fit), cal.predict_bev(ev, c, bev)
    for cars, p in ((ice, p_ice), (ev, p_ev)):
        for i, car in enumerate(cars):
            for t in ("ftp", "hwfet"):
                assert errs[car_id(car)]["shipped"][t] == pytest.approx(
                    p[t][i] / car.tests[t] - 1.0, abs=1e-6)
    # held out by family: another set of constants, so another prediction
    assert any(errs[car_id(x)]["lofo"]["ftp"] != errs[car_id(x)]["shipped"]["ftp"]
               for x in three)
    # the label from the test car exists exactly for the rows with a label record
    for x in three:
        has = tc.label_for(x) is not None
        assert np.isfinite(errs[car_id(x)]["shipped"]["label_testcar"]) == has
    specs, failed = ly.errors_specs(ice[:1])
    assert len(ly.so.cases(ice[:1])) == 1  # the row has a published-spec row
    assert not failed and len(specs) == 1
    for e in specs.values():
        assert abs(e["test_mass"]) < 0.2 and abs(e["road_chain"]) < 0.4
