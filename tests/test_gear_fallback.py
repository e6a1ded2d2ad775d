"""The stepped gearbox's gear where no gear keeps the power reserve (a car that cannot
follow the trace): the gear of the most full-load power, never first gear at speed
(``keidesign.energy.powertrains._gear_masks``; 5 Dec 2026)."""
from __future__ import annotations

import numpy as np
from conftest import DESIGNS

from keidesign.design import load_design
from keidesign.energy import powertrains as pt
from keidesign.evaluation import evaluate_design, resolve_packs

RPM = 2.0 * np.pi / 60.0


def _case(v_mps: float, p_demand_w: float):
    """A 5-speed kei-like gearbox (overall 100 .. 20 rad/m), 40 kW at 6000 rpm."""
    kg = np.array([[100.0, 67.0, 44.7, 29.9, 20.0]])
    x = dict(t_r=np.array([[70.0]]), p_r=np.array([[40e3]]), w_r=np.array([[6000 * RPM]]))
    return (kg, np.array([v_mps]), np.array([[p_demand_w]]), x["t_r"], x["p_r"], x["w_r"],
            750 * RPM, 1500 * RPM, False)


def test_overload_at_speed_takes_the_most_powerful_gear():
    args = _case(30.0, 80e3)  # 108 km/h, twice the rated power: no gear has the reserve
    kg, vb = args[0], args[1]
    idx = pt.gear_index(*args)[0, 0]
    w = vb[0] * kg[0]
    xr = {"t_r": args[3][:, :, None], "p_r": args[4][:, :, None], "w_r": args[5][:, :, None]}
    p_full = pt._full_load_power(np.maximum(w, 750 * RPM)[None, None, :], xr, False)[0, 0]
    assert idx == int(np.argmax(p_full))
    assert idx != 0                      # first gear would be 28,600 rpm
    assert w[idx] <= 1.1 * 6000 * RPM


def test_overload_above_every_gears_speed_takes_top_gear():
    args = _case(80.0, 200e3)  # 288 km/h: every gear above 1.1 x rated speed
    assert pt.gear_index(*args)[0, 0] == 4


def test_launch_overload_still_takes_first_gear():
    args = _case(2.0, 80e3)
    assert pt.gear_index(*args)[0, 0] == 0


def test_kei_truck_us06_is_plausible():
    """The Carry class (36.8 kW) cannot follow the US06 (perf:us06_shortfall > 0): its
    US06 fuel economy is that of an engine at full load, below the HWFET's but of the
    same order (3.6 mpg with first gear as the fallback)."""
    d = load_design(DESIGNS / "carry_class.toml")
    out = evaluate_design(d, resolve_packs(d.rules)).outputs
    assert float(out["perf:us06_shortfall"][0]) > 0.0
    us06, hwfet = float(out["energy:us06_mpg"][0]), float(out["energy:hwfet_mpg"][0])
    assert 0.5 * hwfet < us06 < hwfet


def test_coasting_above_every_gears_speed_takes_top_gear():
    """Coasting or braking (P_e <= 0: every gear has the reserve) above the top gear's
    speed limit: the top gear, not the lowest gear with the reserve (first gear, 5.8 x
    rated speed on the Carry class's US06 with a large engine; 5 Dec 2026)."""
    args = _case(36.0, -5e3)   # top gear 36 x 20 = 720 rad/s > 1.1 x 628 rad/s
    assert pt.gear_index(*args)[0, 0] == 4


def test_kei_truck_engine_speed_on_the_us06_with_any_engine():
    """The Carry class with a 600 kW / 1200 N m engine or Cd 0.15 (it then coasts in
    places above its top gear's 74 mph): the engine speed of every cycle interval at
    most the top gear's at the trace's 80.3 mph, 1.18 x rated (5.8 x before)."""
    from unittest import mock

    from geometry import ad

    orig = pt._cycle_engine_speed
    for ch in ({"powertrain:ice:power": 600.0, "powertrain:ice:torque": 1200.0},
               {"road:cd": 0.15}):
        d = load_design(DESIGNS / "carry_class.toml").replace(**ch)
        worst = []

        def rec(x, tr, *a, worst=worst, **k):
            w, w_g = orig(x, tr, *a, **k)
            worst.append(float(np.max(np.asarray(ad.real(w))
                                      / np.asarray(ad.real(x["w_r"])))))
            return w, w_g

        with mock.patch.object(pt, "_cycle_engine_speed", rec):
            evaluate_design(d, resolve_packs(d.rules))
        assert worst and max(worst) < 1.2, (ch, max(worst))
