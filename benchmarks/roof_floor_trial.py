"""The roof model's floor on light pre-FMVSS 216a cars: the B-pillar's share and the
pillars' steel of the design's era (issue 14, task s24f; 5 Dec 2026): a trial with its
ship rule, judged on IIHS's ratios and the certified cars' federal verdicts.

    python benchmarks/roof_floor_trial.py               # the whole judgment (~10 min)
    python benchmarks/roof_floor_trial.py --no-federal  # the roof comparison only

The obstacle (tasks s24b, ``roof_curb_trial.py`` and ``roof_era_trial.py``): every light
car the roof sizing touches goes to the registry's lowest A-pillar wall (0.4 mm), as the
B-pillar term of the roof model (``crash/roof.py``)::

    F_roof = 2 M_p,A / (L_A sin rake) + B_PILLAR_SHARE * 2 M_p,B / (L_B sin 25 deg)

alone holds 45-49 kN (B_PILLAR_SHARE = 0.5 [A], DP980 B-pillar, the side model's section),
the roof at that wall 51-56 kN = 4.6-6.4 x the weight, against IIHS's 3.1-3.8 for five of
the six pre-216a small cars (2009 tests) and 5.41 for the smart 451.

Candidates, each only with a source (the brief of s24f):

A. ``B_PILLAR_SHARE`` from the literature (not fitted to IIHS's ratios). Searched (stored
   pages / docs / code, 5 Dec 2026): NHTSA's 216 / 216a rulemaking texts (Federal
   Register 2005 NPRM, 2008 SNPRM, 2009 final rule, 2010 reconsideration), the SAE /
   IMECE roof-crush abstracts (Kulkarni & Marks, SAE 2011-01-1119: a B-pillar
   countermeasure in a generic SUV FE model; IMECE 2002 / 2003 / 2004 roof-strength
   abstracts), Friedman & Nash (ESV 2001, 01-S12-W-94), NCAC's 2010 Yaris FE model
   validation papers, the Abaqus roof-crush brief, IIHS's 2009 small-car release: none
   gives the split of the plate's peak load between A- and B-pillars (the one number
   found: the bonded windshield gives more than 30 % of a roof's static 216 strength,
   Friedman & Nash, and 25-30 % by NHTSA's 2004 NASS review as safetyresearch.net quotes
   it: a load path the model does not have, not a pillar share). So candidate A has no
   source: B_PILLAR_SHARE stays 0.5 [A] and is not tried.

B. The import's pillar grades by design era (``build.ROOF_ERA_LAST_MODEL_YEAR``,
   ``build.ERA_PILLAR_GRADES``; sources in their comments): a us_specs generation whose
   first US model year is at most 2009 (designed before FMVSS 216a's final rule of May
   2009 and IIHS's roof rating; the IIHS 2009 cars are all such) gets DP590-class pillars
   (A-pillar ``crash:roof:material`` and side structure ``crash:side:material``, the
   B-pillar and door beams of the side model) instead of the registry's hot-stamped
   1,500 MPa / DP980: 590 MPa the highest grade of Honda's 2006 Civic body, 340-550 MPa
   the Aveo T250's special steels [R]; the car's own grades are not published, so the
   grade is marked assumed. The later era keeps the registry's grades. Not a correction
   per car: one year key, one grade pair; nothing fitted to IIHS (the 2009 boundary is
   the rule's date, the grade the era's published class).

Ship rule for candidate B, written before the first run (5 Dec 2026, 17:15 UTC;
committed with this code before any run of it; one plumbing probe ran before, the MINI
R56's import with the era grades, to see that the design file carries the grades). It
ships (``build.ROOF_ERA_LAST_MODEL_YEAR = 2009``) only if ALL hold:

1. the compared IIHS cars (``validation.crash.roof_summary``): within +/-20 % not fewer
   than 8 of 11 and not fewer than without the era grades; mean absolute error not above
   22 % and not above that without them;
2. every compared car whose A-pillar wall the import sizes has it inside the registry's
   range (0.4-6.0 mm, not at a bound: the obstacle above);
3. no certified generation newly failing any federal criterion (``roof_sizing_trial.
   federal_change``, the verdicts of ``validation.crash.certified_cars`` without and
   with the era grades);
4. the reference designs (``studies/designs``; kei and the two US variants) unchanged,
   their FMVSS 216a roof margins reported and positive;
5. NCAP constants: ``python benchmarks/ncap.py --check`` with the era grades either
   unchanged, or refitted with ``--write`` and the star agreement not worse (run apart,
   after this script, on the shipped constant).

Then ``roof_curb_trial.py`` and ``roof_era_trial.py`` are re-run with their rules
unchanged, and whether they now pass is recorded (their docstrings, docs/crash.md).

Result (first run, 5 Dec 2026): the ship rule PASSES, but candidate B is **NOT shipped**
(``build.ROOF_ERA_LAST_MODEL_YEAR = None``): an existing check on measured data, not in
the rule, fails with it. The DP590 side structure (``crash:side:material`` is the
B-pillar's and the door beams' grade, shared by the side model) puts the model's IIHS
side-test crush of the Fit GE at 560 mm against the measured 402 mm (model / test 0.94
-> 1.39; force 172 -> 116 kN, implied 161 kN) and of the MINI R56 at 486 against 380 mm
(0.86 -> 1.28): ``tests/test_crash_outcomes.py::test_side_model_underpredicts_every_
minicar_crush`` and the "all within 25 %" check of the published-curb tests fail. The
side tests of two of the very cars the era is for say their side structure (B-pillar and
door beams together) is as strong as the registry's DP980 class, so a DP590 B-pillar is
contradicted by data; giving the roof's B-pillar term a grade the side model does not
share would be a correction by load case, not a sourced grade: not tried. The MINI's
3.21 also falls under its acceptable rating's floor 3.25 (rated cars below the floor 0
-> 1). Figures of the run:

* rule 1 PASS: 8 -> 9 of 11 within +/-20 %, bias +18.4 -> +3.1 %, MAE 22.2 -> 12.3 %;
  smart 451 66.1 -> 33.1 kN, 8.27 (+53 %) -> 4.14 (-23 %); MINI R56 72.2 -> 36.2 kN,
  6.40 (+86 %) -> 3.21 (-7 %); Fit GE sized to 5.34 at either grade (+56 %, its wall
  0.90 -> 5.95 mm); the 8 later cars unchanged;
* rule 2 PASS: no sized wall at a bound (the Fit GE's 5.95 mm the nearest, 6.0 mm);
* rule 3 PASS: 131 certified generations, margins moved on the 11 first sold in 2009 or
  earlier, none newly failing (1 before and after, the W453 ED); smallest fmvss216a
  margin +23.1 kN (Scion iQ) -> +7.2 kN (MINI R56);
* rule 4 PASS: the 9 reference designs' 216a margins +30.6 to +65.9 kN, unchanged;
* rule 5 PASS: ``ncap.py --check`` unchanged (exit 0).

The script also prints the IIHS side tests with and without the era grades (not in the
rule; added after the first run to show why it is not shipped).

Re-runs with their rules unchanged, on the import with the era grades on (the trial's
state): ``roof_era_trial.py`` rule 2 still FAILS (the smart at the 0.4 mm bound; the MINI
and Fit GE now inside), ``roof_curb_trial.py`` rules 1 and 4 FAIL (MAE 12.3 -> 14.9 %;
the Fiat 500 and Spark at the bound, the fixed point's curb 8.6-15.8 kg off on the thick
DP590 walls), rule 2 passes: neither would ship. On the shipped import (no era) both are
as before (not kept).

Units: force kN, mass kg, ratio dimensionless (peak force before 127 mm over curb weight),
wall mm.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from roof_curb_trial import _err, _line  # noqa: E402
from roof_sizing_trial import federal_change, federal_summary  # noqa: E402

from keidesign import variables  # noqa: E402
from keidesign.design import load_design  # noqa: E402
from keidesign.evaluation import evaluate_design, resolve_packs  # noqa: E402
from keidesign.specs import build, sources  # noqa: E402
from keidesign.specs.write import imported_design  # noqa: E402
from keidesign.validation import crash as cv  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
#: the era key the trial ships (first US model year at most this one: pre-216a grades)
ERA_LAST_MODEL_YEAR = 2009
#: rule 1 floors (today's comparison, Known outcomes block of docs/crash.md)
MIN_WITHIN, MAX_MAE = 8, 0.22


@contextmanager
def era(on: bool) -> Iterator[None]:
    """Imports inside the block carry the era's pillar grades (``on``) or the registry's."""
    kept = build.ROOF_ERA_LAST_MODEL_YEAR
    build.ROOF_ERA_LAST_MODEL_YEAR = ERA_LAST_MODEL_YEAR if on else None
    try:
        yield
    finally:
        build.ROOF_ERA_LAST_MODEL_YEAR = kept


def walls() -> list[dict]:
    """Each compared car's import: first model year, grades, A-pillar wall, whether the
    import sized it and whether at the registry's bound."""
    var = variables.get(build.A_PILLAR_T)
    keys = {t[3]: t[0] for t in cv._roof_targets()}
    out = []
    for vr in sources.vehicle_rows("us_specs"):
        vehicle = keys.get((vr.row["make"], vr.row["model"], vr.row["generation"]))
        if vehicle is None:
            continue
        spec = sources.row_spec(vr)
        design = imported_design(spec, f"<import {vehicle}>")
        t = float(design[build.A_PILLAR_T])
        sized = build._import_curb(spec, build.is_kei(spec), False) is not None or (
            build.ROOF_SIZE_PREDICTED_CURB and t != float(var.default))
        out.append({"vehicle": vehicle, "first": spec.get("first_model_year"),
                    "grades": (design["crash:roof:material"], design["crash:side:material"]),
                    "t": t, "sized": sized,
                    "bounded": sized and (t <= var.lower or t >= var.upper)})
    return out


def reference_margins() -> dict[str, float]:
    """FMVSS 216a roof margin (kN) of each reference design."""
    out = {}
    for path in sorted((ROOT / "studies" / "designs").glob("*.toml")):
        ev = evaluate_design(load_design(path), resolve_packs(["fmvss"]))
        m = [c["margin"] for c in ev.constraints if c["id"].endswith("fmvss216a.roof_strength")]
        out[path.stem] = float(m[0]) if m else float("nan")
    return out


def main(argv: list[str]) -> int:
    federal = "--no-federal" not in argv
    with era(False):
        before = cv.roof_checks()
        ref0 = reference_margins()
    with era(True):
        after = cv.roof_checks()
        wall = walls()
        ref1 = reference_margins()
    b_by = {r["vehicle"]: r for r in before}
    w_by = {w["vehicle"]: w for w in wall}
    print("car | first MY | grades A / B | A-pillar wall, mm | curb for the ratio, kg | "
          "force before -> after, kN | IIHS | model before (err) | after (err)")
    for r in (x for x in after if "skipped" not in x):
        b, w = b_by[r["vehicle"]], w_by.get(r["vehicle"], {})
        iihs = f"{r['iihs_swr']:.2f}" if r["iihs_swr"] == r["iihs_swr"] else r["rating"]
        wt = (f"{w['t']:.2f}{' sized' if w['sized'] else ''}"
              f"{' [registry bound]' if w['bounded'] else ''}") if w else "-"
        gr = " / ".join(w["grades"]) if w else "-"
        curb = f"{r['curb_kg']:.0f}" + ("" if r["curb_published"] else " (mm)")
        force = f"{b['model_force_kn']:.1f} -> {r['model_force_kn']:.1f}"
        print(" | ".join([r["vehicle"], str(w.get("first", "-")), gr, wt, curb, force, iihs,
                          _err(b), _err(r)]))
    sb, sa = cv.roof_summary(before), cv.roof_summary(after)
    print(_line("before (registry grades)", sb))
    print(_line("after (era grades)", sa))
    rule1 = (sa["within"] >= max(MIN_WITHIN, sb["within"])
             and sa["mae"] <= min(MAX_MAE, sb["mae"]) + 1e-12)
    print(f"ship rule 1: {'PASS' if rule1 else 'FAIL'}")
    bounded = [w["vehicle"] for w in wall if w["bounded"]]
    rule2 = not bounded
    print(f"ship rule 2 (no sized wall at the registry's bound; at the bound: "
          f"{', '.join(bounded) or 'none'}): {'PASS' if rule2 else 'FAIL'}")
    print("\nreference designs' FMVSS 216a roof margin, kN (registry grades -> era rule): "
          + "; ".join(f"{k} {ref0[k]:+.1f} -> {ref1[k]:+.1f}" for k in ref0))
    rule4 = all(ref0[k] == ref1[k] and ref1[k] > 0 for k in ref0)
    print(f"ship rule 4: {'PASS' if rule4 else 'FAIL'}")
    if federal:
        fed = federal_change(era(False), era(True))
        print("\n" + federal_summary(fed))
        print(f"ship rule 3: {'PASS' if not fed['newly'] else 'FAIL'}")
    print("\nship rule 5: run `python benchmarks/ncap.py --check` on the shipped constant")
    # not in the rule (added after the first run, which showed it): the IIHS side tests of
    # the certified minicars, the measured check the era's side grade broke
    side = {}
    for on in (False, True):
        with era(on):
            res = cv.certified_cars(cv.side_minicar_names())
            side[on] = {c["iihs_test"]: c for c in cv.side_crush_checks(res)}
    print("IIHS side tests (not in the rule): test | residual crush, mm | model crush, "
          "registry grades -> era grades, mm (model / test)")
    for k, c in side[True].items():
        c0 = side[False][k]
        print(f"{k} ({c['car']}) | {c['residual_crush_mm']:.0f} | "
              f"{c0['model_crush_mm']:.0f} ({c0['crush_ratio']:.2f}) -> "
              f"{c['model_crush_mm']:.0f} ({c['crush_ratio']:.2f})")
    errs = [r["error"] for r in after if "skipped" not in r and r["error"] == r["error"]]
    if errs:
        print(f"(after: {statistics.fmean(abs(e) for e in errs):.1%} MAE over {len(errs)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
