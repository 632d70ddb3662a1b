"""Count quantities typed as arithmetic, e.g. ``1080*4+791`` (4 pallets of 1,080 plus 791 loose).

The clerk types what the counter wrote on paper; we keep that text as evidence and store its
value. This is a safe, hand-written evaluator (tokenizer + recursive descent, no ``eval``):

* numbers: ``12``, ``12.5``, ``.5``, ``5.`` (at most 15 significant digits; no exponents)
* ``+ - * /`` with the usual precedence, left-associative; parentheses; unary ``-`` and ``+``,
  also repeated (``--5``); multiplication may also be written ``x``, ``X`` or ``×`` (``4x1080``),
  used like ``*`` between two operands
* one optional leading ``=`` (spreadsheet habit); spaces, tabs and line breaks between tokens
* NOT accepted: commas (``1,080`` is ambiguous on paper: write ``1080``), names, functions,
  constants, exponents, implicit multiplication such as ``2(3)``

Arithmetic is exact (``fractions.Fraction``), so ``10/4*2`` is exactly 5 and no float snapping
(as WICS-3 did for x.9999999999) is needed. Results are ``int`` when integral, else ``float``.
Limits keep hostile or mistyped text cheap: at most ``MAX_LENGTH`` characters, ``MAX_DEPTH``
nested parentheses, magnitude at most 1e15 after every literal and every operation, and a cap
on denominators so chains like ``1/3*1/3*...`` cannot grow fractions without bound.

Errors are ``ExpressionError`` (a ``ValueError``): ``message`` is the clerk's sentence,
``position`` the 0-based index into the original text (or None), and ``str(err)`` joins them:
``"unexpected '*' at position 4"``.
"""
from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple, Optional, Tuple, Union

__all__ = [
    "MAX_LENGTH", "MAX_DEPTH", "ExpressionError",
    "evaluate", "try_evaluate", "is_valid", "format_quantity",
]

MAX_LENGTH = 500  # the CTD_QTY_Expr column is varchar(500)
MAX_DEPTH = 100  # nesting limit, far below Python's recursion limit (each level ~4 frames)
MAX_DIGITS = 15  # significant digits a literal may have: beyond that it is a typo, not a count
MAX_MAGNITUDE = Fraction(10) ** 15  # no warehouse holds more; keeps every value small
MAX_DENOMINATOR = 10 ** 30  # a finer fraction than this is meaningless for a quantity

Number = Union[int, float]

_SPACE = " \t\r\n\u00a0"  # \u00a0 and line breaks arrive with text pasted from Excel
_DIGITS = "0123456789"  # not str.isdigit(): that also accepts '²', Arabic-Indic digits, ...
_OPERATORS = {"+": "+", "-": "-", "*": "*", "/": "/", "x": "*", "X": "*", "\u00d7": "*"}


class ExpressionError(ValueError):
    """A quantity expression that cannot be evaluated; ``str(err)`` is shown to the clerk."""

    def __init__(self, message: str, position: Optional[int] = None) -> None:
        super().__init__(message, position)  # both in args, so pickling keeps them
        self.message = message
        self.position = position

    def __str__(self) -> str:
        if self.position is None:
            return self.message
        return f"{self.message} at position {self.position}"


class _Token(NamedTuple):
    kind: str  # "num", "+", "-", "*", "/", "(", ")", "end"
    text: str  # as typed, for messages ("x" stays "x")
    pos: int
    value: Optional[Fraction] = None


def _show(text: str) -> str:
    shown = text if text.isprintable() else text.encode("unicode_escape").decode("ascii")
    return f"'{shown}'"


def _check_size(value: Fraction, pos: int) -> Fraction:
    if abs(value) > MAX_MAGNITUDE:
        raise ExpressionError("the quantity is too large", pos)
    if value.denominator > MAX_DENOMINATOR:
        raise ExpressionError("the result has too many decimal places", pos)
    return value


def _number(text: str, pos: int) -> Fraction:
    whole, _, frac = text.partition(".")
    value = _check_size(Fraction(int(whole + frac or "0"), 10 ** len(frac)), pos)
    significant = (whole + frac).strip("0")  # zeros at either end carry no precision
    if len(significant) > MAX_DIGITS:
        raise ExpressionError(f"the number has too many digits (at most {MAX_DIGITS})", pos)
    return value


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n and text[i] in _SPACE:
        i += 1
    if i < n and text[i] == "=":  # only one, and only first: "==5" or "5=5" are typos
        i += 1
    while i < n:
        ch = text[i]
        if ch in _SPACE:
            i += 1
        elif ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS):
            start = i
            while i < n and text[i] in _DIGITS:
                i += 1
            if i < n and text[i] == ".":
                i += 1
                while i < n and text[i] in _DIGITS:
                    i += 1
            if i < n and text[i] == ".":  # "1.2.3": say where, rather than "unexpected '.3'"
                raise ExpressionError("unexpected '.'", i)
            tokens.append(_Token("num", text[start:i], start, _number(text[start:i], start)))
        elif ch in _OPERATORS:
            tokens.append(_Token(_OPERATORS[ch], ch, i))
            i += 1
        elif ch in "()":
            tokens.append(_Token(ch, ch, i))
            i += 1
        elif ch == ",":
            raise ExpressionError("commas are not allowed (write 1080, not 1,080)", i)
        else:
            raise ExpressionError(f"unexpected {_show(ch)}", i)
    tokens.append(_Token("end", "", n))
    return tokens


class _Parser:
    """expr := term (('+'|'-') term)* ; term := unary (('*'|'/') unary)* ;
    unary := ('+'|'-')* primary ; primary := number | '(' expr ')'"""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def _next(self) -> _Token:
        tok = self.tokens[self.i]
        if tok.kind != "end":
            self.i += 1
        return tok

    def _peek(self) -> _Token:
        return self.tokens[self.i]

    def parse(self) -> Fraction:
        value = self._expr(0)
        tok = self._peek()
        if tok.kind == ")":
            raise ExpressionError("unmatched ')'", tok.pos)
        if tok.kind != "end":
            raise ExpressionError(f"unexpected {_show(tok.text)}", tok.pos)
        return value

    def _expr(self, depth: int) -> Fraction:
        value = self._term(depth)
        while self._peek().kind in ("+", "-"):
            op = self._next()
            rhs = self._term(depth)
            value = _check_size(value + rhs if op.kind == "+" else value - rhs, op.pos)
        return value

    def _term(self, depth: int) -> Fraction:
        value = self._unary(depth)
        while self._peek().kind in ("*", "/"):
            op = self._next()
            rhs = self._unary(depth)
            if op.kind == "*":
                value = _check_size(value * rhs, op.pos)
            elif rhs == 0:
                raise ExpressionError("division by zero", op.pos)
            else:
                value = _check_size(value / rhs, op.pos)
        return value

    def _unary(self, depth: int) -> Fraction:
        negative = False
        while self._peek().kind in ("+", "-"):  # a loop, so "------5" costs no recursion
            negative ^= self._next().kind == "-"
        value = self._primary(depth)
        return -value if negative else value

    def _primary(self, depth: int) -> Fraction:
        tok = self._next()
        if tok.kind == "num":
            assert tok.value is not None
            return tok.value
        if tok.kind == "(":
            if depth >= MAX_DEPTH:
                raise ExpressionError(
                    f"too many nested parentheses (at most {MAX_DEPTH})", tok.pos)
            value = self._expr(depth + 1)
            close = self._next()
            if close.kind == ")":
                return value
            if close.kind == "end":
                raise ExpressionError("missing closing parenthesis for '('", tok.pos)
            raise ExpressionError(f"unexpected {_show(close.text)}", close.pos)
        if tok.kind == "end":
            prev = self.tokens[self.i - 1]  # "end" is never first: blank text is caught earlier
            raise ExpressionError(f"missing a number after {_show(prev.text)}", prev.pos)
        if tok.kind == ")":
            raise ExpressionError("unexpected ')'", tok.pos)
        raise ExpressionError(f"unexpected {_show(tok.text)}", tok.pos)


def evaluate(text: str) -> Number:
    """The value of a quantity expression: int when integral, else float."""
    if text is None:
        raise ExpressionError("enter a quantity")
    if not isinstance(text, str):
        raise ExpressionError("the quantity must be text")
    if len(text) > MAX_LENGTH:  # first, so a 100 KB paste costs nothing
        raise ExpressionError(f"the expression is longer than {MAX_LENGTH} characters")
    tokens = _tokenize(text)
    if len(tokens) == 1:  # only "end": blank, or a lone "="
        raise ExpressionError("enter a quantity")
    value = _Parser(tokens).parse()
    return int(value) if value.denominator == 1 else float(value)


def try_evaluate(text: Optional[str]) -> Tuple[Optional[Number], Optional[ExpressionError]]:
    """``(value, None)`` or ``(None, error)``; never raises."""
    try:
        return evaluate(text), None  # type: ignore[arg-type]
    except ExpressionError as err:
        return None, err


def is_valid(text: Optional[str]) -> bool:
    return try_evaluate(text)[1] is None


def format_quantity(value: Optional[Number]) -> str:
    """For screens: ``5111`` → "5,111", ``10/3`` → "3.333" (3 decimals at most, trailing zeros
    dropped), None → "". A value that is not 0 never shows as 0: below 0.0005 it is written
    out to 3 significant digits, without an exponent (1e-16 → "0.0000000000000001")."""
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{value:,.3f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("0", "-0") and value != 0 and value == value:
        import math

        decimals = min(-math.floor(math.log10(abs(value))) + 2, 60)
        text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
