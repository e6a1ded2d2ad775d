"""Compiled US06 full-power pass of :func:`keidesign.energy.performance.us06`.

The one implementation of the 600-step sequential pass (the car follows the trace or
accelerates at full power), written on scalars and compiled with numba
(``cache=True``). It runs on float64 values or on complex128 ones: every branch is
taken on real parts, so a complex run with imaginary perturbations of size 1e-30 gives
the exact derivative of the discrete map (complex step). The derivatives of
:func:`keidesign.energy.performance.us06` for :class:`~geometry.ad.D`
inputs come from this kernel run on one complex lane per input direction; no tangent
code is kept beside it. Without numba the same function runs as plain Python.
"""

from __future__ import annotations

import math

from numba import njit

from keidesign import numbacache

# the cache folder, keyed by the kernels' sources (any checkout reads it)
numbacache.install()

__all__ = ["us06_sweep"]


@njit(cache=True)
def us06_sweep(net, vt, low, dt, h, q_max, worst, bins, lag, behind):
    """Shortfall of every lane ``r``: ``worst[r]`` (m/s), the distance it lags and the
    steps it runs at full power below the trace.

    ``net`` (n, S): full-power acceleration on the speed grid of spacing ``h``; ``vt``,
    ``low`` the trace and its 3-point minimum (T,); ``dt`` (T - 1,); ``q_max``: the
    grid's last usable node (``len(grid) - 1.000001``). ``worst`` (n,) holds the start
    value (-1e9) and is overwritten with the result (same dtype as ``net``).
    ``bins`` (T - 1,) the segment (bag) of each step, ``lag`` (n, n_bins) zeros of the
    dtype of ``net``: it receives the trace distance minus the achieved distance of each
    segment (m), ``sum_i 0.5 ((v_t,i - v_i) + (v_t,i+1 - v_i+1)) dt_i`` (the trapezoid
    rule of :func:`keidesign.energy.cycles.segments`): exactly 0 where the car is on
    the trace at every step (``v_i = v_t,i`` is then assigned, not computed).
    ``behind`` (n, T - 1) zeros (uint8): set to 1 on every step whose full-power
    speed at the step's end is below the trace (the step is driven at full power
    throughout; the speed is not clipped to the trace), a decision on real parts.
    """
    for r in range(net.shape[0]):
        wr = worst[r]
        va = wr - wr  # zero of the value type
        for i in range(dt.shape[0]):
            v_prev = va
            # full-power step: linear interpolation of the acceleration table at va
            q = min(max(va.real / h, 0.0), q_max)
            j = int(math.floor(q))
            t0 = net[r, j]
            t1 = net[r, j + 1]
            vmax = va + (t0 + (t1 - t0) * (va / h - j)) * dt[i]
            # va = min(trace, max(vmax, 0)), branches on real parts
            zero = 0.0 * va
            m = vmax if vmax.real >= 0.0 else zero
            if vt[i + 1] <= m.real:
                va = vt[i + 1] + zero
            else:
                va = m
                behind[r, i] = 1
            # worst = max(worst, low - va)
            gap = low[i + 1] - va
            if not wr.real >= gap.real:
                wr = gap
            lag[r, bins[i]] += 0.5 * ((vt[i] - v_prev) + (vt[i + 1] - va)) * dt[i]
        worst[r] = wr
