"""One design under two sets of rule packs, side by side (issue 15, deliverable 4).

The policy question ("what does the proposed rollback change for a kei car?") is the same
design judged under two rule sets: ``keidesign compare DESIGN --rules A --rules B``. Each
set builds and runs the model once (a pack can add model components, e.g. the GHG
target); the criteria are matched by their id within the pack (``cafe.target`` of
``cafe-2024`` and of ``safe-iii``), so a row shows the same criterion under both sets and
a criterion only one set has shows ``-`` on the other side.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from keidesign.design import Design
from keidesign.errors import plain_cut
from keidesign.evaluation import Evaluation, evaluate_design, resolve_packs
from keidesign.rulepacks import RulePack

__all__ = ["cell", "format_side_by_side", "side_by_side"]


def _key(record: dict[str, Any]) -> str:
    return record["id"].split(":", 1)[-1]


def side_by_side(design: Design, rule_sets: Sequence[Sequence[str]]
                 ) -> tuple[list[Evaluation], list[tuple[str, list[dict | None]]]]:
    """Evaluate ``design`` under each rule set (pack ids or paths); rows
    ``(criterion, [record under set 0, record under set 1, ...])`` in first-seen order."""
    packs: list[list[RulePack]] = [resolve_packs(list(s), where="--rules") for s in rule_sets]
    evs = [evaluate_design(design, p) for p in packs]
    rows: dict[str, list[dict | None]] = {}
    for k, ev in enumerate(evs):
        for rec in ev.constraints:
            key = _key(rec)
            if key in rows and rows[key][k] is not None:  # two packs of one set, same id
                key = rec["id"]
            rows.setdefault(key, [None] * len(evs))[k] = rec
    return evs, list(rows.items())


def cell(rec: dict | None, why: bool = True) -> str:
    """One record as text: value, bound, verdict and margin (``-`` if absent); one that is
    not applicable says why when ``why`` (``"not applicable: safe-iii has no light-truck
    table ..."``: the HTML report's cell; the text table lists the reasons under it)."""
    if rec is None:
        return "-"
    if rec["passed"] is None:
        state = rec["status"].replace("-", " ")
        reason = rec.get("reason") if rec["status"] == "not-applicable" else None
        return f"{state}: {reason}" if why and reason else state
    val = f"{rec['value']:.4g}" if isinstance(rec["value"], float) else str(rec["value"])
    bound = f"{rec['bound']:.4g}" if isinstance(rec["bound"], float) else str(rec["bound"])
    op = "<=" if rec["kind"] == "upper" else ">="
    res = ("PASS" if rec["passed"] else "FAIL") + (" (policy)" if rec.get("policy") else "")
    return f"{val} {op} {bound} {rec['units'] or ''}: {res} ({rec['margin']:+.4g})"


def format_side_by_side(design: Design, rule_sets: Sequence[Sequence[str]],
                        rows: list[tuple[str, list[dict | None]]],
                        changed_only: bool = False) -> str:
    """Text table: one row per criterion, one column per rule set (value, bound, result
    and margin); rows whose verdict or margin differs are marked ``*``; the reason of
    each not-applicable cell follows the table."""
    names = [" + ".join(s) for s in rule_sets]
    head = [f"{design.name} (model year {design.model_year}): the same design under "
            + " vs ".join(names), ""]
    table = [("", "criterion", *names)]
    why: dict[tuple[str, str], list[str]] = {}
    for key, recs in rows:
        cells = [cell(r, why=False) for r in recs]
        differs = len(set(cells)) > 1
        if changed_only and not differs:
            continue
        table.append(("*" if differs else "", key, *cells))
        for name, r in zip(names, recs, strict=True):
            if r is not None and r["status"] == "not-applicable" and r.get("reason"):
                why.setdefault((key, r["reason"]), []).append(name)
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    lines = ["  ".join(x.ljust(w) for x, w in zip(r, widths, strict=True)).rstrip()
             for r in table]
    lines.insert(1, "-" * min(sum(widths) + 2 * len(widths), 160))
    # a reason quotes a pack's applicability (any text): one printable line, cut (s30c:
    # its ESC sequences and line breaks were printed raw, a forged row under the table)
    notes = [plain_cut(f"not applicable: {key} ({' and '.join(sets)}): {reason}")
             for (key, reason), sets in why.items()]
    return "\n".join(head + lines + ["", "* the verdict or the margin differs", *notes])
