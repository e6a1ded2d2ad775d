"""User text in figures drawn as written: matplotlib's mathtext off while a figure is made.

matplotlib reads a text between two ``$`` as mathtext (a TeX subset) and parses it when
the figure is drawn. The texts of keidesign's figures include other people's strings: a
study's name (``study.name``), a design's name (``design.name``, in candidate labels),
rule-pack constraint ids, a results folder's column names and summary. A study named
``$\\frac{$`` ended ``keidesign sweep`` in a ValueError traceback after every case had
run, and 95 nested braces between ``$`` a RecursionError (audit s28d). No figure of
keidesign uses mathtext, so every figure maker runs under :func:`literal_text`: each
text it creates keeps ``parse_math = False`` (matplotlib stores it per text when the text
is made), and the caller's own settings are restored after it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["literal_text"]

F = TypeVar("F", bound=Callable[..., Any])


def literal_text(fn: F) -> F:
    """Decorate a function that makes a matplotlib figure: its texts are drawn as written
    (``rcParams["text.parse_math"] = False`` while it runs)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import matplotlib

        with matplotlib.rc_context({"text.parse_math": False}):
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
