"""Crash verdicts against known outcomes (issue 14, deliverable 1).

**Certified cars.** Every generation of ``data/vehicles/us_specs.csv`` was sold new in the
US, so it met FMVSS 208, 214 and 216a. Each is imported from its published specs
(``keidesign import vehicle``: dimensions, curb mass, powertrain; the crash structure
is the reference design's equivalent set sized to the test mass, marked assumed) and
evaluated with the ``fmvss`` pack. A federal criterion the model fails on such a car
is a false failure of the model (the issue's target: none). The compatibility shares
of the pack are a policy measure, not a federal criterion, and are counted apart.

**IIHS roof strength.** ``data/crash/known_outcomes.csv`` gives IIHS strength-to-weight
ratios (peak force within 127 mm / curb weight) and roof ratings of small cars, and
``data/crash/iihs_roof_strength.csv`` the ratios of generations without a row there
(:func:`roof_rows`); a rating bounds the ratio (good >= 4.0, acceptable >= 3.25,
marginal >= 2.5, IIHS roof-strength protocol). The model's
``crash:roof:strength_to_weight`` of the matching ``us_specs`` generation is compared
with the ratio (:data:`ROOF_BOUND`, +/-20 %; :func:`roof_summary`: bias, mean absolute
error, worst, and the split at the median curb mass), or checked against the rating's
band. Nothing is fitted to these outcomes.

**IIHS moderate-overlap intrusion.** ``data/crash/iihs_moderate_overlap_intrusion.csv``
gives the footwell (toe-pan) intrusion IIHS measured on the driver side of small cars
in its 40 % offset deformable-barrier test at 64 km/h, which loads one rail at a
higher speed and intrudes more than the full-width test. For the certified cars with
a row, the model's full-width dash intrusion is set beside the largest measured toe-pan
intrusion (:func:`intrusion_checks`): a plausibility bound on the intrusion the crush
space judges, not a fit.

**IIHS side test of certified minicars (car-level side crush).** IIHS's original side
test (2003-2020: a 1,500 kg moving deformable barrier at 50 km/h, perpendicular, into the
driver side; two SID-IIs dummies, driver and rear passenger; ``side_iihs_program.csv``)
publishes for each minicar the residual distance ``s`` from the driver-side B-pillar to
the driver seat centreline (``side_iihs_minicars.csv``: negative = the crush stopped that
far short of it). For a row matched to a ``us_specs`` generation
(:func:`side_crush_checks`) the car's residual crush at the B-pillar is reconstructed
as

    C_res = D + s          (mm; D = door skin to seat centreline = W / 2 - W20)

with D the imported design's ``body:door_to_seat_centreline`` (published width W; the
seat's lateral position W20 is the import's 340 mm [assumed]: no published W20 of these
cars was found; the outer skin at the B-pillar taken at W / 2). The barrier's energy
under the test's plastic momentum exchange, with the struck mass m = curb + 2 x 45 kg
(two SID-IIs, :data:`keidesign.crash.side.SID2S_KG` each),

    E = 1/2 M m / (M + m) V^2          (M = 1,500 kg, V = 50 km/h)

all credited to the car as in :mod:`keidesign.crash.side`, gives the model's crush E /
F_side and the constant force the test implies, F_imp = E / C_res. F_side is the
imported design's under the IIHS barrier's own face (since 4 Dec 2026:
:func:`keidesign.crash.side.side_force` with
:func:`keidesign.crash.validation.iihs_barrier`, its face above the sill: door beams and
B-pillar, no cross-member), at the IIHS closing speed; the FMVSS 214 face's force, used
until then, is reported beside it. C_res is residual, the model's crush the maximum (the
side's elastic springback is not known): C_res is a lower bound of the dynamic crush
and F_imp an upper bound of the car's mean side force, the more so as the barrier face
takes part of E. Validity: minicars struck by the IIHS barrier; a car whose B-pillar
ends past its own door skin (C_res <= 0) is refused. Nothing is fitted.
"""

from __future__ import annotations

import csv
import math
import re
import statistics
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
from scipy.constants import g as G  # standard gravity, m/s^2

from keidesign.classification.report import fmvss_failures
from keidesign.crash import energy_sizing, pulse
from keidesign.crash import validation as crash_val
from keidesign.crash.pulse import PULSE_INPUTS
from keidesign.crash.roof import G0
from keidesign.crash.side import (
    MATERIAL_KEYS,
    MDB_CRAB_DEG,
    SID2S_KG,
    SILL_TOP_KEY,
    STRUCTURE_KEYS,
    SideBarrier,
    mdb_impact,
)
from keidesign.crash.side_profile import crush_profile, face_span
from keidesign.crash.structure import TEST_SPEED_KMH
from keidesign.errors import InputError
from keidesign.evaluation import evaluate_design, resolve_packs
from keidesign.specs import sources
from keidesign.specs.roof_outcomes import ROOF_KEY, ROOF_MATCH  # the outcome rows' keys
from keidesign.specs.write import imported_design
from keidesign.vehiclenames import car_label

__all__ = ["CarVerdict", "car_name", "certified_cars", "intrusion_checks", "is_policy",
           "crush_scale_lofo", "error_summary", "esw_lofo", "family", "front_force_lofo",
           "criteria_rows", "markdown", "ncap_pulse_checks", "ncap_pulse_rows",
           "pulse_input_values",
           "check_pulse_layouts", "checked_cell", "engineless_front_rows", "ENGINELESS_LAYOUTS",
           "PULSE_CELL_RANGES", "PULSE_FILES",
           "residual_crush_mm", "speed_checks",
           "roof_checks", "roof_outcome", "roof_rows", "roof_summary", "side_crush_checks",
           "side_minicar_names"]

#: pack constraints that are not federal criteria (policy measures)
POLICY = ("compat.",)
#: lowest strength-to-weight ratio of each IIHS roof rating (IIHS roof strength test
#: protocol: good >= 4, acceptable >= 3.25, marginal >= 2.5)
RATING_FLOOR = {"good": 4.0, "acceptable": 3.25, "marginal": 2.5, "poor": 0.0}
#: target bound on the maximum dynamic crush against a published test (docs/crash.md,
#: Validation: +/-15 %)
CRUSH_BOUND = 0.15
#: makers held out together by :func:`crush_scale_lofo` (Kia with Hyundai)
FAMILY_ALIAS = {"KIA": "HYUNDAI"}
#: target bound on the roof strength-to-weight ratio against IIHS's (issue 14: +/-20 %)
ROOF_BOUND = 0.20
#: statuses a row of ``iihs_roof_strength.csv`` may carry
ROOF_STATUS = ("V", "R")
#: plausible range of an IIHS strength-to-weight ratio (the files' refusal range)
ROOF_SWR_RANGE = (1.0, 12.0)
#: plausible curb weight of a car IIHS tested for roof strength (kg; the files' refusal
#: range) [A]: the lightest it rated, the smart fortwo, weighs about 750-820 kg, its
#: heaviest (large pickups and SUVs) up to about 3,200 kg
ROOF_CURB_RANGE_KG = (500.0, 4000.0)
#: first model year IIHS's roof strength test rated [R]: the first ratings (IIHS release of
#: 24 Mar 2009, twelve small SUVs of model years 2008-2009; autoblog.com, 24 Mar 2009,
#: "IIHS debuts new roof strength crash test"; autos.ca, "Four of twelve SUVs earn good
#: rating in new roof tests")
ROOF_TEST_FIRST_YEAR = 2008
#: last model year an IIHS roof strength test can carry: IIHS's roof rating was part of its
#: Top Safety Pick criteria through the 2022 awards (iihs.org "TSP-List", criteria of 2018;
#: the 2017 awards, consumer reports via yahoo.com, 8 Dec 2016) and was removed from them
#: for 2023 as "less relevant in their current form" (Driving.ca in the Windsor Star, 23 Mar
#: 2023, "Fewer vehicles win crash test awards"), after which IIHS rated no new roofs [R];
#: the last tests, of 2022, were of model years up to 2023 [A] (a model year is on sale
#: from the year before). Before 5 Dec 2026: next year's by today's date
ROOF_TEST_LAST_YEAR = 2023
#: the plausible range of each numeric cell of the pulse files (:data:`PULSE_FILES`, the
#: files' refusal range, checked by :func:`check_pulse_layouts`) [A]: the full-width
#: rigid-wall tests they hold run 39.5-56.9 km/h (the FMVSS 208 unbelted 40 km/h and the
#: NCAP 56 km/h tests), crush 314-1155 mm (the Spark M300's 1155 mm the source's own
#: outlier), peaks 28-71 g, curbs 943-1960 kg; (lo, hi, unit, blank allowed: "yes", "no",
#: or "not Valid" = only on a row the source's quality check did not keep)
PULSE_CELL_RANGES = {"speed_kmh": (20.0, 80.0, "km/h", "no"),
                     "max_dynamic_crush_mm": (100.0, 1500.0, "mm", "not Valid"),
                     "peak_decel_g": (10.0, 150.0, "g", "not Valid"),
                     "curb_mass_kg": (500.0, 4000.0, "kg", "yes")}
#: a number as the data files write one: ASCII digits, one optional point and exponent (no
#: '1_150', '1,100', 'nan', 'inf' or other scripts' digits, which Python's float reads)
NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: a model year as the files write one: four ASCII digits
YEAR = re.compile(r"[0-9]{4}")


@dataclass
class CarVerdict:
    """One certified car: what the model says of it under the ``fmvss`` pack."""

    name: str
    #: the ``fmvss`` pack's rows failed, split as every report says them
    #: (:func:`keidesign.classification.report.fmvss_failures`): the federal (FMVSS)
    #: criteria, the model proxies (the pack's ``derived`` rows: crush, ride-down and
    #: intrusion spaces, "a model proxy, not an FMVSS criterion"; counted among the
    #: federal criteria until task s34f) and the policy thresholds
    failed: list[str] = field(default_factory=list)
    proxies_failed: list[str] = field(default_factory=list)
    policy_failed: list[str] = field(default_factory=list)
    margins: dict[str, tuple[float, str]] = field(default_factory=dict)
    roof_swr: float = float("nan")
    #: 56 km/h full-width pulse: mean deceleration V/t0 (g), max dynamic crush (mm), the
    #: crush less the stack's own compression (mm), crush available (mm), occupant load
    #: criterion (g), dash intrusion (mm)
    pulse: dict[str, float] = field(default_factory=dict)
    #: side impact: the side structure's (MDB) and the pole's force (kN), the MDB and pole
    #: crush needed (mm), and the body's side distances (mm): door skin to the seat
    #: centreline (the bound of ``fmvss214.*.crush_space``), to the 95th-male hip
    #: (``side_crush_space``, the bound until Dec 2026), to the fuel tank or battery
    #: (``side_crush_to_storage``), and the MDB crush where the tank or battery sits
    #: (``crush_at_storage``)
    side: dict[str, float] = field(default_factory=dict)
    #: the 56 km/h pulse's inputs as evaluated (:data:`keidesign.crash.pulse.PULSE_INPUTS`,
    #: registered units): to rerun the car's pulse with its histories (the ``pulse_band``
    #: probe of benchmarks/crash_probes.py)
    pulse_inputs: dict[str, float] = field(default_factory=dict)


#: output name of each :attr:`CarVerdict.side` figure
SIDE_FIGURES = {"force_kn": "crash:side:force", "mdb_crush_mm": "crash:side:mdb:crush_required",
                "pole_force_kn": "crash:side:pole:force",
                "pole_crush_mm": "crash:side:pole:crush_required",
                "door_to_seat_cl_mm": "body:door_to_seat_centreline",
                "side_crush_space_mm": "body:side_crush_space",
                "side_crush_to_storage_mm": "body:side_crush_to_storage",
                "mdb_crush_at_storage_mm": "crash:side:mdb:crush_at_storage",
                "curb_kg": "mass:curb"}
#: dummies of the IIHS side test (kg): two SID-IIs, driver and rear passenger (iihs.org,
#: "Original side": how the test was run), each :data:`keidesign.crash.side.SID2S_KG`
IIHS_SIDE_DUMMIES_KG = 2.0 * SID2S_KG


def is_policy(cid: str) -> bool:
    """True for a policy measure of the pack (``fmvss:compat.us.share_above``)."""
    return cid.split(":", 1)[-1].startswith(POLICY)


def car_name(row: dict, prefix: str = "") -> str:
    """A us_specs generation's name, ``make model generation`` with the make said once
    (:func:`keidesign.vehiclenames.car_label`); ``prefix`` reads the columns of a table
    that points at us_specs (``us_specs_`` -> ``us_specs_make``, ...)."""
    return car_label(row[f"{prefix}make"], row[f"{prefix}model"], row[f"{prefix}generation"])


def _evaluate(vr) -> tuple[str, object, object]:
    name = car_name(vr.row)
    design = imported_design(sources.row_spec(vr), f"<import {name}>")
    return name, design, evaluate_design(design, resolve_packs(["fmvss"]))


def design_side_force_kn(design, barrier: SideBarrier) -> dict:
    """Side force (kN) of ``design``'s side structure under ``barrier``, by member group
    (:func:`keidesign.crash.validation.structure_side_force_kn`)."""
    g = {k: float(design[k]) for k in (*STRUCTURE_KEYS, SILL_TOP_KEY, "body:height")}
    return crash_val.structure_side_force_kn(
        g, tuple(design[k] for k in MATERIAL_KEYS), int(design["crash:side:n_door_beams"]),
        int(design["crash:side:n_cross_members"]), barrier)


def pulse_input_values(ev) -> dict[str, float]:
    """The frontal pulse's inputs (:data:`keidesign.crash.pulse.PULSE_INPUTS`, registered
    units) of an evaluation ``ev`` (:func:`keidesign.evaluation.evaluate_design`): the
    design's values where it sets them, else the model's outputs."""
    values = {**ev.inputs, **ev.outputs}
    return {k: float(np.ravel(values[k][0] if isinstance(values[k], tuple) else values[k])[0])
            for k in PULSE_INPUTS}


def judge(v: CarVerdict, ev) -> CarVerdict:
    """``v`` with the verdicts of the evaluation ``ev`` (the ``fmvss`` pack): every judged
    row's margin and units, and the failed rows split by
    :func:`keidesign.classification.report.fmvss_failures` (federal criteria, model
    proxies, policy thresholds), the one split ``keidesign evaluate`` and ``classify``
    report."""
    for c in ev.constraints:
        if c["passed"] is not None:
            v.margins[c["id"]] = (float(c["margin"]), c["units"] or "")
    split = fmvss_failures(ev)
    v.failed = list(split["failed"])
    v.proxies_failed = list(split["proxies_failed"])
    v.policy_failed = list(split["policy_failed"])
    return v


def certified_cars(only: set[str] | None = None) -> dict:
    """``{"cars": [CarVerdict], "skipped": [(name, reason)]}`` over the distinct
    us_specs generations (``make model generation``; only those in ``only`` if given)."""
    cars, skipped, seen = [], [], set()
    iihs_mdb = crash_val.iihs_barrier()
    for vr in sources.vehicle_rows("us_specs"):
        name = car_name(vr.row)
        if name in seen or (only is not None and name not in only):
            continue
        seen.add(name)
        try:
            name, design, ev = _evaluate(vr)
        except InputError as exc:
            skipped.append((name, str(exc)))
            continue
        o = ev.outputs
        v = CarVerdict(name, roof_swr=float(o["crash:roof:strength_to_weight"][0]),
                       pulse={k: float(o[f"crash:front:{key}"][0]) / div for k, key, div in (
                           ("mean_g", "mean_decel", G), ("crush_mm", "crush_required", 1.0),
                           ("past_mm", "crush_past_stack", 1.0),
                           ("available_mm", "crush_available", 1.0),
                           ("olc_g", "olc", G), ("dash_mm", "dash_intrusion", 1.0),
                           ("peak_g", "peak_decel", G), ("test_mass_kg", "test_mass", 1.0),
                           ("esw_g", "esw_decel", G), ("duration_ms", "pulse_duration", 1.0))},
                       side={k: float(o[name][0]) for k, name in SIDE_FIGURES.items()})
        v.pulse_inputs = pulse_input_values(ev)
        iihs = design_side_force_kn(design, iihs_mdb)
        v.side["iihs_force_kn"] = iihs["force"]
        v.side["iihs_engages_sill"] = float(iihs["engages_sill"])
        v.side["iihs_sill_holds"] = float(
            2.0 * iihs["cross_members_capacity"] >= iihs["door_beams"] + iihs["b_pillar"])
        cars.append(judge(v, ev))
    return {"cars": cars, "skipped": skipped}


def _known_rows(path=None) -> list[dict]:
    """The rows of ``data/crash/known_outcomes.csv`` (``path``: another file of its
    columns), unchecked (the roof columns: :func:`_roof_targets`)."""
    if path is None:
        path = resources.files("keidesign") / "data" / "crash" / "known_outcomes.csv"
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _intrusion_rows() -> list[dict]:
    path = (resources.files("keidesign") / "data" / "crash"
            / "iihs_moderate_overlap_intrusion.csv")
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def intrusion_checks(res: dict) -> list[dict]:
    """The certified cars of ``res`` (:func:`certified_cars`) with an IIHS
    moderate-overlap row: model full-width dash intrusion (mm) beside the largest
    toe-pan intrusion IIHS measured (left, centre or right, every test of that
    generation; mm)."""
    by_name = {v.name: v for v in res["cars"]}
    iihs: dict[str, tuple[float, list[str]]] = {}
    for r in _intrusion_rows():
        if not r["us_specs_generation"]:
            continue
        name = car_name(r, "us_specs_")
        toe = 10.0 * max(float(r[k]) for k in ("toepan_left_cm", "toepan_center_cm",
                                               "toepan_right_cm"))
        prev, tests = iihs.get(name, (0.0, []))
        iihs[name] = (max(prev, toe), tests + [f"{r['vehicle']} {r['model_tested']}"])
    out = []
    for name, (toe, tests) in iihs.items():
        v = by_name.get(name)
        if v is None:
            continue
        out.append({"car": name, "iihs_tests": sorted(set(tests)), "iihs_toepan_mm": toe,
                    "model_dash_mm": v.pulse["dash_mm"]})
    return out


def ncap_pulse_rows(file: str = "ncap_frontal_pulses.csv") -> list[dict]:
    """Rows of ``data/crash/ncap_frontal_pulses.csv`` (US NCAP 56 km/h full-width tests of
    small cars; figures derived from NHTSA's body accelerometers, status R), or of another
    file of the same columns in ``data/crash/``: ``short_front_pulses.csv`` (the NCAP
    tests of short fronts outside the MY2015 listings, the Scion iQ's 7729 and the
    i-MiEV's 7863; read by ``benchmarks/crash_probes.py`` only: ``short_front`` and the
    probes' ``IMIEV_NCAP``, not by the force-level fit; since 5 Dec 2026 also the engine-less
    fronts' tests without a us_specs generation, data only). Column ``layout`` (since 5 Dec
    2026): the tested car's engine or motor position as a source gives it, in the words of
    ``powertrain:layout`` (:data:`keidesign.specs.sources.LAYOUT_VALUES`); blank = not
    recorded (the import's default: front, or rear for a rear-drive EV). Any other value:
    one clear error (:func:`check_pulse_layouts`)."""
    ref = resources.files("keidesign") / "data" / "crash" / file
    rows = list(csv.DictReader(ref.read_text(encoding="utf-8").splitlines()))
    check_pulse_layouts(rows, file)
    return rows


def check_pulse_layouts(rows: list[dict], file: str) -> None:
    """One clear error (file, line, test, field, value, what is allowed) for a row of a
    pulse file (:func:`ncap_pulse_rows`; ``rows`` in the file's order, the header line 1)
    whose ``layout`` is neither blank nor one of
    :data:`keidesign.specs.sources.LAYOUT_VALUES`, or whose numeric cell is not a plain
    number (:data:`NUMBER`) in its range of :data:`PULSE_CELL_RANGES`: ``speed_kmh`` in
    [20, 80] km/h, ``max_dynamic_crush_mm`` in [100, 1500] mm and ``peak_decel_g`` in
    [10, 150] g (blank only on a row whose ``source_quality`` is not ``Valid``: the checks
    read those rows' figures only), ``curb_mass_kg`` blank or in [500, 4000] kg."""
    for line, r in enumerate(rows, start=2):
        where = f"data/crash/{file} line {line}: test {r.get('nhtsa_test_no', '?')}"
        layout = (r.get("layout") or "").strip()
        if layout and layout not in sources.LAYOUT_VALUES:
            raise InputError(f"{where}: layout = {layout!r}; allowed: blank (not recorded) "
                             f"or {', '.join(sources.LAYOUT_VALUES)}")
        for name, spec in PULSE_CELL_RANGES.items():
            checked_cell(r, name, spec, where)


def checked_cell(r: dict, name: str, spec: tuple, where: str) -> float:
    """The cell ``name`` of a pulse-file row ``r`` as a float (NaN where blank is
    allowed and found), checked against ``spec`` = (lo, hi, unit, blank allowed: "yes",
    "no", or "not Valid" = only on a row whose ``source_quality`` is not ``Valid``), as
    :data:`PULSE_CELL_RANGES` gives them: a plain number (:data:`NUMBER`) in [lo, hi], else
    one :class:`InputError` starting with ``where`` and naming the field, the value and
    what is allowed."""
    lo, hi, unit, blank = spec
    text = r.get(name) or ""
    may_blank = blank == "yes" or (blank == "not Valid" and r.get("source_quality") != "Valid")
    if may_blank and not text.strip():
        return math.nan
    value = float(text) if NUMBER.fullmatch(text.strip()) else math.nan
    if not lo <= value <= hi:
        raise InputError(
            f"{where}: {name} = {text!r}; allowed: "
            + {"yes": "blank or ", "no": "", "not Valid":
               "(blank only where source_quality is not Valid) "}[blank]
            + f"a number in [{lo:g}, {hi:g}] {unit}")
    return value


def _pulse_curb(r: dict) -> float:
    """The row's ``curb_mass_kg`` (kg), NaN where blank (checked on reading:
    :func:`check_pulse_layouts`)."""
    return float(r["curb_mass_kg"]) if r["curb_mass_kg"].strip() else math.nan


#: the layouts that leave no engine or motor stack ahead of the dash: one tuple with the
#: import's engine-less sizing rule (:data:`keidesign.crash.energy_sizing.ENGINELESS_LAYOUTS`)
ENGINELESS_LAYOUTS = energy_sizing.ENGINELESS_LAYOUTS
#: the files of full-width rigid-wall tests in the columns of ``ncap_frontal_pulses.csv``
PULSE_FILES = ("ncap_frontal_pulses.csv", "short_front_pulses.csv")


def engineless_front_rows() -> list[dict]:
    """The 56 km/h full-width rigid-wall tests (:data:`FULL_WIDTH_SPEED_KMH`) of fronts with
    no engine or motor ahead of the dash, as the pulse files record them (``layout`` in
    :data:`ENGINELESS_LAYOUTS`, the source's quality check ``Valid``), each with its file
    under ``"file"``: the tests a layout rule for engine-less fronts would be fitted and
    judged on (docs/crash.md, "Engine-less fronts' barrier tests"). A rule may be fitted
    only on :data:`keidesign.crash.validation.MIN_CARS_TO_FIT` cars or more."""
    return [{**r, "file": f} for f in PULSE_FILES for r in ncap_pulse_rows(f)
            if (r.get("layout") or "").strip() in ENGINELESS_LAYOUTS
            and r["source_quality"] == "Valid" and _at_56(r)]


#: the impact speeds (km/h) of the 56 km/h full-width test as the rows give it (US NCAP,
#: 35 mph; FMVSS 208 belted, 56 km/h; the rows of ``ncap_frontal_pulses.csv`` run
#: 56.0-56.9 km/h): the certified evaluations run that test at 56 km/h
#: (``structure.TEST_SPEED_KMH``), so :func:`ncap_pulse_checks` compares them with rows
#: within these speeds only; a row of another test speed (the FMVSS 208 unbelted 40 km/h
#: test) is compared by :func:`speed_checks`, which runs the pulse at the row's speed
FULL_WIDTH_SPEED_KMH = (55.0, 58.0)


def _at_56(r: dict) -> bool:
    return FULL_WIDTH_SPEED_KMH[0] <= float(r["speed_kmh"]) <= FULL_WIDTH_SPEED_KMH[1]


def ncap_pulse_checks(res: dict, rows: list[dict] | None = None) -> list[dict]:
    """Model (imported generation, 56 km/h full width) against the NCAP test of the same
    generation: maximum dynamic crush, equivalent-square-wave deceleration and peak
    deceleration, relative errors ``(model - test) / test``. Only rows the source's
    quality check kept (``Valid``) with a us_specs generation, at the 56 km/h test's
    speed (:data:`FULL_WIDTH_SPEED_KMH`; rows of another speed: :func:`speed_checks`); the
    model's peak is a 3 ms moving average, the test's CFC 60.

    Average deceleration, like for like: the tests' durations are not known, so their
    time average V / t0 is not either; the test figure is the equivalent square wave
    V^2 / (2 C) of the test's impact speed and maximum dynamic crush
    (:func:`keidesign.crash.validation.esw_decel_g`), against the model's
    ``crash:front:esw_decel`` (same definition, at the model's 56 km/h). It carries no
    information beyond the crush and the speed: its error is (V_m / V_t)^2 / (1 + crush
    error) - 1. The model's time average (``mean_model_g``, V / t0), its duration and its
    shape ratio ``shape_model`` = (V / t0) / (V^2 / 2C) = 2 C / (V t0) are reported beside
    it, with no test figure to compare them with. ``rows``: rows of the same columns
    (:func:`ncap_pulse_rows` of another file); default ``ncap_frontal_pulses.csv``.
    ``curb_mass_nhtsa_kg``: NaN where the row gives none."""
    cars = {v.name: v for v in res["cars"]}
    out = []
    for r in (ncap_pulse_rows() if rows is None else rows):
        name = car_name(r, "us_specs_")
        if r["source_quality"] != "Valid" or name not in cars or not _at_56(r):
            continue
        v = cars[name]
        crush, peak = float(r["max_dynamic_crush_mm"]), float(r["peak_decel_g"])
        esw = crash_val.esw_decel_g(float(r["speed_kmh"]), crush)
        out.append({"vehicle": r["vehicle"], "car": name, "test": r["nhtsa_test_no"],
                    "model_speed_kmh": TEST_SPEED_KMH,
                    "make": r["us_specs_make"], "available_mm": v.pulse["available_mm"],
                    "stack_mm": v.pulse["crush_mm"] - v.pulse["past_mm"],
                    "speed_kmh": float(r["speed_kmh"]), "crush_test_mm": crush,
                    "crush_model_mm": v.pulse["crush_mm"], "peak_test_g": peak,
                    "peak_model_g": v.pulse["peak_g"],
                    "test_mass_model_kg": v.pulse["test_mass_kg"],
                    "curb_mass_nhtsa_kg": _pulse_curb(r),
                    "crush_error": v.pulse["crush_mm"] / crush - 1.0,
                    "peak_error": v.pulse["peak_g"] / peak - 1.0,
                    "esw_test_g": esw, "esw_model_g": v.pulse["esw_g"],
                    "esw_error": v.pulse["esw_g"] / esw - 1.0,
                    "mean_model_g": v.pulse["mean_g"],
                    "duration_model_ms": v.pulse["duration_ms"],
                    "shape_model": v.pulse["mean_g"] / v.pulse["esw_g"]})
    return out



def speed_checks(res: dict, rows: list[dict]) -> list[dict]:
    """The rows :func:`ncap_pulse_checks` leaves out for their speed (a full-width
    rigid-wall test at another speed than :data:`FULL_WIDTH_SPEED_KMH`, e.g. the FMVSS 208
    unbelted 40 km/h test), ``Valid``, with a certified generation in ``res`` (its
    ``pulse_inputs``): the same comparison, with the model's pulse
    (:func:`keidesign.crash.pulse.simulate_cases`, the shipped force law and springs) run
    at the row's own impact speed V_t, and its equivalent square wave V_t^2 / (2 C) of that
    run.
    The rest of the model is as the certified evaluation sets it (its test mass, the 56 km/h
    test's two front occupants coupled through the design's belt restraint: the unbelted
    test's dummies meet the airbag only, status A; their mass is about 12 % of the test
    mass). The zone forces are the certified evaluation's, with the Cowper-Symonds
    strain-rate factor of the 56 km/h test (A: slightly stiff at 40 km/h; the structure is
    not rerun at V_t here, as :func:`keidesign.validation.pulse_duration.routed_runs`
    does, because the front importer imports this module). ``curb_mass_nhtsa_kg``: NaN
    where the row gives none."""
    cars = {v.name: v for v in res["cars"]}
    out = []
    for r in rows:
        name = car_name(r, "us_specs_")
        if r["source_quality"] != "Valid" or name not in cars or _at_56(r):
            continue
        v, speed = cars[name], float(r["speed_kmh"])
        m = {k: float(np.real(x[0])) for k, x in pulse.simulate_cases(
            pulse.params_from_inputs(v.pulse_inputs), v0_kmh=speed).items()}
        crush_m, peak_m = m["c_max"] * 1e3, m["peak"] / G
        esw_m, mean_m = m["esw"] / G, m["mean_decel"] / G
        crush, peak = float(r["max_dynamic_crush_mm"]), float(r["peak_decel_g"])
        esw = crash_val.esw_decel_g(speed, crush)
        curb = _pulse_curb(r)
        out.append({"vehicle": r["vehicle"], "car": name, "test": r["nhtsa_test_no"],
                    "model_speed_kmh": speed,
                    "make": r["us_specs_make"], "available_mm": v.pulse["available_mm"],
                    "stack_mm": crush_m - m["c_past_stack"] * 1e3,
                    "speed_kmh": speed, "crush_test_mm": crush, "crush_model_mm": crush_m,
                    "peak_test_g": peak, "peak_model_g": peak_m,
                    "test_mass_model_kg": v.pulse["test_mass_kg"],
                    "curb_mass_nhtsa_kg": curb, "crush_error": crush_m / crush - 1.0,
                    "peak_error": peak_m / peak - 1.0, "esw_test_g": esw,
                    "esw_model_g": esw_m, "esw_error": esw_m / esw - 1.0,
                    "mean_model_g": mean_m,
                    "duration_model_ms": m["t_stop"] * 1e3,
                    "shape_model": mean_m / esw_m})
    return out


def error_summary(errors: list[float], tag: str = "", bound: float | None = None) -> dict:
    """Mean error, mean absolute error and count within ``bound`` (default
    :data:`CRUSH_BOUND`, the target bound, +/-15 %, on crush and average deceleration
    alike; :data:`ROOF_BOUND` for the roof ratios) of relative errors, keys prefixed with
    ``tag``."""
    n = len(errors)
    b = CRUSH_BOUND if bound is None else bound
    return {f"{tag}mean_error": sum(errors) / n, f"{tag}mae": sum(abs(x) for x in errors) / n,
            f"{tag}within": sum(abs(x) <= b for x in errors)}


def esw_lofo(fit: dict, checks: list[dict]) -> dict:
    """The equivalent-square-wave deceleration of the NCAP tests in and out of sample of
    the force-level fit (:func:`front_force_lofo` result ``fit``; ``checks``: one
    :func:`ncap_pulse_checks` run, any factor).

    The model's ESW is V_m^2 / (2 C) of its own crush (:mod:`keidesign.crash.pulse`), so
    each car's ESW at the fitted factor and at the factor fitted without its family
    follows from the crush there: a_ESW = (a_ESW C)_run / C, (a_ESW C)_run = V_m^2 / (2 g0)
    taken from the run. Returns per car the in-sample and held-out errors against the
    test's ESW, and the summaries (:func:`error_summary`, held out prefixed ``lofo_``)."""
    by_car = {c["car"]: c for c in checks}
    rows = []
    for r in fit["cars"]:
        c = by_car[r["car"]]
        k = c["esw_model_g"] * c["crush_model_mm"]  # V_m^2 / (2 g0), g mm
        errs = {key: k / (c["crush_test_mm"] * (1.0 + r[key])) / c["esw_test_g"] - 1.0
                for key in ("error", "error_held_out")}
        rows.append({"car": r["car"], "esw_test_g": c["esw_test_g"],
                     "esw_error": errs["error"], "esw_error_held_out": errs["error_held_out"]})
    return ({"n": len(rows), "cars": rows}
            | error_summary([r["esw_error"] for r in rows])
            | error_summary([r["esw_error_held_out"] for r in rows], "lofo_"))


def family(make: str) -> str:
    """The family a car is held out with in :func:`crush_scale_lofo`: its maker, Kia
    with Hyundai (one group, shared platforms)."""
    m = make.upper()
    return FAMILY_ALIAS.get(m, m)


def crush_scale_lofo(checks: list[dict]) -> dict:
    """What one global crush scale k would do (an estimate for the owner, not a model
    change): k = geometric mean of test / model crush over the cars, and its
    leave-one-family-out errors (each car's model crush times the k of the cars of the
    other families, :func:`family`).

    Scaling the crush by k stands for dividing the front's force level by about k (a
    constant-force front crushes E / F); it is not applied to the model. Returns the
    in-sample k, the count of cars and families, the mean error, the mean absolute
    error and the count within :data:`CRUSH_BOUND` as modelled and held out."""
    fams = {family(c["make"]) for c in checks}
    if len(fams) < 2:
        raise InputError(f"crush_scale_lofo: {len(fams)} families; allowed: at least 2")
    logs = [math.log(c["crush_test_mm"] / c["crush_model_mm"]) for c in checks]
    held = []
    for c in checks:
        rest = [lg for lg, o in zip(logs, checks, strict=True)
                if family(o["make"]) != family(c["make"])]
        held.append(c["crush_model_mm"] * math.exp(sum(rest) / len(rest))
                    / c["crush_test_mm"] - 1.0)
    now = [c["crush_error"] for c in checks]
    n = len(checks)
    return {"k": math.exp(sum(logs) / n), "n": n, "families": len(fams),
            "mean_error": sum(now) / n, "mae": sum(abs(e) for e in now) / n,
            "within": sum(abs(e) <= CRUSH_BOUND for e in now),
            "lofo_mae": sum(abs(e) for e in held) / n,
            "lofo_within": sum(abs(e) <= CRUSH_BOUND for e in held)}


def _minicar_rows() -> list[dict]:
    return [r for r in crash_val.load_side_minicars() if r.get("us_specs_generation")]


def side_minicar_names() -> set[str]:
    """The us_specs generations (:func:`car_name`) of the IIHS minicar side tests."""
    return {car_name(r, "us_specs_")
            for r in _minicar_rows()}


def residual_crush_mm(door_to_seat_cl_mm: float, b_pillar_to_seat_cl_mm: float) -> float:
    """Residual side crush (mm) of a car whose B-pillar ended ``b_pillar_to_seat_cl_mm``
    from the seat centreline (IIHS: negative = short of it) with its door skin
    ``door_to_seat_cl_mm`` outboard of it before the test: ``C_res = D + s`` (module
    docstring). A B-pillar at or past the door skin (C_res <= 0) is refused."""
    c = door_to_seat_cl_mm + b_pillar_to_seat_cl_mm
    if not c > 0.0:
        raise InputError(
            f"side_iihs_minicars.csv b_pillar_to_seat_cl_mm: {b_pillar_to_seat_cl_mm:g} mm; "
            f"allowed: above -{door_to_seat_cl_mm:g} mm (minus the car's door skin to seat "
            "centreline: a residual crush > 0)")
    return c


def side_crush_checks(res: dict) -> list[dict]:
    """IIHS minicar side tests of the certified cars of ``res`` (:func:`certified_cars`)
    against the side model (module docstring): per test the struck mass (kg), the
    barrier energy (kJ), the reconstructed residual crush and the model's crush (mm),
    their ratio, the model's side force under the IIHS face
    (:func:`keidesign.crash.validation.iihs_barrier`) and the constant force the test
    implies (kN), and whether the car's curb mass is published (``us_specs.csv``) or the
    mass model's; beside them the FMVSS 214 face's force and the crush ratio it gives
    (the check until 4 Dec 2026), whether the IIHS face reaches the sill and whether
    the cross-members hold the sill (:func:`keidesign.crash.side.sill_holds`)."""
    by_name = {v.name: v for v in res["cars"]}
    published = {car_name(vr.row): bool(vr.row["curb_kg"].strip())
                 for vr in reversed(sources.vehicle_rows("us_specs"))}
    barrier = crash_val.iihs_barrier()
    big_m, speed = barrier.mass_kg, barrier.lateral_speed
    out = []
    for r in _minicar_rows():
        name = car_name(r, "us_specs_")
        v = by_name.get(name)
        if v is None:
            continue
        mass = v.side["curb_kg"] + IIHS_SIDE_DUMMIES_KG
        force = v.side["iihs_force_kn"] * 1e3
        fmvss = v.side["force_kn"] * 1e3
        _, energy, crush = mdb_impact(mass, force, big_m, speed)
        c_res = residual_crush_mm(v.side["door_to_seat_cl_mm"], r["b_pillar_to_seat_cl_mm"])
        out.append({"car": name, "iihs_test": f"{r['vehicle']} {r['model_year']}",
                    "status": r["status"], "curb_published": published[name],
                    "mass_kg": mass, "energy_kj": energy * 1e-3,
                    "door_to_seat_cl_mm": v.side["door_to_seat_cl_mm"],
                    "b_pillar_to_seat_cl_mm": r["b_pillar_to_seat_cl_mm"],
                    "residual_crush_mm": c_res, "model_crush_mm": crush * 1e3,
                    "crush_ratio": crush * 1e3 / c_res, "model_force_kn": force * 1e-3,
                    "implied_force_kn": energy / c_res,
                    "fmvss_face_force_kn": fmvss * 1e-3,
                    "fmvss_face_crush_ratio": energy / fmvss * 1e3 / c_res,
                    "engages_sill": bool(v.side["iihs_engages_sill"]),
                    "sill_holds": bool(v.side["iihs_sill_holds"])})
    return out


def side_nhtsa_names() -> set[str]:
    """The us_specs generations (:func:`car_name`) of the NHTSA side MDB tests
    (``side_nhtsa_tests.csv``) matched to one."""
    return {car_name(r, "us_specs_")
            for r in crash_val.load_side_nhtsa() if r["us_specs_generation"]}


def side_nhtsa_checks(res: dict | None = None) -> list[dict]:
    """NHTSA side MDB tests (``side_nhtsa_tests.csv``) against the side model.

    Per test, under the test's own conditions (struck mass = NHTSA's test weight;
    lateral closing speed V cos(crab), the program's 27 deg where the row gives none),
    the plastic momentum exchange of :func:`keidesign.crash.side.mdb_impact` gives the
    energy E (all to the car) and the model's crush E / F_side, beside the maximum static
    crush NHTSA measured (CRHDST). F_side is the imported design's where the row names a
    us_specs generation in ``res`` (:func:`certified_cars`), otherwise the default side
    structure's (:func:`keidesign.crash.validation.side_force_kn`, body height 1,500 mm);
    both at the FMVSS 214 closing speed (the side NCAP's 15 % higher speed raises the
    Cowper-Symonds factor by about 1 %). ``implied_force_kn`` = E / CRHDST is an upper
    bound of the car's mean side force: the barrier face's share of E and the side's
    springback (dynamic crush > static) both lower it. Nothing is fitted."""
    by_name = {v.name: v for v in (res or {"cars": []})["cars"]}
    default_kn = None
    out = []
    for r in crash_val.load_side_nhtsa():
        name = car_name(r, "us_specs_") if r["us_specs_generation"] else None
        v = by_name.get(name)
        if v is None:
            default_kn = crash_val.side_force_kn() if default_kn is None else default_kn
        force_kn = v.side["force_kn"] if v is not None else default_kn
        crab = MDB_CRAB_DEG if r["crab_deg"] is None else r["crab_deg"]
        v_l = r["barrier_speed_kmh"] / 3.6 * math.cos(math.radians(crab))
        _, energy, crush = mdb_impact(r["test_mass_kg"], force_kn * 1e3,
                                      r["barrier_mass_kg"], v_l)
        c_static = r["max_static_crush_mm"]
        out.append({"test": f"{r['vehicle']} {r['model_year']:.0f} ({r['nhtsa_test_ref']})",
                    "car": name if v is not None else None, "status": r["status"],
                    "crab_deg": crab, "crab_from_program": r["crab_deg"] is None,
                    "mass_kg": r["test_mass_kg"], "barrier_kg": r["barrier_mass_kg"],
                    "speed_kmh": r["barrier_speed_kmh"], "energy_kj": energy * 1e-3,
                    "static_crush_mm": c_static, "model_crush_mm": crush * 1e3,
                    "crush_ratio": crush * 1e3 / c_static, "model_force_kn": force_kn,
                    "implied_force_kn": energy / c_static})
    return out


def side_nhtsa_profiles() -> list[dict]:
    """Crush along the car of the NHTSA side tests that give it (DPD1-DPD6, wheelbase, CG
    and damage centre) against :func:`keidesign.crash.side_profile.crush_profile` with
    its plateau at the test's maximum static crush: per test the stations (mm behind the
    front axle; DPD1 at the damage's rear end, equally spaced over its length, NHTSA Test
    Reference Guide Vol. I), the measured and the model's crush (mm), the face's ends and
    the barrier centreline's point from the CG, measured (IMPPNT) and the model's."""
    out = []
    for r in crash_val.load_side_nhtsa():
        keys = [f"dpd{k}_mm" for k in range(1, 7)]
        need = keys + ["wheelbase_mm", "cg_behind_front_axle_mm", "damage_length_mm",
                       "damage_centre_from_cg_mm"]
        if any(r[k] is None for k in need):
            continue
        wb, cg, length = r["wheelbase_mm"], r["cg_behind_front_axle_mm"], r["damage_length_mm"]
        centre = cg - r["damage_centre_from_cg_mm"]  # DAMDST: + ahead of the CG
        x = np.array([centre + length * (0.5 - k / 5.0) for k in range(6)])
        x_s, x_e = face_span(wb)
        out.append({"test": f"{r['vehicle']} {r['model_year']:.0f} ({r['nhtsa_test_ref']})",
                    "stations_mm": x.tolist(), "measured_mm": [r[k] for k in keys],
                    "model_mm": crush_profile(x, r["max_static_crush_mm"], wb).tolist(),
                    "face_mm": (float(x_s), float(x_e)),
                    "impact_point_mm": r["impact_point_from_cg_mm"],
                    "model_impact_point_mm": cg - 0.5 * float(x_s + x_e)})
    return out


def _log_crush_at(by_factor: dict[float, dict[str, dict]], car: str, log_phi: float) -> float:
    """log of the model crush of ``car`` at force factor exp(log_phi), interpolated
    linearly in log phi between the factors run (clamped at the ends)."""
    phis = sorted(by_factor)
    return float(np.interp(log_phi, np.log(phis),
                           [math.log(by_factor[p][car]["crush_model_mm"]) for p in phis]))


def _zero_bias_factor(by_factor: dict[float, dict[str, dict]], cars: list[str]) -> float:
    """log of the force factor at which the mean log error (model / test crush) of
    ``cars`` is zero, by bisection between the factors run (a softer front crushes
    more: the error falls as the factor rises); the end of the range nearest the zero
    if it lies outside."""
    phis = sorted(by_factor)
    tests = {c: math.log(by_factor[phis[0]][c]["crush_test_mm"]) for c in cars}

    def bias(lp: float) -> float:
        return sum(_log_crush_at(by_factor, c, lp) - tests[c] for c in cars) / len(cars)

    lo, hi = math.log(phis[0]), math.log(phis[-1])
    if bias(lo) <= 0.0:
        return lo
    if bias(hi) >= 0.0:
        return hi
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if bias(mid) > 0.0 else (lo, mid)
    return 0.5 * (lo + hi)


def front_force_lofo(by_factor: dict[float, list[dict]]) -> dict:
    """Fit of the imported front's force level (``keidesign.specs.build.FRONT_FORCE_FACTORS``,
    per force-crush law) on the NCAP crush, held out by family.

    ``by_factor`` maps force factors phi (the front's force per kg relative to the
    reference design's) to :func:`ncap_pulse_checks` run with that factor. The cars
    whose model crush does not move with phi (no mass known: the import keeps the
    reference rail set) carry no information on it and are left out of the fit, not of
    the errors. phi is where the mean log error of the fitted cars is zero (the
    geometric-mean match, as :func:`crush_scale_lofo`), each car's crush interpolated
    in log phi between the factors run. Held out: each car's crush at the phi fitted
    without its family (:func:`family`). Returns the in-sample phi, each car's
    held-out phi and error, the mean error, the mean absolute error and the count within
    :data:`CRUSH_BOUND`, in sample and held out."""
    if len(by_factor) < 2:
        raise InputError(f"front_force_lofo: {len(by_factor)} force factors; allowed: "
                         "at least 2")
    tables = {p: {c["car"]: c for c in checks} for p, checks in by_factor.items()}
    phis = sorted(tables)
    cars = sorted(tables[phis[0]])
    moved = [c for c in cars if abs(tables[phis[0]][c]["crush_model_mm"]
                                    - tables[phis[-1]][c]["crush_model_mm"]) > 1e-6]
    if len({family(tables[phis[0]][c]["make"]) for c in moved}) < 2:
        raise InputError("front_force_lofo: fewer than 2 families whose crush moves with "
                         "the force factor; allowed: at least 2")
    lp = _zero_bias_factor(tables, moved)
    rows = []
    for c in cars:
        fam = family(tables[phis[0]][c]["make"])
        lp_c = _zero_bias_factor(tables, [o for o in moved
                                          if family(tables[phis[0]][o]["make"]) != fam])
        test = tables[phis[0]][c]["crush_test_mm"]
        rows.append({"car": c, "fitted": c in moved, "phi_held_out": math.exp(lp_c),
                     "error": math.exp(_log_crush_at(tables, c, lp)) / test - 1.0,
                     "error_held_out": math.exp(_log_crush_at(tables, c, lp_c)) / test - 1.0})
    out = {"phi": math.exp(lp), "n": len(rows), "n_fitted": len(moved), "cars": rows}
    for key, tag in (("error", ""), ("error_held_out", "lofo_")):
        out |= error_summary([r[key] for r in rows], tag)
    return out


def roof_outcome(where: str, ratio: str, rating: str, curb: str, fields: tuple[str, str, str],
                 ratio_required: bool = True) -> tuple[float, str, float]:
    """``(ratio, rating, curb kg)`` of one IIHS roof outcome's cells, checked: the
    strength-to-weight ``ratio`` a number in :data:`ROOF_SWR_RANGE` (blank: NaN, where
    not ``ratio_required``), the ``rating`` blank or one IIHS gives (:data:`RATING_FLOOR`,
    case and spaces ignored), a ratio its rating excludes refused, the tested car's
    ``curb`` blank (NaN) or a mass in :data:`ROOF_CURB_RANGE_KG`. ``fields``: the file's
    names of the three columns; ``where``: file, line and vehicle. One :class:`InputError`
    names where, the field, the value and what is allowed. The check of both files of
    IIHS roof outcomes (:func:`roof_rows`: ``iihs_roof_strength.csv``, ratio required;
    :func:`_roof_targets`: ``known_outcomes.csv``, a rating alone allowed)."""
    f_ratio, f_rating, f_curb = fields
    swr = _cell_in_range(where, f_ratio, ratio, ROOF_SWR_RANGE, "number", not ratio_required)
    rate = rating.strip().lower()
    if rate and rate not in RATING_FLOOR:
        raise InputError(f"{where}: {f_rating} = {rating!r}; allowed: blank or "
                         + ", ".join(RATING_FLOOR))
    ceiling = min((f for f in RATING_FLOOR.values() if f > RATING_FLOOR.get(rate, 0.0)),
                  default=float("inf"))
    if rate and swr == swr and not RATING_FLOOR[rate] <= swr < ceiling:
        raise InputError(f"{where}: {f_ratio} = {swr:g} with rating {rate!r}; allowed: "
                         f"[{RATING_FLOOR[rate]:g}, {ceiling:g})")
    return swr, rate, _cell_in_range(where, f_curb, curb, ROOF_CURB_RANGE_KG, "a mass",
                                     True, " kg")


def _cell_in_range(where: str, name: str, text: str, bounds: tuple[float, float],
                   what: str, blank: bool, unit: str = "") -> float:
    """The number of cell ``name`` (``text``) within ``bounds``, NaN for a blank cell
    where ``blank``; else one :class:`InputError` (where, field, value, what is
    allowed)."""
    if blank and not text.strip():
        return float("nan")
    value = float(text) if NUMBER.fullmatch(text.strip()) else math.nan
    lo, hi = bounds
    if not lo <= value <= hi:
        raise InputError(f"{where}: {name} = {text!r}; allowed: "
                         + ("blank or " if blank else "") + f"{what} in [{lo:g}, {hi:g}]{unit}")
    return value


def roof_rows(path=None) -> list[dict]:
    """The rows of ``data/crash/iihs_roof_strength.csv`` (IIHS roof ratios of generations
    without a ``known_outcomes.csv`` row; ``path``: another file of the same columns),
    checked: a row without a source, with a status other than V or R, a tested model
    year that is not four digits within :func:`roof_year_range`, a ratio, rating or curb
    weight :func:`roof_outcome` refuses, or a us_specs key (``us_specs_make``,
    ``us_specs_model``, ``us_specs_generation``: all blank, or all three naming a
    generation of ``us_specs.csv``) that is partly filled or names no generation is
    refused in one line (file, row, field, value, what is allowed)."""
    return [r for r, _, _ in _checked_roof_rows(path)]


def _checked_roof_rows(path=None
                       ) -> list[tuple[dict, tuple[float, str, float], tuple[str, str, str]]]:
    """(row, (ratio, rating, curb kg) as :func:`roof_outcome` read them, the stripped
    us_specs key) of each row of :func:`roof_rows`, checked as it says."""
    if path is None:
        path = resources.files("keidesign") / "data" / "crash" / "iihs_roof_strength.csv"
    name = _roof_file_name(path)
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    y_lo, y_hi = roof_year_range()
    keys = None
    out = []
    for i, r in enumerate(rows, start=2):
        where = f"{name} line {i} ({r['vehicle']})"
        if not r["source"].strip():
            raise InputError(f"{where}: source is empty; allowed: the URL read")
        if r["status"] not in ROOF_STATUS:
            raise InputError(f"{where}: status = {r['status']!r}; allowed: V or R")
        year = r["tested_model_year"].strip()
        if not (YEAR.fullmatch(year) and y_lo <= int(year) <= y_hi):
            raise InputError(f"{where}: tested_model_year = {r['tested_model_year']!r}; "
                             f"allowed: a model year {y_lo}-{y_hi} (four digits; IIHS's "
                             "first roof ratings, 2009, were of model years 2008-2009, its "
                             "last of 2022)")
        outcome = roof_outcome(where, r["iihs_roof_strength_to_weight"], r["iihs_roof_rating"],
                               r["iihs_curb_weight_kg"], ("iihs_roof_strength_to_weight",
                                                          "iihs_roof_rating",
                                                          "iihs_curb_weight_kg"))
        key = tuple(r[k].strip() for k in ROOF_KEY)
        if any(key):
            if keys is None:
                keys = {(v.row["make"], v.row["model"], v.row["generation"])
                        for v in sources.vehicle_rows("us_specs")}
            if key not in keys:
                raise InputError(
                    f"{where}: {'/'.join(ROOF_KEY)} = {'/'.join(key)!r}"
                    + ("" if all(key) else " (partly filled)")
                    + "; allowed: all three blank, or the make, model and generation of "
                    "a us_specs.csv row")
        out.append((r, outcome, key))
    return out


def _roof_file_name(path=None) -> str:
    """How messages and the rows of :func:`_roof_targets` name a file of IIHS roof
    outcomes: ``iihs_roof_strength.csv`` for the shipped one (``path`` None), else the
    path read."""
    return "iihs_roof_strength.csv" if path is None else str(path)


def roof_year_range() -> tuple[int, int]:
    """Model years an IIHS roof outcome may carry: :data:`ROOF_TEST_FIRST_YEAR` to
    :data:`ROOF_TEST_LAST_YEAR` (the years IIHS rated roofs)."""
    return ROOF_TEST_FIRST_YEAR, ROOF_TEST_LAST_YEAR


def _roof_targets(known_path=None, roof_path=None
                  ) -> list[tuple[str, float, str, tuple[str, str, str], str, float]]:
    """(car, IIHS ratio or nan, rating, us_specs key, data file, the row's published curb
    mass in kg or nan) of every IIHS roof outcome with an importable generation:
    ``known_outcomes.csv`` (``curb_mass_kg``) through :data:`ROOF_MATCH`, then
    ``iihs_roof_strength.csv`` (``iihs_curb_weight_kg``) through its us_specs columns.
    Every row of both is checked by :func:`roof_outcome` (``known_path`` / ``roof_path``:
    other files of the same columns, then named by their path)."""
    known_name = "known_outcomes.csv" if known_path is None else str(known_path)
    known = {}
    for i, row in enumerate(_known_rows(known_path), start=2):
        known[row["vehicle"]] = (row, roof_outcome(
            f"{known_name} line {i} ({row['vehicle']})", row["iihs_roof_strength_to_weight"],
            row["iihs_roof_rating"], row["curb_mass_kg"],
            ("iihs_roof_strength_to_weight", "iihs_roof_rating", "curb_mass_kg"),
            ratio_required=False))
    out = []
    for vehicle, key in ROOF_MATCH.items():
        if vehicle in known:
            ratio, rating, curb = known[vehicle][1]
            out.append((vehicle, ratio, rating, key, known_name, curb))
    roof_name = _roof_file_name(roof_path)
    for r, (ratio, rating, curb), key in _checked_roof_rows(roof_path):
        if any(key):  # all three then (the check): a row with no generation is not compared
            out.append((f"{r['vehicle']} {r['generation']}", ratio, rating, key, roof_name,
                        curb))
    return out


def roof_checks(only: set[str] | None = None) -> list[dict]:
    """Model strength-to-weight against the IIHS ratio or rating of the matched cars
    (:func:`_roof_targets`; ``only``: those of these names), with the model's roof force
    (kN, one side), A-pillar wall (mm, ``a_pillar_mm``) and curb mass (kg), and whether
    that mass is the published one (``us_specs.csv`` ``curb_kg``) or the mass model's.
    IIHS divides the roof's peak force by the tested car's curb weight, so where the
    import had none (the car's mass is the mass model's) but the outcome row gives a
    published curb, the model's force is divided by that curb (``curb_kg`` then the
    published one, ``curb_published`` true); the imported model itself is unchanged
    (until 5 Dec 2026 the mass model's 721 kg stood for the smart 451's published 816 kg:
    +73 % instead of +53 %)."""
    out = []
    for vehicle, ratio, rating, (make, model, gen), file, row_curb in _roof_targets():
        if (ratio != ratio and rating not in RATING_FLOOR) or (only is not None
                                                              and vehicle not in only):
            continue
        vr = next(v for v in sources.vehicle_rows("us_specs")
                  if (v.row["make"], v.row["model"], v.row["generation"]) == (make, model, gen))
        base = {"vehicle": vehicle, "iihs_swr": ratio, "rating": rating,
                "floor": RATING_FLOOR.get(rating, float("nan")), "file": file,
                "curb_published": bool(vr.row.get("curb_kg"))}
        try:
            _, design, ev = _evaluate(vr)
        except InputError as exc:
            out.append(base | {"model_swr": float("nan"), "curb_kg": float("nan"),
                               "model_force_kn": float("nan"), "error": float("nan"),
                               "skipped": str(exc)})
            continue
        swr = float(ev.outputs["crash:roof:strength_to_weight"][0])
        force = float(ev.outputs["crash:roof:strength"][0])
        curb = float(ev.outputs["mass:curb"][0])
        if not base["curb_published"] and row_curb == row_curb:
            curb = row_curb
            swr = force * 1e3 / (curb * G0)
            base["curb_published"] = True
        out.append(base | {"model_swr": swr, "curb_kg": curb, "model_force_kn": force,
                           "a_pillar_mm": float(design["crash:roof:a_pillar_thickness"]),
                           "error": swr / ratio - 1.0 if ratio == ratio else float("nan")})
    return out


def _first_year(where: str, text: str) -> int:
    """The four-digit model year at the start of ``text`` (a data file's ``model_years``
    or ``launch_model_year``); else an :class:`InputError` naming where."""
    m = re.match(r"\s*(\d{4})\b", text or "")
    if not m:
        raise InputError(f"{where}: model year {text!r}; allowed: four digits first")
    return int(m.group(1))


def roof_era_ratios() -> dict:
    """The import's two design-era roof ratios refitted from the data files (issue 14,
    task s33h; ``specs.build.ROOF_STRENGTH_TO_WEIGHT_PRE`` and ``ROOF_STRENGTH_TO_WEIGHT``
    ship these values rounded, a test holds them within 0.5 %)::

        SWR_pre = exp(mean ln IIHS_i)   over every pre-era IIHS ratio on file (first US
                  model year <= build.ROOF_PRE_ERA_LAST_MODEL_YEAR: known_outcomes.csv
                  ``model_years``' first year, iihs_roof_strength.csv
                  ``launch_model_year``), importable or not
        SWR*    = exp(mean ln IIHS_u)   over the modern compared generations the import
                  sizes (:func:`_roof_targets` with a ratio, the import's first model year
                  later, ``build.roof_curb`` known)

    SWR* takes the model's ratio per unit target as 1: the import's closed form
    (``build.roof_pillar_thickness``) sizes the A-pillar wall exactly to the target while
    the wall is inside the registry's range (measured 0.9991-1.0009 on these 8 cars under
    the joint law, ``benchmarks/roof_era_ratio_trial.py --joint``). Returns the two ratios
    and the cars of each (names as :func:`roof_checks`)."""
    from keidesign.specs import build

    pre = {}
    for i, r in enumerate(_known_rows(), start=2):
        if r["iihs_roof_strength_to_weight"] and _first_year(
                f"known_outcomes.csv line {i}", r["model_years"]) \
                <= build.ROOF_PRE_ERA_LAST_MODEL_YEAR:
            pre[r["vehicle"]] = float(r["iihs_roof_strength_to_weight"])
    for i, r in enumerate(roof_rows(), start=2):
        if _first_year(f"iihs_roof_strength.csv line {i}", r.get("launch_model_year")) \
                <= build.ROOF_PRE_ERA_LAST_MODEL_YEAR:
            pre[f"{r['vehicle']} {r['generation']}"] = float(r["iihs_roof_strength_to_weight"])
    rows = {(v.row["make"], v.row["model"], v.row["generation"]): v
            for v in reversed(list(sources.vehicle_rows("us_specs")))}
    modern = {}
    for vehicle, ratio, _, key, _, _ in _roof_targets():
        if ratio != ratio or key not in rows:
            continue
        spec = sources.row_spec(rows[key])
        first = spec.get("first_model_year")
        if (first is None or first > build.ROOF_PRE_ERA_LAST_MODEL_YEAR) and \
                build.roof_curb(spec, build.is_kei(spec), False) is not None:
            modern[vehicle] = ratio
    return {"pre": math.exp(statistics.fmean(math.log(x) for x in pre.values())),
            "modern": math.exp(statistics.fmean(math.log(x) for x in modern.values())),
            "pre_cars": pre, "modern_cars": modern}


def roof_summary(rows: list[dict]) -> dict:
    """The model against the IIHS ratios of :func:`roof_checks` ``rows``: count, mean
    error (bias), mean absolute error, worst car, count within :data:`ROOF_BOUND`, and
    the same split at the median curb mass of the compared cars (``light``: at or below
    it), and the rated cars whose model ratio is below their rating's floor."""
    cars = [r for r in rows if r["iihs_swr"] == r["iihs_swr"] and "skipped" not in r]

    def stats(sub: list[dict]) -> dict:
        errs = [r["error"] for r in sub]
        if not errs:
            return {"n": 0}
        worst = max(sub, key=lambda r: abs(r["error"]))
        return {"n": len(errs), **error_summary(errs, bound=ROOF_BOUND),
                "worst": worst["vehicle"], "worst_error": worst["error"]}

    mid = statistics.median(r["curb_kg"] for r in cars) if cars else float("nan")
    return stats(cars) | {
        "median_curb_kg": mid,
        "light": stats([r for r in cars if r["curb_kg"] <= mid]),
        "heavy": stats([r for r in cars if r["curb_kg"] > mid]),
        "below_floor": [r["vehicle"] for r in rows
                        if "skipped" not in r and r["rating"] and r["model_swr"] < r["floor"]]}


def _failures(v: CarVerdict, failed: list[str]) -> str:
    """The rows ``failed`` of ``v`` (its federal criteria or its model proxies failed) with
    their margins, and what the frontal ones and the side ones compared (crush of the
    pulse; side crush needed and force; a figure missing from ``v`` is not said)."""
    text = ", ".join(f"{c.split(':', 1)[-1]} {v.margins[c][0]:+.0f} {v.margins[c][1]}"
                     for c in failed)
    if any(":fmvss208." in c for c in failed) and v.pulse:
        text += (f": crush {v.pulse['crush_mm']:.0f} mm, past the stack "
                 f"{v.pulse['past_mm']:.0f} of {v.pulse['available_mm']:.0f} mm")
    if any(":fmvss214." in c for c in failed) and v.side:
        text += (f": MDB / pole crush {v.side['mdb_crush_mm']:.0f} / "
                 f"{v.side['pole_crush_mm']:.0f} mm, door skin to seat centreline "
                 f"{v.side['door_to_seat_cl_mm']:.0f} mm")
    return text


def _ncap_pulse_lines(res: dict) -> list[str]:
    """The NCAP-pulse table of docs/crash.md (Validation, "US NCAP tests of small cars")."""
    checks = ncap_pulse_checks(res)
    if not checks:
        return []
    s = crush_scale_lofo(checks)
    over = [c for c in checks if c["crush_test_mm"] > c["available_mm"]]
    past = [c["crush_test_mm"] - c["stack_mm"] - c["available_mm"] for c in checks]
    excess = [x for x in past if x > 0.0]
    lines = ["", f"Maximum dynamic crush of {s['n']} certified generations against their US "
             "NCAP 56 km/h full-width test (`data/crash/ncap_frontal_pulses.csv`, crush and "
             "peak derived from NHTSA's body accelerometer by a public project, status R): "
             f"{s['within']} of {s['n']} within +/-15 %, mean error {s['mean_error']:+.0%}, "
             f"mean absolute error {s['mae']:.0%}. One global crush scale k = "
             f"{s['k']:.2f} (test / model, geometric mean; an estimate, not applied) would "
             f"give a leave-one-family-out mean absolute error of {s['lofo_mae']:.0%} "
             f"({s['lofo_within']} of {s['n']} within +/-15 %; {s['families']} families, "
             "Kia with Hyundai). The test's crush exceeds the model's crush available "
             f"(the budget of the crush past the stack) on {len(over)} of {s['n']} cars; "
             "less the stack compression of the car's model (the crush past the stack, "
             f"what the budget judges) on {len(excess)}"
             + (f", by {min(excess):.0f}-{max(excess):.0f} mm" if excess else "") + ".", "",
             "| car | NHTSA test | speed, km/h | crush test / model, mm | error | crush "
             "available (model), mm | peak test (CFC 60) / model (3 ms), g |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for c in sorted(checks, key=lambda c: c["crush_error"]):
        lines.append(f"| {c['vehicle']} | {c['test']} | {c['speed_kmh']:.1f} | "
                     f"{c['crush_test_mm']:.0f} / {c['crush_model_mm']:.0f} | "
                     f"{c['crush_error']:+.0%} | {c['available_mm']:.0f} | "
                     f"{c['peak_test_g']:.1f} / {c['peak_model_g']:.1f} |")
    return lines


def _roof_lines(roof: list[dict]) -> list[str]:
    """The IIHS roof table of docs/crash.md ("Known outcomes"): the summary of
    :func:`roof_summary` and one row per car, lightest first."""
    s = roof_summary(roof)
    bound = f"+/-{ROOF_BOUND * 100:.0f} %"

    def pct(x: float, sign: str = "+") -> str:
        return f"{round(x * 100):{sign}d} %"

    lines = [""]
    if s["n"]:
        def part(x: dict) -> str:
            return (f"{x['n']} cars, bias {pct(x['mean_error'])}, mean absolute error "
                    f"{pct(x['mae'], '')}, {x['within']} within {bound}")
        lines += [f"IIHS roof strength-to-weight ratios of {s['n']} certified generations "
                  "against the model's (`data/crash/known_outcomes.csv` and "
                  "`iihs_roof_strength.csv`; IIHS's own figures as quoted, status R): "
                  f"{s['within']} of {s['n']} within {bound}, bias "
                  f"{pct(s['mean_error'])}, mean absolute error {pct(s['mae'], '')}, worst "
                  f"{s['worst']} {pct(s['worst_error'])}. By curb mass (model, split at the "
                  f"median {s['median_curb_kg']:.0f} kg): at or below, {part(s['light'])}; "
                  f"above, {part(s['heavy'])}. Rated cars below their rating's floor: "
                  f"{len(s['below_floor'])}.", ""]
    lines += ["| car (IIHS) | curb mass (model), kg | model roof force, kN | model "
              "strength-to-weight | IIHS ratio | IIHS rating (floor) | check |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in sorted(roof, key=lambda r: (r["curb_kg"] != r["curb_kg"], r["curb_kg"])):
        if "skipped" in r:
            lines.append(f"| {r['vehicle']} | - | - | not importable | - | - | "
                         f"{r['skipped'].split(': ', 1)[-1][:70]} |")
            continue
        if r["iihs_swr"] == r["iihs_swr"]:
            check = f"{pct(r['error'])} (target {bound})"
        else:
            check = "in band" if r["model_swr"] >= r["floor"] else "below the rating"
        iihs = f"{r['iihs_swr']:.2f}" if r["iihs_swr"] == r["iihs_swr"] else "-"
        mass = f"{r['curb_kg']:.0f}" + ("" if r["curb_published"] else " (mass model)")
        lines.append(f"| {r['vehicle']} | {mass} | {r['model_force_kn']:.1f} | "
                     f"{r['model_swr']:.2f} | {iihs} | "
                     f"{r['rating'] or '-'} ({r['floor']:g}) | {check} |")
    return lines


def criteria_rows(cars: list[CarVerdict], crit: dict[str, list[str]]) -> list[str]:
    """The criteria table of :func:`markdown`: per judged criterion, its kind, the cars
    failing it (``crit``: criterion -> car names) and the worst margin with its car; a
    criterion whose value is a fit's class average, the same for every car
    (:data:`keidesign.crash.side_occupant.CLASS_AVERAGE`: the pole test's SID-IIs), says
    so instead of naming a car (any car would be the 'worst')."""
    from keidesign.crash.side_occupant import CLASS_AVERAGE

    packs = resolve_packs(["fmvss"])
    quantity = {con.full_id: con.quantity for p in packs for con in p.constraints}
    # the pack's derived rows, the model proxies (as fmvss_failures splits them)
    proxies = {con.full_id for p in packs for con in p.constraints if con.status == "derived"}
    n = len(cars)
    lines = ["| criterion | kind | cars failing | worst margin (car) |",
             "| --- | --- | --- | --- |"]
    for cid in sorted({cid for v in cars for cid in v.margins}):
        worst = min((v for v in cars if cid in v.margins), key=lambda v: v.margins[cid][0])
        m, u = worst.margins[cid]
        kind = ("policy" if is_policy(cid) else "model proxy" if cid in proxies
                else "federal")
        who = ("class average, same for every car" if quantity.get(cid) in CLASS_AVERAGE
               else worst.name)
        lines.append(f"| {cid} | {kind} | {len(crit.get(cid, []))} of {n} | "
                     f"{m:+.3g} {u} ({who}) |")
    return lines


def verdict_lines(cars: list[CarVerdict], n_skipped: int) -> list[str]:
    """The head of docs/crash.md's "Known outcomes" block: how many of ``cars`` fail a
    federal criterion (the target: none) and, beside it, how many fail a model proxy (not
    a federal criterion, reported, not hidden; counted with the criteria until task s34f),
    the criteria table (:func:`criteria_rows`) and the cars failing each kind."""
    n = len(cars)
    crit: dict[str, list[str]] = {}
    for v in cars:
        for cid in v.failed + v.proxies_failed + v.policy_failed:
            crit.setdefault(cid, []).append(v.name)
    lines = [f"{n} US-certified generations evaluated with the `fmvss` pack "
             f"({n_skipped} not importable); "
             f"{sum(1 for v in cars if v.failed)} fail at least one federal criterion "
             "in the model (target: none); "
             f"{sum(1 for v in cars if v.proxies_failed)} fail a model proxy (not a federal "
             "criterion: the pack's crush, ride-down and intrusion spaces, as `keidesign "
             "evaluate` lists them).", ""] + criteria_rows(cars, crit)
    for what, attr in (("a federal criterion", "failed"), ("a model proxy", "proxies_failed")):
        failing = sorted((v for v in cars if getattr(v, attr)),
                         key=lambda v: min(v.margins[c][0] for c in getattr(v, attr)))
        if failing:
            lines += ["", f"Cars failing {what}: " + "; ".join(
                f"{v.name} ({_failures(v, getattr(v, attr))})" for v in failing) + "."]
    return lines


def markdown(res: dict, roof: list[dict]) -> str:
    """The tables of docs/crash.md ("Known outcomes")."""
    cars = res["cars"]
    lines = verdict_lines(cars, len(res["skipped"]))
    lines += ["", "56 km/h full-width pulse of the certified cars (model):", "",
              "| quantity | min | median | max |", "| --- | --- | --- | --- |"]
    for key, what, fmt in (("mean_g", "mean deceleration V/t0, g", ".1f"),
                           ("crush_mm", "max dynamic crush, mm", ".0f"),
                           ("past_mm", "crush less the stack's own compression, mm", ".0f"),
                           ("available_mm", "crush available, mm", ".0f"),
                           ("olc_g", "OLC, g", ".1f"),
                           ("dash_mm", "dash intrusion, mm", ".1f")):
        xs = [max(v.pulse[key], 0.0) + 0.0 for v in cars]  # no "-0.0"
        lines.append(f"| {what} | {min(xs):{fmt}} | {statistics.median(xs):{fmt}} | "
                     f"{max(xs):{fmt}} |")
    lines += _ncap_pulse_lines(res)
    checks = intrusion_checks(res)
    if checks:
        below = sum(1 for c in checks if c["model_dash_mm"] <= c["iihs_toepan_mm"])
        lines += ["", "Dash intrusion of the model (56 km/h full width) beside the toe-pan "
                  "intrusion IIHS measured on the same generation (64 km/h, 40 % offset "
                  f"deformable barrier, driver side): model below the measurement for {below} "
                  f"of {len(checks)} cars.", "",
                  "| car | IIHS test(s) | IIHS largest toe-pan intrusion, mm | model dash "
                  "intrusion, mm |", "| --- | --- | --- | --- |"]
        for c in sorted(checks, key=lambda c: c["car"]):
            lines.append(f"| {c['car']} | {', '.join(c['iihs_tests'])} | "
                         f"{c['iihs_toepan_mm']:.0f} | "
                         f"{max(c['model_dash_mm'], 0.0) + 0.0:.1f} |")
    side = side_crush_checks(res)
    if side:
        pub = [c for c in side if c["curb_published"]]
        lines += ["", "IIHS side test (1,500 kg barrier at 50 km/h) of the certified minicars: "
                  "residual crush rebuilt from the B-pillar's residual distance to the seat "
                  "centreline (door skin to seat centreline W/2 - W20, W20 the import's 340 mm "
                  "[assumed]) beside the model's crush E/F (all barrier energy to the car; F "
                  "under the IIHS face, above the sill, since 4 Dec 2026); "
                  f"model below the test for {sum(c['crush_ratio'] < 1.0 for c in side)} of "
                  f"{len(side)} tests ({len(pub)} with a published curb mass).", "",
                  "| IIHS test (generation) | struck mass, kg | residual crush, mm | model "
                  "crush, mm | model / test | model force, kN | implied force E/C, kN |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for c in side:
            mark = "" if c["curb_published"] else ", curb from the mass model"
            lines.append(f"| {c['iihs_test']} ({c['car']}{mark}) | {c['mass_kg']:.0f} | "
                         f"{c['residual_crush_mm']:.0f} | {c['model_crush_mm']:.0f} | "
                         f"{c['crush_ratio']:.2f} | {c['model_force_kn']:.0f} | "
                         f"{c['implied_force_kn']:.0f} |")
    lines += _roof_lines(roof)
    return "\n".join(lines)
