"""The B-pillar's ends at the roof: the side structure's joint law in place of the half
(issue 14, task s32b; 6 Dec 2026): the trial and its ship rule, written and committed
before its first judging run.

    python benchmarks/roof_joint_trial.py             # rules 1-2 and 6; rule 3 if 1-2 pass
    python benchmarks/roof_joint_trial.py --federal   # rule 3 and the reference designs
                                                      # run (reported) whatever 1-2 say

The question (docs/crash.md, "The B-pillar's ends at the roof"): the roof model credits the
B-pillar with a constant half of its collapse load (``crash.roof.B_PILLAR_SHARE`` = 0.5
[A]). Task s31b (``roof_platen_trial.py``) showed the FMVSS 216a platen loads the B-pillar
fully on every compared car, so the half stands for what the model lacks between the plate
and the pillar's section: the roof rail and the joints. No published split of the plate
load between the pillars was found (task s24f; again by this task: ``data/crash/README.md``,
"The B-pillar's share of the roof load"). Candidate (physics, nothing fitted): the
B-pillar's sway mechanism with its end moments limited as the side model limits them
("One joint law for the side structure", 4 Dec 2026; ``crash.side.pillar_end_moments``):
its moment at the head twists the roof rail about its own axis, at the foot the sill, each
at most twice that member's plastic torque (carried both ways along it)::

    F_B   = (M_s + M_r) / (L_B sin 25 deg)                 [N]
    M_s   = min(M_p,B, 2 T_p,sill),  M_r = min(M_p,B, 2 T_p,roof rail)      [N m]
    eta_B = (M_s + M_r) / (2 M_p,B)                        [-], 0 pinned .. 1 built in

quasi-static (the side law at v = 0: no Cowper-Symonds factor). The share replaces
B_PILLAR_SHARE per design; the A-pillar keeps its built-in ends; the import sizes the
A-pillar with the same closed form (``build.ROOF_STRENGTH_TO_WEIGHT`` = 5.34 not refitted).

Ship rule (written before the first judging run; the same in docs/crash.md). It ships
only if ALL hold:

1. over the 11 IIHS-rated importable generations (``validation.crash.roof_checks``) at
   least 9 within +/-20 % (more than the shipped 8);
2. the roof mean absolute error over them not above the shipped one (recomputed here);
3. no certified generation fails ``fmvss216a.roof_strength`` (``validation.crash.
   certified_cars``, each import at its own share);
4. nothing fitted (by construction: the share follows from each design's sections);
5. the value replacing 0.5 a physics derivation or a sourced value (by construction: V);
6. the fleet-era trial's finding re-checked (``roof_fleet_era_trial.py``: every pre-216a
   import sized to 2.5 at the registry's 0.4 mm wall): re-run here with the candidate's
   shares on the compared cars and the certified pre-216a imports, reported either way.

Rule 3 (and the reference designs' 216a margins, reported) run only if rules 1 and 2 pass.

Result (first run, 6 Dec 2026, 14:47-15:02 UTC): NOT shipped. Every compared import has
the registry's B-pillar, sill and roof-rail sections: M_p,B 17.5, M_s 7.6, M_r 3.6 kN m,
eta_B = 0.320 on all 11. Rule 1 FAIL: 8 -> 8 within +/-20 % (smart 451 +52.8 -> +15.6 %
enters, Fiat 500 +5.7 -> -20.01 % leaves); rule 2 PASS: MAE 22.2 -> 16.0 %, bias +18.4 ->
+8.7 %. Rule 6: with the fleet-era key (2.5) the nine pre-216a certified imports stay at
the registry's 0.4 mm A-pillar wall (the finding holds), their floor 3.93-5.63 -> 2.69-3.85
x the weight, six of them then under 216a's 3.0 (margins -4.0 to -0.1 kN); on the
compared cars that combination gives 9 of 11 within with the Fit GE (3.17) below its
acceptable floor: two changes no rule was written for (docs/crash.md, "The B-pillar's
ends at the roof"). Reported with ``--federal`` (rule 3, not judged): none of the 131
certified generations fails 216a (smallest margin +23.1 -> +13.2 kN); the reference
designs' 216a margins fall 14-25 kN, all positive (+14.7 to +51.7 kN).

Units: ratio dimensionless (peak force before 127 mm over curb weight), moments kN m,
walls mm, force kN.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import roof_fleet_era_trial as fleet  # noqa: E402
from roof_platen_trial import _row, b_share, certified_designs, judge  # noqa: E402

from keidesign import variables  # noqa: E402
from keidesign.crash import side  # noqa: E402
from keidesign.design import load_design  # noqa: E402
from keidesign.evaluation import evaluate_design, resolve_packs  # noqa: E402
from keidesign.materials import material  # noqa: E402
from keidesign.specs import build, sources  # noqa: E402
from keidesign.validation import crash as cv  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: the section keys the joint law reads (registered names, mm)
SECTION_KEYS = ("crash:side:b_pillar_width", "crash:side:b_pillar_depth",
                "crash:side:b_pillar_thickness", "crash:side:sill_height",
                "crash:side:sill_depth", "crash:side:sill_thickness",
                "crash:side:roof_rail_height", "crash:side:roof_rail_depth",
                "crash:side:roof_rail_thickness")
#: the shipped count within +/-20 % the candidate must beat (rule 1: at least 9)
MIN_WITHIN = 9


def joint_share(values) -> dict:
    """The joint law's moments (kN m) and share (-) of a design's values (a mapping of the
    registered names: :data:`SECTION_KEYS` in mm and the three side grade keys), quasi-
    static: ``side.pillar_end_moments`` at v = 0."""
    g = {k: float(values[k]) for k in SECTION_KEYS}
    mats = tuple(material(str(values[k])) for k in side.MATERIAL_KEYS)
    m_p, m_s, m_r = (float(x) for x in side.pillar_end_moments(g, *mats, 0.0))
    return {"m_p": m_p * 1e-3, "m_s": m_s * 1e-3, "m_r": m_r * 1e-3,
            "share": (m_s + m_r) / (2.0 * m_p)}


def car_shares(vehicles) -> dict[str, dict]:
    """:func:`joint_share` of each compared car's import (by its outcome row's name)."""
    out = {}
    for v in vehicles:
        _, design, _ = cv._evaluate(_row(v))
        out[v] = joint_share(design)
    return out


def compared(shares: dict[str, dict] | None, swr_pre: float | None = None) -> list[dict]:
    """``roof_checks`` rows of the IIHS-rated importable cars, each at its own joint share
    (None: shipped), with pre-216a roofs sized to ``swr_pre`` (the fleet-era key; None:
    the shipped import)."""
    base = [r for r in cv.roof_checks() if r["iihs_swr"] == r["iihs_swr"]
            and "skipped" not in r]
    if shares is None and swr_pre is None:
        return base
    out = []
    for r in base:
        share = None if shares is None else shares[r["vehicle"]]["share"]
        with fleet.pre216a(swr_pre), b_share(share):
            out += cv.roof_checks(only={r["vehicle"]})
    return out


def report(title: str, j: dict, shares: dict[str, dict] | None) -> None:
    print(f"\n{title}\ncar (IIHS) | M_p,B / M_s / M_r, kN m | share | IIHS | "
          "shipped: wall mm, kN, ratio (err) | candidate: wall mm, kN, ratio (err)")
    for x in j["rows"]:
        s = shares[x["vehicle"]] if shares else None
        sh = (f"{s['m_p']:.1f} / {s['m_s']:.1f} / {s['m_r']:.1f} | {s['share']:.3f}"
              if s else "- | 0.5")
        tag = " [registry bound]" if x["bounded"] else ""
        print(f"{x['vehicle']} | {sh} | {x['iihs']:.2f} | {x['t0']:.2f}, {x['f0']:.1f}, "
              f"{x['before']:.2f} ({x['err0']:+.2%}) | {x['t']:.2f}, {x['f']:.1f}, "
              f"{x['after']:.2f} ({x['err']:+.2%}){tag}")
    print(f"n {len(j['rows'])}; within +/-20 %: {j['within'][0]} -> {j['within'][1]}; MAE "
          f"{j['mae'][0]:.1%} -> {j['mae'][1]:.1%}; bias {j['bias'][0]:+.1%} -> "
          f"{j['bias'][1]:+.1%}; below a rating's floor: {j['below_floor'] or 'none'}")


def certified_shares() -> dict[str, float]:
    """The joint share of every importable certified generation (by ``car_name``)."""
    return {name: joint_share(design)["share"] for name, design in certified_designs()}


def federal_216a(shares: dict[str, float] | None, names: set[str] | None = None,
                 swr_pre: float | None = None) -> dict[str, tuple[float, float]]:
    """(model ratio, FMVSS 216a margin kN) of every certified generation (or ``names``),
    each at its own share (None: shipped), pre-216a roofs sized to ``swr_pre``."""
    out = {}
    every = {cv.car_name(vr.row) for vr in sources.vehicle_rows("us_specs")}
    for name in sorted(every if names is None else names & every):
        with fleet.pre216a(swr_pre), b_share(None if shares is None else shares.get(name)):
            for v in cv.certified_cars({name})["cars"]:
                m = [x[0] for c, x in v.margins.items() if c.endswith("fmvss216a.roof_strength")]
                out[v.name] = (v.roof_swr, m[0] if m else float("nan"))
    return out


def reference_216a(candidate: bool) -> dict[str, tuple[float, float]]:
    """(joint share, FMVSS 216a margin kN) of each reference design, shipped or at its
    joint share (its own sections and grades, the design file's or the registry's)."""
    out = {}
    for path in sorted((ROOT / "studies" / "designs").glob("*.toml")):
        design = load_design(path)
        share = joint_share(design)["share"]
        with b_share(share if candidate else None):
            ev = evaluate_design(design, resolve_packs(["fmvss"]))
        m = [c["margin"] for c in ev.constraints if c["id"].endswith("fmvss216a.roof_strength")]
        out[path.stem] = (share, float(m[0]) if m else float("nan"))
    return out


def main(argv: list[str]) -> int:
    before = compared(None)
    shares = car_shares(r["vehicle"] for r in before)
    j = judge(before, compared(shares))
    report("JUDGED: the B-pillar's share from the joint law (eta_B = (M_s + M_r) / 2 M_p,B)",
           j, shares)
    rules = {1: j["within"][1] >= MIN_WITHIN, 2: j["mae"][1] <= j["mae"][0]}
    print(f"rule 1 (at least {MIN_WITHIN} of {len(j['rows'])} within +/-20 %): "
          f"{'PASS' if rules[1] else 'FAIL'} ({j['within'][0]} -> {j['within'][1]})")
    print(f"rule 2 (MAE not worse): {'PASS' if rules[2] else 'FAIL'} "
          f"({j['mae'][0]:.1%} -> {j['mae'][1]:.1%})")
    print("rule 4 (nothing fitted): PASS by construction")
    print("rule 5 (physics derivation replacing 0.5): PASS by construction (V)")

    # rule 6: the fleet-era trial's finding with the candidate's shares
    years = fleet.first_years()
    jf0 = judge(before, compared(None, fleet.SWR_FLEET))
    jf1 = judge(before, compared(shares, fleet.SWR_FLEET))
    report(f"rule 6, shipped share: pre-216a roofs sized to {fleet.SWR_FLEET} "
           "(roof_fleet_era_trial's judgment)", jf0, None)
    report(f"rule 6, joint share: pre-216a roofs sized to {fleet.SWR_FLEET}", jf1, shares)
    all_shares = certified_shares()
    pre_cert = {n for n, y in years.items()
                if n in all_shares and (y or 9999) <= fleet.ROOF_PRE_216A_LAST_MODEL_YEAR}
    t0 = fleet.import_texts(None)
    t1 = fleet.import_texts(fleet.SWR_FLEET)
    sized = sorted(n for n in pre_cert if t1.get(n) != t0.get(n))
    print(f"\nrule 6: certified pre-216a imports the fleet-era key sizes: {len(sized)} "
          f"({', '.join(sized)})")
    c0 = federal_216a(None, set(sized), fleet.SWR_FLEET)
    c1 = federal_216a(all_shares, set(sized), fleet.SWR_FLEET)
    lo = variables.get(build.A_PILLAR_T).lower
    print("car | share | shipped share at 2.5: ratio, 216a margin kN | joint share at 2.5: "
          "ratio, 216a margin kN")
    for n in sorted(c1):
        print(f"{n} | {all_shares[n]:.3f} | {c0[n][0]:.2f}, {c0[n][1]:+.1f} | "
              f"{c1[n][0]:.2f}, {c1[n][1]:+.1f}")
    print(f"(the registry's A-pillar bound {lo} mm; a ratio above 2.5 means the wall is "
          "at that bound)")
    print("rule 6 (fleet-era finding re-checked): run and reported")

    if (rules[1] and rules[2]) or "--federal" in argv:
        f0, f1 = federal_216a(None), federal_216a(all_shares)
        failing = sorted(k for k, (_, m) in f1.items() if m < 0)
        low = min(f1, key=lambda k: f1[k][1])
        low0 = min(f0, key=lambda k: f0[k][1])
        ok3 = not failing
        if rules[1] and rules[2]:
            rules[3] = ok3
        print(f"rule 3 (no certified car fails 216a){'' if 3 in rules else ', reported only'}: "
              f"{'PASS' if ok3 else 'FAIL'} ({len(f1)} generations; smallest margin "
              f"{f0[low0][1]:+.1f} kN ({low0}) -> {f1[low][1]:+.1f} kN ({low}); failing: "
              f"{failing or 'none'}; shares {min(all_shares.values()):.3f}-"
              f"{max(all_shares.values()):.3f})")
        r0, r1 = reference_216a(False), reference_216a(True)
        print("reported: reference designs' 216a margins, kN (share): " + ", ".join(
            f"{k} {r0[k][1]:+.1f} -> {r1[k][1]:+.1f} ({r1[k][0]:.3f})" for k in r0))
    else:
        print("rule 3 not run (rule 1 or 2 failed; --federal runs it, reported only)")
    shipped = len(rules) == 3 and all(rules.values())
    print("\nverdict:", "SHIP" if shipped else "NOT shipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
