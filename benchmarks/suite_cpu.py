"""Where a test file's CPU time goes: a pytest plugin that charges each test the CPU time
(user + system, s) of the pytest process and of the child processes it waited for while
the test ran (subprocesses, Dask worker processes, notebook kernels).

Usage (one process; ``benchmarks/`` on the path)::

    PYTHONPATH=benchmarks python -m pytest -p suite_cpu -p no:xdist -o addopts= \
        tests/test_x.py [tests/test_y.py ...]

prints, after the run, the tests by CPU time (``self s``, ``children s``, ``wall s``)
and each file's total. ``SUITE_CPU_OUT=path`` also writes the lines to ``path``;
``SUITE_CPU_TOP=n`` lists the top ``n`` tests (default 20).

Why (task s39e, 7 Dec 2026): ``--durations`` gives wall time, which on a machine shared
with other jobs scales with their load (a test took 2-5 times its CPU time at a load of
5-9 on two cores), and it leaves out nothing a test waits for; CPU time is the work the
suite's two workers must do, so before / after pairs of a change compare under any load
(up to cache effects). Assumptions: ``resource.getrusage`` of ``RUSAGE_SELF`` and
``RUSAGE_CHILDREN`` (POSIX); a child's CPU time is counted when it has been waited for
(a process still running after the test is charged to the test that reaps it, a process
never reaped is not counted); a module fixture's work is charged to the first test that
uses it, as pytest's own durations do; the first test of the process pays its imports.
"""

from __future__ import annotations

import os
import resource
import time
from collections import defaultdict

import pytest
from suite_report import write_report

#: per test id: [self CPU s, children CPU s, wall s]
STATS: dict[str, list[float]] = {}


def cpu() -> tuple[float, float]:
    """(this process's user + system CPU s, its waited-for children's)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    a, t0 = cpu(), time.perf_counter()
    yield
    b = cpu()
    STATS[item.nodeid] = [b[0] - a[0], b[1] - a[1], time.perf_counter() - t0]


def rows(top: int = 20) -> list[str]:
    """The report's lines: the ``top`` tests by CPU time, each file's total, the sum."""
    out = [f"{'self s':>7} {'children s':>10} {'wall s':>7}  test"]
    for test, r in sorted(STATS.items(), key=lambda kv: -(kv[1][0] + kv[1][1]))[:top]:
        out.append(f"{r[0]:7.1f} {r[1]:10.1f} {r[2]:7.1f}  {test}")
    files: dict[str, float] = defaultdict(float)
    for test, r in STATS.items():
        files[test.split("::", 1)[0]] += r[0] + r[1]
    for name, total in sorted(files.items(), key=lambda kv: -kv[1]):
        out.append(f"{total:7.1f} s CPU  {name}")
    out.append(f"{sum(files.values()):.1f} s CPU over {len(STATS)} tests")
    return out


def pytest_terminal_summary(terminalreporter) -> None:
    write_report(terminalreporter, "CPU time per test (benchmarks/suite_cpu.py)",
                 rows(int(os.environ.get("SUITE_CPU_TOP", "20"))), "SUITE_CPU_OUT")
