"""Memory and time of reading the user EPA files (task s44j, docs/security.md round 12).

Reads the shipped test-car and label files through :mod:`keidesign.energy.epafiles` and a
generated test-car file (the shipped rows repeated to about ``--mib`` MiB), and prints the
rows' hash (SHA-256 of the rows as ``col=value`` lines), the tracemalloc peak (MB) and the
wall time (s) of each read.

Usage: python benchmarks/epa_row_store.py [--mib 5] [--out /tmp/s44j_data]
"""

from __future__ import annotations

import argparse
import hashlib
import time
import tracemalloc
from pathlib import Path

from keidesign.energy import epafiles
from keidesign.energy import testcars as tc

DATA = Path(epafiles.__file__).resolve().parents[1] / "data" / "epa"


def rows_hash(rows) -> str:
    """SHA-256 of the rows, each as its ``col=value`` pairs in column order."""
    h = hashlib.sha256()
    for r in rows:
        h.update("\x1f".join(f"{k}={r[k]}" for k in r).encode())
        h.update(b"\n")
    return h.hexdigest()


def generated(out: Path, mib: float) -> Path:
    """The shipped test-car rows repeated to about ``mib`` MiB (its header once)."""
    lines = (DATA / tc.TESTCAR_FILE).read_text(encoding="utf-8").splitlines()
    head, body = lines[0], lines[1:]
    target = int(mib * 1024 * 1024)
    chunk = "\n".join(body) + "\n"
    path = out / f"testcars_{mib:g}mib.csv"
    path.write_text(head + "\n" + chunk * max(1, target // len(chunk)), encoding="utf-8")
    return path


def measure(read, path: Path) -> tuple[str, float, float, int]:
    """(hash, tracemalloc peak MB, wall s, rows) of ``read(path)``."""
    tracemalloc.start()
    t0 = time.perf_counter()
    f = read(path)
    dt = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return rows_hash(f.rows), peak, dt, len(f.rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mib", type=float, default=5.0)
    ap.add_argument("--out", type=Path, default=Path("/tmp/s44j_data"))
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    cases = [("shipped test cars", epafiles.read_testcars, DATA / tc.TESTCAR_FILE),
             ("shipped labels", epafiles.read_labels, DATA / epafiles.LABEL_FILE),
             (f"generated {a.mib:g} MiB test cars", epafiles.read_testcars,
              generated(a.out, a.mib))]
    for name, read, path in cases:
        h, peak, dt, n = measure(read, path)
        print(f"{name}: {n} rows, hash {h[:16]}, peak {peak:.1f} MB, {dt:.2f} s")


if __name__ == "__main__":
    main()
