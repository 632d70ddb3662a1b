"""Quantity expressions the way counters write them on paper.

`1080*4+791` is four pallets of 1,080 plus 791 loose; `648*(31)+208+108`, `800*4-20*5` and
`4x250+12` are other habits seen on real sheets. Every expression built here is checked with
the one evaluator the application uses, so the stored quantity is exactly what a clerk would get.
"""
from __future__ import annotations

import random

from ..expressions import evaluate


def _short_of_full(deficit: int, rng: random.Random) -> str:
    """How a counter writes the pieces missing from full cartons: '100' or '20*5'."""
    factors = [a for a in range(2, 13) if deficit % a == 0 and 1 < deficit // a <= 60]
    if factors and rng.random() < 0.6:
        a = rng.choice(factors)
        return f"{deficit // a}*{a}"
    return str(deficit)


def _split(loose: int, rng: random.Random) -> str:
    if loose > 10 and rng.random() < 0.4:
        first = rng.randrange(1, loose)
        return f"{first}+{loose - first}"
    return str(loose)


def expression_for(total: int, container: int, cartons_per_pallet: int,
                   rng: random.Random) -> str:
    """An expression a counter might write for `total` pieces (>= 0) packed in cartons."""
    if total < container or rng.random() < 0.12:
        return str(total)
    cartons, loose = divmod(total, container)
    pallet = container * cartons_per_pallet
    roll = rng.random()
    if total >= pallet and roll < 0.35:
        pallets, rest = divmod(total, pallet)
        more, loose = divmod(rest, container)
        count = f"({pallets})" if rng.random() < 0.3 else str(pallets)
        text = f"{pallet}*{count}"
        if more:
            text += f"+{container}*{more}"
        return text + (f"+{_split(loose, rng)}" if loose else "")
    if loose and container - loose <= container // 4 and roll < 0.6:
        return f"{container}*{cartons + 1}-{_short_of_full(container - loose, rng)}"
    if roll < 0.65:
        text = f"{cartons}x{container}"
    else:
        text = f"{container}*{cartons}"
    return text + (f"+{_split(loose, rng)}" if loose else "")


def checked(expression: str, expected: float) -> int | float:
    """The expression's value by the application's evaluator; it must be what we meant."""
    value = evaluate(expression)
    if value != expected:  # a bug in this module, never the user's doing
        raise AssertionError(f"demo expression {expression!r} = {value}, expected {expected}")
    return value
