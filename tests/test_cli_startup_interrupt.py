"""A Ctrl-C in the first moments of a ``keidesign`` command: one line, exit 130.

Before task s44b the console script imported :mod:`keidesign.cli` (numpy, the variable
registry) and built the parser (the plugin modules) with Python's default SIGINT handler:
a Ctrl-C there printed a KeyboardInterrupt traceback and the process died by the signal
(exit -2); one after the command had returned died the same way, or was lost, in the
interpreter's teardown. ``benchmarks/ctrl_c_startup.py`` measures it with real signals
at set moments; here the SIGINT is raised from inside the process at a chosen point, so
no timing decides the outcome: a ``sitecustomize`` module (imported by Python's ``site``
before any keidesign code) hooks ``sys.meta_path`` and raises SIGINT when a given module
is first looked for, or, once the command has returned, raises it from an ``atexit``
callback. ``exec:NAME`` raises it
inside an ``exec`` of a string, as in the methods dataclasses build: a ``python -m`` run
that caught it then still died by the signal (CPython 3.11's
``_Py_UnhandledKeyboardInterrupt``, :mod:`keidesign.console`). Each command runs as the
console script does (the ``[project.scripts]`` entry of pyproject.toml, imported and
called as pip's wrapper does) and as ``python -m keidesign``. On the code before s44b,
11 of these 15 cases fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DESIGN = "studies/designs/nbox_class.toml"

HOOK = '''
import atexit, os, signal, sys

_target = os.environ.get("KEIDESIGN_TEST_SIGINT_AT", "")
_in_exec = _target.startswith("exec:")   # raised inside an exec() of a string
_target = _target.removeprefix("exec:")


class _CtrlCAt:
    """A meta-path finder that finds nothing: it raises SIGINT when the target is first
    looked for, i.e. when it is about to be imported."""

    def find_spec(self, name, path=None, target=None):
        if name == _target:
            sys.meta_path.remove(self)
            if _in_exec:
                exec("import signal; signal.raise_signal(signal.SIGINT)")
            else:
                signal.raise_signal(signal.SIGINT)
        return None


class _AtexitWhenImported:
    """Registers the SIGINT atexit callback when keidesign.cli is imported: after the
    console entry's own, so it runs before it."""

    def find_spec(self, name, path=None, target=None):
        if name == "keidesign.cli":
            sys.meta_path.remove(self)
            atexit.register(signal.raise_signal, signal.SIGINT)
        return None


if _target == "atexit-first":
    atexit.register(signal.raise_signal, signal.SIGINT)
elif _target == "atexit":
    sys.meta_path.insert(0, _AtexitWhenImported())
elif _target:
    sys.meta_path.insert(0, _CtrlCAt())
'''


def _console_script() -> list[str]:
    """The console script as pip's generated wrapper runs it: import the entry named in
    pyproject's [project.scripts] and exit with what it returns."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        entry = tomllib.load(f)["project"]["scripts"]["keidesign"]
    module, _, func = entry.partition(":")
    wrapper = (f"import sys\nfrom {module} import {func}\nsys.argv[0] = 'keidesign'\n"
               f"sys.exit({func}())")
    return [sys.executable, "-c", wrapper]


LAUNCHERS = {"script": _console_script, "module": lambda: [sys.executable, "-m", "keidesign"]}


def _run(tmp_path: Path, launcher: str, at: str, *args: str) -> subprocess.CompletedProcess:
    (tmp_path / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
           "OPENMDAO_REPORTS": "0", "KEIDESIGN_TEST_SIGINT_AT": at}
    return subprocess.run([*LAUNCHERS[launcher](), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("launcher", sorted(LAUNCHERS))
@pytest.mark.parametrize(("at", "args"), [
    ("keidesign.cli", ("check", DESIGN)),          # the entry's import of the command line
    ("numpy", ("--help",)),                        # ... its numpy (the variable registry)
    ("keidesign.studies.commands", ("check", DESIGN)),  # the parser's plugin modules
    ("openmdao", ("evaluate", DESIGN)),            # the command's own imports (since s35f)
    ("exec:openmdao", ("check", DESIGN)),          # the command's run (keidesign.cli's
    #                                                handler), in an exec() of a string
])
def test_a_ctrl_c_while_the_command_starts_is_one_line_and_exit_130(tmp_path, launcher,
                                                                      at, args):
    out = _run(tmp_path, launcher, at, *args)
    assert out.returncode == 130, (out.returncode, out.stderr)
    assert out.stderr.splitlines() == ["keidesign: interrupted"], out.stderr
    assert out.stdout == ""


@pytest.mark.parametrize("launcher", sorted(LAUNCHERS))
@pytest.mark.parametrize("at", ["atexit", "atexit-first"])
def test_a_ctrl_c_after_the_command_returned_keeps_its_status_and_output(tmp_path,
                                                                         launcher, at):
    """The SIGINT comes in the interpreter's teardown, from an atexit callback run before
    the console entry's last one (its handler: exit at once) or after it (SIGINT
    ignored). The command's output is complete, its status stays (0), no traceback
    ("Exception ignored in atexit callback" before s44b)."""
    out = _run(tmp_path, launcher, at, "check", DESIGN)
    assert (out.returncode, out.stderr) == (0, "")
    assert out.stdout.startswith(f"{DESIGN}: ok (") and out.stdout.count("\n") == 1, out.stdout


def test_the_hook_fires_without_the_signal_handlers(tmp_path):
    """The hook raises a real SIGINT where it says: a plain Python importing numpy under
    it dies by the signal (so the tests above do not pass by a hook that never fired)."""
    (tmp_path / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "KEIDESIGN_TEST_SIGINT_AT": "numpy"}
    out = subprocess.run([sys.executable, "-c", "import numpy"], env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == -2 and "KeyboardInterrupt" in out.stderr, out
