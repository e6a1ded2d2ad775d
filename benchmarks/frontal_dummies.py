"""How the frontal dummies follow the structure (issue 14, task s29e; docs/crash.md,
"What moves the frontal dummies").

    python benchmarks/frontal_dummies.py     # about 1 min

1. The N-Box class, US (``studies/designs/nbox_class_us.toml``) with its front's
   ``crash.front.crush_length`` swept over 600-1000 mm (every other input as the file
   gives it): the pulse (ESW, 3 ms peak), the lumped occupant (3 ms deceleration, the
   HIC15 of its deceleration, excursion), the dummies (50th male HIC15 and chest
   deflection, 5th female HIC15) and the NCAP frontal relative risk and stars, beside
   the load limiter's plateau n F_ll / (n m_occ) (the occupant's deceleration while its
   restraint is at the limit) and the HIC15 of that plateau held for 15 ms.
2. NHTSA's measured dummy values of the NCAP-rated small cars
   (``data/crash/ncap_ratings.csv``, V) against the severity of their own test's pulse
   (``data/crash/ncap_frontal_pulses.csv``, R; rows the source marks Valid): ESW
   V^2 / (2 C) and the 3 ms peak, Pearson's and Spearman's correlation with each
   dummy's HIC15 and chest deflection.

Nothing is fitted; the model is used as it ships.
"""

from __future__ import annotations

import csv
import os
from importlib import resources
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

from keidesign.crash import occupant as occ  # noqa: E402
from keidesign.crash.pulse import OCCUPANT_MASS_KG  # noqa: E402
from keidesign.design import load_design  # noqa: E402
from keidesign.evaluation import evaluate_design, resolve_packs  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DESIGN = ROOT / "studies" / "designs" / "nbox_class_us.toml"
#: the swept front lengths, mm
LENGTHS = (600.0, 700.0, 800.0, 900.0, 1000.0)
G0 = 9.80665
#: the HIC window (s)
HIC_WINDOW = 0.015


def sweep(lengths=LENGTHS) -> list[dict]:
    """One row per front length: pulse, occupant, dummy and NCAP figures."""
    base = load_design(DESIGN)
    packs = resolve_packs(["fmvss"])
    rows = []
    for length in lengths:
        ev = evaluate_design(base.replace(**{"crash:front:crush_length": length}), packs)
        o = {k: float(v[0]) for k, v in ev.outputs.items()}
        i = {k: float(v[0]) for k, v in ev.inputs.items() if isinstance(v[0], int | float)}
        rows.append({"length": length, "esw_g": o["crash:front:esw_decel"] / G0,
                     "peak_g": o["crash:front:peak_decel"] / G0,
                     "crush": o["crash:front:crush_required"],
                     "a3": o["crash:front:chest_accel_3ms"],
                     "hic_occ": o["crash:front:occupant_hic15"],
                     "excursion": o["crash:front:occupant_excursion"],
                     "hic_m50": o["crash:front:hic15"],
                     "defl_m50": o["crash:front:chest_deflection"],
                     "hic_f05": o["crash:front:f05:hic15"],
                     "rr": o["crash:ncap:frontal:relative_risk"],
                     "stars": o["crash:ncap:frontal:stars"],
                     "f_ll": i["crash:restraint:load_limit"]})
    return rows


def plateau(f_ll_kn: float) -> tuple[float, float]:
    """The occupant's deceleration at its load limiter (m/s^2: F_ll / m_occ per seat)
    and the HIC15 of that deceleration held for the whole 15 ms window."""
    a = f_ll_kn * 1e3 / OCCUPANT_MASS_KG
    return a, HIC_WINDOW * (a / G0) ** 2.5


def measured_pairs() -> list[dict]:
    """The NCAP-rated cars with a Valid pulse row: test ESW (g) and 3 ms peak (g)
    beside the measured driver / passenger HIC15 and chest deflection (mm)."""
    data = resources.files("keidesign.data")
    ratings = {r["frontal_test_no"]: r for r in csv.DictReader(
        data.joinpath("crash/ncap_ratings.csv").read_text().splitlines())}
    out = []
    for p in csv.DictReader(data.joinpath("crash/ncap_frontal_pulses.csv")
                            .read_text().splitlines()):
        r = ratings.get(p["nhtsa_test_no"])
        if r is None or p["source_quality"] != "Valid":
            continue
        v = float(p["speed_kmh"]) / 3.6
        out.append({"car": p["vehicle"],
                    "esw_g": v * v / (2.0 * float(p["max_dynamic_crush_mm"]) * 1e-3) / G0,
                    "peak_g": float(p["peak_decel_g"]),
                    "drv_hic15": float(r["drv_hic15"]),
                    "drv_chest_defl_mm": float(r["drv_chest_defl_mm"]),
                    "pas_hic15": float(r["pas_hic15"]),
                    "pas_chest_defl_mm": float(r["pas_chest_defl_mm"])})
    return out


def correlations(pairs: list[dict]) -> list[tuple[str, str, float, float]]:
    """(severity, response, Pearson r, Spearman rho) over ``pairs``."""
    out = []
    for sev in ("esw_g", "peak_g"):
        for resp in ("drv_hic15", "drv_chest_defl_mm", "pas_hic15", "pas_chest_defl_mm"):
            x = np.array([p[sev] for p in pairs])
            y = np.array([p[resp] for p in pairs])
            out.append((sev, resp, float(stats.pearsonr(x, y)[0]),
                        float(stats.spearmanr(x, y)[0])))
    return out


def main() -> None:
    rows = sweep()
    print("N-Box class, US: crash.front.crush_length swept (the model as it ships)\n"
          "| front, mm | crush, mm | ESW, g | 3 ms peak, g | occupant 3 ms, m/s^2 | "
          "occupant HIC15 | excursion, mm | 50th HIC15 | 50th chest deflection, mm | "
          "5th HIC15 | NCAP relative risk | stars |\n" + "| --- " * 12 + "|")
    for r in rows:
        print(f"| {r['length']:.0f} | {r['crush']:.0f} | {r['esw_g']:.1f} | "
              f"{r['peak_g']:.1f} | {r['a3']:.1f} | {r['hic_occ']:.1f} | "
              f"{r['excursion']:.0f} | {r['hic_m50']:.1f} | {r['defl_m50']:.2f} | "
              f"{r['hic_f05']:.1f} | {r['rr']:.3f} | {r['stars']:.0f} |")
    a, hic = plateau(rows[0]["f_ll"])
    k = occ.load_fit()["m50"]["head"]
    print(f"\nLoad limiter's plateau: F_ll / m_occ = {rows[0]['f_ll']:.0f} kN / "
          f"{OCCUPANT_MASS_KG:.0f} kg = {a:.1f} m/s^2 ({a / G0:.1f} g); held for 15 ms its "
          f"HIC15 is {hic:.1f} (x k_head^2.5 = {k:.3f}^2.5: 50th HIC15 {k**2.5 * hic:.1f}).")
    spans = {key: (min(r[key] for r in rows), max(r[key] for r in rows))
             for key in ("esw_g", "a3", "hic_occ", "hic_m50", "rr")}
    print("Spans over the sweep: " + "; ".join(
        f"{key} {lo:.4g}-{hi:.4g}" for key, (lo, hi) in spans.items()))
    pairs = measured_pairs()
    print(f"\nNHTSA's measured dummies against their own test's pulse ({len(pairs)} "
          "NCAP-rated cars with a Valid pulse row)\n| severity | response | Pearson r | "
          "Spearman rho |\n| --- | --- | --- | --- |")
    for sev, resp, r, rho in correlations(pairs):
        print(f"| {sev} | {resp} | {r:+.2f} | {rho:+.2f} |")
    span = {key: (min(p[key] for p in pairs), max(p[key] for p in pairs))
            for key in ("esw_g", "peak_g", "drv_hic15", "drv_chest_defl_mm")}
    print("Ranges: " + "; ".join(f"{key} {lo:.4g}-{hi:.4g}" for key, (lo, hi) in span.items()))


if __name__ == "__main__":
    main()
