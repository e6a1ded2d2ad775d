"""Trial (task s37c, 7 Dec 2026): the front seat height H30 and the H-point-to-heel L53 of
the imported cars fitted on their published front head room and leg room (DIMENSIONS, not
volumes), judged leave-one-family-out, then on the S1 passenger volumes.

Why: the s36h trial (``benchmarks/interior_seat_height.py``, docs/classification.md "Seat
height by body height: tried, not shipped") fitted H30 on the EPA passenger volumes and its
intercept absorbed a constant +10 ft^3 (H30 334-538 mm: its physical range failed). Its
next step: fit H30 and L53 on the published J1100 dimensions one by one, then check S1.

Data: ``keidesign/data/vehicles/published_packaging.csv`` (head room H61/H63, leg room
L34/L51, shoulder room; each row with its URL and quote, status R), the rows matching an
import of ``us_specs.csv`` (make, model, generation). A car enters the H61 residuals when
its front head room is given, the L34 residuals when its front leg room is given.

Model (closed form of the import, :func:`keidesign.classification.interior.interior`):
H61 = roof-to-H-point distance + 102 mm, L34 = ankle-to-H-point distance + 254 mm of the
imported layout, with the import's H30 and L53 replaced by

* ``H30 = a + b (H_body - 1500 mm)`` (mm; ``H_body`` the published body height): a taller
  car seats its occupants higher above the heel point;
* ``L53 = c`` (mm, one constant: the H-point-to-heel horizontal distance; the registry's
  850 mm for every car);

every other key the import's (nothing per car). Units mm; valid for the hatch / tallboy
cars of the import (1,390-1,670 mm high); assumptions: the published figures are J1100 (or
an equivalent) with the seat in its design position [A: most sources do not state it].

Fit: ``a, b, c`` by least squares on the H61 and L34 errors (model minus published, mm,
each residual weighted one). Judged leave-one-family-out (family = make + model): each
family's H61 and L34 predicted by the law refitted on the other families.

Ship rule (written 7 Dec 2026 before the first run of the fit; task s37c):

* data: at least five families with a published front head room (else no fit is judged);
* R1: the held-out MAE of the front head room H61 AND that of the front leg room L34 (mm)
  both lower than the registry constants' (H30 270 mm, L53 850 mm) on the same cars;
* R2 (physics): the all-data fit's ``b >= 0`` and its H30 over the heights of the cars
  (those of S1 and of the packaging rows) within 200-450 mm [A, as s36h];
* R3: S1 (the s35d passenger-volume check, ``benchmarks/interior_volumes.py``: 64
  generations, 55 families) with the all-data law's H30 and L53 not worse than the
  registry's 11.7 % MAE of the published mean;
* only if the data rule and R1-R3 all hold, and the change is small and tested, the law
  goes into the import's seat height and L53 (``keidesign/specs/build.py``); else nothing
  ships and the numbers go to docs/classification.md under "tried, not shipped".

Result (first run, 7 Dec 2026; 10 generations, front head room of 6 families, front leg
room of 7): all-data fit a = 303 mm, b = 0.404, c = 785 mm (H30 260-371 mm over the cars'
1,394-1,669 mm; folds a 296-314, b -0.006-0.655, c 778-790). R1 met: held-out front head
room MAE 51 mm (registry 53, mean error +5 against +53), front leg room 19 mm (registry 57,
-1 against +57); R2 met; R3 met: S1 6.3 % (mean +4.3 ft^3) against 11.7 % (+10.0). So the
law is the candidate, but NOT wired into the import: post-hoc (``import_checks``), with it
84 of the 131 US imports fall below the packaging check's 95th-male leg room (1,066 mm;
registry 0) and 32 below its head room (970 mm; registry 17) -- real cars flagged, so the
change is not small (the checks' requirements must be revisited first). Not shipped
(docs/classification.md, "Seat height and L53 from published packaging").

Wired 7 Dec 2026 (task s38b, after ``pack.legroom`` became a floor: the J826 95th leg at
110 deg, 1,003.5 mm): the all-data law is the import's seat (``keidesign.specs.build
.import_seat``) for non-kei hatch/sedan rows; held out L34 / H61 MAE unchanged (19 / 51
mm), 0 of the 131 US imports below the floor, S1 11.7 -> 6.3 % (the registry's figure
now from H30 270 / L53 850 set explicitly, :func:`s1_volumes`); docs/geometry.md, "The
leg-room floor and the published-packaging seat law".

Low cars (task s38l, 7 Dec 2026): rows of imports below the fitted range (body under
1,394 mm; the Alfa Romeo 4C's published 965 mm front head room) are kept out of the fit
(:func:`cars`, ``low=True`` for them) until 3 low families have published figures;
:func:`low_cars_report` prints the import's and the extrapolated law's H61 / L34 against
them (the 4C: 735 / 804 mm; H30 47 mm would be needed: the clamp is not the whole gap;
docs/geometry.md, "The seat law below 1,394 mm").

Run: ``PYTHONPATH=. OPENMDAO_REPORTS=0 python benchmarks/interior_packaging_fit.py``
(about 2 minutes).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

H_REF = 1500.0                    # mm, the law's reference body height
H30_RANGE = (200.0, 450.0)        # mm, R2's plausible seat heights [A]
REGISTRY = (270.0, 0.0, 850.0)    # the import's constants as (a, b, c): H30 270, L53 850
#: the law wired into the import by task s38b (s37c's all-data fit), as (a, b, c): task
#: s38h's baseline (the import takes the s38h refit since)
WIRED = (303.0, 0.404, 785.0)
#: the generations of s37c's fit (published_packaging.csv rows of tasks s36h / s37c that match
#: an import), lower-case (make, model, generation): task s38h's "old rows"
S37C_KEYS = frozenset({
    ("kia", "soul", "am (1st gen)"), ("chevrolet", "spark", "m300 (2nd gen)"),
    ("mazda", "mazda2", "de (2nd gen, us)"), ("kia", "rio", "ub (3rd gen) sedan"),
    ("ford", "fiesta", "6th gen (us) sedan"), ("smart", "fortwo", "w451"),
    ("mini", "cooper hardtop", "f56 cooper"), ("nissan", "nissan versa s", "n17 sedan"),
    ("bmw", "i3 bev", "i01 (60 ah)"),
    ("nissan", "nissan versa note s", "e12 versa note"),
})


def seat_height(h_body: float | np.ndarray, a: float, b: float) -> float | np.ndarray:
    """The law ``H30 = a + b (H_body - 1500)`` (mm)."""
    return a + b * (np.asarray(h_body, dtype=float) - H_REF)


@dataclass
class Car:
    """One imported generation with published packaging (mm; NaN where not given)."""

    family: str
    label: str
    h_body: float
    values: dict
    pub: dict
    key: tuple = ()


def _num(text: str) -> float:
    return float(text) if str(text).strip() else float("nan")


def published_rows() -> dict[tuple[str, str, str], dict]:
    """``published_packaging.csv`` keyed by lower-case (make, model, generation)."""
    ref = resources.files("keidesign").joinpath("data", "vehicles", "published_packaging.csv")
    with ref.open("r", encoding="utf-8") as fh:
        return {(r["make"].lower(), r["model"].lower(), r["generation"].lower()): r
                for r in csv.DictReader(fh)}


def matched_imports():
    """Yield ``(key, design, registry, published row)`` for each generation of
    us_specs.csv with a published_packaging.csv row (``key`` the lower-case make, model,
    generation; ``design, registry`` as ``interior_volumes.imported_interior`` gives)."""
    import interior_volumes as iv

    from keidesign.specs import sources

    pub = published_rows()
    for vr in sources.vehicle_rows("us_specs"):
        key = (vr.row["make"].lower(), vr.row["model"].lower(),
               vr.row["generation"].lower())
        if key in pub:
            design, reg = iv.imported_interior(vr.line)
            yield key, design, reg, pub[key]


def in_fitted_range(h_body: float) -> bool:
    """Whether a body height (mm) is inside the seat law's fitted range (the import's
    clamp, ``keidesign.specs.build.IMPORT_SEAT_HEIGHTS_MM``, 1,394-1,669 mm)."""
    from keidesign.specs import build

    lo, hi = build.IMPORT_SEAT_HEIGHTS_MM
    return lo <= float(h_body) <= hi


def cars(low: bool = False) -> list[Car]:
    """The imports of us_specs.csv with a published_packaging.csv row whose body height is
    inside the law's fitted range (the fit's cars); ``low=True``: those outside it instead
    (task s38l: the low sports cars, a diagnostic kept out of the fit while fewer than 3
    low families have published figures; docs/geometry.md, "The seat law below
    1,394 mm")."""
    out = []
    for key, design, _, p in matched_imports():
        dims = {k: _num(p[c]) for k, c in (("H61", "head_room_front_mm"),
                                           ("H63", "head_room_rear_mm"),
                                           ("L34", "leg_room_front_mm"),
                                           ("L51", "leg_room_rear_mm"))}
        h = float(design.values["body:height"])
        if in_fitted_range(h) == low:
            continue
        out.append(Car(f"{key[0]} {key[1]}", " ".join(key), h, dict(design.values), dims,
                       key))
    return out


def low_cars_report(cs: Sequence[Car] | None = None) -> list[dict]:
    """Task s38l's diagnostic: each low car (body below the fitted range) with its
    published front head room / leg room against the import's (the wired law at the
    clamped height) and the wired law extrapolated to the car's own height (mm), and the
    H30 that would reproduce the published H61 (H61 falls 1:1 with H30 at fixed roof)."""
    from keidesign.specs import build

    cs = cars(low=True) if cs is None else cs
    a, b, c = build.IMPORT_H30_MM, build.IMPORT_H30_SLOPE, build.IMPORT_L53_MM
    out = []
    for k in cs:
        lo = min(max(k.h_body, build.IMPORT_SEAT_HEIGHTS_MM[0]),
                 build.IMPORT_SEAT_HEIGHTS_MM[1])
        h30_wired = float(seat_height(lo, a, b))
        h30_extra = float(seat_height(k.h_body, a, b))
        wired = dims_at(k.values, h30_wired, c)
        extra = dims_at(k.values, h30_extra, c)
        row = {"label": k.label, "family": k.family, "h_body": k.h_body,
               "h30_wired": h30_wired, "h30_extrapolated": h30_extra,
               "H61_pub": k.pub["H61"], "L34_pub": k.pub["L34"],
               "H61_wired": float(wired.H61), "H61_extrapolated": float(extra.H61),
               "L34_wired": float(wired.L34), "L34_extrapolated": float(extra.L34)}
        row["h30_for_pub"] = (h30_wired + row["H61_wired"] - row["H61_pub"]
                              if np.isfinite(row["H61_pub"]) else float("nan"))
        out.append(row)
        print(f"low car {k.label} (H {k.h_body:.0f} mm): published H61 {k.pub['H61']:.0f} "
              f"L34 {k.pub['L34']:.0f}; import (H30 {h30_wired:.0f} at the clamp) H61 "
              f"{row['H61_wired']:.0f} L34 {row['L34_wired']:.0f}; law extrapolated (H30 "
              f"{h30_extra:.0f}) H61 {row['H61_extrapolated']:.0f} L34 "
              f"{row['L34_extrapolated']:.0f}; H30 for the published H61 "
              f"{row['h30_for_pub']:.0f} mm")
    fams = {r["family"] for r in out if np.isfinite(r["H61_pub"]) or np.isfinite(r["L34_pub"])}
    print(f"low cars with published front figures: {len(fams)} families (task s38l's rule "
          f"refits below 1,394 mm only from 3)")
    return out


def dims_at(values: dict, h30: float, l53: float):
    """The interior of a design's values with H30 and L53 replaced (mm)."""
    from geometry.params import layout_from_mapping
    from keidesign.classification.interior import interior

    v = dict(values)
    v[f"body:{v['body:style']}:seat_height"] = float(h30)
    v["body:hpoint_to_heel"] = float(l53)
    return interior(layout_from_mapping(v, check=False))


def predict(cs: Sequence[Car], a: float, b: float, c: float) -> list:
    """Each car's interior at the law (a, b, c)."""
    return [dims_at(k.values, float(seat_height(k.h_body, a, b)), c) for k in cs]


def residuals(cs: Sequence[Car], x: Sequence[float]) -> np.ndarray:
    """Model minus published front head room and leg room (mm), given ones only."""
    out = []
    for k, it in zip(cs, predict(cs, *x), strict=True):
        if np.isfinite(k.pub["H61"]):
            out.append(it.H61 - k.pub["H61"])
        if np.isfinite(k.pub["L34"]):
            out.append(it.L34 - k.pub["L34"])
    return np.array(out)


def fit(cs: Sequence[Car]) -> tuple[float, float, float]:
    """``(a, b, c)`` minimising the squared H61 and L34 errors."""
    res = least_squares(lambda x: residuals(cs, x), x0=list(REGISTRY), diff_step=1e-3,
                        bounds=([100.0, -3.0, 500.0], [600.0, 3.0, 1200.0]))
    return tuple(float(v) for v in res.x)


def errors(cs: Sequence[Car], preds: Sequence) -> dict[str, list[float]]:
    """Model minus published per dimension over the cars that give it (mm)."""
    out: dict[str, list[float]] = {"H61": [], "L34": [], "H63": [], "L51": []}
    for k, it in zip(cs, preds, strict=True):
        for d in out:
            if np.isfinite(k.pub[d]):
                out[d].append(float(getattr(it, d)) - k.pub[d])
    return out


def lofo(cs: Sequence[Car]) -> tuple[list, dict[str, tuple[float, float, float]]]:
    """Held-out interiors: each family's from the law fitted on the other families."""
    preds: list = [None] * len(cs)
    fits = {}
    for fam in sorted({k.family for k in cs}):
        train = [k for k in cs if k.family != fam]
        x = fit(train)
        fits[fam] = x
        for i, k in enumerate(cs):
            if k.family == fam:
                preds[i] = predict([k], *x)[0]
    return preds, fits


def mae(v: Sequence[float]) -> float:
    return float(np.mean(np.abs(v))) if len(v) else float("nan")


def s1_volumes(x: Sequence[float]) -> dict:
    """S1 of the s35d check with the law ``x = (a, b, c)`` (and the registry's)."""
    import interior_volumes as iv

    rows = [r for r in iv.run(False)["rows"] if r["pv"] > 0]
    pub, base, law, hb = [], [], [], []
    for r in rows:
        design, _ = iv.imported_interior(r["line"])
        h = float(design.values["body:height"])
        hb.append(h)
        pub.append(r["pv"])
        # the registry's seat set explicitly: since task s38b the import carries the law
        base.append(dims_at(dict(design.values), REGISTRY[0], REGISTRY[2]).passenger)
        law.append(dims_at(dict(design.values), float(seat_height(h, x[0], x[1])),
                           x[2]).passenger)
    pub_a = np.array(pub)
    return {"n": len(rows), "families": len({r["family"] for r in rows}),
            "published_mean": float(pub_a.mean()), "h_body": np.array(hb),
            "registry_mae": mae(np.array(base) - pub_a),
            "registry_me": float(np.mean(np.array(base) - pub_a)),
            "law_mae": mae(np.array(law) - pub_a),
            "law_me": float(np.mean(np.array(law) - pub_a))}


def imported_values():
    """(row, design values) of every US import (``us_specs.csv``) the import accepts; the
    rows it refuses are not cars here. Also used by ``benchmarks/headroom_target.py``."""
    import interior_volumes as iv

    from keidesign.specs import sources

    for vr in sources.vehicle_rows("us_specs"):
        try:
            design, _ = iv.imported_interior(vr.line)
        except Exception:  # noqa: BLE001 - a row the import refuses is not a car here
            continue
        yield vr, dict(design.values)


def import_checks(x: Sequence[float], base: Sequence[float] = REGISTRY) -> dict:
    """Post-hoc (not in the rule): the US imports' closed-form head and leg room against
    the packaging checks' 95th-male requirements (``geometry/checks.py``
    ``packaging.headroom_95m`` / ``legroom_95m``) with the registry's H30 / L53 and with
    the law ``x`` (H_body clamped to the fitted 1,394-1,669 mm): how many real cars the
    law flags (wired into the import since task s38b)."""
    from geometry import profiles as pr
    from geometry.closed_form import closed_form
    from geometry.params import layout_from_mapping
    from keidesign.crash import roof

    counts = {"n": 0, "registry_head": 0, "registry_leg": 0, "law_head": 0, "law_leg": 0,
              "registry_roof_mm": 0.0, "law_roof_mm": 0.0, "registry_b_share": 0.0,
              "law_b_share": 0.0}
    for _vr, v in imported_values():
        h = min(max(float(v["body:height"]), 1394.0), 1669.0)
        counts["n"] += 1
        base_seat = (float(seat_height(h, base[0], base[1])), base[2])
        for lab, (h30, l53) in (("registry", base_seat),
                                ("law", (float(seat_height(h, x[0], x[1])), x[2]))):
            w = dict(v)
            w[f"body:{w['body:style']}:seat_height"] = h30
            w["body:hpoint_to_heel"] = l53
            lay = layout_from_mapping(w, check=False)
            cf = closed_form(lay.p, lay.style, lay.powertrain, lay.placement, lay.engine)
            counts[f"{lab}_head"] += int(float(cf["body:headroom"]) < pr.REQUIRED_HEADROOM)
            counts[f"{lab}_leg"] += int(float(cf["body:legroom"]) < pr.REQUIRED_LEGROOM)
            shares = roof.platen_pillar_shares(w)    # the roof model's B-pillar at L53
            counts[f"{lab}_roof_mm"] += float(shares["roof_length_mm"])
            counts[f"{lab}_b_share"] += float(shares["share_b"])
    for key in ("registry_roof_mm", "law_roof_mm", "registry_b_share", "law_b_share"):
        counts[key] /= max(counts["n"], 1)
    return counts


def s38h_refit(cs: Sequence[Car], x: Sequence[float], held: Sequence, s: dict,
               r2: bool) -> dict:
    """Task s38h's rule (s37c's, against the law now wired, :data:`WIRED`): R1 the
    held-out H61 and L34 MAE of the refit on the old (s37c) rows not worse than the
    wired law's own leave-one-family-out on those rows (51 / 19 mm), reported on the new
    rows beside the wired law's errors there (out of its sample); R2 (``r2``) as s37c's;
    R3 S1 not worse than the wired law's (6.3 %). Prints and returns the numbers."""
    old = [i for i, k in enumerate(cs) if k.key in S37C_KEYS]
    new = [i for i, k in enumerate(cs) if k.key not in S37C_KEYS]
    old_cs, new_cs = [cs[i] for i in old], [cs[i] for i in new]
    held_old_only, _ = lofo(old_cs)          # the wired law's basis, held out
    e_wired_old = errors(old_cs, held_old_only)
    e_refit_old = errors(old_cs, [held[i] for i in old])
    e_wired_new = errors(new_cs, predict(new_cs, *WIRED))
    e_refit_new = errors(new_cs, [held[i] for i in new])
    out = {}
    for d in ("H61", "L34"):
        out[d] = (mae(e_wired_old[d]), mae(e_refit_old[d]), mae(e_wired_new[d]),
                  mae(e_refit_new[d]))
        print(f"s38h {d}: old rows (n {len(e_wired_old[d])}) wired-law held out MAE "
              f"{out[d][0]:.0f} mm, refit held out {out[d][1]:.0f} mm; new rows (n "
              f"{len(e_wired_new[d])}) wired law {out[d][2]:.0f} mm (mean "
              f"{np.mean(e_wired_new[d]) if e_wired_new[d] else float('nan'):+.0f}), refit "
              f"held out {out[d][3]:.0f} mm (mean "
              f"{np.mean(e_refit_new[d]) if e_refit_new[d] else float('nan'):+.0f})")
    r1 = all(round(out[d][1]) <= round(out[d][0]) for d in ("H61", "L34"))
    w = s1_volumes(WIRED)
    pm = s["published_mean"]
    s1_wired, s1_refit = 100 * w["law_mae"] / pm, 100 * s["law_mae"] / pm
    r3 = round(s1_refit, 1) <= round(s1_wired, 1)
    print(f"s38h S1: wired law {s1_wired:.1f} %, refit {s1_refit:.1f} %")
    print(f"s38h rule: R1 {'met' if r1 else 'NOT met'}; R2 {'met' if r2 else 'NOT met'}; "
          f"R3 {'met' if r3 else 'NOT met'}; ship: "
          f"{'yes' if (r1 and r2 and r3) else 'no'}")
    k = import_checks(x, WIRED)
    print(f"s38h imports ({k['n']}) below the head room / leg room: wired law "
          f"{k['registry_head']} / {k['registry_leg']}, refit {k['law_head']} / "
          f"{k['law_leg']}")
    out.update(r1=r1, r2=r2, r3=r3, s1_wired=s1_wired, s1_refit=s1_refit, checks=k)
    return out


def main() -> int:
    cs = cars()
    head_fams = {k.family for k in cs if np.isfinite(k.pub["H61"])}
    leg_fams = {k.family for k in cs if np.isfinite(k.pub["L34"])}
    print(f"{len(cs)} generations with published packaging; front head room: "
          f"{len(head_fams)} families, front leg room: {len(leg_fams)} families")
    reg = predict(cs, *REGISTRY)
    x = fit(cs)
    held, fits = lofo(cs)
    for k, r, h in zip(cs, reg, held, strict=True):
        print(f"  {k.label} (H {k.h_body:.0f} mm): published H61 {k.pub['H61']:.0f} "
              f"L34 {k.pub['L34']:.0f} H63 {k.pub['H63']:.0f} L51 {k.pub['L51']:.0f}; "
              f"registry {r.H61:.0f} / {r.L34:.0f} / {r.H63:.0f} / {r.L51:.0f}; "
              f"held out {h.H61:.0f} / {h.L34:.0f} / {h.H63:.0f} / {h.L51:.0f}")
    e_reg, e_held = errors(cs, reg), errors(cs, held)
    for d in ("H61", "L34", "H63", "L51"):
        print(f"{d}: n {len(e_reg[d])}, registry MAE {mae(e_reg[d]):.0f} mm (mean "
              f"{np.mean(e_reg[d]) if e_reg[d] else float('nan'):+.0f}), law held out MAE "
              f"{mae(e_held[d]):.0f} mm (mean "
              f"{np.mean(e_held[d]) if e_held[d] else float('nan'):+.0f})"
              + ("" if d in ("H61", "L34") else " [diagnostic, not in the rule]"))
    data_ok = len(head_fams) >= 5
    r1 = (mae(e_held["H61"]) < mae(e_reg["H61"])) and (mae(e_held["L34"]) < mae(e_reg["L34"]))
    s = s1_volumes(x)
    heights = np.concatenate([s["h_body"], [k.h_body for k in cs]])
    h30 = seat_height(np.array([heights.min(), heights.max()]), x[0], x[1])
    r2 = x[1] >= 0.0 and H30_RANGE[0] <= h30.min() and h30.max() <= H30_RANGE[1]
    pm = s["published_mean"]
    r3 = s["law_mae"] <= s["registry_mae"]
    fa = [v[0] for v in fits.values()]
    fb = [v[1] for v in fits.values()]
    fc = [v[2] for v in fits.values()]
    print(f"all-data fit a = {x[0]:.0f} mm, b = {x[1]:.3f}, c (L53) = {x[2]:.0f} mm; H30 "
          f"{h30[0]:.0f}-{h30[1]:.0f} mm over H {heights.min():.0f}-{heights.max():.0f} mm; "
          f"LOFO folds a {min(fa):.0f}-{max(fa):.0f}, b {min(fb):.3f}-{max(fb):.3f}, "
          f"c {min(fc):.0f}-{max(fc):.0f}")
    print(f"S1 ({s['n']} generations, {s['families']} families, published mean {pm:.1f} "
          f"ft^3): registry MAE {s['registry_mae']:.1f} ({100 * s['registry_mae'] / pm:.1f} "
          f"%), mean {s['registry_me']:+.1f}; law MAE {s['law_mae']:.1f} "
          f"({100 * s['law_mae'] / pm:.1f} %), mean {s['law_me']:+.1f}")
    print(f"data (>= 5 families with H61) {'met' if data_ok else 'NOT met'}; R1 "
          f"{'met' if r1 else 'NOT met'}; R2 {'met' if r2 else 'NOT met'}; R3 "
          f"{'met' if r3 else 'NOT met'}; ship: "
          f"{'candidate' if (data_ok and r1 and r2 and r3) else 'no'}")
    from geometry import profiles as pr

    s38h_refit(cs, x, held, s, r2)
    low_cars_report()
    k = import_checks(x)
    print(f"post-hoc, the US imports ({k['n']}) under the packaging checks (95th male: "
          f"head room >= {pr.REQUIRED_HEADROOM:.0f} mm, leg room >= "
          f"{pr.REQUIRED_LEGROOM:.0f} mm): registry H30/L53 {k['registry_head']} below the "
          f"head room, {k['registry_leg']} below the leg room; the law {k['law_head']} / "
          f"{k['law_leg']}; the roof model's A-B roof length {k['registry_roof_mm']:.0f} -> "
          f"{k['law_roof_mm']:.0f} mm, B-pillar share {k['registry_b_share']:.3f} -> "
          f"{k['law_b_share']:.3f} (means)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
