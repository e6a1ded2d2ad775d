"""EV charging load (SAE J1634 wall energy) and the induction machine's magnetising loss:
data (ev_chargers.csv, kei.csv charger columns), kernels, component partials, design
keys and the import."""

import csv
from dataclasses import replace
from importlib import resources

import numpy as np
import pytest
from conftest import loads_rewritten_csv, run_comp
from openmdao.utils.assert_utils import assert_check_partials

from keidesign.design import parse_design
from keidesign.energy import calibration as cal
from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc
from keidesign.energy import vehicle as veh
from keidesign.energy.components import CycleComp
from keidesign.energy.cycles import segments
from keidesign.errors import InputError
from keidesign.specs import sources
from keidesign.specs.build import build_design


def _rows():
    ref = resources.files("keidesign").joinpath("data", "vehicles", "ev_chargers.csv")
    with ref.open("r", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_charger_row_sourced_and_marked():
    rows = _rows()
    assert len(rows) >= 10
    for r in rows:
        assert r["source"].strip().startswith("http"), r["family"]
        assert r["status"] in ("V", "R"), (r["family"], r["status"])
        assert 1.0 <= float(r["charger_kw"]) <= 22.0


def test_charger_join_picks_the_generation():
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    by = {(car.family, car.year): car.charger_kw for car in ev}
    assert by[("TOYOTA RAV4", 2012)] == 10.0
    assert by[("MITSUBISHI I-MIEV", 2012)] == 3.3
    assert by[("NISSAN LEAF", 2011)] == 3.3
    by_model = {(car.year, car.model): car.charger_kw for car in ev}
    assert by_model[(2013, "NISSAN LEAF S")] == 3.6  # the trim's standard charger
    assert by_model[(2013, "NISSAN LEAF SL")] == 6.6
    assert by_model[(2020, "Model 3 Long Range AWD")] == 11.5
    assert by_model[(2020, "Model 3 Standard Range Plus RWD")] == 7.7
    assert by_model[(2019, "Mid Range RWD")] is None  # not found: the default
    assert by_model[(2017, "IONIQ")] == 6.6 and by_model[(2020, "Ioniq Electric")] == 7.2
    assert by_model[(2022, "Ioniq 5")] == 10.9
    assert by[("KIA NIRO", 2019)] == 7.2 and by[("KIA NIRO", 2023)] == 11.0
    leaf = next(car for car in ev if car.family == "NISSAN LEAF")
    assert tc.ev_charger(replace(leaf, year=2030)) is None


def test_bad_charger_row_named(monkeypatch, tmp_path):
    rows = _rows()
    rows[0] = {**rows[0], "charger_kw": "40"}
    with pytest.raises(ValueError, match="NISSAN LEAF 2011-2012: charger_kw '40'"):
        loads_rewritten_csv(monkeypatch, tmp_path, rows, tc.ev_chargers)


def test_kei_ev_rows_carry_their_charger():
    kei = {r["model"]: r for r in cal.kei_rows() if r["powertrain"] == "BEV"}
    assert float(kei["Nissan Sakura"]["charger_kW"]) == 3.0
    for r in kei.values():
        assert r["charger_status"] in ("V", "R", "A") and r["charger_source"].strip()
    spec = cal.kei_spec(kei["Nissan Sakura"], "tallboy", False, None, "cvt", "fwd",
                        cal.KEI_TYRE_D_M)
    assert spec.charger_kw == 3.0


def _bev_x(charger_kw: float, induction: float) -> dict:
    spec = veh.VehicleSpec(kind="bev", trans="single_speed", power=47.0, torque=195.0,
                           charger_kw=charger_kw,
                           motor_type="induction" if induction else "pmsm")
    q = {k: np.array([[float(v)]]) for k, v in spec.quantities().items()}
    return veh.kernel_params("bev", "single_speed", q)


def test_wall_energy_carries_the_charging_load():
    """wall = dc / eta_chg x (1 + P_par / P_chg): the battery energy does not depend on
    the charger; a 3.3 kW charger costs 1 + P_par / 3.3 kW, an 11 kW one less."""
    c = kc.bev_constants()
    seg = segments(("udds_bag1", "udds_bag2"))
    small, large = (pt.bev_cycle(seg, _bev_x(kw, 0.0), c) for kw in (3.3, 11.0))
    assert np.allclose(small["dc"], large["dc"])
    p_par = c["charge_parasitic_kw"]
    assert p_par > 0.0
    for r, kw in ((small, 3.3), (large, 11.0)):
        assert np.allclose(r["wall"], r["dc"] / 0.90 * (1.0 + p_par / kw))
    assert pt.charge_factor(3.3e3, c) > pt.charge_factor(11e3, c) > 1.0


def test_induction_machine_pays_its_magnetising_current():
    """At zero torque a permanent-magnet map loses only iron and windage; an induction
    machine adds c_mag x k_m x the size magnitude, and so uses more battery energy."""
    c = kc.bev_constants()
    p_r, t_r = 47e3, 195.0
    w = p_r / t_r
    pm = pt.motor_loss(0.0, w, p_r, t_r, c)
    im = pt.motor_loss(0.0, w, p_r, t_r, c, induction=1.0)
    size = c["loss_ref_kw"] * 1e3 * (p_r / (c["loss_ref_kw"] * 1e3)) ** c["loss_size_exponent"]
    assert im - pm == pytest.approx(c["loss_scale"] * c["c_mag"] * size, rel=1e-12)
    seg = segments(("udds_bag1", "udds_bag2"))
    dc_pm = pt.bev_cycle(seg, _bev_x(7.2, 0.0), c)["dc"]
    dc_im = pt.bev_cycle(seg, _bev_x(7.2, 1.0), c)["dc"]
    assert np.all(dc_im > dc_pm * 1.02)


def test_epa_params_take_the_charger_and_the_motor_type():
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    x = cal.epa_bev_params(ev, cal.fixed_constants())
    for i, car in enumerate(ev):
        assert x["p_chg"][i, 0] == (car.charger_kw or pt.CHARGER_KW_DEFAULT) * 1e3
        assert x["induction"][i, 0] == (1.0 if car.motor_type == "induction" else 0.0)
    assert x["induction"].sum() == 2.0  # RAV4 EV, B-class


def test_partials_cycles_small_charger_induction():
    vals = {"energy:road:m_eff": 1077.0, "energy:road:f0": 100.0, "energy:road:f1": 0.9,
            "energy:road:f2": 0.45, "mass:test": 1046.0,
            "powertrain:overall_ratio_low": 29.0, "powertrain:overall_ratio_high": 29.0,
            "powertrain:bev:motor_power": 47.0, "powertrain:bev:motor_torque": 195.0,
            "powertrain:bev:battery_energy": 20.0, "powertrain:bev:charger_power": 3.3}
    probs = {}
    for mt in pt.MOTOR_TYPES:
        prob = run_comp(CycleComp(kind="bev", transmission="single_speed", motor_type=mt),
                        **vals)
        data = prob.check_partials(method="cs", out_stream=None)
        assert_check_partials(data, atol=1e-6, rtol=2e-6)
        probs[mt] = prob
    d = probs["pmsm"].compute_totals(["energy:ftp_kwh_per_mi"],
                                     ["powertrain:bev:charger_power"])
    assert d[("energy:ftp_kwh_per_mi", "powertrain:bev:charger_power")][0, 0] < 0.0
    assert (probs["induction"].get_val("energy:ftp_kwh_per_mi")[0]
            > probs["pmsm"].get_val("energy:ftp_kwh_per_mi")[0])


def _sakura_text() -> str:
    from pathlib import Path
    return (Path(__file__).resolve().parents[1] / "studies" / "designs"
            / "sakura_class.toml").read_text(encoding="utf-8")


def _err(text: str) -> str:
    with pytest.raises(InputError) as info:
        parse_design(text, "cand.toml")
    msg = str(info.value)
    assert msg.startswith("cand.toml: ") and "\n" not in msg, msg
    return msg


def test_design_keys_parse_and_bad_values_named():
    text = _sakura_text()
    line = next(ln for ln in text.splitlines() if ln.startswith("charger_power"))
    d = parse_design(text.replace(line, line + '\nmotor_type = "induction"'))
    assert d["powertrain:bev:charger_power"] == 3.0  # the Sakura's, kei.csv
    assert d["powertrain:bev:motor_type"] == "induction"
    d = parse_design(text.replace(line + "\n", ""))
    assert d["powertrain:bev:charger_power"] == pt.CHARGER_KW_DEFAULT
    assert d["powertrain:bev:motor_type"] == "pmsm"
    msg = _err(text.replace(line, "charger_power = 40"))
    assert "powertrain.bev.charger_power = 40" in msg and "22" in msg
    msg = _err(text.replace(line, line + '\nmotor_type = "dc"'))
    assert "powertrain.bev.motor_type" in msg and "induction" in msg


def test_epa_import_writes_the_charger_and_the_motor_type():
    rav4 = next(car for car in tc.test_cars() if car.cls == "ev" and "RAV4" in car.model)
    spec = sources.epa_spec(car=rav4)
    assert spec.get("motor_type") == "induction"
    assert spec.get("charger_power") == 10.0
    kandi = next(car for car in tc.test_cars() if car.cls == "ev" and car.family == "KANDI K23")
    tables = {t.name: t for t in build_design(sources.epa_spec(car=kandi))[1]}
    entries = {e.key: e for e in tables["powertrain.bev"].entries}
    assert entries["charger_power"].value == pt.CHARGER_KW_DEFAULT
    assert entries["charger_power"].assumed and entries["motor_type"].assumed


def test_fit_bev_holds_constants_and_the_new_terms_help_in_sample():
    _, ev = cal.training_cars()
    c = cal.fixed_constants()
    before = cal.fit_bev(ev, c, hold=cal.BEV_HOLD_BEFORE)
    assert {k: before[k] for k in cal.BEV_HOLD_BEFORE} == cal.BEV_HOLD_BEFORE
    full = cal.fit_bev(ev, c)
    assert full["c_mag"] > 0.0 and full["charge_parasitic_kw"] > 0.0

    def mae(fit):
        p = cal.predict_bev(ev, c, fit)
        return np.mean([abs(p[t][i] / car.measured[t] - 1.0) for t in ("ftp", "hwfet")
                        for i, car in enumerate(ev)])
    assert mae(full) < mae(before)


def test_openmdao_path_reproduces_the_ev_calibration():
    """CycleComp with an induction EPA row's coast-down load, gearing, motor and charger
    gives the calibration's MPGe (one implementation: both call powertrains.bev_cycle)."""
    cs, _, bev = cal.stored_fits()
    rav4 = next(car for car in tc.test_cars() if car.cls == "ev" and "RAV4" in car.model)
    x = cal.epa_bev_params([rav4], cs)
    pred = cal.predict_bev([rav4], cs, bev)
    vals = {"energy:road:m_eff": x["m_eff"][0, 0], "energy:road:f0": x["f0"][0, 0],
            "energy:road:f1": x["f1"][0, 0], "energy:road:f2": x["f2"][0, 0],
            "mass:test": rav4.etw,
            "powertrain:overall_ratio_low": x["k"][0, 0],
            "powertrain:overall_ratio_high": x["k"][0, 0],
            "powertrain:bev:motor_power": x["p_r"][0, 0] / 1e3,
            "powertrain:bev:motor_torque": x["t_r"][0, 0],
            "powertrain:bev:charger_power": x["p_chg"][0, 0] / 1e3,
            "powertrain:bev:battery_energy": 40.0,
            # the row's own pack resistance (its joined pack's, or the assumed one)
            "powertrain:bev:battery_resistance": x["r_b"][0, 0]}
    prob = run_comp(CycleComp(kind="bev", transmission="single_speed",
                              motor_type="induction"), **vals)
    assert prob.get_val("energy:ftp_mpg")[0] == pytest.approx(pred["ftp"][0], rel=1e-6)
    assert prob.get_val("energy:hwfet_mpg")[0] == pytest.approx(pred["hwfet"][0], rel=1e-6)
