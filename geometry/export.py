"""STEP (CAE), STL and GLB (viewers) export of a design's body, with a JSON sidecar.

The STEP file is an assembly: one product per part (names of :mod:`geometry.cad`,
one solid each, coloured), lengths in millimetres. The JSON sidecar
(``schema = "keidesign.geometry/1"``) records the keidesign version, the design, every
design parameter with its units, the parts (volume, bounding box), the closed-form
derived quantities, the envelope/packaging checks and the files written.
"""

from __future__ import annotations

import errno
import json
import re
import time
from pathlib import Path
from typing import Any

import numpy as np

from geometry import profiles as pr
from geometry.cad import BED_PARTS, build_body
from geometry.checks import checks, part_bboxes
from geometry.closed_form import closed_form, outputs
from geometry.params import layout_from_design
from keidesign import __version__
from keidesign import variables as reg
from keidesign.errors import InputError, show_path
from keidesign.outpaths import file_folder, replace_file

__all__ = ["LAYOUT_KINDS", "SCHEMA", "build", "export", "interferences", "layout_kind", "sidecar"]

SCHEMA = "keidesign.geometry/1"

#: units of every file and sidecar field (the sidecar had no entry for the STL, whose
#: format carries no unit, nor for the parts' volumes; s37j)
UNITS = {"length": "mm", "step": "mm", "stl": "mm", "glb": "m", "volume_m3": "m**3",
         "bbox_mm": "mm", "centroid_mm": "mm"}

#: the body's frame, in the sidecar: axis directions of SAE J1100's vehicle grid (X
#: positive rearward, Y positive to the vehicle's right, Z positive up; right-handed;
#: status A: J1100's text not read here), its origin this package's own (J1100 lets the
#: maker place the zero planes). The wheels stand on z = 0 at the unladen design
#: position (tyre radius from the tyre size, no suspension deflection). The GLB is in
#: glTF 2.0's frame (+Y up, metres). The sidecar said the directions and origin in one
#: sentence, naming no convention, no handedness and not the GLB's frame (s37j).
COORDINATE_SYSTEM = {
    "convention": "SAE J1100 axis directions (X rearward, Y right, Z up), right-handed",
    "x": "positive rearward; x = 0 at the foremost point of the body (front bumper face)",
    "y": "positive to the vehicle's right (seen from the driver's seat); y = 0 on the "
         "vehicle centreline (left wheels at -y)",
    "z": "positive up; z = 0 on the ground plane under the tyres (unladen, no suspension "
         "deflection)",
    "right_handed": True,
    "step": "as above, mm",
    "stl": "as above, mm",
    "glb": "glTF 2.0 frame, metres: glTF (x, y, z) = (x, z, -y) / 1000",
}


def build(design: Any):
    """Check the design's layout and build its body (cached by parameters)."""
    lay = layout_from_design(design)
    try:
        return build_body(lay)
    except (RuntimeError, ValueError) as exc:  # OCC failed on a layout the checks passed
        raise InputError(f"{design.path}: the body parameters passed the layout checks but "
                         f"the CAD kernel could not build the solid ({exc}); allowed: "
                         f"parameters nearer the reference designs") from None


def _assembly_name(design: Any) -> str:
    stem = Path(str(design.path)).stem or "kei_body"
    return re.sub(r"[^A-Za-z0-9_]+", "_", stem)


def _step_str(text: str) -> str:
    """A STEP (ISO 10303-21) string literal of ``text``: printable ASCII (others '?'),
    apostrophes and backslashes doubled, at most 256 characters."""
    text = "".join(c if " " <= c <= "~" else "?" for c in text)[:256]
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


_STR = r"'(?:[^']|'')*'"
_FILE_NAME = re.compile(r"FILE_NAME\(\s*" + _STR + r"\s*,\s*(" + _STR + r")\s*,\s*\(.*?\)\s*,"
                        r"\s*\(.*?\)\s*,\s*(" + _STR + r")\s*,\s*" + _STR + r"\s*,\s*"
                        + _STR + r"\s*\);", re.S)
_FILE_DESCRIPTION = re.compile(r"FILE_DESCRIPTION\(\s*\(.*?\)\s*,\s*(" + _STR + r")\s*\);",
                               re.S)


def step_header(path: str | Path, description: list[str]) -> bool:
    """Rewrite the HEADER of the STEP file at ``path`` (ISO 10303-21 section 8.2):
    FILE_DESCRIPTION's strings := ``description``; FILE_NAME's name := the file's name,
    author := keidesign, originating system := keidesign and its version (time stamp and
    preprocessor kept). OCCT wrote 'Open CASCADE Model' / 'Open CASCADE Shape Model' /
    'Author' / 'Unknown', so a STEP file separated from its sidecar said neither the
    design, the units' frame nor where it came from (s37j). Returns False, the file left
    as it is, if the header is not OCCT's usual one."""
    path = Path(path)
    text = path.read_text(encoding="ascii", errors="surrogateescape")
    end = text.find("ENDSEC;")
    head = text[:end]
    name, desc = _FILE_NAME.search(head), _FILE_DESCRIPTION.search(head)
    if end < 0 or not name or not desc:
        return False
    head = (head[:desc.start()] + "FILE_DESCRIPTION((" + ",\n  ".join(
        _step_str(d) for d in description) + f"),{desc.group(1)});" + head[desc.end():])
    name = _FILE_NAME.search(head)
    head = (head[:name.start()] + f"FILE_NAME({_step_str(path.name)},{name.group(1)},"
            f"({_step_str('keidesign')}),(''),\n  {name.group(2)},"
            f"{_step_str('keidesign ' + __version__)},'');" + head[name.end():])
    path.write_text(head + text[end:], encoding="ascii", errors="surrogateescape")
    return True


def write_step(body: Any, path: str | Path, name: str = "kei_body",
               description: list[str] | None = None) -> None:
    """Assembly STEP in mm (part names as product names); its header's description
    (:func:`step_header`): ``description``, default the units and frame."""
    from cadquery.occ_impl.exporters.assembly import exportAssembly

    if not exportAssembly(body.assembly(name), str(path), unit="MM"):
        raise OSError(errno.EIO, "the STEP writer reported a failure", str(path))
    step_header(path, description or _step_description(name, None))


def _step_description(design_name: str, sidecar_path: Path | None) -> list[str]:
    cs = COORDINATE_SYSTEM
    return [f"keidesign packaging volumes of design {design_name} (named parts)",
            "lengths in mm",
            f"axes: {cs['convention']}",
            "origin: x = 0 at the body's foremost point, y = 0 on the centreline, "
            "z = 0 on the ground under the unladen tyres",
            f"sidecar: {sidecar_path.name if sidecar_path else 'none'} "
            f"(schema {SCHEMA}: parameters, crash sections, checks, interferences)"]


def write_stl(body: Any, path: str | Path, tolerance: float = 0.5) -> None:
    """All parts as one STL mesh (mm)."""
    import cadquery as cq

    if not cq.Compound.makeCompound(list(body.parts.values())).exportStl(
            str(path), tolerance=tolerance, angularTolerance=0.2):
        raise OSError(errno.EIO, "the STL writer reported a failure", str(path))


def write_glb(body: Any, path: str | Path, name: str = "kei_body",
              tolerance: float = 0.5) -> None:
    """Binary glTF of the coloured assembly, in glTF 2.0's frame and units (Khronos
    glTF 2.0 specification, "Coordinate System and Units": metres, +Y up, right-handed).

    The body is in mm, SAE J1100 axes (x rearward, y right, z up); OCCT's glTF writer
    converts both (input length unit 0.001 m, input frame Z-up): glTF x = x, y = z,
    z = -y, metres. CadQuery's ``exportGLTF`` rotated Z-up to Y-up but wrote the
    millimetre coordinates as metres (a 3,395 m long car in every viewer; s37j)."""
    from cadquery.occ_impl.assembly import toCAF
    from OCP.Message import Message_ProgressRange
    from OCP.RWGltf import RWGltf_CafWriter
    from OCP.RWMesh import RWMesh_CoordinateSystem
    from OCP.TCollection import TCollection_AsciiString
    from OCP.TColStd import TColStd_IndexedDataMapOfStringString

    _, doc = toCAF(body.assembly(name), True, True, tolerance, 0.2)
    writer = RWGltf_CafWriter(TCollection_AsciiString(str(path)), True)
    conv = writer.ChangeCoordinateSystemConverter()
    conv.SetInputLengthUnit(0.001)
    conv.SetInputCoordinateSystem(RWMesh_CoordinateSystem.RWMesh_CoordinateSystem_Zup)
    if not writer.Perform(doc, TColStd_IndexedDataMapOfStringString(),
                          Message_ProgressRange()):
        raise OSError(errno.EIO, "the glTF writer reported a failure", str(path))


#: parts that bound the others: the exterior envelope (body_shell + greenhouse) holds
#: every packaging volume by construction (:mod:`geometry.cad`)
ENVELOPE_PARTS = ("body_shell", "greenhouse")
#: overlaps below this are touching faces and fuzzy-boolean noise, not volumes (mm**3)
OVERLAP_MIN_MM3 = 1000.0


#: overlaps the layout intends (docs/geometry.md, "Parts that share volume (s37l)"): the
#: sidecar kind of each part pair (sorted names), granted by :func:`layout_kind` only where
#: its geometric condition holds on the design's layout (otherwise the pair is "partial")
LAYOUT_KINDS = {
    ("fuel_tank", "occupant_cell"): "under_rear_seat",
    ("occupant_cell", "powertrain"): "cab_over_engine",
    ("crush_zone", "frame"): "frame_in_crush_zone",
}


def layout_kind(lay: Any, a: str, b: str) -> str | None:
    """The :data:`LAYOUT_KINDS` kind of the pair ``a``, ``b`` if the layout intends their
    overlap, else None. The conditions (lengths in mm, :class:`geometry.profiles.Layout`):

    * ``under_rear_seat``: the fuel tank's box (:attr:`~geometry.profiles.Layout.storage_box`,
      ``gc + 10`` to ``gc + 230``) lies in the rear-seat footprint along x (cushion front
      edge, :data:`~geometry.profiles.REAR_CUSHION_AHEAD` ahead of the rear H-point, to the
      cell's rear end at the seat back) and its top is below the rear H-point: the tank
      under the rear seat cushion, inside the occupant cell's envelope (which is the space
      above the flat floor, seat included), clear of the rear occupants' feet;
    * ``cab_over_engine`` (truck): the block behind the dash panel with its top below the
      front H-point: the cab-over's engine under the seats (Carry, Hijet:
      :attr:`~geometry.profiles.Layout.powertrain_box`);
    * ``frame_in_crush_zone`` (truck): the ladder frame from
      :data:`~geometry.profiles.FRAME_FRONT` behind the bumper face runs through the crush
      zone: its rails and front cross member are the cab-over's front structure.

    A store, block or frame outside its condition stays ``"partial"``: a real clash."""
    kind = LAYOUT_KINDS.get(tuple(sorted((a, b))))
    f = float
    if kind == "under_rear_seat":
        x0, x1, _, _, z1 = (f(v) for v in lay.storage_box)
        xr, zr = (f(v) for v in lay.rear_h_point)
        ok = (x0 >= xr - pr.REAR_CUSHION_AHEAD and x1 <= f(lay.cell_x[1]) and z1 < zr)
    elif kind == "cab_over_engine":
        x0, _, _, _, z1 = (f(v) for v in lay.powertrain_box)
        ok = lay.style == "truck" and x0 >= f(lay.x_dash) and z1 < f(lay.h_point[1])
    else:
        ok = kind == "frame_in_crush_zone" and lay.style == "truck"
    return kind if ok else None


def interferences(body: Any) -> list[dict[str, Any]]:
    """Every pair of named parts whose solids share volume (an OCC common of each pair
    whose exact boxes overlap), as ``{"parts": [a, b], "volume_m3", "share_of_smaller",
    "kind"}``; kind ``"envelope"`` (one of :data:`ENVELOPE_PARTS` holding a packaging
    volume, by construction), ``"contained"`` (the smaller part inside the other to
    0.1 %: the powertrain block in the crush zone), a kind of :data:`LAYOUT_KINDS` (the
    parts cut each other where the layout means them to: the fuel tank under the rear seat
    rising through the occupant cell's flat floor plane, the truck's engine under the cab,
    its frame in the crush zone; :func:`layout_kind`) or ``"partial"`` (the parts cut each
    other otherwise: a real interference). Overlaps
    under :data:`OVERLAP_MIN_MM3` (faces in contact) are left out. A mesher needs these
    to know which volumes to subtract or share before meshing one part against another;
    the sidecar listed none (s37j). Costs ~0.5-2 s (15-20 booleans), so only
    ``keidesign export`` asks for it (not the sweeps' per-case STEP files)."""
    boxes = part_bboxes(body)
    names = list(body.parts)
    out = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            (alo, ahi), (blo, bhi) = boxes[a], boxes[b]
            if (np.minimum(ahi, bhi) - np.maximum(alo, blo) <= 0.0).any():
                continue
            vol = body.parts[a].intersect(body.parts[b]).Volume()
            if vol < OVERLAP_MIN_MM3:
                continue
            share = vol / min(body.parts[a].Volume(), body.parts[b].Volume())
            kind = ("envelope" if a in ENVELOPE_PARTS or b in ENVELOPE_PARTS
                    else "contained" if share > 0.999
                    else layout_kind(body.layout, a, b) or "partial")
            out.append({"parts": [a, b], "volume_m3": vol * 1e-9,
                        "share_of_smaller": min(share, 1.0), "kind": kind})
    return out


def sidecar(design: Any, body: Any, packs: Any = (), files: dict[str, str] | None = None,
            timings: dict[str, float] | None = None,
            overlaps: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The JSON sidecar document of an export (``overlaps``: :func:`interferences`,
    written as ``interferences`` when given)."""

    lay = body.layout
    params = {}
    # the crash structure is not drawn (the parts are packaging volumes): every crash key
    # of the design (rail and crash-box sections, grades, side and roof members, restraint)
    # is here for the mesher / crash solver; the sidecar had crush_length only (review s29d)
    for name, val in sorted(design.values.items()):
        var = reg.get(name)
        if name.startswith(("body:", "crash:", "powertrain:block_length",
                            "powertrain:type", "powertrain:ice:fuel_tank",
                            "powertrain:bev:battery_energy")):
            params[name] = {"value": val, "units": var.units}
    closed = closed_form(lay.p, lay.style, lay.powertrain, lay.placement, lay.engine)
    # each with the registry's description: a part and a derived quantity of one name are
    # not always the same volume (the `greenhouse` part is the glazing, 1.06 m**3 on an
    # Alto Works; body:volume:greenhouse the envelope above the belt line, pillars and
    # roof included, 1.30 m**3), and the sidecar said neither (new-user pass s36d)
    derived = {k: {"value": float(closed[k]) * s, "units": reg.get(k).units,
                   "description": reg.get(k).desc}
               for k, s in outputs(lay.style).items()}
    parts = {}
    boxes = part_bboxes(body)
    root = _assembly_name(design)
    # the STEP product path of each part (the truck's bed plates sit one level down, in
    # "bed": gmsh names them "<root>/bed/bed_deck") and its volume centroid, where a
    # crash model puts a part's lumped mass; the sidecar had neither (s37j)
    for pname, solid in body.parts.items():
        lo, hi = boxes[pname]
        parts[pname] = {"volume_m3": solid.Volume() * 1e-9,
                        "bbox_mm": [lo.tolist(), hi.tolist()],
                        "centroid_mm": list(solid.Center().toTuple()),
                        "step_path": "/".join([root, *(["bed"] if pname in BED_PARTS
                                                          else []), pname])}
    return {
        "schema": SCHEMA,
        "keidesign_version": __version__,
        "design": {"name": design.name, "path": str(design.path),
                   "style": lay.style, "powertrain_type": lay.powertrain},
        "units": UNITS,
        "frame": "x rearward from the front bumper face, y to the right of the "
                 "centreline, z up from the ground",
        "coordinate_system": COORDINATE_SYSTEM,
        "parameters": params,
        "parts": parts,
        "derived": derived,
        "checks": checks(body, packs, {k: float(closed[k]) for k in closed}),
        **({"interferences": overlaps} if overlaps is not None else {}),
        "notes": lay.window_notes,
        "files": files or {},
        "timings_s": timings or {},
    }


def export(design: Any, step: str | Path | None = None, stl: str | Path | None = None,
           glb: str | Path | None = None, json_path: str | Path | None = None,
           packs: Any = (), overlaps: bool = False) -> dict[str, Any]:
    """Build ``design``'s body and write the requested files plus the JSON sidecar
    (``json_path``, default: the first output's path with ``.json``; ``overlaps``: with
    the parts' :func:`interferences`, as ``keidesign export`` asks); missing folders of
    the paths are created first (:mod:`keidesign.outpaths`), and a writer that fails is
    one :class:`InputError`. Returns the sidecar document."""
    outs = {"step": step, "stl": stl, "glb": glb}
    if not any(outs.values()):
        raise InputError("keidesign export: no output requested; allowed: --step PATH, "
                         "--stl PATH and/or --glb PATH")
    jpath = Path(json_path) if json_path else Path(next(str(v) for v in outs.values() if v)
                                                   ).with_suffix(".json")
    for kind, path in [*outs.items(), ("json", jpath)]:  # folders made before the build
        if path:
            file_folder(path, f"--{kind}")
    t0 = time.perf_counter()
    body = build(design)
    timings = {"build": time.perf_counter() - t0}
    name = _assembly_name(design)
    files = {}
    desc = _step_description(design.name, jpath)
    writers = {"step": lambda p: write_step(body, p, name, desc),
               "stl": lambda p: write_stl(body, p), "glb": lambda p: write_glb(body, p, name)}
    for kind, path in outs.items():
        if not path:
            continue
        p = Path(path)
        t = time.perf_counter()
        try:
            writers[kind](p)
        except OSError as exc:
            raise InputError(f"--{kind} {show_path(p)}: cannot write ({exc.strerror or exc}); "
                             "allowed: a file path this user may write") from None
        timings[kind] = time.perf_counter() - t
        files[kind] = str(p)
    found = None
    if overlaps:
        t = time.perf_counter()
        found = interferences(body)
        timings["interferences"] = time.perf_counter() - t
    doc = sidecar(design, body, packs, files, timings, found)
    doc["files"]["json"] = str(jpath)
    text = json.dumps(doc, indent=2, default=_jsonable)
    if json_path:  # named by the user: written as named (a device such as /dev/stdout)
        jpath.write_text(text, encoding="utf-8")
    else:  # a name of the user's folder they did not give (audit s44a): a planted
        replace_file(jpath, text)  # link or hard link there was written through
    return doc


def _jsonable(o: Any) -> Any:
    if hasattr(o, "item"):
        return o.item()
    if isinstance(o, (tuple, set)):
        return list(o)
    raise TypeError(f"not JSON serializable: {type(o).__name__}")
