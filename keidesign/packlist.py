"""The rule-pack listing printed by ``keidesign rules``.

One row per pack: id, version, constraint count, title, and the file it was read from.
The columns are as wide as their longest cell (id and version capped at
:data:`CELL_MAX` characters, a longer one wraps inside its column); the title and the
file wrap in the last column, so every row starts its cells at the same place whatever
the length of a pack's version or title (``safe-iii``'s ``2025.12-proposed``). Text from
a user's pack is shown on one line (a line break as a space, any other control character
as ``?``), cut to :data:`TITLE_MAX` characters.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Sequence
from pathlib import Path

from keidesign.rulepacks import RulePack

#: Widest id or version column, characters (a longer cell wraps inside it).
CELL_MAX = 24
#: Longest title shown, characters (a user's pack may hold any length).
TITLE_MAX = 300
#: Narrowest last (title) column, characters.
LAST_MIN = 30
HEADER = ("id", "version", "constraints", "title / file")
GAP = "  "


def _clean(text: str, limit: int) -> str:
    """``text`` on one printable line, cut to ``limit`` characters."""
    text = "".join(c if c.isprintable() else " " if c.isspace() else "?"
                   for c in text[: limit + 1])
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _shown_path(path: Path) -> str:
    """``path`` relative to the working folder when under it, else as it is."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
    return str(path) if rel.startswith("..") else rel


def format_pack_list(packs: Sequence[RulePack], width: int = 100) -> str:
    """The listing of ``packs`` as lines at most ``width`` characters wide (a path
    longer than the last column overflows it rather than break)."""
    rows = [(_clean(p.id, TITLE_MAX), _clean(p.version, TITLE_MAX), str(len(p.constraints)),
             _clean(p.title, TITLE_MAX), _clean(_shown_path(p.path), TITLE_MAX))
            for p in packs]
    widths = [min(max(len(h), *(len(r[i]) for r in rows)), CELL_MAX) if rows else len(h)
              for i, h in enumerate(HEADER[:3])]
    lead = sum(widths) + len(GAP) * len(widths)
    last = max(width - lead, LAST_MIN)
    lines = [GAP.join([HEADER[0].ljust(widths[0]), HEADER[1].ljust(widths[1]),
                       HEADER[2].rjust(widths[2]), HEADER[3]]).rstrip()]
    for pid, version, count, title, path in rows:
        cells = [textwrap.wrap(pid, widths[0], break_on_hyphens=False) or [""],
                 textwrap.wrap(version, widths[1], break_on_hyphens=False) or [""],
                 [count],
                 [*(textwrap.wrap(title, last, break_on_hyphens=False) or [""]), path]]
        for k in range(max(map(len, cells))):
            part = [c[k] if k < len(c) else "" for c in cells]
            lines.append(GAP.join([part[0].ljust(widths[0]), part[1].ljust(widths[1]),
                                   part[2].rjust(widths[2]), part[3]]).rstrip())
    return "\n".join(lines)
