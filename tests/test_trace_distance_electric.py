"""A BEV and a hybrid behind the trace: on every step the full-power pass drives below
the trace (``perf:<cycle>_behind``) the motor gives its available power without
regeneration (``powertrains.bev_cycle``), a hybrid's engine and motor their combined
full-load power (``powertrains.hev_cycle``), catch-up seconds included, as an ICE's
engine (``tests/test_trace_distance.py``; 40 CFR 86.115-78(b)(4); 5 Dec 2026)."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import DESIGNS, run_comp
from openmdao.utils.assert_utils import assert_check_partials

from keidesign.design import load_design
from keidesign.energy import performance as perf
from keidesign.energy import powertrains as pt
from keidesign.energy.components import BEHIND, DISTANCE_SHARES, CycleComp
from keidesign.energy.constants import bev_constants, hev_constants, ice_constants
from keidesign.energy.cycles import SegmentSet
from keidesign.evaluation import evaluate_design, resolve_packs

pytestmark = pytest.mark.filterwarnings(
    "ignore::openmdao.utils.om_warnings.DerivativesWarning")

A = np.array


def _bev() -> dict:
    """A 1000 kg kei-sized BEV with a 10 kW / 40 N m motor (k = 29.6 rad/m)."""
    return {"m_eff": A([[1030.0]]), "f0": A([[100.0]]), "f1": A([[0.5]]),
            "f2": A([[0.40]]), "k": A([[29.6]]), "p_r": A([[10e3]]), "t_r": A([[40.0]]),
            "w_max": A([[12000.0 * pt.RPM]]), "v_oc": A([[350.0]]), "r_b": A([[0.1]]),
            "eta_chg": A([[0.9]]), "p_chg": A([[6e3]]), "induction": A([[0.0]])}


def _hev() -> dict:
    """A 20 kW engine + 5 kW motor mild hybrid (manual, 1000 kg)."""
    return {"m_eff": A([[1000.0]]), "f0": A([[100.0]]), "f1": A([[0.0]]), "f2": A([[0.4]]),
            "vd": A([[0.66]]), "k_lo": A([[60.0]]), "k_hi": A([[14.0]]), "t_r": A([[40.0]]),
            "p_r": A([[20e3]]), "w_r": A([[6000 * pt.RPM]]), "pm_r": A([[5e3]])}


def _steps(v: list[float]) -> SegmentSet:
    """One segment of 1 s steps through the speeds ``v`` (m/s)."""
    v = np.asarray(v, dtype=float)
    n = len(v) - 1
    return SegmentSet(("x",), np.array([0]), np.ones(n), v[:-1], v[1:],
                      np.array([float(np.sum(0.5 * (v[1:] + v[:-1])))]), np.array([float(n)]))


#: a cruise, a gentle acceleration and a braking step: the trace asks little or less
SPEEDS = [10.0, 10.0, 10.5, 9.0, 9.0]
MASK = A([[True, True, True, False]])


def test_bev_step_behind_draws_the_available_power_and_regenerates_nothing():
    """On a step behind the motor gives its available power at the trace's speed
    whatever the trace asks (a cruise, a braking step), the battery the power of it
    with the loss map at that point; the other steps and a mask of no step are the
    shipped cycle bit for bit. Fails on the code before 5 Dec 2026 (later), whose
    steps behind drew the trace's demand and regenerated."""
    x, c, seg = _bev(), bev_constants(), _steps(SPEEDS)
    tr = pt.Trace.of(seg)
    base = pt.bev_cycle(seg, x, c)
    np.testing.assert_array_equal(pt.bev_cycle(seg, x, c, behind=np.zeros_like(MASK))
                                  ["p_batt"], base["p_batt"])
    r = pt.bev_cycle(seg, x, c, behind=MASK)
    w = tr.vb * x["k"]
    p_s = pt.motor_available_power(w, x)
    p_el = p_s + pt.motor_loss(p_s, w, x["p_r"], x["t_r"], c, x["induction"])
    want = pt.battery_power(p_el + c["aux_kw"] * 1e3, x["v_oc"], x["r_b"])
    np.testing.assert_allclose(r["p_batt"][:, :3], want[:, :3], rtol=1e-14)
    np.testing.assert_array_equal(r["p_batt"][:, 3], base["p_batt"][:, 3])
    assert float(base["p_batt"][0, 2]) < 0.0 < float(r["p_batt"][0, 2])   # no regeneration
    assert np.all(r["p_batt"][:, :3] > base["p_batt"][:, :3])
    assert float(r["dc"][0, 0]) > float(base["dc"][0, 0])


def test_bev_step_behind_above_the_motor_speed_limit_is_flat_out_at_it():
    """A step behind whose trace speed is above the motor's maximum speed (the Minicab EV
    truck class's US06, 19 of its 176 steps behind): the car is flat out at its top speed,
    so the motor gives its available power at ``w_max`` (rated power above the base
    speed), not the 0 of ``motor_torque`` above ``w_max`` (which drew only the
    accessories before the review of 5 Dec 2026)."""
    x, c = _bev(), bev_constants()
    x["w_max"] = A([[270.0]])              # 9.1 m/s: below the trace's 10 m/s
    seg = _steps(SPEEDS)
    r = pt.bev_cycle(seg, x, c, behind=MASK)
    p_s = pt.motor_available_power(x["w_max"], x)          # P_r: above the base speed
    assert float(p_s[0, 0]) == pytest.approx(10e3)
    w = x["w_max"] + 0.0 * pt.Trace.of(seg).vb
    p_el = p_s + pt.motor_loss(p_s + 0.0 * w, pt.Trace.of(seg).vb * x["k"], x["p_r"],
                               x["t_r"], c, x["induction"])
    want = pt.battery_power(p_el + c["aux_kw"] * 1e3, x["v_oc"], x["r_b"])
    np.testing.assert_allclose(r["p_batt"][:, :3], want[:, :3], rtol=1e-14)
    assert np.all(r["p_batt"][:, :3] > 9e3)


def test_hev_step_behind_runs_the_engine_at_the_combined_full_load():
    """On a step behind the hybrid's engine runs (no electric drive, no regeneration)
    at the combined full-load power of :func:`hybrid_rating` at its speed, in the gear
    of the most full-load power; its fuel is above the shipped cycle's; a mask of no
    step changes nothing."""
    x, c = _hev(), ice_constants()
    seg = _steps(SPEEDS)
    args = (seg, x, "mt5", c, bev_constants(), hev_constants(), {})
    base = pt.hev_cycle(*args, layout="mild")
    none = pt.hev_cycle(*args, layout="mild", behind=np.zeros_like(MASK))
    for k in ("fuel", "p_e", "p_batt", "w"):
        np.testing.assert_array_equal(none[k], base[k])
    r = pt.hev_cycle(*args, layout="mild", behind=MASK)
    assert np.all(r["engine_on"][:, :3]) and not bool(base["engine_on"][0, 2])
    assert np.all(r["p_m"][:, :3] == 0.0)
    p_comb, t_comb = pt.hybrid_rating(x["p_r"], x["t_r"], x["pm_r"])
    p_full = pt.available_power(r["w"], {"p_r": p_comb, "t_r": t_comb, "w_r": x["w_r"]})
    np.testing.assert_array_equal(r["p_e"][:, :3], p_full[:, :3])
    assert np.all(r["p_e"][:, :3] > base["p_e"][:, :3])
    assert float(r["fuel"][0, 0]) > float(base["fuel"][0, 0])


#: a 1046 kg car with a 12 kW engine (+ 2 kW motor) or a 12 kW / 60 N m motor
_POINT = {"mass:test": 1046.0, "energy:road:m_eff": 1077.0, "energy:road:f0": 100.0,
          "energy:road:f1": 0.5, "energy:road:f2": 0.46}
_KIND = {"bev": {"powertrain:bev:motor_power": 12.0, "powertrain:bev:motor_torque": 60.0,
                 "powertrain:bev:battery_energy": 20.0, "powertrain:overall_ratio_low": 30.0,
                 "powertrain:overall_ratio_high": 30.0},
         "hev": {"powertrain:ice:displacement": 658.0, "powertrain:ice:power": 12.0,
                 "powertrain:ice:torque": 25.0, "powertrain:overall_ratio_low": 46.0,
                 "powertrain:overall_ratio_high": 8.3, "powertrain:ice:hev_motor_power": 2.0}}


@pytest.mark.parametrize("kind", ["bev", "hev"])
def test_partials_electric_cycles_with_steps_behind(kind):
    """The cycle component's partials with steps at full power on every cycle (the masks
    a decision on real values: piecewise constant, no derivative); those steps cost
    energy on every cycle (the JC08's since its pass, 5 Dec 2026)."""
    rng = np.random.default_rng(7)
    shares = dict(zip(DISTANCE_SHARES, (0.8, 0.95, 0.75, 0.6, 0.85, 0.9),
                      strict=True))
    trans = "single_speed" if kind == "bev" else "cvt"
    masks = {n: rng.random(len(perf.pass_trace(k)[0]) - 1) < 0.2 for k, n in BEHIND.items()}
    vals = {**_POINT, **_KIND[kind], **shares}
    prob = run_comp(CycleComp(kind=kind, transmission=trans, distance_share=True), **vals,
                    **masks)
    base = run_comp(CycleComp(kind=kind, transmission=trans, distance_share=True), **vals)
    for name in ("energy:ftp_mpg", "energy:hwfet_mpg", "energy:us06_mpg"):
        assert prob.get_val(name)[0] < base.get_val(name)[0], name
    wltc, jc08 = (("energy:wltc_wh_per_km", "energy:jc08_wh_per_km") if kind == "bev" else
                  ("energy:wltc_km_per_l", "energy:jc08_km_per_l"))
    sign = -1.0 if kind == "bev" else 1.0
    assert sign * prob.get_val(wltc)[0] < sign * base.get_val(wltc)[0]
    assert sign * prob.get_val(jc08)[0] < sign * base.get_val(jc08)[0]
    data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-6, rtol=2e-6)


def _outputs(stem: str, **change):
    d = load_design(DESIGNS / f"{stem}.toml").replace(**change)
    return evaluate_design(d, resolve_packs(d.rules)).outputs


#: the Sakura class's weaker motors (kW, N m) that it beats on the FTP
WEAK_BEV = ((5.0, 20.0), (1.0, 5.0))


def test_weaker_bev_credited_less_on_the_ftp():
    """The Sakura class (47 kW, FTP 189.2 MPGe) follows the FTP; at 5 / 1 kW (which
    catch up on most of its accelerations) it gets fewer MPGe (160.6 / 82.1; before the
    steps behind, 5 Dec 2026 later: 244.5 / 130.6, the catch-up seconds at the trace's
    demand, and the 5 kW variant's regeneration from the trace's speed). Not asserted:
    the 10 kW variant's FTP (191.0, was 229.1) and every weaker variant's HWFET and WLTC,
    which stay better than the design's, as on the reference of the same kernels run on
    the speed profile the pass achieves (``benchmarks/achieved_speed_probe.py``: 10 kW
    FTP 0.1346 vs 0.1434 kWh/mi, HWFET 0.1733 vs 0.1962: slower driving costs a BEV
    less per mile; docs/energy.md section 3)."""
    full = float(_outputs("sakura_class")["energy:ftp_mpg"][0])
    for p, t in WEAK_BEV:
        out = _outputs("sakura_class", **{"powertrain:bev:motor_power": p,
                                          "powertrain:bev:motor_torque": t})
        assert float(out["energy:ftp_mpg"][0]) < full, p


#: the Alto class as a 2 kW mild hybrid, its engine (kW) as shipped and weaker
HEV = {"powertrain:ice:hybrid": "hev", "powertrain:ice:hev_motor_power": 2.0}
WEAK_HEV = (10.0, 5.0)
HEV_FOLLOWED = ("energy:ftp_mpg", "energy:hwfet_mpg", "energy:wltc_km_per_l",
                "energy:jc08_km_per_l")


def _with_and_without_steps(stem: str, **change) -> tuple[dict, dict]:
    """The cycle component's results of the design ``stem`` with ``change``: with the
    full-power steps of its passes (``perf:<cycle>_behind``, as the model runs it) and
    with every mask forced off (the steps at the trace's demand), the same inputs."""
    from keidesign.model import build_problem

    d = load_design(DESIGNS / f"{stem}.toml").replace(**change)
    prob = build_problem(d, resolve_packs(d.rules))
    prob.run_model()
    cc = next(prob.model.system_iter(recurse=True, typ=CycleComp))
    v = {n: np.reshape(prob.get_val(f"{cc.pathname}.{n}"), (1, 1)) for n in cc._ins}
    masks = {n: np.asarray(prob.get_val(f"{cc.pathname}.{n}")).reshape(1, -1) > 0.5
             for n in BEHIND.values()}
    on = cc._evaluate({**v, **masks})
    off = cc._evaluate({**v, **{n: np.zeros_like(m) for n, m in masks.items()}})
    return ({k: float(np.real(on[k])[0, 0]) for k in HEV_FOLLOWED},
            {k: float(np.real(off[k])[0, 0]) for k in HEV_FOLLOWED})


def test_weaker_hybrid_never_beats_the_design_on_the_cycles_it_follows():
    """The Alto class as a 2 kW mild hybrid follows the FTP, HWFET, WLTC and JC08; with a
    10 or 5 kW engine (torque scaled with power) it gets fewer mpg there. That alone
    held before the hybrid's full-power steps (7deaf2c, 5 Dec 2026), the shares and the
    cap being enough at these powers; the mask is pinned by the same run with every step
    behind forced off: with the steps at full power each weak variant gets fewer mpg
    (km/L) on every one of those cycles than at the trace's demand (FTP 42.43 / 30.90
    against 46.05 / 36.97 mpg, docs/energy.md section 3). On the code before the
    hybrid's steps the mask changed nothing (hev_cycle took none): equal, so this
    fails there."""
    full = _outputs("alto_class", **HEV)
    for p in WEAK_HEV:   # the shipped 36 kW / 58 N m
        change = {**HEV, "powertrain:ice:power": p, "powertrain:ice:torque": 58.0 * p / 36.0}
        out = _outputs("alto_class", **change)
        for k in HEV_FOLLOWED:
            assert float(out[k][0]) < float(full[k][0]), (p, k)
        masked, unmasked = _with_and_without_steps("alto_class", **change)
        for k in HEV_FOLLOWED:
            assert masked[k] == pytest.approx(float(out[k][0]), rel=1e-12), (p, k)
            assert masked[k] < unmasked[k], (p, k)
