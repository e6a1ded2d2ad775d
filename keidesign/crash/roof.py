"""FMVSS 216a roof-strength requirement (the demand side; capability: crash issue).

49 CFR 571.216a S5.1: for vehicles with GVWR <= 2,722 kg, each side of the roof must
withstand a force of 3.0 x the unloaded vehicle weight (in newtons: 3.0 x m g) before
the plate moves 127 mm. Unloaded vehicle weight (49 CFR 571.3) is the curb mass here.
"""

from __future__ import annotations

import openmdao.api as om

from keidesign.variables import add_input, add_output

G0 = 9.80665  # m/s^2
STRENGTH_TO_WEIGHT = 3.0


class RoofRequirementComp(om.ExplicitComponent):
    """Required roof strength, F = 3.0 m_curb g (kN)."""

    def setup(self) -> None:
        add_input(self, "mass:curb")
        add_output(self, "crash:roof:required_force")
        self.declare_partials("crash:roof:required_force", "mass:curb",
                              val=STRENGTH_TO_WEIGHT * G0 * 1e-3)

    def compute(self, inputs, outputs) -> None:
        outputs["crash:roof:required_force"] = STRENGTH_TO_WEIGHT * G0 * inputs["mass:curb"] * 1e-3
