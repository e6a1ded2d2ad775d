"""Design-file text (TOML with comments) of built tables, written with tomlkit.

Each key is written ``key = value  # source: ...`` or ``key = value  # [assumed] ...``
(the comment on the key's own line, so a reader and a test can tell them apart);
strings are TOML basic strings with every control character escaped; numbers in the
variable's units with at most 6 significant digits (integers without a point), or the
source's own quantity string (``"151.4 inch"``, ``"24.91 lbf"``) so the source's number
is kept exactly (:mod:`keidesign.tomlwrite`).
"""

from __future__ import annotations

from keidesign.design import Design, parse_design
from keidesign.reuse import ProblemCache
from keidesign.specs.build import build_design
from keidesign.specs.sources import Spec
from keidesign.specs.text import COMMENT_COLUMN, WIDTH, design_text

__all__ = ["COMMENT_COLUMN", "WIDTH", "design_text", "imported_design"]


def imported_design(spec: Spec, label: str, predict: bool = False,
                    problems: ProblemCache | None = None, restraint_rule: bool = True
                    ) -> Design:
    """The design ``keidesign import`` writes for ``spec``, parsed as a file of that text
    would be (``label`` names it in messages); the validation sweeps use it. ``problems``:
    the import's model run on a reused problem; ``restraint_rule=False``: without the
    restraint rule's table, for mass and energy outputs only
    (:func:`keidesign.specs.build.build_design`)."""
    header, tables = build_design(spec, predict=predict, problems=problems,
                                  restraint_rule=restraint_rule)
    return parse_design(design_text(header, tables), label)
