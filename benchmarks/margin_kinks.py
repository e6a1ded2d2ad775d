"""One-sided slopes of the frontal margins SLSQP stops on (task s31n; 6 Dec 2026).

    python benchmarks/margin_kinks.py            # runs studies (e) and (f), ~1 min
    python benchmarks/margin_kinks.py --contact  # the crush past the stack across the
                                                 # stack's contact (task s32a), ~5 s

Runs ``keidesign optimize studies/kei_truck_us.toml`` (study (e)) and ``keidesign pareto
studies/pareto_truck_bed_crush.toml`` (study (f)) into a temporary folder, loads the design
files they write (``optimum.toml``; ``pareto_designs/anchor_1.toml``, the ride-down
anchor) and prints, for each margin and design variable, the model's analytic derivative
(OpenMDAO totals, complex step through the pulse kernel) and the finite differences
behind (x - h) and ahead (x + h) of the design for h = 0.1, 0.01 and 0.001 (units of the
variable). Equal slopes either side: smooth there; unequal slopes that stay unequal as h
shrinks: a kink (docs/crash.md, "Kinks in the frontal margins").

``--contact`` sweeps the engine gap of the pulse kernel's reference car
(:data:`CONTACT_CAR`, tests/test_crash_kernel.py's ``BASE``) over a range where the crush
past the stack peaks as the stack leaves the barrier (the penetration x_e - g_e changes
sign in the step that holds the peak) and prints, per gap, the crush past the stack, the
largest sample, the sample index, the complex-step slope and the one-sided finite
differences (h = 1e-6 mm): a jump shows as a one-sided slope of order
(jump) / h (docs/crash.md, "The crush past the stack across the stack's contact").
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


#: the pulse kernel's reference car (SI; tests/test_crash_kernel.py, ``BASE``)
CONTACT_CAR = dict(m_test=1094.0, m_stack=227.7, f1=82e3, f2=165e3, f3=250e3, s1=0.07,
                   s2=0.0876, s3=0.4234, gap=0.2, clearance=0.08, slack=0.025, k_r=250e3,
                   f_ll=35e3, space=0.3)
#: engine gaps (m) of the sweep: the peak passes the stack's separation near 572.67 mm
CONTACT_GAPS = tuple(0.57260 + 2e-5 * i for i in range(11))
FD_H = 1e-9     # m


def _past(gaps, step: complex = 0.0):
    """Crush past the stack (m) of :data:`CONTACT_CAR` at the engine ``gaps`` (m)."""
    import numpy as np

    from keidesign.crash import pulse
    g = np.asarray(gaps) + step
    return pulse.simulate_cases({k: np.full(g.size, v, dtype=g.dtype)
                                 for k, v in CONTACT_CAR.items()} | {"gap": g})["c_past_stack"]


def contact_sweep() -> list[str]:
    """One line per gap of :data:`CONTACT_GAPS` (see the module's docstring), then the
    largest jump between two neighbouring gaps bisected down to 1e-12 m."""
    import numpy as np

    from keidesign.crash import pulse
    gaps = np.array(CONTACT_GAPS)
    vals = _past(np.concatenate([gaps - FD_H, gaps, gaps + FD_H])).reshape(3, -1)
    cs = _past(gaps, 1e-30j).imag / 1e-30
    hist = pulse.simulate({k: np.full(gaps.size, v) for k, v in CONTACT_CAR.items()}
                          | {"gap": gaps})["history"]
    pen = hist["xe"] - gaps
    past = hist["xb"] - np.maximum(pen, 0.0)
    lines = []
    for i, g in enumerate(gaps):
        k = int(np.argmax(past[:, i]))
        # the change from the previous gap that its slopes do not explain
        left = ""
        if i:
            un = vals[1, i] - vals[1, i - 1] - 0.5 * (cs[i] + cs[i - 1]) * (g - gaps[i - 1])
            left = f"; change less slope x step {un * 1e9:+.1f} nm"
        lines.append(f"gap {g * 1e3:.2f} mm: crush past the stack {vals[1, i] * 1e3:.6f} mm "
                     f"(largest sample {past[k, i] * 1e3:.6f} mm, sample {k}, penetration "
                     f"{pen[k, i] * 1e3:+.4f} mm); slope complex step {cs[i]:+.4f}, behind / "
                     f"ahead {(vals[1, i] - vals[0, i]) / FD_H:+.4f} / "
                     f"{(vals[2, i] - vals[1, i]) / FD_H:+.4f}{left}")
    jumps = np.abs(np.diff(vals[1]) - 0.5 * (cs[1:] + cs[:-1]) * np.diff(gaps))
    i = int(np.argmax(jumps))
    lo, hi = gaps[i], gaps[i + 1]
    v_lo, v_hi = vals[1, i], vals[1, i + 1]
    while hi - lo > 1e-12:
        mid = 0.5 * (lo + hi)
        v_mid = float(_past(np.array([mid]))[0])
        if abs(v_mid - v_lo) > abs(v_hi - v_mid):
            hi, v_hi = mid, v_mid
        else:
            lo, v_lo = mid, v_mid
    lines.append(f"largest change between neighbours bisected to gap {lo * 1e3:.9f} .. "
                 f"{hi * 1e3:.9f} mm: {v_lo * 1e3:.6f} -> {v_hi * 1e3:.6f} mm "
                 f"({(v_hi - v_lo) * 1e9:+.1f} nm over {(hi - lo) * 1e9:.4f} nm of gap)")
    return lines


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
    if "--contact" in sys.argv[1:]:
        print("\n".join(contact_sweep()))
        return 0
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
