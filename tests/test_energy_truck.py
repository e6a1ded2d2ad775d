"""Road load and WLTC test mass of the truck style (issue 16, "road load of an open bed").

The truck style's defaults (docs/energy.md section 8, "The kei truck's road load"): drag
coefficient 0.50 when a truck design gives none (keidesign/catalogue/road.py TRUCK_CD)
and the goods-vehicle WLTC test mass, curb + 100 kg + 28 % of the maximum load
(keidesign.energy.vehicle.wltc_test_mass); the passenger-car defaults are unchanged.
"""

from __future__ import annotations

import numpy as np
import openmdao.api as om
import pytest
from conftest import DESIGNS
from openmdao.utils.assert_utils import assert_check_partials

from geometry import ad
from keidesign.catalogue.mass import TEST_MASS_ADDER_KG
from keidesign.catalogue.road import TRUCK_CD
from keidesign.design import load_design, parse_design
from keidesign.energy import CycleComp
from keidesign.energy import calibration as cal
from keidesign.energy.vehicle import wltc_test_mass
from keidesign.errors import InputError
from keidesign.evaluation import evaluate_design, resolve_packs


def _outputs(stem: str, **changes):
    d = load_design(DESIGNS / f"{stem}.toml").replace(**changes)
    return d, evaluate_design(d, resolve_packs(d.rules)).outputs


def test_truck_cd_default_only_for_the_truck_style():
    assert TRUCK_CD == 0.50
    assert load_design(DESIGNS / "carry_class.toml")["road:cd"] == TRUCK_CD
    # a car still has to give its Cd (the validated passenger-car inputs are unchanged)
    text = (DESIGNS / "alto_class.toml").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.replace(" ", "").startswith("cd=")]
    with pytest.raises(InputError, match="road.cd"):
        parse_design("\n".join(lines))
    # a truck that gives its own Cd keeps it
    truck = (DESIGNS / "carry_class.toml").read_text(encoding="utf-8")
    assert parse_design(truck + "\n[road]\ncd = 0.42\n")["road:cd"] == 0.42


def test_wltc_test_mass_passenger_and_goods():
    m_test = 900.0
    curb = m_test - TEST_MASS_ADDER_KG
    # passenger car: 15 % of (4 x 55 - 100) kg
    assert wltc_test_mass(m_test) == pytest.approx(curb + 118.0)
    # kei truck: 2 x 55 kg + 350 kg load; max vehicle load 460 - 100 = 360 kg
    assert wltc_test_mass(m_test, 460.0) == pytest.approx(curb + 100.0 + 0.28 * 360.0)
    # exact derivatives through the one implementation
    m = wltc_test_mass(ad.D(np.array([[m_test]]), np.array([[[1.0, 0.0]]])),
                       ad.D(np.array([[460.0]]), np.array([[[0.0, 1.0]]])))
    np.testing.assert_allclose(np.asarray(m.g).ravel(), [1.0, 0.28])


def test_truck_road_load_vs_a_hatch_of_the_same_mass():
    """Same curb mass: the same rolling terms, more aero drag (Cd 0.50 x the cab-over
    section vs the hatch's Cd x area) and a 82.8 kg heavier WLTC test mass, so a
    lower WLTC figure for the truck."""
    curb = {"mass:curb_measured": 760.0}
    dt, truck = _outputs("carry_class", **curb)
    dh, hatch = _outputs("alto_class", **curb)
    for k in ("mass:test", "energy:road:f0", "energy:road:f1", "energy:road:m_eff"):
        assert truck[k][0] == pytest.approx(hatch[k][0], rel=1e-12), k
    f2_t, f2_h = truck["energy:road:f2"][0], hatch["energy:road:f2"][0]
    assert f2_t == pytest.approx(0.5 * 1.2 * TRUCK_CD * truck["body:frontal_area"][0])
    assert f2_t / f2_h == pytest.approx(
        TRUCK_CD * truck["body:frontal_area"][0]
        / (dh["road:cd"] * hatch["body:frontal_area"][0]))
    assert 1.6 < f2_t / f2_h < 2.2      # 0.50 x 2.37 m^2 vs 0.32 x 1.98 m^2
    assert (truck["energy:wltc_test_mass"][0] - hatch["energy:wltc_test_mass"][0]
            == pytest.approx(0.28 * (460.0 - 100.0) - 0.15 * (220.0 - 100.0)))
    assert truck["energy:wltc_km_per_l"][0] < hatch["energy:wltc_km_per_l"][0]


def test_cycle_partials_of_a_goods_vehicle():
    prob = om.Problem(reports=False)
    prob.model.add_subsystem("c", CycleComp(kind="ice", transmission="mt5",
                                            goods_vehicle=True), promotes=["*"])
    prob.setup(force_alloc_complex=True)
    for k, v in {"energy:road:m_eff": 940.0, "energy:road:f0": 71.0,
                 "energy:road:f1": 0.8, "energy:road:f2": 0.71, "mass:test": 911.0,
                 "mass:payload": 460.0, "powertrain:overall_ratio_low": 59.0,
                 "powertrain:overall_ratio_high": 13.5, "powertrain:ice:displacement": 658.0,
                 "powertrain:ice:power": 36.8, "powertrain:ice:torque": 62.8}.items():
        prob.set_val(k, v)
    prob.run_model()
    assert prob.get_val("energy:wltc_test_mass")[0] == pytest.approx(
        911.0 - TEST_MASS_ADDER_KG + 200.8)
    data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-6, rtol=2e-6)


def test_kei_truck_wltc_check():
    """The kei trucks at their published curb mass, drive, gearing, compression ratio,
    rated speed and idle stop against their published WLTC figures (nothing fitted to
    them): the Carry within 2.5 % of its figure, the Super Carry 0-7 % pessimistic, the
    Hijet 2-18 % optimistic in all three of its published drive / transmission cases (CVT
    4WD run as the Jumbo Extra its phase source names, at the MLIT list's heavier 4WD CVT
    group; CVT 2WD; 5MT 2WD), each run with the idle stop MLIT marks (docs/energy.md). The
    bounds hold the present state and fail on a drift either way; the drive, body, gearing
    and idle stop of each case reach the model. Since the ICE refit with the manual's
    EPA upshift schedule (5 Dec 2026; the WLTC keeps the shipped gear rule, only the
    refitted friction and efficiencies move these rows) the Hijet 2WD 5MT is +14.1 %
    (+11.9 % before), its CVTs +2.9 / +8.7 % (+3.6 / +9.1 %), the Carry +0.1 %, the
    Super Carry -3.3 %. Since the analytically derived EPA rows left the fit and
    ``road:crr_speed`` followed (5 Dec 2026; docs/validation.md "Data and method"): the
    Hijet +4.7 / +10.4 / +16.4 %, the Carry +2.2 %, the Super Carry -1.4 % (bounds were
    -7 to -3 % and 2-15 % before). The 2WD CVT at MLIT's 780-850 kg group (815 kg, 6 Dec
    2026; the derived 810 kg before): +10.4 -> +10.1 %. Since the 3-4 speed automatics'
    spin torque shipped (7 Dec 2026, task s35h: the shared refit's ``pme0`` 1.108 -> 1.092
    bar, ``alpha`` 0.794 -> 0.816; no row here is an automatic) the Carry +3.0 % (bound
    2.5 % before: a change judged by its own rule ships whatever this drift guard says,
    docs/validation.md "A 3-4 speed automatic's pump and drag torque"), the Super Carry
    -0.7 %, the Hijet +5.3 / +10.7 / +17.2 %."""
    rows = cal.kei_truck_wltc_check(DESIGNS)
    assert [r["design"] for r in rows] == 2 * ["carry_class"] + 3 * ["hijet_class"]
    assert [r["measured"] for r in rows] == [17.6, 17.5, 15.8, 16.5, 15.6]
    assert [(r["drive"], r["transmission"]) for r in rows] == [
        ("rwd", "mt5"), ("rwd", "mt5"), ("4wd", "cvt"), ("rwd", "cvt"), ("rwd", "mt5")]
    # the Carry family at MLIT's masses (the 2WD 5MT's 710-720 kg, the Super Carry's 780);
    # the Jumbo Extra at MLIT's 880-890 kg group; the 2WD CVT at MLIT's 780-850 kg group
    # (its midpoint; before 6 Dec 2026 derived: the 4WD Extra's 830 kg less 20 kg)
    assert [r["curb"] for r in rows[:4]] == [715.0, 780.0, 885.0, 815.0]
    err = np.array([r["error"] for r in rows])
    assert abs(err[0]) < 0.035    # the Carry: mass, gearing, WLTC published
    # the Super Carry (taller cab, same gearing) pessimistic: the model's WLTC falls 3.9 %
    # from the standard cab where MLIT's falls 0.6 %
    assert -0.07 < err[1] < 0.0
    assert np.all(err[2:] > 0.02) and np.all(err[2:] < 0.18)  # the Hijet optimistic
    # the Jumbo Extra's roof reaches the model: the same case with the standard cab
    std = cal.kei_truck_wltc_check(DESIGNS, **{"body:height": 1780.0})[2]
    assert std["error"] > rows[2]["error"] + 0.01
    # the published idle stop reaches the model: the Hijet without it is less optimistic
    off = cal.kei_truck_wltc_check(DESIGNS, **{"powertrain:ice:idle_stop": False})
    assert off[0]["error"] == pytest.approx(err[0])     # the Carry has none
    assert all(off[i]["error"] < err[i] - 0.01 for i in (2, 3, 4))
    # on reused models (``problems``, as ``kei_truck_wltc.py physics`` runs it): the five
    # cases set up at another road:crr and run again as shipped give the check exactly
    from keidesign.reuse import ProblemCache

    problems = ProblemCache(maxsize=len(cal.KEI_TRUCK_CASES))
    moved = cal.kei_truck_wltc_check(DESIGNS, problems, **{"road:crr": 0.011})
    assert all(m["error"] < r["error"] - 0.005 for m, r in zip(moved, rows, strict=True))
    assert cal.kei_truck_wltc_check(DESIGNS, problems) == rows
    assert (problems.misses, problems.hits, problems.fallbacks) == (5, 5, 0)


@pytest.mark.xfail(strict=True, reason="kei trucks 7.4 % over the 6 % target since the "
                   "analytically derived EPA rows left the ICE fit (5 Dec 2026; 7.0 -> "
                   "7.4 % with s35h's shared refit, 7 Dec 2026)")
def test_kei_truck_wltc_mean_error():
    """Issue 13's kei target, mean absolute error <= 6 %, on the kei trucks' published
    WLTC figures: missed again (7.0 %, an expected failure) since the analytically derived
    EPA rows left the ICE fit and ``road:crr_speed`` followed (5 Dec 2026: lower friction,
    ``pme0`` 1.163 -> 1.108 bar, ``alpha`` 0.733 -> 0.794, moves every truck optimistic);
    5.9 % since the CVT engine-speed stop, 5.8 % (bias +4.5 %) since the ICE refit with
    the manual's EPA upshift schedule (5 Dec 2026); missed before it (6.3 %, an expected
    failure since the facelift Hijet's published idle stop was run, 4 Dec 2026). Met then
    by the refitted constants' lower CVT and automatic efficiencies and friction on the
    Carry family, not by a better Hijet (its 2WD 5MT +11.9 -> +14.1 %). Still 7.0 % after
    every figure was checked against MLIT's groups (6 Dec 2026: the 2WD CVT at its group's
    815 kg, +10.4 -> +10.1 %); the WLTC class 3a and a 4WD run in 2WD, unsourced, would
    give 8.0 / 7.8 % (``benchmarks/kei_truck_wltc.py --modes``, docs/energy.md). Still
    7.0 % after issue 13's audit and truck-physics rule (task s32h, 6 Dec 2026): every
    figure at its own MLIT group; no open-bed drag, LT-tyre rolling resistance or
    disengaged part-time 4WD loss with a published constant, nothing shipped
    (``--physics``: a uniform ``road:crr`` 0.0095 would give 5.4 % by moving every truck
    alike, not adopted)."""
    err = np.array([r["error"] for r in cal.kei_truck_wltc_check(DESIGNS)])
    assert np.mean(np.abs(err)) <= 0.06


def test_kei_truck_case_curb_and_its_error():
    """A case's curb mass is its row's, or another variant's +- the 4WD step; a row with
    no curb mass of its own is named in one message."""
    assert cal.kei_truck_case_curb("Daihatsu Hijet Truck", cal._HIJET_JUMBO_CVT_4WD,
                                   None) == 885.0
    assert cal.kei_truck_case_curb("Daihatsu Hijet Truck", cal._HIJET_JUMBO_CVT_4WD,
                                   (cal._HIJET_JUMBO_4AT, 20.0)) == 830.0
    assert cal.kei_truck_case_curb("Suzuki Carry", cal.KEI_TRUCK_CASES[0][2], None) == 715.0
    with pytest.raises(ValueError, match="4WD, 5MT, Jumbo Extra.*no curb_mass_kg or "
                                         "curb_mass_range_kg"):
        cal.kei_truck_case_curb("Daihatsu Hijet Truck",
                                "4WD, 5MT, Jumbo Extra (ZMGF; after the Dec 2021 facelift)",
                                None)


def test_kei_truck_4wd_step_is_the_published_one():
    """The part-time 4WD of a rear-drive kei truck (transfer case + front axle drive)
    adds the published ~20 kg to the build-up's curb mass (with its chassis share), not
    an FWD car's AWD hardware (44-58 kg)."""
    _, rwd = _outputs("hijet_class")
    _, fwd4 = _outputs("hijet_class", **{"powertrain:drive": "4wd"})
    _, awd = _outputs("hijet_class", **{"powertrain:drive": "awd"})
    step = fwd4["mass:curb"][0] - rwd["mass:curb"][0]
    assert step == pytest.approx(cal.KEI_TRUCK_4WD_INCREMENT_KG, abs=1.0)
    assert awd["mass:curb"][0] - rwd["mass:curb"][0] > 2.0 * step


@pytest.mark.parametrize(("stem", "model"), [("carry_class", "Suzuki Carry"),
                                              ("hijet_class", "Daihatsu Hijet Truck")])
def test_truck_engines_are_the_published_ones(stem, model):
    """The truck designs' compression ratio and rated speed are the ones kei_trucks.csv
    records for the engine (with source and status), and they reach the WLTC result."""
    rows = [r for r in cal.kei_truck_rows() if r["model"] == model and r["compression_ratio"]]
    assert rows
    for r in rows:      # one engine per truck: every row that gives it agrees
        assert (r["compression_ratio"], r["power_rpm"]) == (rows[0]["compression_ratio"],
                                                            rows[0]["power_rpm"])
        assert r["engine_source"] and r["engine_status"]
    d = load_design(DESIGNS / f"{stem}.toml")
    assert d["powertrain:ice:compression_ratio"] == float(rows[0]["compression_ratio"])
    assert d["powertrain:ice:rated_speed"] == float(rows[0]["power_rpm"])
    _, base = _outputs(stem)
    _, ref = _outputs(stem, **{"powertrain:ice:compression_ratio": 12.0})
    assert base["energy:wltc_km_per_l"][0] < ref["energy:wltc_km_per_l"][0]


def test_acty_4wd_is_full_time_on_a_rear_drive_base():
    """The Honda Acty truck's 4WD is recorded with its type and source: full-time ('real
    time 4WD', a coupling to the front axle) on its rear-drive (MR) base, where the Carry's
    and Hijet's are part-time; the mass model's rear-drive rule ('4wd') applies to it."""
    acty = next(r for r in cal.kei_truck_rows() if r["model"] == "Honda Acty Truck")
    assert "MR" in acty["drive"] and "full-time" in acty["drive"]
    assert "coupling" in acty["drive"] and "part-time" not in acty["drive"]
    assert "kurumaerabi.com/magazine/articles/777" in acty["source"]
    assert "4WD type R" in acty["to_check_fields"]
    hijet_4wd = [r for r in cal.kei_truck_rows() if "part-time" in r["drive"]]
    assert hijet_4wd and all(r["model"] == "Daihatsu Hijet Truck" for r in hijet_4wd)


def test_kei_car_4wd_imports_as_awd():
    """A kei car's "4WD" (an on-demand coupling on its FWD base) imports as ``awd``, the
    FWD-base driveline of the mass build-up; ``4wd`` is the transfer case of a rear-drive
    base (a kei truck)."""
    from keidesign.specs import sources

    drives = {vr.label: sources.row_spec(vr).get("drive") for vr in sources.vehicle_rows("kei")}
    four = [k for k in drives if "4WD" in k]
    assert four and all(drives[k] == "awd" for k in four)
    assert "4wd" not in drives.values()


# ---------------------------------------------------------------- goods vehicles (body.use)
def test_body_use_defaults_from_the_style_and_reaches_the_wltc_test_mass():
    """``body.use``: 'goods' by default for the truck style, 'passenger' otherwise; a van
    (a tall-boy body registered as a goods vehicle, 4-number) that says 'goods' is tested
    at the goods WLTC test mass, curb + 100 kg + 28 % of (mass.payload - 100 kg); its
    mass:cargo is then a quantity of the design (rule kei.cargo)."""
    from keidesign import variables
    from keidesign.energy import energy_options

    assert load_design(DESIGNS / "carry_class.toml")["body:use"] == "goods"
    nbox = load_design(DESIGNS / "nbox_class.toml")
    assert nbox["body:use"] == "passenger"
    assert not energy_options(nbox)["goods_vehicle"]
    text = (DESIGNS / "nbox_class.toml").read_text(encoding="utf-8")
    van = parse_design(text.replace("[body]\n", '[body]\nuse = "goods"\n', 1))
    assert van["body:use"] == "goods" and energy_options(van)["goods_vehicle"]
    # a truck may say it is not a goods vehicle (then the passenger rule)
    truck = (DESIGNS / "carry_class.toml").read_text(encoding="utf-8")
    assert not energy_options(parse_design(
        truck.replace("[body]\n", '[body]\nuse = "passenger"\n', 1)))["goods_vehicle"]
    cargo = variables.get("mass:cargo")
    assert cargo.inapplicable(van.values) == ""
    assert "body.use" in cargo.inapplicable(nbox.values)
    out_p = evaluate_design(nbox, resolve_packs(nbox.rules)).outputs
    out_g = evaluate_design(van, resolve_packs(van.rules)).outputs
    assert out_g["energy:wltc_test_mass"][0] - out_g["mass:curb"][0] == pytest.approx(
        100.0 + 0.28 * (van["mass:payload"] - 100.0))
    assert out_p["energy:wltc_test_mass"][0] - out_p["mass:curb"][0] == pytest.approx(118.0)


def test_bad_body_use_is_one_line():
    text = (DESIGNS / "nbox_class.toml").read_text(encoding="utf-8")
    with pytest.raises(InputError) as e:
        parse_design(text.replace("[body]\n", '[body]\nuse = "cargo"\n', 1))
    msg = str(e.value)
    assert len(msg.splitlines()) == 1
    assert "body.use" in msg and "'cargo'" in msg and "passenger" in msg and "goods" in msg


def test_kei_check_runs_a_rated_load_as_a_goods_vehicle():
    """A kei.csv row with a maximum load (max_payload_kg: the N-VAN e:, 300 kg) is a goods
    vehicle in the kei WLTC check: payload 2 x 55 kg (its 4 seats' rated crew) + the load;
    rows without stay
    passenger cars (their specs unchanged)."""
    seen = {}
    for r, style, idle, hyb, trans, drive, tyre_d, *_ in cal._kei_todo():
        seen[r["model"]] = cal.kei_spec(r, style, idle, hyb, trans, drive, tyre_d)
    assert seen["Honda N-VAN e:"].goods_payload == pytest.approx(2 * 55.0 + 300.0)
    assert all(s.goods_payload is None for m, s in seen.items() if m != "Honda N-VAN e:")
