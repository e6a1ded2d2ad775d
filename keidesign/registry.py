"""The registry core: a variable's metadata and the table of registered variables.

:mod:`keidesign.catalogue` registers every model variable here on import;
:mod:`keidesign.variables` is the public API (it imports the catalogue, so a lookup
through it always sees every variable). This module imports nothing of keidesign.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["REGISTRY", "Variable", "register"]


@dataclass(frozen=True)
class Variable:
    """Metadata of one model variable.

    Attributes:
        name: hierarchical name, colon separated (``body:length``).
        units: OpenMDAO unit string, ``"unitless"``, or ``None`` for text/choices/lists.
        desc: one-line description, with the source of the default where relevant.
        default: default value; ``None`` means a design file must give it.
        lower, upper: physically possible range (inclusive), in ``units``.
        dtype: ``float``, ``int``, ``bool``, ``str``, ``list`` (list of str) or ``tuple``
            (a strictly increasing list of numbers, each in ``units`` within ``lower`` and
            ``upper``: speeds of a schedule, breakpoints of a table; a design
            file writes it as a TOML array, ``[]`` for its empty default; a structure
            choice passed to the model as an option, never an OpenMDAO variable).
        choices: allowed values for a ``str`` variable.
        design: True if it is a key of a design file; False for model outputs.
        when: ``(variable, value)``: the key belongs in a design file only when that
            other variable has that value (e.g. ICE data when ``powertrain:type = ice``);
            for a model output, the quantity exists only then (a BEV's range: the model
            of an ICE design reports 0), so a rule-pack or study criterion on it is
            not-applicable to other designs (:meth:`inapplicable`).
        default_when: ``((variable, value), default)``: the default of a variable when
            that other variable has that value (e.g. the truck style's drag coefficient
            when ``body:style = truck``); it replaces the plain ``default``, if any (the
            truck's tolerated cab-front intrusion), and otherwise makes an otherwise
            required variable optional for that value.
        when_above: ``(variable, threshold, what)``: a model output that exists only
            when that other (numeric) variable exceeds the threshold, ``what`` naming
            the part it needs (``("body:couple_distance", 0.0, "a rear row")``: the
            rear head room of a body without a rear row would repeat the front's); a
            criterion on it is not-applicable otherwise (:meth:`inapplicable`).
        when_why: why the quantity exists only under ``when`` (appended to the
            not-applicable reason: a BEV's fuel spillage, FMVSS 305 instead of 301).
        range_why: why ``lower``/``upper`` are where they are when that is a choice, not
            physics (said after the allowed range when a design value is out of it).
    """

    name: str
    units: str | None
    desc: str
    default: Any = None
    lower: float | None = None
    upper: float | None = None
    dtype: type = float
    choices: tuple[str, ...] | None = None
    design: bool = False
    when: tuple[str, str] | None = None
    default_when: tuple[tuple[str, str], Any] | None = None
    when_above: tuple[str, float, str] | None = None
    when_why: str = ""
    range_why: str = ""

    @property
    def path(self) -> str:
        """Dotted design-file path (``crash.front.crush_length``)."""
        return self.name.replace(":", ".")

    @property
    def required(self) -> bool:
        return self.design and self.default is None

    def inapplicable(self, values: Mapping[str, Any]) -> str:
        """Why this quantity does not exist for a design of these ``values`` (its
        ``when`` condition does not hold), ``""`` when it does. The reason reads
        ``"energy:ev_range applies only when powertrain.type = 'bev' (this design: 'ice')"``.
        """
        if self.when_above is not None:
            name, threshold, what = self.when_above
            value = values.get(name)
            if isinstance(value, (int, float)) and not value > threshold:
                return (f"{self.name} applies only with {what} "
                        f"({name.replace(':', '.')} > {threshold:g}; this design: {value:g})")
        if self.when is None or values.get(self.when[0]) == self.when[1]:
            return ""
        key = self.when[0].replace(":", ".")
        return (f"{self.name} applies only when {key} = {self.when[1]!r} "
                f"(this design: {values.get(self.when[0])!r})"
                + (f": {self.when_why}" if self.when_why else ""))

    def range_text(self) -> str:
        """Human-readable allowed range, e.g. ``[2500, 5000] mm``."""
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.dtype is bool:
            return "true or false"
        if self.dtype is list:
            return (f"a list of 1 to {LIST_MAX_ITEMS} strings, each one line of at most "
                    f"{LIST_ITEM_MAX:,} characters")
        if self.dtype is tuple:
            unit = "" if self.units in (None, "unitless") else f" {self.units}"
            return (f"a list of numbers, each in [{self.lower:g}, {self.upper:g}]{unit}, "
                    "strictly increasing")
        if self.dtype is str:
            return "a string"
        lo = "-inf" if self.lower is None else f"{self.lower:g}"
        hi = "inf" if self.upper is None else f"{self.upper:g}"
        unit = "" if self.units in (None, "unitless") else f" {self.units}"
        kind = "integer" if self.dtype is int else "number"
        return f"{kind} in [{lo}, {hi}]{unit}"


#: Most items of a list value (``dtype=list`` or ``tuple``: the rule packs of a design,
#: a manual's upshift speeds; the shipped designs list at most 7 packs, a manual has 5
#: upshifts), and the longest string item (a rule-pack id or path), characters: a
#: file's list is refused with one message before any item is looked at (a 200,000-item
#: ``design.rules`` ran for minutes, s26f).
LIST_MAX_ITEMS = 32
LIST_ITEM_MAX = 1000

REGISTRY: dict[str, Variable] = {}


def register(name: str, units: str | None, desc: str, **kw: Any) -> Variable:
    """Register a variable; a duplicate name raises ``ValueError``."""
    if name in REGISTRY:
        raise ValueError(f"variable {name!r} is already registered")
    var = Variable(name=name, units=units, desc=desc, **kw)
    REGISTRY[name] = var
    return var
