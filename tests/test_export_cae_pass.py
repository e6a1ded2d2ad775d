"""A CAE engineer's pass on ``keidesign export`` (s37j, 7 Dec 2026): what a mesher or
crash-solver user found on re-importing the files, each fixed and checked here."""

from __future__ import annotations

import json
import struct

import pytest
from conftest import DESIGNS
from test_geometry_export import _leaves

from keidesign.cli import main


def _glb_json(path) -> dict:
    data = path.read_bytes()
    assert data[:4] == b"glTF"
    n = struct.unpack("<I", data[12:16])[0]
    return json.loads(data[20:20 + n])


def _glb_extent(doc: dict) -> tuple[list[float], list[float]]:
    """Min and max of every VEC3 POSITION accessor, in the file's own (node) frame:
    the root node's rotation and scale are applied to the corners (as a viewer does)."""
    import numpy as np

    pos = {p["attributes"]["POSITION"] for m in doc["meshes"] for p in m["primitives"]}
    lo = np.min([doc["accessors"][i]["min"] for i in pos], axis=0)
    hi = np.max([doc["accessors"][i]["max"] for i in pos], axis=0)
    corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1])
                        for z in (lo[2], hi[2])])
    for node in doc["nodes"]:          # the root (a node that is no one's child)
        if any(node is not n and doc["nodes"].index(node) in n.get("children", ())
               for n in doc["nodes"]):
            continue
        if "scale" in node:
            corners = corners * np.asarray(node["scale"])
        if "rotation" in node:
            from scipy.spatial.transform import Rotation

            corners = Rotation.from_quat(node["rotation"]).apply(corners)
        break
    return corners.min(axis=0).tolist(), corners.max(axis=0).tolist()


def test_glb_is_in_metres_and_y_up(tmp_path):
    """glTF 2.0 is metres, +Y up (Khronos glTF 2.0 spec, 3.4 "Coordinate System and
    Units"); the sidecar said "glb": "m" but the GLB held millimetres (a 3,395 m long
    N-Box in every viewer): CadQuery's exportGLTF rotates Z-up to Y-up and does not
    scale. The car's length (x, rearward) must be 3.395 m, its height on +y."""
    glb = tmp_path / "n.glb"
    assert main(["export", str(DESIGNS / "nbox_class.toml"), "--glb", str(glb)]) == 0
    lo, hi = _glb_extent(_glb_json(glb))
    side = json.loads(glb.with_suffix(".json").read_text())
    length = side["parameters"]["body:length"]["value"] / 1000.0
    height = side["parameters"]["body:height"]["value"] / 1000.0
    assert hi[0] - lo[0] == pytest.approx(length, abs=2e-3)
    assert hi[1] - lo[1] == pytest.approx(height, abs=2e-3)      # up is +y in glTF
    assert lo[1] == pytest.approx(0.0, abs=2e-3)                 # ground at y = 0
    assert side["units"]["glb"] == "m"


def test_sidecar_states_the_frame_origin_and_every_files_units(tmp_path):
    """The sidecar said the axes in one sentence ("x rearward from the front bumper
    face, ...") with no convention, handedness, ground definition or the GLB's frame, and
    its units had no entry for the STL (a format without units). Checked against the
    geometry: x = 0 at the body's front, the left wheels at -y, the tyres on z = 0."""
    step, stl = tmp_path / "n.step", tmp_path / "n.stl"
    assert main(["export", str(DESIGNS / "nbox_class.toml"), "--step", str(step),
                 "--stl", str(stl)]) == 0
    doc = json.loads(step.with_suffix(".json").read_text())
    assert doc["units"]["stl"] == "mm" and doc["units"]["step"] == "mm"
    cs = doc["coordinate_system"]
    assert "J1100" in cs["convention"] and cs["right_handed"] is True
    assert {"x", "y", "z", "step", "stl", "glb"} <= set(cs)
    assert "(x, z, -y) / 1000" in cs["glb"]
    parts = doc["parts"]
    assert min(p["bbox_mm"][0][0] for p in parts.values()) == pytest.approx(0.0, abs=1e-6)
    assert parts["wheel_fl"]["bbox_mm"][1][1] < 0 < parts["wheel_fr"]["bbox_mm"][0][1]
    assert min(p["bbox_mm"][0][2] for p in parts.values()) == pytest.approx(0.0, abs=1e-6)
    import pyvista as pv

    x0, x1, y0, y1, z0, z1 = pv.read(str(stl)).bounds            # the STL is in mm too
    assert x1 - x0 == pytest.approx(doc["parameters"]["body:length"]["value"], abs=1.0)
    assert z0 == pytest.approx(0.0, abs=1.0)


def test_sidecar_lists_the_parts_that_share_volume(tmp_path, capsys):
    """Re-importing the N-Box STEP, a mesher user found seven part pairs sharing volume,
    one of them not by construction (the fuel tank rises 170 mm through the occupant
    cell's floor plane, 0.026 m**3) and the sidecar said none. It lists every pair now,
    each volume the common of the re-imported solids; touching parts (crush zone and
    occupant cell meet at the dash panel plane, the wheels sit in their arches) are not
    listed; the export prints the partial ones."""
    import cadquery as cq

    step = tmp_path / "n.step"
    assert main(["export", str(DESIGNS / "nbox_class.toml"), "--step", str(step)]) == 0
    out = capsys.readouterr().out
    doc = json.loads(step.with_suffix(".json").read_text())
    found = {tuple(sorted(o["parts"])): o for o in doc["interferences"]}
    leaves = _leaves(cq.Assembly.importStep(str(step)))
    for (a, b), rec in found.items():
        vol = leaves[a].intersect(leaves[b]).Volume() * 1e-9
        assert rec["volume_m3"] == pytest.approx(vol, rel=1e-4), (a, b)
    tank = found[("fuel_tank", "occupant_cell")]
    # the tank under the rear seat, through the cell's floor plane: the layout's (s37l)
    assert tank["kind"] == "under_rear_seat" and 0.1 < tank["share_of_smaller"] < 0.99
    assert tank["volume_m3"] == pytest.approx(0.0261, abs=5e-4)
    assert found[("crush_zone", "powertrain")]["kind"] == "contained"
    assert found[("body_shell", "occupant_cell")]["kind"] == "envelope"
    assert ("crush_zone", "occupant_cell") not in found
    assert not any("wheel" in a or "wheel" in b for a, b in found)
    assert sum(o["kind"] == "partial" for o in found.values()) == 0
    line = next(s for s in out.splitlines() if s.startswith("overlaps:"))
    assert f"{len(found)} by construction or layout, 0 partial;" in line, line


@pytest.mark.parametrize("name", sorted(p.stem for p in DESIGNS.glob("*.toml")))
def test_reference_exports_have_no_partial_interference(name):
    """s37j's sidecar listed the N-Box's fuel tank rising 170 mm (77 %) through the
    occupant cell's floor plane and the Hijet's engine in the cab as ``partial``. Both are
    the closed form's layout (the CAD tank is :attr:`Layout.storage_box`: its volume is the
    closed form's to 1e-6; the cell the closed form's, above ``z_floor``): the tank sits
    under the rear seat cushion, the truck's engine under the seats, its frame in the crush
    zone; each pair now says so, and no reference design has a partial overlap."""
    from geometry.closed_form import closed_form
    from geometry.export import build, interferences
    from keidesign.design import load_design

    body = build(load_design(DESIGNS / f"{name}.toml"))
    found = {tuple(sorted(o["parts"])): o["kind"] for o in interferences(body)}
    assert "partial" not in found.values(), found
    lay = body.layout
    if lay.style == "truck":
        assert found[("crush_zone", "frame")] == "frame_in_crush_zone"
        assert ("fuel_tank", "occupant_cell") not in found      # the tank is under the bed
    if lay.style == "truck" and lay.powertrain == "ice":        # Carry, Hijet
        assert found[("occupant_cell", "powertrain")] == "cab_over_engine"
    if lay.style != "truck" and lay.powertrain == "ice":        # Alto, Mirage, N-Box
        assert found[("fuel_tank", "occupant_cell")] == "under_rear_seat"
    cf = closed_form(lay.p, lay.style, lay.powertrain, lay.placement, lay.engine)
    assert body.parts[lay.storage_name].Volume() == pytest.approx(
        float(cf["body:volume:energy_storage"]), rel=1e-6)


def test_a_tank_out_from_under_the_rear_seat_stays_partial():
    """The kind is granted by the layout's geometry, not by the pair's names: the N-Box's
    rear seat 220 mm lower (its H-point below the tank top) or the rear H-point moved 300 mm
    back (the tank ahead of the cushion, in the rear foot well) is a real clash."""
    from geometry.export import layout_kind
    from geometry.params import layout_from_design
    from geometry.profiles import Layout
    from keidesign.design import load_design

    lay = layout_from_design(load_design(DESIGNS / "nbox_class.toml"))
    assert layout_kind(lay, "occupant_cell", "fuel_tank") == "under_rear_seat"
    back = Layout({**lay.p, "l50": lay.p["l50"] + 300.0}, lay.style, lay.powertrain)
    assert layout_kind(back, "occupant_cell", "fuel_tank") is None
    low = Layout({**lay.p, "h30": 150.0}, lay.style, lay.powertrain)   # H-point 220 mm lower
    assert float(low.storage_box[4]) > float(low.rear_h_point[1])
    assert layout_kind(low, "occupant_cell", "fuel_tank") is None
    assert layout_kind(lay, "occupant_cell", "powertrain") is None      # not a truck


def _longest_black_run(img) -> int:
    """Longest horizontal run of pure black (0, 0, 0) pixels in any row."""
    import numpy as np

    black = (img == 0).all(axis=2)
    best = 0
    for row in black:
        if row.any():
            d = np.diff(np.r_[0, row.astype(int), 0])
            best = max(best, int((np.nonzero(d == -1)[0] - np.nonzero(d == 1)[0]).max()))
    return best


@pytest.mark.parametrize("view,dim", [("side", "body:length"), ("front", "body:width")])
def test_side_and_front_views_carry_a_1_m_scale_bar(view, dim, tmp_path):
    """The side and front PNGs (parallel projection) had no scale: nothing to read a
    length off. A 1 m bar is drawn in a corner clear of the car: its length in pixels
    is 1000 mm at the scale of the car itself (the red body's extent = the body's length
    or width), and it covers no part (the same view without it is white there)."""
    import numpy as np
    from PIL import Image

    from geometry.export import build
    from geometry.render import render_views
    from keidesign.design import load_design

    design = load_design(DESIGNS / "nbox_class.toml")
    body = build(design)
    size = (900, 525)
    (with_,) = render_views(body, tmp_path / "a", "n", views=[view], size=size)
    (without,) = render_views(body, tmp_path / "b", "n", views=[view], size=size,
                              legend=False)
    a = np.asarray(Image.open(with_).convert("RGB")).astype(int)
    b = np.asarray(Image.open(without).convert("RGB")).astype(int)
    assert b.shape == (size[1], size[0], 3) and a.shape[1:] == b.shape[1:]
    if a.shape[0] > b.shape[0]:          # no corner was clear: a white band below
        b = np.concatenate([b, np.full((a.shape[0] - b.shape[0], *b.shape[1:]), 255)])
    red = (b[..., 0] > 90) & (b[..., 0] > 2 * b[..., 1] + 20)
    cols = np.nonzero(red.any(axis=0))[0]
    px_per_mm = (cols.max() - cols.min() + 1) / design.values[dim]
    assert _longest_black_run(a) == pytest.approx(1000.0 * px_per_mm, rel=0.03)
    assert _longest_black_run(b) < 0.5 * 1000.0 * px_per_mm       # not the car's own
    diff = (a != b).any(axis=2)
    rows, cols = np.nonzero(diff)
    box = (slice(rows.min(), rows.max() + 1), slice(cols.min(), cols.max() + 1))
    assert (b[box] == 255).all(), "the scale bar covers part of the car"


def test_step_header_names_the_design_units_frame_and_sidecar(tmp_path):
    """OCCT's header said 'Open CASCADE Model', 'Open CASCADE Shape Model', author
    'Author', originating system 'Open CASCADE 7.9': a STEP file apart from its sidecar
    told a CAE user neither the design, the units' frame nor the tool. The header now
    says them (ISO 10303-21 FILE_DESCRIPTION / FILE_NAME), and the file still reads
    back part by part; a design name with an apostrophe and a non-ASCII character is
    written as a valid STEP string."""
    import cadquery as cq

    from keidesign import __version__

    src = (DESIGNS / "nbox_class.toml").read_text()
    (tmp_path / "d.toml").write_text(src)
    step = tmp_path / "out" / "n.step"
    assert main(["export", str(tmp_path / "d.toml"), "--step", str(step)]) == 0
    head = step.read_text()[:3000].split("ENDSEC;")[0]
    assert "Open CASCADE Model" not in head and "'Author'" not in head
    assert "FILE_NAME('n.step'," in head and f"'keidesign {__version__}'" in head
    for words in ("lengths in mm", "SAE J1100", "X rearward", "sidecar: n.json"):
        assert words in head, words
    leaves = _leaves(cq.Assembly.importStep(str(step)))
    assert "crush_zone" in leaves and len(leaves) == 10
    from geometry.export import _step_str

    assert _step_str("Kei's \u00e9 car\\") == "'Kei''s ? car\\\\'"


def test_sidecar_gives_each_parts_step_path_and_centroid(tmp_path):
    """The truck's bed plates are one level down in the STEP (gmsh: "carry_class/bed/
    bed_deck") while the sidecar keyed them by leaf name with no path, and no part had a
    centroid (where a crash model hangs a part's lumped mass): each part now has its
    STEP product path and volume centroid, checked against the re-imported file."""
    import cadquery as cq

    step = tmp_path / "c.step"
    assert main(["export", str(DESIGNS / "carry_class.toml"), "--step", str(step)]) == 0
    doc = json.loads(step.with_suffix(".json").read_text())
    paths = {}

    def walk(assy, prefix):
        for child in assy.children:
            here = f"{prefix}/{child.name}"
            if child.obj is not None:
                paths[child.name] = (here, child.obj)
            walk(child, here)

    top = cq.Assembly.importStep(str(step))
    walk(top, top.name)
    assert set(paths) == set(doc["parts"])
    for name, rec in doc["parts"].items():
        here, shape = paths[name]
        assert rec["step_path"] == here, name
        assert rec["centroid_mm"] == pytest.approx(list(shape.Center().toTuple()),
                                                   abs=1e-3), name
    assert doc["parts"]["bed_deck"]["step_path"] == "carry_class/bed/bed_deck"
    assert doc["units"]["centroid_mm"] == "mm"
