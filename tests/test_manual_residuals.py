"""benchmarks/manual_residuals.py (docs/validation.md, "Why the sporty manuals are
optimistic"): the published rated speeds it reads, the gear-rule speeds it reports and
the rated-speed shift rule of its trials."""

from __future__ import annotations

import csv
import importlib
import re
import sys

import numpy as np
import pytest
from conftest import ROOT

from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc


@pytest.fixture(scope="module")
def mr():
    bench = str(ROOT / "benchmarks")
    sys.path[:0] = [] if bench in sys.path else [bench]  # the probe imports its helpers
    return importlib.import_module("manual_residuals")


def test_engine_speed_rows_are_sourced(mr):
    with mr.SPEEDS_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) > 50
    for r in rows:
        assert r["status"] == "R"
        assert re.search(r"record id=\d+ .*https://www\.autoevolution\.com/", r["source"])
        assert 3500.0 <= float(r["rated_rpm"]) <= 9000.0
        # the join's tolerance: the same engine within 8 % of the EPA rated power
        assert abs(float(r["rated_hp"]) / float(r["epa_rated_hp"]) - 1.0) <= 0.08 + 1e-9


def test_known_engines_join(mr):
    table = mr.engine_speeds()
    cars = {c.family: c for c in tc.test_cars() if c.family == "LOTUS ELISE/EXIGE"}
    assert mr.rated_rpm(cars["LOTUS ELISE/EXIGE"], table) == 7800.0  # 2ZZ-GE, 192 hp
    mazda3 = [c for c in tc.test_cars() if c.family == "MAZDA 3" and abs(c.vd - 2.5) < 0.06]
    assert mazda3 and all(np.isnan(mr.rated_rpm(c, table)) for c in mazda3)


def test_cruise_rpm_follows_the_gear_rule(mr):
    car = next(c for c in tc.test_cars() if c.trans == "mt5")
    n = [mr.cruise_rpm(car, v, 1500.0) for v in (20.0, 25.0, 30.0)]
    assert all(x >= 1500.0 for x in n)
    spread = pt.TRANSMISSION_DEFAULTS["mt5"]["ratio_low"] / pt.TRANSMISSION_DEFAULTS[
        "mt5"]["ratio_high"]
    step = spread ** 0.25  # ratio between neighbouring gears of a geometric 5-speed
    # the next gear up would be below the shift speed (or this is top gear)
    assert all(x / step < 1500.0 or abs(x / (v * car.nv) - 1.0) < 1e-9
               for x, v in zip(n, (20.0, 25.0, 30.0), strict=True))
    cvt = next(c for c in tc.test_cars() if c.trans == "cvt")
    assert np.isnan(mr.cruise_rpm(cvt, 25.0, 1500.0))


def test_scaled_shift_is_the_gtr15_form(mr):
    rpm = pt.RPM
    w_idle, w_shift = 750.0 * rpm, 1500.0 * rpm
    w_r = np.array([[6000.0], [7800.0], [4900.0]]) * rpm
    got = mr.scaled_shift(w_shift, w_r, w_idle) / rpm
    share = (1500.0 - 750.0) / (6000.0 - 750.0)  # 0.143 at the reference engine
    np.testing.assert_allclose(got[:, 0], 750.0 + share * (w_r[:, 0] / rpm - 750.0))
    assert got[0, 0] == pytest.approx(1500.0)


def test_bags_use_the_shipped_calibration(mr):
    """``bags`` evaluates the stored constants: over the gasoline configurations they
    give the in-sample MAE calibration.toml records."""
    import tomllib

    from keidesign.energy import calibration as cal
    from keidesign.validation import fueleconomy as fe

    cars = [c for c in tc.test_cars() if c.cls in fe.ICE_CLASSES]
    pred = cal.predict_ice(cars, cal.fixed_constants(), mr._shipped_fit())
    with (ROOT / "keidesign" / "energy" / "calibration.toml").open("rb") as f:
        stored = tomllib.load(f)["ice"]["fit"]
    assert stored["n_vehicles"] == len(cars)
    for t in ("ftp", "hwfet"):
        mae = np.mean(np.abs(pred[t] / np.array([c.tests[t] for c in cars]) - 1.0))
        assert mae == pytest.approx(stored[f"mae_{t}"], abs=2e-4)
