"""The EV energy decomposition of ``benchmarks/ev_losses.py`` (issue 13, 4 Dec 2026;
docs/validation.md "EVs: where the energy goes"): its terms add up to the shipped
kernel's wall energy, and the EPA test-car EV results are AC (wall) energy."""

from __future__ import annotations

import importlib
import sys

import numpy as np
from conftest import ROOT

from keidesign.energy import calibration as cal


def _probe():
    if str(ROOT / "benchmarks") not in sys.path:
        sys.path.insert(0, str(ROOT / "benchmarks"))
    return importlib.import_module("ev_losses")


def _cars(el):
    ev = el.ev_cars()
    keep = ("CODA", "BLUECAR", "TOYOTA RAV4", "VOLKSWAGEN E-GOLF", "TESLA MODEL 3")
    return [next(car for car in ev if car.family == f) for f in keep]


def test_terms_add_up_to_the_kernel():
    """The shipped constants; an induction car (RAV4 EV), the heated LMP pack (Bluecar)."""
    el = _probe()
    _, _, bev = cal.stored_fits()
    c = cal.fixed_constants()
    cars = _cars(el)
    mine, kernel = el.decomposition_check(cars, c, bev)
    np.testing.assert_allclose(mine, kernel, rtol=1e-9)
    t = el.terms(cars, c, bev)
    total = sum(t[k] for k in el.TERMS)
    np.testing.assert_allclose(total, t["wall"], rtol=1e-12)
    assert (t["magnetising"][2] > 0).all() and (t["magnetising"][0] == 0).all()
    assert (t["heater"][1] > 0).all() and (t["heater"][0] == 0).all()
    assert (t["regen"] < 0).all() and (t["charger"] > 0).all()


def test_charging_efficiency_trial_reproduces_the_shipped_fit_at_0_9():
    el = _probe()
    c = cal.fixed_constants()
    cars = _cars(el)
    _, _, bev = cal.stored_fits()
    a = el.predict_with_charge(cars, c, {**bev, "eta_charge": c["bev"]["eta_charge"]})
    b = cal.predict_bev(cars, c, bev)
    for t in ("ftp", "hwfet"):
        np.testing.assert_allclose(a[t], b[t], rtol=1e-12)


def test_test_car_results_are_wall_energy():
    """The EPA test-car EV values equal fueleconomy.gov's unadjusted (AC) ones."""
    text = _probe().basis(_probe().ev_cars())
    assert "UDDS median 1.000" in text and "HWFET median 1.000" in text
