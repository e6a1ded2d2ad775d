"""Where a test file's OpenMDAO set-up time goes: a pytest plugin that counts, per test,
the ``Problem.setup`` and ``Problem.final_setup`` calls and the CPU time (s) spent in them.

Usage (one file at a time, in one process; ``benchmarks/`` on the path)::

    PYTHONPATH=benchmarks python -m pytest -p suite_setups -p no:xdist -o addopts= \
        tests/test_x.py

prints, after the run, the tests with the most set-up CPU time: ``setups`` (``setup``
calls), ``setup s`` and ``final s`` (CPU seconds, ``time.process_time``, of this process
only: a worker process's set-ups are not counted) and the share of the file's set-up
time. ``SUITE_SETUPS_OUT=path`` also appends the rows to ``path``.

Why (task s38f, 7 Dec 2026): the suite is bound by its total work (docs/CONTRIBUTING.md,
"Tests and CI"), and a model's set-up costs several times one ``run_model``
(:mod:`keidesign.reuse`: 0.2-0.3 s of CPU against ~0.05 s); this tells which tests set
up a model many times (a candidate for a module fixture or a
:class:`keidesign.reuse.ProblemCache`). Assumptions: a set-up is charged to the test
running when it starts (a module fixture's to the first test that uses it, as pytest's
own durations do); CPU time, not wall time, so the figures hold under a shared
machine's load up to cache effects.
"""

from __future__ import annotations

import time
from collections import defaultdict

import pytest
from suite_report import write_report

#: per test id: [setup calls, setup CPU s, final_setup calls, final_setup CPU s]
STATS: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0, 0.0])
_CURRENT = ["(outside a test)"]
_KEPT: dict[str, object] = {}


def _timed(name: str, slot: int):
    from openmdao.core.problem import Problem

    inner = getattr(Problem, name)

    def wrapper(self, *args, **kwargs):
        t0 = time.process_time()
        try:
            return inner(self, *args, **kwargs)
        finally:
            row = STATS[_CURRENT[0]]
            row[slot] += 1
            row[slot + 1] += time.process_time() - t0

    return inner, wrapper


def install() -> None:
    """Time ``Problem.setup`` / ``final_setup`` from now on (idempotent)."""
    from openmdao.core.problem import Problem

    if _KEPT:
        return
    for name, slot in (("setup", 0), ("final_setup", 2)):
        _KEPT[name], wrapper = _timed(name, slot)
        setattr(Problem, name, wrapper)


def uninstall() -> None:
    """Put the original ``Problem`` methods back."""
    from openmdao.core.problem import Problem

    for name, inner in _KEPT.items():
        setattr(Problem, name, inner)
    _KEPT.clear()


def rows(top: int = 15) -> list[str]:
    """The report's lines: the ``top`` tests by set-up CPU time, then the file's total."""
    total = sum(r[1] + r[3] for r in STATS.values())
    out = [f"{'setups':>6} {'setup s':>8} {'final s':>8} {'share':>6}  test"]
    for test, r in sorted(STATS.items(), key=lambda kv: -(kv[1][1] + kv[1][3]))[:top]:
        share = (r[1] + r[3]) / total if total else 0.0
        out.append(f"{int(r[0]):6d} {r[1]:8.2f} {r[3]:8.2f} {100 * share:5.1f} %  {test}")
    out.append(f"{int(sum(r[0] for r in STATS.values()))} set-ups, {total:.1f} s CPU in "
               f"set-up over {len(STATS)} tests")
    return out


def pytest_configure(config) -> None:
    install()


def pytest_unconfigure(config) -> None:
    uninstall()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _CURRENT[0] = item.nodeid
    yield
    _CURRENT[0] = "(outside a test)"


def pytest_terminal_summary(terminalreporter) -> None:
    write_report(terminalreporter,
                 "OpenMDAO set-up time per test (benchmarks/suite_setups.py)", rows(),
                 "SUITE_SETUPS_OUT", mode="a")
