"""The compression ratio in the ICE fit with the kei WLTC rows (issue 13): the share of
the fuel-air-cycle gain, the kei rows as fit data, the weighting of the two sets and the
kei hold-out of ``fueleconomy.ice_lofo`` (the whole trial:
``python benchmarks/validation_probes.py ratio_fit``; the trial module
``benchmarks/ice_fit_trials.py``, its copy of the shipped fuel loop held bit-identical)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from conftest import benchmark_module

from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc
from keidesign.validation import fueleconomy as fe

GRID = ((1500.0, 1000.0),)


@pytest.fixture(scope="module")
def subset():
    return [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES][::5]


@pytest.fixture(scope="module")
def ift():
    return benchmark_module("ice_fit_trials")


@pytest.fixture(scope="module")
def kei(ift):
    return ift.KeiFitRows.load()


def test_gain_is_a_share_of_the_fuel_air_gain(ift):
    """``1 + g (f(r) - 1)``: g = 1 the fuel-air cycle (the shipped model), g = 0 no ratio
    effect, g = 1/2 half of it either side of the reference; the trial's
    ``with_compression`` takes ``cr_gain`` from the constants, the shipped one where
    absent."""
    f = pt.compression_efficiency
    for r in (9.0, 14.0):
        full = f(r, False)
        assert ift.gain_efficiency(r, False, 1.0) == pytest.approx(full, rel=1e-15)
        assert full != 1.0
        assert ift.gain_efficiency(r, False, 0.0) == 1.0
        assert ift.gain_efficiency(r, False, 0.5) - 1.0 == pytest.approx(0.5 * (full - 1.0))
    assert ift.with_compression({"e": 0.4}, 9.0, False) == pt.with_compression({"e": 0.4},
                                                                               9.0, False)
    assert ift.with_compression({"e": 0.4, "cr_gain": 0.5}, 9.0, False)["e"] == pytest.approx(
        0.4 * ift.gain_efficiency(9.0, False, 0.5))


def test_trial_fuel_loop_is_the_shipped_one(ift, subset):
    """In the shipped mode (EPA rows at the reference ratio, no ``cr_gain``) the trial's
    copy of the fuel loop gives the shipped function's results bit for bit; inside
    ``active`` the calibration runs the trial's and the published ratios move it."""
    c, fit, _ = cal.stored_fits()
    shipped = cal.ice_fuel_segments(subset, c, fit)
    trial = ift.ice_fuel_segments(subset, c, fit)
    for a, b in zip(shipped, trial, strict=True):
        np.testing.assert_array_equal(a, b)
    with ift.active():
        assert cal.ice_fuel_segments is ift.ice_fuel_segments
        assert cal.fit_vectors is ift.fit_vectors and pt.with_compression is ift.with_compression
        pub = cal.ice_fuel_segments(subset, ift.joint_constants(c), fit)[0]
        assert not np.array_equal(pub, shipped[0])
    assert cal.ice_fuel_segments is ift.SHIPPED.ice_fuel_segments
    with pytest.raises(KeyError):
        cal.fit_vectors(("cr_gain",))
    np.testing.assert_array_equal(ift.fit_vectors(("pme0_bar", "cr_gain"))[0],
                                  [cal.fit_vectors(("pme0_bar",))[0][0],
                                   ift.CR_GAIN_TRIAL["x0"]])


def test_kei_fit_rows_are_the_kei_check(kei):
    """The fit data are the kei check's ICE rows, simulated the same way (one
    implementation): same rows, same predictions with the stored constants."""
    rows = [r for r in cal.kei_wltc_check() if r["unit"] == "km/L"]
    assert len(kei.measured) == len(rows) >= 13
    np.testing.assert_allclose(kei.measured, [r["measured"] for r in rows])
    assert list(kei.turbo) == [r["turbo"] for r in rows]
    _, fit, _ = cal.stored_fits()
    np.testing.assert_allclose(kei.predict(cal.fixed_constants(), fit),
                               [r["predicted"] for r in rows], rtol=1e-9)
    assert len(set(kei.family)) < len(kei.family)  # twins held out together


def test_weights_give_each_kei_family_an_epa_familys_share(subset, kei, ift):
    n_fam = len({car.family for car in subset})
    w_e, w_k = ift.joint_weights(subset, kei, "epa_family")
    assert w_e.shape == (2 * len(subset),) and np.all(w_e == 1.0)
    for fam in set(kei.family):
        m = np.array([f == fam for f in kei.family])
        assert w_k[m].sum() == pytest.approx(2 * len(subset) / n_fam)
    w_e, w_k = ift.joint_weights(subset, kei, "family")
    fams = [car.family for car in subset] * 2
    for fam in set(fams):
        assert w_e[np.array([f == fam for f in fams])].sum() == pytest.approx(1.0)
    for fam in set(kei.family):
        assert w_k[np.array([f == fam for f in kei.family])].sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="kei weighting 'typo'"):
        ift.joint_weights(subset, kei, "typo")


def test_kei_holdout_does_not_see_the_family(subset, kei, ift):
    """A held-out kei family's prediction does not move when its catalogue figure is
    corrupted (x 1.5), while the all-data fit does (so the test can fail); the EPA rows
    not held out stay unpredicted."""
    c = ift.joint_constants()
    fam = "Daihatsu Taft"
    idx = [i for i, f in enumerate(kei.family) if f == fam]
    ks = fe.KeiSet(kei, ift.joint_weights(subset, kei))
    meas = kei.measured.copy()
    meas[idx] *= 1.5
    bad = fe.KeiSet(replace(kei, measured=meas), ks.weights)
    out = []
    with ift.active():
        for k in (ks, bad):
            g = fe.ice_grid(subset, c, GRID, kei=k)
            lo = fe.ice_lofo(subset, c, g, exact=True, kei=k, only=[f"kei:{fam}"])
            out.append((fe.best_fit(g), lo.extra["kei"]))
    # 5e-4: the exact refits' convergence (1.2e-4 seen on the 591 measured configurations);
    # the corrupted family moves the all-data fit's pme0 by more than 1e-3 (below).
    np.testing.assert_allclose(out[1][1][idx], out[0][1][idx], rtol=5e-4)
    assert out[1][0]["pme0_bar"] != pytest.approx(out[0][0]["pme0_bar"], rel=1e-3)
    assert np.all(np.isnan(np.delete(out[0][1], idx)))
    assert np.all(np.isnan(lo.predicted["ftp"]))


def _arm(ftp: float, label: float, label_bias: float = 0.0) -> dict:
    """A synthetic :func:`ratio_ship` arm: every error set of MAE ``ftp`` (two rows of
    +/- it) but the label combined (MAE ``label``, bias ``label_bias``)."""
    two = np.array([ftp, -ftp])
    comb = label_bias + np.array([label, -label])
    return {"epa": {"ftp": two, "hwfet": two}, "kei": two, "specs": {"comb": comb},
            "hybrid": {"ice_lofo": {"ftp": two, "hwfet": two}},
            "kei_checks": {"mlit": {("data", "unseen"): (np.full(2, ftp), two)},
                           "trucks_wltc": two}}


def test_ship_rule_holds_the_label_to_a_tenth_of_a_point_and_the_band():
    vp = benchmark_module("validation_probes")
    shipped = _arm(0.05, 0.0571)
    assert vp._ratio_ship_verdict(shipped, _arm(0.04, 0.0580))      # +0.09 point
    assert not vp._ratio_ship_verdict(shipped, _arm(0.04, 0.0586))  # +0.15 point
    assert not vp._ratio_ship_verdict(shipped, _arm(0.04, 0.0, 0.025))  # bias +2.5 %
    assert not vp._ratio_ship_verdict(shipped, _arm(0.0501, 0.0571))  # EPA +0.01 point
    no_kei = {k: v for k, v in shipped.items() if k != "kei_checks"}
    assert vp._ratio_ship_verdict(no_kei, _arm(0.04, 0.0571))
