"""The OpenMDAO model of one candidate vehicle, wired in one place.

Data flows one way: design file -> body geometry -> mass -> crash, energy -> label,
CAFE target. Every variable is promoted under its registered name, so a design
value, a rule-pack quantity and an OpenMDAO variable share one name.

Which components are added depends on the design (ICE or BEV) and on the rule packs
(their parameters set the label coefficients and the CAFE target curve); nothing in a
component reads a file during ``compute``.
"""

from __future__ import annotations

from collections.abc import Sequence

from openmdao.core.group import Group
from openmdao.core.problem import Problem

from keidesign import batch, body, compliance, costing, crash, energy, mass, powertrain
from keidesign import variables as reg
from keidesign.design import Design
from keidesign.errors import InputError
from keidesign.rulepacks import RulePack

__all__ = ["KeiVehicle", "build_problem", "independent_inputs", "output_names",
           "registered_outputs", "set_design_values"]


class KeiVehicle(Group):
    """All disciplines of one vehicle at one design point.

    Each discipline package adds its own subsystems through its
    ``add_subsystems(group, design, packs)`` hook (one discipline, one place); the
    order below is the data flow. A discipline that closes a loop (e.g. structure mass
    <-> curb mass) sets the solvers it needs on this group in its hook.

    Options:
        design: the validated :class:`~keidesign.design.Design` (structure choices:
            powertrain type, rail material and count, seats).
        packs: rule packs; ``epa-label`` and a ``cafe-*`` pack parameterize the label
            and CAFE-target components.
        round_footprint: round the footprint to 0.1 ft^2 as 49 CFR 531.5 does
            (non-differentiable: off for optimization).
        n_cases: designs evaluated together (:mod:`keidesign.batch`): > 1 gives every
            registered variable the shape ``(n,)`` and declares no partials (sweeps).
            The hooks pass it to their components.
    """

    def initialize(self) -> None:
        batch.declare_option(self.options)
        self.options.declare("design", types=Design)
        self.options.declare("packs", default=(), types=(list, tuple))
        self.options.declare("round_footprint", default=False, types=bool)

    def setup(self) -> None:
        design: Design = self.options["design"]
        packs: Sequence[RulePack] = self.options["packs"]
        for hook in (body.add_subsystems, powertrain.add_subsystems, mass.add_subsystems,
                     costing.add_subsystems, crash.add_subsystems, energy.add_subsystems):
            hook(self, design, packs)
        compliance.add_subsystems(self, design, packs,
                                  round_footprint=self.options["round_footprint"])


def build_problem(design: Design, packs: Sequence[RulePack] = (), *,
                  round_footprint: bool = False,
                  force_alloc_complex: bool = False, n_cases: int = 1) -> Problem:
    """Set up an :class:`openmdao.api.Problem` for ``design`` with its values set.

    ``n_cases > 1`` builds the batched model (every case starts at ``design``'s values;
    set arrays of shape ``(n_cases,)`` to vary them).
    """
    prob = Problem(KeiVehicle(design=design, packs=list(packs),
                                 round_footprint=round_footprint, n_cases=n_cases),
                      reports=False)
    prob.setup(force_alloc_complex=force_alloc_complex)
    set_design_values(prob, design)
    return prob


def set_design_values(prob: Problem, design: Design,
                      needed: Sequence[str] | None = None) -> None:
    """Set every model input from ``design``; error listing any input it does not give.
    ``needed``: the problem's :func:`independent_inputs` when already known.

    Raises :class:`InputError` before the run (never NaN in the outputs later).
    """
    needed = independent_inputs(prob) if needed is None else needed
    values = design.numeric()
    # a model-side input (not a design-file key) with a registered default keeps it
    missing = sorted(n for n in needed if n not in values
                     and (reg.get(n).design or reg.get(n).default is None))
    if missing:
        raise InputError(f"{design.path}: the model needs input(s) the design does not give: "
                         f"{', '.join(missing)}")
    for name in needed:
        if name not in values:
            continue
        val, units = values[name]
        prob.set_val(name, val, units=units if units != "unitless" else None)


def independent_inputs(prob: Problem) -> list[str]:
    """Promoted names of the model's independent inputs (fed by no output: what
    :func:`set_design_values` sets from a design), in the model's order."""
    meta = prob.model.get_io_metadata(iotypes="input", metadata_keys=["units"],
                                      get_remote=True)
    indep = set(prob.model.list_inputs(val=False, is_indep_var=True, out_stream=None,
                                       return_format="dict"))
    return list(dict.fromkeys(m["prom_name"] for abs_name, m in meta.items()
                              if abs_name in indep))


def output_names(prob: Problem) -> list[tuple[str, str | None]]:
    """``(promoted name, registered units)`` of every scalar model output, in the
    model's order (what :func:`registered_outputs` reads; fixed once the problem is set
    up)."""
    out = []
    for _abs, m in prob.model.list_outputs(units=True, prom_name=True, out_stream=None,
                                           return_format="list"):
        name = m["prom_name"]
        if name.startswith("_auto_ivc") or m["val"].size != 1:
            continue
        try:
            units = reg.get(name).units
        except KeyError:
            units = m["units"]
        out.append((name, units))
    return out


def registered_outputs(prob: Problem, names: Sequence[tuple[str, str | None]] | None = None
                       ) -> dict[str, tuple[float, str | None]]:
    """Every scalar model output by promoted name: ``{name: (value, units)}``
    (of the scalar model: a batched model's vectors are skipped); ``names``: the
    problem's :func:`output_names` when already known."""
    return {name: (float(prob.get_val(name, units=None if units == "unitless" else units)
                         .item()), units)
            for name, units in (output_names(prob) if names is None else names)}
