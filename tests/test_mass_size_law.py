"""The mass size law held inside its fitted volumes (issue 13, shipped 5 Dec 2026;
docs/mass_cost.md, "The open two-seaters' curb mass").

Asserted: a car body below ``V_min`` (a kei roadster's 3.72 m^3) or above ``V_max`` gets
the law at the nearest end, inside it the linear law; the partials on either side of the
kink and inside (complex step); the calibration's closed form (``held_in`` +
``predict``) is the model's law; the range written with the coefficients is the fit
cars'; the leave-one-family-out holds each held-out family inside the *other* families'
volumes (a toy set), and the hold-out constants of a fold carry its own range into the
model (``held_constants`` through ``held_coefficients``).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from openmdao.utils.assert_utils import assert_check_partials, assert_near_equal
from test_mass import BODY_VALS, _prob

from keidesign.mass import BodyMassComp
from keidesign.mass import calibration as mcal
from keidesign.mass.components import size_law
from keidesign.mass.data import calibration_volume_range, coefficients, held_coefficients


def _linear(v: float, bev: bool = False) -> float:
    c = coefficients()
    return (c["calibration_offset"] + c["calibration_per_volume"]
            * (v - c["calibration_volume_ref"]) + (c["bev_integration"] if bev else 0.0))


@pytest.mark.parametrize("bev", [False, True])
def test_car_outside_the_fitted_volumes_gets_the_law_at_the_nearest_end(bev):
    lo, hi = calibration_volume_range()
    assert 4.5 < lo < 4.6 and 8.0 < hi < 8.1      # the Scion iQ, the Leaf ZE1 imports
    for v, held in ((3.72, lo), (lo + 0.3, lo + 0.3), (6.0, 6.0), (8.6, hi)):
        prob = _prob(BodyMassComp(seats=2, bev=bev), {**BODY_VALS,
                                                      "body:volume:size": v})
        assert_near_equal(prob.get_val("mass:group:calibration"), _linear(held, bev), 1e-12)
        assert size_law(v, bev) == pytest.approx(_linear(held, bev), rel=1e-14)


@pytest.mark.filterwarnings("ignore:.*zero derivatives")
@pytest.mark.parametrize("volume", [3.72, 4.5621, 4.5623, 6.0, 8.6])  # across both kinks
def test_held_size_law_partials(volume):
    prob = _prob(BodyMassComp(seats=4), {**BODY_VALS, "body:volume:size": volume})
    data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-8, rtol=1e-8)
    j = data["c"]["mass:group:calibration", "body:volume:size"]["J_fwd"]
    inside = calibration_volume_range()[0] < volume < calibration_volume_range()[1]
    assert j.item() == pytest.approx(coefficients()["calibration_per_volume"] if inside
                                     else 0.0, abs=1e-12)


def test_calibration_closed_form_is_the_model_law():
    cars = mcal.read_cars()
    rng = mcal.volume_range(cars)
    lo, hi = calibration_volume_range()
    # written outward to the 6th decimal: every fit car inside its own range
    assert lo <= rng[0] < lo + 1e-6 and hi - 1e-6 < rng[1] <= hi
    c_ch = coefficients()["chassis_fraction"]
    car = replace(cars[0], volume=3.72)
    m = mcal.predict(mcal.held_in(car, (lo, hi)), mcal.shipped())
    assert m == pytest.approx((car.prior + size_law(3.72, car.bev) + c_ch * car.payload)
                              / (1.0 - c_ch), rel=1e-12)
    assert mcal.held_in(cars[0], rng) is cars[0] or cars[0].volume == rng[0]


def _toy() -> list[mcal.Car]:
    """Three families on an exact law; family A below the others' volumes, C above."""
    def car(name, fam, v, curb):
        return mcal.Car(name=name, source="toy", family=fam, cls="US ICE cvt",
                        powertrain="ice", curb_pub=curb, prior=0.6 * curb, volume=v,
                        payload=400.0)
    return [car("a1", "A", 4.0, 800.0), car("b1", "B", 5.0, 900.0),
            car("b2", "B", 6.0, 1050.0), car("b3", "B", 5.5, 1010.0),
            car("c1", "C", 7.0, 1200.0), car("c2", "C", 6.5, 1100.0)]


def test_lofo_holds_each_family_inside_the_other_families_volumes():
    toy = _toy()
    held = mcal.lofo(toy)
    folds = {fam: (train, out) for fam, train, out in mcal.folds(toy)}
    assert set(folds) == {"A", "B", "C"}
    # A (4.0 m^3) held out: at the smallest volume of B and C (5.0), not its own 4.0
    train, out = folds["A"]
    assert [d.volume for d in out] == [5.0]
    coef = mcal.fit(train)
    assert held["a1"][0] == pytest.approx(mcal.predict(replace(toy[0], volume=5.0), coef),
                                          rel=1e-12)
    assert held["a1"][0] != pytest.approx(mcal.predict(toy[0], coef), rel=1e-6)
    # C held out: 7.0 and 6.5 at the largest of A and B (6.0)
    assert [d.volume for d in folds["C"][1]] == [6.0, 6.0]
    # B inside A..C: unchanged
    assert [d.volume for d in folds["B"][1]] == [5.0, 6.0, 5.5]
    # the hold-out constants of a fold: its fit and its own range
    k = mcal.held_constants(folds["A"][0])
    assert (k["calibration_volume_min"], k["calibration_volume_max"]) == (5.0, 7.0)
    assert [k[n] for n in mcal.COEFFICIENT_NAMES] == pytest.approx(list(coef), rel=1e-12)


def test_held_constants_reach_the_model():
    k = {"calibration_offset": 10.0, "calibration_per_volume": 50.0, "bev_integration": 0.0,
         "calibration_volume_min": 5.0, "calibration_volume_max": 7.0}
    with held_coefficients(k):
        assert calibration_volume_range() == (5.0, 7.0)
        prob = _prob(BodyMassComp(seats=4), {**BODY_VALS, "body:volume:size": 4.7})
        v_ref = coefficients()["calibration_volume_ref"]
        assert_near_equal(prob.get_val("mass:group:calibration"),
                          10.0 + 50.0 * (5.0 - v_ref), 1e-12)
    assert calibration_volume_range()[0] < 4.7
