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
