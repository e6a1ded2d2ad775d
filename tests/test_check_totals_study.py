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


def test_study_a_complex_step_matches_central_differences():
    """Complex step through the whole study problem, the mass <-> crash loop included
    (task s38a): before, the study problem was set up without complex linear vectors and
    the mass group's Newton step dropped the imaginary part (121 pairs 0 under cs at the
    optimum, a Newton failure at a step of 1e-5)."""
    from keidesign.studies.optimize import complex_step_against_fd

    study = load_study(STUDY, ['variable.8.values=["dp_780"]'])
    (combo,) = study.discrete_combinations()
    out = complex_step_against_fd(study, combo, study.start_values(), fd_step=1e-5)
    assert out["pairs"] >= len(study.continuous) * 20
    # the margins through the loop move with the rails' and the body's variables
    assert out["counted"] >= 150, out["counted"]
    assert out["zero_cs"] == [], out["zero_cs"][:5]
    rel, of, wrt, c, f = out["worst"]
    assert rel <= 1e-3, (of, wrt, c, f, rel)   # 3.9e-5 (s38a): the fd's own error
