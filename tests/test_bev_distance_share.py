"""A BEV behind the trace: its energy (capped at the motor's available power,
``powertrains.bev_cycle``) over the distance the full-power pass drives
(``perf:<segment>_distance_share``), as an ICE's; a car that cannot start is credited
``vehicle.MIN_DISTANCE_SHARE`` (finite results; 5 Dec 2026)."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import DESIGNS, ROOT, run_comp
from openmdao.utils.assert_utils import assert_check_partials

from keidesign.design import load_design
from keidesign.energy import vehicle as veh
from keidesign.energy.components import DISTANCE_SHARES, CycleComp
from keidesign.energy.cycles import METRES_PER_MILE, segments
from keidesign.evaluation import evaluate_design, resolve_packs

pytestmark = pytest.mark.filterwarnings(
    "ignore::openmdao.utils.om_warnings.DerivativesWarning")

SAKURA = DESIGNS / "sakura_class.toml"
#: the energy results a study reads
RESULTS = ("energy:ftp_mpg", "energy:hwfet_mpg", "energy:us06_mpg", "energy:ftp_kwh_per_mi",
           "energy:hwfet_kwh_per_mi", "energy:ev_range", "energy:wltc_wh_per_km",
           "energy:label_comb_mpg")


def _outputs(**change):
    d = load_design(SAKURA).replace(**change)
    return evaluate_design(d, resolve_packs(d.rules)).outputs


def _val(out, name):
    return np.asarray(out[name][0], dtype=float)


def test_credited_share_floor_exact_above_and_c1():
    s_min, h = veh.MIN_DISTANCE_SHARE, veh.MIN_DISTANCE_SHARE_BAND
    s = np.array([[1.0, 0.5, s_min + h, 0.0]])
    out = veh.credited_share(s)
    assert out[0, 0] == 1.0 and out[0, 1] == 0.5 and out[0, 2] == s_min + h
    assert out[0, 3] == s_min
    for edge in (s_min - h, s_min + h):   # value and slope continuous at the band's ends
        lo, hi = (float(veh.credited_share(np.array([[edge + d]]))[0, 0])
                  for d in (-1e-7, 1e-7))
        assert hi - lo == pytest.approx(2e-7 * (0.0 if edge < s_min else 1.0), abs=1e-12)
    grid = np.linspace(0.0, 0.05, 501)[None, :]
    assert np.all(veh.credited_share(grid) >= np.maximum(grid, s_min) - 1e-15)


def test_weak_bev_credited_only_the_driven_distance():
    """A 5 kW / 20 N m Sakura-class variant (it cannot follow any cycle): its kWh per
    mile are its energy per bag over the distance its full-power pass drives, ``sum E_k
    / sum s_k D_k`` (before: over the trace's distance ``sum D_k``)."""
    from keidesign.model import build_problem

    d = load_design(SAKURA).replace(**{"powertrain:bev:motor_power": 5.0,
                                       "powertrain:bev:motor_torque": 20.0})
    prob = build_problem(d, resolve_packs(d.rules))
    prob.run_model()
    dist = segments(veh.EPA_SEGMENTS).distance / METRES_PER_MILE
    s = [float(prob.get_val(n)[0]) for n in DISTANCE_SHARES]
    assert all(x < 0.9 for x in s)
    bags = prob.get_val("energy:ftp:fuel_phase", units="kW*h")
    assert float(prob.get_val("energy:ftp_kwh_per_mi", units="kW*h/mi")[0]) == pytest.approx(
        (bags[0] + bags[1]) / (dist[0] * s[0] + dist[1] * s[1]), rel=1e-12)
    hw = float(prob.get_val("energy:hwfet:fuel_phase", units="kW*h")[0])
    assert float(prob.get_val("energy:hwfet_kwh_per_mi", units="kW*h/mi")[0]) == pytest.approx(
        hw / (dist[2] * s[2]), rel=1e-12)


def test_shipped_bev_follows_ftp_hwfet_wltc():
    """The Sakura class follows the FTP, HWFET and WLTC (shares exactly 1: those results
    unchanged bit for bit by the shares) and nearly the US06."""
    out = _outputs()
    for n in DISTANCE_SHARES:
        s = float(_val(out, n))
        assert (0.99 < s < 1.0) if n == "perf:us06_distance_share" else s == 1.0, n


def test_bev_that_cannot_start_has_finite_results_and_partials():
    """Every share 0 (a car that cannot start): before the floor the BEV's kWh/mi were
    infinite, its MPGe and range 0, and their partials NaN."""
    vals = {"mass:test": 1000.0, "energy:road:m_eff": 1030.0, "energy:road:f0": 100.0,
            "energy:road:f1": 0.5, "energy:road:f2": 0.40,
            "powertrain:bev:motor_power": 0.2, "powertrain:bev:motor_torque": 1.0,
            "powertrain:bev:battery_energy": 20.0, "powertrain:overall_ratio_low": 29.6,
            "powertrain:overall_ratio_high": 29.6, **dict.fromkeys(DISTANCE_SHARES, 0.0)}
    with np.errstate(divide="ignore", invalid="ignore"):
        prob = run_comp(CycleComp(kind="bev", distance_share=True), **vals)
        for n in RESULTS[:-1]:
            v = float(prob.get_val(n)[0])
            assert np.isfinite(v) and v > 0.0, n
        data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-6, rtol=2e-6)


def test_tiny_bev_study_problem_has_finite_results():
    """A study problem of the kei EV study with a 0.2 kW / 1 N m motor: the full-power
    pass cannot start (0-60 mph 999 s, top speed 0, every share 0); its energy results
    and their totals are finite and positive (the floor of ``credited_share``)."""
    from keidesign.studies.problem import build_study_problem
    from keidesign.studies.spec import load_study

    s = load_study(ROOT / "studies" / "kei_ev_min_cost.toml")
    sp = build_study_problem(s, s.base, objectives=[s.objective])
    prob = sp.prob
    prob.setup()
    prob.set_val("powertrain:bev:motor_power", 0.2, units="kW")
    prob.set_val("powertrain:bev:motor_torque", 1.0, units="N*m")
    with np.errstate(divide="ignore", invalid="ignore"):
        prob.run_model()
        assert float(prob.get_val("perf:top_speed", units="mi/h")[0]) == 0.0
        for n in DISTANCE_SHARES:
            assert float(prob.get_val(n)[0]) == 0.0, n
        for n in RESULTS:
            v = float(prob.get_val(n)[0])
            assert np.isfinite(v) and v > 0.0, n
        tot = prob.compute_totals(of=["energy:ev_range", "energy:label_comb_mpg"],
                                  wrt=["powertrain:bev:battery_energy"])
    assert all(np.all(np.isfinite(v)) for v in tot.values())
