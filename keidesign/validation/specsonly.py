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
(c) the label values from (b), against fueleconomy.gov.

Nothing here is fitted: the constants are the shipped ones, whose own fits are judged
leave-one-family-out in :mod:`.fueleconomy` and :mod:`.roadload`. (The mass build-up's
three calibration coefficients are fitted on the published curb masses of the
``us_specs.csv`` generations and ``kei.csv`` rows, i.e. on these cars' published curb
masses; their leave-one-family-out error is in docs/mass_cost.md, section 2.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from keidesign.design import parse_design
from keidesign.energy import testcars as tc
from keidesign.errors import InputError
from keidesign.evaluation import evaluate_design, resolve_packs
from keidesign.specs import sources
from keidesign.specs.build import build_design
from keidesign.specs.write import design_text

__all__ = ["SpecsCase", "cases", "run"]

MPH = 0.44704
SPEEDS_MPH = (20.0, 50.0, 70.0)
#: Outputs kept per car.
KEEP = ("mass:curb", "mass:test", "energy:ftp_mpg", "energy:hwfet_mpg", "energy:road:f0",
        "energy:road:f1", "energy:road:f2", "energy:label_city_mpg", "energy:label_hwy_mpg",
        "energy:label_comb_mpg", "body:frontal_area")


@dataclass
class SpecsCase:
    """One EPA configuration predicted from its published specs."""

    car: tc.TestCar
    outputs: dict[str, float]
    curb_published: float | None

    def road_load(self, v_mps: float) -> float:
        o = self.outputs
        return o["energy:road:f0"] + o["energy:road:f1"] * v_mps + o["energy:road:f2"] * v_mps**2


def cases(cars: list[tc.TestCar] | None = None) -> list[tc.TestCar]:
    """Configurations with a published-spec row (gasoline non-hybrid and EVs)."""
    pool = cars if cars is not None else list(tc.test_cars())
    return [c for c in pool if c.cls != "hybrid" and sources.us_specs_for(c) is not None]


def predict(car: tc.TestCar) -> SpecsCase:
    """Import the car with ``--predict`` and evaluate it."""
    spec = sources.epa_spec(car=car)
    header, tables = build_design(spec, predict=True)
    design = parse_design(design_text(header, tables), f"<import --predict {car.key}>")
    out = evaluate_design(design, resolve_packs(["epa-label", "cafe-2024"])).outputs
    row = sources.us_specs_for(car)
    curb = row.row.get("curb_kg") if row is not None else None
    return SpecsCase(car, {k: float(out[k][0]) for k in KEEP if k in out},
                     float(curb) if curb else None)


def run(cars: list[tc.TestCar] | None = None) -> dict:
    """Predict every case; returns the cases, the ones that failed (with the reason) and
    the relative errors ``{"ftp", "hwfet", "test_mass", "curb", "road" (n, 3),
    "city", "hwy", "comb"}`` (NaN where not available)."""
    done, failed = [], []
    for car in cases(cars):
        try:
            done.append(predict(car))
        except InputError as exc:  # an import the format cannot express: reported
            failed.append((car, str(exc)))
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
            vals.append(c.outputs[f"energy:label_{key}_mpg"] / getattr(row, attr) - 1
                        if row is not None else np.nan)
        err[key] = np.array(vals)
    return {"cases": done, "failed": failed, "err": err}
