"""Design review: 3D scenes, plots and the HTML report (keidesign.review).

Images are checked by pixel statistics (not blank: enough non-background pixels, spread
and colours; the crush-budget colours where they must be), the side-by-side comparison
by rendering one car twice (both viewports must be the same picture: same camera, same
scale), the report by its content (every constraint id of the result's compliance,
every image embedded, nothing loaded from outside).
"""

from __future__ import annotations

import base64
import html
import json
import math
import re

import numpy as np
import pytest
from conftest import DESIGNS, ROOT

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _png(data_or_path) -> np.ndarray:
    import io

    import matplotlib.image as mpimg

    if isinstance(data_or_path, (bytes, bytearray)):
        return mpimg.imread(io.BytesIO(data_or_path), format="png")[..., :3]
    return mpimg.imread(str(data_or_path))[..., :3]


def assert_not_blank(img: np.ndarray, what: str, min_ink: float = 0.05) -> None:
    """Not blank: a share of pixels away from the background (the most common colour),
    some spread, and more than a handful of colours."""
    flat = img.reshape(-1, 3)
    q = np.round(flat * 255).astype(int)
    keys = q[:, 0] * 65536 + q[:, 1] * 256 + q[:, 2]
    vals, counts = np.unique(keys, return_counts=True)
    bg = vals[np.argmax(counts)]
    ink = float(np.mean(keys != bg))
    assert ink > min_ink, f"{what}: only {ink:.1%} of the pixels differ from the background"
    assert float(flat.std()) > 0.05, f"{what}: no contrast"
    assert len(vals) > 50, f"{what}: only {len(vals)} colours"
    assert img.shape[0] > 200 and img.shape[1] > 300, f"{what}: tiny image {img.shape}"


def _share(img: np.ndarray, rgb, tol: float = 0.12) -> float:
    return float(np.mean(np.all(np.abs(img - np.asarray(rgb)) < tol, axis=-1)))


@pytest.fixture(scope="module")
def cands():
    from keidesign.review.candidate import load_candidate

    base = load_candidate(DESIGNS / "nbox_class.toml", label="JDM baseline")
    us = load_candidate(DESIGNS / "nbox_class_us.toml", packs=base.evaluation.packs,
                        label="US variant")
    return base, us


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Small optimize (one grade), sweep (3 x 3) and Pareto (2 x 2) runs of the studies."""
    import os

    os.environ["OPENMDAO_REPORTS"] = "0"
    from keidesign.review.gallery import REVIEW_OVERRIDES
    from keidesign.studies.optimize import optimize
    from keidesign.studies.pareto import run_pareto
    from keidesign.studies.runner import SerialRunner
    from keidesign.studies.spec import load_study
    from keidesign.studies.sweep import run_sweep

    work = tmp_path_factory.mktemp("review")
    optimize(load_study(ROOT / "studies" / "tallboy_ice_min_mass.toml", REVIEW_OVERRIDES),
             work / "opt", runner=SerialRunner(), reports=False, step=False)
    run_sweep(load_study(ROOT / "studies" / "feasibility_crush_height.toml",
                         ["sweep.levels=3", "sweep.chunk=9"]), work / "sweep",
              runner=SerialRunner())
    run_pareto(load_study(ROOT / "studies" / "pareto_mass_mpg_frontal.toml",
                          ["pareto.points=2"]), work / "pareto",
               runner_factory=lambda n: SerialRunner())
    return work


# --------------------------------------------------------------------------- candidates


def test_cycle_trace_sums_to_the_model(cands):
    """The per-second traces are the model's kernels: they add up to its cycle results."""
    from keidesign.review.candidate import load_candidate

    base, _ = cands
    tr = base.cycle("hwfet")
    mpg = tr["distance_mi"][-1] / tr["cumulative"][-1]
    assert mpg == pytest.approx(base.value("energy:hwfet_mpg"), rel=1e-9)
    ev = load_candidate(DESIGNS / "sakura_class.toml")
    tr = ev.cycle("hwfet")
    assert tr["cumulative"][-1] / tr["distance_mi"][-1] == pytest.approx(
        ev.value("energy:hwfet_dc_kwh_per_mi"), rel=1e-9)
    with pytest.raises(KeyError, match="unknown cycle"):
        ev.cycle("nedc")


def _crush_space(cand) -> dict:
    return next(c for c in cand.constraints if c["id"] == "fmvss:fmvss208.crush_space")


def test_crush_budget_is_the_models(cands):
    """The budget's "used" is what fmvss208.crush_space compares (the crush past the
    stack, since 3 Dec 2026), not the total dynamic crush, which is kept as "total"."""
    base, us = cands
    b = base.crush_budget()
    rec = _crush_space(base)
    assert b["used"] == pytest.approx(rec["value"])
    assert b["used"] == pytest.approx(base.value("crash:front:crush_past_stack"))
    assert b["available"] == pytest.approx(rec["bound"])
    assert b["total"] == pytest.approx(base.value("crash:front:crush_required"))
    assert b["total"] > b["used"]                     # the stack's own compression
    zones = b["bumper"] + b["crash_box"] + b["rails"] + b["powertrain_push_back"] + \
        b["dash_intrusion"]
    assert zones == pytest.approx(b["available"])
    for c in cands:                                   # the verdict and the picture agree
        assert (c.crush_budget()["used"] <= c.crush_budget()["available"]) == \
            _crush_space(c)["passed"]


@pytest.mark.parametrize("path", sorted(DESIGNS.glob("*.toml")), ids=lambda p: p.stem)
def test_budget_zones_sum_to_the_crush_available(path):
    """The budget's zones end where the crash model's crush available ends, for every
    reference design, the cab-over trucks included (their zones were engine gap +
    engine clearance: 337 mm of bar for carry_class's 257 mm available)."""
    from keidesign.review.candidate import BUDGET_ZONES, load_candidate

    c = load_candidate(path)
    b = c.crush_budget()
    assert all(b[k] >= 0.0 for k in BUDGET_ZONES), b
    assert sum(b[k] for k in BUDGET_ZONES) == pytest.approx(b["available"], abs=1e-6), b
    truck = c.design.values.get("body:style") == "truck"
    assert b["cab_over"] == truck
    if truck:                              # no powertrain ahead of the cab front
        assert b["powertrain_push_back"] == b["rails"] == b["dash_intrusion"] == 0.0
        assert b["cab_front_intrusion"] == pytest.approx(
            c.value("crash:front:dash_intrusion_limit"))


def test_crush_labels_name_what_the_verdict_uses(cands, tmp_path):
    """The evaluate summary, the report's key figures and the budget plot show the crush
    past the stack beside the available, labelled, and the total labelled as such."""
    from keidesign.evaluation import format_table
    from keidesign.review import plots
    from keidesign.review.report import key_figures

    base, _ = cands
    past = base.value("crash:front:crush_past_stack")
    text = format_table(base.evaluation).replace("\n", " ")
    assert re.search(r"crush past the stack at 56 km/h \(fmvss208.crush_space\) "
                     r"crash:front:crush_past_stack = " + f"{past:.4g}", text), text
    assert "total dynamic crush incl. the stack (not judged) crash:front:crush_required" \
        in text
    rows = {r[0]: r for r in key_figures(cands)}
    row = next(r for k, r in rows.items() if k.startswith("crush past the stack"))
    assert row[1] == pytest.approx(past)
    assert not any(k.startswith("crush used") for k in rows)
    assert any(k.startswith("total dynamic crush incl. the stack") for k in rows)
    fig = plots.crush_budget(cands)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any(t.startswith(f"past the stack {past:.0f} mm") for t in texts), texts
    # every label inside the axes and the longest ending near its right edge (the range
    # was 2.2 x the longest bar: the right half empty, review s29d)
    ax = fig.axes[0]
    fig.canvas.draw()
    box = ax.get_window_extent()
    rights = [t.get_window_extent().x1 for t in ax.texts]
    assert max(rights) <= box.x1 + 0.5
    assert max(rights) >= box.x1 - 0.06 * box.width


def test_report_figures_hold_long_names_and_their_legends(cands, tmp_path):
    """With the report's names ("optimum of <study name>", task s32i's review of the main
    job's report) the saved crush budget and margins figures hold their whole legend (it
    was cut at the image's right edge: "... minimum mas") and the budget's bars keep their
    share of the range (the one-line name took half the width: bars 450 of 2,600 mm); the
    crash pulse's legend sits below its axes (inside, it covered the 80-90 g peaks)."""
    from keidesign.review import plots

    labels = [c.label for c in cands]
    cands[0].label = "baseline: N-Box class tall-boy kei"
    cands[1].label = "optimum of US-compliant tall-boy kei, ICE, minimum mass"
    try:
        for name in ("crush_budget", "constraint_margins", "crash_pulse"):
            fig = getattr(plots, name)(list(cands))
            fig.canvas.draw()
            ax = fig.axes[0]
            legend = ax.get_legend().get_window_extent()
            assert legend.y1 <= ax.get_window_extent().y0 + 0.5, (name, legend)
            if name == "crush_budget":
                bars = max(p.get_x() + p.get_width() for p in ax.patches)
                assert bars >= 0.35 * ax.get_xlim()[1], (bars, ax.get_xlim())
            need = fig.get_tightbbox(fig.canvas.get_renderer())   # inches, every artist
            img = _png(plots.save(fig, tmp_path / f"{name}.png", dpi=100))
            assert img.shape[1] >= need.width * 100 - 2, (name, img.shape, need.width)
            assert img.shape[0] >= need.height * 100 - 2, (name, img.shape, need.height)
    finally:
        for c, label in zip(cands, labels, strict=True):
            c.label = label


def test_cycle_traces_hold_long_names(cands, tmp_path):
    """The report's drive-cycle figure with the report's names (new-user pass s34d: in
    `keidesign report results/tallboy` each cumulative panel's legend, "optimum of
    US-compliant tall-boy kei, ICE, minimum mass: 1.78 US gal/100 mi (56.2 mpg)", ran
    past its axes under the next panel, its figures hidden): every panel's legend inside
    its axes, the candidates named in full once, below the panels, and the saved image
    holds it."""
    from keidesign.review import plots

    labels = [c.label for c in cands]
    cands[0].label = "baseline: N-Box class tall-boy kei"
    cands[1].label = "optimum of US-compliant tall-boy kei, ICE, minimum mass"
    try:
        fig = plots.cycle_traces(list(cands))
        fig.canvas.draw()
        for ax in fig.axes:
            leg = ax.get_legend()
            if leg is None:
                continue
            box, lb = ax.get_window_extent(), leg.get_window_extent()
            assert box.x0 - 0.5 <= lb.x0 and lb.x1 <= box.x1 + 0.5, (box, lb)
        texts = [t.get_text() for leg in fig.legends for t in leg.get_texts()]
        assert all(c.label in texts for c in cands), texts
        low = min(ax.get_window_extent().y0 for ax in fig.axes)
        assert all(leg.get_window_extent().y1 <= low + 0.5 for leg in fig.legends)
        need = fig.get_tightbbox(fig.canvas.get_renderer())
        img = _png(plots.save(fig, tmp_path / "cycles.png", dpi=100))
        assert img.shape[1] >= need.width * 100 - 2 and img.shape[0] >= need.height * 100 - 2
    finally:
        for c, label in zip(cands, labels, strict=True):
            c.label = label


def test_force_crush_shows_what_the_verdict_compares(cands):
    """Each force-crush curve ends at the crush past the stack, the value
    fmvss208.crush_space compares with the dotted crush available: a curve crosses its
    line exactly when the criterion fails. The curves were the body crush including the
    stack's compression, which ended at 400 mm past the N-Box class's 380 mm line while
    the criterion passed it by 58 mm."""
    from keidesign.review import plots

    fig = plots.force_crush(cands)
    ax = fig.axes[0]
    curves = [ln for ln in ax.lines if len(ln.get_xdata()) > 2]
    dotted = [ln for ln in ax.lines if ln.get_linestyle() == ":"]
    assert len(curves) == len(dotted) == len(cands)
    for c, curve, line in zip(cands, curves, dotted, strict=True):
        end = float(np.max(curve.get_xdata()))
        assert end == pytest.approx(c.value("crash:front:crush_past_stack"), abs=1e-6)
        assert float(line.get_xdata()[0]) == pytest.approx(
            c.value("crash:front:crush_available"))
        assert (end <= line.get_xdata()[0]) == _crush_space(c)["passed"]
        assert end < c.value("crash:front:crush_required")   # not the total crush
    assert "past the powertrain stack" in ax.get_xlabel()


def test_kei_limits_from_the_packs(cands):
    from keidesign.review.candidate import kei_limits

    assert kei_limits(cands[0]) == pytest.approx((3400.0, 1480.0, 2000.0))


# --------------------------------------------------------------------------- 3D


def test_scene_png_not_blank_and_shows_the_budget(cands, tmp_path):
    from keidesign.review import scene

    base, us = cands
    p = scene.render(base, tmp_path / "base.png", size=(700, 440), legend=False)
    img = _png(p)
    assert img.shape[:2] == (440, 700)
    assert_not_blank(img, "x-ray view", min_ink=0.3)
    red = scene.ROLE_COLOURS["crush used (over budget)"]
    assert _share(img, red) < 1e-5, "red (over budget) on a front that passes its crush space"
    ext = _png(scene.render(us, tmp_path / "ext.png", style="exterior", crush=False,
                            legend=False, size=(600, 400)))
    assert_not_blank(ext, "exterior view", min_ink=0.3)


def test_truck_scene_with_crush_budget(tmp_path):
    """A cab-over truck's crush zone is shorter than its crush used and available: the
    bands beyond it are empty and the scene still renders, with the budget rulers."""
    from keidesign.review import scene
    from keidesign.review.candidate import load_candidate

    truck = load_candidate(DESIGNS / "carry_class.toml", label="truck")
    b = truck.crush_budget()
    assert min(b["used"], b["available"]) > float(truck.body.layout.x_dash)
    assert b["used"] > b["available"] and not _crush_space(truck)["passed"]
    img = _png(scene.render(truck, tmp_path / "truck.png", size=(600, 400)))
    assert_not_blank(img, "truck x-ray view", min_ink=0.2)
    ruler = scene.ROLE_COLOURS["crush available"]
    assert _share(img, ruler) > 2e-4, "the crush-available ruler is not on the picture"
    red = scene.ROLE_COLOURS["crush used (over budget)"]
    assert _share(img, red) > 2e-4, "the over-budget crush (red ruler) is not on the picture"


def test_comparison_same_scale(cands, tmp_path):
    """Two viewports of the same car are the same picture (same camera and scale), and
    two different cars are not."""
    from keidesign.review import scene

    base, us = cands
    same = _png(scene.compare([base, base], tmp_path / "same.png", size=(500, 320),
                              titles=False, legend=False))
    left, right = same[:, :500], same[:, 500:]
    assert_not_blank(left, "left viewport")
    assert np.mean(np.abs(left[4:-4, 4:-4] - right[4:-4, 4:-4]) > 0.1) < 0.01
    two = _png(scene.compare([base, us], tmp_path / "two.png", size=(500, 320),
                             titles=False, legend=False))
    assert np.mean(np.abs(two[:, :500] - two[:, 500:]) > 0.1) > 0.002
    with pytest.raises(ValueError):
        scene.compare([base], tmp_path / "one.png")


@pytest.mark.filterwarnings("ignore:Not within a jupyter notebook")
def test_side_view_and_show_static(cands, tmp_path, monkeypatch):
    from keidesign.review import scene

    base, _ = cands
    img = _png(scene.render(base, tmp_path / "side.png", view="side", size=(600, 340)))
    assert_not_blank(img, "side view")
    monkeypatch.setenv("PYVISTA_JUPYTER_BACKEND", "static")
    scene.show(base, size=(300, 200))   # outside a notebook: renders and closes


# --------------------------------------------------------------------------- plots


def test_plots_not_blank(cands, results, tmp_path):
    from keidesign.review import plots

    base, us = cands
    figs = {
        "pulse": plots.crash_pulse([base, us]),
        "force_crush": plots.force_crush([base, us]),
        "budget": plots.crush_budget([base, us]),
        "cycles": plots.cycle_traces([base, us], cycles=("udds", "hwfet", "us06", "wltc")),
        "margins": plots.constraint_margins([base, us]),
        "history": plots.optimization_history(results / "opt" / "history.json"),
        "pareto": plots.pareto_front(results / "pareto", chosen=us),
        "feasibility": plots.feasibility_map(results / "sweep", chosen=us),
        "fleet": plots.fleet_compatibility([base, us]),
        "ev": plots.ev_trade([base, us], range_target=None),
    }
    for name, fig in figs.items():
        assert_not_blank(_png(plots.save(fig, tmp_path / f"{name}.png")), name)
    mc = plots.mass_cost_breakdown(base, us, tmp_path / "mc.png")
    assert_not_blank(_png(mc), "mass/cost breakdown")


def test_two_objective_pareto_front_plots_without_warnings(tmp_path):
    """A two-objective front (the columns of study (f)'s pareto.csv) draws in one colour,
    with no matplotlib warning (a colour map beside one colour warned on every
    ``report`` of a two-objective front)."""
    import warnings

    from keidesign.review import plots

    eps = "eps margin(fmvss:fmvss208.ride_down_space) [mm]"
    rows = ["point,row," + eps + ",body:truck:bed_length [mm],"
            "margin(fmvss:fmvss208.ride_down_space) [mm],success,feasible,on_front",
            "0,0,0,1904,0,True,True,True", "1,0,100,1800,100,True,True,True",
            "2,0,200,1600,200,True,True,True", "3,0,300,1500,250,True,True,False"]
    (tmp_path / "pareto.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plots.pareto_front(tmp_path)
    assert len(fig.axes) == 1                          # no colour bar


def test_pareto_front_figure_circles_the_knee(tmp_path):
    """The report's front figure circles the point pareto.csv flags as the knee (the
    ``knee`` column, since s31c; not drawn on 5d5e5f5); a table without the column (a run
    before s31c) draws as before."""
    from keidesign.review import plots

    eps = "eps margin(fmvss:fmvss208.ride_down_space) [mm]"
    head = ("point,row," + eps + ",body:truck:bed_length [mm],"
            "margin(fmvss:fmvss208.ride_down_space) [mm],success,feasible,on_front")
    rows = ["0,0,0,1904,0,True,True,True", "1,0,100,1890,100,True,True,True",
            "2,0,200,1500,200,True,True,True"]
    knees = ["False", "True", "False"]
    (tmp_path / "pareto.csv").write_text(
        "\n".join([head + ",knee"] + [f"{r},{k}" for r, k in zip(rows, knees, strict=True)])
        + "\n", encoding="utf-8")
    ax = plots.pareto_front(tmp_path).axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(lab.startswith("knee") for lab in labels), labels
    circled = next(c for c in ax.collections if c.get_label().startswith("knee"))
    assert circled.get_offsets().tolist() == [[100.0, 1890.0]]
    (tmp_path / "pareto.csv").write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    ax = plots.pareto_front(tmp_path).axes[0]
    assert not any(t.get_text().startswith("knee") for t in ax.get_legend().get_texts())


def test_pulse_band_is_the_published_tests():
    """The pulse figure's band is the NCAP small cars' ESW and peak range, and its grey
    trace the Neon's measured pulse with deceleration positive: its 3 ms peak is the
    35.2 g the data README quotes (fullwidth_pulse_stats.csv) within 10 %."""
    import csv
    from importlib import resources

    from keidesign.review import plots

    band = plots.published_pulse_band()
    text = (resources.files("keidesign") / "data" / "crash" / "ncap_frontal_pulses.csv"
            ).read_text(encoding="utf-8")
    valid = [r for r in csv.DictReader(text.splitlines()) if r["source_quality"] == "Valid"]
    lo, hi, n = band["esw"]
    assert n == len(valid) >= 10
    assert 10.0 < lo < hi < 40.0
    plo, phi, _ = band["peak"]
    assert (plo, phi) == (min(float(r["peak_decel_g"]) for r in valid),
                          max(float(r["peak_decel_g"]) for r in valid))
    t, a = band["neon"]
    assert 0.09 < t[-1] < 0.2 and abs(a.max() / 35.2 - 1.0) < 0.10 and a.min() > -10.0


def test_mass_only_breakdown_without_cost_outputs(cands, tmp_path):
    import copy

    from keidesign.review import plots

    base, us = (copy.copy(c) for c in cands)
    for c in (base, us):
        c.evaluation = copy.copy(c.evaluation)
        c.evaluation.outputs = {k: v for k, v in c.evaluation.outputs.items()
                                if not k.startswith("cost:")}
    assert_not_blank(_png(plots.mass_cost_breakdown(base, us, tmp_path / "m.png")),
                     "mass-only breakdown")


# --------------------------------------------------------------------------- report


def test_report_contains_every_constraint(results, capsys):
    from keidesign.cli import main

    opt = results / "opt"
    assert main(["report", str(opt), "--pareto", str(results / "pareto"), "--sweep",
                 str(results / "sweep"), "--quiet"]) == 0
    out = opt / "report.html"
    assert capsys.readouterr().out.strip() == str(out)
    text = out.read_text(encoding="utf-8")
    ev = json.loads((opt / "evaluation.json").read_text(encoding="utf-8"))
    ids = [c["id"] for c in ev["constraints"]]
    assert len(ids) > 30
    for cid in ids:
        assert f"<code>{cid}</code>" in text, f"{cid} missing from the report"
    for rule in ev["rules"]:                       # every pack and its source
        assert rule["id"] in text
    for c in ev["constraints"]:                    # every rule's source
        assert re.sub("&", "&amp;", c["source"]).replace("'", "&#x27;")[:40] in text
    assert "could not be drawn" not in text
    # the candidate is labelled by its study, whatever the study (it was "US candidate
    # (optimum)" for every study: new-user review, task s29b)
    study = json.loads((opt / "results.json").read_text(encoding="utf-8"))["study"]
    assert f"<th>optimum of {html.escape(study)}</th>" in text
    assert "US candidate" not in text
    assert "Trade factors" in text and "fmvss:fmvss208.crush_space" in text
    # the candidate's federal class and its road-access map (issue 15)
    assert "<h2 id=class>Class and road access</h2>" in text
    assert "passenger car" in text and "alt='access_map'" in text
    # predicted NCAP stars among the key figures (issue 14, deliverable 3)
    assert "US NCAP frontal (model)" in text and "US NCAP side (model)" in text
    # and the rollover stars with their static stability factor (issue 14, deliverable 6)
    assert "US NCAP rollover (model)" in text and "static stability factor" in text
    # the candidate under CAFE in force vs the SAFE III proposal (issue 15, deliverable 4)
    assert "<h2 id=policy>" in text and "cafe-2024" in text and "safe-iii" in text
    assert re.search(r"<td>\*</td><td>cafe\.target</td><td>[^<]*FAIL[^<]*</td>"
                     r"<td>[^<]*</td>", text), "cafe.target row under both sets"
    # self-contained: images inline, nothing fetched
    assert "<script" not in text and "<link" not in text and "url(" not in text
    srcs = re.findall(r"src='([^']*)'", text)
    assert len(srcs) >= 12
    assert all(s.startswith("data:image/png;base64,") for s in srcs)
    for s in srcs:
        assert_not_blank(_png(base64.b64decode(s.split(",", 1)[1])), "report image",
                         min_ink=0.02)
    assert out.stat().st_size < 4e6


def test_report_errors(tmp_path, capsys):
    from keidesign.cli import main

    assert main(["report", str(tmp_path), "--compare-rules", "cafe-2024"]) == 2
    assert "--compare-rules given 1 time(s)" in capsys.readouterr().err
    assert main(["report", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "results.json" in err and "keidesign optimize" in err
    assert main(["report", str(tmp_path / "nope")]) == 2
    assert "nope does not exist" in capsys.readouterr().err
    # a design file given where a results folder is asked for: the line says what
    # reviews design files (it named the optimize folder only on 9d52240, task s33f)
    design = tmp_path / "my_car.toml"
    design.write_text("[design]\n")
    assert main(["report", str(design)]) == 2
    err = capsys.readouterr().err.strip()
    assert "my_car.toml is not a folder" in err and "keidesign compare BASE.toml" in err
    assert "\n" not in err


def test_markdown_html():
    from keidesign.review.report import markdown_html

    html = markdown_html("# T\n\ntext `a<b`\n\n- **one** x\n  - sub\n- two\n")
    assert "<h3>T</h3>" in html and "<code>a&lt;b</code>" in html
    assert html.count("<ul>") == 2 and html.count("</ul>") == 2
    assert "<strong>one</strong>" in html


def test_key_figures_carry_the_rollover_stars(cands):
    """The key figures list the model's rollover stars and static stability factor beside
    the frontal and side stars (issue 14, deliverable 6), each the candidate's own output."""
    from keidesign.review.report import key_figures

    rows = {r[0]: r for r in key_figures(cands)}
    stars = rows["US NCAP rollover (model)"]
    ssf = rows["static stability factor (NHTSA's data: 1.07-1.83)"]
    for i, c in enumerate(cands, start=1):
        assert stars[i] == c.value("crash:rollover:stars")
        assert ssf[i] == pytest.approx(c.value("crash:rollover:ssf"))
        assert 1 <= stars[i] <= 5 and 0.4 < ssf[i] < 3.0


def test_key_figure_change_of_equal_values_is_zero():
    """Study (a)'s optimum keeps the baseline's 380 mm crush available to round-off
    (379.99999999999977): the key figures' change column read -2.274e-13 mm (new-user
    pass s36d, notebook 02). A real change, however small against the value, stays."""
    from keidesign.review.report import key_figures, table_html

    class Cand:
        def __init__(self, **v):
            self.v = {k.replace("__", ":"): x for k, x in v.items()}

        def value(self, name):
            return self.v.get(name, math.nan)

    dims = {"body__length": 3395.0, "body__width": 1475.0, "body__height": 1790.0}
    base = Cand(crash__front__crush_available=380.0, mass__curb=926.55, **dims)
    opt = Cand(crash__front__crush_available=379.99999999999977, mass__curb=926.5499, **dims)
    rows = {r[0]: r for r in key_figures([base, opt])}
    assert rows["crush available"][3] == 0.0
    assert "e-13" not in table_html(["q", "a", "b", "change", "units"], rows.values())
    assert rows["curb mass"][3] == pytest.approx(-1e-4)


def test_table_numbers_have_no_negative_zero():
    """A value that rounds to zero prints as 0 (the evaluate table printed
    ``fmvss208.dash_intrusion -0``)."""
    from keidesign.evaluation import _fmt

    assert _fmt(-0.0) == "0"
    assert _fmt(-0.00001) == "-1e-05" and _fmt(-3.25) == "-3.25" and _fmt(0.0) == "0"


def test_history_log_axis_labels_are_plain_text():
    """The violation axis of the optimization history is logarithmic; its default tick
    labels are mathtext, and every keidesign figure draws text as written
    (keidesign.plaintext.literal_text): the report showed '$\\mathdefault{10^{-2}}$' on
    every tick. The labels are now powers of ten written out."""
    from keidesign.review import plots

    fig = plots.optimization_history({
        "schema": "keidesign.history/1",
        "objective": {"name": "cost:price", "units": None,
                      "values": [15377.0, 15300.0, 15251.0]},
        "violation": [0.56, 1e-4, 0.0],
        "design_variables": {"crash:front:crush_length": {
            "lower": 600.0, "upper": 850.0, "units": "mm", "values": [700.0, 800.0, 850.0]}}})
    fig.canvas.draw()
    ax = fig.axes[1]
    labels = [t.get_text() for t in ax.get_yticklabels() + ax.get_yticklabels(minor=True)
              if t.get_visible() and t.get_text()]
    assert labels, "no tick labels on the violation axis"
    assert not [t for t in labels if "$" in t or "mathdefault" in t], labels
    assert "1e-12" in labels and "1e+00" in labels, labels


def test_report_out_never_replaces_a_result_of_the_run(results, tmp_path, capsys):
    """`keidesign report RESULTS --out RESULTS/optimum.toml` wrote the HTML over the
    optimum design file (which then failed to load: 'not valid TOML'); any result a study
    run writes (optimum.toml, results.json, compliance.txt, a sweep's cases.csv) is now
    refused with one line before anything is written, and left as it was."""
    import shutil

    from keidesign.cli import main

    opt = tmp_path / "opt"
    shutil.copytree(results / "opt", opt)
    for name in ("optimum.toml", "results.json", "compliance.txt", "trade_factors.md"):
        before = (opt / name).read_bytes()
        assert main(["report", str(opt), "--out", str(opt / name), "--no-3d", "--quiet"]) == 2
        err = capsys.readouterr().err
        assert f"--out {opt / name}: a result of a study run" in err, err
        assert err.count("\n") == 1 and "allowed: " in err
        assert (opt / name).read_bytes() == before
    assert main(["report", str(opt), "--out", str(results / "sweep" / "cases.csv"),
                 "--no-3d", "--quiet"]) == 2
    assert "a result of a study run" in capsys.readouterr().err


@pytest.mark.parametrize("length", [700.0, 650.0])
def test_budget_zones_of_a_short_front_end_at_the_crush_available(length):
    """A front shorter than the reference designs' (crush length 700 mm with the 450 mm
    block: the bumper and crash box strokes, 157.6 mm, reach past the 100 mm engine gap)
    drew its zones to 337.6 mm beside 'available 280 mm'. The zones ahead of the block
    now end at it, and sum to the crash model's crush available."""
    from keidesign.review.candidate import BUDGET_ZONES, load_candidate

    c = load_candidate(DESIGNS / "nbox_class.toml", **{"crash:front:crush_length": length})
    b = c.crush_budget()
    gap = c.value("crash:front:engine_gap")
    assert b["bumper"] + b["crash_box"] > 0.0
    assert c.value("crash:front:bumper_stroke") + c.value("crash:front:crash_box_stroke") > gap
    assert all(b[k] >= 0.0 for k in BUDGET_ZONES), b
    assert b["rails"] == 0.0
    assert b["bumper"] + b["crash_box"] == pytest.approx(gap, abs=1e-9)
    assert sum(b[k] for k in BUDGET_ZONES) == pytest.approx(b["available"], abs=1e-6), b


def test_a_figure_maker_leaves_the_sessions_interactive_mode_on():
    """IPython turns matplotlib's interactive mode on while the first figure of a notebook
    is made, inside the first figure maker called: restoring every rcParam on the way out
    (``matplotlib.rc_context``) turned it off again and no later figure was shown (notebook
    02's frontal crash cell: no pulse, force-crush or budget). Only ``text.parse_math``
    is the figure maker's to set and restore."""
    import matplotlib

    from keidesign.plaintext import literal_text

    @literal_text
    def maker():
        matplotlib.interactive(True)            # what IPython does at the first figure
        return matplotlib.rcParams["text.parse_math"]

    was, parse = matplotlib.is_interactive(), matplotlib.rcParams["text.parse_math"]
    try:
        matplotlib.interactive(False)
        matplotlib.rcParams["text.parse_math"] = True
        assert maker() is False                 # user text drawn as written
        assert matplotlib.rcParams["text.parse_math"] is True   # the caller's setting kept
        assert matplotlib.is_interactive()      # the session's change kept
    finally:
        matplotlib.interactive(was)
        matplotlib.rcParams["text.parse_math"] = parse


@pytest.mark.parametrize("argv", [["--help"], ["--out", "x"], ["a", "b"]])
def test_crash_figures_take_no_option_as_their_folder(argv, tmp_path, monkeypatch, capsys):
    """``python -m keidesign.review.crash_figures --help`` wrote its three figures into a
    folder named '--help': options are refused (exit 2, naming the option) or print the
    usage (exit 0), and nothing is written."""
    from keidesign.review import crash_figures

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(crash_figures, "plot_all", lambda *a: pytest.fail("plotted"))
    with pytest.raises(SystemExit) as exc:
        crash_figures.main(argv)
    assert exc.value.code == (0 if argv == ["--help"] else 2)
    captured = capsys.readouterr()
    assert "usage: python -m keidesign.review.crash_figures" in captured.out + captured.err
    assert list(tmp_path.iterdir()) == []


def test_compliance_table_gives_each_records_note():
    """The report's compliance table dropped every record's note: the rollover rows'
    "extrapolated: SSF 0.978 outside 1.07-1.83" and the pole SID-IIs class average read as
    plain verdicts. The note now leads the source cell, as in the text table."""
    from keidesign.design import load_design
    from keidesign.evaluation import evaluate_design, resolve_packs
    from keidesign.review.report import compliance_html

    ev = evaluate_design(load_design(DESIGNS / "nbox_class_us.toml"),
                         resolve_packs(["fmvss", "us-ncap"]))
    noted = [c for c in ev.constraints if c.get("note")]
    assert {c["id"] for c in noted} >= {"fmvss:fmvss214.pole.sid2s.hic36",
                                        "us-ncap:ncap.rollover.four_stars"}
    page = compliance_html(ev.constraints)
    for c in noted:
        row = next(r for r in page.split("<tr") if f"<code>{c['id']}</code>" in r)
        assert "note: " + html.escape(c["note"], quote=True) in row, c["id"]


def test_scene_legend_colours_are_told_apart():
    """Every entry of the 3D legend has its own colour: the crush reserve / available was
    (0.10, 0.60, 0.20) beside the battery / fuel tank's (0.15, 0.65, 0.25), one green in
    the legend and the pixel tests (docs-as-a-user review s30g)."""
    from itertools import combinations

    from keidesign.review import scene

    colours = {label: np.asarray(scene.ROLE_COLOURS[role])
               for label, role in scene.LEGEND.items()}
    for (a, ca), (b, cb) in combinations(colours.items(), 2):
        assert np.linalg.norm(ca - cb) > 0.25, (a, b)


def test_report_never_writes_through_a_hard_link(results, tmp_path):
    """report.html had a symbolic-link check but none for a hard link (st_nlink > 1):
    a results folder whose report.html was another name of ../victim had that file
    overwritten with the page (s31l). The page is now renamed onto the name."""
    import os
    import shutil

    from keidesign.review.report import build_report

    opt = tmp_path / "opt"
    shutil.copytree(results / "opt", opt)
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    (opt / "report.html").unlink(missing_ok=True)  # another test's report
    os.link(victim, opt / "report.html")
    out = build_report(opt, views=False, compare_rules=None)
    assert out == opt / "report.html" and out.stat().st_nlink == 1
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert victim.read_text() == "precious\n" and victim.stat().st_nlink == 1


def test_report_gives_the_study_constraints_and_the_base_design_the_study_ran(results,
                                                                             tmp_path):
    """`keidesign report` of an optimize folder as a new user reads it (task s31d):
    (1) each constraint of the study with its margin, units, required margin and whether
    it is active: the report gave the active ones only in the trade factors' prose and
    the others' margins nowhere; (2) the baseline is the study's base design as the
    study ran it, with its [set] changes (the US content of every ready study): it was
    the design file alone, so the key figures' change of curb mass was the optimization's
    and the US content's together."""
    from keidesign.design import load_design
    from keidesign.evaluation import evaluate_design
    from keidesign.review.report import build_report
    from keidesign.studies.spec import load_study

    opt = results / "opt"
    out = build_report(opt, out=tmp_path / "r.html", views=False, compare_rules=None)
    text = out.read_text(encoding="utf-8")
    res = json.loads((opt / "results.json").read_text(encoding="utf-8"))
    part = text.split("<h2 id=constraints>Study constraints at the optimum</h2>", 1)[1]
    part = part.split("<h2", 1)[0]
    assert len(res["margins"]) >= 10
    for m in res["margins"]:
        row = re.search(rf"<tr><td>{re.escape(m['id'])}</td>(.*?)</tr>", part)
        assert row, m["id"]
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1))
        assert cells[1] == html.escape(m["units"] or "unitless"), (m["id"], cells)
        assert cells[3] == ("active" if m["active"] else ""), (m["id"], cells)
    assert any(m["active"] for m in res["margins"])
    # the key figures' baseline curb mass is the study's base design's ([set] applied)
    study = load_study(res["study_file"])
    assert study.doc.get("set")
    base_curb = evaluate_design(study.base, study.packs).outputs["mass:curb"][0]
    jdm_curb = evaluate_design(load_design(study.design_path), study.packs
                               ).outputs["mass:curb"][0]
    assert abs(base_curb - jdm_curb) > 1.0
    row = re.search(r"<tr><td>curb mass</td><td class=num>([^<]*)</td>", text).group(1)
    assert float(row.replace(",", "")) == pytest.approx(base_curb, abs=0.06)


def test_report_head_counts_every_status_and_names_policy_failures():
    """`keidesign report` of a BEV optimum headed 'Constraints: 34 pass, 2 fail, 6 not
    modelled (of 47)' (5 not-applicable rows left out of the sum) and listed 'Failed
    constraints of the candidate: fmvss:compat.us.share_above, fmvss:compat.jp.share_above'
    where evaluate prints 'FAIL (policy)': both are stated policy thresholds, not
    regulations (task s35f)."""
    from keidesign.review.report import _counts_html, _failed_html

    summ = {"n_constraints": 47, "n_passed": 34, "n_failed": 2, "n_not_modelled": 6,
            "n_not_applicable": 5, "n_policy_failed": 2,
            "failed": ["fmvss:compat.us.share_above", "fmvss:compat.jp.share_above"],
            "policy_failed": ["fmvss:compat.us.share_above", "fmvss:compat.jp.share_above"]}
    assert _counts_html(summ) == ("Constraints: 34 pass, 2 fail (2 of them policy "
                                  "thresholds, not regulations), 6 not modelled, 5 not "
                                  "applicable (of 47).")
    text = _failed_html(summ)
    assert "<code>fmvss:compat.us.share_above</code> (policy)" in text, text
    summ.update(n_failed=3, failed=["kei-japan:kei.width", *summ["failed"]])
    text = _failed_html(summ)
    assert "<code>kei-japan:kei.width</code>, <code>fmvss" in text, text
    assert _counts_html({"n_constraints": 3, "n_passed": 3, "n_failed": 0}) == \
        "Constraints: 3 pass, 0 fail, 0 not modelled, 0 not applicable (of 3)."
    assert _failed_html({"failed": []}) == ""
