"""Forward-mode derivatives for the vectorized drive-cycle and performance kernels.

The kernels (:mod:`.powertrains`, :mod:`.performance`) are written once, on arrays whose
leading axis is the batch of designs and whose last axis is time (or speed). They run on
plain ``numpy`` arrays (values only: the fast path used for batches and benchmarks) or on
:class:`Dual` arrays, which carry next to each value ``v`` its gradient ``d`` with
respect to ``p`` scalar parameters per design (shape ``v.shape + (p,)``).

Every operation below applies the analytic chain rule of its elementary function
(``d(a b) = a db + b da``, ``d sqrt(a) = da / (2 sqrt(a))``, ...), so the partials the
OpenMDAO components return are exact, not finite differences; ``tests/test_energy*.py``
checks them against complex step. Values and gradients may be complex, so the kernels
stay complex-step safe; branch decisions (``where``, gear choice, the positive part
``max``) are taken on the real part.

Only what the kernels need is implemented: arithmetic, ``sqrt``, ``exp``, ``log``,
powers with constant exponent, ``where``, sums and cumulative sums along an axis,
indexing on value axes, and the smooth ``spos`` / ``smax`` / ``smin`` used to keep the
cycle results differentiable (``spos(x) = (x + sqrt(x^2 + eps^2)) / 2``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "Dual", "cumsum", "exp", "gather", "is_dual", "log", "maximum", "minimum", "real",
    "seed", "segment_sum", "smax", "smin", "spos", "spos_step", "sqrt", "stack_last",
    "sum_", "value", "where",
]


class Dual:
    """An array value ``v`` with its gradient ``d`` (``v.shape + (p,)``)."""

    __slots__ = ("v", "d")
    __array_ufunc__ = None  # numpy arrays defer to our reflected operators

    def __init__(self, v: Any, d: Any):
        self.v = v
        self.d = d

    # ------------------------------------------------------------------ helpers
    @property
    def shape(self) -> tuple[int, ...]:
        return np.shape(self.v)

    @property
    def real(self) -> np.ndarray:
        return np.real(self.v)

    def __len__(self) -> int:
        return len(self.v)

    def __getitem__(self, key: Any) -> Dual:
        if not isinstance(key, tuple):
            key = (key,)
        if any(k is Ellipsis for k in key):
            return Dual(self.v[key], self.d[key + (slice(None),)])
        full = key + (slice(None),) * (np.ndim(self.v) - len(key)) + (slice(None),)
        return Dual(self.v[key], self.d[full])

    def __repr__(self) -> str:
        return f"Dual(v={self.v!r}, d.shape={np.shape(self.d)})"

    # ------------------------------------------------------------------ arithmetic
    def __neg__(self) -> Dual:
        return Dual(-self.v, -self.d)

    def __add__(self, o: Any) -> Dual:
        if isinstance(o, Dual):
            return Dual(self.v + o.v, self.d + o.d)
        return Dual(self.v + o, _bcast(self.d, np.shape(self.v + o)))

    __radd__ = __add__

    def __sub__(self, o: Any) -> Dual:
        if isinstance(o, Dual):
            return Dual(self.v - o.v, self.d - o.d)
        return Dual(self.v - o, _bcast(self.d, np.shape(self.v - o)))

    def __rsub__(self, o: Any) -> Dual:
        return Dual(o - self.v, _bcast(-self.d, np.shape(o - self.v)))

    def __mul__(self, o: Any) -> Dual:
        if isinstance(o, Dual):
            return Dual(self.v * o.v, _e(o.v) * self.d + _e(self.v) * o.d)
        return Dual(self.v * o, _e(o) * self.d)

    __rmul__ = __mul__

    def __truediv__(self, o: Any) -> Dual:
        if isinstance(o, Dual):
            q = self.v / o.v
            return Dual(q, (self.d - _e(q) * o.d) / _e(o.v))
        return Dual(self.v / o, self.d / _e(o))

    def __rtruediv__(self, o: Any) -> Dual:
        q = o / self.v
        return Dual(q, _e(-q / self.v) * self.d)

    def __pow__(self, k: float) -> Dual:
        if isinstance(k, Dual):
            raise TypeError("Dual ** Dual is not needed here")
        return Dual(self.v**k, _e(k * self.v ** (k - 1)) * self.d)

    # comparisons act on the real value (branch decisions)
    def __gt__(self, o: Any) -> np.ndarray:
        return np.real(self.v) > np.real(value(o))

    def __ge__(self, o: Any) -> np.ndarray:
        return np.real(self.v) >= np.real(value(o))

    def __lt__(self, o: Any) -> np.ndarray:
        return np.real(self.v) < np.real(value(o))

    def __le__(self, o: Any) -> np.ndarray:
        return np.real(self.v) <= np.real(value(o))


def _e(x: Any) -> Any:
    """Append a gradient axis to a value-shaped factor."""
    return np.asarray(x)[..., None]


def _bcast(d: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    return np.broadcast_to(d, tuple(shape) + d.shape[-1:])


def is_dual(x: Any) -> bool:
    return isinstance(x, Dual)


def value(x: Any) -> Any:
    """The value of ``x`` (a :class:`Dual` or a plain array)."""
    return x.v if isinstance(x, Dual) else x


def real(x: Any) -> np.ndarray:
    """Real part of the value (for branch decisions)."""
    return np.real(value(x))


def seed(values: Any, n_param: int | None = None, offset: int = 0) -> Dual:
    """Independent variables: ``values`` shape ``(n, k)`` -> Dual with unit gradients.

    Column ``j`` of every design gets gradient ``e_{offset + j}`` in a space of
    ``n_param`` parameters (default ``k``). Returns shape ``(n, k)``.
    """
    v = np.asarray(values)
    n, k = v.shape
    p = k if n_param is None else n_param
    d = np.zeros((n, k, p), dtype=v.dtype)
    d[:, np.arange(k), offset + np.arange(k)] = 1.0
    return Dual(v, d)


def sqrt(x: Any) -> Any:
    if isinstance(x, Dual):
        r = np.sqrt(x.v)
        return Dual(r, x.d / _e(2.0 * r))
    return np.sqrt(x)


def exp(x: Any) -> Any:
    if isinstance(x, Dual):
        e = np.exp(x.v)
        return Dual(e, _e(e) * x.d)
    return np.exp(x)


def log(x: Any) -> Any:
    if isinstance(x, Dual):
        return Dual(np.log(x.v), x.d / _e(x.v))
    return np.log(x)


def where(cond: np.ndarray, a: Any, b: Any) -> Any:
    """``np.where`` on values and gradients (``cond`` is a plain boolean array)."""
    if not (isinstance(a, Dual) or isinstance(b, Dual)):
        return np.where(cond, a, b)
    v = np.where(cond, value(a), value(b))
    p = (a if isinstance(a, Dual) else b).d.shape[-1]
    da = a.d if isinstance(a, Dual) else np.zeros((1,) * np.ndim(value(a)) + (p,))
    db = b.d if isinstance(b, Dual) else np.zeros((1,) * np.ndim(value(b)) + (p,))
    cond = np.asarray(cond)
    d = np.where(cond[..., None], da, db)
    return Dual(v, _bcast(d, np.shape(v)) if d.shape[:-1] != np.shape(v) else d)


def sum_(x: Any, axis: int = -1) -> Any:
    """Sum along a value axis (negative axes count from the last value axis)."""
    if isinstance(x, Dual):
        ax = axis if axis >= 0 else axis - 1
        return Dual(np.sum(x.v, axis=axis), np.sum(x.d, axis=ax))
    return np.sum(x, axis=axis)


def cumsum(x: Any, axis: int = -1) -> Any:
    if isinstance(x, Dual):
        ax = axis if axis >= 0 else axis - 1
        return Dual(np.cumsum(x.v, axis=axis), np.cumsum(x.d, axis=ax))
    return np.cumsum(x, axis=axis)


def spos(x: Any, eps: float) -> Any:
    """Smooth positive part ``(x + sqrt(x^2 + eps^2)) / 2`` (exact ``max(x, 0)`` for
    ``eps = 0``, derivative 1 or 0 taken on the real part)."""
    if eps == 0.0:
        return where(real(x) > 0.0, x, 0.0 * x)
    return 0.5 * (x + sqrt(x * x + eps * eps))


def spos_step(x: Any, eps: float) -> Any:
    """Derivative of :func:`spos`: a smooth step from 0 to 1, ``(1 + x/sqrt(x^2+eps^2))/2``."""
    if eps == 0.0:
        return (real(x) > 0.0).astype(float) + 0.0 * value(x)
    return 0.5 * (1.0 + x / sqrt(x * x + eps * eps))


def smax(a: Any, b: Any, eps: float) -> Any:
    """Smooth maximum ``b + spos(a - b)`` (``eps`` in the units of a and b)."""
    return b + spos(a - b, eps)


def smin(a: Any, b: Any, eps: float) -> Any:
    """Smooth minimum ``a - spos(a - b)``."""
    return a - spos(a - b, eps)


def segment_sum(x: Any, starts: np.ndarray) -> Any:
    """Sums of consecutive segments of the last value axis (``np.add.reduceat``)."""
    if isinstance(x, Dual):
        return Dual(np.add.reduceat(x.v, starts, axis=-1),
                    np.add.reduceat(x.d, starts, axis=-2))
    return np.add.reduceat(x, starts, axis=-1)


def gather(table: Any, idx: np.ndarray) -> Any:
    """``out[i, t] = table[i, idx[i, t]]`` for a per-design table ``(n, G)``."""
    n, _ = np.shape(value(table))
    rows = np.arange(n)[:, None]
    if isinstance(table, Dual):
        return Dual(table.v[rows, idx], table.d[rows, idx])
    return np.asarray(table)[rows, idx]


def stack_last(items: list[Any]) -> Any:
    """Stack value arrays of equal shape along a new last value axis."""
    if not any(isinstance(i, Dual) for i in items):
        return np.stack(items, axis=-1)
    p = next(i for i in items if isinstance(i, Dual)).d.shape[-1]
    shape = np.broadcast_shapes(*(np.shape(value(i)) for i in items))
    v = np.stack([np.broadcast_to(value(i), shape) for i in items], axis=-1)
    d = np.stack([_bcast(i.d, shape) if isinstance(i, Dual)
                  else np.zeros(shape + (p,), dtype=v.dtype) for i in items], axis=-2)
    return Dual(v, d)


def maximum(a: Any, b: Any) -> Any:
    """Exact maximum (gradient of the larger branch)."""
    return where(real(a) >= real(b), a, b)


def minimum(a: Any, b: Any) -> Any:
    """Exact minimum (gradient of the smaller branch)."""
    return where(real(a) <= real(b), a, b)
