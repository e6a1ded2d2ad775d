"""Ctrl-C a real ``keidesign sweep`` at random moments and count how it ends.

    python benchmarks/ctrl_c_sweep.py [--tries N] [--when rows|start] [--upto S] [--seed K]

Each try starts the sweep of ``tests/test_studies_runs.py``'s interrupted-sweep test (the
crush x height map, ``--serial``, ``sweep.levels=6``, ``sweep.chunk=3``: 36 cases, the
first 6 invalid and run without the model) in a fresh ``python -m keidesign`` subprocess
(this checkout on ``PYTHONPATH``, ``PYTHONFAULTHANDLER=1`` so a crash prints its stack)
and sends it one SIGINT:

* ``--when rows`` (default, the test's moment): once the store records 3 cases, plus a
  uniform 0-150 ms; the next chunks load the numba kernels from their cache;
* ``--when start``: a uniform 0-``--upto`` s after the start (imports, the cache load,
  the first chunks).

Printed per try: exit status, seconds to the SIGINT, cases recorded; at the end the count
of each outcome. The tool promises exit 130 and one line on stderr; ``130+trace`` is 130
with a traceback or an "Exception ignored" on stderr, ``0`` a Ctrl-C that was lost (the
sweep ran to its end), ``-11`` a crash (SIGSEGV), ``-2`` a process ended by the signal
itself (until task s44b a Ctrl-C before ``keidesign.cli.main`` installed its handler,
during Python's and keidesign's own imports; now ``keidesign.console`` handles it from
Python's start-up: ``benchmarks/ctrl_c_startup.py``). The stderr of every outcome but a
clean 130 is written to ``--logs``. Run two at once to load a 2-core machine as a full
test suite does. Task s43i (7 Dec 2026): see ``keidesign.cli._on_ctrl_c``. No outcome is
asserted here.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAP = ROOT / "studies" / "feasibility_crush_height.toml"


def _recorded(db: Path) -> int:
    if not db.is_file():
        return 0
    try:
        con = sqlite3.connect(db)
        try:
            return con.execute("SELECT count(*) FROM cases").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def one_try(rng: random.Random, when: str, upto: float) -> tuple[int, float, int, str]:
    """(exit status, seconds from start to the SIGINT, cases recorded, stderr)."""
    env = {**os.environ, "OPENMDAO_REPORTS": "0", "PYTHONFAULTHANDLER": "1",
           "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run"
        db = out / "cases.sqlite"
        proc = subprocess.Popen(
            [sys.executable, "-m", "keidesign", "sweep", str(MAP), "--out", str(out),
             "--serial", "--set", "sweep.levels=6", "--set", "sweep.chunk=3"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
            preexec_fn=_default_sigint)
        t0 = time.monotonic()
        if when == "rows":
            while proc.poll() is None and _recorded(db) < 3:
                time.sleep(0.05)
            time.sleep(rng.uniform(0.0, 0.15))
        else:
            time.sleep(rng.uniform(0.0, upto))
        at = time.monotonic() - t0
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=300)
        return proc.returncode, at, _recorded(db), err.decode(errors="replace")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tries", type=int, default=50)
    ap.add_argument("--when", choices=("rows", "start"), default="rows")
    ap.add_argument("--upto", type=float, default=2.8, help="--when start: latest SIGINT, s")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--logs", type=Path, default=Path(tempfile.gettempdir()) / "ctrl_c_sweep")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    args.logs.mkdir(parents=True, exist_ok=True)
    counts: collections.Counter = collections.Counter()
    for i in range(args.tries):
        status, at, recorded, err = one_try(rng, args.when, args.upto)
        kind = str(status)
        if status == 130 and ("Traceback" in err or "Exception ignored" in err):
            kind = "130+trace"
        counts[kind] += 1
        if kind != "130":
            (args.logs / f"{os.getpid()}_{i:03d}_{kind}_{at:.2f}s.txt").write_text(err)
        print(f"{i:3d} exit {status:4d} SIGINT at {at:5.2f} s, {recorded:2d} cases recorded",
              flush=True)
    print("outcomes:", ", ".join(f"{k}: {n}" for k, n in sorted(counts.items())))


if __name__ == "__main__":
    main()
