"""Side MDB crush along the car, judged where the fuel tank or battery pack sits.

FMVSS 301 S6.3 / FMVSS 305 judge the energy store in the FMVSS 214 MDB impact
(``fmvss301.side_crush_space``). :mod:`keidesign.crash.side` gives the crush C = E /
F_side the side structure needs under the barrier face; this module spreads it along
the car and reads it at the store's longitudinal station.

**Barrier position** (49 CFR 571.214 S7 / 49 CFR 587 as commonly quoted [R, to-check:
the regulation text was not reachable in the stored sources]): the barrier face is
B = 1,676 mm wide (the MDB's width in NHTSA's record of a side NCAP test [R], below);
the impact reference line lies 940 mm forward of the wheelbase's midpoint for a
wheelbase WB <= 2,896 mm, 508 mm behind the front axle centreline for a longer one (the
two rules meet at WB = 2,896 mm, a check of the figures). The face's *forward edge* is
on that line and the face reaches B behind it. Until 4 Dec 2026 the face's centreline
was put on the line; NHTSA's record of the side NCAP test of a 2005 Pontiac G6
(``data/crash/side_nhtsa_tests.csv``: NHTSA Test Reference Guide Vol. I, the example EV5
record [R]) decides between the two: the barrier's longitudinal centreline struck
207 mm behind the car's centre of gravity (IMPPNT), the CG 1,134 mm behind the front
axle on a 2,858 mm wheelbase. Forward edge on the line puts the centreline 193 mm
behind the CG (14 mm off); centreline on the line, 645 mm ahead of it (852 mm off). The
damage the same record gives (2,250 mm long, centred 555 mm behind the CG: 564 to
2,814 mm behind the front axle) starts at the line (489 mm) and runs back to the rear
axle, as the forward-edge face with the taper below does. With x measured rearward
from the front axle centreline (mm)::

    x_irl = WB/2 - 940   (WB <= 2,896 mm),   508   (WB > 2,896 mm)
    face  = [x_s, x_e] = [x_irl, x_irl + B]

**Profile** (rigid-plastic, reduced order). Under the face every side member the
mechanism of :mod:`keidesign.crash.side` credits (door beams, B-pillar, floor
cross-members through the sill) is pushed in by C: the plateau. Beyond the face's ends
the longitudinal members (sill, door beams and belt, roof rail) carry the deflection to
the next hard point, the axle (wheel, suspension mounts and wheelhouse) [assumed: no
sourced side crush profile C1-C6 of a small car was found; docs/crash.md]. A
rigid-plastic beam with hinges at the face's end and at the axle is straight between
them (N. Jones, *Structural Impact*, Cambridge Univ. Press 1989, ch. 1: rigid segments
between plastic hinges), so the crush falls linearly to zero at the axle::

    c(x) = C min(r_f, r_r),   r_r = clip((WB - x) / (WB - x_e), 0, 1),
                              r_f = clip(x / x_s, 0, 1) if x_s > 0 else 1 (x >= 0)

The taper takes no energy in the model (the members' work is all credited under the
face, C = E / F_side), so C is not reduced for it: conservative for the plateau. The
barrier's crab (27 deg) moves the face rearward by tan 27 deg per unit of lateral
advance, so a station a distance s behind x_e is first reached after an advance
s / tan 27 deg and pushed in by at most C - s / tan 27 deg (zero 0.51 C behind x_e),
and a station s behind the forward edge x_s is left by that edge after an advance
s / tan 27 deg (pushed in by at most s / tan 27 deg, for s < 0.51 C). Neither bound is
credited: c(x) keeps the beam's taper behind x_e (over WB - x_e = WB/2 - 736 mm, 14 mm
at the 1,500 mm end of the wheelbases to 1.8 m at 4,000 mm) and the full C from x_s,
conservative where the crab's bound is the lower. The G6 record's profile shows the
second: 25 mm outward at its front station, 75 mm behind x_s.

**What reaches the store.** Its stretch [x0, x1] behind the front axle sees the
largest crush over it::

    crush_at_storage = c(clip(x_e, x0, x1))

(c is flat on the face and falls away from it: its maximum over the stretch is at the
point of the stretch nearest the face's rear end). Laterally, the tank and the
underfloor, under-seat and rear packs sit below the floor between the sills: what
reaches them is the sill's intrusion. In the side mechanism the floor cross-members
crush axially through the sill by the full C (their n_cm P_d is credited over all of
it), so the sill's intrusion at a station is c(x) itself, compared (rule pack) with the
side skin to the store's side face (``body:side_crush_to_storage``): no fall-off with
height is credited (the B-pillar's bending, which would leave the sill behind, is
summed with the cross-members in the same mechanism; docs/crash.md, "The FMVSS 301
side proxy along the car" and "The side mechanism, checked"). A tunnel pack's side
face, above the floor, is reached by the door at the same c(x).

Validity: unit bodies with the tank or pack between the axles or behind the rear seat
(0 <= x0 <= x1); wheelbase 1,500-4,000 mm (the registered range; the face ends ahead of
the rear axle for WB > 2 (B - 940) = 1,472 mm). Inputs numbers,
arrays of cases or dual numbers; one implementation for values and partials
(:class:`~keidesign.closed_form.DualClosedForm`).
"""

from __future__ import annotations

from typing import Any

from geometry import ad
from keidesign.closed_form import DualClosedForm

__all__ = ["MDB_FACE_WIDTH_MM", "SideStorageCrushComp", "crush_at_storage",
           "crush_profile", "face_span", "impact_reference_x"]

#: FMVSS 214 MDB face width (49 CFR 587, as commonly quoted), mm
MDB_FACE_WIDTH_MM = 1676.0
#: wheelbase up to which the impact reference line is set from the wheelbase's midpoint
#: (FMVSS 214, as commonly quoted), mm
IRL_WHEELBASE_LIMIT_MM = 2896.0
#: impact reference line ahead of the wheelbase's midpoint (WB <= the limit), mm
IRL_AHEAD_OF_MIDPOINT_MM = 940.0
#: impact reference line behind the front axle centreline (WB > the limit), mm
IRL_BEHIND_FRONT_AXLE_MM = 508.0


def impact_reference_x(wheelbase: Any) -> Any:
    """x of the impact reference line behind the front axle centreline (mm) for the
    wheelbase (mm): module docstring."""
    short = 0.5 * wheelbase - IRL_AHEAD_OF_MIDPOINT_MM
    return ad.where(ad.real(wheelbase) <= IRL_WHEELBASE_LIMIT_MM, short,
                    IRL_BEHIND_FRONT_AXLE_MM + 0.0 * wheelbase)


def face_span(wheelbase: Any) -> tuple[Any, Any]:
    """Ends ``(x_s, x_e)`` of the barrier face (mm behind the front axle centreline) for
    the wheelbase (mm): its forward edge on the impact reference line, B = 1,676 mm
    behind it (module docstring)."""
    x_s = impact_reference_x(wheelbase)
    return x_s, x_s + MDB_FACE_WIDTH_MM


def _clip01(r: Any) -> Any:
    return ad.minimum(ad.maximum(r, 0.0), 1.0)


def crush_profile(x: Any, crush: Any, wheelbase: Any) -> Any:
    """Side crush (mm) at the station ``x`` (mm behind the front axle centreline) when
    the MDB face pushes the side in by ``crush`` (mm): flat over the face, falling
    linearly to zero at the axles beyond it (module docstring)."""
    x_s, x_e = face_span(wheelbase)
    r_r = _clip01((wheelbase - x) / (wheelbase - x_e))
    front_gap = ad.real(x_s) > 0.0
    r_f = ad.where(front_gap, _clip01(x / ad.where(front_gap, x_s, 1.0)),
                   ad.where(ad.real(x) >= 0.0, 1.0 + 0.0 * x, 0.0 * x))
    return crush * ad.minimum(r_f, r_r)


def crush_at_storage(crush: Any, wheelbase: Any, x0: Any, x1: Any) -> Any:
    """Largest side crush (mm) over the store's stretch ``[x0, x1]`` (mm behind the front
    axle centreline): the profile at the stretch's point nearest the face's rear end."""
    x_e = face_span(wheelbase)[1]
    return crush_profile(ad.minimum(ad.maximum(x_e, x0), x1), crush, wheelbase)


class SideStorageCrushComp(DualClosedForm):
    """FMVSS 214 MDB crush at the fuel tank's or battery pack's station (mm)."""

    INPUTS = ("crash:side:mdb:crush_required", "body:wheelbase",
              "body:storage_front_from_front_axle", "body:storage_rear_from_front_axle")
    OUTPUTS = ("crash:side:mdb:crush_at_storage",)
    #: the clip to the store's stretch is a branch the sparsity probe could miss
    DEPENDS = {"crash:side:mdb:crush_at_storage": INPUTS}
    #: typical values of the geometry outputs (probe points of the sparsity)
    PROBE = {"crash:side:mdb:crush_required": 250.0,
             "body:storage_front_from_front_axle": 1300.0,
             "body:storage_rear_from_front_axle": 1800.0}

    def _values(self, g):
        return {"crash:side:mdb:crush_at_storage": crush_at_storage(
            g["crash:side:mdb:crush_required"], g["body:wheelbase"],
            g["body:storage_front_from_front_axle"], g["body:storage_rear_from_front_axle"])}
