"""Count worksheet data for a date: what a counter carries on paper.

Grouped by the schedule's counter (the unassigned entries are their own group, listed last), each
counter's materials in walk order (worksheet zones in their walk order, then location, then
material; see services/zones.py), or by location: one line per last-found location of each
scheduled material, in walk order (zone, location, then material); materials never counted form
a last group with location None.
Blind mode leaves the book quantity out entirely. A recount a supervisor sent blind (the
default, core.services.reviews) is blind on its own line even on a sheet that is not: the
counter must not count towards the number the first count was compared with. Each line carries
the material's typical pallet and container quantities, which say what P and C mean in a
quantity such as 3P+2C+17. A fixed handful of queries.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import CountSchedule
from ..services import reviews
from ..services.counts import collect_last_found, last_found_query
from ..services.sap import collect_totals, snapshot_dates, totals_query
from ..services.zones import walk as warehouse_walk
from .count_summary import SCHEDULE_COLUMNS
from .material_info import material_info, org_names

BY_COUNTER = "counter"
BY_LOCATION = "location"


@dataclass(slots=True)
class WorksheetMaterial:
    schedule_id: int
    material_id: int
    material: str
    org: str
    description: str
    part_type: str | None
    counter: str | None
    priority: str | None
    reason: str | None
    schedule_notes: str | None
    material_notes: str | None
    typical_container_qty: str | None
    typical_pallet_qty: str | None
    requestor: str | None
    request_filled: bool | None
    last_count_date: dt.date | None
    last_found_at: list[str]
    sap_qty: int | float | None  # None in blind mode
    blind: bool = False  # this line is blind: the sheet is, or it is a blind recount
    zone: str | None = None  # the worksheet zone of its first location in the walk


@dataclass
class WorksheetGroup:
    """By counter: `counter` set (None = unassigned). By location: `location` set (None =
    materials never counted); a material appears in the group of each of its locations."""

    counter: str | None = None
    location: str | None = None
    materials: list[WorksheetMaterial] = field(default_factory=list)


@dataclass
class Worksheet:
    count_date: dt.date
    blind: bool
    by: str
    groups: list[WorksheetGroup]
    sap_dates: dict[str, dt.date | None]

    @property
    def material_count(self) -> int:
        return len({m.schedule_id for g in self.groups for m in g.materials})

    def as_dict(self) -> dict[str, Any]:
        def material(m: WorksheetMaterial, location: str | None) -> dict[str, Any]:
            d: dict[str, Any] = {
                "material": m.material, "org": m.org, "material_id": m.material_id,
                "schedule_id": m.schedule_id, "description": m.description,
                "part_type": m.part_type, "counter": m.counter, "priority": m.priority,
                "reason": m.reason, "schedule_notes": m.schedule_notes,
                "material_notes": m.material_notes,
                "typical_container_qty": m.typical_container_qty,
                "typical_pallet_qty": m.typical_pallet_qty, "requestor": m.requestor,
                "request_filled": m.request_filled,
                "last_count_date": m.last_count_date.isoformat() if m.last_count_date else None,
                "last_found_at": m.last_found_at, "zone": m.zone,
            }
            if self.by == BY_LOCATION:
                d["location"] = location
            if not self.blind:
                d["blind"] = m.blind
                if not m.blind:
                    d["sap_qty"] = m.sap_qty
            return d

        key = "counter" if self.by == BY_COUNTER else "location"
        doc = {"count_date": self.count_date.isoformat(), "blind": self.blind, "by": self.by,
               "groups": [{key: getattr(g, key),
                           "materials": [material(m, g.location) for m in g.materials]}
                          for g in self.groups]}
        if not self.blind:
            doc["sap_dates"] = {org: d.isoformat() if d else None
                                for org, d in sorted(self.sap_dates.items())}
        return doc


def build(session: Session, count_date: dt.date, by: str = BY_COUNTER,
          blind: bool = False) -> Worksheet:
    if by not in (BY_COUNTER, BY_LOCATION):
        raise ValueError(f"by must be '{BY_COUNTER}' or '{BY_LOCATION}'")
    scheduled = select(CountSchedule.material_id).where(CountSchedule.count_date == count_date)
    entries = session.execute(select(*SCHEDULE_COLUMNS)
                              .where(CountSchedule.count_date == count_date)).all()
    # one entry per (date, material): the ids are distinct
    info = material_info(session, scheduled)
    found = collect_last_found(session.execute(last_found_query(scheduled)))
    snapshots = {} if blind else snapshot_dates(session, count_date)
    sap = {} if blind else collect_totals(session.execute(totals_query(snapshots, scheduled)))
    orgs = org_names(session)
    walk = warehouse_walk(session)
    sap_dates = {name: snapshots.get(oid) for oid, name in orgs.items()}
    blind_recounts = set() if blind else reviews.blind_recounts(session, count_date)

    lines = []
    for e in entries:
        mi = info[e.material_id]
        lf = found.get(e.material_id)
        total = sap.get(e.material_id)
        lines.append(WorksheetMaterial(
            schedule_id=e.id, material_id=mi.id, material=mi.material, org=mi.org,
            description=mi.description, part_type=mi.part_type, counter=e.counter,
            priority=e.priority, reason=e.reason, schedule_notes=e.notes, material_notes=mi.notes,
            typical_container_qty=mi.typical_container_qty,
            typical_pallet_qty=mi.typical_pallet_qty, requestor=e.requestor,
            request_filled=e.request_filled, last_count_date=lf.last_count_date if lf else None,
            last_found_at=list(lf.locations) if lf else [],
            sap_qty=None if blind or e.material_id in blind_recounts
            else (total.quantity if total else 0),
            blind=blind or e.material_id in blind_recounts))
        first = walk.first(lines[-1].last_found_at)
        lines[-1].zone = walk.zone_name(first)
    lines.sort(key=lambda m: m.material)
    if by == BY_COUNTER:
        # Each counter's sheet in walk order: zone by zone (their walk order), then location;
        # materials without a zone, then those never found, come last.
        lines.sort(key=lambda m: walk.key(walk.first(m.last_found_at)))
        groups: dict[str | None, WorksheetGroup] = {}
        for m in lines:
            groups.setdefault(m.counter, WorksheetGroup(counter=m.counter)).materials.append(m)
        ordered = sorted((g for k, g in groups.items() if k is not None),
                         key=lambda g: g.counter or "")  # (never None here)
        if None in groups:
            ordered.append(groups[None])
    else:
        by_loc: dict[str | None, WorksheetGroup] = {}
        for m in lines:
            locations: Sequence[str | None] = m.last_found_at or [None]
            for loc in locations:
                # the same material object in each of its locations' groups
                by_loc.setdefault(loc, WorksheetGroup(location=loc)).materials.append(m)
        ordered = sorted((g for k, g in by_loc.items() if k is not None),
                         key=lambda g: walk.key(g.location))
        if None in by_loc:
            ordered.append(by_loc[None])
    return Worksheet(count_date, blind, by, ordered, sap_dates)
