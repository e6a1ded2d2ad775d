"""The roof's design era held out over all 11 IIHS comparisons (issue 14, task s33a; tried,
not shipped alone; shipped with the B-pillar joint law by task s33h, the refit tested
here): the trial's era key, its held-out fit of the pre-era ratio from the data
files, the outcome curb it sizes a car without an import curb to, and its swap of the
import's ratio (``benchmarks/roof_era_ratio_trial.py``; docs/crash.md, "The roof's design
era, held out over all 11"). The judgment runs imports and lives in the script.
"""

from __future__ import annotations

import csv
import math
import statistics
from pathlib import Path

import pytest
from conftest import benchmark_module

from keidesign.specs import build, sources

DATA = Path(__file__).resolve().parents[1] / "keidesign" / "data" / "crash"


@pytest.fixture(scope="module")
def trial():
    return benchmark_module("roof_era_ratio_trial")


def _file_pre_era_ratios() -> dict[str, float]:
    """The pre-era IIHS ratios read straight from both files (first US model year <= 2009),
    each row with a source."""
    out = {}
    with open(DATA / "known_outcomes.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["iihs_roof_strength_to_weight"] and int(r["model_years"][:4]) <= 2009:
                assert r["source"].strip(), r["vehicle"]
                out[r["vehicle"]] = float(r["iihs_roof_strength_to_weight"])
    with open(DATA / "iihs_roof_strength.csv", newline="") as f:
        for r in csv.DictReader(f):
            if int(r["launch_model_year"]) <= 2009:
                assert r["source"].strip() and r["status"] == "R", r["vehicle"]
                out[f"{r['vehicle']} {r['generation']}"] = float(r["iihs_roof_strength_to_weight"])
    return out


def test_pre_era_ratio_is_the_held_out_geometric_mean_of_the_sourced_rows(trial):
    """At least five sourced pre-era ratios; SWR_pre without a family is the geometric
    mean of the other families' ratios as the files give them (the smart 451 held out:
    the five others), and the era key splits at the 2009 first model year (the Fit GE,
    2009, pre; the Mazda 3 BL, 2010, modern)."""
    gens = trial.generations()
    pre = {g["vehicle"]: g["iihs"] for g in gens if g["pre216a"]}
    files = _file_pre_era_ratios()
    assert pre == files and len(pre) >= 5
    fam_of = {g["vehicle"]: g["family"] for g in gens}
    unit = {"Chevrolet Sonic": 1.0}
    swr_pre, _ = trial.fits(gens, unit, fam_of, fam_of["smart fortwo (451)"])
    others = [x for v, x in files.items() if v != "smart fortwo (451)"]
    assert swr_pre == pytest.approx(math.exp(statistics.fmean(math.log(x) for x in others)))
    assert swr_pre < min(files["smart fortwo (451)"], 4.0)
    by = {g["vehicle"]: g["pre216a"] for g in gens}
    assert by["Honda Fit (GE)"] and not by["Mazda 3 BL (2nd gen) sedan"]


def test_outcome_curb_is_the_outcome_rows_published_curb(trial):
    """A car with no import curb (the smart 451) is sized to its outcome row's published
    curb (known_outcomes.csv), by the import's spec name of its generation."""
    with open(DATA / "known_outcomes.csv", newline="") as f:
        smart = next(r for r in csv.DictReader(f) if r["vehicle"] == "smart fortwo (451)")
    names = trial.spec_names()
    assert trial.outcome_curbs()[names["smart fortwo (451)"]] == float(smart["curb_mass_kg"])


def test_era_sizing_swaps_the_ratio_and_restores_the_import(trial):
    """Inside the block a pre-era Fit GE is sized to the era ratio and the Fit GK to the
    modern one; after it, each to its shipped era ratio again (task s33h)."""
    rows = {v.row["generation"]: v for v in sources.vehicle_rows("us_specs")
            if (v.row["make"], v.row["model"]) == ("HONDA", "FIT")}
    ge, gk = (sources.row_spec(rows[g]) for g in ("GE (2nd gen)", "GK (3rd gen)"))
    with trial.era_sizing(3.5, 5.0, True):
        assert build.roof_basis(ge)[0] == 3.5 and build.roof_basis(gk)[0] == 5.0
    assert build.roof_basis(ge)[0] == build.ROOF_STRENGTH_TO_WEIGHT_PRE
    assert build.roof_basis(gk)[0] == build.ROOF_STRENGTH_TO_WEIGHT


def test_shipped_era_ratios_are_the_refit_from_the_data_files(trial):
    """Task s33h: the shipped SWR_pre and SWR* are what ``validation.crash.roof_era_
    ratios`` refits from the data files (within 0.5 %): the pre-era ratio the trial's
    geometric mean of the same rows, the modern one over the 8 modern cars the import
    sizes (the Fiat 500 on its outcome curb), not the 2009 trio."""
    from keidesign.validation import crash as cv

    r = cv.roof_era_ratios()
    assert r["pre_cars"] == _file_pre_era_ratios() and len(r["pre_cars"]) >= 5
    assert build.ROOF_STRENGTH_TO_WEIGHT_PRE == pytest.approx(r["pre"], rel=0.005)
    assert build.ROOF_STRENGTH_TO_WEIGHT == pytest.approx(r["modern"], rel=0.005)
    assert len(r["modern_cars"]) >= 5 and "Fiat 500" in r["modern_cars"]
    assert not {"Honda Fit (GE)", "MINI Cooper hardtop (R56)"} & r["modern_cars"].keys()


def test_roof_curb_falls_back_to_the_outcome_rows_curb(trial):
    """build.roof_curb: the import's curb where it has one (Fit GK), else the IIHS outcome
    row's published curb (smart 451: 816 kg), none for a kei car."""
    rows = {(v.row["make"], v.row["model"], v.row["generation"]): v
            for v in sources.vehicle_rows("us_specs")}
    names = trial.spec_names()
    smart_key = next(k for k, v in rows.items()
                     if sources.row_spec(v).name == names["smart fortwo (451)"])
    smart = sources.row_spec(rows[smart_key])
    assert build._import_curb(smart, False, False) is None
    assert build.roof_curb(smart, False, False) == 816.0
    assert build.roof_curb(smart, False, True) is None
    gk = sources.row_spec(rows[("HONDA", "FIT", "GK (3rd gen)")])
    assert build.roof_curb(gk, False, False) == build._import_curb(gk, False, False)


def test_joint_law_imports_and_evaluates_at_the_designs_own_share(trial):
    """Task s33g's ``--joint``: inside ``joint_law()`` the validation's import-and-evaluate
    sizes and evaluates a car at its design's joint share, which since task s33h is the
    shipped model's own (the same A-pillar wall and roof ratio with and without the
    block; the old half, ``b_share(0.5)``, a thinner wall, the B-pillar carrying more);
    after the block, and with ``joint_law(False)``, the shipped import-and-evaluate is
    back."""
    from keidesign.crash import roof
    from keidesign.validation import crash as cv

    kept = cv._evaluate
    vr = next(v for v in sources.vehicle_rows("us_specs")
              if (v.row["make"], v.row["model"], v.row["generation"])
              == ("HONDA", "FIT", "GK (3rd gen)"))
    _, d0, e0 = cv._evaluate(vr)
    share = benchmark_module("roof_joint_trial").joint_share(d0)["share"]
    assert 0.0 < share < 0.5
    with trial.joint_law():
        _, d1, e1 = cv._evaluate(vr)
    with trial.b_share(0.5):
        _, d2, e2 = kept(vr)
    key, out = build.A_PILLAR_T, "crash:roof:strength_to_weight"
    assert float(d1[key]) == pytest.approx(float(d0[key]))
    assert float(e1.outputs[out][0]) == pytest.approx(float(e0.outputs[out][0]))
    assert float(d2[key]) < float(d0[key])
    assert cv._evaluate is kept and roof.B_PILLAR_SHARE is None
    with trial.joint_law(False):
        assert cv._evaluate is kept


def test_the_imports_outcome_curbs_are_the_validations():
    """The import reads the IIHS outcome rows' published curbs below the validation layer
    (keidesign.specs.roof_outcomes, no import cycle); they are the checked reader's pairs
    (validation.crash._roof_targets, NaN curbs left out), in the same order."""
    import math

    from keidesign.specs.roof_outcomes import published_curbs
    from keidesign.validation import crash as cv

    checked = [(key, curb) for *_, key, _, curb in cv._roof_targets() if not math.isnan(curb)]
    assert published_curbs() == checked and len(checked) >= 3
