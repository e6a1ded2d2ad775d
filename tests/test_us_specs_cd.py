"""Every published Cd of ``us_specs.csv`` is sourced and in range (task s32d, issue 13).

The import takes a row's ``cd`` as the design's ``road:cd`` and the road-load fit of
:mod:`keidesign.validation.roadload` takes the rows with one as its published-Cd set, so a
Cd must come from a named source: a ``source`` group whose label lists ``Cd`` (the row's
spec record, ``L/W/H/WB, ..., Cd, ...: <record>``, or a group of its own, ``Cd: <source>``).
A Cd with a group of its own was added after the first build and says how it was read
(``Cd status V`` read in the maker's page, ``R`` second-hand or the record of the same body
in another market; us_specs_README.md, "Cd added ...").
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

CSV = Path(__file__).resolve().parent.parent / "keidesign" / "data" / "vehicles" / "us_specs.csv"


def _rows() -> list[tuple[int, dict[str, str]]]:
    with CSV.open(encoding="utf-8", newline="") as fh:
        return list(enumerate(csv.DictReader(fh), start=2))


def _labels(source: str) -> list[list[str]]:
    """The label of each ``label: source`` group of a ``source`` cell, split at commas."""
    return [[t.strip() for t in g.split(": ", 1)[0].split(",")]
            for g in source.split(" ; ") if ": " in g]


def test_every_published_cd_is_in_range_and_names_its_source():
    rows = [(line, r) for line, r in _rows() if r["cd"].strip()]
    assert len(rows) >= 117
    for line, r in rows:
        cd = float(r["cd"])
        assert 0.2 < cd < 0.6, (line, r["model"], cd)
        assert any("Cd" in label for label in _labels(r["source"])), (line, r["model"])
        if any(label == ["Cd"] for label in _labels(r["source"])):
            assert re.search(r"Cd status [VR]\b", r["notes"]), (line, r["model"])


@pytest.mark.parametrize("make, model, generation, cd, needles, task", [
    ("TOYOTA", "COROLLA", "E210 sedan (US)", 0.28, ("record id=23149 ",), "s32d"),
    ("SCION", "iQ", "AJ10", 0.30, ("record id=23497 ",), "s32d"),
    ("HYUNDAI", "Venue", "QX", 0.34,
     ("OrhanOzyalcin/automobile-brand-model-and-engine-database@805900a8",
      "other_id=31584 ", "hyundai-venue-2019.html"), "s35b"),
])
def test_cds_added_later_are_read_from_the_same_body(make, model, generation, cd, needles,
                                                      task):
    """The Cd added after the first build, each the autoevolution record of the same body
    sold in another market, status R: task s32d's two (the E210 sedan as the Corolla EU
    2019, the iQ as the Toyota iQ) and task s35b's (the Venue QX page as re-scraped in
    2024, the record of the Indian-market diesel), each group naming its record."""
    row = next(r for _, r in _rows()
               if (r["make"], r["model"], r["generation"]) == (make, model, generation))
    assert float(row["cd"]) == pytest.approx(cd)
    group = next(g for g in row["source"].split(" ; ") if g.startswith("Cd: "))
    assert all(n in group for n in needles), group
    assert f"Cd status R (added 6 Dec 2026, task {task}" in row["notes"]


def test_every_row_without_a_cd_records_the_latest_search():
    """Each ``us_specs.csv`` row without a Cd is a row of the README's table of the latest
    search (task s37a, issue 13: the Cd searched a fifth time; s35b's fourth and s33d's
    third search before it), named ``make model generation`` as in the file, so a
    generation that loses or arrives without a Cd cannot go undocumented; and the table
    names no generation that has one (a Cd found later must leave the table)."""
    readme = CSV.with_name("us_specs_README.md").read_text(encoding="utf-8")
    head = "## Cd searched a fifth time (7 Dec 2026, task s37a, issue 13)"
    section = readme.split(head, 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `([^`]+)` \|", section, flags=re.M))
    rows = [r for _, r in _rows()]
    missing = {f"{r['make']} {r['model']} {r['generation']}" for r in rows if not r["cd"].strip()}
    with_cd = {f"{r['make']} {r['model']} {r['generation']}" for r in rows if r["cd"].strip()}
    assert len(missing) >= 10
    assert missing <= listed, sorted(missing - listed)
    assert not (listed & with_cd), sorted(listed & with_cd)
