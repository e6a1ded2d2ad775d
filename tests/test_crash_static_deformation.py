"""nhtsa_static_deformation.csv (issue 14, task s18h5): NHTSA's pretest minus posttest
vehicle measurements of full-width frontal tests (length, bumper, engine front, firewall,
engine block, CRHDST) as a third party tabulated them. Every row sourced (status R), the
transcription spot-checked, the implausible deltas sorted out by
``static_stack_figures`` (not edited in the file), and a bad row refused in one line
naming row, field, value and what is allowed."""

from __future__ import annotations

import csv
import io
from importlib.resources import files

import pytest

from keidesign.crash import validation as val
from keidesign.errors import InputError

TEXT = (files("keidesign") / "data" / "crash" / "nhtsa_static_deformation.csv").read_text()


def _rows() -> dict[int, dict]:
    return {int(r["nhtsa_test_no"]): r for r in val.load_static_deformation()}


def test_file_reads_sourced_and_as_transcribed():
    rows = _rows()
    assert len(rows) == 18
    assert all(r["status"] == "R" and "b20c43b731ac9bbba44968d6ad4d11f7b55dc48d" in r["source"]
               for r in rows.values())
    # spot checks against the source's delta_1 / delta_2 / delta_14 / delta_15 / CRHDST
    acc = rows[7504]
    assert (acc["length_shortening_mm"], acc["engine_front_mm"], acc["firewall_right_mm"],
            acc["firewall_left_mm"], acc["crhdst_mm"]) == (470, 170, 7, 10, 470)
    assert rows[7863]["length_shortening_mm"] == 501 and rows[7605]["crhdst_mm"] == 390


def test_static_figures_sort_out_implausible_deltas():
    rows = _rows()
    acc = val.static_stack_figures(rows[7504])
    assert acc == {"crush": 470, "engine_into_body": 170, "engine_to_barrier": 300,
                   "firewall": pytest.approx(8.5), "firewall_sides": 2}
    # Fiat 500: firewall deltas of -1890 / +2145 mm are a reference mismatch, not a crush
    assert val.static_stack_figures(rows[7505])["firewall"] is None
    # Versa sedan: engine front -140 mm refused, one firewall side (20 mm) kept
    versa = val.static_stack_figures(rows[7609])
    assert versa["engine_into_body"] is None and versa["firewall_sides"] == 1
    # i-MiEV: no engine ahead of the dash (delta 0 = not measured)
    assert val.static_stack_figures(rows[7863])["engine_into_body"] is None
    # Leaf: firewall 304-310 mm against 374 mm of length shortening: beyond half of it
    assert val.static_stack_figures(rows[8213])["firewall"] is None
    # Fit GK: engine front 262 mm against 170 mm of length shortening: refused
    assert val.static_stack_figures(rows[9033])["engine_into_body"] is None


def _one_row(**change) -> str:
    lines = TEXT.splitlines()
    head = lines[0].split(",")
    row = next(csv.DictReader(io.StringIO("\n".join(lines[:2]))))
    row.update(change)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=head, lineterminator="\n")
    w.writeheader()
    w.writerow(row)
    return buf.getvalue()


@pytest.mark.parametrize("change, words", [
    ({"status": "A"}, "line 2 status: 'A'; allowed: V or R"),
    ({"source": " "}, "line 2 source: empty"),
    ({"crhdst_mm": ""}, "line 2 crhdst_mm: ''; allowed: 1 to 2000"),
    ({"length_shortening_mm": "3000"}, "line 2 length_shortening_mm: '3000'; allowed: 1 to 2000"),
    ({"engine_front_mm": "abc"}, "line 2 engine_front_mm: 'abc'; allowed: a number or blank"),
])
def test_bad_row_refused_in_one_line(change, words):
    with pytest.raises(InputError) as e:
        val.load_static_deformation(_one_row(**change))
    msg = str(e.value)
    assert "\n" not in msg and "nhtsa_static_deformation.csv" in msg and words in msg
