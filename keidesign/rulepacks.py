"""Rule packs: versioned regulatory limits and parameters as TOML data.

A rule pack is one TOML file (``keidesign/rules/<id>.toml`` for the built-in ones)::

    [pack]
    id = "cafe-2024"                  # must equal the file stem
    version = "2024.06"
    title = "..."
    source = "49 CFR 531.5(c) as amended by 89 FR 52540 (24 June 2024)"

    [[constraint]]
    id = "cafe.target"                # unique within the pack, dotted
    quantity = "energy:cafe_mpg"      # a model variable name
    lower = "cafe:target_mpg"         # lower and/or upper: a number or a variable name
    units = "mi/galUS"                # OpenMDAO units of the bound (values are converted)
    source = "49 CFR 531.5(c)"        # required for every constraint
    description = "..."
    status = "to-check"               # optional: verified | to-check | derived
    basis = "..."                     # optional: what the value rests on
    applies_to = ["passenger_car"]    # optional: the federal classes it applies to
    applicability = "49 CFR 581.3"    # (passenger_car, truck, lsv, off_road) and why;
                                      # another class's record is not-applicable

    [params.cafe]                     # parameter tables read by discipline components:
                                      # the names of PARAM_TABLES only (an unknown one
                                      # is refused); what is inside each is its reader's

Packs are data, not code: a user models a proposed rule (e.g. a CAFE rollback) by
copying a pack, changing numbers and dropping the file into a rules folder. Folders are
searched in this order: the ``search_dirs`` given by the caller, each folder of the
``KEIDESIGN_RULES_PATH`` environment variable (``os.pathsep``-separated), ``./rules``
relative to the working directory, then the built-in packs. A path to a ``.toml`` file
is loaded directly.

Every problem in a pack file raises one :class:`~keidesign.errors.InputError` whose
single-line message names the file, the field path (``constraint[3].units``; constraint
indices count from 1 in file order), the bad value and what is allowed.

:func:`evaluate_constraints` turns packs plus model values into margin records.
Violations of kei or FMVSS limits are *results* (``passed = False``), never exceptions.
"""

from __future__ import annotations

import importlib.resources
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from keidesign import units as ku
from keidesign import variables as reg
from keidesign.errors import InputError, plain_cut, show, show_path
from keidesign.inputfiles import did_you_mean, parse_toml, read_text, toml_float
from keidesign.targetrows import check_params

__all__ = [
    "ENV_VAR",
    "PARAM_TABLES",
    "Constraint",
    "RulePack",
    "builtin_dir",
    "class_reason",
    "evaluate_constraints",
    "list_packs",
    "load_pack",
    "looks_like_path",
    "pack_label",
    "pack_records",
    "parse_pack",
    "shadows_builtin",
]

#: Relative tolerance of a verdict: a margin of at least -VERDICT_RTOL x max(|bound|,
#: |value|, 1) passes, so an optimum the optimizer holds on a bound (feasible to its 1e-6
#: relative tolerance, keidesign.studies) is not reported as a failure of 1e-9 mm.
VERDICT_RTOL = 1e-6

#: Environment variable listing extra rule-pack folders (``os.pathsep``-separated).
ENV_VAR = "KEIDESIGN_RULES_PATH"

_TOP_KEYS = ("pack", "constraint", "params")
#: The ``[params.<name>]`` tables a pack may have: those a model reads (``cafe`` and
#: ``ghg``: the target rows, keidesign.targetrows / cafe / ghg; ``pef``: the petroleum
#: equivalency factor, keidesign.label; ``label``: the 5-cycle coefficients,
#: keidesign.label; ``performance``: the gradeability grade, keidesign.energy), then the
#: test-condition tables of the shipped ``fmvss`` and ``kei-japan`` packs (reference data
#: no model reads; a copy of those packs keeps them). Any other name is refused when the
#: pack is read: a misspelt table (``params.cafee``) would otherwise run with the
#: defaults, silently (task s31d).
PARAM_TABLES = ("cafe", "ghg", "pef", "label", "performance",
                "fmvss208", "fmvss214", "fmvss216a", "fmvss301", "part581", "kei")
_PACK_KEYS = ("id", "version", "title", "source", "description", "status", "notes")
_PACK_REQUIRED = ("id", "version", "title", "source")
_CON_KEYS = ("id", "quantity", "lower", "upper", "units", "source", "description",
             "status", "basis", "applies_to", "applicability", "policy")
_CON_REQUIRED = ("id", "quantity", "units", "source")
_STATUSES = ("verified", "to-check", "derived")

# \Z, not $: $ also matches before a final line break, which let an id "lsv.top_speed\n"
# break evaluate's table row in two (s30c)
_PACK_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*\Z")
_CON_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*\Z")
_VAR_NAME = re.compile(r"^[a-z0-9_]+(:[a-z0-9_]+)+\Z")
#: Most characters of a constraint id (the shipped ids have at most 36): an id is a column
#: of `evaluate`'s and `compare`'s tables and part of an output name; one of 300,000
#: characters made rows as long (s30c).
CON_ID_MAX = 100


@dataclass(frozen=True)
class Constraint:
    """One limit of a rule pack on one model quantity.

    Attributes:
        id: dotted id, unique within the pack (``kei.length``).
        quantity: registered variable name the limit applies to (``body:length``); a
            registered quantity no model computes (``keidesign.catalogue.criteria``) is
            reported as "not-modelled".
        units: units of the bound (:mod:`keidesign.units` grammar, canonical text);
            values are converted to these.
        source: legal or technical source (CFR section, statute, standard).
        description: one-line description.
        lower: lower bound: a number (in ``units``), a variable name, or None.
        upper: upper bound: a number (in ``units``), a variable name, or None.
        pack: id of the pack the constraint belongs to.
        status: ``verified`` (number checked against the source), ``to-check``
            (as commonly quoted, not checked against the primary text) or ``derived``
            (a model-based proxy, not a number printed in a regulation).
        basis: free text: what the value rests on.
        applies_to: the federal classes the criterion applies to
            (:data:`keidesign.federal_class.CLASS_KEYS`; empty: every class);
            a design of another class gets the record ``not-applicable`` with
            ``applicability`` (required with it: the rule's own application clause) as
            the reason.
        applicability: the source text of ``applies_to``.
        policy: True for a stated policy threshold, not a criterion of the pack's
            regulation (the ``fmvss`` pack's fleet-compatibility shares,
            ``compat.*.share_above``: "a stated policy threshold, not a regulation"):
            judged and printed like any row, its verdict marked ``(policy)`` and counted
            apart from the regulation's criteria (``keidesign evaluate``'s class line and
            summary line, :func:`keidesign.classification.report.classify_design`).
    """

    id: str
    quantity: str
    units: str
    source: str
    description: str
    lower: float | str | None
    upper: float | str | None
    pack: str
    status: str = "to-check"
    basis: str = ""
    applies_to: tuple[str, ...] = ()
    applicability: str = ""
    policy: bool = False

    @property
    def full_id(self) -> str:
        """``pack:constraint`` id used in result records (``kei-japan:kei.length``)."""
        return f"{self.pack}:{self.id}"


@dataclass(frozen=True)
class RulePack:
    """A validated rule pack.

    Attributes:
        id: pack id (equals the file stem).
        version: version string of the pack data (e.g. the rule's publication month).
        title: human-readable title.
        source: overall legal source of the pack.
        constraints: the pack's constraints in file order.
        params: parameter tables (``[params.<name>]``, a name of :data:`PARAM_TABLES`)
            for discipline components.
        path: file the pack was read from.
    """

    id: str
    version: str
    title: str
    source: str
    constraints: list[Constraint]
    params: dict[str, Any]
    path: Path
    description: str = ""
    notes: str = ""
    status: str = ""

    def constraint(self, cid: str) -> Constraint:
        """Return the constraint with id ``cid`` (``KeyError`` naming it if absent)."""
        for con in self.constraints:
            if con.id == cid:
                return con
        raise KeyError(f"rule pack {self.id!r} has no constraint {cid!r}")


# --------------------------------------------------------------------------- locating


def builtin_dir() -> Path:
    """Folder of the built-in rule packs (``keidesign/rules``, shipped as package data)."""
    return Path(str(importlib.resources.files("keidesign").joinpath("rules")))


def shadows_builtin(pack: RulePack) -> bool:
    """Whether ``pack`` has the id of a built-in pack but was read from another file (a
    ``./rules/fmvss.toml`` in the working folder, a folder of ``--rules-dir`` or
    ``$KEIDESIGN_RULES_PATH``, a path): it replaces the built-in pack of that id. A
    folder from someone else may carry one (with other bounds), so the packs' line of a
    table names its file (:func:`pack_label`; silent before s28d)."""
    builtin = builtin_dir()
    return ((builtin / f"{pack.id}.toml").is_file()
            and Path(pack.path).resolve().parent != builtin.resolve())


#: Most characters of a pack's version shown in a pack's line (:func:`pack_label`; the
#: shipped versions have at most 16): a version is any text, and one of 300,000
#: characters made `evaluate`'s packs line as long (s30c).
VERSION_SHOWN = 40


def pack_label(pack: RulePack) -> str:
    """``<id> <version>`` of a pack, with ``(<file>, not the built-in pack)`` when it
    :func:`shadows_builtin`; the version on one line, cut to :data:`VERSION_SHOWN`
    characters."""
    text = f"{pack.id} {plain_cut(pack.version, VERSION_SHOWN)}"  # a version is any text
    if shadows_builtin(pack):
        text += f" ({show_path(pack.path)}, not the built-in pack)"
    return text


#: Pack ids an unknown-id message lists at most (the nearest id is named first); a
#: working folder's ``./rules/`` of 20,000 files made a 160 kB message before s29a.
LIST_MAX = 40


def _search_path(search_dirs: Iterable[str | Path] = ()) -> list[Path]:
    """The folders searched, in order, each once (a ``$KEIDESIGN_RULES_PATH`` naming one
    folder 50 times globbed it 50 times for every pack looked up before s29a)."""
    dirs = [Path(d) for d in search_dirs]
    env = os.environ.get(ENV_VAR, "")
    dirs += [Path(d) for d in env.split(os.pathsep) if d.strip()]
    dirs.append(Path.cwd() / "rules")
    dirs.append(builtin_dir())
    seen: set[str] = set()
    out = []
    for d in dirs:
        key = os.path.abspath(d)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _available(search_dirs: Iterable[str | Path] = ()) -> dict[str, Path]:
    """Pack id -> file, first folder in the search order wins."""
    found: dict[str, Path] = {}
    for d in _search_path(search_dirs):
        if not d.is_dir():
            continue
        for f in sorted(d.glob("*.toml")):
            found.setdefault(f.stem, f)
    return found


def _find(ref: str, search_dirs: Iterable[str | Path] = ()) -> Path | None:
    """The file of pack id ``ref`` (``<folder>/<ref>.toml`` in the first folder holding
    one, as :func:`_available` finds it), without listing the folders."""
    if not ref or not ref.isprintable():  # no file name of such a pack is globbed either
        return None
    for d in _search_path(search_dirs):
        f = d / f"{ref}.toml"
        if d.is_dir() and os.path.lexists(f):
            return f
    return None


def _listed(ids: Iterable[str]) -> str:
    """At most :data:`LIST_MAX` of ``ids`` that can be pack ids, for a message; a file
    name that cannot be one (a control character, a space) is left out."""
    valid = sorted(i for i in ids if _PACK_ID.match(i))
    text = ", ".join(valid[:LIST_MAX]) or "none"
    if len(valid) > LIST_MAX:
        text += f", ... ({len(valid) - LIST_MAX:,} more)"
    return text


def looks_like_path(ref: str | Path) -> bool:
    """Whether a rule-pack reference is a file path (else a pack id)."""
    if isinstance(ref, Path):
        return True
    return ref.endswith(".toml") or "/" in ref or os.sep in ref


def load_pack(ref: str | Path, search_dirs: Iterable[str | Path] = ()) -> RulePack:
    """Load and validate a rule pack.

    Args:
        ref: a pack id (searched in ``search_dirs``, then ``$KEIDESIGN_RULES_PATH``,
            then ``./rules``, then the built-in packs) or a path to a ``.toml`` file.
        search_dirs: extra folders searched first.

    Raises:
        InputError: unknown id (the message lists the available ones), missing file,
            or any validation error in the file.
    """
    if looks_like_path(ref):
        path = Path(ref)
        return parse_pack(read_text(path, "rule-pack file"), path)
    path = _find(str(ref), search_dirs)
    if path is None:
        available = _available(search_dirs)
        several = "; several packs are separated by spaces, not commas" if "," in ref else ""
        raise InputError(
            f"rule pack {show(ref)}: unknown id{did_you_mean(ref, available)}; available packs: "
            f"{_listed(available)} (or give a path to a .toml file){several}")
    return parse_pack(read_text(path, "rule-pack file"), path)


def list_packs(extra_dirs: Iterable[str | Path] = ()) -> list[RulePack]:
    """Every pack visible from the search path, sorted by id (first folder wins)."""
    return [load_pack(path) for _, path in sorted(_available(extra_dirs).items())]


# --------------------------------------------------------------------------- parsing


def _unknown_key(fname: str, where: str, key: str, allowed: Sequence[str]) -> InputError:
    hint = did_you_mean(key, allowed, 0.5, "did you mean {!r}? ")
    prefix = f"{where}." if where else ""
    shown = key if len(key) <= 40 and key.isprintable() else show(key)
    hint = f"; {hint.strip()}" if hint else ""
    return InputError(f"{fname}: {prefix}{shown}: unknown key{hint}; "
                      f"allowed: {', '.join(allowed)}")


def _check_keys(fname: str, where: str, table: Mapping[str, Any],
                allowed: Sequence[str]) -> None:
    for key in table:
        if key not in allowed:
            raise _unknown_key(fname, where, key, allowed)


def _str_field(fname: str, where: str, table: Mapping[str, Any], key: str,
               required: bool) -> str:
    if key not in table:
        if required:
            raise InputError(f"{fname}: {where}.{key}: missing (required); "
                             "allowed: a non-empty string")
        return ""
    val = table[key]
    if not isinstance(val, str) or (required and not val.strip()):
        raise InputError(f"{fname}: {where}.{key} = {show(val)}: "
                         f"{'empty' if isinstance(val, str) else 'not a string'}; allowed: "
                         f"{'a non-empty string' if required else 'a string'}")
    return val


def _units_field(fname: str, where: str, val: Any) -> str:
    """Canonical units text of ``val`` (parsed by :mod:`keidesign.units`, never evaluated)."""
    try:
        return ku.parse_units(val).text
    except ku.UnitsError as exc:
        raise InputError(
            f"{fname}: {where}.units = {show(val)}: {exc}; allowed: unit names "
            "joined by '*' and '/', with integer powers, e.g. 'mm', 'kN', 'cm**3', "
            "'mi/galUS', 'm/s**2' or 'unitless'") from None


def _registered(fname: str, where: str, name: str) -> reg.Variable:
    """The registered variable ``name``; an unknown name is an error naming the nearest."""
    try:
        return reg.get(name)
    except KeyError:
        hint = did_you_mean(name, [v.name for v in reg.variables()], 0.6, "; did you mean {!r}?")
        raise InputError(f"{fname}: {where} = {show(name)}: not a registered quantity{hint}; "
                         "allowed: a variable of `keidesign variables`") from None


def _numeric(fname: str, where: str, name: str) -> reg.Variable:
    """The registered variable ``name``, which must hold a number (a constraint bounds
    numbers: a text choice such as ``powertrain:bev:motor_type`` has no margin)."""
    var = _registered(fname, where, name)
    if var.dtype in (str, list, tuple):
        kind = f"a text choice ({', '.join(map(repr, var.choices))})" if var.choices \
            else "a list of numbers" if var.dtype is tuple else "text"
        raise InputError(f"{fname}: {where} = {show(name)}: {kind}, not a number; "
                         "allowed: a numeric variable of `keidesign variables`")
    return var


def _bound_field(fname: str, where: str, key: str, val: Any, units: str) -> float | str:
    if isinstance(val, (int, float)) and not isinstance(val, bool):
        if not math.isfinite(num := toml_float(val)):
            raise InputError(f"{fname}: {where}.{key} = {show(val)}: not finite; allowed: "
                             f"a finite number in the constraint's units ({units})")
        return num
    if isinstance(val, str) and _VAR_NAME.match(val):
        var_units = _numeric(fname, f"{where}.{key}", val).units
        if not ku.compatible(var_units or "unitless", units):
            raise InputError(f"{fname}: {where}.{key} = {val!r}: a variable in "
                             f"{var_units or 'unitless'!r}, incompatible with the "
                             f"constraint's units {units!r}; allowed: a number in {units}, "
                             f"or a variable whose units convert to {units!r}")
        return val
    quantity = isinstance(val, str) and any(ch.isdigit() for ch in val)
    raise InputError(f"{fname}: {where}.{key} = {show(val)}: not a number or a variable "
                     f"name{' (a rule pack reads no quantity string)' if quantity else ''}; "
                     f"allowed: a number in the constraint's units ({units}), or a variable "
                     "name such as 'cafe:target_mpg'")


def _within_range(fname: str, where: str, key: str, bound: float | str | None,
                  quantity: str, units: str) -> None:
    """A numeric bound on a quantity with a registered physical range (a design key:
    ``body:length`` [2000, 6000] mm) must lie in it: beyond it the criterion fails every
    design (``upper = -1450`` mm, a sign slip) or binds none (``1e308``); both were taken
    as given before task s35f. Model outputs have no registered range."""
    var = reg.get(quantity)
    if not isinstance(bound, float) or var.lower is None or var.upper is None:
        return
    lo, hi = (ku.convert(x, var.units or "unitless", units) for x in (var.lower, var.upper))
    tol = 1e-12 * max(abs(lo), abs(hi))       # the unit conversion's round-off
    if not lo - tol <= bound <= hi + tol:
        raise InputError(f"{fname}: {where}.{key} = {bound:g}: outside the physically "
                         f"possible range of {quantity}; allowed: a number in "
                         f"[{lo:.4g}, {hi:.4g}] {units}")


def _parse_constraint(fname: str, i: int, raw: Any, pack_id: str) -> Constraint:
    where = f"constraint[{i}]"
    if not isinstance(raw, Mapping):
        raise InputError(f"{fname}: {where} = {show(raw)}: not a table; allowed: a table "
                         "([[constraint]])")
    if isinstance(raw.get("id"), str):
        where_id = f"{where} (id {show(raw['id'])})"
    else:
        where_id = where
    _check_keys(fname, where_id, raw, _CON_KEYS)
    cid = _str_field(fname, where_id, raw, "id", True)
    if not _CON_ID.match(cid):
        raise InputError(f"{fname}: {where}.id = {show(cid)}: not a dotted lower-case id; "
                         "allowed: lower-case letters, digits and '_', in parts joined by "
                         "'.', such as 'kei.length'")
    if len(cid) > CON_ID_MAX:
        raise InputError(f"{fname}: {where}.id = {show(cid)}: {len(cid):,} characters; "
                         f"allowed: at most {CON_ID_MAX}")
    quantity = _str_field(fname, where_id, raw, "quantity", True)
    if not _VAR_NAME.match(quantity):
        raise InputError(f"{fname}: {where_id}.quantity = {show(quantity)}: not a variable "
                         "name; allowed: a colon-separated variable name such as "
                         "'body:length' (`keidesign variables`)")
    source = _str_field(fname, where_id, raw, "source", True)
    if "units" not in raw:
        raise InputError(f"{fname}: {where_id}.units: missing (required); allowed: an "
                         "OpenMDAO unit string, 'unitless' for none")
    units = _units_field(fname, where_id, raw["units"])
    var_units = _numeric(fname, f"{where_id}.quantity", quantity).units or "unitless"
    if not ku.compatible(var_units, units):
        raise InputError(f"{fname}: {where_id}.units = {units!r}: incompatible with the "
                         f"units {var_units!r} of quantity {quantity!r}; allowed: units "
                         f"that convert to {var_units!r}")
    if "lower" not in raw and "upper" not in raw:
        raise InputError(f"{fname}: {where_id}: neither lower nor upper is given; "
                         "allowed: lower = ... and/or upper = ...")
    lower = _bound_field(fname, where_id, "lower", raw["lower"], units) \
        if "lower" in raw else None
    upper = _bound_field(fname, where_id, "upper", raw["upper"], units) \
        if "upper" in raw else None
    if isinstance(lower, float) and isinstance(upper, float) and lower > upper:
        raise InputError(f"{fname}: {where_id}.lower = {lower:g}: above upper = "
                         f"{upper:g}; allowed: a lower bound at most the upper")
    for key, bound in (("lower", lower), ("upper", upper)):
        _within_range(fname, where_id, key, bound, quantity, units)
    status = _str_field(fname, where_id, raw, "status", False) or "to-check"
    if status not in _STATUSES:
        raise InputError(f"{fname}: {where_id}.status = {show(status)}: unknown status"
                         f"{did_you_mean(str(status), _STATUSES, 0.6, '; did you mean {!r}?')}; "
                         f"allowed: {', '.join(_STATUSES)}")
    applies_to = _applies_to(fname, where_id, raw)
    policy = raw.get("policy", False)
    if not isinstance(policy, bool):
        raise InputError(f"{fname}: {where_id}.policy = {show(policy)}: not a boolean; "
                         "allowed: true (a stated policy threshold, not a regulation) or "
                         "false (the default)")
    return Constraint(
        id=cid, quantity=quantity, units=units, source=source,
        description=_str_field(fname, where_id, raw, "description", False),
        lower=lower, upper=upper, pack=pack_id, status=status,
        basis=_str_field(fname, where_id, raw, "basis", False), applies_to=applies_to,
        applicability=_str_field(fname, where_id, raw, "applicability", bool(applies_to)),
        policy=policy)


def _applies_to(fname: str, where: str, raw: Mapping[str, Any]) -> tuple[str, ...]:
    """A constraint's ``applies_to``: a non-empty list of distinct federal class keys."""
    from keidesign.federal_class import CLASS_KEYS

    if "applies_to" not in raw:
        if "applicability" in raw:
            raise InputError(f"{fname}: {where}.applicability = "
                             f"{show(raw['applicability'])}: given without applies_to; "
                             f"allowed: only with applies_to (a list of "
                             f"{', '.join(CLASS_KEYS)})")
        return ()
    val = raw["applies_to"]
    unknown = [v for v in val if v not in CLASS_KEYS] if isinstance(val, list) else []
    problem = ("not a list" if not isinstance(val, list) else "empty" if not val
               else f"unknown class key {show(unknown[0])}"
               f"{did_you_mean(str(unknown[0]), CLASS_KEYS, 0.6, '; did you mean {!r}?')}"
               if unknown
               else "a class key given twice" if len(set(val)) != len(val) else "")
    if problem:
        raise InputError(f"{fname}: {where}.applies_to = {show(val)}: {problem}; allowed: "
                         f"a non-empty list of distinct class keys from "
                         f"{', '.join(CLASS_KEYS)}")
    return tuple(val)


#: what a class left out of a criterion is held to instead, first in the reason (the
#: table's column shows the reason's start): an LSV's one standard is FMVSS 500 (49 CFR
#: 571.500 S5: equipment and a speed of at most 25 mph, no crash test); below the LSV band
#: a design is no motor vehicle (49 CFR 571.3), so no FMVSS
CLASS_INSTEAD = {"lsv": "LSV: FMVSS 500 (49 CFR 571.500) instead",
                 "off_road": "not a motor vehicle (top speed at most 20 mph): no FMVSS"}


def class_reason(con: Constraint, class_key: str, class_name: str) -> str:
    """Why ``con`` does not apply to a design of federal class ``class_key`` (named
    ``class_name``), ``""`` when it does (its ``applies_to`` is empty or holds the class);
    led by what the class is held to instead (:data:`CLASS_INSTEAD`), when there is."""
    if not con.applies_to or class_key in con.applies_to:
        return ""
    instead = f"{CLASS_INSTEAD[class_key]}; " if class_key in CLASS_INSTEAD else ""
    return (f"{instead}applies to "
            f"{' and '.join(k.replace('_', ' ') for k in con.applies_to)} only "
            f"({con.applicability}); this design is a {class_name}")


def parse_pack(text: str | bytes, path: str | Path = "<string>") -> RulePack:
    """Validate rule-pack TOML ``text`` read from ``path`` (used in messages)."""
    fname = str(path)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{fname}: not UTF-8 text (byte {exc.start}); allowed: a "
                             "UTF-8 TOML file") from None
    data = parse_toml(text, fname)
    _check_keys(fname, "", data, _TOP_KEYS)
    if "pack" not in data or not isinstance(data["pack"], Mapping):
        raise InputError(f"{fname}: pack: missing (required); allowed: a [pack] table "
                         f"with {', '.join(_PACK_REQUIRED)}")
    head = data["pack"]
    _check_keys(fname, "pack", head, _PACK_KEYS)
    fields = {k: _str_field(fname, "pack", head, k, k in _PACK_REQUIRED)
              for k in _PACK_KEYS}
    pack_id = fields["id"]
    if not _PACK_ID.match(pack_id):
        raise InputError(f"{fname}: pack.id = {show(pack_id)}: not a pack id; allowed: "
                         "lower-case letters, digits, '-', '_' or '.', starting with a "
                         "letter or digit")
    stem = Path(fname).stem
    if fname != "<string>" and pack_id != stem:
        raise InputError(f"{fname}: pack.id = {show(pack_id)}: differs from the file name; "
                         f"allowed: the file stem {stem!r}")
    raw_cons = data.get("constraint", [])
    if not isinstance(raw_cons, list):
        raise InputError(f"{fname}: constraint = {show(raw_cons)}: not an array of tables; "
                         "allowed: an array of tables ([[constraint]])")
    constraints = [_parse_constraint(fname, i, raw, pack_id)
                   for i, raw in enumerate(raw_cons, start=1)]
    seen: dict[str, int] = {}
    for i, con in enumerate(constraints, start=1):
        if con.id in seen:
            raise InputError(f"{fname}: constraint[{i}].id = {con.id!r}: the id of "
                             f"constraint[{seen[con.id]}] too; allowed: an id used once in "
                             "the pack")
        seen[con.id] = i
    # a constraint with both bounds records '<id>.lower' and '<id>.upper'
    # (pack_records): another constraint of that id was a second row of one record id in
    # evaluate's table, and one of the two bounds dropped unsaid in a study (audit s39c)
    for i, con in enumerate(constraints, start=1):
        if con.lower is not None and con.upper is not None:
            for kind in ("lower", "upper"):
                if (j := seen.get(f"{con.id}.{kind}")) is not None:
                    raise InputError(
                        f"{fname}: constraint[{j}].id = {con.id + '.' + kind!r}: the record "
                        f"id of constraint[{i}]'s {kind} bound (id {con.id!r}, two bounds); "
                        "allowed: an id that is not another constraint's id + '.lower' or "
                        "'.upper'")
    params = data.get("params", {})
    if not isinstance(params, Mapping):
        raise InputError(f"{fname}: params = {show(params)}: not a table; allowed: a table "
                         "([params])")
    _check_keys(fname, "params", params, PARAM_TABLES)
    check_params(fname, params)  # the CAFE / GHG target rows (keidesign.targetrows)
    if "label" in params:  # imported here: the label module loads the model's components
        from keidesign.label import check_label_params

        check_label_params(fname, params)
    return RulePack(id=pack_id, version=fields["version"], title=fields["title"],
                    source=fields["source"], constraints=constraints, params=dict(params),
                    path=Path(path), description=fields["description"],
                    notes=fields["notes"], status=fields["status"])


# --------------------------------------------------------------------------- evaluation


def _convert(con: Constraint, what: str, val: float, units: str | None) -> float:
    """Convert ``val`` in ``units`` to the constraint units (None: already in them)."""
    if units is None or units == con.units:
        return float(val)
    if not ku.compatible(units, con.units):
        raise InputError(f"rule pack {con.pack!r}: constraint {con.id!r}: {what} units = "
                         f"{units!r}: incompatible with the constraint units {con.units!r}; "
                         f"allowed: units that convert to {con.units!r}")
    return float(ku.convert(float(val), units, con.units))


def _scalar(val: Any) -> float:
    arr = np.asarray(val, dtype=float)
    if arr.size != 1:
        raise ValueError(f"expected a scalar value, got shape {arr.shape}")
    return float(arr.reshape(-1)[0])


def _record(con: Constraint, kind: str, suffix: str, bound_spec: float | str,
            values: Mapping[str, tuple[float, str | None]]) -> dict[str, Any]:
    value: float | None = None
    bound: float | None = None
    modelled = True
    if isinstance(bound_spec, str):
        if bound_spec in values:
            b, bu = values[bound_spec]
            bound = _convert(con, f"bound {bound_spec!r}", _scalar(b), bu)
        else:
            modelled = False
    else:
        bound = bound_spec
    if con.quantity in values:
        v, vu = values[con.quantity]
        value = _convert(con, f"quantity {con.quantity!r}", _scalar(v), vu)
    else:
        modelled = False
    margin: float | None = None
    passed: bool | None = None
    if modelled and value is not None and bound is not None:
        margin = bound - value if kind == "upper" else value - bound
        passed = bool(margin >= -VERDICT_RTOL * max(abs(bound), abs(value), 1.0))
    return {
        "id": con.full_id + suffix,
        "value": value if modelled else None,
        "bound": bound,
        "units": con.units,
        "margin": margin,
        "passed": passed,
        "source": con.source,
        "quantity": con.quantity,
        "kind": kind,
        "pack": con.pack,
        "description": con.description,
        "status": "evaluated" if modelled else "not-modelled",
        "verification": con.status,
        "policy": con.policy,
    }


def evaluate_constraints(
    packs: RulePack | Iterable[RulePack],
    values: Mapping[str, tuple[float, str | None]],
) -> list[dict[str, Any]]:
    """Evaluate every constraint of ``packs`` against model ``values``.

    Args:
        packs: one pack or several.
        values: variable name -> ``(value, units)``; ``units=None`` means the value is
            already in the constraint's units.

    Returns:
        One record per bound, in pack and file order. Keys, in this order: ``id``
        (``pack:constraint``, suffixed ``.lower``/``.upper`` when a constraint has
        both bounds), ``value`` and ``bound`` (in ``units``), ``units``, ``margin``
        (``bound - value`` for an upper bound, ``value - bound`` for a lower bound;
        positive passes), ``passed``, ``source``; then ``quantity``, ``kind``
        (``upper``/``lower``), ``pack``, ``description``, ``status`` (``evaluated`` or
        ``not-modelled``: the (registered) quantity or bound variable is not in ``values``; value,
        margin and passed are then None, the bound is still given when it is a number),
        ``verification`` (the constraint's ``status`` in the pack) and ``policy``
        (True for a stated policy threshold, not a regulation: :attr:`Constraint.policy`).

    Raises:
        InputError: a value's units are incompatible with the constraint units.
    """
    if isinstance(packs, RulePack):
        packs = [packs]
    return [_record(con, kind, rid[len(con.full_id):],
                    con.lower if kind == "lower" else con.upper, values)
            for rid, con, kind in pack_records(packs)]


def pack_records(packs: Iterable[RulePack]) -> list[tuple[str, Constraint, str]]:
    """Every record ``(record id, constraint, kind)`` of ``packs``, in the order of
    :func:`evaluate_constraints`: one per bound, the id suffixed ``.lower``/``.upper``
    when the constraint has both."""
    out = []
    for pack in packs:
        for con in pack.constraints:
            both = con.lower is not None and con.upper is not None
            if con.lower is not None:
                out.append((con.full_id + (".lower" if both else ""), con, "lower"))
            if con.upper is not None:
                out.append((con.full_id + (".upper" if both else ""), con, "upper"))
    return out

