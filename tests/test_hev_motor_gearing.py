"""The hybrid traction motor's gearing (issue 13, full hybrids' regeneration).

``hybrid_systems.csv`` ``motor_reduction`` (motor rpm per wheel rpm), ``motor_max_rpm`` and
``motor_tyre``; :func:`keidesign.energy.powertrains.motor_speed_ratio`: the motor's own
reduction, a P2 motor on the selected gear, else the engine's top-gear ratio.
"""

from __future__ import annotations

import numpy as np
import pytest

from keidesign.energy import calibration as cal
from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc
from keidesign.energy.cycles import segments

ROW = {"motor_reduction": "8.41", "motor_max_rpm": "", "motor_tyre": "175/65R15",
       "motor_reduction_source": "a source", "motor_reduction_status": "R"}


def _x(**extra: float) -> dict:
    """A small full hybrid (1.2 L, 40 kW motor) on kernel parameters ``(1, 1)``."""
    def v(a: float) -> np.ndarray:
        return np.full((1, 1), a)
    x = {"m_eff": v(1250.0), "f0": v(110.0), "f1": v(0.0), "f2": v(0.40),
         "vd": v(1.2), "k_lo": v(45.0), "k_hi": v(8.0), "t_r": v(110.0),
         "p_r": v(60e3), "w_r": v(630.0), "pm_r": v(40e3)}
    x.update({k: v(a) for k, a in extra.items()})
    return x


def _regen_wh(x: dict, trans: str = "cvt") -> float:
    """Energy into the battery (Wh, the negative part of its chemical power) over the
    FTP's first two bags, full layout."""
    seg = segments(("udds_bag1", "udds_bag2"))
    r = pt.hev_cycle(seg, x, trans, kc.ice_constants(), kc.bev_constants(),
                     kc.hev_constants(), {}, layout="full")
    dt = pt.Trace.of(seg).dt
    return float(-np.sum(np.minimum(np.real(r["p_batt"]), 0.0) * dt) / 3600.0)


def test_reduction_parsed_from_the_row():
    assert tc._motor_reduction(2, ROW) == {"motor_reduction": 8.41, "motor_max_rpm": None,
                                           "motor_tyre": "175/65R15"}
    assert tc._motor_reduction(2, {**ROW, "motor_reduction": ""}) == {}


@pytest.mark.parametrize("field,value,match", [
    ("motor_reduction", "25", r"line 7: motor_reduction '25' \(status 'R'\): a reduction 1-20"),
    ("motor_reduction", "x", r"line 7: motor_reduction 'x' .*1-20"),
    ("motor_reduction_status", "A", r"motor_reduction '8.41' \(status 'A'\).*V or R"),
    ("motor_reduction_source", "", r"motor_reduction '8.41'.*with a source"),
    ("motor_tyre", "15 inch", r"line 7: motor_tyre '15 inch': a tyre size"),
    ("motor_max_rpm", "90000", r"line 7: motor_max_rpm '90000': 3000-25000 rpm"),
])
def test_bad_values_name_line_field_value_and_range(field, value, match):
    with pytest.raises(ValueError, match=match):
        tc._motor_reduction(7, {**ROW, field: value})


def test_speed_without_reduction_refused():
    with pytest.raises(ValueError, match=r"motor_max_rpm '17000' without a motor_reduction"):
        tc._motor_reduction(3, {"motor_max_rpm": "17000"})


def test_sourced_rows_carry_a_reduction_and_the_rest_none():
    by = {(h.model, h.architecture): h for h in tc.hybrid_systems()}
    assert by[("PRIUS Eco", "power_split")].motor_reduction == pytest.approx(10.838)
    assert by[("PRIUS Eco", "power_split")].motor_max_rpm == 17000.0
    assert by[("PRIUS c", "power_split")].motor_reduction == pytest.approx(8.41)
    assert all(h.motor_reduction is None for h in tc.hybrid_systems()
               if h.architecture == "ima_parallel")


def test_higher_reduction_regenerates_more():
    """The motor's torque limit acts at the motor: geared faster it holds more of the
    braking power at low speed, so more energy reaches the battery."""
    top, low, high = _regen_wh(_x()), _regen_wh(_x(k_m=12.0)), _regen_wh(_x(k_m=30.0))
    assert top < low < high  # k_hi = 8 rad/m: the engine's top gear
    # +11 % since the brake blending at 0.1 g (5 Dec 2026; +35 % before): the friction
    # brakes now take the hard stops' force, where the torque limit at low speed acted
    assert high > 1.1 * top


def test_no_reduction_is_the_engine_top_gear_bit_for_bit():
    seg = segments(("udds_bag1",))
    args = ("cvt", kc.ice_constants(), kc.bev_constants(), kc.hev_constants(), {})
    a = pt.hev_cycle(seg, _x(), *args, layout="full")
    b = pt.hev_cycle(seg, _x(k_m=0.0), *args, layout="full")
    np.testing.assert_array_equal(a["fuel"], b["fuel"])


def test_motor_above_its_maximum_speed_neither_drives_nor_regenerates():
    assert _regen_wh(_x(k_m=30.0, w_m_max=1.0)) == 0.0


def test_p2_motor_turns_with_the_selected_gear():
    """On a stepped gearbox the P2 motor runs at the selected gear's input speed, faster
    than at the top-gear ratio at low road speed: more regeneration."""
    top = _regen_wh(_x(), "dct6")
    geared = _regen_wh(_x(motor_on_gearbox=1.0), "dct6")
    assert geared > 1.1 * top  # +12 % with the brake blending at 0.1 g (+35 % before)


def test_mild_rows_unmoved_by_the_gearing():
    c, fit, bev = cal.stored_fits()
    pairs = [(car, h) for car in tc.test_cars() if car.cls == "hybrid"
             and (h := tc.hybrid_system(car)) and h.layout == "mild"][:4]
    cars, hs = [p[0] for p in pairs], [p[1] for p in pairs]
    a = cal.predict_hev(cars, c, fit, bev, hs)
    b = cal.predict_hev(cars, c, fit, bev, hs, reduction=False)
    for t in ("ftp", "hwfet"):
        np.testing.assert_array_equal(a[t], b[t])


def _cycle_comp(reduction: float, max_rpm: float = 0.0, **extra: float):
    """A Prius c-like full-hybrid ``CycleComp`` run; ``extra`` more input values."""
    from conftest import run_comp

    from keidesign.energy.components import CycleComp

    vals = {"energy:road:m_eff": 1150.0, "energy:road:f0": 100.0, "energy:road:f1": 0.9,
            "energy:road:f2": 0.40, "mass:test": 1130.0,
            "powertrain:overall_ratio_low": 46.0, "powertrain:overall_ratio_high": 8.3,
            "powertrain:ice:displacement": 1500.0, "powertrain:ice:power": 54.0,
            "powertrain:ice:torque": 111.0, "powertrain:ice:hev_motor_power": 45.0,
            "powertrain:ice:hev_battery_energy": 0.9, "body:tyre_diameter": 608.0,
            "powertrain:ice:hev_motor_reduction": reduction,
            "powertrain:ice:hev_motor_max_speed": max_rpm, **extra}
    return run_comp(CycleComp(kind="hev", transmission="cvt", hev_layout="full"), **vals)


def test_design_field_partials_exact():
    from openmdao.utils.assert_utils import assert_check_partials

    prob = _cycle_comp(8.41, 13500.0)
    data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-6, rtol=2e-6)


def test_design_field_reduction_lowers_the_ftp_fuel():
    """The Prius c-like design: MG2 reduction 8.41 against none (the engine's top gear,
    8.3 rad/m): more regeneration and electric drive, more mpg."""
    none = _cycle_comp(0.0).get_val("energy:ftp_mpg")[0]
    geared = _cycle_comp(8.41).get_val("energy:ftp_mpg")[0]
    assert geared > 1.02 * none


def test_design_field_out_of_range_named():
    from keidesign import variables

    var = variables.get("powertrain:ice:hev_motor_reduction")
    assert (var.lower, var.upper) == (0.0, 20.0)
