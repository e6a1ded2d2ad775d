"""The EV loss map's magnitude from the rated torque (the trial of
``benchmarks/ev_torque_size_trial.py``; the probe ``ev_torque_size``, tried, not kept):
the trial is the shipped map at the reference machine, its magnitude grows as the torque
to the 3/4, the coast-down drag stays the map at zero torque, and the swap is undone."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module

from keidesign.energy import calibration as cal
from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt

P_R, K = 80e3, 8.0 / 0.3  # W, rad/m


@pytest.fixture(scope="module")
def trial():
    return benchmark_module("ev_torque_size_trial")


def test_reference_machine_is_the_shipped_map(trial):
    """At T_r = T_ref P_r / P_ref the two magnitudes agree (any power, torque, speed)."""
    c = kc.bev_constants()
    for p_r in (30e3, 80e3, 200e3):
        t_r = trial.TORQUE_REF_NM * p_r / (c["loss_ref_kw"] * 1e3)
        w = np.array([50.0, 400.0, 900.0])
        for p in (-20e3, 0.0, 15e3):
            for ind in (0.0, 1.0):
                assert np.allclose(trial.motor_loss(p, w, p_r, t_r, c, ind),
                                   pt.motor_loss(p, w, p_r, t_r, c, ind), rtol=1e-12)


def test_magnitude_grows_as_torque_to_three_quarters(trial):
    """At fixed per-unit speed and torque, the loss x 2^(3/4) per doubling of the
    rated torque (the shipped map: the same per doubling of the rated power)."""
    c = kc.bev_constants()
    t_r = 250.0
    w_b = P_R / t_r
    one = trial.motor_loss(0.4 * P_R, w_b, P_R, t_r, c)
    two = trial.motor_loss(0.4 * P_R, w_b, P_R, 2.0 * t_r, c)  # same P_r, lower w_b
    # same per-unit point on the bigger machine: speed w_b / 2, shaft power 0.4 P_R
    two_pu = trial.motor_loss(0.4 * P_R, w_b / 2.0, P_R, 2.0 * t_r, c)
    # (to the kernel's smooth speed floor, 1 rad/s wide: ~1e-5 here)
    assert two_pu == pytest.approx(one * 2.0 ** c["loss_size_exponent"], rel=1e-4)
    assert two != pytest.approx(one)
    ship = pt.motor_loss(0.4 * P_R, w_b / 2.0, P_R, 2.0 * t_r, c)
    assert ship == pytest.approx(one / trial.size_factor(P_R, t_r, c), rel=1e-4)


def test_swap_reaches_the_kernel_and_drag_and_is_undone(trial):
    """Inside ``swapped`` the BEV cycle (through ``predict_bev``) and the coast-down drag
    use the torque magnitude (the drag is still the map at zero torque); after it, the
    shipped functions are back."""
    c = kc.bev_constants()
    t_r = 400.0  # a high-torque machine: factor > 1
    assert trial.size_factor(P_R, t_r, c) > 1.0
    d_ship = pt.coastdown_drag(P_R, t_r, K, c)
    with trial.swapped():
        d1, d2 = pt.coastdown_drag(P_R, t_r, K, c)
        for v in (5.0, 20.0):
            p = pt.motor_loss(0.0, K * v, P_R, t_r, c)
            assert d1 * v + d2 * v * v == pytest.approx(p / (c["eta_gear"] * v), rel=1e-9)
    f = trial.size_factor(P_R, t_r, c)
    assert d1 == pytest.approx(f * d_ship[0]) and d2 == pytest.approx(f * d_ship[1])
    assert pt.motor_loss is trial.SHIPPED_MOTOR_LOSS
    assert pt.coastdown_drag is trial.SHIPPED_COASTDOWN_DRAG


def test_spark_ev_row_and_trial_prediction(trial):
    """The Spark EV row at its published reduction (3.87 on 185/55R15: ~13.7 rad/m, N/V
    ~58 rpm/mph) predicts; the torque magnitude costs it energy (factor > 1)."""
    car = trial.spark_ev(542.0, 3.3)
    assert car.nv * pt.RPM / pt.MPH == pytest.approx(13.66, abs=0.05)
    c = cal.fixed_constants()
    _, _, bev = cal.stored_fits()
    ship = cal.predict_bev([car], c, bev)
    with trial.swapped():
        tri = cal.predict_bev([car], c, bev)
    assert tri["ftp"][0] < ship["ftp"][0] and tri["hwfet"][0] < ship["hwfet"][0]


def test_fastsim_curve_trial(trial):
    """The second trial: FASTSim's efficiency at the power fraction (40 % of rated: 0.95),
    both signs alike, the magnetising term only on an induction machine; the curve is the
    installed FASTSim resource's."""
    c = {**kc.bev_constants(), "loss_scale": 1.0}
    loss = trial.fastsim_motor_loss(np.array([0.4 * P_R, -0.4 * P_R]), 300.0, P_R, 250.0, c)
    assert np.allclose(loss, 0.4 * P_R * (1.0 / 0.95 - 1.0), rtol=1e-12)
    ind = trial.fastsim_motor_loss(0.0, 300.0, P_R, 250.0, c, induction=1.0)
    assert ind > 0.0 and trial.fastsim_motor_loss(0.0, 300.0, P_R, 250.0, c) == 0.0
    fsim = pytest.importorskip("fastsim")
    em = fsim.Vehicle.from_resource("2022_Renault_Zoe_ZE50_R135.yaml").to_dict()[
        "pt_type"]["BEV"]["em"]["eff_interp_achieved"]["data"]
    assert tuple(em["grid"][0]["data"]) == trial.FASTSIM_POWER_FRACTION
    assert np.allclose(em["values"]["data"], trial.FASTSIM_EFFICIENCY)
