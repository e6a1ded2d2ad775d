"""Design-format coverage (issue 13, deliverable 1): transmissions, two-seat bodies, engine
layout, driven wheels, ladder frame, measured values as overrides with provenance.

Each new choice loads and evaluates; the physical direction (and a stated range) of its
effect is checked against the reference design it modifies.
"""

from __future__ import annotations

import numpy as np
import openmdao.api as om
import pytest
from conftest import DESIGNS, component_problem, design_with
from openmdao.utils.assert_utils import assert_check_partials, assert_near_equal

from keidesign import variables as reg
from keidesign.cli import main
from keidesign.errors import InputError
from keidesign.evaluation import evaluate_design, resolve_packs
from keidesign.mass import BodyMassComp, CurbMassComp, MassSummaryComp, PowertrainMassComp
from keidesign.mass.data import coefficients

NEW_TRANSMISSIONS = ("mt6", "amt5", "amt6", "dct6", "dct7", "dct8", "at5", "at7", "at8",
                     "at9", "at10", "at3")


def _outputs(stem: str, changes: dict | None = None) -> dict[str, float]:
    d = design_with(stem, changes)
    ev = evaluate_design(d, resolve_packs(d.rules))
    return {k: v for k, (v, _) in ev.outputs.items()}


@pytest.fixture(scope="module")
def alto():
    return _outputs("alto_class")


def test_registry_choices_cover_the_issue():
    trans = set(reg.get("powertrain:transmission").choices)
    assert {"mt5", "mt6", "amt5", "amt6", "dct6", "dct7", "dct8", "cvt",
            "single_speed"} <= trans
    assert {f"at{n}" for n in range(4, 11)} <= trans
    assert reg.get("powertrain:layout").choices == ("front", "rear", "mid", "underfloor")
    assert reg.get("powertrain:drive").choices == ("fwd", "rwd", "awd", "4wd")
    assert reg.get("body:frame").choices == ("unibody", "ladder")
    # every registered transmission is a kernel type (keys of GEARS)
    from keidesign.energy.powertrains import FAMILY, GEARS
    assert trans <= set(GEARS) and trans <= set(FAMILY)


@pytest.mark.parametrize("trans", NEW_TRANSMISSIONS)
def test_each_new_transmission_evaluates(trans, alto):
    out = _outputs("alto_class", {"powertrain.transmission": trans})
    for k in ("energy:ftp_mpg", "energy:hwfet_mpg", "energy:wltc_km_per_l", "mass:curb",
              "perf:accel_0_60", "cost:vehicle"):
        assert np.isfinite(out[k]) and out[k] > 0.0, (trans, k)
    # a stepped gearbox on a kei: within 20 % of the reference's FTP figure. The bound was
    # 15 % until 7 Dec 2026; the 3-4 speed automatics' spin torque (task s35h) puts the
    # at3 at -15.0 %, and the published kei steps from a manual twin to its 4AT are
    # -18.5 / -15.1 % (Jimny / Every, docs/validation.md "Kei automatics"), so a 3AT
    # 15-20 % below is within what the class shows, not an evaluation gone wrong.
    assert abs(out["energy:ftp_mpg"] / alto["energy:ftp_mpg"] - 1.0) < 0.20, trans


@pytest.mark.parametrize("changes", [
    {"powertrain.layout": "rear"}, {"powertrain.layout": "mid"},
    {"powertrain.layout": "underfloor"}, {"powertrain.drive": "rwd"},
    {"powertrain.drive": "awd"}, {"powertrain.drive": "4wd"}, {"body.frame": "ladder"},
    {"body.seats": 2},
], ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
def test_each_new_choice_evaluates_via_cli(changes, tmp_path, capsys):
    text = (DESIGNS / "alto_class.toml").read_text()
    extra = {"powertrain.layout": ("[powertrain]", "layout"),
             "powertrain.drive": ("[powertrain]", "drive"),
             "body.frame": ("[body]", "frame"),
             "body.seats": ("[body]", "seats")}
    for key, val in changes.items():
        table, name = extra[key]
        if key == "body.seats":
            text = text.replace("seats = 4", f"seats = {val}")
        else:
            text = text.replace(table, f'{table}\n{name} = "{val}"', 1)
    path = tmp_path / "variant.toml"
    path.write_text(text)
    assert main(["evaluate", str(path)]) == 0
    assert "mass by group (kg): body_structure" in capsys.readouterr().out


def test_awd_adds_mass_and_costs_fuel_economy(alto):
    """AWD on the Alto-class kei: +40 to +70 kg curb mass (driveline 44 kg + the chassis
    carrying it), 3-10 % lower FTP and WLTC figures (driveline efficiency 0.96 and the
    mass); the BEV (Sakura class) loses 3-12 % MPGe."""
    awd = _outputs("alto_class", {"powertrain.drive": "awd"})
    assert 40.0 <= awd["mass:curb"] - alto["mass:curb"] <= 70.0
    c = coefficients()
    assert_near_equal(awd["mass:driveline"],
                      c["awd_driveline_base"] + c["awd_driveline_per_nm"] * 58.0, 1e-12)
    for k in ("energy:ftp_mpg", "energy:hwfet_mpg", "energy:wltc_km_per_l"):
        loss = 1.0 - awd[k] / alto[k]
        assert 0.03 <= loss <= 0.10, (k, loss)
    assert awd["cost:vehicle"] > alto["cost:vehicle"]
    # the part-time 4WD of a rear-drive base adds the transfer case and front axle drive
    # only (the published ~20 kg kei-truck step), less than an FWD base's AWD hardware
    fwd4 = _outputs("alto_class", {"powertrain.drive": "4wd"})
    assert_near_equal(fwd4["mass:driveline"], c["part_time_4wd_driveline"], 1e-12)
    assert fwd4["mass:driveline"] < awd["mass:driveline"]

    bev, bev_awd = _outputs("sakura_class"), _outputs("sakura_class",
                                                     {"powertrain.drive": "awd"})
    assert 30.0 <= bev_awd["mass:curb"] - bev["mass:curb"] <= 60.0
    loss = 1.0 - bev_awd["energy:ftp_mpg"] / bev["energy:ftp_mpg"]
    assert 0.03 <= loss <= 0.12, loss


def test_rwd_front_engine_changes_only_traction(alto):
    rwd = _outputs("alto_class", {"powertrain.drive": "rwd"})
    assert rwd["mass:curb"] == pytest.approx(alto["mass:curb"], rel=1e-12)
    assert rwd["energy:ftp_mpg"] == pytest.approx(alto["energy:ftp_mpg"], rel=1e-12)
    # less weight on the driven axle: launch no quicker
    assert rwd["perf:accel_0_60"] >= alto["perf:accel_0_60"] - 1e-9


def test_two_seats_lighter_than_four(alto):
    d = design_with("alto_class", {"body.seats": 2})
    assert d["body:couple_distance"] == 0.0  # no rear row by default
    two = _outputs("alto_class", {"body.seats": 2})
    c = coefficients()
    assert_near_equal(alto["mass:group:interior"] - two["mass:group:interior"],
                      2 * c["seat_rear_per_position"], 1e-12)
    assert 15.0 <= alto["mass:curb"] - two["mass:curb"] <= 25.0
    assert two["cost:vehicle"] < alto["cost:vehicle"]


def test_rear_row_consistency_errors():
    with pytest.raises(InputError, match=r"body\.couple_distance \(850 mm\) places a rear "
                                         r"row, but body\.seats = 2"):
        design_with("alto_class", {"body.seats": 2, "body.couple_distance": 850})
    with pytest.raises(InputError, match=r"too short for the rear row of body\.seats = 4"):
        design_with("alto_class", {"body.couple_distance": 0})


def test_layout_moves_the_block_out_of_the_crush_zone(alto):
    rear = _outputs("alto_class", {"powertrain.layout": "rear"})
    d = design_with("alto_class")
    # the whole block length is added to the crush available before the dash
    assert_near_equal(rear["crash:front:crush_available"] - alto["crash:front:crush_available"],
                      d["powertrain:block_length"], 1e-9)
    assert rear["crash:front:engine_gap"] > alto["crash:front:engine_gap"]
    # a rear engine may be longer than the front crush zone
    design_with("alto_class", {"powertrain.layout": "rear", "powertrain.block_length": 900})
    with pytest.raises(InputError, match="block_length"):
        design_with("alto_class", {"powertrain.block_length": 900})


def test_ladder_frame_mass(alto):
    lad = _outputs("alto_class", {"body.frame": "ladder"})
    c = coefficients()
    assert_near_equal(lad["mass:frame"], c["ladder_frame_per_m"] * 2.460, 1e-12)
    assert alto["mass:frame"] == 0.0
    assert lad["mass:curb"] - alto["mass:curb"] > lad["mass:frame"]


def test_measured_curb_and_test_weight_override(alto):
    d = design_with("alto_class", {"mass.curb_measured": 700, "mass.curb_source":
                                   "Suzuki catalogue HA37S", "energy.test_weight": "2000 lb",
                                   "energy.test_weight_source": "EPA-style ETW [example]"})
    assert d["mass:curb_source"] == "Suzuki catalogue HA37S"
    assert d["energy:test_weight_source"] == "EPA-style ETW [example]"
    out = {k: v for k, (v, _) in evaluate_design(d, resolve_packs(d.rules)).outputs.items()}
    assert out["mass:curb"] == pytest.approx(700.0, abs=1e-9)
    assert out["mass:curb_buildup"] == pytest.approx(alto["mass:curb"], rel=1e-12)
    from keidesign.catalogue.mass import GROUPS
    assert sum(out[f"mass:group:{g}"] for g in GROUPS) == pytest.approx(700.0, rel=1e-12)
    assert out["mass:test"] == pytest.approx(2000 * 0.45359237, rel=1e-12)
    # provenance shown by evaluate (JSON and the table head)
    from keidesign.evaluation import format_table
    ev = evaluate_design(d, resolve_packs(d.rules))
    prov = ev.to_json()["design"]["provenance"]
    assert prov["curb mass"] == {"value": 700.0, "source": "Suzuki catalogue HA37S"}
    assert prov["test weight"]["source"] == "EPA-style ETW [example]"
    assert "coast-down A/B/C" not in prov
    head = format_table(ev).splitlines()[2]
    assert head.startswith("measured: curb mass (Suzuki catalogue HA37S)")
    # the measured curb beside the build-up's, which it pins (s44f: an EV variant kept
    # its ICE car's measured curb unseen)
    build = alto["mass:curb"]
    assert (f": 700 kg, the model's build-up {build:.4g} kg "
            f"({100 * (700 - build) / build:+.1f} %); it pins mass:curb") in head
    # the 'calibration' group under the table is said what it is, as compare says it
    assert "\ncalibration: not a part but the curb mass the groups above miss" in (
        format_table(ev))
    # not given: the build-up and curb + 136 kg
    assert alto["mass:group:measured"] == 0.0
    assert alto["mass:test"] == pytest.approx(alto["mass:curb"] + 136.0777, rel=1e-12)


def test_measured_coastdown_needs_no_cd(tmp_path, capsys):
    text = (DESIGNS / "alto_class.toml").read_text()
    text = text.replace("cd = 0.32", "").replace("crr = 0.0095", "")
    bad = tmp_path / "no_cd.toml"
    bad.write_text(text)
    assert main(["check", str(bad)]) == 2
    assert "road.cd" in capsys.readouterr().err
    text += ('\n[energy.coastdown]\nmeasured = true\na = "20 lbf"\nb = "0.1 lbf*h/mi"\n'
             'c = "0.02 lbf*h**2/mi**2"\nsource = "example coefficients"\n')
    ok = tmp_path / "coastdown.toml"
    ok.write_text(text)
    assert main(["evaluate", str(ok)]) == 0


def test_eight_speed_differs_from_six_speed():
    at6 = _outputs("mirage_class", {"powertrain.transmission": "at6"})
    at8 = _outputs("mirage_class", {"powertrain.transmission": "at8"})
    assert at8["energy:ftp_mpg"] != pytest.approx(at6["energy:ftp_mpg"], rel=1e-4)
    assert at8["energy:hwfet_mpg"] > at6["energy:hwfet_mpg"]  # lower top gear


@pytest.mark.parametrize("key,bad", [("transmission", "at11"), ("drive", "6wd"),
                                     ("layout", "side")])
def test_bad_choice_one_line_error(key, bad, tmp_path, capsys):
    text = (DESIGNS / "alto_class.toml").read_text().replace(
        "[powertrain]", f'[powertrain]\n{key} = "{bad}"', 1)
    if key == "transmission":
        text = text.replace('transmission = "cvt"\n', "")
    path = tmp_path / "bad.toml"
    path.write_text(text)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("keidesign: error: ")
    assert f"powertrain.{key} = '{bad}'" in err[0] and "not a valid choice" in err[0]
    assert "allowed: one of" in err[0]


def test_bad_hev_layout_one_line_error(tmp_path, capsys):
    """The HEV layout (mild / full) is a choice: anything else is one line naming the
    field, the value and the choices."""
    text = (DESIGNS / "alto_class.toml").read_text().replace(
        "[powertrain.ice]", '[powertrain.ice]\nhev_layout = "series"', 1)
    path = tmp_path / "bad.toml"
    path.write_text(text)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "powertrain.ice.hev_layout = 'series'" in err[0]
    assert "allowed: one of 'mild', 'full'" in err[0]




@pytest.mark.parametrize("comp,vals", [
    (PowertrainMassComp(powertrain_type="ice", transmission="dct7", drive="4wd"),
     {"powertrain:ice:displacement": 1200.0, "powertrain:ice:power": 60.0,
      "powertrain:ice:torque": 110.0}),
    (PowertrainMassComp(powertrain_type="bev", transmission="single_speed", drive="awd"),
     {"powertrain:bev:motor_power": 47.0, "powertrain:bev:battery_energy": 20.0}),
    (BodyMassComp(seats=2, frame="ladder"),
     {"body:wheelbase": 2400.0, "crash:front:secondary_force": 50.0,
      "crash:front:rail_force": 300.0}),
    (MassSummaryComp(), {"mass:curb": 900.0, "mass:curb_measured": 880.0,
                         "energy:test_weight": 1050.0}),
])
def test_partials_of_the_new_terms(comp, vals):
    data = component_problem(comp, vals).check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-8, rtol=1e-8)


def test_curb_residual_with_measured_value():
    prob = component_problem(CurbMassComp(), {"mass:curb_measured": 880.0})
    prob.model.nonlinear_solver = om.NewtonSolver(solve_subsystems=False, iprint=-1)
    prob.model.linear_solver = om.DirectSolver()
    prob.setup(force_alloc_complex=True)
    prob.set_val("mass:curb_measured", 880.0)
    prob.run_model()
    assert_near_equal(prob.get_val("mass:curb"), 880.0, 1e-12)
    data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-8, rtol=1e-8)
