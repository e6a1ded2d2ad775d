"""Reuse of a set-up model for designs of the same structure (speed, same numbers).

Setting up the OpenMDAO model of one design (:func:`keidesign.model.build_problem`:
``setup`` and ``final_setup``, the connection graph and the vectors) costs several times
one ``run_model``. A :class:`ProblemCache` keeps the last few set-up problems and runs a
new design on one of them when the design has the same *structure*: the model would be
set up identically, only the values of its independent inputs differ.

The structure key (sound by construction, not by a list kept by hand):

* while a problem is built and run the first time, its design is read through a
  recording mapping (:class:`_ReadLog`): every design key a discipline hook, a group's
  ``setup`` or a ``compute`` reads is logged (iterating the values logs them all);
* the *free* keys of the problem are the numeric design values that
  :func:`keidesign.model.set_design_values` sets as independent inputs and that nothing
  read from the design: the only way they reach the model is ``set_val``;
* another design fits the problem when everything else is equal: the design file's path,
  the set of its keys, every value but the free ones (compared by type and ``repr``, so
  ``1`` and ``1.0`` differ), each rule pack in full (``repr``: id, version, constraints,
  params, path), the build options (``round_footprint``, ``force_alloc_complex``) and the
  module state that hold-out and probe contexts change (:func:`_model_state`: the energy
  constants, the mass coefficients, the front force law, the occupant fit).

Module state beyond that is not in the key: a caller that changes what the model reads
at setup between runs (a ``monkeypatch`` of a module constant, another probe context)
must :meth:`ProblemCache.clear` or use a new cache. That is why reuse is opt-in
(:func:`keidesign.evaluation.evaluate_design` ``reuse=``) and not a module-wide default:
the tests, probes and validation hold-outs change module state between evaluations.

Many input values are read at setup too (measured on the reference designs: the body
dimensions by the layout check, which also decides where the battery sits; the speed
limiter, which picks the WLTC class; the fuel tank and the battery energy), so a key
that left out every value set as an input would be wrong: those stay in the key here,
and only the remaining inputs vary freely (mass, powertrain, road-load, crash-member
and cost figures: 52 of the 84 of the Alto-class reference design). Imported cars of
different dimensions never share a problem.

No state is carried over: right after the first ``final_setup`` (the design's values
set) the problem's six root vectors (inputs, outputs, residuals; nonlinear and linear)
are copied; a reused problem gets them back before the next design's values are set, so
each run starts where a fresh build of that design starts (the mass loop's start values,
Newton's initial guess). One difference is left, and no component sees it: a fresh
build's ``final_setup`` copies an independent input's value into the inputs it feeds, a
reused problem's ``set_val`` into their source, which the run transfers to them before
their components run. What else a run changes (audited on the reference designs: every
attribute of every system and solver before and after ``run_model``) is counters, the
jacobians (every declared partial is set at each linearization: the closed-form bases,
``CurbMassComp.linearize``), the direct solver's factorization (redone at each
linearization), Newton's initial norm (per solve) and
:class:`keidesign.mass.loop.LoopSolver`'s blocks and start values (taken at its first
solve from the state above, the same in both cases); no component caches per input.
Today's solvers restart their loops (``LoopSolver``, ``CurbMassComp.guess_nonlinear``),
so even without the reset the outputs come out equal; the reset keeps it so for a
solver that would start from the last point. ``tests/test_reuse.py`` holds every
registered output and constraint record of :func:`keidesign.evaluation.evaluate_design`
equal bit for bit to a fresh build, in both orders and interleaved, on the reference
designs and variants with 15-16 inputs changed, and the reset state equal to a fresh
build's. A reused run that reads a design key the first run did not read (a new code
path) is detected after the run: the problem is dropped and the design built afresh.

Memory: one problem of a reference design holds about 9 MB (``tracemalloc``,
``benchmarks/reuse.py``); the cache keeps ``maxsize`` (default 4) problems, least
recently used dropped. A cache is no thread's to share: :func:`thread_cache` gives each
thread its own; a Dask worker is a process with its own module state, so nothing is
shared between workers (a cache is not meant to be pickled to one: make it there).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from openmdao.core.problem import Problem

from keidesign.design import Design
from keidesign.rulepacks import RulePack

__all__ = ["ProblemCache", "thread_cache"]

#: Problems a cache keeps by default (one of a reference design: ~9 MB).
MAXSIZE = 4


class _ReadLog(Mapping):
    """A design's values that log every key read (``[]``, ``in``, ``get``); iterating
    them (``items``, ``dict(...)``, ``len``) marks the whole design as read (truth, the
    emptiness, does not)."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)
        self.read: set[str] = set()
        self.whole = False

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return self._values[key]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        self.whole = True
        return iter(self._values)

    def __len__(self) -> int:
        self.whole = True
        return len(self._values)

    def __bool__(self) -> bool:
        # emptiness only (``values or {}``): the key holds the set of names
        return bool(self._values)


def _model_state() -> tuple:
    """The module state the project's own hold-out and probe contexts change
    (:func:`keidesign.energy.constants.held`, :func:`keidesign.mass.data.held_coefficients`,
    :func:`keidesign.validation.front_shape.model_with`): a problem set up under other
    constants is not reused (0.1 ms)."""
    from keidesign.crash import occupant, pulse
    from keidesign.energy import constants as kc
    from keidesign.mass.data import coefficients

    return (repr(kc.ice_constants()), repr(kc.bev_constants()), repr(kc.hev_constants()),
            repr(kc.perf_constants()), repr(coefficients()), pulse.FRONT_FORCE_LAW,
            occupant.load_fit)


def _canon(value: Any) -> tuple[str, str]:
    return type(value).__name__, repr(value)


def _key(design: Design, packs_key: tuple, options: tuple, free: frozenset[str]) -> tuple:
    vals = design.values
    names = tuple(sorted(vals))
    return (design.path, packs_key, options, names,
            tuple((k, _canon(vals[k])) for k in names if k not in free))


@dataclass
class _Entry:
    prob: Problem
    log: _ReadLog
    read: frozenset[str]
    free: frozenset[str]
    key: tuple
    start: dict[tuple[str, str], np.ndarray]
    needed: list[str]  # the independent inputs (keidesign.model.independent_inputs)
    names: list[tuple[str, str | None]]  # the outputs (keidesign.model.output_names)


def _vectors(prob: Problem) -> Iterator[tuple[tuple[str, str], Any]]:
    """The model's root vectors (every subsystem's vectors are views of them): the one
    use of OpenMDAO's internals here (docs/CONTRIBUTING.md, "Dependencies and
    OpenMDAO's API"); read and written through the vectors' own ``asarray`` /
    ``set_val``."""
    for io, kinds in prob.model._vectors.items():
        for kind, vec in kinds.items():
            yield (io, kind), vec


class ProblemCache:
    """The last ``maxsize`` set-up problems, reused for designs of the same structure
    (module docstring). :meth:`run` returns a problem that has run ``design``; read it
    before the next :meth:`run` (which may reuse it).

    ``hits`` / ``misses`` / ``fallbacks`` count the runs that reused a problem, built
    one, or reused one and then found a new design key read (rebuilt)."""

    def __init__(self, maxsize: int = MAXSIZE) -> None:
        if maxsize < 1:
            raise ValueError(f"ProblemCache maxsize {maxsize} must be at least 1")
        self.maxsize = maxsize
        self._entries: OrderedDict[int, _Entry] = OrderedDict()
        self.hits = self.misses = self.fallbacks = 0
        self._owner = threading.get_ident()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()

    def run(self, design: Design, packs: Sequence[RulePack] = (), *,
            round_footprint: bool = False, force_alloc_complex: bool = False) -> Problem:
        """``design`` run on a reused problem of its structure, or on a new one.

        Read only the problem's values: on a reused problem ``model.options["design"]``
        is still the *first* design's logged mapping (the free values stale: they
        reached the model by ``set_val``, not through it), and a recorder attached to the
        problem records every later design run on it. Raises RuntimeError when called
        from another thread than the one that made the cache (a cache is no thread's
        to share)."""
        if threading.get_ident() != self._owner:
            raise RuntimeError("ProblemCache.run: this cache belongs to another thread "
                               "(use keidesign.reuse.thread_cache() in each thread)")
        packs_key = tuple(repr(p) for p in packs)
        options = (round_footprint, force_alloc_complex, _model_state())
        entry = self._lookup(design, packs_key, options)
        if entry is not None:
            self._reset(entry, design)
            entry.prob.run_model()
            log = entry.log
            if not log.whole and not (log.read - entry.read) & entry.free:
                self.hits += 1
                return entry.prob
            # a new code path read a value this problem holds from its first design
            del self._entries[id(entry)]
            self.fallbacks += 1
        else:
            self.misses += 1
        return self._build(design, packs, packs_key, options)

    def outputs(self, design: Design, packs: Sequence[RulePack] = (), *,
                round_footprint: bool = False) -> dict[str, tuple[float, str | None]]:
        """:func:`keidesign.model.registered_outputs` of ``design`` run by :meth:`run`
        (a cached problem's output names known)."""
        from keidesign.model import registered_outputs

        prob = self.run(design, packs, round_footprint=round_footprint)
        entry = next(reversed(self._entries.values()), None)
        names = entry.names if entry is not None and entry.prob is prob else None
        return registered_outputs(prob, names)

    def _lookup(self, design: Design, packs_key: tuple, options: tuple) -> _Entry | None:
        """The cached problem of ``design``'s structure (made the most recent), or None."""
        for ident, entry in self._entries.items():
            if _key(design, packs_key, options, entry.free) == entry.key:
                self._entries.move_to_end(ident)
                return entry
        return None

    @staticmethod
    def _reset(entry: _Entry, design: Design) -> None:
        """``entry``'s problem as a fresh build of ``design`` is before its first run:
        the vectors of its first ``final_setup``, then ``design``'s values."""
        from keidesign.model import set_design_values

        for name, vec in _vectors(entry.prob):
            vec.set_val(entry.start[name])  # the imaginary parts zeroed too
        set_design_values(entry.prob, design, entry.needed)

    def _build(self, design: Design, packs: Sequence[RulePack], packs_key: tuple,
               options: tuple) -> Problem:
        from keidesign.model import KeiVehicle, independent_inputs, output_names, set_design_values

        log = _ReadLog(design.values)
        logged = Design(design.path, log)
        prob = Problem(KeiVehicle(design=logged, packs=list(packs),
                                  round_footprint=options[0]), reports=False)
        prob.setup(force_alloc_complex=options[1])
        set_design_values(prob, design)
        prob.final_setup()
        start = {name: vec.asarray(copy=True) for name, vec in _vectors(prob)}
        prob.run_model()
        if log.whole:
            return prob  # everything was read: nothing may vary, keep no entry
        read = frozenset(log.read)
        numeric = design.numeric()
        needed = independent_inputs(prob)
        free = frozenset(n for n in needed if n in numeric) - read
        entry = _Entry(prob, log, read, free, _key(design, packs_key, options, free), start,
                       needed, output_names(prob))
        self._entries[id(entry)] = entry
        while len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
        return prob


_local = threading.local()


def thread_cache() -> ProblemCache:
    """This thread's cache (each thread its own: a problem is never run by two)."""
    cache = getattr(_local, "cache", None)
    if cache is None:
        cache = _local.cache = ProblemCache()
    return cache
