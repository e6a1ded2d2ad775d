"""Issue 13's CVT loss trial (``benchmarks/cvt_losses.py``, run by ``validation_probes.py
cvt_losses``; not shipped): the belt (clamping) loss ``k_belt T_r w_p / (1 + i)`` swapped
into the shipped ICE kernel. At ``k_belt = 0`` the shipped model; its units and limits
(0 at standstill, toward ``k_belt T_r w_p`` in deep overdrive, larger in overdrive than
in reduction); fuel monotonic in ``k_belt``; only the CVT moves; outside the swap the
shipped kernel only."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module, ice_trial_inputs

from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt

SEG, X = ice_trial_inputs()


@pytest.fixture(scope="module")
def cl():
    return benchmark_module("cvt_losses")


def _fuel(trans: str, c: dict):
    return pt.ice_cycle(SEG, X, trans, c)["fuel"]


@pytest.mark.parametrize("trans", ["cvt", "mt5", "at6"])
def test_no_belt_loss_is_the_shipped_model_and_only_the_cvt_moves(cl, trans):
    c = kc.ice_constants()
    shipped = _fuel(trans, c)
    with cl.active():
        np.testing.assert_allclose(_fuel(trans, {**c, cl.BELT: 0.0}), shipped, rtol=1e-12)
        moved = _fuel(trans, {**c, cl.BELT: 0.02})
    if trans == "cvt":
        assert np.all(moved > shipped * 1.005)
    else:
        np.testing.assert_allclose(moved, shipped, rtol=1e-12)
    # outside the swap the key is ignored: the shipped kernel
    np.testing.assert_allclose(_fuel(trans, {**c, cl.BELT: 0.02}), shipped, rtol=1e-12)


def test_fuel_grows_monotonically_with_the_belt_loss(cl):
    c = kc.ice_constants()
    with cl.active():
        f = [_fuel("cvt", {**c, cl.BELT: k}) for k in (0.0, 0.01, 0.02, 0.05)]
    for a, b in zip(f, f[1:], strict=False):
        assert np.all(b > a)


def test_belt_loss_units_and_limits(cl):
    c = {**kc.ice_constants(), cl.BELT: 0.01}
    x = {"t_r": np.array([[100.0]]), "vd": np.array([[1.0]]), "k_hi": np.array([[10.0]])}
    w_p = np.array([[200.0, 200.0, 200.0, 200.0]])
    i_od = cl.I_OD
    # the speed at which the variator's ratio is 2.5, 1, i_od, and standstill
    w_s = np.array([200.0 / 2.5, 200.0, 200.0 / i_od, 0.0])
    vb = w_s * i_od / 10.0
    p = cl.belt_loss_power(c, x, w_p, vb)
    expected = 0.01 * 100.0 * 200.0 / (1.0 + np.array([2.5, 1.0, i_od, np.inf]))
    np.testing.assert_allclose(p[0], np.nan_to_num(expected), rtol=1e-6)  # W (smooth floor)
    assert p[0, 3] == 0.0 and p[0, 2] > p[0, 1] > p[0, 0] > 0.0
    # deep overdrive: toward the pump-like k T_r w_p
    f = cl.belt_speed_factor(np.array([[1.0]]), np.array([1e6]), x["k_hi"])
    assert 0.999 < float(f[0, 0]) < 1.0
