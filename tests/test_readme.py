"""README's commands name what exists: the files of the quick start and of "Using it",
the subcommands, and every probe of the two probe scripts (the table listed 14 of 24
validation probes and 4 of 9 crash probes, review pass of 4 Dec 2026)."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _probes(script: str) -> dict:
    if str(ROOT / "benchmarks") not in sys.path:
        sys.path.insert(0, str(ROOT / "benchmarks"))
    return __import__(script).PROBES


@pytest.mark.parametrize("script", ["validation_probes", "crash_probes"])
def test_readme_lists_every_probe(script):
    row = next(ln for ln in README.splitlines() if f"`python benchmarks/{script}.py [" in ln)
    listed = set(re.findall(r"[a-z_0-9]+", row.split("[", 1)[1].split("]`", 1)[0])) - {
        "force", "202", "design"}
    assert listed == set(_probes(script)), listed ^ set(_probes(script))


def test_readme_commands_name_existing_files_and_subcommands():
    from keidesign.cli import _parser

    subcommands = set(_parser()._subparsers._group_actions[0].choices)
    lines = [ln for ln in README.splitlines()
             if ln.startswith(("keidesign ", "python3 -m venv"))]
    assert len(lines) >= 20
    for ln in lines:
        for cmd in re.findall(r"keidesign (\w+)", ln.split("#", 1)[0]):
            assert cmd in subcommands, ln
        for path in re.findall(r"(studies/[\w/]+\.toml)", ln):
            assert (ROOT / path).is_file(), path


def test_readme_says_what_every_doc_is_for():
    """The front door names each docs/*.md with what it is for (it named 7 of 13, and no
    place to start; docs-as-a-user review s30g)."""
    table = {m for row in re.findall(r"^\| (`docs/.*?) \| .+ \|$", README, re.M)
             for m in re.findall(r"`(docs/[\w.]+\.md)`", row)}
    docs = {f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")}
    assert table == docs, table ^ docs
    where = README.split("## Where to start", 1)[1].split("\n## ", 1)[0]
    for first in ("keidesign evaluate", "keidesign sweep", "notebooks/01_"):
        assert first in where, first


def test_readme_names_the_install_that_brings_jupyterlab():
    """README said notebooks open with `.venv/bin/jupyter lab`, which the main job's
    `pip install .` does not install: the sentence names the extra that does."""
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"]["optional-dependencies"]
    extra = next(k for k, deps in extras.items() if any(d.startswith("jupyterlab")
                                                        for d in deps))
    text = " ".join(README.split())
    sentence = text[text.index("Notebooks in `notebooks/`"):].split(". ", 1)[0]
    assert "jupyter lab" in sentence and f'".[{extra}]"' in sentence, sentence


def test_readme_json_schema_names_every_record_key(capsys):
    """README's `--json` paragraph names every key of a constraint record (it left out
    `note`, which carries the "class average" and "rear bumper taken equal to the front"
    readings; task s32i)."""
    import json

    from keidesign.cli import main

    assert main(["evaluate", str(ROOT / "studies" / "designs" / "nbox_class.toml"),
                 "--rules", "fmvss", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    para = " ".join(README.split("### `--json` schema", 1)[1].split("\n## ", 1)[0].split())
    named = set(re.findall(r"\w+", " ".join(re.findall(r"`([^`]*)`", para))))
    assert set(doc) <= named, set(doc) - named
    keys = set().union(*(rec for rec in doc["constraints"]))
    assert keys <= named, keys - named
    assert any(rec["note"] for rec in doc["constraints"])
