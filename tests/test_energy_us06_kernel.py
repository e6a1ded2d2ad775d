"""The US06 full-power pass: one compiled implementation, derivatives through it.

:func:`keidesign.energy.performance.us06` runs the sequential pass in
:mod:`keidesign.energy._us06_kernel` on plain, complex (OpenMDAO's complex step) or
:class:`~geometry.ad.D` inputs (complex step through the kernel, one lane
per direction). Checked here: the gradient against central finite differences of the
values, the complex-step run against the plain one, on a batch of designs that do and
do not fall behind the trace.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import PERF_BASE
from conftest import PERF_CASES as CASES
from conftest import perf_constants as _c
from conftest import perf_params as _x

from keidesign.energy import performance as perf


@pytest.mark.parametrize("kind,trans", CASES)
def test_gradient_matches_finite_differences(kind, trans):
    """d(shortfall)/d(mass, power, F2) of the dual-number run against central differences of
    the plain run (the pass is piecewise smooth: differences of 1e-6 relative stay on
    one piece for these designs)."""
    got = perf.us06(_x(kind, trans, "dual"), kind, trans, _c())["shortfall"]
    for k in range(3):
        step = 1e-6 * PERF_BASE[:, k]
        vals = []
        for sign in (+1.0, -1.0):
            b = PERF_BASE.copy()
            b[:, k] += sign * step
            vals.append(np.ravel(perf.us06(_x(kind, trans, "plain", b), kind, trans,
                                           _c())["shortfall"]))
        fd = (vals[0] - vals[1]) / (2.0 * step)
        np.testing.assert_allclose(np.ravel(got.g[..., k]), fd, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("kind,trans", CASES)
def test_complex_run_equals_plain_run(kind, trans):
    plain = perf.us06(_x(kind, trans, "plain"), kind, trans, _c())["shortfall"]
    cplx = perf.us06(_x(kind, trans, "complex"), kind, trans, _c())["shortfall"]
    np.testing.assert_allclose(np.real(cplx), plain, rtol=1e-14, atol=1e-14)
    assert np.any(np.imag(cplx) != 0.0)  # the perturbation reached the result


def test_cases_cover_a_shortfall():
    """The batch exercises both branches: a car that keeps up and one that cannot."""
    for kind, trans in CASES:
        short = np.ravel(perf.us06(_x(kind, trans, "plain"), kind, trans, _c())["shortfall"])
        assert short.max() > 0.5 and short.min() <= 0.0 + 1e-12
