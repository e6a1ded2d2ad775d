"""The EV (a) errors by motor rating band and the light-load drive-unit loss trial
(``benchmarks/ev_light_load_trial.py``, probe ``ev_light_load``; issue 13, task s41f).

Asserted (fast, no cycle run): the band assignment and the per-band statistics on a
constructed error set; the trial's loss is the shipped map plus exactly ``c_nl P_ref``
(``k_nl`` = 0: the same for every rating) and nothing without ``c_nl``; the trial's
patch adds one fitted parameter and leaves the shipped fit set on exit; the EPA EV rows'
ratings fall in the bands' range. The held-out errors are reported in docs/validation.md,
not asserted.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module

from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc

T = benchmark_module("ev_light_load_trial")


def test_band_index_edges():
    # upper edges inclusive: 80 is in the first band, 80.1 in the second, 400 in the last
    got = T.band_index(np.array([47.0, 80.0, 80.1, 110.0, 150.0, 150.1, 400.0]))
    assert got.tolist() == [0, 0, 1, 1, 2, 3, 3]
    assert T.band_labels() == ["<= 80 kW", "80-110 kW", "110-150 kW", "> 150 kW"]


def test_breakdown_statistics():
    p = np.array([50.0, 60.0, 200.0, 300.0])
    err = {"ftp": np.array([0.04, -0.02, -0.03, -0.01]),
           "hwfet": np.array([0.01, 0.01, -0.02, 0.00])}
    rows = {r["band"]: r for r in T.breakdown(err, p, ["A", "B", "C", "C"])}
    assert set(rows) == {"<= 80 kW", "> 150 kW", "all"}  # empty bands left out
    lo, hi, al = rows["<= 80 kW"], rows["> 150 kW"], rows["all"]
    assert (lo["n"], lo["families"], hi["n"], hi["families"], al["n"]) == (2, 2, 2, 1, 4)
    assert lo["ftp_mae"] == pytest.approx(0.03) and lo["ftp_bias"] == pytest.approx(0.01)
    assert hi["hwfet_mae"] == pytest.approx(0.01) and hi["gap"] == pytest.approx(-0.01)
    assert al["ftp_mae"] == pytest.approx(0.025)


def _c(**kw):
    c = {k: v for k, v in cal.load_constants()["bev"].items() if k != "fit"}
    return {**c, **kw}


def test_c1_loss_adds_a_rating_independent_constant():
    w = np.array([0.0, 100.0, 600.0])
    p = np.array([-5e3, 2e3, 30e3])
    c0, c1 = _c(), _c(c_nl=0.004)
    for p_r, t_r in ((47e3, 160.0), (300e3, 500.0)):
        shipped = pt.motor_loss(p, w, p_r, t_r, c0)
        assert np.allclose(T.c1_loss(p, w, p_r, t_r, c0), shipped)
        extra = T.c1_loss(p, w, p_r, t_r, c1) - shipped
        assert np.allclose(extra, 0.004 * c1["loss_ref_kw"] * 1e3)  # 200 W at any rating


def test_swapped_adds_one_fitted_parameter_and_restores():
    before = (cal.BEV_FIT, cal.BEV_START, cal.BEV_BOUNDS, pt.motor_loss)
    with T.swapped("C1"):
        assert cal.BEV_FIT == (*before[0], "c_nl")
        assert len(cal.BEV_START) == len(cal.BEV_BOUNDS[0]) == len(cal.BEV_BOUNDS[1]) \
            == len(cal.BEV_FIT)
        assert pt.motor_loss is T.c1_loss
    assert (cal.BEV_FIT, cal.BEV_START, cal.BEV_BOUNDS, pt.motor_loss) == before


def test_epa_ev_ratings_in_range():
    c = cal.load_constants()
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    p = T.ratings_kw(ev, c)
    assert len(p) == len(ev) == 55
    assert 40.0 < p.min() and p.max() < 600.0
    assert all(np.bincount(T.band_index(p), minlength=len(T.BANDS)) > 0)
