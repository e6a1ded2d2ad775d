"""Start-up cost of the ``keidesign`` command line: wall time of whole commands.

    python benchmarks/cli_startup.py [--runs N] [--only NAME ...]

Each command runs N times (default 5) in a fresh ``python -m keidesign`` subprocess
(this checkout on ``PYTHONPATH``, ``OPENMDAO_REPORTS=0``), interleaved with the same
command on the **eager import path** measured in the same run: a ``python -c`` that first
imports what every command paid for before the lazy imports of December 2026
(``openmdao.api``, which imports matplotlib's ``pyplot`` through its ModOpt driver; the
study reader; the cost component; the import's builder; the model and the evaluation)
and then calls the same ``keidesign.cli.main``. Printed: the median of each, their
ratio, and the floor ``python -c pass``; the two paths' stdout must be equal (else the
command is flagged). Commands:

* ``help``: ``keidesign --help`` (parser and plugin registration only);
* ``check``: ``keidesign check studies/designs/nbox_class.toml`` (design file, body
  layout, rule packs; no model);
* ``import``: ``keidesign import vehicle "Honda Fit" --index 1`` with the restraint
  rule's on-disk cache (:mod:`keidesign.specs.resultcache`, in a temporary folder: the
  first run fills it, the median is a cached import);
* ``import-nocache``: the same without the cache (``KEIDESIGN_CACHE_DIR=""``: the model
  runs once for the restraint rule, as before the cache);
* ``evaluate``: ``keidesign evaluate studies/designs/nbox_class.toml``.

The machine's other load moves every figure; compare the ratio, not the seconds. No
timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = {
    "help": ["--help"],
    "check": ["check", "studies/designs/nbox_class.toml"],
    "import": ["import", "vehicle", "Honda Fit", "--index", "1"],
    "import-nocache": ["import", "vehicle", "Honda Fit", "--index", "1"],
    "evaluate": ["evaluate", "studies/designs/nbox_class.toml"],
}

#: what every command imported before the lazy imports (the eager path)
EAGER = ("import sys, openmdao.api, keidesign.studies.spec, keidesign.costing.component, "
         "keidesign.specs.build, keidesign.model, keidesign.evaluation; "
         "from keidesign.cli import main; sys.argv[0] = 'keidesign'; sys.exit(main())")


def _run(cmd: list[str], cache_dir: str = "") -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENMDAO_REPORTS": "0",
           "KEIDESIGN_CACHE_DIR": cache_dir}
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    dt = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)}: exit {out.returncode}\n{out.stderr}")
    return dt, out.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", nargs="+", choices=list(COMMANDS), default=list(COMMANDS))
    args = ap.parse_args()
    py = sys.executable
    tmp = tempfile.TemporaryDirectory()
    floor = statistics.median(_run([py, "-c", "pass"])[0] for _ in range(args.runs))
    print(f"{'command':<16}{'lazy (s)':>10}{'eager (s)':>11}{'lazy/eager':>12}  "
          f"output   (medians of {args.runs}; floor python -c pass {floor:.3f} s)")
    for name in args.only:
        lazy, eager, same = [], [], True
        cache = tmp.name if name == "import" else ""
        for _ in range(args.runs):  # interleaved: both paths see the same load
            t, out_lazy = _run([py, "-m", "keidesign", *COMMANDS[name]], cache)
            lazy.append(t)
            t, out_eager = _run([py, "-c", EAGER, *COMMANDS[name]], cache)
            eager.append(t)
            same = same and out_lazy == out_eager
        a, b = statistics.median(lazy), statistics.median(eager)
        print(f"{name:<16}{a:>10.3f}{b:>11.3f}{a / b:>12.2f}  "
              f"{'same' if same else 'DIFFERS'}")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
