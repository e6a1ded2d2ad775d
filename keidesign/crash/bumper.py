"""Part 581 bumper standard: the highest impact speed the bumper system takes without
damage to safety-related components.

Test conditions (49 CFR 581.6, read in the eCFR text [V]): the vehicle at unloaded
vehicle weight (the curb mass ``m``); in the pendulum tests the pendulum's effective
impacting mass equals the vehicle's mass and the vehicle is at rest, free to roll
(brakes off, neutral). Speeds (PHYSICS.md [R]; 49 CFR 581.5 not read): 4 km/h
(2.5 mph) longitudinal barrier and pendulum impacts, 2.4 km/h (1.5 mph) corner
pendulum impacts at 30 deg to the longitudinal plane.

Model: the impact energy must be taken by the bumper zone of the front structure
(:mod:`keidesign.crash.structure`: fascia, absorber and beam, mean force ``F_b`` over
its effective stroke ``s_b``) before the crash boxes crush and push the beam into the
cooling pack and the lamps (the safety-related components behind it) [assumed]::

    barrier     (1/2) m v^2           = F_b s_b      ->  v_b = sqrt(2 F_b s_b / m)
    corner      (1/2) (m/2) v^2       = phi F_b s_b  ->  v_c = sqrt(4 phi F_b s_b / m)

The corner impact is a perfectly plastic collision of two equal masses (581.6(b)(3)):
the energy lost is that of the reduced mass ``m/2``; the corner engages a share
``phi = 0.5`` of the bumper's force [assumed: one crash box of two]. The rear bumper
system is taken equal to the front one (the design describes one bumper system)
[assumed]. Validity: absorber-and-beam bumper systems of passenger cars; no
elastic rebound credited (conservative). Derivatives: complex step through this one
implementation (OpenMDAO ``method="cs"``).
"""

from __future__ import annotations

import numpy as np

from keidesign.closed_form import ComplexStepClosedForm

__all__ = ["CORNER_SHARE", "REAR_AS_FRONT_NOTE", "BumperComp", "no_damage_speeds"]

#: the caveat on a judged Part 581 rear-barrier record (keidesign.evaluation): the design
#: describes one bumper system (``crash.front``), so the rear verdict is the front's
REAR_AS_FRONT_NOTE = ("rear bumper taken equal to the front one (assumed: the design "
                      "describes one bumper system, crash.front's bumper zone): the rear "
                      "verdict is the front bumper's, not a rear bumper's own")

#: share of the bumper force a corner impact engages [assumed]
CORNER_SHARE = 0.5
INPUTS = ("crash:front:bumper_force", "crash:front:bumper_stroke", "mass:curb")
OUTPUTS = ("crash:bumper:front:no_damage_speed", "crash:bumper:rear:no_damage_speed",
           "crash:bumper:corner:no_damage_speed")


def no_damage_speeds(force_kn, stroke_mm, curb_kg) -> dict:
    """Barrier and corner no-damage speeds (km/h) of a bumper zone of mean force
    ``force_kn`` (kN) over ``stroke_mm`` (mm) on a car of ``curb_kg`` (kg)."""
    energy = force_kn * 1e3 * stroke_mm * 1e-3  # J
    barrier = np.sqrt(2.0 * energy / curb_kg) * 3.6
    corner = np.sqrt(4.0 * CORNER_SHARE * energy / curb_kg) * 3.6
    return {"barrier": barrier, "corner": corner}


class BumperComp(ComplexStepClosedForm):
    """Part 581 no-damage speeds (module docstring), batched with ``n_cases``."""

    INPUTS = INPUTS
    OUTPUTS = OUTPUTS

    def _values(self, inputs) -> dict:
        v = no_damage_speeds(inputs["crash:front:bumper_force"],
                             inputs["crash:front:bumper_stroke"], inputs["mass:curb"])
        return {"crash:bumper:front:no_damage_speed": v["barrier"],
                "crash:bumper:rear:no_damage_speed": v["barrier"],
                "crash:bumper:corner:no_damage_speed": v["corner"]}
