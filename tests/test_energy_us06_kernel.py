"""The compiled US06 full-power pass against the numpy loop it replaces.

:func:`keidesign.energy.performance.us06` runs the sequential pass in
:mod:`keidesign.energy._us06_kernel`; ``reference=True`` runs the original numpy loop
(plain, complex or :class:`~keidesign.energy.dual.Dual` arrays). Same values, same
gradients, on a batch of designs that do and do not fall behind the trace.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import PERF_CASES as CASES
from conftest import perf_constants as _c
from conftest import perf_params as _x

from keidesign.energy import dual as D
from keidesign.energy import performance as perf


@pytest.mark.parametrize("kind,trans", CASES)
@pytest.mark.parametrize("mode", ["plain", "complex", "dual"])
def test_us06_kernel_matches_numpy_loop(kind, trans, mode):
    x, c = _x(kind, trans, mode), _c()
    fast = perf.us06(x, kind, trans, c)["shortfall"]
    ref = perf.us06(x, kind, trans, c, reference=True)["shortfall"]
    assert isinstance(fast, D.Dual) == isinstance(ref, D.Dual)
    np.testing.assert_allclose(D.value(fast), D.value(ref), rtol=1e-12, atol=1e-12)
    if mode == "dual":
        np.testing.assert_allclose(np.broadcast_to(fast.d, (3, 1, 3)),
                                   np.broadcast_to(ref.d, (3, 1, 3)), rtol=1e-10, atol=1e-12)
    if mode == "complex":
        np.testing.assert_allclose(np.imag(fast), np.imag(ref), rtol=1e-10, atol=1e-45)


def test_cases_cover_a_shortfall():
    """The batch exercises both branches: a car that keeps up and one that cannot."""
    for kind, trans in CASES:
        short = np.ravel(perf.us06(_x(kind, trans, "plain"), kind, trans, _c())["shortfall"])
        assert short.max() > 0.5 and short.min() <= 0.0 + 1e-12
