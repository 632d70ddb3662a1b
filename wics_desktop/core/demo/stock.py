"""Book stock over the demo's days and the SAP stock-on-hand (MB52) uploads that report it.

Each material's stock moves now and then (receipts, issues) from one upload date to the next.
A material the schedule or the counts touch ("active") has a stock level for every upload
date; any other one only for the last few uploads, which are full snapshots. Older uploads
hold the active materials only, which keeps 100,000 materials quick while every count still
has the book quantity of its day.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from .calendar import Timeline
from .materials import MaterialSpec

KPC = 1000  # pieces in SAP's "thousand pieces" unit (the units_of_measure multiplier)
CONSIGNMENT_VENDOR = "V100231"


class BookStock:
    """Pieces on hand per material and upload date, drawn lazily and then fixed."""

    def __init__(self, timeline: Timeline, rng: random.Random) -> None:
        self.timeline = timeline
        self.rng = rng
        self.active: set[int] = set()
        self._walks: dict[int, tuple[int, list[int]]] = {}  # id -> (first index, levels)

    def _walk(self, spec: MaterialSpec, start: int) -> list[int]:
        rng, level = self.rng, spec.stock
        levels = [level]
        for _ in range(start + 1, len(self.timeline.sap_days)):
            if level and rng.random() < 0.3:
                if rng.random() < 0.4:  # a receipt: a few cartons
                    level += spec.container * rng.randint(1, 5)
                else:  # an issue: cartons, or loose pieces
                    level -= spec.container * rng.randint(1, 3) if rng.random() < 0.6 \
                        else rng.randrange(spec.container)
                    level = max(level, 0)
            levels.append(level)
        return levels

    def at_index(self, spec: MaterialSpec, index: int) -> int:
        walk = self._walks.get(spec.id)
        if walk is None:
            start = 0 if spec.id in self.active else self.timeline.full_from
            walk = self._walks[spec.id] = (start, self._walk(spec, start))
        start, levels = walk
        return levels[index - start] if index >= start else 0

    def touch(self, spec: MaterialSpec) -> None:
        """The schedule or a count uses this material: every upload must report it."""
        walk = self._walks.get(spec.id)
        assert walk is None or walk[0] == 0, "a material became active after its SAP rows"
        self.active.add(spec.id)

    def on(self, spec: MaterialSpec, day: dt.date) -> int:
        """The book quantity (pieces) a count on `day` is compared with."""
        self.touch(spec)
        return self.at_index(spec, self.timeline.book_index(day))


def _members(specs: list[MaterialSpec], stock: BookStock, index: int) -> Iterator[MaterialSpec]:
    if index >= stock.timeline.full_from:
        return iter(specs)
    return (s for s in specs if s.id in stock.active)


def _split(spec: MaterialSpec, pieces: int) -> list[tuple[str, int]]:
    """Pieces per SAP storage location, by the material's fixed shares."""
    parts, left = [], pieces
    for n, (code, share) in enumerate(spec.storage_locations):
        last = n == len(spec.storage_locations) - 1
        part = left if last else min(left, round(pieces * share))
        left -= part
        if part > 0:
            parts.append((code, part))
    return parts


def row_count(specs: list[MaterialSpec], stock: BookStock) -> int:
    """How many SAP rows `sap_rows` will give (it also fixes every stock level in advance)."""
    total = 0
    for index in range(len(stock.timeline.sap_days)):
        for spec in _members(specs, stock, index):
            pieces = stock.at_index(spec, index)
            if pieces > 0:
                total += len(_split(spec, pieces))
    return total


def sap_rows(specs: list[MaterialSpec], stock: BookStock,
             org_ids: list[int]) -> Iterator[dict[str, Any]]:
    """MB52 rows for every upload date, both organizations, one per storage location."""
    for index, day in enumerate(stock.timeline.sap_days):
        for spec in _members(specs, stock, index):
            pieces = stock.at_index(spec, index)
            if pieces <= 0:
                continue
            consigned = spec.part_type == "AST-CONSIGNED"
            for n, (code, part) in enumerate(_split(spec, pieces)):
                amount = part if spec.uom == "EA" else round(part / KPC, 3)
                blocked = 0.0
                if n == 0 and spec.blocked:
                    blocked = spec.blocked if spec.uom == "EA" else round(spec.blocked / KPC, 3)
                yield {
                    "upload_date": day, "org_id": org_ids[spec.org],
                    "part_number": spec.part_number, "material_id": spec.id,
                    "description": spec.description, "plant": spec.plant,
                    "material_type": spec.material_type, "storage_location": code,
                    "base_uom": spec.uom, "amount": amount, "currency": "USD",
                    "value_unrestricted": _value(spec, amount),
                    "special_stock": "K" if consigned else None,
                    "batch": spec.batch, "vendor": CONSIGNMENT_VENDOR if consigned else None,
                    "blocked": blocked, "value_blocked": _value(spec, blocked),
                }


def _value(spec: MaterialSpec, amount: float) -> float:
    """amount x price / price unit (price per price unit of the base unit)."""
    if not amount:
        return 0.0
    if spec.price is None:  # no standard price in the master: SAP still values the stock
        pieces = amount if spec.uom == "EA" else amount * KPC
        return round(pieces * spec.piece_price, 2)
    return round(amount * spec.price / spec.price_unit, 2)
