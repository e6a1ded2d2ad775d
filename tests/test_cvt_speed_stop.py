"""The CVT operating line stops at rated speed, the speed of the most power and the one
the full-power pass drives (``keidesign.energy.powertrains._cycle_engine_speed``; 5 Dec
2026; at 1.1 x rated speed, the engine's limit, earlier that day): a demand the line
would meet only above it is met there, never at several times the rated speed (a kei
CVT on the US06 at 3.4 x rated speed before; ``benchmarks/plausibility.py``)."""
from __future__ import annotations

from unittest import mock

import numpy as np
from conftest import DESIGNS

from geometry import ad
from keidesign.design import load_design
from keidesign.energy import powertrains as pt
from keidesign.energy.constants import ice_constants
from keidesign.evaluation import evaluate_design, resolve_packs

RPM = 2.0 * np.pi / 60.0


def _x(w_r_rpm: float = 6000.0) -> dict:
    """A kei-like NA engine, 40 kW / 60 N m at 6000 rpm, on a CVT of overall ratios
    120 .. 20 rad/m (wheel radius folded in)."""
    return {"t_r": np.array([[60.0]]), "p_r": np.array([[40e3]]),
            "w_r": np.array([[w_r_rpm * RPM]]), "k_lo": np.array([[120.0]]),
            "k_hi": np.array([[20.0]])}


def _speed(vb: float, pe_w: float) -> float:
    c = ice_constants()
    tr = pt.Trace(np.ones(1), np.array([vb]), np.zeros(1))
    w, _ = pt._cycle_engine_speed(_x(), tr, np.array([[pe_w]]), "cvt", c, False)
    return float(np.asarray(ad.real(w)).ravel()[0])


def test_demand_above_the_line_stops_at_rated_speed():
    # 25 m/s (90 km/h), 45 kW: the line (60 % of 60 N m) would turn at 12,000 rpm; it
    # stops at rated speed (6000 rpm), not at the engine's limit (6600 rpm, 0.9 x rated
    # power: the stop before)
    w = _speed(25.0, 45e3)
    w_r = 6000 * RPM
    assert w <= w_r + pt.ENGINE_SPEED_EPS
    assert w > 0.99 * w_r


def test_part_load_stays_on_the_line():
    c = ice_constants()
    w = _speed(10.0, 10e3)   # 10 kW: 10e3 / (0.6 x 60) = 278 rad/s, inside 200 .. 1200
    assert abs(w - 10e3 / (c["cvt_load"] * 60.0)) < 1.0


def test_kei_cvt_engine_speed_within_its_limit_on_every_cycle():
    """The Hijet class (34 kW CVT truck): its US06 demand is above full load (it cannot
    follow the trace, perf:us06_shortfall > 0); its engine stays within 1.1 x rated
    speed on every cycle (3.4 x before), above rated speed only where the top ratio
    or the ratio floor puts it there (the line's stop at 1.1 x let it run there on
    its own before), and its US06 is below its HWFET, of the same order (21.1 mpg
    before the stop, 26.2 with it)."""
    d = load_design(DESIGNS / "hijet_class.toml")
    worst, over = [], []
    orig = pt._cycle_engine_speed

    def rec(x, tr, *a, **k):
        out = orig(x, tr, *a, **k)
        w, w_r = np.asarray(ad.real(out[0])), np.asarray(ad.real(x["w_r"]))
        worst.append(float(np.max(w / w_r)))
        if a[1] == "cvt":  # the line's floor: the top ratio and the CVT's least speed
            floor = np.maximum(tr.vb * np.asarray(ad.real(x["k_hi"])),
                               a[2]["cvt_min_rpm"] * RPM)
            over.append(float(np.max(w - np.maximum(w_r, floor))))
        return out

    with mock.patch.object(pt, "_cycle_engine_speed", rec):
        out = evaluate_design(d, resolve_packs(d.rules)).outputs
    assert worst
    w_r = d["powertrain:ice:rated_speed"] * RPM
    assert max(worst) <= 1.1 + pt.ENGINE_SPEED_EPS / w_r
    assert over and max(over) <= 2.0 * pt.ENGINE_SPEED_EPS  # the smooth clips' width
    us06, hwfet = float(out["energy:us06_mpg"][0]), float(out["energy:hwfet_mpg"][0])
    assert float(out["perf:us06_shortfall"][0]) > 0.0
    assert 0.5 * hwfet < us06 < hwfet
    assert us06 > 24.0
