"""The stepped automatic's converter lock-up rule (issue 13, 4 Dec 2026, tried, not
kept; the trial of ``benchmarks/kei_automatic_trials.py``): ``lockup_gear`` and
``converter_speed_ratio``. A four-speed automatic locks in its top gear only; below it,
while driving, the engine turns at the geared speed / ``tc_open_ratio`` and pays the slip
power; every other type is locked. Every test runs with the trials swapped in
(``kei_automatic_trials.active``)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module, run_comp
from openmdao.utils.assert_utils import assert_check_partials

from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy.components import CycleComp
from keidesign.energy.cycles import segments

pytestmark = pytest.mark.filterwarnings(
    "ignore::openmdao.utils.om_warnings.DerivativesWarning")

kat = benchmark_module("kei_automatic_trials")


@pytest.fixture(autouse=True, scope="module")
def _trials_active():
    with kat.active():
        yield

SEG = segments(("udds_bag1", "hwfet"))
X = {"m_eff": np.array([[1200.0]]), "f0": np.array([[110.0]]), "f1": np.array([[1.0]]),
     "f2": np.array([[0.42]]), "vd": np.array([[1.5]]), "k_lo": np.array([[44.0]]),
     "k_hi": np.array([[11.8]]), "t_r": np.array([[142.5]]), "p_r": np.array([[80e3]]),
     "w_r": np.array([[628.0]])}


@pytest.mark.parametrize("trans,gear", [("at4", 3), ("at5", 0), ("at6", 0), ("at8", 0),
                                        ("mt5", 0), ("dct6", 0), ("amt5", 0), ("cvt", 0)])
def test_lockup_gear_by_gear_count(trans, gear):
    assert kat.lockup_gear(trans) == gear


def test_speed_ratio_only_in_the_open_gears_while_driving():
    idx = np.array([[0, 1, 2, 3, 2, 3]])
    p_t = np.array([[5e3, 5e3, 5e3, 5e3, -2e3, -2e3]])  # W into the converter
    w_t = np.full((1, 6), 150.0)
    t_r = np.array([[100.0]])
    want = [[0.9, 0.9, 0.9, 1.0, 1.0, 1.0]]
    c = {"tc_open_ratio": 0.9}
    np.testing.assert_array_equal(kat.converter_speed_ratio("at4", idx, w_t, p_t, t_r, c),
                                  want)
    np.testing.assert_array_equal(kat.converter_speed_ratio("at6", idx, w_t, p_t, t_r, c),
                                  1.0)
    np.testing.assert_array_equal(kat.converter_speed_ratio("at4", idx, w_t, p_t, t_r, {}),
                                  1.0)
    nu = kat.converter_speed_ratio("at4", idx, w_t, p_t, t_r, {"tc_stall_rpm": 2400.0})
    assert np.all(nu[0, :3] < 1.0) and np.all(nu[0, 3:] == 1.0)


def test_capacity_law_slip_solves_the_coupling_equation():
    """``s / (1 - s)^3 = B`` (the linear coupling-range capacity of
    :func:`kei_automatic_trials.converter_speed_ratio`) to second order in B;
    more slip with more power, less with more speed, capped at the coupling point."""
    c = {"tc_stall_rpm": 2400.0}
    t_r = np.array([[100.0]])
    w_t = np.array([[100.0, 150.0, 200.0, 200.0, 40.0]])
    p_t = np.array([[4e3, 4e3, 4e3, 8e3, 30e3]])
    nu = kat.converter_speed_ratio("at4", np.zeros((1, 5), int), w_t, p_t, t_r, c)
    s = 1.0 - nu
    b = ((1.0 - kat.TC_COUPLING_RATIO) * p_t * (2400.0 * pt.RPM) ** 2
         / (t_r * w_t**3))
    exact = s / (1.0 - s) ** 3
    np.testing.assert_allclose(exact[0, 1:4], b[0, 1:4], rtol=0.05)  # B 0.05-0.11
    assert s[0, 0] > s[0, 1] > s[0, 2] and s[0, 3] > s[0, 2]
    assert s[0, 4] == pytest.approx(1.0 - kat.TC_COUPLING_RATIO, abs=0.01)


def _speed(trans: str, nu: float):
    c = {**kc.ice_constants(), "tc_open_ratio": nu}
    tr = pt.Trace.of(SEG)
    pw = pt.wheel_power(X, tr)
    pe = np.maximum(pw, 0.0) / 0.95 + c["acc_kw"] * 1e3
    return pt._cycle_engine_speed(X, tr, pe, trans, c, False), pe, c


def test_engine_turns_at_geared_speed_over_nu_below_the_top_gear():
    (w, w_g), pe, c = _speed("at4", 0.9)
    (w1, w_g1), _, _ = _speed("at4", 1.0)
    np.testing.assert_array_equal(w_g, w_g1)  # the gear choice does not move
    top = np.isclose(w_g, SEG.vb * X["k_hi"]) & (SEG.vb > 0)
    lower = ~top & (pe > c["acc_kw"] * 1e3) & (w_g / 0.9 > 2 * c["idle_rpm"] * pt.RPM)
    assert top.any() and lower.any()
    np.testing.assert_allclose(w[top], w1[top])
    # the idle floor is a smooth maximum (width ENGINE_SPEED_EPS): 1e-4 off well above it
    np.testing.assert_allclose(w[lower], w_g[lower] / 0.9, rtol=2e-4)


def test_open_converter_costs_fuel_in_the_four_speed_only():
    base = {**kc.ice_constants(), "tc_open_ratio": 1.0}
    slip = {**base, "tc_open_ratio": 0.9}
    f4 = [pt.ice_cycle(SEG, X, "at4", c)["fuel"] for c in (base, slip)]
    gain = f4[1] / f4[0] - 1.0
    assert gain[0, 0] > 0.03           # city: mostly in the open gears
    assert 0.0 <= gain[0, 1] < gain[0, 0]  # highway: mostly locked in top gear
    f6 = [pt.ice_cycle(SEG, X, "at6", c)["fuel"] for c in (base, slip)]
    np.testing.assert_array_equal(f6[0], f6[1])


def test_partials_four_speed_with_open_converter():
    vals = {"energy:road:m_eff": 1077.0, "energy:road:f0": 100.0, "energy:road:f1": 0.9,
            "energy:road:f2": 0.45, "mass:test": 1046.0,
            "powertrain:overall_ratio_low": 46.0, "powertrain:overall_ratio_high": 11.0,
            "powertrain:ice:displacement": 658.0, "powertrain:ice:power": 43.0,
            "powertrain:ice:torque": 65.0}
    with kc.held(ice={"tc_stall_rpm": 2400.0}):
        prob = run_comp(CycleComp(kind="ice", transmission="at4"), **vals)
        data = prob.check_partials(method="cs", out_stream=None)
        mpg = prob.get_val("energy:ftp_mpg")[0]
    assert_check_partials(data, atol=1e-6, rtol=2e-6)
    with kc.held(ice={"tc_stall_rpm": 0.0}):
        locked = run_comp(CycleComp(kind="ice", transmission="at4"), **vals)
        assert mpg < 0.995 * locked.get_val("energy:ftp_mpg")[0]
