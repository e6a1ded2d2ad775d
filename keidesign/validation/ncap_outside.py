"""US NCAP stars of certified cars outside the dummy fit (issue 14, task s44e; docs/crash.md,
"NCAP stars on certified cars outside the fit").

The eight frontal dummy constants and the side constants of
:mod:`keidesign.crash.occupant` / :mod:`keidesign.crash.side_occupant` are fitted on the
17 cars of ``data/crash/ncap_ratings.csv``. This module compares the shipped model's
stars with NHTSA's published ratings of certified generations that are *not* among
them and whose dummy readings were never used. Nothing is fitted here.

**Ratings** (:func:`rating_rows`): ``data/crash/ncap_ratings_outside_fit.csv``, the rows
of NHTSA's 5-Star ratings flat file the rule below picks (status R; columns as NHTSA's
data dictionary names them).

**The rule** (written in docs/crash.md before any of these ratings was read;
:func:`select`): a certified generation (a ``make model generation`` of
``data/vehicles/us_specs.csv``) that is none of the 17 fit generations
(:data:`keidesign.validation.ncap.NCAP_MATCH`) takes the ratings rows whose ``MAKE`` and
``MODEL`` are one of its names in ``ratings_generation_names.csv``, whose ``BODY_STYLE``
is one of that name's bodies and whose ``MODEL_YR`` lies within the generation's model
years and is 2011 or later (the 2011 protocol), with a frontal test and all three frontal
stars published; a row whose frontal test is one of the 17 cars' is dropped. Of the rest:
the earliest model year, then the lowest frontal test number, then the file's order. The
side figure is that row's ``OVERALL_SIDE_STARS`` unless it is blank or its side MDB or pole
test is one of the 17 cars'.

**Prediction** (:func:`predicted_stars`): the ``fmvss`` evaluation of the imported
generation, the path of the Known outcomes (:func:`keidesign.validation.crash.certified_cars`):

    driver    = band(P_m50 / 0.15)        passenger = band(P_f05 / 0.15)
    vehicle   = crash:ncap:frontal:stars  (band of (P_m50 + P_f05) / 2 / 0.15)
    side      = crash:ncap:side:stars

with P the joint AIS3+ risk of the seat (``crash:ncap:frontal:driver_risk``,
``passenger_risk``) and band the NCAP star bands
(:func:`keidesign.crash.occupant.stars`). Assumptions: the ratings row's body and model
year identify the tested car's generation; a trim the ratings file does not list apart
shares its model's rating; the first row of a generation in ``us_specs.csv`` stands for
the generation (as in the Known outcomes). Validity: the certified small cars of
``us_specs.csv`` rated under the 2011 protocol.
"""

from __future__ import annotations

import csv
import re
from importlib import resources
from pathlib import Path

import numpy as np

from keidesign.crash import occupant as occ
from keidesign.errors import InputError
from keidesign.validation import fleet_pulses as fp
from keidesign.validation import own_tests as ot

__all__ = ["COLUMNS", "DUMMY_COLUMNS", "FRONTAL_STARS", "SIDE_STARS", "SEATS", "FIRST_YEAR",
           "rating_rows", "measured_stars", "criterion_risks", "fit_tests", "fit_generations",
           "select", "predicted_stars", "compare", "summary", "evaluate"]

#: the columns of ``ncap_ratings_outside_fit.csv``, in order (NHTSA's names, then ours)
COLUMNS = ("MAKE", "MODEL", "MODEL_YR", "BODY_STYLE", "DRIVE_TRAIN", "PRODUCTION_RELEASE",
           "FRNT_TEST_NO", "FRNT_DRIV_STARS", "FRNT_PASS_STARS", "OVERALL_FRNT_STARS",
           "CURB_WEIGHT", "HIC15_DRIV", "CHEST_DEFL_DRIV", "LEFT_FEMUR_DRIV",
           "RIGHT_FEMUR_DRIV", "NIJ_DRIV", "HIC15_PASS", "CHEST_DEFL_PASS", "LEFT_FEMUR_PASS",
           "RIGHT_FEMUR_PASS", "NIJ_PASS", "SIDE_TEST_NO", "SIDE_DRIV_STARS", "SIDE_PASS_STARS",
           "SIDE_BARRIER_STAR", "COMB_FRNT_STAR", "COMB_REAR_STAR", "OVERALL_SIDE_STARS",
           "POLE_TEST_NO", "SIDE_POLE_STARS", "OVERALL_STARS", "read_in", "status")
#: the frontal star columns every row gives (driver, passenger, vehicle)
FRONTAL_STARS = ("FRNT_DRIV_STARS", "FRNT_PASS_STARS", "OVERALL_FRNT_STARS")
#: the other star columns (blank: not rated)
SIDE_STARS = ("SIDE_DRIV_STARS", "SIDE_PASS_STARS", "SIDE_BARRIER_STAR", "COMB_FRNT_STAR",
              "COMB_REAR_STAR", "OVERALL_SIDE_STARS", "SIDE_POLE_STARS", "OVERALL_STARS")
#: the frontal test's dummy readings (all given or all blank) and their refusal ranges:
#: HIC15 (-), chest deflection (mm), femur forces (N), Nij (-); per dummy the columns of
#: :data:`keidesign.crash.occupant.CRITERIA` (head, deflection, Nij, femur = the larger leg)
DUMMY_COLUMNS = {"m50": ("HIC15_DRIV", "CHEST_DEFL_DRIV", "NIJ_DRIV", "LEFT_FEMUR_DRIV",
                         "RIGHT_FEMUR_DRIV"),
                 "f05": ("HIC15_PASS", "CHEST_DEFL_PASS", "NIJ_PASS", "LEFT_FEMUR_PASS",
                         "RIGHT_FEMUR_PASS")}
DUMMY_RANGES = {"HIC15": (0.0, 5000.0), "CHEST_DEFL": (0.0, 100.0), "NIJ": (0.0, 3.0),
                "FEMUR": (0.0, 20000.0)}
#: the test-number columns (frontal always; side MDB and pole blank when not rated)
TEST_COLUMNS = ("FRNT_TEST_NO", "SIDE_TEST_NO", "POLE_TEST_NO")
#: the figures reported, in order
SEATS = ("driver", "passenger", "vehicle", "side")
#: the first model year of the 2011 NCAP protocol
FIRST_YEAR = 2011
#: refusal ranges: model year, curb weight (lb)
YEAR_RANGE = (FIRST_YEAR, 2026)
CURB_RANGE_LB = (1000, 9000)
_NAME = re.compile(r"[A-Z0-9][A-Z0-9 .\-/]*")


def _data(name: str) -> Path:
    return Path(str(resources.files("keidesign") / "data" / "crash" / name))


def _int_cell(where: str, field: str, text: str, lo: int, hi: int, blank: bool = False):
    text = (text or "").strip()
    if blank and not text:
        return None
    if not text.isdigit() or not lo <= int(text) <= hi:
        allowed = f"an integer {lo}-{hi}" + (" or blank" if blank else "")
        raise InputError(f"{where}: {field} = {text!r}; allowed: {allowed}")
    return int(text)


def rating_rows(path: Path | None = None) -> list[dict]:
    """The rows of ``data/crash/ncap_ratings_outside_fit.csv`` (``path``: another file of
    its columns), read strictly: the header must be :data:`COLUMNS`; make and model in the
    ratings file's upper-case letters; ``MODEL_YR`` in :data:`YEAR_RANGE`; ``BODY_STYLE``
    one of :data:`keidesign.validation.own_tests.BODY_STYLES`; the three frontal stars
    1-5; the other stars 1-5 or blank; test numbers positive integers (side and pole
    blank only with their stars blank); ``CURB_WEIGHT`` in :data:`CURB_RANGE_LB` lb;
    ``status`` R; no (make, model, year, body) twice. Any bad row: one
    :class:`InputError` naming the file, line, field, value and what is allowed. Stars
    and test numbers are returned as ints (None for blank)."""
    path = _data("ncap_ratings_outside_fit.csv") if path is None else Path(path)
    out, seen = [], set()
    for line, r in enumerate(fp.read_with_header(path, COLUMNS), start=2):
        where = f"{path.name} line {line}"
        for col in ("MAKE", "MODEL"):
            if not _NAME.fullmatch(r[col] or ""):
                raise InputError(f"{where}: {col} = {r[col]!r}; allowed: the ratings file's "
                                 "upper-case make or model")
        row = dict(r)
        row["MODEL_YR"] = _int_cell(where, "MODEL_YR", r["MODEL_YR"], *YEAR_RANGE)
        if r["BODY_STYLE"] not in ot.BODY_STYLES:
            raise InputError(f"{where}: BODY_STYLE = {r['BODY_STYLE']!r}; allowed: one of "
                             f"{', '.join(ot.BODY_STYLES)}")
        for col in FRONTAL_STARS:
            row[col] = _int_cell(where, col, r[col], 1, 5)
        for col in SIDE_STARS:
            row[col] = _int_cell(where, col, r[col], 1, 5, blank=True)
        row["FRNT_TEST_NO"] = _int_cell(where, "FRNT_TEST_NO", r["FRNT_TEST_NO"], 1, 99999)
        for col, stars in (("SIDE_TEST_NO", "OVERALL_SIDE_STARS"),
                           ("POLE_TEST_NO", "SIDE_POLE_STARS")):
            row[col] = _int_cell(where, col, r[col], 1, 99999, blank=True)
            if row[col] is None and row[stars] is not None:
                raise InputError(f"{where}: {col} is blank but {stars} = {row[stars]}; "
                                 "allowed: the test number of a rated test")
        row["CURB_WEIGHT"] = _int_cell(where, "CURB_WEIGHT", r["CURB_WEIGHT"], *CURB_RANGE_LB)
        row["measured"] = _dummies(where, r)
        if r["status"] != "R":
            raise InputError(f"{where}: status = {r['status']!r}; allowed: R")
        key = (r["MAKE"], r["MODEL"], row["MODEL_YR"], r["BODY_STYLE"])
        if key in seen:
            raise InputError(f"{where}: {' '.join(map(str, key))} repeated; allowed: one row "
                             "per make, model, model year and body")
        seen.add(key)
        out.append(row)
    return out


def _dummies(where: str, r: dict) -> dict | None:
    """The measured dummy values of a row, ``{dummy: {criterion: value}}`` (femur: the
    larger leg, kN), or None when all ten cells are blank."""
    cols = [c for cs in DUMMY_COLUMNS.values() for c in cs]
    if all(not (r[c] or "").strip() for c in cols):
        return None
    vals = {}
    for c in cols:
        lo, hi = DUMMY_RANGES[next((k for k in DUMMY_RANGES if c.startswith(k)), "FEMUR")]
        try:
            vals[c] = float(r[c])
        except ValueError:
            vals[c] = float("nan")
        if not lo <= vals[c] <= hi:
            raise InputError(f"{where}: {c} = {r[c]!r}; allowed: a number {lo:g}-{hi:g} "
                             "(all ten dummy readings given, or all blank)")
    return {d: {"head": vals[h], "deflection": vals[c], "nij": vals[n],
                "femur": max(vals[fl], vals[fr]) / 1e3}
            for d, (h, c, n, fl, fr) in DUMMY_COLUMNS.items()}


def measured_stars(measured: dict) -> dict[str, int]:
    """Driver, passenger and vehicle stars of measured dummy values (NHTSA's curves and
    bands, :func:`keidesign.validation.ncap.star_table`'s check): the readings of a row
    must reproduce its published stars."""
    from keidesign.validation.ncap import _rate

    return _rate({d: {"hic15": m["head"], "deflection": m["deflection"], "nij": m["nij"],
                      "femur": m["femur"]} for d, m in measured.items()})


def criterion_risks(dummy: str, resp: dict) -> dict[str, float]:
    """The AIS3+ risk of each criterion alone (head, chest, neck, femur) of one dummy's
    responses ``resp`` (HIC15, mm, Nij, kN: keys of :data:`keidesign.crash.occupant.CRITERIA`),
    the four factors of :func:`keidesign.crash.occupant.seat_risk`."""
    zero = {"head": 1e-9, "deflection": 1e-9, "nij": -10.0, "femur": -20.0}
    out = {}
    for crit in occ.CRITERIA:
        args = {k: (resp[k] if k == crit else zero[k]) for k in occ.CRITERIA}
        base = float(occ.seat_risk(dummy, zero["head"], zero["deflection"], zero["nij"],
                                   zero["femur"]))
        p = float(occ.seat_risk(dummy, args["head"], args["deflection"], args["nij"],
                                args["femur"]))
        out[crit] = p - base
    return out


def fit_tests() -> dict[str, set[int]]:
    """The NHTSA test numbers whose dummy readings fitted the constants: the frontal, side
    MDB and pole tests of the 17 cars of ``data/crash/ncap_ratings.csv`` with a us_specs
    generation (:data:`keidesign.validation.ncap.NCAP_MATCH`; the file's 18th car has
    none and fits nothing)."""
    from keidesign.validation.ncap import NCAP_MATCH

    with open(_data("ncap_ratings.csv"), encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["vehicle"] in NCAP_MATCH]
    return {kind: {int(r[f"{kind}_test_no"]) for r in rows if r[f"{kind}_test_no"].strip()}
            for kind in ("frontal", "side", "pole")}


def fit_generations() -> set[str]:
    """The car labels of the 17 fit generations
    (:data:`keidesign.validation.ncap.NCAP_MATCH`)."""
    from keidesign.validation.ncap import NCAP_MATCH
    from keidesign.vehiclenames import car_label

    return {car_label(*key) for key in NCAP_MATCH.values()}


def select(ratings: list[dict], names: list[dict], years: dict[str, tuple[int, int]],
           excluded: set[str], fit: dict[str, set[int]]) -> dict[str, dict]:
    """The rule of the module docstring: ``{generation: {"row", "side" (the side stars
    compared, or None), "candidates" (every (model year, frontal test) admitted)}}`` for
    the generations of ``years`` not in ``excluded`` that a row of ``ratings`` names.
    ``names``: :func:`keidesign.validation.own_tests.name_table`; ``fit``:
    :func:`fit_tests`."""
    by_name: dict[tuple[str, str], list[dict]] = {}
    for n in names:
        by_name.setdefault((n["ratings_make"], n["ratings_model"]), []).append(n)
    cands: dict[str, list[tuple[int, int, int, dict]]] = {}
    for order, r in enumerate(ratings):
        my, test = r["MODEL_YR"], r["FRNT_TEST_NO"]
        if my < FIRST_YEAR or not test or test in fit["frontal"]:
            continue
        if any(r[c] is None for c in FRONTAL_STARS):
            continue
        for n in by_name.get((r["MAKE"], r["MODEL"]), []):
            gen, span = n["generation"], years.get(n["generation"])
            if gen in excluded or span is None or r["BODY_STYLE"] not in n["bodies"]:
                continue
            if span[0] <= my <= span[1]:
                cands.setdefault(gen, []).append((my, test, order, r))
    out = {}
    for gen, c in cands.items():
        my, test, _, row = min(c, key=lambda x: x[:3])
        used = (row["SIDE_TEST_NO"] in fit["side"] or row["POLE_TEST_NO"] in fit["pole"])
        out[gen] = {"row": row, "side": None if used else row["OVERALL_SIDE_STARS"],
                    "candidates": sorted({(m, t) for m, t, _, _ in c})}
    return out


def _first_value(outputs: dict):
    """``key -> float`` of an evaluation's outputs (first case, real part)."""
    def val(key: str) -> float:
        return float(np.real(np.ravel(outputs[key])[0]))
    return val


def predicted_stars(outputs: dict) -> dict[str, int]:
    """Driver, passenger, vehicle and side stars of an evaluation's ``outputs`` (the
    equations of the module docstring)."""
    val = _first_value(outputs)

    band = {s: int(occ.stars(np.array([val(f"crash:ncap:frontal:{s}_risk")
                                       / occ.NCAP_BASELINE]))[0])
            for s in ("driver", "passenger")}
    return {**band, "vehicle": int(round(val("crash:ncap:frontal:stars"))),
            "side": int(round(val("crash:ncap:side:stars")))}


def compare(selected: dict[str, dict], predicted: dict[str, dict]) -> list[dict]:
    """One row per generation of both: the row's published stars (``side`` None when the
    rule gives none), the predicted and the rating row's identity; sorted by name."""
    rows = []
    for gen in sorted(set(selected) & set(predicted)):
        s, r = selected[gen], selected[gen]["row"]
        pub = {"driver": r["FRNT_DRIV_STARS"], "passenger": r["FRNT_PASS_STARS"],
               "vehicle": r["OVERALL_FRNT_STARS"], "side": s["side"]}
        rows.append({"car": gen, "published": pub, "model": predicted[gen]["stars"],
                     "test": r["FRNT_TEST_NO"], "model_year": r["MODEL_YR"],
                     "rating": f"{r['MAKE']} {r['MODEL']} {r['MODEL_YR']} {r['BODY_STYLE']}",
                     "measured": r["measured"], "curb_lb": r["CURB_WEIGHT"],
                     "side_seats": {"driver": r["SIDE_DRIV_STARS"], "rear": r["SIDE_PASS_STARS"],
                                    "pole": r["SIDE_POLE_STARS"]},
                     "extra": predicted[gen].get("extra", {})})
    return rows


def summary(rows: list[dict], distinct: bool = False) -> dict[str, dict]:
    """Per figure of :data:`SEATS`: ``n``, ``within`` (|model - published| <= 1),
    ``exact`` and ``bias`` (mean model - published, stars; NaN for none). ``distinct``:
    one row per frontal test (the first by car name), a rating shared by several
    generations counted once."""
    if distinct:
        seen, kept = set(), []
        for r in sorted(rows, key=lambda x: x["car"]):
            if r["test"] not in seen:
                seen.add(r["test"])
                kept.append(r)
        rows = kept
    out = {}
    for s in SEATS:
        d = [r["model"][s] - r["published"][s] for r in rows if r["published"][s] is not None]
        out[s] = {"n": len(d), "within": sum(abs(x) <= 1 for x in d),
                  "exact": sum(x == 0 for x in d),
                  "bias": sum(d) / len(d) if d else float("nan")}
    return out


def evaluate(selected: dict[str, dict]) -> tuple[dict[str, dict], list[tuple[str, str]]]:
    """The shipped model's stars of each selected generation through the Known outcomes'
    evaluation (:func:`keidesign.validation.crash._evaluate`, first us_specs row of the
    generation): ``({generation: {"stars", "extra"}}, [(generation, reason not
    imported)])``. ``extra``: the occupant's 3 ms deceleration (g), HIC15, the seat risks
    and the pulse's 3 ms peak (g), for the report."""
    from keidesign.specs import sources
    from keidesign.validation import crash as cv

    out, skipped, seen = {}, [], set()
    for vr in sources.vehicle_rows("us_specs"):
        name = cv.car_name(vr.row)
        if name in seen or name not in selected:
            continue
        seen.add(name)
        try:
            _, _, ev = cv._evaluate(vr)
        except InputError as exc:
            skipped.append((name, str(exc)))
            continue
        o = ev.outputs
        val = _first_value(o)
        out[name] = {"stars": predicted_stars(o), "extra": {
            "a3ms": val("crash:front:chest_accel_3ms"),
            "a3ms_g": val("crash:front:chest_accel_3ms") / cv.G,
            "hic_occ": val("crash:front:occupant_hic15"),
            "peak_g": val("crash:front:peak_decel") / cv.G,
            "risk_driver": val("crash:ncap:frontal:driver_risk"),
            "risk_passenger": val("crash:ncap:frontal:passenger_risk")}}
    return out, skipped
