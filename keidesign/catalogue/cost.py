"""Cost discipline: bill-of-materials cost outputs (mass & cost issue)."""

from keidesign.variables import register  # noqa: F401
