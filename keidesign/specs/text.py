"""Design-file text of built tables (TOML with comments), written with tomlkit.

Each key is written ``key = value  # source: ...`` or ``key = value  # [assumed] ...``
(the comment on the key's own line, so a reader and a test can tell them apart);
strings are TOML basic strings with every control character escaped; numbers in the
variable's units with at most 6 significant digits (integers without a point), or the
source's own quantity string (``"151.4 inch"``, ``"24.91 lbf"``) so the source's number
is kept exactly (:mod:`keidesign.tomlwrite`). Separate from :mod:`keidesign.specs.write`
so that :mod:`keidesign.specs.build` can parse the design it is building (the
restraint rule runs the design's pulse) without an import cycle.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import tomlkit

from keidesign import tomlwrite

__all__ = ["design_text"]

#: Column of the comments after ``key = value``.
COMMENT_COLUMN = 28
WIDTH = 92

def _comment(text: str) -> str:
    return " ".join(str(text).split())


def design_text(header: Sequence[str], tables: Sequence) -> str:
    """The whole design file."""
    doc = tomlkit.document()
    for h in header:
        for piece in textwrap.wrap(_comment(h), WIDTH - 2, subsequent_indent="  ") or [""]:
            doc.add(tomlwrite.comment(piece))
    for t in tables:
        table = tomlwrite.table(doc, t.name)
        for c in t.comments:
            for piece in textwrap.wrap(_comment(c), WIDTH - 2):
                table.add(tomlwrite.comment(piece))
        for e in t.entries:
            v = e.text if e.text is not None else tomlwrite.value(e.value, 6, integral=True)
            tag = "[assumed]" if e.assumed else "source:"
            table.add(e.key, tomlwrite.commented(e.key, v, f"{tag} {_comment(e.note)}",
                                                    COMMENT_COLUMN))
    return tomlkit.dumps(doc)
