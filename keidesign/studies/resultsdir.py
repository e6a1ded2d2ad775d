"""Results folders of ``keidesign optimize | sweep | pareto``: creation, overwrite policy, lock.

:func:`results_dir` is the one way a study run takes its folder:

1. *Creation*: the folder and its parents are made; a path that cannot be a folder (an
   existing regular file, a path below a file such as ``/dev/null/x``, a pseudo file
   system such as ``/proc``, a read-only place) is one :class:`~keidesign.errors.InputError`
   naming the path and the reason.
2. *Lock*: ``<out>/.keidesign.lock`` is opened (never through a symbolic link) and held
   with ``fcntl.flock(LOCK_EX | LOCK_NB)`` for the whole run, with the pid of the holder
   written in it. A second run on the same folder (another process, or another open file
   description) is refused at once: "another keidesign run is writing <out> (pid N)". The
   lock is released by the kernel when the process ends, however it ends, so a killed run
   leaves no stale lock. In one process the lock is re-entrant: the CLI takes it, and the
   library function it calls (e.g. :func:`~keidesign.studies.optimize.optimize`) finds it
   held and does not apply the policy a second time.
3. *Earlier results*: a folder that holds files an earlier study run wrote
   (:data:`RESULT_NAMES`: ``optimum.toml``, ``results.json``, ``runs/``, a
   ``cases.sqlite`` holding cases, ...) is refused, naming what is there, unless
   ``overwrite`` (those files and folders are deleted first, a symbolic link unlinked,
   never followed; other files are kept) or ``resume`` (``sweep``/``pareto``: the case
   store decides what is kept). Under ``resume`` a result that is a symbolic link (also
   in ``step/`` and ``runs/``) is refused: the run rewrites those files in place, and a
   folder from someone else whose ``cases.csv`` linked to a design file had it
   overwritten before s28d.
4. *Other users' results* (audit s42a): a result of ``out`` (``optimization_out/``,
   ``runs/``, ``cases.sqlite``, ...) owned by another user is refused in every mode: an
   empty folder is no earlier result, and OpenMDAO wrote its recorder into such a folder
   (a shared ``--out``), where its owner could swap the file before it was read back; a
   case store of theirs under ``--resume`` could be changed after it was checked.
5. *Folders others can change* (audit s43a, OpenSSH's StrictModes): ``out`` itself,
   and in every mode after ``overwrite`` deleted its own the result folders in it
   (``runs/``, ``step/``, ``pareto_designs/``, ``optimization_out/``), must be
   this user's (or root's) and writable by neither group nor others. Otherwise another
   user could rename a result away after it was written and put theirs, or a link, in
   its place, or, with the sticky bit too (``/tmp``), create a name the run has not
   made yet: SQLite replays a ``cases.sqlite-wal`` planted beside the store into it. One
   :class:`InputError` naming the folder, its mode and owner, before the lock file is
   made. keidesign makes these folders with
   :data:`FOLDER_MODE` (0755 less the umask), so a umask of 002 does not make them
   group-writable. The parents of ``out`` are not checked: a team's shared folder
   (2775) above a user's own results folder is common, and what a parent's writer
   could swap in is checked where it is read (the recorder, :func:`keidesign.studies.
   outputs.recorder_history`: a regular file of this user with one name; the case
   store, checked row by row on ``--resume``; result files read by ``report`` as
   hostile input).
6. *Hard links* (s31l): the tables, JSON, text, PNG and STEP files are written by
   :func:`keidesign.outpaths.replace_file` (a new file renamed onto the name), never
   into the file a second name (``st_nlink > 1``) also is; the two files written in
   place, the case store ``cases.sqlite`` under ``resume`` and the lock file, are refused
   when hard-linked.
"""

from __future__ import annotations

import contextlib
import fcntl
import fnmatch
import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from keidesign import outpaths
from keidesign.errors import InputError
from keidesign.studies.store import schema_problem

__all__ = ["FOLDER_MODE", "LOCK_NAME", "RESULT_NAMES", "earlier_results", "lock_folder",
           "make_folder", "results_dir"]

#: The lock file in a results folder.
LOCK_NAME = ".keidesign.lock"

#: Names (glob patterns) of what ``optimize``, ``sweep`` and ``pareto`` write in a results
#: folder: the "results of an earlier run" that a new run refuses to replace silently.
RESULT_NAMES: tuple[str, ...] = (
    # sweep and pareto
    "cases.sqlite", "cases.sqlite-wal", "cases.sqlite-shm", "cases.csv", "summary.json",
    "feasibility_map*.txt", "feasibility_map*.png", "step",
    "pareto.csv", "pareto_front.csv", "anchors.csv", "pareto.png", "pareto_designs",
    # optimize (and pareto's runs/)
    "optimum.toml", "optimum.step", "optimum.step.txt", "optimum.json", "compliance.txt",
    "evaluation.json", "trade_factors.md", "results.json", "history.json", "starts.csv",
    "runs",
    "optimization_out",
)

# folders whose lock this process holds: (st_dev, st_ino) -> nesting depth
_HELD: dict[tuple[int, int], int] = {}


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


#: The mode a results folder and its result folders are made with (less the umask):
#: never writable by the group or others, whatever the umask (002 made them 0775, which
#: :func:`_strict` refuses; audit s43a)
FOLDER_MODE = 0o755


def make_folder(out: str | Path) -> Path:
    """Create the results folder ``out`` (and its parents) with :data:`FOLDER_MODE`; an
    :class:`InputError` naming the path and the reason if it cannot be a folder
    (:func:`keidesign.outpaths.make_folder`)."""
    return outpaths.make_folder(out, "--out", "the results folder", mode=FOLDER_MODE)


def _read_pid(path: Path) -> str:
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return "unknown"
    return text if text.isdigit() and len(text) < 12 else "unknown"


def lock_folder(out: str | Path) -> int:
    """Take the exclusive lock of the results folder ``out`` (which exists); returns the
    lock file's descriptor (close it to release the lock). Raises :class:`InputError` if
    another run holds it or the lock file cannot be made."""
    out = Path(out)
    path = out / LOCK_NAME
    flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        raise InputError(f"--out {str(out)!r}: cannot write in the results folder: cannot "
                         f"create its lock file {LOCK_NAME} ({_one_line(exc.strerror)}); "
                         "choose another --out") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{path}: the lock file is not a regular file; remove it or "
                             "choose another --out")
        if st.st_nlink > 1:  # truncated below: it would empty the other name's file
            raise InputError(f"{path}: the lock file is a hard link ({st.st_nlink} names "
                             "of one file); the run rewrites it and would write there; "
                             "allowed: a lock file of its own; remove it or choose "
                             "another --out")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(f"another keidesign run is writing {out} (pid {_read_pid(path)}); "
                             "wait for it to finish or choose another --out") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot lock the results folder "
                             f"({_one_line(exc.strerror)}); choose another --out") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
    except BaseException:
        os.close(fd)
        raise
    return fd


def _store_has_cases(path: Path) -> bool:
    """Whether ``cases.sqlite`` holds finished cases (True also when it is unreadable or
    not a case store's schema, :func:`keidesign.studies.store.schema_problem`: it is then
    not this program's to replace silently)."""
    if path.is_symlink() or not path.is_file():
        return True
    if path.stat().st_size == 0:
        return False
    try:
        con = sqlite3.connect(f"file:{quote(str(path.absolute()))}?mode=ro", uri=True)
    except sqlite3.Error:
        return True
    try:  # another schema (a view ``cases`` that never ends: s28d) is not queried
        if schema_problem(con) is not None:
            return True
        return int(con.execute("SELECT COUNT(*) FROM cases").fetchone()[0]) > 0
    except sqlite3.Error:
        return True
    finally:
        con.close()


def _result_names(out: Path) -> list[str]:
    """The entries of ``out`` named like a result (:data:`RESULT_NAMES`), sorted."""
    try:
        names = sorted(os.listdir(out))
    except OSError:
        return []
    return [n for n in names if any(fnmatch.fnmatchcase(n, pat) for pat in RESULT_NAMES)]


def earlier_results(out: str | Path) -> list[str]:
    """Names of the entries of ``out`` that an earlier study run wrote (sorted): every
    :data:`RESULT_NAMES` match except empty folders and a case store without cases."""
    out = Path(out)
    found = []
    for name in _result_names(out):
        p = out / name
        if p.is_dir() and not p.is_symlink():
            try:
                if not any(p.iterdir()):
                    continue
            except OSError:
                pass
            found.append(name + "/")
        elif name in ("cases.sqlite-wal", "cases.sqlite-shm"):
            continue  # the journal of cases.sqlite: goes with it
        elif name == "cases.sqlite":
            if _store_has_cases(p):
                found.append(name)
        else:
            found.append(name)
    return found


def _remove(out: Path, names: list[str]) -> None:
    """Delete the earlier results ``names`` of ``out`` (symbolic links are unlinked, never
    followed)."""
    todo = list(names)
    if "cases.sqlite" in todo:
        todo += ["cases.sqlite-wal", "cases.sqlite-shm"]
    for name in todo:
        p = out / name.rstrip("/")
        try:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink(missing_ok=True)
        except OSError as exc:
            raise InputError(f"{p}: cannot remove the earlier result for --overwrite "
                             f"({_one_line(exc.strerror or exc)})") from None


def _links(out: Path) -> list[str]:
    """The results of ``out`` (:data:`RESULT_NAMES`, and the files in its result folders
    such as ``step/`` and ``runs/``) that are symbolic links, relative to ``out``."""
    found = []
    for name in _result_names(out):
        p = out / name
        if p.is_symlink():
            found.append(name)
        elif p.is_dir():
            with contextlib.suppress(OSError):
                found += [f"{name}/{f}" for f in sorted(os.listdir(p))
                          if (p / f).is_symlink()]
    return found


def _foreign(out: Path) -> list[tuple[str, str, int]]:
    """The results of ``out`` (:data:`RESULT_NAMES`: ``optimization_out/``, ``runs/``,
    ``cases.sqlite``, ...) that another user owns: (name, "folder" or "file", owner). A
    symbolic link is judged by the link rules (:func:`_links`, :func:`_remove`)."""
    found = []
    for name in _result_names(out):
        try:
            st = os.lstat(out / name)
        except OSError:
            continue
        if not stat.S_ISLNK(st.st_mode) and st.st_uid != os.getuid():
            found.append((name, "folder" if stat.S_ISDIR(st.st_mode) else "file", st.st_uid))
    return found


def _loose(st: os.stat_result) -> str | None:
    """Why other users can put entries in a folder of this ``stat`` (OpenSSH's
    StrictModes, audit s43a), or None: it is another user's (root's excepted: a folder
    of root's that this user can write is judged by its mode), or its group or others
    can write it. The sticky bit does not make it safe: others still create the names
    the run has not made yet, such as the case store's write-ahead log
    ``cases.sqlite-wal``, which SQLite replays into the store when it opens it (a
    planted log's rows were read back: audit s43a's probe)."""
    if st.st_uid not in (os.getuid(), 0):
        return f"another user owns it (uid {st.st_uid})"
    mode = st.st_mode
    if mode & (stat.S_IWGRP | stat.S_IWOTH):
        who = ("its group and all users" if mode & stat.S_IWGRP and mode & stat.S_IWOTH
               else "its group" if mode & stat.S_IWGRP else "all users")
        sticky = " (the sticky bit keeps only their renames out)" if mode & stat.S_ISVTX \
            else ""
        return f"{who} can write it{sticky}"
    return None


def _strict(path: Path, field: str, st: os.stat_result) -> None:
    """An :class:`InputError` if others can replace entries of the folder ``path``
    (:func:`_loose`)."""
    why = _loose(st)
    if why is None:
        return
    mode = stat.S_IMODE(st.st_mode)
    raise InputError(f"{path}: {field} = a folder of mode {mode:04o} owned by uid "
                     f"{st.st_uid}: {why}, so another user can put files in it beside or "
                     "in place of the run's results, its resume state (cases.sqlite and "
                     "its write-ahead log) and the optimizer's recorder; allowed: a "
                     f"folder of yours that only you can write (chmod go-w {str(path)!r}), "
                     "or another --out folder")


def _loose_results(out: Path) -> None:
    """:func:`_strict` for the result folders of ``out`` (``runs/``, ``step/``,
    ``optimization_out/``, ...): the run writes its files in them."""
    for name in _result_names(out):
        try:
            st = os.lstat(out / name)
        except OSError:
            continue
        if stat.S_ISDIR(st.st_mode):
            _strict(out / name, "result folder", st)


def _policy(out: Path, command: str, overwrite: bool, resume: bool) -> None:
    _earlier_policy(out, command, overwrite, resume)
    _loose_results(out)   # after --overwrite deleted its own (audit s43a)


def _earlier_policy(out: Path, command: str, overwrite: bool, resume: bool) -> None:
    foreign = _foreign(out)
    if foreign:  # audit s42a: an empty folder is no earlier result, and the run writes in it
        name, kind, uid = foreign[0]
        raise InputError(f"{out / name}: a {kind} of another user (uid {uid}); the run writes "
                         f"{'its files in it' if kind == 'folder' else 'it or beside it'}, "
                         "where that user can replace them (the optimizer's recorder, the "
                         "case store are read back); allowed: results of yours: remove it, "
                         "or choose another --out folder")
    if resume:  # the run writes its files in place: never through a link (s28d)
        links = _links(out)
        if links:
            target = os.path.realpath(out / links[0])
            raise InputError(f"{out / links[0]}: a symbolic link (to {target}); --resume "
                             "rewrites the results folder's files in place and would write "
                             "there; allowed: the files and folders a keidesign run wrote; "
                             "remove the link, or run again with --overwrite or another "
                             "--out folder")
        store = out / "cases.sqlite"
        with contextlib.suppress(OSError):
            n = store.lstat().st_nlink
            if n > 1:  # SQLite writes its file in place: the other name's file (s31l)
                raise InputError(f"{store}: a hard link ({n} names of one file); --resume "
                                 "adds cases to it in place and would write the other "
                                 "name's file; allowed: the case store a keidesign run "
                                 "wrote; copy it (cp) in its place, or run again with "
                                 "--overwrite or another --out folder")
        return
    found = earlier_results(out)
    if not found:
        return
    if overwrite:
        _remove(out, found)
        return
    shown = ", ".join(found[:8]) + (f" and {len(found) - 8} more" if len(found) > 8 else "")
    how = ("pass --resume to continue that run, --overwrite to replace it"
           if command in ("sweep", "pareto") else "pass --overwrite to replace it")
    raise InputError(f"{out}: already holds the results of an earlier run ({shown}); "
                     f"{how}, or choose another --out folder")


@contextlib.contextmanager
def results_dir(out: str | Path, *, command: str, overwrite: bool = False,
                resume: bool = False) -> Iterator[Path]:
    """Create, lock and check the results folder ``out`` of a ``command`` run (``optimize``,
    ``sweep`` or ``pareto``) for the duration of the ``with`` block (see the module
    docstring); yields the folder.

    ``overwrite``: delete the earlier results first; ``resume``: keep them (the run
    continues them). Without either, earlier results are an :class:`InputError`.
    """
    out = make_folder(out)
    st = out.stat()
    _strict(out, "--out", st)   # before the lock file is made in it (audit s43a)
    key = (st.st_dev, st.st_ino)
    if key in _HELD:  # this process holds it already (the CLI around a library call)
        _HELD[key] += 1
        try:
            yield out
        finally:
            _HELD[key] -= 1
        return
    fd = lock_folder(out)
    _HELD[key] = 1
    try:
        _policy(out, command, overwrite, resume)
        yield out
    finally:
        del _HELD[key]
        os.close(fd)
