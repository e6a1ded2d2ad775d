"""Front structure: force-crush characteristic, crush available, energy, mass.

The front end is a chain of zones that crush in sequence from the bumper face
(M. Huang, *Vehicle Crash Mechanics*, CRC 2002, ch. 3-4; Kamal, SAE 700414)::

    zone       force (mean)                           effective stroke
    bumper     F_1 = 0.5 F_2                          s_1 = 0.70 d_bumper
    crash box  F_2 = n P_d(box)                       s_2 = 0.73 L_box
    rails      F_3 = n P_d(rail) + F_secondary        s_3 = 0.73 (L - d_bumper - L_box)

P_d is the superfolding mean force with its Cowper-Symonds factor at the mean crushing
speed V/2 (:mod:`keidesign.crash.members`). The powertrain does not crush: once the
stack in front of it (bumper beam compacted to 30 % of its depth, the radiator/condenser
pack compacted to 40 mm) is closed, the powertrain meets the barrier, is pushed back
through the clearance behind it, and then intrudes the dash. The crush available
before the dash intrudes beyond the tolerated limit::

    g_e  = L - L_block - c_e - 0.3 d_bumper - 40 mm        (engine gap)
    C_av = g_e + c_e + delta_dash
         = L - L_block - 0.3 d_bumper - 40 mm + delta_dash

with c_e the engine-to-dash clearance and delta_dash the tolerated dash intrusion.

**What a passing car may use** (issue 14, deliverable 2; docs/crash.md, "What the crush
available is, against measured crush"). FMVSS 208 sets no intrusion limit: the
full-width test tolerates whatever dash intrusion its dummy criteria survive, so
delta_dash is taken from a rating that judges intrusion through the lower-leg region,
``crash:front:dash_intrusion_limit`` = 100 mm by default
(``catalogue.crash.DASH_INTRUSION_MM``): Euro NCAP's higher performance limit of the
pedal's rearward displacement (full lower-leg score up to 100 mm, none beyond 200 mm;
Euro NCAP Adult Occupant Protection assessment protocol, MPDB test, section 3.1.5.2, as
encoded in the public pyisomme library [R]); the pedals hang on the dash panel the stack
pushes back. Checked against measured crush, not fitted: the intrusion the US NCAP
crush of 15 certified small cars implies once their stack is engaged, i_t = x_test -
g_e - p - c_e (p the stack's compression of the pulse model), is 0-154 mm, above 50 mm
on 3 (the Fit GK 76, the Versa Note 86, the CR-Z 154 mm), above 100 mm on the CR-Z only;
IIHS measured 40-130 mm of toe-pan intrusion on 13 certified small-car generations in
its harsher 64 km/h 40 % offset test (``data/crash/iihs_moderate_overlap_intrusion.csv``,
V). Until 4 Dec 2026 the default was 50 mm [assumed, no source], under what certified
cars show. The other terms stay as stated: the powertrain's push-back and drop under
the floor (engine mounts and sub-frames made to break away; a subframe folding so that
the engine moves down and rotates rearward: data/crash/README.md, qualitative [R], no
figure found) is not credited beyond delta_dash; the stack's own compaction is the
pulse model's contact (both sides of ``fmvss208.crush_space`` count it the same way,
below); the radiator pack's 40 mm and the bumper's 30 % are assumed.
C_av counts the stack at its nominal length L_block. The pulse model
(:mod:`keidesign.crash.pulse`) does not: its stack contact compresses the stack's front
(the compacted pack beyond 40 mm, the powertrain's front side) at k_c = 5 MN/m, by
48-85 mm on the shortest certified fronts and the kei designs. What C_av is compared
with (``fmvss208.crush_space``) is therefore the pulse's maximum crush less that
compression (``crash:front:crush_past_stack``), so that both sides count the stack the
same way; comparing the full crush charged the stack's own compression as crush used
while C_av credits none of it (docs/crash.md, "Front structure of an imported car").
A rear, mid or under-floor engine (``powertrain.layout``) leaves no block ahead of the
dash: L_block = 0, the whole front length crushes and the "stack" of the pulse model
(the propulsion unit on its mounts) meets the barrier only where the dash does.
**Cab-over front** (``cab_over=True``: the kei truck, body style ``truck``, whose seats
sit on the front axle). There is no engine bay: ``L`` is bumper face to the cab front
panel (the toe board's front), the bumper and the ladder frame's front horns (with
crash boxes, if any, within them) crush ahead of it, and the frame rails do not end at
the panel: they run on under the cab floor (ladder frame; the floor rails of a unit
frame), so once the horns are folded the rails keep crushing at the same mean force
while the cab front panel, with the pedals and the steering column anchored on it, is
pushed into the footwell. The zones::

    zone          force (mean)               effective stroke
    bumper        F_1 = 0.5 F_2              s_1 = 0.70 d_bumper
    crash box     F_2 = n P_d(box)           s_2 = 0.73 L_box',  L_box' = min(L_box, L - d_bumper)
    frame rails   F_3 = n P_d(rail) + F_sec  s_3 = 0.73 (L - d_bumper - L_box') + delta_cab

    C_av = L - 0.3 d_bumper - 40 mm + delta_cab,   g_e = C_av

delta_cab is the cab-front intrusion tolerated, ``crash:front:dash_intrusion_limit``,
whose default for the truck style is 127 mm (``catalogue.crash.CAB_FRONT_INTRUSION_MM``): the
rearward displacement of the steering control FMVSS 204 allows in a 48 km/h rigid
barrier test (49 CFR 571.204 S4.1: 5 in; applies to trucks of GVWR <= 4,536 kg, not to
walk-in vans; UN R12 para. 5.1 and Japan's safety regulation art. 11-2 carry the same
127 mm), taken as the panel's intrusion because the column is mounted on it [assumed].
It is less than the 200 mm toe board (panel to heel point, ``geometry.profiles.TOE_BOARD``)
so the feet keep 73 mm. The under-seat (or rear) propulsion unit lies behind the front
axle, far beyond C_av (the reference trucks: 1,050 mm from the bumper face), so the
pulse model's stack meets nothing until the cab front has intruded by delta_cab
(g_e = C_av: beyond it the stack contact stiffens the cab floor), and the criterion
``fmvss208.crush_space`` reads "cab-front intrusion <= delta_cab". Past the rails'
stroke the pulse model's compaction (the cab floor against the seat riser and the
powertrain under it) takes over, as for a car. Mass: the rails and crash boxes ahead
of the panel only (the frame under the cab is ``mass:frame``). Not modelled: the cab
front panel's and A-pillars' own crush force (no published section; leaving it out
makes the force a lower bound), offset loading. ``crash:front:engine_clearance`` and
``powertrain:block_length`` are not used.

Outputs: zone forces and strokes (fed to the pulse model), C_av, the energy the
structure's force-crush curve absorbs within C_av, the quasi-static crush needed to
absorb the test energy E = m V^2/2 with this curve alone, and the mass of the bumper
beam (box 100 mm x d_bumper/2 over 0.85 of the body width), crash boxes and rails
(ahead of the dash).

Test mass per 49 CFR 571.208 S8.1.1: unloaded vehicle (curb) + rated cargo and luggage
(payload - 68 kg per seat, >= 0) + two Hybrid III 50th-male dummies, 78 kg each
(49 CFR 572 subpart E) [R].

Batched (``n_cases > 1``, :mod:`keidesign.batch`): every input and output has shape
``(n,)`` and no partials are declared; the two piecewise sums (energy within C_av, crush
for the test energy) take their zone decisions per case with masks
(:func:`_energy_within`, :func:`crush_for_energy`: the one implementation, for one
design and for many; the rear impact of :mod:`.rear` uses the second too).

Assumptions: bumper-zone force ratio 0.5, bumper stroke efficiency 0.70, pack 40 mm
[assumed, small-car typical]; the rails' fold limit (0.73 of their length) is longer
than the stack-up in every front-engined design seen so far and is left to the pulse
model (compaction stiffening); an engine-less front can end before its gap (the
imported i-MiEV: 617 mm of zones, a 699 mm gap) and then crushes into that compaction
(docs/crash.md, "The front's force-crush shape"). Validity as for the superfolding force.
"""

from __future__ import annotations

import numpy as np

from geometry import ad
from keidesign.catalogue.mass import SEAT_MASS_KG
from keidesign.closed_form import DualClosedForm
from keidesign.crash.members import STROKE_EFFICIENCY, crush_force
from keidesign.materials import MATERIALS, material

DUMMY_MASS_KG = 78.0  # Hybrid III 50th male
BUMPER_FORCE_RATIO = 0.5
BUMPER_STROKE_EFF = 0.70
PACK_MM = 40.0
BEAM_HEIGHT_M = 0.10
BEAM_LENGTH_FRACTION = 0.85
TEST_SPEED_KMH = 56.0
#: NREL FASTSim component-mass defaults (FASTSim 2 vehicle model): motor + power
#: electronics 1.4 (21.6 + 0.833 P) kg, P in kW
COMP_MASS_MULTIPLIER = 1.4
MC_BASE_KG = 21.6
MC_KG_PER_KW = 0.833


class CrashTestMassComp(DualClosedForm):
    """FMVSS 208 test mass: curb + rated cargo + two 50th-male dummies (kg)."""

    INPUTS = ("mass:curb", "mass:payload")
    OUTPUTS = ("crash:front:test_mass",)
    DEPENDS = {"crash:front:test_mass": INPUTS}  # no cargo hides the payload

    def initialize(self) -> None:
        super().initialize()
        self.options.declare("seats", default=4, types=int, desc="seating positions")
        self.options.declare("n_dummies", default=2, types=int, desc="front dummies")

    def _values(self, g):
        cargo = g["mass:payload"] - SEAT_MASS_KG * self.options["seats"]
        return {"crash:front:test_mass": (g["mass:curb"]
                                          + ad.where(ad.real(cargo) > 0.0, cargo, 0.0 * cargo)
                                          + DUMMY_MASS_KG * self.options["n_dummies"])}


class FrontStackMassComp(DualClosedForm):
    """Mass of the non-crushing front powertrain stack (kg).

    ICE: the whole powertrain (engine + transmission, ``mass:powertrain``). BEV: the
    motor and power electronics only, 1.4 (21.6 + 0.833 P) kg (the NREL FASTSim terms
    of :data:`MC_BASE_KG`, :data:`MC_KG_PER_KW`); the battery sits under the floor.
    """

    def initialize(self) -> None:
        super().initialize()
        self.options.declare("powertrain_type", default="ice", values=("ice", "bev"))

    def setup(self) -> None:
        self._src = ("mass:powertrain" if self.options["powertrain_type"] == "ice"
                     else "powertrain:bev:motor_power")
        self._add_variables([self._src], ["crash:front:stack_mass"])

    def _values(self, g):
        x = g[self._src]
        return {"crash:front:stack_mass": (
            1.0 * x if self._src == "mass:powertrain"
            else COMP_MASS_MULTIPLIER * (MC_BASE_KG + MC_KG_PER_KW * x))}


_SEC = ("crash:front:rail_width", "crash:front:rail_height", "crash:front:wall_thickness")
_BOX = ("crash:front:crash_box_width", "crash:front:crash_box_height",
        "crash:front:crash_box_thickness")
_INPUTS = (_SEC + _BOX + (
    "crash:front:crash_box_length", "crash:front:bumper_depth",
    "crash:front:bumper_beam_thickness", "crash:front:secondary_force",
    "crash:front:crush_length", "crash:front:engine_clearance",
    "crash:front:dash_intrusion_limit", "powertrain:block_length", "crash:front:test_mass",
    "body:width"))
_OUTPUTS = ("crash:front:bumper_force", "crash:front:crash_box_force",
            "crash:front:rail_force", "crash:front:bumper_stroke",
            "crash:front:crash_box_stroke", "crash:front:rail_stroke",
            "crash:front:engine_gap", "crash:front:crush_available",
            "crash:front:energy_capacity", "crash:front:crush_needed_static",
            "crash:front:energy_required", "crash:front:structure_mass")


#: inputs the two piecewise outputs never depend on; every other input may (the zone
#: reached decides), so they are declared against all the others
_NEVER = ("body:width", "crash:front:bumper_beam_thickness")


class FrontStructureComp(DualClosedForm):
    """Force-crush characteristic, crush available, energy capacity and mass."""

    INPUTS = _INPUTS
    OUTPUTS = _OUTPUTS
    DEPENDS = {
        "crash:front:energy_capacity": tuple(
            k for k in _INPUTS if k not in _NEVER + ("crash:front:engine_clearance",
                                                     "crash:front:test_mass")),
        "crash:front:crush_needed_static": tuple(
            k for k in _INPUTS if k not in _NEVER + (
                "crash:front:crush_length", "crash:front:dash_intrusion_limit",
                "crash:front:engine_clearance", "powertrain:block_length"))}

    def initialize(self) -> None:
        super().initialize()
        self.options.declare("material", default="hsla_340", values=tuple(MATERIALS),
                             desc="material of rails, crash boxes and bumper beam")
        self.options.declare("n_rails", default=2, types=int, desc="rails (and crash boxes)")
        self.options.declare("test_speed_kmh", default=TEST_SPEED_KMH, types=float,
                             desc="rigid-barrier test speed (49 CFR 571.208 S5.1), km/h")
        self.options.declare("cab_over", default=False, types=bool,
                             desc="cab-over front (truck style): frame rails continue under "
                                  "the cab, crushing through the tolerated cab-front "
                                  "intrusion; no powertrain ahead of the cab")
        self.options.declare("layout", default="front",
                             values=("front", "rear", "mid", "underfloor"),
                             desc="engine position: only 'front' puts the powertrain block "
                                  "in the front crush zone")

    def setup(self) -> None:
        if self.options["cab_over"]:
            # the rails' stroke runs through the tolerated intrusion and the crash boxes
            # are clipped to the horns: the static crush depends on both
            self.DEPENDS = {**type(self).DEPENDS, "crash:front:crush_needed_static": tuple(
                k for k in _INPUTS if k not in _NEVER + ("crash:front:engine_clearance",
                                                         "powertrain:block_length"))}
        super().setup()

    def _values(self, g):
        """All outputs (registered units) from the inputs (scalars, arrays of cases or
        dual numbers)."""
        mat = material(self.options["material"])
        n = self.options["n_rails"]
        v = self.options["test_speed_kmh"] / 3.6
        sig = mat.flow_stress_mpa * 1e6
        mm = 1e-3
        rail = crush_force(sig, mat.cs_d, mat.cs_q, g[_SEC[0]] * mm, g[_SEC[1]] * mm,
                           g[_SEC[2]] * mm, 0.5 * v)
        box = crush_force(sig, mat.cs_d, mat.cs_q, g[_BOX[0]] * mm, g[_BOX[1]] * mm,
                          g[_BOX[2]] * mm, 0.5 * v)
        f2 = n * box
        f1 = BUMPER_FORCE_RATIO * f2
        f3 = n * rail + 1e3 * g["crash:front:secondary_force"]
        d_b = g["crash:front:bumper_depth"] * mm
        l_cb = g["crash:front:crash_box_length"] * mm
        length = g["crash:front:crush_length"] * mm
        resid = (1.0 - BUMPER_STROKE_EFF) * d_b + PACK_MM * mm
        tol = g["crash:front:dash_intrusion_limit"] * mm
        s1 = BUMPER_STROKE_EFF * d_b
        if self.options["cab_over"]:
            # crash boxes (if any) within the frame horns ahead of the cab front panel;
            # the rails crush on under the cab by the tolerated cab-front intrusion
            horn = length - d_b
            l_cb = ad.where(ad.real(l_cb) < ad.real(horn), l_cb, horn)
            s2 = STROKE_EFFICIENCY * l_cb
            s3 = STROKE_EFFICIENCY * (horn - l_cb) + tol
            c_av = length - resid + tol
            gap = 1.0 * c_av
        else:
            s2 = STROKE_EFFICIENCY * l_cb
            s3 = STROKE_EFFICIENCY * (length - d_b - l_cb)
            clr = g["crash:front:engine_clearance"] * mm
            # rear, mid or under-floor engine: no block ahead of the dash (L_block = 0)
            blk = 1.0 if self.options["layout"] == "front" else 0.0
            gap = length - blk * g["powertrain:block_length"] * mm - clr - resid
            c_av = gap + clr + tol
        energy = 0.5 * g["crash:front:test_mass"] * v**2
        forces, strokes = (f1, f2, f3), (s1, s2, s3)
        # mass: beam + crash boxes + rails ahead of the dash
        rho = mat.density
        per_bb = 2.0 * (BEAM_HEIGHT_M + 0.5 * d_b)
        len_bb = BEAM_LENGTH_FRACTION * g["body:width"] * mm
        m_bb = rho * g["crash:front:bumper_beam_thickness"] * mm * per_bb * len_bb
        bb, hb, tb = (g[k] * mm for k in _BOX)
        m_cb = n * rho * 2.0 * (bb + hb) * tb * l_cb
        br, hr, tr = (g[k] * mm for k in _SEC)
        m_r = n * rho * 2.0 * (br + hr) * tr * (length - d_b - l_cb)
        return {"crash:front:bumper_force": f1 * 1e-3,
                "crash:front:crash_box_force": f2 * 1e-3,
                "crash:front:rail_force": f3 * 1e-3,
                "crash:front:bumper_stroke": s1 * 1e3,
                "crash:front:crash_box_stroke": s2 * 1e3,
                "crash:front:rail_stroke": s3 * 1e3,
                "crash:front:engine_gap": gap * 1e3,
                "crash:front:crush_available": c_av * 1e3,
                "crash:front:energy_capacity": _energy_within(forces, strokes, c_av) * 1e-3,
                "crash:front:crush_needed_static":
                    crush_for_energy(forces, strokes, energy) * 1e3,
                "crash:front:energy_required": energy * 1e-3,
                "crash:front:structure_mass": m_bb + m_cb + m_r}


def _energy_within(forces, strokes, c):
    """``E = sum_i F_i clip(c - start_i, 0, s_i)``: the energy the staircase absorbs
    within crush ``c`` (a zone past the one where ``c`` ends adds 0; cases by masks)."""
    energy = 0.0 * c
    start = 0.0
    active = np.ones(np.shape(ad.real(c)), dtype=bool)
    for f, s in zip(forces, strokes, strict=True):
        over = c - start
        active = active & (ad.real(over) > 0.0)
        full = ad.real(over) >= ad.real(s)
        energy = energy + ad.where(active, f * ad.where(full, s, over), 0.0 * energy)
        active = active & full
        start = start + s
    return energy


def crush_for_energy(forces, strokes, energy):
    """Crush ``c`` with ``integral_0^c F = energy`` on the staircase ``forces`` over
    ``strokes`` (zone ``i`` from ``sum(strokes[:i])``; the last zone is extrapolated at
    its force, its stroke, if given, is not used): in any consistent units (N, m, J; kN,
    mm, J); numbers, arrays (complex too) or dual numbers, zones chosen per case by
    masks on real parts."""
    c = 0.0 * energy
    done = np.zeros(np.shape(ad.real(energy)), dtype=bool)
    acc, start = 0.0, 0.0
    last = len(forces) - 1
    for i, f in enumerate(forces):
        here = ~done if i == last else ~done & (ad.real(acc + f * strokes[i])
                                                >= ad.real(energy))
        c = ad.where(here, start + (energy - acc) / f, c)
        done = done | here
        if i < last:
            acc = acc + f * strokes[i]
            start = start + strokes[i]
    return c


#: Campbell's crush-energy offset x0 = A / B = b0 / b1 (m) the rising front of
#: :func:`campbell_line` takes: the no-residual-crush speed b0 = 8 km/h (5 mph, the
#: frontal value of CRASH3 practice [R, McHenry, "The Algorithms of CRASH"]) with
#: b1 = (V - b0) / C at the median maximum dynamic crush of the 15 US NCAP tests of
#: ``data/crash/ncap_frontal_pulses.csv`` (C = 605 mm at V = 56 km/h): 0.10 m (0.07-0.14
#: over those tests). Not fitted; docs/crash.md, "The front's force-crush shape".
CAMPBELL_X0_M = 0.10


def campbell_span(strokes, gap):
    """The length ``L`` (m, or any unit of ``strokes``) over which :func:`campbell_line`
    spreads the zones' energy: the gap ahead of the stack where the zones reach it, else
    the zones' own stroke ``s_1 + s_2 + s_3``::

        L = min(g, s_1 + s_2 + s_3)

    Past the rails' fold limit the zones absorb nothing (the pulse model's compaction
    takes over), so a line spread over a gap longer than the zones would dilute their
    energy over crush no zone provides. This is the front of a rear-, mid- or
    under-floor-engined car (no block ahead of the dash: the i-MiEV's 699 mm gap
    against 617 mm of zones) and the rear structure of :mod:`.rear` (no stack: ``gap``
    None). For every front-engined front of the barrier tests the zones run past the
    gap (L = g: docs/crash.md, "The front's force-crush shape"). Masks on real parts."""
    zones = strokes[0] + strokes[1] + strokes[2]
    if gap is None:
        return zones
    return ad.where(ad.real(gap) < ad.real(zones), gap, zones)


def campbell_line(forces, strokes, gap, x0: float = CAMPBELL_X0_M):
    """Campbell's linear force-crush law with the staircase's energy, ``(F_A, k)`` (N,
    N/m): the force ``F(x) = F_A + k x`` that absorbs within the length ``gap`` (m; the
    callers pass :func:`campbell_span`: the gap ahead of the stack, or the zones' stroke
    where that is shorter) the energy the staircase ``forces`` (N) over ``strokes`` (m)
    absorbs there (:func:`_energy_within`), with the offset ``x0 = F_A / k`` (m)::

        F_m = E(g) / g,   F(x) = F_m (x0 + x) / (x0 + g / 2)
        F_A = F_m x0 / (x0 + g / 2),   k = F_m / (x0 + g / 2)

    Campbell (SAE 740565) found the residual crush of barrier tests linear in the impact
    speed, V = b0 + b1 C, which is a force per unit width A + B C rising linearly with
    crush (A = m b0 b1 / w, B = m b1^2 / w; the CRASH3 stiffness coefficients,
    Siddall & Day SAE 960897 by vehicle class), so A / B = b0 / b1 = x0. Here the
    zones' superfolding forces give the energy and Campbell's law its distribution over
    the crush: a softer start and a stiffer end than the staircase, with the same work
    done before the stack meets the barrier. Validity: full-width rigid barrier, a front
    whose gap is > 0; the law is for the compartment's maximum dynamic crush here, not
    the residual crush Campbell used (the offset x0 is taken from the same line).
    Numbers, arrays or complex."""
    f_m = _energy_within(forces, strokes, gap) / gap
    k = f_m / (x0 + 0.5 * gap)
    return x0 * k, k
