"""The dash spring with a stop (issue 14, task s42d; tried): the trial kernel of
``benchmarks/dash_stop_trial.py`` swapped into :mod:`keidesign.crash.pulse` (the shipped
kernel has no stop). Without a stop it is the shipped kernel bit for bit; a stop stiffens
the dash past it (less intrusion, the energy still accounted for); its complex step and
the pulse component's partials hold through it; the coded grid maps as documented; the
swap is undone on exit.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module
from openmdao.utils.assert_utils import assert_check_partials
from test_crash import PULSE, _prob
from test_crash_kernel import CASES, _lanes, _one

from keidesign.crash import FrontalPulseComp, _pulse_kernel, pulse
from keidesign.crash.pulse import _METRICS, simulate, simulate_cases

#: a short gap ahead of a heavy stack: the stack travels into the dash
DASH_CASE = {"gap": 0.06, "clearance": 0.02, "m_stack": 300.0}


@pytest.fixture(scope="module")
def trial():
    return benchmark_module("dash_stop_trial")


@pytest.mark.parametrize("case", list(CASES))
def test_no_stop_is_the_shipped_kernel(case, trial):
    """d_s = NO_STOP: the trial's metrics are the shipped kernel's bit for bit, float and
    complex; the swap is undone on exit."""
    over, kw = CASES[case]
    for p in (_one(over), _lanes(over)):
        base = simulate_cases(p, **kw)
        with trial.stop(None):
            assert len(pulse.kernel_constants()) == _pulse_kernel.N_CONST + 1
            same = simulate_cases(p, **kw)
        for name in _METRICS:
            np.testing.assert_array_equal(same[name], base[name], err_msg=name)
    assert pulse._kernel is _pulse_kernel and len(pulse.kernel_constants()) == 9


def test_stop_limits_the_dash_travel(trial):
    """A soft dash (0.5 MN/m) with a rigid stack contact: without a stop the stack runs
    far into the dash; a stop cuts the travel, the more the shorter it is, and raises the
    body's peak; the energy balances (0.1 %)."""
    runs = {}
    kept = pulse.K_STACK, pulse.K_DASH
    pulse.K_STACK, pulse.K_DASH = 50e6, 0.5e6
    try:
        for s in (None, 0.15, 0.08, 0.04):
            with trial.stop(s):
                runs[s] = simulate(_one(DASH_CASE))
    finally:
        pulse.K_STACK, pulse.K_DASH = kept
    dash = [float(runs[s]["dash_intrusion"][0]) for s in (None, 0.15, 0.08, 0.04)]
    assert dash[0] > 0.2
    assert dash[0] > dash[1] > dash[2] > dash[3]
    assert float(runs[0.04]["peak"][0]) > 1.2 * float(runs[None]["peak"][0])
    for r in runs.values():
        balance = r["ke0"] - sum(r["work_parts"]) - r["ke_end"]
        assert abs(balance[0]) < 1e-3 * r["ke0"][0]


def test_partials_with_a_stop(trial):
    """The pulse component's partials (complex step) with the stop active against its
    finite differences: a soft dash (0.5 MN/m), the stack past its 30 mm stop."""
    vals = dict(PULSE, **{"crash:front:engine_gap": 60.0, "crash:front:engine_clearance": 20.0,
                          "crash:front:rail_stroke": 250.0})
    kept = pulse.K_STACK, pulse.K_DASH
    pulse.K_DASH = 0.5e6
    try:
        with trial.stop(0.03):
            prob = _prob(FrontalPulseComp(t_end=0.1), **vals)
            assert prob.get_val("crash:front:dash_intrusion")[0] > 30.0
            data = prob.check_partials(method="cs", out_stream=None)
    finally:
        pulse.K_STACK, pulse.K_DASH = kept
    assert_check_partials(data, atol=1e-6, rtol=1e-6)


def test_coded_grid(trial):
    """The coded grid: a trial K_DASH with a stop code gives K_STACK = KU_STIFF and the
    code's stop (m); the shipped pair gives the shipped constants and no stop."""
    kept = pulse.K_STACK, pulse.K_DASH
    try:
        with trial.coded():
            pulse.K_STACK, pulse.K_DASH = trial.STOP_GRID[4], trial.KD_GRID[0]
            c = pulse.kernel_constants()
            assert c[1] == pulse.KU_STIFF and c[2] == trial.KD_GRID[0]
            assert c[9] == pytest.approx(trial.STOPS_MM[4] * 1e-3)
            pulse.K_STACK = trial.STOP_GRID[-1]
            assert pulse.kernel_constants()[9] == trial.NO_STOP
            pulse.K_STACK, pulse.K_DASH = 5e6, 8e6
            c = pulse.kernel_constants()
            assert c[1] == 5e6 and c[2] == 8e6 and c[9] == trial.NO_STOP
    finally:
        pulse.K_STACK, pulse.K_DASH = kept
    assert trial.stop_label(trial.STOP_GRID[0]) == "30 mm"
    assert trial.stop_label(trial.STOP_GRID[-1]) == "none"


def test_trial_source_fails_loudly(trial):
    """The substitution refuses a shipped kernel without the dash line it replaces."""
    with pytest.raises(RuntimeError, match="not in integrate"):
        trial._trial_source(_pulse_kernel.integrate, "no such line", "x")
