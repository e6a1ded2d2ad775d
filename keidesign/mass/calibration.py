"""Calibration of the mass build-up on the reference vehicles, with leave-one-out error.

``python -m keidesign.mass.calibration``            print the fit and the tables
``python -m keidesign.mass.calibration --write``    also write the fitted coefficients
                                                    into keidesign/data/mass/coefficients.csv

Data: ``keidesign/data/vehicles/kei.csv`` and ``us_small.csv`` (published curb masses and
dimensions, sources there). Each row becomes a complete design: the reference design of
the same body type (``studies/designs``: tall-boy kei, hatch kei, BEV kei, US hatch) with
the row's dimensions, powertrain and seats (:data:`REFERENCE_ROWS` says what is taken
from the row and what from the template). The model (:mod:`keidesign.mass.components`)
is linear in the three fitted coefficients of its calibration group::

    m_curb = P + c_ch (m_curb + m_payload) + d + k (V_envelope - V_ref) + b [BEV]

(``P`` the a-priori groups), so with the published curb mass on the left the fit is an
ordinary least-squares problem in ``(d, k, b)``; ``P`` and ``V_envelope`` come from one
run of the full model per car. Leave-one-out: each
car is predicted by the coefficients fitted on the others (solving the equation above
for ``m_curb``). Not used: the eK X EV (the Sakura's twin, same row data: it would count
the Sakura twice) and the FASTSim rows (no body dimensions; their masses are FASTSim
test masses or overrides, not curb masses; fastsim_small_cars.csv notes).
"""

from __future__ import annotations

import argparse
import csv
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from keidesign.mass.data import COEFFICIENTS_CSV, coefficient_rows, coefficients

ROOT = Path(__file__).resolve().parents[2]
VEHICLES = Path(__file__).resolve().parents[1] / "data" / "vehicles"
DESIGNS = ROOT / "studies" / "designs"
IN_TO_MM = 25.4
LB_TO_KG = 0.45359237

#: One entry per calibration car: csv file, row match (model, variant substring),
#: template design, and the values not in the row [assumed / recalled, to-check].
REFERENCE_ROWS: list[dict] = [
    {"file": "kei.csv", "model": "Honda N-Box", "variant": "NA FF", "template": "nbox_class"},
    {"file": "kei.csv", "model": "Honda N-Box", "variant": "Custom turbo",
     "template": "nbox_class", "extra": {"powertrain:ice:turbo": True}},
    {"file": "kei.csv", "model": "Suzuki Alto", "variant": "Hybrid", "template": "alto_class"},
    {"file": "kei.csv", "model": "Daihatsu Tanto", "variant": "X NA", "template": "nbox_class"},
    {"file": "kei.csv", "model": "Daihatsu Mira e:S", "variant": "FF", "template": "alto_class"},
    {"file": "kei.csv", "model": "Nissan Sakura", "variant": "", "template": "sakura_class"},
    {"file": "kei.csv", "model": "Honda N-VAN e:", "variant": "", "template": "sakura_class",
     "extra": {"body:tyre_width": 145.0, "body:tyre_aspect": 80.0, "body:rim_diameter": 12.0}},
    {"file": "us_small.csv", "model": "Mitsubishi Mirage", "template": "mirage_class"},
    {"file": "us_small.csv", "model": "Chevrolet Bolt", "template": "mirage_class",
     "bev": True, "extra": {"body:tyre_width": 215.0, "body:tyre_aspect": 50.0,
                            "body:rim_diameter": 17.0, "body:seats": 5}},
    {"file": "us_small.csv", "model": "Nissan Leaf", "template": "mirage_class",
     "bev": True, "extra": {"body:tyre_width": 215.0, "body:tyre_aspect": 55.0,
                            "body:rim_diameter": 16.0, "body:seats": 5}},
]


@dataclass
class Car:
    """One calibration car: published curb mass and the model's terms."""

    name: str
    curb_pub: float
    prior: float = 0.0  # every group except chassis and calibration
    volume: float = 0.0
    payload: float = 0.0
    powertrain: str = ""

    @property
    def bev(self) -> bool:
        return self.powertrain == "bev"


def _row(spec: dict) -> dict:
    with (VEHICLES / spec["file"]).open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["model"].startswith(spec["model"]) and spec.get("variant", "") in r.get(
                    "variant", ""):
                return r
    raise KeyError(spec)


def _design(spec: dict):
    """A complete design for one reference row (template + the row's data)."""
    from keidesign.design import load_design

    base = load_design(DESIGNS / f"{spec['template']}.toml")
    r = _row(spec)
    v = dict(base.values)
    if spec["file"] == "kei.csv":
        # a missing figure (N-VAN e: tracks) keeps the template's value
        dims = {k: float(r[f"{k}_mm"]) if r[f"{k}_mm"] else float(base[f"body:{k}"])
                for k in ("length", "width", "height", "wheelbase", "track_front",
                          "track_rear")}
        curb = float(r["curb_mass_kg"])
        name = f"{r['model']} {r['variant']}"
    else:
        dims = {k: float(r[f"{k}_in"]) * IN_TO_MM for k in (
            "length", "width", "height", "wheelbase", "track_front", "track_rear")}
        curb = float(r["curb_mass_lb"]) * LB_TO_KG
        name = r["model"]
    for k, x in dims.items():
        v[f"body:{k}"] = x
    # front overhang and crush length scale with the template's share of the length
    scale = (dims["length"] - dims["wheelbase"]) / (base["body:length"] - base["body:wheelbase"])
    v["body:front_overhang"] = base["body:front_overhang"] * scale
    v["crash:front:crush_length"] = base["crash:front:crush_length"] * scale
    bev = spec.get("bev", False) or r["powertrain"].upper().startswith("BEV")
    if bev:
        if base.powertrain_type != "bev":
            v = {k: x for k, x in v.items() if not k.startswith("powertrain:ice:")
                 and k not in ("cost:battery_price", "mass:battery_specific_energy")}
            sak = load_design(DESIGNS / "sakura_class.toml")
            for k, x in sak.values.items():
                if k.startswith("powertrain:bev:") or k in (
                        "powertrain:type", "mass:battery_specific_energy",
                        "cost:battery_price", "body:battery_height",
                        "body:battery_energy_density", "powertrain:transmission",
                        "powertrain:block_length"):
                    v[k] = x
        kw = float(r.get("motor_kW") or r.get("power_kW"))
        v["powertrain:bev:motor_power"] = kw
        v["powertrain:bev:battery_energy"] = float(r.get("battery_kWh") or 0)
        torque = r.get("torque_Nm") or (float(r["torque_lbft"]) * 1.35582 if r.get(
            "torque_lbft") else None)
        if torque:
            v["powertrain:bev:motor_torque"] = float(torque)
    else:
        if spec["file"] == "kei.csv":
            v["powertrain:ice:displacement"] = float(r["displacement_cc"])
            v["powertrain:ice:power"] = float(r["power_kW"])
            v["powertrain:ice:torque"] = float(r["torque_Nm"])
    v.update(spec.get("extra", {}))
    return base.__class__(f"<calibration: {name}>", v), name, curb


def cars(verbose: bool = False) -> list[Car]:
    """Run the model once per reference car and collect the fit's terms."""
    os.environ.setdefault("OPENMDAO_REPORTS", "0")
    from keidesign.model import build_problem

    out = []
    for spec in REFERENCE_ROWS:
        design, name, curb_pub = _design(spec)
        prob = build_problem(design, [])
        prob.run_model()
        g = {n: float(prob.get_val(n).item()) for n in (
            "mass:curb", "mass:payload", "mass:group:chassis", "mass:group:calibration",
            "body:volume:envelope")}
        prior = g["mass:curb"] - g["mass:group:chassis"] - g["mass:group:calibration"]
        out.append(Car(name, curb_pub, prior, g["body:volume:envelope"], g["mass:payload"],
                       design.powertrain_type))
        if verbose:
            print(f"  {name}: model {g['mass:curb']:.1f} kg, published {curb_pub:.1f} kg")
    return out


def _x(d: Car) -> list[float]:
    return [1.0, d.volume - coefficients()["calibration_volume_ref"], 1.0 if d.bev else 0.0]


def fit(data: list[Car]) -> tuple[float, float, float]:
    """Least squares ``(d, k, b)`` of the calibration group on the published curb masses.

    With the chassis c_ch (m_curb + m_payload) the curb equation is linear in them:
    ``m_pub (1 - c_ch) - c_ch m_payload - prior = d + k (V - V_ref) + b [BEV]``.
    """
    c = coefficients()["chassis_fraction"]
    x = np.array([_x(d) for d in data])
    y = np.array([d.curb_pub * (1.0 - c) - c * d.payload - d.prior for d in data])
    if not any(d.bev for d in data):
        x = x[:, :2]
    sol, *_ = np.linalg.lstsq(x, y, rcond=None)
    sol = list(sol) + [0.0] * (3 - len(sol))
    return float(sol[0]), float(sol[1]), float(sol[2])


def predict(d: Car, coef: tuple[float, float, float]) -> float:
    """Curb mass of ``d`` with the calibration coefficients ``coef``."""
    c = coefficients()["chassis_fraction"]
    cal = float(np.dot(coef, _x(d)))
    return (d.prior + cal + c * d.payload) / (1.0 - c)


def table(data: list[Car]) -> tuple[list[dict], tuple[float, float, float]]:
    """Per-car rows: published, fitted, error, leave-one-out prediction and error."""
    coef = fit(data)
    rows = []
    for i, d in enumerate(data):
        coef_i = fit(data[:i] + data[i + 1:])
        m = predict(d, coef)
        m_loo = predict(d, coef_i)
        rows.append({"car": d.name, "powertrain": d.powertrain, "published": d.curb_pub,
                     "prior": (d.prior + coefficients()["chassis_fraction"] * d.payload)
                     / (1.0 - coefficients()["chassis_fraction"]),
                     "model": m, "error": m / d.curb_pub - 1.0, "loo": m_loo,
                     "loo_error": m_loo / d.curb_pub - 1.0, "coef_loo": coef_i})
    return rows, coef


def markdown(rows: list[dict], coef: tuple[float, float, float]) -> str:
    lines = ["| car | powertrain | published, kg | a-priori build-up, kg | calibrated model, "
             "kg | error | leave-one-out, kg | LOO error |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {r['car']} | {r['powertrain']} | {r['published']:.0f} | "
                     f"{r['prior']:.0f} ({100 * (r['prior'] / r['published'] - 1):+.0f} %) | "
                     f"{r['model']:.0f} | {100 * r['error']:+.1f} % | {r['loo']:.0f} | "
                     f"{100 * r['loo_error']:+.1f} % |")
    mae = np.mean([abs(r["error"]) for r in rows])
    loo = np.mean([abs(r["loo_error"]) for r in rows])
    worst = max(abs(r["error"]) for r in rows)
    lines.append("")
    loo_worst = max(abs(r["loo_error"]) for r in rows)
    within = sum(abs(r["error"]) <= 0.05 for r in rows)
    lines.append(f"Fit: d = {coef[0]:.1f} kg, k = {coef[1]:.1f} kg/m^3, b_BEV = {coef[2]:.1f} "
                 f"kg; mean absolute error {100 * mae:.1f} % (worst {100 * worst:.1f} %, "
                 f"{within} of {len(rows)} within 5 %), leave-one-out {100 * loo:.1f} % "
                 f"(worst {100 * loo_worst:.1f} %).")
    return "\n".join(lines)


def write(coef: tuple[float, float, float]) -> None:
    """Write the fitted coefficients into coefficients.csv."""
    rows = coefficient_rows()
    names = ("calibration_offset", "calibration_per_volume", "bev_integration")
    for r in rows:
        if r["name"] in names:
            r["value"] = f"{coef[names.index(r['name'])]:.3f}"
    with COEFFICIENTS_CSV.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    coefficients.cache_clear()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="write the fitted coefficients")
    args = ap.parse_args(argv)
    data = cars(verbose=True)
    rows, coef = table(data)
    print(markdown(rows, coef))
    if args.write:
        write(coef)
        print(f"wrote {COEFFICIENTS_CSV}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
