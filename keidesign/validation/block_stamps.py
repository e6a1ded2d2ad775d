"""Stamps of the slow generated blocks of the docs: the model sentinel each was made with.

A slow block is one no test regenerates (its script takes minutes to an hour:
:data:`SLOW`). When its script writes it (``--write-docs``) or finds it equal to a fresh
run (``--check``), the script records in ``docs/block_stamps.json`` the values of
:func:`keidesign.validation.sentinel.sentinel` for the disciplines the block depends on
(``benchmarks/docblock.py``'s ``stamp``, in the script's own process after its run; no
other command writes a stamp). ``tests/test_docs_stamps.py`` recomputes the sentinel and
fails, one message per block, for every stamp that differs from it (:func:`stale`): a
refit, a changed equation or data row that moves the sentinel makes the tests fail until
the blocks that depend on it are rerun.

Tolerance (:data:`RTOL`): 1e-9 relative. The sentinel is direct evaluations (no
optimizer, no random numbers): repeated runs, in one process or a fresh one with 1 or 2
BLAS threads, give the same bits here; another platform's round-off is ~1e-15-1e-12
relative. A real change moves it by far more: the smallest change a refit can write, the
last of the 6 significant digits ``calibration.toml`` keeps (e.g. ``alpha`` 0.815752 ->
0.815753, 1.2e-6 relative), moves the energy sentinel by ~1e-7 relative or more
(docs/validation.md, "Data and method", the drift guard; tests/test_docs_stamps.py).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keidesign.validation.sentinel import DISCIPLINES

#: relative tolerance of a stamped value against today's (see the module docstring)
RTOL = 1e-9
#: absolute tolerance, for values that are 0 (a BEV's fuel economy outputs)
ATOL = 1e-12
#: the stamps file, beside the docs it stamps
FILE = "block_stamps.json"
SCHEMA = "keidesign.block_stamps/1"


@dataclass(frozen=True)
class SlowBlock:
    """A generated block no test regenerates: the disciplines its figures depend on and
    the command that rewrites (and stamps) it."""

    doc: str
    disciplines: tuple[str, ...]
    command: str


def _slow(doc: str, disciplines: str, script: str, *args: str) -> SlowBlock:
    return SlowBlock(doc, tuple(disciplines.split()),
                     " ".join(("python", f"benchmarks/{script}.py", "--write-docs", *args)))


#: the slow blocks, by their marker's name (``benchmarks/<script>.py`` and its part)
SLOW: dict[str, SlowBlock] = {
    "benchmarks/validation.py": _slow("validation.md", "energy mass", "validation"),
    "benchmarks/mlit_kei.py": _slow("validation.md", "energy mass", "mlit_kei"),
    "benchmarks/fastsim_validation.py": _slow("validation.md", "energy mass",
                                              "fastsim_validation"),
    "benchmarks/crash_outcomes.py": _slow("crash.md", "crash roof mass", "crash_outcomes"),
    "benchmarks/crash_outcomes.py (own_tests)": _slow("crash.md", "crash mass",
                                                      "crash_outcomes"),
    **{f"benchmarks/crash_probes.py ({p})": _slow("crash.md", "crash mass", "crash_probes", p)
       for p in ("iq_budget", "crush_terms")},
    **{f"benchmarks/study_results.py ({k})": _slow(
        "studies.md", "energy mass crash roof design", "study_results", "--only", k)
       for k in "abcdef"},
}


def block_name(script: str, part: str | None = None) -> str:
    """The name of a block, as its markers give it: ``benchmarks/<script>.py (<part>)``."""
    return f"benchmarks/{script}.py" + (f" ({part})" if part else "")


def load(folder: Path) -> dict[str, Any]:
    """The stamps of ``folder`` (``{"blocks": {name: {...}}}``; empty if no file)."""
    path = folder / FILE
    if not path.is_file():
        return {"schema": SCHEMA, "blocks": {}}
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("schema") != SCHEMA:
        raise ValueError(f"{path}: schema {data.get('schema')!r}: allowed: {SCHEMA!r}")
    return data


def record(doc: Path, script: str, part: str | None = None) -> bool:
    """Stamp the block of ``script`` (``part``) in ``doc`` with today's sentinel of its
    disciplines, in ``block_stamps.json`` beside ``doc``; False (nothing written) for a
    block that is not in :data:`SLOW` (a test regenerates it)."""
    from keidesign.validation.sentinel import sentinel

    name = block_name(script, part)
    slow = SLOW.get(name)
    if slow is None:
        return False
    values = sentinel(slow.disciplines)     # seconds: before the file is read, so that
    data = load(doc.parent)                 # two scripts ending together keep both stamps
    data["blocks"][name] = {"doc": doc.name, "command": slow.command, "sentinel": values}
    data = {"schema": SCHEMA,
            "note": "written by the scripts of the slow generated blocks when they write "
                    "a block or find it current; do not edit (keidesign.validation."
                    "block_stamps, tests/test_docs_stamps.py)",
            "blocks": dict(sorted(data["blocks"].items()))}
    (doc.parent / FILE).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"stamped {name} in {doc.parent.name}/{FILE} ({', '.join(slow.disciplines)})")
    return True


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL)
    return a == b


def differences(stamped: dict[str, dict], now: dict[str, dict]) -> list[str]:
    """What differs between a stamped sentinel and today's, one phrase per discipline:
    ``energy: 3 of 55 values differ, e.g. 'x' 1.0 -> 1.1`` (or the keys added or gone)."""
    out = []
    for d in sorted(set(stamped) | set(now)):
        old, new = stamped.get(d), now.get(d)
        if old is None or new is None:
            out.append(f"{d}: {'not stamped' if old is None else 'no longer computed'}")
            continue
        if set(old) != set(new):
            gone, added = sorted(set(old) - set(new)), sorted(set(new) - set(old))
            out.append(f"{d}: evaluations " + "; ".join(
                s for s in (f"gone {gone[:2]}" if gone else "",
                            f"added {added[:2]}" if added else "") if s))
            continue
        moved = [k for k in old if not _same(old[k], new[k])]
        if moved:
            k = max(moved, key=lambda k: _rel(old[k], new[k]))
            out.append(f"{d}: {len(moved)} of {len(old)} values differ, most "
                       f"{k!r} {old[k]!r} -> {new[k]!r}")
    return out


def _rel(a: Any, b: Any) -> float:
    if isinstance(a, float) and isinstance(b, float):
        return abs(b - a) / max(abs(a), ATOL)
    return math.inf


def stale(folder: Path, now: dict[str, dict]) -> list[str]:
    """One message per stamped block of ``folder`` whose sentinel differs from ``now``
    (today's, every discipline the stamps name), naming the block, its doc, what moved
    and the command that rewrites and restamps it."""
    out = []
    for name, s in load(folder)["blocks"].items():
        wanted = {d: now[d] for d in s["sentinel"] if d in now}
        diff = differences(s["sentinel"], wanted)
        if diff:
            out.append(f"docs/{s['doc']}: the block of {name} was made with other model "
                       f"values ({'; '.join(diff)}): rerun `{s['command']}` (or its "
                       "--check, which restamps a block it finds unchanged)")
    return out


__all__ = ["ATOL", "DISCIPLINES", "FILE", "RTOL", "SLOW", "SlowBlock", "block_name",
           "differences", "load", "record", "stale"]
