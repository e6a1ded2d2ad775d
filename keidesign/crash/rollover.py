"""US NCAP rollover resistance: static stability factor, rollover risk, rollover stars.

Equations (one design, SI inputs in mm)::

    h_cg = K_CG x H                                  centre-of-gravity height, mm
    T    = (T_front + T_rear) / 2                    NHTSA's track: the average of the axles
    SSF  = T / (2 h_cg)                              static stability factor
    risk = B (SSF - C)^K   (capped at 1)             chance of rollover in a single-vehicle crash
    stars: 5 from SSF 1.4535, 4 from 1.1763, 3 from 1.0742, 2 from 1.0200, else 1
           (the SSF at which the risk is 10, 20, 30, 40 %: SSF_STAR_LIMITS)
    extrapolated = 1 if SSF outside 1.07-1.83 or H outside 1328-1826 mm, else 0

* **Track.** SSF is "one half the track width, t, divided by h, the height of the
  center of gravity" (NHTSA rollover notice, Chapt05 "Why choose SSF" [R]); NHTSA's
  2004 measurements give T/2h from the average of the front and rear tracks (every
  consistent row of ``ncap_cg_2004.csv``, tests/test_crash_rollover_data.py). So the
  mean is used, not the narrower axle; a kei car's axles differ by 0-15 mm (under 1 % of SSF).
* **Risk.** NHTSA's 2004 risk equation (68 FR 59250) was not found in the stored pages
  (README, ``ncap_rollover.csv``; searched again 5 Dec 2026: openings only). The function
  is recovered from the agency's own 34 distinct published (SSF, risk) pairs of "No Tip"
  vehicles (Safercar_data.csv, status V: NHTSA's function values, not crash outcomes).
  Two-parameter forms do not reproduce them: logistic in SSF max |error| 0.032, probit
  0.037, exp(a + b/SSF^2) 0.0043, b/(SSF - c) 0.0049. The three-parameter power law
  above reproduces every pair within 0.0006 (the printed rounding is 0.0005; rms
  0.0003; each pair left out and predicted from the other 33: max 0.0006)
  (:func:`fit_risk_curve`; test ``test_crash_rollover``). Validity: SSF 1.07-1.83 (the
  pairs); outside it the risk is extrapolated (output ``crash:rollover:extrapolated``,
  also set for a body height outside the CG fit's); below SSF ~0.913 the
  power law passes 1 and is capped at 1 (one star): there the risk's gradient is
  exactly zero, which is why the us-ncap constraints bound the SSF, not the risk.
  "Tip" vehicles (fishhook test) are not modelled: none of the 41 small cars read
  tipped up.
* **Stars.** NHTSA's consumer text: 5 stars "risk of rollover of less than 10 %", 4
  10-20 %, 3 20-30 %, 2 30-40 %, 1 greater than 40 % (safercar.gov "Interpreting
  Ratings", web archive of 30 Dec 2008 [R]). The risk falls monotonically with SSF, so
  the bands are given as the SSF at which this function's risk equals 10/20/30/40 %,
  rounded to 4 decimals (:data:`SSF_STAR_LIMITS`, computed from the function: 1.4535,
  1.1763, 1.0742, 1.0200); an SSF equal to a limit gets the higher star count, as the
  us-ncap constraints (lower bounds on the SSF, the same numbers) pass it. The published
  rows agree except at the 5/4 limit: Subaru Legacy (SSF 1.449) and Ford Focus BEV
  (1.45), printed 0.101, rated 5 stars, where the function gives 0.1009 -> 4 stars
  (NHTSA's limit lies at SSF 1.44-1.449, this function's 10 % at 1.4535).
* **CG height.** h_cg = K_CG x H, K_CG = 0.373 fitted (least squares through zero) on 21
  vehicles of NHTSA's 2004 NCAP year with a measured CG height (``ncap_cg_2004.csv``,
  the consistent rows whose body height was found: 18 cars H 1328-1580 mm and the 3
  minivans 1748-1826 mm) and the published body height (``rollover_body_dims.csv``,
  autoevolution specs [R]); judged leaving each make family out: MAE 18.7 mm (3.4 %),
  bias -1.8 mm, max 56 mm (Nissan Quest). A two-parameter h = a + b H gains little
  (17.5 mm) and was not kept. Assumptions [A]: conventional floor, fuel tank and
  engine height; the CG of a battery under the floor sits lower (smart ED: 1.26 published
  vs 1.16 for the same body with petrol). Validity: H 1328-1826 mm; a tall kei wagon
  (1.75-1.80 m) lies inside, among the minivans, but its body is 0.3 m narrower and
  lighter than theirs: extrapolated in shape, not in height.

Batched (``n_cases > 1``): the same closed form on arrays of cases, no partials.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

import numpy as np

from geometry import ad
from keidesign.closed_form import DualClosedForm

__all__ = ["H_RANGE", "K_CG", "RISK_B", "RISK_C", "RISK_K", "SSF_RANGE", "SSF_STAR_LIMITS",
           "STAR_LIMITS", "RolloverComp", "caveat", "cg_rows", "compare_row", "extrapolated",
           "fit_cg_ratio", "fit_risk_curve", "published_rows", "risk", "risk_pairs",
           "ssf_at_risk", "stars", "validation_table", "values"]

#: h_cg / H, fitted by :func:`fit_cg_ratio` (21 vehicles, 2004 NCAP year) [R data]
K_CG = 0.3727
#: rollover risk = RISK_B (SSF - RISK_C)^RISK_K, fitted by :func:`fit_risk_curve` to
#: NHTSA's 34 published No-Tip (SSF, risk) pairs [V data]
RISK_B = 0.057797
RISK_C = 0.817899
RISK_K = -1.209819
#: SSF range of the published pairs (validity of the risk function)
SSF_RANGE = (1.07, 1.83)
#: body height range of the CG fit's vehicles, mm (validity of K_CG; :func:`cg_rows`)
H_RANGE = (1328.0, 1826.0)
#: (upper risk limit, stars), NHTSA's consumer bands [R]
STAR_LIMITS = ((0.10, 5), (0.20, 4), (0.30, 3), (0.40, 2))
#: SSF - C at which the power law reaches a risk of 1 (below: capped at 1)
_X_ONE = RISK_B ** (-1.0 / RISK_K)


def ssf_at_risk(p: float) -> float:
    """The SSF at which :func:`risk` equals ``p`` (0 < p <= 1): C + (p / B)^(1/K)."""
    return RISK_C + (p / RISK_B) ** (1.0 / RISK_K)


#: (lowest SSF, stars): the SSF of STAR_LIMITS' risks, 4 decimals; the us-ncap
#: rollover constraints' lower bounds (tests/test_crash_rollover.py holds them equal)
SSF_STAR_LIMITS = tuple((round(ssf_at_risk(p), 4), n) for p, n in STAR_LIMITS)

_IN = ("body:height", "body:track_front", "body:track_rear")
_OUT = ("crash:rollover:cg_height", "crash:rollover:ssf", "crash:rollover:risk",
        "crash:rollover:stars", "crash:rollover:extrapolated")


def _rows(name: str) -> list[dict]:
    text = resources.files("keidesign.data").joinpath(f"crash/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def risk(ssf):
    """NHTSA No-Tip rollover risk (fraction) at ``ssf`` (float, array or dual), capped
    at 1 below SSF = RISK_C + B^(-1/K) (about 0.91)."""
    x = ssf - RISK_C
    ok = ad.real(x) > _X_ONE
    xs = ad.where(ok, x, _X_ONE + 0.0 * x)
    return ad.where(ok, RISK_B * ad.exp(RISK_K * ad.log(xs)), 1.0 + 0.0 * x)


def stars(ssf):
    """NHTSA rollover stars (float 1-5) of an SSF (float, array or dual): the bands of
    :data:`SSF_STAR_LIMITS`, an SSF equal to a limit in the higher band."""
    s = np.real(ad.value(ssf))
    limits = np.array([lim for lim, _ in reversed(SSF_STAR_LIMITS)])
    out = 1.0 + np.searchsorted(limits, s, side="right").astype(float)
    return out if out.ndim else float(out)


def extrapolated(ssf, height_mm=None) -> bool | np.ndarray:
    """True where ``ssf`` lies outside the published pairs' range (:data:`SSF_RANGE`) or
    ``height_mm`` (when given) outside the CG fit's (:data:`H_RANGE`)."""
    s = np.real(ad.value(ssf))
    out = (s < SSF_RANGE[0]) | (s > SSF_RANGE[1])
    if height_mm is not None:
        h = np.real(ad.value(height_mm))
        out = out | (h < H_RANGE[0]) | (h > H_RANGE[1])
    return out


def caveat(ssf: float, height_mm: float) -> str | None:
    """The note of a judged rollover constraint: what lies outside the validity ranges
    (``"extrapolated: SSF 0.98 outside 1.07-1.83"``), None when nothing does."""
    parts = []
    if extrapolated(ssf):
        parts.append(f"SSF {ssf:.3f} outside {SSF_RANGE[0]:.2f}-{SSF_RANGE[1]:.2f}")
    if extrapolated(SSF_RANGE[0], height_mm):
        parts.append(f"body height {height_mm:.0f} mm outside "
                     f"{H_RANGE[0]:.0f}-{H_RANGE[1]:.0f} mm")
    return "extrapolated: " + "; ".join(parts) if parts else None


def published_rows() -> list[dict]:
    """The rows of ``ncap_rollover.csv`` (NHTSA's SSF, risk, tip and stars)."""
    return _rows("ncap_rollover.csv")


@cache
def risk_pairs() -> tuple[tuple[float, float], ...]:
    """NHTSA's distinct published (SSF, risk) pairs of No-Tip rows (ncap_rollover.csv)."""
    return tuple(sorted({(float(r["static_stability_factor"]), float(r["rollover_risk"]))
                         for r in published_rows() if r["dynamic_tip"] == "No Tip"}))


def fit_risk_curve(pairs=None) -> tuple[float, float, float]:
    """(B, C, K) of risk = B (SSF - C)^K, least squares on the pairs (default
    :func:`risk_pairs`)."""
    from scipy.optimize import least_squares
    s, p = (np.array(v) for v in zip(*(pairs or risk_pairs()), strict=True))
    res = least_squares(lambda a: np.exp(a[0] + a[1] * np.log(s - a[2])) - p,
                        [-3.0, -1.0, 0.8], bounds=([-10, -10, 0.0], [10, 0, 1.0]),
                        xtol=1e-14, ftol=1e-14)
    return float(np.exp(res.x[0])), float(res.x[2]), float(res.x[1])


def cg_rows() -> list[dict]:
    """The vehicles with a measured CG height (ncap_cg_2004.csv, consistent rows) and a
    published body height (rollover_body_dims.csv): vehicle, family, H, h_cg, track (mm)."""
    cg = {f"{r['make']} {r['model']}": r for r in _rows("ncap_cg_2004.csv")
          if r["consistency"] == "ok"}
    out = []
    for d in _rows("rollover_body_dims.csv"):
        if d["set"] != "cg_2004":
            continue
        c = cg[d["vehicle"].replace(" (wagon)", "")]
        out.append({"vehicle": d["vehicle"], "family": d["family"],
                    "height_mm": float(d["height_mm"]),
                    "cg_height_mm": float(c["cg_height_in"]) * 25.4,
                    "track_mm": float(c["avg_track_in"]) * 25.4})
    return out


def fit_cg_ratio(rows=None) -> float:
    """K_CG = sum(H h) / sum(H^2), least squares through zero (default :func:`cg_rows`)."""
    rows = cg_rows() if rows is None else rows
    h = np.array([r["height_mm"] for r in rows])
    cg = np.array([r["cg_height_mm"] for r in rows])
    return float(np.sum(h * cg) / np.sum(h * h))


def values(height_mm, track_front_mm, track_rear_mm) -> dict:
    """The closed form on plain numbers, arrays or duals: cg height (mm), SSF, risk,
    stars, extrapolated (0/1)."""
    h = K_CG * height_mm
    ssf = 0.5 * (track_front_mm + track_rear_mm) / (2.0 * h)
    flag = extrapolated(ssf, height_mm)
    return {"crash:rollover:cg_height": h, "crash:rollover:ssf": ssf,
            "crash:rollover:risk": risk(ssf), "crash:rollover:stars": stars(ssf),
            "crash:rollover:extrapolated": flag.astype(float) if np.ndim(flag)
            else float(flag)}


class RolloverComp(DualClosedForm):
    """SSF, NHTSA rollover risk and stars from body height and tracks (module docstring).

    ``DEPENDS``: stars and the extrapolation flag are piecewise constant (no partials);
    the risk depends on every input, declared so, as the sparsity probes could land on
    capped points (SSF below ~0.913) where its gradient is exactly zero."""

    INPUTS = _IN
    OUTPUTS = _OUT
    DEPENDS = {"crash:rollover:stars": (), "crash:rollover:extrapolated": (),
               "crash:rollover:risk": _IN}

    def _values(self, g):
        return values(g["body:height"], g["body:track_front"], g["body:track_rear"])


def compare_row(vehicle: str, height_mm: float, track_front_mm: float,
                track_rear_mm: float, published: dict) -> dict:
    """Predicted vs NHTSA's published SSF, risk and stars of one car (``published``: its
    row of ``ncap_rollover.csv``)."""
    v = values(height_mm, track_front_mm, track_rear_mm)
    return {"vehicle": vehicle, "height_mm": height_mm,
            "track_mm": 0.5 * (track_front_mm + track_rear_mm),
            "ssf": float(v["crash:rollover:ssf"]),
            "ssf_published": float(published["static_stability_factor"]),
            "risk": float(v["crash:rollover:risk"]),
            "risk_published": float(published["rollover_risk"]),
            "stars": int(v["crash:rollover:stars"]),
            "stars_published": int(published["rollover_stars"])}


def validation_table() -> list[dict]:
    """Predicted vs NHTSA's published SSF, risk and stars for the ``ncap_ratings`` cars of
    ``ncap_rollover.csv`` whose body height and tracks are published
    (``rollover_body_dims.csv``): the whole chain (K_CG x H, average track, risk, stars),
    no car's own CG used (:func:`compare_row`)."""
    pub = {r["vehicle"]: r for r in published_rows() if r["set"] == "ncap_ratings"}
    return [compare_row(d["vehicle"], float(d["height_mm"]), float(d["track_front_mm"]),
                        float(d["track_rear_mm"]), pub[d["vehicle"]])
            for d in _rows("rollover_body_dims.csv") if d["set"] == "ncap_rollover"]
