"""The s37h ankle-pivot trial (benchmarks/ankle_pivot_trial.py): its geometry reproduces
the model's coded L34 construction, the shoe frame rotates as stated, the inverse offset
solves its equation and the comparison rule reads MAE and bias as written."""

from __future__ import annotations

import math

import pytest
from conftest import benchmark_module

from geometry import closed_form as cf

apt = benchmark_module("ankle_pivot_trial")


@pytest.mark.parametrize("theta", [0.0, 35.0, 62.3, 80.0])
def test_coded_ankle_is_a_shoe_point(theta):
    t = math.radians(theta)
    ax, az = apt.ankle_on_shoe(100.0 * math.sin(t), 100.0 * math.cos(t), theta)
    assert ax == pytest.approx(apt.CODED_ANKLE[0], abs=1e-9)
    assert az == pytest.approx(apt.CODED_ANKLE[1], abs=1e-9)


@pytest.mark.parametrize("style", ["hatch", "truck"])
def test_coded_l34_matches_closed_form(style):
    p = dict(cf.sample(style))
    out = cf.closed_form(p, style)
    assert apt.l34(p["l53"], p["h30"]) == pytest.approx(float(out["body:legroom"]), abs=1e-6)


def test_shoe_frame_on_a_tilted_sole():
    # a point on the sole (h = 0) rises forward along the plane; one above the heel
    # (u = 0) leans rearward by h sin(theta)
    ax, az = apt.ankle_on_shoe(100.0, 0.0, 30.0)
    assert (ax, az) == pytest.approx((-100.0 * math.cos(math.radians(30.0)), 50.0))
    ax, az = apt.ankle_on_shoe(0.0, 100.0, 30.0)
    assert (ax, az) == pytest.approx((50.0, 100.0 * math.cos(math.radians(30.0))))
    # an ankle behind the AHP shortens L34 at a fixed seat
    assert apt.l34(850.0, 270.0, (ax, az)) < apt.l34(850.0, 270.0)


def test_pedal_plane_angle_falls_with_seat_height():
    angles = [apt.pedal_plane_angle(h) for h in (200.0, 270.0, 340.0, 405.0)]
    assert all(a > b for a, b in zip(angles, angles[1:], strict=False))
    assert 40.0 < angles[-1] < angles[0] < 80.0


def test_rearward_offset_solves_l34():
    for target in (1030.0, 1064.0, 1100.0):
        x = apt.rearward_offset(850.0, 270.0, target)
        assert apt.l34(850.0, 270.0, (x, apt.CODED_ANKLE[1])) == pytest.approx(target)


def test_errors_and_rule():
    mae, bias = apt.errors([10.0, 20.0, 30.0], [20.0, 20.0, 20.0])
    assert (mae, bias) == pytest.approx((20.0 / 3.0, 0.0))
    assert apt.rule_met(10.0, 19.0, 57.0)
    assert not apt.rule_met(10.0, -21.0, 57.0)
    assert not apt.rule_met(57.0, 0.0, 57.0)
