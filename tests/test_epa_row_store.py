"""The compact EPA row store (task s44j, docs/security.md round 12)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from keidesign.energy import epafiles
from keidesign.energy import testcars as tc
from keidesign.energy.epa_rows import RowStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.epa_row_store import DATA, generated, measure, rows_hash  # noqa: E402

#: SHA-256 of the shipped files' parsed rows under the old store (dicts, commit 9be72ca7)
BEFORE = {
    "testcars": "78c15db95c6cc16070ae072b7814509a457ffdb081403ea3805302bc0c18f3d1",
    "labels": "dcafc18b0e6265e1e7f8273b1616efddce72c5787292be51f98f39269b28d440",
}


def test_the_shipped_rows_are_the_same_as_before():
    assert rows_hash(epafiles.read_testcars(DATA / tc.TESTCAR_FILE).rows) == BEFORE["testcars"]
    assert rows_hash(epafiles.read_labels(DATA / epafiles.LABEL_FILE).rows) == BEFORE["labels"]


def test_a_row_reads_as_a_dict_and_cannot_be_changed():
    store = RowStore(("make", "year"))
    a, b = store.row(["Honda", "2020"]), store.row(["Hon" + "da", "2021"])
    assert a == {"make": "Honda", "year": "2020"} and dict(b) == {"make": "Honda", "year": "2021"}
    assert a.get("model") is None and "make" in a and list(a) == ["make", "year"]
    assert a["make"] is b["make"]   # interned per column
    with pytest.raises(TypeError):
        a["make"] = "Suzuki"  # type: ignore[index]
    with pytest.raises(ValueError):
        store.row(["Honda"])


def test_reading_a_5_mib_file_stays_small(tmp_path):
    """tracemalloc peak of a generated 5 MiB test-car file: 14.1 MB measured with the row
    store, 52.4 MB with the old dicts; the bound is 3x the measured value."""
    _, peak, _, n = measure(epafiles.read_testcars, generated(tmp_path, 5.0))
    assert n > 20_000
    assert peak < 42.0, f"{peak:.1f} MB"
