"""A sweep case gets the checks ``keidesign check`` makes (design-file relations and the
body layout) and is recorded ``invalid`` with their message, in the one-case and the
batched evaluators; a case whose STEP export fails is counted in the summary."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import DESIGNS, ROOT

from keidesign.design import load_design
from keidesign.studies.problem import case_problem
from keidesign.studies.spec import load_study
from keidesign.studies.sweep import SweepResult, evaluate_chunk, format_summary

MAP = ROOT / "studies" / "feasibility_crush_height.toml"
BLOCK = "powertrain.block_length = 450 mm + 50 mm gap to the dash"


def test_case_problem_is_the_layout_check_of_keidesign_check(tmp_path):
    """nbox_class (450 mm block) at crush_length 525 mm: `keidesign check` refuses it,
    and so does a sweep's case check (it passed before: only the design-file relations
    were checked, block < crush length)."""
    nbox = load_design(DESIGNS / "nbox_class.toml")
    msg = case_problem(nbox, {"crash:front:crush_length": 525.0})
    assert msg.startswith(BLOCK) and "allowed: block length <= 425 mm" in msg
    assert case_problem(nbox, {"crash:front:crush_length": 550.0}) == ""
    text = (DESIGNS / "nbox_class.toml").read_text()
    bad = tmp_path / "nbox_525.toml"
    bad.write_text(text.replace("crush_length = 800", "crush_length = 525", 1))
    assert "crush_length = 525" in bad.read_text()
    run = subprocess.run([sys.executable, "-m", "keidesign", "check", str(bad)],
                         capture_output=True, text=True)
    assert run.returncode == 2 and BLOCK in run.stderr, run.stderr


@pytest.mark.parametrize("batch", [True, False])
def test_invalid_layout_case_is_not_run(batch):
    study = load_study(MAP, [f"sweep.batch={str(batch).lower()}"])
    cases = [{"seq": i, "hash": f"h{i}", "discrete": {},
              "values": {"crash:front:crush_length": cl, "body:height": 1790.0}}
             for i, cl in enumerate((525.0, 800.0))]
    rows = evaluate_chunk(study, {}, cases)
    assert [r["status"] for r in rows] == ["invalid", "ok"]
    assert rows[0]["message"].startswith(BLOCK) and rows[0]["outputs"] == {}


def test_step_failures_are_counted():
    study = load_study(MAP, ["sweep.step=true"])
    rows = [{"status": "ok", "message": "", "feasible": True, "binding": ""},
            {"status": "ok", "message": "STEP export failed (RuntimeError: x)",
             "feasible": False, "binding": "fmvss:fmvss208.x"},
            {"status": "invalid", "message": "no vehicle", "feasible": False,
             "binding": ""}]
    res = SweepResult(out=ROOT, n_cases=3, n_new=3, rows=rows, margins={})
    c = res.counts()
    assert (c["ok"], c["invalid"], c["step_failed"]) == (2, 1, 1)
    assert "STEP export failed 1" in format_summary(study, res)


def test_case_without_layout_parameters_skips_the_layout_check(monkeypatch):
    """A case changing only non-layout values (a restraint) has the design's layout,
    checked when it was read: the per-case layout check is not run for it."""
    import geometry.params as gp

    calls = []
    real = gp.layout_problems
    monkeypatch.setattr(gp, "layout_problems",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    nbox = load_design(DESIGNS / "nbox_class.toml")
    assert case_problem(nbox, {"crash:restraint:stiffness": 80.0}) == ""
    assert not calls
    assert case_problem(nbox, {"crash:front:crush_length": 525.0}).startswith(BLOCK)
    assert calls


def test_a_ride_down_failure_on_the_registry_restraint_says_what_to_set():
    """New-user pass s44f: a 3 x 3 sweep of a `--predict` import (no [crash.restraint]
    table) printed 'infeasible because of fmvss:fmvss208.ride_down_space: 9 cases' and
    nothing of why; `evaluate` said no more. Both now name the registry restraint and
    what to write, and say nothing when the design or the study sets the restraint."""
    from types import SimpleNamespace

    from keidesign.evaluation import evaluate_design, format_table, resolve_packs

    scratch = load_design(ROOT / "docs" / "examples" / "hatch_from_scratch.toml")
    rows = [{"status": "ok", "feasible": False, "binding": "fmvss:fmvss208.ride_down_space"}
            for _ in range(2)]
    res = SweepResult(out=ROOT, n_cases=2, n_new=2, rows=rows, margins={}, elapsed=1.0)
    study = SimpleNamespace(name="s", sweep={}, variables=[], base=scratch)
    text = format_summary(study, res)
    assert ("  infeasible because of fmvss:fmvss208.ride_down_space: 2 cases\n"
            "    the restraint is the registry's (25 mm slack, 250 kN/m, 35 kN: no "
            "[crash.restraint] table), not sized for this car's pulse; write the table "
            "(`python benchmarks/crash_probes.py new_design_restraint --design FILE`") in text
    varied = SimpleNamespace(name="crash:restraint:stiffness")
    assert "registry's" not in format_summary(
        SimpleNamespace(name="s", sweep={}, variables=[varied], base=scratch), res)
    sized = load_design(DESIGNS / "alto_class.toml")
    assert "registry's" not in format_summary(
        SimpleNamespace(name="s", sweep={}, variables=[], base=sized), res)
    # evaluate: the same words under the table, for the failed criterion
    table = format_table(evaluate_design(scratch, resolve_packs(scratch.rules)))
    assert ("note: fmvss:fmvss208.ride_down_space: the restraint is the registry's "
            "(25 mm slack, 250 kN/m, 35 kN: no") in table
