"""A task's scratch folder in the temp dir, removed even when its process is killed.

A study task that writes files (a Pareto row's ``SqliteRecorder``, a multi-start's
start, a STEP export) writes them in a folder of its own in the temp dir and sends the
bytes back (workers need no shared file system: :mod:`keidesign.studies.runner`). A
``tempfile.TemporaryDirectory`` removes its folder when the ``with`` block ends, which a
killed process never reaches: a worker ended by SIGKILL (Dask's nanny at its memory
limit, the OOM killer), by SIGTERM without a handler, or a machine's ``kill -9`` left
``keidesign-pareto-*`` folders behind (24 were found on one machine, session 41).

Where the cleanup can live, and why here:

* inside the run's output folder: a worker of a remote Dask scheduler does not see it
  (no shared file system), so the row could not run there at all;
* by the dying process (``atexit``, ``weakref.finalize``, a signal handler): SIGKILL
  runs no code in the process it kills;
* so by the next process that looks: each folder's name carries the process id and a
  key of the host that made it, ``keidesign-<kind>-<pid>.<host key>.<random>``
  (:func:`scratch_folder`, :func:`new_folder`: also the LocalCluster's TLS and work
  folders, ``tls`` and ``dask``), and :func:`sweep` removes the folders of this host and
  user whose process is gone. :func:`scratch_folder` sweeps before it makes its own (a
  worker's next task, on any run, cleans its dead siblings on that machine), and
  ``keidesign pareto`` / ``optimize`` sweep when a run ends (the client, on the machine
  of a LocalCluster's workers, cleans a worker killed in the last task).

A folder of a live process is never removed (``os.kill(pid, 0)`` finds it; a
process of another user counts as alive), nor one made on another host (a temp dir
shared over NFS) or in another process-id namespace of this host (a container started
with the host's name, ``docker run --network host -v /tmp:/tmp``, sees other process
ids: the "host key" hashes the host name and, on Linux, ``/proc/self/ns/pid``; before
audit s42a such a container's sweep removed a live run's folder), or owned by another
user, or not a folder (a file, a symbolic link: never followed). A reused process id
keeps a dead process's folder until that process ends too: late, never wrong. Folders
of the old name (``keidesign-pareto-<random>``, before session 41) carry no process id
and are left alone: remove them by hand when no keidesign run is going.

Since audit s43a the folders live in a private parent of this user's,
``<temp dir>/keidesign-<uid>/`` (made mode 0700; :func:`new_folder`), which is only used
and swept when, opened without following a link, it is a folder of this user of mode
0700 exactly: nobody else can add, rename or remove its entries, so its sweep is safe
whatever the temp dir's mode. If something else holds that name (a link, a file, a
folder of another user or mode: another user can make it first in a shared ``/tmp``),
the folders are made in the temp dir itself, as before, and that name is never swept
or followed.

The temp dir itself (folders made there before s43a, or as that fallback) is swept too,
unless another user can write it and it has no sticky bit (``chmod 1777``, as ``/tmp``):
there anyone may rename any entry, so a user's own folder renamed to a dead process's
name would be deleted by that user's sweep (audit s42a). Before s43a that left every
killed worker's folder of a user whose temp dir is group-writable (umask 002) for good.
Each sweep reads its folder through one open descriptor (``os.scandir`` of it, the
entries' ``lstat`` and ``shutil.rmtree`` relative to it, ``dir_fd``), so a name swapped
for a link after the checks still is not followed (``rmtree`` opens each level without
following links); a new folder is made through the checked parent's descriptor
(``mkdir`` with ``dir_fd``). Its time is linear in the folder's entries (~1.4 s for
100,000 folders of this pattern on a loaded 2-core machine).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import socket
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["PRIVATE_PREFIX", "host_key", "new_folder", "process_alive",
           "scratch_folder", "sweep"]

#: ``keidesign-<kind>-<pid>.<host key>.<mkdtemp's random part>``
_NAME = re.compile(r"^keidesign-[a-z]+-(\d+)\.([0-9a-f]{8})\.[^/]+$")

#: This user's private parent of scratch folders: ``<temp dir>/keidesign-<uid>``
PRIVATE_PREFIX = "keidesign-"

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _pid_namespace() -> str:
    """This process's process-id namespace (``pid:[<inode>]`` on Linux), '' where the
    system does not say (another OS, no ``/proc``)."""
    try:
        return os.readlink("/proc/self/ns/pid")
    except (OSError, ValueError):
        return ""


def host_key() -> str:
    """Eight hex digits (SHA-1) of this machine's host name and process-id namespace:
    any host name fits a folder name, a temp dir shared between machines keeps each
    machine's folders apart, and one shared between namespaces of a machine (containers
    with the host's name) keeps each namespace's, whose process ids differ."""
    text = socket.gethostname() + "\0" + _pid_namespace()
    return hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:8]


def _sweepable(st: os.stat_result, uid: int) -> bool:
    """True if no other user can rename entries of a folder of this ``stat``: its
    sticky bit is set, or it is this user's or root's and writable by neither group nor
    others."""
    if not stat.S_ISDIR(st.st_mode):
        return False
    if st.st_mode & stat.S_ISVTX:
        return True
    return st.st_uid in (uid, 0) and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def process_alive(pid: int) -> bool:
    """True if process ``pid`` exists on this machine (also one of another user)."""
    if pid <= 0:
        return True   # not a process of ours: never swept
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return True   # not a process id: never swept
    return True


def _private_fd(root: Path, create: bool) -> int | None:
    """A descriptor of this user's private parent ``<root>/keidesign-<uid>`` (made mode
    0700 if ``create`` and missing), or None if it is missing or fails the check: opened
    without following a link, and by ``fstat`` of that descriptor a folder of this user,
    mode 0700 exactly (audit s43a). The caller closes it."""
    uid = os.getuid()
    name = f"{PRIVATE_PREFIX}{uid}"
    try:
        top = os.open(root, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
    except OSError:
        return None
    try:
        made = False
        if create:
            try:
                os.mkdir(name, 0o700, dir_fd=top)
                made = True
            except FileExistsError:
                pass
            except OSError:
                return None
        try:
            fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | _CLOEXEC,
                         dir_fd=top)
        except OSError:   # missing, a link (ELOOP), a file (ENOTDIR), not ours to read
            return None
    finally:
        os.close(top)
    st = os.fstat(fd)
    if made and st.st_uid == uid and stat.S_IMODE(st.st_mode) != 0o700:
        os.fchmod(fd, 0o700)   # a umask such as 0277 took bits mkdir asked for
        st = os.fstat(fd)
    if (not stat.S_ISDIR(st.st_mode) or st.st_uid != uid
            or stat.S_IMODE(st.st_mode) != 0o700):
        os.close(fd)
        return None
    return fd


def _sweep_fd(fd: int, root: Path, key: str, uid: int) -> list[Path]:
    """Remove the dead processes' folders of this host and user in the folder open as
    ``fd`` (shown as ``root``), working through ``fd`` only."""
    gone: list[Path] = []
    with os.scandir(fd) as it:
        names = [e.name for e in it]
    for name in names:
        m = _NAME.match(name)
        if m is None or m.group(2) != key:
            continue
        try:
            st = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != uid:
            continue   # a link, a file, another user's
        if process_alive(int(m.group(1))):
            continue
        shutil.rmtree(name, ignore_errors=True, dir_fd=fd)
        try:
            os.stat(name, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            gone.append(root / name)
        except OSError:
            pass
    return gone


def sweep(where: str | Path | None = None) -> list[Path]:
    """Remove the scratch folders that this host and user made in processes no longer
    running, in ``where`` (default: the temp dir): those in this user's private parent
    ``<where>/keidesign-<uid>`` when it passes its check (opened without following a
    link: a folder of this user, mode 0700; never made here: :func:`new_folder`), and
    those in ``where`` itself (a fallback's, or made before audit s43a) unless others
    can write ``where`` without a sticky bit (:func:`_sweepable`). Returns the folders
    removed. A folder that cannot be read or removed is left (another sweep got it
    first, or it is not ours)."""
    root = Path(where if where is not None else tempfile.gettempdir())
    key, uid = host_key(), os.getuid()
    gone: list[Path] = []
    fd = _private_fd(root, create=False)
    if fd is not None:
        try:
            gone += _sweep_fd(fd, root / f"{PRIVATE_PREFIX}{uid}", key, uid)
        finally:
            os.close(fd)
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
    except OSError:
        return gone
    try:
        if _sweepable(os.fstat(fd), uid):
            gone += _sweep_fd(fd, root, key, uid)
    finally:
        os.close(fd)
    return gone


def new_folder(kind: str) -> Path:
    """A new folder ``keidesign-<kind>-<pid>.<host key>.<random>`` (mode 0700) in this
    user's private parent ``<temp dir>/keidesign-<uid>`` (made mode 0700 if missing),
    after a :func:`sweep`; the caller removes it. The folder is made through the
    descriptor of the checked parent (``mkdir`` with ``dir_fd``), so it is in that
    parent even if its name was swapped after the check, and its random part cannot be
    listed by others. If something else holds the parent's name (a link, a file, a
    folder of another user or mode) the folder is made in the temp dir itself
    (``tempfile.mkdtemp``, as before audit s43a) and that name is never swept.
    ``kind``: lower-case letters (``pareto``, ``start``, ``tls``, ``dask``)."""
    if not re.fullmatch(r"[a-z]+", kind):
        raise ValueError(f"scratch_folder kind {kind!r}: lower-case letters only")
    sweep()
    prefix = f"keidesign-{kind}-{os.getpid()}.{host_key()}."
    root = Path(tempfile.gettempdir())
    fd = _private_fd(root, create=True)
    if fd is None:
        return Path(tempfile.mkdtemp(prefix=prefix))
    try:
        for _ in range(100):
            name = prefix + secrets.token_hex(6)
            try:
                os.mkdir(name, 0o700, dir_fd=fd)
            except FileExistsError:
                continue
            return root / f"{PRIVATE_PREFIX}{os.getuid()}" / name
        raise FileExistsError(f"no free scratch folder name in {root}")
    finally:
        os.close(fd)


@contextmanager
def scratch_folder(kind: str) -> Iterator[Path]:
    """A :func:`new_folder` removed when the block ends."""
    path = new_folder(kind)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
