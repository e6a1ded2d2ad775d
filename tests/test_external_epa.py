"""A user's own EPA rows: ``keidesign validate --testcars FILE [--labels FILE]`` and
``keidesign import epa --testcars FILE`` (keidesign.energy.epafiles; task s39g)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pytest

from keidesign.cli import main
from keidesign.energy import calibration as cal
from keidesign.energy import epafiles
from keidesign.energy import testcars as tc

FAMILIES = ("NISSAN CUBE", "MITSUBISHI I-MIEV")  # a gasoline and an EV family, 3 + 3


def _shipped(name: str) -> tuple[list[str], list[dict[str, str]]]:
    rows = tc._csv(name)
    return list(rows[0].keys()), rows


def _write(path: Path, head: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, head)
        w.writeheader()
        w.writerows(rows)
    return path


def _family_files(tmp_path: Path) -> tuple[Path, Path, list[tc.TestCar]]:
    """The shipped rows that made the families' configurations (each test number's first
    row, as the loader de-duplicates), and their label rows."""
    cars = [c for c in tc.test_cars() if c.family in FAMILIES]
    nums = {n for c in cars for n in c.test_numbers}
    head, rows = _shipped(tc.TESTCAR_FILE)
    keep, seen = [], set()
    for r in rows:
        if r["Test Number"] in nums and r["Test Number"] not in seen:
            seen.add(r["Test Number"])
            keep.append(r)
    ids = {lab.id for c in cars if (lab := tc.label_for(c)) is not None}
    lhead, lrows = _shipped(epafiles.LABEL_FILE)
    return (_write(tmp_path / "t.csv", head, keep),
            _write(tmp_path / "l.csv", lhead, [r for r in lrows if r["id"] in ids]), cars)


def test_validate_own_rows_gives_the_in_process_predictions(tmp_path, capsys):
    """Shipped rows of two families, given as a file: the same configurations and exactly
    the predictions of the shipped constants in-process (nothing refitted)."""
    t, lab, cars = _family_files(tmp_path)
    out = tmp_path / "v.json"
    assert main(["validate", "--testcars", str(t), "--labels", str(lab),
                 "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "constants are the SHIPPED ones" in text and "external rows" in text
    assert "### (c) Label" in text and "from published specs alone" in text
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["external_rows"] is True and doc["n_cars"] == len(cars) == 6
    c, fit, bev = cal.stored_fits()
    ice = [x for x in cars if x.cls in ("cvt", "automatic", "dct", "manual")]
    ev = [x for x in cars if x.cls == "ev"]
    assert ice and ev
    want = {}
    for group, pred in ((ice, cal.predict_ice(ice, c, fit)), (ev, cal.predict_bev(ev, c, bev))):
        for i, car in enumerate(group):
            want[car.test_numbers] = (pred["ftp"][i], pred["hwfet"][i])
    got = {tuple(r["test_numbers"]): (r["ftp_model"], r["hwfet_model"]) for r in doc["cars"]}
    assert {r["constants"] for r in doc["cars"]} == {"shipped"}
    assert got.keys() == want.keys()
    for k, v in want.items():
        np.testing.assert_allclose(got[k], v, rtol=1e-12)
    # the shipped rows are back in use after the command
    assert len(tc.test_cars()) > 100 and not tc._EXTERNAL


def test_import_selects_from_the_given_rows(tmp_path, capsys):
    """A row renamed to a model the shipped data lack imports under the new name."""
    head, rows = _shipped(tc.TESTCAR_FILE)
    car = next(c for c in tc.test_cars() if c.family == "NISSAN CUBE")
    mine = [dict(r, **{"Represented Test Veh Model": "ZEPHYR"}) for r in rows
            if r["Test Number"] in car.test_numbers]
    f = _write(tmp_path / "z.csv", head, mine)
    assert main(["import", "epa", "--model", "zephyr"]) == 2  # not in the shipped rows
    capsys.readouterr()
    out = tmp_path / "z.toml"
    assert main(["import", "epa", "--testcars", str(f), "--model", "zephyr",
                 "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert f"ZEPHYR (vehicle {car.vehicle_id})" in text
    assert "the user's EPA rows" in text and car.test_numbers[0] in text


def _one_error(capsys, argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("keidesign: error: "), err
    return err[0]


@pytest.mark.parametrize("cmd", [["validate"], ["import", "epa", "--model", "x"]])
def test_bad_files_one_line_each(tmp_path, capsys, monkeypatch, cmd):
    head, rows = _shipped(tc.TESTCAR_FILE)
    good = rows[:4]
    f = _write(tmp_path / "nocol.csv", [h for h in head if h != "Target Coef C (lbf/mph**2)"],
               [{k: v for k, v in r.items() if k != "Target Coef C (lbf/mph**2)"}
                for r in good])
    msg = _one_error(capsys, cmd + ["--testcars", str(f)])
    assert "missing column 'Target Coef C (lbf/mph**2)'" in msg
    bad = [dict(r) for r in good]
    bad[2]["Equivalent Test Weight (lbs.)"] = "nan"
    msg = _one_error(capsys, cmd + ["--testcars", str(_write(tmp_path / "nan.csv", head, bad))])
    assert "line 4: column 'Equivalent Test Weight (lbs.)' = 'nan': not a finite number" in msg
    bad[2]["Equivalent Test Weight (lbs.)"] = "__import__('os')"
    msg = _one_error(capsys, cmd + ["--testcars", str(_write(tmp_path / "t.csv", head, bad))])
    assert "= \"__import__('os')\": not a finite number" in msg
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    msg = _one_error(capsys, cmd + ["--testcars", str(tmp_path / "empty.csv")])
    assert "--testcars file is empty" in msg
    # every row negative: skipped with a count, then no usable configuration
    neg = [dict(r, **{"Equivalent Test Weight (lbs.)": "-2875"}) for r in good]
    msg = _one_error(capsys, cmd + ["--testcars", str(_write(tmp_path / "n.csv", head, neg))])
    assert "0 rows read, 4 skipped (negative Equivalent Test Weight (lbs.))" in msg
    assert "no usable configuration" in msg
    monkeypatch.setattr(epafiles, "MAX_BYTES", 1000)
    msg = _one_error(capsys, cmd + ["--testcars", str(_write(tmp_path / "g.csv", head, good))])
    assert "allowed: at most 1,000 bytes" in msg
    monkeypatch.setattr(epafiles, "MAX_BYTES", 10**6)
    monkeypatch.setattr(epafiles, "MAX_ROWS", 3)
    msg = _one_error(capsys, cmd + ["--testcars", str(tmp_path / "g.csv")])
    assert "more than 3 rows" in msg


def test_row_checks(tmp_path, capsys):
    """A whole-number column, the model-year span, the Yes/No column, the cell count; a
    spreadsheet's byte-order mark is read; a blank label value skips its row, counted."""
    head, rows = _shipped(tc.TESTCAR_FILE)
    good = rows[:4]
    for col, val, says in (("Model Year", "2011.0", "not a whole number"),
                           ("Model Year", "1911", "a model year 1975-2100"),
                           ("# of Gears", "five", "not a whole number"),
                           (tc.ADFE_COLUMN, "Maybe", "allowed: Yes or No")):
        bad = [dict(r) for r in good]
        bad[1][col] = val
        msg = _one_error(capsys, ["validate", "--testcars",
                                  str(_write(tmp_path / "b.csv", head, bad))])
        assert f"line 3: column {col!r} = {val!r}" in msg and says in msg, msg
    f = _write(tmp_path / "g.csv", head, good)
    text = f.read_text(encoding="utf-8").splitlines()
    text[2] += ",extra"
    (tmp_path / "x.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    msg = _one_error(capsys, ["validate", "--testcars", str(tmp_path / "x.csv")])
    assert f"line 3: {len(head) + 1} cells; allowed: {len(head)}" in msg
    (tmp_path / "bom.csv").write_text("\ufeff" + f.read_text(encoding="utf-8"),
                                      encoding="utf-8")
    assert len(epafiles.read_testcars(tmp_path / "bom.csv").rows) == 4
    lhead, lrows = _shipped(epafiles.LABEL_FILE)
    labs = [dict(r) for r in lrows[:3]]
    labs[0]["city08"] = ""
    got = epafiles.read_labels(_write(tmp_path / "l.csv", lhead, labs))
    assert len(got.rows) == 2 and got.skipped == {"blank city08": 1}
    assert got.note().endswith("2 rows read, 1 skipped (blank city08)")


@pytest.mark.parametrize("cmd", [["validate"], ["import", "epa", "--model", "x"]])
def test_labels_need_testcars(capsys, cmd):
    msg = _one_error(capsys, cmd + ["--labels", "x.csv"])
    assert msg.startswith(f"keidesign: error: {' '.join(cmd[:2])} --labels FILE: needs "
                          "--testcars FILE"), msg


@pytest.mark.parametrize("cmd, use", [
    (["validate"], ("run YOUR rows of FILE", "for the label comparisons")),
    (["import", "epa"], ("select the test car from the rows of FILE", "to join to them"))])
def test_epa_file_options_help(capsys, cmd, use):
    """One wording of the two files (keidesign.helptext.add_epa_files), naming the
    shipped files whose columns they take; each command's own use of them."""
    root = Path(__file__).resolve().parents[1]
    from keidesign.helptext import EPA_FILES

    assert Path(EPA_FILES["testcars"]).name == tc.TESTCAR_FILE
    assert Path(EPA_FILES["labels"]).name == epafiles.LABEL_FILE
    assert all((root / f).is_file() for f in EPA_FILES.values())
    with pytest.raises(SystemExit):
        main(cmd + ["--help"])
    out = " ".join(capsys.readouterr().out.split("options:", 1)[1].split())
    for option, file, words in zip(("--testcars", "--labels"), EPA_FILES.values(), use,
                                   strict=True):
        text = re.split(r" -o FILE| --[a-z]+ [A-Z]+ ", out.split(f"{option} FILE ", 1)[1])[0]
        assert words in text and f"CSV in the columns of {file}" in text, text
