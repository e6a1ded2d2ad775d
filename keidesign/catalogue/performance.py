"""Vehicle performance outputs: acceleration, top speed, gradeability (energy issue)."""

from keidesign.variables import register  # noqa: F401
