"""The rule-pack listing printed by ``keidesign rules``.

One row per pack: id, version, constraint count, title, and the file it was read from.
``keidesign rules PACK`` lists one pack's constraints instead
(:func:`format_pack_criteria`): each criterion's bound and what judges it, a criterion
no model computes with the reason beside it.
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

from keidesign.catalogue.criteria import NOT_MODELLED, why_not_modelled
from keidesign.rulepacks import Constraint, RulePack

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


def _bound_text(con: Constraint) -> str:
    """``<= 588.4 m/s**2``, ``>= 4 km/h``, ``in [1, 2] mm`` or ``<= crash:front:x`` (a
    bound that is a model quantity)."""
    def show(b: float | str) -> str:
        return f"{b:g}" if isinstance(b, float | int) else str(b)

    units = "" if con.units in ("", "unitless") else f" {con.units}"
    if con.lower is not None and con.upper is not None:
        return f"in [{show(con.lower)}, {show(con.upper)}]{units}"
    if con.upper is not None:
        return f"<= {show(con.upper)}{units}"
    return f">= {show(con.lower)}{units}"


def format_pack_criteria(pack: RulePack, width: int = 100) -> str:
    """Every constraint of ``pack``: ``id  quantity bound``, then, for one that applies
    to some federal classes only (``applies_to``), ``passenger car only`` and an indented
    ``applies: <clause>`` line; for a criterion no model
    computes (:data:`keidesign.catalogue.criteria.NOT_MODELLED`) ``not modelled`` with
    an indented ``why: <reason>`` line under it, before its ``applies:`` line (wrapped at
    ``width``)."""
    n_not = sum(con.quantity in NOT_MODELLED for con in pack.constraints)
    head = (f"{_clean(pack.id, TITLE_MAX)} {_clean(pack.version, TITLE_MAX)}: "
            f"{_clean(pack.title, TITLE_MAX)} ({len(pack.constraints)} constraints, "
            f"{n_not} not modelled)")
    w_id = max([len(_clean(con.id, TITLE_MAX)) for con in pack.constraints] or [0])
    lines = [*textwrap.wrap(head, width), ""]
    for con in pack.constraints:
        row = (f"{_clean(con.id, TITLE_MAX).ljust(w_id)}{GAP}"
               f"{_clean(con.quantity, TITLE_MAX)} {_clean(_bound_text(con), TITLE_MAX)}")
        if con.applies_to:
            row += f"{GAP}{' and '.join(k.replace('_', ' ') for k in con.applies_to)} only"
        notes = []
        if con.quantity in NOT_MODELLED:
            row += f"{GAP}not modelled"
            notes.append(f"why: {why_not_modelled(con.quantity) or 'no reason recorded'}")
        if con.applies_to:
            notes.append(f"applies: {_clean(con.applicability, 1000)}")
        lines.append(row)
        for note in notes:
            lines += textwrap.wrap(note, width, initial_indent="    ",
                                   subsequent_indent="      ", break_on_hyphens=False)
    return "\n".join(lines)
