"""Where a design may drive, state by state, from ``keidesign/data/states/states.csv``.

A design certified to the FMVSS as a passenger car or truck registers as any such
vehicle: full access in every state (federal certification, 49 CFR 567; no row of the
data restricts certified vehicles). A low-speed vehicle's access is the state's LSV
rule as the data gives it (road access text, highest posted speed limit allowed),
each row with its source and date; a state without an LSV row is **unknown** (never
guessed); conflicting rows are all shown. A design below the LSV band is an off-road
vehicle: unknown everywhere (the data's off-road rules are not categorised).

Access levels: ``full``; ``limited`` (roads posted at or below a limit, or other
restrictions named in the rule); ``prohibited``; ``unknown``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from keidesign.classification.federal import FederalClass

__all__ = ["STATES", "StateAccess", "access", "rows"]

STATES = ("Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado",
          "Connecticut", "Delaware", "District of Columbia", "Florida", "Georgia", "Hawaii",
          "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
          "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri",
          "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico",
          "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
          "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee",
          "Texas", "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin",
          "Wyoming")

# a rule that starts by forbidding road use ("prohibited on public roads ..."); a
# "may prohibit" or "may not cross" further on is a limit, not a ban
_PROHIBITED = re.compile(r"^\s*(prohibited|not (?:allowed|permitted)|banned|no public road)",
                         re.I)
_UNKNOWN = re.compile(r"not stated|no state law|unknown", re.I)


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
    """The rows of states.csv."""
    path = resources.files("keidesign") / "data" / "states" / "states.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def _level(row: dict[str, str]) -> tuple[str, float | None]:
    text = row["road_access"]
    limit = re.search(r"\d+(?:\.\d+)?", row.get("max_road_speed_limit_mph", "") or "")
    mph = float(limit.group()) if limit else None
    if _PROHIBITED.search(text):
        return "prohibited", mph
    if _UNKNOWN.search(text) and mph is None:
        return "unknown", None
    return "limited", mph


def access(fc: FederalClass) -> list[StateAccess]:
    """The access of a design of class ``fc`` in every state (module docstring)."""
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
        for r in found:
            level, mph = _level(r)
            rule = r["road_access"] + (f"; {r['other_conditions']}"
                                       if r.get("other_conditions") else "")
            out.append(StateAccess(state, level, mph, rule, r["source"], r["source_date"],
                                   cat))
    return out
