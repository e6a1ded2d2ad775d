"""Cost discipline: bill-of-materials cost from the mass build-up, and the price position.

Direct manufacturing cost (DMC, USD 2024) by part group::

    body_structure = r_biw m_biw + r_crash (m_crash_structure + m_secondary)
                     + r_paint A_surface (+ r_frame m_frame, ladder frame)
                     truck: + r_frame m_bed (stamped steel bed at the body-structure
                     rate); painted area = cab skin + deck + both faces of the bed walls
    closures       = r_clo  m_closures
    glazing, interior, chassis, wheels, electrical = r_group m_group     (USD/kg)
    calibration    = r_cal m_calibration (the fitted size-law mass, at a blended rate)
    powertrain     ICE: engine (b + c P [+ turbo]) + transmission (by family: manual,
                   amt, dct, automatic, cvt) + fuel/exhaust/cooling
                   BEV: motor (b + c P) + inverter (b + c P) + charger/DC-DC
                   (+ AWD driveline: a fixed cost per vehicle; + part-time 4WD:
                   r_4wd m_4wd, the mass item of coefficients.csv
                   part_time_4wd_driveline at the AWD hardware's cost per kg)
    battery        BEV: c_kWh E + c_fixed;  HEV: c_hev E_hev;  ICE: 0
    us_content     sum over the fitted content items of cost_i / RPE  (the NHTSA figures
                   are consumer costs, i.e. retail price equivalents), CPI-adjusted
    assembly       per-vehicle final assembly and plant overhead
    cost:vehicle   = sum of the groups
    cost:price     = cost:rpe x cost:vehicle + cost:destination
    cost:price_position = cost:price - cost:reference_price

Rates: ``keidesign/data/cost/rates.csv`` (value, year, status, source), converted to
2024 dollars with the CPI-U table ``cpi.csv``. The model is linear in every input, so its
partials are exact constants or products (declared analytically). Validity: the rates are
US-industry averages for high-volume (>= 100,000/yr) production; the price is a
retail-price-equivalent estimate, not a pricing decision. See docs/mass_cost.md.

Batched (``n_cases > 1``, :mod:`keidesign.batch`): the same equations on vectors of
cases (every input and output of shape ``(n,)``), no partials.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from keidesign import batch
from keidesign.catalogue.cost import COST_GROUPS
from keidesign.closed_form import DualClosedForm
from keidesign.costing.cpi import cpi_factor
from keidesign.energy.powertrains import FAMILY
from keidesign.mass.data import coefficients, content_items, fitted_content
from keidesign.powertrain import declare_powertrain_options

__all__ = ["CostComp", "add_subsystems", "cpi_factor", "part_time_4wd_cost", "rates"]

DATA = Path(__file__).resolve().parents[1] / "data" / "cost"
#: transmission cost row by type (amt: a manual + actuator), else by family
_TRANS_COST_KEY = {"amt5": "trans_amt", "amt6": "trans_amt", "manual": "trans_mt",
                   "dct": "trans_dct", "automatic": "trans_at", "cvt": "trans_cvt",
                   "single_speed": "trans_cvt"}
_PER_KG = {"glazing": "glazing_per_kg", "interior": "interior_per_kg",
           "chassis": "chassis_per_kg", "wheels": "wheels_per_kg",
           "electrical": "electrical_per_kg", "calibration": "calibration_per_kg"}


@cache
def rates() -> dict[str, float]:
    """Every rate of ``rates.csv`` in 2024 dollars."""
    with (DATA / "rates.csv").open(newline="", encoding="utf-8") as f:
        return {r["name"]: float(r["value"]) * cpi_factor(r["year"],
                                                          where=f"rates.csv: {r['name']}.year")
                for r in csv.DictReader(f)}


def part_time_4wd_cost() -> float:
    """Direct manufacturing cost (2024 USD) of a part-time 4WD on a rear-drive base:
    ``part_time_4wd_per_kg`` (rates.csv) x the mass item ``part_time_4wd_driveline``
    (coefficients.csv, kg), so a change of the mass rule moves the cost with it."""
    return rates()["part_time_4wd_per_kg"] * coefficients()["part_time_4wd_driveline"]


def content_cost_dmc(item: str, rpe: float = 1.5) -> float:
    """Direct manufacturing cost (2024 USD) of one US content item."""
    it = content_items()[item]
    usd = it.cost_usd * cpi_factor(it.cost_year, where=f"us_content.csv: {item}.cost_year")
    return usd / rpe if it.cost_basis == "consumer" else usd


class CostComp(DualClosedForm):
    """Direct manufacturing cost by part group, retail price and price position."""

    def initialize(self) -> None:
        super().initialize()
        declare_powertrain_options(self.options)
        self.options.declare("content", default=(), types=tuple)
        self.options.declare("drive", default="fwd", values=("fwd", "rwd", "awd", "4wd"))
        self.options.declare("truck", default=False, types=bool,
                             desc="truck style: the bed costed, the cab and bed painted")

    def setup(self) -> None:
        o = self.options
        skin = (["body:cab_surface_area", "body:bed_floor_area", "body:bed_side_area",
                 "mass:bed"] if o["truck"] else ["body:surface_area"])
        mass_in = ["mass:biw", "mass:crash_structure", "mass:crash_secondary",
                   *skin, "mass:group:closures", "mass:frame",
                   *(f"mass:group:{g}" for g in _PER_KG)]
        if o["powertrain_type"] == "ice":
            pt_in = ["powertrain:ice:power"]
            if o["hybrid"] == "hev":
                pt_in += ["powertrain:ice:hev_motor_power", "powertrain:ice:hev_battery_energy"]
        else:
            pt_in = ["powertrain:bev:motor_power", "powertrain:bev:battery_energy",
                     "cost:battery_price"]
        self._add_variables(
            mass_in + pt_in + ["cost:rpe", "cost:destination", "cost:reference_price"],
            [f"cost:group:{g}" for g in COST_GROUPS]
            + ["cost:vehicle", "cost:price", "cost:price_position"],
            defaults={"mass:frame": 0.0})  # no ladder frame unless the mass model says so

    def _values(self, g) -> dict:
        r = rates()
        o = self.options
        vals: dict = {}
        if o["truck"]:
            paint = (g["body:cab_surface_area"] + g["body:bed_floor_area"]
                     + 2.0 * g["body:bed_side_area"])
        else:
            paint = g["body:surface_area"]
        vals["body_structure"] = (r["biw_per_kg"] * g["mass:biw"] + r["crash_members_per_kg"]
                                  * (g["mass:crash_structure"] + g["mass:crash_secondary"])
                                  + r["paint_per_m2"] * paint
                                  + r["frame_per_kg"] * g["mass:frame"])
        if o["truck"]:
            vals["body_structure"] = vals["body_structure"] + r["frame_per_kg"] * g["mass:bed"]
        vals["closures"] = r["closures_per_kg"] * g["mass:group:closures"]
        for grp, key in _PER_KG.items():
            vals[grp] = r[key] * g[f"mass:group:{grp}"]
        if o["powertrain_type"] == "bev":
            p, e = g["powertrain:bev:motor_power"], g["powertrain:bev:battery_energy"]
            vals["powertrain"] = (r["motor_base"] + r["motor_per_kw"] * p + r["inverter_base"]
                                  + r["inverter_per_kw"] * p + r["charger_dcdc"])
            vals["battery"] = g["cost:battery_price"] * e + r["battery_fixed"]
        else:
            p = g["powertrain:ice:power"]
            trans = o["transmission"]
            key = _TRANS_COST_KEY.get(trans) or _TRANS_COST_KEY[FAMILY[trans]]
            vals["powertrain"] = (r["engine_base"] + r["engine_per_kw"] * p + r[key]
                                  + r["fuel_exhaust_cooling"]
                                  + (r["engine_turbo"] if o["turbo"] else 0.0))
            vals["battery"] = 0.0 * p
            if o["hybrid"] == "hev":
                ph = g["powertrain:ice:hev_motor_power"]
                eh = g["powertrain:ice:hev_battery_energy"]
                vals["powertrain"] = (vals["powertrain"] + r["motor_base"]
                                      + r["motor_per_kw"] * ph + r["inverter_base"]
                                      + r["inverter_per_kw"] * ph)
                vals["battery"] = r["hev_battery_per_kwh"] * eh
        if o["drive"] == "awd":      # an FWD base's PTU, coupling, prop shaft, rear axle
            vals["powertrain"] = vals["powertrain"] + r["awd_driveline"]
        elif o["drive"] == "4wd":    # a rear-drive base's transfer case + front axle drive
            vals["powertrain"] = vals["powertrain"] + part_time_4wd_cost()
        # content: consumer (retail) costs of the sources / the RPE of the sources (1.5)
        vals["us_content"] = sum(content_cost_dmc(i) for i in o["content"]) + 0.0 * g["cost:rpe"]
        vals["assembly"] = r["assembly"] + 0.0 * g["cost:rpe"]
        out = {f"cost:group:{k}": v for k, v in vals.items()}
        total = sum(vals[k] for k in COST_GROUPS)
        price = g["cost:rpe"] * total + g["cost:destination"]
        out["cost:vehicle"] = total
        out["cost:price"] = price
        out["cost:price_position"] = price - g["cost:reference_price"]
        return out


def add_subsystems(group, design, packs=()) -> None:
    """Model hook (after :func:`keidesign.mass.add_subsystems`): the cost model
    (batched with the group's ``n_cases``)."""
    ice = design.powertrain_type == "ice"
    group.add_subsystem("cost", CostComp(
        powertrain_type=design.powertrain_type, transmission=design["powertrain:transmission"],
        turbo=bool(design["powertrain:ice:turbo"]) if ice else False,
        hybrid=str(design["powertrain:ice:hybrid"]) if ice else "none",
        drive=str(design.values.get("powertrain:drive", "fwd")),
        truck=str(design.values.get("body:style", "hatch")) == "truck",
        content=fitted_content(design), n_cases=batch.n_cases(group)), promotes=["*"])
