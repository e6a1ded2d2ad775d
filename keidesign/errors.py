"""User-facing input errors.

An :class:`InputError` carries one message naming the file, the field path, the value
and what is allowed. The CLI prints it on one line and exits with status 2; it is the
only exception a bad design, rule-pack or study file may raise.
"""

import datetime
import unicodedata


class InputError(Exception):
    """A design, rule-pack or study file (or a CLI argument) holds a bad value."""


#: Longest rendering of a user value in a message, characters.
SHOW_MAX = 80
#: Longest message :func:`one_line` prints, characters (an unknown key of a design's
#: largest table, listing its keys, is 509): a key or a list that no reader cut made a
#: line of 500,000 characters before s29a.
MESSAGE_MAX = 4000


def show(value: object) -> str:
    """``repr`` of a user value for a one-line message, cut to :data:`SHOW_MAX` characters
    (an integer too long to print names its digit count instead; a boolean, date or time
    as TOML writes it: ``true``, ``1979-05-27``)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        digits = int(abs(value).bit_length() * 0.30103) + 1  # log10(2); +-1 digit
        return f"<an integer of about {digits} digits>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.time)):  # a datetime is a date
        return value.isoformat()
    text = repr(value)
    if len(text) > SHOW_MAX:
        text = text[:SHOW_MAX - 3] + "..."
    return text.replace("\n", " ")


def printable(text: str) -> bool:
    """True when ``text`` is one line of printable characters: :meth:`str.isprintable`,
    which refuses every space but the ASCII one, widened to the other space separators
    (Unicode category Zs: the ideographic space U+3000 of Japanese names such as
    "アルト　ラパン", the no-break space). Line and paragraph separators, control and
    format characters stay refused."""
    return all(c.isprintable() or unicodedata.category(c) == "Zs" for c in text)


def plain(text: object) -> str:
    """``text`` as one line of a table: a line break, tab or other space a space, any
    other character that is not printable (:func:`printable`: ESC, a bidi override) a
    ``?`` (a rule pack's source holding a line break forged a row of `evaluate`'s
    compliance table, s29a)."""
    text = str(text)
    if printable(text):
        return text
    return "".join(c if printable(c) else " " if c.isspace() else "?" for c in text)


#: Most characters of one note under a table (a not-applicable or not-modelled reason:
#: the shipped packs' and criteria's are at most ~800): a pack's ``applicability`` is any
#: text, and one of 300,000 characters made `evaluate`'s and `compare`'s notes as long
#: (s30c).
NOTE_MAX = 2000


def plain_cut(text: object, limit: int = NOTE_MAX) -> str:
    """:func:`plain` of ``text`` cut to ``limit`` characters (``...`` at the end)."""
    text = plain(str(text)[: limit + 1])
    return text if len(text) <= limit else text[: limit - 3] + "..."


def show_path(path: object) -> str:
    """A file path for a one-line message: as written when printable, else its ``repr``
    (a newline or control character in a path a user's file names stays escaped)."""
    text = str(path)
    return text if printable(text) and len(text) <= 400 else show(text)


def one_line(message: object) -> str:
    """``message`` with any line breaks turned into spaces and every other character
    that is not printable (:func:`printable`: a control character such as ESC, a bidi
    override, a lone surrogate) written as its escape (``\\x1b``, ``\\u202e``): the
    CLI's last guarantee of one plain line per error, cut after :data:`MESSAGE_MAX`
    characters. A message names files and values from someone else's folder (a
    ``./rules/`` file name holding ESC sequences reached the terminal raw before s29a)."""
    text = " ".join(str(message).splitlines())
    if not printable(text):
        text = "".join(c if printable(c) else c.encode("unicode_escape",
                                                       "backslashreplace").decode("ascii")
                       for c in text)
    if len(text) > MESSAGE_MAX:  # each value is shown cut (show); this bounds the rest
        text = f"{text[:MESSAGE_MAX]}... (cut: {len(text):,} characters)"
    return text
