"""Tests of the energy discipline (keidesign.energy): cycles, road load, partials, fit."""

from __future__ import annotations

import numpy as np
import openmdao.api as om
import pytest
from openmdao.utils.assert_utils import assert_check_partials, assert_check_totals

from keidesign.energy import calibration as cal
from keidesign.energy.consumption import (
    OUTPUT_NAMES,
    BevElectricityComp,
    EnergyGroup,
    IceFuelComp,
)
from keidesign.energy.cycles import METRES_PER_MILE, Phase, ftp75, hwfet, udds, wltc
from keidesign.energy.roadload import (
    J_PER_KWH,
    RoadLoadComp,
    TractiveEnergyComp,
    cycle_basis,
    load_constants,
    phase_basis,
    tractive_energy,
)

G = 9.80665
RHO = 1.2
FROT = 0.03

# A kei-like design: 2021 Honda N-Box as FASTSim models it (fastsim_small_cars.csv).
NBOX = {"mass:test": 1050.0, "road:cd": 0.38, "body:frontal_area": 2.19, "road:crr": 0.0101}


# ------------------------------------------------------------------ cycles
def test_cycle_distances_match_readme():
    assert udds().distance / METRES_PER_MILE == pytest.approx(7.45, abs=0.005)
    assert hwfet().distance / METRES_PER_MILE == pytest.approx(10.26, abs=0.005)
    assert udds().duration == 1369.0
    assert hwfet().duration == 765.0
    assert wltc("3b", ("low", "medium", "high", "extra_high")).distance == pytest.approx(
        23266.0, abs=15.0)


def test_ftp75_structure():
    ftp = ftp75()
    assert [p.name for p in ftp.phases] == ["bag1", "bag2", "bag3"]
    assert list(ftp.weights) == [0.43, 1.0, 0.57]
    assert list(ftp.phase_durations) == [505.0, 864.0, 505.0]
    # bag 3 = bag 1 trace; weighted distance = UDDS distance (0.43 D1 + D2 + 0.57 D1)
    np.testing.assert_array_equal(ftp.phases[0].speed, ftp.phases[2].speed)
    assert ftp.distance == pytest.approx(udds().distance, rel=1e-12)
    assert ftp.phases[0].distance / METRES_PER_MILE == pytest.approx(3.59, abs=0.005)
    assert ftp.phases[1].distance / METRES_PER_MILE == pytest.approx(3.86, abs=0.005)


# ------------------------------------------------------------------ road load
def _theta(m, crr, cd, a, f1=0.0):
    return np.array([m * (1 + FROT), crr * m * G, f1, 0.5 * RHO * cd * a])


def test_trapezoid_profile_hand_calc():
    """0 -> 20 m/s in 20 s, 100 s cruise, hard stop in 10 s: closed-form energies."""
    m, f0, f2 = 1000.0, 100.0, 0.4
    me = m * (1 + FROT)
    t = np.arange(0.0, 131.0)
    v = np.concatenate([np.arange(0.0, 20.0, 1.0), np.full(101, 20.0),
                        np.arange(18.0, -0.1, -2.0)])
    ph = Phase("p", t, v)
    th = np.array([me, f0, 0.0, f2])
    e_pos, e_brk, _, _ = tractive_energy(phase_basis(ph), th, 0.0)
    # accel (a = 1): 1/2 me V^2 + F0 d + F2 int v^3 (int t^3 dt over 20 s = 40000)
    acc = 0.5 * me * 20.0**2 + f0 * 200.0 + f2 * 20.0**4 / 4.0
    cruise = (f0 + f2 * 20.0**2) * 20.0 * 100.0
    # decel (a = -2 m/s^2): all braking since me*2 > F0 + F2 v^2; d = 100 m,
    # int v^3 dt = int_0^10 (2 s)^3 ds = 8 * 10^4 / 4
    brake = 0.5 * me * 20.0**2 - f0 * 100.0 - f2 * 8.0 * 1e4 / 4.0
    assert e_pos == pytest.approx(acc + cruise, rel=2e-3)  # midpoint rule on v^3
    assert e_brk == pytest.approx(brake, rel=2e-3)
    assert ph.distance == pytest.approx(200.0 + 2000.0 + 100.0)


def test_net_tractive_energy_against_independent_trapezoid():
    """E+ - E_brake = work against F0 + F1 v + F2 v^2 (kinetic energy returns to 0)."""
    th = _theta(1050.0, 0.0101, 0.38, 2.19, f1=1.5)
    for test, bases in (("ftp", cycle_basis("ftp")), ("hwfet", cycle_basis("hwfet"))):
        phases = ftp75().phases if test == "ftp" else hwfet().phases
        for ph, b in zip(phases, bases, strict=True):
            e_pos, e_brk, _, _ = tractive_energy(b, th, 0.0)
            v = ph.speed
            p_res = (th[1] + th[2] * v + th[3] * v**2) * v  # W, at the samples
            ke = 0.5 * th[0] * (v[-1] ** 2 - v[0] ** 2)
            ref = np.trapezoid(p_res, ph.time) + ke
            assert e_pos - e_brk == pytest.approx(ref, rel=5e-3)
            assert e_pos > 0.0 and e_brk >= 0.0


def test_smoothing_error_is_small():
    """Smooth positive part (eps = 50 W) vs the exact max(P, 0): < 0.1 % of E+."""
    eps = load_constants()["roadload"]["smoothing_w"]
    for th in (_theta(1050.0, 0.0101, 0.38, 2.19), _theta(1758.0, 0.008, 0.30, 2.4),
               _theta(800.0, 0.006, 0.25, 1.8)):
        for test in ("ftp", "hwfet"):
            ex = sum(tractive_energy(b, th, 0.0)[0] for b in cycle_basis(test))
            sm = sum(tractive_energy(b, th, eps)[0] for b in cycle_basis(test))
            assert 0.0 <= sm / ex - 1.0 < 1e-3


# ------------------------------------------------------------------ partials
def _check_comp(comp, values, compact=True):
    prob = om.Problem()
    prob.model.add_subsystem("c", comp, promotes=["*"])
    prob.setup(force_alloc_complex=True)
    for k, v in values.items():
        prob.set_val(k, v)
    prob.run_model()
    data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-8, rtol=1e-8)
    return prob


def test_partials_roadload():
    _check_comp(RoadLoadComp(), NBOX)


@pytest.mark.parametrize("test", ["ftp", "hwfet"])
@pytest.mark.parametrize("eps", [None, 0.0])
def test_partials_tractive(test, eps):
    th = _theta(1050.0, 0.0101, 0.38, 2.19, f1=0.8)
    vals = dict(zip(("energy:road:m_eff", "energy:road:f0", "energy:road:f1",
                     "energy:road:f2"), th, strict=True))
    _check_comp(TractiveEnergyComp(test=test, smoothing_w=eps), vals)


@pytest.mark.parametrize("trans", ["cvt", "mt5"])
def test_partials_ice(trans):
    vals = {"energy:ftp:trac_pos_phase": [0.52, 0.62, 0.52],
            "energy:hwfet:trac_pos_phase": [1.7], "powertrain:ice:displacement": 658.0}
    prob = _check_comp(IceFuelComp(transmission=trans), vals)
    assert prob.get_val("energy:ftp_kwh_per_mi")[0] == 0.0


def test_partials_bev():
    vals = {"energy:ftp:trac_pos_phase": [0.52, 0.62, 0.52],
            "energy:ftp:trac_brake_phase": [0.25, 0.3, 0.25],
            "energy:hwfet:trac_pos_phase": [1.7], "energy:hwfet:trac_brake_phase": [0.2]}
    _check_comp(BevElectricityComp(), vals)


def _group(pt, trans="cvt", **values):
    prob = om.Problem()
    prob.model.add_subsystem("energy", EnergyGroup(powertrain_type=pt, transmission=trans),
                             promotes=["*"])
    prob.setup(force_alloc_complex=True)
    for k, v in {**NBOX, **values}.items():
        prob.set_val(k, v)
    if pt == "ice" and "powertrain:ice:displacement" not in values:
        prob.set_val("powertrain:ice:displacement", 658.0)
    prob.run_model()
    return prob


@pytest.mark.parametrize("pt", ["ice", "bev"])
def test_group_totals(pt):
    prob = _group(pt)
    wrt = list(NBOX) + ["energy:road:f1"]
    if pt == "ice":
        wrt.append("powertrain:ice:displacement")
    of = [n for pair in OUTPUT_NAMES.values() for n in pair]
    if pt == "ice":
        of = [OUTPUT_NAMES[t][0] for t in OUTPUT_NAMES]
    data = prob.check_totals(of=of, wrt=wrt, method="cs", out_stream=None)
    assert_check_totals(data, atol=1e-8, rtol=1e-8)
    # and the whole model's partials
    assert_check_partials(prob.check_partials(method="cs", out_stream=None),
                          atol=1e-8, rtol=1e-8)


def test_group_rejects_unregistered_test():
    prob = om.Problem()
    prob.model.add_subsystem("e", EnergyGroup(tests=("us06",)))
    with pytest.raises(ValueError, match="us06"):
        prob.setup()


# ------------------------------------------------------------------ physics sanity
@pytest.mark.parametrize("pt", ["ice", "bev"])
def test_monotonic_in_mass_cd_crr(pt):
    base = _group(pt)
    for name, factor in (("mass:test", 1.2), ("road:cd", 1.2), ("road:crr", 1.3),
                         ("body:frontal_area", 1.1)):
        more = _group(pt, **{name: NBOX[name] * factor})
        for t in OUTPUT_NAMES:
            mpg = OUTPUT_NAMES[t][0]
            assert more.get_val(mpg)[0] < base.get_val(mpg)[0], (name, t)
            if pt == "bev":
                kwh = OUTPUT_NAMES[t][1]
                assert more.get_val(kwh)[0] > base.get_val(kwh)[0], (name, t)
    if pt == "ice":  # a bigger engine idles and rubs more
        big = _group(pt, **{"powertrain:ice:displacement": 1200.0})
        assert big.get_val("energy:ftp_mpg")[0] < base.get_val("energy:ftp_mpg")[0]
        assert base.get_val("energy:ftp_kwh_per_mi")[0] == 0.0


def test_mt_burns_more_than_cvt():
    cvt = _group("ice", "cvt").get_val("energy:ftp_mpg")[0]
    mt = _group("ice", "mt5").get_val("energy:ftp_mpg")[0]
    assert mt < cvt


def test_nbox_plausible():
    """N-Box (FASTSim parameters): between the Mirage and the 1950s; FTP < HWFET mpg."""
    prob = _group("ice")
    ftp, hw = prob.get_val("energy:ftp_mpg")[0], prob.get_val("energy:hwfet_mpg")[0]
    assert 40.0 < ftp < hw < 70.0
    trac = prob.get_val("energy:ftp:trac_pos_per_mi", units="kW*h/mi")[0]
    assert 0.12 < trac < 0.18


# ------------------------------------------------------------------ calibration
# Tolerances the fit achieves (docs/energy.md): ICE rms 3.2 %, worst row 9.5 % (MX-5
# 6AT on the FTP); Leaf rms 0.5 %, worst 1.0 %.
ICE_MAX, ICE_RMS = 0.10, 0.035
BEV_MAX, BEV_RMS = 0.015, 0.006


@pytest.fixture(scope="module")
def rows():
    return cal.load_rows()


def test_toml_matches_fit(rows):
    assert cal.compare(cal.fitted_constants(rows), load_constants()) == []


def test_lhv_value():
    # 114,800 Btu/gal for the 40 CFR 600 App. II sample fuel
    assert cal.lhv_kwh_per_gal() * 3412.14 == pytest.approx(114_780.0, rel=1e-3)


def _epa_group_prediction(row, pt):
    """Run the OpenMDAO model on a test-car row with its dyno road load."""
    c = load_constants()["roadload"]
    area = 2.0
    vals = {"mass:test": row.etw, "road:crr": row.f0 / (row.etw * c["g"]),
            "road:cd": 2.0 * row.f2 / (c["rho_air"] * area), "body:frontal_area": area,
            "energy:road:f1": row.f1}
    trans = "mt5" if row.trans == "M" else "cvt"
    if pt == "ice":
        vals["powertrain:ice:displacement"] = row.displacement_l * 1000.0
    prob = om.Problem()
    prob.model.add_subsystem("e", EnergyGroup(powertrain_type=pt, transmission=trans,
                                              tests=(row.test,)), promotes=["*"])
    prob.setup()
    for k, v in vals.items():
        prob.set_val(k, v)
    prob.run_model()
    return prob.get_val(OUTPUT_NAMES[row.test][0])[0]


def test_model_reproduces_ice_calibration_cars(rows):
    ice = [r for r in rows if r.fuel == "gasoline"]
    assert len(ice) == 24
    err = np.array([_epa_group_prediction(r, "ice") / r.measured - 1.0 for r in ice])
    assert np.max(np.abs(err)) < ICE_MAX
    assert np.sqrt(np.mean(err**2)) < ICE_RMS
    assert abs(np.mean(err)) < 0.01  # unbiased: not tuned to one car


def test_model_reproduces_leaf(rows):
    leaf = [r for r in rows if r.family == "LEAF"]
    assert len(leaf) == 8
    err = np.array([_epa_group_prediction(r, "bev") / r.measured - 1.0 for r in leaf])
    assert np.max(np.abs(err)) < BEV_MAX
    assert np.sqrt(np.mean(err**2)) < BEV_RMS


def test_bolt_rows_look_adjusted(rows):
    """The Bolt rows match 0.7 x the predicted unadjusted MPGe (label-like values)."""
    for r in (r for r in rows if r.family == "BOLT"):
        pred = _epa_group_prediction(r, "bev")
        assert 0.7 * pred / r.measured - 1.0 == pytest.approx(0.0, abs=0.05)


def test_fit_is_physical():
    c = load_constants()
    eta = c["ice"]["eta"]
    assert 0.15 < eta["ftp"] < eta["hwfet"] < 0.40
    assert c["ice"]["idle_kw_per_l"] > 0.0
    assert 1.0 < c["ice"]["transmission_factor"]["mt5"] < 1.2
    assert 0.8 < c["bev"]["eta_drive"] < 1.0 and 0.3 < c["bev"]["eta_regen"] < 0.9
    assert c["ice"]["fit"]["loo_rms"] < 0.05


def test_energy_units_consistent():
    """Per-mile tractive energy equals the weighted phase sum over the distance."""
    prob = _group("bev")
    ph = prob.get_val("energy:ftp:trac_pos_phase", units="kW*h")
    per_mi = prob.get_val("energy:ftp:trac_pos_per_mi", units="kW*h/mi")[0]
    ftp = ftp75()
    assert per_mi == pytest.approx(ftp.weights @ ph / (ftp.distance / METRES_PER_MILE))
    th = _theta(1050.0, 0.0101, 0.38, 2.19)
    e1 = tractive_energy(cycle_basis("ftp")[0], th, 50.0)[0] / J_PER_KWH
    assert ph[0] == pytest.approx(e1)
