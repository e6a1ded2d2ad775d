"""Results folders from someone else, read back by ``keidesign report`` and the review
figures (issue 12; audit s28d).

A results folder travels like a design file: its JSON, Markdown and CSV files are read
within bounds, each field the report reads has the type it reads, and every problem is
one line naming the file, the field, the value and what is allowed, before any model
runs, never a traceback, a hang or gigabytes of memory.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import DESIGNS, bounded_time

from keidesign.cli import main
from keidesign.errors import InputError

HANG_LIMIT_S = 60  # a guard against hangs, not a performance bound


def _folder(tmp_path: Path, results: dict | None = None, evaluation: dict | None = None
            ) -> Path:
    """A results folder with the three files `keidesign report` requires."""
    d = tmp_path / "res"
    d.mkdir()
    (d / "results.json").write_text(json.dumps({"study": "s"} if results is None else results))
    (d / "evaluation.json").write_text(json.dumps({"design": {"name": "x"}} if evaluation is None
                                                  else evaluation))
    (d / "optimum.toml").write_text((DESIGNS / "nbox_class.toml").read_text())
    return d


def _report_error(capsys, d: Path, tmp_path: Path) -> str:
    with bounded_time(HANG_LIMIT_S):
        rc = main(["report", str(d), "--out", str(tmp_path / "r.html")])
    out, err = capsys.readouterr()
    assert rc == 2, (rc, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("keidesign: error: "), err
    assert not (tmp_path / "r.html").exists()
    return lines[0]


@pytest.mark.parametrize("results, evaluation, needle", [
    (None, {}, "evaluation.json: design = None: not an object with a name (text)"),
    (None, {"design": {"name": "x"}, "constraints": [{"value": 1}]},
     "evaluation.json: constraints[1] = {'value': 1}: not an object with an id (text)"),
    (None, {"design": {"name": "x"}, "rules": ["fmvss"]},
     "evaluation.json: rules[1] = 'fmvss': not an object with an id (text), a path (text)"),
    (None, {"design": {"name": "x"}, "summary": {"failed": "all"}},
     "evaluation.json: summary.failed = 'all': not a list of text"),
    ({"objective": "mass"}, None, "results.json: objective = 'mass': not an object"),
    ({"design_variables": {"body:height": {"value": "tall"}}}, None,
     "results.json: design_variables.body:height.value = 'tall': not a finite number"),
    ({"design_variables": {"body:height": {"value": 1e308, "lower": -1e308, "upper": None}},
      "discrete": {"a": [1]}}, None, "results.json: discrete = {'a': [1]}: not an object "
     "of values"),
    ({"notes": [{"x": 1}]}, None, "results.json: notes = [{'x': 1}]: not a list of text"),
    # the study-constraints table (task s31d) reads each margin's fields
    ({"margins": "all"}, None, "results.json: margins = 'all': not a list of objects"),
    ({"margins": [{"id": "a", "margin": 1.0}, {"id": "b", "margin": "big"}]}, None,
     "results.json: margins[2].margin = 'big': not a number"),
    ({"margins": [{"id": "a", "margin": 1.0, "active": "yes"}]}, None,
     "results.json: margins[1].active = 'yes': not true or false"),
])
def test_report_fields_of_the_wrong_type(tmp_path, capsys, results, evaluation, needle):
    """The report read these fields unchecked: a missing design name, a constraint record
    without an id, a rule pack given as a string ... were a KeyError, TypeError or
    AttributeError traceback after ~20 s of model runs."""
    d = _folder(tmp_path, results, evaluation)
    err = _report_error(capsys, d, tmp_path)
    assert f"{d}/{needle}" in err, err
    assert "allowed: the file `keidesign optimize` writes" in err


def test_report_refuses_design_variables_no_study_has(tmp_path, capsys):
    """A study's design variables are registered design inputs, each once, and the
    report has a table row per design variable: 700,000 made-up names (49 MB, within the
    64 MiB a results file may have) took 22.6 s and 0.94 GB (5.7 s without them). A name
    that is not a registered variable is refused before any model runs (audit s29a)."""
    dvs = {f"v{i}": {"value": 1.0, "lower": 0.0, "upper": 2.0, "units": "mm"}
           for i in range(100_000)}
    d = _folder(tmp_path, {"study": "s", "design_variables": dvs})
    err = _report_error(capsys, d, tmp_path)
    assert (f"{d}/results.json: design_variables = 'v0': not a registered variable "
            "(keidesign variables)") in err


def test_report_refuses_constraint_records_of_no_pack(tmp_path, capsys):
    """`keidesign evaluate` writes a record per constraint of the rule packs it names,
    and the report has a row per record: 400,000 made-up records (67 MB) took 21.9 s and
    0.75 GB. A record that is no constraint of those packs is refused before any model
    runs (audit s29a)."""
    fmvss = Path(__file__).resolve().parents[1] / "keidesign" / "rules" / "fmvss.toml"
    records = [{"id": "fmvss:fmvss208.crush_space", "value": 1.0}] + [
        {"id": f"x:c{i}", "value": 1.0} for i in range(100_000)]
    d = _folder(tmp_path, None, {"design": {"name": "x"}, "constraints": records,
                                 "rules": [{"id": "fmvss", "path": str(fmvss)}]})
    err = _report_error(capsys, d, tmp_path)
    assert (f"{d}/evaluation.json: constraints[2].id = 'x:c0': not a constraint of the rule "
            "packs the file names (fmvss)") in err


@pytest.mark.parametrize("kind", ["fifo", "large", "device"])
def test_report_reads_trade_factors_within_bounds(tmp_path, capsys, kind):
    """trade_factors.md was read whole with Path.read_text, after the model had run (an
    8 GB file would fill the memory); a FIFO or a device was silently left out. Now read
    like every file from others, before any model runs."""
    d = _folder(tmp_path)
    tf = d / "trade_factors.md"
    if kind == "fifo":
        os.mkfifo(tf)
        needle = "trade factors file is a FIFO"
    elif kind == "device":
        tf.symlink_to("/dev/zero")   # (a device in the folder itself needs root: mknod)
        # refused as a link out of the results folder before it is opened (s32g)
        needle = "link target = /dev/zero: outside the results folder"
    else:
        tf.write_text("- x\n" * 300_000)
        needle = "trade factors file is 1,200,000 bytes; allowed: at most 1,048,576 bytes"
    assert f"{tf}: {needle}" in _report_error(capsys, d, tmp_path)


# ------------------------------------------------------------------ CSV tables


def _sweep_folder(tmp_path: Path, table: str) -> Path:
    d = tmp_path / "sweep"
    d.mkdir()
    (d / "summary.json").write_text(json.dumps(
        {"study": "s", "map": ["crash.front.crush_length", "body.height"]}))
    (d / "cases.csv").write_text(table)
    return d


HEAD = ("seq,hash,status,crash:front:crush_length [mm],body:height [mm],feasible,binding,"
        "message\n")


def _map_error(d: Path) -> str:
    from keidesign.review import plots

    with bounded_time(HANG_LIMIT_S), pytest.raises(InputError) as exc:
        plots.feasibility_map(d)
    assert "\n" not in str(exc.value)
    return str(exc.value)


def test_a_map_of_unique_points_is_refused_before_its_grid(tmp_path):
    """A sweep's map is levels x levels; a cases.csv of 5,000 rows each at its own x and y
    (350 kB) made a 5,000 x 5,000 grid of objects, each row found by a linear scan (20,000
    rows: a 3 GB array)."""
    rows = "".join(f"{i},h{i},ok,{500 + i * 0.1},{1500 + i * 0.1},True,,\n"
                   for i in range(5000))
    err = _map_error(_sweep_folder(tmp_path, HEAD + rows))
    assert "cases.csv: a map of 5,000 x 5,000 points; allowed: at most 4,000,000" in err


def test_a_map_binding_on_thousands_of_constraints_is_refused(tmp_path):
    rows = "".join(f"{i},h{i},ok,{500 + i % 50},{1500 + i // 50},False,c{i},\n"
                   for i in range(2500))
    err = _map_error(_sweep_folder(tmp_path, HEAD + rows))
    assert "cases.csv: 2,500 binding constraints; allowed: at most 200" in err


@pytest.mark.parametrize("table, needle", [
    (",".join(f"c{i}" for i in range(1001)) + "\n1\n",
     "results table has 1,001 columns; allowed: at most 1,000"),
    (HEAD + "\n" * 500_001, "results table has more than 500,000 rows; allowed: at most "
     "500,000"),
    # one record spread over many short lines of quoted fields: a million cells
    (HEAD + '"\n' + '","\n' * 300_000, "results table has a row of more than 1,048,576 "
     "characters (near record 2)"),
    (HEAD.replace("binding,", ""), "results table has no column 'binding'"),
    (HEAD + '1,"' + "x" * 200_000 + '"\n', "results table is not a CSV table the way "
     "keidesign writes it (field larger than field limit (131072)"),
])
def test_a_results_table_is_read_within_bounds(tmp_path, table, needle):
    """Every row of cases.csv was kept as a dict of every column (a 58 MB table of a
    million columns: 1.2 GB for 19 s; 64 MiB of one-character rows: ~7 GB); a missing
    column was a StopIteration or KeyError traceback."""
    assert needle in _map_error(_sweep_folder(tmp_path, table))


def test_a_results_table_keeps_only_the_columns_read(tmp_path):
    from keidesign.inputfiles import load_csv_table

    f = tmp_path / "t.csv"
    f.write_text("a,b,c\n1,2,3\n\n4,5\n")
    head, rows = load_csv_table(f, "results table", ["c", "a"])
    assert head == ["a", "b", "c"]
    assert rows == [{"c": "3", "a": "1"}, {"c": None, "a": "4"}]
    head, rows = load_csv_table(f, "results table", lambda h: h[1:2])
    assert rows == [{"b": "2"}, {"b": "5"}]


def test_a_pareto_table_of_many_columns_is_refused(tmp_path):
    from keidesign.review import plots

    d = tmp_path / "pareto"
    d.mkdir()
    (d / "pareto.csv").write_text("point,row," + ",".join(f"eps o{i}" for i in range(5))
                                  + ",o,p,success,feasible,on_front\n")
    with pytest.raises(InputError, match=r"pareto.csv: 5 'eps' columns \(6 objectives\); "
                       "allowed: 1 or 2"):
        plots.pareto_front(d)


def test_report_never_writes_through_a_link_in_the_results_folder(tmp_path, capsys):
    """The report is written to RESULT_DIR/report.html by default: a results folder from
    someone else whose report.html linked to ~/.bashrc (here ../victim) had it overwritten
    with the HTML page. A link (or a folder) there is refused before any model runs."""
    d = _folder(tmp_path)
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    (d / "report.html").symlink_to(victim)
    with bounded_time(HANG_LIMIT_S):
        assert main(["report", str(d), "--no-3d", "--compare-rules", "none"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"keidesign: error: keidesign report: {d / 'report.html'}: a symbolic link "
                   "in the results folder; the report would be written through it; allowed: "
                   "a regular file or none there (remove it, or give --out FILE)")
    assert victim.read_text() == "precious\n"


def test_a_results_folder_text_is_drawn_as_written(tmp_path):
    """The feasibility map's title is the summary's study name and its legend the
    binding constraint ids of cases.csv: '$\\frac{$' was a ValueError and 95 nested braces
    between $ a RecursionError when the figure was drawn."""
    import matplotlib

    from keidesign.review import plots

    rows = "".join(f"{i},h{i},ok,{500 + i % 3},{1500 + i // 3},False,{'{' * 95}$x$"
                   f"{'}' * 95},\n" for i in range(9))
    d = _sweep_folder(tmp_path, HEAD + rows)
    (d / "summary.json").write_text(json.dumps(
        {"study": "$\\frac{$", "map": ["crash.front.crush_length", "body.height"]}))
    before = matplotlib.rcParams["text.parse_math"]
    fig = plots.feasibility_map(d)
    assert plots.save(fig, tmp_path / "map.png").stat().st_size > 1000
    assert matplotlib.rcParams["text.parse_math"] == before  # the caller's setting kept


def test_an_optimization_history_of_thousands_of_variables_is_drawn_in_bounds(tmp_path):
    """history.json has a line and a legend entry per design variable: 30,000 variables
    (0.8 MB) drew for more than 5 minutes and 1.1 GB. The first 30 are drawn (the axis
    says of how many); a variable with another number of values than the objective's
    iterations is one error (it was a matplotlib ValueError)."""
    from keidesign.review import plots

    def history(n_dv: int, n_values: int = 2) -> Path:
        doc = {"schema": "keidesign.history/1",
               "objective": {"name": "mass:curb", "units": "kg", "values": [1.0, 2.0]},
               "violation": [0.0, 0.0],
               "design_variables": {f"v{i}": {"lower": 0, "upper": 1,
                                              "values": [0.5] * n_values}
                                    for i in range(n_dv)}}
        f = tmp_path / f"h{n_dv}_{n_values}.json"
        f.write_text(json.dumps(doc, separators=(",", ":")))
        return f

    with bounded_time(HANG_LIMIT_S):
        fig = plots.optimization_history(history(15_000))
        assert len(fig.axes[2].get_lines()) == plots.HISTORY_MAX_DRAWN
        assert "(the first 30 of 15000)" in fig.axes[2].get_ylabel()
        plots.save(fig, tmp_path / "h.png")
    with pytest.raises(InputError, match="v0 has 3 values for 2 iterations of the objective"):
        plots.optimization_history(history(2, 3))
