"""The pre-216a design-basis trial of the roof (issue 14, task s27c; tried, not shipped):
``benchmarks/roof_design_basis_trial.py`` reads each IIHS-rated generation's first US
model year from the data files, splits the generations at FMVSS 216a's final rule (2009)
and holds the pre-216a median out by family. Its data reading, its refusals and its
hold-out; the judgment itself runs imports and lives in the script (docs/crash.md, "A
design basis for roofs designed before FMVSS 216a, with more cars").
"""

from __future__ import annotations

import statistics

import pytest
from conftest import benchmark_module

from keidesign.errors import InputError
from keidesign.validation import crash as cv


@pytest.fixture(scope="module")
def trial():
    return benchmark_module("roof_design_basis_trial")


def test_every_ratio_has_a_first_model_year_and_the_split_follows_it(trial):
    """Every IIHS ratio on file (both files) gets a first US model year, and the design
    basis is pre-216a exactly where that year is at most 2009."""
    gens = trial.generations()
    n_known = sum(1 for r in cv._known_rows() if r["iihs_roof_strength_to_weight"])
    assert len(gens) == n_known + len(cv.roof_rows())
    for g in gens:
        assert 1990 <= g["launch"] <= 2023
        assert g["pre216a"] == (g["launch"] <= trial.PRE_216A_LAST_MODEL_YEAR)
    # the roof rows' column is read, not the generation's text: the Mazda 3 BL (first US
    # model year 2010, its roof changed in December 2010) is modern
    bl = [g for g in gens if g["vehicle"].startswith("Mazda 3 BL")]
    assert bl and not any(g["pre216a"] for g in bl)


def test_the_gate_of_five_pre_216a_generations_of_three_makers_holds(trial):
    """The brief's gate for judging a rule: at least five pre-216a generations with a
    ratio, of at least three makers (families)."""
    pre = [g for g in trial.generations() if g["pre216a"]]
    assert len(pre) >= 5
    assert len({g["family"] for g in pre}) >= 3


def test_held_out_median_leaves_the_cars_family_out(trial):
    """Each pre-216a car's SWR_pre is the median of the other families' pre-216a cars
    (two cars of one family leave each other out too); modern cars get none."""
    gens = [{"vehicle": "a", "family": "X", "iihs": 3.0, "pre216a": True},
            {"vehicle": "b", "family": "X", "iihs": 9.0, "pre216a": True},
            {"vehicle": "c", "family": "Y", "iihs": 4.0, "pre216a": True},
            {"vehicle": "d", "family": "Z", "iihs": 5.0, "pre216a": True},
            {"vehicle": "e", "family": "W", "iihs": 1.0, "pre216a": False}]
    held = trial.held_out_medians(gens)
    assert set(held) == {"a", "b", "c", "d"}
    assert held["a"] == held["b"] == statistics.median([4.0, 5.0])
    assert held["c"] == statistics.median([3.0, 9.0, 5.0])


@pytest.mark.parametrize("text", ["", "n/a", "85", "1985", "2031", "2O09"])
def test_a_bad_first_model_year_is_one_error_naming_the_field(trial, text):
    with pytest.raises(InputError) as exc:
        trial._year("iihs_roof_strength.csv line 2 (X)", "launch_model_year", text)
    msg = str(exc.value)
    assert msg.startswith("iihs_roof_strength.csv line 2 (X): launch_model_year = ")
    assert repr(text) in msg and "allowed: a model year 1990-2023" in msg


def test_a_model_years_range_reads_its_first_year(trial):
    assert trial._year("w", "model_years", "2008-2015") == 2008
    assert trial._year("w", "model_years", "2012") == 2012
