"""Curb mass on the small-car families absent from the EPA data (issue 13): the trials of
``benchmarks/absent_mass.py`` (probe ``absent_mass``; docs/mass_cost.md, "Curb mass on
the families absent from the EPA data").

Asserted: the trial fitters reduce to the shipped fit without their terms and recover
known coefficients, the held-out figures docs/mass_cost.md quotes are what the trials
give on the recorded fit data, the US curb figures name real configurations with a
source, and the diagnosis imports one row (the smart) with its size-law group below zero.
Nothing shipped changes: the trials live in the probe's module.
"""

from __future__ import annotations

import csv
import dataclasses

import pytest
from conftest import benchmark_module

from keidesign.mass import calibration as mcal
from keidesign.mass.data import coefficients

AM = benchmark_module("absent_mass")


@pytest.fixture(scope="module")
def recorded() -> list[mcal.Car]:
    return mcal.read_cars()


def test_shipped_trial_is_the_shipped_fit(recorded):
    fitter, predictor, _ = AM.TRIALS["shipped law (d, k, b)"]
    assert fitter(recorded) == pytest.approx(mcal.shipped(), abs=6e-4)
    held = AM.lofo(recorded, fitter, predictor)
    ref = mcal.lofo(recorded)
    for d in recorded:
        assert held[d.name] == pytest.approx(ref[d.name][0] / d.curb_pub - 1, abs=1e-12)


def test_floor_fit(recorded):
    """Without a car below zero the floor is the ordinary fit; masses made from known
    coefficients with the floor give them back (some cars held at zero)."""
    lifted = [dataclasses.replace(d, curb_pub=d.curb_pub + 300.0) for d in recorded]
    assert AM.fit_floor(lifted) == pytest.approx(mcal.fit(lifted), rel=1e-12)
    true = (20.0, 110.0, 140.0)
    synthetic = [dataclasses.replace(d, curb_pub=AM.predict_floor(d, true))
                 for d in recorded]
    held = [d for d in recorded if float(sum(
        c * x for c, x in zip(true, mcal._x(d), strict=True))) < 0.0]
    assert len(held) >= 3  # the iQ and the low kei hatches
    assert AM.fit_floor(synthetic) == pytest.approx(true, abs=1e-6)


def test_brake_trial_without_its_term_is_the_shipped_law(recorded):
    """beta = 0 gives the shipped prediction (the chassis fraction unchanged)."""
    _, predictor = AM.brake()
    coef = (*mcal.shipped(), 0.0)
    for d in recorded[:20]:
        assert predictor(d, coef) == pytest.approx(mcal.predict(d, mcal.shipped()),
                                                   rel=1e-12)


@pytest.mark.parametrize("trial, all_mae, kei_mae, short_mae", [
    # since the imports' default payload and four-seat rows moved the fit cars' payloads
    # (task s28a, 6 Dec 2026; before it 4.36 / 5.34 / 6.66, 4.29 / 5.01 / 6.34, 4.13 /
    # 5.09 / 6.05, 4.31 / 5.63 / 6.33, 4.02 / 4.80 / 5.92, 4.43 / 5.66 / 6.87, since the size
    # law held inside the fold's volumes, 5 Dec 2026; docs/mass_cost.md, "Refit after the
    # default payload of imports"); since the refit on the fit cars' published seat counts
    # (task s30a, 6 Dec 2026; before it 4.37 / 5.40 / 6.77, 4.30 / 5.02 / 6.41, 4.13 / 5.13 /
    # 6.14, 4.31 / 5.70 / 6.45, 4.02 / 4.83 / 6.00, 4.44 / 5.69 / 6.94; "Seat counts of 2+2
    # and two-seat generations, refitted")
    ("shipped law (d, k, b)", 4.41, 5.45, 6.80),
    ("held >= 0", 4.33, 5.05, 6.39),
    ("+ rated power", 4.17, 5.14, 6.12),
    ("+ brake energy", 4.36, 5.73, 6.44),
    ("+ power + turbo", 4.06, 4.86, 5.99),
    ("+ footprint", 4.49, 5.72, 6.96),
])
def test_quoted_held_out_figures(recorded, trial, all_mae, kei_mae, short_mae):
    """docs/mass_cost.md quotes these leave-one-family-out MAEs (all, kei, < 3.7 m)."""
    fitter, predictor, _ = AM.TRIALS[trial]
    held = AM.lofo(recorded, fitter, predictor)
    sel = AM.classes(recorded, AM.lengths())

    def mae(f):
        e = [abs(held[d.name]) for d in recorded if f(d)]
        return 100 * sum(e) / len(e)

    assert mae(sel["all"]) == pytest.approx(all_mae, abs=0.006)
    assert mae(sel["kei"]) == pytest.approx(kei_mae, abs=0.006)
    assert mae(sel["< 3.7 m"]) == pytest.approx(short_mae, abs=0.006)


def test_us_curb_figures():
    rows = {r["config"]: r for r in AM.af.rows()}
    with AM.US_CURB.open(encoding="utf-8", newline="") as f:
        us = list(csv.DictReader(f))
    assert {r["config"] for r in us} == {"iq_2015_cvt", "fortwo_2017_5mt",
                                         "fiat500_2019_5mt"}
    for r in us:
        assert r["config"] in rows and r["source"] and r["status"] == "R"
        assert 1800 < float(r["us_curb_lb"]) < 2500


def test_smart_diagnosis(monkeypatch):
    """The smart (2.69 m, 4.10 m^3) is below the fitted volumes: the size law is held at
    their smallest (since 5 Dec 2026; -55 kg extrapolated before, -18.5 kg held), and the
    build-up is still well under its published curb mass."""
    rows = [r for r in AM.af.rows() if r["config"] == "fortwo_2017_5mt"]
    monkeypatch.setattr(AM.af, "rows", lambda: rows)
    ((r, g, car),) = AM.absent_cars()
    lo, _ = AM.calibration_volume_range()
    c = coefficients()
    held = c["calibration_offset"] + c["calibration_per_volume"] * (
        lo - c["calibration_volume_ref"])
    assert car.volume < lo
    assert g["mass:group:calibration"] == pytest.approx(held, rel=1e-12)
    assert -20.0 < held < -15.0
    assert g["mass:curb"] < 0.9 * car.curb_pub
    # the probe's closed form with the 97 cars' range is the model's curb
    (_, _, inside), = AM.held_inside([(r, g, car)], mcal.read_cars())
    assert mcal.predict(inside, mcal.shipped()) == pytest.approx(g["mass:curb"], rel=1e-6)
