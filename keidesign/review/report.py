"""``keidesign report RESULT_DIR``: a self-contained HTML design review of an optimum.

Input: a folder written by ``keidesign optimize --out RESULT_DIR`` (``results.json``,
``evaluation.json``, ``optimum.toml``, ``trade_factors.md``,
``optimization_out/cases.sql``). Output: ``RESULT_DIR/report.html``, one file with every
image embedded as a base64 PNG (no script, no external file or URL is loaded), so a
reviewer opens it in any browser without Python.

Contents: the candidate against its baseline (the study's base design as the study ran
it: its design file with the study's ``[set]`` changes; or ``--baseline``): key
figures; 3D views at the same scale with the crush budget on the model and the kei
envelope; the compliance table of **every** constraint of the result's
``evaluation.json`` (value, bound, margin, result, the baseline's value and result,
verification status and source); the rule packs with their sources; the study's
constraints with their margins, active ones first; the trade factors; the design
variables against their bounds; crash pulse, force-crush, crush budget, drive-cycle
traces, optimization history, constraint margins, mass and cost
breakdown; the Pareto front and feasibility map when their study folders are given
(``--pareto DIR``, ``--sweep DIR``). A figure that cannot be drawn is replaced by a
note saying why (the rest of the report is still written).
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import math
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from keidesign import __version__
from keidesign.errors import InputError, plain_cut, show, show_path
from keidesign.evaluation import SCHEMA as EVALUATION_SCHEMA
from keidesign.inputfiles import read_text
from keidesign.outpaths import replace_file
from keidesign.review.candidate import Candidate, load_candidate
from keidesign.rules_compare import cell, side_by_side
from keidesign.studies.optimize import SCHEMA as OPTIMIZE_SCHEMA

__all__ = ["build_report", "compliance_html", "key_figures", "key_figures_html", "load_result",
           "markdown_html", "result_inputs", "study_constraints_html", "table_html"]

REQUIRED = ("results.json", "evaluation.json", "optimum.toml")
#: the rule sets the report compares by default: CAFE in force vs the SAFE III proposal
POLICY_SETS = (("cafe-2024",), ("safe-iii",))


# --------------------------------------------------------------------------- inputs


def load_result(result_dir: str | Path) -> dict[str, Any]:
    """``results.json`` and ``evaluation.json`` of an optimize folder (InputError if it
    is not one)."""
    d = Path(result_dir)
    if not d.is_dir():
        what = "is not a folder" if d.exists() else "does not exist"
        # a new user's first try is a design file (task s33f): say what reviews two
        compare = (" (two design files: `keidesign compare BASE.toml VARIANT.toml "
                   "--plot DIR`)"
                   if d.suffix.lower() == ".toml" else "")
        raise InputError(f"keidesign report: {d} {what}; allowed: a results folder "
                         "written by `keidesign optimize --out DIR` (default: "
                         f"results/<study file name>){compare}")
    missing = [f for f in REQUIRED if not (d / f).is_file()]
    if missing:
        # a new user's next try after a Pareto front or a sweep is its folder (s36d)
        study = next((f" ({d} is a `keidesign {cmd}` folder: its {what} goes into the "
                      f"report of an optimize result with --{cmd} {d})"
                      for cmd, name, what in (("pareto", "pareto.csv", "front"),
                                              ("sweep", "cases.csv", "map"))
                      if (d / name).is_file()), "")
        raise InputError(f"keidesign report: {d} has no {', '.join(missing)}; allowed: a "
                         f"results folder written by `keidesign optimize --out DIR`{study}")
    from keidesign.inputfiles import in_folder, load_json_object

    for name in (*REQUIRED, "trade_factors.md", "history.json"):  # no link out (s32g)
        if (d / name).is_symlink():
            in_folder(d / name, f"report input {name}", d)
    results = load_json_object(d / "results.json", "results file")
    evaluation = load_json_object(d / "evaluation.json", "evaluation file")
    _check_results(d / "results.json", results)
    _check_evaluation(d / "evaluation.json", evaluation)
    tf = d / "trade_factors.md"  # read like the others (a FIFO hung the report, s28d)
    trade = read_text(tf, "trade factors file") if tf.exists() or tf.is_symlink() else None
    return {"dir": d, "results": results, "evaluation": evaluation, "trade_factors": trade}


def _is_number(v: Any) -> bool:
    return v is None or (isinstance(v, int | float) and not isinstance(v, bool))


def _is_text(v: Any) -> bool:
    return v is None or isinstance(v, str)


def _is_scalar(v: Any) -> bool:
    return v is None or isinstance(v, str | int | float | bool)


def _registered(name: str) -> bool:
    from keidesign import variables as reg

    try:
        reg.get(name)
    except KeyError:
        return False
    return True


def _require(path: Path, where: str, value: Any, ok: bool, allowed: str) -> None:
    """One line naming the results-folder file, the field, its value and what is
    allowed, unless ``ok`` (the report read these fields unchecked: a wrong type was a
    KeyError or TypeError traceback after the model had run, s28d)."""
    if not ok:
        raise InputError(f"{show_path(path)}: {where} = {show(value)}: not {allowed}; "
                         "allowed: the file `keidesign optimize` writes")


def _check_results(path: Path, doc: dict[str, Any]) -> None:
    """The fields of ``results.json`` the report reads, each of the type it reads."""
    for key in ("study", "study_file"):
        _require(path, key, doc.get(key), _is_text(doc.get(key)), "text")
    obj = doc.get("objective", {})
    _require(path, "objective", obj, isinstance(obj, dict), "an object")
    for key in ("name", "units", "sense"):
        _require(path, f"objective.{key}", obj.get(key), _is_text(obj.get(key)), "text")
    _require(path, "objective.value", obj.get("value"), _is_number(obj.get("value")),
             "a number")
    for key in ("success", "feasible"):
        _require(path, key, doc.get(key), isinstance(doc.get(key, False), bool),
                 "true or false")
    for key in ("n_starts", "n_model_evaluations"):
        _require(path, key, doc.get(key), _is_number(doc.get(key)), "a number")
    dvs = doc.get("design_variables", {})
    _require(path, "design_variables", dvs, isinstance(dvs, dict), "an object")
    for name, d in dvs.items():
        # a study's design variables are registered design inputs, each once: so many of
        # them (700,000 names, 49 MB: a report of 22.6 s and 0.94 GB) come from no study
        _require(path, "design_variables", name, _registered(name),
                 "a registered variable (keidesign variables)")
        _require(path, f"design_variables.{name}", d, isinstance(d, dict), "an object")
        for key in ("value", "lower", "upper"):
            _require(path, f"design_variables.{name}.{key}", d.get(key),
                     _is_number(d.get(key)) and (d.get(key) is None
                                                 or math.isfinite(d[key])), "a finite number")
        _require(path, f"design_variables.{name}.units", d.get("units"),
                 _is_text(d.get("units")), "text")
    disc = doc.get("discrete") or {}
    _require(path, "discrete", disc, isinstance(disc, dict)
             and all(map(_is_scalar, disc.values())), "an object of values")
    for key in ("skipped", "notes"):
        v = doc.get(key) or []
        _require(path, key, v, isinstance(v, list) and all(map(_is_text, v)), "a list of text")
    margins = doc.get("margins") or []
    _require(path, "margins", margins, isinstance(margins, list)
             and all(isinstance(m, dict) for m in margins), "a list of objects")
    for i, m in enumerate(margins, start=1):
        for key in ("id", "units"):
            _require(path, f"margins[{i}].{key}", m.get(key), _is_text(m.get(key)), "text")
        for key in ("margin", "min_margin"):
            _require(path, f"margins[{i}].{key}", m.get(key), _is_number(m.get(key)),
                     "a number")
        for key in ("active", "fixed", "constrained"):
            _require(path, f"margins[{i}].{key}", m.get(key),
                     isinstance(m.get(key, False), bool), "true or false")


def _check_evaluation(path: Path, doc: dict[str, Any]) -> None:
    """The fields of ``evaluation.json`` the report reads, each of the type it reads."""
    design = doc.get("design")
    _require(path, "design", design, isinstance(design, dict)
             and isinstance(design.get("name"), str), "an object with a name (text)")
    rules = doc.get("rules", [])
    _require(path, "rules", rules, isinstance(rules, list), "a list")
    for i, r in enumerate(rules, start=1):
        _require(path, f"rules[{i}]", r, isinstance(r, dict) and isinstance(r.get("id"), str)
                 and _is_text(r.get("path")) and all(map(_is_scalar, r.values())),
                 "an object with an id (text), a path (text) and values")
    summ = doc.get("summary", {})
    lists = ("failed", "policy_failed")     # the summary's two lists of constraint ids
    _require(path, "summary", summ, isinstance(summ, dict)
             and all(map(_is_scalar, (v for k, v in summ.items() if k not in lists))),
             "an object of values")
    for key in lists:
        ids = summ.get(key) or []
        _require(path, f"summary.{key}", ids,
                 isinstance(ids, list) and all(map(_is_text, ids)), "a list of text")
    records = doc.get("constraints", [])
    _require(path, "constraints", records, isinstance(records, list), "a list")
    for i, r in enumerate(records, start=1):
        _require(path, f"constraints[{i}]", r, isinstance(r, dict)
                 and isinstance(r.get("id"), str) and all(map(_is_scalar, r.values())),
                 "an object with an id (text) and values")


def _packs(evaluation: dict[str, Any]):
    from keidesign.evaluation import resolve_packs

    refs = []
    for r in evaluation.get("rules", []):
        p = r.get("path")
        refs.append(p if p and Path(p).is_file() else r["id"])
    return resolve_packs(refs)


#: The ``schema`` of the results-folder files this version writes and reads.
SCHEMAS = {"results.json": OPTIMIZE_SCHEMA, "evaluation.json": EVALUATION_SCHEMA}


def _check_schemas(res: dict[str, Any]) -> None:
    """A results file of another schema (a folder of another keidesign) is one line: it
    was reviewed as if this version had written it (new-user pass s37d). A file without
    a ``schema`` is read as before."""
    for name, key in (("results.json", "results"), ("evaluation.json", "evaluation")):
        schema = res[key].get("schema")
        if schema is not None and schema != SCHEMAS[name]:
            raise InputError(f"{show_path(res['dir'] / name)}: schema = {show(schema)}: not "
                             f"the schema this keidesign ({__version__}) reads; allowed: "
                             f"{SCHEMAS[name]!r} (rerun the study with this version, or "
                             "review the folder with the keidesign that wrote it)")


def other_version(evaluation: dict[str, Any], packs: Sequence[Any]) -> str:
    """``" (the folder was written by keidesign X with P v; this is ...)"`` when
    ``evaluation.json``'s keidesign version or a rule pack's version differs from this
    keidesign's (its packs ``packs``), else ``""``: said in the errors of a folder this
    version cannot read, so a user knows to rerun the study (new-user pass s37d)."""
    theirs = str(evaluation.get("keidesign_version") or __version__)  # not said: as ours
    ours = {p.id: str(p.version) for p in packs}
    changed = [(r["id"], str(r.get("version"))) for r in evaluation.get("rules", [])
               if r["id"] in ours and r.get("version") is not None
               and str(r["version"]) != ours[r["id"]]]
    if theirs == __version__ and not changed:
        return ""
    then = "".join(f" with {plain_cut(i, 40)} {plain_cut(v, 40)}" for i, v in changed[:3])
    now = "".join(f" with {i} {ours[i]}" for i, _ in changed[:3])
    return (f" (the folder was written by keidesign {plain_cut(theirs, 40)}{then}; this is "
            f"keidesign {__version__}{now}: rerun the study with this version)")


def _before_allowed(message: str, note: str) -> str:
    """``message`` with ``note`` put before its ``; allowed: ...`` (the one form ends with
    what is allowed), or at its end."""
    head, sep, allowed = message.partition("; allowed: ")
    return f"{head}{note}{sep}{allowed}"


def _check_records(path: Path, evaluation: dict[str, Any], packs: Sequence[Any]) -> None:
    """Each constraint record of ``evaluation.json`` is one of the rule packs it names
    (`keidesign evaluate` writes a record per constraint of its packs): the compliance
    table has a row per record, and 400,000 made-up records (67 MB, within the 64 MiB a
    results file may have) took 21.9 s and 0.75 GB (10.7 s without them, s29a)."""
    known = {c.full_id for p in packs for c in p.constraints}
    for i, r in enumerate(evaluation.get("constraints", []), start=1):
        if r["id"] not in known:
            names = ", ".join(p.id for p in packs) or "none"
            raise InputError(f"{show_path(path)}: constraints[{i}].id = {show(r['id'])}: not "
                             f"a constraint of the rule packs the file names ({names})"
                             f"{other_version(evaluation, packs)}; allowed: the file "
                             "`keidesign optimize` writes")


def _baseline_path(res: dict[str, Any]) -> Path | None:
    """The study's base design file (the JDM car the optimum started from)."""
    study_file = res["results"].get("study_file")
    if study_file and Path(study_file).is_file():
        try:
            from keidesign.studies.spec import load_study

            return Path(load_study(study_file).design_path)
        except InputError:
            pass
    head = read_text(res["dir"] / "optimum.toml", "optimum design file")[:2000]
    m = re.search(r"from base design (.+?); written by", head)
    return Path(m.group(1)) if m and Path(m.group(1)).is_file() else None


def _study_base(res: dict[str, Any]):
    """The study's base design as the study ran it: its design file with the study's
    ``[set]`` changes (the US content every ready study fits, ``[set.mass] market =
    "us"``); None when the study file is not found or not valid. The design file alone
    (:func:`_baseline_path`) made the key figures' change the optimization's and the
    [set] changes' together (task s31d)."""
    study_file = res["results"].get("study_file")
    if not study_file or not Path(study_file).is_file():
        return None
    try:
        from keidesign.studies.spec import load_study

        return load_study(study_file).base
    except InputError:
        return None


def result_inputs(result_dir: str | Path) -> dict[str, Any]:
    """What ``keidesign report`` reviews an optimize folder against (notebook 02 with
    its ``RESULTS`` parameter): ``{"study": name, "packs": the rule packs its
    evaluation names, "baseline": the study's base design as the study ran it (a Design,
    :func:`_study_base`), else its design file, or None when neither is found}``
    (InputError if the folder is not one ``keidesign optimize`` wrote)."""
    res = load_result(result_dir)
    return {"study": res["results"]["study"], "packs": _packs(res["evaluation"]),
            "baseline": _study_base(res) or _baseline_path(res)}


# --------------------------------------------------------------------------- HTML bits


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        if not math.isfinite(v):
            return "-"
        if 1e4 <= abs(v) < 1e9:
            return f"{v:,.0f}"
        return f"{v:.4g}" if abs(v) < 1e4 else f"{v:.4e}"
    return str(v)


def _result(rec: dict[str, Any] | None) -> tuple[str, str]:
    """(text, css class) of a constraint record's result."""
    if rec is None:
        return "absent", "na"
    if rec.get("passed") is None:
        return str(rec.get("status", "not modelled")).replace("-", " "), "na"
    text, cls = ("PASS", "pass") if rec["passed"] else ("FAIL", "fail")
    # a stated policy threshold, not a regulation (rule-pack key policy = true)
    return (f"{text} (policy)" if rec.get("policy") else text), cls


def compliance_html(records: Sequence[dict[str, Any]],
                    baseline: Sequence[dict[str, Any]] | None = None,
                    baseline_label: str = "baseline") -> str:
    """HTML table of every constraint record (``keidesign.evaluation/1`` records), with
    the baseline's value and result side by side when given."""
    base = {r["id"]: r for r in baseline or ()}
    head = ["constraint", "description", "value", "bound", "units", "margin", "result"]
    if baseline is not None:
        head += [f"{baseline_label}: value", f"{baseline_label}: result"]
    head += ["verification", "source"]
    rows = ["<tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>"]
    for r in records:
        text, cls = _result(r)
        cells = [f"<td><code>{_e(r['id'])}</code></td>", f"<td>{_e(r.get('description', ''))}</td>",
                 f"<td class=num>{_e(_fmt(r.get('value')))}</td>",
                 f"<td class=num>{_e(_fmt(r.get('bound')))}</td>",
                 f"<td>{_e(r.get('units') or '')}</td>",
                 f"<td class=num>{_e(_fmt(r.get('margin')))}</td>",
                 f"<td class={cls}>{_e(text)}</td>"]
        if baseline is not None:
            b = base.get(r["id"])
            btext, bcls = _result(b)
            cells += [f"<td class=num>{_e(_fmt(b.get('value') if b else None))}</td>",
                      f"<td class={bcls}>{_e(btext)}</td>"]
        # a judged record's caveat (an extrapolated rollover SSF, a class-average pole
        # value, a derived CAFE row), as the text table gives it; it was left out
        note = f"note: {r['note']}; " if r.get("note") else ""
        cells += [f"<td>{_e(r.get('verification', ''))}</td>",
                  f"<td class=src>{_e(note + r.get('source', ''))}</td>"]
        rows.append(f"<tr class=row-{cls}>" + "".join(cells) + "</tr>")
    return "<table class=compliance>\n" + "\n".join(rows) + "\n</table>"


def study_constraints_html(results: dict[str, Any]) -> str:
    """HTML table of the study's own constraints at the optimum (``results.json``
    ``margins``): id, margin in the constraint's units, the required margin, whether it
    is active (at its bound with a multiplier: the trade factors' rows) and how the
    optimizer held it; active ones first (task s31d: the report gave the active ones only
    in the trade factors' prose and the margins of the others nowhere)."""
    margins = results.get("margins") or []
    if not margins:
        return "<p class=note>No study constraints in results.json.</p>"
    rows = []
    for m in sorted(margins, key=lambda m: not m.get("active")):
        held = ("fixed by the design (a constant: no variable moves it)" if m.get("fixed")
                else "by the optimizer" if m.get("constrained") else "reported only")
        rows.append([m.get("id"), m.get("margin"), m.get("units") or "unitless",
                     m.get("min_margin"), "active" if m.get("active") else "", held])
    n = sum(bool(m.get("active")) for m in margins)
    return (f"<p>{len(margins)} constraints of the study, {n} active at the optimum "
            "(margin = value - bound, or bound - value, in the constraint's units; "
            "feasible when the margin is at least the required one).</p>"
            + table_html(["constraint", "margin", "units", "required margin", "active",
                          "held"], rows))


def table_html(head: Sequence[str], rows: Sequence[Sequence[Any]], cls: str = "") -> str:
    out = [f"<table class='{cls}'>", "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in head)
           + "</tr>"]
    for r in rows:
        out.append("<tr>" + "".join(
            f"<td class=num>{_e(_fmt(c))}</td>" if isinstance(c, (int, float))
            and not isinstance(c, bool) else f"<td>{_e(_fmt(c))}</td>" for c in r) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def markdown_html(text: str) -> str:
    """The small Markdown subset of ``trade_factors.md``: headings, (nested) bullets,
    paragraphs, ``**bold**`` and ``code``; ``\\*`` is a literal ``*`` (units such as
    ``cm\\*\\*3``, :func:`keidesign.studies.optimize.format_trade_factors`)."""
    def inline(s: str) -> str:
        s = _e(s).replace("\\*", "&#42;")
        s = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", s)
        return re.sub(r"`(.+?)`", r"<code>\1</code>", s)

    out, depth = [], 0
    for line in text.splitlines():
        m = re.match(r"^(\s*)- (.*)$", line)
        if m:
            level = len(m.group(1)) // 2 + 1
            while depth < level:
                out.append("<ul>")
                depth += 1
            while depth > level:
                out.append("</ul>")
                depth -= 1
            out.append(f"<li>{inline(m.group(2))}</li>")
            continue
        while depth:
            out.append("</ul>")
            depth -= 1
        h = re.match(r"^(#+)\s+(.*)$", line)
        if h:
            n = min(len(h.group(1)) + 2, 6)
            out.append(f"<h{n}>{inline(h.group(2))}</h{n}>")
        elif line.strip():
            out.append(f"<p>{inline(line)}</p>")
    out.extend("</ul>" for _ in range(depth))
    return "\n".join(out)


def _img(path: Path, alt: str, caption: str = "") -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    cap = f"<figcaption>{_e(caption)}</figcaption>" if caption else ""
    return (f"<figure><img alt='{_e(alt)}' src='data:image/png;base64,{data}'>{cap}"
            "</figure>")


CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:1.5em auto;
max-width:1500px;padding:0 1em;color:#222;line-height:1.4}
h1{font-size:1.5em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;font-size:.82em;margin:.6em 0}
th,td{border:1px solid #ccc;padding:.25em .45em;vertical-align:top}
th{background:#f2f2f2;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.pass{background:#d9f2d9;font-weight:600}td.fail{background:#f8d0cc;font-weight:600}
td.na{background:#eee;color:#555}td.src{font-size:.92em;color:#444;max-width:34em}
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #ddd}
figcaption{font-size:.85em;color:#555}.note{background:#fff6d5;padding:.4em .7em;
border-left:4px solid #e0b000}.kpi td{font-size:1.05em}code{font-size:.95em}
nav a{margin-right:1em}
"""


# --------------------------------------------------------------------------- build


def key_figures_html(cands: Sequence[Candidate]) -> str:
    """HTML table of :func:`key_figures` (with a change column for two candidates)."""
    head = (["quantity"] + [c.label for c in cands] + (["change"] if len(cands) == 2 else [])
            + ["units"])
    return table_html(head, key_figures(cands), "kpi")


def _change(before: float, after: float) -> float:
    """``after - before``, 0 where it is round-off of equal values (within 1e-9 of their
    size): the crush available of study (a)'s optimum, 380 mm as the baseline's, showed a
    change of -2.274e-13 mm (new-user pass s36d, notebook 02)."""
    d = after - before
    return 0.0 if abs(d) <= 1e-9 * max(abs(before), abs(after)) else d


def key_figures(cands: Sequence[Candidate]) -> list[list[Any]]:
    """Rows ``[quantity, value per candidate..., (change,) units]`` of the key figures."""
    keys = [("curb mass", "mass:curb", "kg", 1.0),
            ("direct manufacturing cost", "cost:vehicle", "USD 2024", 1.0),
            ("retail price estimate", "cost:price", "USD 2024", 1.0),
            ("EPA label combined", "energy:label_comb_mpg", "mpg (MPGe for a BEV)", 1.0),
            ("EPA range (BEV)", "energy:ev_range", "mi", 1.0),
            ("0-60 mph", "perf:accel_0_60", "s", 1.0),
            ("crush past the stack at 56 km/h (FMVSS 208 crush space)",
             "crash:front:crush_past_stack", "mm", 1.0),
            ("crush available", "crash:front:crush_available", "mm", 1.0),
            ("total dynamic crush incl. the stack at 56 km/h (not judged)",
             "crash:front:crush_required", "mm", 1.0),
            ("mean pulse", "crash:front:mean_decel", "g", 1.0 / 9.80665),
            ("US NCAP frontal (model)", "crash:ncap:frontal:stars", "stars", 1.0),
            ("US NCAP side (model)", "crash:ncap:side:stars", "stars", 1.0),
            ("US NCAP rollover (model)", "crash:rollover:stars", "stars", 1.0),
            ("static stability factor (NHTSA's data: 1.07-1.83)", "crash:rollover:ssf", "-",
             1.0),
            ("length x width x height", None, "mm", 1.0)]
    rows = []
    for label, name, units, scale in keys:
        if name is None:
            vals = [f"{c.value('body:length'):.0f} x {c.value('body:width'):.0f} x "
                    f"{c.value('body:height'):.0f}" for c in cands]
        else:
            raw = [c.value(name) for c in cands]
            if all(not math.isfinite(v) or v == 0.0 for v in raw):
                continue
            vals = [v * scale if math.isfinite(v) else None for v in raw]
        row = [label] + vals + [units]
        if name is not None and len(cands) == 2 and all(isinstance(v, float) for v in vals):
            row.insert(-1, _change(vals[0], vals[1]))
        elif len(cands) == 2:
            row.insert(-1, "")
        rows.append(row)
    return rows


def _not_a_result_file(out: Path, rdir: Path) -> None:
    """Refuse an ``--out`` that is one of the results a study run wrote in a results
    folder (``keidesign.studies.resultsdir.RESULT_NAMES``: ``optimum.toml``,
    ``results.json``, ``cases.sqlite``, ...), in the reported folder or any other: the
    HTML replaced them (s29b: ``--out RESULTS/optimum.toml`` left an optimum that no
    longer loaded), before any work is done."""
    import fnmatch

    from keidesign.studies.resultsdir import RESULT_NAMES

    if not out.exists() and not out.is_symlink():
        return
    folder = out.resolve().parent
    ours = folder == rdir.resolve() or (folder / "results.json").is_file() or (
        folder / "cases.sqlite").is_file()
    hit = next((pat for pat in RESULT_NAMES if fnmatch.fnmatch(out.name, pat)), None)
    if ours and hit is not None:
        raise InputError(f"keidesign report: --out {show_path(out)}: a result of a study run "
                         "(the report would replace it); allowed: a new file or an earlier "
                         "report, e.g. report.html (the default, in the results folder)")


def build_report(result_dir: str | Path, *, out: str | Path | None = None,
                 baseline: str | Path | None = None, pareto: str | Path | None = None,
                 sweep: str | Path | None = None, views: bool = True,
                 compare_rules: Sequence[Sequence[str]] | None = POLICY_SETS,
                 log: Callable[[str], None] | None = None) -> Path:
    """Write the HTML review of an optimize folder; returns its path (default
    ``RESULT_DIR/report.html``). ``compare_rules``: two rule sets the candidate is also
    judged under, side by side (the policy question; default CAFE in force vs the SAFE
    III proposal; None leaves the section out)."""
    t0 = time.perf_counter()
    log = log or (lambda s: None)
    res = load_result(result_dir)
    rdir, results, evaluation = res["dir"], res["results"], res["evaluation"]
    if out is None:  # in a folder that may come from someone else: never through a link
        out = rdir / "report.html"
        if out.is_symlink() or (out.exists() and not out.is_file()):
            raise InputError(f"keidesign report: {show_path(out)}: "
                             f"{'a symbolic link' if out.is_symlink() else 'not a file'} "
                             "in the results folder; the report would be written through "
                             "it; allowed: a regular file or none there (remove it, or "
                             "give --out FILE)")
    out = Path(out)
    _not_a_result_file(out, rdir)
    _check_schemas(res)
    packs = _packs(evaluation)
    _check_records(res["dir"] / "evaluation.json", evaluation, packs)
    study = results.get("study") or ""  # the candidate is this study's optimum, not
    # "US candidate" whatever the study (new-user review, task s29b)
    try:
        cand = load_candidate(rdir / "optimum.toml", packs=packs,
                              label=f"optimum of {study}" if study.strip() else None)
    except InputError as exc:  # an optimum of a design key since renamed (s37d)
        other = other_version(evaluation, packs)
        if not other and re.search(r": unknown (key|table) ", str(exc)):
            other = (" (optimum.toml is written by `keidesign optimize`: a folder of "
                     "another keidesign version, or an edited file; rerun the study with "
                     "this version)")
        if not other:
            raise
        raise InputError(_before_allowed(str(exc), other)) from None
    base_src = Path(baseline) if baseline else (_study_base(res) or _baseline_path(res))
    base = None
    if base_src is not None:
        base = load_candidate(base_src, packs=packs)
        base.label = f"baseline: {base.design.name.split(' (')[0]}"
    cands = [c for c in (base, cand) if c is not None]
    log(f"evaluated {len(cands)} design(s) ({time.perf_counter() - t0:.1f} s)")

    figures: dict[str, str] = {}
    notes: list[str] = []
    from keidesign.review import plots, scene

    with tempfile.TemporaryDirectory(prefix="keidesign-report-") as tmp:
        tmpd = Path(tmp)

        def figure(key: str, caption: str, make: Callable[[Path], Path]) -> None:
            t = time.perf_counter()
            try:
                path = make(tmpd / f"{key}.png")
                figures[key] = _img(path, key, caption)
            except Exception as exc:  # one figure must not sink the report: say why
                figures[key] = (f"<p class=note>Figure '{_e(key)}' could not be drawn: "
                                f"{_e(type(exc).__name__)}: {_e(exc)}</p>")
                notes.append(f"figure {key}: {type(exc).__name__}: {exc}")
            log(f"figure {key} ({time.perf_counter() - t:.1f} s)")

        if views:
            figure("view_front34", "3D view, same scale: parts coloured by role, kei "
                   "envelope (black wireframe), crush budget on the crush zone and the "
                   "ground rulers (magenta: available; red/blue: used at 56 km/h).",
                   lambda p: scene.render(cands, p, view="front34", size=(820, 540)))
            figure("view_side", "Side view at the same scale.",
                   lambda p: scene.render(cands, p, view="side", size=(820, 430),
                                          legend=False))
            figure("view_exterior", "Exterior (opaque body), front three-quarter.",
                   lambda p: scene.render(cands, p, view="front34", size=(620, 400),
                                          style="exterior", crush=False, legend=False))
        figure("crash_pulse", "FMVSS 208 56 km/h body deceleration (model).",
               lambda p: plots.save(plots.crash_pulse(cands), p))
        figure("force_crush", "Barrier force vs body crush (dotted: crush available).",
               lambda p: plots.save(plots.force_crush(cands), p))
        figure("crush_budget", "Crush budget: available by zone vs the crush past the "
               "stack (what FMVSS 208's crush space compares; dashed: the total dynamic "
               "crush incl. the stack).",
               lambda p: plots.save(plots.crush_budget(cands), p))
        figure("margins", "Margin of every evaluated constraint relative to its bound.",
               lambda p: plots.save(plots.constraint_margins(cands), p))
        figure("cycles", "Drive cycles: speed, power drawn and cumulative consumption "
               "(hot start; the model's cycle results are these sums).",
               lambda p: plots.save(plots.cycle_traces(cands), p))
        if base is not None:
            figure("mass_cost", "Mass and cost by part group, baseline vs candidate.",
                   lambda p: plots.mass_cost_breakdown(base, cand, p))
        access: dict[str, Any] = {}

        def access_png(p: Path) -> Path:
            from keidesign.classification.report import classify_design
            from keidesign.review.access_map import access_map

            access.update(classify_design(cand.design, cand.evaluation))
            return access_map(access, p)

        figure("access_map", "Road access by state of the candidate's federal class "
               "(tile map; docs/classification.md).", access_png)
        history = rdir / "history.json"
        if history.is_file():
            figure("history", "Optimization history of the recorded run.",
                   lambda p: plots.save(plots.optimization_history(history), p))
        else:
            notes.append(f"no {history}: optimization history left out")
        if pareto is not None:
            figure("pareto", f"Pareto front of {pareto} with this result's design marked "
                   "(a Pareto study over other variables may lie above or below it).",
                   lambda p: plots.save(plots.pareto_front(pareto, chosen=cand,
                                                           chosen_label=cand.label), p))
        if sweep is not None:
            figure("feasibility", f"Feasibility map of {sweep} (other values as in that "
                   "study's base design) with this result's design marked.",
                   lambda p: plots.save(plots.feasibility_map(sweep, chosen=cand,
                                                              chosen_label=cand.label), p))

    policy = ""
    if compare_rules:
        t = time.perf_counter()
        sets = [list(x) for x in compare_rules]
        _, rows = side_by_side(cand.design, sets)
        policy = rules_compare_html(sets, rows)
        log(f"rule sets compared ({time.perf_counter() - t:.1f} s)")
    page = _page(rdir, results, evaluation, cand, base, figures, notes, access, policy,
                 res["trade_factors"])
    if out.is_symlink() or (out.exists() and not out.is_file()):
        out.write_text(page, encoding="utf-8")  # an --out FILE named so (/dev/stdout, a link)
    else:  # never into the file a hard link's other name also is (s31l)
        replace_file(out, page)
    log(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB, "
        f"{time.perf_counter() - t0:.1f} s)")
    return out


def rules_compare_html(sets: Sequence[Sequence[str]],
                       rows: list[tuple[str, list[dict | None]]]) -> str:
    """The candidate's criteria under two rule sets (:mod:`keidesign.rules_compare`):
    rows whose verdict or margin differs first and marked, then the rest."""
    names = [" + ".join(x) for x in sets]
    cells = [(key, [cell(r) for r in recs]) for key, recs in rows]
    changed = [(k, c) for k, c in cells if len(set(c)) > 1]
    same = [(k, c) for k, c in cells if len(set(c)) == 1]
    body = [["*", k, *c] for k, c in changed] + [["", k, *c] for k, c in same]
    return (f"<p>The candidate judged under {_e(names[0])} and under {_e(names[1])} "
            f"(<code>keidesign compare DESIGN --rules {_e(','.join(sets[0]))} --rules "
            f"{_e(','.join(sets[1]))}</code>): {len(changed)} of {len(cells)} criteria "
            "differ (marked *). Fleet-average standards (CAFE, GHG) judge the model's "
            "contribution, not a pass/fail of the car.</p>"
            + table_html(["", "criterion", *names], body))


def _counts_html(summ: dict[str, Any]) -> str:
    """The head's count of the candidate's constraints, every status (the not-applicable
    ones were left out of the sum before task s35f) and the policy thresholds among the
    failures (evaluate's 'FAIL (policy)')."""
    policy = summ.get("n_policy_failed") or 0
    why = (f" ({_e(policy)} of them policy thresholds, not regulations)" if policy else "")
    return (f"Constraints: {_e(summ.get('n_passed', 0))} pass, {_e(summ.get('n_failed', 0))} "
            f"fail{why}, {_e(summ.get('n_not_modelled', 0))} not modelled, "
            f"{_e(summ.get('n_not_applicable', 0))} not applicable "
            f"(of {_e(summ.get('n_constraints', 0))}).")


def _failed_html(summ: dict[str, Any]) -> str:
    """The note naming the candidate's failed constraints, a policy threshold marked."""
    failed = summ.get("failed") or []
    if not failed:
        return ""
    policy = set(summ.get("policy_failed") or [])
    return ("<p class=note>Failed constraints of the candidate: "
            + ", ".join(f"<code>{_e(f)}</code>" + (" (policy)" if f in policy else "")
                        for f in failed) + "</p>")


def _page(rdir: Path, results: dict[str, Any], evaluation: dict[str, Any], cand: Candidate,
          base: Candidate | None, figures: dict[str, str], notes: list[str],
          access: dict[str, Any] | None = None, policy: str = "",
          trade: str | None = None) -> str:
    obj = results.get("objective", {})
    summ = evaluation.get("summary", {})
    study = results.get("study", "")
    when = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    records = evaluation.get("constraints", [])
    parts = [
        "<!DOCTYPE html>", "<html lang=en><head><meta charset='utf-8'>",
        f"<title>Design review: {_e(study)}</title>", f"<style>{CSS}</style></head><body>",
        f"<h1>Design review: {_e(study)}</h1>",
        f"<p>Candidate: <strong>{_e(evaluation['design']['name'])}</strong> "
        f"(<code>{_e(rdir / 'optimum.toml')}</code>)"
        + (f"<br>Baseline: <strong>{_e(base.design.name)}</strong> "
           f"(<code>{_e(base.design.path)}</code>)" if base else "")
        + f"<br>Objective {_e(obj.get('name'))} = {_e(_fmt(obj.get('value')))} "
        f"{_e(obj.get('units') or '')} ({_e(obj.get('sense'))}); optimizer "
        f"{'converged' if results.get('success') else 'did NOT converge'}, "
        f"{'feasible' if results.get('feasible') else 'INFEASIBLE'}; "
        f"{_e(results.get('n_starts'))} start(s), {_e(results.get('n_model_evaluations'))} "
        f"model evaluations.<br>{_counts_html(summ)} keidesign {_e(__version__)}, written "
        f"{when} by <code>keidesign report</code>.</p>",
        "<nav><a href='#key'>key figures</a><a href='#views'>3D</a>"
        "<a href='#compliance'>compliance</a><a href='#packs'>rule packs</a>"
        "<a href='#constraints'>study constraints</a>"
        "<a href='#trade'>trade factors</a><a href='#variables'>design variables</a>"
        "<a href='#crash'>crash</a><a href='#energy'>energy</a><a href='#cost'>mass and "
        "cost</a><a href='#class'>class and road access</a><a href='#policy'>rule sets"
        "</a>"
        "<a href='#study'>optimization</a></nav>",
    ]
    cands = [c for c in (base, cand) if c is not None]
    parts += ["<h2 id=key>Key figures</h2>", key_figures_html(cands)]
    parts.append(_failed_html(summ))
    parts.append("<h2 id=views>3D views</h2>")
    parts += [figures[k] for k in ("view_front34", "view_side", "view_exterior")
              if k in figures]
    parts += ["<h2 id=compliance>Compliance: every constraint</h2>",
              "<p>All records of the candidate's <code>evaluation.json</code> (rule packs "
              "below). <em>not modelled</em>: a criterion no model computes yet (never a "
              "silent pass); <em>not applicable</em>: the quantity does not exist for this "
              "design.</p>",
              compliance_html(records, base.constraints if base else None,
                              "baseline" if base else "")]
    parts += ["<h2 id=packs>Rule packs and sources</h2>",
              table_html(["pack", "version", "title", "source", "file"],
                     [[r.get("id"), r.get("version"), r.get("title"), r.get("source"),
                       Path(str(r.get("path", ""))).name] for r in evaluation.get("rules", [])])]
    parts += ["<h2 id=constraints>Study constraints at the optimum</h2>",
              study_constraints_html(results)]
    parts.append("<h2 id=trade>Trade factors</h2>")
    parts.append(markdown_html(trade) if trade is not None
                 else "<p class=note>No trade_factors.md in the results folder.</p>")
    dv = results.get("design_variables", {})
    rows = []
    for name, d in dv.items():
        v, lo, hi = d.get("value"), d.get("lower"), d.get("upper")
        at = ("lower" if v is not None and lo is not None and abs(v - lo) <= 1e-6 * max(
            1.0, abs(hi - lo)) else "upper" if v is not None and hi is not None and
            abs(v - hi) <= 1e-6 * max(1.0, abs(hi - lo)) else "")
        rows.append([name, v, lo, hi, d.get("units") or "", at,
                     base.value(name) if base else None])
    parts += ["<h2 id=variables>Design variables</h2>",
              table_html(["variable", "optimum", "lower", "upper", "units", "at bound",
                      "baseline"], rows)]
    if results.get("discrete"):
        parts.append("<p>Discrete choice: " + ", ".join(
            f"<code>{_e(k)}</code> = {_e(v)}" for k, v in results["discrete"].items()) + "</p>")
    parts.append("<h2 id=crash>Crash</h2>")
    parts += [figures[k] for k in ("crash_pulse", "force_crush", "crush_budget", "margins")
              if k in figures]
    parts.append("<h2 id=energy>Energy</h2>")
    parts += [figures[k] for k in ("cycles",) if k in figures]
    parts.append("<h2 id=cost>Mass and cost against the baseline</h2>")
    parts += [figures[k] for k in ("mass_cost",) if k in figures]
    parts.append("<h2 id=class>Class and road access</h2>")
    if access:
        from keidesign.classification.report import one_line

        parts.append(f"<p>{_e(one_line(access))}</p>")
    parts += [figures[k] for k in ("access_map",) if k in figures]
    if policy:
        parts += ["<h2 id=policy>Rule sets compared: what the proposed rollback changes</h2>",
                  policy]
    parts.append("<h2 id=study>Optimization</h2>")
    parts += [figures[k] for k in ("history", "pareto", "feasibility") if k in figures]
    if results.get("skipped"):
        parts.append("<h3>Criteria chosen by a glob that no model computes (skipped)</h3><ul>"
                     + "".join(f"<li>{_e(s)}</li>" for s in results["skipped"]) + "</ul>")
    all_notes = list(results.get("notes", [])) + notes
    if all_notes:
        parts.append("<h3>Notes</h3><ul>" + "".join(f"<li>{_e(n)}</li>" for n in all_notes)
                     + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
