"""Cab-over (kei truck) front: structure equations, design defaults, model wiring and the
known outcome (Japan's 50 km/h full-width test; keidesign.validation.cabover)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import DESIGNS, run_comp
from openmdao.utils.assert_utils import assert_check_partials, assert_near_equal

from keidesign.catalogue.crash import CAB_FRONT_INTRUSION_MM, DASH_INTRUSION_MM
from keidesign.crash import FrontStructureComp
from keidesign.design import load_design
from keidesign.model import build_problem
from keidesign.validation import cabover

os.environ.setdefault("OPENMDAO_REPORTS", "0")

CAB = {"crash:front:crush_length": 300.0, "crash:front:rail_width": 60.0,
       "crash:front:rail_height": 80.0, "crash:front:wall_thickness": 3.0,
       "crash:front:crash_box_length": 60.0, "crash:front:dash_intrusion_limit": 127.0,
       "crash:front:test_mass": 1250.0, "body:width": 1475.0,
       "crash:front:engine_clearance": 80.0, "powertrain:block_length": 800.0}


def _prob(comp, **vals):
    return run_comp(comp, **vals)


def _val(prob, name, units=None):
    return float(prob.get_val(name, units=units)[0])


def test_cab_over_zones_against_hand_calculation():
    prob = _prob(FrontStructureComp(material="hsla_340", cab_over=True,
                                    layout="underfloor"), **CAB)
    # bumper 100 mm (registry default), crash boxes 60 mm within the 200 mm horns, rails
    # 140 mm ahead of the panel + 127 mm on under the cab
    assert_near_equal(_val(prob, "crash:front:bumper_stroke"), 70.0, 1e-12)
    assert_near_equal(_val(prob, "crash:front:crash_box_stroke"), 0.73 * 60.0, 1e-12)
    assert_near_equal(_val(prob, "crash:front:rail_stroke"), 0.73 * 140.0 + 127.0, 1e-12)
    # C_av = L - 0.3 d_b - 40 + delta_cab; no powertrain block, no engine clearance
    assert_near_equal(_val(prob, "crash:front:crush_available"), 300 - 30 - 40 + 127, 1e-12)
    assert_near_equal(_val(prob, "crash:front:engine_gap"), 300 - 30 - 40 + 127, 1e-12)
    # energy within C_av on the same staircase: C_av (357 mm) lies 14 mm past its end
    # (0.27 of the 200 mm horns are compacted folds, less the 40 mm pack)
    f1, f2, f3 = (_val(prob, f"crash:front:{z}_force", "N")
                  for z in ("bumper", "crash_box", "rail"))
    s1, s2, s3 = 0.07, 0.73 * 0.06, 0.73 * 0.14 + 0.127
    assert s1 + s2 + s3 < 0.357
    e = f1 * s1 + f2 * s2 + f3 * s3
    assert_near_equal(_val(prob, "crash:front:energy_capacity", "J"), e, 1e-12)


def test_cab_over_clips_crash_boxes_to_the_horns_and_ignores_the_engine():
    vals = dict(CAB, **{"crash:front:crush_length": 200.0,
                        "crash:front:crash_box_length": 120.0})
    prob = _prob(FrontStructureComp(cab_over=True), **vals)
    # horns 100 mm: the 120 mm boxes are cut to 100 mm, no rail ahead of the panel
    assert_near_equal(_val(prob, "crash:front:crash_box_stroke"), 73.0, 1e-12)
    assert_near_equal(_val(prob, "crash:front:rail_stroke"), 127.0, 1e-12)
    c_av = _val(prob, "crash:front:crush_available")
    for key, val in (("powertrain:block_length", 300.0), ("crash:front:engine_clearance", 10.0)):
        prob.set_val(key, val)
        prob.run_model()
        assert _val(prob, "crash:front:crush_available") == c_av


def test_car_front_unchanged_by_the_option_default():
    vals = dict(CAB, **{"crash:front:crush_length": 800.0, "powertrain:block_length": 450.0})
    car = _prob(FrontStructureComp(material="dp_590"), **vals)
    assert_near_equal(_val(car, "crash:front:crush_available"),
                      800 - 450 - 30 - 40 + 127, 1e-12)
    assert_near_equal(_val(car, "crash:front:rail_stroke"), 0.73 * (800 - 100 - 60), 1e-12)


@pytest.mark.parametrize("vals", [CAB, dict(CAB, **{"crash:front:crush_length": 200.0,
                                                    "crash:front:crash_box_length": 120.0})])
def test_cab_over_partials(vals):
    prob = _prob(FrontStructureComp(material="dp_590", cab_over=True), **vals)
    data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-6, rtol=1e-6)


def test_truck_defaults_and_explicit_values(tmp_path):
    truck = load_design(DESIGNS / "carry_class.toml").values
    assert truck["crash:front:dash_intrusion_limit"] == CAB_FRONT_INTRUSION_MM == 127.0
    assert truck["crash:front:crash_box_length"] == 0.0
    car = load_design(DESIGNS / "nbox_class.toml").values
    assert car["crash:front:dash_intrusion_limit"] == DASH_INTRUSION_MM == 100.0
    assert car["crash:front:crash_box_length"] == 120.0
    # a value the file gives is kept
    text = (DESIGNS / "carry_class.toml").read_text().replace(
        "[crash.front]\n", "[crash.front]\ndash_intrusion_limit = 80\ncrash_box_length = 40\n")
    p = tmp_path / "t.toml"
    p.write_text(text)
    given = load_design(p).values
    assert given["crash:front:dash_intrusion_limit"] == 80.0
    assert given["crash:front:crash_box_length"] == 40.0


def test_model_builds_the_cab_over_front_for_trucks_only():
    for name, cab in (("carry_class", True), ("alto_class", False)):
        prob = build_problem(load_design(DESIGNS / f"{name}.toml"), [])
        comp = prob.model._get_subsystem("crash_structure")
        assert comp.options["cab_over"] is cab


def _design_with_wall(tmp_path: Path, wall: float) -> Path:
    text = (DESIGNS / "carry_class.toml").read_text()
    lines = [(f"wall_thickness = {wall}" if ln.startswith("wall_thickness") else ln)
             for ln in text.splitlines()]
    p = tmp_path / f"carry_{wall}.toml"
    p.write_text("\n".join(lines) + "\n")
    return p


def test_known_outcome_carry_class_passes_japans_full_width_test(tmp_path):
    """The Carry is type-approved to Japan's 50 km/h full-width test (data/crash/
    kei_truck_frontal.csv): its design file passes the model's crush space there; the
    2.0 mm rails it carried before fail it (what made the inferred wall necessary),
    and the same truck at the FMVSS 208 56 km/h test mass with cargo does not pass."""
    r = cabover.japan_fullwidth(DESIGNS / "carry_class.toml")
    assert r["speed_kmh"] == 50.0 and r["passed"]
    assert 0.0 <= r["margin_mm"] < 20.0          # the thinnest wall: a small margin
    assert 25.0 < r["mean_g"] < 60.0
    old = cabover.japan_fullwidth(_design_with_wall(tmp_path, 2.0))
    assert not old["passed"] and old["margin_mm"] < -10.0
    t = cabover.required_wall(_design_with_wall(tmp_path, 2.0))
    assert t is not None and 2.0 < t <= load_design(DESIGNS / "carry_class.toml").values[
        "crash:front:wall_thickness"]


def test_required_crush_length_shortens_with_stronger_rails(tmp_path):
    weak = cabover.required_crush_length(_design_with_wall(tmp_path, 2.0))
    strong = cabover.required_crush_length(_design_with_wall(tmp_path, 3.2))
    assert weak is not None and strong is not None and strong < 200.0 < weak


def test_cab_over_dash_intrusion_row_says_what_it_measures():
    """On a cab-over, ``fmvss208.dash_intrusion`` (the powertrain stack's travel into the
    dash) reads 0 PASS while the cab front crushes past its tolerated 127 mm
    (``fmvss208.crush_space`` fails): its printed row and record say what it measures."""
    from keidesign.evaluation import (
        CAB_OVER_DASH_NOTE,
        evaluate_design,
        format_table,
        resolve_packs,
    )

    ev = evaluate_design(load_design(DESIGNS / "carry_class.toml"), resolve_packs(["fmvss"]))
    recs = {c["id"]: c for c in ev.constraints}
    dash, crush = recs["fmvss:fmvss208.dash_intrusion"], recs["fmvss:fmvss208.crush_space"]
    assert dash["passed"] and not crush["passed"]
    assert dash["note"] == CAB_OVER_DASH_NOTE
    row = next(ln for ln in format_table(ev).splitlines()
               if ln.startswith("fmvss:fmvss208.dash_intrusion "))
    assert "note: measures the powertrain stack's travel into the das" in row, row
    car = evaluate_design(load_design(DESIGNS / "nbox_class.toml"), resolve_packs(["fmvss"]))
    assert next(c for c in car.constraints
                if c["id"] == "fmvss:fmvss208.dash_intrusion")["note"] is None
