"""Which inertias full-power acceleration pays for (:mod:`keidesign.energy.performance`).

Wong's mass factor ``1.04 + 0.0025 xi^2`` holds while the engine turns with the wheels.
Where it does not (a slipping clutch or converter holds the engine at its launch speed)
and where the tyre force is at the traction limit (the surplus torque spins the wheels
or is cut by traction control; the tyre force alone accelerates the body), only the
constant term is paid.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import perf_constants, perf_params

from keidesign.energy import performance as perf
from keidesign.energy import powertrains as pt

R_ROLL = 0.28  # m


def _x(trans: str) -> tuple[dict, dict]:
    x = perf_params("ice", trans, "plain")
    x["r_roll"] = R_ROLL * np.ones((3, 1))
    return x, perf_constants() | {"driven_axle_share": 0.6}


def _resistance(x: dict, v: np.ndarray) -> np.ndarray:
    return x["f0"] + x["f1"] * v + x["f2"] * v * v


def test_traction_limited_launch_pays_no_engine_inertia():
    x, c = _x("mt5")
    v = np.linspace(0.0, 3.0, 241)[None, :] * np.ones((3, 1))
    ratio: list = []
    f, _ = perf.tractive_force(v, x, "ice", "mt5", c, ratio_out=ratio)
    f_trac = c["mu"] * c["driven_axle_share"] * c["g"] * x["m"]
    light = 2  # the light powerful design spins its tyres up to 3 m/s
    assert np.allclose(f[light], f_trac[light, 0])
    assert np.all(ratio[0][light] == 0.0)
    t = perf.accel_time(0.0, 3.0, x, "ice", "mt5", c)[light, 0]
    a = (f_trac[light, 0] - _resistance(x, v)[light]) / (x["m"][light, 0] * c["mass_factor_a"])
    assert t == pytest.approx(np.trapezoid(1.0 / a, v[light]), rel=1e-12)


def test_slipping_clutch_holds_the_engine_then_locks():
    x, c = _x("mt5")
    k1 = pt.gear_ratios(x, pt.GEARS["mt5"])[:, :1]
    w_launch = 0.65 * x["w_r"]
    v_lock = w_launch / k1  # m/s: the clutch closes
    heavy = 1  # the heavy weak design never reaches the traction limit in first gear
    v = np.array([[0.5, 0.9, 1.1, 1.5]]) * v_lock[heavy, 0]
    ratio: list = []
    f, gear = perf.tractive_force(v * np.ones((3, 1)), x, "ice", "mt5", c, ratio_out=ratio)
    f_trac = c["mu"] * c["driven_axle_share"] * c["g"] * x["m"][heavy, 0]
    assert np.all(f[heavy] < f_trac) and np.all(gear[heavy] == 0)
    np.testing.assert_array_equal(ratio[0][heavy], [0.0, 0.0, k1[heavy, 0], k1[heavy, 0]])
    # and the acceleration there pays Wong's factor at the first-gear ratio
    xi = k1[heavy, 0] * R_ROLL
    gamma = c["mass_factor_a"] + c["mass_factor_b"] * xi**2
    assert gamma > 1.2


# ----------------------------------------------- a traction motor's rotor, not an engine
def _bev() -> tuple[dict, dict]:
    x = perf_params("bev", "single_speed", "plain")
    x["r_roll"] = R_ROLL * np.ones((3, 1))
    return x, perf_constants()


def test_bev_mass_factor_is_below_wongs_at_the_same_ratio():
    """A BEV's ``a + J_rotor k^2 / m`` against Wong's ``a + b xi^2`` at the ratio ``k``
    (xi = k r_roll): the rotor's term is a few per cent, Wong's ~20 % at ratio 8."""
    x, c = _bev()
    k = x["k"]
    g_bev = perf.mass_factor(k, x, c, "bev")
    g_wong = perf.mass_factor(k, x, c, "ice")
    xi = k * R_ROLL
    np.testing.assert_allclose(g_wong, c["mass_factor_a"] + c["mass_factor_b"] * xi**2)
    j = perf.rotor_inertia(x["t_r"], c)
    np.testing.assert_allclose(g_bev, c["mass_factor_a"] + j * k**2 / x["m"])
    assert np.all(g_bev < g_wong) and np.all(g_bev > c["mass_factor_a"])
    assert np.all(g_bev - c["mass_factor_a"] < 0.5 * (g_wong - c["mass_factor_a"]))
    # at the traction limit (k_used = 0) both pay the constant term only
    np.testing.assert_allclose(perf.mass_factor(0.0 * k, x, c, "bev"), c["mass_factor_a"])


def test_ice_mass_factor_is_unchanged_by_default():
    x, c = _x("mt5")
    k = np.array([[12.0], [30.0], [45.0]])
    np.testing.assert_array_equal(perf.mass_factor(k, x, c),
                                  c["mass_factor_a"] + c["mass_factor_b"] * (k * R_ROLL)**2)


def test_rotor_inertia_similarity_law():
    """J = J_ref (T/T_ref)^(5/4): the reference motor gets its published inertia, twice
    the torque 2^(5/4) times the inertia."""
    c = perf_constants()
    assert perf.rotor_inertia(c["rotor_torque_ref"], c) == pytest.approx(c["rotor_inertia_ref"])
    assert perf.rotor_inertia(2.0 * c["rotor_torque_ref"], c) == pytest.approx(
        2.0 ** 1.25 * c["rotor_inertia_ref"])
    assert c["rotor_inertia_exponent"] == 1.25


def test_bev_acceleration_pays_the_rotor_above_the_traction_limit():
    """The BEV's 0-60 time is the trapezoid of ``m gamma / (F - R)`` with the rotor's
    factor where the tyres grip and the constant term where they slip."""
    x, c = _bev()
    v = np.linspace(0.0, 60.0 * perf.MPH, 241)[None, :] * np.ones((3, 1))
    ratio: list = []
    f, _ = perf.tractive_force(v, x, "bev", "single_speed", c, ratio_out=ratio)
    gamma = perf.mass_factor(ratio[0], x, c, "bev")
    a = (f - _resistance(x, v)) / (x["m"] * gamma)
    want = np.trapezoid(1.0 / a, v, axis=-1)
    got = perf.accel_time(0.0, 60.0 * perf.MPH, x, "bev", "single_speed", c)[:, 0]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    wong = perf.mass_factor(ratio[0], x, c, "ice")
    assert np.all(got < np.trapezoid(x["m"] * wong / (f - _resistance(x, v)), v, axis=-1))
