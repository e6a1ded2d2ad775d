"""EPA label (derived 5-cycle) and CAFE compliance value."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import openmdao.api as om
import pytest
from openmdao.utils.assert_utils import assert_check_partials, assert_near_equal

from keidesign.errors import InputError
from keidesign.label import (
    COEFFICIENTS,
    LabelComp,
    co2_g_per_mi,
    combined_55_45,
    label_coefficients,
    label_from_unadjusted,
    label_options,
    petroleum_equivalent_mpg,
)
from keidesign.rulepacks import load_pack

# Mitsubishi Mirage MY2022, CVT, EPA Test Car List (22-tstcar.csv) rows in
# /work/shared/data/vehicles/epa_testcar_my2022_small.csv: unadjusted FTP / HWFE mpg.
MIRAGE_CVT = {
    "config 5, ETW 2375 lb (KMTX10052145/46)": (49.7, 65.8),
    "config 4, ETW 2500 lb (KMTX10052149/50)": (46.8, 61.2),
}
MIRAGE_LABEL = (36.0, 43.0, 39.0)  # published EPA label, CVT (us_small.csv)
TESTCAR_CSV = Path("/work/shared/data/vehicles/epa_testcar_my2022_small.csv")


def test_coefficient_sets_match_physics_and_the_pack():
    assert COEFFICIENTS["2008"] == {"city_intercept": 0.003259, "city_slope": 1.1805,
                                    "hwy_intercept": 0.001376, "hwy_slope": 1.3466}
    assert COEFFICIENTS["2017"] == {"city_intercept": 0.004091, "city_slope": 1.1601,
                                    "hwy_intercept": 0.003191, "hwy_slope": 1.2945}
    pack = load_pack("epa-label")
    assert label_coefficients(pack) == COEFFICIENTS["2017"]
    assert label_coefficients(pack, "2008") == COEFFICIENTS["2008"]
    lab = pack.params["label"]
    assert (lab["city_weight"], lab["hwy_weight"], lab["kwh_per_gal"], lab["co2_g_per_gal"],
            lab["ev_min_factor"]) == (0.55, 0.45, 33.705, 8887.0, 0.7)
    with pytest.raises(InputError, match="2030.*2008, 2017"):
        label_coefficients(pack, "2030")


def test_derived_5cycle_by_hand():
    city, hwy = label_from_unadjusted(40.0, 55.0, "2017")
    assert city == pytest.approx(1.0 / (0.004091 + 1.1601 / 40.0))
    assert hwy == pytest.approx(1.0 / (0.003191 + 1.2945 / 55.0))
    city08, hwy08 = label_from_unadjusted(40.0, 55.0, COEFFICIENTS["2008"])
    assert city08 == pytest.approx(1.0 / (0.003259 + 1.1805 / 40.0))
    assert hwy08 == pytest.approx(1.0 / (0.001376 + 1.3466 / 55.0))
    assert combined_55_45(30.0, 40.0) == pytest.approx(1.0 / (0.55 / 30.0 + 0.45 / 40.0))
    assert co2_g_per_mi(39.0) == pytest.approx(8887.0 / 39.0)


def test_mirage_cvt_against_the_published_label():
    """Worked example: unadjusted test-car values -> label, vs the published 36/43/39.

    The label is one value for the model type, from several tested configurations
    (here two CVT configurations, ETW 2375 and 2500 lb), averaged with sales weights we
    do not have. Agreement achieved: the lighter configuration (the volume one) gives
    36.5/43.7/39.4 mpg, within 2 % of 36/43/39 (within 1 mpg), and the published values
    lie between the two configurations' derived values.
    """
    light = label_from_unadjusted(*MIRAGE_CVT["config 5, ETW 2375 lb (KMTX10052145/46)"],
                                  "2017")
    heavy = label_from_unadjusted(*MIRAGE_CVT["config 4, ETW 2500 lb (KMTX10052149/50)"],
                                  "2017")
    light = (*light, combined_55_45(*light))
    heavy = (*heavy, combined_55_45(*heavy))
    for got, published in zip(light, MIRAGE_LABEL, strict=True):
        assert got == pytest.approx(published, rel=0.02)
        assert abs(got - published) < 1.0
    for lo, hi, published in zip(heavy, light, MIRAGE_LABEL, strict=True):
        assert lo <= published <= hi


@pytest.mark.skipif(not TESTCAR_CSV.is_file(), reason="shared data not available")
def test_mirage_inputs_match_the_test_car_file():
    rows = {r["Test Number"]: float(r["RND_ADJ_FE"])
            for r in csv.DictReader(TESTCAR_CSV.open(encoding="utf-8"))
            if r["Represented Test Veh Model"] == "MIRAGE"}
    assert (rows["KMTX10052145"], rows["KMTX10052146"]) == (49.7, 65.8)
    assert (rows["KMTX10052149"], rows["KMTX10052150"]) == (46.8, 61.2)


def test_ev_floor_and_its_crossover():
    # high MPGe: the 0.7 floor is active
    city, hwy = label_from_unadjusted(140.0, 120.0, "2017", ev=True)
    assert (city, hwy) == (pytest.approx(98.0), pytest.approx(84.0))
    # low MPGe: the derived value is above 0.7 x unadjusted
    city, _ = label_from_unadjusted(50.0, 120.0, "2017", ev=True)
    assert city == pytest.approx(1.0 / (0.004091 + 1.1601 / 50.0))
    # crossover where Ci*F + Cs = 1/0.7
    f_star = (1.0 / 0.7 - 1.1601) / 0.004091
    c_star, _ = label_from_unadjusted(f_star, 100.0, "2017", ev=True)
    assert c_star == pytest.approx(0.7 * f_star)
    # a non-EV never gets the floor
    city_ice, _ = label_from_unadjusted(140.0, 120.0, "2017")
    assert city_ice < 0.7 * 140.0


def test_petroleum_equivalent_value():
    assert petroleum_equivalent_mpg(100.0) == pytest.approx(100.0 * 82049.0 / 33705.0)
    assert petroleum_equivalent_mpg(100.0) == pytest.approx(243.433, abs=1e-3)
    assert petroleum_equivalent_mpg(100.0, 82049.0, 33.7) == pytest.approx(243.469, abs=1e-3)


def _problem(ev: bool, ftp, hwy, **opts) -> om.Problem:
    prob = om.Problem()
    prob.model.add_subsystem("label", LabelComp(ev=ev, n=len(ftp), **opts), promotes=["*"])
    prob.setup(force_alloc_complex=True)
    prob.set_val("energy:ftp_mpg", ftp)
    prob.set_val("energy:hwfet_mpg", hwy)
    prob.run_model()
    return prob


def test_component_ice_values_and_partials():
    ftp, hwy = np.array([49.7, 46.8, 30.0]), np.array([65.8, 61.2, 45.0])
    prob = _problem(False, ftp, hwy)
    city, hw = label_from_unadjusted(ftp, hwy, "2017")
    comb = combined_55_45(city, hw)
    assert_near_equal(prob.get_val("energy:label_city_mpg"), city, 1e-12)
    assert_near_equal(prob.get_val("energy:label_hwy_mpg"), hw, 1e-12)
    assert_near_equal(prob.get_val("energy:label_comb_mpg"), comb, 1e-12)
    assert_near_equal(prob.get_val("energy:label_co2"), 8887.0 / comb, 1e-12)
    unadj = combined_55_45(ftp, hwy)
    assert_near_equal(prob.get_val("energy:unadj_comb_mpg"), unadj, 1e-12)
    assert_near_equal(prob.get_val("energy:cafe_mpg"), unadj, 1e-12)
    assert_check_partials(prob.check_partials(method="cs", out_stream=None))


def test_component_bev_values_and_partials_on_both_branches():
    ftp, hwy = np.array([50.0, 140.0, 180.0]), np.array([45.0, 120.0, 150.0])
    prob = _problem(True, ftp, hwy)
    city, hw = label_from_unadjusted(ftp, hwy, "2017", ev=True)
    assert city[0] > 0.7 * ftp[0]  # derived branch
    assert city[1] == pytest.approx(0.7 * ftp[1])  # floor branch
    assert_near_equal(prob.get_val("energy:label_city_mpg"), city, 1e-12)
    assert_near_equal(prob.get_val("energy:label_comb_mpg"), combined_55_45(city, hw), 1e-12)
    assert_near_equal(prob.get_val("energy:label_co2"), np.zeros(3), 1e-12)
    unadj = combined_55_45(ftp, hwy)
    assert_near_equal(prob.get_val("energy:cafe_mpg"), unadj * 82049.0 / 33705.0, 1e-12)
    assert_check_partials(prob.check_partials(method="cs", out_stream=None))


def test_component_options_coefficients_from_pack_and_pef():
    coeffs = label_coefficients(load_pack("epa-label"), "2008")
    prob = _problem(True, [130.0], [110.0], coeffs=coeffs, pef_wh_per_gal=30000.0)
    assert_near_equal(prob.get_val("energy:cafe_mpg"),
                      combined_55_45(130.0, 110.0) * 30000.0 / 33705.0, 1e-12)
    assert_check_partials(prob.check_partials(method="cs", out_stream=None))
    prob = om.Problem()
    prob.model.add_subsystem("label", LabelComp(coeffs={"city_slope": 1.0}))
    with pytest.raises(ValueError, match="city_intercept"):
        prob.setup()
        prob.run_model()


def test_component_scalar_default_2008_set():
    prob = om.Problem()
    prob.model.add_subsystem("label", LabelComp(coeff_set="2008"), promotes=["*"])
    prob.setup(force_alloc_complex=True)
    prob.set_val("energy:ftp_mpg", 40.0)
    prob.set_val("energy:hwfet_mpg", 55.0)
    prob.run_model()
    assert_near_equal(prob.get_val("energy:label_city_mpg"),
                      1.0 / (0.003259 + 1.1805 / 40.0), 1e-12)
    assert_check_partials(prob.check_partials(method="cs", out_stream=None))


def test_label_options_from_packs():
    label_pack, cafe_pack = load_pack("epa-label"), load_pack("cafe-2024")
    opts = label_options(label_pack, cafe_pack, 2027, ev=True)
    assert opts["coeffs"] == COEFFICIENTS["2017"]
    assert (opts["ev"], opts["pef_wh_per_gal"], opts["kwh_per_gal"]) == (True, 82049.0, 33.705)
    assert label_options(label_pack, None, 2016)["coeffs"] == COEFFICIENTS["2008"]
    assert label_options(None, None, 2020) == {
        "coeffs": COEFFICIENTS["2017"], "ev": False, "pef_wh_per_gal": 82049.0,
        "kwh_per_gal": 33.705, "co2_g_per_gal": 8887.0, "ev_min_factor": 0.7}
    prob = om.Problem()
    prob.model.add_subsystem("label", LabelComp(**opts), promotes=["*"])
    prob.setup(force_alloc_complex=True)
    prob.run_model()
    assert_check_partials(prob.check_partials(method="cs", out_stream=None))
