"""Forward-mode dual numbers: the one automatic-differentiation class of keidesign.

Models are written once, as plain arithmetic on "numbers" that may be floats, complex
numbers (OpenMDAO's complex step), numpy arrays or :class:`D` values carrying a
gradient; evaluating them on :class:`D` values seeded on a component's inputs gives the
exact (analytic) partial derivatives of the very function computed, by the chain rule,
with no finite differences. Two users:

* the closed-form body geometry (:mod:`geometry.profiles`, :mod:`geometry.closed_form`):
  scalars seeded with :func:`seed`, ~10^3 operations per evaluation (the class is kept
  lean for them), recorded once into a compiled tape (:mod:`geometry._tape`);
* the vectorized drive-cycle and performance kernels (:mod:`keidesign.energy`): arrays
  whose leading axis is the batch of designs and whose last axis is time or speed,
  seeded with :func:`seed_columns`, and the smooth helpers :func:`spos`, :func:`smax`,
  :func:`smin`, :func:`segment_sum`, :func:`gather` they need.

A :class:`D` holds a value ``v`` (a float or an array of any shape ``s``) and a
gradient ``g`` of shape ``s + (P,)``, or ``None`` when no derivative is wanted (then it
is plain numpy arithmetic, complex-safe). Every operation applies the analytic chain
rule of its elementary function (``d(a b) = a db + b da``, ``d sqrt(a) = da / (2
sqrt(a))``, ...); values and gradients may be complex, so models stay complex-step safe.
Comparisons and branch choices (``where``, ``maximum``, gear choices) use the real part
of ``v``. ``tests/test_geometry_closed_form.py`` and ``tests/test_energy.py`` hold every
operation against complex step.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from geometry._tape import Tracer

__all__ = ["D", "arccos", "arcsin", "arctan2", "concat", "cos", "cumsum", "exp", "gather", "log",
           "maximum", "minimum", "real", "seed", "seed_columns", "segment_sum", "sign_choice",
           "sin", "smax", "smin", "spos", "spos_step", "sqrt", "stack", "stack_last", "sum_",
           "tan", "unary", "value", "where"]

_ndarray = np.ndarray


def _ex(v: Any) -> Any:
    """``v`` aligned with a gradient (an extra trailing axis when v is an array)."""
    return v[..., None] if type(v) is _ndarray and v.ndim else v


def _fix(v: Any, g: np.ndarray | None) -> D:
    """A :class:`D` whose gradient is broadcast to the value's shape if needed."""
    if g is not None:
        t = type(v)
        vnd = v.ndim if t is _ndarray else 0
        if g.ndim - 1 != vnd:
            shape = v.shape + g.shape[-1:]
            if v.size * g.shape[-1] <= 2048:
                out = np.empty(shape, g.dtype)     # a small copy beats broadcast_to
                out[...] = g
                g = out
            else:
                g = np.broadcast_to(g, shape)
    return D(v, g)


class D:
    """A value (scalar or array) with an optional gradient along a trailing axis."""

    __slots__ = ("v", "g")
    __array_priority__ = 1000  # numpy scalars/arrays defer to D's reflected operators
    __array_ufunc__ = None     # ... and so do numpy's ufunc operators (ndarray * D)

    def __init__(self, v: Any, g: np.ndarray | None = None) -> None:
        self.v = v
        self.g = g

    @property
    def shape(self) -> tuple[int, ...]:
        return np.shape(self.v)

    def __len__(self) -> int:
        return len(self.v)

    def __repr__(self) -> str:
        return f"D({self.v!r}, g={'None' if self.g is None else self.g.shape})"

    def __getitem__(self, idx: Any) -> D:
        g = self.g
        if g is None:
            return D(self.v[idx])
        if type(idx) is tuple and any(k is Ellipsis for k in idx):
            return D(self.v[idx], g[idx + (slice(None),)])   # keep the gradient axis last
        return D(self.v[idx], g[idx])

    # -- arithmetic ----------------------------------------------------------------
    def __add__(self, o: Any) -> D:
        if type(o) is D:
            a, b = self.g, o.g
            return _fix(self.v + o.v, b if a is None else (a if b is None else a + b))
        return _fix(self.v + o, self.g)

    __radd__ = __add__

    def __sub__(self, o: Any) -> D:
        if type(o) is D:
            a, b = self.g, o.g
            return _fix(self.v - o.v, (None if b is None else -b) if a is None
                        else (a if b is None else a - b))
        return _fix(self.v - o, self.g)

    def __rsub__(self, o: Any) -> D:
        return _fix(o - self.v, None if self.g is None else -self.g)

    def __neg__(self) -> D:
        return D(-self.v, None if self.g is None else -self.g)

    def __mul__(self, o: Any) -> D:
        sv, sg = self.v, self.g
        if type(o) is D:
            ov, og = o.v, o.g
            if sg is None:
                if og is None:
                    return D(sv * ov)
                return D(sv * ov, og * (sv[..., None] if type(sv) is _ndarray and sv.ndim
                                        else sv))
            eo = ov[..., None] if type(ov) is _ndarray and ov.ndim else ov
            if og is None:
                return D(sv * ov, sg * eo)
            return D(sv * ov, sg * eo + og * (sv[..., None] if type(sv) is _ndarray
                                              and sv.ndim else sv))
        if sg is None:
            return D(sv * o)
        return D(sv * o, sg * (o[..., None] if type(o) is _ndarray and o.ndim else o))

    __rmul__ = __mul__

    def __truediv__(self, o: Any) -> D:
        sv, sg = self.v, self.g
        if type(o) is D:
            ov, og = o.v, o.g
            q = sv / ov
            if og is None:
                return D(q, None if sg is None else sg / _ex(ov))
            gq = -og * _ex(q / ov)
            return D(q, gq if sg is None else sg / _ex(ov) + gq)
        return D(sv / o, None if sg is None else sg / _ex(o))

    def __rtruediv__(self, o: Any) -> D:
        q = o / self.v
        return D(q, None if self.g is None else -self.g * _ex(q / self.v))

    def __pow__(self, n: float) -> D:
        v = self.v
        return D(v ** n, None if self.g is None else self.g * _ex(n * v ** (n - 1)))

    # -- comparisons (on the real part) ---------------------------------------------
    def __lt__(self, o: Any) -> Any:
        return np.real(self.v) < np.real(value(o))

    def __le__(self, o: Any) -> Any:
        return np.real(self.v) <= np.real(value(o))

    def __gt__(self, o: Any) -> Any:
        return np.real(self.v) > np.real(value(o))

    def __ge__(self, o: Any) -> Any:
        return np.real(self.v) >= np.real(value(o))

    # -- reductions / reshaping -------------------------------------------------------
    def sum(self, axis: int | None = None) -> D:
        g = self.g
        if axis is None:
            return D(self.v.sum(), None if g is None else g.reshape(-1, g.shape[-1]).sum(0))
        return D(self.v.sum(axis), None if g is None else g.sum(axis))

    def reshape(self, *shape: int) -> D:
        g = self.g
        return D(self.v.reshape(*shape), None if g is None else g.reshape(*shape, g.shape[-1]))

    def take(self, idx: Any, axis: int = 0) -> D:
        g = self.g
        if axis == 0:
            return D(self.v[idx], None if g is None else g[idx])
        return D(np.take(self.v, idx, axis=axis),
                 None if g is None else np.take(g, idx, axis=axis))


def value(x: Any) -> Any:
    """The value part of ``x`` (``x`` itself when it is not a :class:`D`)."""
    return x.v if type(x) is D else x


def real(x: Any) -> Any:
    """Real part of the value (for comparisons and branch choices)."""
    v = x.v if type(x) is D else x
    t = type(v)
    if t is float:
        return v
    if t is _ndarray or t is np.float64:
        return v.real
    return np.real(v)


def seed(values: Sequence[Any]) -> list[D]:
    """Independent variables: ``D(values[i], e_i)`` for each scalar value."""
    eye = np.eye(len(values))
    return [D(float(np.real(v)), eye[i]) for i, v in enumerate(values)]


def seed_columns(values: Any, n_param: int | None = None, offset: int = 0) -> D:
    """Independent variables of a batch: ``values`` shape ``(n, k)``, column ``j`` of
    every design gets the gradient ``e_{offset + j}`` in a space of ``n_param``
    parameters (default ``k``)."""
    v = np.asarray(values)
    n, k = v.shape
    p = k if n_param is None else n_param
    g = np.zeros((n, k, p), dtype=v.dtype)
    g[:, np.arange(k), offset + np.arange(k)] = 1.0
    return D(v, g)


def sign_choice(x: Any) -> Any:
    """``1.0 if real(x) > 0 else -1.0``: a Python choice on numbers, a recorded select on
    a :class:`geometry._tape.Tracer` (so a recorded tape keeps the choice)."""
    if type(x) is Tracer:
        return np.where(x > 0, 1.0, -1.0)
    return 1.0 if float(np.real(value(x))) > 0 else -1.0


def unary(x: Any, f: Any, df: Any) -> Any:
    """``f(x)`` for an elementwise function ``f`` with derivative ``df(a, f(a))``: a new
    primitive (``sqrt``, ``exp``, ... are built this way)."""
    if type(x) is not D:
        return f(x)
    v = f(x.v)
    return D(v, None if x.g is None else x.g * _ex(df(x.v, v)))


def sqrt(x: Any) -> Any:
    return unary(x, np.sqrt, lambda a, v: 0.5 / v)


def exp(x: Any) -> Any:
    return unary(x, np.exp, lambda a, v: v)


def log(x: Any) -> Any:
    return unary(x, np.log, lambda a, v: 1.0 / a)


def sin(x: Any) -> Any:
    return unary(x, np.sin, lambda a, v: np.cos(a))


def cos(x: Any) -> Any:
    return unary(x, np.cos, lambda a, v: -np.sin(a))


def tan(x: Any) -> Any:
    return unary(x, np.tan, lambda a, v: 1.0 + v * v)


def arctan(x: Any) -> Any:
    return unary(x, np.arctan, lambda a, v: 1.0 / (1.0 + a * a))


def arcsin(x: Any) -> Any:
    return unary(x, np.arcsin, lambda a, v: 1.0 / np.sqrt(1.0 - a * a))


def arccos(x: Any) -> Any:
    return unary(x, np.arccos, lambda a, v: -1.0 / np.sqrt(1.0 - a * a))


def _atan2(yv: Any, xv: Any) -> Any:
    """atan2 that is analytic in complex arguments (branch chosen on the real parts)."""
    if not np.iscomplexobj(yv) and not np.iscomplexobj(xv):
        return np.arctan2(yv, xv)
    yr, xr = np.real(yv), np.real(xv)
    use_x = np.abs(xr) >= np.abs(yr)
    xs = np.where(use_x, xv, 1.0)
    ys = np.where(use_x, 1.0, yv)
    a = np.arctan(np.where(use_x, yv, 0.0) / xs) + np.where(xr < 0, np.where(yr >= 0, np.pi,
                                                                              -np.pi), 0.0)
    b = np.where(yr >= 0, 0.5 * np.pi, -0.5 * np.pi) - np.arctan(np.where(use_x, 0.0, xv) / ys)
    return np.where(use_x, a, b)


def arctan2(y: Any, x: Any) -> Any:
    """Elementwise atan2(y, x) with its derivative (complex-step safe)."""
    yv, xv = value(y), value(x)
    v = _atan2(yv, xv)
    if type(y) is not D and type(x) is not D:
        return v
    r2 = xv * xv + yv * yv
    g = None
    if type(y) is D and y.g is not None:
        g = y.g * _ex(xv / r2)
    if type(x) is D and x.g is not None:
        gx = -x.g * _ex(yv / r2)
        g = gx if g is None else g + gx
    return D(v, g)


def where(cond: Any, a: Any, b: Any) -> Any:
    """Elementwise ``a if cond else b`` (``cond`` a boolean array or bool)."""
    ad_, bd = type(a) is D, type(b) is D
    if not ad_ and not bd:
        return np.where(cond, a, b)
    av = a.v if ad_ else a
    bv = b.v if bd else b
    tc = type(cond)
    if (tc is bool or tc is np.bool_) and ad_ and bd and a.g is not None \
            and b.g is not None and np.shape(av) == np.shape(bv) \
            and a.g.shape == b.g.shape:
        pick = a if cond else b                  # same shapes: a plain choice
        return D(np.where(cond, av, bv), pick.g)
    v = np.where(cond, av, bv)
    ga = a.g if ad_ else None
    gb = b.g if bd else None
    if ga is None and gb is None:
        return D(v)
    c = cond[..., None] if tc is _ndarray and cond.ndim else cond
    if ga is None:
        return D(v, np.where(c, 0.0, gb))
    if gb is None:
        return D(v, np.where(c, ga, 0.0))
    return D(v, np.where(c, ga, gb))


def _is_real(a: Any) -> bool:
    t = type(a)
    return t is float or t is int or ((t is _ndarray or t is np.float64) and a.dtype.kind == "f")


def _plain_real(a: Any, b: Any) -> bool:
    return _is_real(a) and _is_real(b)


def maximum(a: Any, b: Any) -> Any:
    """Elementwise maximum, chosen on the real parts (complex-step safe)."""
    if _plain_real(a, b):
        return np.maximum(a, b)
    return where(real(a) >= real(b), a, b)


def minimum(a: Any, b: Any) -> Any:
    """Elementwise minimum, chosen on the real parts (complex-step safe)."""
    if _plain_real(a, b):
        return np.minimum(a, b)
    return where(real(a) <= real(b), a, b)


def _gaxis(axis: int) -> int:
    """The gradient array's axis of value axis ``axis`` (negative axes count from the
    last value axis, the gradient axis being last)."""
    return axis if axis >= 0 else axis - 1


def cumsum(x: Any, axis: int = 0) -> Any:
    """Cumulative sum along a value axis (default the first)."""
    if type(x) is not D:
        return np.cumsum(x, axis=axis)
    return D(np.cumsum(x.v, axis=axis),
             None if x.g is None else np.cumsum(x.g, axis=_gaxis(axis)))


def sum_(x: Any, axis: int = -1) -> Any:
    """Sum along a value axis (default the last)."""
    if type(x) is not D:
        return np.sum(x, axis=axis)
    return D(np.sum(x.v, axis=axis), None if x.g is None else np.sum(x.g, axis=_gaxis(axis)))


def _grad_size(items: Sequence[Any]) -> int | None:
    for x in items:
        if type(x) is D and x.g is not None:
            return x.g.shape[-1]
    return None


def stack(items: Sequence[Any]) -> Any:
    """Stack scalars/arrays (floats or :class:`D`) along a new leading axis."""
    if any(type(x) is Tracer for x in items):
        return np.stack(items)
    if all(type(x) is not D and np.ndim(x) == 0 for x in items):
        return np.array(items)
    p = _grad_size(items)
    vals = [x.v if type(x) is D else x for x in items]
    shapes = [np.shape(v) for v in vals]
    shape = shapes[0]
    if all(s == shape for s in shapes):
        v = np.array(vals) if not shape else np.stack(vals)
    else:
        shape = np.broadcast_shapes(*shapes)
        v = np.stack([np.broadcast_to(x, shape) for x in vals])
    if p is None:
        return D(v) if any(type(x) is D for x in items) else v
    gshape = shape + (p,)
    zero = None
    gs = []
    for x in items:
        g = x.g if type(x) is D else None
        if g is None:
            if zero is None:
                zero = np.zeros(gshape)
            g = zero
        elif g.shape != gshape:
            g = np.broadcast_to(g, gshape)
        gs.append(g)
    return D(v, np.stack(gs))


def concat(items: Sequence[Any]) -> Any:
    """Concatenate 1-D arrays (floats or :class:`D`) along axis 0."""
    p = _grad_size(items)
    vals = [np.atleast_1d(x.v if type(x) is D else x) for x in items]
    v = np.concatenate(vals)
    if p is None:
        return D(v) if any(type(x) is D for x in items) else v
    g = np.concatenate([np.atleast_2d(x.g) if type(x) is D and x.g is not None
                        else np.zeros((len(vx), p)) for x, vx in zip(items, vals, strict=True)])
    return D(v, g)


# ------------------------------------------------------------ smooth helpers of the kernels
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
    if type(x) is not D:
        return np.add.reduceat(x, starts, axis=-1)
    return D(np.add.reduceat(x.v, starts, axis=-1),
             None if x.g is None else np.add.reduceat(x.g, starts, axis=-2))


def gather(table: Any, idx: np.ndarray) -> Any:
    """``out[i, t] = table[i, idx[i, t]]`` for a per-design table ``(n, G)``."""
    n = np.shape(value(table))[0]
    rows = np.arange(n)[:, None]
    if type(table) is not D:
        return np.asarray(table)[rows, idx]
    return D(table.v[rows, idx], None if table.g is None else table.g[rows, idx])


def stack_last(items: Sequence[Any]) -> Any:
    """Stack value arrays along a new last value axis (broadcast to one shape)."""
    if not any(type(i) is D for i in items):
        return np.stack(items, axis=-1)
    p = _grad_size(items)
    shape = np.broadcast_shapes(*(np.shape(value(i)) for i in items))
    v = np.stack([np.broadcast_to(value(i), shape) for i in items], axis=-1)
    if p is None:
        return D(v)
    g = np.stack([np.broadcast_to(i.g, shape + (p,)) if type(i) is D and i.g is not None
                  else np.zeros(shape + (p,), dtype=v.dtype) for i in items], axis=-2)
    return D(v, g)
