"""Issue 12 (security and robustness) for ``keidesign optimize | sweep | pareto``.

Every check goes through the real CLI (``keidesign.cli.main``): bad input is exit status 2
and exactly one stderr line ``keidesign: error: ...`` naming the file, field or value and
what is allowed, never a traceback.

* limits on the work a study asks for (counted before any case list exists);
* a case store that is not one (garbage, truncated) under ``--resume``;
* an ``--out`` that cannot be a folder;
* ``--scheduler``: malformed addresses, a closed port and a server that never answers
  (loopback only: 127.0.0.1);
* results folders: no silent overwrite (``--overwrite``, ``--resume``) and a lock against
  two runs writing one folder.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import textwrap
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from conftest import ROOT

from keidesign.cli import main

STUDIES = ROOT / "studies"
MAP = STUDIES / "feasibility_crush_height.toml"
TALLBOY = STUDIES / "tallboy_ice_min_mass.toml"
PARETO = STUDIES / "pareto_mass_mpg_frontal.toml"
NBOX = STUDIES / "designs" / "nbox_class.toml"


def _one_error(capsys) -> str:
    """The single stderr line of a refused command (asserted: one line, no traceback)."""
    err = capsys.readouterr().err
    assert err.startswith("keidesign: error: "), err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err
    return err.strip()


def _study(tmp_path: Path, extra: str, *, objective: bool = True) -> Path:
    """A small study file: one or two continuous variables on the N-Box-class design."""
    text = textwrap.dedent(f"""
        [study]
        name = "security"
        design = "{NBOX}"

        [[variable]]
        name = "crash.front.crush_length"
        lower = 600
        upper = 900

        [[variable]]
        name = "body.height"
        lower = 1700
        upper = 1800
    """)
    if objective:
        text += '\n[objective]\nname = "mass:curb"\n'
    text += '\n[[constraint]]\nid = "fmvss:fmvss208.crush_space"\n'
    path = tmp_path / "study.toml"
    path.write_text(text + textwrap.dedent(extra))
    return path


@pytest.fixture
def no_case_lists(monkeypatch):
    """Fail the test if a case list or start list is made (the count must come first)."""
    import keidesign.studies.optimize as opt
    import keidesign.studies.sweep as sw

    def boom(*_a, **_k):
        raise AssertionError("a case list was materialised before the limit check")

    monkeypatch.setattr(sw, "generate_cases", boom)
    monkeypatch.setattr(opt, "start_points", boom)


# --------------------------------------------------------------------------- 1. limits


def test_sweep_of_1e18_map_cases_refused_at_once(tmp_path, capsys, no_case_lists):
    t0 = time.perf_counter()
    tracemalloc.start()
    try:
        rc = main(["sweep", str(MAP), "--out", str(tmp_path / "o"), "--serial",
                   "--set", "sweep.levels=1000000000"])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rc == 2
    err = _one_error(capsys)
    assert str(MAP) in err and "sweep.levels 1000000000 x 1000000000 (map)" in err
    assert f"{10**18} cases exceed the limit of 200000 cases" in err
    assert f"--max-cases {10**18}" in err and "reduce sweep.levels" in err
    assert peak < 64 * 2**20, peak  # no case list: a few MB for reading the study
    assert time.perf_counter() - t0 < 30
    assert not (tmp_path / "o").exists()  # refused before the folder is made


def test_sweep_levels_table_times_discrete_combinations(tmp_path, capsys, no_case_lists):
    path = _study(tmp_path, """
        [[variable]]
        name = "crash.front.material"
        values = ["dp_590", "dp_780", "hsla_340"]

        [sweep]
        levels = { "crash.front.crush_length" = 1000000000, "body.height" = 1000 }
    """)
    assert main(["sweep", str(path), "--out", str(tmp_path / "o"), "--serial"]) == 2
    err = _one_error(capsys)
    assert "sweep.levels 1000000000 x 1000 x 3 discrete combinations" in err
    assert f"{3 * 10**12} cases exceed the limit of 200000 cases" in err
    assert "the discrete [[variable]] values" in err


def test_lhs_of_1e9_samples_refused(tmp_path, capsys, no_case_lists):
    path = _study(tmp_path, "[sweep]\nmethod = 'lhs'\nsamples = 1000000000\n")
    assert main(["sweep", str(path), "--out", str(tmp_path / "o"), "--serial"]) == 2
    err = _one_error(capsys)
    assert "sweep.samples 1000000000: 1000000000 cases exceed the limit" in err
    assert "reduce sweep.samples" in err and "--max-cases 1000000000" in err


def test_multistart_of_1e7_refused(tmp_path, capsys, no_case_lists):
    rc = main(["optimize", str(TALLBOY), "--out", str(tmp_path / "o"), "--serial",
               "--set", "driver.multistart=10000000"])
    assert rc == 2
    err = _one_error(capsys)
    # 4 rail grades x (1 + 10^7) starts
    assert "driver.multistart = 10000000" in err
    assert "40000004 starts exceed the limit of 1000 starts" in err
    assert "--max-cases 40000004" in err


def test_pareto_grid_refused(tmp_path, capsys):
    rc = main(["pareto", str(PARETO), "--out", str(tmp_path / "o"), "--serial",
               "--set", "pareto.points=1000000"])
    assert rc == 2
    err = _one_error(capsys)
    assert f"{3 + 10**12} optimizations exceed the limit of 1000" in err
    assert "reduce pareto.points" in err


@pytest.mark.parametrize("value", ["0", "-3", "many", "1e9", ""])
def test_bad_max_cases_is_one_line(tmp_path, capsys, value):
    rc = main(["sweep", str(MAP), "--out", str(tmp_path / "o"), "--serial",
               "--max-cases", value])
    assert rc == 2
    err = _one_error(capsys)
    assert f"--max-cases {value!r}: not allowed; allowed: a whole number >= 1" in err


def test_max_cases_lets_a_known_run_proceed(tmp_path, capsys):
    """A 4-case sweep: refused under --max-cases 3, run with --max-cases 4; then the
    folder holds results: refused without --resume/--overwrite, --overwrite runs again."""
    out = tmp_path / "o"
    args = ["sweep", str(MAP), "--out", str(out), "--serial", "--no-progress",
            "--set", "sweep.levels=2", "--set", "sweep.chunk=4"]
    assert main([*args, "--max-cases", "3"]) == 2
    err = _one_error(capsys)
    assert "4 cases exceed the limit of 3 cases (--max-cases)" in err
    assert main([*args, "--max-cases", "4"]) == 0
    assert "4 cases (4 run now" in capsys.readouterr().out
    # 3. the folder now holds results of that run
    assert main(args) == 2
    err = _one_error(capsys)
    assert f"{out}: already holds the results of an earlier run (" in err
    assert "cases.csv" in err and "cases.sqlite" in err and "summary.json" in err
    assert "--resume" in err and "--overwrite" in err
    assert main([*args, "--resume"]) == 0
    assert "(0 run now, 4 already recorded)" in capsys.readouterr().out
    assert main([*args, "--overwrite"]) == 0
    assert "4 cases (4 run now" in capsys.readouterr().out


def test_cli_help_defaults_match_the_limits():
    from keidesign.studies.commands import __doc__ as doc
    from keidesign.studies.optimize import MAX_STARTS
    from keidesign.studies.pareto import MAX_RUNS
    from keidesign.studies.sweep import MAX_CASES

    assert (MAX_CASES, MAX_STARTS, MAX_RUNS) == (200_000, 1_000, 1_000)
    assert "default 200,000" in doc and "default 1,000" in doc


def test_counts_match_the_generated_lists():
    from keidesign.studies.optimize import start_count, start_points
    from keidesign.studies.pareto import run_count
    from keidesign.studies.spec import load_study
    from keidesign.studies.sweep import case_count, generate_cases, task_count

    s = load_study(MAP, ["sweep.levels=3", "sweep.chunk=4"])
    assert case_count(s) == len(generate_cases(s)) == 9 and task_count(s) == 3
    t = load_study(TALLBOY, ["driver.multistart=2"])
    assert start_count(t) == len(start_points(t)) == 12
    assert run_count(load_study(PARETO, ["pareto.points=4"])) == 3 + 16


# --------------------------------------------------------------------------- 2. one line


def _real_store(path: Path, n: int = 300) -> None:
    from keidesign.studies.store import CaseStore

    with CaseStore(path, "f") as st:
        st.add([{"hash": f"{i:020d}", "seq": i, "status": "ok", "inputs": {"a": i},
                 "outputs": {"y": "x" * 400}, "message": ""} for i in range(n)])


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_resume_on_a_broken_case_store(tmp_path, capsys, damage):
    out = tmp_path / "o"
    out.mkdir()
    db = out / "cases.sqlite"
    if damage == "garbage":
        db.write_bytes(b"not a database" * 100)
    else:
        _real_store(db)
        data = db.read_bytes()
        db.write_bytes(data[:len(data) // 2])
    before = db.read_bytes()
    args = ["sweep", str(MAP), "--out", str(out), "--serial", "--set", "sweep.levels=2"]
    assert main([*args, "--resume"]) == 2
    err = _one_error(capsys)
    assert f"{db}: not a keidesign case store" in err
    assert "move it away or choose another --out folder" in err
    # without --resume the file counts as an earlier result: refused, not replaced
    assert main(args) == 2
    assert "already holds the results of an earlier run (cases.sqlite)" in _one_error(capsys)
    assert db.read_bytes() == before


def test_another_programs_database_is_not_used(tmp_path, capsys):
    import sqlite3

    out = tmp_path / "o"
    out.mkdir()
    con = sqlite3.connect(out / "cases.sqlite")
    con.execute("CREATE TABLE accounts (name TEXT)")
    con.commit()
    con.close()
    assert main(["sweep", str(MAP), "--out", str(out), "--serial", "--resume",
                 "--set", "sweep.levels=2"]) == 2
    err = _one_error(capsys)
    assert "not a keidesign case store" in err and "tables accounts" in err


@pytest.mark.parametrize("kind", ["file", "proc", "devnull"])
@pytest.mark.parametrize("cmd", ["sweep", "optimize"])
def test_out_that_cannot_be_a_folder(tmp_path, capsys, kind, cmd):
    if kind == "file":
        out = tmp_path / "results.txt"
        out.write_text("keep me")
        reason = "exists and is not a folder"
    elif kind == "proc":
        if not Path("/proc").is_dir():
            pytest.skip("no /proc")
        out = Path("/proc/keidesign_out")
        reason = "cannot create a folder in /proc"
    else:
        out = Path("/dev/null/x")
        reason = "/dev/null is not a folder"
    study = MAP if cmd == "sweep" else _study(tmp_path, "")
    rc = main([cmd, str(study), "--out", str(out), "--serial", "--set",
               "sweep.levels=2" if cmd == "sweep" else "driver.multistart=0"])
    assert rc == 2
    err = _one_error(capsys)
    assert f"--out {str(out)!r}" in err and reason in err
    if kind == "file":
        assert out.read_text() == "keep me"


@pytest.mark.parametrize("address,why", [
    ("tcp://x y:8786", "host 'x y' is not a host name or an IP address"),
    ("localhost", "no HOST:PORT"),
    ("tcp://127.0.0.1:0", "port '0' is not a number in 1-65535"),
    ("127.0.0.1:70000", "port '70000' is not a number in 1-65535"),
    ("tls://127.0.0.1:8786", "protocol 'tls' is not supported"),
    ("127.0.0.1:8786\nX", "port '8786\\nX'"),
    ("[::zz]:8786", "is not an IPv6 address"),
])
def test_malformed_scheduler_address(tmp_path, capsys, address, why):
    rc = main(["sweep", str(MAP), "--out", str(tmp_path / "o"), "--scheduler", address,
               "--set", "sweep.levels=2"])
    assert rc == 2
    err = _one_error(capsys)
    assert why in err and "allowed: tcp://HOST:PORT or HOST:PORT" in err
    assert not (tmp_path / "o").exists()  # checked before anything else


@pytest.mark.parametrize("value", ["0", "-1", "nan", "soon", "1e9"])
def test_bad_scheduler_timeout(tmp_path, capsys, value):
    rc = main(["sweep", str(MAP), "--out", str(tmp_path / "o"), "--scheduler",
               "127.0.0.1:8786", "--scheduler-timeout", value])
    assert rc == 2
    assert f"--scheduler-timeout {value!r}: not allowed" in _one_error(capsys)


def _free_loopback_port() -> int:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_scheduler_on_a_closed_port(tmp_path, capsys):
    port = _free_loopback_port()
    t0 = time.perf_counter()
    rc = main(["sweep", str(MAP), "--out", str(tmp_path / "o"), "--set", "sweep.levels=2",
               "--scheduler", f"tcp://127.0.0.1:{port}", "--scheduler-timeout", "3"])
    assert rc == 2
    err = _one_error(capsys)
    assert f"--scheduler tcp://127.0.0.1:{port}: cannot connect" in err
    assert "scheduler is running" in err
    assert time.perf_counter() - t0 < 15


def test_scheduler_that_accepts_and_never_answers(tmp_path, capsys):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    port = srv.getsockname()[1]
    conns: list[socket.socket] = []

    def accept_forever() -> None:  # accepts, never writes
        while True:
            try:
                conns.append(srv.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept_forever, daemon=True).start()
    t0 = time.perf_counter()
    try:
        rc = main(["pareto", str(PARETO), "--out", str(tmp_path / "o"),
                   "--set", "pareto.points=2", "--scheduler", f"127.0.0.1:{port}",
                   "--scheduler-timeout", "2"])
        elapsed = time.perf_counter() - t0
    finally:
        srv.close()
        for c in conns:
            c.close()
    assert rc == 2
    err = _one_error(capsys)
    assert f"--scheduler tcp://127.0.0.1:{port}: no answer from a Dask scheduler within 2 s" \
        in err
    assert elapsed < 15
    assert conns  # it did connect


def test_scheduler_address_that_another_server_answers(tmp_path, capsys):
    """An HTTP server on the --scheduler port: its "HTTP/1.1" was read as Dask's 8-byte
    frame length, numpy was asked for 3.07 EiB and the command died with a MemoryError
    traceback (exit 1) on 143e55e; now one error line, exit 2."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    port = srv.getsockname()[1]

    def answer_http() -> None:  # what a web server or proxy on the port sends back
        while True:
            try:
                conn = srv.accept()[0]
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass

    threading.Thread(target=answer_http, daemon=True).start()
    try:
        rc = main(["sweep", str(MAP), "--out", str(tmp_path / "o"), "--set",
                   "sweep.levels=2", "--scheduler", f"tcp://127.0.0.1:{port}",
                   "--scheduler-timeout", "3"])
    finally:
        srv.close()
    assert rc == 2
    err = _one_error(capsys)
    assert f"--scheduler tcp://127.0.0.1:{port}: the server there did not answer as a " \
        "Dask scheduler" in err
    assert "scheduler is running" in err


# --------------------------------------------------------------------------- 3. folders


def test_optimize_refuses_an_earlier_run_overwrite_replaces_it(tmp_path, capsys):
    out = tmp_path / "o"
    out.mkdir()
    (out / "optimum.toml").write_text("# hand-edited optimum\n")
    (out / "results.json").write_text("{}")
    (out / "runs").mkdir()
    (out / "runs" / "start_000.sql").write_bytes(b"x")
    (out / "notes.txt").write_text("mine")
    # study (a), one rail grade, a few iterations: a real run of a few seconds
    args = ["optimize", str(TALLBOY), "--out", str(out), "--serial", "--no-progress",
            "--no-reports", "--no-step", "--no-resolve",
            "--set", 'variable.8.values=["dp_780"]', "--set", "driver.maxiter=3"]
    assert main(args) == 2
    err = _one_error(capsys)
    assert f"{out}: already holds the results of an earlier run (optimum.toml, " \
           "results.json, runs/)" in err
    assert "pass --overwrite to replace it" in err and "--resume" not in err
    assert (out / "optimum.toml").read_text() == "# hand-edited optimum\n"
    assert (out / "runs" / "start_000.sql").is_file()
    assert main([*args, "--overwrite"]) == 0
    assert "hand-edited" not in (out / "optimum.toml").read_text()
    assert not (out / "runs" / "start_000.sql").exists()  # the earlier run's files: gone
    assert (out / "notes.txt").read_text() == "mine"  # other files: kept


def test_optimize_library_call_refuses_too(tmp_path):
    from keidesign.errors import InputError
    from keidesign.studies.optimize import optimize
    from keidesign.studies.spec import load_study

    out = tmp_path / "o"
    out.mkdir()
    (out / "optimum.toml").write_text("# mine\n")
    with pytest.raises(InputError, match="already holds the results of an earlier run"):
        optimize(load_study(_study(tmp_path, "")), out, reports=False, step=False)
    assert (out / "optimum.toml").read_text() == "# mine\n"


def test_pareto_refuses_an_earlier_run(tmp_path, capsys):
    out = tmp_path / "o"
    out.mkdir()
    (out / "pareto.csv").write_text("point\n")
    assert main(["pareto", str(PARETO), "--out", str(out), "--serial",
                 "--set", "pareto.points=2"]) == 2
    err = _one_error(capsys)
    assert "already holds the results of an earlier run (pareto.csv)" in err
    assert "--resume to continue that run, --overwrite to replace it" in err


_HOLD = """
import sys, time
from keidesign.studies.resultsdir import lock_folder
fd = lock_folder(sys.argv[1])
print("locked", flush=True)
time.sleep(60)
"""


def test_two_runs_cannot_write_one_folder(tmp_path, capsys):
    out = tmp_path / "o"
    out.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(out)], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout.readline().strip() == "locked"
        for cmd, study in (("sweep", MAP), ("optimize", _study(tmp_path, "")),
                           ("pareto", PARETO)):
            rc = main([cmd, str(study), "--out", str(out), "--serial", "--resume"
                       if cmd != "optimize" else "--overwrite", "--set",
                       "sweep.levels=2" if cmd == "sweep" else "pareto.points=2"
                       if cmd == "pareto" else "driver.multistart=0"])
            assert rc == 2, cmd
            err = _one_error(capsys)
            assert f"another keidesign run is writing {out} (pid {proc.pid})" in err, err
        assert list(os.listdir(out)) == [".keidesign.lock"]  # nothing written, nothing gone
    finally:
        proc.kill()
        proc.wait(timeout=30)
    # the holder is gone: the kernel released its lock, so the folder is free again
    from keidesign.studies.resultsdir import results_dir

    with results_dir(out, command="sweep"):
        pass


def test_lock_from_another_open_file_description(tmp_path):
    """Within one process, a second flock on another descriptor is refused too (the
    re-entrant path is only for the same folder taken by results_dir)."""
    from keidesign.errors import InputError
    from keidesign.studies.resultsdir import lock_folder, results_dir

    out = tmp_path / "o"
    out.mkdir()
    fd = lock_folder(out)
    try:
        with pytest.raises(InputError, match=rf"another keidesign run is writing {out} "
                                             rf"\(pid {os.getpid()}\)"):
            with results_dir(out, command="optimize"):
                pass
    finally:
        os.close(fd)
    with results_dir(out, command="optimize") as folder:  # free again
        with results_dir(folder, command="optimize"):  # re-entrant in one run
            pass


def test_lock_file_is_not_followed_through_a_symlink(tmp_path, capsys):
    out = tmp_path / "o"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (out / ".keidesign.lock").symlink_to(victim)
    assert main(["sweep", str(MAP), "--out", str(out), "--serial",
                 "--set", "sweep.levels=2"]) == 2
    err = _one_error(capsys)
    assert "cannot create its lock file .keidesign.lock" in err
    assert victim.read_text() == "precious"


def test_astronomical_counts_stay_one_short_line(tmp_path, capsys, no_case_lists):
    """Counts beyond Python's 4300-digit printing limit: still one short line."""
    big = "9" * 4000
    path = _study(tmp_path, f"[sweep]\nlevels = {{ \"crash.front.crush_length\" = {big}, "
                            f"\"body.height\" = {big} }}\n")
    rc = main(["sweep", str(path), "--out", str(tmp_path / "o"), "--serial"])
    assert rc == 2
    err = _one_error(capsys)
    if "exceed the limit" in err:  # (the study file reader may refuse such numbers first)
        assert re.search(r"about 10\^(7999|8000) cases exceed the limit of 200000", err)
        assert len(err) < 400
    rc = main(["sweep", str(MAP), "--out", str(tmp_path / "o"), "--serial",
               "--max-cases", "9" * 5000])
    assert rc == 2
    assert "--max-cases '9999" in _one_error(capsys)


def test_overwrite_keeps_the_results_when_the_scheduler_is_unreachable(tmp_path, capsys):
    """--overwrite with a --scheduler nobody answers on: the run fails on the connection
    before the earlier results are deleted (they used to be deleted first)."""
    out = tmp_path / "o"
    assert main(["sweep", str(MAP), "--out", str(out), "--set", "sweep.levels=2",
                 "--serial", "--no-progress"]) == 0
    before = sorted(p.name for p in out.iterdir())
    assert "cases.sqlite" in before or any(n.endswith((".sqlite", ".csv")) for n in before)
    capsys.readouterr()
    port = _free_loopback_port()
    rc = main(["sweep", str(MAP), "--out", str(out), "--set", "sweep.levels=2",
               "--overwrite", "--scheduler", f"tcp://127.0.0.1:{port}",
               "--scheduler-timeout", "3"])
    assert rc == 2
    assert f"--scheduler tcp://127.0.0.1:{port}: cannot connect" in _one_error(capsys)
    assert sorted(p.name for p in out.iterdir()) == before


# --------------------------------------------------------------- 2b. a store edited by hand


@pytest.fixture(scope="module")
def swept_store(tmp_path_factory):
    """The results folder of a finished 4-case sweep (run once for the edits below)."""
    from keidesign.cli import main as run

    out = tmp_path_factory.mktemp("swept") / "o"
    assert run(["sweep", str(MAP), "--out", str(out), "--serial", "--no-progress",
                "--set", "sweep.levels=2", "--set", "sweep.chunk=4"]) == 0
    return out


def _edited(swept_store: Path, tmp_path: Path, sql: str) -> list[str]:
    import shutil
    import sqlite3

    out = tmp_path / "o"
    shutil.copytree(swept_store, out)
    con = sqlite3.connect(out / "cases.sqlite")
    with con:
        con.execute(sql)
    con.close()
    return ["sweep", str(MAP), "--out", str(out), "--serial", "--no-progress", "--resume",
            "--set", "sweep.levels=2", "--set", "sweep.chunk=4"]


@pytest.mark.parametrize("sql,field", [
    ("UPDATE cases SET outputs = '[1, 2]' WHERE seq = 1", "outputs = [1, 2]: not a JSON object"),
    ("UPDATE cases SET outputs = '{\"mass:curb\": \"heavy\"}' WHERE seq = 1",
     "outputs.'mass:curb' = 'heavy': not a number"),
    ("UPDATE cases SET status = 'done' WHERE seq = 2", "status = 'done': not one of ok, "),
    ("UPDATE cases SET seq = 'first' WHERE seq = 0", "seq = 'first': not an integer"),
    ("UPDATE cases SET message = X'FF' WHERE seq = 3", "message = b'\\xff': not a string"),
    ("INSERT INTO cases SELECT 'ffffffffffffffffffff', 9, status, inputs, outputs, message, "
     "finished FROM cases WHERE seq = 0", "hash 'ffffffffffffffffffff' is not one of this "
     "study's cases"),
])
def test_resume_on_a_store_edited_by_hand(swept_store, tmp_path, capsys, sql, field):
    """A case store is a file of the results folder: a row edited by hand (wrong type,
    unknown status, a case not of this study) is one line naming the store, the case and
    the field under --resume (before: a traceback from the sweep's tables, or a foreign
    row written into cases.csv)."""
    capsys.readouterr()
    assert main(_edited(swept_store, tmp_path, sql)) == 2
    err = _one_error(capsys)
    assert f"{tmp_path / 'o' / 'cases.sqlite'}: not a keidesign case store: case seq = " in err
    assert field in err, err
    assert "was the file edited?" in err


def test_resume_takes_the_inputs_from_the_study_not_the_store(swept_store, tmp_path, capsys):
    """The inputs of a recorded case are the study's own case (the hash names it): a
    store whose inputs were emptied resumes with the right values in cases.csv."""
    import csv

    capsys.readouterr()
    assert main(_edited(swept_store, tmp_path, "UPDATE cases SET inputs = '{}'")) == 0
    assert "(0 run now, 4 already recorded)" in capsys.readouterr().out
    with (tmp_path / "o" / "cases.csv").open() as fh:
        got = [r["crash:front:crush_length [mm]"] for r in csv.DictReader(fh)]
    with (swept_store / "cases.csv").open() as fh:
        want = [r["crash:front:crush_length [mm]"] for r in csv.DictReader(fh)]
    assert got == want and all(got)


def test_pareto_store_rows_are_checked(tmp_path):
    """The Pareto front reads objectives, x, success, feasible and n_evals back from its
    store: each of the wrong types is one InputError naming the field."""
    from keidesign.errors import InputError
    from keidesign.studies.pareto import _row_problem
    from keidesign.studies.store import CaseStore

    good = {"objectives": [1.0, 2.0], "x": {"a": 1.0}, "success": True, "feasible": True,
            "n_evals": 3}
    bad = [({"objectives": [1.0]}, "outputs.objectives = [1.0]: not a list of 2 numbers"),
           ({"x": [1.0]}, "outputs.x = [1.0]: not an object of numbers"),
           ({"success": "yes"}, "outputs.success = 'yes': not true or false"),
           ({"n_evals": 2.5}, "outputs.n_evals = 2.5: not an integer")]
    with CaseStore(tmp_path / "ok.sqlite", "f") as st:
        st.add([{"hash": "h0", "seq": 0, "status": "failed", "inputs": {"eps": [1.0]},
                 "outputs": good, "message": ""}])
        assert st.rows(known={"h0"}, check=lambda row: _row_problem(2, row))[0]["outputs"] \
            == good
    for i, (change, msg) in enumerate(bad):
        with CaseStore(tmp_path / f"p{i}.sqlite", "f") as st:
            st.add([{"hash": "h0", "seq": 0, "status": "ok", "inputs": {"eps": [1.0]},
                     "outputs": good, "message": ""},
                    {"hash": "h1", "seq": 1, "status": "ok", "inputs": {"eps": [2.0]},
                     "outputs": {**good, **change}, "message": ""}])
            check = lambda row: _row_problem(2, row)  # noqa: E731
            with pytest.raises(InputError, match="case seq = 1: " + re.escape(msg)):
                st.rows(known={"h0", "h1"}, check=check)


@pytest.mark.parametrize("extra, needle", [
    ("[sweep]\nchunk = 100000000000\n", "sweep.chunk = 100000000000: not allowed; allowed: "
     "an integer in [1, 10000]"),
])
def test_a_sweep_chunk_that_would_allocate_terabytes_is_refused(tmp_path, capsys, extra,
                                                                  needle):
    """sweep.chunk = 10^11 asked numpy for 745 GiB (a MemoryError traceback)."""
    study = _study(tmp_path, extra)
    assert main(["sweep", str(study), "--out", str(tmp_path / "o"), "--serial"]) == 2
    assert needle in _one_error(capsys)


@pytest.mark.parametrize("name, needle", [
    ("n" * 5000, "study.name = 'nnn"),
    ("a\\u001b[2J", "study.name = 'a\\x1b[2J': a control character"),
])
def test_a_study_name_is_one_short_printable_line(tmp_path, capsys, name, needle):
    """The study name heads every summary and report: a 5,000-character name or one
    with a terminal escape code was accepted and printed as given."""
    from keidesign.errors import InputError
    from keidesign.studies.spec import load_study

    study = _study(tmp_path, "")
    study.write_text(study.read_text().replace('name = "security"', f'name = "{name}"', 1))
    with pytest.raises(InputError, match="one line of printable text of at most 200 "
                       "characters") as exc:
        load_study(study)
    assert needle in str(exc.value) and "\n" not in str(exc.value)


def test_thousands_of_derived_quantities_are_refused_before_the_model(tmp_path, capsys):
    """8,000 [derived.<name>] tables (500 kB) built a model that did not finish setting
    up in a minute; now at most 100, refused before any model is built."""
    many = "".join(f'[derived.q{i}]\nexpr = "a * 2"\nunits = "kg"\nvars = {{a = "mass:curb"}}\n'
                   for i in range(8000))
    study = _study(tmp_path, many)
    t0 = time.perf_counter()
    assert main(["sweep", str(study), "--out", str(tmp_path / "o"), "--serial"]) == 2
    assert "derived: 8,000 tables [derived.<name>]; allowed: at most 100" in _one_error(capsys)
    assert time.perf_counter() - t0 < 30  # a hang guard, not a timing


# ------------------------------------------- 2c. SQL of a foreign store, links, sizes (s28d)

_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE cases (hash TEXT PRIMARY KEY, seq INTEGER NOT NULL, status TEXT NOT NULL,
    inputs TEXT NOT NULL, outputs TEXT NOT NULL, message TEXT NOT NULL,
    finished REAL NOT NULL);
"""


def _foreign_store(out: Path, sql: str) -> Path:
    import sqlite3

    out.mkdir(parents=True)
    con = sqlite3.connect(out / "cases.sqlite")
    con.executescript(sql)
    con.commit()
    con.close()
    return out / "cases.sqlite"


@pytest.mark.parametrize("sql, kind", [
    # a view that counts 3 million rows stands for one that never ends (it hung sweep)
    ("CREATE VIEW cases AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
     "LIMIT 3000000) SELECT x AS hash FROM c;", "view 'cases'"),
    # a trigger writing rows when keidesign writes its meta table (one marker row here;
    # a recursive one wrote 1.1 GB of journal in 30 s)
    (_TABLES + "CREATE TRIGGER t AFTER INSERT ON meta BEGIN INSERT INTO cases VALUES "
     "('marker', 0, 'ok', '{}', '{}', '', 0); END;", "trigger 't'"),
    (_TABLES + "CREATE INDEX i ON cases (length(outputs));", "index 'i'"),
])
@pytest.mark.parametrize("resume", [False, True])
def test_sql_in_a_foreign_case_store_never_runs(tmp_path, capsys, sql, kind, resume):
    """An SQLite file runs SQL of its own when queried (views, triggers): a results folder
    from someone else whose cases.sqlite held a view ``cases`` without end hung sweep
    (with and without --resume), one with a trigger on ``meta`` filled the disk. Its
    schema is now read first and must be the case store's."""
    import sqlite3

    db = _foreign_store(tmp_path / "o", sql)
    args = ["sweep", str(MAP), "--out", str(tmp_path / "o"), "--serial", "--no-progress",
            "--set", "sweep.levels=2"] + (["--resume"] if resume else [])
    assert main(args) == 2
    err = _one_error(capsys)
    if resume:
        assert f"{db}: not a keidesign case store (SQLite: it holds {kind}, which a case " \
               "store has not (SQL of the file would run on reading it))" in err
    else:  # not this program's to replace: refused as an earlier result, never queried
        assert "already holds the results of an earlier run (cases.sqlite)" in err
    con = sqlite3.connect(db)
    tables = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "cases" in tables:
        assert con.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0  # no trigger ran
    con.close()


def test_a_store_edited_to_other_output_names_is_refused(swept_store, tmp_path, capsys):
    """A sweep's cases record the study's quantities: a store edited to hold 100,000 other
    output names (1.6 MB) made a 100,000-column cases.csv in 97 s under --resume; a name
    the study does not record is now one line naming the case and the name."""
    import json

    outputs = json.dumps({f"k{i}": 1.0 for i in range(2000)})
    capsys.readouterr()
    assert main(_edited(swept_store, tmp_path, f"UPDATE cases SET outputs = '{outputs}' "
                        "WHERE seq = 2")) == 2
    err = _one_error(capsys)
    assert "case seq = 2: outputs.'k0': not a quantity this study records (its 20: " in err


@pytest.mark.parametrize("sql, field", [
    ("UPDATE cases SET message = printf('%.*c', 100000, 'x') WHERE seq = 1",
     "case seq = 1: message is 100,000 characters long, more than the 65,536 a case records"),
    ("UPDATE cases SET outputs = '{\"mass:curb\": NaN}' WHERE seq = 2",
     "case seq = 2: outputs.'mass:curb' = nan: not a finite number"),
    # the meta table was read whole (and this fingerprint printed in full in the message)
    ("UPDATE meta SET value = printf('%.*c', 100000, 'x') WHERE key = 'fingerprint'",
     "its fingerprint is not a text of at most 64 characters"),
])
def test_a_store_with_a_long_or_non_finite_field_is_refused(
        swept_store, tmp_path, capsys, sql, field):
    """Rows are measured by SQLite before they are loaded (a store of 1 GB fields was
    read whole), and an 'ok' case with a non-finite output is not one
    keidesign recorded (it records those 'error')."""
    capsys.readouterr()
    assert main(_edited(swept_store, tmp_path, sql)) == 2
    assert field in _one_error(capsys)


@pytest.mark.parametrize("link", ["cases.csv", "summary.json", "step"])
def test_resume_never_writes_through_a_symbolic_link(swept_store, tmp_path, capsys, link):
    """--resume rewrites cases.csv, summary.json, the maps and step/ in place: a results
    folder from someone else whose cases.csv linked to ../victim.toml (a design file) had
    it overwritten with the sweep's table. A linked result is now refused."""
    import shutil

    out = tmp_path / "o"
    shutil.copytree(swept_store, out)
    victim = tmp_path / "victim"
    if link == "step":
        victim.mkdir()
    else:
        victim.write_text("precious\n")
        (out / link).unlink()
    (out / link).symlink_to(victim)
    capsys.readouterr()
    args = ["sweep", str(MAP), "--out", str(out), "--serial", "--no-progress", "--resume",
            "--set", "sweep.levels=2", "--set", "sweep.chunk=4"]
    assert main(args) == 2
    err = _one_error(capsys)
    assert f"{out / link}: a symbolic link (to {victim}); --resume rewrites" in err
    assert (victim.read_text() == "precious\n") if link != "step" else not any(victim.iterdir())
    # --overwrite unlinks it (never follows it) and runs
    assert main([a for a in args if a != "--resume"] + ["--overwrite"]) == 0
    assert (victim.read_text() == "precious\n") if link != "step" else not any(victim.iterdir())


@pytest.mark.parametrize("link", ["cases.csv", "summary.json", "cases.sqlite"])
def test_resume_never_writes_through_a_hard_link(swept_store, tmp_path, capsys, link):
    """A hard link (st_nlink > 1) is no symbolic link: --resume wrote cases.csv and
    summary.json in place, into the file the other name (../victim) also is (s31l). The
    tables are now written by atomic replace (a new file renamed onto the name), and a
    hard-linked case store, which SQLite writes in place, is refused in one line."""
    import shutil

    out = tmp_path / "o"
    shutil.copytree(swept_store, out)
    victim = tmp_path / "victim"
    shutil.copyfile(out / link, victim)
    before = victim.read_bytes()
    (out / link).unlink()
    os.link(victim, out / link)
    capsys.readouterr()
    args = ["sweep", str(MAP), "--out", str(out), "--serial", "--no-progress", "--resume",
            "--set", "sweep.levels=2", "--set", "sweep.chunk=4"]
    if link == "cases.sqlite":
        assert main(args) == 2
        err = _one_error(capsys)
        assert f"{out / link}: a hard link (2 names of one file); --resume adds cases" in err
    else:
        victim.write_bytes(b"precious\n")
        assert main(args) == 0
        assert (out / link).stat().st_nlink == 1 and (out / link).read_bytes() != b"precious\n"
        before = b"precious\n"
    assert victim.read_bytes() == before


def test_lock_file_is_no_hard_link(tmp_path, capsys):
    """The lock file is truncated and given the pid: a hard-linked one emptied the other
    name's file (s31l). Refused in one line, the file as it was."""
    out = tmp_path / "o"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    os.link(victim, out / ".keidesign.lock")
    assert main(["sweep", str(MAP), "--out", str(out), "--serial",
                 "--set", "sweep.levels=2"]) == 2
    err = _one_error(capsys)
    assert "the lock file is a hard link (2 names of one file)" in err
    assert victim.read_text() == "precious"


def test_a_discrete_value_never_names_a_path_outside_the_results_folder(tmp_path, capsys):
    """A study's discrete values are text from its file, and each map's file name carried
    them: design.name swept over 'a/../../x' named <out>/feasibility_map_a/../../x.txt
    (outside the results folder; the run failed after every case only because that folder
    did not exist). The name keeps letters, digits and .+- of each value."""
    study = _study(tmp_path, """
        [[variable]]
        name = "design.name"
        values = ["a/../../x", "b"]

        [sweep]
        method = "fullfact"
        levels = 2
        map = ["crash.front.crush_length", "body.height"]
    """, objective=False)
    out = tmp_path / "o"
    assert main(["sweep", str(study), "--out", str(out), "--serial", "--no-progress"]) == 0
    assert {p.name for p in out.glob("feasibility_map*.txt")} == {
        "feasibility_map_a_.._.._x.txt", "feasibility_map_b.txt"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o", "study.toml"]
    from keidesign.studies.feasibility import file_suffix

    assert file_suffix(["dp_780", 3, True]) == "_dp_780_3_True"
    assert file_suffix(["a/b"], taken={"map_txt_a_b": 1}) == "_a_b_2"
    assert file_suffix(["é" * 100]) == "_" + "_" * 40


@pytest.mark.parametrize("link", ["results", "results/study"])
def test_the_default_results_folder_is_never_reached_through_a_link(tmp_path, capsys,
                                                                     monkeypatch, link):
    """Without --out a study writes results/<study file name> in the working folder: a
    folder from someone else holding results -> ~/project made the run write there, and
    --overwrite delete the runs/, step/ and results.json it found. Refused."""
    study = _study(tmp_path, "[sweep]\nmethod = 'fullfact'\nlevels = 2\n", objective=False)
    target = tmp_path / "project"
    (target / "runs").mkdir(parents=True)
    (target / "runs" / "mine.txt").write_text("precious\n")
    work = tmp_path / "work"
    work.mkdir()
    if link == "results/study":
        (work / "results").mkdir()
    (work / link).symlink_to(target)
    monkeypatch.chdir(work)
    assert main(["sweep", str(study), "--serial", "--overwrite"]) == 2
    assert f"{link}: a symbolic link (to {target}); the default results folder " \
        in _one_error(capsys)
    assert (target / "runs" / "mine.txt").read_text() == "precious\n"


def test_thousands_of_discrete_values_are_refused_before_any_set_up(tmp_path, capsys,
                                                                     no_case_lists):
    """Each discrete combination is a model set up (~1.3 s) before its cases: 100,000
    values of 2 cases each (200,000 cases, within the case limit; a 0.9 MB file) set up
    models for a day and a half. Combinations are now limited too (1,000 by default)."""
    from keidesign.studies.sweep import MAX_COMBINATIONS

    values = ", ".join(str(1400 + i * 0.01) for i in range(MAX_COMBINATIONS + 1))
    study = _study(tmp_path, f"""
        [[variable]]
        name = "body.width"
        values = [{values}]

        [sweep]
        method = "lhs"
        samples = 2
    """, objective=False)
    args = ["sweep", str(study), "--out", str(tmp_path / "o"), "--serial"]
    assert main(args) == 2
    err = _one_error(capsys)
    assert ("the discrete [[variable]] values (each combination a model set up before its "
            "cases): 1001 combinations exceed the limit of 1000 combinations (the default); "
            "reduce the discrete [[variable]] values, or pass --max-cases 1001") in err


def test_a_sweep_keeps_a_few_set_up_problems(tmp_path, capsys):
    """Every discrete combination's set-up problem was kept for the whole run (~30 MB
    each: 40 combinations held 1.6 GB); now the few most recently used."""
    from keidesign.studies import sweep

    study = _study(tmp_path, """
        [[variable]]
        name = "crash.front.material"
        values = ["dp_590", "dp_780", "dp_980", "mild_steel", "hsla_340", "al_6061_t6"]

        [sweep]
        method = "lhs"
        samples = 2
        chunk = 2
    """, objective=False)
    sweep._EVALUATORS.clear()
    sweep._BATCH_EVALUATORS.clear()
    assert main(["sweep", str(study), "--out", str(tmp_path / "o"), "--serial",
                 "--no-progress"]) == 0
    assert "12 cases (12 run now" in capsys.readouterr().out
    kept = len(sweep._EVALUATORS) + len(sweep._BATCH_EVALUATORS)
    assert 0 < kept <= sweep.EVALUATORS_KEPT


def test_a_study_name_is_drawn_as_written(tmp_path, capsys):
    """matplotlib reads text between two $ as mathtext: a study named '$\\frac{$' (one
    printable line) ended the sweep in a ValueError traceback after every case had run,
    before summary.json was written. Figures now draw user text as written."""
    out = tmp_path / "o"
    args = ["sweep", str(MAP), "--out", str(out), "--serial", "--no-progress",
            "--set", "sweep.levels=2", "--set", 'study.name="$\\\\frac{$ {{{{ $x$"']
    assert main(args) == 0, capsys.readouterr().err
    assert (out / "feasibility_map.png").stat().st_size > 1000
    assert (out / "summary.json").is_file()


def test_an_endless_iteration_count_is_refused(tmp_path, capsys):
    """driver.maxiter = 10^20 was accepted and passed to SciPy's SLSQP, which keeps it in
    a C integer: a SystemError traceback once the run started."""
    study = _study(tmp_path, "[driver]\nmaxiter = 99999999999999999999\n")
    assert main(["optimize", str(study), "--out", str(tmp_path / "o"), "--serial",
                 "--no-reports", "--no-step", "--no-resolve"]) == 2
    assert ("driver.maxiter = 99999999999999999999: not allowed; allowed: an integer in "
            "[1, 100000]") in _one_error(capsys)
