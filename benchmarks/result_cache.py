"""Probe result caches tied to the model that computed them.

A probe that takes minutes (``validation_probes.py label_split``, ``technology.py``)
keeps its per-configuration results in ``benchmarks/results/`` (git-ignored). A cache
written before a refit or a model change would print the old figures as today's, so
each cache file records :func:`model_fingerprint` and is recomputed when it differs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

#: the installed package's sources and data: what a probe's figures depend on
PACKAGE = Path(__file__).resolve().parent.parent / "keidesign"


@cache
def model_fingerprint() -> str:
    """SHA-256 (hex, first 16 characters) over every file of the ``keidesign`` package
    (Python sources, calibration and data files), path and content, in path order:
    equal exactly when the model and its data are."""
    h = hashlib.sha256()
    for path in sorted(p for p in PACKAGE.rglob("*") if p.is_file()
                       and "__pycache__" not in p.parts):
        h.update(path.relative_to(PACKAGE).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]


def cached(path: Path, compute: Callable[[], Any], refresh: bool = False) -> Any:
    """``compute()``, read from the JSON file ``path`` when that file holds the result of
    the current :func:`model_fingerprint` (and ``refresh`` is false), else computed and
    written there with the fingerprint."""
    key = model_fingerprint()
    if not refresh and path.exists():
        try:
            held = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            held = None
        if isinstance(held, dict) and held.get("model") == key and "result" in held:
            return held["result"]
    out = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"model": key, "result": out}), encoding="utf-8")
    return out
