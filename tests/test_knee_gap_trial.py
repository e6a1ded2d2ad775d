"""The knee-gap trial's fits (benchmarks/knee_gap_trial.py; docs/crash.md, "Per-car
restraint geometry for the star model", task s43d) on synthetic cars, and its data file:
the held-out fit recovers a planted sqrt law, the free exponent recovers a planted one, a
car without a gap keeps the shipped form, and the IIHS clearances are read and range
checked."""

from __future__ import annotations

import math

import pytest
from conftest import benchmark_module

from keidesign.validation import ncap


def _trial():
    return benchmark_module("knee_gap_trial")


def _cars(expo: float) -> tuple[list, dict]:
    """Six synthetic cars of three makers whose driver femur is 4e-3 a (d / 280)^expo kN,
    and their gaps (the last car has none: its femur is 4e-3 a)."""
    cars, gaps = [], {}
    spec = (("Alpha One", 400.0, 240.0), ("Alpha Two", 420.0, 320.0),
            ("Beta One", 430.0, 260.0), ("Beta Two", 410.0, 300.0),
            ("Gamma One", 450.0, 250.0), ("Gamma Two", 440.0, math.nan))
    d_ref = math.exp(sum(math.log(d) for _, _, d in spec[:5]) / 5)
    for name, a, d in spec:
        femur = 4e-3 * a * (1.0 if math.isnan(d) else (d / d_ref) ** expo)
        m = {dd: {"head": 300.0, "deflection": 20.0, "nij": 0.3, "femur": femur}
             for dd in ("m50", "f05")}
        cars.append(ncap.NcapCar(name, name.lower(), m,
                                 {"driver": 5, "passenger": 4, "vehicle": 4},
                                 a3ms=a, hic_occ=200.0))
        if not math.isnan(d):
            gaps[name] = {"knee": d, "head_roof": 180.0, "airbag": 70.0}
    return cars, gaps


def test_held_out_sqrt_law_recovers_a_planted_sqrt_law():
    trial = _trial()
    cars, gaps = _cars(0.5)
    with_gap = [car for car in cars if car.name in gaps]
    pred, expos = trial.held_out(with_gap, gaps, 0.5)
    assert expos == [0.5, 0.5, 0.5]
    for car in with_gap:
        assert pred[car.name] == pytest.approx(car.measured["m50"]["femur"], rel=1e-9)
    # with the gap-less car in: it is predicted as k a (factor 1), k from its fold
    pred, _ = trial.held_out(cars, gaps, 0.5)
    k_log, _, _ = trial.fold_fit([c for c in cars if not c.name.startswith("Gamma")], gaps,
                                 0.5)
    assert pred["Gamma Two"] == pytest.approx(math.exp(k_log) * 440.0, rel=1e-12)


def test_free_exponent_recovers_a_planted_exponent_and_zero_is_the_shipped_form():
    trial = _trial()
    cars, gaps = _cars(1.3)
    cars = [car for car in cars if car.name in gaps]
    k_log, expo, d_ref = trial.fold_fit(cars, gaps, None)
    assert expo == pytest.approx(1.3, rel=1e-9)
    assert d_ref == pytest.approx(math.exp(sum(math.log(g["knee"]) for g in gaps.values())
                                           / len(gaps)), rel=1e-12)
    # exponent 0: the shipped geometric-mean constant, every car scaled by 1
    k0, e0, _ = trial.fold_fit(cars, gaps, 0.0)
    assert e0 == 0.0
    assert math.exp(k0) == pytest.approx(ncap.fit(cars)["m50"]["femur"], rel=1e-12)
    # a car without a gap is predicted by the shipped form whatever the exponent
    assert trial.gap_factor(math.nan, 280.0, 1.3) == 1.0
    assert trial.gap_factor(320.0, 280.0, 0.5) == pytest.approx(math.sqrt(320 / 280))


def test_the_iihs_clearances_are_read_and_checked(monkeypatch):
    trial = _trial()
    gaps = trial.clearances()
    assert len(gaps) == 14
    rated = {r["vehicle"] for r in ncap._rows()}
    assert set(gaps) <= rated
    assert gaps["Mitsubishi Mirage"]["knee"] == pytest.approx(0.5 * (323 + 318))
    assert all(150.0 <= g["knee"] <= 400.0 for g in gaps.values())
    assert math.isnan(gaps["Ford Fiesta"]["airbag"])

    # a clearance in another unit (the source's 2.0 / 21-24 rows) is refused, not used
    from importlib import resources
    text = resources.files("keidesign.data").joinpath(
        "crash/iihs_sol_driver_clearance.csv").read_text()
    bad = text.replace("Mitsubishi Mirage,CEN1342,2178,2014,Mitsubishi Mirage,driver,323,",
                       "Mitsubishi Mirage,CEN1342,2178,2014,Mitsubishi Mirage,driver,32.3,")
    assert bad != text

    class _Fake:
        def joinpath(self, _name):
            return self

        def read_text(self):
            return bad

    monkeypatch.setattr(trial.resources, "files", lambda _pkg: _Fake())
    with pytest.raises(ValueError, match="Mitsubishi Mirage: knee_to_dash_left_mm"):
        trial.clearances()
