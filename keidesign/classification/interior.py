"""SAE J1100-type interior volumes of a body, its EPA size class and the cargo-van test.

What the regulations compute (texts in ``keidesign/data/states/us_classes.md``, 49 CFR
523.2 and 40 CFR 600.315-08, 2015 Annual Edition [V-old]); every dimension in inches,
every volume in ft^3 (1 ft^3 = 1,728 in^3):

* front seat volume ``V_f = H61 W3 L34 / 1728`` (600.315-08(d); 523.2 passenger-carrying
  volume (1)); the hip-room variant ``(W3 + W5 + 5)/2`` is not used: the body gives no hip
  room W5 (and 523.2's own formula uses W3);
* rear seat volume ``V_r = H63 W4 L51 / 1728`` for a body with a rear row (600.315-08(e));
* cargo volume index, hatchback ``V11 = (L210 + L211)/2 W4 H198 / 1728``, station wagon
  ``V10 = (W4 + W201)/2 H201 L205 / 1728`` (600.315-08(g));
* interior volume index ``V_f + V_r + V11`` (or ``V10``) (600.315-08(b)(3): station wagons
  and hatchbacks with a second seat), and the size classes of 600.315-08(a)(1):
  minicompact < 85, subcompact < 100, compact < 110, midsize < 120, large; small station
  wagon < 130, midsize < 160, large; a two seater by seating (no rear row);
* 49 CFR 523.5(a)(4): a non-passenger automobile when it provides greater cargo-carrying
  than passenger-carrying volume, a second-row seat sold with it counted as installed.
  Passenger-carrying volume ``V_f + V_r``; cargo-carrying volume the cargo volume index
  where it applies (a second seat: ``V11`` / ``V10``), else the space behind the
  rearmost seat bounded by the interior surfaces (523.2), here the box
  ``L_behind x (W4 + W201)/2 x H201`` behind the front seat back.

How the J1100 dimensions are taken from the body (:class:`geometry.profiles.Layout`, mm;
H61, H63 and L34 are the closed form's ``body:headroom``, ``body:headroom_rear`` and
``body:legroom``, :mod:`geometry.closed_form`); the rest are assumed rules [A], each
constant below:

* ``W3 = W - 2 SIDE_WALL``: the section is the full body width ``W`` up to the belt
  line, where J1100 takes shoulder room (the belt-line zone [A, the J1100 text was not
  read]); ``SIDE_WALL`` the outer skin to the trimmed door surface; ``W4 = W3`` (the
  body's section does not change along x);
* ``L51 = sqrt((L50 - REAR_HEEL_BEHIND_H)^2 + (z_HR - z_floor - ANKLE_HEIGHT)^2) + 254``:
  the L34 construction (ankle pivot to H-point + 254 mm) from the rear H-point to a rear
  heel point on the cabin floor ``REAR_HEEL_BEHIND_H`` behind the front H-point (the rear
  occupant's heel behind the front seat's base);
* the rear seat back: the occupant cell's end ``x_HR + REAR_SEATBACK`` (the geometry's
  own 250 mm), its top ``SEATBACK_TOP`` above the rear H-point (capped at the headliner);
  the load floor ``LOAD_FLOOR_RISE`` above the body's luggage floor
  (``body:cargo_floor_height``: the rear suspension and spare-wheel well under it); the
  cargo space's rear limit ``REAR_WALL`` inside the side profile's rear boundary;
* ``L211`` at the load floor, ``L210`` at the seat-back top, ``L205`` at the belt line,
  each from the seat back to that limit; ``H198`` seat-back top minus load floor;
  ``H201`` headliner (roof minus ``body.roof_thickness``) at the rear axle minus load
  floor; ``W201`` between the wheelhouse inner walls (``Layout.y_in``).

Validity: the car styles (``hatch``: a hatchback; ``tallboy``: a station wagon for the
size class) of the geometry's range; a sedan's trunk (luggage capacity V1, the standard
luggage set) is not modelled; the truck (an open bed) has no EPA car class. Checked
against the published fueleconomy.gov volumes (``pv4``/``hpv`` passenger, ``hlv`` cargo)
of the imported US cars: ``benchmarks/interior_volumes.py`` (docs/classification.md,
"EPA size class and the cargo-van test"); nothing is fitted.

Status: a trial (task s35d, 6 Dec 2026), **not used** by ``keidesign classify`` nor
``evaluate``: it missed its ship rule (written before the run, in the benchmark's
docstring). On the 64 imported US generations with a published passenger volume (55
families) the passenger-carrying volume's MAE is 10.6 ft^3 (11.7 % of the published mean
91.1; rule <= 10 %), mean error +10.0 ft^3, growing with the body height (+5.4 ft^3 on the
lowest third, +13.8 on the tallest: the import gives every car the registry's seat
height and H-point-to-heel distance, so head room follows the roof); the cargo volume
index against ``hlv`` 8.9 ft^3 (54 %; rule <= 30 %); the size class 1 of 73. So the
goods-van test of 49 CFR 523.5(a)(4) stays undecided (:data:`keidesign.federal_class.
GOODS_VAN_NOTE`) and no EPA size class is printed. Task s38g (7 Dec 2026,
``benchmarks/interior_cargo_terms.py``) took S2/S3 apart per term and tried a sedan's trunk
(V1 = 0.439 x the box behind the rear seat under the belt line, held out by family: V1 MAE
1.6 ft^3 on 12.3): S2 70 -> 54-59 %, S3 2 -> 20 of 73; with the published cargo volumes
the model's passenger volume still gives only 27 of 63 classes, so still not used
(docs/classification.md, "Cargo volume index per term and a sedan's trunk").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from geometry import profiles as pr

__all__ = ["EPA_CAR_CLASSES", "EPA_WAGON_CLASSES", "Interior", "epa_size_class",
           "interior", "interior_from_values"]

MM_PER_IN = 25.4
IN3_PER_FT3 = 1728.0

# assumed packaging rules [A] (module docstring), mm
SIDE_WALL = 175.0          # outer skin (body width) to the trimmed door at the belt line
REAR_HEEL_BEHIND_H = 250.0  # rear occupant's heel point behind the front H-point
SEATBACK_TOP = 550.0       # rear seat-back top above the rear H-point (head restraint stowed)
LOAD_FLOOR_RISE = 150.0    # load floor above the body's luggage floor
REAR_WALL = 120.0          # tailgate / rear panel: side-profile rear boundary to trim

#: 40 CFR 600.315-08(a)(1)(ii)-(vi): upper bounds (ft^3, exclusive) of the car classes
EPA_CAR_CLASSES = (("minicompact", 85.0), ("subcompact", 100.0), ("compact", 110.0),
                   ("midsize", 120.0), ("large", math.inf))
#: 40 CFR 600.315-08(a)(1)(vii)-(ix): the station wagons'
EPA_WAGON_CLASSES = (("small station wagon", 130.0), ("midsize station wagon", 160.0),
                     ("large station wagon", math.inf))


def _ft3(a_mm: float, b_mm: float, c_mm: float) -> float:
    """Product of three lengths (mm) in ft^3, as 600.315-08 forms it in inches."""
    return (a_mm / MM_PER_IN) * (b_mm / MM_PER_IN) * (c_mm / MM_PER_IN) / IN3_PER_FT3


@dataclass(frozen=True)
class Interior:
    """J1100-type dimensions (mm) and volumes (ft^3) of one body (module docstring)."""

    body_type: str            # "hatchback" or "station wagon" (the cargo volume index used)
    rear_row: bool
    H61: float
    W3: float
    L34: float
    H63: float
    W4: float
    L51: float
    cargo_dims: dict[str, float]
    front_seat: float         # ft^3
    rear_seat: float          # ft^3 (0 without a rear row)
    cargo_index: float        # ft^3: V11 / V10 with a rear row, else the space behind
    #                           the front seat (523.2)

    @property
    def passenger(self) -> float:
        """Passenger-carrying volume (49 CFR 523.2), ft^3."""
        return self.front_seat + self.rear_seat

    @property
    def index(self) -> float:
        """Interior volume index (40 CFR 600.315-08(b)(3)), ft^3."""
        return self.passenger + self.cargo_index

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.update(passenger=self.passenger, index=self.index)
        return d


def epa_size_class(index_ft3: float, station_wagon: bool, rear_row: bool = True) -> str:
    """The 40 CFR 600.315-08(a)(1) class of a passenger automobile of interior volume
    index ``index_ft3``: ``two seater`` without a rear row (no more than two designated
    seating positions), else the car or station-wagon class whose band holds it."""
    if not rear_row:
        return "two seater"
    for name, upper in (EPA_WAGON_CLASSES if station_wagon else EPA_CAR_CLASSES):
        if index_ft3 < upper:
            return name
    raise AssertionError("unreachable: the last band is open")


def interior(lay: pr.Layout) -> Interior:
    """The J1100-type volumes of the float layout ``lay`` (module docstring)."""
    from geometry.closed_form import _headroom

    if lay.style == "truck":
        raise ValueError("interior: the truck style (an open bed) has no EPA car volumes")
    p = lay.p
    xh, zh = lay.h_point
    xhr, zhr = lay.rear_h_point
    xhe, zhe = lay.heel_point
    rear_row = float(p["l50"]) > 0.0
    h61 = float(_headroom(lay, xh, zh)) + pr.HEADROOM_ADD
    l34 = math.hypot(xh - xhe, zh - (zhe + pr.ANKLE_HEIGHT)) + pr.LEGROOM_ADD
    w3 = float(lay.W) - 2.0 * SIDE_WALL
    w4 = w3
    z_floor = float(lay.z_floor)
    if rear_row:
        h63 = float(_headroom(lay, xhr, zhr)) + pr.HEADROOM_ADD
        l51 = math.hypot(float(p["l50"]) - REAR_HEEL_BEHIND_H,
                         zhr - z_floor - pr.ANKLE_HEIGHT) + pr.LEGROOM_ADD
        back = float(lay.cell_x[1])
        z_top_seat = zhr + SEATBACK_TOP
    else:
        h63 = l51 = 0.0
        back = xh + pr.REAR_SEATBACK        # the front seat's back, as the rear one's
        z_top_seat = zh + SEATBACK_TOP
    roof = float(p["roof_thickness"])
    z_lf = float(lay.z_cargo_floor) + LOAD_FLOOR_RISE
    x_ra = float(lay.x_rear_axle)
    h201 = float(lay.z_top(x_ra)) - roof - z_lf
    z_sb = min(z_top_seat, float(lay.z_top(back)) - roof)

    def behind(z: float) -> float:
        return max(float(lay.x_rear(z)) - REAR_WALL - back, 0.0)

    w201 = 2.0 * float(lay.y_in)
    station_wagon = lay.style == "tallboy"
    if rear_row and not station_wagon:
        dims = {"L210": behind(z_sb), "L211": behind(z_lf), "H198": max(z_sb - z_lf, 0.0)}
        cargo = _ft3(0.5 * (dims["L210"] + dims["L211"]), w4, dims["H198"])
    else:
        dims = {"L205": behind(float(lay.belt)), "W201": w201, "H201": max(h201, 0.0)}
        cargo = _ft3(0.5 * (w4 + w201), dims["H201"], dims["L205"])
    return Interior("station wagon" if station_wagon else "hatchback", rear_row,
                    h61, w3, l34, h63, w4, l51, dims, _ft3(h61, w3, l34),
                    _ft3(h63, w4, l51) if rear_row else 0.0, cargo)


def interior_from_values(values: Mapping[str, Any]) -> Interior | None:
    """:func:`interior` of a design's values (registered names), or None when they do not
    make a car body (a truck, or values without the body's keys)."""
    from geometry.params import layout_from_mapping

    if str(values.get("body:style", "")) not in ("hatch", "tallboy"):
        return None
    try:
        lay = layout_from_mapping(_scalars(values), check=False)
    except (KeyError, TypeError, ValueError):
        return None
    return interior(lay)


def _scalars(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values with any ``(value, units)`` pair or 1-element array made a float."""
    out: dict[str, Any] = {}
    for k, v in values.items():
        if isinstance(v, tuple) and len(v) == 2 and (v[1] is None or isinstance(v[1], str)):
            v = v[0]
        if hasattr(v, "shape") and getattr(v, "size", 0) == 1:
            v = float(v.reshape(-1)[0])
        out[k] = v
    return out
