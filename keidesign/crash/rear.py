"""Rear impact, FMVSS 301 (and FMVSS 305 for a battery): crush of the rear structure.

Test (49 CFR 571.301 S6.2 as quoted in PHYSICS.md [R]; the same rear impact is the
electrolyte-spillage test of FMVSS 305 for an electric car [to-check]): a 1,368 kg moving
barrier at 80 km/h hits the rear of the stationary car. The fuel-spillage limits of
S5.4 need the tank, its filler and lines, which no model describes; what the layout
decides is whether the crushed rear reaches the fuel tank or the traction battery
(``body:rear_crush_to_storage``, the geometry's distance from the rear face to the
storage, held to the CAD solid). This module gives the crush the rear structure needs.

Plastic momentum exchange of the barrier (M) and the struck car (m, its FMVSS 208 test
mass ``crash:front:test_mass``: curb + cargo + two 78 kg dummies [assumed for the 301
test loading, to-check])::

    delta_v = M / (M + m) V                     (the struck car's delta-V)
    E       = 1/2 M m / (M + m) V^2             (energy the two crush zones absorb)

All of E is credited to the car (the barrier face's share is not: conservative, as
the side model does). The rear structure is taken as the front one without the
powertrain's secondary load path [assumed: the design describes one bumper, crash-box
and rail set, and the rear bumper of :mod:`keidesign.crash.bumper` is the same
assumption]: bumper zone F_1 over s_1, crash boxes F_2 over s_2, then the rear side
members at the front rails' own force F_3 - F_sec (rail force minus the secondary
force, which is the powertrain cradle's). The crush needed is the stroke at which
the staircase has absorbed E::

    C_rear = s_1 + s_2 + (E - F_1 s_1 - F_2 s_2) / (F_3 - F_sec)   if E > F_1 s_1 + F_2 s_2
    (the zone where E is reached otherwise)

compared by the pack with ``body:rear_crush_to_storage``. Validity: unit bodies with
rear side members that fold progressively; no rear engine block in the crush zone (a
rear or mid engine is not modelled here); the 70 % overlap of the current test [R:
interregs.com on 68 FR 67068] is not modelled (both members credited). The rear's force
level is the front's: for an imported car the front the import sizes with its fitted
force per kg (``keidesign.specs.build.front_force_factor()``, per law), so a refit of the front
moves the rear verdicts; a level of its own was looked for and not found (no measured
FMVSS 301 rear crush, no rear member section in the design or in a source:
docs/crash.md, "The rear structure's own force level").

**Force-crush law.** The rear takes the front's law as well as its level
(``keidesign.crash.pulse.FRONT_FORCE_LAW``): Campbell's line (the default,
``"campbell"``) or the staircase above (option), the zones' energy spread over their own stroke
L = s_1 + s_2 + s_3 (no stack in the rear: :func:`~.structure.campbell_span`) and
continued past it as the law (F = F_A + k x; CRASH3 takes the rear as the front, a
linear force per unit width A + B C [R: McHenry, "The Algorithms of CRASH"; the rear
coefficients themselves were not found])::

    C_rear = (sqrt(F_A^2 + 2 k E) - F_A) / k

A fitted force level belongs to the law it was fitted with (both laws are fitted to
the same NCAP crushes, so at the NCAP energy they absorb about the same work in about
the same crush; the rear's energy is 0.83-1.16 times the NCAP energy on the certified
cars): the staircase at Campbell's level (0.73) would be the staircase 10 % below its
own fitted level (0.81), hence one level per law (``build.FRONT_FORCE_FACTORS``)
(docs/crash.md, "The front's force-crush shape";
``python benchmarks/crash_probes.py campbell_ev_rear``). Derivatives: complex step
through this one implementation (OpenMDAO ``method="cs"``); batched with ``n_cases``.
"""

from __future__ import annotations

import numpy as np

from keidesign.closed_form import ComplexStepClosedForm
from keidesign.crash import pulse
from keidesign.crash.side import MDB_MASS_KG, barrier_impact
from keidesign.crash.structure import CAMPBELL_X0_M, campbell_line, campbell_span, crush_for_energy
from keidesign.errors import InputError

__all__ = ["REAR_SPEED_KMH", "RearImpactComp", "rear_impact"]

#: FMVSS 301 S6.2 rear moving-barrier speed (PHYSICS.md [R])
REAR_SPEED_KMH = 80.0

INPUTS = ("crash:front:test_mass", "crash:front:bumper_force", "crash:front:bumper_stroke",
          "crash:front:crash_box_force", "crash:front:crash_box_stroke",
          "crash:front:rail_force", "crash:front:secondary_force", "crash:front:rail_stroke")
OUTPUTS = ("crash:rear:delta_v", "crash:rear:energy", "crash:rear:force",
           "crash:rear:crush_required")


def rear_impact(m_kg, f1_kn, s1_mm, f2_kn, s2_mm, f3_kn, fsec_kn, s3_mm=None,
                law: str | None = None) -> dict:
    """Delta-V (km/h), energy (kJ), member force (kN) and crush needed (mm) of the rear
    impact (module docstring) for a car of test mass ``m_kg`` under the force-crush
    ``law`` (None: the model's, ``pulse.FRONT_FORCE_LAW``; ``"campbell"`` needs the
    rails' stroke ``s3_mm``); arrays of cases (real or complex: every branch is taken on
    the real part)."""
    law = pulse.FRONT_FORCE_LAW if law is None else law
    if law not in pulse.FRONT_FORCE_LAWS:
        raise InputError(f"rear force law: {law!r}; allowed: {', '.join(pulse.FRONT_FORCE_LAWS)}")
    dv, energy = barrier_impact(MDB_MASS_KG, m_kg, REAR_SPEED_KMH / 3.6)  # m/s, J
    f3r = f3_kn - fsec_kn
    forces = (f1_kn, f2_kn, f3r)
    if law == "campbell":
        if s3_mm is None:
            raise InputError("rear force law 'campbell': the rails' stroke s3_mm is needed "
                             "(crash:front:rail_stroke, mm > 0)")
        strokes = (s1_mm, s2_mm, s3_mm)
        # kN and mm (x0 in mm): k in kN/mm, energy in J = kN mm
        f_a, k = campbell_line(forces, strokes, campbell_span(strokes, None),
                               CAMPBELL_X0_M * 1e3)
        crush = (np.sqrt(f_a * f_a + 2.0 * k * energy) - f_a) / k
    else:
        # the staircase in kN over mm (kN mm = J), the rear members at the rail force
        crush = crush_for_energy(forces, (s1_mm, s2_mm), energy)
    return {"delta_v": dv * 3.6, "energy": energy * 1e-3, "force": f3r, "crush": crush}


class RearImpactComp(ComplexStepClosedForm):
    """FMVSS 301 rear impact: delta-V, energy, rear member force, crush needed."""

    INPUTS = INPUTS
    OUTPUTS = OUTPUTS
    DEPENDS = {"crash:rear:delta_v": ("crash:front:test_mass",),
               "crash:rear:energy": ("crash:front:test_mass",),
               "crash:rear:force": ("crash:front:rail_force", "crash:front:secondary_force")}

    def _values(self, inputs) -> dict:
        r = rear_impact(*(inputs[k] for k in INPUTS[:-1]), s3_mm=inputs[INPUTS[-1]])
        return {"crash:rear:delta_v": r["delta_v"], "crash:rear:energy": r["energy"],
                "crash:rear:force": r["force"], "crash:rear:crush_required": r["crush"]}
