"""CLI plugin: ``keidesign optimize | sweep | pareto STUDY.toml``.

Common options: ``--out DIR`` (default ``results/<study file stem>``), ``--set KEY=VALUE``
(override a study-file value, e.g. ``--set sweep.levels=3``), ``--serial`` (run in this
process), ``--workers N`` (processes of the Dask LocalCluster; default: the CPU count),
``--scheduler tcp://HOST:PORT`` (a running Dask scheduler; also ``HOST:PORT``; the address
is checked before any connection), ``--scheduler-timeout SECONDS`` (how long to wait for
that scheduler to answer; default 10), ``--max-cases N`` (the limit on the work of one
run, see below), ``--overwrite`` (replace the results of an earlier run in ``--out``),
``--no-progress``. ``optimize`` takes ``--no-reports``, ``--no-step``, ``--no-resolve``;
``sweep`` and ``pareto`` take ``--resume`` (not with ``--overwrite``).

Limits: the work a study asks for is counted from its settings before anything is
generated or run, and more than the limit is refused with the count and how to proceed:
``sweep``: cases (``levels`` per variable multiplied, or ``samples``, or ``levels`` x
``levels`` of a map; times the discrete combinations), default 200,000, discrete
combinations (one model set up each), default 1,000, and with ``sweep.step = true`` (a
STEP file per case) cases, default 1,000; ``optimize``:
starts (``1 + driver.multistart`` times the discrete combinations), default 1,000;
``pareto``: optimizations (anchors + ``points**(objectives - 1)`` epsilon points),
default 1,000. ``--max-cases N`` sets the limit of that run.

Results folder: created and locked (``<out>/.keidesign.lock``, ``flock``) for the whole
run, so two runs never write one folder (the second is refused, naming the pid of the
first); a folder that holds the results of an earlier run is refused unless
``--overwrite`` (the earlier results are deleted first) or ``--resume``
(:mod:`keidesign.studies.resultsdir`).

Exit status: 0 when the study ran, 2 for bad input (one line ``keidesign: error: ...``),
130 when interrupted (the finished cases stay recorded; rerun ``sweep``/``pareto`` with
``--resume``, ``optimize`` with ``--overwrite``).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

from keidesign.cli import EXIT_INTERRUPTED
from keidesign.errors import InputError, show, show_path
from keidesign.helptext import plain

__all__ = ["register"]


def _common(p: argparse.ArgumentParser, limit: int, limit_help: str) -> None:
    p.add_argument("study", type=Path, metavar="STUDY.toml",
                   help="study file (docs/studies.md, \"Study files\")")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="results folder (default: results/<study file name>)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides",
                   help="override a study-file value, e.g. sweep.levels=3; an array's "
                   "items counted from 1: variable.8.values=[\"dp_780\"] is the eighth "
                   "[[variable]] (repeatable)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--serial", action="store_true", help="run in this process (no Dask)")
    g.add_argument("--scheduler", metavar="ADDRESS",
                   help="address of a running Dask scheduler (tcp://HOST:PORT or HOST:PORT)")
    p.add_argument("--scheduler-timeout", metavar="SECONDS", default="10",
                   help="seconds to wait for the --scheduler to answer (default: 10)")
    p.add_argument("--workers", metavar="N",
                   help="worker processes of the Dask LocalCluster (default: CPU count; at "
                   "most 4 per CPU)")
    p.add_argument("--max-cases", metavar="N",
                   help=f"the most work this run may do: {limit_help} (default: {limit:,})")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress bar or per-iteration lines")


def _folder_options(p: argparse.ArgumentParser, resume: str | None) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--overwrite", action="store_true",
                   help="replace the results of an earlier run in --out (deleted first)")
    if resume:
        g.add_argument("--resume", action="store_true", help=resume)


def register(subparsers) -> None:
    """Add the ``optimize``, ``sweep`` and ``pareto`` subcommands.

    (The limits in the help texts are ``optimize.MAX_STARTS``, ``sweep.MAX_CASES`` and
    ``pareto.MAX_RUNS``, written out so that ``keidesign --help`` imports no model code;
    a test keeps them equal.)"""
    op = subparsers.add_parser("optimize", help="optimize a study (SLSQP, analytic totals)",
                               description=plain(_optimize.__doc__))
    _common(op, 1_000, "starts, multistart x discrete combinations")
    _folder_options(op, None)
    op.add_argument("--no-reports", action="store_true", help="skip OpenMDAO's reports (N2)")
    op.add_argument("--no-step", action="store_true", help="skip the STEP export")
    op.add_argument("--no-resolve", action="store_true",
                    help="trade factors from the multipliers only (no re-solves)")
    op.set_defaults(handler=_optimize, preload=("keidesign.studies.optimize",))

    sw = subparsers.add_parser("sweep", help="run a study's DOE or feasibility map",
                               description=plain(_sweep.__doc__))
    _common(sw, 200_000, "cases (and discrete combinations, by default 1,000; cases with "
                         "sweep.step = true, by default 1,000)")
    _folder_options(sw, "continue an interrupted sweep in --out (skips finished cases)")
    sw.set_defaults(handler=_sweep, preload=("keidesign.studies.sweep",))

    pa = subparsers.add_parser("pareto", help="Pareto front by the epsilon-constraint method",
                               description=plain(_pareto.__doc__))
    _common(pa, 1_000, "optimizations, anchors + epsilon points")
    _folder_options(pa, "continue an interrupted Pareto run in --out")
    pa.set_defaults(handler=_pareto, preload=("keidesign.studies.pareto",))


#: Most ``--workers`` per CPU: each worker of the LocalCluster is a process of ~200-300 MB
#: that runs one task at a time, so more processes than CPUs only share them; up to 30
#: digits were accepted, and ``--workers 10000`` asked for 2-3 TB of processes before a
#: task ran (audit s39c; bounded since s40b). Four per CPU leaves room for tasks that wait.
WORKERS_PER_CPU = 4


def max_workers() -> int:
    """The largest ``--workers`` of this machine: :data:`WORKERS_PER_CPU` per CPU."""
    return WORKERS_PER_CPU * (os.cpu_count() or 1)


def _positive_int(raw: str | None, option: str) -> int | None:
    if raw is None:
        return None
    text = raw.strip().replace("_", "")
    if not (text.isascii() and text.isdigit()) or len(text) > 30 or int(text) < 1:
        raise InputError(f"{option} {show(raw)}: not allowed; allowed: a whole number >= 1")
    return int(text)


def _check_args(args: argparse.Namespace) -> None:
    """Validate the options (one-line errors) before the study is read."""
    from keidesign.studies.runner import scheduler_address

    args.workers = _positive_int(args.workers, "--workers")
    if args.workers is not None and args.workers > max_workers():
        raise InputError(f"--workers {show(args.workers)}: more worker processes than "
                         f"{WORKERS_PER_CPU} per CPU of this machine ({os.cpu_count() or 1}); "
                         f"allowed: 1 to {max_workers()}")
    args.max_cases = _positive_int(args.max_cases, "--max-cases")
    try:
        timeout = float(args.scheduler_timeout)
    except ValueError:
        timeout = math.nan
    if not (math.isfinite(timeout) and 0 < timeout <= 3600):
        raise InputError(f"--scheduler-timeout {args.scheduler_timeout!r}: not allowed; "
                         "allowed: seconds, a number in (0, 3600]")
    args.scheduler_timeout = timeout
    if args.scheduler is not None:
        args.scheduler = scheduler_address(args.scheduler)


def _load(args: argparse.Namespace):
    from keidesign.studies.spec import load_study

    _check_args(args)
    study = load_study(args.study, overrides=args.overrides)
    if args.out is not None:
        return study, args.out
    out = Path("results") / args.study.stem
    if args.study.stem in ("", ".", ".."):  # '...toml': results/.. is the working folder
        raise InputError(f"{show_path(args.study)}: the default results folder would be "
                         f"{show_path(out)}, not a folder of its own in results/ (a study "
                         "file named '...toml' wrote into the working folder, and "
                         "--overwrite deleted its runs/, before s29a); allowed: a study "
                         "file name with more than dots before .toml, or give --out DIR")
    for p in (out.parent, out):  # the default in a working folder that may come from
        if p.is_symlink():       # someone else: --overwrite there deletes results (s28d)
            raise InputError(f"{p}: a symbolic link (to {os.path.realpath(p)}); the default "
                             "results folder results/<study file name> is never reached "
                             "through a link; allowed: a folder there, or give --out DIR")
    return study, out


def _limit(args: argparse.Namespace, count: int, default: int, what: str, where: str,
           knob: str) -> None:
    """Refuse ``count`` units of work (``what``) above ``--max-cases`` (else ``default``):
    one line naming the file, the setting (``where``), the count, the limit and the ways
    on (reduce ``knob``, or ``--max-cases``)."""
    from keidesign.studies.sweep import count_text

    limit = args.max_cases or default
    if count > limit:
        way = (f", or pass --max-cases {count} to run them knowingly" if count < 10**30
               else "")
        raise InputError(
            f"{args.study}: {where}: {count_text(count)} {what} exceed the limit of {limit} "
            f"{what}{' (--max-cases)' if args.max_cases else ' (the default)'}; reduce "
            f"{knob}{way}")


def _runner(args: argparse.Namespace, n_tasks: int | None):
    from keidesign.studies.runner import make_runner

    return make_runner(serial=args.serial, scheduler=args.scheduler, workers=args.workers,
                       n_tasks=n_tasks, timeout=args.scheduler_timeout)


def _scheduler_before_overwrite(args: argparse.Namespace) -> None:
    """With ``--scheduler`` and ``--overwrite``, connect (and disconnect) first: an
    unreachable scheduler must fail the run before the earlier results are deleted."""
    if args.scheduler is not None and getattr(args, "overwrite", False):
        with _runner(args, 1):
            pass


def _progress(args: argparse.Namespace) -> bool:
    return not args.no_progress and sys.stderr.isatty()


def _interrupted(out: Path, again: str, what: str = "case") -> int:
    """The line after Ctrl-C, with how many ``what`` (cases, Pareto optimizations) the
    folder's store records: 'every finished case is recorded' was all it said, also
    after a Ctrl-C during the set-up, when none was (new-user pass s37d)."""
    from keidesign.studies.store import recorded_count

    store = out / "cases.sqlite"
    n = recorded_count(store) if store.exists() else 0
    done = (f"every finished {what} is" if n is None else f"no {what} yet" if n == 0
            else f"{n:,} {what}{'' if n == 1 else 's'}")
    print(f"keidesign: interrupted; {done} recorded in {show_path(out)}/ (a "
          f"{what} still running is run again). Continue with the same command and "
          f"{again}.", file=sys.stderr)
    return EXIT_INTERRUPTED


def _optimize(args: argparse.Namespace) -> int:
    """Optimize a study: multi-start SLSQP with analytic totals; writes the optimal design
    file, its compliance table, trade factors, the recorder file and OpenMDAO reports.
    An --out folder that holds an earlier run's results is refused unless --overwrite."""
    from keidesign.studies.optimize import (
        MAX_STARTS,
        check_optimizable,
        format_result,
        interrupted_text,
        optimize,
        start_count,
    )
    from keidesign.studies.resultsdir import results_dir
    from keidesign.studies.sweep import count_text

    study, out = _load(args)
    check_optimizable(study)
    n = start_count(study)
    combos = " per discrete combination" if study.discrete else ""
    _limit(args, n, MAX_STARTS, "starts",
           f"driver.multistart = {count_text(study.driver['multistart'])} (1 + multistart "
           f"starts{combos})",
           "driver.multistart" + (" or the discrete [[variable]] values" if combos else ""))
    _scheduler_before_overwrite(args)
    try:
        with results_dir(out, command="optimize", overwrite=args.overwrite), \
                _runner(args, n) as runner:
            res = optimize(study, out, runner=runner, reports=not args.no_reports,
                           step=not args.no_step, trade=not args.no_resolve,
                           progress=_progress(args), overwrite=args.overwrite)
    except KeyboardInterrupt:
        print(interrupted_text(out, n, show_path(out)), file=sys.stderr)
        return EXIT_INTERRUPTED
    print(format_result(res))
    print(f"keidesign: results in {show_path(out)}/ (optimum.toml, compliance.txt, "
          "trade_factors.md, results.json; recorder "
          f"{'in' if args.no_reports else 'and reports in'} optimization_out/)")
    return 0


def _sweep(args: argparse.Namespace) -> int:
    """Run a study's sweep (full factorial, Latin hypercube or a feasibility map); every
    case is recorded as it finishes; --resume continues an interrupted sweep, --overwrite
    replaces an earlier one."""
    from keidesign.studies.resultsdir import results_dir
    from keidesign.studies.sweep import (
        MAX_CASES,
        MAX_COMBINATIONS,
        MAX_STEP_CASES,
        case_count,
        case_count_formula,
        combination_count,
        format_summary,
        run_sweep,
    )

    study, out = _load(args)
    if study.sweep is None:
        raise InputError(f"{args.study}: no [sweep] table; `keidesign sweep` needs one "
                         "(method = 'fullfact' | 'lhs', levels, samples, map)")
    knob = "sweep.samples" if study.sweep["method"] == "lhs" else "sweep.levels"
    _limit(args, case_count(study), MAX_CASES, "cases", case_count_formula(study),
           knob + (" or the discrete [[variable]] values" if study.discrete else ""))
    _limit(args, combination_count(study), MAX_COMBINATIONS, "combinations",
           "the discrete [[variable]] values (each combination a model set up before its "
           "cases)", "the discrete [[variable]] values")
    if study.sweep.get("step"):   # a STEP file (CAD body) per case: ~15 s and ~0.8 MB
        _limit(args, case_count(study), MAX_STEP_CASES, "cases with STEP files",
               "sweep.step = true (the CAD body of every case, ~15 s and ~0.8 MB each)",
               knob + ", or set sweep.step = false")
    _scheduler_before_overwrite(args)
    try:
        with results_dir(out, command="sweep", overwrite=args.overwrite,
                         resume=args.resume):
            # the runner is made by the run: none when --resume finds every case recorded
            res = run_sweep(study, out, runner_factory=lambda n: _runner(args, n),
                            resume=args.resume, overwrite=args.overwrite,
                            progress=_progress(args))
    except KeyboardInterrupt:
        return _interrupted(out, "--resume")
    print(format_summary(study, res))
    step = ", step/ (a STEP file and sidecar per case)" if (out / "step").is_dir() else ""
    print(f"keidesign: results in {show_path(out)}/ (" + ", ".join(
        sorted(p.name for p in res.files.values())) + f", cases.sqlite{step})")
    return 0


def _pareto(args: argparse.Namespace) -> int:
    """Pareto front by the epsilon-constraint method: the first objective is minimized
    (or maximized) with the others held by moving constraint bounds; dominated and failed
    points are dropped. --resume continues an interrupted run, --overwrite replaces an
    earlier one."""
    from keidesign.studies.pareto import (
        MAX_RUNS,
        format_pareto,
        require_pareto,
        run_count,
        run_pareto,
    )
    from keidesign.studies.resultsdir import results_dir
    from keidesign.studies.sweep import count_text

    study, out = _load(args)
    require_pareto(study)
    n_obj = len(study.pareto_objectives)
    _limit(args, run_count(study), MAX_RUNS, "optimizations",
           f"pareto.points = {count_text(study.pareto['points'])} ({n_obj} anchors + "
           f"{count_text(study.pareto['points'])}^{n_obj - 1} epsilon points)",
           "pareto.points")
    _scheduler_before_overwrite(args)
    try:
        with results_dir(out, command="pareto", overwrite=args.overwrite,
                         resume=args.resume):
            res = run_pareto(study, out, runner_factory=lambda n: _runner(args, n),
                             resume=args.resume, overwrite=args.overwrite,
                             progress=_progress(args))
    except KeyboardInterrupt:
        return _interrupted(out, "--resume", "optimization")
    print(format_pareto(res))
    print(f"keidesign: results in {show_path(out)}/ (" + ", ".join(
        sorted(p.name for p in res.files.values())) + ")")
    return 0
