"""Reviewer plots of the crash discipline (matplotlib, Agg): pulse, force-crush, budget.

``python -m keidesign.crash.plots [OUT_DIR]`` evaluates the reference designs and writes
``crash_pulse.png``, ``force_crush.png`` and ``crush_budget.png`` (default
``docs/img/crash``). Plotting is kept out of the model: it re-runs
:func:`keidesign.crash.pulse.simulate` with the model's own inputs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

from keidesign.crash.pulse import params_from_inputs, simulate

G0 = 9.80665
DESIGNS = ("mirage_class", "nbox_class", "alto_class", "sakura_class")


def design_pulse(path: Path) -> dict:
    """Evaluate one design file; return its name, outputs and the simulation record."""
    os.environ.setdefault("OPENMDAO_REPORTS", "0")
    from keidesign.crash.pulse import PULSE_INPUTS
    from keidesign.design import load_design
    from keidesign.evaluation import resolve_packs
    from keidesign.model import build_problem, registered_outputs

    d = load_design(path)
    prob = build_problem(d, resolve_packs(d.rules))
    prob.run_model()
    vals = {k: np.atleast_1d(prob.get_val(k)).astype(float) for k in PULSE_INPUTS}
    return {"name": d.name, "outputs": registered_outputs(prob),
            "sim": simulate(params_from_inputs(vals)), "inputs": vals}


def plot_all(out_dir: Path, design_dir: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    runs = [design_pulse(design_dir / f"{s}.toml") for s in DESIGNS]
    files = []

    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    for r in runs:
        h = r["sim"]["history"]
        m = 30  # 3 ms moving average, as the peak output
        vb = h["vb"][:, 0]
        a3 = (vb[:-m] - vb[m:]) / (m * 1e-4) / G0
        ax.plot(h["t"][m // 2: -m // 2 or None] * 1e3, a3, label=r["name"])
    ax.set(xlabel="time (ms)", ylabel="body deceleration (g), 3 ms average",
           title="FMVSS 208 / US NCAP 56 km/h rigid barrier: crash pulse (model)", xlim=(0, 120))
    ax.axhline(0, color="k", lw=0.5)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    files.append(out_dir / "crash_pulse.png")
    fig.tight_layout()
    fig.savefig(files[-1], dpi=120)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    for r in runs:
        h = r["sim"]["history"]
        k = int(np.argmax(h["xb"][:, 0]))
        ax.plot(h["xb"][: k + 1, 0] * 1e3, h["fbar"][: k + 1, 0] * 1e-3, label=r["name"])
        cav = r["outputs"]["crash:front:crush_available"][0]
        ax.axvline(cav, ls=":", lw=0.8, color=ax.lines[-1].get_color())
    ax.set(xlabel="body crush (mm)", ylabel="barrier force (kN): structure + powertrain",
           title="Force-crush (loading), dotted: crush available")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    files.append(out_dir / "force_crush.png")
    fig.tight_layout()
    fig.savefig(files[-1], dpi=120)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(8, 5.5))
    zones = ("bumper", "crash box", "rails to powertrain", "powertrain push-back",
             "tolerated dash intrusion")
    colors = ("#bbbbbb", "#88aadd", "#4477aa", "#ddaa33", "#cc6677")
    labels = []
    for i, r in enumerate(runs):
        o = r["outputs"]
        s1 = o["crash:front:bumper_stroke"][0]
        s2 = o["crash:front:crash_box_stroke"][0]
        gap = o["crash:front:engine_gap"][0]
        clr = r["inputs"]["crash:front:engine_clearance"][0]
        cav = o["crash:front:crush_available"][0]
        widths = (s1, s2, max(gap - s1 - s2, 0.0), clr, cav - gap - clr)
        left = 0.0
        for j, wdt in enumerate(widths):
            ax.barh(2 * i + 0.4, wdt, left=left, height=0.7, color=colors[j],
                    label=zones[j] if i == 0 else None)
            left += wdt
        used = o["crash:front:crush_required"][0]
        ax.barh(2 * i - 0.4, used, height=0.7, color="k", alpha=0.75,
                label="used: max dynamic crush" if i == 0 else None)
        ax.text(used + 5, 2 * i - 0.4, f"{used:.0f} mm", va="center", fontsize=8)
        ax.text(left + 5, 2 * i + 0.4, f"{cav:.0f} mm", va="center", fontsize=8)
        labels.append(r["name"].split(" (")[0])
    ax.set_yticks([2 * i for i in range(len(runs))], labels, fontsize=8)
    ax.set(xlabel="crush along x (mm)",
           title="Crush budget: available by zone (upper) vs used at 56 km/h (lower)")
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3)
    ax.set_xlim(0, 620)
    ax.grid(alpha=0.3, axis="x")
    files.append(out_dir / "crush_budget.png")
    fig.tight_layout()
    fig.savefig(files[-1], dpi=120)
    plt.close(fig)
    return files


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = Path(__file__).resolve().parents[2]
    out = Path(argv[0]) if argv else root / "docs" / "img" / "crash"
    for f in plot_all(out, root / "studies" / "designs"):
        print(f)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
