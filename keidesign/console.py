"""The ``keidesign`` console script and ``python -m keidesign``: Ctrl-C from the first moment.

:func:`keidesign.cli.main` turns a Ctrl-C into one line ``keidesign: interrupted`` on
stderr and exit 130 (``keidesign.cli._on_ctrl_c``), but it could only do so once it had
installed that handler, after importing itself (numpy, the variable registry and the
catalogue: 0.25-0.4 s) and building its parser (the plugin modules). Until task s44b a
Ctrl-C in that time printed a KeyboardInterrupt traceback (20-30 lines) and the process
died by the signal (exit -2; 130 as a shell reports it): 6-7 of 60 Ctrl-Cs spread over
the first 3 s of ``keidesign check`` (``benchmarks/ctrl_c_startup.py``).

This module imports only ``_signal``, ``os``, ``sys`` and :mod:`keidesign.interrupt`.
:func:`main`, the entry of pyproject's ``[project.scripts]`` and of
``keidesign/__main__.py``, sets the SIGINT handler before it imports the command line:

* until :func:`keidesign.cli.main` installs its own handler (after the parser and the
  command's preload imports, just before the command runs), a Ctrl-C writes the one line
  and ends the process at once with 130
  (:func:`keidesign.interrupt.interrupted_at_start`, ``os._exit``): nothing has been
  read or written yet, and no exception is raised where an import (a bare ``except``)
  or a garbage-collector callback could print it or drop it;
* while the command runs, :mod:`keidesign.cli` handles Ctrl-C (the numba and gc-callback
  deferral included) and puts this handler back when it returns;
* once the command has returned, stdout and stderr are flushed and a Ctrl-C while
  Python joins the command's threads and runs the ``atexit`` callbacks (where one could
  wait for good) ends the process at once with the command's own status, silently: its
  work and output are complete. Python's handler there raised a KeyboardInterrupt that
  was printed as "Exception ignored in atexit callback" or dropped;
* after the last ``atexit`` callback (:func:`main` registers it first, so it runs last)
  SIGINT is ignored: Python then resets a handler of its own to the default, flushes,
  collects and tears the modules down (0.1-0.3 s with numpy and OpenMDAO loaded), and a
  Ctrl-C there killed the process by the signal (exit -2) after the output.

CPython 3.11 also ends a ``python -m`` run by the signal (exit -2, after the one line)
when a KeyboardInterrupt that was caught had passed through an ``exec``/``eval`` of a
string (dataclasses build their methods so; ``Modules/main.c`` ``pymain_run_module``
checks ``_Py_UnhandledKeyboardInterrupt``, which ``Python/pythonrun.c``
``run_eval_code_obj`` sets and never clears after a caught one): 2-5 of 60 Ctrl-Cs of
``python -m keidesign check`` in s44b. :func:`main` clears it with an
empty ``exec`` (that function sets it to 0 on entry) before it returns.

Out of reach: a Ctrl-C before Python has imported ``site`` (its first ~0.05-0.1 s; an
editable install's ``.pth`` finder imports ``pathlib`` there) ends in Python's own
"Fatal Python error: init_import_site" (exit 1), and one in the few milliseconds while
the console script imports this module, in Python's traceback (exit -2): 3 of 240
Ctrl-Cs at 0.05 s in s44b, each before the handler was set.
Measured with ``benchmarks/ctrl_c_startup.py`` (docs/studies.md, ``keidesign sweep``).
"""

from __future__ import annotations

# ``signal``'s C module: ``signal`` builds its enums when first imported (5-20 ms, more
# under load; 1 Ctrl-C of 60 landed there in s44b and printed Python's traceback)
import _signal
import os
import sys

from keidesign.interrupt import EXIT_INTERRUPTED, INTERRUPTED_LINE, interrupted_at_start


def exit_status(code: object) -> int:
    """The process's exit status for ``sys.exit(code)``: 0 for None, an int itself,
    1 for any other value (Python prints it)."""
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def _finished(code: object) -> None:
    """The command has returned ``code``: flush its output, clear CPython's record of a
    KeyboardInterrupt (see the module docstring), then let a Ctrl-C end the process at
    once with the command's status."""
    status = exit_status(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: Python's exit reports it
            pass
    exec("")  # noqa: S102 - no user text: resets _Py_UnhandledKeyboardInterrupt

    def after_finish(signum: int, frame: object) -> None:
        os._exit(status)

    _signal.signal(_signal.SIGINT, after_finish)


def _ignore_ctrl_c_in_teardown() -> None:
    """The last ``atexit`` callback: SIGINT ignored for the rest of the teardown (Python
    leaves an ignored signal ignored; a handler of its own it resets to the default)."""
    _signal.signal(_signal.SIGINT, _signal.SIG_IGN)


def main() -> int:
    """Entry of the ``keidesign`` console script: the SIGINT handler, then the command
    line (:func:`keidesign.cli.main`); returns its exit status."""
    _signal.signal(_signal.SIGINT, interrupted_at_start)
    import atexit

    atexit.register(_ignore_ctrl_c_in_teardown)
    code: object = EXIT_INTERRUPTED
    try:
        from keidesign.cli import main as cli_main

        code = cli_main()
    except SystemExit as exc:  # --help, --version, an argument error
        code = exc.code
        raise
    except KeyboardInterrupt:  # a second Ctrl-C while keidesign.cli reported the first
        print(INTERRUPTED_LINE, file=sys.stderr)
        code = EXIT_INTERRUPTED
    finally:
        _finished(code)
    return exit_status(code)
