"""Open body (roadster, convertible, targa): the extra mass, its pair data, fit and hold-out.

**Physics.** A closed body carries torsion and vertical bending through a closed
tube: floor, sills, pillars and roof. Taking the roof off leaves an open section whose
torsional stiffness falls to a small fraction (St Venant: a thin-walled closed section's
torsion constant goes as ``4 A^2 t / s``, an open one's as ``s t^3 / 3``); creating a
convertible from a coupe the body-in-white "loses up to 85% of its torsional and beaming
stiffness when the fixed steel roof is removed" and the engineer regains it "by
strategically reinforcing the underbody structure", plus the mass of the top's
framework (Durrani, *Optimizing Convertible Automobile Design Through the Use of
Magnesium*, SAE Technical Paper 930411, 1993, abstract; status R). The reinforcement
is higher, multi-box sills, a closed tunnel, cross-members and under-floor braces and a
stronger windscreen frame / A-pillar (kfz-tech.de, "Convertible" body page; the 2008
Toyota Solara convertible's body-structure description: "large section size and thick
sheet metal for the rockers", "braces under the floor"; status R). The sills, tunnel
and braces run between the wheel arches and the top spans the cabin, so both scale
with the wheelbase to first order; the roof panel and rails removed are netted in::

    m_open = a_open L_wb            (kg; L_wb wheelbase, m; 0 for a fixed roof)

``a_open`` (kg/m, ``coefficients.csv`` ``open_body_per_m``) is fitted by weighted
least squares through the origin on published open / closed twins
(``keidesign/data/mass/open_body_pairs.csv``: same maker, model generation, engine and
transmission; steel bodies, closed twin <= 1700 kg; the selection is in that file's
README row), each pair weighted 1 / (pairs of its make) so no make dominates::

    a_open = sum w_i L_i dm_i / sum w_i L_i^2,   dm_i = m_open,i - m_closed,i

and judged leave-one-make-out: each open car is predicted as its published closed twin
plus ``a_open L_wb`` with ``a_open`` fitted on the other makes' pairs, error =
prediction / published open curb - 1 (before the term: the closed twin's mass alone).

Assumptions and validity: the penalty of an open version of a closed design; a body
designed open from the start (MX-5, Copen, S660) may carry less (its sills are sized
from the start) or more (no roof panel to remove); steel unibodies of 1.8-2.9 m
wheelbase (the pairs); body-on-frame vehicles (the frame carries the loads: Jimny,
Vitara) and aluminium or carbon-fibre structures are outside. No layout term: a
mid-engined car's longer coolant and shift lines are not separated in any source found.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from keidesign.mass.data import DATA

__all__ = ["CANDIDATES", "PAIRS_CSV", "Pair", "fit", "holdout", "pairs", "report",
           "summary", "weights"]

PAIRS_CSV = DATA / "open_body_pairs.csv"


@dataclass(frozen=True)
class Pair:
    """One open car and its closed twin (masses in kg, wheelbase in m)."""

    make: str
    open_model: str
    closed_model: str
    wheelbase: float
    curb_open: float
    curb_closed: float

    @property
    def delta(self) -> float:
        """Published open - closed curb mass (kg)."""
        return self.curb_open - self.curb_closed


def pairs() -> list[Pair]:
    """The rows of :data:`PAIRS_CSV`."""
    with PAIRS_CSV.open(newline="", encoding="utf-8") as f:
        return [Pair(r["make"], r["open_model"], r["closed_model"],
                     float(r["wheelbase_mm"]) * 1e-3, float(r["curb_open_kg"]),
                     float(r["curb_closed_kg"])) for r in csv.DictReader(f)]


#: Candidate regressors of the open-body mass (one column each; ``wheelbase`` shipped).
CANDIDATES: dict[str, Callable[[Pair], Sequence[float]]] = {
    "wheelbase": lambda p: (p.wheelbase,),
    "constant": lambda p: (1.0,),
    "closed_mass": lambda p: (p.curb_closed,),
    "constant+wheelbase": lambda p: (1.0, p.wheelbase),
}


def weights(rows: Sequence[Pair]) -> np.ndarray:
    """1 / (pairs of the same make): each make counts once in the fit."""
    n = Counter(p.make for p in rows)
    return np.array([1.0 / n[p.make] for p in rows])


def fit(rows: Sequence[Pair], term: str = "wheelbase") -> np.ndarray:
    """Weighted least-squares coefficients of ``dm = X c`` (no intercept unless the
    candidate has a constant column)."""
    x = np.array([CANDIDATES[term](p) for p in rows], dtype=float)
    y = np.array([p.delta for p in rows])
    sw = np.sqrt(weights(rows))
    return np.linalg.lstsq(x * sw[:, None], y * sw, rcond=None)[0]


def holdout(rows: Sequence[Pair], term: str | None = "wheelbase") -> np.ndarray:
    """Leave-one-make-out error of each open car (fraction): its closed twin + the term
    fitted without its make, over its published mass, - 1. ``term=None``: no term."""
    err = np.empty(len(rows))
    for make in {p.make for p in rows}:
        train = [p for p in rows if p.make != make]
        c = fit(train, term) if term else None
        for i, p in enumerate(rows):
            if p.make == make:
                add = float(np.dot(CANDIDATES[term](p), c)) if term else 0.0
                err[i] = (p.curb_closed + add) / p.curb_open - 1.0
    return err


def summary(rows: Sequence[Pair], err: np.ndarray) -> dict[str, float]:
    """Mean absolute error and bias over cars and make-weighted (fractions)."""
    w = weights(rows)
    return {"mae": float(np.mean(np.abs(err))), "bias": float(np.mean(err)),
            "mae_make": float(np.sum(w * np.abs(err)) / np.sum(w)),
            "bias_make": float(np.sum(w * err) / np.sum(w)),
            "worst": float(err[np.argmax(np.abs(err))])}


def report(wheelbases: dict[str, float] | None = None) -> list[str]:
    """Lines of the ``open_body`` probe: the pairs, the fit of each candidate and its
    leave-one-make-out error; ``wheelbases`` ``{name: m}`` adds the term's value."""
    rows = pairs()
    makes = Counter(p.make for p in rows)
    out = [f"{len(rows)} open / closed pairs, {len(makes)} makes "
           f"(keidesign/data/mass/open_body_pairs.csv)",
           f"{'make':14s} {'open':48s} {'WB m':>5s} {'open':>5s} {'closed':>6s} {'dm':>5s}"]
    out += [f"{p.make:14s} {p.open_model[:48]:48s} {p.wheelbase:5.3f} {p.curb_open:5.0f} "
            f"{p.curb_closed:6.0f} {p.delta:+5.0f}" for p in rows]
    dm = np.array([p.delta for p in rows])
    out.append(f"published dm: mean {dm.mean():+.1f} kg, make-weighted "
               f"{np.sum(weights(rows) * dm) / np.sum(weights(rows)):+.1f} kg, "
               f"range {dm.min():+.0f} .. {dm.max():+.0f} kg")
    out.append("open-car error, leave-one-make-out (closed twin + term), over cars | "
               "make-weighted:")
    for term in (None, *CANDIDATES):
        s = summary(rows, holdout(rows, term))
        coef = "" if term is None else " c = " + ", ".join(f"{v:.4g}" for v in fit(rows, term))
        out.append(f"  {term or 'no term':20s} MAE {100 * s['mae']:5.2f} % bias "
                   f"{100 * s['bias']:+5.2f} % | MAE {100 * s['mae_make']:5.2f} % bias "
                   f"{100 * s['bias_make']:+5.2f} %, worst {100 * s['worst']:+.1f} %{coef}")
    a = float(fit(rows)[0])
    out.append(f"shipped term: m_open = {a:.1f} kg/m x wheelbase (fit on all {len(rows)} "
               "pairs)")
    for name, wb in (wheelbases or {}).items():
        out.append(f"  {name}: wheelbase {wb:.3f} m -> m_open = {a * wb:.1f} kg")
    return out
