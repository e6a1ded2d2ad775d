"""From a validated :class:`~keidesign.design.Design` to a checked body layout.

:func:`layout_from_design` reads the registered design values into a float
:class:`~geometry.profiles.Layout`; :func:`check_layout` rejects parameter sets that
cannot make a valid solid with one :class:`~keidesign.errors.InputError` line naming the
file, the parameters (dotted design-file paths), their values and what is allowed.

Packaging shortfalls that still make a valid solid (too little head room, a powertrain
wider than the wheelhouses, a battery longer than the wheelbase allows) are *results*:
see :mod:`geometry.checks`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from geometry.profiles import (
    HIP_BREADTH_95M,
    K_SIDE,
    REAR_SEATBACK,
    TOE_BOARD,
    Layout,
    fillet_polygon,
    parameter_names,
)
from keidesign.errors import InputError

__all__ = ["check_layout", "layout_from_design", "layout_from_mapping", "layout_problems",
           "max_roof_radius"]

MIN_ROOF = 300.0          # shortest flat roof between windshield top and rear corner
MIN_GREENHOUSE = 250.0    # belt line to roof, at least
MIN_ARCH_WALL = 15.0      # wheel arch to bumper face
CELL_REAR_MARGIN = 100.0  # occupant cell's rear end to the body's rear face, at least



def _floor(x: float, nd: int = 0) -> str:
    """An upper bound printed to ``nd`` decimals, rounded down: the printed value is
    allowed (a bound printed rounded up refused its own value: tumblehome 20.2 deg,
    allowed <= 20.2 deg)."""
    q = 10.0 ** nd
    return f"{math.floor(x * q) / q:.{nd}f}"


def _ceil(x: float, nd: int = 0) -> str:
    """A lower bound printed to ``nd`` decimals, rounded up (see :func:`_floor`)."""
    q = 10.0 ** nd
    return f"{math.ceil(x * q) / q:.{nd}f}"

def _path(name: str) -> str:
    return name.replace(":", ".")


def layout_from_design(design: Any, check: bool = True) -> Layout:
    """The float layout of ``design`` (checked unless ``check`` is False)."""
    return layout_from_mapping(design.values, getattr(design, "path", "<design>"), check)


def layout_from_mapping(values: Mapping[str, Any], source: str = "<values>",
                        check: bool = True) -> Layout:
    """The float layout of a design's values (registered names; checked unless ``check``
    is False, errors naming ``source``): what :func:`layout_from_design` reads, for
    callers holding values only (a sweep's cases, :func:`keidesign.studies.problem.
    case_problem`)."""
    style = str(values["body:style"])
    powertrain = str(values["powertrain:type"])
    names = parameter_names(style, powertrain)
    placement = "underfloor"
    if powertrain == "bev":
        placement = str(values.get("body:battery_placement", placement))
    engine = str(values.get("powertrain:layout", "front"))
    lay = Layout({k: float(values[v]) for k, v in names.items()}, style, powertrain,
                 placement, engine)
    if check:
        check_layout(lay, source)
    return lay


def max_roof_radius(width: Any, height: Any, belt: Any, tumblehome: Any) -> Any:
    """Largest roof-to-side fillet radius (mm) the cross-section takes (numbers or
    arrays of them).

    The greenhouse rises ``height - belt`` (mm) from the belt line, leaning in by
    ``tumblehome`` (deg from vertical); the roof flat is ``width - 2 (height - belt)
    tan(tumblehome)`` wide. A fillet of radius r between the side (at 90 deg - tumblehome
    to the roof) and the roof cuts back t = r tan((90 deg - tumblehome) / 2) along each
    edge; t may take at most 45 % of the shorter edge (the slanted side or the roof
    flat), so two fillets never meet. Plane geometry of the section
    (:class:`geometry.profiles.Layout`); valid for a roof at least 300 mm wide.
    """
    th = np.radians(tumblehome)
    gh = height - belt
    half_roof = 0.5 * width - gh * np.tan(th)
    t_max = 0.45 * np.minimum(gh / np.cos(th), 2.0 * half_roof)
    return t_max / np.tan(0.5 * (0.5 * np.pi - th))


def check_layout(lay: Layout, source: str = "<design>") -> None:
    """Raise :class:`InputError` if the parameters cannot make a valid body solid: the
    first of :func:`layout_problems` for this one layout, naming ``source``."""
    one = Layout({k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in lay.p.items()},
                 lay.style, lay.powertrain, lay.placement, lay.engine)
    msg = layout_problems(one)[0]
    if msg:
        raise InputError(f"{source}: {msg}")


class _Problems:
    """The first failed relation of each of ``n`` cases: relations are tried in order
    (:meth:`rule`), each on every case still open; a case keeps the message of the
    first relation it fails, as one-case checking that stops there would give."""

    def __init__(self, lay: Layout, n: int) -> None:
        self.names = parameter_names(lay.style, lay.powertrain)
        self.p = lay.p
        self.msgs = [""] * n
        self.open = np.ones(n, dtype=bool)

    def v(self, short: str, i: int) -> str:
        return f"{_path(self.names[short])} = {float(self.p[short][i]):g}"

    def rule(self, bad: Any, text: Any) -> None:
        """Cases where ``bad`` (bool array) and still open get ``text(i)``."""
        bad = np.asarray(bad, dtype=bool) & self.open
        if not bad.any():
            return
        for i in np.flatnonzero(bad):
            self.msgs[i] = text(int(i))
        self.open &= ~bad


def layout_problems(lay: Layout) -> list[str]:
    """Why each of a batch of layouts cannot make a valid body solid ("" where it can).

    ``lay`` holds the parameters of ``n`` cases (each value an array of shape (n,), one
    style, powertrain, battery placement and powertrain layout): the relations below are
    closed forms evaluated on the arrays, the wheel-arch test on the side profiles of
    the cases still open (:func:`geometry.profiles.fillet_polygon` on all of them at
    once, point-in-polygon by shapely's vectorized ``contains_xy``). Each case gets the
    message of the first relation it fails, in the order :func:`check_layout` (which is
    this on one case) reports them: the messages of ``keidesign check``, without the file
    name. A sweep checks a chunk of cases with one call (``keidesign.studies.problem.
    case_problems``).
    """
    p = lay.p
    n = int(np.shape(p["L"])[0])
    pb = _Problems(lay, n)
    v, rule = pb.v, pb.rule
    with np.errstate(all="ignore"):       # a case failed early may make NaN further on
        _layout_rules(lay, p, v, rule, pb)
    return pb.msgs


def _layout_rules(lay: Layout, p: Any, v: Any, rule: Any, pb: _Problems) -> None:
    R, zw, gc = (np.asarray(a, dtype=float) for a in (lay.R_arch, lay.z_w, lay.gc))
    R_tyre = np.asarray(lay.R_tyre, dtype=float)

    def tyre(i: int) -> str:
        return (f"tyre {float(p['tyre_width'][i]):g}/{float(p['tyre_aspect'][i]):g}"
                f"R{float(p['rim'][i]):g} (outer radius {R_tyre[i]:.0f} mm)")

    rule(gc >= zw + R - 20.0, lambda i: (
        f"{v('ground_clearance', i)} mm is above the wheel-arch top for the {tyre(i)}; "
        f"allowed: ground clearance < {_floor(zw[i] + R[i] - 20.0)} mm"))
    f_min = R + MIN_ARCH_WALL
    rule(p["front_overhang"] < f_min, lambda i: (
        f"{v('front_overhang', i)} mm is too short for the {tyre(i)}: the front wheel arch "
        f"would cut the bumper face; allowed: front overhang >= {_ceil(f_min[i])} mm"))
    rear = p["L"] - p["WB"] - p["front_overhang"]
    rule(rear < f_min, lambda i: (
        f"{v('L', i)} - {v('WB', i)} - {v('front_overhang', i)} leaves a rear overhang of "
        f"{float(rear[i]):g} mm, too short for the {tyre(i)}; allowed: rear overhang >= "
        f"{_ceil(f_min[i])} mm"))
    rule(p["WB"] < 2.0 * R + 100.0, lambda i: (
        f"{v('WB', i)} mm leaves no floor between the wheel arches of the {tyre(i)}; "
        f"allowed: wheelbase >= {_ceil(2.0 * R[i] + 100.0)} mm"))
    belt = p["belt"]
    rule(belt < zw + R + 50.0, lambda i: (
        f"{v('belt', i)} mm is below the wheel-arch top ({zw[i] + R[i]:.0f} mm) + 50 mm "
        f"for the {tyre(i)}; allowed: belt height >= {_ceil(zw[i] + R[i] + 50.0)} mm"))
    rule(belt > p["H"] - MIN_GREENHOUSE, lambda i: (
        f"{v('belt', i)} mm leaves less than {MIN_GREENHOUSE:g} mm of greenhouse under "
        f"{v('H', i)} mm; allowed: belt height <= {float(p['H'][i]) - MIN_GREENHOUSE:g} mm"))
    # section: roof flat and roof-corner fillet
    th = np.radians(p["tumblehome"])
    gh = p["H"] - belt
    half_roof = 0.5 * p["W"] - gh * np.tan(th)
    rule(half_roof < 150.0, lambda i: (
        f"{v('tumblehome', i)} deg over a {float(gh[i]):g} mm greenhouse leaves a roof "
        f"{2 * half_roof[i]:.0f} mm wide on {v('W', i)} mm; allowed: tumblehome <= "
        f"{_floor(math.degrees(math.atan((0.5 * p['W'][i] - 150.0) / gh[i])), 1)} deg"))
    r_max = max_roof_radius(p["W"], p["H"], belt, p["tumblehome"])
    rule(p["roof_radius"] > r_max, lambda i: (
        f"{v('roof_radius', i)} mm is too large a fillet for the greenhouse "
        f"({v('belt', i)} mm, {v('H', i)} mm, {v('tumblehome', i)} deg); allowed: roof "
        f"radius <= {_floor(r_max[i])} mm"))
    plan_max = np.minimum(0.4 * p["W"], p["front_overhang"] - 50.0)
    rule(p["plan_radius"] > plan_max, lambda i: (
        f"{v('plan_radius', i)} mm is too large a fillet for the plan ({v('W', i)} mm, "
        f"{v('front_overhang', i)} mm); allowed: plan radius <= {_floor(plan_max[i])} mm"))
    # side profile: nose below the hood, hood behind the nose, roof between the glass ends
    names_s, xs, zs, _ = lay.side_vertices
    n = len(pb.msgs)
    xs = np.broadcast_to(np.asarray(xs, dtype=float), (len(names_s), n))
    zs = np.broadcast_to(np.asarray(zs, dtype=float), (len(names_s), n))
    pt = {nm: (xs[j], zs[j]) for j, nm in enumerate(names_s)}
    xn, zn = pt["hood_front"]
    zbf = pt["bumper_front_top"][1]
    rule(zn < zbf + 50.0, lambda i: (
        f"{v('hood_height', i)} mm is too low above {v('ground_clearance', i)} mm for a "
        f"bumper and a nose; allowed: hood height >= "
        f"{_ceil((zbf[i] + 50.0 + 0.13 * gc[i]) / 0.87)} mm"))
    xc = np.asarray(lay.x_cowl, dtype=float)
    rule(xc < xn + 100.0, lambda i: (
        f"the cowl at x = {xc[i]:g} mm ({v('crush_length', i)} + {v('cowl', i)}) leaves no "
        f"hood behind the nose at x = {xn[i]:.0f} mm; allowed: crush length + cowl "
        f"setback >= {_ceil(xn[i] + 100.0)} mm"))
    x_wt, x_rr = pt["roof_front"][0], pt["roof_rear"][0]
    rule(x_rr - x_wt < MIN_ROOF, lambda i: (
        f"the windshield ({v('rake', i)} deg, {v('hood_height', i)} mm, cowl at x = "
        f"{xc[i]:g} mm) reaches the roof at x = {x_wt[i]:.0f} mm, leaving "
        f"{x_rr[i] - x_wt[i]:.0f} mm of roof before the "
        f"rear at x = {x_rr[i]:.0f} mm ({v('L', i)} mm); allowed: at least {MIN_ROOF:g} mm "
        f"of roof (reduce the rake, crush length or cowl setback, or raise the hood)"))
    if lay.style == "truck":
        _truck_rules(lay, p, v, rule, tyre)
    if lay.style == "hatch":
        xbb, zbb = pt["backlight_base"]
        rule((zbb > p["H"] - p["drop"] - 100.0) | (xbb <= x_rr + 10.0), lambda i: (
            f"{v('belt', i)} mm and {v('drop', i)} mm leave no backlight under "
            f"{v('H', i)} mm; allowed: belt height <= "
            f"{float(p['H'][i] - p['drop'][i]) - 140.0:g} mm"))
    _arch_rules(lay, v, rule, tyre, pb.open, R, zw, gc)
    # occupants
    xh, zh = (np.asarray(a, dtype=float) for a in lay.h_point)
    rule(zh > belt - 100.0, lambda i: (
        f"the front H-point at z = {zh[i]:.0f} mm ({v('ground_clearance', i)} + "
        f"{v('floor_thickness', i)} + {v('h30', i)}) is not 100 mm below {v('belt', i)} mm; "
        f"allowed: seat height <= {_floor(p['h30'][i] - (zh[i] - belt[i] + 100.0))} mm"))
    x_cell = np.asarray(lay.cell_x[1], dtype=float)
    # a truck's seat back behind its cab back still makes a solid (the occupant cell
    # reaches into the bed's outer box; closed forms and CAD agree): it is the packaging
    # result body:cab_back_clearance < 0 (packaging:pack.cab_back_clearance), not an error
    rule(x_cell > p["L"] - CELL_REAR_MARGIN, lambda i: (
        f"the rear seat back at x = {x_cell[i]:.0f} mm ({v('crush_length', i)} + "
        f"{TOE_BOARD:g} + {v('l53', i)} + {v('l50', i)} + {REAR_SEATBACK:g}) is not "
        f"{CELL_REAR_MARGIN:g} mm inside {v('L', i)} mm; allowed: hpoint_to_heel + "
        f"couple_distance <= "
        f"{_floor(p['l53'][i] + p['l50'][i] - (x_cell[i] - p['L'][i] + CELL_REAR_MARGIN))} mm"))
    if lay.placement == "tunnel":
        rule(p["w20"] <= 0.5 * HIP_BREADTH_95M, lambda i: (
            f"body.battery_placement = 'tunnel' needs room between the front occupants' "
            f"hips: {v('w20', i)} mm leaves {2.0 * float(p['w20'][i]) - HIP_BREADTH_95M:g} "
            f"mm (2 x seat lateral - {HIP_BREADTH_95M:g} mm hip breadth); allowed: seat "
            f"lateral > {0.5 * HIP_BREADTH_95M:g} mm"))
    if lay.placement == "under_rear_seat":
        # without a rear row (couple distance 0, the default of body.seats <= 2) the rear
        # seat's bay fell under the front seats, whose H-point did not rise over the pack:
        # a two-seat EV "with the battery under the rear seat" passed `keidesign check`
        # and its pack did not fit (task s33f)
        rule(p["l50"] <= 0.0, lambda i: (
            f"body.battery_placement = 'under_rear_seat' needs a rear row: "
            f"{v('l50', i)} mm (the front row only, body.seats <= 2); allowed: "
            f"'underfloor', 'tunnel' or 'rear' (behind the seat backs), or a rear row "
            f"(body.seats >= 3)"))
    x_dash = np.asarray(lay.x_dash, dtype=float)
    rule(xh < x_dash + 300.0, lambda i: (
        f"{v('l53', i)} mm puts the front H-point within 300 mm of the dash panel"))
    # powertrain ahead of the dash (powertrain.layout = 'front'; the cab-over truck's
    # block sits under the seats, the other layouts' outside the front crush zone)
    if lay.engine == "front" and lay.style != "truck":
        x0 = np.asarray(lay.powertrain_box[0], dtype=float)
        rule(x0 < 50.0, lambda i: (
            f"{v('block_length', i)} mm + 50 mm gap to the dash leaves {x0[i]:.0f} mm "
            f"ahead of the powertrain with {v('crush_length', i)} mm; allowed: block "
            f"length <= {float(p['crush_length'][i]) - 100.0:g} mm"))


def _truck_rules(lay: Layout, p: Any, v: Any, rule: Any, tyre: Any) -> None:
    """The truck's bed and ladder frame: gate top at or below the belt line (the bed is
    full width), a flat deck above the rear wheel arches, the frame rails between the
    wheelhouse walls and above the ground clearance."""
    from geometry.profiles import DECK_SILL, FRAME_RAIL_HEIGHT

    z_gate = np.asarray(lay.z_gate, dtype=float)
    rule(z_gate > p["belt"], lambda i: (
        f"the gate top at z = {z_gate[i]:g} mm ({v('deck_height', i)} + "
        f"{v('gate_height', i)}) is above {v('belt', i)} mm; allowed: deck height + gate "
        f"height <= belt height"))
    arch_top = np.asarray(lay.z_w, dtype=float) + np.asarray(lay.R_arch, dtype=float)
    rule(p["deck_height"] < arch_top + DECK_SILL, lambda i: (
        f"{v('deck_height', i)} mm leaves no flat deck over the rear wheel arches of the "
        f"{tyre(i)} (arch top {arch_top[i]:.0f} mm + {DECK_SILL:g} mm sills); allowed: deck "
        f"height >= {arch_top[i] + DECK_SILL:.0f} mm"))
    y_in = np.asarray(lay.y_in, dtype=float)
    rule(p["frame_width"] > 2.0 * y_in - 20.0, lambda i: (
        f"{v('frame_width', i)} mm does not fit between the wheelhouse walls "
        f"({2.0 * y_in[i]:.0f} mm apart for the tracks and the {tyre(i)}); allowed: frame "
        f"width <= {2.0 * y_in[i] - 20.0:.0f} mm"))
    z0 = np.asarray(lay.frame_z[0], dtype=float)
    gc = np.asarray(lay.gc, dtype=float)
    rule(z0 < gc, lambda i: (
        f"the ladder frame ({FRAME_RAIL_HEIGHT:g} mm rails under the cab floor, "
        f"{v('floor_thickness', i)} mm) reaches below {v('ground_clearance', i)} mm; "
        f"allowed: floor thickness >= {FRAME_RAIL_HEIGHT:g} mm"))


def _arch_rules(lay: Layout, v: Any, rule: Any, tyre: Any, open_: np.ndarray,
                R: np.ndarray, zw: np.ndarray, gc: np.ndarray) -> None:
    """Each wheel-arch circle (above the floor line) must lie inside the side profile
    (3 mm inside: shapely's negative buffer), tested on the cases still open."""
    from shapely import buffer, contains_xy, polygons, prepare

    idx = np.flatnonzero(open_)
    if idx.size == 0:
        return
    _, xs, zs, rr = lay.side_vertices
    nv = len(rr)
    xs = np.broadcast_to(np.asarray(xs, dtype=float), (nv, open_.size))[:, idx]
    zs = np.broadcast_to(np.asarray(zs, dtype=float), (nv, open_.size))[:, idx]
    side = fillet_polygon(xs, zs, rr, K_SIDE, limit=True)
    m = idx.size
    ring = np.stack([side.nodes_x.reshape(m, -1), side.nodes_z.reshape(m, -1)], axis=-1)
    poly = buffer(polygons(ring), -3.0)
    prepare(poly)                            # once a polygon, not once a point
    ang = np.linspace(0.0, 2.0 * np.pi, 181)
    Ri, zwi, gci = R[idx, None], zw[idx, None], gc[idx, None]
    p = lay.p
    at = np.zeros(open_.size, dtype=int)     # case -> row among the open cases
    at[idx] = np.arange(m)
    for axle, xa in (("front", p["front_overhang"]),
                     ("rear", p["front_overhang"] + p["WB"])):
        x = np.asarray(xa, dtype=float)[idx, None] + Ri * np.cos(ang)
        z = zwi + Ri * np.sin(ang)
        bad = (z > gci + 4.0) & ~contains_xy(poly[:, None], x, z)
        first = np.argmax(bad, axis=1)       # the first kept point outside, in order
        out = np.zeros(open_.size, dtype=bool)
        out[idx] = bad.any(axis=1)

        def text(i: int, axle: str = axle, x: np.ndarray = x, z: np.ndarray = z,
                 first: np.ndarray = first) -> str:
            j = at[i]
            what = (v("front_overhang", i) if axle == "front"
                    else f"{v('L', i)}, {v('WB', i)}, {v('front_overhang', i)}")
            return (f"the {axle} wheel arch of the {tyre(i)} leaves the side profile near "
                    f"x = {x[j, first[j]]:.0f} mm, z = {z[j, first[j]]:.0f} mm ({what}, "
                    f"{v('ground_clearance', i)}, {v('hood_height', i)}); allowed: an arch "
                    f"inside the body (longer overhang, smaller tyre or lower ground "
                    f"clearance)")

        rule(out, text)
