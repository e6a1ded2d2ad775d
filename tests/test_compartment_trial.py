"""The force-limited compartment (issue 14, tried, not kept): the trial kernel of
``benchmarks/compartment_trial.py`` that the probes ``compartment`` and ``force_crush``
swap into :mod:`keidesign.crash.pulse` (the shipped kernel has no compartment limit).
Its force bound, energy balance, complex step against finite differences, the pulse
component's partials through it, and that the swap leaves the shipped kernel in place
outside the ``with`` block.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module
from openmdao.utils.assert_utils import assert_check_partials
from test_crash import PULSE, _prob
from test_crash_kernel import BASE, CASES, HSTEP, _lanes, _one

from keidesign.crash import FrontalPulseComp
from keidesign.crash.pulse import (
    _METRICS,
    PULSE_OUTPUTS,
    W_SMOOTH,
    outputs_from_result,
    simulate,
    simulate_cases,
)


@pytest.fixture(scope="module")
def trial():
    return benchmark_module("compartment_trial")


def test_partials_with_a_compartment_limit(trial):
    """The pulse component's partials with the trial kernel swapped in (45 g per kg): a
    short gap and soft rails, so the structure and the dash both reach the limit; the
    complex step through the trial's compilation."""
    vals = dict(PULSE, **{"crash:front:engine_gap": 60.0, "crash:front:engine_clearance": 20.0,
                          "crash:front:rail_stroke": 250.0})
    with trial.active(45.0 * G0):
        prob = _prob(FrontalPulseComp(t_end=0.1), **vals)
        assert prob.get_val("crash:front:peak_decel")[0] < 55.0 * G0  # + mounts, restraint
        data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-6, rtol=1e-6)


#: a compartment strength of 40 g per kg of body mass: below the soft-rails case's
#: compaction and dash forces
LIMIT_G = 40.0
G0 = 9.80665
#: cases past the zones: compaction and dash (soft rails), the stack's path into the dash
#: (a short gap ahead of a heavy stack)
LIMITED_CASES = {"soft_rails": CASES["soft_rails"],
                 "short_gap": ({"gap": 0.06, "clearance": 0.02, "m_stack": 300.0}, {})}


@pytest.fixture
def compartment_limit(trial):
    with trial.active(LIMIT_G * G0):
        yield


def _front_force(r: dict) -> np.ndarray:
    """Structure + dash force on the body (N) of each time step, from the body's equation
    of motion m_b a_b = -F_s - F_m - F_d + F_r (mounts and restraint rebuilt from the
    histories)."""
    from keidesign.crash.pulse import mount_forces

    h = r["history"]
    f_m = mount_forces(h["xb"], h["xe"])
    f_r = -r["m_o"] * h["ao"]
    return -r["m_b"] * h["ab"] - f_m + f_r


@pytest.mark.parametrize("case", list(LIMITED_CASES))
def test_compartment_limit_bounds_the_front_force(case, trial):
    """With a compartment strength F_c = a_c m_b the structure and the dash together never
    pass more than F_c to the body (without it they do, in these cases); the compartment
    then deforms at F_c: more crush or dash intrusion; the energy is still accounted for
    (kinetic energy in = work of all elements + kinetic energy out, 0.1 %)."""
    over, kw = LIMITED_CASES[case]
    free = simulate(_one(over), **kw)
    with trial.active(LIMIT_G * G0):
        lim = simulate(_one(over), **kw)
    f_c = LIMIT_G * G0 * float(lim["m_b"][0])
    assert _front_force(free).max() > 1.2 * f_c
    assert _front_force(lim).max() <= f_c * (1.0 + 1e-9)
    assert (lim["c_max"][0] + lim["dash_intrusion"][0]
            > free["c_max"][0] + free["dash_intrusion"][0] + 0.01)
    assert lim["peak"][0] < free["peak"][0]
    for r in (free, lim):
        balance = r["ke0"] - sum(r["work_parts"]) - r["ke_end"]
        assert abs(balance[0]) < 1e-3 * r["ke0"][0]


def test_no_compartment_limit_is_the_shipped_kernel(trial):
    """The trial at a_c = 0 swaps nothing (the shipped kernel, unbounded springs, runs);
    a limit far above the forces of a case changes nothing beyond round-off; the swap is
    undone on exit."""
    from keidesign.crash import _pulse_kernel, pulse

    base = simulate_cases(_one({}))
    with trial.active(0.0):
        assert pulse._kernel is _pulse_kernel and trial.current() == (0.0, True)
        assert (simulate_cases(_one({}))["peak"] == base["peak"]).all()
    with trial.active(1000.0 * G0):
        assert len(pulse.kernel_constants()) == trial.N_CONST
        high = simulate_cases(_one({}))
    assert pulse._kernel is _pulse_kernel and len(pulse.kernel_constants()) == 9
    for name in _METRICS:
        assert high[name][0] == pytest.approx(base[name][0], rel=1e-9, abs=1e-12), name


@pytest.mark.parametrize("case", list(CASES))
def test_trial_kernel_without_a_limit_is_the_shipped_kernel(case, trial):
    """The trial kernel (a second copy of the shipped integration with the limit's
    terms) at a_c = 0 gives the shipped kernel's metrics bit for bit, float and complex."""
    over, kw = CASES[case]
    for p in (_one(over), _lanes(over)):
        base = simulate_cases(p, **kw)
        with trial.swapped(0.0):
            same = simulate_cases(p, **kw)
        for name in _METRICS:
            np.testing.assert_array_equal(same[name], base[name], err_msg=name)


@pytest.mark.parametrize("case", list(LIMITED_CASES))
def test_compartment_limit_complex_step_matches_finite_differences(case,
                                                                   compartment_limit):
    """The limited kernel's complex-step partials against central differences of its
    float compilation (the same check as without the limit)."""
    over, kw = LIMITED_CASES[case]
    d = outputs_from_result(simulate_cases(_lanes(over), **kw))
    p = dict(BASE, **over)
    for j, k in enumerate(p):
        h = 1e-6 * abs(p[k])
        fp = outputs_from_result(simulate_cases(_one({**over, k: p[k] + h}), **kw))
        fm = outputs_from_result(simulate_cases(_one({**over, k: p[k] - h}), **kw))
        for name in PULSE_OUTPUTS:
            fd = (fp[name][0] - fm[name][0]) / (2 * h)
            cs = d[name][j].imag / HSTEP
            scale = abs(fp[name][0]) / abs(p[k])
            assert abs(cs - fd) <= 1e-4 * abs(cs) + 1e-5 * scale, (case, name, k, cs, fd)


def test_structure_only_limit_leaves_the_dash_unbounded(trial):
    """``dash`` False limits the front structure alone (a force-limited
    compaction): in the short-gap case the structure's force stays within F_c while the
    stack's path into the dash is the shipped spring, so the body force exceeds F_c and
    the dash intrusion is the unlimited run's; the energy is still accounted for."""
    from keidesign.crash.pulse import K_STACK, KU_STIFF

    over, kw = LIMITED_CASES["short_gap"]
    free = simulate(_one(over), **kw)
    with trial.active(LIMIT_G * G0, dash=False):
        lim = simulate(_one(over), **kw)
    f_c = LIMIT_G * G0 * float(lim["m_b"][0])
    h = lim["history"]
    # the structure's force: the barrier force less the stack's own (hysteretic) contact
    e1 = h["xe"] - dict(BASE, **over)["gap"]
    h1 = np.maximum.accumulate(e1, axis=0)
    u = h1 / W_SMOOTH
    sp = np.where(u > 30.0, u, np.log1p(np.exp(np.minimum(u, 30.0))))
    f_e = np.maximum(K_STACK * W_SMOOTH * sp - KU_STIFF * (h1 - e1), 0.0)
    assert (h["fbar"] - f_e).max() <= f_c * (1.0 + 1e-9)
    assert _front_force(lim).max() > 1.2 * f_c
    balance = lim["ke0"] - sum(lim["work_parts"]) - lim["ke_end"]
    assert abs(balance[0]) < 1e-3 * lim["ke0"][0]
    assert lim["dash_intrusion"][0] == pytest.approx(free["dash_intrusion"][0], abs=0.02)
