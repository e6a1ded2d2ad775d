"""Case-vectorized evaluation: ``n`` designs in one run of the model (sweeps).

A sweep does not need derivatives, and one run of the model costs far more in framework
overhead and per-call Python than in arithmetic. The model therefore has a *batched*
form: with the option ``n_cases = n > 1`` every registered input and output of every
component has shape ``(n,)`` (case ``i`` is element ``i``), every ``compute`` works on
the whole vector at once, and no partial derivative is declared. With ``n_cases = 1``
(the default) every component is exactly the scalar, differentiable component used by
optimization.

Conventions for a component (see :mod:`keidesign.closed_form` for the shared bases):

* declare the option with :func:`declare_option` in ``initialize``;
* give ``shape=shape(self)`` to :func:`keidesign.variables.add_input` /
  ``add_output`` (``None`` when scalar, so the registry's own shape is kept);
* skip ``declare_partials`` when :func:`batched` is true;
* in ``compute`` work on arrays: no Python ``if``/``min``/``max``/``math`` on a value
  (``np.where``, ``np.maximum``, ...); element ``i`` of every output must equal the
  scalar component's output for case ``i`` (held by ``tests/test_batch.py``).

A group passes its own ``n_cases`` to what it adds; a discipline hook reads it from the
group with :func:`n_cases`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["batched", "declare_option", "n_cases", "shape"]

OPTION = "n_cases"


def declare_option(options: Any) -> None:
    """Declare the ``n_cases`` option (default 1: scalar, differentiable)."""
    options.declare(OPTION, default=1, types=int, lower=1,
                    desc="number of designs evaluated together (case-vectorized); "
                         "> 1: inputs/outputs of shape (n,), no partials (sweeps)")


def n_cases(system: Any) -> int:
    """The ``n_cases`` of an OpenMDAO system (1 when it does not declare the option)."""
    opts = system.options
    return int(opts[OPTION]) if OPTION in opts else 1



def batched(system: Any) -> bool:
    """True when ``system`` evaluates more than one case per run (no partials)."""
    return n_cases(system) > 1


def shape(system: Any) -> int | None:
    """``shape`` argument for registered variables: ``n`` when batched, else ``None``."""
    n = n_cases(system)
    return n if n > 1 else None
