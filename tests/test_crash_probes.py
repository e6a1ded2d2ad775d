"""The command line of benchmarks/crash_probes.py: a bad --force is one line and exit 2,
before any car is evaluated (the probes themselves run for minutes: docs/crash.md)."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def probes():
    if str(ROOT / "benchmarks") not in sys.path:  # the scripts import their helpers
        sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location("crash_probes",
                                                  ROOT / "benchmarks" / "crash_probes.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("argv", [["side_force", "--force"], ["--force", "abc"],
                                  ["overhang", "--force", "202"]])
def test_bad_force_option_is_one_line(probes, capsys, argv):
    assert probes.main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "--force" in err and "\n" not in err


def test_non_positive_force_names_field_value_and_range(probes):
    with pytest.raises(SystemExit, match=r"--force: -5 kN; allowed: a side force > 0 kN"):
        probes.side_force(-5.0)


def test_unknown_probe_is_refused(probes, capsys):
    assert probes.main(["side_forces"]) == 2
    assert "unknown probe 'side_forces'" in capsys.readouterr().err
