"""Regeneration on the driven axle at its ideal brake-force share (4 Dec 2026,
tried, not kept): the trial physics the probe ``python benchmarks/validation_probes.py
ev_regen_axle`` swaps in, kept out of the shipped BEV cycle
(:func:`keidesign.energy.powertrains.bev_cycle`, a constant regenerative share ``k_r``
for every drive; docs/validation.md, ``ev_regen_axle``).

The trial: the regenerated share of the braking power is ``min(1, k_r x a(z))`` instead
of ``k_r``, with ``a(z)`` the regenerating axle's share of the braking force under the
ideal distribution at the interval's deceleration ``z`` (:func:`regen_axle_share`).
:func:`bev_cycle` runs the shipped cycle with that share in place of the constant (the
shipped kernel stays the one implementation: it multiplies the braking power by
``c["regen_share"]``, a constant or an ``(n, T)`` array alike).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from geometry import ad as D
from keidesign.energy import powertrains as pt
from keidesign.energy.cycles import SegmentSet

#: The shipped cycle the trial calls (taken at import, before a probe patches it).
SHIPPED_BEV_CYCLE = pt.bev_cycle
#: Standard gravity (m/s^2): the deceleration in g of :func:`regen_axle_share`.
G0 = 9.80665


def regen_axle_share(psi: Any, chi: Any, z: Any) -> Any:
    """Share of the total braking force on the regenerating axle(s) under the ideal
    (simultaneous-lock) brake-force distribution, at the deceleration ``z`` (in g).

    The ideal distribution puts on each axle the share of the braking force equal to
    its dynamic load share (Wong, *Theory of Ground Vehicles*, 4th ed., 2008, section
    3.5, braking of a two-axle vehicle; Gillespie, *Fundamentals of Vehicle Dynamics*,
    1992, ch. 3; Bosch *Automotive Handbook*, brake-force distribution)::

        front share = (l_r + h z) / L = psi_f + (h / L) z,   rear share = 1 - front [R]

    with ``l_r`` the centre of gravity's distance ahead of the rear axle, ``h`` its
    height and ``L`` the wheelbase (``psi_f = l_r / L`` the static front load share).
    Written for the regenerating axle: ``psi`` its static load share (1 for all-wheel
    drive, where both axles regenerate), ``chi`` the signed ``h / L`` (+ front axle,
    - rear axle, 0 all-wheel drive); the result is clipped to [0, 1]. ``z`` >= 0.

    Assumptions [A]: the friction brakes of the other axle keep their ideal share (a
    blending that lets the driven axle take more at low deceleration, within adhesion,
    is the shipped constant share); no yaw or ABS limits. Validity: decelerations of the
    test cycles (below 0.2 g) on two-axle cars.
    """
    return np.clip(psi + chi * z, 0.0, 1.0)


def axle_regen_share(share: Any, axle: Any) -> Any:
    """The regenerated share of the braking power with the axle limit: ``min_s(1, k_r x
    a)`` (smooth minimum, width 1e-3) of the constant share ``share`` (``k_r``) and the
    axle's share ``axle`` (:func:`regen_axle_share`)."""
    return D.smin(share * axle, 1.0 + 0.0 * axle, 1e-3)


def bev_cycle(seg: SegmentSet, x: dict, c: dict, pw: Any = None,
              behind: np.ndarray | None = None) -> dict:
    """The shipped BEV cycle; with ``x["regen_psi"]``, ``x["regen_chi"]`` ``(n, 1)`` (the
    regenerating axle's static load share and signed h / L of :func:`regen_axle_share`)
    the regenerated share on each interval is :func:`axle_regen_share` at the
    interval's deceleration; without them the shipped cycle as it is. ``behind``: the
    shipped cycle's full-power intervals, passed on."""
    if "regen_psi" not in x:
        return SHIPPED_BEV_CYCLE(seg, x, c, pw, behind=behind)
    tr = pt.Trace.of(seg)
    z = np.maximum(-tr.dv / tr.dt, 0.0) / G0
    axle = regen_axle_share(x["regen_psi"], x["regen_chi"], z)
    return SHIPPED_BEV_CYCLE(seg, x, {**c, "regen_share": axle_regen_share(c["regen_share"],
                                                                         axle)}, pw,
                             behind=behind)
