"""The kei cab-over wagons of MLIT's lists taken apart (issue 13, 4 Dec 2026):
``python benchmarks/validation_probes.py cab_over`` (~1 min on idle cores).

The probe ``mlit_kei`` finds the cab-over one-box wagons (Every Wagon and its badge twins,
Atrai Wagon; ``vehicle.layout = "underfloor"`` in ``mlit_kei_families.csv``) +35 % at
their published curb mass, the 2026 Every Wagon / Scrum Wagon CVT (no automatic in it)
+24 / +17 % (2WD / 4WD). This probe runs the same eight configurations (the new user's
spec file of :func:`mlit_kei.spec_text`, ``import spec --predict``, then ``evaluate`` with
``[mass] curb_measured`` = the list's mass) with one input of the import changed at a
time, and the kei trucks' WLTC check (``keidesign.energy.calibration.kei_truck_wltc_check``:
rear-drive cab-overs of the same cab on the same energy path, at Cd 0.50, the truck
style's ``TRUCK_CD``) under the same changes. Nothing is shipped; every variant is a
what-if, each with its basis:

* ``Cd 0.50``: the truck style's one-box value (webcartop 2024-07, "about 0.5" for
  one-box vans, R; what the kei trucks of the same cab-over front run), against the
  import's kei tall-boy 0.38 (FASTSim's N-Box, a front-engine tall-boy);
* ``crr 0.0095`` / ``0.011``: a light-truck (LT) tyre's higher rolling resistance, the
  values of ``kei_truck_wltc.py --crr`` (no kei LT-tyre figure published, A; the wagons
  are sold on passenger tyres, the vans on 145/80R12 LT: docs/validation.md, "Kei vans are
  goods vehicles");
* ``rwd x0.97``: a hypoid rear axle's loss on a longitudinal rear-drive driveline (Joachim,
  Börner & Kurz, Gear Technology Sept 2012, fig. 2: hypoid sets 92-97 % for trucks, R; the
  factor of ``kei_truck_wltc.py --hypoid``), compounded into the 4WD's 0.96;
* ``height 1910``: the high roof (1,910 mm) the list does not separate from the 1,815 mm
  standard roof;
* ``tyre 165/60R14`` / ``145/80R12``: the wagon's tyre size (recalled, A) and the van's LT
  size, against the import's 155/65R14 (the overall gearing follows the tyre radius);
* ``curb +50 kg``: what a heavier grade than the range's lower end does;
* ``final drive x1.15``: gearing 15 % shorter than the import's class default
  (``TRANSMISSION_DEFAULTS``: CVT final drive 5.0, overdrive 0.45; 4AT 4.0, 0.75; the
  Every's own ratios not found, A): the sensitivity only;
* ``4WD in its 2WD mode``: the 2024 Every Wagon's 4WD is electronically selectable
  ("2WD", "4WD AUTO", "4WD LOCK" by switch; webcg.net 2024-04-24 test of the PZ Turbo
  Special high roof 4WD CVT, R) and MLIT's list gives 2WD and 4WD one figure (15.1 km/L
  at 980 and 1030 kg, V): the 4WD rows run with the rear-drive driveline efficiency
  instead of the always-spinning 4WD's 0.96 (``DRIVELINE_EFFICIENCY``);
* ``Cd 0.50 + rwd x0.97``: the two driveline/body what-ifs together.

Printed: per configuration and variant the WLTC error against the list at its published
mass; per variant the mean error of the CVT rows, the 4AT rows and all eight, and the kei
trucks' errors and MAE under the variants that apply to them (Cd, crr, the axle factor).
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import kei_paths  # benchmarks/kei_paths.py
import mlit_kei  # benchmarks/mlit_kei.py
import newuser  # benchmarks/newuser.py
import numpy as np

from keidesign.energy import powertrains as pt
from keidesign.energy import vehicle as veh

__all__ = ["VARIANTS", "AXLE", "cab_over_cases", "design_at_mass", "run_variant", "main"]

#: the hypoid axle factor tried (kei_truck_wltc.py --hypoid)
AXLE = 0.97

#: variant name -> design edits (table, key, value); ``"axle"`` in the edits: the driveline
#: factor; ``("mass", "+", kg)``: the curb raised by kg
VARIANTS: dict[str, tuple] = {
    "import (base)": (),
    "Cd 0.50": (("road", "cd", "0.5"),),
    "crr 0.0095": (("road", "crr", "0.0095"),),
    "crr 0.011": (("road", "crr", "0.011"),),
    "rwd x0.97": ("axle",),
    "height 1910": (("body", "height", "1910"),),
    "tyre 165/60R14": (("body", "tyre_width", "165"), ("body", "tyre_aspect", "60")),
    "tyre 145/80R12": (("body", "tyre_width", "145"), ("body", "tyre_aspect", "80"),
                       ("body", "rim_diameter", "12")),
    "curb +50 kg": (("mass", "+", 50.0),),
    "final drive x1.15": (("final_drive", "x", 1.15),),
    "4WD in its 2WD mode": ("two_wheel",),
    "Cd 0.50 + rwd x0.97": (("road", "cd", "0.5"), "axle"),
}


def cab_over_cases() -> list[dict]:
    """The sampled MLIT configurations of the cab-over (underfloor-engine) families."""
    all_cases, _ = mlit_kei.cases()
    return [c for c in mlit_kei.sample(all_cases) if c["family"]["layout"] == "underfloor"]


def design_at_mass(c: dict, tmp: Path) -> str:
    """The imported design of case ``c`` (specs alone) with its published curb mass."""
    path = tmp / f"cab_{c['index']:03d}.toml"
    path.write_text(mlit_kei.spec_text(c), encoding="utf-8")
    res = newuser.run_spec(path, tmp)
    if not res.outputs:
        raise RuntimeError(f"{c['row']['type']}: {res.message}")
    return res.design_text


def _final_drive(design: str) -> float:
    """The design's final drive: its own, else its transmission's class default."""
    own = re.search(r"^final_drive = ([0-9.]+)", design, re.M)
    if own and float(own.group(1)) > 0:
        return float(own.group(1))
    trans = re.search(r'^transmission = "(\w+)"', design, re.M).group(1)
    return pt.TRANSMISSION_DEFAULTS[trans]["final_drive"]


def _axle(factors: dict) -> None:
    veh.DRIVELINE_EFFICIENCY.update(factors)


def run_variant(c: dict, design: str, edits: tuple, tmp: Path) -> float:
    """WLTC (km/L) of case ``c``'s imported ``design`` at its published mass with
    ``edits`` applied (the driveline factor restored after the run)."""
    mass = float(c["row"]["mass_min_kg"])
    saved = dict(veh.DRIVELINE_EFFICIENCY)
    text = design
    try:
        for e in edits:
            if e == "axle":
                _axle({"rwd": saved["rwd"] * AXLE, "4wd": saved["4wd"] * AXLE})
            elif e == "two_wheel":
                _axle({"4wd": saved["rwd"]})
            elif e[:2] == ("final_drive", "x"):
                text = kei_paths._set(text, "powertrain", "final_drive",
                                      f"{_final_drive(text) * e[2]:.4g}")
            elif e[:2] == ("mass", "+"):
                mass += e[2]
            else:
                text = kei_paths._set(text, *e)
        text = kei_paths._set(text, "mass", "curb_measured", f"{mass:g}")
        path = tmp / f"cab_{c['index']:03d}_v.toml"
        path.write_text(text, encoding="utf-8")
        code, out, err = newuser._call(["evaluate", "--json", str(path)])
        if code:
            raise RuntimeError(f"{c['row']['type']} {edits}: {err.strip()}")
        return float(json.loads(out)["outputs"]["energy:wltc_km_per_l"]["value"])
    finally:
        veh.DRIVELINE_EFFICIENCY.clear()
        veh.DRIVELINE_EFFICIENCY.update(saved)


def _trucks(changes: dict, axle: bool) -> list[dict]:
    from keidesign.energy.calibration import kei_truck_wltc_check

    root = Path(__file__).resolve().parents[1]
    saved = dict(veh.DRIVELINE_EFFICIENCY)
    try:
        if axle:
            _axle({"rwd": saved["rwd"] * AXLE, "4wd": saved["4wd"] * AXLE})
        return kei_truck_wltc_check(root / "studies" / "designs", **changes)
    finally:
        veh.DRIVELINE_EFFICIENCY.clear()
        veh.DRIVELINE_EFFICIENCY.update(saved)


def main() -> None:
    chosen = cab_over_cases()
    err: dict[str, list[float]] = {k: [] for k in VARIANTS}
    print("cab-over wagons of MLIT's lists at their published curb mass: WLTC error "
          "(model / list - 1) per variant")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for c in chosen:
            r = c["row"]
            pub = float(r["wltc_max_km_per_L"])
            design = design_at_mass(c, tmp)
            cells = []
            for name, edits in VARIANTS.items():
                e = 100 * (run_variant(c, design, edits, tmp) / pub - 1)
                err[name].append(e)
                cells.append(f"{name} {e:+.1f}")
            print(f"  {r['list']} {r['name']} {r['type']} {r['transmission']} {r['drive']}"
                  f"{' I' if c['idle_stop'] else ''}: {pub:.1f} km/L at "
                  f"{float(r['mass_min_kg']):.0f} kg: " + "; ".join(cells))
    cvt = [i for i, c in enumerate(chosen) if c["trans"] == "cvt"]
    at = [i for i, c in enumerate(chosen) if c["trans"] == "automatic"]
    print(f"\nmean error (bias) by variant: CVT rows (n {len(cvt)}) | 4AT rows "
          f"(n {len(at)}) | all (n {len(chosen)})")
    for name, e in err.items():
        a = np.asarray(e)
        print(f"  {name:22s} {np.mean(a[cvt]):+6.1f} % | {np.mean(a[at]):+6.1f} % | "
              f"{np.mean(a):+6.1f} %")
    print("\nkei trucks (kei_truck_wltc_check, Cd 0.50 as shipped; same what-ifs):")
    for name, changes, axle in (("as shipped (Cd 0.50)", {}, False),
                                ("Cd 0.38 (the wagons' import value)", {"road:cd": 0.38},
                                 False),
                                ("crr 0.0095", {"road:crr": 0.0095}, False),
                                ("crr 0.011", {"road:crr": 0.011}, False),
                                ("rwd x0.97", {}, True)):
        rows = _trucks(changes, axle)
        e = np.array([100 * x["error"] for x in rows])
        print(f"  {name:36s} " + " ".join(f"{x:+.1f}" for x in e)
              + f"  MAE {np.mean(np.abs(e)):.1f} %, bias {np.mean(e):+.1f} %")


if __name__ == "__main__":
    main()
