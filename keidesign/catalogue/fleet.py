"""Fleet-compatibility outputs: delta-V against the US and Japanese fleets (crash issue)."""

from keidesign.variables import register  # noqa: F401
