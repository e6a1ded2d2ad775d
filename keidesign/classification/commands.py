"""CLI plugin: ``keidesign classify DESIGN.toml [--json] [--state NAME] [--map PNG]``.

The design's federal class (passenger car, truck, low-speed vehicle, below the LSV
band) with the thresholds it met, the safety and fuel-economy rules that then apply,
the import route, and where it may drive in each state (full, limited, prohibited,
unknown), every state rule with its source and date (keidesign/data/states); ``--map``
writes the US tile map of the access levels. Not legal advice. Exit status 0, 2 for bad
input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from keidesign.helptext import plain

__all__ = ["register"]


def register(subparsers) -> None:
    """Add the ``classify`` subcommand."""
    cl = subparsers.add_parser("classify", help="federal class and state road access of "
                               "a design", description=plain(__doc__))
    cl.add_argument("design", type=Path, metavar="DESIGN.toml", help="the design file classified")
    cl.add_argument("--json", action="store_true", help="JSON on stdout")
    cl.add_argument("--state", metavar="NAME", help="only this state's rules (text and "
                    "--json; the summary still counts every state, and --map draws all)")
    cl.add_argument("--map", type=Path, metavar="PNG",
                    help="write the US map of the access level by state (PNG)")
    cl.set_defaults(handler=_classify)


def _classify(args: argparse.Namespace) -> int:
    from keidesign.classification import report, states
    from keidesign.design import load_design
    from keidesign.errors import InputError

    if args.state and args.state.lower() not in {s.lower() for s in states.STATES}:
        from keidesign.inputfiles import did_you_mean

        hint = did_you_mean(args.state, states.STATES, 0.6, "did you mean {!r}? ")
        raise InputError(f"classify --state {args.state!r}: not a US state name; {hint}"
                         "allowed: a state's full name (e.g. 'New Mexico') or 'District of "
                         "Columbia'")
    if args.map is not None and args.map.suffix.lower() != ".png":
        raise InputError(f"classify --map {str(args.map)!r}: not a .png file; allowed: a "
                         "path ending in .png")
    if args.map is not None:
        from keidesign.outpaths import file_folder

        file_folder(args.map, "--map")  # missing folders are created before the work
    doc = report.classify_design(load_design(args.design))
    if args.json:
        shown = doc if not args.state else dict(doc, states=[
            r for r in doc["states"] if r["state"].lower() == args.state.lower()])
        print(json.dumps(shown, indent=1))
    else:
        print(report.text(doc, args.state))
    if args.map:
        from keidesign.review.access_map import access_map

        try:
            out = access_map(doc, args.map)
        except OSError as exc:
            raise InputError(f"classify --map {str(args.map)!r}: cannot be written "
                             f"({exc.strerror or exc}); allowed: a .png path this user "
                             "may write") from None
        print(f"wrote {out}", file=sys.stderr)
    return 0
