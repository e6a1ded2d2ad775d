"""A BEV that cannot follow the trace: its motor's shaft power capped at the available
power of its speed (``powertrains.motor_available_power``, the full-power model's torque
curve ``motor_torque``; ``full_load_cap``; 40 CFR 86.115-78(b)(4); 5 Dec 2026)."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import run_comp
from openmdao.utils.assert_utils import assert_check_partials

from keidesign.energy import performance as perf
from keidesign.energy import powertrains as pt
from keidesign.energy.components import CycleComp
from keidesign.energy.constants import bev_constants, perf_constants
from keidesign.energy.cycles import SegmentSet, segments
from keidesign.energy.vehicle import EPA_SEGMENTS

pytestmark = pytest.mark.filterwarnings(
    "ignore::openmdao.utils.om_warnings.DerivativesWarning")


def _bev(p_kw: float, t_nm: float, w_max_rpm: float = 12000.0) -> dict:
    """A 1000 kg kei-sized BEV (reduction 8 on a 0.557 m tyre: k = 29.6 rad/m)."""
    a = np.array
    return {"m_eff": a([[1030.0]]), "f0": a([[100.0]]), "f1": a([[0.5]]),
            "f2": a([[0.40]]), "k": a([[29.6]]), "p_r": a([[p_kw * 1e3]]),
            "t_r": a([[t_nm]]), "w_max": a([[w_max_rpm * pt.RPM]]), "v_oc": a([[350.0]]),
            "r_b": a([[0.1]]), "eta_chg": a([[0.9]]), "p_chg": a([[6e3]]),
            "induction": a([[0.0]])}


def _one_interval(v0: float, v1: float) -> SegmentSet:
    return SegmentSet(("x",), np.array([0]), np.array([1.0]), np.array([v0]),
                      np.array([v1]), np.array([0.5 * (v0 + v1)]), np.array([1.0]))


def _uncapped_dc(seg: SegmentSet, x: dict, c: dict) -> np.ndarray:
    """The battery energy per segment (J) with the whole demand drawn (the model before
    the cap): the same steps as ``bev_cycle`` without ``p_shaft_max``."""
    tr = pt.Trace.of(seg)
    pw = pt.wheel_power(x, tr)
    p_elec, _ = pt._electric_drive(pw, tr.vb, x["k"], x["p_r"], x["t_r"], c,
                                   induction=x["induction"], decel_g=pt.deceleration_g(tr))
    p_batt = pt.battery_power(p_elec + c["aux_kw"] * 1e3, x["v_oc"], x["r_b"])
    return np.add.reduceat(p_batt * tr.dt, seg.starts, axis=-1)


def test_motor_torque_is_the_full_power_models_curve():
    """One curve for both models: the full-power force of a BEV is the motor torque of
    ``motor_torque`` x k x eta_gear, and the available power is T(w) w: rated torque x
    speed below the base speed, rated power above, 0 above the maximum speed."""
    x = _bev(40.0, 160.0)
    c = {**perf_constants(), "eta_gear": bev_constants()["eta_gear"], "driven_axle_share": 0.6}
    x["m"] = np.array([[1000.0]])
    x["v_lim"] = np.array([[200.0]])
    v = np.array([[2.0, 8.0, 20.0, 30.0]])
    f, _ = perf.tractive_force(v, x, "bev", "single_speed", c, limiter=False)
    w = v * 29.6
    t = pt.motor_torque(w, x)
    f_trac = c["mu"] * 0.6 * c["g"] * 1000.0
    np.testing.assert_allclose(f, np.minimum(t * 29.6 * c["eta_gear"], f_trac), rtol=1e-15)
    w_b = 40e3 / 160.0
    p = pt.motor_available_power(np.array([[0.5 * w_b, 2.0 * w_b, 1300.0]]), x)
    np.testing.assert_allclose(p[0, :2], [160.0 * 0.5 * w_b, 40e3], rtol=1e-12)
    assert p[0, 2] == 0.0   # above 12000 rpm


def test_energy_at_a_deficit_interval_is_that_of_the_available_power():
    """A 5 kW BEV asked for 2 m/s^2 at 20 m/s (~45 kW at the wheels): the motor gives
    its rated power, the battery the electric power of it with the loss map at that
    point (before the cap: the electric power of the whole demand). Tolerance: the
    regeneration limit's smooth minimum (width 100 W) leaves ~0.5 W of shaft power on a
    driving interval, 1e-4 of the result."""
    c = bev_constants()
    x = _bev(5.0, 40.0)
    seg = _one_interval(19.0, 21.0)
    r = pt.bev_cycle(seg, x, c)
    w = 20.0 * 29.6
    p_s = 5e3   # rated power: the base speed 125 rad/s is below w = 592 rad/s
    p_el = p_s + pt.motor_loss(np.array([[p_s]]), np.array([[w]]), x["p_r"], x["t_r"], c)
    expect = pt.battery_power(p_el + c["aux_kw"] * 1e3, x["v_oc"], x["r_b"])
    assert r["dc"][0, 0] == pytest.approx(float(expect[0, 0]), rel=2e-4)
    assert float(_uncapped_dc(seg, x, c)[0, 0]) > 5.0 * r["dc"][0, 0]


def test_energy_unchanged_where_the_motor_has_the_power():
    """A cruise far below the available power: bit for bit the uncapped energy."""
    c = bev_constants()
    x = _bev(40.0, 160.0)
    seg = _one_interval(20.0, 20.5)
    np.testing.assert_array_equal(pt.bev_cycle(seg, x, c)["dc"], _uncapped_dc(seg, x, c))


def test_weak_bev_on_the_us06_uses_less_than_the_uncapped_demand():
    """A 5 kW BEV on the US06 (it cannot follow; ~0.2 of the trace's distance): the
    battery energy of the capped motor is below the energy of the whole demand; a
    40 kW BEV that nearly follows gets a small change; the FTP and HWFET of the 40 kW
    car (followed) are unchanged bit for bit."""
    c = bev_constants()
    seg = segments(EPA_SEGMENTS)
    weak = _bev(5.0, 40.0)
    capped, full = pt.bev_cycle(seg, weak, c)["dc"], _uncapped_dc(seg, weak, c)
    assert 0.0 < capped[0, 3] < 0.7 * full[0, 3]
    assert np.all(capped <= full)
    ok = _bev(40.0, 160.0)
    a, b = pt.bev_cycle(seg, ok, c)["dc"], _uncapped_dc(seg, ok, c)
    np.testing.assert_array_equal(a[:, :3], b[:, :3])


def test_partials_bev_cycles_at_the_motor_cap():
    """CycleComp's partials where the cap acts (a 5 kW / 40 N m BEV on every cycle)."""
    vals = {"mass:test": 1000.0, "energy:road:m_eff": 1030.0, "energy:road:f0": 100.0,
            "energy:road:f1": 0.5, "energy:road:f2": 0.40,
            "powertrain:bev:motor_power": 5.0, "powertrain:bev:motor_torque": 40.0,
            "powertrain:bev:battery_energy": 20.0, "powertrain:overall_ratio_low": 29.6,
            "powertrain:overall_ratio_high": 29.6}
    prob = run_comp(CycleComp(kind="bev"), **vals)
    data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-6, rtol=2e-6)
    assert np.isfinite(prob.get_val("energy:us06_mpg")[0])
