"""Sharing a day's materials out between counters: how many each, and which stretch of the walk.

Kept apart from the planner's queries so the arithmetic can be tested on its own.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def balanced_quotas(rooms: Sequence[int], total: int) -> list[int]:
    """How many of `total` items each counter gets, given each one's room (capacity left).

    Water-filling: everyone gets the same number, except that a counter whose room runs out
    stops there and the rest share what is left; the remainder of an uneven split goes one each
    to the first counters (in the order given) that still have room. So two counters differ by
    more than one only when the smaller one is full. `total` above the sum of rooms is capped.
    """
    quotas = [0] * len(rooms)
    open_ = [i for i, room in enumerate(rooms) if room > 0]
    left = min(total, sum(max(0, r) for r in rooms))
    while left > 0 and open_:
        share = left // len(open_)
        if share == 0:
            for i in open_[:left]:
                quotas[i] += 1
            break
        still_open = []
        for i in open_:
            give = min(share, rooms[i] - quotas[i])
            quotas[i] += give
            left -= give
            if quotas[i] < rooms[i]:
                still_open.append(i)
        open_ = still_open
    return quotas


def cut_in_runs(items: Sequence[T], quotas: Sequence[int]) -> list[list[T]]:
    """Consecutive runs of `items` (already in walk order) of the given lengths: each counter
    walks one stretch of the warehouse instead of criss-crossing it."""
    runs, start = [], 0
    for n in quotas:
        runs.append(list(items[start:start + n]))
        start += n
    return runs
