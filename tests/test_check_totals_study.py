"""check_totals of a study's driver problem (task s37i): the analytic totals SLSQP uses
against central differences in the driver's scaled space, at study (a)'s start."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from keidesign.studies.optimize import check_totals_at, complex_step_against_fd
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


@pytest.mark.parametrize("study_file, sets, counted", [
    ("tallboy_ice_min_mass.toml", ['variable.8.values=["dp_780"]'], 214),
    # a [derived] objective (mass + relative risk) over the loop
    ("kei_truck_us.toml", [], 145)])
def test_study_complex_step_matches_central_differences(study_file, sets, counted):
    """Complex step through the whole study problem, the mass <-> crash loop included
    (task s38a), against central differences (step 1e-5 of each scaled range). Before,
    the study problem was set up without complex linear vectors, so the mass group's
    Newton step dropped the imaginary part (121 pairs 0 under cs at study (a)'s optimum, a
    Newton failure at a cs step of 1e-5), and a ``[derived]`` expression cast its value to
    float (every total of kei_truck_us's objective 0)."""
    study = load_study(STUDY.parent / study_file, sets)
    combo = study.discrete_combinations()[0]
    out = complex_step_against_fd(study, combo, study.start_values(), fd_step=1e-5)
    assert out["pairs"] >= len(study.continuous) * 20
    # the margins through the loop move with the rails' and the body's variables
    assert out["counted"] >= counted * 0.9, out["counted"]   # 214 / 145 (s38a)
    assert out["zero_cs"] == [], out["zero_cs"][:5]
    rel, of, wrt, c, f = out["worst"]
    assert rel <= 1e-3, (of, wrt, c, f, rel)   # 3.9e-5 / 2.6e-4 (s38a): the fd's own error


def test_complex_step_without_complex_linear_vectors_is_refused():
    """Set up without ``force_alloc_complex`` the mass group's Newton step would drop the
    imaginary part (totals 0 through the loop, task s38a): it raises, naming the fix."""
    from keidesign.studies.optimize import _driver_problem_at

    study = load_study(STUDY, ['variable.8.values=["dp_780"]'])
    (combo,) = study.discrete_combinations()
    with _driver_problem_at(study, study.design_for(combo), study.start_values()) as (sp, _):
        assert not np.iscomplexobj(sp.prob.model.get_linear_vectors()[1].asarray())
        with pytest.raises(RuntimeError, match="force_alloc_complex=True"):
            sp.prob.check_totals(of=["mass:curb"], wrt=["crash:front:wall_thickness"],
                                 method="cs", out_stream=None)
