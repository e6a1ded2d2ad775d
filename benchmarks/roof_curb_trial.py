"""The imported roof of a car with no published curb sized to the mass model's curb (issue
14, task s24b; 5 Dec 2026): a trial with its keep rule, judged on IIHS's ratios.

    python benchmarks/roof_curb_trial.py              # the whole judgment (about 4 min)
    python benchmarks/roof_curb_trial.py --no-federal # the roof comparison only

Since 5 Dec 2026 (``benchmarks/roof_sizing_trial.py``) an import of a non-kei car of
known curb (published, or the EPA test weight - 136 kg) carries an A-pillar wall sized so
that the model's roof holds ``build.ROOF_STRENGTH_TO_WEIGHT`` = 5.34 x its curb weight.
A car with neither (a us_specs row without ``curb_kg`` and without an EPA test-car twin:
the Fiat 500 312, MINI R56, smart 451, Spark M300 of the compared cars) kept the
registry's 1.4 mm wall, a flat 64-72 kN roof. Here it is sized to the mass model's curb,
the mass the model's ratio is computed on (``build._predicted_roof_table``)::

    m(t) = m_0 + S_0 (t / t_0 - 1)       (m_0, S_0 = curb and both A-pillars' mass of ONE
                                          run at t_0 = 1.4 mm; the pillars linear in t)
    t    = t_A(SWR* m)                   (build.roof_pillar_thickness, linear in m)

a fixed point solved in closed form (three passes; ``build.predicted_curb_pillar``). The
trial measures how exact that is: each sized car is run again and its model ratio on its
own converged curb compared with 5.34, and the curb of the run against the fixed point's.

Keep rule, written before the first run (5 Dec 2026, 16:35 UTC; committed with this
code before any run). The sizing to the mass model's curb is kept (``build.
ROOF_SIZE_PREDICTED_CURB = True``) only if ALL hold:

1. the compared IIHS cars (``validation.crash.roof_summary``): within +/-20 % not fewer
   than without it, and the mean absolute error not worse;
2. no certified generation newly failing any federal criterion (the verdicts of
   ``validation.crash.certified_cars`` with and without it);
3. kei imports, ``--predict`` imports and the reference designs unchanged (out of its
   scope; ``tests/test_import.py``);
4. exact enough: on each of the compared IIHS cars it sizes (``exactness``: the roof
   targets with no curb to size to, 4 cars; not the 13 certified generations of rule 2),
   the model's ratio on its own run's curb within 0.5 % of 5.34 and the fixed point's
   curb within 0.5 kg of the run's.

Result (first run, 5 Dec 2026; NOT kept, ``build.ROOF_SIZE_PREDICTED_CURB = False``):

* rule 1 PASS: 8 -> 9 of 11 within +/-20 %, bias +22.3 -> +12.2 %, MAE 26.1 -> 17.7 %;
  smart 451 +53 -> +18 % (force 66.1 -> 50.9 kN over its published 816 kg), Fiat 500
  +17 -> -9 %, MINI R56 +118 -> +68 %; the Spark M300 (rated good, no ratio) 7.09 -> 5.48;
  Re-run on the MINI R56's and Fiat 500's published curbs (``known_outcomes.csv``, the
  same task): 8 -> 9 within, bias +18.4 -> +9.1 %, MAE 22.2 -> 16.2 %; rules 2 and 4 as
  below;
* rule 2 PASS: 131 certified generations, margins moved on the 13 it sizes (every
  us_specs generation with neither curb nor EPA test weight: the 4 compared and the Rio
  YB, IONIQ PHEV, Sonic sedan, Volt 2nd gen, Focus 5-door, Alfa 4C, smart W453 and W453
  ED, MINI F56), none newly failing (1 failing before and after, the W453 ED); smallest
  fmvss216a margin +23.1 kN (Scion iQ), unchanged;
* rule 3: out of scope by construction (kei, ``--predict``, reference designs);
* rule 4 FAIL: each of the 4 compared cars it sizes (smart 451, Fiat 500, MINI R56,
  Spark M300; mass model's curbs 716-979 kg) is at the registry's lowest A-pillar wall,
  0.4 mm, with a ratio of 5.48-7.25 on its own curb, not 5.34: their targets (37.5-51.3
  kN) lie below the model's roof at that wall (50.9-55.5 kN; the B-pillar term alone,
  the side model's section, 45-49 kN), so the bound sets the roof, not the design ratio.
  The fixed point is exact enough (its curb 0.45-0.49 kg above the run's: d curb / d S
  = 1.11 in the model, the chassis' secondary-mass law, against the assumed 1).

Re-run (task s24f, 5 Dec 2026, rules unchanged) on the import with the pre-216a era's
DP590 pillar grades (``build.ERA_PILLAR_GRADES``; the trial of ``roof_floor_trial.py``,
not shipped): **still not kept**.
Rule 1 FAIL: 9 -> 9 within, MAE 12.3 -> 14.9 % (MINI R56 -7 -> +34 %, Fiat 500 +6 ->
-19 %, smart 451 -23 -> -12 %); rule 4 FAIL: the Fiat 500 and Spark M300 (registry
grades) at the 0.4 mm bound, and the smart's and MINI's thick DP590 walls (2.26, 4.01
mm; 10-16 kg of pillars) put the fixed point's curb 8.6 and 15.8 kg off the run's;
rule 2 PASS (13 moved, none newly failing; smallest fmvss216a margin +16.6 kN, smart 451).

Assumptions [A]: those of the sizing (one ratio for every maker and size; the A-pillar
carries the change); the mass model's curb stands for the maker's design mass. The
comparison with IIHS divides the model's force by the outcome row's published curb where
one is given (the smart 451's 816 kg; ``validation.crash.roof_checks``), so a car sized
to a mass model's curb below the real one is under-predicted there by that mass error.
Units: mass kg, ratio dimensionless, force kN.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from roof_sizing_trial import federal_change, federal_summary  # noqa: E402

from keidesign.evaluation import evaluate_design, resolve_packs  # noqa: E402
from keidesign.specs import build, sources  # noqa: E402
from keidesign.specs.write import imported_design  # noqa: E402
from keidesign.validation import crash as cv  # noqa: E402

#: keep rule 4: bounds of the fixed point's exactness
RATIO_TOL, CURB_TOL_KG = 0.005, 0.5
#: the registry's A-pillar wall (mm), the pillars before the rule
T0 = float(build.variables.get(build.A_PILLAR_T).default)


@contextmanager
def predicted_curb_sizing(on: bool) -> Iterator[None]:
    """Imports inside the block size the roof of a car with no curb to the mass model's
    curb (``on``) or keep the registry's pillars (the import before task s24b)."""
    kept = build.ROOF_SIZE_PREDICTED_CURB
    build.ROOF_SIZE_PREDICTED_CURB = on
    try:
        yield
    finally:
        build.ROOF_SIZE_PREDICTED_CURB = kept


def exactness() -> list[dict]:
    """Each compared car the rule sizes (no curb): its A-pillar wall, the fixed point's
    curb (from the note), the curb and ratio of a run of the sized design."""
    rows = {(v.row["make"], v.row["model"], v.row["generation"]): v
            for v in sources.vehicle_rows("us_specs")}
    out = []
    for vehicle, _, _, key, _, _ in cv._roof_targets():
        vr = rows.get(key)
        if vr is None:
            continue
        spec = sources.row_spec(vr)
        if build._import_curb(spec, build.is_kei(spec), False) is not None:
            continue
        design = imported_design(spec, f"<import {vehicle}>")
        packs = resolve_packs(["fmvss"])
        ev = evaluate_design(design, packs)
        ev0 = evaluate_design(design.replace(**{build.A_PILLAR_T: T0}), packs)
        m0, s0 = (float(ev0.outputs[k][0]) for k in ("mass:curb", "crash:roof:structure_mass"))
        _, m_fp, _, _ = build.predicted_curb_pillar(
            float(design["body:height"]), float(design["body:hood_height"]),
            float(design["body:windshield_rake"]), m0, s0, build.ROOF_STRENGTH_TO_WEIGHT)
        out.append({"vehicle": vehicle, "t": float(design[build.A_PILLAR_T]),
                    "curb_t0": m0, "curb_fp": m_fp,
                    "curb_run": float(ev.outputs["mass:curb"][0]),
                    "swr_run": float(ev.outputs["crash:roof:strength_to_weight"][0]),
                    "pillars_kg": float(ev.outputs["crash:roof:structure_mass"][0])})
    return out


def _err(x: dict) -> str:
    return (f"{x['model_swr']:.2f} ({x['error']:+.0%})" if x["error"] == x["error"]
            else f"{x['model_swr']:.2f}")


def _line(tag: str, s: dict) -> str:
    return (f"{tag}: {s['within']} of {s['n']} within +/-20 %, bias {s['mean_error']:+.1%}, "
            f"MAE {s['mae']:.1%}, worst {s['worst']} {s['worst_error']:+.0%}")


def main(argv: list[str]) -> int:
    federal = "--no-federal" not in argv
    with predicted_curb_sizing(False):
        before = cv.roof_checks()
    with predicted_curb_sizing(True):
        after = cv.roof_checks()
        exact = exactness()
    b_by = {r["vehicle"]: r for r in before}
    print("car | curb for the ratio, kg | force before -> after, kN | IIHS | model before "
          "(err) | after (err)")
    for r in after:
        if "skipped" in r:
            continue
        b = b_by[r["vehicle"]]
        iihs = f"{r['iihs_swr']:.2f}" if r["iihs_swr"] == r["iihs_swr"] else r["rating"]
        print(f"{r['vehicle']} | {r['curb_kg']:.0f}{'' if r['curb_published'] else ' (mm)'}"
              f" | {b['model_force_kn']:.1f} -> {r['model_force_kn']:.1f} | {iihs} | "
              f"{_err(b)} | {_err(r)}")
    sb, sa = cv.roof_summary(before), cv.roof_summary(after)
    print(_line("before (registry pillars without a curb)", sb))
    print(_line("after (sized to the mass model's curb)", sa))
    rule1 = sa["within"] >= sb["within"] and sa["mae"] <= sb["mae"] + 1e-12
    print(f"keep rule 1: {'PASS' if rule1 else 'FAIL'}")
    print("\nexactness: car | A-pillar mm | pillars kg | curb at t_0 -> fixed point -> "
          "run of the sized design, kg | ratio on the run's curb")
    ok4 = True
    for e in exact:
        ok4 &= (abs(e["swr_run"] / build.ROOF_STRENGTH_TO_WEIGHT - 1.0) <= RATIO_TOL
                and abs(e["curb_fp"] - e["curb_run"]) <= CURB_TOL_KG)
        print(f"{e['vehicle']} | {e['t']:.2f} | {e['pillars_kg']:.2f} | {e['curb_t0']:.2f} "
              f"-> {e['curb_fp']:.2f} -> {e['curb_run']:.2f} | {e['swr_run']:.4f}")
    print(f"keep rule 4 (ratio within {RATIO_TOL:.1%} of {build.ROOF_STRENGTH_TO_WEIGHT}, "
          f"curb within {CURB_TOL_KG:g} kg): {'PASS' if ok4 else 'FAIL'}")
    if federal:
        fed = federal_change(predicted_curb_sizing(False), predicted_curb_sizing(True))
        print("\n" + federal_summary(fed))
        print(f"keep rule 2: {'PASS' if not fed['newly'] else 'FAIL'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
