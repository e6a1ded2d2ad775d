"""The NHTSA fleet's pulse band (issue 14, deliverable 2; docs/crash.md, "The pulses
against the NHTSA fleet"): ``data/crash/ncap_fleet_pulses.csv`` read strictly, joined to
the ratings rows read, the pre-registered population P filtered and its percentiles
(``keidesign.validation.fleet_pulses``)."""

from __future__ import annotations

import csv
import math
from importlib.resources import files

import numpy as np
import pytest

from keidesign.crash.validation import esw_decel_g
from keidesign.errors import InputError
from keidesign.validation import fleet_pulses as fp

CRASH = files("keidesign") / "data" / "crash"
ROWS = fp.fleet_pulse_rows()


def _csv(name: str) -> list[dict]:
    return list(csv.DictReader((CRASH / name).read_text(encoding="utf-8").splitlines()))


def _row(**kw) -> dict:
    """A parsed row as :func:`fp.fleet_pulse_rows` returns it."""
    base = {"nhtsa_test_no": 1, "crash_type": "VEHICLE INTO BARRIER", "angle_deg": 0.0,
            "speed_kmh": 56.3, "max_dynamic_crush_mm": 600.0, "peak_decel_g": 40.0,
            "energy_ratio": 1.0, "source_quality": "Valid", "make": "X", "model": "Y",
            "model_year": "2015", "body_style": "5 HB", "curb_weight_lb": 2400.0,
            "curb_mass_kg": 1089.0}
    return {**base, **kw}


def _write(tmp_path, edit) -> object:
    """A copy of the shipped file with ``edit(rows)`` applied to its raw rows."""
    raw = _csv("ncap_fleet_pulses.csv")
    edit(raw)
    path = tmp_path / "fleet.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fp.COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(raw)
    return path


def test_file_holds_the_reduction_one_row_per_test():
    """Every test of the reduction (743, tests 6940-15509), once, with the project's
    flag; 719 rigid-wall tests at 0 deg, 581 Valid of them at 55-57.5 km/h (the count the
    brief's look gave)."""
    tests = [r["nhtsa_test_no"] for r in ROWS]
    assert len(tests) == len(set(tests)) == 743
    assert min(tests) == 6940
    assert sum(r["crash_type"] == fp.CRASH_TYPE and r["angle_deg"] == 0 for r in ROWS) == 719
    assert len(fp.fleet_population(ROWS, None)) == 581


def test_figures_agree_with_the_ncap_rows():
    """The 16 NCAP rows of ncap_frontal_pulses.csv come from the same reduction: same
    speed, crush, peak and flag in the fleet file."""
    by_test = {r["nhtsa_test_no"]: r for r in ROWS}
    n = 0
    for r in _csv("ncap_frontal_pulses.csv"):
        f = by_test.get(int(r["nhtsa_test_no"]))
        if f is None:          # the MINI F56's 8755: not in the reduction's set
            assert not r["source_quality"]
            continue
        n += 1
        assert f["source_quality"] == r["source_quality"]
        assert f["speed_kmh"] == pytest.approx(float(r["speed_kmh"]))
        assert f["max_dynamic_crush_mm"] == pytest.approx(float(r["max_dynamic_crush_mm"]))
        assert f["peak_decel_g"] == pytest.approx(float(r["peak_decel_g"]))
    assert n == 17


def test_join_matches_the_ratings_rows_read():
    """The join: each ratings row read (safercar_frontal_extract.csv) whose test is in
    the reduction gives that row's make, model, year, body and curb (lb, and kg = lb x
    0.45359237); rows without one carry no vehicle; the NCAP listings' curbs agree with
    ncap_ratings.csv to 1 kg."""
    extract: dict[int, dict] = {}
    for r in _csv("safercar_frontal_extract.csv"):   # several listings may carry a test:
        t, curb = int(r["FRNT_TEST_NO"]), r["CURB_WEIGHT"].strip() not in ("", "0")
        prev = extract.get(t)                        # the first with a curb joins
        if prev is None or (curb and prev["CURB_WEIGHT"].strip() in ("", "0")):
            extract[t] = {**r, "CURB_WEIGHT": r["CURB_WEIGHT"] if curb else ""}
    by_test = {r["nhtsa_test_no"]: r for r in ROWS}
    joined = [t for t in extract if t in by_test]
    # not in the reduction's set: 8755 (MINI F56), 7038, 8313, 8590, 9508, 9662, and of
    # the MY2013 / MY2019 rows read by task s35a 8189, 10005, 10673, 10688
    assert sorted(set(extract) - set(joined)) == [7038, 8189, 8313, 8590, 8755, 9508, 9662,
                                                  10005, 10673, 10688]
    for t, e in extract.items():
        if t not in by_test:
            continue
        f = by_test[t]
        assert (f["make"], f["model"], f["model_year"], f["body_style"]) == (
            e["MAKE"], e["MODEL"], e["MODEL_YR"], e["BODY_STYLE"])
        if e["CURB_WEIGHT"]:
            assert f["curb_weight_lb"] == float(e["CURB_WEIGHT"])
            assert f["curb_mass_kg"] == pytest.approx(float(e["CURB_WEIGHT"]) * fp.LB_KG,
                                                      abs=0.5)
        else:
            assert math.isnan(f["curb_mass_kg"])
    assert sum(bool(r["make"]) for r in ROWS) == len(joined)
    for r in _csv("ncap_ratings.csv"):
        f = by_test.get(int(r["frontal_test_no"]))
        if f is not None:
            assert abs(f["curb_mass_kg"] - float(r["curb_mass_kg"])) <= 1.0, r["vehicle"]


def test_population_filter():
    """P keeps Valid, rigid wall, 0 deg, 55.0-57.5 km/h (ends included) and a curb
    within the range (ends included); each other row is left out for its one reason;
    without a range, the curb is not asked for."""
    keep = [_row(nhtsa_test_no=1), _row(nhtsa_test_no=2, speed_kmh=55.0, curb_mass_kg=900.0),
            _row(nhtsa_test_no=3, speed_kmh=57.5, curb_mass_kg=1800.0)]
    drop = [_row(nhtsa_test_no=4, source_quality="Outlier"),
            _row(nhtsa_test_no=5, crash_type="VEHICLE INTO VEHICLE"),
            _row(nhtsa_test_no=6, angle_deg=30.0),
            _row(nhtsa_test_no=7, speed_kmh=54.9), _row(nhtsa_test_no=8, speed_kmh=57.6),
            _row(nhtsa_test_no=9, curb_mass_kg=899.0),
            _row(nhtsa_test_no=10, curb_mass_kg=1801.0)]
    nocurb = _row(nhtsa_test_no=11, curb_mass_kg=math.nan, make="")
    pop = fp.fleet_population(keep + drop + [nocurb], (900.0, 1800.0))
    assert [r["nhtsa_test_no"] for r in pop] == [1, 2, 3]
    whole = fp.fleet_population(keep + drop + [nocurb], None)
    assert [r["nhtsa_test_no"] for r in whole] == [1, 2, 3, 9, 10, 11]


def test_band_percentiles_on_a_tiny_fixture():
    """Five tests with peaks 30, 40, 50, 60, 100 g: the 2.5th percentile lies 0.1 of the
    way from 30 to 40 (rank 0.025 x 4 = 0.1), the 97.5th 0.9 of the way from 60 to 100
    (rank 3.9); ESW from each test's speed and crush, V^2 / (2 C)."""
    peaks = [30.0, 40.0, 50.0, 60.0, 100.0]
    crush = [800.0, 700.0, 600.0, 500.0, 400.0]
    pop = [_row(nhtsa_test_no=i, peak_decel_g=p, max_dynamic_crush_mm=c)
           for i, (p, c) in enumerate(zip(peaks, crush, strict=True), start=1)]
    b = fp.fleet_band(pop)
    assert b["n"] == 5
    assert b["peak"] == pytest.approx((31.0, 96.0, 30.0, 100.0))
    v = (56.3 / 3.6) ** 2 / 2.0 / 9.80665
    esw = sorted(v / (c / 1000.0) for c in crush)
    assert esw[0] == pytest.approx(esw_decel_g(56.3, 800.0))
    lo = esw[0] + 0.1 * (esw[1] - esw[0])
    hi = esw[3] + 0.9 * (esw[4] - esw[3])
    assert b["esw"] == pytest.approx((lo, hi, esw[0], esw[-1]))
    assert fp.percentile_of(45.0, peaks) == pytest.approx(40.0)
    assert fp.percentile_of(50.0, peaks) == pytest.approx(50.0)
    assert fp.percentile_of(101.0, peaks) == 100.0


def test_judge_applies_the_three_conditions_and_the_floor():
    """(i) every ESW within, (ii) >= 90 % of peaks within the percentile band, (iii) no
    peak outside the min-max; void below 40 tests whatever the counts."""
    band = {"n": 40, "esw": (15.0, 30.0, 12.0, 33.0), "peak": (30.0, 60.0, 25.0, 90.0)}
    ok = [{"esw_g": 20.0, "peak_g": 40.0}] * 9 + [{"esw_g": 20.0, "peak_g": 80.0}]
    assert fp.judge(band, ok)["verdict"] == "met"
    two_out = ok[:8] + [{"esw_g": 20.0, "peak_g": 80.0}] * 2
    assert fp.judge(band, two_out)["checks"] == {"i": True, "ii": False, "iii": True}
    assert fp.judge(band, ok[:9] + [{"esw_g": 31.0, "peak_g": 40.0}])["verdict"] == "not met"
    assert fp.judge(band, ok[:9] + [{"esw_g": 20.0, "peak_g": 91.0}])["checks"]["iii"] is False
    assert fp.judge({**band, "n": 39}, ok)["verdict"] == "void"


def test_shipped_band_numbers():
    """The bands as docs/crash.md quotes them: the whole fleet (no curb filter) 581 tests,
    peak p2.5-p97.5 30.0-61.9 g (26.0-93.9), ESW 13.6-23.8 g; P from the ratings rows
    read (curb 890-1,844 kg): 181 tests since the MY2012 / MY2011 rows of task s36c (127 after the
    MY2013 / MY2019 rows of task s35a, 106 before), peak 32.0-63.5 g (29.1-88.0), ESW
    14.0-23.9 g."""
    w = fp.fleet_band(fp.fleet_population(ROWS, None))
    assert w["n"] == 581
    assert np.round(w["peak"], 1).tolist() == [30.0, 61.9, 26.0, 93.9]
    assert np.round(w["esw"][:2], 1).tolist() == [13.6, 23.8]
    p = fp.fleet_band(fp.fleet_population(ROWS, (890.0, 1844.0)))
    assert p["n"] == 181 >= fp.MIN_TESTS
    assert np.round(p["peak"], 1).tolist() == [32.0, 63.5, 29.1, 88.0]
    assert np.round(p["esw"][:2], 1).tolist() == [14.0, 23.9]


@pytest.mark.parametrize(("col", "value", "said"), [
    ("peak_decel_g", "4O.1", "peak_decel_g = '4O.1'"),
    ("speed_kmh", "56,3", "speed_kmh = '56,3'"),
    ("source_quality", "valid", "source_quality = 'valid'"),
    ("nhtsa_test_no", "6945", "repeated"),
    ("curb_mass_kg", "1200", "curb_mass_kg = 1200"),
    ("model_year", "15", "model_year = '15'"),
])
def test_bad_row_one_clear_error(tmp_path, col, value, said):
    """A bad cell of a Valid row: one InputError naming the file, line and test."""
    def edit(raw):
        i = next(k for k, r in enumerate(raw) if r["make"] == "FORD")   # 6996, Fiesta
        raw[i][col] = value
    with pytest.raises(InputError, match=r"fleet\.csv line \d+: test \d+: .*") as exc:
        fp.fleet_pulse_rows(_write(tmp_path, edit))
    assert said in str(exc.value)


def test_half_a_vehicle_and_blank_figures_refused(tmp_path):
    """A vehicle must be whole (make, model, year) and a Valid row's crush given."""
    def no_model(raw):
        raw[[r["make"] for r in raw].index("FORD")]["model"] = ""

    def no_crush(raw):
        raw[0]["max_dynamic_crush_mm"] = ""
    with pytest.raises(InputError, match="all given or all blank"):
        fp.fleet_pulse_rows(_write(tmp_path, no_model))
    with pytest.raises(InputError, match="blank only where source_quality is not Valid"):
        fp.fleet_pulse_rows(_write(tmp_path, no_crush))


def test_header_checked(tmp_path):
    path = tmp_path / "fleet.csv"
    path.write_text("test,peak\n1,40\n", encoding="utf-8")
    with pytest.raises(InputError, match="header"):
        fp.fleet_pulse_rows(path)
