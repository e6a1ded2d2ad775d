"""Compiled replay of a recorded tape (:mod:`geometry._tape`): values and forward-mode
gradients of the closed-form body.

Each row ``(op, out, a, b, c)`` is one scalar operation on slots; ``vals`` holds every
slot's value and ``grads[gslot[s]]`` the gradient of slot ``s`` with respect to the
inputs (row 0 is the zero gradient of the slots that carry none). The derivative of each
operation is the one :class:`geometry.ad.D` uses:

* ``a + b``, ``a - b``, ``-a``: ``ga + gb``, ``ga - gb``, ``-ga``;
* ``a b``: ``ga b + gb a``; ``a / b``: ``ga / b - gb (a / b) / b``; ``a^n``: ``ga n a^(n-1)``;
* ``sqrt``: ``ga / (2 sqrt a)``; ``sin``, ``cos``, ``tan``: ``ga cos a``, ``-ga sin a``,
  ``ga (1 + tan^2 a)``; ``arcsin``, ``arccos``: ``+-ga / sqrt(1 - a^2)``; ``arctan``:
  ``ga / (1 + a^2)``; ``arctan2(y, x)``: ``(gy x - gx y) / (x^2 + y^2)``;
* ``select``, ``gather``, ``max``, ``min``: the gradient of the chosen operand; ``sum``:
  the sum of the gradients;
* comparisons, logic, ``sign``, ``isfinite``, ``searchsorted``, ``argmin`` and
  ``stopgrad`` (the real part used for a choice) carry none.

Sums are numpy's: pairwise (blocks of 8 accumulators) along a contiguous axis,
sequential otherwise. One call evaluates one design (:func:`run`) or many (:func:`run_cases`,
values only, the cases of a chunk replayed together row by row).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from keidesign import numbacache

# the cache folder, keyed by the kernels' sources (any checkout reads it)
numbacache.install()

__all__ = ["run", "run_cases"]

#: longest pairwise sum handled (numpy's PW_BLOCKSIZE: one block, no recursion)
MAX_PAIRWISE = 128


@njit(cache=True, error_model="numpy")
def _pairwise(vals: np.ndarray, aux: np.ndarray, off: int, n: int) -> float:
    """numpy's pairwise_sum of ``vals[aux[off:off + n]]`` for n <= 128."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += vals[aux[off + i]]
        return res
    r0 = vals[aux[off]]
    r1 = vals[aux[off + 1]]
    r2 = vals[aux[off + 2]]
    r3 = vals[aux[off + 3]]
    r4 = vals[aux[off + 4]]
    r5 = vals[aux[off + 5]]
    r6 = vals[aux[off + 6]]
    r7 = vals[aux[off + 7]]
    i = 8
    top = n - (n % 8)
    while i < top:
        r0 += vals[aux[off + i]]
        r1 += vals[aux[off + i + 1]]
        r2 += vals[aux[off + i + 2]]
        r3 += vals[aux[off + i + 3]]
        r4 += vals[aux[off + i + 4]]
        r5 += vals[aux[off + i + 5]]
        r6 += vals[aux[off + i + 6]]
        r7 += vals[aux[off + i + 7]]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += vals[aux[off + i]]
        i += 1
    return res


@njit(cache=True, error_model="numpy")
def _lin2(grads: np.ndarray, go: int, ga: int, fa: float, gb: int, fb: float) -> None:
    """Gradient row ``go = ga fa + gb fb`` (row 0 is zero: that term is left out, as
    :class:`geometry.ad.D` leaves out a missing gradient)."""
    P = grads.shape[1]
    if ga and gb:
        for k in range(P):
            grads[go, k] = grads[ga, k] * fa + grads[gb, k] * fb
    elif ga:
        for k in range(P):
            grads[go, k] = grads[ga, k] * fa
    elif gb:
        for k in range(P):
            grads[go, k] = grads[gb, k] * fb
    else:
        for k in range(P):
            grads[go, k] = 0.0


@njit(cache=True, error_model="numpy")
def _replay(rows: np.ndarray, aux: np.ndarray, vals: np.ndarray, gslot: np.ndarray,
            grads: np.ndarray, want_grad: bool) -> None:
    """Run the tape in place on ``vals`` (and the gradients when ``want_grad``).

    ``gslot``: gradient row of the value in each slot (slots are reused: set by every
    row from its column 5; a select, gather, max or min, -1 there, takes the row of the
    operand it picks, no copy)."""
    for r in range(rows.shape[0]):
        op = rows[r, 0]
        o = rows[r, 1]
        a = rows[r, 2]
        b = rows[r, 3]
        c = rows[r, 4]
        go = 0
        if want_grad:
            go = rows[r, 5]
            if go > 0:
                gslot[o] = go
            elif go == 0:
                gslot[o] = 0
        if op == 2:                                   # mul: ga b + gb a
            va = vals[a]
            vb = vals[b]
            vals[o] = va * vb
            if go:
                _lin2(grads, go, gslot[a], vb, gslot[b], va)
        elif op == 0:                                 # add
            vals[o] = vals[a] + vals[b]
            if go:
                _lin2(grads, go, gslot[a], 1.0, gslot[b], 1.0)
        elif op == 1:                                 # sub
            vals[o] = vals[a] - vals[b]
            if go:
                _lin2(grads, go, gslot[a], 1.0, gslot[b], -1.0)
        elif op == 15:                                # select (c ? a : b)
            s = a if vals[c] != 0.0 else b
            vals[o] = vals[s]
            if go:
                gslot[o] = gslot[s]
        elif op == 3:                                 # div: ga / b - gb (a / b) / b
            va = vals[a]
            vb = vals[b]
            q = va / vb
            vals[o] = q
            if go:
                ga = gslot[a]
                gb = gslot[b]
                qb = q / vb
                P = grads.shape[1]
                if ga and gb:
                    for k in range(P):
                        grads[go, k] = grads[ga, k] / vb + (-grads[gb, k] * qb)
                elif ga:
                    for k in range(P):
                        grads[go, k] = grads[ga, k] / vb
                else:
                    for k in range(P):
                        grads[go, k] = -grads[gb, k] * qb
        elif op == 16:                                # gather
            idx = int(vals[b])
            if idx < 0:
                idx = 0
            elif idx > c - 1:
                idx = c - 1
            s = aux[a + idx]
            vals[o] = vals[s]
            if go:
                gslot[o] = gslot[s]
        elif op == 17:                                # sum
            if b == 1:
                vals[o] = _pairwise(vals, aux, a, c)
            else:
                acc = 0.0
                for i in range(c):
                    acc += vals[aux[a + i]]
                vals[o] = acc
            if go:
                P = grads.shape[1]
                for k in range(P):
                    grads[go, k] = 0.0
                for i in range(c):
                    gs = gslot[aux[a + i]]
                    if gs:
                        for k in range(P):
                            grads[go, k] += grads[gs, k]
        elif op == 18 or op == 19:                    # max, min (NaN propagates)
            va = vals[a]
            vb = vals[b]
            if op == 18:
                pick_a = va >= vb or va != va
            else:
                pick_a = va <= vb or va != va
            s = a if pick_a else b
            vals[o] = vals[s]
            if go:
                gslot[o] = gslot[s]
        elif op < 15:                                 # unary (and arctan2)
            va = vals[a]
            if op == 4:
                v = -va
                d = -1.0
            elif op == 5:
                n = vals[b]
                v = va ** n
                d = n * va ** (n - 1.0)
            elif op == 6:
                v = math.sqrt(va) if va >= 0.0 else np.nan
                d = 0.5 / v
            elif op == 7:
                v = math.sin(va)
                d = math.cos(va)
            elif op == 8:
                v = math.cos(va)
                d = -math.sin(va)
            elif op == 9:
                v = math.tan(va)
                d = 1.0 + v * v
            elif op == 10:
                v = math.asin(va) if abs(va) <= 1.0 else np.nan
                d = 1.0 / math.sqrt(1.0 - va * va) if abs(va) < 1.0 else np.nan
            elif op == 11:
                v = math.acos(va) if abs(va) <= 1.0 else np.nan
                d = -1.0 / math.sqrt(1.0 - va * va) if abs(va) < 1.0 else np.nan
            elif op == 12:
                v = math.atan(va)
                d = 1.0 / (1.0 + va * va)
            elif op == 13:                            # arctan2(y=a, x=b)
                xv = vals[b]
                v = math.atan2(va, xv)
                r2 = xv * xv + va * va
                vals[o] = v
                if go:
                    _lin2(grads, go, gslot[a], xv / r2, gslot[b], -(va / r2))
                continue
            else:                                     # abs
                v = abs(va)
                d = 1.0 if va > 0.0 else (-1.0 if va < 0.0 else 0.0)
            vals[o] = v
            if go:
                ga = gslot[a]
                P = grads.shape[1]
                if op == 4:
                    for k in range(P):
                        grads[go, k] = -grads[ga, k]
                else:
                    for k in range(P):
                        grads[go, k] = grads[ga, k] * d
        else:                                         # value-only operations
            va = vals[a] if op < 32 else 0.0          # (search/argmin: a is an offset)
            if op == 20:
                v = va
            elif op == 21:
                v = 1.0 if va > 0.0 else (-1.0 if va < 0.0 else (0.0 if va == 0.0
                                                                   else va))
            elif op == 22:
                v = 1.0 if va < vals[b] else 0.0
            elif op == 23:
                v = 1.0 if va <= vals[b] else 0.0
            elif op == 24:
                v = 1.0 if va > vals[b] else 0.0
            elif op == 25:
                v = 1.0 if va >= vals[b] else 0.0
            elif op == 26:
                v = 1.0 if va == vals[b] else 0.0
            elif op == 27:
                v = 1.0 if va != vals[b] else 0.0
            elif op == 28:
                v = 1.0 if (va != 0.0 and vals[b] != 0.0) else 0.0
            elif op == 29:
                v = 1.0 if (va != 0.0 or vals[b] != 0.0) else 0.0
            elif op == 30:
                v = 1.0 if va == 0.0 else 0.0
            elif op == 31:
                v = 1.0 if math.isfinite(va) else 0.0
            elif op == 32:                            # searchsorted(side="right")
                q = vals[b]
                lo = 0
                hi = c
                while lo < hi:
                    mid = (lo + hi) >> 1
                    if vals[aux[a + mid]] <= q:
                        lo = mid + 1
                    else:
                        hi = mid
                v = float(lo)
            else:                                     # argmin (first minimum)
                best = vals[aux[a]]
                bi = 0
                for i in range(1, c):
                    x = vals[aux[a + i]]
                    if x < best:
                        best = x
                        bi = i
                v = float(bi)
            vals[o] = v


@njit(cache=True, error_model="numpy")
def run(rows: np.ndarray, aux: np.ndarray, init: np.ndarray, inputs: np.ndarray,
        outputs: np.ndarray, gin: np.ndarray, vals: np.ndarray, gwork: np.ndarray,
        grads: np.ndarray, x: np.ndarray, want_grad: bool
        ) -> tuple[np.ndarray, np.ndarray]:
    """Outputs (m,) and, with ``want_grad``, their Jacobian (m, P) at inputs ``x`` (P,).

    ``gin``: gradient row of each input. ``vals``, ``gwork`` (slots) and ``grads``
    (gradient rows x P) are work buffers kept with the tape (no allocation per call)."""
    P = x.shape[0]
    vals[:] = init
    for k in range(P):
        vals[inputs[k]] = x[k]
    if want_grad:
        gwork[:] = 0
        for j in range(P):
            grads[0, j] = 0.0
        for k in range(P):
            g = gin[k]
            gwork[inputs[k]] = g
            for j in range(P):
                grads[g, j] = 0.0
            grads[g, k] = 1.0
    _replay(rows, aux, vals, gwork, grads, want_grad)
    m = outputs.shape[0]
    out = np.empty(m)
    jac = np.zeros((m, P))
    for i in range(m):
        out[i] = vals[outputs[i]]
        if want_grad:
            g = gwork[outputs[i]]
            for k in range(P):
                jac[i, k] = grads[g, k]
    return out, jac


@njit(cache=True, error_model="numpy")
def _pairwise_col(V: np.ndarray, aux: np.ndarray, off: int, n: int, j: int) -> float:
    """:func:`_pairwise` on column j of the case table."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += V[aux[off + i], j]
        return res
    r0 = V[aux[off], j]
    r1 = V[aux[off + 1], j]
    r2 = V[aux[off + 2], j]
    r3 = V[aux[off + 3], j]
    r4 = V[aux[off + 4], j]
    r5 = V[aux[off + 5], j]
    r6 = V[aux[off + 6], j]
    r7 = V[aux[off + 7], j]
    i = 8
    top = n - (n % 8)
    while i < top:
        r0 += V[aux[off + i], j]
        r1 += V[aux[off + i + 1], j]
        r2 += V[aux[off + i + 2], j]
        r3 += V[aux[off + i + 3], j]
        r4 += V[aux[off + i + 4], j]
        r5 += V[aux[off + i + 5], j]
        r6 += V[aux[off + i + 6], j]
        r7 += V[aux[off + i + 7], j]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += V[aux[off + i], j]
        i += 1
    return res


@njit(cache=True, error_model="numpy")
def _replay_cases(rows: np.ndarray, aux: np.ndarray, V: np.ndarray, nc: int) -> None:
    """Values of the tape for ``nc`` cases at once: ``V[slot, case]``; each row's
    operation runs over the cases (the row dispatch is paid once per chunk). Per case the
    arithmetic is that of :func:`_replay`, in the same order (bit-identical results)."""
    for r in range(rows.shape[0]):
        op = rows[r, 0]
        o = rows[r, 1]
        a = rows[r, 2]
        b = rows[r, 3]
        c = rows[r, 4]
        if op == 2:
            for j in range(nc):
                V[o, j] = V[a, j] * V[b, j]
        elif op == 0:
            for j in range(nc):
                V[o, j] = V[a, j] + V[b, j]
        elif op == 1:
            for j in range(nc):
                V[o, j] = V[a, j] - V[b, j]
        elif op == 15:
            for j in range(nc):
                V[o, j] = V[a, j] if V[c, j] != 0.0 else V[b, j]
        elif op == 3:
            for j in range(nc):
                V[o, j] = V[a, j] / V[b, j]
        elif op == 16:
            for j in range(nc):
                idx = int(V[b, j])
                if idx < 0:
                    idx = 0
                elif idx > c - 1:
                    idx = c - 1
                V[o, j] = V[aux[a + idx], j]
        elif op == 17:
            for j in range(nc):
                if b == 1:
                    V[o, j] = _pairwise_col(V, aux, a, c, j)
                else:
                    acc = 0.0
                    for i in range(c):
                        acc += V[aux[a + i], j]
                    V[o, j] = acc
        elif op == 18:
            for j in range(nc):
                va = V[a, j]
                vb = V[b, j]
                V[o, j] = va if (va >= vb or va != va) else vb
        elif op == 19:
            for j in range(nc):
                va = V[a, j]
                vb = V[b, j]
                V[o, j] = va if (va <= vb or va != va) else vb
        elif op < 15:
            for j in range(nc):
                va = V[a, j]
                if op == 4:
                    v = -va
                elif op == 5:
                    v = va ** V[b, j]
                elif op == 6:
                    v = math.sqrt(va) if va >= 0.0 else np.nan
                elif op == 7:
                    v = math.sin(va)
                elif op == 8:
                    v = math.cos(va)
                elif op == 9:
                    v = math.tan(va)
                elif op == 10:
                    v = math.asin(va) if abs(va) <= 1.0 else np.nan
                elif op == 11:
                    v = math.acos(va) if abs(va) <= 1.0 else np.nan
                elif op == 12:
                    v = math.atan(va)
                elif op == 13:
                    v = math.atan2(va, V[b, j])
                else:
                    v = abs(va)
                V[o, j] = v
        else:
            for j in range(nc):
                va = V[a, j] if op < 32 else 0.0
                if op == 20:
                    v = va
                elif op == 21:
                    v = 1.0 if va > 0.0 else (-1.0 if va < 0.0 else (0.0 if va == 0.0
                                                                       else va))
                elif op == 22:
                    v = 1.0 if va < V[b, j] else 0.0
                elif op == 23:
                    v = 1.0 if va <= V[b, j] else 0.0
                elif op == 24:
                    v = 1.0 if va > V[b, j] else 0.0
                elif op == 25:
                    v = 1.0 if va >= V[b, j] else 0.0
                elif op == 26:
                    v = 1.0 if va == V[b, j] else 0.0
                elif op == 27:
                    v = 1.0 if va != V[b, j] else 0.0
                elif op == 28:
                    v = 1.0 if (va != 0.0 and V[b, j] != 0.0) else 0.0
                elif op == 29:
                    v = 1.0 if (va != 0.0 or V[b, j] != 0.0) else 0.0
                elif op == 30:
                    v = 1.0 if va == 0.0 else 0.0
                elif op == 31:
                    v = 1.0 if math.isfinite(va) else 0.0
                elif op == 32:
                    q = V[b, j]
                    lo = 0
                    hi = c
                    while lo < hi:
                        mid = (lo + hi) >> 1
                        if V[aux[a + mid], j] <= q:
                            lo = mid + 1
                        else:
                            hi = mid
                    v = float(lo)
                else:
                    best = V[aux[a], j]
                    bi = 0
                    for i in range(1, c):
                        x = V[aux[a + i], j]
                        if x < best:
                            best = x
                            bi = i
                    v = float(bi)
                V[o, j] = v


#: cases per chunk of :func:`run_cases` (the case table, slots x chunk, stays in cache)
CHUNK = 64


@njit(cache=True, error_model="numpy")
def run_cases(rows: np.ndarray, aux: np.ndarray, init: np.ndarray, inputs: np.ndarray,
              outputs: np.ndarray, gin: np.ndarray, vals: np.ndarray, X: np.ndarray,
              chunk: int = CHUNK) -> np.ndarray:
    """Outputs (n, m) of n designs ``X`` (n, P), values only: one call, chunks of
    ``chunk`` cases replayed together (:func:`_replay_cases`)."""
    n, P = X.shape
    m = outputs.shape[0]
    ns = init.shape[0]
    out = np.empty((n, m))
    V = np.empty((ns, chunk))
    for start in range(0, n, chunk):
        nc = min(chunk, n - start)
        for s in range(ns):
            v = init[s]
            for j in range(nc):
                V[s, j] = v
        for k in range(P):
            for j in range(nc):
                V[inputs[k], j] = X[start + j, k]
        _replay_cases(rows, aux, V, nc)
        for j in range(nc):
            for i in range(m):
                out[start + j, i] = V[outputs[i], j]
    return out
