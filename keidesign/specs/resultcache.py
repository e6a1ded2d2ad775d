"""On-disk cache of the import's restraint rule: one model run per design text.

``keidesign import`` runs the model once per imported car for the restraint rule
(:func:`keidesign.specs.build.restraint_design`: the pulse inputs of the design, then the
rule's slack and force scale), about half of the command's wall time. The rule is a
deterministic function of the design text the import writes before it, of the
``keidesign`` and ``geometry`` packages (sources and data: the registry defaults, the
model, the crash kernel) and of the numerical libraries' versions; :func:`key` hashes all
of them, so an edit of the package or an upgrade recomputes instead of reading an old
result. Values are stored as JSON numbers (``repr`` of a float reads back to the same
float), so a cached import writes the same file as a computed one
(``tests/test_import.py`` holds them equal). Only the console command uses it (a process
of its own, running the shipped model): :func:`keidesign.specs.build.build_design` reads
the cache only with ``cache=True``, which ``keidesign.cli.main`` gives when its argv
comes from ``sys.argv``; a caller in-process (tests, probes whose trials patch the
model, ``benchmarks/newuser.py``) always computes, since the key cannot see a patch.

Folder: ``$KEIDESIGN_CACHE_DIR`` or ``$XDG_CACHE_HOME/keidesign/restraint`` (else
``~/.cache/keidesign/restraint``), beside the numba cache of :mod:`keidesign`. A folder
that cannot be read or written only costs the model run; ``KEIDESIGN_CACHE_DIR=""``
switches the cache off. An entry is read like every file keidesign did not just write
(:func:`keidesign.inputfiles.read_text`: a regular file, at most :data:`MAX_ENTRY`
bytes, opened non-blocking) and used only when its result has the shape its caller
stores (``valid``): anything else is a miss. (It was read whole with ``Path.read_text``
and converted unchecked: a FIFO at an entry's path hung ``keidesign import``, a link to
``/dev/zero`` filled the memory, and ``{"result": ["x"]}`` was a ValueError traceback;
a folder others can write, such as a shared ``KEIDESIGN_CACHE_DIR``, s30c.)
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from keidesign.errors import InputError
from keidesign.inputfiles import read_text

#: the packages whose sources and data the restraint rule depends on
_PACKAGES = ("keidesign", "geometry")
#: the numerical libraries whose versions enter the key
_LIBRARIES = ("numpy", "scipy", "openmdao", "numba")
#: Largest cache entry read, bytes (an entry holds a few numbers and at most one message:
#: a few hundred bytes)
MAX_ENTRY = 1 << 16


def folder() -> Path | None:
    """The cache folder, or None when ``KEIDESIGN_CACHE_DIR`` is set empty (no cache)."""
    env = os.environ.get("KEIDESIGN_CACHE_DIR")
    if env is not None:
        return Path(env) / "restraint" if env else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"),
                                                            ".cache")
    return Path(base) / "keidesign" / "restraint"


@cache
def fingerprint() -> str:
    """SHA-256 over every file of the ``keidesign`` and ``geometry`` packages (path and
    content, in path order; ``__pycache__`` left out) and the libraries' versions."""
    import geometry
    import keidesign

    h = hashlib.sha256()
    for mod in (keidesign, geometry):
        root = Path(mod.__file__).resolve().parent
        for path in sorted(p for p in root.rglob("*") if p.is_file()
                           and "__pycache__" not in p.parts):
            h.update(f"{mod.__name__}/{path.relative_to(root).as_posix()}".encode())
            h.update(b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    for lib in _LIBRARIES:
        try:
            version = metadata.version(lib)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{lib}={version}\0".encode())
    return h.hexdigest()


def key(text: str) -> str:
    """The cache key of the restraint rule of the design ``text``."""
    return hashlib.sha256(f"{fingerprint()}\0{text}".encode()).hexdigest()


def numbers(value: Any, n: int) -> bool:
    """Whether ``value`` is a list of ``n`` finite numbers (a cached result's shape)."""
    return (isinstance(value, list) and len(value) == n
            and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                    and math.isfinite(v) for v in value))


def read(text: str, valid: Callable[[Any], bool] | None = None) -> Any | None:
    """The stored result for ``text`` (a JSON value), or None when absent, unreadable (not
    a regular file, larger than :data:`MAX_ENTRY`, not JSON) or not ``valid``."""
    where = folder()
    if where is None:
        return None
    path = where / f"{key(text)}.json"
    try:
        held = json.loads(read_text(path, "cache entry", MAX_ENTRY))
    except (InputError, ValueError, RecursionError):
        return None
    if not (isinstance(held, dict) and "result" in held):
        return None
    result = held["result"]
    return result if valid is None or valid(result) else None


def write(text: str, result: Any) -> None:
    """Store ``result`` (a JSON value) for ``text``; written to a temporary file and moved
    into place (two imports at once leave one whole file); an unwritable folder is
    skipped."""
    where = folder()
    if where is None:
        return
    try:
        data = json.dumps({"result": result}, allow_nan=False)
        where.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=where, suffix=".tmp",
                                         delete=False) as f:
            f.write(data)
        os.replace(f.name, where / f"{key(text)}.json")
    except (OSError, ValueError):
        return
