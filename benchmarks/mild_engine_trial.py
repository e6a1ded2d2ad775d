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

:func:`hev_cycle` is the shipped kernel for a ``full`` layout or the ``off`` rule;
otherwise :func:`_hev_cycle_rules`, a copy of the shipped kernel's body with the rules'
lines, held bit-identical to the shipped kernel with the ``off`` rule
(``tests/test_isg_pairs.py``). :func:`rule` swaps it in for a ``with`` block.
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


def hev_cycle(seg: SegmentSet, x: dict, trans: str, c_ice: dict, c_bev: dict,
              c_hev: dict, tests: dict[str, list[int]], turbo: bool = False,
              layout: str = "mild", mild_engine: str = "off") -> dict:
    """The shipped :func:`keidesign.energy.powertrains.hev_cycle` with the mild layout's
    engine rule ``mild_engine`` (:data:`MILD_ENGINE_RULES`; ignored by a ``full``
    layout)."""
    if mild_engine not in MILD_ENGINE_RULES:
        raise ValueError(f"mild_engine {mild_engine!r}: one of {MILD_ENGINE_RULES}")
    if mild_engine == "off" or layout != "mild":
        return SHIPPED_HEV_CYCLE(seg, x, trans, c_ice, c_bev, c_hev, tests, turbo, layout)
    return _hev_cycle_rules(seg, x, trans, c_ice, c_bev, c_hev, tests, turbo, layout,
                            mild_engine)


def _hev_cycle_rules(seg: SegmentSet, x: dict, trans: str, c_ice: dict, c_bev: dict,
                     c_hev: dict, tests: dict[str, list[int]], turbo: bool,
                     layout: str, mild_engine: str) -> dict:
    """The shipped kernel's body with the rules of the module docstring (``rule`` lines);
    with ``mild_engine="off"`` the shipped kernel, bit for bit."""
    tr = pt.Trace.of(seg)
    eps = c_ice["eps_w"]
    pw = pt.wheel_power(x, tr)
    vb = tr.vb
    pm_r = x["pm_r"]
    t_m = pm_r / (c_hev["motor_base_rpm"] * pt.RPM)
    pw_r = D.real(pw)
    p_acc = c_ice["acc_kw"] * 1e3
    eta = pt.transmission_efficiency(c_ice, trans)
    # engine speed and friction power if the engine drove this interval
    w, w_g = pt._cycle_engine_speed(x, tr, D.spos(pw, eps) / eta + p_acc, trans, c_ice, turbo)
    k_m = pt.motor_speed_ratio(x, c_hev, vb, w_g)
    v_eff = pt.effective_volume(x, c_ice)
    pme0 = (c_ice["pme0_bar"] + c_ice["pme2_bar"] * (w / (1000.0 * pt.RPM)) ** 2) * 1e5
    p_0 = pme0 * v_eff * w / (4.0 * np.pi)
    if layout not in pt.HEV_LAYOUTS:
        raise ValueError(f"HEV layout {layout!r}: one of {pt.HEV_LAYOUTS}")
    rule = mild_engine if layout == "mild" else "off"
    # electric drive where it costs less fuel than running the engine (equivalent-
    # consumption rule; module docstring), within the motor's rated power and torque;
    # a discrete decision on real values (no derivative); a mild layout never
    v_b, r_b, p_b_max = pt.hev_pack(x, c_hev)
    cheaper = False
    if layout == "full":
        cheaper = pt._electric_cheaper(pw_r, vb, w, w_g, D.real(p_0), x, trans, c_ice,
                                    c_bev, c_hev, k_m, t_m, (D.real(v_b), D.real(r_b)))
    # above the motor's maximum speed it neither drives nor regenerates (friction brakes)
    spins = vb * D.real(k_m) <= x.get("w_m_max", np.inf)
    ev = ((cheaper) & (pw_r <= D.real(pm_r))
          & (pw_r <= D.real(t_m) * D.real(k_m) * vb) & (layout == "full") & spins)
    if p_b_max is not None and layout == "full":  # and within the battery's power limit
        p_el_ev, _ = pt._electric_drive(np.maximum(pw_r, 0.0), vb, D.real(k_m), D.real(pm_r),
                                     D.real(t_m), c_bev)
        ev = ev & (D.real(p_el_ev) + c_ice["acc_kw"] * 1e3 <= D.real(p_b_max))
    motor_side = ev | (pw_r < 0.0)
    engine_on = (~motor_side) & (vb > 0.0)
    pw_m = D.where(motor_side & spins, pw, 0.0 * pw)
    pw_e = D.where(engine_on, pw, 0.0 * pw)
    acc_batt = ~engine_on  # accessories on the battery while the engine is off
    if rule != "off":
        coupled = (pw_r < 0.0) & (vb >= c_ice["fuel_cut_mph"] * pt.MPH)
        pw_m = D.where(coupled, -D.spos(-pw * eta - p_0 - p_acc, eps) / eta, 0.0 * pw)
        acc_batt = (vb <= 0.0) if rule == "idle_stop" else acc_batt & ~coupled
    p_elec, _ = pt._electric_drive(pw_m, vb, k_m, pm_r, t_m, c_bev, p_batt_max=p_b_max)
    p_term = p_elec + np.where(acc_batt, p_acc, 0.0)
    p_batt = pt.battery_power(p_term, v_b, r_b)
    trac = D.spos(pw_e, eps) / eta
    pe = trac * (w / D.smax(w_g, 1.0, 0.1)) + p_acc
    p_run = D.spos(pe + p_0, eps) / c_ice["e"]
    # engine off (warm) while standing, braking and driving electrically: no fuel
    pf = D.where(engine_on, p_run, 0.0 * p_run)
    if rule == "coupled":
        pf = D.where(coupled, D.spos(p_0 + p_acc + pw * eta, eps) / c_ice["e"], pf)
    fuel = D.segment_sum(pf * tr.dt, seg.starts)
    if rule == "idle_stop":
        fuel = pt.ice_cycle(seg, x, trans, c_ice, idle_stop=True, turbo=turbo, pw=pw)["fuel"]
    e_b = D.segment_sum(p_batt * tr.dt, seg.starts)
    fuel = fuel + e_b / (c_ice["e"] * c_hev["eta_gen"])
    cum = np.cumsum(D.real(p_batt) * tr.dt, axis=-1)
    n_t = len(tr.dt)
    bounds = list(seg.starts) + [n_t]
    soc = {}
    for name, idxs in tests.items():
        a, b = bounds[idxs[0]], bounds[idxs[-1] + 1]
        part = cum[:, a:b] - (cum[:, a - 1:a] if a > 0 else 0.0)
        soc[name] = (np.maximum(part.max(axis=-1, keepdims=True), 0.0)
                     - np.minimum(part.min(axis=-1, keepdims=True), 0.0))
    return {"fuel": fuel, "cold": c_ice["cold_kwh_per_l"] * 3.6e6 * x["vd"],
            "soc_swing": soc, "engine_on": engine_on, "w": w, "p_e": pe, "p_0": p_0,
            "p_batt": p_batt, "p_m": pw_m}


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
