"""The ``cab_over`` probe (``benchmarks/cab_over.py``; docs/validation.md, "The cab-over
wagons taken apart"): its case selection and its what-if edits reach the evaluated
design, and the driveline factor it patches is restored. The probe's errors are
reported, not asserted; no model runs here (the evaluation is replaced)."""

from __future__ import annotations

import importlib
import json
import sys
import tomllib

import pytest
from conftest import ROOT

from keidesign.energy import vehicle as veh


def _probe():
    if str(ROOT / "benchmarks") not in sys.path:  # the scripts import their helpers
        sys.path.insert(0, str(ROOT / "benchmarks"))
    return importlib.import_module("cab_over")


C = _probe()

DESIGN = ('[road]\ncd = 0.38\n\n[mass]\npayload = 300\n\n[powertrain]\n'
          'transmission = "cvt"\ndrive = "rwd"\n\n[body]\nheight = 1815\n')


def test_cases_are_the_cab_over_wagons():
    cases = C.cab_over_cases()
    assert len(cases) == 8
    assert {c["family"]["layout"] for c in cases} == {"underfloor"}
    assert {c["family"]["family_id"] for c in cases} == {"SUZ_EVERYW", "DAI_ATRAI"}
    assert sorted(c["trans"] for c in cases) == ["automatic"] * 6 + ["cvt"] * 2


@pytest.mark.parametrize("name, want, eta", [
    ("Cd 0.50 + rwd x0.97", {("road", "cd"): 0.5}, {"rwd": 0.97, "4wd": 0.96 * 0.97}),
    ("final drive x1.15", {("powertrain", "final_drive"): 5.75}, {"rwd": 1.0}),
    ("4WD in its 2WD mode", {}, {"4wd": 1.0}),
    ("curb +50 kg", {("mass", "curb_measured"): 1030.0}, {}),
])
def test_variant_reaches_the_design_and_restores_the_driveline(monkeypatch, tmp_path, name,
                                                               want, eta):
    case = C.cab_over_cases()[-2]  # 2026 Scrum Wagon CVT 2WD, 980 kg
    seen = {}

    def fake_call(argv):
        seen["design"] = tomllib.loads((tmp_path / argv[-1]).read_text(encoding="utf-8"))
        seen["eta"] = dict(veh.DRIVELINE_EFFICIENCY)
        return 0, json.dumps({"outputs": {"energy:wltc_km_per_l": {"value": 15.1}}}), ""

    monkeypatch.setattr(C.newuser, "_call", fake_call)
    saved = dict(veh.DRIVELINE_EFFICIENCY)
    assert C.run_variant(case, DESIGN, C.VARIANTS[name], tmp_path) == 15.1
    assert veh.DRIVELINE_EFFICIENCY == saved
    d = seen["design"]
    mass = float(case["row"]["mass_min_kg"])
    assert d["mass"]["curb_measured"] == want.get(("mass", "curb_measured"), mass)
    for (table, key), v in want.items():
        assert d[table][key] == pytest.approx(v)
    for k, v in eta.items():
        assert seen["eta"][k] == pytest.approx(v)


def test_driveline_restored_after_a_failed_run(monkeypatch, tmp_path):
    monkeypatch.setattr(C.newuser, "_call", lambda argv: (1, "", "boom"))
    saved = dict(veh.DRIVELINE_EFFICIENCY)
    with pytest.raises(RuntimeError, match="boom"):
        C.run_variant(C.cab_over_cases()[0], DESIGN, C.VARIANTS["rwd x0.97"], tmp_path)
    assert veh.DRIVELINE_EFFICIENCY == saved
