"""The third new-user pass on kei cars (issue 13, 4 Dec 2026):
``python benchmarks/validation_probes.py newuser_kei3`` (~20 s).

The 13 spec files of :data:`newuser.THIRD_PASS` (``tests/data/newuser/``: Wagon R Smile,
Spacia MK94S, Roox 2020, Copen LA400K, Move 2025, Mira Tocot; sources in each file) run
as a new user runs them (``import spec --predict``, ``evaluate``). Printed:

* each car against its published WLTC / JC08 figure, with the import defaults of a kei
  mild hybrid as before 4 Dec 2026 (the registry's 10 kW motor and 0.5 kWh window:
  :data:`BEFORE_ISG`) and as shipped (:data:`keidesign.specs.build.KEI_ISG_KW`,
  :data:`~keidesign.specs.build.KEI_ISG_BATTERY_KWH`), and the pass's WLTC MAE and bias
  both ways;
* the worst misses taken apart (what-ifs, nothing adopted): the Copen at its published
  curb mass, with a fixed roof, with the Move's idle stop and with the tall-boy Cd, set
  against the Move RS (the same maker's KF turbo); the Smile G with idle stop and the
  Smile HYBRID X at the top of its published mass range; the Roox against the kei
  data's Dayz hybrid (the NMKV S-HYBRID); the Mira Tocot's JC08 against the Mira e:S of
  the kei JC08 check.

Nothing is fitted; nothing is written.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import newuser  # benchmarks/newuser.py

from keidesign.specs import build

__all__ = ["main", "BEFORE_ISG", "evaluate"]

#: the kei ISG defaults before 4 Dec 2026: design-file lines replaced in the import
BEFORE_ISG = ((r"^hev_motor_power = .*# \[assumed\].*$", "hev_motor_power = 10.0"),
              (r"^hev_battery_energy = .*# \[assumed\].*$", "hev_battery_energy = 0.5"))


def evaluate(stem: str, tmp: Path, spec_sub: tuple = (), design_sub: tuple = ()
             ) -> dict:
    """``evaluate --json`` outputs of the spec file ``stem`` imported with ``--predict``,
    after the text replacements ``spec_sub`` (in the spec) and the regex replacements
    ``design_sub`` (in the imported design; a pattern that matches nothing is skipped)."""
    text = (newuser.SPECS / f"{stem}.toml").read_text(encoding="utf-8")
    for a, b in spec_sub:
        if a not in text:
            raise ValueError(f"{stem}: {a!r} not in the spec")
        text = text.replace(a, b)
    path = tmp / f"{stem}.toml"
    path.write_text(text, encoding="utf-8")
    run = newuser.run_spec(path, tmp)
    if not run.outputs:
        raise RuntimeError(f"{stem}: {run.message}")
    if not design_sub:
        return run.outputs
    design = run.design_text
    for pat, rep in design_sub:
        design = re.sub(pat, rep, design, flags=re.M)
    full = tmp / f"{stem}_whatif.toml"
    full.write_text(design, encoding="utf-8")
    code, out, err = newuser._call(["evaluate", "--json", str(full)])
    if code:
        raise RuntimeError(f"{stem}: {err}")
    return json.loads(out)["outputs"]


def _published(stem: str) -> tuple[str, float, float]:
    r = next(r for r in newuser.published() if r["spec"] == stem
             and r["quantity"] in ("wltc_km_per_l", "jc08_km_per_l"))
    return r["quantity"], float(r["low"]), float(r["high"])


def _err(v: float, lo: float, hi: float) -> float:
    return newuser.error_pct(v, lo, hi)


def passes(tmp: Path) -> None:
    print(f"third pass, kei mild-hybrid import defaults before (10 kW, 0.5 kWh) -> shipped "
          f"({build.KEI_ISG_KW:g} kW, {build.KEI_ISG_BATTERY_KWH:g} kWh) where the spec "
          "names none:")
    errs: dict[str, list[float]] = {"before": [], "after": []}
    for stem in sorted(newuser.THIRD_PASS):
        q, lo, hi = _published(stem)
        key = newuser.QUANTITIES[q][0]
        after = float(evaluate(stem, tmp)[key]["value"])
        before = float(evaluate(stem, tmp, design_sub=BEFORE_ISG)[key]["value"])
        pub = f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}"
        eb, ea = _err(before, lo, hi), _err(after, lo, hi)
        if q == "wltc_km_per_l":
            errs["before"].append(eb)
            errs["after"].append(ea)
        print(f"  {stem} {q}: published {pub}; {before:.2f} ({eb:+.1f} %) -> {after:.2f} "
              f"({ea:+.1f} %)")
    for k, e in errs.items():
        print(f"  WLTC {k}: n {len(e)}, MAE {sum(map(abs, e)) / len(e):.1f} %, bias "
              f"{sum(e) / len(e):+.1f} %")


def _row(label: str, out: dict, lo: float, hi: float, key: str = "energy:wltc_km_per_l"
         ) -> None:
    v = float(out[key]["value"])
    area = float(out["body:frontal_area"]["value"])
    print(f"  {label}: {v:.2f} ({_err(v, lo, hi):+.1f} %), curb "
          f"{float(out['mass:curb']['value']):.0f} kg, frontal area {area:.2f} m2")


def worst(tmp: Path) -> None:
    idle = (("turbo = true\n", "turbo = true\nidle_stop = true\nidle_stop_speed = 9\n"),)
    curb870 = ((r"^\[mass\]$", "[mass]\ncurb_measured = 870"),)
    _, lo, hi = _published("daihatsu_copen_la400k_cvt")
    print("\nCopen LA400K CVT (published 19.2 km/L):")
    _row("as shipped (predicted curb)", evaluate("daihatsu_copen_la400k_cvt", tmp), lo, hi)
    _row("at the published curb 870 kg", evaluate("daihatsu_copen_la400k_cvt", tmp,
                                                  design_sub=curb870), lo, hi)
    _row("roof fixed (no open-body mass, the kei hatch Cd 0.32)", evaluate(
        "daihatsu_copen_la400k_cvt", tmp, spec_sub=(('roof = "open"', 'roof = "fixed"'),)),
        lo, hi)
    _row("at 870 kg with the Move's eco IDLE (what-if: no idle stop was read for it)",
         evaluate("daihatsu_copen_la400k_cvt", tmp, spec_sub=idle, design_sub=curb870),
         lo, hi)
    _row("at 870 kg with Cd 0.38, the import's tall-boy value (what-if: no published Cd "
         "was found; the import gives an open two-seater the open two-seaters' median 0.35)",
         evaluate("daihatsu_copen_la400k_cvt", tmp, design_sub=curb870 + (
             (r"^cd = .*$", "cd = 0.38"),)), lo, hi)
    _, mlo, mhi = _published("daihatsu_move_2025_rs_turbo_2wd")
    _row("the Move RS turbo 2WD (published 21.5, 890 kg) for comparison",
         evaluate("daihatsu_move_2025_rs_turbo_2wd", tmp), mlo, mhi)

    _, lo, hi = _published("suzuki_wagon_r_smile_g_2wd")
    print("\nWagon R Smile G 2WD (published 23.9 km/L):")
    _row("as shipped (none read: the kei CVT's idle-stop default)",
         evaluate("suzuki_wagon_r_smile_g_2wd", tmp), lo, hi)
    _row("without idle stop, as MLIT's lists show it (what-if)",
         evaluate("suzuki_wagon_r_smile_g_2wd", tmp, spec_sub=(
             ("turbo = false\n", "turbo = false\nidle_stop = false\n"),)), lo, hi)

    _, lo, hi = _published("suzuki_wagon_r_smile_hybrid_x_2wd")
    print("\nWagon R Smile HYBRID X 2WD (published 25.1 km/L, 840-870 kg over the 2WD "
          "grades):")
    _row("as shipped (predicted curb)", evaluate("suzuki_wagon_r_smile_hybrid_x_2wd", tmp),
         lo, hi)
    _row("at 870 kg (the range's top)", evaluate(
        "suzuki_wagon_r_smile_hybrid_x_2wd", tmp, design_sub=curb870), lo, hi)

    from keidesign.energy import calibration as cal
    from keidesign.validation import report

    print("\nthe kei data's rows of the same makers (kei WLTC / JC08 checks, published "
          "curb mass):")
    for r in cal.kei_wltc_check():
        if r["unit"] == "km/L" and r["model"] in ("Nissan Dayz", "Suzuki Wagon R",
                                                  "Suzuki Hustler", "Daihatsu Mira e:S"):
            print(f"  WLTC {r['model']} {r['variant']}: {100 * r['error']:+.1f} % "
                  f"({r['assumptions'][:60]})")
    for r in cal.kei_jc08_check(report.DESIGN_DIR):
        if r["model"] == "Daihatsu Mira e:S":
            print(f"  JC08 {r['model']} {r['variant']}: {100 * r['error']:+.1f} %")


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        passes(tmp)
        worst(tmp)
