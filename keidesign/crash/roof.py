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
credited at half its capacity because the plate sits over the front roof [assumed].
Strain-rate effects are absent (quasi-static test). The mechanism forms within a few
tens of mm, inside the 127 mm travel. Validity: compact closed pillar sections, roof
rails strong enough to carry the load to the pillars. Batched (``n_cases > 1``): the
same closed forms on arrays of cases.
"""

from __future__ import annotations

import numpy as np
import openmdao.api as om

from keidesign import batch
from keidesign.closed_form import SectionedClosedForm
from keidesign.crash.members import box_plastic_moment
from keidesign.crash.side import PILLAR_HEIGHT_FRACTION
from keidesign.materials import MATERIALS, material
from keidesign.variables import add_input, add_output

G0 = 9.80665  # m/s^2
STRENGTH_TO_WEIGHT = 3.0
ROLL_DEG = 25.0
B_PILLAR_SHARE = 0.5


class RoofRequirementComp(om.ExplicitComponent):
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


class RoofStrengthComp(SectionedClosedForm):
    """Roof strength of one side from the A- and B-pillar sections (kN)."""

    INPUTS = _IN
    OUTPUTS = _OUT

    def initialize(self) -> None:
        super().initialize()
        self.options.declare("a_material", default="hot_stamped_1500", values=tuple(MATERIALS))
        self.options.declare("b_material", default="dp_980", values=tuple(MATERIALS))

    def _model(self, g):
        ma, mb = material(self.options["a_material"]), material(self.options["b_material"])
        mm = 1e-3
        wa, da, ta = (g[k] * mm for k in _IN[:3])
        wb, db, tb = (g[k] * mm for k in _IN[3:6])
        h, hc = g["body:height"] * mm, g["body:hood_height"] * mm
        rake = g["body:windshield_rake"] * np.pi / 180.0
        mpa = box_plastic_moment(ma.flow_stress_mpa * 1e6, wa, da, ta)
        mpb = box_plastic_moment(mb.flow_stress_mpa * 1e6, wb, db, tb)
        cos_r, sin_r = np.cos(rake), np.sin(rake)
        l_a = (h - hc) / cos_r
        arm_a = l_a * sin_r  # = (h - hc) tan(rake)
        sin_roll = np.sin(np.radians(ROLL_DEG))
        l_b = PILLAR_HEIGHT_FRACTION * h
        f_a = 2.0 * mpa.value / arm_a
        f_b = B_PILLAR_SHARE * 2.0 * mpb.value / (l_b * sin_roll)
        f = f_a + f_b
        darm = {"body:height": np.tan(rake) * mm, "body:hood_height": -np.tan(rake) * mm,
                "body:windshield_rake": (h - hc) / cos_r**2 * np.pi / 180.0}
        d_f = {_IN[0]: 2.0 * mpa.d["w"] / arm_a * mm, _IN[1]: 2.0 * mpa.d["d"] / arm_a * mm,
               _IN[2]: 2.0 * mpa.d["t"] / arm_a * mm,
               _IN[3]: B_PILLAR_SHARE * 2.0 * mpb.d["w"] / (l_b * sin_roll) * mm,
               _IN[4]: B_PILLAR_SHARE * 2.0 * mpb.d["d"] / (l_b * sin_roll) * mm,
               _IN[5]: B_PILLAR_SHARE * 2.0 * mpb.d["t"] / (l_b * sin_roll) * mm}
        for k, v in darm.items():
            d_f[k] = d_f.get(k, 0.0) - f_a / arm_a * v
        d_f["body:height"] = d_f["body:height"] - f_b / h * mm
        weight = g["mass:curb"] * G0
        swr = f / weight
        d_swr = {k: v / weight for k, v in d_f.items()}
        d_swr["mass:curb"] = -f / weight / g["mass:curb"]
        rho = ma.density
        m_a = 2.0 * rho * 2.0 * (wa + da) * ta * l_a
        d_m = {_IN[0]: 4.0 * rho * ta * l_a * mm, _IN[1]: 4.0 * rho * ta * l_a * mm,
               _IN[2]: 4.0 * rho * (wa + da) * l_a * mm,
               "body:height": 4.0 * rho * (wa + da) * ta / cos_r * mm,
               "body:hood_height": -4.0 * rho * (wa + da) * ta / cos_r * mm,
               "body:windshield_rake": 4.0 * rho * (wa + da) * ta * l_a * np.tan(rake)
               * np.pi / 180.0}
        return {"crash:roof:strength": (f * 1e-3, d_f, 1e-3),
                "crash:roof:strength_to_weight": (swr, d_swr, 1.0),
                "crash:roof:structure_mass": (m_a, d_m, 1.0)}
