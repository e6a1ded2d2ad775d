"""The US fleet's full-width rigid-wall pulses: a band a modelled 56 km/h pulse is read
against (issue 14, deliverable 2: "force levels that give pulses within the published
range").

Data: ``data/crash/ncap_fleet_pulses.csv`` (status R): one row per NHTSA test of the
third-party reduction of NHTSA's body accelerometers (``github.com/yangduhi/
pulse_analysis``, every frontal fixed-wall test from test 6940 on: CFC 60 peak, maximum
dynamic crush, energy ratio, quality flag), with NHTSA's test configuration, angle and
impact speed, and the tested car's make, model, model year, body style and curb mass
where a row of NHTSA's 5-Star ratings file (``Safercar_data.csv``, ``FRNT_TEST_NO``,
``CURB_WEIGHT``) carrying the test was read (``data/crash/safercar_frontal_extract.csv``;
``data/crash/README.md`` gives the sources, commits, method and gaps).

**Population P (the rule pre-registered by the integrator, 6 Dec 2026, before any
count).** One row per test: the reduction's flag ``Valid``, configuration VEHICLE INTO
BARRIER, angle 0, impact speed V in [55.0, 57.5] km/h (:data:`SPEED_RANGE_KMH`), a
ratings row with a curb weight, and that curb within ``[min, max]`` of the published
curbs of the certified generations the band check runs. Body type not filtered. Fewer
than :data:`MIN_TESTS` (40) tests: the rule is void.

**Band.** P's 2.5th and 97.5th percentiles (:data:`PERCENTILES`; numpy's default
linear interpolation between order statistics) of the CFC 60 peak (g) and of the
equivalent square wave (g)::

    ESW = V^2 / (2 C) / g0      (V impact speed, m/s; C maximum dynamic crush, m)

(:func:`keidesign.crash.validation.esw_decel_g`), with P's min and max.

**Verdict** (:func:`judge`): deliverable 2 is met with this band when (i) every
certified generation's ESW is within P's ESW band, (ii) at least :data:`PEAK_SHARE`
(90 %) of their 3 ms peaks are within P's peak band, and (iii) no peak lies outside P's
min-max. The model's peak is a 3 ms moving average, the tests' CFC 60 (the 3 ms average
of a CFC 60 signal is at or below its CFC 60 peak).

Assumptions: the reduction's figures stand for NHTSA's (status R; its method was not
re-run); the curb is the ratings row's, of the test car's listing (one row per test:
the first read); a test car's curb stands for its test mass less the dummies. Validity:
full-width rigid-wall tests at 55-57.5 km/h of the cars of the ratings file (MY2011 on).
Nothing here is fitted.
"""

from __future__ import annotations

import csv
import math
import re
from importlib import resources
from pathlib import Path

import numpy as np

from keidesign.crash.validation import esw_decel_g
from keidesign.errors import InputError
from keidesign.validation.crash import car_name, checked_cell

__all__ = ["COLUMNS", "MIN_TESTS", "PEAK_SHARE", "PERCENTILES", "SPEED_RANGE_KMH",
           "QUALITY_FLAGS", "fleet_band", "fleet_population", "fleet_pulse_rows",
           "judge", "percentile_of", "at_speed", "lb_to_kg", "read_with_header"]

#: the file's columns, in order
COLUMNS = ("nhtsa_test_no", "crash_type", "angle_deg", "speed_kmh", "left_channel",
           "right_channel", "max_dynamic_crush_mm", "peak_decel_g", "energy_ratio",
           "source_quality", "make", "model", "model_year", "body_style", "curb_weight_lb",
           "curb_mass_kg", "ratings_read_in", "status")
#: the reduction's quality flags (``status`` of ``final_clean_dataset_rev.csv``)
QUALITY_FLAGS = ("Valid", "Outlier", "No Valid 10-Channel")
#: impact speeds of P, km/h (the rule: 55.0-57.5; US NCAP's 35 mph = 56.3 km/h)
SPEED_RANGE_KMH = (55.0, 57.5)
#: the configuration and angle of P (NHTSA's test metadata)
CRASH_TYPE, ANGLE_DEG = "VEHICLE INTO BARRIER", 0.0
#: the band's percentiles (%)
PERCENTILES = (2.5, 97.5)
#: fewest tests in P for the rule to hold
MIN_TESTS = 40
#: share of the certified generations' 3 ms peaks that must lie within P's peak band
PEAK_SHARE = 0.90
#: pounds to kilograms (exact, by definition of the avoirdupois pound)
LB_KG = 0.45359237
#: refusal ranges of the numeric cells [A]: (lo, hi, unit, blank allowed: "yes", "no",
#: "not Valid" = only on a row the reduction did not keep). The file's figures run 32.7-113.4
#: km/h, crush 227-7,495 mm (the thousands on rows the reduction flags ``Outlier``), peaks
#: 15-104 g, energy ratios 0.24-1.09, curbs 2,079-5,729 lb; the ranges refuse typing slips
#: (a unit, a misplaced point), not the reduction's own outliers
CELL_RANGES = {"angle_deg": (0.0, 360.0, "deg", "no"),
               "speed_kmh": (10.0, 150.0, "km/h", "no"),
               "max_dynamic_crush_mm": (100.0, 10000.0, "mm", "not Valid"),
               "peak_decel_g": (5.0, 300.0, "g", "not Valid"),
               "energy_ratio": (0.1, 10.0, "-", "not Valid"),
               "curb_weight_lb": (1000.0, 9000.0, "lb", "yes"),
               "curb_mass_kg": (450.0, 4100.0, "kg", "yes")}
TEST_NO = re.compile(r"[1-9][0-9]{0,5}")
YEAR = re.compile(r"(19|20)[0-9]{2}")


def lb_to_kg(lb: float) -> float:
    """Pounds to kilograms (:data:`LB_KG`)."""
    return lb * LB_KG


def read_with_header(path: Path, columns: tuple[str, ...]) -> list[dict]:
    """The rows of the CSV file ``path`` (dicts, file order), its header required to be
    ``columns`` exactly: else one :class:`InputError` naming the file, the header found
    and the one expected."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != tuple(columns):
            raise InputError(f"{Path(path).name}: header {reader.fieldnames!r}; expected "
                             f"{', '.join(columns)}")
        return list(reader)


def fleet_pulse_rows(path: Path | None = None) -> list[dict]:
    """The rows of ``data/crash/ncap_fleet_pulses.csv`` (``path``: another file of its
    columns), read strictly: the header must be :data:`COLUMNS`; test numbers unique
    positive integers; the numeric cells plain numbers in :data:`CELL_RANGES` (crush,
    peak and energy ratio blank only where ``source_quality`` is not ``Valid``);
    ``source_quality`` one of :data:`QUALITY_FLAGS`; a vehicle (make, model, model year)
    all given or all blank; ``curb_mass_kg`` = ``curb_weight_lb`` x :data:`LB_KG` to
    0.5 kg, given together. Any bad row: one :class:`InputError` naming the file, line,
    test, field, value and what is allowed. Numeric cells are returned as floats (NaN for
    blank), the test number as int."""
    if path is None:
        path = Path(str(resources.files("keidesign") / "data" / "crash"
                        / "ncap_fleet_pulses.csv"))
    name = Path(path).name
    raw = read_with_header(path, COLUMNS)
    rows, seen = [], set()
    for line, r in enumerate(raw, start=2):
        test = (r["nhtsa_test_no"] or "").strip()
        where = f"{name} line {line}: test {test or '?'}"
        if not TEST_NO.fullmatch(test):
            raise InputError(f"{where}: nhtsa_test_no = {test!r}; allowed: a positive integer")
        if test in seen:
            raise InputError(f"{where}: nhtsa_test_no {test} repeated; one row per test")
        seen.add(test)
        if r["source_quality"] not in QUALITY_FLAGS:
            raise InputError(f"{where}: source_quality = {r['source_quality']!r}; allowed: "
                             + ", ".join(QUALITY_FLAGS))
        out: dict = {**r, "nhtsa_test_no": int(test)}
        for col, spec in CELL_RANGES.items():
            out[col] = checked_cell(r, col, spec, where)
        vehicle = [bool((r[c] or "").strip()) for c in ("make", "model", "model_year")]
        if any(vehicle) and not all(vehicle):
            raise InputError(f"{where}: make, model and model_year must be all given or all "
                             f"blank; got {r['make']!r}, {r['model']!r}, {r['model_year']!r}")
        if vehicle[2] and not YEAR.fullmatch(r["model_year"].strip()):
            raise InputError(f"{where}: model_year = {r['model_year']!r}; allowed: four "
                             "digits (19xx or 20xx)")
        lb, kg = out["curb_weight_lb"], out["curb_mass_kg"]
        if math.isnan(lb) != math.isnan(kg) or (not math.isnan(lb) and not all(vehicle)):
            raise InputError(f"{where}: curb_weight_lb and curb_mass_kg are given together, "
                             "on a row with a vehicle")
        if not math.isnan(lb) and abs(lb_to_kg(lb) - kg) > 0.5:
            raise InputError(f"{where}: curb_mass_kg = {kg:g}; allowed: curb_weight_lb "
                             f"{lb:g} x {LB_KG} = {lb_to_kg(lb):.1f} kg to 0.5 kg")
        rows.append(out)
    return rows


def at_speed(r: dict) -> bool:
    """A ``Valid`` full-width rigid-wall test of P's configuration and speed: VEHICLE INTO
    BARRIER, angle 0, V in :data:`SPEED_RANGE_KMH` (no curb filter: the whole fleet)."""
    return (r["source_quality"] == "Valid" and r["crash_type"] == CRASH_TYPE
            and r["angle_deg"] == ANGLE_DEG
            and SPEED_RANGE_KMH[0] <= r["speed_kmh"] <= SPEED_RANGE_KMH[1])


def fleet_population(rows: list[dict], curb_range_kg: tuple[float, float] | None) -> list[dict]:
    """P of the rule: the rows of :func:`at_speed` with a curb mass within
    ``curb_range_kg`` (kg, both ends included); ``None``: no curb filter (the whole
    fleet, curb or not)."""
    if curb_range_kg is None:
        return [r for r in rows if at_speed(r)]
    lo, hi = curb_range_kg
    return [r for r in rows if at_speed(r) and not math.isnan(r["curb_mass_kg"])
            and lo <= r["curb_mass_kg"] <= hi]


def fleet_band(pop: list[dict]) -> dict:
    """The band of a population (:func:`fleet_population`): ``{"n", "peak", "esw"}``,
    each figure ``(p_lo, p_hi, min, max)`` in g at :data:`PERCENTILES`, with the sorted
    values under ``"peak_values"`` and ``"esw_values"``. Empty: NaNs."""
    peak = sorted(r["peak_decel_g"] for r in pop)
    esw = sorted(esw_decel_g(r["speed_kmh"], r["max_dynamic_crush_mm"]) for r in pop)

    def figs(v: list[float]) -> tuple[float, float, float, float]:
        if not v:
            return (math.nan,) * 4
        lo, hi = np.percentile(v, PERCENTILES)
        return float(lo), float(hi), v[0], v[-1]

    return {"n": len(pop), "peak": figs(peak), "esw": figs(esw), "peak_values": peak,
            "esw_values": esw}


def percentile_of(value: float, values: list[float]) -> float:
    """Where ``value`` lies in ``values``, % (the mean of the shares strictly below and
    at or below: the mid-rank percentile; 0 below all, 100 above all)."""
    if not values:
        return math.nan
    below = sum(v < value for v in values)
    at_or_below = sum(v <= value for v in values)
    return 100.0 * (below + at_or_below) / (2 * len(values))


def judge(band: dict, cars: list[dict]) -> dict:
    """The rule's verdict for ``cars`` (each with ``esw_g`` and ``peak_g``, the model's
    ESW and 3 ms peak) against ``band`` (:func:`fleet_band`): counts within the ESW band,
    the peak band and the peak min-max, and ``verdict`` "met", "not met" or "void" (P
    below :data:`MIN_TESTS`)."""
    n = len(cars)
    elo, ehi, _, _ = band["esw"]
    plo, phi, pmin, pmax = band["peak"]
    esw_in = sum(elo <= c["esw_g"] <= ehi for c in cars)
    peak_in = sum(plo <= c["peak_g"] <= phi for c in cars)
    peak_in_range = sum(pmin <= c["peak_g"] <= pmax for c in cars)
    checks = {"i": esw_in == n, "ii": peak_in >= PEAK_SHARE * n, "iii": peak_in_range == n}
    verdict = ("void" if band["n"] < MIN_TESTS else
               "met" if all(checks.values()) else "not met")
    return {"n_cars": n, "esw_in": esw_in, "peak_in": peak_in,
            "peak_in_range": peak_in_range, "checks": checks, "verdict": verdict}


def us_specs_curbs() -> dict[str, float]:
    """The published curb (kg, ``curb_kg`` of ``data/vehicles/us_specs.csv``) of each
    generation as :func:`keidesign.validation.crash.certified_cars` evaluates it (its
    first row); generations whose row gives none are left out."""
    from keidesign.specs import sources

    out: dict[str, float] = {}
    seen: set[str] = set()
    for vr in sources.vehicle_rows("us_specs"):
        name = car_name(vr.row)
        if name in seen:
            continue
        seen.add(name)
        text = (vr.row.get("curb_kg") or "").strip()
        if text:
            out[name] = float(text)
    return out


def certified_curb_range(names: list[str], curbs: dict[str, float]) -> tuple[float, float, int]:
    """(min, max, count) of the published curbs ``curbs`` (:func:`us_specs_curbs`) of the
    generations ``names`` (those the band check runs) that have one."""
    have = [curbs[n] for n in names if n in curbs]
    if not have:
        raise InputError("no certified generation has a published curb: no curb range")
    return min(have), max(have), len(have)
