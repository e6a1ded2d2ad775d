"""The case-vectorized model (keidesign.batch) equals the one-case model, case by case.

Whole-model and sweep-level checks; each discipline's own batched components are held
to their scalar versions in tests/test_batch_<discipline>.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import ROOT

from keidesign.design import load_design
from keidesign.evaluation import resolve_packs
from keidesign.model import build_problem, registered_outputs
from keidesign.studies.problem import BatchEvaluator, CaseEvaluator
from keidesign.studies.spec import load_study
from keidesign.studies.sweep import generate_cases, run_sweep

DESIGNS = ROOT / "studies" / "designs"

#: design inputs varied per case (registered units), fractions of the design value
VARIED = {
    "ice": {"crash:front:crush_length": (0.9, 1.1), "crash:front:wall_thickness": (0.7, 1.4),
            "body:height": (0.95, 1.02), "powertrain:ice:power": (0.8, 1.0),
            "road:cd": (0.9, 1.1), "crash:front:rail_width": (0.8, 1.2)},
    "bev": {"crash:front:crush_length": (0.9, 1.1), "body:height": (0.95, 1.02),
            "powertrain:bev:battery_energy": (0.6, 1.4), "powertrain:bev:motor_power": (0.7, 1.0),
            "crash:front:wall_thickness": (0.7, 1.4)},
}


@pytest.mark.parametrize("name", ["nbox_class_us", "sakura_class_us"])
def test_batched_model_equals_scalar_runs(name):
    design = load_design(DESIGNS / f"{name}.toml")
    packs = resolve_packs(design.rules)
    n = 6
    rng = np.random.default_rng(7)
    cases = []
    for _ in range(n):
        vals = {}
        for var, (lo, hi) in VARIED[design.powertrain_type].items():
            vals[var] = float(design.values[var]) * rng.uniform(lo, hi)
        cases.append(vals)
    batched = build_problem(design, packs, n_cases=n, round_footprint=True)
    for var in cases[0]:
        batched.set_val(var, np.array([c[var] for c in cases]))
    batched.run_model()
    scalar = build_problem(design, packs, round_footprint=True)
    names = list(registered_outputs(scalar))
    assert len(names) > 100
    checked = 0
    for i, case in enumerate(cases):
        for var, val in case.items():
            scalar.set_val(var, val)
        scalar.run_model()
        for out in names:
            want = float(scalar.get_val(out).item())
            got = np.asarray(batched.get_val(out)).reshape(-1)
            assert got.shape == (n,), (out, got.shape)
            if math.isnan(want):
                assert math.isnan(got[i]), (out, i)
            else:
                assert got[i] == pytest.approx(want, rel=1e-9, abs=1e-9), (out, i)
            checked += 1
    assert checked == n * len(names)


def test_batch_evaluator_matches_case_evaluator_with_invalid_and_padding():
    study = load_study(ROOT / "studies" / "tallboy_ice_min_mass.toml",
                       overrides=['variable.8.values=["dp_590"]'])
    combo = {"crash:front:material": "dp_590"}
    start = study.start_values()
    rng = np.random.default_rng(3)
    cases = []
    for _ in range(5):
        cases.append({v.name: float(rng.uniform(v.lower, v.upper)) for v in study.continuous})
    # a case that makes no vehicle: the engine block longer than the whole front
    bad = dict(start, **{"crash:front:crush_length": study.variable(
        "crash:front:crush_length").lower})
    bad_check = CaseEvaluator(study, combo)._check(bad)
    cases.insert(2, bad)
    batch = BatchEvaluator(study, combo, 8)  # 6 cases in a batch of 8: padded
    got = batch.evaluate_many(cases)
    one = CaseEvaluator(study, combo)
    for values, (status, out, msg) in zip(cases, got, strict=True):
        s_status, s_out, s_msg = one.evaluate(values)
        assert status == s_status and msg == s_msg
        assert set(out) == set(s_out)
        for k, v in s_out.items():
            assert out[k] == pytest.approx(v, rel=1e-9, abs=1e-9), k
    assert (got[2][0] == "invalid") == bool(bad_check)
    with pytest.raises(ValueError, match="batch of 8"):
        batch.evaluate_many(cases + cases)


def test_batched_sweep_records_the_same_cases_as_one_by_one(tmp_path):
    over = ["sweep.levels=3", "sweep.chunk=4"]
    study = load_study(ROOT / "studies" / "feasibility_crush_height.toml", overrides=over)
    assert study.sweep["batch"] is True
    one = load_study(ROOT / "studies" / "feasibility_crush_height.toml",
                     overrides=[*over, "sweep.batch=false"])
    assert one.fingerprint == study.fingerprint  # batching does not change a case's identity
    a = run_sweep(study, tmp_path / "batched")
    b = run_sweep(one, tmp_path / "single")
    assert len(a.rows) == len(b.rows) == len(generate_cases(study)) == 9
    for ra, rb in zip(sorted(a.rows, key=lambda r: r["seq"]),
                      sorted(b.rows, key=lambda r: r["seq"]), strict=True):
        assert (ra["hash"], ra["status"], ra["feasible"], ra["binding"]) == \
            (rb["hash"], rb["status"], rb["feasible"], rb["binding"])
        for k, v in rb["outputs"].items():
            assert ra["outputs"][k] == pytest.approx(v, rel=1e-9, abs=1e-9), k


def test_batch_that_raises_is_recorded_case_by_case(monkeypatch):
    """An analysis failure in a batched run (e.g. one case's mass loop not converging)
    does not lose the chunk: it is re-run one case at a time and each case gets its own
    status."""
    study = load_study(ROOT / "studies" / "tallboy_ice_min_mass.toml",
                       overrides=['variable.8.values=["dp_590"]'])
    combo = {"crash:front:material": "dp_590"}
    rng = np.random.default_rng(11)
    cases = [{v.name: float(rng.uniform(v.lower, v.upper)) for v in study.continuous}
             for _ in range(3)]
    batch = BatchEvaluator(study, combo, 4)
    want = batch.evaluate_many(cases)

    def fail():
        raise RuntimeError("batched run failed")

    monkeypatch.setattr(batch.sp.prob, "run_model", fail)
    got = batch.evaluate_many(cases)
    assert [g[0] for g in got] == [w[0] for w in want] == ["ok"] * 3
    for (_, out, _), (_, ref, _) in zip(got, want, strict=True):
        for k, v in ref.items():
            assert out[k] == pytest.approx(v, rel=1e-9, abs=1e-9), k
