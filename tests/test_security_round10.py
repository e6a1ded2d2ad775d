"""Hostile inputs, round ten (audit s42a; docs/security.md): a user's EPA files of hostile
shapes (rows of millions of cells, blank-line floods, invisible characters, a repeated
column, a wrong encoding) and the optimizer's recorder read back (OpenMDAO unpickles it).

The scratch folders' sweep (a local user's planted names, another process-id namespace,
a temp dir others can rename in) is tested in ``tests/test_scratch.py``. Each test fails
on bcd4a11.
"""

from __future__ import annotations

import csv
import io
import os
import time
from pathlib import Path

import pytest
from test_external_epa import _shipped, _write

from keidesign.cli import main
from keidesign.energy import epafiles
from keidesign.energy import testcars as tc
from keidesign.errors import InputError


def _head_and_row() -> str:
    """The shipped header and its first row, as CSV text."""
    head, rows = _shipped(tc.TESTCAR_FILE)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([head, [rows[0][h] for h in head]])
    return buf.getvalue()


def _cube(tmp_path: Path, **cells: str) -> Path:
    """The shipped rows of one Nissan Cube configuration, ``cells`` changed in each."""
    car = next(c for c in tc.test_cars() if c.family == "NISSAN CUBE")
    head, rows = _shipped(tc.TESTCAR_FILE)
    mine = [dict(r, **cells) for r in rows if r["Test Number"] in car.test_numbers]
    return _write(tmp_path / "t.csv", head, mine)


@pytest.mark.parametrize("tail, what", [("aa," * 5_000_000, "cells"),
                                        ("," * 15_000_000, "empty cells"),
                                        ('"' + '""' * 7_500_000 + '"', "quoted quotes")])
def test_a_row_of_millions_of_cells_is_one_line_before_its_list_is_built(tmp_path, tail,
                                                                          what):
    """One 15 MB row of 5,000,000 two-character cells (or 15,000,000 empty ones) after a
    right header: the CSV reader built its list of cells and ``DictReader`` a second one
    before the cell count was refused (30 MB: 1.09 GB and 4.3 s of ``import epa``). Now
    the record is measured as its lines are read (at most 1 MiB, ``CSV_MAX_RECORD``)."""
    f = tmp_path / "t.csv"
    f.write_text(_head_and_row() + tail + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    with pytest.raises(InputError) as exc:
        epafiles.read_testcars(f)
    assert str(exc.value) == (f"{f}: line 3: a row of more than 1,048,576 characters; "
                              "allowed: at most 1,048,576 (a row of keidesign/data/epa/"
                              f"{tc.TESTCAR_FILE} has at most a few hundred)"), what
    assert time.perf_counter() - t0 < 5


def test_a_flood_of_blank_lines_is_counted(tmp_path):
    """32 MB of blank lines were skipped one by one by ``DictReader`` (uncounted: 7.7 s of
    ``import epa`` to say "0 rows read"); blank lines now count towards ``MAX_ROWS``."""
    head, _ = _shipped(tc.TESTCAR_FILE)
    f = tmp_path / "t.csv"
    f.write_text(",".join(head) + "\n" + "\n" * 3_000_000, encoding="utf-8")
    t0 = time.perf_counter()
    with pytest.raises(InputError, match=r"t\.csv: more than 200,000 rows \(blank lines "
                                         r"included\); allowed: at most 200,000\Z"):
        epafiles.read_testcars(f)
    assert time.perf_counter() - t0 < 5


@pytest.mark.parametrize("ch", ["\u202e", "\u2028", "\u200b", "\ufeff", "\x85"])
def test_an_invisible_or_bidi_character_in_a_cell_is_one_line(tmp_path, ch):
    """A right-to-left override (``U+202E``), a line separator, a zero-width space or a
    byte-order mark in a model name was read (only category Cc was refused): it reached
    the terminal in ``validate``'s table and the design file's comments."""
    f = _cube(tmp_path, **{"Represented Test Veh Model": f"CU{ch}BE"})
    with pytest.raises(InputError) as exc:
        epafiles.read_testcars(f)
    assert str(exc.value).startswith(f"{f}: line 2: column 'Represented Test Veh Model' = "
                                     f"{'CU' + ch + 'BE'!r}: holds a character that is not "
                                     "printable; allowed: printable text")


def test_a_column_given_twice_is_one_line(tmp_path):
    """A header naming a column twice: ``DictReader`` kept the last one's cells unsaid
    (a spreadsheet shows the first)."""
    head, rows = _shipped(tc.TESTCAR_FILE)
    f = tmp_path / "t.csv"
    f.write_text(",".join(head + ["Axle Ratio"]) + "\n"
                 + ",".join([rows[0][h] for h in head] + ["9.9"]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        epafiles.read_testcars(f)
    assert str(exc.value) == (f"{f}: column 'Axle Ratio' is given twice in the header; "
                              "allowed: each column once")


def test_a_csv_error_names_its_own_line(tmp_path):
    """A cell over the CSV reader's field limit was reported at the line before it
    (``DictReader.line_num`` is set only after a row is read)."""
    f = tmp_path / "t.csv"
    f.write_text(_head_and_row() + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"t\.csv: line 3: not valid CSV \(field larger than "
                                         r"field limit"):
        epafiles.read_testcars(f)


def test_a_file_in_another_encoding_is_one_line_with_what_is_allowed(tmp_path, capsys):
    """A Latin-1 or UTF-16 file (a spreadsheet's "CSV (Windows)") said only "is not UTF-8
    text (byte N)": no bytes shown, no ``allowed:``."""
    f = _cube(tmp_path, **{"Represented Test Veh Make": "NISSÄN"})
    f.write_bytes(f.read_text(encoding="utf-8").encode("latin-1"))
    at = f.read_bytes().index(b"\xc4")
    assert main(["import", "epa", "--testcars", str(f), "--year", "2011"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"keidesign: error: {f}: --testcars file is not UTF-8 text (byte {at:,}: "
        f"{f.read_bytes()[at:at + 4]!r}); allowed: UTF-8 text (save the file as UTF-8)"]


# ----------------------------------------------------------------- the optimizer's recorder


@pytest.fixture(scope="module")
def recorder(tmp_path_factory) -> Path:
    """A small optimization's driver recorder, written here (the file ``optimize`` reads
    back for ``history.json``)."""
    import openmdao.api as om

    d = tmp_path_factory.mktemp("rec")
    prob = om.Problem(reports=False)
    prob.model.add_subsystem("f", om.ExecComp("y = (x - 3.0)**2 + 1.0"), promotes=["*"])
    prob.model.add_design_var("x", lower=-10.0, upper=10.0)
    prob.model.add_objective("y")
    prob.driver = om.ScipyOptimizeDriver(optimizer="SLSQP", disp=False)
    prob.driver.add_recorder(om.SqliteRecorder(str(d / "cases.sql")))
    prob.setup()
    prob.run_driver()
    prob.cleanup()
    return d / "cases.sql"


def test_the_recorder_read_back_is_this_users_own_file(recorder, tmp_path):
    """``optimize`` reads its recorder back from ``<out>/optimization_out/cases.sql`` with
    OpenMDAO's ``CaseReader``, which unpickles. An empty ``optimization_out/`` is no
    earlier result, so in a shared ``--out`` folder another user may own it (the run of
    this audit wrote its recorder into a 0777 folder of ``nobody``) and swap the file
    before it is read. A link, a second name or a file of another user is now refused;
    the run's own file is read (from a private copy)."""
    from keidesign.studies.outputs import recorder_history

    history = recorder_history(recorder)
    assert history["objective"]["name"] == "f.y" or history["objective"]["name"] == "y"
    assert min(history["objective"]["values"]) == pytest.approx(1.0, abs=1e-6)
    link = tmp_path / "link.sql"
    link.symlink_to(recorder)
    with pytest.raises(InputError, match=r"link\.sql: the optimizer's recorder is a symbolic "
                                         r"link, not the file this run wrote"):
        recorder_history(link)
    second = tmp_path / "second.sql"
    mine = tmp_path / "mine.sql"
    mine.write_bytes(recorder.read_bytes())
    second.hardlink_to(mine)
    with pytest.raises(InputError, match=r"second\.sql: the optimizer's recorder is a hard "
                                         r"link \(2 names of one file\)"):
        recorder_history(second)
    if os.getuid() == 0:   # only root can give a file to another user
        theirs = tmp_path / "theirs.sql"
        theirs.write_bytes(recorder.read_bytes())
        os.chown(theirs, 65534, -1)
        with pytest.raises(InputError, match=r"theirs\.sql: the optimizer's recorder is "
                                             r"owned by another user \(uid 65534\)"):
            recorder_history(theirs)


@pytest.mark.skipif(os.getuid() != 0, reason="only root can give a folder to another user")
@pytest.mark.parametrize("mode", ["plain", "overwrite", "resume"])
def test_a_result_folder_of_another_user_is_refused(tmp_path, mode):
    """An empty ``optimization_out/`` of another user in the ``--out`` folder was no earlier
    result: ``optimize`` wrote its recorder into it (the probe: a 0777 folder of
    ``nobody``), where that user could replace it before it was read back."""
    from keidesign.studies.resultsdir import results_dir

    out = tmp_path / "res"
    theirs = out / "optimization_out"
    theirs.mkdir(parents=True)
    theirs.chmod(0o777)
    os.chown(theirs, 65534, -1)
    with pytest.raises(InputError) as exc, results_dir(
            out, command="pareto" if mode == "resume" else "optimize",
            overwrite=mode == "overwrite", resume=mode == "resume"):
        pass
    assert str(exc.value) == (f"{theirs}: a folder of another user (uid 65534); the run "
                              "writes its files in it, where that user can replace them (the "
                              "optimizer's recorder, the case store are read back); allowed: "
                              "results of yours: remove it, or choose another --out folder")
    os.chown(theirs, os.getuid(), -1)   # one's own (empty) folder: the run goes on
    theirs.chmod(0o755)   # (round 11: one that others can write is refused, s43a)
    with results_dir(out, command="optimize") as folder:
        assert folder == out
    store = out / "cases.sqlite"   # a case store of theirs, resumed in place
    store.write_bytes(b"")
    os.chown(store, 65534, -1)
    with pytest.raises(InputError, match=r"cases\.sqlite: a file of another user \(uid "
                                         r"65534\); the run writes it or beside it"), \
            results_dir(out, command="sweep", resume=True):
        pass


@pytest.mark.parametrize("end", ["\r", "\r\n", "\n"])
def test_each_line_end_is_read(tmp_path, end):
    """A guard: the record-measuring reader splits lines as ``io.StringIO(newline="")``
    did, so a file of carriage-return (or CRLF) line ends reads the same rows."""
    f = _cube(tmp_path)
    rows = epafiles.read_testcars(f).rows
    text = f.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\n", end)
    f.write_bytes(text.encode("utf-8"))
    assert epafiles.read_testcars(f).rows == rows and len(rows) >= 2
