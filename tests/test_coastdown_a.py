"""benchmarks/coastdown_a.py (docs/validation.md, "The coast-down A term against the set
coefficients"): the set-coefficient join, the held-out line screen and the k_own trial's
swap."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module


@pytest.fixture(scope="module")
def ca():
    return benchmark_module("coastdown_a")


@pytest.fixture(scope="module")
def cars():
    from keidesign.energy import testcars as tc
    from keidesign.validation import fueleconomy as fe

    return [c for c in tc.test_cars() if c.cls in fe.ICE_CLASSES]


def test_set_coefficients_join_every_configuration(ca, cars):
    """Every gasoline configuration finds its set coefficients through its test numbers,
    the kernel's road load is the target's, and the own loss on the rolls (target - set)
    is a positive force of the size the derivation implies (tens to a few hundred N at
    50 mph) on nearly every row."""
    s = ca.set_coefficients(cars)
    assert np.isfinite(s).all()
    ca.kernel_reads_target(cars)
    own = ca.own_loss(cars, s, 50.0)
    assert 60.0 < float(np.median(own)) < 200.0
    assert np.mean(own > 0.0) > 0.95


def test_held_out_line_removes_a_shared_slope_and_not_a_family_offset(ca):
    """A slope every family shares is removed held out; an error that is a family offset
    only (the variable constant within families and unrelated between them) is not, held
    out, while the in-sample line takes some of it."""
    rng = np.random.default_rng(5)
    fam = np.repeat(np.arange(12), 6)
    x = rng.normal(0.0, 1.0, fam.size)
    shared = 0.03 * x + 0.002 * rng.normal(size=fam.size)
    assert np.mean(np.abs(ca.lofo_line(x, shared, fam))) < 0.2 * np.mean(np.abs(shared))
    x_fam = rng.normal(0.0, 1.0, 12)[fam]
    off = rng.normal(0.0, 0.05, 12)[fam]
    held = np.mean(np.abs(ca.lofo_line(x_fam, off, fam)))
    assert held >= np.mean(np.abs(ca.in_line(x_fam, off)))
    assert held > 0.9 * np.mean(np.abs(off))


def test_k_own_trial_reaches_the_prediction_and_is_undone(ca, cars):
    """Inside ``active``, ``k_own`` raises the road load (lower mpg) and ``k_own = 0``
    is the shipped prediction; after it, calibration is the shipped one again."""
    from keidesign.energy import calibration as cal

    c, fit, _ = cal.stored_fits()
    some = cars[:4]
    base = cal.predict_ice(some, c, fit)["ftp"]
    with ca.active(cars):
        assert cal.fit_vectors(("k_own",))[0][0] == ca.K_TRIAL["x0"]
        assert np.array_equal(cal.predict_ice(some, c, {**fit, "k_own": 0.0})["ftp"], base)
        assert (cal.predict_ice(some, c, {**fit, "k_own": 0.5})["ftp"] < base).all()
    with pytest.raises(KeyError):
        cal.fit_vectors(("k_own",))
    assert np.array_equal(cal.predict_ice(some, c, fit)["ftp"], base)
