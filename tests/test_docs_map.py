"""The reader's maps at the top of the long docs (task s38i): each doc's block is what
``python benchmarks/docs_map.py`` prints from its headings now (``--check`` exits 0), sits
near the top, lists every level-2 and level-3 heading once under one group, and every
link of it names a heading of its doc (as tests/test_docs_commands.py resolves them)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT, fresh_benchmark

docs_map = fresh_benchmark("docs_map")
docblock = fresh_benchmark("docblock")


def test_check_exits_zero_on_the_docs():
    """The maps are current: ``--check`` exits 0 (run last of the regenerators,
    docs/CONTRIBUTING.md)."""
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "docs_map.py"), "--check"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("name", docs_map.DOCS)
def test_map_is_current_and_complete(name):
    text = (ROOT / "docs" / name).read_text(encoding="utf-8")
    block = docblock.block(text, "docs_map")
    assert block == docs_map.doc_map(text, name).strip()
    # near the top: before the first level-2 heading, after the summary when there is one
    assert text.index("docs_map.py: begin") < text.index("\n## ")
    if "docs_summary.py: end" in text:
        assert text.index("docs_summary.py: end") < text.index("docs_map.py: begin")
    # every level-2/3 heading linked exactly once as an entry (context lines are "in [..]")
    entries = re.findall(r"^ *- \[[^\n]*?\]\(#([^)\s]+)\)", block, re.M)
    wanted = [h.anchor for h in docs_map.headings(text) if h.level in (2, 3)]
    assert sorted(a for a in entries if a in wanted) == sorted(wanted)
    assert len(entries) == len(set(entries))


@pytest.mark.parametrize("name", docs_map.DOCS)
def test_every_map_link_names_a_heading(name):
    """The links resolve under tests/test_docs_commands.py's own anchor rules (the same
    check test_every_relative_link_and_anchor_resolves runs on all links)."""
    from test_docs_commands import _anchors

    path = ROOT / "docs" / name
    links = re.findall(r"\]\(#([^)\s]+)\)",
                       docblock.block(path.read_text(encoding="utf-8"), "docs_map"))
    assert links
    assert not set(links) - _anchors(path)


def test_classification_by_the_headings_words():
    """The word rules on headings written the docs' ways; the override table names only
    headings that exist, each with its reason."""
    c = docs_map.classify
    assert c("The CVT's load-independent losses (4 Dec 2026, probe `cvt_losses`; not kept)") \
        == "not_shipped"
    assert c("A ladder-frame body's Cd from published values (4 Dec 2026, probe `offroad_cd`; "
             "shipped)") == "shipped"
    assert c("The roof's design era, held out over all 11 (issue 14, task s33a; 6 Dec 2026): "
             "tried, not shipped") == "not_shipped"
    assert c("A measured compartment strength, searched again (6 Dec 2026)") == "not_shipped"
    assert c("History of the figures") == "history"
    assert c("Rerun after the staggered tyres (5 Dec 2026)") == "history"
    assert c("(e) Road load from specs against the EPA target coefficients") == "results"
    assert c("Second pass (4 Dec 2026): eight more cars") == "not_shipped"  # dated, no verdict
    assert c("Frame and parts") is None                                # a model section
    assert c("New-user pass (4 Dec 2026)", frozenset({"x"}), "x") == "results"  # summary link
    headings = {h.text for name in docs_map.DOCS
                for h in docs_map.headings((ROOT / "docs" / name).read_text(encoding="utf-8"))}
    for start, (group, why) in docs_map.OVERRIDES.items():
        assert group in docs_map.GROUPS and why
        assert any(h.startswith(start) for h in headings), start
    assert len(docs_map.OVERRIDES) <= 12


def test_level_four_only_under_a_trial():
    doc = ("# T\n\n## Models\n\n### A part\n\n#### Its detail\n\n"
           "## Trials\n\n### A trial (4 Dec 2026): tried, not shipped\n\n#### Its second run\n\n"
           "```\n## not a heading\n```\n")
    hs = docs_map.mapped(doc)
    assert [(h.text, h.group) for h in hs] == [
        ("Models", "models"), ("A part", "models"), ("Trials", "models"),
        ("A trial (4 Dec 2026): tried, not shipped", "not_shipped"),
        ("Its second run", "not_shipped")]
    text = docs_map.doc_map(doc, "t.md")
    assert "- in [Trials](#trials):\n  - [A trial](#a-trial-4-dec-2026-tried-not-shipped) " \
           "(4 Dec 2026)\n    - [Its second run](#its-second-run)" in text
