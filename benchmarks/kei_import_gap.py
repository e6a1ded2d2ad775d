"""The kei rows' import / check gap (issue 13, task s45e, 8 Dec 2026):
``python benchmarks/validation_probes.py kei_import_gap`` (~40 s).

A kei.csv row run by the kei WLTC check (:func:`keidesign.energy.calibration.
kei_wltc_check`, docs/validation.md (g)) and the same row imported by a user
(``keidesign import vehicle NAME --file kei --variant V``, then ``evaluate``) gave WLTC
km/L 0.2-0.7 % apart. This probe:

1. **Takes the gap apart, row by row** (the 13 ICE rows of the check): the model inputs
   of both paths (test mass, road-load F0 / F1 / F2, overall ratios, tyre, engine, idle
   stop, compression ratio, Cd, frontal area, rated speed), then each input that differs
   swapped alone from the import's design into the check's
   :class:`~keidesign.energy.vehicle.VehicleSpec` (frontal area, tyre diameter, rated
   speed), all together, and the residual (import / check with all swapped - 1).
2. **The trial, tried and not shipped** (ship rule in docs/validation.md, "The kei rows'
   import / check gap", written before measuring): the check run with the body model's
   own frontal area of each kei.csv row as ``import vehicle`` builds it
   (:func:`kei_body_area`, :func:`keidesign.body.frontal_area`) instead of its proxy
   ``roadload.FRONTAL_AREA_FACTOR`` x W x H: per row before -> after, the ICE MAE / bias
   (all and by group), the BEV MAE, the JC08 ICE MAE, the import / check gap after, the
   ISG pairs' gains, and the rule's verdict per clause.

Equations: none new; the frontal area is :func:`geometry.closed_form.closed_form`'s
``body:frontal_area`` (section above the floor line + tyres). Nothing is fitted; nothing
is written outside a temporary folder.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np

from keidesign.body import frontal_area
from keidesign.cli import main as cli
from keidesign.design import Design, load_design
from keidesign.energy import calibration as cal
from keidesign.energy import vehicle as ev
from keidesign.evaluation import design_packs
from keidesign.validation import isgpairs, report

__all__ = ["main", "imported", "kei_body_area", "gap_parts", "trial"]

#: the ship rule's bounds (docs/validation.md, task s45e): gap (fraction) and the
#: largest worsening of each MAE (points)
GAP, WORSE = 0.001, 0.2


@cache
def imported(model: str, variant: str) -> tuple[Design, float]:
    """The design ``keidesign import vehicle MODEL --file kei --variant VARIANT`` writes,
    and its evaluated WLTC km/L (``energy:wltc_km_per_l``)."""
    from keidesign.model import build_problem

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "d.toml"
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            rc = cli(["import", "vehicle", model, "--file", "kei", "--variant", variant,
                      "-o", str(p), "--force"])
        if rc != 0:
            raise RuntimeError(f"import vehicle {model} {variant}: exit {rc}")
        d = load_design(p)
    prob = build_problem(d, design_packs(d), round_footprint=True)
    prob.run_model()
    return d, float(np.squeeze(prob.get_val("energy:wltc_km_per_l")))


def kei_body_area(model: str, variant: str) -> float:
    """Frontal area (m^2) of the body model of the kei.csv row as ``import vehicle``
    builds it (:func:`keidesign.body.frontal_area` of :func:`imported`'s design)."""
    return frontal_area(imported(model, variant)[0])


def _design_inputs(d: Design) -> dict[str, float]:
    """The imported design's inputs the check's spec sets differently: frontal area
    (m^2), tyre diameter (m), rated speed (rpm)."""
    v = d.values
    tyre = (25.4 * float(v["body:rim_diameter"])
            + 2.0 * float(v["body:tyre_width"]) * float(v["body:tyre_aspect"]) / 100.0)
    return {"area": frontal_area(d), "tyre_d": tyre / 1000.0,
            "rated_rpm": float(v["powertrain:ice:rated_speed"])}


def _wltc(spec: ev.VehicleSpec, c: dict) -> float:
    return float(ev.simulate([spec], constants=c)["wltc_km_per_l"][0])


def gap_parts(c: dict | None = None) -> list[dict]:
    """Per ICE row of the check: ``check``, ``import`` (km/L), ``gap`` (import / check -
    1) and each differing input swapped alone into the check (``area``, ``tyre_d``,
    ``rated_rpm``: check with it / check - 1), ``all`` and ``residual``."""
    c = c or {**cal.fixed_constants(), **cal._stored_fit()}
    out = []
    for r, style, idle, hyb, trans, drive, tyre_d, which, _b in cal._kei_todo():
        if r["powertrain"].upper().startswith("BEV"):
            continue
        spec = cal.kei_spec(r, style, idle, hyb, trans, drive, tyre_d)
        d, imp = imported(r["model"], r["variant"])
        x = _design_inputs(d)
        base = _wltc(spec, c)
        row = {"model": r["model"], "variant": r["variant"], "set": which,
               "measured": float(r["wltc_km_per_L"]), "check": base, "import": imp,
               "gap": imp / base - 1.0, "inputs_check": {"area": spec.area,
                                                          "tyre_d": spec.tyre_d,
                                                          "rated_rpm": spec.rated_rpm},
               "inputs_import": x}
        for k, val in x.items():
            row[k] = _wltc(replace(spec, **{k: val}), c) / base - 1.0
        every = _wltc(replace(spec, **x), c)
        row["all"], row["residual"] = every / base - 1.0, imp / every - 1.0
        out.append(row)
    return out


def _stats(rows: list[dict], jc08: list[dict]) -> dict[str, float]:
    st = cal.kei_wltc_stats(rows)
    bev = [abs(r["error"]) for r in rows if r["unit"] == "Wh/km"]
    j = [r["error"] for r in jc08 if r["unit"] == "km/L"]
    return {"ice_mae": st["all"]["mae"], "ice_bias": st["all"]["bias"],
            "bev_mae": float(np.mean(bev)), "jc08_mae": float(np.mean(np.abs(j))),
            "jc08_bias": float(np.mean(j)), **{f"{g}": v["mae"] for g, v in st.items()}}


def trial() -> dict:
    """The check before (its shipped proxy area) and with the body model's area of each
    kei.csv row (``after``): rows, statistics, ISG pairs and the import / check gaps."""
    real = cal.kei_spec
    by_key = {(r["model"], r["code"], r["variant"]) for r in cal.kei_rows()}

    def body_spec(r: dict, *a, **k) -> ev.VehicleSpec:
        s = real(r, *a, **k)
        if (r["model"], r.get("code", ""), r["variant"]) not in by_key:
            return s
        return replace(s, area=kei_body_area(r["model"], r["variant"]))

    res = {}
    for name in ("before", "after"):
        if name == "after":
            cal.kei_spec = body_spec
        try:
            rows = cal.kei_wltc_check()
            jc = cal.kei_jc08_check(report.DESIGN_DIR)
            pairs = isgpairs.pair_results()
        finally:
            cal.kei_spec = real
        res[name] = {"rows": rows, "stats": _stats(rows, jc),
                     "pairs": {p.pair.pair: (p.gain, p.gain_idle_stop) for p in pairs}}
    ice = [r for r in res["after"]["rows"] if r["unit"] == "km/L"]
    res["gap_after"] = {(r["model"], r["variant"]):
                        imported(r["model"], r["variant"])[1] / r["predicted"] - 1.0
                        for r in ice}
    return res


def main() -> None:
    print("## kei_import_gap\n")
    print("1. The import / check gap taken apart (each input of the import's design "
          "swapped alone into the check's spec; %)\n")
    print("| kei car | variant | catalogue | check | import | gap | frontal area | tyre | "
          "rated speed | all | residual | area check / import m^2 | tyre check / "
          "import m |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    parts = gap_parts()
    for p in parts:
        ic, ii = p["inputs_check"], p["inputs_import"]
        print(f"| {p['model']} | {p['variant']} | {p['measured']:.1f} | {p['check']:.3f} | "
              f"{p['import']:.3f} | {100 * p['gap']:+.2f} | {100 * p['area']:+.2f} | "
              f"{100 * p['tyre_d']:+.2f} | {100 * p['rated_rpm']:+.2f} | "
              f"{100 * p['all']:+.2f} | {100 * p['residual']:+.2f} | "
              f"{ic['area']:.3f} / {ii['area']:.3f} | {ic['tyre_d']:.4f} / "
              f"{ii['tyre_d']:.4f} |")
    t = trial()
    b, a = t["before"], t["after"]
    print("\n2. The trial: the check with the body model's frontal area (not shipped)\n")
    print("| kei car | variant | unit | catalogue | before | after | error before -> after "
          "| import / check after |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for rb, ra in zip(b["rows"], a["rows"], strict=True):
        g = t["gap_after"].get((ra["model"], ra["variant"]))
        print(f"| {rb['model']} | {rb['variant']} | {rb['unit']} | {rb['measured']:.1f} | "
              f"{rb['predicted']:.3f} | {ra['predicted']:.3f} | {100 * rb['error']:+.2f} -> "
              f"{100 * ra['error']:+.2f} % | "
              + (f"{100 * g:+.2f} %" if g is not None else "-") + " |")
    sb, sa = b["stats"], a["stats"]
    print("\n| figure | before | after | change (points) |\n| --- | --- | --- | --- |")
    for k in sb:
        print(f"| {k} | {100 * sb[k]:.2f} % | {100 * sa[k]:.2f} % | "
              f"{100 * (sa[k] - sb[k]):+.2f} |")
    print("\nISG pairs, model gain against the twin / against the twin with idle stop, "
          "before -> after: " + "; ".join(
              f"{k} {100 * v[0]:.2f} / {100 * v[1]:.2f} -> {100 * a['pairs'][k][0]:.2f} / "
              f"{100 * a['pairs'][k][1]:.2f} %" for k, v in b["pairs"].items()))
    by_part = {(p["model"], p["variant"]): p for p in parts}
    tyres = {k for k, p in by_part.items() if abs(p["tyre_d"]) > 0.0}
    ok1 = all(abs(g) <= GAP for k, g in t["gap_after"].items() if k not in tyres) and all(
        abs((1.0 + t["gap_after"][k]) / (1.0 + by_part[k]["tyre_d"]) - 1.0) <= GAP
        for k in tyres)
    verdict = {
        "1 gap <= 0.1 % (tyre rows: the tyre's alone)": ok1,
        "2 ICE MAE within +0.2 point": 100 * (sa["ice_mae"] - sb["ice_mae"]) <= WORSE,
        "3 BEV MAE within +0.2 point": 100 * (sa["bev_mae"] - sb["bev_mae"]) <= WORSE,
        "4 JC08 ICE MAE within +0.2 point": 100 * (sa["jc08_mae"] - sb["jc08_mae"]) <= WORSE,
    }
    print("\nShip rule (clause 5, the import-path figures, is measured by `mlit_kei`; the "
          "trial does not touch the import): " + "; ".join(
              f"{k}: {'met' if v else 'NOT met'}" for k, v in verdict.items())
          + (" -> shipped" if all(verdict.values()) else " -> not shipped"))


if __name__ == "__main__":
    main()
