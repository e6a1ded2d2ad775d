"""CPU time of a fresh checkout's first model evaluation: numba's cache keyed by the
checkout's path (numba's own locator) against keyed by the kernels' sources
(:mod:`keidesign.numbacache`).

Usage::

    python benchmarks/numba_cache.py [--repeat 2]

Method: the ``keidesign`` and ``geometry`` packages are copied (without ``__pycache__``)
to fresh folders, as a new clone or worktree is, each with new file times; a new,
empty cache folder (``NUMBA_CACHE_DIR``) serves the whole run. Per locator: one copy
evaluates the N-Box class design first (it fills the cache: kernels compiled, body
tapes recorded), then each of ``--repeat`` further copies, at paths of their own, does
the same in a fresh process; the table gives those processes' CPU time (user + system,
s; the evaluation's process, imports included). numba's own locator is chosen with
``NUMBA_CACHE_LOCATOR_CLASSES=UserProvidedCacheLocator`` (numba reads the variable
before the package's list), the same code otherwise. CPU time, not wall time, so the
ratio holds on a shared machine up to cache effects.

Why (task s40a, 7 Dec 2026): the CI runs the tests on a fresh clone at a new path, and
each pytest-xdist worker compiled every kernel again (~26 s of CPU for one evaluation,
measured on a copy of the repository) while the user cache held the same kernels from
other checkouts.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DESIGN = ROOT / "studies" / "designs" / "nbox_class.toml"
CODE = ("from keidesign.design import load_design\n"
        "from keidesign.evaluation import evaluate_design, resolve_packs\n"
        "import sys\n"
        "d = load_design(sys.argv[1])\n"
        "print(evaluate_design(d, resolve_packs(d.rules)).outputs['mass:curb'][0])\n")


def checkout(base: Path) -> Path:
    """A copy of the two packages under ``base`` (new paths, new file times)."""
    for pkg in ("keidesign", "geometry"):
        shutil.copytree(ROOT / pkg, base / pkg,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return base


def first_evaluation(tree: Path, env: dict[str, str]) -> tuple[float, str]:
    """(CPU s of a fresh process evaluating the N-Box design from ``tree``, its output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run([sys.executable, "-c", CODE, str(DESIGN)], capture_output=True,
                         text=True, check=False, cwd=tree,
                         env={**env, "PYTHONPATH": str(tree)})
    assert run.returncode == 0, run.stderr[-3000:]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, run.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, locators in (("path-keyed (numba's own)", "UserProvidedCacheLocator"),
                                ("source-keyed (keidesign.numbacache)", None)):
            cache = Path(tmp) / f"cache_{len(rows)}"
            env = {k: v for k, v in os.environ.items()
                   if k not in ("NUMBA_CACHE_LOCATOR_CLASSES", "PYTHONPATH")}
            env.update(NUMBA_CACHE_DIR=str(cache), OPENMDAO_REPORTS="0")
            if locators:
                env["NUMBA_CACHE_LOCATOR_CLASSES"] = locators
            trees = [checkout(Path(tmp) / f"{len(rows)}_{i}") for i in range(args.repeat + 1)]
            fill, out0 = first_evaluation(trees[0], env)
            cpus = []
            for tree in trees[1:]:
                cpu, out = first_evaluation(tree, env)
                assert out == out0, (out, out0)   # the same curb mass from the cache
                cpus.append(cpu)
            rows.append((label, fill, cpus))
    print(f"{'cache key':38s} {'first checkout s':>16s}  later checkouts s (CPU)")
    for label, fill, cpus in rows:
        print(f"{label:38s} {fill:16.1f}  " + ", ".join(f"{c:.1f}" for c in cpus))
    base, new = (sorted(r[2])[len(r[2]) // 2] for r in rows)
    print(f"median later checkout: {base:.1f} -> {new:.1f} s CPU (ratio {new / base:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
