"""A :class:`~keidesign.specs.sources.Spec` to design-file values, each with provenance.

Every key written is either from the source (its fact's note, ``# source: ...``) or
assumed with a basis (``# [assumed] ...``). The assumptions, by key (docs/import.md):

* body: style from height/width (a tall-boy when taller than 1.08 x the width); tracks
  from the width (kei 0.88, others 0.865: N-Box / Mirage ratios); front overhang as
  published (``front_overhang_mm`` of the vehicle file, :func:`sources._overhang_fact`),
  else a share of L - WB (kei 0.62 as nbox_class.toml, others 0.55 as mirage_class.toml;
  not a fitted class average: the files hold published overhangs of one family only,
  the smart fortwo, ``keidesign/data/vehicles/us_specs_README.md``);
  hood height, windshield rake, ground clearance class-typical; the tyre: kei 155/65R14,
  others the most common size of ``us_specs.csv``; a non-kei hatch/sedan's front seat
  (H30 from the body height, L53 789 mm: :func:`import_seat`, fitted on published leg
  and head room), a kei car's the registry's;
* road: Cd by body style and class (kei tall-boy 0.38 FASTSim N-Box, kei hatch 0.32 as
  alto_class.toml, others the median published Cd of ``us_specs.csv``); an open
  two-seater (``vehicle.roof = "open"``, two seats, kei or not) the median published
  top-closed Cd of the open two-seaters of ``open_body_cd.csv`` (:func:`open_body_cd`;
  a four-seat convertible keeps its class's closed-roof value); a ladder-frame passenger
  body with the engine ahead of the cabin (``vehicle.frame = "ladder"``, not a goods
  vehicle, ``layout`` front: not a cab-over truck or van) the median published Cd of the
  ladder-frame SUV generations of ``offroad_cd.csv`` (:func:`offroad_cd`); Crr the
  registry default;
* front crash structure: the equivalent rail set of the reference design of the
  nearest class (nbox/alto/sakura_class.toml for kei, mirage_class.toml otherwise),
  for a non-kei car of known mass with its walls sized to the test mass
  (:func:`_structure_scale`),
  the crush length 230 mm behind the front axle;
* roof (``[crash.roof]``): for the same cars (non-kei, not ``predict``, curb mass known:
  the import's, else the IIHS roof outcome row's published curb, :func:`roof_curb`)
  the A-pillar wall sized so that the roof holds its design era's ratio x the curb
  weight (:func:`roof_basis`: :data:`ROOF_STRENGTH_TO_WEIGHT_PRE` for a first US model
  year <= 2009, else :data:`ROOF_STRENGTH_TO_WEIGHT`; :func:`roof_pillar_thickness`; a
  roof designed to its era's target); others keep the registry's pillars;
* restraint (``[crash.restraint]``, with and, since task s45a, also with ``predict``, at
  the mass the written file gives): the registry's belt/airbag characteristic (25 mm
  slack, 250 kN/m, 35 kN per occupant) changed as little as lets the occupant ride down
  within the ride-down space in the design's own 56 km/h pulse: first the slack removed
  (earlier coupling, down to 0 mm), then the force level scaled by the smallest factor
  >= 1 (:func:`restraint_design`: a restraint is designed for its car's pulse, as the
  front structure for its car's mass); the table says in a comment that it is assumed
  (:data:`RESTRAINT_TABLE_COMMENT`); a spec file's ``[restraint]`` values are written
  instead (:func:`_spec_restraint_table`), the rule is then not run;
* powertrain: torque from displacement (97 N m/L, 150 turbocharged), cylinders from
  displacement, motor torque 2.8 N m/kW, gear ratios from the EPA N/V and axle ratio
  when known (else the transmission's typical values), fuel tank class-typical,
  compression ratio as published, else the class default of the turbo flag (kei
  engines 12.0 NA, 9.1 turbocharged:
  :data:`keidesign.energy.powertrains.COMPRESSION_RATIO_DEFAULT`; other cars 11.0 NA,
  9.9 turbocharged, the published US small-car engines:
  :data:`~keidesign.energy.powertrains.US_COMPRESSION_RATIO_DEFAULT`); layout as
  published (``vehicle.layout``, us_specs.csv ``layout``), else front (rear for a
  rear-drive EV); drive as published, else rear for a rear or mid layout (the engine or
  motor drives the axle it sits on [A]: no data row has a rear/mid engine driving the
  front axle), front otherwise.

With ``predict=True`` the measured values (published curb mass, EPA test weight and
coast-down) are left out, so the model predicts mass and road load from specs alone.
"""

from __future__ import annotations

import csv
import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from geometry.params import CELL_REAR_MARGIN, MIN_ARCH_WALL, MIN_GREENHOUSE, max_roof_radius
from geometry.profiles import ARCH_CLEARANCE, DASH_BEHIND_AXLE, REAR_SEATBACK, TOE_BOARD
from keidesign import variables
from keidesign.catalogue.mass import (
    DEFAULT_PAYLOAD_KG,
    KEI_SEATS,
    OCCUPANT_MASS_JP_KG,
    SEAT_MASS_KG,
    TEST_MASS_ADDER_KG,
    default_payload,
    goods_crew,
    goods_crew_mass,
    min_payload,
)
from keidesign.crash import energy_sizing as esz
from keidesign.crash import pulse
from keidesign.crash.roof import G0, RoofStrengthComp
from keidesign.crash.structure import DUMMY_MASS_KG
from keidesign.design import _FRONT_ROW_SEATS, _MIN_REAR_OVERHANG_MM, Design, parse_design
from keidesign.energy import constants as kc
from keidesign.energy.powertrains import (
    CHARGER_KW_DEFAULT,
    COMPRESSION_RATIO_DEFAULT,
    FAMILY,
    KEI_ISG_BATTERY_KWH,
    KEI_ISG_KW,
    TRANSMISSION_DEFAULTS,
    US_COMPRESSION_RATIO_DEFAULT,
    pack_resistance,
)
from keidesign.energy.vehicle import ROLLING_RADIUS_FACTOR, tyre_diameter_m
from keidesign.errors import show
from keidesign.model import build_problem
from keidesign.reuse import ProblemCache
from keidesign.specs import resultcache
from keidesign.specs import sources as src
from keidesign.specs.sources import Fact, Spec
from keidesign.specs.text import design_text

__all__ = ["DEFAULT_RULES", "Entry", "Table", "build_design", "design_pulse_inputs", "is_kei",
           "kei_idle_stop_default",
           "front_force_factor", "import_seat", "restraint_design", "restraint_values",
           "predicted_curb_pillar", "ROOF_SIZE_PREDICTED_CURB", "ENGINELESS_ENERGY_SIZING",
           "roof_pillar_thickness", "staggered_geometry_note",
           "with_restraint"]

#: FMVSS 208 test mass of the reference rail set's car: the Mirage class (published curb
#: 2018 lb = 915 kg, mirage_class.toml) + two Hybrid III 50th-male dummies
REFERENCE_TEST_MASS_KG = 915.0 + 2 * DUMMY_MASS_KG
#: Force per kg of test mass of an imported front, relative to the reference rail set's
#: (Mirage class at :data:`REFERENCE_TEST_MASS_KG`), per force-crush law (a level belongs
#: to the shape it was fitted with, docs/crash.md, "The front's force-crush shape"):
#:
#: * ``"campbell"`` (the model's law, :data:`keidesign.crash.pulse.FRONT_FORCE_LAW`):
#:   0.729 fitted on all 30 barrier tests (15 US NCAP 56 km/h crushes, 12 NHTSA FMVSS 208
#:   tests at 40 km/h, 3 NHTSA NCAP tests; zero mean log crush error on the 26 whose
#:   front this rule sizes; ``keidesign.validation.front_shape``, ``python
#:   benchmarks/crash_probes.py front_shape``): held out by family 40 km/h crush 12.6 %,
#:   NCAP crush 10.7 %, ESW 10.4 % mean absolute. Rounded to two digits.
#: * ``"staircase"`` (the zone staircase, the law until 4 Dec 2026): 0.807 fitted on the
#:   US NCAP 56 km/h crush of the 13 sized of 15 cars (data/crash/ncap_frontal_pulses.csv,
#:   status R; 0.744-0.831 with each of 9 families held out; held out 11.6 % NCAP crush,
#:   19.9 % at 40 km/h), ``python benchmarks/crash_probes.py ncap_force``.
FRONT_FORCE_FACTORS = {"campbell": 0.73, "staircase": 0.81}
#: what each law's level was fitted on (the import's note beside the wall thickness)
_LEVEL_BASIS = {"campbell": "30 US barrier tests", "staircase": "15 US NCAP crushes"}
#: the staircase's level (used whenever the law is the staircase)
STAIRCASE_FORCE_FACTOR = FRONT_FORCE_FACTORS["staircase"]
#: Campbell's line's level (the default law's)
CAMPBELL_FORCE_FACTOR = FRONT_FORCE_FACTORS["campbell"]
#: Override of the imported front's level for probes and what-ifs (None: the level of
#: :data:`FRONT_FORCE_FACTORS` for the law the model runs); read it through
#: :func:`front_force_factor`.
FRONT_FORCE_FACTOR: float | None = None


def front_force_factor(law: str | None = None) -> float:
    """The imported front's force per kg (x the reference rail set's) the import uses:
    :data:`FRONT_FORCE_FACTOR` if set, else the level fitted for ``law`` (None: the
    model's, :data:`keidesign.crash.pulse.FRONT_FORCE_LAW`) in
    :data:`FRONT_FORCE_FACTORS`."""
    if FRONT_FORCE_FACTOR is not None:
        return float(FRONT_FORCE_FACTOR)
    law = pulse.FRONT_FORCE_LAW if law is None else law
    if law not in FRONT_FORCE_FACTORS:
        raise src.InputError(f"front force law: {law!r}; allowed: {', '.join(FRONT_FORCE_FACTORS)}")
    return FRONT_FORCE_FACTORS[law]


#: Curb mass from an EPA test weight: ETW - 136 kg, the 300 lb of
#: :data:`~keidesign.catalogue.mass.TEST_MASS_ADDER_KG` to the kg (the ETW itself is a
#: 125/250-lb class; the unrounded 136.0777 would move the notes of the 3500, 4750, 6000
#: and 7250 lb classes by 1 kg and could change the nearest cars of the 3500 lb class)
ETW_TO_CURB_KG = float(round(TEST_MASS_ADDER_KG))
#: registry default crash-box wall thickness, mm
CRASH_BOX_T_MM = float(variables.get("crash:front:crash_box_thickness").default)
#: shortest rear-row couple distance the import assumes for a short car, mm [assumed: SAE
#: J1100 L50 of 2+2 coupes ~600-700 mm, design.py]; the Scion iQ (3+1 seats) got 813 mm
#: with the registry's L53 850 mm, fits the 850 mm with the import's 785 mm (task s38b;
#: 789 mm since task s38h, still fits)
SHORTEST_IMPORT_COUPLE_MM = 650.0
#: A hybrid's motor power (kW) from which the import assumes a full layout (drives
#: electrically with the engine stopped: power split, P2 with a clutch, two-motor) when the
#: spec does not name it: the 11 EPA hybrid systems of hybrid_systems.csv have crankshaft
#: motors (Honda IMA, mild) of 10-17 kW and full systems of 32-96 kW; the threshold lies
#: between (a belt or crankshaft ISG of a kei car: 2-3 kW).
FULL_HYBRID_MOTOR_KW = 25.0
#: The kei ISG rating and pack the import assumes for a kei-class hybrid that names no
#: motor power (no full layout) or no battery: :data:`keidesign.energy.powertrains.
#: KEI_ISG_KW` and :data:`~keidesign.energy.powertrains.KEI_ISG_BATTERY_KWH`, the
#: constants the kei WLTC check runs with (one set for every path; re-exported here).
#: Before 4 Dec 2026 the registry's 10 kW / 0.5 kWh gave the 2020 Roox +5.7 % WLTC
#: (docs/validation.md, third new-user pass).
#: Idle stop-start on a kei passenger car whose source does not say (4 Dec 2026): the
#: configurations of MLIT's passenger kei WLTC lists (自動車燃費一覧, March 2020, 2022,
#: 2023 and 2026; ``data/vehicles/mlit_kei_wltc.csv``, 736 rows, fuel-saving measure ``I``
#: = idle stop, status V) with idle stop / all, by hybrid and transmission family
#: (:data:`keidesign.energy.powertrains.FAMILY`; ``manual`` holds the 5-speed automated
#: manuals): every mild hybrid (all CVT), 91 % of the CVTs and 88 % of the automatics
#: without a hybrid, 18 % of the manuals. The import assumes the majority of the car's
#: group (:func:`kei_idle_stop_default`); a kei goods vehicle keeps no idle stop (the
#: goods lists were not counted).
KEI_IDLE_STOP_COUNTS = {"hybrid": (297, 297), "cvt": (339, 374), "automatic": (28, 32),
                        "manual": (6, 33)}


def kei_idle_stop_default(transmission: str, hybrid: bool) -> tuple[bool, str]:
    """Idle stop of a kei passenger car whose source names none, and its basis: the
    majority of its group in :data:`KEI_IDLE_STOP_COUNTS` (``hybrid``: a mild hybrid,
    else the family of ``transmission``, a design-file type such as ``cvt``, ``mt5``,
    ``at4``; a family not counted, e.g. ``dct``: no idle stop)."""
    group = "hybrid" if hybrid else FAMILY.get(transmission, transmission)
    if group not in KEI_IDLE_STOP_COUNTS:
        return False, "no stop-start named in the source"
    n_i, n = KEI_IDLE_STOP_COUNTS[group]
    what = "kei mild hybrids" if hybrid else f"kei passenger cars with a {group} transmission"
    return 2 * n_i > n, (f"no stop-start named in the source: {n_i} of {n} {what} in MLIT's "
                         "2020-2026 WLTC lists have idle stop (data/vehicles/mlit_kei_wltc.csv)")


#: Maximum load (最大積載量) the import assumes for a kei goods vehicle (``vehicle.use =
#: "goods"``) that gives no ``mass.max_load``: the kei goods limit, 350 kg (PHYSICS.md,
#: V; rule ``kei.cargo``), the rating of the Every DA17V and Hijet Cargo S321V vans with
#: two occupants (4 seats: 250 kg), status R (kei_automatics.csv README).
KEI_GOODS_MAX_LOAD_KG = 350.0
#: registry default rolling-resistance coefficient (fitted with road:crr_speed on the EPA
#: coast-downs, docs/validation.md (e))
CRR = float(variables.get("road:crr").default)


#: Strength-to-weight ratio an imported car's roof is designed to (one side, peak force
#: before 127 mm of plate travel over the curb weight; issue 14): by the generation's
#: design era (:func:`roof_basis`; shipped 6 Dec 2026, task s33h, with the roof model's
#: B-pillar joint law, ``crash.roof.b_pillar_joint_share``). This one, SWR*, is the modern
#: era's (first US model year after :data:`ROOF_PRE_ERA_LAST_MODEL_YEAR`): the geometric
#: mean of IIHS's ratio over the model's ratio per unit target of the 8 modern generations
#: the import sizes (Fit GK, Sonic, Versa N17, Bolt EV, i3, Prius c, Mazda 3 BL, Fiat 500;
#: data/crash/known_outcomes.csv and iihs_roof_strength.csv, R), the unit ratios
#: 0.9991-1.0009 under the joint law: 5.436 (``benchmarks/roof_era_ratio_trial.py
#: --joint``; refit from the data files by ``validation.crash.roof_era_ratios``, which a
#: test holds within 0.5 %). Held out by family (the other families' ratios) with
#: :data:`ROOF_STRENGTH_TO_WEIGHT_PRE` and the joint law, the 11 IIHS comparisons: 11 of
#: 11 within +/-20 %, MAE 9.9 %, bias +0.5 % (shipped 5.34 with B_PILLAR_SHARE 0.5: 8,
#: 22.2 %, +18.4 %). Basis [R]: IIHS's roof rating (good >= 4.0, required for a Top
#: Safety Pick from 2010; iihs.org, "Roof strength"; safetyresearch.net, "The New De Facto
#: Roof Strength Standard?"), FMVSS 216a S5.1 (3.0 x the unloaded weight, phased in
#: MY2013-2017); the fitted 5.44 above 4.0 is the makers' margin [A]. Override for probes
#: and what-ifs; None: the registry's pillars. Until task s33h: 5.34 for every
#: generation (7 IIHS tests 2011-, with the B-pillar's constant half).
ROOF_STRENGTH_TO_WEIGHT: float | None = 5.436
#: SWR_pre, the pre-era ratio (first US model year <= :data:`ROOF_PRE_ERA_LAST_MODEL_
#: YEAR`: designed before FMVSS 216a's final rule, 74 FR 22348, May 2009, when FMVSS 216
#: asked 1.5 x, and before IIHS's roof rating, first ratings 2009) [A: the era as a
#: design target; R: the ratios]: the geometric mean of the six sourced pre-era IIHS
#: ratios on file (smart 451, MINI R56, Fit GE, and three more of iihs_roof_strength.csv;
#: both data files' ``source``), 3.747; no model run (a sized roof's ratio equals its
#: target inside the wall's range). Held out by family 3.48-3.89. Validity: generations
#: first sold in the US from about MY2000 to MY2009 (the ratios' range).
ROOF_STRENGTH_TO_WEIGHT_PRE: float = 3.747
#: last first US model year of a pre-era roof design (FMVSS 216a's final rule and IIHS's
#: first roof ratings, 2009; the era key of tasks s24f, s27c, s30f, s33a)
ROOF_PRE_ERA_LAST_MODEL_YEAR = 2009
#: the one key the roof rule writes (the B-pillar's section is the side model's too)
A_PILLAR_T = "crash:roof:a_pillar_thickness"
#: the pillars' grade keys: A-pillar, and the side structure's (B-pillar, door beams)
ERA_A_KEY, ERA_B_KEY = "crash:roof:material", "crash:side:material"

#: Design era of an imported structure (issue 14, task s24f, 5 Dec 2026; trial
#: ``benchmarks/roof_floor_trial.py``): a generation whose first US model year
#: (us_specs ``model_years``) is at most this one was designed before FMVSS 216a's final
#: rule (May 2009: 3.0 x the unloaded weight; before it FMVSS 216's 1.5 x) and before
#: IIHS's roof rating (first ratings 2009), and gets the era's pillar grades
#: :data:`ERA_PILLAR_GRADES` instead of the registry's (hot-stamped 1,500 MPa A-pillar,
#: DP980 B-pillar, today's class). None: no era (every import the registry's grades):
#: NOT shipped (see :data:`ERA_PILLAR_GRADES`); 2009 for the trial.
#: Range: a model year (:data:`ERA_YEAR_RANGE`); error: a generation launched by 2009
#: with a post-216a roof gets the weaker grade (it matters only with no curb to size to).
ROOF_ERA_LAST_MODEL_YEAR: int | None = None
#: allowed range of a first model year read for the era key (a typo refused)
ERA_YEAR_RANGE = (1970, 2040)
#: The pre-216a era's pillar grades [A: the compared cars' own grades are not
#: published]; basis [R]: the highest grade in Honda's 2006 Civic body was 590 MPa
#: (50 % high-strength steel; M. Pafumi, Honda R&D Americas, "Advanced High Strength
#: Steel Technology in the 2006 Honda Civic", autosteel.org); the special steels of
#: GM's Aveo T250 (a 2009 IIHS roof car) ranged 340-550 MPa, of its successor the Sonic
#: (2012) 1,000 MPa and more with press-hardened steel in the B-pillar and front header
#: (GM's Sonic release, 3d-car-shows.com); pillar reinforcements moved from mild steel
#: to boron steel over about 15 years (vari-form.com, "Material development"). The
#: later era keeps the registry's grades (the Fit GK of 2015: A-pillar 980 MPa,
#: B-pillar hot-stamped 1,500 MPa, netdenjd.com; not used: the registry's pair is kept).
#: Tried against a rule written before its run (``benchmarks/roof_floor_trial.py``): the
#: rule passed (the 11 IIHS comparisons 8 -> 9 within +/-20 %, MAE 22.2 -> 12.3 %, bias
#: +18.4 -> +3.1 %: MINI R56 +86 -> -7 %, smart 451 +53 -> -23 %; none of 131 certified
#: cars newly failing; reference designs and NCAP constants unchanged) but NOT shipped:
#: the same DP590 side structure puts the Fit GE's IIHS side-test crush at 560 mm
#: against the measured 402 (0.94 -> 1.39 of the test; MINI R56 0.86 -> 1.28), so the
#: measured side tests of two of these very cars contradict a DP590 B-pillar, and the
#: MINI's 3.21 falls under its acceptable rating's floor 3.25.
ERA_PILLAR_GRADES: dict[str, str] = {ERA_A_KEY: "dp_590", ERA_B_KEY: "dp_590"}

def roof_basis(spec: Spec) -> tuple[float, str]:
    """(ratio, basis note) the import sizes ``spec``'s roof to, by its design era: a
    generation whose first US model year (``first_model_year``, us_specs ``model_years``)
    is at most :data:`ROOF_PRE_ERA_LAST_MODEL_YEAR` gets :data:`ROOF_STRENGTH_TO_WEIGHT_
    PRE`, any other (later, or no first year) :data:`ROOF_STRENGTH_TO_WEIGHT` (which must
    be set). The trials of other bases swap this function inside their block
    (``benchmarks/roof_fleet_era_trial.py``, ``roof_era_ratio_trial.py``)."""
    first = spec.get("first_model_year")
    if first is not None and first <= ROOF_PRE_ERA_LAST_MODEL_YEAR:
        return (float(ROOF_STRENGTH_TO_WEIGHT_PRE),
                f"pre-era design (first US model year {first} <= "
                f"{ROOF_PRE_ERA_LAST_MODEL_YEAR}): the geometric mean of 6 pre-era IIHS "
                "ratios")
    return (float(ROOF_STRENGTH_TO_WEIGHT),
            "roof designed to a strength-to-weight ratio fitted on 8 IIHS tests 2011-")


def era_pillar_grades(spec: Spec, kei: bool, predict: bool) -> dict[str, str] | None:
    """The era's pillar grades of an imported structure (:data:`ERA_PILLAR_GRADES`) when
    the generation was designed before FMVSS 216a (first US model year <= :data:`ROOF_
    ERA_LAST_MODEL_YEAR`), else None (the registry's grades): only for a non-kei
    us_specs row (its ``first_model_year``), not with ``predict`` (the registry's
    structure, as for the roof sizing). A first model year outside
    :data:`ERA_YEAR_RANGE` is an :class:`InputError`."""
    first = spec.get("first_model_year")
    if ROOF_ERA_LAST_MODEL_YEAR is None or kei or predict or first is None:
        return None
    lo, hi = ERA_YEAR_RANGE
    if not lo <= first <= hi:
        raise src.InputError(f"{spec.name}: first model year {first!r}; allowed: "
                             f"{lo}-{hi}")
    return dict(ERA_PILLAR_GRADES) if first <= ROOF_ERA_LAST_MODEL_YEAR else None


def _table_grades(tables: list[Table]) -> dict[str, str]:
    """The pillar grades the import's ``[crash.roof]`` / ``[crash.side]`` tables set."""
    out = {}
    for t in tables:
        for key, tname in ((ERA_A_KEY, "crash.roof"), (ERA_B_KEY, "crash.side")):
            for e in t.entries if t.name == tname else ():
                if e.key == "material":
                    out[key] = e.value
    return out


def _import_curb(spec: Spec, kei: bool, predict: bool) -> float | None:
    """The curb mass (kg) an imported structure is sized to: the published one, else the
    EPA test weight (of the car, or of its EPA test-car twin for a us_specs row) - 136
    kg; None for a kei car, with ``predict`` or when neither is known (the structure
    keeps its reference or registry sections)."""
    etw = spec.get("etw") or spec.get("twin_etw")
    curb = spec.get("curb") or (etw - ETW_TO_CURB_KG if etw else None)
    return None if kei or predict or not curb else float(curb)


@cache
def _outcome_curbs() -> dict[str, float]:
    """Published curb (kg) of each IIHS roof outcome row with an importable generation,
    by the import's spec name of that generation
    (:func:`keidesign.specs.roof_outcomes.published_curbs`: known_outcomes.csv
    ``curb_mass_kg``, iihs_roof_strength.csv ``iihs_curb_weight_kg``, R; rows with none
    left out; the same pairs as ``validation.crash._roof_targets``)."""
    from keidesign.specs.roof_outcomes import published_curbs

    rows = {(v.row["make"], v.row["model"], v.row["generation"]): v
            for v in reversed(list(src.vehicle_rows("us_specs")))}
    out = {}
    for key, curb in published_curbs():
        if key in rows:
            out[src.row_spec(rows[key]).name] = curb
    return out


def roof_curb(spec: Spec, kei: bool, predict: bool) -> float | None:
    """The curb mass (kg) an imported roof is sized to: the import's
    (:func:`_import_curb`: published, or EPA test weight - 136 kg), else, for a non-kei
    import without ``predict``, the published curb of the generation's IIHS roof outcome
    row (:func:`_outcome_curbs`: smart 451 816, MINI R56 1,150, Fiat 500 1,072 kg [R]),
    the curb IIHS divides the roof's force by; None when neither is known. Roof only:
    the front, restraint and mass model keep the import's curb (task s24b kept those
    curbs out of us_specs). Shipped with the design era (task s33h; trial
    ``benchmarks/roof_era_ratio_trial.py``)."""
    curb = _import_curb(spec, kei, predict)
    if curb is None and not kei and not predict:
        return _outcome_curbs().get(spec.name)
    return curb


def roof_pillar_thickness(height: float, hood_height: float, rake: float, curb: float,
                          swr: float, grades: dict[str, str] | None = None
                          ) -> tuple[float, float, bool]:
    """(t_A mm, target kN, bounded) of the A-pillar wall that gives a roof of ``height``,
    cowl ``hood_height`` (mm) and windshield ``rake`` (deg from vertical) a strength of
    ``swr`` x ``curb`` (kg) x g, one side::

        F_roof(t_A) = swr m g
        F_roof(t_A) = 2 M_p,A(t_A) / ((H - h_c) tan rake) + F_B,  M_p,A = sigma_0 t_A d (w + d/2)
        =>  t_A = t_0 (F_target - F_B) / (F_roof(t_0) - F_B),  F_B = F_roof(0)

    F_roof the model's closed form (:class:`keidesign.crash.roof.RoofStrengthComp`) at
    the registry's sections and grades, t_0 the registry's A-pillar wall: exact, as the
    plastic moment (:func:`keidesign.crash.members.box_plastic_moment`) is linear in the
    wall. Only the A-pillar moves: the B-pillar's section is the side model's too.
    Bounded to the registry's range of the A-pillar wall (``bounded`` says when).
    Validity: the roof model's (compact closed pillar sections, quasi-static plate
    test); ``swr`` > 0 (:class:`InputError` otherwise). ``grades``: the pillars' grades
    by key (``crash:roof:material``, ``crash:side:material``; :func:`era_pillar_grades`),
    the registry's defaults where absent."""
    if not swr > 0.0:
        raise src.InputError(f"roof strength-to-weight ratio: {swr!r}; allowed: > 0")
    var = variables.get(A_PILLAR_T)
    g = {k: float(variables.get(k).default) for k in RoofStrengthComp.INPUTS
         if k.startswith("crash:")}
    g |= {"body:height": height, "body:hood_height": hood_height,
          "body:windshield_rake": rake, "mass:curb": curb}
    grades = grades or {}
    comp = RoofStrengthComp(
        a_material=grades.get(ERA_A_KEY, variables.get(ERA_A_KEY).default),
        b_material=grades.get(ERA_B_KEY, variables.get(ERA_B_KEY).default),
        sill_material=variables.get("crash:side:sill_material").default,
        roof_rail_material=variables.get("crash:side:roof_rail_material").default)

    def force(t: float) -> float:
        return float(comp.values(g | {A_PILLAR_T: t})["crash:roof:strength"])

    t0 = float(var.default)
    f0, f_b = force(t0), force(0.0)
    target = swr * curb * G0 * 1e-3
    t = t0 * (target - f_b) / (f0 - f_b)
    bounded = min(max(t, var.lower), var.upper)
    return bounded, target, bounded != t


def staggered_geometry_note(driven_mm: float, other_mm: float) -> str:
    """The import's comment on a staggered car's ``body.tyre_other_width``: the other
    axle's size is read by the wheel mass only; the geometry (both wheelhouses' inner
    walls ``track / 2 - width / 2 - 30 mm`` at the narrower track, the arches' radius,
    the track + tyre <= width check) takes all four corners at the driven axle's
    ``body.tyre_*``. Conservative (the room between the wheelhouses understated by up to
    the width difference) when the other tyre is narrower, as on every staggered row of
    ``us_specs.csv`` (driven rears wider); a wider other tyre is flagged, its room
    between the wheelhouses overstated by up to (other - driven) mm, not refused."""
    note = ("; wheel mass only: the geometry (wheelhouses, arches, track + tyre check) "
            f"takes both axles at the driven axle's tyre_width ({driven_mm:g} mm)")
    if other_mm > driven_mm:
        note += (f"; WARNING: this undriven tyre is {other_mm - driven_mm:g} mm wider, so the "
                 "room between the wheelhouses is overstated by up to that much")
    return note


def _era_tables(spec: Spec, kei: bool, predict: bool) -> tuple[Table | None, Table | None]:
    """``[crash.roof]`` and ``[crash.side]`` with the era's pillar grades of a generation
    designed before FMVSS 216a (:func:`era_pillar_grades`); (None, None) otherwise."""
    grades = era_pillar_grades(spec, kei, predict)
    if grades is None:
        return None, None
    note = (f"pre-FMVSS 216a design (first US model year {spec.get('first_model_year')} <= "
            f"{ROOF_ERA_LAST_MODEL_YEAR}): the era's pillar grade, the car's own not "
            "published (590 MPa the highest grade of the era's small-car bodies; "
            "build.ERA_PILLAR_GRADES, docs/crash.md)")
    roof, side = Table("crash.roof"), Table("crash.side")
    roof.add("material", grades[ERA_A_KEY], "A-pillar: " + note, True)
    side.add("material", grades[ERA_B_KEY], "B-pillar and door beams: " + note, True)
    return roof, side


def _roof_table(spec: Spec, kei: bool, predict: bool, body: Table) -> Table | None:
    """``[crash.roof]`` of an import whose roof curb is known (:func:`roof_curb`): the
    A-pillar wall for its era's ratio (:func:`roof_basis`) at the era's grades
    (:func:`_era_tables`), and those grades (None: no table)."""
    roof, _ = _era_tables(spec, kei, predict)
    curb = roof_curb(spec, kei, predict)
    if curb is None or ROOF_STRENGTH_TO_WEIGHT is None:
        return roof
    b = {e.key: float(e.value) for e in body.entries
         if e.key in ("height", "hood_height", "windshield_rake")}
    swr, basis = roof_basis(spec)
    grades = era_pillar_grades(spec, kei, predict)
    t, target, bounded = roof_pillar_thickness(b["height"], b["hood_height"],
                                               b["windshield_rake"], curb, swr, grades)
    roof = roof or Table("crash.roof")
    roof.add("a_pillar_thickness", round(t, 2),
             f"registry section, wall for a roof of {swr:g} x curb weight = {swr:g} x "
             f"{curb:.0f} kg x g = {target:.1f} kN one side ("
             + ("at the registry's bound; " if bounded else "")
             + basis + "; docs/crash.md)", True)
    return roof


#: Whether an import of a non-kei car with no published curb and no EPA test weight (no
#: ETW twin either) sizes its roof to the mass model's curb (:func:`_predicted_roof_table`;
#: issue 14, task s24b, 5 Dec 2026). NOT shipped (False: such a car keeps the registry's
#: pillars): tried against a keep rule written before the run
#: (``benchmarks/roof_curb_trial.py``), it moved the 11 IIHS comparisons 8 -> 9 within
#: +/-20 %, MAE 26.1 -> 17.7 %, no certified car newly failing, but every car it sized
#: (smart 451, Fiat 500, MINI R56, Spark M300) went to the registry's lowest A-pillar wall,
#: 0.4 mm, with ratios 5.48-7.25 instead of 5.34 (targets 37.5-51.3 kN below the model's
#: roof at that wall, 50.9-55.5 kN, of which the B-pillar term alone 45-49 kN), so the
#: bound, not the design ratio, set their roofs: keep rule 4 failed. Re-run with the
#: pre-216a era's pillar grades of the (not shipped) trial of task s24f, rules unchanged:
#: rules 1 and 4 fail (MAE 12.3 -> 14.9 %; the Fiat 500 and Spark at the bound). True
#: for the trial.
ROOF_SIZE_PREDICTED_CURB = False
#: passes of the closed-form fixed point of :func:`predicted_curb_pillar` (each shrinks
#: the error by b S_0 / t_0, about 0.01 on the compared cars: three passes leave < 1e-5 kg)
ROOF_CURB_PASSES = 3


def predicted_curb_pillar(height: float, hood_height: float, rake: float, m0: float,
                          s0: float, swr: float, grades: dict[str, str] | None = None
                          ) -> tuple[float, float, float, bool]:
    """(t_A mm, curb kg, target kN, bounded) of a roof of ``swr`` x the mass model's own
    curb, when that curb depends on the A-pillar wall it sizes: a fixed point. From ONE
    run of the model at the registry's wall t_0 (mass model's curb ``m0`` kg, both
    A-pillars ``s0`` kg = ``crash:roof:structure_mass``)::

        m(t)   = m_0 + S_0 (t / t_0 - 1)       (S = 2 rho 2 (w + d) t L_A: linear in t,
                                                 zero at t = 0; summed once in the curb
                                                 through mass:crash_structure)
        t(m)   = roof_pillar_thickness(..., m, swr)    (linear in m, then bounded)
        m_k+1  = m(t(m_k)),  m_0 the run's curb

    The map contracts by b S_0 / t_0 (b = dt/dm = t_0 swr g / (F(t_0) - F(0)), about
    0.003 mm/kg; S_0 / t_0 about 4 kg/mm on the compared cars: 0.01), so
    :data:`ROOF_CURB_PASSES` passes of the closed form give the root without a second
    model run. Assumption [A]: the curb moves by the pillars' own mass only (d curb /
    d S = 1). ``grades``: the pillars' grades (:func:`roof_pillar_thickness`). Measured
    (``benchmarks/roof_curb_trial.py``, 4 cars): the run of the sized
    design has d curb / d S = 1.11 (the chassis is sized by the gross mass, the mass
    model's secondary-mass law), so the fixed point's curb is 0.45-0.49 kg above the
    run's (0.05 %), far below the wall's rounding to 0.01 mm. Validity: a contraction
    (b S_0 / t_0 < 1) while the wall is inside the registry's bounds; at a bound the wall
    is the bound and the curb the run's at that wall; checked on mass model curbs of
    716-979 kg with S_0 / t_0 about 4 kg/mm (the 4 compared cars of the trial; any ``swr`` > 0,
    as :func:`roof_pillar_thickness`). Units: mm, kg, kN."""
    t0 = float(variables.get(A_PILLAR_T).default)
    m, t, target, bounded = m0, t0, 0.0, False
    for _ in range(ROOF_CURB_PASSES):
        t, target, bounded = roof_pillar_thickness(height, hood_height, rake, m, swr,
                                                   grades)
        m = m0 + s0 * (t / t0 - 1.0)
    return t, m, target, bounded


def _predicted_roof_table(header: list[str], tables: list[Table], body: Table,
                          cache: bool = False) -> Table | None:
    """``[crash.roof]`` of a non-kei import with no published or EPA-derived curb (not
    ``predict``): the A-pillar wall for :data:`ROOF_STRENGTH_TO_WEIGHT` x the mass
    model's curb of the design ``tables`` describe (:func:`predicted_curb_pillar`, one
    model run with the registry's pillars); None when the model cannot run the design.

    Why the mass model's curb: a maker designs the roof to a ratio of the car's weight
    (docs/crash.md, "The imported roof sized to its car's mass"), known to it whether or
    not a curb is published; the import's best estimate of that weight when none is
    published is the mass model's, the same mass its own ratio is then computed on (the
    model's ``crash:roof:strength_to_weight``). Not shipped
    (:data:`ROOF_SIZE_PREDICTED_CURB` False: such a car keeps the registry's pillars, a
    flat 64-72 kN whatever its mass): on the light cars it reaches (720-980 kg) the wall
    goes to the registry's 0.4 mm bound, which then sets the roof. Not with ``predict``
    (:func:`_import_curb`): there the mass model's curb is the prediction being judged
    (``keidesign validate``: mass against the published curbs), and the front structure
    and the roof keep the registry's sections (the restraint, the rule's since task s45a,
    moves no mass), so a predict import's mass stays one model run of the registry's
    structure; the roof's pillars enter its curb by 1-3 kg only. With ``cache``, the run's
    two numbers are kept on disk like the restraint rule's (key: the design text under a
    ``roof rule`` line)."""
    if ROOF_STRENGTH_TO_WEIGHT is None or not ROOF_SIZE_PREDICTED_CURB:
        return None
    held = _model_masses(design_text(header, tables), ("mass:curb", "crash:roof:structure_mass"),
                         "roof rule", cache)
    if not held:
        return None
    m0, s0 = (float(v) for v in held)
    b = {e.key: float(e.value) for e in body.entries
         if e.key in ("height", "hood_height", "windshield_rake")}
    swr = float(ROOF_STRENGTH_TO_WEIGHT)
    t, m, target, bounded = predicted_curb_pillar(b["height"], b["hood_height"],
                                                  b["windshield_rake"], m0, s0, swr,
                                                  _table_grades(tables))
    roof = Table("crash.roof")
    roof.add("a_pillar_thickness", round(t, 2),
             f"registry section, wall for a roof of {swr:g} x curb weight = {swr:g} x "
             f"{m:.0f} kg x g = {target:.1f} kN one side, the curb the mass model's (none "
             "published; with this wall: the fixed point) ("
             + ("at the registry's bound; " if bounded else "")
             + "roof designed to a strength-to-weight ratio fitted on 7 IIHS tests "
             "2011-; docs/crash.md)", True)
    return roof


def _structure_scale(spec: Spec, kei: bool, predict: bool) -> tuple[float, str] | None:
    """Wall-thickness factor that makes the front structure's force level proportional
    to the FMVSS 208 test mass (stiffness proportional to mass), with its basis::

        t / t_ref = (phi m_test / m_ref)^(3/5),   F / m_test = phi F_ref / m_ref

    (phi = :func:`front_force_factor`, the level fitted for the model's force-crush law:
    0.73 for Campbell's line on 30 barrier tests, 0.81 for the staircase on the US NCAP
    crush of 15 small cars, judged held out by family; m_ref
    = :data:`REFERENCE_TEST_MASS_KG`).

    A front is designed for a deceleration pulse the restraints can take, so its crush
    force scales with the mass it stops: NCAP full-width energy-equivalent stiffness
    KW400 of a 1,354 kg Neon and a 2,622 kg Silverado is 0.92 and 0.97 N/mm per kg
    (data/crash/fullwidth_pulse_stats.csv). The superfolding force goes as t^(5/3)
    (members.py), so the walls go as (phi m / m_ref)^(3/5). The level phi: the
    reference design's force per kg crushed 13 of 15 NCAP-tested small cars short (mean
    -10 %); phi = 0.81 is the level of their tests under the staircase, 0.73 under
    Campbell's line on those and the 15 NHTSA barrier tests (docs/crash.md). Only for
    a non-kei car whose curb mass is published and used (kei imports keep their class's
    rail set; with ``predict`` the curb mass is unknown and the reference set is
    written). The curb
    mass is the published one, else the EPA test weight (of the car, or of its EPA
    test-car twin for a us_specs row) - 136 kg, as the mass basis of the body split.
    """
    curb = _import_curb(spec, kei, predict)
    if curb is None:
        return None
    m_test = curb + 2 * DUMMY_MASS_KG
    phi = front_force_factor()
    f = structure_factor(curb)
    return f, (f"x (phi m_test / m_ref)^(3/5) = ({phi:g} x {m_test:.0f} / "
               f"{REFERENCE_TEST_MASS_KG:.0f})^0.6 (front force proportional to test mass, "
               f"its level phi fitted for the {pulse.FRONT_FORCE_LAW} force-crush law on "
               f"{_LEVEL_BASIS[pulse.FRONT_FORCE_LAW]}; docs/crash.md)")


#: The import's engine-less sizing rule (docs/crash.md, "Energy sizing of engine-less
#: imported fronts"; ``benchmarks/engineless_sizing_trial.py``, its ship rule written
#: before the first run): a non-kei front with no engine or motor ahead of the dash
#: (:data:`keidesign.crash.energy_sizing.ENGINELESS_LAYOUTS`) sized so that its zones
#: absorb the test energy within their own stroke (:func:`_energy_sized_front`), instead
#: of the force per kg fitted on front-engined fronts, within the design crush
#: min(S, C*) (:data:`ENGINELESS_CLASS_CRUSH_MM`). Shipped 6 Dec 2026 (task s28b: its
#: ship rule, written before the first run, passed). False: every front keeps
#: :func:`_structure_scale` (the rule before 6 Dec 2026), for comparison.
ENGINELESS_ENERGY_SIZING = True
#: the class crush C* (mm) of the engine-less sizing (docs/crash.md, "A class crush for
#: engine-less imported fronts", task s28b; ``benchmarks/engineless_class_crush_trial.py``):
#: the zones absorb the test energy within min(S, C*), S their own stroke; None: within S
#: (the s25a rule, not shipped: the held-out Tesla Model 3 +36 %). C* = V^2 / (2 a*), a*
#: the class's energy-equivalent deceleration at V = 56 km/h (18.85 g): one constant,
#: fitted on the five engine-less tests (smart 451 ED 8314, smart W453 10039, i-MiEV 7863,
#: Tesla Model 3 10383, Model S 8308; the C* minimising sum ln^2(min(S_i, C*) / c_i)),
#: held out by family 652.5-656.5 mm; 4 of the 5 tests within +/-15 % crush and +/-25 %
#: peak held out (the W453's zones, 474 mm, exceed its test's 411 mm whatever C*).
ENGINELESS_CLASS_CRUSH_MM: float | None = 654.5
#: passes of the engine-less sizing's fixed point (each one model run; it stops earlier
#: when the rounded walls no longer change)
ENERGY_SIZING_PASSES = 3
#: the walls the engine-less sizing rewrites (``[crash.front]`` keys)
ENERGY_SIZED_WALLS = ("wall_thickness", "crash_box_thickness")


#: most passes of the payload's fixed point under a published GVWR and a predicted curb
#: (:func:`_gvwr_payload`; each one model run). It stops when a run's payload moves less
#: than 1 kg (converged: the written payload is that run's own); the cap only bounds it
#: and, when reached, the note says it did not converge. The map contracts by ~0.11 (the
#: chassis term), so 300 kg -> 223 -> 232 -> 231 -> 231 converges in 4 runs (the W453 ED)
GVWR_PAYLOAD_PASSES = 6


def _model_masses(text: str, keys: tuple[str, ...], tag: str, cache: bool) -> list[float]:
    """The masses ``keys`` (kg) of one model run of the design ``text`` (empty when the
    model cannot run it); with ``cache`` kept on disk like the restraint rule's numbers
    (key: the design text under a ``tag`` line)."""
    held = resultcache.read(f"{tag}\n{text}", lambda h: h == [] or resultcache.numbers(
        h, len(keys))) if cache else None
    if held is None:
        try:
            prob = build_problem(parse_design(text, f"<import: {tag}>"), round_footprint=True)
            prob.run_model()
            held = [float(np.ravel(prob.get_val(k, units="kg"))[0]) for k in keys]
        except src.InputError:
            held = []
        if cache:
            resultcache.write(f"{tag}\n{text}", held)
    return [float(v) for v in held]


def _model_curb(text: str, cache: bool) -> float | None:
    """The mass model's curb (kg) of the design ``text`` (one model run,
    :func:`_model_masses`; None when the model cannot run it)."""
    held = _model_masses(text, ("mass:curb",), "GVWR payload", cache)
    return held[0] if held else None


def _gvwr_payload(header: list[str], tables: list[Table], mass: Table, gvwr: Fact,
                  curb: Fact | None, seats: Any, cache: bool = False) -> None:
    """Set ``mass.payload`` (``mass`` of ``tables``, in place) from a published gross
    vehicle weight rating instead of the registry's 300 kg (4 x 55 kg + 80 kg, assumed)::

        m_payload = GVWR - m_curb        (kg; the vehicle capacity weight)

    the occupants and cargo the rating leaves on the unloaded vehicle, at equality in
    49 CFR 567.4(g)(3) (GVWR >= unloaded vehicle weight + rated cargo and luggage + 68 kg
    per designated seating position) [R]; the FMVSS 208 test mass (S8.1.1: unloaded
    weight + rated cargo + dummies, ``crash.structure.CrashTestMassComp``) is then
    GVWR - 68 kg x seats + the dummies, whatever the curb. ``m_curb`` is the published
    curb, else the mass model's, which moves with the payload (the chassis term
    ``c_ch (m_curb + m_payload)``): a fixed point of model runs, stopping when a run at
    the written payload gives it back within 1 kg (the note's curb is then that run's, the
    one of the payload written); at most :data:`GVWR_PAYLOAD_PASSES` runs, after which the
    last payload is written and the note says the fixed point had not converged. Assumption
    [A]: the maker's vehicle capacity weight fills the rating (no margin for options).
    Validity: 68 kg x seats <= GVWR - curb <= the registry's largest ``mass.payload``;
    outside it one clear :class:`InputError` (the field, the value, the allowed range),
    never a clamped payload: an impossible published value is refused, as the vehicle
    rows' other columns are (``sources._gvwr_fact`` checks a published curb already).
    When the model cannot run the design the payload stays as written."""
    entry = next(e for e in mass.entries if e.key == "payload")
    bounds = variables.get("mass:payload")
    low = max(bounds.lower, SEAT_MASS_KG * int(seats))
    rating = float(gvwr.value)

    def refuse(m_curb: float, basis: str, payload: float) -> src.InputError:
        return src.InputError(
            f"gvwr_kg = {rating:g} kg leaves a payload of GVWR - curb ({basis} curb, "
            f"{m_curb:.0f} kg) = {payload:.0f} kg; allowed: {low:g} to {bounds.upper:g} kg "
            f"({SEAT_MASS_KG:g} kg x {int(seats)} seats, 49 CFR 567.4(g)(3), up to the "
            f"largest mass.payload), i.e. gvwr_kg {m_curb + low:.0f} to "
            f"{m_curb + bounds.upper:.0f} kg for this curb; GVWR: {gvwr.note}")

    if curb is not None:
        m_curb, basis, passes, converged = float(curb.value), "the published", 0, True
        new = round(rating - m_curb)
        if not low <= new <= bounds.upper:
            raise refuse(m_curb, basis, new)
    else:
        basis, converged, passes = "the mass model's (none published)", False, 0
        while passes < GVWR_PAYLOAD_PASSES:
            run = _model_curb(design_text(header, tables), cache)
            if run is None:  # the last run's payload stands, not converged
                if not passes:
                    return
                break
            m_curb, at, passes = run, float(entry.value), passes + 1
            new = round(rating - m_curb)
            if not bounds.lower <= new <= bounds.upper:  # the model cannot run it there
                raise refuse(m_curb, basis, new)
            converged = abs(new - at) < 1.0
            if converged:
                break
            entry.value = float(new)
        if new < low:
            raise refuse(m_curb, basis, new)
    runs = "" if not passes else (
        f", {passes} model run{'s' if passes > 1 else ''} of the fixed point" if converged
        else f", the run at {at:.0f} kg of payload: the fixed point had not converged after "
             f"{passes} runs (the last step {new - at:+.0f} kg)")
    entry.value = float(new)
    entry.note = (f"GVWR {rating:.0f} kg - curb {m_curb:.0f} kg ({basis} curb{runs}): the "
                  f"vehicle capacity weight the rating leaves, 49 CFR 567.4(g)(3) at "
                  f"equality; GVWR: {gvwr.note}")
    entry.assumed = True


def _energy_sizing_run(text: str, cache: bool,
                       class_crush_mm: float | None = None) -> tuple[list[float], str]:
    """``([s, target m, m_test kg, S m], "")`` of one pass of :func:`_energy_sized_front`
    on the design ``text`` (one model run): the force scale s whose crush is the target
    min(S, C*) (S the zones' own stroke, C* = ``class_crush_mm``; None: S), or
    ``([], why)`` when the model cannot run it or no force scale reaches the target (the
    :class:`InputError`'s message); with ``cache`` kept on disk like the restraint rule's
    numbers."""
    key = f"energy sizing/3\n{class_crush_mm!r}\n" + text
    held = resultcache.read(key, lambda h: isinstance(h, list) and len(h) == 2 and (
        h[0] == [] or resultcache.numbers(h[0], 4)) and isinstance(h[1], str)
        and len(h[1]) < 4000) if cache else None
    if held is None:
        try:
            inputs = design_pulse_inputs(parse_design(text, "<import: energy sizing>"))
            p = pulse.params_from_inputs(inputs)
            stroke = esz.zone_stroke(p)
            target = esz.design_crush(stroke, class_crush_mm)
            held = [[esz.force_scale(p, target), target, inputs["crash:front:test_mass"],
                     stroke], ""]
        except src.InputError as exc:
            held = [[], str(exc)]
        if cache:
            resultcache.write(key, held)
    return [float(v) for v in held[0]], str(held[1])


def _energy_sized_front(header: list[str], tables: list[Table], crash: Table, layout: str,
                        curb_basis: str, cache: bool = False) -> None:
    """Rewrite the walls of the engine-less front ``crash`` (``[crash.front]`` of
    ``tables``, layout ``layout``) in place so that its zones absorb the 56 km/h
    full-width test's energy within the design crush C_d = min(S, C*)
    (:mod:`keidesign.crash.energy_sizing`; docs/crash.md, "Energy sizing of engine-less
    imported fronts", "A class crush for engine-less imported fronts")::

        E = m V^2 / 2 = integral_0^C_d F(x) dx,   C(s; m, V) = C_d   (V = 56 km/h)
        t_k+1 = t_k s_k^(3/5)     (each wall; rounded to 0.01 mm)

    m the FMVSS 208 test mass of the model run of the design as written (kg: the
    published curb, or the mass model's, ``curb_basis``, + cargo + dummies), S the
    zones' own stroke up to the gap (m, ``energy_sizing.zone_stroke``), C* the class crush
    :data:`ENGINELESS_CLASS_CRUSH_MM` (None: C_d = S), s the force scale
    whose three-mass pulse crush is C_d (``energy_sizing.force_scale``), the walls going as
    s^(3/5) (superfolding force ~ t^(5/3)). A fixed point: the mass model's curb moves
    with the walls (the rails' own mass), and the bumper's force does not follow them, so
    up to :data:`ENERGY_SIZING_PASSES` passes, each one model run on the current walls,
    stopping when the rounded walls no longer change; the walls stay within the
    registry's bounds. Starts from the walls :func:`_structure_scale` wrote (the
    reference set where no curb is known; the crash box at the registry's default).
    Assumptions [A]: the maker sized an engine-less front to absorb the test energy in
    its zones (no block to crush or to push the dash), within C* where they are longer
    (one class deceleration a* = V^2 / (2 C*), fitted on five tests); eta = 1.
    Validity: non-kei imports (kei imports keep their class's rail set), not
    ``predict``. When a pass fails (the model cannot run the design, or no force scale
    reaches the stroke: :func:`energy_sizing.force_scale`) the walls stay as the last
    pass left them (as written when it is the first), and their notes say so and why."""
    walls = {e.key: e for e in crash.entries if e.key in ENERGY_SIZED_WALLS}
    if "crash_box_thickness" not in walls:
        crash.add("crash_box_thickness", CRASH_BOX_T_MM, "registry default", True)
        walls["crash_box_thickness"] = crash.entries[-1]
    start = {k: (float(e.value), "the force-per-kg rule's" if "(phi m_test / m_ref)" in e.note
                 else "the registry default" if e.note == "registry default"
                 else "the reference rail set's") for k, e in walls.items()}
    passes, last, failed = 0, [], ""
    while passes < ENERGY_SIZING_PASSES:
        run, failed = _energy_sizing_run(design_text(header, tables), cache,
                                         ENGINELESS_CLASS_CRUSH_MM)
        if not run:
            break
        passes, last = passes + 1, run
        moved = False
        for k, e in walls.items():
            v = variables.get(f"crash:front:{k}")
            new = round(min(max(float(e.value) * run[0] ** 0.6, v.lower), v.upper), 2)
            moved = moved or new != float(e.value)
            e.value = new
        if not moved:
            break
    if not passes:
        for k, e in walls.items():
            e.note = (f"{e.note} (kept at {start[k][0]:g} mm, not sized by energy: the "
                      f"energy sizing of this engine-less front ({layout} layout) failed: "
                      f"{failed}; docs/crash.md)")
            e.assumed = True
        return
    s, target, m, stroke = last
    energy = 0.5 * m * (esz.DESIGN_SPEED_KMH / 3.6) ** 2 * 1e-3
    tail = (f"; pass {passes + 1} failed ({failed}), so these are pass {passes}'s walls"
            if failed else "")
    cap = ENGINELESS_CLASS_CRUSH_MM
    if cap is None:
        within, fitted = f"within their own stroke {stroke * 1e3:.0f} mm", "no fitted parameter"
    elif target < stroke:
        within = (f"within the class crush C* = {cap:g} mm, shorter than their own stroke "
                  f"{stroke * 1e3:.0f} mm")
        fitted = "C* fitted on the five engine-less tests"
    else:
        within = (f"within their own stroke {stroke * 1e3:.0f} mm, shorter than the class "
                  f"crush C* = {cap:g} mm")
        fitted = "C* fitted on the five engine-less tests"
    for k, e in walls.items():
        t0, basis = start[k]
        e.note = (f"{basis} {t0:g} mm x {e.value / t0:.3f}: "
                  f"an engine-less front ({layout} layout) sized by energy, not by the force "
                  f"per kg of front-engined fronts: its zones absorb the 56 km/h test energy "
                  f"m V^2 / 2 = {energy:.0f} kJ (test mass {m:.0f} kg, the curb {curb_basis})"
                  f" {within} ({passes} pass"
                  f"{'es' if passes > 1 else ''} of the fixed point, the last force x {s:.3f}"
                  f"{tail}; {fitted}; docs/crash.md)")
        e.assumed = True


#: the restraint keys the rule scales together (their registry defaults: the class's
#: restraint every import carried before, docs/crash.md)
RESTRAINT_KEYS = ("crash:restraint:stiffness", "crash:restraint:load_limit")
#: step of the restraint scale factor
RESTRAINT_STEP = 0.01
#: step of the slack the rule removes first (mm), down to RESTRAINT_SLACK_FLOOR
RESTRAINT_SLACK_STEP = 1.0
#: the least slack the rule gives (mm): the dummy is belted without slack in the test
#: (FMVSS 208 positioning, as quoted in SAE 980557's abstract) and the pretensioner keeps
#: the belt tight from the first milliseconds (docs/crash.md)
RESTRAINT_SLACK_FLOOR = 0.0


def restraint_design(values: dict) -> tuple[float, float, float, float]:
    """The restraint that fits the occupant's ride-down into its space in the car's own
    pulse: ``(slack mm, lambda, excursion mm, excursion at the registry restraint mm)``.

    ``values``: the pulse inputs (:data:`keidesign.crash.pulse.PULSE_INPUTS`, registered
    units) of the design with the registry's restraint (slack s_0 = 25 mm, force
    F(d) = F_ll tanh(k_r d / F_ll), pulse.py). Two stages, each the smallest change that
    fits, with excursion(s, lambda) the occupant's forward travel relative to the body in
    the full three-mass 56 km/h pulse (the occupant's load acts back on the body) and S
    the ride-down space::

        1. earlier coupling:  s = max { s_0 - j ds >= s_min : excursion(s, 1) <= S }
        2. if none fits:      s = s_min,
                              lambda = min { 1 + 0.01 j : excursion(s_min, lambda) <= S }
                              (stiffness and load limit both times lambda)

    with ds = 1 mm and s_min = 0 (the dummy is belted without slack in the FMVSS 208 test,
    SAE 980557 abstract; a pyrotechnic pretensioner keeps the belt tight from the first
    milliseconds). Basis [assumed]: a restraint is designed for its car's pulse so that
    the occupant stops within the space before the wheel or panel; coupling earlier
    comes first because it rides the occupant down over more of the car's own crush and
    lowers the occupant's deceleration for the same space, while a stiffer, stronger
    restraint raises it. Japanese minicars meet their harsh full-width rigid-barrier
    pulses with dummy values below the thresholds through "the early and timely
    restraint system", and a later restraint trigger raises the injury measures
    (Mizuno et al., minicar crashworthiness, abstract, wbldb.lievers.net/10094079);
    load limiters trade chest load against excursion (Ekambaram, Frampton & Jackson,
    Loughborough); the OLC's 300 mm path (Kubler et al., ESV 2009, 09-0268). The
    registry's restraint, the class's (the NCAP dummy constants carry its tuning), is a
    floor on the force level (lambda >= 1) and a ceiling on the slack: a softer or
    looser restraint for a soft pulse is not assumed (the unbelted and offset load cases
    a real restraint also meets are not modelled). Capped at the registry's upper
    bounds (load limit 100 kN): a pulse no restraint can ride down within S keeps the
    cap and fails ``fmvss208.ride_down_space``. Not fitted: no car's excursion or dummy
    value enters.
    """
    par = pulse.params_from_inputs({k: np.asarray(values[k], dtype=float)
                                    for k in pulse.PULSE_INPUTS})
    base = {k: float(np.ravel(v)[0]) for k, v in par.items()}
    s0 = base["slack"] * 1e3
    slack = np.arange(s0, RESTRAINT_SLACK_FLOOR - 1e-9, -RESTRAINT_SLACK_STEP)
    if slack.size == 0 or slack[-1] > RESTRAINT_SLACK_FLOOR:
        slack = np.append(slack, RESTRAINT_SLACK_FLOOR)
    caps = [variables.get(k).upper / variables.get(k).default for k in RESTRAINT_KEYS]
    n = int(round((min(caps) - 1.0) / RESTRAINT_STEP))
    lam = 1.0 + RESTRAINT_STEP * np.arange(1, n + 1)
    # one compiled call: the slack lanes at lambda = 1, then the lambda lanes at s_min
    lane_s = np.concatenate([slack, np.full(lam.shape, slack[-1])])
    lane_l = np.concatenate([np.ones(slack.shape), lam])
    lanes = {k: np.full(lane_s.shape, v) for k, v in base.items()}
    lanes["slack"] = lane_s * 1e-3
    lanes["k_r"] = lanes["k_r"] * lane_l
    lanes["f_ll"] = lanes["f_ll"] * lane_l
    exc = pulse.simulate_cases(lanes)["excursion"] * 1e3
    space = float(np.ravel(values["crash:restraint:ride_down_space"])[0])
    fits = np.nonzero(exc <= space)[0]
    j = int(fits[0]) if fits.size else lane_s.size - 1
    return (round(float(lane_s[j]), 1), round(float(lane_l[j]), 2), float(exc[j]),
            float(exc[0]))


def design_pulse_inputs(design: Design, problems: ProblemCache | None = None
                        ) -> dict[str, float]:
    """The pulse inputs (:data:`keidesign.crash.pulse.PULSE_INPUTS`, registered units)
    of ``design``, from one run of its model (raises :class:`InputError` when the model
    cannot run it); with ``problems`` (a :class:`keidesign.reuse.ProblemCache`) the run
    reuses a set-up problem of the design's structure (the same numbers, bit for bit)."""
    if problems is not None:
        prob = problems.run(design, round_footprint=True)
    else:
        prob = build_problem(design, round_footprint=True)
        prob.run_model()
    return {k: float(np.ravel(prob.get_val(k, units=variables.get(k).units))[0])
            for k in pulse.PULSE_INPUTS}


def restraint_values(slack: float, lam: float) -> dict[str, float]:
    """The restraint keys the rule writes (registered names and units): slack ``slack``
    mm, stiffness and load limit the registry defaults x ``lam`` (:func:`restraint_design`)."""
    out = {"crash:restraint:slack": float(slack)}
    for k in RESTRAINT_KEYS:
        out[k] = round(float(variables.get(k).default) * lam, 2)
    return out


def with_restraint(design: Design, slack: float, lam: float) -> Design:
    """``design`` with the rule's restraint (:func:`restraint_values`) in place of its own."""
    return design.replace(**restraint_values(slack, lam))


#: The comment above the ``[crash.restraint]`` table the rule writes: the table is an
#: assumption, visible and editable, not a measurement (task s45a).
RESTRAINT_TABLE_COMMENT = (
    "[assumed] the import's restraint rule (keidesign.specs.build.restraint_design), not "
    "measured: no source publishes a car's belt slack, stiffness or load limit. Basis: this "
    "car's own 56 km/h pulse and its ride-down space, as the model runs this file (with "
    "--predict: at the predicted mass). After a change that moves the pulse (crush length, "
    "rails, mass), rerun `python benchmarks/crash_probes.py new_design_restraint --design "
    "FILE` or make these keys study variables (docs/import.md).")

#: A spec file's restraint facts (``[restraint]`` of a spec TOML,
#: :data:`keidesign.specs.sources.USER_SCHEMA`) -> the ``[crash.restraint]`` keys
SPEC_RESTRAINT = {"restraint_slack": "slack", "restraint_stiffness": "stiffness",
                  "restraint_load_limit": "load_limit"}


def _spec_restraint_table(spec: Spec) -> Table | None:
    """``[crash.restraint]`` of a spec file that gives restraint values (any of
    :data:`SPEC_RESTRAINT`): those values with their source; the keys it does not give are
    written as the registry defaults, marked assumed (the rule, which scales the registry
    restraint, is not run: it would overrule the values the spec gives). None when the
    spec gives none."""
    given = [f for f in SPEC_RESTRAINT if f in spec.facts]
    if not given:
        return None
    t = Table("crash.restraint", comments=[
        "the restraint values of the spec file; keys it does not give: the registry "
        "defaults (the import's restraint rule is not applied to a spec that gives any)"])
    for fkey, key in SPEC_RESTRAINT.items():
        if fkey in spec.facts:
            t.fact(key, spec.facts[fkey])
        else:
            v = variables.get(f"crash:restraint:{key}")
            t.add(key, float(v.default), f"registry default {float(v.default):g} {v.units}: "
                  "not in the spec file's [restraint]", True)
    return t


def _restraint_table(header: list[str], tables: list[Table], cache: bool = False,
                     problems: ProblemCache | None = None) -> Table | None:
    """``[crash.restraint]`` of the rule (:func:`restraint_design`) from the pulse of the
    design ``tables`` describe (run once with the registry's restraint); None when the
    model cannot run that design (its own evaluation then says why, under its name).
    With ``cache``, the rule's numbers are read from and kept on disk per design text
    (:mod:`keidesign.specs.resultcache`: the same numbers, keyed by the text, the packages
    and the libraries). ``problems``: the model run on a reused problem
    (:func:`design_pulse_inputs`)."""
    text = design_text(header, tables)
    held = resultcache.read(text, lambda h: h == [] or resultcache.numbers(h, 6)
                            ) if cache else None
    if held is None:
        try:
            design = parse_design(text, "<import: restraint rule>")
            values = design_pulse_inputs(design, problems)
        except src.InputError:
            held = []
        else:
            held = [*restraint_design(values), values["crash:restraint:ride_down_space"],
                    values["crash:restraint:slack"]]
        if cache:
            resultcache.write(text, held)
    if not held:
        return None
    slack, lam, exc, exc0, space, s0 = (float(v) for v in held)
    t = Table("crash.restraint", comments=[RESTRAINT_TABLE_COMMENT])
    rule = (f"the least change of the registry restraint with which the occupant's "
            f"excursion in this design's 56 km/h pulse fits the {space:g} mm ride-down "
            f"space, earlier coupling (slack down to {RESTRAINT_SLACK_FLOOR:g} mm) "
            f"before a stronger restraint")
    if slack == s0 and lam == 1.0:  # the registry restraint fits: said once, not twice
        t.add("slack", slack, f"registry default {s0:g} mm, kept: {rule}; the registry "
              f"restraint fits as it is ({exc0:.0f} mm; restraint designed for the car's "
              f"pulse; docs/crash.md)", True)
    else:
        basis = (f"{rule}: {exc0:.0f} mm at slack {s0:g} mm x1, {exc:.0f} mm at slack "
                 f"{slack:g} mm x{lam:.2f} (restraint designed for the car's pulse; "
                 f"docs/crash.md)")
        t.add("slack", slack, f"registry default {s0:g} mm -> {slack:g} mm: {basis}", True)
    scaled = restraint_values(slack, lam)
    for k in RESTRAINT_KEYS:
        d = float(variables.get(k).default)
        t.add(k.rsplit(":", 1)[1], scaled[k],
              f"registry default {d:g} {variables.get(k).units} x {lam:.2f}, the rule "
              f"above", True)
    return t


#: The front seat of an imported US hatch/sedan (task s37c fit, wired by task s38b,
#: refitted on more published cars by task s38h):
#: ``H30 = IMPORT_H30_MM + IMPORT_H30_SLOPE (H - IMPORT_H30_REF_MM)`` (mm, SAE J1100 seat
#: height) with the body height ``H`` clamped to :data:`IMPORT_SEAT_HEIGHTS_MM`, and
#: ``L53 = IMPORT_L53_MM`` (H-point behind the accelerator heel point). Fitted by least
#: squares on the published front head room H61 and leg room L34 of 17 imported
#: generations of 15 families (H61: 12 families, L34: 14;
#: keidesign/data/vehicles/published_packaging.csv, each row's URL and quote, status R,
#: mostly secondary pages) through the model's own H61 / L34 construction:
#: ``benchmarks/interior_packaging_fit.py`` (a 312.2 mm, b 0.328, c 788.9 mm, rounded
#: here), held out by family H61 MAE 29 mm and L34 14 mm against the registry
#: constants' (270 / 850 mm) 46 / 52 mm; on s37c's rows 44 / 17 mm where s37c's law
#: (303 + 0.404 (H - 1500), L53 785 mm) held out 51 / 19 mm; the EPA passenger volumes'
#: S1 error 11.7 % (registry) -> 6.0 % (s37c's law 6.3 %; docs/classification.md).
#: Assumptions: the published figures are J1100-type at the rearmost seat; a taller car
#: seats higher (one slope, b >= 0; folds 0.079-0.547), the H-point's distance behind the
#: heel one constant (folds 786-791 mm). Validity: hatch/sedan bodies 1,394-1,669 mm high
#: (the fitted and S1 cars; outside, the clamped height's seat); not kei cars (no
#: published kei J1100 dimension) [A, fitted].
IMPORT_H30_MM, IMPORT_H30_SLOPE, IMPORT_H30_REF_MM = 312.0, 0.328, 1500.0
IMPORT_SEAT_HEIGHTS_MM = (1394.0, 1669.0)
IMPORT_L53_MM = 789.0


def import_seat(height: float) -> tuple[float, float, str]:
    """(H30 mm, L53 mm, basis) of an imported US hatch/sedan of body ``height`` (mm):
    the law of :data:`IMPORT_H30_MM` (equations, fit, validity there), H30 rounded to
    1 mm. A height that is no body height (not finite, or not positive) raises
    :class:`ValueError`: the clamp is for real cars outside the fitted range."""
    try:   # an integer beyond a float's range (10**400) is no height either (s39c)
        given = float(height)
    except (TypeError, ValueError, OverflowError):
        given = math.nan
    if not (math.isfinite(given) and given > 0.0) or isinstance(height, bool):
        raise ValueError(f"import_seat: body height {show(height)} mm is not a positive "
                         "finite number")
    lo, hi = IMPORT_SEAT_HEIGHTS_MM
    h = min(max(given, lo), hi)
    h30 = float(round(IMPORT_H30_MM + IMPORT_H30_SLOPE * (h - IMPORT_H30_REF_MM)))
    clamp = "" if h == given else f", the height clamped to {h:g} mm"
    basis = (f"H30 = {IMPORT_H30_MM:g} + {IMPORT_H30_SLOPE:g} (H - {IMPORT_H30_REF_MM:g})"
             f"{clamp}, L53 = {IMPORT_L53_MM:g} mm, fitted on the published front head "
             "room (12 families) and leg room (14) of 15 imported families (tasks s37c, "
             "s38h, published_packaging.csv)")
    return h30, IMPORT_L53_MM, basis


DEFAULT_RULES = ["kei-japan", "fmvss", "epa-label", "cafe-2024", "us-highway", "packaging"]
#: Kei box (Japanese Road Transport Vehicle Act): length, width, displacement.
KEI_LENGTH_MM, KEI_WIDTH_MM, KEI_CC = 3400.0, 1480.0, 660.0
TALLBOY_HEIGHT_RATIO = 1.08
TRACK_RATIO = {"kei": 0.88, "us": 0.865}
FRONT_OVERHANG_SHARE = {"kei": 0.62, "us": 0.55}
CRUSH_BEHIND_AXLE_MM = DASH_BEHIND_AXLE  # the size law's reference dash too (geometry.profiles)
TORQUE_PER_LITRE = {False: 97.0, True: 150.0}
MOTOR_TORQUE_PER_KW = 2.8
KEI_TYRE = (155.0, 65.0, 14.0)


@dataclass
class Entry:
    """One key of the design file: ``value`` in the variable's units, or ``text`` as
    written (a quantity string keeps the source's number); ``note`` the provenance."""

    key: str
    value: Any
    note: str
    assumed: bool
    text: str | None = None


@dataclass
class Table:
    name: str
    entries: list[Entry] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    def add(self, key: str, value: Any, note: str, assumed: bool,
            text: str | None = None) -> None:
        self.entries.append(Entry(key, value, note, assumed, text))

    def fact(self, key: str, fact: Fact) -> None:
        self.entries.append(Entry(key, fact.value, fact.note, fact.assumed, fact.text))


def is_kei(spec: Spec) -> bool:
    """A kei-class spec: from kei.csv, or within the kei length, width and displacement."""
    if spec.kind == "kei":
        return True
    length, width = spec.get("length"), spec.get("width")
    cc = spec.get("displacement")
    return bool(length and width and length <= KEI_LENGTH_MM and width <= KEI_WIDTH_MM
                and (spec.get("type") == "bev" or (cc is not None and cc <= KEI_CC)))


@cache
def _us_specs_typical() -> tuple[float, int, tuple[float, float, float], int, str]:
    """Median Cd (and count) and most common tyre (and count, text) of us_specs.csv."""
    cds = [float(r.row["cd"]) for r in src.us_specs_rows() if src._float(r.row.get("cd"))]
    tyres = [t for r in src.us_specs_rows() if (t := src.parse_tyre(r.row.get("tyre", "")))]
    (tyre, n), = Counter(tyres).most_common(1)
    text = f"{tyre[0]:g}/{tyre[1]:g}R{tyre[2]:g} ({n} of the {len(tyres)} sizes)"
    return round(statistics.median(cds), 3), len(cds), tyre, n, text


#: Lowest front overhang the import assumes (mm): the registry's lower bound of
#: ``body.front_overhang``
FRONT_OVERHANG_MIN_MM = float(variables.get("body:front_overhang").lower)
#: The powertrain stack length the import assumes (``powertrain.block_length``, mm): a
#: motor + inverter (sakura_class.toml) for a BEV, a transverse engine + transaxle
#: (nbox_class.toml) otherwise
BLOCK_LENGTH_MM = {True: 350.0, False: 450.0}
#: The reference rail set's wall (mm) that :func:`structure_factor` scales
RAIL_WALL_MM = 2.0


def import_tyre(spec: Spec, kei: bool) -> tuple[tuple[float, float, float], str, bool]:
    """(tyre (width mm, aspect %, rim inch), note, assumed) of an import: the source's,
    else the standard kei size for a kei car, else the most common size of
    ``us_specs.csv``."""
    f = spec.facts.get("tyre")
    if f:
        return f.value, f.note, f.assumed
    if kei:
        return KEI_TYRE, "155/65R14, the standard kei size (alto/nbox/sakura_class.toml)", True
    _, _, tyre, _, text = _us_specs_typical()
    size, count = text.split(None, 1)
    return tyre, f"{size}, the most common size of us_specs.csv {count}; none in the source", True


def import_track(width: float, tyre_width: float, cls: str) -> float:
    """The track (mm) the import assumes when the source gives none: ``TRACK_RATIO`` x
    the width, at most the width less one tyre width (the design's track + tyre <= width
    relation)."""
    return min(round(TRACK_RATIO[cls] * width), math.floor(width - tyre_width))


def import_front_overhang(length: float, wheelbase: float, cls: str) -> float:
    """The front overhang (mm) the import assumes when the source gives none:
    ``FRONT_OVERHANG_SHARE`` of the overhangs' sum ``length - wheelbase``, at least
    :data:`FRONT_OVERHANG_MIN_MM` and leaving the rear at least 200 mm."""
    total = length - wheelbase
    return max(FRONT_OVERHANG_MIN_MM, min(round(FRONT_OVERHANG_SHARE[cls] * total),
                                          math.floor(total - 200.0)))


def import_style(spec: Spec) -> str:
    """The body style of an import: the source's, else a tall-boy when the height exceeds
    :data:`TALLBOY_HEIGHT_RATIO` x the width, else a hatch."""
    height, width = spec.get("height"), spec.get("width")
    return spec.get("style") or ("tallboy" if height and width
                                 and height > TALLBOY_HEIGHT_RATIO * width else "hatch")


def import_layout(spec: Spec) -> str:
    """The powertrain layout of an import: the source's, else a rear-drive BEV's motor on
    the rear axle, else a front engine or motor."""
    bev = spec.get("type") == "bev"
    return spec.get("layout") or ("rear" if bev and spec.get("drive") == "rwd" else "front")


def import_crush_length(front_overhang: float, length: float, layout: str, bev: bool) -> float:
    """The front crush length (mm) the import assumes: the front overhang +
    :data:`CRUSH_BEHIND_AXLE_MM` (bumper face to dash), below half the length, and for a
    front layout at least the stack (:data:`BLOCK_LENGTH_MM`) + 150 mm."""
    crush = min(CRUSH_BEHIND_AXLE_MM + front_overhang, math.floor(length / 2 - 1))
    if layout == "front":
        crush = max(crush, BLOCK_LENGTH_MM[bev] + 150.0)
    return crush


def structure_factor(curb: float) -> float:
    """The wall factor ``(phi m_test / m_ref)^(3/5)`` of :func:`_structure_scale` for a
    curb mass (kg), m_test = curb + two dummies."""
    return (front_force_factor() * (curb + 2 * DUMMY_MASS_KG) / REFERENCE_TEST_MASS_KG) ** 0.6


#: the walls :func:`structure_factor` scales: ``[crash.front]`` key -> reference wall (mm)
SCALED_WALLS = {"wall_thickness": RAIL_WALL_MM, "crash_box_thickness": CRASH_BOX_T_MM}


def _within(name: str, value: float) -> bool:
    """Whether ``value`` is within the registry range of the variable ``name``."""
    v = variables.get(name)
    return v.lower <= value <= v.upper


def _span(name: str) -> str:
    """``body.track_front's [900, 2000] mm``: a variable's registry range, for messages."""
    v = variables.get(name)
    return f"{name.replace(':', '.')}'s [{v.lower:g}, {v.upper:g}] {v.units}"


def _walls_fit(curb: float) -> bool:
    """Whether the walls :func:`_structure_scale` writes for ``curb`` (kg) are within
    their registry ranges (as written: rounded to 0.01 mm)."""
    f = structure_factor(curb)
    return all(_within(f"crash:front:{k}", round(r * f, 2)) for k, r in SCALED_WALLS.items())


def _curb_limits() -> tuple[int, int]:
    """The least and largest whole curb (kg) of a spec file's range
    (:data:`~keidesign.specs.sources.USER_CURB_RANGE_KG`) whose scaled walls fit
    (:func:`_walls_fit`; the walls grow with the curb, so the fitting curbs are one span),
    by bisection."""
    lo, hi = (int(v) for v in src.USER_CURB_RANGE_KG)
    mid = next((c for c in range(lo, hi + 1, 100) if _walls_fit(c)), None)
    if mid is None:
        return hi + 1, lo - 1  # an empty span: no curb fits
    a, b = lo, mid  # least fitting in (a, b]
    if _walls_fit(a):
        b = a
    while b - a > 1:
        m = (a + b) // 2
        a, b = (a, m) if _walls_fit(m) else (m, b)
    least = b
    a, b = mid, hi  # largest fitting in [a, b)
    if _walls_fit(b):
        a = b
    while b - a > 1:
        m = (a + b) // 2
        a, b = (m, b) if _walls_fit(m) else (a, m)
    return least, a


def check_spec_derivations(spec: Spec, where: str, raw: dict[str, Any]) -> None:
    """Refuse a user's spec (``keidesign import spec``) whose values the import turns
    into a design the design check refuses, before the design is built: one
    :class:`InputError` ``<where>: <spec key> = <value>, ...: <what the import derives>;
    allowed: <the range of the key that keeps the import valid>``. ``raw``: the spec
    keys given (``dimensions.length``, ...) -> their values as written.

    The relations, each with the function the build uses and the bound the design check
    (``keidesign.design``) or the body layout check (``geometry.params.check_layout``)
    applies (issue 13, task s27a; before, the design check after the build named the
    design's field, and the layout was left to ``keidesign check``):

    * the overhangs, each at least the wheel arch of the tyre (given or assumed,
      :func:`import_tyre`): outer radius + 35 mm clearance + 15 mm wall, 367.25 mm for the
      assumed 195/65R15 (and the rear at least the design's 150 mm): a given front
      overhang, or :func:`import_front_overhang` (0.55 of ``length - wheelbase``, so
      ``length - wheelbase`` >= 817 mm with that tyre);
    * the body height at least the style's registry belt line + 250 mm of greenhouse
      (1,180 mm for a hatch, 1,250 mm for a tall-boy), and a given tyre's arch 50 mm below
      that belt line (an outer diameter of at most 845 mm on a hatch);
    * the crush length :func:`import_crush_length` within ``crash.front.crush_length``'s
      range (front overhang + 230 mm <= 1,500 mm: a published front overhang of at most
      1,270 mm, or ``length - wheelbase`` of at most 2,310 mm for a US-class import's
      0.55 share);
    * the tracks: a given track + the tyre width <= the width; an assumed one
      (:func:`import_track`) within ``body.track_front``'s range (a width of 1,095-2,312
      mm for a US-class import with the assumed 195 mm tyre);
    * the curb mass of a non-kei car, which sizes the front walls
      (:func:`structure_factor`): the rail and crash-box walls within their ranges
      (at most 9,011 kg at the default force level); checked whether or not
      ``--predict`` will leave it out.

    What it does not foresee (a short car's rear seat cell, a ground clearance that puts
    the H-point near the belt line, a windshield that leaves no roof) the import's design
    check still refuses, naming the design field and the spec keys behind it
    (:func:`keidesign.specs.commands.spec_design_error`).
    """
    F = spec.facts
    kei = is_kei(spec)
    cls = "kei" if kei else "us"
    bev = spec.get("type") == "bev"

    def fail(keys: tuple[str, ...], problem: str, allowed: str) -> src.InputError:
        vals = ", ".join(f"{k} = {show(raw[k])}" for k in keys)
        return src.InputError(f"{where}: {vals}: {problem}; allowed: {allowed}")

    length, wheelbase, width = spec.get("length"), spec.get("wheelbase"), spec.get("width")
    total = length - wheelbase
    tyre, _, tyre_assumed = import_tyre(spec, kei)
    tw = float(tyre[0])
    tyre_text = f"{tw:g} mm ({'the assumed tyre' if tyre_assumed else 'dimensions.tyre'})"
    # each overhang takes a wheel arch (the body layout check, geometry.params.check_layout):
    # the tyre's outer radius + the arch clearance + the wall to the bumper face
    arch = 500.0 * tyre_diameter_m(tyre) + ARCH_CLEARANCE + MIN_ARCH_WALL
    size = (f"{tyre[0]:g}/{tyre[1]:g}R{tyre[2]:g} "
            f"({'the assumed tyre' if tyre_assumed else 'dimensions.tyre'})")
    why = (f"the wheel arch of the {size}: outer radius + {ARCH_CLEARANCE:g} mm clearance + "
           f"{MIN_ARCH_WALL:g} mm wall = {arch:g} mm")
    least_front = max(FRONT_OVERHANG_MIN_MM, math.ceil(arch))
    least_rear = max(_MIN_REAR_OVERHANG_MM, math.ceil(arch))
    if "front_overhang" in F:
        fo = float(spec.get("front_overhang"))
        if fo < arch:
            raise fail(("dimensions.front_overhang",), f"shorter than {why}",
                       f"front_overhang at least {least_front:g} mm for this tyre")
        if total - fo < least_rear:
            raise fail(("dimensions.length", "dimensions.wheelbase", "dimensions.front_overhang"),
                       f"a rear overhang of length - wheelbase - front_overhang = "
                       f"{total - fo:g} mm, shorter than {why}", f"a rear overhang of at least "
                       f"{least_rear:g} mm, i.e. front_overhang at most "
                       f"{math.floor(total - least_rear):g} mm for this length and wheelbase"
                       + ("" if total - least_rear >= least_front else
                          f" (none: length - wheelbase at least {least_front + least_rear:g} mm"
                          " is needed)"))
    else:
        fo = import_front_overhang(length, wheelbase, cls)
        if fo < arch or total - fo < least_rear:
            share = FRONT_OVERHANG_SHARE[cls]
            least = next((d for d in range(0, 10001) if import_front_overhang(d, 0.0, cls)
                          >= arch and d - import_front_overhang(d, 0.0, cls) >= least_rear),
                         10001)
            raise fail(("dimensions.length", "dimensions.wheelbase"),
                       f"length - wheelbase = {total:g} mm: the import's front overhang "
                       f"({share:g} x (length - wheelbase), at least "
                       f"{FRONT_OVERHANG_MIN_MM:g} mm) {fo:g} mm and rear overhang "
                       f"{total - fo:g} mm, each at least {why}",
                       f"length - wheelbase at least {least} mm (wheelbase at most "
                       f"{length - least:g} mm for this length), or a published "
                       "dimensions.front_overhang")
    # the style's belt line (the registry default: the import writes none) under the roof
    # and above the wheel arches (geometry.params.check_layout)
    style = import_style(spec)
    belt = float(variables.get(f"body:{style}:belt_height").default)
    height = float(spec.get("height"))
    if height < belt + MIN_GREENHOUSE:
        keys = ("dimensions.height",) + (("vehicle.style",) if "vehicle.style" in raw else ())
        raise fail(keys, f"the {style} body's belt line ({belt:g} mm, the registry default)"
                   f" leaves {height - belt:g} mm of greenhouse under the roof",
                   f"height at least {belt + MIN_GREENHOUSE:g} mm for a {style} (at least "
                   f"{MIN_GREENHOUSE:g} mm of greenhouse)")
    arch_top = 1000.0 * tyre_diameter_m(tyre) + ARCH_CLEARANCE  # wheel centre + arch radius
    if "tyre" in F and belt < arch_top + 50.0:
        raise fail(("dimensions.tyre",), f"its wheel arch reaches {arch_top:.0f} mm (outer "
                   f"diameter + {ARCH_CLEARANCE:g} mm clearance), less than 50 mm below the "
                   f"{style} body's belt line ({belt:g} mm, the registry default)",
                   f"an outer diameter (rim x 25.4 + 2 x width x aspect / 100) of at most "
                   f"{belt - 50.0 - ARCH_CLEARANCE:g} mm for a {style}")
    crush_var = variables.get("crash:front:crush_length")
    layout = import_layout(spec)
    crush = round(import_crush_length(fo, length, layout, bev))
    fo_given = "front_overhang" in F
    if ((not fo_given and not _within("body:front_overhang", fo))
            or not _within("crash:front:crush_length", crush)):
        most_fo = crush_var.upper - CRUSH_BEHIND_AXLE_MM
        if fo_given:
            raise fail(("dimensions.front_overhang",), f"the import's crush length "
                       f"front_overhang + {CRUSH_BEHIND_AXLE_MM:g} mm (bumper face to dash) "
                       f"= {crush:g} mm leaves {_span('crash:front:crush_length')}",
                       f"front_overhang at most {most_fo:g} mm")
        share = FRONT_OVERHANG_SHARE[cls]
        most = math.floor((most_fo + 0.5) / share)
        while most > 0 and (import_front_overhang(length, length - most, cls) > most_fo):
            most -= 1
        raise fail(("dimensions.length", "dimensions.wheelbase"),
                   f"the import's front overhang {share:g} x (length - wheelbase) = {fo:g} mm "
                   f"and crush length front overhang + {CRUSH_BEHIND_AXLE_MM:g} mm = "
                   f"{crush:g} mm leave {_span('crash:front:crush_length')}",
                   f"length - wheelbase at most {most} mm (wheelbase at least "
                   f"{length - most:g} mm for this length), or a published "
                   f"dimensions.front_overhang of at most {most_fo:g} mm")
    for side in ("track_front", "track_rear"):
        key = f"dimensions.{side}"
        if side in F:
            tr = float(spec.get(side))
            if tr + tw > width:
                raise fail((key, "dimensions.width"), f"track + tyre width {tyre_text} = "
                           f"{tr + tw:g} mm exceeds the width", f"{side} at most "
                           f"{width - tw:g} mm for this width and tyre, or a width of at "
                           f"least {tr + tw:g} mm (track + tyre width <= width)")
            continue
        tr = import_track(width, tw, cls)
        if not _within(f"body:{side}", tr):
            wv = variables.get("body:width")
            ok = [w for w in range(math.ceil(wv.lower), math.floor(wv.upper) + 1)
                  if _within(f"body:{side}", import_track(w, tw, cls))]
            allowed = (f"width in [{ok[0]}, {ok[-1]}] mm for this tyre" if ok
                       else "no width for this tyre")
            raise fail(("dimensions.width",), f"the import's {side} min({TRACK_RATIO[cls]:g}"
                       f" x width, width - tyre width {tyre_text}) = {tr:g} mm leaves "
                       f"{_span(f'body:{side}')}", f"{allowed}, or a published {key}")
    curb = spec.get("curb")
    if curb is not None and not kei:
        f = structure_factor(float(curb))
        for key, ref in SCALED_WALLS.items():
            name = f"crash:front:{key}"
            t = round(ref * f, 2)
            if _within(name, t):
                continue
            lo, hi = _curb_limits()
            raise fail(("mass.curb",), f"the import sizes the front walls to the test mass: "
                       f"{key} {ref:g} mm x ({front_force_factor():g} x (curb + "
                       f"{2 * DUMMY_MASS_KG:g} kg) / {REFERENCE_TEST_MASS_KG:g} kg)^0.6 = "
                       f"{t:g} mm leaves {_span(name)}", f"curb in [{lo}, {hi}] kg for a "
                       "non-kei car")


@cache
def open_body_cd() -> tuple[float, int, int]:
    """Median Cd of the open two-seaters of ``open_body_cd.csv``, count and families.

    Cd = median(cd_open) over the rows (one per open generation: the median quoted Cd of
    its records, top closed, the test condition of a coast-down), dimensionless. Status A
    as a default for an open body without a published Cd (the value itself is R: quoted
    figures, autoevolution via ``ilyasozkurt/automobile-models-and-specs``,
    ``keidesign/data/vehicles/README.md``). Validity: open two-seaters (roadsters,
    spiders, cabrio two-seaters) of 1989-2019, 0.29-0.42 in the data; no kei row but the
    Honda Beat (0.35), so kei and non-kei take the same value. The closed twins of the
    file (17 coupes of the same generation) give a median open/closed ratio of 1.00: the
    roadster's Cd is that of its low two-seat shape, not of the top, so no ratio is
    applied to a closed twin's Cd. Two seats only: the four-seat convertibles of the same
    dataset (94 generations, unpaired, no twin check) have a median Cd of 0.31, the
    closed-roof defaults' level (kei hatch 0.32, ``us_specs.csv`` median 0.30), so the
    data separate the two-seater, not the open top.
    """
    ref = resources.files("keidesign").joinpath("data", "vehicles", "open_body_cd.csv")
    with ref.open("r", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cds = [float(r["cd_open"]) for r in rows]
    return (round(statistics.median(cds), 3), len(cds),
            len({r["family"] for r in rows}))


#: The body the off-roader Cd applies to (:func:`offroad_cd`): a passenger body (not
#: ``use = "goods"``) on a ladder frame with the engine ahead of the cabin
#: (``layout = "front"``): a cab-over truck or van (engine under the floor or at the rear)
#: on a ladder frame keeps its own default.
OFFROAD_BODY = ("a ladder-frame passenger body with the engine ahead of the cabin (not a "
                "cab-over or goods body)")


def offroad_rows(path: Any = None) -> list[dict[str, Any]]:
    """Rows of ``offroad_cd.csv`` (or of ``path``) with ``cd`` a float and ``n_records`` an
    int; a bad row raises one :class:`~keidesign.errors.InputError` line naming the file,
    the row, the field, the value and what is allowed."""
    from pathlib import Path

    ref = (Path(path) if path is not None else
           resources.files("keidesign").joinpath("data", "vehicles", "offroad_cd.csv"))
    name = getattr(ref, "name", "offroad_cd.csv")
    with ref.open("r", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        raise src.InputError(f"{name}: no rows; one row per ladder-frame generation needed")
    for i, r in enumerate(rows, start=2):  # line 1 is the header
        where = f"{name} line {i} ({r.get('family') or '?'} {r.get('generation') or '?'})"
        for k in ("family", "generation"):
            if not (r.get(k) or "").strip():
                raise src.InputError(f"{where}: {k} = {r.get(k)!r}: a non-empty name")
        try:
            cd = float(r.get("cd") or "nan")
        except ValueError:
            cd = math.nan
        if not (OFFROAD_CD_RANGE[0] <= cd <= OFFROAD_CD_RANGE[1]):
            raise src.InputError(f"{where}: cd = {r.get('cd')!r}: a quoted drag coefficient "
                                 f"from {OFFROAD_CD_RANGE[0]:g} to {OFFROAD_CD_RANGE[1]:g}")
        n = r.get("n_records") or ""
        if not n.isdigit() or int(n) < 1:
            raise src.InputError(f"{where}: n_records = {n!r}: a whole number >= 1 (the "
                                 "records the cd is the median of)")
        r["cd"], r["n_records"] = cd, int(n)
    return rows


#: Quoted Cd accepted in ``offroad_cd.csv``: the road vehicles' range (the dataset's
#: entries of 1 and more are unit or entry errors, left out by the file's rule).
OFFROAD_CD_RANGE = (0.2, 0.99)


@cache
def offroad_cd() -> tuple[float, int, int]:
    """Median Cd of the ladder-frame SUV generations of ``offroad_cd.csv``, count and
    families.

    Cd = median(cd) over the rows (one per generation: the median quoted Cd of its
    records), dimensionless, with the frontal area of the road-load force
    F = 1/2 rho Cd A v^2. Status A as the import's default for :data:`OFFROAD_BODY`
    (``body.frame = "ladder"``, a passenger body, engine ahead of the cabin) without a
    published Cd; the values are R (quoted figures, autoevolution via
    ``ilyasozkurt/automobile-models-and-specs``, ``keidesign/data/vehicles/README.md``).
    Selection by a rule written before the import's errors with it were computed: every
    SUV / off-roader body on a separate ladder frame of a mainstream make with a quoted
    Cd, one row per generation (launched 1980 or later, built 1990 or later), base
    records. Validity: closed ladder-frame bodies 3.9-5.7 m long, 1.65-1.98 m tall, of
    1987-2022, Cd 0.35-0.65 in the data; no kei body (no Jimny generation quotes a Cd),
    so kei and non-kei take the same value. The short bodies of the file (under 4.3 m:
    the Wranglers, Vitara, Amigo) quote more (median 0.515, benchmarks/validation_probes.py
    ``offroad_cd``): a post-hoc split, not the rule, so not used. A pickup or a full-size
    SUV on a pickup's frame is in the same class (the import cannot tell them apart).
    """
    rows = offroad_rows()
    cds = [r["cd"] for r in rows]
    return (round(statistics.median(cds), 3), len(cds),
            len({r["family"] for r in rows}))


def build_design(spec: Spec, predict: bool = False, *, cache: bool = False,
                 problems: ProblemCache | None = None, restraint_rule: bool = True
                 ) -> tuple[list[str], list[Table]]:
    """Header comment lines and the tables of the design file of ``spec``. ``cache``: read
    and keep the restraint rule's numbers on disk (:mod:`keidesign.specs.resultcache`;
    the same file either way); only a process of its own sets it (the console command),
    since a caller in-process may have patched the model (probes' trials).
    ``problems``: the restraint rule's model run on a reused set-up problem
    (:class:`keidesign.reuse.ProblemCache`: the same file; a caller that imports one car
    at several force factors, :mod:`keidesign.validation.front_shape`).
    ``restraint_rule=False`` leaves the rule's ``[crash.restraint]`` table out (and its
    model run, ~1 s): for callers that read mass and energy outputs only (the mass fit,
    the specs-only energy validation, the sentinel's import chains), which no restraint
    key moves (the restraint enters only the occupant of the crash pulse,
    :mod:`keidesign.crash.pulse`; ``tests/test_import_restraint.py`` holds it); the
    command always runs it."""
    _fill_dimensions(spec)
    kei = is_kei(spec)
    cls = "kei" if kei else "us"
    bev = spec.get("type") == "bev"
    market = spec.market or ("jdm" if kei else "us")
    F = spec.facts

    def fact_or(table: Table, key: str, fkey: str, value: Any, basis: str,
                text: str | None = None) -> Any:
        if fkey in F:
            table.fact(key, F[fkey])
            return F[fkey].value
        table.add(key, value, basis, True, text)
        return value

    # --- reference design of the nearest class
    height = spec.get("height")
    width = spec.get("width")
    style = import_style(spec)
    ref = ("sakura_class.toml" if kei and bev else
           "nbox_class.toml" if kei and style == "tallboy" else
           "alto_class.toml" if kei else "mirage_class.toml")

    # --- [design]
    design = Table("design")
    design.add("name", spec.name, spec.source.split(";")[0], False)
    design.add("description", spec.description
               + (" (specs only: measured curb mass, test weight and coast-down left out)"
                  if predict else ""), "keidesign import", False)
    design.add("source", spec.source, "the rows and files used (each key says which)",
               False)
    design.add("rules", list(DEFAULT_RULES),
               "the reference designs' rule packs" + ("" if kei else " (kei-japan kept "
               "for a non-kei car: its margins are results)"), True)
    fact_or(design, "model_year", "model_year", 2027,
            "the registry default: no model year in the source")

    # --- [body]
    body = Table("body")
    if "style" in F:
        body.fact("style", F["style"])
    else:
        body.add("style", style, f"height/width {height / width:.2f} "
                 f"{'>' if style == 'tallboy' else '<='} {TALLBOY_HEIGHT_RATIO}: "
                 f"{'a one-box tall-boy' if style == 'tallboy' else 'a hatch/sedan profile'}"
                 if height and width else "registry default", True)
    seats = fact_or(body, "seats", "seats", KEI_SEATS if kei else 5,
            "4: every kei car is a 4-seater" if kei else
            "5: a US small car (no two-seater class in the source)")
    goods = "use" in F and F["use"].value == "goods"
    if "use" in F:
        body.fact("use", F["use"])
    if "frame" in F:
        body.fact("frame", F["frame"])
    if "roof" in F:
        body.fact("roof", F["roof"])
    for k in ("length", "width", "height", "wheelbase"):
        if k not in F:
            raise src.InputError(f"{spec.name}: no {k} in the source; the import needs "
                                 "length, width, height and wheelbase")
        body.fact(k, F[k])
    length, wheelbase = spec.get("length"), spec.get("wheelbase")
    tyre_fact = F.get("tyre")
    tyre, tyre_note, tyre_assumed = import_tyre(spec, kei)
    tw = tyre[0]
    for side in ("track_front", "track_rear"):
        if side in F:
            body.fact(side, F[side])
        else:
            tr = import_track(width, tw, cls)
            ref_track = "N-Box 1305/1475" if kei else "Mirage 56.9/65.6 in"
            body.add(side, tr, f"{TRACK_RATIO[cls]} x width ({ref_track}), track + tyre "
                     "within the width", True)
    if "front_overhang" in F:
        body.fact("front_overhang", F["front_overhang"])
        fo = spec.get("front_overhang")
    else:
        share = FRONT_OVERHANG_SHARE[cls]
        total = length - wheelbase
        fo = import_front_overhang(length, wheelbase, cls)
        body.add("front_overhang", fo, f"{share:g} x (L - WB) = {share:g} x {total:.0f} mm "
                 f"(the split of {ref})", True)
    clearance = fact_or(body, "ground_clearance", "ground_clearance", 150.0,
                        "registry default, typical of small cars")
    hood_ratio = 0.59 if style == "tallboy" else 0.62
    hood = max(round(hood_ratio * height), clearance + 300.0)
    body.add("hood_height", hood, f"{hood_ratio} x height (cowl height of the reference "
             f"designs: N-Box 1050/1790, Mirage 950/1509)", True)
    seat = None      # a US hatch/sedan's front seat (import_seat); kei cars: the registry's
    if not kei and (F["style"].value if "style" in F else style) == "hatch":
        seat = import_seat(height)
        if "hpoint_to_heel" in F:
            body.fact("hpoint_to_heel", F["hpoint_to_heel"])
        else:
            body.add("hpoint_to_heel", seat[1], "J1100 L53: " + seat[2], True)
    rake = 55.0 if style == "tallboy" else 60.0
    body.add("windshield_rake", rake, f"degrees from vertical, {style} "
             f"({'nbox_class.toml' if style == 'tallboy' else 'alto/mirage_class.toml 60-62'})",
             True)
    body.add("tyre_width", tyre[0], tyre_note, tyre_assumed)
    body.add("tyre_aspect", tyre[1], tyre_note.split(",")[0] if not tyre_assumed
             else "with tyre_width", tyre_assumed)
    body.add("rim_diameter", tyre[2], tyre_note.split(",")[0] if not tyre_assumed
             else "with tyre_width", tyre_assumed)
    other = F.get("tyre_other")
    if other and tyre_fact:      # a staggered car's undriven axle: two wheel corners
        for key, v in zip(("tyre_other_width", "tyre_other_aspect", "rim_other_diameter"),
                          other.value, strict=True):
            body.add(key, v, other.note.split(" (")[0]
                     + (staggered_geometry_note(tyre[0], v) if key == "tyre_other_width"
                        else ""), other.assumed)

    # --- [road]
    road = Table("road")
    coast = "coastdown" in F and not predict
    unused = " (not used while energy.coastdown.measured = true)" if coast else ""
    if "cd" in F:
        f = F["cd"]
        road.add("cd", f.value, f.note + unused, f.assumed)
    else:
        if spec.get("roof") == "open" and seats == 2:
            med, n, nfam = open_body_cd()
            cd, basis = med, (f"an open two-seater: median top-closed Cd of the {n} open "
                              f"two-seater generations ({nfam} families) of "
                              "open_body_cd.csv")
        elif (spec.get("frame") == "ladder" and not goods
              and import_layout(spec) == "front"):
            med, n, nfam = offroad_cd()
            cd, basis = med, (f"{OFFROAD_BODY}: median Cd of the {n} ladder-frame SUV "
                              f"generations ({nfam} families) of offroad_cd.csv")
        elif kei:
            cd, basis = ((0.38, "FASTSim's N-Box value, a kei tall-boy") if style == "tallboy"
                         else (0.32, "kei hatch, as alto_class.toml"))
        else:
            med, n, *_ = _us_specs_typical()
            cd, basis = med, f"median of the {n} published Cd values of us_specs.csv"
        road.add("cd", cd, f"no published Cd: {basis}{unused}", True)
    fact_or(road, "crr", "crr", CRR, "registry default, fitted with road:crr_speed on the "
            f"EPA coast-downs of 571 small-car configurations (docs/validation.md){unused}")

    # --- [crash.front]
    crash = Table("crash.front")
    block = BLOCK_LENGTH_MM[bev]
    layout = import_layout(spec)
    crush = import_crush_length(fo, length, layout, bev)
    crash.add("crush_length", round(crush), f"front overhang + {CRUSH_BEHIND_AXLE_MM:g} mm "
              "(bumper face to dash; reference designs 200-255 mm behind the axle)", True)
    _fit_rear_row(body, F, seats, length, crush,
                  None if seat is None or "hpoint_to_heel" in F else seat[1])
    rails = (("rail_width", 80), ("rail_height", 110), ("wall_thickness", RAIL_WALL_MM),
             ("material", "dp_590"), ("n_rails", 2))
    scale = _structure_scale(spec, kei, predict)
    for k, v in rails:
        if k == "wall_thickness" and scale is not None:
            crash.add(k, round(v * scale[0], 2), f"{ref}'s {v:g} mm {scale[1]}", True)
            continue
        crash.add(k, v, f"equivalent rail set of {ref} (not published)", True)
    if scale is not None:
        crash.add("crash_box_thickness", round(CRASH_BOX_T_MM * scale[0], 2),
                  f"registry default {CRASH_BOX_T_MM:g} mm {scale[1]}", True)

    # --- [powertrain]
    pt = Table("powertrain")
    pt.fact("type", F["type"])
    trans = fact_or(pt, "transmission", "transmission", "single_speed" if bev else "cvt",
                    "single-speed reduction" if bev else
                    "CVT: no transmission in the source (kei and small-car default)")
    if bev and trans != "single_speed":
        pt.entries[-1] = Entry("transmission", "single_speed", "a BEV's reduction", True)
        trans = "single_speed"
    if layout in ("rear", "mid"):
        fact_or(pt, "drive", "drive", "rwd", f"rear drive: none in the source, the {layout} "
                "engine/motor drives the axle it sits on (docs/import.md)")
    else:
        fact_or(pt, "drive", "drive", "fwd", "front drive: none in the source")
    if "layout" in F:
        pt.fact("layout", F["layout"])
    else:
        pt.add("layout", layout, "rear motor: a rear-drive EV of this class carries it on "
               "the rear axle" if layout == "rear" else "front engine/motor (transverse, "
               "as every reference design)", True)
    pt.add("block_length", block, ("motor + inverter stack (sakura_class.toml)" if bev else
                                   "transverse engine + transaxle stack (nbox_class.toml)"),
           True)
    if not _published_gearing(pt, spec):
        _gearing(pt, spec, trans, bev, tyre, tyre_assumed)
    if "converter_lockup" in F:  # a torque converter without (or with a top-gear) lock-up
        pt.fact("converter_lockup", F["converter_lockup"])
    if "top_speed" in F:
        f = F["top_speed"]
        if spec.kind == "spec":
            pt.add("speed_limiter", f.value, f.note, f.assumed)
        elif kei:
            pt.add("speed_limiter", f.value, f.note + " (kei cars are governed at their "
                   "top speed)", f.assumed)
        else:
            pt.add("speed_limiter", f.value, f"published top speed {f.value:g} km/h ("
                   f"{f.note}) taken as the governed speed", True)
    elif kei:
        pt.add("speed_limiter", 140.0, "the Japanese industry's voluntary kei limit", True)
    else:
        pt.add("speed_limiter", 400.0, "no governed speed published: the highest allowed, "
               "so power or engine/motor speed decides the top speed", True)

    section = _roof_fillet(F["style"].value if "style" in F else style, width, height)
    if seat is not None:
        section = section or Table("body.hatch")
        section.add("seat_height", seat[0], "J1100 H30: " + seat[2], True)
    roof = _roof_table(spec, kei, predict, body)
    _, side = _era_tables(spec, kei, predict)
    tables = ([design, body] + ([section] if section else []) + [road, crash]
              + ([roof] if roof else []) + ([side] if side else []) + [pt])
    if bev:
        tables.append(_bev(spec, kei))
    else:
        tables.append(_ice(spec, kei))

    # --- [mass]
    mass = Table("mass")
    if goods:
        if "max_load" in F:
            load, basis, assumed = F["max_load"].value, F["max_load"].note, F["max_load"].assumed
        elif kei:
            load, basis, assumed = KEI_GOODS_MAX_LOAD_KG, "the kei goods-vehicle limit", True
        else:
            raise src.InputError(f"{spec.name}: vehicle.use = 'goods' without "
                                 "mass.max_load; allowed: a kei-sized goods vehicle (its "
                                 "350 kg limit is assumed) or a goods vehicle with its "
                                 "rated maximum load (最大積載量) in mass.max_load")
        crew = goods_crew(seats)
        least = min_payload(seats) - goods_crew_mass(seats)
        if load < least:  # the design check's 68 kg a seat (49 CFR 567.4(g)(3))
            raise src.InputError(
                f"{spec.name}: mass.max_load = {load:g} kg gives a payload of {crew} x "
                f"{OCCUPANT_MASS_JP_KG:g} + {load:g} = {goods_crew_mass(seats) + load:g} kg, "
                f"below {SEAT_MASS_KG:g} kg x {int(seats)} seats (49 CFR 571.110 S3, "
                f"567.4(g)(3)); allowed: mass.max_load >= {least:g} kg")
        mass.add("payload", goods_crew_mass(seats) + load,
                 f"a goods vehicle: {crew} x {OCCUPANT_MASS_JP_KG:g} kg (the front row, the "
                 f"rated load's seating) + the maximum load {load:g} kg ({basis})", assumed)
    else:
        pay = default_payload(seats)
        mass.add("payload", pay, (
            "registry default: 4 x 55 kg + 80 kg luggage" if pay == DEFAULT_PAYLOAD_KG else
            f"no GVWR: {SEAT_MASS_KG:g} kg x {int(seats)} seats (49 CFR 567.4(g)(3), "
            "571.110 S3), no luggage: NHTSA's measured FMVSS 208 test weights are curb + "
            "dummies (docs/crash.md, \"The default payload of an import without a GVWR\")"),
            True)
    if spec.kind == "kei":
        mass.add("market", market, "a kei.csv car is built for Japan", True)
    elif spec.kind != "spec":
        mass.add("market", market, "a US-market car (EPA-certified or US specs): every US "
                 "content item fitted", True)
    elif spec.market:
        mass.add("market", market, "the spec's vehicle.market", False)
    else:
        mass.add("market", market, ("kei-sized: a Japanese-market car" if kei else
                                    "a US-market car") + " (no vehicle.market in the spec)",
                 True)
    if "curb" in F and not predict:
        f = F["curb"]
        mass.add("curb_measured", f.value, f.note, f.assumed, f.text)
        mass.add("curb_source", f.note, "where curb_measured comes from", f.assumed)
    elif "curb" in F:
        mass.comments.append(f"Published curb mass {F['curb'].value:.0f} kg "
                             f"({F['curb'].note}) left out (--predict): the build-up "
                             "predicts it.")
    tables.append(mass)
    if market == "jdm":
        content = Table("mass.content")
        content.comments.append("JDM content that is also US-required (kei reference "
                                "designs): the rest of data/mass/us_content.csv is absent.")
        for k in ("side_airbags", "curtain_airbags"):
            content.add(k, True, "standard on current kei cars, as the kei reference "
                        "designs [to-check]", True)
        tables.append(content)

    # --- [energy] measured test weight and coast-down
    if not predict and ("etw" in F or "coastdown" in F):
        energy = Table("energy")
        if "etw" in F:
            f = F["etw"]
            energy.add("test_weight", f.value, f.note, f.assumed, f.text)
            energy.add("test_weight_source", f.note, "where test_weight comes from",
                       f.assumed)
        tables.append(energy)
        if "coastdown" in F:
            f = F["coastdown"]
            a, b, c = f.value
            cd_t = Table("energy.coastdown")
            cd_t.add("measured", True, f.note + ": use them, not Cd x A and Crr", f.assumed)
            cd_t.add("a", None, f.note, f.assumed, f"{a:g} lbf")
            cd_t.add("b", None, f.note, f.assumed, f"{b:g} lbf*h/mi")
            cd_t.add("c", None, f.note, f.assumed, f"{c:g} lbf*h**2/mi**2")
            cd_t.add("source", f.note, "where a, b, c come from", f.assumed)
            tables.append(cd_t)
    header = list(spec.header)
    if "gvwr" in F and not goods and not kei and not predict:
        _gvwr_payload(header, tables, mass, F["gvwr"], F.get("curb"), seats, cache)
    if (ENGINELESS_ENERGY_SIZING and not kei and not predict
            and layout in esz.ENGINELESS_LAYOUTS):
        curb_basis = ("published" if "curb" in F else "the mass model's (none published)")
        _energy_sized_front(header, tables, crash, layout, curb_basis, cache)
        if "gvwr" in F and not goods and "curb" not in F:
            # the sized walls move the mass model's curb (the rails' own mass): the payload
            # the rating leaves follows it again, so the test mass stays GVWR - 68 kg x
            # seats + the dummies (the walls were sized at the curb before this step, a
            # difference of a few kg: the W453 ED's 2 kg, 0.15 % of its test mass)
            _gvwr_payload(header, tables, mass, F["gvwr"], None, seats, cache)
    if (not any(e.key == "a_pillar_thickness" for e in (roof.entries if roof else ()))
            and not kei and not predict and _import_curb(spec, kei, False) is None):
        sized = _predicted_roof_table(header, tables, body, cache)
        if sized is not None and roof is not None:
            roof.entries.extend(sized.entries)
        elif sized is not None:
            tables.insert(tables.index(crash) + 1, sized)
    # the restraint: the spec file's values, else the rule's, with or without ``predict``
    # (until task s45a a ``predict`` file had none, so it rode down on the registry
    # restraint: a sweep of it failed fmvss208.ride_down_space at every case)
    restraint = _spec_restraint_table(spec)
    if restraint is None and restraint_rule:
        restraint = _restraint_table(header, tables, cache, problems)
    if restraint is not None:
        tables.insert(tables.index(crash) + 1, restraint)
    header.append(f"Class: {'kei' if kei else 'US small car'}; reference design for "
                  f"what the source does not give: studies/designs/{ref}.")
    if predict:
        header.append("--predict: measured values (curb mass, EPA test weight and coast-down)"
                      " left out; the model predicts mass and road load from specs alone.")
    header.append("Each key says where it comes from: '# source: ...' (the data above) or "
                  "'# [assumed] ...' (with its basis).")
    header.append("Keys not written take the registry defaults (docs/variables.md, "
                  "`keidesign variables --design-only`).")
    return header, tables


_DIMS = ("length", "width", "height", "wheelbase")
#: Cars of us_specs.csv a missing dimension is taken from (median of the nearest).
NEAREST = 7


def _roof_fillet(style: str, width: float, height: float) -> Table | None:
    """``[body.<style>] roof_radius`` when the registry's fillet does not fit a low body.

    The style defaults (belt line, tumblehome, roof fillet) are those of a typical car of
    the style; on a low body (e.g. a 1,180 mm roadster) the default fillet exceeds what the
    greenhouse between the default belt line and the roof takes
    (:func:`geometry.params.max_roof_radius`) and the design could not be built. The
    fillet is then written as the largest that fits, marked assumed; otherwise nothing
    is written (the registry default stands).
    """
    pre = f"body:{style}:"
    r_def = float(variables.get(pre + "roof_radius").default)
    belt = float(variables.get(pre + "belt_height").default)
    tumble = float(variables.get(pre + "tumblehome").default)
    r_max = math.floor(max_roof_radius(width, height, belt, tumble))
    if r_def <= r_max or r_max < variables.get(pre + "roof_radius").lower:
        return None
    t = Table(f"body.{style}")
    t.add("roof_radius", float(r_max), f"the largest roof fillet the greenhouse takes "
          f"(geometry.params.max_roof_radius: height {height:g} mm, default belt line "
          f"{belt:g} mm, tumblehome {tumble:g} deg); the {style} default {r_def:g} mm "
          "does not fit", True)
    return t


def _fill_dimensions(spec: Spec) -> None:
    """Assume missing body dimensions from the ``us_specs.csv`` cars nearest to this one:
    nearest in length when the length is known (the missing dimension scaled by the
    median ratio to the length), else nearest in curb mass (the published curb mass, or
    the EPA test weight less 136 kg)."""
    missing = [k for k in _DIMS if k not in spec.facts]
    if not missing:
        return
    rows = []
    for sr in src.us_specs_rows():
        vals = {k: src._float(sr.row.get(f"{k}_mm")) for k in _DIMS}
        if all(vals.values()):
            rows.append((sr, vals, src._float(sr.row.get("curb_kg"))))
    length = spec.get("length")
    if length:
        near = sorted(rows, key=lambda r: abs(r[1]["length"] - length))[:NEAREST]
        names = ", ".join(f"line {sr.line}" for sr, _, _ in near)
        for k in missing:
            ratio = statistics.median(v[k] / v["length"] for _, v, _ in near)
            spec.set(k, round(ratio * length), f"length x {ratio:.3f}, the median {k}/length "
                     f"of the {NEAREST} us_specs.csv cars nearest in length ({names}); none "
                     "in the source", assumed=True)
        return
    mass = spec.get("curb") or (spec.get("etw") - ETW_TO_CURB_KG if spec.get("etw") else None)
    if mass is None:
        return  # build_design names what is missing
    basis = ("published curb mass" if spec.get("curb")
             else f"EPA test weight - {ETW_TO_CURB_KG:.0f} kg")
    near = sorted((r for r in rows if r[2]), key=lambda r: abs(r[2] - mass))[:NEAREST]
    names = ", ".join(f"{sr.row['model']}" for sr, _, _ in near)
    for k in missing:
        v = statistics.median(vals[k] for _, vals, _ in near)
        spec.set(k, round(v), f"median {k} of the {NEAREST} us_specs.csv cars nearest to "
                 f"{mass:.0f} kg ({basis}): {names}; no body data for this car", assumed=True)


def _published_gearing(pt: Table, spec: Spec) -> bool:
    """Write a spec file's published ratios (``transmission.ratio_low``, ``ratio_high``,
    ``final_drive``; a part-time 4WD's transfer high range ``transfer_ratio`` multiplies
    the final drive: the overall ratio is gear x transfer x axle). Returns whether any was
    given (then the N/V rule of :func:`_gearing` is not used; a ratio left out is the
    transmission's typical value, the design's 0)."""
    F = spec.facts
    if not any(k in F for k in ("ratio_low", "ratio_high", "final_drive")):
        return False
    for k in ("ratio_low", "ratio_high"):
        if k in F:
            pt.fact(k, F[k])
    if "final_drive" in F:
        fd = F["final_drive"]
        tf = F.get("transfer_ratio")
        if tf is None:
            pt.fact("final_drive", fd)
        else:
            pt.add("final_drive", round(fd.value * tf.value, 4),
                   f"{fd.note} {fd.value:g} x transfer high range ({tf.note}) {tf.value:g}",
                   fd.assumed or tf.assumed)
    return True


def _gearing(pt: Table, spec: Spec, trans: str, bev: bool, tyre, tyre_assumed: bool) -> None:
    """Final drive and top ratio from the EPA N/V and axle ratio (the overall top-gear
    ratio ``N/V x (2 pi / 60) / 0.44704`` rad/s per m/s times the rolling radius), the
    first-gear ratio from the transmission's typical spread."""
    nv = spec.facts.get("nv")
    if nv is None:
        return
    r_roll = 0.5 * tyre_diameter_m(tyre) * ROLLING_RADIUS_FACTOR
    k = nv.value * (2.0 * math.pi / 60.0) / 0.44704
    basis = (f"N/V {nv.value:g} rpm/mph x rolling radius {r_roll * 1000:.0f} mm "
             f"({'assumed tyre' if tyre_assumed else 'tyre of the source'})")
    assumed = tyre_assumed or nv.assumed
    if bev:
        fd = k * r_roll
        if 0.0 < fd <= 20.0:
            pt.add("final_drive", round(fd, 3), f"whole reduction from {basis}", assumed)
        return
    d = TRANSMISSION_DEFAULTS[trans]
    axle = spec.facts.get("axle")
    fd = axle.value if axle else d["final_drive"]
    hi = k * r_roll / fd
    if not (0.0 < hi <= 5.0 and 0.0 < fd <= 20.0):
        return
    if axle:
        pt.add("final_drive", fd, axle.note, axle.assumed)
    else:
        pt.add("final_drive", fd, f"typical of {trans} (keidesign.energy.powertrains)", True)
    pt.add("ratio_high", round(hi, 4), f"top ratio from {basis} / final drive {fd:g}",
           assumed or axle is None)
    spread = d["ratio_low"] / d["ratio_high"]
    lo = min(round(hi * spread, 4), 10.0)
    pt.add("ratio_low", lo, f"ratio_high x the typical {trans} spread {spread:.2f} "
           "(keidesign.energy.powertrains.TRANSMISSION_DEFAULTS)", True)


def _ice(spec: Spec, kei: bool) -> Table:
    F = spec.facts
    t = Table("powertrain.ice")
    for k in ("displacement", "power"):
        if k not in F:
            # one line saying what is allowed (before task s39b: "write a spec file",
            # without the keys it needs; the sweep's us_specs.csv C-Max and i3 REx rows)
            raise src.InputError(f"{spec.name}: no engine {k} in the source (a plug-in or range-"
                                 "extender row?); allowed: a spec file (keidesign import "
                                 "spec) with [engine] displacement and power (a full "
                                 "hybrid: hybrid = true; a plug-in hybrid is not modelled)")
    t.fact("displacement", F["displacement"])
    cc = spec.get("displacement")
    if "cylinders" in F:
        t.fact("cylinders", F["cylinders"])
    else:
        cyl = 3 if cc < 1100 else 4 if cc < 2600 else 6 if cc < 3700 else 8
        t.add("cylinders", cyl, f"from {cc:.0f} cm3: <1.1 L 3, <2.6 L 4, <3.7 L 6, else 8",
              True)
    turbo = bool(spec.get("turbo"))
    if "turbo" in F:
        t.fact("turbo", F["turbo"])
    else:
        t.add("turbo", False, "no forced induction named in the source", True)
    t.fact("power", F["power"])
    if "compression_ratio" in F:
        t.fact("compression_ratio", F["compression_ratio"])
    else:
        table = COMPRESSION_RATIO_DEFAULT if kei else US_COMPRESSION_RATIO_DEFAULT
        name = "COMPRESSION_RATIO_DEFAULT" if kei else "US_COMPRESSION_RATIO_DEFAULT"
        t.add("compression_ratio", table[turbo], "class default "
              f"({'turbocharged' if turbo else 'naturally aspirated'} "
              f"{'kei' if kei else 'US small-car'} engines' published ratios, "
              f"keidesign.energy.powertrains.{name})", True)
    if "torque" in F:
        t.fact("torque", F["torque"])
    else:
        per_l = TORQUE_PER_LITRE[turbo]
        tq = per_l * cc / 1000.0
        p_kw = spec.get("power")
        floor = 1.1 * p_kw * 1000.0 / (6500.0 * 2.0 * math.pi / 60.0)
        tq = max(tq, floor)
        t.add("torque", round(tq, 1), f"{per_l:g} N*m per litre "
              f"({'turbocharged' if turbo else 'naturally aspirated'} small engines: Fit 1.5 "
              "155, Mirage 1.2 100, Cruze 1.4T 200, Civic 1.5T 220 N*m), at least 1.1 x the "
              "torque at rated power and 6500 rpm", True)
    fact_or_add(t, F, "fuel_tank", 27.0 if kei else 40.0,
                "27 L, kei-typical (reference designs)" if kei else
                "40 L, small-car typical (Fit 40 L, Yaris 42 L, Mirage 35 L)")
    goods = "use" in F and F["use"].value == "goods"
    if kei and not goods:
        idle, basis = kei_idle_stop_default(spec.get("transmission") or "cvt",
                                            spec.get("hybrid") == "hev")
    else:
        idle, basis = False, "no stop-start named in the source"
    fact_or_add(t, F, "idle_stop", idle, basis)
    if "idle_stop_speed" in F:
        t.fact("idle_stop_speed", F["idle_stop_speed"])
    if "rated_speed" in F:
        t.fact("rated_speed", F["rated_speed"])
    if spec.get("hybrid") == "hev":
        t.fact("hybrid", F["hybrid"])
        named = F["hev_layout"].value if "hev_layout" in F else None
        kei_isg = kei and named != "full"  # a kei car's hybrid: a belt ISG
        kw = F["hev_motor_power"].value if "hev_motor_power" in F else (
            KEI_ISG_KW if kei_isg else 10.0)
        fact_or_add(t, F, "hev_motor_power", kw,
                    "a kei ISG: the median of kei.csv's five ISG ratings (1.9-2.3 kW; "
                    "no motor power in the source)" if kei_isg else
                    "registry default (no motor power in the source)")
        if named is not None:
            t.fact("hev_layout", F["hev_layout"])
            layout = named
        else:
            layout = "full" if kw >= FULL_HYBRID_MOTOR_KW else "mild"
            t.add("hev_layout", layout, f"{kw:g} kW motor {'>=' if layout == 'full' else '<'} "
                  f"{FULL_HYBRID_MOTOR_KW:g} kW: the EPA hybrids of hybrid_systems.csv "
                  "have crankshaft motors (IMA, mild) of 10-17 kW and full systems (power "
                  "split, P2, two-motor) of 32-96 kW", True)
        for name in ("hev_motor_on_gearbox", "hev_motor_reduction", "hev_motor_max_speed",
                     "hev_battery_voltage", "hev_battery_resistance"):
            if name in F:  # the motor's own reduction (a power split's MG2), the pack
                t.fact(name, F[name])
        if kei and layout == "mild":
            fact_or_add(t, F, "hev_battery_energy", KEI_ISG_BATTERY_KWH,
                        "a kei ISG's lithium-ion pack, as the kei WLTC check (Suzuki's "
                        "3 Ah / 36 Wh; the current packs' capacity not found)")
        else:
            fact_or_add(t, F, "hev_battery_energy", 0.5, "registry default usable window")
    return t


def _fit_rear_row(body: Table, F: dict[str, Fact], seats: Any, length: float,
                  crush: float, l53: float | None = None) -> None:
    """Shorten the rear row's couple distance of a short car so its occupant cell fits.

    The cell runs from the dash (``crush``) over the toe board, the front H-point
    (``hpoint_to_heel``), the couple distance and the rear seat back to
    ``CELL_REAR_MARGIN`` inside the body (geometry.params); the registry's 850 mm couple
    distance does not fit a car much shorter than the Scion iQ (2,985 mm, 3+1 seats: it
    did with the registry's L53 850 mm, not with the US import's 785 mm), whose rear row
    sits closer behind the front one. Not shorter than ``SHORTEST_IMPORT_COUPLE_MM``
    (a 2+2's rear row): a car shorter than that is more likely a two-seater the source
    does not say is one (the smart fortwo, 2 seats in its us_specs.csv row since 5 Dec 2026,
    gets 613 mm with 4 at the registry L53 850 mm; a 2,690 mm spec of its size, 675 mm at
    the import's 785 mm of task s38b, 4 mm less at 789 mm since task s38h), so the layout
    check names
    the limit and the user sets ``seats`` in a spec file. Left alone when the source
    gives the couple distance or the body has the front row only. ``l53``: the
    import's H-point-to-heel (:func:`import_seat`), else the source's or the registry's."""
    if "couple_distance" in F or int(seats) <= _FRONT_ROW_SEATS:
        return
    if l53 is None:
        l53 = float(F["hpoint_to_heel"].value) if "hpoint_to_heel" in F else float(
            variables.get("body:hpoint_to_heel").default)
    default = float(variables.get("body:couple_distance").default)
    room = math.floor(length - CELL_REAR_MARGIN - crush - TOE_BOARD - l53 - REAR_SEATBACK)
    if SHORTEST_IMPORT_COUPLE_MM <= room < default:
        body.add("couple_distance", room, f"shortened from the registry's {default:g} mm so "
                 f"the rear seat back ends {CELL_REAR_MARGIN:g} mm inside the "
                 f"{length:g} mm body (a short car's rear row sits closer)", True)


def fact_or_add(t: Table, F: dict[str, Fact], key: str, value: Any, basis: str) -> None:
    if key in F:
        t.fact(key, F[key])
    else:
        t.add(key, value, basis, True)


def _bev(spec: Spec, kei: bool) -> Table:
    F = spec.facts
    t = Table("powertrain.bev")
    if "battery_energy" in F:
        t.fact("battery_energy", F["battery_energy"])
    else:
        kwh = 20.0 if kei else 40.0
        t.add("battery_energy", kwh, "no pack size in the source: " + (
            "20 kWh as the Sakura/eK X EV" if kei else
            "40 kWh, mid-range of 2011-2023 small EVs (Leaf 24-40, i3 22-42, Bolt 60)"), True)
    if "motor_power" not in F:
        raise src.InputError(f"{spec.name}: no motor power in the source")
    t.fact("motor_power", F["motor_power"])
    if "motor_torque" in F:
        t.fact("motor_torque", F["motor_torque"])
    else:
        kw = spec.get("motor_power")
        t.add("motor_torque", round(min(max(MOTOR_TORQUE_PER_KW * kw, 10.0), 1500.0), 1),
              f"{MOTOR_TORQUE_PER_KW:g} N*m per kW (small EVs: Leaf 80 kW 254, Fit EV 92 "
              "kW 256, Bolt 150 kW 360, Sakura 47 kW 195 N*m)", True)
    fact_or_add(t, F, "motor_type", "pmsm", "no motor type in the source: permanent-"
                "magnet synchronous, the machine of all but two EPA EV families "
                "(ev_motors.csv)")
    fact_or_add(t, F, "charger_power", CHARGER_KW_DEFAULT, "no on-board charger rating in "
                "the source: the median of the published ratings of the EPA EVs "
                "(ev_chargers.csv)")
    if "pack_chemistry" in F:  # else the registry default, li-ion
        t.fact("pack_chemistry", F["pack_chemistry"])
    _pack_resistance_comment(t)
    return t


def _pack_resistance_comment(t: Table) -> None:
    """The comment that says where the imported pack's resistance comes from: the key is
    left out, so the model derives it from the pack energy (assumed: R = tau V^2 / E)."""
    kwh = float(next(e.value for e in t.entries if e.key == "battery_energy"))
    volts = float(variables.get("powertrain:bev:pack_voltage").default)
    tau = float(kc.bev_constants()["pack_tau_s"])
    r = pack_resistance(volts, kwh, 0.0, tau)
    t.comments.append(f"battery_resistance left out, assumed: R = tau V^2 / E = {tau:g} s x "
                      f"({volts:g} V)^2 / {kwh:g} kWh = {float(r):.3f} ohm (tau: calibration."
                      "toml [bev] pack_tau_s; keidesign.energy.powertrains.pack_resistance)")

