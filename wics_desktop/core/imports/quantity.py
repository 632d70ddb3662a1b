"""Quantity expressions at import speed: the one evaluator, with a short path for the common case.

`core.expressions.evaluate` works in exact fractions, about 20 microseconds for `1080*4+791`;
a counts file of 100,000 rows would spend seconds there. Most expressions are whole numbers
joined by + - * (`1080*4+791`, `-25920`, `22`): for exactly those, integer arithmetic is exact
too, so this computes them directly, applying the same limits (15 significant digits per
number, magnitude at most 1e15 after every operation). Anything else - parentheses, division,
decimals, 'x', a limit reached - goes to `evaluate`, which gives the value or the error. A
property test checks that both agree.
"""
from __future__ import annotations

import re

from ..expressions import MAX_MAGNITUDE, Number, Packs, evaluate

__all__ = ["quantity"]

_SIMPLE = re.compile(r"[ \t]*[-+]?[ \t]*[0-9]{1,15}(?:[ \t]*[-+*][ \t]*[0-9]{1,15})*[ \t]*")
_TOKENS = re.compile(r"[0-9]+|[-+*]")
_LIMIT = int(MAX_MAGNITUDE)


def quantity(text: str, packs: Packs | None = None) -> Number:
    """The value of a count expression (int when whole); raises ExpressionError like evaluate.
    `packs`: what P and C mean for the row's material (expressions with packs take the
    careful path: the short one has no letters)."""
    if text.__class__ is not str or not _SIMPLE.fullmatch(text):
        return evaluate(text, packs)
    tokens = _TOKENS.findall(text)
    sign = 1
    i = 0
    if tokens[0] in "+-":
        sign = -1 if tokens[0] == "-" else 1
        i = 1
    total = None
    term = sign * int(tokens[i])
    i += 1
    n = len(tokens)
    while i < n:
        op, value = tokens[i], int(tokens[i + 1])
        i += 2
        if op == "*":
            term *= value
            if -_LIMIT > term or term > _LIMIT:
                return evaluate(text)
            continue
        total = term if total is None else total + term
        if -_LIMIT > total or total > _LIMIT:
            return evaluate(text)
        term = value if op == "+" else -value
    total = term if total is None else total + term
    if -_LIMIT > total or total > _LIMIT:
        return evaluate(text)
    return total
