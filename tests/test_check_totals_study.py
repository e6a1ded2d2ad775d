"""check_totals of a study's driver problem (task s37i): the analytic totals SLSQP uses
against central differences in the driver's scaled space, at study (a)'s start."""

from __future__ import annotations

from pathlib import Path

from keidesign.studies.optimize import check_totals_at
from keidesign.studies.spec import load_study

STUDY = Path(__file__).resolve().parents[1] / "studies" / "tallboy_ice_min_mass.toml"


def test_study_a_totals_match_central_differences():
    study = load_study(STUDY, ['variable.8.values=["dp_780"]'])
    (combo,) = study.discrete_combinations()
    out = check_totals_at(study, combo, study.start_values(), step=1e-5)
    # every (response, continuous variable) pair of the driver, objective included
    assert out["pairs"] >= len(study.continuous) * 20
    assert any(r[0] == out["objective"] for r in out["rows"])
    of, wrt, rel, _ = out["worst"]
    assert rel < 1e-3, (of, wrt, rel)   # 3.9e-5 (s37i); a kink 0.002 mm from the start
    # in the wall (femur force margin) gave 0.37 at a central step of 1e-3
    # the rows are sorted, the worst first, and a non-zero derivative is checked
    assert out["rows"][0][4] == rel
    assert any(abs(r[2]) > 1e-3 and abs(r[3]) > 1e-3 for r in out["rows"])
