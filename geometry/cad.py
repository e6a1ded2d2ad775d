"""CadQuery solids and the named-part assembly of a parametric kei body.

:func:`build_body` turns a :class:`geometry.profiles.Layout` (floats, mm) into a
:class:`Body`: one solid per part, an assembly (:meth:`Body.assembly`) with these
names (each a single solid, so names and colours survive a STEP round trip):

============== ==========================================================================
part           what it is
============== ==========================================================================
body_shell     exterior envelope below the glazing, with wheel arches (pillars, roof)
greenhouse     glazed part of the greenhouse: windshield, side windows, backlight
crush_zone     envelope ahead of the dash panel (the volume the structure may crush into)
occupant_cell  envelope from the dash panel to the rear seat back, above the floor
powertrain     non-crushing engine/motor + transmission block
fuel_tank /    fuel-tank envelope (ICE) or battery pack (BEV)
battery
wheel_fl ...   the four wheels (tyre + rim), one solid each
bed_deck       truck only, in the sub-assembly ``bed``: the deck (floor) plate
bed_side_left  truck only, in ``bed``: the drop sides (left = -y, right = +y)
bed_side_right
bed_tailgate   truck only, in ``bed``: the rear gate
bed_headboard  truck only, in ``bed``: the front gate behind the cab back
frame          truck only: the ladder frame (two rails + four cross members, one solid)
============== ==========================================================================

The truck's bed is sheet metal: five plates of the steel sheet thickness of the mass
model's basis (deck 1.0 mm, walls 0.8 mm: :data:`geometry.profiles.BED_DECK_SHEET`,
:data:`~geometry.profiles.BED_WALL_SHEET`) whose inner faces bound the load space
(:attr:`geometry.profiles.Layout.bed_panels`); in the assembly they are grouped under one
sub-assembly named ``bed`` (:data:`BED_PARTS`), so readers of the ``bed`` group keep it.

``body_shell`` and ``greenhouse`` partition the exterior envelope; the packaging
volumes (crush zone, occupant cell, powertrain, tank/battery) lie inside it and overlap
it, as packaging volumes do.

Speed: every boolean is between extrusions of the 2D profiles (planes, cylinders), the
envelope is three pairwise intersections and one cut, and each stage is cached by the
parameters it depends on (:data:`CACHE_SIZE` candidates), so a sweep that changes only
the crash or seat parameters rebuilds only what depends on them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import cadquery as cq
import numpy as np

from geometry.profiles import Fillets, Layout, fillet_polygon

__all__ = ["BED_PARTS", "Body", "PART_COLOURS", "build_body", "clear_cache"]

V = cq.Vector
CACHE_SIZE = 16
FUZZY = 1e-4   # mm, fuzzy value of the envelope booleans
#: the truck bed's sheet-metal parts, grouped in the assembly as the sub-assembly "bed"
BED_PARTS = ("bed_deck", "bed_side_left", "bed_side_right", "bed_tailgate", "bed_headboard")

PART_COLOURS = {
    "body_shell": (0.80, 0.12, 0.10, 1.0),
    "greenhouse": (0.12, 0.18, 0.26, 0.85),
    "crush_zone": (1.00, 0.65, 0.00, 0.6),
    "occupant_cell": (0.20, 0.60, 0.90, 0.5),
    "powertrain": (0.35, 0.35, 0.38, 1.0),
    "fuel_tank": (0.15, 0.65, 0.25, 1.0),
    "battery": (0.15, 0.65, 0.25, 1.0),
    "wheel": (0.10, 0.10, 0.10, 1.0),
    "bed_deck": (0.62, 0.55, 0.36, 1.0),
    "bed_side_left": (0.85, 0.75, 0.45, 1.0),
    "bed_side_right": (0.85, 0.75, 0.45, 1.0),
    "bed_tailgate": (0.80, 0.70, 0.40, 1.0),
    "bed_headboard": (0.80, 0.70, 0.40, 1.0),
    "frame": (0.25, 0.22, 0.20, 1.0),
}


# ---------------------------------------------------------------------------------------
# small caches keyed by the parameters a stage depends on

_CACHES: dict[str, OrderedDict] = {}


def _cached(stage: str, key: Hashable, make: Callable[[], Any]) -> Any:
    cache = _CACHES.setdefault(stage, OrderedDict())
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    val = make()
    cache[key] = val
    if len(cache) > CACHE_SIZE:
        cache.popitem(last=False)
    return val


def clear_cache() -> None:
    """Forget every cached stage (for timing a cold build)."""
    _CACHES.clear()


# ---------------------------------------------------------------------------------------
# profiles -> wires -> solids


def _fillet_wire(f: Fillets, to3d: Callable[[float, float], V]) -> cq.Wire:
    """Closed wire of lines and tangent arcs from the fillet data (floats)."""
    n = len(f.x)
    edges = []
    r = np.asarray(f.r, dtype=float)
    start = [to3d(f.t2x[i], f.t2z[i]) for i in range(n)]
    for i in range(n):
        prev = start[i - 1]
        t1 = to3d(f.t1x[i], f.t1z[i])
        if (t1 - prev).Length > 1e-6:
            edges.append(cq.Edge.makeLine(prev, t1))
        if r[i] > 1e-6 and (start[i] - t1).Length > 1e-6:
            mid = to3d(f.midx[i], f.midz[i])
            # an arc that turns by (almost) nothing is its chord: at a straight vertex
            # (a tumblehome or tailgate rake of 0 deg) the three points are collinear and
            # OCCT's three-point arc has no result
            sag = (mid - t1).cross(start[i] - t1).Length / (start[i] - t1).Length
            edges.append(cq.Edge.makeLine(t1, start[i]) if sag < 1e-6 else
                         cq.Edge.makeThreePointArc(t1, mid, start[i]))
    return cq.Wire.assembleEdges(edges)


def _prism(wire: cq.Wire, vec: V) -> cq.Solid:
    return cq.Solid.extrudeLinear(cq.Face.makeFromWires(wire), vec)


def _poly_prism(pts: list[V], vec: V) -> cq.Solid:
    return _prism(cq.Wire.makePolygon(pts, close=True), vec)


def _box(x0: float, x1: float, y0: float, y1: float, z0: float, z1: float) -> cq.Solid:
    return cq.Solid.makeBox(x1 - x0, y1 - y0, z1 - z0, V(x0, y0, z0))


def _one_solid(shape: cq.Shape, what: str) -> cq.Solid:
    solids = shape.Solids()
    if len(solids) != 1:
        solids = sorted(solids, key=lambda s: -s.Volume())
        if not solids:
            raise RuntimeError(f"{what}: boolean gave no solid")
    return solids[0].clean()


def _f(v: Any) -> float:
    return float(np.real(v))


@dataclass
class Body:
    """The solids of one body and what is needed to name, colour and export them."""

    layout: Layout
    envelope: cq.Solid
    parts: dict[str, cq.Solid] = field(default_factory=dict)

    def assembly(self, name: str = "kei_body") -> cq.Assembly:
        """A fresh named, coloured assembly (one leaf per part, one solid per leaf); the
        truck's bed parts (:data:`BED_PARTS`) are the leaves of one sub-assembly ``bed``
        at the place of the first of them."""
        assy = cq.Assembly(name=name)
        for pname, solid in self.parts.items():
            if pname in BED_PARTS:
                if pname == BED_PARTS[0]:
                    assy.add(self._bed_assembly())
                continue
            key = "wheel" if pname.startswith("wheel") else pname
            assy.add(solid, name=pname, color=cq.Color(*PART_COLOURS[key]))
        return assy

    def _bed_assembly(self) -> cq.Assembly:
        bed = cq.Assembly(name="bed")
        for pname in BED_PARTS:
            bed.add(self.parts[pname], name=pname, color=cq.Color(*PART_COLOURS[pname]))
        return bed


# ---------------------------------------------------------------------------------------
# stages


def _envelope(lay: Layout) -> cq.Solid:
    L, W = _f(lay.L), _f(lay.W)
    y0 = -0.5 * W - 50.0
    side = _prism(_fillet_wire(_float_fillets(lay.side), lambda x, z: V(_f(x), y0, _f(z))),
                  V(0, W + 100.0, 0))
    sec = _prism(_fillet_wire(_float_fillets(lay.section),
                              lambda y, z: V(-50.0, _f(y), _f(z))), V(L + 100.0, 0, 0))
    rf, rr = _f(lay.r_plan_f), _f(lay.r_plan_r)
    z0 = _f(lay.gc) - 100.0
    px = np.array([0.0, L, L, 0.0])
    py = np.array([-0.5 * W, -0.5 * W, 0.5 * W, 0.5 * W])
    plan_f = fillet_polygon(px, py, np.array([rf, rr, rr, rf]), 2, limit=False)
    plan = _prism(_fillet_wire(plan_f, lambda x, y: V(_f(x), _f(y), z0)),
                  V(0, 0, _f(lay.H) - z0 + 100.0))
    # fuzzy booleans: the profiles share exact planes (roof z = H, sides |y| = W/2,
    # bumper x = 0) and tangent fillets, which exact booleans sometimes fail on
    env = side.intersect(sec, tol=FUZZY).intersect(plan, tol=FUZZY)
    env = env.cut(_arches(lay), tol=FUZZY)
    return _one_solid(env, "body envelope")


def _float_fillets(f: Fillets) -> Fillets:
    return f  # layouts built from floats already hold numpy arrays


def _arches(lay: Layout) -> cq.Compound:
    R, zw, yin, W = _f(lay.R_arch), _f(lay.z_w), _f(lay.y_in), _f(lay.W)
    depth = 0.5 * W - yin + 50.0
    cyls = []
    for xa in (_f(lay.x_front_axle), _f(lay.x_rear_axle)):
        cyls.append(cq.Solid.makeCylinder(R, depth, V(xa, yin, zw), V(0, 1, 0)))
        cyls.append(cq.Solid.makeCylinder(R, depth, V(xa, -yin, zw), V(0, -1, 0)))
    return cq.Compound.makeCompound(cyls)


def _glass_tools(lay: Layout) -> cq.Shape:
    W, L = _f(lay.W), _f(lay.L)
    z0, z1 = (_f(z) for z in lay.glass_z)
    y0 = -0.5 * W - 50.0
    tools: list[cq.Shape] = []
    for fb, rb, rt, ft in lay.windows:
        pts = [V(_f(fb), y0, z0), V(_f(rb), y0, z0), V(_f(rt), y0, z1), V(_f(ft), y0, z1)]
        tools.append(_poly_prism(pts, V(0, W + 100.0, 0)))
    xc = _f(lay.x_cowl)
    a0, a1 = _f(lay.glass_half_width(z0)), _f(lay.glass_half_width(z1))
    pts = [V(xc, -a0, z0), V(xc, a0, z0), V(xc, a1, z1), V(xc, -a1, z1)]
    tools.append(_poly_prism(pts, V(L + 50.0 - xc, 0, 0)))
    out = tools[0]
    for t in tools[1:]:
        out = out.fuse(t)
    return out


def _wheel(lay: Layout, name: str) -> cq.Solid:
    """Tyre + rim as one revolved solid (outboard dish), at its wheel centre."""
    xc, yc, zc = (_f(v) for v in lay.wheel_centres[name])
    R, tw = _f(lay.R_tyre), _f(lay.tw)
    r_rim = 12.7 * _f(lay.p["rim"])
    rs = min(0.3 * tw, 0.35 * (R - r_rim))
    side = 1.0 if yc > 0 else -1.0
    h = 0.5 * tw
    # (y, r) half-profile, outboard = +y before mirroring
    ys = np.array([-h, -h, h, h, h - 25.0, h - 30.0, h - 30.0])
    rr = np.array([0.0, R, R, r_rim, r_rim - 15.0, 0.6 * r_rim, 0.0])
    rad = np.array([0.0, rs, rs, 0.0, 0.0, 0.0, 0.0])
    prof = fillet_polygon(ys * side, rr, rad, 2, limit=False)
    wire = _fillet_wire(prof, lambda y, r: V(0.0, _f(y), _f(r)))
    solid = cq.Solid.revolve(cq.Face.makeFromWires(wire), 360.0, V(0, 0, 0), V(0, 1, 0))
    return solid.translate(V(xc, yc, zc))


def _frame(lay: Layout) -> cq.Solid:
    """The truck's ladder frame: rails and cross members fused into one solid."""
    boxes = [_box(*(_f(v) for v in b)) for b in lay.frame_boxes]
    return _one_solid(boxes[0].fuse(*boxes[1:]).clean(), "ladder frame")


def _key(lay: Layout, names: tuple[str, ...]) -> tuple:
    return ((lay.style, lay.powertrain, lay.placement, lay.engine)
            + tuple(round(_f(lay.p[n]), 6) for n in names))


_ENV_KEYS = ("L", "W", "H", "WB", "Tf", "Tr", "front_overhang", "ground_clearance", "hood_height",
             "rake", "tyre_width", "tyre_aspect", "rim",
             "crush_length", "cowl", "belt", "tumblehome", "roof_radius", "plan_radius")
_SEAT_KEYS = ("floor_thickness", "h30", "l53", "l50")


def build_body(lay: Layout) -> Body:
    """All part solids of one layout (floats), stages cached by their parameters."""
    style_keys = tuple(k for k in ("rear_rake", "backlight_rake", "drop", "bed_length",
                                   "deck_height", "gate_height") if k in lay.p)
    env_key = _key(lay, _ENV_KEYS + style_keys)
    seat_key = _key(lay, _SEAT_KEYS + (("battery_height",) if lay.powertrain == "bev" else ()))
    env = _cached("envelope", env_key, lambda: _envelope(lay))

    def glass_split() -> tuple[cq.Solid, cq.Solid]:
        tools = _glass_tools(lay)
        return (_one_solid(env.cut(tools), "body shell"),
                _one_solid(env.intersect(tools), "greenhouse"))

    shell, glass = _cached("glass", env_key + seat_key, glass_split)
    L, H = _f(lay.L), _f(lay.H)
    W = _f(lay.W)
    big = 0.5 * W + 100.0
    crush = _cached("crush", env_key, lambda: _one_solid(
        env.intersect(_box(-50.0, _f(lay.x_dash), -big, big, -50.0, H + 50.0)), "crush zone"))
    cx0, cx1 = (_f(v) for v in lay.cell_x)
    cell = _cached("cell", env_key + seat_key, lambda: _one_solid(
        env.intersect(_box(cx0, min(cx1, L + 50.0), -big, big, _f(lay.z_floor), H + 50.0)),
        "occupant cell"))
    parts: dict[str, cq.Solid] = {"body_shell": shell, "greenhouse": glass,
                                  "crush_zone": crush, "occupant_cell": cell}
    x0, x1, yh, z0, z1 = (_f(v) for v in lay.powertrain_box)
    parts["powertrain"] = _box(x0, x1, -yh, yh, z0, z1)
    x0, x1, yh, z0, z1 = (_f(v) for v in lay.storage_box)
    parts[lay.storage_name] = _box(x0, x1, -yh, yh, z0, z1)
    if lay.style == "truck":
        panels = lay.bed_panels
        for pname in BED_PARTS:
            parts[pname] = _box(*(_f(v) for v in panels[pname]))
        parts["frame"] = _cached("frame", _key(lay, ("L", "front_overhang", "WB", "frame_width",
                                                     "deck_height", "ground_clearance",
                                                     "floor_thickness") + (
            ("battery_height",) if lay.powertrain == "bev" else ())), lambda: _frame(lay))
    wheel_key = _key(lay, ("tyre_width", "tyre_aspect", "rim", "front_overhang", "WB", "Tf", "Tr"))
    for name in lay.wheel_centres:
        parts[name] = _cached(f"wheel:{name}", wheel_key, lambda n=name: _wheel(lay, n))
    return Body(layout=lay, envelope=env, parts=parts)
