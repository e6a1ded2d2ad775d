"""Arithmetic expressions of study files (``[derived]``), parsed without Python's parser.

A study's derived quantity (``expr = "e * mpge / 33.705"``) is text from someone else's
file. It is tokenized and parsed here by a small recursive-descent parser into a tree of
:class:`Node` objects; nothing reaches ``eval``, ``exec``, ``compile``, ``ast`` or
OpenMDAO's ``ExecComp`` (which ``exec``\\ s its expression). The tree is evaluated on
NumPy arrays of float64 (or complex128 for the complex-step derivatives), so there are
no Python integers whose powers could run for ever: ``9**9**9`` is ``inf``.

Grammar::

    expr    := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := ("+" | "-") unary | power
    power   := atom ("**" unary)?            # right-associative, binds tighter than unary
    atom    := NUMBER | SYMBOL | CONSTANT | FUNCTION "(" expr ")" | "(" expr ")"

``SYMBOL``: the names of the quantity's ``vars`` table; ``CONSTANT``: ``pi``, ``e``;
``FUNCTION``: :data:`FUNCTIONS`. Limits: :data:`MAX_LEN` characters,
:data:`MAX_DEPTH` nested brackets / signs / powers, :data:`MAX_NODES` nodes.

Derivatives (:meth:`Expression.partials`) are by complex step through the same
evaluator (Squire & Trapp 1998, step 1e-30: exact to machine precision for these
analytic functions; ``abs`` uses the sign of the real part).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

__all__ = ["CONSTANTS", "FUNCTIONS", "MAX_LEN", "Expression", "ExpressionError", "names_in",
           "parse_expression"]

MAX_LEN = 500
MAX_DEPTH = 40
MAX_NODES = 200

CONSTANTS = {"pi": math.pi, "e": math.e}


def _abs(x: np.ndarray) -> np.ndarray:
    """abs that complex step can differentiate (sign of the real part)."""
    return np.where(np.real(x) < 0, -x, x)


FUNCTIONS = {"exp": np.exp, "log": np.log, "sqrt": np.sqrt, "sin": np.sin, "cos": np.cos,
             "tan": np.tan, "tanh": np.tanh, "abs": _abs}

_TOKEN = re.compile(r"\s*(?:(?P<num>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]{1,3})?)"
                    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]{0,63}(?![A-Za-z0-9_]))"
                    r"|(?P<op>\*\*|[-+*/()]))")

_CS_STEP = 1e-30


class ExpressionError(ValueError):
    """An expression outside the grammar or its limits (message: the reason)."""


@dataclass(frozen=True)
class Node:
    """One node: ``kind`` is num | sym | neg | func | + | - | * | / | **."""

    kind: str
    value: float | str | None = None
    args: tuple[Node, ...] = ()


def _eval(node: Node, env: Mapping[str, np.ndarray]) -> np.ndarray:
    k = node.kind
    if k == "num":
        return node.value  # type: ignore[return-value]
    if k == "sym":
        return env[node.value]  # type: ignore[index]
    if k == "neg":
        return -_eval(node.args[0], env)
    if k == "func":
        return FUNCTIONS[node.value](_eval(node.args[0], env))  # type: ignore[index]
    a, b = _eval(node.args[0], env), _eval(node.args[1], env)
    if k == "+":
        return a + b
    if k == "-":
        return a - b
    if k == "*":
        return a * b
    if k == "/":
        return a / b
    return np.power(a, b)


@dataclass(frozen=True)
class Expression:
    """A parsed expression: its ``text``, ``symbols`` used and the tree."""

    text: str
    symbols: frozenset[str]
    root: Node

    def __call__(self, env: Mapping[str, np.ndarray | float]) -> np.ndarray:
        """Value on float64 arrays (NaN/inf where the arithmetic gives them); on complex128
        ones when any value is complex (OpenMDAO's complex step of a whole study problem,
        ``check_totals(method="cs")``: the imaginary part is kept, it was cast away before
        task s38a and every total of a ``[derived]`` objective came back 0)."""
        if any(np.iscomplexobj(env[s]) for s in self.symbols):
            return self._complex({s: np.asarray(env[s], dtype=complex) for s in self.symbols})
        arrays = {s: np.asarray(env[s], dtype=float) for s in self.symbols}
        with np.errstate(all="ignore"):
            return np.asarray(_eval(self.root, arrays), dtype=float)

    def _complex(self, arrays: Mapping[str, np.ndarray]) -> np.ndarray:
        """The complex value, NaN + NaN j wherever the real arithmetic on the real parts
        is not finite: outside a function's real domain (sqrt or log of a negative, a
        negative base to a fractional power) the complex branch gives finite numbers
        (sqrt(-4 + 1e-30 j) = 2j, d/dx 2e30; task s38r) where the real value is NaN, and a
        complex step must not turn an undefined value into a finite derivative; the
        real part keeps the real value (NaN, or +-inf)."""
        with np.errstate(all="ignore"):
            out = np.asarray(_eval(self.root, arrays), dtype=complex)
            real = np.asarray(_eval(self.root, {s: a.real for s, a in arrays.items()}),
                              dtype=float)
        bad = ~np.isfinite(real)
        if bad.any():
            out = np.array(out, dtype=complex)
            out[bad] = real[bad]
            out.imag[bad] = np.nan
        return out

    def partials(self, env: Mapping[str, np.ndarray | float]) -> dict[str, np.ndarray]:
        """d value / d symbol, elementwise, by complex step through :meth:`__call__`'s
        evaluator (NaN where the value is not finite: :meth:`_complex`)."""
        base = {s: np.asarray(env[s], dtype=complex) for s in self.symbols}
        out = {}
        for s in self.symbols:
            pert = dict(base)
            pert[s] = base[s] + 1j * _CS_STEP
            out[s] = np.imag(self._complex(pert)) / _CS_STEP
        return out


class _Parser:
    def __init__(self, text: str, symbols: frozenset[str]) -> None:
        self.toks = self._tokenize(text)
        self.i = 0
        self.symbols = symbols
        self.used: set[str] = set()
        self.nodes = 0

    @staticmethod
    def _tokenize(text: str) -> list[tuple[str, str]]:
        out = []
        pos, end = 0, len(text.rstrip())
        while pos < end:
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                bad = text[pos:].lstrip()[:12]
                raise ExpressionError(f"unexpected {bad!r} (allowed: numbers, the symbols of "
                                      "vars, + - * / ** ( ) and " + ", ".join(
                                          sorted([*FUNCTIONS, *CONSTANTS])) + ")")
            kind = m.lastgroup or ""
            out.append((kind, m.group(kind)))
            pos = m.end()
        return out

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise ExpressionError("ends too early")
        self.i += 1
        return tok

    def node(self, *a, **kw) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ExpressionError(f"more than {MAX_NODES} terms")
        return Node(*a, **kw)

    def expr(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise ExpressionError(f"nested more than {MAX_DEPTH} levels deep")
        left = self.term(depth)
        while (tok := self.peek()) is not None and tok[1] in "+-" and tok[0] == "op":
            self.take()
            left = self.node(tok[1], None, (left, self.term(depth)))
        return left

    def term(self, depth: int) -> Node:
        left = self.unary(depth)
        while (tok := self.peek()) is not None and tok[0] == "op" and tok[1] in ("*", "/"):
            self.take()
            left = self.node(tok[1], None, (left, self.unary(depth)))
        return left

    def unary(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise ExpressionError(f"nested more than {MAX_DEPTH} levels deep")
        tok = self.peek()
        if tok is not None and tok[0] == "op" and tok[1] in "+-":
            self.take()
            inner = self.unary(depth + 1)
            return inner if tok[1] == "+" else self.node("neg", None, (inner,))
        return self.power(depth)

    def power(self, depth: int) -> Node:
        base = self.atom(depth)
        tok = self.peek()
        if tok == ("op", "**"):
            self.take()
            return self.node("**", None, (base, self.unary(depth + 1)))
        return base

    def atom(self, depth: int) -> Node:
        kind, val = self.take()
        if kind == "num":
            return self.node("num", float(val))
        if kind == "name":
            if val in FUNCTIONS:
                if self.take() != ("op", "("):
                    raise ExpressionError(f"{val} must be followed by '('")
                arg = self.expr(depth + 1)
                if self.take() != ("op", ")"):
                    raise ExpressionError("missing ')'")
                return self.node("func", val, (arg,))
            if val in self.symbols:
                self.used.add(val)
                return self.node("sym", val)
            if val in CONSTANTS:
                return self.node("num", CONSTANTS[val])
            raise ExpressionError(f"{val!r} is not defined in vars")
        if (kind, val) == ("op", "("):
            inner = self.expr(depth + 1)
            if self.take() != ("op", ")"):
                raise ExpressionError("missing ')'")
            return inner
        raise ExpressionError(f"unexpected {val!r}")


def names_in(text: str) -> set[str]:
    """The names (symbols, constants, functions) of ``text`` as the tokenizer reads them:
    a number's exponent is not a name (``1e5``, ``2.5E-3``; a regular expression over
    the text took ``e5`` for an undefined symbol, audit s39c).

    Raises:
        ExpressionError: a character outside the grammar (as :func:`parse_expression`).
    """
    return {val for kind, val in _Parser._tokenize(text) if kind == "name"}


def parse_expression(text: str, symbols: frozenset[str] | set[str]) -> Expression:
    """Parse ``text`` over the names ``symbols``.

    Raises:
        ExpressionError: outside the grammar or its limits, or an undefined name.
    """
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("empty expression")
    if len(text) > MAX_LEN:
        raise ExpressionError(f"longer than {MAX_LEN} characters")
    p = _Parser(text, frozenset(symbols))
    root = p.expr(0)
    if p.peek() is not None:
        raise ExpressionError(f"unexpected {p.peek()[1]!r} after a complete expression")
    return Expression(text, frozenset(p.used), root)
