"""Each certified generation against its own US NCAP frontal test (issue 14, deliverables
1-2; docs/crash.md, "Each certified car against its own NCAP test").

**The map** (:func:`own_tests`; the rule written in ``data/crash/README.md``,
"``ratings_generation_names.csv`` and the own-test map", before any model-vs-test figure
of a newly mapped test was seen). A row of NHTSA's 5-Star ratings file that was read
(``data/crash/safercar_frontal_extract.csv``: ``MAKE, MODEL, MODEL_YR, BODY_STYLE,
FRNT_TEST_NO``) names a certified generation (a ``make model generation`` of
``data/vehicles/us_specs.csv``) when (1) its make and model are one of the generation's
names in ``data/crash/ratings_generation_names.csv``, (2) its body style is one of that
name's ``body_styles``, (3) its model year lies within the generation's ``model_years``
and (4) its frontal test is a test of ``data/crash/ncap_fleet_pulses.csv`` at the fleet
population's configuration and speed (:func:`keidesign.validation.fleet_pulses.at_speed`:
``Valid``, VEHICLE INTO BARRIER, 0 deg, 55.0-57.5 km/h). One test per generation: the
earliest model year, then the lowest test number.

**The comparison** (:func:`compare`): per generation, with C the maximum dynamic crush
(mm), V the impact speed and ESW = V^2 / (2 C) / g0 (g,
:func:`keidesign.crash.validation.esw_decel_g`)::

    e_C = C_model / C_test - 1      e_E = ESW_model / ESW_test - 1
    e_P = a_model / a_test - 1      (a_model: 3 ms moving-average peak; a_test: CFC 60 peak)

(the model's pulse reduced at CFC 60 as the tests' is moves a_model by -6 / +1.4 % and the
summaries by a few tenths of a per cent: ``benchmarks/crash_probes.py cfc_peak``;
docs/crash.md, "The 3 ms peak against the test's CFC 60 peak, like with like")

the model's figures those of the certified evaluation at 56 km/h
(``crash:front:crush_required``, ``esw_decel``, ``peak_decel``); the test's at its own speed
(55.0-57.5 km/h; the model's ESW is not rescaled: a 1 km/h difference is a 3.6 % ESW
difference). :func:`summary` gives the pre-registered figures: mean and mean absolute
error of each, crush within :data:`CRUSH_BOUND`, ESW within :data:`ESW_BOUND`, peak within
:data:`PEAK_BOUND` of the test's.

**Held out** (:func:`fitted_tests`): the tests some fitted constant saw: the NCAP rows of
``ncap_frontal_pulses.csv`` that fitted the imported front's force per kg
(``keidesign.specs.build.FRONT_FORCE_FACTOR``; ``Valid``, with a us_specs generation, 55-58
km/h: :func:`keidesign.validation.crash.ncap_pulse_checks`' rows) and the engine-less
fronts' tests that fitted the class crush C* (``ENGINELESS_CLASS_CRUSH_MM``;
:func:`keidesign.validation.crash.engineless_front_rows`). A generation whose own test is
none of these is out of sample for every fitted constant.

Assumptions: the third-party reduction's crush and CFC 60 peak stand for NHTSA's (status
R, ``data/crash/README.md``); the ratings row's body and model year identify the tested
car's generation; a trim or engine the ratings file does not list apart shares its model's
test. Nothing here is fitted.
"""

from __future__ import annotations

import csv
import math
import re
from importlib import resources
from pathlib import Path

from keidesign.crash.validation import esw_decel_g
from keidesign.errors import InputError
from keidesign.validation import fleet_pulses as fp
from keidesign.vehiclenames import car_label

__all__ = ["CRUSH_BOUND", "ESW_BOUND", "PEAK_BOUND", "NAME_COLUMNS", "BODY_STYLES",
           "name_table", "generation_years", "own_tests", "compare", "summary",
           "fitted_tests", "extract_rows"]

#: the pre-registered bounds (relative errors): crush +/-15 % (the issue's target bound),
#: ESW +/-20 %, peak +/-25 % of the test's CFC 60 peak
CRUSH_BOUND, ESW_BOUND, PEAK_BOUND = 0.15, 0.20, 0.25
#: the columns of ``ratings_generation_names.csv``, in order
NAME_COLUMNS = ("us_specs_make", "us_specs_model", "us_specs_generation", "ratings_make",
                "ratings_model", "body_styles", "note")
#: the ratings file's body-style codes a name may list (``BODY_STYLE`` of
#: ``Safercar_data.csv``: sedan 4 DR, coupe 2 DR, hatchbacks 5 HB / 3 HB / 3C, SUV, station
#: wagon SW, convertible C, VAN)
BODY_STYLES = ("4 DR", "2 DR", "5 HB", "3 HB", "3C", "SUV", "SW", "C", "VAN")
_NAME = re.compile(r"[A-Z0-9][A-Z0-9 .\-/]*")


def _data(name: str) -> Path:
    return Path(str(resources.files("keidesign") / "data" / "crash" / name))


def name_table(path: Path | None = None, generations: set[str] | None = None) -> list[dict]:
    """The rows of ``data/crash/ratings_generation_names.csv`` (``path``: another file of
    its columns), read strictly: the header must be :data:`NAME_COLUMNS`; the us_specs
    make, model and generation given (and, if ``generations`` is given, naming one of
    them, as :func:`keidesign.vehiclenames.car_label` writes it); the ratings make and
    model in the ratings file's upper-case letters; ``body_styles`` a ``;``-list of
    :data:`BODY_STYLES`; no (generation, ratings make, model) twice. Any bad row: one
    :class:`InputError` naming the file, line, field, value and what is allowed. Each row
    is returned with ``generation`` (the car label) and ``bodies`` (a tuple)."""
    path = _data("ratings_generation_names.csv") if path is None else Path(path)
    raw = fp.read_with_header(path, NAME_COLUMNS)
    out, seen = [], set()
    for line, r in enumerate(raw, start=2):
        where = f"{path.name} line {line}"
        for col in NAME_COLUMNS[:3]:
            if not (r[col] or "").strip():
                raise InputError(f"{where}: {col} is blank; allowed: the us_specs.csv value")
        gen = car_label(r["us_specs_make"], r["us_specs_model"], r["us_specs_generation"])
        if generations is not None and gen not in generations:
            raise InputError(f"{where}: us_specs generation {gen!r} is not in us_specs.csv")
        for col in ("ratings_make", "ratings_model"):
            if not _NAME.fullmatch(r[col] or ""):
                raise InputError(f"{where}: {col} = {r[col]!r}; allowed: the ratings file's "
                                 "upper-case make or model")
        bodies = tuple(b.strip() for b in (r["body_styles"] or "").split(";"))
        bad = [b for b in bodies if b not in BODY_STYLES]
        if bad:
            raise InputError(f"{where}: body_styles = {r['body_styles']!r}; allowed: a ';'-list "
                             f"of {', '.join(BODY_STYLES)}")
        key = (gen, r["ratings_make"], r["ratings_model"])
        if key in seen:
            raise InputError(f"{where}: {gen} / {r['ratings_make']} {r['ratings_model']} "
                             "repeated; one row per name (list the bodies in body_styles)")
        seen.add(key)
        out.append({**r, "generation": gen, "bodies": bodies})
    return out


def generation_years() -> dict[str, tuple[int, int]]:
    """(first, last) model year of each us_specs generation (its ``model_years``, of the
    row :func:`keidesign.validation.crash.certified_cars` evaluates: the first); a single
    year is both."""
    from keidesign.specs import sources

    out: dict[str, tuple[int, int]] = {}
    for vr in sources.vehicle_rows("us_specs"):
        name = car_label(vr.row["make"], vr.row["model"], vr.row["generation"])
        if name in out:
            continue
        years = [int(y) for y in re.findall(r"(?:19|20)\d\d", vr.row.get("model_years") or "")]
        if years:
            out[name] = (years[0], years[-1])
    return out


def extract_rows(path: Path | None = None) -> list[dict]:
    """The ratings rows read (``data/crash/safercar_frontal_extract.csv``), in the file's
    order."""
    path = _data("safercar_frontal_extract.csv") if path is None else Path(path)
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def own_tests(ratings: list[dict], fleet: list[dict], names: list[dict],
              years: dict[str, tuple[int, int]]) -> dict[str, dict]:
    """The own-test map (the rule of the module docstring): ``{generation: {"test",
    "model_year", "ratings" (the row), "fleet" (the test's row of ``fleet``),
    "candidates" (every (model year, test) the rule admitted)}}``. ``ratings``: rows with
    ``MAKE, MODEL, MODEL_YR, BODY_STYLE, FRNT_TEST_NO``; ``fleet``:
    :func:`keidesign.validation.fleet_pulses.fleet_pulse_rows`; ``names``:
    :func:`name_table`; ``years``: :func:`generation_years`. Generations with no admitted
    row are absent."""
    tests = {r["nhtsa_test_no"]: r for r in fleet if fp.at_speed(r)}
    by_name: dict[tuple[str, str], list[dict]] = {}
    for n in names:
        by_name.setdefault((n["ratings_make"], n["ratings_model"]), []).append(n)
    cands: dict[str, list[tuple[int, int, dict]]] = {}
    for r in ratings:
        text = (r.get("FRNT_TEST_NO") or "").strip()
        if not text.isdigit() or int(text) not in tests:
            continue
        test, my = int(text), int(r["MODEL_YR"])
        for n in by_name.get((r["MAKE"].strip(), r["MODEL"].strip()), []):
            span = years.get(n["generation"])
            if r["BODY_STYLE"].strip() in n["bodies"] and span and span[0] <= my <= span[1]:
                cands.setdefault(n["generation"], []).append((my, test, r))
    out = {}
    for gen, c in cands.items():
        my, test, row = min(c, key=lambda x: (x[0], x[1]))
        out[gen] = {"test": test, "model_year": my, "ratings": row, "fleet": tests[test],
                    "candidates": sorted({(m, t) for m, t, _ in c})}
    return out


def compare(pulses: dict[str, dict], own: dict[str, dict],
            held_in: set[int] = frozenset()) -> list[dict]:
    """Model against own test, one row per generation of ``own`` that ``pulses`` holds
    (``{generation: {"crush_mm", "esw_g", "peak_g"}}``: the certified evaluation's 56 km/h
    figures): the test and its figures, the model's, the three relative errors and
    ``held_out`` (the test is not in ``held_in``, :func:`fitted_tests`); sorted by name."""
    rows = []
    for gen in sorted(own):
        if gen not in pulses:
            continue
        m, t = pulses[gen], own[gen]["fleet"]
        crush, peak, speed = t["max_dynamic_crush_mm"], t["peak_decel_g"], t["speed_kmh"]
        esw = esw_decel_g(speed, crush)
        rows.append({"car": gen, "test": own[gen]["test"], "model_year": own[gen]["model_year"],
                     "speed_kmh": speed, "crush_test_mm": crush, "esw_test_g": esw,
                     "peak_test_g": peak, "crush_model_mm": m["crush_mm"],
                     "esw_model_g": m["esw_g"], "peak_model_g": m["peak_g"],
                     "crush_error": m["crush_mm"] / crush - 1.0,
                     "esw_error": m["esw_g"] / esw - 1.0,
                     "peak_error": m["peak_g"] / peak - 1.0,
                     "held_out": own[gen]["test"] not in held_in})
    return rows


def summary(rows: list[dict]) -> dict:
    """The pre-registered figures of ``rows`` (:func:`compare`): ``n``; for ``crush``,
    ``esw`` and ``peak``: ``mean`` and ``mae`` of the relative errors and ``within`` (count
    within :data:`CRUSH_BOUND`, :data:`ESW_BOUND`, :data:`PEAK_BOUND`). Empty: NaNs and 0."""
    out: dict = {"n": len(rows)}
    for key, bound in (("crush", CRUSH_BOUND), ("esw", ESW_BOUND), ("peak", PEAK_BOUND)):
        e = [r[f"{key}_error"] for r in rows]
        out[key] = {"mean": sum(e) / len(e) if e else math.nan,
                    "mae": sum(abs(x) for x in e) / len(e) if e else math.nan,
                    "within": sum(abs(x) <= bound + 1e-12 for x in e), "bound": bound}
    return out


def fitted_tests() -> set[int]:
    """The NHTSA test numbers some fitted pulse constant saw: the NCAP rows that fitted
    ``FRONT_FORCE_FACTOR`` (``ncap_frontal_pulses.csv``: ``Valid``, a us_specs generation,
    the 56 km/h test's speeds) and the engine-less tests that fitted the class crush C*
    (:func:`keidesign.validation.crash.engineless_front_rows`)."""
    from keidesign.validation import crash as cv

    ncap = {int(r["nhtsa_test_no"]) for r in cv.ncap_pulse_rows()
            if r["source_quality"] == "Valid" and (r.get("us_specs_generation") or "").strip()
            and cv.FULL_WIDTH_SPEED_KMH[0] <= float(r["speed_kmh"]) <= cv.FULL_WIDTH_SPEED_KMH[1]}
    return ncap | {int(r["nhtsa_test_no"]) for r in cv.engineless_front_rows()}
