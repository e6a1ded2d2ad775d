"""Side impact, FMVSS 214: moving deformable barrier and oblique pole.

MDB test (49 CFR 571.214 S7 [R]): a 1,368 kg barrier at 54 km/h, crabbed 27 deg, hits
the stationary car's side (1,361 +/- 4.5 kg with its face, 1,367.6 kg as configured per
49 CFR 587.6, crab 27 +/- 1 deg: NHTSA's side NCAP laboratory test procedure, MDB
section [V]). The lateral closing speed is V_l = 54 cos 27 deg km/h. In a
plastic lateral momentum exchange of the barrier (M) and the struck car (m)::

    delta_v_car = M / (M + m) V_l            (lateral delta-V of the struck car)
    E           = 1/2 M m / (M + m) V_l^2    (energy the two crush zones absorb)

The struck car's side is credited with all of E (the barrier face's share is not
credited: conservative for the car). Its side structure is rigid-plastic at

    F_side = n_db 4 M_p(door beam) / L_db + 2 (M_s + M_r + 2 M_p(B-pillar)) / L_B
             + n_cm P_d(cross-member)

(door beams simply supported at hinge and latch, the B-pillar loaded at mid-height with
its ends at the sill and roof rail turning against those members' plastic torque, M_s
and M_r: "One joint law" below; until 4 Dec 2026 built in, 8 M_p / L_B; the
floor/seat cross-members crushing axially; all
times the Cowper-Symonds factor at half the closing speed, see
:mod:`keidesign.crash.members`), so the side crush needed is E / F_side, compared (rule
pack) with the door skin to the front seat centreline from the geometry
(``body:door_to_seat_centreline``: the residual intrusion stops short of the seat
centreline, the IIHS side test's structural measure; docs/crash.md, Validation);
:mod:`keidesign.crash.side_profile` spreads it along the car and reads it at the fuel
tank or battery (``fmvss301.side_crush_space``). m = curb + ES-2re (72 kg) + SID-IIs
(45 kg) dummies [R]. L_B = 0.6 x body height [assumed].

Oblique pole (S9 [R]): the car at 32 km/h, 75 deg, into a rigid 254 mm pole aligned with
the front occupant's head. The pole is rigid and fixed, so the car's lateral kinetic
energy is absorbed by the car's side alone::

    E_pole = 1/2 m (32 km/h sin 75 deg)^2          crush needed = E_pole / F_pole
    F_pole = 4 M_p(door beam) / L + 4 M_h(sill) / L + 4 M_h(roof rail) / L
             + P_d(cross-member)          (Cowper-Symonds factors at the pole's lateral speed)

(all the lateral energy, the car's yaw about its centre of gravity not credited: with
the pole a distance d ahead of or behind it the crush takes 1/2 m k^2/(k^2 + d^2) v^2,
k the yaw radius of gyration, so crediting all of it is conservative). The pole is a
vertical cylinder over the side's whole height: at its station it pushes the side in
uniformly from sill to roof rail. It bends the members spanning along the car past it,
between the A- and B-pillars (span L = ``crash:side:door_beam_span``: the front door's
hinge and latch sit on those pillars; at the roof the A-pillar is raked back, so the
roof rail's real span is shorter and its force higher than taken here): the front
door's beam, the sill (rocker) and the side roof rail. A rigid-plastic beam of plastic
moment M loaded at a from one end collapses at P = M L / (a (L - a)) with both ends
pinned (one hinge, under the load) and 2 M L / (a (L - a)) with both ends built in
(hinges at the ends too): at least 4 M / L and 8 M / L, at mid-span (N. Jones,
*Structural Impact*, Cambridge Univ. Press 1989: static collapse of beams, ch. 1; a
beam struck by a mass much heavier than itself deforms in that mechanism, ch. 3). The
model takes 4 M / L for all three: the pole at mid-span and pinned ends, the lowest of
the stations and end fixities (at the B-pillar the sill and roof rail run on, so a
built-in end there needs only the member itself; at the A-pillar they end in a
spot-welded joint whose moment capacity no source gives). The sill and roof rail are
slender boxes: their M is the hinge moment M_h of :func:`~keidesign.crash.members.
box_hinge_moment` (the compression flange, the wall facing the pole, at its effective
width; Kecman 1983), not the full M_p. The transverse member at the pole's station, one
floor cross-member, crushes axially through the sill (P_d, the upper bound of the MDB
case); it and the sill's bending are parallel paths (the sill's ends are held by the
other transverse members). A B-pillar struck by the pole is not bent: its three-hinge
8 M_p / L mechanism needs its ends at the sill and roof rail held while its middle
moves, and the pole moves both alike. Until Dec 2026 half that pillar force was
credited [assumed, unsourced; 106 of the default 228 kN], and until 3 Dec 2026 the sill
and roof rail were not in the design (F_pole 117 kN by default).

**Which face loads what** (since 4 Dec 2026; :class:`SideBarrier`, :func:`side_force`).
A side barrier is an input of the side load case: mass M, speed V, crab (the lateral
closing speed V cos crab) and its deformable face's ground clearance z_f and height h_f.
The side's members are placed by height: the sill (rocker) up to its top z_s
(``crash:side:sill_top_height``, the door opening's step), the door beams and the
B-pillar above it, the B-pillar up to the roof rail. A face reaching below the sill's
top (z_f < z_s) pushes the sill and, through it, the floor cross-members: the parallel
sum F_side above. A face passing above it (z_f >= z_s) bends the door beams and the
B-pillar only; the sill, not loaded, is held in place by the cross-members (while
2 n_cm P_d exceeds the bending force: :func:`sill_holds`), and so is the roof rail
above the face. The B-pillar loaded at mid-height between them collapses with hinges at
its middle and its two ends (Jones 1989 ch. 1), its end moments being what the joints
can take: the pillar's bending moment at its foot is a torque about the sill's own axis
(and at its head about the roof rail's), which the sill carries both ways along the car
from the joint, at most 2 T_p, T_p = 2 h d t sigma_0 / sqrt(3) the fully plastic torque
of its closed box (:func:`~keidesign.crash.members.box_torsion_moment`)::

    F_side = n_db 4 M_p(door beam) / L_db + 2 (M_s + M_r + 2 M_p(B-pillar)) / L_B
    M_s = min(M_p(B-pillar), 2 T_p(sill)),   M_r = min(M_p(B-pillar), 2 T_p(roof rail))

(virtual work over the three hinges; M_s = M_r = M_p gives the built-in 8 M_p / L_B,
zero the pinned 4 M_p / L_B; each moment with its Cowper-Symonds factor at half the
closing speed). The FMVSS 214 MDB face (279-838 mm above the ground [A: owner's brief
quoting 49 CFR 587]) reaches the default 330 mm sill top: the compliance and NCAP
criteria add the cross-members to the pillar and door beams. The IIHS side barrier
of 2003-2020 (1,500 kg at 50 km/h, square; face 379-1,138 mm [A: owner's brief quoting
the IIHS protocol]; ``data/crash/side_iihs_program.csv``) passes above it: on the
default structure 175 kN (door beams 21, B-pillar 154; the pillar's ends at 14.4 kN m
on the sill and 7.0 on the roof rail against its M_p of 24.0 kN m, rate factors in)
against 397 kN under the FMVSS face (455 kN with the pillar built in, until 4 Dec
2026). Validity: faces whose top is above the sill and below the roof rail, the
door beams inside the face's height (no door-beam or belt height in the design); a sill
top within 279-379 mm gives both tests' verdicts of the default 330 mm [assumed: no
published sill height of a small car found]. The plastic torque is the upper side of
what the slender sill box carries (its walls buckle in shear first, tension field not
credited): a lower torque moves the force toward the pinned pillar. The pillar's load
point is its mid-height (the IIHS face's centre, 759 mm above the ground, is 428 mm
above a 330 mm sill on a 900 mm pillar: P = (M_s + M_p)/a + (M_r + M_p)/(L - a) differs
by under 1 %; ``python benchmarks/crash_probes.py side_barriers``).

**One joint law** (since 4 Dec 2026, issue 14). The pillar's end moments M_s and M_r
are a property of the joints, not of the barrier: the FMVSS 214 MDB face, which also
pushes the sill in, meets the same pillar-to-sill and pillar-to-roof-rail joints, so
its pillar term is the same 2 (M_s + M_r + 2 M_p) / L_B (:func:`pillar_force`, one
implementation for both faces), the cross-members' n_cm P_d added in parallel. Until
4 Dec 2026 the FMVSS face kept the built-in 8 M_p / L_B: default structure 455 kN
(B-pillar 212 kN), now 397 kN (B-pillar 154 kN); the two NHTSA side NCAP tests with
measured crush go from 0.83 / 0.89 to 0.95 / 1.03 of it (``python
benchmarks/crash_probes.py side_nhtsa``), and no certified generation fails
``fmvss214.mdb.crush_space`` or ``fmvss301.side_crush_space`` (``python
benchmarks/crash_probes.py side_barriers``). Assumed, not checked: the sill, pushed in
by the face and crushing the cross-members, keeps its full plastic torque (the same
2 T_p as under the IIHS face; a sill translating with the pillar's middle would move
the foot's hinge up to the face's top edge, a mechanism not modelled). The pole is
not changed: it moves the B-pillar whole (no pillar term) and bends the sill and roof
rail with pinned ends (4 M_h / L), the end fixity below any joint law; their ends at
the A-pillar are spot-welded joints whose moment capacity no source gives.

Which test loads what: the MDB's barrier face (1,676 mm wide) pushes the side over both
doors at once, the sill along its length: it hands its load to the cross-members (their
load spreader, in series with them, counted once as their n_cm P_d) and, with the roof
rail above the barrier face, holds the B-pillar's ends in place (turning against
their torque); no sill or roof-rail
bending is added to F_side. The pole bends the sill and roof rail and moves the B-pillar
whole. Mass (``crash:side:structure_mass``): the sills and roof rails over the span L,
both sides (the rest of each member stays in the body-in-white areal mass).

Bounds of F_pole: the midspan station and pinned ends are its lower side (built-in ends
would double the three bending terms), and so is the membrane force a beam with held
ends takes once its deflection exceeds its depth (Jones ch. 7), not credited; the peak
hinge moment M_h is its upper side in that the hinge moment falls as the hinge rotates
(at 0.2-0.45 m of crush over a 0.9 m span the ends turn 24-45 deg, the mid-span hinge
twice that: Kecman's collapse curves), and so is the cross-member's progressive
folding. None of these is fitted: no per-car pole force-deflection data was found. The
B-pillar (MDB) and the A-pillar (roof) keep their full M_p although their walls are as
slender (b/t 36-50: M_h would be 0.84 and 0.87 M_p): not changed here.

Outputs are kinematic/structural proxies (delta-V, energy, crush needed): the dummy
criteria of the pack (HIC36, rib deflection, ...) stay not-modelled. Batched
(``n_cases > 1``): the same closed form on arrays of cases (no branch on a value). Validity: side
structure that collapses progressively (no door opening, no sill rotation).

Checked against the IIHS side program (49 tests, 1,500 kg barrier at 50 km/h; docs/crash.md,
Validation). Until 4 Dec 2026 the check used the FMVSS 214 face's force, as all that
follows up to "Since 4 Dec 2026" (the pillar built in): the default structure's 455 kN
(B-pillar 212, cross-members 222, door beams 21 kN) gives 121-203 mm of crush against 270-460 mm
measured; a constant force inside the range would be 201-204 kN. The B-pillar's
built-in ends and the cross-members' progressive folding are upper-bound mechanisms:
the crush needed is a lower bound.
Per car (:func:`keidesign.validation.crash.side_crush_checks`, 3 Dec 2026): the residual
crush of 9 IIHS minicar tests of 8 certified generations, rebuilt from the B-pillar's
residual position, is 381-460 mm against the model's 125-144 mm (force 452-463 kN
against the 135-174 kN those tests imply; docs/crash.md, Validation). The barrier
face's energy share, the side's springback and a door crushed deeper than its B-pillar
(none sourced) would all lower the implied force further, so those tests exclude this
force and every built-in variant whatever their size; the pinned-end variant fits them
only if those shares take 5-26 % of the energy (docs/crash.md, "The IIHS side tests
corrected"; ``python benchmarks/crash_probes.py side_corrections``). Two NHTSA side NCAP
tests with the car's measured crush (the FMVSS 214 barrier at 62 km/h; 2005 Pontiac G6
and 2017 Chevrolet Volt, 1.77 t; ``data/crash/side_nhtsa_tests.csv``,
:func:`keidesign.validation.crash.side_nhtsa_checks`, 4 Dec 2026) put the model's crush
at 83-89 % of their residual crush and its force 12-21 % above the 377-416 kN bound they
imply: the car-height barrier agrees with this mechanism far better than the IIHS one
(docs/crash.md, "Per-car side crush from NHTSA side NCAP tests"; ``python
benchmarks/crash_probes.py side_nhtsa``). Not changed: two cars, neither a minicar.
Since 4 Dec 2026 the IIHS checks run with the IIHS face ("Which face loads what";
nothing fitted): the 9 minicar tests' model crush is 76-98 % of the residual crush
(force 172-180 kN against 135-174 kN implied), 7 of 9 within 15 %; over the program's
struck-mass range 315-530 mm against 270-460 mm; the NHTSA tests, FMVSS face, unchanged
until "One joint law" (0.95 / 1.03 since)
(docs/crash.md, "The IIHS barrier as its own load case"; ``python
benchmarks/crash_probes.py side_barriers``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from geometry import ad
from keidesign.closed_form import DualClosedForm
from keidesign.crash.members import (
    box_hinge_moment,
    box_plastic_moment,
    box_torsion_moment,
    crush_force,
    tube_plastic_moment,
)
from keidesign.errors import InputError
from keidesign.materials import MATERIALS, Material, material

MDB_MASS_KG = 1368.0
MDB_SPEED_KMH = 54.0
MDB_CRAB_DEG = 27.0
POLE_SPEED_KMH = 32.0
POLE_ANGLE_DEG = 75.0
ES2RE_KG = 72.0
SID2S_KG = 45.0
SIDE_DUMMIES_KG = ES2RE_KG + SID2S_KG
PILLAR_HEIGHT_FRACTION = 0.6
#: FMVSS 214 / side NCAP MDB face (49 CFR 587): ground clearance and height of the
#: deformable face, mm [A: the owner's brief (task s12h9) quoting 49 CFR 587; the Part
#: 587 text and figures were not reachable in the stored sources]
MDB_FACE_GROUND_CLEARANCE_MM = 279.0
MDB_FACE_HEIGHT_MM = 559.0
#: design key of the sill's top above the ground (the door opening's step), mm
SILL_TOP_KEY = "crash:side:sill_top_height"


@dataclass(frozen=True)
class SideBarrier:
    """A moving deformable barrier of a side test: mass (kg), speed (km/h), crab angle
    (deg: its wheels turned so that it runs at this angle to its own axis, the face
    square to the car) and the deformable face's ground clearance and height (mm). Only
    the lateral closing speed ``speed cos(crab)`` loads the side (module docstring)."""

    name: str
    mass_kg: float
    speed_kmh: float
    crab_deg: float
    face_ground_clearance_mm: float
    face_height_mm: float

    #: allowed range of each number (low, high), checked on construction
    RANGES = {"mass_kg": (100.0, 10000.0), "speed_kmh": (1.0, 150.0),
              "crab_deg": (0.0, 60.0), "face_ground_clearance_mm": (0.0, 2000.0),
              "face_height_mm": (10.0, 2500.0)}

    def __post_init__(self) -> None:
        for key, (lo, hi) in self.RANGES.items():
            val = getattr(self, key)
            if not lo <= val <= hi:
                raise InputError(f"side barrier '{self.name}' {key}: {val!r}; "
                                 f"allowed: {lo:g} to {hi:g}")

    @property
    def lateral_speed(self) -> float:
        """Lateral closing speed (m/s): ``speed cos(crab)``."""
        return self.speed_kmh / 3.6 * float(np.cos(np.radians(self.crab_deg)))

    @property
    def face_bottom_mm(self) -> float:
        """Height of the face's lower edge above the ground (mm)."""
        return self.face_ground_clearance_mm

    @property
    def face_top_mm(self) -> float:
        """Height of the face's upper edge above the ground (mm)."""
        return self.face_ground_clearance_mm + self.face_height_mm


#: the FMVSS 214 (and side NCAP, there at 62 km/h) moving deformable barrier
FMVSS_MDB = SideBarrier("FMVSS 214 MDB", MDB_MASS_KG, MDB_SPEED_KMH, MDB_CRAB_DEG,
                        MDB_FACE_GROUND_CLEARANCE_MM, MDB_FACE_HEIGHT_MM)


def barrier_impact(big_m, m, v):
    """Delta-V of the struck car and energy the crush zones absorb when a barrier of mass
    ``big_m`` at speed ``v`` hits a stationary car of mass ``m`` (plastic momentum
    exchange, module docstring): ``(M / (M + m) v, 1/2 M m / (M + m) v^2)``, in the units
    of ``v`` and ``kg v^2``; numbers, arrays or dual numbers (the rear impact too)."""
    return big_m / (big_m + m) * v, 0.5 * big_m * m / (big_m + m) * v**2


def mdb_impact(m, force, big_m=MDB_MASS_KG, v=None):
    """Side MDB impact of a car of test mass ``m`` (kg) whose side resists with ``force``
    (N): delta-V (m/s), energy (J) and side crush needed ``E / F_side`` (m). Defaults:
    the FMVSS 214 barrier (1,368 kg, lateral closing speed 54 cos 27 deg km/h); the IIHS
    side test passes its own barrier mass and speed (:mod:`keidesign.crash.validation`)."""
    if v is None:
        v = MDB_SPEED_KMH / 3.6 * np.cos(np.radians(MDB_CRAB_DEG))
    dv, energy = barrier_impact(big_m, m, v)
    return dv, energy, energy / force

def bending_rate_factor(mat: Material, v_l: Any, depth: Any) -> Any:
    """Cowper-Symonds factor (-) of a member of depth ``depth`` (m), grade ``mat``, bent
    or twisted by a side impact at the lateral closing speed ``v_l`` (m/s): ``1 +
    (eps / D)^(1/q)`` at the strain rate ``eps = 0.33 (v_l / 2) / depth`` (half the
    closing speed: :mod:`keidesign.crash.members`). ``v_l`` None: quasi-static, 1 (the
    roof's plate test, :mod:`keidesign.crash.roof`; exact where the rate form's power of
    0 would give a dual number's 0 x inf derivative)."""
    if v_l is None:
        return 1.0
    return 1.0 + (0.33 * 0.5 * v_l / depth / mat.cs_d) ** (1.0 / mat.cs_q)


def pillar_plastic_moment(g, mat: Material, v_l: Any) -> Any:
    """Fully plastic moment (N m) of the B-pillar's box (design keys of :data:`_IN`, mm;
    grade ``mat``) with its Cowper-Symonds factor at half the lateral closing speed
    ``v_l`` (m/s)."""
    wb, db, tb = (g[k] * 1e-3 for k in _IN[3:6])
    return (box_plastic_moment(mat.flow_stress_mpa * 1e6, wb, db, tb)
            * bending_rate_factor(mat, v_l, db))


def member_forces(g, mat, v_l):
    """Collapse forces (N) of one door beam, one B-pillar and one cross-member of the
    side structure ``g`` (design keys of :data:`_IN`, mm), grade ``mat``, at the lateral
    closing speed ``v_l`` (m/s): ``4 M_p/L_db``, ``8 M_p/L_B`` and ``P_d`` of the module
    docstring, each with its Cowper-Symonds factor at half the closing speed. The
    pillar's ``8 M_p/L_B`` is its built-in upper bound (probes and tests bracket
    :func:`pillar_force` with it); the side force takes :func:`pillar_force`."""
    sig = mat.flow_stress_mpa * 1e6
    mm = 1e-3
    dia, tdb, span = (g[k] * mm for k in _IN[:3])
    wc, hc, tc = (g[k] * mm for k in _IN[6:9])
    # dynamic factor of the bending members: Cowper-Symonds at eps ~ 0.33 V / depth
    l_b = PILLAR_HEIGHT_FRACTION * g["body:height"] * mm
    f_db1 = 4.0 * tube_plastic_moment(sig, dia, tdb) * bending_rate_factor(mat, v_l, dia) / span
    f_b = 8.0 * pillar_plastic_moment(g, mat, v_l) / l_b
    p_cm = crush_force(sig, mat.cs_d, mat.cs_q, wc, hc, tc, 0.5 * v_l)
    return f_db1, f_b, p_cm


def rail_forces(g, sill_mat, roof_rail_mat, v_l, moment=box_hinge_moment):
    """Collapse forces (N) of the sill and the roof rail bent by the pole between the A-
    and B-pillars (design keys of :data:`_IN`, mm; grades ``sill_mat``,
    ``roof_rail_mat``) at the lateral speed ``v_l`` (m/s): ``4 M_h / L`` each (module
    docstring), with the Cowper-Symonds factor at half that speed, as the other
    bending members. ``moment(sigma0, E, w, d, t)`` (Pa, m; N m) is the hinge moment
    (a probe passes the full M_p to bracket it)."""
    mm = 1e-3
    span = g["crash:side:door_beam_span"] * mm
    out = []
    for key, mat in (("sill", sill_mat), ("roof_rail", roof_rail_mat)):
        h, d, t = (g[f"crash:side:{key}_{dim}"] * mm for dim in ("height", "depth", "thickness"))
        dyn = bending_rate_factor(mat, v_l, d)
        m_h = moment(mat.flow_stress_mpa * 1e6, mat.e_mpa * 1e6, h, d, t)
        out.append(4.0 * m_h * dyn / span)
    return tuple(out)


def pillar_end_moments(g, mat: Material, sill_mat: Material, roof_rail_mat: Material,
                       v_l: Any) -> tuple[Any, Any, Any]:
    """Plastic moment of the B-pillar and the moments its ends can take where it joins
    the sill and the roof rail (N m; design keys of :data:`_IN`, mm), at the lateral
    closing speed ``v_l`` (m/s; None: quasi-static, the roof's plate test), each with
    its Cowper-Symonds factor at half that speed:
    ``(M_p, min(M_p, 2 T_p(sill)), min(M_p, 2 T_p(roof rail)))``. The pillar's end
    moment twists the member it joins about that member's own axis, both ways along it
    (module docstring: the face above the sill)."""
    mm = 1e-3
    m_p = pillar_plastic_moment(g, mat, v_l)
    ends = []
    for key, m_ in (("sill", sill_mat), ("roof_rail", roof_rail_mat)):
        h, d, t = (g[f"crash:side:{key}_{dim}"] * mm for dim in ("height", "depth", "thickness"))
        ends.append(ad.minimum(m_p, 2.0 * box_torsion_moment(m_.flow_stress_mpa * 1e6, h, d, t)
                               * bending_rate_factor(m_, v_l, d)))
    return m_p, ends[0], ends[1]


def engages_sill(barrier: SideBarrier, sill_top_mm: Any) -> Any:
    """True where the barrier's face reaches below the sill's top (mm above the ground):
    the face then pushes the sill and, through it, the floor cross-members."""
    return barrier.face_bottom_mm < ad.real(sill_top_mm)


def sill_holds(parts: dict[str, Any]) -> Any:
    """True where the floor cross-members can hold the sill against the bending force
    of a face above it (the parts of :func:`side_force` for that face): ``2 n_cm P_d``
    (the cross-members at their crush force, ``parts["cross_members_capacity"]``) at or
    above the door beams' and B-pillar's force. Where it fails, the side would turn
    about the roof rail at ``2 n_cm P_d``, a mechanism not modelled."""
    return ad.real(2.0 * parts["cross_members_capacity"]) >= ad.real(
        parts["door_beams"] + parts["b_pillar"])


def pillar_force(g, mats: tuple[Material, Material, Material], v_l: Any) -> Any:
    """Collapse force (N) of one B-pillar loaded at mid-height, its ends turning against
    the sill's and roof rail's plastic torque (design keys of :data:`_IN`, mm; grades of
    the pillar, the sill and the roof rail; lateral closing speed ``v_l``, m/s):
    ``2 (M_s + M_r + 2 M_p) / L_B`` with the moments of :func:`pillar_end_moments`
    (module docstring, "One joint law"). Every side barrier's face loads it so."""
    m_p, m_s, m_r = pillar_end_moments(g, *mats, v_l)
    return 2.0 * (m_s + m_r + 2.0 * m_p) / (PILLAR_HEIGHT_FRACTION * g["body:height"] * 1e-3)


def side_force(g, mats: tuple[Material, Material, Material], n_db: int, n_cm: int,
               barrier: SideBarrier) -> tuple[Any, dict[str, Any]]:
    """Mean lateral force (N) of the side structure ``g`` (design keys of :data:`_IN`,
    mm; grades of the door beams / B-pillar / cross-members, the sill and the roof rail)
    under ``barrier``'s face, and its parts (N): module docstring, "Which face loads
    what" and "One joint law". The door beams (``n_db 4 M_p/L_db``) and the B-pillar,
    its ends turning against the sill's and roof rail's plastic torque
    (:func:`pillar_force`), under every face; a face reaching below the sill's top adds
    the cross-members crushing through the sill (``n_cm P_d``: the FMVSS 214 MDB). A face
    above it leaves the sill to the cross-members (valid while ``2 n_cm P_d`` exceeds the
    bending force: :func:`sill_holds`)."""
    mat = mats[0]
    v_l = barrier.lateral_speed
    f_db1, _, p_cm = member_forces(g, mat, v_l)
    f_b = pillar_force(g, mats, v_l)
    on_sill = engages_sill(barrier, g[SILL_TOP_KEY])
    f_cm = ad.where(on_sill, n_cm * p_cm, 0.0 * p_cm)
    return n_db * f_db1 + f_b + f_cm, {"door_beams": n_db * f_db1, "b_pillar": f_b,
                                       "cross_members": f_cm,
                                       "cross_members_capacity": n_cm * p_cm,
                                       "engages_sill": on_sill}


_IN = ("crash:side:door_beam_diameter", "crash:side:door_beam_thickness",
       "crash:side:door_beam_span", "crash:side:b_pillar_width", "crash:side:b_pillar_depth",
       "crash:side:b_pillar_thickness", "crash:side:cross_member_width",
       "crash:side:cross_member_height", "crash:side:cross_member_thickness",
       "crash:side:sill_height", "crash:side:sill_depth", "crash:side:sill_thickness",
       "crash:side:roof_rail_height", "crash:side:roof_rail_depth",
       "crash:side:roof_rail_thickness",
       "body:height", "body:width", "mass:curb", SILL_TOP_KEY)
#: design keys of the member sections (door beam, B-pillar, cross-member, sill, roof
#: rail), mm
STRUCTURE_KEYS = _IN[:15]
#: grade keys of the side members: the door beams, B-pillars and cross-members; the
#: sills; the roof rails (component options)
MATERIAL_KEYS = ("crash:side:material", "crash:side:sill_material",
                 "crash:side:roof_rail_material")
_OUT = ("crash:side:test_mass", "crash:side:force", "crash:side:mdb:delta_v",
        "crash:side:mdb:energy", "crash:side:mdb:crush_required", "crash:side:pole:energy",
        "crash:side:pole:force", "crash:side:pole:crush_required",
        "crash:side:structure_mass")


class SideImpactComp(DualClosedForm):
    """FMVSS 214 MDB and pole: delta-V, energy and side crush needed."""

    INPUTS = _IN
    OUTPUTS = _OUT
    #: the pillar's end moments (min of its M_p and the sill's or roof rail's torque) and
    #: the cross-members' branch on the face against the sill top (``where``) can hide
    #: sections from the sparsity probe; the sill top itself moves the force in steps only
    #: (no partial)
    DEPENDS = {"crash:side:force": (*STRUCTURE_KEYS, "body:height"),
               "crash:side:mdb:crush_required": (*STRUCTURE_KEYS, "body:height", "mass:curb")}

    def initialize(self) -> None:
        super().initialize()
        self.options.declare("material", default="dp_980", values=tuple(MATERIALS),
                             desc="grade of the door beams, B-pillars and cross-members")
        self.options.declare("sill_material", default="mild_steel", values=tuple(MATERIALS))
        self.options.declare("roof_rail_material", default="mild_steel",
                             values=tuple(MATERIALS))
        self.options.declare("n_door_beams", default=2, types=int)
        self.options.declare("n_cross_members", default=2, types=int)

    def _values(self, g):
        mat = material(self.options["material"])
        mm = 1e-3
        n_db, n_cm = self.options["n_door_beams"], self.options["n_cross_members"]
        v_l = MDB_SPEED_KMH / 3.6 * np.cos(np.radians(MDB_CRAB_DEG))
        dia, tdb, span = (g[k] * mm for k in _IN[:3])
        wb, db, tb = (g[k] * mm for k in _IN[3:6])
        wc, hc, tc = (g[k] * mm for k in _IN[6:9])
        height, width = g["body:height"] * mm, g["body:width"] * mm
        mat_s, mat_r = (material(self.options[k]) for k in ("sill_material",
                                                             "roof_rail_material"))
        l_b = PILLAR_HEIGHT_FRACTION * height
        f_side = side_force(g, (mat, mat_s, mat_r), n_db, n_cm, FMVSS_MDB)[0]
        m = g["mass:curb"] + SIDE_DUMMIES_KG
        dv, e_mdb, crush = mdb_impact(m, f_side, MDB_MASS_KG, v_l)
        v_p = POLE_SPEED_KMH / 3.6 * np.sin(np.radians(POLE_ANGLE_DEG))
        f_db1_p, _, p_cm_p = member_forces(g, mat, v_p)  # strain rates at the pole's speed
        f_sill, f_rr = rail_forces(g, mat_s, mat_r, v_p)
        f_pole = f_db1_p + f_sill + f_rr + min(n_cm, 1) * p_cm_p
        e_pole = 0.5 * m * v_p**2
        # structure mass: door beams (one side's n_db), both B-pillars, cross-members,
        # the sills and roof rails over the A- to B-pillar span (both sides)
        rho = mat.density
        m_db = 2 * n_db * rho * np.pi * dia * tdb * span  # both sides
        m_b = 2 * rho * 2.0 * (wb + db) * tb * l_b
        m_cm = n_cm * rho * 2.0 * (wc + hc) * tc * width
        m_rails = 2.0 * span * sum(
            m_.density * 2.0 * (g[f"crash:side:{k}_height"] + g[f"crash:side:{k}_depth"])
            * g[f"crash:side:{k}_thickness"] * mm**2
            for k, m_ in (("sill", mat_s), ("roof_rail", mat_r)))
        return {
            "crash:side:test_mass": m,
            "crash:side:force": f_side * 1e-3,
            "crash:side:mdb:delta_v": dv * 3.6,
            "crash:side:mdb:energy": e_mdb * 1e-3,
            "crash:side:mdb:crush_required": crush * 1e3,
            "crash:side:pole:energy": e_pole * 1e-3,
            "crash:side:pole:force": f_pole * 1e-3,
            "crash:side:pole:crush_required": e_pole / f_pole * 1e3,
            "crash:side:structure_mass": m_db + m_b + m_cm + m_rails,
        }
