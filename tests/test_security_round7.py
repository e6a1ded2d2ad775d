"""Hostile inputs, round seven (audit s32g; docs/security.md), and two leftovers: every
PNG written by atomic replace, and one form for a design value out of range.

Each test fails on c9a1f4a. The Pareto store's rows are checked in-process (the reader
``pareto --resume`` uses, on a store made here) rather than through a front run (191 s);
the runs through the real command line that found them are in docs/security.md.
"""

from __future__ import annotations

import json
import os
from functools import partial
from pathlib import Path

import pytest
from conftest import DESIGNS, bounded_time
from test_security_round6 import _one_error

from keidesign.cli import main
from keidesign.errors import InputError

BIG = "1" + "0" * 400   # a JSON integer beyond a float's range (CPython reads 4,300 digits)




# ------------------------------------------------------------- a Pareto store under --resume
# c9a1f4a, `pareto --resume` on study (f)'s 3-point front with one row edited: an
# integer of 400 digits as a point's objective or design variable, or an anchor's
# objective, was an OverflowError traceback (pareto.nondominated, _row_problem, _grid);
# a converged feasible point of NaN objectives was a front point of NaN, one of +-inf a
# point dominating the front with a RuntimeWarning from the knee (exit 0).

def _point(objectives: str, x: str = "250.0", success: str = "true") -> str:
    return ('{"objectives": ' + objectives + ', "x": {"crash:front:crush_length": ' + x
            + '}, "recorded": {}, "success": ' + success + ', "feasible": true, '
            '"n_evals": 3, "class": null}')


def _stored_rows(tmp_path: Path, outputs: str):
    """The rows a resumed Pareto run reads from a store whose point 0 has ``outputs``
    (the JSON text as the file holds it), checked as ``_run_pareto`` checks them."""
    import sqlite3

    from keidesign.studies.pareto import _point_hash, _row_problem
    from keidesign.studies.store import CaseStore

    path = tmp_path / "cases.sqlite"
    with CaseStore(path, "f") as st:
        st.add([{"hash": _point_hash(0), "seq": 0, "status": "ok",
                 "inputs": {"index": 0, "eps": [1.0]}, "outputs": {}}])
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE cases SET outputs = ?", (outputs,))
    con.close()
    check = partial(_row_problem, 2, variables={"crash:front:crush_length": (200.0, 700.0)})
    with CaseStore(path, "f", resume=True) as st, bounded_time(30):
        return st.rows(known={_point_hash(0)}, check=check)


@pytest.mark.parametrize("outputs", [
    _point(f"[{BIG}, 1.0]"),            # an objective (nondominated: OverflowError)
    _point("[1.0, 2.0]", x=BIG),        # a design variable (_row_problem: OverflowError)
])
def test_a_store_integer_beyond_a_float_is_one_line(tmp_path, outputs):
    with pytest.raises(InputError) as exc:
        _stored_rows(tmp_path, outputs)
    msg = str(exc.value)
    assert "case seq = 0: outputs is not valid JSON (an integer of 401 digits, beyond a " \
           "float's range)" in msg and "\n" not in msg and len(msg) < 1000, msg


def test_a_sweep_store_integer_beyond_a_float_is_refused_too(tmp_path):
    """The reader is the store's, so a sweep's case of such an output is refused before
    any table reads it (no check of the caller needed)."""
    import sqlite3

    from keidesign.studies.store import CaseStore

    path = tmp_path / "cases.sqlite"
    with CaseStore(path, "f") as st:
        st.add([{"hash": "h0", "seq": 0, "status": "ok", "inputs": {}, "outputs": {}}])
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE cases SET outputs = ?", ('{"mass:curb": ' + BIG + "}",))
    con.close()
    with CaseStore(path, "f", resume=True) as st, pytest.raises(InputError,
                                                               match="beyond a float"):
        st.rows(known={"h0"})


@pytest.mark.parametrize("objectives, field", [
    ("[NaN, NaN]", "outputs.objectives[0] = nan: not a finite number (the point converged "
     "feasible)"),
    ("[1.0, Infinity]", "outputs.objectives[1] = inf: not a finite number"),
    ("[-Infinity, 2.0]", "outputs.objectives[0] = -inf: not a finite number"),
])
def test_a_converged_point_of_non_finite_objectives_is_refused(tmp_path, objectives, field):
    with pytest.raises(InputError) as exc:
        _stored_rows(tmp_path, _point(objectives))
    assert f"case seq = 0: {field}" in str(exc.value), exc.value


def test_a_failed_point_may_record_nan(tmp_path):
    """A point that did not converge may hold NaN (a model that did not evaluate): kept,
    and never on the front (only converged feasible points are)."""
    rows = _stored_rows(tmp_path, _point("[NaN, 1.0]", success="false"))
    assert rows[0]["outputs"]["success"] is False


# ------------------------------------------------------- a results folder linking outside it


def _folder(tmp_path: Path) -> Path:
    d = tmp_path / "shared"
    d.mkdir()
    (d / "results.json").write_text(json.dumps({"study": "s"}))
    (d / "evaluation.json").write_text(json.dumps({"design": {"name": "x"}}))
    (d / "optimum.toml").write_text((DESIGNS / "nbox_class.toml").read_text())
    return d


@pytest.mark.parametrize("name", ["trade_factors.md", "results.json", "optimum.toml"])
def test_report_reads_no_file_linked_out_of_the_results_folder(tmp_path, capsys, name):
    """A folder from others whose trade_factors.md linked to a file of the reviewer's:
    c9a1f4a copied that file whole into report.html (the page a reviewer passes on);
    now one line naming the link and its target, before any model runs."""
    d = _folder(tmp_path)
    secret = tmp_path / "secret.md"
    secret.write_text("# SECRET-TOKEN\n" if name.endswith(".md") else
                      (d / name).read_text())
    (d / name).unlink(missing_ok=True)
    (d / name).symlink_to(secret)
    out = tmp_path / "r.html"
    capsys.readouterr()
    with bounded_time(60):
        rc = main(["report", str(d), "--out", str(out), "--no-3d", "--compare-rules",
                   "none", "--quiet"])
    assert rc == 2
    err = _one_error(capsys)
    assert f"{name}: link target = {secret}: outside the results folder" in err, err
    assert not out.exists()


def test_links_inside_the_results_folder_are_read(tmp_path):
    """A link to a file of the folder itself (and the folder named through a link) is
    the folder's own content: read as before."""
    from keidesign.review.report import load_result

    d = _folder(tmp_path)
    (d / "notes").mkdir()
    (d / "notes" / "tf.md").write_text("# Trade factors\n")
    (d / "trade_factors.md").symlink_to(d / "notes" / "tf.md")
    (tmp_path / "via").symlink_to(d)
    assert load_result(tmp_path / "via")["trade_factors"] == "# Trade factors\n"


def test_a_results_table_linked_out_of_its_folder_is_refused(tmp_path):
    """`report --pareto DIR` / `--sweep DIR` and the review figures: a table linked to a
    file elsewhere is not read (its text cells, e.g. a sweep's binding constraint, are
    drawn into the figure)."""
    from keidesign.review import plots

    other = tmp_path / "elsewhere.csv"
    other.write_text("point,row,eps b,a,b,success,feasible,on_front\n0,0,1,1,1,True,True,True\n")
    d = tmp_path / "front"
    d.mkdir()
    (d / "pareto.csv").symlink_to(other)
    with pytest.raises(InputError, match="pareto.csv: link target = .*outside the results "
                       "folder"):
        plots.pareto_front(d)


def test_a_figure_draws_results_text_as_one_printable_line(tmp_path):
    """A sweep's binding constraint holding an ESC sequence and a line break: c9a1f4a
    drew it as written, and matplotlib's "Glyph 27 missing from font" warning printed the
    ESC raw on the terminal of `keidesign report --sweep` (twice per figure)."""
    import warnings

    from test_security_results import HEAD, _sweep_folder

    from keidesign.review import plots

    bad = "<b>x</b>\x1b[31mRED\x1b[0m\nsecond line"
    rows = "".join(f'{i},h{i},ok,{500 + i},{1500 + i},False,"{bad}",\n' for i in range(4))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        fig = plots.feasibility_map(_sweep_folder(tmp_path, HEAD + rows))
        plots.save(fig, tmp_path / "map.png")
    assert not [w for w in seen if "Glyph" in str(w.message)], [str(w.message) for w in seen]
    texts = [t.get_text() for t in fig.legends[0].get_texts()] if fig.legends else [
        t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    assert "binding: <b>x</b>?[31mRED?[0m second line" in texts, texts


# ----------------------------------------- every PNG by atomic replace (leftover of s31l)


def _figure():
    from keidesign.review.plots import _plt

    plt = _plt()
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [0, 1])
    return fig


class Interrupted(Exception):
    """A write stopped after its first bytes (a full disk, a Ctrl-C, a crash)."""


def _half_then_fail(target, data: bytes) -> None:
    """Write the first bytes of ``data`` to ``target`` (a path or a buffer), then fail."""
    if hasattr(target, "write"):
        target.write(data[:8])
    else:
        Path(target).write_bytes(data[:8])
    raise Interrupted


class _Plotter:
    """A pyvista plotter as the writers use it: ``screenshot(path or buffer)``."""

    fail = False

    def screenshot(self, target):
        data = b"\x89PNG\r\n\x1a\nnew image"
        if self.fail:
            _half_then_fail(target, data)
        elif hasattr(target, "write"):
            target.write(data)
        else:
            Path(target).write_bytes(data)

    def close(self):
        pass


def _plotter(fail: bool = False) -> _Plotter:
    pl = _Plotter()
    pl.fail = fail
    return pl


def _writers():
    """The PNG writers outside a results folder (``export --render``, ``compare
    --plot``, ``classify --map``, ``validate --plots``, the review's figures and gallery,
    the notebooks' helpers all write through these): (name, fn(path, fail))."""
    from keidesign.review import plots, scene
    from keidesign.validation import report as vreport

    return [
        ("review.plots.save", lambda p, fail: plots.save(_figure(), p)),
        ("validation.report._save", lambda p, fail: vreport._save(_figure(), p, 60)),
        ("review.scene.screenshot", lambda p, fail: scene.screenshot(_plotter(fail), p)),
    ]


@pytest.mark.parametrize("name, write", _writers(), ids=[n for n, _ in _writers()])
def test_a_png_is_never_written_through_a_hard_link(tmp_path, name, write):
    """c9a1f4a wrote these PNGs in place (``savefig(path)``, ``screenshot(path)``):
    through a hard link into the other name's file."""
    other = tmp_path / "other.png"
    other.write_bytes(b"mine")
    target = tmp_path / "fig.png"
    os.link(other, target)
    write(target, False)
    assert other.read_bytes() == b"mine", f"{name} wrote through the hard link"
    assert target.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("name, write", _writers(), ids=[n for n, _ in _writers()])
def test_a_failure_mid_write_leaves_the_old_png(tmp_path, monkeypatch, name, write):
    """A write that stops after its first bytes left a truncated PNG in place of the old
    one on c9a1f4a; now the old file stays, and no temporary file."""
    from matplotlib.figure import Figure

    def savefig(self, target, **kw):
        _half_then_fail(target, b"\x89PNG\r\n\x1a\nnew figure")

    monkeypatch.setattr(Figure, "savefig", savefig)
    target = tmp_path / "fig.png"
    target.write_bytes(b"old png")
    with pytest.raises(Interrupted):
        write(target, True)
    assert target.read_bytes() == b"old png", f"{name} left a truncated file"
    assert [p.name for p in tmp_path.iterdir()] == ["fig.png"]


# --------------------------------------------- one form for a design value out of range


@pytest.mark.parametrize("value", [5, 20])
def test_report_says_out_of_range_in_one_form(tmp_path, capsys, value):
    """`keidesign report` on an optimum.toml whose compression ratio is 5 (between 0,
    "not given", and the floor 8) or 20 (above the registry's 15): c9a1f4a gave
    "= 5: allowed 0 (class default of powertrain.ice.turbo) or 8 to 15" and "= 20: out of
    range; allowed: number in [0, 15]"; now both the project's one form with the same
    allowed values."""
    d = _folder(tmp_path)
    text = (d / "optimum.toml").read_text()
    (d / "optimum.toml").write_text(text.replace("[powertrain.ice]\n", "[powertrain.ice]\n"
                                                 f"compression_ratio = {value}\n", 1))
    capsys.readouterr()
    with bounded_time(60):
        assert main(["report", str(d), "--out", str(tmp_path / "r.html"), "--no-3d",
                     "--compare-rules", "none", "--quiet"]) == 2
    err = _one_error(capsys)
    assert err.endswith(f"optimum.toml: powertrain.ice.compression_ratio = {value}: out of "
                        "range; allowed: 0 (class default of powertrain.ice.turbo) or number "
                        "in [8, 15]"), err


# ------------------------------------------------- a study's derived objective that is NaN


def test_a_derived_objective_of_no_finite_value_is_one_line(tmp_path, capsys):
    """Study (e)'s objective is a [derived] expression; one that is NaN at the start
    (`sqrt(0 - 1)`) was an OpenMDAO AnalysisError traceback ("residuals contain 'inf' or
    'NaN'") from optimize's derivative check on c9a1f4a, before any start ran."""
    from conftest import ROOT

    study = ROOT / "studies" / "kei_truck_us.toml"
    capsys.readouterr()
    with bounded_time(120):
        rc = main(["optimize", str(study), "--out", str(tmp_path / "o"), "--serial",
                   "--no-progress", "--set",
                   'derived.mass_plus_risk.expr="m + sqrt(0 - 1) * rr"'])
    assert rc == 2
    err = _one_error(capsys)
    assert "kei_truck_us.toml: objective.name = 'study:mass_plus_risk': its value at the " \
           "first start is nan; allowed: an objective with a finite value" in err, err
