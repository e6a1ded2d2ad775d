"""The Sakura-class BEV under each battery placement, quoted in docs/geometry.md.

    python benchmarks/battery_placement.py               # print the table
    python benchmarks/battery_placement.py --write-docs  # rewrite the generated block
    python benchmarks/battery_placement.py --check       # exit 1 if the docs differ

Every number comes from ``keidesign evaluate`` of ``studies/designs/sakura_class.toml``
with ``body.battery_placement`` (and, in the last rows, ``body.battery_height``) changed,
with the design's rule packs (tests/test_docs_figures.py fails when the docs drift).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import docblock  # noqa: E402  (benchmarks/docblock.py)

from keidesign.design import load_design  # noqa: E402
from keidesign.evaluation import evaluate_design, resolve_packs  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "geometry.md"
DESIGN = ROOT / "studies" / "designs" / "sakura_class.toml"

#: (placement, battery height mm or None for the design's): the rows of the table
CASES = (("underfloor", None), ("under_rear_seat", None), ("tunnel", None), ("rear", None),
         ("under_rear_seat", 130.0), ("rear", 200.0))


_fmt_margin = docblock.bold_margin
_over = docblock.need_over_space


def table() -> str:
    """Markdown table: one row per placement (and pack height)."""
    base = load_design(DESIGN)
    lines = ["| placement | pack height, mm | head room front / rear (margin), mm "
             "| pack / bay margin, L | rear crush needed / to the pack, mm "
             "| side MDB crush at the pack / to the pack, mm | luggage floor, mm |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for placement, height in CASES:
        changes = {"body:battery_placement": placement}
        if height is not None:
            changes["body:battery_height"] = height
        d = base.replace(**changes)
        o = {k: float(v[0]) for k, v in evaluate_design(d, resolve_packs(d.rules)).outputs.items()}
        h = "-" if placement == "tunnel" else f"{d['body:battery_height']:.0f}"
        lines.append(
            f"| `{placement}` | {h} "
            f"| {o['body:headroom']:.0f} ({_fmt_margin(o['body:headroom_margin'])}) / "
            f"{o['body:headroom_rear']:.0f} ({_fmt_margin(o['body:headroom_rear_margin'])}) "
            f"| {o['body:volume:energy_storage'] * 1e3:.0f} / "
            f"{_fmt_margin(o['body:storage_volume_margin'] * 1e3)} "
            f"| {_over(o['crash:rear:crush_required'], o['body:rear_crush_to_storage'])} "
            f"| {_over(o['crash:side:mdb:crush_at_storage'], o['body:side_crush_to_storage'])} "
            f"| {o['body:cargo_floor_height']:.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(docblock.script_main(__doc__, DOC, "battery_placement", table, ROOT))
