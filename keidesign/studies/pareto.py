"""Pareto fronts by the epsilon-constraint method.

With objectives f_1 (the one optimized) and f_2, f_3 (held by constraints)::

    optimize f_1(x)   subject to   f_k(x) >= eps_k  (f_k maximized)
                                   f_k(x) <= eps_k  (f_k minimized),   k = 2, 3,
                                   and the study's constraints.

1. *Anchors*: each objective optimized alone (same constraints) gives the payoff table;
   the range of each eps_k runs from its worst value over the anchors to its best (the
   anchor of f_k itself).
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
   serpentine order so neighbours stay close). Each row's iterations are recorded with a
   ``SqliteRecorder`` (``runs/pareto_row_<k>.sql``).
4. *Front*: points whose run did not succeed or that violate a constraint are dropped,
   then the dominated ones.

Work: ``n`` anchors plus ``points**(n - 1)`` epsilon points, each an optimization
(:func:`run_count`, counted from the settings alone); ``keidesign pareto`` refuses more
than :data:`MAX_RUNS` optimizations (``--max-cases N`` raises the limit) before any runs.
The default (1,000) is that of ``optimize``'s starts: an epsilon point costs about one
start (e.g. ``points = 31`` with three objectives, 964 runs, is allowed; ``points = 32``,
1,027 runs, needs ``--max-cases``).

Every finished point is recorded in ``cases.sqlite``: in-process as soon as it is solved,
on Dask when its row comes back; an interrupted run continues with ``--resume`` (the
anchors run again; a row resumed partway starts from its last recorded point's solution,
where an uninterrupted run warm-starts the next point; before s30i a point was recorded
only with its whole row, so a two-objective front, one row, kept nothing of a Ctrl-C).
The results folder is created and locked for the run
(:func:`~keidesign.studies.resultsdir.results_dir`); the results of an earlier run there
are refused unless ``resume`` or ``overwrite``. Files: ``pareto.csv`` (every point, with
``success``, ``feasible``, ``dominated``), ``pareto_front.csv``, ``anchors.csv``,
``pareto.png``, ``summary.json``.
"""

from __future__ import annotations

import math
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from keidesign.errors import InputError, show
from keidesign.plaintext import literal_text
from keidesign.studies.optimize import _quiet, _violation, configure
from keidesign.studies.outputs import write_csv, write_json
from keidesign.studies.problem import (
    build_study_problem,
    finish_setup,
    objective_output,
    response_units,
    response_value,
)
from keidesign.studies.resultsdir import results_dir
from keidesign.studies.runclass import CLASS_NAMES, solved_class
from keidesign.studies.runner import Runner, SerialRunner
from keidesign.studies.spec import Study
from keidesign.studies.store import CaseStore, case_hash

__all__ = ["MAX_RUNS", "ParetoResult", "format_pareto", "nondominated", "require_pareto",
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


def _problem(study: Study, primary: int, eps: Sequence[int], record: Path | None):
    objs = study.pareto_objectives
    sp = build_study_problem(study, study.base, objectives=objs, per_run_class=True)
    configure(sp, study, objs[primary])
    names = [objective_output(o, sp.margins) for o in objs]
    for k in eps:
        o = objs[k]
        if names[k] in sp.constraint_keys:  # already a study constraint: its bound moves
            continue
        m = next((m for m in sp.margins if m.output == names[k]), None)
        ref = o.ref or (m.ref if m is not None else max(abs(sp.info.values.get(names[k], 1.0)),
                                                        1e-6))
        bound = {"lower": -1e30} if o.sense == "max" else {"upper": 1e30}
        sp.prob.model.add_constraint(names[k], ref=ref, **bound)
    if record is not None:
        from keidesign.studies.optimize import _add_recorder

        _add_recorder(sp.prob, record, study)
    finish_setup(sp)
    return sp, names


def recorded_names(study: Study, names: Sequence[str]) -> list[str]:
    """The study's ``record`` and derived quantities a Pareto point reports besides its
    objectives ``names`` (columns of ``pareto.csv``)."""
    return [n for n in dict.fromkeys([*study.record, *(d.name for d in study.derived)])
            if n not in names]


def _point(sp, names: Sequence[str], res: Any, study: Study) -> dict[str, Any]:
    x = {v.name: float(sp.prob.get_val(v.name, units=v.units).item()) for v in study.continuous}
    vals = [response_value(sp, n) for n in names]
    fc = solved_class(sp.prob, study.base, x)   # the point's own federal class
    rec = {n: response_value(sp, n) for n in recorded_names(study, names)}
    return {"success": bool(res.success), "feasible": _violation(sp) <= 1e-6,
            "objectives": vals, "x": x, "recorded": rec, "n_evals": int(res.model_evals),
            "class": fc.key if fc is not None else None}


def run_anchor(study: Study, k: int) -> dict[str, Any]:
    """Objective ``k`` optimized alone (a task)."""
    notes: list[str] = []
    with _quiet(notes):
        sp, names = _problem(study, k, [], None)
        for nm, val in study.start_values().items():
            sp.prob.set_val(nm, val, units=study.variable(nm).units)
        res = sp.prob.run_driver()
    out = _point(sp, names, res, study)
    out["anchor"] = k
    sp.prob.cleanup()
    return out


def run_row(study: Study, row: int, points: Sequence[Mapping[str, Any]],
            start: Mapping[str, float],
            sink: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """One row of the epsilon grid, warm-started point to point (a task); with ``sink``
    (in-process runs) each point is also handed to it as soon as it is solved."""
    n = len(study.pareto_objectives)
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="keidesign-pareto-") as tmp:
        rec = Path(tmp) / "row.sql"
        with _quiet(notes):
            sp, names = _problem(study, 0, list(range(1, n)), rec)
            for nm, val in start.items():
                sp.prob.set_val(nm, val, units=study.variable(nm).units)
            out = []
            for p in points:
                for k, e in enumerate(p["eps"], start=1):
                    o, m = study.pareto_objectives[k], sp.constraint_keys.get(names[k])
                    if m is not None:  # the study's own margin constraint, tightened
                        sp.prob.model.set_constraint_options(names[k], ref=m.ref,
                                                             lower=max(m.min_margin, e))
                    elif o.sense == "max":
                        sp.prob.model.set_constraint_options(names[k], lower=e)
                    else:
                        sp.prob.model.set_constraint_options(names[k], upper=e)
                res = sp.prob.run_driver(case_prefix=f"point_{p['index']}")
                out.append({**p, **_point(sp, names, res, study)})
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

    @property
    def front(self) -> list[dict[str, Any]]:
        return [p for p in self.points if p.get("on_front")]


#: Fraction of each epsilon range the grid's best end stays short of the best anchor
#: value (:func:`_grid`).
BEST_END_BACKOFF = 5e-3


def _grid(study: Study, anchors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    objs = study.pareto_objectives
    n, pts = len(objs), study.pareto["points"]
    axes = []
    for k in range(1, n):
        vals = [a["objectives"][k] for a in anchors if a["success"] and a["feasible"]]
        if not vals:
            raise InputError(f"{study.path}: pareto: no anchor optimization succeeded; the "
                             "study's constraints may be infeasible in the bounds")
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
                         "hash": case_hash({f"eps{k}": e for k, e in enumerate(eps, 1)})})
    return grid


def run_pareto(study: Study, out: str | Path, *,
               runner_factory: Callable[[int], Runner] | None = None,
               resume: bool = False, overwrite: bool = False,
               progress: bool = False) -> ParetoResult:
    """Run (or resume) the study's Pareto front into ``out``.

    ``out`` is created and locked for the run; the results of an earlier run there are an
    :class:`InputError` unless ``resume`` (continue them) or ``overwrite`` (delete them
    first).
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
    factory = runner_factory or (lambda _n: SerialRunner())
    store = CaseStore(out / "cases.sqlite", study.fingerprint, resume=resume,
                      info={"study": study.name, "study_file": study.path, "kind": "pareto"})
    runs = out / "runs"
    runs.mkdir(exist_ok=True)
    check = partial(_row_problem, n, variables={v.name: (v.lower, v.upper)
                                                for v in study.continuous})
    try:
        with factory(max(n, 2)) as runner:
            desc = getattr(runner, "description", "")
            anchors = [r for _, r in sorted(runner.map_unordered(
                run_anchor, [(study, k) for k in range(n)]), key=lambda t: t[0])]
            grid = _grid(study, anchors)
            prior = {r["hash"]: r for r in store.rows(
                known={p["hash"] for p in grid}, check=check)}
            todo = [p for p in grid if p["hash"] not in prior]
            rows: dict[int, list[dict[str, Any]]] = {}
            for p in todo:
                rows.setdefault(p["row"], []).append(p)
            tasks = [(study, r, pts, _row_start(grid, pts[0], prior, anchors[0]["x"]))
                     for r, pts in sorted(rows.items())]
            with tqdm(total=len(grid), initial=len(grid) - len(todo), unit="point",
                      desc="pareto", disable=not progress) as bar:
                def record(points: Sequence[Mapping[str, Any]]) -> None:
                    store.add([_stored(p) for p in points])
                    bar.update(len(points))

                def save(res: Mapping[str, Any], first: Mapping[str, Any]) -> None:
                    if not res["recording"]:
                        return
                    # a row resumed partway: its recording from that point on, beside
                    # the interrupted run's (which did not come back)
                    whole = first["index"] == min(p["index"] for p in grid
                                                  if p["row"] == res["row"])
                    name = (f"pareto_row_{res['row']:03d}.sql" if whole else
                            f"pareto_row_{res['row']:03d}_from_point_{first['index']}.sql")
                    (runs / name).write_bytes(res["recording"])

                if isinstance(runner, SerialRunner):  # each point recorded when solved
                    for task in tasks:
                        save(run_row(*task, sink=lambda p: record([p])), task[2][0])
                else:                                  # a row's points when it comes back
                    for i, res in runner.map_unordered(run_row, tasks):
                        save(res, tasks[i][2][0])
                        record(res["points"])
        recorded = {r["hash"]: r for r in store.rows(
            known={p["hash"] for p in grid}, check=check)}
    finally:
        store.close()
    points = []
    for p in grid:
        r = recorded.get(p["hash"])
        if r is None:
            continue
        o = r["outputs"]
        points.append({**p, "objectives": o["objectives"], "x": o["x"],
                       "recorded": o.get("recorded", {}), "success": o["success"],
                       "feasible": o["feasible"], "n_evals": o["n_evals"],
                       "class": o.get("class")})
    good = [p for p in points if p["success"] and p["feasible"]]
    flags = nondominated([p["objectives"] for p in good], [o.sense for o in objs])
    for p, keep in zip(good, flags, strict=True):
        p["on_front"] = keep
    rec_units = {n: response_units(sp0, n) for n in recorded_names(study, names)}
    res = ParetoResult(out, study, [o.label for o in objs], units, anchors, points,
                       runner=desc, judged=sp0.judged_class, recorded_units=rec_units)
    res.federal_class = _class_summary(res)
    _write(res, names)
    res.elapsed = time.perf_counter() - t0
    write_json(out / "summary.json", {
        "schema": "keidesign.pareto/1", "study": study.name, "study_file": study.path,
        "objectives": [{"label": o.label, "sense": o.sense, "units": u}
                       for o, u in zip(objs, units, strict=True)],
        "n_points": len(points), "n_front": len(res.front),
        "n_failed": sum(not (p["success"] and p["feasible"]) for p in points),
        "anchors": [{"objective": res.labels[a["anchor"]], "values": a["objectives"],
                     "success": a["success"], "feasible": a["feasible"]} for a in anchors],
        "front": [{"eps": p["eps"], "objectives": p["objectives"], "x": p["x"]}
                  for p in res.front],
        "federal_class": res.federal_class,
        "runner": res.runner, "elapsed_s": res.elapsed,
        "files": {k: str(v) for k, v in res.files.items()}})
    res.files["summary"] = out / "summary.json"
    return res


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
    """A solved point as a row of ``cases.sqlite``."""
    return {"hash": p["hash"], "seq": p["index"], "status": "ok" if p["success"] else "failed",
            "inputs": {"eps": p["eps"]},
            "outputs": {"objectives": p["objectives"], "x": p["x"], "recorded": p["recorded"],
                        "success": p["success"], "feasible": p["feasible"],
                        "n_evals": p["n_evals"], "class": p["class"]}}


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
    return None


def _write(res: ParetoResult, names: Sequence[str]) -> None:
    study, out = res.study, res.out
    cont = [v.name for v in study.continuous]

    def head(i: int) -> str:
        u = res.units[i]
        return f"{res.labels[i]} [{u}]" if u and u != "unitless" else res.labels[i]

    def var_head(name: str) -> str:  # as cases.csv of a sweep: units in the header
        u = study.variable(name).units
        return f"{name} [{u}]" if u and u != "unitless" else name

    n = len(res.labels)
    cont_heads = [var_head(c) for c in cont]
    rec = list(res.recorded_units)
    rec_heads = [f"{r} [{u}]" if u and u != "unitless" else r
                 for r, u in res.recorded_units.items()]
    header = (["point", "row"] + [f"eps {head(k)}" for k in range(1, n)]
              + [head(i) for i in range(n)] + cont_heads + rec_heads
              + ["success", "feasible", "on_front", "n_evals", "federal_class"])
    # federal_class: the point's own class (top speed, GVWR, body), which the run judged
    # as ``res.judged`` (summary.json ``federal_class`` names the points that differ)
    rows = [[p["index"], p["row"]] + p["eps"] + p["objectives"] + [p["x"].get(c) for c in cont]
            + [p.get("recorded", {}).get(r) for r in rec]
            + [p["success"], p["feasible"], bool(p.get("on_front")), p["n_evals"],
               p.get("class")]
            for p in res.points]
    res.files["pareto_csv"] = write_csv(out / "pareto.csv", header, rows)
    res.files["front_csv"] = write_csv(out / "pareto_front.csv", header,
                                       [r for r, p in zip(rows, res.points, strict=True)
                                        if p.get("on_front")])
    res.files["anchors_csv"] = write_csv(
        out / "anchors.csv", ["optimized"] + [head(i) for i in range(n)] + cont_heads
        + rec_heads + ["success", "feasible", "federal_class"],
        [[res.labels[a["anchor"]]] + a["objectives"] + [a["x"].get(c) for c in cont]
         + [a.get("recorded", {}).get(r) for r in rec]
         + [a["success"], a["feasible"], a.get("class")] for a in res.anchors])
    res.files["pareto_png"] = _plot(res, out / "pareto.png")
    res.files["designs"] = _write_designs(res)


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
    folder.mkdir(exist_ok=True)
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
        (folder / f"{stem}.toml").write_text(design_toml(design, header), encoding="utf-8")

    for p in res.front:
        write(f"point_{p['index']:03d}", f"Pareto point {p['index']}", p["objectives"], p["x"])
    for a in res.anchors:
        if a["success"] and a["feasible"]:
            write(f"anchor_{a['anchor']}", f"anchor {res.labels[a['anchor']]} alone",
                  a["objectives"], a["x"])
    return folder


@literal_text
def _plot(res: ParetoResult, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 5), dpi=110)
    bad = [p for p in res.points if not (p["success"] and p["feasible"])]
    dom = [p for p in res.points if p["success"] and p["feasible"] and not p.get("on_front")]
    front = res.front
    n = len(res.labels)

    def xy(ps):
        return [p["objectives"][1] for p in ps], [p["objectives"][0] for p in ps]

    if bad:
        ax.scatter(*xy(bad), marker="x", c="0.7", label="failed / infeasible")
    if dom:
        ax.scatter(*xy(dom), marker="o", facecolors="none", edgecolors="0.5",
                   label="dominated")
    if front:
        # colour by the third objective; two objectives: one colour (no colormap, which
        # matplotlib warns about without values)
        colour = ({"c": [p["objectives"][2] for p in front], "cmap": "viridis"} if n == 3
                  else {"c": "C0"})
        sc = ax.scatter(*xy(front), s=40, label="Pareto front", edgecolors="k", **colour)
        if n == 3:
            cb = fig.colorbar(sc, ax=ax)
            cb.set_label(_axis(res, 2))
    for i, a in enumerate(res.anchors):
        ax.scatter([a["objectives"][1]], [a["objectives"][0]], marker="*", s=120, c="r",
                   label="anchor (one objective alone)" if i == 0 else None)
    ax.set_xlabel(_axis(res, 1))
    ax.set_ylabel(_axis(res, 0))
    ax.set_title(res.study.name, fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _axis(res: ParetoResult, i: int) -> str:
    u = res.units[i]
    sense = res.study.pareto_objectives[i].sense
    return f"{res.labels[i]} [{u}] ({sense})" if u and u != "unitless" else \
        f"{res.labels[i]} ({sense})"


def format_pareto(res: ParetoResult) -> str:
    lines = [f"{res.study.name}: {len(res.points)} epsilon points on {res.runner or 'serial'}"
             f", {len(res.front)} on the Pareto front "
             f"({sum(not (p['success'] and p['feasible']) for p in res.points)} failed or "
             f"infeasible, dropped), {res.elapsed:.1f} s"]
    head = "  " + " | ".join(f"{lab} [{u or '-'}]" for lab, u in zip(res.labels, res.units,
                                                                      strict=True))
    lines.append(head)
    for p in sorted(res.front, key=lambda p: p["objectives"][1]):
        lines.append("  " + " | ".join(f"{v:.5g}" for v in p["objectives"]))
    if (warn := res.federal_class.get("warning")):
        lines.append(f"  WARNING: {warn}")
    return "\n".join(lines)
