"""Validation report: tables (markdown, JSON) and figures (parity, error histograms).

``keidesign validate`` runs :func:`run` and prints :func:`markdown`; ``--plots DIR``
writes :func:`plots`; docs/validation.md quotes its output (a test holds the quoted
figures to what the code gives).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from keidesign.energy import calibration as cal
from keidesign.validation import fueleconomy as fe
from keidesign.validation import performance as perf
from keidesign.validation import roadload as rl
from keidesign.validation import specsonly as so

__all__ = ["QUICK_GRID", "QUICK_STRIDE", "as_json", "car_id", "markdown", "plots", "run",
           "run_external", "table_rows"]

#: The reference designs (a repository checkout's ``studies/designs``; None in an
#: installed package): the kei trucks of the JC08 check run through them.
DESIGN_DIR = (Path(__file__).resolve().parents[2] / "studies" / "designs"
              if (Path(__file__).resolve().parents[2] / "studies" / "designs").is_dir()
              else None)

#: ``--quick``: every 6th configuration, a two-point strategy grid (tests, a first look).
QUICK_STRIDE = 6
QUICK_GRID = tuple((s, cv, k) for s, cv in ((1500.0, 1000.0), (1750.0, 1000.0))
                   for k in cal.SCHEDULE_SCALES)
CLASSES = ("cvt", "automatic", "dct", "manual", "ev", "hybrid")


def run(quick: bool = False, refit: bool = True, imports: bool = True) -> dict[str, Any]:
    """All comparisons (``quick``: a subset, see :data:`QUICK_STRIDE`; ``refit=False``:
    the shipped constants only, no leave-one-family-out ICE/EV refits; ``imports=False``:
    without the specs-only and 0-60 sections, which import and evaluate every car)."""
    cars = list(fe.tc.test_cars())
    if quick:
        cars = cars[::QUICK_STRIDE]
    res = fe.validate_unadjusted(cars, refit=refit, grid=QUICK_GRID if quick else None)
    for how in ("shipped", "lofo") if refit else ("shipped",):
        parts = [res[k] for k in (f"ice_{how}", f"ev_{how}", f"hybrid_{how}") if k in res]
        res[f"labels_{how}"] = fe.compare_labels(fe.Comparison(
            [car for p in parts for car in p.cars], _cat(*(p.measured for p in parts)),
            _cat(*(p.predicted for p in parts)), how))
    res["adfe"] = fe.validate_adfe(res if refit else None)
    res["roadload"] = rl.validate(rl.cases(cars))
    if imports:
        res["specs"] = so.run(cars, so.HoldOut.of(res, res["roadload"]) if refit else None)
        res["accel"] = perf.run()
    res["kei"] = cal.kei_wltc_check()
    res["kei_jc08"] = cal.kei_jc08_check(DESIGN_DIR)
    res["quick"] = quick
    res["n_cars"] = len(cars)
    res["n_families"] = len({car.family for car in cars})
    return res


def run_external(labels: bool, specs: bool = True) -> dict[str, Any]:
    """The comparisons of :func:`run` over a user's EPA rows (``keidesign validate
    --testcars FILE [--labels FILE]``, read and in use through
    :func:`keidesign.energy.epafiles.using`) with the SHIPPED constants only: nothing is
    refitted, so every figure is out of sample for a family the shipped rows lack. (a) from
    the measured coast-down and ETW; with ``labels``, (c) the label values; with ``specs``,
    the specs-only import (``keidesign import epa --predict``) of every configuration (a
    car without a ``us_specs.csv`` row takes the class-typical body the import assumes).
    No ADFE, road-load refit, kei or 0-60 sections (they run on shipped data only)."""
    cars = list(fe.tc.test_cars())
    res = fe.validate_unadjusted(cars, refit=False)
    if labels:
        parts = [res[k] for k in ("ice_shipped", "ev_shipped", "hybrid_shipped") if k in res]
        res["labels_shipped"] = fe.compare_labels(fe.Comparison(
            [car for p in parts for car in p.cars], _cat(*(p.measured for p in parts)),
            _cat(*(p.predicted for p in parts)), "shipped"))
    if specs:
        res["specs"] = {**so.run(cars, None, need_specs=False), "external": True}
    res.update(quick=False, external=True, n_cars=len(cars),
               n_families=len({car.family for car in cars}))
    return res


def _cat(*parts: dict) -> dict:
    return {k: np.concatenate([p[k] for p in parts]) for k in fe.TESTS}


def _by_class(comp: fe.Comparison, test: str, err: np.ndarray | None = None
              ) -> dict[str, dict]:
    e = comp.error(test) if err is None else err
    out = {}
    for cls in CLASSES + ("all",):
        m = np.array([cls == "all" or car.cls == cls for car in comp.cars], dtype=bool)
        if m.any():
            s = fe.stats(e[m])
            i = np.flatnonzero(m)[int(np.argmax(np.abs(e[m])))]
            s["worst_car"] = comp.cars[i].key
            s["worst_id"] = car_id(comp.cars[i])
            out[cls] = s
    return out


def table_rows(res: dict) -> list[dict]:
    """One row per (what, constants, test, class): the numbers of the report."""
    rows = []
    for what, key in (("unadjusted", "ice"), ("unadjusted", "ev"), ("unadjusted", "hybrid")):
        for how in ("shipped", "lofo"):
            comp = res.get(f"{key}_{how}")
            if comp is None:
                continue
            for test in fe.TESTS:
                for cls, s in _by_class(comp, test).items():
                    if key in ("ev", "hybrid") and cls == "all":
                        continue
                    rows.append({"what": what, "constants": how, "test": test,
                                 "class": cls if not (key == "ice" and cls == "all")
                                 else "gasoline", **s})
    for how in ("shipped", "lofo"):
        comp = res.get(f"labels_{how}")
        if comp is None:
            continue
        for test in ("city", "hwy", "comb"):
            for cls, s in _by_class(comp, test).items():
                rows.append({"what": "label", "constants": how, "test": test,
                             "class": cls, **s})
            e = comp.extra["from_measured"][test] / comp.measured[test] - 1.0
            for cls, s in _by_class(comp, test, e).items():
                rows.append({"what": "label", "constants": "measured", "test": test,
                             "class": cls, **s})
    return rows


def _pct(x: float) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{100 * x:+.1f} %"


def _abs(x: float) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{100 * x:.1f} %"


def markdown(res: dict) -> str:
    """The report as markdown (the tables of docs/validation.md)."""
    rows = table_rows(res)
    ext = res.get("external", False)
    lines = [f"EPA test cars: {res['n_cars']} configurations, {res['n_families']} families"
             + (" (quick subset)" if res.get("quick") else ""), ""]
    if ext:
        lines[0] = (f"Your EPA rows: {res['n_cars']} configurations, {res['n_families']} "
                    "families (external rows, not the shipped files)")
        lines += ["The constants are the SHIPPED ones (fitted on the shipped rows; nothing "
                  "refitted on these): for a family the shipped rows lack, every figure is "
                  "out of sample.", ""]
    hyb = res.get("hybrids", [])
    sim = res.get("hybrid_shipped")
    if len(hyb) > (len(sim.cars) if sim is not None else 0):
        lines += [f"Hybrids without a published system, not simulated: "
                  f"{len(hyb) - (len(sim.cars) if sim else 0)} configurations.", ""]
    lines += ["### (a) Unadjusted FTP / HWFET from the measured coast-down and ETW", "",
              "| class | constants | n | FTP MAE | FTP bias | FTP worst | HWFET MAE | "
              "HWFET bias | HWFET worst |", "| --- | --- | --- | --- | --- | --- | --- | --- "
              "| --- |"]
    ua = [r for r in rows if r["what"] == "unadjusted"]
    for cls in ("gasoline",) + CLASSES:
        for how in ("shipped", "lofo"):
            f = [r for r in ua if r["class"] == cls and r["constants"] == how]
            if len(f) != 2:
                continue
            a, b = f
            lines.append(f"| {cls} | {how} | {a['n']} | {_abs(a['mae'])} | {_pct(a['bias'])} "
                         f"| {_pct(a['worst'])} | {_abs(b['mae'])} | {_pct(b['bias'])} | "
                         f"{_pct(b['worst'])} |")
    lines += _adfe_markdown(res["adfe"]) if "adfe" in res else []
    lines += ["", "### (c) Label city / highway / combined against fueleconomy.gov", "",
              "`measured`: the label formula applied to the measured unadjusted results "
              "(what the 5-cycle derivation alone contributes).", "",
              "| class | from | n | city MAE | highway MAE | combined MAE | combined bias | "
              "combined worst |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    lb = [r for r in rows if r["what"] == "label"]
    for cls in ("all",) + CLASSES:
        for how in ("measured", "shipped", "lofo"):
            f = {r["test"]: r for r in lb if r["class"] == cls and r["constants"] == how}
            if len(f) != 3:
                continue
            lines.append(f"| {cls} | {how} | {f['comb']['n']} | {_abs(f['city']['mae'])} | "
                         f"{_abs(f['hwy']['mae'])} | {_abs(f['comb']['mae'])} | "
                         f"{_pct(f['comb']['bias'])} | {_pct(f['comb']['worst'])} |")
    lines += ["", "### Worst configurations (" + ("shipped constants" if ext else
                                                 "leave-one-family-out") + ", FTP)", "",
              "| configuration | class | measured | model | error |", "| --- | --- | --- | "
              "--- | --- |"]
    for key in (("ice_shipped", "ev_shipped", "hybrid_shipped") if ext else
                ("ice_lofo", "ev_lofo", "hybrid_lofo")):
        comp = res.get(key)
        if comp is None:
            continue
        e = comp.error("ftp")
        for i in np.argsort(-np.abs(e))[:5 if not key.startswith("hybrid") else 3]:
            car = comp.cars[i]
            lines.append(f"| {car.key} | {car.cls} | {comp.measured['ftp'][i]:.1f} | "
                         f"{comp.predicted['ftp'][i]:.1f} | {_pct(e[i])} |")
    lines += _roadload_markdown(res["roadload"]) if "roadload" in res else []
    lines += _specs_markdown(res["specs"]) if "specs" in res else []
    lines += _kei_markdown(res["kei"]) if "kei" in res else []
    lines += _jc08_markdown(res["kei_jc08"]) if res.get("kei_jc08") else []
    lines += _accel_markdown(res["accel"]) if "accel" in res else []
    if "ice_fit" in res:
        f = res["ice_fit"]
        lines += ["", "All-car ICE fit: " + ", ".join(
            f"{k} = " + (" / ".join(f"{u:.4g}" for u in v) if isinstance(v, tuple | list)
                         else f"{v:.4g}") for k, v in f.items())]
    if "bev_fit" in res:
        lines += ["All-EV fit: " + ", ".join(f"{k} = {v:.4g}"
                                             for k, v in res["bev_fit"].items())]
    return "\n".join(lines)


#: How the report names :func:`~keidesign.validation.fueleconomy.validate_adfe`'s
#: comparisons: only a leave-one-family-out refit is called ``lofo``.
ADFE_LABEL = {"allcar": "all-car refit of a subset (--quick) without the family (not lofo)"}


def _adfe_markdown(adfe: dict) -> list[str]:
    """One line: the model against the analytically derived values (not in the table)."""
    n_cars = len(adfe["shipped"].cars)
    parts = []
    for how, comp in adfe.items():
        st = fe.adfe_stats(comp)
        parts.append(f"{ADFE_LABEL.get(how, how)}: " + "; ".join(
            f"{name} n {st[t]['n']}, MAE {_abs(st[t]['mae'])}, bias {_pct(st[t]['bias'])}"
            for t, name in (("ftp", "FTP"), ("hwfet", "HWFET"))))
    return ["", f"The model against the analytically derived values (EPA rows `Analytically "
            f"Derived FE? = Yes`, {n_cars} configurations; not measurements, so neither "
            f"fitted nor in the table): " + " | ".join(parts) + "."]


def roadload_rows(r: dict) -> list[dict]:
    """Road-load errors per class and speed: ``lofo``, ``insample`` and ``today``."""
    rows = []
    classes = [c.car.cls for c in r["cases"]]
    for how in ("today", "insample", "lofo"):
        e = r[how]
        for cls in ("all",) + CLASSES:
            m = np.array([cls == "all" or k == cls for k in classes], dtype=bool)
            if not m.any():
                continue
            for j, v in enumerate(rl.SPEEDS_MPH):
                rows.append({"what": "roadload", "constants": how, "class": cls,
                             "speed_mph": v, **fe.stats(e[m, j])})
    return rows


def _roadload_markdown(r: dict) -> list[str]:
    f = r["fit"]
    rows = roadload_rows(r)
    lines = ["", "### (e) Road load from specs against the EPA target coefficients", "",
             f"{len(r['cases'])} configurations with a published Cd, width and height "
             f"({len({c.car.family for c in r['cases']})} families). Fit: c0 = "
             f"{f['c0']:.5f}, c1 = {f['c1']:.3e} s/m (`today`: Crr 0.009, no speed term); "
             f"the {sum(c.car.cls == 'ev' for c in r['cases'])} EV rows modelled with "
             "their motor's coast-down drag (`keidesign.validation.roadload.motor_drag`).",
             "", "| class | constants | n | 20 mph MAE | 50 mph MAE | 50 mph bias | "
             "70 mph MAE | 70 mph bias |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for cls in ("all",) + CLASSES:
        for how in ("today", "lofo"):
            g = {x["speed_mph"]: x for x in rows if x["class"] == cls
                 and x["constants"] == how}
            if len(g) != 3:
                continue
            lines.append(f"| {cls} | {how} | {g[20.0]['n']} | {_abs(g[20.0]['mae'])} | "
                         f"{_abs(g[50.0]['mae'])} | {_pct(g[50.0]['bias'])} | "
                         f"{_abs(g[70.0]['mae'])} | {_pct(g[70.0]['bias'])} |")
    return lines


def specs_rows(r: dict) -> list[dict]:
    """Errors of the specs-only predictions per class and constants (``shipped``, and
    ``lofo`` where run): (b), (c), (d) and the model's road load at 20/50/70 mph. The
    ``all`` rows are the gasoline and EV cars; the hybrids are their own class only."""
    rows = []
    for how, part in (("shipped", r), ("lofo", r.get("lofo"))):
        if part is None:
            continue
        classes = np.array([c.car.cls for c in part["cases"]])
        for key, e in part["err"].items():
            cols = [(None, e)] if e.ndim == 1 else [
                (v, e[:, j]) for j, v in enumerate(so.SPEEDS_MPH)]
            for speed, col in cols:
                for cls in ("all",) + CLASSES:
                    m = ~np.isnan(col) & ((classes == cls) | (
                        (cls == "all") & (classes != "hybrid")))
                    if m.any():
                        rows.append({"what": "specs", "constants": how, "quantity": key,
                                     "speed_mph": speed, "class": cls, **fe.stats(col[m])})
    return rows


def _specs_markdown(r: dict) -> list[str]:
    rows = specs_rows(r)

    def get(q, cls, speed=None, how="shipped"):
        f = [x for x in rows if x["quantity"] == q and x["class"] == cls
             and x["speed_mph"] == speed and x["constants"] == how]
        return f[0] if f else None

    def cell(x, bias=True):
        if x is None:
            return "-"
        return f"{_abs(x['mae'])}" + (f" ({_pct(x['bias'])})" if bias else "")

    n_hyb = sum(c.car.cls == "hybrid" for c in r["cases"])
    lines = ["", "### (b), (c), (d), (e): from published specs alone", "",
             f"{len(r['cases']) - n_hyb} configurations imported with `keidesign import epa "
             f"--predict` (published dimensions, engine or motor, transmission, drive; no "
             f"measured mass or road load) and evaluated"
             + (f", and {n_hyb} hybrids with their published system (hybrid_systems.csv; "
                "class `hybrid`, not in the `all` rows)" if n_hyb else "")
             + (f"; {len(r['failed'])} could not be imported" if r["failed"] else "")
             + (". `shipped`: the constants the tool ships (fitted on the shipped rows, not "
                "on these). MAE (bias):" if r.get("external") else
                ". `shipped`: the constants the tool ships (fitted on these cars); `lofo`: "
                "every fitted constant (ICE, EV, road load, mass calibration) refitted "
                "without the car's family. MAE (bias):"), "",
             "| class | constants | n | FTP | HWFET | label comb | test mass vs ETW | "
             "curb vs published | road load 50 mph |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    hows = ("shipped", "lofo") if "lofo" in r else ("shipped",)
    for cls in ("all",) + CLASSES:
        for how in hows:
            ftp = get("ftp", cls, how=how)
            if ftp is None:
                continue
            lines.append(
                f"| {cls} | {how} | {ftp['n']} | {cell(ftp)} | "
                f"{cell(get('hwfet', cls, how=how))} | {cell(get('comb', cls, how=how))} | "
                f"{cell(get('test_mass', cls, how=how))} | {cell(get('curb', cls, how=how))} | "
                f"{cell(get('road', cls, 50.0, how))} |")
    for how in hows:
        lines += ["", f"Road load of the model (gasoline and EV cars, {how}): " + ", ".join(
            f"{v:.0f} mph {cell(get('road', 'all', v, how))}" for v in so.SPEEDS_MPH) + "."]
    return lines


def _kei_markdown(kei: list[dict]) -> list[str]:
    lines = ["", "### (g) Kei WLTC mode against the catalogues (not fitted)", "",
             "| kei car | variant | catalogue | model | error |", "| --- | --- | --- | --- | --- |"]
    for k in kei:
        lines.append(f"| {k['model']} | {k['variant']} | {k['measured']:.1f} {k['unit']} | "
                     f"{k['predicted']:.1f} | {_pct(k['error'])} |")
    e = np.array([k["error"] for k in kei])
    ice = np.array([k["unit"] == "km/L" for k in kei])
    lines.append(f"\nMAE: ICE {_abs(np.mean(np.abs(e[ice])))}, BEV "
                 f"{_abs(np.mean(np.abs(e[~ice])))}")
    st = cal.kei_wltc_stats(kei)
    lines.append("ICE by group (n, MAE, bias): " + "; ".join(
        f"{k} {v['n']}, {_abs(v['mae'])}, {_pct(v['bias'])}" for k, v in st.items()))
    return lines


def _jc08_markdown(rows: list[dict]) -> list[str]:
    """(g) continued: the JC08 catalogue figures (:func:`cal.kei_jc08_check`), with the
    WLTC-mode error of the same vehicle next to each, and both summarised over the
    vehicles that have both figures."""
    lines = ["", "### (g) Kei JC08 against the catalogues (not fitted)", "",
             "| kei vehicle | variant | set | JC08 catalogue | model | error | WLTC error |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for k in rows:
        w = "-" if k["wltc_error"] is None else _pct(k["wltc_error"])
        lines.append(f"| {k['model']} | {k['variant']} | {k['set']} | {k['measured']:.1f} "
                     f"{k['unit']} | {k['predicted']:.1f} | {_pct(k['error'])} | {w} |")
    ice = [k for k in rows if k["unit"] == "km/L"]
    both = [k for k in ice if k["wltc_error"] is not None]
    if ice:
        e = np.array([k["error"] for k in ice])
        lines.append(f"\nJC08, ICE: {len(e)} vehicles, MAE {_abs(np.mean(np.abs(e)))}, "
                     f"bias {_pct(np.mean(e))}")
    if both:
        e = np.array([k["error"] for k in both])
        w = np.array([k["wltc_error"] for k in both])
        lines.append(f"The {len(both)} with a WLTC figure too: JC08 MAE "
                     f"{_abs(np.mean(np.abs(e)))}, bias {_pct(np.mean(e))}; WLTC MAE "
                     f"{_abs(np.mean(np.abs(w)))}, bias {_pct(np.mean(w))}")
    for k in rows:
        if k["unit"] == "Wh/km":
            lines.append(f"JC08, BEV: {k['model']} {_pct(k['error'])}")
    return lines


#: the 0-60 table's words for a row's ``zero_to_60_start`` (the model's time is corrected
#: to it: keidesign.validation.performance)
ACCEL_STARTS = {"rest": "rest", "rollout_1ft": "after 1 ft (corrected)",
                "from_3mph": "at 3 mph (corrected)"}


def _accel_markdown(r: dict) -> list[str]:
    lines = ["", "### 0-60 mph against published tests (not fitted)", "",
             "| car | published | model | error | clock starts | published by |",
             "| --- | --- | --- | --- | --- | --- |"]
    for c in r["cases"]:
        lines.append(f"| {c.name} | {c.published_s:.1f} s | {c.model_s:.1f} s | "
                     f"{_pct(c.error)} | {ACCEL_STARTS[c.start]} | {c.basis[:70]} |")
    s = fe.stats(r["err"])
    lines.append(f"\n{s['n']} cars: MAE {_abs(s['mae'])}, bias {_pct(s['bias'])}"
                 + (f"; not importable: {', '.join(n for n, _ in r['failed'])}"
                    if r["failed"] else ""))
    return lines


def car_id(car: Any) -> str:
    """A test configuration's identity in ``validation.json``: its ``key`` (year, make
    and model, vehicle id, transmission, ETW) and its EPA test numbers, ``"<key> #<test
    numbers joined by +>"``. The key alone is a label (one car tested at several road-load
    settings gives several configurations of one key: 674 configurations, 568 keys); the
    test numbers are read once each (``testcars.test_cars``), so no two configurations
    share this id (``benchmarks/testcar_id.py``, issue 13)."""
    return f"{car.key} #{'+'.join(car.test_numbers)}"


def as_json(res: dict) -> dict:
    """The numbers (table rows, fits, per-car predictions) as JSON-ready data. Each
    per-car row names the configuration by ``car`` (its key, not unique) and ``id``
    (:func:`car_id`, unique within a comparison) with its EPA ``test_numbers``."""
    cars = []
    for key in ("ice_shipped", "ice_lofo", "ev_shipped", "ev_lofo", "hybrid_shipped",
                "hybrid_lofo"):
        comp = res.get(key)
        if comp is None:
            continue
        for i, car in enumerate(comp.cars):
            cars.append({"car": car.key, "id": car_id(car),
                         "test_numbers": list(car.test_numbers),
                         "family": car.family, "class": car.cls,
                         "constants": comp.how,
                         **{f"{t}_measured": float(comp.measured[t][i]) for t in fe.TESTS},
                         **{f"{t}_model": float(comp.predicted[t][i]) for t in fe.TESTS}})
    return {"schema": "keidesign.validation/1", "quick": res.get("quick", False),
            "external_rows": res.get("external", False),
            "n_cars": res["n_cars"], "n_families": res["n_families"],
            "ice_fit": res.get("ice_fit"), "bev_fit": res.get("bev_fit"),
            "table": table_rows(res) + (roadload_rows(res["roadload"])
                                        if "roadload" in res else [])
            + (specs_rows(res["specs"]) if "specs" in res else []),
            "roadload_fit": res["roadload"]["fit"] if "roadload" in res else None,
            "kei": res.get("kei"), "kei_jc08": res.get("kei_jc08"),
            "accel": [{"car": c.name, "published_s": c.published_s, "model_s": c.model_s,
                       "start": c.start, "model_rest_s": c.model_rest_s}
                      for c in res["accel"]["cases"]] if "accel" in res else None,
            "adfe": {how: {"stats": fe.adfe_stats(comp), "cars": [
                {"car": car.key, "id": car_id(car), "test_numbers": list(car.test_numbers),
                 "family": car.family, "class": car.cls,
                 **{f"{t}_derived": _num(comp.measured[t][i]) for t in fe.TESTS},
                 **{f"{t}_model": _num(comp.predicted[t][i]) for t in fe.TESTS}}
                for i, car in enumerate(comp.cars)]} for how, comp in res["adfe"].items()}
            if "adfe" in res else None,
            "cars": cars}


def _num(x: float) -> float | None:
    """A JSON number, None for NaN (no derived value for that test)."""
    return float(x) if math.isfinite(x) else None


def _save(fig: Any, path: Path, dpi: int) -> Path:
    """Lay out, write and close a figure; returns its path."""
    import matplotlib.pyplot as plt

    from keidesign.outpaths import save_figure

    fig.tight_layout()
    save_figure(fig, path, dpi=dpi)   # atomic replace: never through a link (s32g)
    plt.close(fig)
    return path


def plots(res: dict, out: Path) -> list[Path]:
    """Parity plots and error histograms (PNG) into ``out``; returns the paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    colours = {"cvt": "tab:blue", "automatic": "tab:orange", "dct": "tab:purple",
               "manual": "tab:green", "ev": "tab:red"}
    written = []
    panels = []  # (file stem, comparison, test, title, unit)
    for key, fuel, unit in (("ice_lofo", "gasoline", "mpg"), ("ev_lofo", "EV", "MPGe")):
        if key in res:
            panels += [("unadjusted", res[key], t, f"{fuel}: unadjusted {t}", unit)
                       for t in fe.TESTS]
    if "labels_lofo" in res:
        comp = res["labels_lofo"]
        panels += [("label", comp, t, f"label {t}", "mpg / MPGe")
                   for t in ("city", "hwy", "comb")]
    for stem in ("unadjusted", "label"):
        mine = [p for p in panels if p[0] == stem]
        if not mine:
            continue
        ncol = 2 if stem == "unadjusted" else 3
        nrow = -(-len(mine) // ncol)
        fig, axes = plt.subplots(nrow, ncol, figsize=(4.6 * ncol, 4.3 * nrow), squeeze=False)
        for ax, (_, comp, test, title, unit) in zip(axes.flat, mine, strict=False):
            meas, pred = comp.measured[test], comp.predicted[test]
            for cls, col in colours.items():
                m = np.array([car.cls == cls for car in comp.cars], dtype=bool)
                if m.any():
                    ax.scatter(meas[m], pred[m], s=9, c=col, label=f"{cls} ({m.sum()})",
                               alpha=0.7)
            lo = 0.9 * float(min(meas.min(), pred.min()))
            hi = 1.05 * float(max(meas.max(), pred.max()))
            xs = np.array([lo, hi])
            ax.plot(xs, xs, "k-", lw=0.8)
            ax.plot(xs, 1.05 * xs, "k:", lw=0.6)
            ax.plot(xs, 0.95 * xs, "k:", lw=0.6)
            ax.set_xlim(lo, hi)
            ax.set_ylim(lo, hi)
            ax.set_xlabel(f"measured ({unit})")
            ax.set_ylabel("model, leave-one-family-out")
            ax.set_title(title)
            ax.legend(fontsize=7)
        for ax in list(axes.flat)[len(mine):]:
            ax.axis("off")
        written.append(_save(fig, out / f"parity_{stem}.png", 100))
    if "roadload" in res:
        r = res["roadload"]
        y = np.array([c.target for c in r["cases"]])
        fig, axes = plt.subplots(1, 3, figsize=(13.8, 4.3))
        for j, ax in enumerate(axes):
            for cls, col in colours.items():
                m = np.array([c.car.cls == cls for c in r["cases"]], dtype=bool)
                if m.any():
                    ax.scatter(y[m, j], y[m, j] * (1 + r["lofo"][m, j]), s=9, c=col,
                               alpha=0.7, label=f"{cls} ({m.sum()})")
                    ax.scatter(y[m, j], y[m, j] * (1 + r["today"][m, j]), s=4, c="0.6",
                               alpha=0.5, marker="x")
            lo, hi = 0.8 * y[:, j].min(), 1.2 * y[:, j].max()
            ax.plot([lo, hi], [lo, hi], "k-", lw=0.8)
            ax.set_xlim(lo, hi)
            ax.set_ylim(lo, hi)
            ax.set_xlabel(f"EPA target road load at {rl.SPEEDS_MPH[j]:.0f} mph (N)")
            ax.set_ylabel("model from specs (N); grey x: Crr 0.009, no speed term")
            ax.legend(fontsize=7)
        written.append(_save(fig, out / "parity_roadload.png", 100))
    # histograms of relative error (LOFO), per class; errors beyond +/-30 % are counted
    # in the edge bins (docs/validation.md says so)
    comps = [res[k] for k in ("ice_lofo", "ev_lofo") if k in res]
    if comps:
        fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        bins = np.linspace(-0.3, 0.3, 49)
        for ax, test in zip(axes, fe.TESTS, strict=True):
            for cls, col in colours.items():
                e = np.concatenate([comp.error(test)[np.array(
                    [car.cls == cls for car in comp.cars], dtype=bool)] for comp in comps])
                if e.size:
                    ax.hist(np.clip(e, -0.3, 0.3), bins=bins, histtype="step", color=col,
                            label=f"{cls} ({e.size})")
            ax.axvline(0, color="k", lw=0.8)
            ax.set_xlabel(f"{test}: model / measured - 1 (leave-one-family-out)")
            ax.set_ylabel("configurations")
            ax.legend(fontsize=8)
        written.append(_save(fig, out / "error_histogram.png", 110))
    return written
