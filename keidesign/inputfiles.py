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
  like any other TOML error.

Every problem raises one :class:`~keidesign.errors.InputError` naming the file.

The checks of the values read are written by hand in each reader (design files, rule
packs, study files, spec files; docs/CONTRIBUTING.md says why no schema library), with
two small helpers shared here: :func:`toml_float` (a TOML number as a float, never an
``OverflowError``) and :func:`did_you_mean` (the nearest valid name for a message).
"""

from __future__ import annotations

import difflib
import math
import os
import stat
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from keidesign.errors import InputError, show_path

__all__ = ["MAX_BYTES", "RESULT_MAX_BYTES", "did_you_mean", "load_json_object", "load_toml",
           "parse_toml", "read_text", "toml_float"]

#: Largest design, rule-pack or study file read, bytes (the largest shipped file is
#: ~10 kB; 1 MiB leaves room for long comments and notes).
MAX_BYTES = 1 << 20


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
        raise InputError(f"{name}: {kind} is not UTF-8 text (byte {exc.start})") from None


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """Parse TOML ``text``; ``source`` names it in the one-line error. A leading UTF-8
    byte-order mark (Windows editors' "UTF-8 with BOM") is dropped: tomllib reads it as an
    invalid statement at line 1, column 1."""
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{show_path(source)}: not valid TOML: {exc}") from None
    except ValueError as exc:  # an integer of more than 4300 digits (CPython's limit)
        raise InputError(f"{show_path(source)}: not valid TOML: {str(exc).split(':')[0]}") from None
    except RecursionError:
        raise InputError(f"{show_path(source)}: not valid TOML: arrays or tables nested too deeply "
                         "(allowed: a few levels, as in the examples)") from None


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
