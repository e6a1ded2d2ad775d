"""Crash discipline: front structure, roof requirement (first versions).

The crash issue extends this package with the force-crush characteristic, occupant
criteria, side impact, roof strength and fleet compatibility.
"""

from __future__ import annotations

from keidesign.crash.frontal import FrontalCrashComp
from keidesign.crash.roof import RoofRequirementComp

__all__ = ["FrontalCrashComp", "RoofRequirementComp", "add_subsystems"]


def add_subsystems(group, design, packs=()) -> None:
    """Model hook: the crash subsystems of one design."""
    group.add_subsystem(
        "crash_front",
        FrontalCrashComp(material=design["crash:front:material"],
                         n_rails=int(design["crash:front:n_rails"]),
                         seats=int(design["body:seats"])),
        promotes=["*"])
    group.add_subsystem("crash_roof", RoofRequirementComp(), promotes=["*"])
