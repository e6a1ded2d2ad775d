"""Timing of one model evaluation: ``python benchmarks/model_eval.py [--repeat N]``.

For every reference design (``studies/designs/*.toml``) it sets the model up once, then
reports the medians over N repeats (default 21) of ``prob.run_model()`` and of
``prob.compute_totals()`` (the objective/constraint set of ``tests/test_model.py``: curb
mass, crush required/available, label and CAFE mpg, CAFE target, w.r.t. body, road,
crash and powertrain design variables), each with its ratio to a baseline measured in
the same run: the same call on a one-component OpenMDAO problem (the framework's own
floor on this machine; the machine may be shared, so compare ratios, not ms).

``--components`` adds the per-component medians of ``compute`` and
``compute_partials`` (summed over the calls of one evaluation: the mass loop runs some
components twice). The first ``run_model`` of the session is reported too: it includes
loading (or, on a fresh checkout, compiling) the numba kernels. No timing is asserted
anywhere: this is a report.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import openmdao.api as om  # noqa: E402
from timing import median_time  # noqa: E402  (benchmarks/timing.py)

from keidesign.design import load_design  # noqa: E402
from keidesign.evaluation import resolve_packs  # noqa: E402
from keidesign.model import build_problem, registered_outputs  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

OF = ["mass:curb", "crash:front:crush_required", "crash:front:crush_available",
      "energy:label_comb_mpg", "energy:cafe_mpg", "cafe:target_mpg"]
WRT = ["body:wheelbase", "body:height", "road:cd", "crash:front:crush_length",
       "crash:front:wall_thickness", "powertrain:block_length"]
WRT_PT = {"ice": ["powertrain:ice:power", "powertrain:ice:displacement"],
          "bev": ["powertrain:bev:battery_energy", "powertrain:bev:motor_power"]}




def _baseline(repeat: int) -> tuple[float, float]:
    prob = om.Problem(reports=False)
    prob.model.add_subsystem("c", om.ExecComp("y = 2.0 * x"), promotes=["*"])
    prob.setup()
    prob.run_model()
    run = median_time(prob.run_model, repeat)
    tot = median_time(lambda: prob.compute_totals(["y"], ["x"]), repeat)
    return run, tot


def _instrument(prob: om.Problem) -> dict:
    """Wrap every component's compute/compute_partials with a timer."""
    calls: dict = defaultdict(list)
    for comp in prob.model.system_iter(recurse=True, typ=om.ExplicitComponent):
        for meth in ("compute", "compute_partials"):
            fn = getattr(comp, meth)

            def timed(*args, _fn=fn, _key=(comp.pathname, meth)):
                t0 = time.perf_counter()
                out = _fn(*args)
                calls[_key].append(time.perf_counter() - t0)
                return out

            setattr(comp, meth, timed)
    return calls


def _component_report(prob: om.Problem, of: list, wrt: list, repeat: int) -> None:
    calls = _instrument(prob)
    for _ in range(repeat):
        prob.run_model()
        prob.compute_totals(of, wrt)
    rows = []
    for (path, meth), ts in calls.items():
        per_eval = sum(ts) / repeat
        n = len(ts) // repeat
        rows.append((statistics.median(ts) * n, path, meth, n, per_eval))
    rows.sort(reverse=True)
    for med, path, meth, n, _ in rows:
        if med < 1e-5:
            continue
        print(f"    {med * 1e3:7.3f} ms  {meth:<17} {path} (x{n})")
    for meth in ("compute", "compute_partials"):
        total = sum(r[0] for r in rows if r[2] == meth)
        print(f"    {total * 1e3:7.3f} ms  sum of {meth}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=21)
    ap.add_argument("--components", action="store_true",
                    help="per-component compute / compute_partials medians")
    ap.add_argument("designs", nargs="*", help="design stems (default: all reference designs)")
    args = ap.parse_args()
    paths = sorted((ROOT / "studies" / "designs").glob("*.toml"))
    if args.designs:
        paths = [p for p in paths if p.stem in args.designs]

    first = None
    base_run, base_tot = _baseline(args.repeat)
    print(f"baseline (1-component OpenMDAO problem): run_model {base_run * 1e3:.3f} ms, "
          f"compute_totals {base_tot * 1e3:.3f} ms (medians of {args.repeat})")
    print(f"{'design':<16} {'step':<15} {'median ms':>10} {'x baseline':>11}")
    for path in paths:
        design = load_design(path)
        prob = build_problem(design, resolve_packs(design.rules))
        wrt = WRT + WRT_PT[design.powertrain_type]
        if first is None:
            t0 = time.perf_counter()
            prob.run_model()
            first = time.perf_counter() - t0
        prob.run_model()
        # no cafe:target_mpg where no pack sets one (a light truck past MY2026)
        of = [k for k in OF if k in registered_outputs(prob)]
        prob.compute_totals(of, wrt)
        run = median_time(prob.run_model, args.repeat)
        tot = median_time(lambda p=prob, w=wrt, o=of: p.compute_totals(o, w), args.repeat)
        print(f"{path.stem:<16} {'run_model':<15} {run * 1e3:10.2f} {run / base_run:11.1f}")
        print(f"{path.stem:<16} {'compute_totals':<15} {tot * 1e3:10.2f} {tot / base_tot:11.1f}")
        if args.components:
            _component_report(prob, of, wrt, args.repeat)
    if first is not None:
        print(f"first run_model of the session (includes loading/compiling the numba "
              f"kernels): {first * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
