"""User text in figures drawn as written: matplotlib's mathtext off while a figure is made.

matplotlib reads a text between two ``$`` as mathtext (a TeX subset) and parses it when
the figure is drawn. The texts of keidesign's figures include other people's strings: a
study's name (``study.name``), a design's name (``design.name``, in candidate labels),
rule-pack constraint ids, a results folder's column names and summary. A study named
``$\\frac{$`` ended ``keidesign sweep`` in a ValueError traceback after every case had
run, and 95 nested braces between ``$`` a RecursionError (audit s28d). No figure of
keidesign uses mathtext, so every figure maker runs under :func:`literal_text`: each
text it creates keeps ``parse_math = False`` (matplotlib stores it per text when the text
is made), and the caller's own setting of it is restored after it.

Only ``text.parse_math`` is set and restored, not the whole ``rcParams``
(``matplotlib.rc_context`` did that until 6 Dec 2026): in a notebook IPython turns
matplotlib's interactive mode on (``rcParams["interactive"]``) when the first figure is
made, inside the first figure maker called; restoring every rcParam turned it off again
on the way out, and no later figure of the kernel was shown (notebook 02's frontal
crash pulse, force-crush and crush budget cells came out empty, review s29d).
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

        before = matplotlib.rcParams["text.parse_math"]
        matplotlib.rcParams["text.parse_math"] = False
        try:
            return fn(*args, **kwargs)
        finally:
            matplotlib.rcParams["text.parse_math"] = before

    return wrapper  # type: ignore[return-value]
