"""Each certified generation against its own NCAP test (issue 14; docs/crash.md, "Each
certified car against its own NCAP test"): the mapping rule on a fixture, the name table
and the new ratings rows read strictly, the shipped map, and the pre-registered summary
(``keidesign.validation.own_tests``; the probe's report, ``benchmarks/crash_probes.py
own_tests``)."""

from __future__ import annotations

import csv

import pytest
from conftest import ROOT, benchmark_module

from keidesign.errors import InputError
from keidesign.validation import fleet_pulses as fp
from keidesign.validation import own_tests as ot


def _fleet(test: int, **kw) -> dict:
    base = {"nhtsa_test_no": test, "crash_type": "VEHICLE INTO BARRIER", "angle_deg": 0.0,
            "speed_kmh": 56.3, "max_dynamic_crush_mm": 600.0, "peak_decel_g": 40.0,
            "source_quality": "Valid"}
    return {**base, **kw}


def _rating(make: str, model: str, year: int, body: str, test: int) -> dict:
    return {"MAKE": make, "MODEL": model, "MODEL_YR": str(year), "BODY_STYLE": body,
            "FRNT_TEST_NO": str(test)}


def _name(gen: str, make: str, model: str, *bodies: str) -> dict:
    return {"generation": gen, "ratings_make": make, "ratings_model": model, "bodies": bodies}


NAMES = [_name("A sedan", "ACME", "ROAD", "4 DR"), _name("A hatch", "ACME", "ROAD", "5 HB"),
         _name("A hatch", "ACME", "ROAD HATCH", "5 HB"),
         _name("B 2.0", "ACME", "BEE", "4 DR"), _name("B 1.5", "ACME", "BEE", "4 DR")]
YEARS = {"A sedan": (2012, 2016), "A hatch": (2013, 2016), "B 2.0": (2016, 2020),
         "B 1.5": (2016, 2020)}
FLEET = [_fleet(100), _fleet(101), _fleet(102), _fleet(103, source_quality="Outlier"),
         _fleet(104, speed_kmh=40.0), _fleet(105), _fleet(106), _fleet(107)]


def test_mapping_rule_on_a_fixture():
    """Name, body, year and a Valid 56 km/h test admit a row; the earliest model year wins,
    then the lowest test; a twin gets a test only under its own name; a row naming two
    generations (engines not listed apart) gives each the test."""
    ratings = [
        _rating("ACME", "ROAD", 2015, "4 DR", 101),       # later year: loses to 2013
        _rating("ACME", "ROAD", 2013, "4 DR", 102),       # earliest: the sedan's test
        _rating("ACME", "ROAD", 2013, "4 DR", 105),       # same year, higher number
        _rating("ACME", "ROAD", 2011, "4 DR", 100),       # before the generation
        _rating("ACME", "ROAD", 2012, "4 DR", 103),       # an Outlier test
        _rating("ACME", "ROAD", 2012, "4 DR", 104),       # a 40 km/h test
        _rating("ACME", "ROAD", 2012, "SUV", 100),        # a body the names do not list
        _rating("ACME", "ROAD HATCH", 2014, "5 HB", 106),  # the hatch under its own name
        _rating("ACME", "BEE", 2017, "4 DR", 107),        # two engines, one listing
        _rating("ACME", "ROAD", 2013, "4 DR", 999),       # not in the fleet file
    ]
    own = ot.own_tests(ratings, FLEET, NAMES, YEARS)
    assert {g: v["test"] for g, v in own.items()} == {
        "A sedan": 102, "A hatch": 106, "B 2.0": 107, "B 1.5": 107}
    assert own["A sedan"]["model_year"] == 2013
    assert own["A sedan"]["candidates"] == [(2013, 102), (2013, 105), (2015, 101)]
    # without its own-name row the hatch has no test (the sedan's rows are 4 DR)
    assert "A hatch" not in ot.own_tests(ratings[:7], FLEET, NAMES, YEARS)


def test_compare_and_summary_on_a_tiny_input():
    """Errors model / test - 1 with ESW = V^2 / (2 C) of the test's speed and crush; the
    summary's means, MAEs and counts at the bounds (+/-15 % crush counts, +/-20 % ESW,
    +/-25 % peak), held out = test no fit saw."""
    own = {"X": {"test": 1, "model_year": 2015, "fleet": _fleet(1, max_dynamic_crush_mm=600.0,
                                                                 peak_decel_g=40.0)},
           "Y": {"test": 2, "model_year": 2016, "fleet": _fleet(2, max_dynamic_crush_mm=500.0,
                                                                 peak_decel_g=50.0)}}
    esw_x = ot.esw_decel_g(56.3, 600.0)
    pulses = {"X": {"crush_mm": 690.0, "esw_g": esw_x * 1.2, "peak_g": 30.0},
              "Y": {"crush_mm": 400.0, "esw_g": ot.esw_decel_g(56.3, 500.0), "peak_g": 64.0},
              "Z": {"crush_mm": 1.0, "esw_g": 1.0, "peak_g": 1.0}}
    rows = ot.compare(pulses, own, held_in={2})
    assert [r["car"] for r in rows] == ["X", "Y"]
    assert [r["held_out"] for r in rows] == [True, False]
    assert rows[0]["crush_error"] == pytest.approx(0.15)
    assert rows[0]["esw_error"] == pytest.approx(0.20)
    assert rows[0]["peak_error"] == pytest.approx(-0.25)
    sm = ot.summary(rows)
    assert sm["n"] == 2
    assert sm["crush"]["mean"] == pytest.approx((0.15 - 0.20) / 2)
    assert sm["crush"]["mae"] == pytest.approx((0.15 + 0.20) / 2)
    assert sm["crush"]["within"] == 1          # +15 % in, -20 % out
    assert sm["esw"]["within"] == 2            # +20 % and 0 %
    assert sm["peak"]["within"] == 1           # -25 % in, +28 % out
    assert ot.summary([])["n"] == 0


def test_probe_report_on_a_tiny_input():
    """The probe's table has one line per car and the summary lines count all cars, the
    held-out ones and the rest apart."""
    rows = [{"car": "X", "test": 1, "model_year": 2015, "crush_test_mm": 600.0,
             "crush_model_mm": 690.0, "crush_error": 0.15, "esw_test_g": 20.0,
             "esw_model_g": 24.0, "esw_error": 0.2, "peak_test_g": 40.0, "peak_model_g": 30.0,
             "peak_error": -0.25, "held_out": True},
            {"car": "Y", "test": 2, "model_year": 2016, "crush_test_mm": 500.0,
             "crush_model_mm": 400.0, "crush_error": -0.2, "esw_test_g": 25.0,
             "esw_model_g": 25.0, "esw_error": 0.0, "peak_test_g": 50.0, "peak_model_g": 64.0,
             "peak_error": 0.28, "held_out": False}]
    lines = benchmark_module("crash_probes").own_tests_lines(rows)
    assert sum(line.startswith("| X |") or line.startswith("| Y |") for line in lines) == 2
    assert "| X | 1 (2015) | 600 / 690 (+15.0%) |" in lines[2]
    assert lines[-3].startswith("| all generations with an own test | 2 | -2.5% / 17.5% / 1 |")
    assert lines[-2].startswith("| held out (H) | 1 | +15.0% / 15.0% / 1 |")
    assert lines[-1].startswith("| in a fit (the rest) | 1 | -20.0% / 20.0% / 0 |")


def test_name_table_strict(tmp_path):
    """The shipped table names only us_specs generations, one name per row; a bad body
    code, an unknown generation or a repeated name is one line naming file, line and value."""
    years = ot.generation_years()
    names = ot.name_table(generations=set(years))
    assert {n["generation"] for n in names} == set(years)      # every certified generation
    src = (ROOT / "keidesign" / "data" / "crash" / "ratings_generation_names.csv").read_text(
        encoding="utf-8").splitlines()
    header, first = src[0], src[1]
    for bad, said in ((first.replace(",5 HB,", ",SEDAN,", 1), "body_styles = 'SEDAN'"),
                      (first.replace("HONDA,FIT,GE (2nd gen)", "HONDA,FIT,GX", 1),
                       "not in us_specs"),
                      (first + "\n" + first, "repeated"),
                      (first.replace(",HONDA,FIT,", ",Honda,FIT,", 1), "ratings_make")):
        p = tmp_path / "names.csv"
        p.write_text(header + "\n" + bad + "\n", encoding="utf-8")
        with pytest.raises(InputError, match=said) as err:
            ot.name_table(p, generations=set(years))
        assert "names.csv line" in str(err.value)


def test_new_ratings_rows_join_strictly():
    """The MY2013 / MY2019 rows read by task s35a reach the fleet file through the strict
    loader: a new test carries its first listing's vehicle and curb (lb and kg), a test
    already joined keeps its first listing."""
    rows = {r["nhtsa_test_no"]: r for r in fp.fleet_pulse_rows()}
    fit = rows[7579]                      # HONDA FIT 2013, curb 2,488 lb
    assert (fit["make"], fit["model"], fit["model_year"], fit["body_style"]) == (
        "HONDA", "FIT", "2013", "5 HB")
    assert fit["curb_weight_lb"] == 2488.0
    assert fit["curb_mass_kg"] == pytest.approx(2488.0 * fp.LB_KG, abs=0.5)
    assert "MY2013 listing" in fit["ratings_read_in"]
    assert rows[10316]["model"] == "BOLT EV" and rows[10316]["model_year"] == "2019"
    sonic = rows[7564]                    # listed 2013, 2015 and 2019: the 2015 row joined
    assert sonic["model_year"] == "2015"
    extract = ot.extract_rows()
    # 2013, 2015 and 2019 (s35a), the two MY2012 bodies read by task s36c
    assert sum(r["FRNT_TEST_NO"] == "7564" for r in extract) == 7
    civic = rows[7619]                    # the MY2012 listing read by task s36c: 88.0 g
    assert (civic["make"], civic["model"], civic["model_year"], civic["curb_weight_lb"]) == (
        "HONDA", "CIVIC", "2012", 2838.0)
    assert "MY2012 listing" in civic["ratings_read_in"]
    with open(ROOT / "keidesign" / "data" / "crash" / "safercar_frontal_extract.csv",
              encoding="utf-8", newline="") as f:
        assert next(csv.reader(f))[-1] == "read_in"


def test_shipped_map():
    """The rule on the rows read: 71 generations with an own test (69 before task s36c
    read the MY2011 / MY2012 listings), 52 of them on a test no fitted constant saw; the
    earliest listing wins (Sentra B17: 2013's 8068 over 2016's 9079; Focus five-door:
    2012's 7478 over 2013's 8001 and 2016's 9086; CR-Z: 2011's 7076 over 2012's 7622),
    twins follow the names (Elantra GT GD: the sedan's 7641 listed under ELANTRA GT), and
    of the NCAP table's 15 generations 13 keep their tests: the CR-Z and the Leaf ZE0
    take their MY2011 listings' tests (7076, 7419), not the 7622 and 8213 of
    ncap_frontal_pulses.csv."""
    years = ot.generation_years()
    own = ot.own_tests(ot.extract_rows(), fp.fleet_pulse_rows(),
                       ot.name_table(generations=set(years)), years)
    fitted = ot.fitted_tests()
    assert len(own) == 71
    assert sum(v["test"] not in fitted for v in own.values()) == 52
    assert own["NISSAN SENTRA S B17 (7th gen)"]["test"] == 8068
    assert own["Ford FOCUS 3rd gen 5-door (US 2.0)"]["test"] == 7478
    assert own["HONDA CR-Z ZF1"]["test"] == 7076
    assert own["HYUNDAI ELANTRA GT GD (Elantra GT 1st gen)"]["test"] == 7641
    assert own["HONDA FIT GE (2nd gen)"]["test"] == 7579
    with open(ROOT / "keidesign" / "data" / "crash" / "ncap_frontal_pulses.csv",
              encoding="utf-8", newline="") as f:
        ncap = [r for r in csv.DictReader(f)
                if r["source_quality"] == "Valid" and r["us_specs_generation"]]
    assert len(ncap) == 15
    moved = {"HONDA CR-Z ZF1": 7076, "NISSAN LEAF S ZE0/AZE0 (1st gen)": 7419}
    for r in ncap:
        gen = ot.car_label(r["us_specs_make"], r["us_specs_model"], r["us_specs_generation"])
        assert own[gen]["test"] == moved.get(gen, int(r["nhtsa_test_no"])), gen
