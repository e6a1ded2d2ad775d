"""Thin-walled crash members: closed-form mean forces and bending capacities.

All functions take SI values (m, Pa, m/s) as numbers, arrays or dual numbers
(:mod:`geometry.ad`: the components' partials come from these same lines) and are
complex-step safe.

* Mean axial crush force of a rectangular thin-walled tube b x h, wall t, flow stress
  sigma_0 (superfolding element, Abramowicz & Jones, Int. J. Impact Eng. 2(2), 1984,
  179-208; symmetric mode, effective-crushing-distance form, equivalent square side
  c = (b + h)/2; 52.22 M_0 (c/t)^(1/3) with M_0 = sigma_0 t^2/4)::

      P_s = 13.05 sigma_0 t^(5/3) c^(1/3)

  The constant already includes the effective crushing distance, so the stroke that
  goes with it is 0.73 of the member length (the rest is compacted folds).
* Cowper-Symonds dynamic factor at the mean crushing strain rate of a square tube
  eps_dot = 0.33 V_m / c (Abramowicz & Jones 1984), V_m the mean crushing speed::

      P_d = P_s (1 + (eps_dot / D)^(1/q))

* Full plastic moment of a thin-walled box (flange width w, bending depth d, wall t):
  Z_p = t d (w + d/2); of a thin circular tube of mean diameter D: Z_p = D^2 t
  (N. Jones, *Structural Impact*, Cambridge Univ. Press 1989, ch. 1). M_p = sigma_0 Z_p.

Validity: thin walls (c/t > ~10), progressive folding (no global bending of the tube),
20 <= c/t <= 200 for the crush force; bending members with no local buckling before
the plastic moment (compact sections).
"""

from __future__ import annotations

from typing import Any

K_SUPERFOLD = 13.05
STRAIN_RATE_COEF = 0.33
STROKE_EFFICIENCY = 0.73


def crush_force(sigma0: float, cs_d: float, cs_q: float, b: Any, h: Any, t: Any,
                v_mean: float) -> Any:
    """Dynamic mean crush force P_d (N) of one tube b x h, wall t (m)."""
    c = 0.5 * (b + h)
    ps = K_SUPERFOLD * sigma0 * t ** (5.0 / 3.0) * c ** (1.0 / 3.0)
    rq = (STRAIN_RATE_COEF * v_mean / c / cs_d) ** (1.0 / cs_q)
    return ps * (1.0 + rq)


def box_plastic_moment(sigma0: float, w: Any, d: Any, t: Any) -> Any:
    """M_p (N*m) of a thin box, flange width w, bending depth d, wall t (m)."""
    return sigma0 * t * d * (w + 0.5 * d)


def tube_plastic_moment(sigma0: float, dia: Any, t: Any) -> Any:
    """M_p (N*m) of a thin circular tube of mean diameter ``dia``, wall t (m)."""
    return sigma0 * dia**2 * t
