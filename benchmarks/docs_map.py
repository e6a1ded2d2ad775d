"""A reader's map of the long docs (task s38i, 7 Dec 2026): a generated block near the top
of docs/validation.md, crash.md, geometry.md, energy.md, mass_cost.md and classification.md
that lists their sections by what a reader looks for.

    python benchmarks/docs_map.py               # print the maps
    python benchmarks/docs_map.py --write-docs  # rewrite each doc's block (inserted if absent)
    python benchmarks/docs_map.py --check       # exit 1 if a block is missing or differs

Run it after every other regenerator (docs/CONTRIBUTING.md, "Generated blocks of the
docs"): they add sections. The docs have grown by dated trial sections between the model
description, the results and the targets tables; no section is moved (tests and benchmark
scripts quote headings and figures), the map only points at them. Each level-2 and
level-3 heading (level 4 only under a trial) is one line, a link to its GitHub anchor
(numbered as GitHub numbers repeated headings, fenced code blanked, as
tests/test_docs_commands.py resolves them), with the date and task its heading names, in
one of five groups (:data:`GROUPS`). A heading is classified by its own words, first
match wins: the override table :data:`OVERRIDES` (headings the words misclassify, each
with its reason); the words of a history (:data:`HISTORY`); a verdict, "shipped"
(:data:`SHIPPED`) before "tried, not shipped / not kept / searched / nothing changed"
(:data:`NOT_SHIPPED`), so a heading that names both shipped something; a section the
doc's "Where the models stand" block links as a target's details (a current figure); the
words of a result (:data:`RESULT`: "results", "validation", "against", "targets", ...);
a date, task or probe with no verdict (a probe's record: group 4); otherwise a model
section. A level-4 heading with no words of its own takes its parent trial's group. A
heading sits under its parent in its group's list; a parent of another group is named
once above its headings (``in [parent]:``). Runs in well under a
second (reads the docs only); ``tests/test_docs_map.py`` holds the blocks to it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import docblock  # benchmarks/docblock.py
from docs_summary import slug  # GitHub's anchor of a heading's text

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = "docs_map"
DOCS = ("validation.md", "crash.md", "geometry.md", "energy.md", "mass_cost.md",
        "classification.md")

#: the groups of a map, in its order, with their labels
GROUPS = {
    "models": "Models and how to run",
    "results": "Current results and targets",
    "shipped": "Trials: shipped",
    "not_shipped": "Trials: tried, not shipped; probes and searches",
    "history": "History",
}

#: headings (their first words, as in the doc) that the word rules misclassify, with why
OVERRIDES: dict[str, tuple[str, str]] = {
    # docs/crash.md
    "Constants that are assumptions": (
        "models", "the model's constants table; its 'default since' dates a constant, not a trial"),
    "Unloading past the zones": (
        "shipped", "the section's law is the kernel's since 5 Dec 2026 (`_unload_s`)"),
    "The default payload of an import without a GVWR": (
        "shipped", "the rule shipped with task s28a's refit (docs/mass_cost.md, 'Refit after')"),
    "A class crush for engine-less imported fronts": (
        "shipped", "'all six items pass, shipped'; the constants' heading names its C*"),
    # docs/validation.md
    "Kei vans are goods vehicles": (
        "shipped", "the WLTC goods test mass and the design key `body.use` shipped"),
    "Kei paths": ("shipped", "the kei class defaults it judged shipped ('shipped as the class "
                  "default')"),
    "A 3-4 speed automatic's pump and drag torque": (
        "shipped", "'Shipped (7 Dec 2026, task s35h)' in the section"),
    "The absent rows' road load taken apart": (
        "shipped", "the BEV default reduction it judged shipped"),
    # docs/energy.md
    "2. Cycles and test results": (
        "models", "the definitions of the cycle results (equations, CFR sources), no figures"),
    # docs/mass_cost.md
    "The kei ISG's mass": (
        "shipped", "the belt ISG's mass law `hybrid_masses` gives since 4 Dec 2026"),
    "The size law's volume at the reference dash": (
        "shipped", "the fix the section before it names ('fixed by task s31a')"),
}

HISTORY = re.compile(r"\bhistory\b|^how the figures got here|^rerun\b|^refit\b|\brefitted\b",
                     re.I)
SHIPPED = re.compile(r"(?<!not )(?<!nothing )\bshipped\b|\bdefault since\b|\bfixed by\b",
                     re.I)
NOT_SHIPPED = re.compile(
    r"\bnot shipped\b|\bnot kept\b|\bnothing shipped\b|\bnothing changed\b|\bnot wired\b"
    r"|\bno constant changed\b|\bnone changed\b|\bunchanged\b|\bnot re-tuned\b|\bsearched\b"
    r"|\bno source\b|\btried\b|\ba trial\b|\bdiagnosis\b|\bstays\b", re.I)
RESULT = re.compile(
    r"\bresults?\b|\bvalidation\b|\bknown outcomes\b|\btargets\b|\bwhat the numbers say\b"
    r"|\bworst configurations\b|\bagainst\b|\bvs\b|\bfastsim\b|\bspeed \(|\breference designs\b"
    r"|\bfrom published specs\b|^plausibility\b|^\([a-g]\)", re.I)
TRIAL = re.compile(r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w* \d{4}\b"
                   r"|\btasks? s\d|\bprobes? `")
DATE = re.compile(r"\b(\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w* \d{4})\b")
TASK = re.compile(r"\btasks? (s\d+\w*)")
FENCE = re.compile(r"```.*?```", re.S)       # as tests/test_docs_commands.py blanks them


@dataclass
class Heading:
    level: int
    text: str
    anchor: str
    parent: Heading | None = None
    group: str = ""


def headings(doc: str) -> list[Heading]:
    """The ``#`` headings of the Markdown text ``doc`` (fenced blocks blanked), each with
    its anchor (repeats numbered ``-1``, ``-2``) and its parent (the nearest heading of a
    lower level before it)."""
    prose = FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), doc)
    seen: dict[str, int] = {}
    out: list[Heading] = []
    stack: list[Heading] = []
    for m in re.finditer(r"^(#{1,6})\s+(.*)$", prose, re.M):
        text = m.group(2).strip()
        s = slug(text)
        k = seen.get(s, 0)
        seen[s] = k + 1
        h = Heading(len(m.group(1)), text, s if k == 0 else f"{s}-{k}")
        while stack and stack[-1].level >= h.level:
            stack.pop()
        h.parent = stack[-1] if stack else None
        stack.append(h)
        out.append(h)
    return out


def classify(text: str, summary: frozenset[str] = frozenset(), anchor: str = "") -> str | None:
    """The group of a heading by its own words (:data:`OVERRIDES` first); a heading with no
    verdict that the doc's "Where the models stand" block links (its anchor in
    ``summary``) holds a target's current figure; ``None`` for an undated heading with no
    words of a group (a model section, or a level-4 heading that takes its parent's
    group)."""
    for start, (group, _why) in OVERRIDES.items():
        if text.startswith(start):
            return group
    if HISTORY.search(text):
        return "history"
    if SHIPPED.search(text):
        return "shipped"
    if NOT_SHIPPED.search(text):
        return "not_shipped"
    if anchor in summary:
        return "results"
    if RESULT.search(text):
        return "results"
    if TRIAL.search(text):
        return "not_shipped"
    return None


def mapped(doc: str) -> list[Heading]:
    """The headings of the map with their groups: levels 2 and 3, and level 4 under a
    trial (a level-3 heading of group shipped or not_shipped)."""
    try:
        links = docblock.block(doc, "docs_summary")
    except ValueError:
        links = ""
    summary = frozenset(re.findall(r"\]\(#([^)\s]+)\)", links))
    out = []
    for h in headings(doc):
        if h.level in (2, 3):
            h.group = classify(h.text, summary, h.anchor) or "models"
        elif h.level == 4 and h.parent is not None and h.parent.group in ("shipped",
                                                                          "not_shipped"):
            h.group = classify(h.text, summary, h.anchor) or h.parent.group
        else:
            continue
        out.append(h)
    return out


def title(text: str) -> str:
    """A heading's short title: its words before a parenthesis naming a date, task, probe,
    issue or deliverable, and before a trailing verdict (``: tried, not shipped``)."""
    m = re.search(r" \((?=[^)]*(?:\d{4}|\btask|\bprobe|\bissue|\bdeliverable))", text)
    if m:
        rest = re.match(r"[^)]*\): (.+)", text[m.end():])
        text = rest.group(1) if rest and " " not in text[:m.start()] else text[:m.start()]
    m = re.search(r"[:,] (?=[^:]*(?:tried|shipped|not kept)\b)", text)
    text = text[:m.start()] if m else text
    return text[:1].upper() + text[1:]


def entry(h: Heading) -> str:
    """One line of the map: the link to ``h``, the date and task its heading names."""
    tags = [x.group(1) for x in (DATE.search(h.text), TASK.search(h.text)) if x]
    return f"[{title(h.text)}](#{h.anchor})" + (f" ({', '.join(tags)})" if tags else "")


def ancestors(h: Heading) -> list[Heading]:
    """``h``'s level-2 and deeper ancestors, outermost first."""
    out, p = [], h.parent
    while p is not None and p.level >= 2:
        out.insert(0, p)
        p = p.parent
    return out


def group_lines(rows: list[Heading]) -> list[str]:
    """The list of one group: each heading nested under its parent; a parent of another
    group is named once, as ``in [parent]:``, above the headings it holds."""
    out: list[str] = []
    path: list[Heading] = []
    for h in rows:
        anc = ancestors(h)
        k = 0
        while k < min(len(anc), len(path)) and anc[k] is path[k]:
            k += 1
        path = path[:k]
        for a in anc[k:]:
            out.append("  " * len(path) + f"- in [{title(a.text)}](#{a.anchor}):")
            path.append(a)
        out.append("  " * len(path) + "- " + entry(h))
        path.append(h)
    return out


def doc_map(doc: str, name: str) -> str:
    """The block of one doc: a lead line and the five groups (an empty group says so)."""
    hs = mapped(doc)
    lines = [f"**Reader's map of {name}** (generated by `python benchmarks/docs_map.py "
             "--write-docs` from the headings; no section moved): the sections grouped by "
             "what their headings say they hold (each verdict is its section's), with the "
             "date and task a heading names; a parent of another group is named once "
             "(\"in ...\") above its sections."]
    for group, label in GROUPS.items():
        rows = [h for h in hs if h.group == group]
        lines += ["", f"*{label}* ({len(rows)}):" if rows else f"*{label}*: none."]
        if rows:
            lines.append("")
        lines += group_lines(rows)
    return "\n".join(lines)


def insert_markers(path: Path) -> None:
    """Put the empty block of this script into ``path`` when it has none: after the
    block of benchmarks/docs_summary.py when present, else before the first level-2
    heading."""
    text = path.read_text(encoding="utf-8")
    begin, end = docblock.markers(SCRIPT)
    if begin in text:
        return
    after = docblock.markers("docs_summary")[1]
    if after in text:
        i = text.index(after) + len(after) + 1
    else:
        prose = FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)  # offsets kept
        i = re.search(r"^## ", prose, re.M).start()
    path.write_text(text[:i] + ("\n" if after in text else "") + f"{begin}\n{end}\n"
                    + ("" if after in text else "\n") + text[i:], encoding="utf-8")


def counts(doc: str) -> dict[str, int]:
    """How many headings of the map each group holds."""
    hs = mapped(doc)
    return {g: sum(h.group == g for h in hs) for g in GROUPS}


def main() -> int:
    args = docblock.arguments(__doc__)
    status = 0
    for name in DOCS:
        path = ROOT / "docs" / name
        if args.write_docs:
            insert_markers(path)
        doc = path.read_text(encoding="utf-8")
        text = doc_map(doc, name)
        print(text, end="\n\n")
        print(f"({name}: {len(text.splitlines())} lines; "
              + ", ".join(f"{g} {n}" for g, n in counts(doc).items()) + ")", end="\n\n")
        if args.check and docblock.markers(SCRIPT)[0] not in path.read_text(encoding="utf-8"):
            print(f"docs/{name}: no block of benchmarks/{SCRIPT}.py", file=sys.stderr)
            status = 1
            continue
        status |= docblock.write_or_check(args, path, SCRIPT, text, ROOT)
    return status


if __name__ == "__main__":
    sys.exit(main())
