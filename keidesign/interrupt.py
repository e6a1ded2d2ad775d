"""What a Ctrl-C gives: the one line, exit 130, and the SIGINT handler of a command's start.

Every ``keidesign`` command stopped by Ctrl-C (SIGINT) writes one line
:data:`INTERRUPTED_LINE` on stderr and exits :data:`EXIT_INTERRUPTED` (128 + 2, as a
shell reports a command it interrupted). :func:`interrupted_at_start` is the handler of
the command's first moments (:mod:`keidesign.console` sets it before anything heavy is
imported; :func:`keidesign.cli.main` replaces it by its own and puts it back). Standard
library's ``os`` only (loaded with Python itself), so that the entry and the command
line share it without importing each other (tests/test_layers.py) and the entry sets
the handler as soon as Python has started.
"""

from __future__ import annotations

import os

#: the one line of an interrupted command, on stderr
INTERRUPTED_LINE = "keidesign: interrupted"
#: exit status of an interrupted command: 128 + SIGINT
EXIT_INTERRUPTED = 130


def interrupted_at_start(signum: int, frame: object) -> None:
    """SIGINT handler until :func:`keidesign.cli.main` runs: the one line, then the
    process ends at once with :data:`EXIT_INTERRUPTED` (``os._exit``: nothing is read or
    written yet; no exception, which an import or a gc callback could print or drop)."""
    os.write(2, (INTERRUPTED_LINE + "\n").encode())
    os._exit(EXIT_INTERRUPTED)
