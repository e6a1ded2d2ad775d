"""The terminal section and the optional file of the suite plugins' reports
(``benchmarks/suite_cpu.py``, ``benchmarks/suite_setups.py``): one writer, so the two
plugins print and save their lines the same way (task s40a, 7 Dec 2026; they each had a
copy).
"""

from __future__ import annotations

import os


def write_report(terminalreporter, title: str, lines: list[str], env: str,
                 mode: str = "w") -> None:
    """Print ``lines`` under the section ``title``; if the environment variable ``env``
    names a path, also write them there (``mode`` ``"w"``: replace, ``"a"``: append, as
    one file's report after another's)."""
    terminalreporter.section(title)
    for line in lines:
        terminalreporter.write_line(line)
    path = os.environ.get(env)
    if path:
        with open(path, mode, encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
