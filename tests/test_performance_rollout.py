"""The magazines' rollout: the time to the first foot (or to a rolling speed) of the same
full-power launch as the 0-60 mph time (:func:`keidesign.energy.performance.launch_time`).

Checked against constant-acceleration kinematics where the force is constant (the light
design of ``tests/test_performance_inertia.py`` spins its tyres up to 3 m/s: the traction
limit, with no speed-dependent resistance), and against the integration's own time to
60 mph where it is not.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import perf_constants, perf_params

from keidesign.energy import performance as perf

V60 = 60.0 * perf.MPH
LIGHT = 2  # the light powerful design: traction-limited up to 3 m/s


def _x(trans: str = "mt5", flat: bool = True) -> tuple[dict, dict]:
    x = perf_params("ice", trans, "plain")
    x["r_roll"] = 0.28 * np.ones((3, 1))
    if flat:  # a constant resistance: constant force, constant acceleration
        x["f1"], x["f2"] = 0.0 * x["f1"], 0.0 * x["f2"]
    return x, perf_constants() | {"driven_axle_share": 0.6}


def _a_const(x: dict, c: dict) -> float:
    f_trac = c["mu"] * c["driven_axle_share"] * c["g"] * x["m"][LIGHT, 0]
    return (f_trac - x["f0"][LIGHT, 0]) / (x["m"][LIGHT, 0] * c["mass_factor_a"])


def test_rollout_time_is_constant_acceleration_kinematics():
    x, c = _x()
    a = _a_const(x, c)
    assert np.sqrt(2.0 * a * perf.ROLLOUT_M) < 3.0  # the first foot is inside the slip
    t = perf.launch_time(x, "ice", "mt5", c, distance=perf.ROLLOUT_M)[LIGHT, 0]
    assert t == pytest.approx(np.sqrt(2.0 * perf.ROLLOUT_M / a), rel=1e-9)
    t3 = perf.launch_time(x, "ice", "mt5", c, speed=3.0 * perf.MPH)[LIGHT, 0]
    assert t3 == pytest.approx(3.0 * perf.MPH / a, rel=1e-9)


def test_launch_time_to_60_mph_is_the_accel_time():
    """Where the force is not constant (the grid's other designs, resistance, gears and
    their shift times), the launch reaches the grid's last speed in the 0-60 time."""
    x, c = _x(flat=False)
    for trans in ("mt5", "cvt"):
        full = perf.accel_time(0.0, V60, x, "ice", trans, c)[:, 0]
        near = perf.launch_time(x, "ice", trans, c, speed=V60 * (1 - 1e-12))[:, 0]
        np.testing.assert_allclose(near, full, rtol=1e-9)


def test_rollout_is_a_fraction_of_a_second():
    """The first foot of the three designs' launches takes tenths of a second (at the
    traction limit's 5 m/s^2, 0.35 s), several of the speed grid's intervals."""
    x, c = _x(flat=False)
    t = perf.launch_time(x, "ice", "mt5", c, distance=perf.ROLLOUT_M)[:, 0]
    assert np.all((t > 0.1) & (t < 1.0)), t
    dt0 = perf.launch_time(x, "ice", "mt5", c, speed=V60 / 240)[:, 0]
    assert np.all(t > 2.0 * dt0), (t, dt0)


def test_launch_time_needs_one_target():
    x, c = _x()
    with pytest.raises(ValueError):
        perf.launch_time(x, "ice", "mt5", c)
    with pytest.raises(ValueError):
        perf.launch_time(x, "ice", "mt5", c, distance=0.3, speed=1.0)


def test_every_published_time_says_where_its_clock_starts():
    """Each us_specs.csv row with a 0-60 time has a known start, and its basis says why
    (a source, or that the start is unknown)."""
    from keidesign.specs import sources
    from keidesign.validation.performance import STARTS

    rows = [vr.row for vr in sources.vehicle_rows("us_specs") if vr.row.get("zero_to_60_s")]
    assert len(rows) >= 10
    for r in rows:
        assert r["zero_to_60_start"] in STARTS, r["model"]
        basis = r["zero_to_60_basis"]
        assert "start unknown" in basis or "status R" in basis.split("; start")[-1], r["model"]
        if r["zero_to_60_start"] != "rest":
            assert "start unknown" not in basis, r["model"]
