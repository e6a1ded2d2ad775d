"""Hostile local users, round eleven (audit s43a; docs/security.md): the scratch folders
of a user whose temp dir others can write (umask 002), the LocalCluster's TLS folder of
a killed run, and results folders (``--out``) that other users can write or own
(OpenSSH's StrictModes). Each test of a fix fails on 912619a; the guards say so.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_scratch import ROOT, _killed_worker, _private

from keidesign.cli import main
from keidesign.errors import InputError
from keidesign.studies import scratch
from keidesign.studies.resultsdir import results_dir

ROOT_ONLY = pytest.mark.skipif(os.getuid() != 0,
                               reason="only root can give a folder to another user")


@pytest.fixture
def tmpdir_(tmp_path, monkeypatch):
    """The temp dir of this process and its children: ``tmp_path/tmp``."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setenv("TMPDIR", str(root))
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    yield root
    root.chmod(0o700)


def _dead_pid() -> int:
    """The process id of a process that has ended."""
    p = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                       capture_output=True, text=True, check=True)
    return int(p.stdout)


# ------------------------------------------------------------------------- scratch folders


@pytest.mark.parametrize("mode", [0o775, 0o777, 0o770])
def test_a_killed_workers_folder_is_swept_in_a_temp_dir_others_can_write(tmpdir_, mode):
    """Round 10 stopped sweeping a temp dir others can write without a sticky bit (there
    anyone may rename entries), so a umask-002 user's ``TMPDIR`` (0775) kept every killed
    worker's ``keidesign-pareto-*`` folder. The folders now live in the user's private
    parent ``<tmp>/keidesign-<uid>`` (0700, nobody else can add or rename entries), which
    is swept whatever the temp dir's mode."""
    dead = _killed_worker(tmpdir_)
    tmpdir_.chmod(mode)
    parent = _private(tmpdir_)
    assert stat.S_IMODE(parent.lstat().st_mode) == 0o700
    with scratch.scratch_folder("pareto") as mine:
        assert mine.parent == parent and not dead.exists()
        assert stat.S_IMODE(mine.lstat().st_mode) == 0o700
    assert list(parent.iterdir()) == []


def _bad_parent(root: Path, how: str) -> Path:
    """``root/keidesign-<uid>`` made to fail its check (``how``); returns a folder of a
    dead process's name that a sweep of it would remove."""
    name = f"keidesign-pareto-{_dead_pid()}.{scratch.host_key()}.x"
    parent = _private(root)
    if how == "file":
        parent.write_text("not a folder", encoding="utf-8")
        return root / "none"
    if how == "link":   # to a folder of this user's, mode 0700, holding a dead-pid name
        target = root.parent / "mine"
        target.mkdir(mode=0o700)
        (target / name).mkdir()
        parent.symlink_to(target, target_is_directory=True)
        return target / name
    parent.mkdir(mode=0o700)
    (parent / name).mkdir()
    if how == "mode":
        parent.chmod(0o755)
    elif how == "owner":
        os.chown(parent, 65534, -1)
    return parent / name


@pytest.mark.parametrize("how", ["file", "link", "mode",
                                 pytest.param("owner", marks=ROOT_ONLY)])
def test_a_private_parent_that_fails_its_check_is_neither_used_nor_swept(tmpdir_, how):
    """Guard (the private parent is new in s43a): a link, a file, a folder of another
    mode or of another user in its place is left as it is, never followed or swept; the
    scratch folder is made in the temp dir itself, as before."""
    kept = _bad_parent(tmpdir_, how)
    with scratch.scratch_folder("start") as mine:
        assert mine.parent == tmpdir_ and mine.name.startswith("keidesign-start-")
        assert scratch.sweep() == []
    if how != "file":
        assert kept.is_dir()
    assert _private(tmpdir_).exists() or _private(tmpdir_).is_symlink()


def test_a_killed_runs_tls_folder_is_swept(tmpdir_):
    """The LocalCluster's credentials made by ``openssl`` (when ``cryptography`` is not
    installed) were in ``<tmp>/keidesign-tls-<random>``, deleted only when the cluster
    closed: a killed client left the run's key and certificates there for good (no sweep
    knew the name). Now the folder is a scratch folder of the client's process, in the
    private parent: swept once that process is gone. Only this user can read it."""
    code = ("import os, signal; from keidesign.studies.runner import local_security\n"
            "sec, folder = local_security()\nprint(folder, flush=True)\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n")
    env = {**os.environ, "TMPDIR": str(tmpdir_), "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == -signal.SIGKILL, p.stderr
    if p.stdout.strip() == "None":
        pytest.skip("credentials in memory (cryptography) or no TLS on this machine")
    folder = Path(p.stdout.strip())
    assert folder.parent == _private(tmpdir_) and folder.name.startswith("keidesign-tls-")
    assert {"ca.pem", "k.key", "k.pem"} <= set(os.listdir(folder))
    assert "ca.key" not in os.listdir(folder)
    for f in (folder, folder.parent):
        assert stat.S_IMODE(f.lstat().st_mode) == 0o700
    assert scratch.sweep() == [folder] and not folder.exists()


# ---------------------------------------------------------------------- results folders


def _refusal(out: Path, mode: int, uid: int, why: str) -> str:
    return (f"{out}: --out = a folder of mode {mode:04o} owned by uid {uid}: {why}, so "
            "another user can put files in it beside or in place of the run's results, "
            "its resume state (cases.sqlite and its write-ahead log) and the optimizer's "
            "recorder; allowed: a folder of yours that only you can write (chmod go-w "
            f"{str(out)!r}), or another --out folder")


STICKY = " (the sticky bit keeps only their renames out)"


@pytest.mark.parametrize("mode, why", [
    (0o777, "its group and all users can write it"),
    (0o775, "its group can write it"),
    (0o2775, "its group can write it"),
    (0o757, "all users can write it"),
    (0o1777, "its group and all users can write it" + STICKY),
    (0o1770, "its group can write it" + STICKY)])
@pytest.mark.parametrize("how", ["plain", "overwrite", "resume"])
def test_an_out_folder_others_can_write_is_refused(tmp_path, mode, why, how):
    """An ``--out`` folder that other users can write was used (round 10 checked only
    the result folders in it): they could rename the run's ``cases.sqlite``,
    ``results.json`` or recorder away after it was written and put theirs (or a link) in
    its place, and even with the sticky bit create a name the run had not made yet (a
    ``cases.sqlite-wal``, which SQLite replays into the store:
    :func:`test_sqlite_replays_a_planted_write_ahead_log`). Refused like OpenSSH's
    StrictModes, in every mode, before the lock file is made in it."""
    out = tmp_path / "res"
    out.mkdir()
    out.chmod(mode)
    with pytest.raises(InputError) as exc, results_dir(
            out, command="optimize" if how == "plain" else "sweep",
            overwrite=how == "overwrite", resume=how == "resume"):
        pass
    assert str(exc.value) == _refusal(out, mode, os.getuid(), why)
    assert os.listdir(out) == []


def test_sqlite_replays_a_planted_write_ahead_log(tmp_path):
    """Why a sticky folder others can write is refused too: a ``<store>-wal`` that
    another user puts beside a case store (made from a copy of the store, readable under
    umask 022) is replayed into it by SQLite when the store is next opened. Round 10
    refuses such a file at the run's start; a folder only you can write has no window
    between that check and SQLite's open."""
    import shutil
    import sqlite3

    store, theirs = tmp_path / "cases.sqlite", tmp_path / "copy.sqlite"
    con = sqlite3.connect(store)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE t (x)")
    con.execute("INSERT INTO t VALUES ('ours')")
    con.commit()
    con.close()
    shutil.copy(store, theirs)
    con = sqlite3.connect(theirs)
    con.execute("PRAGMA wal_autocheckpoint=0")
    con.execute("INSERT INTO t VALUES ('forged')")
    con.commit()
    shutil.copy(tmp_path / "copy.sqlite-wal", tmp_path / "cases.sqlite-wal")
    con.close()
    con = sqlite3.connect(store)
    assert [r[0] for r in con.execute("SELECT x FROM t")] == ["ours", "forged"]
    con.close()


@ROOT_ONLY
def test_an_out_folder_of_another_user_is_refused(tmp_path):
    """An ``--out`` folder of another user (mode 0755: only they can write it, but root
    can too) was used: its owner can replace whatever the run writes in it."""
    out = tmp_path / "theirs"
    out.mkdir(mode=0o755)
    os.chown(out, 65534, -1)
    with pytest.raises(InputError) as exc, results_dir(out, command="sweep", resume=True):
        pass
    assert str(exc.value) == _refusal(out, 0o755, 65534, "another user owns it (uid 65534)")


def test_the_command_line_refuses_such_an_out_in_one_line(tmp_path, capsys):
    """The refusal is one line and exit 2 (before any case runs)."""
    out = tmp_path / "shared"
    out.mkdir()
    out.chmod(0o777)
    study = ROOT / "studies" / "feasibility_crush_height.toml"
    assert main(["sweep", str(study), "--serial", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["keidesign: error: " + _refusal(
        out, 0o777, os.getuid(), "its group and all users can write it")]


@pytest.mark.parametrize("mode", [0o755, 0o700, 0o750, 0o1755])
def test_an_out_folder_only_you_can_change_is_used(tmp_path, mode):
    """Guard: a folder of yours that only you can write is used as before."""
    out = tmp_path / "res"
    out.mkdir()
    out.chmod(mode)
    with results_dir(out, command="sweep") as got:
        assert got == out


@contextmanager
def _umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def test_a_results_folder_made_under_umask_002_is_used_again(tmp_path):
    """Guard (ship rule): with umask 002 a new ``--out`` (and its missing parents' last
    folder) would be 0775, which the check refuses; keidesign makes it 0755
    (``resultsdir.FOLDER_MODE``), so the next run takes it."""
    out = tmp_path / "a" / "res"
    with _umask(0o002):
        with results_dir(out, command="sweep"):
            pass
        assert stat.S_IMODE(out.stat().st_mode) == 0o755
        with results_dir(out, command="sweep", resume=True):
            pass


@pytest.mark.parametrize("how", ["plain", "resume"])
def test_a_result_folder_others_can_write_is_refused(tmp_path, how):
    """The run writes its files in ``runs/``, ``step/``, ``pareto_designs/`` and
    OpenMDAO's ``optimization_out/``: one of yours that others can write (a run under
    umask 002 made them 0775) is refused like ``--out``; ``--overwrite`` deletes it."""
    out = tmp_path / "res"
    runs = out / "runs"
    runs.mkdir(parents=True)
    runs.chmod(0o775)
    (runs / "row_000.sql").write_bytes(b"an earlier row")
    if how == "plain":   # an earlier result: said first
        with pytest.raises(InputError, match=r"already holds the results of an earlier "
                                             r"run \(runs/\)"), \
                results_dir(out, command="pareto"):
            pass
        (runs / "row_000.sql").unlink()   # an empty folder is no earlier result
    with pytest.raises(InputError) as exc, results_dir(
            out, command="pareto", resume=how == "resume"):
        pass
    assert str(exc.value).startswith(
        f"{runs}: result folder = a folder of mode 0775 owned by uid {os.getuid()}: its "
        "group can write it, so another user can put files in it")
    (runs / "row_000.sql").write_bytes(b"an earlier row")
    with results_dir(out, command="pareto", overwrite=True):
        assert not runs.exists()


def test_the_local_clusters_work_folders_are_this_runs_own(tmpdir_):
    """The LocalCluster's scheduler and workers kept their work folders (a worker's
    spilled task data is pickled there and read back) in Dask's default, the shared
    ``<tmp>/dask-scratch-space``, which Dask uses when it can write it: a folder another
    user made (0777) could have the worker's folder renamed and replaced by theirs. Now
    they are in the run's scratch folder (``keidesign-dask-*`` in the private parent),
    removed when the cluster closes and swept if the run is killed."""
    pytest.importorskip("distributed")
    from keidesign.studies.runner import DaskRunner

    r = DaskRunner(workers=1)
    try:
        client = r.client
        dirs = list(client.run(lambda dask_worker: dask_worker.local_directory).values())
        dirs.append(client.run_on_scheduler(lambda dask_scheduler:
                                            dask_scheduler.local_directory))
    finally:
        r.close()
    assert len(dirs) == 2
    works = {Path(d).relative_to(tmpdir_).parts[:2] for d in dirs}
    assert len(works) == 1, dirs
    parent, work = works.pop()
    assert parent == _private(tmpdir_).name and work.startswith("keidesign-dask-"), dirs
    assert not (tmpdir_ / parent / work).exists()
    assert not (tmpdir_ / "dask-scratch-space").exists()
