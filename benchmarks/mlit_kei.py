"""MLIT's passenger kei WLTC lists as a kei WLTC check set of many families (issue 13,
4 Dec 2026): ``python benchmarks/validation_probes.py mlit_kei`` (~2 min on idle cores).

``keidesign/data/vehicles/mlit_kei_wltc.csv`` holds 736 configurations of MLIT's
passenger kei WLTC lists (March 2020, 2022, 2023, 2026): type code, engine code,
transmission, mass range, seats, WLTC figure, measures (``I`` idle stop, ``H`` hybrid),
drive, and a turbo flag on the Suzuki-built types only. What a new user's spec file also
needs (height, wheelbase, engine power and torque, turbo where the list does not say it)
is built per chassis code (the type code after the dash) and per engine, not per row:
``mlit_kei_families.csv`` (dimensions, body, engines, whether the family is in kei.csv)
and ``mlit_kei_engines.csv`` (power, torque, ISG rating, compression ratio per engine code
and version),
each with its source and status (README of the folder).

Each usable configuration becomes the spec file a new user would write from the list
and those tables (:func:`spec_text`; the same spec path as the new-user passes,
``benchmarks/newuser.py``: ``import spec --predict``, then ``evaluate``) and is run
twice: from specs alone (the predicted curb mass) and with the published curb mass
(``[mass] curb_measured`` set in the imported design: the energy model alone). Nothing is
fitted; nothing is written outside a temporary folder.

Rules (stated, not tuned):

* **Published pair.** The list gives a mass range and a WLTC figure per configuration
  (the WLTC ends are equal on every row but none); the check takes the range's lower end
  with the WLTC upper end (the lightest car of the configuration, the best figure).
* **Turbo.** ``turbo_rule`` of the chassis: ``na`` / ``turbo`` (one engine on the
  chassis), ``flag`` (Suzuki-built types: the list's その他 column says
  ``ﾀｰﾎﾞﾁｬｰｼﾞｬ付`` on every turbo), ``prefix`` (Honda and Daihatsu sell NA and turbo
  under one chassis code): where the same list holds the chassis under two type
  prefixes (the first digit of the 識別記号 is the type's fuel-economy standard level,
  e.g. ``6BA`` / ``5BA``), the lower digit is the turbo; where it shows one prefix, a row
  equal to a resolved row of another list (chassis, transmission, drive, mass range,
  WLTC) takes its resolution; the rest are left out as unresolved (counted).
* **Compression ratio**: the engine table's published ratio (``compression_ratio``,
  with its source and status; since 8 Dec 2026, task s44g) as ``engine.compression_ratio``;
  an engine without a sourced ratio leaves the key out (the import's class default).
* **Hybrid** = measure ``H``; **idle stop** = measure ``I`` (written in the spec, as the
  list says it); the ISG rating of the engine table (``engine.hybrid_motor_power``).
* **Transmission**: ``CVT`` cvt, ``5MT`` / ``6MT`` manual 5 / 6 gears (``×2``: a transfer
  box, ratio not given), ``4AT`` automatic 4, ``5AT(E)`` (Alto's AGS, measure ``AM``)
  amt 5 gears; gear ratios the import's class defaults. An automatic listed without
  ``LTC`` (lock-up torque converter: ``4AT(E)`` against the Jimny's ``4AT×2(E･LTC)``)
  says ``transmission.lockup = "none"`` (since 4 Dec 2026).
* **Drive**: ``F`` fwd, ``R`` rwd, ``A`` awd on a front-drive base, 4wd on a rear-drive
  base (Jimny, Every Wagon and twins, Atrai Wagon).
* **Sampling** (:func:`sample`): one configuration per (body family, transmission,
  drive, turbo, hybrid, idle stop), the newest list's first row of that key: repeated
  editions and badge twins of one body (Every Wagon / Scrum / Clipper Rio / Town Box,
  Tanto / Chiffon, Mira e:S / Pixis Epoch / Pleo Plus, Dayz / eK ...) are mostly the same
  figure and would weight a family by its number of badges and editions.

Printed: MAE and bias overall, per builder (maker group of the body), per family, per
transmission / drive / hybrid / turbo, in-data (the family has kei.csv rows of the kei
WLTC check) vs unseen, both paths; the largest class-wide errors (groups of >= 3).

``python benchmarks/mlit_kei.py --write-docs`` runs the same and rewrites the headline
table of docs/validation.md ("MLIT's kei lists", :func:`doc_table`; the targets table
quotes it, tests/test_docs_figures.py); ``--check`` exits 1 if the block differs.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import docblock  # benchmarks/docblock.py
import kei_paths  # benchmarks/kei_paths.py
import newuser  # benchmarks/newuser.py
import numpy as np

__all__ = ["main", "run_all", "load", "cases", "sample", "spec_text", "doc_table", "FAMILIES",
           "ENGINES", "MLIT"]

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "validation.md"

DATA = Path(__file__).resolve().parents[1] / "keidesign" / "data" / "vehicles"
MLIT = DATA / "mlit_kei_wltc.csv"
FAMILIES = DATA / "mlit_kei_families.csv"
ENGINES = DATA / "mlit_kei_engines.csv"

#: builder (who makes the body) of a family id's prefix
BUILDER = {"NMKV": "NMKV (Nissan/Mitsubishi)", "SUZ": "Suzuki-built", "DAI": "Daihatsu-built",
           "HONDA": "Honda"}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load() -> tuple[list[dict], dict[str, dict], dict[str, dict]]:
    """(MLIT rows, family rows by chassis, engine rows by id)."""
    return (_read(MLIT), {r["chassis"]: r for r in _read(FAMILIES)},
            {r["engine_id"]: r for r in _read(ENGINES)})


def _transmission(text: str) -> tuple[str, int | None, str]:
    """(spec type, gears, class label) of the list's 変速装置."""
    t = text.upper()
    if t.startswith("CVT"):
        return "cvt", None, "CVT"
    m = re.match(r"(\d)(MT|AT)", t)
    if not m:
        raise ValueError(f"transmission {text!r} not understood")
    gears, kind = int(m.group(1)), m.group(2)
    if kind == "MT":
        return "manual", gears, "manual"
    if gears == 5:  # the Alto's 5AT(E): Suzuki's AGS, an automated manual (measure AM)
        return "amt", 5, "AMT"
    return "automatic", gears, "automatic"


def _drive(code: str, base: str) -> str:
    if code == "F":
        return "fwd"
    if code == "R":
        return "rwd"
    return "4wd" if base == "rwd" else "awd"


def _group_key(r: dict) -> tuple:
    return (r["list"], r["name"], r["type"].split("-", 1)[1], r["transmission"], r["drive"],
            "I" in r["measures"].split(","))


def cases() -> tuple[list[dict], dict[str, int]]:
    """Every MLIT row resolved into a case dict (family, engine, turbo, ...); rows that
    cannot be resolved are counted by reason (``unresolved turbo``, ``no family``)."""
    rows, fams, engines = load()
    out, skipped = [], defaultdict(int)
    # (list, chassis, drive, transmission) -> type prefix digit -> WLTC figures
    by_prefix: dict[tuple, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    # (list, name, chassis, transmission, drive, idle stop) -> WLTC figures
    by_group: dict[tuple, set] = defaultdict(set)
    for r in rows:
        pre, ch = r["type"].split("-", 1)
        w = float(r["wltc_max_km_per_L"])
        by_prefix[(r["list"], ch, r["drive"], r["transmission"])][pre[0]].append(w)
        by_group[_group_key(r)].add(w)
    pending = []
    for i, r in enumerate(rows):
        pre, ch = r["type"].split("-", 1)
        fam = fams.get(ch)
        if fam is None:
            skipped["no family"] += 1
            continue
        rule = fam["turbo_rule"]
        turbo: bool | None = None
        how = ""
        if rule in ("na", "turbo"):
            turbo, how = rule == "turbo", "one engine"
        elif rule == "flag":
            turbo, how = "ﾀｰﾎﾞ" in r["other"], "list flag"
        elif r["transmission"] in fam["turbo_only_transmission"].split():
            turbo, how = True, "turbo-only transmission"
        else:
            pref = by_prefix[(r["list"], ch, r["drive"], r["transmission"])]
            if len(pref) == 2:
                lo_d, hi_d = sorted(pref)
                if max(pref[lo_d]) < min(pref[hi_d]):  # the lower level is the thirstier
                    turbo, how = pre[0] == lo_d, "prefix"
        case = {"index": i, "row": r, "chassis": ch, "family": fam, "turbo": turbo,
                "turbo_how": how, "hybrid": "H" in r["measures"].split(","),
                "idle_stop": "I" in r["measures"].split(",")}
        (pending if turbo is None else out).append(case)
    def key(c: dict) -> tuple:
        r = c["row"]
        return (c["chassis"], r["transmission"], r["drive"], r["mass_min_kg"],
                r["mass_max_kg"], r["wltc_max_km_per_L"])

    known = {key(c): c["turbo"] for c in out if c["turbo_how"] == "prefix"}
    for c in pending:
        vals = by_group[_group_key(c["row"])]
        if key(c) in known:
            c["turbo"], c["turbo_how"] = known[key(c)], "carried from another list"
        elif len(vals) > 1:
            c["turbo"] = float(c["row"]["wltc_max_km_per_L"]) == min(vals)
            c["turbo_how"] = "lowest in its group"
        else:
            skipped["unresolved turbo"] += 1
            continue
        out.append(c)
    for c in out:
        fam = c["family"]
        eid = fam["engine_turbo"] if c["turbo"] else fam["engine_na"]
        c["engine"] = engines[eid]
        c["trans"], c["gears"], c["trans_class"] = _transmission(c["row"]["transmission"])
        c["drive"] = _drive(c["row"]["drive"], fam["base_drive"])
    out.sort(key=lambda c: c["index"])
    return out, dict(skipped)


def sample(all_cases: list[dict]) -> list[dict]:
    """One case per (body family, transmission, drive, turbo, hybrid, idle stop): the
    newest list's first row of that key (badge twins with chassis codes of their own,
    e.g. the Every Wagon's Scrum / Clipper Rio / Town Box, count once)."""
    best: dict[tuple, dict] = {}
    for c in all_cases:
        r = c["row"]
        k = (c["family"]["family_id"], c["trans"], c["gears"], r["drive"], c["turbo"],
             c["hybrid"], c["idle_stop"])
        if k not in best or r["list"] > best[k]["row"]["list"]:
            best[k] = c
    return sorted(best.values(), key=lambda c: c["index"])


def spec_text(c: dict) -> str:
    """The spec file a new user writes from the list row and the two tables."""
    r, fam, eng = c["row"], c["family"], c["engine"]
    # the family's name, not the list's: its full-width space (U+3000) is refused by the
    # spec reader's printable-text check
    name = f"{fam['family']} {r['type']} {r['transmission']} {r['drive']} ({r['list']})"
    veh = ["[vehicle]", f'name = "{name}"', f"model_year = {int(r['list'][:4]) - 1}",
           'market = "jdm"', f"seats = {int(float(r['seats']))}", f'drive = "{c["drive"]}"']
    if fam["layout"] != "front":
        veh.append(f'layout = "{fam["layout"]}"')
    if fam["frame"] != "unibody":
        veh.append(f'frame = "{fam["frame"]}"')
    if fam["roof"] == "open":
        veh.append('roof = "open"')
    veh.append('source = "MLIT passenger kei WLTC list (mlit_kei_wltc.csv); '
               'mlit_kei_families.csv, mlit_kei_engines.csv"')
    dims = ["[dimensions]", f"length = {fam['length_mm']}", f"width = {fam['width_mm']}",
            f"height = {fam['height_mm']}", f"wheelbase = {fam['wheelbase_mm']}"]
    if fam["tyre"]:
        dims.append(f'tyre = "{fam["tyre"]}"')
    engine = ["[engine]", f"displacement = {eng['displacement_cc']}",
              f"power = {eng['power_kW']}", f"torque = {eng['torque_Nm']}", "cylinders = 3",
              f"turbo = {'true' if c['turbo'] else 'false'}",
              f"idle_stop = {'true' if c['idle_stop'] else 'false'}"]
    if eng.get("compression_ratio"):
        # the catalogue 圧縮比 a user copies from the spec sheet (blank: left out, the
        # import's class default by the turbo flag)
        engine.append(f"compression_ratio = {eng['compression_ratio']}")
    if c["hybrid"]:
        engine += ["hybrid = true", 'hybrid_layout = "mild"']
        if eng["isg_kW"]:
            engine.append(f"hybrid_motor_power = {eng['isg_kW']}")
    trans = ["[transmission]", f'type = "{c["trans"]}"']
    if c["gears"]:
        trans.append(f"gears = {c['gears']}")
    if c["trans"] == "automatic" and "LTC" not in r["transmission"].upper():
        # the list names no lock-up torque converter ('4AT(E)'; the Jimny's '4AT×2(E･LTC)')
        trans.append('lockup = "none"')
    return "\n".join(veh + [""] + dims + ["", "[mass]",
                     f'curb = "{float(r["mass_min_kg"]):g} kg"', ""] + engine + [""] +
                     trans) + "\n"


def run(c: dict, tmp: Path) -> dict:
    """WLTC (km/L) from specs alone and at the published curb mass, and the predicted
    curb mass, of one case."""
    stem = f"mlit_{c['index']:03d}"
    path = tmp / f"{stem}.toml"
    path.write_text(spec_text(c), encoding="utf-8")
    res = newuser.run_spec(path, tmp)
    if not res.outputs:
        raise RuntimeError(f"{c['row']['name']} {c['row']['type']}: {res.message}")
    design = kei_paths._set(res.design_text, "mass", "curb_measured",
                            f"{float(c['row']['mass_min_kg']):g}")
    full = tmp / f"{stem}_pub.toml"
    full.write_text(design, encoding="utf-8")
    code, out, err = newuser._call(["evaluate", "--json", str(full)])
    if code:
        raise RuntimeError(f"{stem}: {err}")
    pub = json.loads(out)["outputs"]
    return {"wltc_pred": float(res.outputs["energy:wltc_km_per_l"]["value"]),
            "curb_pred": float(res.outputs["mass:curb"]["value"]),
            "wltc_pub_mass": float(pub["energy:wltc_km_per_l"]["value"])}


def _stats(e: list[float]) -> str:
    a = np.asarray(e, dtype=float)
    return f"n {a.size:3d}, MAE {np.mean(np.abs(a)):5.1f} %, bias {np.mean(a):+5.1f} %"


def _groups(results: list[dict]) -> dict[str, dict[str, list[dict]]]:
    g: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for x in results:
        c = x["case"]
        fam = c["family"]
        g["all"]["all"].append(x)
        g["data"]["in kei.csv" if fam["in_kei_csv"] == "yes" else "unseen"].append(x)
        body = ("cab-over wagon (underfloor engine)" if fam["layout"] == "underfloor" else
                "ladder frame (Jimny)" if fam["frame"] == "ladder" else
                "open two-seater" if fam["roof"] == "open" else "front-engine closed unibody")
        g["body"][body].append(x)
        if body == "front-engine closed unibody" and c["trans_class"] == "CVT":
            closed = {"data": "in kei.csv" if fam["in_kei_csv"] == "yes" else "unseen",
                      "turbo": "turbo" if c["turbo"] else "NA",
                      "hybrid": "mild hybrid" if c["hybrid"] else "no hybrid",
                      "drive": "2WD" if c["row"]["drive"] in ("F", "R") else "4WD",
                      "builder": BUILDER[fam["family_id"].split("_")[0]]}
            for gname, k in closed.items():
                g[f"{gname}, closed front-engine CVT cars only"][k].append(x)
        g["builder"][BUILDER[fam["family_id"].split("_")[0]]].append(x)
        g["family"][fam["family"]].append(x)
        g["transmission"][c["trans_class"]].append(x)
        g["drive"]["2WD" if c["row"]["drive"] in ("F", "R") else "4WD"].append(x)
        g["hybrid"]["mild hybrid" if c["hybrid"] else "no hybrid"].append(x)
        g["turbo"]["turbo" if c["turbo"] else "NA"].append(x)
        g["turbo told by"][c["turbo_how"]].append(x)
        g["idle stop"]["yes" if c["idle_stop"] else "no"].append(x)
        g["dims status"][fam["dims_status"]].append(x)
    return g


def report(results: list[dict]) -> None:
    g = _groups(results)
    print("\nWLTC error against the list (specs alone | at the published curb mass) and "
          "the curb mass error (against the range):")
    classwide = []
    for gname, sub in g.items():
        print(f"  by {gname}:")
        for k in sorted(sub, key=lambda k: (-len(sub[k]), k)):
            xs = sub[k]
            e1 = [x["err_pred"] for x in xs]
            e2 = [x["err_pub"] for x in xs]
            em = [x["err_curb"] for x in xs]
            a = np.abs(e1)
            print(f"    {k:58s} {_stats(e1)} | {_stats(e2)[7:]} | curb {_stats(em)[7:]}"
                  f" | specs alone: median |e| {np.median(a):.1f} %, within 6 % "
                  f"{np.mean(a <= 6):.0%}")
            if gname != "all" and len(xs) >= 3:
                classwide.append((abs(np.mean(e2)), gname, k, len(xs), np.mean(e1),
                                  np.mean(e2), np.mean(em)))
    print("\nlargest class-wide biases (groups of >= 3 configurations, at the published "
          "curb mass; specs alone; curb):")
    for _, gname, k, n, b1, b2, bm in sorted(classwide, reverse=True)[:12]:
        print(f"  {gname}: {k} (n {n}): {b2:+.1f} % ; {b1:+.1f} % ; curb {bm:+.1f} %")


def _cell(xs: list[dict], key: str, bias: bool = True) -> str:
    e = np.asarray([x[key] for x in xs], dtype=float)
    return (f"{np.mean(np.abs(e)):.1f} % ({np.mean(e):+.1f} %)" if bias
            else f"{np.mean(np.abs(e)):.1f} %")


def doc_table(results: list[dict]) -> str:
    """The headline table of docs/validation.md ("MLIT's kei lists"): per set, the
    configurations, the body families, and WLTC from specs alone, WLTC at the published
    curb mass and the predicted curb mass against the list, each MAE (bias)."""
    g = _groups(results)
    closed = {k: g[f"{k}, closed front-engine CVT cars only"]
              for k in ("data", "turbo", "hybrid", "drive", "builder")}
    sets = [("all", g["all"]["all"]),
            ("families in kei.csv", g["data"]["in kei.csv"]),
            ("families not in kei.csv", g["data"]["unseen"]),
            ("closed front-engine CVT cars, in kei.csv", closed["data"]["in kei.csv"]),
            ("closed front-engine CVT cars, not in kei.csv", closed["data"]["unseen"]),
            ("cab-over wagons (Every Wagon and twins 4AT / CVT, Atrai Wagon 4AT)",
             g["body"]["cab-over wagon (underfloor engine)"]),
            ("Jimny JB64 (ladder frame, 5MT / 4AT)", g["body"]["ladder frame (Jimny)"]),
            ("open two-seaters (Copen LA400, S660)", g["body"]["open two-seater"]),
            ("4-speed automatics (all bodies)", g["transmission"]["automatic"])]
    def fams(xs: list[dict]) -> int:
        return len({x["case"]["family"]["family_id"] for x in xs})

    lines = ["| set | n | families | WLTC from specs alone: MAE (bias) | at the published "
             "curb: MAE (bias) | curb mass: MAE (bias) |",
             "| --- | --- | --- | --- | --- | --- |"]
    for name, xs in sets:
        lines.append(f"| {name} | {len(xs)} | {fams(xs)} | {_cell(xs, 'err_pred')} | "
                     f"{_cell(xs, 'err_pub')} | {_cell(xs, 'err_curb')} |")
    for name, parts, bias_pub in (
            ("turbo / NA", [closed["turbo"]["turbo"], closed["turbo"]["NA"]], True),
            ("mild hybrid / 4WD / 2WD", [closed["hybrid"]["mild hybrid"],
                                         closed["drive"]["4WD"], closed["drive"]["2WD"]],
             False),
            ("by builder: NMKV / Suzuki / Daihatsu / Honda",
             [closed["builder"][BUILDER[k]] for k in ("NMKV", "SUZ", "DAI", "HONDA")], True)):
        lines.append(f"| closed front-engine CVT{' ' if name.startswith('by') else ': '}{name} | "
                     + " | ".join([" / ".join(str(len(xs)) for xs in parts),
                                   " / ".join(str(fams(xs)) for xs in parts),
                                   " / ".join(_cell(xs, "err_pred") for xs in parts),
                                   " / ".join(_cell(xs, "err_pub", bias_pub) for xs in parts)])
                     + " | |")
    return "\n".join(lines)


def run_all(quiet: bool = False) -> list[dict]:
    """Every sampled configuration run from specs alone and at its published curb mass:
    per case ``{"case", "wltc_pred", "curb_pred", "wltc_pub_mass", "err_pred",
    "err_pub", "err_curb"}`` (errors in %)."""
    all_cases, skipped = cases()
    chosen = sample(all_cases)
    if not quiet:
        print(f"MLIT passenger kei WLTC lists: 736 rows; resolved {len(all_cases)}, left "
              f"out {skipped}; sampled {len(chosen)} configurations (one per "
              "body family x transmission x drive x turbo x hybrid x idle stop, newest "
              "list)")
    results = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for c in chosen:
            r = c["row"]
            out = run(c, tmp)
            pub = float(r["wltc_max_km_per_L"])
            lo, hi = float(r["mass_min_kg"]), float(r["mass_max_kg"])
            x = {"case": c, **out, "err_pred": 100 * (out["wltc_pred"] / pub - 1),
                 "err_pub": 100 * (out["wltc_pub_mass"] / pub - 1),
                 "err_curb": newuser.error_pct(out["curb_pred"], lo, hi)}
            results.append(x)
    return results


def main() -> None:
    results = run_all()
    print("\nper configuration (list, name, type, transmission, drive, turbo, hybrid: "
          "published WLTC at mass; specs alone; at the published mass; predicted curb):")
    for x in results:
        c, r = x["case"], x["case"]["row"]
        print(f"  {r['list']} {r['name']} {r['type']} {r['transmission']} {r['drive']}"
              f"{' T' if c['turbo'] else ''}{' H' if c['hybrid'] else ''}"
              f"{' I' if c['idle_stop'] else ''}: {float(r['wltc_max_km_per_L']):.1f} km/L "
              f"at {float(r['mass_min_kg']):.0f} kg; {x['wltc_pred']:.2f} "
              f"({x['err_pred']:+.1f} %); {x['wltc_pub_mass']:.2f} ({x['err_pub']:+.1f} %); "
              f"{x['curb_pred']:.0f} kg ({x['err_curb']:+.1f} %)")
    report(results)


def write_docs() -> int:
    """``--write-docs`` / ``--check``: run the probe (its full printout), then rewrite or
    compare the block of docs/validation.md with :func:`doc_table`. Exit status."""
    args = docblock.arguments(__doc__)
    results = run_all()
    report(results)
    text = doc_table(results)
    print("\n" + text)
    return docblock.write_or_check(args, DOC, "mlit_kei", text, ROOT)


if __name__ == "__main__":
    sys.exit(write_docs())
