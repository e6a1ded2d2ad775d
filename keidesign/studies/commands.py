"""CLI plugin: ``keidesign optimize | sweep | pareto STUDY.toml``.

Common options: ``--out DIR`` (default ``results/<study file stem>``), ``--set KEY=VALUE``
(override a study-file value, e.g. ``--set sweep.levels=3``), ``--serial`` (run in this
process), ``--workers N`` (processes of the Dask LocalCluster; default: the CPU count),
``--scheduler tcp://HOST:PORT`` (a running Dask scheduler), ``--no-progress``.
``optimize`` takes ``--no-reports``, ``--no-step``, ``--no-resolve``; ``sweep`` and ``pareto``
take ``--resume``. Exit status: 0 when the study ran, 2 for bad
input, 130 when interrupted (the finished cases stay recorded; rerun with ``--resume``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register"]

EXIT_INTERRUPTED = 130


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("study", type=Path, metavar="STUDY.toml")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="results folder (default: results/<study file name>)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides",
                   help="override a study-file value, e.g. sweep.levels=3 (repeatable)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--serial", action="store_true", help="run in this process (no Dask)")
    g.add_argument("--scheduler", metavar="ADDRESS",
                   help="address of a running Dask scheduler (tcp://HOST:PORT)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="worker processes of the Dask LocalCluster (default: CPU count)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def register(subparsers) -> None:
    """Add the ``optimize``, ``sweep`` and ``pareto`` subcommands."""
    op = subparsers.add_parser("optimize", help="optimize a study (SLSQP, analytic totals)",
                               description=_optimize.__doc__)
    _common(op)
    op.add_argument("--no-reports", action="store_true", help="skip OpenMDAO's reports (N2)")
    op.add_argument("--no-step", action="store_true", help="skip the STEP export")
    op.add_argument("--no-resolve", action="store_true",
                    help="trade factors from the multipliers only (no re-solves)")
    op.set_defaults(handler=_optimize)

    sw = subparsers.add_parser("sweep", help="run a study's DOE or feasibility map",
                               description=_sweep.__doc__)
    _common(sw)
    sw.add_argument("--resume", action="store_true",
                    help="continue an interrupted sweep in --out (skips finished cases)")
    sw.set_defaults(handler=_sweep)

    pa = subparsers.add_parser("pareto", help="Pareto front by the epsilon-constraint method",
                               description=_pareto.__doc__)
    _common(pa)
    pa.add_argument("--resume", action="store_true",
                    help="continue an interrupted Pareto run in --out")
    pa.set_defaults(handler=_pareto)


def _load(args: argparse.Namespace):
    from keidesign.studies.spec import load_study

    study = load_study(args.study, overrides=args.overrides)
    out = args.out or Path("results") / args.study.stem
    return study, out


def _runner(args: argparse.Namespace, n_tasks: int | None):
    from keidesign.studies.runner import make_runner

    return make_runner(serial=args.serial, scheduler=args.scheduler, workers=args.workers,
                       n_tasks=n_tasks)


def _progress(args: argparse.Namespace) -> bool:
    return not args.no_progress and sys.stderr.isatty()


def _interrupted(out: Path) -> int:
    print(f"keidesign: interrupted; every finished case is recorded in {out}/. "
          "Continue with the same command and --resume.", file=sys.stderr)
    return EXIT_INTERRUPTED


def _optimize(args: argparse.Namespace) -> int:
    """Optimize a study: multi-start SLSQP with analytic totals; writes the optimal design
    file, its compliance table, trade factors, the recorder file and OpenMDAO reports."""
    from keidesign.studies.optimize import format_result, optimize, start_points

    study, out = _load(args)
    n = len(start_points(study))
    try:
        with _runner(args, n) as runner:
            res = optimize(study, out, runner=runner, reports=not args.no_reports,
                           step=not args.no_step, trade=not args.no_resolve,
                           progress=_progress(args))
    except KeyboardInterrupt:
        return _interrupted(out)
    print(format_result(res))
    print(f"keidesign: results in {out}/ (optimum.toml, compliance.txt, trade_factors.md, "
          "results.json; recorder and reports in optimization_out/)")
    return 0


def _sweep(args: argparse.Namespace) -> int:
    """Run a study's sweep (full factorial, Latin hypercube or a feasibility map); every
    case is recorded as it finishes; --resume continues an interrupted sweep."""
    from keidesign.errors import InputError
    from keidesign.studies.sweep import _chunks, format_summary, generate_cases, run_sweep

    study, out = _load(args)
    if study.sweep is None:
        raise InputError(f"{args.study}: no [sweep] table; `keidesign sweep` needs one "
                         "(method = 'fullfact' | 'lhs', levels, samples, map)")
    n_tasks = len(_chunks(generate_cases(study), study.sweep["chunk"]))
    try:
        with _runner(args, n_tasks) as runner:
            res = run_sweep(study, out, runner=runner, resume=args.resume,
                            progress=_progress(args))
    except KeyboardInterrupt:
        return _interrupted(out)
    print(format_summary(study, res))
    print(f"keidesign: results in {out}/ (" + ", ".join(
        sorted(p.name for p in res.files.values())) + ", cases.sqlite)")
    return 0


def _pareto(args: argparse.Namespace) -> int:
    """Pareto front by the epsilon-constraint method: the first objective is minimized
    (or maximized) with the others held by moving constraint bounds; dominated and failed
    points are dropped."""
    from keidesign.studies.pareto import format_pareto, run_pareto

    study, out = _load(args)
    try:
        res = run_pareto(study, out, runner_factory=lambda n: _runner(args, n),
                         resume=args.resume, progress=_progress(args))
    except KeyboardInterrupt:
        return _interrupted(out)
    print(format_pareto(res))
    print(f"keidesign: results in {out}/ (" + ", ".join(
        sorted(p.name for p in res.files.values())) + ")")
    return 0
