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
  (:func:`scratch_folder`), and :func:`sweep` removes the folders of this host and
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

A temp dir that another user can write and that has no sticky bit (``chmod 1777``, as
``/tmp``) is not swept: there anyone may rename any entry, so a user's own folder
renamed to a dead process's name would be deleted by that user's sweep (audit s42a).
The sweep reads the temp dir through one open descriptor (``os.scandir`` of it, the
entries' ``lstat`` and ``shutil.rmtree`` relative to it, ``dir_fd``), so a name swapped
for a link after the checks still is not followed (``rmtree`` opens each level without
following links). Its time is linear in the temp dir's entries (~1.4 s for 100,000
folders of this pattern on a loaded 2-core machine).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["host_key", "process_alive", "scratch_folder", "sweep"]

#: ``keidesign-<kind>-<pid>.<host key>.<mkdtemp's random part>``
_NAME = re.compile(r"^keidesign-[a-z]+-(\d+)\.([0-9a-f]{8})\.[^/]+$")


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


def sweep(where: str | Path | None = None) -> list[Path]:
    """Remove the scratch folders in ``where`` (default: the temp dir) that this host
    and user made in processes no longer running; returns the folders removed. A
    folder that cannot be read or removed is left (another sweep got it first, or it is
    not ours); nothing is removed from a folder others can write without a sticky bit
    (:func:`_sweepable`)."""
    root = Path(where if where is not None else tempfile.gettempdir())
    key, uid = host_key(), os.getuid()
    gone: list[Path] = []
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return gone
    try:
        if not _sweepable(os.fstat(fd), uid):
            return gone
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
    finally:
        os.close(fd)
    return gone


@contextmanager
def scratch_folder(kind: str) -> Iterator[Path]:
    """A new folder ``keidesign-<kind>-<pid>.<host key>.*`` in the temp dir (mode 0700,
    ``tempfile.mkdtemp``), removed when the block ends; the dead processes' folders are
    swept first (:func:`sweep`). ``kind``: lower-case letters (``pareto``, ``start``)."""
    if not re.fullmatch(r"[a-z]+", kind):
        raise ValueError(f"scratch_folder kind {kind!r}: lower-case letters only")
    sweep()
    path = Path(tempfile.mkdtemp(prefix=f"keidesign-{kind}-{os.getpid()}.{host_key()}."))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
