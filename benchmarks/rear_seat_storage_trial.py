"""One rule for the energy store under the rear seat (task s38d, 7 Dec 2026): a trial.

Nothing here is wired into the model: ``geometry/profiles.py`` keeps the rear H-point at
the front one's height, raised by the whole pack height ``h`` for a BEV pack
``under_rear_seat`` and by nothing for the ICE fuel tank under the same cushion
(docs/geometry.md, "One rule for the store under the rear seat"; the task's ship rule S1
failed: no source gives ``d``).

Candidate rule (side view, z up from the ground, mm): the rear H-point sits at least ``d``
above the top of whatever lies under the rear cushion,

    z_hr = z_h + max(0, z_top + d - z_h)        (:func:`rear_rise`)

``z_h`` the rear H-point with nothing under the cushion (the front H-point's height,
``gc + floor + h_floor + H30``, ``h_floor`` the pack height of an ``underfloor`` pack),
``z_top`` the store's top (:attr:`geometry.profiles.Layout.storage_box`: the tank
``gc + 230``, a pack ``gc + 5 + h``), ``d`` the seat's compressed cushion + pan stack under
the hip joint (with the hip joint's height over the body tissue). A store is *under the
cushion* (:func:`under_cushion`) when it overlaps the cushion footprint along x (cushion
front edge ``x_hr - 350`` [A] to the seat back ``x_sb``) and reaches under the occupants'
hips across (half-width ``> W20 - 205``, the US 95th male hip breadth 410 mm, Pheasant [R]):
the ``tunnel`` pack between the hips and the ``rear`` pack behind the seat back are not.
The rise is one expression for the tank and the pack; ``geometry.ad.maximum`` keeps it
differentiable (a kink at zero rise) and the under-cushion test reads real parts only.

Assumptions: a rigid store under a flat cushion, the H-point over the store (the tank's x
range ends at or before ``x_hr``; no seat-pan angle); the under-floor pack raises the floor
(and so the seat) as before and, under this rule, nothing more while ``d < H30 + 55 mm``.
Validity: the car styles (the truck has no rear row, no store under a seat).

Run::

    python benchmarks/rear_seat_storage_trial.py          # the nine designs, kei imports
    python benchmarks/rear_seat_storage_trial.py --d 100  # one d
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

from geometry import ad  # noqa: E402
from geometry import profiles as pr  # noqa: E402
from geometry.ad import maximum  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DESIGNS = ROOT / "studies" / "designs"
#: the d values the brief asks the unshipped rule's numbers at (mm) [A: no source]
D_TRIAL = (80.0, 100.0, 120.0)


def default_rear_z(lay: pr.Layout):
    """Rear H-point height with nothing under the cushion: the front H-point's (mm)."""
    return lay.h_point[1]


def under_cushion(lay: pr.Layout) -> bool:
    """Whether the store of ``lay`` lies under the rear cushion: overlapping the footprint
    ``x_hr - REAR_CUSHION_AHEAD`` to the seat back along x, reaching under the hips
    (half-width > ``W20 - HIP_BREADTH_95M / 2``) across; a car with no rear row
    (``l50 <= 0``) has none."""
    r = ad.real
    if r(lay.p["l50"]) <= 0.0:
        return False
    x0, x1, yh, _, _ = lay.storage_box
    a = lay.rear_h_point_x - pr.REAR_CUSHION_AHEAD
    b = lay.cell_x[1]
    overlap_x = (r(x1) > r(a)) and (r(x0) < r(b))
    under_hips = r(yh) > r(lay.p["w20"] - 0.5 * pr.HIP_BREADTH_95M)
    return bool(overlap_x and under_hips)


def rear_rise(store_top, h_default, d):
    """The candidate rule's rise of the rear H-point (mm): ``max(0, top + d - H)``, one
    expression for a fuel tank and a battery pack."""
    return maximum(store_top + d - h_default, 0.0)


def rear_h_z(lay: pr.Layout, d: float):
    """Rear H-point height under the candidate rule (mm)."""
    z = default_rear_z(lay)
    if not under_cushion(lay):
        return z
    return z + rear_rise(lay.storage_box[4], z, d)


def rear_margin(lay: pr.Layout, z_hr) -> float:
    """Rear head-room margin (mm) with the rear H-point at height ``z_hr``: the closed
    form's H63-type construction (geometry.closed_form._headroom + 102 mm - the rear
    floor, geometry.profiles.REQUIRED_HEADROOM_REAR: 970 mm until task s39d, 941.3 mm
    since)."""
    from geometry.closed_form import _headroom

    head = _headroom(lay, lay.rear_h_point_x, z_hr) + pr.HEADROOM_ADD
    return float(head - pr.REQUIRED_HEADROOM_REAR)


def d_at_zero_margin(lay: pr.Layout, d_max: float = 400.0) -> float | None:
    """The d (mm) at which the candidate rule brings the rear head-room margin to zero
    (bisection; None if the store is not under the cushion or the margin stays positive
    up to ``d_max``)."""
    if not under_cushion(lay):
        return None

    def margin(d: float) -> float:
        return rear_margin(lay, float(rear_h_z(lay, d)))

    if margin(d_max) > 0.0:
        return None
    lo, hi = 0.0, d_max
    if margin(lo) <= 0.0:
        return 0.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if margin(mid) > 0.0 else (lo, mid)
    return 0.5 * (lo + hi)


def _designs():
    """(name, design) of studies/designs/*.toml, and the Sakura class with its pack
    ``under_rear_seat`` (the placement the rule changes for a BEV)."""
    from keidesign.design import load_design

    for path in sorted(DESIGNS.glob("*.toml")):
        d = load_design(path)
        yield path.stem, d
        if path.stem == "sakura_class":
            yield "sakura_class, pack under_rear_seat", d.replace(
                **{"body:battery_placement": "under_rear_seat"})


def _kei_imports():
    """(name, design or the exception) of every kei.csv row, imported with no model run
    (benchmarks/interior_volumes.py ``geometry_import``: geometry only)."""
    import interior_volumes as iv

    from keidesign.specs import sources

    for vr in sources.vehicle_rows("kei"):
        name = " ".join(str(vr.row[k]) for k in ("model", "code", "variant")).strip()
        try:
            yield name, iv.geometry_import(vr)
        except Exception as exc:  # noqa: BLE001 (reported in the table, not hidden)
            yield name, exc


def row(name: str, design, ds=D_TRIAL) -> str:
    """One markdown row: store, under the cushion, top, default rear H-point, the model's
    rear margin and the candidate's at each d."""
    from geometry.params import layout_from_design

    lay = layout_from_design(design, check=False)
    if float(lay.p["l50"]) <= 0.0:
        return (f"| {name} | {lay.storage_name} | no rear row | - | - | - |"
                + " - |" * (len(ds) + 1))
    z_h = float(default_rear_z(lay))
    top = float(lay.storage_box[4])
    model = rear_margin(lay, float(lay.rear_h_point[1]))
    under = under_cushion(lay)
    cells = []
    for d in ds:
        z = float(rear_h_z(lay, d))
        cells.append(f"{z - z_h:.0f} / {rear_margin(lay, z):+.0f}")
    kind = lay.storage_name + (f" ({lay.placement})" if lay.powertrain == "bev" else "")
    dz = d_at_zero_margin(lay)
    return (f"| {name} | {kind} | {'yes' if under else 'no'} | {top:.0f} | {z_h:.0f} "
            f"| {model:+.0f} | " + " | ".join(cells)
            + f" | {'-' if dz is None else f'{dz:.0f}'} |")


def table(ds=D_TRIAL, imports: bool = True) -> str:
    head = ("| design | store | under the rear cushion | store top z, mm | rear H-point z "
            "(nothing under), mm | rear head-room margin, model, mm | "
            + " | ".join(f"rise / margin at d = {d:.0f}, mm" for d in ds)
            + " | d at zero margin, mm |")
    lines = [head, "|" + " --- |" * (7 + len(ds))]
    for name, design in _designs():
        lines.append(row(name, design, ds))
    if imports:
        for name, design in _kei_imports():
            if isinstance(design, Exception):
                lines.append(f"| {name} (import) | import failed: {design} |")
                continue
            lines.append(row(f"{name} (import)", design, ds))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--d", type=float, action="append", help="d values, mm")
    ap.add_argument("--no-imports", action="store_true")
    a = ap.parse_args(argv)
    print(table(tuple(a.d) if a.d else D_TRIAL, not a.no_imports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
