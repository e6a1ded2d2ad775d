"""Hostile inputs, round twelve (audit s44a; docs/security.md "round 12"). Each test of a
fix fails on fca4f58."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from conftest import DESIGNS
from test_external_epa import _shipped, _write

from keidesign.cli import main
from keidesign.energy import epafiles
from keidesign.energy import testcars as tc
from keidesign.errors import InputError


def _one_make_and_year(tmp_path: Path, n_cars: int, n_labels: int) -> tuple[Path, Path]:
    """``n_cars`` configurations of the 2011 Nissan Cube (its FTP and HWFET rows, each
    pair under another vehicle and model name) and ``n_labels`` label rows of its make
    and year (its label row under other ids and model names): every configuration's
    label join looks at every label row."""
    car = next(c for c in tc.test_cars() if c.family == "NISSAN CUBE" and c.year == 2011)
    head, rows = _shipped(tc.TESTCAR_FILE)
    pair = [r for r in rows if r["Test Number"] in car.test_numbers
            and r["Model Year"] == "2011"]
    cars = [dict(r, **{"Test Number": f"X{i:07d}{j}", "Test Vehicle ID": f"V{i}",
                       "Represented Test Veh Model":
                       r["Represented Test Veh Model"] + (f" {i}" if i else "")})
            for i in range(n_cars) for j, r in enumerate(pair)]
    lhead, lrows = _shipped(epafiles.LABEL_FILE)
    lab = next(r for r in lrows if r["id"] == tc.label_for(car).id)
    labels = [dict(lab, id=str(900_000 + i), model=f"Cube{i}" if i else lab["model"])
              for i in range(n_labels)]
    return _write(tmp_path / "t.csv", head, cars), _write(tmp_path / "l.csv", lhead, labels)


def test_a_label_join_of_one_make_and_year_is_refused_before_it_runs(tmp_path, capsys):
    """The label join compared every configuration with every label row of its make and
    model year, ~10 us each: 10,000 configurations and 20,000 label rows of one make and
    year (7.4 MB) ran ``import epa`` for more than 600 s, a 32 MiB pair of files for
    hours. Now the comparisons are counted first (``testcars.join_work``) and more than
    ``JOIN_MAX`` is one line; here 600 x 8,400 = 5,040,000 (74 s on fca4f58 on the loaded
    machine, then an 'N configurations match' error)."""
    t, lab = _one_make_and_year(tmp_path, 600, 8_400)
    t0 = time.perf_counter()
    assert main(["import", "epa", "--testcars", str(t), "--labels", str(lab),
                 "--year", "2011", "--make", "NISSAN", "--model", "CUBE"]) == 2
    assert time.perf_counter() - t0 < 20
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == (
        f"keidesign: error: {t}: 1200 rows read; {lab}: 8400 rows read: the label join "
        "compares 5,040,000 label rows (for each configuration, the label rows of its make "
        "in its model year and the years beside it); allowed: at most 5,000,000 (the "
        "shipped rows: 20,364): split the files by model year or make")


def test_the_label_join_within_its_limit_runs(tmp_path, capsys):
    """Guard: files within the limit (50 x 2,000 = 100,000 comparisons) join and reach
    the selection: the limit is on the comparisons, not on a file's size."""
    t, lab = _one_make_and_year(tmp_path, 50, 2_000)
    assert main(["import", "epa", "--testcars", str(t), "--labels", str(lab),
                 "--year", "2011", "--make", "NISSAN", "--model", "CUBE 1.8 S 7"]) == 0
    out = capsys.readouterr().out
    assert "EPA test car 2011 NISSAN NISSAN CUBE 1.8 S 7 (vehicle V7)" in out


def test_the_shipped_join_is_the_quoted_figure():
    """The message's figure is the shipped rows' join work, and far from the limit."""
    assert tc.join_work(tc.test_cars()) == epafiles.SHIPPED_JOIN
    assert epafiles.SHIPPED_JOIN * 100 < tc.JOIN_MAX


def test_the_join_limit_holds_in_validate(tmp_path, capsys):
    """``validate --testcars`` counted its 2,000 configurations only after the join."""
    t, lab = _one_make_and_year(tmp_path, 600, 8_400)
    assert main(["validate", "--testcars", str(t), "--labels", str(lab)]) == 2
    assert "the label join compares 5,040,000 label rows" in capsys.readouterr().err


def _cube_files(tmp_path: Path, car_cells: dict[str, str] | None = None,
                label_cells: dict[str, str] | None = None) -> tuple[Path, Path]:
    """The 2011 Nissan Cube's FTP and HWFET rows and its label row, cells changed."""
    t, lab = _one_make_and_year(tmp_path, 1, 1)
    head, rows = _shipped(tc.TESTCAR_FILE)
    lhead, _ = _shipped(epafiles.LABEL_FILE)
    cars = [dict(r, **(car_cells or {})) for r in epafiles.read_testcars(t).rows]
    labels = [dict(r, **(label_cells or {})) for r in epafiles.read_labels(lab).rows]
    return _write(t, head, cars), _write(lab, lhead, labels)


def test_a_label_cell_of_thousands_of_digits_is_one_line(tmp_path, capsys):
    """The import matches ``(\\d+(?:\\.\\d+)?)\\s*kW`` on the joined label row's
    ``evMotor``, in time that grows faster than the square of the cell: 20,000 digits
    took 25 s of ``import epa`` on fca4f58 (exit 0), 130,000 (within the CSV reader's
    field limit) 849 s. A cell of a column the loaders read is now at most
    ``CELL_MAX`` characters."""
    t, lab = _cube_files(tmp_path, label_cells={"evMotor": "1" * 20_000})
    t0 = time.perf_counter()
    assert main(["import", "epa", "--testcars", str(t), "--labels", str(lab),
                 "--year", "2011", "--make", "NISSAN", "--model", "CUBE"]) == 2
    assert time.perf_counter() - t0 < 15
    assert capsys.readouterr().err.strip().endswith(
        "1...: 20,000 characters; allowed: at most 256 (the shipped files' longest cell "
        "has 65)")


def test_a_model_name_longer_than_a_cell_is_one_line(tmp_path, capsys):
    """The hybrid test ``niro(?!.*(ev|electric))`` re-reads the rest of the model name
    at every 'niro': a name of 131,070 characters took 3.8 s per configuration (~250
    such configurations fit the 32 MiB file). 257 characters are refused, 256 read."""
    name = ("NIRO " * 52)[:257]
    t, lab = _cube_files(tmp_path, car_cells={"Represented Test Veh Model": name})
    with pytest.raises(InputError, match=r"line 2: column 'Represented Test Veh Model' = "
                                         r"'NIRO NIRO .*: 257 characters; allowed: at most "
                                         r"256 \(the shipped"):
        epafiles.read_testcars(t)
    t, lab = _cube_files(tmp_path, car_cells={"Represented Test Veh Model": name[:256]})
    assert [r["Represented Test Veh Model"] for r in epafiles.read_testcars(t).rows] == \
        [name[:256]] * 2


def test_the_shipped_longest_cell_is_the_quoted_one():
    """The message's 65: the longest cell of the columns the loaders read."""
    longest = 0
    for name in (tc.TESTCAR_FILE, epafiles.LABEL_FILE):
        head, rows = _shipped(name)
        longest = max(longest, max(len(r[c]) for r in rows for c in head))
    assert longest == 65 < epafiles.CELL_MAX


def test_columns_the_loaders_do_not_read_are_not_kept(tmp_path):
    """Every cell of every column was kept: a 32 MiB test-car file of the shipped header
    and 970 other columns of "1" (7,803 configurations) held 1.07 GB in ``import epa``
    (10.8 s); now 312 MB (5.0 s). Only the shipped header's columns are kept."""
    t, _ = _cube_files(tmp_path)
    head, _ = _shipped(tc.TESTCAR_FILE)
    rows = epafiles.read_testcars(t).rows
    extra = [f"x{i}" for i in range(970)]
    _write(t, head + extra, [dict(r, **dict.fromkeys(extra, "1")) for r in rows])
    got = epafiles.read_testcars(t).rows
    assert len(got) == 2 and all(list(r) == head for r in got)
    assert got == rows


@pytest.mark.parametrize("kind", ["symlink", "hardlink"])
def test_the_export_sidecar_is_never_written_through_a_planted_link(tmp_path, kind):
    """``keidesign export D --stl shared/car.stl`` writes the sidecar ``shared/car.json``,
    a name the user did not give, in place: in a folder others can write, a link planted
    at that name had its target (a file of the user's elsewhere) overwritten with the
    sidecar's JSON. Now it is replaced by rename (the planted name's file kept)."""
    shared, home = tmp_path / "shared", tmp_path / "home"
    shared.mkdir()
    home.mkdir()
    mine = home / "notes.txt"
    mine.write_text("mine\n", encoding="utf-8")
    side = shared / "car.json"
    if kind == "symlink":
        side.symlink_to(mine)
    else:
        os.link(mine, side)
    assert main(["export", str(DESIGNS / "sakura_class_us.toml"),
                 "--stl", str(shared / "car.stl")]) == 0
    assert mine.read_text(encoding="utf-8") == "mine\n"
    assert not side.is_symlink() and side.stat().st_nlink == 1
    assert json.loads(side.read_text(encoding="utf-8"))["files"]["stl"] == \
        str(shared / "car.stl")
