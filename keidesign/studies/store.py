"""Append-only SQLite store of finished cases, keyed by a hash of each case's inputs.

One file per results folder (``cases.sqlite``). Each finished case is one row,
committed when it arrives, so a sweep killed at any moment keeps every case recorded
before the kill; ``--resume`` skips the hashes already present. The store remembers the
study's fingerprint (:attr:`keidesign.studies.spec.Study.fingerprint`) and refuses to mix
the cases of two different studies.

The journal is SQLite's write-ahead log with ``synchronous=NORMAL``: a commit survives
the death of the process (the case of Ctrl-C and ``kill``); only a power loss of the
machine can lose the last commits.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from keidesign.errors import InputError

__all__ = ["CaseStore", "case_hash"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cases (
    hash TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    status TEXT NOT NULL,
    inputs TEXT NOT NULL,
    outputs TEXT NOT NULL,
    message TEXT NOT NULL,
    finished REAL NOT NULL
);
"""


def case_hash(values: Mapping[str, Any]) -> str:
    """Stable hash of one case's input values (names sorted, floats by ``repr``)."""
    text = json.dumps({k: repr(v) for k, v in sorted(values.items())}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


class CaseStore:
    """The cases of one study in ``path``.

    Args:
        path: the SQLite file.
        fingerprint: the study's fingerprint.
        resume: continue a store that already holds cases; without it an existing,
            non-empty store is an error (so finished work is never overwritten).
        info: text stored with a new store (study name, path) for people reading it.
    """

    def __init__(self, path: str | Path, fingerprint: str, *, resume: bool = False,
                 info: Mapping[str, str] | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        old = self.meta().get("fingerprint")
        n = self.count()
        if n and not resume:
            self.db.close()
            raise InputError(f"{self.path}: already holds {n} finished case(s); pass --resume "
                             "to continue that study, or choose another --out folder")
        if old is not None and old != fingerprint and n:
            self.db.close()
            raise InputError(f"{self.path}: its cases come from a different study or settings "
                             f"(fingerprint {old}, this study {fingerprint}); use another "
                             "--out folder")
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)",
                            (fingerprint,))
            for k, v in (info or {}).items():
                self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (k, str(v)))

    def meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM meta"))

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0])

    def hashes(self) -> set[str]:
        return {h for (h,) in self.db.execute("SELECT hash FROM cases")}

    def add(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Record finished cases (one transaction); returns how many were new."""
        now = time.time()
        data = [(r["hash"], int(r["seq"]), r["status"], json.dumps(r["inputs"]),
                 json.dumps(r["outputs"]), r.get("message", ""), now) for r in rows]
        with self.db:
            before = self.db.total_changes
            self.db.executemany("INSERT OR IGNORE INTO cases VALUES (?, ?, ?, ?, ?, ?, ?)",
                                data)
            return self.db.total_changes - before

    def rows(self) -> list[dict[str, Any]]:
        """Every recorded case in case order."""
        cur = self.db.execute("SELECT hash, seq, status, inputs, outputs, message FROM cases "
                              "ORDER BY seq")
        return [{"hash": h, "seq": s, "status": st, "inputs": json.loads(i),
                 "outputs": json.loads(o), "message": m} for h, s, st, i, o, m in cur]

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
