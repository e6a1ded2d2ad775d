"""The hybrid traction pack (issue 13): voltage, resistance and power limit.

``hybrid_systems.csv`` ``battery_cells``, ``battery_ah``, ``battery_cell_resistance_mohm``
(with ``battery_pack_source`` / ``_status``); :func:`keidesign.energy.powertrains.hev_pack`
(``V = N v_c``, ``R = N r_c``, ``P_max = V^2 / (4 R)``) in the HEV cycle; the design
fields ``powertrain:ice:hev_battery_voltage`` / ``hev_battery_resistance``.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module

from keidesign.energy import calibration as cal
from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc
from keidesign.energy.cycles import segments

ROW = {"battery_voltage_v": "144", "battery_cells": "120", "battery_ah": "",
       "battery_cell_resistance_mohm": "2.58", "battery_pack_source": "a source",
       "battery_pack_status": "A"}


def _x(**extra: float) -> dict:
    """A Prius c-like full hybrid (1.5 L, 45 kW motor) on kernel parameters ``(1, 1)``."""
    def v(a: float) -> np.ndarray:
        return np.full((1, 1), a)
    x = {"m_eff": v(1200.0), "f0": v(105.0), "f1": v(0.0), "f2": v(0.38),
         "vd": v(1.5), "k_lo": v(45.0), "k_hi": v(8.0), "t_r": v(111.0),
         "p_r": v(54e3), "w_r": v(500.0), "pm_r": v(45e3), "k_m": v(28.0)}
    x.update({k: v(a) for k, a in extra.items()})
    return x


def _run(x: dict, tests: tuple[str, ...] = ("udds_bag1", "udds_bag2")) -> dict:
    seg = segments(tests)
    r = pt.hev_cycle(seg, x, "cvt", kc.ice_constants(), kc.bev_constants(),
                     kc.hev_constants(), {}, layout="full")
    return {**r, "dt": pt.Trace.of(seg).dt}


def _regen_wh(x: dict) -> float:
    """Energy into the battery (Wh, the negative part of its chemical power), FTP bags 1-2."""
    r = _run(x)
    return float(-np.sum(np.minimum(np.real(r["p_batt"]), 0.0) * r["dt"]) / 3600.0)


def test_pack_from_cells_and_its_power_limit():
    x = cal.hev_pack_params([h for h in tc.hybrid_systems() if h.model == "PRIUS c"])
    v, r, p_max = pt.hev_pack(x, kc.hev_constants())
    assert float(v[0, 0]) == 144.0
    assert float(r[0, 0]) == pytest.approx(120 * 2.58e-3)
    assert float(p_max[0, 0]) == pytest.approx(144.0**2 / (4 * 120 * 2.58e-3))


def test_no_pack_is_the_assumed_pack_without_a_limit():
    c = kc.hev_constants()
    assert pt.hev_pack({}, c) == (c["v_oc"], c["r_b"], None)
    v, r, p_max = pt.hev_pack(_x(hev_v_oc=0.0, hev_r_b=0.0), c)
    assert (float(v[0, 0]), float(r[0, 0])) == (c["v_oc"], c["r_b"])
    assert np.isinf(p_max).all()


def test_zero_pack_fields_bit_for_bit():
    a, b = _run(_x()), _run(_x(hev_v_oc=0.0, hev_r_b=0.0))
    np.testing.assert_array_equal(a["fuel"], b["fuel"])
    np.testing.assert_array_equal(a["p_batt"], b["p_batt"])


def test_smaller_pack_regenerates_less():
    """A 100.8 V pack of 0.33 ohm (P_max 7.8 kW) takes less braking energy than the
    Prius c's 144 V, 0.31 ohm (16.7 kW), and that less than the assumed 200 V pack."""
    small = _regen_wh(_x(hev_v_oc=100.8, hev_r_b=0.325))
    prius_c = _regen_wh(_x(hev_v_oc=144.0, hev_r_b=0.31))
    assumed = _regen_wh(_x())
    assert small < 0.9 * prius_c
    assert prius_c < assumed


def test_power_limit_caps_the_battery():
    r = _run(_x(hev_v_oc=100.8, hev_r_b=0.325))
    p_max = 100.8**2 / (4 * 0.325)
    p_batt = np.real(r["p_batt"])
    assert p_batt.max() <= p_max * 1.01
    assert -p_batt.min() <= p_max * 1.01


def test_rows_without_a_published_pack_unmoved():
    c, fit, bev = cal.stored_fits()
    pairs = [(car, h) for car in tc.test_cars() if car.cls == "hybrid"
             and (h := tc.hybrid_system(car))]
    cars, hs = [p[0] for p in pairs], [p[1] for p in pairs]
    hyt = benchmark_module("hybrid_trials")  # the assumed pack, before 4 Dec 2026: a trial
    a = hyt.predict_hev(cars, c, fit, bev, hs, pack="assumed")
    b = cal.predict_hev(cars, c, fit, bev, hs)
    for t in ("ftp", "hwfet"):  # the trial's shipped mode swaps nothing
        np.testing.assert_array_equal(hyt.predict_hev(cars, c, fit, bev, hs)[t], b[t])
    own = np.array([bool(h.battery_cells and h.battery_cell_mohm) for h in hs])
    assert own.any() and (~own).any()
    for t in ("ftp", "hwfet"):
        np.testing.assert_array_equal(a[t][~own], b[t][~own])
    prius_c = np.array([h.model == "PRIUS c" for h in hs])
    # the smaller pack: less mpg than on the assumed 200 V pack
    assert (b["ftp"][prius_c] < a["ftp"][prius_c]).all()


def test_pack_parsed_from_the_row():
    out = tc._battery_pack(2, ROW)
    assert out == {"battery_v": 144.0, "battery_cells": 120, "battery_cell_mohm": 2.58}
    assert tc._battery_pack(2, {"battery_voltage_v": "100.8"}) == {"battery_v": 100.8}


@pytest.mark.parametrize("field,value,match", [
    ("battery_cells", "1000", r"line 5: battery_cells '1000' \(status 'A'\): 10-400"),
    ("battery_cell_resistance_mohm", "x", r"line 5: battery_cell_resistance_mohm 'x'.*0.2-20"),
    ("battery_pack_status", "", r"battery_cells '120' \(status ''\).*V, R or A"),
    ("battery_pack_source", "", r"battery_cells '120'.*battery_pack_source"),
])
def test_bad_pack_values_name_line_field_value_and_range(field, value, match):
    with pytest.raises(ValueError, match=match):
        tc._battery_pack(5, {**ROW, field: value})


def _cycle_comp(v_b: float, r_b: float):
    from test_hev_motor_gearing import _cycle_comp as gearing_comp

    return gearing_comp(8.41, **{"powertrain:ice:hev_battery_voltage": v_b,
                                 "powertrain:ice:hev_battery_resistance": r_b})


def test_design_field_partials_exact():
    from openmdao.utils.assert_utils import assert_check_partials

    prob = _cycle_comp(144.0, 0.31)
    data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-6, rtol=2e-6)


def test_design_field_pack_lowers_the_ftp_mpg():
    assumed = _cycle_comp(0.0, 0.0).get_val("energy:ftp_mpg")[0]
    small = _cycle_comp(144.0, 0.31).get_val("energy:ftp_mpg")[0]
    assert small < 0.98 * assumed


def test_design_field_ranges():
    from keidesign import variables

    assert (variables.get("powertrain:ice:hev_battery_voltage").upper,
            variables.get("powertrain:ice:hev_battery_resistance").upper) == (800.0, 5.0)
