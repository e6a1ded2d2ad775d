"""Timing of the evaluation pipeline: ``python benchmarks/run.py [--repeat N]``.

Reports medians over N repeats (default 7) of: loading a design file, setting up the
OpenMDAO model, one ``run_model``, the whole ``evaluate`` of each reference design and
the same ``evaluate`` on a set-up model reused (``reuse=``, :mod:`keidesign.reuse`),
each with its ratio to a baseline measured in the same run (setup + run of a one-
component OpenMDAO problem: the framework's own floor on this machine). No timing is
asserted anywhere: this is a report.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

from timing import median_time, openmdao_floor  # noqa: E402  (benchmarks/timing.py)

from keidesign.design import load_design  # noqa: E402
from keidesign.evaluation import evaluate_design, resolve_packs  # noqa: E402
from keidesign.model import build_problem  # noqa: E402
from keidesign.reuse import ProblemCache  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]



def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    base = openmdao_floor(args.repeat)
    print(f"{'design':<16} {'step':<12} {'median ms':>10} {'x baseline':>11}")
    for path in sorted((ROOT / "studies" / "designs").glob("*.toml")):
        design = load_design(path)
        packs = resolve_packs(design.rules)
        prob = build_problem(design, packs)
        cache = ProblemCache()
        evaluate_design(design, packs, reuse=cache)
        steps = {
            "load": lambda p=path: load_design(p),
            "setup": lambda d=design, k=packs: build_problem(d, k),
            "run_model": prob.run_model,
            "evaluate": lambda d=design, k=packs: evaluate_design(d, k),
            # on a warm cache (keidesign.reuse; fresh against reused: benchmarks/reuse.py)
            "reused": lambda d=design, k=packs, c=cache: evaluate_design(d, k, reuse=c),
        }
        for step, fn in steps.items():
            t = median_time(fn, args.repeat)
            print(f"{path.stem:<16} {step:<12} {t * 1e3:10.1f} {t / base:11.2f}")


if __name__ == "__main__":
    main()
