"""Design files: one candidate vehicle described completely in TOML.

A design file's tables and keys are the registered design variables of
:mod:`keidesign.variables` (``[crash.front] crush_length = 550`` is
``crash:front:crush_length``). A number is read in the variable's registered units;
a string ``"3.395 m"`` gives a value with its own units, converted on load.

Every problem gives one :class:`~keidesign.errors.InputError` whose message names the
file, the field path, the value and what is allowed: unknown keys (with the nearest
valid key), wrong types, missing fields, NaN/inf, values outside the physically
possible range, incompatible units, and parameter sets that cannot make a vehicle
(e.g. wheelbase + front overhang >= length). Regulatory limits (kei size, FMVSS) are
*not* checked here: they are rule-pack constraints, reported as margins.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from keidesign import units as ku
from keidesign import variables as reg
from keidesign.catalogue.mass import (
    OCCUPANT_MASS_JP_KG,
    SEAT_MASS_KG,
    goods_crew,
    goods_crew_mass,
    min_payload,
)
from keidesign.catalogue.powertrain import MANUAL_UPSHIFT_MPH_RANGE
from keidesign.errors import InputError, printable, show
from keidesign.inputfiles import did_you_mean, nearest, parse_toml, read_text, toml_float
from keidesign.registry import LIST_ITEM_MAX, LIST_MAX_ITEMS

__all__ = ["Design", "check_consistency", "design_from_dict", "load_design", "parse_design"]

# smallest rear overhang a body can have (bumper + crash box + structure), mm
_MIN_REAR_OVERHANG_MM = 150.0
# a body with at most this many seats has the front row only (no rear H-point)
_FRONT_ROW_SEATS = 2
# shortest couple distance (rear behind front H-point) of a rear row, mm [assumed: the
# former lower bound of body.couple_distance; SAE J1100 L50 of 2+2 coupes ~600-700 mm]
_MIN_COUPLE_MM = 400.0
# lowest accepted compression ratio (keidesign.energy.powertrains.COMPRESSION_RATIO_RANGE;
# production spark-ignition engines run 8.5-14)
_MIN_COMPRESSION_RATIO = 8.0
# values whose 0 means "not given" (the model's own value is used): a given value is at
# least the floor of a spec file's key (keidesign.specs.sources.USER_SCHEMA, A:
# plausibility floors, not model limits). A subnormal 5e-324 was taken as given (s31e):
# a curb mass of 5e-324 kg passed Part 581 at an infinite barrier speed, a test weight of
# 5e-324 kg gave NaN cycles and RuntimeWarnings, a final drive or first gear of 5e-324 a
# car under 20 mph (every FMVSS row not applicable).
_GIVEN_MIN: dict[str, tuple[float, str, str]] = {
    "mass:curb_measured": (200.0, " kg", "the build-up's curb mass"),
    "energy:test_weight": (200.0, " kg", "curb + 136 kg"),
    "powertrain:final_drive": (1.0, "", "typical value of the transmission type"),
    "powertrain:ratio_low": (0.3, "", "typical value of the transmission type"),
    "powertrain:ratio_high": (0.3, "", "typical value of the transmission type"),
    # s31l, A: a traction motor turning slower than its wheel is on no published hybrid
    # (hybrid_systems.csv: 8.41 and 10.84 motor rpm per wheel rpm); 1 is a direct drive
    "powertrain:ice:hev_motor_reduction": (1.0, "", "none: the motor turns at the engine's "
                                                    "top-gear ratio"),
    # s31l, A: below 1000 rpm a motor at the published reductions (8.41-10.84, a 0.57 m
    # tyre) stops driving and regenerating by about 13 km/h; published maxima 13,500 and
    # 17,000 rpm (docs/import.md, hybrid_systems.csv)
    "powertrain:ice:hev_motor_max_speed": (1000.0, " rpm", "not limited"),
    # s42 review: a BEV pack's stated resistance (0: R = tau V^2 / E from the pack's energy,
    # keidesign.energy.powertrains.pack_resistance, task s42b). 5e-324 ohm was a lossless
    # pack; the floor is below any pack the law gives in its validity range (100 kWh at
    # 200 V with tau 81 s: 0.009 ohm)
    "powertrain:bev:battery_resistance": (0.005, " ohm", "from the pack's energy, "
                                                         "R = tau V^2 / E"),
}
# measured coast-down coefficients A (F0) and C (F2): 0 = not given, used only with
# energy.coastdown.measured = true, which then needs both (s31l; a 0 gave a car without
# rolling or air drag). Floors A: about a fifth of the smallest EPA target of the 4,136
# small-car test rows 2011-2023 (data/epa/epa_testcar_small_2011_2023.csv: A 13.06 lbf =
# 58.1 N, C 0.01033 lbf/mph^2 = 0.230 N s^2/m^2); B is signed (-0.70 to 0.88 lbf/mph
# there) and has no floor.
_COASTDOWN_MIN: dict[str, tuple[float, str]] = {
    "energy:coastdown:a": (10.0, " N"),
    "energy:coastdown:c": (0.05, " N*s**2/m**2"),
}
# a staggered car's other-axle tyre and the driven tyre's key that gives its floor
_TYRE_OTHER = {"body:tyre_other_width": "body:tyre_width",
               "body:tyre_other_aspect": "body:tyre_aspect",
               "body:rim_other_diameter": "body:rim_diameter"}
#: Smallest HEV traction pack a design may give (``powertrain.ice.hev_battery_voltage``,
#: ``hev_battery_resistance``): a 48 V mild-hybrid pack, 10 mOhm (the published packs
#: of hybrid_systems.csv: 100-240 V, 0.3-0.5 ohm).
_MIN_HEV_PACK_V = 48.0
_MIN_HEV_PACK_OHM = 0.01
#: Forward gears of the driver-shifted manuals whose upshift speeds a design may give
#: (``powertrain.ice.manual_upshift_mph``; keidesign.energy.powertrains.GEARS and
#: MANUAL_SCHEDULE_TRANS, held equal by tests/test_manual_upshift.py).
_MANUAL_GEARS = {"mt5": 5, "mt6": 6}
# a key of the manuals' upshift speeds: its range text (registry lower/upper)
_UPSHIFT_RANGE = "in [{:g}, {:g}] mi/h".format(*MANUAL_UPSHIFT_MPH_RANGE)
# required design fields that measured coast-down coefficients make unnecessary
_OPTIONAL_WITH_COASTDOWN = ("road:cd", "road:crr")


@dataclass(frozen=True)
class Design:
    """A validated candidate vehicle.

    Attributes:
        path: file it was read from (or ``"<string>"``).
        values: every design variable by registered name, in registered units
            (defaults filled in); variables of the other powertrain type are absent.
    """

    path: str
    values: Mapping[str, Any] = field(repr=False)

    @property
    def name(self) -> str:
        return str(self.values["design:name"])

    @property
    def rules(self) -> list[str]:
        return list(self.values["design:rules"])

    @property
    def model_year(self) -> int:
        return int(self.values["design:model_year"])

    @property
    def powertrain_type(self) -> str:
        return str(self.values["powertrain:type"])

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def numeric(self) -> dict[str, tuple[float, str]]:
        """Numeric design values as ``{name: (value, units)}`` (for models and rules): the
        scalars; a list of numbers (``dtype=tuple``, a manual's upshift speeds) reaches
        the model as an option (:func:`keidesign.energy.energy_options`)."""
        out = {}
        for name, val in self.values.items():
            var = reg.get(name)
            if var.units is not None and not isinstance(val, bool) and var.dtype is not tuple:
                out[name] = (float(val), var.units)
        return out

    def replace(self, **changes: Any) -> Design:
        """A copy with some values changed (registered names, registered units)."""
        vals = dict(self.values)
        for k, v in changes.items():
            reg.get(k)
            vals[k] = v
        return Design(self.path, vals)


def load_design(path: str | Path) -> Design:
    """Read and validate a design file. Raises :class:`InputError` on any problem."""
    p = Path(path)
    return parse_design(read_text(p, "design file"), str(p))


def parse_design(text: str, source: str = "<string>") -> Design:
    """Validate TOML text of a design file; ``source`` names it in messages."""
    return design_from_dict(parse_toml(text, source), source)


def design_from_dict(doc: Mapping[str, Any], source: str = "<dict>") -> Design:
    """Validate a design given as nested tables (as parsed from TOML)."""
    if isinstance(doc.get("study"), dict):  # a study file given where a design belongs
        cmds = [c for t, c in (("objective", "optimize"), ("sweep", "sweep"),
                               ("pareto", "pareto")) if t in doc] or ["optimize", "sweep",
                                                                      "pareto"]
        design = doc["study"].get("design")
        raise InputError(
            f"{source}: a study file (it has a [study] table), not a design file; run it with "
            + " or ".join(f"`keidesign {c} {source}`" for c in cmds)
            + (f" (its design file is {design!r})" if isinstance(design, str) else ""))
    flat = _flatten(doc, source)
    values = _validate(flat, source)
    check_consistency(values, source)
    return Design(source, values)


def _design_vars() -> dict[str, reg.Variable]:
    return {v.name: v for v in reg.variables(design=True)}


def _flatten(doc: Mapping[str, Any], source: str) -> dict[str, Any]:
    """Flatten nested tables to registry names, rejecting unknown tables and keys."""
    dvars = _design_vars()
    prefixes = {n.rsplit(":", 1)[0] for n in dvars} | {
        ":".join(n.split(":")[:i]) for n in dvars for i in range(1, n.count(":") + 1)
    }
    flat: dict[str, Any] = {}

    def walk(node: Mapping[str, Any], prefix: str) -> None:
        for key, val in node.items():
            name = f"{prefix}:{key}" if prefix else key
            if isinstance(val, dict) and name not in dvars:
                if name not in prefixes:
                    _unknown(name, prefixes, dvars, source, table=True)
                walk(val, name)
            elif name in dvars:
                flat[name] = val
            else:
                _unknown(name, prefixes, dvars, source, table=False)

    walk(doc, "")
    return flat


def _unknown(name: str, prefixes: set[str], dvars: Mapping[str, reg.Variable], source: str,
             table: bool) -> None:
    path = name.replace(":", ".")
    parent, _, key = name.rpartition(":")
    tables = sorted(p for p in prefixes if p.rpartition(":")[0] == parent)
    keys_here = sorted(n for n in dvars if n.rpartition(":")[0] == parent)
    siblings, kind = (tables, "table") if table else (keys_here, "key")
    # the same name of the same kind elsewhere first, then a near spelling here
    pool = prefixes if table else dvars
    near = [n for n in pool if n.rpartition(":")[2] == key and n != name][:1]
    if not near:
        last = {s.rpartition(":")[2]: s for s in siblings}
        k = nearest(key, last, 0.6)
        near = [last[k]] if k is not None else []
    hint = f"; did you mean {near[0].replace(':', '.')!r}?" if near else ""

    def names(items: list[str]) -> str:
        return ", ".join(s.rpartition(":")[2] for s in items)

    if table and keys_here:  # a table where keys (and maybe tables) belong
        where = f"[{parent.replace(':', '.')}]"
        valid = (f"tables {names(tables)}; keys " if tables
                 else f"no tables in {where}, only keys: ") + names(keys_here)
    else:
        valid = names(siblings) or "(none)"
    raise InputError(f"{source}: unknown {kind} {show(path)}{hint} (valid here: {valid})")


def _validate(flat: dict[str, Any], source: str) -> dict[str, Any]:
    dvars = _design_vars()
    values: dict[str, Any] = {}
    # unconditional variables first, so `when` conditions can be resolved
    ordered = sorted(dvars.values(), key=lambda v: v.when is not None)
    for var in ordered:
        present = var.name in flat
        if var.when is not None:
            cond_name, cond_val = var.when
            active = values.get(cond_name) == cond_val
            if present and not active:
                raise InputError(
                    f"{source}: {var.path} = {show(flat[var.name])} is not used when "
                    f"{cond_name.replace(':', '.')} = {values.get(cond_name)!r}; remove it "
                    f"(it belongs to {cond_name.replace(':', '.')} = {cond_val!r})")
            if not active:
                continue
        if present:
            values[var.name] = _coerce(var, flat[var.name], source)
        elif var.default is not None:
            values[var.name] = list(var.default) if var.dtype is list else var.default
    # conditional defaults (registry ``default_when``), once every condition is resolved;
    # they replace a plain default when the file does not give the key
    for var in ordered:
        if var.name not in flat and var.default_when is not None:
            (cond_name, cond_val), dflt = var.default_when
            if values.get(cond_name) == cond_val and (
                    var.when is None or values.get(var.when[0]) == var.when[1]):
                values[var.name] = dflt
    # measured coast-down coefficients replace the road load from Cd x A and Crr: then
    # neither is required (and a given one is kept but not used)
    optional = set(_OPTIONAL_WITH_COASTDOWN) if values.get("energy:coastdown:measured") \
        else set()
    missing = [v for v in ordered if v.required and v.name not in values
               and v.name not in optional
               and (v.when is None or values.get(v.when[0]) == v.when[1])]
    if missing:
        items = "; ".join(f"{v.path} ({v.range_text()}: {v.desc})" for v in missing)
        raise InputError(f"{source}: missing required field(s): {items}")
    # a body with the front row only has no rear H-point: its default is 0
    if (values.get("body:seats", 4) <= _FRONT_ROW_SEATS
            and "body:couple_distance" not in flat and "body:couple_distance" in values):
        values["body:couple_distance"] = 0.0
    return values


#: Longest ``design.name`` (it heads every table and report), characters.
NAME_MAX = 200
#: Longest other free text (description, sources), characters.
TEXT_MAX = 4000


def _check_text(var: reg.Variable, raw: str, source: str) -> None:
    """A free-text value within its length, the name on one printable line (a 900 kB
    name or a line break in it would be printed in every table head and report)."""
    name = var.name == "design:name"
    limit = NAME_MAX if name else TEXT_MAX
    bad = (not printable(raw)) if name else not printable(
        raw.replace("\n", " ").replace("\t", " "))
    if len(raw) > limit or bad:
        what = f"{len(raw):,} characters" if len(raw) > limit else "a control character"
        lines = ("one line of printable text" if name
                 else "printable text (line breaks and tabs allowed)")
        raise InputError(f"{source}: {var.path} = {show(raw)}: {what}; allowed: {lines} "
                         f"of at most {limit:,} characters")


def _given_allowed(name: str) -> str | None:
    """What a value whose 0 means "not given" allows (:data:`_GIVEN_MIN`,
    :data:`_COASTDOWN_MIN`, the compression ratio), or None for another key: one text for
    a value beyond the registry's range and one between 0 and the floor, so both are the
    same line, ``<field> = <value>: out of range; allowed: 0 (...) or number in [floor,
    upper] <units>`` (two forms before s32g: ``= 5: allowed 0 (...) or 8 to 15`` and
    ``= 20: out of range; allowed: number in [0, 15]``)."""
    if name in _GIVEN_MIN:
        low, unit, meaning = _GIVEN_MIN[name]
    elif name in _COASTDOWN_MIN:
        (low, unit), meaning = (_COASTDOWN_MIN[name],
                                "not given; used only with energy.coastdown.measured = true")
    elif name == "powertrain:ice:compression_ratio":
        low, unit, meaning = _MIN_COMPRESSION_RATIO, "", "class default of powertrain.ice.turbo"
    else:
        return None
    return f"0 ({meaning}) or number in [{low:g}, {reg.get(name).upper:g}]{unit}"


def _coerce(var: reg.Variable, raw: Any, source: str) -> Any:
    def fail(problem: str) -> InputError:
        return InputError(f"{source}: {var.path} = {show(raw)}: {problem}; "
                          f"allowed: {_given_allowed(var.name) or var.range_text()}")

    if var.dtype is bool:
        if not isinstance(raw, bool):
            raise fail("expected true or false")
        return raw
    if var.dtype is str:
        if not isinstance(raw, str):
            raise fail(f"expected a string, got {type(raw).__name__}")
        if var.choices and raw not in var.choices:
            raise fail(f"not a valid choice{did_you_mean(raw, var.choices, 0.4)}")
        _check_text(var, raw, source)
        return raw
    if var.dtype is list:
        if not isinstance(raw, list):
            raise fail(f"expected a list of strings, got {type(raw).__name__}")
        if not raw:
            raise fail("the list is empty")
        if len(raw) > LIST_MAX_ITEMS:
            raise fail(f"{len(raw):,} items")
        for i, item in enumerate(raw):
            if not isinstance(item, str):
                raise fail(f"item {i + 1} ({show(item)}) is not a string")
            if len(item) > LIST_ITEM_MAX or not printable(item):
                what = (f"{len(item):,} characters" if len(item) > LIST_ITEM_MAX
                        else "a control character")
                raise fail(f"item {i + 1} ({show(item)}): {what}")
        return list(raw)
    if var.dtype is tuple:
        return _increasing(var, raw, fail)
    # numbers
    value = _number(var, raw, fail)
    if not math.isfinite(value):
        raise fail("not a finite number")
    if var.dtype is int:
        if value != int(value):
            raise fail("expected an integer")
        value = int(value)
    if (var.lower is not None and value < var.lower) or (
            var.upper is not None and value > var.upper):
        # a quantity string in other units says what it is in the range's: '1905 um'
        # (micrometres) was only "out of range; allowed: number in [1500, 4000] mm"
        # (audit s39c)
        shown = ""
        if isinstance(raw, str) and var.units not in (None, "unitless"):
            given = ku.parse_quantity(raw)[1]   # parsed above: no error here
            shown = f"{value:.6g} {var.units}" if given and given != var.units else ""
        err = fail(f"out of range (it is {shown})" if shown else "out of range")
        raise InputError(f"{err} ({var.range_why})") if var.range_why else err
    return value


def _increasing(var: reg.Variable, raw: Any, fail: Any) -> tuple[float, ...]:
    """A strictly increasing list of numbers (registry ``dtype=tuple``), each a TOML
    number or a quantity string in the variable's units and within its range; ``[]`` is
    the empty default. Its length is a relation to other keys (check_consistency)."""
    if not isinstance(raw, list | tuple):
        raise fail(f"expected a list of numbers, got {type(raw).__name__}")
    if len(raw) > LIST_MAX_ITEMS:
        raise fail(f"{len(raw):,} items, more than {LIST_MAX_ITEMS}")
    out = []
    for i, item in enumerate(raw):
        def item_fail(problem: str, i: int = i, item: Any = item) -> InputError:
            return fail(f"item {i + 1} ({show(item)}): {problem}")

        num = _number(var, item, item_fail)
        if not math.isfinite(num):
            raise item_fail("not a finite number")
        if (var.lower is not None and num < var.lower) or (
                var.upper is not None and num > var.upper):
            raise item_fail("out of range")
        out.append(num)
    for i in range(1, len(out)):
        if out[i] <= out[i - 1]:
            raise fail(f"item {i + 1} ({out[i]:g}) is not above item {i} ({out[i - 1]:g}): "
                       "the list must increase strictly")
    return tuple(out)


def _number(var: reg.Variable, raw: Any, fail: Any) -> float:
    """A number in the variable's units from a TOML number or a quantity string
    (:func:`keidesign.units.parse_quantity`: strict grammar, nothing evaluated)."""
    if isinstance(raw, bool):
        raise fail("expected a number, got a boolean")
    if isinstance(raw, (int, float)):
        if math.isinf(num := toml_float(raw)) and isinstance(raw, int):  # 10**400
            raise fail("not a finite number (too large)")
        return num
    if isinstance(raw, str):
        try:
            num, units = ku.parse_quantity(raw)
        except ku.QuantityUnitsError as exc:
            raise fail(str(exc)) from None
        except ku.UnitsError as exc:
            want = ("expected a number" if var.dtype is int or var.units in (None, "unitless")
                    else f"expected a number or a quantity string like '12.5 {var.units}'")
            raise fail(want if str(exc) == ku.NO_NUMBER else f"{exc}; {want}") from None
        if not units:
            return num
        if var.dtype is int or var.units in (None, "unitless") and units != "unitless":
            raise fail(f"units {units!r} given for a quantity without units")
        try:
            return ku.convert(num, units, var.units)
        except ku.UnitsError:
            raise fail(f"units {units!r} cannot be converted to {var.units!r}"
                       f"{ku.spelling_hint(units)}") from None
    raise fail(f"expected a number, got {type(raw).__name__}")


def check_consistency(v: Mapping[str, Any], source: str = "<values>") -> None:
    """Reject parameter sets that cannot make a vehicle, naming the parameters.

    The relations between values that :func:`design_from_dict` checks after each value's
    own range; public for callers that change values already known to be in range (a
    sweep's cases)."""

    def need(ok: bool, msg: str) -> None:
        if not ok:
            raise InputError(f"{source}: {msg}")

    rear = v["body:length"] - v["body:wheelbase"] - v["body:front_overhang"]
    need(rear >= _MIN_REAR_OVERHANG_MM,
         f"body.length ({v['body:length']:g} mm) - body.wheelbase ({v['body:wheelbase']:g} mm)"
         f" - body.front_overhang ({v['body:front_overhang']:g} mm) leaves a rear overhang of "
         f"{rear:g} mm; allowed: >= {_MIN_REAR_OVERHANG_MM:g} mm")
    for t in ("body:track_front", "body:track_rear"):
        tyre = v["body:tyre_width"]
        need(v[t] + tyre <= v["body:width"],
             f"{t.replace(':', '.')} ({v[t]:g} mm) + body.tyre_width ({tyre:g} mm) exceeds "
             f"body.width ({v['body:width']:g} mm); allowed: track + tyre width <= width")
    need(v["body:hood_height"] < v["body:height"],
         f"body.hood_height ({v['body:hood_height']:g} mm) must be below body.height "
         f"({v['body:height']:g} mm)")
    need(v["body:ground_clearance"] < v["body:hood_height"],
         f"body.ground_clearance ({v['body:ground_clearance']:g} mm) must be below "
         f"body.hood_height ({v['body:hood_height']:g} mm)")
    need(v["crash:front:crush_length"] < v["body:length"] / 2,
         f"crash.front.crush_length ({v['crash:front:crush_length']:g} mm) must be less than "
         f"half of body.length ({v['body:length']:g} mm)")
    if v.get("powertrain:layout", "front") == "front":  # else not in the crush zone
        need(v["powertrain:block_length"] < v["crash:front:crush_length"],
             f"powertrain.block_length ({v['powertrain:block_length']:g} mm) must be shorter "
             f"than crash.front.crush_length ({v['crash:front:crush_length']:g} mm); allowed: "
             "block length < crush length, or powertrain.layout 'rear', 'mid' or "
             "'underfloor' (no block ahead of the dash)")
    # a car's rails run from the crash boxes to the dash (keidesign.crash.structure): a
    # bumper and crash boxes as long as the front gave a negative rail stroke and rail
    # mass, and a verdict on them (review s29d: 400 + 500 mm in an 800 mm front, rail
    # stroke -73 mm, fmvss208.crush_space PASS); a cab-over's boxes are clipped to its horns
    if v.get("body:style") != "truck":
        ahead = v["crash:front:bumper_depth"] + v["crash:front:crash_box_length"]
        need(ahead < v["crash:front:crush_length"],
             f"crash.front.bumper_depth ({v['crash:front:bumper_depth']:g} mm) + "
             f"crash.front.crash_box_length ({v['crash:front:crash_box_length']:g} mm) = "
             f"{ahead:g} mm leaves no front rail within crash.front.crush_length "
             f"({v['crash:front:crush_length']:g} mm, bumper face to dash); allowed: bumper "
             "depth + crash-box length < crush length")
    seats = int(v.get("body:seats", 4))
    couple = float(v.get("body:couple_distance", 850.0))
    if seats <= _FRONT_ROW_SEATS:
        need(couple == 0.0,
             f"body.couple_distance ({couple:g} mm) places a rear row, but body.seats = "
             f"{seats} has the front row only; allowed: 0 (or leave it out) when seats <= "
             f"{_FRONT_ROW_SEATS}")
    else:
        need(couple >= _MIN_COUPLE_MM,
             f"body.couple_distance ({couple:g} mm) is too short for the rear row of "
             f"body.seats = {seats}; allowed: >= {_MIN_COUPLE_MM:g} mm when seats > "
             f"{_FRONT_ROW_SEATS}")
    # a goods vehicle's maximum load is its payload less its rated crew (mass:cargo,
    # keidesign.catalogue.mass.goods_crew; its WLTC test mass carries 28 % of it): a
    # payload below the crew gave a negative load (plausibility sweep, 5 Dec 2026)
    if v.get("body:use") == "goods":
        crew, n_crew = goods_crew_mass(seats), goods_crew(seats)
        pay = float(v.get("mass:payload", 0.0))
        need(pay >= crew,
             f"mass.payload = {pay:g} kg is below the {n_crew} occupants of the maximum-load "
             f"rating of body.use = 'goods' ({n_crew} x {OCCUPANT_MASS_JP_KG:g} kg); allowed: "
             f">= {crew:g} kg (occupants + maximum load), up to 2000 kg")
    # a rated payload below 68 kg a seat cannot be certified (49 CFR 571.110 S3 / S4.3,
    # 567.4(g)(3)); the FMVSS 208 test mass clamped its cargo to 0 (task s28a, 6 Dec 2026)
    pay = float(v.get("mass:payload", reg.get("mass:payload").default))
    floor = min_payload(seats)
    need(pay >= floor,
         f"mass.payload = {pay:g} kg"
         + (" (the registry default: the key is left out or set to it)"
            if pay == reg.get("mass:payload").default else "")
         + f" is below the {seats} designated seating positions of body.seats = {seats} "
         f"({seats} x {SEAT_MASS_KG:g} kg, 49 CFR 571.110 S3 and 567.4(g)(3): the vehicle "
         f"capacity weight holds 68 kg a seat + the rated cargo); allowed: >= {floor:g} kg, "
         "up to 2000 kg")
    for name, (low, unit, _) in _GIVEN_MIN.items():
        x = float(v.get(name, 0.0))
        need(x == 0.0 or x >= low,
             f"{name.replace(':', '.')} = {x:g}{unit}: out of range; allowed: "
             f"{_given_allowed(name)}")
    measured = bool(v.get("energy:coastdown:measured", False))
    for name, (low, unit) in _COASTDOWN_MIN.items():
        x = float(v.get(name, 0.0))
        need(x >= low if measured else (x == 0.0 or x >= low),
             f"{name.replace(':', '.')} = {x:g}{unit}: out of range"
             + (f" with energy.coastdown.measured = true; allowed: number in [{low:g}, "
                f"{reg.get(name).upper:g}]{unit}" if measured else
                f"; allowed: {_given_allowed(name)}"))
    # a staggered car's other axle (s31l): all three or none (0 = not given), each at
    # least the driven tyre's floor (body.tyre_*); was refused only by the model build
    # (keidesign.mass.components.other_axle_tyre), after `keidesign check` passed it
    other = [float(v.get(k, 0.0)) for k in _TYRE_OTHER]
    if any(other):
        names = ", ".join(k.replace(":", ".") for k in _TYRE_OTHER)
        for k, x in zip(_TYRE_OTHER, other, strict=True):
            var, own = reg.get(k), reg.get(_TYRE_OTHER[k])
            unit = f" {var.units}"
            need(x >= own.lower,
                 f"{k.replace(':', '.')} = {x:g}{unit}: a staggered car's other axle needs "
                 f"all three of {names}; allowed: 0 for all three (not given) or "
                 f"{own.lower:g} to {var.upper:g}{unit}")
    cr = float(v.get("powertrain:ice:compression_ratio", 0.0))
    need(cr == 0.0 or cr >= _MIN_COMPRESSION_RATIO,
         f"powertrain.ice.compression_ratio = {cr:g}: out of range; allowed: "
         f"{_given_allowed('powertrain:ice:compression_ratio')}")
    stop_v = float(v.get("powertrain:ice:idle_stop_speed", 0.0))
    need(stop_v == 0.0 or bool(v.get("powertrain:ice:idle_stop", False)),
         f"powertrain.ice.idle_stop_speed = {stop_v:g} km/h without powertrain.ice.idle_stop"
         " = true; allowed: 0 (or leave it out), or 0 to 20 km/h with idle_stop = true")
    # a BEV drives through its single reduction (the energy model has no gearbox for it);
    # another transmission was replaced silently (review of 6 Dec 2026)
    trans = v.get("powertrain:transmission", "cvt")
    need(v.get("powertrain:type") != "bev" or trans == "single_speed",
         f"powertrain.transmission = {trans!r} for powertrain.type = 'bev': the BEV model "
         "drives through one reduction (powertrain.final_drive); allowed: "
         "'single_speed' (or leave it out) for a BEV")
    lockup = v.get("powertrain:converter_lockup", "all")
    if lockup != "all":
        trans = v.get("powertrain:transmission", "cvt")
        what = ("a BEV" if v.get("powertrain:type") == "bev" else "a hybrid"
                if v.get("powertrain:ice:hybrid", "none") != "none" else
                f"powertrain.transmission = {trans!r}")
        need(v.get("powertrain:type") == "ice" and v.get("powertrain:ice:hybrid", "none")
             == "none" and str(trans).startswith("at"),
             f"powertrain.converter_lockup = {lockup!r} for {what}: a torque converter's "
             "lock-up rule; allowed: 'all' (or leave it out) for every design, 'top' or "
             "'none' only for a torque-converter automatic ('at3'..'at10') of an ICE "
             "without hybrid")
    sched = tuple(v.get("powertrain:ice:manual_upshift_mph", ()))
    if sched:
        trans = str(v.get("powertrain:transmission", "cvt"))
        hybrid = v.get("powertrain:ice:hybrid", "none") != "none"
        n_up = _MANUAL_GEARS.get(trans, 0) - 1
        shown = ("[" + ", ".join(f"{s:g}" for s in sched[:8])
                 + (f", ... ({len(sched)} items)]" if len(sched) > 8 else "]"))
        need(not hybrid and n_up > 0,
             f"powertrain.ice.manual_upshift_mph = {shown} for "
             f"{'a hybrid' if hybrid else f'powertrain.transmission = {trans!r}'}: a "
             "driver-shifted manual's upshift speeds; allowed: [] (or leave it out) for "
             "every design, the speeds only for 'mt5' or 'mt6' without hybrid")
        need(len(sched) == n_up,
             f"powertrain.ice.manual_upshift_mph = {shown}: {len(sched)} speed(s) for "
             f"powertrain.transmission = {trans!r}; allowed: {n_up} strictly increasing "
             f"speeds (gears - 1: 1-2 to {n_up}-{n_up + 1}), each {_UPSHIFT_RANGE}")
    vb = float(v.get("powertrain:ice:hev_battery_voltage", 0.0))
    rb = float(v.get("powertrain:ice:hev_battery_resistance", 0.0))
    need((vb == 0.0 and rb == 0.0) or (vb >= _MIN_HEV_PACK_V and rb >= _MIN_HEV_PACK_OHM),
         f"powertrain.ice.hev_battery_voltage = {vb:g} V, hev_battery_resistance = {rb:g} "
         f"ohm: allowed both 0 (the assumed [hev] pack) or a pack of "
         f"{_MIN_HEV_PACK_V:g} to 800 V with {_MIN_HEV_PACK_OHM:g} to 5 ohm")
    rules = v["design:rules"]
    seen: set[str] = set()
    dup = sorted({r for r in rules if r in seen or seen.add(r)})
    need(not dup, f"design.rules lists {dup} more than once")
