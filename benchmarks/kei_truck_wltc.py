"""The kei trucks' WLTC check quoted in docs/energy.md section 8 ("The kei truck's road
load").

    python benchmarks/kei_truck_wltc.py               # print the table
    python benchmarks/kei_truck_wltc.py --write-docs  # rewrite the generated block
    python benchmarks/kei_truck_wltc.py --check       # exit 1 if the docs differ

Every number comes from :func:`keidesign.energy.calibration.kei_truck_wltc_check`: the
truck reference designs (``studies/designs``) through the whole model at their published
curb mass, against the published WLTC figures of ``keidesign/data/vehicles/kei_trucks.csv``
(tests/test_docs_figures.py fails when the docs drift from the code).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import docblock  # noqa: E402  (benchmarks/docblock.py)

from keidesign.energy.calibration import kei_truck_wltc_check  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "energy.md"


def table() -> str:
    """Markdown table of the kei-truck WLTC check (one row per published figure)."""
    rows = kei_truck_wltc_check(ROOT / "studies" / "designs")
    lines = ["| design | published WLTC | curb mass (published) | WLTC test mass | Cd | "
             "model WLTC | model / published - 1 | case |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(
            f"| {r['design']} | {r['measured']:.1f} km/L | {r['curb']:.0f} kg | "
            f"{r['wltc_test_mass']:.0f} kg | {r['cd']:.2f} | {r['predicted']:.2f} km/L | "
            f"{100 * r['error']:+.1f} % | {r['note']} |")
    mae = sum(abs(r["error"]) for r in rows) / len(rows)
    lines += ["", f"Mean absolute error over the {len(rows)} published figures: "
                  f"{100 * mae:.1f} % (kei target: 6 %)."]
    return "\n".join(lines)


def main() -> int:
    return docblock.script_main(__doc__, DOC, "kei_truck_wltc", table, ROOT)


if __name__ == "__main__":
    sys.exit(main())
