"""Hostile inputs, round nine (audit s40b; docs/security.md): what round eight left, and a
user's own EPA files (``--testcars`` / ``--labels``, added in s39g).

Each test fails on 4852510 but for the guards that show what is still accepted (the shipped
rows inside the new ranges, a ``ref`` at either end of its range).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from conftest import DESIGNS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_external_epa import _shipped, _write

from keidesign.cli import main
from keidesign.energy import epafiles
from keidesign.energy import testcars as tc
from keidesign.errors import InputError, show
from keidesign.studies.spec import parse_study

# ----------------------------------------------------------------- a user's EPA files


def _cube(tmp_path: Path, **cells: str) -> Path:
    """The shipped rows of one Nissan Cube configuration, ``cells`` changed in each."""
    car = next(c for c in tc.test_cars() if c.family == "NISSAN CUBE")
    head, rows = _shipped(tc.TESTCAR_FILE)
    mine = [dict(r, **cells) for r in rows if r["Test Number"] in car.test_numbers]
    return _write(tmp_path / "t.csv", head, mine)


def _labels(tmp_path: Path, **cells: str) -> Path:
    head, rows = _shipped(epafiles.LABEL_FILE)
    return _write(tmp_path / "l.csv", head, [dict(r, **cells) for r in rows[:20]])


@pytest.mark.parametrize("col, value, allowed", [
    ("Equivalent Test Weight (lbs.)", "1e30", "0 (not given) or 500 to 20,000 lb"),
    ("Equivalent Test Weight (lbs.)", "5e-324", "0 (not given) or 500 to 20,000 lb"),
    ("Target Coef A (lbf)", "1e9", "0 (not given) or 1 to 500 lbf"),
    ("Target Coef B (lbf/mph)", "-1e9", "-10 to 10 lbf/mph"),
    ("RND_ADJ_FE", "1e12", "0 (not given) or 1 to 20,000 mpg or MPGe"),
    ("RND_ADJ_FE", "5e-324", "0 (not given) or 1 to 20,000 mpg or MPGe"),
    ("# of Gears", "200", "0 (not given) or 1 to 20"),
    ("Rated Horsepower", "1e6", "0 (not given) or 1 to 3,000 hp"),
])
def test_a_test_car_value_outside_its_physical_range_is_one_line(tmp_path, col, value, allowed):
    """Finite but absurd values were read (an ETW of 1e30 lb, 200 gears, an mpg of 1e12),
    and a subnormal ETW or result divided the loader and the label error
    (ZeroDivisionError tracebacks from ``validate --testcars`` and ``import epa``)."""
    f = _cube(tmp_path, **{col: value})
    with pytest.raises(InputError) as exc:
        epafiles.read_testcars(f)
    assert str(exc.value) == (f"{f}: line 2: column {col!r} = {value!r}: outside the physical "
                              f"range; allowed: {allowed}")


@pytest.mark.parametrize("col, value", [("year", "1800"), ("year", "9999"),
                                        ("comb08", "1e12"), ("range", "1e9")])
def test_a_label_value_outside_its_physical_range_is_one_line(tmp_path, col, value):
    f = _labels(tmp_path, **{col: value})
    with pytest.raises(InputError, match=rf"line 2: column '{col}' = '{value}'(: outside the "
                                         r"physical range)?; allowed: "):
        epafiles.read_labels(f)


def test_a_label_value_of_zero_the_label_needs_skips_the_row(tmp_path):
    """``comb08 = 0`` divided the label error: a ZeroDivisionError traceback from
    ``validate --testcars --labels``; now skipped and counted, as a blank one is."""
    f = _labels(tmp_path, comb08="0")
    lab = epafiles.read_labels(f)
    assert lab.rows == [] and lab.skipped == {"zero comb08": 20}


def test_a_negative_coast_down_c_is_skipped_and_counted(tmp_path):
    """As before s40b: EPA's own files hold negative placeholders; counted in the note."""
    f = _cube(tmp_path, **{"Target Coef C (lbf/mph**2)": "-0.02"})
    n = len(f.read_text(encoding="utf-8").splitlines()) - 1
    got = epafiles.read_testcars(f)
    assert n > 0 and got.rows == [] and got.skipped == {"negative Target Coef C (lbf/mph**2)": n}


@pytest.mark.parametrize("col", ["# of Gears", "Model Year"])
def test_a_whole_number_of_400_digits_is_one_line(tmp_path, col):
    """``float(int(v))`` of 400 digits: an OverflowError traceback."""
    f = _cube(tmp_path, **{col: "9" * 400})
    with pytest.raises(InputError, match=rf"column '{col}' = '9{{10,}}\.\.\.: not a whole "
                                         r"number; allowed: a whole number\Z"):
        epafiles.read_testcars(f)


def test_a_long_cell_is_cut_in_the_message(tmp_path):
    """The value was printed whole: a 100,000-character cell, a 100,000-character line."""
    f = _cube(tmp_path, **{"Axle Ratio": "x" * 100_000})
    with pytest.raises(InputError) as exc:
        epafiles.read_testcars(f)
    assert "not a finite number" in str(exc.value) and len(str(exc.value)) < 500


def test_every_shipped_row_is_inside_the_ranges():
    """Guard: the ranges refuse no shipped row (the check would refuse a real file)."""
    for read, name, n in ((epafiles.read_testcars, tc.TESTCAR_FILE, 4136),
                          (epafiles.read_labels, epafiles.LABEL_FILE, 5003)):
        got = read(Path(tc.__file__).parent.parent / "data" / "epa" / name)
        assert len(got.rows) == n and got.skipped == {}
    assert set(epafiles.RANGES) == set(epafiles.TEST_NUMERIC) | set(epafiles.LABEL_NUMERIC)


_HEAD, _ROWS = _shipped(tc.TESTCAR_FILE)
_LHEAD, _LROWS = _shipped(epafiles.LABEL_FILE)
_CELLS = st.one_of(
    st.sampled_from(["0", "-0", "5e-324", "-5e-324", "1e308", "1e-308", "nan", "-inf", "",
                     " ", "9" * 400, "1_000", "0x10", "１２", "1e30", "-1e30", "3.0", "Yes",
                     "No", '"', "\u00a0", "=1+2"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10**30, 10**30).map(str),
    st.text(max_size=20))


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_epa_files(tmp_path, data):
    """Any cells in any columns of a test-car or label file: rows, or one InputError line."""
    if data.draw(st.booleans()):
        head, rows, read = _HEAD, _ROWS, epafiles.read_testcars
    else:
        head, rows, read = _LHEAD, _LROWS, epafiles.read_labels
    rows = [dict(r) for r in rows[:4]]
    for _ in range(data.draw(st.integers(1, 6))):
        r = data.draw(st.sampled_from(rows))
        r[data.draw(st.sampled_from(head))] = data.draw(_CELLS)
    f = _write(tmp_path / "f.csv", head, rows)
    try:
        got = read(f)
    except InputError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 1000
    else:
        for r in got.rows:
            for col, (lo, hi, _) in epafiles.RANGES.items():
                if r.get(col):
                    x = float(r[col])
                    assert lo <= x <= hi or x == 0


def test_validate_with_a_label_of_zero_is_not_a_traceback(tmp_path, capsys):
    """The one CLI run of this file: ``validate --testcars --labels`` whose label rows
    hold ``comb08 = 0`` (the ZeroDivisionError traceback before s40b)."""
    t = _cube(tmp_path)
    car = next(c for c in tc.test_cars() if c.family == "NISSAN CUBE")
    lab = tc.label_for(car)
    head, rows = _shipped(epafiles.LABEL_FILE)
    mine = [dict(r, comb08="0") for r in rows if r["id"] == lab.id]
    f = _write(tmp_path / "l.csv", head, mine)
    assert main(["validate", "--testcars", str(t), "--labels", str(f)]) == 0
    assert "1 skipped (zero comb08)" in capsys.readouterr().out


# ----------------------------------------------------------------- a study's scales

STUDY = f"""
[study]
name = "t"
design = "{DESIGNS / 'carry_class.toml'}"
[[variable]]
name = "crash.front.crush_length"
lower = 200
upper = 300
{{var}}
[objective]
name = "mass:curb"
{{obj}}
[[constraint]]
quantity = "mass:curb"
upper = 1000
units = "kg"
{{con}}
"""


@pytest.mark.parametrize("where", ["var", "obj", "con"])
@pytest.mark.parametrize("ref", ["1e-320", "5e-324", "1e-7", "1e300", "1.1e12"])
def test_a_ref_outside_its_range_is_one_line(tmp_path, where, ref):
    """A subnormal ``ref`` ran to "NOT converged" (1/ref overflowed), 1e300 scaled every
    quantity to nothing (audit s39c's remaining item)."""
    text = STUDY.format(**{k: f"ref = {ref}" if k == where else "" for k in
                           ("var", "obj", "con")})
    field = {"var": "variable[1]", "obj": "objective", "con": "constraint[1]"}[where]
    want = (f"s.toml: {field}.ref = {show(float(ref))}: not allowed; allowed: a scale from "
            "1e-06 to 1e+12 in the quantity's units")
    with pytest.raises(InputError, match=re.escape(want) + r"\Z"):
        parse_study(text, str(tmp_path / "s.toml"), base_dir=DESIGNS)


def test_a_ref_at_either_end_of_its_range_is_read(tmp_path):
    """Guard: the range's ends are allowed."""
    from keidesign.studies.spec import REF_RANGE

    lo, hi = REF_RANGE
    assert (lo, hi) == (1e-6, 1e12)
    study = parse_study(STUDY.format(var=f"ref = {lo!r}", obj=f"ref = {hi!r}",
                                     con=f"ref = {lo!r}"),
                        str(tmp_path / "s.toml"), base_dir=DESIGNS)
    assert study.variables[0].ref == lo and study.objective.ref == hi


@pytest.mark.parametrize("key", ["ref0", "scaler", "adder"])
def test_other_scales_are_unknown_keys(tmp_path, key):
    """Guard: a study gives only ``ref``; OpenMDAO's other scales are not keys of it."""
    with pytest.raises(InputError, match=rf"{key}"):
        parse_study(STUDY.format(var=f"{key} = 1e-320", obj="", con=""),
                    str(tmp_path / "s.toml"), base_dir=DESIGNS)


# ----------------------------------------------------------------- --workers


@pytest.mark.parametrize("n", ["1000000", "9" * 30])
def test_workers_beyond_four_per_cpu_is_one_line(tmp_path, capsys, n):
    """Up to 30 digits were accepted: a LocalCluster of min(N, tasks) processes of
    ~200-300 MB each. Refused before the study is read (it need not exist)."""
    cap = 4 * (os.cpu_count() or 1)
    t0 = time.perf_counter()
    assert main(["sweep", str(tmp_path / "none.toml"), "--workers", n]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"keidesign: error: --workers {int(n)}: more worker processes than 4 per "
                   f"CPU of this machine ({os.cpu_count() or 1}); allowed: 1 to {cap}"]
    assert time.perf_counter() - t0 < 5


# ----------------------------------------------------------------- the LocalCluster


def test_the_local_cluster_refuses_clients_without_its_certificate():
    """The LocalCluster's scheduler listened on loopback with no authentication: any user
    of the machine could connect and run code (Dask unpickles what a client submits).
    With :func:`local_security`, only a client holding the run's certificate gets in
    (an in-process scheduler, no workers: loopback only)."""
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    from keidesign.studies.runner import local_security

    sec, folder = local_security()
    if sec is None:
        pytest.skip("neither openssl nor cryptography on this machine")
    other, other_folder = local_security()  # another run's credentials
    try:
        with LocalCluster(n_workers=0, processes=False, host="127.0.0.1",
                          dashboard_address=None, security=sec) as cluster:
            addr = cluster.scheduler_address
            assert addr.startswith("tls://127.0.0.1:")
            with Client(addr, security=sec, timeout=10) as own:
                assert own.scheduler_info()["address"] == addr
            for address, security in ((addr.replace("tls://", "tcp://"), None),
                                      (addr, other)):
                with pytest.raises(Exception):  # noqa: B017 (Dask's own errors)
                    Client(address, security=security, timeout=3)
        if folder is not None:
            assert oct(os.stat(folder).st_mode & 0o777) == "0o700"
            assert "ca.key" not in os.listdir(folder)
    finally:
        import shutil

        for f in (folder, other_folder):
            if f is not None:
                shutil.rmtree(f, ignore_errors=True)


def test_a_file_of_a_million_columns_is_one_line(tmp_path):
    """A 32 MB file of 1,000,000 empty columns took 158 s and 1.2 GB to read 25 rows."""
    head, rows = _shipped(tc.TESTCAR_FILE)
    f = tmp_path / "wide.csv"
    f.write_text(",".join(head + [f"x{i}" for i in range(1_000_000)]) + "\n"
                 + ",".join(rows[0][h] for h in head) + "," * 1_000_000 + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    # since audit s42a its header is refused as a record of more than 1 MiB (CSV_MAX_RECORD)
    with pytest.raises(InputError, match=r"wide\.csv: line 1: a row of more than 1,048,576 "
                                         r"characters; allowed: at most 1,048,576 "):
        epafiles.read_testcars(f)
    assert time.perf_counter() - t0 < 5
    f.write_text(",".join(head + [f"x{i}" for i in range(1_500)]) + "\n"
                 + ",".join(rows[0][h] for h in head) + "," * 1_500 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"wide\.csv: 1,530 columns; allowed: at most 1,000 "):
        epafiles.read_testcars(f)


def test_validate_of_more_configurations_than_the_limit_is_one_line(tmp_path, capsys,
                                                                     monkeypatch):
    """Each configuration of ``validate --testcars`` is a model run (~0.5-0.8 s): a 32 MB
    file held ~75,000 (~12 h). Refused before any runs (the limit lowered to 2 here; the
    file holds 3 configurations, one Nissan Cube's rows under three vehicles)."""
    monkeypatch.setattr(epafiles, "MAX_VALIDATE", 2)
    car = next(c for c in tc.test_cars() if c.family == "NISSAN CUBE")
    head, rows = _shipped(tc.TESTCAR_FILE)
    mine = [dict(r, **{"Test Number": f"{r['Test Number']}{i}", "Test Vehicle ID": f"V{i}"})
            for i in range(3) for r in rows if r["Test Number"] in car.test_numbers]
    f = _write(tmp_path / "t.csv", head, mine)
    t0 = time.perf_counter()
    assert main(["validate", "--testcars", str(f)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].endswith(": 3 configurations; allowed: at most 2 (a model "
                                             "run each; the shipped rows hold 674): split "
                                             "the file"), err
    assert time.perf_counter() - t0 < 10
