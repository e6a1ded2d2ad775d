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
from typing import Any

from keidesign.errors import InputError


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def make_folder(out: str | Path, option: str = "--out", role: str = "the results folder",
                shown: str | Path | None = None, mode: int = 0o777) -> Path:
    """Create the folder ``out`` and its parents; an :class:`InputError` naming
    ``option`` and the path (``shown``, default ``out``) and the reason if it cannot be a
    folder. ``role`` names the folder in the message; ``mode`` (less the umask) is the
    new folder's (its new parents take the umask's)."""
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
        out.mkdir(mode=mode, parents=True, exist_ok=True)
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
    folder = make_folder(path.parent, option, f"the folder of {path.name}", shown=path)
    if not path.exists() or path.is_file():  # a device such as /dev/stdout is written as named
        _check_writable(folder, path, option)
    return path


def _check_writable(folder: Path, path: Path, option: str) -> None:
    """An :class:`InputError` unless this user may create a file in ``folder``: a new
    file is made there (and removed at once), since permission bits say nothing of a
    read-only or pseudo file system (``/proc``, ``/sys``) or of root's rights. Before
    7 Dec 2026 ``export --step /sys/x.step`` built the body for 42-50 s and then said the
    STEP writer had failed (new-user pass s37d)."""
    import os
    import tempfile

    try:
        fd, probe = tempfile.mkstemp(prefix=".keidesign-write-check-", dir=folder)
    except OSError as exc:
        raise InputError(f"{option} {str(path)!r}: cannot write a file in {folder} "
                         f"({_one_line(exc.strerror or exc)}); allowed: a path this user "
                         "may write (choose another folder)") from None
    os.close(fd)
    os.unlink(probe)


def replace_file(path: str | Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    """Write ``data`` (text in ``encoding``, or bytes) as the file ``path`` by atomic
    replace: a temporary file in the same folder, then ``os.replace`` onto ``path``.

    Writing in place (``open(path, "w")``) writes through whatever ``path`` is: a
    symbolic link's target, or, for a hard link (``st_nlink > 1``), the one file that the
    other name (perhaps outside the results folder) also is; a ``--resume`` of someone
    else's folder or a ``report.html`` placed there overwrote that file (s31l). A rename
    replaces the folder entry only, so the other name keeps its file, and a reader never
    sees a half-written file (an interrupted run leaves the old file, or none, and at most
    a ``.<name>.*.tmp``, removed on an error). The file gets the permissions a new file
    gets (0666 less the umask)."""
    import os
    import secrets

    path = Path(path)
    raw = data.encode(encoding) if isinstance(data, str) else data
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    while True:  # a fresh name: O_EXCL never opens an existing file (or link)
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, flags, 0o666)  # the umask applies, as to any new file
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def save_figure(fig: Any, path: str | Path, **kw: Any) -> Path:
    """A matplotlib figure ``fig`` as the PNG file ``path`` (``savefig`` keywords ``kw``),
    written by :func:`replace_file`: never through a link."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", **kw)
    return replace_file(path, buf.getvalue())


def save_screenshot(plotter: Any, path: str | Path) -> Path:
    """A pyvista plotter's image as the PNG file ``path``, written by
    :func:`replace_file` (``screenshot(path)`` wrote the file in place: through a hard
    link, and a truncated PNG when interrupted mid-write, s32g)."""
    import io

    buf = io.BytesIO()
    plotter.screenshot(buf)
    return replace_file(path, buf.getvalue())
