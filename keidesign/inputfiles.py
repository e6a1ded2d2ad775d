"""Reading files other people wrote: regular files only, bounded size, TOML parsed safely.

Design files, rule packs and study files travel between engineers, suppliers and
agencies. Opening one must not hang or exhaust memory, so every such file is read here:

* only a regular file is read: a folder, FIFO, socket or device (``/dev/zero``,
  ``/dev/urandom``) is refused before a byte is read (the file is opened non-blocking,
  so a FIFO without a writer cannot stall the open, and checked with ``fstat`` on the
  open descriptor, so the check and the read see the same file);
* at most :data:`MAX_BYTES` are read (a file that grows while it is read is cut there and
  refused);
* the text must be UTF-8;
* TOML is parsed by the standard library's ``tomllib`` (data only: no code, no
  references, no includes); nesting so deep that the parser runs out of stack
  (``RecursionError``) and integers longer than CPython's 4,300-digit limit are refused
  like any other TOML error, and so is a key of more than :data:`KEY_PARTS_MAX` dotted
  parts, before ``tomllib`` sees the text (its time grows with the square of a key's
  parts, and its memory too for a dotted key of a key/value line: CPython gh-149231).

Every problem raises one :class:`~keidesign.errors.InputError` naming the file.

The checks of the values read are written by hand in each reader (design files, rule
packs, study files, spec files; docs/CONTRIBUTING.md says why no schema library), with
two small helpers shared here: :func:`toml_float` (a TOML number as a float, never an
``OverflowError``) and :func:`did_you_mean` (the nearest valid name for a message).
"""

from __future__ import annotations

import csv
import difflib
import math
import os
import re
import stat
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from keidesign.errors import InputError, show, show_path

__all__ = ["CSV_MAX_COLUMNS", "CSV_MAX_RECORD", "CSV_MAX_ROWS", "KEY_PARTS_MAX", "MAX_BYTES",
           "RESULT_MAX_BYTES", "TOML_DEPTH_MAX", "RecordText", "RecordTooLong", "check_depth",
           "check_key_parts",
           "did_you_mean", "in_folder", "load_csv_table", "load_json_object", "load_toml",
           "parse_toml", "read_text", "toml_float"]

#: Largest design, rule-pack or study file read, bytes (the largest shipped file is
#: ~10 kB; 1 MiB leaves room for long comments and notes).
MAX_BYTES = 1 << 20


#: Most entries of a folder looked at for :func:`_folder_hint` (a folder given as a file
#: may hold millions).
FOLDER_LOOK = 10_000


def _folder_hint(folder: Path) -> str:
    """``" (of N .toml files: name them, e.g. DIR/*.toml)"`` for a folder given where a
    file belongs (``keidesign evaluate studies/designs`` said only "is a folder"; new-user
    pass s37d), counting the first :data:`FOLDER_LOOK` entries; ``""`` if none is TOML or
    the folder cannot be listed."""
    try:
        with os.scandir(folder) as it:
            names = [e.name for e, _ in zip(it, range(FOLDER_LOOK), strict=False)]
    except OSError:
        return ""
    n = sum(1 for name in names if name.endswith(".toml"))
    if not n:
        return ""
    more = " or more" if len(names) == FOLDER_LOOK else ""
    return (f" (of {n:,}{more} .toml file{'' if n == 1 and not more else 's'}: name them, "
            f"e.g. {show_path(folder / '*.toml')})")


def read_text(path: str | Path, kind: str, max_bytes: int = MAX_BYTES) -> str:
    """UTF-8 text of the regular file ``path`` (a ``kind`` such as "design file").

    Raises:
        InputError: not found, not a regular file, larger than ``max_bytes``,
            unreadable, or not UTF-8.
    """
    p = Path(path)
    name = show_path(p)
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{name}: {kind} not found") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read {kind} ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            what = ("a folder" if stat.S_ISDIR(st.st_mode) else
                    "a FIFO" if stat.S_ISFIFO(st.st_mode) else
                    "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                    "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
            if stat.S_ISDIR(st.st_mode) and p.suffix.lower() in ("", ".toml"):
                what += _folder_hint(p)    # not for results.json, trade_factors.md
            raise InputError(f"{name}: {kind} is {what}; allowed: a regular file of at most "
                             f"{max_bytes:,} bytes")
        if st.st_size > max_bytes:
            raise InputError(f"{name}: {kind} is {st.st_size:,} bytes; allowed: at most "
                             f"{max_bytes:,} bytes")
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                chunk = os.read(fd, min(1 << 16, max_bytes + 1 - size))
            except OSError as exc:
                raise InputError(f"{name}: cannot read {kind} ({exc.strerror or exc})") from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise InputError(f"{name}: {kind} is larger than {max_bytes:,} bytes; "
                                 f"allowed: at most {max_bytes:,} bytes")
    finally:
        os.close(fd)
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: {kind} is not UTF-8 text (byte {exc.start:,}: "
                         f"{exc.object[exc.start:exc.start + 4]!r}); allowed: UTF-8 text "
                         "(save the file as UTF-8)") from None


def in_folder(path: str | Path, kind: str, folder: str | Path | None = None) -> Path:
    """``path`` (a file of the results folder ``folder``, default its parent) if it
    resolves inside that folder, else an :class:`InputError` naming the link and where it
    leads. A results folder comes from others, and what ``keidesign report`` reads from
    it goes into a page meant to be passed on: a ``trade_factors.md`` linked to a file of
    the reviewer's was copied whole into ``report.html`` (audit s32g). The folder itself
    may be a link (the user named it); links between its own files are kept."""
    p = Path(path)
    top = os.path.realpath(p.parent if folder is None else folder)
    real = os.path.realpath(p)
    if os.path.commonpath([real, top]) != top:
        raise InputError(f"{show_path(p)}: link target = {show_path(real)}: outside the "
                         f"results folder {show_path(top)}; allowed: the {kind} as a file "
                         "in the results folder (a folder from others must not make "
                         "keidesign read a file of yours into its report)")
    return p


#: Most parts of one dotted TOML key, a table header's or a key/value line's
#: (``crash.front.rail_width`` has 3; no shipped file has more than 4). ``tomllib``
#: (Python 3.11 to 3.13 before CPython gh-149231) re-walks a key's path for every part:
#: time grows with the square of the parts, and a key/value line's dotted key holds every
#: prefix of itself at once, so memory does too (one key of 10,000 parts, a 20 kB file,
#: took 4.6 s and 400 MB; a design file holding one of 100,000 parts, 200 kB, was killed
#: at 23 GB after 168 s of `keidesign check`, s30c). With keys this short, a deep header
#: over many keys (gh-152930) stays linear: each key walks at most twice this many parts.
KEY_PARTS_MAX = 32

# The tokens of TOML text that matter for counting a key's parts: strings (of the four
# kinds; a quoted key part is one) and comments are skipped whole, a word (a bare key
# part, or the digits of a number) and a dot extend a dotted key, blanks leave it as it
# is, anything else ends it. Each string's alternatives are disjoint, so a string left
# open costs one scan to the end of its line (or text), never a backtrack.
_KEY_TOKENS = re.compile(
    r"(?P<s>'''[\s\S]*?'''(?:''|')?"
    r'|"""(?:\\[\s\S]|[^\\])*?"""(?:""|")?'
    r"|'[^'\n]*'"
    r'|"(?:\\.|[^"\\\n])*")'
    r"|(?P<w>[A-Za-z0-9_-]+)|(?P<d>\.)|(?P<b>[ \t]+)|(?P<c>#[^\n]*)"
    r"""|(?P<o>[^ \t"'#.A-Za-z0-9_-]+|["'])""")


def check_key_parts(text: str, source: str) -> None:
    """An :class:`InputError` naming ``source`` and the line if a key of the TOML ``text``
    (a dotted key, a table header, a key of an inline table) has more than
    :data:`KEY_PARTS_MAX` parts; one pass over the text, before ``tomllib`` reads it (whose
    time, and for a key/value line memory, grows with the square of a key's parts). A
    number such as ``1.5`` counts as two parts, so no valid file is refused but one with
    such a key."""
    if text.count(".") < KEY_PARTS_MAX:  # a key of more parts holds at least this many dots
        return
    parts, dot = 0, False
    for m in _KEY_TOKENS.finditer(text):
        kind = m.lastgroup
        if kind in ("s", "w"):
            parts = parts + 1 if dot else 1
            dot = False
            if parts > KEY_PARTS_MAX:
                line = text.count("\n", 0, m.start()) + 1
                raise InputError(f"{show_path(source)}: line {line:,}: a key of more than "
                                 f"{KEY_PARTS_MAX} dotted parts; allowed: at most "
                                 f"{KEY_PARTS_MAX} (the examples' keys have at most 4, "
                                 "e.g. crash.front.rail_width)")
        elif kind == "d":
            dot = parts > 0
        elif kind != "b":
            parts, dot = 0, False


#: Most levels of tables and arrays in a TOML document (a shipped file has at most 5:
#: ``params.cafe.passenger_car[1].a``). tomllib reads a few hundred (a 32-part header over
#: a 32-part key over 450 nested arrays), deeper than the recursive walks after it
#: (``copy.deepcopy`` of a study: a RecursionError traceback from `keidesign sweep`, s30c).
TOML_DEPTH_MAX = 64


def check_depth(doc: dict[str, Any], source: str) -> dict[str, Any]:
    """``doc`` if its tables and arrays nest at most :data:`TOML_DEPTH_MAX` levels (walked
    with a stack of its own, not recursion), else an :class:`InputError`."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > TOML_DEPTH_MAX:
            raise InputError(f"{show_path(source)}: tables and arrays nested more than "
                             f"{TOML_DEPTH_MAX} levels deep; allowed: at most "
                             f"{TOML_DEPTH_MAX} (the examples nest at most 5)")
        items = node.values() if isinstance(node, dict) else node
        stack.extend((v, depth + 1) for v in items if isinstance(v, (dict, list)))
    return doc


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """Parse TOML ``text``; ``source`` names it in the one-line error. A leading UTF-8
    byte-order mark (Windows editors' "UTF-8 with BOM") is dropped: tomllib reads it as an
    invalid statement at line 1, column 1. A key of more than :data:`KEY_PARTS_MAX` parts
    is refused before ``tomllib`` reads the text (:func:`check_key_parts`), tables and
    arrays nested more than :data:`TOML_DEPTH_MAX` levels after (:func:`check_depth`)."""
    check_key_parts(text, source)
    text = text.removeprefix("\ufeff")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{show_path(source)}: not valid TOML: {exc}"
                         f"{toml_error_hint(text, str(exc))}") from None
    except ValueError as exc:  # an integer of more than 4300 digits (CPython's limit)
        raise InputError(f"{show_path(source)}: not valid TOML: {str(exc).split(':')[0]}") from None
    except RecursionError:
        raise InputError(f"{show_path(source)}: not valid TOML: arrays or tables nested too deeply "
                         "(allowed: a few levels, as in the examples)") from None
    return check_depth(doc, source)


_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)\Z")
_TOML_TWICE = re.compile(r"Cannot declare \((.*)\) twice")


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'an unnamed character')}"


def toml_error_hint(text: str, message: str) -> str:
    """What ``tomllib``'s ``message`` (``"... (at line L, column C)"``) leaves a user to
    find in ``text``, as ``"; ..."`` (else ``""``), since 7 Dec 2026 (new-user pass s37d):

    * a character that is not ASCII where the error is: a look-alike letter of another
      script, a full-width letter, an invisible or no-break space (a key copied from a
      web page or a word processor), a typographic quote: named by its code point and
      Unicode name (the line looks right: "Expected '=' after a key ... (at line 2,
      column 2)" was all it said);
    * a key given twice in its table ("Cannot overwrite a value") or a table declared
      twice: the key or table and the line of its first appearance.
    """
    m = _TOML_AT.search(message)
    if not m:
        return ""
    line_no, col = int(m[1]), int(m[2])
    lines = text.split("\n")
    if not 1 <= line_no <= len(lines):
        return ""
    line = lines[line_no - 1]
    if 1 <= col <= len(line) and not line[col - 1].isascii():
        ch = line[col - 1]
        if unicodedata.category(ch) in ("Pi", "Pf"):
            what = "a string is written in straight quotes (\" or ')"
        else:
            what = ("a key is ASCII letters, digits, '_' and '-' (or quoted), a space an "
                    "ordinary one: retype it")
        return f"; column {col} holds {_char_name(ch)}, not ASCII: {what}"
    twice = _TOML_TWICE.match(message)
    if twice:   # "('body',)" or "('crash', 'front')"
        name = ".".join(re.findall(r"'((?:[^'\\]|\\.)*)'", twice[1]))
        header = re.compile(r"\s*\[\s*" + r"\s*\.\s*".join(map(re.escape, name.split(".")))
                            + r"\s*\]")
        first = next((i for i, t in enumerate(lines[:line_no - 1], 1) if header.match(t)),
                     None)
        where = f" (first at line {first})" if first else ""
        return (f"; [{name}] is declared a second time at line {line_no}{where}; allowed: "
                "each table once, its keys together")
    if message.startswith("Cannot overwrite a value") and "=" in line:
        key = line.partition("=")[0].strip()
        first = None
        for i in range(line_no - 2, -1, -1):     # back to the table's header
            if lines[i].lstrip().startswith("["):
                break
            if "=" in lines[i] and lines[i].partition("=")[0].strip() == key:
                first = i + 1
        if first is None:    # 'a = 1' then 'a.b = 2': a value made a table
            return (f"; {show(key)} at line {line_no} collides with a value given before "
                    "(a key is a value or a table, not both); allowed: each key once")
        return (f"; {show(key)} at line {line_no} is given a second time in its "
                f"table (first at line {first}); allowed: each key once")
    return ""


#: Largest results-folder file read back (``results.json``, ``evaluation.json``,
#: ``summary.json``, ``cases.csv`` of ``keidesign report`` and the review notebooks),
#: bytes: a results folder may come from someone else; a 10,000-case sweep's
#: ``cases.csv`` is ~5 MB.
RESULT_MAX_BYTES = 64 << 20


def load_json_object(path: str | Path, kind: str,
                     max_bytes: int = RESULT_MAX_BYTES) -> dict[str, Any]:
    """The JSON object (a dict) in the file ``path``, read by :func:`read_text`: a file
    that is not a regular file, too large, not UTF-8, not JSON or not a JSON object is one
    :class:`InputError` naming it (an 8 GB or non-UTF-8 ``results.json`` gave a
    MemoryError or UnicodeDecodeError traceback in ``keidesign report``, s26f)."""
    import json

    text = read_text(path, kind, max_bytes)
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{show_path(path)}: {kind} is not valid JSON "
                         f"({' '.join(str(exc).split())[:200]}); allowed: the file "
                         "keidesign writes") from None
    if not isinstance(doc, dict):
        raise InputError(f"{show_path(path)}: {kind} holds a JSON {type(doc).__name__}, "
                         "not an object; allowed: the file keidesign writes")
    return doc


#: Most columns of a results table read back (a study's ``cases.csv`` or ``pareto.csv``
#: has a few dozen: the variables, the recorded quantities, the margins).
CSV_MAX_COLUMNS = 1_000
#: Most records (rows, blank ones included) of a results table read back: a 64 MiB
#: ``cases.csv`` of keidesign's holds ~130,000 cases.
CSV_MAX_ROWS = 500_000
#: Most characters of one record of a results table (a row of a thousand numbers, or a
#: long error message, is a few tens of kB).
CSV_MAX_RECORD = 1 << 20


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class RecordText:
    """The lines of ``text`` for :func:`csv.reader`, counting the characters of the
    record being read (:attr:`used`, reset by the caller after each record)."""

    def __init__(self, text: str, limit: int) -> None:
        self._lines = self._split(text)  # not io.StringIO: a second copy, 4 bytes a char
        self.limit, self.used = limit, 0

    @staticmethod
    def _split(text: str) -> Iterator[str]:
        """The lines of ``text``, each with its end: ``\r\n``, ``\n`` or a lone ``\r``
        (as ``io.StringIO(text, newline="")`` gives them to :mod:`csv`: a file of
        carriage-return line ends is read, not one line)."""
        for m in _LINE.finditer(text):
            yield m.group()

    def __iter__(self) -> RecordText:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.used += len(line)
        if self.used > self.limit:
            raise RecordTooLong
        return line


class RecordTooLong(Exception):
    """Raised by :class:`RecordText` when a record passes its limit."""


def load_csv_table(path: str | Path, kind: str,
                   columns: Iterable[str] | Callable[[list[str]], Iterable[str]],
                   max_bytes: int = RESULT_MAX_BYTES
                   ) -> tuple[list[str], list[dict[str, str | None]]]:
    """The header and the rows of the CSV file ``path`` (a results table: ``cases.csv``,
    ``pareto.csv``), each row holding only the columns its caller reads: ``columns(header)``
    (a callable given the header) or the names themselves; a missing cell is None.

    Read by :func:`read_text` (a regular file, at most ``max_bytes``, UTF-8), then
    bounded while it is parsed: at most :data:`CSV_MAX_COLUMNS` columns,
    :data:`CSV_MAX_ROWS` records and :data:`CSV_MAX_RECORD` characters a record, and a
    column the caller reads must be there; each problem one :class:`InputError` naming
    the file. (Every row as a dict of every column held 1.2 GB for 19 s on a 58 MB table
    of a million columns, and ~7 GB for a 64 MiB one of 32 million one-character rows,
    s28d.)"""
    text = read_text(path, kind, max_bytes)
    name = show_path(path)
    lines = RecordText(text, CSV_MAX_RECORD)
    reader = csv.reader(lines)
    rows: list[dict[str, str | None]] = []
    try:
        header = next(reader, [])
        if len(header) > CSV_MAX_COLUMNS:
            raise InputError(f"{name}: {kind} has {len(header):,} columns; allowed: at most "
                             f"{CSV_MAX_COLUMNS:,} (the file keidesign writes has a few dozen)")
        want = list(columns(header) if callable(columns) else columns)
        missing = [c for c in want if c not in header]
        if missing:
            raise InputError(f"{name}: {kind} has no column {', '.join(map(repr, missing[:3]))}"
                             f" (its columns: {', '.join(map(repr, header[:6]))}"
                             f"{', ...' if len(header) > 6 else ''}); allowed: the file "
                             "keidesign writes")
        keep = [(header.index(c), c) for c in dict.fromkeys(want)]
        lines.used = 0
        for n, record in enumerate(reader, start=2):
            if n > CSV_MAX_ROWS + 1:
                raise InputError(f"{name}: {kind} has more than {CSV_MAX_ROWS:,} rows; "
                                 f"allowed: at most {CSV_MAX_ROWS:,}")
            lines.used = 0
            if record:
                rows.append({c: record[i] if i < len(record) else None for i, c in keep})
    except RecordTooLong:
        raise InputError(f"{name}: {kind} has a row of more than {CSV_MAX_RECORD:,} "
                         f"characters (near record {len(rows) + 2:,}); allowed: at most "
                         f"{CSV_MAX_RECORD:,}") from None
    except csv.Error as exc:
        raise InputError(f"{name}: {kind} is not a CSV table the way keidesign writes it "
                         f"({' '.join(str(exc).split())[:200]}, line {reader.line_num:,})"
                         ) from None
    return header, rows


def load_toml(path: str | Path, kind: str, max_bytes: int = MAX_BYTES) -> dict[str, Any]:
    """:func:`read_text` then :func:`parse_toml`."""
    return parse_toml(read_text(path, kind, max_bytes), str(path))


def toml_float(raw: Any) -> float:
    """A TOML number as a float: NaN for a value that is not a number (a boolean, a
    string, a table), +-inf for an integer beyond a float's range (``10**400``); the
    caller refuses both with its own message."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return math.nan
    try:
        return float(raw)
    except OverflowError:
        return math.inf if raw > 0 else -math.inf


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6,
                 form: str = " (did you mean {!r}?)") -> str:
    """``form`` holding the choice nearest ``word`` (:func:`nearest`), or "" when none is
    near: the hint of an unknown key, choice or name."""
    near = nearest(word, choices, cutoff)
    return form.format(near) if near is not None else ""


def nearest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice nearest ``word``: one equal but for letter case ('CVT' -> 'cvt', 'Cd' ->
    'cd'), else one with the same letters and digits in another order, any case ('6AT' ->
    'at6'), else the closest by difflib ratio >= ``cutoff`` ignoring case; None if none."""
    pool = list(choices)
    low = word.lower()
    for c in pool:
        if c.lower() == low:
            return c
    key = sorted(ch for ch in low if ch.isalnum())
    for c in pool:
        if key and sorted(ch for ch in c.lower() if ch.isalnum()) == key:
            return c
    by_low = {c.lower(): c for c in pool}
    near = difflib.get_close_matches(low, list(by_low), n=1, cutoff=cutoff)
    return by_low[near[0]] if near else None
