"""FMVSS 216a roof crush: requirement and the roof structure's capacity.

Requirement (49 CFR 571.216a S5.1 [R]): for GVWR <= 2,722 kg each side of the roof must
withstand 3.0 x the unloaded vehicle weight (3.0 m g, curb mass) before the plate
(762 x 1829 mm, pitched 5 deg, rolled 25 deg) moves 127 mm.

Capacity: a plastic-hinge sway mechanism of the pillars under the plate. A pillar of
length L inclined at theta to the plate's load direction, built in at both ends, fails
by two plastic hinges: F = 2 M_p / (L sin theta) (upper-bound mechanism of a frame,
N. Jones, *Structural Impact*, 1989, ch. 1; the roof-strength use follows the
single-pillar estimates in the roof-crush literature). The A-pillar runs from the cowl
(hood height) to the roof at the windshield rake::

    L_A = (H - h_cowl) / cos(rake),  theta_A = rake
    F_roof = 2 M_p,A / (L_A sin rake) + eta_B 2 M_p,B / (L_B sin 25 deg)
           = 2 M_p,A / (L_A sin rake) + (M_s + M_r) / (L_B sin 25 deg)        [N]

with the B-pillar (L_B = 0.6 H [A], loaded through the roof rail at the plate's 25 deg
roll) credited at its joint share (shipped 6 Dec 2026, issue 14, task s33h, with the
import's design era, ``specs.build.ROOF_STRENGTH_TO_WEIGHT_PRE``)::

    eta_B = (M_s + M_r) / (2 M_p,B)                  [-], 0 pinned .. 1 built in
    M_s = min(M_p,B, 2 T_p,sill),  M_r = min(M_p,B, 2 T_p,roof rail)      [N m]

the side structure's joint law (the B-pillar's end moment twists the sill at its foot
and the roof rail at its head, each at most twice that member's plastic torque, carried
both ways along it: ``side.pillar_end_moments``, the one implementation, here quasi-
static, no Cowper-Symonds factor; torque of a thin closed box T_p = 2 tau_0 A_m t,
``members.box_torsion_moment``). The sections are the design's own (``crash:side:
b_pillar_*``, ``sill_*``, ``roof_rail_*``), the grades ``crash:side:material``,
``sill_material``, ``roof_rail_material``: 0.320 on the registry's sections. Nothing is
fitted. Source: the side model's joint law (docs/crash.md, "One joint law for the side
structure"; plastic hinge and torsion collapse, N. Jones, *Structural Impact*, 1989) [V];
judged in ``benchmarks/roof_joint_trial.py`` (task s32b, alone: 8 -> 8 of 11 within
+/-20 % of IIHS) and with the era in ``benchmarks/roof_era_ratio_trial.py --joint``
(task s33g: held out 8 -> 11 of 11, MAE 22.2 -> 9.9 %, bias +18.4 -> +0.5 %; shipped
on the owner's decision, docs/crash.md, "The roof's design era with the B-pillar joint
law"). Until then the B-pillar was credited at a constant half (``B_PILLAR_SHARE`` =
0.5 [A]), not the platen's geometry: by FMVSS 216a's plate (pitched 5 deg, 127 mm of
travel) the plate touches the B-pillar's top after 5-15 mm of travel on the model's side
view and the pillar reaches its collapse load within about 6 mm more
(:func:`platen_pillar_shares`: share 1.0 on every compared car; task s31b,
``benchmarks/roof_platen_trial.py``, not shipped), so what the share stands for is the
roof rail's and the joints' compliance, which the joint law bounds. No published split
of the plate's peak load between the A- and B-pillars was found (NHTSA's 216 / 216a
rulemaking, SAE / IMECE roof-crush papers, NCAC's FE-model reports, IIHS's releases:
tasks s24f and s32b; ``data/crash/README.md``); the one figure found is the bonded
windshield's share, more than 30 % of a 216 roof's static strength (Friedman & Nash, ESV
2001, 01-S12-W-94) [R], a load path this model lacks. ``B_PILLAR_SHARE`` (None: the
joint law) is kept as the trials' override.
The grades are the design's
(``crash:roof:material``, ``crash:side:material``, the B-pillar the side model's). The
pre-FMVSS 216a era's DP590-class pillars for generations first sold in 2009 or earlier
(``specs.build.ERA_PILLAR_GRADES``; 590 MPa the highest grade of the era's small-car
bodies [R]) would lower the roof's floor on the light 2009 cars from 45-49 kN (B-pillar
term, DP980) to about 25-28 kN; tried and not shipped (task s24f): the same side
structure then overshoots the Fit GE's measured IIHS side-test crush by 39 %.
Strain-rate effects are absent (quasi-static test). The mechanism forms within a few
tens of mm, inside the 127 mm travel. Validity: compact closed pillar sections, roof
rails strong enough to carry the load to the pillars. Batched (``n_cases > 1``): the
same closed forms on arrays of cases.
"""

from __future__ import annotations

import numpy as np
from openmdao.core.explicitcomponent import ExplicitComponent

from geometry import ad
from keidesign import batch
from keidesign.closed_form import DualClosedForm
from keidesign.crash.members import box_plastic_moment
from keidesign.crash.side import PILLAR_HEIGHT_FRACTION, pillar_end_moments
from keidesign.materials import MATERIALS, material
from keidesign.variables import add_input, add_output

G0 = 9.80665  # m/s^2
STRENGTH_TO_WEIGHT = 3.0
ROLL_DEG = 25.0
#: the B-pillar's share of its collapse load: None, the joint law (:func:`b_pillar_joint_
#: share`, shipped); a number overrides it (the trials' ``b_share``; 0.5 until task s33h)
B_PILLAR_SHARE: float | None = None


class RoofRequirementComp(ExplicitComponent):
    """Required roof strength, F = 3.0 m_curb g (kN)."""

    def initialize(self) -> None:
        batch.declare_option(self.options)

    def setup(self) -> None:
        shape = batch.shape(self)
        add_input(self, "mass:curb", shape=shape)
        add_output(self, "crash:roof:required_force", shape=shape)
        if batch.batched(self):
            return
        self.declare_partials("crash:roof:required_force", "mass:curb",
                              val=STRENGTH_TO_WEIGHT * G0 * 1e-3)

    def compute(self, inputs, outputs) -> None:
        outputs["crash:roof:required_force"] = STRENGTH_TO_WEIGHT * G0 * inputs["mass:curb"] * 1e-3


_IN = ("crash:roof:a_pillar_width", "crash:roof:a_pillar_depth", "crash:roof:a_pillar_thickness",
       "crash:side:b_pillar_width", "crash:side:b_pillar_depth", "crash:side:b_pillar_thickness",
       "body:height", "body:hood_height", "body:windshield_rake", "mass:curb",
       "crash:side:sill_height", "crash:side:sill_depth", "crash:side:sill_thickness",
       "crash:side:roof_rail_height", "crash:side:roof_rail_depth",
       "crash:side:roof_rail_thickness")
#: the joint law's section keys (B-pillar, sill, roof rail; mm)
JOINT_KEYS = _IN[3:6] + _IN[10:]


def b_pillar_joint_share(g, b_material: str = "dp_980", sill_material: str = "mild_steel",
                         roof_rail_material: str = "mild_steel"):
    """(eta_B, M_p,B, M_s, M_r) of the B-pillar's ends at the roof (-, N m; module
    docstring): ``g`` maps :data:`JOINT_KEYS` to mm (floats, arrays or dual numbers), the
    grades by name. Quasi-static ``side.pillar_end_moments``:
    eta_B = (M_s + M_r) / (2 M_p,B), in (0, 1]."""
    m_p, m_s, m_r = pillar_end_moments(g, material(b_material), material(sill_material),
                                       material(roof_rail_material), None)
    return (m_s + m_r) / (2.0 * m_p), m_p, m_s, m_r
_OUT = ("crash:roof:strength", "crash:roof:strength_to_weight", "crash:roof:structure_mass")


class RoofStrengthComp(DualClosedForm):
    """Roof strength of one side from the A- and B-pillar sections (kN)."""

    INPUTS = _IN
    OUTPUTS = _OUT
    #: the joint law's min(M_p, 2 T_p) can hide the B-pillar's or a member's section from
    #: the sparsity probe
    DEPENDS = {"crash:roof:strength": _IN[:9] + _IN[10:],
               "crash:roof:strength_to_weight": _IN}

    def initialize(self) -> None:
        super().initialize()
        self.options.declare("a_material", default="hot_stamped_1500", values=tuple(MATERIALS))
        self.options.declare("b_material", default="dp_980", values=tuple(MATERIALS))
        self.options.declare("sill_material", default="mild_steel", values=tuple(MATERIALS))
        self.options.declare("roof_rail_material", default="mild_steel",
                             values=tuple(MATERIALS))

    def values(self, g: dict) -> dict:
        """The closed form on one design's inputs, without a problem: ``g`` maps every
        name of :data:`INPUTS` to its value in the registered units (mm, deg, kg; floats
        or numpy scalars), the result maps each of :data:`OUTPUTS` to its value (kN, -,
        kg) for this component's ``a_material`` / ``b_material``: the function
        :meth:`compute` runs, so bit for bit its outputs. A missing input is a
        :class:`KeyError` naming every one missing."""
        missing = [k for k in self.INPUTS if k not in g]
        if missing:
            raise KeyError(f"RoofStrengthComp.values: missing inputs {missing}")
        return self._values(g)

    def _values(self, g):
        ma, mb = material(self.options["a_material"]), material(self.options["b_material"])
        mm = 1e-3
        wa, da, ta = (g[k] * mm for k in _IN[:3])
        wb, db, tb = (g[k] * mm for k in _IN[3:6])
        h, hc = g["body:height"] * mm, g["body:hood_height"] * mm
        rake = g["body:windshield_rake"] * (np.pi / 180.0)
        mpa = box_plastic_moment(ma.flow_stress_mpa * 1e6, wa, da, ta)
        mpb = box_plastic_moment(mb.flow_stress_mpa * 1e6, wb, db, tb)
        l_a = (h - hc) / ad.cos(rake)
        arm_a = (h - hc) * ad.tan(rake)  # = L_A sin(rake)
        l_b = PILLAR_HEIGHT_FRACTION * h
        if B_PILLAR_SHARE is None:
            share = b_pillar_joint_share(g, self.options["b_material"],
                                         self.options["sill_material"],
                                         self.options["roof_rail_material"])[0]
        else:
            share = B_PILLAR_SHARE
        f = 2.0 * mpa / arm_a + share * 2.0 * mpb / (l_b * np.sin(np.radians(ROLL_DEG)))
        m_a = 2.0 * ma.density * 2.0 * (wa + da) * ta * l_a  # both A-pillars
        return {"crash:roof:strength": f * 1e-3,
                "crash:roof:strength_to_weight": f / (g["mass:curb"] * G0),
                "crash:roof:structure_mass": m_a}


# --- Which pillars FMVSS 216a's platen loads (issue 14, task s31b, 6 Dec 2026; trial
# ``benchmarks/roof_platen_trial.py``, NOT shipped: the roof above takes the joint law) ---

#: FMVSS 216a S7 platen [R: 49 CFR 571.216a S7, the figures as task s31b quotes them (the
#: eCFR text is not in the store); the plate's placement ahead of the roof's forward-most
#: point the one NHTSA's 1999 revision of 216's procedure brought in for rounded roofs, 64
#: FR 22567, 27 Apr 1999, govinfo.gov]: 762 x 1829 mm, 254 mm ahead, longitudinal
#: axis pitched 5 deg (front down), lateral axis rolled 25 deg, pushed along its own normal;
#: the peak force within 127 mm of travel is judged. IIHS's roof test is the same geometry.
PLATEN_PITCH_DEG = 5.0
PLATEN_TRAVEL_MM = 127.0
#: heel point behind the dash panel (the registry's ``body:hpoint_to_heel`` definition) [A]
HEEL_BEHIND_DASH_MM = 200.0
#: B-pillar axis behind the front seating reference point (SgRP, the model's front
#: H-point) [A]: 162 mm, the rear boundary of FMVSS 216's "roof over the front seat area"
#: (49 CFR 571.216 S4 [R]: forward of a transverse plane 162 mm rearward of the SgRP of the
#: rearmost front outboard seat), which the roof's front pillars (A and B) bound
B_PILLAR_BEHIND_SGRP_MM = 162.0


def box_second_moment(w, d, t):
    """I (m^4) of a thin box, flange width ``w``, bending depth ``d``, wall ``t`` (m):
    two flanges w t (d/2)^2 and two webs t d^3 / 12, I = t d^2 (3 w + d) / 6 (thin-wall,
    t << w, d)."""
    return t * d * d * (3.0 * w + d) / 6.0


def platen_gap(behind, drop, pitch_deg=PLATEN_PITCH_DEG, roll_deg=ROLL_DEG):
    """Platen travel (mm, along the plate's normal) before it touches a roof point
    ``behind`` mm behind and ``drop`` mm below its first contact (arrays broadcast).

    The plate's downward normal, pitched alpha front down and rolled beta outboard down,
    is n = -(sin alpha cos beta, sin beta, cos alpha cos beta) (x forward, y outboard,
    z up). A point on the same side rail (same y) at (-x, 0, -dz) from the first contact
    is reached after travel along n of

        g = cos beta (x sin alpha + dz cos alpha)                       [mm]

    (the brief's vertical gap x tan alpha + dz, times cos alpha cos beta). First contact is
    the roof's forward-most point, the header over the A-pillar, when the windshield is
    steeper than the plate (rake < 85 deg from vertical) and the roof does not rise
    rearward faster than tan 5 deg = 8.7 % (a rearward rise enters as a negative drop).
    Source: the geometry of 49 CFR 571.216a S7 (module constants) [R]; the formula V
    (rigid-plate kinematics)."""
    a, b = np.radians(pitch_deg), np.radians(roll_deg)
    return np.cos(b) * (np.asarray(behind) * np.sin(a) + np.asarray(drop) * np.cos(a))


def pillar_yield_travel(m_p, length, theta_deg, e_pa, second_moment):
    """Platen travel (mm) that brings a pillar, once touched, to its plastic collapse load.

    The pillar is a column built in at both ends (the model's sway mechanism, F_p =
    2 M_p / (L sin theta)); the plate's push along its normal has the sway component
    F sin theta, whose lateral stiffness is k = 12 E I / L^3, and the top moves u sin theta
    along the push, so the pillar's stiffness along the push is k / sin^2 theta and

        delta_y = F_p sin^2 theta / k = M_p L^2 sin theta / (6 E I)      [m -> mm]

    ``m_p`` N m, ``length`` m, ``theta_deg`` the pillar's inclination to the push, E Pa,
    I m^4. Elastic-perfectly plastic [A]: the joints' and the roof rail's compliance
    (which add travel) and the axial shortening are left out, so delta_y is a lower
    bound (Timoshenko & Gere, fixed-fixed sway stiffness 12 E I / L^3, V)."""
    th = np.radians(theta_deg)
    return 1e3 * m_p * length**2 * np.sin(th) / (6.0 * e_pa * second_moment)


def platen_engagement(gap, yield_travel, travel=PLATEN_TRAVEL_MM):
    """Share (0-1) of a pillar's collapse load the platen has developed at ``travel``
    (mm, FMVSS 216a's 127 mm): the pillar, touched after ``gap`` mm, loads elastically
    over ``yield_travel`` mm and then carries its plastic collapse load::

        eta = clip((travel - gap) / delta_y, 0, 1)

    Each pillar's force is non-decreasing in the plate's travel, so the peak within the
    travel is the sum of the shares at the travel's end: F_peak = sum_i eta_i F_p,i
    (rigid-plastic after yield, no post-peak softening [A]). Arrays broadcast."""
    return np.clip((travel - np.asarray(gap)) / np.asarray(yield_travel), 0.0, 1.0)


def platen_pillar_shares(g: dict, a_material: str = "hot_stamped_1500",
                         b_material: str = "dp_980") -> dict:
    """Shares of the A- and B-pillar collapse loads the FMVSS 216a platen develops within
    127 mm of travel, from a design's geometry and sections (``g``: the registered names,
    mm, deg; arrays broadcast), and the quantities behind them (mm).

    Side view of the model (flat roof at ``body:height`` from the header rearward; the
    hatch's roof drop is at the roof's rear end, behind the B-pillar): the header, the
    A-pillar's top, at x_A = cowl_setback + (H - h_cowl) tan(rake) behind the dash; the
    B-pillar's top at x_B = HEEL_BEHIND_DASH + hpoint_to_heel + B_PILLAR_BEHIND_SGRP [A];
    the B-pillar touched after g_B = platen_gap(max(x_B - x_A, 0), 0). The A-pillar is
    the first contact (g_A = 0). Each pillar's yield travel from
    :func:`pillar_yield_travel` with the roof model's inclination (A: the rake; B: the
    plate's 25 deg roll) and lengths (L_A = (H - h_c) / cos rake, L_B = 0.6 H)."""
    mm = 1e-3
    h, hc = np.asarray(g["body:height"]), np.asarray(g["body:hood_height"])
    rake = np.asarray(g["body:windshield_rake"])
    x_a = np.asarray(g["body:cowl_setback"]) + (h - hc) * np.tan(np.radians(rake))
    x_b = HEEL_BEHIND_DASH_MM + np.asarray(g["body:hpoint_to_heel"]) + B_PILLAR_BEHIND_SGRP_MM
    out = {"x_a_mm": x_a, "x_b_mm": x_b, "roof_length_mm": np.maximum(x_b - x_a, 0.0)}
    gaps = {"a": np.zeros_like(h, dtype=float),
            "b": platen_gap(out["roof_length_mm"], 0.0)}
    for p, mat, key, th, length in (
            ("a", a_material, "crash:roof:a_pillar", rake, (h - hc) / np.cos(np.radians(rake))),
            ("b", b_material, "crash:side:b_pillar", np.full_like(rake, ROLL_DEG, dtype=float),
             PILLAR_HEIGHT_FRACTION * h)):
        m = material(mat)
        w, d, t = (np.asarray(g[f"{key}_{k}"]) * mm for k in ("width", "depth", "thickness"))
        m_p = box_plastic_moment(m.flow_stress_mpa * 1e6, w, d, t)
        dy = pillar_yield_travel(m_p, length * mm, th, m.e_mpa * 1e6, box_second_moment(w, d, t))
        out[f"gap_{p}_mm"], out[f"yield_{p}_mm"] = gaps[p], dy
        out[f"share_{p}"] = platen_engagement(gaps[p], dy)
    return out
