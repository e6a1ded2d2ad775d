"""The MLIT unseen-family error taken apart by body and driveline class (issue 13, 5 Dec
2026): ``python benchmarks/validation_probes.py unseen_parts`` (~5 min on idle cores).

``mlit_kei`` finds the 73 sampled configurations of the 18 families not in kei.csv 10.6 %
(bias +7.4 %) from specs alone, the 50 closed front-engine CVT ones 6.3 % (+2.4 %). This
probe runs the same 126 configurations (:func:`mlit_kei.run_all`: the new user's spec
file, ``import spec --predict``, ``evaluate``; the same figures) and splits each
configuration's error into parts that add up to it, from the published data alone
(nothing fitted, nothing shipped):

* **curb mass**: specs alone minus at the published curb mass (the predicted curb's
  share of the error);
* **powertrain steps**, each the difference between the configuration's error at the
  published mass and that of its *twin* in the sample, the same body family with one
  attribute changed (the list's own pair; the body and engine data are the same on both
  sides, so the step's error is the model's miss on the attribute, not the body's):

  - ``4AT``: a 4-speed automatic against the same family's non-automatic (CVT or manual)
    configuration of the same drive, turbo and hybrid (idle stop the same where the
    sample has it, else the other);
  - ``4WD``: the 4WD (``A``) configuration against the 2WD one of the same transmission,
    turbo, hybrid and idle stop;
  - ``turbo``: the turbo configuration against the NA one of the same transmission,
    drive, hybrid and idle stop;

  taken in that order, so a 4AT 4WD turbo row telescopes: ``e = (e - e_CVT) + (e_CVT -
  e_CVT,2WD) + (e_CVT,2WD - e_CVT,2WD,NA) + e_CVT,2WD,NA``. Where the sample has no
  twin (the Atrai Wagon has no non-automatic configuration, the cab-over wagons and the
  Jimny no NA engine), the step is the mean of the steps measured on twins (all 126
  configurations, stated as imputed and counted); the rest stays in the base;
* **base**: the error left at the published mass on the 2WD, NA, non-4AT configuration,
  grouped by body class (closed front-engine unibody, cab-over wagon, ladder frame, open
  two-seater): the body's road load (Cd x A, tyre rolling resistance) and the class's
  base driveline (a longitudinal rear-drive axle on the cab-overs and the Jimny). The
  base's road-load share is bounded with the model's own sensitivity: each unseen base
  configuration of the non-mainstream classes re-evaluated at its published mass with
  ``road.cd`` and ``road.crr`` x 1.1; the drag area (or rolling resistance) the base
  error would need is ``base / elasticity``.

Two trials against the ship rule below (nothing shipped): the cab-over wagons at the kei
trucks' ``TRUCK_CD`` 0.50 (:func:`cd_whatif`), and the 4WD driveline efficiency set from
the in-data 2WD / 4WD pairs, held out by family (:func:`fourwd_trial`: each 4WD row run
again at ``ETA_TRIAL`` for its slope; judged on the unseen MAE, the in-data one, the kei
trucks and the held-out pairs' 2WD -> 4WD steps, the quantity the factor describes).

Printed: the twin steps (n, mean, by in-data / unseen); per configuration its parts; the
bias budget of the unseen families (points of the +7.4 % from each part and body class)
and of the in-data ones beside it; the elasticities and the CdA / crr the bases need.

Rule to ship (written before any run of this probe, issue 13 item 3): a change ships as
default only if ``mlit_kei``'s unseen-families figure (MAE from specs alone, 10.6 %)
improves AND the closed front-engine CVT in-data figure (5.9 %) and the kei trucks
(``kei_truck_wltc.py``, 6.3 %) do not get worse by more than 0.2 point, judged with
every fitted quantity held out by family; a body-class Cd needs published Cd of at least
5 cars of the class before anything is fitted to it.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from pathlib import Path

import cab_over  # benchmarks/cab_over.py
import kei_paths  # benchmarks/kei_paths.py
import mlit_kei  # benchmarks/mlit_kei.py
import newuser  # benchmarks/newuser.py
import numpy as np

from keidesign.catalogue.road import TRUCK_CD
from keidesign.energy import vehicle as veh

__all__ = ["body_class", "twin_key", "steps", "parts", "budget", "elasticities", "cd_whatif",
           "fourwd_trial", "main"]

ATTRS = ("4AT", "4WD", "turbo")
BODIES = ("front-engine closed unibody", "cab-over wagon", "ladder frame (Jimny)",
          "open two-seater")


def body_class(c: dict) -> str:
    fam = c["family"]
    return ("cab-over wagon" if fam["layout"] == "underfloor" else
            "ladder frame (Jimny)" if fam["frame"] == "ladder" else
            "open two-seater" if fam["roof"] == "open" else "front-engine closed unibody")


def _attrs(c: dict) -> dict:
    return {"fam": c["family"]["family_id"], "trans": (c["trans"], c["gears"]),
            "at4": c["trans"] == "automatic", "awd": c["row"]["drive"] == "A",
            "turbo": bool(c["turbo"]), "hybrid": c["hybrid"], "idle": c["idle_stop"]}


def twin_key(c: dict, attr: str) -> tuple:
    """What a twin for ``attr`` must share with ``c`` (idle stop is matched after)."""
    a = _attrs(c)
    if attr == "4AT":
        return (a["fam"], a["awd"], a["turbo"], a["hybrid"])
    if attr == "4WD":
        return (a["fam"], a["trans"], a["turbo"], a["hybrid"], a["idle"])
    return (a["fam"], a["trans"], a["awd"], a["hybrid"], a["idle"])


def _has(c: dict, attr: str) -> bool:
    a = _attrs(c)
    return a["at4"] if attr == "4AT" else a["awd"] if attr == "4WD" else a["turbo"]


def _find_twin(x: dict, attr: str, results: list[dict]) -> dict | None:
    c = x["case"]
    want = twin_key(c, attr)
    cands = [y for y in results if y is not x and not _has(y["case"], attr)
             and _has(y["case"], "4AT") == (False if attr == "4AT" else _has(c, "4AT"))
             and (attr == "4WD" or _has(y["case"], "4WD") == _has(c, "4WD"))
             and (attr == "turbo" or bool(y["case"]["turbo"]) == bool(c["turbo"]))]
    cands = [y for y in cands if twin_key(y["case"], attr) == want]
    if not cands:
        return None
    same_idle = [y for y in cands if y["case"]["idle_stop"] == c["idle_stop"]]
    pool = same_idle or cands
    # the newest list's, then the first in the sample's order
    return max(pool, key=lambda y: (y["case"]["row"]["list"], -y["case"]["index"]))


def steps(results: list[dict]) -> dict[str, list[tuple[dict, dict, float]]]:
    """Directly measured twin steps per attribute: (row, twin, step in points at the
    published mass)."""
    out: dict[str, list] = {a: [] for a in ATTRS}
    for x in results:
        for attr in ATTRS:
            if _has(x["case"], attr):
                t = _find_twin(x, attr, results)
                if t is not None:
                    out[attr].append((x, t, x["err_pub"] - t["err_pub"]))
    return out


def parts(x: dict, results: list[dict], mean_step: dict[str, float]) -> dict:
    """One configuration's error split into mass, the three steps and the base (points;
    they add up to ``err_pred``); ``imputed`` names the steps taken from the mean."""
    p = {"mass": x["err_pred"] - x["err_pub"], **{a: 0.0 for a in ATTRS}, "imputed": []}
    cur, offset = x, 0.0  # offset: the imputed steps, still inside cur's error
    for attr in ATTRS:
        if not _has(cur["case"], attr):
            continue
        t = _find_twin(cur, attr, results)
        if t is None:
            p[attr] = mean_step[attr]
            p["imputed"].append(attr)
            offset += mean_step[attr]
        else:
            p[attr] = cur["err_pub"] - t["err_pub"]
            cur = t
    p["base"] = cur["err_pub"] - offset
    p["base_row"] = cur
    return p


def budget(results: list[dict]) -> tuple[dict, dict]:
    """(mean step per attribute over the measured twins, parts per configuration)."""
    st = steps(results)
    mean_step = {a: float(np.mean([s for _, _, s in st[a]])) if st[a] else 0.0
                 for a in ATTRS}
    return mean_step, {id(x): parts(x, results, mean_step) for x in results}


def _cd_crr(design: str) -> tuple[float, float]:
    road = design[design.index("[road]"):]
    road = road[:road.find("\n[", 1) if "\n[" in road[1:] else len(road)]
    cd = float(re.search(r"^cd = ([0-9.eE+-]+)", road, re.M).group(1))
    crr = float(re.search(r"^crr = ([0-9.eE+-]+)", road, re.M).group(1))
    return cd, crr


def elasticities(rows: list[dict]) -> list[dict]:
    """WLTC elasticity to ``road.cd`` and ``road.crr`` (x 1.1) of each row at its
    published mass: d ln(km/L) / d ln(x), a secant over +10 %."""
    out = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for x in rows:
            c = x["case"]
            design = cab_over.design_at_mass(c, tmp)
            cd, crr = _cd_crr(design)
            base = cab_over.run_variant(c, design, (), tmp)
            fcd = cab_over.run_variant(c, design, (("road", "cd", f"{cd * 1.1:.5g}"),), tmp)
            fcr = cab_over.run_variant(c, design, (("road", "crr", f"{crr * 1.1:.5g}"),),
                                       tmp)
            out.append({"x": x, "cd": cd, "crr": crr, "base": base,
                        "el_cd": np.log(fcd / base) / np.log(1.1),
                        "el_crr": np.log(fcr / base) / np.log(1.1)})
    return out


def _label(x: dict) -> str:
    c, r = x["case"], x["case"]["row"]
    return (f"{r['list']} {c['family']['family'][:28]:28s} {r['transmission'][:10]:10s} "
            f"{r['drive']}{' T' if c['turbo'] else '  '}{' H' if c['hybrid'] else '  '}"
            f"{' I' if c['idle_stop'] else '  '}")


def report(results: list[dict]) -> None:
    st = steps(results)
    mean_step, pp = budget(results)
    unseen = [x for x in results if x["case"]["family"]["in_kei_csv"] != "yes"]
    seen = [x for x in results if x["case"]["family"]["in_kei_csv"] == "yes"]
    print("\ntwin steps at the published curb mass (model's error on the row minus its "
          "twin's, points; the list's own pairs, one attribute apart):")
    for attr in ATTRS:
        for name, sub in (("all", st[attr]),
                          ("in kei.csv", [s for s in st[attr] if
                                          s[0]["case"]["family"]["in_kei_csv"] == "yes"]),
                          ("unseen", [s for s in st[attr] if
                                      s[0]["case"]["family"]["in_kei_csv"] != "yes"])):
            if not sub:
                print(f"  {attr:5s} {name:10s}: no pair")
                continue
            v = np.array([s for _, _, s in sub])
            print(f"  {attr:5s} {name:10s}: n {v.size:2d}, mean {v.mean():+5.1f}, median "
                  f"{np.median(v):+5.1f}, range {v.min():+5.1f} .. {v.max():+5.1f}")
        by_body = defaultdict(list)
        for x, _, s in st[attr]:
            by_body[body_class(x["case"])].append(s)
        print("        by body: " + "; ".join(f"{b} n {len(v)} {np.mean(v):+.1f}"
                                             for b, v in by_body.items()))
    print("  4AT pairs: " + "; ".join(f"{_label(x).strip()} vs {t['case']['row']['transmission']}"
                                      f"{' I' if t['case']['idle_stop'] else ''} {s:+.1f}"
                                      for x, t, s in st["4AT"]))
    print("\nparts per configuration of the unseen families (points; mass + 4AT + 4WD + "
          "turbo + base = specs-alone error; * imputed step):")
    for x in unseen:
        p = pp[id(x)]
        print(f"  {_label(x)} {x['err_pred']:+6.1f} = mass {p['mass']:+5.1f} "
              + " ".join(f"{a} {p[a]:+5.1f}{'*' if a in p['imputed'] else ' '}"
                         for a in ATTRS) + f" base {p['base']:+5.1f}")
    print("\nbias budget (mean over the set of each part, points; they add up to the "
          "specs-alone bias):")
    for name, sub in (("unseen families", unseen), ("in kei.csv", seen)):
        n = len(sub)
        tot = {k: np.mean([pp[id(x)][k] for x in sub]) for k in ("mass", *ATTRS, "base")}
        print(f"  {name} (n {n}): bias {np.mean([x['err_pred'] for x in sub]):+.2f} = "
              + " + ".join(f"{k} {v:+.2f}" for k, v in tot.items()))
        for body in BODIES:
            xs = [x for x in sub if body_class(x["case"]) == body]
            if not xs:
                continue
            share = {k: sum(pp[id(x)][k] for x in xs) / n for k in ("mass", *ATTRS, "base")}
            imp = sum(len(pp[id(x)]["imputed"]) for x in xs)
            print(f"    {body:28s} n {len(xs):2d}: {sum(x['err_pred'] for x in xs) / n:+.2f}"
                  f" points = " + " + ".join(f"{k} {v:+.2f}" for k, v in share.items())
                  + f"  (own bias {np.mean([x['err_pred'] for x in xs]):+.1f} %, base "
                  f"{np.mean([pp[id(x)]['base'] for x in xs]):+.1f} %; imputed steps {imp})")
    # the MAE without each part (what removing that part's error would leave)
    print("\nunseen families' MAE from specs alone with one part's error removed (an upper"
          " bound of what fixing it alone can give):")
    e0 = np.array([x["err_pred"] for x in unseen])
    print(f"  as shipped: MAE {np.mean(np.abs(e0)):.1f} %, bias {e0.mean():+.1f} %")
    for k in ("mass", *ATTRS):
        e = e0 - np.array([pp[id(x)][k] for x in unseen])
        print(f"  without {k:5s}: MAE {np.mean(np.abs(e)):.1f} %, bias {e.mean():+.1f} %")
    for body in BODIES[1:]:
        e = np.array([x["err_pred"] - (pp[id(x)]["base"] if body_class(x["case"]) == body
                                        else 0.0) for x in unseen])
        print(f"  without the {body} base: MAE {np.mean(np.abs(e)):.1f} %, bias "
              f"{e.mean():+.1f} %")


def road_load_report(results: list[dict]) -> None:
    _, pp = budget(results)
    bases = {}
    for x in results:
        if (x["case"]["family"]["in_kei_csv"] != "yes"
                and body_class(x["case"]) != BODIES[0]):
            b = pp[id(x)]["base_row"]
            bases[(id(b), round(pp[id(x)]["base"], 6))] = (b, pp[id(x)]["base"])
    pairs = sorted(bases.values(), key=lambda y: y[0]["case"]["index"])
    rows = [b for b, _ in pairs]
    print(f"\nroad-load elasticity of the {len(rows)} base configurations of the unseen "
          "non-mainstream classes (at the published mass; x 1.1):")
    for el, (_, base) in zip(elasticities(rows), pairs, strict=True):
        x = el["x"]
        need_cda = (np.exp(-np.log1p(base / 100) / el["el_cd"]) - 1) * 100
        need_crr = (np.exp(-np.log1p(base / 100) / el["el_crr"]) - 1) * 100
        print(f"  {_label(x)} ({body_class(x['case'])}): base {base:+5.1f} %; Cd "
              f"{el['cd']:.3f} elasticity {el['el_cd']:+.3f}, crr {el['crr']:.4f} "
              f"elasticity {el['el_crr']:+.3f}; to close it alone: Cd x A "
              f"{need_cda:+.0f} % (Cd {el['cd'] * (1 + need_cda / 100):.2f}) or crr "
              f"{need_crr:+.0f} % ({el['crr'] * (1 + need_crr / 100):.4f})")


def _evaluate(design: str, path: Path) -> float:
    path.write_text(design, encoding="utf-8")
    code, out, err = newuser._call(["evaluate", "--json", str(path)])
    if code:
        raise RuntimeError(f"{path.name}: {err.strip()}")
    return float(json.loads(out)["outputs"]["energy:wltc_km_per_l"]["value"])


def cd_whatif(results: list[dict], cd: float = TRUCK_CD) -> None:
    """The cab-over wagons at the kei truck style's Cd (``TRUCK_CD``, 0.50) from specs
    alone and the ship rule's figures: a what-if, not shipped (no published cab-over Cd:
    the class has none of the five sourced cars the rule asks for)."""
    cab = [x for x in results if body_class(x["case"]) == "cab-over wagon"]
    new = {}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for x in cab:
            c = x["case"]
            path = tmp / f"cd_{c['index']:03d}.toml"
            path.write_text(mlit_kei.spec_text(c), encoding="utf-8")
            res = newuser.run_spec(path, tmp)
            design = kei_paths._set(res.design_text, "road", "cd", f"{cd:g}")
            wltc = _evaluate(design, tmp / f"cd_{c['index']:03d}_v.toml")
            new[id(x)] = 100 * (wltc / float(c["row"]["wltc_max_km_per_L"]) - 1)
    print(f"\nwhat-if: the cab-over wagons at Cd {cd:g} (the kei trucks' TRUCK_CD) from specs "
          "alone (not shipped: no published cab-over Cd):")
    for x in cab:
        print(f"  {_label(x)}: {x['err_pred']:+.1f} -> {new[id(x)]:+.1f} %")
    for name, keep in (("unseen families", lambda x: x["case"]["family"]["in_kei_csv"]
                        != "yes"),
                       ("closed front-engine CVT, in kei.csv", lambda x: (
                           x["case"]["family"]["in_kei_csv"] == "yes"
                           and body_class(x["case"]) == BODIES[0]
                           and x["case"]["trans"] == "cvt")),
                       ("all", lambda x: True)):
        sub = [x for x in results if keep(x)]
        e0 = np.array([x["err_pred"] for x in sub])
        e1 = np.array([new.get(id(x), x["err_pred"]) for x in sub])
        print(f"  {name} (n {len(sub)}): MAE {np.mean(np.abs(e0)):.2f} -> "
              f"{np.mean(np.abs(e1)):.2f} %, bias {e0.mean():+.2f} -> {e1.mean():+.2f} %")
    print("  kei trucks (kei_truck_wltc.py): unchanged, they run TRUCK_CD already")


#: the 4WD driveline efficiency the trial runs beside the shipped one (for the slope)
ETA_TRIAL = 0.92


def _trucks(eta: float) -> np.ndarray:
    """The kei trucks' WLTC errors (%) with the 4WD driveline efficiency ``eta``."""
    from keidesign.energy.calibration import kei_truck_wltc_check

    root = Path(__file__).resolve().parents[1]
    saved = dict(veh.DRIVELINE_EFFICIENCY)
    try:
        veh.DRIVELINE_EFFICIENCY.update({"awd": eta, "4wd": eta})
        rows = kei_truck_wltc_check(root / "studies" / "designs")
    finally:
        veh.DRIVELINE_EFFICIENCY.clear()
        veh.DRIVELINE_EFFICIENCY.update(saved)
    return np.array([100 * x["error"] for x in rows])


def fourwd_trial(results: list[dict]) -> None:
    """The 4WD driveline efficiency (``DRIVELINE_EFFICIENCY["awd"]``, ``["4wd"]``, shipped
    0.96) set from MLIT's in-data 2WD / 4WD pairs and held out by family: tried, judged
    by the ship rule. Each 4WD configuration is run again at ``ETA_TRIAL`` (both paths);
    its error is linear in the efficiency between the two runs (the slope per row); per
    held-out family the efficiency that zeroes the mean twin step of the other families'
    in-data pairs; the held-out family's 4WD rows at that efficiency."""
    eta0 = veh.DRIVELINE_EFFICIENCY["4wd"]
    fwd = [x for x in results if x["case"]["row"]["drive"] == "A"]
    slope = {}
    saved = dict(veh.DRIVELINE_EFFICIENCY)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        try:
            veh.DRIVELINE_EFFICIENCY.update({"awd": ETA_TRIAL, "4wd": ETA_TRIAL})
            for x in fwd:
                c, r = x["case"], x["case"]["row"]
                out = mlit_kei.run(c, tmp)
                pub = float(r["wltc_max_km_per_L"])
                e_pred = 100 * (out["wltc_pred"] / pub - 1)
                e_pub = 100 * (out["wltc_pub_mass"] / pub - 1)
                slope[id(x)] = ((e_pred - x["err_pred"]) / (ETA_TRIAL - eta0),
                                (e_pub - x["err_pub"]) / (ETA_TRIAL - eta0))
        finally:
            veh.DRIVELINE_EFFICIENCY.clear()
            veh.DRIVELINE_EFFICIENCY.update(saved)
    pairs = [(x, s) for x, _, s in steps(results)["4WD"]
             if x["case"]["family"]["in_kei_csv"] == "yes"]

    def fit(exclude: str | None) -> float:
        use = [(x, s) for x, s in pairs if x["case"]["family"]["family_id"] != exclude]
        return eta0 - np.mean([s for _, s in use]) / np.mean([slope[id(x)][1] for x, _ in use])

    eta_all = fit(None)
    fams = sorted({x["case"]["family"]["family_id"] for x in results})
    eta_f = {f: fit(f) for f in fams}
    print(f"\n4WD driveline efficiency from the in-data 2WD / 4WD pairs ({len(pairs)}), "
          f"shipped {eta0:g}: all-pair fit {eta_all:.4f}; held out by family "
          f"{min(eta_f.values()):.4f} .. {max(eta_f.values()):.4f}; WLTC slope per 0.01 of "
          f"efficiency {np.mean([v[0] for v in slope.values()]) / 100:+.2f} points "
          f"(specs alone, mean of {len(slope)} 4WD rows)")

    def err(x: dict, eta: float) -> float:
        return x["err_pred"] + (slope[id(x)][0] * (eta - eta0) if id(x) in slope else 0.0)

    sets = (("unseen families", lambda x: x["case"]["family"]["in_kei_csv"] != "yes"),
            ("closed front-engine CVT, in kei.csv", lambda x: (
                x["case"]["family"]["in_kei_csv"] == "yes"
                and body_class(x["case"]) == BODIES[0] and x["case"]["trans"] == "cvt")),
            ("all", lambda x: True))
    for name, keep in sets:
        sub = [x for x in results if keep(x)]
        e0 = np.array([x["err_pred"] for x in sub])
        e1 = np.array([err(x, eta_f[x["case"]["family"]["family_id"]]) for x in sub])
        print(f"  {name} (n {len(sub)}), specs alone, held out: MAE "
              f"{np.mean(np.abs(e0)):.2f} -> {np.mean(np.abs(e1)):.2f} %, bias "
              f"{e0.mean():+.2f} -> {e1.mean():+.2f} %")
    # the quantity the factor is about: the 2WD -> 4WD step on each pair, held out
    for name, keep in (("in kei.csv", lambda f: f == "yes"), ("unseen", lambda f: f != "yes")):
        sub = [(x, s) for x, _, s in steps(results)["4WD"]
               if keep(x["case"]["family"]["in_kei_csv"])]
        s0 = np.array([s for _, s in sub])
        s1 = np.array([s + slope[id(x)][1] * (eta_f[x["case"]["family"]["family_id"]]
                                              - eta0) for x, s in sub])
        print(f"  4WD twin step at the published mass, {name} pairs (n {len(sub)}), held "
              f"out: mean |step| {np.mean(np.abs(s0)):.2f} -> {np.mean(np.abs(s1)):.2f} "
              f"points, mean {s0.mean():+.2f} -> {s1.mean():+.2f}")
    t0, t1 = _trucks(eta0), _trucks(eta_all)
    print(f"  kei trucks at the all-pair fit: MAE {np.mean(np.abs(t0)):.2f} -> "
          f"{np.mean(np.abs(t1)):.2f} % (" + " ".join(f"{v:+.1f}" for v in t1) + ")")


def main() -> None:
    results = mlit_kei.run_all(quiet=True)
    report(results)
    road_load_report(results)
    cd_whatif(results)
    fourwd_trial(results)


if __name__ == "__main__":
    main()
