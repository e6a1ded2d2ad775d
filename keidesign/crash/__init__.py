"""Crash discipline: front structure, roof requirement (first versions).

The crash issue extends this package with the force-crush characteristic, occupant
criteria, side impact, roof strength and fleet compatibility.
"""

from keidesign.crash.frontal import FrontalCrashComp
from keidesign.crash.roof import RoofRequirementComp

__all__ = ["FrontalCrashComp", "RoofRequirementComp"]
