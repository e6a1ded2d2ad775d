"""The ``kei_4at_phases`` probe's what-if patches (issue 13, 5 Dec 2026;
``benchmarks/kei_4at_phases.py``, docs/validation.md "The kei 4ATs by WLTC phase"): the
published-ratio patch gives the Suzuki 4AT's published set on the rows that carry its
first / top span and the shipped geometric spacing elsewhere, and the stall-speed patch
reaches the shipped converter law; both are undone after their block."""

from __future__ import annotations

import numpy as np
from conftest import benchmark_module

from keidesign.energy import powertrains as pt


def _x(lo: float, hi: float) -> dict:
    return {"k_lo": np.array([[lo]]), "k_hi": np.array([[hi]])}


def test_published_ratios_patch():
    k = benchmark_module("kei_4at_phases")
    shipped = pt.gear_ratios
    suzuki = _x(2.875 * 30.0, 0.696 * 30.0)
    other = _x(3.0 * 30.0, 0.7 * 30.0)
    with k._published_ratios():
        got = pt.gear_ratios(suzuki, 4)
        np.testing.assert_allclose(got[0], 30.0 * np.array(k.SUZUKI_4AT), rtol=1e-12)
        np.testing.assert_allclose(pt.gear_ratios(other, 4), shipped(other, 4), rtol=1e-12)
        np.testing.assert_allclose(pt.gear_ratios(suzuki, 5), shipped(suzuki, 5), rtol=1e-12)
    assert pt.gear_ratios is shipped
    # the shipped spacing is geometric: 2nd and 3rd 14 % and 12 % shorter than published
    geo = shipped(suzuki, 4)[0] / 30.0
    np.testing.assert_allclose(geo[1:3] / np.array(k.SUZUKI_4AT[1:3]), [1.143, 1.117],
                               atol=2e-3)


def test_stall_patch_reaches_the_shipped_law():
    k = benchmark_module("kei_4at_phases")
    shipped = pt.converter_speed_ratio
    idx = np.zeros((1, 3), int)
    w_t = np.full((1, 3), 150.0)
    p_t = np.array([[2e3, 6e3, 12e3]])
    t_r = np.array([[63.0]])
    with k._stall(3500.0):
        got = pt.converter_speed_ratio(idx, 4, w_t, p_t, t_r)
    assert pt.converter_speed_ratio is shipped
    np.testing.assert_allclose(got, shipped(idx, 4, w_t, p_t, t_r, stall_rpm=3500.0),
                               rtol=1e-12)
    assert np.all(got < shipped(idx, 4, w_t, p_t, t_r))  # a looser converter slips more


def test_coast_trial_touches_only_converters_without_lockup():
    """(g): the trial adds fuel to the Every 4AT (``lockup = "none"``) and leaves its 5MT
    twin and the Jimny 4AT (LTC, ``"all"``) bit-identical; the shipped cycle is back
    after the block."""
    k = benchmark_module("kei_4at_phases")
    ka = benchmark_module("kei_automatic")
    names = ("Every DA17V 2WD 4AT", "Every DA17V 2WD 5MT", "Jimny JB64 4AT")
    rows = [r for r in ka.rows() if r["config"] in names]
    shipped_fn = pt.ice_cycle
    base = ka.run_rows(rows)
    with k.coast_trial():
        trial = ka.run_rows(rows)
    assert pt.ice_cycle is shipped_fn
    assert trial["Every DA17V 2WD 5MT"] == base["Every DA17V 2WD 5MT"]
    assert trial["Jimny JB64 4AT"] == base["Jimny JB64 4AT"]
    # docs/validation.md "The kei 4ATs by WLTC phase" (g): 17.17 -> 16.92 km/L
    assert base["Every DA17V 2WD 4AT"] - trial["Every DA17V 2WD 4AT"] > 0.1
