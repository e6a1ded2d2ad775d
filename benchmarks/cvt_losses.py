"""Issue 13's CVT loss trial (4 Dec 2026, probe ``cvt_losses``; nothing shipped): a
load-independent variator loss against the shipped constant efficiency.

    python benchmarks/validation_probes.py cvt_losses        # ~2 min, one-step hold-out
    python benchmarks/validation_probes.py cvt_losses_exact  # ~15 min on 2 shared cores

``twin_ratio`` found the CVT / manual ratio too high on the HWFET (+5.7 %, every make)
and right on the FTP (-0.9 %). The shipped CVT is ``P_in = P_out / eta_cvt`` (fitted,
0.9-0.96) on the operating-line ratio rule: a loss proportional to the power it carries.
A steel push-belt (or chain) CVT also loses power that does not scale with the torque it
carries:

* the clamping force is set by the line pressure for the largest torque the variator must
  hold (with a safety factor); at part load the belt runs over-clamped and its friction
  losses (segment / pulley micro-slip, segment / band and band / band slip) scale with the
  clamping force and the sliding speeds, not with the transmitted torque. Micklem et al.
  1996 (Proc IMechE D 210(1), 57-62, abstract read, status V for the finding): the
  overall CVT efficiency is low, "especially at the lower vehicle speeds"; the main losses
  are the belt torque loss, the hydraulic pump loss and the belt-pulley slip, and lower
  clamping pressures improve the vehicle's economy. Narita & Priest 2007 (Proc IMechE J
  221, 11-26, DOI 10.1243/13506501JET169, abstract read, status V for the finding;
  clamping force 10.5-34.6 kN, ratio 2.36 (reduction) to 0.44 (overdrive)): the
  efficiency "decreased under an overdrive speed ratio and lower load condition";
* the oil pump, on the input shaft, delivers a flow ~ engine speed at the line pressure
  (the clamping pressure), a power ~ pressure x engine speed (Micklem et al. 1996, V for
  the pump being a main loss; the proportionality is the positive-displacement pump's,
  status A).

Reduced-order law (this module, status A for the form, each term's scaling from the
sources above): with the clamping force sized to the engine's rated torque ``T_r`` (N m)
and the slip speed a fixed fraction of the belt's linear speed,

    P_in = P_out / eta_cvt + P_cl,    P_cl = k_belt T_r omega_b,
    omega_b = v_belt / (R_p + R_s) = w_p / (1 + i),    i = w_p / w_s             [W]

``w_p`` the primary (engine) speed, ``w_s`` the secondary speed (rad/s), ``i`` the
variator ratio (reduction > 1, overdrive < 1), ``R_p``, ``R_s`` the running radii with
``R_p + R_s`` about constant (fixed belt length and centre distance, to first order: A)
and ``v_belt = w_p R_p``; ``k_belt`` (-) fitted. At the same engine speed the loss grows
toward overdrive (``1 / (1 + i)``: 0.29 at ``i`` = 2.5, 0.5 at 1, 0.69 at 0.45): the
highway load point. The secondary speed is ``w_s = v k_hi / i_od`` (``k_hi`` the
overall top ratio, rad/m; ``i_od`` = 0.45, the CVT default's top ratio,
:data:`keidesign.energy.powertrains.TRANSMISSION_DEFAULTS`, status A for every car;
CVTs in the data span about 0.38-0.45). With ``k_belt = 0`` it is the shipped model.
Valid on the driven CVT above standstill (``w_s > 0``); a standing car has no belt
loss here (the standing idle fuel is the fitted idle term). Its pump-only companion,
``k_pump T_r w_p`` (the loss at a constant input drag torque), is the spin loss of
``benchmarks/transmission_trials.py`` for the CVT family alone (fit name ``spin_cvt``),
tried here on the CVT only.

Both are a zero-load mean effective pressure added while the engine runs (how
``transmission_trials.spin_pme_bar`` adds the spin loss): ``dp_me0 = 4 pi k T_r f /
V_eff`` with ``f = 1 / (1 + i)`` (belt) or 1 (pump); the idle-stop saving keeps the
engine's own friction. The shipped kernel stays the one implementation: :func:`active`
swaps in, for its duration, a wrapper of :func:`keidesign.energy.powertrains.ice_cycle`
that passes the CVT's ``p_me0`` with the belt term to the shipped load law (the kernel's
``load_law`` argument: no copy of the kernel's steps), and calibration's ``fit_vectors`` /
``ice_section`` that know ``k_belt``, over every module-level binding, then checks that
``k_belt`` reaches calibration's prediction and the kei check's rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import transmission_trials as tt

from geometry import ad as D
from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc

#: fit name of the belt-loss coefficient (-) in the ``[ice]`` section, start and bounds
BELT = "k_belt"
BELT_TRIAL = {"x0": 0.01, "lb": 0.0, "ub": 0.2}
#: the CVT's top (overdrive) variator ratio, for every car (status A; module docstring)
I_OD = pt.TRANSMISSION_DEFAULTS["cvt"]["ratio_high"]


def belt_speed_factor(w_p: Any, vb: np.ndarray, k_hi: Any, i_od: float = I_OD) -> Any:
    """``omega_b / w_p = 1 / (1 + i) = w_s / (w_s + w_p)`` (-) on each interval: primary
    speed ``w_p`` (rad/s, ``(n, T)``), mean speed ``vb`` (m/s, ``(T,)``), overall top
    ratio ``k_hi`` (rad/m, ``(n, 1)``); 0 at standstill, in [0, 1)."""
    w_s = vb * k_hi / i_od
    return w_s / (w_s + D.smax(w_p, 1.0, 0.1))


def belt_pme_bar(c: dict, x: dict, w_p: Any, vb: np.ndarray) -> Any:
    """The belt loss ``k_belt T_r omega_b`` as a zero-load mean effective pressure (bar,
    ``(n, T)``) at primary speed ``w_p``: ``4 pi k_belt T_r / V_eff / (1 + i)``; 0 without
    ``c["k_belt"]``."""
    k = c.get(BELT, 0.0)
    return (4.0 * np.pi * k * x["t_r"] / pt.effective_volume(x, c) * 1e-5
            * belt_speed_factor(w_p, vb, x["k_hi"]))


def belt_loss_power(c: dict, x: dict, w_p: Any, vb: np.ndarray) -> Any:
    """The belt loss ``P_cl`` (W, ``(n, T)``): ``k_belt T_r w_p / (1 + i)``."""
    return belt_pme_bar(c, x, w_p, vb) * 1e5 * pt.effective_volume(x, c) * w_p / (4.0 * np.pi)


def ice_cycle(seg: Any, x: dict, trans: str, c: dict, idle_stop: bool = False,
              turbo: bool = False, pw: Any = None, stop_speed: float = 0.0,
              lockup: str = "all",
              load_law: Callable[[pt.IceIntervals], tuple] = pt.willans_loads,
              manual_schedule: tuple[float, ...] | None = None,
              behind: np.ndarray | None = None) -> dict:
    """The (transmission trials') ICE cycle with the belt loss on a CVT: the engine speed
    is the shipped rule's (the loss does not enter the ratio rule, as the shipped
    efficiency does not), ``p_me0`` gets :func:`belt_pme_bar` at it and the family's
    spin loss where one is set (``transmission_trials.spin_pme_bar``): the shipped
    kernel run with ``load_law`` on those constants (its ``load_law`` argument, which
    hands the law the kernel's engine speed)."""
    kw = {"idle_stop": idle_stop, "turbo": turbo, "pw": pw, "stop_speed": stop_speed,
          "lockup": lockup, "manual_schedule": manual_schedule, "behind": behind}
    if trans != "cvt" or not c.get(BELT, 0.0):
        return tt.ice_cycle(seg, x, trans, c, **kw, load_law=load_law)

    def belt_law(s: pt.IceIntervals) -> tuple:
        add = belt_pme_bar(c, x, s.w, s.tr.vb) + tt.spin_pme_bar(c, trans, x)
        cs = {**c, "pme0_bar": c["pme0_bar"] + add, tt._ENGINE_PME0: c["pme0_bar"]}
        return load_law(dataclasses.replace(s, c=cs))

    return tt.SHIPPED.ice_cycle(seg, x, trans, c, **kw, load_law=belt_law)


def fit_vectors(names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The transmission trials' ``fit_vectors`` that also knows :data:`BELT`."""
    rows = [(BELT_TRIAL["x0"], BELT_TRIAL["lb"], BELT_TRIAL["ub"]) if n == BELT else
            tuple(float(v[0]) for v in tt.fit_vectors((n,))) for n in names]
    return tuple(np.array([r[i] for r in rows]) for i in range(3))


def ice_section(base: dict, fit: dict) -> dict:
    """The transmission trials' ``ice_section``; :data:`BELT` passes as it is."""
    ice = tt.ice_section(base, {k: v for k, v in fit.items() if k != BELT})
    if BELT in fit:
        ice[BELT] = fit[BELT]
    return ice


def check_effect() -> None:
    """Raise unless ``k_belt`` = 0.02 moves calibration's predicted HWFET of the first
    EPA CVT test car by more than 0.1 % (stored constants) and ``spin_cvt`` its FTP:
    the trial reaches the code the probe fits with."""
    c, fit, _ = cal.stored_fits()
    car = next(car for car in tc.test_cars() if car.cls in cal.ICE_CLASSES
               and car.trans == "cvt")
    for trial, test in (({BELT: 0.02}, "hwfet"), ({"spin_cvt": 0.02}, "ftp")):
        base = cal.predict_ice([car], c, fit)[test][0]
        moved = cal.predict_ice([car], c, {**fit, **trial})[test][0]
        if not abs(moved / base - 1.0) > 1e-3:
            raise RuntimeError(f"CVT loss trial {trial} does not reach calibration."
                               f"predict_ice ({car.key} {test}: {base:.4f} -> {moved:.4f}"
                               " mpg): a caller holds a shipped function this swap did "
                               "not replace")


def swaps() -> tuple:
    """The transmission trials' swaps with this module's ``ice_cycle``, ``fit_vectors``
    and ``ice_section`` in place of theirs."""
    mine = {tt.SHIPPED.ice_cycle: ice_cycle, tt.SHIPPED.fit_vectors: fit_vectors,
            tt.SHIPPED.ice_section: ice_section}
    return tuple((s, mine.get(s, w)) for s, w in tt.swaps())


@contextmanager
def active() -> Iterator[None]:
    """The kernel and calibration with the CVT loss trial available, for the ``with``
    block (:func:`transmission_trials.swapped_in`, :func:`check_effect`)."""
    with tt.swapped_in(swaps(), check_effect):
        yield
