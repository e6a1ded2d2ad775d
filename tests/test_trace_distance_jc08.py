"""The JC08's full-power pass (``perf:jc08_behind``, ``perf:jc08_distance_share``,
``perf:jc08_shortfall``; ``performance.SHORTFALL_TRACES``, 5 Dec 2026): a car that
cannot follow Japan's JC08 is driven at full power below the trace and its km/L (Wh/km)
is over the distance it drives, as on the WLTC mode and the EPA cycles
(``tests/test_trace_distance.py``, ``tests/test_trace_distance_electric.py``). Before,
the JC08 kept the trace's demand and distance: the weaker the car, the more it was
credited (the Carry class at 1 kW 17.63 km/L against 14.90 at 10 kW, the Sakura class
at 5 / 1 kW 60.5 / 26.9 Wh/km against the shipped 99.7)."""
from __future__ import annotations

import pytest
from conftest import DESIGNS

from keidesign.design import load_design
from keidesign.evaluation import evaluate_design, resolve_packs

pytestmark = pytest.mark.filterwarnings(
    "ignore::openmdao.utils.om_warnings.DerivativesWarning")


def _outputs(stem: str, **change):
    d = load_design(DESIGNS / f"{stem}.toml").replace(**change)
    return evaluate_design(d, resolve_packs(d.rules)).outputs


#: the Carry class's engine (kW) as shipped (36.8 kW / 62.8 N m) and weaker, torque
#: scaled with the power
CARRY_POWERS = (36.8, 10.0, 5.0, 2.5, 1.0)


def test_weaker_ice_never_beats_a_stronger_one_on_the_jc08():
    """The Carry class follows the JC08 (share exactly 1: the kei JC08 check and the
    reference designs bit for bit); at 10 / 5 / 2.5 / 1 kW it falls behind (shares below
    1) and each weaker engine gets fewer km/L than every stronger one (with the pass:
    18.58 / 14.55 / 12.68 / 9.76 / 5.44 km/L). Fails on the code before the JC08's pass
    (18.58 / 14.90 / 15.26 / 16.38 / 17.63: below 7.5 kW the less power, the more km/L,
    the trace's demand and distance credited to a car that cannot drive them). No
    margin (a strict order on a coarse series: the result is jagged in power on a fine
    grid, docs/energy.md section 3)."""
    km_l, share = [], []
    for p in CARRY_POWERS:
        out = _outputs("carry_class", **{"powertrain:ice:power": p,
                                         "powertrain:ice:torque": 62.8 * p / 36.8})
        km_l.append(float(out["energy:jc08_km_per_l"][0]))
        share.append(float(out["perf:jc08_distance_share"][0]))
    assert share[0] == 1.0
    assert all(s < 1.0 for s in share[1:]), share
    assert all(a > b for a, b in zip(km_l, km_l[1:], strict=False)), km_l


#: the Sakura class's weaker motors (kW, N m) that fall well behind the JC08, and the
#: least fraction of the design's Wh/km each may be credited (see the test)
WEAK_BEV = ((5.0, 20.0, 0.95), (1.0, 5.0, 1.0))


def test_weaker_bev_is_not_credited_below_what_it_uses_on_the_jc08():
    """The Sakura class (47 kW, JC08 99.7 Wh/km, share exactly 1) at 1 kW uses more per
    km than the design (231.4 Wh/km with the pass, share 0.204; before it 26.9); at 5 kW
    (share 0.841) it is credited no less than 95 % of the design's (108.6 Wh/km; before
    60.5, 61 %). Why not "more than the design" at 5 kW: the kernels run on the speeds
    the pass achieves (``benchmarks/achieved_speed_probe.py``, battery DC energy per
    mile) give the 5 kW car 0.1295 against the design's 0.1304 kWh/mi, 0.7 % less (a
    slower BEV uses less), the 1 kW car 0.1742, 34 % more; the model's +8.6 % at 5 kW is
    its accounting's excess (the trace's speed on the steps behind), which a better
    accounting may remove, so the bound is the reference's -0.7 % with a few points of
    room. Fails on the code before the JC08's pass (60.5 and 26.9 Wh/km). Not asserted:
    the 10 kW variant (97.7 Wh/km, was 86.0; share 0.982; the reference 3.8 % below the
    design), and the Sakura class at 20-30 kW, which follows the JC08 and uses less
    than the 47 kW design (96.1-97.3 Wh/km: its smaller motor's losses), no pass
    involved."""
    full = _outputs("sakura_class")
    assert float(full["perf:jc08_distance_share"][0]) == 1.0
    wh = float(full["energy:jc08_wh_per_km"][0])
    for p, t, least in WEAK_BEV:
        out = _outputs("sakura_class", **{"powertrain:bev:motor_power": p,
                                          "powertrain:bev:motor_torque": t})
        assert float(out["perf:jc08_distance_share"][0]) < 0.9, p
        assert float(out["energy:jc08_wh_per_km"][0]) > least * wh, p
