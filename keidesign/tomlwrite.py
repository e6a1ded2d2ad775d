"""TOML text of plain values: the one writer of design files and results.

``tomllib`` reads TOML; the standard library writes none, so design files written by the
tool (``keidesign import``, an optimum's design file) go through :func:`toml_value`:
strings as TOML basic strings with every control character escaped (TOML 1.0, section
"String"), floats either with 6 significant digits (``digits=6``, human-edited files) or
exactly (``digits=None``: ``repr``, which round-trips), booleans, integers and lists.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["toml_string", "toml_value"]

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}


def toml_string(s: str) -> str:
    """A TOML basic string of ``s`` (quotes, backslashes, control characters escaped)."""
    out = []
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(v: Any, digits: int | None = 6) -> str:
    """TOML text of a bool, number, string or list (``digits``: significant digits of a
    float; None = exact)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"not a finite number: {v!r}")
        if digits is None:
            return repr(v)
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        text = f"{v:.{digits}g}"
        return text if ("." in text or "e" in text) else text + ".0"
    if isinstance(v, str):
        return toml_string(v)
    if isinstance(v, list | tuple):
        return "[" + ", ".join(toml_value(x, digits) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")
