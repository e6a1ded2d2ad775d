"""The EPA cargo volume index and size class taken apart per term (task s38g, 7 Dec 2026).

benchmarks/interior_volumes.py (task s35d) checks keidesign.classification.interior on
the imported US generations with a fueleconomy.gov label row: S1 passenger volume (met
since task s38b, 6.3 %), S2 cargo volume index vs the published hatchback cargo volume
``hlv`` (70 %, rule <= 30 %) and S3 the size class ``VClass`` (2 of 73, rule >= 50 % /
>= 85 % within one). This probe prints where S2/S3's error comes from, term by term
(``--terms``): per row L210, L211, H198, W4 (mm) of the model's V11 = (L210 + L211)/2 x
W4 x H198 / 1,728 (40 CFR 600.315-08(g)(2), dimensions in inches), the H198 that the
published ``hlv`` implies at the model's lengths and width, the body kind the label and
the generation name give (sedan / coupe with a trunk, hatchback, the EPA's station
wagons) and, for the rows the model calls "large", the index split into passenger and
cargo against the published passenger + luggage/cargo volume.

Trials (defined before the first run, 7 Dec 2026):

* T0: the shipped trial model unchanged (s35d + the s38b seat law).
* T1 trunk: a generation whose us_specs.csv generation or model name says sedan, coupe
  ("sedan", "coupe", "koup", "G4") has a trunk: its cargo term is the luggage capacity
  V1 (600.315-08(f), the SAE J1100 standard luggage set fitted in the trunk) instead of
  V11, modelled as V1 = k x B, B the trunk box behind the rear seat back: length the
  mean of the profile's rear limit (less REAR_WALL) at the load floor and at the belt
  line, height the belt line (the deck lid's hinge line [A]) minus the load floor, width
  (W4 + W201)/2; k the luggage set's packing fraction, one constant fitted by least
  squares on the published luggage volume ``lv4`` of the sedan rows, leave-one-family-out
  (each family's rows predicted with the k of the other families; >= 5 families). The
  luggage set is measured, not computed, so the packing fraction is the physics' one
  unknown (cars.com "Cargo Specs: Be Careful What You Compare", 2017: sedan trunks by
  the SAE luggage blocks, open areas by length x width x height).
* T2 = T1 and the hatchback's rear seat back by its geometry: the seat back's rear face
  at its top ``SEATBACK_TOP x sin(back angle) + thickness`` behind the rear H-point
  (back angle 25 deg, thickness 100 mm [A]) instead of the cell end (250 mm behind), the
  rear face at the load floor the cell end; the parcel shelf not modelled.

Ship rule (the s35d rule, unchanged, written here before the first trial run): on the
same rows as benchmarks/interior_volumes.py, S1 passenger volume MAE <= 10 % of the
published mean (mean error within 10 %, >= 5 families), S2 cargo volume index vs ``hlv``
MAE <= 30 % of the published mean (>= 5 families), S3 the published class for >= 50 %
and within one class for >= 85 % of the 73 graded rows. If a trial meets all three, its
change is wired into keidesign.classification.interior and ``classify`` / ``evaluate``
print the size class ("derived, not EPA-certified"); else nothing ships and the numbers
go to docs/classification.md under "tried, not shipped".

Run: ``PYTHONPATH=. OPENMDAO_REPORTS=0 python benchmarks/interior_cargo_terms.py
[--terms]``.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import interior_volumes as iv  # noqa: E402

from geometry.params import layout_from_design  # noqa: E402
from keidesign.classification import interior as ci  # noqa: E402

SEDAN_WORDS = ("sedan", "coupe", "koup", " g4")
BACK_ANGLE_DEG = 25.0      # [A] rear seat-back angle from vertical (T2)
BACK_THICKNESS = 100.0     # [A] rear seat-back thickness (T2)

CARS = [n for n, _ in ci.EPA_CAR_CLASSES]
WAGONS = [n for n, _ in ci.EPA_WAGON_CLASSES]


def is_sedan(family: str, generation: str) -> bool:
    text = f" {family} {generation}".lower()
    return any(w in text for w in SEDAN_WORDS)


def _in(mm: float) -> float:
    return mm / ci.MM_PER_IN


def terms(lay, seat_geometry: bool = False) -> dict[str, float]:
    """The model's cargo dimensions (mm) and boxes (ft^3) of layout ``lay``."""
    roof = float(lay.p["roof_thickness"])
    xhr, zhr = lay.rear_h_point
    back = float(lay.cell_x[1])
    z_sb = min(zhr + ci.SEATBACK_TOP, float(lay.z_top(back)) - roof)
    z_lf = float(lay.z_cargo_floor) + ci.LOAD_FLOOR_RISE
    belt = float(lay.belt)
    back_top = back
    if seat_geometry:
        back_top = xhr + ci.SEATBACK_TOP * math.sin(math.radians(BACK_ANGLE_DEG)) \
            + BACK_THICKNESS

    def behind(z: float, x0: float) -> float:
        return max(float(lay.x_rear(z)) - ci.REAR_WALL - x0, 0.0)

    w4 = float(lay.W) - 2.0 * ci.SIDE_WALL
    w201 = 2.0 * float(lay.y_in)
    d = {"L210": behind(z_sb, back_top), "L211": behind(z_lf, back),
         "H198": max(z_sb - z_lf, 0.0), "W4": w4, "W201": w201,
         "Lt": 0.5 * (behind(z_lf, back) + behind(belt, back)),
         "Ht": max(belt - z_lf, 0.0)}
    d["V11"] = ci._ft3(0.5 * (d["L210"] + d["L211"]), w4, d["H198"])
    d["B"] = ci._ft3(d["Lt"], 0.5 * (w4 + w201), d["Ht"])
    return d


def gather() -> list[dict]:
    vols = iv.published_volumes()
    rows = []
    for line, g in sorted(iv.generations().items()):
        pub = [vols[i] for i in g["ids"] if i in vols]
        pv = [float(r["hpv"]) if float(r["hpv"] or 0) > 0 else float(r["pv4"] or 0)
              for r in pub]
        pv = [v for v in pv if v > 0]
        hlv = [float(r["hlv"]) for r in pub if float(r["hlv"] or 0) > 0]
        lv4 = [float(r["lv4"]) for r in pub if float(r["lv4"] or 0) > 0]
        vclass = Counter(r["VClass"] for r in pub).most_common(1)[0][0] if pub else ""
        design, it = iv.imported_interior(line)
        lay = layout_from_design(design, check=False)
        fam = f"{g['row']['make']} {g['row']['model']}"
        gen = g["row"]["generation"]
        rows.append({"line": line, "family": fam, "generation": gen,
                     "style": str(design.values["body:style"]),
                     "pv": iv._median(pv), "hlv": iv._median(hlv), "lv4": iv._median(lv4),
                     "vclass": iv.VCLASS.get(vclass, vclass), "it": it,
                     "sedan": is_sedan(fam, gen),
                     "t": terms(lay) if it.rear_row else None,
                     "t2": terms(lay, True) if it.rear_row else None})
    return rows


def coarse_family(family: str) -> str:
    """Make + the model's first word ("HONDA CIVIC HF" -> "HONDA CIVIC"): the
    leave-one-family-out folds of T1's k (stricter than the benchmark's family)."""
    w = family.upper().replace("NISSAN NISSAN", "NISSAN").split()
    return " ".join(w[:2])


def fit_k(rows: list[dict]) -> float:
    """Least-squares packing fraction of lv4 = k B over ``rows`` (sedans with lv4)."""
    num = sum(r["lv4"] * r["t"]["B"] for r in rows)
    den = sum(r["t"]["B"] ** 2 for r in rows)
    return num / den


def trunk(r: dict, trial: str) -> bool:
    """A trunk (V1) for the row: by its name (T1, T2), or, diagnostic D4 (not a trial:
    the import cannot know it), where the label publishes a luggage volume only."""
    if trial == "D4":
        return r["lv4"] > 0 and r["hlv"] == 0
    return r["sedan"]


def cargo(rows: list[dict], trial: str) -> dict[int, float]:
    """Cargo term per row (line -> ft^3) of a trial; T1/T2's k leave-one-family-out."""
    out = {}
    train = [r for r in rows if trunk(r, trial) and r["lv4"] > 0 and r["t"] is not None]
    for r in rows:
        it = r["it"]
        if trial == "T0" or r["t"] is None:
            out[r["line"]] = it.cargo_index
            continue
        if trunk(r, trial):
            k = fit_k([s for s in train
                       if coarse_family(s["family"]) != coarse_family(r["family"])])
            out[r["line"]] = k * r["t"]["B"]
        elif trial in ("T2", "D4"):
            out[r["line"]] = r["t2"]["V11"]
        else:
            out[r["line"]] = it.cargo_index
    return out


def score(rows: list[dict], trial: str, show: bool = False) -> dict:
    cg = cargo(rows, trial)
    pas = [r for r in rows if r["pv"] > 0]
    err = [r["it"].passenger - r["pv"] for r in pas]
    mean_pub = statistics.fmean(r["pv"] for r in pas)
    s1 = 100 * statistics.fmean(abs(e) for e in err) / mean_pub
    hat = [r for r in rows if r["hlv"] > 0]
    ce = [cg[r["line"]] - r["hlv"] for r in hat]
    hmean = statistics.fmean(r["hlv"] for r in hat)
    s2 = 100 * statistics.fmean(abs(e) for e in ce) / hmean
    graded = [r for r in rows if r["vclass"] in set(CARS) | set(WAGONS)]
    same = near = 0
    model = Counter()
    for r in graded:
        idx = r["it"].passenger + cg[r["line"]]
        c = ci.epa_size_class(idx, r["style"] == "tallboy", r["it"].rear_row)
        model[c] += 1
        same += c == r["vclass"]
        near += iv.class_distance(c, r["vclass"]) <= 1
    sed = [r for r in rows if trunk(r, trial) and r["lv4"] > 0 and r["t"] is not None]
    lv_mae = statistics.fmean(abs(cg[r["line"]] - r["lv4"]) for r in sed) if sed else 0.0
    lv_mean = statistics.fmean(r["lv4"] for r in sed) if sed else 0.0
    res = {"S1": s1, "S2": s2, "S2_mean_error": statistics.fmean(ce), "same": same,
           "near": near, "n": len(graded), "model": dict(model),
           "sedan_lv4_mae": lv_mae, "sedan_lv4_mean": lv_mean, "sedan_n": len(sed),
           "sedan_families": len({coarse_family(r["family"]) for r in sed})}
    res["met"] = (s1 <= 10 and s2 <= 30 and same >= 0.5 * len(graded)
                  and near >= 0.85 * len(graded))
    h13 = [r for r in hat if r["t"] is not None and not r["sedan"]]
    h13_mae = statistics.fmean(abs(cg[r["line"]] - r["hlv"]) for r in h13)
    h13_mean = statistics.fmean(r["hlv"] for r in h13)
    res["S2_hatch"] = 100 * h13_mae / h13_mean
    print(f"{trial}: S2 on the {len(h13)} hatchbacks with a rear row and no sedan name: MAE "
          f"{h13_mae:.1f} on {h13_mean:.1f} ft^3 ({res['S2_hatch']:.0f} %)")
    print(f"{trial}: S1 {s1:.1f} %  S2 {s2:.1f} % (mean error {res['S2_mean_error']:+.1f} "
          f"on {hmean:.1f}, {len(hat)} rows)  S3 {same} of {len(graded)} same, {near} "
          f"within one; model classes {dict(model)}; sedan V1 vs lv4 MAE {lv_mae:.1f} on "
          f"{lv_mean:.1f} ft^3 ({len(sed)} rows, {res['sedan_families']} families): "
          f"{'MET' if res['met'] else 'not met'}")
    return res


def print_terms(rows: list[dict]) -> None:
    print(f"{'family':26s} {'gen':20s} {'kind':6s} {'pv':>5s} {'pass':>5s} {'hlv':>5s} "
          f"{'lv4':>5s} {'V11':>5s} {'L210':>5s} {'L211':>5s} {'H198':>5s} {'W4':>5s} "
          f"{'H198*':>5s} {'B':>5s} {'index':>6s} {'pub idx':>7s} published / model")
    for r in rows:
        t = r["t"]
        it = r["it"]
        kind = "sedan" if r["sedan"] else ("wagon" if "wagon" in r["vclass"] else "hatch")
        pub_cargo = r["hlv"] if r["hlv"] > 0 and not r["sedan"] else (r["lv4"] or r["hlv"])
        pub_idx = r["pv"] + pub_cargo if r["pv"] > 0 else 0.0
        c = ci.epa_size_class(it.index, r["style"] == "tallboy", it.rear_row)
        if t is None:
            print(f"{r['family'][:26]:26s} {r['generation'][:20]:20s} {kind:6s} no rear row")
            continue
        lavg = 0.5 * (t["L210"] + t["L211"])
        h_star = (r["hlv"] * 1728 / (_in(lavg) * _in(t["W4"])) * 25.4) if r["hlv"] > 0 else 0
        print(f"{r['family'][:26]:26s} {r['generation'][:20]:20s} {kind:6s} {r['pv']:5.1f} "
              f"{it.passenger:5.1f} {r['hlv']:5.1f} {r['lv4']:5.1f} {t['V11']:5.1f} "
              f"{t['L210']:5.0f} {t['L211']:5.0f} {t['H198']:5.0f} {t['W4']:5.0f} "
              f"{h_star:5.0f} {t['B']:5.1f} {it.index:6.1f} {pub_idx:7.1f} "
              f"{r['vclass']} / {c}")


def summarise(rows: list[dict]) -> None:
    """Per kind: mean model V11, published cargo; the 'large' rows' split."""
    by = defaultdict(list)
    for r in rows:
        if r["t"] is None:
            continue
        kind = "sedan" if r["sedan"] else ("wagon" if "wagon" in r["vclass"] else "hatch")
        by[kind].append(r)
    for kind, rs in sorted(by.items()):
        pubc = [r["lv4"] if kind == "sedan" and r["lv4"] > 0 else r["hlv"] for r in rs]
        pubc = [v for v in pubc if v > 0]
        v11 = statistics.fmean(r['t']['V11'] for r in rs)
        print(f"{kind}: {len(rs)} rows, model V11 mean {v11:.1f}"
              f" ft^3 (published cargo mean {statistics.fmean(pubc) if pubc else 0:.1f} on "
              f"{len(pubc)}), L210 {statistics.fmean(r['t']['L210'] for r in rs):.0f} "
              f"L211 {statistics.fmean(r['t']['L211'] for r in rs):.0f} "
              f"H198 {statistics.fmean(r['t']['H198'] for r in rs):.0f} "
              f"W4 {statistics.fmean(r['t']['W4'] for r in rs):.0f} mm; passenger error "
              f"{statistics.fmean(r['it'].passenger - r['pv'] for r in rs if r['pv'] > 0):+.1f}")
    large = [r for r in rows if r["t"] is not None
             and ci.epa_size_class(r["it"].index, False) == "large"]
    print(f"'large' rows: {len(large)}, of them sedans {sum(r['sedan'] for r in large)}; "
          f"mean passenger {statistics.fmean(r['it'].passenger for r in large):.1f}, "
          f"mean cargo {statistics.fmean(r['it'].cargo_index for r in large):.1f} ft^3")


def ceilings(rows: list[dict]) -> None:
    """Diagnostics (not trials): S3 with the published cargo volume (hlv, else lv4) and
    the model's passenger volume (D1); with the published passenger and cargo volumes
    and the model's car / station-wagon choice (D2); and the wagon classes where the EPA
    gives one (D3). They bound what a cargo model alone can do for S3."""
    graded = [r for r in rows if r["vclass"] in set(CARS) | set(WAGONS)
              and r["pv"] > 0 and (r["hlv"] > 0 or r["lv4"] > 0)]
    for name, pas, wagon in (("D1", "model", "model"), ("D2", "pub", "model"),
                             ("D3", "pub", "pub")):
        same = near = 0
        for r in graded:
            pc = r["lv4"] if (r["sedan"] or r["hlv"] == 0) and r["lv4"] > 0 else r["hlv"]
            pv = r["it"].passenger if pas == "model" else r["pv"]
            sw = (r["style"] == "tallboy") if wagon == "model" else ("wagon" in r["vclass"])
            c = ci.epa_size_class(pv + pc, sw, r["it"].rear_row)
            same += c == r["vclass"]
            near += iv.class_distance(c, r["vclass"]) <= 1
        print(f"{name} ({pas} passenger, published cargo, {wagon} wagon choice): {same} of "
              f"{len(graded)} same, {near} within one")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--terms", action="store_true", help="print every row's terms")
    a = ap.parse_args(argv)
    rows = gather()
    if a.terms:
        print_terms(rows)
    summarise(rows)
    train = [r for r in rows if r["sedan"] and r["lv4"] > 0 and r["t"] is not None]
    if train:
        print(f"T1 packing fraction k (all {len(train)} sedan rows, "
              f"{len({coarse_family(r['family']) for r in train})} families by make + "
              f"model): {fit_k(train):.3f}")
    for trial in ("T0", "T1", "T2", "D4"):
        score(rows, trial)
    ceilings(rows)
    hat = [r for r in rows if r["hlv"] > 0 and r["t"] is not None and not r["sedan"]]
    ratio = sorted(r["hlv"] / r["t"]["V11"] for r in hat)
    print(f"hatchback rows with hlv (no sedan name): {len(hat)}, published / model V11 "
          f"median {statistics.median(ratio):.2f} (range {ratio[0]:.2f}-{ratio[-1]:.2f})")
    hstar = sorted(r["hlv"] * 1728 / (_in(0.5 * (r["t"]["L210"] + r["t"]["L211"]))
                                      * _in(r["t"]["W4"])) * ci.MM_PER_IN for r in hat)
    print(f"  H198 the published hlv implies at the model's L210, L211, W4: median "
          f"{statistics.median(hstar):.0f} mm (range {hstar[0]:.0f}-{hstar[-1]:.0f}); the "
          f"model's H198 median {statistics.median(r['t']['H198'] for r in hat):.0f} mm; "
          f"the model's L210 / L211 medians "
          f"{statistics.median(r['t']['L210'] for r in hat):.0f} / "
          f"{statistics.median(r['t']['L211'] for r in hat):.0f} mm, T2's L210 "
          f"{statistics.median(r['t2']['L210'] for r in hat):.0f} mm")
    s2 = [r for r in rows if r["hlv"] > 0]
    for r in s2:
        print(f"  S2 row {r['family'][:26]:26s} {r['generation'][:20]:20s} hlv "
              f"{r['hlv']:5.1f} model {r['it'].cargo_index:5.1f} "
              f"|error| {abs(r['it'].cargo_index - r['hlv']):5.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
