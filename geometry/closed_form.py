"""Closed forms of the body: what the optimizer needs every iteration (fast, exact partials).

The body is the 2.5D solid of :mod:`geometry.profiles`: over the side profile
``S = {(x, z)}`` the body occupies ``|y| <= min(w_sec(z), w_plan(x)) / 2`` (section
width ``w_sec``, plan width ``w_plan``), minus four wheel arches (cylinders of radius
``R_a`` about the axles, from the wheelhouse wall ``y_in`` outward). The CAD solid
(:mod:`geometry.cad`) is built from the same profile vertices; here the fillet arcs are
replaced by chords (5 per side-profile arc, 6 per section arc) and everything is
integrated in closed form:

* rear overhang ``L - WB - f``; mean track; footprint ``WB x T`` (49 CFR 523.2, ft^2);
  tyre diameter ``25.4 rim + 2 w aspect`` (ISO 4000-1);
* **volume and centroid**: ``V = int w_sec(z) l(z) dz`` with ``l = x_r(z) - x_f(z)`` the
  side-profile length at height ``z``, both piecewise linear in ``z``, so Simpson's rule
  on every interval between breakpoints is exact (moments too: cubic integrands); minus
  the four plan-corner pieces (Gauss-Legendre in ``x``, exact in ``z``); minus the arches,
  ``2 (W/2 - y_in) A_seg`` with ``A_seg = R^2 acos(d/R) - d sqrt(R^2 - d^2)`` the part of
  each arch circle above the floor line (``d = gc - z_wheel``);
* crush zone (envelope ahead of the dash panel) and occupant cell (dash panel to rear
  seat back, above the floor): the same integral with ``l(z)`` clipped in ``x``, minus
  the exact disk-rectangle intersections of the arches;
* **frontal area**: the section area above the floor line plus the tyres below it,
  ``(w_t + delta) gc - 2 r_s^2 (1 - pi/4)`` per side (shoulder radius ``r_s``) — the
  projection of the envelope along ``x`` is its section;
* **panel areas**: each side-profile chord extruded over the local width, each section
  chord extruded over the local length, the plan-corner cylinders, the wheelhouses;
  a patch is *roof/hood* (normal mostly up, behind/ahead of the cowl), *floor* (mostly
  down), *side* (mostly lateral), *front/rear* (mostly along x); the glazing (side
  windows on the tumblehome planes, windshield and backlight within the A-pillars) is
  its own group;
* crush lengths: bumper face to powertrain front and to dash panel;
* truck only (:data:`TRUCK_OUTPUTS`, :func:`outputs`): the bed's load space
  ``bed_length x (W - 2 x 32.5) x gate_height`` and its floor area (a box: exact);
* **side crush space** ``W/2 - (W20 + b_hip/2)``: door outer skin to the outboard hip of
  a US 95th-percentile male (hip breadth sitting 410 mm, Pheasant, *Bodyspace*, US
  adults 19-65) sitting on the front outboard seat centreline ``W20`` (design key
  ``body.seat_lateral``, default 340 mm [assumed]) at H-point height (below the belt, where
  the side is the vertical plane ``|y| = W/2``);
* **door skin to seat centreline** ``W/2 - W20``: the same lateral line from the door
  outer skin to the front outboard seat centreline (the H-point's lateral position), the
  distance the IIHS side test's structural measure (residual B-pillar short of the
  driver seat centreline) is taken against;
* **head room** (SAE J1100 H61 type): from the front H-point along a line 8 deg rear of
  vertical to the headliner (the upper profile lowered by ``body.roof_thickness``),
  + 102 mm; margin against the published class's benchmark floor, 965 mm
  (:data:`geometry.profiles.REQUIRED_HEADROOM`, the 5th percentile of published small
  cars' front head rooms; the US 95th male's erect sitting height 970 mm until task s39d);
  the rear row's (H63 type) the same from the rear H-point (``L50`` behind the front one,
  at its height, + the pack height for a pack under the rear seat), against the rear
  floor 941.3 mm (:data:`geometry.profiles.REQUIRED_HEADROOM_REAR`);
* **energy store** (:attr:`geometry.profiles.Layout.storage_box`, by
  ``body.battery_placement`` for a BEV: docs/geometry.md, "Battery placement"): its volume,
  the rear crush length ahead of it ``L - x_store,rear``, the side crush to it
  ``W/2 - w_store/2``, the volume its bay offers minus its own
  (``l_bay w h - V``), the luggage floor height;
* **leg room** (SAE J1100 L34 type): ankle pivot (100 mm above the heel point, 200 mm
  behind the dash panel) to the H-point + 254 mm; margin against the SAE J826
  95th-percentile leg (thigh 456, lower leg 459 mm) at a 110 deg knee angle (the lowest
  usable, Gao et al. 2022: a floor) + 254 mm.

Partial derivatives are analytic: the same code runs on forward-mode dual numbers
(:mod:`geometry.ad`), which carry the exact derivative of every operation (chain rule),
so ``check_partials`` with complex step agrees to round-off. :class:`keidesign.body.BodyComp`
evaluates it compiled: :func:`closed_form` is recorded once as a tape of scalar operations
(:mod:`geometry._tape`; value-dependent choices recorded as selects, never frozen) and
replayed by numba with the same derivative formulas (:mod:`geometry._tape_kernel`);
:func:`closed_form` itself stays the reference (complex step, CAD checks, tests). With
``n_cases > 1`` (:mod:`keidesign.batch`) one kernel call evaluates every case. Validity:
any layout that passes :func:`geometry.params.check_layout`; accuracy against the
CadQuery solid over the kei range is held by ``tests/test_geometry_closed_form.py`` (see
docs/geometry.md).
"""

from __future__ import annotations

import hashlib
import math
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from geometry import _tape as tp
from geometry import ad
from geometry import profiles as pr
from geometry.ad import D, concat, maximum, minimum, sqrt, tan, where
from keidesign import NUMBA_CACHE_DIR

MM2_TO_FT2 = 1.0 / (304.8**2)

PANEL_GROUPS = ("roof", "hood", "front", "rear", "side", "floor", "wheelhouse", "glazing")
VOLUMES = ("envelope", "greenhouse", "crush_zone", "occupant_cell", "powertrain",
           "energy_storage")

# output name -> (scale from the internal mm-based value)
OUTPUTS: dict[str, float] = {
    "body:rear_overhang": 1.0, "body:track_mean": 1.0, "body:footprint": MM2_TO_FT2,
    "body:frontal_area": 1e-6, "body:tyre_diameter": 1.0,
    **{f"body:panel_area:{g}": 1e-6 for g in PANEL_GROUPS},
    "body:surface_area": 1e-6,
    **{f"body:volume:{v}": 1e-9 for v in VOLUMES},
    "body:crush_to_dash": 1.0, "body:crush_to_powertrain": 1.0,
    "body:side_crush_space": 1.0, "body:door_to_seat_centreline": 1.0,
    "body:headroom": 1.0, "body:headroom_margin": 1.0,
    "body:headroom_rear": 1.0, "body:headroom_rear_margin": 1.0,
    "body:legroom": 1.0, "body:legroom_margin": 1.0,
    "body:cargo_length": 1.0, "body:rear_crush_to_storage": 1.0,
    "body:storage_volume_margin": 1e-9, "body:side_crush_to_storage": 1.0,
    "body:storage_front_from_front_axle": 1.0, "body:storage_rear_from_front_axle": 1.0,
    "body:cargo_floor_height": 1.0,
    "body:cg_x": 1.0, "body:cg_z": 1.0,
}

# outputs of the truck style only (style "truck"): the bed's load space
TRUCK_OUTPUTS: dict[str, float] = {"body:volume:bed": 1e-9, "body:bed_floor_area": 1e-6,
                                   "body:bed_side_area": 1e-6, "body:volume:cab": 1e-9,
                                   "body:cab_surface_area": 1e-6,
                                   "body:cab_back_clearance": 1.0}


# outputs of the car styles only (not the truck, whose size law reads its cab volume): the
# size law's volume (:func:`size_volume`)
CAR_OUTPUTS: dict[str, float] = {"body:volume:size": 1e-9}


def outputs(style: str) -> dict[str, float]:
    """Output name -> scale of one body style: :data:`OUTPUTS`, + :data:`TRUCK_OUTPUTS`
    for the truck, + :data:`CAR_OUTPUTS` for a car."""
    return {**OUTPUTS, **(TRUCK_OUTPUTS if style == "truck" else CAR_OUTPUTS)}


_GL8 = np.polynomial.legendre.leggauss(8)
_GL4 = np.polynomial.legendre.leggauss(4)
_GL3 = np.polynomial.legendre.leggauss(3)


# ---------------------------------------------------------------------------------------
# building blocks


def _section_primitives(lay: pr.Layout) -> tuple[Any, ...]:
    """Piecewise primitives of the section width from its bottom node z_s0:
    F0 = int w dz, G0 = int F0 dz, K0 = int z w dz, at the start of each chord
    (cached on the layout)."""
    cached = lay.__dict__.get("_prims")
    if cached is None:
        cached = lay.__dict__["_prims"] = _section_primitives_uncached(lay)
    return cached


def _node_primitives(lay: pr.Layout) -> dict[str, Any]:
    """F0, G0, K0 at the side-profile nodes, the chord midpoints and z = gc (cached)."""
    cached = lay.__dict__.get("_node_prims")
    if cached is None:
        x, z, nxt, dx, dz, sgn = _side_segments(lay)
        cached = _eval_primitives(_section_primitives(lay),
                                  concat([z, z + 0.5 * dz, ad.stack([lay.gc])]), "FGK")
        lay.__dict__["_node_prims"] = cached
    return cached


def _section_primitives_uncached(lay: pr.Layout) -> tuple[Any, ...]:
    zs, ys = lay.section_chain
    w = 2.0 * ys
    zk, wk = zs[:-1], w[:-1]
    dz = zs[1:] - zk
    flat = np.abs(ad.real(dz)) < 1e-12
    sl = where(flat, 0.0, (w[1:] - wk) / where(flat, 1.0, dz))
    dz2 = dz * dz
    dF = wk * dz + 0.5 * sl * dz2
    Fk = concat([0.0, ad.cumsum(dF)[:-1]])
    dG = Fk * dz + 0.5 * wk * dz2 + sl * dz2 * dz / 6.0
    Gk = concat([0.0, ad.cumsum(dG)[:-1]])
    dK = zk * wk * dz + 0.5 * (zk * sl + wk) * dz2 + sl * dz2 * dz / 3.0
    Kk = concat([0.0, ad.cumsum(dK)[:-1]])
    return np.real(ad.value(zs)), zk, wk, sl, Fk, Gk, Kk


def _eval_primitives(prim: tuple[Any, ...], z: Any, which: str) -> dict[str, Any]:
    """F0, G0 and/or K0 (``which`` a string of those letters) at heights z (any shape)."""
    zr, zk, wk, sl, Fk, Gk, Kk = prim
    shape = np.shape(ad.value(z))
    zf = z.reshape(-1) if isinstance(z, D) else np.reshape(z, -1)
    i = np.minimum(np.maximum(np.searchsorted(zr, ad.real(zf), side="right") - 1, 0),
                   len(zr) - 2)
    z_i, w_i, s_i = zk.take(i), wk.take(i), sl.take(i)
    u = zf - z_i
    u2 = u * u
    out = {}
    if "F" in which:
        out["F"] = (Fk.take(i) + w_i * u + 0.5 * s_i * u2).reshape(*shape)
    if "G" in which:
        out["G"] = (Gk.take(i) + Fk.take(i) * u + 0.5 * w_i * u2
                    + s_i * u2 * u / 6.0).reshape(*shape)
    if "K" in which:
        out["K"] = (Kk.take(i) + z_i * w_i * u + 0.5 * (z_i * s_i + w_i) * u2
                    + s_i * u2 * u / 3.0).reshape(*shape)
    return out


def _side_segments(lay: pr.Layout) -> tuple[Any, ...]:
    """Chords of the side profile: nodes, index of the next node, deltas, orientation
    sign (+1: counter-clockwise in the x-z plane); cached on the layout."""
    cached = lay.__dict__.get("_segments")
    if cached is not None:
        return cached
    lay.__dict__["_segments"] = out = _side_segments_uncached(lay)
    return out


def _side_segments_uncached(lay: pr.Layout) -> tuple[Any, ...]:
    s = lay.side
    x, z = s.nodes_x.reshape(-1), s.nodes_z.reshape(-1)
    n = len(ad.value(x))
    nxt = np.roll(np.arange(n), -1)
    x1, z1 = x.take(nxt), z.take(nxt)
    return x, z, nxt, x1 - x, z1 - z, ad.sign_choice((x * z1 - x1 * z).sum())


BIG = 1e7


def body_volumes(lay: pr.Layout) -> dict[str, Any]:
    """Exact volumes and moments of the 2.5D body without plan corners and arches.

    Green's theorem over the side profile: ``V = -oint F(z) dx`` with
    ``F(z) = int_{z_lo}^z w_sec``; on a chord ``int F dx = dx (G(z1) - G(z0)) / (z1 - z0)``
    (``G = int F``, exact), or ``dx F(z_mid)`` on a level chord. Clipped to a box
    ``x in [xa, xb], z >= z_lo`` the chords are cut to the box and the box's own edges add
    nothing (``dx = 0`` on ``x = const``, ``F = 0`` on ``z = z_lo``). Boxes: greenhouse
    (``z >= belt``), crush zone (``x <= x_dash``), occupant cell. Moments of the whole
    body: ``Mx = -oint x F dx``, ``Mz = -oint K dx`` (``K = int z w``), Simpson per chord.
    """
    _section_primitives(lay)            # cached (first here: the tape's recording order)
    x, z, nxt, dx, dz, sgn = _side_segments(lay)
    n = len(ad.value(x))
    gc = lay.gc
    ev = _node_primitives(lay)
    F, G, K = ev["F"], ev["G"], ev["K"]
    Fn, Gn, Kn = F[:n], G[:n], K[:n]
    Fm, Km = F[n:2 * n], K[n:2 * n]
    F0, K0 = F[2 * n], K[2 * n]
    flat = np.abs(ad.real(dz)) < 1e-6
    q = where(flat, Fm, (Gn.take(nxt) - Gn) / where(flat, 1.0, dz))
    out = {"V": (-sgn) * (dx * (q - F0)).sum()}
    xm = x + 0.5 * dx
    fx = (x * (Fn - F0) + 4.0 * xm * (Fm - F0) + x.take(nxt) * (Fn.take(nxt) - F0)) / 6.0
    out["Mx"] = (-sgn) * (dx * fx).sum()
    fk = (Kn + 4.0 * Km + Kn.take(nxt)) / 6.0 - K0
    out["Mz"] = (-sgn) * (dx * fk).sum()
    # clipped boxes
    cx0, cx1 = lay.cell_x
    xa = ad.stack([-BIG, -BIG, cx0])[:, None]
    xb = ad.stack([BIG, lay.x_dash, cx1])[:, None]
    zl = ad.stack([lay.belt, gc, lay.z_floor])[:, None]
    vols = box_volumes(lay, xa, xb, zl)
    out["V_greenhouse"], out["V_crush"], out["V_cell"] = vols[0], vols[1], vols[2]
    return out


def box_volumes(lay: pr.Layout, xa: Any, xb: Any, zl: Any) -> Any:
    """Volumes of the 2.5D body (without plan corners and arches) inside k boxes
    ``x in [xa, xb], z >= zl`` (each of shape (k, 1)): the side-profile chords cut to the
    box, ``-oint F dx`` as in :func:`body_volumes`."""
    prim = _section_primitives(lay)
    x, z, nxt, dx, dz, sgn = _side_segments(lay)
    n = len(ad.value(x))
    k = np.shape(ad.value(zl))[0]
    X0, Z0, DX, DZ = x[None, :], z[None, :], dx[None, :], dz[None, :]
    ta, tb = _clip_t(X0, DX, xa, xb)
    tc, td = _clip_t(Z0, DZ, zl, BIG)
    t0, t1 = maximum(ta, tc), minimum(tb, td)
    t1 = maximum(t1, t0)
    za, zb = Z0 + DZ * t0, Z0 + DZ * t1
    dzc = zb - za
    flatc = np.abs(ad.real(dzc)) < 1e-6
    m = k * n
    ev = _eval_primitives(prim, concat([za.reshape(-1), zb.reshape(-1),
                                        (0.5 * (za + zb)).reshape(-1), zl.reshape(-1)]), "FG")
    Ga, Gb, Fmid, Fl = ev["G"][:m], ev["G"][m:2 * m], ev["F"][2 * m:3 * m], ev["F"][3 * m:]
    qc = where(flatc.reshape(-1), Fmid, (Gb - Ga) / where(flatc, 1.0, dzc).reshape(-1))
    qc = qc.reshape(k, n) - Fl[:, None]
    return (-sgn) * ((DX * (t1 - t0)) * qc).sum(1)


def _gauss(a: Any, b: Any, rule: tuple[np.ndarray, np.ndarray]) -> tuple[Any, np.ndarray]:
    """Nodes and (unscaled) weights of a Gauss-Legendre rule on [a, b]."""
    t, wgt = rule
    nodes = 0.5 * (a + b) + 0.5 * (b - a) * t
    return nodes, wgt


def _corner_nodes(lay: pr.Layout) -> tuple[Any, ...]:
    """Gauss nodes across the front and rear plan-corner bands (8 each)."""
    t, wgt = _GL8
    tt = 0.5 + 0.5 * t
    r = ad.concat([lay.r_plan_f + 0.0 * tt, lay.r_plan_r + 0.0 * tt])
    s = r * np.concatenate([tt, tt])                  # distance from the face
    front = np.concatenate([np.ones(8, bool), np.zeros(8, bool)])
    u = r - s
    c = r - sqrt(maximum(r * r - u * u, 1e-9))
    x = where(front, s, lay.L - s)
    return r, s, c, x, np.concatenate([wgt, wgt]) * 0.5, front


def plan_corners(lay: pr.Layout) -> dict[str, Any]:
    """Volume and moments removed by the four rounded plan corners (both sides).

    Per corner ``int_0^r [c(x) h_lo(x) + g(x)] dx``: ``c`` the plan inset, ``h_lo`` the
    profile height below the belt, ``g`` the part above the belt where the tumblehome
    has not yet cut the corner (exact in z); Gauss-Legendre (8 points) in x.
    """
    th = maximum(tan(lay.theta), 1e-9)
    r, s, c, x, wgt, front = _corner_nodes(lay)
    zz = lay.z_top(concat([x, x]))
    zt, zb = zz[:16], lay.z_bot(x)
    z_mid_top = minimum(zt, lay.belt)
    h_lo = maximum(z_mid_top - zb, 0.0)
    U = maximum(minimum(zt - lay.belt, c / th), 0.0)
    g = c * U - 0.5 * th * U * U
    gz = lay.belt * g + (0.5 * c * U * U - th * U * U * U / 3.0)
    vol = c * h_lo + g
    w2 = 2.0 * r * wgt                                # Gauss scale x two sides
    out = {"V": (vol * w2).sum(), "Mx": (x * vol * w2).sum(),
           "Mz": ((c * h_lo * 0.5 * (zb + z_mid_top) + gz) * w2).sum(),
           "V_above": (g * w2).sum(), "V_front": where(front, vol * w2, 0.0).sum()}
    return out


def _segment_area(R: Any, d: Any) -> Any:
    """Area of the part of a circle (radius R) beyond a chord at signed distance d."""
    return R * R * ad.arccos(d / R) - d * sqrt(R * R - d * d)


def arch_box_area(R: Any, cx: Any, cz: Any, z0: Any, x0: Any, x1: Any) -> Any:
    """Exact area of the disk (cx, cz, R) with z >= z0 and x0 <= x <= x1 (arrays ok).

    ``E(u) = int_0^u e``, ``e(u)`` the disk's height above z0 at ``x = cx + u``; with
    ``S(u) = (u sqrt(R^2 - u^2) + R^2 asin(u/R)) / 2`` and ``a`` the half-chord at z0:
    ``E(v) = S(min(v, a)) - d min(v, a) + [d < 0] 2 (S(v) - S(a))`` for v >= 0, odd in u.
    """
    d = z0 - cz
    R2 = R * R
    a = sqrt(maximum(R2 - d * d, 1e-12))
    u0 = minimum(maximum(x0 - cx, -R), R)
    u1 = minimum(maximum(x1 - cx, -R), R)
    neg = ad.real(concat([u0, u1])) < 0.0
    uu = concat([u0, u1])
    v = where(neg, -uu, uu)
    va = minimum(v, concat([a, a]))
    pts = concat([va, v, a])                         # S at min(v, a), v and a
    q = minimum(maximum(pts / concat([R + 0.0 * va, R + 0.0 * v, R + 0.0 * a]),
                        -1.0 + 1e-12), 1.0 - 1e-12)
    rr = concat([R2 + 0.0 * va, R2 + 0.0 * v, R2 + 0.0 * a])
    S = 0.5 * (pts * sqrt(maximum(rr - pts * pts, 1e-12)) + rr * ad.arcsin(q))
    m = len(np.atleast_1d(ad.value(uu)))
    S_va, S_v, S_a = S[:m], S[m:2 * m], S[2 * m:]
    dd = concat([d, d])
    S_a2 = concat([S_a, S_a])
    e = S_va - dd * va + where(ad.real(dd) < 0.0, 2.0 * maximum(S_v - S_a2, 0.0), 0.0)
    e = where(neg, -e, e)
    h = m // 2
    return e[h:] - e[:h]


def _clip_t(p0: Any, dp: Any, lo: Any, hi: Any) -> tuple[Any, Any]:
    """Parameter interval [t0, t1] of p0 + t dp (t in [0, 1]) inside [lo, hi]."""
    flat = np.abs(ad.real(dp)) < 1e-9
    dps = where(flat, 1.0, dp)
    ta, tb = (lo - p0) / dps, (hi - p0) / dps
    t0, t1 = minimum(ta, tb), maximum(ta, tb)
    inside = (ad.real(p0) >= ad.real(lo)) & (ad.real(p0) <= ad.real(hi))
    t0 = where(flat, where(inside, 0.0, 1.0), maximum(t0, 0.0))
    t1 = where(flat, where(inside, 1.0, 0.0), minimum(t1, 1.0))
    return t0, maximum(t1, t0)


def _inset_primitive(t: Any, r: Any) -> Any:
    """``C(t) = int_0^t c``, ``c(t) = r - sqrt(r^2 - (r - t)^2)`` the plan inset at
    distance t from the end face (0 beyond the corner band t > r)."""
    t = minimum(maximum(t, 0.0), r)
    u = r - t
    q = minimum(u / r, 1.0 - 1e-12)
    S = 0.5 * (u * sqrt(maximum(r * r - u * u, 1e-9)) + r * r * ad.arcsin(q))
    return r * t - (0.25 * np.pi * r * r - S)


def _mean_inset(ta: Any, tb: Any, r: Any) -> Any:
    """Mean plan inset along a chord from band coordinate ta to tb (exact)."""
    dt = tb - ta
    flat = np.abs(ad.real(dt)) < 1e-9
    prim = _inset_primitive(concat([ta, tb]), r)
    n = len(np.atleast_1d(ad.value(ta)))
    exact = (prim[n:] - prim[:n]) / where(flat, 1.0, dt)
    tm = minimum(maximum(ta, 0.0), r)
    at = r - sqrt(maximum(r * r - (r - tm) * (r - tm), 1e-9))
    return where(flat, where(ad.real(ta) < ad.real(r), at, 0.0), exact)


def _areas_above(lay: pr.Layout, zl: Any) -> Any:
    """Exact side-profile areas above the heights ``zl`` (array): Green's theorem
    ``A = -oint (z - z_l) dx`` on the chords clipped to z >= z_l."""
    x, z, nxt, dx, dz, sgn = _side_segments(lay)
    Z0, DZ = z[None, :], dz[None, :]
    t0, t1 = _clip_t(Z0, DZ, zl[:, None], BIG)
    zm = Z0 + DZ * (0.5 * (t0 + t1))
    return (-sgn) * ((dx[None, :] * (t1 - t0)) * (zm - zl[:, None])).sum(1)


def panel_areas(lay: pr.Layout) -> dict[str, Any]:
    """Exterior areas (mm^2) of the panel groups (2.5D accounting, see module doc):

    (a) each side-profile chord extruded over the local width ``min(w_sec, w_plan)``
    (Simpson), its glazing the part within the windshield/backlight glass heights and
    behind the cowl; (b) each section chord extruded over the length where the section
    binds; (c) the plan-corner cylinders over the height where the plan binds; (d) the
    wheelhouses. Wheel-arch openings are taken off the floor and side panels."""
    L, W = lay.L, lay.W
    g = dict.fromkeys(PANEL_GROUPS, 0.0)
    th = tan(lay.theta)
    rf, rr = lay.r_plan_f, lay.r_plan_r

    # (a) side-profile faces
    x, z, nxt, dx, dz, _ = _side_segments(lay)
    n = len(ad.value(x))
    xm, zm = x + 0.5 * dx, z + 0.5 * dz
    xq, zq = concat([x, xm]), concat([z, zm])
    cf = where(ad.real(xq) < ad.real(rf), lay.plan_inset(minimum(xq, rf), True), 0.0)
    cr = where(ad.real(L - xq) < ad.real(rr), lay.plan_inset(minimum(L - xq, rr), False), 0.0)
    wq = minimum(2.0 * lay.half_width(zq), W - 2.0 * (cf + cr))
    wn, wm = wq[:n], wq[n:]
    ln = sqrt(dx * dx + dz * dz + 1e-18)
    area = ln * (wn + 4.0 * wm + wn.take(nxt)) / 6.0
    # exact where possible: below the belt the section is full width and the plan inset
    # integrates in closed form; away from the plan-corner bands the width is w_sec(z),
    # whose integral along a chord is (F(z1) - F(z0)) / (z1 - z0)
    x1 = x.take(nxt)
    cbar = _mean_inset(x, x1, rf) + _mean_inset(L - x, L - x1, rr)
    low = np.maximum(ad.real(z), ad.real(z.take(nxt))) <= ad.real(lay.section.t2z[4])
    Fz = _node_primitives(lay)["F"][:n]
    flat = np.abs(ad.real(dz)) < 1e-6
    wbar = where(flat, wm, (Fz.take(nxt) - Fz) / where(flat, 1.0, dz))
    clear = np.abs(ad.real(cbar)) < 1e-12
    area = where(low, ln * (W - 2.0 * cbar), where(clear, ln * wbar, area))
    zg0, zg1 = lay.glass_z
    ta, tb = _clip_t(z, dz, zg0, zg1)
    tc, td = _clip_t(x, dx, lay.x_cowl, L + 1e3)
    ta, tb = maximum(ta, tc), minimum(tb, td)
    tb = maximum(tb, ta)
    glass = 2.0 * lay.glass_half_width(z + dz * (0.5 * (ta + tb))) * (tb - ta) * ln
    nx, nz = dz, -dx                                  # outward up to orientation sign
    sgn = _side_segments(lay)[5]
    nx, nz = sgn * ad.real(nx), sgn * ad.real(nz)
    up = np.abs(nz) >= np.abs(nx)
    xmr = ad.real(xm)
    masks = {"floor": up & (nz < 0), "hood": up & (nz > 0) & (xmr < ad.real(lay.x_cowl)),
             "roof": up & (nz > 0) & (xmr >= ad.real(lay.x_cowl)),
             "front": ~up & (xmr < 0.5 * ad.real(L)), "rear": ~up & (xmr >= 0.5 * ad.real(L))}
    if lay.style == "truck":        # the cab back faces rearward ahead of mid-length
        masks["front"], masks["rear"] = ~up & (nx < 0), ~up & (nx >= 0)
    opaque = area - glass
    for name, mask in masks.items():
        g[name] = g[name] + where(mask, opaque, 0.0).sum()
    g["glazing"] = g["glazing"] + glass.sum()
    depth = 0.5 * W - lay.y_in
    g["floor"] = g["floor"] - 8.0 * lay.arch_half_chord * depth

    # (b) section faces (right chain; both sides): a chord from z0 to z1 sweeps the
    # side-profile area E between z0 and z1, and its area is E ds/dz; E exact (areas
    # above each node height by Green's theorem), less the parts inside the plan-corner
    # bands (x < xb_f, x > L - xb_r; Simpson)
    zs, ys = lay.section_chain
    zc = minimum(maximum(zs, lay.gc), lay.H)
    above = _areas_above(lay, zc)
    E = above[:-1] - above[1:]
    z0s, z1s = zc[:-1], zc[1:]
    dzs, dys = zs[1:] - zs[:-1], ys[1:] - ys[:-1]
    lns = sqrt(dzs * dzs + dys * dys + 1e-18)
    ns = len(ad.value(z0s))
    zq = concat([z0s, 0.5 * (z0s + z1s), z1s])
    delta = 0.5 * W - lay.half_width(zq)

    def xbound(r: Any) -> Any:
        q = maximum(r - delta, 0.0)
        return r - sqrt(maximum(r * r - q * q, 1e-9))

    cut = maximum(xbound(rf) - lay.x_front(zq), 0.0) + maximum(
        lay.x_rear(zq) - (L - xbound(rr)), 0.0)
    E = E - (z1s - z0s) * (cut[:ns] + 4.0 * cut[ns:2 * ns] + cut[2 * ns:]) / 6.0
    steep = np.abs(ad.real(dzs)) > 1e-9
    sec_area = 2.0 * where(steep, E * lns / where(steep, dzs, 1.0), 0.0)
    lateral = np.abs(ad.real(dzs)) >= np.abs(ad.real(dys))
    g["side"] = g["side"] + where(lateral, sec_area, 0.0).sum()
    g["roof"] = g["roof"] + where(lateral, 0.0, sec_area).sum()
    win = 0.0
    for fb, rb, rt, ft, kept in lay.window_candidates:   # (+ 0.0: exact, no branch)
        win = win + where(kept, 0.5 * ((rb - fb) + (rt - ft)) * (zg1 - zg0), 0.0)
    side_glass = 2.0 * win / ad.cos(lay.theta)
    g["side"] = g["side"] - side_glass - 4.0 * _segment_area(lay.R_arch, lay.gc - lay.z_w)
    g["glazing"] = g["glazing"] + side_glass

    # (c) plan-corner cylinders: normal angle psi from the end face (0) to the side (pi/2)
    t, wgt = _GL4
    halves = np.concatenate([0.125 * np.pi * (1.0 + t), 0.125 * np.pi * (3.0 + t)])
    psi = np.concatenate([halves, halves])
    r = ad.concat([rf + 0.0 * halves, rr + 0.0 * halves])
    front = np.concatenate([np.ones(8, bool), np.zeros(8, bool)])
    c = r - r * np.sin(psi)                          # inset from |y| = W/2
    s_ = r - r * np.cos(psi)                         # distance from the end face
    xc = where(front, s_, L - s_)
    zstar = lay.belt + c / maximum(th, 1e-6)
    zz = lay.z_top(xc)
    h = maximum(minimum(zz, zstar) - lay.z_bot(xc), 0.0)
    h = maximum(h - _arch_extent(lay, xc), 0.0)      # a wheel arch cut through the corner
    contrib = 2.0 * r * h * np.concatenate([wgt, wgt, wgt, wgt]) * (0.125 * np.pi)
    is_side = psi >= 0.25 * np.pi
    g["side"] = g["side"] + where(is_side, contrib, 0.0).sum()
    g["front"] = g["front"] + where(~is_side & front, contrib, 0.0).sum()
    g["rear"] = g["rear"] + where(~is_side & ~front, contrib, 0.0).sum()
    if lay.style == "truck":       # the rear corners lie behind the cab (truck_cab)
        g["rear_corners"] = where(~front, contrib, 0.0).sum()

    # (d) wheelhouses: arch cylinder above the floor line + inner wall, four wheels;
    # where a plan corner cuts an arch, the arch cylinder loses the corner inset and the
    # side plane keeps the part of the arch opening that lies in the corner band
    R, d = lay.R_arch, lay.gc - lay.z_w
    g["wheelhouse"] = 4.0 * (2.0 * R * ad.arccos(d / R) * depth + _segment_area(R, d))
    lost, opening = _arch_corner_overlap(lay)
    g["wheelhouse"] = g["wheelhouse"] - 2.0 * lost
    g["side"] = g["side"] + 2.0 * opening
    return g


def _arch_extent(lay: pr.Layout, x: Any) -> Any:
    """Height of the wheel-arch openings (above the floor line) at x (both axles)."""
    R, zw, gc = lay.R_arch, lay.z_w, lay.gc
    out = 0.0
    for xa in (lay.x_front_axle, lay.x_rear_axle):
        u = x - xa
        s = sqrt(maximum(R * R - u * u, 1e-9))
        inside = ad.real(u * u) < ad.real(R * R)
        out = out + where(inside, maximum(zw + s - maximum(gc, zw - s), 0.0), 0.0)
    return out


def _arch_corner_overlap(lay: pr.Layout, axles: tuple[bool, ...] = (True, False)
                         ) -> tuple[Any, Any]:
    """Per side: arch-cylinder area cut away by the plan corners, and arch-opening area
    inside the plan-corner bands (Gauss-Legendre, 8 points per overlap); ``axles``: the
    axles summed (True: front, False: rear)."""
    R, zw, gc, L = lay.R_arch, lay.z_w, lay.gc, lay.L
    t, wgt = _GL8
    tt = 0.5 + 0.5 * t
    th_max = ad.arccos((gc - zw) / R)                 # arch arc above the floor line
    lost = 0.0
    opening = 0.0
    for xa, r, front in ((lay.x_front_axle, lay.r_plan_f, True), (lay.x_rear_axle, lay.r_plan_r,
                                                                  False)):
        if front not in axles:
            continue
        # band edge in the arch's angle (theta from the top, x = xa + R sin theta)
        edge = (r - xa) / R if front else (L - r - xa) / R
        edge = minimum(maximum(edge, -1.0 + 1e-12), 1.0 - 1e-12)
        a_edge = ad.arcsin(edge)
        lo, hi = (-th_max, minimum(a_edge, th_max)) if front else (
            maximum(a_edge, -th_max), th_max)
        span = maximum(hi - lo, 0.0)
        theta = lo + span * tt
        xs = xa + R * ad.sin(theta)
        sband = xs if front else L - xs
        c = lay.plan_inset(minimum(maximum(sband, 0.0), r), front)
        lost = lost + (c * wgt).sum() * 0.5 * span * R
        # opening: arch extent over the band part of [xa - R, xa + R]
        x0 = maximum(xa - R, 0.0 * R) if front else maximum(xa - R, L - r)
        x1 = minimum(xa + R, r) if front else minimum(xa + R, L)
        w = maximum(x1 - x0, 0.0)
        xq = x0 + w * tt
        u = xq - xa
        sq = sqrt(maximum(R * R - u * u, 1e-9))
        ext = maximum(zw + sq - maximum(gc, zw - sq), 0.0)
        opening = opening + (ext * wgt).sum() * 0.5 * w
    return lost, opening


# ---------------------------------------------------------------------------------------
# the whole closed form


def closed_form(p: Mapping[str, Any], style: str, powertrain: str = "ice",
                placement: str = "underfloor", engine: str = "front") -> dict[str, Any]:
    """Every closed-form body output (registered names, registered units) of parameters
    ``p`` (short names of :func:`geometry.profiles.parameter_names`, registered units;
    floats, complex or :class:`geometry.ad.D`); ``placement`` of a BEV's battery
    (:data:`geometry.profiles.PLACEMENTS`); ``engine`` the powertrain block's position
    (``powertrain.layout``, :attr:`geometry.profiles.Layout.powertrain_box`)."""
    lay = pr.Layout(p, style, powertrain, placement, engine)
    out: dict[str, Any] = {}
    L, W, H, gc = lay.L, lay.W, lay.H, lay.gc
    out["body:rear_overhang"] = L - lay.WB - lay.x_front_axle
    tm = 0.5 * (p["Tf"] + p["Tr"])
    out["body:track_mean"] = tm
    out["body:footprint"] = lay.WB * tm
    out["body:tyre_diameter"] = 2.0 * lay.R_tyre

    # volumes and centroid
    bv = body_volumes(lay)
    cor = plan_corners(lay)
    R, d = lay.R_arch, gc - lay.z_w
    depth2 = 2.0 * (0.5 * W - lay.y_in)
    a_seg = _segment_area(R, d)
    arch_v = 2.0 * depth2 * a_seg
    arch_mx = depth2 * a_seg * (lay.x_front_axle + lay.x_rear_axle)
    arch_mz = 2.0 * depth2 * (lay.z_w * a_seg + (2.0 / 3.0) * (R * R - d * d) ** 1.5)
    vol = bv["V"] - cor["V"] - arch_v
    out["body:volume:envelope"] = vol
    if style != "truck":
        out["body:volume:size"] = size_volume(p, style, powertrain, placement, engine,
                                              arch_v)
    out["body:volume:greenhouse"] = bv["V_greenhouse"] - cor["V_above"]
    out["body:cg_x"] = (bv["Mx"] - cor["Mx"] - arch_mx) / vol
    out["body:cg_z"] = (bv["Mz"] - cor["Mz"] - arch_mz) / vol
    cx0, cx1 = lay.cell_x
    arch = arch_box_area(R, ad.stack([lay.x_front_axle, lay.x_front_axle, lay.x_rear_axle]),
                         lay.z_w,
                         ad.stack([gc, lay.z_floor, lay.z_floor]),
                         ad.stack([-BIG, cx0, cx0]), ad.stack([lay.x_dash, cx1, cx1]))
    out["body:volume:crush_zone"] = bv["V_crush"] - cor["V_front"] - depth2 * arch[0]
    out["body:volume:occupant_cell"] = bv["V_cell"] - depth2 * (arch[1] + arch[2])
    bx0, bx1, byh, bz0, bz1 = lay.powertrain_box
    out["body:volume:powertrain"] = (bx1 - bx0) * 2.0 * byh * (bz1 - bz0)
    sx0, sx1, syh, sz0, sz1 = lay.storage_box
    out["body:volume:energy_storage"] = (sx1 - sx0) * 2.0 * syh * (sz1 - sz0)

    # frontal area: section above the floor line + tyres below it
    zs, ys = lay.section_chain
    zc = minimum(maximum(zs, gc), H)
    sec = ((zc[1:] - zc[:-1]) * (ys[1:] + ys[:-1])).sum()        # = int 2 y dz
    tw = lay.tw
    r_rim = 12.7 * p["rim"]
    r_s = minimum(0.3 * tw, 0.35 * (lay.R_tyre - r_rim))
    dtr = 0.5 * (p["Tf"] - p["Tr"])
    dtr = minimum(where(ad.real(dtr) >= 0, dtr, -dtr), tw)
    tyres = 2.0 * ((tw + dtr) * gc - 2.0 * r_s * r_s * (1.0 - 0.25 * np.pi))
    out["body:frontal_area"] = sec + tyres

    # panel areas
    areas = panel_areas(lay)
    total = 0.0
    for grp in PANEL_GROUPS:
        out[f"body:panel_area:{grp}"] = areas[grp]
        total = total + areas[grp]
    out["body:surface_area"] = total

    # crash and occupant packaging
    out["body:crush_to_dash"] = lay.x_dash
    out["body:crush_to_powertrain"] = lay.powertrain_box[0]
    out["body:side_crush_space"] = 0.5 * W - (p["w20"] + 0.5 * pr.HIP_BREADTH_95M)
    out["body:door_to_seat_centreline"] = 0.5 * W - p["w20"]
    xh, zh = lay.h_point
    head = _headroom(lay, xh, zh) + pr.HEADROOM_ADD
    out["body:headroom"] = head
    out["body:headroom_margin"] = head - pr.REQUIRED_HEADROOM
    xhr, zhr = lay.rear_h_point
    head_r = _headroom(lay, xhr, zhr) + pr.HEADROOM_ADD
    out["body:headroom_rear"] = head_r
    out["body:headroom_rear_margin"] = head_r - pr.REQUIRED_HEADROOM_REAR
    xhe, zhe = lay.heel_point
    ddx, ddz = xh - xhe, zh - (zhe + pr.ANKLE_HEIGHT)
    leg = sqrt(ddx * ddx + ddz * ddz) + pr.LEGROOM_ADD
    out["body:legroom"] = leg
    out["body:legroom_margin"] = leg - pr.REQUIRED_LEGROOM
    # what the cabin leaves behind it in the fixed length: luggage + rear crush zone, and
    # the rear crush length ahead of the energy store
    out["body:cargo_length"] = L - lay.cell_x[1]
    out["body:rear_crush_to_storage"] = L - sx1
    # the energy store's bay: what the placement offers minus what the store needs; its
    # side face behind the side skin (|y| = W/2 below the belt); the luggage floor
    out["body:storage_volume_margin"] = lay.storage_available - lay.storage_required
    out["body:side_crush_to_storage"] = 0.5 * W - syh
    # the store's ends behind the front axle: where the side MDB's crush profile is
    # judged (keidesign.crash.side_profile)
    out["body:storage_front_from_front_axle"] = sx0 - lay.x_front_axle
    out["body:storage_rear_from_front_axle"] = sx1 - lay.x_front_axle
    out["body:cargo_floor_height"] = lay.z_cargo_floor
    if style == "truck":
        bx0, bx1, byh, bz0, bz1 = lay.bed_box
        floor = (bx1 - bx0) * 2.0 * byh
        out["body:bed_floor_area"] = floor
        out["body:volume:bed"] = floor * (bz1 - bz0)
        out["body:bed_side_area"] = 2.0 * ((bx1 - bx0) + 2.0 * byh) * (bz1 - bz0)
        cab = truck_cab(lay, areas, total, cor, depth2)
        out["body:volume:cab"] = cab["V"]
        out["body:cab_surface_area"] = cab["A"]
        # the seat back's clearance to the cab back panel: what a longer crush zone, a
        # longer bed or a roomier seat may still take (packaging:pack.cab_back_clearance)
        out["body:cab_back_clearance"] = lay.x_cab_back - lay.cell_x[1]
    return out


def size_volume(p: Mapping[str, Any], style: str, powertrain: str = "ice",
                placement: str = "underfloor", engine: str = "front",
                arch_v: Any = None) -> Any:
    """The size law's volume ``body:volume:size`` (mm^3): the envelope volume of the body
    built with the dash at the reference position, ``x_dash,ref = front_overhang +``
    :data:`geometry.profiles.DASH_BEHIND_AXLE` (230 mm), in place of
    ``crash.front.crush_length``; every other parameter the design's::

        V_size = V_envelope(p with crush_length = front_overhang + 230 mm)

    The dash sets the windshield base (``x_cowl = x_dash + cowl``), so at fixed length a
    longer crush zone lowers ``body:volume:envelope`` (the hood is lower than the roof);
    ``V_size`` does not move with it (its partial in ``crush_length`` is exactly 0) and
    follows the exterior: length, width, height, overhangs, hood, rake, roof. The fit cars
    of the size law were imported with their dash there (keidesign.specs.build.
    import_crush_length), so on them ``V_size`` is their envelope volume unless the import
    capped their crush length. Held to the CadQuery envelope built with that dash
    (tests/test_geometry_closed_form.py). Car styles only (a truck's size law reads
    ``body:volume:cab``). ``arch_v``: the four arches' volume (independent of the dash),
    recomputed when not given. Docs: docs/mass_cost.md, "The size law's volume at the
    reference dash"."""
    ref = dict(p)
    ref["crush_length"] = p["front_overhang"] + pr.DASH_BEHIND_AXLE
    lay = pr.Layout(ref, style, powertrain, placement, engine)
    if arch_v is None:
        depth2 = 2.0 * (0.5 * lay.W - lay.y_in)
        arch_v = 2.0 * depth2 * _segment_area(lay.R_arch, lay.gc - lay.z_w)
    return body_volumes(lay)["V"] - plan_corners(lay)["V"] - arch_v


#: the cut behind the cab back (mm): the cab-back chord at x = x_cb stays with the cab
CAB_CUT_EPS = 1e-6


def truck_cab(lay: pr.Layout, areas: Mapping[str, Any], total: Any, cor: Mapping[str, Any],
              depth2: Any) -> dict[str, Any]:
    """Volume ``V`` and surface area ``A`` (mm^3, mm^2) of the truck's cab: the envelope
    ahead of the cab back ``x <= x_cb``, closed by the plane ``x = x_cb`` (the cab-back
    panel behind the headboard). Held to ``envelope & {x <= x_cb}`` of the CAD solid.

    * ``V`` = the body inside the box ``x <= x_cb, z >= gc`` (:func:`box_volumes`), minus
      the front plan corners and the parts of the arches ahead of ``x_cb`` (exact
      disk-rectangle areas x the wheelhouse depth);
    * ``A`` = the whole skin minus the skin of the region behind the cab,
      ``x >= x_c = x_cb + CAB_CUT_EPS``, plus the closing face ``W (z_top - z_bot)`` at
      ``x_c``. Behind the cab everything lies below the belt (layout check: gate top <=
      belt; exact while the gate top + 30 mm cab-back fillet stays below the section's
      shoulder fillet), so, with the same formulas as :func:`panel_areas`: the
      side-profile chords cut to ``x >= x_c`` at the full width less the plan insets;
      both sides' planes ``int (z_top - z_bot) dx`` over ``x_c <= x <= L - x_band``
      (Green's theorem on the cut chords) less the arch openings behind ``x_cb``; the
      rear plan-corner cylinders; the rear wheelhouses and rear floor arch cuts (an axle
      belongs wholly to the side of the cab back it is on: the layout keeps the rear
      arch behind the cab back).
    """
    L, W, gc = lay.L, lay.W, lay.gc
    x_cb = lay.x_cab_back
    xc = x_cb + CAB_CUT_EPS
    R, d = lay.R_arch, gc - lay.z_w
    # volume
    vb = box_volumes(lay, ad.stack([-BIG])[:, None], ad.stack([x_cb])[:, None],
                     ad.stack([gc])[:, None])[0]
    arch = arch_box_area(R, ad.stack([lay.x_front_axle, lay.x_rear_axle]), lay.z_w,
                         ad.stack([gc, gc]), ad.stack([-BIG, -BIG]), ad.stack([x_cb, x_cb]))
    vol = vb - cor["V_front"] - depth2 * arch.sum()
    # skin behind the cab: (a) side-profile chords
    rf, rr = lay.r_plan_f, lay.r_plan_r
    x, z, nxt, dx, dz, sgn = _side_segments(lay)
    t0, t1 = _clip_t(x, dx, xc, BIG)
    ln = sqrt(dx * dx + dz * dz + 1e-18)
    xa, xb = x + dx * t0, x + dx * t1
    cbar = _mean_inset(xa, xb, rf) + _mean_inset(L - xa, L - xb, rr)
    chords = ((t1 - t0) * ln * (W - 2.0 * cbar)).sum()
    depth = 0.5 * W - lay.y_in
    rear_axle = where(ad.real(lay.x_rear_axle) > ad.real(x_cb), 1.0, 0.0)
    floor_cut = 4.0 * lay.arch_half_chord * depth * rear_axle
    # (b) both side planes behind the cab, ahead of the rear plan-corner band
    xband = rr - sqrt(maximum(rr * rr - rr * rr, 1e-9))
    ta, tb = _clip_t(x, dx, xc, L - xband)
    tc, td = _clip_t(z, dz, gc, BIG)
    u0, u1 = maximum(ta, tc), minimum(tb, td)
    u1 = maximum(u1, u0)
    zm = z + dz * (0.5 * (u0 + u1))
    plane = (-sgn) * (dx * (u1 - u0) * (zm - gc)).sum()
    lost, opening = _arch_corner_overlap(lay, axles=(False,))
    sides = 2.0 * (plane + opening) - 2.0 * _segment_area(R, d) * rear_axle
    # (d) rear wheelhouses
    wheelhouse = (2.0 * (2.0 * R * ad.arccos(d / R) * depth + _segment_area(R, d))
                  - 2.0 * lost) * rear_axle
    behind = chords - floor_cut + sides + areas["rear_corners"] + wheelhouse
    cut = W * (lay.z_top(xc) - lay.z_bot(xc))
    return {"V": vol, "A": total - behind + cut}


def _headroom(lay: pr.Layout, xh: Any, zh: Any) -> Any:
    """Distance from the H-point along the 8 deg line to the headliner (mm)."""
    xt, zt = lay.top_chain
    zt = zt - lay.p["roof_thickness"]
    a, b = math.sin(math.radians(pr.HEADROOM_LINE_DEG)), math.cos(
        math.radians(pr.HEADROOM_LINE_DEG))
    x0, z0 = xt[:-1], zt[:-1]
    dx, dz = xt[1:] - x0, zt[1:] - z0
    det = dx * b - a * dz
    ok = np.abs(ad.real(det)) > 1e-9
    det = where(ok, det, 1.0)
    ex, ez = x0 - xh, z0 - zh
    s = (dx * ez - dz * ex) / det
    u = (a * ez - b * ex) / det
    valid = ok & (ad.real(u) >= -1e-9) & (ad.real(u) <= 1 + 1e-9) & (ad.real(s) > 0)
    score = np.where(valid, ad.real(s), np.inf)
    return s.take(np.argmin(score))


# ---------------------------------------------------------------------------------------
# OpenMDAO

# sample layouts (mm, deg) for the sparsity pattern: N-Box and Alto class
_SAMPLE = {"L": 3395.0, "W": 1475.0, "H": 1700.0, "WB": 2500.0, "Tf": 1300.0, "Tr": 1295.0,
           "front_overhang": 550.0, "ground_clearance": 145.0, "hood_height": 1000.0,
           "rake": 57.0, "tyre_width": 155.0, "tyre_aspect": 65.0, "rim": 14.0,
           "crush_length": 780.0, "block_length": 450.0, "cowl": 100.0, "l53": 850.0,
           "w20": 340.0, "l50": 850.0, "floor_thickness": 60.0, "roof_thickness": 70.0,
           "powertrain_width": 950.0, "powertrain_height": 550.0, "belt": 980.0,
           "tumblehome": 10.0, "roof_radius": 130.0, "plan_radius": 200.0, "h30": 320.0,
           "rear_rake": 6.0, "backlight_rake": 35.0, "drop": 60.0, "fuel": 27.0,
           "battery_energy": 20.0, "battery_height": 120.0, "battery_density": 250.0}
# the truck's sample: Suzuki Carry DA16T class (studies/designs/carry_class.toml)
_SAMPLE_TRUCK = {**_SAMPLE, "H": 1765.0, "WB": 1905.0, "Tf": 1300.0, "Tr": 1300.0,
                 "front_overhang": 800.0, "ground_clearance": 160.0, "rake": 30.0,
                 "tyre_width": 145.0, "tyre_aspect": 80.0, "rim": 12.0, "crush_length": 200.0,
                 "block_length": 800.0, "cowl": 0.0, "l53": 700.0, "l50": 0.0,
                 "floor_thickness": 240.0, "powertrain_width": 600.0,
                 "powertrain_height": 450.0, "belt": 1050.0, "tumblehome": 5.0,
                 "roof_radius": 80.0, "plan_radius": 100.0, "fuel": 34.0,
                 "bed_length": 1940.0, "deck_height": 650.0, "gate_height": 290.0,
                 "engine_setback": 250.0, "frame_width": 900.0}


def sample(style: str) -> dict[str, float]:
    """Sample layout of a style (tape recording, sparsity, tests)."""
    return _SAMPLE_TRUCK if style == "truck" else _SAMPLE


_SPARSITY: dict[tuple[str, str, str, str], np.ndarray] = {}


def sparsity(style: str, powertrain: str, placement: str = "underfloor",
             engine: str = "front") -> np.ndarray:
    """Boolean (outputs x inputs) pattern of nonzero partials: the union over the sample
    layout and 6 random +-8 % perturbations of it (structural zeros stay undeclared)."""
    key = (style, powertrain, placement, engine)
    if key not in _SPARSITY:
        names = list(pr.parameter_names(style, powertrain))
        outs = outputs(style)
        smp = sample(style)
        rng = np.random.default_rng(0)
        pat = np.zeros((len(outs), len(names)), bool)
        for k in range(7):
            scale = 1.0 + (0.0 if k == 0 else 0.08) * rng.uniform(-1, 1, len(names))
            vals = [smp[n] * s for n, s in zip(names, scale, strict=True)]
            with np.errstate(all="ignore"):
                res = closed_form(dict(zip(names, ad.seed(vals), strict=True)), style,
                                  powertrain, placement, engine)
            for i, name in enumerate(outs):
                g = res[name].g if isinstance(res[name], D) else None
                if g is not None:
                    pat[i] |= np.abs(g) > 0.0
        _SPARSITY[key] = pat | _groups(names, outs)
    return _SPARSITY[key]


_SHAPE = {"L", "W", "H", "WB", "Tf", "Tr", "front_overhang", "ground_clearance", "hood_height",
          "rake", "tyre_width", "tyre_aspect", "rim", "crush_length", "cowl", "belt",
          "tumblehome", "roof_radius", "plan_radius", "rear_rake", "backlight_rake", "drop",
          "bed_length", "deck_height", "gate_height"}
_SEAT = {"l53", "l50", "floor_thickness", "h30", "roof_thickness", "battery_height"}
# the energy store: its volume, and where the battery placements put it (seat points)
_STORE = _SHAPE | _SEAT | {"w20", "fuel", "battery_energy", "battery_density"}
_SIMPLE = {"body:rear_overhang": {"L", "WB", "front_overhang"}, "body:track_mean": {"Tf", "Tr"},
           "body:footprint": {"WB", "Tf", "Tr"}, "body:tyre_diameter": {"tyre_width",
                                                                        "tyre_aspect", "rim"},
           "body:side_crush_space": {"W", "w20"}, "body:door_to_seat_centreline": {"W", "w20"},
           "body:crush_to_dash": {"crush_length"},
           # every position of powertrain.layout (the rear's minimum switches branch)
           "body:crush_to_powertrain": {"crush_length", "block_length", "L", "WB",
                                        "front_overhang", "engine_setback", "l53"},
           "body:volume:powertrain": {"block_length", "powertrain_width", "powertrain_height"},
           "body:volume:energy_storage": _STORE, "body:rear_crush_to_storage": _STORE,
           "body:storage_volume_margin": _STORE,
           "body:storage_front_from_front_axle": _STORE,
           "body:storage_rear_from_front_axle": _STORE,
           "body:side_crush_to_storage": {"W", "Tf", "Tr", "tyre_width", "w20"},
           "body:cargo_floor_height": {"ground_clearance", "floor_thickness",
                                       "battery_height"},
           "body:volume:bed": {"W", "bed_length", "gate_height"},
           "body:bed_side_area": {"W", "bed_length", "gate_height"},
           "body:bed_floor_area": {"W", "bed_length"},
           "body:cab_back_clearance": {"L", "bed_length", "crush_length", "l53", "l50"}}


_SEATED = {"body:panel_area:glazing", "body:panel_area:side", "body:surface_area",
           "body:cab_surface_area",
           "body:volume:occupant_cell", "body:headroom", "body:headroom_margin",
           "body:headroom_rear", "body:headroom_rear_margin",
           "body:legroom", "body:legroom_margin", "body:cargo_length"}
_SECTION = {"W", "H", "ground_clearance", "belt", "tumblehome", "roof_radius", "tyre_width",
            "tyre_aspect", "rim", "Tf", "Tr"}


def _groups(names: list[str], outs: Mapping[str, float] = OUTPUTS) -> np.ndarray:
    """Conservative hand-written dependencies: geometric outputs on every shape parameter
    (and the seat parameters where the occupant or the B/C pillars enter), the simple
    outputs on their own inputs."""
    pat = np.zeros((len(outs), len(names)), bool)
    for i, out in enumerate(outs):
        deps = _SIMPLE.get(out, _SHAPE | (_SEAT if out in _SEATED else set()))
        if out == "body:frontal_area":
            deps = _SECTION
        pat[i] = [n in deps for n in names]
    return pat



# ---------------------------------------------------------------------------------------
# compiled closed form: the tape of closed_form, replayed by numba


def _tape_key(style: str, powertrain: str, placement: str = "underfloor",
              engine: str = "front") -> str:
    """Cache key of a recorded tape: the sources it is recorded from and numpy's version."""
    h = hashlib.sha256(np.__version__.encode())
    for mod in (ad, pr, tp):
        h.update(Path(mod.__file__).read_bytes())
    h.update(Path(__file__).read_bytes())
    return f"body_tape_{style}_{powertrain}_{placement}_{engine}_{h.hexdigest()[:16]}"


_TAPES: dict[tuple[str, str, str, str], Any] = {}


def compiled_tape(style: str, powertrain: str, placement: str = "underfloor",
                  engine: str = "front") -> Any:
    """The closed form of one style and powertrain recorded as a tape
    (:mod:`geometry._tape`): recorded once at :data:`_SAMPLE` (~1.5 s), kept in memory
    and in the numba cache folder (``keidesign.NUMBA_CACHE_DIR``), keyed by the source
    of the modules it is recorded from; one tape per battery placement of a BEV and per
    powertrain position (``powertrain.layout``; a truck's block has one position)."""
    placement = placement if powertrain == "bev" else "underfloor"
    if style == "truck":
        engine = "underfloor"
    key = (style, powertrain, placement, engine)
    tape = _TAPES.get(key)
    if tape is not None:
        return tape
    path = os.path.join(NUMBA_CACHE_DIR,
                        _tape_key(style, powertrain, placement, engine) + ".npz")
    try:
        with np.load(path) as f:
            tape = tp.Tape.from_arrays(dict(f))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        names = list(pr.parameter_names(style, powertrain))

        outs = outputs(style)
        smp = sample(style)

        def fn(xs: list[Any]) -> list[Any]:
            res = closed_form(dict(zip(names, xs, strict=True)), style, powertrain,
                              placement, engine)
            return [res[k] for k in outs]

        tape = tp.record(fn, [smp[k] for k in names])
        try:
            os.makedirs(NUMBA_CACHE_DIR, exist_ok=True)
            tmp = f"{path}.{os.getpid()}.tmp.npz"
            np.savez(tmp, **tape.to_arrays())
            os.replace(tmp, path)
        except OSError:
            pass
    _TAPES[key] = tape
    return tape


_SCALES = {style: np.array(list(outputs(style).values())) for style in pr.STYLES}


def closed_form_compiled(x: np.ndarray, style: str, powertrain: str = "ice",
                         want_grad: bool = False, placement: str = "underfloor",
                         engine: str = "front") -> tuple[np.ndarray, np.ndarray]:
    """:func:`closed_form` compiled: outputs (in :func:`outputs` order, registered units)
    at parameters ``x`` (order of :func:`geometry.profiles.parameter_names`), and with
    ``want_grad`` their Jacobian (outputs x parameters, registered units); with ``x`` of
    shape (n, P) the outputs of n designs (n, outputs), values only."""
    from geometry import _tape_kernel as kern

    tape = compiled_tape(style, powertrain, placement, engine)
    scales = _SCALES[style]
    x = np.asarray(x, dtype=float)
    if x.ndim == 2:
        return kern.run_cases(*tape.case_args(), x) * scales, np.zeros((0, 0))
    val, jac = kern.run(*tape.args(), x, want_grad)
    return val * scales, jac * scales[:, None]
