"""Shared fixtures: paths, reports off, each test in its own working folder."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

import pytest

os.environ["OPENMDAO_REPORTS"] = "0"

ROOT = Path(__file__).resolve().parents[1]
DESIGNS = ROOT / "studies" / "designs"
REFERENCE_DESIGNS = sorted(DESIGNS.glob("*.toml"))


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    """Run every test in a temp folder so nothing (reports, recorders) clutters the repo."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KEIDESIGN_RULES_PATH", raising=False)


@pytest.fixture
def nbox_text() -> str:
    return (DESIGNS / "nbox_class.toml").read_text()


def design_with(stem: str, changes: dict | None = None):
    """Reference design ``studies/designs/<stem>.toml`` with dotted-key changes
    (``{"powertrain.transmission": "mt5"}``), validated like a design file."""
    import tomllib

    from keidesign.design import design_from_dict

    doc = tomllib.loads((DESIGNS / f"{stem}.toml").read_text())
    for path, val in (changes or {}).items():
        node = doc
        *head, last = path.split(".")
        for k in head:
            node = node.setdefault(k, {})
        node[last] = val
    return design_from_dict(doc, f"{stem}.toml")


@contextlib.contextmanager
def bounded_time(seconds: int = 60):
    """Fail (AssertionError) if the block runs longer than ``seconds``: a guard against
    hangs in the hostile-input tests, not a performance bound."""

    def _alarm(signum, frame):
        raise AssertionError(f"no answer within {seconds} s (hang)")

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def component_problem(comp, vals: dict | None = None):
    """A set-up, run OpenMDAO problem of one component (complex step allocated)."""
    import openmdao.api as om

    prob = om.Problem(reports=False)
    prob.model.add_subsystem("c", comp, promotes=["*"])
    prob.setup(force_alloc_complex=True)
    for k, v in (vals or {}).items():
        prob.set_val(k, v)
    prob.run_model()
    return prob
