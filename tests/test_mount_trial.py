"""The engine mounts' elastic-plastic law (issue 14, task s29e; tried 6 Dec 2026, not
shipped): the trial kernel of ``benchmarks/mount_trial.py``, kept out of the shipped
pulse kernel (whose mounts are nonlinear-elastic). Its law returns at most its elastic
energy; swapped in, the stack keeps a permanent set instead of springing back behind its
rest position, the complex step still runs through it, the swap is undone on exit; and
the probe on one car (ship-rule condition (a), the N-Box US case at 1000 mm).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module
from test_crash_kernel import CASES, _one, test_complex_step_matches_finite_differences

from keidesign.crash import _pulse_kernel, pulse
from keidesign.crash.pulse import MOUNT_FORCE, MOUNT_RANGE, simulate


@pytest.fixture(scope="module")
def trial():
    """benchmarks/mount_trial.py (compiles the trial kernel on import)."""
    return benchmark_module("mount_trial")


def test_shipped_kernel_has_one_mount_model(trial):
    """The shipped kernel carries no trial code: no elastic-plastic mount function, and
    ``pulse.mount_forces`` rebuilds the one law it integrates (no ``plastic`` switch);
    the trial kernel is the shipped source with its one mount line replaced."""
    assert not hasattr(_pulse_kernel, "_mount")
    import inspect

    assert list(inspect.signature(pulse.mount_forces).parameters) == ["xb", "xe"]
    assert trial.SHIPPED_LINE in trial._source(_pulse_kernel.integrate)
    assert trial.TRIAL_LINE in trial._source(trial.integrate)


def test_trial_refuses_a_kernel_without_the_mount_line(trial, monkeypatch):
    """If the shipped kernel's mount line changes, rebuilding the trial is an error that
    says so, not a trial silently equal to the shipped kernel."""
    def integrate(p):  # a kernel without the line
        return p

    fake = type("K", (), {"integrate": type("D", (), {"py_func": staticmethod(integrate)})})
    monkeypatch.setattr(trial, "_k", fake)
    with pytest.raises(RuntimeError, match="update benchmarks/mount_trial.py"):
        trial._rebuilt()


@pytest.mark.parametrize("peak", [0.005, 0.02, 0.1])
def test_mounts_return_at_most_their_elastic_energy(peak, trial):
    """Loaded along its backbone to ``peak`` (either side) and unloaded to zero force, the
    trial law springs back by at most its elastic range, F(peak) / k_m, and returns at
    most the work of loading; driven on, it loads again from its permanent set on the
    backbone, with no jump in force."""
    i_range = 1.0 / MOUNT_RANGE
    for sign in (1.0, -1.0):
        sp = upk = 0.0
        path = np.concatenate([np.linspace(0.0, peak, 2001), np.linspace(peak, -peak, 4001)])
        f = np.empty_like(path)
        sets = np.empty_like(path)
        for j, x in enumerate(sign * path):
            f[j], sp, upk = trial._mount(x, sp, upk, MOUNT_FORCE, i_range)
            sets[j] = sp
        x = sign * path
        stored = np.trapezoid(f[:2001], x[:2001])
        j0 = 2001 + int(np.argmax(sign * f[2001:] <= 0.0))    # force back at zero
        returned = -np.trapezoid(f[2000:j0], x[2000:j0])
        assert 0.0 < returned <= stored * (1.0 + 1e-9)
        assert abs(x[2000] - x[j0]) <= MOUNT_RANGE * (1.0 + 1e-3)
        assert sign * sets[-1] > 0.0 and np.isclose(sign * sets[-1], peak - float(
            MOUNT_FORCE * np.tanh(peak * i_range)) / (MOUNT_FORCE * i_range), rtol=1e-9)
        assert np.abs(np.diff(f)).max() < MOUNT_FORCE * i_range * 2.0 * peak / 2000 * 1.01


def test_trial_stack_does_not_spring_back_behind_its_rest_position(trial):
    """A 500 mm gap ahead of the stack: it slides forward on its saturated mounts. With
    the shipped (nonlinear-elastic) mounts it springs back behind its rest position by
    more than their elastic range; with the trial's it never goes behind it by more than
    that, the mounts' net work is the energy they dissipated (> 0), the energy is
    accounted for, and the swap is undone on exit (the shipped kernel and law back)."""
    over = CASES["mount_set"][0]
    shipped = simulate(_one(over))
    with trial.active():
        assert pulse._kernel is not _pulse_kernel
        r = simulate(_one(over))
        f_m = pulse.mount_forces(r["history"]["xb"], r["history"]["xe"])
    assert pulse._kernel is _pulse_kernel and pulse.mount_forces is not trial.mount_forces

    def travel(res):
        h = res["history"]
        return h["xe"][:, 0] - h["xb"][:, 0]       # stack ahead of its rest position (m)

    a0, a1 = travel(shipped), travel(r)
    i = int(np.argmax(a1))
    assert a1[i] > 2.0 * MOUNT_RANGE
    assert a0[int(np.argmax(a0)):].min() < -MOUNT_RANGE       # the shipped springback
    assert a1[i:].min() >= -MOUNT_RANGE
    assert float(r["work_parts"][2][0]) > 0.5 * MOUNT_FORCE * a1[i]
    assert abs(float(r["ke0"][0] - sum(r["work_parts"])[0] - r["ke_end"][0])) \
        < 1e-3 * float(r["ke0"][0])
    # under the swap the probes rebuild the mounts' force with the trial's law (its set),
    # not the shipped tanh of the deflection
    shipped_law = MOUNT_FORCE * np.tanh((r["history"]["xb"] - r["history"]["xe"]) / MOUNT_RANGE)
    assert np.abs(f_m).max() <= MOUNT_FORCE
    assert np.abs(f_m - shipped_law).max() > 0.5 * MOUNT_FORCE


def test_trial_complex_step_matches_finite_differences(trial):
    """The trial kernel's complex-step partials against central differences of its float
    compilation, on the case whose mounts take a set: the shipped kernel's own check
    (``test_crash_kernel``) run with the trial swapped in."""
    with trial.active():
        assert pulse._kernel.integrate is trial.integrate
        test_complex_step_matches_finite_differences("mount_set")


def test_probe_condition_a_on_the_nbox_at_1000_mm(trial):
    """The probe on one car (ship-rule condition (a), docs/crash.md "The engine mounts'
    springback"): ``nbox_class_us`` with a 1000 mm front, whose body crush never closes
    the engine gap, takes dash intrusion from the stack springing back on the shipped
    mounts (more than 10 mm, 94 mm behind its rest position); with the trial's it takes
    none and the stack ends ahead of its rest position."""
    base = trial.springback(1000.0)
    with trial.active():
        tri = trial.springback(1000.0)
    assert base["crush_mm"] < base["gap_mm"] and tri["crush_mm"] < tri["gap_mm"]
    assert base["dash_mm"] > 10.0 and base["behind_mm"] > 2e3 * MOUNT_RANGE
    assert tri["dash_mm"] == 0.0 and tri["behind_mm"] < 0.0 < tri["end_mm"]
    assert tri["ahead_mm"] == pytest.approx(base["ahead_mm"], abs=1.0)


def test_under_refuses_what_is_no_print_only_benchmark_run(trial, capsys):
    """``--under`` runs a script of benchmarks/ with the trial swapped in, print-only: no
    script, one outside benchmarks/ or a ``--write`` option is one line and status 2,
    and the shipped kernel is in place after."""
    for argv in (["--under"], ["--under", "../README.md"], ["--under", "no_such.py"],
                 ["--under", "crash_outcomes.py", "--write-docs"], ["--bad"]):
        assert trial.main(argv) == 2, argv
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1, err
    assert pulse._kernel is _pulse_kernel
