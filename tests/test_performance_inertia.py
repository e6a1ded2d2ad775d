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
