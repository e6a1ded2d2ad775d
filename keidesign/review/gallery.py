"""Regenerate the review figures of the docs (``docs/img/review/*.png``) and a sample
report.

``python -m keidesign.review.gallery [--out DIR] [--work DIR]`` runs, with small
settings, the studies the figures show, into ``--work`` (default: a temporary folder):

* study (a) ``studies/tallboy_ice_min_mass.toml`` with one rail grade (``dp_780``): the
  US-compliant tall-boy optimum (the study's own ``[set.mass] market = "us"`` fits the US
  content: air bags, TPMS, Part 581 bumpers, ...);
* study (c) ``studies/pareto_mass_mpg_frontal.toml`` with a 3 x 3 epsilon grid;
* study (d) ``studies/feasibility_crush_height.toml`` on an 11 x 11 grid;

then writes the figures comparing the optimum with its JDM baseline
(``studies/designs/nbox_class.toml``) and the hand-made US variant
(``studies/designs/nbox_class_us.toml``), the EV trade and the fleet figure, and
``report.html`` of the optimum in the work folder. Takes about a minute on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DESIGNS = ROOT / "studies" / "designs"

#: ``--set`` overrides of study (a) for a review run (one rail grade; the study fits the US
#: content itself); the record list names only quantities every model version computes.
REVIEW_OVERRIDES = ('variable.8.values=["dp_780"]',
                    'study.record=["mass:curb", "energy:label_comb_mpg", '
                    '"crash:front:crush_required", "crash:front:mean_decel"]')


def run_studies(work: Path, *, pareto: bool = True, sweep: bool = True) -> dict[str, Path]:
    """Run the small review versions of studies (a), (c), (d) into ``work``."""
    from keidesign.studies.optimize import optimize
    from keidesign.studies.pareto import run_pareto
    from keidesign.studies.runner import SerialRunner
    from keidesign.studies.spec import load_study
    from keidesign.studies.sweep import run_sweep

    out = {"optimize": work / "optimize"}
    study = load_study(ROOT / "studies" / "tallboy_ice_min_mass.toml", REVIEW_OVERRIDES)
    optimize(study, out["optimize"], runner=SerialRunner(), reports=False, step=False)
    if pareto:
        out["pareto"] = work / "pareto"
        run_pareto(load_study(ROOT / "studies" / "pareto_mass_mpg_frontal.toml",
                              ["pareto.points=3"]), out["pareto"],
                   runner_factory=lambda n: SerialRunner())
    if sweep:
        out["sweep"] = work / "sweep"
        run_sweep(load_study(ROOT / "studies" / "feasibility_crush_height.toml",
                             ["sweep.levels=11", "sweep.chunk=11"]), out["sweep"],
                  runner=SerialRunner())
    return out


def write_figures(dirs: dict[str, Path], out: Path) -> list[Path]:
    """The docs figures from the study folders ``dirs`` (see :func:`run_studies`)."""
    from keidesign.review import plots, scene
    from keidesign.review.candidate import load_candidate
    from keidesign.review.report import _packs, build_report, load_result

    out.mkdir(parents=True, exist_ok=True)
    res = load_result(dirs["optimize"])
    packs = _packs(res["evaluation"])
    base = load_candidate(DESIGNS / "nbox_class.toml", packs=packs, label="JDM baseline")
    us = load_candidate(DESIGNS / "nbox_class_us.toml", packs=packs,
                        label="US variant (hand-made)")
    opt = load_candidate(dirs["optimize"] / "optimum.toml", packs=packs, label="US optimum")
    files = [
        scene.render(base, out / "xray_nbox.png", size=(1000, 620)),
        scene.compare([base, us, opt], out / "compare_front34.png", size=(700, 500)),
        scene.compare([base, us, opt], out / "compare_side.png", view="side",
                      size=(700, 380), legend=False),
        scene.compare([base, opt], out / "compare_exterior.png", style="exterior",
                      crush=False, legend=False, size=(620, 400)),
        plots.save(plots.crash_pulse([base, us, opt]), out / "crash_pulse.png"),
        plots.save(plots.force_crush([base, us, opt]), out / "force_crush.png"),
        plots.save(plots.crush_budget([base, us, opt]), out / "crush_budget.png"),
        plots.save(plots.cycle_traces([base, opt]), out / "cycles.png"),
        plots.save(plots.constraint_margins([base, opt]), out / "margins.png"),
        plots.save(plots.optimization_history(dirs["optimize"] / "history.json"),
                   out / "history.png"),
        plots.mass_cost_breakdown(base, opt, out / "mass_cost.png"),
    ]
    if "pareto" in dirs:
        files.append(plots.save(plots.pareto_front(dirs["pareto"], chosen=opt,
                                                   chosen_label="US optimum (study a)"),
                                out / "pareto.png"))
    if "sweep" in dirs:
        files.append(plots.save(plots.feasibility_map(dirs["sweep"], chosen=opt,
                                                      chosen_label="US optimum (study a)"),
                                out / "feasibility.png"))
    evs = [load_candidate(DESIGNS / "sakura_class.toml", label=f"{k:g} kWh",
                          **{"powertrain:bev:battery_energy": float(k)})
           for k in (15, 20, 25, 30, 35, 40, 50)]
    files.append(plots.save(plots.ev_trade(evs), out / "ev_trade.png"))
    fleet = [load_candidate(DESIGNS / f"{n}.toml", label=lab) for n, lab in (
        ("alto_class", "Alto class"), ("nbox_class", "N-Box class"),
        ("sakura_class", "Sakura class"), ("mirage_class", "Mirage class (US)"))]
    files.append(plots.save(plots.fleet_compatibility(fleet + [opt]), out / "fleet.png"))
    build_report(dirs["optimize"], pareto=dirs.get("pareto"), sweep=dirs.get("sweep"))
    return files


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("OPENMDAO_REPORTS", "0")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], allow_abbrev=False)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "review")
    ap.add_argument("--work", type=Path, help="study folder (default: temporary)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="keidesign-gallery-") as tmp:
        work = args.work or Path(tmp)
        for p in write_figures(run_studies(work), args.out):
            print(p)
        print(work / "optimize" / "report.html")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
