"""Ctrl-C a whole ``keidesign`` command at set moments of its first seconds; count how it ends.

    python benchmarks/ctrl_c_startup.py [--tries N] [--from S] [--upto S] [--command NAME]
        [--script PATH] [--logs DIR]

Each try starts one command in a fresh process through the console script ``--script``
(default: the ``keidesign`` next to this Python, the generated wrapper that imports the
``[project.scripts]`` entry and calls it), or through ``python -m keidesign`` with
``--script -m``; this checkout on ``PYTHONPATH``, ``OPENMDAO_REPORTS=0``. One SIGINT is
sent at a moment of an even spread ``--from`` ... ``--upto`` s after the start (default
60 tries over 0.05-3 s), covering Python's start, the import of the command line, the
parser, the command's own imports and its run. Commands (``--command``):

* ``check``: ``keidesign check studies/designs/nbox_class.toml`` (no model, ~0.5 s);
* ``help``: ``keidesign --help``;
* ``evaluate``: ``keidesign evaluate studies/designs/nbox_class.toml`` (imports OpenMDAO
  and the model, runs it: several seconds).

Outcomes: ``done`` (the command ended before the SIGINT was sent: its own status),
``130`` (the promised one line ``keidesign: interrupted`` and exit 130), ``130+trace``
(130 with a traceback or an "Exception ignored" on stderr), ``-2`` (the process died by
the signal itself: a Ctrl-C before Python or keidesign installed a handler),
``-2+trace`` (the same after Python's KeyboardInterrupt traceback), any other exit
status as a number (``0``: the command ran to its end although signalled: the SIGINT came
in its teardown, or was lost). The stdout line count and the stderr of every outcome but
``done`` and a clean ``130`` are written to ``--logs``. Task s44b (8 Dec 2026): the
SIGINT before ``keidesign.cli.main`` installed its handler; see :mod:`keidesign.console`.
No outcome is asserted here.
"""

from __future__ import annotations

import argparse
import collections
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = {
    "check": ["check", "studies/designs/nbox_class.toml"],
    "help": ["--help"],
    "evaluate": ["evaluate", "studies/designs/nbox_class.toml"],
}
LINE = "keidesign: interrupted"


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def outcome(status: int | None, err: str) -> str:
    """The outcome's name (``None``: the command ended before the SIGINT)."""
    if status is None:
        return "done"
    traced = "Traceback" in err or "Exception ignored" in err
    if status == 130:
        return "130+trace" if traced or err.strip() != LINE else "130"
    if status == -signal.SIGINT:
        return "-2+trace" if traced else "-2"
    return str(status)


def one_try(launcher: list[str], command: list[str], at: float) -> tuple[str, int, str, int]:
    """(outcome, exit status, stderr, stdout lines) of the command sent SIGINT ``at`` s
    after its start."""
    env = {**os.environ, "OPENMDAO_REPORTS": "0", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([*launcher, *command], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, preexec_fn=_default_sigint)
    t0 = time.monotonic()
    while proc.poll() is None and time.monotonic() - t0 < at:
        time.sleep(0.002)
    ended = proc.poll() is not None
    if not ended:
        proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=600)
    text = err.decode(errors="replace")
    return (outcome(None if ended else proc.returncode, text), proc.returncode, text,
            out.count(b"\n"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tries", type=int, default=60)
    ap.add_argument("--from", dest="start", type=float, default=0.05, help="first SIGINT, s")
    ap.add_argument("--upto", type=float, default=3.0, help="last SIGINT, s")
    ap.add_argument("--command", choices=sorted(COMMANDS), default="check")
    ap.add_argument("--script", default=str(Path(sys.executable).parent / "keidesign"),
                    help="console script to run, or -m for python -m keidesign")
    ap.add_argument("--logs", type=Path,
                    default=Path(tempfile.gettempdir()) / "ctrl_c_startup")
    args = ap.parse_args()
    launcher = [sys.executable, "-m", "keidesign"] if args.script == "-m" else [args.script]
    args.logs.mkdir(parents=True, exist_ok=True)
    counts: collections.Counter = collections.Counter()
    step = (args.upto - args.start) / max(args.tries - 1, 1)
    for i in range(args.tries):
        at = args.start + i * step
        kind, status, err, lines = one_try(launcher, COMMANDS[args.command], at)
        counts[kind] += 1
        if kind not in ("done", "130"):
            (args.logs / f"{os.getpid()}_{i:03d}_{kind}_{at:.2f}s.txt").write_text(
                f"[{lines} lines on stdout]\n{err}")
        print(f"{i:3d} SIGINT at {at:5.2f} s: {kind:9s} (exit {status}, {lines} lines out)",
              flush=True)
    print(f"{args.command} via {' '.join(launcher)}:",
          ", ".join(f"{k}: {n}" for k, n in sorted(counts.items())))


if __name__ == "__main__":
    main()
