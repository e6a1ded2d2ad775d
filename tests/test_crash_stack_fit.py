"""The stack-path springs fitted on the own tests (issue 14, deliverable 2; task s38e;
docs/crash.md, "The stack-path springs fitted on the own tests"): the grid and its
bounds as pre-registered, the grid minimiser and its leave-one-family-out picks, the
slope on the gap, and the springs' runs (``benchmarks/crash_probes.py stack_fit``)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module

from keidesign.crash import pulse
from keidesign.design import load_design
from keidesign.errors import InputError
from keidesign.specs.build import design_pulse_inputs


def test_grid_is_the_pre_registered_one():
    cp = benchmark_module("crash_probes")
    grid = np.array(cp.STACK_FIT_GRID)
    assert grid.size == 21
    assert grid[0] == pytest.approx(0.5e6) and grid[-1] == pytest.approx(50e6)
    assert np.allclose(np.diff(np.log10(grid)), 0.1)
    assert np.isclose(grid, 5e6).any()
    assert cp.STACK_FIT_RULE["slope"] == (-3.6, 2.0) and cp.STACK_FIT_RULE["p1_gain"] == 0.02


def test_grid_fit_picks_on_the_other_families():
    """Family A's rows favour pair 0, the others pair 1: on all rows pair 1 wins; A left
    out gets pair 1 and its own rows' errors there; B and C left out get pair 1 as well
    unless A's rows outweigh the rest."""
    cp = benchmark_module("crash_probes")
    err = np.array([[0.0, 0.0, 0.0, 0.5, 0.5, 0.5],
                    [0.4, 0.4, 0.4, 0.0, 0.0, 0.0]])
    groups = ["A", "A", "A", "B", "C", "C"]
    f = cp.grid_fit(err, groups)
    assert f["fit"] == 1
    assert f["picks"] == {"A": 1, "B": 0, "C": 0}
    assert np.allclose(f["held"], [0.4, 0.4, 0.4, 0.5, 0.5, 0.5])
    with pytest.raises(InputError, match="at least 2"):
        cp.grid_fit(err, ["A"] * 6)


def test_grid_fit_picks_only_the_allowed_pairs():
    """Task s38n's constraint: the mask is asked with the group left out (None for the fit
    on all rows); a pair it drops is never picked, and a mask keeping none is an error."""
    cp = benchmark_module("crash_probes")
    err = np.array([[0.0, 0.0, 0.0, 0.5, 0.5, 0.5],
                    [0.4, 0.4, 0.4, 0.0, 0.0, 0.0],
                    [0.6, 0.6, 0.6, 0.6, 0.6, 0.6]])
    groups = ["A", "A", "A", "B", "C", "C"]
    asked = []

    def allowed(left_out):
        asked.append(left_out)
        return np.array([True, left_out == "A", True])

    f = cp.grid_fit(err, groups, allowed)
    assert sorted(asked, key=str) == ["A", "B", "C", None]
    assert f["fit"] == 0                       # pair 1 dropped on all rows
    assert f["picks"] == {"A": 1, "B": 0, "C": 0}
    assert np.allclose(f["held"], [0.4, 0.4, 0.4, 0.5, 0.5, 0.5])
    with pytest.raises(InputError, match="no pair kept"):
        cp.grid_fit(err, groups, lambda _: np.zeros(3, dtype=bool))


def test_bounded_limit_is_the_pre_registered_one():
    cp = benchmark_module("crash_probes")
    assert cp.BOUNDED_MAX_CONTRADICTIONS == 5
    assert cp.intrusion_flag(4.0, 10.0, None) == "<"
    assert cp.intrusion_flag(5.0, 10.0, 90.0) == ""       # 5 >= 10 - 5, below the upper
    assert cp.intrusion_flag(91.0, 10.0, 90.0) == ">"


def test_gap_slope_in_g_per_100_mm():
    cp = benchmark_module("crash_probes")
    gap = np.array([200.0, 400.0, 600.0])
    assert cp.gap_slope(gap, 80.0 - 0.05 * gap) == pytest.approx(-5.0)


def test_spring_runs_restore_the_constants_and_follow_the_stack_spring():
    """The shipped pair reproduces ``simulate_cases``' crush; a stiffer stack contact
    raises the Mirage class's peak (48.5 g shipped; the stack's arrival through its 400 mm gap:
    45.8 g at 2 MN/m, 72.5 g at 20 MN/m); constants restored after."""
    cp = benchmark_module("crash_probes")
    inp = design_pulse_inputs(load_design(cp.ROOT / "studies" / "designs"
                                          / "mirage_class.toml"))
    kept = (pulse.K_STACK, pulse.K_DASH)
    runs = cp.spring_runs([inp], [kept, (2e6, kept[1]), (20e6, kept[1])])
    assert (pulse.K_STACK, pulse.K_DASH) == kept
    ref = pulse.simulate_cases(cp._lanes([inp]))
    assert runs[kept]["crush"][0] == pytest.approx(float(np.real(ref["c_max"][0])) * 1e3)
    assert runs[(20e6, kept[1])]["peak"][0] > runs[(2e6, kept[1])]["peak"][0] + 10.0
