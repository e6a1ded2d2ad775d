"""Benchmarks of the studies layer: ``python benchmarks/studies.py [--cases N] [--quick]``.

Measured in one run, each with its baseline from the same run (no timing is asserted in
tests):

1. one full model evaluation (no CAD): median ``run_model`` of the study problem of
   study (a) at its base design, against the vehicle model alone and against a
   one-component OpenMDAO problem (the framework's floor);
2. study (a) end to end (``keidesign optimize``, a fresh process, LocalCluster), wall
   time and its parts (starts + optimum, trade re-solves, files);
3. model evaluations to converge, one start of study (a) (material dp_780): SLSQP with
   analytic totals, SLSQP with forward finite differences, COBYLA (derivative-free);
   with the objective each reached;
4. a Latin-hypercube sweep of ``--cases`` cases (no CAD) of study (a)'s variables:
   cases/s in-process and on a Dask LocalCluster of 2 worker processes (the speed-up),
   checking that both record identical results;
5. the same for a feasibility-map sweep that exports a STEP file per case through the
   geometry package (``sweep.step = true``).

``--quick`` runs small settings (for a smoke test); the numbers in docs/studies.md come
from the default settings.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import openmdao.api as om  # noqa: E402

from keidesign.model import build_problem  # noqa: E402
from keidesign.studies.optimize import run_start  # noqa: E402
from keidesign.studies.problem import (  # noqa: E402
    CaseEvaluator,
    build_study_problem,
    finish_setup,
    response_value,
)
from keidesign.studies.runner import DaskRunner, SerialRunner  # noqa: E402
from keidesign.studies.spec import load_study  # noqa: E402
from keidesign.studies.sweep import run_sweep  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
STUDY_A = ROOT / "studies" / "tallboy_ice_min_mass.toml"


def _median(fn, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _floor() -> om.Problem:
    prob = om.Problem(reports=False)
    prob.model.add_subsystem("c", om.ExecComp("y = 2.0 * x"))
    prob.setup()
    prob.final_setup()
    return prob


def bench_evaluation(repeat: int) -> dict:
    study = load_study(STUDY_A)
    sp = build_study_problem(study, study.base)
    finish_setup(sp)
    vehicle = build_problem(study.base, study.packs)
    floor = _floor()
    ev = CaseEvaluator(study, {})
    values = study.start_values()
    prob = ev.sp.prob

    def case_without_model() -> None:  # what a sweep case costs besides run_model
        ev._check(values)
        for name, val in values.items():
            prob.set_val(name, val)
        {n: response_value(ev.sp, n) for n in ev.responses}

    return {"study_model_ms": 1e3 * _median(sp.prob.run_model, repeat),
            "vehicle_model_ms": 1e3 * _median(vehicle.run_model, repeat),
            "floor_ms": 1e3 * _median(floor.run_model, repeat),
            "case_overhead_ms": 1e3 * _median(case_without_model, 10 * repeat)}


def bench_study_a(quick: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "keidesign", "optimize", str(STUDY_A), "--out", tmp,
               "--no-progress"]
        if quick:
            cmd += ["--set", 'variable.8.values=["dp_780"]']
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        wall = time.perf_counter() - t0
        res = json.loads((Path(tmp) / "results.json").read_text())
    return {"wall_s": wall, **res["timings_s"], "objective": res["objective"]["value"],
            "discrete": res["discrete"], "n_starts": res["n_starts"],
            "n_model_evaluations": res["n_model_evaluations"]}


def bench_eval_counts(quick: bool) -> dict:
    study = load_study(STUDY_A, overrides=['variable.8.values=["dp_780"]'])
    combo, start = {"crash:front:material": "dp_780"}, study.start_values()
    out = {}
    runs = [("SLSQP analytic", "SLSQP", "analytic"), ("SLSQP finite differences", "SLSQP",
                                                       "fd")]
    if not quick:
        runs.append(("COBYLA (derivative-free)", "COBYLA", "analytic"))
    for label, opt, grad in runs:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t0 = time.perf_counter()
            r = run_start(study, 0, combo, start, record=False, optimizer=opt, gradients=grad)
        out[label] = {"n_evals": r.n_evals, "objective": r.objective, "success": r.success,
                      "feasible": r.feasible, "time_s": time.perf_counter() - t0}
    return out


def bench_sweep(n_cases: int) -> dict:
    overrides = ["sweep.method='lhs'", f"sweep.samples={n_cases}", "sweep.chunk=16",
                 'variable.8.values=["dp_780"]']
    text = STUDY_A.read_text() + "\n[sweep]\nmethod = 'lhs'\nsamples = 1\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sweep_a.toml"
        path.write_text(text.replace('design = "designs/', f'design = "{ROOT}/studies/designs/'))
        study = load_study(path, overrides=overrides)
        t0 = time.perf_counter()
        r1 = run_sweep(study, Path(tmp) / "serial", runner=SerialRunner())
        serial = time.perf_counter() - t0
        t0 = time.perf_counter()
        with DaskRunner(workers=2) as runner:
            r2 = run_sweep(study, Path(tmp) / "dask", runner=runner)
        dask = time.perf_counter() - t0
        same = [(r["hash"], r["status"], json.dumps(r["outputs"], sort_keys=True))
                for r in r1.rows] == [(r["hash"], r["status"],
                                       json.dumps(r["outputs"], sort_keys=True))
                                      for r in r2.rows]  # NaN-safe comparison
        counts = r1.counts()
    return {"cases": n_cases, "serial_cases_per_s": n_cases / serial,
            "dask2_cases_per_s": n_cases / dask, "dask_speedup": serial / dask,
            "identical": same, "counts": counts}


def bench_cad_sweep(levels: int) -> dict:
    """Feasibility-map sweep with a STEP file per case (geometry package's exporter)."""
    study = load_study(ROOT / "studies" / "feasibility_crush_height.toml",
                       overrides=[f"sweep.levels={levels}", "sweep.chunk=1", "sweep.step=true"])
    n = levels * levels
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        r1 = run_sweep(study, Path(tmp) / "serial", runner=SerialRunner())
        serial = time.perf_counter() - t0
        n_step = len(list((Path(tmp) / "serial" / "step").glob("*.step"))) \
            if (Path(tmp) / "serial" / "step").is_dir() else 0
        t0 = time.perf_counter()
        with DaskRunner(workers=2) as runner:
            r2 = run_sweep(study, Path(tmp) / "dask", runner=runner)
        dask = time.perf_counter() - t0
        same = [(r["hash"], json.dumps(r["outputs"], sort_keys=True)) for r in r1.rows] == \
            [(r["hash"], json.dumps(r["outputs"], sort_keys=True)) for r in r2.rows]
    return {"cases": n, "step_files": n_step, "serial_s": serial, "dask2_s": dask,
            "dask_speedup": serial / dask, "identical": same}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=200, help="sweep cases (10000 = the target)")
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--quick", action="store_true", help="small settings (smoke test)")
    args = ap.parse_args()
    if args.quick:
        args.cases, args.repeat = 8, 3
    ev = bench_evaluation(args.repeat)
    print(f"1. model evaluation (no CAD), median of {args.repeat}: study problem "
          f"{ev['study_model_ms']:.2f} ms, vehicle model alone {ev['vehicle_model_ms']:.2f} ms "
          f"(study layer adds {ev['study_model_ms'] - ev['vehicle_model_ms']:+.2f} ms); "
          f"1-component OpenMDAO floor {ev['floor_ms']:.3f} ms "
          f"(x{ev['study_model_ms'] / ev['floor_ms']:.0f}); target < 5 ms")
    print(f"   a sweep case costs {ev['case_overhead_ms']:.3f} ms besides the model run "
          f"(consistency check, set inputs, read responses): the layer alone would allow "
          f"{1e3 / ev['case_overhead_ms']:.0f} cases/s per core")
    a = bench_study_a(args.quick)
    print(f"2. study (a) end to end: {a['wall_s']:.1f} s wall ({a['n_starts']} starts, "
          f"optimize {a['optimize_s']:.1f} s, trade re-solves {a['trade_s']:.1f} s, files "
          f"{a['write_s']:.1f} s; {a['n_model_evaluations']} model evaluations); optimum "
          f"{a['objective']:.2f} kg with {a['discrete']}; target < 10 s")
    counts = bench_eval_counts(args.quick)
    base = counts["SLSQP analytic"]
    print("3. model evaluations to converge (one start, dp_780):")
    for label, c in counts.items():
        dobj = 100 * (c["objective"] - base["objective"]) / base["objective"]
        print(f"   {label:<26} {c['n_evals']:5d} evaluations (x{c['n_evals'] / base['n_evals']:.1f}"
              f" analytic), objective {c['objective']:.3f} ({dobj:+.3f} %), success "
              f"{c['success']}, feasible {c['feasible']}, {c['time_s']:.1f} s")
    sw = bench_sweep(args.cases)
    print(f"4. LHS sweep of {sw['cases']} cases (no CAD): serial {sw['serial_cases_per_s']:.1f} "
          f"cases/s, Dask LocalCluster(2) {sw['dask2_cases_per_s']:.1f} cases/s, speed-up "
          f"x{sw['dask_speedup']:.2f}, identical results: {sw['identical']} ({sw['counts']}); "
          "targets >= 1000 cases/s, speed-up >= 1.6")
    cad = bench_cad_sweep(2 if args.quick else 4)
    print(f"5. sweep with CAD export ({cad['cases']} cases, {cad['step_files']} STEP files): "
          f"serial {cad['serial_s']:.1f} s, Dask LocalCluster(2) {cad['dask2_s']:.1f} s, "
          f"speed-up x{cad['dask_speedup']:.2f}, identical results: {cad['identical']}; "
          "target >= 1.6")


if __name__ == "__main__":
    main()
