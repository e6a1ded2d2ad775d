"""The s38d trial of one rule for the store under the rear seat
(benchmarks/rear_seat_storage_trial.py, not wired into the model): the tank and the pack
rise alike for the same top, the rise is max(0, top + d - H) on both sides of its kink,
exactly differentiable, and only a store under the occupants' hips and the cushion
counts."""

from __future__ import annotations

import pytest
from conftest import benchmark_module

from geometry import closed_form as cf
from geometry import profiles as pr
from geometry.ad import seed

rst = benchmark_module("rear_seat_storage_trial")


def _layout(powertrain: str, placement: str = "underfloor", **changes) -> pr.Layout:
    p = dict(cf.sample("hatch"))
    p.update(changes)
    return pr.Layout(p, "hatch", powertrain, placement)


def test_tank_and_pack_rise_alike_for_the_same_top():
    tank = _layout("ice")
    # a pack whose top is the tank's: gc + 5 + h = gc + 10 + TANK_HEIGHT
    h = 5.0 + pr.TANK_HEIGHT
    pack = _layout("bev", "under_rear_seat", battery_height=h)
    assert rst.under_cushion(tank) and rst.under_cushion(pack)
    assert float(pack.storage_box[4]) == pytest.approx(float(tank.storage_box[4]))
    assert float(rst.default_rear_z(pack)) == pytest.approx(float(rst.default_rear_z(tank)))
    for d in (80.0, 150.0, 200.0):
        assert float(rst.rear_h_z(pack, d)) == pytest.approx(float(rst.rear_h_z(tank, d)))


@pytest.mark.parametrize("powertrain, placement", [("ice", "underfloor"),
                                                   ("bev", "under_rear_seat")])
def test_rise_is_zero_at_h_minus_d_and_50_above(powertrain, placement):
    lay = _layout(powertrain, placement)
    z_h = float(rst.default_rear_z(lay))
    top = float(lay.storage_box[4])
    d0 = z_h - top                       # the store's top exactly d below the H-point
    assert float(rst.rear_h_z(lay, d0)) == pytest.approx(z_h, abs=1e-9)
    assert float(rst.rear_h_z(lay, d0 - 30.0)) == pytest.approx(z_h, abs=1e-9)
    assert float(rst.rear_h_z(lay, d0 + 50.0)) == pytest.approx(z_h + 50.0, abs=1e-9)


def test_rise_derivatives_exact_on_both_sides_of_the_kink():
    top, h = seed([400.0, 480.0])
    above = rst.rear_rise(top, h, 130.0)           # 400 + 130 - 480 = 50 > 0
    assert float(above.v) == pytest.approx(50.0)
    assert list(above.g) == pytest.approx([1.0, -1.0])
    below = rst.rear_rise(top, h, 30.0)            # -50: no rise
    assert float(below.v) == 0.0 and list(below.g) == pytest.approx([0.0, 0.0])
    cs = rst.rear_rise(400.0 + 1e-30j, 480.0, 130.0)  # complex step
    assert cs.imag / 1e-30 == pytest.approx(1.0)


def test_only_a_store_under_the_hips_and_the_cushion_counts():
    assert not rst.under_cushion(_layout("bev", "tunnel"))    # between the hips
    assert not rst.under_cushion(_layout("bev", "rear"))      # behind the seat back
    assert rst.under_cushion(_layout("bev", "under_rear_seat"))
    assert not rst.under_cushion(_layout("ice", l50=0.0))     # no rear row
    # a store off the rule leaves the rear H-point at the front one's height
    tunnel = _layout("bev", "tunnel")
    assert float(rst.rear_h_z(tunnel, 500.0)) == pytest.approx(float(tunnel.h_point[1]))


def test_model_margin_read_as_the_closed_form():
    # the trial's margin construction is the closed form's (the "model" column)
    for powertrain, placement in (("ice", "underfloor"), ("bev", "under_rear_seat")):
        lay = _layout(powertrain, placement)
        out = cf.closed_form(dict(cf.sample("hatch")), "hatch", powertrain, placement)
        assert rst.rear_margin(lay, float(lay.rear_h_point[1])) == pytest.approx(
            float(out["body:headroom_rear_margin"]), abs=1e-9)
