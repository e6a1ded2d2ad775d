"""A study task's scratch folder (keidesign.studies.scratch): a worker killed mid-task
leaves nothing behind once another task, or the run's end, has looked (task s41e)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from keidesign.studies import scratch

ROOT = Path(__file__).resolve().parents[1]

#: a "worker" that makes its row folder, writes the recorder's file and is killed by
#: SIGKILL inside the block (no finally, no atexit runs)
KILLED = """
import os, signal, sys
from keidesign.studies.scratch import scratch_folder
with scratch_folder("pareto") as d:
    (d / "row.sql").write_bytes(b"x" * 1000)
    print(d, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.fixture
def tmpdir_(tmp_path, monkeypatch):
    """The temp dir of this process and its children: ``tmp_path``."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def _killed_worker(tmp: Path) -> Path:
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-c", KILLED], env=env, capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == -signal.SIGKILL, p.stderr
    folder = Path(p.stdout.strip())
    assert folder.parent == _private(tmp) and (folder / "row.sql").is_file()   # the leak
    return folder


def _private(tmp: Path) -> Path:
    """This user's private parent of scratch folders in ``tmp`` (audit s43a)."""
    return tmp / f"keidesign-{os.getuid()}"


def test_killed_worker_folder_swept_by_next_task_and_by_sweep(tmpdir_):
    dead = _killed_worker(tmpdir_)
    assert dead.name.startswith("keidesign-pareto-")
    # the next task on this machine sweeps it before making its own
    with scratch.scratch_folder("pareto") as mine:
        assert not dead.exists()
        assert mine.is_dir() and mine.parent == _private(tmpdir_)
        (mine / "row.sql").write_bytes(b"y")
        # a live process's folder (this one's) is never swept
        assert scratch.sweep() == [] and mine.is_dir()
    assert list(_private(tmpdir_).iterdir()) == []   # and it removes its own at the end
    dead = _killed_worker(tmpdir_)
    assert scratch.sweep(tmpdir_) == [dead] and list(_private(tmpdir_).iterdir()) == []


def test_sweep_leaves_what_is_not_a_dead_process_of_this_host(tmpdir_):
    key = scratch.host_key()
    other_host = "0" * 8 if key != "0" * 8 else "1" * 8
    keep = [tmpdir_ / f"keidesign-pareto-{os.getpid()}.{key}.abc",      # alive
            tmpdir_ / f"keidesign-pareto-{os.getppid()}.{key}.abc",     # alive
            tmpdir_ / "keidesign-pareto-x1y2z3",                         # old name
            tmpdir_ / "keidesign-report-abc"]                            # not a task's
    dead = _killed_worker(tmpdir_)
    pid = int(dead.name.split("-")[2].split(".")[0])
    keep.append(tmpdir_ / f"keidesign-pareto-{pid}.{other_host}.abc")     # other host
    for k in keep:
        k.mkdir()
    link = tmpdir_ / f"keidesign-start-{pid}.{key}.lnk"
    link.symlink_to(keep[-1], target_is_directory=True)                   # not a folder
    assert scratch.sweep() == [dead]
    assert all(k.is_dir() for k in keep) and link.is_symlink()
    assert not scratch.process_alive(pid) and scratch.process_alive(os.getpid())


def test_a_block_that_raises_removes_its_folder(tmpdir_):
    with pytest.raises(RuntimeError), scratch.scratch_folder("start") as d:
        (d / "run.sql").write_bytes(b"z")
        raise RuntimeError("a failed start")
    assert list(_private(tmpdir_).iterdir()) == []
    with pytest.raises(ValueError), scratch.scratch_folder("Pareto-1"):
        pass


def test_the_tasks_use_the_scratch_folder():
    """Every study task that writes files: no ``TemporaryDirectory`` left in them."""
    for name in ("pareto.py", "optimize.py", "outputs.py"):
        text = (ROOT / "keidesign" / "studies" / name).read_text(encoding="utf-8")
        assert "TemporaryDirectory" not in text and "mkdtemp" not in text, name
        assert "scratch_folder(" in text, name


def test_closing_a_local_cluster_sweeps_its_killed_workers_folders(tmpdir_):
    """A LocalCluster's worker killed inside its last task (the nanny kills a worker
    still in a task 4 s after a Ctrl-C): the client sweeps when the cluster is closed."""
    from keidesign.studies.runner import DaskRunner

    class Cluster:
        closed = False

        def close(self):
            Cluster.closed = True

    dead = _killed_worker(tmpdir_)
    r = object.__new__(DaskRunner)   # the cluster's part of close() only
    r._ready, r._client, r._cluster = None, None, Cluster()
    r.close()
    assert Cluster.closed and not dead.exists()


def _unshare_pid() -> list[str]:
    """``unshare -pf`` (a new process-id namespace) if this machine lets this user make
    one, else skip."""
    cmd = ["unshare", "-pf"]
    try:
        ok = subprocess.run([*cmd, "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    if not ok:
        cmd = ["unshare", "-pfr"]   # an unprivileged user: with a user namespace
        try:
            ok = subprocess.run([*cmd, "true"], capture_output=True,
                                timeout=30).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
    if not ok:
        pytest.skip("no unshare of a process-id namespace on this machine")
    return cmd


def test_a_sweep_in_another_pid_namespace_leaves_a_live_runs_folder(tmpdir_):
    """Audit s42a: a container with this host's name and temp dir (``docker run
    --network host -v /tmp:/tmp``) sees other process ids: its sweep removed a live
    run's folder (this process's pid is not alive in the container's namespace)."""
    cmd = _unshare_pid()
    env = {**os.environ, "TMPDIR": str(tmpdir_), "PYTHONPATH": str(ROOT)}
    with scratch.scratch_folder("pareto") as mine:
        (mine / "row.sql").write_bytes(b"live")
        p = subprocess.run([*cmd, sys.executable, "-c",
                            "from keidesign.studies import scratch; print(scratch.sweep())"],
                           env=env, capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        assert p.stdout.strip() == "[]" and (mine / "row.sql").read_bytes() == b"live"
    # a folder the container's killed worker left: not this namespace's to sweep, and
    # the container's own next sweep removes it (one namespace: one unshare)
    inner = ("import subprocess, sys; from keidesign.studies import scratch; "
             "p = subprocess.run([sys.executable, '-c', sys.argv[1]], capture_output=True,"
             " text=True); print(p.stdout.strip()); print(scratch.sweep())")
    p = subprocess.run([*cmd, sys.executable, "-c", inner, KILLED], env=env,
                       capture_output=True, text=True, timeout=60)
    folder, swept = p.stdout.splitlines()
    assert swept == f"[PosixPath('{folder}')]" and not Path(folder).exists(), p.stderr
    p = subprocess.run([*cmd, sys.executable, "-c",
                        "import subprocess, sys; print(subprocess.run([sys.executable, '-c',"
                        " sys.argv[1]], capture_output=True, text=True).stdout.strip())",
                        KILLED], env=env, capture_output=True, text=True, timeout=60)
    left = Path(p.stdout.strip())
    assert left.is_dir() and scratch.sweep() == [] and left.is_dir()


@pytest.mark.parametrize("mode, swept", [(0o777, False), (0o775, False), (0o1777, True),
                                         (0o755, True), (0o700, True)])
def test_a_temp_dir_others_can_rename_in_is_not_swept(tmp_path, mode, swept):
    """Audit s42a: in a temp dir others can write without the sticky bit, anyone may
    rename any entry: a user's own folder renamed to a dead process's name was deleted,
    contents and all, by that user's next sweep. Since audit s43a the dead worker's own
    folder is in the user's private parent, swept in every mode."""
    root = tmp_path / "tmp"
    root.mkdir()
    notes = root / "my-notes"
    notes.mkdir()
    (notes / "thesis.txt").write_text("years of work", encoding="utf-8")
    dead = _killed_worker(root)
    planted = root / f"keidesign-pareto-{dead.name.split('-')[2].split('.')[0]}" \
                     f".{scratch.host_key()}.renamed"
    os.rename(notes, planted)   # what another user can do in a 0777 folder
    root.chmod(mode)
    try:
        gone = scratch.sweep(root)
    finally:
        root.chmod(0o700)
    assert sorted(gone) == (sorted([dead, planted]) if swept else [dead])
    assert planted.exists() is not swept and not dead.exists()


def test_sweep_leaves_files_links_and_huge_process_ids(tmpdir_):
    """A file of the pattern, a link to a dead folder's sibling, a process id of 200
    digits (``os.kill``'s OverflowError): left as they are, never followed."""
    key = scratch.host_key()
    target = tmpdir_ / "target"
    target.mkdir()
    (target / "keep.txt").write_text("x", encoding="utf-8")
    dead = _killed_worker(tmpdir_)
    pid = dead.name.split("-")[2].split(".")[0]
    afile = tmpdir_ / f"keidesign-step-{pid}.{key}.file"
    afile.write_text("f", encoding="utf-8")
    link = tmpdir_ / f"keidesign-step-{pid}.{key}.link"
    link.symlink_to(target, target_is_directory=True)
    huge = tmpdir_ / f"keidesign-step-{'9' * 200}.{key}.big"
    huge.mkdir()
    assert scratch.sweep() == [dead]
    assert afile.is_file() and link.is_symlink() and huge.is_dir()
    assert (target / "keep.txt").read_text(encoding="utf-8") == "x"
