"""The kei truck body style (``body:style = "truck"``, Carry / Hijet Truck class).

Closed forms held to the CadQuery solid (tolerances of tests/test_geometry_closed_form.py;
the small cab-over "hood" between the nose and the windshield base also gets 0.01 m^2
absolute), the bed and ladder-frame parts, partials against complex step, the compiled
tape against the dual-number reference, STL/GLB export, and the truck's layout errors.
"""

from __future__ import annotations

import cadquery as cq
import numpy as np
import openmdao.api as om
import pytest
from conftest import DESIGNS, design_with
from openmdao.utils.assert_utils import assert_check_partials
from test_batch_body import random_parameters
from test_geometry_closed_form import ABS_MM, REL, _reference

from geometry import measure
from geometry import profiles as pr
from geometry.cad import BED_PARTS, build_body
from geometry.checks import assembly_bbox, checks, part_bboxes
from geometry.closed_form import closed_form, closed_form_compiled, outputs, sample
from geometry.params import layout_from_design
from keidesign.body import BodyComp
from keidesign.cli import main
from keidesign.design import load_design
from keidesign.errors import InputError

CARRY = DESIGNS / "carry_class.toml"
PARTS = {"body_shell", "greenhouse", "crush_zone", "occupant_cell", "powertrain",
         "bed_deck", "bed_side_left", "bed_side_right", "bed_tailgate", "bed_headboard",
         "frame", "wheel_fl", "wheel_fr", "wheel_rl", "wheel_rr"}
PANEL_REL, PANEL_ABS = 2e-2, 0.01          # m^2
REL_T = {**REL, "body:volume:bed": 1e-9, "body:bed_floor_area": 1e-9,
         "body:bed_side_area": 1e-9, "body:volume:cab": 2e-3, "body:cab_surface_area": 5e-3}

# Hijet Truck S500P-like: H 1780 [assumed], WB 1900, bed floor 2030 [to-check], deck 700
HIJET = {"body.height": 1780, "body.wheelbase": 1900, "body.truck.bed_length": 2030,
         "body.truck.deck_height": 700, "body.truck.gate_height": 250,
         "crash.front.crush_length": 180, "body.hpoint_to_heel": 640}


def _bev(lay: pr.Layout) -> pr.Layout:
    """The same truck as a BEV (battery between the axles, under the cab floor)."""
    p = dict(lay.p, battery_energy=20.0, battery_height=120.0, battery_density=250.0)
    p.pop("fuel")
    return pr.Layout(p, "truck", "bev")


def _layouts():
    base = layout_from_design(load_design(CARRY))
    return {"carry": base, "hijet": layout_from_design(design_with("carry_class", HIJET)),
            "carry_bev": _bev(base)}


@pytest.mark.parametrize("which", ["carry", "hijet", "carry_bev"])
def test_truck_closed_form_matches_the_solid(which):
    lay = _layouts()[which]
    cf = closed_form(lay.p, lay.style, lay.powertrain)
    cfo = {k: float(cf[k]) * s for k, s in outputs("truck").items()}
    body = build_body(lay)
    for name, (closed, cad, rel) in measure.compare(body, cfo).items():
        if name in ABS_MM or name == "body:cab_back_clearance":
            assert abs(closed - cad) < ABS_MM.get(name, 1e-3), (name, closed, cad)
        elif name.startswith("body:panel_area:"):
            assert abs(rel) < PANEL_REL or abs(closed - cad) < PANEL_ABS, (name, closed, cad)
        else:
            assert abs(rel) < REL_T[name], (name, closed, cad)


def test_truck_parts_bbox_and_checks():
    d = load_design(CARRY)
    body = build_body(layout_from_design(d))
    assert set(body.parts) == PARTS | {"fuel_tank"}
    for name, solid in body.parts.items():
        assert solid.isValid() and len(solid.Solids()) == 1, name
    lo, hi = assembly_bbox(body)
    assert np.allclose(hi - lo, [3395.0, 1475.0, 1765.0], atol=0.5)
    assert abs(lo[0]) < 0.5 and abs(lo[2]) < 0.5
    env = [measure._extent(body.envelope, axis) for axis in range(3)]   # exact boxes
    boxes = part_bboxes(body)
    for name in (*BED_PARTS, "frame", "powertrain", "fuel_tank", "occupant_cell"):
        for (e0, e1), a, b in zip(env, *boxes[name], strict=True):
            assert e0 - 1e-6 <= a and b <= e1 + 1e-6, name
    # the bed's load space: 1940 x 1410 mm floor (published), deck 650, gates 290 mm
    bed = measure.bed_load_space(body).BoundingBox()
    assert (bed.xlen, bed.ylen, bed.zmin, bed.zmax) == pytest.approx((1940, 1410, 650, 940))
    assert bed.xmax == pytest.approx(3395.0 - pr.BED_END_WALL)
    recs = {r["id"]: r for r in checks(body)}
    assert recs["packaging.headroom_95m"]["passed"]
    assert not recs["packaging.legroom_95m"]["passed"]   # a standard-cab kei truck


def test_truck_bed_is_five_sheet_plates_around_the_load_space():
    """Deck, drop sides, tail gate and headboard: one thin solid each, of the sheet
    thickness (deck 1.0 mm, walls 0.8 mm), not overlapping, their inner faces on the
    faces of the load space (the layout's bed box); a missing plate opens the space."""
    lay = layout_from_design(load_design(CARRY))
    body = build_body(lay)
    x0, x1, yh, z0, z1 = (float(v) for v in lay.bed_box)
    t, d = pr.BED_WALL_SHEET, pr.BED_DECK_SHEET
    thin = {"bed_deck": (2, d), "bed_side_left": (1, t), "bed_side_right": (1, t),
            "bed_tailgate": (0, t), "bed_headboard": (0, t)}
    for name, (axis, thickness) in thin.items():
        lo, hi = measure._extent(body.parts[name], axis)
        assert hi - lo == pytest.approx(thickness, abs=1e-9), name
    inner = {"bed_deck": (2, 1, z0), "bed_side_left": (1, 1, -yh), "bed_side_right": (1, 0, yh),
             "bed_tailgate": (0, 0, x1), "bed_headboard": (0, 1, x0)}
    for name, (axis, end, value) in inner.items():
        assert measure._extent(body.parts[name], axis)[end] == pytest.approx(value, abs=1e-9)
    for i, a in enumerate(BED_PARTS):
        for b in BED_PARTS[i + 1:]:
            assert body.parts[a].intersect(body.parts[b]).Volume() < 1e-6, (a, b)
    space = measure.bed_load_space(body)
    assert len(space.Solids()) == 1
    assert space.Volume() == pytest.approx((x1 - x0) * 2 * yh * (z1 - z0), rel=1e-12)
    leaky = build_body(lay)            # a tail gate lifted 50 mm: the gap joins the space
    leaky.parts["bed_tailgate"] = body.parts["bed_tailgate"].translate(cq.Vector(0, 0, 50.0))
    assert measure.bed_load_space(leaky).Volume() == pytest.approx(
        space.Volume() + t * 2 * yh * 50.0, rel=1e-9)


def test_truck_values():
    lay = layout_from_design(load_design(CARRY))
    out = {k: float(v) * outputs("truck")[k]
           for k, v in closed_form(lay.p, "truck", "ice").items()}
    assert out["body:bed_floor_area"] == pytest.approx(1.940 * 1.410, rel=1e-12)
    assert out["body:volume:bed"] == pytest.approx(1.940 * 1.410 * 0.290, rel=1e-12)
    assert out["body:bed_side_area"] == pytest.approx(2 * (1.940 + 1.410) * 0.290, rel=1e-12)
    # the cab: the envelope ahead of the cab back (CAD: 2.575 m^3, 11.509 m^2)
    assert out["body:volume:cab"] == pytest.approx(2.5745, abs=1e-3)
    assert out["body:cab_surface_area"] == pytest.approx(11.510, abs=2e-3)
    # mid-engine: the powertrain starts behind the front axle, not ahead of the dash
    assert out["body:crush_to_powertrain"] == pytest.approx(800.0 + 250.0)
    assert out["body:crush_to_dash"] == pytest.approx(200.0)
    assert out["body:cargo_length"] == pytest.approx(3395.0 - (200 + 200 + 700 + 250))
    assert out["body:volume:envelope"] == pytest.approx(4.781, abs=2e-3)
    assert out["body:frontal_area"] == pytest.approx(2.365, abs=2e-3)


@pytest.mark.parametrize("powertrain", ["ice", "bev"])
def test_truck_partials_against_complex_step(powertrain):
    prob = om.Problem(reports=False)
    prob.model.add_subsystem("b", BodyComp(style="truck", powertrain_type=powertrain),
                             promotes=["*"])
    prob.setup(force_alloc_complex=True)
    comp = prob.model.b
    for short, name in comp._names.items():
        prob.set_val(name, sample("truck")[short])
    prob.run_model()
    assert prob.get_val("body:volume:bed", units="m**3")[0] == pytest.approx(0.7933, rel=1e-3)
    with np.errstate(all="ignore"):
        data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-6, rtol=1e-8)


@pytest.mark.parametrize("powertrain", ["ice", "bev"])
def test_truck_compiled_matches_reference_over_random_designs(powertrain):
    names = list(pr.parameter_names("truck", powertrain))
    for p in random_parameters("carry_class", "truck", powertrain, 12, seed=5, spread=0.1):
        val, jac = closed_form_compiled(np.array([p[n] for n in names]), "truck", powertrain,
                                        want_grad=True)
        rval, rjac = _reference(p, "truck", powertrain)
        np.testing.assert_allclose(val, rval, rtol=1e-10, atol=0)
        scale = np.maximum(np.abs(rjac).max(1, keepdims=True), 1e-300)
        np.testing.assert_allclose(jac / scale, rjac / scale, rtol=0, atol=1e-10)


def test_truck_export_stl_glb_and_step_names(tmp_path):
    step, stl, glb = tmp_path / "c.step", tmp_path / "c.stl", tmp_path / "c.glb"
    assert main(["export", str(CARRY), "--step", str(step), "--stl", str(stl),
                 "--glb", str(glb)]) == 0
    assert stl.stat().st_size > 10_000 and glb.read_bytes()[:4] == b"glTF"
    names, groups = set(), {}
    stack = [cq.Assembly.importStep(str(step))]
    while stack:
        a = stack.pop()
        for child in a.children:
            if child.obj is not None:
                names.add(child.name)
            else:
                groups[child.name] = {c.name for c in child.children}
            stack.append(child)
    assert names == PARTS | {"fuel_tank"}
    assert groups == {"bed": set(BED_PARTS)}       # the bed: one sub-assembly of 5 plates


@pytest.mark.parametrize("changes,pattern", [
    ({"body.truck.gate_height": 450}, r"gate top at z = 1100 mm .*allowed: deck height \+ gate"),
    ({"body.truck.deck_height": 560}, r"body\.truck\.deck_height = 560 mm leaves no flat deck"),
    ({"body.truck.frame_width": 1090}, r"body\.truck\.frame_width = 1090 mm does not fit"),
    ({"body.floor_thickness": 80}, r"ladder frame .*body\.floor_thickness = 80.*allowed"),
    ({"body.truck.bed_length": 2700}, r"leaving -?\d+ mm of roof"),
])
def test_truck_layout_errors_name_the_parameters(changes, pattern):
    with pytest.raises(InputError, match=pattern) as err:
        layout_from_design(design_with("carry_class", changes))
    assert "\n" not in str(err.value)


def test_cab_back_clearance_is_a_packaging_result_not_an_error():
    """A bed or crush zone that pushes the cab back behind the seat back still makes a
    solid: the clearance goes negative (closed form = CAD) and the packaging criterion
    fails; the optimizer gets a margin instead of an exception."""
    from keidesign.evaluation import evaluate_design, resolve_packs

    base = layout_from_design(load_design(CARRY))
    assert float(closed_form(base.p, "truck", "ice")["body:cab_back_clearance"]) == \
        pytest.approx(3395 - 1940 - 80 - (200 + 200 + 700 + 0 + 250))
    d = design_with("carry_class", {"body.truck.bed_length": 2100})
    lay = layout_from_design(d)                           # no InputError
    cf = closed_form(lay.p, "truck", "ice")
    cad = measure.measure(build_body(lay))
    assert float(cf["body:cab_back_clearance"]) == pytest.approx(-135.0)
    assert cad["body:cab_back_clearance"] == pytest.approx(-135.0, abs=1e-3)
    ev = evaluate_design(d, resolve_packs(["packaging"]))
    rec = {r["id"]: r for r in ev.constraints}["packaging:pack.cab_back_clearance"]
    assert rec["passed"] is False and rec["margin"] == pytest.approx(-135.0)
    car = evaluate_design(load_design(DESIGNS / "nbox_class.toml"), resolve_packs(["packaging"]))
    rec = {r["id"]: r for r in car.constraints}["packaging:pack.cab_back_clearance"]
    assert rec["status"] == "not-applicable"


def test_truck_keys_only_for_the_truck(nbox_text):
    from keidesign.design import parse_design

    bad = nbox_text.replace("[road]", "[body.truck]\nbed_length = 1900\n\n[road]")
    with pytest.raises(InputError, match=r"body\.truck\.bed_length.*body\.style = 'tallboy'"):
        parse_design(bad, "nbox.toml")
