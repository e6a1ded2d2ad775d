"""EPA test cars and labels as calibration and validation records (``keidesign/data/epa``).

One :class:`TestCar` per EPA test vehicle configuration, built from the EPA Test Car List
rows of MY2011–2023 small cars (``epa_testcar_small_2011_2023.csv``):

0. rows whose ``Analytically Derived FE?`` is ``Yes`` are dropped (:func:`measured_rows`):
   their result was not measured on that configuration but computed from a tested vehicle
   with EPA's analytical technique, which 40 CFR 600.010 allows for the highway test of a
   certification vehicle and, "in addition to testing", for the city or highway test of a
   fuel economy data vehicle (600.010-86 (a)(2)(ii), (b)(1)(ii) and 600.010-08 (a)(2)(ii),
   "as described in Sec. 600.006(e)", 40 CFR as revised 1 July 2007, GPO text [R]; the
   text of 600.006(e) itself was not found in the stored sources). The MY2022 file
   (``data/vehicles/epa_testcar_my2022_small.csv``) names the tested base of such a row
   (``ADFE Test Number``, ``ADFE Total Road Load HP``, ``ADFE Equiv. Test Weight (lbs.)``,
   ``ADFE N/V Ratio``) [V]. A validation judges measurements, and a derived value carries
   the base vehicle's result through EPA's equation, not this configuration's. The file
   has 160 such rows [V] (140 test numbers, all Tier 2 gasoline: 80 HWFE, 53 FTP 2-day,
   27 FTP 3-day; Sonic/Aveo, Cruze, Nissan, Fiesta, Focus, Corolla, Kicks, Yaris, Cayman,
   Lancer; MY2011-2023): 58 configurations built from derived results only disappear and
   4 keep their measured tests only (732 configurations before, 674 after; no EV or
   hybrid is affected). :func:`analytically_derived_cars` keeps the derived values apart
   so the model is reported against them too (docs/validation.md);
1. rows are de-duplicated on ``Test Number`` (EPA carries tests over between model
   years; a carried-over test is one measurement, counted once);
2. rows are grouped into a configuration by model year, make, model, test vehicle ID,
   transmission, equivalent test weight (ETW) and target coast-down coefficients;
3. repeated tests of one procedure are averaged as fuel (energy) per distance, i.e. the
   harmonic mean of the mpg values;
4. the configuration is classified: ``ev``, ``hybrid`` (a gasoline model whose name or
   fueleconomy.gov row says hybrid), ``cvt``, ``automatic``, ``dct`` (EPA "automated
   manual": dual-clutch boxes in this set) or ``manual``; plug-in hybrids are excluded
   (not modelled), as are the MY2022–23 Chevrolet Bolt rows (label-like values);
5. the drive system is the label row's where the two disagree on the driven axles
   (two-wheel vs all-wheel): the label row describes the vehicle sold, and in this file
   only two models disagree: the VW e-Golf (front-wheel drive; its test rows say "All
   Wheel Drive") and the MY2016/2019 Mazda CX-3 automatic (test rows "2-Wheel Drive,
   Front", matched by its unadjusted city value to the label's 4WD row).

Units: ETW in kg (the file's lb x 0.45359237), road load in SI (``F0`` N, ``F1``
N/(m/s), ``F2`` N/(m/s)^2 from A lbf, B lbf/mph, C lbf/mph^2), results in mpg (MPGe for
EVs; EV values below 60 are kWh/100 mi and converted, MPGe = 3370.5 / value).

A *family* is the make and the first word of the model name (``HONDA FIT``): the unit
left out in leave-one-family-out validation, so no variant of a held-out car helps fit
the constants used to predict it.

:func:`label_for` joins a configuration to its fueleconomy.gov label row (same year and
make; model name, displacement, transmission kind and gear count matching; of several
candidates the one whose unadjusted city value is closest to the test car's FTP).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from keidesign.energy.epa_rows import RowStore
from keidesign.vehiclenames import car_label

__all__ = [
    "ADFE_COLUMN", "LB_TO_KG", "TESTCAR_FILE", "EngineRatio", "EvCharger", "EvMotor",
    "HybridSystem", "LabelRow", "TestCar", "analytically_derived",
    "analytically_derived_cars", "engine_ratio", "engine_ratios", "ev_charger", "ev_chargers",
    "external_rows",
    "ev_motor", "ev_motor_of", "ev_motors", "family_of", "hybrid_system", "label_for",
    "label_rows", "measured_rows",
    "parse_tyre", "row_seats", "test_cars", "tested_gearbox",
    "us_specs_matches",
]

LB_TO_KG = 0.45359237
LBF_TO_N = 4.4482216152605
MPH_TO_MPS = 0.44704
#: MPGe of 1 kWh/100 mi: 100 mi x 33.705 kWh/gal (EPA).
KWH100_TO_MPGE = 3370.5
#: The Test Car List file of the calibration and validation records.
TESTCAR_FILE = "epa_testcar_small_2011_2023.csv"
#: The file's flag of a result computed with EPA's analytical technique, not measured.
ADFE_COLUMN = "Analytically Derived FE?"

TEST_OF = {
    "Federal fuel 2-day exhaust (w/can load)": "ftp",
    "Federal fuel 3-day exhaust": "ftp",
    "HWFE": "hwfet",
    "US06": "us06",
    "Charge Depleting UDDS": "ftp",
    "Charge Depleting Highway": "hwfet",
}

#: Badge-engineered twins: one car, one family (a twin left in training would leak).
TWINS = {"SUBARU BRZ": "TOYOTA 86", "SUBARU 86": "TOYOTA 86", "SCION FR-S": "TOYOTA 86",
         "TOYOTA GR": "TOYOTA 86", "SCION IA": "MAZDA 2", "TOYOTA SCION": "TOYOTA SCION",
         "FIAT 124": "MAZDA MX-5", "CHEVROLET AVEO": "CHEVROLET SONIC",
         "BMW I3S": "BMW I3", "KIA FORTE5": "KIA FORTE"}

#: Configurations left out for data errors (year, make, test vehicle ID): reason.
EXCLUDED = {
    ("2012", "CODA", "5005"): "CD UDDS 268 MPGe, the same vehicle lists 110 in MY2013",
}
#: EV rows whose rated power or N/V is not a motor's (hp < 50: some rows list kW or
#: battery figures; N/V outside 50-300 rpm/mph: 0, 10.5, 999) get these instead
#: [assumed: medians of the plausible EV rows of the file].
EV_MEDIAN_HP = 150.0
EV_MEDIAN_NV = 115.0

_PHEV = re.compile(r"plug-?in|prime|energi|phev", re.I)
_HYBRID = re.compile(r"hybrid|prius|insight|cr-z|ioniq(?!.*electric)|niro(?!.*(ev|electric))",
                     re.I)


def family_of(make: str, model: str) -> str:
    """The family of a car named by ``make`` and ``model`` (upper case): the make's first
    word and the model's first word (a model written with the make glued on, as
    ``MAZDA3``, loses it; ``MODEL 3`` keeps its number), then :data:`TWINS`' common name."""
    first_make = make.split()[0].upper()
    text = f"{make} {model}".upper()
    words = [w for w in re.split(r"[\s_]+", text) if w][1:]
    while words and words[0].startswith(first_make) and words[0] != first_make + "SPEED":
        rest = words[0][len(first_make):]
        words = ([rest] if rest else []) + words[1:]
    first = words[0] if words else ""
    if first == "MODEL" and len(words) > 1:
        first = f"MODEL {words[1]}"
    fam = f"{first_make} {first}".strip()
    return TWINS.get(fam, fam)


@dataclass
class TestCar:
    """One EPA test-vehicle configuration with its unadjusted results.

    Attributes:
        year, make, model, vehicle_id: EPA identifiers (make upper-cased).
        cls: validation class (ev, hybrid, cvt, automatic, dct, manual).
        trans: keidesign transmission type (``keidesign.energy.powertrains.GEARS``).
        trans_text, n_gears: EPA transmission description and gear count.
        drive: fwd, rwd, awd or 4wd.
        etw: equivalent test weight, kg.
        f0, f1, f2: target road load, N, N/(m/s), N/(m/s)^2.
        a_lbf, b_lbf_mph, c_lbf_mph2: the same as EPA gives them.
        vd: displacement, L (0 for an EV); hp: rated horsepower; nv: N/V, rpm per mph
            in top gear; axle: axle ratio.
        tests: unadjusted result per test (``ftp``, ``hwfet``, ``us06``), mpg or MPGe.
        bags: FTP bag 1-3 mpg where listed.
        test_numbers: the EPA test numbers used.
        motor_kw, motor_nm: published traction-motor peak power (kW) and torque (N m)
            of an EV (``data/vehicles/ev_motors.csv``, :func:`ev_motor`); None where
            the row has no published value (the model then takes ``hp`` and its
            assumed torque).
        motor_type: ``PMSM``, ``induction``, ``PMSM+induction``, ``other`` or ``""``.
        charger_kw: published on-board charger rating of an EV (kW AC,
            ``data/vehicles/ev_chargers.csv``, :func:`ev_charger`); None where none is
            published (the model then takes the design default).
        pack_chemistry: an EV's traction-battery chemistry, a key of
            :data:`keidesign.energy.powertrains.PACK_HEATER_KW`
            (``data/vehicles/ev_pack_chemistry.csv``, :func:`ev_pack_chemistry`;
            ``li-ion`` where the file has no row).
        pack_kwh: an EV's published usable pack energy, kWh (``data/vehicles/
            ev_batteries.csv`` joined by :func:`ev_pack`, :func:`pack_energy`); None
            where no pack joins (the model then takes the assumed ``[bev] r_b``).
        turbo: the label row's turbocharger/supercharger flag (None: no label row).
        direct_injection: gasoline direct injection (``SIDI`` in the label row's
            ``eng_dscr``; without a label row, :func:`engine_injection`); None where
            neither says.
        compression_ratio: the engine's published compression ratio
            (``us_specs.csv``, :func:`engine_ratio`); 0 where none is published.
    """

    year: int
    make: str
    model: str
    vehicle_id: str
    cls: str
    trans: str
    trans_text: str
    n_gears: int
    drive: str
    etw: float
    f0: float
    f1: float
    f2: float
    a_lbf: float
    b_lbf_mph: float
    c_lbf_mph2: float
    vd: float
    hp: float
    nv: float
    axle: float
    tests: dict[str, float] = field(default_factory=dict)
    bags: tuple[float, float, float] | None = None
    test_numbers: tuple[str, ...] = ()
    motor_kw: float | None = None
    motor_nm: float | None = None
    motor_type: str = ""
    charger_kw: float | None = None
    pack_chemistry: str = "li-ion"
    pack_kwh: float | None = None
    turbo: bool | None = None
    compression_ratio: float = 0.0
    direct_injection: bool | None = None

    @property
    def fuel(self) -> str:
        return "electricity" if self.cls == "ev" else "gasoline"

    @property
    def family(self) -> str:
        """Make + first word of the model: the leave-one-family-out unit
        (:func:`family_of`)."""
        return family_of(self.make, self.model)

    @property
    def measured(self) -> dict[str, float]:
        """The unadjusted results (alias of ``tests``, the energy calibration's name)."""
        return self.tests

    @property
    def key(self) -> str:
        return (f"{self.year} {car_label(self.make, self.model)} {self.vehicle_id} {self.trans} "
                f"{self.etw:.0f}kg")

    def road_load(self, v_mps: float) -> float:
        """Target road load (N) at ``v_mps``."""
        return self.f0 + self.f1 * v_mps + self.f2 * v_mps**2


def _all_wheel(drive: str) -> bool:
    return drive in ("awd", "4wd")


def _drive(text: str) -> str:
    t = text.lower()
    if "4-wheel" in t or "4wd" in t:
        return "4wd"
    if "all wheel" in t or "awd" in t:
        return "awd"
    return "rwd" if "rear" in t else "fwd"


def _trans(text: str, gears: int, electric: bool) -> str | None:
    """keidesign transmission type of an EPA description, or None if not modelled."""
    t = text.lower()
    if electric:
        return "single_speed"
    if "continuously" in t:
        return "cvt"
    if t.startswith("automated manual"):
        return f"dct{gears}" if gears in (6, 7, 8) else f"amt{gears}" if gears in (5,) else None
    if t == "manual":
        return f"mt{gears}" if gears in (5, 6) else None
    if t in ("automatic", "semi-automatic"):
        return f"at{gears}" if 4 <= gears <= 10 else None
    return None


def _float(x: str) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v


#: A user's EPA rows in use instead of the shipped files, by shipped file name
#: (:func:`external_rows`); empty: the shipped files
_EXTERNAL: dict[str, list[dict[str, str]]] = {}


def _csv(name: str) -> list[dict[str, str]]:
    if name in _EXTERNAL:
        return list(_EXTERNAL[name])   # read-only rows (epa_rows.Row): no copy of each
    ref = resources.files("keidesign").joinpath("data", "epa", name)
    with ref.open("r", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


#: Cache-clearing callbacks of higher layers whose caches read these rows (the importer's
#: label join registers its own: :func:`on_rows_changed`), run when the rows in use change
_DEPENDENT_CACHES: list[Callable[[], None]] = []


def on_rows_changed(clear: Callable[[], None]) -> None:
    """Run ``clear`` whenever the EPA rows in use change (:func:`external_rows`): a layer
    above this module (e.g. :mod:`keidesign.specs.sources`) registers its caches of these
    rows here, so that this module never imports it."""
    if clear not in _DEPENDENT_CACHES:
        _DEPENDENT_CACHES.append(clear)


def _clear_caches() -> None:
    for fn in (label_rows, _label_index, test_cars, analytically_derived_cars):
        fn.cache_clear()
    for clear in _DEPENDENT_CACHES:
        clear()


@contextmanager
def external_rows(testcars: list[dict[str, str]],
                  labels: list[dict[str, str]] | None) -> Iterator[None]:
    """Within the block, the EPA test-car rows are ``testcars`` and the label rows
    ``labels`` (none if None) instead of the shipped files (checked rows of a user's
    files, :mod:`keidesign.energy.epafiles`): :func:`test_cars`, :func:`label_rows` and the
    importer's label join read them through the same code as the shipped rows. The label
    rows' engine description is their own ``eng_dscr`` column where they have one."""
    labels = labels or []
    dscr = RowStore(("id", "eng_dscr"))
    saved = dict(_EXTERNAL)
    _EXTERNAL.clear()
    _EXTERNAL.update({
        TESTCAR_FILE: testcars, "epa_label_small_2011_2023.csv": labels,
        "epa_label_descriptors_2011_2023.csv": [
            dscr.row((r["id"], r.get("eng_dscr") or "")) for r in labels]})
    _clear_caches()
    try:
        yield
    finally:
        _EXTERNAL.clear()
        _EXTERNAL.update(saved)
        _clear_caches()


@cache
def label_rows() -> tuple[LabelRow, ...]:
    """fueleconomy.gov label rows (``epa_label_small_2011_2023.csv``), with the engine
    description ``eng_dscr`` of the same record (``epa_label_descriptors_2011_2023.csv``,
    joined on ``id``)."""
    dscr = {r["id"]: r["eng_dscr"] for r in _csv("epa_label_descriptors_2011_2023.csv")}
    out = []
    for r in _csv("epa_label_small_2011_2023.csv"):
        out.append(LabelRow(
            year=int(r["year"]), make=r["make"].strip().upper(), model=r["model"].strip(),
            base_model=r["baseModel"].strip(), vclass=r["VClass"], atv=r["atvType"],
            fuel=r["fuelType1"], displ=_float(r["displ"]) or 0.0, trany=r["trany"],
            drive=_drive(r["drive"]), turbo=bool(r["tCharger"].strip()),
            supercharged=r["sCharger"].strip() == "S", start_stop=r["startStop"] == "Y",
            city=float(r["city08"]), hwy=float(r["highway08"]), comb=float(r["comb08"]),
            ucity=float(r["UCity"]), uhwy=float(r["UHighway"]),
            range_mi=float(r["range"] or 0.0), ev_motor=r["evMotor"], id=r["id"],
            eng_dscr=dscr.get(r["id"], "")))
    return tuple(out)


@dataclass(frozen=True)
class LabelRow:
    """One fueleconomy.gov vehicle row (label values: mpg, or MPGe for EVs)."""

    year: int
    make: str
    model: str
    base_model: str
    vclass: str
    atv: str
    fuel: str
    displ: float
    trany: str
    drive: str
    turbo: bool
    supercharged: bool
    start_stop: bool
    city: float
    hwy: float
    comb: float
    ucity: float
    uhwy: float
    range_mi: float
    ev_motor: str
    id: str
    eng_dscr: str = ""

    @property
    def direct_injection(self) -> bool:
        """Gasoline direct injection: ``SIDI`` in the engine description (also "SIDI &
        PFI", the dual-injection engines; the file writes port injection as nothing)."""
        return re.search(r"\bSIDI?\b", self.eng_dscr) is not None

    @property
    def trans_kind(self) -> tuple[str, int]:
        """(kind, gears) of the ``trany`` text: kind manual, cvt, dct, automatic."""
        t = self.trany
        m = re.search(r"(\d+)", t)
        gears = int(m.group(1)) if m else 0
        if t.startswith("Manual"):
            return "manual", gears
        if "AV" in t or "variable" in t:
            return "cvt", 0
        if "AM" in t:
            return "dct", gears
        return "automatic", gears


def _kind_of(car: TestCar) -> tuple[str, int]:
    if car.trans == "cvt":
        return "cvt", 0
    if car.trans.startswith(("mt",)):
        return "manual", car.n_gears
    if car.trans.startswith(("dct", "amt")):
        return "dct", car.n_gears
    if car.trans == "single_speed":
        return "automatic", 1
    return "automatic", car.n_gears


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


def _cand(row: LabelRow) -> tuple[LabelRow, str, str, tuple[str, int]]:
    return (row, _norm(row.base_model), _norm(row.model), row.trans_kind)


@cache
def _label_index() -> dict[tuple[int, str], list[tuple[LabelRow, str, str, tuple[str, int]]]]:
    """The label rows by (model year, first word of the make), each with its normalized
    base model and model names and its transmission kind (computed once per row: the
    join compared them again for every configuration of the make and year, audit s44a)."""
    idx: dict[tuple[int, str], list[tuple[LabelRow, str, str, tuple[str, int]]]] = \
        defaultdict(list)
    for row in label_rows():
        idx[(row.year, row.make.split()[0])].append(_cand(row))
    return idx


#: At most this many label rows compared by the label join, summed over the
#: configurations (each configuration's make in its model year and the two years beside
#: it, :func:`join_work`). The shipped rows need 20,364; a user's files of one make
#: and year (audit s44a: 10,000 configurations and 20,000 label rows, 7.4 MB, ran for
#: more than 600 s, ~10 us a comparison) are refused before the join
#: (:class:`JoinTooLarge`).
JOIN_MAX = 5_000_000


class JoinTooLarge(ValueError):
    """The label join of the rows in use would compare more than :data:`JOIN_MAX` label
    rows (``work``: how many)."""

    def __init__(self, work: int) -> None:
        super().__init__(f"the label join compares {work:,} label rows; allowed: at most "
                         f"{JOIN_MAX:,}")
        self.work = work


def join_work(cars: Iterator[TestCar] | tuple[TestCar, ...] | list[TestCar]) -> int:
    """Label rows the join of ``cars`` compares at most: for each configuration, the
    label rows of its make in its model year and the two beside it
    (:func:`label_for`, :func:`engine_injection`)."""
    idx = _label_index()
    return sum(len(idx.get((year, car.make.split()[0]), ()))
               for car in cars for year in (car.year - 1, car.year, car.year + 1))


def label_for(car: TestCar) -> LabelRow | None:
    """The label row of a test car's configuration, or None (see the module docstring)."""
    make = car.make.split()[0]
    cands = _label_index().get((car.year, make), [])
    model = _norm(car.model)
    if model.startswith(_norm(make)) and len(model) > len(_norm(make)):
        model = model[len(_norm(make)):]
    kind, gears = _kind_of(car)
    for strict in (True, False):
        row = _best_label(car, cands, model, kind, gears, strict)
        if row is not None:
            return row
    return None


def engine_injection(car: TestCar) -> bool | None:
    """Direct injection of a test car's engine from the label rows of the same make,
    model line and displacement (any transmission) in the car's model year, else the
    nearest year within 1: True / False where those rows agree, None where there are
    none or they disagree (for configurations :func:`label_for` cannot join)."""
    make = car.make.split()[0]
    model = _norm(car.model)
    if model.startswith(_norm(make)) and len(model) > len(_norm(make)):
        model = model[len(_norm(make)):]
    for year in (car.year, car.year - 1, car.year + 1):
        seen = set()
        for row, base, row_model, _ in _label_index().get((year, make), []):
            if row.atv or abs(row.displ - car.vd) > 0.06:
                continue
            if base and (model.startswith(base) or base.startswith(model)) \
                    or row_model == model:
                seen.add(row.direct_injection)
        if seen:
            return seen.pop() if len(seen) == 1 else None
    return None


def _best_label(car: TestCar, cands: list[tuple[LabelRow, str, str, tuple[str, int]]],
                model: str, kind: str, gears: int, strict: bool) -> LabelRow | None:
    """Best candidate of ``cands`` (:func:`_label_index`'s entries); ``strict=False`` lets
    an EPA "automatic" match a label "AM" (dual-clutch) row of the same gear count and
    vice versa (descriptions differ)."""
    best, score = None, None
    for row, base, row_model, (rk, rg) in cands:
        if not (base and (model.startswith(base) or base.startswith(model))
                or row_model == model):
            continue
        if car.cls == "ev":
            if row.atv != "EV":
                continue
        else:
            if row.atv == "EV" or abs(row.displ - car.vd) > 0.06:
                continue
            if car.cls == "hybrid":
                if row.atv != "Hybrid":
                    continue
            elif row.atv == "Hybrid" or (kind != "cvt" and rg != gears):
                continue
            elif rk != kind and (strict or {rk, kind} != {"automatic", "dct"}):
                continue
        s = (0 if row_model.startswith(model) else 1,
             abs(row.ucity - car.tests.get("ftp", row.ucity)))
        if score is None or s < score:
            best, score = row, s
    return best


@cache
def test_cars() -> tuple[TestCar, ...]:
    """Every usable configuration of the EPA test-car file (module docstring), built from
    its measured rows only (:func:`measured_rows`: item 0)."""
    groups = _groups(measured_rows())
    cars = [car for car in (_car(key, rows) for key, rows in groups.items())
            if car is not None]
    if (work := join_work(cars)) > JOIN_MAX:
        raise JoinTooLarge(work)
    for car in cars:
        _complete(car)
    cars.sort(key=_order)
    return tuple(cars)


def analytically_derived(row: dict[str, str]) -> bool:
    """True for a Test Car List row whose result was computed, not measured (the file's
    ``Analytically Derived FE?`` = ``Yes``; module docstring, item 0). The cell must say
    ``Yes`` or ``No`` (any case, spaces around): anything else, or a file without the
    column, is a ``ValueError`` naming the test and the value, so that a regenerated file
    cannot let derived results back in unseen."""
    if ADFE_COLUMN not in row:
        raise ValueError(f"{TESTCAR_FILE}: no column {ADFE_COLUMN!r} (test "
                         f"{row.get('Test Number', '?')}); it must say Yes or No")
    cell = (row[ADFE_COLUMN] or "").strip().lower()
    if cell not in ("yes", "no"):
        raise ValueError(f"{TESTCAR_FILE}: {ADFE_COLUMN} = {row[ADFE_COLUMN]!r} for test "
                         f"{row.get('Test Number', '?')}; allowed: Yes or No")
    return cell == "yes"


def measured_rows() -> list[dict[str, str]]:
    """The rows of ``epa_testcar_small_2011_2023.csv`` that are measurements: every row
    but the analytically derived ones (:func:`analytically_derived`). The one rule every
    reader of the file's results uses."""
    return [r for r in _csv(TESTCAR_FILE) if not analytically_derived(r)]


@cache
def analytically_derived_cars() -> tuple[TestCar, ...]:
    """The configurations that carried an analytically derived result, with ``tests``
    holding those derived results only (harmonic mean per test, ``test_numbers`` their
    test numbers): kept apart so the model can be reported against them
    (:func:`keidesign.validation.fueleconomy.validate_adfe`); neither fitted nor in the
    validation tables. A configuration is built from all its rows (measured and derived:
    the same grouping and checks as :func:`test_cars`), so one whose derived result is
    its only FTP or HWFET still has its dynamometer settings; unlike :func:`test_cars`
    one test is enough (the model predicts both from the settings, and a derived value
    is reported per test): the 2011 Yaris 5MT's derived HWFET 7TYX01066673 sits on a
    target coast-down of its own, with no FTP row, and is reported too (all 140 derived
    test numbers, 63 configurations)."""
    rows = _csv(TESTCAR_FILE)
    groups = _groups(rows)
    cars = []
    for key, grp in groups.items():
        derived = [r for r in grp if analytically_derived(r)]
        if not derived:
            continue
        car = _car(key, grp, need=1)
        if car is None:
            continue
        _complete(car)
        car.tests, car.bags = _results(derived, key[6] == "Electricity")
        car.test_numbers = tuple(r["Test Number"] for r in derived)
        cars.append(car)
    cars.sort(key=_order)
    return tuple(cars)


def _order(c: TestCar) -> tuple:
    return (c.year, c.make, c.model, c.vehicle_id, c.trans, c.etw)


def _groups(rows: list[dict[str, str]]) -> dict[tuple, list[dict[str, str]]]:
    """Rows de-duplicated on test number and grouped into configurations (module
    docstring, items 1-2)."""
    seen: set[str] = set()
    groups: dict[tuple, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        num = r["Test Number"]
        if num in seen:
            continue
        seen.add(num)
        if r["Test Procedure Description"] not in TEST_OF:
            continue
        fuel = r["Test Fuel Type Description"]
        if fuel not in ("Electricity", "Tier 2 Cert Gasoline"):
            continue
        key = (r["Model Year"], r["Represented Test Veh Make"].strip().upper(),
               r["Represented Test Veh Model"].strip(), r["Test Vehicle ID"],
               r["Tested Transmission Type"], r["# of Gears"], fuel,
               r["Equivalent Test Weight (lbs.)"], r["Target Coef A (lbf)"],
               r["Target Coef B (lbf/mph)"], r["Target Coef C (lbf/mph**2)"])
        groups[key].append(r)
    return groups


def _complete(car: TestCar) -> None:
    """The published data joined to a configuration: EV motor, charger and pack; the
    label row's drive (item 5), turbo and injection; the engine's compression ratio."""
    if car.cls == "ev":
        m = ev_motor(car)
        if m is not None:
            car.motor_kw, car.motor_nm, car.motor_type = m.motor_kw, m.motor_nm, m.motor_type
        ch = ev_charger(car)
        car.charger_kw = ch.charger_kw if ch is not None else None
        pc = ev_pack_chemistry(car)
        car.pack_chemistry = pc.chemistry if pc is not None else "li-ion"
        pack, _ = ev_pack(car)
        car.pack_kwh = pack_energy(pack)[0] if pack is not None else None
    lab = label_for(car)
    if lab is not None and _all_wheel(lab.drive) != _all_wheel(car.drive):
        car.drive = lab.drive  # module docstring, item 5
    if car.cls != "ev":
        car.turbo = bool(lab.turbo or lab.supercharged) if lab else None
        er = engine_ratio(car, car.turbo)
        car.compression_ratio = er.ratio if er else 0.0
        car.direct_injection = (lab.direct_injection if lab is not None
                                else engine_injection(car))


def _results(rows: list[dict[str, str]], electric: bool
             ) -> tuple[dict[str, float], tuple[float, float, float] | None]:
    """Result per test (harmonic mean of the rows' values, item 3) and the first FTP
    row's bags (gasoline)."""
    per_test: dict[str, list[float]] = defaultdict(list)
    bags = None
    for r in rows:
        v = _float(r["RND_ADJ_FE"])
        if not v or v <= 0:
            continue
        if electric and v < 60.0:
            v = KWH100_TO_MPGE / v
        t = TEST_OF[r["Test Procedure Description"]]
        per_test[t].append(v)
        b1, b2, b3 = (_float(r[f"FE Bag {i}"]) for i in (1, 2, 3))
        if t == "ftp" and not electric and b1 and b2 and b3 and bags is None:
            bags = (b1, b2, b3)
    return {t: len(v) / sum(1.0 / x for x in v) for t, v in per_test.items()}, bags


def _car(key: tuple, rows: list[dict[str, str]], need: int = 2) -> TestCar | None:
    """The configuration of ``rows`` (module docstring), None where it is not usable;
    ``need``: how many of the two tests (FTP, HWFET) it must have (2 for the records;
    1 for :func:`analytically_derived_cars`, whose HWFET-only configuration is still
    reported)."""
    year, make, model, vid, ttext, gears_s, fuel = key[:7]
    electric = fuel == "Electricity"
    displ = _float(rows[0]["Test Veh Displacement (L)"]) or 0.0
    if _PHEV.search(model) or (electric and 0.3 < displ < 9.0):
        return None  # plug-in hybrid (charge-depleting or charge-sustaining rows)
    if electric and "BOLT" in model.upper() and int(year) >= 2022:
        return None  # label-like values (README)
    if (year, make, vid) in EXCLUDED:
        return None
    etw_lb, a, b, c = (_float(x) for x in key[7:11])
    if not etw_lb or a is None or b is None or not c or a <= 0 or c <= 0:
        return None
    gears = int(gears_s or 0)
    trans = _trans(ttext, gears, electric)
    hybrid = not electric and bool(_HYBRID.search(model))
    if hybrid:
        trans = "cvt"  # power-split / e-CVT or CVT hybrids in this set
    if trans is None:
        return None
    tests, bags = _results(rows, electric)
    if sum(t in tests for t in ("ftp", "hwfet")) < need:
        return None
    cls = "ev" if electric else "hybrid" if hybrid else {
        "cv": "cvt", "mt": "manual", "dc": "dct", "am": "dct", "at": "automatic",
    }[trans[:2]]
    r0 = rows[0]
    mph = MPH_TO_MPS
    hp = _float(r0["Rated Horsepower"]) or 0.0
    nv = _float(r0["N/V Ratio"]) or 0.0
    if electric:
        hp = hp if hp >= 50.0 else EV_MEDIAN_HP
        nv = nv if 50.0 <= nv <= 300.0 else EV_MEDIAN_NV
    return TestCar(
        year=int(year), make=make, model=model, vehicle_id=vid, cls=cls, trans=trans,
        trans_text=ttext, n_gears=gears, drive=_drive(r0["Drive System Description"]),
        etw=etw_lb * LB_TO_KG, f0=a * LBF_TO_N, f1=b * LBF_TO_N / mph,
        f2=c * LBF_TO_N / mph**2, a_lbf=a, b_lbf_mph=b, c_lbf_mph2=c,
        vd=0.0 if electric else float(r0["Test Veh Displacement (L)"]),
        hp=hp, nv=nv,
        axle=_float(r0["Axle Ratio"]) or 0.0, tests=tests, bags=bags,
        test_numbers=tuple(r["Test Number"] for r in rows))


# ---------------------------------------------------------------- hybrid systems
#: Hybrid architectures of ``hybrid_systems.csv`` and the HEV model's layout
#: (:data:`keidesign.energy.powertrains.HEV_LAYOUTS`): a crankshaft (IMA) motor cannot
#: drive with the engine stopped; a P2 clutch, a power split or a two-motor system can.
ARCHITECTURE_LAYOUT = {"ima_parallel": "mild", "p2_parallel": "full",
                       "power_split": "full", "series_parallel": "full"}
#: Architectures whose motor sits on a stepped gearbox's input and turns with the selected
#: gear (P2: motor between the engine clutch and the DCT; the design key
#: ``powertrain:ice:hev_motor_on_gearbox``).
MOTOR_ON_GEARBOX = ("p2_parallel",)


@dataclass(frozen=True)
class HybridSystem:
    """Published hybrid system of one generation (``data/vehicles/hybrid_systems.csv``).

    Attributes:
        make, model, years: the generation (years inclusive).
        architecture: ``ima_parallel``, ``p2_parallel``, ``power_split`` or
            ``series_parallel``; ``layout`` the HEV model's ``mild``/``full``.
        motor_kw: rated power of the motor that drives the wheels, kW.
        battery_kwh: published battery energy, kWh (None where not published).
        source: where the row's values come from.
        compression_ratio: the engine's published geometric compression ratio (for an
            Atkinson engine with late intake-valve closing: its expansion ratio), None
            where none was found (columns ``compression_ratio``, ``_source``,
            ``_status`` V or R; README.md).
        motor_reduction: the traction motor's overall speed reduction to the wheels
            (motor rpm per wheel rpm: MG2 reduction x final drive of a power split, the
            fixed reduction of a two-motor drive), None where none was found (the model
            then turns the motor at the engine's top-gear ratio, ``[hev] motor_ratio``);
            ``motor_max_rpm`` its maximum speed (None: not found) and ``motor_tyre`` the
            tyre size that turns the reduction into a speed per road speed (columns
            ``motor_reduction``, ``motor_max_rpm``, ``motor_tyre``, ``_source``,
            ``_status`` V or R; README.md).
        battery_cells: cells in series of the traction pack, ``battery_ah`` its
            capacity (Ah), ``battery_cell_mohm`` the per-cell internal resistance (mOhm,
            the mean of the charge and discharge pulse resistances at mid state of
            charge), None where not found (columns ``battery_cells``, ``battery_ah``,
            ``battery_cell_resistance_mohm``, ``battery_pack_source``,
            ``battery_pack_status`` V, R or A; README.md). With a voltage, a cell count and
            a per-cell resistance the HEV model runs the row's own pack
            (:func:`keidesign.energy.powertrains.hev_pack`); else the assumed ``[hev]``
            pack.
        battery_v: published pack nominal voltage, V (None where not published).
        line: the row's line in ``hybrid_systems.csv`` (header = line 1), for sources.
    """

    make: str
    model: str
    years: tuple[int, int]
    architecture: str
    motor_kw: float
    battery_kwh: float | None
    source: str
    compression_ratio: float | None = None
    motor_reduction: float | None = None
    motor_max_rpm: float | None = None
    motor_tyre: str = ""
    battery_v: float | None = None
    battery_cells: int | None = None
    battery_ah: float | None = None
    battery_cell_mohm: float | None = None
    line: int = 0

    @property
    def layout(self) -> str:
        return ARCHITECTURE_LAYOUT[self.architecture]


def _years(text: str) -> tuple[int, int]:
    nums = [int(y) for y in re.findall(r"\d{4}", text)]
    return (nums[0], nums[-1]) if nums else (0, 0)


@cache
def hybrid_systems() -> tuple[HybridSystem, ...]:
    """Rows of ``hybrid_systems.csv`` with a traction-motor power."""
    ref = resources.files("keidesign").joinpath("data", "vehicles", "hybrid_systems.csv")
    with ref.open("r", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(HybridSystem(
        make=r["make"].strip().upper(), model=r["model"].strip(), years=_years(r["model_years"]),
        architecture=r["architecture"].strip(), motor_kw=float(r["traction_motor_kw"]),
        battery_kwh=_float(r["battery_kwh"]), source=r["source"],
        compression_ratio=_hybrid_ratio(line, r), **_motor_reduction(line, r),
        **_battery_pack(line, r), line=line)
        for line, r in enumerate(rows, start=2) if _float(r["traction_motor_kw"]))


_TYRE = re.compile(r"(\d{3})\s*/\s*(\d{2})\s*(?:[A-Z]{1,2}\s*)?R\s*F?\s*(\d{2})", re.I)


def parse_tyre(text: str) -> tuple[float, float, float] | None:
    """(width mm, aspect %, rim inch) of a size such as ``"P185/60 R15 84T"`` or None."""
    m = _TYRE.search(text or "")
    if not m:
        return None
    return float(m.group(1)), float(m.group(2)), float(m.group(3))


def tyre_sizes(text: str) -> list[tuple[float, float, float]]:
    """Every size in ``text`` as :func:`parse_tyre` reads one (a staggered car's catalogue
    gives two: ``"165/65R15 / 185/60R15"``, front and rear)."""
    return [(float(a), float(b), float(c)) for a, b, c in _TYRE.findall(text or "")]


_SEATS = re.compile(r"\s*([1-9])\s*(?:-\s*([1-9])\s*)?")


def row_seats(row: dict) -> int | None:
    """The seat count of a ``kei.csv`` row's ``seats`` column: a count 1-9 or a range
    ``"a-b"`` (a <= b), whose upper end is the most the car seats (``"1-4"``, the N-VAN
    e:'s one to four seats: 4; ``"4"``: 4); None where the column is blank or absent
    (the reader's default then: :data:`keidesign.catalogue.mass.KEI_SEATS`); anything
    else a ValueError naming the value and the allowed form. The one reading of the kei
    import (:func:`keidesign.specs.sources` kei rows) and the kei checks
    (:func:`keidesign.energy.calibration.kei_spec`); ``us_specs.csv``'s ``seats`` has its
    own reader (``sources._seats_layout_facts``: a count 1-9)."""
    text = (row.get("seats") or "").strip()
    if not text:
        return None
    m = _SEATS.fullmatch(text)
    if not m or (m.group(2) and int(m.group(2)) < int(m.group(1))):
        raise ValueError(f"seats {text!r}: expected a seat count 1-9 or a range 'a-b' "
                         "with 1 <= a <= b <= 9 (e.g. '4' or '1-4')")
    return int(m.group(2) or m.group(1))


#: Allowed traction-motor overall reduction (motor rpm per wheel rpm) of
#: ``hybrid_systems.csv`` and the design field ``powertrain:ice:hev_motor_reduction``:
#: single-speed EV and hybrid motor drives run about 3-13 (Prius gen 3 8.6, gen 4 10.8).
MOTOR_REDUCTION_RANGE = (1.0, 20.0)
#: Allowed maximum motor speed, rpm.
MOTOR_MAX_RPM_RANGE = (3000.0, 25000.0)


def _motor_reduction(line: int, row: dict[str, str]) -> dict[str, Any]:
    """``motor_reduction``, ``motor_max_rpm``, ``motor_tyre`` of a ``hybrid_systems.csv``
    row (blank: None): a reduction in :data:`MOTOR_REDUCTION_RANGE` with a tyre size, a
    source and status V or R, a speed in :data:`MOTOR_MAX_RPM_RANGE`; else a ValueError
    naming the line, field, value and allowed range."""
    text = (row.get("motor_reduction") or "").strip()
    rpm_text = (row.get("motor_max_rpm") or "").strip()
    if not text:
        if rpm_text:
            raise ValueError(f"hybrid_systems.csv line {line}: motor_max_rpm {rpm_text!r} "
                             "without a motor_reduction")
        return {}
    k, status = _float(text), (row.get("motor_reduction_status") or "").strip()
    lo, hi = MOTOR_REDUCTION_RANGE
    if (k is None or not lo <= k <= hi or status not in ("V", "R")
            or not (row.get("motor_reduction_source") or "").strip()):
        raise ValueError(f"hybrid_systems.csv line {line}: motor_reduction {text!r} (status "
                         f"{status!r}): a reduction {lo:g}-{hi:g} (motor rpm per wheel rpm) "
                         "with a source and status V or R is required")
    tyre = (row.get("motor_tyre") or "").strip()
    if parse_tyre(tyre) is None:
        raise ValueError(f"hybrid_systems.csv line {line}: motor_tyre {tyre!r}: a tyre size "
                         "such as 195/65R15 is required with a motor_reduction")
    rpm = _float(rpm_text) if rpm_text else None
    lo, hi = MOTOR_MAX_RPM_RANGE
    if rpm_text and (rpm is None or not lo <= rpm <= hi):
        raise ValueError(f"hybrid_systems.csv line {line}: motor_max_rpm {rpm_text!r}: "
                         f"{lo:g}-{hi:g} rpm or blank")
    return {"motor_reduction": k, "motor_max_rpm": rpm, "motor_tyre": tyre}


#: Allowed cells in series of a hybrid traction pack (``hybrid_systems.csv``): 40 Li-ion
#: cells (144 V) to 240 NiMH cells (288 V) among the published packs.
BATTERY_CELLS_RANGE = (10, 400)
#: Allowed per-cell internal resistance, mOhm (HEV power cells of 4-7 Ah: about 1-5).
BATTERY_CELL_MOHM_RANGE = (0.2, 20.0)


def _battery_pack(line: int, row: dict[str, str]) -> dict[str, Any]:
    """``battery_v``, ``battery_cells``, ``battery_ah``, ``battery_cell_mohm`` of a
    ``hybrid_systems.csv`` row (blank: None); a cell count in
    :data:`BATTERY_CELLS_RANGE` or a resistance in :data:`BATTERY_CELL_MOHM_RANGE` needs
    a ``battery_pack_source`` and a ``battery_pack_status`` V, R or A; else a ValueError
    naming the line, field, value and allowed range."""
    out: dict[str, Any] = {"battery_v": _float(row.get("battery_voltage_v") or "")}
    status = (row.get("battery_pack_status") or "").strip()
    sourced = status in ("V", "R", "A") and bool((row.get("battery_pack_source") or "").strip())
    for col, key, (lo, hi) in (("battery_cells", "battery_cells", BATTERY_CELLS_RANGE),
                               ("battery_ah", "battery_ah", (0.5, 100.0)),
                               ("battery_cell_resistance_mohm", "battery_cell_mohm",
                                BATTERY_CELL_MOHM_RANGE)):
        text = (row.get(col) or "").strip()
        if not text:
            continue
        v = _float(text)
        if v is None or not lo <= v <= hi or not sourced:
            raise ValueError(f"hybrid_systems.csv line {line}: {col} {text!r} (status "
                             f"{status!r}): {lo:g}-{hi:g} with a battery_pack_source and "
                             "status V, R or A is required")
        out[key] = int(v) if key == "battery_cells" else v
    return out


def _hybrid_ratio(line: int, row: dict[str, str]) -> float | None:
    """The ``compression_ratio`` of a ``hybrid_systems.csv`` row (None if blank): 8-15
    with a source and status V or R, else a ValueError naming the line and value."""
    text = (row.get("compression_ratio") or "").strip()
    if not text:
        return None
    r = _float(text)
    status = (row.get("compression_ratio_status") or "").strip()
    if (r is None or not 8.0 <= r <= 15.0 or status not in ("V", "R")
            or not (row.get("compression_ratio_source") or "").strip()):
        raise ValueError(f"hybrid_systems.csv line {line}: compression_ratio {text!r} "
                         f"(status {status!r}): a ratio 8-15 with a source and status V "
                         "or R is required")
    return r


def _hybrid_key(model: str) -> str:
    return _norm(re.sub(r"hybrid", "", model, flags=re.I))


def hybrid_system(car: TestCar) -> HybridSystem | None:
    """The published hybrid system of a test car: same make, model year in the row's
    years, the row's model name (without "hybrid") a prefix of the car's; the longest
    such name wins (``Prius c`` before ``Prius``). None if no row matches."""
    key = _hybrid_key(car.model)
    best = None
    for h in hybrid_systems():
        name = _hybrid_key(h.model)
        if (h.make == car.make and h.years[0] <= car.year <= h.years[1] and name
                and key.startswith(name) and (best is None or len(name) > len(
                    _hybrid_key(best.model)))):
            best = h
    return best


def tested_gearbox(car: TestCar) -> str:
    """The keidesign transmission of the gearbox a car was tested with (a hybrid's
    ``trans`` is ``cvt`` for every row, :func:`_car`): the EPA description's manual or
    dual-clutch box, else ``cvt`` (e-CVTs, CVTs and "Other")."""
    t = _trans(car.trans_text, car.n_gears, False)
    return t if t is not None and not t.startswith("at") else "cvt"


# ---------------------------------------------------------------- EV traction motors
@dataclass(frozen=True)
class EvMotor:
    """Published traction motor of one EV generation (``data/vehicles/ev_motors.csv``).

    Attributes:
        family: :attr:`TestCar.family` of the EPA rows it applies to (or the kei
            catalogue car's make and model, upper case).
        model_regex: a case-insensitive pattern the EPA model name must contain
            (empty: any model of the family); a row with a pattern wins over one without.
        years: model years (inclusive).
        motor_kw, motor_nm: peak power (kW) and torque (N m), None where not published.
        motor_type: ``PMSM`` (permanent-magnet synchronous, incl. PM-assisted
            reluctance), ``induction``, ``PMSM+induction`` (two motors), ``other``.
        n_motors: traction motors; reduction_ratio: published overall ratio or None.
        status: ``{"kw", "nm", "type"}`` -> V (read in a source), R (second-hand or
            inferred from a sibling), A (assumed).
        source: where the values come from.
    """

    family: str
    model_regex: str
    years: tuple[int, int]
    generation: str
    motor_kw: float | None
    motor_nm: float | None
    motor_type: str
    n_motors: int
    reduction_ratio: float | None
    status: dict
    source: str


MOTOR_TYPES = ("PMSM", "induction", "PMSM+induction", "other")


def _vehicle_rows(name: str) -> list[dict[str, str]]:
    """Rows of ``data/vehicles/<name>``."""
    ref = resources.files("keidesign").joinpath("data", "vehicles", name)
    with ref.open("r", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@dataclass(frozen=True)
class _GenerationRow:
    """The fields every generation row shares (:class:`EvCharger`,
    :class:`EvPackChemistry`)."""

    family: str
    model_regex: str
    years: tuple[int, int]
    status: str
    source: str


def _generation(r: dict[str, str]) -> dict[str, Any]:
    """``family``, ``model_regex``, ``years`` and ``status``, ``source`` of a generation
    row (``ev_chargers.csv``, ``ev_pack_chemistry.csv``)."""
    return {"family": r["family"].strip().upper(), "model_regex": r["model_regex"].strip(),
            "years": _years(r["model_years"]), "status": r["status"], "source": r["source"]}


def _load_generation(name: str, cls: type, key: str, parse: Any, ok: Any,
                     allowed: str) -> tuple:
    """Rows of ``data/vehicles/<name>`` as ``cls`` (a :class:`_GenerationRow` with one more
    field ``key``, read by ``parse``); a value ``ok`` rejects or a status other than
    V/R/A raises one message naming the file, the row, the value and what is allowed."""
    out = []
    for r in _vehicle_rows(name):
        v = parse(r[key])
        if not ok(v) or r["status"] not in ("V", "R", "A"):
            raise ValueError(f"{name}: {r['family']} {r['model_years']}: {key} {r[key]!r} "
                             f"({allowed}) or status {r['status']!r} (V/R/A)")
        out.append(cls(**{key: v}, **_generation(r)))
    return tuple(out)


@cache
def ev_motors() -> tuple[EvMotor, ...]:
    """Rows of ``ev_motors.csv``; a torque or power marked A (assumed) is read as
    not published (None), so the caller's stated default applies."""
    rows = _vehicle_rows("ev_motors.csv")
    out = []
    for r in rows:
        if r["motor_type"] not in MOTOR_TYPES:
            raise ValueError(f"ev_motors.csv: motor_type {r['motor_type']!r} for "
                             f"{r['family']} {r['model_years']}: one of {MOTOR_TYPES}")
        st = {"kw": r["status_kw"], "nm": r["status_nm"], "type": r["status_type"]}
        out.append(EvMotor(
            family=r["family"].strip().upper(), model_regex=r["model_regex"].strip(),
            years=_years(r["model_years"]), generation=r["generation"],
            motor_kw=_float(r["motor_kw"]) if st["kw"] != "A" else None,
            motor_nm=_float(r["motor_nm"]) if st["nm"] != "A" else None,
            motor_type=r["motor_type"], n_motors=int(r["n_motors"]),
            reduction_ratio=_float(r["reduction_ratio"]), status=st, source=r["source"]))
    return tuple(out)


def ev_motor(car: TestCar) -> EvMotor | None:
    """The published motor of an EV test car: same family, model year in the row's
    years, the row's ``model_regex`` found in the model name; a row with a pattern
    wins over one without. None if no row matches."""
    return _generation_row(ev_motors(), car)


@dataclass(frozen=True)
class _Named:
    """A car named by family, model and model year: what :func:`_generation_row` reads."""

    family: str
    model: str
    year: int


def ev_motor_of(make: str, model: str, year: int) -> EvMotor | None:
    """The published motor of an EV named by its ``make``, ``model`` and model ``year``
    (a spec row without an EPA test car in the data, e.g. the Spark EV of
    ``us_specs.csv``): the :func:`ev_motor` join on the family :func:`family_of` gives."""
    return _generation_row(ev_motors(), _Named(family_of(make, model), model, year))



def _generation_row(rows: tuple, car: TestCar) -> EvMotor | EvCharger | None:
    """The row of ``rows`` (with ``family``, ``years``, ``model_regex``) for ``car``:
    same family, model year in the row's years, the row's pattern found in the model
    name; a row with a pattern wins over one without; None if none matches."""
    best = None
    for m in rows:
        if (m.family == car.family and m.years[0] <= car.year <= m.years[1]
                and (not m.model_regex or re.search(m.model_regex, car.model, re.I))
                and (best is None or (m.model_regex and not best.model_regex))):
            best = m
    return best


# ---------------------------------------------------------------- EV on-board chargers
@dataclass(frozen=True)
class EvCharger(_GenerationRow):
    """Published on-board charger of one EV generation (``data/vehicles/ev_chargers.csv``).

    Attributes:
        family, model_regex, years: as :class:`EvMotor` (the EPA rows it applies to).
        charger_kw: AC input rating of the on-board charger, kW (the level-2 power of
            the SAE J1634 recharge).
        status: V (read in the source), R (second-hand or from a sibling), A (assumed).
        source: where the value comes from.
    """

    charger_kw: float


@cache
def ev_chargers() -> tuple[EvCharger, ...]:
    """Rows of ``ev_chargers.csv`` (every row has a rating; a generation without a
    published one has no row)."""
    return _load_generation("ev_chargers.csv", EvCharger, "charger_kw", _float,
                            lambda kw: kw is not None and 1.0 <= kw <= 22.0, "1-22 kW")


def ev_charger(car: TestCar) -> EvCharger | None:
    """The published on-board charger of an EV test car (matched as :func:`ev_motor`),
    None if no row matches."""
    return _generation_row(ev_chargers(), car)


# ------------------------------------------------------------- EV traction-battery chemistry
@dataclass(frozen=True)
class EvPackChemistry(_GenerationRow):
    """Published traction-battery chemistry of one EV generation whose pack is not
    lithium-ion (``data/vehicles/ev_pack_chemistry.csv``).

    Attributes:
        family, model_regex, years: as :class:`EvMotor` (the EPA rows it applies to).
        chemistry: a key of :data:`keidesign.energy.powertrains.PACK_HEATER_KW`.
        status: V (read in the source), R (second-hand), A (assumed).
        source: where the value comes from.
    """

    chemistry: str


@cache
def ev_pack_chemistries() -> tuple[EvPackChemistry, ...]:
    """Rows of ``ev_pack_chemistry.csv``."""
    from keidesign.energy.powertrains import PACK_HEATER_KW

    return _load_generation("ev_pack_chemistry.csv", EvPackChemistry, "chemistry", str.strip,
                            lambda c: c in PACK_HEATER_KW, f"one of {tuple(PACK_HEATER_KW)}")


def ev_pack_chemistry(car: TestCar) -> EvPackChemistry | None:
    """The published non-lithium-ion pack chemistry of an EV test car (matched as
    :func:`ev_motor`), None if no row matches (lithium-ion)."""
    return _generation_row(ev_pack_chemistries(), car)


# ------------------------------------------------------------------ engine data (us_specs.csv)
@cache
def _us_specs() -> tuple[tuple[int, dict[str, str]], ...]:
    """``data/vehicles/us_specs.csv`` rows with their 1-based file line numbers."""
    ref = resources.files("keidesign").joinpath("data", "vehicles", "us_specs.csv")
    with ref.open("r", encoding="utf-8") as fh:
        return tuple((i + 2, r) for i, r in enumerate(csv.DictReader(fh)))


def _model_years(text: str) -> tuple[int, int]:
    """(first, last) of ``"2009-2014"``, ``"2019"`` or the open ``"2023-"`` (last 9999)."""
    nums = [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", text or "")]
    if not nums:
        return 2011, 9999
    if len(nums) == 1:
        return nums[0], 9999 if re.search(r"\d\s*-\s*$", text) else nums[0]
    return nums[0], nums[-1]


#: The make / model index of ``us_specs.csv`` (:func:`_us_specs_index`): None, or the
#: rows it was built from (the tuple of :func:`_us_specs`, compared by identity) and
#: the index, replaced as one object.
_MATCH_INDEX: list[Any] = [None]


def _us_specs_index() -> dict[tuple[str, str], tuple[tuple[int, int, int, dict[str, str]], ...]]:
    """``us_specs.csv`` rows by the key :func:`us_specs_matches` compares: (first word of
    the make, upper case; :func:`_norm` of the model) of every ``epa_model`` item, each
    row once per key, in file order, with its ``model_years`` span: ((first, last),
    line, row). Built once per loaded file (rebuilt when :func:`_us_specs` returns
    another tuple, e.g. after its cache is cleared); a lookup is one dictionary read
    instead of a scan of every row."""
    rows = _us_specs()
    held = _MATCH_INDEX[0]
    if held is None or held[0] is not rows:
        idx: dict[tuple[str, str], list[tuple[int, int, int, dict[str, str]]]] = defaultdict(list)
        for line, r in rows:
            lo, hi = _model_years(r["model_years"])
            keys: list[tuple[str, str]] = []
            for item in r.get("epa_model", "").split("|"):
                mk, sep, model = item.strip().partition("::")
                mk, model = (mk.strip().upper(), model.strip()) if sep else (
                    r["make"].strip().upper(), mk.strip())
                if model and (key := (mk.split()[0], _norm(model))) not in keys:
                    keys.append(key)
            for key in keys:
                idx[key].append((lo, hi, line, r))
        held = (rows, {k: tuple(v) for k, v in idx.items()})
        _MATCH_INDEX[0] = held
    return held[1]


def us_specs_matches(car: TestCar) -> list[tuple[int, dict[str, str]]]:
    """The ``us_specs.csv`` rows (line, row) of a test car: the car's make and model
    among the row's ``epa_model`` strings (``|``-separated; ``Make::Model`` names
    another make; the first word of the make and the model with every character but
    a-z and 0-9 removed, case-insensitive, must be equal) and its model year within
    ``model_years``; in file order, each row once. Read from :func:`_us_specs_index`
    (``tests/test_us_specs_lookup.py`` holds it to the row-by-row scan it replaces)."""
    hits = _us_specs_index().get((car.make.split()[0], _norm(car.model)), ())
    return [(line, r) for lo, hi, line, r in hits if lo <= car.year <= hi]


# ---------------------------------------------------------------- EV traction packs
@cache
def ev_batteries() -> tuple[dict[str, str], ...]:
    """Rows of ``data/vehicles/ev_batteries.csv``: the battery packs of US EVs (gross and,
    where published, usable energy; EPA label range), sources per row."""
    return tuple(_vehicle_rows("ev_batteries.csv"))


def _pack_years(text: str) -> tuple[int, int]:
    """Model years of an ``ev_batteries.csv`` row (none named: any year)."""
    parts = [int(x) for x in re.findall(r"\d{4}", text)]
    return (parts[0], parts[-1]) if parts else (0, 9999)


@cache
def usable_share() -> tuple[float, int]:
    """Usable / gross battery energy, the mean over the packs of ev_batteries.csv that
    publish both (a class-average default for a pack known by its gross energy only),
    and the number of packs it averages (each distinct (gross, usable) pair once)."""
    pairs = {(float(r["gross_kwh"]), float(r["usable_kwh"])) for r in ev_batteries()
             if r["gross_kwh"] and r["usable_kwh"]}
    return sum(u / g for g, u in pairs) / len(pairs), len(pairs)


def pack_energy(row: dict[str, str]) -> tuple[float, str]:
    """Usable energy (kWh) of one ev_batteries.csv row and its provenance: the published
    usable energy, else the gross times the published usable share [assumed]."""
    src = (f"ev_batteries.csv ({car_label(row['make'], row['model'], row['model_years'])}, status "
           f"{row['status']})")
    if row["usable_kwh"]:
        return float(row["usable_kwh"]), f"{src}: usable, {row['usable_basis']}"
    share, n = usable_share()
    gross = float(row["gross_kwh"])
    return gross * share, (f"{src}: {gross:g} kWh gross x {share:.3f}, the mean usable share "
                           f"of the {n} packs that publish both [assumed]")


def ev_pack_for(car: TestCar, generations: list[tuple[str, str, str]],
                label: LabelRow | None) -> tuple[dict[str, str] | None, str]:
    """The ``ev_batteries.csv`` pack of an EPA EV test car and a note on the match.

    A row matches when the car's model year lies within its ``model_years`` and either
    its (make, model, generation) is one of ``generations`` (the car's ``us_specs.csv``
    rows': the generation is what tells two packs of one model apart), or, for a row with
    a blank generation (a car ``us_specs.csv`` lacks), its make is the EPA make and its
    model starts with the EPA model name (case and punctuation ignored: the 2017 EPA
    'IONIQ' is the 'Ioniq Electric' row). Where two packs share a model year (the 2016
    Leaf: 24 kWh S, 30 kWh SV/SL), the one whose ``epa_range_mi`` is nearest the label
    range decides; without a label the match is ambiguous and no pack is returned (the
    note names the candidates).
    """
    def in_years(r: dict[str, str]) -> bool:
        lo, hi = _pack_years(r["model_years"])
        return lo <= car.year <= hi

    cands = [r for r in ev_batteries() if in_years(r) and (
        (r["generation"] and (r["make"], r["model"], r["generation"]) in generations)
        or (not r["generation"] and _norm(r["make"]) == _norm(car.make)
            and _norm(r["model"]).startswith(_norm(car.model))))]
    if len(cands) <= 1:
        return (cands[0] if cands else None), ""
    names = ", ".join(f"{r['model_years']} {r['gross_kwh'] or r['usable_kwh']} kWh"
                      for r in cands)
    if label is None or label.range_mi <= 0 or not all(r["epa_range_mi"] for r in cands):
        return None, f"ev_batteries.csv packs {names} all cover MY{car.year} (no label range)"
    best = min(cands, key=lambda r: abs(float(r["epa_range_mi"]) - label.range_mi))
    return best, (f"of the packs {names} covering MY{car.year}, the one whose EPA range "
                  f"{best['epa_range_mi']} mi is nearest the label's {label.range_mi:g} mi")


def ev_pack(car: TestCar) -> tuple[dict[str, str] | None, str]:
    """:func:`ev_pack_for` of an EPA EV row with the generations of every ``us_specs.csv``
    row it matches (:func:`us_specs_matches`) and its label row: the join the calibration
    reads (``TestCar.pack_kwh``); ``tests/test_ev_batteries.py`` holds it to the import's
    (``keidesign.specs.sources.ev_pack_for`` with the one row ``us_specs_for`` picks)."""
    gens = [(r["make"], r["model"], r["generation"]) for _, r in us_specs_matches(car)]
    return ev_pack_for(car, gens, label_for(car))


@dataclass(frozen=True)
class EngineRatio:
    """A published compression ratio of one engine of a ``us_specs.csv`` generation.

    Attributes:
        key: the engine as the row names it (``1.5T``: 1.5 L turbocharged;
            ``2.0@140-150``: the 2.0 L NA engine of the cars rated 140-150 hp, where a
            generation has two engines of one displacement).
        displacement: L; turbo: forced induction.
        hp_range: (low, high) rated horsepower of the EPA test cars the entry is for
            (the file's ``Rated Horsepower``), or None: every car of the displacement.
        ratio: geometric compression ratio.
        status: ``V`` (maker document) or ``R`` (secondary source), README conventions.
        source: where the ratio was read.
        line: the us_specs.csv line.
    """

    key: str
    displacement: float
    turbo: bool
    ratio: float
    status: str
    source: str
    line: int
    hp_range: tuple[float, float] | None = None

    def fits(self, car: TestCar, turbo: bool | None) -> bool:
        """The entry names the car's engine: displacement within 0.06 L, the forced
        induction where ``turbo`` is known, the rated horsepower inside ``hp_range``."""
        if abs(self.displacement - car.vd) >= 0.06 or (turbo is not None
                                                       and self.turbo != turbo):
            return False
        return self.hp_range is None or self.hp_range[0] <= car.hp <= self.hp_range[1]


_ENGINE_KEY = re.compile(r"^(\d+(?:\.\d+)?)(T?)(?:@(\d+)-(\d+))?$", re.I)


def _keyed(text: str, what: str, line: int) -> dict[str, str]:
    """``{engine key: value}`` of a ``1.8=10.6;1.4T=9.5;2.0@140-150=12.5`` cell
    (entries separated by a ``;`` that is followed by the next engine key)."""
    out = {}
    for item in re.split(r";\s*(?=\d+(?:\.\d+)?T?(?:@\d+-\d+)?=)", text or "",
                         flags=re.I):
        if not item.strip():
            continue
        key, sep, val = item.partition("=")
        key = key.strip().upper()
        m = _ENGINE_KEY.match(key)
        if not sep or not m or (m.group(3) and int(m.group(3)) > int(m.group(4))):
            raise ValueError(f"us_specs.csv line {line}: {what} entry {item.strip()!r}: "
                             "expected <displacement L>[T][@<hp low>-<hp high>]=<value>, "
                             "e.g. 1.4T=9.5 or 2.0@140-150=12.5")
        out[key] = val.strip()
    return out


def engine_ratios(line: int, row: dict[str, str]) -> tuple[EngineRatio, ...]:
    """The engines of one ``us_specs.csv`` row with a published compression ratio
    (columns ``compression_ratio``, ``compression_ratio_source``,
    ``compression_ratio_status``; us_specs_README.md)."""
    ratios = _keyed(row.get("compression_ratio", ""), "compression_ratio", line)
    sources = _keyed(row.get("compression_ratio_source", ""), "compression_ratio_source",
                     line)
    status = _keyed(row.get("compression_ratio_status", ""), "compression_ratio_status",
                    line)
    out = []
    for key, val in ratios.items():
        r = _float(val)
        if r is None or not 8.0 <= r <= 15.0 or status.get(key) not in ("V", "R"):
            raise ValueError(f"us_specs.csv line {line}: compression_ratio {key}={val!r} "
                             f"(status {status.get(key)!r}): a ratio 8-15 with status V "
                             "or R is required")
        m = _ENGINE_KEY.match(key)
        hp = (float(m.group(3)), float(m.group(4))) if m.group(3) else None
        out.append(EngineRatio(key, float(m.group(1)), bool(m.group(2)), r, status[key],
                               sources.get(key, ""), line, hp))
    return tuple(out)


def engine_ratio(car: TestCar, turbo: bool | None = None) -> EngineRatio | None:
    """The published compression ratio of a test car's engine: an engine of its
    ``us_specs.csv`` rows (:func:`us_specs_matches`) with the car's displacement
    (within 0.06 L), where ``turbo`` is known the same forced induction, and the car's
    rated horsepower inside the entry's range where it gives one
    (:meth:`EngineRatio.fits`). The entries that fit must agree on one ratio (with
    ``turbo`` unknown they must also agree on the induction); None otherwise."""
    found = {}
    for line, r in us_specs_matches(car):
        for e in engine_ratios(line, r):
            if e.fits(car, turbo):
                found.setdefault((e.turbo, e.ratio), e)
    if len(found) != 1:
        return None
    return next(iter(found.values()))
