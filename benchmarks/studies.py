"""Benchmarks of the studies layer: ``python benchmarks/studies.py [--cases N] [--quick]``.

Measured in one run, each with its baseline from the same run (no timing is asserted in
tests):

1. one full model evaluation (no CAD): median ``run_model`` of the study problem of
   study (a) at its base design, against the vehicle model alone and against a
   one-component OpenMDAO problem (the framework's floor);
2. study (a) end to end (``keidesign optimize``, a fresh process, LocalCluster), wall
   time and its parts (starts + optimum, trade re-solves, files);
3. model evaluations, one start of study (a) (material dp_780): SLSQP with analytic
   totals, SLSQP with forward finite differences, COBYLA and scipy's differential
   evolution (derivative-free; the second an evolutionary "GA"); to convergence and to
   the first feasible point within 0.5 % of the analytic optimum;
4. a Latin-hypercube sweep of ``--cases`` cases (no CAD) of study (a)'s variables:
   cases/s in-process and on a Dask LocalCluster of 2 worker processes (the speed-up),
   checking that both record identical results;
5. the same for a feasibility-map sweep that exports a STEP file per case through the
   geometry package (``sweep.step = true``), also against a 1-worker cluster, with the
   cores the in-process run uses (CPU time / wall);
6. one batched chunk in-process, on a keidesign LocalCluster worker and on a worker with
   Dask's default nanny environment (``MALLOC_TRIM_THRESHOLD_``);
7. one body build with OpenCascade's default thread pool and with one thread;
8. the case check of a sweep (``keidesign check``'s checks: design-file relations and the
   body layout): its cost a case, one case at a time and a 500-case chunk at once, and the
   batched in-process sweep of ``--cases`` LHS cases of study (a) with it against the
   same sweep with the layout check switched off (the baseline), alternating, medians of
   ``--sweeps`` runs each after one warm-up run.

``--only 4,8`` runs the items listed.

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

import numpy as np  # noqa: E402
import openmdao.api as om  # noqa: E402

from keidesign.model import build_problem  # noqa: E402
from keidesign.studies.optimize import _violation, run_start  # noqa: E402
from keidesign.studies.problem import (  # noqa: E402
    CaseEvaluator,
    MarginComp,
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


def bench_study_a(quick: bool, repeat: int = 3) -> dict:
    """``keidesign optimize`` of study (a) in a fresh process (LocalCluster), the README's
    main job: wall time, median of ``repeat`` runs, with the parts of the median run."""
    runs = []
    for _ in range(1 if quick else repeat):
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, "-m", "keidesign", "optimize", str(STUDY_A), "--out", tmp,
                   "--no-progress"]
            if quick:
                cmd += ["--set", 'variable.8.values=["dp_780"]']
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            wall = time.perf_counter() - t0
            res = json.loads((Path(tmp) / "results.json").read_text())
        runs.append({"wall_s": wall, **res["timings_s"], "objective": res["objective"]["value"],
                     "discrete": res["discrete"], "n_starts": res["n_starts"],
                     "n_model_evaluations": res["n_model_evaluations"]})
    runs.sort(key=lambda r: r["wall_s"])
    return {**runs[len(runs) // 2], "walls_s": [r["wall_s"] for r in runs]}


class _Trace:
    """Every model evaluation of a run: (objective, largest relative violation)."""

    def __init__(self) -> None:
        self.points: list[tuple[float, float]] = []
        self.sp = None
        self.obj = ""

    def __enter__(self) -> _Trace:
        trace, orig = self, MarginComp.compute

        def compute(comp, inputs, outputs):
            orig(comp, inputs, outputs)
            if trace.sp is not None and comp is trace.sp.margin_comp:
                trace.points.append((response_value(trace.sp, trace.obj), _violation(trace.sp)))

        self._orig = orig
        MarginComp.compute = compute
        return self

    def __exit__(self, *exc) -> None:
        MarginComp.compute = self._orig

    def evals_to(self, target: float, tol: float = 0.005, feas: float = 1e-6) -> int | None:
        """Evaluations until the first feasible point within ``tol`` of ``target``."""
        for i, (f, v) in enumerate(self.points, 1):
            if v <= feas and abs(f - target) <= tol * abs(target):
                return i
        return None


def _traced_start(study, combo, start, optimizer, gradients) -> tuple[dict, _Trace]:
    import keidesign.studies.optimize as opt_mod

    orig_build = opt_mod.build_study_problem
    with _Trace() as trace:
        def build(*a, **k):
            sp = orig_build(*a, **k)
            trace.sp, trace.obj = sp, "mass:curb"
            return sp

        opt_mod.build_study_problem = build
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t0 = time.perf_counter()
                r = run_start(study, 0, combo, start, record=False, optimizer=optimizer,
                              gradients=gradients)
        finally:
            opt_mod.build_study_problem = orig_build
    return ({"n_evals": r.n_evals, "objective": r.objective, "success": r.success,
             "feasible": r.feasible, "time_s": time.perf_counter() - t0}, trace)


def _traced_de(study, combo, start, seed: int = 0, maxiter: int = 40) -> tuple[dict, _Trace]:
    """scipy's differential evolution (an evolutionary, derivative-free optimizer) on the
    same problem: design variables scaled to [0, 1], the study's constraints as a
    NonlinearConstraint (Lampinen's feasibility rules), one model run per new point."""
    from scipy.optimize import NonlinearConstraint, differential_evolution

    from keidesign.studies.optimize import configure
    from keidesign.studies.problem import build_study_problem as build

    design = study.design_for(combo)
    sp = build(study, design, objectives=[study.objective])
    configure(sp, study, study.objective)
    finish_setup(sp)
    cons = [m for m in sp.margins if m.constrained and not m.fixed]
    cont = study.continuous
    cache: dict[tuple, tuple[float, np.ndarray]] = {}

    def run(u):
        key = tuple(np.round(u, 15))
        if key not in cache:
            for v, ui in zip(cont, u, strict=True):
                sp.prob.set_val(v.name, v.lower + ui * (v.upper - v.lower), units=v.units)
            sp.prob.run_model()
            g = np.array([(response_value(sp, m.output) - m.min_margin) / m.ref for m in cons])
            cache[key] = (response_value(sp, "mass:curb"), g)
        return cache[key]

    with _Trace() as trace:
        trace.sp, trace.obj = sp, "mass:curb"
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = differential_evolution(lambda u: run(u)[0], [(0.0, 1.0)] * len(cont),
                                       constraints=NonlinearConstraint(lambda u: run(u)[1], 0.0,
                                                                       np.inf),
                                       seed=seed, maxiter=maxiter, popsize=15, tol=1e-8,
                                       polish=False, init="latinhypercube")
        f, g = run(r.x)
    return ({"n_evals": len(trace.points), "objective": f, "success": bool(r.success),
             "feasible": bool(g.min() >= -1e-6), "time_s": time.perf_counter() - t0}, trace)


def bench_eval_counts(quick: bool) -> dict:
    """Model evaluations of one start (dp_780) per optimizer: to convergence, and to the
    first feasible point within 0.5 % of the analytic SLSQP optimum."""
    study = load_study(STUDY_A, overrides=['variable.8.values=["dp_780"]'])
    combo, start = {"crash:front:material": "dp_780"}, study.start_values()
    out = {}
    runs = [("SLSQP analytic", "SLSQP", "analytic"), ("SLSQP finite differences", "SLSQP",
                                                       "fd")]
    if not quick:
        runs.append(("COBYLA (derivative-free)", "COBYLA", "analytic"))
    traces = {}
    for label, opt, grad in runs:
        out[label], traces[label] = _traced_start(study, combo, start, opt, grad)
    if not quick:
        label = "differential evolution (GA)"
        out[label], traces[label] = _traced_de(study, combo, start)
    target = out["SLSQP analytic"]["objective"]
    for label, tr in traces.items():
        out[label]["evals_to_0.5pct"] = tr.evals_to(target)
    return out


def bench_sweep(n_cases: int, chunk: int = 500) -> dict:
    """Latin-hypercube sweep of study (a)'s variables (no CAD), batched ``chunk`` cases per
    model run: in-process, and on a LocalCluster of 2 workers (sweep on the started
    cluster; its start-up timed apart). Baseline in the same run: the one-case-per-run
    sweep (``sweep.batch = false``) on the first ``min(n_cases, 1000)`` cases."""
    common = ["sweep.method='lhs'", 'variable.8.values=["dp_780"]']
    overrides = [*common, f"sweep.samples={n_cases}", f"sweep.chunk={chunk}"]
    text = STUDY_A.read_text() + "\n[sweep]\nmethod = 'lhs'\nsamples = 1\n"
    n_one = min(n_cases, 1000)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sweep_a.toml"
        path.write_text(text.replace('design = "designs/', f'design = "{ROOT}/studies/designs/'))
        one = load_study(path, overrides=[*common, f"sweep.samples={n_one}", "sweep.chunk=16",
                                          "sweep.batch=false"])
        t0 = time.perf_counter()
        run_sweep(one, Path(tmp) / "one", runner=SerialRunner())
        one_rate = n_one / (time.perf_counter() - t0)
        study = load_study(path, overrides=overrides)
        t0 = time.perf_counter()
        r1 = run_sweep(study, Path(tmp) / "serial", runner=SerialRunner())
        serial = time.perf_counter() - t0
        t0 = time.perf_counter()
        with DaskRunner(workers=2) as runner:
            runner.client.wait_for_workers(2)
            startup = time.perf_counter() - t0
            t1 = time.perf_counter()
            r2 = run_sweep(study, Path(tmp) / "dask", runner=runner)
            dask = time.perf_counter() - t1
        same = [(r["hash"], r["status"], json.dumps(r["outputs"], sort_keys=True))
                for r in r1.rows] == [(r["hash"], r["status"],
                                       json.dumps(r["outputs"], sort_keys=True))
                                      for r in r2.rows]  # NaN-safe comparison
        counts = r1.counts()
    return {"cases": n_cases, "chunk": chunk, "one_by_one_cases_per_s": one_rate,
            "one_by_one_cases": n_one, "serial_cases_per_s": n_cases / serial,
            "dask2_cases_per_s": n_cases / dask, "startup_s": startup,
            "dask2_cases_per_s_with_startup": n_cases / (dask + startup),
            "dask_speedup": serial / dask, "identical": same, "counts": counts}


def _warm_cadquery() -> None:
    import cadquery  # noqa: F401  (a worker's first STEP export would import it)


def bench_cad_sweep(levels: int, chunk: int = 4) -> dict:
    """Feasibility-map sweep with a STEP file per case (geometry package's exporter).

    Serial in this process, then on a LocalCluster of 1 and of 2 worker processes; each
    cluster's start-up (processes, imports; CadQuery imported on each worker) is timed
    on its own. Speed-ups of the 2-worker cluster: against the in-process run (which
    lets the CAD kernel use both cores in its parallel booleans) and against the
    1-worker cluster (workers run the CAD kernel single-threaded: the scaling of the
    distributed sweep itself), both on started clusters, and in-process including the
    2-worker cluster's start-up.
    """
    study = load_study(ROOT / "studies" / "feasibility_crush_height.toml",
                       overrides=[f"sweep.levels={levels}", f"sweep.chunk={chunk}",
                                  "sweep.step=true"])
    n = levels * levels
    with tempfile.TemporaryDirectory() as tmp:
        _warm_cadquery()
        c0, t0 = time.process_time(), time.perf_counter()
        r1 = run_sweep(study, Path(tmp) / "serial", runner=SerialRunner())
        serial = time.perf_counter() - t0
        serial_cores = (time.process_time() - c0) / serial
        n_step = len(list((Path(tmp) / "serial" / "step").glob("*.step"))) \
            if (Path(tmp) / "serial" / "step").is_dir() else 0
        timings, rows = {}, {}
        for workers in (1, 2):
            t0 = time.perf_counter()
            with DaskRunner(workers=workers) as runner:
                runner.client.wait_for_workers(workers)
                runner.client.run(_warm_cadquery)
                startup = time.perf_counter() - t0
                t1 = time.perf_counter()
                rows[workers] = run_sweep(study, Path(tmp) / f"dask{workers}",
                                          runner=runner).rows
                timings[workers] = (time.perf_counter() - t1, startup)
        ref = [(r["hash"], json.dumps(r["outputs"], sort_keys=True)) for r in r1.rows]
        same = all(ref == [(r["hash"], json.dumps(r["outputs"], sort_keys=True))
                           for r in rows[w]] for w in (1, 2))
    (d1, _), (d2, startup) = timings[1], timings[2]
    return {"cases": n, "chunk": chunk, "step_files": n_step, "serial_s": serial,
            "serial_cores": serial_cores,
            "dask1_s": d1, "dask2_s": d2, "startup_s": startup,
            "dask_speedup": serial / d2, "dask_speedup_vs_1_worker": d1 / d2,
            "dask_speedup_with_startup": serial / (d2 + startup), "identical": same}


def _batched_chunk_s(n: int = 500, repeat: int = 3) -> float:
    """Median time of one batched evaluation of ``n`` LHS cases of study (a) (a task)."""
    from keidesign.studies.problem import BatchEvaluator

    study = load_study(STUDY_A, overrides=['variable.8.values=["dp_780"]'])
    ev = BatchEvaluator(study, {"crash:front:material": "dp_780"}, n)
    rng = np.random.default_rng(0)
    cases = [{v.name: float(rng.uniform(v.lower, v.upper)) for v in study.continuous}
             for _ in range(n)]
    ev.evaluate_many(cases)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        ev.evaluate_many(cases)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_worker_env(n: int = 500) -> dict:
    """One batched chunk in this process, on a worker of keidesign's LocalCluster, and
    on a worker of a LocalCluster with Dask's default nanny environment (which sets
    MALLOC_TRIM_THRESHOLD_=65536; keidesign's unsets it)."""
    from dask.distributed import Client, LocalCluster

    out = {"in_process_s": _batched_chunk_s(n)}
    with DaskRunner(workers=1) as runner:
        out["keidesign_worker_s"] = runner.client.submit(_batched_chunk_s, n).result()
    with LocalCluster(n_workers=1, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster, Client(cluster) as client:
        out["dask_default_worker_s"] = client.submit(_batched_chunk_s, n).result()
    return out


_CAD_THREADS = """
import sys, time, statistics
from keidesign.design import load_design
import geometry.export as ge
if sys.argv[1] == "1":
    from OCP.OSD import OSD_ThreadPool
    OSD_ThreadPool.DefaultPool_s(1)
d = load_design(sys.argv[2])
walls, cpus = [], []
for i in range(6):
    di = d.replace(**{"body:height": 1700.0 + 10.0 * i})
    c0, t0 = time.process_time(), time.perf_counter()
    ge.build(di)
    walls.append(time.perf_counter() - t0)
    cpus.append(time.process_time() - c0)
print(statistics.median(walls[1:]), statistics.median(cpus[1:]))
"""


def bench_cad_threads() -> dict:
    """One body build (N-Box class, new shape each time; medians of 5 after one warm-up)
    with OpenCascade's default thread pool and with one thread (as in a worker): wall
    and CPU time, each in a fresh process."""
    out = {}
    for label, arg in (("default_pool", "0"), ("one_thread", "1")):
        res = subprocess.run([sys.executable, "-c", _CAD_THREADS, arg,
                              str(ROOT / "studies" / "designs" / "nbox_class.toml")],
                             check=True, capture_output=True, text=True)
        wall, cpu = (float(x) for x in res.stdout.split()[-2:])
        out[label] = {"wall_s": wall, "cpu_s": cpu}
    return out


def _lhs_study(tmp: str, n_cases: int, chunk: int = 500):
    common = ["sweep.method='lhs'", 'variable.8.values=["dp_780"]']
    text = STUDY_A.read_text() + "\n[sweep]\nmethod = 'lhs'\nsamples = 1\n"
    path = Path(tmp) / "sweep_a.toml"
    path.write_text(text.replace('design = "designs/', f'design = "{ROOT}/studies/designs/'))
    return load_study(path, overrides=[*common, f"sweep.samples={n_cases}",
                                       f"sweep.chunk={chunk}"])


def bench_case_check(n_cases: int, sweeps: int = 3, n_check: int = 500) -> dict:
    """Item 8: the sweep's case check (design-file relations + body layout), its cost a
    case (one case per call, as ``keidesign check``; a chunk of ``n_check`` per call, as a
    batched sweep), and the batched in-process LHS sweep of study (a) with it and with
    the layout check off (baseline: every case then runs), alternating, medians."""
    import geometry.params as gp
    from keidesign.studies.problem import case_problem, case_problems

    study = load_study(STUDY_A, overrides=['variable.8.values=["dp_780"]'])
    design = study.design_for({"crash:front:material": "dp_780"})
    rng = np.random.default_rng(0)
    cases = [{v.name: float(rng.uniform(v.lower, v.upper)) for v in study.continuous}
             for _ in range(n_check)]
    one = _median(lambda: [case_problem(design, c) for c in cases], 5) / n_check
    many = _median(lambda: case_problems(design, cases), 5) / n_check
    invalid = sum(bool(m) for m in case_problems(design, cases))
    real = gp.layout_problems
    rates: dict[str, list[float]] = {"with": [], "without": []}
    with tempfile.TemporaryDirectory() as tmp:
        st = _lhs_study(tmp, n_cases)
        run_sweep(_lhs_study(tmp, 500), Path(tmp) / "warm", runner=SerialRunner())
        counts = {}
        try:
            for rep in range(sweeps):
                for mode in ("without", "with"):
                    gp.layout_problems = (real if mode == "with"
                                          else lambda lay: [""] * len(lay.p["L"]))
                    t0 = time.perf_counter()
                    r = run_sweep(st, Path(tmp) / f"{mode}{rep}", runner=SerialRunner())
                    rates[mode].append(n_cases / (time.perf_counter() - t0))
                    counts[mode] = r.counts()
        finally:
            gp.layout_problems = real
    w, wo = statistics.median(rates["with"]), statistics.median(rates["without"])
    return {"one_ms": 1e3 * one, "chunk_ms": 1e3 * many, "n_check": n_check,
            "invalid": invalid, "cases": n_cases, "with": w, "without": wo,
            "rates": rates, "counts": counts}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=200, help="sweep cases (10000 = the target)")
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--quick", action="store_true", help="small settings (smoke test)")
    ap.add_argument("--only", default="1,2,3,4,5,6,7,8",
                    help="items to run, comma-separated (default: all)")
    ap.add_argument("--sweeps", type=int, default=3,
                    help="item 8: sweeps with and without the layout check (medians)")
    args = ap.parse_args()
    if args.quick:
        args.cases, args.repeat, args.sweeps = 8, 3, 1
    only = {int(i) for i in args.only.split(",")}
    if only & {1, 2, 3, 4, 5, 6, 7}:
        _items_1_to_7(args, only)
    if 8 in only:
        c = bench_case_check(args.cases, args.sweeps)
        print(f"8. sweep case check (design-file relations + body layout), per case: one case "
              f"per call {c['one_ms']:.3f} ms, a chunk of {c['n_check']} per call "
              f"{c['chunk_ms']:.3f} ms (x{c['one_ms'] / c['chunk_ms']:.1f}; "
              f"{c['invalid']} invalid); LHS sweep of {c['cases']} cases of study (a), "
              f"batched in-process, median of {len(c['rates']['with'])}: with the check "
              f"{c['with']:.0f} cases/s, without the layout check {c['without']:.0f} "
              f"cases/s (baseline; ratio {c['with'] / c['without']:.2f}; runs "
              f"{', '.join(f'{r:.0f}' for r in c['rates']['with'])} | "
              f"{', '.join(f'{r:.0f}' for r in c['rates']['without'])}); {c['counts']}")


def _items_1_to_7(args: argparse.Namespace, only: set[int]) -> None:
    if 1 in only:
        ev = bench_evaluation(args.repeat)
        print(f"1. model evaluation (no CAD), median of {args.repeat}: study problem "
              f"{ev['study_model_ms']:.2f} ms, vehicle model alone {ev['vehicle_model_ms']:.2f} ms "
              f"(study layer adds {ev['study_model_ms'] - ev['vehicle_model_ms']:+.2f} ms); "
              f"1-component OpenMDAO floor {ev['floor_ms']:.3f} ms "
              f"(x{ev['study_model_ms'] / ev['floor_ms']:.0f}); target < 5 ms")
        print(f"   a sweep case costs {ev['case_overhead_ms']:.3f} ms besides the model run "
              f"(consistency check, set inputs, read responses): the layer alone would allow "
              f"{1e3 / ev['case_overhead_ms']:.0f} cases/s per core")
    if 2 in only:
        a = bench_study_a(args.quick)
        print(f"2. study (a) end to end: {a['wall_s']:.1f} s wall, median of "
              f"{', '.join(f'{w:.1f}' for w in a['walls_s'])} ({a['n_starts']} starts, "
              f"optimize {a['optimize_s']:.1f} s, trade re-solves {a['trade_s']:.1f} s, files "
              f"{a['write_s']:.1f} s; {a['n_model_evaluations']} model evaluations); optimum "
              f"{a['objective']:.2f} kg with {a['discrete']}; target < 10 s")
    if 3 in only:
        counts = bench_eval_counts(args.quick)
        base = counts["SLSQP analytic"]
        print("3. model evaluations (one start, dp_780): to convergence | to the first feasible "
              "point within 0.5 % of the analytic optimum:")
        for label, c in counts.items():
            dobj = 100 * (c["objective"] - base["objective"]) / base["objective"]
            reach = c["evals_to_0.5pct"]
            reach_txt = (f"{reach:5d} (x{reach / base['n_evals']:.1f} analytic's total)"
                         if reach else "never")
            print(f"   {label:<28} {c['n_evals']:5d} (x{c['n_evals'] / base['n_evals']:.1f}) | "
                  f"{reach_txt}; objective {c['objective']:.3f} ({dobj:+.3f} %), success "
                  f"{c['success']}, feasible {c['feasible']}, {c['time_s']:.1f} s")
    if 4 in only:
        sw = bench_sweep(args.cases, chunk=min(500, max(2, args.cases // 4)))
        print(f"4. LHS sweep of {sw['cases']} cases (no CAD), {sw['chunk']} cases per batched run: "
              f"one case per run {sw['one_by_one_cases_per_s']:.0f} cases/s (baseline, "
              f"{sw['one_by_one_cases']} cases); batched in-process "
              f"{sw['serial_cases_per_s']:.0f} cases/s "
              f"(x{sw['serial_cases_per_s'] / sw['one_by_one_cases_per_s']:.1f}); "
              f"batched on Dask LocalCluster(2) {sw['dask2_cases_per_s']:.0f} cases/s "
              f"(x{sw['dask_speedup']:.2f} in-process; {sw['dask2_cases_per_s_with_startup']:.0f} "
              f"cases/s with the cluster's {sw['startup_s']:.1f} s start-up); identical results: "
              f"{sw['identical']} ({sw['counts']}); target >= 1000 cases/s")
    if 5 in only:
        cad = bench_cad_sweep(2 if args.quick else 8, chunk=1 if args.quick else 4)
        print(f"5. sweep with CAD export ({cad['cases']} cases in tasks of {cad['chunk']}, "
              f"{cad['step_files']} STEP files): serial {cad['serial_s']:.1f} s (CPU time / wall "
              f"= {cad['serial_cores']:.2f} cores), Dask "
              f"LocalCluster(1) {cad['dask1_s']:.1f} s, LocalCluster(2) {cad['dask2_s']:.1f} s "
              f"(started clusters; start-up {cad['startup_s']:.1f} s): speed-up "
              f"x{cad['dask_speedup_vs_1_worker']:.2f} over 1 worker, x{cad['dask_speedup']:.2f} "
              f"over in-process (x{cad['dask_speedup_with_startup']:.2f} with start-up), "
              f"identical results: {cad['identical']}; target >= 1.6")

    if 6 in only:
        env = bench_worker_env(100 if args.quick else 500)
        print(f"6. one batched chunk ({100 if args.quick else 500} cases): in-process "
              f"{env['in_process_s']:.2f} s, keidesign's LocalCluster worker "
              f"{env['keidesign_worker_s']:.2f} s, worker with Dask's default environment "
              f"(MALLOC_TRIM_THRESHOLD_=65536) {env['dask_default_worker_s']:.2f} s "
              f"(x{env['dask_default_worker_s'] / env['keidesign_worker_s']:.1f})")
    if 7 in only:
        thr = bench_cad_threads()
        d, o = thr["default_pool"], thr["one_thread"]
        print(f"7. one body build: OpenCascade default thread pool {d['wall_s']:.3f} s wall / "
              f"{d['cpu_s']:.3f} s CPU ({d['cpu_s'] / d['wall_s']:.2f} cores); one thread (as in "
              f"a worker) {o['wall_s']:.3f} s wall / {o['cpu_s']:.3f} s CPU")


if __name__ == "__main__":
    main()
