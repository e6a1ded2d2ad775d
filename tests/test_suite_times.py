"""benchmarks/suite_times.py: per-file totals of a JUnit report and the greedy loadfile
schedule, on a report written by hand."""

from __future__ import annotations

import pytest
from conftest import benchmark_module

XML = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="5">
<testcase classname="tests.test_a" name="t1" time="3.0"/>
<testcase classname="tests.test_a" name="t2" time="1.5"/>
<testcase classname="tests.test_b.TestK" name="t3" time="2.0"/>
<testcase classname="tests.test_c" name="t4" time="4.0"><skipped/></testcase>
<testcase classname="tests.test_d" name="t5" time="0.5"/>
</testsuite></testsuites>
"""


def test_file_totals_and_greedy_schedule(tmp_path):
    st = benchmark_module("suite_times")
    path = tmp_path / "r.xml"
    path.write_text(XML, encoding="utf-8")
    totals = st.file_totals(path)
    assert totals == {"tests/test_a.py": 4.5, "tests/test_b.py": 2.0,
                      "tests/test_c.py": 4.0, "tests/test_d.py": 0.5}
    # a: w0 0 -> 4.5; b: w1 0 -> 2.0; c: w1 2.0 -> 6.0; d: w0 4.5 -> 5.0
    assert st.greedy_wall(totals, 2) == 6.0
    assert st.greedy_wall(totals, 1) == 11.0
    assert st.greedy_wall(totals, 4) == 4.5          # the largest file is the floor
    # xdist's order (--loadscope-reorder, its default): most tests first, ties by name
    assert st.file_counts(path) == {"tests/test_a.py": 2, "tests/test_b.py": 1,
                                    "tests/test_c.py": 1, "tests/test_d.py": 1}
    # d (3 tests): w0 0 -> 0.5; a: w1 0 -> 4.5; b: w0 0.5 -> 2.5; c: w0 2.5 -> 6.5
    assert st.greedy_wall(totals, 2, {**st.file_counts(path), "tests/test_d.py": 3}) == 6.5
    with pytest.raises(ValueError, match="workers"):
        st.greedy_wall(totals, 0)
    text = st.report(totals, workers=2, top=2)
    assert text.splitlines()[1].split() == ["4.5", "40.9", "%", "tests/test_a.py"]
    assert len(text.splitlines()) == 4 and "sum 11.0 s over 4 files" in text
    assert "greedy loadfile on 2 workers 6.0 s" in text


def test_suite_setups_counts_the_set_ups_of_the_running_test(monkeypatch):
    """benchmarks/suite_setups.py charges each ``Problem.setup`` / ``final_setup`` to the
    test running (its calls and CPU time), reports the tests by set-up time, and puts
    OpenMDAO's methods back when uninstalled."""
    import openmdao.api as om
    from openmdao.core.problem import Problem

    ss = benchmark_module("suite_setups")
    monkeypatch.setattr(ss, "STATS", type(ss.STATS)(lambda: [0, 0.0, 0, 0.0]))
    original = Problem.setup, Problem.final_setup
    ss.install()
    try:
        ss.install()                      # idempotent: not wrapped twice
        for test, n in (("t_one", 1), ("t_two", 2)):
            ss._CURRENT[0] = test
            for _ in range(n):
                prob = om.Problem(reports=False)
                prob.model.add_subsystem("c", om.ExecComp("y = 2 * x"))
                prob.setup()
                prob.final_setup()
    finally:
        ss.uninstall()
        ss._CURRENT[0] = "(outside a test)"
    assert (Problem.setup, Problem.final_setup) == original
    assert [ss.STATS["t_one"][i] for i in (0, 2)] == [1, 1]
    assert [ss.STATS["t_two"][i] for i in (0, 2)] == [2, 2]
    assert all(r[1] > 0.0 and r[3] > 0.0 for r in ss.STATS.values())
    lines = ss.rows()
    assert sorted(ln.rsplit(" ", 1)[1] for ln in lines[1:3]) == ["t_one", "t_two"]
    secs = [float(ln.split()[1]) + float(ln.split()[2]) for ln in lines[1:3]]
    assert secs[0] >= secs[1]              # the most set-up time first
    assert lines[-1].startswith("3 set-ups, ") and lines[-1].endswith("over 2 tests")


def test_suite_cpu_charges_a_test_its_own_and_its_childrens_cpu(monkeypatch):
    """benchmarks/suite_cpu.py charges the test running the CPU time of the pytest process
    and of the child processes it waited for (a subprocess's work is not in ``--durations``'
    CPU-blind wall time, nor in the process's own CPU), and totals each file."""
    import subprocess
    import sys

    sc = benchmark_module("suite_cpu")
    monkeypatch.setattr(sc, "STATS", {})

    class Item:
        def __init__(self, nodeid):
            self.nodeid = nodeid

    def run(nodeid, work):
        hook = sc.pytest_runtest_protocol(Item(nodeid), None)
        next(hook)
        work()
        with pytest.raises(StopIteration):
            next(hook)

    spin = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass"
    run("tests/test_a.py::child", lambda: subprocess.run([sys.executable, "-c", spin],
                                                         check=True))
    run("tests/test_a.py::self", lambda: exec(spin, {}))
    run("tests/test_b.py::idle", lambda: None)
    child, me, idle = (sc.STATS[k] for k in ("tests/test_a.py::child",
                                              "tests/test_a.py::self", "tests/test_b.py::idle"))
    assert child[1] >= 0.25 and me[1] == 0.0          # the child's CPU, not the parent's
    assert me[0] >= 0.25 and idle[0] + idle[1] < 0.1
    lines = sc.rows(top=2)
    assert lines[1].endswith(("tests/test_a.py::child", "tests/test_a.py::self"))
    assert lines[3].endswith("s CPU  tests/test_a.py") and lines[4].endswith("test_b.py")
    assert float(lines[3].split()[0]) >= 0.5 and lines[-1].endswith("over 3 tests")


def test_suite_plugins_share_one_report_writer(tmp_path, monkeypatch):
    """benchmarks/suite_report.py's ``write_report`` (the one writer of suite_cpu and
    suite_setups): the section and its lines on the terminal, and the lines in the file
    the environment variable names, replaced (``"w"``) or appended (``"a"``)."""
    sr = benchmark_module("suite_report")

    class Terminal:
        def __init__(self):
            self.out = []

        def section(self, title):
            self.out.append(f"== {title}")

        def write_line(self, line):
            self.out.append(line)

    term, path = Terminal(), tmp_path / "r.txt"
    monkeypatch.delenv("SUITE_X_OUT", raising=False)
    sr.write_report(term, "T", ["a", "b"], "SUITE_X_OUT")
    assert term.out == ["== T", "a", "b"] and not path.exists()
    monkeypatch.setenv("SUITE_X_OUT", str(path))
    sr.write_report(term, "T", ["a"], "SUITE_X_OUT")
    sr.write_report(term, "T", ["b"], "SUITE_X_OUT", mode="a")
    assert path.read_text(encoding="utf-8") == "a\nb\n"
    sr.write_report(term, "T", ["c"], "SUITE_X_OUT")
    assert path.read_text(encoding="utf-8") == "c\n"
    for name in ("suite_cpu", "suite_setups"):    # both plugins print through it
        assert benchmark_module(name).write_report is sr.write_report
