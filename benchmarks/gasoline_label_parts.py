"""The gasoline label combined from specs taken apart, in the data and on the absent
families (issue 13, task s41c).

    python benchmarks/validation_probes.py gasoline_label_parts
    # seconds with label_split's cache current, else ~12-25 min (it computes the cache),
    # then ~1 min for the absent rows

The issue's target is the gasoline label combined from published specs alone held out by
family: MAE <= 5 %, bias within +-2 % (5.7 %, -0.1 % in docs/validation.md's table (b)-(e)).
This probe splits every configuration's error the way ``absent_bevs`` splits the absent
BEVs', into four parts that add up to it exactly (percentage points of the label's
relative error):

* **test mass**: the change when the EPA test car's measured ETW replaces the predicted
  test mass, and **road load**: the change when its target coast-down replaces the
  predicted road load; each the two swap orders averaged
  (``0.5 (specs - etw + coast - both)`` and ``0.5 (specs - coast + etw - both)``, as
  ``label_parts``, ``label_split`` and ``absent_bevs.split`` do), so that together they are
  ``specs - both``;
* **powertrain**: the label error with both measured settings in, less the label
  formula's: the import's powertrain inputs and the powertrain model (``both - formula``;
  in the data it is split further into the import's inputs, ``both - a``, and the (a)
  kernel held out by family, ``a - formula``, as ``label_split`` does);
* **label formula**: the published label against the derived 5-cycle formula (the set
  fueleconomy.gov uses for the model year, :func:`keidesign.label.fueleconomy_gov_set`)
  applied to the test car's measured unadjusted FTP / HWFET: what of the error no model
  of the tested configuration can carry (the label stands for the sales-weighted model
  type; rounding).

In the data the rows are ``validation_probes.label_split_rows`` (the labelled gasoline
configurations of the specs-only chain, every constant refitted without the family on the
probes' footing: two grid points, one Gauss-Newton step per family; cached in
``benchmarks/results/label_split.json``). On the absent stand-in they are
``absent_families.parts`` (the gasoline rows of ``absent_families.csv`` with an EPA test
car of their own; shipped constants, nothing fitted to them). Each table gives the whole
and each part's MAE and bias, by transmission class (automatics and manuals also by gear
count) and model-year band, with the predicted test mass against the ETW and the road load
at 50 mph against the target beside them. Nothing is fitted here and no model constant
changes; the numbers are in docs/validation.md, "The gasoline label from specs taken
apart".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

#: the parts, in the order they are printed (they add up to ``total``)
PARTS = ("mass", "road", "powertrain", "formula")
#: model-year bands (first, last), as ``label_split``'s
YEAR_BANDS = ((2011, 2013), (2014, 2016), (2017, 2019), (2020, 2023))


def formula_label(ftp_mpg: float, hwfet_mpg: float, year: int) -> float:
    """Label combined mpg from the unadjusted FTP / HWFET (mpg) through the derived 5-cycle
    set fueleconomy.gov uses for model year ``year`` (55 / 45 harmonic combination)."""
    from keidesign import label as lab

    s = lab.fueleconomy_gov_set(int(year))
    return float(lab.combined_55_45(*lab.label_from_unadjusted(ftp_mpg, hwfet_mpg, s)))


def split(err: dict[str, float]) -> dict[str, float]:
    """The parts of one configuration's label error from specs. ``err``: the label
    combined error (any unit, points or fractions) from specs (``specs``), with the
    measured ETW (``etw``), with the target coast-down (``coast``), with both (``both``),
    and of the formula on the measured FTP / HWFET (``formula``); optionally of the (a)
    kernel held out (``a``), which adds ``inputs`` and ``kernel`` (splitting
    ``powertrain``). The four :data:`PARTS` add up to ``total`` exactly."""
    s, e, c, b, f = (err[k] for k in ("specs", "etw", "coast", "both", "formula"))
    out = {"total": s, "mass": 0.5 * (s - e + c - b), "road": 0.5 * (s - c + e - b),
           "powertrain": b - f, "formula": f, "both": b}
    if "a" in err:
        out["inputs"] = b - err["a"]
        out["kernel"] = err["a"] - f
    return out


def in_data_rows(rows: Sequence[dict] | None = None) -> list[dict]:
    """One dict per labelled gasoline configuration of ``label_split_rows`` (``rows`` if
    given, else the cache, computed when stale): class, gears, model year, family, the
    parts of :func:`split` in points (%), the predicted test mass against the ETW and the
    road load at 50 mph against the target (%)."""
    if rows is None:
        import validation_probes as vp
        rows = vp.label_split_rows()
    out = []
    for r in rows:
        e = r["err"]
        p = split({"specs": e["specs"], "etw": e["etw"], "coast": e["coast"],
                   "both": e["both"], "a": e["a"], "formula": e["meas"]})
        out.append({"cls": r["cls"], "gears": int(r["gears"]), "year": int(r["year"]),
                    "family": r["family"], **{k: 100.0 * v for k, v in p.items()},
                    "test_mass": 100.0 * r["test_mass"], "road50": 100.0 * r["road"][1]})
    return out


def absent_rows(items: Sequence[dict] | None = None) -> list[dict]:
    """The same for the gasoline rows of ``absent_families.csv`` with an EPA test car:
    ``items`` of ``absent_families.parts`` (run here when None; ~1 min), the formula part
    from the test car's measured FTP / HWFE (``testcar_*_mpg``) and the published
    combined label (points, %)."""
    import absent_families as af

    if items is None:
        items = af.parts([r for r in af.rows() if not r["motor_kw"]])
    out = []
    for it in items:
        r = it["row"]
        if r["motor_kw"]:
            continue
        pub = af.published(r, "combined")
        f = 100.0 * (formula_label(float(r["testcar_ftp_mpg"]), float(r["testcar_hwfe_mpg"]),
                                   int(r["model_year"])) / pub - 1.0)
        p = split({**{k: it["err"][k] for k in ("specs", "etw", "coast", "both")},
                   "formula": f})
        gears = int(r["gears"]) if r["gears"] else 0
        out.append({"cls": af.trans_class(r), "gears": gears, "year": int(r["model_year"]),
                    "family": r["family"], "config": r["config"], **p,
                    "test_mass": it["test_mass"], "road50": it["road50"],
                    "ftp": it["ftp"], "hwfet": it["hwfet"]})
    return out


def groups(rows: Sequence[dict]) -> list[tuple[str, list[dict]]]:
    """``all``, each transmission class (automatics and manuals also by gear count: <= 5,
    6+) and each model-year band of :data:`YEAR_BANDS`; empty groups left out."""
    out: list[tuple[str, list[dict]]] = [("all", list(rows))]
    for k in ("cvt", "automatic", "dct", "manual"):
        out.append((k, [r for r in rows if r["cls"] == k]))
        if k in ("automatic", "manual"):
            out.append((f"{k} <= 5", [r for r in rows if r["cls"] == k and r["gears"] <= 5]))
            out.append((f"{k} 6+", [r for r in rows if r["cls"] == k and r["gears"] >= 6]))
    for lo, hi in YEAR_BANDS:
        out.append((f"MY{lo}-{hi % 100:02d}", [r for r in rows if lo <= r["year"] <= hi]))
    return [(n, g) for n, g in out if g]


def mae_bias(x: Iterable[float]) -> tuple[float, float]:
    v = list(x)
    return sum(abs(a) for a in v) / len(v), sum(v) / len(v)


def table(rows: Sequence[dict], title: str, extra: tuple[str, ...] = ()) -> list[str]:
    """Markdown lines: per group of :func:`groups` n, families, the whole and each part's
    MAE (bias), the sum of the parts' biases (equal to the whole's), ``extra`` parts, and
    the test mass vs ETW and road load at 50 mph vs target MAE (bias); %, points."""
    cols = ("total",) + PARTS + extra
    head = (["group", "n", "families"] + [f"{'whole' if c == 'total' else c}" for c in cols]
            + ["sum of part biases", "test mass vs ETW", "road 50 mph vs target"])
    lines = [f"{title}", "", "| " + " | ".join(head) + " |",
             "|" + " --- |" * len(head)]
    for name, g in groups(rows):
        cells = [name, str(len(g)), str(len({r["family"] for r in g}))]
        for c in cols:
            m, b = mae_bias(r[c] for r in g)
            cells.append(f"{m:.2f} ({b:+.2f})")
        cells.append(f"{sum(mae_bias(r[c] for r in g)[1] for c in PARTS):+.2f}")
        for c in ("test_mass", "road50"):
            m, b = mae_bias(r[c] for r in g)
            cells.append(f"{m:.1f} ({b:+.1f})")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def check_adds_up(rows: Sequence[dict], tol: float = 1e-9) -> None:
    """Raise if a row's parts do not add up to its whole (or, in the data, the inputs and
    the kernel to the powertrain)."""
    for r in rows:
        if abs(sum(r[k] for k in PARTS) - r["total"]) > tol:
            raise AssertionError(f"parts do not add up: {r}")
        if "inputs" in r and abs(r["inputs"] + r["kernel"] - r["powertrain"]) > tol:
            raise AssertionError(f"powertrain parts do not add up: {r}")


def main(in_data: Sequence[dict] | None = None, absent: Sequence[dict] | None = None
         ) -> tuple[list[dict], list[dict]]:
    ind = in_data_rows() if in_data is None else list(in_data)
    ab = absent_rows() if absent is None else list(absent)
    check_adds_up(ind)
    check_adds_up(ab)
    print("\n".join(table(
        ind, f"In the data: {len(ind)} labelled gasoline configurations, label combined from "
        "specs held out by family (probe footing), MAE (bias) of the whole and of each "
        "part, %, points", extra=("inputs", "kernel"))))
    print()
    print("\n".join(table(
        ab, f"Absent stand-in: {len(ab)} gasoline configurations of absent_families.csv with "
        "an EPA test car, shipped constants, MAE (bias), %, points")))
    return ind, ab


if __name__ == "__main__":
    main()
