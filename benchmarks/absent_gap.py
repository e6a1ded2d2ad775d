"""What the absent families' label gap is made of (issue 13, the owners' check; task s30h).

    python benchmarks/absent_gap.py      # 1-4 min, with label_split's cache current

``absent_families`` finds the gasoline label combined from specs 8.0 % (bias +6.7 %) on 22
configurations of 13 small-car families that ``keidesign/data/epa`` does not hold, against
5.6 % (-0.3 %) held out in the data. Earlier probes tried the spec-sheet levers one at a
time (``absent_mass``, ``power_parts``, ``power_parts_held``, ``absent_roadload``,
``roadload_parasitic``, ``roadload_tyre``, ``twin_ratio``; docs/validation.md and
docs/mass_cost.md). This probe asks which rows carry the gap and whether the in-data cars
show the same pattern, so that a class-wide term could be fitted on them. Nothing is
fitted here and no model constant changes; every figure is a diagnosis:

1. **Shares** (:func:`shares`): the absent gasoline rows (``absent_families.run``) by
   transmission class: MAE, bias, and the points of the all-row bias each group carries
   (its error sum over the 22 rows).
2. **Twin split** (:func:`twin_split`): each absent automatic (or DCT / CVT) with a manual
   twin in the sample (same family, model year and engine) split exactly into the
   manual twin's error and the twin-ratio error ``(1 + e_other) / (1 + e_manual) - 1``
   (the model's other / manual label ratio against the published one): the shared part
   (body, mass, road load, engine) and the gearbox's own; then the same on the twins
   with EPA test cars at their measured ETW and target coast-down
   (``absent_families.parts``' ``both`` variant), where mass and road load are out.
3. **Model year in the data** (:func:`era_kernel`, :func:`era_specs`): the in-data
   gasoline configurations by transmission class, gear count and model-year band
   (2011-14, 2015-18, 2019-23): the (a) kernel held out by family on the measured
   dynamometer settings (``docs/validation.json``, ``lofo`` rows: the 55/45 harmonic
   combination of FTP and HWFET against the measured one) and the label combined from
   specs held out (``validation_probes.label_split_rows``' cache, with its parts: test
   mass, road load, the import's inputs, the kernel, the label formula; read only when
   current: ``python benchmarks/validation_probes.py label_split`` computes it, ~12 min
   on idle cores). Is an older six-speed automatic optimistic in the data, as the absent
   ones are? And the in-data twins' ratio error (:func:`twin_ratio_errors`) on both.
4. **Coast-down twins** (:func:`coastdown_twins`): the EPA target road load of each
   in-data automatic, CVT and DCT configuration over its manual twin's (same year, make,
   model, displacement, rated power, drive) at 20 / 50 / 70 mph, and the rolling level
   ``A / (m g)`` difference; the absent MINI twins' the same from their test cars
   (``absent_families.csv``). Does a stepped automatic's coast-down sit above its
   manual's in the data by what it does on the MINIs?
5. **Mass by maker** (:func:`mass_by_make`): the curb mass of the 97 fit cars held out by
   family (``keidesign.mass.calibration.lofo``) by make: the spread a content or
   construction term would have to carry, next to the absent rows' curb error.
6. **Lock-up what-if** (:func:`lockup_whatif`): the absent stepped automatics from specs
   with the converter locked in every gear (the model's rule for every automatic), in
   the top gear only and never (``powertrain.converter_lockup``, a design key): the size
   of what a gearbox's lock-up range could hold of their twin-ratio error. A diagnosis
   on these rows only: a lock-up rule for the 5+ speed automatics would be judged on the
   in-data automatics first (the 4-speed one was, 4 Dec 2026, and not kept).

Why no model-year term is tried: a design has no model year (the tool predicts cars not
built yet), so a term in the year would extrapolate to every design beyond the data's
2023 and describe no part.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import absent_families as af
import numpy as np
import tomlkit

from keidesign.units import convert

ROOT = Path(__file__).resolve().parents[1]
VALIDATION_JSON = ROOT / "docs" / "validation.json"
#: model-year bands of the in-data tables (first, last year)
ERAS = ((2011, 2014), (2015, 2018), (2019, 2023))
#: target road-load speeds of :func:`coastdown_twins`, mph
MPH = (20.0, 50.0, 70.0)
MPH_MS = 0.44704
G = 9.80665
LB_KG = 0.45359237
LBF_N = 4.4482216152605


def era(year: int) -> str:
    """The model-year band of ``year`` (:data:`ERAS`), e.g. ``"2011-14"``."""
    for a, b in ERAS:
        if a <= year <= b:
            return f"{a}-{b % 100:02d}"
    raise ValueError(f"model year {year} outside {ERAS[0][0]}-{ERAS[-1][1]}")


def comb(ftp: float, hwfet: float) -> float:
    """The 55/45 harmonic combination of FTP and HWFET (mpg), 40 CFR 600.206(a)(3)."""
    return 1.0 / (0.55 / ftp + 0.45 / hwfet)


def _ms(e: Iterable[float]) -> str:
    a = np.asarray(list(e), float)
    return f"{np.mean(np.abs(a)):.1f} % ({np.mean(a):+.1f} %)" if a.size else "-"


# ----------------------------------------------------------------- 1. shares, 2. twins
def shares(res: Sequence[dict]) -> list[tuple[str, int, float, float, float]]:
    """``(group, n, MAE %, bias %, points of the all-row bias)`` of the gasoline rows of
    ``absent_families.run``'s result, all rows first, then by transmission class."""
    gas = [it for it in res if it["pred"] and not it["row"]["motor_kw"]]
    n_all = len(gas)
    groups: dict[str, list[float]] = defaultdict(list)
    for it in gas:
        groups[af.trans_class(it["row"])].append(it["err"]["combined"])
    out = []
    for name, errs in [("all", [it["err"]["combined"] for it in gas])] + sorted(groups.items()):
        a = np.array(errs)
        out.append((name, len(a), float(np.mean(np.abs(a))), float(np.mean(a)),
                    float(a.sum() / n_all)))
    return out


def twin_key(r: dict[str, str]) -> tuple[str, str, str, str]:
    """What an absent row's twins share: family, model year, displacement, turbo."""
    return r["family"], r["model_year"], r["displacement_cm3"], r["turbo"]


def twin_split(res: Sequence[dict]) -> list[dict]:
    """Each non-manual gasoline row with a manual twin in ``res``: its label combined
    error (%) = the manual twin's error + the twin-ratio error (exact in ratios:
    ``(1 + e) = (1 + e_manual) (1 + e_ratio)``)."""
    gas = [it for it in res if it["pred"] and not it["row"]["motor_kw"]]
    manual = {twin_key(it["row"]): it for it in gas if af.trans_class(it["row"]) == "manual"}
    out = []
    for it in gas:
        cls = af.trans_class(it["row"])
        m = manual.get(twin_key(it["row"]))
        if cls == "manual" or m is None:
            continue
        e, em = it["err"]["combined"] / 100.0, m["err"]["combined"] / 100.0
        pub = (af.published(it["row"], "combined") / af.published(m["row"], "combined"))
        mod = it["pred"]["combined"] / m["pred"]["combined"]
        out.append({"config": it["row"]["config"], "twin": m["row"]["config"], "cls": cls,
                    "gears": it["row"].get("gears", ""),
                    "err": 100.0 * e, "manual": 100.0 * em,
                    "ratio": 100.0 * ((1.0 + e) / (1.0 + em) - 1.0),
                    "published_ratio": pub, "model_ratio": mod})
    return out


# --------------------------------------------------------------------- 3. model year
def _parse_car(car: str) -> tuple[int, str, int]:
    """(model year, transmission code, gears) of a validation.json ``car`` string such
    as ``2011 CHEVROLET AVEO 16X5HV553A at4 1304kg`` (``cvt`` has no gear count: 0)."""
    m = re.match(r"(\d{4}) .* ([a-z]+?)(\d*) \d+kg$", car)
    if m is None:
        raise ValueError(f"not a validation.json car name: {car!r}")
    return int(m.group(1)), m.group(2), int(m.group(3) or 0)


def kernel_rows(path: Path = VALIDATION_JSON) -> list[dict]:
    """The gasoline (a) kernel rows held out by family (``lofo``) of ``validation.json``:
    class, gears, model year, family, EPA test numbers and the combined, FTP and HWFET
    errors (%)."""
    cars = json.loads(path.read_text(encoding="utf-8"))["cars"]
    out = []
    for r in cars:
        if r["constants"] != "lofo" or r["class"] in ("ev", "hybrid"):
            continue
        year, _, gears = _parse_car(r["car"])
        e = comb(r["ftp_model"], r["hwfet_model"]) / comb(r["ftp_measured"],
                                                          r["hwfet_measured"]) - 1.0
        out.append({"cls": r["class"], "gears": gears, "year": year, "family": r["family"],
                    "tests": tuple(sorted(r["test_numbers"])), "err": 100.0 * e,
                    "ftp": 100.0 * (r["ftp_model"] / r["ftp_measured"] - 1.0),
                    "hwfet": 100.0 * (r["hwfet_model"] / r["hwfet_measured"] - 1.0)})
    return out


def _twin_group(c) -> tuple:
    """What an in-data configuration's twins share (``twin_ratio``'s grouping): year,
    make, model, displacement, rated power, drive."""
    return c.year, c.make, c.model, round(c.vd, 1), c.hp, c.drive


def twin_ratio_errors(items: Sequence[tuple]) -> list[dict]:
    """In-data twins of ``items`` (``(TestCar, error %)`` pairs): every automatic, CVT
    and DCT configuration against each manual of its :func:`_twin_group`, the ratio
    error ``(1 + e) / (1 + e_manual) - 1`` (%), with the class, gears, year and family
    of the non-manual twin (the rows :func:`by_class_era` groups)."""
    g: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for car, e in items:
        g[_twin_group(car)][car.cls].append((car, e))
    out = []
    for d in g.values():
        for cls in ("automatic", "cvt", "dct"):
            for car, e in d.get(cls, []):
                for _, em in d.get("manual", []):
                    out.append({"cls": cls, "gears": car.n_gears, "year": car.year,
                                "family": car.family,
                                "err": 100.0 * ((1.0 + e / 100.0) / (1.0 + em / 100.0) - 1.0)})
    return out


def _cars_by_tests() -> dict[tuple[str, ...], object]:
    from keidesign.energy import testcars as tc

    return {tuple(sorted(c.test_numbers)): c for c in tc.test_cars()}


def by_class_era(rows: Sequence[dict], value: str = "err", min_n: int = 3
                 ) -> list[tuple[str, str, int, int, float, float]]:
    """``(class + gears, era, n, families, MAE, bias)`` of ``rows`` (dicts with ``cls``,
    ``gears``, ``year``, ``family`` and ``value``), groups of at least ``min_n``."""
    g: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        name = r["cls"] + (f" {r['gears']}" if r["cls"] != "cvt" and r["gears"] else "")
        g[(name, era(r["year"]))].append(r)
    out = []
    for (name, band), rs in sorted(g.items()):
        if len(rs) < min_n:
            continue
        a = np.array([r[value] for r in rs], float)
        out.append((name, band, len(rs), len({r["family"] for r in rs}),
                    float(np.mean(np.abs(a))), float(np.mean(a))))
    return out


def era_kernel() -> None:
    rows = kernel_rows()
    print(f"\n3a. (a) kernel held out by family (docs/validation.json lofo rows), {len(rows)} "
          "gasoline configurations: combined (55/45 harmonic) error by class, gears and "
          "model year | n | families | MAE | bias | FTP bias | HWFET bias")
    ftp = {(n, b): v for n, b, *_, v in by_class_era(rows, "ftp")}
    hw = {(n, b): v for n, b, *_, v in by_class_era(rows, "hwfet")}
    for name, band, n, nf, mae, bias in by_class_era(rows):
        print(f"  {name:12s} {band} | {n:3d} | {nf:2d} | {mae:.1f} | {bias:+.1f} | "
              f"{ftp[(name, band)]:+.1f} | {hw[(name, band)]:+.1f}")
    by_tests = _cars_by_tests()
    twins = twin_ratio_errors([(by_tests[r["tests"]], r["err"]) for r in rows])
    _print_twins("3c. the same (a) kernel, twin ratio error other / manual (%)", twins)


def _print_twins(title: str, twins: Sequence[dict]) -> None:
    print(f"\n{title}, {len(twins)} pairs | pairs | families | MAE | mean")
    for name, band, n, nf, mae, bias in by_class_era(twins, min_n=2):
        print(f"  {name:12s} {band} | {n:3d} | {nf:2d} | {mae:.1f} | {bias:+.1f}")


def era_specs() -> None:
    import result_cache
    import validation_probes as vp

    path = Path(vp.LABEL_SPLIT_CACHE)
    held = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if (held.get("model") != result_cache.model_fingerprint()
            or held.get("probe") != result_cache.probe_fingerprint(vp.__file__)):
        print("\n3b. label from specs by model year: label_split's cache is missing or "
              "stale; run `python benchmarks/validation_probes.py label_split` first")
        return
    rows = vp.label_split_rows()
    parts = vp._split_parts(rows)
    flat = []
    for i, r in enumerate(rows):
        flat.append({"cls": r["cls"], "gears": r["gears"], "year": r["year"],
                     "family": r["family"],
                     **{k: 100.0 * float(v[i]) for k, v in parts.items()}})
    print(f"\n3b. label combined from specs held out (label_split's chain), {len(flat)} "
          "labelled gasoline configurations, by class, gears and model year | n | "
          "families | MAE | bias | bias parts: test mass, road load, inputs, kernel, "
          "formula (points)")
    means = {k: {(n, b): v for n, b, *_, v in by_class_era(flat, k)}
             for k in ("mass", "road", "inputs", "kernel", "formula")}
    for name, band, n, nf, mae, bias in by_class_era(flat, "specs"):
        p = ", ".join(f"{means[k][(name, band)]:+.1f}" for k in means)
        print(f"  {name:12s} {band} | {n:3d} | {nf:2d} | {mae:.1f} | {bias:+.1f} | {p}")
    by_tests = _cars_by_tests()
    items = [(by_tests[tuple(sorted(r["test_numbers"]))], 100.0 * float(parts["specs"][i]))
             for i, r in enumerate(rows)]
    _print_twins("3d. label combined from specs held out, twin ratio error other / manual "
                 "(%)", twin_ratio_errors(items))


# ---------------------------------------------------------------- 4. coast-down twins
def _force(a: float, b: float, c: float, mph: float) -> float:
    return a + b * mph + c * mph * mph


def coastdown_pairs(cars: Sequence) -> list[dict]:
    """In-data twins (:class:`keidesign.energy.testcars.TestCar`, gasoline): every
    automatic, CVT and DCT configuration against each manual of the same year, make,
    model, displacement, rated power and drive: target road load ratio other / manual
    at :data:`MPH` (%), the rolling level ``A / (m g)`` difference and the ETW ratio."""
    g: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for c in cars:
        if c.cls in ("ev", "hybrid"):
            continue
        g[(c.year, c.make, c.model, round(c.vd, 1), c.hp, c.drive)][c.cls].append(c)
    out = []
    for d in g.values():
        for cls in ("automatic", "cvt", "dct"):
            for o in d.get(cls, []):
                for m in d.get("manual", []):
                    out.append({
                        "cls": cls, "year": o.year, "family": o.family, "gears": o.n_gears,
                        "force": [100.0 * (_force(o.a_lbf, o.b_lbf_mph, o.c_lbf_mph2, v)
                                           / _force(m.a_lbf, m.b_lbf_mph, m.c_lbf_mph2, v)
                                           - 1.0) for v in MPH],
                        "a_mg": (o.a_lbf * LBF_N / (o.etw * G)
                                 - m.a_lbf * LBF_N / (m.etw * G)),
                        "etw": 100.0 * (o.etw / m.etw - 1.0)})
    return out


def absent_coastdown_pairs(rows: Sequence[dict[str, str]] | None = None) -> list[dict]:
    """The absent rows' twins with EPA test cars (``absent_families.csv`` ``testcar_*``)
    as :func:`coastdown_pairs` sets them."""
    rows = [r for r in (af.rows() if rows is None else rows)
            if r["testcar_etw_lb"] and not r["motor_kw"]]
    manual = {twin_key(r): r for r in rows if af.trans_class(r) == "manual"}
    out = []
    for r in rows:
        m = manual.get(twin_key(r))
        if af.trans_class(r) == "manual" or m is None:
            continue

        def abc(x):
            return (float(x["testcar_a_lbf"]), float(x["testcar_b_lbf_mph"]),
                    float(x["testcar_c_lbf_mph2"]))
        (a, b, c), (am, bm, cm) = abc(r), abc(m)
        etw, etw_m = (float(x["testcar_etw_lb"]) * LB_KG for x in (r, m))
        out.append({"config": r["config"], "cls": af.trans_class(r),
                    "force": [100.0 * (_force(a, b, c, v) / _force(am, bm, cm, v) - 1.0)
                              for v in MPH],
                    "a_mg": a * LBF_N / (etw * G) - am * LBF_N / (etw_m * G),
                    "etw": 100.0 * (etw / etw_m - 1.0)})
    return out


def coastdown_twins() -> None:
    from keidesign.energy import testcars as tc

    pairs = coastdown_pairs(tc.test_cars())
    print("\n4. target road load of a configuration over its manual twin's, in the data "
          "(same year, make, model, engine, drive) | pairs | families | 20 / 50 / 70 mph "
          "mean (median) % | A/(m g) difference mean | ETW mean %")
    for cls in ("automatic", "cvt", "dct"):
        for band in (None,) + tuple(f"{a}-{b % 100:02d}" for a, b in ERAS):
            sel = [p for p in pairs if p["cls"] == cls
                   and (band is None or era(p["year"]) == band)]
            if not sel:
                continue
            f = np.array([p["force"] for p in sel])
            print(f"  {cls:9s} {band or 'all':7s} | {len(sel):3d} | "
                  f"{len({p['family'] for p in sel}):2d} | "
                  + " / ".join(f"{m:+.1f} ({md:+.1f})" for m, md in
                               zip(f.mean(0), np.median(f, 0), strict=True))
                  + f" | {np.mean([p['a_mg'] for p in sel]):+.4f} | "
                  f"{np.mean([p['etw'] for p in sel]):+.1f}")
    print("  absent twins with test cars (absent_families.csv):")
    for p in absent_coastdown_pairs():
        print(f"  {p['config']:20s} {p['cls']:9s} | "
              + " / ".join(f"{x:+.1f}" for x in p["force"])
              + f" | {p['a_mg']:+.4f} | {p['etw']:+.1f}")


# ------------------------------------------------------- 6. lock-up what-if (a diagnosis)
def with_lockup(design_text: str, lockup: str) -> str:
    """The imported design with ``powertrain.converter_lockup = lockup`` (the design key
    of :data:`keidesign.energy.powertrains.CONVERTER_LOCKUP`)."""
    doc = tomlkit.parse(design_text)
    if "powertrain" not in doc:
        doc.add("powertrain", tomlkit.table())
    doc["powertrain"]["converter_lockup"] = lockup
    return tomlkit.dumps(doc)


def lockup_whatif(lockups: Sequence[str] = ("top", "none")) -> list[dict]:
    """The absent stepped automatics (``trans_class`` automatic) from specs with their
    converter locked in every gear (the model's default for every automatic), in the top
    gear only and never: label combined error (%) of each. A what-if on how much of the
    twin-ratio error a lock-up range could hold, not a model change."""
    import newuser

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for r in af.rows():
            if af.trans_class(r) != "automatic":
                continue
            spec = base / f"{r['config']}.toml"
            spec.write_text(af.spec_text(r), encoding="utf-8")
            res = newuser.run_spec(spec, base)
            pub = af.published(r, "combined")
            item = {"config": r["config"], "err": {}}
            for lockup in ("all", *lockups):
                design = base / f"{r['config']}_{lockup}.toml"
                design.write_text(with_lockup(res.design_text, lockup), encoding="utf-8")
                code, txt, err = newuser._call(["evaluate", "--json", str(design)])
                if code != 0:
                    raise RuntimeError(f"{design.name}: {err.strip()}")
                o = json.loads(txt)["outputs"][af.LABEL["combined"][2]]
                pred = convert(float(o["value"]), o["units"], "mi/galUS")
                item["err"][lockup] = 100.0 * (pred / pub - 1.0)
            out.append(item)
    return out


# ------------------------------------------------------------------- 5. mass by make
def mass_by_make() -> list[tuple[str, int, float, float]]:
    """``(make, n, MAE %, bias %)`` of the 97 fit cars' curb mass held out by family
    (the shipped law's :func:`keidesign.mass.calibration.lofo`), makes by bias."""
    from keidesign.mass import calibration as mc

    cars = mc.read_cars()
    lo = mc.lofo(cars)
    g: dict[str, list[float]] = defaultdict(list)
    for d in cars:
        g[d.family.split()[0]].append(100.0 * (lo[d.name][0] / d.curb_pub - 1.0))
    out = [(k, len(v), float(np.mean(np.abs(v))), float(np.mean(v))) for k, v in g.items()]
    return sorted(out, key=lambda t: t[3])


def main() -> None:
    res = af.run()
    print("1. absent gasoline rows, label combined from specs | n | MAE | bias | points "
          "of the all-row bias")
    for name, n, mae, bias, pts in shares(res):
        print(f"  {name:9s} | {n:2d} | {mae:.1f} % | {bias:+.1f} % | {pts:+.2f}")
    rest = [it["err"]["combined"] for it in res if it["pred"] and not it["row"]["motor_kw"]
            and af.trans_class(it["row"]) != "automatic"]
    print(f"  without the stepped automatics: n {len(rest)}, {_ms(rest)}")
    split = twin_split(res)
    print("\n2. the absent rows with a manual twin: error = manual twin's error + twin-ratio "
          "error (%) | published / model label ratio other / manual")
    for s in split:
        print(f"  {s['config']:20s} {s['cls']:9s} {s['err']:+6.1f} = {s['manual']:+5.1f} "
              f"(+) {s['ratio']:+5.1f} | {s['published_ratio']:.3f} / {s['model_ratio']:.3f}")
    groups: dict[str, list[dict]] = defaultdict(list)
    for s in split:
        groups[s["cls"]].append(s)
        if s["cls"] == "automatic":
            groups[f"automatic {s['gears']}-speed"].append(s)
    for name, sel in sorted(groups.items()):
        print(f"  {name}: n {len(sel)}, error {_ms(s['err'] for s in sel)}, manual twins "
              f"{_ms(s['manual'] for s in sel)}, twin ratio {_ms(s['ratio'] for s in sel)}")
    pr = {it["row"]["config"]: it for it in af.parts()}
    print("  the same twins with their test cars' measured ETW and target coast-down (the "
          "absent_families 'both' variant): error = manual twin's (+) twin ratio (%)")
    for s in split:
        a, m = pr.get(s["config"]), pr.get(s["twin"])
        if a is None or m is None:
            continue
        e, em = a["err"]["both"], m["err"]["both"]
        print(f"  {s['config']:20s} {s['cls']:9s} {e:+6.1f} = {em:+5.1f} (+) "
              f"{100.0 * ((1 + e / 100) / (1 + em / 100) - 1):+5.1f}")
    era_kernel()
    era_specs()
    coastdown_twins()
    print("\n5. curb mass of the 97 fit cars held out by family, by make | n | MAE | bias")
    for make, n, mae, bias in mass_by_make():
        print(f"  {make:11s} | {n:2d} | {mae:.1f} % | {bias:+.1f} %")
    curb = [it["curb_err"] for it in res if it["pred"] and not it["row"]["motor_kw"]
            and "curb_err" in it]
    mini = [it["curb_err"] for it in res if it["pred"] and not it["row"]["motor_kw"]
            and "curb_err" in it and it["row"]["make"] == "MINI"]
    print(f"  absent gasoline rows against autoevolution: n {len(curb)}, {_ms(curb)}; "
          f"MINI n {len(mini)}, {_ms(mini)}")
    wi = lockup_whatif()
    print("\n6. what-if: the absent stepped automatics from specs with the converter "
          "locked in every gear (the model) / the top gear only / never "
          "(powertrain.converter_lockup), label combined error %")
    for it in wi:
        print(f"  {it['config']:20s} " + " / ".join(f"{v:+.1f}" for v in it["err"].values()))
    print("  all: " + " / ".join(f"{k} {_ms(it['err'][k] for it in wi)}"
                                 for k in wi[0]["err"]))


if __name__ == "__main__":
    main()
