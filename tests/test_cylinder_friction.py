"""Engine friction by cylinder size (issue 13, s21h2; tried, not kept): the per-cylinder
law of ``benchmarks/ice_fit_trials.py`` (``cylinder_volume``) against the shipped
``effective_volume``, the EPA rows' cylinder counts and the swap into the calibration
(the whole trial: ``python benchmarks/validation_probes.py cylinder_friction``)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module

from geometry import ad as D
from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc
from keidesign.validation import fueleconomy as fe


@pytest.fixture(scope="module")
def ift():
    return benchmark_module("ice_fit_trials")


@pytest.fixture(scope="module")
def cars():
    return [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]


def test_law_is_the_shipped_one_without_its_constant(ift):
    """Without ``cyl_share`` the trial's volume is the shipped ``V_d^alpha``; with it,
    ``V_d`` at the reference cylinder whatever the share, ``V_d`` for a share of 0, and
    ``V_d (v_ref / v_c)^(2/3)`` for a share of 1 (more, smaller cylinders: more)."""
    x = {"vd": np.array([[0.658], [2.0], [1.0]]), "ncyl": np.array([[3.0], [4.0], [3.0]])}
    c = {"alpha": 0.73}
    np.testing.assert_array_equal(ift.cylinder_volume(x, c), pt.effective_volume(x, c))
    v0 = ift.cylinder_volume(x, {"cyl_share": 0.0})
    np.testing.assert_allclose(v0, x["vd"] * 1e-3, rtol=1e-15)
    v1 = ift.cylinder_volume(x, {"cyl_share": 1.0})
    np.testing.assert_allclose(v1[1], 2.0e-3, rtol=1e-15)  # 0.5 L cylinders
    np.testing.assert_allclose(v1[0], 0.658e-3 * (0.5 * 3 / 0.658) ** (2 / 3), rtol=1e-12)
    per_litre = (v1 / (x["vd"] * 1e-3)).ravel()
    assert per_litre[0] > per_litre[2] > per_litre[1]


def test_law_takes_dual_numbers_and_the_rule(ift):
    """Without ``ncyl`` the import's displacement rule (3 below 1.1 L: the kei engines);
    the law's derivative by ``V_d`` is exact on dual numbers."""
    np.testing.assert_array_equal(ift.cylinders_of_displacement(np.array([0.66, 1.5, 3.0, 5.0])),
                                  [3.0, 4.0, 6.0, 8.0])
    c = {"cyl_share": 0.5}
    v = 0.66
    d = ift.cylinder_volume({"vd": D.D(v, np.array([1.0]))}, c)
    h = 1e-30
    cs = ift.cylinder_volume({"vd": np.array([v + 1j * h])}, c)
    assert float(np.ravel(d.g)[0]) == pytest.approx(float(np.imag(cs[0])) / h, rel=1e-12)


def test_epa_rows_have_their_cylinders(ift, cars):
    """Every gasoline configuration has the file's cylinder count (19 three-cylinder
    rows, the rest 4, 6, 8) and the trial's kernel parameters carry it."""
    n = ift.epa_cylinders(cars)
    assert set(np.unique(n)) <= {3.0, 4.0, 6.0, 8.0}
    # 591 measured gasoline configurations (649 with the analytically derived rows: 23 / 623)
    assert (n == 3).sum() >= 15 and (n == 4).sum() > 550
    c = cal.fixed_constants()
    x = ift.epa_ice_params_cyl(cars[:5], c, c["roadload"]["rotating_mass_fraction"])
    np.testing.assert_array_equal(x["ncyl"][:, 0], n[:5])


def test_swap_reaches_the_calibration_and_is_undone(ift, cars):
    """Inside ``cylinder_active`` the calibration predicts with the per-cylinder law
    (``cyl_share`` moves a three-cylinder row) and knows its bounds; on exit the shipped
    functions are back."""
    with ift.cylinder_active():
        assert pt.effective_volume is ift.cylinder_volume
        x0, lb, ub = cal.fit_vectors(ift.CYL_FIT_NAMES)
        assert (lb[1], ub[1]) == (0.0, 1.0)
    assert pt.effective_volume is ift.SHIPPED_CYL.effective_volume
    assert cal.epa_ice_params is ift.SHIPPED_CYL.epa_ice_params
