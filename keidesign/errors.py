"""User-facing input errors.

An :class:`InputError` carries one message naming the file, the field path, the value
and what is allowed. The CLI prints it on one line and exits with status 2; it is the
only exception a bad design, rule-pack or study file may raise.
"""


class InputError(Exception):
    """A design, rule-pack or study file (or a CLI argument) holds a bad value."""
