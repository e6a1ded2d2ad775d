"""Timing of the frontal pulse: ``python benchmarks/crash_pulse.py [--repeat N] [--cases N]``.

Median of N runs of one ``simulate_cases`` of one design (the component's value path)
and of the complex-step partials (13 complex lanes through the same kernel), with the
ratio to the value run measured in the same session.

Batched (``n_cases``, :mod:`keidesign.batch`): ``simulate_cases`` of ``--cases`` designs
in one compiled call (per-case cost, ratio to one ``simulate``), and the whole crash
discipline (its hook's subsystems, reference design ``nbox_class_us``) as one batched
``run_model`` of ``--cases`` cases against as many scalar ``run_model`` calls.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import openmdao.api as om
from timing import median_time  # noqa: E402  (benchmarks/timing.py)

from keidesign import batch, crash
from keidesign import variables as reg
from keidesign.crash.pulse import simulate, simulate_cases
from keidesign.design import load_design
from keidesign.model import build_problem

DESIGN = Path(__file__).resolve().parents[1] / "studies" / "designs" / "nbox_class_us.toml"

P = dict(m_test=1094.0, m_stack=227.7, f1=82e3, f2=165e3, f3=250e3, s1=0.07, s2=0.0876,
         s3=0.4234, gap=0.2, clearance=0.08, slack=0.025, k_r=250e3, f_ll=35e3, space=0.3)



class CrashGroup(om.Group):
    """The crash discipline's subsystems alone (inputs on auto-IVCs)."""

    def initialize(self) -> None:
        batch.declare_option(self.options)
        self.options.declare("design")

    def setup(self) -> None:
        crash.add_subsystems(self, self.options["design"])


def _units(name: str) -> str | None:
    u = reg.get(name).units
    return None if u == "unitless" else u


def crash_group_timing(n_cases: int, repeat: int) -> tuple[float, float]:
    """(one batched run_model of ``n_cases``, ``n_cases`` scalar run_model calls), s."""
    design = load_design(DESIGN)
    full = build_problem(design)
    full.run_model()
    rng = np.random.default_rng(0)
    probs = {}
    for n in (n_cases, 1):
        prob = om.Problem(CrashGroup(design=design, n_cases=n), reports=False)
        prob.setup()
        probs[n] = prob
    names = sorted({m["prom_name"] for m in probs[1].model.get_io_metadata(
        iotypes="input", metadata_keys=[]).values()})
    cases = {k: float(full.get_val(k, units=_units(k)).item())
             * (1.0 + rng.uniform(-0.05, 0.05, n_cases)) for k in names}
    big, one = probs[n_cases], probs[1]
    for k, v in cases.items():
        big.set_val(k, v, units=_units(k))
    big.run_model()

    def scalar_runs() -> None:
        for i in range(n_cases):
            for k, v in cases.items():
                one.set_val(k, v[i], units=_units(k))
            one.run_model()

    return median_time(big.run_model, repeat), median_time(scalar_runs, max(1, repeat // 2))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--cases", type=int, default=1000)
    args = ap.parse_args()
    n, n_cases = args.repeat, args.cases
    one = {k: np.array([v]) for k, v in P.items()}
    many = {k: np.full(len(P), v, dtype=complex) for k, v in P.items()}
    for j, k in enumerate(P):
        many[k][j] += 1e-30j
    simulate_cases(one), simulate_cases(many)  # load (or compile) both compilations
    base = median_time(lambda: simulate_cases(one), n)
    cs = median_time(lambda: simulate_cases(many), n)
    hist = median_time(lambda: simulate(one), n)
    print(f"one design (value):                    {base * 1e3:8.2f} ms")
    print(f"partials (one complex-step lane per input): {cs * 1e3:8.2f} ms  x{cs / base:.2f}")
    print(f"one design with histories (simulate):  {hist * 1e3:8.2f} ms  x{hist / base:.2f}")
    rng = np.random.default_rng(0)
    cases = {k: v * (1.0 + rng.uniform(-0.1, 0.1, n_cases)) for k, v in P.items()}
    bat = median_time(lambda: simulate_cases(cases), n)
    print(f"simulate_cases ({n_cases} cases), per case:  {bat / n_cases * 1e3:8.3f} ms  "
          f"x{bat / n_cases / base:.2f}")
    grp, grp_scalar = crash_group_timing(n_cases, n)
    print(f"crash discipline, batched run_model ({n_cases} cases): {grp * 1e3:8.1f} ms  "
          f"({n_cases / grp:,.0f} cases/s)")
    print(f"crash discipline, {n_cases} scalar run_model:        {grp_scalar * 1e3:8.1f} ms  "
          f"x{grp_scalar / grp:.1f}")


if __name__ == "__main__":
    main()
