"""Pareto fronts by the epsilon-constraint method.

With objectives f_1 (the one optimized) and f_2, f_3 (held by constraints)::

    optimize f_1(x)   subject to   f_k(x) >= eps_k  (f_k maximized)
                                   f_k(x) <= eps_k  (f_k minimized),   k = 2, 3,
                                   and the study's constraints.

1. *Anchors*: each objective optimized alone (same constraints), lexicographically
   (:func:`run_anchor`: objective k optimized, then each other objective with k held at
   its optimum; the payoff table by lexicographic optimisation of G. Mavrotas,
   "Effective implementation of the epsilon-constraint method in Multi-Objective
   Mathematical Programming problems", Appl. Math. Comput. 213, 455-465 (2009); since
   s31k, before which an anchor's other objectives were wherever the run stopped), gives
   the payoff table; the range of each eps_k runs from its worst value over the anchors
   to its best (the anchor of f_k itself).
2. *Grid*: ``points`` values of each eps_k over that range (ends included, the best end
   backed off by 0.5 % of the range, :data:`BEST_END_BACKOFF`: at the anchor's own
   optimum the constraint leaves the feasible set no interior; at 0.1 % SLSQP failed to
   converge on study (c)'s corner point after the mass refit of 3 Dec 2026, 742
   iterations, 0.13 mm short; at 1 % on study (f)'s, feasible but not converged):
   ``points`` runs for two objectives, ``points**2`` for three.
3. *Runs*: the grid is cut into rows (one row per value of eps_3; for two objectives one
   row); a row is one task: its problem is set up once, and each point moves the
   epsilon bounds with ``set_constraint_options`` and re-runs the driver
   (``run_driver(case_prefix=...)``), warm-started from the previous point (rows run in
   serpentine order so neighbours stay close). Each point optimizes the augmented
   objective (AUGMECON, Mavrotas 2009, :func:`augmented_objective`: f_1 plus
   :data:`AUGMECON_WEIGHT` times the held objectives' slacks, each normalised by its
   range over the anchors; since s31k, before which a point could be only weakly
   efficient). Each row's iterations are recorded with a ``SqliteRecorder``
   (``runs/pareto_row_<k>.sql``).
4. *Front*: points whose run did not succeed or that violate a constraint are dropped,
   then the dominated ones. Its *knee* (:func:`knee_point`, :data:`KNEE_DEFINITION`) is
   the front point farthest beyond the line (plane) through the anchors in objectives
   normalised by the anchors' ranges (Das 1999); the base design, evaluated, is the
   other reference a front is read against. Both are marked in ``pareto.png`` and
   written in ``summary.json`` and the tables.

Work: ``n`` anchors plus ``points**(n - 1)`` epsilon points, each an optimization
(:func:`run_count`, counted from the settings alone); ``keidesign pareto`` refuses more
than :data:`MAX_RUNS` optimizations (``--max-cases N`` raises the limit) before any runs.
The default (1,000) is that of ``optimize``'s starts: an epsilon point costs about one
start (e.g. ``points = 31`` with three objectives, 964 runs, is allowed; ``points = 32``,
1,027 runs, needs ``--max-cases``).

Every finished anchor and point is recorded in ``cases.sqlite`` as soon as it is solved:
in-process from the row's run, on Dask from the worker's event
(:meth:`~keidesign.studies.runner.Runner.map_streaming`; before s31c a Dask row's points
came back only with the whole row, and a Ctrl-C lost them). An interrupted run continues
with ``--resume``: the recorded anchors are read back, not solved again, so the grid is
the interrupted run's exactly and each point is found by its grid index
(:data:`STORE_KEYS`; before s31c the anchors were solved again and a point was keyed by
its epsilon bounds, which an anchor landing a hair differently moved); a row resumed
partway starts from its last recorded point's solution, where an uninterrupted run
warm-starts the next point (before s30i a point was recorded only with its whole row, so
a two-objective front, one row, kept nothing of a Ctrl-C). The runner (a LocalCluster,
a scheduler connection) is made only when an anchor or a row is left to solve: a resume
of a finished front starts none (:data:`NO_RUNNER`; until s34e it was started first).
The results folder is created and locked for the run
(:func:`~keidesign.studies.resultsdir.results_dir`); the results of an earlier run there
are refused unless ``resume`` or ``overwrite``. Files: ``pareto.csv`` (every point, with
``success`` (converged), ``feasible``, ``on_front``, ``status`` (:func:`point_status`),
``knee``), ``pareto_front.csv``, ``anchors.csv`` (and the base design's row),
``pareto.png``, ``summary.json``.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from keidesign.errors import InputError, show
from keidesign.outpaths import replace_file, save_figure
from keidesign.plaintext import literal_text
from keidesign.studies.optimize import _quiet, _violation, configure
from keidesign.studies.outputs import column, write_csv, write_json
from keidesign.studies.problem import (
    build_study_problem,
    finish_setup,
    objective_output,
    response_units,
    response_value,
)
from keidesign.studies.resultsdir import FOLDER_MODE, results_dir
from keidesign.studies.runclass import CLASS_NAMES, solved_class
from keidesign.studies.runner import Runner, SerialRunner
from keidesign.studies.scratch import scratch_folder
from keidesign.studies.spec import Study
from keidesign.studies.store import CaseStore, case_hash

__all__ = ["AUGMECON_WEIGHT", "BASE_ROW", "KNEE_DEFINITION", "MAX_RUNS", "NO_RUNNER",
           "STORE_KEYS",
           "ParetoResult", "augmented_objective",
           "format_pareto", "knee_point", "nondominated", "point_status", "require_pareto",
           "run_count", "run_pareto"]

#: Default limit of ``keidesign pareto`` on the optimizations (anchors + epsilon points)
#: of a run (``--max-cases``).
MAX_RUNS = 1_000


def require_pareto(study: Study) -> None:
    """An :class:`InputError` if the study has no ``[pareto]`` table."""
    if study.pareto is None:
        raise InputError(f"{study.path}: no [pareto] table; `keidesign pareto` needs one with "
                         "2 or 3 [[pareto.objective]]")


def run_count(study: Study) -> int:
    """Optimizations of the study's Pareto run: one anchor per objective plus
    ``points**(n_objectives - 1)`` epsilon points (Python integers: exact for any size)."""
    require_pareto(study)
    n = len(study.pareto_objectives)
    return n + study.pareto["points"] ** (n - 1)


# --------------------------------------------------------------------------- tasks


#: Name of the augmented objective of an epsilon point (:func:`augmented_objective`): a
#: study-level quantity, not a column of the tables. Not under ``study:``, the prefix of
#: a study's own ``[derived.<name>]`` (``study:pareto_augmented`` was also the output and,
#: colons made ``_``, the subsystem of a study's ``[derived.pareto_augmented]``: OpenMDAO's
#: "Subsystem name ... is already used" traceback at the first epsilon point, audit s39c)
AUGMENTED = "pareto:augmented"

#: Weight of the constrained objectives' normalised slacks in the augmented objective
#: (AUGMECON, :func:`augmented_objective`): 1e-3 of each one's range over the anchors per
#: range of the optimized objective (Mavrotas 2009 takes it in [1e-6, 1e-3]; a larger one
#: trades the optimized objective for slack).
AUGMECON_WEIGHT = 1e-3

#: How far a lexicographic anchor's second stage may let the objectives already optimized
#: slip (:func:`run_anchor`): this fraction of ``max(|f*|, ref)`` (an exact equality at an
#: optimum leaves the feasible set no interior: the gradient runs need a hair of room).
LEXICOGRAPHIC_SLIP = 1e-6


def _ref(sp, o, name: str) -> float:
    """The scale of objective ``o`` (output ``name``): its ``ref``, its margin's, or the
    base design's magnitude (as ``optimize.configure`` scales an objective)."""
    m = next((m for m in sp.margins if m.output == name), None)
    return o.ref or (m.ref if m is not None else max(abs(sp.info.values.get(name, 1.0)), 1e-6))


def augmented_objective(senses: Sequence[str], ranges: Sequence[float]
                        ) -> tuple[str, list[float]] | None:
    """The augmented epsilon-constraint objective (AUGMECON, G. Mavrotas, "Effective
    implementation of the epsilon-constraint method in Multi-Objective Mathematical
    Programming problems", Appl. Math. Comput. 213, 455-465 (2009)): with objective 1
    optimized and objectives k >= 2 held by ``f_k >= e_k`` (max) or ``f_k <= e_k`` (min),
    the slacks ``s_k = |f_k - e_k|`` are added to the objective::

        optimize  f_1 + sign_1 * delta * r_1 * sum_k s_k / r_k,   delta = AUGMECON_WEIGHT

    (``r_k``: objective k's range over the anchors, the payoff table; ``sign_1`` +1 when
    f_1 is maximized, -1 when minimized; units those of f_1). A plain epsilon point may be
    only weakly efficient: where f_1 is flat in a direction that gains slack, any point of
    that flat set solves it, and the run may stop at one that another point dominates
    (study (f) from a 55 kN / 150 kN/m start, before s31k: a 1,000 mm bed, its lower
    bound, at 268.77 mm of margin, beside the ride-down anchor's 1,465 mm at 268.76 mm;
    1,499 mm since). With the slacks rewarded, a point that gains slack at no cost in f_1
    is preferred, so an optimum of the augmented problem is efficient (Mavrotas 2009;
    for a gradient run's local optimum, locally). The e_k are constants, so the objective
    is ``f_1 + sum_k c_k f_k`` with ``c_k = sign_1 * sign_k * delta * r_1 / r_k``
    (``sign_k`` +1 for max, -1 for min).

    Returns ``(expression, coefficients)`` over symbols ``f0 ...`` (the objectives in
    order; ``c_0 = 1``), or None when an objective has no range to normalise by (the
    plain objective is optimized then)."""
    sign = [1.0 if s == "max" else -1.0 for s in senses]
    r0 = ranges[0]
    if not all(math.isfinite(r) and r > 0.0 for r in ranges):
        return None
    coef = [1.0] + [sign[0] * sign[k] * AUGMECON_WEIGHT * r0 / ranges[k]
                    for k in range(1, len(senses))]
    expr = " + ".join(["f0"] + [f"({c!r}) * f{k}" for k, c in enumerate(coef) if k])
    return expr, coef


def _problem(study: Study, primary: int, eps: Sequence[int], record: Path | None,
             ranges: Sequence[float] | None = None):
    """The problem of objective ``primary`` optimized with the objectives ``eps`` held by
    (open) constraints; with ``ranges`` (objective ``primary`` = 0, every other held) the
    augmented objective :func:`augmented_objective` is optimized instead of f_1."""
    from dataclasses import replace

    from keidesign.studies.spec import DerivedSpec

    objs = study.pareto_objectives
    sp = build_study_problem(study, study.base, objectives=objs, per_run_class=True)
    names = [objective_output(o, sp.margins) for o in objs]
    aug = augmented_objective([o.sense for o in objs], ranges) if ranges else None
    if aug is not None:
        from keidesign.studies.expressions import parse_expression

        syms = tuple((f"f{k}", nm) for k, nm in enumerate(names))
        model = sp.prob.model
        for nm in names:   # the margins' units, which the model's table does not hold
            model.options["units"].setdefault(nm, response_units(sp, nm))
        units = response_units(sp, names[primary])
        model.options["derived"] = [*model.options["derived"], DerivedSpec(
            AUGMENTED, aug[0], units, syms, parse_expression(aug[0], {s for s, _ in syms}))]
        configure(sp, study, replace(objs[primary], name=AUGMENTED, margin=None,
                                     ref=_ref(sp, objs[primary], names[primary])))
    else:
        configure(sp, study, objs[primary])
    for k in eps:
        o = objs[k]
        if names[k] in sp.constraint_keys:  # already a study constraint: its bound moves
            continue
        bound = {"lower": -1e30} if o.sense == "max" else {"upper": 1e30}
        sp.prob.model.add_constraint(names[k], ref=_ref(sp, o, names[k]), **bound)
    if record is not None:
        from keidesign.studies.optimize import _add_recorder

        _add_recorder(sp.prob, record, study)
    finish_setup(sp)
    return sp, names


def _hold(sp, study: Study, names: Sequence[str], bounds: Mapping[int, float]) -> None:
    """Move the epsilon bounds: objective ``k`` held at ``bounds[k]`` (a lower bound when
    it is maximized, an upper one when minimized; a study margin constraint tightened)."""
    for k, e in bounds.items():
        o, m = study.pareto_objectives[k], sp.constraint_keys.get(names[k])
        if m is not None:  # the study's own margin constraint, tightened
            sp.prob.model.set_constraint_options(names[k], ref=m.ref,
                                                 lower=max(m.min_margin, e))
        elif o.sense == "max":
            sp.prob.model.set_constraint_options(names[k], lower=e)
        else:
            sp.prob.model.set_constraint_options(names[k], upper=e)


def recorded_names(study: Study, names: Sequence[str]) -> list[str]:
    """The study's ``record`` and derived quantities a Pareto point reports besides its
    objectives ``names`` (columns of ``pareto.csv``)."""
    return [n for n in dict.fromkeys([*study.record, *(d.name for d in study.derived)])
            if n not in names]


def _values(sp, names: Sequence[str], study: Study) -> dict[str, Any]:
    """The objectives, design variables, recorded quantities, feasibility (the study's
    constraints) and own federal class of the problem's current point."""
    x = {v.name: float(sp.prob.get_val(v.name, units=v.units).item()) for v in study.continuous}
    vals = [response_value(sp, n) for n in names]
    fc = solved_class(sp.prob, study.base, x)   # the point's own federal class
    rec = {n: response_value(sp, n) for n in recorded_names(study, names)}
    return {"feasible": _violation(sp) <= 1e-6, "objectives": vals, "x": x, "recorded": rec,
            "class": fc.key if fc is not None else None}


def _point(sp, names: Sequence[str], res: Any, study: Study) -> dict[str, Any]:
    return {"success": bool(res.success), **_values(sp, names, study),
            "n_evals": int(res.model_evals)}


def _base_point(sp, names: Sequence[str], study: Study) -> dict[str, Any]:
    """The base design evaluated (not optimized) on the problem ``sp`` built on it: where
    the study starts from, marked in ``pareto.png`` and written in ``anchors.csv`` and
    ``summary.json`` (no run showed it before s31c)."""
    notes: list[str] = []
    with _quiet(notes):
        finish_setup(sp)
        sp.prob.run_model()
    return _values(sp, names, study)


def run_anchor(study: Study, k: int) -> dict[str, Any]:
    """Objective ``k`` optimized alone, lexicographically (a task): the payoff table by
    lexicographic optimisation (Mavrotas 2009, :func:`augmented_objective`): objective
    ``k`` optimized, then each other objective in order with those before it held at
    their optima (within :data:`LEXICOGRAPHIC_SLIP`), each stage warm-started from the
    last. Optimizing f_k alone leaves the others wherever the run stops when f_k is flat in
    them: before s31k study (f)'s ride-down anchor (its crush at the 700 mm bound, the
    margin nearly flat in the bed) had a 1,452 mm bed from the file's start and 1,465 mm from a
    55 kN / 150 kN/m one, and the anchors set the epsilon grid and the knee's line. A
    stage that does not converge feasible is dropped: the anchor is the last stage that
    did (the first stage's failure is the anchor's)."""
    n = len(study.pareto_objectives)
    notes: list[str] = []
    held: dict[int, float] = {}
    out: dict[str, Any] | None = None
    evals = 0
    x = study.start_values()
    for j in [k, *(i for i in range(n) if i != k)]:
        with _quiet(notes):
            sp, names = _problem(study, j, list(held), None)
            _hold(sp, study, names, held)
            for nm, val in x.items():
                sp.prob.set_val(nm, val, units=study.variable(nm).units)
            res = sp.prob.run_driver()
        got = _plain({**_point(sp, names, res, study), "anchor": k})
        sp.prob.cleanup()
        evals += got["n_evals"]
        if out is not None and not (got["success"] and got["feasible"]):
            break
        out, x = got, got["x"]
        if not (out["success"] and out["feasible"]):
            break
        o = study.pareto_objectives[j]
        slip = LEXICOGRAPHIC_SLIP * max(abs(out["objectives"][j]), _ref(sp, o, names[j]))
        held[j] = out["objectives"][j] + (-slip if o.sense == "max" else slip)
    assert out is not None
    return {**out, "n_evals": evals}   # every stage's model evaluations


def _plain(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` as ``cases.sqlite`` gives it back (JSON: floats exact), so a point or anchor
    solved now and one read back by a resumed run are the same data."""
    return json.loads(json.dumps(doc))


def run_row(study: Study, row: int, points: Sequence[Mapping[str, Any]],
            start: Mapping[str, float], ranges: Sequence[float] | None = None,
            sink: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """One row of the epsilon grid, warm-started point to point (a task); with ``sink``
    (in-process runs) each point is also handed to it as soon as it is solved. With
    ``ranges`` (each objective's range over the anchors) each point optimizes the
    augmented objective (:func:`augmented_objective`)."""
    n = len(study.pareto_objectives)
    notes: list[str] = []
    with scratch_folder("pareto") as tmp:   # swept if this process is killed mid-row
        rec = tmp / "row.sql"
        with _quiet(notes):
            sp, names = _problem(study, 0, list(range(1, n)), rec, ranges)
            for nm, val in start.items():
                sp.prob.set_val(nm, val, units=study.variable(nm).units)
            out = []
            for p in points:
                _hold(sp, study, names, dict(enumerate(p["eps"], start=1)))
                res = sp.prob.run_driver(case_prefix=f"point_{p['index']}")
                out.append(_plain({**p, **_point(sp, names, res, study)}))
                if sink is not None:
                    sink(out[-1])
            sp.prob.cleanup()
        data = rec.read_bytes() if rec.is_file() else None
    return {"row": row, "points": out, "recording": data}


# --------------------------------------------------------------------------- front


def nondominated(points: Sequence[Sequence[float]], senses: Sequence[str],
                 rtol: float = 1e-6) -> list[bool]:
    """For each point, True if it is on the front: no other point is at least as good in
    every objective and better in one (``senses``: ``min``/``max`` per objective).

    Differences below ``rtol`` times each objective's spread count as ties (optimizer
    noise), and of several tied points only the first is kept.
    """
    sign = [1.0 if s == "min" else -1.0 for s in senses]
    vals = [[s * v for s, v in zip(sign, p, strict=True)] for p in points]
    n = len(senses)
    tol = []
    for k in range(n):
        col = [v[k] for v in vals] or [0.0]
        tol.append(rtol * max(max(col) - min(col), max(abs(c) for c in col), 1e-12))
    keep = []
    for i, a in enumerate(vals):
        out = False
        for j, b in enumerate(vals):
            if j == i:
                continue
            no_worse = all(b[k] <= a[k] + tol[k] for k in range(n))
            better = any(b[k] < a[k] - tol[k] for k in range(n))
            tie = all(abs(b[k] - a[k]) <= tol[k] for k in range(n))
            if no_worse and (better or (tie and j < i)):
                out = True
                break
        keep.append(not out)
    return keep


#: What ``keidesign pareto`` calls the knee of a front (summary.json ``knee``, pareto.png).
KNEE_DEFINITION = (
    "the front point farthest from the line through the anchors (three objectives: the "
    "plane through them), on the side of the ideal point, each objective normalised by "
    "its range over the anchors (0 at its best anchor value, 1 at its worst): the point "
    "of largest distance from the convex hull of individual minima, I. Das, 'On "
    "characterizing the knee of the Pareto curve based on Normal-Boundary Intersection', "
    "Structural Optimization 18, 107-115 (1999)")

#: Smallest normalised distance beyond the anchors' line that makes a knee (below it the
#: front is straight, to the optimizer's tolerance, and has none).
KNEE_MIN_DISTANCE = 1e-6


def knee_point(points: Sequence[Sequence[float]], anchors: Sequence[Sequence[float]],
               senses: Sequence[str]) -> tuple[int | None, list[float], str]:
    """The knee of a front (:data:`KNEE_DEFINITION`): ``(i, distances, why)``.

    ``points``: the objective values of the front points; ``anchors``: those of the ``n``
    anchors (objective ``k`` optimized alone, in objective order); ``senses``: ``min`` or
    ``max`` per objective. Each objective is turned into one to minimize and normalised
    by the anchors' payoff table, ``u_k = (f_k - best_k) / (worst_k - best_k)``; the
    anchors span the hyperplane ``w . u = 1`` (two objectives: ``u_1 + u_2 = 1``) and a
    point's signed distance from it is ``d = (1 - w . u) / |w|``, positive on the side of
    the ideal point (u = 0). The knee is the point of largest ``d`` when that exceeds
    :data:`KNEE_MIN_DISTANCE`; otherwise ``i`` is None and ``why`` says why (a straight
    or concave front, anchors that span no hyperplane). ``distances``: ``d`` of every
    point, normalised units (empty when there is none to measure).
    """
    import numpy as np

    n = len(senses)
    if not points:
        return None, [], "the front has no point"
    if len(anchors) != n:
        return None, [], "not every anchor converged feasible"
    sign = np.array([1.0 if s == "min" else -1.0 for s in senses])
    A = np.asarray(anchors, float) * sign
    P = np.asarray(points, float) * sign
    best, worst = A.min(axis=0), A.max(axis=0)
    span = worst - best
    if not np.all(span > 1e-12 * np.maximum(1.0, np.abs(worst))):
        return None, [], "an objective has the same value at every anchor"
    An, Pn = (A - best) / span, (P - best) / span
    if np.linalg.cond(An) > 1e12:
        return None, [], "the anchors span no line (plane) to measure from"
    w = np.linalg.solve(An, np.ones(n))
    d = (1.0 - Pn @ w) / np.linalg.norm(w)
    i = int(np.argmax(d))
    if not d[i] > KNEE_MIN_DISTANCE:
        return None, d.tolist(), ("no front point lies beyond the line (plane) through the "
                                  "anchors: a straight or concave front has no knee")
    return i, d.tolist(), ""


def _knee(res: ParetoResult) -> dict[str, Any]:
    """summary.json's ``knee``: the front's knee point (its index, objectives and
    normalised distance) or why there is none; each front point gets its ``knee_distance``."""
    front = res.front
    good = [a["objectives"] for a in res.anchors if a["success"] and a["feasible"]]
    i, d, why = knee_point([p["objectives"] for p in front], good,
                           [o.sense for o in res.study.pareto_objectives])
    for p, dist in zip(front, d, strict=False):
        p["knee_distance"] = dist
    out: dict[str, Any] = {"point": None, "definition": KNEE_DEFINITION}
    if i is None:
        out["why_none"] = why
        return out
    out.update(point=front[i]["index"], objectives=front[i]["objectives"], distance=d[i])
    return out


@dataclass
class ParetoResult:
    """A Pareto run and its files."""

    out: Path
    study: Study
    labels: list[str]
    units: list[str | None]
    anchors: list[dict[str, Any]]
    points: list[dict[str, Any]]
    files: dict[str, Path] = field(default_factory=dict)
    elapsed: float = 0.0
    runner: str = ""
    #: the class the run judged every point as, the front points and anchors of
    #: another class, and the warning (:func:`_class_summary`)
    federal_class: dict[str, Any] = field(default_factory=dict)
    judged: Any = None   # the FederalClass every point was judged as
    #: the study's recorded and derived quantities besides the objectives: their units
    recorded_units: dict[str, str | None] = field(default_factory=dict)
    #: the base design evaluated, not optimized (:func:`_base_point`)
    base: dict[str, Any] = field(default_factory=dict)
    #: the knee of the front (:func:`knee_point`; ``point`` None when it has none)
    knee: dict[str, Any] = field(default_factory=dict)
    #: epsilon points and anchors read back from the store (``--resume``), not solved now
    n_recorded: int = 0
    n_recorded_anchors: int = 0
    #: notes of the summary (:func:`front_failures`)
    notes: list[str] = field(default_factory=list)

    @property
    def front(self) -> list[dict[str, Any]]:
        return [p for p in self.points if p.get("on_front")]


#: Fraction of each epsilon range the grid's best end stays short of the best anchor
#: value (:func:`_grid`).
BEST_END_BACKOFF = 5e-3


def no_anchor_text(study: Study, anchors: Sequence[Mapping[str, Any]],
                   what: str = "no anchor optimization converged to a feasible point") -> str:
    """The error when no anchor converged feasible: each anchor's status, and the remedy
    that fits it. It blamed infeasible constraints whatever happened (task s37i: a 2-
    objective front at ``driver.maxiter = 6`` stopped both anchors at the iteration
    limit, feasible, and was told 'the study's constraints may be infeasible')."""
    objs = study.pareto_objectives
    parts, unconverged, infeasible = [], False, False
    for a in sorted(anchors, key=lambda a: a.get("anchor", 0)):
        o = objs[a.get("anchor", 0)]
        label = f"{o.name or 'margin of ' + str(o.margin)} ({o.sense})"
        conv = "converged" if a.get("success") else "NOT converged"
        feas = "feasible" if a.get("feasible") else "INFEASIBLE"
        unconverged |= not a.get("success")
        infeasible |= not a.get("feasible")
        odd = [objs[k].name or str(objs[k].margin)
               for k, v in enumerate(a.get("objectives") or []) if not math.isfinite(v)]
        parts.append(f"{label}: {conv}, {feas}"
                     + (f", not finite: {', '.join(odd)}" if odd else ""))
    remedy = []
    if unconverged:
        remedy.append(f"raise driver.maxiter (now {study.driver['maxiter']}) for a run "
                      "that did not converge")
    if infeasible:
        remedy.append("the study's constraints may be infeasible in the bounds (`keidesign "
                      "sweep` maps them)")
    return (f"{study.path}: pareto: {what}: "
            + "; ".join(parts) + ("; " + "; ".join(remedy) if remedy else ""))


def _grid(study: Study, anchors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    objs = study.pareto_objectives
    n, pts = len(objs), study.pareto["points"]
    axes = []
    for k in range(1, n):
        # finite values only: a resumed run's anchors are read from the store (a file
        # in the results folder, which may have been edited: a NaN would be a bound)
        vals = [a["objectives"][k] for a in anchors if a["success"] and a["feasible"]
                and math.isfinite(a["objectives"][k])]
        if not vals:
            raise InputError(no_anchor_text(study, anchors))
        if len(vals) == 1 and not all(a["success"] and a["feasible"] for a in anchors):
            # one usable anchor: every epsilon bound would be its value and each point the
            # same optimization (task s37i: a 5-point front at driver.maxiter = 14 whose
            # mass anchor stopped at the limit solved that anchor's point 5 times and
            # reported '1 on the Pareto front, 4 dominated')
            raise InputError(no_anchor_text(
                study, anchors, f"only one anchor converged to a feasible point, so the "
                f"range of {objs[k].name or 'the margin of ' + str(objs[k].margin)} is its "
                "one value and every point of the front would be that anchor"))
        best = (max if objs[k].sense == "max" else min)(vals)
        worst = (min if objs[k].sense == "max" else max)(vals)
        # the best end backed off by BEST_END_BACKOFF of the range: at the anchor's own
        # optimum the epsilon constraint leaves the feasible set no interior, a degenerate
        # problem the gradient runs may not converge on (the anchor is that point anyway)
        top = best - (best - worst) * BEST_END_BACKOFF
        axes.append([worst + (top - worst) * i / (pts - 1) for i in range(pts)])
    grid = []
    if n == 2:
        rows = [[(e,) for e in axes[0]]]
    else:
        rows = []
        for r, e3 in enumerate(axes[1]):
            row = [(e2, e3) for e2 in axes[0]]
            rows.append(row if r % 2 == 0 else row[::-1])  # serpentine
    for r, row in enumerate(rows):
        for eps in row:
            grid.append({"index": len(grid), "row": r, "eps": list(eps),
                         "hash": _point_hash(len(grid))})
    return grid


def _ranges(anchors: Sequence[Mapping[str, Any]]) -> list[float] | None:
    """Each objective's range over the anchors that converged feasible (the payoff
    table), the normalisation of :func:`augmented_objective`; None without every anchor
    or with a non-finite value (the plain epsilon-constraint objective is used then)."""
    good = [a["objectives"] for a in anchors if a["success"] and a["feasible"]]
    if len(good) != len(anchors) or not all(math.isfinite(v) for a in good for v in a):
        return None
    return [max(col) - min(col) for col in zip(*good, strict=True)]


#: What a Pareto run that solved nothing records as its runner (every anchor and point
#: was recorded: no runner was made).
NO_RUNNER = "none (every point already recorded)"


def run_pareto(study: Study, out: str | Path, *,
               runner_factory: Callable[[int], Runner] | None = None,
               resume: bool = False, overwrite: bool = False,
               progress: bool = False) -> ParetoResult:
    """Run (or resume) the study's Pareto front into ``out``.

    ``out`` is created and locked for the run; the results of an earlier run there are an
    :class:`InputError` unless ``resume`` (continue them) or ``overwrite`` (delete them
    first). ``runner_factory(n_tasks)`` makes the runner (default in-process), closed at
    the end of the run, when the first anchor or row is left to solve: a resumed front
    whose anchors and points are all recorded makes none (it started a LocalCluster, or
    connected to a scheduler, before it found nothing to run, until task s34e).
    """
    require_pareto(study)
    with results_dir(out, command="pareto", overwrite=overwrite, resume=resume) as folder:
        return _run_pareto(study, folder, runner_factory=runner_factory, resume=resume,
                           progress=progress)


def _run_pareto(study: Study, out: Path, *, runner_factory: Callable[[int], Runner] | None,
                resume: bool, progress: bool) -> ParetoResult:
    from tqdm import tqdm

    t0 = time.perf_counter()
    objs = study.pareto_objectives
    n = len(objs)
    sp0 = build_study_problem(study, study.base, objectives=objs,  # name errors first
                              per_run_class=True)
    names = [objective_output(o, sp0.margins) for o in objs]
    units = [response_units(sp0, nm) for nm in names]
    rec_units = {r: response_units(sp0, r) for r in recorded_names(study, names)}
    factory = runner_factory or (lambda _n: SerialRunner())
    store = CaseStore(out / "cases.sqlite", study.fingerprint, resume=resume,
                      info={"study": study.name, "study_file": study.path, "kind": "pareto",
                            **{f"fingerprint:{k}": v
                               for k, v in study.fingerprint_parts.items()}})
    runs = out / "runs"
    n_grid = study.pareto["points"] ** (n - 1)
    known = {_anchor_hash(k) for k in range(n)} | {_point_hash(i) for i in range(n_grid)}
    check = partial(_row_problem, n, variables={v.name: (v.lower, v.upper)
                                                for v in study.continuous})
    try:
        _check_store_keys(store)
        runs.mkdir(mode=FOLDER_MODE, exist_ok=True)
        stored = {r["hash"]: r for r in store.rows(known=known, check=check)}
        # the anchors of an interrupted run are read back, never solved again: the grid
        # is made from them, so a resumed run has the interrupted run's grid exactly
        anchors = {k: _from_row(stored[_anchor_hash(k)]) | {"anchor": k}
                   for k in range(n) if _anchor_hash(k) in stored}
        n_read_anchors = len(anchors)
        with ExitStack() as stack:
            made: list[Runner] = []

            def runner() -> Runner:
                """The run's runner, made when something is left to solve: a resumed
                front whose anchors and points are all recorded starts none."""
                if not made:
                    made.append(stack.enter_context(factory(max(n, 2))))
                return made[0]

            missing = [(study, k) for k in range(n) if k not in anchors]
            for _, a in (runner().map_unordered(run_anchor, missing) if missing else ()):
                store.add([_stored_anchor(a)])
                anchors[a["anchor"]] = a
            anchor_list = [anchors[k] for k in range(n)]
            grid = _grid(study, anchor_list)
            prior = {p["hash"]: stored[p["hash"]] for p in grid if p["hash"] in stored}
            for p in grid:
                r = prior.get(p["hash"])
                if r is not None and r["inputs"].get("eps") != p["eps"]:
                    raise InputError(f"{store.path}: point {p['index']}: recorded with "
                                     f"epsilon bounds {show(r['inputs'].get('eps'))}, the "
                                     f"recorded anchors give {show(p['eps'])}; allowed: the "
                                     "store of one run of this study (was it edited?); run "
                                     "again with --overwrite")
            todo = [p for p in grid if p["hash"] not in prior]
            rows: dict[int, list[dict[str, Any]]] = {}
            for p in todo:
                rows.setdefault(p["row"], []).append(p)
            span = _ranges(anchor_list)
            tasks = [(study, r, pts, _row_start(grid, pts[0], prior, anchor_list[0]["x"]),
                      span) for r, pts in sorted(rows.items())]
            done = set(prior)
            with tqdm(total=len(grid), initial=len(grid) - len(todo), unit="point",
                      desc="pareto", disable=not progress) as bar:
                def record(p: Mapping[str, Any]) -> None:
                    # each point as it is solved: in-process from the row's run, on Dask
                    # from the worker's event (and again with its row: recorded once)
                    if p["hash"] in done:
                        return
                    store.add([_stored(p)])
                    done.add(p["hash"])
                    bar.update(1)

                def save(res: Mapping[str, Any], first: Mapping[str, Any]) -> None:
                    if not res["recording"]:
                        return
                    # a row resumed partway: its recording from that point on, beside
                    # the interrupted run's (which did not come back)
                    whole = first["index"] == min(p["index"] for p in grid
                                                  if p["row"] == res["row"])
                    name = (f"pareto_row_{res['row']:03d}.sql" if whole else
                            f"pareto_row_{res['row']:03d}_from_point_{first['index']}.sql")
                    replace_file(runs / name, res["recording"])

                if tasks:
                    stream = runner().map_streaming(run_row, tasks, record)
                    try:
                        for i, res in stream:
                            for p in res["points"]:
                                record(p)
                            save(res, tasks[i][2][0])
                    finally:  # hands over the points that arrived before an interrupt
                        stream.close()
            desc = getattr(made[0], "description", "") if made else NO_RUNNER
        recorded = {r["hash"]: r for r in store.rows(known=known, check=check)}
    finally:
        store.close()
    points = []
    for p in grid:
        r = recorded.get(p["hash"])
        if r is None:
            continue
        points.append({**p, **_from_row(r)})
    good = [p for p in points if p["success"] and p["feasible"]]
    flags = nondominated([p["objectives"] for p in good], [o.sense for o in objs])
    for p, keep in zip(good, flags, strict=True):
        p["on_front"] = keep
    res = ParetoResult(out, study, [o.label for o in objs], units, anchor_list, points,
                       runner=desc, judged=sp0.judged_class, recorded_units=rec_units,
                       base=_base_point(sp0, names, study), n_recorded=len(prior),
                       n_recorded_anchors=n_read_anchors)
    res.knee = _knee(res)
    res.federal_class = _class_summary(res)
    if (note := front_failures(study, res.front, {m.id for m in sp0.margins})):
        res.notes.append(note)
    _write(res, names)
    res.elapsed = time.perf_counter() - t0
    write_json(out / "summary.json", {
        "schema": "keidesign.pareto/1", "study": study.name, "study_file": study.path,
        "objectives": [{"label": o.label, "sense": o.sense, "units": u}
                       for o, u in zip(objs, units, strict=True)],
        "n_points": len(points), "n_front": len(res.front),
        "n_failed": sum(not (p["success"] and p["feasible"]) for p in points),
        "n_not_converged": sum(not p["success"] for p in points),
        "n_infeasible": sum(p["success"] and not p["feasible"] for p in points),
        "anchors": [{"objective": res.labels[a["anchor"]], "values": a["objectives"],
                     "success": a["success"], "feasible": a["feasible"]} for a in anchor_list],
        "base_design": {"values": res.base["objectives"], "feasible": res.base["feasible"],
                        "x": res.base["x"], "recorded": res.base["recorded"],
                        "class": res.base["class"]},
        "knee": res.knee,
        "front": [{"point": p["index"], "eps": p["eps"], "objectives": p["objectives"],
                   "x": p["x"], "knee": p["index"] == res.knee.get("point")}
                  for p in res.front],
        "federal_class": res.federal_class, "notes": res.notes,
        "runner": res.runner, "elapsed_s": res.elapsed,
        "files": {k: str(v) for k, v in res.files.items()}})
    res.files["summary"] = out / "summary.json"
    return res


def front_failures(study: Study, front: Sequence[Mapping[str, Any]],
                   held: set[str]) -> str:
    """A note naming the criteria of the study's rule packs that points of the front fail
    and no ``[[constraint]]`` of the study holds, with the points (empty when none): each
    front point's design (``pareto_designs/point_NNN.toml``) evaluated against the packs,
    as :func:`keidesign.studies.optimize.unconstrained_failures` does for an optimum. A
    2 x 2 front of study (c) held to ``fmvss208.*`` put thin-walled fronts on it that fail
    ``fmvss301.rear_crush_space`` (the rear takes the front's rails), with nothing said
    (new-user pass s36d)."""
    from keidesign.evaluation import evaluate_design
    from keidesign.studies.optimize import FAILED_LISTED

    free: dict[str, list[int]] = {}
    for p in front:
        ev = evaluate_design(study.base.replace(**p["x"]), study.packs)
        for cid in ev.summary()["failed"]:
            if cid not in held:
                free.setdefault(cid, []).append(p["index"])
    if not free:
        return ""
    worst = sorted(free.items(), key=lambda kv: -len(kv[1]))
    listed = [f"{cid} (point{'s' if len(ix) > 1 else ''} {', '.join(map(str, ix))})"
              for cid, ix in worst[:FAILED_LISTED]]
    more = len(worst) - FAILED_LISTED
    n_pts = len({i for ix in free.values() for i in ix})
    return (f"{n_pts} of the {len(front)} front points fail criteria of the study's rule "
            "packs that the study does not constrain (keidesign evaluate "
            f"{DESIGNS_DIR}/point_NNN.toml; add a [[constraint]] to hold them): "
            + ", ".join(listed) + (f" and {more} more" if more > 0 else ""))


#: What a Pareto run keys its rows of ``cases.sqlite`` by (``meta`` ``pareto_keys``):
#: each anchor by its objective's number, each epsilon point by its index in the grid,
#: the grid made from the recorded anchors. Before s31c a point was keyed by a hash of
#: its epsilon bounds and a resume solved the anchors again: an anchor landing a hair
#: differently moved every bound, and no recorded point matched its key.
STORE_KEYS = "anchor-number+grid-index/1"


def _anchor_hash(k: int) -> str:
    return case_hash({"pareto_anchor": k})


def _point_hash(i: int) -> str:
    return case_hash({"pareto_point": i})


def _check_store_keys(store: CaseStore) -> None:
    """A store of recorded points keyed otherwise (a run before s31c) is refused, with
    what to do; a new store is marked with :data:`STORE_KEYS`."""
    keys = store.meta().get("pareto_keys")
    if keys != STORE_KEYS and store.count():
        raise InputError(f"{store.path}: its points were recorded by an earlier keidesign "
                         f"(pareto_keys = {show(keys)}, keyed by their epsilon bounds, which "
                         "a resumed run cannot match); allowed: a store of pareto_keys = "
                         f"{show(STORE_KEYS)}; run again with --overwrite")
    store.set_meta("pareto_keys", STORE_KEYS)


def _from_row(r: Mapping[str, Any]) -> dict[str, Any]:
    """A recorded point or anchor (``cases.sqlite``) as :func:`_point` gives it."""
    o = r["outputs"]
    return {"objectives": o["objectives"], "x": o["x"], "recorded": o.get("recorded", {}),
            "success": o["success"], "feasible": o["feasible"], "n_evals": o["n_evals"],
            "class": o.get("class")}


def _stored_anchor(a: Mapping[str, Any]) -> dict[str, Any]:
    """A solved anchor as a row of ``cases.sqlite`` (before the points: negative seq)."""
    k = a["anchor"]
    return {"hash": _anchor_hash(k), "seq": -1 - k,
            "status": "ok" if a["success"] else "failed", "inputs": {"anchor": k},
            "outputs": _from_row({"outputs": a})}


def _class_summary(res: ParetoResult) -> dict[str, Any]:
    """The class the run judged every point as (``res.judged``: decided once, the base
    design's, ``build_study_problem(per_run_class=True)``:
    :mod:`keidesign.studies.runclass`), the front points and anchors whose own class
    differs (their indices; a point recorded before 6 Dec 2026 has no class) and the
    warning naming them."""
    judged = res.judged
    other = {p["index"]: p["class"] for p in res.front
             if p.get("class") and p["class"] != judged.key}
    anchors = {res.labels[a["anchor"]]: a["class"] for a in res.anchors
               if a.get("class") and a["class"] != judged.key}
    warning = ""
    if other or anchors:
        names = {k: CLASS_NAMES.get(k, k) for k in {*other.values(), *anchors.values()}}
        what = []
        if other:
            what.append(f"{len(other)} of {len(res.front)} front points (points "
                        f"{', '.join(map(str, sorted(other)))})")
        if anchors:
            what.append(f"the anchor(s) of {', '.join(anchors)}")
        got = ", ".join(f"'{k}' ({n})" for k, n in sorted(names.items()))
        warning = (f"federal class: {' and '.join(what)} are of class {got}, but the run "
                   f"judged every point as '{judged.key}' ({judged.name}; the base design's "
                   "class, decided once per run: the class is a step in top speed and GVWR "
                   "that the optimizer does not see), so their criteria restricted to a "
                   f"class were held as for '{judged.key}'. "
                   "Hold the class with a [class] table (require = \"passenger_car\" or "
                   "\"lsv\"), or run from a base design of their class")
    return {"judged": judged.key, "front_points_of_other_class": other,
            "anchors_of_other_class": anchors, "warning": warning}


def _row_start(grid: Sequence[Mapping[str, Any]], first: Mapping[str, Any],
               prior: Mapping[str, Mapping[str, Any]], anchor_x: Mapping[str, float]
               ) -> dict[str, float]:
    """Where a row's run starts: at the first anchor's design variables, or for a row
    resumed partway at the recorded solution of the point before ``first`` in that row
    (the point an uninterrupted run warm-starts it from)."""
    row = [p for p in grid if p["row"] == first["row"]]
    i = next(k for k, p in enumerate(row) if p["hash"] == first["hash"])
    before = prior.get(row[i - 1]["hash"]) if i > 0 else None
    return dict(before["outputs"]["x"] if before is not None else anchor_x)


def _stored(p: Mapping[str, Any]) -> dict[str, Any]:
    """A solved point as a row of ``cases.sqlite`` (keyed by its grid index)."""
    return {"hash": p["hash"], "seq": p["index"], "status": "ok" if p["success"] else "failed",
            "inputs": {"index": p["index"], "eps": p["eps"]},
            "outputs": _from_row({"outputs": p})}


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _row_problem(n_objectives: int, row: Mapping[str, Any],
                 variables: Mapping[str, tuple[float, float]] | None = None) -> str | None:
    """What is wrong with a recorded Pareto point (:meth:`CaseStore.rows`), or None: the
    outputs :func:`_run_pareto` writes, with the types it reads back.

    ``variables``: the study's continuous variables and their bounds; a point's ``x``
    must name exactly those, each a finite number within its bounds (x is the next point's
    start on ``--resume`` and the design of ``pareto_designs/``: a NaN, 1e308 or an unknown
    name was a traceback from the model or the study, s31e)."""
    if row["status"] not in ("ok", "failed"):
        return f"status = {show(row['status'])}: not 'ok' or 'failed'"
    o = row["outputs"]
    obj, x = o.get("objectives"), o.get("x")
    if not (isinstance(obj, list) and len(obj) == n_objectives and all(map(_number, obj))):
        return (f"outputs.objectives = {show(obj)}: not a list of {n_objectives} numbers")
    if not (isinstance(x, dict) and all(map(_number, x.values()))):
        return f"outputs.x = {show(x)}: not an object of numbers"
    if variables is not None:
        if set(x) != set(variables):
            odd = sorted(set(x) ^ set(variables))[0]
            return (f"outputs.x names {show(odd)}: not the study's continuous variables "
                    f"({show(', '.join(variables))})")
        for k, (lo, hi) in variables.items():
            tol = 1e-6 * (hi - lo)  # SLSQP may step a rounding error past a bound
            if not (math.isfinite(x[k]) and lo - tol <= x[k] <= hi + tol):
                return (f"outputs.x.{show(k)} = {show(x[k])}: not a number within the "
                        f"variable's bounds [{lo:g}, {hi:g}]")
    rec = o.get("recorded", {})
    if not (isinstance(rec, dict) and all(map(_number, rec.values()))):
        return f"outputs.recorded = {show(rec)}: not an object of numbers"
    for k in ("success", "feasible"):
        if not isinstance(o.get(k), bool):
            return f"outputs.{k} = {show(o.get(k))}: not true or false"
    if not (_number(o.get("n_evals")) and not isinstance(o.get("n_evals"), float)):
        return f"outputs.n_evals = {show(o.get('n_evals'))}: not an integer"
    if o.get("class") is not None and o["class"] not in CLASS_NAMES:
        return (f"outputs.class = {show(o['class'])}: not a federal class key "
                f"({', '.join(CLASS_NAMES)}) or null")
    # a point (or anchor) that converged feasible is on the front or dominated by it and
    # spans the knee's line: its objectives are finite (an edited store's NaN was a front
    # point of NaN, its inf a point dominating the whole front and a RuntimeWarning from
    # the knee, exit 0, s32g); a failed one's may be NaN (a model that did not evaluate)
    good = o["success"] and o["feasible"]
    for i, v in enumerate(obj):
        if not (math.isfinite(v) or (math.isnan(v) and not good)):
            return (f"outputs.objectives[{i}] = {show(v)}: not a finite number"
                    + (" (the point converged feasible)" if good and math.isnan(v) else ""))
    return None


def point_status(p: Mapping[str, Any]) -> str:
    """What became of an epsilon point (``pareto.csv`` ``status``): ``front``,
    ``dominated``, ``infeasible`` (the optimizer converged to a point that violates a
    constraint), ``not converged`` or ``not converged, infeasible``."""
    if not p["success"]:
        return "not converged" if p["feasible"] else "not converged, infeasible"
    if not p["feasible"]:
        return "infeasible"
    return "front" if p.get("on_front") else "dominated"


def _write(res: ParetoResult, names: Sequence[str]) -> None:
    study, out = res.study, res.out
    # a design variable that is also an objective has its column once, the objective's
    # (twice before s31c: two columns of one name, 'name.1' in a data frame)
    cont = [v.name for v in study.continuous if v.name not in names]

    def head(i: int) -> str:
        return column(res.labels[i], res.units[i])

    n = len(res.labels)
    # every quantity with its units, [-] for a dimensionless one (bare before s31c)
    cont_heads = [column(c, study.variable(c).units) for c in cont]
    rec = list(res.recorded_units)
    rec_heads = [column(r, u) for r, u in res.recorded_units.items()]
    knee = res.knee.get("point")
    header = (["point", "row"] + [f"eps {head(k)}" for k in range(1, n)]
              + [head(i) for i in range(n)] + cont_heads + rec_heads
              + ["success", "feasible", "on_front", "status", "knee", column("knee_distance", None),
                 column("n_evals", None), "federal_class"])
    # success: the optimizer converged; feasible: the study's constraints hold; status:
    # point_status; knee: the front's knee (KNEE_DEFINITION), knee_distance: each front
    # point's normalised distance beyond the anchors' line (knee_point); federal_class:
    # the point's own class (top speed, GVWR, body), which the run judged as
    # ``res.judged`` (summary.json ``federal_class`` names the points that differ)
    rows = [[p["index"], p["row"]] + p["eps"] + p["objectives"] + [p["x"].get(c) for c in cont]
            + [p.get("recorded", {}).get(r) for r in rec]
            + [p["success"], p["feasible"], bool(p.get("on_front")), point_status(p),
               knee is not None and p["index"] == knee, p.get("knee_distance"),
               p["n_evals"], p.get("class")]
            for p in res.points]
    res.files["pareto_csv"] = write_csv(out / "pareto.csv", header, rows)
    res.files["front_csv"] = write_csv(out / "pareto_front.csv", header,
                                       [r for r, p in zip(rows, res.points, strict=True)
                                        if p.get("on_front")])
    # the anchors, then the base design as evaluated (not optimized: no success, no
    # n_evals), the two references a front is read against
    b = res.base
    res.files["anchors_csv"] = write_csv(
        out / "anchors.csv", ["optimized"] + [head(i) for i in range(n)] + cont_heads
        + rec_heads + ["success", "feasible", "federal_class"],
        [[res.labels[a["anchor"]]] + a["objectives"] + [a["x"].get(c) for c in cont]
         + [a.get("recorded", {}).get(r) for r in rec]
         + [a["success"], a["feasible"], a.get("class")] for a in res.anchors]
        + ([[BASE_ROW] + b["objectives"] + [b["x"].get(c) for c in cont]
            + [b["recorded"].get(r) for r in rec] + [None, b["feasible"], b["class"]]]
           if b else []))
    res.files["pareto_png"] = _plot(res, out / "pareto.png")
    res.files["designs"] = _write_designs(res)


#: The ``optimized`` cell of the base design's row in ``anchors.csv``.
BASE_ROW = "base design (evaluated)"


#: Folder of a Pareto run's design files: one per front point and per anchor.
DESIGNS_DIR = "pareto_designs"


def _write_designs(res: ParetoResult) -> Path:
    """``pareto_designs/point_NNN.toml`` for each point of the front and
    ``anchor_K.toml`` for each anchor that converged feasible: the base design with the
    point's design variables, a design file that ``keidesign evaluate`` reads (no point of
    a front could be evaluated before s30i but by writing its file by hand). Files of an
    earlier run there (a resumed front can differ) are replaced."""
    from keidesign.studies.outputs import design_toml

    study = res.study
    folder = res.out / DESIGNS_DIR
    folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
    for old in [*folder.glob("point_*.toml"), *folder.glob("anchor_*.toml")]:
        old.unlink()

    def write(stem: str, what: str, values: Sequence[float], x: Mapping[str, float]) -> None:
        design = study.base.replace(**x)
        design = design.replace(**{"design:name": f"{study.base.name} - {what}"[:200],
                                   "design:source": f"keidesign pareto {study.path}"})
        objs = "; ".join(f"{lab} = {v:.6g}{f' {u}' if u and u != 'unitless' else ''}"
                         for lab, v, u in zip(res.labels, values, res.units, strict=True))
        header = [f"{what[:1].upper()}{what[1:]} of study {study.name!r} ({study.path}),",
                  f"from base design {study.design_path}; written by keidesign pareto.",
                  f"objectives: {objs}"]
        replace_file(folder / f"{stem}.toml", design_toml(design, header))

    for p in res.front:
        write(f"point_{p['index']:03d}", f"Pareto point {p['index']}", p["objectives"], p["x"])
    for a in res.anchors:
        if a["success"] and a["feasible"]:
            write(f"anchor_{a['anchor']}", f"anchor {res.labels[a['anchor']]} alone",
                  a["objectives"], a["x"])
    return folder


@literal_text
def _plot(res: ParetoResult, path: Path) -> Path:
    """``pareto.png``: the second objective (x) against the first (y), the third as colour;
    the front, dominated, infeasible and not-converged points each as such, the anchors
    (a failed one grey), the line through the anchors (two objectives), the knee and the
    base design as evaluated (neither marked before s31c)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 5.4), dpi=110)
    status = {p["index"]: point_status(p) for p in res.points}
    front = res.front
    n = len(res.labels)

    def xy(ps):
        return [p["objectives"][1] for p in ps], [p["objectives"][0] for p in ps]

    def some(*what):
        return [p for p in res.points if status[p["index"]] in what]

    if (pts := some("not converged", "not converged, infeasible")):
        ax.scatter(*xy(pts), marker="x", c="0.55", label="not converged (dropped)")
    if (pts := some("infeasible")):
        ax.scatter(*xy(pts), marker="v", facecolors="none", edgecolors="tab:red",
                   label="infeasible (dropped)")
    if (pts := some("dominated")):
        ax.scatter(*xy(pts), marker="o", facecolors="none", edgecolors="0.5",
                   label="dominated")
    ok = [a for a in res.anchors if a["success"] and a["feasible"]]
    if n == 2 and len(ok) == 2:   # the line the knee is measured from
        ax.plot(*xy(ok), ls="--", lw=0.8, c="0.6", zorder=1, label="line through the anchors")
    if front:
        # colour by the third objective; two objectives: one colour (no colormap, which
        # matplotlib warns about without values)
        colour = ({"c": [p["objectives"][2] for p in front], "cmap": "viridis"} if n == 3
                  else {"c": "C0"})
        sc = ax.scatter(*xy(front), s=40, label="Pareto front", edgecolors="k", zorder=3,
                        **colour)
        if n == 3:
            cb = fig.colorbar(sc, ax=ax)
            cb.set_label(_axis(res, 2))
    for i, a in enumerate(ok):
        ax.scatter([a["objectives"][1]], [a["objectives"][0]], marker="*", s=140, c="r",
                   zorder=4, label="anchor (one objective alone)" if i == 0 else None)
    for i, a in enumerate(x for x in res.anchors if x not in ok):
        ax.scatter([a["objectives"][1]], [a["objectives"][0]], marker="*", s=140, c="0.7",
                   zorder=4, label="anchor, failed or infeasible" if i == 0 else None)
    knee = next((p for p in front if p["index"] == res.knee.get("point")), None)
    if knee is not None:
        ax.scatter([knee["objectives"][1]], [knee["objectives"][0]], s=260,
                   facecolors="none", edgecolors="tab:orange", linewidths=2.2, zorder=5,
                   label=f"knee (point {knee['index']}: farthest beyond the anchors' line)")
    if res.base:
        b = res.base
        ax.scatter([b["objectives"][1]], [b["objectives"][0]], marker="D", s=70,
                   c="k" if b["feasible"] else "w", edgecolors="k", zorder=5,
                   label="base design, evaluated ("
                   + ("feasible" if b["feasible"] else "infeasible") + ")")
    ax.set_xlabel(_axis(res, 1))
    ax.set_ylabel(_axis(res, 0))
    ax.set_title(res.study.name, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7.5)
    fig.tight_layout()
    save_figure(fig, path)
    plt.close(fig)
    return path


def _axis(res: ParetoResult, i: int) -> str:
    return f"{column(res.labels[i], res.units[i])} ({res.study.pareto_objectives[i].sense})"


def format_pareto(res: ParetoResult) -> str:
    """The terminal summary: counts (not converged and infeasible apart), the front with
    its knee marked, the anchors and the base design as evaluated."""
    count = {k: sum(point_status(p) == k for p in res.points)
             for k in ("not converged", "not converged, infeasible", "infeasible",
                       "dominated")}
    where = ("every point already recorded: nothing to run, no runner started"
             if res.runner == NO_RUNNER else f"on {res.runner or 'serial'}")
    # what a --resume read back (the sweep's summary says it too; s36d: a resumed front
    # said nothing of the points and anchors it had not solved)
    read = (f" ({len(res.points) - res.n_recorded} solved now, {res.n_recorded} already "
            "recorded" + (f"; {res.n_recorded_anchors} of {len(res.anchors)} anchors read "
                          "back" if res.n_recorded_anchors else "") + ")")
    lines = [f"{res.study.name}: {len(res.points)} epsilon points{read} {where}"
             f", {len(res.front)} on the Pareto front, {count['dominated']} dominated "
             f"({count['not converged'] + count['not converged, infeasible']} not converged, "
             f"{count['infeasible']} converged infeasible: dropped), {res.elapsed:.1f} s"]
    head = "  " + " | ".join(column(lab, u) for lab, u in zip(res.labels, res.units,
                                                             strict=True))
    lines.append(head)

    def vals(v: Sequence[float]) -> str:
        return " | ".join(f"{x:.5g}" for x in v)

    knee = res.knee.get("point")
    for p in sorted(res.front, key=lambda p: p["objectives"][1]):
        # how far: a nearly straight front's knee (0.004) is no bend like study (f)'s
        mark = (f"   <- knee ({res.knee['distance']:.2g} beyond the anchors' line, in units "
                "of their range)") if p["index"] == knee else ""
        lines.append(f"  {vals(p['objectives'])}{mark}")
    for a in res.anchors:
        ok = "" if a["success"] and a["feasible"] else (
            "  (not converged)" if not a["success"] else "  (infeasible)")
        lines.append(f"  anchor, {res.labels[a['anchor']]} alone: {vals(a['objectives'])}{ok}")
    if res.base:
        lines.append(f"  base design (evaluated): {vals(res.base['objectives'])}  ("
                     + ("feasible" if res.base["feasible"] else "infeasible") + ")")
    if knee is None and res.knee.get("why_none"):
        lines.append(f"  no knee: {res.knee['why_none']}")
    if (warn := res.federal_class.get("warning")):
        lines.append(f"  WARNING: {warn}")
    lines += [f"  note: {n}" for n in res.notes]
    return "\n".join(lines)
