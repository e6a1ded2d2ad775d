"""The render's tail-lamp decals lie on the rear face (geometry.render.decals): inside the
flat face the plan corner and the tumblehome leave at each height, at the bounds of the
tall-boy's tumblehome and rear rake (they floated beside the body before: +/-(W/2 - r -
10) mm whatever the height)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import design_with

from geometry.params import layout_from_design

pytest.importorskip("pyvista")


@pytest.mark.parametrize("stem, changes", [
    ("nbox_class", {}),
    ("nbox_class", {"body.height": 2000, "body.hood_height": 1150, "body.tallboy.tumblehome": 20,
                    "body.tallboy.rear_rake": 30}),
    ("nbox_class", {"body.tallboy.tumblehome": 0, "body.tallboy.rear_rake": 0}),
    ("alto_class", {"body.hatch.tumblehome": 14}),
])
def test_tail_lamps_lie_on_the_rear_face(stem, changes):
    from geometry.render import decals

    lay = layout_from_design(design_with(stem, changes))
    tail = [mesh for mesh, rgb in decals(lay) if rgb[0] > 0.5 and rgb[1] < 0.2]
    assert len(tail) == 2
    W, rr = float(lay.W), float(lay.r_plan_r)
    for mesh in tail:
        for x, y, z in np.asarray(mesh.points):
            face = min(float(lay.half_width(z)), 0.5 * W - rr)
            assert abs(y) <= face - 9.0, (x, y, z, face)


def test_side_window_left_out_is_noted():
    """A valid short two-seat hatch (2200 mm, backlight 5 deg, roof drop 400 mm) has a
    rear side window 25 mm wide at its bottom: the solid leaves it out (pillars merge),
    and the export's notes say so (it was dropped silently); the reference designs keep
    every window."""
    d = design_with("alto_class", {
        "body.length": 2200, "body.seats": 2, "body.couple_distance": 0,
        "body.wheelbase": 1500, "body.front_overhang": 350,
        "crash.front.crush_length": 500, "powertrain.block_length": 350,
        "body.hatch.backlight_rake": 5, "body.hatch.roof_drop": 400})
    lay = layout_from_design(d)
    assert len(lay.windows) == 1 and len(lay.window_candidates) == 2
    (note,) = lay.window_notes
    assert note.startswith("side window 2 of 2") and "25 mm wide at its bottom" in note
    for stem in ("nbox_class", "alto_class", "carry_class"):
        assert layout_from_design(design_with(stem)).window_notes == []
