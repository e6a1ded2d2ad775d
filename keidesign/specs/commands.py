"""CLI plugin: ``keidesign import epa|vehicle|spec ...`` (docs/import.md).

Writes a complete design file (TOML) on stdout or to ``-o FILE`` (an existing file is
refused unless ``--force``). ``--predict`` leaves the measured values (published curb
mass, EPA test weight and coast-down) out, so the model predicts them from specs alone.
An ambiguous selection lists the matches on stderr, one a line, and exits 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from keidesign.errors import InputError, show_path
from keidesign.helptext import add_epa_files, check_epa_files, plain

__all__ = ["import_text", "register"]

EXIT_INPUT = 2


def register(subparsers) -> None:
    """Add the ``import`` subcommand with its sources ``epa``, ``vehicle``, ``spec``."""
    im = subparsers.add_parser(
        "import", help="make a design file from a published spec (EPA row, vehicle data "
        "row, spec TOML)", description=plain(__doc__.split("\n\n")[0]))
    sub = im.add_subparsers(dest="source", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("-o", "--output", type=Path, metavar="FILE",
                       help="write the design file here (default: stdout)")
        p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
        p.add_argument("--predict", "--specs-only", dest="predict", action="store_true",
                       help="leave measured curb mass, test weight and coast-down out")
        p.set_defaults(handler=_import, preload=("keidesign.specs.build",))

    ep = sub.add_parser("epa", help="an EPA test-car configuration (+ its label row)",
                        description="Select an EPA test car (keidesign/data/epa) by year, "
                        "make, model (case-insensitive; exact model first, else a part of "
                        "it), transmission (mt6, cvt, ... or manual, automatic, dct, "
                        "hybrid, ev) and drive.")
    ep.add_argument("--year", type=int, help="model year of the test car (2011-2023)")
    ep.add_argument("--make", help="maker as the EPA list writes it, e.g. HONDA")
    ep.add_argument("--model", help="model name, e.g. FIT")
    ep.add_argument("--trans", help="keidesign type (mt6, at6, cvt, dct7, ...) or class")
    ep.add_argument("--drive", choices=("fwd", "rwd", "awd", "4wd"), help="driven wheels")
    ep.add_argument("--index", type=int, help="pick the N-th of several matches")
    add_epa_files(ep, testcars="select the test car from the rows of FILE instead of the "
                  "shipped ones", labels="the label rows to join to them, none if left out")
    common(ep)

    ve = sub.add_parser("vehicle", help="a row of keidesign/data/vehicles (kei.csv, "
                        "us_small.csv, us_specs.csv)",
                        description="Select a row by name (case-insensitive; an exact name "
                        "first, else a part of it) in kei.csv, us_small.csv and us_specs.csv "
                        "(or --file), narrowed by --variant words (code, variant, "
                        "generation, trim) and --year (within the row's model years).")
    ve.add_argument("name", nargs="?", help='e.g. "Suzuki Alto", "FIT"')
    ve.add_argument("--file", choices=("kei", "kei_ev", "us_small", "us_specs"),
                    help="look in this file only")
    ve.add_argument("--make", help="maker, e.g. Honda (instead of or with NAME)")
    ve.add_argument("--model", help="model, e.g. N-Box (instead of or with NAME)")
    ve.add_argument("--variant", "--generation", dest="variant",
                    help="words of the row's code, variant, generation or trim, e.g. turbo")
    ve.add_argument("--year", type=int, help="a model year within the row's years")
    ve.add_argument("--index", type=int, help="pick the N-th of several matches")
    common(ve)

    sp = sub.add_parser("spec", help="a short spec TOML you write (docs/import.md)",
                        description="Build a design file from a short spec TOML you write: "
                        "[vehicle] name, [dimensions] length, width, height and wheelbase, "
                        "[engine] (or [motor] and [battery]), [transmission], optional "
                        "[mass], [aero] and [performance] (every key: docs/import.md, "
                        "\"The spec file\"). What the spec does not give is assumed and "
                        "marked so in the file; a bad field is one error line naming it, "
                        "its value and what is allowed (exit status 2).")
    sp.add_argument("spec", type=Path, metavar="SPEC.toml", help="your spec file")
    common(sp)


def import_text(args: argparse.Namespace) -> str:
    """The design file text the arguments select."""
    from keidesign.specs import sources
    from keidesign.specs.build import build_design
    from keidesign.specs.write import design_text

    testcars, labels = getattr(args, "testcars", None), getattr(args, "labels", None)
    check_epa_files(testcars, labels, "import epa")
    if args.source == "epa" and testcars is not None:
        from keidesign.energy import epafiles

        # the user's rows: selected, built and predicted from them, no result cache
        with epafiles.using(testcars, labels) as (t, lab):
            print(f"keidesign import epa: rows of {t.note()}"
                  + (f"; labels {lab.note()}" if lab else "; no label file"), file=sys.stderr)
            spec = sources.epa_spec(args.year, args.make, args.model, args.trans,
                                    args.drive, args.index)
            header, tables = build_design(spec, predict=args.predict, cache=False)
        return design_text(header, tables)
    if args.source == "epa":
        spec = sources.epa_spec(args.year, args.make, args.model, args.trans, args.drive,
                                args.index)
    elif args.source == "vehicle":
        spec = sources.vehicle_spec(args.name, args.file, args.make, args.model,
                                    args.variant, args.year, args.index)
    else:
        spec = sources.user_spec(args.spec)
    header, tables = build_design(spec, predict=args.predict,
                                  cache=getattr(args, "own_process", False))
    return design_text(header, tables)


def spec_design_error(spec: Path, detail: str) -> str:
    """The one line for a spec file whose imported design fails the design check (values
    and body layout, as ``keidesign check``) in a way the spec's own check
    (:func:`keidesign.specs.build.check_spec_derivations`: a 5 m car's crush length, a
    wheelbase longer than the length, since s27a) does not foresee (a short car's rear
    seat cell, a high ground clearance under the belt line): the spec file named first
    (before: ``<import>: ...``, no file), then the design check's message, then the spec
    keys of the design fields it names."""
    from keidesign.specs.sources import USER_SCHEMA

    named = [f"{d.replace(':', '.')} is {t}.{k}" for t, keys in USER_SCHEMA.items()
             for k, d in keys.items() if isinstance(d, str)
             and d.replace(":", ".") in detail]
    where = (f" (in the spec file: {', '.join(dict.fromkeys(named))})" if named else
             " (a value the import derives from the spec file's values)")
    return (f"{show_path(spec)}: the design imported from it fails the design check: "
            f"{detail}{where}")


def _import(args: argparse.Namespace) -> int:
    from geometry.params import layout_from_design
    from keidesign.design import parse_design
    from keidesign.outpaths import file_folder
    from keidesign.specs.sources import AmbiguousSelection

    out: Path | None = args.output
    if out is not None and out.exists() and not args.force:
        raise InputError(f"{show_path(out)}: exists; allowed: a new file, or --force to "
                         "overwrite it")
    if out is not None:
        file_folder(out, "-o")  # missing folders are created before the work
    try:
        text = import_text(args)
    except AmbiguousSelection as exc:
        for line in exc.choices:
            print(f"  {line}", file=sys.stderr)
        raise
    # the file must be a valid design, as `keidesign check` reads it (values, then the body
    # layout: before s27a the layout was left to check/evaluate, so a spec whose overhang
    # was shorter than its tyre's wheel arch was written): a failure here is a bug of the
    # import, or, for a user's spec file, values the import derives from it that leave the
    # design ranges and that the spec's own check does not foresee
    label = str(out) if out else "<import>"
    try:
        layout_from_design(parse_design(text, label))
    except InputError as exc:
        if args.source != "spec":
            raise
        raise InputError(spec_design_error(args.spec, str(exc).removeprefix(f"{label}: ")))\
            from None
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    return 0
