"""Mass & cost: timing of the loop solver and the docs' figures.

``python benchmarks/mass.py [--repeat N] [--batch N_CASES] [--plots docs/img/mass_cost]``

Reports medians over N repeats (default 7) of one ``run_model`` of each reference design
with the hook's :class:`~keidesign.mass.loop.LoopSolver`, the same model with
``NonlinearBlockGS`` on the whole vehicle group (the baseline, measured in the same run),
the mass+cost subsystems alone, and one ``compute_totals`` (LinearBlockGS). No timing is
asserted anywhere. ``--batch N_CASES`` (default 1000; 0: skip) times the batched
mass + cost subsystems (:mod:`keidesign.batch`, ``n_cases = N_CASES``) on N_CASES random
designs (inputs perturbed +-10 %) against N_CASES scalar runs of the same designs (each
with its ``set_val`` calls), checks that they agree, and times the whole batched model
when every discipline is batched. ``--plots`` writes breakdown.png / delta.png for the
N-Box and Sakura JDM -> US pairs.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import numpy as np  # noqa: E402
import openmdao.api as om  # noqa: E402
from timing import median_time  # noqa: E402  (benchmarks/timing.py)

from keidesign import batch  # noqa: E402
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


class _MassCost(om.Group):
    """The mass and cost subsystems alone (crash outputs as inputs)."""

    def initialize(self):
        batch.declare_option(self.options)
        self.options.declare("design")

    def setup(self):
        from keidesign import costing
        from keidesign.mass import MassGroup
        from keidesign.mass.data import fitted_content

        d = self.options["design"]
        self.add_subsystem("mass", MassGroup(design=d, content=fitted_content(d),
                                             n_cases=batch.n_cases(self)),
                           promotes=["*"])
        costing.add_subsystems(self, d)


def _mass_only(design, n_cases: int = 1):
    """Problem of the mass and cost subsystems alone (crash outputs as inputs)."""
    prob = om.Problem(_MassCost(design=design, n_cases=n_cases), reports=False)
    prob.setup()
    return prob


def _free_inputs(prob) -> list[str]:
    conns = prob.model._conn_global_abs_in2out
    meta = prob.model.get_io_metadata(iotypes="input")
    return sorted({m["prom_name"] for a, m in meta.items()
                   if conns.get(a, "").startswith("_auto_ivc.")})


def batch_timing(design, full, n: int, repeat: int) -> tuple[float, float, float]:
    """(batched s, scalar s for n runs, largest relative difference) of the mass + cost
    subsystems on n designs perturbed around ``full``'s converged scalar values."""
    rng = np.random.default_rng(0)
    one = _mass_only(design)
    names = _free_inputs(one)
    cases = {k: float(full.get_val(k).item()) * rng.uniform(0.9, 1.1, n) for k in names}
    big = _mass_only(design, n)

    def run_batch():
        for k, v in cases.items():
            big.set_val(k, v)
        big.run_model()

    def run_scalar():
        for i in range(n):
            for k, v in cases.items():
                one.set_val(k, v[i])
            one.run_model()
            yield one.get_val("cost:price").item()

    run_batch()
    ref = np.fromiter(run_scalar(), float, n)
    diff = float(np.max(np.abs(big.get_val("cost:price") - ref) / np.abs(ref)))
    t_batch = median_time(run_batch, repeat)
    t_scalar = median_time(lambda: sum(run_scalar()), max(1, repeat // 4))
    return t_batch, t_scalar, diff


def full_batch_time(design, packs, n: int, repeat: int) -> float | None:
    """One batched ``run_model`` of the whole model, or None while some discipline is
    not batched yet (the model cannot be set up or run with ``n_cases``)."""
    try:
        prob = build_problem(design, packs, n_cases=n)
        prob.run_model()
    except Exception as exc:  # noqa: BLE001  (a report, not a check)
        print(f"  whole model, n_cases={n}: not available ({type(exc).__name__}: "
              f"{str(exc).splitlines()[0][:90]})")
        return None
    return median_time(prob.run_model, repeat)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--plots", type=Path)
    ap.add_argument("--batch", type=int, default=1000, metavar="N_CASES")
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
        def totals(p=prob):
            return p.compute_totals(of=["mass:curb", "cost:price"],
                                    wrt=["body:height", "crash:front:wall_thickness"])

        totals()  # the first call sets up the total-derivative machinery: not timed
        t_tot = median_time(totals, args.repeat)
        print(f"{path.stem:<18} {t_loop * 1e3:8.1f} {t_gs * 1e3:9.1f} {t_gs / t_loop:6.2f} "
              f"{str(passes):>7} {t_mass * 1e3:13.2f} {t_tot * 1e3:10.1f}")
    if args.batch:
        n = args.batch
        print(f"\nmass + cost, n = {n} cases: one batched run_model vs {n} scalar runs "
              f"(set_val + run_model), medians")
        print(f"{'design':<18} {'batched ms':>11} {'scalar ms':>10} {'ratio':>7} "
              f"{'cases/s':>10} {'max rel diff':>13}")
        for stem in ("nbox_class_us", "sakura_class_us"):
            d = load_design(DESIGNS / f"{stem}.toml")
            packs = resolve_packs(d.rules)
            full = build_problem(d, packs)
            full.run_model()
            t_b, t_s, diff = batch_timing(d, full, n, args.repeat)
            print(f"{stem:<18} {t_b * 1e3:11.2f} {t_s * 1e3:10.1f} {t_s / t_b:7.0f} "
                  f"{n / t_b:10.0f} {diff:13.1e}")
            t_full = full_batch_time(d, packs, n, max(1, args.repeat // 2))
            if t_full is not None:
                print(f"  whole model, n_cases={n}: {t_full * 1e3:.1f} ms "
                      f"({n / t_full:.0f} cases/s)")
    if args.plots:
        from keidesign.review.cost_report import plot_compare, plot_delta

        items = []
        for stem in ("nbox_class", "sakura_class"):
            b = evaluate_design(load_design(DESIGNS / f"{stem}.toml"), [])
            v = evaluate_design(load_design(DESIGNS / f"{stem}_us.toml"), [])
            items.append((stem, b.outputs, f"{stem}_us", v.outputs))
        print("wrote", plot_compare(items, args.plots / "breakdown.png"))
        print("wrote", plot_delta(items, args.plots / "delta.png"))


if __name__ == "__main__":
    main()
