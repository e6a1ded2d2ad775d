"""Crash discipline: frontal, side, roof, rollover and fleet-compatibility models.

Subsystems (all promoted ``*``), in data-flow order:

* ``crash_test_mass``   FMVSS 208 test mass (:class:`~keidesign.crash.structure.CrashTestMassComp`)
* ``crash_stack``       mass of the non-crushing powertrain stack
* ``crash_structure``   front force-crush characteristic, crush available, energy, mass
* ``crash_pulse``       56 km/h rigid-barrier pulse, OLC, occupant, intrusion
* ``crash_occupant``    Hybrid III 50th male / 5th female criteria, NCAP frontal stars
* ``crash_side_occupant`` ES-2re / SID-IIs side criteria, NCAP side stars
* ``crash_bumper``      Part 581 no-damage speeds of the bumper zone
* ``crash_rear``        FMVSS 301 rear impact: crush needed behind the rear face
* ``crash_side``        FMVSS 214 MDB and pole
* ``crash_roof_req``, ``crash_roof``  FMVSS 216a requirement and roof strength
* ``crash_rollover``    US NCAP static stability factor, rollover risk and stars
* ``crash_compat``      delta-V against the US and Japanese fleets
* ``crash_mass``        ``mass:crash_structure`` (for the mass discipline)

No loop is closed here: the structure mass is an output for the mass discipline.
"""

from __future__ import annotations

from openmdao.core.explicitcomponent import ExplicitComponent

from keidesign import batch
from keidesign.crash.bumper import BumperComp
from keidesign.crash.compat import FleetCompatibilityComp, load_fleet
from keidesign.crash.occupant import OccupantComp
from keidesign.crash.pulse import FrontalPulseComp
from keidesign.crash.rear import RearImpactComp
from keidesign.crash.rollover import RolloverComp
from keidesign.crash.roof import RoofRequirementComp, RoofStrengthComp
from keidesign.crash.side import SideImpactComp
from keidesign.crash.side_occupant import SideOccupantComp
from keidesign.crash.side_profile import SideStorageCrushComp
from keidesign.crash.structure import CrashTestMassComp, FrontStackMassComp, FrontStructureComp
from keidesign.variables import add_input, add_output

__all__ = ["BumperComp", "CrashStructureMassComp", "FleetCompatibilityComp", "FrontStackMassComp",
           "FrontStructureComp", "FrontalPulseComp", "OccupantComp",
           "RearImpactComp", "RolloverComp", "RoofRequirementComp", "RoofStrengthComp",
           "SideImpactComp", "SideOccupantComp", "SideStorageCrushComp", "CrashTestMassComp",
           "add_subsystems"]

_MASS_PARTS = ("crash:front:structure_mass", "crash:side:structure_mass",
               "crash:roof:structure_mass")


class CrashStructureMassComp(ExplicitComponent):
    """``mass:crash_structure`` = front + side + roof members sized here (kg)."""

    def initialize(self) -> None:
        batch.declare_option(self.options)

    def setup(self) -> None:
        shape = batch.shape(self)
        for name in _MASS_PARTS:
            add_input(self, name, shape=shape)
        add_output(self, "mass:crash_structure", shape=shape)
        if batch.batched(self):
            return
        self.declare_partials("mass:crash_structure", list(_MASS_PARTS), val=1.0)

    def compute(self, inputs, outputs) -> None:
        outputs["mass:crash_structure"] = sum(inputs[n] for n in _MASS_PARTS)


def add_subsystems(group, design, packs=()) -> None:
    """Model hook: the crash subsystems of one design (see the module docstring).

    Every component gets the group's ``n_cases`` (:mod:`keidesign.batch`): batched,
    all of them take and give arrays of cases and declare no partials.
    """
    n = batch.n_cases(group)
    n_rails = int(design["crash:front:n_rails"])
    group.add_subsystem("crash_test_mass",
                        CrashTestMassComp(seats=int(design["body:seats"]), n_cases=n),
                        promotes=["*"])
    group.add_subsystem("crash_stack",
                        FrontStackMassComp(powertrain_type=design.powertrain_type, n_cases=n),
                        promotes=["*"])
    group.add_subsystem("crash_structure",
                        FrontStructureComp(material=design["crash:front:material"],
                                           n_rails=n_rails, n_cases=n,
                                           cab_over=str(design.values.get(
                                               "body:style", "hatch")) == "truck",
                                           layout=str(design.values.get("powertrain:layout",
                                                                        "front"))),
                        promotes=["*"])
    group.add_subsystem("crash_pulse", FrontalPulseComp(n_cases=n), promotes=["*"])
    group.add_subsystem("crash_occupant", OccupantComp(n_cases=n), promotes=["*"])
    group.add_subsystem("crash_bumper", BumperComp(n_cases=n), promotes=["*"])
    group.add_subsystem("crash_rear", RearImpactComp(n_cases=n), promotes=["*"])
    group.add_subsystem(
        "crash_side",
        SideImpactComp(material=design["crash:side:material"],
                       sill_material=design["crash:side:sill_material"],
                       roof_rail_material=design["crash:side:roof_rail_material"],
                       n_door_beams=int(design["crash:side:n_door_beams"]),
                       n_cross_members=int(design["crash:side:n_cross_members"]), n_cases=n),
        promotes=["*"])
    group.add_subsystem("crash_side_storage", SideStorageCrushComp(n_cases=n), promotes=["*"])
    group.add_subsystem("crash_side_occupant",
                        SideOccupantComp(rear_seat=int(design["body:seats"]) > 2, n_cases=n),
                        promotes=["*"])
    group.add_subsystem("crash_roof_req", RoofRequirementComp(n_cases=n), promotes=["*"])
    group.add_subsystem("crash_roof",
                        RoofStrengthComp(a_material=design["crash:roof:material"],
                                         b_material=design["crash:side:material"],
                                         sill_material=design["crash:side:sill_material"],
                                         roof_rail_material=design[
                                             "crash:side:roof_rail_material"],
                                         n_cases=n),
                        promotes=["*"])
    group.add_subsystem("crash_rollover", RolloverComp(n_cases=n), promotes=["*"])
    group.add_subsystem("crash_compat", FleetCompatibilityComp(fleet=load_fleet(), n_cases=n),
                        promotes=["*"])
    group.add_subsystem("crash_mass", CrashStructureMassComp(n_cases=n), promotes=["*"])
