"""Fuzz every user-file parser with many generated inputs (issue 12; docs/security.md).

Runs ``tests/test_fuzz_inputs.py`` (units grammar, design files, rule packs, study files,
keys of study files and ``--set``, spec files of ``keidesign import spec``)
with ``KEIDESIGN_FUZZ_EXAMPLES`` inputs per property (default 10,000, randomized seeds),
and reports the inputs tried and the time per input of each property (median of the
property's wall time divided by its inputs; the normal test suite runs 150 per property,
seeded, as the baseline of the same run)::

    python benchmarks/fuzz_inputs.py [--examples 10000]

A failure prints hypothesis's minimal failing input and exits 1.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROPERTIES = ["test_units_grammar", "test_design_files", "test_rule_packs", "test_study_files",
              "test_study_keys", "test_import_spec_files"]


def _run(prop: str, examples: int) -> tuple[int, float, str]:
    env = dict(os.environ, KEIDESIGN_FUZZ_EXAMPLES=str(examples), OPENMDAO_REPORTS="0")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           f"tests/test_fuzz_inputs.py::{prop}", "--hypothesis-show-statistics"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    return proc.returncode, wall, proc.stdout + proc.stderr


def _tried(out: str) -> int:
    """Inputs hypothesis reports having run (sum over its phases)."""
    return sum(int(n) for n in re.findall(r"- (\d+) passing", out)) or -1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=10_000,
                    help="inputs per property (default 10,000)")
    args = ap.parse_args(argv)
    total, failed = 0, False
    print(f"{'property':<22} {'inputs':>8} {'wall s':>8} {'ms/input':>9} "
          f"{'baseline ms/input (150 seeded)':>31}")
    for prop in PROPERTIES:
        rc0, wall0, out0 = _run(prop, 150)
        rc, wall, out = _run(prop, args.examples)
        n, n0 = _tried(out), _tried(out0)
        total += max(n, 0)
        per = 1e3 * wall / max(n, 1)
        per0 = 1e3 * wall0 / max(n0, 1)
        print(f"{prop:<22} {n:>8} {wall:>8.1f} {per:>9.2f} {per0:>31.2f}"
              + ("" if rc == 0 and rc0 == 0 else "   FAILED"))
        if rc or rc0:
            failed = True
            print(out[-4000:] if rc else out0[-4000:])
    print(f"total inputs: {total} (ratio per input: pytest start-up is included in the wall "
          "time of both runs)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
