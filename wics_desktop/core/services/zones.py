"""Worksheet zones: which area of the warehouse a location is in, and the order to walk them.

A zone is a number and a name; `walk_order` places it in a walk through the warehouse (NULL:
in its number's place). A location belongs to at most one zone. Count sheets by counter and
the planner walk zone by zone in that order, then location by location (plain character
order, the same on both databases). Changes need the `edit_zones` permission and are audited.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..actor import Actor
from ..errors import InputRejected, NotFound
from ..models import ActualCount, LocationZone, WorksheetZone
from . import users
from .fields import require

NO_ZONE_RANK = 1 << 30  # locations without a zone, and materials never found, walk last


@dataclass(frozen=True)
class ZoneRow:
    zone: int
    name: str
    walk_order: int | None
    position: int  # 1-based place in the walk
    locations: int


@dataclass(frozen=True)
class Walk:
    """Location -> (zone rank, location): sort by it to walk the warehouse."""

    zone_of: dict[str, int]
    rank_of: dict[int, int]
    names: dict[int, str]

    def key(self, location: str | None) -> tuple[int, str]:
        if location is None:
            return (NO_ZONE_RANK + 1, "")
        zone = self.zone_of.get(location)
        return (NO_ZONE_RANK if zone is None else self.rank_of.get(zone, NO_ZONE_RANK), location)

    def first(self, locations: list[str]) -> str | None:
        """The location of a list that comes first in the walk (None for an empty list)."""
        return min(locations, key=self.key) if locations else None

    def zone_name(self, location: str | None) -> str | None:
        zone = self.zone_of.get(location) if location else None
        return self.names.get(zone) if zone is not None else None


def _ordered(session: Session) -> list[WorksheetZone]:
    rows = list(session.scalars(select(WorksheetZone)))
    rows.sort(key=lambda z: (z.zone if z.walk_order is None else z.walk_order, z.zone))
    return rows


def walk(session: Session) -> Walk:
    """The walk order, in one query (zones with their locations)."""
    rows = session.execute(
        select(WorksheetZone.zone, WorksheetZone.name, WorksheetZone.walk_order,
               LocationZone.location)
        .outerjoin(LocationZone, LocationZone.zone == WorksheetZone.zone)).all()
    order = sorted({(r.zone if r.walk_order is None else r.walk_order, r.zone) for r in rows})
    return Walk({r.location: r.zone for r in rows if r.location is not None},
                {zone: i for i, (_, zone) in enumerate(order)}, {r.zone: r.name for r in rows})


def list_zones(session: Session) -> list[ZoneRow]:
    counts = dict(session.execute(select(LocationZone.zone, func.count())
                                  .group_by(LocationZone.zone)).all())
    return [ZoneRow(z.zone, z.name, z.walk_order, i + 1, counts.get(z.zone, 0))
            for i, z in enumerate(_ordered(session))]


def save_zone(session: Session, actor: Actor, zone: int, name: str) -> ZoneRow:
    """Add a zone, or rename it (idempotent)."""
    users.require(actor, "edit_zones")
    if not isinstance(zone, int) or isinstance(zone, bool) or not 1 <= zone <= 9999:
        raise InputRejected(f"A zone number must be a whole number from 1 to 9999, not {zone!r}.")
    label = require(name, "the zone's name", 50)
    row = session.get(WorksheetZone, zone)
    if row is None:
        row = WorksheetZone(zone=zone, name=label)
        session.add(row)
        session.flush()
        audit.record(session, actor, "worksheet_zone", zone, "create", None, audit.snapshot(row))
    elif row.name != label:
        before = audit.snapshot(row)
        row.name = label
        session.flush()
        audit.record(session, actor, "worksheet_zone", zone, "update", before, audit.snapshot(row))
    return next(z for z in list_zones(session) if z.zone == zone)


def delete_zone(session: Session, actor: Actor, zone: int) -> None:
    """Remove a zone; its locations lose their zone (they walk last until given another)."""
    users.require(actor, "edit_zones")
    row = session.get(WorksheetZone, zone)
    if row is None:
        raise NotFound(f"There is no zone {zone}.")
    before = audit.snapshot(row)
    locations = list(session.scalars(select(LocationZone).where(LocationZone.zone == zone)))
    before["locations"] = sorted(loc.location for loc in locations)
    for loc in locations:  # SQLite enforces no ON DELETE CASCADE without the pragma
        session.delete(loc)
    session.delete(row)
    session.flush()
    audit.record(session, actor, "worksheet_zone", zone, "delete", before, None)


def move_zone(session: Session, actor: Actor, zone: int, steps: int) -> list[ZoneRow]:
    """Move a zone earlier (steps < 0) or later in the walk; every zone then carries its
    place as walk_order, so the order no longer depends on the numbers."""
    users.require(actor, "edit_zones")
    zones = _ordered(session)
    index = next((i for i, z in enumerate(zones) if z.zone == zone), None)
    if index is None:
        raise NotFound(f"There is no zone {zone}.")
    target = max(0, min(len(zones) - 1, index + steps))
    before = [z.zone for z in zones]
    zones.insert(target, zones.pop(index))
    for i, z in enumerate(zones):
        z.walk_order = i + 1
    session.flush()
    after = [z.zone for z in zones]
    if after != before:
        audit.record(session, actor, "worksheet_zone", zone, "reorder",
                     {"walk": before}, {"walk": after})
    return list_zones(session)


def set_location_zone(session: Session, actor: Actor, location: str, zone: int | None) -> None:
    """Put a location in a zone, or (zone None) take it out of its zone."""
    set_locations_zone(session, actor, [location], zone)


def location_zone_names(session: Session) -> dict[str, str]:
    """Location -> the name of its zone (for the Locations screen)."""
    q = (select(LocationZone.location, WorksheetZone.name)
         .join(WorksheetZone, WorksheetZone.zone == LocationZone.zone))
    return dict(session.execute(q).all())


@dataclass(frozen=True)
class LocationRow:
    location: str
    zone: int | None


def known_locations(session: Session) -> list[LocationRow]:
    """Every location counted somewhere or given a zone, with its zone (two queries)."""
    zoned = dict(session.execute(select(LocationZone.location, LocationZone.zone)).all())
    counted = set(session.scalars(select(ActualCount.location).distinct()))
    return [LocationRow(loc, zoned.get(loc)) for loc in sorted(counted | set(zoned))]


def set_locations_zone(session: Session, actor: Actor, locations: list[str],
                       zone: int | None) -> int:
    """Put locations in a zone, or (zone None) take them out of theirs; returns how many
    changed. Two queries to look, then the changes in one flush, each audited."""
    users.require(actor, "edit_zones")
    names = sorted({require(loc, "a location", 250) for loc in locations})
    if zone is not None and session.get(WorksheetZone, zone) is None:
        raise NotFound(f"There is no zone {zone}.")
    rows = {r.location: r for r in session.scalars(
        select(LocationZone).where(LocationZone.location.in_(names)))} if names else {}
    changes: list[tuple[str, str, dict[str, Any] | None, LocationZone | None]] = []
    for loc in names:
        row = rows.get(loc)
        before = audit.snapshot(row) if row is not None else None
        if zone is None and row is not None:
            session.delete(row)
            changes.append((loc, "delete", before, None))
        elif zone is not None and row is None:
            row = LocationZone(location=loc, zone=zone)
            session.add(row)
            changes.append((loc, "create", None, row))
        elif zone is not None and row is not None and row.zone != zone:
            row.zone = zone
            changes.append((loc, "update", before, row))
    session.flush()
    for loc, action, before, row in changes:
        audit.record(session, actor, "location_zone", loc, action, before,
                     audit.snapshot(row) if row is not None else None)
    return len(changes)
