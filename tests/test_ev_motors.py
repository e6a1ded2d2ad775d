"""Published EV traction motors (data/vehicles/ev_motors.csv) and their join to the EPA rows."""

import csv
from dataclasses import replace
from importlib import resources

import numpy as np
import pytest
from conftest import loads_rewritten_csv

from keidesign.energy import calibration as cal
from keidesign.energy import testcars as tc


def _rows():
    ref = resources.files("keidesign").joinpath("data", "vehicles", "ev_motors.csv")
    with ref.open("r", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_row_sourced_and_marked():
    for r in _rows():
        assert r["source"].strip(), r["family"]
        for col in ("status_kw", "status_nm", "status_type"):
            assert r[col] in ("V", "R", "A"), (r["family"], col, r[col])
        # a published value (V/R) must be present; an empty one must be marked A
        for val, st in (("motor_kw", "status_kw"), ("motor_nm", "status_nm")):
            if not r[val]:
                assert r[st] == "A", (r["family"], val)


def test_every_epa_ev_family_has_a_row():
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    missing = sorted({car.family for car in ev if tc.ev_motor(car) is None})
    assert not missing


def test_join_picks_the_generation():
    leafs = {car.year: car for car in tc.test_cars() if car.family == "NISSAN LEAF"}
    assert leafs[2011].motor_nm == 280.0  # ZE0, EM61
    assert leafs[2013].motor_nm == 254.0  # AZE0, EM57
    ioniq = {car.model: car for car in tc.test_cars() if car.family == "HYUNDAI IONIQ"
             and car.cls == "ev"}
    assert ioniq["IONIQ"].motor_kw == 88.0
    assert ioniq["Ioniq Electric"].motor_kw == 100.0
    assert ioniq["Ioniq 6 Standard Range RWD"].motor_kw == 111.0
    rav4 = next(car for car in tc.test_cars() if car.cls == "ev" and "RAV4" in car.model)
    assert rav4.motor_type == "induction"


def test_assumed_torque_reads_as_not_published():
    """A torque marked A is None; the Model 3's rows join by drive unit (5 Dec 2026: the
    Performance row before the AWD one, since the first matching pattern wins)."""
    tesla = [car for car in tc.test_cars() if car.family == "TESLA MODEL 3"]
    perf = [car for car in tesla if "Performance" in car.model]
    assert perf and all(car.motor_nm is None and car.motor_kw is None for car in perf)
    awd = [car for car in tesla if "AWD" in car.model and car not in perf]
    assert awd and all(car.motor_nm == 493.0 and car.motor_kw == 324.0 for car in awd)
    assert all(car.motor_type == "PMSM+induction" for car in awd + perf)
    rwd = [car for car in tesla if "AWD" not in car.model]
    assert rwd and all(car.motor_nm == 420.0 and car.motor_type == "PMSM" for car in rwd)
    kandi = [car for car in tc.test_cars() if car.family == "KANDI K23"]
    assert kandi and all(car.motor_nm is None for car in kandi)


def test_sourced_torques_of_the_former_assumed_rows():
    """Issue 13 (5 Dec 2026): the i3s, the 2023 Niro EV and the Bluecar carry their
    second-hand (R) torques."""
    ev = {(car.family, car.year, car.model): car for car in tc.test_cars() if car.cls == "ev"}
    assert {c.motor_nm for k, c in ev.items() if k[0] == "BMW I3" and "I3s" in k[2]} == {270.0}
    assert {c.motor_nm for k, c in ev.items() if k[:2] == ("KIA NIRO", 2023)} == {255.0}
    assert {c.motor_nm for k, c in ev.items() if k[0] == "BLUECAR"} == {170.0}


def test_kei_rows_agree_with_the_kei_catalogue():
    kei = {r["model"]: r for r in cal.kei_rows() if r["powertrain"] == "BEV"}
    fam = {"NISSAN SAKURA": "Nissan Sakura", "MITSUBISHI EK": "Mitsubishi eK X EV",
           "HONDA N-VAN": "Honda N-VAN e:"}
    rows = {r.family: r for r in tc.ev_motors() if r.family in fam}
    assert set(rows) == set(fam)
    for f, model in fam.items():
        assert rows[f].motor_kw == float(kei[model]["motor_kW"])
        assert rows[f].motor_nm == float(kei[model]["torque_Nm"])


def test_motor_data_option_changes_the_epa_params():
    """The calibration takes the published motors by default; ``assumed`` is the EPA hp
    and the Leaf's torque for every row, ``torque`` the published torque only."""
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    c = cal.fixed_constants()
    pub = cal.epa_bev_params(ev, c)
    c["bev"]["motor_data"] = "assumed"
    base = cal.epa_bev_params(ev, c)
    c["bev"]["motor_data"] = "torque"
    tq = cal.epa_bev_params(ev, c)
    assert np.all(base["t_r"] == c["bev"]["torque_leaf_nm"])
    i = next(i for i, car in enumerate(ev) if car.family == "KIA SOUL" and car.year == 2018)
    assert pub["t_r"][i, 0] == 285.0 and pub["p_r"][i, 0] == pytest.approx(81.4e3)
    assert base["p_r"][i, 0] == pytest.approx(ev[i].hp * 745.7)
    assert tq["t_r"][i, 0] == 285.0 and tq["p_r"][i, 0] == base["p_r"][i, 0]
    j = next(j for j, car in enumerate(ev) if car.family == "KANDI K23")
    assert pub["t_r"][j, 0] == c["bev"]["torque_leaf_nm"]  # not published: default kept


def test_bad_motor_data_and_type_named():
    c = cal.fixed_constants()
    c["bev"]["motor_data"] = "guess"
    with pytest.raises(ValueError, match="motor_data 'guess'.*assumed"):
        cal.epa_bev_params([], c)


def test_bad_motor_type_rejected(monkeypatch, tmp_path):
    rows = _rows()
    rows[0] = {**rows[0], "motor_type": "dc brushed"}
    with pytest.raises(ValueError, match="motor_type 'dc brushed' for NISSAN LEAF"):
        loads_rewritten_csv(monkeypatch, tmp_path, rows, tc.ev_motors)


def test_a_car_outside_every_row_gets_none():
    car = next(car for car in tc.test_cars() if car.family == "NISSAN LEAF")
    assert tc.ev_motor(replace(car, year=2030)) is None

