"""The ``at_lockup`` probe (issue 13, 6 Dec 2026; ``benchmarks/at_lockup.py``,
docs/validation.md "Stepped automatics' lock-up range from published data"): the data
file's sourced rows, the two lock-up rules computed from them, and the trial's lock-up
gear, which reaches calibration's prediction only inside the trial and only for the
automatics."""

from __future__ import annotations

import pytest
from conftest import benchmark_module

from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc


def test_data_file_rows_are_sourced():
    a = benchmark_module("at_lockup")
    rows = a.load()
    assert len(rows) >= 10
    for r in rows:
        assert r["source"] and r["status"] in ("V", "R", "A"), r["transmission"]
    by = {r["transmission"]: r for r in rows}
    # the values the rules are computed from, as read in their sources
    assert (by["Honda 5AT"]["gears"], by["Honda 5AT"]["lockup_gear"]) == ("5", "2")
    assert (by["Jatco 7AT (Nissan)"]["lockup_gear"],
            by["Jatco 7AT (Nissan)"]["slip_lockup_gear"]) == ("7", "2")
    assert by["Jatco 5AT (Nissan)"]["slip_lockup_gear"] == "3"
    assert by["Ford 6F35"]["lockup_gear"] == "6"
    assert by["Hyundai A6MF1 / A6MF2 6AT"]["stall_rpm"] == "2400"
    # the shipped stall speed is within the published one's tolerance (2400 +/- 100 rpm)
    assert abs(pt.TC_STALL_RPM - float(by["Hyundai A6MF1 / A6MF2 6AT"]["stall_rpm"])) <= 100


def test_rules_from_the_file():
    a = benchmark_module("at_lockup")
    rows = a.load()
    # (A): lowest engaged gear of the 5+-speed rows 2, 2, 3, 6 -> median 2.5 -> 3rd
    assert a.engaged_gear(rows) == 3
    # (B): full lock-up 3, 0, 0 gears below the top -> the top gear
    assert a.full_lockup_gear(rows) == 99
    # a file whose full lock-up median is below the top is refused, not rounded away
    low = [{**r, "lockup_gear": "2"} if r["gears"] == "6" else r for r in rows]
    low = [{**r, "lockup_gear": "3"} if r["gears"] == "7" else r for r in low]
    with pytest.raises(ValueError):
        a.full_lockup_gear(low)


def test_trial_lock_index():
    kat = benchmark_module("kei_automatic_trials")
    c = {"at_lockup_from": 3.0}
    assert kat.trial_lock_index("at6", c) == 2
    assert kat.trial_lock_index("at5", {"at_lockup_from": 99.0}) == 4
    assert kat.trial_lock_index("at8", {"at_lockup_from": 99.0}) == 7
    # 3-4 speed automatics keep the sourced top-gear rule; other families lock always
    assert kat.trial_lock_index("at4", c) == 3
    assert kat.trial_lock_index("mt6", c) == 0
    assert kat.trial_lock_index("cvt", c) == 0
    # without the constant: the kei trial's rule (the 5+-speed ones locked in every gear)
    assert kat.trial_lock_index("at6", {}) == 0


def test_rule_reaches_the_prediction_of_automatics_only():
    kat = benchmark_module("kei_automatic_trials")
    c, fit, _ = cal.stored_fits()
    cars = tc.test_cars()
    at6 = next(car for car in cars if car.cls in cal.ICE_CLASSES and car.trans == "at6")
    mt6 = next(car for car in cars if car.cls in cal.ICE_CLASSES and car.trans == "mt6")
    trial = {**c, "ice": {**c["ice"], "tc_stall_rpm": pt.TC_STALL_RPM,
                          "at_lockup_from": 99.0}}
    with kat.active():
        base = cal.predict_ice([at6, mt6], c, fit)
        moved = cal.predict_ice([at6, mt6], trial, fit)
    # the open converter below the top gear costs the 6AT fuel; the manual does not move
    assert moved["ftp"][0] < base["ftp"][0] * 0.99
    assert moved["ftp"][1] == base["ftp"][1]
    assert moved["hwfet"][1] == base["hwfet"][1]


def test_docs_quote_the_rules_computed_from_the_file():
    """docs/validation.md's rule quotes the gears the probe computes from the data file."""
    from conftest import ROOT

    a = benchmark_module("at_lockup")
    text = " ".join((ROOT / "docs" / "validation.md").read_text(encoding="utf-8").split())
    assert a.engaged_gear(a.load()) == 3 and "(2, 2, 3, 6: locked from 3rd gear)" in text
    assert a.full_lockup_gear(a.load()) == 99 and "(3, 0, 0: the top gear only)" in text


def test_top_rule_is_the_shipped_lockup_of_the_three_and_four_speeds():
    """s31i's rule (``at_lockup._top_constants``), shipped since 7 Dec 2026: with the
    shipped constants (``at_few_gears`` 4) a 4AT's converter whose design says "all"
    locks in its top gear only (index 3), a 3AT's in its top gear (2), a 6AT's in every
    gear; the model before (``at_few_gears`` 0, ``kei_automatic_trials.before_spin``)
    locked every automatic in every gear. A 4AT's FTP costs fuel against the model
    before, a 6AT's is its prediction to the bit."""
    a = benchmark_module("at_lockup")
    kat = benchmark_module("kei_automatic_trials")
    c0, c1 = a._top_constants()
    assert c1 == cal.fixed_constants() and c1["ice"]["at_few_gears"] == 4
    assert c0["ice"]["at_few_gears"] == 0 and "at_spin_nm" not in c0["ice"]
    few = c1["ice"]["at_few_gears"]
    assert pt.lockup_gear("at4", "all", few) == kat.trial_lock_index("at4", c1["ice"]) == 3
    assert pt.lockup_gear("at3", "all", few) == kat.trial_lock_index("at3", c1["ice"]) == 2
    assert pt.lockup_gear("at6", "all", few) == kat.trial_lock_index("at6", c1["ice"]) == 0
    assert pt.lockup_gear("at4", "all", c0["ice"]["at_few_gears"]) == 0
    c, fit, _ = cal.stored_fits()
    cars = [car for car in tc.test_cars() if car.cls in cal.ICE_CLASSES]
    at4 = next(car for car in cars if car.trans == "at4")
    at6 = next(car for car in cars if car.trans == "at6")
    nospin = {**fit, "at_spin_nm": 0.0}
    before = kat.before_spin(c)
    base = cal.predict_ice([at4, at6], before, nospin)
    moved = cal.predict_ice([at4, at6], c, nospin)
    assert moved["ftp"][0] < base["ftp"][0] * 0.99
    assert moved["ftp"][1] == base["ftp"][1] and moved["hwfet"][1] == base["hwfet"][1]


def test_spin_rule_fits_a_torque_on_the_three_and_four_speeds_only():
    """s32c's rule (``at_lockup._trials(spin=True)``), shipped since 7 Dec 2026 (task
    s35h): the top-gear rule with a constant input spin torque on 3-4 speed automatics
    (``powertrains.spin_torque``), its size a fitted name of ``calibration.FIT_NAMES``
    against the model before (no spin, every gear locked); the trials' spin torque is
    the shipped one there. A spin torque costs a 4AT fuel on both cycles beyond the
    top-gear rule alone and leaves a 6AT at its prediction to the bit; the stored fit
    is a torque inside the pump law's 0.8-3 N m (``spin_torque``'s docstring, A), not
    on a bound."""
    a = benchmark_module("at_lockup")
    kat = benchmark_module("kei_automatic_trials")
    (n0, c0, f0), (n1, c1, f1) = a._trials(spin=True)
    assert f0 == kat.FIT_NAMES_NO_SPIN and "at_spin_nm" not in f0
    assert f1 == cal.FIT_NAMES and "at_spin_nm" in f1 and c1 == cal.fixed_constants()
    ice = {**c1["ice"], "at_spin_nm": 2.0}
    for trans, t in (("at4", 2.0), ("at3", 2.0), ("at6", 0.0), ("mt5", 0.0), ("cvt", 0.0)):
        assert pt.spin_torque(trans, ice) == kat.spin_loss_torque(trans, ice) == t
    assert pt.spin_torque("at4", {**ice, "at_few_gears": 0}) == 0.0
    c, fit, _ = cal.stored_fits()
    assert 0.8 < fit["at_spin_nm"] < 3.0
    assert c["ice"]["at_few_gears"] == 4
    cars = [car for car in tc.test_cars() if car.cls in cal.ICE_CLASSES]
    at4 = next(car for car in cars if car.trans == "at4")
    at6 = next(car for car in cars if car.trans == "at6")
    top = cal.predict_ice([at4, at6], c, {**fit, "at_spin_nm": 0.0})
    moved = cal.predict_ice([at4, at6], c, {**fit, "at_spin_nm": 2.0})
    with kat.active():  # the trials' kernel books the same torque, once
        trial = cal.predict_ice([at4, at6], c, {**fit, "at_spin_nm": 2.0})
    for t in ("ftp", "hwfet"):
        assert moved[t][0] < top[t][0] * 0.99
        assert moved[t][1] == top[t][1]
        assert trial[t][0] == moved[t][0] and trial[t][1] == moved[t][1]


def test_viscous_rule_is_the_shipped_model_with_the_spin_torque_growing_with_speed():
    """s45c's trial (``at_lockup._trials(law="viscous")``; docs/validation.md, "The 3-4
    speed automatics' spin loss growing with engine speed"): the shipped arm against the
    same constants with ``at_spin_law = "viscous"``, both fitting ``at_spin_nm`` with the
    ICE constants. The viscous torque equals the constant one at 2000 rpm, so a 4AT
    turning mostly faster than that (the HWFET) burns more fuel with it and one turning
    slower less; a 6AT does not move. An unknown law is refused."""
    a = benchmark_module("at_lockup")
    kat = benchmark_module("kei_automatic_trials")
    (n0, c0, f0), (n1, c1, f1) = a._trials(spin=True, law="viscous")
    assert f0 == f1 == cal.FIT_NAMES
    assert c0 == cal.fixed_constants() and "at_spin_law" not in c0["ice"]
    assert c1["ice"] == {**c0["ice"], "at_spin_law": "viscous"}
    assert kat.SPIN_REF_RPM == 2000.0
    with pytest.raises(ValueError):
        a._trials(spin=True, law="quadratic")
    c, fit, _ = cal.stored_fits()
    cars = [car for car in tc.test_cars() if car.cls in cal.ICE_CLASSES]
    at4 = next(car for car in cars if car.trans == "at4")
    at6 = next(car for car in cars if car.trans == "at6")
    with kat.active():
        const = cal.predict_ice([at4, at6], c, fit)
        visc = cal.predict_ice([at4, at6], {**c, "ice": {**c["ice"], "at_spin_law": "viscous"}},
                               fit)
    assert visc["hwfet"][0] != const["hwfet"][0]
    assert visc["ftp"][1] == const["ftp"][1] and visc["hwfet"][1] == const["hwfet"][1]


def test_jimny_sierra_rows_and_spec_files():
    """``jimny_sierra.csv`` (task s45c): four sourced rows, the 4ATs sharing the published
    ratios and transfer with different final drives, every WLTC figure between its phases'
    lowest and highest; a row's spec file says its own engine and gearing (the Sierra's
    1.5 L four and its 4.300 final drive, not the kei rows' hard-coded 658 cm^3)."""
    js = benchmark_module("jimny_sierra")
    rs = js.rows()
    assert [r["config"] for r in rs] == ["Jimny JB64 5MT", "Jimny JB64 4AT",
                                         "Jimny Sierra JB74 5MT", "Jimny Sierra JB74 4AT"]
    for r in rs:
        assert r["source"] and r["status"][0] in ("V", "R", "A"), r["config"]
        ph = [float(r[f"wltc_{p}"]) for p in js.PHASES]
        assert min(ph) <= float(r["wltc_km_per_L"]) <= max(ph), r["config"]
    at = [r for r in rs if r["transmission"] == "automatic"]
    assert {(r["ratio_low"], r["ratio_high"], r["transfer_ratio"]) for r in at} == {
        ("2.875", "0.696", "1.320")}
    assert [r["final_drive"] for r in at] == ["5.375", "4.300"]
    text = js.spec_text(rs[3])
    assert "displacement = 1462" in text and "cylinders = 4" in text
    assert "final_drive = 4.300" in text and 'type = "automatic"' in text
