"""A month of warehouse life: the count schedule and the counts that followed it.

Day by day: the supervisor schedules a few dozen materials (some because the previous count
missed), counters count most of them (today only about half so far), find some unscheduled
ones, note locations without counting, and now and then correct a count with a negative line.
Most counts agree with SAP; some miss a little or a lot, so every accuracy band shows up.
"""
from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from . import catalog
from .calendar import Timeline
from .materials import MaterialSpec
from .quantities import checked, expression_for
from .stock import BookStock

SCHEDULE_SHARE = 0.02          # materials scheduled per workday, as a share of all materials
SCHEDULE_MIN, SCHEDULE_MAX = 6, 120
FUTURE_FILL = (1.0, 0.7, 0.5, 0.3, 0.2)  # the next workdays are planned less and less fully
REASONS, REASON_WEIGHTS = zip(*catalog.REASONS, strict=True)


def _counted(book: int, spec: MaterialSpec, rng: random.Random) -> int:
    """What the counter found, given the book quantity: mostly right, sometimes not."""
    roll = rng.random()
    if book == 0:
        return 0 if roll < 0.9 else spec.container  # a carton the book does not know about
    if roll < 0.78:
        return book
    low, high = ((0.002, 0.015) if roll < 0.86 else (0.02, 0.045) if roll < 0.92
                 else (0.05, 0.10) if roll < 0.96 else (0.15, 0.6))
    delta = max(1, round(book * rng.uniform(low, high)))
    return max(0, book - delta if rng.random() < 0.65 else book + delta)


def _accuracy(count: float, book: float) -> float:
    if count <= 0 and book <= 0:
        return 100.0
    return 100.0 * max(0.0, min(count, book)) / max(count, book)


class Activity:
    """Builds the `count_schedule` and `actual_counts` rows."""

    def __init__(self, specs: list[MaterialSpec], timeline: Timeline, stock: BookStock,
                 locations: list[str], supervisor_id: int, rng: random.Random,
                 uuid_rng: random.Random) -> None:
        self.specs, self.timeline, self.stock = specs, timeline, stock
        self.locations, self.supervisor_id = locations, supervisor_id
        self.rng, self.uuid_rng = rng, uuid_rng
        self.per_day = max(SCHEDULE_MIN, min(SCHEDULE_MAX, round(len(specs) * SCHEDULE_SHARE)))
        self.schedule: list[dict[str, Any]] = []
        self.counts: list[dict[str, Any]] = []
        self._misses: list[tuple[MaterialSpec, dt.date, int]] = []

    def run(self) -> Activity:
        today = self.timeline.today
        for day in self.timeline.count_days:
            size = max(1, round(self.per_day * self.rng.uniform(0.8, 1.2)))
            entries = self._plan(day, size)
            self._count(day, entries, 0.45 if day == today else 0.88)
        for day, fill in zip(self.timeline.future_days, FUTURE_FILL, strict=True):
            self._plan(day, max(1, round(self.per_day * fill)))
        return self

    # ---- the schedule -----------------------------------------------------------------
    def _pick(self, size: int, taken: set[int]) -> list[MaterialSpec]:
        """`size` materials not yet taken that day; inactive or empty ones rarely."""
        rng = self.rng
        chosen: list[MaterialSpec] = []
        for _ in range(4 * size + 20):
            if len(chosen) == size:
                break
            spec = self.specs[rng.randrange(len(self.specs))]
            if spec.id in taken:
                continue
            if (spec.inactive and rng.random() > 0.05) or (not spec.stock and rng.random() > 0.1):
                continue
            taken.add(spec.id)
            chosen.append(spec)
        return chosen

    def _entry(self, day: dt.date, spec: MaterialSpec, reason: str | None,
               priority: str | None, notes: str | None) -> dict[str, Any]:
        rng = self.rng
        request = rng.random() < 0.1
        entry = {
            "count_date": day, "material_id": spec.id,
            "requestor": rng.choice(catalog.REQUESTORS) if request else None,
            "requested_by_id": self.supervisor_id if request else None,
            "request_filled": None,
            "counter": rng.choice(catalog.COUNTERS) if rng.random() < 0.7 else None,
            "priority": priority, "reason": reason, "notes": notes,
        }
        self.schedule.append(entry)
        if day <= self.timeline.today:
            self.stock.touch(spec)
        return entry

    def _plan(self, day: dt.date, size: int) -> list[tuple[dict[str, Any], MaterialSpec]]:
        rng, taken, planned = self.rng, set(), []
        recheck = [m for m in self._misses if m[1] < day][: max(1, size // 10)]
        for miss in recheck:
            self._misses.remove(miss)
            spec, when, diff = miss
            if spec.id not in taken:
                taken.add(spec.id)
                note = f"Last count {when:%m/%d} was off by {diff:+,}"
                planned.append((self._entry(day, spec, "Verify Prev Count", "vfy", note), spec))
        for spec in self._pick(size - len(planned), taken):
            reason = rng.choices(REASONS, REASON_WEIGHTS)[0]
            notes = rng.choice(catalog.SCHEDULE_NOTES) if rng.random() < 0.15 else None
            planned.append((self._entry(day, spec, reason, rng.choice(catalog.PRIORITIES), notes),
                            spec))
        return planned

    # ---- the counts -------------------------------------------------------------------
    def _count(self, day: dt.date, planned: list[tuple[dict[str, Any], MaterialSpec]],
               share: float) -> None:
        rng, past = self.rng, day < self.timeline.today
        taken = {spec.id for _, spec in planned}
        for entry, spec in planned:
            counted = rng.random() < share
            if counted:
                counter = entry["counter"] if entry["counter"] and rng.random() < 0.9 else None
                self._count_material(day, spec, counter, entry["reason"])
            if entry["requestor"] and (counted or past):
                entry["request_filled"] = counted
        for spec in self._pick(round(len(planned) * 0.12), taken):  # found while counting others
            self._count_material(day, spec, None, None)
        for spec in self._pick(round(len(planned) * 0.03), taken):  # seen, not counted
            self._row(day, spec, rng.choice(catalog.COUNTERS), spec.locations[0], None,
                      notes="Location mapping", location_only=True)

    def _counter(self) -> str:
        rng = self.rng
        if rng.random() < 0.03:
            first, second = rng.sample(catalog.COUNTERS, 2)
            return f"{first}+{second}"
        return rng.choice(catalog.COUNTERS)

    def _parts(self, spec: MaterialSpec, counted: int) -> list[tuple[str, int]]:
        """Split a count over some of the material's usual locations, by whole cartons."""
        rng = self.rng
        n = min(len(spec.locations), rng.choice((1, 1, 1, 2, 2, 3)))
        cartons, loose = divmod(counted, spec.container)
        if n == 1 or cartons < n:
            return [(spec.locations[0], counted)]
        cuts = sorted(rng.sample(range(1, cartons), n - 1)) if cartons > n else list(range(1, n))
        bounds = [0, *cuts, cartons]
        parts = [(spec.locations[i], (bounds[i + 1] - bounds[i]) * spec.container)
                 for i in range(n)]
        location, pieces = parts[-1]
        parts[-1] = (location, pieces + loose)
        return parts

    def _count_material(self, day: dt.date, spec: MaterialSpec, counter: str | None,
                        reason: str | None) -> None:
        rng = self.rng
        counter = counter or self._counter()
        book = self.stock.on(spec, day)
        counted = _counted(book, spec, rng)
        parts = self._parts(spec, counted)
        extra = 0  # pieces counted twice and struck off with a negative line afterwards
        if counted and rng.random() < 0.03:
            extra = spec.container if rng.random() < 0.5 \
                else rng.randint(1, max(1, spec.container // 4))
        for n, (location, pieces) in enumerate(parts):
            self._row(day, spec, counter, location, pieces + (extra if n == 0 else 0),
                      received=reason == "Received Material")
        if extra:
            self._row(day, spec, counter, parts[0][0], -extra, expression=f"-{extra}",
                      notes=rng.choice(catalog.CORRECTION_NOTES))
        if rng.random() < 0.05:
            self._row(day, spec, counter, rng.choice(self.locations), None,
                      notes=rng.choice(catalog.LOCATION_ONLY_NOTES), location_only=True)
        if book and _accuracy(counted, book) < 95:
            self._misses.append((spec, day, counted - book))

    def _row(self, day: dt.date, spec: MaterialSpec, counter: str, location: str,
             pieces: int | None, *, expression: str | None = None, notes: str | None = None,
             location_only: bool = False, received: bool = False) -> None:
        rng = self.rng
        quantity = None
        if not location_only:
            assert pieces is not None, "only a location-only row has no pieces"
            expression = expression or expression_for(pieces, spec.container,
                                                      spec.cartons_per_pallet, rng)
            quantity = checked(expression, pieces)
        if notes is None and rng.random() < 0.06:
            notes = rng.choice(catalog.COUNT_NOTES)
        self.counts.append({
            "uuid": str(uuid.UUID(int=self.uuid_rng.getrandbits(128), version=4)),
            "count_date": day,
            "cycle_count_id": f"CC-{day:%Y%m%d}" if rng.random() < 0.03 else None,
            "material_id": spec.id, "counter": counter, "location_only": location_only,
            "expression": None if location_only else expression, "quantity": quantity,
            "location": location,
            "package_id": rng.choice(catalog.PACKAGE_IDS) if rng.random() < 0.08 else None,
            "tag_qty": rng.choice(catalog.TAG_QTYS) if rng.random() < 0.08 else None,
            "possibly_not_received": rng.random() < (0.15 if received else 0.02),
            "movement_during_count": rng.random() < 0.02,
            "notes": notes,
            "entered_by": "clerk" if rng.random() < 0.85 else "supervisor",
            "workstation": rng.choice(catalog.WORKSTATIONS),
        })
