"""The body styles as 2D profiles: one source for the CAD solid and the closed form.

Coordinates (mm): ``x`` rearward from the front bumper face, ``y`` lateral from the
vehicle centreline (positive to the right), ``z`` up from the ground.

A body envelope is the intersection of three extrusions, minus four wheel arches:

* the **side profile** (an ``x``-``z`` polygon with filleted corners, extruded along
  ``y``): bumpers, hood, raked windshield, roof, tailgate or backlight, floor at the
  ground clearance; for the kei truck (``truck``) a cab-over front, the cab roof to the
  cab back, then the bed at its gate top (below the belt line) to the rear face;
* the **section** (a ``y``-``z`` polygon extruded along ``x``): full width up to the
  belt line, then the greenhouse leaning inward by the tumblehome angle, rounded roof
  corners;
* the **plan** (the ``x``-``y`` rectangle ``L x W`` with rounded corners, extruded along
  ``z``);
* the **wheel arches**: cylinders of radius ``R_arch = R_tyre + 35 mm`` about each axle,
  from the wheelhouse inner wall (tyre inner face - 30 mm) outward.

So at each point the body is ``|y| <= min(w_section(z), w_plan(x)) / 2`` over the side
profile: the closed form in :mod:`geometry.closed_form` integrates exactly that, and the CAD
solid in :mod:`geometry.cad` is built from the same vertices. Glazing, packaging volumes
and occupant points are defined here too, and for the truck the bed's load space, its
sheet-metal parts and the ladder frame (:attr:`Layout.bed_box`, :attr:`Layout.bed_panels`,
:attr:`Layout.frame_boxes`).

Everything is written as plain arithmetic on numbers that may be floats (CAD), complex
numbers (complex step) or :class:`geometry.ad.D` (analytic partials). Style vertices are
listed per style in :data:`STYLE_VERTICES`; the fillet radii of the side profile are
limited automatically to fit their edges, the user-set radii (section roof corners,
plan corners) are checked instead (:func:`geometry.params.check_layout`).

Assumed packaging constants (mm) are module constants below, each with its source.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from geometry import ad
from geometry.ad import D, maximum, minimum, sqrt, stack, tan, where

__all__ = ["Layout", "STYLES", "fillet_polygon"]

STYLES = ("tallboy", "hatch", "truck")

# ---------------------------------------------------------------------------------------
# packaging constants [assumed unless a source is given]
ARCH_CLEARANCE = 35.0      # tyre outer radius to wheel-arch radius (suspension travel)
WHEELHOUSE_GAP = 30.0      # tyre inner face to wheelhouse inner wall
ARCH_FLOOR_GAP = 30.0      # wheel-arch opening to the start of the bumper ramps
TOE_BOARD = 200.0          # dash panel to accelerator heel point (AHP), along x
#: The reference dash position behind the front axle line (mm): the bumper face to the dash
#: is ``body.front_overhang + DASH_BEHIND_AXLE``. The import's crush length
#: (keidesign.specs.build.import_crush_length, every mass fit car) and the size law's volume
#: (``body:volume:size``, geometry.closed_form.size_volume: the envelope with the dash
#: here, so the front's split cannot move the fitted law) [A]
DASH_BEHIND_AXLE = 230.0
ANKLE_HEIGHT = 100.0       # ankle pivot above the AHP (SAE J826 shoe, approx.) [R]
HEADROOM_LINE_DEG = 8.0    # SAE J1100 H61: line 8 deg rear of vertical from the H-point
HEADROOM_ADD = 102.0       # SAE J1100 H61 adds 102 mm (4 in) to the measured length
LEGROOM_ADD = 254.0        # SAE J1100 L34 adds 254 mm (10 in) to ankle-to-H-point
REAR_SEATBACK = 250.0      # rear H-point to the back of the occupant cell
PT_DASH_GAP = 50.0         # powertrain rear face to dash panel
PT_FLOOR_GAP = 30.0        # powertrain underside above the ground clearance line
TANK_HEIGHT = 220.0        # fuel-tank envelope height
TANK_WIDTH = 800.0         # fuel-tank envelope width (at most)
TANK_FILL = 1.25           # tank envelope volume / rated capacity
BATTERY_WIDTH = 1200.0     # battery-pack width (at most)
STORAGE_FLOOR_GAP = 5.0    # battery-pack underside above the ground-clearance line
# traction-battery placements (design key body.battery_placement); docs/geometry.md
PLACEMENTS = ("underfloor", "under_rear_seat", "tunnel", "rear")
# engine (propulsion unit) positions (design key powertrain.layout): where
# :attr:`Layout.powertrain_box` puts the block; docs/geometry.md, "Powertrain position"
ENGINE_LAYOUTS = ("front", "rear", "mid", "underfloor")
REAR_CUSHION_AHEAD = 350.0  # rear-seat cushion front edge ahead of the rear H-point:
#                             a ~480 mm deep cushion with the H-point ~130 mm ahead of the
#                             seat back (SAE J826 manikin back line) [assumed]
GLASS_SILL = 10.0          # glazing starts this far above the belt line
A_PILLAR = 80.0            # A-pillar width seen from the side (along x)
A_PILLAR_Y = 70.0          # A-pillar width seen from the front (along y)
B_PILLAR = 90.0            # B-pillar width
B_PILLAR_SETBACK = 200.0   # B-pillar front edge behind the front H-point
C_PILLAR = 100.0           # tall-boy C-pillar width (quarter window behind it)
C_PILLAR_SETBACK = 300.0   # tall-boy C-pillar front edge behind the rear H-point
D_PILLAR = {"tallboy": 110.0, "hatch": 250.0, "truck": 150.0}  # rearmost pillar, along x
SHOULDER_RADIUS = 40.0     # belt-line shoulder fillet of the section
REAR_PLAN_RATIO = 0.6      # rear plan corner radius / front plan corner radius
K_SIDE = 4                 # chords per fillet arc of the side profile (closed form)
# kei truck (style "truck") [assumed unless a source is given]
BED_END_WALL = 40.0        # headboard (incl. the cab gap) and tail gate, each, along x
BED_SIDE_WALL = 32.5       # drop side (gate) thickness: (1475 - 1410) / 2, Carry DA16T [R]
BED_DECK_SHEET = 1.0       # deck plate: pressed steel sheet, the basis of the mass model's
#                            bed_deck_areal_mass (docs/mass_cost.md) [assumed]
BED_WALL_SHEET = 0.8       # drop sides, tail gate, headboard: steel sheet, the basis of
#                            bed_wall_areal_mass (docs/mass_cost.md) [assumed]
TRUCK_NOSE_LEAN_DEG = 5.0  # lean of the cab-over front face from the vertical
FRAME_FRONT = 150.0        # ladder-frame front end behind the bumper face
FRAME_RAIL_WIDTH = 50.0    # rail section width (y)
FRAME_RAIL_HEIGHT = 100.0  # rail section height (z)
FRAME_CROSS_LENGTH = 60.0  # cross-member section length (x)
DECK_SILL = 60.0           # deck floor + cross sills between the deck and the frame top
K_SECTION = 6              # chords per fillet arc of the section (closed form)

# US 95th-percentile male (the occupant of the packaging margins)
SITTING_HEIGHT_95M = 970.0  # erect sitting height, PHYSICS.md [R] (head-room floor until s39d)
HIP_BREADTH_95M = 410.0     # hip breadth sitting, US adults 19-65 (Pheasant, Bodyspace) [R]
THIGH_95 = 456.0            # SAE J826 95th-percentile thigh segment [R]
LOWER_LEG_95 = 459.0        # SAE J826 95th-percentile lower-leg segment [R]
#: lowest usable knee angle of the driver's leg (deg): the short end of the 110-145 deg
#: range Gao et al. (2022) tested, where seating closer to the pedals already "caused more
#: foot dorsiflexion for gas pedal control and increased the right leg's shin muscle
#: activity and discomfort" [R: Gao, Fischer, Paternoster, Kaiser, Paternoster, Int. J.
#: Ind. Ergon. 91 (2022) 103357]. A floor, not a comfort target (125 deg, the range's
#: middle, until 7 Dec 2026: it sat at the median of published small cars' L34, task s38b)
KNEE_ANGLE_DEG = 110.0


def required_legroom() -> float:
    """Required SAE J1100 L34-type leg room of the US 95th male (mm): a floor.

    ``L34_req = sqrt(T^2 + S^2 - 2 T S cos k) + 254 mm``: the ankle-pivot-to-H-point
    distance of the SAE J826 95th-percentile leg (thigh ``T`` = 456 mm, lower leg ``S`` =
    459 mm, straight links) at the knee angle ``k`` (law of cosines), plus the 254 mm
    (10 in) SAE J1100 adds to L34. ``k`` = :data:`KNEE_ANGLE_DEG` = 110 deg, the lowest
    knee angle Gao et al. (2022) call usable (below it the right foot dorsiflexes on the
    accelerator): 1,003.5 mm. Assumptions: a planar leg, the J1100 L34 construction of
    the model (docs/geometry.md); no SAE document sets an L34 floor (J826: the devices
    are "not ... tools that measure ... occupant capabilities or comfort"). Validity:
    knee angles 110-145 deg (the tested range). Published small cars' front L34
    (1,026-1,107 mm, 17 rows of 14 families since task s38h; 8 families, 1,026-1,100 mm
    when the floor was set; keidesign/data/vehicles/published_packaging.csv) all meet it
    (tests/test_legroom_floor.py).
    """
    k = math.radians(KNEE_ANGLE_DEG)
    reach = math.sqrt(THIGH_95**2 + LOWER_LEG_95**2 - 2 * THIGH_95 * LOWER_LEG_95 * math.cos(k))
    return reach + LEGROOM_ADD


#: Required front effective head room (SAE J1100 H61 type: H-point to headliner along a
#: line 8 deg rear of vertical + 102 mm), mm: a **benchmark floor of the published class**
#: (task s39d, docs/geometry.md "A head-room floor from the published class"), the 5th
#: percentile (numpy linear interpolation, one value per row) of the published front head
#: rooms of keidesign/data/vehicles/published_packaging.csv (15 rows of 14 families of US
#: small cars, 965-1,020 mm, each row's URL and quote, status R); leave-one-family-out 0
#: of 15 published cars below the floor recomputed without their family. Replaces the US
#: 95th male's erect sitting height (970 mm, SITTING_HEIGHT_95M) until 7 Dec 2026: no
#: source turns a seat-surface-to-vertex height into an H61 floor (task s38k). Assumes
#: the published figures are H61-type (no source states the procedure); validity: small
#: passenger cars (EPA minicompact to compact, MY2008-2019 rows). Derived [A: the
#: quantile is the task's choice, stated before the data were scored]; recomputed by
#: tests/test_headroom_floor.py.
REQUIRED_HEADROOM = 965.0
#: Required rear effective head room (H63 type: the H61 construction from the rear
#: H-point), mm: the same benchmark floor of the published rear head rooms (14 rows of 13
#: families, 940-1,005 mm); leave-one-family-out 1 of 14 below (the Cruze J300, 940 mm,
#: against 942.0 mm without it). Was 970 mm, which 13 of the 14 published cars fail.
REQUIRED_HEADROOM_REAR = 941.3
REQUIRED_LEGROOM = required_legroom()

# registry name of each layout parameter (short name -> registered variable)
COMMON_KEYS = {
    "L": "body:length", "W": "body:width", "H": "body:height", "WB": "body:wheelbase",
    "Tf": "body:track_front", "Tr": "body:track_rear", "front_overhang": "body:front_overhang",
    "ground_clearance": "body:ground_clearance", "hood_height": "body:hood_height",
    "rake": "body:windshield_rake",
    "tyre_width": "body:tyre_width", "tyre_aspect": "body:tyre_aspect", "rim": "body:rim_diameter",
    "crush_length": "crash:front:crush_length", "block_length": "powertrain:block_length",
    "cowl": "body:cowl_setback", "l53": "body:hpoint_to_heel", "w20": "body:seat_lateral",
    "l50": "body:couple_distance", "floor_thickness": "body:floor_thickness",
    "roof_thickness": "body:roof_thickness", "powertrain_width": "body:powertrain_width",
    "powertrain_height": "body:powertrain_height",
}
STYLE_KEYS = {
    "tallboy": {"belt": "belt_height", "tumblehome": "tumblehome", "roof_radius": "roof_radius",
                "plan_radius": "plan_radius", "h30": "seat_height", "rear_rake": "rear_rake"},
    "hatch": {"belt": "belt_height", "tumblehome": "tumblehome", "roof_radius": "roof_radius",
              "plan_radius": "plan_radius", "h30": "seat_height",
              "backlight_rake": "backlight_rake", "drop": "roof_drop"},
    "truck": {"belt": "belt_height", "tumblehome": "tumblehome", "roof_radius": "roof_radius",
              "plan_radius": "plan_radius", "h30": "seat_height",
              "bed_length": "bed_length", "deck_height": "deck_height",
              "gate_height": "gate_height", "engine_setback": "engine_setback",
              "frame_width": "frame_width"},
}
ENERGY_KEYS = {
    "ice": {"fuel": "powertrain:ice:fuel_tank"},
    "bev": {"battery_energy": "powertrain:bev:battery_energy",
            "battery_height": "body:battery_height",
            "battery_density": "body:battery_energy_density"},
}


def parameter_names(style: str, powertrain: str) -> dict[str, str]:
    """Short name -> registered variable name, for one style and powertrain type."""
    names = dict(COMMON_KEYS)
    names.update({k: f"body:{style}:{v}" for k, v in STYLE_KEYS[style].items()})
    names.update(ENERGY_KEYS[powertrain])
    return names


# ---------------------------------------------------------------------------------------
# 2D fillets


@dataclass
class Fillets:
    """A closed polygon with rounded corners.

    ``t1``/``t2``: tangent points (x, z) before/after each vertex, ``mid``: arc
    midpoints, ``r``: radii used; ``nodes_x``/``nodes_z``: (n, k+1) chord nodes of each
    arc from ``t1`` to ``t2`` (the polyline of the closed form).
    """

    x: Any
    z: Any
    r: Any
    t1x: Any
    t1z: Any
    t2x: Any
    t2z: Any
    midx: Any
    midz: Any
    nodes_x: Any
    nodes_z: Any


def fillet_polygon(x: Any, z: Any, r: Any, k: int, limit: bool = True) -> Fillets:
    """Round every corner of the closed polygon (x, z) with radius r (arrays, length n).

    With ``limit`` each radius is reduced so its tangent length is at most 45 % of each
    adjacent edge. A zero radius leaves a sharp corner.

    Several polygons at once (plain float arrays only, e.g. a sweep's cases checked
    together, :func:`geometry.params.layout_problems`): ``x``, ``z`` of shape
    (vertices, polygons) with one ``r`` (vertices,); every field of the result then has
    a leading polygon axis (``nodes_x[j]`` is polygon ``j``'s (vertices, k+1) nodes),
    each polygon's arithmetic the one-polygon case's, element by element.
    """
    batch = type(x) is np.ndarray and x.ndim == 2
    if batch:
        nv, nc = x.shape
        x, z = np.ascontiguousarray(x.T).reshape(-1), np.ascontiguousarray(z.T).reshape(-1)
        r = np.tile(np.broadcast_to(np.asarray(r, dtype=float), (nv,)), nc)
        base = (nv * np.arange(nc))[:, None]
        ip = (base + np.roll(np.arange(nv), 1)[None, :]).reshape(-1)
        inx = (base + np.roll(np.arange(nv), -1)[None, :]).reshape(-1)
    else:
        n = len(ad.value(x))
        ip = np.roll(np.arange(n), 1)
        inx = np.roll(np.arange(n), -1)
    ax, az = _take(x, ip) - x, _take(z, ip) - z
    bx, bz = _take(x, inx) - x, _take(z, inx) - z
    la, lb = sqrt(ax * ax + az * az), sqrt(bx * bx + bz * bz)
    u1x, u1z, u2x, u2z = ax / la, az / la, bx / lb, bz / lb
    cosb = u1x * u2x + u1z * u2z
    cross = u1x * u2z - u1z * u2x
    sinb = where(ad.real(cross) >= 0, cross, -cross)
    # tan(alpha), alpha = half the corner angle, and the tangent length r / tan(alpha) =
    # r sin(b) / (1 - cos b): both 0/0-free at a straight vertex (cos b = -1, sin b = 0:
    # a tumblehome or tailgate rake of 0 deg puts one on the section or side profile;
    # it gave NaN areas and an AnalysisError traceback in `evaluate` before, s26f)
    tan_half = sinb / maximum(1.0 + cosb, 1e-12)
    if limit:
        rmax = 0.45 * minimum(la, lb) * tan_half
        r = minimum(r, rmax)
    t = r * sinb / maximum(1.0 - cosb, 1e-12)
    t1x, t1z = x + u1x * t, z + u1z * t
    t2x, t2z = x + u2x * t, z + u2z * t
    bisx, bisz = u1x + u2x, u1z + u2z
    lbis = sqrt(bisx * bisx + bisz * bisz)
    sin_half = sqrt(0.5 * (1.0 - cosb))
    dc = r / sin_half
    # the bisector's direction; at a straight vertex (u1 = -u2) the arc turns by 0 and
    # collapses onto the vertex whatever the direction: the normal of the edge
    straight = ad.real(lbis) < 1e-9
    lbis = maximum(lbis, 1e-12)
    bx_ = where(straight, -u1z, bisx / lbis)
    bz_ = where(straight, u1x, bisz / lbis)
    cx, cz = x + bx_ * dc, z + bz_ * dc
    if isinstance(x, D):       # arc midpoints are for the CAD wires only
        midx = midz = None
    else:
        midx, midz = cx - bx_ * r, cz - bz_ * r
    # chord nodes: rotate (t1 - c) about c by fractions of the turning angle; one node
    # where the outward normal crosses a diagonal (45 deg) direction, so that each chord
    # lies on one side of it (the panel classes of the closed form split there)
    phi = np.pi - ad.arccos(cosb)
    sgn = np.sign(ad.real((t1x - cx) * (t2z - cz) - (t1z - cz) * (t2x - cx)))
    if batch:                  # each polygon's orientation, on each of its vertices
        area2 = (x * z[inx] - x[inx] * z).reshape(nc, nv).sum(axis=1)
        orient = np.repeat(np.where(area2 > 0, 1.0, -1.0), nv)
    else:
        orient = ad.sign_choice(np.sum(ad.real(x * _take(z, inx) - _take(x, inx) * z)))
    # outward normal at t1: right of the travel direction (-u1) for a counter-clockwise
    # polygon, left for a clockwise one
    psi0 = ad.arctan2(orient * u1x, -orient * u1z)
    f = _diagonal_fraction(psi0, phi, sgn)
    m = k // 2
    j = np.arange(m + 1) / m
    ca_ = np.concatenate([j[:-1], 1.0 - j])          # frac = f * ca_ + cb_
    cb_ = np.concatenate([np.zeros(m), j])
    frac = _col(f) * ca_[None, :] + cb_[None, :]
    ang = frac * _col(phi * sgn)
    ca, sa = ad.cos(ang), ad.sin(ang)
    dx, dz = _col(t1x - cx), _col(t1z - cz)
    nodes_x = _col(cx) + dx * ca - dz * sa
    nodes_z = _col(cz) + dx * sa + dz * ca
    if batch:
        def per(a: Any) -> Any:
            return a.reshape((nc, nv) + a.shape[1:])

        return Fillets(*(per(a) for a in (x, z, r, t1x, t1z, t2x, t2z, midx, midz,
                                          nodes_x, nodes_z)))
    return Fillets(x, z, r, t1x, t1z, t2x, t2z, midx, midz, nodes_x, nodes_z)


_DIAGONALS = np.pi / 4 + np.arange(-8, 9) * np.pi / 2


def _diagonal_fraction(psi0: Any, phi: Any, sgn: np.ndarray) -> Any:
    """Fraction of each arc (turning ``phi`` in direction ``sgn`` from normal angle
    ``psi0``) where the normal first crosses a diagonal direction; 0.5 if none."""
    p0, ph = ad.real(psi0), ad.real(phi)
    t = (_DIAGONALS[None, :] - p0[:, None]) * sgn[:, None]
    t = np.where((t > 1e-9) & (t < ph[:, None] - 1e-9), t, np.inf)
    best = t.min(1)
    has = np.isfinite(best)
    dsel = np.where(has, p0 + sgn * np.where(has, best, 0.0), 0.0)   # the diagonal angle
    phs = where(ph > 1e-12, phi, 1.0)
    return where(has, (dsel - psi0) * sgn / phs, 0.5)


def _take(a: Any, idx: Any) -> Any:
    return a.take(idx) if type(a) is D else a[idx]


def _col(a: Any) -> Any:
    return a[:, None]


def _outer(a: Any, b: np.ndarray) -> Any:
    return a[:, None] * b[None, :]


def chain(f: Fillets, idx: list[int], reverse: bool = False) -> tuple[Any, Any]:
    """Polyline nodes of the arcs at vertices ``idx`` (in that order), each arc reversed
    when ``reverse``; returns flat (x, z) arrays (one gather)."""
    k1 = np.shape(ad.value(f.nodes_x))[1]
    order = np.concatenate([i * k1 + (np.arange(k1)[::-1] if reverse else np.arange(k1))
                            for i in idx])
    return _take(f.nodes_x.reshape(-1), order), _take(f.nodes_z.reshape(-1), order)


class Piecewise:
    """A piecewise-linear function on nodes ``xp`` (increasing, repeats allowed),
    constant beyond the end nodes."""

    def __init__(self, xp: Any, fp: Any) -> None:
        self.xr = np.real(ad.value(xp))
        x0, x1 = xp[:-1], xp[1:]
        f0, f1 = fp[:-1], fp[1:]
        dx = x1 - x0
        flat = np.abs(self.xr[1:] - self.xr[:-1]) < 1e-12
        self.slope = where(flat, 0.0, (f1 - f0) / where(flat, 1.0, dx))
        self.x0, self.f0 = x0, f0
        self.lo, self.hi = xp[0], xp[-1]

    def __call__(self, xq: Any) -> Any:
        xr = self.xr
        q = np.real(ad.value(xq))
        i = np.minimum(np.maximum(np.searchsorted(xr, q, side="right") - 1, 0), len(xr) - 2)
        xq = where(q < xr[0], self.lo, where(q > xr[-1], self.hi, xq))
        return _take(self.f0, i) + _take(self.slope, i) * (xq - _take(self.x0, i))


def interp(xq: Any, xp: Any, fp: Any) -> Any:
    """Piecewise-linear ``f(xq)`` on nodes (xp increasing, repeats allowed); clamps."""
    return Piecewise(xp, fp)(xq)


# ---------------------------------------------------------------------------------------
# the layout of one body


class Layout:
    """Key points, profiles and packaging of one body (all lengths mm, angles rad).

    Args:
        p: layout parameters by short name (see :func:`parameter_names`), in registered
            units (mm, deg, inch, percent, L, kW*h, W*h/L); numbers, complex or D.
        style: ``"tallboy"``, ``"hatch"`` or ``"truck"``.
        powertrain: ``"ice"`` or ``"bev"``.
        placement: where a BEV's traction battery sits (:data:`PLACEMENTS`, see
            :attr:`storage_box`); an ICE's fuel tank has one place (``"underfloor"``).
        engine: where the powertrain block sits (``powertrain.layout``,
            :data:`ENGINE_LAYOUTS`, see :attr:`powertrain_box`).
    """

    def __init__(self, p: Mapping[str, Any], style: str, powertrain: str = "ice",
                 placement: str = "underfloor", engine: str = "front") -> None:
        if style not in STYLES:
            raise ValueError(f"unknown body style {style!r}")
        if placement not in PLACEMENTS:
            raise ValueError(f"unknown battery placement {placement!r}")
        if engine not in ENGINE_LAYOUTS:
            raise ValueError(f"unknown powertrain layout {engine!r}")
        self.engine = engine
        self.p = p
        self.style = style
        self.powertrain = powertrain
        self.placement = placement if powertrain == "bev" else "underfloor"
        g = p.__getitem__
        self.L, self.W, self.H, self.WB = g("L"), g("W"), g("H"), g("WB")
        self.gc, self.hh = g("ground_clearance"), g("hood_height")
        self.rake = g("rake") * (np.pi / 180.0)
        self.theta = g("tumblehome") * (np.pi / 180.0)
        self.belt = g("belt")
        self.tw = g("tyre_width")
        self.R_tyre = 12.7 * g("rim") + g("tyre_width") * g("tyre_aspect") / 100.0
        self.R_arch = self.R_tyre + ARCH_CLEARANCE
        self.x_front_axle = g("front_overhang")
        self.x_rear_axle = g("front_overhang") + g("WB")
        self.z_w = self.R_tyre
        self.x_dash = g("crush_length")
        self.x_cowl = g("crush_length") + g("cowl")
        self.y_in = 0.5 * minimum(g("Tf"), g("Tr")) - 0.5 * g("tyre_width") - WHEELHOUSE_GAP
        self.r_roof = g("roof_radius")
        self.r_plan_f = g("plan_radius")
        self.r_plan_r = REAR_PLAN_RATIO * g("plan_radius")

    # -- side profile -------------------------------------------------------------------
    @cached_property
    def arch_half_chord(self) -> Any:
        """Half-length of the wheel-arch opening at the floor line z = gc."""
        d = self.z_w - self.gc
        return sqrt(self.R_arch * self.R_arch - d * d)

    @cached_property
    def side_vertices(self) -> tuple[list[str], Any, Any, Any]:
        """(names, x, z, r) of the side-profile polygon, in order around it."""
        p, L, H, gc, hh = self.p, self.L, self.H, self.gc, self.hh
        c = self.arch_half_chord
        x_ap = self.x_front_axle - c - ARCH_FLOOR_GAP
        zbl_f = gc + minimum(0.45 * self.R_tyre, x_ap * math.tan(math.radians(30)))
        zbu_f = maximum(0.55 * hh, zbl_f + 150.0)
        x_dp = minimum(self.x_rear_axle + c + ARCH_FLOOR_GAP, L - 20.0)
        zbl_r = gc + minimum(0.5 * self.R_tyre, (L - x_dp) * math.tan(math.radians(40)))
        zbu_r = maximum(0.58 * self.belt, zbl_r + 150.0)
        x_wt = self.x_cowl + (H - hh) * tan(self.rake)
        if self.style == "tallboy":
            z_n = hh - 0.13 * (hh - gc)
            x_n = 90.0 + (z_n - zbu_f) * math.tan(math.radians(18))
            x_rr = L - (H - zbu_r) * tan(p["rear_rake"] * (np.pi / 180.0))
            names = ["floor_front", "bumper_front_low", "bumper_front_top", "hood_front",
                     "cowl", "roof_front", "roof_rear", "bumper_rear_top",
                     "bumper_rear_low", "floor_rear"]
            pts = [(x_ap, gc, 40.0), (0.0, zbl_f, 40.0), (0.0, zbu_f, 60.0),
                   (x_n, z_n, 150.0), (self.x_cowl, hh, 80.0), (x_wt, H, 260.0),
                   (x_rr, H, 110.0), (L, zbu_r, 60.0), (L, zbl_r, 10.0),
                   (x_dp, gc, 10.0)]
        elif self.style == "truck":
            # cab-over: near-vertical front face, short slope to the windshield base, the
            # cab roof to the cab back, then the bed (drop sides) at the gate top to the rear
            z_n = hh - 0.1 * (hh - gc)
            x_n = 40.0 + (z_n - zbu_f) * math.tan(math.radians(TRUCK_NOSE_LEAN_DEG))
            x_cb, z_g = self.x_cab_back, self.z_gate
            names = ["floor_front", "bumper_front_low", "bumper_front_top", "hood_front",
                     "cowl", "roof_front", "roof_rear", "cab_back_low", "bumper_rear_top",
                     "bumper_rear_low", "floor_rear"]
            pts = [(x_ap, gc, 40.0), (0.0, zbl_f, 40.0), (0.0, zbu_f, 40.0),
                   (x_n, z_n, 100.0), (self.x_cowl, hh, 60.0), (x_wt, H, 150.0),
                   (x_cb, H, 80.0), (x_cb, z_g, 30.0), (L, z_g, 20.0), (L, zbl_r, 10.0),
                   (x_dp, gc, 10.0)]
        else:
            z_n = hh - 0.16 * (hh - gc)
            x_n = 110.0 + (z_n - zbu_f) * math.tan(math.radians(32))
            z_bb = self.belt + 40.0
            x_bb = L - (z_bb - zbu_r) * math.tan(math.radians(12))
            z_rr = H - p["drop"]
            x_rr = x_bb - (z_rr - z_bb) * tan(p["backlight_rake"] * (np.pi / 180.0))
            x_pk = x_wt + 0.35 * (x_rr - x_wt)
            names = ["floor_front", "bumper_front_low", "bumper_front_top", "hood_front",
                     "cowl", "roof_front", "roof_peak", "roof_rear", "backlight_base",
                     "bumper_rear_top", "bumper_rear_low", "floor_rear"]
            pts = [(x_ap, gc, 40.0), (0.0, zbl_f, 40.0), (0.0, zbu_f, 70.0),
                   (x_n, z_n, 200.0), (self.x_cowl, hh, 80.0), (x_wt, H, 320.0),
                   (x_pk, H, 0.0), (x_rr, z_rr, 140.0), (x_bb, z_bb, 100.0),
                   (L, zbu_r, 70.0), (L, zbl_r, 10.0), (x_dp, gc, 10.0)]
        x = stack([q[0] for q in pts])
        z = stack([q[1] for q in pts])
        r = np.array([q[2] for q in pts])
        return names, x, z, r

    def side_point(self, name: str) -> tuple[Any, Any]:
        names, x, z, _ = self.side_vertices
        i = names.index(name)
        return x[i], z[i]

    @cached_property
    def side(self) -> Fillets:
        _, x, z, r = self.side_vertices
        return fillet_polygon(x, z, r, K_SIDE, limit=True)

    @cached_property
    def _idx(self) -> dict[str, int]:
        return {n: i for i, n in enumerate(self.side_vertices[0])}

    @cached_property
    def front_chain(self) -> tuple[Any, Any]:
        """(z, x) of the front boundary x_f(z), z increasing from gc to H."""
        i = self._idx
        x, z = chain(self.side, list(range(i["floor_front"], i["roof_front"] + 1)))
        return z, x

    @cached_property
    def rear_chain(self) -> tuple[Any, Any]:
        """(z, x) of the rear boundary x_r(z), z increasing from gc to H."""
        n = len(self.side_vertices[0])
        i = self._idx
        x, z = chain(self.side, list(range(n - 1, i["roof_front"], -1)), reverse=True)
        return z, x

    @cached_property
    def top_chain(self) -> tuple[Any, Any]:
        """(x, z) of the upper boundary z_top(x), x increasing from 0 to L."""
        i = self._idx
        return chain(self.side, list(range(i["bumper_front_top"], i["bumper_rear_top"] + 1)))

    @cached_property
    def bottom_chain(self) -> tuple[Any, Any]:
        """(x, z) of the lower boundary z_bot(x), x increasing from 0 to L."""
        i = self._idx
        order = [i["bumper_front_low"], i["floor_front"], i["floor_rear"], i["bumper_rear_low"]]
        return chain(self.side, order, reverse=True)

    @cached_property
    def _pw(self) -> dict[str, Piecewise]:
        return {"xf": Piecewise(*self.front_chain), "xr": Piecewise(*self.rear_chain),
                "zt": Piecewise(*self.top_chain), "zb": Piecewise(*self.bottom_chain),
                "hw": Piecewise(*self.section_chain)}

    def x_front(self, z: Any) -> Any:
        """Front boundary of the side profile at height z."""
        return self._pw["xf"](z)

    def x_rear(self, z: Any) -> Any:
        """Rear boundary of the side profile at height z."""
        return self._pw["xr"](z)

    def z_top(self, x: Any) -> Any:
        """Upper boundary of the side profile at x."""
        return self._pw["zt"](x)

    def z_bot(self, x: Any) -> Any:
        """Lower boundary of the side profile at x."""
        return self._pw["zb"](x)

    # -- section and plan ---------------------------------------------------------------
    @cached_property
    def section_vertices(self) -> tuple[Any, Any, Any]:
        """(y, z, r) of the section polygon; extends 50 mm below the floor line."""
        W, H, b = self.W, self.H, self.belt
        xt = 0.5 * W - (H - b) * tan(self.theta)
        zb = self.gc - 50.0
        y = stack([-0.5 * W, -0.5 * W, -xt, xt, 0.5 * W, 0.5 * W])
        z = stack([zb, b, H, H, b, zb])
        r = stack([0.0, SHOULDER_RADIUS, self.r_roof, self.r_roof, SHOULDER_RADIUS, 0.0])
        return y, z, r

    @cached_property
    def section(self) -> Fillets:
        y, z, r = self.section_vertices
        return fillet_polygon(y, z, r, K_SECTION, limit=False)

    @cached_property
    def section_chain(self) -> tuple[Any, Any]:
        """(z, y) of the right half of the section, z increasing (y = w(z)/2)."""
        y, z = chain(self.section, [5, 4, 3], reverse=True)
        return z, y

    def half_width(self, z: Any) -> Any:
        """Half-width of the section at height z (mm)."""
        return self._pw["hw"](z)

    @cached_property
    def roof_fillet_start(self) -> Any:
        """Height where the roof-corner fillet of the section leaves the tumblehome."""
        s = self.section
        return s.t1z[2]

    def plan_inset(self, x: Any, front: bool = True) -> Any:
        """Inset c(x) of the plan outline from |y| = W/2 at distance x from the
        front (or rear) face, inside a corner band of the plan radius."""
        r = self.r_plan_f if front else self.r_plan_r
        u = r - x
        return r - sqrt(maximum(r * r - u * u, 1e-9))

    # -- glazing ------------------------------------------------------------------------
    @cached_property
    def glass_z(self) -> tuple[Any, Any]:
        """Bottom and top of all glazing: belt + sill, roof-fillet start - 20 mm."""
        return self.belt + GLASS_SILL, self.roof_fillet_start - 20.0

    def glass_half_width(self, z: Any) -> Any:
        """Half-width of the windshield/backlight glass at height z."""
        return 0.5 * self.W - (z - self.belt) * tan(self.theta) - A_PILLAR_Y

    @cached_property
    def windows(self) -> list[tuple[Any, Any, Any, Any]]:
        """Side windows as quadrilaterals (x_front_bottom, x_rear_bottom, x_rear_top,
        x_front_top) between the glazing heights :attr:`glass_z`; windows narrower
        than 40 mm are left out (pillars merge)."""
        return [w[:4] for w in self.window_candidates
                if min(ad.real(w[1] - w[0]), ad.real(w[2] - w[3])) > 40.0]

    @cached_property
    def window_notes(self) -> list[str]:
        """One line per side window left out of :attr:`windows` (narrower than 40 mm at
        its bottom or top edge: the pillars merge), for the export's notes."""
        out = []
        for i, (fb, rb, rt, ft, _) in enumerate(self.window_candidates, start=1):
            bottom, top = float(ad.real(rb - fb)), float(ad.real(rt - ft))
            if min(bottom, top) <= 40.0:
                out.append(f"side window {i} of {len(self.window_candidates)} (x = "
                           f"{float(ad.real(fb)):.0f}-{float(ad.real(rb)):.0f} mm at its "
                           f"bottom) is {bottom:.0f} mm wide at its bottom and {top:.0f} mm "
                           f"at its top, narrower than 40 mm: left out, its pillars merge "
                           f"into one panel")
        return out

    @cached_property
    def window_candidates(self) -> list[tuple[Any, Any, Any, Any, Any]]:
        """Every side-window quadrilateral before the 40 mm test, with that test:
        ``(x_front_bottom, x_rear_bottom, x_rear_top, x_front_top, kept)``, ``kept`` a
        boolean (elementwise, no Python branch: the closed form masks with it)."""
        z0, z1 = self.glass_z
        front = [self.x_cowl + A_PILLAR + (z - self.hh) * tan(self.rake) for z in (z0, z1)]
        dp = D_PILLAR[self.style]
        rear = [self.x_rear(z) - dp for z in (z0, z1)]
        xb0 = self.h_point[0] + B_PILLAR_SETBACK
        # the truck cab has one door window per side, from the A- to the rear pillar
        cuts = [] if self.style == "truck" else [(xb0, xb0 + B_PILLAR)]
        if self.style == "tallboy":
            xc0 = self.rear_h_point_x + C_PILLAR_SETBACK
            cuts.append((xc0, xc0 + C_PILLAR))
        edges = [(front[0], front[1])]
        for a, b in cuts:
            edges.append((a, a))
            edges.append((b, b))
        edges.append((rear[0], rear[1]))
        out = []
        for j in range(0, len(edges), 2):
            (fb, ft), (rb, rt) = edges[j], edges[j + 1]
            fb2, ft2 = maximum(fb, edges[0][0]), maximum(ft, edges[0][1])
            rb2, rt2 = minimum(rb, rear[0]), minimum(rt, rear[1])
            kept = (ad.real(rb2 - fb2) > 40.0) & (ad.real(rt2 - ft2) > 40.0)
            out.append((fb2, rb2, rt2, ft2, kept))
        return out

    # -- occupant and packaging ---------------------------------------------------------
    @cached_property
    def z_floor(self) -> Any:
        """Cabin floor height: underside + floor (+ the battery pack of a BEV whose pack
        lies under the floor, placement ``underfloor``)."""
        z = self.gc + self.p["floor_thickness"]
        if self.placement == "underfloor" and self.powertrain == "bev":
            z = z + self.p["battery_height"]
        return z

    @cached_property
    def z_cargo_floor(self) -> Any:
        """Luggage floor behind the rear seat back: the cabin floor, or for a pack
        ``rear`` (under the luggage floor) underside + floor + pack height."""
        if self.placement == "rear":
            return self.gc + self.p["floor_thickness"] + self.p["battery_height"]
        return self.z_floor

    @cached_property
    def heel_point(self) -> tuple[Any, Any]:
        """Accelerator heel point (x, z)."""
        return self.x_dash + TOE_BOARD, self.z_floor

    @cached_property
    def h_point(self) -> tuple[Any, Any]:
        """Front seating reference point (SgRP / H-point) (x, z)."""
        xh, zh = self.heel_point
        return xh + self.p["l53"], zh + self.p["h30"]

    @cached_property
    def rear_h_point_x(self) -> Any:
        return self.h_point[0] + self.p["l50"]

    @cached_property
    def rear_h_point(self) -> tuple[Any, Any]:
        """Rear seating reference point (x, z): the front H-point's height (same seat
        height over the same floor [assumed]), raised by the pack height when the pack
        sits under the rear seat (placement ``under_rear_seat``)."""
        z = self.h_point[1]
        if self.placement == "under_rear_seat":
            z = z + self.p["battery_height"]
        return self.rear_h_point_x, z

    @cached_property
    def cell_x(self) -> tuple[Any, Any]:
        """Occupant cell: dash panel to the rear seat back."""
        return self.x_dash, self.rear_h_point_x + REAR_SEATBACK

    @cached_property
    def powertrain_box(self) -> tuple[Any, ...]:
        """(x0, x1, y_half, z0, z1) of the powertrain envelope, ``block_length`` long, its
        underside :data:`PT_FLOOR_GAP` above the ground-clearance line, placed by
        ``powertrain.layout`` (:attr:`engine`) [assumed positions]:

        * ``front``: ending :data:`PT_DASH_GAP` ahead of the dash panel, in the front
          crush zone (the only position the frontal crash stack-up counts);
        * ``rear``: from the rear axle line backwards (over and behind the rear axle, as
          the i-MiEV's, Honda e's or smart's unit), moved forward as far as needed to end
          :data:`PT_DASH_GAP` inside the rear face;
        * ``mid``: ending on the rear axle line (ahead of it, behind the occupants);
        * ``underfloor``: under the front seats, centred on the front H-point.

        The kei truck (style ``truck``, cab-over: no engine bay) places its block by its
        own key whatever the layout, ``body.truck.engine_setback`` behind the front axle
        (the Carry's and Hijet's engine under the seats, the Minicab MiEV truck's rear
        motor ahead of the rear axle).
        """
        p = self.p
        z0 = self.gc + PT_FLOOR_GAP
        z1 = z0 + p["powertrain_height"]
        yh = 0.5 * p["powertrain_width"]
        block = p["block_length"]
        engine = self.engine
        if self.style == "truck":       # cab-over: placed by its own engine_setback
            x0 = self.x_front_axle + p["engine_setback"]
        elif engine == "front":
            x0 = self.x_dash - PT_DASH_GAP - block
        elif engine == "rear":
            x0 = minimum(self.x_rear_axle, self.L - PT_DASH_GAP - block)
        elif engine == "mid":
            x0 = self.x_rear_axle - block
        else:                           # underfloor: under the front seats
            x0 = self.h_point[0] - 0.5 * block
        return (x0, x0 + block, yh, z0, z1)

    @cached_property
    def storage_box(self) -> tuple[Any, ...]:
        """(x0, x1, y_half, z0, z1) of the fuel tank (ICE) or battery pack (BEV).

        The tank is a box of :data:`TANK_HEIGHT` ahead of the rear wheel arch. The pack's
        volume is ``E / rho`` (``powertrain.bev.battery_energy``,
        ``body.battery_energy_density``); its cross-section is set by the placement and
        its length follows from the volume (:attr:`storage_section`), placed as
        :attr:`storage_x` says.
        """
        if self.powertrain == "bev":
            w, h = self.storage_section
            x0, x1 = self.storage_x
            z0 = self.gc + STORAGE_FLOOR_GAP
            return x0, x1, 0.5 * w, z0, z0 + h
        w = minimum(TANK_WIDTH, 2.0 * self.y_in - 60.0)
        vol = self.storage_required
        length = vol / (w * TANK_HEIGHT)
        x1 = self.x_rear_axle - self.R_arch - 40.0
        z0 = self.gc + 10.0
        return x1 - length, x1, 0.5 * w, z0, z0 + TANK_HEIGHT

    @cached_property
    def storage_required(self) -> Any:
        """Volume (mm^3) of the energy store: the pack ``E / rho`` (kWh -> Wh -> L ->
        mm^3) or the tank envelope ``TANK_FILL x`` capacity."""
        if self.powertrain == "bev":
            return self.p["battery_energy"] * 1e3 / self.p["battery_density"] * 1e6
        return self.p["fuel"] * 1e6 * TANK_FILL

    @cached_property
    def storage_section(self) -> tuple[Any, Any]:
        """(width, height) of the battery pack's cross-section (BEV), by placement:

        * ``underfloor``, ``under_rear_seat``, ``rear``: a slab between the wheelhouses,
          ``min(1200, 2 y_in - 40)`` wide, ``body.battery_height`` high;
        * ``tunnel``: between the front occupants' hips (US 95th male hip breadth
          410 mm on seats ``W20`` from the centreline): ``2 W20 - 410`` wide, from the
          underside to the front H-point high (no floor rise).
        """
        if self.placement == "tunnel":
            w = 2.0 * self.p["w20"] - HIP_BREADTH_95M
            return w, self.h_point[1] - self.gc - STORAGE_FLOOR_GAP
        return minimum(BATTERY_WIDTH, 2.0 * self.y_in - 40.0), self.p["battery_height"]

    @cached_property
    def storage_bay(self) -> tuple[Any, Any]:
        """(x_start, x_end) of the length the placement offers the energy store:

        * fuel tank, ``underfloor``: between the wheel arches (front arch + R_a to rear
          arch - R_a; the tank ends 40 mm ahead of the rear arch);
        * ``under_rear_seat``: the rear-seat footprint, cushion front edge
          (:data:`REAR_CUSHION_AHEAD` ahead of the rear H-point) to the rear seat back;
        * ``tunnel``: heel point (behind the toe board) to the rear seat back;
        * ``rear``: rear seat back to the end of the flat floor (``floor_rear``, where
          the rear bumper ramp starts).
        """
        if self.placement == "under_rear_seat":
            return self.rear_h_point_x - REAR_CUSHION_AHEAD, self.cell_x[1]
        if self.placement == "tunnel":
            return self.heel_point[0], self.cell_x[1]
        if self.placement == "rear":
            return self.cell_x[1], self.side_point("floor_rear")[0]
        return self.x_front_axle + self.R_arch, self.x_rear_axle - self.R_arch

    @cached_property
    def storage_x(self) -> tuple[Any, Any]:
        """(x0, x1) of the battery pack (BEV), its length ``V / (w h)``: centred between
        the axles (``underfloor``), its rear end at the rear seat back
        (``under_rear_seat``), its front end at the heel point (``tunnel``) or at the rear
        seat back (``rear``)."""
        w, h = self.storage_section
        length = self.storage_required / (w * h)
        if self.placement == "under_rear_seat":
            return self.cell_x[1] - length, self.cell_x[1]
        if self.placement in ("tunnel", "rear"):
            x0 = self.storage_bay[0]
            return x0, x0 + length
        xm = 0.5 * (self.x_front_axle + self.x_rear_axle)
        return xm - 0.5 * length, xm + 0.5 * length

    @cached_property
    def storage_available(self) -> Any:
        """Volume (mm^3) the placement offers: the bay length (:attr:`storage_bay`) x the
        store's cross-section (for the tank, up to its rear end)."""
        x0, x1, yh, z0, z1 = self.storage_box
        a, b = self.storage_bay
        if self.powertrain != "bev":
            b = x1
        return (b - a) * 2.0 * yh * (z1 - z0)

    # -- kei truck: cab back, bed and ladder frame ------------------------------------
    @cached_property
    def x_cab_back(self) -> Any:
        """Cab back panel (truck): the bed floor and its two end walls fill the rest."""
        return self.L - self.p["bed_length"] - 2.0 * BED_END_WALL

    @cached_property
    def z_gate(self) -> Any:
        """Top of the drop sides and tail gate (truck): deck + gate height."""
        return self.p["deck_height"] + self.p["gate_height"]

    @cached_property
    def bed_box(self) -> tuple[Any, ...]:
        """(x0, x1, y_half, z0, z1) of the bed's load space (truck): floor length x inner
        width (W - 2 drop sides), deck to the gate top."""
        x0 = self.x_cab_back + BED_END_WALL
        return (x0, x0 + self.p["bed_length"], 0.5 * self.W - BED_SIDE_WALL,
                self.p["deck_height"], self.z_gate)

    @cached_property
    def bed_panels(self) -> dict[str, tuple[Any, ...]]:
        """(x0, x1, y0, y1, z0, z1) of the bed's sheet-metal parts (truck), by part name:
        plates of the sheet thickness (:data:`BED_DECK_SHEET`, :data:`BED_WALL_SHEET`)
        whose inner faces are the faces of the load space :attr:`bed_box`. The deck runs
        under the walls to the outer edges; the drop sides run the full length (over the
        ends of the headboard and tail gate), so the five plates close the load space
        without overlapping. Only the sheet is drawn: the rest of the published wall
        depth (:data:`BED_SIDE_WALL`, :data:`BED_END_WALL`: ribs, top rails, the cab gap)
        is left empty."""
        x0, x1, yh, z0, z1 = self.bed_box
        t, d = BED_WALL_SHEET, BED_DECK_SHEET
        yo = yh + t
        return {"bed_deck": (x0 - t, x1 + t, -yo, yo, z0 - d, z0),
                "bed_side_left": (x0 - t, x1 + t, -yo, -yh, z0, z1),
                "bed_side_right": (x0 - t, x1 + t, yh, yo, z0, z1),
                "bed_tailgate": (x1, x1 + t, -yh, yh, z0, z1),
                "bed_headboard": (x0 - t, x0, -yh, yh, z0, z1)}

    @cached_property
    def frame_z(self) -> tuple[Any, Any]:
        """Bottom and top of the (straight) ladder frame (truck): top under the deck
        sills or under the cab floor, whichever is lower."""
        top = minimum(self.p["deck_height"] - DECK_SILL, self.z_floor)
        return top - FRAME_RAIL_HEIGHT, top

    @cached_property
    def frame_boxes(self) -> list[tuple[Any, ...]]:
        """(x0, x1, y0, y1, z0, z1) of the ladder frame's members (truck): two rails of
        outer width ``frame_width`` from the front end to 50 mm inside the rear face, and
        cross members at both ends and at both axles (they overlap: one solid)."""
        z0, z1 = self.frame_z
        yo = 0.5 * self.p["frame_width"]
        yi = yo - FRAME_RAIL_WIDTH
        x0, x1 = FRAME_FRONT, self.L - 50.0
        boxes = [(x0, x1, -yo, -yi, z0, z1), (x0, x1, yi, yo, z0, z1)]
        c = 0.5 * FRAME_CROSS_LENGTH
        for xc in (x0 + c, self.x_front_axle, self.x_rear_axle, x1 - c):
            boxes.append((xc - c, xc + c, -yi - 1.0, yi + 1.0, z0, z1))
        return boxes

    @cached_property
    def storage_name(self) -> str:
        return "battery" if self.powertrain == "bev" else "fuel_tank"

    @cached_property
    def wheel_centres(self) -> dict[str, tuple[Any, Any, Any]]:
        """Wheel centre (x, y, z) by part name."""
        tf, tr = 0.5 * self.p["Tf"], 0.5 * self.p["Tr"]
        return {"wheel_fl": (self.x_front_axle, -tf, self.z_w), "wheel_fr": (self.x_front_axle, tf,
                                                                             self.z_w),
                "wheel_rl": (self.x_rear_axle, -tr, self.z_w), "wheel_rr": (self.x_rear_axle, tr,
                                                                            self.z_w)}


def layout_from_values(values: Mapping[str, Any], style: str, powertrain: str,
                       placement: str = "underfloor", engine: str = "front") -> Layout:
    """A float :class:`Layout` from registered names (a design's values)."""
    names = parameter_names(style, powertrain)
    return Layout({k: float(values[v]) for k, v in names.items()}, style, powertrain,
                  placement, engine)
