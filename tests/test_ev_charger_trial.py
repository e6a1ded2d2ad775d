"""The published charging efficiency per EPA EV (the trial of
``benchmarks/ev_charger_trial.py``; the probe ``ev_charger``, tried, not kept): the
published figures reach exactly the rows of their five families, every other row keeps
the shipped 0.90, the wall energy scales as 0.90 / eta, and the swap is undone."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module

from keidesign.energy import calibration as cal
from keidesign.energy import testcars as tc


@pytest.fixture(scope="module")
def trial():
    return benchmark_module("ev_charger_trial")


@pytest.fixture(scope="module")
def ev():
    return [car for car in tc.test_cars() if car.cls == "ev"]


def test_scope_of_the_published_figures(trial, ev):
    """13 of the 55 configurations, five families (the rule's minimum), each family's
    figure on its own rows only; the 2015 e-Golf and the 2019 i3 included, the 2018 i3
    (94 Ah) and the 2015 Soul (27 kWh) not."""
    got = {(car.year, car.family): trial.published_eta(car) for car in ev
           if trial.published_eta(car) is not None}
    assert len([car for car in ev if trial.published_eta(car) is not None]) == 13
    assert {f for _, f in got} == {f for f, *_ in trial.PUBLISHED}
    assert len({f for _, f in got}) >= 5
    assert got[(2015, "VOLKSWAGEN E-GOLF")] == 0.9013
    assert got[(2019, "BMW I3")] == 0.8039
    assert (2018, "BMW I3") not in got and (2015, "KIA SOUL") not in got


def test_params_per_row_and_swap_undone(trial, ev):
    """Inside the swap the rows with a figure carry it and the others the shipped
    eta_charge; outside it every row is the shipped value again."""
    c = cal.load_constants()
    eta0 = c["bev"]["eta_charge"]
    with trial.swapped():
        x = cal.epa_bev_params(ev, c)
    want = [trial.published_eta(car) or eta0 for car in ev]
    np.testing.assert_array_equal(x["eta_chg"][:, 0], want)
    assert (cal.epa_bev_params(ev, c)["eta_chg"] == eta0).all()
    assert cal.epa_bev_params is trial.SHIPPED_PARAMS


def test_wall_energy_scales_with_the_efficiency(trial, ev):
    """Wall energy = DC / eta x charge factor: the predicted MPGe of a row with a
    published figure moves by eta / 0.90 exactly (the fit held)."""
    c = cal.load_constants()
    _, _, bev = cal.stored_fits()
    cars = [car for car in ev if trial.published_eta(car) is not None][:3]
    base = cal.predict_bev(cars, c, bev)
    with trial.swapped():
        new = cal.predict_bev(cars, c, bev)
    ratio = np.array([trial.published_eta(car) for car in cars]) / c["bev"]["eta_charge"]
    for t in ("ftp", "hwfet"):
        np.testing.assert_allclose(new[t] / base[t], ratio, rtol=1e-9)


def test_docs_quote_the_shipped_whole_car_ratio(trial):
    """docs/energy.md and docs/validation.md quote the model's whole-car recharge ratio at
    the Model Y's 11.5 kW charger, ``eta_charge / (1 + P_par / P_chg)``, from the shipped
    constants (a refit of ``charge_parasitic_kw`` must update both)."""
    from conftest import ROOT

    c = cal.load_constants()
    p_chg = trial.MODEL_Y_CERT[0][3]
    ratio = c["bev"]["eta_charge"] / (1.0 + c["bev"]["charge_parasitic_kw"] / p_chg)
    for doc in ("energy.md", "validation.md"):
        text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
        assert f"is {ratio:.3f}, against" in text or f"= **{ratio:.3f}**" in text, doc
