"""The head-room requirement against published cars: task s38k's diagnosis (7 Dec 2026)
and task s39d's benchmark floor (the same day).

Prints:

0. task s39d's benchmark floor of each seat row (``FLOOR_PERCENTILE``: the 5th percentile,
   numpy linear interpolation, one value per published row; ``benchmark_floor``), n and
   families, and its leave-one-family-out check (``lofo``: each family's rows against the
   floor of the other families' rows), beside the coded constants
   ``geometry.profiles.REQUIRED_HEADROOM`` / ``REQUIRED_HEADROOM_REAR`` (965.0 / 941.3 mm
   since s39d; tests/test_headroom_floor.py holds them to this recomputation);
1. the former requirement (task s38k): the US 95th-percentile male's *erect*
   sitting height, 970 mm (seat surface to vertex, PHYSICS.md [R]; Pheasant's US adults
   19-65 as tabulated by personal.cityu.edu.hk/meachan/online anthropometry, ch. 2-8),
   compared with an SAE J1100 H61-type head room: the H-point to the headliner along a
   line 8 deg rear of vertical, + 102 mm (``geometry.profiles.HEADROOM_ADD``);
2. the published front (H61) and rear (H63) head rooms of
   ``keidesign/data/vehicles/published_packaging.csv`` (status R, URL and quote in each
   row): min / mean / max and how many fall below each candidate level;
3. the 131 US certified imports' closed-form H61 / H63 (the import of ``us_specs.csv``
   with task s38h's seat law H30 = 312 + 0.328 (H - 1,500) mm, H clamped to 1,394-1,669,
   L53 = 789 mm, on every row, as ``benchmarks/interior_packaging_fit.py``
   ``import_checks``): their distribution and how many fall below each level; and the
   level that at most 5 % (6 of 131) would fall below (a *number*, not a candidate: a
   requirement put there would be fitted to the cars it is judged on);
4. every reference design's (``studies/designs/*.toml``) front and rear head room and
   its margin against 970 mm (before s39d) and against the coded floors (after).

Levels printed (docs/geometry.md, tasks s38k and s39d):

* the coded floors (front 965.0, rear 941.3 mm since task s39d);
* 970 mm: the erect sitting height, coded until task s39d;
* 930 mm: 970 - 40 mm, the "sitting slump" correction ("For seating it is sometimes
  recommended that 40mm are subtracted from sitting dimensions", online anthropometry
  ch. 1-9; "up to 40mm reduction for 'sitting slump'", ch. 2-10) [R, secondary, a
  range's end, not a construction: the seat compression ("variable amount", ch. 2-8), the
  H-point's height above the compressed seat (what J1100's 102 mm stands for) and the
  torso recline against the 8 deg line are not given in any source read].

Validity: the layout closed form's H61 (``geometry.closed_form``); the published figures
are makers' or reviewers' numbers whose procedure (J1100 or ECIE) no source states. Run::

    PYTHONPATH=. OPENMDAO_REPORTS=0 python benchmarks/headroom_target.py   # ~1 minute

(the floor and its held-out check alone, no import: ``--floor``, about 1 s)
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from geometry import profiles as pr  # noqa: E402

CSV = ROOT / "keidesign/data/vehicles/published_packaging.csv"
#: candidate levels (mm): the coded erect sitting height and it minus the 40 mm slump
LEVELS = {"erect 970": 970.0, "erect - 40 slump": 930.0}
#: the head-room requirement before task s39d (mm), both seat rows
BEFORE = 970.0
#: task s38h's seat law wired into the import, (a, b, c): H30 = a + b (H - 1500), L53 = c
S38H = (312.0, 0.328, 789.0)


def published() -> dict[str, list[tuple[str, float]]]:
    """{'front': [(label, H61 mm)], 'rear': [(label, H63 mm)]} of the rows that give them."""
    out: dict[str, list[tuple[str, float]]] = {"front": [], "rear": []}
    with CSV.open(newline="") as fh:
        for row in csv.DictReader(fh):
            label = f"{row['make']} {row['model']} {row['generation']}"
            for key, col in (("front", "head_room_front_mm"), ("rear", "head_room_rear_mm")):
                if row[col]:
                    out[key].append((label, float(row[col])))
    return out


#: task s39d's benchmark floor: the 5th percentile (numpy linear interpolation) of the
#: published figures of a seat row (docs/geometry.md, "A head-room floor from the published
#: class")
FLOOR_PERCENTILE = 5.0


def family_rows() -> dict[str, list[tuple[str, float]]]:
    """{'front': [(family, H61 mm)], 'rear': [(family, H63 mm)]}, one entry per row of
    ``published_packaging.csv`` that gives the figure; family = make + model, lower case."""
    out: dict[str, list[tuple[str, float]]] = {"front": [], "rear": []}
    with CSV.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            fam = f"{row['make']} {row['model']}".lower()
            for key, col in (("front", "head_room_front_mm"), ("rear", "head_room_rear_mm")):
                if row[col]:
                    out[key].append((fam, float(row[col])))
    return out


def benchmark_floor(vals: Sequence[float]) -> float:
    """The class floor (mm): the :data:`FLOOR_PERCENTILE` th percentile of ``vals``."""
    return float(np.percentile(np.asarray(vals, dtype=float), FLOOR_PERCENTILE))


def lofo(rows: Sequence[tuple[str, float]]) -> dict:
    """Leave-one-family-out check of the floor: for each family the floor of the other
    families' rows, and how many of its own rows fall below it (value < floor).

    Returns ``{"n", "families", "floor", "below", "share", "held_out": [(family,
    floor without it, [its values], count below)]}``."""
    fams = sorted({f for f, _ in rows})
    held = []
    below = 0
    for fam in fams:
        own = [v for f, v in rows if f == fam]
        rest = [v for f, v in rows if f != fam]
        fl = benchmark_floor(rest)
        k = sum(v < fl for v in own)
        below += k
        held.append((fam, fl, own, k))
    return {"n": len(rows), "families": len(fams),
            "floor": benchmark_floor([v for _, v in rows]), "below": below,
            "share": below / len(rows) if rows else float("nan"), "held_out": held}


def stats(vals: list[float], floor: float | None = None) -> str:
    """min / mean / max and the count below each candidate level (and ``floor``)."""
    levels = list(LEVELS.values()) + ([floor] if floor is not None else [])
    below = ", ".join(f"{sum(v < lv for v in vals)} below {lv:.1f}" for lv in levels)
    return (f"n {len(vals)}: min {min(vals):.0f}, mean {np.mean(vals):.0f}, "
            f"max {max(vals):.0f} mm; {below}")


def imports() -> list[tuple[str, float, float | None]]:
    """(label, H61, H63 or None) of every US import the import accepts, closed form, with
    task s38h's seat law on every row (as interior_packaging_fit.import_checks)."""
    from interior_packaging_fit import imported_values

    from geometry.closed_form import closed_form
    from geometry.params import layout_from_mapping

    a, b, c = S38H
    out = []
    for vr, w in imported_values():
        h = min(max(float(w["body:height"]), 1394.0), 1669.0)
        w[f"body:{w['body:style']}:seat_height"] = a + b * (h - 1500.0)
        w["body:hpoint_to_heel"] = c
        lay = layout_from_mapping(w, check=False)
        cf = closed_form(lay.p, lay.style, lay.powertrain, lay.placement, lay.engine)
        rear = float(cf["body:headroom_rear"]) if float(w.get("body:couple_distance", 1)) > 0 \
            else None
        out.append((f"line {vr.line}", float(cf["body:headroom"]), rear))
    return out


def references() -> list[tuple[str, float, float, float, float]]:
    """(design, H61, H61 margin, H63, H63 margin) of every reference design."""
    from geometry.closed_form import closed_form
    from geometry.params import layout_from_design
    from keidesign.design import load_design

    out = []
    for path in sorted((ROOT / "studies/designs").glob("*.toml")):
        lay = layout_from_design(load_design(path), check=False)
        cf = closed_form(lay.p, lay.style, lay.powertrain, lay.placement, lay.engine)
        out.append((path.stem, float(cf["body:headroom"]), float(cf["body:headroom_margin"]),
                    float(cf["body:headroom_rear"]), float(cf["body:headroom_rear_margin"])))
    return out


def floor_report() -> None:
    """Task s39d: each seat row's benchmark floor, its held-out check and the constant."""
    coded = {"front": pr.REQUIRED_HEADROOM, "rear": pr.REQUIRED_HEADROOM_REAR}
    for key, rows in family_rows().items():
        r = lofo(rows)
        print(f"{key}: n {r['n']} rows of {r['families']} families; floor (P"
              f"{FLOOR_PERCENTILE:.0f}) {r['floor']:.2f} mm (coded {coded[key]:.1f}); held out "
              f"below: {r['below']} of {r['n']} ({100 * r['share']:.1f} %)")
        for fam, fl, own, k in r["held_out"]:
            vals = ", ".join(f"{v:.0f}" for v in own)
            print(f"  {fam:22s} floor without it {fl:7.2f}  its rows {vals}"
                  f"{'  BELOW' * (k > 0)}")


def main() -> None:
    print("task s39d benchmark floors (H61 / H63 type: H-point to headliner along "
          f"{pr.HEADROOM_LINE_DEG:.0f} deg rear of vertical + {pr.HEADROOM_ADD:.0f} mm)")
    floor_report()
    if "--floor" in sys.argv[1:]:
        return
    coded = {"front": pr.REQUIRED_HEADROOM, "rear": pr.REQUIRED_HEADROOM_REAR}
    pub = published()
    for key in ("front", "rear"):
        print(f"\npublished {key} head room, {stats([v for _, v in pub[key]], coded[key])}")
        for label, v in sorted(pub[key], key=lambda r: r[1]):
            print(f"  {v:6.0f} mm  {'below' if v < coded[key] else 'meets'}  {label}")
    imp = imports()
    front = [f for _, f, _ in imp]
    rear = [r for _, _, r in imp if r is not None]
    print(f"\nUS imports (s38h seat law) front H61 {stats(front, coded['front'])}")
    print(f"US imports rear H63 {stats(rear, coded['rear'])}")
    k = max(int(0.05 * len(front)), 0)
    print(f"  the level with at most {k} of {len(front)} imports below it: "
          f"{sorted(front)[k]:.0f} mm (a number of the sample, not a requirement)")
    for q in (5, 10, 25, 50):
        print(f"  front H61 {q:2d}th percentile {np.percentile(front, q):.0f} mm")
    print(f"\nreference designs (closed form): H61, margin before ({BEFORE:.0f}) -> after "
          f"({coded['front']:.1f}); H63, margin before -> after ({coded['rear']:.1f})")
    for name, h61, m61, h63, m63 in references():
        print(f"  {name:24s} {h61:7.1f} {h61 - BEFORE:+7.1f} -> {m61:+7.1f}   "
              f"{h63:7.1f} {h63 - BEFORE:+7.1f} -> {m63:+7.1f}")


if __name__ == "__main__":
    main()
