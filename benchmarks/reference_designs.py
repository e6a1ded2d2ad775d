"""The reference designs' energy figures quoted in docs/energy.md section 8.

    python benchmarks/reference_designs.py               # print the table
    python benchmarks/reference_designs.py --write-docs  # rewrite the generated block
    python benchmarks/reference_designs.py --check       # exit 1 if the docs differ

Every number of the block comes from ``keidesign evaluate`` of ``studies/designs/*.toml``
(tests/test_docs_figures.py fails when the docs drift from the code).
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
DOC = ROOT / "docs" / "energy.md"


def table() -> str:
    """Markdown table of the reference designs (one row each)."""
    lines = ["| design | test mass | FTP / HWFET (unadj.) | label city / hwy / comb "
             "(model-year set) | CAFE value vs target | WLTC mode | JC08 | 0-60 mph | "
             "top speed |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for path in sorted((ROOT / "studies" / "designs").glob("*.toml")):
        d = load_design(path)
        o = evaluate_design(d, resolve_packs(d.rules)).outputs
        bev = d.powertrain_type == "bev"
        # no target where the pack has no row (a light truck past its table): not applicable
        target = (f"{o['cafe:target_mpg'][0]:.1f}" if "cafe:target_mpg" in o
                  else "n/a")
        unit = "MPGe" if bev else "mpg"
        wltc, jc08 = ((f"{o[f'energy:{c}_wh_per_km'][0]:.1f} Wh/km" if bev
                       else f"{o[f'energy:{c}_km_per_l'][0]:.1f} km/L") for c in ("wltc", "jc08"))
        lines.append(
            f"| {path.stem} | {o['mass:test'][0]:.0f} kg | {o['energy:ftp_mpg'][0]:.1f} / "
            f"{o['energy:hwfet_mpg'][0]:.1f} {unit} | {o['energy:label_city_mpg'][0]:.1f} / "
            f"{o['energy:label_hwy_mpg'][0]:.1f} / {o['energy:label_comb_mpg'][0]:.1f} | "
            f"{o['energy:cafe_mpg'][0]:.1f} vs {target} | {wltc} | {jc08} | "
            f"{o['perf:accel_0_60'][0]:.1f} s | {o['perf:top_speed'][0]:.0f} mph |")
    return "\n".join(lines)


def main() -> int:
    args = docblock.arguments(__doc__)
    t = table()
    print(t)
    return docblock.write_or_check(args, DOC, "reference_designs", t, ROOT)


if __name__ == "__main__":
    sys.exit(main())
