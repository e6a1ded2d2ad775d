"""The rows of a rule pack's footprint-target tables, checked when the pack is read.

A CAFE pack's ``[[params.cafe.passenger_car]]`` / ``[[params.cafe.light_truck]]`` rows
(49 CFR 531.5(c) Table 3, 533.5(a) Table 7: ``a``, ``b`` in mpg, ``c`` in gal/mi/ft2,
``d`` in gal/mi; :mod:`keidesign.cafe`) and a GHG pack's ``[[params.ghg.<fleet>]]`` rows
(40 CFR 86.1818-12: ``a``, ``b`` in g/mi, ``c`` in g/mi/ft2, ``d`` in g/mi, ``fp_low``,
``fp_high`` in ft2; :mod:`keidesign.ghg`) hold a ``model_year`` (integer) and those
coefficients; ``status`` (verified, to-check, derived), ``basis``, ``source`` and
``notes`` are optional. Anything else is an unknown key (with the nearest allowed one:
``model_yaer`` -> ``model_year``), and a coefficient must be a bare number inside its
allowed range, so that a typo (``a = 5373`` for 53.73 mpg, ``a = "53.73 mpg"``) is one
error line when the pack is read (``check``, ``rules``), not a failure of ``evaluate``.

The allowed ranges are physical plausibility bands, not regulation: from half the
smallest to twice the largest value of each coefficient in the verified tables of
``keidesign/data/regs`` (49 CFR 531.5(c) Table 3 and 533.5(a) Table 7 MY2021-2031,
40 CFR 86.1818-12 MY2021-2032+, cars and light trucks together; CAFE ``a`` 39.71-74.07
mpg -> [19.855, 148.14] mpg); a signed coefficient (GHG ``d``, -13.1 to 108 g/mi) from
twice its most negative to twice its largest value. Each message names the band and
this basis. The built-in packs' earlier rows (MY2012-2020 Table 3, the derived and
proposed rows) lie inside the bands (``tests/test_rulepacks.py``).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from keidesign.errors import InputError, show
from keidesign.inputfiles import did_you_mean, toml_float

__all__ = ["FLEETS", "KEYS", "OPTIONAL", "check_params", "check_row", "ranges", "spans"]

#: the fleets whose targets a pack's ``[[params.<program>.<fleet>]]`` rows may set
FLEETS = ("passenger_car", "light_truck")
#: the coefficients of a row, by program, with their units
KEYS = {"cafe": {"a": "mpg", "b": "mpg", "c": "gal/mi/ft2", "d": "gal/mi"},
        "ghg": {"a": "g/mi", "b": "g/mi", "c": "g/mi/ft2", "d": "g/mi", "fp_low": "ft2",
                "fp_high": "ft2"}}
#: optional keys of a row
OPTIONAL = ("status", "basis", "source", "notes")
_STATUSES = ("verified", "to-check", "derived")
_SIGNED = {"ghg": ("d",)}
_CSV_COLUMNS = {"fp_low": "fp_low_ft2", "fp_high": "fp_high_ft2"}
_YEARS = (1900, 2200)


@cache
def spans() -> dict[str, dict[str, tuple[float, float]]]:
    """``{program: {coefficient: (smallest, largest)}}`` over the verified tables of
    ``keidesign/data/regs`` (cars and light trucks)."""
    folder = resources.files("keidesign") / "data" / "regs"
    values: dict[str, dict[str, list[float]]] = {p: {k: [] for k in KEYS[p]} for p in KEYS}
    for name in ("us_fe_ghg_targets.csv", "light_truck_targets_added.csv"):
        with (folder / name).open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                program = "cafe" if row["program"].startswith("NHTSA CAFE") else "ghg"
                for k in KEYS[program]:
                    cell = row[_CSV_COLUMNS.get(k, k)]
                    if cell:
                        values[program][k].append(float(cell))
    return {p: {k: (min(v), max(v)) for k, v in cols.items()} for p, cols in values.items()}


def ranges() -> dict[str, dict[str, tuple[float, float]]]:
    """``{program: {coefficient: (low, high)}}``: the allowed band of each coefficient
    (module docstring): half the smallest (twice the most negative) to twice the largest
    value of :func:`spans`."""
    return {p: {k: (2.0 * lo if lo < 0 else 0.5 * lo, 2.0 * hi)
                for k, (lo, hi) in cols.items()} for p, cols in spans().items()}


def _band(program: str, key: str) -> str:
    lo, hi = ranges()[program][key]
    d_lo, d_hi = spans()[program][key]
    law = ("49 CFR 531.5(c) / 533.5(a) tables" if program == "cafe" else
           "40 CFR 86.1818-12 tables")
    sign = "twice the most negative to twice the largest" if d_lo < 0 else \
        "half the smallest to twice the largest"
    return (f"a number in [{lo:.5g}, {hi:.5g}] {KEYS[program][key]} ({sign} value of the "
            f"verified {law} in keidesign/data/regs, which span {d_lo:.5g} to {d_hi:.5g})")


def check_row(where: str, row: Any, program: str) -> None:
    """Raise one :class:`InputError` line (``where.field: value ...; allowed ...``) for
    the first problem of one target row of ``program`` (``cafe`` or ``ghg``)."""
    if not isinstance(row, Mapping):
        raise InputError(f"{where} = {show(row)}: not a table; allowed: a table of "
                         f"model_year, {', '.join(KEYS[program])}")
    keys = KEYS[program]
    allowed = ("model_year", *keys, *OPTIONAL)
    for key in row:
        if key not in allowed:
            shown = key if len(key) <= 40 and key.isprintable() else show(key)
            hint = did_you_mean(key, allowed, 0.6, "did you mean {!r}? ")
            raise InputError(f"{where}.{shown}: unknown key; {hint}allowed keys: "
                             f"{', '.join(allowed)}")
    year = row.get("model_year")
    if isinstance(year, bool) or not isinstance(year, int) or \
            not _YEARS[0] <= year <= _YEARS[1]:
        raise InputError(f"{where}.model_year: {show(year)} is not allowed; allowed: an "
                         f"integer year in [{_YEARS[0]}, {_YEARS[1]}]"
                         + ("" if "model_year" in row else " (missing)"))
    for k in keys:
        v = row.get(k)
        num = toml_float(v)
        lo, hi = ranges()[program][k]
        if not (math.isfinite(num) and lo <= num <= hi):
            what = " (missing)" if k not in row else ""
            raise InputError(f"{where}.{k}: {show(v)}{what} is not allowed; allowed: "
                             f"{_band(program, k)}")
    if program == "ghg" and not row["fp_low"] < row["fp_high"]:
        raise InputError(f"{where}.fp_low: {row['fp_low']!r} is not below fp_high "
                         f"{row['fp_high']!r}; allowed: fp_low < fp_high (ft2)")
    status = row.get("status", "verified")
    if status not in _STATUSES:
        raise InputError(f"{where}.status: {show(status)} is not allowed; allowed: "
                         f"{', '.join(_STATUSES)}")
    for k in ("basis", "source", "notes"):
        if k in row and not isinstance(row[k], str):
            raise InputError(f"{where}.{k}: {show(row[k])} is not allowed; allowed: a string")


def check_params(fname: str, params: Mapping[str, Any]) -> None:
    """Check every ``[[params.cafe.<fleet>]]`` and ``[[params.ghg.<fleet>]]`` row of a
    pack's ``params`` (one :class:`InputError` line naming ``fname``, the field, the value
    and what is allowed)."""
    for program in KEYS:
        section = params.get(program)
        if section is None:
            continue
        if not isinstance(section, Mapping):
            raise InputError(f"{fname}: params.{program} = {show(section)}: not a table; "
                             f"allowed: a table of {' / '.join(FLEETS)} row arrays")
        for fleet in FLEETS:
            if fleet not in section:
                continue
            table = f"params.{program}.{fleet}"
            rows = section[fleet]
            if not isinstance(rows, list):
                raise InputError(f"{fname}: {table} = {show(rows)}: not an array of tables; "
                                 f"allowed: [[{table}]] rows")
            seen: dict[int, int] = {}
            for i, row in enumerate(rows, start=1):
                check_row(f"{fname}: {table}[{i}]", row, program)
                year = row["model_year"]
                if year in seen:
                    raise InputError(f"{fname}: {table}[{i}].model_year: {year} is a "
                                     f"duplicate of {table}[{seen[year]}]; allowed: one row "
                                     "per model year")
                seen[year] = i
