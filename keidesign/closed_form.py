"""Base classes for closed-form OpenMDAO components: one model function, values + partials.

Many discipline components are closed forms whose derivatives are written next to the
values (hand-derived, or carried by small derivative records). Two shapes are used:

* :class:`SectionedClosedForm` (crash members): ``_model(g)`` takes the inputs as
  scalars and returns ``{output: (value, {input: d value_SI / d input}, scale)}``: the
  value in the output's registered units, its partials in SI, and the factor ``scale``
  from SI to the registered units.
* :class:`JacobianClosedForm` (mass and cost build-ups): ``_model(inputs)`` returns
  ``(values, jac)`` with ``jac[output][input]`` in the registered units.
* :class:`ComplexStepClosedForm` (bumper, rear impact): ``_values(inputs)`` returns the
  outputs only, written once on arrays (real or complex, every branch on real parts);
  the partials are OpenMDAO's complex step through that same function, declared only
  for the pairs listed in ``DEPENDS`` (output -> inputs; absent = every input).
* :class:`DualClosedForm` (roof, side impact): ``_values(g)`` as above, on scalars;
  the partials are the same function run once on dual numbers seeded on the inputs
  (:mod:`geometry.ad`): exact, and one evaluation instead of one per input.

Both declare the sparsity found in the model's own partial dictionaries, take real parts
in ``compute_partials`` (``compute`` stays complex-step safe, so the analytic partials
are checked against complex step in the tests) and keep the list of declared inputs per
output in ``self._wrt``.

Both take the ``n_cases`` option of :mod:`keidesign.batch`: batched (``n_cases > 1``),
``_model`` receives arrays of shape ``(n,)`` instead of scalars and no partial is
declared.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import openmdao.api as om

from geometry import ad
from keidesign import batch
from keidesign.variables import add_input, add_output

__all__ = ["ComplexStepClosedForm", "DualClosedForm", "JacobianClosedForm",
           "SectionedClosedForm"]


def scalars(inputs: Any, names: tuple[str, ...] | list[str]) -> dict:
    """``{name: inputs[name][0]}``: scalar inputs as numpy scalars (about 5x faster in
    the closed forms than 1-element arrays; same arithmetic, complex under complex step).
    Inputs of more than one element (a batched component) are passed whole."""
    out = {}
    for k in names:
        v = inputs[k]
        out[k] = v[0] if v.size == 1 else v
    return out


class _NamedIO(om.ExplicitComponent):
    """Inputs ``INPUTS`` and outputs ``OUTPUTS`` (class attributes, registered names),
    scalars or arrays of cases (``n_cases``, :mod:`keidesign.batch`)."""

    INPUTS: tuple[str, ...] = ()
    OUTPUTS: tuple[str, ...] = ()

    def initialize(self) -> None:
        batch.declare_option(self.options)

    def setup(self) -> None:
        shape = batch.shape(self)
        for name in self.INPUTS:
            add_input(self, name, shape=shape)
        for name in self.OUTPUTS:
            add_output(self, name, shape=shape)


class SectionedClosedForm(_NamedIO):
    """Closed form over scalar inputs ``INPUTS`` giving ``OUTPUTS`` (class attributes)."""

    def _dense(self) -> dict[str, tuple[str, ...]]:
        """Outputs whose sparsity is not the one at the default point: output -> the
        inputs they never depend on (declared against every other input)."""
        return {}

    def setup_partials(self) -> None:
        self._wrt: dict[str, list[str]] = {}
        if batch.batched(self):
            return
        vals = {k: self._var_rel2meta[k]["val"] for k in self.INPUTS}
        dense = self._dense()
        for name, (_, dd, _) in self._model(vals).items():
            wrt = ([k for k in self.INPUTS if k not in dense[name]] if name in dense
                   else [k for k in self.INPUTS if k in dd])
            self._wrt[name] = wrt
            if wrt:
                self.declare_partials(name, wrt)

    def _model(self, g: dict) -> dict:
        raise NotImplementedError

    def compute(self, inputs, outputs) -> None:
        for name, (val, _, _) in self._model(scalars(inputs, self.INPUTS)).items():
            outputs[name] = val

    def compute_partials(self, inputs, J) -> None:
        for name, (_, dd, scale) in self._model(scalars(inputs, self.INPUTS)).items():
            for wrt in self._wrt[name]:
                J[name, wrt] = np.real(dd.get(wrt, 0.0)) * scale


class JacobianClosedForm(om.ExplicitComponent):
    """Closed form whose ``_model(inputs)`` returns ``(values, jac)``; the subclass sets
    ``self._wrt`` (output -> inputs with a declared partial) in its setup (and declares
    none when :func:`keidesign.batch.batched`)."""

    def initialize(self) -> None:
        batch.declare_option(self.options)

    def _model(self, inputs: Any) -> tuple[dict, dict]:
        raise NotImplementedError

    def compute(self, inputs, outputs) -> None:
        vals, _ = self._model(inputs)
        for k, v in vals.items():
            outputs[k] = v

    def compute_partials(self, inputs, J) -> None:
        _, jac = self._model(inputs)
        for out, wrt in self._wrt.items():
            for name in wrt:
                J[out, name] = np.real(jac[out][name])


class ComplexStepClosedForm(_NamedIO):
    """Closed form ``_values(inputs) -> {output: array}`` over ``INPUTS`` giving
    ``OUTPUTS`` (class attributes), differentiated by complex step through the same
    function; ``DEPENDS`` maps an output to the inputs it depends on (default: all; an
    empty tuple: a piecewise-constant output, no partials)."""

    DEPENDS: dict[str, tuple[str, ...]] = {}

    def setup_partials(self) -> None:
        if batch.batched(self):
            return
        for name in self.OUTPUTS:
            wrt = list(self.DEPENDS.get(name, self.INPUTS))
            if wrt:  # an output listed with no inputs is piecewise constant
                self.declare_partials(name, wrt, method="cs")

    def _values(self, inputs: Any) -> dict:
        raise NotImplementedError

    def compute(self, inputs, outputs) -> None:
        for name, val in self._values(inputs).items():
            outputs[name] = val


class DualClosedForm(_NamedIO):
    """Closed form ``_values(g) -> {output: value}`` over ``INPUTS`` giving ``OUTPUTS``
    (class attributes; values in the registered units), written once on scalars (or
    arrays of cases when batched) with the operations of :mod:`geometry.ad` (``ad.tan``,
    ``ad.where``, ...; branches on real parts). ``compute_partials`` runs the same
    function on dual numbers seeded on the inputs; ``DEPENDS`` maps an output to the
    inputs it depends on (default: all)."""

    DEPENDS: dict[str, tuple[str, ...]] = {}

    def setup_partials(self) -> None:
        self._wrt: dict[str, tuple[str, ...]] = {}
        if batch.batched(self):
            return
        for name in self.OUTPUTS:
            wrt = tuple(self.DEPENDS.get(name, self.INPUTS))
            self._wrt[name] = wrt
            if wrt:
                self.declare_partials(name, list(wrt))

    def _values(self, g: dict) -> dict:
        raise NotImplementedError

    def compute(self, inputs, outputs) -> None:
        for name, val in self._values(scalars(inputs, self.INPUTS)).items():
            outputs[name] = val

    def compute_partials(self, inputs, J) -> None:
        vals = scalars(inputs, self.INPUTS)
        seeded = dict(zip(self.INPUTS, ad.seed([vals[k] for k in self.INPUTS]), strict=True))
        col = {k: j for j, k in enumerate(self.INPUTS)}
        for name, val in self._values(seeded).items():
            grad = val.g if type(val) is ad.D else None
            for k in self._wrt[name]:
                J[name, k] = 0.0 if grad is None else np.real(grad[col[k]])
