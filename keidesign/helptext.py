"""Plain text for ``--help`` from a reST docstring, and the options several commands share.

argparse prints a parser's description as written; the command modules' docstrings are
reST (``code``, :mod:`module`) and some say "CLI plugin", which is for the developer, not
the user. :func:`plain` drops that markup so ``keidesign X --help`` reads as prose.
:func:`add_epa_files` adds ``--testcars FILE`` / ``--labels FILE`` (a user's EPA rows,
:mod:`keidesign.energy.epafiles`) to ``keidesign import epa`` and ``keidesign validate``
with one wording of what the files are, and :func:`check_epa_files` their one rule; each
command says what it does with them. Base layer: the plugin modules import it at their
top, so it imports argparse, pathlib and :mod:`keidesign.errors` only.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from keidesign.errors import InputError

__all__ = ["EPA_FILES", "EXAMPLES", "ExamplesFormatter", "add_epa_files", "check_epa_files",
           "plain"]

#: The first line of an epilog whose lines :class:`ExamplesFormatter` keeps as written.
EXAMPLES = "examples (run from the repository root):"

_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")


def plain(doc: str) -> str:
    """``doc`` without reST roles, double backquotes or "CLI plugin" notes."""
    text = _ROLE.sub(r"\1", doc.strip())
    text = text.replace("``", "")
    text = re.sub(r"^CLI plugin:\s*", "", text)
    return text.replace(" (CLI plugin)", "")


class ExamplesFormatter(argparse.HelpFormatter):
    """argparse's formatter, but an epilog that starts with :data:`EXAMPLES` keeps its
    lines (one command a line, as a user copies it); the description is filled as
    usual."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith(EXAMPLES):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


#: The shipped files whose columns a user's ``--testcars`` / ``--labels`` CSV takes
#: (``keidesign.energy.epafiles`` checks them)
EPA_FILES = {"testcars": "keidesign/data/epa/epa_testcar_small_2011_2023.csv",
             "labels": "keidesign/data/epa/epa_label_small_2011_2023.csv"}


def add_epa_files(parser: argparse.ArgumentParser, testcars: str, labels: str) -> None:
    """Add ``--testcars FILE`` and ``--labels FILE`` (paths, default None) to ``parser``.

    ``testcars`` / ``labels``: what the command does with the EPA Test Car List rows and
    the fueleconomy.gov label rows; the help appends which shipped file's columns each
    CSV takes, and ``--labels`` says it goes with ``--testcars``
    (:func:`check_epa_files`)."""
    parser.add_argument("--testcars", type=Path, metavar="FILE",
                        help=f"{testcars} (EPA Test Car List rows: CSV in the columns of "
                        f"{EPA_FILES['testcars']})")
    parser.add_argument("--labels", type=Path, metavar="FILE",
                        help=f"with --testcars: {labels} (fueleconomy.gov label rows: CSV "
                        f"in the columns of {EPA_FILES['labels']})")


def check_epa_files(testcars: Path | None, labels: Path | None, command: str) -> None:
    """Raise :class:`~keidesign.errors.InputError` for ``--labels`` without
    ``--testcars`` (the label rows are joined to the user's test rows, never to the
    shipped ones); ``command`` names the command in the message (``"import epa"``)."""
    if labels is not None and testcars is None:
        raise InputError(f"{command} --labels FILE: needs --testcars FILE (the label rows "
                         "are joined to those test rows); allowed: --testcars FILE "
                         "[--labels FILE]")
