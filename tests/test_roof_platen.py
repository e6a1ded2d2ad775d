"""Which pillars FMVSS 216a's platen loads (issue 14, task s31b; trial
``benchmarks/roof_platen_trial.py``): the platen's gap to a roof point, a pillar's yield
travel, the share developed within 127 mm, and the trial's rule-1 tally."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import benchmark_module

from keidesign import variables
from keidesign.crash import roof


def test_platen_gap_is_the_plate_normal_distance():
    """A point 1000 mm behind the first contact on a flat roof: cos 25 sin 5 x 1000 mm; a
    point 100 mm lower at the contact: cos 25 cos 5 x 100 mm; a rearward rise closes it."""
    c25, s5, c5 = (math.cos(math.radians(25)), math.sin(math.radians(5)),
                   math.cos(math.radians(5)))
    assert roof.platen_gap(1000.0, 0.0) == pytest.approx(1000 * s5 * c25)
    assert roof.platen_gap(0.0, 100.0) == pytest.approx(100 * c5 * c25)
    assert roof.platen_gap(1000.0, -1000 * math.tan(math.radians(5))) == pytest.approx(0.0,
                                                                                       abs=1e-9)


def test_pillar_yield_travel_is_the_sway_column_deflection_at_collapse():
    """delta_y = F_p sin^2 theta / (12 E I / L^3) with F_p = 2 M_p / (L sin theta)."""
    m_p, length, e, i, th = 17.5e3, 0.9, 210e9, 9.07e-7, 25.0
    f_p = 2 * m_p / (length * math.sin(math.radians(th)))
    k = 12 * e * i / length**3
    assert roof.pillar_yield_travel(m_p, length, th, e, i) == pytest.approx(
        1e3 * f_p * math.sin(math.radians(th))**2 / k)
    assert roof.box_second_moment(0.08, 0.1, 0.0016) == pytest.approx(
        2 * 0.08 * 0.0016 * 0.05**2 + 2 * 0.0016 * 0.1**3 / 12)


def test_engagement_clips_to_the_travel_left():
    eta = roof.platen_engagement(np.array([0.0, 100.0, 120.0, 130.0]), 20.0)
    assert eta.tolist() == pytest.approx([1.0, 1.0, 7 / 20, 0.0])


def test_shares_are_vectorised_and_follow_the_side_view():
    """An array of roofs gives the per-roof shares; a header pushed forward (a shorter
    cowl setback) lengthens the header-to-B-pillar run and the B-pillar's gap."""
    g = {k: float(variables.get(k).default) for k in roof.RoofStrengthComp.INPUTS
         if k.startswith("crash:")}
    g |= {"body:height": 1500.0, "body:hood_height": 930.0, "body:windshield_rake": 60.0,
          "body:hpoint_to_heel": 850.0}
    setbacks = np.array([100.0, -300.0])
    many = roof.platen_pillar_shares(g | {"body:cowl_setback": setbacks})
    for i, cs in enumerate(setbacks):
        one = roof.platen_pillar_shares(g | {"body:cowl_setback": float(cs)})
        for k, v in one.items():
            assert np.broadcast_to(many[k], (2,))[i] == pytest.approx(float(v)), k
    assert many["gap_b_mm"][1] - many["gap_b_mm"][0] == pytest.approx(
        float(roof.platen_gap(400.0, 0.0)))
    x_a = 100.0 + 570.0 * math.tan(math.radians(60))
    assert float(many["x_a_mm"][0]) == pytest.approx(x_a)
    assert float(many["x_b_mm"]) == pytest.approx(200 + 850 + 162)


def test_rule_one_needs_the_count_kept_and_the_mae_down():
    trial = benchmark_module("roof_platen_trial")
    nan = float("nan")
    before = [{"vehicle": v, "iihs_swr": 4.0, "floor": nan, "model_swr": 4.0 * (1 + e),
               "error": e, "a_pillar_mm": 1.0, "model_force_kn": 50.0}
              for v, e in (("a", 0.5), ("b", 0.1), ("c", 0.0))]
    better = [r | {"error": 0.3, "model_swr": 5.2} if r["vehicle"] == "a" else r
              for r in before]
    worse = [r | {"error": 0.3, "model_swr": 5.2} if r["vehicle"] == "b" else r
             for r in before]
    assert trial.judge(before, better)["rule1"]
    j = trial.judge(before, worse)
    assert not j["rule1"] and j["within"] == (2, 1)
