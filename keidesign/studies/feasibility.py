"""Feasibility maps: which constraint binds where, over two design variables.

From the cases of a ``map = [x, y]`` sweep, one map per discrete combination:

* ``feasibility_map[_<combo>].txt``: a character grid (y up, x right): ``.`` feasible,
  a letter the constraint that is violated most (relative to its scale) at that point,
  ``?`` a case that made no vehicle or failed, with the legend;
* ``feasibility_map[_<combo>].png``: the same regions coloured, with the zero-margin
  line of every constraint drawn and labelled (where it crosses the map).
"""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

import numpy as np

from keidesign import variables as reg
from keidesign.outpaths import replace_file, save_figure
from keidesign.plaintext import literal_text
from keidesign.studies.spec import Study

__all__ = ["SUFFIX_MAX", "file_suffix", "map_grid", "write_maps"]


def _label(name: str) -> str:
    u = reg.get(name).units
    return f"{name.replace(':', '.')} [{u}]" if u and u != "unitless" else name


#: Characters a discrete value keeps in a map's file name (the rest become ``_``); at
#: most :data:`SUFFIX_MAX` of them per value.
SUFFIX_CHARS = frozenset(string.ascii_letters + string.digits + ".+-")
SUFFIX_MAX = 40


def file_suffix(values: Any, taken: Any = ()) -> str:
    """``_<value>`` for each discrete value, as a file-name part: letters, digits and
    ``.+-`` kept, anything else ``_``, at most :data:`SUFFIX_MAX` characters a value
    (the shipped choices such as ``dp_780`` or ``cvt`` are unchanged); a suffix whose map
    is in ``taken`` (as ``map_txt<suffix>``) gets the first free ``_2``, ``_3``, ...
    A study's discrete value is text from its file: ``design.name`` swept over
    ``a/../../../x`` named ``<out>/feasibility_map_a/../../../x.txt``, outside the
    results folder (it failed at the end of the run only because that folder did not
    exist, s28d)."""
    suffix = "".join("_" + "".join(c if c in SUFFIX_CHARS else "_" for c in str(v))[:SUFFIX_MAX]
                     for v in values)
    out, n = suffix, 1
    while f"map_txt{out}" in taken:
        n += 1
        out = f"{suffix}_{n}"
    return out


def map_grid(study: Study, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Grid axes and per-point classification of the rows of one combination."""
    xn, yn = study.sweep["map"]
    xs = sorted({r["inputs"][xn] for r in rows})
    ys = sorted({r["inputs"][yn] for r in rows})
    ix = {v: i for i, v in enumerate(xs)}
    iy = {v: i for i, v in enumerate(ys)}
    cls = np.full((len(ys), len(xs)), "", dtype=object)
    for r in rows:
        j, i = ix[r["inputs"][xn]], iy[r["inputs"][yn]]
        if r["status"] != "ok":
            cls[i, j] = "?"
        elif r["feasible"]:
            cls[i, j] = "."
        else:
            cls[i, j] = r["binding"]
    return {"x": xn, "y": yn, "xs": xs, "ys": ys, "cls": cls}


def write_maps(study: Study, res: Any) -> dict[str, Path]:
    """Write the text and PNG map of every discrete combination."""
    files: dict[str, Path] = {}
    combos = study.discrete_combinations()
    for combo in combos:
        rows = [r for r in res.rows
                if all(r["inputs"].get(k) == v for k, v in combo.items())]
        if not rows:
            continue
        suffix = file_suffix(combo.values(), taken=files)
        key = json.dumps(dict(combo), sort_keys=True, default=str)
        margins = res.margins[key]
        g = map_grid(study, rows)
        title = study.name + (" (" + ", ".join(f"{k.replace(':', '.')} = {v}"
                                               for k, v in combo.items()) + ")" if combo else "")
        txt = res.out / f"feasibility_map{suffix}.txt"
        replace_file(txt, _text(g, title))
        files[f"map_txt{suffix}"] = txt
        png = res.out / f"feasibility_map{suffix}.png"
        _png(g, rows, margins, title, png)
        files[f"map_png{suffix}"] = png
    return files


def _text(g: dict[str, Any], title: str) -> str:
    ids = sorted({c for c in g["cls"].ravel() if c not in ("", ".", "?")})
    letters = dict(zip(ids, string.ascii_uppercase, strict=False))
    lines = [title, f"y: {_label(g['y'])} (up), x: {_label(g['x'])} (right)", ""]
    width = max(len(f"{y:g}") for y in g["ys"])
    for i in range(len(g["ys"]) - 1, -1, -1):
        row = "".join(letters.get(c, c or " ") for c in g["cls"][i])
        lines.append(f"{g['ys'][i]:>{width}g} | {row}")
    lines.append(" " * width + " +-" + "-" * len(g["xs"]))
    lines.append(" " * width + f"   x from {g['xs'][0]:g} to {g['xs'][-1]:g}")
    lines.append("")
    lines.append("legend: . feasible; ? no vehicle (invalid) or failed")
    for cid, letter in letters.items():
        lines.append(f"        {letter} violates {cid} most")
    return "\n".join(lines) + "\n"


def _name_line(ax: Any, cs: Any, name: str) -> None:
    """Write ``name`` beside the middle of the longest piece of a zero-margin line that
    matplotlib's ``clabel`` left unnamed (it leaves out a label longer than its line:
    on a coarse map, e.g. 3 x 3, a line went unnamed, new-user pass s34d)."""
    segs = [np.asarray(v) for v in cs.allsegs[0] if len(v) >= 2]
    if not segs:
        return
    seg = max(segs, key=lambda v: float(np.sum(np.hypot(*np.diff(v, axis=0).T))))
    x, y = seg[len(seg) // 2]
    ax.annotate(name, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=7,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                      "alpha": 0.7})


@literal_text
def _png(g: dict[str, Any], rows: list[dict[str, Any]], margins: list, title: str,
         path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    from keidesign.studies.problem import applies

    cls = g["cls"]
    cats = ["."] + sorted({c for c in cls.ravel() if c not in ("", ".", "?")}) + ["?"]
    code = np.vectorize(lambda c: cats.index(c) if c in cats else len(cats) - 1)(cls)
    palette = ["#9be39b", "#f4a582", "#92c5de", "#d6a1e0", "#f7e07e", "#c2a383", "#e0e0e0"]
    colors = [palette[0]] + [palette[1 + i % (len(palette) - 2)] for i in range(len(cats) - 2)]
    colors.append("#bdbdbd")
    xs, ys = np.array(g["xs"]), np.array(g["ys"])
    fig, ax = plt.subplots(figsize=(8, 6), dpi=110)
    ax.pcolormesh(xs, ys, code, cmap=ListedColormap(colors), vmin=-0.5,
                  vmax=len(cats) - 0.5, shading="nearest")
    # zero-margin line of each constraint
    ix = {v: i for i, v in enumerate(g["xs"])}
    iy = {v: i for i, v in enumerate(g["ys"])}
    for m in margins:
        if not (m.constrained or m.fixed):
            continue
        z = np.full(cls.shape, np.nan)
        for r in rows:
            if r["status"] == "ok" and m.output in r["outputs"] \
                    and applies(m, r.get("class") or None):
                z[iy[r["inputs"][g["y"]]], ix[r["inputs"][g["x"]]]] = (
                    r["outputs"][m.output] - m.min_margin)
        if np.all(np.isnan(z)) or np.nanmin(z) > 0 or np.nanmax(z) < 0 or len(xs) < 2 \
                or len(ys) < 2:
            continue
        cs = ax.contour(xs, ys, z, levels=[0.0], colors="k", linewidths=1.2)
        if not ax.clabel(cs, fmt={0.0: m.id}, fontsize=7):
            _name_line(ax, cs, m.id)
    handles = [plt.Rectangle((0, 0), 1, 1, color=colors[i]) for i in range(len(cats))]
    names = ["feasible"] + [f"violates {c}" for c in cats[1:-1]] + ["no vehicle / failed"]
    ax.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2,
              fontsize=8, frameon=False)
    ax.set_xlabel(_label(g["x"]))
    ax.set_ylabel(_label(g["y"]))
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    save_figure(fig, path)
    plt.close(fig)
