"""Energy discipline: drive cycles, road load, tractive energy, fuel and electricity use.

First version (see ``docs/energy.md``): SAE J2264 road load over the EPA FTP-75 and
HWFET traces, a Willans-style ICE model and a BEV efficiency chain, both calibrated on
the EPA MY2022 test-car list rows shipped in ``keidesign/data/vehicles``
(``python -m keidesign.energy.calibration``). Outputs are unadjusted (dynamometer)
values.
"""

from keidesign.energy.consumption import (
    BevElectricityComp,
    EnergyGroup,
    IceFuelComp,
)
from keidesign.energy.cycles import DriveTest, Phase, ftp75, get_test, hwfet, udds, wltc
from keidesign.energy.roadload import RoadLoadComp, TractiveEnergyComp, load_constants

__all__ = [
    "BevElectricityComp",
    "DriveTest",
    "EnergyGroup",
    "IceFuelComp",
    "Phase",
    "RoadLoadComp",
    "TractiveEnergyComp",
    "ftp75",
    "get_test",
    "hwfet",
    "load_constants",
    "udds",
    "wltc",
]


def add_subsystems(group, design, packs=()) -> None:
    """Model hook: the energy subsystems of one design."""
    group.add_subsystem("energy", EnergyGroup(powertrain_type=design.powertrain_type),
                        promotes=["*"])


__all__ += ["add_subsystems"]
