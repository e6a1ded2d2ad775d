"""Compiled gear choice of a stepped gearbox over a drive cycle (values only).

The rule of :func:`keidesign.energy.powertrains._cycle_engine_speed` (module docstring of
:mod:`.powertrains`): on every interval run in the highest gear whose engine speed is at
least ``w_shift``, at most ``1.1 w_r`` and that keeps 20 % power reserve
(``P_e <= 0.8 P_full(max(w, w_idle))``); else the lowest gear that has the reserve; else
first gear. ``P_full`` is the full-load power of
:func:`~keidesign.energy.powertrains._full_load_power`, evaluated here with the same
floating-point operations in the same order, so the gear index is the one the numpy
reference (``_gear_index_numpy``) gives, bit for bit in every input it sees. The numpy
version builds ``(designs x intervals x gears)`` arrays; this loop needs none
(``cache=True``; numba compiles it once per machine).

The gear choice is a discrete decision taken on real values: its derivative is zero, so
values and the exact partials of the kernels are unchanged by compiling it.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import njit

from keidesign import NUMBA_CACHE_DIR

# numba may have been imported (by CadQuery) before keidesign set NUMBA_CACHE_DIR
numba.config.CACHE_DIR = numba.config.CACHE_DIR or NUMBA_CACHE_DIR

__all__ = ["gear_index"]


@njit(cache=True)
def gear_index(kg, vb, pe, t_r, p_r, w_r, w_idle, w_shift, frac, k, idx):
    """Gear of every design ``r`` and interval ``t``, written to ``idx[r, t]``.

    ``kg`` (n, G): overall ratios (rad/s per m/s, gear 0 first); ``vb`` (T,): interval
    mean speed (m/s); ``pe`` (n, T): engine power demand (W, real part); ``t_r``,
    ``p_r``, ``w_r`` (n,): rated torque (N m), power (W), speed (rad/s); ``w_idle``,
    ``w_shift`` (rad/s); ``frac``, ``k``: the full-load curve shape (0.65/0.3 NA,
    0.40/0.5 turbo). ``idx`` (n, T) int64, overwritten.
    """
    n, n_g = kg.shape
    n_t = vb.shape[0]
    for r in range(n):
        tr = t_r[r]
        pr = p_r[r]
        wr = w_r[r]
        w_lim = 1.1 * wr
        for t in range(n_t):
            demand = pe[r, t]
            best_ok = -1
            first_reserve = -1
            for g in range(n_g):
                w = vb[t] * kg[r, g]
                wm = w if w >= w_idle else w_idle  # np.maximum(w, w_idle)
                low = 1.0 - wm / (frac * wr)
                if not low > 0.0:
                    low = 0.0
                torque = tr * (1.0 - k * low * low)
                over = wm / wr - 1.0
                if not over > 0.0:
                    over = 0.0
                pcap = pr * (1.0 - over)
                p = torque * wm
                if not p <= pcap:
                    p = pcap
                if wm > w_lim:
                    p = 0.0
                reserve = demand <= 0.8 * p
                if reserve and first_reserve < 0:
                    first_reserve = g
                if reserve and w >= w_shift and w <= w_lim:
                    best_ok = g
            if best_ok >= 0:
                idx[r, t] = best_ok
            elif first_reserve >= 0:
                idx[r, t] = first_reserve
            else:
                idx[r, t] = 0


def gear_index_array(kg: np.ndarray, vb: np.ndarray, pe: np.ndarray, t_r: np.ndarray,
                     p_r: np.ndarray, w_r: np.ndarray, w_idle: float, w_shift: float,
                     turbo: bool) -> np.ndarray:
    """:func:`gear_index` on plain real arrays (``(n, G)``, ``(T,)``, ``(n, T)``, ``(n, 1)``
    rated values); returns ``idx`` (n, T)."""
    frac, k = (0.40, 0.5) if turbo else (0.65, 0.3)
    n = kg.shape[0]
    idx = np.empty((n, vb.shape[0]), dtype=np.int64)
    gear_index(np.ascontiguousarray(kg, dtype=float), np.ascontiguousarray(vb, dtype=float),
               np.ascontiguousarray(pe, dtype=float),
               np.ascontiguousarray(np.broadcast_to(t_r, (n, 1))[:, 0], dtype=float),
               np.ascontiguousarray(np.broadcast_to(p_r, (n, 1))[:, 0], dtype=float),
               np.ascontiguousarray(np.broadcast_to(w_r, (n, 1))[:, 0], dtype=float),
               float(w_idle), float(w_shift), frac, k, idx)
    return idx
