"""CadQuery bodies: named single-solid parts, bounding box = requested L x W x H."""

from __future__ import annotations

import pytest
from conftest import DESIGNS

from geometry import measure
from geometry.cad import build_body
from geometry.checks import assembly_bbox, checks, part_bboxes
from geometry.closed_form import closed_form
from geometry.params import layout_from_design
from keidesign import units as ku
from keidesign import variables as reg
from keidesign.design import load_design
from keidesign.evaluation import resolve_packs

PARTS = {"body_shell", "greenhouse", "crush_zone", "occupant_cell", "powertrain",
         "wheel_fl", "wheel_fr", "wheel_rl", "wheel_rr"}


def kei_variant(stem: str, L: float, W: float, H: float):
    """A reference design stretched to L x W x H (mm), the rest scaled to stay valid."""
    d = load_design(DESIGNS / f"{stem}.toml")
    st = d["body:style"]
    f = 0.165 * L
    rear = 0.115 * L
    ch = {"body:length": L, "body:width": W, "body:height": H,
          "body:front_overhang": f, "body:wheelbase": L - f - rear,
          "body:track_front": W - 175.0, "body:track_rear": W - 175.0,
          "crash:front:crush_length": 0.235 * L,
          "body:hood_height": (0.58 if st == "tallboy" else 0.59) * H,
          f"body:{st}:belt_height": (0.56 if st == "tallboy" else 0.61) * H}
    return d.replace(**ch)


# the kei range: length 3.0-3.4 m, width 1.35-1.48 m, height per style
GRID = [("nbox_class", 3000.0, 1350.0, 1600.0), ("nbox_class", 3400.0, 1480.0, 2000.0),
        ("sakura_class", 3000.0, 1480.0, 2000.0), ("sakura_class", 3400.0, 1350.0, 1650.0),
        ("alto_class", 3000.0, 1350.0, 1400.0), ("alto_class", 3400.0, 1480.0, 1650.0),
        ("mirage_class", 3000.0, 1480.0, 1500.0), ("mirage_class", 3400.0, 1350.0, 1450.0)]


@pytest.mark.parametrize("stem,L,W,H", GRID, ids=lambda v: str(v))
def test_bounding_box_is_the_requested_size(stem, L, W, H):
    body = build_body(layout_from_design(kei_variant(stem, L, W, H)))
    lo, hi = assembly_bbox(body)
    size = hi - lo
    assert abs(size[0] - L) < 0.5 and abs(size[1] - W) < 0.5 and abs(size[2] - H) < 0.5, size
    assert abs(lo[0]) < 0.5 and abs(lo[2]) < 0.5 and abs(lo[1] + hi[1]) < 0.5   # frame
    for name, solid in body.parts.items():
        assert solid.isValid(), name
        assert len(solid.Solids()) == 1, name


@pytest.mark.parametrize("stem", ["nbox_class", "alto_class", "mirage_class", "sakura_class"])
def test_reference_parts_and_envelope_checks(stem):
    d = load_design(DESIGNS / f"{stem}.toml")
    body = build_body(layout_from_design(d))
    storage = "battery" if d.powertrain_type == "bev" else "fuel_tank"
    assert set(body.parts) == PARTS | {storage}
    # packaging volumes lie inside the envelope (exact boxes: OCC's default box is up to
    # ~1 mm loose once a solid is tessellated, e.g. by an export test run before)
    env = [measure._extent(body.envelope, axis) for axis in (0, 2)]
    boxes = part_bboxes(body)
    for name in ("crush_zone", "occupant_cell", "powertrain", storage):
        lo, hi = boxes[name]
        for (e0, e1), a, b in zip(env, lo[[0, 2]], hi[[0, 2]], strict=True):
            assert e0 - 1e-6 <= a and b <= e1 + 1e-6, name
    recs = {r["id"]: r for r in checks(body, resolve_packs(d.rules))}
    length = recs["kei-japan:kei.length.solid"]
    assert length["value"] == pytest.approx(d["body:length"], abs=0.5)
    # the Mirage is a US car: wider than a kei, reported as a negative margin
    assert recs["kei-japan:kei.width.solid"]["passed"] is (stem != "mirage_class")
    for key in ("packaging.headroom_95m", "packaging.legroom_95m",
                "packaging.side_crush_space", "packaging.powertrain_width"):
        assert recs[key]["passed"], (stem, recs[key])
    # every record names a registered quantity in units of its kind (the store's ends
    # carried body:volume:energy_storage, m**3, with mm values until 6 Dec 2026), and the
    # store's ends are the closed form's
    for r in recs.values():
        assert ku.compatible(reg.get(r["quantity"]).units, r["units"]), r
    closed = closed_form(body.layout.p, body.layout.style, body.layout.powertrain,
                         body.layout.placement, body.layout.engine)
    for end in ("front", "rear"):
        r = recs[f"packaging.{storage}_{end}"]
        q = f"body:storage_{end}_from_front_axle"
        assert r["quantity"] == q and r["value"] == pytest.approx(float(closed[q]), abs=1e-3)


def test_rebuild_reuses_cached_stages():
    from geometry import cad

    d = load_design(DESIGNS / "nbox_class.toml")
    a = build_body(layout_from_design(d))
    b = build_body(layout_from_design(d.replace(**{"powertrain:block_length": 400.0})))
    assert b.envelope is a.envelope and b.parts["body_shell"] is a.parts["body_shell"]
    assert b.parts["powertrain"].Volume() < a.parts["powertrain"].Volume()
    assert "envelope" in cad._CACHES
