"""One-sided slopes of the frontal margins SLSQP stops on (task s31n; 6 Dec 2026).

    python benchmarks/margin_kinks.py            # runs studies (e) and (f), ~1 min

Runs ``keidesign optimize studies/kei_truck_us.toml`` (study (e)) and ``keidesign pareto
studies/pareto_truck_bed_crush.toml`` (study (f)) into a temporary folder, loads the design
files they write (``optimum.toml``; ``pareto_designs/anchor_1.toml``, the ride-down
anchor) and prints, for each margin and design variable, the model's analytic derivative
(OpenMDAO totals, complex step through the pulse kernel) and the finite differences
behind (x - h) and ahead (x + h) of the design for h = 0.1, 0.01 and 0.001 (units of the
variable). Equal slopes either side: smooth there; unequal slopes that stay unequal as h
shrinks: a kink (docs/crash.md, "Kinks in the frontal margins").
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HS = (0.1, 0.01, 0.001)
#: (study label, design file under the results folder, margin, (quantity, bound), variables)
CASES = (
    ("e", "e/optimum.toml", "fmvss208.crush_space",
     ("crash:front:crush_available", "crash:front:crush_past_stack"),
     ("crash:front:crush_length", "crash:front:wall_thickness")),
    ("f", "f/pareto_designs/anchor_1.toml", "fmvss208.ride_down_space",
     ("crash:restraint:ride_down_space", "crash:front:occupant_excursion"),
     ("crash:front:crush_length",)),
)


def _run_studies(out: Path) -> None:
    env = dict(os.environ, OPENMDAO_REPORTS="0")
    for cmd, study, sub in (("optimize", "kei_truck_us.toml", "e"),
                            ("pareto", "pareto_truck_bed_crush.toml", "f")):
        args = [sys.executable, "-m", "keidesign", cmd, str(ROOT / "studies" / study),
                "--serial", "--no-progress", "--out", str(out / sub)]
        if cmd == "optimize":
            args += ["--no-reports", "--no-step"]
        subprocess.run(args, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


def slopes(path: Path, margin: tuple[str, str], var: str) -> tuple[float, float, list]:
    """Margin (bound - quantity) at the design ``path``, its analytic derivative in ``var``
    and the finite differences ``[(h, behind, ahead)]``."""
    from keidesign.design import load_design
    from keidesign.model import build_problem
    prob = build_problem(load_design(path))
    prob.run_model()

    def m() -> float:
        return float(prob.get_val(margin[0]).item() - prob.get_val(margin[1]).item())

    x0 = float(prob.get_val(var).item())
    m0 = m()
    tot = prob.compute_totals(of=list(margin), wrt=[var])
    ana = float(tot[margin[0], var].item() - tot[margin[1], var].item())
    fds = []
    for h in HS:
        prob.set_val(var, x0 - h)
        prob.run_model()
        behind = (m0 - m()) / h
        prob.set_val(var, x0 + h)
        prob.run_model()
        fds.append((h, behind, (m() - m0) / h))
    prob.set_val(var, x0)
    return m0, ana, fds


def histories(path: Path) -> str:
    """The peaks behind the margins at the design ``path``: the two largest samples of the
    crush past the stack and the reported (interpolated) peak; the excursion's local
    maxima over time, the body's stop, and the slopes of the work either side of the
    design along the crush length (the restraint reloading)."""
    import numpy as np

    from keidesign.crash import pulse
    from keidesign.design import load_design
    from keidesign.model import build_problem
    prob = build_problem(load_design(path))
    prob.run_model()
    vals = {k: np.atleast_1d(prob.get_val(k)).astype(float) for k in pulse.PULSE_INPUTS}
    r = pulse.simulate(pulse.params_from_inputs(vals))
    h, t = r["history"], r["history"]["t"] * 1e3
    pen = h["xe"][:, 0] - r["gap"][0]
    past = (h["xb"][:, 0] - np.maximum(pen, 0.0)) * 1e3
    k1, k2 = np.argsort(past)[::-1][:2]
    exc = (h["xo"][:, 0] - h["xb"][:, 0]) * 1e3
    loc = [k for k in range(1, exc.size - 1) if exc[k - 1] < exc[k] >= exc[k + 1]]
    peaks = ", ".join(f"{exc[k]:.3f} mm at {t[k]:.1f} ms" for k in loc)
    work = []
    for step in (-0.01, 0.01):
        prob.set_val("crash:front:crush_length",
                     float(prob.get_val("crash:front:crush_length").item()) + step)
        prob.run_model()
        v = {k: np.atleast_1d(prob.get_val(k)).astype(float) for k in pulse.PULSE_INPUTS}
        w = pulse.simulate_cases(pulse.params_from_inputs(v))["work"][0]
        work.append((w - r["work"][0]) / step if step > 0 else (r["work"][0] - w) / -step)
        prob.set_val("crash:front:crush_length",
                     float(prob.get_val("crash:front:crush_length").item()) - step)
    return (f"  crush past the stack: largest samples {past[k1]:.6f} mm at {t[k1]:.1f} ms, "
            f"{past[k2]:.6f} mm at {t[k2]:.1f} ms; reported {r['c_past_stack'][0] * 1e3:.6f} "
            f"mm\n  excursion's local maxima: {peaks}; body at rest at "
            f"{r['t_stop'][0] * 1e3:.1f} ms; work slope in crush length behind / ahead "
            f"(h = 0.01 mm) {work[0]:.1f} / {work[1]:.1f} J/mm")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        _run_studies(Path(tmp))
        for label, rel, rule, margin, variables in CASES:
            for var in variables:
                m0, ana, fds = slopes(Path(tmp) / rel, margin, var)
                cells = "  ".join(f"h={h:g}: {b:+.4f} / {a:+.4f}" for h, b, a in fds)
                print(f"study ({label}) {rule} margin {m0:+.4f} mm, d/d {var}: "
                      f"analytic {ana:+.4f}; behind / ahead {cells}")
            print(histories(Path(tmp) / rel))
    return 0


if __name__ == "__main__":
    sys.exit(main())
