"""Where the compiled kernels' numba cache lives, and under which key: any checkout of the
same kernel sources reads the machine code another compiled.

The three compiled modules (:data:`KERNEL_FILES`: the crash pulse, the US06 sweep, the
body tape) cache their machine code in :data:`keidesign.NUMBA_CACHE_DIR`. numba's own
locator files a module's cache under a folder named by a hash of the module's *absolute
folder path*, so every new checkout (a CI clone, a worktree) compiled every kernel again:
~26 s of CPU before the first evaluation of a model in a process (against ~1 s from the
cache; ``benchmarks/numba_cache.py``), in each pytest-xdist worker of a fresh clone, while
``~/.cache/keidesign/numba`` already held the same kernels compiled from other paths
(124 folders of ``crash`` on this machine, 7 Dec 2026). :class:`ContentKeyedLocator`
names the folder by the kernel files' *contents* instead: a hash of every file of
:data:`KERNEL_FILES` (their paths relative to the repository root and their bytes).

Why every kernel file and not the module's own: a compiled function holds what it calls
compiled in, so a cache keyed on one file could hand out machine code built against an
older version of another. The kernels import nothing first-party but
``keidesign.NUMBA_CACHE_DIR`` (every physics constant comes in through their arguments,
:mod:`keidesign.crash._pulse_kernel`), so their three files are all the source their
machine code depends on; numba's own checks still apply inside the folder (its version,
the target CPU, the signature, the source file's hash as the entry's stamp).

Assumptions: numba's ``CacheImpl._locator_classes`` (``_CacheImpl`` in older numba; a
numba without it keeps its own locators: the cache then works as before, per path). A user's
``NUMBA_CACHE_LOCATOR_CLASSES`` still wins (numba reads it first), and without a cache
folder (``NUMBA_CACHE_DIR`` unset and not settable) nothing changes. Validity: the
kernels must keep importing no first-party module but this one and ``keidesign``
(``tests/test_numbacache.py`` checks it).
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

import numba
from numba.core import caching

from keidesign import NUMBA_CACHE_DIR

#: the repository root (the parent of the ``keidesign`` and ``geometry`` packages)
ROOT = Path(__file__).resolve().parents[1]
#: the compiled modules, relative to :data:`ROOT`
KERNEL_FILES = ("geometry/_tape_kernel.py", "keidesign/crash/_pulse_kernel.py",
                "keidesign/energy/_us06_kernel.py")


@cache
def sources_digest() -> str:
    """SHA-256 (hex, first 24 digits) of every kernel file's relative path and bytes."""
    h = hashlib.sha256()
    for rel in KERNEL_FILES:
        h.update(rel.encode() + b"\0" + (ROOT / rel).read_bytes() + b"\0")
    return h.hexdigest()[:24]


#: numba's locator of a user-given cache folder (named with a leading ``_`` before 0.59)
_UserFolder = (getattr(caching, "UserProvidedCacheLocator", None)
               or caching._UserProvidedCacheLocator)


class ContentKeyedLocator(_UserFolder):
    """numba's user-folder locator, its sub-folder named by the module's folder name and
    :func:`sources_digest` instead of a hash of the absolute path; only for the files of
    :data:`KERNEL_FILES` (any other jitted function keeps numba's locators)."""

    def __init__(self, py_func, py_file):
        super().__init__(py_func, py_file)
        parent = os.path.basename(os.path.dirname(os.path.abspath(py_file)))
        self._cache_path = os.path.join(numba.config.CACHE_DIR,
                                        f"{parent}_src_{sources_digest()}")

    @classmethod
    def from_function(cls, py_func, py_file):
        try:
            rel = Path(py_file).resolve().relative_to(ROOT).as_posix()
        except ValueError:
            return None
        if rel not in KERNEL_FILES:
            return None
        try:
            sources_digest()
        except OSError:         # a kernel file not beside this one: numba's own locators
            return None
        return super().from_function(py_func, py_file)


def install() -> None:
    """Before a kernel module's ``@njit(cache=True)`` decorators run: the cache folder
    (numba may have been imported, by CadQuery, before :mod:`keidesign` set
    ``NUMBA_CACHE_DIR``) and :class:`ContentKeyedLocator` first in numba's list
    (idempotent)."""
    numba.config.CACHE_DIR = numba.config.CACHE_DIR or NUMBA_CACHE_DIR
    impl = getattr(caching, "CacheImpl", None) or getattr(caching, "_CacheImpl", None)
    classes = getattr(impl, "_locator_classes", None)
    if isinstance(classes, list) and ContentKeyedLocator not in classes:
        classes.insert(0, ContentKeyedLocator)
