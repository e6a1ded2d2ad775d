"""CLI plugin: ``keidesign validate`` (the models against EPA-tested cars) and
``keidesign calibrate energy|mass [OPTIONS]`` (refit a model's constants on the shipped
data: :mod:`keidesign.energy.calibration`, :mod:`keidesign.mass.calibration`; their own
options follow the model name, e.g. ``keidesign calibrate mass --write``).

Runs the comparisons of :mod:`keidesign.validation.fueleconomy` over the shipped EPA
Test Car List rows (MY2011–2023 small cars, de-duplicated by ``Test Number``) and
prints the per-class tables (docs/validation.md). ``--quick`` takes every 6th
configuration and a two-point strategy grid (about 3.5 minutes on 2 cores instead of
about 18, as docs/validation.md gives them);
``--json FILE`` writes the numbers and per-car predictions, ``--plots DIR`` the parity
plots and error histograms. ``--testcars FILE [--labels FILE]`` runs a user's EPA rows
instead (:func:`keidesign.validation.report.run_external`: the shipped constants, nothing
refitted; the files checked by :mod:`keidesign.energy.epafiles`). Exit status 0, 2 for bad
input.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from keidesign.helptext import add_epa_files, check_epa_files

__all__ = ["register"]

#: ``keidesign validate --help`` text (plain: argparse prints it as written)
VALIDATE_HELP = (
    "Run the models over the shipped EPA Test Car List rows (MY2011-2023 small cars, "
    "de-duplicated by Test Number) and print the per-class tables, leave-one-family-out "
    "(docs/validation.md). --quick takes every 6th configuration and a two-point strategy "
    "grid (about 3.5 minutes on 2 cores instead of about 18); --json FILE writes the numbers "
    "and per-car predictions, --plots DIR the parity plots and error histograms. "
    "--testcars FILE [--labels FILE]: your own EPA rows (the shipped files' columns) "
    "instead, with the shipped constants, nothing refitted (docs/validation.md, 'Your own "
    "EPA rows'). Exit status 0, 2 for bad input.")

#: ``keidesign calibrate --help`` text
CALIBRATE_HELP = (
    "Refit the energy or the mass model's constants on the shipped data "
    "(keidesign.energy.calibration, keidesign.mass.calibration). The fit's own options "
    "follow the model name, e.g. keidesign calibrate mass --write; "
    "keidesign calibrate MODEL --help lists them. Exit status 0, 2 for bad input.")


def register(subparsers) -> None:
    """Add the ``validate`` subcommand."""
    va = subparsers.add_parser("validate", help="the models against EPA-tested cars "
                               "(leave-one-family-out)", description=VALIDATE_HELP)
    va.add_argument("--quick", action="store_true",
                    help="every 6th car and a two-point grid (~3.5 min on 2 cores, not ~18)")
    va.add_argument("--json", type=Path, metavar="FILE", help="write the numbers as JSON")
    va.add_argument("--plots", type=Path, metavar="DIR",
                    help="write parity plots and error histograms (PNG) into DIR")
    add_epa_files(va, testcars="run YOUR rows of FILE with the shipped constants, nothing "
                  "refitted, instead of the shipped rows",
                  labels="their label rows, for the label comparisons")
    va.set_defaults(handler=_validate)
    ca = subparsers.add_parser("calibrate", help="refit the energy or mass model's "
                               "constants on the shipped data",
                               description=CALIBRATE_HELP)
    ca.add_argument("model", choices=("energy", "mass"),
                    help="the model whose constants are refitted")
    ca.add_argument("options", nargs=argparse.REMAINDER,
                    help="the fit's own options (see `keidesign calibrate MODEL --help`)")
    ca.set_defaults(handler=_calibrate)


def _calibrate(args: argparse.Namespace) -> int:
    from keidesign.energy import calibration as energy
    from keidesign.mass import calibration as mass

    fit = {"energy": energy.main, "mass": mass.main}[args.model]
    return fit(args.options, prog=f"keidesign calibrate {args.model}")


def _validate(args: argparse.Namespace) -> int:
    from keidesign.errors import InputError, show_path
    from keidesign.outpaths import file_folder, make_folder
    from keidesign.validation import report

    # create the outputs' folders before the minutes of work, so a bad path fails at once
    if args.json is not None:
        file_folder(args.json, "--json")
        try:
            args.json.open("a", encoding="utf-8").close()
        except OSError as exc:
            raise InputError(f"validate: cannot write {show_path(args.json)}: "
                             f"{exc.strerror or exc}") from None
    if args.plots is not None:
        make_folder(args.plots, "--plots", "the plot folder")
    check_epa_files(args.testcars, args.labels, "validate")
    if args.testcars is not None:
        if args.quick or args.plots is not None:
            raise InputError("validate --testcars: --quick and --plots are for the shipped "
                             "rows; allowed: --testcars FILE [--labels FILE] [--json FILE]")
        from keidesign.energy import epafiles

        with epafiles.using(args.testcars, args.labels) as (t, lab):
            from keidesign.energy import testcars

            n = len(testcars.test_cars())
            if n > epafiles.MAX_VALIDATE:
                raise InputError(f"{t.note()}: {n:,} configurations; allowed: at most "
                                 f"{epafiles.MAX_VALIDATE:,} (a model run each; the shipped "
                                 "rows hold 674): split the file")
            res = report.run_external(labels=lab is not None)
            print(f"Test rows: {t.note()}" + (f"; label rows: {lab.note()}" if lab else
                                             "; no label file") + "\n")
            print(report.markdown(res))
    else:
        res = report.run(quick=args.quick)
        print(report.markdown(res))
    if args.json is not None:
        try:
            args.json.write_text(json.dumps(report.as_json(res), indent=1) + "\n",
                                 encoding="utf-8")
        except OSError as exc:
            raise InputError(f"validate --json {show_path(args.json)}: cannot write: "
                             f"{exc.strerror}") from None
    if args.plots is not None:
        try:
            for p in report.plots(res, args.plots):
                print(f"wrote {p}")
        except OSError as exc:
            raise InputError(f"validate --plots {show_path(args.plots)}: cannot write: "
                             f"{exc.strerror}") from None
    return 0
