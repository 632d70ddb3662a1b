"""Count quantities typed as arithmetic, e.g. ``1080*4+791`` (4 pallets of 1,080 plus 791 loose).

The clerk types what the counter wrote on paper; we keep that text as evidence and store its
value. This is a safe, hand-written evaluator (tokenizer + recursive descent, no ``eval``):

* numbers: ``12``, ``12.5``, ``.5``, ``5.`` (at most 15 significant digits; no exponents)
* ``+ - * /`` with the usual precedence, left-associative; parentheses; unary ``-`` and ``+``,
  also repeated (``--5``); multiplication may also be written ``x``, ``X`` or ``×`` (``4x1080``),
  used like ``*`` between two operands
* one optional leading ``=`` (spreadsheet habit); spaces, tabs and line breaks between tokens
* packs: a number directly followed by ``P`` or ``C`` (any case) is that many pallets or
  containers of the material's typical quantity (``Packs``): ``3P+2C+17`` with 40 per pallet
  and 12 per container is 161. Without `packs`, or without the typical quantity, it is an error
  naming the material's field. ``expand`` shows the arithmetic (``3*40+2*12+17``).
* NOT accepted: commas (``1,080`` is ambiguous on paper: write ``1080``), names, functions,
  constants, exponents, implicit multiplication such as ``2(3)``, any letter but the packs' and
  the ``x`` of multiplication, and ``0x10`` (it looks like a hexadecimal number, not 0 x 10)

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

from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

__all__ = [
    "MAX_LENGTH", "MAX_DEPTH", "ExpressionError", "Packs", "first_number", "has_packs",
    "evaluate", "try_evaluate", "is_valid", "expand", "describe", "format_quantity",
]

MAX_LENGTH = 500  # the CTD_QTY_Expr column is varchar(500)
MAX_DEPTH = 100  # nesting limit, far below Python's recursion limit (each level ~4 frames)
MAX_DIGITS = 15  # significant digits a literal may have: beyond that it is a typo, not a count
MAX_MAGNITUDE = Fraction(10) ** 15  # no warehouse holds more; keeps every value small
MAX_DENOMINATOR = 10 ** 30  # a finer fraction than this is meaningless for a quantity

Number = int | float

_SPACE = " \t\r\n\u00a0"  # \u00a0 and line breaks arrive with text pasted from Excel
_DIGITS = "0123456789"  # not str.isdigit(): that also accepts '²', Arabic-Indic digits, ...
_HEX_DIGITS = "0123456789abcdefABCDEF"
_OPERATORS = {"+": "+", "-": "-", "*": "*", "/": "/", "x": "*", "X": "*", "\u00d7": "*"}


class ExpressionError(ValueError):
    """A quantity expression that cannot be evaluated; ``str(err)`` is shown to the clerk."""

    def __init__(self, message: str, position: int | None = None) -> None:
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
    value: Fraction | None = None
    pack: tuple[Fraction, Fraction] | None = None  # "3P": (3, 40), count and pack size


_PACK_LETTERS = {"P": "pallet", "p": "pallet", "C": "container", "c": "container"}
PALLET_FIELD = "Typical pallet qty"  # the Material form's labels: where to fill them in
CONTAINER_FIELD = "Typical container qty"


def _first_number_text(text: str) -> str:
    """The first number of a typical quantity as people write it: "40 ctn/plt", "4 per box",
    "10/ctn", "12.5 kg", "1,080 per pallet" (a comma only as a thousands separator: digits in
    threes after it). A hand scan: this module uses no regular expressions or eval."""
    i, n = 0, len(text)
    while i < n and text[i] not in _DIGITS:
        i += 1
    start = i
    while i < n and text[i] in _DIGITS:
        i += 1
    if i - start <= 3:
        while (i + 4 <= n and text[i] == "," and all(c in _DIGITS for c in text[i + 1:i + 4])
               and (i + 4 == n or text[i + 4] not in _DIGITS)):
            i += 4
    if i + 1 < n and text[i] == "." and text[i + 1] in _DIGITS and "," not in text[start:i]:
        i += 1
        while i < n and text[i] in _DIGITS:
            i += 1
    return text[start:i]


def first_number(text: str | None) -> Fraction | None:
    """The first number in a typical-quantity text (None when there is none, or it is 0)."""
    digits = _first_number_text(str(text)).replace(",", "") if text else ""
    if not digits:
        return None
    whole, _, frac = digits.partition(".")
    value = Fraction(int(whole + frac), 10 ** len(frac))
    if value == 0 or value > MAX_MAGNITUDE or len((whole + frac).strip("0")) > MAX_DIGITS:
        return None  # a pack of nothing (or of a typo) cannot expand a count
    return value


@dataclass(frozen=True)
class Packs:
    """What P and C mean for one material: the first numbers of its typical quantities."""

    pallet: Fraction | None = None
    container: Fraction | None = None

    @classmethod
    def of(cls, pallet_text: str | None, container_text: str | None) -> Packs:
        return cls(first_number(pallet_text), first_number(container_text))

    def size(self, letter: str) -> Fraction | None:
        return self.pallet if _PACK_LETTERS[letter] == "pallet" else self.container


def has_packs(text: str | None) -> bool:
    """Cheap test: could `text` use P or C? (Callers load the typical quantities only then.)"""
    return text is not None and any(ch in text for ch in "PpCc")


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


def _pack_token(text: str, start: int, end: int, count: Fraction,
                packs: Packs | None) -> _Token:
    letter = text[end]
    kind = _PACK_LETTERS[letter]
    size = packs.size(letter) if packs is not None else None
    if size is None:
        field_name = PALLET_FIELD if kind == "pallet" else CONTAINER_FIELD
        raise ExpressionError(
            f"{text[start:end + 1]} means {text[start:end]} {kind}s, but the material has no "
            f"{kind} quantity in '{field_name}'", end)
    value = _check_size(count * size, end)
    return _Token("num", text[start:end + 1], start, value, (count, size))


def _tokenize(text: str, packs: Packs | None = None) -> list[_Token]:
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
            literal = text[start:i]
            value = _number(literal, start)
            if i < n and text[i] in _PACK_LETTERS:
                tokens.append(_pack_token(text, start, i, value, packs))
                i += 1
                continue
            if (i + 1 < n and text[i] in "xX" and not literal.strip("0")
                    and text[i + 1] in _HEX_DIGITS):
                # "0x10" is a programmer's hexadecimal, never "0 times 10" on a count sheet
                end = i + 1
                while end < n and text[end] in _HEX_DIGITS:
                    end += 1
                raise ExpressionError(f"{_show(text[start:end])} looks like a hexadecimal "
                                      "number, not a quantity", start)
            tokens.append(_Token("num", literal, start, value))
        elif ch in _OPERATORS:
            tokens.append(_Token(_OPERATORS[ch], ch, i))
            i += 1
        elif ch in "()":
            tokens.append(_Token(ch, ch, i))
            i += 1
        elif ch == ",":
            raise ExpressionError("commas are not allowed (write 1080, not 1,080)", i)
        elif ch in _PACK_LETTERS:  # a pack letter not right after its number: say how
            kind = _PACK_LETTERS[ch]
            if tokens and tokens[-1].kind == "num" and tokens[-1].pack is None:
                raise ExpressionError(f"write the number and {ch} together, as in 3{ch} "
                                      f"(3 {kind}s)", i)
            raise ExpressionError(f"{ch} needs the number of {kind}s before it, as in 3{ch}", i)
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


def _tokens_of(text: str, packs: Packs | None) -> list[_Token]:
    if text is None:
        raise ExpressionError("enter a quantity")
    if not isinstance(text, str):
        raise ExpressionError("the quantity must be text")
    if len(text) > MAX_LENGTH:  # first, so a 100 KB paste costs nothing
        raise ExpressionError(f"the expression is longer than {MAX_LENGTH} characters")
    tokens = _tokenize(text, packs)
    if len(tokens) == 1:  # only "end": blank, or a lone "="
        raise ExpressionError("enter a quantity")
    return tokens


def _result(value: Fraction) -> Number:
    return int(value) if value.denominator == 1 else float(value)


def evaluate(text: str, packs: Packs | None = None) -> Number:
    """The value of a quantity expression: int when integral, else float. `packs` gives P and
    C their meaning for the material counted (without it they are an error)."""
    return _result(_Parser(_tokens_of(text, packs)).parse())


def try_evaluate(text: str | None, packs: Packs | None = None,
                 ) -> tuple[Number | None, ExpressionError | None]:
    """``(value, None)`` or ``(None, error)``; never raises."""
    try:
        return evaluate(text, packs), None  # type: ignore[arg-type]
    except ExpressionError as err:
        return None, err


def is_valid(text: str | None, packs: Packs | None = None) -> bool:
    return try_evaluate(text, packs)[1] is None


def _plain(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return format(float(value), "f").rstrip("0").rstrip(".")


def _after_division(tokens: list[_Token], k: int) -> bool:
    """Is token k the divisor of a '/' (perhaps through signs, as in 10/-2P)? Then its
    written-out product needs parentheses: 10/2P is 10/(2*40), not 10/2*40."""
    j = k - 1
    while j >= 0 and tokens[j].kind in ("+", "-") and (j == 0 or tokens[j - 1].kind not in
                                                        ("num", ")")):
        j -= 1  # a sign, not a binary operator
    return j >= 0 and tokens[j].kind == "/"


def expand(text: str, packs: Packs | None = None) -> str:
    """The expression with every pack written out: ``3P+2C+17`` -> ``3*40+2*12+17`` (the rest
    as typed, without a leading ``=``). Raises ExpressionError like `evaluate`."""
    tokens = _tokens_of(text, packs)
    _Parser(tokens).parse()  # an expansion of something that does not evaluate helps nobody
    out, last = [], _first_token_start(text)
    for k, tok in enumerate(tokens[:-1]):
        if tok.pack is not None:
            out.append(text[last:tok.pos])
            written = f"{_plain(tok.pack[0])}*{_plain(tok.pack[1])}"
            # after '/', 10/2P is 10/(2*40): the product must stay one operand
            out.append(f"({written})" if _after_division(tokens, k) else written)
            last = tok.pos + len(tok.text)
    out.append(text[last:])
    return "".join(out).strip(_SPACE)


def describe(text: str, packs: Packs | None = None) -> str:
    """For the clerk: ``3P+2C+17 = 3×40 + 2×12 + 17 = 161``; without packs ``1080*4+791 =
    5,111``. Raises ExpressionError like `evaluate`."""
    tokens = _tokens_of(text, packs)
    value = _result(_Parser(tokens).parse())
    shown = text[_first_token_start(text):].strip(_SPACE)
    if not any(t.pack is not None for t in tokens):
        return f"{shown} = {format_quantity(value)}"
    parts: list[str] = []
    for k, tok in enumerate(tokens[:-1]):
        prev = tokens[k - 1].kind if k else None
        if tok.pack is not None:
            written = f"{_plain(tok.pack[0])}\u00d7{_plain(tok.pack[1])}"
            parts.append(f"({written})" if _after_division(tokens, k) else written)
        elif tok.kind in ("+", "-") and prev in ("num", ")"):
            parts.append(f" {tok.kind} ")  # binary; a sign stays attached to its number
        elif tok.kind == "*":
            parts.append("\u00d7")
        else:
            parts.append(tok.text)
    return f"{shown} = {''.join(parts)} = {format_quantity(value)}"


def _first_token_start(text: str) -> int:
    i = 0
    while i < len(text) and text[i] in _SPACE:
        i += 1
    if i < len(text) and text[i] == "=":
        i += 1
    return i


def format_quantity(value: Number | None) -> str:
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
