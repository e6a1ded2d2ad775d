"""Probe result caches tied to the model and the probe code that computed them.

A probe that takes minutes (``validation_probes.py label_split``, ``technology.py``)
keeps its per-configuration results in ``benchmarks/results/`` (git-ignored). A cache
written before a refit, a model change or an edit of the probe itself would print the
old figures as today's, so each cache file records :func:`model_fingerprint` (the
shipped packages) and :func:`probe_fingerprint` (the probe module and the modules of
``benchmarks/`` it imports), and is recomputed when either differs (issue 13: until
5 Dec 2026 the key ignored the probes' own code).
"""

from __future__ import annotations

import ast
import hashlib
import json
import sys
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

#: the repository's shipped packages (pyproject: ``keidesign*``, ``geometry*``): what a
#: probe's figures depend on besides the probe's own code
ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "keidesign"
PACKAGES = (PACKAGE, ROOT / "geometry")


def _digest(files: Iterable[tuple[str, Path]]) -> str:
    """SHA-256 (hex, first 16 characters) over (name, content) pairs in name order."""
    h = hashlib.sha256()
    for name, path in sorted(files):
        h.update(name.encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]


@cache
def model_fingerprint() -> str:
    """SHA-256 (hex, first 16 characters) over every file of the shipped packages
    (``keidesign``: Python sources, calibration and data files; ``geometry``: the body
    closed forms and CAD), path and content, in path order: equal exactly when the model
    and its data are."""
    return _digest((path.relative_to(ROOT).as_posix(), path)
                   for pkg in PACKAGES for path in pkg.rglob("*")
                   if path.is_file() and "__pycache__" not in path.parts)


def _imported_names(source: str) -> set[str]:
    """Top-level module names a source imports anywhere (module level or inside a
    function): ``import a.b`` and ``from a import b`` give ``a``; relative imports none."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def probe_modules(probe: str | Path) -> list[Path]:
    """``probe`` (a probe's file, e.g. ``benchmarks/validation_probes.py``) and every
    module of its own folder that it imports, directly or through another such module
    (anywhere in the file: module level or inside a function), in path order; [] when
    ``probe`` is not a file. Imports of installed packages (``keidesign``, numpy) are
    left to :func:`model_fingerprint` and the environment."""
    start = Path(probe).resolve()
    if not start.is_file():
        return []
    folder = start.parent
    seen, todo = {start}, [start]
    while todo:
        path = todo.pop()
        for name in _imported_names(path.read_text(encoding="utf-8")):
            dep = folder / f"{name}.py"
            if dep.is_file() and dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return sorted(seen)


def probe_fingerprint(probe: str | Path | None) -> str:
    """SHA-256 (hex, first 16 characters) over :func:`probe_modules` of ``probe`` (name
    and content): changes when the probe or a ``benchmarks/`` module it imports is
    edited. Not cached: a probe file may change within one session (the tests edit one).
    ``""`` for None or no file."""
    files = probe_modules(probe) if probe is not None else []
    return _digest((p.name, p) for p in files) if files else ""


def _caller_file() -> str | None:
    """The file of the module that called :func:`cached` (two frames up)."""
    frame = sys._getframe(2)
    return frame.f_globals.get("__file__")


def cached(path: Path, compute: Callable[[], Any], refresh: bool = False,
           probe: str | Path | None = None) -> Any:
    """``compute()``, read from the JSON file ``path`` when that file holds the result of
    the current :func:`model_fingerprint` and :func:`probe_fingerprint` of ``probe``
    (default: the module calling this function; and ``refresh`` is false), else computed
    and written there with both fingerprints."""
    model = model_fingerprint()
    code = probe_fingerprint(probe if probe is not None else _caller_file())
    if not refresh and path.exists():
        try:
            held = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            held = None
        if (isinstance(held, dict) and held.get("model") == model
                and held.get("probe") == code and "result" in held):
            return held["result"]
    out = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"model": model, "probe": code, "result": out}),
                    encoding="utf-8")
    return out
