"""Fleet compatibility: delta-V of the car against each vehicle class of a fleet.

Head-on, full-overlap collision of the car (mass m_1 = curb + 75 kg driver) with a
partner of mass m_2 (curb + 75 kg), closing speed v_c, restitution e (momentum
conservation; M. Huang, *Vehicle Crash Mechanics*, CRC 2002, ch. 2; PHYSICS.md)::

    delta_v_1 = (1 + e) m_2 / (m_1 + m_2) v_c

v_c = 112 km/h: NHTSA describes its 56 km/h (35 mph) barrier test as "equivalent to a
head-on collision between two similar vehicles each moving at 35 mph"; e = 0.1 [R,
typical of high-speed car-to-car crashes]. The threshold is the NCAP-equivalent
delta-V: the barrier test's (1 + e) x 56 km/h, so the car's delta-V exceeds what its
own NCAP test represents exactly when r = delta_v_th / ((1 + e) v_c) is passed::

    m_2 > m_1 r / (1 - r) = m_1          (r = 1/2: a heavier partner)

Within each segment the partner's curb mass is lognormal with the segment's mean and
coefficient of variation (data/fleet/fleet_mass.csv), so the share of the fleet above
the threshold is::

    S = sum_i s_i Q((ln m_crit - mu_i) / sigma_i),  sigma_i^2 = ln(1 + cv_i^2),
        mu_i = ln(mean_i) - sigma_i^2 / 2,  m_crit = m_1 r / (1 - r) - 75 kg

with Q the standard normal survival function and s_i the new-vehicle shares
(renormalised per market). Shares are sales (new-vehicle production), not exposure.
Validity: collinear full-overlap impacts; geometry (override, stiffness mismatch) is
not modelled, which favours the heavier, taller partner further in reality.

Written once (:class:`~keidesign.closed_form.DualClosedForm`): the partials are the same
sums on dual numbers (Q' = -phi); batched (``n_cases > 1``, :mod:`keidesign.batch`),
``mass:curb`` and every output have shape ``(n,)``, the ``m_crit <= 0`` branch taken
by ``where`` and Q through ``math.erfc`` element by element.
"""

from __future__ import annotations

import csv
import importlib.resources
from math import erfc, log, pi, sqrt
from typing import Any

import numpy as np

from geometry import ad
from keidesign.catalogue.fleet import SEGMENTS
from keidesign.closed_form import DualClosedForm

DRIVER_KG = 75.0
CLOSING_SPEED_KMH = 112.0
RESTITUTION = 0.1
NCAP_SPEED_KMH = 56.0


def load_fleet(path=None) -> dict[str, list[dict]]:
    """Fleet rows by market id (``us``, ``jp``) from the shipped CSV (or ``path``)."""
    if path is None:
        ref = importlib.resources.files("keidesign") / "data" / "fleet" / "fleet_mass.csv"
        text = ref.read_text(encoding="utf-8")
    else:
        text = open(path, encoding="utf-8").read()
    out: dict[str, list[dict]] = {}
    for row in csv.DictReader(text.splitlines()):
        out.setdefault(row["market"].lower(), []).append({
            "segment_id": row["segment_id"], "share": float(row["share_of_new_vehicles"]),
            "mean": float(row["mean_curb_mass_kg"]), "cv": float(row["cv_curb_mass"])})
    for market, segs in SEGMENTS.items():
        got = tuple(r["segment_id"] for r in out.get(market, []))
        if got != segs:
            raise ValueError(f"fleet_mass.csv market {market}: segments {got} != {segs}")
    return out


_ERFC = np.frompyfunc(erfc, 1, 1)


def _phi(z: Any) -> Any:
    """Standard normal density."""
    return np.exp(-0.5 * z * z) / sqrt(2.0 * pi)


def _q_value(z: Any) -> Any:
    """Standard normal survival Q(z) = erfc(z / sqrt 2) / 2 (``math.erfc`` element by
    element); a complex argument (complex step) gets ``Q(Re z) - phi(Re z) i Im z``."""
    zr = np.real(z)
    q = 0.5 * np.asarray(_ERFC(np.asarray(zr) / sqrt(2.0)), dtype=float)
    return q - _phi(zr) * (z - zr) if np.iscomplexobj(z) else q


def survival(z: Any) -> Any:
    """Q(z) on numbers, arrays or dual numbers (derivative -phi(z))."""
    return ad.unary(z, _q_value, lambda a, v: -_phi(np.real(a)))


def head_on_delta_v(m1: Any, m2: Any, e: float = RESTITUTION,
                    vc: float = CLOSING_SPEED_KMH) -> Any:
    """Delta-V (units of ``vc``, km/h) of a car of mass ``m1`` in a full-overlap head-on
    with a partner of mass ``m2`` (kg, each with its driver): ``(1 + e) m2 / (m1 + m2)
    v_c`` (module docstring); numbers, arrays or dual numbers."""
    return (1.0 + e) * m2 / (m1 + m2) * vc


def fleet_lognormal(row: dict) -> tuple[float, float]:
    """``(mu, sigma)`` of the lognormal curb mass of a fleet segment (a row of
    :func:`load_fleet`): ``sigma^2 = ln(1 + cv^2)``, ``mu = ln(mean) - sigma^2 / 2``."""
    sig = sqrt(log(1.0 + row["cv"] ** 2))
    return log(row["mean"]) - 0.5 * sig**2, sig


def fleet_mass_density(m: Any, rows: list[dict]) -> Any:
    """Probability density (per kg) of the curb mass ``m`` (kg) in a market's fleet:
    the segments' lognormals weighted by their shares (renormalised)."""
    tot = sum(r["share"] for r in rows) or 1.0
    dens = 0.0 * np.asarray(m, dtype=float)
    for r in rows:
        mu, sig = fleet_lognormal(r)
        dens = dens + (r["share"] / tot) * np.exp(-(np.log(m) - mu) ** 2 / (2 * sig**2)) / (
            m * sig * sqrt(2 * pi))
    return dens


class FleetCompatibilityComp(DualClosedForm):
    """Delta-V against each fleet segment and the share of the fleet above threshold."""

    PROBE = {"mass:curb": 900.0}

    def initialize(self) -> None:
        super().initialize()
        self.options.declare("fleet", types=dict, desc="rows by market (load_fleet())")
        self.options.declare("closing_speed_kmh", default=CLOSING_SPEED_KMH, types=float)
        self.options.declare("restitution", default=RESTITUTION, types=float)
        self.options.declare("threshold_kmh", default=None, types=(float, type(None)),
                             desc="delta-V threshold; None = (1 + e) x 56 km/h")

    def setup(self) -> None:
        outs = ["crash:compat:mass"]
        for market, segs in SEGMENTS.items():
            outs += [f"crash:compat:{market}:{s}:delta_v" for s in segs]
            outs += [f"crash:compat:{market}:mean_delta_v", f"crash:compat:{market}:share_above"]
        self._add_variables(["mass:curb"], outs)

    def _ratio(self) -> float:
        e = self.options["restitution"]
        th = self.options["threshold_kmh"]
        th = (1.0 + e) * NCAP_SPEED_KMH if th is None else th
        return th / ((1.0 + e) * self.options["closing_speed_kmh"])

    def _values(self, g: dict) -> dict:
        e, vc = self.options["restitution"], self.options["closing_speed_kmh"]
        m1 = g["mass:curb"] + DRIVER_KG
        r = self._ratio()
        res = {"crash:compat:mass": m1}
        for market, rows in self.options["fleet"].items():
            tot = sum(row["share"] for row in rows)
            mean_dv, share = 0.0 * m1, 0.0 * m1
            for row in rows:
                m2 = row["mean"] + DRIVER_KG
                dv = head_on_delta_v(m1, m2, e, vc)
                res[f"crash:compat:{market}:{row['segment_id']}:delta_v"] = dv
                s = row["share"] / tot
                mean_dv = mean_dv + s * dv
                if r >= 1.0:
                    continue
                m_crit = m1 * r / (1.0 - r) - DRIVER_KG
                pos = ad.real(m_crit) > 0.0
                mu, sig = fleet_lognormal(row)
                z = (ad.log(ad.where(pos, m_crit, 1.0 + 0.0 * m_crit)) - mu) / sig
                share = share + ad.where(pos, s * survival(z), s + 0.0 * m1)
            res[f"crash:compat:{market}:mean_delta_v"] = mean_dv
            res[f"crash:compat:{market}:share_above"] = share
        return res
