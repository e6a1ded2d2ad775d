"""Compiled US06 full-power sweep of :func:`keidesign.energy.performance.us06`.

The 600-step sequential pass (the car follows the trace or accelerates at full power)
written on scalars and compiled with numba (``cache=True``). It runs on plain values
(float64, or complex128 under OpenMDAO's complex step: branches on real parts) and,
for :class:`~keidesign.energy.dual.Dual` inputs, carries the gradient of every step
with it (``d`` arrays of ``p`` parameters): the same chain rule the Dual operations
apply, so the partials stay exact. The numpy loop in :mod:`.performance` is the
reference (``tests/test_energy_kernels.py``).
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba import njit

from keidesign import NUMBA_CACHE_DIR

# numba may have been imported (by CadQuery) before keidesign set NUMBA_CACHE_DIR
numba.config.CACHE_DIR = numba.config.CACHE_DIR or NUMBA_CACHE_DIR

__all__ = ["us06_sweep"]


@njit(cache=True)
def us06_sweep(net, dnet, vt, low, dt, h, q_max, worst, dworst):
    """Shortfall of every design ``r``: ``worst[r]`` (and its gradient ``dworst[r]``).

    ``net`` (n, S): full-power acceleration on the speed grid of spacing ``h``;
    ``dnet`` (n, S, p) its gradient (p may be 0); ``vt``, ``low`` the trace and its
    3-point minimum (T,); ``dt`` (T - 1,); ``q_max``: the grid's last usable node
    (``len(grid) - 1.000001``). ``worst`` (n,) holds the start value (-1e9) and is
    overwritten with the result, ``dworst`` (n, p) with its gradient.
    """
    n = net.shape[0]
    p = dnet.shape[2]
    dva = np.zeros(p, dtype=dnet.dtype)
    dvm = np.zeros(p, dtype=dnet.dtype)
    for r in range(n):
        wr = worst[r]
        va = wr - wr  # zero of the value type
        for k in range(p):
            dva[k] = 0.0
            dworst[r, k] = 0.0
        for i in range(dt.shape[0]):
            # full-power step: linear interpolation of the acceleration table at va
            q = min(max(va.real / h, 0.0), q_max)
            j = int(math.floor(q))
            t0 = net[r, j]
            t1 = net[r, j + 1]
            frac = va / h - j
            vmax = va + (t0 + (t1 - t0) * frac) * dt[i]
            for k in range(p):
                dvm[k] = (dva[k] + (dnet[r, j, k] + ((dnet[r, j + 1, k] - dnet[r, j, k]) * frac
                                                     + (t1 - t0) * (dva[k] / h))) * dt[i])
            # va = min(trace, max(vmax, 0)), branches on real parts (D.maximum/minimum)
            zero = 0.0 * va
            free = vmax.real >= 0.0
            m = vmax if free else zero
            if vt[i + 1] <= m.real:
                va = vt[i + 1] + zero
                take = False
            else:
                va = m
                take = free
            for k in range(p):
                dva[k] = dvm[k] if take else 0.0
            # worst = max(worst, low - va)
            gap = low[i + 1] - va
            if not wr.real >= gap.real:
                wr = gap
                for k in range(p):
                    dworst[r, k] = -dva[k]
        worst[r] = wr
