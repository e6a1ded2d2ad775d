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

* Hinge moment of a thin box whose compression flange buckles before the section is
  fully plastic (Kecman, "Bending collapse of rectangular and square section tubes",
  Int. J. Mech. Sci. 25(9-10), 1983, 623-636: the maximum moment of a slender box is
  set by the post-buckling strength of its compression flange, the rest of the section
  plastic [R: the scheme as Masuda & Chen summarize it, "Collapse Load for Thin-Walled
  Rectangular Tubes", IntechOpen 2017, doi 10.5772/intechopen.71226; Kecman's own
  effective-width expression was not available, so the Winter / Eurocode one is used]).
  The compression flange (width w, wall t) carries sigma_0 over its effective width
  w_e = rho w, an internal plate in uniform compression (buckling coefficient k = 4)::

      lambda = (w / t) sqrt(12 (1 - nu^2) sigma_0 / (k pi^2 E))
      rho    = (lambda - 0.22) / lambda^2   for lambda > 0.673, else 1

  (Winter 1947, AISI S100 B2.1; EN 1993-1-5 4.4 with psi = 1; lambda as EN 1993-1-3
  4.4(2), there with the yield stress: the flow stress used here, as everywhere in this
  module, gives a slightly smaller effective width). The webs (depth d) and the tension
  flange are fully plastic; the plastic neutral axis moves towards the compression
  flange, y = d/2 + (w - w_e)/4 from it, and::

      M_h = sigma_0 t (w_e y + y^2 + (d - y)^2 + w (d - y))

  which is M_p = sigma_0 t d (w + d/2) for rho = 1. It is the peak moment: past it the
  hinge moment falls as the hinge rotates (Kecman's collapse curves), so a mean force
  over a deep crush built on it is high in that respect. Valid for w (1 - rho) <= 2 d
  (the neutral axis in the webs; y is capped at d beyond) and webs that do not buckle
  themselves (d/w not large: Masuda & Chen find Kecman's flange-based estimate far off
  for a large web-to-flange ratio, through web buckling).

* Fully plastic torque of a thin closed box of mid-wall height h, depth d and wall t
  (Bredt's constant shear flow q = T / (2 A_m) round a thin closed section, A_m = h d
  the area its mid-wall line encloses: e.g. T. H. G. Megson, *Aircraft Structures for
  Engineering Students*, torsion of closed thin-walled sections; the whole wall at the
  shear flow stress tau_0 = sigma_0 / sqrt(3), von Mises)::

      T_p = 2 h d t sigma_0 / sqrt(3)

  An upper side: a slender wall (h / t ~ 100) buckles in shear before tau_0 (an
  internal plate's k_s = 5.34 gives about 70-100 MPa at h / t = 100-120 in steel) and
  carries the rest by tension-field action, not credited here.

Validity: thin walls (c/t > ~10), progressive folding (no global bending of the tube),
20 <= c/t <= 200 for the crush force; the full plastic moments for compact sections
(no local buckling before M_p); the hinge moment for slender boxes as above.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from geometry import ad

K_SUPERFOLD = 13.05
STRAIN_RATE_COEF = 0.33
STROKE_EFFICIENCY = 0.73
#: Poisson's ratio of the steels and aluminium of :mod:`keidesign.materials`
POISSON = 0.3
#: buckling coefficient of an internal plate in uniform compression, edges simply
#: supported (the compression flange of a box: its corners)
K_PLATE = 4.0
#: plate slenderness above which the flange's effective width is below its width
#: (Winter; EN 1993-1-5 4.4, psi = 1)
LAMBDA_LIMIT = 0.673


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


def effective_width_ratio(sigma0: float, e_mod: float, w: Any, t: Any) -> Any:
    """rho = w_e / w (-) of a plate of width ``w``, wall ``t`` (m) compressed at
    ``sigma0`` (Pa), Young's modulus ``e_mod`` (Pa), edges simply supported (module
    docstring: Winter / EN 1993-1-5)."""
    lam = w / t * np.sqrt(12.0 * (1.0 - POISSON**2) * sigma0 / (K_PLATE * np.pi**2 * e_mod))
    return ad.where(ad.real(lam) > LAMBDA_LIMIT, (lam - 0.22) / lam**2, 1.0)


def box_hinge_moment(sigma0: float, e_mod: float, w: Any, d: Any, t: Any) -> Any:
    """M_h (N*m): the maximum bending moment of a thin box, compression-flange width
    ``w``, bending depth ``d``, wall ``t`` (m), its compression flange at the effective
    width (module docstring, Kecman's scheme); the full M_p when the flange does not
    buckle first."""
    w_e = effective_width_ratio(sigma0, e_mod, w, t) * w
    y = ad.minimum(0.5 * d + 0.25 * (w - w_e), d)
    return sigma0 * t * (w_e * y + y**2 + (d - y) ** 2 + w * (d - y))


def box_torsion_moment(sigma0: float, h: Any, d: Any, t: Any) -> Any:
    """T_p (N*m): the fully plastic torque of a thin closed box, mid-wall height ``h``,
    depth ``d``, wall ``t`` (m), flow stress ``sigma0`` (Pa): ``2 h d t sigma0 /
    sqrt(3)`` (module docstring: Bredt's shear flow at the von Mises shear flow
    stress)."""
    return 2.0 * h * d * t * sigma0 / np.sqrt(3.0)
