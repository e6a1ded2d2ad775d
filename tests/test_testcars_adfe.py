"""Analytically derived EPA results out of the calibration and validation records.

``Analytically Derived FE? = Yes`` rows of the Test Car List were computed from a tested
base vehicle, not measured (``keidesign.energy.testcars`` docstring, item 0): no
configuration of :func:`test_cars` may carry one; they are kept apart
(:func:`analytically_derived_cars`) and the model is reported against them. Counts are
taken from the CSV here, not from the model.
"""

from __future__ import annotations

import csv
from collections import Counter
from importlib import resources

import numpy as np
import pytest

from keidesign.energy import testcars as tc
from keidesign.validation import fueleconomy as fe
from keidesign.validation import report


def _rows(*path: str) -> list[dict[str, str]]:
    ref = resources.files("keidesign").joinpath("data", *path)
    with ref.open("r", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def raw():
    return _rows("epa", "epa_testcar_small_2011_2023.csv")


@pytest.fixture(scope="module")
def derived_numbers(raw):
    return {r["Test Number"] for r in raw if r["Analytically Derived FE?"] == "Yes"}


def test_no_configuration_carries_an_analytically_derived_result(raw, derived_numbers):
    """Fails on the code before 5 Dec 2026: 62 configurations carried derived results."""
    assert derived_numbers  # the file has them, so the check below can fail
    used = {n for car in tc.test_cars() for n in car.test_numbers}
    assert not used & derived_numbers
    # the rule is the file's flag and nothing else: every other test number is read as before
    assert {r["Test Number"] for r in tc.measured_rows()} == (
        {r["Test Number"] for r in raw} - derived_numbers)
    # a derived test number is never also a measured row (dropping rows loses no measurement)
    assert not {r["Test Number"] for r in raw
                if r["Analytically Derived FE?"] != "Yes"} & derived_numbers


def test_the_derived_rows_are_kept_apart(raw, derived_numbers):
    """Every derived result is in :func:`analytically_derived_cars`, with its derived
    values only, also where its configuration has only one of the two tests (the 2011
    Yaris 5MT's HWFE 7TYX01066673 on a coast-down of its own: left out before 5 Dec
    2026, 139 of 140); the derived rows are all gasoline, so no EV or hybrid
    configuration changes."""
    derived = [r for r in raw if r["Analytically Derived FE?"] == "Yes"]
    assert {r["Test Fuel Type Description"] for r in derived} == {"Tier 2 Cert Gasoline"}
    cars = tc.analytically_derived_cars()
    nums = [n for car in cars for n in car.test_numbers]
    assert len(nums) == len(set(nums)) and set(nums) == derived_numbers
    by_num = {r["Test Number"]: r for r in derived}
    for car in cars:
        assert car.cls in fe.ICE_CLASSES
        vals = {}
        for n in car.test_numbers:
            vals.setdefault(tc.TEST_OF[by_num[n]["Test Procedure Description"]], []).append(
                float(by_num[n]["RND_ADJ_FE"]))
        assert set(car.tests) == set(vals)
        for t, v in vals.items():
            assert car.tests[t] == pytest.approx(len(v) / sum(1 / x for x in v))
    # the same EVs and hybrids as configurations built from every row of the file
    every = [tc._car(k, g) for k, g in tc._groups(tc._csv(tc.TESTCAR_FILE)).items()]
    count = Counter(c.cls for c in every if c is not None)
    now = Counter(c.cls for c in tc.test_cars())
    assert not any(c.cls in ("ev", "hybrid") for c in cars)
    assert now["ev"] == count["ev"] > 0 and now["hybrid"] == count["hybrid"] > 0


#: Columns of a configuration's key (``testcars`` docstring, item 2; ``testcars._groups``).
_KEY = ("Model Year", "Represented Test Veh Make", "Represented Test Veh Model",
        "Test Vehicle ID", "Tested Transmission Type", "# of Gears",
        "Test Fuel Type Description", "Equivalent Test Weight (lbs.)", "Target Coef A (lbf)",
        "Target Coef B (lbf/mph)", "Target Coef C (lbf/mph**2)")


def _key(row: dict[str, str]) -> tuple[str, ...]:
    """A row's configuration key, the make upper-cased and names stripped as item 2 reads them."""
    return tuple(row[col].strip().upper() for col in _KEY)


def test_configurations_dropped_or_reduced(raw, derived_numbers):
    """A configuration of derived results only disappears; one with measured FTP and
    HWFET rows too keeps those (and only those): its FTP and HWFET are the harmonic means
    of its measured rows alone (the 4 such configurations)."""
    measured = {(c.year, c.make, c.model, c.vehicle_id, c.etw, c.a_lbf): c
                for c in tc.test_cars()}
    by_num = {r["Test Number"]: r for r in raw}
    once: dict[str, dict[str, str]] = {}  # a test number's first row (item 1)
    for r in raw:
        once.setdefault(r["Test Number"], r)
    gone = kept = one_test = changed = 0
    for car in tc.analytically_derived_cars():
        k = (car.year, car.make, car.model, car.vehicle_id, car.etw, car.a_lbf)
        if k in measured:
            kept += 1
            m = measured[k]
            assert all(by_num[n]["Analytically Derived FE?"] != "Yes" for n in m.test_numbers)
            # its values are the harmonic means of its measured rows only, from the CSV:
            # every row of its configuration (item 2's key; a test number in the year it
            # first appears, item 1), the derived ones (those of the derived car) apart
            key = _key(once[m.test_numbers[0]])
            rows = {n: r for n, r in once.items() if _key(r) == key}
            assert {n for n, r in rows.items() if r["Analytically Derived FE?"] == "Yes"} \
                == set(car.test_numbers)
            for t in fe.TESTS:
                every = [float(r["RND_ADJ_FE"]) for r in rows.values()
                         if tc.TEST_OF.get(r["Test Procedure Description"]) == t]
                meas = [float(r["RND_ADJ_FE"]) for n, r in rows.items()
                        if tc.TEST_OF.get(r["Test Procedure Description"]) == t
                        and n not in car.test_numbers]
                assert m.tests[t] == pytest.approx(len(meas) / sum(1 / x for x in meas),
                                                   rel=1e-12), (m.key, t)
                with_derived = len(every) / sum(1 / x for x in every)
                changed += abs(with_derived / m.tests[t] - 1.0) > 1e-4
        elif tc._car(*next((key, g) for key, g in tc._groups(tc._csv(tc.TESTCAR_FILE)).items()
                           if car.test_numbers[0] in {r["Test Number"] for r in g})) is None:
            one_test += 1  # never a record: one test only (the 2011 Yaris 5MT's HWFE)
        else:
            gone += 1
    assert gone > 0 and gone + kept + one_test == len(tc.analytically_derived_cars())
    assert one_test == 1
    # the 4 configurations that keep their measured tests; the check above can fail: the
    # derived rows would move their values
    assert kept == 4 and changed > 0
    every = [tc._car(k, g) for k, g in tc._groups(tc._csv(tc.TESTCAR_FILE)).items()]
    assert sum(c is not None for c in every) - len(tc.test_cars()) == gone


def test_the_my2022_file_has_no_derived_row():
    """The first calibration's 12 cars (``calibration.load_cars``) read no derived value."""
    rows = _rows("vehicles", "epa_testcar_my2022_small.csv")
    assert rows and all(r["Analytically Derived FE?"] == "No" for r in rows)


def test_model_reported_against_the_derived_values():
    """The report line counts every derived value and gives its MAE and bias."""
    adfe = fe.validate_adfe()
    comp = adfe["shipped"]
    st = fe.adfe_stats(comp)
    for t in fe.TESTS:
        n = int(np.isfinite(comp.measured[t]).sum())
        assert st[t]["n"] == n == sum(t in car.tests for car in comp.cars) > 0
        assert np.isfinite(st[t]["mae"]) and np.isfinite(st[t]["bias"])
    line = " ".join(report._adfe_markdown(adfe))
    assert f"FTP n {st['ftp']['n']}" in line and f"HWFET n {st['hwfet']['n']}" in line
    # every derived test number is reported, the HWFET-only Yaris configuration too
    # (fails on the code before 5 Dec 2026: 139 of 140, HWFET n 62)
    derived = {r["Test Number"] for r in tc._csv(tc.TESTCAR_FILE) if tc.analytically_derived(r)}
    assert {n for car in comp.cars for n in car.test_numbers} == derived
    yaris = [i for i, car in enumerate(comp.cars) if "7TYX01066673" in car.test_numbers]
    assert len(yaris) == 1 and set(comp.cars[yaris[0]].tests) == {"hwfet"}
    assert np.isnan(comp.error("ftp")[yaris[0]]) and np.isfinite(comp.error("hwfet")[yaris[0]])
    assert st["hwfet"]["n"] == st["ftp"]["n"] + 1


def _refits(cars, families):
    """A stand-in for :func:`fe.validate_unadjusted`'s refits: the ICE ``cars`` "fitted",
    a refit (the shipped constants) for each of ``families``."""
    _, fit, _ = fe.cal.stored_fits()
    return {"ice_lofo": fe.Comparison(cars, {}, {}, "lofo", {"fits": dict.fromkeys(families, fit)}),
            "ice_fit": fit}


def test_only_a_leave_one_family_out_refit_is_called_lofo():
    """``--quick`` fits a subset: a derived configuration whose family is not in it gets
    the subset's all-car refit, which is no leave-one-family-out refit and is reported
    as ``allcar`` (fails on the code before 5 Dec 2026: every one was called lofo). On
    every measured configuration the all-car refit of a family without one (the Porsche
    Cayman) is that family's leave-one-family-out refit: ``lofo``, no ``allcar``."""
    every = [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]
    derived = {car.family for car in tc.analytically_derived_cars()}
    fams = sorted({car.family for car in every})
    subset = every[::6]
    in_subset = {car.family for car in subset}
    adfe = fe.validate_adfe(_refits(subset, in_subset))
    assert {car.family for car in adfe["lofo"].cars} == derived & in_subset
    assert {car.family for car in adfe["allcar"].cars} == derived - in_subset != set()
    line = " ".join(report._adfe_markdown(adfe))
    assert "all-car refit of a subset (--quick) without the family (not lofo): FTP n" in line
    full = fe.validate_adfe(_refits(every, fams))
    assert "allcar" not in full and len(full["lofo"].cars) == len(full["shipped"].cars)
    assert "PORSCHE CAYMAN" in derived - set(fams)
    # one configuration short of every one: the Cayman's all-car refit is no longer its
    # leave-one-family-out refit
    part = fe.validate_adfe(_refits(every[1:], fams))
    assert {car.family for car in part["allcar"].cars} == {"PORSCHE CAYMAN"}


def test_a_bad_or_missing_adfe_cell_is_refused():
    """A regenerated file cannot let derived results back in unseen: a cell other than
    Yes / No, or no column, is one clear error naming the test and the value."""
    from keidesign.energy import testcars as tcm
    assert tcm.analytically_derived({tcm.ADFE_COLUMN: " YES ", "Test Number": "1"})
    assert not tcm.analytically_derived({tcm.ADFE_COLUMN: "No", "Test Number": "1"})
    for bad in ("Y", "TRUE", "", "1"):
        with pytest.raises(ValueError, match=r"for test 7TYX; allowed: Yes or No"):
            tcm.analytically_derived({tcm.ADFE_COLUMN: bad, "Test Number": "7TYX"})
    with pytest.raises(ValueError, match=r"no column 'Analytically Derived FE\?'"):
        tcm.analytically_derived({"Test Number": "7TYX"})
