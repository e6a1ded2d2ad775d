"""A compact, read-only store of the rows of a user's EPA file (task s44j).

A row is a :class:`Row`: a read-only ``Mapping[str, str]`` of its cells kept as one tuple
behind a column index shared by every row of the file, so the loaders read ``row["col"]``,
``row.get("col")``, ``"col" in row`` and ``dict(row)`` as they read ``csv.DictReader``
dicts. Each column's strings are interned per file (:class:`RowStore`), so a value repeated
down a column (a make, a year, a test procedure) is held once.

Memory (CPython 3.11, 64-bit): a dict of 30 string keys is ~1.2 kB plus its values; a
:class:`Row` is 48 bytes plus a 30-item tuple (264 bytes) and the values not already held.
The rows of a generated 5 MiB test-car file (the shipped rows repeated): measured in
docs/security.md round 12 (``benchmarks/epa_row_store.py``). Assumptions: the rows are not
changed after they are read (a ``Row`` refuses item assignment with ``TypeError``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

__all__ = ["Row", "RowStore"]


class Row(Mapping[str, str]):
    """One row: its cells (``values``) in the order of the shared ``index`` (column ->
    position); equal to a dict of the same items."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: Mapping[str, int], values: tuple[str, ...]) -> None:
        self._index = index
        self._values = values

    def __getitem__(self, key: str) -> str:
        return self._values[self._index[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __repr__(self) -> str:
        return f"Row({dict(self)!r})"


class RowStore:
    """Makes the :class:`Row` s of one file: one column index for all of them and one
    table of interned strings per column."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = tuple(columns)
        self.index: dict[str, int] = {c: i for i, c in enumerate(self.columns)}
        self._seen: list[dict[str, str]] = [{} for _ in self.columns]

    def row(self, values: Sequence[str]) -> Row:
        """A row of ``values``, one per column in :attr:`columns`, each string held once
        per column."""
        if len(values) != len(self.columns):
            raise ValueError(f"{len(values)} values for {len(self.columns)} columns")
        return Row(self.index, tuple(seen.setdefault(v, v)
                                     for seen, v in zip(self._seen, values, strict=True)))
