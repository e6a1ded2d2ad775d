"""Kei-envelope and packaging checks on the built solid, reported as margins.

* **Envelope**: the assembly's bounding box (exact OCC box of every part) against the
  ``body:length`` / ``body:width`` / ``body:height`` limits of the design's rule packs
  (``kei-japan``: 3400 / 1480 / 2000 mm). A violation is a result (negative margin),
  not an error.
* **Occupant packaging** (US 95th-percentile male, see :mod:`geometry.closed_form`): head room
  and leg room margins, side crush space.
* **Component packaging**: powertrain between the wheelhouses and under the hood,
  fuel tank / battery between the wheel arches (a BEV pack placed elsewhere: within its
  placement's bay, :attr:`geometry.profiles.Layout.storage_bay`) and clear of the
  powertrain block along x where the two share height (a mid or long rear block).

Each record: ``id, quantity, value, bound, units, margin, passed, source`` (the shape of
a rule-pack constraint record), ``margin >= 0`` passes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from geometry import profiles as pr
from geometry.cad import Body
from geometry.closed_form import closed_form
from keidesign import units as ku

__all__ = ["assembly_bbox", "checks", "hint", "part_bboxes"]

_DIMS = {"body:length": 0, "body:width": 1, "body:height": 2}


def part_bboxes(body: Body) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per part: (min corner, max corner), the exact OCC box from the geometry (not from
    a possibly coarse triangulation), mm. Computed once per body (the optimal boxes are
    most of an export's sidecar time) and kept on it."""
    cached = body.__dict__.get("_part_bboxes")
    if cached is not None and cached[0] == tuple(body.parts):
        return cached[1]
    from OCP.Bnd import Bnd_Box
    from OCP.BRepBndLib import BRepBndLib

    out = {}
    for name, solid in body.parts.items():
        box = Bnd_Box()
        BRepBndLib.AddOptimal_s(solid.wrapped, box, False, False)
        x0, y0, z0, x1, y1, z1 = box.Get()
        out[name] = (np.array([x0, y0, z0]), np.array([x1, y1, z1]))
    body.__dict__["_part_bboxes"] = (tuple(body.parts), out)
    return out


def assembly_bbox(body: Body) -> tuple[np.ndarray, np.ndarray]:
    """(min corner, max corner) of all parts (exact OCC box, mm)."""
    boxes = list(part_bboxes(body).values())
    return (np.min([b[0] for b in boxes], axis=0), np.max([b[1] for b in boxes], axis=0))


#: What a failed packaging record asks the user to change: the design-file fields behind
#: it (a BEV written from the docs got the ICE-sized envelope defaults and failed
#: ``packaging.powertrain_under_hood`` by 26 mm with nothing naming them, s33f).
_PT_FIELDS = ("body.powertrain_width", "body.powertrain_height")


def hint(record: dict[str, Any]) -> str:
    """One line naming the design-file fields a failed check depends on, ``""`` for a
    passed record or one without a hint. The powertrain envelope's defaults
    (registry ``body:powertrain_width`` / ``_height``) size a transverse kei engine +
    transmission; a BEV's drive unit (motor + reduction gear + inverter) or another
    engine is given by the design file's own values."""
    if record["passed"]:
        return ""
    if record["id"].endswith("_clear_of_powertrain"):
        store = ("reduce powertrain.ice.fuel_tank" if "fuel_tank" in record["id"] else
                 "reduce powertrain.bev.battery_energy (or move it: body.battery_placement)")
        return (f"{record['id']}: the powertrain block (powertrain.block_length long, placed "
                "by powertrain.layout: a mid block ends on the rear axle line) and the energy "
                f"store overlap along x; shorten the block, {store}, or lengthen "
                "body.wheelbase (docs/geometry.md, \"Powertrain position\")")
    if record["id"] not in ("packaging.powertrain_under_hood", "packaging.powertrain_width"):
        return ""
    from keidesign.variables import get

    width, height = (get(n.replace(".", ":")) for n in _PT_FIELDS)
    under = record["id"] == "packaging.powertrain_under_hood"
    return (f"{record['id']}: the powertrain envelope is {_PT_FIELDS[1]} (default "
            f"{height.default:g} mm) high and {_PT_FIELDS[0]} (default {width.default:g} mm) "
            "wide, sized for a transverse kei engine + transmission; give the design's own "
            "unit in [body] (a BEV's motor + reduction gear + inverter is smaller) or "
            + ("raise body.hood_height" if under else "widen body.track_front"))


def _rec(cid: str, quantity: str, value: float, bound: float, upper: bool, units: str,
         source: str) -> dict[str, Any]:
    margin = bound - value if upper else value - bound
    return {"id": cid, "quantity": quantity, "value": round(float(value), 3),
            "bound": round(float(bound), 3), "units": units,
            "margin": round(float(margin), 3), "passed": bool(margin >= 0.0),
            "source": source}


def checks(body: Body, packs: Any = (), closed: dict[str, Any] | None = None
           ) -> list[dict[str, Any]]:
    """Envelope records for the packs' size limits, then the packaging records.

    Args:
        body: the built body.
        packs: :class:`keidesign.rulepacks.RulePack` objects (their ``body:length``,
            ``body:width``, ``body:height`` upper limits are checked on the solid).
        closed: closed-form outputs (:func:`geometry.closed_form.closed_form`, registered
            units) for the occupant margins; computed if not given.
    """

    lay = body.layout
    lo, hi = assembly_bbox(body)
    size = hi - lo
    out = []
    for pack in packs:
        for con in pack.constraints:
            if con.quantity in _DIMS and isinstance(con.upper, (int, float)):
                val = float(ku.convert(size[_DIMS[con.quantity]], "mm", con.units))
                out.append(_rec(f"{con.full_id}.solid", con.quantity, val, float(con.upper),
                                True, con.units, f"{con.source}; measured on the CAD solid"))
    if closed is None:
        closed = closed_form(lay.p, lay.style, lay.powertrain, lay.placement, lay.engine)
    f = float
    src95 = "US 95th-percentile male (see docs/geometry.md)"
    out.append(_rec("packaging.headroom_95m", "body:headroom", f(closed["body:headroom"]),
                    pr.REQUIRED_HEADROOM, False, "mm",
                    "SAE J1100 H61-type; benchmark floor of the published class (task s39d)"))
    out.append(_rec("packaging.legroom_95m", "body:legroom", f(closed["body:legroom"]),
                    pr.REQUIRED_LEGROOM, False, "mm", "SAE J1100 L34-type; " + src95))
    out.append(_rec("packaging.side_crush_space", "body:side_crush_space",
                    f(closed["body:side_crush_space"]), 0.0, False, "mm",
                    "door skin to the 95th-male hip; > 0 means the occupant is inside"))
    # powertrain: between the wheelhouses, under the hood
    x0, x1, yh, z0, z1 = (f(v) for v in lay.powertrain_box)
    out.append(_rec("packaging.powertrain_width", "body:powertrain_width", 2.0 * yh,
                    2.0 * f(lay.y_in), True, "mm", "wheelhouse inner walls"))
    xs = np.linspace(x0, x1, 9)
    hood = min(f(lay.z_top(x)) for x in xs)
    out.append(_rec("packaging.powertrain_under_hood", "body:powertrain_height", z1,
                    hood, True, "mm", "lowest hood/profile point over the powertrain"))
    # fuel tank / battery between the wheel arches, or in the bay of its placement
    s0, s1, _, _, _ = (f(v) for v in lay.storage_box)
    front, rear = f(lay.x_front_axle) + f(lay.R_arch), f(lay.x_rear_axle) - f(lay.R_arch)
    where = ("behind the front wheel arch", "ahead of the rear wheel arch")
    if lay.powertrain == "bev" and lay.placement != "underfloor":
        front, rear = (f(v) for v in lay.storage_bay)
        where = tuple(f"{end} of the {lay.placement} bay (docs/geometry.md)"
                      for end in ("within the front end", "within the rear end"))
    # positions along x behind the front axle centreline, the registered quantities of
    # the store's ends (they carried body:volume:energy_storage, a volume in m**3, until
    # 6 Dec 2026)
    xa = f(lay.x_front_axle)
    out.append(_rec(f"packaging.{lay.storage_name}_front", "body:storage_front_from_front_axle",
                    s0 - xa, front - xa, False, "mm", where[0]))
    out.append(_rec(f"packaging.{lay.storage_name}_rear", "body:storage_rear_from_front_axle",
                    s1 - xa, rear - xa, True, "mm", where[1]))
    # the store and the powertrain block do not share space where they share height (both
    # are centred on y = 0): a mid engine ends on the rear axle line, over the end of the
    # fuel tank ahead of the rear arches (new-user pass s34d: a mid-engine roadster's
    # 450 mm block took 94 mm of its tank's length, 15 L, and no check said so)
    if min(z1, f(lay.storage_box[4])) > max(z0, f(lay.storage_box[3])):
        src = f"clear of the {lay.engine} powertrain block (its {{}} face; docs/geometry.md)"
        if x0 >= s0:   # the block behind the store's front end: the store ends ahead of it
            out.append(_rec(f"packaging.{lay.storage_name}_clear_of_powertrain",
                            "body:storage_rear_from_front_axle", s1 - xa, x0 - xa, True, "mm",
                            src.format("front")))
        else:          # the block ahead: the store starts behind it
            out.append(_rec(f"packaging.{lay.storage_name}_clear_of_powertrain",
                            "body:storage_front_from_front_axle", s0 - xa, x1 - xa, False, "mm",
                            src.format("rear")))
    return out
