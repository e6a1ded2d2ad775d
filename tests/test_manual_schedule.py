"""The manual's upshift schedule on the EPA cycles (``powertrains.scheduled_gear_index``,
``ice_cycle``'s ``manual_schedule``; docs/validation.md, "Shipped (5 Dec 2026)"): a
driver-shifted manual accelerates by the schedule's gears; every other transmission,
and the WLTC / JC08 runs of the design path, are bit for bit the shipped rule's."""

from __future__ import annotations

import numpy as np
import pytest

from keidesign.energy import calibration as cal
from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy import vehicle as veh
from keidesign.energy.cycles import segments

SEG = segments(("udds_bag1", "udds_bag2", "hwfet"))
X = {"m_eff": np.array([[1200.0]]), "f0": np.array([[110.0]]), "f1": np.array([[1.0]]),
     "f2": np.array([[0.42]]), "vd": np.array([[1.5]]), "k_lo": np.array([[55.0]]),
     "k_hi": np.array([[11.0]]), "t_r": np.array([[142.5]]), "p_r": np.array([[80e3]]),
     "w_r": np.array([[628.0]])}
#: the makers' speeds x 0.85 (14.45 / 20.4 / 29.75 / 34.85 / 42.5 mph), m/s
SCHED = tuple(v * pt.MPH for v in cal.schedule_mph(0.85))


def test_schedule_constant_is_the_makers_speeds_scaled():
    assert cal.schedule_mph(0.85) == pytest.approx((14.45, 20.4, 29.75, 34.85, 42.5))
    assert cal.schedule_mph(1.0) == cal.MAKERS_UPSHIFT_MPH
    assert pt.manual_schedule({"manual_schedule_mph": [10.0, 20.0]}) == pytest.approx(
        (10.0 * pt.MPH, 20.0 * pt.MPH))
    assert pt.manual_schedule({}) is None
    c = kc.ice_constants()
    assert tuple(c["manual_schedule_mph"]) in {cal.schedule_mph(k)
                                               for k in cal.SCHEDULE_SCALES}


def test_mt5_on_the_ftp_accelerates_in_the_schedules_gear():
    """On the FTP's accelerations between 21 and 29 mph (past the 1-2 and 2-3 speeds of
    the x 0.85 schedule, below its 3-4) a light mt5 is in third gear (index 2): its
    engine turns at ``v x k_3``; the shipped rule (1500 rpm floor) has it higher."""
    tr = pt.Trace.of(SEG)
    pe = np.full((1, tr.vb.size), 1.0e3)  # 1 kW: the power reserve never binds
    kg = pt.gear_ratios(X, 5)
    w_idle = 750.0 * pt.RPM
    args = (kg, tr.vb, pe, X["t_r"], X["p_r"], X["w_r"], w_idle, 1500.0 * pt.RPM, False)
    idx = pt.scheduled_gear_index(*args, tr.dv, SCHED)[0]
    shipped = pt.gear_index(*args)[0]
    band = (tr.dv > 0) & (tr.vb > 21.0 * pt.MPH) & (tr.vb < 29.0 * pt.MPH)
    assert band.sum() > 20
    assert (idx[band] == 2).all()
    assert (shipped[band] > 2).any()
    # off the accelerations: the shipped rule
    np.testing.assert_array_equal(idx[tr.dv <= 0], shipped[tr.dv <= 0])
    # through the kernel: the engine speed of third gear on those intervals
    c = kc.ice_constants()
    w = np.asarray(pt.ice_cycle(SEG, X, "mt5", c, manual_schedule=SCHED)["w"])[0]
    moving_band = band & (tr.vb * kg[0, 2] > w_idle + 1.0)
    np.testing.assert_allclose(w[moving_band], tr.vb[moving_band] * kg[0, 2], rtol=1e-3)


def test_schedule_lowered_to_the_power_reserve():
    """A demand above 80 % of a gear's full-load power pulls the schedule's gear down
    to the highest gear that keeps the shipped reserve."""
    tr = pt.Trace.of(SEG)
    kg = pt.gear_ratios(X, 5)
    pe = np.full((1, tr.vb.size), 60e3)  # 75 % of the 80 kW rating
    args = (kg, tr.vb, pe, X["t_r"], X["p_r"], X["w_r"], 750.0 * pt.RPM, 1500.0 * pt.RPM,
            False)
    idx = pt.scheduled_gear_index(*args, tr.dv, SCHED)[0]
    reserve = pt.gear_index(kg, tr.vb, pe, X["t_r"], X["p_r"], X["w_r"], 750.0 * pt.RPM,
                            0.0, False)[0]
    acc = tr.dv > 0
    assert (idx[acc] <= reserve[acc]).all()
    assert (idx[acc] < pt.schedule_gear(tr.vb, 5, SCHED)[acc]).any()


@pytest.mark.parametrize("trans", ["amt5", "amt6", "cvt", "at4", "at6", "dct6",
                                   "single_speed"])
def test_other_transmissions_are_bit_identical(trans):
    c = kc.ice_constants()
    a = pt.ice_cycle(SEG, X, trans, c)
    b = pt.ice_cycle(SEG, X, trans, c, manual_schedule=SCHED)
    np.testing.assert_array_equal(np.asarray(b["fuel"]), np.asarray(a["fuel"]))
    np.testing.assert_array_equal(np.asarray(b["w"]), np.asarray(a["w"]))


@pytest.mark.parametrize("trans", ["mt5", "mt6"])
def test_manual_moves_only_with_the_schedule(trans):
    c = kc.ice_constants()
    a = np.asarray(pt.ice_cycle(SEG, X, trans, c)["fuel"])
    b = np.asarray(pt.ice_cycle(SEG, X, trans, c, manual_schedule=SCHED)["fuel"])
    # later upshifts on the urban bags: a faster engine, more fuel
    assert (b[0, :2] > a[0, :2] * 1.01).all()


def _design_results(trans: str) -> dict:
    q = {k: np.array([[v]]) for k, v in veh.VehicleSpec(
        mass_test=1046.0, cd=0.38, area=2.218, crr=0.0101, vd=0.658, power=43.0,
        torque=65.0).quantities().items()}
    x = veh.kernel_params("ice", trans, q)
    return veh.cycle_results("ice", trans, x, mass_test=np.array([[1046.0]]))


@pytest.mark.parametrize("trans", ["mt5", "amt5", "cvt", "at4"])
def test_design_path_scope_epa_only(trans):
    """cycle_results: the schedule reaches the EPA cycles of a driver-shifted manual
    only; the WLTC and JC08 (and every other transmission) equal a run with the
    schedule constant removed, bit for bit."""
    with_s = _design_results(trans)
    ice = kc.ice_constants()
    saved = ice.pop("manual_schedule_mph")
    try:
        without = _design_results(trans)
    finally:
        ice["manual_schedule_mph"] = saved
    for k in ("wltc_km_per_l", "jc08_km_per_l"):
        np.testing.assert_array_equal(with_s[k], without[k])
    for k in ("ftp_mpg", "hwfet_mpg", "us06_mpg"):
        if trans == "mt5":
            continue
        np.testing.assert_array_equal(with_s[k], without[k])
    if trans == "mt5":
        assert with_s["ftp_mpg"][0, 0] < without["ftp_mpg"][0, 0] * 0.995


@pytest.mark.parametrize("turbo", [False, True])
@pytest.mark.parametrize("n_g", [5, 6])
def test_one_pass_equals_two_gear_index_calls(turbo, n_g):
    """``scheduled_gear_index`` takes the gear rule once, with the floor per interval
    (none on the accelerations, the shipped one elsewhere; benchmarks/gear_choice.py):
    bit for bit the rule written with two :func:`gear_index` calls, the shipped floor's
    and the floorless one, over light to full-load demands and three cars."""
    tr = pt.Trace.of(SEG)
    rng = np.random.default_rng(7)
    x = {k: np.repeat(v, 3, axis=0) * np.array([[0.8], [1.0], [1.3]]) for k, v in X.items()}
    kg = pt.gear_ratios(x, n_g)
    pe = rng.uniform(-20e3, 90e3, (3, tr.vb.size))
    args = (kg, tr.vb, pe, x["t_r"], x["p_r"], x["w_r"], 750.0 * pt.RPM, 1500.0 * pt.RPM,
            turbo)
    shipped = pt.gear_index(*args)
    floorless = pt.gear_index(*args[:7], 0.0, turbo)
    g_s = np.minimum(pt.schedule_gear(tr.vb, n_g, SCHED)[None, :], floorless)
    two_calls = np.where(tr.dv[None, :] > 0.0, g_s, shipped)
    got = pt.scheduled_gear_index(*args, tr.dv, SCHED)
    assert (two_calls != shipped).any() and (floorless != shipped).any()
    np.testing.assert_array_equal(got, two_calls)
    assert got.dtype == two_calls.dtype
