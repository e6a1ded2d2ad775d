"""Federal vehicle class of a design and the rules that then apply (issue 15).

Thresholds (``keidesign/data/states/us_classes.md``, tags there):

* **Low-speed vehicle** (49 CFR 571.3 [V]): 4 wheels, speed attainable in 1.6 km more
  than 32 km/h (20 mph) and not more than 40 km/h (25 mph), GVWR below 1,361 kg
  (3,000 lb). Its only safety standard is FMVSS 500 (equipment list; no crashworthiness
  criteria).
* A car that cannot exceed 20 mph is below the LSV band; EPA's motor-vehicle definition
  (40 CFR 85.1703 [V-weak]) excludes a vehicle that cannot exceed 25 mph: such a design
  is treated as an off-road (non-motor) vehicle here.
* **Passenger car** (49 CFR 571.3 [R]) / **passenger automobile** (49 CFR 523.4 [V]):
  every other 4-wheeled design for at most 10 persons; **truck** / non-passenger
  automobile when it transports property on an open bed (49 CFR 523.5(a)(3) [V-old]).
  A 4WD car is a non-passenger automobile under 523.5(b) only with significant
  off-highway features, which the design does not describe (said, not decided).
* A closed goods vehicle (``body.use = "goods"`` without an open bed: a kei van) is a
  non-passenger automobile when it provides, as sold, "greater cargo-carrying than
  passenger-carrying volume, such as in a cargo van", a second-row seat sold with it
  counted as installed (49 CFR 523.5(a)(4) [V-old]: read, in the allregs copy, tags of
  us_classes.md). 49 CFR 523.2 [V-old] (2015 Annual Edition, 18F/allregs copy; task
  s35d) defines both volumes: cargo-carrying volume is the luggage capacity or cargo
  volume index of 40 CFR 600.315-08 where those apply, else the enclosed cargo space (or
  the space behind the rearmost seat) in ft^3; passenger-carrying volume the front seat
  volume ``H61 W3 L34 / 1728`` plus the rear seat volume ``H63 W4 L51 / 1728`` (SAE
  J1100 dimensions in inches), measured on the base vehicle (NHTSA interpretation to GM,
  12 Nov 1981, aiam3488 [V]). The model does not decide the test: the body gives H61,
  H63 and L34 but no shoulder room, rear leg room nor cargo dimensions, and the estimate
  of them by assumed packaging rules (:mod:`keidesign.classification.interior`, trial
  s35d) missed its validation against published EPA volumes (docs/classification.md).
  So the test is said, not decided: such a design stays a passenger automobile with a
  note (tasks s34e, s35d; no guess at the volumes).

Inputs: the top speed the energy discipline computes (power-, engine-speed- or
limiter-bound, mph), GVWR = curb mass + rated payload (kg), wheels, driven wheels, body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CLASS_KEYS", "GOODS_VAN_NOTE", "LSV_GVWR_KG", "LSV_MAX_MPH", "LSV_MIN_MPH",
           "FederalClass", "classify", "design_class"]

#: the class keys :func:`classify` gives (a rule-pack constraint's ``applies_to``)
CLASS_KEYS = ("passenger_car", "truck", "lsv", "off_road")

LSV_MIN_MPH = 20.0   # exclusive lower bound of the LSV speed band (49 CFR 571.3)
LSV_MAX_MPH = 25.0   # inclusive upper bound
LSV_GVWR_KG = 1361.0  # GVWR must be below 1,361 kg (3,000 lb)

_CAR_FMVSS = ["FMVSS 208 frontal (49 CFR 571.208)", "FMVSS 214 side (571.214)",
              "FMVSS 216a roof (571.216a)", "FMVSS 301 fuel system (571.301)",
              "Part 581 bumpers (49 CFR 581)"]
# Part 581 applies to "passenger motor vehicles other than multipurpose passenger vehicles
# and low-speed vehicles" (49 CFR 581.3 [V]); a "passenger motor vehicle" excludes "a
# truck not designed primarily to carry its operator or passengers" (49 U.S.C.
# 32101(10)(B) [V]): no federal bumper standard for a truck
_TRUCK_FMVSS = _CAR_FMVSS[:-1]


@dataclass
class FederalClass:
    """The class of a design, why, and what applies to it."""

    key: str                  # "passenger_car", "truck", "lsv", "off_road"
    name: str
    citation: str
    reasons: list[str]
    safety_rules: list[str]
    fuel_economy_rules: list[str]
    import_route: str
    state_category: str | None  # the states.csv category its road access is read from
    notes: list[str] = field(default_factory=list)


def classify(top_speed_mph: float, gvwr_kg: float, *, wheels: int = 4, drive: str = "fwd",
             open_bed: bool = False, goods: bool = False) -> FederalClass:
    """The federal class of a design (module docstring); ``goods``: registered for goods
    (``body.use = "goods"``), which without an open bed is noted (523.5(a)(4))."""
    speed = f"top speed {top_speed_mph:.1f} mph"
    gvwr = f"GVWR {gvwr_kg:.0f} kg ({gvwr_kg / 0.45359237:,.0f} lb)"
    route = ("new build: certified by its manufacturer to every applicable FMVSS (49 CFR "
             "567); the 25-year exemption (49 CFR 591.5(i)) covers only vehicles at least "
             "25 years old")
    if wheels == 4 and LSV_MIN_MPH < top_speed_mph <= LSV_MAX_MPH and gvwr_kg < LSV_GVWR_KG:
        return FederalClass(
            "lsv", "low-speed vehicle", "49 CFR 571.3; FMVSS 500 (49 CFR 571.500)",
            [f"{speed} within (20, 25] mph", f"{gvwr} below 1,361 kg (3,000 lb)",
             "4 wheels"],
            ["FMVSS 500: lamps, turn signals, reflectors, mirrors, parking brake, "
             "windshield (FMVSS 205), VIN, seat belts (FMVSS 209); no crashworthiness "
             "standard"],
            ["not evaluated: whether an LSV is an automobile under 49 U.S.C. 32901 "
             "(CAFE) was not verified"],
            route, "lsv")
    if top_speed_mph <= LSV_MIN_MPH:
        return FederalClass(
            "off_road", "below the low-speed-vehicle band (not a motor vehicle)",
            "49 CFR 571.3 (LSV band starts above 20 mph); 40 CFR 85.1703",
            [f"{speed} at or below 20 mph"], [], [],
            "not a motor vehicle for FMVSS; nonroad emission rules", None)
    reasons = [speed + (" above 25 mph" if top_speed_mph > LSV_MAX_MPH else
                        f" within the LSV band, but {gvwr} is not below 1,361 kg")]
    notes = []
    if drive == "4wd":
        notes.append("4WD: a non-passenger automobile (49 CFR 523.5(b)) only with "
                     "significant off-highway features, which the design does not "
                     "describe; classified as a passenger automobile")
    if goods and not open_bed:
        notes.append(GOODS_VAN_NOTE)
    if open_bed:
        return FederalClass(
            "truck", "truck / non-passenger automobile (light truck)",
            "49 CFR 571.3; 49 CFR 523.5(a)(3) (property on an open bed)",
            reasons + ["open cargo bed"], _TRUCK_FMVSS,
            ["CAFE light-truck targets (49 CFR 533.5)", "EPA GHG light-truck targets "
             "(40 CFR 86.1818-12)", "EPA fuel economy label (40 CFR 600: 2008 and "
             "later automobiles, 600.001; an automobile includes a light truck of GVWR up "
             "to 8,500 lb, 49 U.S.C. 32901(a)(3))"], route, None,
            notes + ["state mini-truck laws (states.csv) concern uncertified imported "
                     "mini trucks, not a certified truck",
                     "Part 581 bumpers do not apply: 49 CFR 581.3 covers passenger motor "
                     "vehicles, which exclude a truck not designed primarily to carry its "
                     "operator or passengers (49 U.S.C. 32101(10)(B))"])
    return FederalClass(
        "passenger_car", "passenger car / passenger automobile",
        "49 CFR 571.3; 49 CFR 523.4", reasons + ["no open bed"], _CAR_FMVSS,
        ["CAFE passenger-car targets (49 CFR 531.5)", "EPA GHG car targets (40 CFR "
         "86.1818-12)", "EPA fuel economy label (40 CFR 600)"], route, None, notes)


#: what a closed goods vehicle's class says (module docstring: 523.5(a)(4) not decided)
GOODS_VAN_NOTE = (
    "goods vehicle without an open bed: a non-passenger automobile (light truck) if it "
    "provides greater cargo-carrying than passenger-carrying volume, a second-row seat "
    "counted as installed (49 CFR 523.5(a)(4)); 49 CFR 523.2 takes both from SAE J1100 "
    "dimensions (passenger: H61 x W3 x L34 + H63 x W4 x L51); the body gives no shoulder "
    "room, rear leg room nor cargo dimensions, and their estimate from it missed its "
    "validation against published EPA volumes (docs/classification.md), so this is not "
    "decided: classified as a passenger automobile")


def design_class(values: Mapping[str, Any],
                 outputs: Mapping[str, Any] | None = None) -> FederalClass:
    """The class of a design of input ``values`` (``body:style`` = ``truck``: an open
    bed; ``powertrain:drive``; ``mass:payload``) from its computed ``outputs``
    (``perf:top_speed`` in mph, ``mass:curb`` in kg, each a value or a ``(value,
    units)`` pair whose value may be an array). Without the outputs (before a run) the
    class the design's body gives (truck, else passenger car) at a speed above the LSV
    band."""
    def first(v: Any) -> float:
        v = v[0] if isinstance(v, tuple) else v
        return float(v[0]) if hasattr(v, "__len__") else float(v)

    open_bed = str(values.get("body:style", "")) == "truck"
    goods = str(values.get("body:use", "passenger")) == "goods"
    drive = str(values.get("powertrain:drive", "fwd"))
    if outputs is None or "perf:top_speed" not in outputs or "mass:curb" not in outputs:
        return classify(LSV_MAX_MPH + 10.0, 0.5 * LSV_GVWR_KG, drive=drive,
                        open_bed=open_bed, goods=goods)
    gvwr = first(outputs["mass:curb"]) + first(values.get("mass:payload", 0.0))
    return classify(first(outputs["perf:top_speed"]), gvwr, drive=drive, open_bed=open_bed,
                    goods=goods)
