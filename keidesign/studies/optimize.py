"""Optimization of a study: multi-start SLSQP with analytic totals, recorded, explained.

Problem: the study's continuous variables are OpenMDAO design variables (scaled to
[0, 1] by ``ref0 = lower``, ``ref = upper``), its objective is ``add_objective`` (scaled
by its value at the base design; negative ref to maximize), and each chosen constraint is
``add_constraint(margin, lower=min_margin)`` on a margin output of
:class:`~keidesign.studies.problem.MarginComp`. The driver is OpenMDAO's
``ScipyOptimizeDriver`` (SLSQP by default) with the model's analytic total derivatives
(``driver.gradients = "fd"`` switches to forward finite differences, for comparison).
The model is built with the unrounded footprint (the 0.1 ft^2 rounding is a step).

Starts: every combination of the discrete variables (material, transmission, ...) times
``1 + driver.multistart`` start points (the base design's values, then a seeded Latin
hypercube in the bounds). :func:`start_count` counts them from the settings alone;
``keidesign optimize`` refuses more than :data:`MAX_STARTS` starts (``--max-cases N``
raises the limit) before any start point is made. Starts are independent tasks (on Dask
by default), each recorded by its own ``SqliteRecorder`` (``runs/start_*.sql``). The
best converged, feasible start is then solved again here, warm-started at its solution,
with the recorder on the driver and OpenMDAO's reports (N2, optimizer, scaling, inputs);
with a single start, that start is this recorded, reported run from its first iteration.

After the optimum:

* the active constraints and design-variable bounds and their Lagrange multipliers
  (``Driver.compute_lagrange_multipliers``) give ``d f* / d bound`` = -lambda, the change
  of the optimal objective per unit of the bound;
* each active bound is then moved by 1 % of its scale (by 0.1 % if that re-solve
  fails: :data:`TRADE_STEP_FRACTIONS`) and the problem re-solved, warm-started at the
  optimum (``set_constraint_options`` / ``set_design_var_options``,
  ``run_driver(case_prefix=)``; one task per active item): the re-solve confirms the
  multiplier and gives the change of every recorded quantity along the re-optimized path,
  e.g. "1 mm more crush margin costs 0.016 kg and 0.0003 mpg". These are the *trade
  factors*.

Files in the results folder: ``optimum.toml`` (the design), ``compliance.txt`` and
``evaluation.json`` (``keidesign evaluate`` of it), ``trade_factors.md``,
``results.json``, ``optimum.step`` (or a note), ``starts.csv``, ``runs/*.sql``, and
``optimization_out/`` (``cases.sql`` and ``reports/``). The folder is created and locked
for the run (:func:`~keidesign.studies.resultsdir.results_dir`); the results of an
earlier run there are refused unless ``overwrite`` (they are deleted first).
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
import sys
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import openmdao.api as om

from keidesign import variables as reg
from keidesign.design import load_design
from keidesign.errors import InputError
from keidesign.evaluation import MEASURED, evaluate_design, format_table
from keidesign.outpaths import replace_file
from keidesign.studies.outputs import (
    column,
    design_toml,
    discrete_column,
    recorder_history,
    save_step_files,
    step_files,
    write_csv,
    write_json,
)
from keidesign.studies.problem import (
    MarginSpec,
    StudyProblem,
    build_study_problem,
    finish_setup,
    objective_output,
    response_units,
    response_value,
)
from keidesign.studies.progress import IterationReport
from keidesign.studies.resultsdir import FOLDER_MODE, results_dir
from keidesign.studies.runclass import class_record, solved_class
from keidesign.studies.runner import Runner, SerialRunner
from keidesign.studies.scratch import scratch_folder
from keidesign.studies.spec import ObjectiveSpec, Study, restraint_hint
from keidesign.studies.sweep import combination_count

__all__ = ["MAX_STARTS", "OptimizeResult", "StartResult", "check_optimizable", "check_totals_at",
           "complex_step_against_fd", "optimize", "run_start", "start_count", "start_points"]

#: ``results.json``'s schema (``keidesign report`` reads this one only).
SCHEMA = "keidesign.optimize/1"

#: Default limit of ``keidesign optimize`` on the number of starts (``--max-cases``).
MAX_STARTS = 1_000

REPORTS = ["n2", "optimizer", "scaling", "inputs"]


# --------------------------------------------------------------------------- set-up


def configure(sp: StudyProblem, study: Study, objective: ObjectiveSpec, *,
              optimizer: str | None = None, gradients: str | None = None,
              maxiter: int | None = None, tol: float | None = None) -> str:
    """Add design variables, objective, constraints and the driver; returns objective var."""
    prob, model = sp.prob, sp.prob.model
    for v in study.continuous:
        if v.ref is not None:
            model.add_design_var(v.name, lower=v.lower, upper=v.upper, units=v.units,
                                 ref=v.ref)
        else:
            model.add_design_var(v.name, lower=v.lower, upper=v.upper, units=v.units,
                                 ref0=v.lower, ref=v.upper)
    obj = objective_output(objective, sp.margins)
    ref = objective.ref
    if ref is None:
        m = next((m for m in sp.margins if m.output == obj), None)
        base = sp.info.values.get(obj)
        ref = m.ref if m is not None else max(abs(base), 1e-6) if base is not None else 1.0
    model.add_objective(obj, ref=-ref if objective.sense == "max" else ref)
    sp.constraint_keys = {}
    for m in sp.margins:
        # a margin that is itself the objective is not also a constraint (OpenMDAO allows
        # one response per variable); optimizing it keeps it at its best
        if m.constrained and m.output != obj:
            model.add_constraint(m.output, lower=m.min_margin, ref=m.ref)
            sp.constraint_keys[m.output] = m
    drv = study.driver
    opt = optimizer or drv["optimizer"]
    prob.driver = om.ScipyOptimizeDriver(optimizer=opt, maxiter=maxiter or drv["maxiter"],
                                         tol=tol or drv["tol"], disp=False)
    if (gradients or drv["gradients"]) == "fd":
        model.approx_totals(method="fd", step=drv["fd_step"], form="forward")
    return obj


def _add_recorder(prob: om.Problem, path: str | Path, study: Study) -> om.SqliteRecorder:
    rec = om.SqliteRecorder(str(path))
    drv = prob.driver
    for k in ("record_desvars", "record_objectives", "record_constraints"):
        drv.recording_options[k] = True
    drv.recording_options["includes"] = list(study.record) + [d.name for d in study.derived]
    drv.add_recorder(rec)
    prob.add_recorder(rec)
    prob.recording_options["includes"] = ["*"]
    return rec


def start_count(study: Study) -> int:
    """Number of starts (``len(start_points(study))``) from the settings, with Python
    integers: ``(1 + driver.multistart)`` (1 without continuous variables) times the
    discrete combinations."""
    per = 1 + (study.driver["multistart"] if study.continuous else 0)
    return per * combination_count(study)


def start_points(study: Study) -> list[tuple[dict[str, Any], dict[str, float]]]:
    """Every ``(discrete combination, start point)`` of a multi-start optimization."""
    base = study.start_values()
    pts = [base]
    n = study.driver["multistart"]
    cont = study.continuous
    if n and cont:
        from scipy.stats import qmc

        u = qmc.LatinHypercube(d=len(cont), seed=study.driver["seed"]).random(n)
        for row in u:
            pts.append({v.name: float(v.lower + r * (v.upper - v.lower))
                        for v, r in zip(cont, row, strict=True)})
    return [(combo, p) for combo in study.discrete_combinations() for p in pts]


# --------------------------------------------------------------------------- one start


@dataclass
class StartResult:
    """Result of one start (a task: runs on a worker)."""

    index: int
    discrete: dict[str, Any]
    start: dict[str, float]
    success: bool
    feasible: bool
    message: str
    objective: float | None
    x: dict[str, float]
    n_evals: int
    n_iter: int
    elapsed: float
    max_violation: float = 0.0
    n_grad: int = 0
    recording: bytes | None = field(default=None, repr=False)
    warnings: list[str] = field(default_factory=list)
    #: the optimizer's own (major) iterations, scipy's ``nit`` (None for a driver without
    #: one); ``n_iter`` is OpenMDAO's driver count, one per model evaluation it asked for
    #: (24 at study (a)'s 25 evaluations and 24 SLSQP iterations, 5 at maxiter = 3)
    n_major: int | None = None


def _violation(sp: StudyProblem) -> float:
    """Largest relative violation of the constrained margins (0 if feasible)."""
    worst = 0.0
    for m in sp.margins:
        if m.fixed:
            if m.fixed_value is not None and m.fixed_value < m.min_margin:
                worst = max(worst, (m.min_margin - m.fixed_value) / m.ref)
            continue
        if not m.constrained:
            continue
        val = response_value(sp, m.output)
        worst = max(worst, (m.min_margin - val) / m.ref)
    return worst


@contextlib.contextmanager
def _quiet(notes: list[str], banner_said: bool = False):
    """Collect OpenMDAO's warnings and the driver's prints as notes (not on the terminal).
    ``banner_said``: the caller reports the optimizer's status itself (:func:`solve`'s
    ``StartResult.message``), so the driver's printed failure banner is dropped."""
    buf = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(buf):
        warnings.simplefilter("always")
        yield
    for w in caught:
        text = _about_the_start(" ".join(str(w.message).split()))
        if text not in notes and not text.startswith(_ATOMIC_GROUPS):
            notes.append(text)
    printed = " ".join(buf.getvalue().split())
    if banner_said and printed.startswith(_DRIVER_BANNER):
        # ScipyOptimizeDriver prints its failure even with disp=False; the caller's status
        # note ("the optimizer did not report success: FAIL: Iteration limit reached")
        # says the same, and the summary printed both (task s37i)
        printed = ""
    if printed and printed not in notes:
        notes.append(printed)


#: OpenMDAO's relevance note on the vehicle's mass loop (``keidesign.mass.loop.LoopSolver``
#: computes its own derivatives, so OpenMDAO treats the group as one block when it decides
#: which systems an iteration runs). It is the same for every design and study, asks
#: nothing of the user and was the first note under every optimum, in words no doc
#: explained (new-user pass s44f): left out of the notes.
_ATOMIC_GROUPS = ("The following groups have a nonlinear solver that computes gradients "
                  "and will be treated as atomic")


#: The first words ScipyOptimizeDriver prints when its optimizer fails (then scipy's
#: message and a line of dashes), whatever its ``disp``.
_DRIVER_BANNER = "Optimization FAILED."


#: OpenMDAO's words for the point of its check of margins no design variable moves: the
#: ScipyOptimizeDriver makes it once, at its first derivatives (``_check_jac``), i.e. at
#: the start, whatever point the run ends at.
_AT_CURRENT = "at the current design point:"


def _about_the_start(text: str) -> str:
    """OpenMDAO's 'cannot be impacted' note, saying which point it was made at: read under
    the optimum, 'the current design point' was taken for the optimum (a BEV study's dash
    intrusion, 0 at the base design, 32.6 mm and moving at its optimum; task s35f)."""
    if "cannot be impacted by the design variables" not in text or _AT_CURRENT not in text:
        return text
    return (text.replace(_AT_CURRENT, "at the start point, where the optimizer first "
                                      "computed derivatives:")
            + "; a margin at a kink there (a zero intrusion, max(0, ...)) may move later")


def solve(study: Study, discrete: Mapping[str, Any], start: Mapping[str, float], *,
          index: int = 0, record: str | Path | None = None, optimizer: str | None = None,
          gradients: str | None = None, name: str | None = None, work_dir: str | None = None,
          reports: Any = False, case_prefix: str | None = None,
          keep: bool = False, progress: TextIO | None = None
          ) -> tuple[StartResult, StudyProblem | None]:
    """Set up the problem of one discrete combination and optimize from ``start``.

    ``record``: SqliteRecorder file for the driver (every iteration) and the final case.
    ``keep``: return the problem (for post-processing) instead of cleaning it up.
    ``progress``: a stream that gets one line per driver iteration (objective, worst
    constraint margin: :class:`~keidesign.studies.progress.IterationReport`).
    """
    t0 = time.perf_counter()
    if study.objective is None:
        raise InputError(f"{study.path}: [objective] missing; `keidesign optimize` needs one")
    notes: list[str] = []
    design = study.design_for(discrete)
    sp = build_study_problem(study, design, objectives=[study.objective], name=name,
                             work_dir=work_dir, reports=reports, per_run_class=True)
    with _quiet(notes, banner_said=True):
        obj = configure(sp, study, study.objective, optimizer=optimizer, gradients=gradients)
        if record is not None:
            _add_recorder(sp.prob, record, study)
        if progress is not None:
            sp.prob.driver.add_recorder(IterationReport(
                progress, obj, response_units(sp, obj), sp.constraint_keys))
        finish_setup(sp)
        for nm, val in start.items():
            sp.prob.set_val(nm, val, units=study.variable(nm).units)
        sp.margin_comp.n_evals = 0
        res = sp.prob.run_driver(case_prefix=case_prefix)
        if record is not None:
            sp.prob.record(case_prefix or "final")
    # the driver's own count: the margin component is left out of the solves when the
    # study has no constraints (a single start then reported 0 evaluations)
    n_evals = max(int(getattr(res, "model_evals", 0) or 0), sp.margin_comp.n_evals)
    x = {v.name: float(sp.prob.get_val(v.name, units=v.units).item())
         for v in study.continuous}
    value = response_value(sp, obj)
    viol = _violation(sp)
    # the optimizer's own reason with OpenMDAO's status ("FAIL" alone said nothing of an
    # iteration limit or a failed line search)
    # (ScipyOptimizeDriver keeps scipy's OptimizeResult; another driver has none)
    scipy_res = getattr(sp.prob.driver, "_scipy_optimize_result", None)
    why = " ".join(str(getattr(scipy_res, "message", "") or "").split())
    nit = getattr(scipy_res, "nit", None)
    message = f"{res.exit_status}: {why}" if why else str(res.exit_status)
    out = StartResult(index, dict(discrete), dict(start), bool(res.success), viol <= 1e-6,
                      message, value if math.isfinite(value) else None, x,
                      n_evals, int(res.iter_count), time.perf_counter() - t0, viol,
                      n_grad=int(res.deriv_evals), warnings=notes,
                      n_major=int(nit) if nit is not None else None)
    if keep:
        return out, sp
    sp.prob.cleanup()
    return out, None


def run_start(study: Study, index: int, discrete: Mapping[str, Any],
              start: Mapping[str, float], record: bool = True,
              optimizer: str | None = None, gradients: str | None = None) -> StartResult:
    """One start of a multi-start optimization (a task); the recording comes back as bytes."""
    with scratch_folder("start") as tmp:   # swept if this process is killed mid-start
        path = tmp / "run.sql" if record else None
        res, _ = solve(study, discrete, start, index=index, record=path, optimizer=optimizer,
                       gradients=gradients, case_prefix=f"start_{index}")
        if path is not None and path.is_file():
            res.recording = path.read_bytes()
    return res


#: Re-solves of a trade factor: the bound is moved by ``item['step']`` (1 % of its
#: scale) and, if that re-solve fails, by each smaller fraction of it in turn, each again
#: from the optimum. SLSQP's first line search from the optimum with the bound moved
#: weighs the violation by the multiplier alone; where the objective's cost per unit of
#: the bound grows along the way (a kink in the model at the optimum) the merit function
#: then rises along the search direction and SLSQP stops ("Positive directional
#: derivative for linesearch") without reaching the moved bound: study (e)'s crush space
#: (task s31j: its margin's derivative in the crush length is 0.340 behind the optimum
#: and 0.331 ahead of it; the 2.85 mm step failed after 113 model evaluations with 0.001
#: mm of the 2.85 gained; 0.285 mm converged in 55, 0.175 kg/mm against the multiplier's
#: 0.150).
TRADE_STEP_FRACTIONS = (1.0, 0.1)


def run_trade(study: Study, discrete: Mapping[str, Any], x_opt: Mapping[str, float],
              item: Mapping[str, Any]) -> dict[str, Any]:
    """Re-solve with one active bound moved by ``item['step']`` (a task), or by a
    :data:`TRADE_STEP_FRACTIONS` part of it if the full step's re-solve fails, each
    re-solve started from the optimum ``x_opt``.

    Returns ``item`` with ``effects`` (change of the objective and of every recorded
    quantity per unit of the bound), ``dfdb_resolve``, ``resolve_success``, ``step``
    (the step of the re-solve reported) and ``resolve_tries`` (the steps tried).
    """
    item = dict(item)
    design = study.design_for(discrete)
    sp = build_study_problem(study, design, objectives=[study.objective], per_run_class=True)
    notes: list[str] = []
    full = item["step"]
    tries: list[float] = []
    with _quiet(notes):
        obj = configure(sp, study, study.objective)
        finish_setup(sp)
        prob, model = sp.prob, sp.prob.model

        def at_optimum() -> None:
            for nm, val in x_opt.items():
                prob.set_val(nm, val, units=study.variable(nm).units)
            prob.run_model()

        at_optimum()
        names = list(dict.fromkeys([obj] + list(study.record)))
        base = {n: response_value(sp, n) for n in names}
        for fraction in TRADE_STEP_FRACTIONS:
            if tries:
                at_optimum()
            # move the bound by `step`: tighten a margin, relax a design-variable bound
            step = size = full * fraction
            tries.append(size)
            if item["kind"] == "constraint":
                model.set_constraint_options(item["output"], lower=item["value"] + step,
                                             ref=sp.margin(item["id"]).ref)
            else:
                v = study.variable(item["output"])
                if item["bound"] == "lower":
                    step = -step
                model.set_design_var_options(item["output"], lower=v.lower + min(step, 0.0),
                                             upper=v.upper + max(step, 0.0))
            suffix = "" if len(tries) == 1 else f":step_{len(tries)}"
            res = prob.run_driver(case_prefix=f"trade:{item['id']}{suffix}")
            if res.success:
                break
    item["resolve_success"] = bool(res.success)
    item["step"] = size
    item["resolve_tries"] = tries
    item["effects"] = {n: (response_value(sp, n) - base[n]) / step for n in names}
    item["dfdb_resolve"] = item["effects"][obj]
    item["resolve_evals"] = sp.margin_comp.n_evals
    prob.cleanup()
    return item


# --------------------------------------------------------------------------- the optimum


@dataclass
class OptimizeResult:
    """What ``keidesign optimize`` found and wrote."""

    out: Path
    study: Study
    best: StartResult
    starts: list[StartResult]
    objective: str
    objective_units: str | None
    value: float
    x: dict[str, float]
    margins: list[dict[str, Any]]
    active: list[dict[str, Any]]
    outputs: dict[str, tuple[float, str | None]]
    files: dict[str, Path] = field(default_factory=dict)
    n_evals: int = 0
    elapsed: float = 0.0
    runner: str = ""
    compliance: str = ""
    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    #: the class the run judged every design as and the optimum's own
    #: (:func:`keidesign.studies.runclass.class_record`)
    federal_class: dict[str, Any] = field(default_factory=dict)
    #: the pass/fail criteria of the study's packs the optimum fails and no constraint of
    #: the study holds, each ``{id, value, bound, units, margin, policy}`` (s44i)
    unconstrained: list[dict[str, Any]] = field(default_factory=list)


def _better(a: StartResult, b: StartResult | None, sense: str) -> bool:
    """Converged and feasible first, then feasible; among feasible starts the objective
    decides (their residual violations are all within the driver's tolerance and say
    nothing), among infeasible ones the smaller violation."""
    if b is None:
        return True
    ka = (a.success and a.feasible, a.feasible)
    kb = (b.success and b.feasible, b.feasible)
    if ka != kb:
        return ka > kb
    if not a.feasible and a.max_violation != b.max_violation:
        return a.max_violation < b.max_violation
    if a.objective is None or b.objective is None:
        return b.objective is None and a.objective is not None
    return a.objective < b.objective if sense == "min" else a.objective > b.objective


def check_optimizable(study: Study) -> None:
    """An :class:`InputError` if the study has no objective or no variable."""
    if study.objective is None:
        raise InputError(f"{study.path}: [objective] missing; `keidesign optimize` needs one")
    if not study.continuous and not study.discrete:
        raise InputError(f"{study.path}: no [[variable]]: nothing to optimize")


def _objective_moves(study: Study, design, start: Mapping[str, float]) -> bool:
    """Whether any continuous design variable moves the objective at ``start``
    (``d objective / d variable`` != 0 for at least one, the model's own totals, as
    OpenMDAO's "cannot be impacted by the design variables" check)."""
    with _driver_problem_at(study, design, start) as (sp, obj):
        value = response_value(sp, obj)
        if not math.isfinite(value):
            raise _not_finite(study, f"its value at the first start is {value}")
        try:
            tot = sp.prob.compute_totals(of=[obj], wrt=[v.name for v in study.continuous],
                                         return_format="flat_dict")
        except om.AnalysisError:
            tot = None
        if tot is None or not all(np.all(np.isfinite(j)) for j in tot.values()):
            raise _not_finite(study, "its derivatives at the first start are not finite")
    return any(np.any(np.abs(np.asarray(j)) > 0.0) for j in tot.values())


@contextlib.contextmanager
def _driver_problem_at(study: Study, design, x: Mapping[str, float], *,
                       complex_step: bool = False):
    """The study's driver problem (design variables, objective, constraints as
    :func:`configure` adds them) on ``design``, run at ``x``, quiet; yields ``(sp,
    objective output)`` and cleans the problem up after. ``complex_step``: set up for a
    complex step of the whole problem (:func:`finish_setup`)."""
    sp = build_study_problem(study, design, objectives=[study.objective], per_run_class=True)
    try:
        with _quiet([]):
            obj = configure(sp, study, study.objective)
            finish_setup(sp, complex_step=complex_step)
            for nm, val in x.items():
                sp.prob.set_val(nm, val, units=study.variable(nm).units)
            sp.prob.run_model()
            yield sp, obj
    finally:
        sp.prob.cleanup()


def check_totals_at(study: Study, discrete: Mapping[str, Any], x: Mapping[str, float], *,
                    method: str = "fd", step: float | None = None, form: str = "central"
                    ) -> dict[str, Any]:
    """OpenMDAO's ``check_totals`` of the study's driver problem at the point ``x`` (e.g.
    an optimum's ``results.json`` ``design_variables``): the analytic total derivatives the
    driver used against finite differences, in the driver's scaled space
    (``driver_scaling=True``: the ref0/ref of each variable, the objective's ref, each
    margin's scale, so a relative error means what it means to SLSQP).

    ``step`` is relative to each scaled variable's unit range ([0, 1]), so 1e-5 is 1e-5 of
    its bounds' span (task s37i, study (a): a central step of 1e-3 straddled a kink of the
    model 0.002 mm of wall from the start, a femur-force margin's max(), and gave a
    relative error of 0.37 where 1e-5 gives 7e-9; steps of 1e-6 meet the mass loop's
    solver tolerance, 1.2e-3 at the optimum against 1.6e-4 at 1e-5). Returns ``{"worst":
    (of, wrt, rel error, abs error), "pairs": n, "rows": [(of, wrt, analytic, fd, rel, abs),
    ...], "seconds": t}`` (``t``: the ``check_totals`` call alone), rows sorted by relative
    error, largest first. A pair whose analytic and finite-difference values are both below
    ``FLOOR`` = 1e-8 (scaled) counts 0: a margin no variable moves has an analytic 0 and a
    difference quotient of round-off (1.2e-10 for study (a)'s rear headroom against the
    crush length at step 1e-3), an infinite relative error that says nothing. ``method =
    "cs"`` (complex step) takes no ``form``; its problem is set up with complex vectors
    everywhere (:func:`~keidesign.studies.problem.finish_setup`). ``step`` defaults to 1e-5
    (fd) and 1e-30 (cs: no subtraction, exact to round-off).
    """
    FLOOR = 1e-8
    if step is None:
        step = 1e-30 if method == "cs" else 1e-5
    with _driver_problem_at(study, study.design_for(discrete), x,
                            complex_step=method == "cs") as (sp, obj):
        kw = {"form": form} if method == "fd" else {}
        t0 = time.perf_counter()
        data = sp.prob.check_totals(method=method, step=step, driver_scaling=True,
                                    out_stream=None, **kw)
        seconds = time.perf_counter() - t0
    rows = []
    for (of, wrt), d in data.items():
        j = float(np.ravel(d["J_fwd"])[0])
        f = float(np.ravel(d["J_fd"])[0])
        ab = abs(j - f)
        rel = 0.0 if max(abs(j), abs(f)) < FLOOR else ab / max(abs(f), abs(j))
        rows.append((of, wrt, j, f, rel, ab))
    rows.sort(key=lambda r: -r[4])
    worst = (rows[0][0], rows[0][1], rows[0][4], rows[0][5]) if rows else None
    return {"objective": obj, "worst": worst, "pairs": len(rows), "rows": rows,
            "seconds": seconds}


def complex_step_against_fd(study: Study, discrete: Mapping[str, Any],
                            x: Mapping[str, float], *, fd_step: float = 1e-5,
                            floor: float = 1e-8) -> dict[str, Any]:
    """Complex step of the whole study problem against central differences at ``x``:
    :func:`check_totals_at` with ``method="cs"`` (step 1e-30) and ``"fd"`` (central,
    ``fd_step`` of each scaled variable's range), the two approximations compared pair
    by pair (the analytic totals play no part: this checks that the model is complex-step
    safe, every operation on every path keeps the imaginary part).

    A pair counts when either value exceeds ``floor`` (scaled); its relative difference
    is ``|cs - fd| / max(|cs|, |fd|)``. Returns ``{"pairs": all pairs, "counted": n,
    "zero_cs": [(of, wrt, fd), ...] (cs exactly 0 where fd is not), "worst": (rel, of,
    wrt, cs, fd), "seconds": {"cs": t, "fd": t}}`` (each: OpenMDAO's ``check_totals``
    alone, analytic totals included, not the set-up).
    """
    out, seconds = {}, {}
    for method in ("cs", "fd"):
        res = check_totals_at(study, discrete, x, method=method,
                              step=None if method == "cs" else fd_step)
        seconds[method] = res["seconds"]
        out[method] = {(r[0], r[1]): r[3] for r in res["rows"]}
    counted, zero, worst = 0, [], (0.0, None, None, 0.0, 0.0)
    for key, f in out["fd"].items():
        c = out["cs"][key]
        if max(abs(c), abs(f)) <= floor:
            continue
        counted += 1
        if c == 0.0:
            zero.append((*key, f))
        rel = abs(c - f) / max(abs(c), abs(f))
        if rel > worst[0] or worst[1] is None:
            worst = (rel, *key, c, f)
    return {"pairs": len(out["fd"]), "counted": counted, "zero_cs": zero, "worst": worst,
            "seconds": seconds}


def _not_finite(study: Study, what: str) -> InputError:
    """The one line for an objective the optimizer cannot use: a study's ``[derived]``
    objective of ``sqrt(0 - 1)`` was an OpenMDAO AnalysisError traceback from the
    derivative check before any start ran (audit s32g)."""
    o = study.objective
    field, name = (("objective.name", o.name) if o.name else ("objective.margin", o.margin))
    return InputError(f"{study.path}: {field} = {name!r}: {what}; allowed: an objective "
                      "with a finite value and derivatives at the start (a [derived] "
                      "expression: no sqrt or log of a negative, no division by zero)")


def _shown(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    units = reg.get(name).units
    return f"{float(value):g}" + (f" {units}" if units else "")


def check_objective_movable(study: Study) -> None:
    """An :class:`InputError` if no design variable of the study moves its objective (the
    optimizer would stop at the start and report it "converged, feasible" with every
    trade factor 0), naming the measured value of the design that pins it and the remedy.

    Checked at the first start (first discrete combination). A measured value pins an
    output when the objective moves once that value alone is cleared.
    """
    if not study.continuous or study.objective is None:
        return
    combo, start = start_points(study)[0]
    design = study.design_for(combo)
    if _objective_moves(study, design, start):
        return
    what = study.objective.name or f"the margin of {study.objective.margin}"
    given = [(k, False if isinstance(design.values[k], bool) else 0.0, pins)
             for k, _, _, pins in MEASURED if design.values.get(k)]   # 0 / False: not given
    pinning = [(k, pins) for k, off, pins in given
               if _objective_moves(study, design.replace(**{k: off}), start)]
    names = ", ".join(v.path for v in study.continuous)
    if pinning:
        fields = " and ".join(f"{k.replace(':', '.')} = {_shown(k, design.values[k])} "
                              f"(pins {pins})" for k, pins in pinning)
        why = (f"the design {study.base.path} gives {fields}; remedy: import the car with "
               "`keidesign import ... --predict` (the models predict it) or remove that "
               "field from the design file")
    elif given:
        fields = ", ".join(k.replace(":", ".") for k, _, _ in given)
        why = (f"the design also gives measured {fields}, but clearing them does not free "
               "it; choose an objective these variables change")
    else:
        why = "choose an objective these variables change, or other variables"
    raise InputError(f"{study.path}: objective {what!r} cannot be moved by any design "
                     f"variable of the study ({names}): its derivative with respect to "
                     f"each is 0 at the start, so an optimization would only report the "
                     f"start; {why}")


def optimize(study: Study, out: str | Path, *, runner: Runner | None = None,
             reports: bool = True, step: bool = True, trade: bool = True,
             progress: bool = False, overwrite: bool = False) -> OptimizeResult:
    """Run the study's optimization into ``out`` (see the module docstring).

    ``out`` is created and locked for the run; if it holds the results of an earlier run
    (``optimum.toml``, ``results.json``, ``runs/``, ...) that is an :class:`InputError`
    unless ``overwrite`` (they are deleted first).
    """
    check_optimizable(study)
    check_objective_movable(study)
    with results_dir(out, command="optimize", overwrite=overwrite) as folder:
        return _optimize(study, folder, runner=runner, reports=reports, step=step,
                         trade=trade, progress=progress)


def _optimize(study: Study, out: Path, *, runner: Runner | None, reports: bool, step: bool,
              trade: bool, progress: bool) -> OptimizeResult:
    from tqdm import tqdm

    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    assert study.objective is not None
    # every name error surfaces before any run
    built = [build_study_problem(study, study.design_for(combo), objectives=[study.objective],
                                 per_run_class=True)
             for combo in study.discrete_combinations()]
    obj0 = objective_output(study.objective, built[0].margins)
    units0 = printed_units(obj0, response_units(built[0], obj0))
    del built
    starts = start_points(study)
    runner = runner or SerialRunner()
    results: list[StartResult] = []
    runs = out / "runs"
    runs.mkdir(mode=FOLDER_MODE, exist_ok=True)
    # OpenMDAO's folder of the recorder, made here so that no umask (002) makes it
    # writable by the group (resultsdir.FOLDER_MODE, audit s43a)
    (out / "optimization_out").mkdir(mode=FOLDER_MODE, exist_ok=True)
    work = dict(name="optimization", work_dir=str(out),
                reports=REPORTS if reports else False)
    stream = sys.stderr if progress else None
    if len(starts) == 1:  # the one start is the recorded, reported run
        combo, pt = starts[0]
        best, sp = solve(study, combo, pt, record="cases.sql", keep=True,
                         case_prefix="optimum", progress=stream, **work)
        results.append(best)
    else:
        with tqdm(total=len(starts), unit="start", desc="optimize",
                  disable=not progress) as bar:
            tasks = [(study, i, combo, pt) for i, (combo, pt) in enumerate(starts)]
            for _, r in runner.map_unordered(run_start, tasks):
                results.append(r)
                if r.recording:
                    replace_file(runs / f"start_{r.index:03d}.sql", r.recording)
                    r.recording = None
                # as each start finishes: a Ctrl-C keeps the finished starts' table
                # (it was written after the last start only, task s37i)
                _write_starts(study, sorted(results, key=lambda q: q.index),
                              out / "starts.csv", units0)
                bar.update(1)
        results.sort(key=lambda r: r.index)
        best = None
        for r in results:
            if _better(r, best, study.objective.sense):
                best = r
        assert best is not None
        # the optimum again, warm-started at the best start's solution: recorded, reported
        final, sp = solve(study, best.discrete, best.x, record="cases.sql", keep=True,
                          case_prefix="optimum", progress=stream, **work)
        final.index, final.start = best.index, best.start
        # the optimizer's iterations are the best start's: the re-run starts at its
        # solution and stops after about one (the summary said "1 SLSQP iterations")
        final.n_major = best.n_major
        if (not final.success and best.success and final.feasible
                and final.objective is not None and best.objective is not None
                and abs(final.objective - best.objective) <= 1e-6 * max(1.0,
                                                                         abs(best.objective))):
            # SLSQP restarted exactly at an optimum can stop on a line-search message
            final.warnings.append(f"the re-run at the optimum stopped with {final.message}; "
                                  "the start it re-ran had converged to the same point")
            final.success = True
        best = final
    timings["optimize_s"] = time.perf_counter() - t0
    assert sp is not None
    prob = sp.prob
    obj = objective_output(study.objective, sp.margins)
    _write_starts(study, results, out / "starts.csv", printed_units(obj, response_units(sp, obj)))
    notes = list(best.warnings)
    if not best.success:
        notes.append(f"the optimizer did not report success: {best.message}")
    if not best.feasible:
        notes.append("the best point found violates constraint(s) (the 'violated:' lines, "
                     "results.json margins): no feasible design "
                     "was found in the bounds")
    active = _active(sp, study) if best.success and best.feasible else []
    notes = _without_fixed_notes(notes, {a["output"] for a in active if a["kind"] == "fixed"})
    margins = [_margin_row(sp, m) for m in sp.margins]
    outputs = {n: (response_value(sp, n), response_units(sp, n))
               for n in [obj] + list(study.record) + [d.name for d in study.derived]}
    # the class was decided once for the run; the optimum's own, from its outputs
    fed = class_record(sp.judged_class, solved_class(prob, study.design_for(best.discrete),
                                                     best.x))
    files = {"recorder": Path(prob.get_outputs_dir()) / "cases.sql",
             "starts": out / "starts.csv"}
    if reports:
        files["reports"] = Path(prob.get_outputs_dir()) / "reports"
    prob.cleanup()  # closes the recorder: read back (our own fresh file) for the history
    history = recorder_history(files["recorder"])
    history["objective"]["units"] = history["objective"]["units"] or response_units(sp, obj)
    files["history"] = write_json(out / "history.json", history)
    items = [a for a in active if a["kind"] in TRADE_KINDS]

    result = OptimizeResult(out, study, best, results, obj, response_units(sp, obj),
                            best.objective if best.objective is not None else float("nan"),
                            best.x, margins, active, outputs, files=files,
                            n_evals=sum(r.n_evals for r in results) + (
                                best.n_evals if len(results) > 1 else 0),
                            notes=notes, skipped=list(sp.skipped),
                            runner=getattr(runner, "description", ""), timings=timings,
                            federal_class=fed)
    t2 = time.perf_counter()
    checked, toml_text = _write_design(result, study.design_for(best.discrete))
    # the STEP export and the trade re-solves are submitted first: on a cluster they run
    # while this process evaluates the optimum and writes its compliance table
    step_task = (runner.start(step_files, [(checked, toml_text, "optimum", study.packs)])
                 if step and checked is not None else None)
    pending = (runner.start(run_trade, [(study, best.discrete, best.x, a) for a in items])
               if trade and items else None)
    if checked is not None:
        _write_compliance(result, checked)
    if step_task is not None:
        _, (ok, msg, step_out) = next(iter(step_task))
        written = save_step_files(step_out, out)
        result.files["step" if ok else "step_note"] = (out / "optimum.step" if ok
                                                       else out / "optimum.step.txt")
        # the STEP's JSON sidecar (crash sections, frame, parts) was written unnamed: a
        # new user looking for it from the summary found no word of it (s44f)
        for path in written:
            if path.suffix == ".json":
                result.files["step_sidecar"] = path
        if not ok:
            result.notes.append(msg.replace("{out}", str(out)))
    timings["write_s"] = time.perf_counter() - t2
    t1 = time.perf_counter()
    if pending is not None:
        done = dict(pending)
        for i, item in done.items():
            items[i].update(item)
    timings["trade_s"] = time.perf_counter() - t1  # (waiting for them after the files)
    result.elapsed = time.perf_counter() - t0
    result.files["trade_factors"] = out / "trade_factors.md"
    replace_file(out / "trade_factors.md", format_trade_factors(result))
    result.files["results"] = write_json(out / "results.json", _results_doc(result))
    return result


def interrupted_text(out: Path, total: int, shown: str | None = None) -> str:
    """The line after a Ctrl-C of ``keidesign optimize``: how many of the ``total`` starts
    finished and where they are (``starts.csv``, written as each start finishes, and
    ``runs/start_*.sql``); it said only 'the results in OUT/ are incomplete' (task s37i).
    ``shown``: the folder as printed (default ``out``)."""
    import csv

    where = shown or str(out)
    table = out / "starts.csv"
    n = 0
    if table.is_file():
        with table.open(newline="") as fh:
            n = max(sum(1 for _ in csv.reader(fh)) - 1, 0)
    if n == 0:
        done = f"no start of {total} had finished; nothing to keep"
    else:
        done = (f"{n} of {total} start{'' if total == 1 else 's'} finished: "
                f"{where}/starts.csv (objective, success, feasible, point of each) and "
                f"{where}/runs/start_*.sql (om.CaseReader); no optimum was written")
    return (f"keidesign: interrupted; {done}. `optimize` does not resume: run again with "
            "--overwrite.")


def _margin_row(sp: StudyProblem, m: MarginSpec) -> dict[str, Any]:
    value = m.fixed_value if m.fixed else response_value(sp, m.output)
    return {"id": m.id, "margin": value, "units": m.units, "min_margin": m.min_margin,
            "constrained": m.constrained, "fixed": m.fixed, "ref": m.ref,
            "active": abs(value - m.min_margin) <= 1e-6 * max(m.ref, 1.0)
            if m.constrained else False,
            "source": m.source}


def _active(sp: StudyProblem, study: Study) -> list[dict[str, Any]]:
    """Active constraints and bounds with ``d f* / d bound`` from the multipliers."""
    drv = sp.prob.driver
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            act_dvs, act_cons = drv.compute_lagrange_multipliers(feas_tol=1e-6)
    except Exception as exc:  # e.g. a singular active set
        return [{"kind": "note", "id": "", "message": f"no multipliers: {exc}"}]
    out = []
    fixed = _fixed_by_design(sp, [n for n in act_cons if n in sp.constraint_keys])
    for name, meta in act_cons.items():
        m = sp.constraint_keys.get(name)
        if m is None:
            continue
        lam = float(np.ravel(meta["multipliers"])[0])
        out.append({"kind": "fixed" if name in fixed else "constraint", "id": m.id,
                    "output": name, "bound": "lower", "units": m.units,
                    "value": m.min_margin, "step": 0.01 * m.ref, "dfdb_multiplier": -lam})
    for name, meta in act_dvs.items():
        v = study.variable(name)
        side = "upper" if int(np.ravel(meta["active_bounds"])[0]) == 1 else "lower"
        lam = float(np.ravel(meta["multipliers"])[0])
        out.append({"kind": "bound", "id": v.path, "output": name, "bound": side,
                    "units": v.units, "value": v.upper if side == "upper" else v.lower,
                    "step": 0.01 * (v.upper - v.lower), "dfdb_multiplier": -lam})
    return out


#: OpenMDAO's two notes on responses no design variable moves: the ScipyOptimizeDriver's
#: (``constraint(s) ['a', 'b'] do not depend on any design variables``) and the
#: relevance check's (``... cannot be impacted ...: a, inds=[0], b, inds=[0]``, as
#: :func:`_about_the_start` words it).
_NO_DV_LIST = re.compile(r"constraint\(s\) \[([^\]]*)\] do not depend on any design variables")
_NO_DV_INDS = re.compile(r"cannot be impacted by the design variables.*?derivatives?:"
                         r"((?:\s*[^,;\s]+, inds=\[[^\]]*\],?)+)")


def _without_fixed_notes(notes: Sequence[str], fixed: set[str]) -> list[str]:
    """``notes`` less OpenMDAO's notes that name only margins the summary reports as fixed
    by the design (``at its bound, fixed by the design: kei-japan:kei.power``): a study
    holding ``kei-japan:*`` without the engine power as a variable printed that one fact
    three times, twice in OpenMDAO's words (new-user pass s45g). A note naming any other
    response (an objective, a margin a variable should move) is kept."""
    if not fixed:
        return list(notes)
    kept = []
    for note in notes:
        names: list[str] = []
        if (m := _NO_DV_LIST.search(note)) is not None:
            names = [n.strip().strip("'\"") for n in m.group(1).split(",")]
        elif (m := _NO_DV_INDS.search(note)) is not None:
            names = re.findall(r"([^,;\s]+), inds=", m.group(1))
        if not (names and set(names) <= fixed):
            kept.append(note)
    return kept


def _fixed_by_design(sp: StudyProblem, names: Sequence[str]) -> set[str]:
    """The constraints among ``names`` that no design variable moves: every total
    derivative of the constraint with respect to the design variables is zero at the
    optimum (e.g. ``kei.cargo`` on a truck whose payload is no variable: its margin is
    what the design file gives). Such a constraint can be at its bound but has no trade
    factor (its multiplier is 0 and a re-solve with the bound moved has no feasible
    point): it is reported as fixed by the design, not as active."""
    if not names:
        return set()
    dvs = list(sp.prob.driver.get_design_var_values())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        totals = sp.prob.compute_totals(list(names), dvs, driver_scaling=True)
    return {n for n in names
            if all(not np.any(np.asarray(totals[n, d])) for d in dvs)}


#: the kinds of :func:`_active`'s rows that have a trade factor (``fixed``: a constraint
#: at its bound that no design variable moves; ``note``: why there are no multipliers)
TRADE_KINDS = ("constraint", "bound")


# --------------------------------------------------------------------------- writing


def _write_starts(study: Study, results: Sequence[StartResult], path: Path,
                  objective_units: str | None) -> None:
    """``starts.csv``: one row per start. Every quantity's header carries its units
    (:func:`~keidesign.studies.outputs.column`, ``[-]`` dimensionless; the objective,
    ``start:*``, ``x:*`` and ``elapsed_s`` had none before s31l); the start's number,
    the flags, an option's text values and the message are labels, bare."""
    disc = [v.name for v in study.discrete]
    cont = study.continuous

    header = (["start", "success", "feasible", column("objective", objective_units),
               column("n_evals", None), column("n_iter", None), column("elapsed", "s")]
              + [discrete_column(v) for v in study.discrete]
              + [column(f"start:{v.name}", v.units) for v in cont]
              + [column(f"x:{v.name}", v.units) for v in cont] + ["message"])
    cont = [v.name for v in cont]
    rows = ([r.index, r.success, r.feasible, r.objective, r.n_evals, r.n_iter, r.elapsed]
            + [r.discrete.get(n) for n in disc] + [r.start.get(n) for n in cont]
            + [r.x.get(n) for n in cont] + [r.message] for r in results)
    write_csv(path, header, rows)


def _write_design(res: OptimizeResult, design) -> tuple[Any, str]:
    """Write ``optimum.toml``; ``(the design read back, its text)``, design None with a
    note if it is not a valid design file."""
    study, out = res.study, res.out
    opt = design.replace(**res.x)
    opt = opt.replace(**{"design:name": f"{design.name} - optimum of {study.name}"[:200],
                         "design:source": f"keidesign optimize {study.path}"})
    toml_path = out / "optimum.toml"
    header = [f"Optimum of study {study.name!r} ({study.path}),",
              f"from base design {study.design_path}; written by keidesign optimize.",
              f"objective {res.objective} = {res.value:.6g} {res.objective_units or ''}",
              f"optimizer: {status_text(res.best)}"]
    text = design_toml(opt, header)
    replace_file(toml_path, text)
    res.files["design"] = toml_path
    try:
        return load_design(toml_path), text
    except InputError as exc:
        res.notes.append(f"the optimum is not a valid design file: {exc}")
        return None, text


def _write_compliance(res: OptimizeResult, checked) -> None:
    """``compliance.txt`` and ``evaluation.json`` of the optimum design."""
    out = res.out
    ev = evaluate_design(checked, res.study.packs)
    res.compliance = format_table(ev)
    replace_file(out / "compliance.txt", res.compliance + "\n")
    write_json(out / "evaluation.json", ev.to_json())
    res.files["compliance"] = out / "compliance.txt"
    res.files["evaluation"] = out / "evaluation.json"
    held = {m["id"] for m in res.margins}
    res.unconstrained = [{k: c.get(k) for k in ("id", "value", "bound", "units", "margin",
                                                 "policy")}
                         for c in ev.constraints
                         if c["passed"] is False and c["id"] not in held]
    # the hard ones get the summary's WARNING block with their margins
    # (:func:`unconstrained_warning`); the note names only the rest, the stated policy
    # thresholds, so that no failure is listed twice
    warned = {r["id"] for r in res.unconstrained if not r.get("policy")}
    note = unconstrained_failures([c for c in ev.summary()["failed"] if c not in warned],
                                  res.margins, optimum=res.best.success and res.best.feasible,
                                  what="stated policy thresholds (not regulations)"
                                  if warned else "criteria")
    if note:
        res.notes.append(note)


def unconstrained_warning(rows: Sequence[dict[str, Any]], optimum: bool = True) -> list[str]:
    """The summary's WARNING lines for the pass/fail criteria of the study's packs the
    point fails and the study does not constrain (rows of
    :attr:`OptimizeResult.unconstrained`), each with its margin: the summary called such a
    point "optimum ... feasible" with one note line of ids (s44i: an imported Alto's mass
    optimum held on FMVSS 208 failed FMVSS 301 rear crush by 244 mm, the margin only in
    compliance.txt). Stated policy thresholds (not regulations) are left to the note."""
    hard = [r for r in rows if not r.get("policy")]
    if not hard:
        return []
    what = "optimum" if optimum else "point found"
    lines = [f"WARNING: the {what} FAILS {len(hard)} pass/fail criteria of the study's rule "
             "packs that the study does not constrain ('feasible' is about the study's "
             "constraints only; add a [[constraint]] to hold them):"]
    for r in hard[:FAILED_LISTED]:
        lines.append(f"  FAIL {r['id']}: value {_fmt_or(r.get('value'))} against "
                     f"{_fmt_or(r.get('bound'))} {r.get('units') or ''}".rstrip()
                     + f", margin {_fmt_or(r.get('margin'))} {r.get('units') or ''}".rstrip())
    if len(hard) > FAILED_LISTED:
        lines.append(f"  and {len(hard) - FAILED_LISTED} more (results.json "
                     "unconstrained_failures)")
    return lines


def unconstrained_warning_md(rows: Sequence[dict[str, Any]], optimum: bool = True
                             ) -> list[str]:
    """The WARNING block of :func:`unconstrained_warning` as Markdown lines for
    ``trade_factors.md`` (a bold WARNING, one list item per criterion, a blank line after),
    or none: the summary printed it and results.json held the rows
    (``unconstrained_failures``), while the Markdown file, the one a reviewer reads beside
    the optimum, called the point 'Optimum ... (converged, feasible)' and nothing more
    (task s45a)."""
    text = unconstrained_warning(rows, optimum)
    if not text:
        return []
    head = text[0].removeprefix("WARNING: ")
    return ([f"**WARNING**: {head}", ""] + [f"- {ln.strip()}" for ln in text[1:]] + [""])


def _fmt_or(v: Any) -> str:
    """:func:`_fmt` of a number, ``"?"`` for none."""
    return _fmt(float(v)) if isinstance(v, (int, float)) else "?"


#: Most criterion ids an :func:`unconstrained_failures` note lists (the rest counted)
FAILED_LISTED = 8


def unconstrained_failures(failed: Sequence[str], margins: Sequence[dict[str, Any]],
                           optimum: bool = True, what: str = "criteria") -> str:
    """A note naming the criteria of the study's rule packs that the optimum fails and the
    study does not hold (no ``[[constraint]]`` chose them): "converged, feasible" is about
    the study's constraints only, and a criterion the base design passed can fail at the
    optimum (s29b: a price optimum under ``fmvss208.*`` thinned the front rails, which the
    rear impact also takes, and failed ``fmvss301.rear_crush_space`` by 200 mm with
    nothing said). Empty when there are none. ``optimum`` false: the point is a best
    point found, not an optimum, and the note says so ('the point found fails ...'; it
    said 'the optimum' under 'NOT converged', task s37i). ``what`` names the kind of
    criteria listed (the optimize summary passes only the policy thresholds here since the
    WARNING block of :func:`unconstrained_warning` lists the others with their margins)."""
    held = {m["id"] for m in margins}
    free = [c for c in failed if c not in held]
    if not free:
        return ""
    more = len(free) - FAILED_LISTED
    return (f"the {'optimum' if optimum else 'point found'} fails {len(free)} {what} of "
            "the study's rule packs that the study does not constrain (compliance.txt; "
            "add a [[constraint]] to hold them): "
            + ", ".join(free[:FAILED_LISTED]) + (f" and {more} more" if more > 0 else ""))


def _fmt(v: float) -> str:
    return "0" if abs(v) < 1e-9 else f"{v:.4g}"


def status_text(best: StartResult) -> str:
    """``converged, feasible``, or what the optimizer's point is not (``NOT converged``,
    ``INFEASIBLE``) with what that means: the files of a run whose best point failed
    either read as an optimum (its design file, its trade factors) unless they say so."""
    text = (f"{'converged' if best.success else 'NOT converged'}, "
            f"{'feasible' if best.feasible else 'INFEASIBLE'}")
    if best.success and best.feasible:
        return text
    why = [] if best.feasible else ["violates constraint(s), see results.json margins"]
    if not best.success:
        why.append(f"the optimizer stopped with: {' '.join(str(best.message).split())}")
    return f"{text} ({'; '.join(why)}): not an optimum"


def _fmt_value(v: float) -> str:
    """The objective's value: six significant digits (four, as the trade factors, wrote
    a price optimum of 15,251.1 USD as '1.525e+04')."""
    return "0" if abs(v) < 1e-9 else f"{v:.6g}"


#: Money outputs (registered in OpenMDAO's ``USD`` since 6 Dec 2026, s30d; ``unitless``
#: before, so a result written then is still printed in USD; their descriptions say USD
#: (2024), keidesign/catalogue/cost.py); ``cost:rpe`` is a ratio.
MONEY = ("cost:vehicle", "cost:price", "cost:price_position", "cost:destination",
         "cost:reference_price", "cost:group:")


def objective_units(res: OptimizeResult) -> str:
    """The objective's units as printed: ``USD`` for money (:data:`MONEY`; the optimum
    then reads ``22,015 USD (2024)``), else its registered units (``""`` unitless)."""
    return printed_units(res.objective, res.objective_units)


def printed_units(name: str, units: str | None) -> str:
    """:func:`objective_units` of the quantity ``name`` in ``units``."""
    if units in (None, "", "unitless") and name.startswith(MONEY):
        return "USD"
    return units or ""


def _optimum(res: OptimizeResult) -> str:
    u = objective_units(res)
    if u == "USD":
        return f"{res.objective} = {res.value:,.0f} USD (2024)"
    return f"{res.objective} = {_fmt_value(res.value)}{' ' + u if u else ''}"


def _md(units: str | None) -> str:
    """Units written into Markdown with their ``*`` escaped: ``cm**3`` inside a ``**bold**``
    line closed the bold early (``**... by 1 cm**3** changes ...`` rendered 'cm' bold, then
    '3', then the rest bold: new-user pass s36d, study (a)'s displacement bound)."""
    return (units or "").replace("*", "\\*")


def format_trade_factors(res: OptimizeResult) -> str:
    """Trade factors in words, one line per active constraint or bound; for a point that
    did not converge or is infeasible, that status and no trade factors (there are none
    at a point that is not an optimum: :func:`optimize` computes them only at one)."""
    u = _md(objective_units(res))
    ok = res.best.success and res.best.feasible
    lines = [f"# Trade factors: {res.study.name}", "",
             f"{'Optimum' if ok else 'Best point found'}: {_optimum(res)} "
             f"({status_text(res.best)})", "",
             "Each active constraint or bound, and what one more unit of it changes "
             "(re-optimized). `multiplier` is -lambda from the KKT conditions, `re-solve` the "
             "change found by re-optimizing with the bound moved by `step`.", ""]
    if (warn := getattr(res, "federal_class", {}).get("warning")):
        lines[4:4] = [f"**Warning**: {warn}.", ""]
    lines[4:4] = unconstrained_warning_md(getattr(res, "unconstrained", []), optimum=ok)
    if not ok:
        lines.append("No trade factors: the optimizer's point is not a converged, feasible "
                     "optimum (trade factors are the KKT multipliers of one).")
    elif not [a for a in res.active if a["kind"] != "fixed"]:
        lines.append("No active constraint or bound (or no multipliers: see results.json).")
    for a in res.active:
        if a["kind"] == "note":
            lines.append(f"- {a['message']}")
            continue
        if a["kind"] == "fixed":
            continue
        unit = _md(a["units"]) or "unit"
        if a["kind"] == "constraint":
            what = f"1 {unit} more required margin on {a['id']}"
        else:
            what = f"raising the {a['bound']} bound of {a['id']} by 1 {unit}"
        ok = a.get("resolve_success", False)
        eff = a.get("effects", {}) if ok else {}
        parts = [f"{_fmt(d)} {_md(res.outputs[n][1])} {n}".replace("  ", " ")
                 for n, d in eff.items()]
        resolve = (_fmt(a["dfdb_resolve"]) if ok else
                   "did not converge" if "dfdb_resolve" in a else "not run")
        lines.append(f"- **{what}** changes {res.objective} by "
                     f"{_fmt(a['dfdb_resolve'] if ok else a['dfdb_multiplier'])}"
                     f"{' ' + u if u else ''} "
                     f"(multiplier {_fmt(a['dfdb_multiplier'])}, re-solve {resolve}, "
                     f"step {_fmt(a['step'])} {unit})")
        if parts:
            lines.append("  - per unit: " + "; ".join(parts))
    fixed = [a for a in res.active if a["kind"] == "fixed"]
    if fixed:
        lines += ["", "At their bound but fixed by the design (no design variable moves "
                  "them: no trade factor): " + ", ".join(a["id"] for a in fixed) + "."]
    lines.append("")
    return "\n".join(lines)


def _results_doc(res: OptimizeResult) -> dict[str, Any]:
    study = res.study
    return {
        "schema": SCHEMA,
        "study": study.name, "study_file": study.path, "fingerprint": study.fingerprint,
        "objective": {"name": res.objective, "value": res.value, "units": res.objective_units,
                      "sense": study.objective.sense if study.objective else None},
        "design_variables": {v.name: {"value": res.x.get(v.name), "lower": v.lower,
                                      "upper": v.upper, "units": v.units}
                             for v in study.continuous},
        "discrete": res.best.discrete,
        "success": res.best.success, "feasible": res.best.feasible,
        "n_model_evaluations": res.n_evals,
        "n_iterations": getattr(res.best, "n_major", None),
        "n_starts": len(res.starts),
        "starts": [{"index": r.index, "discrete": r.discrete, "success": r.success,
                    "feasible": r.feasible, "objective": r.objective, "n_evals": r.n_evals}
                   for r in res.starts],
        "margins": res.margins,
        "active": res.active,
        "outputs": {k: {"value": v, "units": u} for k, (v, u) in res.outputs.items()},
        "notes": res.notes,
        "federal_class": res.federal_class,
        "unconstrained_failures": res.unconstrained,
        "skipped": res.skipped,
        "timings_s": res.timings,
        "runner": res.runner,
        "elapsed_s": res.elapsed,
        "files": {k: str(v) for k, v in res.files.items()},
    }


def format_result(res: OptimizeResult) -> str:
    """A few lines for the terminal: the optimum, its active set, where the files are."""
    u = objective_units(res)
    ok = res.best.success and res.best.feasible
    n_major = getattr(res.best, "n_major", None)
    opt = str(res.study.driver.get("optimizer", "")) if hasattr(res.study, "driver") else ""
    of_best = " of the best start" if len(res.starts) > 1 else ""
    iters = (f"{n_major} {opt + ' ' if opt else ''}iterations{of_best}, "
             if n_major is not None else "")
    # a point that did not converge or is infeasible is no optimum (trade_factors.md and
    # optimum.toml said so; the terminal line called it "optimum:", task s37i)
    lines = [f"{res.study.name}",
             f"  {'optimum' if ok else 'best point found (not an optimum)'}: "
             f"{_optimum(res)} "
             f"({'converged' if res.best.success else 'NOT converged'}, "
             f"{'feasible' if res.best.feasible else 'INFEASIBLE'}; "
             f"{len(res.starts)} start(s) on {res.runner or 'serial'}, {iters}{res.n_evals} "
             f"model evaluations, {res.elapsed:.1f} s)"]
    if res.best.discrete:
        lines.append("  discrete: " + ", ".join(f"{k.replace(':', '.')} = {v}"
                                                for k, v in res.best.discrete.items()))
    for v in res.study.continuous:
        lines.append(f"  {v.path} = {_fmt(res.x[v.name])} {v.units or ''}".rstrip())
    for a in res.active:
        if a["kind"] == "fixed":
            lines.append(f"  at its bound, fixed by the design: {a['id']}")
        elif a["kind"] in TRADE_KINDS:
            d = a["dfdb_resolve"] if a.get("resolve_success") else a["dfdb_multiplier"]
            # a constraint's 'bound' is the floor of its margin (trade_factors.md: "1 mm
            # more required margin on ..."), not the criterion's own side (s34d)
            units = a["units"] or "unit"
            what, per = ((f"margin at its required {_fmt(a.get('value', 0.0))} {a['units'] or ''}"
                          .rstrip(), "required margin")
                         if a["kind"] == "constraint" else
                         # the bound's value: the variable's own line shows where it sits,
                         # the active line did not say where the bound is (task s37i)
                         (f"{a['bound']} bound {_fmt(a['value'])} {a['units'] or ''}".rstrip()
                          if "value" in a else f"{a['bound']} bound", "bound"))
            lines.append(f"  active: {a['id']} ({what}), d {res.objective} / d {per} = "
                         f"{_fmt(d)} {u}/{units}")
    if not res.best.feasible:
        # which constraints, by how much (the line said only INFEASIBLE and 'see margins',
        # task s37i): the most violated first, relative to each margin's scale
        bad = sorted((m for m in getattr(res, "margins", [])
                      if (m["constrained"] or m["fixed"]) and m["margin"] is not None
                      and m["margin"] < m["min_margin"]),
                     key=lambda m: (m["margin"] - m["min_margin"]) / max(m["ref"], 1e-12))
        for m in bad[:VIOLATED_LISTED]:
            fixed = " (fixed by the design: no variable moves it)" if m["fixed"] else ""
            lines.append(f"  violated: {m['id']} margin {_fmt(m['margin'])} "
                         f"{m['units'] or ''}".rstrip()
                         + f" (required {_fmt(m['min_margin'])}){fixed}")
            if m["id"].endswith("fmvss208.ride_down_space"):  # s44f: say what to set
                lines += [f"    {h}" for h in [restraint_hint(res.study)] if h]
        if len(bad) > VIOLATED_LISTED:
            lines.append(f"  violated: {len(bad) - VIOLATED_LISTED} more (results.json "
                         "margins)")
    if not ok:
        # no multipliers at a point that is no optimum, but which variables sit on a bound
        # is what to widen or to start away from (the summary named none, task s37i)
        for v in res.study.continuous:
            side = at_bound(v, res.x.get(v.name))
            if side:
                lines.append(f"  at its {side} bound: {v.path} = {_fmt(res.x[v.name])} "
                             f"{v.units or ''}".rstrip() + " (no multiplier: not an optimum)")
    for n in res.notes:
        lines.append(f"  note: {n}")
    lines += [f"  {w}" for w in unconstrained_warning(
        getattr(res, "unconstrained", []), optimum=ok)]
    if (warn := getattr(res, "federal_class", {}).get("warning")):
        lines.append(f"  WARNING: {warn}")
    if res.skipped:
        lines.append(f"  note: {len(res.skipped)} rule-pack criteria chosen by a glob are not "
                     "modelled or do not apply (listed in results.json)")
    lines.append(files_line(res.out, res.files))
    return "\n".join(lines)


def at_bound(v: Any, value: float | None, rel: float = 1e-6) -> str:
    """``"lower"`` / ``"upper"`` if ``value`` is within ``rel`` of the span of the bounds
    of the continuous variable ``v`` from one of them, else ``""``."""
    if value is None or v.lower is None or v.upper is None:
        return ""
    tol = rel * max(abs(v.upper - v.lower), 1e-12)
    return ("lower" if value - v.lower <= tol else "upper" if v.upper - value <= tol
            else "")


#: Most violated margins the summary of an infeasible point lists (the rest counted)
VIOLATED_LISTED = 5


def files_line(out: Path, files: dict[str, Path]) -> str:
    """``  results in OUT/: a, b/c, ...``: every file written, relative to ``out`` (the
    recorder and OpenMDAO reports sit in ``optimization_out/``, not in ``out`` itself)."""
    return f"  results in {out}/: " + ", ".join(sorted(
        {os.path.relpath(p, out) for p in files.values()}))
