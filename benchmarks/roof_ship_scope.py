"""Roof design era + B-pillar joint law, shipped (issue 14, task s33h, 6 Dec 2026): what
the roof-model change does to the designs no IIHS test measures, the owner's replacement
of the s33a/s33g rule 6 (docs/crash.md, "The roof's design era with the B-pillar joint
law").

    python benchmarks/roof_ship_scope.py            # the table (about 2-3 min)

For every kei import (``sources.vehicle_rows("kei")``) and every reference design
(``studies/designs/*.toml``): the roof strength-to-weight (``crash:roof:strength_to_weight``,
one side, peak force over the curb weight) before (``crash.roof.B_PILLAR_SHARE`` = 0.5,
the model until task s33h) and shipped (the joint law, eta_B = (M_s + M_r) / (2 M_p,B)
of the design's own sections), and the check that replaced rule 6: every one still
meets FMVSS 216a (ratio >= 3.0, 49 CFR 571.216a S5.1 [R]). The kei imports size no roof
(``build.roof_curb``: None for a kei car), so the era ratios do not touch them; only the
roof model moves. No kei car has a published roof test (JNCAP has none): the after
column is the joint law's prediction, unvalidated. Exit status 1 if any is below 3.0.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from roof_platen_trial import b_share  # noqa: E402

from keidesign.crash.roof import STRENGTH_TO_WEIGHT  # noqa: E402
from keidesign.design import load_design  # noqa: E402
from keidesign.evaluation import evaluate_design, resolve_packs  # noqa: E402
from keidesign.specs import sources  # noqa: E402
from keidesign.specs.write import imported_design  # noqa: E402

KEY = "crash:roof:strength_to_weight"
DESIGNS = Path(__file__).resolve().parents[1] / "studies" / "designs"
#: the roof model's B-pillar share before task s33h
OLD_SHARE = 0.5


def _ratio(design) -> float:
    return float(evaluate_design(design, resolve_packs(["fmvss"])).outputs[KEY][0])


def scope() -> list[tuple[str, float, float]]:
    """(label, ratio before, ratio shipped) of every kei import and reference design."""
    out = []
    for vr in sources.vehicle_rows("kei"):
        spec = sources.row_spec(vr)
        label = f"kei {vr.row['model']} {vr.row['code']} {vr.row['variant']}".strip()
        with b_share(OLD_SHARE):
            before = _ratio(imported_design(spec, f"<import {label}>"))
        out.append((label, before, _ratio(imported_design(spec, f"<import {label}>"))))
    for path in sorted(DESIGNS.glob("*.toml")):
        design = load_design(path)
        with b_share(OLD_SHARE):
            before = _ratio(design)
        out.append((f"reference {path.stem}", before, _ratio(design)))
    return out


def main() -> int:
    rows = scope()
    print("| design | roof ratio, B-pillar half (before) | joint law (shipped) | change | "
          "FMVSS 216a (>= 3.0) |")
    print("|---|---|---|---|---|")
    for label, a, b in rows:
        ok = "meets" if b >= STRENGTH_TO_WEIGHT else "FAILS"
        print(f"| {label} | {a:.2f} | {b:.2f} | {b / a - 1:+.1%} | {ok} |")
    low = min(rows, key=lambda r: r[2])
    print(f"\n{len(rows)} designs; lowest shipped ratio {low[2]:.2f} ({low[0]}); "
          f"below 3.0: {[r[0] for r in rows if r[2] < STRENGTH_TO_WEIGHT] or 'none'}")
    return 1 if low[2] < STRENGTH_TO_WEIGHT else 0


if __name__ == "__main__":
    sys.exit(main())
