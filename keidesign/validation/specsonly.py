"""Predictions from published specs alone (issue 13 (b), (d), and (e) through the model).

For every EPA configuration with a published-spec row (``data/vehicles/us_specs.csv``:
dimensions, Cd, tyres), ``keidesign import epa --predict`` writes the design file an
engineer would start from: the published dimensions, engine or motor, transmission and
drive, everything else assumed (each value marked), and *no* measured curb mass, test
weight or coast-down. The whole model (``evaluate``: mass build-up, CAD-derived frontal
area, road load, powertrain, label) then predicts:

(b) the unadjusted FTP and HWFET results, against the measured ones;
(d) the test mass ``mass:test`` (= predicted curb + 136 kg, 40 CFR 1066.805), against the
    equivalent test weight. ETW is the inertia class of the loaded vehicle weight
    (curb + 300 lb) in 125-lb steps below 4,000 lb (40 CFR 1066.805), so the comparison
    carries up to +/-62.5 lb (about +/-2 %) of class rounding; the predicted curb mass is
    also compared with the published one where ``us_specs.csv`` gives it;
(e) the model's own road load ``F0 + F1 v + F2 v^2`` (design defaults of Crr and its
    speed term, the published or assumed Cd, the frontal area of the body model) at 20,
    50 and 70 mph, against the EPA target coefficients;
(c) the label values from (b), against fueleconomy.gov: the model's label with the
    derived 5-cycle set of the published value (``energy:label2017_*`` from MY2011 on,
    :func:`keidesign.label.fueleconomy_gov_set`; fueleconomy.gov recomputed its
    MY2011-2016 estimates with the 2017 set), not the window sticker of the day
    (``energy:label_*``, the 2008 set before MY2017).

Two sets of constants, as in :mod:`.fueleconomy`:

* ``shipped``: the constants the tool ships (energy ``calibration.toml``, the mass
  build-up's ``coefficients.csv``, the road-load defaults ``road:crr`` and
  ``road:crr_speed``), which were fitted on these cars, so these rows are not hold-out
  rows;
* ``lofo``: every fitted constant refitted without the car's family (:class:`HoldOut`):
  the ICE constants and the BEV loss constants as in (a) (:func:`.fueleconomy.ice_lofo`,
  :func:`.fueleconomy.bev_lofo`), the road-load pair as in (e)
  (:func:`.roadload.validate`), and the mass build-up's three calibration coefficients
  on the recorded calibration cars without the family and the volumes they hold the size
  law inside (:func:`keidesign.mass.calibration.held_constants`). A family absent from
  one fit's data keeps that fit's all-data constants, which never saw it. The whole
  model is then evaluated with those constants (:func:`keidesign.energy.constants.held`,
  :func:`keidesign.mass.data.held_coefficients`): these are the issue's hold-out
  figures.

Hybrids (class ``hybrid``, since 4 Dec 2026): an EPA hybrid row with a published-spec
row and a published system (``data/vehicles/hybrid_systems.csv``, joined by
:func:`keidesign.energy.testcars.hybrid_system` as in (a)) is imported the same way, with
the system's traction-motor power, layout, P2 position, motor reduction, traction pack and
engine compression ratio (:func:`keidesign.specs.sources.epa_spec`) and the gearbox it was
tested with. Nothing is fitted to hybrids: their ``lofo`` constants are the ICE and BEV
loss constants (the motor shares the EV loss map), the road-load pair and the mass
coefficients each refitted without the hybrid's family, as for the other classes (a family
absent from a fit, e.g. the Prius for the ICE fit, keeps that fit's all-data constants,
which never saw it). The class is reported on its own: the ``all`` rows of
:func:`keidesign.validation.report.specs_rows` stay the gasoline and EV cars.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from keidesign import label
from keidesign.design import Design, parse_design
from keidesign.energy import calibration as ecal
from keidesign.energy import constants as kc
from keidesign.energy import testcars as tc
from keidesign.errors import InputError
from keidesign.evaluation import evaluate_design, resolve_packs
from keidesign.mass import calibration as mcal
from keidesign.mass.data import held_coefficients
from keidesign.specs import sources
from keidesign.specs.build import build_design
from keidesign.specs.write import design_text
from keidesign.validation import fueleconomy as fe
from keidesign.validation import roadload as rl

__all__ = ["HoldOut", "SpecsCase", "cases", "ev_holdout", "run"]

MPH = 0.44704
SPEEDS_MPH = (20.0, 50.0, 70.0)
#: Outputs kept per car.
KEEP = ("mass:curb", "mass:test", "energy:ftp_mpg", "energy:hwfet_mpg", "energy:road:f0",
        "energy:road:f1", "energy:road:f2", "energy:label_city_mpg", "energy:label_hwy_mpg",
        "energy:label_comb_mpg", "body:frontal_area",
        *(f"energy:label{s}_{part}_mpg" for s in ("2008", "2017")
          for part in ("city", "hwy", "comb")))


@dataclass
class SpecsCase:
    """One EPA configuration predicted from its published specs."""

    car: tc.TestCar
    outputs: dict[str, float]
    curb_published: float | None

    def road_load(self, v_mps: float) -> float:
        o = self.outputs
        return o["energy:road:f0"] + o["energy:road:f1"] * v_mps + o["energy:road:f2"] * v_mps**2


def cases(cars: list[tc.TestCar] | None = None, hybrids: bool = True,
          need_specs: bool = True) -> list[tc.TestCar]:
    """Configurations with a published-spec row: gasoline, EVs and (``hybrids``) the
    hybrids that also have a published system (``hybrid_systems.csv``); ``hybrids=False``
    gives the gasoline and EV set of before 4 Dec 2026 (the probes that quote it);
    ``need_specs=False`` keeps the cars without a published-spec row too (a user's rows,
    :func:`keidesign.validation.report.run_external`: the import assumes their body)."""
    pool = cars if cars is not None else list(tc.test_cars())
    return [c for c in pool if (not need_specs or sources.us_specs_for(c) is not None) and (
        c.cls != "hybrid" or (hybrids and tc.hybrid_system(c) is not None))]


@dataclass
class HoldOut:
    """Constants refitted without each family (module docstring), by family.

    Attributes:
        ice: ``[ice]`` constants (:func:`keidesign.energy.calibration.ice_section`).
        bev: ``[bev]`` loss scale and regenerative share.
        road: ``road:crr`` and ``road:crr_speed``.
        mass: the mass build-up's calibration coefficients and the volumes they hold the
            size law inside, by name (:func:`keidesign.mass.calibration.held_constants`).
    """

    ice: dict[str, dict[str, Any]] = field(default_factory=dict)
    bev: dict[str, dict[str, float]] = field(default_factory=dict)
    road: dict[str, dict[str, float]] = field(default_factory=dict)
    mass: dict[str, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def of(cls, unadjusted: dict, roadload: dict) -> HoldOut:
        """From the (a) refits (:func:`.fueleconomy.validate_unadjusted` with ``refit``)
        and the (e) road-load validation (:func:`.roadload.validate`); the mass
        calibration is refitted here on its recorded cars."""
        base = kc.ice_constants()
        mass_cars = mcal.read_cars()
        return cls(
            ice={f: ecal.ice_section(base, fit)
                 for f, fit in unadjusted["ice_lofo"].extra["fits"].items()},
            bev=dict(unadjusted["ev_lofo"].extra["fits"]),
            road={f: {"road:crr": v["c0"], "road:crr_speed": v["c1"]}
                  for f, v in roadload["lofo_fits"].items()},
            mass={f: mcal.held_constants([d for d in mass_cars if d.family != f])
                  for f in sorted({d.family for d in mass_cars})})


def ev_holdout(cars: list[tc.TestCar] | None = None) -> tuple[HoldOut, Any]:
    """The hold-out constants of the EV families alone (BEV loss constants as in (a),
    :func:`.fueleconomy.bev_lofo`; the road-load pair as in (e); the mass build-up's
    coefficients), as :meth:`HoldOut.of` makes them without the ICE refits, and the (a)
    leave-one-family-out comparison of the EVs of ``cars`` (default: every EPA EV)."""
    ev = [car for car in (cars if cars is not None else tc.test_cars()) if car.cls == "ev"]
    comp, _ = fe.bev_lofo(ev, ecal.fixed_constants())
    mass_cars = mcal.read_cars()
    return HoldOut(
        bev=dict(comp.extra["fits"]),
        road={f: {"road:crr": v["c0"], "road:crr_speed": v["c1"]}
              for f, v in rl.validate()["lofo_fits"].items()},
        mass={f: mcal.held_constants([d for d in mass_cars if d.family != f])
              for f in sorted({d.family for d in mass_cars})}), comp


def imported(car: tc.TestCar) -> Design:
    """The design ``keidesign import epa --predict`` makes of the car, without the
    restraint rule's table (no restraint key moves mass or energy:
    :func:`keidesign.specs.build.build_design`)."""
    header, tables = build_design(sources.epa_spec(car=car), predict=True,
                                  restraint_rule=False)
    return parse_design(design_text(header, tables), f"<import --predict {car.key}>")


def predict(car: tc.TestCar, holdout: HoldOut | None = None,
            design: Design | None = None) -> SpecsCase:
    """Evaluate the car's imported design (``design``, else :func:`imported`), with the
    constants fitted without its family if ``holdout`` is given."""
    design = imported(car) if design is None else design
    fam = car.family
    with ExitStack() as stack:
        if holdout is not None:
            design = replace(design, values={**design.values, **holdout.road.get(fam, {})})
            stack.enter_context(kc.held(ice=holdout.ice.get(fam), bev=holdout.bev.get(fam)))
            stack.enter_context(held_coefficients(holdout.mass.get(fam, {})))
        out = evaluate_design(design, resolve_packs(["epa-label", "cafe-2024"])).outputs
    row = sources.us_specs_for(car)
    curb = row.row.get("curb_kg") if row is not None else None
    return SpecsCase(car, {k: float(out[k][0]) for k in KEEP if k in out},
                     float(curb) if curb else None)


def run(cars: list[tc.TestCar] | None = None, holdout: HoldOut | None = None,
        need_specs: bool = True) -> dict:
    """Predict every case; returns the cases, the ones that failed (with the reason) and
    the relative errors ``{"ftp", "hwfet", "test_mass", "curb", "road" (n, 3),
    "city", "hwy", "comb"}`` (NaN where not available); with ``holdout`` also
    ``"lofo": {"cases", "err"}``, the same imported designs evaluated with the constants
    fitted without each car's family."""
    done, failed, held = [], [], []
    for car in cases(cars, need_specs=need_specs):
        try:
            design = imported(car)
            done.append(predict(car, design=design))
        except InputError as exc:  # an import the format cannot express: reported
            failed.append((car, str(exc)))
            continue
        if holdout is not None:
            held.append(predict(car, holdout, design))
    out = {"cases": done, "failed": failed, "err": errors(done)}
    if holdout is not None:
        out["lofo"] = {"cases": held, "err": errors(held)}
    return out


def errors(done: list[SpecsCase]) -> dict[str, np.ndarray]:
    """Relative errors of predicted cases (:func:`run`)."""
    n = len(done)
    err: dict[str, np.ndarray] = {}
    err["ftp"] = np.array([c.outputs["energy:ftp_mpg"] / c.car.tests["ftp"] - 1 for c in done])
    err["hwfet"] = np.array([c.outputs["energy:hwfet_mpg"] / c.car.tests["hwfet"] - 1
                             for c in done])
    err["test_mass"] = np.array([c.outputs["mass:test"] / c.car.etw - 1 for c in done])
    err["curb"] = np.array([c.outputs["mass:curb"] / c.curb_published - 1
                            if c.curb_published else np.nan for c in done])
    v = np.array(SPEEDS_MPH) * MPH
    err["road"] = np.array([[c.road_load(x) / c.car.road_load(x) - 1 for x in v]
                            for c in done]).reshape(n, len(v))
    for key, attr in (("city", "city"), ("hwy", "hwy"), ("comb", "comb")):
        vals = []
        for c in done:
            row = tc.label_for(c.car)
            out = f"energy:label{label.fueleconomy_gov_set(c.car.year)}_{key}_mpg"
            vals.append(c.outputs[out] / getattr(row, attr) - 1
                        if row is not None else np.nan)
        err[key] = np.array(vals)
    return err
