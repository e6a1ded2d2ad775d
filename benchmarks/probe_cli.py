"""Command line of the probe scripts (validation_probes.py, crash_probes.py): run the
probes named on the command line, or all of them; an unknown name is one line and exit 2."""

from __future__ import annotations

import sys
from collections.abc import Callable


def run(probes: dict[str, Callable[[], None]], argv: list[str]) -> int:
    names = argv or list(probes)
    bad = [n for n in names if n not in probes]
    if bad:
        print(f"unknown probe {bad[0]!r}; one of {', '.join(probes)}", file=sys.stderr)
        return 2
    for n in names:
        print(f"## {n}")
        probes[n]()
    return 0
