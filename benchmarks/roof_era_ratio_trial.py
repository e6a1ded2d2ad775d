"""The roof's design era: each generation sized to the ratio of its era, held out over all
11 IIHS comparisons (issue 14, task s33a; 6 Dec 2026): a trial with its ship rule.

    python benchmarks/roof_era_ratio_trial.py              # rules 1-4 (about 2-4 min)
    python benchmarks/roof_era_ratio_trial.py --federal    # and rule 5 (about 20-30 min)
    python benchmarks/roof_era_ratio_trial.py --joint [--federal]   # task s33g: with the
                                                    # B-pillar joint law (below)
    python benchmarks/roof_era_ratio_trial.py --write-docs   # the shipped model held out
                                          # (about 3 min): docs/crash.md's block; --check

The idea (docs/crash.md, "The roof's design era, held out over all 11"): makers size a
roof to the target of its design era. Before IIHS's roof rating (first ratings 2009, a
Top Safety Pick needs good >= 4.0 from the 2010 award year) and FMVSS 216a (3.0 x the
unloaded weight, final rule 74 FR 22348, May 2009, phased in MY2013-2017) the rule was
FMVSS 216's 1.5 x, and roofs were weaker (IIHS release of 20 Aug 2009: roofs "have gotten
stronger during the past few years") [R]. The candidate, an assumption [A] with two
fitted values:

    era(g)   = pre    if the generation's first US model year <= 2009 (launched before
                      MY2010; the import's ``first_model_year``, from us_specs
                      ``model_years``), else modern
    SWR_pre  = exp(mean ln IIHS_i) over the pre-era generations with an IIHS ratio on
               file (known_outcomes.csv, first year of ``model_years``;
               iihs_roof_strength.csv ``launch_model_year``), importable or not (the
               sized model's ratio equals the target by construction, so the fit needs
               no model run)
    SWR*     = exp(mean ln (IIHS_u / r_u)) over the modern generations the import sizes,
               r_u the model's ratio per unit target (1 where the wall is inside the
               registry's range): the shipped 5.34 refitted, the Fiat 500 now sized
    t_A      = build.roof_pillar_thickness(..., curb, SWR_era(g))   (unchanged closed form)

and the curb the roof is sized to, for a non-kei, non-``--predict`` import: the import's
(``build._import_curb``: published, or EPA test weight - 136 kg), else the published curb
of the generation's outcome row (``known_outcomes.csv`` ``curb_mass_kg`` /
``iihs_roof_strength.csv`` ``iihs_curb_weight_kg`` through the rows' us_specs key, the
curb the IIHS comparison already divides by: smart 451 816, MINI R56 1,150, Fiat 500
1,072 kg [R]); roof only (the front, restraint and mass model keep the import's curb, as
task s24b kept those curbs out of us_specs). Held out by family (``validation.crash.
family``): each of the 11 compared cars is sized with SWR_pre and SWR* fitted without
its family (where it is one of the fitting cars).

Ship rule, written before the first run (6 Dec 2026, 16:05 UTC; committed with this code
before any run). The candidate ships only if ALL hold:

1. held out, at least 9 of the 11 compared generations within +/-20 % of IIHS;
2. held out, the mean absolute error below the shipped one (22.2 %, recomputed in the
   same run);
3. held out, |mean error| <= 10 %;
4. (added to the brief's rule, from tasks s24b and s27c, where the registry's A-pillar
   bound and not the ratio set the era cars' roofs) rule 1 is counted without any car
   whose sized A-pillar wall sits at the registry's bound (0.4 or 6.0 mm): such a car's
   roof is the model's floor (or ceiling), not its era's ratio; both counts are printed;
5. no certified generation newly failing a federal criterion (``validation.crash.
   certified_cars`` with and without the candidate, the ratios fitted on all cars; run
   with ``--federal`` only if 1-4 pass);
6. kei imports and the reference designs unchanged (by construction: the import sizes
   no kei roof, the reference designs are not imports, and the outcome curb is read only
   for a us_specs row matched to an outcome row).
Also reported, not judged: the two halves of the candidate apart (the outcome curb at
the one modern ratio, no era; the era without the outcome curb), so what moves the count
is named.

Result (6 Dec 2026; first run 16:06 UTC with the unit-ratio probe at 5.0, which left the
Fiat 500 out of SWR*'s refit at the 0.4 mm bound; re-run 16:09 with the probe at 6.0, the
rule unchanged, the same verdict): **NOT shipped**, rule 4 fails. Six pre-era ratios (no
new one found: data/crash/README.md, sixth pass), SWR_pre 3.75 (held out 3.48-3.89), SWR*
5.44 on the 8 sized modern cars (held out 5.34-5.55). Held out over the 11: 8 -> 9 within
+/-20 % (rule 1 PASS), MAE 22.2 -> 14.9 % (PASS), bias +18.4 -> +9.0 % (PASS), but without
walls at the bound 8 (FAIL): the ninth, the smart 451 (+52.8 -> +17.5 %), and all three
era cars (MINI R56 +86.1 -> +43.1 %, Fit GE +56.1 -> +35.7 %) sit at the registry's 0.4 mm
A-pillar wall. Reported: the outcome curb alone (no era) gives 9 (8) within, MAE 18.1 %,
bias +12.3 %; the era alone 8 (8), 21.3 %, +17.9 %: the count's gain is the outcome curb's
(the smart lands on the floor whatever the ratio). Rule 5, run with ``--federal`` though
rule 4 decides: none of 131 certified generations failing before or after, smallest
fmvss216a margin +23.1 kN (Scion iQ) -> +12.0 kN (Corolla Matrix E140). docs/crash.md,
"The roof's design era, held out over all 11".

Task s33g (6 Dec 2026): the era together with the B-pillar joint law (``--joint``). The
s33a result above put the three era cars on the registry's 0.4 mm A-pillar bound because
their targets (33-38 kN) lie under the model's weakest roof, the B-pillar's half share
F_B = 0.5 * 2 M_p,B / (L_B sin 25 deg) at t_A -> 0. Task s32b's joint law
(``benchmarks/roof_joint_trial.py``; docs/crash.md, "The B-pillar's ends at the roof")
replaces the half by a physics derivation, nothing fitted::

    eta_B = (M_s + M_r) / (2 M_p,B),  M_s = min(M_p,B, 2 T_p,sill),
    M_r = min(M_p,B, 2 T_p,roof rail)          (quasi-static; 0.320 on the registry's sections)

With ``--joint`` every import (the compared cars' held-out runs, the unit-ratio probe and
the certified generations of rule 5) is imported and evaluated at its own design's eta_B
(:func:`joint_law`: the import's closed form sizes t_A against the lowered F_B, so the
unit ratio stays about 1 inside the wall's range); SWR_pre and SWR* are refitted where
they are fitted (SWR* on the probe's unit ratios under the joint law; SWR_pre is a mean
of IIHS ratios and does not move). Ship rule for s33g, written before its first run
(6 Dec 2026, committed 16:28:59 UTC in 2bde5e5 with this code before any ``--joint``
run): **rules 1-6 above, s33a's, UNCHANGED, applied to the combination** (era ratio + outcome curb +
joint law) against the shipped model (0.5, one ratio 5.34, import curb only); rule 2's
bar is the shipped MAE recomputed in the same run (22.2 %); rule 5 compares the certified
generations shipped vs. the combination, each at its own eta_B.

Result (``--joint``, 6 Dec 2026; first run 16:29-16:45 UTC with ``--federal``, second run
after rule 6 was measured, :func:`scope_check`, instead of printed "by construction": the
joint law changes the roof model itself): **NOT shipped**, rule 6 fails. SWR_pre 3.747,
SWR* 5.436 (unit ratios 0.9991-1.0009 under the joint law). Held out over the 11: 8 -> 11
within +/-20 % (rule 1 PASS), 10 with no wall at the bound (rule 4 PASS: only the smart 451,
-19.6 %, at 0.4 mm; MINI R56 0.70 mm +10.8 %, Fit GE 0.86 mm +11.5 %), MAE 22.2 -> 9.9 %
(rule 2 PASS), bias +18.4 -> +0.5 % (rule 3 PASS); rule 5 PASS: none of 131 certified
generations failing before or after, smallest fmvss216a margin +23.1 kN (Scion iQ) ->
+8.2 kN (Fit GE); rule 6 FAIL: all 16 kei imports' roof ratios fall 23.4-24.3 % and all 9
reference designs' 15.9-34.9 %. Reported: outcome curb alone + joint law 9 (9) within,
MAE 16.6 %, bias +10.7 %; era alone + joint law 9 (9), 12.9 %, +5.8 %. docs/crash.md,
"The roof's design era with the B-pillar joint law".

Shipped since (task s33h, 6 Dec 2026), on the owner's decision that replaced rule 6 by
the check that every kei import and reference design still meets FMVSS 216a
(``benchmarks/roof_ship_scope.py``; docs/crash.md, "The roof's design era and the B-pillar
joint law, shipped"): ``build.roof_basis`` / ``roof_curb`` and ``crash.roof.b_pillar_
joint_share`` are now the model, so this script's "shipped" baseline (``_SHIPPED_BASIS``,
the roof model's own share) is the combination, and a re-run compares it with itself; the
figures above are the record as judged.

Units: ratio dimensionless (IIHS: peak force before 127 mm over curb weight), mass kg,
wall mm, force kN.
"""

from __future__ import annotations

import math
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import docblock  # noqa: E402  (benchmarks/docblock.py)
from roof_design_basis_trial import generations  # noqa: E402
from roof_joint_trial import joint_share  # noqa: E402
from roof_platen_trial import b_share  # noqa: E402

from keidesign import variables  # noqa: E402
from keidesign.specs import build, sources  # noqa: E402
from keidesign.validation import crash as cv  # noqa: E402

#: last first US model year of a pre-era design (launched before MY2010: the final rule of
#: FMVSS 216a, May 2009, and IIHS's first roof ratings, 2009; the era key of tasks s24f,
#: s27c, s30f)
PRE_ERA_LAST_MODEL_YEAR = 2009
#: ship rule 3
BIAS_BOUND = 0.10
#: ship rule 1
MIN_WITHIN = 9
#: target ratio of the run that measures each modern car's model ratio per unit target
PROBE = 6.0
#: the shipped ratio function and roof table, which :func:`era_sizing` swaps
_SHIPPED_BASIS, _SHIPPED_TABLE = build.roof_basis, build._roof_table


def outcome_curbs() -> dict[str, float]:
    """Published curb (kg) of each outcome row with an importable generation, by the
    import's spec name of that generation (``_roof_targets``' row curb; rows with none
    left out)."""
    rows = {(v.row["make"], v.row["model"], v.row["generation"]): v
            for v in reversed(list(sources.vehicle_rows("us_specs")))}
    out = {}
    for _, _, _, key, _, curb in cv._roof_targets():
        if curb == curb and key in rows:
            out[sources.row_spec(rows[key]).name] = float(curb)
    return out


def spec_names() -> dict[str, str]:
    """The import's spec name of each compared car (outcome row name -> spec name)."""
    rows = {(v.row["make"], v.row["model"], v.row["generation"]): v
            for v in reversed(list(sources.vehicle_rows("us_specs")))}
    return {v: sources.row_spec(rows[key]).name for v, _, _, key, _, _ in cv._roof_targets()
            if key in rows}


def sized_names() -> set[str]:
    """The compared cars the candidate sizes: an import curb (``build._import_curb``) or
    an outcome row's published curb (:func:`outcome_curbs`)."""
    rows = {(v.row["make"], v.row["model"], v.row["generation"]): v
            for v in reversed(list(sources.vehicle_rows("us_specs")))}
    curbs = outcome_curbs()
    out = set()
    for v, _, _, key, _, _ in cv._roof_targets():
        if key in rows:
            spec = sources.row_spec(rows[key])
            if build._import_curb(spec, build.is_kei(spec), False) or spec.name in curbs:
                out.add(v)
    return out


@contextmanager
def era_sizing(swr_pre: float | None, swr_modern: float | None, outcome_curb: bool
               ) -> Iterator[None]:
    """Imports inside the block size a pre-era generation's roof to ``swr_pre`` (None: as
    a modern one) and a modern one to ``swr_modern`` (None: the shipped 5.34), and, with
    ``outcome_curb``, a car with no import curb to its outcome row's published curb."""
    curbs = outcome_curbs() if outcome_curb else {}
    kept_swr, kept_curb = build.ROOF_STRENGTH_TO_WEIGHT, build._import_curb

    def basis(spec):
        first = spec.get("first_model_year")
        if swr_pre is not None and first is not None and first <= PRE_ERA_LAST_MODEL_YEAR:
            return swr_pre, (f"pre-era design (first US model year {first} <= "
                             f"{PRE_ERA_LAST_MODEL_YEAR}): benchmarks/roof_era_ratio_trial.py")
        return _SHIPPED_BASIS(spec)

    def curb_or_outcome(spec, kei, predict):
        c = kept_curb(spec, kei, predict)
        if c is None and not kei and not predict:
            return curbs.get(spec.name)
        return c

    def table(spec, kei, predict, body):
        build._import_curb = curb_or_outcome
        try:
            return _SHIPPED_TABLE(spec, kei, predict, body)
        finally:
            build._import_curb = kept_curb

    if swr_modern is not None:
        build.ROOF_STRENGTH_TO_WEIGHT = swr_modern
    build.roof_basis, build._roof_table = basis, table
    try:
        yield
    finally:
        build.ROOF_STRENGTH_TO_WEIGHT = kept_swr
        build.roof_basis, build._roof_table = _SHIPPED_BASIS, _SHIPPED_TABLE


@contextmanager
def joint_law(on: bool = True) -> Iterator[None]:
    """Inside the block (``on``) ``validation.crash``'s import-and-evaluate imports and
    evaluates each design at its own B-pillar joint share (task s32b's eta_B = (M_s + M_r) /
    (2 M_p,B), :func:`roof_joint_trial.joint_share`): the design is imported once to read
    its side sections (which the roof's share does not change), then imported again and
    evaluated inside ``b_share(eta_B)`` so the closed-form sizing and the roof model both
    see it. Off: nothing changed."""
    if not on:
        yield
        return
    kept = cv._evaluate

    def evaluate(vr):
        name = cv.car_name(vr.row)
        spec = sources.row_spec(vr)
        share = joint_share(cv.imported_design(spec, f"<import {name}>"))["share"]
        with b_share(share):
            design = cv.imported_design(spec, f"<import {name}>")
            return name, design, cv.evaluate_design(design, cv.resolve_packs(["fmvss"]))

    cv._evaluate = evaluate
    try:
        yield
    finally:
        cv._evaluate = kept


def _bounded(t: float) -> bool:
    var = variables.get(build.A_PILLAR_T)
    return t <= var.lower + 1e-9 or t >= var.upper - 1e-9


def compared(only: set[str] | None = None) -> list[dict]:
    """``roof_checks`` rows of the IIHS-rated importable cars (inside the caller's block)."""
    return [r for r in cv.roof_checks(only) if r["iihs_swr"] == r["iihs_swr"]
            and "skipped" not in r]


def fits(gens: list[dict], unit: dict[str, float], fam_of: dict[str, str],
         exclude: str | None) -> tuple[float, float]:
    """(SWR_pre, SWR*) fitted without family ``exclude`` (None: on all): SWR_pre on every
    pre-era IIHS ratio on file, SWR* on the modern compared cars the import sizes
    (``unit``: the model's ratio per unit target of each)."""
    pre = [math.log(g["iihs"]) for g in gens if g["pre216a"] and g["family"] != exclude]
    mod = [math.log(g["iihs"] / unit[g["vehicle"]]) for g in gens
           if g["vehicle"] in unit and fam_of[g["vehicle"]] != exclude]
    return math.exp(statistics.fmean(pre)), math.exp(statistics.fmean(mod))


def _stats(errs: list[float]) -> dict:
    return {"mae": statistics.fmean(abs(e) for e in errs), "bias": statistics.fmean(errs),
            "within": sum(abs(e) <= cv.ROOF_BOUND for e in errs)}


def held_out(gens: list[dict], fam_of: dict[str, str], unit: dict[str, float],
             outcome_curb: bool, era: bool, joint: bool = False) -> list[dict]:
    """Each compared car run with the ratios fitted without its family (``joint``: at its
    design's B-pillar joint share, :func:`joint_law`)."""
    rows = []
    for v, f in fam_of.items():
        pre, mod = fits(gens, unit, fam_of, f)
        with joint_law(joint), era_sizing(pre if era else None, mod, outcome_curb):
            (r,) = compared({v})
        rows.append(r | {"swr_pre": pre, "swr_mod": mod, "bounded": _bounded(r["a_pillar_mm"])})
    return rows


def _table_lines(title: str, base: dict[str, dict], rows: list[dict], eras: dict[str, bool],
                 markdown: bool = False) -> tuple[list[str], dict]:
    """The held-out table of ``rows`` against ``base`` (the shipped runs) and its summary
    line (``markdown``: a markdown table, the docs block's), and the summary's figures."""
    head = ["car", "era", "IIHS", "shipped: wall, ratio (err)", "held out: SWR_pre / SWR* of "
            "the other families -> wall, kN, ratio (err)"]
    cells = []
    for r in rows:
        b = base[r["vehicle"]]
        cells.append([r["vehicle"], "pre" if eras[r["vehicle"]] else "modern",
                      f"{r['iihs_swr']:.2f}", f"{b['a_pillar_mm']:.2f}, {b['model_swr']:.2f} "
                      f"({b['error']:+.1%})", f"{r['swr_pre']:.2f} / {r['swr_mod']:.2f} -> "
                      f"{r['a_pillar_mm']:.2f}, {r['model_force_kn']:.1f}, "
                      f"{r['model_swr']:.2f} ({r['error']:+.1%})"
                      + (" [registry bound]" if r["bounded"] else "")])
    if markdown:
        lines = [title, "", "| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        lines += ["| " + " | ".join(c) + " |" for c in cells]
    else:
        lines = ["", title, " | ".join(head)] + [" | ".join(c) for c in cells]
    s = _stats([r["error"] for r in rows])
    s["within_unbounded"] = sum(abs(r["error"]) <= cv.ROOF_BOUND and not r["bounded"]
                                for r in rows)
    lines.append(("\n" if markdown else "") + f"held out: within {s['within']} of {len(rows)} "
                 f"({s['within_unbounded']} with no wall at the bound), MAE {s['mae']:.1%}, "
                 f"bias {s['bias']:+.1%}")
    return lines, s


def _table(title: str, base: dict[str, dict], rows: list[dict], eras: dict[str, bool]) -> dict:
    lines, s = _table_lines(title, base, rows, eras)
    print("\n".join(lines))
    return s


def scope_check() -> dict[str, tuple[float, float]]:
    """Rule 6 measured for ``--joint`` (the joint law changes the roof model itself, so the
    s33a rule's "by construction" no longer covers it): the roof strength-to-weight
    (``crash:roof:strength_to_weight``) of every kei import (``vehicle_rows("kei")``) and
    every reference design (``studies/designs/*.toml``), shipped and at its own joint
    share (kei imports imported again inside the share, as :func:`joint_law` does)."""
    from keidesign.design import load_design
    from keidesign.specs.write import imported_design

    key, out = "crash:roof:strength_to_weight", {}

    def ratio(design) -> float:
        ev = cv.evaluate_design(design, cv.resolve_packs(["fmvss"]))
        return float(ev.outputs[key][0])

    for vr in sources.vehicle_rows("kei"):
        spec = sources.row_spec(vr)
        label = f"kei {vr.row['model']} {vr.row['code']} {vr.row['variant']}".strip()
        d0 = imported_design(spec, f"<import {label}>")
        with b_share(joint_share(d0)["share"]):
            d1 = imported_design(spec, f"<import {label}>")
            after = ratio(d1)
        out[label] = (ratio(d0), after)
    for path in sorted((Path(__file__).resolve().parents[1] / "studies" / "designs")
                       .glob("*.toml")):
        design = load_design(path)
        before = ratio(design)
        with b_share(joint_share(design)["share"]):
            out[f"reference {path.stem}"] = (before, ratio(design))
    return out


@contextmanager
def _both(first, second) -> Iterator[None]:
    with first, second:
        yield


def doc_block(argv: list[str], gens: list[dict]) -> int:
    """``--write-docs`` / ``--check``: the shipped model (era ratios, outcome curb, joint
    law) held out by family on the 11 IIHS comparisons, as the block of
    docs/crash.md ("The roof's design era and the B-pillar joint law, shipped") that the
    targets table's roof row quotes: the two ratios fitted on all cars, each car with
    both refitted without its family, the summary. Exit status (1: the block differs)."""
    base = {r["vehicle"]: r for r in compared()}
    fam_of = {v: next(g["family"] for g in gens if g["vehicle"] == v) for v in base}
    eras = {v: next(g["pre216a"] for g in gens if g["vehicle"] == v) for v in base}
    with era_sizing(None, PROBE, True):
        probe = {r["vehicle"]: r for r in compared()}
    sized = sized_names()
    unit = {v: r["model_swr"] / PROBE for v, r in probe.items()
            if not eras[v] and v in sized and not _bounded(r["a_pillar_mm"])}
    swr_pre, swr_mod = fits(gens, unit, fam_of, None)
    pre = [g for g in gens if g["pre216a"]]
    lines, _ = _table_lines(
        f"Fitted on all cars: SWR_pre = {swr_pre:.3f} (geometric mean of the {len(pre)} "
        f"pre-era IIHS ratios), SWR* = {swr_mod:.3f} on the {len(unit)} sized modern cars "
        f"(unit ratios {min(unit.values()):.4f}-{max(unit.values()):.4f}); shipped: "
        f"`ROOF_STRENGTH_TO_WEIGHT_PRE` = {build.ROOF_STRENGTH_TO_WEIGHT_PRE}, "
        f"`ROOF_STRENGTH_TO_WEIGHT` = {build.ROOF_STRENGTH_TO_WEIGHT}. Each car held out by "
        "family (both ratios refitted without its family):", base,
        held_out(gens, fam_of, unit, True, True), eras, markdown=True)
    text = "\n".join(lines)
    print(text)
    root = Path(__file__).resolve().parents[1]
    return docblock.write_or_check(docblock.flag_arguments(argv), root / "docs" / "crash.md",
                                   "roof_era_ratio_trial", text, root)


def main(argv: list[str]) -> int:
    gens = generations()
    pre = [g for g in gens if g["pre216a"]]
    print(f"IIHS ratios on file: {len(gens)}; pre-era (first US MY <= "
          f"{PRE_ERA_LAST_MODEL_YEAR}): {len(pre)} of {len({g['family'] for g in pre})} "
          "families: " + ", ".join(f"{g['vehicle']} {g['iihs']:.2f} ({g['launch']})"
                                    for g in pre))
    if len(pre) < 5:
        print("fewer than 5 sourced pre-era ratios: no rule run")
        return 0
    if "--write-docs" in argv or "--check" in argv:
        return doc_block(argv, gens)
    joint = "--joint" in argv
    if joint:
        print("--joint: every import at its design's B-pillar joint share (task s33g)")
    base = {r["vehicle"]: r for r in compared()}
    print(f"shipped: {_stats([r['error'] for r in base.values()])}")
    fam_of = {v: next(g["family"] for g in gens if g["vehicle"] == v) for v in base}
    eras = {v: next(g["pre216a"] for g in gens if g["vehicle"] == v) for v in base}
    # the model's ratio per unit target of each modern car the candidate sizes (PROBE:
    # above every compared car's floor; at 5.0 the Fiat 500 touched the 0.4 mm bound)
    with joint_law(joint), era_sizing(None, PROBE, True):
        probe = {r["vehicle"]: r for r in compared()}
    sized = sized_names()
    unit = {v: r["model_swr"] / PROBE for v, r in probe.items()
            if not eras[v] and v in sized and not _bounded(r["a_pillar_mm"])}
    swr_pre, swr_mod = fits(gens, unit, fam_of, None)
    print(f"all cars: SWR_pre = {swr_pre:.3f} (geometric mean of {len(pre)}), SWR* = "
          f"{swr_mod:.3f} on the {len(unit)} sized modern cars ({', '.join(unit)}); unit "
          f"ratios {min(unit.values()):.4f}-{max(unit.values()):.4f}")
    cand = _table("CANDIDATE (era ratio + outcome curb" + (" + joint law" if joint else "")
                  + "), held out by family", base,
                  held_out(gens, fam_of, unit, True, True, joint), eras)
    shipped_mae = statistics.fmean(abs(r["error"]) for r in base.values())
    rules = {1: cand["within"] >= MIN_WITHIN, 2: cand["mae"] < shipped_mae,
             3: abs(cand["bias"]) <= BIAS_BOUND, 4: cand["within_unbounded"] >= MIN_WITHIN}
    print(f"rule 1 (>= {MIN_WITHIN} within): {'PASS' if rules[1] else 'FAIL'} ({cand['within']})")
    print(f"rule 2 (MAE < {shipped_mae:.1%}): {'PASS' if rules[2] else 'FAIL'} "
          f"({cand['mae']:.1%})")
    print(f"rule 3 (|bias| <= {BIAS_BOUND:.0%}): {'PASS' if rules[3] else 'FAIL'} "
          f"({cand['bias']:+.1%})")
    print(f"rule 4 (rule 1 without walls at the bound): {'PASS' if rules[4] else 'FAIL'} "
          f"({cand['within_unbounded']})")
    if joint:
        scope = scope_check()
        moved = {k: v for k, v in scope.items() if abs(v[1] - v[0]) > 1e-9 * max(1.0, v[0])}
        rules[6] = not moved
        print("rule 6 (kei imports, reference designs unchanged), measured: "
              f"{'PASS' if rules[6] else 'FAIL'} ({len(moved)} of {len(scope)} moved)")
        for k, (a, b) in scope.items():
            print(f"  {k}: roof ratio {a:.2f} -> {b:.2f} ({b / a - 1:+.1%})")
    else:
        print("rule 6 (kei imports, reference designs unchanged): PASS by construction")
    j = " + joint law" if joint else ""
    _table(f"reported: the outcome curb alone (one modern ratio, no era){j}", base,
           held_out(gens, fam_of, unit, True, False, joint), eras)
    _table(f"reported: the era ratio alone (no outcome curb){j}", base,
           held_out(gens, fam_of, unit, False, True, joint), eras)
    ok = all(rules.values())
    if "--federal" in argv:  # run when asked; judged only if rules 1-4 pass
        from roof_sizing_trial import federal_change, federal_summary
        after = _both(joint_law(joint), era_sizing(swr_pre, swr_mod, True))
        fed = federal_change(era_sizing(None, None, False), after)
        print(federal_summary(fed))
        print(f"rule 5 (no certified car newly failing): {'PASS' if not fed['newly'] else 'FAIL'}"
              + ("" if ok else " (reported: rules 1-4 decide)"))
        ok = ok and not fed["newly"]
    elif ok:
        print("rule 5 not run (pass --federal)")
    print(f"\nverdict: {'rules pass' if ok else 'NOT shipped'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
