"""Append-only SQLite store of finished cases, keyed by a hash of each case's inputs.

One file per results folder (``cases.sqlite``). Each finished case is one row,
committed when it arrives, so a sweep killed at any moment keeps every case recorded
before the kill; ``--resume`` skips the hashes already present. The store remembers the
study's fingerprint (:attr:`keidesign.studies.spec.Study.fingerprint`) and refuses to mix
the cases of two different studies.

A file that is not a case store (not SQLite, truncated or otherwise corrupt, another
program's database) is never used: every SQLite failure becomes one
:class:`~keidesign.errors.InputError` naming the file ("not a keidesign case store ...
move it away or choose another --out folder"); a store that is continued (``--resume``)
passes SQLite's ``quick_check`` before any new case runs.

An SQLite file runs SQL of its own when it is queried: a view named ``cases`` (a
recursive query without end) or a trigger on ``meta`` (inserting rows without end) made
``sweep`` hang and fill the disk (1.1 GB of journal in 30 s) before s28d. So before any
other statement the file's schema must be exactly the one this module creates
(:func:`schema_problem`: the two tables with their text, their primary-key indexes; no
view, trigger or other index), read with ``trusted_schema`` off; a recorded field is
at most :data:`MAX_FIELD` characters, measured by SQLite before a row is loaded, and
no string or blob larger than :data:`MAX_VALUE_BYTES` is loaded at all.

The journal is SQLite's write-ahead log with ``synchronous=NORMAL``: a commit survives
the death of the process (the case of Ctrl-C and ``kill``); only a power loss of the
machine can lose the last commits.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from keidesign.errors import InputError, show, show_path

__all__ = ["MAX_FIELD", "MAX_VALUE_BYTES", "CaseStore", "case_hash", "recorded_count",
           "schema_problem"]

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


#: What the schema of a case store holds (``sqlite_master``): (type, name, SQL with its
#: whitespace collapsed); the primary keys' indexes have no SQL.
_OBJECTS = frozenset(
    [(kind, name, None) for kind, name in (("index", "sqlite_autoindex_meta_1"),
                                           ("index", "sqlite_autoindex_cases_1"))]
    + [("table", stmt.split()[5], " ".join(stmt.replace("IF NOT EXISTS ", "").split()))
       for stmt in _SCHEMA.split(";") if stmt.strip()])

#: Longest ``inputs``, ``outputs`` or ``message`` of a recorded case, characters (a case
#: records a few dozen numbers by name, ~60 characters each; an error message a few
#: hundred characters): a field longer than that was not written by keidesign.
MAX_FIELD = 1 << 16

#: Largest string, blob or row SQLite may load from a case store, bytes
#: (``SQLITE_LIMIT_LENGTH``; a row's three long fields of :data:`MAX_FIELD` characters,
#: at most 4 bytes each, fit): SQLite's ``length()`` of a text reads the whole text, so a
#: field of 300,000,000 characters was loaded to be measured (0.85 GB, s31e); a larger
#: value is now SQLite's "string or blob too big" before it is read.
MAX_VALUE_BYTES = 1 << 20


def schema_problem(db: sqlite3.Connection) -> str | None:
    """What makes the SQLite database ``db`` something other than a case store, or None
    (an empty database, or exactly the schema this module creates). Reads only
    ``sqlite_master``, with ``trusted_schema`` off, so no SQL of the file runs: a view,
    trigger or index the file adds, or a table of another text, is a problem (a view
    ``cases`` that never ends hung ``sweep`` before s28d)."""
    db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)  # nothing larger loaded
    db.execute("PRAGMA trusted_schema = OFF")
    found = set()
    for kind, name, sql in db.execute("SELECT type, name, sql FROM sqlite_master"):
        found.add((kind, name, " ".join(sql.split()) if isinstance(sql, str) else sql))
        if len(found) > len(_OBJECTS):
            break
    if not found or found == _OBJECTS:
        return None
    names = {(k, n) for k, n, _ in _OBJECTS}
    extra = sorted(f"{k} {show(n)}" for k, n, _ in found
                   if (k, n) not in names and k != "table")
    if extra:
        return (f"it holds {', '.join(extra[:3])}, which a case store has not (SQL of the "
                "file would run on reading it)")
    tables = sorted(str(n) for k, n, _ in found if k == "table")
    if tables != ["cases", "meta"]:
        return (f"tables {', '.join(show_path(t) for t in tables[:5])} are not those of a "
                "case store")
    return "its tables are not those of a case store (other columns or constraints)"


def recorded_count(path: str | Path, known: Collection[str] | None = None) -> int | None:
    """How many of the hashes ``known`` (None: any) the store at ``path`` records, read without
    changing anything (the file opened read-only, its schema checked first by
    :func:`schema_problem`, hashes streamed, none held); None when that cannot be told
    (no file, not a case store, any SQLite error). A look ahead only: a run decides with
    it whether a runner is worth starting (``sweep --resume`` of a finished sweep started
    a Dask LocalCluster before it found nothing to run, before s34c); the run's own
    :class:`CaseStore` checks every row before anything is used."""
    path = Path(path)
    if not path.is_file() or path.is_symlink():
        return None
    try:
        db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        if schema_problem(db) is not None:
            return None
        cur = db.execute("SELECT hash FROM cases WHERE length(hash) <= 64")
        n = 0
        while batch := cur.fetchmany(256):
            n += len(batch) if known is None else sum(1 for (h,) in batch if h in known)
        return n
    except sqlite3.Error:
        return None
    finally:
        db.close()


def _json_int(text: str) -> int:
    """A JSON integer of a recorded case, within a float's range: every number a case
    records is read as a float somewhere (a bound, a plot, ``math.isfinite``), and an
    integer of 400 digits (JSON integers are unbounded; CPython reads up to 4,300) was an
    OverflowError traceback from ``pareto --resume`` (audit s32g). A ValueError (the row
    is "not valid JSON") otherwise."""
    value = int(text)
    try:
        float(value)
    except OverflowError:
        raise ValueError(f"an integer of {len(text.lstrip('-')):,} digits, beyond a "
                         "float's range") from None
    return value


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
        existed = self.path.exists()
        try:
            self.db = sqlite3.connect(self.path)
            self.db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        try:
            self._open(fingerprint, resume=resume, info=info, existed=existed)
        except BaseException:
            self.db.close()
            raise

    def _error(self, exc: BaseException) -> InputError:
        """The one-line error for an SQLite failure on this store."""
        text = " ".join(str(exc).split())
        if isinstance(exc, sqlite3.OperationalError):  # locked, read-only, disk full, ...
            return InputError(f"{self.path}: cannot use the case store (SQLite: {text}); "
                              "check the folder, or choose another --out folder")
        return InputError(f"{self.path}: not a keidesign case store (SQLite: {text}); move it "
                          "away or choose another --out folder")

    def _open(self, fingerprint: str, *, resume: bool, info: Mapping[str, str] | None,
              existed: bool) -> None:
        try:
            if existed:
                self._check_schema()
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
            old = self.fingerprint()
            n = self.count()
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        if n and not resume:
            raise InputError(f"{self.path}: already holds {n} finished case(s); pass --resume "
                             "to continue that study, or choose another --out folder")
        if old is not None and old != fingerprint and n:
            raise InputError(f"{self.path}: its cases come from a different study or settings: "
                             f"{self._what_differs(info)} (fingerprint {old}, this study "
                             f"{fingerprint}); use another --out folder")
        try:
            if n:  # continuing: every recorded page must be readable before any new run
                bad = [r[0] for r in self.db.execute("PRAGMA quick_check")]
                if bad != ["ok"]:
                    raise sqlite3.DatabaseError("; ".join(str(b) for b in bad[:3]))
            with self.db:
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)",
                                (fingerprint,))
                for k, v in (info or {}).items():
                    self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (k, str(v)))
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _what_differs(self, info: Mapping[str, str] | None) -> str:
        """Which parts of the fingerprint (``fingerprint:<part>`` entries of ``meta``,
        :attr:`keidesign.studies.spec.Study.fingerprint_parts`) differ from ``info``'s;
        every candidate when the store or ``info`` has none of them (a store written
        before they were kept, 6 Dec 2026)."""
        names = {"study": "the study file (with its --set values)", "design": "the base design",
                 "packs": "the rule packs", "keidesign": "the keidesign version"}
        keys = [f"fingerprint:{k}" for k in names]
        rows = self._q("SELECT key, CASE WHEN typeof(value) = 'text' AND length(value) <= 64 "
                       "THEN value END FROM meta WHERE key IN (?, ?, ?, ?)", *keys)
        old = dict(rows)
        new = dict(info or {})
        if not all(old.get(k) and new.get(k) for k in keys):
            return ("one of the study file or its --set values, the base design, a rule "
                    "pack's file or version, or the keidesign version differs")
        diff = [names[k.split(":", 1)[1]] for k in keys if old[k] != new[k]]
        if not diff:  # the parts agree, the whole does not: no part to name
            return "the fingerprint differs"
        what = diff[0] if len(diff) == 1 else ", ".join(diff[:-1]) + " and " + diff[-1]
        return f"{what} differ" + ("s" if len(diff) == 1 and not what.endswith("packs") else "")

    def _check_schema(self) -> None:
        """An existing file must be an SQLite database that is empty or has exactly the
        schema of a case store (never another program's database; no view or trigger
        whose SQL would run): :func:`schema_problem`."""
        problem = schema_problem(self.db)
        if problem is not None:
            raise sqlite3.DatabaseError(problem)

    def _q(self, sql: str, *params: Any) -> list[tuple]:
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def meta(self) -> dict[str, str]:
        """The store's ``meta`` table (fingerprint, study name, ...)."""
        return dict(self._q("SELECT key, value FROM meta"))

    def set_meta(self, key: str, value: str) -> None:
        """Set one entry of the store's ``meta`` table (committed at once)."""
        try:
            with self.db:
                self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, str(value)))
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def fingerprint(self) -> str | None:
        """The fingerprint of the study the store's cases come from (None in a new store):
        a text of at most 64 characters, measured by SQLite before it is loaded (a
        foreign store's ``meta`` may hold anything: it is not read whole)."""
        rows = self._q("SELECT CASE WHEN typeof(value) = 'text' AND length(value) <= 64 "
                       "THEN value END FROM meta WHERE key = 'fingerprint' LIMIT 1")
        if rows and rows[0][0] is None:
            raise InputError(f"{self.path}: not a keidesign case store: its fingerprint is "
                             "not a text of at most 64 characters; allowed: the store a "
                             "keidesign run wrote; move it away or choose another --out "
                             "folder")
        return rows[0][0] if rows else None

    def count(self) -> int:
        """Number of recorded cases."""
        return int(self._q("SELECT COUNT(*) FROM cases")[0][0])

    def add(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Record finished cases (one transaction); returns how many were new."""
        now = time.time()
        data = [(r["hash"], int(r["seq"]), r["status"], json.dumps(r["inputs"]),
                 json.dumps(r["outputs"]), r.get("message", ""), now) for r in rows]
        try:
            with self.db:
                before = self.db.total_changes
                self.db.executemany("INSERT OR IGNORE INTO cases VALUES (?, ?, ?, ?, ?, ?, ?)",
                                    data)
                return self.db.total_changes - before
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def rows(self, known: Collection[str] | None = None,
             check: Callable[[dict[str, Any]], str | None] | None = None
             ) -> list[dict[str, Any]]:
        """Every recorded case in case order, each checked before anyone reads it.

        A store is a file in a results folder, which may have been edited or come from
        someone else (``--resume``): every row must have the shape this module writes
        (``hash`` and ``status`` strings, ``seq`` an integer, ``inputs`` and ``outputs``
        JSON objects, ``message`` a string), its hash must be one of ``known`` (the
        hashes of the study's own cases, when given), and ``check(row)`` (the caller's
        test of the outputs it will read) must return None. Anything else is one
        :class:`~keidesign.errors.InputError` naming the store, the case and the field
        (before, a hand-edited ``outputs`` gave a traceback in the sweep's tables). No
        field longer than :data:`MAX_FIELD` (``hash`` and ``status`` 64): measured by
        SQLite before a row is loaded; rows are read one by one, so no more rows than
        ``known`` are ever held (hashes are unique).
        """
        def refuse(seq: Any, problem: str) -> InputError:
            return InputError(f"{self.path}: not a keidesign case store: case seq = "
                              f"{show(seq)}: {problem}; allowed: the cases a keidesign run "
                              "of this study recorded (was the file edited?); move it "
                              "away, or run again with --overwrite or another --out folder")

        # sizes measured by SQLite before a row is loaded (a hand-made 1 GB field, s28d;
        # nothing larger than MAX_VALUE_BYTES is loaded at all, s31e)
        for seq, *sizes in self._q(
                "SELECT seq, length(hash), length(status), length(inputs), length(outputs), "
                "length(message) FROM cases WHERE length(hash) > 64 OR length(status) > 64 "
                "OR length(inputs) > ?1 OR length(outputs) > ?1 OR length(message) > ?1 "
                "LIMIT 1", MAX_FIELD):
            key, size = next((k, z) for k, z in zip(
                ("hash", "status", "inputs", "outputs", "message"), sizes, strict=True)
                if z is not None and z > (64 if k in ("hash", "status") else MAX_FIELD))
            raise refuse(seq, f"{key} is {size:,} characters long, more than the "
                         f"{64 if key in ('hash', 'status') else MAX_FIELD:,} a case records")
        def fetched() -> Iterator[tuple]:
            try:
                cur = self.db.execute("SELECT hash, seq, status, inputs, outputs, message "
                                      "FROM cases ORDER BY seq")
                while batch := cur.fetchmany(256):
                    yield from batch
            except sqlite3.Error as exc:
                raise self._error(exc) from None

        out = []
        for h, s, st, i, o, m in fetched():
            row = {"hash": h, "seq": s, "status": st, "inputs": i, "outputs": o, "message": m}
            problem = None
            for key, text in (("inputs", i), ("outputs", o)):
                try:
                    row[key] = json.loads(text, parse_int=_json_int)
                except (TypeError, ValueError, RecursionError) as exc:
                    problem = f"{key} is not valid JSON ({' '.join(str(exc).split())})"
                    break
                if not isinstance(row[key], dict):
                    problem = f"{key} = {show(row[key])}: not a JSON object"
                    break
            if problem is None:
                problem = next((f"{k} = {show(row[k])}: not {what}" for k, what, ok in (
                    ("hash", "a string", isinstance(h, str)),
                    ("seq", "an integer", isinstance(s, int) and not isinstance(s, bool)),
                    ("status", "a string", isinstance(st, str)),
                    ("message", "a string", isinstance(m, str))) if not ok), None)
            if problem is None and known is not None and h not in known:
                problem = f"hash {show(h)} is not one of this study's cases"
            if problem is None and check is not None:
                problem = check(row)
            if problem is not None:
                raise refuse(s, problem)
            out.append(row)
        return out

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
