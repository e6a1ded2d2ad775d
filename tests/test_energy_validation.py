"""Energy calibration and validation: the fit is reproducible and meets its targets.

Tolerances are what the fit achieves on the shipped data (docs/energy.md), not tuned to
one car. The hold-out (leave-one-out) refits take about a minute and run in
``benchmarks/energy.py`` and ``python -m keidesign.energy.calibration``, not here.
"""

from __future__ import annotations

import numpy as np
import openmdao.api as om
import pytest

from keidesign.energy import calibration as cal
from keidesign.energy.components import CycleComp
from keidesign.energy.roadload import load_constants

pytestmark = pytest.mark.filterwarnings(
    "ignore::openmdao.utils.om_warnings.DerivativesWarning")


@pytest.fixture(scope="module")
def cars():
    return cal.load_cars()


@pytest.fixture(scope="module")
def ice(cars):
    return cal.ice_validation(cars, holdout=False)


def test_toml_matches_a_fresh_fit():
    assert cal.compare(cal.fitted_constants(), load_constants()) == []


def test_lhv_value():
    assert cal.lhv_kwh_per_gal() * 3412.14 == pytest.approx(114_780.0, rel=1e-3)


def test_ice_fit_meets_the_issue_target(ice):
    """Mean absolute error <= 3 % on FTP and on HWFET, manuals included; no row > 8 %."""
    for t in ("ftp", "hwfet"):
        e = ice[f"err_{t}"]
        assert np.mean(np.abs(e)) < 0.02
        assert np.max(np.abs(e)) < 0.08
        manual = np.array([car.trans.startswith("mt") for car in ice["cars"]])
        assert np.mean(np.abs(e[manual])) < 0.03
    assert len(ice["cars"]) == 12


def test_ice_fit_is_physical(ice):
    f = ice["fit"]
    assert 0.5 < f["pme0_bar"] < 2.5  # zero-load MEP, bar (friction + pumping)
    assert 0.0 < f["alpha"] < 1.0  # small engines lose more per litre
    assert 0.8 < f["eta_cvt"] < 0.95
    assert 0.1 < f["cold_kwh_per_l"] < 0.4
    assert 1000.0 <= f["shift_rpm"] <= 2500.0


def test_cold_start_from_bags(cars):
    """k_cs reproduces the mean bag-1 minus bag-3 fuel per litre of the 9 cars."""
    k = cal.fit_cold_start([c for c in cars if c.fuel == "gasoline"])
    assert k == pytest.approx(0.2275, rel=0.01)


def test_bags_follow_measurements(ice):
    """The bag results (not fitted directly) come out within 5 %."""
    for i, car in enumerate(ice["cars"]):
        if car.bags:
            for j in range(3):
                assert ice["pred"][f"bag{j + 1}"][i] / car.bags[j] - 1 == pytest.approx(
                    0.0, abs=0.05), (car.key, j)


def test_leaf_fit_and_bolt_check(cars):
    bv = cal.bev_validation(cars)
    for t in ("ftp", "hwfet"):
        assert np.max(np.abs(bv[f"err_{t}"])) < 0.02
        assert np.max(np.abs(bv[f"lpo_{t}"])) < 0.03  # the other pack predicted
        listed = np.array([car.measured[t] for car in bv["bolt"]])
        np.testing.assert_allclose(0.7 * bv["bolt_pred"][t], listed, rtol=0.05)


def test_openmdao_path_reproduces_the_calibration(cars, ice):
    """CycleComp with an EPA row's coast-down load and N/V gearing = calibration value."""
    c = load_constants()
    for car in (x for x in ice["cars"] if x.key in ("MIRAGE #5 CVT", "VERSA #1 M")):
        i = ice["cars"].index(car)
        x = cal.epa_ice_params([car], cal.fixed_constants(),
                               c["roadload"]["rotating_mass_fraction"])
        prob = om.Problem(reports=False)
        prob.model.add_subsystem("c", CycleComp(kind="ice", transmission=car.trans),
                                 promotes=["*"])
        prob.setup()
        for name, key in (("energy:road:m_eff", "m_eff"), ("energy:road:f0", "f0"),
                          ("energy:road:f1", "f1"), ("energy:road:f2", "f2"),
                          ("powertrain:overall_ratio_low", "k_lo"),
                          ("powertrain:overall_ratio_high", "k_hi")):
            prob.set_val(name, x[key][0, 0])
        prob.set_val("mass:test", car.etw)
        prob.set_val("powertrain:ice:displacement", car.vd * 1000.0)
        prob.set_val("powertrain:ice:power", x["p_r"][0, 0] / 1e3)
        prob.set_val("powertrain:ice:torque", x["t_r"][0, 0])
        prob.set_val("powertrain:ice:rated_speed", 6000.0)
        prob.run_model()
        for t in ("ftp", "hwfet"):
            assert prob.get_val(f"energy:{t}_mpg")[0] == pytest.approx(ice["pred"][t][i],
                                                                      rel=1e-5)


def test_kei_wltc_check():
    """Kei ICE WLTC-mode figures within the issue's 8 %; kei BEVs are a known miss."""
    rows = cal.kei_wltc_check()
    ice = [r for r in rows if r["unit"] == "km/L"]
    bev = [r for r in rows if r["unit"] == "Wh/km"]
    assert len(ice) == 5 and len(bev) == 3
    for r in ice:
        assert abs(r["error"]) < 0.08, r
    # docs/energy.md: the Leaf-calibrated electric drive is 13-18 % optimistic for kei EVs
    for r in bev:
        assert -0.25 < r["error"] < 0.0, r
