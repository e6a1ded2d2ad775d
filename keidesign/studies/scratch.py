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
shared over NFS) or owned by another user. A reused process id keeps a dead process's
folder until that process ends too: late, never wrong. Folders of the old name
(``keidesign-pareto-<random>``, before session 41) carry no process id and are left
alone: remove them by hand when no keidesign run is going.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["host_key", "process_alive", "scratch_folder", "sweep"]

#: ``keidesign-<kind>-<pid>.<host key>.<mkdtemp's random part>``
_NAME = re.compile(r"^keidesign-[a-z]+-(\d+)\.([0-9a-f]{8})\.[^/]+$")


def host_key() -> str:
    """Eight hex digits of this machine's host name (SHA-1): any host name fits a folder
    name, and a temp dir shared between machines keeps each machine's folders apart."""
    return hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


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
    not ours)."""
    root = Path(where if where is not None else tempfile.gettempdir())
    key, uid = host_key(), os.getuid()
    gone = []
    try:
        entries = list(root.glob("keidesign-*-*.*.*"))
    except OSError:
        return gone
    for p in entries:
        m = _NAME.match(p.name)
        if m is None or m.group(2) != key:
            continue
        try:
            st = p.lstat()
        except OSError:
            continue
        if not p.is_dir() or p.is_symlink() or st.st_uid != uid:
            continue
        if process_alive(int(m.group(1))):
            continue
        shutil.rmtree(p, ignore_errors=True)
        if not p.exists():
            gone.append(p)
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
