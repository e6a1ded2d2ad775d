"""TOML writing: :mod:`tomlkit` plus the policy of the files keidesign writes.

Every TOML file the tool writes (design files of ``keidesign import`` and of an optimum,
``energy/calibration.toml``, ``data/crash/occupant_fit.toml``) is a tomlkit document.
tomlkit writes strings as TOML basic strings with quotes, backslashes and control
characters escaped, floats by ``repr`` (exact: tomllib reads back the same float), and
keeps comments and the order of keys and tables. This module adds what tomlkit leaves to
its caller:

* :func:`value`: a value as the file holds it: a float rounded to ``digits`` significant
  digits for files people read (``None``: exact), an integer-valued float written as an
  integer if asked, NaN and infinities refused (``ValueError``);
* :func:`comment` and :func:`commented`: comment text on one line, control characters
  (which TOML forbids in comments and tomlkit writes verbatim) as spaces; a trailing
  comment at a given column;
* :func:`table`: the table of a dotted name (``"powertrain.ice"``), its parents added as
  super tables (no header of their own).
"""

from __future__ import annotations

import math
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.items import Comment, Item, Table

from keidesign.errors import printable

__all__ = ["comment", "commented", "table", "value"]


def value(v: Any, digits: int | None = None, integral: bool = False) -> Any:
    """``v`` (bool, int, float, string, or a list of them) as the file holds it:
    floats rounded to ``digits`` significant digits (None: exact); if ``integral``, an
    integer-valued float (below 1e15) as an integer."""
    if isinstance(v, bool | int | str):
        return v
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"not a finite number: {v!r}")
        if integral and v.is_integer() and abs(v) < 1e15:
            return int(v)
        return v if digits is None else float(f"{v:.{digits}g}")
    if isinstance(v, list | tuple):
        return [value(x, digits, integral) for x in v]
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def _line(text: str) -> str:
    return "".join(ch if printable(ch) else " " for ch in str(text))


def comment(text: str) -> Comment:
    """A comment line ``# text`` (line breaks and other control characters as spaces)."""
    return tomlkit.comment(_line(text))


def commented(key: str, v: Any, text: str, column: int = 0) -> Item:
    """The item of ``key = v`` with the trailing comment ``# text`` starting at
    ``column`` (0-based; one space after the value when the value reaches it)."""
    item = tomlkit.item(v)
    item.comment(_line(text))
    width = len(f"{key} = {item.as_string()}")
    item.trivia.comment_ws = " " * max(1, column - width)
    return item


def table(doc: Container | Table, dotted: str) -> Table:
    """The table ``dotted`` of ``doc``, created (and its parents, as super tables)."""
    node = doc
    parts = dotted.split(".")
    for i, part in enumerate(parts):
        if part not in node:
            node.add(part, tomlkit.table(is_super_table=i < len(parts) - 1))
        node = node[part]
    return node
