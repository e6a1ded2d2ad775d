"""The pre-rule fleet's ratio for roofs designed before FMVSS 216a (issue 14, task s30f;
6 Dec 2026): the trial and its ship rule, written before its first judging run.

    python benchmarks/roof_fleet_era_trial.py              # the whole judgment (a few min)
    python benchmarks/roof_fleet_era_trial.py --no-federal # the IIHS comparison only

The question (docs/crash.md, "The pre-rule fleet's ratio for roofs designed before FMVSS
216a"): the three misses of the roof comparison (8 of 11 within +/-20 %) are IIHS's 2009
tests (MINI R56 +86 %, Fit GE +56 %, smart 451 +53 %), generations designed when FMVSS 216
asked 1.5 x the unloaded weight (49 CFR 571.216 before the final rule of 74 FR 22348, 12 May
2009, docket NHTSA-2009-0093, which doubled it to 3.0 x, phased in Sept 2012 - MY2017
[R]), while the import sizes every roof it sizes to one modern ratio
(``build.ROOF_STRENGTH_TO_WEIGHT``, 5.34 [A, fitted on 7 later cars]).

Candidate (physics first, the value from the fleet, not from the judged cars):

    design basis = pre-216a  if the generation's first US model year <= 2009
                   modern    otherwise (the default; a new kei design is post-216a)
    a pre-216a import whose roof the import sizes (non-kei, a curb, not --predict)
    carries an A-pillar for SWR_fleet x curb x g instead of 5.34 x curb x g
    (``ROOF_PRE_216A_STRENGTH_TO_WEIGHT`` of this script, None when not shipped; until
    task s31b the switch sat in ``keidesign/specs/build.py``, now the import's one ratio
    function ``build.roof_basis`` is swapped inside :func:`pre216a`)

    SWR_fleet = 2.5 [R]: the pre-rule fleet's median ratio is below 2.5, as three-quarters
    of the vehicles on the road in 2008 would have failed the proposed 2.5 x standard
    (Wall Street Journal, as newser.com quotes it, 3 Mar 2008, "Are Car Roofs Tough
    Enough?"); 2.5 is that median's sourced upper bound. The small pre-216a cars IIHS
    tested for its 2009 injury study (12 small 4-door cars, FMVSS 216 conditions) span
    SWR(5) "from just more than 1.5 to just less than 4.0" (Brumbelow & Teoh, Traffic
    Injury Prevention 10(6):584-592, 2009, abstract on iihs.org) [R], around it. NHTSA's
    FRIA for the 2009 rule (docket NHTSA-2009-0093), whose tested-fleet SWR distribution
    would be the primary figure, is not in the searchable store (task s30f's search), nor
    is IIHS Status Report 44(3)'s table beyond its first section. No IIHS ratio of a judged
    car chose the value.

Ship rule (written before the first run; committed with this script; docs/crash.md).
It ships only if ALL hold:

1. over every IIHS-rated importable generation (``validation.crash.roof_checks``; the
   enlarged data set of ``iihs_roof_strength.csv`` and ``known_outcomes.csv``, none of
   whose ratios chose the value), more within +/-20 % than with the shipped import;
2. no car within +/-20 % with the shipped import leaves the band;
3. no certified generation newly fails any federal criterion of the ``fmvss`` pack
   (``roof_sizing_trial.federal_change``, before and after, over every generation whose
   import the key changes: the pre-216a generations with a curb; the others' imports are
   checked to be unchanged, text for text);
4. the reference designs and kei imports unchanged (their FMVSS 216a margins before and
   after equal: the key applies to non-kei us_specs rows only);
5. no rated car's model ratio below its IIHS rating's floor.

Reported, not judged: each sized A-pillar wall at the registry's bound (0.4-6.0 mm) or not
(tasks s24b, s24f and s27c found the light pre-216a cars' roofs set by the bound: the
B-pillar term, the side model's section, plus the thinnest A-pillar, 51-56 kN), and the
same comparison at 1.5 (FMVSS 216's own minimum) and at 3.58 (task s27c's median of the
six pre-216a IIHS ratios, which includes the judged cars: shown, never a candidate).

Result (first run, 6 Dec 2026, 09:15-09:25 UTC): NOT shipped. Rule 1 FAIL (8 -> 8 of 11
within +/-20 %; MAE 22.2 -> 20.3 %, bias +18.4 -> +16.6 %: the Fit GE +56 -> +36 %, its wall
0.90 -> 0.40 mm, the registry's bound; the smart 451 and MINI R56 have no curb to size to);
rules 2-5 PASS (nine imports changed, all pre-216a, none failing, smallest 216a margin +12.0
kN, the Matrix E140; reference 216a margins unchanged; no rated car below its floor). All
nine pre-216a imports go to the 0.4 mm bound (model ratio 3.93-4.64; the MX-5 NC at it
already, 5.63), so the verdict is the same at 1.5 and 3.58: the roof's floor, not the era's
ratio, sets those roofs (docs/crash.md).

Units: ratio dimensionless (peak force before 127 mm over curb weight), mass kg, wall mm,
force kN.
"""

from __future__ import annotations

import re
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from roof_sizing_trial import federal_change, federal_summary  # noqa: E402

from keidesign import variables  # noqa: E402
from keidesign.design import load_design  # noqa: E402
from keidesign.errors import InputError  # noqa: E402
from keidesign.evaluation import evaluate_design, resolve_packs  # noqa: E402
from keidesign.specs import build, sources  # noqa: E402
from keidesign.specs.text import design_text  # noqa: E402
from keidesign.validation import crash as cv  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: Design basis of a roof designed before FMVSS 216a (issue 14, task s30f, 6 Dec 2026; the
#: rule in the module docstring and in docs/crash.md, "The pre-rule fleet's ratio for roofs
#: designed before FMVSS 216a"): the strength-to-weight ratio [-] to which the import sizes
#: the A-pillar of a generation first sold in the US by :data:`ROOF_PRE_216A_LAST_MODEL_
#: YEAR` (designed to FMVSS 216's 1.5 x, 49 CFR 571.216 before the final rule of 74 FR
#: 22348, 12 May 2009 [R]), instead of ``build.ROOF_STRENGTH_TO_WEIGHT``; only where the
#: import sizes the roof at all (a non-kei us_specs row with a curb, not ``predict``:
#: ``build._import_curb``). None: the shipped import (set inside :func:`pre216a` only;
#: NOT shipped, moved here from ``keidesign/specs/build.py`` by task s31b).
ROOF_PRE_216A_STRENGTH_TO_WEIGHT: float | None = None
#: last first US model year of a pre-216a design (the era key of tasks s24f and s27c:
#: the final rule was published in May 2009, so a generation first sold as a 2009 model
#: or earlier was designed to FMVSS 216's 1.5 x)
ROOF_PRE_216A_LAST_MODEL_YEAR = 2009
#: the shipped import's ratio function, which :func:`pre216a` swaps
_SHIPPED_BASIS = build.roof_basis
#: the candidate's ratio [R] (module docstring): the sourced upper bound of the pre-rule
#: fleet's median
SWR_FLEET = 2.5
#: reported, not judged: FMVSS 216's own minimum and task s27c's median of the six pre-216a
#: IIHS ratios (which include the judged cars)
SENSITIVITY = (1.5, 3.58)


def roof_design_ratio(spec: sources.Spec) -> tuple[float, bool]:
    """(ratio, pre-216a) the import sizes ``spec``'s roof to: :data:`ROOF_PRE_216A_
    STRENGTH_TO_WEIGHT` for a generation first sold in the US by :data:`ROOF_PRE_216A_
    LAST_MODEL_YEAR` when that key is set, else ``build.ROOF_STRENGTH_TO_WEIGHT``. A first
    model year outside ``build.ERA_YEAR_RANGE`` is an :class:`InputError` (as for
    ``build.era_pillar_grades``)."""
    first = spec.get("first_model_year")
    shipped = float(build.ROOF_STRENGTH_TO_WEIGHT)
    if ROOF_PRE_216A_STRENGTH_TO_WEIGHT is None or first is None:
        return shipped, False
    lo, hi = build.ERA_YEAR_RANGE
    if not lo <= first <= hi:
        raise InputError(f"{spec.name}: first model year {first!r}; allowed: {lo}-{hi}")
    if first <= ROOF_PRE_216A_LAST_MODEL_YEAR:
        return float(ROOF_PRE_216A_STRENGTH_TO_WEIGHT), True
    return shipped, False


def _trial_basis(spec: sources.Spec) -> tuple[float, str]:
    """``build.roof_basis`` inside :func:`pre216a`: the pre-216a ratio with its note."""
    swr, pre = roof_design_ratio(spec)
    if not pre:
        return _SHIPPED_BASIS(spec)
    return swr, ("roof designed before FMVSS 216a (first US model year "
                 f"{spec.get('first_model_year')}): the pre-rule fleet's ratio, "
                 "benchmarks/roof_fleet_era_trial.py ROOF_PRE_216A_STRENGTH_TO_WEIGHT")


@contextmanager
def pre216a(swr: float | None) -> Iterator[None]:
    """Imports inside the block size a pre-216a generation's roof to ``swr`` (None: the
    shipped import)."""
    global ROOF_PRE_216A_STRENGTH_TO_WEIGHT
    kept, kept_fn = ROOF_PRE_216A_STRENGTH_TO_WEIGHT, build.roof_basis
    ROOF_PRE_216A_STRENGTH_TO_WEIGHT = swr
    build.roof_basis = _SHIPPED_BASIS if swr is None else _trial_basis
    try:
        yield
    finally:
        ROOF_PRE_216A_STRENGTH_TO_WEIGHT, build.roof_basis = kept, kept_fn


def compared(swr: float | None) -> list[dict]:
    """``roof_checks``'s rows of the IIHS-rated importable cars inside :func:`pre216a`."""
    with pre216a(swr):
        return [r for r in cv.roof_checks() if r["iihs_swr"] == r["iihs_swr"]
                and "skipped" not in r]


def first_years() -> dict[str, int | None]:
    """First US model year of each certified generation (by ``car_name``) and of each
    IIHS-rated car (by its outcome row's name, through its us_specs key)."""
    out, by_key = {}, {}
    for vr in sources.vehicle_rows("us_specs"):
        try:
            year = sources.row_spec(vr).get("first_model_year")
        except InputError:
            year = None
        out.setdefault(cv.car_name(vr.row), year)
        by_key.setdefault((vr.row["make"], vr.row["model"], vr.row["generation"]), year)
    for vehicle, _, _, key, _, _ in cv._roof_targets():
        out.setdefault(vehicle, by_key.get(key))
    return out


def import_texts(swr: float | None) -> dict[str, str]:
    """The import's design text of every distinct us_specs generation inside
    :func:`pre216a` (generations the import refuses are left out)."""
    out = {}
    with pre216a(swr):
        for vr in sources.vehicle_rows("us_specs"):
            name = cv.car_name(vr.row)
            if name in out:
                continue
            try:
                header, tables = build.build_design(sources.row_spec(vr))
            except InputError:
                continue
            out[name] = design_text(header, tables)
    return out


def reference_216a(swr: float | None) -> dict[str, float]:
    """FMVSS 216a roof margin (kN) of each reference design inside :func:`pre216a`."""
    out = {}
    with pre216a(swr):
        for path in sorted((ROOT / "studies" / "designs").glob("*.toml")):
            ev = evaluate_design(load_design(path), resolve_packs(["fmvss"]))
            m = [c["margin"] for c in ev.constraints
                 if c["id"].endswith("fmvss216a.roof_strength")]
            out[path.stem] = float(m[0]) if m else float("nan")
    return out


def judge(before: list[dict], after: list[dict], years: dict[str, int | None]) -> dict:
    """Rules 1, 2 and 5 over the compared cars, and the rows for the report."""
    var = variables.get(build.A_PILLAR_T)
    b = {r["vehicle"]: r for r in before}
    rows = []
    for r in after:
        r0 = b[r["vehicle"]]
        t = r.get("a_pillar_mm", float("nan"))
        rows.append({"vehicle": r["vehicle"], "first": years.get(r["vehicle"]),
                     "iihs": r["iihs_swr"],
                     "floor": r["floor"], "before": r0["model_swr"], "err0": r0["error"],
                     "after": r["model_swr"], "err": r["error"], "t0": r0.get("a_pillar_mm"),
                     "t": t, "bounded": t == t and (t <= var.lower or t >= var.upper)})
    inside0 = {x["vehicle"] for x in rows if abs(x["err0"]) <= cv.ROOF_BOUND}
    inside = {x["vehicle"] for x in rows if abs(x["err"]) <= cv.ROOF_BOUND}
    below = [x["vehicle"] for x in rows if x["floor"] == x["floor"] and x["after"] < x["floor"]]
    return {"rows": rows, "within": (len(inside0), len(inside)),
            "left": sorted(inside0 - inside), "below_floor": below,
            "mae": (statistics.fmean(abs(x["err0"]) for x in rows),
                    statistics.fmean(abs(x["err"]) for x in rows)),
            "bias": (statistics.fmean(x["err0"] for x in rows),
                     statistics.fmean(x["err"] for x in rows))}


def report(title: str, j: dict) -> None:
    print(f"\n{title}\ncar (IIHS) | first US MY | IIHS | shipped: wall mm, ratio (err) | "
          "rule: wall mm, ratio (err)")
    for x in j["rows"]:
        tag = " [registry bound]" if x["bounded"] else ""
        t0 = f"{x['t0']:.2f}" if x["t0"] == x["t0"] and x["t0"] is not None else "-"
        t = f"{x['t']:.2f}" if x["t"] == x["t"] else "-"
        print(f"{x['vehicle']} | {x['first']} | {x['iihs']:.2f} | {t0}, {x['before']:.2f} "
              f"({x['err0']:+.0%}) | {t}, {x['after']:.2f} ({x['err']:+.0%}){tag}")
    n = len(j["rows"])
    print(f"n {n}; within +/-20 %: {j['within'][0]} -> {j['within'][1]}; MAE "
          f"{j['mae'][0]:.1%} -> {j['mae'][1]:.1%}; bias {j['bias'][0]:+.1%} -> "
          f"{j['bias'][1]:+.1%}; below a rating's floor: {j['below_floor'] or 'none'}")


def main(argv: list[str]) -> int:
    federal = "--no-federal" not in argv
    years = first_years()
    before = compared(None)
    pre = sorted(r["vehicle"] for r in before
                 if (years.get(r["vehicle"]) or 9999) <= ROOF_PRE_216A_LAST_MODEL_YEAR)
    print(f"IIHS-rated importable generations: {len(before)}; pre-216a (first US model year "
          f"<= {ROOF_PRE_216A_LAST_MODEL_YEAR}): {', '.join(pre) or 'none'}")
    j = judge(before, compared(SWR_FLEET), years)
    report(f"JUDGED: pre-216a roofs sized to SWR_fleet = {SWR_FLEET}", j)
    rules = {1: j["within"][1] > j["within"][0], 2: not j["left"], 5: not j["below_floor"]}
    print(f"rule 1 (more within): {'PASS' if rules[1] else 'FAIL'} "
          f"({j['within'][0]} -> {j['within'][1]})")
    print(f"rule 2 (none leaves the band): {'PASS' if rules[2] else 'FAIL'}"
          + (f" ({', '.join(j['left'])})" if j["left"] else ""))
    print(f"rule 5 (no rated car below its floor): {'PASS' if rules[5] else 'FAIL'}"
          + (f" ({', '.join(j['below_floor'])})" if j["below_floor"] else ""))
    at = [x["vehicle"] for x in j["rows"] if x["bounded"] and x["vehicle"] in pre]
    print(f"reported: pre-216a walls at the registry's bound: {len(at)} of {len(pre)}"
          + (f" ({', '.join(at)})" if at else ""))
    if federal:
        t0, t1 = import_texts(None), import_texts(SWR_FLEET)
        changed = {n for n in t1 if t1[n] != t0.get(n)}
        other = sorted(n for n in changed
                       if (years.get(n) or 9999) > ROOF_PRE_216A_LAST_MODEL_YEAR)
        print(f"\nimports changed by the key: {len(changed)} of {len(t1)} "
              f"({', '.join(sorted(changed))}); of them not pre-216a: {other or 'none'}")
        fed = federal_change(_only(changed, None), _only(changed, SWR_FLEET))
        print(federal_summary(fed))
        changed_imports(changed, t0, t1)
        ref0, ref1 = reference_216a(None), reference_216a(SWR_FLEET)
        rules[3] = not fed["newly"]
        rules[4] = ref0 == ref1 and not other
        print(f"rule 3 (no certified generation newly failing): "
              f"{'PASS' if rules[3] else 'FAIL'}")
        print(f"rule 4 (reference designs and kei imports unchanged): "
              f"{'PASS' if rules[4] else 'FAIL'} (reference 216a margins, kN: "
              + ", ".join(f"{k} {v:+.1f}" for k, v in ref1.items()) + ")")
    else:
        print("rules 3 and 4 not run (--no-federal)")
    ok = all(rules.values()) and federal
    print(f"\nverdict: {'SHIP' if ok else 'NOT shipped'}")
    for swr in SENSITIVITY:
        report(f"reported, not judged: pre-216a roofs sized to {swr}",
               judge(before, compared(swr), years))
    return 0


def changed_imports(names: set[str], t0: dict[str, str], t1: dict[str, str]) -> None:
    """Print each changed import's A-pillar wall (mm, from its design text), model ratio
    and FMVSS 216a margin (kN), shipped -> with the key (reported, not judged)."""
    res: dict[str, list[tuple[float, float]]] = {}
    for swr in (None, SWR_FLEET):
        with pre216a(swr):
            for v in cv.certified_cars(names)["cars"]:
                m = [x[0] for c, x in v.margins.items()
                     if c.endswith("fmvss216a.roof_strength")]
                res.setdefault(v.name, []).append((v.roof_swr, m[0] if m else float("nan")))
    print("changed import | A-pillar wall, mm | model ratio | FMVSS 216a margin, kN")
    for n in sorted(res):
        w = [re.search(r"a_pillar_thickness = ([0-9.]+)", t[n]) for t in (t0, t1)]
        (s0, m0), (s1, m1) = res[n]
        print(f"{n} | {w[0].group(1) if w[0] else '-'} -> {w[1].group(1) if w[1] else '-'} | "
              f"{s0:.2f} -> {s1:.2f} | {m0:+.1f} -> {m1:+.1f}")


@contextmanager
def _only(names: set[str], swr: float | None) -> Iterator[None]:
    """:func:`pre216a` with ``validation.crash.certified_cars`` limited to ``names``
    (the generations whose import the key changes)."""
    full = cv.certified_cars

    def limited(only: set[str] | None = None) -> dict:
        return full(names if only is None else only & names)

    cv.certified_cars = limited
    try:
        with pre216a(swr):
            yield
    finally:
        cv.certified_cars = full


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
