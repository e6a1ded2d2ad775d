"""The federal class an optimization or Pareto run is judged as, and the check at its end.

A design's federal class (:mod:`keidesign.federal_class`) is a step function of its top
speed (the LSV band, 20-25 mph) and GVWR (below 1,361 kg), both model outputs a design
variable can move (``powertrain.speed_limiter``, the power, the masses, the payload). A
rule-pack criterion restricted to a class (``applies_to``: Part 581 to passenger cars)
is then either a constraint of the problem or not: a gradient optimizer cannot see a
constraint appear or vanish across the step, so ``optimize`` and ``pareto`` decide the
class once per run, the usual MDO practice: every iterate is judged as the class of the
run's base design evaluated (:func:`judged_class`: its top speed and GVWR, its body; or
the class a ``[class]`` table requires; the class
:func:`keidesign.studies.problem.resolve_margins` then chooses the criteria by: an LSV
run drops Part 581, a passenger car's holds it). At the end
the solution's own class is computed from its outputs (:func:`solved_class`) and, when it
differs, the run says so (:func:`class_check`): "the optimum is a low-speed vehicle, the
run judged it as a passenger car" is a result to re-run, not an optimum of its class.
A sweep has no iterates: it judges each case by its own class
(:func:`keidesign.studies.problem.case_class`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from keidesign.federal_class import (
    CLASS_KEYS,
    LSV_GVWR_KG,
    LSV_MAX_MPH,
    LSV_MIN_MPH,
    FederalClass,
    classify,
    design_class,
)

__all__ = ["CLASS_NAMES", "class_check", "class_record", "judged_class", "solved_class"]

#: each class key's name (:func:`keidesign.federal_class.classify`)
CLASS_NAMES = {
    "passenger_car": classify(35.0, 700.0).name,
    "truck": classify(35.0, 700.0, open_bed=True).name,
    "lsv": classify(22.5, 700.0).name,
    "off_road": classify(15.0, 700.0).name,
}
assert set(CLASS_NAMES) == set(CLASS_KEYS)


def judged_class(design, info, required: str | None = None) -> FederalClass:
    """The class a run on ``design`` judges every iterate as: the class the study
    requires (``[class] require``, ``passenger_car`` or ``lsv``: its bounds hold every
    feasible point in it), else the base design's own, from its values and the outputs
    of its evaluation ``info`` (:class:`keidesign.studies.problem.ModelInfo`: top speed
    in mph, curb mass in kg); without them the class its body gives (module
    docstring)."""
    if required is not None:
        # a point inside the required class's band, with the design's body and drive
        top = 0.5 * (LSV_MIN_MPH + LSV_MAX_MPH) if required == "lsv" else LSV_MAX_MPH + 10.0
        return design_class(design.values, {"perf:top_speed": top,
                                            "mass:curb": 0.5 * LSV_GVWR_KG - float(
                                                design.values.get("mass:payload", 0.0))})
    outs = {n: info.values[n] for n in ("perf:top_speed", "mass:curb") if n in info.values}
    return design_class(design.values, outs)


def solved_class(prob, design, x: Mapping[str, float]) -> FederalClass | None:
    """The class of the point ``prob`` (an OpenMDAO problem of the vehicle model) was
    last run at: ``design``'s values with the design variables ``x`` (payload, body),
    its top speed (mph) and curb mass (kg). None when the model computes no top speed."""
    try:
        top = float(prob.get_val("perf:top_speed", units="mi/h").real.ravel()[0])
        curb = float(prob.get_val("mass:curb", units="kg").real.ravel()[0])
    except KeyError:
        return None
    return design_class({**design.values, **x}, {"perf:top_speed": top, "mass:curb": curb})


def class_check(judged: FederalClass, got: FederalClass | None, what: str = "the optimum"
                ) -> str:
    """A warning when ``what`` is of another federal class than the run judged it as; ""
    when they agree or the class is unknown."""
    if got is None or got.key == judged.key:
        return ""
    return (f"federal class: {what} is of class '{got.key}' ({got.name}: "
            f"{', '.join(got.reasons)}), but the run judged every design as "
            f"'{judged.key}' ({judged.name}; the base design's class, decided once per run: "
            "the class is a step in top speed and GVWR that the optimizer does not see), so "
            f"the criteria restricted to a class were held as for '{judged.key}'. Re-run "
            f"from a base design of {what}'s class, or hold the class with a [class] table "
            "(require = \"passenger_car\" or \"lsv\")")


def class_record(judged: FederalClass, got: FederalClass | None,
                 what: str = "the optimum") -> dict[str, Any]:
    """``results.json``'s ``federal_class``: the judged and the solved class keys, whether
    they agree (None: unknown) and the warning."""
    return {"judged": judged.key, "solution": got.key if got is not None else None,
            "agrees": None if got is None else got.key == judged.key,
            "warning": class_check(judged, got, what)}
