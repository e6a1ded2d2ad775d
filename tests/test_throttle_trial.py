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


def _kei_mild_x() -> dict:
    """A kei mild hybrid (0.66 L NA, 36 kW, 2 kW ISG) on kernel parameters ``(1, 1)``."""
    def v(a: float) -> np.ndarray:
        return np.full((1, 1), a)
    return {"m_eff": v(900.0), "f0": v(80.0), "f1": v(0.0), "f2": v(0.30), "vd": v(0.658),
            "k_lo": v(45.0), "k_hi": v(8.0), "t_r": v(60.0), "p_r": v(36e3),
            "w_r": v(680.0), "pm_r": v(2e3)}


def _hev_fuel(cycle, c_ice: dict, layout: str) -> tuple[float, float]:
    """(fuel J, engine-on seconds) of FTP bags 1-2."""
    from keidesign.energy import constants as kc

    seg = segments(("udds_bag1", "udds_bag2"))
    r = cycle(seg, _kei_mild_x(), "cvt", c_ice, kc.bev_constants(), kc.hev_constants(), {},
              layout=layout)
    on = float(np.sum(np.asarray(r["engine_on"]) * pt.Trace.of(seg).dt))
    return float(np.sum(np.real(r["fuel"]))), on


def test_hev_term_only_in_a_mild_engine_with_k_pump_and_bounded_by_zero_load_pumping():
    """s43g's trial law in ``hev_cycle``: bit for bit the shipped kernel without
    ``k_pump`` and in the full layout; in the mild layout it adds fuel, less than the
    fully throttled pumping work (``k_p p_amb V_d w / (4 pi)``, here at most the rated
    speed) over the engine-on time, at the Willans efficiency."""
    from keidesign.energy import constants as kc

    tt = benchmark_module("throttle_trial")
    ice = kc.ice_constants()
    k = {**ice, "k_pump": 0.65}
    base, on = _hev_fuel(pt.hev_cycle, ice, "mild")
    assert _hev_fuel(tt.hev_cycle, ice, "mild")[0] == base
    assert _hev_fuel(tt.hev_cycle, k, "full")[0] == _hev_fuel(pt.hev_cycle, k, "full")[0]
    more, on_k = _hev_fuel(tt.hev_cycle, k, "mild")
    assert on_k == on and on > 100.0
    bound = 0.65 * tt.P_AMB * 0.658e-3 * 680.0 / (4.0 * np.pi) * on / ice["e"]
    assert base * 1.01 < more < base + bound


def test_active_hev_swaps_the_hev_cycle_and_undoes_it():
    tt = benchmark_module("throttle_trial")
    with tt.active(hev=True):
        assert pt.hev_cycle is tt.hev_cycle
    with tt.active():
        assert pt.hev_cycle is tt.SHIPPED.hev_cycle
    assert pt.hev_cycle is tt.SHIPPED.hev_cycle


def test_mlit_summary_groups():
    tt = benchmark_module("throttle_trial")

    def x(i, seen, turbo, cls, hyb, e):
        fam = {"family": f"f{i}", "in_kei_csv": "yes" if seen else "no"}
        case = {"index": i, "family": fam, "turbo": turbo, "trans_class": cls, "hybrid": hyb}
        return {"case": case, "err_pred": e, "err_pub": e / 2}

    res = [x(0, False, False, "CVT", True, 10.0), x(1, False, True, "4AT", False, -4.0),
           x(2, True, False, "CVT", False, 2.0)]
    s = tt.mlit_summary(res)
    assert s["all"]["pred"][2] == 3 and s["unseen"]["pred"][2] == 2
    assert np.allclose(s["unseen"]["pred"][:2], (7.0, 3.0))
    assert np.allclose(s["unseen"]["pub"][:2], (3.5, 1.5))
    assert s["unseen, CVT"]["pred"][2] == 1 and s["CVT"]["pred"][2] == 2
    assert s["unseen, mild hybrid"]["pred"][:2] == (10.0, 10.0)
    assert "unseen, in kei.csv" not in s and len(s["rows"]) == 3


def test_bias_parts_add_up_to_the_unseen_bias():
    """``bias_parts``: per set the mean parts add up to the specs-alone bias, and the
    body classes' shares add up to the unseen set's parts (an NA / turbo twin pair of
    one unseen family and a lone in-data row)."""
    tt = benchmark_module("throttle_trial")

    def x(i, fam_id, seen, turbo, pred, pub):
        fam = {"family": fam_id, "family_id": fam_id, "in_kei_csv": "yes" if seen else "no",
               "layout": "front", "frame": "unibody", "roof": "closed"}
        case = {"index": i, "family": fam, "turbo": turbo, "trans": "cvt", "gears": None,
                "trans_class": "CVT", "hybrid": False, "idle_stop": True,
                "row": {"drive": "F", "list": "2026-03"}}
        return {"case": case, "err_pred": pred, "err_pub": pub}

    res = [x(0, "A", False, False, 6.0, 5.0), x(1, "A", False, True, 10.0, 8.0),
           x(2, "B", True, False, 1.0, 2.0)]
    p = tt.bias_parts(res)
    u = p["unseen"]
    assert np.isclose(sum(u.values()), 8.0)  # the unseen bias (6 + 10) / 2
    assert np.isclose(u["turbo"], 1.5) and np.isclose(u["mass"], 1.5)  # (8-5)/2, (1+2)/2
    assert np.isclose(sum(p["in kei.csv"].values()), 1.0)
    body = p["unseen, front-engine closed unibody"]
    assert all(np.isclose(body[k], u[k]) for k in u)


def test_epa_hybrids_summary_and_the_hev_term_reaches_the_mild_rows():
    """``epa_hybrids``: the EPA hybrid rows by test, all and the mild layout's; with the
    term in ``hev_cycle`` ``k_pump`` makes the mild (IMA) rows thirstier."""
    tt = benchmark_module("throttle_trial")
    _, fit, _ = cal.stored_fits()
    with tt.active(hev=True):
        out = tt.epa_hybrids({"off": fit, "on": {**fit, "k_pump": 0.65}})
    off, on = out["off"], out["on"]
    assert off["ftp"][2] > off["ftp_mild"][2] > 0
    assert on["ftp_mild"][1] < off["ftp_mild"][1] - 1.0  # bias, % (more fuel: lower mpg)
    assert on["hwfet_mild"][1] < off["hwfet_mild"][1]
