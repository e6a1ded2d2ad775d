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

from keidesign.validation import fueleconomy as fe

__all__ = ["QUICK_GRID", "QUICK_STRIDE", "as_json", "markdown", "plots", "run", "table_rows"]

#: ``--quick``: every 6th configuration, a two-point strategy grid (tests, a first look).
QUICK_STRIDE = 6
QUICK_GRID = ((1500.0, 1000.0), (1750.0, 1000.0))
CLASSES = ("cvt", "automatic", "dct", "manual", "ev")


def run(quick: bool = False) -> dict[str, Any]:
    """All comparisons (``quick``: a subset, see :data:`QUICK_STRIDE`)."""
    cars = list(fe.tc.test_cars())
    if quick:
        cars = cars[::QUICK_STRIDE]
    res = fe.validate_unadjusted(cars, grid=QUICK_GRID if quick else None)
    res["labels_shipped"] = fe.compare_labels(
        fe.Comparison(res["ice_shipped"].cars + res["ev_shipped"].cars,
                      _cat(res["ice_shipped"].measured, res["ev_shipped"].measured),
                      _cat(res["ice_shipped"].predicted, res["ev_shipped"].predicted),
                      "shipped"))
    res["labels_lofo"] = fe.compare_labels(
        fe.Comparison(res["ice_lofo"].cars + res["ev_lofo"].cars,
                      _cat(res["ice_lofo"].measured, res["ev_lofo"].measured),
                      _cat(res["ice_lofo"].predicted, res["ev_lofo"].predicted), "lofo"))
    res["quick"] = quick
    res["n_cars"] = len(cars)
    res["n_families"] = len({car.family for car in cars})
    return res


def _cat(a: dict, b: dict) -> dict:
    return {k: np.concatenate([a[k], b[k]]) for k in fe.TESTS}


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
            out[cls] = s
    return out


def table_rows(res: dict) -> list[dict]:
    """One row per (what, constants, test, class): the numbers of the report."""
    rows = []
    for what, key in (("unadjusted", "ice"), ("unadjusted", "ev")):
        for how in ("shipped", "lofo"):
            comp = res.get(f"{key}_{how}")
            if comp is None:
                continue
            for test in fe.TESTS:
                for cls, s in _by_class(comp, test).items():
                    if key == "ev" and cls == "all":
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
    lines = [f"EPA test cars: {res['n_cars']} configurations, {res['n_families']} families"
             + (" (quick subset)" if res.get("quick") else ""), ""]
    hyb = res.get("hybrids", [])
    if hyb:
        lines += [f"Hybrids listed, not simulated: {len(hyb)} configurations.", ""]
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
    lines += ["", "### Worst configurations (leave-one-family-out, FTP)", "",
              "| configuration | class | measured | model | error |", "| --- | --- | --- | "
              "--- | --- |"]
    for key in ("ice_lofo", "ev_lofo"):
        comp = res.get(key)
        if comp is None:
            continue
        e = comp.error("ftp")
        for i in np.argsort(-np.abs(e))[:5]:
            car = comp.cars[i]
            lines.append(f"| {car.key} | {car.cls} | {comp.measured['ftp'][i]:.1f} | "
                         f"{comp.predicted['ftp'][i]:.1f} | {_pct(e[i])} |")
    if "ice_fit" in res:
        f = res["ice_fit"]
        lines += ["", "All-car ICE fit: " + ", ".join(f"{k} = {v:.4g}" for k, v in f.items())]
    if "bev_fit" in res:
        lines += ["All-EV fit: " + ", ".join(f"{k} = {v:.4g}"
                                             for k, v in res["bev_fit"].items())]
    return "\n".join(lines)


def as_json(res: dict) -> dict:
    """The numbers (table rows, fits, per-car predictions) as JSON-ready data."""
    cars = []
    for key in ("ice_shipped", "ice_lofo", "ev_shipped", "ev_lofo"):
        comp = res.get(key)
        if comp is None:
            continue
        for i, car in enumerate(comp.cars):
            cars.append({"car": car.key, "family": car.family, "class": car.cls,
                         "constants": comp.how,
                         **{f"{t}_measured": float(comp.measured[t][i]) for t in fe.TESTS},
                         **{f"{t}_model": float(comp.predicted[t][i]) for t in fe.TESTS}})
    return {"schema": "keidesign.validation/1", "quick": res.get("quick", False),
            "n_cars": res["n_cars"], "n_families": res["n_families"],
            "ice_fit": res.get("ice_fit"), "bev_fit": res.get("bev_fit"),
            "table": table_rows(res), "cars": cars}


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
        fig.tight_layout()
        p = out / f"parity_{stem}.png"
        fig.savefig(p, dpi=100)
        plt.close(fig)
        written.append(p)
    # histograms of relative error (LOFO), per class
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
        fig.tight_layout()
        p = out / "error_histogram.png"
        fig.savefig(p, dpi=110)
        plt.close(fig)
        written.append(p)
    return written
