"""Frontal dummies and NCAP frontal stars (keidesign.crash.occupant, issue 14 D3)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import DESIGNS, component_problem
from openmdao.utils.assert_utils import assert_check_partials

from keidesign import batch
from keidesign.crash import _pulse_kernel as kernel
from keidesign.crash import occupant as occ
from keidesign.crash import side_occupant as sideocc
from keidesign.crash.occupant import OccupantComp
from keidesign.crash.side_occupant import SideOccupantComp
from keidesign.design import load_design
from keidesign.evaluation import evaluate_design, resolve_packs
from keidesign.validation import ncap

G = 9.80665


def _square(level_g: float, width_s: float, dt: float = 1e-4, t_end: float = 0.1):
    """Velocity history of a square deceleration pulse starting at 10 ms."""
    t = np.arange(int(round(t_end / dt)) + 1) * dt
    a = np.where((t > 0.01 + 1e-9) & (t <= 0.01 + width_s + 1e-9), level_g * G, 0.0)
    return 15.0 - np.concatenate([[0.0], np.cumsum(a[1:] * dt)])


def test_hic_of_square_pulses_by_hand():
    """HIC15 of a long 40 g plateau: 0.015 x 40^2.5 = 151.8; of a 10 ms 80 g pulse: the
    window that holds the pulse only, 0.010 x 80^2.5 = 572.4 (a 15 ms window that
    dilutes it gives 311)."""
    assert kernel.hic(_square(40.0, 0.05), 1e-4, 0.015) == pytest.approx(0.015 * 40**2.5,
                                                                         rel=1e-9)
    assert kernel.hic(_square(80.0, 0.01), 1e-4, 0.015) == pytest.approx(0.010 * 80**2.5,
                                                                         rel=1e-9)
    assert kernel.hic(np.full(200, 15.0), 1e-4, 0.015) == 0.0


def test_hic_complex_step_is_its_derivative():
    """The complex step through hic() equals a central difference of its value."""
    v = _square(40.0, 0.03) - np.linspace(0.0, 1.0, 1001) ** 2  # a non-flat pulse
    h = 1e-30
    scale = np.linspace(0.5, 1.5, v.size)  # perturbation direction
    d_cs = kernel.hic(v + 1j * h * scale, 1e-4, 0.015).imag / h
    e = 1e-6
    d_fd = (kernel.hic(v + e * scale, 1e-4, 0.015) - kernel.hic(v - e * scale, 1e-4, 0.015)) / (
        2 * e)
    assert d_cs == pytest.approx(d_fd, rel=1e-5)


def test_star_bands_at_their_edges():
    rr = np.array([0.0, 0.6699, 0.67, 0.9999, 1.0, 1.3299, 1.33, 2.6699, 2.67, 9.0])
    assert occ.stars(rr).tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]


def test_risk_curves_reproduce_every_published_frontal_rating():
    """NHTSA's measured dummy values of the 18 cars, put through the risk curves,
    combination and bands of keidesign.crash.occupant, give the 54 published frontal
    ratings (driver, passenger, vehicle) exactly: the curves are implemented as NHTSA
    uses them (no model involved)."""
    rows = ncap._rows()
    assert len(rows) >= 18
    for row in rows:
        m = ncap._measured(row)
        p = {d: float(occ.seat_risk(d, m[d]["head"], m[d]["deflection"], m[d]["nij"],
                                    m[d]["femur"])) for d in occ.DUMMIES}
        got = [occ.stars(np.array([p["m50"] / 0.15]))[0],
               occ.stars(np.array([p["f05"] / 0.15]))[0],
               occ.stars(np.array([0.5 * (p["m50"] + p["f05"]) / 0.15]))[0]]
        want = [int(row["frontal_driver_stars"]), int(row["frontal_passenger_stars"]),
                int(row["frontal_stars"])]
        assert got == want, (row["vehicle"], got, want)


@pytest.fixture(scope="module")
def rated():
    return ncap.cars()


def test_stored_constants_are_the_fit(rated):
    """data/crash/occupant_fit.toml holds the fit of the current model on the rated cars
    (refit with: python benchmarks/ncap.py --write)."""
    assert sum(1 for c in rated if not c.skipped) >= 15
    stored = occ.load_fit()
    for d, ks in ncap.fit(rated).items():
        for c, k in ks.items():
            assert stored[d][c] == pytest.approx(k, rel=1e-6), (
                f"{d}.{c}: refit with python benchmarks/ncap.py --write")


def test_stars_within_one_for_80_percent_held_out(rated):
    """Issue 14's target: predicted NCAP frontal stars within one star of the published
    rating for >= 80 % of >= 10 cars; here every seat and vehicle rating, each car
    predicted with constants fitted without its family."""
    tab = [r for r in ncap.star_table(rated) if not r["skipped"]]
    assert len(tab) >= 10
    seats = ("driver", "passenger", "vehicle")
    within = [abs(r["model"][s] - r["published"][s]) <= 1 for r in tab for s in seats]
    assert sum(within) / len(within) >= 0.8
    assert all(r["from_measured"] == r["published"] for r in tab)


VALS = {"crash:front:chest_accel_3ms": 420.0, "crash:front:occupant_hic15": 180.0}


def test_partials():
    prob = component_problem(OccupantComp(), VALS)
    assert_check_partials(prob.check_partials(method="fd", out_stream=None, step=1e-4),
                          atol=1e-5, rtol=1e-4)


def test_batched_equals_scalar():
    n = 3
    cases = {k: v * np.array([0.8, 1.0, 1.3]) for k, v in VALS.items()}
    big = component_problem(OccupantComp(n_cases=n), cases)
    assert batch.n_cases(big.model.c) == n
    for i in range(n):
        one = component_problem(OccupantComp(), {k: v[i] for k, v in cases.items()})
        for out in occ.OUTPUTS:
            assert big.get_val(out)[i] == pytest.approx(one.get_val(out)[0], rel=1e-14)


def test_a_harder_restraint_costs_stars():
    """Consistency: every dummy criterion and the frontal risk grow with the occupant's
    deceleration, and the stars never improve."""
    lo = component_problem(OccupantComp(), VALS)
    hi = component_problem(OccupantComp(), {k: 1.3 * v for k, v in VALS.items()})
    for out in occ.OUTPUTS:
        if out != "crash:ncap:frontal:stars":
            assert hi.get_val(out)[0] >= lo.get_val(out)[0], out
    assert hi.get_val("crash:ncap:frontal:stars")[0] <= lo.get_val("crash:ncap:frontal:stars")[0]


def _us_kei_verdicts() -> tuple[dict, dict]:
    d = load_design(DESIGNS / "nbox_class_us.toml")
    ev = evaluate_design(d, resolve_packs(["fmvss", "us-ncap"]))
    return {c["id"]: c for c in ev.constraints}, ev.outputs


def test_fmvss208_dummy_criteria_are_judged():
    """The ten FMVSS 208 dummy criteria (50th male and 5th female) are computed (no
    longer not-modelled) and the US-variant kei passes them (the 5th female's HIC15:
    next test); the NCAP pack rates it."""
    recs, outputs = _us_kei_verdicts()
    for cid in ("hic15", "chest_deflection", "femur_force", "nij", "f05.hic15",
                "f05.chest_accel_3ms", "f05.chest_deflection", "f05.femur_force", "f05.nij"):
        assert recs[f"fmvss:fmvss208.{cid}"]["passed"] is not None, cid
        if cid != "f05.hic15":
            assert recs[f"fmvss:fmvss208.{cid}"]["passed"] is True, cid
    assert recs["us-ncap:ncap.frontal.four_stars"]["passed"] in (True, False)
    assert 1 <= outputs["crash:ncap:frontal:stars"][0] <= 5


def test_us_kei_passes_the_5th_female_hic15():
    """Passes since Campbell's force-crush law is the default (4 Dec 2026: HIC15 598
    against 700; the dummy constants refitted under it, head ratio 1.32 -> 1.20); under
    the staircase it failed by 53 (docs/crash.md, Reference designs)."""
    recs, _ = _us_kei_verdicts()
    assert recs["fmvss:fmvss208.f05.hic15"]["passed"] is True


# ---------------------------------------------------------------- side dummies, NCAP side


def test_side_risk_curves_reproduce_every_published_side_rating():
    """NHTSA's measured side values of the 18 cars give their published side stars
    through keidesign.crash.side_occupant's curves, weights and bands (no model)."""
    for row in ncap._rows():
        m = ncap._side_measured(row)
        rear = m["sid2s_hic36"] == m["sid2s_hic36"]
        meas = {k: (v if v == v else 1.0) for k, v in m.items()}
        rr = sideocc.side_risks(meas, rear)["side"]
        assert occ.stars(np.array([rr]))[0] == int(row["side_stars"]), row["vehicle"]


def test_stored_side_constants_are_the_fit(rated):
    stored = occ.load_fit()["side"]
    for c, k in ncap.fit_side(rated).items():
        assert stored[c] == pytest.approx(k, rel=1e-6), (
            f"side.{c}: refit with python benchmarks/ncap.py --write")


def test_side_stars_within_one_for_80_percent_held_out(rated):
    tab = [r for r in ncap.side_table(rated) if not r["skipped"]]
    assert len(tab) >= 10
    within = [abs(r["model"] - r["published"]) <= 1 for r in tab]
    assert sum(within) / len(within) >= 0.8
    assert all(r["from_measured"] == r["published"] for r in tab)


SIDE_VALS = {"crash:side:mdb:delta_v": 27.0}


def test_side_partials_and_batch():
    prob = component_problem(SideOccupantComp(), SIDE_VALS)
    assert_check_partials(prob.check_partials(method="fd", out_stream=None, step=1e-4),
                          atol=1e-5, rtol=1e-4)
    dv = np.array([22.0, 27.0, 31.0])
    big = component_problem(SideOccupantComp(n_cases=3), {"crash:side:mdb:delta_v": dv})
    for i in range(3):
        one = component_problem(SideOccupantComp(), {"crash:side:mdb:delta_v": dv[i]})
        for out in sideocc.OUTPUTS:
            assert big.get_val(out)[i] == pytest.approx(one.get_val(out)[0], rel=1e-14)


def test_side_laws_by_hand_and_a_lighter_car_scores_worse():
    """HIC36 grows as dv^2.5, forces and deflection as dv; the pole criteria do not
    depend on the design; a higher delta-V (a lighter car) never earns more stars."""
    k = occ.load_fit()["side"]
    r = sideocc.side_responses(30.0, k)
    assert r["es2re_hic36"] == pytest.approx(k["es2re_hic36"] * 30.0**2.5)
    assert r["es2re_rib"] == pytest.approx(k["es2re_rib"] * 30.0)
    assert r["pole_hic36"] == pytest.approx(k["pole_hic36"])
    lo = component_problem(SideOccupantComp(), {"crash:side:mdb:delta_v": 24.0})
    hi = component_problem(SideOccupantComp(), {"crash:side:mdb:delta_v": 32.0})
    assert (hi.get_val("crash:ncap:side:relative_risk")[0]
            > lo.get_val("crash:ncap:side:relative_risk")[0])
    assert hi.get_val("crash:ncap:side:stars")[0] <= lo.get_val("crash:ncap:side:stars")[0]


def test_fmvss214_dummy_criteria_are_judged():
    d = load_design(DESIGNS / "nbox_class_us.toml")
    ev = evaluate_design(d, resolve_packs(["fmvss", "us-ncap"]))
    recs = {c["id"]: c for c in ev.constraints}
    for cid in ("mdb.es2re.hic36", "mdb.es2re.rib_deflection", "mdb.es2re.abdominal_force",
                "mdb.es2re.pubic_force", "mdb.sid2s.hic36", "mdb.sid2s.pelvis_force",
                "pole.sid2s.hic36"):
        assert recs[f"fmvss:fmvss214.{cid}"]["passed"] is True, cid
    assert recs["fmvss:fmvss214.pole.es2re.rib_deflection"]["status"] == "not-modelled"
    assert "us-ncap:ncap.side.four_stars" in recs


def test_a_class_average_pole_verdict_says_so():
    """The pole test's SID-IIs HIC36 is the side fit's class average: 225.1 for every
    design (the 9 reference designs and two modified ones, 197-280 mm of pole crush, all
    gave 225.06), shown as a plain PASS with a 774.9 margin. Its record
    carries the class-average note and the table marks the verdict; the MDB records,
    which move with the design's delta-V, carry none."""
    from keidesign.crash.side_occupant import CLASS_AVERAGE, CLASS_AVERAGE_NOTE
    from keidesign.evaluation import format_table

    evs = [evaluate_design(load_design(DESIGNS / f"{s}.toml"), resolve_packs(["fmvss"]))
           for s in ("alto_class", "sakura_class_us")]
    recs = [{c["id"]: c for c in ev.constraints} for ev in evs]
    pole = [r["fmvss:fmvss214.pole.sid2s.hic36"] for r in recs]
    assert pole[0]["quantity"] in CLASS_AVERAGE
    assert pole[0]["value"] == pole[1]["value"]            # no design dependence
    assert evs[0].outputs["crash:side:mdb:delta_v"][0] != \
        evs[1].outputs["crash:side:mdb:delta_v"][0]
    for r, p in zip(recs, pole, strict=True):
        assert p["passed"] and p["note"] == CLASS_AVERAGE_NOTE
        assert r["fmvss:fmvss214.mdb.sid2s.hic36"]["note"] is None
        assert r["fmvss:fmvss214.pole.crush_space"]["note"] is None
    row = next(ln for ln in format_table(evs[0]).splitlines()
               if ln.startswith("fmvss:fmvss214.pole.sid2s.hic36"))
    assert "PASS (class average)" in row


def test_dummy_rows_past_the_ride_down_space_say_they_do_not_hold(tmp_path):
    """A restraint too soft for its pulse (the Alto class at 120 kN/m, 6 kN: the occupant
    travels about 2 m against the 300 mm space) read PASS on every FMVSS 208 dummy row
    (HIC15 about 3) with no word but the failed proxy fmvss208.ride_down_space, though
    the occupant model has no interior contact (new-user pass s45g). Each dummy record
    carries the note, the table lists it once with its ten ids; the design's own
    restraint (299 mm) gives none."""
    from keidesign.evaluation import FRONT_DUMMY, format_table

    text = (DESIGNS / "alto_class.toml").read_text()
    soft = tmp_path / "soft.toml"
    soft.write_text(text.replace("stiffness = 327.5", "stiffness = 120")
                    .replace("load_limit = 45.85", "load_limit = 6"))
    packs = resolve_packs(["fmvss"])
    evs = [evaluate_design(load_design(p), packs) for p in (DESIGNS / "alto_class.toml", soft)]
    own, weak = ({c["id"]: c for c in ev.constraints} for ev in evs)
    dummy = [cid for cid, c in weak.items() if c["quantity"] in FRONT_DUMMY]
    assert len(dummy) == 10
    assert own["fmvss:fmvss208.ride_down_space"]["passed"] is True
    assert all(own[cid]["note"] is None for cid in dummy)
    assert weak["fmvss:fmvss208.ride_down_space"]["passed"] is False
    exc = evs[1].outputs["crash:front:occupant_excursion"][0]
    assert exc > 1000.0
    for cid in dummy:
        assert weak[cid]["passed"] is True                   # the verdict is unchanged
        assert weak[cid]["note"].startswith(f"occupant excursion {exc:.0f} mm beyond the "
                                            "300 mm ride-down space"), weak[cid]["note"]
    lines = format_table(evs[1]).splitlines()
    first = next(i for i, ln in enumerate(lines) if ln.startswith("note: fmvss:fmvss208.hic15, "))
    block = " ".join(lines[first:first + 6])
    assert block.count("occupant excursion") == 1
    assert all(cid in block for cid in dummy)
    assert "note: fmvss:fmvss208.nij:" not in "\n".join(lines)
