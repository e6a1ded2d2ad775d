"""The front leg-room target against published cars (task s37g, 7 Dec 2026): a diagnosis.

Prints (nothing is fitted, nothing in the model changes):

1. the requirement as coded (``geometry.profiles.required_legroom``, packaging rule
   ``pack.legroom``): SAE J1100 L34-type leg room
   ``L34_req = sqrt(T^2 + S^2 - 2 T S cos(k)) + 254 mm``, with the SAE J826
   95th-percentile thigh ``T = 456 mm`` and lower leg ``S = 459 mm`` [R, geometry/profiles.py]
   and the knee angle ``k`` (125 deg as coded until task s38b [A]; since 7 Dec 2026 the
   floor's 110 deg, Gao et al. 2022); and the same at 110-145 deg;
2. for each published front leg room of ``keidesign/data/vehicles/published_packaging.csv``
   (status R, URL and quote in the row), the knee angle the J826 95th-percentile leg takes
   at that L34 (the law of cosines inverted:
   ``k = acos((T^2 + S^2 - (L34 - 254)^2) / (2 T S))``). SAE J1100 measures L34 from the
   ankle pivot to the rearmost H-point with the J826 95th-percentile leg segments, so a
   car's published L34 *is* the room that leg has at the rearmost seat; the knee angle is
   the posture it is given there;
3. the layout closed form's price of leg room (``geometry.closed_form.closed_form`` on
   ``geometry.closed_form.sample``): ``d body:legroom / d body.hpoint_to_heel`` (L53) and
   ``d body:cargo_length / d L53``. One mm of L34 costs ``1 / (dL34/dL53)`` mm of L53,
   which moves the rear seat back rearward 1:1, so at a fixed body length and a held
   luggage length it comes out of the front crush length (docs/studies.md, "Packaging pays
   for crush");
4. where SAE J1517 (Class A, 50:50 male:female US drivers) puts the 95th-percentile
   driver-selected seat position, and the L34 the model's geometry gives there:
   ``X95 = 913.7 + 0.672316 H30 - 0.0019553 H30^2`` (mm aft of the ball-of-foot
   reference point BOFRP), the pedal plane angle ``PPA = 78.96 - 0.15 z - 0.0173 z^2``
   (deg, ``z = H30`` in cm) and the BOFRP ``203 cos(PPA)`` mm ahead of the heel point, so
   ``L53_95 = X95 - 203 cos(PPA)``. Read (as data, not code) in the comments of
   github.com/Commuter-Cars/CodeMonkeys, Primary_18.m (commit 92a96555, "95th percentile
   selected seat postion Curve where X95 is the location in mm aft of the Ball of foot
   Reference point"): a secondary source, not checked against the SAE text [R, secondary];
   J1517 Class A covers H30 < 405 mm.

Validity: the planar J826 leg (thigh and lower leg as straight links, ankle 100 mm above
the heel point, geometry/profiles.py); the published figures are makers' or reviewers'
numbers whose procedure (J1100 or ECIE) no source states. Run::

    PYTHONPATH=. OPENMDAO_REPORTS=0 python benchmarks/legroom_target.py
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from geometry import closed_form as cf
from geometry import profiles as pr

CSV = Path(__file__).resolve().parents[1] / "keidesign/data/vehicles/published_packaging.csv"


def l34_at(knee_deg: float) -> float:
    """L34-type leg room (mm) of the J826 95th-percentile leg at a knee angle (deg)."""
    t, s, k = pr.THIGH_95, pr.LOWER_LEG_95, math.radians(knee_deg)
    return math.sqrt(t * t + s * s - 2 * t * s * math.cos(k)) + pr.LEGROOM_ADD


def knee_at(l34: float) -> float:
    """Knee angle (deg) of the J826 95th-percentile leg at an L34 (mm)."""
    t, s, r = pr.THIGH_95, pr.LOWER_LEG_95, l34 - pr.LEGROOM_ADD
    return math.degrees(math.acos((t * t + s * s - r * r) / (2 * t * s)))


def l53_j1517_95(h30: float) -> float:
    """SAE J1517 Class A 95th-percentile seat position (H-point aft of the heel point, mm)
    at a seat height H30 (mm); equations in the module docstring, item 4."""
    z = h30 / 10.0
    ppa = math.radians(78.96 - 0.15 * z - 0.0173 * z * z)
    x95 = 913.7 + 0.672316 * h30 - 0.0019553 * h30 * h30
    return x95 - 203.0 * math.cos(ppa)


def published() -> list[tuple[str, float]]:
    """(label, front leg room mm) of every row with one."""
    out = []
    with CSV.open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row["leg_room_front_mm"]:
                out.append((f"{row['make']} {row['model']} {row['generation']}",
                            float(row["leg_room_front_mm"])))
    return out


def main() -> None:
    print(f"requirement as coded: {pr.REQUIRED_LEGROOM:.1f} mm "
          f"(knee {pr.KNEE_ANGLE_DEG:.0f} deg)")
    for k in (110, 115, 120, 125, 130, 135, 140, 145):
        print(f"  knee {k:3d} deg: L34 {l34_at(k):7.1f} mm")
    rows = published()
    print(f"\npublished front leg room ({len(rows)} rows):")
    for label, v in sorted(rows, key=lambda r: r[1]):
        flag = "below" if v < pr.REQUIRED_LEGROOM else "meets"
        print(f"  {v:6.0f} mm  knee {knee_at(v):5.1f} deg  {flag}  {label}")
    vals = sorted(v for _, v in rows)
    mean = sum(vals) / len(vals)
    print(f"  mean {mean:.0f} mm (knee {knee_at(mean):.1f} deg), min {vals[0]:.0f}, "
          f"max {vals[-1]:.0f}; {sum(v < pr.REQUIRED_LEGROOM for v in vals)} of {len(vals)} "
          f"below {pr.REQUIRED_LEGROOM:.0f} mm")
    print("\nlayout closed form, d/d L53 (body.hpoint_to_heel) at the sample layouts:")
    for style in ("hatch", "truck"):
        p = dict(cf.sample(style))
        base = cf.closed_form(p, style)
        q = dict(p)
        q["l53"] = p["l53"] + 1.0
        d = cf.closed_form(q, style)
        dleg = d["body:legroom"] - base["body:legroom"]
        dcargo = d["body:cargo_length"] - base["body:cargo_length"]
        print(f"  {style}: L53 {p['l53']:.0f} H30 {p['h30']:.0f} mm, L34 "
              f"{base['body:legroom']:.1f} (margin {base['body:legroom_margin']:+.1f}); "
              f"dL34/dL53 {dleg:.4f}, dcargo/dL53 {dcargo:+.3f}: 1 mm of leg-room margin = "
              f"{1 / dleg:.3f} mm of cabin length")
    # the registry hatch (L53 850, H30 270) and s37c's fitted L53 785 mm, by the same geometry
    for l53 in (850.0, 785.0):
        leg = math.hypot(l53, 270.0 - pr.ANKLE_HEIGHT) + pr.LEGROOM_ADD
        print(f"  hatch L53 {l53:.0f} / H30 270 mm: L34 {leg:.1f}, margin at 125 deg "
              f"{leg - l34_at(125):+.1f}, at 115 deg {leg - l34_at(115):+.1f}, "
              f"at 110 deg {leg - l34_at(110):+.1f} mm")

    print("\nSAE J1517 Class A 95th-percentile driver-selected seat position (50:50 US):")
    for h30 in (250.0, 270.0, 303.0, 340.0, 371.0, 400.0):
        l53 = l53_j1517_95(h30)
        leg = math.hypot(l53, h30 - pr.ANKLE_HEIGHT) + pr.LEGROOM_ADD
        print(f"  H30 {h30:5.0f} mm: L53_95 {l53:6.1f} mm, L34 there {leg:7.1f} mm "
              f"(knee {knee_at(leg):5.1f} deg)")


if __name__ == "__main__":
    main()
