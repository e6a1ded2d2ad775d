"""fullwidth_intrusion.csv (issue 14, task s38j): the measured static rearward travel of
the firewall (dash panel) of small cars in NHTSA's 56 km/h full-width rigid-barrier tests
(NHTSA's pretest minus posttest BX14 / BX15 as a third party tabulated them). Every row
sourced with the source's words (status R), the transcription spot-checked against the
earlier pass's nhtsa_static_deformation.csv where both hold a test, the implausible sides
sorted out by ``firewall_travel`` (not edited in the file), and a bad row refused in one
line naming row, field, value and what is allowed."""

from __future__ import annotations

import csv
import io
from importlib.resources import files

import pytest

from keidesign.crash import validation as val
from keidesign.errors import InputError

TEXT = (files("keidesign") / "data" / "crash" / "fullwidth_intrusion.csv").read_text()


def _rows() -> dict[int, dict]:
    return {int(r["nhtsa_test_no"]): r for r in val.load_fullwidth_intrusion()}


def test_file_reads_sourced_quoted_and_small():
    rows = _rows()
    assert len(rows) == 36
    assert all(r["status"] == "R" and "b20c43b731ac9bbba44968d6ad4d11f7b55dc48d" in r["source"]
               and f"test_no {t}:" in r["quote"] for t, r in rows.items())
    # the brief's goal: at least five small cars (curb < 1,500 kg) with a measured travel
    small = [r for r in rows.values()
             if r["curb_mass_kg"] is not None and r["firewall_mm"] is not None]
    assert len(small) >= 5
    assert all(48 <= r["speed_kmh"] <= 57 for r in rows.values())
    # spot checks against the source's delta_1 / delta_14 / delta_15 / CRHDST
    forte = rows[7201]
    assert (forte["firewall_right_mm"], forte["firewall_left_mm"],
            forte["length_shortening_mm"], forte["crhdst_mm"]) == (84, 54, 494, 494)
    assert (rows[7626]["firewall_right_mm"], rows[7626]["firewall_left_mm"]) == (151, 93)


def test_same_tests_as_the_static_deformation_file():
    static = {int(r["nhtsa_test_no"]): r for r in val.load_static_deformation()}
    both = set(static) & set(_rows())
    assert len(both) >= 10
    for t in both:
        a, b = static[t], _rows()[t]
        assert [a[k] for k in ("firewall_right_mm", "firewall_left_mm", "length_shortening_mm",
                               "crhdst_mm")] == [b[k] for k in ("firewall_right_mm",
                                                                 "firewall_left_mm",
                                                                 "length_shortening_mm",
                                                                 "crhdst_mm")], t


def test_firewall_travel_keeps_the_plausible_sides():
    rows = _rows()
    assert rows[7201]["firewall_mm"] == pytest.approx(69.0) and rows[7201]["firewall_sides"] == 2
    # the iQ's left side (-30 mm) and the Versa's right (1,308 mm) are out of the band
    assert rows[7729]["firewall_mm"] == 70.0 and rows[7729]["firewall_sides"] == 1
    assert rows[7609]["firewall_mm"] == 20.0 and rows[7609]["firewall_sides"] == 1
    assert rows[8153]["firewall_mm"] is None and rows[8153]["firewall_sides"] == 0
    assert val.firewall_travel(-20.0, 200.0, 400.0) == (90.0, 2)
    assert val.firewall_travel(-20.1, 200.1, 400.0) == (None, 0)
    assert val.firewall_travel(None, 10.0, 400.0) == (10.0, 1)


def _with(**change) -> str:
    rows = list(csv.DictReader(io.StringIO(TEXT)))
    rows[0].update(change)
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("change, words", [
    ({"curb_mass_kg": "1600"}, "line 2 curb_mass_kg: '1600'; allowed: blank or 500 to 1500"),
    ({"speed_kmh": "64"}, "line 2 speed_kmh: '64'; allowed: 48 to 57"),
    ({"quote": " "}, "line 2 quote: empty"),
    ({"status": "A"}, "line 2 status: 'A'; allowed: V or R"),
    ({"firewall_left_mm": "54 mm"}, "line 2 firewall_left_mm: '54 mm'; allowed: a number"),
])
def test_bad_rows_are_refused_in_one_line(change, words):
    with pytest.raises(InputError) as e:
        val.load_fullwidth_intrusion(_with(**change))
    assert words in str(e.value) and "\n" not in str(e.value)
