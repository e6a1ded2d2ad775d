"""Both user EPA files at their limits through the whole commands (docs/security.md,
round 12, "What remains"; re-measured by task s45d after s44j's compact row store).

Writes two files of the shipped columns into ``--out`` and, with ``--measure``, runs
``keidesign import epa --testcars T --labels L --model FIT --year 2017 --make K0HONDA``
and ``keidesign validate --testcars T --labels L`` on them, each in its own process,
printing its exit status, wall time (s), CPU time (user + system, s) and peak resident
set size (MB, the kernel's ``ru_maxrss`` of that child, :func:`os.wait4`), and the same
for ``import epa`` on the shipped rows (the command's own work).

- test cars (``testcars.csv``): each usable shipped configuration's first FTP and first
  HWFET row (two rows a configuration, the fewest the loader accepts, so the most
  configurations a file can hold), repeated with the make prefixed ``K<n>`` and the test
  number suffixed ``K<n>`` (the loader drops a repeated test number) until the file
  passes 30 MiB: ~136,000 rows, ~67,000 configurations, within ``MAX_BYTES`` (32 MiB)
  and ``MAX_ROWS`` (200,000);
- labels (``labels.csv``): the shipped label rows repeated with the same make prefix
  until 30 MiB or 199,000 rows.

Each test-car copy has its own make, so the label join compares each configuration with
its own copy's label rows (within ``JOIN_MAX``); ``validate`` refuses the file by its
configuration count (more than ``MAX_VALIDATE``) after building them, which is the case
the round measured.

Usage: python benchmarks/epa_limit_files.py [--out /tmp/epa_limits] [--measure]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path

from keidesign.energy import epafiles
from keidesign.energy import testcars as tc

DATA = Path(epafiles.__file__).resolve().parents[1] / "data" / "epa"
#: size each generated file is grown to (bytes); the limit is ``epafiles.MAX_BYTES``
TARGET = 30 * 1024 * 1024
#: most data rows a generated file holds (``epafiles.MAX_ROWS`` counts the header too)
ROWS = 199_000
KEY = ("Model Year", "Represented Test Veh Make", "Represented Test Veh Model",
       "Test Vehicle ID")


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _write(path: Path, head: list[str], body: list[list[str]], edit) -> int:
    """``body`` repeated, each copy ``n`` edited by ``edit(row, n)``, until the file
    passes :data:`TARGET` bytes or holds :data:`ROWS` rows; returns the rows written."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(head)
    n_rows, n = 0, 0
    while buf.tell() < TARGET and n_rows < ROWS:
        for r in body:
            if n_rows >= ROWS:
                break
            w.writerow(edit(list(r), n))
            n_rows += 1
        n += 1
    path.write_text(buf.getvalue(), encoding="utf-8")
    return n_rows


def test_car_pairs() -> tuple[list[str], list[list[str]]]:
    """The header and each usable shipped configuration's first FTP and HWFET rows."""
    head, body = _read(DATA / tc.TESTCAR_FILE)
    c = {h: i for i, h in enumerate(head)}
    usable = {(str(x.year), x.make.upper(), x.model, x.vehicle_id) for x in tc.test_cars()}
    pairs: dict[tuple[str, ...], dict[str, list[str]]] = {}
    for r in body:
        test = tc.TEST_OF.get(r[c["Test Procedure Description"]])
        if test not in ("ftp", "hwfet") or tc.analytically_derived(dict(zip(head, r, strict=True))):
            continue
        key = tuple(r[c[k]].strip() for k in KEY)
        if (key[0], key[1].upper(), key[2], key[3]) in usable:
            pairs.setdefault(key, {}).setdefault(test, r)
    return head, [r for p in pairs.values() if len(p) == 2 for r in (p["ftp"], p["hwfet"])]


def write_files(out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    head, body = test_car_pairs()
    c = {h: i for i, h in enumerate(head)}

    def car(r: list[str], n: int) -> list[str]:
        r[c["Represented Test Veh Make"]] = f"K{n}{r[c['Represented Test Veh Make']]}"
        r[c["Test Number"]] = f"{r[c['Test Number']]}K{n}"
        return r

    cars = out / "testcars.csv"
    n_cars = _write(cars, head, body, car)
    lhead, lbody = _read(DATA / epafiles.LABEL_FILE)
    mi = lhead.index("make")

    def label(r: list[str], n: int) -> list[str]:
        r[mi] = f"K{n}{r[mi]}"
        return r

    labels = out / "labels.csv"
    n_labels = _write(labels, lhead, lbody, label)
    for p, n in ((cars, n_cars), (labels, n_labels)):
        print(f"wrote {p}: {n:,} rows, {p.stat().st_size / 2**20:.1f} MiB")
    return cars, labels


def run(args: list[str]) -> str:
    """One ``keidesign`` command in its own process: status, wall, CPU and peak RSS."""
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "keidesign", *args],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    err = p.stderr.read().decode(errors="replace").strip().splitlines() if p.stderr else []
    p.returncode = os.waitstatus_to_exitcode(status)
    return (f"keidesign {' '.join(args)}: exit {p.returncode}, {dt:.1f} s wall, "
            f"{ru.ru_utime + ru.ru_stime:.1f} s CPU, {ru.ru_maxrss / 1024:.0f} MB peak RSS"
            + (f"\n  last line: {err[-1][:200]}" if err else ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/epa_limits"))
    ap.add_argument("--measure", action="store_true", help="run the two commands")
    a = ap.parse_args()
    cars, labels = write_files(a.out)
    if not a.measure:
        return
    files = ["--testcars", str(cars), "--labels", str(labels)]
    print(run(["import", "epa", "--year", "2017", "--make", "HONDA", "--model", "FIT"]))
    print(run(["import", "epa", *files, "--model", "FIT", "--year", "2017", "--make",
               "K0HONDA"]))
    print(run(["validate", *files]))


if __name__ == "__main__":
    main()
