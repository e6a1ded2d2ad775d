"""Energy discipline: road load, powertrains over drive cycles, label inputs, performance.

* :mod:`.cycles`: the shipped 1 Hz traces (UDDS/FTP-75 bags, HWFET, US06, WLTC 3a/3b,
  JC08).
* :mod:`.roadload`: road load from the design (or measured coast-down coefficients) and
  the tractive energy per test.
* :mod:`.powertrains`: vectorized ICE (Willans line with engine speed, gearbox / CVT
  strategy, fuel cut-off, cold start), BEV (scaled motor loss map, battery resistance,
  regeneration limits, charger) and HEV (charge-sustaining rule) models.
* :mod:`.vehicle`: cycle results (unadjusted FTP / HWFET / US06, WLTC mode, JC08, EV range)
  for one design or a batch; :func:`simulate` is the batch API.
* :mod:`.performance`: 0-60 and 50-70 mph, top speed, gradeability, US06 trace.
* :mod:`.components`: the OpenMDAO components and :class:`EnergyGroup`.
* :mod:`.calibration`: fit and validation on the EPA test-car list
  (``python -m keidesign.energy.calibration``); constants in ``calibration.toml``.

See ``docs/energy.md`` for the equations, the fit, the validation tables and the
comparison with NREL FASTSim.
"""

from __future__ import annotations

from keidesign import batch
from keidesign.energy.components import (
    CoastdownComp,
    CycleComp,
    DrivelineComp,
    EnergyGroup,
    LabelSetsComp,
    PerformanceComp,
    PowertrainPackageComp,
)
from keidesign.energy.cycles import (
    DriveTest,
    Phase,
    ftp75,
    get_test,
    hwfet,
    jc08,
    udds,
    us06,
    wltc,
)
from keidesign.energy.roadload import RoadLoadComp, TractiveEnergyComp, load_constants
from keidesign.energy.vehicle import VehicleSpec, simulate

__all__ = [
    "CoastdownComp",
    "CycleComp",
    "DriveTest",
    "DrivelineComp",
    "EnergyGroup",
    "LabelSetsComp",
    "PerformanceComp",
    "Phase",
    "PowertrainPackageComp",
    "RoadLoadComp",
    "TractiveEnergyComp",
    "VehicleSpec",
    "add_subsystems",
    "energy_options",
    "ftp75",
    "get_test",
    "hwfet",
    "jc08",
    "load_constants",
    "simulate",
    "udds",
    "us06",
    "wltc",
]

#: Rule-pack parameter read by the gradeability check: ``[params.performance] grade``.
_GRADE_PARAM = ("performance", "grade")


def energy_options(design, packs=()) -> dict:
    """:class:`EnergyGroup` options from a design and its rule packs.

    The WLTC class follows UN GTR No. 15: class 3b when the vehicle can reach 120 km/h
    (here: its speed limiter is at least 120 km/h), else 3a. The gradeability grade is
    the first rule pack's ``[params.performance] grade`` (fraction), else 6 %. A goods
    vehicle (``body.use = "goods"``, the default of the truck style; a kei van says so):
    its WLTC test mass carries 28 % of the maximum load
    (:func:`keidesign.energy.vehicle.wltc_test_mass`).
    """
    vals = design.values
    grade = None
    for p in packs:
        g = p.params.get(_GRADE_PARAM[0], {}).get(_GRADE_PARAM[1])
        if g is not None:
            grade = float(g)
            break
    ice = design.powertrain_type == "ice"
    return {
        "powertrain_type": design.powertrain_type,
        "transmission": vals.get("powertrain:transmission", "cvt"),
        "turbo": bool(vals.get("powertrain:ice:turbo", False)) if ice else False,
        "idle_stop": bool(vals.get("powertrain:ice:idle_stop", False)) if ice else False,
        "idle_stop_speed": float(vals.get("powertrain:ice:idle_stop_speed", 0.0))
        if ice and vals.get("powertrain:ice:idle_stop", False) else 0.0,
        "converter_lockup": vals.get("powertrain:converter_lockup", "all") if ice else "all",
        "manual_upshift_mph": tuple(vals.get("powertrain:ice:manual_upshift_mph", ()))
        if ice else (),
        "hybrid": vals.get("powertrain:ice:hybrid", "none") if ice else "none",
        "hev_layout": vals.get("powertrain:ice:hev_layout", "mild") if ice else "mild",
        "hev_motor_on_gearbox": bool(vals.get("powertrain:ice:hev_motor_on_gearbox", False))
        if ice else False,
        "compression_ratio": float(vals.get("powertrain:ice:compression_ratio", 0.0))
        if ice else 0.0,
        "coastdown": bool(vals.get("energy:coastdown:measured", False)),
        "wltc_class": "3b" if float(vals.get("powertrain:speed_limiter", 140.0)) >= 120.0
        else "3a",
        "goods_vehicle": vals.get("body:use", "goods" if vals.get("body:style") == "truck"
                                  else "passenger") == "goods",
        "grade": grade,
        "drive": vals.get("powertrain:drive", "fwd"),
        "layout": vals.get("powertrain:layout", "front"),
        "motor_type": vals.get("powertrain:bev:motor_type", "pmsm") if not ice else "pmsm",
        "pack_chemistry": vals.get("powertrain:bev:pack_chemistry", "li-ion") if not ice
        else "li-ion",
    }


def add_subsystems(group, design, packs=()) -> None:
    """Model hook: the energy subsystems of one design (no solver needed: feed-forward);
    the group's ``n_cases`` (:mod:`keidesign.batch`) is passed on."""
    group.add_subsystem("energy", EnergyGroup(**energy_options(design, packs),
                                              n_cases=batch.n_cases(group)),
                        promotes=["*"])
