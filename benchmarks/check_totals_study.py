"""check_totals of a study's driver problem at its optimum (probe, not a model change):
``python benchmarks/check_totals_study.py RESULTS_DIR [--method fd|cs] [--step 1e-6]
[--top 10] [--cs-vs-fd] [--at-start]``.

Reads the optimum from ``RESULTS_DIR/results.json`` (``design_variables``, ``discrete``,
``study_file``), builds the study's problem as ``keidesign optimize`` does (same design
variables with their ref0/ref, objective ref, margin scales) and runs OpenMDAO's
``Problem.check_totals`` at that point with ``driver_scaling=True``
(:func:`keidesign.studies.optimize.check_totals_at`): the analytic totals SLSQP used
against finite differences in the driver's scaled space. Prints the number of
(response, variable) pairs, the worst relative error and the largest rows.

``--cs-vs-fd``: complex step of the whole problem against central differences (step
``--step``, default 1e-5), pair by pair (:func:`keidesign.studies.optimize.complex_step_against_fd`:
is every path complex-step safe?). ``--at-start``: at the study's start instead of the
optimum (the run's discrete combination).

The numbers of tasks s37i and s38a (7 Dec 2026) are in docs/studies.md ("Checking the
totals").
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from keidesign.studies.optimize import check_totals_at, complex_step_against_fd
from keidesign.studies.spec import load_study


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", type=Path)
    ap.add_argument("--method", default="fd", choices=["fd", "cs"])
    ap.add_argument("--step", type=float, default=None,
                    help="default 1e-5 (fd), 1e-30 (cs)")
    ap.add_argument("--form", default="central", choices=["forward", "central", "backward"])
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--cs-vs-fd", action="store_true",
                    help="compare complex step with central differences, pair by pair")
    ap.add_argument("--at-start", action="store_true", help="at the study's start")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="the run's --set overrides (the study must be the run's)")
    a = ap.parse_args(argv)
    doc = json.loads((a.results / "results.json").read_text())
    study = load_study(doc["study_file"], a.set)
    x = {study.variable(k).name: v["value"] for k, v in doc["design_variables"].items()}
    if a.at_start:
        x = study.start_values()
    discrete = doc["discrete"]
    if a.cs_vs_fd:
        out = complex_step_against_fd(study, discrete, x, fd_step=a.step or 1e-5)
        rel, of, wrt, c, f = out["worst"]
        t = out["seconds"]
        print(f"{doc['study']}: {out['pairs']} pairs, {out['counted']} above 1e-8; "
              f"check_totals: cs {t['cs']:.2f} s, central fd {t['fd']:.2f} s")
        print(f"pairs 0 under cs where fd is not: {len(out['zero_cs'])}")
        for of0, wrt0, f0 in out["zero_cs"][:a.top]:
            print(f"  {of0} / {wrt0}: fd {f0:.5g}")
        print(f"worst relative difference cs vs fd {rel:.3g}: d {of} / d {wrt} "
              f"(cs {c:.6g}, fd {f:.6g})")
        return 0
    t0 = time.perf_counter()
    out = check_totals_at(study, discrete, x, method=a.method, step=a.step, form=a.form)
    dt = time.perf_counter() - t0
    of, wrt, rel, ab = out["worst"]
    print(f"{doc['study']}: {out['pairs']} pairs, {a.method} "
          f"{a.form if a.method == 'fd' else ''} step {a.step or 'default'} "
          f"(scaled), {dt:.1f} s")
    print(f"worst relative error {rel:.3g} (abs {ab:.3g}): d {of} / d {wrt}")
    print(f"{'of':50s} {'wrt':36s} {'analytic':>12s} {'fd':>12s} {'rel':>9s}")
    for of, wrt, j, f, rel, _ in out["rows"][:a.top]:
        print(f"{of:50s} {wrt:36s} {j:12.5g} {f:12.5g} {rel:9.2g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
