"""Sweeps: designs of experiments and feasibility maps, recorded and resumable.

Cases (:func:`generate_cases`), in a fixed order that depends only on the study:

* ``fullfact``: every combination of ``levels`` evenly spaced values of each continuous
  variable (bounds included);
* ``lhs``: ``samples`` points of a Latin hypercube (``scipy.stats.qmc.LatinHypercube``,
  seeded) scaled to the bounds;
* ``map = [x, y]``: a ``levels`` x ``levels`` grid of the two variables, the others at
  their start values (a feasibility map);

each repeated for every combination of the discrete variables. A case's identity is a
hash of its input values (:func:`keidesign.studies.store.case_hash`).

Evaluation is batched: the cases are cut into chunks of ``sweep.chunk`` cases of one
discrete combination; a worker sets up the study problem of that combination once and
evaluates the chunk on it. By default the problem is the case-vectorized model
(:mod:`keidesign.batch`, :class:`~keidesign.studies.problem.BatchEvaluator`): one run
evaluates the whole chunk. ``sweep.batch = false`` and sweeps that export STEP run one
case per model run (:class:`~keidesign.studies.problem.CaseEvaluator`). Each case is
recorded in the :class:`~keidesign.studies.store.CaseStore` when it arrives: in-process
(``--serial``) every case is committed as soon as its run finishes (a batched run
finishes its chunk's cases together), on Dask every chunk when it comes back.
``--resume`` skips every recorded case. Sweeps use the regulation's footprint rounding
(0.1 ft^2), like ``keidesign evaluate``.

Limits: :func:`case_count` counts the cases with Python integers from the study's
settings alone (no case list, no allocation), so ``keidesign sweep`` refuses a sweep of
more than :data:`MAX_CASES` cases (``--max-cases N`` raises the limit) before any case is
generated.

Per case, the margins of the study's constraints say whether it is feasible and which
constraint *binds*: the one with the smallest margin relative to its scale (``ref``):
the most violated one where the case is infeasible.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from keidesign import variables as reg
from keidesign.errors import InputError, show
from keidesign.studies.outputs import (
    column,
    design_toml,
    discrete_column,
    save_step_files,
    step_files,
    write_csv,
    write_json,
)
from keidesign.studies.problem import (
    BatchEvaluator,
    CaseEvaluator,
    MarginSpec,
    applies,
    build_study_problem,
    case_class,
)
from keidesign.studies.resultsdir import FOLDER_MODE, results_dir
from keidesign.studies.runner import Runner, SerialRunner
from keidesign.studies.spec import Study, restraint_hint
from keidesign.studies.store import MAX_FIELD, CaseStore, case_hash, recorded_count

__all__ = ["MAX_CASES", "MAX_COMBINATIONS", "MAX_STEP_CASES", "SweepResult", "case_count",
           "case_count_formula", "classify", "combination_count", "count_text",
           "evaluate_chunk", "generate_cases", "run_sweep", "task_count"]

#: Default limit of ``keidesign sweep`` on the number of cases (``--max-cases``).
MAX_CASES = 200_000
#: Default limit of ``keidesign sweep`` on the discrete combinations (``--max-cases``
#: raises it too): each is a model set up (~1.3 s on a loaded machine) before its first
#: case, so 100,000 discrete values of 2 cases each (200,000 cases, within
#: :data:`MAX_CASES`) asked for ~36 hours of set-ups (s28d).
MAX_COMBINATIONS = 1_000
#: Default limit of ``keidesign sweep`` on the cases of a sweep with ``sweep.step = true``
#: (``--max-cases`` raises it too): each writes a STEP file and its sidecar (the CAD
#: body built for every case: 14.9 s and 0.83 MB for the Carry class on a loaded 2-core
#: machine, audit s39c), so the 200,000 cases of :data:`MAX_CASES` asked for ~35 days and
#: ~170 GB of disk; 1,000 are ~4 hours and ~0.8 GB.
MAX_STEP_CASES = 1_000


# --------------------------------------------------------------------------- cases


def _grid(study: Study, names: Sequence[str], levels: Mapping[str, int]) -> list[dict]:
    axes = []
    for n in names:
        v = study.variable(n)
        axes.append([float(x) for x in np.linspace(v.lower, v.upper, levels[n])])
    return [dict(zip(names, pt, strict=True)) for pt in itertools.product(*axes)]


def combination_count(study: Study) -> int:
    """Number of combinations of the discrete variables' values (that of
    ``study.discrete_combinations()``, without making them)."""
    return math.prod(len(v.values or ()) for v in study.discrete)


def _points_count(study: Study) -> int:
    """Cases per discrete combination."""
    sw = study.sweep
    if sw is None:
        raise ValueError("the study has no [sweep] table")
    if sw["map"]:
        x, y = sw["map"]
        return sw["levels"][x] * sw["levels"][y]
    if sw["method"] == "fullfact":
        return math.prod(sw["levels"][v.name] for v in study.continuous)
    return sw["samples"]


def case_count(study: Study) -> int:
    """Number of cases of the study's sweep (``len(generate_cases(study))``), computed
    from the settings with Python integers: fast and exact for any size (``levels`` per
    variable multiplied, or ``samples``, or ``levels`` x ``levels`` of a map; times the
    discrete combinations)."""
    return _points_count(study) * combination_count(study)


def count_text(n: int) -> str:
    """``n`` in digits, or ``about 10^k`` when it has more than 30 digits (a message stays
    short, and Python refuses to print integers of more than 4300 digits)."""
    return str(n) if n < 10**30 else f"about 10^{int(n.bit_length() * 0.30102999566398)}"


def case_count_formula(study: Study) -> str:
    """How :func:`case_count` comes about, in words (for a message; numbers of more
    than 30 digits are shown as powers of ten)."""
    sw = study.sweep
    if sw is None:
        raise ValueError("the study has no [sweep] table")
    if sw["map"]:
        x, y = sw["map"]
        text = f"sweep.levels {count_text(sw['levels'][x])} x {count_text(sw['levels'][y])} (map)"
    elif sw["method"] == "fullfact":
        lv = [count_text(sw["levels"][v.name]) for v in study.continuous]
        text = ("sweep.levels " + " x ".join(lv) if len(lv) <= 6 else
                f"sweep.levels {' x '.join(lv[:3])} x ... ({len(lv)} variables)"
                ) if lv else "one point"
    else:
        text = f"sweep.samples {count_text(sw['samples'])}"
    combos = combination_count(study)
    return text if combos == 1 else f"{text} x {count_text(combos)} discrete combinations"


def task_count(study: Study) -> int:
    """Number of tasks (chunks of ``sweep.chunk`` cases of one discrete combination) of
    the whole sweep, computed like :func:`case_count`."""
    return combination_count(study) * -(-_points_count(study) // study.sweep["chunk"])


def generate_cases(study: Study) -> list[dict[str, Any]]:
    """Every case of the study's sweep: ``{seq, hash, discrete, values}`` in order."""
    sw = study.sweep
    if sw is None:
        raise ValueError("the study has no [sweep] table")
    start = study.start_values()
    cont = [v.name for v in study.continuous]
    if sw["map"]:
        pts = [{**start, **p} for p in _grid(study, sw["map"], sw["levels"])]
    elif sw["method"] == "fullfact":
        pts = _grid(study, cont, sw["levels"]) if cont else [{}]
    else:
        from scipy.stats import qmc

        u = qmc.LatinHypercube(d=len(cont), seed=sw["seed"]).random(sw["samples"])
        lo = np.array([study.variable(n).lower for n in cont])
        hi = np.array([study.variable(n).upper for n in cont])
        x = lo + u * (hi - lo)
        pts = [{n: float(row[j]) for j, n in enumerate(cont)} for row in x]
    cases = []
    for combo in study.discrete_combinations():
        for p in pts:
            key = {**combo, **p}
            cases.append({"seq": len(cases), "hash": case_hash(key), "discrete": combo,
                          "values": p})
    return cases


# --------------------------------------------------------------------------- workers

#: Set-up problems kept per process (one per discrete combination and chunk size, the
#: most recently used): a sweep's tasks come combination by combination, and each kept
#: problem holds ~30 MB (all were kept before s28d: 40 combinations 1.6 GB, a study of
#: a thousand discrete values would fill the memory).
EVALUATORS_KEPT = 4

_EVALUATORS: OrderedDict[tuple, CaseEvaluator] = OrderedDict()


def _kept(cache: OrderedDict, key: tuple, make: Callable[[], Any]) -> Any:
    """``cache[key]``, made by ``make()`` when absent; at most :data:`EVALUATORS_KEPT`
    entries, the least recently used dropped first."""
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    while len(cache) >= EVALUATORS_KEPT:
        cache.popitem(last=False)
    cache[key] = value = make()
    return value


def _evaluator(study: Study, discrete: Mapping[str, Any]) -> CaseEvaluator:
    key = (study.fingerprint, json.dumps(discrete, sort_keys=True, default=str))
    return _kept(_EVALUATORS, key, lambda: CaseEvaluator(study, discrete))


def evaluate_chunk(study: Study, discrete: Mapping[str, Any], cases: Sequence[Mapping],
                   sink: Callable[[dict], None] | None = None) -> list[dict]:
    """Evaluate cases of one discrete combination (a task; runs on a worker).

    Returns the recorded rows; with ``sink`` each row is also handed to it as soon as
    its case finishes (in-process runs record case by case).
    """
    if study.sweep.get("batch", True) and not study.sweep.get("step") and len(cases) > 1:
        return _evaluate_batched(study, discrete, cases, sink)
    ev = _evaluator(study, discrete)
    rows = []
    for c in cases:
        status, out, msg = ev.evaluate(c["values"])
        row = {"hash": c["hash"], "seq": c["seq"], "status": status,
               "inputs": {**c["discrete"], **c["values"]}, "outputs": out, "message": msg}
        if study.sweep.get("step") and status == "ok":
            row["step"], note = _step_bytes(ev, c, study)
            if note:
                row["message"] = note
        rows.append(row)
        if sink is not None:
            sink(row)
    return rows


_BATCH_EVALUATORS: OrderedDict[tuple, BatchEvaluator] = OrderedDict()


def _evaluate_batched(study: Study, discrete: Mapping[str, Any], cases: Sequence[Mapping],
                      sink: Callable[[dict], None] | None) -> list[dict]:
    """:func:`evaluate_chunk` on the case-vectorized model: ``sweep.chunk`` cases per run
    (one batched problem per discrete combination and chunk size, reused)."""
    n = max(int(study.sweep["chunk"]), 2)
    key = (study.fingerprint, json.dumps(discrete, sort_keys=True, default=str), n)
    ev = _kept(_BATCH_EVALUATORS, key, lambda: BatchEvaluator(study, discrete, n))
    rows = []
    for start in range(0, len(cases), n):
        part = cases[start:start + n]
        results = ev.evaluate_many([c["values"] for c in part])
        for c, (status, out, msg) in zip(part, results, strict=True):
            row = {"hash": c["hash"], "seq": c["seq"], "status": status,
                   "inputs": {**c["discrete"], **c["values"]}, "outputs": out,
                   "message": msg}
            rows.append(row)
            if sink is not None:
                sink(row)
    return rows


def _step_bytes(ev: CaseEvaluator, case: Mapping[str, Any], study: Study
                ) -> tuple[dict[str, bytes] | None, str]:
    """STEP file (+ the exporter's JSON sidecar) of one case by the geometry package, as
    ``{file name: bytes}`` named ``case_<seq>_<hash>``, or a note."""
    design = ev.design.replace(**case["values"])
    stem = f"case_{case['seq']:06d}_{case['hash']}"
    ok, msg, files = step_files(design, design_toml(design), stem, study.packs)
    if ok:
        return files, ""
    return None, msg.split("; see ")[0].split(" (note: ")[0]


def _save_step(out: Path, row: dict) -> None:
    """Write a case's STEP files (bytes from a worker) to ``out/step/`` and drop them."""
    files = row.pop("step", None)
    if files:
        folder = out / "step"
        folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
        save_step_files(files, folder)


def _chunks(cases: Sequence[dict], size: int) -> list[tuple[dict, list[dict]]]:
    out: list[tuple[dict, list[dict]]] = []
    by_combo: dict[str, tuple[dict, list[dict]]] = {}
    for c in cases:
        key = json.dumps(c["discrete"], sort_keys=True, default=str)
        by_combo.setdefault(key, (c["discrete"], []))[1].append(c)
    for combo, items in by_combo.values():
        for i in range(0, len(items), size):
            out.append((combo, items[i:i + size]))
    return out


# --------------------------------------------------------------------------- running


@dataclass
class SweepResult:
    """What a sweep left in its results folder."""

    out: Path
    n_cases: int
    n_new: int
    rows: list[dict]
    margins: dict[str, list[MarginSpec]]
    files: dict[str, Path] = field(default_factory=dict)
    elapsed: float = 0.0
    runner: str = ""

    @property
    def rate(self) -> float:
        """Cases run now per second of the command's sweep (set-up, the cluster's
        start-up and the result files included: what a user waits for), 0 without time."""
        return self.n_new / self.elapsed if self.elapsed > 0 else 0.0

    def counts(self) -> dict[str, int]:
        """Cases by status, the feasible ones, and ``step_failed``: cases run (``ok``)
        whose STEP export (``sweep.step = true``) failed, its note in the message."""
        c = {"ok": 0, "invalid": 0, "error": 0, "feasible": 0, "step_failed": 0}
        for r in self.rows:
            c[r["status"]] = c.get(r["status"], 0) + 1
            c["feasible"] += bool(r.get("feasible"))
            c["step_failed"] += step_failed(r)
        return c


def _combo_key(discrete: Mapping[str, Any]) -> str:
    return json.dumps(dict(discrete), sort_keys=True, default=str)


def describe_margins(study: Study) -> dict[str, list[MarginSpec]]:
    """Margins of each discrete combination (combination key -> specs)."""
    return _describe(study)[0]


def _describe(study: Study) -> tuple[dict[str, list[MarginSpec]], frozenset[str]]:
    """:func:`describe_margins` and the names a case of the study records in its
    outputs (every combination's responses and fixed margins)."""
    out, names = {}, set()
    for combo in study.discrete_combinations():
        sp = build_study_problem(study, study.design_for(combo), round_footprint=True)
        out[_combo_key(combo)] = sp.margins
        names.update(sp.responses)
        names.update(m.output for m in sp.margins if m.fixed)
    return out, frozenset(names)


#: The longest number a case records, as JSON (``repr`` of the smallest normal float).
_LONGEST_NUMBER = -2.2250738585072014e-308


def _check_record_size(study: Study, names: Collection[str],
                       margins: Mapping[str, Sequence[MarginSpec]]) -> None:
    """Refuse, before any case runs, a study whose case outputs (every name in ``names``
    with a number) may be longer than the case store reads back (:data:`MAX_FIELD`): a
    study whose constraint glob ``big:*`` chose the 12,644 constraints of a 1 MB rule
    pack recorded 356,744 characters a case, ran every case, then refused its own store
    as "not a keidesign case store (was the file edited?)" (s29a)."""
    size = len(json.dumps(dict.fromkeys(names, _LONGEST_NUMBER)))
    if size > MAX_FIELD:
        n_con = max((len(ms) for ms in margins.values()), default=0)
        raise InputError(f"{study.path}: a case records {len(names):,} quantities (its "
                         f"{n_con:,} constraint margins among them), up to {size:,} "
                         f"characters; allowed: at most {MAX_FIELD:,} characters a case "
                         "(fewer [[constraint]] ids or narrower globs, fewer record names)")


def classify(outputs: Mapping[str, float], margins: Sequence[MarginSpec],
             class_key: str | None = None) -> tuple[bool, str, float]:
    """``(feasible, binding id, its relative margin)`` of one case's outputs; a margin
    whose constraint does not apply to the case's federal class ``class_key``
    (:func:`~keidesign.studies.problem.applies`: Part 581 on a case that is a low-speed
    vehicle) is not judged."""
    best_id, best = "", float("inf")
    feasible = True
    for m in margins:
        if (not m.constrained and not m.fixed) or not applies(m, class_key):
            continue
        val = outputs.get(m.output)
        if val is None:
            continue
        rel = (val - m.min_margin) / m.ref
        if rel < 0:
            feasible = False
        if rel < best:
            best_id, best = m.id, rel
    return feasible, best_id, best


#: What a sweep that ran nothing records as its runner (every case was recorded).
NO_RUNNER = "none (every case already recorded)"


def run_sweep(study: Study, out: str | Path, *, runner: Runner | None = None,
              runner_factory: Callable[[int], Runner] | None = None,
              resume: bool = False, overwrite: bool = False,
              progress: bool = False) -> SweepResult:
    """Run (or resume) the study's sweep into ``out``; write tables and maps.

    The results folder is created and locked for the run
    (:func:`~keidesign.studies.resultsdir.results_dir`): the results of an earlier run
    there are an :class:`~keidesign.errors.InputError` unless ``resume`` (continue them)
    or ``overwrite`` (delete them first).

    ``runner``: the runner to use (default in-process), or ``runner_factory(n_tasks)``
    makes one, closed at the end of the run: at the start (a LocalCluster boots while the
    study's problems are set up), except when ``resume`` finds every case recorded
    (:func:`~keidesign.studies.store.recorded_count`); then it is made only if the
    checked store leaves cases to run, and a finished sweep starts nothing (a LocalCluster
    started, and a scheduler was connected, before nothing was run, before s34c).
    """
    if runner is not None and runner_factory is not None:
        raise ValueError("give runner or runner_factory, not both")
    with results_dir(out, command="sweep", overwrite=overwrite, resume=resume) as folder:
        if runner_factory is None:
            return _run_sweep(study, folder, runner=runner or SerialRunner(), resume=resume,
                              progress=progress)
        with ExitStack() as stack:
            def make(n: int) -> Runner:
                return stack.enter_context(runner_factory(n))

            return _run_sweep(study, folder, runner=make, resume=resume,
                              progress=progress)


def _run_sweep(study: Study, out: Path, *, runner: Runner | Callable[[int], Runner],
               resume: bool, progress: bool) -> SweepResult:
    """``runner``: a runner, or a function of the task count that makes one (see
    :func:`run_sweep`)."""
    from tqdm import tqdm

    t0 = time.perf_counter()
    cases = None
    if not isinstance(runner, Runner):
        finished = False
        if resume:  # a look ahead; the checked store below decides what runs
            cases = generate_cases(study)
            hashes = {c["hash"] for c in cases}
            finished = recorded_count(out / "cases.sqlite", hashes) == len(hashes)
        if not finished:
            runner = runner(task_count(study))   # boots while the problems are set up
    margins, names = _describe(study)  # also validates every name before any run
    _check_record_size(study, names, margins)
    cases = cases if cases is not None else generate_cases(study)
    store = CaseStore(out / "cases.sqlite", study.fingerprint, resume=resume,
                      info={"study": study.name, "study_file": study.path,
                            **{f"fingerprint:{k}": v
                               for k, v in study.fingerprint_parts.items()}})
    n_new = 0
    by_hash = {c["hash"]: c for c in cases}
    check = partial(_row_problem, names)
    try:
        # every recorded case checked before any case runs (its hashes were read whole,
        # unchecked: a 300,000,000-character hash held 1.15 GB, and a store with a row
        # of another study ran every missing case before it was refused, s31e)
        done = {r["hash"] for r in store.rows(known=by_hash, check=check)}
        todo = [c for c in cases if c["hash"] not in done]
        tasks = _chunks(todo, study.sweep["chunk"])
        if not isinstance(runner, Runner) and tasks:
            runner = runner(len(tasks))
        with tqdm(total=len(cases), initial=len(cases) - len(todo), unit="case",
                  desc="sweep", disable=not progress, smoothing=0.1) as bar:
            if not tasks:
                pass                                # every case recorded
            elif isinstance(runner, SerialRunner):
                def sink(row: dict) -> None:
                    nonlocal n_new
                    _save_step(out, row)
                    n_new += store.add([row])
                    bar.update(1)

                for combo, items in tasks:
                    evaluate_chunk(study, combo, items, sink)
            else:
                args = [(study, combo, items) for combo, items in tasks]
                for _, rows in runner.map_unordered(evaluate_chunk, args):
                    for row in rows:
                        _save_step(out, row)
                    n_new += store.add(rows)
                    bar.update(len(rows))
        rows = store.rows(known=by_hash, check=check)
    finally:
        store.close()
    designs: dict[str, Any] = {}
    for r in rows:  # the inputs are the case's own (a store's copy is not trusted)
        c = by_hash[r["hash"]]
        r["inputs"] = {**c["discrete"], **c["values"]}
        key = _combo_key({v.name: r["inputs"][v.name] for v in study.discrete})
        ms = margins[key]
        r["class"] = ""
        if r["status"] == "ok":
            if any(m.applies_to for m in ms):   # the case's own federal class
                if key not in designs:
                    designs[key] = study.design_for(c["discrete"]).values
                r["class"] = case_class({**designs[key], **c["values"]}, r["outputs"]) or ""
            r["feasible"], r["binding"], r["binding_rel"] = classify(
                r["outputs"], ms, r["class"] or None)
        else:
            r["feasible"], r["binding"], r["binding_rel"] = False, "", float("nan")
    res = SweepResult(out, len(cases), n_new, rows, margins,
                      runner=(getattr(runner, "description", "") if isinstance(runner, Runner)
                              else NO_RUNNER))
    res.files.update(_write_tables(study, res))
    if study.sweep["map"]:
        from keidesign.studies.feasibility import write_maps

        res.files.update(write_maps(study, res))
    res.elapsed = time.perf_counter() - t0
    write_json(out / "summary.json", _summary(study, res))
    res.files["summary"] = out / "summary.json"
    return res


def step_failed(row: Mapping[str, Any]) -> bool:
    """Whether a recorded case ran but its STEP export failed: an ``ok`` case carries a
    message only for that (:func:`evaluate_chunk` writes the exporter's note there)."""
    return row["status"] == "ok" and bool(row.get("message"))


#: The statuses a sweep records (:meth:`keidesign.studies.problem.CaseEvaluator.evaluate`).
STATUSES = ("ok", "invalid", "error")


def _row_problem(names: Collection[str], row: Mapping[str, Any]) -> str | None:
    """What is wrong with a recorded sweep case (:meth:`CaseStore.rows`), or None: its
    status one of :data:`STATUSES`, its outputs numbers (or null; an ``ok`` case's
    finite, as :meth:`~keidesign.studies.problem.CaseEvaluator.evaluate` records them)
    named by ``names`` (what the study's cases record: a store edited to hold 100,000
    other names made a 100,000-column ``cases.csv`` in 97 s, s28d)."""
    if row["status"] not in STATUSES:
        return f"status = {show(row['status'])}: not one of {', '.join(STATUSES)}"
    for k in row["outputs"]:
        if k not in names:
            shown = sorted(names)
            return (f"outputs.{show(k)}: not a quantity this study records (its "
                    f"{len(shown)}: {', '.join(shown[:3])}{', ...' if len(shown) > 3 else ''})")
    for k, v in row["outputs"].items():
        if v is not None and (isinstance(v, bool) or not isinstance(v, int | float)):
            return f"outputs.{show(k)} = {show(v)}: not a number"
        if row["status"] == "ok" and not (v is not None and math.isfinite(v)):
            return (f"outputs.{show(k)} = {show(v)}: not a finite number, which every output "
                    "of an 'ok' case is (a non-finite one is recorded 'error')")
    return None


def _units(name: str, margins: Sequence[MarginSpec], study: Study) -> str:
    for m in margins:
        if m.output == name:
            return m.units or ""
    for d in study.derived:
        if d.name == name:
            return d.units
    try:
        return reg.get(name).units or ""
    except KeyError:
        return ""


def _write_tables(study: Study, res: SweepResult) -> dict[str, Path]:
    disc = [v.name for v in study.discrete]
    cont = [v.name for v in study.continuous]
    outs = list(dict.fromkeys(k for r in res.rows for k in r["outputs"]))
    all_margins = [m for ms in res.margins.values() for m in ms]

    def head(n: str) -> str:  # every quantity with its units, [-] if dimensionless
        return column(n, _units(n, all_margins, study))

    header = (["seq", "hash", "status"] + [discrete_column(v) for v in study.discrete]
              + [head(n) for n in cont]
              + [head(n) for n in outs] + ["feasible", "binding", "message"])
    rows = ([r["seq"], r["hash"], r["status"]] + [r["inputs"].get(n) for n in disc]
            + [r["inputs"].get(n) for n in cont] + [r["outputs"].get(n) for n in outs]
            + [r["feasible"], r["binding"], r["message"]] for r in res.rows)
    return {"cases_csv": write_csv(res.out / "cases.csv", header, rows)}


def _summary(study: Study, res: SweepResult) -> dict[str, Any]:
    counts = res.counts()
    doc: dict[str, Any] = {
        "schema": "keidesign.sweep/1", "study": study.name, "study_file": study.path,
        "fingerprint": study.fingerprint, "method": study.sweep["method"],
        "map": study.sweep["map"], "n_cases": res.n_cases, "n_new": res.n_new,
        "counts": counts, "runner": res.runner,
        "elapsed_s": res.elapsed, "cases_per_s": res.rate,
        "binding": {},
        "files": {k: str(v) for k, v in res.files.items()},
    }
    for r in res.rows:
        if r["status"] == "ok" and not r["feasible"]:
            doc["binding"][r["binding"]] = doc["binding"].get(r["binding"], 0) + 1
    if study.objective is not None and study.objective.name:
        name, sense = study.objective.name, study.objective.sense
        feas = [r for r in res.rows if r["feasible"] and name in r["outputs"]]
        if feas:
            best = (min if sense == "min" else max)(feas, key=lambda r: r["outputs"][name])
            doc["best_feasible"] = {"seq": best["seq"], "inputs": best["inputs"],
                                    name: best["outputs"][name]}
    return doc


def format_summary(study: Study, res: SweepResult) -> str:
    """A few lines for the terminal."""
    c = res.counts()
    where = ("every case already recorded: nothing to run, no runner started;"
             if res.runner == NO_RUNNER else f"on {res.runner or 'serial'}")
    lines = [f"{study.name}: {res.n_cases} cases ({res.n_new} run now, "
             f"{res.n_cases - res.n_new} already recorded) {where}"
             f" in {res.elapsed:.1f} s" + (f": {res.rate:.3g} cases/s" if res.n_new else ""),
             f"  ok {c['ok']}, invalid {c['invalid']}, error {c['error']}; "
             f"feasible {c['feasible']}"
             + (f"; STEP export failed {c['step_failed']}" if study.sweep.get("step")
                else "")]
    binding: dict[str, int] = {}
    for r in res.rows:
        if r["status"] == "ok" and not r["feasible"]:
            binding[r["binding"]] = binding.get(r["binding"], 0) + 1
    for k, n in sorted(binding.items(), key=lambda kv: -kv[1]):
        lines.append(f"  infeasible because of {k}: {n} case{'' if n == 1 else 's'}")
        if k.endswith("fmvss208.ride_down_space"):
            lines += [f"    {hint}" for hint in [restraint_hint(study)] if hint]
    # why cases gave no vehicle or failed: only cases.csv said it (new-user pass s36d: a
    # 3 x 3 map printed 'invalid 3' and nothing of the 500 mm nose no powertrain fits in)
    # messages that differ only in their numbers (a windshield's cowl position per case)
    # are one reason, counted together and shown by their first case (s37d: 16 invalid
    # cases of one reason were three '(1 case)' lines and '13 other messages')
    for status in ("invalid", "error"):
        first: dict[str, str] = {}
        shapes: dict[str, set[str]] = {}
        counts: Counter[str] = Counter()
        for r in res.rows:
            if r["status"] == status:
                msg = r.get("message") or "(no message)"
                key = _NUMBER.sub("#", msg)
                first.setdefault(key, msg)
                shapes.setdefault(key, set()).add(msg)
                counts[key] += 1
        top = counts.most_common()
        lines += [f"  {status} ({n} case{'' if n == 1 else 's'}"
                  f"{' like this one, other numbers' if len(shapes[key]) > 1 else ''}): "
                  f"{first[key]}" for key, n in top[:SUMMARY_REASONS]]
        if len(top) > SUMMARY_REASONS:
            rest = sum(n for _, n in top[SUMMARY_REASONS:])
            lines.append(f"  {status}: {rest} more case{'' if rest == 1 else 's'} with "
                         f"{len(top) - SUMMARY_REASONS} other messages (cases.csv message)")
    return "\n".join(lines)


#: Most distinct invalid / error messages the terminal summary lists per status
SUMMARY_REASONS = 3
#: A number standing alone in a case's message (``680.681``, ``-5``, ``1e-3``; not the
#: digits of a name such as ``fmvss208`` or ``e0``): masked to group the messages.
_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])")
