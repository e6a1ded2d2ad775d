"""Engine rules of a ``mild`` hybrid layout tried against the kei ISG catalogue pairs
(issue 13, 4 Dec 2026; not kept): the trial the probe ``python
benchmarks/validation_probes.py isg_pairs`` swaps in, kept out of the shipped HEV kernel
(:func:`keidesign.energy.powertrains.hev_cycle`, whose mild layout has the engine off,
burning nothing and declutched while standing and braking, so the motor takes the
braking power; docs/energy.md section 5).

Rules (:data:`MILD_ENGINE_RULES`; ``off`` is the shipped kernel):

* ``coupled``: a braking interval at or above ``v_cut`` (``fuel_cut_mph``, where the
  conventional car's driver keeps the clutch closed) drives the fuel-cut engine, whose
  friction and accessories take the braking power first (a P0/P1 machine cannot be
  declutched from the engine)::

      P_m = s(-P_w eta_tr - P_0(w) - P_acc) / eta_tr       (W, regenerated at the wheel)
      fuel power = s(P_0 + P_acc + P_w eta_tr) / e          (W, where braking does not
                                                             cover friction + accessories)

  with ``s`` the smooth positive part, ``P_0`` the Willans friction power (the
  :func:`keidesign.energy.powertrains.ice_cycle` rule); below ``v_cut`` the engine is
  off and declutched (idle stop before standstill, 13 km/h in Suzuki's and the NMKV
  cars' systems [R]) and nothing is regenerated.
* ``idle_stop``: as ``coupled``, with the engine fuel of the conventional car with idle
  stop (:func:`keidesign.energy.powertrains.ice_cycle`, ``idle_stop=True``: the fitted
  standing term less the Willans idle, the low-speed deceleration idle).

Assumptions [A]: the same Willans engine, motor loss map and charge-balance correction
as the shipped kernel; valid for P0/P1 mild hybrids (belt ISG, crankshaft motor).
Source of the HEV kernel's physics: its docstring (Guzzella & Sciarretta 2013 ch. 7).

The rules are engine laws (:class:`keidesign.energy.powertrains.HevIntervals` ->
``(P_m, accessories on battery, fuel)``) that the shipped kernel runs in place of its
:func:`~keidesign.energy.powertrains.engine_off_law` (its ``engine_law`` argument): no
copy of the kernel. :func:`hev_cycle` is the shipped kernel with the rule's law (the
shipped law for a ``full`` layout or the ``off`` rule); :func:`rule` swaps it in for a
``with`` block.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from geometry import ad as D
from keidesign.energy import powertrains as pt
from keidesign.energy.cycles import SegmentSet

#: Engine rules of a mild layout: ``off`` (the shipped kernel), ``coupled``, ``idle_stop``.
MILD_ENGINE_RULES = ("off", "coupled", "idle_stop")
#: The shipped kernel (taken at import, before any patch).
SHIPPED_HEV_CYCLE = pt.hev_cycle


def _coupled_split(s: pt.HevIntervals) -> tuple:
    """The ``coupled`` rule's motor power and accessory source (module docstring):
    ``(coupled mask, P_m (W), accessories on battery)``."""
    coupled = (D.real(s.pw) < 0.0) & (s.tr.vb >= s.c_ice["fuel_cut_mph"] * pt.MPH)
    pw_m = D.where(coupled, -D.spos(-s.pw * s.eta - s.p_0 - s.p_acc, s.eps) / s.eta,
                   0.0 * s.pw)
    return coupled, pw_m, ~s.engine_on & ~coupled


def coupled_law(s: pt.HevIntervals) -> tuple:
    """Engine law of the ``coupled`` rule for a mild layout (module docstring); the
    shipped law for a full one."""
    if s.layout != "mild":
        return pt.engine_off_law(s)
    coupled, pw_m, acc_batt = _coupled_split(s)
    pf = D.where(s.engine_on, s.p_run, 0.0 * s.p_run)
    pf = D.where(coupled, D.spos(s.p_0 + s.p_acc + s.pw * s.eta, s.eps) / s.c_ice["e"], pf)
    return pw_m, acc_batt, D.segment_sum(pf * s.tr.dt, s.seg.starts)


def idle_stop_law(s: pt.HevIntervals) -> tuple:
    """Engine law of the ``idle_stop`` rule for a mild layout (module docstring): the
    ``coupled`` motor power, accessories on the battery only while standing, the engine
    fuel of the conventional car with idle stop; the shipped law for a full layout."""
    if s.layout != "mild":
        return pt.engine_off_law(s)
    _, pw_m, _ = _coupled_split(s)
    fuel = pt.ice_cycle(s.seg, s.x, s.trans, s.c_ice, idle_stop=True, turbo=s.turbo,
                        pw=s.pw)["fuel"]
    return pw_m, s.tr.vb <= 0.0, fuel


#: The engine law of each rule (``off``: the shipped one).
LAWS = {"off": pt.engine_off_law, "coupled": coupled_law, "idle_stop": idle_stop_law}


def hev_cycle(seg: SegmentSet, x: dict, trans: str, c_ice: dict, c_bev: dict,
              c_hev: dict, tests: dict[str, list[int]], turbo: bool = False,
              layout: str = "mild", mild_engine: str = "off",
              behind: np.ndarray | None = None) -> dict:
    """The shipped :func:`keidesign.energy.powertrains.hev_cycle` with the mild layout's
    engine rule ``mild_engine`` (:data:`MILD_ENGINE_RULES`; ignored by a ``full``
    layout); ``behind`` the shipped cycle's full-power intervals, passed on."""
    if mild_engine not in MILD_ENGINE_RULES:
        raise ValueError(f"mild_engine {mild_engine!r}: one of {MILD_ENGINE_RULES}")
    return SHIPPED_HEV_CYCLE(seg, x, trans, c_ice, c_bev, c_hev, tests, turbo, layout,
                             engine_law=LAWS[mild_engine], behind=behind)


@contextmanager
def rule(mild_engine: str) -> Iterator[None]:
    """For the ``with`` block: every mild-layout HEV run with the engine rule
    ``mild_engine`` (``powertrains.hev_cycle`` swapped; ``off`` swaps nothing)."""
    import functools
    from unittest import mock

    if mild_engine not in MILD_ENGINE_RULES:
        raise ValueError(f"mild_engine {mild_engine!r}: one of {MILD_ENGINE_RULES}")
    if mild_engine == "off":
        yield
        return
    with mock.patch.object(pt, "hev_cycle", functools.partial(hev_cycle,
                                                              mild_engine=mild_engine)):
        yield
