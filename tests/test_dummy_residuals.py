"""The dummy-residual probe's fits (benchmarks/dummy_residuals.py; docs/crash.md, "The
dummies' neck and femur against the measured", task s42g) on synthetic cars: the
leave-one-maker-out slope recovers a planted law, b = 0 is the shipped geometric-mean fit,
and the star count uses NHTSA's bands."""

from __future__ import annotations

import math

import pytest
from conftest import benchmark_module

from keidesign.validation import ncap


def _probe():
    return benchmark_module("dummy_residuals")


def _cars(b: float) -> list:
    """Six synthetic cars of three makers whose passenger Nij is 1e-3 a exp(b (x - 270))."""
    out = []
    for i, (name, a, x) in enumerate((("Alpha One", 400.0, 240.0), ("Alpha Two", 420.0, 300.0),
                                      ("Beta One", 430.0, 260.0), ("Beta Two", 410.0, 280.0),
                                      ("Gamma One", 450.0, 250.0), ("Gamma Two", 440.0, 290.0))):
        nij = 1e-3 * a * math.exp(b * (x - 270.0))
        m = {d: {"head": 300.0, "deflection": 20.0, "nij": nij, "femur": 1.0 + 0.1 * i}
             for d in ("m50", "f05")}
        car = ncap.NcapCar(name, name.lower(), m, {"driver": 5, "passenger": 4, "vehicle": 4},
                           a3ms=a, hic_occ=200.0)
        car.extra = {"occupant excursion, mm": x}
        out.append(car)
    return out


def test_maker_held_out_slope_recovers_a_planted_law():
    dr = _probe()
    cars = _cars(-0.007)
    pred, slopes = dr.lomo_predict(cars, "f05", "nij", "occupant excursion, mm")
    assert slopes == pytest.approx([-0.007] * 3, rel=1e-9)
    for car in cars:
        assert pred[car.name] == pytest.approx(car.measured["f05"]["nij"], rel=1e-9)
    assert dr.err_stats(cars, pred, "f05", "nij")[0] == pytest.approx(0.0, abs=1e-9)


def test_without_an_input_the_fit_is_the_shipped_geometric_mean():
    dr = _probe()
    cars = _cars(-0.007)
    c0, b, _ = dr.lomo_fit(cars, "f05", "nij", None)
    assert b == 0.0
    k = ncap.fit(cars)["f05"]["nij"]
    assert math.exp(c0) == pytest.approx(k, rel=1e-12)
    # the shipped form misses the planted trend, so its residual follows the input
    res = [dr.residual(car, cars, "f05", "nij") for car in cars]
    r, n = dr.pearson([car.extra["occupant excursion, mm"] for car in cars], res)
    assert n == 6 and r < -0.99


def test_pearson_skips_missing_values_and_makers_are_first_words():
    dr = _probe()
    r, n = dr.pearson([1.0, 2.0, float("nan"), 3.0, 4.0], [2.0, 4.0, 1.0, 6.0, 8.1])
    assert n == 4 and r > 0.99
    assert dr.maker("MINI Cooper Hardtop (F56)") == "mini"


def test_star_counts_compare_the_rated_stars_with_the_published():
    dr = _probe()
    cars = _cars(0.0)
    preds = {(d, c): {car.name: car.measured[d][dr._KEY[c]] for car in cars}
             for d in ("m50", "f05") for c in ("hic15", "deflection", "nij", "femur")}
    within, exact, per = dr.stars(cars, preds)
    seats = ("driver", "passenger", "vehicle")
    for car in cars:
        resp = {d: {"hic15": 300.0, "deflection": 20.0, "nij": car.measured[d]["nij"],
                    "femur": car.measured[d]["femur"]} for d in ("m50", "f05")}
        assert per[car.name] == ncap._rate(resp)
    assert exact == sum(per[c.name][s] == c.stars[s] for c in cars for s in seats)
    assert within == sum(abs(per[c.name][s] - c.stars[s]) <= 1 for c in cars for s in seats)
    # a car published one star further off leaves the within-one count, not the exact one
    cars[0].stars = {s: per[cars[0].name][s] + 2 for s in seats}
    assert dr.stars(cars, preds)[0] == within - sum(
        abs(per[cars[0].name][s] - v) <= 1 for s, v in _cars(0.0)[0].stars.items())
