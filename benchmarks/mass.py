"""Mass & cost: timing of the loop solver and the docs' figures.

``python benchmarks/mass.py [--repeat N] [--plots docs/img/mass_cost]``

Reports medians over N repeats (default 7) of one ``run_model`` of each reference design
with the hook's :class:`~keidesign.mass.loop.LoopSolver`, the same model with
``NonlinearBlockGS`` on the whole vehicle group (the baseline, measured in the same run),
the mass+cost subsystems alone, and one ``compute_totals`` (LinearBlockGS). No timing is
asserted anywhere. ``--plots`` writes breakdown.png / delta.png for the N-Box and Sakura
JDM -> US pairs.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import openmdao.api as om  # noqa: E402
from timing import median_time  # noqa: E402  (benchmarks/timing.py)

from keidesign.design import load_design  # noqa: E402
from keidesign.evaluation import evaluate_design, resolve_packs  # noqa: E402
from keidesign.model import KeiVehicle, build_problem, set_design_values  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DESIGNS = ROOT / "studies" / "designs"




def _perturbed(prob, name: str = "crash:front:wall_thickness"):
    """``run_model`` with the input nudged each call (components may cache on inputs)."""
    base = float(prob.get_val(name).item())
    state = {"i": 0}

    def run():
        state["i"] += 1
        prob.set_val(name, base * (1.0 + 1e-6 * (state["i"] % 7)))
        prob.run_model()
    return run


class _PlainGS(KeiVehicle):
    def setup(self):
        super().setup()
        self.nonlinear_solver = om.NonlinearBlockGS(maxiter=20, atol=1e-10, rtol=1e-12,
                                                    iprint=-1)


def _mass_only(design):
    """The mass and cost subsystems alone (crash outputs as inputs)."""
    from keidesign import costing
    from keidesign.mass import MassGroup
    from keidesign.mass.data import fitted_content

    g = om.Group()
    g.add_subsystem("mass", MassGroup(design=design, content=fitted_content(design)),
                    promotes=["*"])
    costing.add_subsystems(g, design)
    prob = om.Problem(g, reports=False)
    prob.setup()
    return prob


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--plots", type=Path)
    args = ap.parse_args()
    print(f"{'design':<18} {'loop ms':>8} {'NLBGS ms':>9} {'ratio':>6} {'passes':>7} "
          f"{'mass+cost ms':>13} {'totals ms':>10}")
    for path in sorted(DESIGNS.glob("*.toml")):
        d = load_design(path)
        packs = resolve_packs(d.rules)
        prob = build_problem(d, packs)
        prob.run_model()
        t_loop = median_time(_perturbed(prob), args.repeat)
        passes = prob.model.nonlinear_solver.loop_iterations
        ref = om.Problem(_PlainGS(design=d, packs=list(packs)), reports=False)
        ref.setup()
        set_design_values(ref, d)
        ref.run_model()
        t_gs = median_time(_perturbed(ref), args.repeat)
        mo = _mass_only(d)
        mo.run_model()
        t_mass = median_time(_perturbed(mo), args.repeat)
        t_tot = median_time(lambda p=prob: p.compute_totals(
            of=["mass:curb", "cost:price"], wrt=["body:height", "crash:front:wall_thickness"]),
            max(1, args.repeat // 2))
        print(f"{path.stem:<18} {t_loop * 1e3:8.1f} {t_gs * 1e3:9.1f} {t_gs / t_loop:6.2f} "
              f"{str(passes):>7} {t_mass * 1e3:13.2f} {t_tot * 1e3:10.1f}")
    if args.plots:
        from keidesign.costing.report import plot_compare, plot_delta

        items = []
        for stem in ("nbox_class", "sakura_class"):
            b = evaluate_design(load_design(DESIGNS / f"{stem}.toml"), [])
            v = evaluate_design(load_design(DESIGNS / f"{stem}_us.toml"), [])
            items.append((stem, b.outputs, f"{stem}_us", v.outputs))
        print("wrote", plot_compare(items, args.plots / "breakdown.png"))
        print("wrote", plot_delta(items, args.plots / "delta.png"))


if __name__ == "__main__":
    main()
