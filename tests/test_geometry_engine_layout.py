"""The powertrain block placed by ``powertrain.layout`` (geometry.profiles.Layout.
powertrain_box): a rear or mid engine is not drawn in the front crush zone and is not held
to the front block check; the closed form (compiled and reference) agrees with the CAD
solid for every layout; front-engine designs and the cab-over trucks are unchanged."""

from __future__ import annotations

import openmdao.api as om
import pytest
from conftest import design_with
from test_geometry_closed_form import assert_compiled_matches_reference, assert_matches_the_solid

from geometry import profiles as pr
from geometry.params import layout_from_design
from keidesign.body import add_subsystems
from keidesign.errors import InputError


def _lay(stem: str, changes: dict):
    return layout_from_design(design_with(stem, changes))


def test_rear_engine_is_not_in_the_front_crush_zone_nor_held_to_its_check():
    """A rear motor (the Honda e, the i-MiEV) over and behind the rear axle: a crush length
    too short for a front block is accepted (it was refused: 'block_length = 350 mm + 50
    mm gap ... leaves -20 mm'), and the block lies behind the dash."""
    ch = {"powertrain.layout": "rear", "powertrain.block_length": 350,
          "crash.front.crush_length": 380}
    with pytest.raises(InputError, match="block_length"):
        _lay("nbox_class", {**ch, "powertrain.layout": "front"})
    lay = _lay("nbox_class", ch)
    x0, x1 = (float(v) for v in lay.powertrain_box[:2])
    # from the rear axle back, moved forward to end 50 mm inside the rear face
    assert x0 == pytest.approx(min(float(lay.x_rear_axle), float(lay.L) - pr.PT_DASH_GAP - 350))
    assert x1 <= float(lay.L) - pr.PT_DASH_GAP + 1e-9
    assert x0 > float(lay.x_dash) + 1000.0


def test_each_layout_places_the_block_where_it_says():
    base = {"crash.front.crush_length": 800}
    front = _lay("nbox_class", base)
    assert float(front.powertrain_box[1]) == pytest.approx(800.0 - pr.PT_DASH_GAP)
    mid = _lay("nbox_class", {**base, "powertrain.layout": "mid"})
    assert float(mid.powertrain_box[1]) == pytest.approx(float(mid.x_rear_axle))
    under = _lay("nbox_class", {**base, "powertrain.layout": "underfloor"})
    x0, x1 = (float(v) for v in under.powertrain_box[:2])
    assert 0.5 * (x0 + x1) == pytest.approx(float(under.h_point[0]))
    # a short block starts on the rear axle line; a block longer than the rear overhang
    # moves forward to end inside the body
    rear = _lay("nbox_class", {**base, "powertrain.layout": "rear",
                               "powertrain.block_length": 200})
    assert float(rear.powertrain_box[0]) == pytest.approx(float(rear.x_rear_axle))
    rear = _lay("nbox_class", {**base, "powertrain.layout": "rear",
                               "powertrain.block_length": 600})
    assert float(rear.powertrain_box[1]) == pytest.approx(float(rear.L) - pr.PT_DASH_GAP)
    assert float(rear.powertrain_box[0]) < float(rear.x_rear_axle)


def test_trucks_keep_their_cab_over_block():
    """A truck's block stays where its engine_setback puts it, whatever the layout: the
    Carry's and Hijet's 'underfloor' engine under the seats, the Minicab MiEV truck's
    'rear' motor ahead of its rear axle (2250-2600 mm, as before)."""
    lay = _lay("carry_class", {})
    assert lay.engine == "underfloor"
    for layout in pr.ENGINE_LAYOUTS:
        other = pr.Layout(lay.p, "truck", "ice", engine=layout)
        assert float(other.powertrain_box[0]) == pytest.approx(
            float(lay.x_front_axle) + lay.p["engine_setback"])
    minicab = _lay("minicab_ev_truck_class", {})
    assert minicab.engine == "rear"
    assert [round(float(v)) for v in minicab.powertrain_box[:2]] == [2250, 2600]


@pytest.mark.parametrize("stem, layout, changes", [
    ("nbox_class", "rear", {"crash.front.crush_length": 600}),
    ("nbox_class", "rear", {"powertrain.block_length": 200}),
    ("nbox_class", "mid", {}),
    ("nbox_class", "underfloor", {}),
])
def test_layout_closed_form_matches_the_solid_and_the_tape(stem, layout, changes):
    """body:crush_to_powertrain (and every other quantity) of the closed form against
    the CAD solid; the compiled tape of the layout against the dual-number reference."""
    lay = _lay(stem, {**changes, "powertrain.layout": layout})
    assert lay.engine == layout
    assert_matches_the_solid(lay)
    assert_compiled_matches_reference(lay)


def test_model_body_output_follows_the_layout():
    """The model's body:crush_to_powertrain is the CAD's block front for a rear motor."""
    d = design_with("nbox_class", {"powertrain.layout": "rear",
                                   "crash.front.crush_length": 600})
    lay = layout_from_design(d)
    prob = om.Problem(reports=False)
    add_subsystems(prob.model, d)
    prob.setup()
    for name, val in d.values.items():
        try:
            prob.set_val(name, val)
        except (KeyError, TypeError, ValueError):
            pass
    prob.run_model()
    assert prob.get_val("body:crush_to_powertrain")[0] == pytest.approx(
        float(lay.powertrain_box[0]))


@pytest.mark.parametrize(("layout", "clear"), (("front", True), ("mid", False),
                                               ("rear", True)))
def test_export_checks_say_when_the_block_takes_the_tanks_space(layout, clear):
    """A mid engine ends on the rear axle line, over the end of the fuel tank ahead of the
    rear arches (new-user pass s34d: a hand-written mid-engine roadster's 450 mm block took
    94 mm of its tank's length and no check said so); the export's checks now do. A front
    block and a short rear one (on and behind the rear axle) are clear of it."""
    from geometry.cad import build_body
    from geometry.checks import checks

    lay = _lay("alto_class", {"powertrain.layout": layout, "powertrain.drive": "rwd"})
    rec = {r["id"]: r for r in checks(build_body(lay))}
    row = rec["packaging.fuel_tank_clear_of_powertrain"]
    assert row["passed"] is clear
    x0, x1 = (float(v) for v in lay.powertrain_box[:2])
    s0, s1 = (float(v) for v in lay.storage_box[:2])
    assert (min(x1, s1) - max(x0, s0) <= 0.0) is clear   # the boxes' own overlap along x


def test_a_block_over_the_tank_is_hinted_with_the_fields_that_set_it():
    """The export prints a hint under a failed check: for the block over the tank it names
    the fields that move the two apart (the roadster of s34d had no hint to go on)."""
    from geometry.cad import build_body
    from geometry.checks import checks, hint

    lay = _lay("alto_class", {"powertrain.layout": "mid", "powertrain.drive": "rwd"})
    rec = {r["id"]: r for r in checks(build_body(lay))}
    text = hint(rec["packaging.fuel_tank_clear_of_powertrain"])
    for field in ("powertrain.block_length", "powertrain.ice.fuel_tank", "body.wheelbase"):
        assert field in text, text
    front = _lay("alto_class", {})
    ok = {r["id"]: r for r in checks(build_body(front))}
    assert hint(ok["packaging.fuel_tank_clear_of_powertrain"]) == ""
