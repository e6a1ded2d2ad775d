"""A car behind the trace: its cycle results over the distance the full-power pass
drives (``perf:<segment>_distance_share``, ``performance.trace_passes``;
``vehicle.cycle_results(distance_share=...)``; 40 CFR 86.115-78(b)(4); 5 Dec 2026)."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import DESIGNS, run_comp
from openmdao.utils.assert_utils import assert_check_partials

from keidesign.design import load_design
from keidesign.energy.components import DISTANCE_SHARES, CycleComp
from keidesign.evaluation import evaluate_design, resolve_packs

pytestmark = pytest.mark.filterwarnings(
    "ignore::openmdao.utils.om_warnings.DerivativesWarning")

CARRY = DESIGNS / "carry_class.toml"
#: the cycles the shipped Carry class follows (its US06 is 5.6 mph behind)
FOLLOWED = ("energy:ftp_mpg", "energy:hwfet_mpg", "energy:wltc_km_per_l",
            "energy:label2008_comb_mpg", "energy:label2017_comb_mpg")


def _outputs(**change):
    d = load_design(CARRY).replace(**change)
    return evaluate_design(d, resolve_packs(d.rules)).outputs


@pytest.fixture(scope="module")
def series():
    """The Carry class at 5, 10, 20 kW (torque scaled with power, same rated speed) and
    as shipped (36.8 kW)."""
    out = {p: _outputs(**{"powertrain:ice:power": p, "powertrain:ice:torque": 62.8 * p / 36.8})
           for p in (5.0, 10.0, 20.0)}
    out[36.8] = _outputs()
    return out


def test_less_power_never_more_mpg_on_the_cycles_the_design_follows(series):
    """Falling behind the trace gains nothing against the full-power design on the
    cycles it follows (FTP, HWFET, WLTC mode, the labels): before the distance shares the
    5 kW variant was credited FTP 39.0, HWFET 54.8 mpg against 36.0 and 38.8. The 10 kW
    variant's FTP equals the shipped design's within 0.01 % (35.972 vs 35.970 mpg: its
    6 % lag in bag 1 against a different gear choice and the catch-up seconds, whose
    fuel is the trace's demand, not full load; docs/energy.md), hence its margin."""
    full = series[36.8]
    for p in (5.0, 10.0, 20.0):
        for k in FOLLOWED:
            margin = 1e-4 if (p, k) == (10.0, "energy:ftp_mpg") else 0.0
            assert float(series[p][k][0]) < float(full[k][0]) * (1.0 + margin), (p, k)
    # the 5 kW variant drives less than the trace on every cycle
    for name in DISTANCE_SHARES:
        assert float(series[5.0][name][0]) < 0.95, name
    # the shipped design: the FTP, HWFET and WLTC shares exactly 1, the US06's below
    for name in DISTANCE_SHARES:
        share = float(full[name][0])
        assert share < 1.0 if name == "perf:us06_distance_share" else share == 1.0, name


_POINT = {"mass:test": 1046.0, "energy:road:m_eff": 1077.0, "energy:road:f0": 100.0,
          "energy:road:f1": 0.5, "energy:road:f2": 0.46,
          "powertrain:ice:displacement": 658.0, "powertrain:ice:power": 12.0,
          "powertrain:ice:torque": 25.0, "powertrain:overall_ratio_low": 58.0,
          "powertrain:overall_ratio_high": 13.0}


def test_shares_of_one_leave_every_output_bit_for_bit():
    """A car on the trace (every share 1.0) gets the results of the component without
    the shares, values and partials, bit for bit."""
    a = run_comp(CycleComp(kind="ice", transmission="mt5"), **_POINT)
    b = run_comp(CycleComp(kind="ice", transmission="mt5", distance_share=True), **_POINT)
    ja = a.compute_totals(of=["energy:ftp_mpg", "energy:us06_mpg", "energy:wltc_km_per_l"],
                          wrt=["powertrain:ice:power", "energy:road:f2"])
    jb = b.compute_totals(of=["energy:ftp_mpg", "energy:us06_mpg", "energy:wltc_km_per_l"],
                          wrt=["powertrain:ice:power", "energy:road:f2"])
    for name in CycleComp._SCALARS:
        np.testing.assert_array_equal(a.get_val(name), b.get_val(name))
    for key, val in ja.items():
        np.testing.assert_array_equal(val, jb[key])


@pytest.mark.parametrize("kind", ["ice", "bev"])
def test_partials_cycles_behind_the_trace(kind):
    """The cycle component's partials with shares below 1 (a 12 kW car: its fuel capped
    at full load) and the results over the distance driven."""
    shares = dict(zip(DISTANCE_SHARES, (0.8, 0.95, 0.75, 0.6, 0.85), strict=True))
    vals = dict(_POINT)
    if kind == "bev":
        vals = {k: v for k, v in vals.items() if not k.startswith("powertrain:ice")}
        vals.update({"powertrain:bev:motor_power": 12.0,
                     "powertrain:bev:motor_torque": 60.0, "powertrain:bev:battery_energy": 20.0,
                     "powertrain:overall_ratio_low": 30.0,
                     "powertrain:overall_ratio_high": 30.0})
    base = run_comp(CycleComp(kind=kind, transmission="mt5"), **vals)
    prob = run_comp(CycleComp(kind=kind, transmission="mt5", distance_share=True),
                    **vals, **shares)
    data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-6, rtol=2e-6)
    us06 = prob.get_val("energy:us06_mpg")[0] / base.get_val("energy:us06_mpg")[0]
    assert us06 == pytest.approx(0.6, rel=1e-12)
    hw = prob.get_val("energy:hwfet_mpg")[0] / base.get_val("energy:hwfet_mpg")[0]
    assert hw == pytest.approx(0.75, rel=1e-12)
