"""CLI plugin: ``keidesign cost DESIGN.toml...`` and ``keidesign compare BASE VARIANT``.

``cost`` prints the mass and cost breakdown of each design (``--json`` for the numbers).
``compare`` prints what the variant adds to the baseline, by part group (mass, direct
manufacturing cost), the retail-price change and the variant's price position against
the cheapest US cars (``keidesign/data/cost/prices.csv``); ``--plot DIR`` writes the
breakdown and delta figures. Exit status 0, 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from keidesign.errors import InputError
from keidesign.helptext import EXAMPLES, ExamplesFormatter, plain

__all__ = ["COMPARE_EXAMPLES", "register"]

#: ``keidesign compare --help``'s examples, one command a line, each followed by what it
#: shows (tests/test_docs_commands.py runs every command as written).
COMPARE_EXAMPLES = f"""{EXAMPLES}
  keidesign compare studies/designs/nbox_class.toml studies/designs/nbox_class_us.toml
      what the US variant adds to the JDM N-Box class: mass, cost, price position
  keidesign compare studies/designs/nbox_class.toml studies/designs/nbox_class_us.toml --json --plot compare_plots
      the same as JSON, and its two figures in compare_plots/
  keidesign compare studies/designs/nbox_class_us.toml --rules cafe-2024 --rules safe-iii
      the US variant's CAFE target under the 2024 rule and the proposed SAFE III
  keidesign compare studies/designs/nbox_class_us.toml --rules fmvss,cafe-2024 --rules fmvss,us-ncap,safe-iii --changed
      two sets of several packs; only the criteria that differ

exit status: 0 when the comparison ran (a failed criterion is a result), 2 for bad
input (one line naming the file or option, the value and what is allowed)."""  # noqa: E501


def register(subparsers) -> None:
    """Add the ``cost`` and ``compare`` subcommands."""
    co = subparsers.add_parser("cost", help="mass and cost breakdown of design files",
                               description=plain(_cost.__doc__))
    co.add_argument("designs", nargs="+", type=Path, metavar="DESIGN.toml",
                    help="design files")
    co.add_argument("--json", action="store_true", help="JSON on stdout")
    co.set_defaults(handler=_cost, preload=("keidesign.model", "keidesign.evaluation"))

    cm = subparsers.add_parser("compare", help="what a variant adds to a baseline "
                               "(mass, cost, price position), or one design under two "
                               "rule sets (--rules A --rules B)",
                               description=plain(_compare.__doc__),
                               epilog=COMPARE_EXAMPLES, formatter_class=ExamplesFormatter)
    cm.add_argument("base", type=Path, metavar="BASE.toml",
                    help="the baseline design file; with --rules, the one design judged")
    cm.add_argument("variant", type=Path, metavar="VARIANT.toml", nargs="?",
                    help="the variant design file, evaluated against BASE with the same "
                         "model (each with its own rule packs); not with --rules")
    cm.add_argument("--rules", action="append", metavar="PACK[,PACK...]",
                    help="a rule set (pack ids or .toml paths, comma-separated), used "
                         "instead of the design's own packs; give it exactly twice to see "
                         "the design's margins under the two sets side by side")
    cm.add_argument("--changed", action="store_true",
                    help="with --rules: only the criteria whose verdict or margin differs "
                         "(marked * in the full table)")
    cm.add_argument("--json", action="store_true",
                    help="JSON on stdout instead of the table: per part group the base's "
                         "mass and cost and the variant's change, both prices and the "
                         "reference cars' positions (USD 2024); with --rules, every "
                         "criterion's record under each set")
    cm.add_argument("--plot", type=Path, metavar="DIR",
                    help="write breakdown.png (mass and direct cost by part group, "
                         "both designs) and delta.png (what the variant adds, by group) "
                         "into DIR, created if missing; not with --rules")
    cm.set_defaults(handler=_compare, preload=("keidesign.model", "keidesign.evaluation"))


def _evaluate(path: Path):
    from keidesign.design import load_design
    from keidesign.evaluation import design_packs, evaluate_design

    design = load_design(path)
    return design, evaluate_design(design, design_packs(design)).outputs


def _cost(args: argparse.Namespace) -> int:
    """Mass and cost breakdown of each design by part group (direct manufacturing cost,
    USD 2024) and its retail price estimate (retail price equivalent x cost +
    destination) against cost:reference_price (USD 2024)."""
    from keidesign.costing.cpi import BASE_YEAR
    from keidesign.review.cost_report import breakdown, format_breakdown

    results = [_evaluate(p) for p in args.designs]
    if args.json:
        doc = [{"design": str(p), "dollars_of_year": BASE_YEAR,
                "breakdown": {g: {"mass_kg": m, "cost_usd": c}
                              for g, (m, c) in breakdown(o).items()},
                "price_usd": o["cost:price"][0]}
               for p, (_, o) in zip(args.designs, results, strict=True)]
        json.dump(doc[0] if len(doc) == 1 else doc, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print("\n\n".join(format_breakdown(d.name, o) for d, o in results))
    return 0


def _compare(args: argparse.Namespace) -> int:
    """What VARIANT adds to BASE: mass and direct manufacturing cost by part group, the
    retail price estimate (retail price equivalent x cost + destination: a cost-plus
    estimate, not a market price) and its position against the cheapest US cars'
    published prices (keidesign/data/cost/prices.csv). Money is in 2024 US dollars: a
    published price, nominal dollars of its model year, is brought to 2024 dollars by the
    BLS CPI-U annual averages (keidesign/data/cost/cpi.csv) before it is compared, and a
    price without destination is compared with the estimate without it.
    With ``--rules A --rules B`` (and one design): the design's margins under rule set A
    and under rule set B side by side (the policy question: current vs proposed)."""
    if args.rules is not None:
        return _compare_rules(args)
    if args.changed:
        raise InputError("compare --changed: only with --rules A --rules B (it selects the "
                         "criteria that differ between two rule sets); allowed: DESIGN.toml "
                         "--rules A --rules B --changed")
    if args.variant is None:
        raise InputError("compare: VARIANT.toml missing; allowed: BASE.toml VARIANT.toml, "
                         "or DESIGN.toml --rules A --rules B")
    from keidesign.costing.cpi import BASE_YEAR
    from keidesign.outpaths import make_folder
    from keidesign.review.cost_report import (
        compare,
        format_compare,
        plot_compare,
        plot_delta,
        reference_positions,
    )

    if args.plot:  # made (or refused) before the evaluations
        make_folder(args.plot, "--plot", "the plot folder")
    (bd, bo), (vd, vo) = _evaluate(args.base), _evaluate(args.variant)
    if args.json:
        rows = compare(bo, vo)
        p1 = vo["cost:price"][0]
        refs = reference_positions(p1, _destination(vd))
        doc = {"base": str(args.base), "variant": str(args.variant),
               # every *_usd figure in dollars of this year; the references' published
               # prices (nominal, of their model year) as price_usd_nominal
               "dollars_of_year": BASE_YEAR,
               "groups": {g: {"mass_base_kg": m, "d_mass_kg": dm, "cost_base_usd": c,
                              "d_cost_usd": dc} for g, m, dm, c, dc in rows},
               "price_base_usd": bo["cost:price"][0], "price_variant_usd": p1,
               "price_position_usd": vo["cost:price_position"][0],
               "reference_prices": refs}
        json.dump(doc, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        bn, vn = bd.name, vd.name
        if bn == vn:  # a variant edited from its base keeps its name: say which is which
            bn, vn = f"{bn} [{args.base}]", f"{vn} [{args.variant}]"
        print(format_compare(bn, bo, vn, vo, destination=_destination(vd)))
    if args.plot:
        items = [(args.base.stem, bo, args.variant.stem, vo)]
        # any variant (an EV, a longer crush zone), not only a US-compliance one
        title = f"What {args.variant.stem} adds to {args.base.stem}, by part group"
        for f in (plot_compare(items, args.plot / "breakdown.png"),
                  plot_delta(items, args.plot / "delta.png", change="the variant",
                             title=title)):
            print(f"wrote {f}", file=sys.stderr)
    return 0


def _destination(design) -> float:
    """The design's destination charge (``cost:destination``, USD; the registry's
    default when the file gives none)."""
    from keidesign.variables import get

    value = design.values.get("cost:destination")
    return float(get("cost:destination").default if value is None else value)


def _compare_rules(args: argparse.Namespace) -> int:
    from keidesign.design import load_design
    from keidesign.rules_compare import format_side_by_side, side_by_side

    sets = [[p.strip() for p in r.split(",") if p.strip()] for r in args.rules]
    if len(sets) != 2 or not all(sets):
        raise InputError(f"compare --rules: {len(sets)} rule set(s) given "
                         f"({'; '.join(args.rules)}); allowed: exactly two non-empty sets, "
                         "e.g. --rules cafe-2024 --rules safe-iii")
    if args.variant is not None:
        raise InputError(f"compare --rules: one design, got two ({args.base}, "
                         f"{args.variant}); allowed: DESIGN.toml --rules A --rules B")
    if args.plot:
        raise InputError("compare --rules: --plot is for BASE VARIANT comparisons")
    design = load_design(args.base)
    _, rows = side_by_side(design, sets)
    if args.json:
        doc = {"design": str(args.base), "model_year": design.model_year,
               "rule_sets": sets,
               "criteria": [{"criterion": key, "records": recs} for key, recs in rows]}
        json.dump(doc, sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        print(format_side_by_side(design, sets, rows, changed_only=args.changed))
    return 0
