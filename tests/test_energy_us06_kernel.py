"""The compiled US06 full-power pass against the numpy loop it replaces.

:func:`keidesign.energy.performance.us06` runs the sequential pass in
:mod:`keidesign.energy._us06_kernel`; ``reference=True`` runs the original numpy loop
(plain, complex or :class:`~keidesign.energy.dual.Dual` arrays). Same values, same
gradients, on a batch of designs that do and do not fall behind the trace.
"""

from __future__ import annotations

import numpy as np
import pytest

from keidesign.energy import constants as kc
from keidesign.energy import dual as D
from keidesign.energy import performance as perf
from keidesign.energy import vehicle as veh

# three designs per case: an N-Box-like car, a weak heavy one (falls behind the trace),
# a light powerful one
MASS = [1046.0, 1500.0, 850.0]
POWER = [43.0, 28.0, 70.0]
CASES = [("ice", "cvt"), ("ice", "mt5"), ("ice", "at4"), ("bev", "single_speed")]


def _c() -> dict:
    return {**kc.perf_constants(), "eta_tr": kc.ice_constants()["eta_tr"],
            "eta_gear": kc.bev_constants()["eta_gear"]}


def _x(kind: str, trans: str, mode: str) -> dict:
    """Kernel parameters as :class:`PerformanceComp` builds them; mass, power and F2
    are the independent variables (Dual-seeded, complex-stepped or plain)."""
    base = np.array([MASS, POWER, [0.46, 0.40, 0.50]]).T  # (3 designs, 3 parameters)
    if mode == "dual":
        s = D.seed(base)
        m, p, f2 = s[:, 0:1], s[:, 1:2], s[:, 2:3]
    else:
        arr = base.astype(complex) if mode == "complex" else base
        if mode == "complex":
            arr[:, 0] += 1e-30j
        m, p, f2 = arr[:, 0:1], arr[:, 1:2], arr[:, 2:3]
    ones = np.ones((3, 1))
    q = {"m_eff": m, "f0": 100.0 * ones, "f1": 0.5 * ones, "f2": f2}
    if kind == "bev":
        q.update(k_lo=29.0 * ones, k_hi=29.0 * ones, power=p, torque=195.0 * ones,
                 max_rpm=12000.0 * ones, v_oc=1.0, r_b=0.0, eta_chg=1.0)
    else:
        k_lo, k_hi = (46.0, 8.3) if trans == "cvt" else (58.0, 13.0)
        q.update(k_lo=k_lo * ones, k_hi=k_hi * ones, vd=0.658 * ones, power=p,
                 torque=65.0 * ones * (p / 43.0), rated_rpm=7300.0 * ones)
    x = veh.kernel_params(kind, trans, q)
    x["m"] = m
    x["v_lim"] = 140.0 / 3.6 * ones
    return x


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
