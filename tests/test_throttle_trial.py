"""The throttling-term trial (``benchmarks/throttle_trial.py``; docs/validation.md, "A
throttling (pumping) term at light load"): without ``k_pump`` its kernel is the shipped
one bit for bit; with it the pumping power is ``k_p p_amb V_d w / (4 pi)`` at zero load,
falls with the load and vanishes at the naturally-aspirated full load, and the swap
reaches calibration's predictions. Nothing is asserted about the errors."""

from __future__ import annotations

import numpy as np
from conftest import benchmark_module

from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc
from keidesign.energy.cycles import segments


def _car_and_fit():
    c, fit, _ = cal.stored_fits()
    car = next(car for car in tc.test_cars() if car.cls in cal.ICE_CLASSES)
    return car, c, fit


def test_throttled_share_limits():
    tt = benchmark_module("throttle_trial")
    p_na, p0 = np.array([40e3]), np.array([5e3])
    q = tt.throttled_share(np.array([-5e3, 0.0, 17.5e3, 40e3, 60e3]), p0, p_na)
    # zero brake + friction power: fully throttled; at NA full load and above: none
    assert abs(q[0] - 1.0) < 0.02 and abs(q[2] - 0.5) < 1e-3
    assert abs(q[3]) < 0.02 and abs(q[4]) < 1e-3
    assert np.all(np.diff(q) < 0.0)


def test_trial_kernel_is_shipped_without_k_pump_and_adds_fuel_with_it():
    tt = benchmark_module("throttle_trial")
    car, c, fit = _car_and_fit()
    base = cal.predict_ice([car], c, fit)
    with tt.active():
        same = cal.predict_ice([car], c, fit)
        more = cal.predict_ice([car], c, {**fit, "k_pump": 0.65})
    for t in ("ftp", "hwfet"):
        assert same[t][0] == base[t][0]
        assert more[t][0] < base[t][0] * 0.99
    assert cal.predict_ice([car], c, fit)["ftp"][0] == base["ftp"][0]  # undone on exit


def test_pumping_power_at_zero_load_is_the_ambient_work():
    tt = benchmark_module("throttle_trial")
    seg = segments(cal.SEG_EPA)
    car, c, fit = _car_and_fit()
    ice = {**cal._ice_kernel_consts(c, fit), "k_pump": 0.5}
    x = cal.epa_ice_params([car], c, c["roadload"]["rotating_mass_fraction"])
    seen = {}

    def law(s):
        pe, p0, stand = pt.willans_loads(s)
        seen["s"], seen["pe"], seen["p0"] = s, pe * 0.0, p0
        return pe, p0, stand

    pt.ice_cycle(seg, x, car.trans, ice, load_law=law)
    s, p0 = seen["s"], seen["p0"]
    pump = tt.pumping_power(s, seen["pe"] - p0, p0)  # P_b + P_0 = 0: fully throttled
    want = 0.5 * tt.P_AMB * x["vd"] * 1e-3 * s.w / (4.0 * np.pi)
    assert np.allclose(pump, want, rtol=0.03)
