"""A design basis for roofs designed before FMVSS 216a (issue 14, task s27c; 6 Dec 2026):
the trial and its ship rule, judged held out by family.

    python benchmarks/roof_design_basis_trial.py      # the whole judgment (about 1 min)

The question (docs/crash.md, "A design basis for roofs designed before FMVSS 216a, with
more cars"): the three misses of the roof comparison are the cars IIHS tested in 2009
(smart 451, Fit GE, MINI R56), generations on sale before FMVSS 216a's final rule (74 FR
22348, 12 May 2009: 3.0 x the unloaded weight instead of FMVSS 216's 1.5 [R]), while the
import sizes every roof it sizes to one modern ratio (``build.ROOF_STRENGTH_TO_WEIGHT``,
5.34 [A, fitted on 7 later cars]). The candidate rule, an assumption [A] with a value read
from the data at run time:

    design basis = pre-216a  if the generation's first US model year <= 2009
                   modern    otherwise (the default; a new kei car is post-216a)
    a pre-216a import sized by the import (published or EPA-derived curb) carries an
    A-pillar for SWR_pre x curb x g instead of 5.34 x curb x g, where
    SWR_pre = median of the IIHS ratios of the pre-216a generations on file

The first US model year: ``launch_model_year`` of ``iihs_roof_strength.csv``; for
``known_outcomes.csv`` rows the first year of ``model_years`` (the generation's first US
model year on every row with a ratio). The maker of a car, for its family
(``validation.crash.family``): the first word of its row's name. Held out by family: each
pre-216a car gets the median of the other families' pre-216a ratios.

Ship rule, written before the first run (docs/crash.md, 6 Dec 2026, 00:22 UTC; committed
before any run). It ships only if ALL hold:

1. over the IIHS-rated importable cars (``validation.crash.roof_checks``; each pre-216a
   car at its held-out SWR_pre, the modern cars as the shipped import has them), more
   within +/-20 % than the shipped count;
2. no car within +/-20 % with the shipped import leaves the band;
3. new designs unchanged (the reference designs and kei imports are not sized by the
   rule: the default basis is modern, and the import sizes no kei roof);
4. no rated car's model ratio below its rating's floor.

Reported, not judged: each sized A-pillar wall at the registry's bound (0.4-6.0 mm) or
not, and the same rules with the cars without a curb sized to the mass model's curb
(``build.ROOF_SIZE_PREDICTED_CURB``, not shipped by task s24b).

Units: ratio dimensionless (peak force before 127 mm over curb weight), mass kg, wall mm.
"""

from __future__ import annotations

import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from roof_era_trial import model_ratio, sizing  # noqa: E402

from keidesign.errors import InputError  # noqa: E402
from keidesign.specs import build  # noqa: E402
from keidesign.validation import crash as cv  # noqa: E402

#: last first-US-model-year of a pre-216a design: the final rule was published 12 May
#: 2009 (74 FR 22348); a generation first sold as a 2009 model or earlier was designed to
#: FMVSS 216's 1.5 x (the era key of task s24f)
PRE_216A_LAST_MODEL_YEAR = 2009
#: first US model years a row may give (IIHS's roof tests, 2009-2022, were of
#: generations first sold from the 1990s)
LAUNCH_YEAR_RANGE = (1990, 2023)


def _year(where: str, field: str, text: str) -> int:
    """The four-digit year at the start of ``text``, within :data:`LAUNCH_YEAR_RANGE`;
    else one :class:`InputError` naming where, the field, the value and the range."""
    m = re.match(r"\s*(\d{4})\b", text)
    lo, hi = LAUNCH_YEAR_RANGE
    if not m or not lo <= int(m.group(1)) <= hi:
        raise InputError(f"{where}: {field} = {text!r}; allowed: a model year {lo}-{hi} "
                         "(four digits first)")
    return int(m.group(1))


def generations() -> list[dict]:
    """Every IIHS ratio on file (both data files): name (as ``roof_checks`` names it),
    maker (first word of the name), family, ratio, first US model year, and whether the
    design is pre-216a."""
    out = []
    for i, r in enumerate(cv._known_rows(), start=2):
        if r["iihs_roof_strength_to_weight"]:
            out.append((r["vehicle"], float(r["iihs_roof_strength_to_weight"]),
                        _year(f"known_outcomes.csv line {i} ({r['vehicle']})", "model_years",
                              r["model_years"])))
    for i, r in enumerate(cv.roof_rows(), start=2):
        out.append((f"{r['vehicle']} {r['generation']}", float(r["iihs_roof_strength_to_weight"]),
                    _year(f"iihs_roof_strength.csv line {i} ({r['vehicle']})",
                          "launch_model_year", r.get("launch_model_year") or "")))
    return [{"vehicle": v, "maker": v.split()[0], "family": cv.family(v.split()[0]),
             "iihs": x, "launch": y, "pre216a": y <= PRE_216A_LAST_MODEL_YEAR}
            for v, x, y in out]


def held_out_medians(gens: list[dict]) -> dict[str, float]:
    """SWR_pre of each pre-216a car: the median ratio of the other families' pre-216a
    cars."""
    pre = [g for g in gens if g["pre216a"]]
    return {g["vehicle"]: statistics.median(o["iihs"] for o in pre if o["family"] != g["family"])
            for g in pre}


def _judge(shipped: list[dict], held: dict[str, float], predicted_curb: bool) -> dict:
    """The four rules over the compared cars, the pre-216a ones sized to their held-out
    SWR_pre (cars without a curb to the mass model's when ``predicted_curb``)."""
    rows, bounded = [], []
    for s in shipped:
        v = s["vehicle"]
        if v in held:
            with sizing(held[v], predicted_curb):
                a = model_ratio(v)
            rows.append(s | {"after": a["error"], "swr_after": a["swr"], "t_after": a["t"],
                             "bounded": a["bounded"]})
            bounded.append((v, a["bounded"]))
        else:
            rows.append(s | {"after": s["error"], "swr_after": s["model_swr"],
                             "t_after": s.get("a_pillar_mm", float("nan")), "bounded": False})
    inside = [abs(r["error"]) <= cv.ROOF_BOUND for r in rows]
    inside_after = [abs(r["after"]) <= cv.ROOF_BOUND for r in rows]
    below = [r["vehicle"] for r in rows if r["floor"] == r["floor"] and r["swr_after"] < r["floor"]]
    return {"rows": rows, "within": sum(inside), "within_after": sum(inside_after),
            "left": [r["vehicle"] for r, b, a in zip(rows, inside, inside_after, strict=True)
                     if b and not a],
            "below_floor": below, "bounded": bounded,
            "mae": statistics.fmean(abs(r["error"]) for r in rows),
            "mae_after": statistics.fmean(abs(r["after"]) for r in rows),
            "bias": statistics.fmean(r["error"] for r in rows),
            "bias_after": statistics.fmean(r["after"] for r in rows)}


def _report(title: str, j: dict) -> bool:
    print(f"\n{title}\ncar | IIHS | shipped: wall mm, ratio (err) | rule: wall mm, ratio (err)")
    for r in j["rows"]:
        tag = " [registry bound]" if r["bounded"] else ""
        print(f"{r['vehicle']} | {r['iihs_swr']:.2f} | {r.get('a_pillar_mm', float('nan')):.2f},"
              f" {r['model_swr']:.2f} ({r['error']:+.0%}) | {r['t_after']:.2f}, "
              f"{r['swr_after']:.2f} ({r['after']:+.0%}){tag}")
    n = len(j["rows"])
    print(f"within +/-20 %: {j['within']} -> {j['within_after']} of {n}; MAE {j['mae']:.1%} -> "
          f"{j['mae_after']:.1%}; bias {j['bias']:+.1%} -> {j['bias_after']:+.1%}")
    rules = {1: j["within_after"] > j["within"], 2: not j["left"],
             3: True, 4: not j["below_floor"]}
    print(f"rule 1 (more within): {'PASS' if rules[1] else 'FAIL'}")
    print(f"rule 2 (none leaves the band): {'PASS' if rules[2] else 'FAIL'}"
          + (f" ({', '.join(j['left'])})" if j["left"] else ""))
    print("rule 3 (new designs unchanged): PASS by construction (default basis modern; the"
          " import sizes no kei roof)")
    print(f"rule 4 (no rated car below its floor): {'PASS' if rules[4] else 'FAIL'}"
          + (f" ({', '.join(j['below_floor'])})" if j["below_floor"] else ""))
    at = [v for v, b in j["bounded"] if b]
    print(f"reported: sized walls at the registry's bound: {len(at)} of {len(j['bounded'])}"
          + (f" ({', '.join(at)})" if at else ""))
    return all(rules.values())


def main(argv: list[str]) -> int:
    gens = generations()
    pre = [g for g in gens if g["pre216a"]]
    makers = {g["family"] for g in pre}
    print(f"IIHS ratios on file: {len(gens)}; pre-216a (first US model year <= "
          f"{PRE_216A_LAST_MODEL_YEAR}): {len(pre)} of {len(makers)} families")
    for g in sorted(gens, key=lambda g: g["launch"]):
        print(f"  {g['vehicle']} | first US MY {g['launch']} | IIHS {g['iihs']:.2f}"
              f" | {'pre-216a' if g['pre216a'] else 'modern'}")
    if len(pre) < 5 or len(makers) < 3:
        print("gate not met (at least 5 pre-216a generations of 3 makers): no rule run")
        return 0
    swr_pre = statistics.median(g["iihs"] for g in pre)
    later = [g["iihs"] for g in gens if not g["pre216a"]]
    print(f"SWR_pre (median, all {len(pre)}): {swr_pre:.3f}; modern ratios median "
          f"{statistics.median(later):.3f} (n={len(later)}); shipped SWR* "
          f"{build.ROOF_STRENGTH_TO_WEIGHT}")
    held = held_out_medians(gens)
    for v, s in held.items():
        ratio = next(g["iihs"] for g in gens if g["vehicle"] == v)
        print(f"  held out: {v} | IIHS {ratio:.2f} | SWR_pre of the other families {s:.2f}"
              f" -> {s / ratio - 1.0:+.0%}")
    with sizing(None, build.ROOF_SIZE_PREDICTED_CURB):
        shipped = [r for r in cv.roof_checks()
                   if r["iihs_swr"] == r["iihs_swr"] and "skipped" not in r]
    importable = {r["vehicle"] for r in shipped}
    held = {v: s for v, s in held.items() if v in importable}
    print(f"importable pre-216a cars: {', '.join(held) or 'none'}")
    ok = _report("JUDGED: the import as shipped (only cars with a curb are sized)",
                 _judge(shipped, held, False))
    print(f"\nverdict: {'SHIP (then run the federal verdicts)' if ok else 'NOT shipped'}")
    _report("reported, not judged: cars without a curb sized to the mass model's curb "
            "(ROOF_SIZE_PREDICTED_CURB, not shipped)", _judge(shipped, held, True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
