"""The BEVs of families absent from the EPA data taken apart (issue 13, task s40e).

    python benchmarks/validation_probes.py absent_bevs      # ~2 min

``absent_families`` gives the EV label combined from specs +12.5 % on its three BEVs
(Spark EV 2016, 500e 2019, Cooper SE 2023) against -0.5 % held out by family on the
in-data EVs. This probe asks which part carries it, on those three and on the four BEVs
of ``keidesign/data/vehicles/absent_bevs.csv`` (README there: 500e 2013, Spark EV 2014,
smart EQ fortwo 2019, Scion iQ EV 2013; each with its EPA test car; written as new
users' spec files the way ``benchmarks/absent_families.py`` writes them, every value
with its source). Each row runs as :func:`absent_families.parts` runs it (``import spec
--predict``, then the EPA test car's ETW, its target coast-down and both swapped into the
imported design), and the label's error is split:

* **label formula**: the published label against ``0.7 x`` the test car's measured
  unadjusted FTP / HWFE MPGe (40 CFR 600.210-12(a)(2)(iv), the optional 0.7 factor for
  EVs; the 55 / 45 harmonic combination): zero where the maker used the factor, negative
  where the label is below it (a maker may lower a label voluntarily);
* **test mass** and **road load**: the bias parts of swapping the measured ETW and the
  target coast-down in (the two orders averaged, as ``label_parts`` and ``ev_bias_parts``
  do); the predicted test mass against the ETW and the road load at 50 mph against the
  target are shown beside them;
* **the rest**: the label error with both measured settings in: the import's powertrain
  inputs (motor power and torque from the spec, the default reduction, motor type and
  charger rating) and the powertrain model (drive unit, pack, charger and auxiliary
  losses); beside it the model's FTP / HWFET at both against the measured.

The in-data figure to set the rest against is the powertrain model (a) held out by family
on the 55 EV configurations of ``docs/validation.json`` (its ``lofo`` rows: the model's
FTP / HWFET on the measured ETW and coast-down, every constant refitted without the
family), combined 55 / 45 harmonically as the label is. Two more variants: ``INPUTS``
(the test car's reduction and the fueleconomy.gov record's motor type on top of both
measured settings: what the import's powertrain inputs carry) and the trial
:func:`with_pack_resistance` (tried, not shipped: the s32f pack resistance from pack
energy written into each imported design, with the shipped BEV constants;
``benchmarks/absent_bevs_pack_refit.py`` runs it with the constants refitted under it).
Nothing is fitted here and no model constant changes; the numbers are in
docs/validation.md, "The absent families' BEVs taken apart".
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import absent_families as af

ROOT = Path(__file__).resolve().parents[1]
EXTRA = ROOT / "keidesign" / "data" / "vehicles" / "absent_bevs.csv"
VALIDATION_JSON = ROOT / "docs" / "validation.json"
#: the EV label's factor on the unadjusted results (40 CFR 600.210-12(a)(2)(iv))
EV_FACTOR = 0.7


#: the powertrain inputs a new user could read beyond the spec files' (the "inputs" variant,
#: on top of both measured settings): the reduction the EPA Test Car List gives as the
#: axle ratio of the configuration's test car (V) and the motor type of the
#: fueleconomy.gov record's ``evMotor`` ("AC Induction" -> induction, the permanent-magnet
#: and synchronous descriptions -> pmsm, the import's default; V). The smart's test car
#: lists 1 (no ratio) and the iQ EV's record no motor: those keep the import's values.
INPUTS = {"sparkev_2016": {"final_drive": 3.87, "motor_type": "pmsm"},   # 105 kW ACPM
          "fiat500e_2019": {"final_drive": 9.59, "motor_type": "induction"},  # AC Induction
          "cooperse_2023": {"final_drive": 8.96, "motor_type": "pmsm"},  # 135 kW DCPM
          "fiat500e_2013": {"final_drive": 9.59, "motor_type": "pmsm"},  # 82 kW ACIPM
          "sparkev_2014": {"final_drive": 3.17, "motor_type": "induction"},  # AC Induction
          "eqfortwo_2019": {"motor_type": "pmsm"},  # 60 KW AC Synchronous
          "iqev_2013": {"final_drive": 9.45}}


def with_inputs(design_text: str, config: str) -> str:
    """The design with :data:`INPUTS` of ``config`` written into ``[powertrain]``
    (``final_drive``) and ``[powertrain.bev]`` (``motor_type``)."""
    import tomlkit
    doc = tomlkit.parse(design_text)
    got = INPUTS.get(config, {})
    if "final_drive" in got:
        doc["powertrain"]["final_drive"] = got["final_drive"]
    if "motor_type" in got:
        doc["powertrain"]["bev"]["motor_type"] = got["motor_type"]
    return tomlkit.dumps(doc)


def _variant_errors(selected: list[dict[str, str]],
                    variants: dict[str, Callable[[str, dict[str, str]], str]]
                    ) -> dict[str, dict[str, dict[str, float]]]:
    """Each row imported from its spec file (``import spec --predict``), then each of
    ``variants`` (name -> function of the imported design text and the row, giving the
    design to evaluate) evaluated: per config and variant the label combined error and
    the FTP / HWFET errors against the test car's measured (%)."""
    import tempfile

    import newuser

    from keidesign.units import convert
    out: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for r in selected:
            spec = base / f"{r['config']}.toml"
            spec.write_text(af.spec_text(r), encoding="utf-8")
            res = newuser.run_spec(spec, base)
            out[r["config"]] = {}
            for name, make in variants.items():
                design = base / f"{r['config']}_{name}.toml"
                design.write_text(make(res.design_text, r), "utf-8")
                code, txt, err = newuser._call(["evaluate", "--json", str(design)])
                if code != 0:
                    raise RuntimeError(f"{design.name}: {err.strip()}")
                o = json.loads(txt)["outputs"]
                e = {}
                for t, key, col in (("comb", af.LABEL["combined"][2], None),
                                    ("ftp", "energy:ftp_mpg", "testcar_ftp_mpg"),
                                    ("hwfet", "energy:hwfet_mpg", "testcar_hwfe_mpg")):
                    v = convert(float(o[key]["value"]), o[key]["units"], "mi/galUS")
                    ref = af.published(r, "combined") if col is None else float(r[col])
                    e[t] = 100.0 * (v / ref - 1.0)
                out[r["config"]][name] = e
    return out


def _both(text: str, r: dict[str, str]) -> str:
    return af._with_measured(text, r, True, True)


def with_pack_resistance(design_text: str) -> str:
    """The design with the trial's pack resistance ``R = tau V^2 / E`` in
    ``powertrain.bev.battery_resistance`` (:func:`ev_pack_trial.pack_resistance`, E the
    design's ``battery_energy``, V its ``pack_voltage`` or the default 350 V)."""
    import ev_pack_trial
    import tomlkit
    doc = tomlkit.parse(design_text)
    bev = doc["powertrain"]["bev"]
    e_j = float(bev["battery_energy"]) * 3.6e6
    bev["battery_resistance"] = round(
        ev_pack_trial.pack_resistance(float(bev.get("pack_voltage", 350.0)), e_j), 4)
    return tomlkit.dumps(doc)


def extra_rows() -> list[dict[str, str]]:
    with EXTRA.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def rows() -> list[dict[str, str]]:
    """The three BEVs of ``absent_families.csv``, then the rows of ``absent_bevs.csv``."""
    return [r for r in af.rows() if r["motor_kw"]] + extra_rows()


def comb(ftp: float, hwy: float) -> float:
    """The 55 / 45 harmonic combination (mpg or MPGe)."""
    return 1.0 / (0.55 / ftp + 0.45 / hwy)


def label_formula_error(r: dict[str, str]) -> float:
    """The published label combined against ``0.7 x`` the test car's measured unadjusted
    FTP / HWFE combined, %: what of the label's error no model of the car can carry."""
    pub = af.published(r, "combined")
    return 100.0 * (pub / (EV_FACTOR * comb(float(r["testcar_ftp_mpg"]),
                                            float(r["testcar_hwfe_mpg"]))) - 1.0)


def split(item: dict) -> dict[str, float]:
    """The bias parts of one :func:`absent_families.parts` item (points): test mass and
    road load (the two swap orders averaged) and the rest (the error with both)."""
    e = item["err"]
    return {"total": e["specs"],
            "mass": 0.5 * (e["specs"] - e["etw"] + e["coast"] - e["both"]),
            "road": 0.5 * (e["specs"] - e["coast"] + e["etw"] - e["both"]),
            "rest": e["both"]}


def in_data_a(path: Path = VALIDATION_JSON) -> dict[str, list[float]]:
    """The powertrain model (a) on the in-data EVs, held out by family: per configuration
    the FTP, HWFET and 55 / 45 combined errors (%) of ``docs/validation.json``'s ``lofo``
    EV rows, and the motor power where the test-car file has none (not needed here)."""
    cars = json.loads(path.read_text("utf-8"))["cars"]
    out: dict[str, list[float]] = {"ftp": [], "hwfet": [], "comb": [], "name": []}
    for c in cars:
        if c["class"] != "ev" or c["constants"] != "lofo":
            continue
        out["ftp"].append(100.0 * (c["ftp_model"] / c["ftp_measured"] - 1.0))
        out["hwfet"].append(100.0 * (c["hwfet_model"] / c["hwfet_measured"] - 1.0))
        out["comb"].append(100.0 * (comb(c["ftp_model"], c["hwfet_model"])
                                    / comb(c["ftp_measured"], c["hwfet_measured"]) - 1.0))
        out["name"].append(c["car"])
    return out


def _mb(x: list[float]) -> str:
    n = len(x)
    return f"{sum(abs(v) for v in x) / n:.1f} ({sum(x) / n:+.1f})"


def _shipped(it: dict, key: str) -> float:
    """The shipped chain's error ``key`` of a :func:`absent_families.parts` item: the
    label combined of a variant (``specs``, ``both``) or the FTP / HWFET at both."""
    return it[key] if key in ("ftp", "hwfet") else it["err"][key]


def _variant_table(res: list[dict], groups: tuple, title: str,
                   cols: list[tuple[str, str, str]]) -> None:
    """Per row and group the errors ``it[variant][test]`` of ``cols`` (variant, test, the
    shipped chain's counterpart for :func:`_shipped`), the shipped ones in brackets."""
    print(f"\n{title} (shipped in brackets)")
    for it in res:
        print(f"{it['row']['config']} | " + ", ".join(
            f"{it[v][t]:+.1f} ({_shipped(it, k):+.1f})" for v, t, k in cols))
    for name, sel in groups:
        print(f"{name} | {len(sel)} | " + ", ".join(
            f"{_mb([it[v][t] for it in sel])} ({_mb([_shipped(it, k) for it in sel])})"
            for v, t, k in cols))


def main(selected: list[dict[str, str]] | None = None) -> list[dict]:
    res = af.parts(rows() if selected is None else selected)
    print("BEVs of families absent from the EPA data, label combined from specs taken apart "
          "(%; parts in points):")
    print("config | specs | test mass part | road load part | rest (both measured) | label "
          "formula | FTP / HWFET at both | test mass vs ETW | road 50 mph vs target (at ETW)")
    for it in res:
        r, s = it["row"], split(it)
        it["split"], it["formula"] = s, label_formula_error(r)
        print(f"{r['config']} | {s['total']:+.1f} | {s['mass']:+.1f} | {s['road']:+.1f} | "
              f"{s['rest']:+.1f} | {it['formula']:+.1f} | {it['ftp']:+.1f} / "
              f"{it['hwfet']:+.1f} | {it['test_mass']:+.1f} | {it['road50']:+.1f} "
              f"({it['road50_etw']:+.1f})")
    first = {r["config"] for r in af.rows() if r["motor_kw"]}
    groups = (("absent_families.csv BEVs", [it for it in res if it["row"]["config"] in first]),
              ("absent_bevs.csv BEVs", [it for it in res if it["row"]["config"] not in first]),
              ("all", res))
    print("\ngroup | n | families | label from specs MAE (bias) | parts: test mass, road "
          "load, rest | label formula | with both: label, FTP, HWFET MAE (bias) | test mass "
          "vs ETW, road 50 mph vs target MAE (bias)")
    for name, sel in groups:
        if not sel:
            continue
        n = len(sel)
        parts = ", ".join(f"{sum(it['split'][k] for it in sel) / n:+.1f}"
                          for k in ("mass", "road", "rest"))
        print(f"{name} | {n} | {len({it['row']['family'] for it in sel})} | "
              f"{_mb([it['split']['total'] for it in sel])} | {parts} | "
              f"{_mb([it['formula'] for it in sel])} | "
              f"{_mb([it['err']['both'] for it in sel])}, {_mb([it['ftp'] for it in sel])}, "
              f"{_mb([it['hwfet'] for it in sel])} | {_mb([it['test_mass'] for it in sel])}, "
              f"{_mb([it['road50'] for it in sel])}")
    got = _variant_errors([it["row"] for it in res], {
        "inputs": lambda t, r: with_inputs(_both(t, r), r["config"]),
        "pack_specs": lambda t, r: with_pack_resistance(t),
        "pack_both": lambda t, r: with_pack_resistance(_both(t, r))})
    for it in res:
        it.update(got[it["row"]["config"]])
    _variant_table(res, groups, "with both measured settings and the published reduction / "
                   "motor type (INPUTS): label combined, FTP, HWFET %",
                   [("inputs", "comb", "both"), ("inputs", "ftp", "ftp"),
                    ("inputs", "hwfet", "hwfet")])
    _variant_table(res, groups, "trial (ev_pack, s32f; shipped 7 Dec 2026, s42b): pack "
                   "resistance tau V^2 / E, shipped BEV constants: label combined from specs, "
                   "with both measured",
                   [("pack_specs", "comb", "specs"), ("pack_both", "comb", "both")])
    a = in_data_a()
    print(f"\nin the data, the powertrain model (a) held out by family ({len(a['comb'])} EV "
          f"configurations of docs/validation.json): FTP {_mb(a['ftp'])}, HWFET "
          f"{_mb(a['hwfet'])}, combined {_mb(a['comb'])}; share of configurations at or above "
          f"the absent BEVs' mean rest: "
          f"{sum(v >= sum(it['split']['rest'] for it in res) / len(res) for v in a['comb'])}"
          f" of {len(a['comb'])}")
    return res


if __name__ == "__main__":
    main()
