"""The imported roof sized to the car's mass (issue 14, task s23h_f; 5 Dec 2026): a
one-parameter trial judged held out on IIHS's strength-to-weight ratios.

    python benchmarks/roof_sizing_trial.py            # the whole judgment (about 3 min)
    python benchmarks/crash_probes.py roof_sizing     # the same

The model's roof (``keidesign.crash.roof``, plastic-hinge sway of the A-pillar and half
the B-pillar) has one class set of pillar sections on every import, so its force is
nearly flat (64-72 kN one side) and its ratio falls as 1 / curb mass; the cars IIHS
tested in 2011 or later keep 4.7-6.2 from 967 to 1,624 kg (docs/crash.md, "The roof
against IIHS's ratios"). Here an imported car's roof is designed to a strength-to-weight
ratio, as a maker designs it to a rating or a standard:

    F_roof(t_A) = SWR* m g                       (one side, N; m the import's curb, kg)
    F_roof(t_A) = 2 M_p,A(t_A) / ((H - h_c) tan rake) + F_B
    M_p,A(t_A)  = sigma_0 t_A d (w + d/2)        (members.box_plastic_moment: linear in t)
    =>  t_A = t_0 (F_target - F_B) / (F_roof(t_0) - F_B),  F_B = F_roof(0)

with F_roof the model's own closed form (``RoofStrengthComp``) at the registry's A-pillar
section (w 50, d 70 mm, hot-stamped 1,500 MPa) and t_0 its 1.4 mm; the root is exact
(F is linear in t_A), then bounded to the registry's 0.4-6.0 mm. Only the A-pillar wall
moves: the B-pillar's section (``crash:side:b_pillar_*``) is the side model's too
(``SideImpactComp``, the MDB and pole cases); the A-pillar's thickness enters no other
force model, only the mass (both A-pillars, ``crash:roof:structure_mass``, summed in
``mass:crash_structure``; found after the first run: the Known outcomes block moved in
its last digits, e.g. the smallest ride-down margin +0.041 -> +0.011 mm). SWR* is ONE
global constant: the geometric mean of IIHS / (model ratio per unit SWR*) over the IIHS
cars tested 2011 or later (zero mean log error, as the front's force per kg), judged
leave-one-family-out (``validation.crash.family``: the maker, Kia with Hyundai); the
three 2009 tests (smart 451, MINI R56, Fit GE, designed to the old 1.5 x of FMVSS 216)
are reported, not fitted. Scope: the front's sizing's (``build._structure_scale``): a
non-kei car with a published or EPA-derived curb mass, not ``--predict``; kei imports
and reference designs keep the registry's pillars.

Basis [R]: IIHS roof test (a plate pushed on one side of the roof at constant speed; peak
force before 5 in = 127 mm of crush over the vehicle's weight; good >= 4.0, acceptable
3.25, marginal 2.5; iihs.org, "Roof strength", discontinued test page: discontinued
because "virtually all vehicles were earning good ratings" and the federal standard
phased in 2013-2017 was similar to good); FMVSS 216a S5.1 (49 CFR 571.216a: 3.0 x the
unloaded vehicle weight, each side, before 127 mm; ``crash/roof.py``); makers design to
IIHS's good: from the 2010 award year a Top Safety Pick needs a 4.0 ratio
(safetyresearch.net, "The New De Facto Roof Strength Standard? IIHS Raises the Bar";
cars.com, "IIHS to Launch Roof-Strength Ratings", Feb 2009), and 216a's 3.0 with a
manufacturing margin puts effective ratios at 4 or more (e-z.net, docs/crash.md).
Assumptions [A]: one ratio for every maker and size (the fitted SWR* above IIHS's 4.0 is
the design margin); the A-pillar carries all of the change (a real roof also thickens
the rails and the B-pillar's upper part). Validity: the import's pillars within the
registry's 0.4-6.0 mm (a bound is printed when hit), cars of 700-1,700 kg, IIHS/216a
quasi-static plate test. Units: forces kN, thickness mm, mass kg.

Ship rule, written before the first run (5 Dec 2026, 14:55 UTC; committed with this
code before any run). The rule ships (in ``keidesign/specs/build.py``) only if ALL hold:

1. the 8 IIHS cars tested 2011 or later, each predicted with the SWR* fitted without
   its family: mean absolute error below the shipped model's on the same 8 (14 % in
   docs/crash.md; computed in the same run) and |mean error| at most 10 %;
2. no certified generation newly failing ``fmvss216a`` or any federal criterion (the
   federal verdicts of every certified generation under the rule against the shipped
   import: ``validation.crash.certified_cars``; benchmarks/crash_outcomes.py);
3. kei imports and reference designs unchanged (the rule's scope, tested).

Result (first run, 5 Dec 2026): SWR* 5.342 on the 7 later-tested cars the rule sizes
(the Fiat 500 has no curb to size to and keeps its ratio); held out by family MAE 8.6 %,
bias +2.3 %, 8 of 8 within +/-20 % (shipped pillars: 14.4 %, +6.1 %, 6 of 8); rule 1
passes. The sizing now lives in ``keidesign.specs.build`` (``roof_pillar_thickness``,
``ROOF_STRENGTH_TO_WEIGHT`` = 5.34); :func:`roof_sizing` sets that constant (None: the
registry's pillars, the import before) for a ``with`` block and restores it.
"""

from __future__ import annotations

import math
import statistics
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import verdict_kinds as vk  # noqa: E402  (benchmarks/verdict_kinds.py)

from keidesign.specs import build, sources  # noqa: E402
from keidesign.validation import crash as cv  # noqa: E402

#: the cars IIHS tested in 2009, its first roof year (IIHS release of 20 Aug 2009, as
#: automotive-fleet.com and programbusiness.com quote it; docs/crash.md): reported, not
#: fitted
EARLY_TESTS = ("smart fortwo (451)", "MINI Cooper hardtop (R56)", "Honda Fit (GE)")
#: the ratio the judgment's first pass runs (any value: the model ratio is linear in it)
PROBE_SWR = 5.0
#: the shipped model's mean absolute error on the later-tested cars (docs/crash.md)
SHIPPED_MAE = 0.14
#: ship rule 1: |held-out bias| bound
BIAS_BOUND = 0.10
#: each sizing done inside :func:`roof_sizing`: curb, target kN, t, bounded
LOG: list[dict] = []


def import_curb(spec) -> float | None:
    """The curb mass (kg) the rule sizes ``spec``'s roof to (the front's sizing's:
    ``build._import_curb``), None out of its scope."""
    return build._import_curb(spec, build.is_kei(spec), False)


@contextmanager
def roof_sizing(swr: float | None) -> Iterator[None]:
    """Imports inside the block carry an A-pillar sized to ``swr`` x curb x g
    (``build.ROOF_STRENGTH_TO_WEIGHT``; None: the registry's pillars, the import before
    the rule), each sizing logged in :data:`LOG`."""
    kept_swr, kept_table = build.ROOF_STRENGTH_TO_WEIGHT, build._roof_table

    def logged(spec, kei, predict, body):
        roof = kept_table(spec, kei, predict, body)
        if roof is not None:
            e = roof.entries[0]
            LOG.append({"curb": build._import_curb(spec, kei, predict), "t": e.value,
                        "bounded": "bound" in e.note})
        return roof

    build.ROOF_STRENGTH_TO_WEIGHT, build._roof_table = swr, logged
    try:
        yield
    finally:
        build.ROOF_STRENGTH_TO_WEIGHT, build._roof_table = kept_swr, kept_table


def _later(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["vehicle"] not in EARLY_TESTS
            and r["iihs_swr"] == r["iihs_swr"] and "skipped" not in r]


def _make(vehicle: str) -> str:
    key = cv.ROOF_MATCH.get(vehicle)
    if key is not None:
        return key[0]
    row = next(r for r in cv.roof_rows() if f"{r['vehicle']} {r['generation']}" == vehicle)
    return row["us_specs_make"]


def sized_curbs() -> dict[str, float | None]:
    """The curb (kg) the rule sizes each roof-compared car's import to, None for a car
    out of its scope (no published curb, no EPA test weight: the car keeps the
    registry's pillars whatever SWR*)."""
    rows = {(v.row["make"], v.row["model"], v.row["generation"]): v
            for v in reversed(list(sources.vehicle_rows("us_specs")))}
    return {vehicle: import_curb(sources.row_spec(rows[key]))
            for vehicle, _, _, key, *_ in cv._roof_targets() if key in rows}


def held_out(rows: list[dict], probe: float, curbs: dict[str, float | None]) -> dict:
    """Fit of SWR* on the later-tested cars of ``rows`` (run at ``probe``) the rule sizes
    (``curbs``): the global value and each later car's held-out prediction and error
    (the SWR* of the other families; a car the rule does not size keeps its ratio)."""
    cars = _later(rows)
    unit = {r["vehicle"]: r["model_swr"] / probe for r in cars if curbs.get(r["vehicle"])}
    logs = {v: math.log(r["iihs_swr"] / unit[v]) for r in cars if (v := r["vehicle"]) in unit}
    fam = {r["vehicle"]: cv.family(_make(r["vehicle"])) for r in cars}
    out = []
    for r in cars:
        v = r["vehicle"]
        if v not in unit:
            out.append({"vehicle": v, "family": fam[v], "swr_fold": math.nan,
                        "pred": r["model_swr"], "iihs": r["iihs_swr"], "error": r["error"]})
            continue
        others = [logs[u] for u in logs if fam[u] != fam[v]]
        s = math.exp(statistics.fmean(others))
        out.append({"vehicle": v, "family": fam[v], "swr_fold": s,
                    "pred": s * unit[v], "iihs": r["iihs_swr"],
                    "error": s * unit[v] / r["iihs_swr"] - 1.0})
    errs = [c["error"] for c in out]
    return {"swr": math.exp(statistics.fmean(logs.values())), "cars": out,
            "mae": statistics.fmean(abs(e) for e in errs), "bias": statistics.fmean(errs),
            "within": sum(abs(e) <= cv.ROOF_BOUND for e in errs)}


def federal_change(before: AbstractContextManager, after: AbstractContextManager) -> dict:
    """The federal verdicts of every certified generation (``validation.crash.
    certified_cars``) inside ``before`` and inside ``after``: count, the newly failed
    criteria by car, the cars whose finite margins moved, the failing counts (before,
    after), the smallest finite ``fmvss216a.roof_strength`` margin after (car, kN) and,
    not counted, the model proxies' line (``verdict_kinds.proxies_line``: since task s34f
    ``CarVerdict.failed`` holds the federal criteria only, the proxies apart)."""
    with before:
        base = {v.name: v for v in cv.certified_cars()["cars"]}
    with after:
        new = {v.name: v for v in cv.certified_cars()["cars"]}
    newly = {n: sorted(set(v.failed) - set(base[n].failed)) for n, v in new.items()
             if n in base and set(v.failed) - set(base[n].failed)}
    moved = [n for n, v in new.items() if n in base and any(
        abs(v.margins[c][0] - base[n].margins[c][0]) > 1e-9 for c in v.margins
        if c in base[n].margins and v.margins[c][0] == v.margins[c][0])]
    roof_m = [(n, m[0]) for n, v in new.items() for c, m in v.margins.items()
              if c.endswith("fmvss216a.roof_strength") and m[0] == m[0]]
    return {"n": len(new), "newly": newly, "moved": moved,
            "failing": (sum(bool(v.failed) for v in base.values()),
                        sum(bool(v.failed) for v in new.values())),
            "proxies": vk.proxies_line(base, new),
            "lowest_216a": min(roof_m, key=lambda m: m[1]) if roof_m else None}


def federal_summary(fed: dict) -> str:
    """One line of :func:`federal_change`'s result: count, the cars whose margins moved,
    the newly failing, the failing counts and the smallest fmvss216a margin after."""
    newly, low = fed["newly"], fed["lowest_216a"]
    return (f"federal: {fed['n']} certified generations; margins moved on "
            f"{len(fed['moved'])} ({', '.join(fed['moved'])}); newly failing: "
            f"{newly or 'none'}; failing before {fed['failing'][0]}, after "
            f"{fed['failing'][1]}; smallest fmvss216a margin after: "
            + (f"{low[0]} {low[1]:+.1f}" if low else "-") + f"; {fed['proxies']} (not counted)")


def _stats(rows: list[dict]) -> tuple[float, float, int]:
    errs = [r["error"] for r in rows]
    return (statistics.fmean(abs(e) for e in errs), statistics.fmean(errs),
            sum(abs(e) <= cv.ROOF_BOUND for e in errs))


def main(argv: list[str]) -> int:
    federal = "--no-federal" not in argv
    with roof_sizing(None):
        before = cv.roof_checks()
    with roof_sizing(PROBE_SWR):
        probe = cv.roof_checks()
    curbs = sized_curbs()
    fit = held_out(probe, PROBE_SWR, curbs)
    swr = round(fit["swr"], 2)
    LOG.clear()
    with roof_sizing(swr):
        after = cv.roof_checks()
    log = list(LOG)
    b_later = _stats(_later(before))
    n_fit = sum(c["swr_fold"] == c["swr_fold"] for c in fit["cars"])
    print(f"shipped build.ROOF_STRENGTH_TO_WEIGHT = {build.ROOF_STRENGTH_TO_WEIGHT}")
    print(f"SWR* = {fit['swr']:.3f} (rounded {swr:g}), fitted on the {n_fit} sized of the "
          f"{len(fit['cars'])} cars tested 2011 or later")
    print(f"A-pillar walls: {min(x['t'] for x in log):.2f}-{max(x['t'] for x in log):.2f}"
          f" mm, {sum(x['bounded'] for x in log)} at a bound")
    print("\ncar | family | curb kg (sized to) | A-pillar mm | IIHS | registry pillars (err) | "
          "sized, in-sample (err) | held out SWR* -> err")
    after_by = {r["vehicle"]: r for r in after}
    fold = {c["vehicle"]: c for c in fit["cars"]}
    for r in before:
        if "skipped" in r or r["iihs_swr"] != r["iihs_swr"]:
            continue
        a = after_by[r["vehicle"]]
        c = fold.get(r["vehicle"])
        ho = ("(2009 test, not fitted)" if c is None else "(not sized)"
              if c["swr_fold"] != c["swr_fold"] else f"{c['swr_fold']:.2f} -> {c['error']:+.0%}")
        m = curbs.get(r["vehicle"])
        t = next((f"{x['t']:.2f}" for x in log if x["curb"] == m), "1.4 (registry)")
        print(f"{r['vehicle']} | {cv.family(_make(r['vehicle']))} | {a['curb_kg']:.0f} "
              f"({m or 0:.0f}) | {t} | "
              f"{r['iihs_swr']:.2f} | {r['model_swr']:.2f} ({r['error']:+.0%}) | "
              f"{a['model_swr']:.2f} ({a['error']:+.0%}) | {ho}")
    a_later = _stats(_later(after))
    early_b = _stats([r for r in before if r["vehicle"] in EARLY_TESTS and "skipped" not in r])
    early_a = _stats([r for r in after if r["vehicle"] in EARLY_TESTS and "skipped" not in r])
    all_b, all_a = cv.roof_summary(before), cv.roof_summary(after)
    print(f"\nlater tests (n={len(fit['cars'])}): registry pillars MAE {b_later[0]:.1%} bias "
          f"{b_later[1]:+.1%} within {b_later[2]}; sized in-sample MAE {a_later[0]:.1%} "
          f"bias {a_later[1]:+.1%} within {a_later[2]}; held out MAE {fit['mae']:.1%} "
          f"bias {fit['bias']:+.1%} within {fit['within']}")
    print(f"2009 tests: registry pillars MAE {early_b[0]:.1%} bias {early_b[1]:+.1%}; sized MAE "
          f"{early_a[0]:.1%} bias {early_a[1]:+.1%}")
    print(f"all {all_b['n']}: registry pillars {all_b['within']} within, bias "
          f"{all_b['mean_error']:+.1%}, MAE {all_b['mae']:.1%}; sized {all_a['within']} "
          f"within, bias {all_a['mean_error']:+.1%}, MAE {all_a['mae']:.1%}; below floor "
          f"{all_b['below_floor']} -> {all_a['below_floor']}")
    rule1 = fit["mae"] < min(SHIPPED_MAE, b_later[0]) and abs(fit["bias"]) <= BIAS_BOUND
    print(f"ship rule 1 (held out MAE < {min(SHIPPED_MAE, b_later[0]):.1%}, |bias| <= "
          f"{BIAS_BOUND:.0%}): {'PASS' if rule1 else 'FAIL'}")
    if federal:
        fed = federal_change(roof_sizing(None), roof_sizing(swr))
        newly = fed["newly"]
        print(f"federal: {fed['n']} certified generations, newly failing: {newly or 'none'};"
              f" failing before {fed['failing'][0]}, after {fed['failing'][1]}; "
              f"{fed['proxies']} (not counted)")
        if fed["lowest_216a"]:
            low = fed["lowest_216a"]
            print(f"smallest fmvss216a margin after: {low[0]} {low[1]:+.1f}")
        print(f"ship rule 2: {'PASS' if not newly else 'FAIL'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
