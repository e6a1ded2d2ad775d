"""Plain text for ``--help`` from a reST docstring.

argparse prints a parser's description as written; the command modules' docstrings are
reST (``code``, :mod:`module`) and some say "CLI plugin", which is for the developer, not
the user. :func:`plain` drops that markup so ``keidesign X --help`` reads as prose.
"""

from __future__ import annotations

import argparse
import re

__all__ = ["EXAMPLES", "ExamplesFormatter", "plain"]

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
