"""A hybrid that cannot follow the trace: engine and motor together capped at their
combined full-load power (``powertrains.hev_cycle``, ``hybrid_rating``,
``full_load_cap``; 40 CFR 86.115-78(b)(4)) and its results over the distance the
full-power pass drives (``perf:<segment>_distance_share``; 5 Dec 2026)."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import DESIGNS, run_comp
from openmdao.utils.assert_utils import assert_check_partials

from keidesign.design import load_design
from keidesign.energy import powertrains as pt
from keidesign.energy import vehicle as veh
from keidesign.energy.components import DISTANCE_SHARES, CycleComp
from keidesign.energy.constants import bev_constants, hev_constants, ice_constants
from keidesign.energy.cycles import METRES_PER_MILE, SegmentSet, segments
from keidesign.energy.roadload import load_constants
from keidesign.evaluation import resolve_packs

pytestmark = pytest.mark.filterwarnings(
    "ignore::openmdao.utils.om_warnings.DerivativesWarning")

RPM = pt.RPM


def test_hybrid_rating_scales_the_engine_curve():
    p, t = pt.hybrid_rating(30.0, 60.0, 10.0)
    assert (p, t) == (40.0, 80.0)


def _one_interval(v0: float, v1: float) -> SegmentSet:
    return SegmentSet(("x",), np.array([0]), np.array([1.0]), np.array([v0]),
                      np.array([v1]), np.array([0.5 * (v0 + v1)]), np.array([1.0]))


def test_engine_power_at_a_deficit_interval_is_the_combined_full_load():
    """A 20 kW engine + 5 kW motor mild hybrid asked for a hard acceleration at 60 mph
    (~60 kW at the wheels): the engine's brake power is the combined full-load power at
    its speed (before the cap: the whole demand), and its fuel below the demand's."""
    a = np.array
    x = {"m_eff": a([[1000.0]]), "f0": a([[100.0]]), "f1": a([[0.0]]), "f2": a([[0.4]]),
         "vd": a([[0.66]]), "k_lo": a([[60.0]]), "k_hi": a([[14.0]]), "t_r": a([[40.0]]),
         "p_r": a([[20e3]]), "w_r": a([[6000 * RPM]]), "pm_r": a([[5e3]])}
    c = ice_constants()
    r = pt.hev_cycle(_one_interval(26.0, 28.0), x, "mt5", c, bev_constants(),
                     hev_constants(), {}, layout="mild")
    w = r["w"]
    p_comb, t_comb = pt.hybrid_rating(x["p_r"], x["t_r"], x["pm_r"])
    p_full = pt.available_power(w, {"p_r": p_comb, "t_r": t_comb, "w_r": x["w_r"]})
    assert float(p_full[0, 0]) < 0.6 * 60e3
    np.testing.assert_array_equal(r["p_e"], p_full)
    demand = pt.wheel_power(x, pt.Trace.of(_one_interval(26.0, 28.0)))
    assert float(r["p_e"][0, 0]) < 0.6 * float(demand[0, 0])


def test_partials_hev_cycles_at_the_cap():
    """CycleComp's partials where the hybrid's cap acts (a 12 kW engine + 2 kW motor)."""
    vals = {"mass:test": 1046.0, "energy:road:m_eff": 1077.0, "energy:road:f0": 100.0,
            "energy:road:f1": 0.5, "energy:road:f2": 0.46,
            "powertrain:ice:displacement": 658.0, "powertrain:ice:power": 12.0,
            "powertrain:ice:torque": 25.0, "powertrain:overall_ratio_low": 46.0,
            "powertrain:overall_ratio_high": 8.3, "powertrain:ice:hev_motor_power": 2.0}
    prob = run_comp(CycleComp(kind="hev", transmission="cvt"), **vals)
    data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-6, rtol=2e-6)


def test_weak_hybrid_credited_only_the_driven_distance():
    """The Alto class as a 2 kW mild hybrid with a 5 kW engine: its HWFET fuel is spread
    over the distance its full-power pass drives (before: the trace's)."""
    from keidesign.model import build_problem

    d = load_design(DESIGNS / "alto_class.toml").replace(
        **{"powertrain:ice:hybrid": "hev", "powertrain:ice:hev_motor_power": 2.0,
           "powertrain:ice:power": 5.0, "powertrain:ice:torque": 8.05})
    prob = build_problem(d, resolve_packs(d.rules))
    prob.run_model()
    s = [float(prob.get_val(n)[0]) for n in DISTANCE_SHARES]
    assert all(x < 0.95 for x in s)
    dist = segments(veh.EPA_SEGMENTS).distance / METRES_PER_MILE
    lhv = float(load_constants()["fuel"]["lhv_kwh_per_galUS"])
    fuel = float(prob.get_val("energy:hwfet:fuel_phase", units="kW*h")[0])
    assert float(prob.get_val("energy:hwfet_mpg", units="mi/galUS")[0]) == pytest.approx(
        lhv * dist[2] * s[2] / fuel, rel=1e-12)
