"""Heated traction battery (lithium metal polymer, powertrains.PACK_HEATER_KW): data
(ev_pack_chemistry.csv), the kernel's driving and charging draw, the design key, the
component and its partials, and the import."""

import numpy as np
import pytest
from conftest import loads_rewritten_csv, run_comp
from openmdao.utils.assert_utils import assert_check_partials

from keidesign.cli import main
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
    return tc._vehicle_rows("ev_pack_chemistry.csv")


def test_chemistry_rows_sourced_and_joined():
    for r in _rows():
        assert r["source"].strip().startswith("http"), r["family"]
        assert r["status"] in ("V", "R") and r["chemistry"] in pt.PACK_HEATER_KW
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    lmp = {car.family for car in ev if car.pack_chemistry == "lmp"}
    assert lmp == {"BLUECAR"}
    assert sum(car.pack_chemistry == "li-ion" for car in ev) == len(ev) - 1


def test_heater_power_is_the_measured_draw_at_the_test_cell():
    """The median parked draw (0.45 kW at 15 C) scaled by Newton's cooling to the J1634
    cell: 0.45 x (70 - 25) / (70 - 15) = 0.368 kW (Bollore's 0.2 kW before 6 Dec 2026);
    within the measured 0.43-0.60 kW once back at 15 C; Li-ion: none."""
    assert pt.PACK_HEATER_KW["lmp"] == pytest.approx(0.45 * 45.0 / 55.0, abs=1e-3)
    assert pt.lmp_heater_kw(0.45) == pytest.approx(0.368, abs=1e-3)
    back = pt.PACK_HEATER_KW["lmp"] * 55.0 / 45.0
    assert min(pt.LMP_PARKED_KW) <= back <= max(pt.LMP_PARKED_KW)
    assert pt.PACK_HEATER_KW["li-ion"] == 0.0


def test_bad_chemistry_row_named(monkeypatch, tmp_path):
    rows = _rows()
    rows[0] = {**rows[0], "chemistry": "nimh"}
    with pytest.raises(ValueError, match="BLUECAR 2016-2016: chemistry 'nimh'.*lmp"):
        loads_rewritten_csv(monkeypatch, tmp_path, rows, tc.ev_pack_chemistries)


def _bev_x(chem: str) -> dict:
    spec = veh.VehicleSpec(kind="bev", trans="single_speed", power=50.0, torque=200.0,
                           pack_chemistry=chem)
    q = {k: np.array([[float(v)]]) for k, v in spec.quantities().items()}
    return veh.kernel_params("bev", "single_speed", q)


def test_heater_draws_while_driving_and_while_charging():
    """Battery energy grows by at least P_heat x the cycle time (the battery's I^2 R
    on top); the wall energy carries it again while charging: dc / eta x
    (1 + (P_par + P_heat) / P_chg)."""
    c = kc.bev_constants()
    seg = segments(("udds_bag1", "udds_bag2"))
    li, lmp = (pt.bev_cycle(seg, _bev_x(chem), c) for chem in ("li-ion", "lmp"))
    p_heat = pt.PACK_HEATER_KW["lmp"] * 1e3
    extra = lmp["dc"] - li["dc"]
    heat = p_heat * np.add.reduceat(seg.dt, seg.starts)  # J per segment
    assert np.all(extra >= heat * 0.999) and np.all(extra <= heat * 1.05)
    p_chg = pt.CHARGER_KW_DEFAULT * 1e3
    f = 1.0 + (c["charge_parasitic_kw"] * 1e3 + p_heat) / p_chg
    assert np.allclose(lmp["wall"], lmp["dc"] / 0.90 * f)
    assert np.allclose(li["wall"], li["dc"] / 0.90 * pt.charge_factor(p_chg, c))


def test_epa_params_take_the_heater():
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    x = cal.epa_bev_params(ev, cal.fixed_constants())
    for i, car in enumerate(ev):
        assert x["p_heat"][i, 0] == pt.PACK_HEATER_KW[car.pack_chemistry] * 1e3


def test_component_lmp_uses_more_and_partials_hold():
    vals = {"energy:road:m_eff": 1600.0, "energy:road:f0": 120.0, "energy:road:f1": 1.0,
            "energy:road:f2": 0.40, "mass:test": 1530.0,
            "powertrain:overall_ratio_low": 29.0, "powertrain:overall_ratio_high": 29.0,
            "powertrain:bev:motor_power": 50.0, "powertrain:bev:motor_torque": 200.0,
            "powertrain:bev:battery_energy": 30.0}
    out = {}
    for chem in pt.PACK_HEATER_KW:
        prob = run_comp(CycleComp(kind="bev", transmission="single_speed",
                                  pack_chemistry=chem), **vals)
        out[chem] = prob.get_val("energy:ftp_kwh_per_mi")[0]
        if chem == "lmp":
            data = prob.check_partials(method="cs", out_stream=None)
            assert_check_partials(data, atol=1e-6, rtol=2e-6)
    assert out["lmp"] > out["li-ion"] * 1.03


def _sakura_text() -> str:
    from pathlib import Path
    return (Path(__file__).resolve().parents[1] / "studies" / "designs"
            / "sakura_class.toml").read_text(encoding="utf-8")


def test_design_key_parses_and_bad_value_named():
    text = _sakura_text()
    line = next(ln for ln in text.splitlines() if ln.startswith("charger_power"))
    assert parse_design(text)["powertrain:bev:pack_chemistry"] == "li-ion"
    d = parse_design(text.replace(line, line + '\npack_chemistry = "lmp"'))
    assert d["powertrain:bev:pack_chemistry"] == "lmp"
    with pytest.raises(InputError) as info:
        parse_design(text.replace(line, line + '\npack_chemistry = "nimh"'), "cand.toml")
    msg = str(info.value)
    assert msg.startswith("cand.toml: ") and "\n" not in msg
    assert "powertrain.bev.pack_chemistry" in msg and "nimh" in msg and "lmp" in msg


def test_epa_import_writes_the_chemistry():
    blue = next(car for car in tc.test_cars() if car.cls == "ev" and car.family == "BLUECAR")
    spec = sources.epa_spec(car=blue)
    assert spec.get("pack_chemistry") == "lmp"
    tables = {t.name: t for t in build_design(spec)[1]}
    entries = {e.key: e for e in tables["powertrain.bev"].entries}
    assert entries["pack_chemistry"].value == "lmp" and not entries["pack_chemistry"].assumed
    leaf = next(car for car in tc.test_cars() if car.cls == "ev" and car.family == "NISSAN LEAF")
    tables = {t.name: t for t in build_design(sources.epa_spec(car=leaf))[1]}
    assert "pack_chemistry" not in {e.key for e in tables["powertrain.bev"].entries}


def test_bad_spec_chemistry_is_one_line(tmp_path, capsys):
    spec = tmp_path / "s.toml"
    spec.write_text('[vehicle]\nname = "x"\n[dimensions]\nlength = 3395\nwidth = 1475\n'
                    'height = 1700\nwheelbase = 2495\n[motor]\npower = 47\n'
                    '[battery]\nchemistry = "nimh"\n', encoding="utf-8")
    assert main(["import", "spec", str(spec)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "battery.chemistry" in err and "'nimh'" in err and "one of" in err, err
