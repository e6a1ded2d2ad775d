"""US NCAP frontal tests: the dummy constants' fit and the star ratings (issue 14).

``data/crash/ncap_ratings.csv`` holds NHTSA's measured dummy values and stars of 18
small cars (NHTSA 5-Star ratings data file, status V). Each car is imported from its
``us_specs`` generation (``keidesign import vehicle``: published dimensions, mass,
powertrain; crash structure sized to the test mass and default restraint, marked
assumed) and evaluated; the pulse model gives its occupant's 3 ms deceleration and
HIC15. :func:`fit` sets each constant of :mod:`keidesign.crash.occupant` to the geometric
mean of measured / model over the cars (least squares in log space, one constant per
dummy and criterion); :func:`lofo` refits without each family and predicts it.
:func:`star_table` compares the stars (driver, passenger, vehicle) predicted that way,
and the stars the risk curves give from the *measured* dummy values (a check of the
curves and bands: they must reproduce NHTSA's ratings).

``python benchmarks/ncap.py --write`` refits, writes ``data/crash/occupant_fit.toml``
and the table of docs/crash.md; the tests hold the stored constants to a refit.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
import tomlkit

from keidesign import tomlwrite
from keidesign.crash import occupant as occ
from keidesign.crash import side_occupant as sideocc
from keidesign.crash.side import MDB_SPEED_KMH
from keidesign.evaluation import evaluate_design, resolve_packs
from keidesign.specs import sources
from keidesign.specs.write import imported_design

__all__ = ["NCAP_MATCH", "NcapCar", "cars", "fit", "fit_side", "fit_toml", "lofo",
           "side_table", "star_table"]

#: ncap_ratings.csv vehicle -> (us_specs make, model, generation); the note says where
#: the rated body and the spec row differ
NCAP_MATCH = {
    "Chevrolet Spark (M300)": ("CHEVROLET", "Spark", "M300 (2nd gen)"),
    "Chevrolet Sonic": ("CHEVROLET", "SONIC 5", "T300 hatchback"),
    "Fiat 500": ("Fiat", "500", "312 (US 1.4)"),
    "Ford Fiesta": ("Ford", "FIESTA", "6th gen (US) sedan"),      # rated: 5-door hatch
    "Honda Fit (GK)": ("HONDA", "FIT", "GK (3rd gen)"),
    "Honda CR-Z": ("HONDA", "CR-Z", "ZF1"),
    "Hyundai Accent (RB)": ("HYUNDAI", "Accent", "RB (4th gen) sedan"),
    "Kia Rio (UB)": ("KIA", "Rio", "UB (3rd gen) sedan"),
    "Kia Soul (PS)": ("KIA", "Soul", "PS (2nd gen)"),
    "Mazda2 (NHTSA listing)": ("MAZDA", "Mazda2",
                               "DJ sedan (Scion iA / Toyota Yaris iA / Yaris sedan)"),
    "MINI Cooper Hardtop (F56)": ("MINI", "Cooper Hardtop", "F56 Cooper"),
    "Mitsubishi Mirage": ("MITSUBISHI", "MIRAGE", "A05A hatchback"),
    "Nissan Leaf": ("NISSAN", "NISSAN LEAF S", "ZE0/AZE0 (1st gen)"),
    "Nissan Versa sedan": ("NISSAN", "NISSAN VERSA S", "N17 sedan"),
    "Nissan Versa Note": ("NISSAN", "NISSAN VERSA NOTE S", "E12 Versa Note"),
    "Toyota Prius c": ("TOYOTA", "PRIUS c", "NHP10 (facelift)"),
    "Toyota Yaris 5-door": ("TOYOTA", "YARIS", "XP130 facelift hatchback (US 1.5)"),
}
#: measured columns of ncap_ratings.csv per dummy and criterion (femur: the larger leg)
_COLS = {"m50": {"head": "drv_hic15", "deflection": "drv_chest_defl_mm", "nij": "drv_nij",
                 "femur": ("drv_femur_left_n", "drv_femur_right_n")},
         "f05": {"head": "pas_hic15", "deflection": "pas_chest_defl_mm", "nij": "pas_nij",
                 "femur": ("pas_femur_left_n", "pas_femur_right_n")}}
#: measured side columns per side criterion (forces in N in the file, kN here)
_SIDE_COLS = {"es2re_hic36": "side_drv_hic36", "es2re_rib": "side_drv_rib_defl_mm",
              "es2re_abdomen": "side_drv_abdomen_force_n", "es2re_pubic": "side_drv_pubic_force_n",
              "sid2s_hic36": "side_rear_hic36", "sid2s_pelvis": "side_rear_pelvis_force_n",
              "pole_hic36": "pole_drv_hic36", "pole_pelvis": "pole_drv_pelvis_force_n"}


@dataclass
class NcapCar:
    """One rated car: its measured dummy values and stars, and the model's occupant."""

    name: str
    family: str
    measured: dict[str, dict[str, float]]
    stars: dict[str, int]
    #: the model's occupant 3 ms deceleration (m/s^2) and HIC15 (blank if not importable)
    a3ms: float = float("nan")
    hic_occ: float = float("nan")
    #: measured side responses (HIC36, mm, kN; NaN where the car has no rear seat), the
    #: published side stars and the model's barrier delta-V at the NCAP speed (km/h)
    side: dict[str, float] = field(default_factory=dict)
    side_stars: int = 0
    dv_ncap: float = float("nan")
    skipped: str = ""
    extra: dict = field(default_factory=dict)

    def base(self, criterion: str) -> float:
        """The model quantity a criterion's constant multiplies."""
        return self.hic_occ if criterion == "head" else self.a3ms


def _family(name: str) -> str:
    """Make + model line: 'Nissan Versa sedan' and 'Nissan Versa Note' are one family."""
    return " ".join(name.lower().replace("(", " ").split()[:2])


def _measured(row: dict) -> dict:
    out = {}
    for d, cols in _COLS.items():
        out[d] = {"head": float(row[cols["head"]]),
                  "deflection": float(row[cols["deflection"]]),
                  "nij": float(row[cols["nij"]]),
                  "femur": max(float(row[c]) for c in cols["femur"]) / 1e3}
    return out


def _side_measured(row: dict) -> dict[str, float]:
    out = {}
    for crit, col in _SIDE_COLS.items():
        raw = row[col]
        v = float(raw) if raw else float("nan")
        out[crit] = v / 1e3 if col.endswith("_n") else v
    return out


def _rows() -> list[dict]:
    text = resources.files("keidesign.data").joinpath("crash/ncap_ratings.csv").read_text()
    return list(csv.DictReader(text.splitlines()))


def cars() -> list[NcapCar]:
    """Every rated car with a matching ``us_specs`` generation, imported and evaluated
    (cars without one, or whose import fails, carry ``skipped``)."""
    by_key = sources.us_specs_generations()
    packs = resolve_packs(["fmvss"])
    out = []
    for row in _rows():
        name = row["vehicle"]
        car = NcapCar(name, _family(name), _measured(row),
                      {"driver": int(row["frontal_driver_stars"]),
                       "passenger": int(row["frontal_passenger_stars"]),
                       "vehicle": int(row["frontal_stars"])},
                      side=_side_measured(row), side_stars=int(row["side_stars"]))
        key = NCAP_MATCH.get(name)
        if key is None or key not in by_key:
            car.skipped = "no us_specs generation matches the rated car"
            out.append(car)
            continue
        design = imported_design(sources.row_spec(by_key[key]), f"<import {name}>")
        o = evaluate_design(design, packs).outputs
        car.a3ms = float(o["crash:front:chest_accel_3ms"][0])
        car.hic_occ = float(o["crash:front:occupant_hic15"][0])
        car.dv_ncap = float(o["crash:side:mdb:delta_v"][0]) * (sideocc.NCAP_SIDE_KMH
                                                               / MDB_SPEED_KMH)
        out.append(car)
    return out


def fit(rows: list[NcapCar]) -> dict:
    """``{dummy: {criterion: k}}``: geometric mean of measured / model base (head: the
    base is HIC_occ and the constant is the head/torso deceleration ratio, so
    k_head = (mean ratio)^(1/2.5))."""
    used = [c for c in rows if not c.skipped]
    out: dict = {}
    for d in occ.DUMMIES:
        out[d] = {}
        for crit in occ.CRITERIA:
            logs = [math.log(c.measured[d][crit] / c.base(crit)) for c in used]
            k = math.exp(sum(logs) / len(logs))
            out[d][crit] = k ** (1.0 / 2.5) if crit == "head" else k
    return out


def fit_side(rows: list[NcapCar]) -> dict[str, float]:
    """Side constants (:data:`keidesign.crash.side_occupant.SIDE_CRITERIA`): geometric
    mean of measured / dv^2.5 (HIC36), measured / dv (forces, rib) or measured (pole)."""
    out = {}
    for crit, kind in sideocc.SIDE_CRITERIA.items():
        logs = []
        for c in rows:
            v = c.side.get(crit, float("nan"))
            if c.skipped or not math.isfinite(v):
                continue
            base = c.dv_ncap**2.5 if kind == "hic" else c.dv_ncap if kind == "lin" else 1.0
            logs.append(math.log(v / base))
        out[crit] = math.exp(sum(logs) / len(logs))
    return out


def side_table(rows: list[NcapCar]) -> list[dict]:
    """Per car: published side stars, stars from the measured values, stars of the
    leave-one-family-out model and its relative errors per criterion."""
    used = [c for c in rows if not c.skipped]
    table = []
    for car in rows:
        rear = math.isfinite(car.side["sid2s_hic36"])
        meas = {k: (v if math.isfinite(v) else 1.0) for k, v in car.side.items()}
        rec = {"car": car.name, "published": car.side_stars, "skipped": car.skipped,
               "from_measured": int(occ.stars(np.array([sideocc.side_risks(
                   meas, rear)["side"]]))[0])}
        if not car.skipped:
            k = fit_side([c for c in used if c.family != car.family])
            pred = sideocc.side_responses(car.dv_ncap, k)
            rec["model"] = int(occ.stars(np.array([sideocc.side_risks(pred, rear)["side"]]))[0])
            rec["error"] = {crit: pred[crit] / v - 1.0 for crit, v in car.side.items()
                            if math.isfinite(v)}
        table.append(rec)
    return table


def predict(car: NcapCar, k: dict) -> dict:
    """The dummy responses of ``car`` with constants ``k``."""
    return {d: occ.dummy_responses(car.a3ms, car.hic_occ, k[d]) for d in occ.DUMMIES}


def lofo(rows: list[NcapCar]) -> dict[str, dict]:
    """Leave-one-family-out predictions: ``{car name: {dummy: responses}}``."""
    used = [c for c in rows if not c.skipped]
    out = {}
    for car in used:
        k = fit([c for c in used if c.family != car.family])
        out[car.name] = predict(car, k)
    return out


def _rate(resp: dict) -> dict:
    p = {d: float(occ.seat_risk(d, r["hic15"], r["deflection"], r["nij"], r["femur"]))
         for d, r in resp.items()}
    rr = {"driver": p["m50"] / occ.NCAP_BASELINE, "passenger": p["f05"] / occ.NCAP_BASELINE,
          "vehicle": 0.5 * (p["m50"] + p["f05"]) / occ.NCAP_BASELINE}
    return {k: int(occ.stars(np.array([v]))[0]) for k, v in rr.items()}


def star_table(rows: list[NcapCar]) -> list[dict]:
    """Per car: published stars, stars from the measured dummy values, stars from the
    leave-one-family-out model, and the model's relative errors per criterion."""
    pred = lofo(rows)
    table = []
    for car in rows:
        meas = {d: {"hic15": m["head"], "deflection": m["deflection"], "nij": m["nij"],
                    "femur": m["femur"]} for d, m in car.measured.items()}
        rec = {"car": car.name, "published": car.stars, "from_measured": _rate(meas),
               "skipped": car.skipped}
        if not car.skipped:
            rec["model"] = _rate(pred[car.name])
            rec["error"] = {d: {c: pred[car.name][d][c] / meas[d][c] - 1.0
                                for c in ("hic15", "deflection", "nij", "femur")}
                            for d in occ.DUMMIES}
        table.append(rec)
    return table


def fit_toml(k: dict, k_side: dict, n_cars: int, note: str) -> str:
    """The text of ``data/crash/occupant_fit.toml`` for the frontal constants ``k`` and
    the side constants ``k_side`` (exact floats)."""
    doc = tomlkit.document()
    for line in ["Constants of keidesign.crash.occupant: geometric mean of NHTSA-measured /",
                 "model per dummy and criterion (keidesign.validation.ncap.fit).",
                 "Written by: python benchmarks/ncap.py --write  (do not edit by hand)",
                 f"Fitted on {n_cars} cars of data/crash/ncap_ratings.csv. {note}"]:
        doc.add(tomlwrite.comment(line))
    doc.add(tomlkit.nl())
    for d in occ.DUMMIES:
        table = tomlwrite.table(doc, d)
        for c in occ.CRITERIA:
            table.add(c, tomlwrite.value(k[d][c]))
    side = tomlwrite.table(doc, "side")
    side.comment("keidesign.crash.side_occupant: HIC36 per (km/h)^2.5, rib mm and forces kN "
                 "per km/h, pole constants")
    side.trivia.comment_ws = "  "
    for c in sideocc.SIDE_CRITERIA:
        side.add(c, tomlwrite.value(k_side[c]))
    return tomlkit.dumps(doc)


def rollover_table() -> list[dict]:
    """Predicted vs published rollover SSF and stars of the rated cars imported from
    their ``us_specs`` generation (:mod:`keidesign.crash.rollover` on the imported
    design's height and tracks; the tracks are the import's, assumed 0.865 x width where
    the source gives none; :func:`keidesign.crash.rollover.compare_row`). Cars without a
    generation are left out."""
    from keidesign.crash import rollover as ro
    by_key = sources.us_specs_generations()
    rows = [r for r in ro.published_rows() if r["set"] == "ncap_ratings"]
    out = []
    for r in rows:
        key = NCAP_MATCH.get(r["vehicle"])
        if key is None or key not in by_key:
            continue
        d = imported_design(sources.row_spec(by_key[key]), f"<import {r['vehicle']}>")
        out.append(ro.compare_row(r["vehicle"], *(float(d[k]) for k in (
            "body:height", "body:track_front", "body:track_rear")), r))
    return out
