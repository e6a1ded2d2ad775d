"""Crash verdicts of US-certified cars and IIHS roof ratios (docs/crash.md, "Known
outcomes"; issue 14).

    python benchmarks/crash_outcomes.py               # print the tables (~1 min)
    python benchmarks/crash_outcomes.py --write-docs  # rewrite the generated block
    python benchmarks/crash_outcomes.py --check       # exit 1 if the docs differ

Every us_specs.csv generation is imported from its published specs and evaluated with
the fmvss pack (keidesign/validation/crash.py); nothing is fitted to these outcomes.

The block also carries, from the same evaluations, the figures of the crash probes
that the prose of docs/crash.md quotes and that need every certified car (so a test can
hold the prose to the block without the minute-long run; the block itself is held by
``--check``): the certified cars' pulses against the published band (the first two rows
of ``crash_probes.py pulse_band``; since 6 Dec 2026 the same against the NHTSA fleet's
band, ``crash_probes.py fleet_band``) and their side forces and side margins as modelled and
with each car's side force scaled (``crash_probes.py side_force --force 202`` and
``--force 127``, the same :func:`crash_probes.side_margins`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import crash_probes  # noqa: E402  (benchmarks/crash_probes.py)
import docblock  # noqa: E402  (benchmarks/docblock.py)

from keidesign.review.plots import published_pulse_band  # noqa: E402
from keidesign.validation import crash as cv  # noqa: E402
from keidesign.validation import fleet_pulses as fp  # noqa: E402
from keidesign.validation import own_tests as ot  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "crash.md"


#: the what-if side forces of the side-force table (kN): the middle of the IIHS window
#: (``crash_probes.SIDE_FORCE_KN``) and the pinned-pillar lower bound of the default
#: structure (docs/crash.md, "The side force after the redefinition")
SIDE_WHAT_IFS = (crash_probes.SIDE_FORCE_KN, 127.0)

#: side_margins keys -> the table's column (criterion against its distance)
SIDE_COLUMNS = {
    "MDB crush / door skin to seat centreline": "`fmvss214.mdb.crush_space`",
    "MDB crush at the tank's or battery's station / side skin to it "
    "(fmvss301.side_crush_space)": "`fmvss301.side_crush_space`",
    "MDB crush / door skin to 95th-male hip": "MDB crush past the 95th-male hip (old bound)",
    "pole crush / door skin to seat centreline": "`fmvss214.pole.crush_space`",
}


def band_table(res: dict) -> str:
    """The certified generations' 56 km/h pulses against the published band
    (``review.plots.published_pulse_band``), as ``crash_probes.py pulse_band`` counts
    them: ESW and time average V / t0 against the tests' ESW range, the 3 ms peak against
    their CFC 60 peaks; all the generations, and those with their own NCAP test."""
    band = published_pulse_band()
    cars = res["cars"]
    ncap = {c["car"] for c in cv.ncap_pulse_checks(res)}
    lo, hi, n = band["esw"]
    plo, phi, _ = band["peak"]
    lines = [f"56 km/h pulses of the certified cars against the published band ({n} US NCAP "
             f"small-car tests, `Valid` rows: ESW {lo:.1f}-{hi:.1f} g, CFC 60 peak "
             f"{plo:.1f}-{phi:.1f} g; `crash_probes.py pulse_band`):", "",
             f"| set | ESW within {lo:.1f}-{hi:.1f} g | time average within {lo:.1f}-{hi:.1f} g "
             f"| 3 ms peak within {plo:.1f}-{phi:.1f} g | ranges: ESW; time average; peak, g |",
             "| --- | --- | --- | --- | --- |"]
    for tag, figs in (("certified generations", [v.pulse for v in cars]),
                      ("of which with their own NCAP test",
                       [v.pulse for v in cars if v.name in ncap])):
        within = [sum(lo <= f[k] <= hi for f in figs) for k in ("esw_g", "mean_g")]
        within.append(sum(plo <= f["peak_g"] <= phi for f in figs))
        rng = "; ".join(f"{min(f[k] for f in figs):.1f}-{max(f[k] for f in figs):.1f}"
                        for k in ("esw_g", "mean_g", "peak_g"))
        lines.append(f"| {tag} ({len(figs)}) | " + " | ".join(map(str, within))
                     + f" | {rng} |")
    return "\n".join(lines)


def fleet_table(res: dict) -> str:
    """The certified generations' 56 km/h pulses against the NHTSA fleet's band
    (``keidesign.validation.fleet_pulses``, the rule pre-registered on 6 Dec 2026): P's
    size, its ESW and CFC 60 peak bands (2.5th-97.5th percentiles) and min-max, the counts
    of the rule's three conditions and its verdict, as ``crash_probes.py fleet_band``
    prints them."""
    cars = [{"name": v.name, **v.pulse} for v in res["cars"]]
    rows = fp.fleet_pulse_rows()
    lo_kg, hi_kg, _ = fp.certified_curb_range([c["name"] for c in cars], fp.us_specs_curbs())
    whole = fp.fleet_population(rows, None)
    band = fp.fleet_band(fp.fleet_population(rows, (lo_kg, hi_kg)))
    j = fp.judge(band, cars)
    elo, ehi, _, _ = band["esw"]
    plo, phi, pmin, pmax = band["peak"]
    joined = sum(bool(r["make"]) for r in whole)
    return "\n".join([
        f"56 km/h pulses of the certified cars against the NHTSA fleet's band (pre-registered "
        f"rule, `data/crash/ncap_fleet_pulses.csv`: P = {band['n']} `Valid` rigid-wall 0 deg "
        f"tests at {fp.SPEED_RANGE_KMH[0]:g}-{fp.SPEED_RANGE_KMH[1]:g} km/h with a ratings "
        f"row's curb within the certified generations' published curbs "
        f"{lo_kg:.0f}-{hi_kg:.0f} kg, of the {joined} of {len(whole)} such tests whose ratings "
        "row was read; P's 2.5th-97.5th percentiles; `crash_probes.py fleet_band`):", "",
        f"| set | ESW within {elo:.1f}-{ehi:.1f} g | 3 ms peak within {plo:.1f}-{phi:.1f} g | "
        f"3 ms peak within P's min-max {pmin:.1f}-{pmax:.1f} g | rule (all ESW, >= "
        f"{fp.PEAK_SHARE:.0%} of peaks, no peak outside the min-max) |",
        "| --- | --- | --- | --- | --- |",
        f"| certified generations, fleet band ({j['n_cars']}) | {j['esw_in']} | {j['peak_in']} | "
        f"{j['peak_in_range']} | {j['verdict']} |"])


def side_table(res: dict) -> str:
    """The certified generations' side force and crush as modelled, and their side
    criteria with each car's side force scaled to :data:`SIDE_WHAT_IFS`
    (:func:`crash_probes.side_margins`, as ``crash_probes.py side_force`` prints them)."""
    cars = res["cars"]
    s = [v.side for v in cars]
    force, pole = [x["force_kn"] for x in s], [x["pole_force_kn"] for x in s]

    def span(xs: list[float]) -> str:
        return f"{min(xs):.0f}-{max(xs):.0f}"

    lo, hi = f"{min(pole):.1f}", f"{max(pole):.1f}"
    lines = [f"Side load cases of the certified cars (FMVSS 214 MDB face; `crash_probes.py "
             f"side_force --force KN` scales each car's side force to KN): MDB force "
             f"{span(force)} kN, crush {span([x['mdb_crush_mm'] for x in s])} mm; pole force "
             + (lo if lo == hi else f"{lo}-{hi}") + " kN, crush "
             f"{span([x['pole_crush_mm'] for x in s])} mm.", "",
             "| each car's side force | MDB crush, mm | " + " | ".join(SIDE_COLUMNS.values())
             + " |", "| --- | --- |" + " --- |" * len(SIDE_COLUMNS)]
    for f_kn in (None, *SIDE_WHAT_IFS):
        margins = crash_probes.side_margins(cars, f_kn)
        crush = [x["mdb_crush_mm"] * (1.0 if f_kn is None else x["force_kn"] / f_kn)
                 for x in s]
        label = f"as modelled ({span(force)} kN)" if f_kn is None else f"scaled to {f_kn:g} kN"
        cells = [f"{sum(m < 0.0 for m in margins[k])} of {len(cars)}, {min(margins[k]):+.0f}"
                 for k in SIDE_COLUMNS]
        lines.append(f"| {label} | {span(crush)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def own_tests_table(res: dict) -> str:
    """Each certified generation against its own NHTSA frontal test (docs/crash.md, "Each
    certified car against its own NCAP test"): the per-car table and the pre-registered
    summaries, as ``crash_probes.py own_tests`` prints them (its block part ``own_tests``)."""
    years = ot.generation_years()
    own = ot.own_tests(ot.extract_rows(), fp.fleet_pulse_rows(),
                       ot.name_table(generations=set(years)), years)
    rows = ot.compare({v.name: v.pulse for v in res["cars"]}, own, ot.fitted_tests())
    return "\n".join(crash_probes.own_tests_lines(rows))


def main() -> int:
    args = docblock.arguments(__doc__)
    res = cv.certified_cars()
    text = "\n\n".join((cv.markdown(res, cv.roof_checks()).strip(), band_table(res),
                         fleet_table(res), side_table(res)))
    own = own_tests_table(res)
    print(text)
    print()
    print(own)
    return max(docblock.write_or_check(args, DOC, "crash_outcomes", text, ROOT),
               docblock.write_or_check(args, DOC, "crash_outcomes", own, ROOT, "own_tests"))


if __name__ == "__main__":
    sys.exit(main())
