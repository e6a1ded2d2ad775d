"""Published specs read into one :class:`Spec`: facts with their provenance.

Three kinds of source (docs/import.md):

* an EPA test-car configuration (:func:`keidesign.energy.testcars.test_cars`) with its
  fueleconomy.gov label row, completed by the ``us_specs.csv`` row of the same car
  (dimensions, curb mass, Cd, tyre) when one matches (:func:`epa_spec`);
* a row of ``keidesign/data/vehicles``: ``kei.csv`` (completed by ``kei_ev.csv`` when that
  file is shipped), ``us_small.csv`` or ``us_specs.csv`` (:func:`vehicle_spec`);
* a short spec TOML a user writes (:func:`user_spec`, schema in docs/import.md).

A :class:`Spec` holds only what the source says (or what follows from it with a stated
basis, marked ``assumed``); :mod:`keidesign.specs.build` assumes the rest.

Fact keys and units: ``length width height wheelbase track_front track_rear
front_overhang ground_clearance`` mm; ``curb etw gvwr`` kg; ``cd crr``; ``tyre`` (width mm,
aspect %, rim inch); ``seats``; ``style``; ``type`` ('ice'/'bev'); ``displacement`` cm3;
``cylinders``; ``turbo``; ``compression_ratio``; ``power torque`` kW, N m (engine);
``hybrid`` ('none'/'hev');
``hev_motor_power`` kW; ``hev_layout`` ('mild'/'full'); ``hev_motor_on_gearbox`` (a P2
motor); ``hev_motor_reduction`` (motor rpm per wheel rpm),
``hev_motor_max_speed`` rpm; ``hev_battery_voltage`` V, ``hev_battery_resistance`` ohm
(the traction pack); ``idle_stop``; ``fuel_tank`` L; ``motor_power`` kW;
``motor_torque`` N m; ``motor_type`` ('pmsm'/'induction'); ``charger_power`` kW
(on-board charger); ``battery_energy`` kWh; ``pack_chemistry`` ('li-ion'/'lmp');
``transmission`` (keidesign type);
``drive``; ``layout``; ``final_drive ratio_high``; ``top_speed`` km/h;
``coastdown`` (a lbf, b lbf/mph, c lbf/mph^2); ``model_year``. A fact's ``text`` is the
value as the file writes it (e.g. ``"151.4 inch"``) so the design file keeps the
source's number exactly.
"""

from __future__ import annotations

import csv
import difflib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from keidesign import units as ku
from keidesign import variables as reg
from keidesign.catalogue.mass import SEAT_MASS_KG
from keidesign.design import _GIVEN_MIN, _MIN_HEV_PACK_OHM, _MIN_HEV_PACK_V, NAME_MAX
from keidesign.energy import testcars as tc
from keidesign.energy.powertrains import (
    COMPRESSION_RATIO_RANGE,
    GEARS,
    MOTOR_TYPES,
    PACK_HEATER_KW,
)
from keidesign.energy.testcars import parse_tyre, tyre_sizes
from keidesign.errors import InputError, printable, show
from keidesign.inputfiles import did_you_mean, load_toml, toml_float
from keidesign.vehiclenames import car_label, vehicle_name

__all__ = [
    "AmbiguousSelection", "EPA_DATA", "Fact", "Spec", "epa_matches", "epa_spec",
    "parse_tyre", "us_specs_rows", "user_spec", "vehicle_matches", "vehicle_name",
    "vehicle_spec",
]

#: Where and when the shipped data were collected (header comments of imported files).
#: The data line of an import from a user's rows (``keidesign import epa --testcars``)
EXTERNAL_DATA = ("the user's EPA rows (keidesign import epa --testcars FILE [--labels FILE]), "
                 "not the shipped files")
EPA_DATA = ("EPA Test Car List + fueleconomy.gov label files MY2011-2023 "
            "(NREL/vehicle-data commit c48aa4c; keidesign/data/epa)")
DATA_DATES = {
    "kei.csv": "Japanese catalogue figures as quoted by the pages on each row "
               "(collected 2025-2026; keidesign/data/vehicles/README.md)",
    "kei_ev.csv": "Japanese catalogue figures quoted by the pages on each row",
    "us_small.csv": "published US specs (pages on the row; dimensions partly recalled, "
                    "see verified_fields / recall_fields)",
    "us_specs.csv": "autoevolution.com spec pages scraped 27 Jan 2020 "
                    "(ilyasozkurt/automobile-models-and-specs@51dcf51), FASTSim database, "
                    "magazine tests (us_specs_README.md)",
    "hybrid_systems.csv": "published hybrid systems (motor, architecture, pack, engine "
                          "ratio) with the pages on each row, 2026 (data/vehicles/README.md)",
}
VEHICLE_FILES = ("kei", "kei_ev", "us_small", "us_specs")


@dataclass(frozen=True)
class Fact:
    """One value of a spec: ``value`` in the unit of its key (module docstring), ``note``
    its provenance (``assumed`` false: the source; true: a value derived with a stated
    basis), ``text`` how the design file writes it (None: the number)."""

    value: Any
    note: str
    assumed: bool = False
    text: str | None = None


@dataclass
class Spec:
    """A published spec: ``facts`` by key, ``kind`` the source kind ('epa', 'kei',
    'us_small', 'us_specs', 'spec'), ``source`` one line for ``design.source``,
    ``header`` comment lines (source and the date of the data)."""

    name: str
    kind: str
    source: str
    header: list[str]
    facts: dict[str, Fact] = field(default_factory=dict)
    market: str = "us"
    description: str = ""

    def get(self, key: str) -> Any:
        f = self.facts.get(key)
        return None if f is None else f.value

    def set(self, key: str, value: Any, note: str, *, assumed: bool = False,
            text: str | None = None) -> None:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return
        self.facts[key] = Fact(value, note, assumed, text)


class AmbiguousSelection(InputError):
    """More than one row matches: ``choices`` lists them, one line each."""

    def __init__(self, message: str, choices: Sequence[str]) -> None:
        super().__init__(message)
        self.choices = list(choices)


# --- helpers ----------------------------------------------------------------------------

def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


def _float(x: Any) -> float | None:
    try:
        v = float(str(x).strip())
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _num_text(v: float) -> str:
    return f"{v:g}"


def _years(text: str) -> tuple[int, int | None] | None:
    """(first, last) model year of ``"2009-2014"``, ``"2023-"`` (last None) or ``"2019"``."""
    nums = re.findall(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", text or "")
    if not nums:
        return None
    first = int(nums[0])
    if len(nums) > 1:
        return first, int(nums[1])
    open_ended = re.search(rf"{first}\s*-\s*(?!\d)", text) is not None
    return first, None if open_ended else first


def _model_year(text: str) -> int | None:
    """Model year of a span: its last year, or the first of an open span; None if none."""
    y = _years(text)
    if y is None:
        return None
    return y[1] if y[1] is not None else y[0]


def _csv_rows(name: str) -> list[dict[str, str]] | None:
    ref = resources.files("keidesign").joinpath("data", "vehicles", name)
    if not ref.is_file():
        return None
    with ref.open("r", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _pick(matches: list[Any], index: int | None, describe, what: str,
          hint: str) -> Any:
    """The one match, or the ``index``-th; raise listing them when ambiguous."""
    if index is not None:
        if not 0 <= index < len(matches):
            raise InputError(f"--index {index}: {len(matches)} {what} match; allowed: 0 to "
                             f"{len(matches) - 1}")
        return matches[index]
    if len(matches) == 1:
        return matches[0]
    lines = [f"[{i}] {describe(m)}" for i, m in enumerate(matches)]
    raise AmbiguousSelection(f"{len(matches)} {what} match; pick one with --index N "
                             f"(listed above){hint}", lines)


#: What a name that matches nothing may be instead (the ``allowed:`` of :func:`_no_match`).
NO_MATCH_ALLOWED = ("a name of the shipped data (the near names, or a part of one), or "
                    "keidesign import spec with the car's published specs (docs/import.md)")


def _no_match(what: str, query: str, names: Iterable[str], why: str = "") -> InputError:
    """One line for a name that matches nothing: the near names, then what is allowed
    (:data:`NO_MATCH_ALLOWED`); ``why`` says what the shipped files do hold of it (an
    EPA label row without a test car, a plug-in hybrid: :func:`_epa_not_carried`).
    Before task s39b the line ended at the near names, without ``allowed:``."""
    names = sorted(set(names))
    near = difflib.get_close_matches(query.upper(), [n.upper() for n in names], n=6,
                                     cutoff=0.5)
    if not near:  # a word in common
        words = set(_norm(w) for w in query.split())
        near = [n for n in names if words & set(_norm(w) for w in n.split())][:6]
    near_text = ", ".join(near) if near else ", ".join(names[:8]) + (
        ", ..." if len(names) > 8 else "")
    return InputError(f"no {what} matches {show(query)}{why}; near names: "
                      f"{near_text or 'none'}; allowed: {NO_MATCH_ALLOWED}")


def _year_spans(years: list[int]) -> str:
    """``[2011, 2012, 2013, 2015]`` as ``'2011-2013, 2015'``."""
    spans: list[list[int]] = []
    for y in years:
        if spans and y == spans[-1][1] + 1:
            spans[-1][1] = y
        else:
            spans.append([y, y])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)


# --- us_specs.csv -----------------------------------------------------------------------

@dataclass(frozen=True)
class SpecRow:
    """A row of ``us_specs.csv`` with its 1-based data line number."""

    line: int
    row: dict[str, str]

    @property
    def label(self) -> str:
        """``make model, generation (years), trim``, the make said once."""
        r = self.row
        return (f"{car_label(r['make'], r['model'])}, {r['generation']} "
                f"({r['model_years']}), {r['trim']}")

    def years(self) -> tuple[int, int]:
        y = _years(self.row["model_years"]) or (2011, 2031)
        return y[0], y[1] if y[1] is not None else 2031

    def epa_models(self) -> list[tuple[str | None, str]]:
        out = []
        for item in self.row.get("epa_model", "").split("|"):
            item = item.strip()
            if not item:
                continue
            make, sep, model = item.partition("::")
            out.append((make.strip().upper(), model.strip()) if sep else (None, make))
        return out


@cache
def us_specs_rows() -> tuple[SpecRow, ...]:
    rows = _csv_rows("us_specs.csv") or []
    return tuple(SpecRow(i + 2, r) for i, r in enumerate(rows))


def us_specs_for(car: tc.TestCar) -> SpecRow | None:
    """The ``us_specs.csv`` row of an EPA test car: its make and model among the row's
    ``epa_model`` strings and the year within ``model_years``; of several, the one whose
    trim names the car's displacement and transmission."""
    cands = [SpecRow(line, row) for line, row in tc.us_specs_matches(car)]
    if not cands:
        return None

    def score(sr: SpecRow) -> tuple[int, int]:
        trim = sr.row["trim"] + " " + sr.row["transmission"]
        pt = _trim_powertrain(trim)
        s_vd = 0 if car.vd and pt.get("displacement") and abs(
            pt["displacement"] / 1000.0 - car.vd) < 0.06 else 1
        s_tr = 0 if pt.get("transmission", "")[:2] == car.trans[:2] else 1
        return s_vd, s_tr

    return min(cands, key=score)


_DISPL = re.compile(r"(?<![\d.])(\d\.\d)\s*(?:l|i|t|\s|-|$)", re.I)
_HP = re.compile(r"(\d{2,3})\s*(?:hp|ps)\b", re.I)
_KW = re.compile(r"(\d{2,3})\s*kw\b", re.I)


def _trans_text(text: str) -> str | None:
    """keidesign transmission of a free description, or None."""
    t = text.lower()
    m = re.search(r"(\d+)\s*-?\s*(?:speed|spd|sp\b)", t) or re.search(
        r"\b(\d)\s*(?:mt|at|dct|amt|ec|-?g)\b", t)
    gears = int(m.group(1)) if m else 0
    if re.search(r"cvt|continuously|variable|ivt|xtronic|ctv", t):
        return "cvt"
    if re.search(r"single|1\s*-?\s*speed|1at|one[- ]speed", t):
        return "single_speed"
    if re.search(r"dual[- ]clutch|dct|dsg|powershift|s tronic|edc", t):
        return f"dct{gears}" if gears in (6, 7, 8) else "dct6" if not gears else None
    if re.search(r"automated|amt|sequential|smg", t):
        return f"amt{gears}" if gears in (5, 6) else None
    if re.search(r"manual|\dmt\b", t):
        return f"mt{gears}" if gears in (5, 6) else None
    if re.search(r"auto|\dat\b", t):
        return f"at{gears}" if 3 <= gears <= 10 else None
    return None


def _trim_powertrain(text: str) -> dict[str, Any]:
    """Displacement (cm3), power (kW), turbo, EV and transmission named in a trim text."""
    out: dict[str, Any] = {}
    m = _DISPL.search(text)
    if m:
        out["displacement"] = float(m.group(1)) * 1000.0
    m = _HP.search(text)
    if m:
        out["hp"] = float(m.group(1))
    m = _KW.search(text)
    if m:
        out["kw"] = float(m.group(1))
    out["turbo"] = bool(re.search(r"turbo|tsi|tfsi|ecoboost|\d\.\dt\b", text, re.I))
    out["ev"] = "displacement" not in out and bool(
        re.search(r"\bev\b|electric|kw\b|single gear|1 ?speed", text, re.I))
    tr = _trans_text(text)
    if tr:
        out["transmission"] = tr
    if re.search(r"\bawd\b|4wd|4x4|quattro|4motion|xdrive|all-wheel|4matic", text, re.I):
        out["drive"] = "awd"
    return out


# --- EPA ---------------------------------------------------------------------------------

def _epa_describe(car: tc.TestCar) -> str:
    """One line of an ambiguous-selection list (the first EPA test number tells apart
    configurations of one vehicle id that differ only in their tests and road load)."""
    return (f"{car.year} {vehicle_name(car.make, car.model)} | {car.cls} {car.trans} "
            f"{car.drive} | ETW {car.etw / tc.LB_TO_KG:.0f} lb | {car.hp:g} hp"
            + (f" {car.vd:g} L" if car.vd else "") + f" | vehicle {car.vehicle_id}"
            + (f", test {car.test_numbers[0]}" if car.test_numbers else ""))


def epa_matches(year: int | None = None, make: str | None = None, model: str | None = None,
                trans: str | None = None, drive: str | None = None) -> list[tc.TestCar]:
    """EPA test-car configurations matching the filters (case-insensitive; a model
    matches exactly, else as a substring; ``trans`` a keidesign type such as ``mt6`` or
    a class: cvt, manual, automatic, dct, hybrid, ev)."""
    cars = list(tc.test_cars())
    if year is not None:
        cars = [c for c in cars if c.year == year]
    if make:
        mk = make.strip().upper()
        cars = [c for c in cars if c.make == mk or c.make.startswith(mk)]
    if model:
        q = model.strip().upper()
        exact = [c for c in cars if c.model.upper() == q]
        cars = exact or [c for c in cars if q in c.model.upper()] or [
            c for c in cars if _norm(q) in _norm(c.model)]
    if trans:
        t = trans.strip().lower()
        cars = [c for c in cars if t in (c.trans, c.cls)]
    if drive:
        cars = [c for c in cars if c.drive == drive.strip().lower()]
    return cars


def _carried_over(year: int, make: str | None, model: str) -> list[int]:
    """The model years of the configurations whose tests the EPA file lists again under
    ``year`` for ``make`` / ``model`` (matched as :func:`epa_matches` matches): the
    2019 Honda Fit's rows repeat the 2018 tests, so ``--year 2019 --model FIT`` found no
    configuration and named the 2019 Civics as near names (new-user pass s36d)."""
    mk, q = (make or "").strip().upper(), model.strip().upper()
    rows = [r for r in tc.measured_rows() if r["Model Year"].strip() == str(year)
            and r["Represented Test Veh Make"].upper().startswith(mk)]
    names = [r["Represented Test Veh Model"].upper() for r in rows]
    hit = ([r for r, n in zip(rows, names, strict=True) if n == q]
           or [r for r, n in zip(rows, names, strict=True) if q in n])
    tests = {r["Test Number"] for r in hit}
    # every configuration of the make that holds one of those tests: a model name that
    # matches some configuration exactly hid the others from epa_matches (the 2016 Honda
    # "Fit" rows, FIT EX / FIT LX, repeat 2015 tests, but "FIT" is exactly the 2018
    # configurations' name: task s39b's sweep, the label row asked for by its year)
    return sorted({c.year for c in epa_matches(None, make, None)
                   if tests & set(c.test_numbers)})


def _epa_not_carried(year: int | None, make: str | None, model: str | None) -> str:
    """What the shipped EPA files hold of a year / make / model that no test-car
    configuration matches (the clause of :func:`_no_match`, empty if nothing): Test Car
    List rows the configurations leave out (a plug-in hybrid, not modelled; results
    computed, not measured; no usable FTP and HWFET with a target coast-down), else
    fueleconomy.gov label rows, which carry no dynamometer settings (the label file has
    every small car; the Test Car List only passenger cars of gasoline equivalent test
    weight <= 3,250 lb and electric <= 4,250 lb, keidesign/data/epa/README.md). Task
    s39b: of the 5,003 label rows asked for by their own year, make, model and class
    (benchmarks/import_sweep.py), 2,990 were told only "no ... matches; near names"."""
    mk = (make or "").strip().upper()
    q = (model or "").strip().upper()

    def hit(y: str, m: str, name: str) -> bool:
        return ((year is None or y.strip() == str(year)) and m.strip().upper().startswith(mk)
                and (not q or q in name.upper() or _norm(q) in _norm(name)))

    rows = [r for r in tc._csv(tc.TESTCAR_FILE) if hit(
        r["Model Year"], r["Represented Test Veh Make"], r["Represented Test Veh Model"])]
    if rows:
        def phev(r: dict[str, str]) -> bool:
            displ = _float(r["Test Veh Displacement (L)"]) or 0.0
            return bool(tc._PHEV.search(r["Represented Test Veh Model"])) or (
                r["Test Fuel Type Description"] == "Electricity" and 0.3 < displ < 9.0)

        names = ", ".join(sorted({r["Represented Test Veh Model"].strip().upper()
                                  for r in rows})[:4])
        if all(phev(r) for r in rows):
            return (f" (the EPA Test Car List's {names}: a plug-in hybrid, not modelled: "
                    "write a spec file as a full hybrid, engine.hybrid = true, or as a BEV)")
        if all(tc.analytically_derived(r) for r in rows):
            return (f" (the EPA Test Car List's {names} rows are analytically derived, "
                    "computed, not measured: no configuration to import)")
        return (f" (the EPA Test Car List's {names} rows give no configuration the "
                "import carries: a measured FTP and HWFET on one test weight and target "
                "coast-down, keidesign.energy.testcars items 0-2)")
    labels = [lab for lab in tc.label_rows() if hit(str(lab.year), lab.make, lab.model)]
    if labels:
        names = ", ".join(sorted({lab.model.upper() for lab in labels})[:4])
        return (f" (the EPA label file lists {names}, but the shipped Test Car List "
                "(passenger cars, gasoline equivalent test weight <= 3,250 lb, electric "
                "<= 4,250 lb) has no test of it: no test weight, coast-down or gearing to "
                "import)")
    return ""


def _epa_select(year: int | None, make: str | None, model: str | None, trans: str | None,
                drive: str | None, index: int | None) -> tc.TestCar:
    if not (make or model):
        raise InputError("keidesign import epa: give --make and/or --model (e.g. --year "
                         "2017 --make HONDA --model FIT)")
    cars = epa_matches(year, make, model, trans, drive)
    if not cars:
        pool = epa_matches(year, make, None, None, None) if make else (
            epa_matches(year) or list(tc.test_cars()))
        if model and make and not pool:  # no car of the make (that year)
            years = sorted({c.year for c in epa_matches(None, make, None, None, None)})
            if not years:
                raise _no_match("EPA make", make, (c.make for c in tc.test_cars()),
                                _epa_not_carried(year, make, model))
            raise InputError(f"--year {year}: no EPA test car of {year} by {make.upper()} "
                             f"in the shipped data; allowed: {_year_spans(years)}")
        if (trans or drive) and (other := epa_matches(year, make, model)):
            # the model is there, with other transmissions or drives (before s39b: "no
            # EPA test car ... matches" with the model itself among the near names)
            opts = sorted({f"--trans {c.trans} --drive {c.drive}" for c in other})
            given = " ".join(f"--{k} {v}" for k, v in (("trans", trans), ("drive", drive))
                             if v)
            raise InputError(f"{given}: no configuration of {other[0].make} "
                             f"{other[0].model}{f' in {year}' if year else ''} has it; "
                             f"allowed: {', '.join(opts)}")
        if model and year is not None and (years := _carried_over(year, make, model)):
            name = " ".join(x for x in ((make or "").strip().upper(), model.strip().upper())
                            if x)
            raise InputError(
                f"--year {year}: the EPA file's {year} {name} rows carry over the tests of "
                f"model year {_year_spans(years)} (a carried-over test is one measurement, "
                f"kept once, in that year's configuration); allowed: --year {years[0]}")
        if model:
            raise _no_match("EPA test car" + (f" of {year}" if year else "")
                            + (f" by {make.upper()}" if make else ""), model,
                            (c.model for c in pool), _epa_not_carried(year, make, model))
        raise _no_match("EPA make" + (f" in {year}" if year else ""), make or "",
                        (c.make for c in (epa_matches(year) or tc.test_cars())))
    filt = " ".join(x for x in (str(year or ""), make or "", model or "") if x)
    return _pick(cars, index, _epa_describe, f"EPA test-car configurations ({filt})",
                 "; narrow with --year, --trans, --drive")


@cache
def _label_extra() -> dict[str, dict[str, str]]:
    """Label CSV rows by id (for the columns :class:`LabelRow` does not carry)."""
    return {r["id"]: r for r in tc._csv("epa_label_small_2011_2023.csv")}


tc.on_rows_changed(_label_extra.cache_clear)


@cache
def us_specs_generations() -> dict[tuple[str, str, str], VehicleRow]:
    """The first us_specs.csv row of each (make, model, generation)."""
    out: dict[tuple[str, str, str], VehicleRow] = {}
    for vr in vehicle_rows("us_specs"):
        r = vr.row
        out.setdefault((r["make"], r["model"], r["generation"]), vr)
    return out


ev_batteries = tc.ev_batteries
usable_share = tc.usable_share
pack_energy = tc.pack_energy


def _years(text: str) -> tuple[int, int]:
    parts = [int(x) for x in re.findall(r"\d{4}", text)]
    return (parts[0], parts[-1]) if parts else (0, 9999)


def ev_pack_for(car: tc.TestCar, sr: SpecRow | None,
                label: tc.LabelRow | None) -> tuple[dict[str, str] | None, str]:
    """The ``ev_batteries.csv`` pack of an EPA EV test car and a note on the match:
    :func:`keidesign.energy.testcars.ev_pack_for` with the generation of its
    ``us_specs.csv`` row ``sr`` (None: only the rows with a blank generation can match)."""
    gens = [] if sr is None else [(sr.row["make"], sr.row["model"], sr.row["generation"])]
    return tc.ev_pack_for(car, gens, label)


def epa_spec(year: int | None = None, make: str | None = None, model: str | None = None,
             trans: str | None = None, drive: str | None = None,
             index: int | None = None, car: tc.TestCar | None = None) -> Spec:
    """The spec of one EPA test-car configuration (+ label row, + us_specs row): the
    one the filters select, or ``car`` itself."""
    car = car or _epa_select(year, make, model, trans, drive, index)
    label = tc.label_for(car)
    sr = us_specs_for(car)
    tests = ", ".join(car.test_numbers[:4]) + (" ..." if len(car.test_numbers) > 4 else "")
    epa_src = f"EPA test car {car.year} {car.make} {car.model} (vehicle {car.vehicle_id})"
    lab_src = f"fueleconomy.gov label id {label.id}" if label else ""
    name = f"{car.year} {vehicle_name(car.make, car.model)} ({car.trans}, {car.drive})"
    header = [
        f"Imported from {epa_src}, transmission '{car.trans_text}'"
        + (f" ({car.n_gears} gears)" if car.n_gears else "") + f", tests {tests}.",
        f"Data: {EXTERNAL_DATA if tc._EXTERNAL else EPA_DATA}.",
    ]
    if label:
        header.append(f"Label row: {label.year} {label.make} {label.model}, {label.vclass},"
                      f" {label.trany}, label {label.city:g}/{label.hwy:g}/{label.comb:g} "
                      f"{'MPGe' if car.cls == 'ev' else 'mpg'} (id {label.id}).")
    if sr:
        header.append(f"Body, curb mass, Cd and tyre: us_specs.csv line {sr.line} "
                      f"({sr.label}), the row whose epa_model and model_years match this car;")
        header.append(f"  data: {DATA_DATES['us_specs.csv']}.")
    else:
        header.append("No us_specs.csv row matches this car: body dimensions are assumed "
                      "(class-typical, see the comments).")
    src = f"{epa_src}; tests {tests}" + (f"; {lab_src}" if label else "") + (
        f"; us_specs.csv line {sr.line}" if sr else "")
    spec = Spec(name=name, kind="epa", source=src, header=header, market="us",
                description=f"Imported by keidesign import epa from {epa_src}")
    spec.set("model_year", car.year, f"{epa_src}: model year")
    electric = car.cls == "ev"
    spec.set("type", "bev" if electric else "ice", f"{epa_src}: test fuel")
    if car.cls == "hybrid":  # the gearbox it was tested with (a P2's DCT, a CR-Z's 6MT)
        spec.set("transmission", tc.tested_gearbox(car),
                 f"{epa_src}: '{car.trans_text}', {car.n_gears} gears (hybrid: the tested "
                 "gearbox, keidesign.energy.testcars.tested_gearbox; e-CVTs as cvt)")
    else:
        spec.set("transmission", car.trans,
                 f"{epa_src}: '{car.trans_text}', {car.n_gears} gears")
    spec.set("drive", car.drive, f"{epa_src}: drive system")
    spec.set("etw", car.etw, f"{epa_src}: equivalent test weight",
             text=f"{car.etw / tc.LB_TO_KG:.0f} lb")
    spec.set("coastdown", (car.a_lbf, car.b_lbf_mph, car.c_lbf_mph2),
             f"{epa_src}: target coefficients A, B, C")
    hp_assumed = electric and car.hp == tc.EV_MEDIAN_HP
    kw = car.hp * 0.7457
    if electric and car.motor_kw:  # the published motor, as the calibration takes it
        spec.set("motor_power", car.motor_kw, "ev_motors.csv: published peak power of "
                 f"{car.family} {car.year} (EPA rated {car.hp:g} hp)")
    elif electric:
        spec.set("motor_power", kw, (
            f"EPA rated {car.hp:g} hp; also keidesign.energy.testcars' substitute "
            "(EV_MEDIAN_HP) for implausible EV rows" if hp_assumed
            else f"{epa_src}: rated {car.hp:g} hp"), assumed=hp_assumed,
            text=f"{car.hp:g} hp")
    if electric and car.motor_nm:
        spec.set("motor_torque", car.motor_nm, "ev_motors.csv: published peak torque of "
                 f"{car.family} {car.year}")
    if electric and car.motor_type in ("PMSM", "induction", "PMSM+induction"):
        spec.set("motor_type", "induction" if car.motor_type == "induction" else "pmsm",
                 f"ev_motors.csv: motor type {car.motor_type} of {car.family} {car.year}"
                 + (" (the front induction motor idles: the PMSM rear drives the cycles)"
                    if car.motor_type == "PMSM+induction" else ""))
    charger = tc.ev_charger(car) if electric and car.charger_kw else None
    if charger is not None:
        spec.set("charger_power", car.charger_kw, "ev_chargers.csv: published on-board "
                 f"charger of {car.family} {car.year} (status {charger.status})")
    if electric and car.pack_chemistry != "li-ion":
        spec.set("pack_chemistry", car.pack_chemistry, "ev_pack_chemistry.csv: published "
                 f"battery chemistry of {car.family} {car.year}")
    if not electric:
        spec.set("power", kw, f"{epa_src}: rated {car.hp:g} hp", text=f"{car.hp:g} hp")
        spec.set("displacement", car.vd * 1000.0, f"{epa_src}: displacement {car.vd:g} L",
                 text=f"{car.vd:g} L")
        if car.cls == "hybrid":
            spec.set("hybrid", "hev", f"{epa_src}: hybrid model (keidesign.energy.testcars)")
    if label:
        extra = _label_extra().get(label.id, {})
        cyl = _float(extra.get("cylinders"))
        if not electric and cyl:
            spec.set("cylinders", int(cyl), f"{lab_src}: cylinders")
        if not electric:
            spec.set("turbo", bool(label.turbo or label.supercharged),
                     f"{lab_src}: tCharger/sCharger")
            spec.set("idle_stop", bool(label.start_stop), f"{lab_src}: startStop")
            m = re.search(r"(\d+(?:\.\d+)?)\s*kW", label.ev_motor or "")
            if car.cls == "hybrid" and m:
                spec.set("hev_motor_power", float(m.group(1)),
                         f"{lab_src}: evMotor '{label.ev_motor}'")
        if label.vclass == "Two Seaters":
            spec.set("seats", 2, f"{lab_src}: VClass 'Two Seaters'")
    pack, pack_note = ev_pack_for(car, sr, label) if electric else (None, "")
    if pack is not None:  # the published pack (usable, or gross x the usable share)
        kwh, basis = pack_energy(pack)
        spec.set("battery_energy", round(kwh, 1), basis.replace(" [assumed]", "")
                 + (f" ({pack_note})" if pack_note else ""),
                 assumed=not pack["usable_kwh"])
    elif electric and label and label.range_mi > 0 and label.comb > 0:
        kwh = label.range_mi * 33.705 / label.comb * 0.9
        spec.set("battery_energy", round(kwh, 1),
                 f"no ev_batteries.csv pack: label range {label.range_mi:g} mi x combined "
                 f"{33.705 / label.comb:.3f} kWh/mi (33.705 kWh/gal / {label.comb:g} MPGe, "
                 f"{lab_src}) x 0.9 (wall to battery, the registry's charger efficiency)",
                 assumed=True)
    if pack is None and pack_note:
        header.append(f"Battery pack not chosen: {pack_note}.")
    er = None if electric else tc.engine_ratio(car, car.turbo)
    if er is not None:
        spec.set("compression_ratio", er.ratio,
                 f"us_specs.csv line {er.line}: compression_ratio {er.key}={er.ratio:g} "
                 f"(status {er.status}: {er.source})")
    if car.cls == "hybrid":
        _hybrid_system_facts(spec, car, header)
    # N/V and axle ratio: the top-gear overall ratio (derived once the tyre is known)
    if car.nv > 0:
        spec.set("nv", car.nv, f"{epa_src}: N/V {car.nv:g} rpm/mph"
                 + (", axle ratio " + f"{car.axle:g}" if car.axle else ""),
                 assumed=electric and car.nv == tc.EV_MEDIAN_NV)
    if car.axle > 0 and not electric:
        spec.set("axle", car.axle, f"{epa_src}: axle ratio {car.axle:g}")
    if sr:
        _us_specs_facts(spec, sr, body_only=True)
    return spec


def _hybrid_system_facts(spec: Spec, car: tc.TestCar, header: list[str]) -> None:
    """The published hybrid system of an EPA hybrid row (``hybrid_systems.csv``, joined
    as the (a) validation joins it: :func:`keidesign.energy.testcars.hybrid_system`):
    traction-motor power, the HEV model's layout of the architecture
    (:data:`keidesign.energy.testcars.ARCHITECTURE_LAYOUT`), a P2 motor on the gearbox
    input (:data:`keidesign.energy.testcars.MOTOR_ON_GEARBOX`), the motor's own
    reduction and maximum speed, the traction pack (nominal voltage, cells x per-cell
    resistance, as :func:`keidesign.energy.calibration.hev_pack_params`: only with all
    three published) and the engine's published compression ratio (over a us_specs.csv
    ratio). Each fact names the row and its status (V, R, A) from the file; nothing is
    set where the row is blank, so the import's assumptions (marked) stand there."""
    h = tc.hybrid_system(car)
    if h is None:
        header.append("No hybrid_systems.csv row matches this hybrid: motor power and "
                      "layout are assumed (see the comments).")
        return
    row = (f"hybrid_systems.csv line {h.line} ({h.make} {h.model} "
           f"{h.years[0]}-{h.years[1]}, {h.architecture})")
    header.append(f"Hybrid system: {row}; data: {DATA_DATES['hybrid_systems.csv']}.")
    spec.set("hev_motor_power", h.motor_kw, f"{row}: traction_motor_kw (published)")
    spec.set("hev_layout", h.layout, f"{row}: architecture {h.architecture} -> HEV "
             f"layout {h.layout} (keidesign.energy.testcars.ARCHITECTURE_LAYOUT)")
    if h.architecture in tc.MOTOR_ON_GEARBOX:
        spec.set("hev_motor_on_gearbox", True, f"{row}: architecture {h.architecture} (motor "
                 "between the engine clutch and the gearbox)")
    raw = _hybrid_rows().get(h.line, {})
    if h.motor_reduction is not None:
        st = raw.get("motor_reduction_status", "")
        spec.set("hev_motor_reduction", h.motor_reduction,
                 f"{row}: motor_reduction (status {st}, tyre {h.motor_tyre})")
        if h.motor_max_rpm:
            spec.set("hev_motor_max_speed", h.motor_max_rpm,
                     f"{row}: motor_max_rpm (status {st})")
    if h.battery_v and h.battery_cells and h.battery_cell_mohm:
        st = raw.get("battery_pack_status", "")
        spec.set("hev_battery_voltage", h.battery_v, f"{row}: battery_voltage_v")
        spec.set("hev_battery_resistance", round(h.battery_cells * h.battery_cell_mohm
                                                 * 1e-3, 4),
                 f"{row}: battery_cells {h.battery_cells} x battery_cell_resistance_mohm "
                 f"{h.battery_cell_mohm:g} (status {st})", assumed=st == "A")
    if h.battery_kwh:
        header.append(f"  The pack's published {h.battery_kwh:g} kWh ({row}) is its gross "
                      "energy; the usable window hev_battery_energy is not published.")
    if h.compression_ratio:
        spec.set("compression_ratio", h.compression_ratio,
                 f"{row}: compression_ratio (status "
                 f"{raw.get('compression_ratio_status', '')}, source on the row)")


@cache
def _hybrid_rows() -> dict[int, dict[str, str]]:
    """``hybrid_systems.csv`` rows by line (header = line 1)."""
    ref = resources.files("keidesign").joinpath("data", "vehicles", "hybrid_systems.csv")
    with ref.open("r", encoding="utf-8") as fh:
        return {i: r for i, r in enumerate(csv.DictReader(fh), start=2)}


# --- vehicle files ---------------------------------------------------------------------

@dataclass(frozen=True)
class VehicleRow:
    file: str
    line: int
    row: dict[str, str]

    @property
    def label(self) -> str:
        r = self.row
        if self.file == "kei":
            return f"{r['model']}, {r['code']}, {r['variant']} ({r['years']})"
        if self.file == "us_small":
            return f"{r['model']} ({r['years']}), {r['powertrain']}"
        if self.file == "us_specs":
            return SpecRow(self.line, r).label
        return f"{r['model']}"

    def names(self) -> list[str]:
        r = self.row
        if self.file == "us_specs":
            return [f"{r['make']} {r['model']}", r["model"]] + [
                m for _, m in SpecRow(self.line, r).epa_models()]
        return [r["model"]]

    def variant_text(self) -> str:
        r = self.row
        keys = {"kei": ("code", "variant", "powertrain"), "us_small": ("powertrain",),
                "us_specs": ("generation", "trim", "transmission", "model")}[self.file]
        return " ".join(r.get(k, "") for k in keys)

    def year_range(self) -> tuple[int, int]:
        text = self.row.get("model_years") or self.row.get("years") or ""
        y = _years(text) or (2011, 2031)
        return y[0], y[1] if y[1] is not None else 2031


@cache
def _vehicle_rows(file: str) -> tuple[VehicleRow, ...]:
    if file == "kei_ev":
        return ()  # long format: merged into the kei.csv rows (docs/import.md)
    rows = _csv_rows(f"{file}.csv") or []
    return tuple(VehicleRow(file, i + 2, r) for i, r in enumerate(rows))


def vehicle_matches(query: str | None, file: str | None = None, make: str | None = None,
                    model: str | None = None, variant: str | None = None,
                    year: int | None = None) -> list[VehicleRow]:
    """Rows of the vehicle files whose name contains ``query`` (and ``model``, ``make``;
    case-insensitive, an exact name first), ``variant`` in the code/variant/generation/
    trim text and ``year`` in the row's model years."""
    files = [file] if file else ["kei", "us_small", "us_specs"]
    rows = [r for f in files for r in _vehicle_rows(f)]
    for q in (query, model):
        if not q:
            continue
        qn = _norm(q)
        exact = [r for r in rows if any(_norm(n) == qn for n in r.names())]
        rows = exact or [r for r in rows if any(qn in _norm(n) for n in r.names())]
    if make:
        mk = _norm(make)
        rows = [r for r in rows if _norm(r.row.get("make") or r.row["model"]).startswith(mk)]
    if variant:
        words = [_norm(w) for w in variant.split()]
        rows = [r for r in rows if all(w in _norm(r.variant_text()) for w in words)]
    if year is not None:
        rows = [r for r in rows if r.year_range()[0] <= year <= r.year_range()[1]]
    return rows


def vehicle_spec(query: str | None, file: str | None = None, make: str | None = None,
                 model: str | None = None, variant: str | None = None,
                 year: int | None = None, index: int | None = None) -> Spec:
    """The spec of one row of ``keidesign/data/vehicles`` (selection: :func:`vehicle_matches`)."""
    if file is not None and file not in VEHICLE_FILES:
        raise InputError(f"--file {show(file)}: allowed: one of {', '.join(VEHICLE_FILES)}")
    if file == "kei_ev":
        raise InputError("--file kei_ev: kei_ev.csv has one figure a row and no body "
                         "dimensions; import the model's kei.csv row (--file kei): its "
                         "kei_ev.csv figures (tyre, curb mass) are merged when shipped")
    if not (query or model):
        raise InputError("keidesign import vehicle: give a name (e.g. \"Suzuki Alto\") or "
                         "--model")
    rows = vehicle_matches(query, file, make, model, variant, year)
    if not rows and year is not None and (
            others := vehicle_matches(query, file, make, model, variant, None)):
        # the name matches, the year does not: say so ('no vehicle row matches 'Alto';
        # near names: SUZUKI ALTO' for --year 2099 before audit s39c)
        spans = sorted({r.year_range() for r in others})
        raise InputError(f"--year {year}: no vehicle row matching "
                         f"{show(' '.join(x for x in (query, model, variant) if x))} "
                         "covers that model year; allowed: " + ", ".join(
                             f"{a}" if a == b else f"{a}-{b}" for a, b in spans[:8])
                         + (", ..." if len(spans) > 8 else ""))
    if not rows:
        pool = [r for f in ([file] if file else ["kei", "us_small", "us_specs"])
                for r in _vehicle_rows(f)]
        raise _no_match("vehicle row" + (f" of {file}.csv" if file else ""),
                        " ".join(x for x in (query, model, variant) if x),
                        (n for r in pool for n in r.names()))
    vr = _pick(rows, index, lambda r: f"{r.file}.csv line {r.line}: {r.label}",
               "vehicle rows", "; narrow with --file, --variant, --year")
    return row_spec(vr, year)


def vehicle_rows(file: str) -> tuple[VehicleRow, ...]:
    """Every row of one vehicle file (``kei``, ``us_small``, ``us_specs``)."""
    return _vehicle_rows(file)


def row_spec(vr: VehicleRow, year: int | None = None) -> Spec:
    """The spec of one vehicle row (as :func:`vehicle_spec` builds it once selected)."""
    if vr.file == "kei":
        return _kei_spec(vr)
    if vr.file == "us_small":
        return _us_small_spec(vr)
    return _us_specs_spec(vr, year)


def _row_header(vr: VehicleRow, file: str) -> list[str]:
    """Header lines of a design imported from a row of kei.csv or us_small.csv."""
    r = vr.row
    return [f"Imported from keidesign/data/vehicles/{file} line {vr.line}: {vr.label}.",
            f"Data: {DATA_DATES[file]}.",
            f"Verified on the row: {r.get('verified_fields', '')[:200]}",
            f"Recalled (to check): {r.get('recall_fields', '') or '-'}"]


def _overhang_fact(spec: Spec, row: dict[str, str], src: str) -> None:
    """The published front overhang of a vehicle-file row (``front_overhang_mm``, with
    ``overhang_source`` and ``overhang_status``), if any: a status ``A`` (assumed) row, or
    none, leaves the import's class share (:mod:`keidesign.specs.build`). One clear error
    if the value cannot be a front overhang of the row's own length and wheelbase."""
    v = _float(row.get("front_overhang_mm"))
    status = row.get("overhang_status", "").strip().upper()
    if v is None or status == "A":
        return
    length, wheelbase = _float(row.get("length_mm")), _float(row.get("wheelbase_mm"))
    if length and wheelbase and not 0.0 < v < length - wheelbase:
        raise InputError(f"{src}: front_overhang_mm = {v:g} mm; allowed: more than 0 and "
                         f"less than length_mm - wheelbase_mm = {length - wheelbase:g} mm")
    spec.set("front_overhang", v, f"{src}: front_overhang_mm (status {status or '?'}; "
             f"{' '.join((row.get('overhang_source') or '').split())})")


#: Allowed gross vehicle weight rating of a vehicle row (``gvwr_kg``), kg: the registry's
#: curb range (:data:`USER_CURB_RANGE_KG`, a spec file's ``mass.curb``) plus the 68 kg of one
#: seating position
GVWR_RANGE_KG = (268.0, 10068.0)
#: statuses of a filled ``gvwr_kg`` (us_specs README): V read in the source, R second-hand,
#: A assumed (read, not used: the import keeps the registry's payload, as ``overhang_status``
#: A keeps the class share)
GVWR_STATUSES = ("V", "R", "A")
#: seats a ``us_specs.csv`` row has when neither its ``seats`` column nor the label
#: class says (the import's non-kei default, :func:`keidesign.specs.build.build_design`)
US_DEFAULT_SEATS = 5


def _gvwr_fact(spec: Spec, row: dict[str, str], src: str) -> None:
    """The published gross vehicle weight rating of a ``us_specs.csv`` row (``gvwr_kg``,
    with ``gvwr_source`` and ``gvwr_status``; NHTSA's ratings file gives it as
    MIN/MAX_GROSS_WEIGHT, lb), if any: a status ``A`` row, or none, leaves the import's
    payload at the registry default (:mod:`keidesign.specs.build`, ``_gvwr_payload``).
    One clear error if the value is outside :data:`GVWR_RANGE_KG` or, where the row
    publishes a curb, outside [curb + 68 kg x seats, curb + the registry's largest
    ``mass.payload``]: 49 CFR 567.4(g)(3), GVWR >= unloaded weight + rated cargo + 68 kg
    per designated seating position (seats: the spec's, else :data:`US_DEFAULT_SEATS`).
    An impossible published value is refused, never clamped, like the other columns; so
    is a cell that is not a plain number (``1,314``, ``2897 lb``) and a filled one whose
    status is not one of :data:`GVWR_STATUSES`. The fact's note keeps ``gvwr_source``
    whole (its commit hash and row are the check; cut at 160 characters before 5 Dec
    2026, mid-hash), on one line."""
    cell = (row.get("gvwr_kg") or "").strip()
    if not cell:
        return
    v = _float(cell)
    if v is None:
        raise InputError(f"{src}: gvwr_kg = {show(row.get('gvwr_kg'))}; allowed: a plain "
                         f"number of kg (no unit, no thousands separator) or blank")
    status = (row.get("gvwr_status") or "").strip().upper()
    if status not in GVWR_STATUSES:
        raise InputError(f"{src}: gvwr_status = {show(row.get('gvwr_status') or '')}; "
                         f"allowed: {', '.join(GVWR_STATUSES)} (a filled gvwr_kg needs one)")
    if status == "A":
        return
    curb = _float(row.get("curb_kg"))
    if curb:
        seats = int(spec.get("seats") or US_DEFAULT_SEATS)
        low = max(GVWR_RANGE_KG[0], curb + SEAT_MASS_KG * seats)
        high = min(GVWR_RANGE_KG[1], curb + reg.get("mass:payload").upper)
        if not low <= v <= high:
            raise InputError(
                f"{src}: gvwr_kg = {v:g} kg; allowed: {low:g} to {high:g} kg (the row's "
                f"curb_kg {curb:g} + {SEAT_MASS_KG:g} kg x {seats} seats, 49 CFR "
                f"567.4(g)(3), up to curb_kg + the largest mass.payload, "
                f"{reg.get('mass:payload').upper:g} kg)")
    elif not GVWR_RANGE_KG[0] < v <= GVWR_RANGE_KG[1]:
        raise InputError(f"{src}: gvwr_kg = {v:g} kg; allowed: more than "
                         f"{GVWR_RANGE_KG[0]:g} kg and at most {GVWR_RANGE_KG[1]:g} kg")
    spec.set("gvwr", v, f"{src}: gvwr_kg (status {status}; "
             f"{' '.join((row.get('gvwr_source') or '').split())})")


#: Values of a vehicle row's ``roof`` column (blank: the closed body of the row's record).
ROOF_VALUES = ("fixed", "open")


def _roof_fact(spec: Spec, row: dict[str, str], src: str) -> None:
    """The published body type of a ``us_specs.csv`` row (``roof``: ``open`` for a
    roadster, convertible or targa generation, with ``roof_source`` and ``roof_status``),
    read as a spec file's ``vehicle.roof``: an open row sets the fact ``roof = "open"``
    (``body.roof`` of the import: ``mass:open_body`` and, for a two-seater without a
    published Cd, the open two-seater Cd of :func:`keidesign.specs.build.open_body_cd`);
    ``fixed`` or blank sets nothing, so a closed car's import is unchanged (the registry's
    ``fixed``). One clear error for any other value."""
    roof = row.get("roof", "").strip().lower()
    if not roof or roof == "fixed":
        return
    if roof not in ROOF_VALUES:
        raise InputError(f"{src}: roof = {show(row.get('roof'))}; allowed: "
                         f"{', '.join(ROOF_VALUES)} or blank (fixed)")
    status = row.get("roof_status", "").strip().upper() or "?"
    spec.set("roof", roof, f"{src}: roof (published body type, status {status}; "
             f"{' '.join((row.get('roof_source') or '').split())})")


LAYOUT_VALUES = reg.get("powertrain:layout").choices


def _seats_layout_facts(spec: Spec, row: dict[str, str], src: str) -> None:
    """The published seat count and engine position of a ``us_specs.csv`` row (``seats``:
    an integer 1-9, ``layout``: front / rear / mid / underfloor, with
    ``seats_layout_source`` and ``seats_layout_status``), read as a spec file's
    ``vehicle.seats`` and ``vehicle.layout``: a two-seater the EPA label files do not
    class as 'Two Seaters' (the smart fortwo, not in them) gets no rear seat row, and a
    rear-engined car its rear layout (no engine block in the front crush stack-up;
    ``powertrain.drive`` rwd when nothing names the drive, keidesign.specs.build). Blank
    sets nothing (the import's defaults: 5 seats, or 2 from the label class; front
    layout, or rear for a rear-drive EV). One clear error for any other value."""
    status = row.get("seats_layout_status", "").strip().upper() or "?"
    basis = (f"{src}: %s (published, status {status}; "
             f"{row.get('seats_layout_source', '')[:200]})")
    seats = row.get("seats", "").strip()
    if seats:
        if not re.fullmatch(r"[1-9]", seats):
            raise InputError(f"{src}: seats = {show(row.get('seats'))}; allowed: an "
                             "integer 1-9 or blank")
        spec.set("seats", int(seats), basis % "seats")
    layout = row.get("layout", "").strip().lower()
    if layout:
        if layout not in LAYOUT_VALUES:
            raise InputError(f"{src}: layout = {show(row.get('layout'))}; allowed: "
                             f"{', '.join(LAYOUT_VALUES)} or blank")
        spec.set("layout", layout, basis % "layout (engine position)")


def _kei_spec(vr: VehicleRow) -> Spec:
    r = vr.row
    label = " ".join(x for x in (r["model"], r["code"], r["variant"]) if x)
    src = f"kei.csv line {vr.line} ({label})"
    name = f"{r['model']} {r['code']} {r['variant']}".strip()
    bev = r["powertrain"].upper().startswith("BEV")
    spec = Spec(name=name, kind="kei", market="jdm",
                source=f"kei.csv: {r['model']} {r['code']} {r['variant']}; sources: "
                       f"{r['source'][:300]}",
                header=_row_header(vr, "kei.csv"),
                description=f"Imported by keidesign import vehicle from {src}")
    for key, col in (("length", "length_mm"), ("width", "width_mm"), ("height", "height_mm"),
                     ("wheelbase", "wheelbase_mm"), ("track_front", "track_front_mm"),
                     ("track_rear", "track_rear_mm"), ("curb", "curb_mass_kg"),
                     ("cd", "cd"), ("top_speed", "top_speed_kmh")):
        v = _float(r.get(col))
        if v:
            spec.set(key, v, f"{src}: {col}")
    _overhang_fact(spec, r, src)
    y = _model_year(r.get("years", ""))
    if y:
        spec.set("model_year", min(max(y, 2011), 2031), f"{src}: years '{r['years']}'")
    spec.set("type", "bev" if bev else "ice", f"{src}: powertrain '{r['powertrain']}'")
    if bev:
        spec.set("battery_energy", _float(r.get("battery_kWh")), f"{src}: battery_kWh")
        spec.set("motor_power", _float(r.get("motor_kW")) or _float(r.get("power_kW")),
                 f"{src}: motor_kW")
        spec.set("motor_torque", _float(r.get("torque_Nm")), f"{src}: torque_Nm")
        if _float(r.get("charger_kW")):
            spec.set("charger_power", _float(r.get("charger_kW")),
                     f"{src}: charger_kW (status {r.get('charger_status', '')}: "
                     f"{r.get('charger_source', '')})")
    else:
        spec.set("displacement", _float(r.get("displacement_cc")), f"{src}: displacement_cc")
        spec.set("power", _float(r.get("power_kW")), f"{src}: power_kW")
        spec.set("torque", _float(r.get("torque_Nm")), f"{src}: torque_Nm")
        spec.set("turbo", r.get("turbo", "").strip().lower() == "yes", f"{src}: turbo")
        cr = _float(r.get("compression_ratio"))
        if cr:
            spec.set("compression_ratio", cr, f"{src}: compression_ratio")
        idle = r.get("idle_stop", "").strip().lower()
        if idle in ("yes", "no"):  # as the kei WLTC check reads it
            spec.set("idle_stop", idle == "yes", f"{src}: idle_stop")
        tr = r.get("transmission", "").strip().lower()
        if tr:
            spec.set("transmission", tr, f"{src}: transmission '{r['transmission']}'")
        if "hybrid" in r["powertrain"].lower():  # 'ICE mild hybrid': a belt ISG, as the
            # kei WLTC check runs it (keidesign.energy.calibration.kei_spec; build.py's
            # kei ISG default motor and pack when the row gives no hybrid_kW; the mass
            # fit keeps these rows as plain engines: keidesign.mass.calibration.MILD_AS_PLAIN)
            spec.set("hybrid", "hev", f"{src}: powertrain '{r['powertrain']}'")
            spec.set("hev_layout", "mild", f"{src}: powertrain '{r['powertrain']}'")
            kw = _float(r.get("hybrid_kW"))
            if kw:
                spec.set("hev_motor_power", kw, f"{src}: hybrid_kW")
    try:
        seats = tc.row_seats(r)
    except ValueError as exc:
        raise InputError(f"{src}: {exc}") from None
    if seats is not None:
        spec.set("seats", seats, f"{src}: seats '{r['seats']}'")
    # a row's max_payload_kg (the N-VAN e:, a goods vehicle) is not imported as
    # body.use = "goods": its rated payload (2 x 55 kg + the load) would move the mass
    # fit's recorded data (keidesign.mass.calibration, the chassis term c_ch m_payload) and
    # the FMVSS 208 test mass of its import; the kei WLTC check runs it as a goods vehicle
    # (keidesign.energy.calibration.kei_spec; docs/validation.md, "Kei vans are goods
    # vehicles")
    text = f"{r['variant']} {r['code']}"
    # a kei car's "4WD" is an on-demand coupling on its FWD base: 'awd' (a '4wd' is the
    # transfer case of a rear-drive base, coefficients.csv part_time_4wd_driveline)
    spec.set("drive", "awd" if re.search(r"4wd|awd", text, re.I) else "fwd",
             f"{src}: variant '{r['variant']}'" if re.search(r"ff|4wd|awd", text, re.I)
             else "front drive: every kei.csv row without a drive in its name is 2WD (FF)",
             assumed=not re.search(r"ff|4wd|awd", text, re.I))
    # kei_ev.csv (long format, when shipped): tyre and curb mass of the same model
    for row in _csv_rows("kei_ev.csv") or []:
        if _norm(row.get("model", "")) != _norm(r["model"]):
            continue
        metric = row.get("metric", "").lower()
        if metric.startswith("tyre") and "tyre" not in spec.facts:
            t = parse_tyre(row.get("value", ""))
            spec.set("tyre", t, f"kei_ev.csv: {r['model']} tyre size {row['value']} "
                     f"({row.get('source_url', '')})", text=row["value"])
    return spec


def _us_small_spec(vr: VehicleRow) -> Spec:
    r = vr.row
    src = f"us_small.csv line {vr.line} ({r['model']})"
    pt = r["powertrain"]
    bev = pt.upper().startswith("BEV")
    spec = Spec(name=r["model"], kind="us_small", market="us",
                source=f"us_small.csv: {r['model']} {r['years']}; sources: {r['source'][:300]}",
                header=_row_header(vr, "us_small.csv"),
                description=f"Imported by keidesign import vehicle from {src}")
    for key, col in (("length", "length_in"), ("width", "width_in"), ("height", "height_in"),
                     ("wheelbase", "wheelbase_in"), ("track_front", "track_front_in"),
                     ("track_rear", "track_rear_in")):
        v = _float(r.get(col))
        if v:
            spec.set(key, v * 25.4, f"{src}: {col}", text=f"{_num_text(v)} inch")
    v = _float(r.get("curb_mass_lb"))
    if v:
        spec.set("curb", v * tc.LB_TO_KG, f"{src}: curb_mass_lb", text=f"{_num_text(v)} lb")
    y = _model_year(r.get("years", ""))
    if y:
        spec.set("model_year", min(max(y, 2011), 2031), f"{src}: years '{r['years']}'")
    spec.set("type", "bev" if bev else "ice", f"{src}: powertrain '{pt}'")
    hp, kw, tq = (_float(r.get(c)) for c in ("power_hp", "power_kW", "torque_lbft"))
    power = kw if kw else (hp * 0.7457 if hp else None)
    ptext = f"{_num_text(hp)} hp" if hp and not kw else None
    if bev:
        spec.set("battery_energy", _float(r.get("battery_kWh")), f"{src}: battery_kWh")
        spec.set("motor_power", power, f"{src}: power", text=ptext)
        if tq:
            spec.set("motor_torque", tq * 1.3558179497760001, f"{src}: torque_lbft",
                     text=f"{_num_text(tq)} lbf*ft")
    else:
        tpt = _trim_powertrain(pt)
        spec.set("displacement", tpt.get("displacement"), f"{src}: powertrain '{pt}'")
        m = re.search(r"\b[IVH](\d{1,2})\b", pt)
        if m:
            spec.set("cylinders", int(m.group(1)), f"{src}: powertrain '{pt}'")
        spec.set("turbo", bool(tpt.get("turbo")), f"{src}: powertrain '{pt}'")
        spec.set("power", power, f"{src}: power", text=ptext)
        if tq:
            spec.set("torque", tq * 1.3558179497760001, f"{src}: torque_lbft",
                     text=f"{_num_text(tq)} lbf*ft")
    tr = "single_speed" if bev else tpt.get("transmission")
    if tr:
        spec.set("transmission", tr, f"{src}: powertrain '{pt}'")
    d = "awd" if re.search(r"awd|4wd", pt, re.I) else "fwd"
    spec.set("drive", d, f"{src}: powertrain '{pt}'" if re.search(r"fwd|awd|4wd", pt, re.I)
             else "front drive (no drive named on the row; every us_small.csv car is FWD)",
             assumed=not re.search(r"fwd|awd|4wd", pt, re.I))
    return spec


def _two_seater_labels(sr: SpecRow) -> list[str]:
    """Label ids if every fueleconomy.gov row of ``sr``'s ``epa_model`` strings within its
    model years is of VClass 'Two Seaters' (none found, or any other class: [])."""
    lo, hi = sr.years()
    models = {(make or sr.row["make"].upper(), _norm(model))
              for make, model in sr.epa_models()}
    rows = [lab for lab in tc.label_rows() if lo <= lab.year <= hi
            and any(lab.make.split()[0] == mk.split()[0] and _norm(lab.model) == m
                    for mk, m in models)]
    if rows and all(lab.vclass == "Two Seaters" for lab in rows):
        return [lab.id for lab in rows]
    return []


def _us_specs_tyre(sr: SpecRow) -> tuple[float, float, float] | None:
    """(width mm, aspect %, rim inch) of a ``us_specs.csv`` row's ``tyre``: one size, the
    driven axle's (a staggered car's other axle is in ``tyre_other_axle``, the spec's
    ``tyre_other``, read by the wheel mass only: the driven axle's rolling radius sets the
    overall gearing; ``us_specs_README.md``); None when blank. A cell with two sizes is a
    data error (the import read the first until 5 Dec 2026, the undriven front of the
    rear-driven smart and i8): ValueError naming the line."""
    text = sr.row.get("tyre", "")
    if len(tyre_sizes(text)) > 1:
        raise ValueError(f"us_specs.csv line {sr.line}: tyre {text!r}: one size is "
                         "allowed, the driven axle's (the other axle's in tyre_other_axle)")
    return parse_tyre(text)


def _us_specs_facts(spec: Spec, sr: SpecRow, body_only: bool) -> None:
    r = sr.row
    src = f"us_specs.csv line {sr.line} ({r['make']} {r['model']} {r['generation']})"
    for key, col in (("length", "length_mm"), ("width", "width_mm"), ("height", "height_mm"),
                     ("wheelbase", "wheelbase_mm"), ("cd", "cd")):
        v = _float(r.get(col))
        if v:
            spec.set(key, v, f"{src}: {col}")
    v = _float(r.get("curb_kg"))
    if v:
        spec.set("curb", v, f"{src}: curb_kg ({r['trim']}, {r['transmission']})")
    t = _us_specs_tyre(sr)
    if t:
        other = (r.get("tyre_other_axle") or "").strip()
        spec.set("tyre", t, f"{src}: tyre '{r['tyre']}'" + (
            f", the driven axle's (the other axle's {other} in tyre_other)"
            if other else ""))
        t_other = parse_tyre(other) if other else None
        if t_other:
            spec.set("tyre_other", t_other, f"{src}: tyre_other_axle '{other}' (the "
                     "undriven axle of a staggered car: two of the four wheel corners)")
    two = _two_seater_labels(sr)
    if two:
        spec.set("seats", 2, f"fueleconomy.gov VClass 'Two Seaters' of every label row of "
                 f"the row's epa_model in its model years (ids {', '.join(two[:3])})")
    v = _float(r.get("top_speed_kmh"))
    if v:
        spec.set("top_speed", v, f"{src}: top_speed_kmh")
    _overhang_fact(spec, r, src)
    _roof_fact(spec, r, src)
    _seats_layout_facts(spec, r, src)
    _gvwr_fact(spec, r, src)
    if body_only:
        return
    pt = _trim_powertrain(f"{r['trim']} {r['transmission']} {r['generation']}")
    bev = pt.get("ev", False)
    spec.set("type", "bev" if bev else "ice", f"{src}: trim '{r['trim']}'")
    if bev:
        kw, hp = pt.get("kw"), pt.get("hp")
        if kw and hp and abs(kw / (hp * 0.7457) - 1.0) > 0.2:
            # a "kW" that contradicts the hp figure is the pack's kWh ("24 kW (109 HP)"
            # of a 24 kWh, 80 kW Leaf): the hp figure is the motor
            spec.set("battery_energy", kw, f"{src}: trim '{r['trim']}' (its '{kw:g} kW' "
                     f"contradicts {hp:g} hp = {hp * 0.7457:.0f} kW: read as the pack, kWh)")
            kw = None
        if kw or hp:
            spec.set("motor_power", kw or hp * 0.7457, f"{src}: trim '{r['trim']}'",
                     text=None if kw else f"{_num_text(hp)} hp")
        spec.set("transmission", "single_speed", f"{src}: electric")
    else:
        spec.set("displacement", pt.get("displacement"), f"{src}: trim '{r['trim']}'")
        if pt.get("hp"):
            spec.set("power", pt["hp"] * 0.7457, f"{src}: trim '{r['trim']}'",
                     text=f"{_num_text(pt['hp'])} hp")
        spec.set("turbo", pt["turbo"], f"{src}: trim '{r['trim']}'")
        if re.search(r"hybrid|ima\b", r["trim"] + r["generation"], re.I):
            spec.set("hybrid", "hev", f"{src}: trim '{r['trim']}'")
        if pt.get("transmission"):
            spec.set("transmission", pt["transmission"],
                     f"{src}: transmission '{r['transmission'] or r['trim']}'")
    if pt.get("drive"):
        spec.set("drive", pt["drive"], f"{src}: trim '{r['trim']}'")


def _us_specs_spec(vr: VehicleRow, year: int | None) -> Spec:
    r = vr.row
    sr = SpecRow(vr.line, r)
    lo, hi = sr.years()
    my = year if year is not None else min(max(hi, 2011), 2031)
    src = f"us_specs.csv line {vr.line}"
    spec = Spec(name=f"{vehicle_name(r['make'], r['model'])} {r['generation']}", kind="us_specs",
                market="us",
                source=f"us_specs.csv line {vr.line}: {vr.label}; sources: {r['source'][:300]}",
                header=[f"Imported from keidesign/data/vehicles/us_specs.csv line {vr.line}: "
                        f"{vr.label}.",
                        f"Data: {DATA_DATES['us_specs.csv']}."],
                description=f"Imported by keidesign import vehicle from {src}")
    if r.get("notes"):
        spec.header.append(f"Row notes: {r['notes'][:240]}")
    spec.set("model_year", my, f"{src}: model_years '{r['model_years']}'"
             + (" (--year)" if year is not None else " (last year)"))
    # the generation's first US model year: its design era (build.era_pillar_grades)
    first = _years(r["model_years"])
    if first:
        spec.set("first_model_year", first[0], f"{src}: model_years '{r['model_years']}'")
    _us_specs_facts(spec, sr, body_only=False)
    # what the trim does not say: the EPA test car of the same model and year, if any
    car = _epa_twin(sr, my, spec)
    if car is None and spec.get("type") == "bev":
        # no test car in the data (the Spark EV): the generation's published motor by the
        # row's make, model and this model year (task s41e; docs/validation.md, "The
        # Spark EV's and the Kona's published drive")
        _published_motor(spec, tc.ev_motor_of(r["make"], r["model"], my),
                         f"{tc.family_of(r['make'], r['model'])} {my}",
                         f"joined by {src}'s make, model and model year")
    if car is not None:
        esrc = f"EPA test car {car.year} {car.make} {car.model} (vehicle {car.vehicle_id})"
        spec.header.append(f"Powertrain figures the trim lacks: {esrc} (matched through "
                           "epa_model).")
        # the twin's test weight is a mass basis for the front structure only (not a
        # measured value of this car: never written as mass.test_weight)
        spec.set("twin_etw", car.etw, f"{esrc}: equivalent test weight")
        bev = car.cls == "ev"
        spec.set("type", "bev" if bev else "ice", f"{esrc}: test fuel")
        if bev:
            if "motor_power" not in spec.facts:
                spec.set("motor_power", car.hp * 0.7457, f"{esrc}: rated {car.hp:g} hp",
                         text=f"{car.hp:g} hp")
            _twin_motor(spec, car, esrc)
            spec.facts.pop("displacement", None)
        else:
            if not spec.get("displacement"):
                spec.set("displacement", car.vd * 1000.0, f"{esrc}: {car.vd:g} L",
                         text=f"{car.vd:g} L")
            if "power" not in spec.facts:
                spec.set("power", car.hp * 0.7457, f"{esrc}: rated {car.hp:g} hp",
                         text=f"{car.hp:g} hp")
            label = tc.label_for(car)
            if label:
                cyl = _float(_label_extra().get(label.id, {}).get("cylinders"))
                if cyl:
                    spec.set("cylinders", int(cyl), f"fueleconomy.gov label id {label.id}")
                if label.vclass == "Two Seaters":
                    spec.set("seats", 2, f"fueleconomy.gov label id {label.id}: VClass "
                             "'Two Seaters'")
        if "transmission" not in spec.facts:
            spec.set("transmission", car.trans, f"{esrc}: '{car.trans_text}'")
        if "drive" not in spec.facts:
            spec.set("drive", car.drive, f"{esrc}: drive system")
        if car.cls == "hybrid":
            spec.set("hybrid", "hev", f"{esrc}: hybrid model")
    return spec


def _twin_motor(spec: Spec, car: tc.TestCar, esrc: str) -> None:
    """A ``us_specs.csv`` EV row's motor torque and single reduction from its EPA test
    car's published motor (``ev_motors.csv``, :func:`keidesign.energy.testcars.ev_motor`,
    the join the EPA import reads), where the row gives none: ``motor_torque`` the
    generation's peak torque (status V or R there; an A row is not read), ``final_drive``
    its published overall reduction (``reduction_ratio``; blank: the import's default,
    :func:`keidesign.energy.vehicle.bev_default_ratio`). Before 7 Dec 2026 (task s40c)
    these rows took the assumed 2.8 N m per kW and the 8.0 reduction bounded at a 0.6 g
    launch force: the i3 351 N m at 7.5 for its published 250 N m at 9.7, the Bolt 418 N m
    for 360, the i-MiEV 137 N m for 180; the 0-60 check's 7 EVs went from 8.05 % to 5.62 %
    MAE (docs/validation.md, "0-60 mph: the EVs' launch"). The row is the generation's; the
    join is the twin's model year (a 2011-2017 Leaf row takes the 2017 AZE0's 254 N m at
    8.19, not the 2011 ZE0's 280 N m at 7.94): the import's one year per row."""
    _published_motor(spec, tc.ev_motor(car), f"{car.family} {car.year}", f"the motor of {esrc}")


def _published_motor(spec: Spec, m: tc.EvMotor | None, name: str, whose: str) -> None:
    """``motor_torque`` and ``final_drive`` of ``spec`` from the ``ev_motors.csv`` row
    ``m`` (:func:`_twin_motor`'s rule: the peak torque where the spec has none, the
    published reduction where it has no ratio); nothing when ``m`` is None. ``name`` the
    row's car and year, ``whose`` what the motor is joined through (the notes)."""
    if m is None:
        return
    if "motor_torque" not in spec.facts and m.motor_nm:
        spec.set("motor_torque", m.motor_nm, f"ev_motors.csv: published peak torque of "
                 f"{name} ({m.generation}, status {m.status['nm']}), {whose}")
    if m.reduction_ratio and not any(k in spec.facts for k in
                                     ("final_drive", "ratio_low", "ratio_high")):
        spec.set("final_drive", m.reduction_ratio, f"ev_motors.csv: published reduction "
                 f"of {name} ({m.generation}), {whose}")


#: The EPA test cars by their ``us_specs.csv`` row (:func:`_twins_by_line`): None, or
#: what it was built from (compared by identity) and the index, replaced as one object.
_TWIN_INDEX: list[Any] = [None]


def _twins_by_line() -> dict[int, tuple[tuple[tc.TestCar, SpecRow], ...]]:
    """Every EPA test car with its :func:`us_specs_for` row, by the row's line, in
    :func:`keidesign.energy.testcars.test_cars` order. Built once for a set of test cars,
    a loaded ``us_specs.csv`` and a matching function (rebuilt when one of them is
    another object: a cleared cache, a test's stand-in), so that :func:`_epa_twin` reads
    the cars of one row instead of matching every car again for every import."""
    key = (tc.test_cars(), tc._us_specs(), tc.us_specs_matches)
    held = _TWIN_INDEX[0]
    if held is None or any(a is not b for a, b in zip(held[0], key, strict=True)):
        idx: dict[int, list[tuple[tc.TestCar, SpecRow]]] = {}
        for car in key[0]:
            s = us_specs_for(car)
            if s is not None:
                idx.setdefault(s.line, []).append((car, s))
        held = (key, {k: tuple(v) for k, v in idx.items()})
        _TWIN_INDEX[0] = held
    return held[1]


def _epa_twin(sr: SpecRow, year: int, spec: Spec) -> tc.TestCar | None:
    """The EPA test car of a ``us_specs.csv`` row: of the cars whose
    :func:`us_specs_for` row is ``sr``, the nearest model year, then the spec's
    transmission, then its displacement (within 60 cm3); the first in test-car order
    on a tie. None if no car has the row."""
    return nearest_twin([car for car, s in _twins_by_line().get(sr.line, ()) if s == sr],
                        year, spec)


def nearest_twin(cands: Sequence[tc.TestCar], year: int, spec: Spec) -> tc.TestCar | None:
    """The EPA test car of ``cands`` (the cars of one ``us_specs.csv`` row) nearest a
    spec: the nearest model year to ``year``, then the spec's ``transmission``, then its
    ``displacement`` (the test car's within 60 cm3); the first in ``cands`` order on a
    tie. None if ``cands`` is empty. The one twin score of :func:`_epa_twin` and of the
    row-by-row scan ``benchmarks/us_specs_lookup.py`` times it against."""
    if not cands:
        return None
    want_t = spec.get("transmission")
    want_d = spec.get("displacement")

    def score(c: tc.TestCar) -> tuple:
        return (abs(c.year - year), 0 if want_t and c.trans == want_t else 1,
                0 if want_d and abs(c.vd * 1000 - want_d) < 60 else 1)

    return min(cands, key=score)


# --- user spec TOML --------------------------------------------------------------------

#: Allowed high-range ratio of a transfer case (``transmission.transfer_ratio`` of a spec
#: file): 1.000 (Jimny Sierra JB74, Hijet S510P) to 1.320 (Jimny JB64) among the
#: published ones read (carview 2018 Jimny mechanism article; kei_trucks.csv), bounded at
#: 2 so that a low range (2.0-2.6) is refused: the test cycles run in the high range.
TRANSFER_RATIO_RANGE = (1.0, 2.0)

#: Longest tyre text of a spec file (``dimensions.tyre``, ``tyre_other``), characters: a
#: catalogue's size with load index and speed symbol, ``"P185/60 R15 84T"``, is 15.
TYRE_TEXT_MAX = 64

#: Allowed curb mass of a spec file (``mass.curb``), kg; a non-kei import whose front
#: walls it scales beyond their ranges is refused by
#: :func:`keidesign.specs.build.check_spec_derivations`.
USER_CURB_RANGE_KG = (200.0, 10000.0)

#: The user spec schema: table -> key -> (registry variable whose units and range apply,
#: or a (kind, allowed) pair for keys that are not one design variable).
USER_SCHEMA: dict[str, dict[str, Any]] = {
    "vehicle": {"name": ("str", None), "description": ("str", None),
                "source": ("str", None), "model_year": "design:model_year",
                "market": "mass:market", "seats": "body:seats",
                # the import's body assumptions are a car's: no cab-over truck (its
                # overhang, cowl, bed and payload; start from carry_class.toml)
                "style": ("choice", ("tallboy", "hatch")),
                # a goods vehicle (a kei van, Japan's 4-number class): its WLTC test
                # mass carries 28 % of the maximum load (wltc_test_mass)
                "use": "body:use",
                "drive": "powertrain:drive", "layout": "powertrain:layout",
                "frame": "body:frame", "roof": "body:roof"},
    "dimensions": {"length": "body:length", "width": "body:width", "height": "body:height",
                   "wheelbase": "body:wheelbase", "track_front": "body:track_front",
                   "track_rear": "body:track_rear", "front_overhang": "body:front_overhang",
                   "ground_clearance": "body:ground_clearance", "tyre": ("tyre", None),
                   # a staggered car's other (undriven) axle: two of the wheel corners
                   "tyre_other": ("tyre", None)},
    "mass": {"curb": ("mass", USER_CURB_RANGE_KG),
             # a goods vehicle's maximum load (最大積載量) with the driver and one
             # passenger (the kei goods limit: 350 kg)
             "max_load": ("mass", (0.0, 5000.0))},
    "aero": {"cd": "road:cd", "crr": "road:crr"},
    "engine": {"displacement": "powertrain:ice:displacement",
               "power": "powertrain:ice:power", "torque": "powertrain:ice:torque",
               "cylinders": "powertrain:ice:cylinders", "turbo": "powertrain:ice:turbo",
               "hybrid": ("bool", None),
               "hybrid_motor_power": "powertrain:ice:hev_motor_power",
               "hybrid_layout": ("choice", ("mild", "full")),
               "hybrid_motor_on_gearbox": "powertrain:ice:hev_motor_on_gearbox",
               "hybrid_motor_reduction": "powertrain:ice:hev_motor_reduction",
               "hybrid_motor_max_speed": "powertrain:ice:hev_motor_max_speed",
               "hybrid_battery_voltage": "powertrain:ice:hev_battery_voltage",
               "hybrid_battery_resistance": "powertrain:ice:hev_battery_resistance",
               "hybrid_battery_energy": "powertrain:ice:hev_battery_energy",
               "idle_stop": "powertrain:ice:idle_stop",
               "idle_stop_speed": "powertrain:ice:idle_stop_speed",
               "fuel_tank": "powertrain:ice:fuel_tank",
               "rated_speed": "powertrain:ice:rated_speed",
               "compression_ratio": ("ratio", COMPRESSION_RATIO_RANGE)},
    "motor": {"power": "powertrain:bev:motor_power", "torque": "powertrain:bev:motor_torque",
              "type": ("choice", MOTOR_TYPES)},
    "battery": {"energy": "powertrain:bev:battery_energy",
                "charger_power": "powertrain:bev:charger_power",
                "chemistry": ("choice", tuple(PACK_HEATER_KW))},
    "transmission": {"type": ("transmission", ("cvt", "manual", "automatic", "dct", "amt",
                                               "single_speed") + reg.get(
                                                   "powertrain:transmission").choices),
                     "gears": ("int", (1, 10)),
                     # published gearing (catalogue 変速比 / 最終減速比 / 副変速比 high)
                     "ratio_low": ("ratio", (0.3, 10.0)), "ratio_high": ("ratio", (0.3, 5.0)),
                     "final_drive": ("ratio", (1.0, 20.0)),
                     "transfer_ratio": ("ratio", TRANSFER_RATIO_RANGE),
                     # a torque converter's lock-up clutch (catalogue 'LTC'; MLIT lists
                     # '4AT(E)' without it): all / top / none
                     "lockup": "powertrain:converter_lockup"},
    "performance": {"top_speed": "powertrain:speed_limiter"},
    # the car's belt/airbag restraint, when known: written as given instead of the
    # import's restraint rule (keidesign.specs.build._spec_restraint_table, task s45a)
    "restraint": {"slack": "crash:restraint:slack", "stiffness": "crash:restraint:stiffness",
                  "load_limit": "crash:restraint:load_limit"},
}
_REQUIRED = ("vehicle.name", "dimensions.length", "dimensions.width", "dimensions.height",
             "dimensions.wheelbase")
_FACT_OF = {"vehicle.model_year": "model_year", "vehicle.seats": "seats",
            "vehicle.style": "style", "vehicle.drive": "drive", "vehicle.layout": "layout",
            "vehicle.frame": "frame", "vehicle.roof": "roof", "vehicle.use": "use",
            "mass.curb": "curb", "mass.max_load": "max_load",
            "aero.cd": "cd", "aero.crr": "crr",
            "engine.displacement": "displacement", "engine.power": "power",
            "engine.torque": "torque", "engine.cylinders": "cylinders",
            "engine.turbo": "turbo", "engine.idle_stop": "idle_stop",
            "engine.idle_stop_speed": "idle_stop_speed",
            "transmission.ratio_low": "ratio_low", "transmission.ratio_high": "ratio_high",
            "transmission.final_drive": "final_drive",
            "transmission.transfer_ratio": "transfer_ratio",
            "transmission.lockup": "converter_lockup",
            "engine.fuel_tank": "fuel_tank", "engine.rated_speed": "rated_speed",
            "engine.compression_ratio": "compression_ratio",
            "engine.hybrid_motor_power": "hev_motor_power",
            "engine.hybrid_layout": "hev_layout",
            "engine.hybrid_motor_on_gearbox": "hev_motor_on_gearbox",
            "engine.hybrid_motor_reduction": "hev_motor_reduction",
            "engine.hybrid_motor_max_speed": "hev_motor_max_speed",
            "engine.hybrid_battery_voltage": "hev_battery_voltage",
            "engine.hybrid_battery_resistance": "hev_battery_resistance",
            "engine.hybrid_battery_energy": "hev_battery_energy",
            "motor.power": "motor_power", "motor.torque": "motor_torque",
            "motor.type": "motor_type", "battery.charger_power": "charger_power",
            "battery.chemistry": "pack_chemistry",
            "battery.energy": "battery_energy", "performance.top_speed": "top_speed",
            "restraint.slack": "restraint_slack",
            "restraint.stiffness": "restraint_stiffness",
            "restraint.load_limit": "restraint_load_limit"}


def user_spec(path: str | Path) -> Spec:
    """The spec of a user's short spec TOML (schema: :data:`USER_SCHEMA`, docs/import.md).
    Every problem is one :class:`InputError` naming the file, the field, the value and
    what is allowed."""
    p = Path(path)
    doc = load_toml(p, "spec file")
    fname = str(p)

    def fail(fpath: str, raw: Any, problem: str, allowed: str) -> InputError:
        return InputError(f"{fname}: {fpath} = {show(raw)}: {problem}; allowed: {allowed}")

    vals: dict[str, tuple[Any, Any]] = {}  # path -> (value, raw)
    for tname, table in doc.items():
        if tname not in USER_SCHEMA:
            hint = did_you_mean(tname, USER_SCHEMA, 0.5, "; did you mean {!r}?")
            raise InputError(f"{fname}: unknown table {show(tname)}{hint} (valid: "
                             f"{', '.join(USER_SCHEMA)})")
        if not isinstance(table, dict):
            raise InputError(f"{fname}: {tname} = {show(table)}: expected a table "
                             f"[{tname}]; allowed keys: {', '.join(USER_SCHEMA[tname])}")
        for key, raw in table.items():
            fpath = f"{tname}.{key}"
            kinds = USER_SCHEMA[tname]
            if key not in kinds:
                near = difflib.get_close_matches(key, kinds, n=1, cutoff=0.5)
                hint = f"; did you mean {f'{tname}.{near[0]}'!r}?" if near else ""
                raise InputError(f"{fname}: unknown key {show(fpath)}{hint} (valid here: "
                                 f"{', '.join(kinds)})")
            vals[fpath] = (_user_value(kinds[key], raw, fpath, fail), raw)
    missing = [f for f in _REQUIRED if f not in vals]
    if missing:   # each with what it takes, as the design check lists a design's (s32i)
        def allowed(fpath: str) -> str:
            table, key = fpath.split(".", 1)
            kind = USER_SCHEMA[table][key]
            if isinstance(kind, str):
                return reg.get(kind).range_text()
            return kind[1] or f"a string of 1-{NAME_MAX} characters"

        items = "; ".join(f"{f} ({allowed(f)})" for f in missing)
        raise InputError(f"{fname}: missing required field(s): {items} (docs/import.md, "
                         "\"The spec file\")")
    engine = any(k.startswith("engine.") for k in vals)
    motor = any(k.startswith(("motor.", "battery.")) for k in vals)
    if engine and motor:
        ev = " and ".join(f"[{t}]" for t in ("motor", "battery")
                          if any(k.startswith(t + ".") for k in vals))
        raise InputError(f"{fname}: [engine] with {ev}: a plug-in or range-extender "
                         "hybrid, which the model does not represent (docs/import.md, "
                         "Limits); allowed: either [engine] (hybrid = true: a full "
                         "hybrid, with no plug-in range) or [motor] and [battery] (a BEV)")
    if engine == motor:
        raise InputError(f"{fname}: give either [engine] (displacement, power, torque, "
                         "...) or [motor] and [battery] (power, torque, energy); found "
                         "neither")
    need = (("engine.displacement", "engine.power") if engine
            else ("motor.power", "battery.energy"))
    missing = [f for f in need if f not in vals]
    if missing:
        raise InputError(f"{fname}: missing required field(s): {', '.join(missing)}")
    name = vals["vehicle.name"][0]
    src_text = vals.get("vehicle.source", (None,))[0]
    src = f"{p.name}"
    spec = Spec(name=name, kind="spec",
                source=f"spec file {p.name}" + (f": {src_text}" if src_text else ""),
                header=[f"Imported from the spec file {p.name}"
                        + (f" ({src_text})" if src_text else "") + "."],
                description=vals.get("vehicle.description", (
                    f"Imported by keidesign import spec from {p.name}",))[0])
    spec.set("type", "ice" if engine else "bev", f"{src}: [{'engine' if engine else 'motor'}]")
    for fpath, (value, raw) in vals.items():
        note = f"{src}: {fpath}"
        text = raw if isinstance(raw, str) and fpath.split(".")[0] in (
            "dimensions", "mass", "engine", "motor", "battery", "performance",
            "restraint") else None
        if fpath.startswith("dimensions.") and fpath != "dimensions.tyre":
            spec.set(fpath.split(".")[1], value, note, text=text)
        elif fpath == "dimensions.tyre":
            spec.set("tyre", value, note, text=raw)
        elif fpath in _FACT_OF:
            if fpath == "mass.curb":
                text = raw if isinstance(raw, str) else None
            spec.set(_FACT_OF[fpath], value, note, text=text)
        elif fpath == "vehicle.market":
            spec.market = value
    if vals.get("engine.hybrid", (False,))[0]:
        spec.set("hybrid", "hev", f"{src}: engine.hybrid")
    else:
        for key, what in (("engine.hybrid_motor_power", "a full hybrid's traction motor"),
                          ("engine.hybrid_layout", "the hybrid system's layout"),
                          ("engine.hybrid_motor_on_gearbox",
                           "a P2 motor between the engine clutch and the gearbox"),
                          ("engine.hybrid_motor_reduction",
                           "the traction motor's reduction to the wheels"),
                          ("engine.hybrid_motor_max_speed", "the traction motor's maximum speed"),
                          ("engine.hybrid_battery_voltage", "the traction pack's voltage"),
                          ("engine.hybrid_battery_resistance",
                           "the traction pack's resistance"),
                          ("engine.hybrid_battery_energy",
                           "the hybrid battery's usable energy")):
            if key in vals:
                raise InputError(f"{fname}: {key} = {vals[key][1]!r} without engine.hybrid "
                                 f"= true; allowed: only with engine.hybrid = true ({what})")
    if "engine.idle_stop_speed" in vals and not vals.get("engine.idle_stop", (False,))[0]:
        raise InputError(f"{fname}: engine.idle_stop_speed = "
                         f"{vals['engine.idle_stop_speed'][1]!r} without engine.idle_stop = "
                         "true; allowed: only with engine.idle_stop = true (the speed below "
                         "which the stop-start system stops the engine while braking)")
    if "transmission.transfer_ratio" in vals and "transmission.final_drive" not in vals:
        raise InputError(f"{fname}: transmission.transfer_ratio = "
                         f"{vals['transmission.transfer_ratio'][1]!r} without "
                         "transmission.final_drive; allowed: only with final_drive (the "
                         "transfer case's high range multiplies the final drive)")
    if "mass.max_load" in vals and vals.get("vehicle.use", (None,))[0] != "goods":
        raise InputError(f"{fname}: mass.max_load = {vals['mass.max_load'][1]!r} without "
                         "vehicle.use = 'goods'; allowed: only for a goods vehicle (its "
                         "rated maximum load, 最大積載量)")
    if "mass.max_load" in vals:
        # the design's payload is the load plus the rated crew (keidesign.catalogue.mass
        # goods_crew): a load whose payload leaves the registry's range was reported as
        # the design's mass.payload, not this key (s26f)
        from keidesign.catalogue.mass import goods_crew_mass

        seats = int(vals.get("vehicle.seats", (4,))[0])
        most = reg.get("mass:payload").upper - goods_crew_mass(seats)
        if vals["mass.max_load"][0] > most:
            raise InputError(f"{fname}: mass.max_load = {show(vals['mass.max_load'][1])}: out "
                             f"of range; allowed: number in [0, {most:g}] kg (the payload "
                             f"of at most {reg.get('mass:payload').upper:g} kg less the "
                             f"rated crew's {goods_crew_mass(seats):g} kg)")
    volt = [k for k in ("engine.hybrid_battery_voltage", "engine.hybrid_battery_resistance")
            if k in vals]
    if len(volt) == 1:
        other = ({"engine.hybrid_battery_voltage", "engine.hybrid_battery_resistance"}
                 - set(volt)).pop()
        raise InputError(f"{fname}: {volt[0]} = {show(vals[volt[0]][1])} without {other}; "
                         "allowed: both (a traction pack's voltage and resistance) or "
                         "neither (the assumed pack)")
    if len(volt) == 2:
        # the design's pack is both 0 (the assumed pack) or at least 48 V and 0.01 ohm
        # (keidesign.design): a 16 V pack in the registry's [0, 800] V was refused as the
        # design's powertrain.ice.hev_battery_voltage (s27a)
        v, r = (vals[k][0] for k in volt)
        if (v, r) != (0.0, 0.0) and not (v >= _MIN_HEV_PACK_V and r >= _MIN_HEV_PACK_OHM):
            raise InputError(
                f"{fname}: engine.hybrid_battery_voltage = {show(vals[volt[0]][1])}, "
                f"engine.hybrid_battery_resistance = {show(vals[volt[1]][1])}: not a "
                f"traction pack; allowed: voltage in [{_MIN_HEV_PACK_V:g}, "
                f"{reg.get('powertrain:ice:hev_battery_voltage').upper:g}] V with resistance "
                f"in [{_MIN_HEV_PACK_OHM:g}, "
                f"{reg.get('powertrain:ice:hev_battery_resistance').upper:g}] ohm (the "
                "design's smallest pack: 48 V, 10 mOhm), or both 0 (the assumed pack)")
    tr = _user_transmission(vals, fname, engine)
    if tr:
        spec.set("transmission", tr[0], f"{src}: {tr[1]}")
    lockup = vals.get("transmission.lockup", ("all",))
    if lockup[0] != "all" and (not tr or not tr[0].startswith("at")
                               or vals.get("engine.hybrid", (False,))[0]):
        raise InputError(f"{fname}: transmission.lockup = {lockup[1]!r} with "
                         + (f"transmission {tr[0]!r}" if tr else "no transmission.type")
                         + (" (a hybrid)" if vals.get("engine.hybrid", (False,))[0] else "")
                         + "; allowed: 'all' for every car, 'top' or 'none' only for a "
                         "torque-converter automatic (type 'automatic' with gears 3-10, or "
                         "'at3'..'at10') without hybrid")
    if "vehicle.market" not in vals:
        spec.market = ""  # build decides (kei class: jdm, else us)
    # values each within its range whose import the design check would refuse (a 5 m car's
    # crush length, a 1,000 mm width's assumed track, a 10 t curb's rail walls): named on
    # the spec's own keys before the design is built (s27a; the design's fields before)
    from keidesign.specs.build import check_spec_derivations

    check_spec_derivations(spec, fname, {k: raw for k, (_, raw) in vals.items()})
    return spec


def _user_value(kind: Any, raw: Any, fpath: str, fail) -> Any:
    if isinstance(kind, str):  # a registry variable
        var = reg.get(kind)
        if var.dtype is bool:
            if not isinstance(raw, bool):
                raise fail(fpath, raw, "expected true or false", "true or false")
            return raw
        if var.dtype is str:
            got = _choice(raw, var.choices) if var.choices else raw
            if not isinstance(got, str):
                raise fail(fpath, raw, f"not a valid choice{_drive_hint(fpath, raw)}",
                           var.range_text())
            return got
        floor = _GIVEN_MIN.get(kind)
        if floor is None:
            return _quantity(raw, var.units, var.lower, var.upper, var.dtype is int, fpath,
                             fail, var.range_text())
        # a value whose 0 means "not given" and whose given value has a floor (the
        # design's, keidesign.design._GIVEN_MIN, s31l): refused here, naming this key; the
        # registry's range let 0.5 through to the design check, which named the design's
        # field (engine.hybrid_motor_reduction, hybrid_motor_max_speed; s31o)
        low, unit, meaning = floor
        allowed = f"0 ({meaning}) or a number in [{low:g}, {var.upper:g}]{unit}"
        num = _quantity(raw, var.units, var.lower, var.upper, var.dtype is int, fpath, fail,
                        allowed)
        if 0.0 < num < low:
            raise fail(fpath, raw, f"below the floor {low:g}{unit}", allowed)
        return num
    what, allowed = kind
    if what == "str":
        if not isinstance(raw, str) or not raw.strip() or len(raw) > NAME_MAX:
            raise fail(fpath, raw, "expected a non-empty string", f"a string of 1-{NAME_MAX} "
                       "characters")
        if not printable(raw):  # it becomes a design name or source: one line
            raise fail(fpath, raw, "a control character", "one line of printable text")
        return raw.strip()
    if what == "bool":
        if not isinstance(raw, bool):
            raise fail(fpath, raw, "expected true or false", "true or false")
        return raw
    if what == "tyre":
        if isinstance(raw, str) and (len(raw) > TYRE_TEXT_MAX or not printable(raw)):
            # the text is kept as the design's source note: a 500 kB tail after a
            # size was accepted and written out (54 s; s26f)
            raise fail(fpath, raw, f"{len(raw):,} characters" if len(raw) > TYRE_TEXT_MAX
                       else "a control character", "one line of at most "
                       f"{TYRE_TEXT_MAX} characters holding a size like '155/65R14'")
        t = parse_tyre(raw) if isinstance(raw, str) else None
        if t is not None and len(tyre_sizes(raw)) > 1:
            # a staggered car (smart fortwo, S660): the model has one tyre size, and the
            # import read the first until 4 Dec 2026, whichever axle it was
            raise fail(fpath, raw, "more than one tyre size (front and rear?)", "one size "
                       "like '155/65R14': a staggered car's driven axle's (its rolling "
                       "radius sets the overall gearing; the other axle's in "
                       "dimensions.tyre_other)")
        if t is None or not (100 <= t[0] <= 350 and 25 <= t[1] <= 90 and 10 <= t[2] <= 22):
            raise fail(fpath, raw, "not a tyre size", "a size like '155/65R14' (width "
                       "100-350 mm, aspect 25-90 %, rim 10-22 inch)")
        return t
    if what == "mass":
        return _quantity(raw, "kg", allowed[0], allowed[1], False, fpath, fail,
                         f"number in [{allowed[0]:g}, {allowed[1]:g}] kg")
    if what == "ratio":  # a published value: the design's 0 (class default) is omission here
        return _quantity(raw, None, allowed[0], allowed[1], False, fpath, fail,
                         f"number in [{allowed[0]:g}, {allowed[1]:g}]")
    if what == "int":
        return int(_quantity(raw, None, allowed[0], allowed[1], True, fpath, fail,
                             f"integer in [{allowed[0]}, {allowed[1]}]"))
    if what in ("choice", "transmission"):
        got = _choice(raw, allowed)
        if got is None and what == "transmission" and isinstance(raw, str):
            got = _catalogue_transmission(raw, allowed)
        if got is None:
            raise fail(fpath, raw, f"not a valid choice{_drive_hint(fpath, raw)}",
                       "one of " + ", ".join(repr(a) for a in dict.fromkeys(allowed))
                       + (" (or a catalogue's '4AT', '5MT', '7DCT')"
                          if what == "transmission" else ""))
        return got
    raise AssertionError(kind)


#: A Japanese catalogue's drive column (駆動方式) and what a spec file writes for it
#: (new-user pass s37d: 'FF' was 'not a valid choice' with no word of which).
_DRIVE_CODES = {
    "FF": "is a catalogue's front engine, front drive: write drive = 'fwd'",
    "FR": "is a catalogue's front engine, rear drive: write drive = 'rwd'",
    "MR": "is a catalogue's mid engine, rear drive: write drive = 'rwd' with layout = 'mid'",
    "RR": "is a catalogue's rear engine, rear drive: write drive = 'rwd' with layout = "
          "'rear'",
    "2WD": "names no axle: write drive = 'fwd' or 'rwd'",
    "4X4": "is four-wheel drive: write drive = '4wd' (part-time) or 'awd'",
}


def _drive_hint(fpath: str, raw: Any) -> str:
    """``"; 'FF' is ..."`` for a catalogue's drive code given as ``vehicle.drive``."""
    code = (_DRIVE_CODES.get(raw.strip().upper())
            if isinstance(raw, str) and fpath == "vehicle.drive" else None)
    return f"; {raw.strip()!r} {code}" if code else ""


def _choice(raw: Any, allowed: tuple[str, ...]) -> str | None:
    """The allowed spelling of ``raw`` ignoring case and surrounding blanks (a catalogue's
    'AWD', '4WD', 'CVT'), or None."""
    if not isinstance(raw, str):
        return None
    key = raw.strip().lower()
    return next((a for a in allowed if a.lower() == key), None)


#: A catalogue's transmission notation: gear count first ('4AT', '5MT', '7DCT', '6 AMT').
_CATALOGUE_TRANSMISSION = re.compile(r"([0-9]{1,2})\s*-?\s*(AT|MT|DCT|AMT)", re.IGNORECASE)


def _catalogue_transmission(raw: str, allowed: tuple[str, ...]) -> str | None:
    """``'4AT'`` -> ``'at4'`` (and MT, DCT, AMT) when the result is allowed, else None."""
    m = _CATALOGUE_TRANSMISSION.fullmatch(raw.strip())
    key = f"{m.group(2).lower()}{int(m.group(1))}" if m else None
    return key if key in allowed else None


def _quantity(raw: Any, units: str | None, lo: float | None, hi: float | None, integer: bool,
              fpath: str, fail, allowed: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise fail(fpath, raw, "expected a number or a quantity string", allowed)
    u = None
    if isinstance(raw, str):
        try:
            num, u = ku.parse_quantity(raw)
        except ku.UnitsError as exc:
            raise fail(fpath, raw, str(exc), allowed) from None
        if u and units in (None, "unitless"):
            raise fail(fpath, raw, f"units {u!r} given for a quantity without units",
                       allowed)
        if u:
            try:
                num = ku.convert(num, u, units)
            except ku.UnitsError:
                raise fail(fpath, raw, f"units {u!r} cannot be converted to {units!r}"
                           f"{ku.spelling_hint(u)}", allowed) from None
    else:
        num = toml_float(raw)
    if not math.isfinite(num):
        raise fail(fpath, raw, "not a finite number", allowed)
    if integer and num != int(num):
        raise fail(fpath, raw, "expected an integer", allowed)
    if (lo is not None and num < lo) or (hi is not None and num > hi):
        # in the range's units when given in others ('900 g': audit s39c, as a design's)
        shown = f" (it is {num:.6g} {units})" if u and u != units else ""
        raise fail(fpath, raw, f"out of range{shown}", allowed)
    return int(num) if integer else num


def _gear_counts(choices: Sequence[str], prefix: str) -> list[int]:
    """The gear counts of the transmission types ``<prefix><n>`` among ``choices``,
    ascending (``at`` -> 3, 4, ..., 10)."""
    return sorted(int(c[len(prefix):]) for c in choices
                  if c.startswith(prefix) and c[len(prefix):].isdigit())


def _user_transmission(vals: dict, fname: str, engine: bool) -> tuple[str, str] | None:
    if "transmission.type" not in vals:
        if "transmission.gears" in vals:
            raise InputError(f"{fname}: transmission.gears given without transmission.type;"
                             " allowed: give type (cvt, manual, automatic, dct, amt, ...)")
        return None
    t = vals["transmission.type"][0]
    gears = vals.get("transmission.gears", (None,))[0]
    choices = reg.get("powertrain:transmission").choices
    if t in choices:
        n = GEARS[t]
        if gears is not None and n and gears != n:
            raise InputError(f"{fname}: transmission.gears = {gears} with transmission.type = "
                             f"{vals['transmission.type'][1]!r} ({n} gears); allowed: the "
                             f"type's {n}, or a type without a count (manual, automatic, dct,"
                             f" amt) with gears")
        return t, f"transmission.type = {vals['transmission.type'][1]!r}"
    if t in ("cvt", "single_speed"):
        return t, f"transmission.type = {t!r}"
    prefix = {"manual": "mt", "automatic": "at", "dct": "dct", "amt": "amt"}[t]
    if gears is None:
        raise InputError(f"{fname}: transmission.type = {t!r} needs transmission.gears; "
                         f"allowed: " + ", ".join(map(str, _gear_counts(choices, prefix))))
    key = f"{prefix}{gears}"
    if key not in choices:
        ok = ", ".join(map(str, _gear_counts(choices, prefix)))
        raise InputError(f"{fname}: transmission.gears = {gears} with transmission.type = "
                         f"{t!r}: not modelled; allowed: {ok}")
    return key, f"transmission {t}, {gears} gears"
