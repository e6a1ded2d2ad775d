"""Crash verdicts against known outcomes (issue 14; docs/crash.md "Known outcomes").

US-certified cars met FMVSS 208/214/216a: the model should pass them. Since the import's
restraint rule (keidesign.specs.build.restraint_design) it passed all but the Scion iQ,
which passes since the tolerated dash intrusion is sourced (100 mm, 4 Dec 2026);
while the pole mechanism credited the door beam and one cross-member only (Dec 2026: no
B-pillar share, the sill and roof rail not yet in the design) four heavy plug-in cars
failed the pole crush space; with the sill and roof rail (docs/crash.md, "The pole
mechanism") they pass (HEAVY_PLUG_INS). Every car the model fails is listed here as a
strict xfail. The IIHS roof ratios are held to the issue's +/-20 % (the cars outside
it are strict xfails with their figures, ROOF_OUTLIERS). The IIHS minicar side
tests matched to certified generations give each car's residual side crush (with the
import's assumed seat position): the model's side crush, under the IIHS barrier's own
face since 4 Dec 2026, is held to the +/-15 % target as a strict xfail (7 of 9 inside),
and its under-prediction is asserted per car with a published curb mass.
"""

from __future__ import annotations

import pytest

from keidesign.errors import InputError
from keidesign.validation import crash as cv

#: certified generations the model passes on every federal criterion
PASSING = ["HONDA FIT GE (2nd gen)", "HYUNDAI Accent RB (4th gen) sedan",
           "NISSAN VERSA N18 sedan", "HONDA FIT GK (3rd gen)",
           "NISSAN LEAF S ZE0/AZE0 (1st gen)", "KIA Soul PS (2nd gen)"]
#: the heaviest certified plug-ins: they failed fmvss214.pole.crush_space by 4-32 mm while
#: the pole force left out the sill and roof rail; with them they pass (smallest margin
#: +137 mm, the Volt; ``python benchmarks/crash_probes.py pole_members``)
HEAVY_PLUG_INS = ["CADILLAC ELR ELR (2016)", "CHEVROLET VOLT 1st gen",
                  "KIA Soul Electric SK3 EV", "CHEVROLET BOLT EV 1st gen"]
#: the shortest, harshest certified fronts (28-30 g mean): they failed
#: fmvss208.ride_down_space with the registry restraint (excursions 314-329 mm) until the
#: import's restraint was designed for the car's pulse (issue 14, deliverable 3,
#: docs/crash.md); they pass the crush space since it counts the powertrain stack the
#: same way on both sides (deliverable 2)
SHORTEST_FRONTS = ["Fiat 500 312 (US 1.4)", "MINI Cooper Hardtop R56 Cooper",
                   "CHEVROLET Spark M400 (3rd gen)"]

#: certified generations the model FAILS (strict xfails: they fail the suite the day the
#: model passes them, so this list and docs/crash.md get updated). Empty since 4 Dec 2026:
#: the Scion iQ failed the crush space and dash intrusion by 13 mm with 50 mm of tolerated
#: dash intrusion (assumed); with the sourced 100 mm (Euro NCAP's pedal limit,
#: keidesign.crash.structure, "What a passing car may use") it passes by 37 mm; the
#: smart fortwo electric drive W453 ED was held here from 5 to 6 Dec 2026 (:data:`SMARTS`)
KNOWN_FAILS: dict[str, str] = {}
#: the smart fortwo generations (2,690-2,700 mm, rear engine or motor), importable since
#: 5 Dec 2026: the ICE ones pass. The electric drive W453 ED was the one strict xfail from
#: 5 to 6 Dec 2026 (fmvss208.chest_accel_3ms and f05.hic15 / f05.chest_accel_3ms at its
#: 1,334 kg test mass, a 130 g peak from the compaction past its zones); it passes since
#: the import sizes engine-less fronts by energy within min(S, C*) (task s28b,
#: docs/crash.md, "A class crush for engine-less imported fronts")
SMARTS = ["smart fortwo W451", "smart fortwo W453", "smart fortwo electric drive W453 ED"]
#: the shortest US-certified car, passing since the tolerated intrusion is sourced
SHORTEST_CAR = "SCION iQ AJ10"


@pytest.fixture(scope="module")
def verdicts():
    res = cv.certified_cars(set(PASSING + SHORTEST_FRONTS + HEAVY_PLUG_INS + [SHORTEST_CAR]
                                + SMARTS) | set(KNOWN_FAILS))
    assert not res["skipped"]
    return {v.name: v for v in res["cars"]}


@pytest.mark.parametrize("name", PASSING + SHORTEST_FRONTS + HEAVY_PLUG_INS + [SHORTEST_CAR]
                         + SMARTS + [
    pytest.param(k, marks=pytest.mark.xfail(strict=True, reason=r))
    for k, r in KNOWN_FAILS.items()])
def test_certified_car_passes_federal_criteria(verdicts, name):
    v = verdicts[name]
    assert any(m.startswith("fmvss:fmvss208") for m in v.margins)  # judged at all
    assert not v.failed, v.failed
    # the model proxies, apart from the federal criteria since task s34f, pass too
    assert not v.proxies_failed, v.proxies_failed


@pytest.mark.parametrize("name", SHORTEST_FRONTS)
def test_shortest_fronts_pass_the_crush_and_ride_down_spaces(verdicts, name):
    """Deliverable 2: the crush space counts the stack's compression on both sides, so the
    shortest certified fronts pass it (and the dash intrusion); deliverable 3: their
    restraint, designed for their pulse, rides the occupant down within the space with
    the chest below its limit."""
    v = verdicts[name]
    assert v.margins["fmvss:fmvss208.crush_space"][0] > 0.0
    assert v.margins["fmvss:fmvss208.ride_down_space"][0] >= 0.0
    assert v.margins["fmvss:fmvss208.chest_accel_3ms"][0] > 0.0
    # the old comparison (whole crush vs the rigid-stack budget, with the 50 mm of
    # tolerated intrusion assumed then) failed them: the difference is the stack's own
    # compression, not intrusion
    from keidesign.catalogue.crash import DASH_INTRUSION_MM

    old_budget = v.pulse["available_mm"] - DASH_INTRUSION_MM + 50.0
    assert v.pulse["crush_mm"] > old_budget > v.pulse["past_mm"]


def test_heavy_plug_ins_pass_the_pole_on_the_sill_and_roof_rail(verdicts):
    """The four heavy plug-ins pass fmvss214.pole.crush_space because the pole force now
    counts the sill and roof rail it bends (keidesign.crash.side): left out, each car's
    crush (E / F) would pass the seat centreline again, as it did before."""
    import numpy as np

    from keidesign import variables as reg
    from keidesign.crash import side
    from keidesign.materials import material

    g = {k: float(reg.get(k).default) for k in side.STRUCTURE_KEYS}
    v_p = side.POLE_SPEED_KMH / 3.6 * np.sin(np.radians(side.POLE_ANGLE_DEG))
    f_rails = sum(side.rail_forces(g, material(reg.get("crash:side:sill_material").default),
                                   material(reg.get("crash:side:roof_rail_material").default),
                                   v_p)) * 1e-3
    for name in HEAVY_PLUG_INS:
        s = verdicts[name].side
        assert verdicts[name].margins["fmvss:fmvss214.pole.crush_space"][0] > 0.0, name
        without = s["pole_crush_mm"] * s["pole_force_kn"] / (s["pole_force_kn"] - f_rails)
        assert without > s["door_to_seat_cl_mm"], name


def test_model_dash_intrusion_below_the_iihs_offset_test_intrusion(verdicts):
    """The full-width dash intrusion the crush space judges stays below the toe-pan
    intrusion IIHS measured on the same generation in its harsher 40 % offset test
    (data/crash/iihs_moderate_overlap_intrusion.csv)."""
    checks = cv.intrusion_checks({"cars": list(verdicts.values())})
    assert {c["car"] for c in checks} >= {"Fiat 500 312 (US 1.4)",
                                          "MINI Cooper Hardtop R56 Cooper",
                                          "HONDA FIT GE (2nd gen)"}
    for c in checks:
        assert 0.0 <= max(c["model_dash_mm"], 0.0) <= c["iihs_toepan_mm"], c


def test_iq_passes_on_the_sourced_tolerated_intrusion(verdicts):
    """The Scion iQ (docs/crash.md, "Why the iQ failed", "What the crush available is";
    ``python benchmarks/crash_probes.py crush_terms``): every front-engined import carries
    the same stack-up, so its 772 mm crush length leaves a crush available more than
    130 mm below the shortest certified fronts, and in the harshest pulse of them its
    stack pushes the dash further than the 50 mm assumed until 4 Dec 2026; within the
    sourced 100 mm (Euro NCAP's pedal limit) it passes, and its dash intrusion is below
    the 100 mm footrest intrusion IIHS measured on the iQ in its 64 km/h offset test
    (known_outcomes.csv, V)."""
    from keidesign import variables as reg
    from keidesign.catalogue.crash import DASH_INTRUSION_MM

    iq = verdicts[SHORTEST_CAR]
    short = [verdicts[n] for n in SHORTEST_FRONTS]
    assert iq.pulse["available_mm"] < min(v.pulse["available_mm"] for v in short) - 130.0
    assert iq.pulse["past_mm"] < min(v.pulse["past_mm"] for v in short)
    assert iq.pulse["mean_g"] > max(v.pulse["mean_g"] for v in short)
    assert float(reg.get("crash:front:dash_intrusion_limit").default) == DASH_INTRUSION_MM
    assert 50.0 < iq.pulse["dash_mm"] < DASH_INTRUSION_MM
    assert iq.margins["fmvss:fmvss208.crush_space"][0] > 0.0


def test_iq_verdict_barely_moves_with_its_stack_depth():
    """The stack depth decides little: a stack 100 mm shallower than the import's 450 mm
    lengthens the budget and the crush nearly alike (15 mm of margin gained under
    Campbell's line, whose energy spreads over the longer gap; 8 mm under the staircase;
    docs/crash.md, "Why the iQ failed")."""
    from keidesign.evaluation import evaluate_design, resolve_packs
    from keidesign.specs import sources
    from keidesign.specs.write import imported_design

    vr = next(vr for vr in sources.vehicle_rows("us_specs")
              if cv.car_name(vr.row) == SHORTEST_CAR)
    design = imported_design(sources.row_spec(vr), f"<import {SHORTEST_CAR}>")
    assert design["powertrain:block_length"] == 450.0

    def margin(block_mm: float) -> float:
        ev = evaluate_design(design.replace(**{"powertrain:block_length": block_mm}),
                             resolve_packs(["fmvss"]))
        return next(float(c["margin"]) for c in ev.constraints
                    if c["id"] == "fmvss:fmvss208.crush_space")

    deep, shallow = margin(450.0), margin(350.0)
    assert 0.0 < deep < shallow
    assert shallow - deep < 20.0


@pytest.fixture(scope="module")
def side_checks():
    res = cv.certified_cars(cv.side_minicar_names())
    assert not res["skipped"]
    return cv.side_crush_checks(res)


def test_side_minicar_tests_cover_five_generations_with_a_published_mass(side_checks):
    """The per-car side check needs five cars (data/crash/README.md): the IIHS minicar
    tests matched to certified generations whose curb mass us_specs.csv publishes."""
    published = [c for c in side_checks if c["curb_published"]]
    assert len({c["car"] for c in published}) >= 5
    assert {c["car"] for c in side_checks} == cv.side_minicar_names()


def test_side_minicar_energy_and_crush_follow_the_iihs_conditions(side_checks):
    """Struck mass = curb + two SID-IIs; E = 1/2 M m / (M + m) V^2 of the 1,500 kg, 50 km/h
    barrier; residual crush = door skin to seat centreline + the residual B-pillar."""
    from keidesign.crash import validation as val
    from keidesign.crash.side import SID2S_KG

    prog = val.load_side_program()
    big_m, v = prog["barrier_mass"][0], prog["barrier_speed"][0] / 3.6
    for c in side_checks:
        m = c["mass_kg"]
        assert c["energy_kj"] * 1e3 == pytest.approx(0.5 * big_m * m / (big_m + m) * v**2)
        assert c["residual_crush_mm"] == c["door_to_seat_cl_mm"] + c["b_pillar_to_seat_cl_mm"]
        assert c["model_crush_mm"] == pytest.approx(c["energy_kj"] / c["model_force_kn"] * 1e3)
    fit = next(c for c in side_checks if c["iihs_test"] == "Honda Fit 2009")
    assert fit["curb_published"] and fit["mass_kg"] == 1129.0 + 2.0 * SID2S_KG


def test_reconstructed_side_crush_lies_in_the_iihs_program_range(side_checks):
    """Two independent IIHS sources agree: the residual crush rebuilt from each minicar's
    B-pillar (with the import's assumed W20) lies inside the 270-460 mm maximum crush
    the 49-test program reports."""
    from keidesign.crash import validation as val

    lo, hi = val.load_side_program()["max_crush"][:2]
    for c in side_checks:
        assert lo <= c["residual_crush_mm"] <= hi, c


def test_side_model_underpredicts_every_minicar_crush(side_checks):
    """Per car with a published curb mass: the model's crush under the IIHS face (all
    barrier energy to the car) below the residual crush, its force above the constant
    force the test implies (itself an upper bound of the car's mean force)."""
    for c in side_checks:
        if c["curb_published"]:
            assert c["model_crush_mm"] < c["residual_crush_mm"], c
            assert c["implied_force_kn"] < c["model_force_kn"], c


def test_iihs_face_bends_the_doors_and_pillar_above_the_sill(side_checks):
    """The IIHS face (lower edge 379 mm) passes above every matched car's sill (the
    import's 330 mm top): no cross-member is crushed, the cross-members hold the sill,
    and the force is under half the FMVSS 214 face's, which reaches the sill (the same
    pillar, one joint law since 4 Dec 2026, plus the cross-members). The barrier as its
    own load case moves the per-car agreement from 34-43 % of the residual crush (the
    FMVSS face's force; 29-38 % with its built-in pillar of before) to 76-98 %
    (docs/crash.md, 'The IIHS barrier as its own load case' and 'One joint law for the
    side structure'; python benchmarks/crash_probes.py side_barriers)."""
    from keidesign.crash.validation import BOUND

    published = [c for c in side_checks if c["curb_published"]]
    for c in side_checks:
        assert not c["engages_sill"] and c["sill_holds"], c
        assert c["model_force_kn"] < 0.5 * c["fmvss_face_force_kn"], c
        assert c["fmvss_face_crush_ratio"] < 0.55, c
    assert all(c["fmvss_face_crush_ratio"] < 0.45 for c in published)
    assert sum(abs(c["crush_ratio"] - 1.0) <= BOUND for c in published) >= 7
    assert all(abs(c["crush_ratio"] - 1.0) <= 0.25 for c in published)


@pytest.mark.xfail(strict=True, reason=(
    "the IIHS face's own load case (doors and B-pillar above the sill, the pillar's ends "
    "turning against the sill's and roof rail's plastic torque; since 4 Dec 2026) puts the "
    "model's crush at 76-98 % of the residual crush rebuilt from 9 IIHS minicar tests on 8 "
    "certified generations with published curb mass (325-376 vs 381-460 mm; force 172-180 "
    "kN vs 135-174 kN implied), 7 of 9 within 15 %: Mazda2 2011 -24 %, Mirage 2014 -22 % "
    "(the FMVSS 214 face's force gives 34-43 %, 394-402 kN; 29-38 %, 452-463 kN, with its "
    "built-in pillar until 4 Dec 2026). docs/crash.md, 'The IIHS "
    "barrier as its own load case'; python benchmarks/crash_probes.py side_barriers. "
    "The barrier face's share, springback (unsourced) and the import's assumed W20 and "
    "sill top move it ('The IIHS side tests corrected')"))
def test_side_model_crush_within_target_of_the_minicar_tests(side_checks):
    from keidesign.crash.validation import BOUND

    published = [c for c in side_checks if c["curb_published"]]
    assert all(abs(c["crush_ratio"] - 1.0) <= BOUND for c in published)


def test_residual_crush_refuses_a_b_pillar_past_the_door_skin():
    from keidesign.errors import InputError

    assert cv.residual_crush_mm(507.0, -105.0) == 402.0
    with pytest.raises(InputError, match=r"b_pillar_to_seat_cl_mm: -600 mm; allowed: "
                                         r"above -507 mm"):
        cv.residual_crush_mm(507.0, -600.0)
    with pytest.raises(InputError, match="b_pillar_to_seat_cl_mm: -507 mm"):
        cv.residual_crush_mm(507.0, -507.0)


def test_policy_measures_are_apart_from_federal_criteria(verdicts):
    assert cv.is_policy("fmvss:compat.us.share_above")
    assert not cv.is_policy("fmvss:fmvss208.crush_space")
    for v in verdicts.values():
        assert not any(cv.is_policy(c) for c in v.failed)


#: IIHS roof ratios the model misses by more than 20 % (none since 6 Dec 2026, task s33h:
#: the import sizes a roof to its design era's ratio, keidesign.specs.build.roof_basis,
#: 3.747 for a first US model year <= 2009 and 5.436 after, a car without an import curb
#: to its outcome row's published curb, build.roof_curb, and the roof model credits the
#: B-pillar by the joint law, crash.roof.b_pillar_joint_share). Before: the smart 451
#: +53 %, MINI R56 +86 %, Fit GE +56 % (strict xfails until then). Now the smart 451 is
#: the closest, -19.6 % at the registry's 0.4 mm A-pillar wall (its roof the model's
#: floor, not its era's ratio: docs/crash.md, "The roof's design era with the B-pillar
#: joint law"); the comparison counts it within, as every other car.
ROOF_OUTLIERS: dict[str, str] = {}
#: the cars compared with an IIHS ratio (issue 14 roof pass, 5 Dec 2026: 11; 3 before)
ROOF_COMPARED = 11


@pytest.fixture(scope="module")
def roof_rows():
    return cv.roof_checks()


def test_roof_strength_to_weight_within_20_percent_of_iihs(roof_rows):
    rows = roof_rows
    compared = [r for r in rows if r["iihs_swr"] == r["iihs_swr"] and "skipped" not in r]
    assert len(compared) >= ROOF_COMPARED
    assert ROOF_OUTLIERS.keys() <= {r["vehicle"] for r in compared}
    for r in compared:
        if r["vehicle"] not in ROOF_OUTLIERS:
            assert abs(r["error"]) <= cv.ROOF_BOUND, r
    for r in rows:  # a rated car's model ratio sits at or above its rating's floor
        if "skipped" not in r and r["rating"]:
            assert r["model_swr"] >= r["floor"], r


def test_roof_ratio_divides_by_the_published_curb(roof_rows):
    """IIHS divides the peak force by the tested car's curb: where the import has no curb
    (the mass model's) but the outcome row gives one, so does the comparison: the smart
    451's model force over its 816 kg of known_outcomes.csv (before: over the mass
    model's 721 kg, 9.36, +73 %)."""
    (r,) = [r for r in roof_rows if r["vehicle"] == "smart fortwo (451)"]
    assert r["curb_published"] and r["curb_kg"] == 816.0
    assert r["model_swr"] == pytest.approx(r["model_force_kn"] * 1e3 / (816.0 * 9.80665))
    # since task s33h its roof is sized to that curb (build.roof_curb), at the registry's
    # 0.4 mm A-pillar wall: -19.6 % (+53 % unsized, with the B-pillar's half)
    assert r["error"] == pytest.approx(-0.196, abs=0.01)
    # the US curbs of the MINI R56 and Fiat 500 (known_outcomes.csv, task s24b; before,
    # the mass model's 983 and 967 kg: +118 % and +17 %), their roofs sized to them since
    # task s33h (the MINI, first US model year 2007, to the pre-era 3.747: +86 -> +9 %)
    by = {r["vehicle"]: r for r in roof_rows}
    for v, curb, err in (("MINI Cooper hardtop (R56)", 1150.0, 0.090),
                         ("Fiat 500", 1072.0, -0.117)):
        assert by[v]["curb_published"] and by[v]["curb_kg"] == curb
        assert by[v]["error"] == pytest.approx(err, abs=0.01)
    for r in roof_rows:  # the others: the ratio the model's mass gives, or a published curb
        if "skipped" not in r:
            assert r["model_swr"] == pytest.approx(
                r["model_force_kn"] * 1e3 / (r["curb_kg"] * 9.80665), rel=1e-3), r


def test_roof_summary_splits_at_the_median_curb_mass(roof_rows):
    """The summary the docs quote is what the per-car rows give: the compared cars (an
    IIHS ratio, not skipped), their count and count within +/-20 %, the worst, the median
    of their curbs, and each half's count, bias and count within from the rows at or
    below / above that median (until 5 Dec 2026 this pinned the halves' biases equal
    within 1 %, +18 / +18 % then: a coincidence of the rows, not the function)."""
    s = cv.roof_summary(roof_rows)
    compared = [r for r in roof_rows if r["iihs_swr"] == r["iihs_swr"] and "skipped" not in r]
    assert s["n"] == len(compared) == s["light"]["n"] + s["heavy"]["n"]
    assert s["within"] == sum(abs(r["error"]) <= cv.ROOF_BOUND for r in compared)
    assert s["within"] == s["light"]["within"] + s["heavy"]["within"]
    assert abs(s["worst_error"]) == max(abs(r["error"]) for r in compared)
    curbs = sorted(r["curb_kg"] for r in compared)
    n = len(curbs)
    mid = curbs[n // 2] if n % 2 else 0.5 * (curbs[n // 2 - 1] + curbs[n // 2])
    assert s["median_curb_kg"] == pytest.approx(mid)
    for half, rows in (("light", [r for r in compared if r["curb_kg"] <= mid]),
                       ("heavy", [r for r in compared if r["curb_kg"] > mid])):
        errs = [r["error"] for r in rows]
        assert rows and s[half]["n"] == len(rows)
        assert s[half]["mean_error"] == pytest.approx(sum(errs) / len(errs))
        assert s[half]["within"] == sum(abs(e) <= cv.ROOF_BOUND for e in errs)
    assert s["below_floor"] == []


def test_roof_summary_of_made_up_rows():
    rows = [{"vehicle": v, "iihs_swr": 5.0, "model_swr": 5.0 * (1 + e), "error": e,
             "curb_kg": m, "rating": "good", "floor": 4.0}
            for v, e, m in (("a", 0.5, 800.0), ("b", 0.1, 900.0), ("c", -0.1, 1200.0),
                            ("d", -0.3, 1500.0))]
    s = cv.roof_summary(rows)
    assert (s["n"], s["within"], s["worst"]) == (4, 2, "a")
    assert s["median_curb_kg"] == pytest.approx(1050.0)
    assert s["light"]["mean_error"] == pytest.approx(0.3)
    assert s["heavy"]["mae"] == pytest.approx(0.2)
    assert s["below_floor"] == ["d"]  # model 3.5 under the good rating's floor of 4


ROOF_HEADER = ("vehicle,generation,tested_model_year,iihs_roof_strength_to_weight,"
               "iihs_roof_rating,iihs_curb_weight_kg,us_specs_make,us_specs_model,"
               "us_specs_generation,status,source,notes\n")


@pytest.mark.parametrize("cells, message", [
    ("X,g,2012,5.1,good,,,,,R,,n", "source is empty"),
    ("X,g,2012,5.1,good,,,,,A,http://x,n", "status = 'A'; allowed: V or R"),
    ("X,g,2012,51,good,,,,,R,http://x,n", "iihs_roof_strength_to_weight = '51'"),
    ("X,g,2012,,good,,,,,R,http://x,n", "allowed: number in [1, 12]"),
    ("X,g,2012,5.1,great,,,,,R,http://x,n", "iihs_roof_rating = 'great'"),
    ("X,g,2012,3.5,good,,,,,R,http://x,n", "3.5 with rating 'good'; allowed: [4, inf)"),
    # review of 5 Dec 2026: the year, the curb weight and the us_specs key were not read
    ("X,g,2005,5.1,good,,,,,R,http://x,n", "tested_model_year = '2005'; allowed: a model "
                                           "year 2008-"),
    ("X,g,12,5.1,good,,,,,R,http://x,n", "tested_model_year = '12'"),
    ("X,g,2012.5,5.1,good,,,,,R,http://x,n", "tested_model_year = '2012.5'"),
    # review of 5 Dec 2026 (s24g): str.isdigit passed these (then a bare ValueError, or
    # another script's digits read as 2012), and the last year was today's + 1
    ("X,g,2012\u00b2,5.1,good,,,,,R,http://x,n", "tested_model_year = '2012\u00b2'"),
    ("X,g,\uff12\uff10\uff11\uff12,5.1,good,,,,,R,http://x,n", "tested_model_year = "),
    ("X,g,2024,5.1,good,,,,,R,http://x,n", "tested_model_year = '2024'; allowed: a model "
                                           "year 2008-2023"),
    ("X,g,2012,5.1,good,1_150,,,,R,http://x,n", "iihs_curb_weight_kg = '1_150'"),
    ("X,g,2012,5.1_0,good,,,,,R,http://x,n", "iihs_roof_strength_to_weight = '5.1_0'"),
    ("X,g,2012,5.1,good,81,,,,R,http://x,n", "iihs_curb_weight_kg = '81'; allowed: blank "
                                             "or a mass in [500, 4000] kg"),
    ("X,g,2012,5.1,good,heavy,,,,R,http://x,n", "iihs_curb_weight_kg = 'heavy'"),
    ("X,g,2012,5.1,good,,HONDA,FIT,GK,R,http://x,n",
     "us_specs_make/us_specs_model/us_specs_generation = 'HONDA/FIT/GK'; allowed: all "
     "three blank, or the make, model and generation of a us_specs.csv row"),
    ("X,g,2012,5.1,good,,HONDA,,,R,http://x,n", "= 'HONDA//' (partly filled)"),
])
def test_roof_rows_refuse_a_bad_row(tmp_path, cells, message):
    path = tmp_path / "roof.csv"
    path.write_text(ROOF_HEADER + cells + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 2 \(X\)") as exc:
        cv.roof_rows(path)
    assert message in str(exc.value)
    assert str(exc.value).startswith(f"{path} line 2 (X): ")  # the file read, not the shipped


def test_roof_rows_take_a_full_key_and_blanks(tmp_path):
    """A row naming a us_specs generation in full, or none, with or without a curb, is
    read (the refusals above are not of every key)."""
    path = tmp_path / "roof.csv"
    path.write_text(ROOF_HEADER + "X,g,2016,6.1,good,1130,HONDA,FIT,GK (3rd gen),R,http://x,n\n"
                    "Y,g,2009,3.3,acceptable,,,,,V,http://y,n\n", encoding="utf-8")
    assert [r["vehicle"] for r in cv.roof_rows(path)] == ["X", "Y"]


@pytest.mark.parametrize("cells, message", [
    ({"iihs_roof_strength_to_weight": "6,16"},
     "iihs_roof_strength_to_weight = '6,16'; allowed: blank or number in [1, 12]"),
    ({"iihs_roof_strength_to_weight": "0.6"}, "iihs_roof_strength_to_weight = '0.6'"),
    ({"iihs_roof_rating": "Top"}, "iihs_roof_rating = 'Top'; allowed: blank or good, "
                                  "acceptable, marginal, poor"),
    ({"iihs_roof_rating": "marginal"}, "iihs_roof_strength_to_weight = 6.16 with rating "
                                       "'marginal'; allowed: [2.5, 3.25)"),
    ({"curb_mass_kg": "1,100"}, "curb_mass_kg = '1,100'; allowed: blank or a mass in "
                                "[500, 4000] kg"),
    ({"curb_mass_kg": "1_072"}, "curb_mass_kg = '1_072'; allowed: blank or a mass in "
                                "[500, 4000] kg"),
])
def test_known_outcome_roof_cells_get_the_same_check(monkeypatch, cells, message):
    """A bad roof cell of known_outcomes.csv is the same one message as one of
    iihs_roof_strength.csv (:func:`roof_outcome`, both files), naming the file's line and
    vehicle (review of 5 Dec 2026: a bare ValueError before, or no check at all)."""
    rows = cv._known_rows()
    (i, fiat), = [(i, r) for i, r in enumerate(rows) if r["vehicle"] == "Fiat 500"]
    rows[i] = fiat | cells
    monkeypatch.setattr(cv, "_known_rows", lambda path=None: rows)
    with pytest.raises(InputError) as exc:
        cv._roof_targets()
    assert str(exc.value).startswith(f"known_outcomes.csv line {i + 2} (Fiat 500): ")
    assert message in str(exc.value)


def test_roof_targets_read_the_shipped_outcomes():
    """The shipped rows pass the shared check and give the figures they did (a ratio or
    NaN, the rating lower-case, the curb where given: the smart 451's 816 kg, and since
    task s24b the published US curbs of the Fiat 500, 1072 kg, and MINI R56, 1150 kg;
    NaN where none is given, the Fit GK)."""
    t = {row[0]: row for row in cv._roof_targets()}
    assert t["smart fortwo (451)"][1:3] == (5.41, "good") and t["smart fortwo (451)"][5] == 816
    leaf = t["Nissan Leaf (ZE0)"]
    assert leaf[1] != leaf[1] and leaf[2] == "good" and leaf[5] == 1529
    assert t["Fiat 500"][5] == 1072 and t["MINI Cooper hardtop (R56)"][5] == 1150
    assert t["Honda Fit (GK)"][5] != t["Honda Fit (GK)"][5]


def test_roof_targets_take_the_checked_key_and_name_the_file_read(tmp_path):
    """A row of another roof file is labelled with that file (review of 5 Dec 2026: it
    was "iihs_roof_strength.csv" whatever was read), and a us_specs key of spaces only is
    no key (the check strips it; before, the unstripped cell let ('', '', '') through to
    a bare StopIteration in roof_checks); the ratio, rating and curb are the checked
    ones."""
    path = tmp_path / "roof.csv"
    path.write_text(ROOF_HEADER + "X,g,2016,6.10,Good ,1130,HONDA,FIT,GK (3rd gen),R,http://x,n\n"
                    "Y,g,2012,5.2,good,, , , ,R,http://y,n\n", encoding="utf-8")
    rows = [t for t in cv._roof_targets(roof_path=path) if t[4] != "known_outcomes.csv"]
    assert rows == [("X g", 6.1, "good", ("HONDA", "FIT", "GK (3rd gen)"), str(path), 1130.0)]


def test_shipped_roof_rows_are_read_and_matched():
    """Every shipped row passes the loader, and every us_specs key it or ROOF_MATCH
    names is a generation of us_specs.csv (roof_checks would stop on one that is not)."""
    from keidesign.specs import sources

    rows = cv.roof_rows()
    assert rows and all(r["status"] in cv.ROOF_STATUS for r in rows)
    keys = {(v.row["make"], v.row["model"], v.row["generation"])
            for v in sources.vehicle_rows("us_specs")}
    named = set(cv.ROOF_MATCH.values()) | {
        (r["us_specs_make"], r["us_specs_model"], r["us_specs_generation"])
        for r in rows if r["us_specs_make"]}
    assert named <= keys
    known = {r["vehicle"] for r in cv._known_rows()}
    assert set(cv.ROOF_MATCH) <= known


def test_every_unmodelled_fmvss_criterion_says_why(capsys):
    """Issue 14: no criterion of the fmvss pack is "not modelled" without its reason,
    in the JSON record and beside it in the text table."""
    import json

    from conftest import DESIGNS

    from keidesign.cli import main

    assert main(["evaluate", str(DESIGNS / "nbox_class_us.toml"), "--json"]) == 0
    recs = json.loads(capsys.readouterr().out)["constraints"]
    unmodelled = [r for r in recs if r["status"] == "not-modelled"]
    assert len(unmodelled) >= 3  # side (no data to fit) and fuel spillage
    for r in unmodelled:
        assert r["id"].startswith("fmvss:") and r["reason"] and "needs" in r["reason"], r
    from keidesign.catalogue.criteria import NOT_MODELLED  # what `keidesign rules` lists

    assert sorted(r["quantity"] for r in unmodelled) == sorted(NOT_MODELLED)
    assert main(["evaluate", str(DESIGNS / "nbox_class_us.toml")]) == 0
    rows = [ln for ln in capsys.readouterr().out.splitlines() if "not modelled  " in ln]
    assert len(rows) == len(unmodelled)
    assert all("why: needs" in ln for ln in rows)


def test_kei_imports_ride_down_within_the_space_under_the_chest_limit():
    """Issue 14's "kei cars pass the 55 km/h full-width test as they did": with the
    import's restraint rule (slack removed first, keidesign.specs.build.restraint_design)
    every kei import of data/vehicles/kei.csv rides down within its space with the chest
    below 60 g (the force-only rule gave the N-Box and Tanto 62-67 g), and the Tanto,
    Mira e:S and Alto pass every federal criterion; the N-Box's structural failures (crush
    space, dash intrusion, docs/crash.md) are not held here."""
    from keidesign.evaluation import evaluate_design, resolve_packs
    from keidesign.specs import sources
    from keidesign.specs.write import imported_design

    packs = resolve_packs(["fmvss"])
    clean = {"Daihatsu Tanto", "Daihatsu Mira e:S", "Suzuki Alto"}
    seen = set()
    for vr in sources.vehicle_rows("kei"):
        name = vr.row["model"]
        ev = evaluate_design(imported_design(sources.row_spec(vr), f"<import {name}>"), packs)
        by_id = {c["id"].split(":", 1)[1]: c for c in ev.constraints}
        for cid in ("fmvss208.ride_down_space", "fmvss208.chest_accel_3ms",
                    "fmvss208.f05.chest_accel_3ms", "fmvss208.hic15", "fmvss208.f05.hic15"):
            assert by_id[cid]["passed"] is True, (name, cid, by_id[cid]["margin"])
        if name in clean:
            seen.add(name)
            failed = [c for c, v in by_id.items() if v["passed"] is False
                      and not cv.is_policy(c)]
            assert not failed, (name, failed)
    assert seen == clean


def test_side_cars_prose_is_what_the_probe_gives(side_checks):
    """docs/crash.md "Per-car side crush from the IIHS minicar tests" quotes ``python
    benchmarks/crash_probes.py side_cars`` (~30 s alone; here on this module's
    evaluations, no extra run): the tests with a published curb, their residual crush,
    the force they imply and its W20 sensitivity (s18h3: the figures had no test). The
    same paragraph's mechanism errors and fitted fixity need the ten designs imported
    again (``crash_probes.car_parts``, ~12 s): not held here."""
    import numpy as np
    from conftest import ROOT

    pub = [c for c in side_checks if c["curb_published"]]
    crush = [c["residual_crush_mm"] for c in pub]
    imp = [c["implied_force_kn"] for c in pub]

    def w20(mm: float) -> tuple[list[float], list[float]]:
        dc = 340.0 - mm                     # the import's W20 is 340 mm
        return ([x + dc for x in crush],
                [1e3 * c["energy_kj"] / (c["residual_crush_mm"] + dc) for c in pub])

    (c310, f310), (c370, f370) = w20(310.0), w20(370.0)
    quoted = [f"{len(pub)} tests of {len({c['car'] for c in pub})} generations with a "
              "published curb mass",
              f"C_res {min(crush):.0f}–{max(crush):.0f} mm",
              f"W20 = 310 / 370 mm moves them to {min(c310):.0f}–{max(c310):.0f} / "
              f"{min(c370):.0f}–{max(c370):.0f} mm",
              f"F_imp {min(imp):.0f}–{max(imp):.0f} kN (median {np.median(imp):.0f}; "
              f"{min(f310):.0f}–{max(f310):.0f} / {min(f370):.0f}–{max(f370):.0f} kN at W20"]
    text = " ".join((ROOT / "docs" / "crash.md").read_text(encoding="utf-8").split())
    for q in quoted:
        assert q in text, q


def test_class_average_criterion_names_no_worst_car():
    """The pole test's SID-IIs HIC36 is the side fit's class average, the same margin on
    every car: the table named an arbitrary 'worst' car (+775, HONDA FIT GE, review s29d);
    it now says so. A criterion the cars differ on still names its worst car."""
    cars = [cv.CarVerdict(name, margins={
        "fmvss:fmvss214.pole.sid2s.hic36": (774.9, "unitless"),
        "fmvss:fmvss208.hic15": (margin, "unitless")})
        for name, margin in (("CAR A", 300.0), ("CAR B", 120.0))]
    rows = {r.split(" | ")[0].lstrip("| "): r for r in cv.criteria_rows(cars, {})[2:]}
    assert rows["fmvss:fmvss214.pole.sid2s.hic36"].endswith(
        "| +775 unitless (class average, same for every car) |")
    assert rows["fmvss:fmvss208.hic15"].endswith("| +120 unitless (CAR B) |")


def test_a_proxy_failure_is_no_federal_failure():
    """A certified car failing only a model proxy (a ``derived`` row of the ``fmvss``
    pack: ``fmvss208.ride_down_space``) fails no federal criterion and is listed as a
    proxy failure, in its verdict and in the Known outcomes block (task s34f: the split of
    :func:`keidesign.classification.report.fmvss_failures`). On 0b3bba1 the verdict had no
    proxy list and counted the ride-down space among the federal criteria failed."""
    from types import SimpleNamespace

    from keidesign.evaluation import resolve_packs

    rows = [("fmvss:fmvss208.ride_down_space", False, -12.0, "mm", False),
            ("fmvss:fmvss208.chest_accel_3ms", True, 50.0, "m/s**2", False),
            ("fmvss:compat.us.share_above", False, -0.1, "", True)]
    ev = SimpleNamespace(packs=resolve_packs(["fmvss"]), constraints=[
        {"id": i, "passed": p, "margin": m, "units": u, "policy": pol}
        for i, p, m, u, pol in rows])
    v = cv.judge(cv.CarVerdict("proxy-only car"), ev)
    assert v.failed == []
    assert v.proxies_failed == ["fmvss:fmvss208.ride_down_space"]
    assert v.policy_failed == ["fmvss:compat.us.share_above"]
    assert set(v.margins) == {r[0] for r in rows}
    ok = cv.judge(cv.CarVerdict("passing car"), SimpleNamespace(
        packs=ev.packs, constraints=[{**c, "passed": True} for c in ev.constraints]))
    text = "\n".join(cv.verdict_lines([v, ok], 0))
    assert "0 fail at least one federal criterion" in text
    assert "1 fail a model proxy (not a federal criterion" in text
    assert "Cars failing a model proxy: proxy-only car (fmvss208.ride_down_space -12 mm" in text
    assert "Cars failing a federal criterion" not in text
    assert "| fmvss:fmvss208.ride_down_space | model proxy | 1 of 2 |" in text
