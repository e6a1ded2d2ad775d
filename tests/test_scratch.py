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
    assert folder.parent == tmp and (folder / "row.sql").is_file()   # the leak
    return folder


def test_killed_worker_folder_swept_by_next_task_and_by_sweep(tmpdir_):
    dead = _killed_worker(tmpdir_)
    assert dead.name.startswith("keidesign-pareto-")
    # the next task on this machine sweeps it before making its own
    with scratch.scratch_folder("pareto") as mine:
        assert not dead.exists()
        assert mine.is_dir() and mine.parent == tmpdir_
        (mine / "row.sql").write_bytes(b"y")
        # a live process's folder (this one's) is never swept
        assert scratch.sweep() == [] and mine.is_dir()
    assert list(tmpdir_.iterdir()) == []   # and it removes its own at the end
    dead = _killed_worker(tmpdir_)
    assert scratch.sweep(tmpdir_) == [dead] and list(tmpdir_.iterdir()) == []


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
    assert list(tmpdir_.iterdir()) == []
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
