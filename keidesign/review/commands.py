"""CLI plugin: ``keidesign report RESULT_DIR``.

``keidesign report RESULT_DIR [--out FILE] [--baseline DESIGN.toml] [--pareto DIR]
[--sweep DIR] [--no-3d]`` writes ``RESULT_DIR/report.html`` (or ``--out``): a
self-contained HTML design review of the optimum in ``RESULT_DIR`` (a folder written by
``keidesign optimize --out``) against its baseline (the study's base design unless
``--baseline``), images embedded. Exit status 0, 2 for bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from keidesign.errors import show_path
from keidesign.helptext import plain

__all__ = ["register"]


def register(subparsers) -> None:
    """Add the ``report`` subcommand."""
    p = subparsers.add_parser("report", help="self-contained HTML design review of an "
                              "optimize results folder",
                              description=plain(__doc__.split("\n\n")[1]))
    p.add_argument("result_dir", type=Path, metavar="RESULT_DIR",
                   help="folder written by `keidesign optimize --out`")
    p.add_argument("--out", type=Path, metavar="FILE",
                   help="HTML file to write (default: RESULT_DIR/report.html)")
    p.add_argument("--baseline", type=Path, metavar="DESIGN.toml",
                   help="design to compare against (default: the study's base design)")
    p.add_argument("--pareto", type=Path, metavar="DIR",
                   help="a `keidesign pareto` results folder: add its front")
    p.add_argument("--sweep", type=Path, metavar="DIR",
                   help="a `keidesign sweep` map results folder: add its feasibility map")
    p.add_argument("--no-3d", action="store_true", help="leave out the pyvista views")
    p.add_argument("--compare-rules", action="append", metavar="PACK[,PACK...]",
                   help="two rule sets to judge the candidate under side by side "
                        "(default: cafe-2024 vs safe-iii); 'none' leaves it out")
    p.add_argument("--quiet", action="store_true", help="print only the report's path")
    p.set_defaults(handler=_report)


def _rule_sets(raw: list[str] | None):
    """``--compare-rules``: None (the default sets), ``none``, or exactly two sets."""
    from keidesign.errors import InputError
    from keidesign.review.report import POLICY_SETS

    if raw is None:
        return POLICY_SETS
    if [r.strip().lower() for r in raw] == ["none"]:
        return None
    sets = [[p.strip() for p in r.split(",") if p.strip()] for r in raw]
    if len(sets) != 2 or not all(sets):
        raise InputError(f"keidesign report: --compare-rules given {len(sets)} time(s) "
                         f"({'; '.join(raw)}); allowed: exactly two non-empty sets, e.g. "
                         "--compare-rules cafe-2024 --compare-rules safe-iii, or 'none'")
    return sets


def _report(args: argparse.Namespace) -> int:
    from keidesign.errors import InputError
    from keidesign.review.report import build_report

    for opt, name, cmd in ((args.pareto, "pareto.csv", "pareto"),
                           (args.sweep, "cases.csv", "sweep")):
        if opt is not None and not (opt / name).is_file():
            raise InputError(f"keidesign report: {opt} has no {name}; allowed: a folder "
                             f"written by `keidesign {cmd}`")
    if args.baseline is not None and not args.baseline.is_file():
        raise InputError(f"keidesign report: --baseline {args.baseline}: no such file; "
                         "allowed: a design file")
    if args.out is not None:
        from keidesign.outpaths import file_folder

        file_folder(args.out, "--out")  # missing folders are created before the work
    compare = _rule_sets(args.compare_rules)
    log = None if args.quiet else (lambda s: print(f"  {s}", file=sys.stderr))
    out = build_report(args.result_dir, out=args.out, baseline=args.baseline,
                       pareto=args.pareto, sweep=args.sweep, views=not args.no_3d,
                       compare_rules=compare, log=log)
    print(show_path(out))
    return 0
