"""Where a design may drive, state by state, from ``keidesign/data/states/states.csv``.

A design certified to the FMVSS as a passenger car or truck registers as any such
vehicle: full access in every state (federal certification, 49 CFR 567; no row of the
data restricts certified vehicles). A low-speed vehicle's access is the state's LSV
rule as the data gives it (road access text, highest posted speed limit allowed),
each row with its source and date; a state without an LSV row is **unknown** (never
guessed); conflicting rows are all shown. A design below the LSV band is an off-road
vehicle: unknown everywhere (the data's off-road rules are not categorised).

Access levels: ``full``; ``limited`` (roads posted at or below a limit, or other
restrictions named in the rule); ``prohibited``; ``unknown``. An LSV row's level is its
``lsv_access`` column (the row's road-access text read once, by hand: ``prohibited``
where the text forbids road use or says no statute allows it, e.g. Connecticut,
Mississippi and Pennsylvania; ``unknown`` where the source gives no road rule), checked
when the file is read, never matched from the text at run time.

A state's own LSV definition can be narrower than the federal one (49 CFR 571.3): the
columns ``lsv_gvwr_max_lb`` (``<2500``, ``<=3000``: the GVWR cap the row's text gives),
``lsv_trucks`` (``excluded``, ``included`` or empty when the text does not say) and
``lsv_power`` (``electric`` where the state's class is electric only: Idaho, Minnesota,
New Mexico, Utah, Washington), each filled only where the row's own text states it. A
federal LSV outside the state's definition (any of the state's LSV rows) is not an LSV
there: its access is ``unknown``, the rule saying it is outside the state's LSV
definition and why (it is neither a certified car or truck nor a state LSV; the data
holds no rule for what it is then).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from keidesign.federal_class import FederalClass

__all__ = ["LSV_LEVELS", "STATES", "StateAccess", "access", "check_rows", "outside_definition",
           "rows"]

STATES = ("Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado",
          "Connecticut", "Delaware", "District of Columbia", "Florida", "Georgia", "Hawaii",
          "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
          "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri",
          "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico",
          "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
          "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee",
          "Texas", "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin",
          "Wyoming")

#: the levels an LSV row's ``lsv_access`` may take
LSV_LEVELS = ("limited", "prohibited", "unknown")
_CAP = re.compile(r"^(<=?)\s*(\d+(?:\.\d+)?)$")
_TRUCKS = ("", "excluded", "included")
_LB = 0.45359237  # kg per lb


@dataclass(frozen=True)
class StateAccess:
    """One rule of one state for the design's class."""

    state: str
    level: str                 # full, limited, prohibited, unknown
    max_posted_mph: float | None
    rule: str
    source: str
    date: str
    category: str | None


@cache
def rows() -> tuple[dict[str, str], ...]:
    """The rows of states.csv, each checked (:func:`check_rows`)."""
    path = resources.files("keidesign") / "data" / "states" / "states.csv"
    with path.open(encoding="utf-8", newline="") as f:
        out = tuple(csv.DictReader(f))
    check_rows(out, str(path))
    return out


def check_rows(data: tuple[dict[str, str], ...] | list[dict[str, str]],
               fname: str = "states.csv") -> None:
    """Raise ValueError naming the row (line), column, value and what is allowed for the
    first bad structured column: an LSV row's ``lsv_access`` must be one of
    :data:`LSV_LEVELS`, ``lsv_gvwr_max_lb`` empty or ``<N`` / ``<=N`` (lb, N in (0,
    3,000]: the federal LSV cap, 49 CFR 571.3), ``lsv_trucks`` empty, ``excluded`` or
    ``included``, ``lsv_power`` empty or ``electric``; the four are empty on rows of other
    categories."""
    for line, r in enumerate(data, start=2):
        where = f"{fname}: line {line} ({r.get('state')}, {r.get('category')})"
        lsv = r.get("category") == "lsv"
        got = {k: (r.get(k) or "").strip() for k in ("lsv_access", "lsv_gvwr_max_lb",
                                                      "lsv_trucks", "lsv_power")}
        if not lsv:
            bad = [k for k, v in got.items() if v]
            if bad:
                raise ValueError(f"{where}: {bad[0]} = {got[bad[0]]!r}: allowed only on "
                                 "category 'lsv' rows (empty here)")
            continue
        if got["lsv_access"] not in LSV_LEVELS:
            raise ValueError(f"{where}: lsv_access = {got['lsv_access']!r}; allowed: "
                             f"{', '.join(LSV_LEVELS)}")
        cap = _CAP.match(got["lsv_gvwr_max_lb"])
        if got["lsv_gvwr_max_lb"] and not (cap and 0 < float(cap.group(2)) <= 3000):
            raise ValueError(f"{where}: lsv_gvwr_max_lb = {got['lsv_gvwr_max_lb']!r}; "
                             "allowed: empty, or '<N' or '<=N' with N in (0, 3000] lb")
        if got["lsv_trucks"] not in _TRUCKS:
            raise ValueError(f"{where}: lsv_trucks = {got['lsv_trucks']!r}; allowed: "
                             "empty, 'excluded' or 'included'")
        if got["lsv_power"] not in ("", "electric"):
            raise ValueError(f"{where}: lsv_power = {got['lsv_power']!r}; allowed: empty "
                             "or 'electric'")


def _level(row: dict[str, str]) -> tuple[str, float | None]:
    limit = re.search(r"\d+(?:\.\d+)?", row.get("max_road_speed_limit_mph", "") or "")
    return row["lsv_access"], float(limit.group()) if limit else None


def outside_definition(state: str, gvwr_kg: float | None, open_bed: bool,
                       powertrain: str | None = None) -> str:
    """Why a federal LSV of ``gvwr_kg`` (with an open bed: a truck; ``powertrain``
    ``ice`` or ``bev``, None: not checked) is outside ``state``'s own LSV definition (its
    LSV rows' ``lsv_gvwr_max_lb``, ``lsv_trucks`` and ``lsv_power``), ``""`` when it is
    inside or the rows state no narrower definition."""
    why = []
    for r in rows():
        if r["state"] != state or r["category"] != "lsv":
            continue
        cap = _CAP.match(r["lsv_gvwr_max_lb"].strip())
        if cap and gvwr_kg is not None:
            op, lb = cap.group(1), float(cap.group(2))
            gvwr_lb = gvwr_kg / _LB
            if gvwr_lb > lb or (op == "<" and gvwr_lb >= lb):
                why.append(f"GVWR {gvwr_lb:,.0f} lb is not {op}{lb:,.0f} lb")
        if r["lsv_trucks"] == "excluded" and open_bed:
            why.append("its definition excludes trucks (this design has an open bed)")
        if r["lsv_power"] == "electric" and powertrain not in (None, "bev"):
            why.append(f"its class is electric only, this design's powertrain is "
                       f"{powertrain.upper()}")
    if not why:
        return ""
    return (f"outside {state}'s LSV definition (" + "; ".join(dict.fromkeys(why))
            + "): not an LSV there, nor a certified car or truck; no rule in the data "
            "for what it is then")


def access(fc: FederalClass, gvwr_kg: float | None = None, open_bed: bool = False,
           powertrain: str | None = None) -> list[StateAccess]:
    """The access of a design of class ``fc`` in every state (module docstring); a
    low-speed vehicle's ``gvwr_kg``, ``open_bed`` and ``powertrain`` are checked against
    each state's own LSV definition (:func:`outside_definition`; None: not checked)."""
    out = []
    for state in STATES:
        if fc.key in ("passenger_car", "truck"):
            out.append(StateAccess(
                state, "full", None, f"registered as a certified {fc.name}",
                "federal certification to the FMVSS (49 CFR 567); states.csv has no rule "
                "restricting certified vehicles", "", None))
            continue
        cat = fc.state_category
        found = [r for r in rows() if r["state"] == state and cat and r["category"] == cat]
        if not found:
            why = ("no row of states.csv for this state and category" if cat else
                   "off-road vehicle rules are not in the data")
            out.append(StateAccess(state, "unknown", None, why, "", "", cat))
            continue
        outside = (outside_definition(state, gvwr_kg, open_bed, powertrain)
                   if cat == "lsv" else "")
        for r in found:
            level, mph = _level(r)
            if outside:
                level, mph = "unknown", None
            rule = (f"{outside}; the row: " if outside else "") + r["road_access"] + (
                f"; {r['other_conditions']}" if r.get("other_conditions") else "")
            out.append(StateAccess(state, level, mph, rule, r["source"], r["source_date"],
                                   cat))
    return out
