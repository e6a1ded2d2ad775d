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
    REAR_SEATBACK,
    TOE_BOARD,
    Layout,
    parameter_names,
)
from keidesign.errors import InputError

__all__ = ["check_layout", "layout_from_design", "layout_from_mapping", "max_roof_radius"]

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


def max_roof_radius(width: float, height: float, belt: float, tumblehome: float) -> float:
    """Largest roof-to-side fillet radius (mm) the cross-section takes.

    The greenhouse rises ``height - belt`` (mm) from the belt line, leaning in by
    ``tumblehome`` (deg from vertical); the roof flat is ``width - 2 (height - belt)
    tan(tumblehome)`` wide. A fillet of radius r between the side (at 90 deg - tumblehome
    to the roof) and the roof cuts back t = r tan((90 deg - tumblehome) / 2) along each
    edge; t may take at most 45 % of the shorter edge (the slanted side or the roof
    flat), so two fillets never meet. Plane geometry of the section
    (:class:`geometry.profiles.Layout`); valid for a roof at least 300 mm wide.
    """
    th = math.radians(tumblehome)
    gh = height - belt
    half_roof = 0.5 * width - gh * math.tan(th)
    t_max = 0.45 * min(gh / math.cos(th), 2.0 * half_roof)
    return t_max / math.tan(0.5 * (0.5 * math.pi - th))


def check_layout(lay: Layout, source: str = "<design>") -> None:
    """Raise :class:`InputError` if the parameters cannot make a valid body solid."""
    names = parameter_names(lay.style, lay.powertrain)
    p = lay.p

    def v(short: str) -> str:
        return f"{_path(names[short])} = {p[short]:g}"

    def fail(msg: str) -> None:
        raise InputError(f"{source}: {msg}")

    f = float
    R, zw, gc = f(lay.R_arch), f(lay.z_w), f(lay.gc)
    tyre = (f"tyre {p['tyre_width']:g}/{p['tyre_aspect']:g}R{p['rim']:g} "
            f"(outer radius {f(lay.R_tyre):.0f} mm)")
    if gc >= zw + R - 20.0:
        fail(f"{v('ground_clearance')} mm is above the wheel-arch top for the {tyre}; allowed: "
             f"ground clearance < {_floor(zw + R - 20.0)} mm")
    f_min = R + MIN_ARCH_WALL
    if p["front_overhang"] < f_min:
        fail(f"{v('front_overhang')} mm is too short for the {tyre}: the front wheel arch "
             f"would cut the bumper face; allowed: front overhang >= {_ceil(f_min)} mm")
    rear = p["L"] - p["WB"] - p["front_overhang"]
    if rear < f_min:
        fail(f"{v('L')} - {v('WB')} - {v('front_overhang')} leaves a rear overhang of "
             f"{rear:g} mm, too short for the {tyre}; allowed: rear overhang >= {_ceil(f_min)} mm")
    if p["WB"] < 2.0 * R + 100.0:
        fail(f"{v('WB')} mm leaves no floor between the wheel arches of the {tyre}; "
             f"allowed: wheelbase >= {_ceil(2.0 * R + 100.0)} mm")
    belt = p["belt"]
    if belt < zw + R + 50.0:
        fail(f"{v('belt')} mm is below the wheel-arch top ({zw + R:.0f} mm) + 50 mm for "
             f"the {tyre}; allowed: belt height >= {_ceil(zw + R + 50.0)} mm")
    if belt > p["H"] - MIN_GREENHOUSE:
        fail(f"{v('belt')} mm leaves less than {MIN_GREENHOUSE:g} mm of greenhouse under "
             f"{v('H')} mm; allowed: belt height <= {p['H'] - MIN_GREENHOUSE:g} mm")
    # section: roof flat and roof-corner fillet
    th = math.radians(p["tumblehome"])
    gh = p["H"] - belt
    half_roof = 0.5 * p["W"] - gh * math.tan(th)
    if half_roof < 150.0:
        fail(f"{v('tumblehome')} deg over a {gh:g} mm greenhouse leaves a roof "
             f"{2 * half_roof:.0f} mm wide on {v('W')} mm; allowed: tumblehome <= "
             f"{_floor(math.degrees(math.atan((0.5 * p['W'] - 150.0) / gh)), 1)} deg")
    r_max = max_roof_radius(p["W"], p["H"], belt, p["tumblehome"])
    if p["roof_radius"] > r_max:
        fail(f"{v('roof_radius')} mm is too large a fillet for the greenhouse ({v('belt')} mm, "
             f"{v('H')} mm, {v('tumblehome')} deg); allowed: roof radius <= {_floor(r_max)} mm")
    if p["plan_radius"] > min(0.4 * p["W"], p["front_overhang"] - 50.0):
        fail(f"{v('plan_radius')} mm is too large a fillet for the plan ({v('W')} mm, "
             f"{v('front_overhang')} mm); allowed: plan radius <= "
             f"{_floor(min(0.4 * p['W'], p['front_overhang'] - 50.0))} mm")
    # side profile: nose below the hood, hood behind the nose, roof between the glass ends
    names_s, xs, zs, _ = lay.side_vertices
    pt = {n: (f(x), f(z)) for n, x, z in zip(names_s, xs, zs, strict=True)}
    xn, zn = pt["hood_front"]
    if zn < pt["bumper_front_top"][1] + 50.0:
        fail(f"{v('hood_height')} mm is too low above {v('ground_clearance')} mm for a "
             f"bumper and a nose; allowed: hood height >= "
             f"{_ceil((pt['bumper_front_top'][1] + 50.0 + 0.13 * gc) / 0.87)} mm")
    xc = f(lay.x_cowl)
    if xc < xn + 100.0:
        fail(f"the cowl at x = {xc:g} mm ({v('crush_length')} + {v('cowl')}) leaves no "
             f"hood behind the nose at x = {xn:.0f} mm; allowed: crush length + cowl setback >= "
             f"{_ceil(xn + 100.0)} mm")
    x_wt = pt["roof_front"][0]
    x_rr = pt["roof_rear"][0]
    if x_rr - x_wt < MIN_ROOF:
        fail(f"the windshield ({v('rake')} deg, {v('hood_height')} mm, cowl at x = "
             f"{xc:g} mm) reaches the roof at x = {x_wt:.0f} mm, leaving "
             f"{x_rr - x_wt:.0f} mm of roof before the "
             f"rear at x = {x_rr:.0f} mm ({v('L')} mm); allowed: at least {MIN_ROOF:g} mm of "
             f"roof (reduce the rake, crush length or cowl setback, or raise the hood)")
    if lay.style == "truck":
        _check_truck(lay, v, tyre, fail)
    if lay.style == "hatch":
        xbb, zbb = pt["backlight_base"]
        if zbb > p["H"] - p["drop"] - 100.0 or xbb <= x_rr + 10.0:
            fail(f"{v('belt')} mm and {v('drop')} mm leave no backlight under {v('H')} mm; "
                 f"allowed: belt height <= {p['H'] - p['drop'] - 140.0:g} mm")
    _check_arches(lay, v, tyre, fail)
    # occupants
    xh, zh = (f(a) for a in lay.h_point)
    if zh > belt - 100.0:
        fail(f"the front H-point at z = {zh:.0f} mm ({v('ground_clearance')} + "
             f"{v('floor_thickness')} + {v('h30')}) is not 100 mm below {v('belt')} mm; "
             f"allowed: seat height <= "
             f"{_floor(p['h30'] - (zh - belt + 100.0))} mm")
    x_cell = f(lay.cell_x[1])
    # a truck's seat back behind its cab back still makes a solid (the occupant cell
    # reaches into the bed's outer box; closed forms and CAD agree): it is the packaging
    # result body:cab_back_clearance < 0 (packaging:pack.cab_back_clearance), not an error
    if x_cell > p["L"] - CELL_REAR_MARGIN:
        fail(f"the rear seat back at x = {x_cell:.0f} mm ({v('crush_length')} + {TOE_BOARD:g} + "
             f"{v('l53')} + {v('l50')} + {REAR_SEATBACK:g}) is not {CELL_REAR_MARGIN:g} mm "
             f"inside {v('L')} mm; allowed: hpoint_to_heel + couple_distance <= "
             f"{_floor(p['l53'] + p['l50'] - (x_cell - p['L'] + CELL_REAR_MARGIN))} mm")
    if lay.placement == "tunnel" and p["w20"] <= 0.5 * HIP_BREADTH_95M:
        fail(f"body.battery_placement = 'tunnel' needs room between the front occupants' "
             f"hips: {v('w20')} mm leaves {2.0 * p['w20'] - HIP_BREADTH_95M:g} mm "
             f"(2 x seat lateral - {HIP_BREADTH_95M:g} mm hip breadth); allowed: seat lateral "
             f"> {0.5 * HIP_BREADTH_95M:g} mm")
    if xh < f(lay.x_dash) + 300.0:
        fail(f"{v('l53')} mm puts the front H-point within 300 mm of the dash panel")
    # powertrain ahead of the dash (powertrain.layout = 'front'; the cab-over truck's
    # block sits under the seats, the other layouts' outside the front crush zone)
    x0 = f(lay.powertrain_box[0])
    if lay.engine == "front" and lay.style != "truck" and x0 < 50.0:
        fail(f"{v('block_length')} mm + 50 mm gap to the dash leaves {x0:.0f} mm ahead of the "
             f"powertrain with {v('crush_length')} mm; allowed: block length <= "
             f"{p['crush_length'] - 100.0:g} mm")


def _check_truck(lay: Layout, v: Any, tyre: str, fail: Any) -> None:
    """The truck's bed and ladder frame: gate top at or below the belt line (the bed is
    full width), a flat deck above the rear wheel arches, the frame rails between the
    wheelhouse walls and above the ground clearance."""
    from geometry.profiles import DECK_SILL, FRAME_RAIL_HEIGHT

    p = lay.p
    f = float
    z_gate = f(lay.z_gate)
    if z_gate > p["belt"]:
        fail(f"the gate top at z = {z_gate:g} mm ({v('deck_height')} + {v('gate_height')}) is "
             f"above {v('belt')} mm; allowed: deck height + gate height <= belt height")
    arch_top = f(lay.z_w) + f(lay.R_arch)
    if p["deck_height"] < arch_top + DECK_SILL:
        fail(f"{v('deck_height')} mm leaves no flat deck over the rear wheel arches of the "
             f"{tyre} (arch top {arch_top:.0f} mm + {DECK_SILL:g} mm sills); allowed: deck "
             f"height >= {arch_top + DECK_SILL:.0f} mm")
    y_in = f(lay.y_in)
    if p["frame_width"] > 2.0 * y_in - 20.0:
        fail(f"{v('frame_width')} mm does not fit between the wheelhouse walls "
             f"({2.0 * y_in:.0f} mm apart for the tracks and the {tyre}); allowed: frame "
             f"width <= {2.0 * y_in - 20.0:.0f} mm")
    z0 = f(lay.frame_z[0])
    if z0 < f(lay.gc):
        fail(f"the ladder frame ({FRAME_RAIL_HEIGHT:g} mm rails under the cab floor, "
             f"{v('floor_thickness')} mm) reaches below {v('ground_clearance')} mm; allowed: "
             f"floor thickness >= {FRAME_RAIL_HEIGHT:g} mm")


def _check_arches(lay: Layout, v: Any, tyre: str, fail: Any) -> None:
    """Each wheel-arch circle (above the floor line) must lie inside the side profile."""
    from shapely import contains_xy, polygons

    s = lay.side
    poly = polygons(np.column_stack([s.nodes_x.ravel(), s.nodes_z.ravel()])).buffer(-3.0)
    ang = np.linspace(0.0, 2.0 * np.pi, 181)
    R, zw, gc = float(lay.R_arch), float(lay.z_w), float(lay.gc)
    for axle, xa in (("front", float(lay.x_front_axle)), ("rear", float(lay.x_rear_axle))):
        x, z = xa + R * np.cos(ang), zw + R * np.sin(ang)
        keep = z > gc + 4.0
        x, z = x[keep], z[keep]
        inside = contains_xy(poly, x, z)      # vectorized: a sweep checks every case
        if not inside.all():
            i = int(np.argmin(inside))
            what = (v("front_overhang") if axle == "front"
                    else f"{v('L')}, {v('WB')}, {v('front_overhang')}")
            fail(f"the {axle} wheel arch of the {tyre} leaves the side profile near "
                 f"x = {x[i]:.0f} mm, z = {z[i]:.0f} mm ({what}, {v('ground_clearance')}, "
                 f"{v('hood_height')}); "
                 f"allowed: an arch inside the body (longer overhang, smaller tyre or "
                 f"lower ground clearance)")
