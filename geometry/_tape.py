"""Record a closed form once as a flat tape of scalar operations, replay it compiled.

The closed-form body (:func:`geometry.closed_form.closed_form`) is plain arithmetic on
"numbers" (:mod:`geometry.ad`). Evaluated once on :class:`Tracer` values, every scalar
it computes gets a *slot* and every operation is appended to a tape as a row
``(op, out, a, b, c)``; value-dependent choices are recorded as operations too, never
taken in Python: comparisons give 0/1 slots, ``where`` with a traced condition is a
select, ``searchsorted``/``argmin`` give index slots and indexing with a traced index is
a gather. The tape therefore holds for *every* input, not only the traced one (a Python
``if``, ``float()`` or ``int()`` on a traced value raises instead of silently freezing a
branch). Selections on constant conditions, slicing, reshaping, concatenation and
stacking are resolved at trace time (they only move slot numbers).

:func:`geometry._tape_kernel.run` replays the tape (numba): values, and with ``want_grad``
the forward-mode gradient of every slot with respect to the inputs, using the same
derivative formulas as :class:`geometry.ad.D` (so the partials equal the dual-number
ones to round-off). Sums follow numpy's pairwise summation, so values match the numpy
evaluation to the last bit except where numba's (libm) and numpy's ``sin``/``cos``/
``tan``/``arcsin``/``arccos``/``arctan2``/``power`` differ by an ulp (the body: ~97 % of
the outputs bit-identical, the rest within ~1e-13 relative).

Supported: numpy ufuncs of :data:`_UFUNCS`, ``where``, ``concatenate``, ``stack``,
``searchsorted(side="right")``, ``argmin``, ``cumsum`` (1-D), ``reshape``, ``real``,
``sum`` and ``min`` reductions, indexing; anything else raises while recording.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["OPS", "Tape", "Tracer", "record"]

# opcodes (geometry/_tape_kernel.py switches on these numbers)
OPS = {name: k for k, name in enumerate((
    "add", "sub", "mul", "div", "neg", "pow", "sqrt", "sin", "cos", "tan", "arcsin",
    "arccos", "arctan", "arctan2", "abs", "select", "gather", "sum", "max", "min",
    # value-only (no derivative) below
    "stopgrad", "sign", "lt", "le", "gt", "ge", "eq", "ne", "and", "or", "not",
    "isfinite", "search", "argmin"))}
#: first opcode whose result carries no derivative
NO_GRAD = OPS["stopgrad"]

_UFUNCS = {np.add: "add", np.subtract: "sub", np.multiply: "mul", np.true_divide: "div",
           np.negative: "neg", np.power: "pow", np.sqrt: "sqrt", np.sin: "sin",
           np.cos: "cos", np.tan: "tan", np.arcsin: "arcsin", np.arccos: "arccos",
           np.arctan: "arctan", np.arctan2: "arctan2", np.absolute: "abs",
           np.maximum: "max", np.minimum: "min", np.sign: "sign", np.less: "lt",
           np.less_equal: "le", np.greater: "gt", np.greater_equal: "ge", np.equal: "eq",
           np.not_equal: "ne", np.logical_and: "and", np.bitwise_and: "and",
           np.logical_or: "or", np.bitwise_or: "or", np.logical_not: "not",
           np.invert: "not", np.isfinite: "isfinite"}

_REC: Recorder | None = None


class Recorder:
    """Slots and tape rows being recorded."""

    def __init__(self) -> None:
        self.n = 0
        self.rows: list[np.ndarray] = []          # (m, 5) int64 blocks
        self.aux: list[np.ndarray] = []           # slot lists of gather/search/sum/argmin
        self.naux = 0
        self.const_ids: list[np.ndarray] = []
        self.const_vals: list[np.ndarray] = []
        self._scalar_consts: dict[tuple[float, bool], int] = {}

    def new(self, shape: tuple[int, ...]) -> np.ndarray:
        m = int(np.prod(shape, dtype=np.int64))
        ids = np.arange(self.n, self.n + m, dtype=np.int64).reshape(shape)
        self.n += m
        return ids

    def const(self, v: Any) -> np.ndarray:
        """Slots holding constant values (scalars shared)."""
        a = np.asarray(v, dtype=float)
        if a.ndim == 0:
            key = (float(a), bool(np.signbit(a)))
            i = self._scalar_consts.get(key)
            if i is None:
                i = int(self.new(())[()])
                self._scalar_consts[key] = i
                self.const_ids.append(np.array([i]))
                self.const_vals.append(np.array([key[0]]))
            return np.array(i, dtype=np.int64)
        return np.array([self.const(v) for v in a.reshape(-1)],
                        np.int64).reshape(a.shape)   # one slot per distinct value

    def emit(self, op: str, out: np.ndarray, a: Any = -1, b: Any = -1, c: Any = -1) -> None:
        m = out.size
        block = np.empty((m, 5), np.int64)
        block[:, 0] = OPS[op]
        block[:, 1] = out.reshape(-1)
        for j, x in ((2, a), (3, b), (4, c)):
            block[:, j] = np.broadcast_to(np.asarray(x, np.int64), out.shape).reshape(-1) \
                if np.ndim(x) else x
        self.rows.append(block)

    def add_aux(self, ids: np.ndarray) -> int:
        off = self.naux
        self.aux.append(np.asarray(ids, np.int64).reshape(-1))
        self.naux += len(self.aux[-1])
        return off


def _split(x: Any) -> tuple[np.ndarray, np.ndarray]:
    """(value, slot ids) of a traced or constant operand."""
    if type(x) is Tracer:
        return x.v, x.i
    v = np.asarray(x)
    if v.dtype == object:
        raise TypeError("object array in a traced expression")
    assert _REC is not None
    return v, _REC.const(v)


class Tracer:
    """A traced value: numpy value ``v`` (as computed at the tracing point) and the slot
    number of each element ``i`` (same shape)."""

    __slots__ = ("v", "i")
    __array_priority__ = 2000

    def __init__(self, v: Any, i: np.ndarray) -> None:
        self.v = np.asarray(v)
        self.i = np.asarray(i, np.int64)

    # -- shape ------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.v.shape

    @property
    def ndim(self) -> int:
        return self.v.ndim

    @property
    def size(self) -> int:
        return self.v.size

    def __len__(self) -> int:
        return len(self.v)

    def __repr__(self) -> str:
        return f"Tracer({self.v!r})"

    def __bool__(self) -> bool:
        raise TypeError("value-dependent Python branch on a traced value")

    def __float__(self) -> float:
        raise TypeError("float() of a traced value")

    __int__ = __index__ = __float__     # type: ignore[assignment]

    def __getitem__(self, idx: Any) -> Tracer:
        if type(idx) is Tracer:
            return self.take(idx)
        return Tracer(self.v[idx], self.i[idx])

    def take(self, idx: Any, axis: int = 0) -> Tracer:
        if axis != 0:
            raise NotImplementedError("take along axis != 0")
        if type(idx) is not Tracer:
            return Tracer(self.v[idx], self.i[idx])
        return _gather(self, idx)

    def reshape(self, *shape: Any) -> Tracer:
        return Tracer(self.v.reshape(*shape), self.i.reshape(*shape))

    @property
    def real(self) -> Tracer:
        return _stopgrad(self)

    def sum(self, axis: int | None = None) -> Tracer:
        return _sum(self, axis)

    def min(self, axis: int | None = None) -> Tracer:
        if axis is None:
            flat = self.reshape(-1)
            out = flat[0]
            for k in range(1, flat.size):
                out = np.minimum(out, flat[k])
            return out
        moved = Tracer(np.moveaxis(self.v, axis, -1), np.moveaxis(self.i, axis, -1))
        out = moved[..., 0]
        for k in range(1, moved.shape[-1]):
            out = np.minimum(out, moved[..., k])
        return out

    # -- operators ----------------------------------------------------------------------
    def __add__(self, o: Any) -> Tracer:
        return np.add(self, o)

    def __radd__(self, o: Any) -> Tracer:
        return np.add(o, self)

    def __sub__(self, o: Any) -> Tracer:
        return np.subtract(self, o)

    def __rsub__(self, o: Any) -> Tracer:
        return np.subtract(o, self)

    def __mul__(self, o: Any) -> Tracer:
        return np.multiply(self, o)

    def __rmul__(self, o: Any) -> Tracer:
        return np.multiply(o, self)

    def __truediv__(self, o: Any) -> Tracer:
        return np.true_divide(self, o)

    def __rtruediv__(self, o: Any) -> Tracer:
        return np.true_divide(o, self)

    def __pow__(self, o: Any) -> Tracer:
        return np.power(self, o)

    def __neg__(self) -> Tracer:
        return np.negative(self)

    def __abs__(self) -> Tracer:
        return np.absolute(self)

    def __lt__(self, o: Any) -> Tracer:
        return np.less(self, o)

    def __le__(self, o: Any) -> Tracer:
        return np.less_equal(self, o)

    def __gt__(self, o: Any) -> Tracer:
        return np.greater(self, o)

    def __ge__(self, o: Any) -> Tracer:
        return np.greater_equal(self, o)

    def __and__(self, o: Any) -> Tracer:
        return np.logical_and(self, o)

    __rand__ = __and__

    def __or__(self, o: Any) -> Tracer:
        return np.logical_or(self, o)

    __ror__ = __or__

    def __invert__(self) -> Tracer:
        return np.logical_not(self)

    # -- numpy protocols ------------------------------------------------------------
    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kw: Any) -> Any:
        name = _UFUNCS.get(ufunc)
        if method != "__call__" or name is None or kw:
            raise NotImplementedError(f"traced {ufunc.__name__}.{method} {kw}")
        vals, ids = zip(*(_split(x) for x in inputs), strict=True)
        with np.errstate(all="ignore"):
            v = ufunc(*vals)
        assert _REC is not None
        out = _REC.new(np.shape(v))
        bi = np.broadcast_arrays(*ids, out)
        _REC.emit(name, out, bi[0], bi[1] if len(ids) > 1 else -1)
        return Tracer(v, out)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        impl = _FUNCS.get(func)
        if impl is None:
            raise NotImplementedError(f"traced {func.__name__}")
        return impl(*args, **kwargs)


def _stopgrad(x: Tracer) -> Tracer:
    assert _REC is not None
    out = _REC.new(x.shape)
    _REC.emit("stopgrad", out, x.i)
    return Tracer(x.v.real, out)


def _gather(table: Tracer, idx: Tracer) -> Tracer:
    assert _REC is not None
    if table.ndim != 1:
        raise NotImplementedError("gather from a multi-dimensional table")
    off = _REC.add_aux(table.i)
    out = _REC.new(idx.shape)
    _REC.emit("gather", out, off, idx.i, len(table.i))
    return Tracer(table.v[idx.v.astype(np.int64)], out)


def _sum(x: Tracer, axis: int | None) -> Tracer:
    """Sum with numpy's order: pairwise along a contiguous (last or only) axis,
    sequential along a leading axis of a 2-D array."""
    assert _REC is not None
    if axis is None or x.ndim == 1:
        lists, pairwise, shape = [x.i.reshape(-1)], 1, ()
    elif axis in (x.ndim - 1, -1):
        lists, pairwise, shape = list(x.i.reshape(-1, x.shape[-1])), 1, x.shape[:-1]
    elif axis == 0 and x.ndim == 2:
        lists, pairwise, shape = list(x.i.T), 0, x.shape[1:]
    else:
        raise NotImplementedError(f"traced sum over axis {axis} of {x.shape}")
    out = _REC.new(shape).reshape(-1)
    for k, ids in enumerate(lists):
        off = _REC.add_aux(ids)
        _REC.emit("sum", out[k:k + 1], off, pairwise, len(ids))
    return Tracer(x.v.sum(axis), out.reshape(shape))


def _where(cond: Any, a: Any, b: Any) -> Tracer:
    assert _REC is not None
    if type(cond) is not Tracer:                 # a fixed choice: slots only
        (av, ai), (bv, bi) = _split(a), _split(b)
        return Tracer(np.where(cond, av, bv), np.where(cond, ai, bi))
    (av, ai), (bv, bi) = _split(a), _split(b)
    v = np.where(cond.v, av, bv)
    out = _REC.new(v.shape)
    c, ai, bi, _ = np.broadcast_arrays(cond.i, ai, bi, out)
    _REC.emit("select", out, ai, bi, c)
    return Tracer(v, out)


def _concatenate(items: Sequence[Any], axis: int = 0) -> Tracer:
    parts = [_split(x) for x in items]
    return Tracer(np.concatenate([p[0] for p in parts], axis),
                  np.concatenate([p[1] for p in parts], axis))


def _stack(items: Sequence[Any], axis: int = 0) -> Tracer:
    parts = [_split(x) for x in items]
    shape = np.broadcast_shapes(*(np.shape(p[0]) for p in parts))
    return Tracer(np.stack([np.broadcast_to(p[0], shape) for p in parts], axis),
                  np.stack([np.broadcast_to(p[1], shape) for p in parts], axis))


def _searchsorted(table: Any, q: Any, side: str = "left") -> Tracer:
    assert _REC is not None
    if side != "right":
        raise NotImplementedError("traced searchsorted(side='left')")
    (tv, ti), (qv, qi) = _split(table), _split(q)
    off = _REC.add_aux(ti)
    v = np.searchsorted(tv, qv, side=side)
    out = _REC.new(np.shape(v))
    _REC.emit("search", out, off, np.broadcast_to(qi, out.shape), len(ti.reshape(-1)))
    return Tracer(v, out)


def _argmin(x: Any) -> Tracer:
    assert _REC is not None
    xv, xi = _split(x)
    off = _REC.add_aux(xi)
    out = _REC.new(())
    _REC.emit("argmin", out, off, -1, xi.size)
    return Tracer(np.argmin(xv), out)


def _cumsum(x: Tracer, axis: int | None = None) -> Tracer:
    if x.ndim != 1:
        raise NotImplementedError("traced cumsum of a multi-dimensional array")
    outs = [x[0]]
    for k in range(1, len(x)):
        outs.append(outs[-1] + x[k])
    return _stack(outs)


def _reshape(x: Any, shape: Any) -> Any:
    v, i = _split(x)
    return Tracer(np.reshape(v, shape), np.reshape(i, shape))


_FUNCS: dict[Callable, Callable] = {
    np.where: _where,
    np.concatenate: _concatenate,
    np.stack: _stack,
    np.searchsorted: _searchsorted,
    np.argmin: _argmin,
    np.cumsum: _cumsum,
    np.reshape: _reshape,
    np.real: lambda x: _stopgrad(x) if type(x) is Tracer else np.real(x),
    np.atleast_1d: lambda x: x if np.ndim(x.v) else x.reshape(1),
    np.shape: lambda x: x.shape,
    np.ndim: lambda x: x.ndim,
    np.size: lambda x: x.size,
    np.iscomplexobj: lambda x: False,
    np.sum: lambda x, axis=None: _sum(x, axis),
}


class Tape:
    """A recorded closed form, cleaned for replay.

    Cleaning, in order: reads of an ``ad.real`` copy that is only compared go to the
    original slot; repeated operations on the same slots are merged (the closed form
    recomputes many intermediate values); rows no output depends on are dropped; slots
    are renumbered, then reused once their last reader has run (and gradient rows too),
    so the replay's tables stay small.

    Fields: ``rows`` (m, 6) ``(op, out, a, b, c, gradient row of out)`` (int32); ``aux`` the slot
    lists of gather/search/sum/argmin rows (``a`` offset, ``c`` length); ``init`` the
    starting value of every slot (the constants); ``inputs``/``outputs`` their slots;
    ``gin`` the gradient row of each input; ``n_grad`` the number of gradient rows.
    """

    def __init__(self, rec: Recorder, inputs: np.ndarray, outputs: np.ndarray) -> None:
        rows = np.concatenate(rec.rows) if rec.rows else np.zeros((0, 5), np.int64)
        aux = np.concatenate(rec.aux) if rec.aux else np.zeros(0, np.int64)
        n = rec.n
        rows, aux = _bypass_stopgrad(rows, aux, n)
        rows, aux, outputs = _common_subexpressions(rows, aux, n, outputs)
        rows = _live_rows(rows, aux, n, outputs)
        if np.any(rows[rows[:, 0] == OPS["sum"], 4] > 128):
            raise NotImplementedError("traced sum of more than 128 terms")
        init = np.zeros(n)
        for ids, vals in zip(rec.const_ids, rec.const_vals, strict=True):
            init[ids] = vals
        rows, aux, init, inputs, outputs = _compact(rows, aux, init, inputs, outputs)
        gslot, n_grad = _grad_rows(rows, aux, len(init), inputs, outputs)
        gin = gslot[inputs]
        rows, aux, init, inputs, outputs = _registers(rows, aux, init, inputs, outputs, gslot)
        # int32: half the bytes streamed per replay (faster when the caches are cold, as
        # in a full model run, where other components run in between)
        self.rows, self.aux, self.init = rows.astype(np.int32), aux.astype(np.int32), init
        self.inputs, self.outputs, self.gin, self.n_grad = inputs, outputs, gin, n_grad

    _FIELDS = ("rows", "aux", "init", "inputs", "outputs", "gin", "n_grad")

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The tape as named arrays (``np.savez``)."""
        return {k: np.asarray(getattr(self, k)) for k in self._FIELDS}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Tape:
        """A tape from :meth:`to_arrays`."""
        tape = cls.__new__(cls)
        for k in cls._FIELDS:
            setattr(tape, k, arrays[k])
        tape.n_grad = int(arrays["n_grad"])
        return tape

    def args(self) -> tuple[np.ndarray, ...]:
        """``(rows, aux, init, inputs, outputs, gin, vals, gwork, grads)``: the tape and
        its work buffers, the leading arguments of :func:`geometry._tape_kernel.run`."""
        buf = getattr(self, "_buffers", None)
        if buf is None:
            buf = self._buffers = (np.empty(len(self.init)),
                                   np.zeros(len(self.init), np.int64),
                                   np.zeros((self.n_grad, len(self.inputs))))
        return (self.rows, self.aux, self.init, self.inputs, self.outputs, self.gin, *buf)

    def case_args(self) -> tuple[np.ndarray, ...]:
        """The leading arguments of :func:`geometry._tape_kernel.run_cases`."""
        return self.args()[:7]


def _bypass_stopgrad(rows: np.ndarray, aux: np.ndarray, n: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Where a ``stopgrad`` result is only looked at (comparisons, conditions, indices),
    read its source slot instead (the copy then falls to dead-code elimination)."""
    src = np.arange(n, dtype=np.int64)
    sg = rows[rows[:, 0] == OPS["stopgrad"]]
    src[sg[:, 1]] = sg[:, 2]
    for _ in range(8):                               # chains of stopgrad
        nxt = src[src]
        if np.array_equal(nxt, src):
            break
        src = nxt
    rows = rows.copy()
    aux = aux.copy()
    op = rows[:, 0]
    vo = (op >= NO_GRAD) & (op != OPS["stopgrad"])
    for col in (2, 3):
        m = vo & (rows[:, col] >= 0) & (op != OPS["search"]) & (op != OPS["argmin"])
        rows[m, col] = src[rows[m, col]]
    sel = op == OPS["select"]
    rows[sel, 4] = src[rows[sel, 4]]
    m = (op == OPS["gather"]) | (op == OPS["search"])
    rows[m, 3] = src[rows[m, 3]]
    for a, c in rows[(op == OPS["search"]) | (op == OPS["argmin"])][:, [2, 4]]:
        aux[a:a + c] = src[aux[a:a + c]]
    return rows, aux


_AUX_OPS = frozenset((OPS["gather"], OPS["search"], OPS["sum"], OPS["argmin"]))
_IDX_OPS = frozenset((OPS["gather"], OPS["search"]))      # + an index/query slot in b
_SELECT = OPS["select"]


def _operands(op: int, a: int, b: int, c: int, aux: list[int]) -> list[int]:
    """Slots a row reads."""
    if op in _AUX_OPS:
        seg = aux[a:a + c]
        return [*seg, b] if op in _IDX_OPS else seg
    if op == _SELECT:
        return [a, b, c]
    return [a, b] if b >= 0 else [a]


def _common_subexpressions(rows: np.ndarray, aux: np.ndarray, n: int, outputs: np.ndarray
                           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows repeating an earlier operation on the same slots read that one's result (the
    closed form recomputes many intermediate values; the copies fall to dead-code
    elimination)."""
    canon = list(range(n))
    seen: dict[tuple, int] = {}
    R = rows.tolist()
    A = aux.tolist()
    for row in R:
        op, out, a, b, c = row
        if op in _AUX_OPS:
            seg = [canon[s] for s in A[a:a + c]]
            A[a:a + c] = seg
            if op in _IDX_OPS:
                b = row[3] = canon[b]
            key: tuple = (op, b, c, *seg)
        else:
            if a >= 0:
                a = row[2] = canon[a]
            if b >= 0:
                b = row[3] = canon[b]
            if op == _SELECT:
                c = row[4] = canon[c]
            key = (op, a, b, c)
        prev = seen.get(key)
        if prev is None:
            seen[key] = out
        else:
            canon[out] = prev
    canon_a = np.array(canon, np.int64)
    return (np.array(R, np.int64).reshape(-1, 5), np.array(A, np.int64),
            canon_a[outputs])


def _live_rows(rows: np.ndarray, aux: np.ndarray, n: int, outputs: np.ndarray) -> np.ndarray:
    """Dead-code elimination: the rows an output depends on."""
    live = bytearray(n)
    for s in outputs.tolist():
        live[s] = 1
    R = rows.tolist()
    A = aux.tolist()
    keep = np.zeros(len(R), bool)
    for r in range(len(R) - 1, -1, -1):
        op, out, a, b, c = R[r]
        if live[out]:
            keep[r] = True
            for s in _operands(op, a, b, c, A):
                live[s] = 1
    return rows[keep]


def _slot_masks(rows: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """(column, rows where that column holds a slot number): the others hold aux
    offsets, counts or flags."""
    op = rows[:, 0]
    isaux = np.isin(op, list(_AUX_OPS))
    return [(1, np.ones(len(rows), bool)),
            (2, ~isaux & (rows[:, 2] >= 0)),
            (3, (~isaux | np.isin(op, list(_IDX_OPS))) & (rows[:, 3] >= 0)),
            (4, op == _SELECT)]


def _segments(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows with an aux list, and for them the flat index of every aux entry, in order,
    and each list's length."""
    which = np.nonzero(np.isin(rows[:, 0], list(_AUX_OPS)))[0]
    starts, lens = rows[which, 2], rows[which, 4]
    first = np.cumsum(lens) - lens
    idx = np.repeat(starts - first, lens) + np.arange(int(lens.sum()))
    return which, idx, lens


def _compact(rows: np.ndarray, aux: np.ndarray, init: np.ndarray, inputs: np.ndarray,
             outputs: np.ndarray) -> tuple[np.ndarray, ...]:
    """Renumber the slots still in use 0, 1, ... (smaller value and gradient arrays) and
    keep only the aux lists the rows use."""
    n = len(init)
    used = np.zeros(n, bool)
    used[inputs] = used[outputs] = True
    masks = _slot_masks(rows)
    for col, m in masks:
        used[rows[m, col]] = True
    which, idx, lens = _segments(rows)
    used[aux[idx]] = True
    new = np.full(n, -1, np.int64)
    new[used] = np.arange(used.sum())
    rows = rows.copy()
    for col, m in masks:
        rows[m, col] = new[rows[m, col]]
    rows[which, 2] = np.cumsum(lens) - lens
    return rows, new[aux[idx]], init[used], new[inputs], new[outputs]


#: operations whose result is one of their operands (gradient passed by reference)
_ALIAS = (OPS["select"], OPS["gather"], OPS["max"], OPS["min"])


def _grad_rows(rows: np.ndarray, aux: np.ndarray, n: int, inputs: np.ndarray,
               outputs: np.ndarray) -> tuple[np.ndarray, int]:
    """Gradient row of each slot (0: no derivative, -1: the row of the operand a
    select/gather/max/min picks, set while replaying), reusing the rows of slots whose
    gradient is no longer read (a small working set instead of one row per slot); and
    the number of rows."""
    R = rows.tolist()
    A = aux.tolist()
    grad = bytearray(n)
    for s in inputs.tolist():
        grad[s] = 1
    gather_sum = (OPS["gather"], OPS["sum"])
    reads: list[list[int]] = []
    for op, out, a, b, c in R:
        if op >= NO_GRAD:
            reads.append([])
            continue
        if op in gather_sum:
            ops_ = A[a:a + c]
        elif op == _SELECT or b >= 0:
            ops_ = [a, b]
        else:
            ops_ = [a]
        ops_ = [s for s in ops_ if grad[s]]
        grad[out] = 1 if ops_ else 0
        reads.append(ops_)
    # a gradient nobody reads (a value only compared, or feeding such values) is not kept
    needed = bytearray(n)
    for s in outputs.tolist():
        needed[s] = 1
    for r in range(len(R) - 1, -1, -1):
        if needed[R[r][1]]:
            for s in reads[r]:
                needed[s] = 1
    for s in range(n):
        if not needed[s]:
            grad[s] = 0
    for s in inputs.tolist():
        grad[s] = 1
    reads = [[s for s in ops_ if grad[s]] if grad[R[r][1]] else []
             for r, ops_ in enumerate(reads)]
    m = len(R)
    last = [-1] * n
    for r, ops_ in enumerate(reads):
        for s in ops_:
            last[s] = r
    for s in outputs.tolist():
        last[s] = m
    alias = [row[0] in _ALIAS for row in R]
    for r in range(m - 1, -1, -1):                  # an alias keeps its targets' rows
        if alias[r] and reads[r]:
            lo = last[R[r][1]]
            for s in reads[r]:
                if last[s] < lo:
                    last[s] = lo
    gslot = [0] * n
    free: list[int] = []
    top = 1
    expire: dict[int, list[int]] = {}
    for s in inputs.tolist():
        gslot[s], top = top, top + 1
        expire.setdefault(last[s], []).append(s)
    for r, row in enumerate(R):
        for s in expire.pop(r - 1, ()):             # last read before this row
            free.append(gslot[s])
        op, out = row[0], row[1]
        if op >= NO_GRAD or not grad[out]:
            continue
        if alias[r]:
            gslot[out] = -1
            continue
        if free:
            gslot[out] = free.pop()
        else:
            gslot[out], top = top, top + 1
        expire.setdefault(last[out], []).append(out)
    return np.array(gslot, np.int64), top


def _registers(rows: np.ndarray, aux: np.ndarray, init: np.ndarray, inputs: np.ndarray,
               outputs: np.ndarray, gslot: np.ndarray) -> tuple[np.ndarray, ...]:
    """Reuse value slots: a computed slot's number is given to a later result once its
    last reader has run (constants, inputs and outputs keep theirs), so the value and
    gradient-row tables stay small (cache-resident) instead of one entry per operation.
    Adds the gradient row of each row's result as column 5 (0: none, -1: picked by a
    select/gather/max/min while replaying)."""
    n = len(init)
    R = rows.tolist()
    A = aux.tolist()
    m = len(R)
    defined = np.zeros(n, bool)
    defined[rows[:, 1]] = True
    last = [-1] * n
    for r, (op, _out, a, b, c) in enumerate(R):
        for s in _operands(op, a, b, c, A):
            last[s] = r
    for s in outputs.tolist():
        last[s] = m
    fixed = ~defined
    fixed[inputs] = True
    phys_a = np.full(n, -1, np.int64)
    phys_a[fixed] = np.arange(fixed.sum())
    phys = phys_a.tolist()
    top = int(fixed.sum())
    free: list[int] = []
    expire: dict[int, list[int]] = {}
    for r, row in enumerate(R):
        for s in expire.pop(r - 1, ()):             # last read before this row
            free.append(phys[s])
        out = row[1]
        if free:
            phys[out] = free.pop()
        else:
            phys[out], top = top, top + 1
        expire.setdefault(max(last[out], r), []).append(out)
    phys_a = np.array(phys, np.int64)
    new = np.zeros((m, 6), np.int64)
    new[:, :5] = rows
    new[:, 5] = gslot[rows[:, 1]]
    for col, mask in _slot_masks(rows):
        new[mask, col] = phys_a[rows[mask, col]]
    vals = np.zeros(top)
    vals[phys_a[fixed]] = init[fixed]
    return new, phys_a[aux], vals, phys_a[inputs], phys_a[outputs]


def record(fn: Callable[[list[Tracer]], Sequence[Any]], x0: Sequence[float]) -> Tape:
    """Trace ``fn`` (a list of scalar inputs -> a list of scalar outputs) at ``x0``."""
    global _REC
    rec = Recorder()
    _REC = rec
    try:
        ins = rec.new((len(x0),))
        xs = [Tracer(np.float64(v), ins[k]) for k, v in enumerate(x0)]
        outs = []
        for r in fn(xs):
            ids = _split(r)[1]
            if ids.size != 1:
                raise ValueError(f"non-scalar output {r!r}")
            outs.append(int(ids.reshape(-1)[0]))
    finally:
        _REC = None
    return Tape(rec, ins, np.array(outs, np.int64))
