"""FASTSim 3 side by side with keidesign on every EPA configuration of the validation.

    pip install -e ".[bench]"                             # FASTSim 3 (optional extra)
    python benchmarks/fastsim_validation.py               # table + timing
    python benchmarks/fastsim_validation.py --write-docs  # ... into docs/validation.md

How each model is set up on the same rows (the measured dynamometer settings):

* **keidesign**: the leave-one-family-out predictions of ``docs/validation.json``
  (written by ``benchmarks/validation.py``): EPA target A/B/C, ETW, N/V gearing, rated
  power; FTP-75 with its cold start.
* **FASTSim 3** (NREL ``fastsim`` 3.x), as its own EPA import does and as
  ``benchmarks/energy.py`` builds it: the 2012 Ford Fusion (ICE) or 2022 Renault Zoe
  (EV) resource vehicle with mass = ETW, Crr and Cd x A least-squares fitted to the
  A/B/C curve (``F0 + F2 v^2``, 0-35 m/s), the rated power of the row, its default
  engine map and transmission efficiency; ``get_label_fe``: hot UDDS (no cold start)
  and HWFET, unadjusted; mpgge re-expressed on the test fuel's heating value.
  Nothing in FASTSim is fitted to these rows.

Timing: FASTSim seconds per vehicle against keidesign's one pass of the ICE model over
every configuration (the baseline of ``benchmarks/validation.py``), same run.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import docblock  # noqa: E402  (benchmarks/docblock.py)
import energy as eb  # noqa: E402  (benchmarks/energy.py: the FASTSim vehicle builder)
import numpy as np  # noqa: E402

from keidesign.energy import calibration as cal  # noqa: E402
from keidesign.energy import testcars as tc  # noqa: E402
from keidesign.energy.roadload import load_constants  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "validation.md"
CLASSES = ("cvt", "automatic", "dct", "manual", "ev")


def fastsim_results(cars: list[tc.TestCar]) -> list[dict[str, float]]:
    """Unadjusted FTP (hot UDDS) and HWFET of FASTSim 3 per car."""
    lhv = float(load_constants()["fuel"]["lhv_kwh_per_galUS"])
    out = []
    for car in cars:
        crr, cda = eb._abc_to_crr_cda(car)
        kind = "bev" if car.cls == "ev" else "ice"
        case = {"name": car.key, "car": car, "kind": kind, "crr": crr, "cda": cda}
        try:
            lab = eb._fastsim_label(eb._fastsim_vehicle(case))
        except Exception as exc:  # noqa: BLE001  FASTSim refuses some inputs: reported
            out.append({"error": str(exc).splitlines()[0][:120]})
            continue
        if kind == "bev":
            out.append({"ftp": 33.705 / lab["lab_udds_kwh_per_mi"],
                        "hwfet": 33.705 / lab["lab_hwy_kwh_per_mi"]})
        else:
            out.append({"ftp": lab["lab_udds_mpgge"] * lhv / 33.7,
                        "hwfet": lab["lab_hwy_mpgge"] * lhv / 33.7})
    return out


def table(cars: list[tc.TestCar], fs: list[dict], ours: list[dict]) -> str:
    lines = ["| class | test | n | keidesign MAE (leave-one-family-out) | keidesign bias | "
             "FASTSim 3 MAE | FASTSim 3 bias |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for cls in CLASSES:
        for t in ("ftp", "hwfet"):
            e_o, e_f = [], []
            for car, f, o in zip(cars, fs, ours, strict=True):
                if car.cls != cls or t not in f:
                    continue
                e_o.append(o[t] / car.tests[t] - 1)
                e_f.append(f[t] / car.tests[t] - 1)
            if e_o:
                a, b = np.array(e_o), np.array(e_f)
                lines.append(f"| {cls} | {t} | {len(a)} | {np.mean(np.abs(a)):.1%} | "
                             f"{np.mean(a):+.1%} | {np.mean(np.abs(b)):.1%} | "
                             f"{np.mean(b):+.1%} |")
    failed = [f for f in fs if "error" in f]
    if failed:
        lines.append(f"\nFASTSim refused {len(failed)} configurations (left out of both "
                     "columns).")
    return "\n".join(lines)


def main() -> int:
    args = docblock.arguments(__doc__)
    if eb.fsim is None:
        print("FASTSim 3 is not installed: pip install -e \".[bench]\"", file=sys.stderr)
        return 2
    doc = json.loads((ROOT / "docs" / "validation.json").read_text(encoding="utf-8"))
    # the JSON lists the hold-out cars in the validation's order: gasoline, EVs, then
    # hybrids (FASTSim's hybrid model is not set up here: the side by side leaves them out)
    rows = [c for c in doc["cars"] if c["constants"] == "lofo" and c["class"] != "hybrid"]
    cars = ([car for car in tc.test_cars() if car.cls in cal.ICE_CLASSES]
            + [car for car in tc.test_cars() if car.cls == "ev"])
    if [car.key for car in cars] != [r["car"] for r in rows]:
        print("docs/validation.json is not from these cars: run benchmarks/validation.py "
              "--write-docs first", file=sys.stderr)
        return 2
    ours = [{"ftp": r["ftp_model"], "hwfet": r["hwfet_model"]} for r in rows]
    ice = [car for car in cars if car.cls != "ev"]
    c, fit, _ = cal.stored_fits()
    t0 = time.perf_counter()
    cal.predict_ice(ice, c, fit)
    base = time.perf_counter() - t0
    t0 = time.perf_counter()
    fs = fastsim_results(cars)
    t_fs = time.perf_counter() - t0
    md = table(cars, fs, ours)
    print(md)
    print(f"\nFASTSim 3: {t_fs:.1f} s for {len(cars)} vehicles ({1e3 * t_fs / len(cars):.0f} ms "
          f"each); keidesign ICE model, all {len(ice)} gasoline configurations in one pass: "
          f"{base:.2f} s ({t_fs / base:.0f} x less than FASTSim for all)")
    return docblock.write_or_check(args, DOC, "fastsim_validation", md, ROOT)


if __name__ == "__main__":
    sys.exit(main())
