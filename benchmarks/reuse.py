"""Reuse of a set-up model (keidesign.reuse): ``python benchmarks/reuse.py [--repeat N]``.

Per reference design, medians over N repeats (default 7) of ``evaluate_design`` built
fresh and reused from a warm :class:`keidesign.reuse.ProblemCache`, the two timed in
turn in the same loop (the machine's load falls on both), on designs whose values change
every call (the reference design with ``road:cd``, ``mass:payload`` and
``powertrain:final_drive`` scaled by 0.99 / 1.01 in turn, so a reused problem really
runs another design); the ratio fresh / reused; a miss (a cache's first build of a
structure) against a fresh build; the memory one cached problem holds (``tracemalloc``);
and the baseline of ``benchmarks/run.py`` (a one-component OpenMDAO setup + run). The
reused outputs are checked equal to the fresh ones bit for bit on every call (the test
is ``tests/test_reuse.py``); no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

from timing import openmdao_floor  # noqa: E402  (benchmarks/timing.py)

from keidesign.design import load_design  # noqa: E402
from keidesign.evaluation import evaluate_design, resolve_packs  # noqa: E402
from keidesign.reuse import ProblemCache  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: Inputs scaled from one call to the next (free in a reused problem: independent
#: inputs no setup reads).
SCALED = ("road:cd", "mass:payload", "powertrain:final_drive")


def _scaled(design, s: float):
    return design.replace(**{k: float(design[k]) * s for k in SCALED if k in design.values})


def _timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def _problem_mb(design, packs) -> float:
    cache = ProblemCache(maxsize=1)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    cache.run(design, packs, round_footprint=True)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before) / 1e6


def _compare(design, packs, repeat: int) -> tuple[float, float, float]:
    """Medians (s) of fresh, reused and missed evaluations of ``design``'s scaled
    variants; exits if a reused evaluation is not the fresh one bit for bit."""
    cache = ProblemCache()
    evaluate_design(design, packs, reuse=cache)  # warm: one build of the structure
    times: list[list[float]] = [[], [], []]
    for i in range(repeat):
        d = _scaled(design, 0.99 if i % 2 else 1.01)
        tf, ef = _timed(lambda d=d: evaluate_design(d, packs))
        tr, er = _timed(lambda d=d: evaluate_design(d, packs, reuse=cache))
        tm, _ = _timed(lambda d=d: evaluate_design(d, packs, reuse=ProblemCache()))
        if ef.to_json() != er.to_json():
            raise SystemExit(f"{design.path}: reused evaluation differs from the fresh one")
        for t, x in zip(times, (tf, tr, tm), strict=True):
            t.append(x)
    f, r, m = (statistics.median(t) for t in times)
    return f, r, m


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    repeat = ap.parse_args().repeat
    base = openmdao_floor(repeat)
    print(f"{'design':<24} {'fresh ms':>9} {'reused ms':>10} {'fresh/reused':>13} "
          f"{'miss ms':>8} {'x baseline (fresh, reused)':>27} {'MB':>5}")
    fresh_all, reused_all, miss_all = [], [], []
    for path in sorted((ROOT / "studies" / "designs").glob("*.toml")):
        design = load_design(path)
        packs = resolve_packs(design.rules)
        f, r, m = _compare(design, packs, repeat)
        fresh_all.append(f)
        reused_all.append(r)
        miss_all.append(m)
        print(f"{path.stem:<24} {f * 1e3:9.1f} {r * 1e3:10.1f} {f / r:13.1f} {m * 1e3:8.1f} "
              f"{f / base:13.1f} {r / base:13.1f} {_problem_mb(design, packs):5.1f}")
    f, r, m = (statistics.median(x) for x in (fresh_all, reused_all, miss_all))
    print(f"{'median over the designs':<24} {f * 1e3:9.1f} {r * 1e3:10.1f} {f / r:13.1f} "
          f"{m * 1e3:8.1f} {f / base:13.1f} {r / base:13.1f}")


if __name__ == "__main__":
    main()
