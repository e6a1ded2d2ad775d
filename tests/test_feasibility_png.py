"""The sweep's feasibility map names every zero-margin line it draws (new-user pass
s34d: a 3 x 3 run of studies/feasibility_crush_height.toml, `--set sweep.levels=3`,
drew the label-mpg floor's line without a name: matplotlib's clabel leaves out a label
longer than its line, and the legend names only the coloured regions)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from keidesign.studies import feasibility

X, Y = "crash:front:crush_length", "body:height"


def _map(monkeypatch, tmp_path, ids):
    """Draw a 3 x 3 map with one short zero line per id; return the axes' texts."""
    xs, ys = [500.0, 750.0, 1000.0], [1500.0, 1800.0, 2100.0]
    cls = np.full((3, 3), ".", dtype=object)
    rows, margins = [], []
    for k, cid in enumerate(ids):
        margins.append(SimpleNamespace(id=cid, output=f"m{k}", min_margin=0.0,
                                       constrained=True, fixed=False, applies_to=()))
    for i, y in enumerate(ys):
        for j, x in enumerate(xs):
            # line k: negative at one corner only (line k = 0 top right, 1 bottom left):
            # a short line around it, shorter than its name
            corner = [(2, 2), (0, 0), (2, 0), (0, 2)]
            outs = {f"m{k}": -1.0 if (i, j) == corner[k] else 1.0 for k in range(len(ids))}
            rows.append({"status": "ok", "inputs": {X: x, Y: y}, "outputs": outs})
    g = {"x": X, "y": Y, "xs": xs, "ys": ys, "cls": cls}
    seen = {}

    def keep(fig, path, **kw):
        seen["texts"] = [t.get_text() for ax in fig.axes for t in ax.texts]

    monkeypatch.setattr(feasibility, "save_figure", keep)
    feasibility._png(g, rows, margins, "t", tmp_path / "m.png")
    return seen["texts"]


def test_every_drawn_line_is_named(monkeypatch, tmp_path):
    ids = ["study:energy:label_comb_mpg.lower", "fmvss:fmvss208.ride_down_space"]
    texts = _map(monkeypatch, tmp_path, ids)
    for cid in ids:
        assert texts.count(cid) >= 1, (cid, texts)


def test_a_line_that_is_not_drawn_is_not_named(monkeypatch, tmp_path):
    """A constraint whose margin never changes sign draws no line and gets no name."""
    texts = _map(monkeypatch, tmp_path, ["a:short.line"])
    assert texts.count("a:short.line") >= 1
    xs = [500.0, 750.0]
    g = {"x": X, "y": Y, "xs": xs, "ys": xs, "cls": np.full((2, 2), ".", dtype=object)}
    rows = [{"status": "ok", "inputs": {X: x, Y: y}, "outputs": {"m": 1.0}}
            for y in xs for x in xs]
    m = SimpleNamespace(id="never.zero", output="m", min_margin=0.0, constrained=True,
                        fixed=False, applies_to=())
    seen = {}
    monkeypatch.setattr(feasibility, "save_figure",
                        lambda fig, path, **kw: seen.setdefault(
                            "t", [t.get_text() for ax in fig.axes for t in ax.texts]))
    feasibility._png(g, rows, [m], "t", tmp_path / "n.png")
    assert "never.zero" not in seen["t"]
