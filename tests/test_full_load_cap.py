"""A car that cannot follow the trace: the engine's power capped at full load in the
fuel (``keidesign.energy.powertrains.full_load_cap``, 40 CFR 86.115-78(b)(4)) and the
full-power shortfall of every cycle (``perf:<cycle>_shortfall``; 5 Dec 2026)."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import DESIGNS, REFERENCE_DESIGNS, run_comp
from openmdao.utils.assert_utils import assert_check_partials

from geometry import ad
from keidesign.design import load_design
from keidesign.energy import powertrains as pt
from keidesign.energy.components import CycleComp, PerformanceComp
from keidesign.energy.constants import ice_constants
from keidesign.energy.cycles import SegmentSet
from keidesign.evaluation import evaluate_design, resolve_packs

pytestmark = pytest.mark.filterwarnings(
    "ignore::openmdao.utils.om_warnings.DerivativesWarning")

RPM = pt.RPM
#: a 5 kW / 12 N m variant of the Carry class: it cannot follow any cycle
WEAK = {"powertrain:ice:power": 5.0, "powertrain:ice:torque": 12.0}


def test_cap_is_exact_outside_its_band_and_c1():
    h = 50.0
    p_full = np.array([10e3])
    assert pt.full_load_cap(np.array([10e3 - h - 1e-9]), p_full, h)[0] == 10e3 - h - 1e-9
    assert pt.full_load_cap(np.array([30e3]), p_full, h)[0] == 10e3
    # value and slope continuous at both ends of the band
    for d in (-h, h):
        lo, hi = (pt.full_load_cap(np.array([10e3 + d + s]), p_full, h)[0]
                  for s in (-1e-6, 1e-6))
        assert hi - lo == pytest.approx(2e-6 * (1.0 if d < 0 else 0.0), abs=1e-9)
    # never above the demand nor above full load (beyond the band)
    p = np.linspace(9e3, 11e3, 401)
    cap = pt.full_load_cap(p, p_full, h)
    assert np.all(cap <= p) and np.all(cap <= 10e3 + 1e-9)


def _one_interval(v0: float, v1: float) -> SegmentSet:
    return SegmentSet(("x",), np.array([0]), np.array([1.0]), np.array([v0]),
                      np.array([v1]), np.array([0.5 * (v0 + v1)]), np.array([1.0]))


def test_fuel_at_a_deficit_interval_is_full_load_fuel():
    """A 20 kW car asked for a hard acceleration at 60 mph: its fuel is the Willans fuel
    of full-load power at the engine speed of the interval, ``s(P_full(w) + P_0(w)) / e``,
    and the brake energy it could not give is reported."""
    c = ice_constants()
    x = {"m_eff": np.array([[1000.0]]), "f0": np.array([[100.0]]),
         "f1": np.array([[0.0]]), "f2": np.array([[0.4]]), "vd": np.array([[0.66]]),
         "k_lo": np.array([[60.0]]), "k_hi": np.array([[14.0]]), "t_r": np.array([[40.0]]),
         "p_r": np.array([[20e3]]), "w_r": np.array([[6000 * RPM]])}
    seg = _one_interval(26.0, 28.0)   # 2 m/s^2 at 60 mph: ~60 kW at the wheels
    for trans in ("mt5", "cvt"):
        r = pt.ice_cycle(seg, x, trans, c)
        w = r["w"]
        p_full = pt.available_power(w, x)
        assert float(p_full[0, 0]) < 0.5 * float(r["pw"][0, 0])
        v_eff = pt.effective_volume(x, c)
        pme0 = (c["pme0_bar"] + c["pme2_bar"] * (w / (1000.0 * RPM)) ** 2) * 1e5
        p0 = pme0 * v_eff * w / (4.0 * np.pi)
        expect = ad.spos(p_full + p0, c["eps_w"]) / c["e"]  # the kernel's smooth s(.)
        assert r["fuel"][0, 0] == pytest.approx(float(expect[0, 0]), rel=1e-9)
        assert float(r["undelivered"][0, 0]) > 20e3


def test_fuel_unchanged_where_the_car_follows():
    """A cruise far below full load: the capped kernel gives the uncapped Willans fuel
    bit for bit (the cap is exact outside its band)."""
    c = ice_constants()
    x = {"m_eff": np.array([[1000.0]]), "f0": np.array([[100.0]]),
         "f1": np.array([[0.0]]), "f2": np.array([[0.4]]), "vd": np.array([[0.66]]),
         "k_lo": np.array([[60.0]]), "k_hi": np.array([[14.0]]), "t_r": np.array([[60.0]]),
         "p_r": np.array([[40e3]]), "w_r": np.array([[6000 * RPM]])}
    r = pt.ice_cycle(_one_interval(20.0, 20.0), x, "mt5", c)
    w = r["w"]
    pe = r["pw"] / pt.transmission_efficiency(c, "mt5") + c["acc_kw"] * 1e3
    assert float(pe[0, 0]) < 0.5 * float(pt.available_power(w, x)[0, 0])
    assert float(r["undelivered"][0, 0]) == 0.0


def _outputs(path, **change):
    d = load_design(path).replace(**change)
    return evaluate_design(d, resolve_packs(d.rules)).outputs


def test_weak_variant_cannot_follow_any_cycle():
    """The 5 kW Carry-class variant: every cycle's shortfall far above the 2 mph
    tolerance; the shipped Carry class only the US06's."""
    weak = _outputs(DESIGNS / "carry_class.toml", **WEAK)
    for cyc in ("us06", "ftp", "hwfet", "wltc"):
        assert float(weak[f"perf:{cyc}_shortfall"][0]) > 5.0, cyc
    carry = _outputs(DESIGNS / "carry_class.toml")
    assert float(carry["perf:us06_shortfall"][0]) > 2.0
    for cyc in ("ftp", "hwfet", "wltc"):
        assert float(carry[f"perf:{cyc}_shortfall"][0]) == 0.0


@pytest.mark.parametrize("path", REFERENCE_DESIGNS, ids=lambda p: p.stem)
def test_reference_designs_follow_ftp_hwfet_wltc(path):
    out = _outputs(path)
    for cyc in ("ftp", "hwfet", "wltc", "jc08"):
        assert float(out[f"perf:{cyc}_shortfall"][0]) == 0.0, cyc
    # on the trace at every step: the distance shares are exactly 1 (results unchanged)
    for name in ("ftp_bag1", "ftp_bag2", "hwfet", "wltc", "jc08"):
        assert float(out[f"perf:{name}_distance_share"][0]) == 1.0, name


def _check(comp, vals, atol, rtol):
    prob = run_comp(comp, **vals)
    data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=atol, rtol=rtol)
    return prob


WEAK_ICE = {"mass:test": 1046.0, "energy:road:f0": 100.0, "energy:road:f1": 0.5,
            "energy:road:f2": 0.46, "powertrain:ice:displacement": 658.0,
            "powertrain:ice:power": 12.0, "powertrain:ice:torque": 25.0}


@pytest.mark.parametrize("trans", ["cvt", "mt5"])
def test_partials_cycles_at_full_load(trans):
    """The cycle component's partials where the cap acts (a 12 kW car on the US06 and
    HWFET)."""
    vals = {**WEAK_ICE, "energy:road:m_eff": 1077.0,
            "powertrain:overall_ratio_low": 46.0 if trans == "cvt" else 58.0,
            "powertrain:overall_ratio_high": 8.3 if trans == "cvt" else 13.0}
    prob = _check(CycleComp(kind="ice", transmission=trans), vals, atol=1e-6, rtol=2e-6)
    assert np.isfinite(prob.get_val("energy:us06_mpg")[0])


@pytest.mark.parametrize("trans", ["cvt", "mt5"])
def test_partials_performance_shortfalls(trans):
    vals = {**WEAK_ICE, "powertrain:speed_limiter": 140.0, "body:tyre_diameter": 557.0,
            "powertrain:overall_ratio_low": 46.0 if trans == "cvt" else 58.0,
            "powertrain:overall_ratio_high": 8.3 if trans == "cvt" else 13.0}
    prob = _check(PerformanceComp(kind="ice", transmission=trans), vals, atol=1e-6,
                  rtol=1e-5)
    for cyc in ("ftp", "hwfet", "wltc"):
        assert prob.get_val(f"perf:{cyc}_shortfall")[0] > 2.0, cyc
    # behind the JC08 too (its lanes, share and steps in the partials checked above)
    assert prob.get_val("perf:jc08_shortfall")[0] > 0.0
    assert prob.get_val("perf:jc08_distance_share")[0] < 1.0


def test_shortfall_lanes_only_for_rows_that_fall_behind():
    """The dual-number pass runs complex lanes only for the rows with a shortfall (a
    trace that starts standing keeps a constant 0 as the first maximum): its gradient
    equals the complex step of every row through the kernel."""
    from geometry import ad as D
    from keidesign.energy import _us06_kernel as kernel
    from keidesign.energy import performance as perf
    from keidesign.energy.cycles import load_trace

    t, vt = load_trace("hwfet")
    low = np.minimum(np.minimum(vt, np.r_[vt[1:], vt[-1]]), np.r_[vt[0], vt[:-1]])
    grid = perf.V_GRID
    rng = np.random.default_rng(3)
    # full-power acceleration tables of three cars: strong, weak, very weak
    base = np.stack([s * np.maximum(3.0 - 0.08 * grid, -0.5) for s in (1.0, 0.25, 0.1)])
    g = rng.normal(size=base.shape + (2,))
    net = D.D(base, g)
    got = perf._us06_shortfall(net, vt, low, np.diff(t))
    assert got.v[0, 0] == 0.0 and got.v[1, 0] > 0.0 and got.v[2, 0] > 0.0
    for k in range(2):
        lanes = np.ascontiguousarray(base + 1j * perf.CS_STEP * g[..., k])
        worst = np.full(3, -1e9, dtype=complex)
        kernel.us06_sweep(lanes, np.ascontiguousarray(vt), np.ascontiguousarray(low),
                          np.diff(t), float(grid[1] - grid[0]), len(grid) - 1.000001, worst,
                          np.zeros(len(t) - 1, dtype=np.int64),
                          np.zeros((3, 1), dtype=complex),
                          np.zeros((3, len(t) - 1), dtype=np.uint8))
        np.testing.assert_array_equal(got.g[:, 0, k], worst.imag / perf.CS_STEP)
        np.testing.assert_array_equal(got.v[:, 0], worst.real)
    # the distance lag per segment: 0 with a zero gradient for the car on the trace,
    # and the lanes' gradient for the others
    bins = (t[:-1] >= 400.0).astype(np.int64)
    short, lag, behind = perf._trace_pass(net, np.ascontiguousarray(vt), low, np.diff(t),
                                          bins, 2)
    # the steps below the trace: none for the car on it, some for the others
    assert not behind[0].any() and behind[1].any() and behind[2].any()
    assert np.all(lag.v[0] == 0.0) and np.all(lag.g[0] == 0.0)
    assert np.all(lag.v[1:] > 0.0)
    for k in range(2):
        lanes = np.ascontiguousarray(base + 1j * perf.CS_STEP * g[..., k])
        lag_c = np.zeros((3, 2), dtype=complex)
        kernel.us06_sweep(lanes, np.ascontiguousarray(vt), np.ascontiguousarray(low),
                          np.diff(t), float(grid[1] - grid[0]), len(grid) - 1.000001,
                          np.full(3, -1e9, dtype=complex), bins, lag_c,
                          np.zeros((3, len(t) - 1), dtype=np.uint8))
        np.testing.assert_array_equal(lag.g[..., k], lag_c.imag / perf.CS_STEP)
        np.testing.assert_array_equal(lag.v, lag_c.real)


def test_available_power_hand_values():
    """The full-load power the cap uses, against hand values of the curve (not the code):
    rated power falling linearly to 90 % at 1.1 x rated speed; the torque plateau
    ``t_r w`` between the torque-peak speed and the power ceiling; at or below the
    torque-peak speed the plateau torque (the launch slip)."""
    w_r = 6000 * RPM
    x = {"t_r": np.array([[30.0]]), "p_r": np.array([[20e3]]), "w_r": np.array([[w_r]])}
    at = lambda w: float(pt.available_power(np.array([[w]]), x)[0, 0])  # noqa: E731
    assert at(1.1 * w_r) == pytest.approx(0.9 * 20e3, rel=1e-12)
    assert at(1.05 * w_r) == pytest.approx(0.95 * 20e3, rel=1e-12)
    assert at(0.8 * w_r) == pytest.approx(30.0 * 0.8 * w_r, rel=1e-12)   # 15.08 kW < p_r
    assert at(0.3 * w_r) == pytest.approx(30.0 * 0.3 * w_r, rel=1e-12)    # plateau torque
