"""data/crash/ncap_ratings_outside_fit.csv and the rule of keidesign.validation.ncap_outside
(issue 14, task s44e): the file's columns and ranges, no row of the 17 fit cars, every row
one that safercar_frontal_extract.csv located, the copy checked by NHTSA's curves; the
selection rule and the summary on small hand-made inputs."""

from __future__ import annotations

import csv
import math

import pytest

from keidesign.errors import InputError
from keidesign.validation import ncap_outside as no
from keidesign.validation import own_tests as ot


@pytest.fixture(scope="module")
def rows():
    return no.rating_rows()


def _raw():
    with open(no._data("ncap_ratings_outside_fit.csv"), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write(tmp_path, rows):
    path = tmp_path / "ratings.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, no.COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


def test_columns_and_ranges(rows):
    assert tuple(_raw()[0]) == no.COLUMNS
    assert len(rows) == 53
    for r in rows:
        assert no.FIRST_YEAR <= r["MODEL_YR"] <= 2026
        assert all(1 <= r[c] <= 5 for c in no.FRONTAL_STARS)
        assert all(r[c] is None or 1 <= r[c] <= 5 for c in no.SIDE_STARS)
        assert 1000 <= r["CURB_WEIGHT"] <= 9000
        assert r["status"] == "R" and r["read_in"].startswith("read 8 Dec 2026 (task s44e)")
        assert f"MY{r['MODEL_YR']} listing" in r["read_in"]


def test_no_row_is_a_fit_car(rows):
    """No frontal test of the file fitted the dummy constants, and no row is one of the
    17 cars' ratings rows (make, model, year and body of ncap_ratings.csv's source)."""
    fit = no.fit_tests()
    assert len(fit["frontal"]) == 17
    assert not {r["FRNT_TEST_NO"] for r in rows} & fit["frontal"]
    with open(no._data("ncap_ratings.csv"), encoding="utf-8", newline="") as f:
        sources = [r["source"] for r in csv.DictReader(f)]
    for r in rows:
        key = (f"MAKE={r['MAKE']}, MODEL={r['MODEL']}, MODEL_YR={r['MODEL_YR']}, "
               f"BODY_STYLE={r['BODY_STYLE']})")
        assert not any(key in s for s in sources), key


def test_rows_are_the_extracts_rows(rows):
    """Each row is one safercar_frontal_extract.csv located: same make, model, year,
    body, frontal test and curb (and drive train where the extract gives one)."""
    extract = ot.extract_rows()
    for r in rows:
        match = [e for e in extract if (e["MAKE"], e["MODEL"], e["MODEL_YR"], e["BODY_STYLE"],
                                        e["FRNT_TEST_NO"], e["CURB_WEIGHT"])
                 == (r["MAKE"], r["MODEL"], str(r["MODEL_YR"]), r["BODY_STYLE"],
                     str(r["FRNT_TEST_NO"]), str(r["CURB_WEIGHT"]))]
        assert match, (r["MAKE"], r["MODEL"], r["MODEL_YR"])
        assert any(e["DRIVE_TRAIN"] in ("", r["DRIVE_TRAIN"]) for e in match)


def test_measured_readings_give_the_published_stars(rows):
    """NHTSA's curves and bands give each row's published frontal stars from its own
    dummy readings (a check of the copy: a star or a reading mistyped breaks it)."""
    with_readings = [r for r in rows if r["measured"] is not None]
    assert len(with_readings) == 51
    for r in with_readings:
        assert no.measured_stars(r["measured"]) == {
            "driver": r["FRNT_DRIV_STARS"], "passenger": r["FRNT_PASS_STARS"],
            "vehicle": r["OVERALL_FRNT_STARS"]}, (r["MAKE"], r["MODEL"], r["MODEL_YR"])


@pytest.mark.parametrize("field, value, message", [
    ("FRNT_PASS_STARS", "6", "FRNT_PASS_STARS = '6'; allowed: an integer 1-5"),
    ("MODEL_YR", "2009", "MODEL_YR = '2009'; allowed: an integer 2011-2026"),
    ("BODY_STYLE", "SEDAN", "BODY_STYLE = 'SEDAN'"),
    ("SIDE_TEST_NO", "", "SIDE_TEST_NO is blank but OVERALL_SIDE_STARS"),
    ("NIJ_PASS", "", "NIJ_PASS = ''; allowed: a number 0-3"),
    ("CHEST_DEFL_DRIV", "250", "CHEST_DEFL_DRIV = '250'; allowed: a number 0-100"),
    ("status", "V", "status = 'V'; allowed: R"),
])
def test_bad_cells_are_refused(tmp_path, field, value, message):
    raw = _raw()
    row = next(r for r in raw if r["NIJ_PASS"] and r["OVERALL_SIDE_STARS"])
    bad = {**row, field: value}
    with pytest.raises(InputError, match="line 2: " + message.replace("(", r"\(")):
        no.rating_rows(_write(tmp_path, [bad]))


def test_repeated_row_is_refused(tmp_path):
    row = _raw()[0]
    with pytest.raises(InputError, match="line 3: .* repeated"):
        no.rating_rows(_write(tmp_path, [row, row]))


def _rating(make, model, year, body, test, side_test=500, pole_test=600, stars=(5, 4, 4),
            side=5):
    return {"MAKE": make, "MODEL": model, "MODEL_YR": year, "BODY_STYLE": body,
            "FRNT_TEST_NO": test, "FRNT_DRIV_STARS": stars[0], "FRNT_PASS_STARS": stars[1],
            "OVERALL_FRNT_STARS": stars[2], "SIDE_TEST_NO": side_test,
            "POLE_TEST_NO": pole_test, "OVERALL_SIDE_STARS": side}


def test_select_takes_the_rules_row():
    """Earliest model year, then lowest test; rows of fit tests, before 2011, outside the
    generation's years, of another body or of an excluded generation are not taken; the
    side figure is dropped when its side test fitted the constants."""
    names = [{"generation": "G", "ratings_make": "ACME", "ratings_model": "ONE",
              "bodies": ("4 DR",)},
             {"generation": "H", "ratings_make": "ACME", "ratings_model": "TWO",
              "bodies": ("5 HB",)},
             {"generation": "X", "ratings_make": "ACME", "ratings_model": "ONE",
              "bodies": ("4 DR",)}]
    years = {"G": (2010, 2016), "H": (2012, 2020), "X": (2011, 2016)}
    fit = {"frontal": {100}, "side": {900}, "pole": set()}
    ratings = [_rating("ACME", "ONE", 2010, "4 DR", 50),          # before 2011
               _rating("ACME", "ONE", 2011, "4 DR", 100),         # a fit test
               _rating("ACME", "ONE", 2013, "4 DR", 300, side=3),
               _rating("ACME", "ONE", 2012, "5 HB", 200),         # another body
               _rating("ACME", "ONE", 2013, "4 DR", 250, side=2),
               _rating("ACME", "TWO", 2011, "5 HB", 400),         # outside H's years
               _rating("ACME", "TWO", 2014, "5 HB", 410, side_test=900)]
    sel = no.select(ratings, names, years, {"X"}, fit)
    assert set(sel) == {"G", "H"}
    assert sel["G"]["row"]["FRNT_TEST_NO"] == 250 and sel["G"]["side"] == 2
    assert sel["G"]["candidates"] == [(2013, 250), (2013, 300)]
    assert sel["H"]["row"]["FRNT_TEST_NO"] == 410 and sel["H"]["side"] is None


def test_summary_counts_and_distinct_tests():
    def row(car, test, pub, model):
        return {"car": car, "test": test,
                "published": dict(zip(no.SEATS, pub, strict=True)),
                "model": dict(zip(no.SEATS, model, strict=True))}

    rows = [row("A", 1, (5, 4, 4, 5), (5, 4, 4, 5)),
            row("B", 1, (5, 4, 4, 5), (5, 4, 5, 5)),
            row("C", 2, (3, 2, 3, None), (5, 4, 4, 5))]
    s = no.summary(rows)
    assert s["driver"] == {"n": 3, "within": 2, "exact": 2, "bias": pytest.approx(2 / 3)}
    assert s["side"]["n"] == 2 and s["side"]["within"] == 2
    d = no.summary(rows, distinct=True)
    assert d["vehicle"] == {"n": 2, "within": 2, "exact": 1, "bias": pytest.approx(0.5)}
    assert math.isnan(no.summary([])["side"]["bias"])


def test_predicted_stars_bands_the_seat_risks():
    """Seat stars are the NCAP bands of the seat risk / 0.15; vehicle and side stars are
    the model's outputs."""
    outputs = {"crash:ncap:frontal:driver_risk": [0.05],      # 0.33: 5 stars
               "crash:ncap:frontal:passenger_risk": [0.18],   # 1.2: 3 stars
               "crash:ncap:frontal:stars": [4.0], "crash:ncap:side:stars": [5.0]}
    assert no.predicted_stars(outputs) == {"driver": 5, "passenger": 3, "vehicle": 4,
                                           "side": 5}
