"""The traction pack's internal resistance from its published energy (the trial of
``benchmarks/ev_pack_trial.py``; the probe ``ev_pack``; tried, not kept on its rule,
shipped on 7 Dec 2026 by the absent BEVs' rule, tests/test_pack_resistance.py): the form's
resistance, the rows and designs it reaches, the swap undone, the rule's verdict and the
SAE J1634 apportioning side check."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module

from keidesign.energy import calibration as cal
from keidesign.energy import components as comp
from keidesign.energy import testcars as tc


@pytest.fixture(scope="module")
def trial():
    return benchmark_module("ev_pack_trial")


@pytest.fixture(scope="module")
def ev():
    return [car for car in tc.test_cars() if car.cls == "ev"]


def test_tau_is_the_shipped_pack_at_the_median_energy(trial):
    """tau = 0.1 ohm x 27.6 kWh / (350 V)^2 = 81 s; at the median energy the trial's
    resistance is the shipped 0.1 ohm, at twice the energy half of it, at twice the
    voltage four times it (cells in series and parallel cancel: R / V^2 = tau / E)."""
    e = trial.e_ref_j()
    assert e / 3.6e6 == pytest.approx(27.6, abs=0.05)
    assert trial.tau_s() == pytest.approx(81.1, abs=0.1)
    assert trial.pack_resistance(350.0, e) == pytest.approx(0.1)
    assert trial.pack_resistance(350.0, 2 * e) == pytest.approx(0.05)
    assert trial.pack_resistance(700.0, e) == pytest.approx(0.4)
    assert trial.pack_resistance(350.0, e, scale=2.0) == pytest.approx(0.2)
    # 96 cells of 60 A h at 3.7 V in series, or 48 x 2 in parallel of 30 A h, same tau
    for n_s, n_p, c_ah in ((96, 1, 60.0), (48, 2, 30.0)):
        r_c = trial.tau_s() / 3600.0 * 3.7 / c_ah
        v, r, e_j = n_s * 3.7, n_s * r_c / n_p, n_s * n_p * 3.7 * c_ah * 3600.0
        assert r == pytest.approx(trial.pack_resistance(v, e_j))


def test_inputs_reach_the_published_packs_only_and_swap_undone(trial, ev):
    """26 of the 55 EPA EV rows join a pack and get tau V^2 / E (the 14.0 kWh i-MiEV
    0.197 ohm, the 56.1 kWh Kona 0.049 ohm); the others keep 0.1 ohm; outside the swap
    every row is shipped again."""
    c = cal.load_constants()
    x0 = cal.epa_bev_params(ev, c)
    with trial.swapped(1.0):
        x = cal.epa_bev_params(ev, c)
    n = 0
    for i, car in enumerate(ev):
        e = trial.pack_energy_j(car)
        if e is None:
            assert x["r_b"][i, 0] == x0["r_b"][i, 0] == 0.1
            continue
        n += 1
        assert x["r_b"][i, 0] == pytest.approx(trial.tau_s() * 350.0**2 / e)
        if car.family == "I-MIEV":
            assert x["r_b"][i, 0] == pytest.approx(0.197, abs=5e-4)
        if car.family == "KONA":
            assert x["r_b"][i, 0] == pytest.approx(0.049, abs=5e-4)
    assert n == 26
    np.testing.assert_array_equal(cal.epa_bev_params(ev, c)["r_b"], x0["r_b"])
    assert cal.epa_bev_params is trial.SHIPPED_PARAMS


def test_design_resistance_from_its_battery_energy(trial):
    """A BEV design's resistance is tau V^2 / E of its own pack inside the swap, its
    ``battery_resistance`` outside."""
    v = {"energy:road:m_eff": 1000.0, "energy:road:f0": 100.0, "energy:road:f1": 1.0,
         "energy:road:f2": 0.4, "powertrain:overall_ratio_low": 30.0,
         "powertrain:overall_ratio_high": 30.0, "powertrain:bev:motor_power": 47.0,
         "powertrain:bev:motor_torque": 195.0, "powertrain:bev:max_motor_speed": 12000.0,
         "powertrain:bev:pack_voltage": 350.0, "powertrain:bev:battery_resistance": 0.1,
         "powertrain:bev:charger_efficiency": 0.9, "powertrain:bev:charger_power": 3.0,
         "powertrain:bev:battery_energy": 20.0}
    with trial.swapped(1.0):
        q = comp._quantities("bev", v)
    assert q["r_b"] == pytest.approx(trial.tau_s() * 350.0**2 / 20.0 / 3.6e6)
    assert q["r_b"] == pytest.approx(0.138, abs=5e-4)
    assert comp._quantities("bev", v)["r_b"] == 0.1
    assert comp._quantities is trial.SHIPPED_QUANTITIES


def test_verdict_reads_the_rule(trial):
    """FTP MAE down by at least 0.2 point and HWFET MAE down, or it fails."""
    base = {"ftp": np.array([0.060, -0.054]), "hwfet": np.array([0.05, 0.04])}
    ok, _ = trial.verdict(base, {"ftp": np.array([0.055, -0.052]),
                                 "hwfet": np.array([0.05, 0.039])})
    assert ok
    small, _ = trial.verdict(base, {"ftp": np.array([0.059, -0.053]),
                                    "hwfet": np.array([0.05, 0.039])})
    assert not small
    hw, _ = trial.verdict(base, {"ftp": np.array([0.050, -0.050]),
                                 "hwfet": np.array([0.05, 0.04])})
    assert not hw


def test_j1634_apportioning_spreads_the_internal_loss(trial, ev):
    """Per configuration with a pack, the multi-cycle test's internal-loss share is the
    terminal-energy-weighted mean of its phases', so it lies between the UDDS's and the
    HWFET's or the 65 mph phase's; the UDDS, the lossiest, gets less (factor < 1) and the
    HWFET a larger factor than the UDDS, each within 1 %."""
    c = cal.load_constants()
    fit = {k: float(c["bev"][k]) for k in cal.BEV_FIT}
    rows = trial.apportion(ev, c, fit)
    assert len(rows) == 26
    for _car, f, f_mct, a_udds, a_hwfet in rows:
        lo, hi = min(f.values()), max(f.values())
        assert lo - 1e-12 <= f_mct <= hi + 1e-12
        assert f["udds"] > f["hwfet"]
        assert 0.99 < a_udds < 1.0
        assert a_udds < a_hwfet < 1.01
        assert a_hwfet > 0.99
