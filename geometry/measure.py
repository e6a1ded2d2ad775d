"""Derived quantities measured on the CadQuery solids: the oracle for the closed form.

Each function works on a built :class:`geometry.cad.Body` (mm) and returns the
quantities under the registered output names of :mod:`geometry.closed_form`, in the same
units, so the two can be compared name by name:

* volumes and the envelope centroid: OCC mass properties of the solids;
* frontal area: union of the tessellation triangles of the exterior parts (body shell,
  greenhouse, wheels) projected on the y-z plane (shapely);
* panel areas: the envelope skin's triangles classified by position and normal with the
  rules of :func:`geometry.closed_form.panel_areas` (glass prisms first, then wheelhouses, then
  the dominant normal component);
* head room (front and rear H-point): the 8 deg ray cast on the envelope lowered by the
  roof thickness; side crush space and door skin to seat centreline: the lateral ray
  from the occupant's outboard hip, and from the seat centreline, to the skin;
  side crush to the energy store: exact y extents of the envelope and the store;
  crush, cargo and rear crush lengths: exact x extents of the parts;
* truck: the bed's load space (:func:`bed_load_space`: the box the five bed plates
  enclose, capped at the lowest wall top, minus the plates): its volume, its floor (bottom
  face) area and its wall (vertical faces) area, i.e. the plates' inner faces.
"""

from __future__ import annotations

import math
from typing import Any

import cadquery as cq
import numpy as np

from geometry import profiles as pr
from geometry.cad import BED_PARTS, Body

__all__ = ["bed_load_space", "frontal_area", "measure", "mesh_arrays", "panel_areas",
           "ray_distance"]


def mesh_arrays(shape: cq.Shape, tol: float = 0.2, angular: float = 0.1
                ) -> tuple[np.ndarray, np.ndarray]:
    """(points (n, 3), triangles (m, 3)) of a shape's tessellation (outward winding)."""
    verts, tris = shape.tessellate(tol, angular)
    pts = np.array([v.toTuple() for v in verts], dtype=float)
    return pts, np.asarray(tris, dtype=np.int64).reshape(-1, 3)


def _tri_geometry(pts: np.ndarray, tris: np.ndarray) -> tuple[np.ndarray, ...]:
    a, b, c = pts[tris[:, 0]], pts[tris[:, 1]], pts[tris[:, 2]]
    cr = np.cross(b - a, c - a)
    area2 = np.linalg.norm(cr, axis=1)
    n = cr / np.where(area2 > 0, area2, 1.0)[:, None]
    centroid = (a + b + c) / 3.0
    # make the normals point outward (winding may be reversed for the whole mesh)
    if np.sum(np.einsum("ij,ij->i", centroid, cr)) < 0:
        n = -n
    return centroid, n, 0.5 * area2


def frontal_area(body: Body, tol: float = 0.5) -> float:
    """Projected area on the y-z plane of the exterior parts (mm^2)."""
    from shapely import union_all
    from shapely.geometry import Polygon

    polys = []
    for name, solid in body.parts.items():
        if name not in ("body_shell", "greenhouse") and not name.startswith("wheel"):
            continue
        pts, tris = mesh_arrays(solid, tol, 0.2)
        yz = pts[:, 1:]
        a, b, c = yz[tris[:, 0]], yz[tris[:, 1]], yz[tris[:, 2]]
        area = 0.5 * np.abs((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1])
                            - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0]))
        keep = area > 1e-3
        polys += [Polygon(t) for t in np.stack([a, b, c], axis=1)[keep]]
    return float(union_all(polys).area)


def _tool_planes(lay: pr.Layout) -> list[tuple[np.ndarray, float]]:
    from geometry.cad import _glass_tools

    planes = []
    for f in _glass_tools(lay).Faces():
        if f.geomType() == "PLANE":
            n = np.array(f.normalAt().toTuple())
            planes.append((n, float(n @ np.array(f.Center().toTuple()))))
    return planes


def exterior_faces(body: Body) -> dict[str, list[cq.Face]]:
    """Faces of ``body_shell`` and ``greenhouse`` on the exterior skin (faces lying on
    the glazing cut planes are the interface between the two and are left out)."""
    planes = _tool_planes(body.layout)
    out: dict[str, list[cq.Face]] = {}
    for part in ("body_shell", "greenhouse"):
        keep = []
        for f in body.parts[part].Faces():
            if f.geomType() == "PLANE":
                n = np.array(f.normalAt().toTuple())
                c = np.array(f.Center().toTuple())
                if any(np.linalg.norm(np.cross(n, m)) < 1e-6 and abs(m @ c - d) < 1e-3
                       for m, d in planes):
                    continue
            keep.append(f)
        out[part] = keep
    return out


def panel_areas(body: Body, tol: float = 0.2) -> dict[str, float]:
    """Exterior areas (mm^2) of the panel groups: glazing = the greenhouse part's
    exterior faces; the body shell's exterior triangles by the rules of the closed form."""
    lay = body.layout
    faces = exterior_faces(body)
    groups = dict.fromkeys(("roof", "hood", "front", "rear", "side", "floor", "wheelhouse",
                            "glazing"), 0.0)
    groups["glazing"] = float(sum(f.Area() for f in faces["greenhouse"]))
    R, zw, yin = float(lay.R_arch), float(lay.z_w), float(lay.y_in)
    L, xc, W = float(lay.L), float(lay.x_cowl), float(lay.W)
    for f in faces["body_shell"]:
        pts, tris = mesh_arrays(f, tol, 0.1)
        if len(tris) == 0:
            continue
        a, b, c = pts[tris[:, 0]], pts[tris[:, 1]], pts[tris[:, 2]]
        cr = np.cross(b - a, c - a)
        area = 0.5 * np.linalg.norm(cr, axis=1)
        n = cr / np.maximum(2.0 * area, 1e-30)[:, None]
        ref = np.array(f.normalAt(f.Center()).toTuple())
        if np.sum(n @ ref * area) < 0:
            n = -n
        x, y, z = ((a + b + c) / 3.0).T
        wheel = np.zeros(len(x), bool)
        for xa in (float(lay.x_front_axle), float(lay.x_rear_axle)):
            wheel |= (np.hypot(x - xa, z - zw) < R + 0.5) & (np.abs(y) > yin - 0.5) & (
                np.abs(y) < 0.5 * W - 0.5)
        ax = np.abs(n)
        up = (ax[:, 2] >= ax[:, 0]) & (ax[:, 2] >= ax[:, 1])
        lateral = ~up & (ax[:, 1] >= ax[:, 0])
        along = ~up & ~lateral
        rest = ~wheel
        # front/rear: by position (half length); the truck's cab back faces rearward
        # ahead of mid-length, so there by the sign of the normal
        fwd = n[:, 0] < 0 if lay.style == "truck" else x < 0.5 * L
        masks = {"wheelhouse": wheel, "floor": rest & up & (n[:, 2] < 0),
                 "hood": rest & up & (n[:, 2] > 0) & (x < xc),
                 "roof": rest & up & (n[:, 2] > 0) & (x >= xc), "side": rest & lateral,
                 "front": rest & along & fwd, "rear": rest & along & ~fwd}
        for k, m in masks.items():
            groups[k] += float(area[m].sum())
    return groups


def ray_distance(shape: cq.Shape, origin: tuple[float, float, float],
                 direction: tuple[float, float, float], tol: float = 0.05) -> float:
    """Distance from ``origin`` along ``direction`` to the first skin crossing (mm)."""
    pts, tris = mesh_arrays(shape, tol, 0.05)
    o = np.asarray(origin, float)
    d = np.asarray(direction, float)
    d = d / np.linalg.norm(d)
    a, b, c = pts[tris[:, 0]], pts[tris[:, 1]], pts[tris[:, 2]]
    e1, e2 = b - a, c - a
    p = np.cross(d, e2)
    det = np.einsum("ij,ij->i", e1, p)
    ok = np.abs(det) > 1e-12
    inv = np.where(ok, 1.0 / np.where(ok, det, 1.0), 0.0)
    tv = o - a
    u = np.einsum("ij,ij->i", tv, p) * inv
    q = np.cross(tv, e1)
    v = (q @ d) * inv
    t = np.einsum("ij,ij->i", e2, q) * inv
    hit = ok & (u >= -1e-9) & (v >= -1e-9) & (u + v <= 1 + 1e-9) & (t > 1e-6)
    return float(t[hit].min()) if hit.any() else math.inf


def _extent(shape: cq.Shape, axis: int = 0) -> tuple[float, float]:
    """Exact (min, max) of a shape along ``axis`` (0 = x, 1 = y, 2 = z) from its B-rep
    surfaces (mm). OCC's default box uses a tessellation once one exists and is then up
    to ~1 mm loose."""
    from OCP.Bnd import Bnd_Box
    from OCP.BRepBndLib import BRepBndLib

    box = Bnd_Box()
    BRepBndLib.AddOptimal_s(shape.wrapped, box, False, False)
    lims = box.Get()
    return lims[axis], lims[axis + 3]


def _x_extent(shape: cq.Shape) -> tuple[float, float]:
    """Exact (x_min, x_max) of a shape (:func:`_extent` along x)."""
    return _extent(shape, 0)


def bed_load_space(body: Body) -> cq.Shape:
    """The truck bed's load space (mm) as a solid: the box spanned by the five bed plates
    (:data:`geometry.cad.BED_PARTS`, exact extents), its top at the lowest top of the four
    walls (the gate top), minus the plates. Its faces are the plates' inner faces (floor:
    the deck's top face; walls: the inner faces of the drop sides, tail gate and
    headboard) and the open top; a gap between the plates would add its volume."""
    plates = [body.parts[n] for n in BED_PARTS]
    ext = [[_extent(p, axis) for p in plates] for axis in (0, 1, 2)]
    lo = [min(e[0] for e in ext[axis]) for axis in (0, 1, 2)]
    hi = [max(e[1] for e in ext[axis]) for axis in (0, 1)]
    top = min(e[1] for e in ext[2][1:])          # the walls' tops (not the deck's)
    box = cq.Solid.makeBox(hi[0] - lo[0], hi[1] - lo[1], top - lo[2],
                           cq.Vector(lo[0], lo[1], lo[2]))
    return box.cut(*plates)


def measure(body: Body) -> dict[str, float]:
    """The closed-form outputs of :mod:`geometry.closed_form`, measured on the solids
    (registered names and units)."""
    lay = body.layout
    env = body.envelope
    out: dict[str, float] = {}
    vol = env.Volume()
    out["body:volume:envelope"] = vol * 1e-9
    cg = env.centerOfMass(env)
    out["body:cg_x"], out["body:cg_z"] = cg.x, cg.z
    big = 0.5 * float(lay.W) + 100.0
    top = cq.Solid.makeBox(float(lay.L) + 200.0, 2 * big, float(lay.H),
                           cq.Vector(-100.0, -big, float(lay.belt)))
    out["body:volume:greenhouse"] = env.intersect(top).Volume() * 1e-9
    for part, key in (("crush_zone", "crush_zone"), ("occupant_cell", "occupant_cell"),
                      ("powertrain", "powertrain"), (lay.storage_name, "energy_storage")):
        out[f"body:volume:{key}"] = body.parts[part].Volume() * 1e-9
    out["body:frontal_area"] = frontal_area(body) * 1e-6
    areas = panel_areas(body)
    for k, v in areas.items():
        out[f"body:panel_area:{k}"] = v * 1e-6
    out["body:surface_area"] = env.Area() * 1e-6
    x0_env, x1_env = _x_extent(env)
    out["body:crush_to_dash"] = _x_extent(body.parts["crush_zone"])[1] - x0_env
    out["body:crush_to_powertrain"] = _x_extent(body.parts["powertrain"])[0] - x0_env
    out["body:cargo_length"] = x1_env - _x_extent(body.parts["occupant_cell"])[1]
    out["body:rear_crush_to_storage"] = x1_env - _x_extent(body.parts[lay.storage_name])[1]
    sx0, sx1 = _x_extent(body.parts[lay.storage_name])
    xfa = x0_env + float(lay.x_front_axle)
    out["body:storage_front_from_front_axle"] = sx0 - xfa
    out["body:storage_rear_from_front_axle"] = sx1 - xfa
    xh, zh = (float(v) for v in lay.h_point)
    y_occ = float(lay.p["w20"]) + 0.5 * pr.HIP_BREADTH_95M
    out["body:side_crush_space"] = ray_distance(env, (xh, y_occ, zh), (0.0, 1.0, 0.0))
    out["body:door_to_seat_centreline"] = ray_distance(env, (xh, float(lay.p["w20"]), zh),
                                                       (0.0, 1.0, 0.0))
    lowered = env.translate(cq.Vector(0, 0, -float(lay.p["roof_thickness"])))
    a = math.radians(pr.HEADROOM_LINE_DEG)
    head = ray_distance(lowered, (xh, float(lay.p["w20"]), zh), (math.sin(a), 0.0, math.cos(a)))
    out["body:headroom"] = head + pr.HEADROOM_ADD
    out["body:headroom_margin"] = out["body:headroom"] - pr.REQUIRED_HEADROOM
    xr, zr = (float(v) for v in lay.rear_h_point)
    head = ray_distance(lowered, (xr, float(lay.p["w20"]), zr), (math.sin(a), 0.0, math.cos(a)))
    out["body:headroom_rear"] = head + pr.HEADROOM_ADD
    out["body:headroom_rear_margin"] = out["body:headroom_rear"] - pr.REQUIRED_HEADROOM_REAR
    # side skin to the energy store: exact y extents of the envelope and the store
    out["body:side_crush_to_storage"] = (_extent(env, 1)[1]
                                         - _extent(body.parts[lay.storage_name], 1)[1])
    if BED_PARTS[0] in body.parts:     # truck: the bed's load space and its floor
        bed = bed_load_space(body)
        out["body:volume:bed"] = bed.Volume() * 1e-9
        floor = [f for f in bed.Faces() if f.geomType() == "PLANE"
                 and f.normalAt().z < -0.99]
        out["body:bed_floor_area"] = sum(f.Area() for f in floor) * 1e-6
        out["body:bed_side_area"] = sum(f.Area() for f in bed.Faces()
                                        if abs(f.normalAt().z) < 0.01) * 1e-6
        # the cab: the envelope ahead of the cab back (closed by the plane x = x_cb)
        x_cb = float(lay.x_cab_back)
        ahead = cq.Solid.makeBox(x_cb + 100.0, 2 * big, float(lay.H) + 200.0,
                                 cq.Vector(-100.0, -big, -100.0))
        cab = env.intersect(ahead)
        out["body:volume:cab"] = cab.Volume() * 1e-9
        out["body:cab_surface_area"] = cab.Area() * 1e-6
        # the cab back panel lies one end wall ahead of the bed's load space
        out["body:cab_back_clearance"] = (_x_extent(bed)[0] - pr.BED_END_WALL
                                          - _x_extent(body.parts["occupant_cell"])[1])
    return out


def compare(body: Body, closed: dict[str, Any]) -> dict[str, tuple[float, float, float]]:
    """``{name: (closed form, CAD, relative error)}`` for every measured quantity."""
    meas = measure(body)
    out = {}
    for k, v in meas.items():
        cf = float(np.real(closed[k]))
        out[k] = (cf, v, (cf - v) / v if v else math.nan)
    return out
