"""Mass discipline: curb-mass build-up (first version; the mass & cost issue extends it)."""

from keidesign.mass.buildup import MassBuildupComp

__all__ = ["MassBuildupComp"]
