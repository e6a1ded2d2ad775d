"""Timing helper shared by the benchmark scripts (run as ``python benchmarks/<name>.py``)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_time(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _one_component() -> None:
    import openmdao.api as om

    prob = om.Problem(reports=False)
    prob.model.add_subsystem("c", om.ExecComp("y = 2.0 * x"))
    prob.setup()
    prob.run_model()


def openmdao_floor(repeat: int) -> float:
    """Median time (s) of setting up and running a one-component OpenMDAO problem, the
    framework's own floor on this machine (the baseline of ``run.py`` and ``reuse.py``),
    printed as the report's first line."""
    import openmdao.api  # noqa: F401  (imported before the clock starts)

    base = median_time(_one_component, repeat)
    print(f"baseline (1-component OpenMDAO setup + run): {base * 1e3:8.1f} ms (median of "
          f"{repeat})")
    return base
