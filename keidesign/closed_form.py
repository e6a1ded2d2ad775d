"""Base classes for closed-form OpenMDAO components: one model function, values + partials.

A closed form is written once, as the function from inputs to outputs; the partials come
from that same function, never from derivative code kept beside it:

* :class:`DualClosedForm` (front structure, roof, side impact, fleet compatibility,
  mass and cost build-ups, label, CAFE target): ``_values(g)``
  returns the outputs (registered units) from scalar inputs; ``compute_partials`` runs
  it once on dual numbers seeded on the inputs (:mod:`geometry.ad`): exact partials in
  one evaluation. The sparsity is found the same way at a generic point.
* :class:`ComplexStepClosedForm` (bumper, rear impact, occupants): ``_values(inputs)``
  written once on arrays (real or complex, every branch on real parts); the partials are
  OpenMDAO's complex step through that same function, declared for the pairs listed in
  ``DEPENDS`` (output -> inputs; absent = every input).

All take the ``n_cases`` option of :mod:`keidesign.batch`: batched (``n_cases > 1``),
the function receives arrays of shape ``(n,)`` instead of scalars and no partial is
declared. ``compute`` stays complex-step safe, so the tests hold every partial against
complex step (``check_partials``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from openmdao.core.explicitcomponent import ExplicitComponent

from geometry import ad
from keidesign import batch
from keidesign.variables import add_input, add_output, get

__all__ = ["ComplexStepClosedForm", "DualClosedForm"]


def scalars(inputs: Any, names: tuple[str, ...] | list[str]) -> dict:
    """``{name: inputs[name][0]}``: scalar inputs as numpy scalars (about 5x faster in
    the closed forms than 1-element arrays; same arithmetic, complex under complex step).
    Inputs of more than one element (a batched component) are passed whole."""
    out = {}
    for k in names:
        v = inputs[k]
        out[k] = v[0] if v.size == 1 else v
    return out


class _NamedIO(ExplicitComponent):
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


def _typical(name: str) -> float:
    """A typical nonzero value of a registered variable: its default, else the middle of
    its range (a probe point for the sparsity of :class:`DualClosedForm`)."""
    var = get(name)
    if isinstance(var.default, int | float) and not isinstance(var.default, bool) \
            and var.default:
        return float(var.default)
    lo, hi = var.lower, var.upper
    if lo is not None and hi is not None:
        return 0.5 * (lo + hi) or 1.0
    return 1.0


class DualClosedForm(ExplicitComponent):
    """Closed form ``_values(g) -> {output: value}`` (values in the registered units),
    written once, elementwise, with the operations of :mod:`geometry.ad` (``ad.tan``,
    ``ad.where``, ...; branches on real parts). ``g`` holds scalars for one design or
    arrays of ``n`` points (cases of a batch, :mod:`keidesign.batch`).

    Inputs and outputs: the class attributes ``INPUTS`` / ``OUTPUTS``, or the lists
    ``self._in`` / ``self._out`` a subclass's ``setup`` builds (calling
    :meth:`_add_variables`). ``compute_partials`` runs the same function once on dual
    numbers seeded on the inputs; with ``n`` points the partials are diagonal (sparse
    ``rows = cols = 0..n-1``, the Dymos ``num_nodes`` convention: the one-design model is
    ``n = 1``; a batch of :mod:`keidesign.batch` declares none, as every batched
    component: it is evaluated, never differentiated). The sparsity is found the same
    way at two points
    (the inputs' registered defaults or mid-range values, or ``PROBE``, each scaled by
    its own factor 1.01-1.05, and the generic point input ``j`` = ``1 + (j + 1) / (m +
    1)``): a partial is declared where the dual gradient at either is not zero.
    ``DEPENDS`` (output -> inputs) overrides it for an output whose dependence a branch
    (``where``) could hide at both points."""

    INPUTS: tuple[str, ...] = ()
    OUTPUTS: tuple[str, ...] = ()
    DEPENDS: dict[str, tuple[str, ...]] = {}
    #: typical values of inputs the registry gives no default or range (probe points)
    PROBE: dict[str, float] = {}

    def initialize(self) -> None:
        batch.declare_option(self.options)

    def setup(self) -> None:
        self._add_variables(list(self.INPUTS), list(self.OUTPUTS))

    def _points(self) -> int:
        """Number of points ``n`` (the batch's cases; 1 for one design; a subclass may
        vectorize one design over more)."""
        return batch.n_cases(self) if batch.batched(self) else 1

    def _add_variables(self, ins: list[str], outs: list[str],
                       defaults: dict[str, float] | None = None,
                       out_defaults: dict[str, float] | None = None) -> None:
        """Register inputs ``ins`` and outputs ``outs`` (``defaults`` / ``out_defaults``:
        value overrides), ``n`` points each."""
        self._in, self._out = list(ins), list(outs)
        n = self._points()
        shape = None if n == 1 else n
        self._defaults = {}
        for name in self._in:
            val = (defaults or {}).get(name)
            self._defaults[name] = (self.PROBE[name] if name in self.PROBE else _typical(name)
                                    if val is None or val == 0 else float(val))
            add_input(self, name, shape=shape, val=val)
        for name in self._out:
            add_output(self, name, shape=shape, val=(out_defaults or {}).get(name))

    def setup_partials(self) -> None:
        self._wrt: dict[str, list[str]] = {}
        if batch.batched(self):  # a batch is evaluated, never differentiated
            return
        m = len(self._in)
        points = [{k: self._defaults[k] * (1.0 + 0.05 * (j + 1) / m)
                   for j, k in enumerate(self._in)},
                  {k: 1.0 + (j + 1) / (m + 1) for j, k in enumerate(self._in)}]
        if self._points() == 1:
            # both probe points in one dual evaluation (``_values`` is elementwise over
            # points): the same gradients as two calls, at half the setup time
            probes = [self._gradients({k: np.array([p[k] for p in points])
                                       for k in self._in})]
        else:
            probes = [self._gradients(p) for p in points]
        diag = np.arange(self._points())
        self._col = {k: j for j, k in enumerate(self._in)}
        groups: dict[tuple[str, ...], list[str]] = {}
        for name in self._out:
            wrt = (list(self.DEPENDS[name]) if name in self.DEPENDS
                   else [k for k in self._in
                         if any(np.any(gr.get(name, {}).get(k, 0.0) != 0.0) for gr in probes)])
            self._wrt[name] = wrt
            if wrt:
                groups.setdefault(tuple(wrt), []).append(name)
        for wrt_set, names in groups.items():  # one declaration per set of inputs
            self.declare_partials(names, list(wrt_set), rows=diag, cols=diag)

    def _values(self, g: dict) -> dict:
        raise NotImplementedError

    def _dual_values(self, vals: dict) -> dict:
        """:meth:`_values` on dual numbers seeded on the inputs at ``vals`` (scalars or
        ``(n,)`` arrays): each input's gradient is its unit vector (per point)."""
        m = len(self._in)
        eye = np.eye(m)
        seeded = {}
        for j, k in enumerate(self._in):
            v = vals[k]
            if np.ndim(v) == 0:
                seeded[k] = ad.D(float(np.real(v)), eye[j])
            else:
                v = np.real(np.asarray(v, dtype=float))
                seeded[k] = ad.D(v, np.broadcast_to(eye[j], v.shape + (m,)).copy())
        return self._values(seeded)

    def _gradients(self, vals: dict) -> dict[str, dict[str, Any]]:
        """``{output: {input: d output / d input}}`` (arrays of the ``n`` diagonal
        partials, or scalars) by dual numbers at ``vals``."""
        out = {}
        for name, val in self._dual_values(vals).items():
            grad = val.g if type(val) is ad.D and val.g is not None else np.zeros(len(self._in))
            out[name] = {k: np.real(grad[..., j]) for j, k in enumerate(self._in)}
        return out

    def compute(self, inputs, outputs) -> None:
        for name, val in self._values(scalars(inputs, self._in)).items():
            outputs[name] = val

    def compute_partials(self, inputs, J) -> None:
        res = self._dual_values(scalars(inputs, self._in))
        col = self._col
        for name, wrt in self._wrt.items():
            val = res.get(name)
            grad = val.g if type(val) is ad.D else None
            if grad is None:
                for k in wrt:
                    J[name, k] = 0.0
                continue
            if grad.dtype.kind == "c":
                grad = grad.real
            for k in wrt:
                J[name, k] = grad[..., col[k]]
