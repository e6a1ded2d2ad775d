"""Hostile inputs, round six (audit s31e; docs/security.md).

Each test fails on 5d5e5f5. The hostile sizes are kept small enough for the old code to
answer (wrongly) in about a second; the full-size cases measured on the old code are in
docs/security.md.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import nbformat
import pytest
from conftest import DESIGNS, ROOT, bounded_time
from test_security_studies import _edited
from test_security_studies import swept_store as _swept_store

from keidesign.cli import main

NOTEBOOKS = ROOT / "notebooks"
swept_store = _swept_store  # the finished 4-case sweep of test_security_studies, reused


def _one_error(capsys) -> str:
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("keidesign: error: "), err[:2000]
    assert "Traceback" not in err
    return lines[0]


# ------------------------------------------------------------------ a case store's values
# SQLite's length() of a text reads the whole text: a store whose case had a hash of
# 300,000,000 characters was loaded to be measured (`sweep --resume`: 30.1 s, 0.85 GB on
# 5d5e5f5; its hashes were also read whole, unchecked, before any case ran: 1.15 GB).


def _store(path: Path, sql: str) -> None:
    from keidesign.studies.store import CaseStore

    with CaseStore(path, "f") as st:
        st.add([{"hash": "h0", "seq": 0, "status": "ok", "inputs": {}, "outputs": {},
                 "message": ""}])
    con = sqlite3.connect(path)
    with con:
        con.execute(sql)
    con.close()


@pytest.mark.parametrize("sql", [
    "INSERT INTO cases VALUES (printf('%.*c', 2000000, 'h'), 1, 'ok', '{}', '{}', '', 0)",
    "INSERT INTO cases VALUES ('h1', zeroblob(2000000), 'ok', '{}', '{}', '', 0)",
    "UPDATE cases SET message = printf('%.*c', 2000000, 'm')",
])
def test_a_store_value_larger_than_a_row_is_never_loaded(tmp_path, sql):
    """Nothing larger than MAX_VALUE_BYTES is loaded from a case store, measured or
    not (SQLite's limit on the connection: "string or blob too big" before the value is
    read); on 5d5e5f5 these loaded the whole value (a 2,000,000-character hash was
    measured by loading it, then reported by its length; a seq blob was not measured)."""
    from keidesign.errors import InputError
    from keidesign.studies.store import CaseStore

    path = tmp_path / "cases.sqlite"
    _store(path, sql)
    with CaseStore(path, "f", resume=True) as st, \
            pytest.raises(InputError, match="string or blob too big"):
        st.rows(known={"h0", "h1"})


def test_resume_checks_every_recorded_case_before_any_case_runs(swept_store, tmp_path,
                                                                 capsys, monkeypatch):
    """A store with a case of another study (one case of this study left to run) is
    refused before that case runs; on 5d5e5f5 its hashes were read unchecked, the
    missing case ran, and only then was the store refused (3,000,000 such rows: 71 s,
    0.86 GB)."""
    from keidesign.studies import sweep

    args = _edited(swept_store, tmp_path, "DELETE FROM cases WHERE seq = 3")
    con = sqlite3.connect(tmp_path / "o" / "cases.sqlite")
    with con:
        con.execute("INSERT INTO cases SELECT 'ffffffffffffffffffff', 9, status, inputs, "
                    "outputs, message, finished FROM cases WHERE seq = 0")
    con.close()
    ran = []
    real = sweep.evaluate_chunk
    monkeypatch.setattr(sweep, "evaluate_chunk",
                        lambda *a, **k: ran.append(1) or real(*a, **k))
    capsys.readouterr()
    assert main(args) == 2
    assert "is not one of this study's cases" in _one_error(capsys)
    assert ran == [], "a case ran before the store was checked"


# ------------------------------------------------- notebook 02 reviewing a folder from others


def _cell(stem: str, needle: str) -> str:
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    return next(c.source for c in nb.cells if c.cell_type == "code" and needle in c.source)


def _results_from_others(tmp_path: Path) -> Path:
    """A results folder of `keidesign optimize` (its files as optimize writes them, the
    report's checks passing) whose trade_factors.md holds live HTML."""
    import json

    d = tmp_path / "shared"
    d.mkdir()
    (d / "results.json").write_text(json.dumps({
        "study": "s", "study_file": "s.toml", "objective": {
            "name": "mass:curb", "units": "kg", "sense": "minimize", "value": 900.0},
        "n_starts": 1, "n_model_evaluations": 1}))
    (d / "evaluation.json").write_text(json.dumps({"design": {"name": "d"}}))
    (d / "optimum.toml").write_text("")
    (d / "trade_factors.md").write_text(
        "# Trade factors\n- **x** <img src=x onerror=alert(1)><script>alert(2)</script>\n")
    return d


def test_design_review_shows_trade_factors_escaped_and_bounded(tmp_path):
    """Notebook 02 reviews a results folder given as RESULTS (one from someone else):
    its trade_factors.md was shown with IPython's Markdown (the HTML in it rendered live
    by Jupyter) and read whole with Path.read_text (a FIFO hung the kernel); now read as
    `keidesign report` reads it and shown escaped."""
    from IPython.display import HTML, Markdown

    out = _results_from_others(tmp_path)
    ns = {"OUT": out, "HTML": HTML, "Markdown": Markdown, "Path": Path}
    src = _cell("02_design_review", "trade_factors")
    *body, last = src.rstrip().split("\n")
    with bounded_time(30):
        exec(compile("\n".join(body), "cell", "exec"), ns)
        shown = eval(compile(last, "cell", "eval"), ns)
    # what Jupyter renders: the HTML, or the Markdown text (raw HTML in it is rendered)
    html = shown._repr_html_() if isinstance(shown, HTML) else shown._repr_markdown_()
    assert "Trade factors" in html, shown
    assert "<img" not in html and "<script" not in html, html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    import os

    os.unlink(out / "trade_factors.md")
    os.mkfifo(out / "trade_factors.md")
    from keidesign.errors import InputError

    with bounded_time(30), pytest.raises(InputError, match="trade_factors.md"):
        exec(compile(src, "cell", "exec"), ns)


def test_design_review_writes_no_figure_into_the_folder_it_reviews(tmp_path):
    """The mass-cost cell wrote OUT/mass_cost.png: into the results folder given as
    RESULTS, through a symbolic link planted there (a file of the reviewer's elsewhere
    was overwritten with the PNG); it now writes a temporary file."""
    import tempfile
    import types

    out = _results_from_others(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"mine")
    (out / "mass_cost.png").symlink_to(victim)
    written = []

    def breakdown(base, opt, path):
        Path(path).write_bytes(b"\x89PNG\r\n\x1a\n")
        written.append(Path(path))
        return path

    ns = {"OUT": out, "Image": lambda filename: filename, "Path": Path, "base": None,
          "opt": None, "tempfile": tempfile,
          "plots": types.SimpleNamespace(mass_cost_breakdown=breakdown)}
    exec(compile(_cell("02_design_review", "mass_cost_breakdown"), "cell", "exec"), ns)
    assert victim.read_bytes() == b"mine", "written through the link"
    assert written and all(out not in p.parents for p in written), written


def test_kei_truck_table_shows_no_negative_zero():
    """The Pareto front's first point sits at its ride-down bound (-3.6e-9 mm from the
    solver): notebook 05's table printed it as '-0'."""
    from keidesign.review.report import table_html

    x = {"crash:front:crush_length": 264.0, "body:truck:bed_length": 1901.0,
         "crash:front:rail_width": 120.0, "crash:front:rail_height": 160.0,
         "crash:front:wall_thickness": 3.2, "crash:restraint:load_limit": 47.0}
    ns = {"front": [{"x": x, "objectives": [1901.0, -3.5529e-09]}],
          "HTML": lambda s: s, "table_html": table_html}
    src = _cell("05_kei_truck", "ride-down margin, mm")
    *body, last = src.rstrip().split("\n")
    exec(compile("\n".join(body), "cell", "exec"), ns)
    html = eval(compile(last, "cell", "eval"), ns)
    assert ">-0<" not in html and ">0<" in html, html


# ------------------------------------------------ "0 = not given" values set to a subnormal
# Each accepted on 5d5e5f5 (its range starts at 0): a curb mass of 5e-324 kg passed
# Part 581 at an infinite barrier speed, a test weight of 5e-324 kg gave NaN cycle
# results under a page of RuntimeWarnings, a final drive or first gear of 5e-324 a car
# under 20 mph (every FMVSS row not applicable); at most 24 s each, none hung.


@pytest.mark.parametrize("table, key, floor", [
    ("mass", "curb_measured", "[200, 10000] kg"),
    ("energy", "test_weight", "[200, 10000] kg"),
    ("powertrain", "final_drive", "[1, 20]"),
    ("powertrain", "ratio_low", "[0.3, 10]"),
    ("powertrain", "ratio_high", "[0.3, 5]"),
])
def test_a_given_value_below_its_floor_is_one_line(tmp_path, capsys, table, key, floor):
    """0 means "not given" (the model's value); a given value is at least the floor a
    spec file's key has (the plausibility benchmark's minimum cases)."""
    import tomlkit

    doc = tomlkit.parse((DESIGNS / "nbox_class.toml").read_text(encoding="utf-8"))
    doc.setdefault(table, tomlkit.table())[key] = 5e-324
    path = tmp_path / "car.toml"
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(path)]) == 2
    err = _one_error(capsys)
    # one form with a value beyond the registry's range (s32g: "allowed 0 (...) or a to b")
    assert f"{table}.{key} = 4.94066e-324" in err and "out of range; allowed: 0 (" in err \
        and f"or number in {floor}" in err, err
    doc[table][key] = 0.0  # not given: as before
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    assert main(["check", str(path)]) == 0

def test_a_bev_packs_stated_resistance_below_its_floor_is_one_line(tmp_path, capsys):
    """A BEV's `powertrain.bev.battery_resistance`: 0 derives it from the pack's energy
    (task s42b); a stated one is at least 0.005 ohm (5e-324 ohm was a lossless pack)."""
    import tomlkit

    doc = tomlkit.parse((DESIGNS / "sakura_class.toml").read_text(encoding="utf-8"))
    doc["powertrain"]["bev"]["battery_resistance"] = 5e-324
    path = tmp_path / "ev.toml"
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(path)]) == 2
    err = _one_error(capsys)
    assert "powertrain.bev.battery_resistance = 4.94066e-324" in err \
        and "allowed: 0 (from the pack's energy, R = tau V^2 / E) or number in [0.005, 2] ohm" \
        in err, err
    for ok in (0.0, 0.005, 0.1):
        doc["powertrain"]["bev"]["battery_resistance"] = ok
        path.write_text(tomlkit.dumps(doc), encoding="utf-8")
        assert main(["check", str(path)]) == 0, ok


# ------------------------------------------------------- a Pareto store's points under --resume
# A recorded point's x is the next point's start on --resume and the design written to
# pareto_designs/: x of NaN or 1e308 was an AnalysisError traceback (Newton on
# vehicle.mass, 11.1 s / 4.8 s), an unknown name a KeyError traceback from the study
# (7.7 s), on 5d5e5f5.

TRUCK = ROOT / "studies" / "pareto_truck_bed_crush.toml"


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    """A finished 3-point Pareto front (study f), run once for the edits below."""
    out = tmp_path_factory.mktemp("front6") / "o"
    assert main(["pareto", str(TRUCK), "--out", str(out), "--serial", "--no-progress",
                 "--set", "pareto.points=3"]) == 0
    return out


@pytest.mark.parametrize("change, field", [
    ("json_set(outputs, '$.x.\"crash:front:crush_length\"', json('1e308'))",
     "outputs.x.'crash:front:crush_length' = 1e+308: not a number within the variable's "
     "bounds [200, 700]"),
    ("json_set(outputs, '$.x.bogus', 1.0)", "outputs.x names 'bogus': not the study's "
     "continuous variables"),
])
def test_resume_refuses_a_pareto_point_outside_the_study(front, tmp_path, capsys, change,
                                                         field):
    out = tmp_path / "o"
    out.mkdir()
    shutil.copy(front / "cases.sqlite", out / "cases.sqlite")
    con = sqlite3.connect(out / "cases.sqlite")
    with con:  # the first point edited, the second left to run from it
        con.execute(f"UPDATE cases SET outputs = {change} WHERE seq = 0")
        con.execute("DELETE FROM cases WHERE seq = 1")
    con.close()
    capsys.readouterr()
    assert main(["pareto", str(TRUCK), "--out", str(out), "--serial", "--no-progress",
                 "--set", "pareto.points=3", "--resume"]) == 2
    err = _one_error(capsys)
    assert "cases.sqlite: not a keidesign case store: case seq = 0: " + field in err, err


# s31l: the other values whose 0 means "not given" (the design registry's keys whose range
# starts at 0 with 0 meaning "the model's value", "none" or "not limited"), each accepted
# at 5e-324 by `keidesign check` on 0d893d3 (the staggered tyre refused only when the
# model was built; a coast-down A of 0 with measured = true used as a car without drag)
_STAGGERED = {"body.tyre_other_width": 175.0, "body.tyre_other_aspect": 55.0,
              "body.rim_other_diameter": 15.0}
_HEV = {"powertrain.ice.hybrid": "hev", "powertrain.ice.hev_motor_reduction": 10.0}


@pytest.mark.parametrize("key, extra, allowed", [
    ("powertrain.ice.hev_motor_reduction", {"powertrain.ice.hybrid": "hev"},
     "allowed: 0 (none: the motor turns at the engine's top-gear ratio) or number in [1, 20]"),
    ("powertrain.ice.hev_motor_max_speed", _HEV,
     "allowed: 0 (not limited) or number in [1000, 25000] rpm"),
    ("energy.coastdown.a", {}, "allowed: 0 (not given; used only with "
     "energy.coastdown.measured = true) or number in [10, 2000] N"),
    ("energy.coastdown.c", {}, "or number in [0.05, 10] N*s**2/m**2"),
    ("body.tyre_other_width", _STAGGERED, "allowed: 0 for all three (not given) or 100 to "
     "350 mm"),
    ("body.tyre_other_aspect", _STAGGERED, "or 25 to 90 percent"),
    ("body.rim_other_diameter", _STAGGERED, "or 10 to 22 inch"),
])
def test_every_not_given_value_below_its_floor_is_one_line(tmp_path, capsys, key, extra,
                                                           allowed):
    """A given value between 0 ("not given") and the key's physical floor is one line
    naming the field, the value and the allowed range; the floor itself passes."""
    import tomlkit

    from keidesign import variables as reg

    def check(values: dict) -> int:
        doc = tomlkit.parse((DESIGNS / "nbox_class.toml").read_text(encoding="utf-8"))
        for path, value in values.items():
            *tables, leaf = path.split(".")
            t = doc
            for name in tables:
                t = t.setdefault(name, tomlkit.table())
            t[leaf] = value
        path = tmp_path / "car.toml"
        path.write_text(tomlkit.dumps(doc), encoding="utf-8")
        capsys.readouterr()
        return main(["check", str(path)])

    assert check({**extra, key: 5e-324}) == 2
    err = _one_error(capsys)
    assert f"{key} = 4.94066e-324" in err and allowed in err, err
    tail = allowed.rsplit("or ", 1)[-1].removeprefix("number in [")
    floor = float(tail.split(" to ")[0].split(",")[0])
    assert check({**extra, key: floor}) == 0, capsys.readouterr().err
    assert check({**extra, key: reg.get(key.replace(".", ":")).upper}) == 0


def test_measured_coastdown_needs_a_and_c(tmp_path, capsys):
    """energy.coastdown.measured = true uses A and C as given: their 0 (the default) was a
    car with no rolling or no air drag; now one line, and a measured row passes."""
    text = (DESIGNS / "mirage_class.toml").read_text(encoding="utf-8")
    path = tmp_path / "car.toml"
    with_c = ": out of range with energy.coastdown.measured = true; allowed: number in "
    for abc, want in (("b = 0.5", f"energy.coastdown.a = 0 N{with_c}[10, 2000] N"),
                      ('a = "20 lbf"\nb = 0.5',
                       f"energy.coastdown.c = 0 N*s**2/m**2{with_c}[0.05, 10] N*s**2/m**2"),
                      ('a = "20 lbf"\nb = 0.5\nc = "0.02 lbf*h**2/mi**2"', None)):
        path.write_text(text + f"\n[energy.coastdown]\nmeasured = true\n{abc}\n",
                        encoding="utf-8")
        capsys.readouterr()
        assert main(["check", str(path)]) == (0 if want is None else 2)
        if want is not None:
            err = _one_error(capsys)
            assert want in err, err
