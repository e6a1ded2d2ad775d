"""The body's closed forms as an OpenMDAO component (:class:`BodyComp`) and its model hook.

The equations, sources and validity are those of :mod:`geometry.closed_form` (the body
shape's closed forms, held to the CadQuery solid); this module declares the registered
inputs and outputs, evaluates the compiled tape of the closed form (values, exact
Jacobian, or a batch of cases) and checks a design's layout before the model is built.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from openmdao.core.explicitcomponent import ExplicitComponent
from openmdao.core.group import Group

from geometry import ad
from geometry import profiles as pr
from geometry.ad import D
from geometry.closed_form import (
    OUTPUTS,
    closed_form,
    closed_form_compiled,
    compiled_tape,
    outputs,
    sparsity,
)
from geometry.params import layout_from_design
from keidesign import batch
from keidesign.variables import add_input, add_output

PROMOTE_ALL = ["*"]


class BodyComp(ExplicitComponent):
    """Closed-form body geometry: see the module docstring for equations and sources.

    Values and partials come from the compiled closed form (:func:`closed_form_compiled`,
    the tape of :func:`closed_form` replayed by numba); under complex step (OpenMDAO's
    ``check_partials``/``check_totals`` with ``method="cs"``) ``compute`` runs the
    reference :func:`closed_form` on complex numbers, so the compiled partials are
    checked against complex step of the reference.

    Options:
        style: body style (``tallboy``, ``hatch`` or ``truck``): selects the style
            parameters (and, for the truck, the bed outputs).
        powertrain_type: ``ice`` (fuel tank) or ``bev`` (battery pack).
        battery_placement: where a BEV's pack sits (``body.battery_placement``,
            :data:`geometry.profiles.PLACEMENTS`); no effect on an ICE.
        engine_layout: where the powertrain block sits (``powertrain.layout``,
            :data:`geometry.profiles.ENGINE_LAYOUTS`): ``body:crush_to_powertrain``.
        kernel: ``compiled`` (default) or ``reference`` (the dual-number
            :func:`closed_form`: values, and partials by forward-mode dual numbers).
        n_cases: designs evaluated together (:mod:`keidesign.batch`): > 1, every input and
            output has shape (n,), values only (one compiled call for all cases).
    """

    def initialize(self) -> None:
        self.options.declare("style", default="tallboy", values=pr.STYLES)
        self.options.declare("powertrain_type", default="ice", values=("ice", "bev"))
        self.options.declare("battery_placement", default="underfloor", values=pr.PLACEMENTS,
                             desc="where a BEV's traction battery sits")
        self.options.declare("engine_layout", default="front", values=pr.ENGINE_LAYOUTS,
                             desc="where the powertrain block sits (powertrain.layout)")
        self.options.declare("kernel", default="compiled", values=("compiled", "reference"),
                             desc="compiled tape (numba) or the dual-number reference")
        batch.declare_option(self.options)

    def setup(self) -> None:
        self._names = pr.parameter_names(self.options["style"],
                                         self.options["powertrain_type"])
        self._out_scales = outputs(self.options["style"])
        shape = batch.shape(self)
        for name in self._names.values():
            add_input(self, name, shape=shape)
        for name in self._out_scales:
            add_output(self, name, shape=shape)
        if self.options["kernel"] == "compiled":
            compiled_tape(*self._variant())

    def _variant(self) -> tuple[str, str, str, str]:
        """(style, powertrain, placement, engine layout): what selects the closed form's
        branches."""
        return (self.options["style"], self.options["powertrain_type"],
                self.options["battery_placement"], self.options["engine_layout"])

    def setup_partials(self) -> None:
        self._jac_plan = None            # built on the first compute_partials
        self._ref_plan: list[tuple[str, float, list[int], list[tuple[str, str]]]] | None = None
        if batch.batched(self):
            return
        wrt = list(self._names.values())
        pattern = sparsity(*self._variant())
        groups: dict[tuple[str, ...], list[str]] = {}
        for i, name in enumerate(self._out_scales):
            cols = tuple(wrt[j] for j in np.nonzero(pattern[i])[0])
            if cols:
                groups.setdefault(cols, []).append(name)
        for cols, names in groups.items():  # one declaration per set of inputs
            self.declare_partials(names, list(cols))

    def _params(self, inputs: Any, dual: bool) -> dict[str, Any]:
        keys = list(self._names)
        vals = [inputs[self._names[k]][0] for k in keys]
        if dual:
            return dict(zip(keys, ad.seed(vals), strict=True))
        return dict(zip(keys, vals, strict=True))

    def _reference_values(self, inputs: Any) -> np.ndarray:
        """Outputs (registered units, :func:`outputs` order) by the reference closed form
        (complex numbers under complex step); one design after another when batched."""
        style, pt, place, engine = self._variant()
        n = batch.n_cases(self)
        keys = list(self._names)
        cols = [inputs[self._names[k]] for k in keys]
        rows = []
        for i in range(n):
            res = closed_form({k: c[i] for k, c in zip(keys, cols, strict=True)}, style, pt,
                              place, engine)
            rows.append([ad.value(res[name]) * scale
                         for name, scale in self._out_scales.items()])
        return np.array(rows)

    def compute(self, inputs, outputs) -> None:
        x = inputs.asarray()             # this component's inputs, in declaration order
        out = outputs.asarray()
        if self.options["kernel"] == "reference" or np.iscomplexobj(x):
            out[:] = self._reference_values(inputs).T.reshape(-1)
            return
        style, pt, place, engine = self._variant()
        n = batch.n_cases(self)
        if n > 1:
            vals, _ = closed_form_compiled(x.reshape(-1, n).T, style, pt, placement=place,
                                           engine=engine)
            out[:] = vals.T.reshape(-1)
        else:
            out[:] = closed_form_compiled(x, style, pt, placement=place, engine=engine)[0]

    def _plan(self) -> list[tuple[tuple[str, str], int, int]]:
        """(partial key, output row, input column) of every declared partial."""
        plan = self._jac_plan
        if plan is None:
            wrt = list(self._names.values())
            pattern = sparsity(*self._variant())
            plan = self._jac_plan = [((name, wrt[j]), i, int(j))
                                     for i, name in enumerate(self._out_scales)
                                     for j in np.nonzero(pattern[i])[0]]
            self._jac_keys = [p[0] for p in plan]
            self._jac_index = (np.array([p[1] for p in plan], int),
                               np.array([p[2] for p in plan], int))
        return plan

    def compute_partials(self, inputs, J) -> None:
        if self.options["kernel"] == "reference":
            self._reference_partials(inputs, J)
            return
        style, pt, place, engine = self._variant()
        _, jac = closed_form_compiled(np.real(inputs.asarray()), style, pt, want_grad=True,
                                      placement=place, engine=engine)
        self._plan()
        for key, v in zip(self._jac_keys, jac[self._jac_index].tolist(), strict=True):
            J[key] = v

    def _reference_partials(self, inputs, J) -> None:
        """Partials by forward-mode dual numbers (:mod:`geometry.ad`): the reference."""
        with np.errstate(divide="ignore", invalid="ignore"):
            res = closed_form(self._params(inputs, True), *self._variant())
        plan = self._ref_plan
        if plan is None:                 # (output, scale, declared columns, their keys)
            plan = self._ref_plan = []
            for key, _i, j in self._plan():
                if not plan or plan[-1][0] != key[0]:
                    plan.append((key[0], self._out_scales[key[0]], [], []))
                plan[-1][2].append(j)
                plan[-1][3].append(key)
        for name, scale, cols, keys in plan:
            val = res[name]
            if isinstance(val, D) and val.g is not None:
                vals = (val.g[cols] * scale).tolist()
            else:
                vals = [0.0] * len(cols)
            for key, x in zip(keys, vals, strict=True):
                J[key] = x


def add_subsystems(group: Group, design: object, packs: object = ()) -> None:
    """Model hook: the body-geometry subsystems of one design.

    Checks the body layout first (:func:`geometry.params.check_layout`): a parameter set
    that cannot make a valid body is an input error before the run.
    """
    lay = layout_from_design(design)
    group.add_subsystem("body", BodyComp(style=str(design["body:style"]),
                                         powertrain_type=str(design["powertrain:type"]),
                                         battery_placement=lay.placement,
                                         engine_layout=lay.engine,
                                         n_cases=batch.n_cases(group)),
                        promotes=PROMOTE_ALL)


def frontal_area(design: Any) -> float:
    """Frontal area (m^2) of a design's body model without building the model:
    ``body:frontal_area`` of :func:`geometry.closed_form.closed_form` on the design's
    values (registered units) -- the section area above the floor line plus the tyres
    below it, the value :class:`BodyComp` gives (equations, sources and validity in
    :mod:`geometry.closed_form`). Used by the kei WLTC check
    (:func:`keidesign.energy.calibration.kei_body_area`) to run the area a user's import
    runs."""
    lay = layout_from_design(design)
    style, ptype = str(design["body:style"]), str(design["powertrain:type"])
    vals = design.numeric()
    p = {k: vals[name][0] for k, name in pr.parameter_names(style, ptype).items()}
    res = closed_form(p, style, ptype, lay.placement, lay.engine)
    return float(ad.value(res["body:frontal_area"])) * OUTPUTS["body:frontal_area"]
