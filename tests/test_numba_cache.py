"""Numba's on-disk cache is safe only for functions whose compiled callees live in the
same file: numba compiles a called ``@njit`` function INTO its caller and invalidates a
cached caller only when the caller's own file changes (its index is stamped with that
file's modification time and size). A ``cache=True`` function that calls a compiled
function of another module keeps that callee's old code after the callee changes.

That is how CI's run of stop 48 failed: ``benchmarks/compartment_trial.run`` (cached)
still carried ``_pulse_kernel.metrics`` from before s31n changed it (the crush past the
stack off by 1e-9 to 1e-5 relative against the shipped kernel), because the project's
cache folder (``keidesign.NUMBA_CACHE_DIR``, in the user's cache) outlives a clone.

The rule held here, over every module of the project: a function compiled with
``cache=True`` references no name imported from another module of the project that
defines compiled functions.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("keidesign", "geometry", "benchmarks")


def _is_njit(dec: ast.expr) -> tuple[bool, bool]:
    """``(compiled, cached)`` of one decorator: ``njit``, ``jit``, ``numba.njit``, called
    or not; cached when called with ``cache=True``."""
    func = dec.func if isinstance(dec, ast.Call) else dec
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name not in ("njit", "jit", "vectorize", "guvectorize"):
        return False, False
    cached = isinstance(dec, ast.Call) and any(
        k.arg == "cache" and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in dec.keywords)
    return True, cached


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _compiled(tree: ast.Module) -> dict[str, bool]:
    """``{function name: cached}`` of the module's top-level compiled functions."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for dec in node.decorator_list:
                compiled, cached = _is_njit(dec)
                if compiled:
                    out[node.name] = cached
    return out


def _modules() -> dict[str, tuple[Path, ast.Module]]:
    mods = {}
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            name = _module_name(path)
            mods[name] = (path, tree)
            if folder == "benchmarks":  # the scripts import each other by bare name
                mods[path.stem] = (path, tree)
    return mods


@functools.cache
def _scan() -> tuple[dict[str, tuple[Path, ast.Module]], dict[str, dict[str, bool]]]:
    """``(modules, compiled)``: every project module parsed and its compiled functions,
    built once per process by the first test that reads them (not at collection, which
    every pytest-xdist worker pays: ~5 s of CPU for the ~290 files); read only."""
    modules = _modules()
    return modules, {name: _compiled(tree) for name, (_, tree) in modules.items()}


def _foreign_compiled_names(tree: ast.Module, own: str) -> set[str]:
    """Names the module binds to another project module's compiled functions, or to a
    project module that has compiled functions (``from m import f``, ``import m as k``,
    ``from pkg import m``)."""
    compiled = _scan()[1]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                bound = alias.asname or alias.name
                sub = f"{node.module}.{alias.name}"
                if sub in compiled and sub != own and compiled[sub]:
                    names.add(bound)  # a module with compiled functions
                elif node.module != own and alias.name in compiled.get(node.module, {}):
                    names.add(bound)  # a compiled function of another module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name != own and compiled.get(alias.name):
                    names.add((alias.asname or alias.name).split(".")[0])
    return names


def _violations() -> list[str]:
    modules, compiled = _scan()
    found = []
    seen = set()
    for name, (path, tree) in modules.items():
        if path in seen:
            continue
        seen.add(path)
        foreign = _foreign_compiled_names(tree, _module_name(path))
        if not foreign:
            continue
        for node in tree.body:
            if not (isinstance(node, ast.FunctionDef) and compiled[name].get(node.name)):
                continue
            used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} & foreign
            if used:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} "
                             f"(cache=True) calls {sorted(used)}")
    return found


def test_the_scan_sees_the_compiled_kernels():
    """The scan finds the project's kernels and their cache flags (a scan that saw
    nothing would pass any rule)."""
    modules, compiled = _scan()
    assert compiled["keidesign.crash._pulse_kernel"]["metrics"] is True
    assert compiled["keidesign.crash._pulse_kernel"]["integrate"] is True
    assert "integrate" in compiled["benchmarks.compartment_trial"]
    tree = modules["benchmarks.compartment_trial"][1]
    foreign = _foreign_compiled_names(tree, "benchmarks.compartment_trial")
    assert {"metrics", "_k", "_sp"} <= foreign


@pytest.mark.parametrize("src, expected", [
    ("@njit(cache=True)\ndef f(x):\n    return x\n", {"f": True}),
    ("@numba.njit(cache=False)\ndef f(x):\n    return x\n", {"f": False}),
    ("@njit\ndef f(x):\n    return x\n", {"f": False}),
    ("def f(x):\n    return x\n", {}),
])
def test_decorators_read(src, expected):
    assert _compiled(ast.parse(src)) == expected


def test_no_cached_function_calls_another_modules_compiled_code():
    """No ``cache=True`` function calls a compiled function of another project module
    (fails on 557c9ca: compartment_trial's _cap, integrate, run and mount_trial's
    _mount)."""
    assert _violations() == []
