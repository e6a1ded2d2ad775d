"""One registry of model variables: name, units, default, bounds, description.

Every quantity that crosses a module boundary is registered here once, under a
hierarchical name (``body:length``, ``crash:front:crush_length``). The registry feeds

* the design-file schema (:mod:`keidesign.design`): a registered variable with
  ``design=True`` is a key of a design file, its colon path mapping to TOML tables
  (``crash:front:crush_length`` -> ``[crash.front] crush_length = ...``);
* the OpenMDAO components, which declare their inputs/outputs only through
  :func:`add_input` / :func:`add_output` (units, default, description from here);
* the docs' variable table (:func:`markdown_table`, written to ``docs/variables.md``).

A duplicate name raises. Bounds on design variables are the *physically possible*
range accepted from a design file (a bad value is an input error); regulatory limits
(kei length, FMVSS criteria) are not bounds here: they live in rule packs and are
reported as constraint margins.

Units are OpenMDAO unit strings; ``"unitless"`` where a quantity has none, ``None``
for text, choice and list values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from keidesign import catalogue  # noqa: F401  (importing the catalogue registers it)
from keidesign.registry import REGISTRY as _REGISTRY
from keidesign.registry import Variable, register

__all__ = [
    "Variable",
    "add_input",
    "add_output",
    "get",
    "inapplicable",
    "markdown_table",
    "register",
    "variables",
]


def get(name: str) -> Variable:
    """Return the registered variable ``name`` (``KeyError`` naming it if absent)."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"variable {name!r} is not registered in keidesign.variables") from None


def inapplicable(names: Iterable[str], values: Mapping[str, Any]) -> str:
    """Why a criterion on ``names`` (its quantity, and its bound when that is a variable)
    does not apply to a design of these ``values``: the reason of the first registered
    name whose ``when`` condition does not hold (another powertrain's output, a truck's
    cab), ``""`` if every name applies. Unregistered names are left to the caller."""
    for name in names:
        var = _REGISTRY.get(name)
        why = var.inapplicable(values) if var is not None else ""
        if why:
            return why
    return ""


def variables(prefix: str = "", design: bool | None = None) -> list[Variable]:
    """All registered variables whose name starts with ``prefix``."""
    out = [v for n, v in _REGISTRY.items() if n.startswith(prefix)]
    if design is not None:
        out = [v for v in out if v.design is design]
    return out


def _om_kwargs(var: Variable, shape: int | tuple[int, ...] | None, val: Any) -> dict:
    if var.units is None:
        raise TypeError(f"variable {var.name!r} has no units: it is not a model quantity")
    if val is None:
        val = var.default if isinstance(var.default, (int, float)) else 1.0
    kw: dict[str, Any] = {"val": val, "desc": var.desc}
    if var.units != "unitless":
        kw["units"] = var.units
    if shape is not None:
        kw["shape"] = shape
        kw["val"] = np.broadcast_to(np.asarray(val, dtype=float), shape).copy()
    return kw


def add_input(comp: Any, name: str, shape: int | tuple[int, ...] | None = None,
              val: Any = None, units: str | None = None) -> None:
    """Declare ``name`` as an input of OpenMDAO component ``comp`` from the registry.

    ``units`` overrides the registered units (OpenMDAO converts on connection).
    """
    kw = _om_kwargs(get(name), shape, val)
    if units is not None:
        kw["units"] = units
    comp.add_input(name, **kw)


def add_output(comp: Any, name: str, shape: int | tuple[int, ...] | None = None,
               val: Any = None, units: str | None = None) -> None:
    """Declare ``name`` as an output of OpenMDAO component ``comp`` from the registry."""
    kw = _om_kwargs(get(name), shape, val)
    if units is not None:
        kw["units"] = units
    comp.add_output(name, **kw)


def markdown_table(vars_: Iterable[Variable] | None = None) -> str:
    """Markdown table of variables for the docs (name, units, default, range, description)."""
    rows = [
        "| name | units | default | allowed | description |",
        "| --- | --- | --- | --- | --- |",
    ]
    for v in vars_ if vars_ is not None else variables():
        default = "required" if v.required else ("" if v.default is None else repr(
            list(v.default) if v.dtype is tuple else v.default))
        if v.default_when is not None:
            (c_name, c_val), c_default = v.default_when
            default += f" ({c_default!r} if `{c_name}` = {c_val!r})"
        allowed = v.range_text() if v.design else ""
        desc = v.desc.replace("|", "\\|")
        rows.append(f"| `{v.name}` | {v.units or ''} | {default} | {allowed} | {desc} |")
    return "\n".join(rows) + "\n"
