"""Energy discipline: cycles, road load, kernels, forward-mode partials, components."""

from __future__ import annotations

import numpy as np
import openmdao.api as om
import pytest
from conftest import run_comp
from openmdao.utils.assert_utils import assert_check_partials, assert_check_totals

from geometry import ad as D
from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy.components import (
    CoastdownComp,
    CycleComp,
    DrivelineComp,
    EnergyGroup,
    LabelSetsComp,
    PerformanceComp,
    PowertrainPackageComp,
)
from keidesign.energy.cycles import METRES_PER_MILE, Phase, ftp75, hwfet, segments, udds, us06, wltc
from keidesign.energy.roadload import (
    RoadLoadComp,
    TractiveEnergyComp,
    cycle_basis,
    load_constants,
    phase_basis,
    tractive_energy,
)
from keidesign.energy.vehicle import VehicleSpec, simulate
from keidesign.label import label_from_unadjusted

# point-dependent zero partials (a limiter-bound top speed, an unused gear) are expected
pytestmark = pytest.mark.filterwarnings(
    "ignore::openmdao.utils.om_warnings.DerivativesWarning")

G, RHO, FROT = 9.80665, 1.2, 0.03

# N-Box class (reference design values; FASTSim's Cd and Crr)
NBOX = {"mass:test": 1046.0, "road:cd": 0.38, "body:frontal_area": 2.218, "road:crr": 0.0101,
        "body:tyre_diameter": 557.0, "powertrain:ice:displacement": 658.0,
        "powertrain:ice:power": 43.0, "powertrain:ice:torque": 65.0}
SAKURA = {"mass:test": 1206.0, "road:cd": 0.35, "body:frontal_area": 2.05, "road:crr": 0.009,
          "body:tyre_diameter": 557.0, "powertrain:bev:motor_power": 47.0,
          "powertrain:bev:motor_torque": 195.0, "powertrain:bev:battery_energy": 20.0}


# ------------------------------------------------------------------ cycles
def test_cycle_distances_match_readme():
    assert udds().distance / METRES_PER_MILE == pytest.approx(7.45, abs=0.005)
    assert hwfet().distance / METRES_PER_MILE == pytest.approx(10.26, abs=0.005)
    assert us06().distance / METRES_PER_MILE == pytest.approx(8.01, abs=0.005)
    assert wltc("3b", ("low", "medium", "high", "extra_high")).distance == pytest.approx(
        23266.0, abs=15.0)


def test_segments_partition_the_traces():
    s = segments(("udds_bag1", "udds_bag2", "hwfet", "us06", "wltc3b_low", "wltc3b_medium",
                  "wltc3b_high"))
    assert list(s.duration) == [505.0, 864.0, 765.0, 600.0, 589.0, 433.0, 455.0]
    assert s.distance[0] + s.distance[1] == pytest.approx(udds().distance)
    assert s.distance[2] == pytest.approx(hwfet().distance)
    assert np.sum(s.distance[4:]) == pytest.approx(
        wltc("3b", ("low", "medium", "high")).distance)
    assert len(s.dt) == int(np.sum(s.duration))  # 1 Hz intervals, none lost or doubled


def test_ftp75_structure():
    ftp = ftp75()
    assert list(ftp.weights) == [0.43, 1.0, 0.57]
    np.testing.assert_array_equal(ftp.phases[0].speed, ftp.phases[2].speed)


# ------------------------------------------------------------------ forward mode
def test_dual_matches_complex_step():
    """Every dual-number operation the energy kernels use, against complex step."""
    x0 = np.array([[1.3, 0.7, 2.1]])

    def f(x):
        a, b, c = x[:, 0:1], x[:, 1:2], x[:, 2:3]
        t = np.linspace(-1.0, 2.0, 7)
        y = a * t**2 - b / (c + t * t) + D.sqrt(c * c + t * t) * D.exp(0.1 * b * t)
        y = D.where(D.real(y) > 0.5, y ** 1.5, D.log(2.0 + y * y))
        y = D.smax(y, 0.7 * a, 0.05) + D.smin(y, b, 0.1) + D.spos(y - 1.0, 0.2)
        y = y * D.spos_step(y - 1.0, 0.3) + D.maximum(y, c) - D.minimum(y, a)
        s = D.segment_sum(y, np.array([0, 3])) + D.sum_(D.cumsum(y), axis=-1)[:, None]
        return D.gather(s, np.array([[1, 0]])) * 2.0 - 1.0 / (1.0 + s[:, :1])

    out = f(D.seed_columns(x0))
    for j in range(3):
        xc = x0.astype(complex)
        xc[0, j] += 1e-30j
        np.testing.assert_allclose(out.g[..., j], np.imag(f(xc)) / 1e-30, rtol=1e-10,
                                   atol=1e-12)


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
    e_pos, e_brk = tractive_energy(phase_basis(ph), np.array([[me, f0, 0.0, f2]]), 0.0)
    acc = 0.5 * me * 20.0**2 + f0 * 200.0 + f2 * 20.0**4 / 4.0
    cruise = (f0 + f2 * 20.0**2) * 20.0 * 100.0
    brake = 0.5 * me * 20.0**2 - f0 * 100.0 - f2 * 8.0 * 1e4 / 4.0
    assert e_pos[0] == pytest.approx(acc + cruise, rel=2e-3)
    assert e_brk[0] == pytest.approx(brake, rel=2e-3)


def test_wheel_power_matches_tractive_energy_basis():
    """The kernels' wheel power integrates to the road-load module's net energy."""
    th = _theta(1050.0, 0.0101, 0.38, 2.19, f1=1.5)
    seg = segments(("hwfet",))
    x = {k: np.array([[v]]) for k, v in zip(("m_eff", "f0", "f1", "f2"), th, strict=True)}
    pw = pt.wheel_power(x, pt.Trace.of(seg))
    e_pos, e_brk = tractive_energy(cycle_basis("hwfet")[0], th[None], 0.0)
    assert np.sum(pw * seg.dt) == pytest.approx(e_pos[0] - e_brk[0], rel=1e-9)
    assert np.sum(np.maximum(pw, 0.0) * seg.dt) == pytest.approx(e_pos[0], rel=1e-9)


def test_smoothing_error_is_small():
    eps = load_constants()["roadload"]["smoothing_w"]
    th = _theta(1050.0, 0.0101, 0.38, 2.19)
    for test in ("ftp", "hwfet"):
        ex = sum(tractive_energy(b, th[None], 0.0)[0][0] for b in cycle_basis(test))
        sm = sum(tractive_energy(b, th[None], eps)[0][0] for b in cycle_basis(test))
        assert 0.0 <= sm / ex - 1.0 < 1e-3


# ------------------------------------------------------------------ partials (cs)
def _check(comp, values, atol=1e-6, rtol=1e-6):
    prob = run_comp(comp, **values)
    data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=atol, rtol=rtol)
    return prob


ROAD = {"energy:road:m_eff": 1077.0, "energy:road:f0": 100.0, "energy:road:f1": 0.9,
        "energy:road:f2": 0.45, "mass:test": 1046.0}


def test_partials_roadload_coastdown_driveline():
    _check(RoadLoadComp(), {k: NBOX[k] for k in ("mass:test", "road:cd",
                                                 "body:frontal_area", "road:crr")})
    _check(CoastdownComp(), {"mass:test": 1200.0, "energy:coastdown:a": 135.0,
                             "energy:coastdown:b": 0.15, "energy:coastdown:c": 0.48})
    for kind, trans in (("ice", "cvt"), ("ice", "mt5"), ("bev", "single_speed")):
        _check(DrivelineComp(kind=kind, transmission=trans),
               {"powertrain:final_drive": 4.2, "powertrain:ratio_low": 3.1,
                "powertrain:ratio_high": 0.8, "body:tyre_diameter": 560.0})


@pytest.mark.parametrize("kind,trans,extra", [
    ("ice", "cvt", {}),
    ("ice", "mt5", {"powertrain:overall_ratio_low": 58.0,
                    "powertrain:overall_ratio_high": 13.0}),
    ("hev", "cvt", {"powertrain:ice:hev_motor_power": 12.0,
                    "powertrain:ice:hev_battery_energy": 0.6}),
    ("bev", "single_speed", {"powertrain:bev:motor_power": 47.0,
                             "powertrain:bev:motor_torque": 195.0,
                             "powertrain:bev:battery_energy": 20.0}),
])
def test_partials_cycles(kind, trans, extra):
    vals = {**ROAD, "powertrain:overall_ratio_low": 46.0,
            "powertrain:overall_ratio_high": 8.3}
    if kind != "bev":
        vals.update({k: NBOX[k] for k in ("powertrain:ice:displacement",
                                          "powertrain:ice:power", "powertrain:ice:torque")})
    else:
        vals["powertrain:overall_ratio_high"] = 29.0
    vals.update(extra)
    prob = _check(CycleComp(kind=kind, transmission=trans), vals, atol=1e-6, rtol=2e-6)
    assert np.isfinite(prob.get_val("energy:ftp_mpg")[0])


@pytest.mark.parametrize("kind,trans", [("ice", "cvt"), ("ice", "mt5"),
                                        ("bev", "single_speed")])
def test_partials_performance(kind, trans):
    vals = {"mass:test": 1046.0, "energy:road:f0": 100.0, "energy:road:f1": 0.5,
            "energy:road:f2": 0.46, "powertrain:speed_limiter": 140.0,
            "body:tyre_diameter": 557.0,  # mass factor of the ratio in use
            "powertrain:overall_ratio_low": 46.0 if trans == "cvt" else 58.0,
            "powertrain:overall_ratio_high": 8.3 if trans == "cvt" else 13.0}
    if kind == "bev":
        vals.update({"powertrain:overall_ratio_low": 29.0, "powertrain:overall_ratio_high": 29.0,
                     "powertrain:bev:motor_power": 47.0, "powertrain:bev:motor_torque": 195.0})
    else:
        vals.update({k: NBOX[k] for k in ("powertrain:ice:displacement",
                                          "powertrain:ice:power", "powertrain:ice:torque")})
    prob = _check(PerformanceComp(kind=kind, transmission=trans), vals, atol=1e-6, rtol=1e-5)
    # the mass factor's ratio and radius terms against central finite differences (a
    # complex step cannot see a value taken real on the way)
    jac = prob.compute_totals(["perf:accel_0_60"], ["body:tyre_diameter",
                                                    "powertrain:overall_ratio_low"])
    checks = [("body:tyre_diameter", 0.5)]
    if trans != "mt5":  # a stepped box's shift points move with the ratio: not smooth
        checks.append(("powertrain:overall_ratio_low", 0.05))
    for wrt, h in checks:
        x0 = vals[wrt]
        t = []
        for x in (x0 + h, x0 - h):
            prob.set_val(wrt, x)
            prob.run_model()
            t.append(prob.get_val("perf:accel_0_60")[0])
        prob.set_val(wrt, x0)
        fd = (t[0] - t[1]) / (2 * h)
        assert jac["perf:accel_0_60", wrt][0, 0] == pytest.approx(fd, rel=0.02, abs=1e-4), wrt


@pytest.mark.parametrize("ev", [False, True])
def test_partials_label_sets_and_package(ev):
    prob = _check(LabelSetsComp(ev=ev), {"energy:ftp_mpg": 48.0 if not ev else 220.0,
                                         "energy:hwfet_mpg": 55.0 if not ev else 170.0})
    f, h = prob.get_val("energy:ftp_mpg")[0], prob.get_val("energy:hwfet_mpg")[0]
    for s in ("2008", "2017"):
        c, w = label_from_unadjusted(f, h, s, ev=ev)
        assert prob.get_val(f"energy:label{s}_city_mpg")[0] == pytest.approx(c)
        assert prob.get_val(f"energy:label{s}_hwy_mpg")[0] == pytest.approx(w)
    for kind in ("ice", "hev", "bev"):
        _check(PowertrainPackageComp(kind=kind), {})


# ------------------------------------------------------------------ group totals
def _group(kind="ice", trans="cvt", **values):
    opts = {"powertrain_type": "bev" if kind == "bev" else "ice", "transmission": trans,
            "hybrid": "hev" if kind == "hev" else "none"}
    prob = om.Problem(reports=False)
    prob.model.add_subsystem("energy", EnergyGroup(**opts), promotes=["*"])
    prob.setup(force_alloc_complex=True)
    base = SAKURA if kind == "bev" else NBOX
    for k, v in {**base, **values}.items():
        prob.set_val(k, v)
    prob.run_model()
    return prob


@pytest.mark.parametrize("kind", ["ice", "bev"])
def test_group_totals_wrt_design_inputs(kind):
    """Analytic totals of the cycle and performance results w.r.t. mass, CdA, Crr,
    powertrain sizing and final drive, against complex step."""
    prob = _group(kind, **{"powertrain:final_drive": 4.8 if kind == "ice" else 8.5})
    wrt = ["mass:test", "road:cd", "body:frontal_area", "road:crr", "powertrain:final_drive",
           "body:tyre_diameter"]
    of = ["energy:ftp_mpg", "energy:hwfet_mpg", "energy:label2017_comb_mpg",
          "perf:accel_0_60", "perf:grade_speed", "powertrain:mass"]
    if kind == "ice":
        wrt += ["powertrain:ice:displacement", "powertrain:ice:power", "powertrain:ice:torque"]
        of += ["energy:wltc_km_per_l", "energy:jc08_km_per_l", "energy:co2_unadj"]
    else:
        wrt += ["powertrain:bev:motor_power", "powertrain:bev:battery_energy"]
        of += ["energy:ev_range", "energy:wltc_wh_per_km", "energy:jc08_wh_per_km",
               "energy:ftp_kwh_per_mi"]
    data = prob.check_totals(of=of, wrt=wrt, method="cs", out_stream=None)
    assert_check_totals(data, atol=1e-6, rtol=1e-6)


# ------------------------------------------------------------------ physics sanity
def _spec(**kw):
    base = {"mass_test": 1046.0, "cd": 0.38, "area": 2.218, "crr": 0.0101, "vd": 0.658,
            "power": 43.0, "torque": 65.0}
    return VehicleSpec(**{**base, **kw})


def test_monotonic_and_structural_effects():
    r = simulate([_spec(), _spec(mass_test=1250.0), _spec(cd=0.45), _spec(crr=0.013),
                  _spec(trans="mt5"), _spec(idle_stop=True), _spec(kind="hev"),
                  _spec(vd=1.2, power=58.0, torque=100.0),
                  _spec(kind="hev", hev_power=30.0, hev_energy=1.0)])
    ftp, hw = r["ftp_mpg"], r["hwfet_mpg"]
    for i in (1, 2, 3):  # heavier, draggier, more rolling resistance: worse
        assert ftp[i] < ftp[0] and hw[i] < hw[0]
    assert ftp[4] < ftp[0]  # manual at the fitted shift speed vs CVT
    assert ftp[5] > ftp[0] and hw[5] == pytest.approx(hw[0], rel=1e-3)  # idle stop: city
    assert ftp[6] > 1.05 * ftp[0]  # hybrid: regeneration, electric drive, engine off
    assert ftp[8] > ftp[6]  # a stronger hybrid saves more
    assert 0.0 < r["hev_soc_swing"][8] < 1.0  # the rule stays inside the battery window
    assert ftp[7] < ftp[0]  # bigger engine, same car
    # cold start makes bag 1 the worst bag; bag 3 = bag 1 hot
    b = r["ftp_fuel_phase"][0]
    assert b[0] > b[2]
    assert r["cold_start"][0] > 0.0


def test_hev_layouts_engine_off_and_the_equivalent_consumption_rule():
    """A full hybrid may drive electrically (where the ECMS rule finds it cheaper), a mild
    one may not; either burns nothing standing, so both beat the same car with idle stop
    on the FTP; the electric drive helps in the city, not on the highway."""
    r = simulate([_spec(idle_stop=True), _spec(kind="hev", hev_power=30.0, hev_layout="mild"),
                  _spec(kind="hev", hev_power=30.0, hev_layout="full"),
                  _spec(kind="hev", hev_power=0.5, hev_layout="full")])
    ftp, hw = r["ftp_mpg"], r["hwfet_mpg"]
    assert ftp[1] > ftp[0] and ftp[2] > ftp[0]
    assert ftp[2] >= ftp[1]  # the choice can only lower the equivalent consumption
    # within 4 %: +2.1 % at the BEV loss map refitted on the sourced EV torques (5 Dec
    # 2026, k_m 0.347; +1.7 % before at 0.453): a cheaper motor drives a little more;
    # +3.7 % since the ICE refit with the manual's EPA upshift schedule (5 Dec 2026: the
    # CVT's fitted efficiency 0.951 -> 0.928 makes the engine's path dearer)
    assert hw[2] == pytest.approx(hw[1], rel=0.04)
    assert ftp[3] < ftp[1]  # a 0.5 kW motor regenerates and drives next to nothing
    with pytest.raises(ValueError, match="layout"):
        simulate([_spec(kind="hev", hev_layout="series")])


def test_bev_range_and_battery():
    base = {"kind": "bev", "mass_test": 1206.0, "cd": 0.35, "area": 2.05, "power": 47.0,
            "torque": 195.0}
    r = simulate([VehicleSpec(**base, battery=20.0, r_b=0.1),
                  VehicleSpec(**base, battery=30.0, r_b=0.1),
                  VehicleSpec(**base, battery=20.0, r_b=0.4),
                  VehicleSpec(**base, battery=20.0, r_b=0.1, eta_chg=0.8),
                  VehicleSpec(**base, battery=20.0), VehicleSpec(**base, battery=30.0)])
    # one stated pack resistance: range in proportion to the energy
    assert r["ev_range"][1] == pytest.approx(1.5 * r["ev_range"][0], rel=1e-9)
    # from the pack (R = tau V^2 / E): the bigger pack also loses less per mile
    assert r["ev_range"][5] > 1.5 * r["ev_range"][4]
    assert r["ftp_dc_kwh_per_mi"][5] < r["ftp_dc_kwh_per_mi"][4]
    assert r["ftp_dc_kwh_per_mi"][2] > r["ftp_dc_kwh_per_mi"][0]  # I^2 R loss
    assert r["ftp_kwh_per_mi"][3] == pytest.approx(r["ftp_kwh_per_mi"][0] * 0.9 / 0.8)
    assert r["hwfet_kwh_per_mi"][0] > r["ftp_kwh_per_mi"][0]  # regen helps in the city
    # EPA label range: 0.7 x the 55/45 combination of the unadjusted ranges
    rc, rh = r["ev_range_city"][0], r["ev_range_hwy"][0]
    assert r["ev_range"][0] == pytest.approx(0.7 / (0.55 / rc + 0.45 / rh))


def test_simulate_batch_equals_component():
    prob = _group("ice")
    r = simulate([_spec(mass_test=1046.0, cd=0.38, area=2.218)])
    assert r["ftp_mpg"][0] == pytest.approx(prob.get_val("energy:ftp_mpg")[0], rel=1e-9)
    assert r["wltc_km_per_l"][0] == pytest.approx(prob.get_val("energy:wltc_km_per_l")[0],
                                                  rel=1e-9)
    # batch order does not matter (chunking, grouping)
    specs = [_spec(mass_test=900.0 + 50 * i, trans=("cvt", "mt5")[i % 2]) for i in range(9)]
    a = simulate(specs, chunk=2)
    b = simulate(specs[::-1], chunk=64)
    np.testing.assert_allclose(a["ftp_mpg"], b["ftp_mpg"][::-1], rtol=1e-12)


def test_performance_sanity():
    prob = _group("ice")
    t060, t5070 = prob.get_val("perf:accel_0_60")[0], prob.get_val("perf:accel_50_70")[0]
    assert 12.0 < t060 < 20.0 and 7.0 < t5070 < 15.0
    top = prob.get_val("perf:top_speed", units="km/h")[0]
    assert top == pytest.approx(140.0, rel=1e-6)  # limiter
    assert prob.get_val("perf:grade_speed")[0] < prob.get_val("perf:top_speed")[0]
    more = _group("ice", **{"powertrain:ice:power": 60.0, "powertrain:ice:torque": 100.0})
    assert more.get_val("perf:accel_0_60")[0] < t060
    weak = _group("ice", **{"powertrain:ice:power": 8.0, "powertrain:ice:torque": 15.0})
    assert weak.get_val("perf:accel_0_60")[0] == pytest.approx(999.0)  # cannot reach 60
    assert weak.get_val("perf:us06_shortfall")[0] > 10.0
    assert np.isfinite(weak.get_val("energy:ftp_mpg")[0])


def test_kernels_are_vectorized_over_designs():
    """A batch of n designs gives the same results as n single runs."""
    seg = segments(("udds_bag1", "hwfet"))
    c = {**__import__("keidesign.energy.constants", fromlist=["x"]).ice_constants()}
    rng = np.random.default_rng(1)
    n = 5
    x = {"m_eff": rng.uniform(900, 1400, (n, 1)), "f0": rng.uniform(80, 150, (n, 1)),
         "f1": np.zeros((n, 1)), "f2": rng.uniform(0.35, 0.5, (n, 1)),
         "vd": rng.uniform(0.6, 1.6, (n, 1)), "k_lo": rng.uniform(40, 60, (n, 1)),
         "k_hi": rng.uniform(8, 14, (n, 1)), "t_r": rng.uniform(60, 150, (n, 1)),
         "p_r": rng.uniform(40e3, 90e3, (n, 1)), "w_r": np.full((n, 1), 650.0)}
    for trans in ("cvt", "mt5"):
        batch = pt.ice_cycle(seg, x, trans, c)["fuel"]
        for i in range(n):
            one = pt.ice_cycle(seg, {k: v[i:i + 1] for k, v in x.items()}, trans, c)["fuel"]
            np.testing.assert_allclose(batch[i:i + 1], one, rtol=1e-12)


def test_tractive_energy_component_still_reported():
    prob = om.Problem(reports=False)
    prob.model.add_subsystem("t", TractiveEnergyComp(test="ftp"), promotes=["*"])
    prob.setup()
    prob.set_val("energy:road:m_eff", 1077.0)
    prob.set_val("energy:road:f0", 100.0)
    prob.set_val("energy:road:f2", 0.45)
    prob.run_model()
    assert 0.12 < prob.get_val("energy:ftp:trac_pos_per_mi", units="kW*h/mi")[0] < 0.18


# ------------------------------------------------------------------ model hook
def _design(stem, **changes):
    from conftest import design_with

    return design_with(stem, changes)


@pytest.mark.parametrize("stem", ["nbox_class", "alto_class", "mirage_class", "sakura_class"])
def test_reference_designs_report_energy_and_performance(stem):
    from keidesign.evaluation import evaluate_design, resolve_packs

    d = _design(stem)
    ev = evaluate_design(d, resolve_packs(d.rules + ["us-highway"]))
    out = ev.outputs
    for name in ("energy:label_city_mpg", "energy:label_comb_mpg", "energy:cafe_mpg",
                 "energy:label2008_comb_mpg", "perf:accel_0_60", "perf:top_speed",
                 "perf:grade_speed", "perf:us06_shortfall", "powertrain:mass"):
        assert np.isfinite(out[name][0]), name
    if d.powertrain_type == "bev":
        assert out["energy:ev_range"][0] > 50.0 and out["energy:wltc_wh_per_km"][0] > 50.0
    else:
        assert 15.0 < out["energy:wltc_km_per_l"][0] < 35.0
    ids = {c["id"]: c for c in ev.constraints}
    for cid in ("us-highway:perf.accel_0_60", "us-highway:perf.us06_trace",
                "cafe-2024:cafe.target"):
        assert ids[cid]["status"] == "evaluated"


def test_hook_options_coastdown_hybrid_idle_stop():
    from keidesign.model import build_problem

    base = _design("nbox_class")
    cd = _design("nbox_class", **{"energy.coastdown.measured": True,
                                   "energy.coastdown.a": "20.0 lbf",
                                   "energy.coastdown.b": "0.1 lbf*h/mi",
                                   "energy.coastdown.c": "0.02 lbf*h**2/mi**2"})
    hev = _design("nbox_class", **{"powertrain.ice.hybrid": "hev",
                                    "powertrain.ice.idle_stop": True})
    vals = {}
    for name, d in (("base", base), ("cd", cd), ("hev", hev)):
        prob = build_problem(d)
        prob.run_model()
        vals[name] = prob
    f0 = vals["cd"].get_val("energy:road:f0", units="lbf")[0]
    assert f0 == pytest.approx(20.0)
    assert vals["cd"].get_val("energy:road:f1", units="lbf*h/mi")[0] == pytest.approx(0.1)
    ftp = {k: p.get_val("energy:ftp_mpg")[0] for k, p in vals.items()}
    assert ftp["hev"] > ftp["base"]
    assert vals["hev"].get_val("powertrain:mass")[0] > vals["base"].get_val(
        "powertrain:mass")[0]


def test_gear_rule_highest_gear_with_reserve():
    """The stepped-gearbox rule (powertrains.gear_index): the highest gear at or above
    the shift speed that keeps 20 % power reserve; else the lowest gear with reserve;
    else first gear."""
    from keidesign.energy import powertrains as pt

    kg = np.array([[40.0, 25.0, 15.0]])       # rad/s per m/s, first gear first
    vb = np.array([10.0, 10.0, 10.0, 10.0])   # engine 400, 250, 150 rad/s
    rated = (np.array([[100.0]]), np.array([[50e3]]), np.array([[600.0]]))
    w = vb[0] * kg[0]
    p_full = pt._full_load_power(w[None, :], {"t_r": rated[0], "p_r": rated[1],
                                             "w_r": rated[2]}, False)[0]
    assert p_full[0] > p_full[1] > p_full[2]
    pe = np.array([[1e3,                          # light load: gear 2 (index 1)
                    0.5 * (0.8 * p_full[1] + 0.8 * p_full[0]),  # reserve in first only
                    2.0 * p_full[0],               # no gear has reserve: first
                    0.8 * p_full[1] * 0.99]])      # second still has reserve
    idx = pt.gear_index(kg, vb, pe, *rated, 80.0, 160.0, False)
    np.testing.assert_array_equal(idx, [[1, 0, 0, 1]])
    # with a lower shift speed the top gear (150 rad/s) is allowed at light load
    assert pt.gear_index(kg, vb[:1], pe[:, :1], *rated, 80.0, 140.0, False)[0, 0] == 2


def test_motor_loss_map_terms():
    """Shipped map: no constant term, iron loss ~ (w / w_b)^2, windage ~ (w / w_b)^3,
    copper ~ (T / T_r)^2, magnitude ~ P_r^(3/4) at the same per-unit point."""
    c = {**cal.fixed_constants()["bev"], "loss_scale": 1.0, "c_mag": 0.03}
    p_r, t_r = 80e3, 254.0
    w_b = p_r / t_r
    assert pt.motor_loss(0.0, 0.0, p_r, t_r, c) == pytest.approx(0.0, abs=1e-9)
    size = 50e3 * (p_r / 50e3) ** 0.75
    idle1 = pt.motor_loss(0.0, w_b, p_r, t_r, c)
    idle2 = pt.motor_loss(0.0, 2.0 * w_b, p_r, t_r, c)
    assert idle1 == pytest.approx(size * (c["c_fe"] + c["c_w"]))
    assert idle2 == pytest.approx(size * (4.0 * c["c_fe"] + 8.0 * c["c_w"]))
    rated = pt.motor_loss(p_r, w_b, p_r, t_r, c)
    assert rated - idle1 == pytest.approx(size * c["c_cu"], rel=1e-4)  # smooth speed floor
    big = pt.motor_loss(2.0 * p_r, w_b, 2.0 * p_r, 2.0 * t_r, c)
    assert big / rated == pytest.approx(2.0**0.75)
