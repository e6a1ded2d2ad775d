"""Do the US NCAP frontal star predictions rank the cars as their tests do? (issue 14,
task s45b; docs/crash.md, "Do the stars discriminate?").

The cars (D) are the distinct frontal tests of the certified generations outside the
dummy fit (:mod:`keidesign.validation.ncap_outside`; one row per test, the first
generation by name) whose rating row gives the ten dummy readings. Nothing is fitted.

**Risks.** A seat's joint AIS3+ risk (NHTSA's curves,
:func:`keidesign.crash.occupant.seat_risk`)::

    P = 1 - (1 - P_head(HIC15)) (1 - P_chest(deflection)) (1 - P_neck(Nij)) (1 - P_femur(F))

of the measured readings (the larger femur, kN) or of the model's
(``crash:ncap:frontal:driver_risk``, ``passenger_risk``); the relative risks of the
stars are ``RR_driver = P_m50 / 0.15``, ``RR_passenger = P_f05 / 0.15`` and
``RR_vehicle = (P_m50 + P_f05) / 2 / 0.15`` (dimensionless).

**The criterion** (written before the first run; :func:`criterion`):

- D1, rank: Spearman's rho (:func:`spearman`, average ranks for ties) of the model's and
  the measured vehicle relative risk over D, with a 95 % percentile bootstrap interval
  (:func:`bootstrap_ci`: :data:`N_BOOT` resamples of D's tests with replacement,
  ``numpy.random.default_rng(SEED)``, the pairs sorted first). Met when
  rho >= :data:`RHO_MIN` and the interval's lower end > 0.
- D2, exact stars: the model's exact frontal vehicle stars over D exceed the count of a
  constant guess of the most common published vehicle rating of D (:func:`mode_exact`).
- Verdict: met when D1 and D2 are.

Assumptions: the rating row's readings are the test's (checked: they reproduce its
published stars); a resample's repeated tests tie and take average ranks; a resample
whose model or measured values are all equal has no rho and is dropped (counted).
Validity: the 2011-protocol small cars of ``ncap_ratings_outside_fit.csv``; rho measures
order only, not the level of the risks.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from scipy.stats import rankdata

from keidesign.crash import occupant as occ

__all__ = ["RHO_MIN", "N_BOOT", "SEED", "CI", "SEATS", "relative_risks",
           "measured_relative_risks", "population",
           "spearman", "bootstrap_ci", "mode_exact", "rank", "criterion"]

#: D1's threshold on Spearman's rho (-)
RHO_MIN = 0.30
#: D1's bootstrap: resamples, generator seed, two-sided interval
N_BOOT, SEED, CI = 10_000, 45, 0.95
#: the relative risks ranked, in report order
SEATS = ("vehicle", "driver", "passenger")


def relative_risks(p_m50: float, p_f05: float) -> dict[str, float]:
    """NCAP relative risks of the seats' joint AIS3+ risks (module docstring)."""
    return {"vehicle": 0.5 * (p_m50 + p_f05) / occ.NCAP_BASELINE,
            "driver": p_m50 / occ.NCAP_BASELINE, "passenger": p_f05 / occ.NCAP_BASELINE}


def measured_relative_risks(measured: dict) -> dict[str, float]:
    """Relative risks of a rating row's measured readings (``{dummy: {head, deflection,
    nij, femur}}``, femur kN: :func:`keidesign.validation.ncap_outside.rating_rows`)."""
    p = {d: float(occ.seat_risk(d, m["head"], m["deflection"], m["nij"], m["femur"]))
         for d, m in measured.items()}
    return relative_risks(p["m50"], p["f05"])


def population(rows: list[dict]) -> list[dict]:
    """D: one row per frontal test (the first by car name) of
    :func:`keidesign.validation.ncap_outside.compare`'s ``rows``, those with readings."""
    seen, kept = set(), []
    for r in sorted(rows, key=lambda x: x["car"]):
        if r["test"] not in seen:
            seen.add(r["test"])
            if r["measured"] is not None:
                kept.append(r)
    return kept


def spearman(x, y) -> float:
    """Spearman's rho of two equal-length sequences (Pearson's r of their average ranks);
    NaN when either has fewer than two distinct values."""
    return float(_rho(np.asarray(x, dtype=float)[None, :],
                      np.asarray(y, dtype=float)[None, :])[0])


def _rho(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Row-wise Spearman's rho of 2-D arrays (NaN for a constant row)."""
    rx, ry = rankdata(x, axis=1), rankdata(y, axis=1)
    rx -= rx.mean(axis=1, keepdims=True)
    ry -= ry.mean(axis=1, keepdims=True)
    den = np.sqrt((rx * rx).sum(axis=1) * (ry * ry).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (rx * ry).sum(axis=1) / np.where(den > 0, den, 1.0), np.nan)


def bootstrap_ci(x, y, n: int = N_BOOT, seed: int = SEED,
                 level: float = CI) -> tuple[float, float, int]:
    """Percentile bootstrap interval of Spearman's rho of ``x`` and ``y``: ``n`` resamples
    of the pairs (sorted by x, then y, so that their order does not matter) with
    replacement; ``(low, high, dropped)``, dropped the resamples with no
    rho (a constant side); NaN ends when none has one."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    order = np.lexsort((y, x))           # the pairs sorted: the interval is the set's
    x, y = x[order], y[order]
    idx = np.random.default_rng(seed).integers(0, len(x), size=(n, len(x)))
    rho = _rho(x[idx], y[idx])
    ok = rho[np.isfinite(rho)]
    if not ok.size:                      # a constant side: no resample has a rho
        return float("nan"), float("nan"), n
    tail = 100 * (1 - level) / 2
    lo, hi = np.percentile(ok, [tail, 100 - tail])
    return float(lo), float(hi), int(n - ok.size)


def mode_exact(published: list[int]) -> tuple[int, int]:
    """``(mode, exact)``: the most common published value (the higher on a tie) and how
    many it gets exactly."""
    counts = Counter(published)
    mode = max(counts, key=lambda v: (counts[v], v))
    return mode, counts[mode]


def rank(model, measured) -> dict:
    """``{"rho", "lo", "hi", "dropped", "n"}`` of one figure (module docstring)."""
    lo, hi, dropped = bootstrap_ci(model, measured)
    return {"rho": spearman(model, measured), "lo": lo, "hi": hi, "dropped": dropped,
            "n": len(model)}


def criterion(model_rr: list[float], measured_rr: list[float], model_stars: list[int],
              published: list[int]) -> dict:
    """D1 and D2 of the module docstring over D: the vehicle relative risks of the model
    and the measured, the model's and the published vehicle stars (one per test, the same
    order). ``{"d1": rank figures and "met", "d2": {"model", "mode", "constant", "n",
    "met"}, "met"}``."""
    if not len(model_rr) == len(measured_rr) == len(model_stars) == len(published):
        raise ValueError("criterion: the four lists must have one value per test")
    d1 = rank(model_rr, measured_rr)
    d1["met"] = bool(d1["rho"] >= RHO_MIN and d1["lo"] > 0.0)
    mode, const = mode_exact(published)
    exact = sum(m == p for m, p in zip(model_stars, published, strict=True))
    d2 = {"model": exact, "mode": mode, "constant": const, "n": len(published),
          "met": exact > const}
    return {"d1": d1, "d2": d2, "met": d1["met"] and d2["met"]}
