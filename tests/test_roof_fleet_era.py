"""The pre-rule fleet's ratio for roofs designed before FMVSS 216a (issue 14, task s30f;
tried, not shipped): the trial's key ``ROOF_PRE_216A_STRENGTH_TO_WEIGHT`` (None as shipped;
in the trial script since task s31b, no longer in the shipped import) sizes only
generations first sold in the US by 2009, and the trial's tally
(``benchmarks/roof_fleet_era_trial.py``). The judgment runs imports and lives in the
script (docs/crash.md, "The pre-rule fleet's ratio for roofs designed before FMVSS 216a").
"""

from __future__ import annotations

import re

import pytest
from conftest import benchmark_module

from keidesign.errors import InputError
from keidesign.specs import build, sources
from keidesign.specs.sources import Spec
from keidesign.specs.text import design_text


@pytest.fixture(scope="module")
def trial():
    return benchmark_module("roof_fleet_era_trial")


def _spec(generation: str) -> Spec:
    (vr,) = [v for v in sources.vehicle_rows("us_specs")
             if (v.row["make"], v.row["model"], v.row["generation"])
             == ("HONDA", "FIT", generation)]
    return sources.row_spec(vr)


def _import_text(spec: Spec) -> str:
    return design_text(*build.build_design(spec))


def test_the_key_sizes_a_generation_first_sold_by_2009_and_no_later_one(trial):
    """With the key set, the Fit GE (first US model year 2009) is sized to it and the Fit
    GK (2015) keeps the shipped ratio; without it both keep the shipped ratio and the
    GE's import is the shipped one, text for text."""
    ge, gk = _spec("GE (2nd gen)"), _spec("GK (3rd gen)")
    assert ge.get("first_model_year") == 2009 and gk.get("first_model_year") == 2015
    shipped = build.ROOF_STRENGTH_TO_WEIGHT
    with trial.pre216a(None):
        assert trial.roof_design_ratio(ge) == (shipped, False)
        base_ge, base_gk = _import_text(ge), _import_text(gk)
    with trial.pre216a(2.5):
        assert trial.roof_design_ratio(ge) == (2.5, True)
        assert trial.roof_design_ratio(gk) == (shipped, False)
        era_ge, era_gk = _import_text(ge), _import_text(gk)
    assert era_gk == base_gk and era_ge != base_ge
    wall = re.search(r"a_pillar_thickness = ([0-9.]+) .*", era_ge)
    assert wall and "roof designed before FMVSS 216a" in wall.group(0)
    assert "2.5 x curb weight" in wall.group(0)
    assert "roof designed before FMVSS 216a" not in base_ge


def test_a_first_model_year_out_of_range_is_one_error(trial):
    spec = Spec("odd car", "us_specs", "test", [])
    spec.set("first_model_year", 1960, "test")
    with trial.pre216a(2.5), pytest.raises(InputError) as exc:
        trial.roof_design_ratio(spec)
    assert str(exc.value) == "odd car: first model year 1960; allowed: 1970-2040"


def test_judge_counts_the_band_the_cars_that_leave_it_and_the_floors(trial):
    """Rules 1, 2 and 5 of the trial on three made-up cars: one enters the band, one
    leaves it, one falls under its rating's floor."""
    nan = float("nan")
    before = [{"vehicle": "a", "iihs_swr": 4.0, "floor": nan, "model_swr": 6.0, "error": 0.5},
              {"vehicle": "b", "iihs_swr": 4.0, "floor": 3.25, "model_swr": 4.4,
               "error": 0.1},
              {"vehicle": "c", "iihs_swr": 4.0, "floor": 4.0, "model_swr": 4.0, "error": 0.0}]
    after = [r | {"model_swr": 4.2, "error": 0.05} if r["vehicle"] == "a" else
             r | {"model_swr": 3.0, "error": -0.25} if r["vehicle"] == "b" else
             r | {"model_swr": 3.9, "error": -0.025} for r in before]
    j = trial.judge(before, after, {"a": 2008, "b": 2009, "c": 2012})
    assert j["within"] == (2, 2)
    assert j["left"] == ["b"]
    assert j["below_floor"] == ["b", "c"]
    assert j["rows"][0]["first"] == 2008


def test_the_shipped_import_holds_no_pre_216a_switch(trial):
    """Task s31b moved s30f's switch out of the shipped import into the trial script: the
    import has one ratio function, and outside the trial's block it is the shipped one."""
    assert not hasattr(build, "ROOF_PRE_216A_STRENGTH_TO_WEIGHT")
    assert not hasattr(build, "roof_design_ratio")
    ge = _spec("GE (2nd gen)")
    # since task s33h the shipped function sizes by design era (the Fit GE, 2009: the
    # pre-era 3.747 of six IIHS ratios, not s30f's fleet 2.5)
    assert build.roof_basis(ge)[0] == build.ROOF_STRENGTH_TO_WEIGHT_PRE
    with trial.pre216a(2.5):
        assert build.roof_basis(ge)[0] == 2.5
    assert build.roof_basis is trial._SHIPPED_BASIS
