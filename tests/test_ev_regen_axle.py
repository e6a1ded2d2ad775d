"""Regeneration on the driven axle at its ideal brake-force share (the trial of
``benchmarks/ev_regen_trial.py``; the probe ``ev_regen_axle``, tried, not kept): the
distribution's formula, that the trial's cycle is the shipped one without its keys, and
what it does to a front-, rear- and all-wheel-drive car."""

import numpy as np
import pytest
from conftest import benchmark_module
from test_ev_pack_heater import _bev_x

from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy.cycles import segments


@pytest.fixture(scope="module")
def trial():
    return benchmark_module("ev_regen_trial")


def test_ideal_distribution_front_share(trial):
    """Wong's ideal distribution: front share (l_r + h z) / L; the rear gets the rest."""
    l_f, l_r, h = 1.1, 1.5, 0.55
    wb = l_f + l_r
    for z in (0.0, 0.05, 0.15, 0.8):
        front = trial.regen_axle_share(l_r / wb, h / wb, z)
        rear = trial.regen_axle_share(l_f / wb, -h / wb, z)
        assert np.isclose(front, (l_r + h * z) / wb)
        assert np.isclose(front + rear, 1.0)
    # all-wheel drive: both axles regenerate, whatever the deceleration
    assert trial.regen_axle_share(1.0, 0.0, np.array([0.0, 0.3])).tolist() == [1.0, 1.0]
    # clipped to [0, 1] far beyond the validity range
    assert trial.regen_axle_share(0.6, 0.2, 5.0) == 1.0
    assert trial.regen_axle_share(0.4, -0.2, 5.0) == 0.0


def _axle(x: dict, psi: float, chi: float) -> dict:
    return {**x, "regen_psi": np.array([[psi]]), "regen_chi": np.array([[chi]])}


def test_shipped_path_unchanged_and_axle_order(trial):
    """Without the keys the trial's cycle is the shipped one (the constant share);
    all-wheel drive (share 1) gives it back (k_r < 1); a front-driven car regenerates
    less, a rear-driven one (lighter axle, unloaded when braking) less still; nothing
    changes on a cruise."""
    c = {**kc.bev_constants(), "regen_share": 0.9}  # k_r < 1 (the fit's is at 1.0)
    seg = segments(("udds_bag1", "udds_bag2"))
    x = _bev_x("li-ion")
    base = pt.bev_cycle(seg, x, c)["dc"]
    assert (trial.bev_cycle(seg, x, c)["dc"] == base).all()
    awd = trial.bev_cycle(seg, _axle(x, 1.0, 0.0), c)["dc"]
    fwd = trial.bev_cycle(seg, _axle(x, 0.6, 0.2), c)["dc"]
    rwd = trial.bev_cycle(seg, _axle(x, 0.5, -0.2), c)["dc"]
    assert np.allclose(awd, base, rtol=1e-4)
    assert np.all(fwd > base * 1.02) and np.all(rwd > fwd)
    # the regenerated energy scales with the axle share: with k_r x 0.6 < 1 the FWD
    # car's regeneration is about 0.6 of the all-wheel-drive car's
    none = pt.bev_cycle(seg, x, {**c, "regen_share": 0.0})["dc"]
    ratio = (none - fwd) / (none - base)
    assert np.all((ratio > 0.55) & (ratio < 0.7))
