"""check_totals of a study's driver problem at its optimum (probe, not a model change):
``python benchmarks/check_totals_study.py RESULTS_DIR [--method fd|cs] [--step 1e-6]
[--top 10]``.

Reads the optimum from ``RESULTS_DIR/results.json`` (``design_variables``, ``discrete``,
``study_file``), builds the study's problem as ``keidesign optimize`` does (same design
variables with their ref0/ref, objective ref, margin scales) and runs OpenMDAO's
``Problem.check_totals`` at that point with ``driver_scaling=True``
(:func:`keidesign.studies.optimize.check_totals_at`): the analytic totals SLSQP used
against finite differences in the driver's scaled space. Prints the number of
(response, variable) pairs, the worst relative error and the largest rows.

The numbers of task s37i (7 Dec 2026) are in docs/studies.md ("Checking the totals").
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from keidesign.studies.optimize import check_totals_at
from keidesign.studies.spec import load_study


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", type=Path)
    ap.add_argument("--method", default="fd", choices=["fd", "cs"])
    ap.add_argument("--step", type=float, default=1e-5)
    ap.add_argument("--form", default="central", choices=["forward", "central", "backward"])
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="the run's --set overrides (the study must be the run's)")
    a = ap.parse_args(argv)
    doc = json.loads((a.results / "results.json").read_text())
    study = load_study(doc["study_file"], a.set)
    x = {study.variable(k).name: v["value"] for k, v in doc["design_variables"].items()}
    discrete = doc["discrete"]
    t0 = time.perf_counter()
    out = check_totals_at(study, discrete, x, method=a.method, step=a.step, form=a.form)
    dt = time.perf_counter() - t0
    of, wrt, rel, ab = out["worst"]
    print(f"{doc['study']}: {out['pairs']} pairs, {a.method} {a.form} step {a.step:g} "
          f"(scaled), {dt:.1f} s")
    print(f"worst relative error {rel:.3g} (abs {ab:.3g}): d {of} / d {wrt}")
    print(f"{'of':50s} {'wrt':36s} {'analytic':>12s} {'fd':>12s} {'rel':>9s}")
    for of, wrt, j, f, rel, _ in out["rows"][:a.top]:
        print(f"{of:50s} {wrt:36s} {j:12.5g} {f:12.5g} {rel:9.2g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
