"""``keidesign export``: STEP round trip (names, volumes, mm), sidecar, gmsh meshing."""

from __future__ import annotations

import json

import cadquery as cq
import numpy as np
import pytest
from conftest import DESIGNS, REFERENCE_DESIGNS

from geometry.export import SCHEMA
from keidesign import __version__
from keidesign import variables as reg
from keidesign.cli import main
from keidesign.design import load_design


def _leaves(assy: cq.Assembly) -> dict[str, cq.Shape]:
    out = {}
    for child in assy.children:
        if child.obj is not None:
            out[child.name] = child.obj
        out.update(_leaves(child))
    return out


@pytest.mark.parametrize("path", REFERENCE_DESIGNS, ids=lambda p: p.stem)
def test_export_step_round_trip(path, tmp_path, capsys):
    step = tmp_path / f"{path.stem}.step"
    assert main(["export", str(path), "--step", str(step)]) == 0
    out = capsys.readouterr().out
    assert "step" in out and "checks:" in out
    doc = json.loads(step.with_suffix(".json").read_text())
    assert doc["schema"] == SCHEMA and doc["keidesign_version"] == __version__
    assert doc["units"]["step"] == "mm"
    d = load_design(path)
    assert doc["parameters"]["body:length"] == {"value": d["body:length"], "units": "mm"}
    assert doc["derived"]["body:frontal_area"]["units"] == "m**2"
    # re-import: every part by name, one solid each, same volume (mm^3)
    leaves = _leaves(cq.Assembly.importStep(str(step)))
    assert set(leaves) == set(doc["parts"])
    for name, shape in leaves.items():
        assert len(shape.Solids()) == 1, name
        assert shape.Volume() * 1e-9 == pytest.approx(doc["parts"][name]["volume_m3"],
                                                      rel=1e-6), name
    bb = leaves["body_shell"].BoundingBox()
    assert bb.xlen == pytest.approx(d["body:length"], abs=0.5)     # millimetres


def test_stl_glb_and_gmsh_meshes_the_crush_zone(tmp_path):
    gmsh = pytest.importorskip("gmsh")
    src = DESIGNS / "nbox_class.toml"
    step, stl, glb = tmp_path / "n.step", tmp_path / "n.stl", tmp_path / "n.glb"
    assert main(["export", str(src), "--step", str(step), "--stl", str(stl),
                 "--glb", str(glb), "--json", str(tmp_path / "meta.json")]) == 0
    assert stl.stat().st_size > 10_000 and glb.read_bytes()[:4] == b"glTF"
    doc = json.loads((tmp_path / "meta.json").read_text())
    gmsh.initialize()
    try:
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.model.occ.importShapes(str(step))
        gmsh.model.occ.synchronize()
        names = {tag: gmsh.model.getEntityName(3, tag) for _, tag in
                 gmsh.model.getEntities(3)}
        crush = [t for t, n in names.items() if n.split("/")[-1] == "crush_zone"]
        assert len(crush) == 1, names
        vol = gmsh.model.occ.getMass(3, crush[0])
        assert vol * 1e-9 == pytest.approx(doc["parts"]["crush_zone"]["volume_m3"], rel=1e-6)
        gmsh.model.occ.remove([(3, t) for t in names if t != crush[0]], recursive=True)
        gmsh.model.occ.synchronize()
        gmsh.option.setNumber("Mesh.MeshSizeMin", 20.0)
        gmsh.option.setNumber("Mesh.MeshSizeMax", 80.0)
        gmsh.model.mesh.generate(3)
        _, tags, _ = gmsh.model.mesh.getElements(3)
        n_tets = sum(len(t) for t in tags)
        assert n_tets > 1000
    finally:
        gmsh.finalize()


def test_render_on_a_headless_machine_says_nothing_on_stderr(tmp_path):
    """`keidesign export --render` without a display printed VTK's coloured "bad X server
    connection. DISPLAY=" warning line (the review's scenes had it silenced; the export's
    renders did not): the renders go off-screen with VTK's log limited to errors. Run in
    a fresh process (the setting is VTK's global), with DISPLAY unset."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    code = ("import sys\nfrom geometry.export import build\nfrom geometry.render import "
            "render_views\nfrom keidesign.design import load_design\n"
            "paths = render_views(build(load_design(sys.argv[1])), sys.argv[2], 'nbox', "
            "views=['side'], size=(400, 240))\nprint(len(paths))\n")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "PYVISTA_OFF_SCREEN")}
    env["PYTHONPATH"] = str(ROOT)
    run = subprocess.run([sys.executable, "-c", code, str(DESIGNS / "nbox_class.toml"),
                          str(tmp_path)], capture_output=True, text=True, env=env,
                         timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    assert "nbox_side.png" in pngs and run.stdout.strip() == str(len(pngs)), pngs
    assert "X server" not in run.stderr and "WARN" not in run.stderr, run.stderr[-2000:]


def test_sidecar_carries_the_crash_structure(tmp_path):
    """The STEP draws no crash member (rails, crash boxes, bumper beam, pillars: the parts
    are packaging volumes), so the sidecar carries every crash key of the design with
    its units for a crash mesh; it carried crash.front.crush_length only."""
    src = DESIGNS / "sakura_class_us.toml"
    step = tmp_path / "s.step"
    assert main(["export", str(src), "--step", str(step)]) == 0
    doc = json.loads(step.with_suffix(".json").read_text())
    d = load_design(src)
    crash = {k: v for k, v in d.values.items() if k.startswith("crash:")}
    assert len(crash) > 30
    for name, value in crash.items():
        assert doc["parameters"][name] == {"value": value, "units": reg.get(name).units}, name
    assert doc["parameters"]["crash:front:material"]["value"] == "dp_780"
    assert doc["parameters"]["crash:front:wall_thickness"] == {"value": 2.4, "units": "mm"}
    assert doc["parameters"]["crash:side:b_pillar_thickness"]["value"] == 2.0
    assert not any(k in doc["parts"] for k in ("rail", "crash_box", "bumper_beam"))


def test_sidecar_says_what_each_derived_quantity_is(tmp_path):
    """A CAE engineer re-importing the STEP of an Alto Works import (new-user pass s36d)
    found the `greenhouse` part at 1.06 m**3 and the sidecar's derived
    body:volume:greenhouse at 1.30 m**3, with nothing saying they differ by definition:
    the part is the glazing, the derived volume the envelope above the belt line (pillars
    and roof of the body_shell included). Each derived quantity now carries the
    registry's description, and that one is the sum it says."""
    src = DESIGNS / "alto_class.toml"
    step = tmp_path / "a.step"
    assert main(["export", str(src), "--step", str(step)]) == 0
    doc = json.loads(step.with_suffix(".json").read_text())
    for name, rec in doc["derived"].items():
        assert rec["description"] == reg.get(name).desc and rec["description"], name
    gh = doc["derived"]["body:volume:greenhouse"]
    assert gh["description"] == "Envelope volume above the belt line"
    leaves = _leaves(cq.Assembly.importStep(str(step)))
    belt = doc["parameters"]["body:hatch:belt_height"]["value"]
    above = cq.Solid.makeBox(6000, 3000, 3000, cq.Vector(-1000, -1500, belt))
    vol = sum(leaves[n].intersect(above).Volume() for n in ("body_shell", "greenhouse"))
    assert vol * 1e-9 == pytest.approx(gh["value"], rel=2e-3)
    assert doc["parts"]["greenhouse"]["volume_m3"] < 0.95 * gh["value"]


_EV_FROM_THE_DOCS = """\
[design]
name = "two-seat-ev"
model_year = 2027

[body]
style = "hatch"
seats = 2
length = 3395
width = 1475
height = 1550
wheelbase = 2300
track_front = 1300
track_rear = 1290
front_overhang = 560
battery_placement = "underfloor"

[crash.front]
crush_length = 650
rail_width = 70
rail_height = 100
wall_thickness = 1.8
material = "dp_590"

[powertrain]
type = "bev"

[powertrain.bev]
battery_energy = 20
motor_power = 47
motor_torque = 195

[mass]
market = "us"

[road]
cd = 0.34
"""


def test_a_failed_powertrain_check_names_the_envelope_fields(tmp_path, capsys):
    """A BEV written from the docs (s33f) keeps the engine-sized envelope defaults and
    fails packaging.powertrain_under_hood: the export says which two fields set it; with
    a drive unit of its own size (the Minicab MiEV truck class's 500 x 350 mm) it passes
    and no hint is printed."""
    src = tmp_path / "ev.toml"
    src.write_text(_EV_FROM_THE_DOCS)
    assert main(["export", str(src), "--step", str(tmp_path / "ev.step")]) == 0
    out = capsys.readouterr().out
    assert "below bound: packaging.powertrain_under_hood" in out
    hints = [line for line in out.splitlines() if line.startswith("hint  ")]
    assert len(hints) == 1
    assert "packaging.powertrain_under_hood" in hints[0]
    assert "body.powertrain_height (default 550 mm)" in hints[0]
    assert "body.powertrain_width (default 950 mm)" in hints[0]
    own = tmp_path / "ev_own.toml"
    own.write_text(_EV_FROM_THE_DOCS.replace(
        'battery_placement = "underfloor"',
        'battery_placement = "underfloor"\npowertrain_width = 500\npowertrain_height = 350'))
    assert main(["export", str(own), "--step", str(tmp_path / "ev_own.step")]) == 0
    out = capsys.readouterr().out
    assert "below bound" not in out.replace("(0 below bound)", "")
    assert "hint" not in out


@pytest.mark.parametrize("stem", [p.stem for p in REFERENCE_DESIGNS])
def test_xray_legend_names_every_colour_and_covers_no_part(stem, tmp_path):
    """The x-ray PNG had no colour legend (s33f): it has one, part name -> colour, each
    swatch in the part's exact colour with its label in black, in a corner clear of every
    part's projected extent (the ground's too): the same view without the legend is pure
    background under it. Until s34c it sat in the upper-left corner whatever the car, and
    the kei truck's cab reached under it in one full-suite run; every reference design."""
    from PIL import Image

    from geometry.export import build
    from geometry.render import render_views, xray_legend

    body = build(load_design(DESIGNS / f"{stem}.toml"))
    size = (900, 525)
    (with_,) = render_views(body, tmp_path / "with", stem, views=["xray"], size=size)
    (without,) = render_views(body, tmp_path / "without", stem, views=["xray"], size=size,
                              legend=False)
    a = np.asarray(Image.open(with_).convert("RGB")).astype(int)
    b = np.asarray(Image.open(without).convert("RGB")).astype(int)
    assert a.shape == b.shape == (size[1], size[0], 3)   # a corner was clear: no band
    diff = (a != b).any(axis=2)
    # the legend is the largest block of changed pixels: its box, found in the corner
    # quadrant that holds most of them
    quads = [(slice(0, size[1] // 2), slice(0, size[0] // 2)),
             (slice(0, size[1] // 2), slice(size[0] // 2, None)),
             (slice(size[1] // 2, None), slice(0, size[0] // 2)),
             (slice(size[1] // 2, None), slice(size[0] // 2, None))]
    quad = max(quads, key=lambda q: diff[q].sum())
    corner = np.zeros_like(diff)
    corner[quad] = True
    rows, cols = np.nonzero(diff & corner)
    assert rows.size > 1000, "no legend drawn"
    box = (slice(rows.min(), rows.max() + 1), slice(cols.min(), cols.max() + 1))
    # two renders of one scene may differ by a few pixels of the translucent car when
    # the machine is loaded (seen once in the full suite at -n 2: a difference at row
    # 472), never by a legend's worth
    assert (diff & ~corner).sum() < 0.002 * diff.size, "legend outside its corner"
    assert (b[box] == 255).all(), "the legend covers part of the car or the ground"
    items = xray_legend(body.parts)
    labels = [label for label, _ in items]
    design = load_design(DESIGNS / f"{stem}.toml")
    assert ("battery" in labels) == (design.powertrain_type == "bev")
    assert ("bed" in labels and "frame" in labels) == (design.values["body:style"] == "truck")
    inside = a[box]
    for label, rgb in items:
        exact = (inside == np.round(255 * np.array(rgb))).all(axis=2).sum()
        assert exact >= 64, f"no swatch of {label!r} in the legend"
    assert (inside.max(axis=2) < 60).sum() > 200, "no black label text"


def test_xray_legend_goes_to_the_first_clear_corner_or_above_the_view():
    """The legend's place depends on the parts' projected boxes alone: the upper-left
    corner when it is clear, else upper-right, lower-left, lower-right; when every corner
    is covered, a white band is added above the view and the legend drawn there (the
    view below it unchanged)."""
    from geometry.render import legend_corner, legend_size, place_legend

    items = [("crush zone", (1.0, 0.5, 0.0)), ("occupant cell", (0.2, 0.5, 0.8))]
    shape = (525, 900, 3)
    w, h = legend_size(shape[0], items)
    assert legend_corner(shape, [], (w, h)) == (8, 8)
    left = (0, 0, w + 8, 200)                  # reaches the upper-left legend
    assert legend_corner(shape, [left], (w, h)) == (900 - 8 - w, 8)
    top = (0, 0, 899, 200)
    assert legend_corner(shape, [top], (w, h)) == (8, 525 - 8 - h)
    assert legend_corner(shape, [top, (0, 300, 100, 524)], (w, h)) == (900 - 8 - w,
                                                                         525 - 8 - h)
    img = np.full(shape, 40, dtype=np.uint8)
    out = place_legend(img, items, [(0, 0, 899, 524)])
    assert out.shape == (525 + h + 16, 900, 3)
    assert (out[h + 16:] == img).all()             # the view itself untouched
    band = out[: h + 16]
    assert (band[:8] == 255).all() and (band[-8:] == 255).all()   # a white band
    assert (band.max(axis=2) < 60).sum() > 50                     # the legend's text on it
