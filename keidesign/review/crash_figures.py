"""The crash discipline's figures of the reference designs: pulse, force-crush, budget.

``python -m keidesign.review.crash_figures [OUT_DIR]`` evaluates the reference designs and writes
``crash_pulse.png``, ``force_crush.png`` and ``crush_budget.png`` (default
``docs/img/crash``). Options are refused, not taken as a folder (``--help`` prints the
usage; it wrote the three figures into a folder named ``--help`` until 6 Dec 2026).
Plotting is kept out of the model: it re-runs :func:`keidesign.crash.pulse.simulate` with
the model's own inputs.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np

from keidesign.crash.pulse import PULSE_INPUTS, params_from_inputs, simulate
from keidesign.design import load_design
from keidesign.evaluation import design_packs
from keidesign.model import build_problem, registered_outputs
from keidesign.review import plots
from keidesign.review.candidate import load_candidate

G0 = 9.80665
DESIGNS = ("mirage_class", "nbox_class", "alto_class", "sakura_class")


def design_pulse(path: Path) -> dict:
    """Evaluate one design file; return its name, outputs and the simulation record."""
    os.environ.setdefault("OPENMDAO_REPORTS", "0")
    d = load_design(path)
    prob = build_problem(d, design_packs(d))
    prob.run_model()
    vals = {k: np.atleast_1d(prob.get_val(k)).astype(float) for k in PULSE_INPUTS}
    return {"name": d.name, "outputs": registered_outputs(prob),
            "sim": simulate(params_from_inputs(vals)), "inputs": vals}


def plot_all(out_dir: Path, design_dir: Path) -> list[Path]:
    """Write the three crash plots of the reference designs."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cands = [load_candidate(design_dir / f"{s}.toml") for s in DESIGNS]
    return [plots.save(plots.crash_pulse(cands), out_dir / "crash_pulse.png", dpi=120),
            plots.save(plots.force_crush(cands), out_dir / "force_crush.png", dpi=120),
            plots.save(plots.crush_budget(cands), out_dir / "crush_budget.png", dpi=120)]


def main(argv: list[str] | None = None) -> int:
    """Write the crash figures of the reference designs (pulse, force-crush, budget)."""
    root = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(prog="python -m keidesign.review.crash_figures",
                                 description=main.__doc__, allow_abbrev=False)
    ap.add_argument("out_dir", nargs="?", type=Path, default=root / "docs" / "img" / "crash",
                    help="folder of the three PNGs (default docs/img/crash)")
    args = ap.parse_args(argv)
    for f in plot_all(args.out_dir, root / "studies" / "designs"):
        print(f)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
