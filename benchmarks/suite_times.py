"""Where the test suite's wall time goes: per-file totals of a pytest JUnit XML report.

Usage (one full run, then this script on its report)::

    python -m pytest --junitxml=times.xml          # the README's command, any options
    python benchmarks/suite_times.py times.xml [--workers 2] [--top 30]

With ``--dist loadfile`` (``pyproject.toml``) every file runs on one pytest-xdist
worker, so the run's wall time is at least its largest file's total, and on W workers
about the sum of the files' totals over W when no file dominates. The script prints
each file's total (s) and share of the sum, the sum, and the wall time of a greedy
schedule of the files on ``--workers`` workers, each taking the next file when it is
free (xdist's LoadScopeScheduling does so after its first round; a model of the
schedule, not a measurement), in xdist's order: the files with the most tests first,
ties in collection order (pytest-xdist >= 3.5 reorders its scopes so by default,
``--loadscope-reorder``; the order was taken as alphabetical until task s39e).

Assumptions: a testcase's ``time`` holds its setup, call and teardown (pytest's JUnit
writer), so a module fixture's build is counted in the first test that uses it; the
file of a testcase is the first two parts of its ``classname`` (``tests.test_x``).
Times taken on a machine shared with other jobs scale with its load: compare ratios of
runs taken under the same load, never absolute seconds (docs/CONTRIBUTING.md, "Tests
and CI").
"""

from __future__ import annotations

import argparse
import heapq
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path


def file_totals(xml_path: Path) -> dict[str, float]:
    """``tests/test_x.py`` -> summed ``time`` (s) of its testcases in the report."""
    out: dict[str, float] = defaultdict(float)
    for case in ET.parse(xml_path).getroot().iter("testcase"):
        parts = case.get("classname", "").split(".")
        name = "/".join(parts[:2]) + ".py" if len(parts) >= 2 else parts[0] or "?"
        out[name] += float(case.get("time") or 0.0)
    return dict(out)


def file_counts(xml_path: Path) -> dict[str, int]:
    """``tests/test_x.py`` -> number of its testcases in the report."""
    out: dict[str, int] = defaultdict(int)
    for case in ET.parse(xml_path).getroot().iter("testcase"):
        parts = case.get("classname", "").split(".")
        out["/".join(parts[:2]) + ".py" if len(parts) >= 2 else parts[0] or "?"] += 1
    return dict(out)


def greedy_wall(totals: dict[str, float], workers: int,
                counts: dict[str, int] | None = None) -> float:
    """Wall time (s) of the files on ``workers`` workers that each take the next file
    when free: in xdist's order given the files' test ``counts`` (most tests first, ties
    by name), else in alphabetical order."""
    if workers < 1:
        raise ValueError("workers must be >= 1")
    free = [0.0] * workers
    order = (sorted(totals) if counts is None
             else sorted(totals, key=lambda n: (-counts.get(n, 0), n)))
    for name in order:
        heapq.heappush(free, heapq.heappop(free) + totals[name])
    return max(free)


def report(totals: dict[str, float], workers: int = 2, top: int = 30,
           counts: dict[str, int] | None = None) -> str:
    total = sum(totals.values())
    lines = [f"{'s':>8} {'share':>6}  file"]
    for name, t in sorted(totals.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"{t:8.1f} {100 * t / total:5.1f} %  {name}")
    lines.append(f"sum {total:.1f} s over {len(totals)} files; largest "
                 f"{max(totals.values()):.1f} s; greedy loadfile on {workers} workers "
                 f"{greedy_wall(totals, workers, counts):.1f} s (sum / {workers} = "
                 f"{total / workers:.1f} s)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("xml", type=Path, help="pytest --junitxml report")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args(argv)
    print(report(file_totals(args.xml), args.workers, args.top, file_counts(args.xml)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
