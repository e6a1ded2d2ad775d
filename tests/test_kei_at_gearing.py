"""The ``kei_at_gearing`` probe (issue 13, 5 Dec 2026; ``benchmarks/kei_at_gearing.py``,
docs/validation.md "Kei automatics' published gear ratios"): the published sets'
spread and log positions, their median rule, and the trial patches, each undone after
its block and equal to the shipped function where it does not apply."""

from __future__ import annotations

import math

import numpy as np
from conftest import benchmark_module

from keidesign.energy import powertrains as pt


def _x(lo: float, hi: float) -> dict:
    return {"k_lo": np.array([[lo]]), "k_hi": np.array([[hi]])}


def test_published_rule():
    k = benchmark_module("kei_at_gearing")
    rs = k.rows()
    jimny = next(r for r in rs if r["transmission"].startswith("Suzuki kei 4AT"))
    s, phi = k.shape(jimny)
    assert math.isclose(s, 2.875 / 0.696, rel_tol=1e-12)
    assert phi[0] == 1.0 and phi[-1] == 0.0
    rule = k.published_rule(rs)
    # 4-speed: six spreads (median between the X-Trail's and the Civic's), five full sets
    assert rule[4]["n_spread"] == 6 and rule[4]["n_phi"] == 5
    assert math.isclose(rule[4]["spread"], 0.5 * (2.785 / 0.694 + 2.722 / 0.673),
                        rel_tol=1e-12)
    np.testing.assert_allclose(rule[4]["phi"][1:3], [0.558, 0.255], atol=1e-3)
    # the published 2nd and 3rd sit below the geometric 2/3 and 1/3
    assert rule[4]["phi"][1] < 2 / 3 and rule[4]["phi"][2] < 1 / 3
    assert rule[3]["n_spread"] == 1 and rule[3]["phi"][1] < 0.5


def test_step_patch():
    k = benchmark_module("kei_at_gearing")
    rule = k.published_rule(k.rows())
    shipped = pt.gear_ratios
    x = _x(2.875 * 30.0, 0.696 * 30.0)
    with k.step_rule(rule):
        got = pt.gear_ratios(x, 4)[0] / 30.0
        # the median rule reproduces the Jimny's published set within 3 % (2nd -2.0 %)
        np.testing.assert_allclose(got, [2.875, 1.568, 1.000, 0.696], rtol=0.03)
        np.testing.assert_allclose(pt.gear_ratios(x, 3), shipped(x, 3), rtol=1e-12)
        np.testing.assert_allclose(pt.gear_ratios(x, 5), shipped(x, 5), rtol=1e-12)
        np.testing.assert_allclose(pt.gear_ratios(x, 6), shipped(x, 6), rtol=1e-12)
    assert pt.gear_ratios is shipped


def test_default_patches_are_undone():
    k = benchmark_module("kei_at_gearing")
    rs = k.rows()
    rule = k.published_rule(rs)
    before = dict(pt.TRANSMISSION_DEFAULTS["at4"])
    with k.spread_rule(rule):
        d = pt.TRANSMISSION_DEFAULTS["at4"]
        assert math.isclose(d["ratio_low"] / d["ratio_high"], rule[4]["spread"], rel_tol=1e-3)
    with k.kei_top_gear(rs):
        d = pt.TRANSMISSION_DEFAULTS["at4"]
        # the Jimny 4AT's engine rev per metre on the kei default tyre
        circ = math.pi * 0.5571 * 0.97
        assert math.isclose(d["ratio_high"] * d["final_drive"] / circ, k.jimny_rev_per_m(rs),
                            rel_tol=1e-3)
    with k.previous_spread():
        assert pt.TRANSMISSION_DEFAULTS["at4"]["ratio_low"] == 2.8
    assert pt.TRANSMISSION_DEFAULTS["at4"] == before


def test_shipped_spread_is_the_published_median():
    """The 4AT default spread (shipped 5 Dec 2026) is the published median of
    ``at_gearing.csv``'s 4-speed sets, to its rounding of ``ratio_low`` (3.02)."""
    k = benchmark_module("kei_at_gearing")
    rule = k.published_rule(k.rows())
    d = pt.TRANSMISSION_DEFAULTS["at4"]
    assert abs(d["ratio_low"] - d["ratio_high"] * rule[4]["spread"]) < 0.005
