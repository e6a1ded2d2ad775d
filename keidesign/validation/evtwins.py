"""The EV motor's coast-down drag checked on EV / ICE twins of the EPA data (issue 13).

A BEV's road load from specs carries its traction motor's coast-down drag
(:func:`keidesign.energy.powertrains.coastdown_drag`): the EPA target coefficients come
from a coast-down in neutral, and a single-speed EV's motor keeps turning with the
wheels (Moskalik, SAE 2020-01-1064). This module checks that term independently of the
road-load fit, on pairs of an EV and the combustion car built on the same body in the
same generation (:data:`PAIRS`). The difference of their EPA target forces at ``v``::

    dF_meas(v) = F_EV(v) - F_ICE(v)                                              [N]

against what the road-load model of (e) (:mod:`keidesign.validation.roadload`) puts in
it::

    dF_model(v) = g (c0 + c1 v) (m_EV - m_ICE)                    mass (ETW, kg)
                + rho v^2 (Cd_EV A_EV - Cd_ICE A_ICE) / 2         aero (published Cd)
                + 0                                               tyres (no tyre term)
                + dF1 v + dF2 v^2                                 the motor drag

(``c0``, ``c1`` the (e) fit, ``g``, ``rho`` and ``A = 0.89 W H`` as there; the model
has no tyre term, tried and not kept, so the tyre sizes are only listed). The residual
``dF_meas - mass - aero`` is the drag-free EV-minus-ICE difference the model without the
motor drag misses; if the drag were the only physics left it would equal the drag.
Other physics left in it: the EVs' tyres (low rolling resistance on several; not in the
specs), errors of the published Cd (0.01 of Cd is about 14 N at 70 mph on a 2.4 m^2
area), the difference between the EV's reduction gear and the ICE's transmission output
side and final drive spinning in neutral, and the scatter of coast-downs between
configurations of one car (the ICE rows of one pair span up to 64 N at 50 mph:
``python benchmarks/validation_probes.py ev_twins``).

:func:`drag_scale` condenses the pairs: the ratio of the mean residual to the mean
modelled drag per speed, and a least-squares scale ``beta`` of the drag's speed growth
(``r_p(v) = a_p + beta d_p(v)`` with one offset ``a_p`` per pair for what does not
grow with speed, e.g. a tyre's rolling resistance), each with its leave-one-pair-out
range. ``beta`` = 1: the drag as modelled; 0: none seen.

Pairs (:data:`PAIRS`): the body generations of the shipped ``us_specs.csv`` rows
(column ``generation``) of both cars; the Ioniq's twin is the hybrid, a P2 parallel
hybrid with a dual-clutch gearbox (``hybrid_systems.csv``): its motor on the gearbox
input is disconnected in neutral like an engine.
Validity: the 2011-2023 EPA rows; single-motor front-drive EVs (all pairs).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from keidesign.energy import testcars as tc
from keidesign.energy.roadload import FRONTAL_AREA_FACTOR, load_constants
from keidesign.specs.sources import us_specs_for
from keidesign.validation import roadload as rl

__all__ = ["PAIRS", "TwinPair", "TwinResult", "drag_scale", "twins"]


@dataclass(frozen=True)
class TwinPair:
    """An EV family and model year and the ICE rows of the same body generation."""

    ev_family: str
    ev_year: int
    ice_family: str
    ice_years: tuple[int, int]  # first and last model year of the ICE rows taken
    body: str  # the generation, as us_specs.csv names it (EV row / ICE row)


#: The EV / ICE twins the shipped EPA data hold (same body and generation; us_specs.csv
#: ``generation``). Not paired for want of an ICE row of the body in the data: Leaf,
#: i-MiEV, RAV4 EV (no 2012-2014 RAV4 row), B-class, i3, Bolt, Clarity, Model 3 / Y,
#: Niro EV (no Niro hybrid row), Ioniq 5 / 6 and EV6 (own E-GMP body), MX-30, Bluecar,
#: CODA, Kandi. The 2011 Focus is the previous generation in the US and left out.
PAIRS: tuple[TwinPair, ...] = (
    TwinPair("FORD FOCUS", 2012, "FORD FOCUS", (2012, 2014), "3rd gen (pre-facelift)"),
    TwinPair("FORD FOCUS", 2017, "FORD FOCUS", (2015, 2018), "3rd gen (facelift)"),
    TwinPair("HONDA FIT", 2013, "HONDA FIT", (2011, 2013), "GE-based EV / GE (2nd gen)"),
    TwinPair("KIA SOUL", 2015, "KIA SOUL", (2014, 2016), "PS EV / PS (2nd gen)"),
    TwinPair("KIA SOUL", 2018, "KIA SOUL", (2017, 2019), "PS EV / PS (2nd gen)"),
    TwinPair("KIA SOUL", 2020, "KIA SOUL", (2020, 2022), "SK3 EV / SK3 (3rd gen)"),
    TwinPair("VOLKSWAGEN E-GOLF", 2015, "VOLKSWAGEN GOLF", (2018, 2021),
             "Mk7 e-Golf / Mk7 (facelift)"),
    TwinPair("VOLKSWAGEN E-GOLF", 2017, "VOLKSWAGEN GOLF", (2018, 2021),
             "Mk7 e-Golf / Mk7 (facelift)"),
    TwinPair("HYUNDAI KONA", 2019, "HYUNDAI KONA", (2018, 2021), "OS EV / OS (1st gen)"),
    TwinPair("HYUNDAI IONIQ", 2017, "HYUNDAI IONIQ", (2017, 2019),
             "AE electric / AE hybrid"),
    TwinPair("HYUNDAI IONIQ", 2020, "HYUNDAI IONIQ", (2020, 2022),
             "AE electric / AE hybrid (facelift)"),
)


@dataclass
class TwinResult:
    """One pair: forces (N) at :data:`~keidesign.validation.roadload.SPEEDS_MPH`, EV
    minus ICE, each the mean over the EV rows minus the mean over the ICE rows."""

    pair: TwinPair
    ev: list[tc.TestCar]
    ice: list[tc.TestCar]
    measured: np.ndarray  # target force difference
    mass: np.ndarray  # g (c0 + c1 v) dETW
    aero: np.ndarray  # rho v^2 d(Cd A) / 2
    drag: np.ndarray  # the EV motor's coast-down drag (coastdown_drag)
    cd: tuple[float, float]  # Cd of the EV and the ICE (nan: none published)
    tyres: tuple[str, str]  # published tyre sizes, EV and ICE ("" none)

    @property
    def cd_published(self) -> bool:
        """Both cars have a published Cd (else the missing one is taken as the other's)."""
        return not (np.isnan(self.cd[0]) or np.isnan(self.cd[1]))

    @property
    def model_without(self) -> np.ndarray:
        """The model's EV-minus-ICE force without the motor drag (mass + aero), N."""
        return self.mass + self.aero

    @property
    def model_with(self) -> np.ndarray:
        """The model's EV-minus-ICE force with the motor drag, N."""
        return self.model_without + self.drag

    @property
    def residual(self) -> np.ndarray:
        """Measured minus the model without the drag: what the drag should explain, N."""
        return self.measured - self.model_without


def _spec(car: tc.TestCar) -> tuple[float, float, str]:
    """Published Cd (nan if none), frontal area (m^2, 0.89 W H) and tyre of a car."""
    s = us_specs_for(car)
    if s is None or not (s.row["width_mm"] and s.row["height_mm"]):
        raise ValueError(f"EV/ICE twin {car.year} {car.make} {car.model}: no us_specs.csv "
                         "row with width and height (needed for its frontal area)")
    r = s.row
    area = FRONTAL_AREA_FACTOR * float(r["width_mm"]) * float(r["height_mm"]) * 1e-6
    return (float(r["cd"]) if r["cd"] else float("nan")), area, r["tyre"]


def _mean_spec(cars: list[tc.TestCar]) -> tuple[float, float, str]:
    specs = [_spec(c) for c in cars]
    cds = [s[0] for s in specs if not np.isnan(s[0])]
    return (float(np.mean(cds)) if cds else float("nan"),
            float(np.mean([s[1] for s in specs])), specs[0][2])


def twins(cars: tuple[tc.TestCar, ...] | None = None, pairs: tuple[TwinPair, ...] = PAIRS,
          fit: dict[str, float] | None = None) -> list[TwinResult]:
    """The pairs the data hold, each split into the model's parts (module docstring).

    ``fit``: the road-load pair ``{"c0", "c1"}`` (None: the (e) fit on every case,
    :func:`keidesign.validation.roadload.fit`). A pair with no EV or no ICE row in
    ``cars`` is skipped."""
    cars = tc.test_cars() if cars is None else cars
    fit = rl.fit(rl.cases(list(cars))) if fit is None else fit
    const = load_constants()["roadload"]
    g, rho = float(const["g"]), float(const["rho_air"])
    v = np.array(rl.SPEEDS_MPH) * rl.MPH
    out = []
    for p in pairs:
        ev = [c for c in cars if c.cls == "ev" and c.family == p.ev_family
              and c.year == p.ev_year]
        ice = [c for c in cars if c.cls != "ev" and c.family == p.ice_family
               and p.ice_years[0] <= c.year <= p.ice_years[1]]
        if not ev or not ice:
            continue
        cd_e, a_e, ty_e = _mean_spec(ev)
        cd_i, a_i, ty_i = _mean_spec(ice)
        # a missing Cd is taken as the twin's (same body); none at all: only the area
        # difference would count, and there is none on a shared body
        cde = cd_e if not np.isnan(cd_e) else cd_i
        cdi = cd_i if not np.isnan(cd_i) else cde
        aero = (0.5 * rho * (cde * a_e - cdi * a_i) * v**2 if not np.isnan(cde)
                else np.zeros(3) if abs(a_e - a_i) < 1e-9 else np.full(3, np.nan))
        d = rl.motor_drag(ev)
        dm = np.mean([c.etw for c in ev]) - np.mean([c.etw for c in ice])
        out.append(TwinResult(
            pair=p, ev=ev, ice=ice,
            measured=np.mean([[c.road_load(x) for x in v] for c in ev], 0)
            - np.mean([[c.road_load(x) for x in v] for c in ice], 0),
            mass=g * (fit["c0"] + fit["c1"] * v) * dm, aero=aero,
            drag=np.mean(d[:, :1] * v + d[:, 1:] * v**2, 0),
            cd=(cd_e, cd_i), tyres=(ty_e, ty_i)))
    return out


def drag_scale(res: list[TwinResult]) -> dict[str, np.ndarray | float]:
    """How much of the modelled drag the twins show (module docstring).

    Returns ``residual``, ``sem``, ``drag`` (3,, N): the mean residual, its standard
    error over the pairs and the mean modelled drag at each speed; ``ratio`` (3,): mean
    residual / mean drag; ``beta``: the drag's speed growth fitted with one offset per
    pair; ``beta_lopo`` and ``ratio_lopo`` ``(n_pairs,)`` / ``(n_pairs, 3)``: the same
    with each pair left out."""
    r = np.array([x.residual for x in res])
    d = np.array([x.drag for x in res])
    if len(res) < 2 or np.isnan(r).any():
        raise ValueError(f"drag_scale: {len(res)} pairs with finite residuals given, "
                         "at least 2 needed")

    def beta(rr: np.ndarray, dd: np.ndarray) -> float:
        rc, dc = rr - rr.mean(1, keepdims=True), dd - dd.mean(1, keepdims=True)
        return float((rc * dc).sum() / (dc * dc).sum())

    keep = [np.arange(len(res)) != i for i in range(len(res))]
    return {"residual": r.mean(0), "sem": r.std(0, ddof=1) / np.sqrt(len(res)),
            "drag": d.mean(0), "ratio": r.mean(0) / d.mean(0), "beta": beta(r, d),
            "ratio_lopo": np.array([r[k].mean(0) / d[k].mean(0) for k in keep]),
            "beta_lopo": np.array([beta(r[k], d[k]) for k in keep])}
