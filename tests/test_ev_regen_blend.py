"""Brake blending at a deceleration (``powertrains.regen_blend``, shipped 5 Dec 2026) and
the magnetising-loss bound of ``benchmarks/ev_cmag_trial.py`` (tried, not kept; the probe
``ev_cmag``)."""

import numpy as np
import pytest
from conftest import benchmark_module
from test_ev_pack_heater import _bev_x

from keidesign.energy import calibration as cal
from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy.cycles import segments


@pytest.fixture(scope="module")
def trial():
    return benchmark_module("ev_cmag_trial")


def test_blend_law_values():
    """k_r below the deceleration a_th, k_r a_th / z above it; the shipped a_th 0.1 g."""
    c = {"regen_share": 0.9, "regen_decel_g": 0.1}
    z = np.array([0.0, 0.05, 0.1, 0.125, 0.2])
    assert np.allclose(pt.regen_blend(z, c), [0.9, 0.9, 0.9, 0.72, 0.45])
    assert kc.bev_constants()["regen_decel_g"] == 0.1
    assert cal.fixed_constants()["bev"]["regen_decel_g"] == 0.1


def test_deceleration_of_the_trace():
    """The trace's deceleration in g: 0 while accelerating, at most 0.15 g on the UDDS."""
    tr = pt.Trace.of(segments(("udds_bag1", "udds_bag2")))
    z = pt.deceleration_g(tr)
    assert (z >= 0).all() and (z[tr.dv > 0] == 0).all()
    assert 0.14 < z.max() < 0.16


def test_blending_costs_city_energy_and_a_high_limit_is_the_constant_share():
    """With the limit above the cycle's decelerations the cycle is the constant share's
    (the model before 5 Dec 2026); at 0.1 g the friction brakes take part of the UDDS's
    braking, so the battery energy grows; the HWFET's far less (its decelerations are
    milder); a cruise-free check: no regeneration at all costs more than either."""
    c = {**kc.bev_constants(), "regen_share": 0.95}
    x = _bev_x("li-ion")
    seg = segments(("udds_bag1", "udds_bag2", "hwfet"))
    high = pt.bev_cycle(seg, x, {**c, "regen_decel_g": 10.0})["dc"]
    blend = pt.bev_cycle(seg, x, {**c, "regen_decel_g": 0.1})["dc"]
    none = pt.bev_cycle(seg, x, {**c, "regen_share": 0.0})["dc"]
    # the constant share, written out: the kernel with regen_share as an array k_r
    tr = pt.Trace.of(seg)
    const = pt.bev_cycle(seg, x, {**c, "regen_decel_g": 1e6,
                                  "regen_share": np.full(len(tr.dt), 0.95)})["dc"]
    np.testing.assert_allclose(high, const, rtol=1e-12)
    rise = blend / high - 1.0
    assert np.all(blend > high) and np.all(none > blend)
    assert rise[0, 2] < 0.5 * min(rise[0, 0], rise[0, 1])


def test_measured_motor_and_bounds(trial):
    """The measured 18.5 kW motor: its stated stator copper loss gives the delta
    connection (within 0.5 %), I0/IN 0.31; both bounds below the shipped 0.05; the
    patches set the bound and keep the start inside it."""
    assert abs(trial.stator_loss_check() / 770.13 - 1.0) < 0.005
    assert 0.30 < trial.measured_i0_ratio() < 0.32
    assert np.isclose(trial.C_MAG_GENEROUS, 0.25 * cal.fixed_constants()["bev"]["c_cu"])
    assert trial.C_MAG_MEASURED < trial.C_MAG_GENEROUS < cal.BEV_BOUNDS[1][2] == 0.05
    i = cal.BEV_FIT.index("c_mag")
    ps = trial.patches(0.001)
    with ps[0], ps[1]:
        assert cal.BEV_BOUNDS[1][i] == 0.001 and cal.BEV_START[i] <= 0.001
    assert cal.BEV_BOUNDS[1][i] == 0.05
