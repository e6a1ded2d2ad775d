"""Output paths of the command line: missing folders are created, like ``mkdir -p``.

Every writer of the CLI (``export --step/--stl/--glb/--json/--render``, ``import -o``,
``variables --output``, ``report --out``, ``compare --plot``, ``validate --json/--plots``,
``classify --map`` and the results folders of ``optimize | sweep | pareto``) takes its path through
:func:`make_folder` (a folder) or :func:`file_folder` (the folder of a file), so a path
whose folders do not exist yet is written after creating them, and a path that cannot be
(a folder below a regular file such as ``/dev/null/x``, a pseudo file system such as
``/proc``, a read-only place) is one :class:`~keidesign.errors.InputError` naming the
option, the path and the reason, before any work is done.
"""

from __future__ import annotations

import errno
import stat
from pathlib import Path

from keidesign.errors import InputError


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def make_folder(out: str | Path, option: str = "--out", role: str = "the results folder",
                shown: str | Path | None = None) -> Path:
    """Create the folder ``out`` and its parents; an :class:`InputError` naming
    ``option`` and the path (``shown``, default ``out``) and the reason if it cannot be a
    folder. ``role`` names the folder in the message."""
    out = Path(out)
    what = f"{option} {str(shown if shown is not None else out)!r}"
    try:
        st = out.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:  # e.g. a path below a regular file: ENOTDIR
        st = None
        if exc.errno != errno.ENOTDIR:
            raise InputError(f"{what}: cannot use this path as {role} "
                             f"({_one_line(exc.strerror)})") from None
    if st is not None:
        if not stat.S_ISDIR(st.st_mode):
            name = "" if shown is None else f"{out} "
            raise InputError(f"{what}: {name}exists and is not a folder; {role} must "
                             f"be a folder (choose another {option})")
        return out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        # name the existing ancestor that stops us: a file, or a folder that refuses
        anc = out.absolute().parent
        while not anc.exists() and anc != anc.parent:
            anc = anc.parent
        if anc.exists() and not anc.is_dir():
            why = f"{anc} is not a folder"
        else:
            why = f"cannot create a folder in {anc} ({_one_line(exc.strerror or exc)})"
        raise InputError(f"{what}: cannot create {role}: {why}; choose another "
                         f"{option}") from None
    if not out.is_dir():  # e.g. a pseudo file system that accepts mkdir but shows no folder
        raise InputError(f"{what}: cannot create {role} (it does not appear after "
                         f"creation); choose another {option}")
    return out


def file_folder(path: str | Path, option: str) -> Path:
    """``path`` (a file to write) after creating its folder and the folder's parents;
    an :class:`InputError` as :func:`make_folder` if that folder cannot be made, or if
    ``path`` itself is an existing folder."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{option} {str(path)!r}: is a folder; allowed: a file path "
                         "(missing folders are created)")
    make_folder(path.parent, option, f"the folder of {path.name}", shown=path)
    return path
