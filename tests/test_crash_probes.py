"""The command line of benchmarks/crash_probes.py: a bad --force is one line and exit 2,
before any car is evaluated (the probes themselves run for minutes: docs/crash.md)."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def probes():
    if str(ROOT / "benchmarks") not in sys.path:  # the scripts import their helpers
        sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location("crash_probes",
                                                  ROOT / "benchmarks" / "crash_probes.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("argv", [["side_force", "--force"], ["--force", "abc"],
                                  ["overhang", "--force", "202"]])
def test_bad_force_option_is_one_line(probes, capsys, argv):
    assert probes.main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "--force" in err and "\n" not in err


def test_non_positive_force_names_field_value_and_range(probes):
    with pytest.raises(SystemExit, match=r"--force: -5 kN; allowed: a side force > 0 kN"):
        probes.side_force(-5.0)


def test_unknown_probe_is_refused(probes, capsys):
    assert probes.main(["side_forces"]) == 2
    assert "unknown probe 'side_forces'" in capsys.readouterr().err


def test_side_mechanisms_from_the_members(probes):
    """side_mechanism: the parallel sum of the default parts (the B-pillar's ends at the
    sill's and roof rail's torque) is the side model's force, below the built-in sum of
    before (the last mechanism);
    the sill-held mechanism bends the door beams and B-pillar while the cross-members
    hold half of it (the sill's intrusion 0), else the side turns about the roof rail at
    twice the cross-members' force (the sill at twice the crush)."""
    from keidesign import variables
    from keidesign.crash import side, validation

    g = {k: variables.get(k).default for k in (*side.STRUCTURE_KEYS, *side.MATERIAL_KEYS,
                                                "crash:side:n_door_beams",
                                                "crash:side:n_cross_members")}
    g["body:height"] = validation.SIDE_BODY_HEIGHT_MM
    p = probes.mdb_parts(g)
    mech = list(probes.MECHANISMS.values())
    assert mech[0](p) == pytest.approx((validation.side_force_kn(), 1.0), rel=1e-9)
    assert mech[5](p) == pytest.approx(
        (p["door_beams"] + p["pillar_mp"] + p["cross_members"], 1.0))
    assert 0.5 * p["pillar_mp"] < p["pillar_torque"] < p["pillar_mp"]
    assert p["pillar_mh"] < p["pillar_mp"]
    held = mech[2](p)
    assert held == pytest.approx((p["door_beams"] + p["pillar_mp"], 0.0))
    weak = {**p, "cross_members": 0.25 * held[0]}
    assert mech[2](weak) == pytest.approx((0.5 * held[0], 2.0))
    pinned = mech[4](p)  # the B-pillar's ends pinned: half its built-in 8 M_p / L_B
    assert pinned == pytest.approx((p["door_beams"] + 0.5 * p["pillar_mp"], 0.0))
    assert pinned[0] < mech[3](p)[0] < held[0]


def test_fixity_fit_scales_with_the_energy_share(probes):
    """side_corrections: the B-pillar fixity k that makes phi E / F equal the residual
    crush; one car of door beams 20 kN and pillar 200 kN (built in, k = 8) needs
    F = phi x 60 kJ / 0.4 m = 150 phi kN, so k = (150 phi - 20) x 8 / 200: the energy
    share phi and the fixity are not separable from the crush alone."""
    parts = {"A": {"door_beams": 20.0, "pillar_mp": 200.0}}
    tests = [{"car": "A", "energy_kj": 60.0, "residual_crush_mm": 400.0}]
    for phi in (1.0, 0.8):
        assert probes.fixity_k(tests, parts, phi) == pytest.approx(
            (150.0 * phi - 20.0) * 8.0 / 200.0, rel=1e-9)
    k, ins, loo = probes.fixity_errors(tests + [{**tests[0], "car": "B"}],
                                       {**parts, "B": parts["A"]}, 0.8)
    assert k == pytest.approx(4.0, rel=1e-9)
    assert max(abs(e) for e in ins + loo) < 1e-9
    assert probes.fixity_k(tests, parts, 0.1) != probes.fixity_k(tests, parts, 0.1)  # NaN


@pytest.mark.parametrize("phi", [0.0, 1.2, -0.5])
def test_energy_share_outside_its_range_is_refused(probes, phi):
    with pytest.raises(SystemExit, match=rf"phi: {phi:g}; allowed: 0 < phi <= 1"):
        probes.fixity_k([], {}, phi)


def test_budget_terms_decompose_the_crush_space(probes):
    """iq_budget's terms: C_av = L - L_block - (0.3 d_bumper + 40 mm) + tolerated
    intrusion for a front engine (keidesign.crash.structure), the gap g_e = C_av - c_e -
    tolerated, and the margin is C_av less the crush past the stack."""
    from keidesign.crash.structure import BUMPER_STROKE_EFF, PACK_MM
    from keidesign.design import load_design

    d = load_design(ROOT / "studies" / "designs" / "mirage_class.toml")
    t = probes.budget_terms(d)
    resid = (1.0 - BUMPER_STROKE_EFF) * d["crash:front:bumper_depth"] + PACK_MM
    assert t["block"] == d["powertrain:block_length"] > 0.0
    assert t["available"] == pytest.approx(t["length"] - t["block"] - resid + t["tolerated"])
    assert t["gap"] == pytest.approx(t["available"] - t["clearance"] - t["tolerated"])
    assert t["margin"] == pytest.approx(t["available"] - t["past"], abs=1e-6)
    assert t["crush"] >= t["past"] > 0.0


def test_fmvss_built_in_swaps_only_the_pillar(probes):
    """The side_barriers probe's before (the model until 4 Dec 2026): under the FMVSS 214
    face the door beams and cross-members as modelled, the B-pillar built in (8 M_p /
    L_B) instead of its torque-limited ends; the model's force is below it, above the
    IIHS face's, and its pillar lies between the pinned (half the built-in) and the
    built-in pillar."""
    from keidesign.crash import side
    from keidesign.design import load_design
    from keidesign.materials import material
    from keidesign.validation import crash as cv

    design = load_design(ROOT / "studies" / "designs" / "mirage_class.toml")
    st = probes._design_structure(design)
    f = probes._fmvss_built_in(st)
    on = cv.design_side_force_kn(design, side.FMVSS_MDB)
    assert f["fmvss"] == on["force"] and on["engages_sill"]
    built = side.member_forces(st["g"], material(st["grades"][0]),
                               side.FMVSS_MDB.lateral_speed)[1] * 1e-3
    assert f["built_in"] == pytest.approx(on["door_beams"] + built + on["cross_members"],
                                          rel=1e-12)
    iihs = cv.design_side_force_kn(design, probes.val.iihs_barrier())
    assert iihs["force"] < f["fmvss"] < f["built_in"]
    assert 0.5 * built < on["b_pillar"] < built


def test_crush_terms_counts_the_tests_that_fit(probes, capsys):
    """crush_terms' arithmetic: a test fits raw when its crush <= C_av and like for like
    when its crush less the model's stack compression does, C_av moving one for one
    with the tolerated intrusion; the table gives the implied intrusion
    i_t = test - g_e - p - c_e and the term short."""
    base = {"length": 900.0, "gap": 300.0, "clearance": 80.0, "tolerated": 50.0,
            "available": 430.0, "crush": 480.0, "past": 420.0, "dash": 40.0}
    terms = [dict(base, name="fits", test=470.0),      # past 410 <= 430, raw 470 > 430
             dict(base, name="over", test=530.0)]      # past 470 > 430 by 40
    assert probes._fits(terms, 50.0) == (0, 1, [40.0])
    assert probes._fits(terms, 100.0) == (1, 2, [])  # raw 530 > 480 still
    probes._terms_table(terms, static=False, tol=50.0)
    rows = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("| over")]
    # i_t = 530 - 300 - 60 - 80 = 90; over by 40 mm
    assert rows == ["| over | 900 | 300 | 80 | 50 | 430 | 480 / 420 / 40 | 530 | +100 | +40 "
                    "| 90 | delta by 40 mm (or the stack-up) |"]


def test_rear_margin_scales_the_zone_forces(probes):
    """``rear_level``'s margin (staircase) is the rear impact's own at scale 1, grows with the rear
    force level and falls with one rail engaged (a made-up car: 1,100 kg, 900 mm room)."""
    from keidesign.crash.rear import rear_impact

    o = {"crash:front:test_mass": 1100.0, "crash:front:bumper_force": 60.0,
         "crash:front:bumper_stroke": 70.0, "crash:front:crash_box_force": 120.0,
         "crash:front:crash_box_stroke": 88.0, "crash:rear:force": 200.0}
    row = {"o": o, "room": 900.0}
    crush = float(rear_impact(1100.0, 60.0, 70.0, 120.0, 88.0, 200.0, 0.0,
                              law="staircase")["crush"])
    assert probes._rear_margin(row, 1.0) == pytest.approx(900.0 - crush)
    assert probes._rear_margin(row, 1.2) > probes._rear_margin(row, 1.0)
    half = float(rear_impact(1100.0, 60.0, 70.0, 120.0, 88.0, 100.0, 0.0,
                             law="staircase")["crush"])
    assert probes._rear_margin(row, 1.0, 0.5) == pytest.approx(900.0 - half)


#: pulse inputs (registered units) of two imported fronts as evaluated on 4 Dec 2026:
#: the rear-motored i-MiEV (gap 699 mm beyond its 617 mm of zones) and the Scion iQ
#: (gap 172 mm)
_FRONTS = {
    "i-MiEV": {"crash:front:test_mass": 1326.0, "crash:front:stack_mass": 87.3838,
               "crash:front:bumper_force": 74.713, "crash:front:crash_box_force": 149.425,
               "crash:front:rail_force": 224.912, "crash:front:bumper_stroke": 70.0,
               "crash:front:crash_box_stroke": 87.6, "crash:front:rail_stroke": 459.17,
               "crash:front:engine_gap": 699.0, "crash:front:engine_clearance": 80.0,
               "crash:restraint:slack": 0.0, "crash:restraint:stiffness": 305.0,
               "crash:restraint:load_limit": 42.7, "crash:restraint:ride_down_space": 300.0},
    "iQ": {"crash:front:test_mass": 1161.0, "crash:front:stack_mass": 153.315,
           "crash:front:bumper_force": 65.081, "crash:front:crash_box_force": 130.163,
           "crash:front:rail_force": 197.696, "crash:front:bumper_stroke": 70.0,
           "crash:front:crash_box_stroke": 87.6, "crash:front:rail_stroke": 402.96,
           "crash:front:engine_gap": 172.0, "crash:front:engine_clearance": 80.0,
           "crash:restraint:slack": 0.0, "crash:restraint:stiffness": 332.5,
           "crash:restraint:load_limit": 46.55, "crash:restraint:ride_down_space": 300.0}}


def test_peak_trace_names_what_makes_the_peak(probes):
    """``pulse_band``'s peak trace rebuilds the body force from the kernel's element laws
    (it raises if that misses the kernel's deceleration): the i-MiEV's peak is the
    compaction past its zones (the crush ends 39 mm beyond them), the iQ's the stack's
    path (dash and mounts); moving the compaction to the gap changes only the front whose
    gap is beyond its zones."""
    import numpy as np

    from keidesign.crash import pulse

    p = probes._lanes([_FRONTS["i-MiEV"], _FRONTS["iQ"]])
    imiev, iq = probes.peak_trace(p)
    assert imiev["maker"] == "compaction" and iq["maker"] == "stack path"
    assert imiev["peak_g"] == pytest.approx(98.6, abs=0.5)
    assert imiev["crush_mm"] > imiev["zones_mm"] and imiev["stack_barrier_kn"] < 5.0
    assert iq["dash_kn"] > iq["line_kn"]
    r = pulse.simulate_cases(p)
    assert [imiev["peak_g"], iq["peak_g"]] == pytest.approx(
        list(np.real(r["peak"]) / 9.80665), rel=1e-3)  # the kernel's window edges differ
    moved = probes._line_to_gap(p)
    assert moved["s3"][0] == pytest.approx(p["gap"][0] - p["s1"][0] - p["s2"][0])
    assert moved["s3"][1] == p["s3"][1]


@pytest.mark.parametrize("kc", [2.5e6, 4e7])
def test_compaction_moves_only_the_front_past_its_zones(probes, kc, monkeypatch):
    """``compaction``: the compaction stiffness changes the i-MiEV's peak (its crush ends
    past its zones: softer, lower; stiffer, higher) and leaves the iQ's (crush short of
    its zones, the peak its stack's path) to the round-off."""
    import numpy as np

    from keidesign.crash import pulse

    p = probes._lanes([_FRONTS["i-MiEV"], _FRONTS["iQ"]])
    base = np.real(pulse.simulate_cases(p)["peak"])
    monkeypatch.setattr(pulse, "K_COMPACT", kc)
    peak = np.real(pulse.simulate_cases(p)["peak"])
    assert (peak[0] - base[0]) * (kc - 2e7) > 0.0
    assert abs(peak[0] - base[0]) > 10.0 * 9.80665
    assert peak[1] == pytest.approx(base[1], rel=1e-6)


def test_peak_trace_follows_the_compartment_limit(probes):
    """``compartment``: with a compartment strength of 70 g per kg of body mass the peak
    trace still rebuilds the kernel's body deceleration (it raises otherwise); the
    i-MiEV's compaction and the iQ's stack path are held at the strength, so the structure
    and dash together stay within F_c and the two peaks come down to about 70 g (the
    mounts and restraint beside them)."""
    p = probes._lanes([_FRONTS["i-MiEV"], _FRONTS["iQ"]])
    with probes._with_compartment(70.0):
        traces = probes.peak_trace(p)
    for t in traces:
        f_c = 70.0 * 9.80665 * t["m_body"] * 1e-3
        assert t["line_kn"] + t["compaction_kn"] + t["dash_kn"] <= f_c * (1.0 + 1e-9)
        assert 60.0 < t["peak_g"] < 75.0


def test_energy_shares_close_the_kernel_energy_balance(probes):
    """``stack_sources``: the elements' net work shares plus the kinetic energy left are the
    initial kinetic energy, their sum is the kernel's own work metric, and the stack's
    path takes a far larger share of the short-fronted iQ (gap 172 mm, its peak made by
    the dash) than of the rear-motored i-MiEV (gap 699 mm: its stack meets the barrier
    and the dash only late)."""
    import numpy as np

    from keidesign.crash import pulse

    p = probes._lanes([_FRONTS["i-MiEV"], _FRONTS["iQ"]])
    e = probes.energy_shares(p)
    parts = ("structure", "stack_contact", "mounts", "dash", "restraint")
    assert sum(e[k] for k in parts) + e["rebound"] == pytest.approx(np.ones(2), abs=1e-12)
    r = pulse.simulate_cases(p)
    ke0 = 0.5 * np.asarray(p["m_test"]) * (56.0 / 3.6) ** 2
    assert sum(e[k] for k in parts) == pytest.approx(np.real(r["work"]) / ke0, rel=1e-9)
    assert e["stack_path"] == pytest.approx(e["stack_contact"] + e["mounts"] + e["dash"])
    assert e["stack_path"][1] > 5.0 * e["stack_path"][0] and e["dash"][1] > e["dash"][0]


def test_stack_travel_is_the_kernels(probes):
    """``static_stack``: the crush and dash intrusion read from the histories are the
    kernel's own metrics (the crush to within its interpolation between time steps), the
    stack's travel into the body never falls short of its clearance plus the dash
    intrusion when the dash is reached, and the short-fronted iQ (its stack into the
    dash) drives its stack further into the body than the i-MiEV."""
    import numpy as np

    from keidesign.crash import pulse

    p = probes._lanes([_FRONTS["i-MiEV"], _FRONTS["iQ"]])
    m = probes._stack_travel(p)
    r = pulse.simulate_cases(p)
    assert m["crush"] == pytest.approx(np.real(r["c_max"]) * 1e3, rel=1e-5)
    assert m["dash"] == pytest.approx(np.real(r["dash_intrusion"]) * 1e3, abs=1e-9)
    clearance = np.asarray(p["clearance"]) * 1e3
    reached = m["dash"] > 1.0
    # the dash intrusion is the kernel's peak over continuous time (task s32a), up to
    # |a| dt^2 / 8 above the largest sample of x_b - x_e the probe reads (1.7 um here)
    assert np.all(m["into_body"][reached] >= clearance[reached] + m["dash"][reached] - 1e-2)
    assert m["into_body"][1] > m["into_body"][0] and reached[1]


def test_smart_ed_diagnosis(probes, monkeypatch):
    """``smart_ed`` (docs/crash.md, "The smart W453 ED against the 451 ED's own test"),
    the diagnosis under the force per kg (the import before the engine-less sizing of
    6 Dec 2026, its flag off): a curb put in the row reaches the FMVSS 208 test mass
    (curb + two 78 kg dummies + the payload less 68 kg a seat); the ED's predicted curb is
    within 1 % of the one published (EU) curb; the W451 at the 451 ED's NCAP curb crushes
    within the +/-15 % bound of test 8314 but peaks more than twice the test's, made by
    the compaction past its zones."""
    from keidesign.specs import build
    from keidesign.validation.crash import CRUSH_BOUND

    monkeypatch.setattr(build, "ENGINELESS_ENERGY_SIZING", False)

    t = probes.SMART_ED_NCAP
    assert (t["test"], t["curb_kg"]) == (8314, 963.0)
    ed = probes.smart_import("W453 ED")
    assert ed["curb"] == pytest.approx(probes.SMART_ED_EU_CURB_KG, rel=0.01)
    w451 = probes.smart_import("W451", t["curb_kg"])
    assert w451["curb"] == pytest.approx(t["curb_kg"])
    assert w451["test_mass"] == pytest.approx(t["curb_kg"] + 2 * 78.0 + w451["payload"] - 2 * 68.0)
    assert abs(w451["crush"] / t["crush_mm"] - 1.0) < CRUSH_BOUND
    assert w451["peak_g"] > 2.0 * t["peak_g"]
    trace = probes.peak_trace(probes._lanes([w451["inputs"]]))[0]
    assert trace["maker"] == "compaction" and trace["crush_mm"] > trace["zones_mm"]


def test_restraint_verdict_splits_proxies_as_evaluate_does(probes):
    """``new_design_restraint`` names the failed rows the way ``keidesign evaluate`` and
    ``classify`` do: the ``fmvss`` pack's ``derived`` rows (crush, ride-down and
    intrusion spaces) as model proxies, never among the FMVSS criteria failed. On
    794f075 the probe listed ``fmvss208.ride_down_space`` (and a design's
    ``fmvss301.rear_crush_space``) under "federal criteria failed" (task s34e)."""
    import re

    from keidesign.evaluation import resolve_packs

    proxies = {c.full_id.split(":", 1)[1] for p in resolve_packs(["fmvss"])
               for c in p.constraints if c.status == "derived"}
    assert {"fmvss208.ride_down_space", "fmvss301.rear_crush_space"} <= proxies
    reg_line, rule_line = probes.new_design_restraint_lines(probes.NEW_DESIGN)
    for line in (reg_line, rule_line):
        m = re.search(r"FMVSS criteria failed: (.*); model proxies failed \(not FMVSS "
                      r"criteria\): (.*)$", line)
        assert m, line
        criteria, failed_proxies = ({x for x in g.split(", ") if x != "none"}
                                    for g in m.groups())
        assert not criteria & proxies, line
        assert failed_proxies <= proxies, line
    # the from-scratch hatch with the registry restraint rides down too far (docs/crash.md)
    assert "fmvss208.ride_down_space" in reg_line.rsplit("model proxies failed", 1)[1]
