"""What a longer front crush zone does to the curb mass at fixed length (issue 14, tasks
s30b, s31a; 6 Dec 2026): the mass groups' slope in ``crash.front.crush_length``.

    python benchmarks/crush_mass.py                       # nbox_class, nbox_class_us
    python benchmarks/crush_mass.py studies/designs/X.toml ...

Each design is run at its own crush length and 100 mm either side (body length, width,
height fixed; the geometry moves the dash and the greenhouse back), and the outputs that
move are printed with their change per 100 mm (central difference); the size law
(``mass:group:calibration``), its volume (``body:volume:size``) and ``mass:curb`` always.
Until task s31a the fitted size law (``keidesign.mass.components.size_law``) read the
envelope volume, which a longer front lowers (the hood is lower than the roof), so the
law took k per m^3 of it off the curb: -8.41 kg per 100 mm on nbox_class, more than the
longer rails and crash boxes add. It reads ``body:volume:size`` since (the envelope with
the dash at front overhang + 230 mm), which the crush length cannot move: the slope left
is the a-priori groups' own (docs/mass_cost.md, "The size law's volume at the reference
dash").
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

from keidesign.design import load_design  # noqa: E402
from keidesign.model import build_problem, registered_outputs  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DESIGNS = [ROOT / "studies" / "designs" / f"{s}.toml" for s in ("nbox_class", "nbox_class_us")]
#: the step either side of the design's crush length (mm)
STEP_MM = 100.0
PREFIXES = ("mass:", "body:volume:", "body:surface_area", "body:panel_area:")
#: reported whether they move or not
ALWAYS = ("mass:group:calibration", "body:volume:size", "mass:curb")


def _scalar(v) -> float:
    x = v[0]
    return float(x[0] if hasattr(x, "__len__") else x)


def slopes(path: Path) -> tuple[float, dict[str, tuple[float, float, float]]]:
    """``(crush length (mm), {output: (value at L - step, at L, slope per 100 mm)})`` of
    the outputs of :data:`PREFIXES` that move and of :data:`ALWAYS`."""
    design = load_design(path)
    length = float(design["crash:front:crush_length"])
    runs = []
    for x in (length - STEP_MM, length, length + STEP_MM):
        prob = build_problem(design.replace(**{"crash:front:crush_length": x}),
                             round_footprint=True)
        prob.run_model()
        runs.append({k: _scalar(v) for k, v in registered_outputs(prob).items()
                     if k.startswith(PREFIXES)})
    out = {}
    for k in runs[1]:
        d = (runs[2][k] - runs[0][k]) / 2.0 * (100.0 / STEP_MM)
        if abs(d) > 1e-3 or k in ALWAYS:
            out[k] = (runs[0][k], runs[1][k], d)
    return length, out


def main(argv: list[str]) -> int:
    for path in [Path(a) for a in argv] or DESIGNS:
        length, rows = slopes(path)
        print(f"{path.name}: crush length {length:.0f} mm, +/-{STEP_MM:.0f} mm")
        print("| output | at L | per +100 mm |")
        print("| --- | --- | --- |")
        for k, (_, mid, d) in rows.items():
            print(f"| {k} | {mid:.3f} | {d:+.3f} |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
