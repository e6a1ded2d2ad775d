"""Design-file text (TOML with comments) of built tables; no third-party TOML writer.

Each key is written ``key = value  # source: ...`` or ``key = value  # [assumed] ...``
(the comment on the key's own line, so a reader and a test can tell them apart);
strings are TOML basic strings with every control character escaped; numbers in the
variable's units with at most 6 significant digits (integers without a point), or the
source's own quantity string (``"151.4 inch"``, ``"24.91 lbf"``) so the source's number
is kept exactly.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from keidesign.design import Design, parse_design
from keidesign.specs.build import Table, build_design
from keidesign.specs.sources import Spec
from keidesign.tomlwrite import toml_string, toml_value

__all__ = ["design_text"]

#: Column of the comments after ``key = value``.
COMMENT_COLUMN = 28
WIDTH = 92

def _comment(text: str) -> str:
    return " ".join(str(text).split())


def design_text(header: Sequence[str], tables: Sequence[Table]) -> str:
    """The whole design file."""
    lines: list[str] = []
    for h in header:
        for piece in textwrap.wrap(_comment(h), WIDTH - 2, subsequent_indent="  ") or [""]:
            lines.append(f"# {piece}")
    for t in tables:
        lines.append("")
        lines.append(f"[{t.name}]")
        for c in t.comments:
            for piece in textwrap.wrap(_comment(c), WIDTH - 2):
                lines.append(f"# {piece}")
        for e in t.entries:
            value = toml_string(e.text) if e.text is not None else toml_value(e.value)
            kv = f"{e.key} = {value}"
            tag = "[assumed]" if e.assumed else "source:"
            lines.append(f"{kv:<{COMMENT_COLUMN - 1}} # {tag} {_comment(e.note)}")
    return "\n".join(lines) + "\n"


def imported_design(spec: Spec, label: str, predict: bool = False) -> Design:
    """The design ``keidesign import`` writes for ``spec``, parsed as a file of that text
    would be (``label`` names it in messages); the validation sweeps use it."""
    header, tables = build_design(spec, predict=predict)
    return parse_design(design_text(header, tables), label)
