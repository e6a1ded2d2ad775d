"""keidesign.numbacache: the compiled kernels' cache folder is named by the kernel
files' contents, not by the checkout's path (task s40a; benchmarks/numba_cache.py)."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from keidesign import numbacache as nc

REPO = nc.ROOT


def _copy(root: Path) -> Path:
    for rel in nc.KERNEL_FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / rel, root / rel)
    return root


def _digest(monkeypatch, root: Path) -> str:
    monkeypatch.setattr(nc, "ROOT", root)
    nc.sources_digest.cache_clear()
    try:
        return nc.sources_digest()
    finally:
        nc.sources_digest.cache_clear()


def test_the_key_is_the_kernels_sources_not_the_checkouts_path(tmp_path, monkeypatch):
    """Two copies at other paths give the repository's key; a changed byte in any
    kernel file (the callee of another kernel's compiled code too) gives another."""
    here = nc.sources_digest()
    a, b = _copy(tmp_path / "a"), _copy(tmp_path / "deeper" / "b")
    assert _digest(monkeypatch, a) == _digest(monkeypatch, b) == here
    for rel in nc.KERNEL_FILES:
        c = _copy(tmp_path / f"c_{Path(rel).stem}")
        (c / rel).write_bytes((c / rel).read_bytes() + b"\n")
        assert _digest(monkeypatch, c) != here, rel


def test_the_kernels_are_filed_under_the_source_key():
    """Every cached kernel of the three modules uses the source-keyed folder; a jitted
    function of another file is left to numba's own locators."""
    from numba import njit

    from geometry import _tape_kernel
    from keidesign.crash import _pulse_kernel
    from keidesign.energy import _us06_kernel

    folders = set()
    for mod in (_tape_kernel, _pulse_kernel, _us06_kernel):
        for name in dir(mod):
            cache = getattr(getattr(mod, name), "_cache", None)
            if getattr(cache, "_cache_path", None):
                folders.add(Path(cache._cache_path).name)
    assert folders and {f.rsplit("_src_", 1)[-1] for f in folders} == {nc.sources_digest()}
    assert len(folders) == 3, folders            # one folder per kernel file's package
    assert nc.ContentKeyedLocator.from_function(njit(lambda x: x).py_func, __file__) is None


def test_the_kernels_import_nothing_first_party_but_the_cache_settings():
    """The key holds only if the compiled code depends on the kernel files alone: they
    import no first-party module but ``keidesign`` and ``keidesign.numbacache``."""
    for rel in nc.KERNEL_FILES:
        tree = ast.parse((nc.ROOT / rel).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                if name.split(".")[0] in ("keidesign", "geometry"):
                    assert name == "keidesign", (rel, name)
                    assert [a.name for a in node.names] == ["numbacache"], (rel, name)


def test_a_missing_kernel_file_leaves_the_cache_to_numba(tmp_path, monkeypatch):
    """Where a kernel file is not beside the others (a partial install), the key cannot
    be made: the locator declines and numba's own locators file the cache, per path."""
    from numba import njit

    rel = "keidesign/crash/_pulse_kernel.py"
    (tmp_path / rel).parent.mkdir(parents=True)
    shutil.copyfile(REPO / rel, tmp_path / rel)
    monkeypatch.setattr(nc, "ROOT", tmp_path)
    nc.sources_digest.cache_clear()
    try:
        assert nc.ContentKeyedLocator.from_function(njit(lambda x: x).py_func,
                                                    str(tmp_path / rel)) is None
        _copy(tmp_path)                                  # all three: the key is made
        nc.sources_digest.cache_clear()
        loc = nc.ContentKeyedLocator.from_function(njit(lambda x: x).py_func,
                                                   str(tmp_path / rel))
        assert loc is not None and loc.get_cache_path().endswith(
            f"crash_src_{nc.sources_digest()}")
    finally:
        nc.sources_digest.cache_clear()
