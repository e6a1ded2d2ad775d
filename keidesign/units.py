"""Units written by users: a strict grammar, parsed without evaluating anything.

Design files (``"1790 mm"``), rule packs (``units = "mi/galUS"``) and study files
(bounds, ``--set``, ``[derived]`` units) come from other people. OpenMDAO's own unit
parser hands a unit string to Python's ``eval``; ``{'__builtins__': None}`` is no
sandbox, and ``"9**9**9"`` never returns. So every unit string a user writes is parsed
here, by a tokenizer and a grammar that only *look up* names, and OpenMDAO only ever
receives strings this module produced (:attr:`Units.text`, rebuilt from the tokens) or
the project's registered units.

Grammar (whitespace between tokens is ignored)::

    units   := first (("*" | "/") factor)*
    first   := factor | "1"            # "1/s": a leading 1 only as a numerator
    factor  := NAME ("**" POWER)?
    NAME    := [A-Za-z][A-Za-z0-9_]{0,15}   a unit of OpenMDAO's table, optionally
                                            with an SI/binary prefix ("mm", "kN", "MPa"),
                                            or an alias of :data:`ALIASES` ("mph")
    POWER   := "-"? [1-9]                 # an integer power, |power| <= 9

No brackets, quotes, dots, attribute access, function calls or numbers other than the
powers and the leading ``1``; at most :data:`MAX_LEN` characters and
:data:`MAX_FACTORS` factors. The unit objects are OpenMDAO's ``PhysicalUnit`` (the same
table, factors and offsets as every OpenMDAO conversion), combined by their own ``*``,
``/`` and ``**`` operators, so a value converted here equals one OpenMDAO converts.
Temperatures with an offset (``degC``, ``degF``) are allowed alone, not in products.

An alias is a name users write that OpenMDAO's table lacks or reads as another unit:
``mph`` is miles per hour here (OpenMDAO 3.45's table has no ``mph``; its parser reads the
string as milli-phot, ``m`` + ``ph``, an illuminance). The alias is expanded into its
table units at this parse boundary (``mph**p`` under ``*`` -> ``mi**p / h**p``, under
``/`` -> ``/ mi**p * h**p``), so the canonical text OpenMDAO receives is ``mi/h`` and
OpenMDAO's own table and unit handling are untouched.
"""

from __future__ import annotations

import configparser
import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from openmdao.utils import units as _om_units

__all__ = [
    "MAX_FACTORS",
    "MAX_LEN",
    "ALIASES",
    "Units",
    "NO_NUMBER",
    "QuantityUnitsError",
    "UnitsError",
    "compatible",
    "convert",
    "conversion",
    "parse_quantity",
    "parse_units",
    "spelling_hint",
]

#: Longest unit string accepted (characters).
MAX_LEN = 64
#: Most factors (names) in one unit string.
MAX_FACTORS = 8
#: Largest absolute integer power.
MAX_POWER = 9
#: Longest quantity string (number and units) accepted, characters.
MAX_QUANTITY_LEN = 96

_TOKEN = re.compile(r"\s*(?:(?P<pow>\*\*)|(?P<op>[*/])|(?P<name>[A-Za-z][A-Za-z0-9_]{0,15}"
                    r"(?![A-Za-z0-9_]))|(?P<int>-?[0-9]+))")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]{1,4})?")


class UnitsError(ValueError):
    """A unit string outside the grammar, or an unknown unit name (message: the reason)."""


#: :func:`parse_quantity`'s reason for a string that does not start with a number.
NO_NUMBER = "no number at its start"


class QuantityUnitsError(UnitsError):
    """A quantity string whose number reads but whose units do not (message: the reason,
    naming the units once)."""


_METRIC_HP = ("is read as peta-siemens (PS) or picoseconds (ps); a catalogue's metric "
              "horsepower goes in as kW: 1 PS = 0.7355 kW (735.49875 W, DIN 66036)")
_KGF = ("is no unit here; 1 kgf = 9.807 N (standard gravity 9.80665 m/s**2): give "
        "torque in N*m, force in N")
#: Catalogue spellings OpenMDAO's table lacks or reads as another unit, and what to write.
SPELLINGS = {
    "PS": _METRIC_HP, "ps": _METRIC_HP, "kgm": _KGF, "kgf": _KGF, "kgfm": _KGF,
    "kph": "is not km/h here: write 'km/h'",
    **{name: "is not km/h here: write 'km/h' ('mph' is miles per hour)"
       for name in ("kmph", "KPH", "Kph", "KMH", "Kmh")},
    "MPH": "is no unit here: write 'mph' or 'mi/h'",
    "Mph": "is read as mega-phot here: write 'mph' or 'mi/h'",
    "NM": "is read as nautical miles here: a torque is written 'N*m'",
    **{name: f"is no unit here: write {fix!r}" for name, fix in (
        ("kWh", "kW*h"), ("Wh", "W*h"), ("Nm", "N*m"), ("lbft", "lbf*ft"), ("cc", "cm**3"),
        ("cm3", "cm**3"), ("l", "L"), ("bhp", "hp"), ("lbs", "lb"), ("in", "inch"),
        ("mpg", "mi/galUS"), ("MPG", "mi/galUS"), ("kmh", "km/h"), ("mile", "mi"),
        ("miles", "mi"), ("MWh", "MW*h"), ("GWh", "GW*h"))},
}


#: Names users write for a ratio of two table units, read as that ratio (numerator,
#: denominator): ``mph`` = ``mi/h`` (a US spec sheet's and an owner's manual's speeds;
#: OpenMDAO's parser would read milli-phot). Expanded by :func:`parse_units`.
ALIASES = {"mph": ("mi", "h")}


#: A US spec sheet's pound-foot of torque: ``lb-ft``, ``lb ft``, ``lb*ft`` (a pound is a
#: mass here), ``ft-lb``, ``lbs-ft``, ``lb.ft`` (the absent_families pass, 4 Dec 2026).
_POUND_FOOT = re.compile(r"(lbs?|lbf)\s*[-*. ]?\s*ft|ft\s*[-*. ]?\s*(lbs?|lbf)", re.I)


def spelling_hint(text: str | None) -> str:
    """``"; 'PS' is read as ..."`` for the first name in the unit string ``text`` that
    :data:`SPELLINGS` lists (a catalogue spelling), a pound-foot spelled as a spec sheet
    spells it (``lb-ft``), else ``""``."""
    if text and _POUND_FOOT.fullmatch(text.strip()):
        return "; a torque in pound-feet is written 'lbf*ft'"
    for name in re.findall(r"[A-Za-z][A-Za-z0-9_]*", text or ""):
        if name in SPELLINGS:
            return f"; {name!r} {SPELLINGS[name]}"
        folded = {k.casefold(): k for k in sorted(SPELLINGS, reverse=True)}
        if name.casefold() in folded and name not in _library_names():
            # 'kwh', 'NM', 'CC': a catalogue spelling in another case (s37d)
            return f"; {name!r} {SPELLINGS[folded[name.casefold()]]}"
    return ""


@dataclass(frozen=True)
class Units:
    """Parsed units: canonical ``text`` (OpenMDAO syntax, rebuilt from the tokens) and
    the OpenMDAO ``PhysicalUnit`` it denotes."""

    text: str
    unit: _om_units.PhysicalUnit

    @property
    def dimensionless(self) -> bool:
        return bool(self.unit.is_dimensionless())


def _table() -> tuple[dict, dict]:
    """OpenMDAO's unit table and prefixes (the data its parser evaluates names in)."""
    lib = _om_units._UNIT_LIB
    return lib.unit_table, lib.prefixes


@functools.cache
def _library_names() -> frozenset[str]:
    """The unit names OpenMDAO's library file defines (``unit_library.ini``: its
    ``[units]`` names and ``[base_units]`` values; read as data, never evaluated).
    OpenMDAO adds each prefixed name it meets (``mm``, ``kN``) to its unit table, so the
    table alone would accept ``mmm`` (milli-millimetre) once a model had used ``mm``."""
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.optionxform = str  # type: ignore[assignment,method-assign]  # case-sensitive
    cfg.read(Path(_om_units.__file__).with_name("unit_library.ini"), encoding="utf-8")
    names = set(cfg["units"]) | set(cfg["base_units"].values())
    table, _ = _table()
    return frozenset(n for n in names if isinstance(table.get(n), _om_units.PhysicalUnit))


def _lookup(name: str) -> _om_units.PhysicalUnit:
    """A unit name of OpenMDAO's library, or a prefix plus such a name (OpenMDAO's rule;
    not a prefix plus a prefixed name, whatever OpenMDAO's table has cached)."""
    table, prefixes = _table()
    library = _library_names()
    unit = table.get(name)
    if name in library and isinstance(unit, _om_units.PhysicalUnit):
        return unit
    for n in (1, 2):
        pre, base = name[:n], name[n:]
        if pre in prefixes and base in library and isinstance(table.get(base),
                                                              _om_units.PhysicalUnit):
            unit = table[base]
            if unit._offset:
                break
            return prefixes[pre] * unit
    raise UnitsError(f"unknown unit name {name!r}{spelling_hint(name) or _near_name(name)}")


def _near_name(name: str) -> str:
    """``"; did you mean 'inch'?"`` for a near spelling of a unit name (``inchs``,
    ``mmm``: the table's names and the prefixed short ones such as ``mm``, ``kN``), else
    ``""``. A name that is a unit name in another case (``Kg``, ``KG``, ``Kw``) is told
    the name(s) in the right case first: ``"810 Kg"`` was offered ``'Kig'`` (kibigram)
    and ``"810 KG"`` nothing (new-user pass s37d)."""
    _, prefixes = _table()
    names = sorted(_library_names())
    names += [p + b for p in prefixes for b in names if len(b) <= 2]
    folded = name.casefold()
    same = sorted({n for n in names if n.casefold() == folded and n != name})[:3]
    if name.lower() in same:       # 'MM' is 'mm' (rather than megametre 'Mm')
        same = [name.lower()]
    if same:
        return (f"; did you mean {' or '.join(map(repr, same))}? (unit names are "
                "case-sensitive)")
    near = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
    return f"; did you mean {near[0]!r}?" if near else ""


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    stripped = text.rstrip()
    while pos < len(stripped):
        m = _TOKEN.match(stripped, pos)
        if not m or m.end() == pos:
            bad = stripped[pos:].lstrip()[:12]
            raise UnitsError(f"unexpected {bad!r} (only unit names, '*', '/' and integer "
                             f"powers '**n' with |n| <= {MAX_POWER} are allowed)")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def parse_units(text: str) -> Units:
    """Parse a unit string of the grammar above.

    Raises:
        UnitsError: not a string (any value from an input file: "expected a string, got
            list"), or the string is empty, too long, outside the grammar, or names an
            unknown unit; the message says which.
    """
    if not isinstance(text, str):  # before the cache: a list or table is unhashable
        raise UnitsError(f"expected a string, got {type(text).__name__}")
    return _parse_units(text)


@functools.lru_cache(maxsize=1024)
def _parse_units(text: str) -> Units:
    """:func:`parse_units` of a string (cached)."""
    if len(text) > MAX_LEN:
        raise UnitsError(f"longer than {MAX_LEN} characters")
    toks = _tokens(text)
    if not toks:
        raise UnitsError("empty unit string")
    factors: list[tuple[str, str, int]] = []  # (operator, name, power), aliases expanded
    parts: list[str] = []
    aliased = any(kind == "name" and val in ALIASES for kind, val in toks)
    i, op = 0, "*"
    if toks[0] == ("int", "1") and len(toks) > 1 and toks[1] == ("op", "/"):
        parts.append("1")
        i = 1
    else:
        toks = [("op", "*"), *toks]
    while i < len(toks):
        kind, val = toks[i]
        if kind != "op":
            raise UnitsError(f"expected '*' or '/' before {val!r}")
        op = val
        if i + 1 >= len(toks):
            raise UnitsError("ends with an operator")
        kind, name = toks[i + 1]
        if kind != "name":
            raise UnitsError(f"expected a unit name, got {name!r}")
        power = 1
        i += 2
        if i < len(toks) and toks[i][0] == "pow":
            if i + 1 >= len(toks) or toks[i + 1][0] != "int":
                raise UnitsError("'**' must be followed by an integer power")
            p = toks[i + 1][1]
            if len(p.lstrip("-")) > 1 or int(p) == 0:
                raise UnitsError(f"power {p} not allowed (an integer from -{MAX_POWER} "
                                 f"to {MAX_POWER}, not 0)")
            power = int(p)
            i += 2
        if name in ALIASES:  # mph**p: mi**p over h**p, under the factor's operator
            num, den = ALIASES[name]
            expanded = [(op, num), ("/" if op == "*" else "*", den)]
        else:
            expanded = [(op, name)]
        for f_op, f_name in expanded:
            factors.append((f_op, f_name, power))
            if parts:
                parts.append(f_op)
            parts.append(f_name if power == 1 else f"{f_name}**{power}")
        if len(factors) > MAX_FACTORS:  # the canonical text's names: it parses again
            raise UnitsError(f"more than {MAX_FACTORS} unit names"
                             + (" ('mph' counts two: mi/h)" if aliased else ""))
    if len("".join(parts)) > MAX_LEN:
        raise UnitsError(f"longer than {MAX_LEN} characters once 'mph' is written 'mi/h'")
    unit = None
    try:
        for op, name, power in factors:
            f = _lookup(name)
            f = f ** power if power != 1 else f
            if unit is None:
                unit = f if op == "*" else f ** -1
            else:
                unit = unit * f if op == "*" else unit / f
    except TypeError:
        raise UnitsError("a temperature with an offset (degC, degF) cannot be "
                         "multiplied, divided or raised to a power") from None
    assert unit is not None
    return Units("".join(parts), unit)


def _resolve(units: str | None) -> Units | None:
    if units is None or units == "unitless":
        return None
    return parse_units(units)


def compatible(a: str | None, b: str | None) -> bool:
    """Whether values in ``a`` can be converted to ``b`` (``None``/``unitless`` only to
    each other)."""
    ua, ub = _resolve(a), _resolve(b)
    if ua is None or ub is None:
        return ua is None and ub is None
    return bool(ua.unit.is_compatible(ub.unit))


def conversion(frm: str | None, to: str | None) -> tuple[float, float]:
    """``(factor, offset)`` with ``value_to = (value_frm + offset) * factor``.

    Raises:
        UnitsError: a string outside the grammar, or incompatible units.
    """
    ua, ub = _resolve(frm), _resolve(to)
    if ua is None or ub is None:
        if ua is None and ub is None:
            return 1.0, 0.0
        raise UnitsError(f"{frm!r} cannot be converted to {to!r}")
    if not ua.unit.is_compatible(ub.unit):
        raise UnitsError(f"{ua.text!r} cannot be converted to {ub.text!r}")
    factor, offset = ua.unit.conversion_tuple_to(ub.unit)
    return float(factor), float(offset)


def convert(value: float, frm: str | None, to: str | None) -> float:
    """``value`` in ``frm`` converted to ``to`` (both parsed by :func:`parse_units`)."""
    if frm == to:
        return value
    factor, offset = conversion(frm, to)
    return (value + offset) * factor


_GROUPS = re.compile(r"(?:,[0-9]{3})+(?![0-9])")


def _comma_reason(number: str, rest: str) -> str:
    """Why ``number`` (digits) + ``rest`` (``,`` and a digit first) is refused: a
    comma is neither a digit-grouping separator nor a decimal comma here (``"3,317 lb"``
    of a US sheet, ``"1,5 L"`` of a European one would otherwise read either way); the
    reason names the number to write instead."""
    groups = _GROUPS.match(rest)
    if groups:
        fix = number + groups.group(0).replace(",", "")
        shown = number + groups.group(0)
        how = "thousands"
    else:
        digits = re.match(r",[0-9]+", rest).group(0)
        fix = number + "." + digits[1:]
        shown = number + digits
        how = "decimal"
    return (f"{shown!r}: a comma is read neither as a thousands separator nor as a "
            f"decimal comma; write {fix} (if the comma is a {how} separator)")


def parse_quantity(text: str) -> tuple[float, str | None]:
    """Split ``"3.395 m"`` into ``(3.395, "m")`` (units canonical) or ``"12"`` into
    ``(12.0, None)``.

    The number is a plain decimal (optional sign, point, exponent of at most four
    digits: no underscores, no hexadecimal); the rest must be a unit string of the
    grammar. A number too large for a float gives ``inf`` (the caller's range check
    reports it).

    Raises:
        UnitsError: the reason (no number first, bad units, too long).
    """
    if len(text) > MAX_QUANTITY_LEN:
        raise UnitsError(f"longer than {MAX_QUANTITY_LEN} characters")
    s = text.strip()
    m = _NUMBER.match(s)
    if not m:
        raise UnitsError(NO_NUMBER)
    num = float(m.group(0))
    rest = s[m.end():]
    if not rest.strip():
        return num, None
    if rest[0] == "," and rest[1:2].isdigit() and s[:m.end()].lstrip("+-").isdigit():
        raise UnitsError(_comma_reason(s[:m.end()], rest))
    if not rest[0].isspace() and not rest[0].isalpha():
        raise UnitsError(f"unexpected {rest[:12]!r} after the number")
    units = rest.strip()
    try:
        return num, parse_units(units).text
    except UnitsError as exc:
        if str(exc).startswith(f"unknown unit name {units!r}"):  # names the whole string
            raise QuantityUnitsError(str(exc)) from None
        shown = units if len(units) <= 24 else units[:21] + "..."
        hint = spelling_hint(units) if _POUND_FOOT.fullmatch(units) else ""
        raise QuantityUnitsError(f"units {shown!r}: {exc}{hint}") from None
