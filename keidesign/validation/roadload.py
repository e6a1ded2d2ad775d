"""Road load from specs against the EPA target coast-down coefficients (issue 13 (e)).

Model (the design road load of :mod:`keidesign.energy.roadload`)::

    F(v) = m g (c0 + c1 v) + rho Cd A v^2 / 2                          [N]

``m`` the test mass (here the EPA equivalent test weight, so that the road-load physics
is judged alone), ``g`` and ``rho`` those of the design (``calibration.toml``
``[roadload]``: 9.80665 m/s^2, 1.2 kg/m^3), ``Cd`` the *published*
drag coefficient (``data/vehicles/us_specs.csv``), ``A = 0.89 W H`` the frontal area
*as the body model computes it* (its section plus tyres comes out at 0.886-0.893 of
overall width x height on the 600+ imported EPA cars; :mod:`.specsonly`, a test holds
the factor), so that the fitted constants and the published Cd are used with the same
area as in a design. (EPA's reference-area rule, Goodall & Thompson, *Prediction of
Vehicle Reference Frontal Area*, LDTP 77-1, 1977, is 0.80 W H for the 1970s fleet;
taller, rounder small cars of 2011-2023 fill more of the box.) ``c0`` (rolling
resistance of tyres and the non-driven driveline) and
``c1`` (its growth with speed: tyre hysteresis rises with speed, SAE J2452; bearing and
brake drag) are the two fitted constants: least squares of the relative force error at
20, 50 and 70 mph over every EPA configuration with a published Cd, width and height,
judged leave-one-family-out. The aerodynamic term is not scaled: the published Cd is
used as it is (a fitted scale came out within the data's scatter and trades off against
``c1``). Terms tried and not kept (rolling resistance in the tyre width, rim, aspect
ratio or body H/W; the area in H/W; EPA's 0.80 W H; default-Cd rules by body style;
the published tyre size, ``roadload_tyre``, whose candidate relation is
``benchmarks/roadload_probe.py``'s ``tyre_rrc``):
``python benchmarks/validation_probes.py roadload`` and docs/validation.md.

What this replaces: ``F0 = Crr m g`` with ``Crr = 0.009`` and no speed term, which is
12.7 % low at 50 mph on these cars with their published Cd (``today`` rows of the report).

Targets (EPA target coefficients, ``F = A + B v + C v^2``, v in mph) are the
manufacturer's coast-down results adjusted to the test conditions (40 CFR 1066.305).

A BEV row's model also carries its traction motor's coast-down drag, as the design's
road load from specs does (``RoadLoadComp(motor_drag=True)``, ``vehicle.simulate``)::

    F(v) += dF1 v + dF2 v^2,   (dF1, dF2) = powertrains.coastdown_drag(P, T, k, [bev], i)

(the zero-torque terms of the fitted motor loss map: the coast-down is run in neutral and
a single-speed EV's motor turns with the wheels), with the row's motor power ``P`` and
torque ``T``, overall ratio ``k`` (its N/V) and induction flag ``i`` as the BEV loss map's
fit takes them (:func:`keidesign.energy.calibration.epa_bev_params`: the published motor
of ``ev_motors.csv``, else the EPA rated hp and the assumed torque) and the shipped
``[bev]`` loss constants. Without it the fitted ``c0``, ``c1`` would absorb part of the
EV motors' drag and a BEV design would count it twice. The loss constants are the
shipped ones in the hold-out too (they are fitted on the EV rows' energy tests with
their measured coast-downs, not on the road load).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy.optimize import least_squares

from keidesign.energy import calibration as ecal
from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc
from keidesign.energy.roadload import FRONTAL_AREA_FACTOR, load_constants, road_load_coefficients
from keidesign.specs.sources import us_specs_for

__all__ = ["FRONTAL_AREA_FACTOR", "SPEEDS_MPH", "RoadLoadCase", "cases", "fit", "lofo",
           "motor_drag", "validate"]

MPH = 0.44704
SPEEDS_MPH = (20.0, 50.0, 70.0)
#: The road-load defaults before this fit (the first energy model).
TODAY = {"c0": 0.009, "c1": 0.0}


@dataclass
class RoadLoadCase:
    """One EPA configuration with the published specs the model needs."""

    car: tc.TestCar
    cd: float
    area: float  # m^2, FRONTAL_AREA_FACTOR x W x H
    #: the motor's coast-down drag (dF1 N s/m, dF2 N s^2/m^2) of a BEV row, 0 otherwise
    drag: tuple[float, float] = (0.0, 0.0)

    @property
    def target(self) -> np.ndarray:
        """EPA target road load (N) at :data:`SPEEDS_MPH`."""
        return np.array([self.car.road_load(v * MPH) for v in SPEEDS_MPH])


def motor_drag(cars: list[tc.TestCar]) -> np.ndarray:
    """The motor's coast-down drag ``(n, 2)`` (dF1 N s/m, dF2 N s^2/m^2) of EPA BEV rows
    (module docstring; zeros for the other rows)."""
    out = np.zeros((len(cars), 2))
    ev = [i for i, car in enumerate(cars) if car.cls == "ev"]
    if ev:
        x = ecal.epa_bev_params([cars[i] for i in ev], load_constants())
        d1, d2 = pt.coastdown_drag(x["p_r"], x["t_r"], x["k"], kc.bev_constants(),
                                   x["induction"])
        out[ev, 0], out[ev, 1] = d1[:, 0], d2[:, 0]
    return out


def cases(cars: list[tc.TestCar] | None = None) -> list[RoadLoadCase]:
    """EPA configurations joined to a published Cd, width and height, a BEV row with its
    motor's coast-down drag (:func:`motor_drag`)."""
    out = []
    for car in cars if cars is not None else tc.test_cars():
        spec = us_specs_for(car)
        row = spec.row if spec is not None else None
        if row is None or not (row["cd"] and row["width_mm"] and row["height_mm"]):
            continue
        area = FRONTAL_AREA_FACTOR * float(row["width_mm"]) * float(row["height_mm"]) * 1e-6
        out.append(RoadLoadCase(car, float(row["cd"]), area))
    drag = motor_drag([c.car for c in out])
    return [replace(c, drag=(float(d[0]), float(d[1]))) for c, d in zip(out, drag, strict=True)]


def predict(cs: list[RoadLoadCase], c0: float, c1: float, mass: np.ndarray | None = None
            ) -> np.ndarray:
    """Model road load (N), ``(n, 3)`` at :data:`SPEEDS_MPH`, a BEV row's with its motor's
    coast-down drag (``RoadLoadCase.drag``)."""
    m = np.array([c.car.etw for c in cs]) if mass is None else np.asarray(mass)
    cd = np.array([c.cd for c in cs])
    area = np.array([c.area for c in cs])
    drag = np.array([c.drag for c in cs], dtype=float).reshape(-1, 2)
    v = np.array(SPEEDS_MPH) * MPH
    f0, f1, f2 = road_load_coefficients(m[:, None], cd[:, None], area[:, None], c0, c1)
    return f0 + (f1 + drag[:, :1]) * v + (f2 + drag[:, 1:]) * v**2


def fit(cs: list[RoadLoadCase]) -> dict[str, float]:
    """``c0``, ``c1`` by least squares of the relative errors at the three speeds."""
    y = np.array([c.target for c in cs])

    def res(p):
        return (predict(cs, p[0], p[1]) / y - 1.0).ravel()

    r = least_squares(res, [0.008, 1e-4], x_scale=[0.008, 1e-4])
    return {"c0": float(r.x[0]), "c1": float(r.x[1])}


def lofo(cs: list[RoadLoadCase], fit_fn: Callable[[list[RoadLoadCase]], Any],
         predict_fn: Callable[[list[RoadLoadCase], Any], np.ndarray]
         ) -> tuple[np.ndarray, dict[str, Any]]:
    """Leave-one-family-out relative errors ``(n, 3)`` at :data:`SPEEDS_MPH` and the fit
    without each family: ``fit_fn(cases)`` fits on the cases of the other families,
    ``predict_fn(cases, fitted)`` gives the family's road load (N), ``(m, 3)``."""
    y = np.array([c.target for c in cs])
    fams = np.array([c.car.family for c in cs])
    err = np.zeros_like(y)
    fits = {}
    for fam in sorted(set(fams)):
        test = fams == fam
        fits[fam] = fit_fn([c for c, t in zip(cs, test, strict=True) if not t])
        sub = [c for c, t in zip(cs, test, strict=True) if t]
        err[test] = predict_fn(sub, fits[fam]) / y[test] - 1.0
    return err, fits


def validate(cs: list[RoadLoadCase] | None = None) -> dict:
    """All-car fit, leave-one-family-out errors and the errors of the old defaults.

    Returns ``{"cases", "fit", "lofo", "today", "insample", "lofo_fits"}``: ``lofo``,
    ``today`` and ``insample`` are relative errors ``(n, 3)`` at :data:`SPEEDS_MPH`,
    ``lofo_fits`` the fit without each family (``{family: {"c0", "c1"}}``)."""
    cs = cases() if cs is None else cs
    y = np.array([c.target for c in cs])
    f = fit(cs)
    err, fits = lofo(cs, fit, lambda sub, ff: predict(sub, ff["c0"], ff["c1"]))
    return {"cases": cs, "fit": f, "lofo": err, "lofo_fits": fits,
            "insample": predict(cs, f["c0"], f["c1"]) / y - 1.0,
            "today": predict(cs, TODAY["c0"], TODAY["c1"]) / y - 1.0}
