"""Plain text for ``--help`` from a reST docstring.

argparse prints a parser's description as written; the command modules' docstrings are
reST (``code``, :mod:`module`) and some say "CLI plugin", which is for the developer, not
the user. :func:`plain` drops that markup so ``keidesign X --help`` reads as prose.
"""

from __future__ import annotations

import re

__all__ = ["plain"]

_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")


def plain(doc: str) -> str:
    """``doc`` without reST roles, double backquotes or "CLI plugin" notes."""
    text = _ROLE.sub(r"\1", doc.strip())
    text = text.replace("``", "")
    text = re.sub(r"^CLI plugin:\s*", "", text)
    return text.replace(" (CLI plugin)", "")
