"""The body closed form's compiled tape against its dual-number reference path.

    python benchmarks/body_kernel.py [--repeat N]

``BodyComp`` alone (registry defaults), ``kernel="compiled"`` (the tape of the closed
form replayed by numba) vs ``kernel="reference"`` (the closed form on dual numbers):
medians of N (default 7) ``run_model`` and ``compute_totals`` (10 outputs x 10 inputs),
with the ratio reference / compiled measured in the same run. Why the tape stays:
docs/CONTRIBUTING.md. No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import openmdao.api as om  # noqa: E402
from timing import median_time  # noqa: E402  (benchmarks/timing.py)

from keidesign.body import BodyComp  # noqa: E402


def problem(kernel: str) -> om.Problem:
    prob = om.Problem(reports=False)
    prob.model.add_subsystem("body", BodyComp(kernel=kernel), promotes=["*"])
    prob.setup()
    prob.run_model()
    return prob


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    res = {}
    for kernel in ("compiled", "reference"):
        prob = problem(kernel)
        comp = prob.model.body
        of = [name for name, _ in comp.list_outputs(out_stream=None, prom_name=False)][:10]
        wrt = [name for name, _ in comp.list_inputs(out_stream=None, prom_name=False)][:10]
        of, wrt = [f"body.{n}" for n in of], [f"body.{n}" for n in wrt]
        prob.compute_totals(of=of, wrt=wrt)
        res[kernel] = (median_time(prob.run_model, args.repeat),
                       median_time(lambda p=prob, o=of, w=wrt: p.compute_totals(of=o, wrt=w),
                                   args.repeat))
        print(f"{kernel:9s} run_model {1e3 * res[kernel][0]:6.2f} ms   "
              f"compute_totals {1e3 * res[kernel][1]:6.2f} ms")
    print(f"reference / compiled: run_model {res['reference'][0] / res['compiled'][0]:.1f}x, "
          f"compute_totals {res['reference'][1] / res['compiled'][1]:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
