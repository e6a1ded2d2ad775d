"""The dash spring with a stop (issue 14, deliverable 2; task s42d, 7 Dec 2026): a trial
kernel swapped into :mod:`keidesign.crash.pulse`, and the pre-registered fit of its two
constants on the certified generations' own NCAP tests held out by maker
(docs/crash.md, "The dash spring with a stop, judged on all own tests held out by
maker").

Model. A compliant dash (toe pan, firewall) that yields up to a stop and then goes rigid:
the stack-dash element's loading law becomes::

    F_L = k_d w sp(delta / w) + (k_s - k_d) w sp((delta - d_s) / w)      (N)

with delta = x_b - x_e - c_e (m, the stack's travel into the dash past the clearance),
w = ``pulse.W_SMOOTH`` (5 mm), sp the softplus, k_d = ``pulse.K_DASH`` (N/m), d_s the
stop (m) and k_s = ``pulse.KU_STIFF`` (50 MN/m, the model's slope of a rigid element).
Loading and unloading are the shipped element's (hysteretic, unloading at ``KU_STIFF``
from the largest travel). Past the stop by more than a few w the dash is stiff at k_s;
below it by more than a few w the law is the shipped one to round-off, and with d_s =
:data:`NO_STOP` (10 m) the added term is exactly 0 (softplus of -2000): the shipped law.
Assumptions: one stop for every car (a travel in mm, not scaled with the car), the stack
contact rigid too (``K_STACK`` = ``KU_STIFF``, 50 MN/m, in :data:`STOP_GRID`'s runs).
Validity: the full-width rigid-barrier pulse of the shipped kernel; the stop's travel
read against the measured static firewall travel (a lower bound) and the IIHS offset toe
pan (an upper bound) of task s38j. Source of the bounds: docs/crash.md, "Measured dash
travel in full-width tests against the stack-path springs"; no published dash stiffness
or stop exists in the stored corpora (``data/crash/stack_path_sources.csv``).

The trial kernel is the shipped :func:`keidesign.crash._pulse_kernel.integrate` and
:func:`~keidesign.crash._pulse_kernel.run` recompiled (numba, no on-disk cache: the
shipped functions they call are compiled into them) from their own source with the dash
law above in place of the shipped one (:func:`_trial_source`: a textual substitution that
fails loudly if the shipped line is not found), so the trial follows the shipped kernel
without a second copy of it. Its element constants are the shipped nine and d_s.

The fit (:func:`main`) reuses ``crash_probes.stack_fit_lines`` (s38e / s38n: grid, C, F,
P1-P8, the full evaluation at the pick) with a coded grid: the pair (K_STACK, K_DASH) of
that probe is read as (the stop's code, k_d), each code of :data:`STOP_GRID` mapping to a
stop (:data:`STOPS_MM`) with the stack contact at ``KU_STIFF``; a pair whose K_DASH is not
a trial value (the shipped 5 / 8 MN/m) runs the shipped law. ``python
benchmarks/dash_stop_trial.py`` (about 15 minutes); nothing is written, constants
restored.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from unittest import mock

import numpy as np
from numba import njit

from keidesign.crash import _pulse_kernel as _k
from keidesign.crash import pulse

#: d_s meaning "no stop" (m): the added term is exactly zero (softplus of -2000)
NO_STOP = 10.0
#: the stops of the pre-registered grid (mm; None: no stop)
STOPS_MM = (30.0, 40.0, 60.0, 80.0, 100.0, 120.0, 140.0, 170.0, 200.0, 250.0, None)
#: the dash stiffnesses of the grid (N/m): s38e's grid's first 11 values, 0.5-5 MN/m
KD_GRID = tuple(0.5e6 * 10.0 ** (k / 10.0) for k in range(11))
#: the coded grid handed to ``crash_probes.stack_fit_lines`` as its ``STACK_FIT_GRID``:
#: the same 11 values; on the K_STACK axis each codes the stop of the same index
STOP_GRID = KD_GRID
#: the shipped dash law's line and the trial's (with the stop ``c[9]``, m)
_SHIPPED_DASH = "k_dash * w * _sp(h2 * iw)"
_TRIAL_DASH = "(k_dash * w * _sp(h2 * iw) + (ku_stiff - k_dash) * w * _sp((h2 - c[9]) * iw))"


def _trial_source(fn, old: str, new: str) -> str:
    """The source of the shipped kernel function ``fn`` without its decorator, ``old``
    replaced by ``new`` (:class:`RuntimeError` if ``old`` is absent: the shipped kernel
    changed and the trial must be re-read)."""
    src = inspect.getsource(fn.py_func)
    if old not in src:
        raise RuntimeError(f"dash_stop_trial: {old!r} not in {fn.py_func.__name__}")
    lines = src.replace(old, new).splitlines()
    return "\n".join(ln for ln in lines if not ln.lstrip().startswith("@njit"))


def _compile() -> SimpleNamespace:
    """The trial kernel: the shipped module's namespace with ``integrate`` (the dash law
    with the stop) and ``run`` (calling it) recompiled."""
    ns = {k: getattr(_k, k) for k in dir(_k) if not k.startswith("__")}
    exec(_trial_source(_k.integrate, _SHIPPED_DASH, _TRIAL_DASH), ns)  # noqa: S102
    ns["integrate"] = njit(cache=False)(ns["integrate"])
    exec(_trial_source(_k.run, "integrate(p", "integrate(p"), ns)  # noqa: S102
    ns["run"] = njit(cache=False)(ns["run"])
    ns["N_CONST"] = _k.N_CONST + 1
    return SimpleNamespace(**ns)


_KERNEL: list[SimpleNamespace] = []
_SHIPPED_CONSTANTS = pulse.kernel_constants


def kernel() -> SimpleNamespace:
    """The trial kernel, compiled once."""
    if not _KERNEL:
        _KERNEL.append(_compile())
    return _KERNEL[0]


def constants(stop_m: float | None) -> np.ndarray:
    """The trial's element constants: the shipped nine (``pulse``'s values now) and d_s
    (m; None: :data:`NO_STOP`)."""
    return np.concatenate([_SHIPPED_CONSTANTS(), [NO_STOP if stop_m is None else stop_m]])


@contextmanager
def stop(stop_m: float | None) -> Iterator[None]:
    """:mod:`keidesign.crash.pulse` running the trial kernel with the stop ``stop_m`` (m;
    None: no stop) for the ``with`` block; undone on exit."""
    with mock.patch.object(pulse, "_kernel", kernel()), \
            mock.patch.object(pulse, "kernel_constants", lambda: constants(stop_m)):
        yield


def coded_constants() -> np.ndarray:
    """Element constants of the coded grid: when ``pulse.K_DASH`` is a value of
    :data:`KD_GRID` and ``pulse.K_STACK`` a code of :data:`STOP_GRID`, the stack contact at
    ``KU_STIFF`` and the code's stop; otherwise the shipped constants and no stop."""
    c = _SHIPPED_CONSTANTS()
    codes = dict(zip(STOP_GRID, STOPS_MM, strict=True))
    if pulse.K_DASH in KD_GRID and pulse.K_STACK in codes:
        c[1] = pulse.KU_STIFF
        s = codes[pulse.K_STACK]
        return np.concatenate([c, [NO_STOP if s is None else s * 1e-3]])
    return np.concatenate([c, [NO_STOP]])


@contextmanager
def coded() -> Iterator[None]:
    """The trial kernel with :func:`coded_constants` for the ``with`` block."""
    with mock.patch.object(pulse, "_kernel", kernel()), \
            mock.patch.object(pulse, "kernel_constants", coded_constants):
        yield


def stop_label(code: float) -> str:
    """The stop a K_STACK code stands for."""
    s = dict(zip(STOP_GRID, STOPS_MM, strict=True))[code]
    return "none" if s is None else f"{s:.0f} mm"


def main() -> int:
    """The pre-registered fit: ``crash_probes.stack_bounded``'s report on the coded grid
    (K_STACK column = the stop's code; :func:`stop_label` prints the legend)."""
    import crash_probes as cp  # noqa: PLC0415  (benchmarks/ on the path)

    print("legend: K_STACK code (MN/m) -> stop: " + "; ".join(
        f"{cp._mm(c)} -> {stop_label(c)}" for c in STOP_GRID)
        + "; every coded pair runs K_STACK = KU_STIFF 50 MN/m; the shipped 5 / 8 MN/m runs "
        "the shipped law")
    with coded(), mock.patch.object(cp, "STACK_FIT_GRID", STOP_GRID):
        cp.stack_bounded(verdicts="--no-verdicts" not in sys.argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
