"""Hostile inputs, round twelve (audit s44a; docs/security.md "round 12"). Each test of a
fix fails on fca4f58."""

from __future__ import annotations

import time
from pathlib import Path

from test_external_epa import _shipped, _write

from keidesign.cli import main
from keidesign.energy import epafiles
from keidesign.energy import testcars as tc


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
    ``JOIN_MAX`` is one line; here 600 x 8,400 = 5,040,000 (~50 s on fca4f58, then an
    'N configurations match' error)."""
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
    """Guard: files just within the limit join and reach the selection (the limit is on
    the comparisons, not on a file's size)."""
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
