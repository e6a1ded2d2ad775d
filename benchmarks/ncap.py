"""US NCAP frontal and side: dummy constants fitted on NHTSA tests, stars vs the published.

    python benchmarks/ncap.py               # print the table (about 15 s)
    python benchmarks/ncap.py --write       # refit: rewrite data/crash/occupant_fit.toml
    python benchmarks/ncap.py --write-docs  # rewrite the generated block of docs/crash.md
    python benchmarks/ncap.py --check       # exit 1 if the docs differ

Each car of ``keidesign/data/crash/ncap_ratings.csv`` with a ``us_specs`` generation is
imported from its published specs and evaluated (keidesign.validation.ncap); the model
responses are leave-one-family-out (the constants refitted without the car's family).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import docblock  # noqa: E402  (benchmarks/docblock.py)

from keidesign.crash import occupant as occ  # noqa: E402
from keidesign.crash import side_occupant as sideocc  # noqa: E402
from keidesign.validation import ncap  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "crash.md"
FIT = ROOT / "keidesign" / "data" / "crash" / "occupant_fit.toml"
_LABEL = {"hic15": "HIC15", "deflection": "chest deflection", "nij": "Nij",
          "femur": "femur force"}


def report(rows: list) -> str:
    """Markdown: per-car stars, per-criterion hold-out errors, the fitted constants."""
    tab = ncap.star_table(rows)
    used = [r for r in tab if not r["skipped"]]
    lines = ["| car | published (driver / passenger / vehicle) | from measured dummies "
             "| model, leave-one-family-out |", "| --- | --- | --- | --- |"]

    def fmt(s: dict) -> str:
        return f"{s['driver']} / {s['passenger']} / {s['vehicle']}"

    for r in tab:
        model = fmt(r["model"]) if not r["skipped"] else f"not imported: {r['skipped']}"
        lines.append(f"| {r['car']} | {fmt(r['published'])} | {fmt(r['from_measured'])} "
                     f"| {model} |")
    seats = ("driver", "passenger", "vehicle")
    n = len(used) * 3
    within = sum(abs(r["model"][s] - r["published"][s]) <= 1 for r in used for s in seats)
    exact = sum(r["model"][s] == r["published"][s] for r in used for s in seats)
    veh = sum(abs(r["model"]["vehicle"] - r["published"]["vehicle"]) <= 1 for r in used)
    meas = sum(r["from_measured"][s] == r["published"][s] for r in tab for s in seats)
    lines += ["", f"{len(used)} cars imported ({len(tab) - len(used)} not). Stars from the "
              f"measured dummy values: {meas} of {3 * len(tab)} published ratings reproduced. "
              f"Model (leave-one-family-out): within one star {within} of {n} "
              f"({100 * within / n:.0f} %), vehicle rating within one star {veh} of "
              f"{len(used)}, exact {exact} of {n}.", "",
              "| dummy | criterion | MAE (hold-out) | bias | measured range |",
              "| --- | --- | --- | --- | --- |"]
    for d, who in (("m50", "50th male driver"), ("f05", "5th female passenger")):
        for c in ("hic15", "deflection", "nij", "femur"):
            errs = [r["error"][d][c] for r in used]
            key = "head" if c == "hic15" else c
            vals = [car.measured[d][key] for car in rows if not car.skipped]
            lines.append(f"| {who} | {_LABEL[c]} | {100 * statistics.mean(map(abs, errs)):.0f} % "
                         f"| {100 * statistics.mean(errs):+.0f} % | {min(vals):.3g}-"
                         f"{max(vals):.3g} |")
    k = ncap.fit(rows)
    lines += ["", "Constants (all cars): " + "; ".join(
        f"{d}: " + ", ".join(f"{c} {k[d][c]:.4g}" for c in occ.CRITERIA) for d in occ.DUMMIES)
        + " (head: deceleration ratio; deflection mm, Nij 1 and femur kN per m/s^2)."]
    return "\n".join(lines + ["", side_report(rows)])


_SIDE_LABEL = {"es2re_hic36": "ES-2re driver HIC36 (~dv^2.5)",
               "es2re_rib": "ES-2re rib deflection, mm (~dv)",
               "es2re_abdomen": "ES-2re abdominal force, kN (~dv)",
               "es2re_pubic": "ES-2re pubic force, kN (~dv)",
               "sid2s_hic36": "SID-IIs rear HIC36 (~dv^2.5)",
               "sid2s_pelvis": "SID-IIs rear pelvis force, kN (~dv)",
               "pole_hic36": "pole SID-IIs HIC36 (class average)",
               "pole_pelvis": "pole SID-IIs pelvis force, kN (class average)"}


def side_report(rows: list) -> str:
    """Markdown: side stars per car and the hold-out error per criterion."""
    tab = ncap.side_table(rows)
    used = [r for r in tab if not r["skipped"]]
    lines = ["| car | side stars published | from measured dummies | model, leave-one-family-"
             "out |", "| --- | --- | --- | --- |"]
    for r in tab:
        model = str(r["model"]) if not r["skipped"] else "not imported"
        lines.append(f"| {r['car']} | {r['published']} | {r['from_measured']} | {model} |")
    within = sum(abs(r["model"] - r["published"]) <= 1 for r in used)
    exact = sum(r["model"] == r["published"] for r in used)
    meas = sum(r["from_measured"] == r["published"] for r in tab)
    lines += ["", f"Side: stars from the measured values reproduce {meas} of {len(tab)} "
              f"published ratings; model (leave-one-family-out) within one star for {within} "
              f"of {len(used)}, exact {exact}.", "",
              "| criterion | MAE (hold-out) | bias | measured range |", "| --- | --- | --- | --- |"]
    for crit in sideocc.SIDE_CRITERIA:
        errs = [r["error"][crit] for r in used if crit in r["error"]]
        vals = [c.side[crit] for c in rows if not c.skipped and c.side[crit] == c.side[crit]]
        lines.append(f"| {_SIDE_LABEL[crit]} | {100 * statistics.mean(map(abs, errs)):.0f} % "
                     f"| {100 * statistics.mean(errs):+.0f} % | {min(vals):.3g}-{max(vals):.3g} |")
    ks = ncap.fit_side(rows)
    lines += ["", "Side constants (all cars): " + ", ".join(
        f"{c} {v:.4g}" for c, v in ks.items()) + "."]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="refit and rewrite the constants")
    ap.add_argument("--write-docs", action="store_true", help="rewrite the docs block")
    ap.add_argument("--check", action="store_true", help="exit 1 if the docs block differs")
    args = ap.parse_args()
    rows = ncap.cars()
    if args.write:
        used = sum(1 for c in rows if not c.skipped)
        FIT.write_text(ncap.fit_toml(ncap.fit(rows), ncap.fit_side(rows), used,
                                     "Leave-one-family-out errors: docs/crash.md."),
                       encoding="utf-8")
        print(f"wrote {FIT.relative_to(ROOT)}")
    text = report(rows)
    print(text)
    return docblock.write_or_check(args, DOC, "ncap", text, ROOT)


if __name__ == "__main__":
    sys.exit(main())
