"""Results of the ready studies (studies/*.toml), quoted in docs/studies.md.

    python benchmarks/study_results.py                 # run the six studies, print the blocks
    python benchmarks/study_results.py --write-docs    # ... and rewrite the blocks of
                                                       # docs/studies.md and
                                                       # docs/study_results.json
    python benchmarks/study_results.py --check         # exit 1 if a block differs
    python benchmarks/study_results.py --workers 2     # tasks on a LocalCluster(2)
    python benchmarks/study_results.py --only b e      # some studies (--write-docs
                                                       # replaces only theirs)

Each study runs as its command runs it (full settings of the study file), through the
functions the CLI calls: (a), (b), (e) ``keidesign.studies.optimize.optimize`` (with the
trade-factor re-solves, without OpenMDAO's reports and the STEP export), (c), (f)
``keidesign.studies.pareto.run_pareto``, (d) ``keidesign.studies.sweep.run_sweep``, each
into a temporary folder. Serial by default (``--workers N``: a Dask LocalCluster of N
processes, as ``keidesign ... --workers N``; the results are the same: the script runs
with one BLAS / OpenMP thread, as a Dask worker does, since the thread count changes the
last bits and study (f)'s flat rail direction shows them, docs/studies.md "Reproducible
blocks"). ``--check`` prints the lines of a block that differ. The quantities
beside each optimum (crash, energy, mass) are ``keidesign evaluate`` of the base design
and of the optimum design with the study's rule packs; Pareto points are evaluated the
same way.

docs/study_results.json holds every number of the blocks; tests/test_docs_figures.py
checks that each block is what the JSON renders, and tests/test_studies_runs.py re-runs
study (b) and compares its optimum with the JSON, so a model change that moves an
optimum fails a test until this script is re-run. The last line of each block (run
time, model evaluations, runner, date) is not compared by ``--check``.
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: the variables that set the BLAS / OpenMP thread count (Dask's nanny sets them to 1)
BLAS_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
# One BLAS / OpenMP thread, set before numpy is imported (its BLAS reads these once):
# the arithmetic of a Dask worker, whose nanny sets the same three variables to 1
# (distributed.yaml, nanny pre-spawn-environ), so that a serial run gives the numbers of a
# ``--workers N`` run, whatever the host's core count. OpenBLAS's default (one thread per
# core) splits its products and factorisations by thread count, which changes the last
# bits; study (f)'s last Pareto point sits in a flat direction of its problem (the rail
# section: curb mass is no objective) that turns those bits into its block's figures:
# 88.9 x 140.4 mm, 2.30 mm, 800.5 kg with two threads, 83.4 x 85.4 mm, 2.41 mm, 798.1 kg
# with one (6 Dec 2026, s33e: the flaky --check). Assigned, not defaulted: the blocks are
# one reproducible run, not the caller's thread setting. Only when run as the script: a
# test that imports it for its renderers keeps its process's environment.
if __name__ == "__main__":
    for _var in BLAS_THREAD_VARS:
        os.environ[_var] = "1"

import numpy as np  # noqa: E402

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import docblock  # noqa: E402  (benchmarks/docblock.py)

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "studies.md"
JSON = ROOT / "docs" / "study_results.json"
SCRIPT = "study_results"
#: the first words of the one line of a block that ``--check`` does not compare
RUN_LINE = "Run (not compared):"
G = 9.80665

CRASH = ("crash:front:crush_available", "crash:front:crush_required",
         "crash:front:dash_intrusion", "crash:front:mean_decel", "crash:front:olc",
         "crash:front:occupant_excursion", "crash:front:chest_accel_3ms",
         "crash:front:f05:hic15")
NCAP = ("crash:ncap:frontal:stars", "crash:ncap:side:stars")


@dataclass(frozen=True)
class Item:
    """One ready study: its letter, file, command and what the block shows beside the
    command's own output (``quantities``: evaluated on the base design and the optimum;
    ``columns``: design variables and evaluated quantities of each Pareto point)."""

    key: str
    file: str
    command: str
    quantities: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()


ITEMS = (
    Item("a", "tallboy_ice_min_mass", "optimize",
         quantities=("mass:crash_structure", "energy:label_comb_mpg", "body:cargo_length",
                     *CRASH, *NCAP)),
    Item("b", "kei_ev_min_cost", "optimize",
         quantities=("mass:curb", "energy:ev_range", "energy:label_comb_mpg",
                     "body:cargo_length", *CRASH, *NCAP)),
    Item("c", "pareto_mass_mpg_frontal", "pareto",
         columns=("crash:front:crush_length", "crash:front:wall_thickness", "body:height",
                  "powertrain:ice:displacement", "crash:restraint:load_limit")),
    Item("d", "feasibility_crush_height", "sweep"),
    Item("e", "kei_truck_us", "optimize",
         quantities=("mass:curb", "mass:crash_structure", "body:cab_back_clearance", *CRASH,
                     "crash:ncap:frontal:relative_risk", "crash:ncap:frontal:stars")),
    Item("f", "pareto_truck_bed_crush", "pareto",
         columns=("crash:front:crush_length", "crash:front:rail_width",
                  "crash:front:rail_height", "crash:front:wall_thickness",
                  "crash:restraint:load_limit", "crash:restraint:stiffness",
                  "crash:front:mean_decel", "mass:curb")),
)


# --------------------------------------------------------------------------- running


def _runner_factory(workers: int):
    from keidesign.studies.runner import make_runner

    return lambda n: make_runner(serial=workers == 0, workers=workers or None, n_tasks=n)


def _display(value: float, units: str | None, name: str = "") -> tuple[float, str]:
    """A quantity in the units the block shows (decelerations in g, prices in USD)."""
    if units == "m/s**2":
        return value / G, "g"
    if name.startswith("cost:") and units in (None, "", "unitless"):
        return value, "USD"
    return value, units or ""


def _evaluate(design, packs, names) -> dict[str, tuple[float, str]]:
    """``keidesign evaluate`` outputs (or inputs) ``names`` of ``design``, display units."""
    from keidesign import variables as reg
    from keidesign.evaluation import evaluate_design

    ev = evaluate_design(design, packs)
    out = {}
    for n in names:
        v = ev.outputs[n][0] if n in ev.outputs else design[n]
        out[n] = _display(float(np.ravel(v)[0]), reg.get(n).units, n)
        if out[n][1] == "mi/galUS" and design["powertrain:type"] == "bev":
            # a BEV's miles per gallon are gasoline-equivalent (33.705 kWh a gallon): MPGe
            out[n] = (out[n][0], "MPGe")
    return out


def _variables(study, x: dict[str, float]) -> list[dict[str, Any]]:
    start = study.start_values()
    return [{"name": v.name, "path": v.path, "units": v.units or "", "lower": v.lower,
             "upper": v.upper, "base": start[v.name], "value": x[v.name]}
            for v in study.continuous]


def _study_value(study, name: str, outputs) -> float | None:
    """``name`` from the model ``outputs`` (registered units), a ``[derived]`` quantity
    of the study by its expression on them (the objective of (e), task s31d); None if
    neither."""
    spec = next((d for d in study.derived if d.name == name), None)
    if spec is not None:
        return float(spec.parsed({sym: outputs[var][0] for sym, var in spec.vars}))
    return float(outputs[name][0]) if name in outputs else None


def run_optimize(item: Item, study, out: Path, workers: int) -> dict[str, Any]:
    from keidesign.studies.optimize import TRADE_KINDS, optimize, start_count

    with _runner_factory(workers)(start_count(study)) as runner:
        res = optimize(study, out, runner=runner, reports=False, step=False, trade=True)
    design = study.design_for(res.best.discrete).replace(**res.x)
    value, units = _display(res.value, res.objective_units, res.objective)
    names = [n for n in dict.fromkeys([*study.record, *item.quantities])
             if n != res.objective]
    from keidesign.evaluation import evaluate_design

    base = _evaluate(study.base, study.packs, names)
    opt = _evaluate(design, study.packs, names)
    base_outputs = evaluate_design(study.base, study.packs).outputs
    base_raw = _study_value(study, res.objective, base_outputs)
    base_value = (_display(base_raw, res.objective_units, res.objective)[0]
                  if base_raw is not None else None)
    return {
        "objective": {"name": res.objective, "units": units,
                      "sense": study.objective.sense, "value": value, "base": base_value},
        "success": res.best.success, "feasible": res.best.feasible,
        "discrete": {k.replace(":", "."): v for k, v in res.best.discrete.items()},
        "starts": [{"discrete": {k.replace(":", "."): v for k, v in r.discrete.items()},
                    "objective": r.objective, "success": r.success, "feasible": r.feasible}
                   for r in res.starts],
        "variables": _variables(study, res.x),
        "quantities": [{"name": n, "units": opt[n][1], "base": base[n][0],
                        "optimum": opt[n][0]} for n in names],
        "active": [_active(a, value / res.value if res.value else 1.0)
                   for a in res.active if a["kind"] in TRADE_KINDS],
        "fixed": [a["id"] for a in res.active if a["kind"] == "fixed"],
        "run": {"model_evaluations": res.n_evals, "starts": len(res.starts),
                "runner": res.runner},
    }


def _active(a: dict[str, Any], scale: float) -> dict[str, Any]:
    """An active constraint or bound: ``d objective / d bound`` from the multiplier and
    from the re-solve, per unit of the bound in display units (``scale``: objective's)."""
    per = _display(1.0, a["units"])
    k = scale / per[0]
    return {"id": a["id"], "kind": a["kind"], "bound": a["bound"], "units": per[1],
            "multiplier": a["dfdb_multiplier"] * k,
            "resolve": a["dfdb_resolve"] * k if a.get("resolve_success") else None,
            # the re-solve's step in % of the bound's scale: 1 unless the 1 % step's
            # re-solve failed and a smaller one was taken (optimize.TRADE_STEP_FRACTIONS)
            "resolve_step_percent": (100.0 * 0.01 * a["step"] / a["resolve_tries"][0]
                                     if a.get("resolve_tries") else None)}


def run_pareto(item: Item, study, out: Path, workers: int) -> dict[str, Any]:
    from keidesign import variables as reg
    from keidesign.studies.pareto import run_pareto as pareto

    res = pareto(study, out, runner_factory=_runner_factory(workers))
    xs = {v.name for v in study.continuous}
    evaluated = [c for c in item.columns if c not in xs]
    front = sorted(res.front, key=lambda p: p["objectives"][1])
    rows = []
    for p in front:
        vals = _evaluate(study.base.replace(**p["x"]), study.packs, evaluated) \
            if evaluated else {}
        rows.append(list(p["objectives"]) + [
            p["x"][c] if c in xs else vals[c][0] for c in item.columns])
    # the knee (Das 1999, pareto.KNEE_DEFINITION) as the row of the sorted front, or why
    # there is none; the base design as evaluated, not optimized (both since s31c)
    knee = res.knee.get("point")
    row = next((i for i, p in enumerate(front) if p["index"] == knee), None)
    cols = [{"name": lab, "units": u or ""} for lab, u in zip(res.labels, res.units,
                                                              strict=True)]
    for c in item.columns:
        u = study.variable(c).units if c in xs else reg.get(c).units
        cols.append({"name": c, "units": _display(0.0, u, c)[1]})
    return {
        "objectives": [{"name": o.label, "sense": o.sense} for o in study.pareto_objectives],
        "points": len(res.points),
        "failed": sum(not (p["success"] and p["feasible"]) for p in res.points),
        "front_size": len(res.front),
        "anchors": [{"objective": res.labels[a["anchor"]], "values": a["objectives"],
                     "success": a["success"], "feasible": a["feasible"]}
                    for a in res.anchors],
        "columns": cols, "front": rows,
        "knee": ({"row": row, "distance": res.knee["distance"]} if row is not None else
                 {"row": None, "why_none": res.knee.get("why_none", "")}),
        "base": {"values": res.base["objectives"], "feasible": res.base["feasible"]},
        "run": {"model_evaluations": sum(p["n_evals"] for p in res.points)
                + sum(a["n_evals"] for a in res.anchors),
                # each anchor: one optimization per objective (lexicographic, s31k)
                "optimizations": len(res.points) + len(res.anchors) ** 2,
                "runner": res.runner},
    }


def run_sweep(item: Item, study, out: Path, workers: int) -> dict[str, Any]:
    from keidesign.studies.sweep import run_sweep as sweep
    from keidesign.studies.sweep import task_count

    with _runner_factory(workers)(task_count(study)) as runner:
        res = sweep(study, out, runner=runner)
    ok = [r for r in res.rows if r["status"] == "ok"]
    feas = [r for r in ok if r["feasible"]]
    binding: dict[str, int] = {}
    for r in ok:
        if not r["feasible"]:
            binding[r["binding"]] = binding.get(r["binding"], 0) + 1
    axes = []
    for name in study.sweep["map"] or [v.name for v in study.continuous]:
        v = study.variable(name)
        vals = [r["inputs"][name] for r in feas]
        axes.append({"name": name, "units": v.units or "", "lower": v.lower,
                     "upper": v.upper,
                     "feasible": [min(vals), max(vals)] if vals else None})
    txt = next((p for k, p in res.files.items() if k.startswith("map_txt")), None)
    grid = txt.read_text(encoding="utf-8").splitlines()[1:] if txt else []
    return {"cases": res.n_cases, "counts": res.counts(),
            "binding": dict(sorted(binding.items(), key=lambda kv: (-kv[1], kv[0]))),
            "axes": axes, "map": [line.rstrip() for line in grid],
            "run": {"model_evaluations": len(ok), "runner": res.runner}}


RUN = {"optimize": run_optimize, "pareto": run_pareto, "sweep": run_sweep}


def run(item: Item, workers: int = 0) -> dict[str, Any]:
    """Run one study as its command does; its entry of docs/study_results.json."""
    from keidesign.studies.spec import load_study

    t0 = time.perf_counter()
    study = load_study(ROOT / "studies" / f"{item.file}.toml")
    with tempfile.TemporaryDirectory(prefix="keidesign-study-results-") as tmp:
        doc = RUN[item.command](item, study, Path(tmp) / item.file, workers)
    doc = {"study": study.name, "file": f"studies/{item.file}.toml",
           "command": f"keidesign {item.command} studies/{item.file}.toml", **doc}
    doc["run"]["wall_s"] = time.perf_counter() - t0
    doc["run"]["date"] = datetime.date.today().isoformat()
    return doc


# --------------------------------------------------------------------------- rendering


def num(v: float | None) -> str:
    """A figure of a block: about four significant digits, thousands separated."""
    if v is None:
        return "-"
    a = abs(v)
    if a < 5e-4:  # a margin at its bound to the optimizer's tolerance
        return "0"
    if a < 1000 and abs(v - round(v)) < 5e-7 * max(1.0, a):  # a bound, a count
        return f"{round(v):,.0f}"   # 999.9999996 is 1,000, as 1000.0000004 is
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:.1f}"
    if a >= 10:
        return f"{v:.2f}"
    if a >= 1:
        return f"{v:.3f}"
    return f"{v:.3g}"


def factor(v: float | None) -> str:
    """A trade factor: three significant digits."""
    return "-" if v is None else ("0" if abs(v) < 1e-12 else f"{v:.3g}")


#: units as the blocks write them (no ``**``, which markdown reads as bold)
UNIT_TEXT = {"unitless": "", "cm**3": "cm^3", "kW*h": "kWh", "mi/galUS": "mpg"}


def _unit(u: str) -> str:
    return UNIT_TEXT.get(u, u)


def _with_unit(v: float | None, u: str) -> str:
    return f"{num(v)} {_unit(u)}".rstrip()


def _at_bound(v: dict[str, Any]) -> str:
    span = v["upper"] - v["lower"]
    if abs(v["value"] - v["lower"]) <= 1e-6 * span:
        return "lower bound"
    if abs(v["value"] - v["upper"]) <= 1e-6 * span:
        return "upper bound"
    return ""


def _run_line(s: dict[str, Any]) -> str:
    r = s["run"]
    what = (f"{r['starts']} start(s), " if "starts" in r else
            f"{r['optimizations']} optimizations, " if "optimizations" in r else "")
    return (f"{RUN_LINE} {r['date']}, {what}{r['model_evaluations']:,} model evaluations, "
            f"{r['wall_s']:.0f} s; {r['runner'] or 'serial'}.")


def _render_optimize(s: dict[str, Any]) -> list[str]:
    o = s["objective"]
    state = ("converged, feasible" if s["success"] and s["feasible"] else
             f"{'converged' if s['success'] else 'NOT converged'}, "
             f"{'feasible' if s['feasible'] else 'INFEASIBLE'}")
    lines = [f"`{s['command']}`: {o['sense']}imize `{o['name']}`: "
             f"**{_with_unit(o['value'], o['units'])}** ({state}; base design "
             f"{_with_unit(o['base'], o['units'])})"]
    if s["discrete"]:
        best = ", ".join(f"`{k}` = `{v}`" for k, v in s["discrete"].items())
        others = "; ".join(
            ", ".join(f"{v}" for v in r["discrete"].values()) + f" {num(r['objective'])}"
            + ("" if r["feasible"] else " (infeasible)")
            for r in s["starts"])
        lines[0] += f" with {best} (starts: {others})"
    lines += ["", "| design variable | base design | optimum | bounds |",
              "| --- | ---: | ---: | --- |"]
    for v in s["variables"]:
        where = _at_bound(v)
        val = _with_unit(v["value"], v["units"])
        lines.append(f"| `{v['path']}` | {_with_unit(v['base'], v['units'])} | "
                     f"{f'**{val}** ({where})' if where else val} | "
                     f"{v['lower']:g} - {v['upper']:g} |")
    lines += ["", "| quantity (`keidesign evaluate`) | base design | optimum |",
              "| --- | ---: | ---: |"]
    for q in s["quantities"]:
        lines.append(f"| `{q['name']}` | {_with_unit(q['base'], q['units'])} | "
                     f"{_with_unit(q['optimum'], q['units'])} |")
    u = _unit(o["units"]) or "unit"
    lines += ["", f"| active constraint or bound (unit) | d {o['name']} / d bound, {u} per "
              "unit: from the multiplier | from the re-solve |", "| --- | ---: | ---: |"]
    smaller = False
    for a in s["active"]:
        what = (f"`{a['id']}`" if a["kind"] == "constraint" else
                f"`{a['id']}` {a['bound']} bound")
        pct = a.get("resolve_step_percent")
        resolve = (factor(a["resolve"]) if a["resolve"] is not None else
                   "did not converge" if pct is not None else "-")
        if a["resolve"] is not None and pct is not None and abs(pct - 1.0) > 1e-9:
            resolve += f" ({pct:g} % step)"
            smaller = True
        lines.append(f"| {what} ({_unit(a['units']) or 'unitless'}) | "
                     f"{factor(a['multiplier'])} | {resolve} |")
    if smaller:
        lines += ["", "Re-solves move each bound by 1 % of its scale, from the optimum; where "
                  "that one did not converge (SLSQP stopped on a positive directional "
                  "derivative in its line search) the row gives the re-solve of the "
                  "smaller step it names (`keidesign.studies.optimize.TRADE_STEP_FRACTIONS`)."]
    if s.get("fixed"):
        lines += ["", "At their bound but fixed by the design (no design variable moves them: "
                  "no trade factor): " + ", ".join(f"`{i}`" for i in s["fixed"]) + "."]
    return lines


def _render_pareto(s: dict[str, Any]) -> list[str]:
    n_obj = len(s["objectives"])
    lines = [f"`{s['command']}`: {s['points']} epsilon points and {len(s['anchors'])} "
             f"anchors; {s['failed']} failed or infeasible, **{s['front_size']} on the "
             "front**. Objectives: " + ", ".join(f"{o['sense']} `{o['name']}`"
                                                 for o in s["objectives"]) + "."]
    head = []
    for i, c in enumerate(s["columns"]):
        label = f"`{c['name']}`" + (f", {_unit(c['units'])}" if _unit(c["units"]) else "")
        head.append(f"**{label}**" if i < n_obj else label)
    knee = s.get("knee", {}).get("row")
    if knee is not None:
        head.append("knee")
    lines += ["", "| " + " | ".join(head) + " |", "|" + " ---: |" * len(head)]
    for i, row in enumerate(s["front"]):
        cells = [num(v) for v in row] + (
            [] if knee is None else ["**knee**" if i == knee else ""])
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Anchors (each objective alone): " + "; ".join(
        f"`{a['objective']}`: " + " / ".join(num(v) for v in a["values"])
        + ("" if a["success"] and a["feasible"] else " (failed)") for a in s["anchors"])
        + "."]
    if "knee" in s:   # entries written before s31o have neither
        lines += ["", (f"Knee (the row marked; Das 1999: the front point farthest beyond the "
                       f"anchors' line, objectives normalised by the anchors' ranges): "
                       f"distance {num(s['knee']['distance'])}." if knee is not None else
                       f"No knee: {s['knee']['why_none']}.")]
    if "base" in s:
        b = s["base"]
        lines += ["", "Base design (evaluated, not optimized): "
                  + " / ".join(num(v) for v in b["values"])
                  + f" ({'feasible' if b['feasible'] else 'infeasible'})."]
    return lines


def _render_sweep(s: dict[str, Any]) -> list[str]:
    c = s["counts"]
    lines = [f"`{s['command']}`: {s['cases']} cases, {c['ok']} evaluated "
             f"({c['invalid']} made no vehicle, {c['error']} failed), **{c['feasible']} "
             "feasible**" + ("; feasible cases span " + ", ".join(
                 f"`{a['name'].replace(':', '.')}` {num(a['feasible'][0])}-"
                 f"{num(a['feasible'][1])} {_unit(a['units'])}".rstrip()
                 for a in s["axes"]) if c["feasible"] else "") + ".", "",
             "| binding (most violated) constraint | infeasible cases |", "| --- | ---: |"]
    for cid, n in s["binding"].items():
        lines.append(f"| `{cid}` | {n} |")
    if s["map"]:
        lines += ["", "```text", *s["map"], "```"]
    return lines


RENDER = {"optimize": _render_optimize, "pareto": _render_pareto, "sweep": _render_sweep}


def render(doc: dict[str, Any], key: str) -> str:
    """The docs block of study ``key`` from its entry of docs/study_results.json."""
    s = doc["studies"][key]
    kind = s["command"].split()[1]
    return "\n".join(RENDER[kind](s) + ["", _run_line(s)])


def compared(text: str) -> str:
    """A block without its run line (what ``--check`` compares)."""
    return "\n".join(line for line in text.strip().splitlines()
                     if not line.startswith(RUN_LINE)).strip()


# --------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write-docs", action="store_true",
                    help="rewrite the docs blocks and docs/study_results.json")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if a docs block differs (run lines not compared)")
    ap.add_argument("--workers", type=int, default=0,
                    help="processes of a Dask LocalCluster (default 0: serial)")
    ap.add_argument("--only", nargs="+", choices=[i.key for i in ITEMS],
                    help="run only these studies")
    ap.add_argument("--from-json", action="store_true",
                    help="run nothing: render the blocks from docs/study_results.json")
    args = ap.parse_args()
    items = [i for i in ITEMS if not args.only or i.key in args.only]
    old = json.loads(JSON.read_text(encoding="utf-8")) if JSON.is_file() else {}
    doc = {"schema": "keidesign.study_results/1",
           "generated_by": "python benchmarks/study_results.py --write-docs",
           "studies": dict(old.get("studies", {}))}
    t0 = time.perf_counter()
    for item in items:
        if not args.from_json:
            doc["studies"][item.key] = run(item, args.workers)
        print(f"({item.key}) {item.file}\n\n{render(doc, item.key)}\n", flush=True)
    if not args.from_json:
        print(f"total: {time.perf_counter() - t0:.0f} s for {len(items)} studies "
              f"({'serial' if not args.workers else f'LocalCluster({args.workers})'})")
    status = 0
    text = DOC.read_text(encoding="utf-8")
    for item in items:
        if args.write_docs:
            docblock.replace(DOC, SCRIPT, render(doc, item.key), part=item.key)
        elif args.check and (old_block := compared(docblock.block(text, SCRIPT, item.key))
                             ) != (new_block := compared(render(doc, item.key))):
            print(f"docs/studies.md: the block ({item.key}) of benchmarks/{SCRIPT}.py "
                  "differs from this run:", file=sys.stderr)
            # the lines that differ, so that a difference can be told from a model change
            # (a flaky check printed no more than the block's letter, s33e)
            sys.stderr.writelines(line + "\n" for line in difflib.unified_diff(
                old_block.splitlines(), new_block.splitlines(), "docs/studies.md",
                "this run", n=0, lineterm=""))
            status = 1
            continue
        if not args.from_json and (args.write_docs or args.check):
            docblock.stamp(DOC, SCRIPT, item.key)    # run here: written or found equal
    if args.write_docs and not args.from_json:
        doc["studies"] = dict(sorted(doc["studies"].items()))
        JSON.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    if args.write_docs:
        print(f"wrote {DOC.relative_to(ROOT)}"
              + ("" if args.from_json else f", {JSON.relative_to(ROOT)}"))
    return status


if __name__ == "__main__":
    sys.exit(main())
