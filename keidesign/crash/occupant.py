"""Frontal dummies and the US NCAP frontal star rating (issue 14, deliverable 3).

**Dummy responses.** The pulse model (:mod:`keidesign.crash.pulse`) moves one lumped
occupant per seat on the belt/airbag restraint; it gives the occupant's 3 ms chest
deceleration ``a_3ms`` (m/s^2) and the HIC15 of its deceleration history ``HIC_occ``
(the head moving with the torso). The Hybrid III 50th male (driver) and 5th female
(passenger, US NCAP since MY2011) responses are taken proportional to these::

    HIC15_d = k_head,d^2.5 HIC_occ        head deceleration = k_head x torso's
    D_d     = k_defl,d a_3ms              chest deflection (mm): thorax force / stiffness
    Nij_d   = k_nij,d a_3ms               neck: head inertial load / Nij intercepts
    F_d     = k_femur,d a_3ms             femur (kN): knee-bolster share of the load
    a_3ms,d = a_3ms                       chest 3 ms (both dummies)

Each proportionality is a body region's share of the restraint load over its stiffness
or criterion intercept (a reduced-order restraint, M. Huang, *Vehicle Crash Mechanics*,
CRC 2002, ch. 5: a lumped occupant's load paths are fixed fractions of its
deceleration). The 5th female is assumed to ride down with the same deceleration as the
50th male (US advanced airbags and belts adapt to the occupant: 49 CFR 571.208 S14-S19
[to-check]); her smaller thorax, neck and femur show in her own constants. The eight
constants are fitted on measured NHTSA NCAP tests (``data/crash/ncap_ratings.csv``,
status V: NHTSA's ratings data file) of small cars, each car imported from its published
specs (:mod:`keidesign.validation.ncap`), as the geometric mean of measured / model
ratio per criterion, and judged leaving each family out (docs/crash.md). They are stored
in ``data/crash/occupant_fit.toml`` with the fit's provenance; a test refits them.

**Risk and stars** (``data/crash/ncap_risk_curves.csv``; NHTSA, 73 FR 40016, 2008, as
quoted [R]; reproduces all 54 frontal ratings of the 18 cars exactly, tested)::

    P_head  = Phi((ln HIC15 - 7.45231) / 0.73998)                       AIS3+
    P_neck  = 1 / (1 + exp(3.2269 - 1.9688 Nij))  (tension and compression risks are
              below 1e-3 at the loads of these tests and are not modelled)
    P_chest = 1 / (1 + exp(10.5456 - b D^0.4612)), b = 1.568 (50M), 1.721 (5F)
    P_femur = 1 / (1 + exp(5.795 - b F)), b = 0.5196 (50M), 0.762 (5F)  AIS2+ KTH
    P_seat  = 1 - (1 - P_head)(1 - P_neck)(1 - P_chest)(1 - P_femur)
    RR      = (P_driver + P_passenger) / 2 / 0.15
    stars   = 5 if RR < 0.67, 4 if < 1.0, 3 if < 1.33, 2 if < 2.67, else 1

Validity: belted 56 km/h full-width rigid barrier, airbag and pretensioned load-limited
belt, small cars of 900-1,500 kg; the constants carry the restraint tuning of the fit
cars (they are right on average for the class, not for a particular restraint design).
Derivatives: complex step through this one implementation.
"""

from __future__ import annotations

import tomllib
from importlib import resources

import numpy as np
from scipy.special import ndtr

from keidesign.closed_form import ComplexStepClosedForm

__all__ = ["DUMMIES", "NCAP_BASELINE", "OccupantComp", "dummy_responses", "load_fit",
           "logistic", "normal_cdf", "seat_risk", "stars"]

#: Dummies of the US NCAP frontal test: driver and front passenger
DUMMIES = ("m50", "f05")
#: NCAP relative-risk baseline (P_joint / 0.15; ncap_risk_curves.csv [R])
NCAP_BASELINE = 0.15
#: star limits of the relative risk (5 stars below the first)
STAR_LIMITS = (0.67, 1.0, 1.33, 2.67)
#: (a, b) of each risk curve per dummy (ncap_risk_curves.csv [R])
HEAD = (7.45231, 0.73998)
NECK_NIJ = (3.2269, 1.9688)
CHEST = {"m50": (10.5456, 1.568, 0.4612), "f05": (10.5456, 1.721, 0.4612)}
FEMUR = {"m50": (5.795, 0.5196), "f05": (5.795, 0.762)}
#: the fitted constants, one per (dummy, criterion)
CRITERIA = ("head", "deflection", "nij", "femur")

INPUTS = ("crash:front:chest_accel_3ms", "crash:front:occupant_hic15")
OUTPUTS = ("crash:front:hic15", "crash:front:chest_deflection", "crash:front:nij",
           "crash:front:femur_force", "crash:front:f05:hic15",
           "crash:front:f05:chest_accel_3ms", "crash:front:f05:chest_deflection",
           "crash:front:f05:nij", "crash:front:f05:femur_force",
           "crash:ncap:frontal:driver_risk", "crash:ncap:frontal:passenger_risk",
           "crash:ncap:frontal:relative_risk", "crash:ncap:frontal:stars")


def load_fit() -> dict:
    """The fitted constants ``{dummy: {criterion: k}}`` and the fit's provenance."""
    text = resources.files("keidesign.data").joinpath("crash/occupant_fit.toml").read_text()
    return tomllib.loads(text)


def dummy_responses(a3ms, hic_occ, k: dict) -> dict:
    """HIC15, chest deflection (mm), Nij and femur force (kN) of one dummy with
    constants ``k`` from the occupant's 3 ms deceleration (m/s^2) and HIC15."""
    return {"hic15": k["head"] ** 2.5 * hic_occ, "deflection": k["deflection"] * a3ms,
            "nij": k["nij"] * a3ms, "femur": k["femur"] * a3ms}


def logistic(z):
    """``1 / (1 + exp(z))``: the NHTSA logistic risk curve at ``z = a - b x``."""
    return 1.0 / (1.0 + np.exp(z))


def seat_risk(dummy: str, hic15, deflection_mm, nij, femur_kn) -> object:
    """Joint AIS3+ risk of one seat (module docstring), arrays real or complex."""
    p_head = normal_cdf((np.log(hic15 + 1e-9) - HEAD[0]) / HEAD[1])
    p_neck = logistic(NECK_NIJ[0] - NECK_NIJ[1] * nij)
    a, b, c = CHEST[dummy]
    p_chest = logistic(a - b * (deflection_mm + 1e-12) ** c)  # deflection >= 0
    fa, fb = FEMUR[dummy]
    p_femur = logistic(fa - fb * femur_kn)
    return 1.0 - (1.0 - p_head) * (1.0 - p_neck) * (1.0 - p_chest) * (1.0 - p_femur)


def normal_cdf(x):
    """Standard normal CDF, complex-step safe (first-order rule on complex input)."""
    if np.iscomplexobj(x):
        xr = np.real(x)
        return ndtr(xr) + 1j * np.imag(x) * np.exp(-0.5 * xr * xr) / np.sqrt(2.0 * np.pi)
    return ndtr(x)


def stars(relative_risk) -> np.ndarray:
    """NCAP stars (5 best) of a relative risk (float arrays; bands of STAR_LIMITS)."""
    rr = np.real(np.asarray(relative_risk, dtype=complex))
    return 5.0 - np.searchsorted(np.array(STAR_LIMITS), rr, side="right").astype(float)


class OccupantComp(ComplexStepClosedForm):
    """Hybrid III 50th male and 5th female frontal criteria, NCAP risk and stars."""

    INPUTS = INPUTS
    OUTPUTS = OUTPUTS
    DEPENDS = {"crash:front:hic15": ("crash:front:occupant_hic15",),
               "crash:front:f05:hic15": ("crash:front:occupant_hic15",),
               **{o: ("crash:front:chest_accel_3ms",) for o in OUTPUTS if any(
                   s in o for s in ("deflection", "nij", "femur", "chest_accel"))},
               "crash:ncap:frontal:stars": ()}

    def initialize(self) -> None:
        super().initialize()
        self._k = {d: {c: float(load_fit()[d][c]) for c in CRITERIA} for d in DUMMIES}

    def _values(self, inputs) -> dict:
        a3, hic = inputs["crash:front:chest_accel_3ms"], inputs["crash:front:occupant_hic15"]
        r = {d: dummy_responses(a3, hic, self._k[d]) for d in DUMMIES}
        p = {d: seat_risk(d, r[d]["hic15"], r[d]["deflection"], r[d]["nij"], r[d]["femur"])
             for d in DUMMIES}
        rr = 0.5 * (p["m50"] + p["f05"]) / NCAP_BASELINE
        out = {}
        for d, pre in (("m50", "crash:front:"), ("f05", "crash:front:f05:")):
            out[pre + "hic15"] = r[d]["hic15"]
            out[pre + "chest_deflection"] = r[d]["deflection"]
            out[pre + "nij"] = r[d]["nij"]
            out[pre + "femur_force"] = r[d]["femur"]
        out["crash:front:f05:chest_accel_3ms"] = a3
        out["crash:ncap:frontal:driver_risk"] = p["m50"]
        out["crash:ncap:frontal:passenger_risk"] = p["f05"]
        out["crash:ncap:frontal:relative_risk"] = rr
        out["crash:ncap:frontal:stars"] = stars(rr) + 0.0 * a3
        return out
