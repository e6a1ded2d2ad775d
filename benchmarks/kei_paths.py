"""The kei WLTC check's path against a new user's path on the same cars, and the kei class
defaults (issue 13, 4 Dec 2026): ``python benchmarks/validation_probes.py kei_paths``
(~35 s).

1. **The two paths on the same cars.** Each kei.csv ICE configuration of the kei WLTC
   check (:func:`keidesign.energy.calibration.kei_wltc_check`, 13 rows) is written as a
   new user writes a spec file (:func:`spec_text`: only what the third new-user pass's
   files hold: dimensions, the published curb mass, engine cc / kW / N m / turbo,
   transmission, drive, hybrid yes/no) and run as ``benchmarks/newuser_kei3.py`` runs
   those (``import spec --predict``, then ``evaluate``). Printed per car: the check's
   error, the new-user path's, the new-user path's design with every input of the check
   it lacks (the paths agree when it equals the check's), and what each of those inputs
   is worth alone (:func:`check_inputs`: the published curb mass, idle stop, the ISG
   rating, the tyre, the compression ratio, the rated speed, the frontal area).
2. **Idle stop in MLIT's lists** (``keidesign/data/vehicles/mlit_kei_wltc.csv``): the
   share of the passenger kei WLTC configurations with idle stop, by list and group, the
   basis of :func:`keidesign.specs.build.kei_idle_stop_default`.
3. **The import's kei idle-stop default, before (none) -> after** on every kei figure we
   have: the kei WLTC check (its rows that had no idle stop before 4 Dec 2026, now read
   in MLIT's lists), the new-user path on the check's rows, and the kei WLTC / JC08
   figures of the three new-user passes (``tests/data/newuser``), each set separately.
4. **The kei ISG's mass**: the build-up's hybrid terms on a kei ISG against the published
   hybrid / non-hybrid twins of MLIT's lists, and what importing kei.csv's mild hybrids
   as ISG hybrids (``import vehicle``) would do to the held-out mass calibration (the
   recorded fit data with the hybrid's groups added; nothing written).
5. **The NMKV CVT's published gearing** (what-if): the 2019 Dayz / eK's Jatco CVT-S
   (JF021E) 2.411-0.404, final drive 6.540 (Motor Fan, 28 Mar 2019, read in the
   kingsoft mirror home.kingsoft.jp/news/transport/motorfan/10008884.html, R; the
   earlier JF015E 4.007-0.550, final 4.575 NA / 4.283 turbo) on the check's Dayz rows and
   the third pass's Roox (same platform, CVT assumed the same), against the class default
   (``TRANSMISSION_DEFAULTS["cvt"]``: 2.5-0.45, final 5.0).

Nothing is fitted; nothing is written outside a temporary folder.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import docblock  # benchmarks/docblock.py
import newuser  # benchmarks/newuser.py
import newuser_kei3  # benchmarks/newuser_kei3.py
import numpy as np

from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import vehicle as ev
from keidesign.energy.roadload import FRONTAL_AREA_FACTOR
from keidesign.energy.testcars import parse_tyre
from keidesign.specs import build

__all__ = ["main", "spec_text", "check_rows", "check_inputs", "mlit_rows", "idle_shares",
           "BEFORE_IDLE", "mass_whatif", "mass_line", "doc_block"]

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "validation.md"

MLIT = Path(__file__).resolve().parents[1] / "keidesign" / "data" / "vehicles" / \
    "mlit_kei_wltc.csv"
#: The import's idle stop before 4 Dec 2026 (none unless the source says): the line the
#: kei default writes, replaced in an imported design.
BEFORE_IDLE = ((r"^idle_stop = true .*\[assumed\].*$", "idle_stop = false"),)
#: The twins' lists: up to March 2023 (the 2026 list pairs the NMKV cars' 2025 generation
#: without a hybrid with the earlier one's hybrids, which are not twins).
TWIN_LISTS_UNTIL = "2023-03"
#: kei.csv rows the check ran without idle stop before 4 Dec 2026 (blank ``idle_stop``,
#: N-Box in ``KEI_CASES`` as False); MLIT's lists give every one idle stop.
CHECK_IDLE_BEFORE_OFF = (("Honda N-Box", "NA FF"), ("Honda N-Box", "Custom turbo FF"),
                         ("Honda N-WGN", "L Honda SENSING NA FF"),
                         ("Honda N-One", "RS turbo 6MT FF"), ("Nissan Dayz", "X NA FF"),
                         ("Nissan Dayz", "Highway Star X hybrid FF"))


def _stats(e: list[float]) -> str:
    a = np.asarray(e, dtype=float)
    return f"n {a.size}, MAE {np.mean(np.abs(a)):.1f} %, bias {np.mean(a):+.1f} %"


def check_rows() -> list[tuple[tuple, dict]]:
    """(the check's case tuple ``(row, style, idle stop, ISG kW, transmission, drive, tyre
    diameter, set, basis)``, its result) of the check's ICE rows, in its order."""
    todo = cal._kei_todo()
    res = cal.kei_wltc_check()
    return [(t, r) for t, r in zip(todo, res, strict=True) if r["unit"] == "km/L"]


def _drive(r: dict) -> str:
    v = (r.get("drive") or "").upper()
    return "awd" if v in ("4WD", "AWD") or "4WD" in r["variant"].upper() else "fwd"


def spec_text(r: dict) -> str:
    """A new user's spec file of the kei.csv row ``r`` (what the third pass's files hold)."""
    hybrid = "hybrid" in r["powertrain"].lower()
    eng = [f"displacement = {r['displacement_cc']}", f"power = {r['power_kW']}",
           f"torque = {r['torque_Nm']}", "cylinders = 3",
           f"turbo = {'true' if r['turbo'] == 'yes' else 'false'}",
           f"hybrid = {'true' if hybrid else 'false'}"]
    if hybrid:
        eng.append('hybrid_layout = "mild"')
    return "\n".join([
        "[vehicle]", f'name = "{r["model"]} {r["variant"]}"',
        f"model_year = {int(r['years'][:4])}", 'market = "jdm"',
        f"seats = {r.get('seats') or 4}", f'drive = "{_drive(r)}"',
        'source = "keidesign/data/vehicles/kei.csv (the kei WLTC check row)"', "",
        "[dimensions]", f"length = {r['length_mm']}", f"width = {r['width_mm']}",
        f"height = {r['height_mm']}", f"wheelbase = {r['wheelbase_mm']}", "",
        "[mass]", f'curb = "{r["curb_mass_kg"]} kg"', "", "[engine]", *eng, "",
        "[transmission]", f'type = "{r.get("transmission") or "cvt"}"', ""])


def _set(text: str, table: str, key: str, value: str) -> str:
    """``key = value`` in ``[table]`` of a design file's text (replaced or added)."""
    pat = re.compile(rf"^{re.escape(key)} = .*$", re.M)
    head = f"[{table}]\n"
    start = text.index(head) + len(head)
    end = text.find("\n[", start)
    end = len(text) if end < 0 else end + 1
    block = text[start:end]
    block = pat.sub(f"{key} = {value}", block) if pat.search(block) else (
        f"{key} = {value}\n" + block)
    return text[:start] + block + text[end:]


def check_inputs(case: tuple, design: str, area_model: float
                 ) -> dict[str, tuple[tuple[str, str, str], ...]]:
    """The check's inputs for its case ``case`` that the imported ``design`` (a new
    user's) does not have, as design edits ``(table, key, value)``, by name."""
    r, style, idle, hyb = case[:4]
    out: dict[str, tuple] = {"curb mass": (("mass", "curb_measured", r["curb_mass_kg"]),)}
    if re.search(r"^idle_stop = (\w+)", design, re.M).group(1) != str(idle).lower():
        out["idle stop"] = (("powertrain.ice", "idle_stop", str(idle).lower()),)
    if hyb and hyb != pt.KEI_ISG_KW:
        out["ISG kW"] = (("powertrain.ice", "hev_motor_power", f"{hyb:g}"),)
    tyre = parse_tyre(r.get("tyre", ""))
    if tyre and tuple(tyre) != (155, 65, 14):
        out["tyre"] = tuple(("body", k, f"{v:g}") for k, v in
                            zip(("tyre_width", "tyre_aspect", "rim_diameter"), tyre,
                                strict=True))
    if r.get("compression_ratio"):
        cr = float(r["compression_ratio"])
        if cr != pt.COMPRESSION_RATIO_DEFAULT[r["turbo"] == "yes"]:
            out["compression ratio"] = (("powertrain.ice", "compression_ratio", f"{cr:g}"),)
    out["rated speed"] = (("powertrain.ice", "rated_speed",
                           "6000" if r["turbo"] == "yes" else "7000"),)
    # the check's frontal area (FRONTAL_AREA_FACTOR W H) against the body model's, as Cd
    area = FRONTAL_AREA_FACTOR * float(r["width_mm"]) * float(r["height_mm"]) * 1e-6
    out["frontal area"] = (("road", "cd", f"{cal.KEI_CD[style] * area / area_model:.5f}"),)
    return out


def _evaluate(design: str, edits: tuple, tmp: Path, stem: str) -> float:
    for table, key, value in edits:
        design = _set(design, table, key, value)
    path = tmp / f"{stem}.toml"
    path.write_text(design, encoding="utf-8")
    code, out, err = newuser._call(["evaluate", "--json", str(path)])
    if code:
        raise RuntimeError(f"{stem}: {err}")
    return float(json.loads(out)["outputs"]["energy:wltc_km_per_l"]["value"])


def paths(tmp: Path) -> dict[str, list[float]]:
    """Part 1; returns the errors (%) of the check and of the new-user path (after and
    before the idle-stop default) per row."""
    print("1. the kei WLTC check's 13 ICE rows written as a new user's spec files "
          "(import spec --predict, evaluate): error %")
    errs: dict[str, list[float]] = {"check": [], "new user": [], "new user, no idle stop": [],
                                    "every check input": []}
    for i, (case, res) in enumerate(check_rows()):
        r = case[0]
        path = tmp / f"k{i}.toml"
        path.write_text(spec_text(r), encoding="utf-8")
        run = newuser.run_spec(path, tmp)
        if not run.outputs:
            raise RuntimeError(f"{r['model']}: {run.message}")
        o = run.outputs
        meas = float(r["wltc_km_per_L"])
        v = float(o["energy:wltc_km_per_l"]["value"])

        def e(x: float, meas: float = meas) -> float:
            return 100.0 * (x / meas - 1.0)

        design = run.design_text
        edits = check_inputs(case, design, float(o["body:frontal_area"]["value"]))
        every = tuple(x for ed in edits.values() for x in ed)
        v_all = _evaluate(design, every, tmp, f"k{i}_all")
        before = design
        for pat, rep in BEFORE_IDLE:
            before = re.sub(pat, rep, before, flags=re.M)
        v_before = _evaluate(before, (), tmp, f"k{i}_before")
        errs["check"].append(100.0 * res["error"])
        errs["new user"].append(e(v))
        errs["new user, no idle stop"].append(e(v_before))
        errs["every check input"].append(e(v_all))
        one = ", ".join(f"{name} {e(_evaluate(design, ed, tmp, f'k{i}_one')) - e(v):+.1f}"
                        for name, ed in edits.items())
        print(f"  {r['model']} {r['variant']}: check {100 * res['error']:+.1f}, new user "
              f"{e(v):+.1f} (curb {float(o['mass:curb']['value']):.0f} vs "
              f"{r['curb_mass_kg']} kg), with every check input {e(v_all):+.1f}; alone (pt): "
              f"{one}")
    for k, v in errs.items():
        print(f"  {k}: {_stats(v)}")
    return errs


def mlit_rows() -> list[dict[str, str]]:
    with MLIT.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _group(r: dict[str, str]) -> str:
    m = r["measures"].split(",")
    if "H" in m:
        return "hybrid"
    t = r["transmission"].upper()
    if "CVT" in t:
        return "cvt"
    return "manual" if ("MT" in t or "AM" in m) else "automatic"


def idle_shares(rows: list[dict[str, str]] | None = None) -> dict[str, tuple[int, int]]:
    """(configurations with idle stop, configurations) of MLIT's passenger kei WLTC lists
    by group (``hybrid``, else the transmission family), all lists together."""
    out: dict[str, list[int]] = {}
    for r in rows if rows is not None else mlit_rows():
        c = out.setdefault(_group(r), [0, 0])
        c[0] += "I" in r["measures"].split(",")
        c[1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def idle_table() -> None:
    rows = mlit_rows()
    print("\n2. idle stop in MLIT's passenger kei WLTC lists (configurations with 'I' / all):")
    groups = ("hybrid", "cvt", "automatic", "manual")
    print("  list | " + " | ".join(groups) + " | all")
    for lst in sorted({r["list"] for r in rows}) + ["all"]:
        sel = [r for r in rows if lst in ("all", r["list"])]
        sh = idle_shares(sel)
        n_i = sum(v[0] for v in sh.values())
        cells = [f"{sh[g][0]}/{sh[g][1]}" if g in sh else "-" for g in groups]
        print(f"  {lst} | " + " | ".join(cells) + f" | {n_i}/{len(sel)} "
              f"({100 * n_i / len(sel):.0f} %)")
    print(f"  import default (build.KEI_IDLE_STOP_COUNTS): {build.KEI_IDLE_STOP_COUNTS}")


def check_before_after() -> tuple[list[float], list[float]]:
    """Part 3 on the check; returns its errors (%) before and after the data fix."""
    c = {**cal.fixed_constants(), **cal._stored_fit()}
    e_b, e_a = [], []
    for case, res in check_rows():
        r = case[0]
        spec = cal.kei_spec(*case[:7])
        if (r["model"], r["variant"]) in CHECK_IDLE_BEFORE_OFF:
            spec = replace(spec, idle_stop=False)
        v = float(ev.simulate([spec], constants=c)["wltc_km_per_l"][0])
        e_b.append(100.0 * (v / float(r["wltc_km_per_L"]) - 1.0))
        e_a.append(100.0 * res["error"])
        if (r["model"], r["variant"]) in CHECK_IDLE_BEFORE_OFF:
            print(f"    {r['model']} {r['variant']}: {e_b[-1]:+.1f} -> {e_a[-1]:+.1f} %")
    print(f"  kei WLTC check (13): {_stats(e_b)} -> {_stats(e_a)}")
    return e_b, e_a


def passes_before_after(tmp: Path) -> dict[str, dict[str, list[float]]]:
    """The kei WLTC / JC08 figures of the three new-user passes, before -> after; returns
    the errors (%) by set (``WLTC third pass``, ``WLTC all passes``, ...) and
    ``before`` / ``after``."""
    kei_specs = sorted(newuser.THIRD_PASS | newuser.KEI_WLTC_EARLIER
                       | {"daihatsu_move_canbus_2016", "honda_s660"})
    errs: dict[str, dict[str, list[float]]] = {}
    for stem in kei_specs:
        for r in newuser.published():
            if r["spec"] != stem or r["quantity"] not in ("wltc_km_per_l", "jc08_km_per_l"):
                continue
            key = newuser.QUANTITIES[r["quantity"]][0]
            lo, hi = float(r["low"]), float(r["high"])
            after = float(newuser_kei3.evaluate(stem, tmp)[key]["value"])
            before = float(newuser_kei3.evaluate(stem, tmp, design_sub=BEFORE_IDLE)[key]
                           ["value"])
            eb, ea = newuser.error_pct(before, lo, hi), newuser.error_pct(after, lo, hi)
            q = "WLTC" if r["quantity"] == "wltc_km_per_l" else "JC08"
            group = "third pass" if stem in newuser.THIRD_PASS else "first and second"
            for g in (f"{q} {group}", f"{q} all passes"):
                d = errs.setdefault(g, {"before": [], "after": []})
                d["before"].append(eb)
                d["after"].append(ea)
            mark = "" if abs(ea - eb) > 0.05 else " (unchanged: stated in the spec or a hybrid)"
            print(f"    {stem} {q}: {eb:+.1f} -> {ea:+.1f} %{mark}")
    for g, d in errs.items():
        print(f"  new-user passes, kei {g}: {_stats(d['before'])} -> {_stats(d['after'])}")
    return errs


def mlit_hybrid_twins() -> None:
    """The published mass step of a kei mild hybrid over its non-hybrid twin (same name,
    drive and list; CVT; the lightest configuration of each) against the build-up's."""
    rows = [r for r in mlit_rows() if "CVT" in r["transmission"].upper()
            and "ﾀｰﾎﾞ" not in r["other"] and r["list"] <= TWIN_LISTS_UNTIL]
    light: dict[tuple, dict[str, float]] = {}
    for r in rows:
        key = (r["list"], r["name"], r["drive"])
        h = "hybrid" if "H" in r["measures"].split(",") else "plain"
        d = light.setdefault(key, {})
        d[h] = min(d.get(h, 1e9), float(r["mass_min_kg"]))
    seen = set()
    print("  MLIT hybrid / non-hybrid twins (NA CVT, the lightest configuration of each; "
          f"the latest list up to {TWIN_LISTS_UNTIL} that has both):")
    for (lst, name, drive), d in sorted(light.items(), reverse=True):
        if "hybrid" in d and "plain" in d and (name, drive) not in seen:
            seen.add((name, drive))
            print(f"    {name} {drive} ({lst}): {d['plain']:.0f} -> {d['hybrid']:.0f} kg "
                  f"({d['hybrid'] - d['plain']:+.0f})")
    from keidesign.mass.data import coefficients
    c_ch = coefficients()["chassis_fraction"]
    m = _isg_mass(pt.KEI_ISG_KW)
    print(f"  build-up on a {pt.KEI_ISG_KW:g} kW ISG and {pt.KEI_ISG_BATTERY_KWH:g} kWh pack: "
          f"{m:.1f} kg of hybrid groups, {m / (1.0 - c_ch):.1f} kg of curb mass with the "
          f"chassis term (c_ch {c_ch:g})")


def _isg_mass(kw: float, kwh: float = pt.KEI_ISG_BATTERY_KWH) -> float:
    """The build-up's hybrid groups (``keidesign.mass.components.hybrid_masses``: below
    3 kW the belt ISG's mass beyond the alternator and a small 12 V pack)."""
    from keidesign.mass.components import hybrid_masses
    motor, batt = hybrid_masses(kw, kwh)
    return float(motor + batt)


def mass_whatif() -> dict[str, dict[str, list[float]]]:
    """kei.csv's mild hybrids imported as ISG hybrids: the recorded fit data with the
    hybrid's groups added to their a-priori mass, refitted and held out by family.
    Returns, for ``plain`` (as recorded) and ``isg`` (as ISG hybrids), the held-out curb
    mass errors (%) of the kei ICE rows (``kei``), of the ISG rows (``isg``) and of every
    fit car (``all``). ~3 s."""
    from keidesign.mass import calibration as mc

    data = mc.read_cars()
    rows = {f"{r['model']}, {r['code']}, {r['variant']} ({r['years']})": r
            for r in cal.kei_rows()}

    def isg_kw(d: mc.Car) -> float:
        """The ISG rating of a kei.csv mild hybrid (the class value without one), else 0."""
        r = rows.get(d.name)
        if not r or "hybrid" not in r["powertrain"].lower():
            return 0.0
        return float(r.get("hybrid_kW") or pt.KEI_ISG_KW)

    def is_isg(d: mc.Car) -> bool:
        return isg_kw(d) > 0.0

    def errors(ds: list) -> list[tuple[float, str]]:
        pred = mc.lofo(ds)
        return [(pred[d.name][0] / d.curb_pub - 1.0, d.name) for d in ds]

    def kei_ice(errs: list[tuple[float, str]]) -> list[float]:
        return [100.0 * e for e, name in errs if name in rows
                and not rows[name]["powertrain"].upper().startswith("BEV")]

    whatif = [replace(d, prior=d.prior + _isg_mass(isg_kw(d))) if is_isg(d) else d
              for d in data]
    out: dict[str, dict[str, list[float]]] = {}
    for key, label, ds in (("plain", "as recorded (plain engine)", data),
                           ("isg", "as ISG hybrids", whatif)):
        errs = errors(ds)
        k = kei_ice(errs)
        isg = [100.0 * e for e, name in errs if name in rows and is_isg(
            next(d for d in ds if d.name == name))]
        allm = [100.0 * e for e, _ in errs]
        out[key] = {"kei": k, "isg": isg, "all": allm}
        print(f"  mass calibration held out by family, {label}: kei ICE {_stats(k)}; "
              f"the ISG rows {', '.join(f'{x:+.1f}' for x in isg)} %; all cars "
              f"{_stats(allm)}")
    return out


def _mae(e: list[float]) -> str:
    """``MAE % (bias %)`` of errors in %, one decimal."""
    a = np.asarray(e, dtype=float)
    return f"{np.mean(np.abs(a)):.1f} % ({np.mean(a):+.1f} %)"


def mass_line(m: dict[str, dict[str, list[float]]]) -> str:
    """The block's line of part 4 (:func:`mass_whatif`'s result)."""
    p, h = m["plain"], m["isg"]
    return (f"- part 4, the kei ISG's mass in the held-out mass calibration, kei.csv's mild "
            f"hybrids as plain engines (as recorded) -> as ISG hybrids: kei ICE rows "
            f"(n {len(p['kei'])}) {_mae(p['kei'])} -> {_mae(h['kei'])}; the four ISG rows "
            f"{' / '.join(f'{x:+.1f}' for x in p['isg'])} -> "
            f"{' / '.join(f'{x:+.1f}' for x in h['isg'])} %; all {len(p['all'])} cars "
            f"{_mae(p['all'])} -> {_mae(h['all'])}")


def doc_block(paths_errs: dict[str, list[float]], check: tuple[list[float], list[float]],
              passes: dict[str, dict[str, list[float]]],
              mass: dict[str, dict[str, list[float]]]) -> str:
    """The generated block of docs/validation.md's "Kei paths" section: the headline
    figures of parts 1, 3 and 4 (MAE and bias, %)."""
    def ba(g: str) -> str:
        d = passes[g]
        return (f"n {len(d['after'])}, {_mae(d['after'])} (without the kei idle-stop "
                f"default {_mae(d['before'])})")

    return "\n".join((
        "Kei paths on the current model (`python benchmarks/kei_paths.py --write-docs`, "
        "~1 min; the probe `kei_paths`' parts 1, 3 and 4; MAE (bias)):",
        "",
        f"- the kei WLTC check's 13 rows: {_mae(check[1])} (as the check ran before the "
        f"idle-stop data fix of 4 Dec 2026: {_mae(check[0])})",
        f"- the new user's path on the check's 13 rows: {_mae(paths_errs['new user'])} "
        f"(without the import's kei idle-stop default "
        f"{_mae(paths_errs['new user, no idle stop'])}; with every check input "
        f"{_mae(paths_errs['every check input'])})",
        f"- the new-user passes: third pass kei WLTC {ba('WLTC third pass')}; all passes' "
        f"kei WLTC figures {ba('WLTC all passes')}; kei JC08 {ba('JC08 all passes')}",
        mass_line(mass),
    ))


#: The Jatco CVT-S of the 2019 Dayz / eK (module docstring, part 5).
CVT_S = {"ratio_low": 2.411, "ratio_high": 0.404, "final_drive": 6.540}


def nmkv_gearing(tmp: Path) -> None:
    c = {**cal.fixed_constants(), **cal._stored_fit()}
    print("\n5. the NMKV cars with the Jatco CVT-S's published gearing "
          f"({CVT_S['ratio_low']}-{CVT_S['ratio_high']}, final {CVT_S['final_drive']}) "
          "instead of the cvt default (2.5-0.45, final 5.0), what-if:")
    for case, res in check_rows():
        r = case[0]
        if r["model"] == "Nissan Dayz":
            v = float(ev.simulate([replace(cal.kei_spec(*case[:7]), **CVT_S)],
                                  constants=c)["wltc_km_per_l"][0])
            print(f"  check {r['model']} {r['variant']}: {100 * res['error']:+.1f} -> "
                  f"{100 * (v / float(r['wltc_km_per_L']) - 1.0):+.1f} %")
    sub = (('type = "cvt"', 'type = "cvt"\n' + "\n".join(f"{k} = {v}" for k, v in
                                                          CVT_S.items())),)
    for stem in sorted(s for s in newuser.THIRD_PASS if s.startswith("nissan_roox")):
        q, lo, hi = newuser_kei3._published(stem)
        key = newuser.QUANTITIES[q][0]
        a = float(newuser_kei3.evaluate(stem, tmp)[key]["value"])
        b = float(newuser_kei3.evaluate(stem, tmp, spec_sub=sub)[key]["value"])
        print(f"  new user {stem}: {newuser.error_pct(a, lo, hi):+.1f} -> "
              f"{newuser.error_pct(b, lo, hi):+.1f} %")


def main(argv: list[str] | None = None) -> int:
    """The probe's printout; ``--write-docs`` / ``--check``: then rewrite or compare the
    block of docs/validation.md (:func:`doc_block`). Exit status."""
    args = docblock.flag_arguments(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        errs = paths(tmp)
        idle_table()
        print("\n3. the import's kei idle-stop default, before (none unless stated) -> "
              "after (the majority of MLIT's group):")
        check = check_before_after()
        passes = passes_before_after(tmp)
    print("\n4. the kei ISG's mass:")
    mlit_hybrid_twins()
    mass = mass_whatif()
    with tempfile.TemporaryDirectory() as d:
        nmkv_gearing(Path(d))
    if not (args.write_docs or args.check):
        return 0
    text = doc_block(errs, check, passes, mass)
    print("\n" + text)
    return docblock.write_or_check(args, DOC, "kei_paths", text, ROOT)


if __name__ == "__main__":
    sys.exit(main())
