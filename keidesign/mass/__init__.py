"""Mass discipline: curb-mass build-up (first version; the mass & cost issue extends it)."""

from __future__ import annotations

from keidesign.mass.buildup import MassBuildupComp

__all__ = ["MassBuildupComp", "add_subsystems"]


def add_subsystems(group, design, packs=()) -> None:
    """Model hook: the mass subsystems of one design."""
    group.add_subsystem(
        "mass",
        MassBuildupComp(powertrain_type=design.powertrain_type,
                        material=design["crash:front:material"],
                        n_rails=int(design["crash:front:n_rails"])),
        promotes=["*"])
