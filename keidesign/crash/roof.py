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
    F_roof = 2 M_p,A / (L_A sin rake) + 0.5 * 2 M_p,B / (L_B sin 25 deg)

with the B-pillar (L_B = 0.6 H, loaded through the roof rail at the plate's 25 deg roll)
credited at half its capacity because the plate sits over the front roof [assumed]
(``B_PILLAR_SHARE``: no published split of the plate's peak load between the A- and
B-pillars was found in a search of NHTSA's 216 / 216a rulemaking, SAE / IMECE roof-crush
papers, NCAC's FE-model reports and IIHS's releases, task s24f, 5 Dec 2026; the one
figure found is the bonded windshield's share, more than 30 % of a 216 roof's static
strength (Friedman & Nash, ESV 2001, 01-S12-W-94) [R], a load path this model lacks;
``benchmarks/roof_floor_trial.py``). The grades are the design's
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
from keidesign.crash.side import PILLAR_HEIGHT_FRACTION
from keidesign.materials import MATERIALS, material
from keidesign.variables import add_input, add_output

G0 = 9.80665  # m/s^2
STRENGTH_TO_WEIGHT = 3.0
ROLL_DEG = 25.0
B_PILLAR_SHARE = 0.5


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
       "body:height", "body:hood_height", "body:windshield_rake", "mass:curb")
_OUT = ("crash:roof:strength", "crash:roof:strength_to_weight", "crash:roof:structure_mass")


class RoofStrengthComp(DualClosedForm):
    """Roof strength of one side from the A- and B-pillar sections (kN)."""

    INPUTS = _IN
    OUTPUTS = _OUT

    def initialize(self) -> None:
        super().initialize()
        self.options.declare("a_material", default="hot_stamped_1500", values=tuple(MATERIALS))
        self.options.declare("b_material", default="dp_980", values=tuple(MATERIALS))

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
        f = 2.0 * mpa / arm_a + B_PILLAR_SHARE * 2.0 * mpb / (l_b * np.sin(np.radians(ROLL_DEG)))
        m_a = 2.0 * ma.density * 2.0 * (wa + da) * ta * l_a  # both A-pillars
        return {"crash:roof:strength": f * 1e-3,
                "crash:roof:strength_to_weight": f / (g["mass:curb"] * G0),
                "crash:roof:structure_mass": m_a}
