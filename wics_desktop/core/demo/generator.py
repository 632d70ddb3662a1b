"""`generate()`: fill an empty WICS database with a realistic, deterministic demo data set.

Everything is decided in Python first from random streams seeded by `seed` (one stream per
concern, so a change in one area does not reshuffle the others), then written in one
transaction with chunked bulk INSERTs. Same seed and same `today` give the same rows.
"""
from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import clock, params
from ..db import Database
from ..errors import InputRejected
from ..models import (
    UNKNOWN_PART_TYPE,
    ActualCount,
    CountSchedule,
    Greeting,
    Holiday,
    LocationZone,
    ManufacturerPartNumber,
    Material,
    MaterialPhoto,
    Organization,
    PartType,
    SapPlant,
    SapStock,
    User,
    WorksheetZone,
    utc_now,
)
from ..passwords import hash_password
from ..progress import Progress, ensure
from . import catalog
from .activity import Activity
from .calendar import Timeline
from .materials import MaterialSpec, assign_mpns, material_rows, photo_rows, plan_materials
from .stock import BookStock, row_count, sap_rows
from .warehouse import location_pool, zone_of
from .writer import BulkWriter, refuse_unless_empty

SQLITE_LOAD_CACHE_KIB = 256 * 1024  # page cache while loading (SQLite's default is 2 MB)


@dataclass
class DemoSummary:
    """What `generate` wrote: rows per table, the dates it covers, how long it took."""

    database: str
    today: dt.date
    materials: int
    days: int
    seed: int
    row_counts: dict[str, int]
    seconds: float
    sap_uploads: list[dt.date] = field(default_factory=list)
    full_snapshots: int = 0
    shared_part_numbers: int = 0

    @property
    def rows_total(self) -> int:
        return sum(self.row_counts.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "database": self.database, "today": self.today.isoformat(),
            "materials": self.materials, "days": self.days, "seed": self.seed,
            "row_counts": dict(self.row_counts), "rows_total": self.rows_total,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_total / self.seconds) if self.seconds else None,
            "sap_uploads": len(self.sap_uploads),
            "first_sap_upload": self.sap_uploads[0].isoformat() if self.sap_uploads else None,
            "last_sap_upload": self.sap_uploads[-1].isoformat() if self.sap_uploads else None,
            "full_sap_snapshots": self.full_snapshots,
            "shared_part_numbers": self.shared_part_numbers,
            "users": [{"username": u, "role": r, "password": u} for u, r, _ in catalog.USERS],
        }

    def describe(self) -> str:
        c = self.row_counts.get
        orgs = ", ".join(name for name, _ in catalog.ORGS)
        return "\n".join([
            f"Demo data written to {self.database} in {self.seconds:.1f} s "
            f"({self.rows_total:,} rows; seed {self.seed}, today {self.today.isoformat()}).",
            f"  {c('materials', 0):,} materials in {orgs}; {self.shared_part_numbers:,} part "
            f"numbers exist in both; {c('part_types', 0)} part types; {c('mpn', 0):,} MPNs.",
            f"  {c('count_schedule', 0):,} schedule entries and {c('actual_counts', 0):,} counts "
            f"over the last {self.days} days; the schedule runs into the next workdays.",
            f"  {c('sap_stock', 0):,} SAP stock rows in {len(self.sap_uploads)} daily uploads per "
            f"organization ({self.full_snapshots} full snapshots).",
            "  Sign in as clerk/clerk, supervisor/supervisor, admin/admin or viewer/viewer (demo "
            "passwords: "
            "never use them on a real database).",
        ])


def _streams(seed: int) -> dict[str, random.Random]:
    # String seeds are hashed with SHA-512 by `random`, the same on every run and platform.
    names = ("locations", "materials", "stock", "activity", "uuids", "rows")
    return {name: random.Random(f"wics-demo:{seed}:{name}") for name in names}


@dataclass
class _Plan:
    """Everything decided before the first INSERT."""

    timeline: Timeline
    locations: list[str]
    specs: list[MaterialSpec]
    mpn_rows: list[dict[str, Any]]
    stock: BookStock
    activity: Activity
    sap_rows: int
    rng: dict[str, random.Random]

    @property
    def total_rows(self) -> int:  # for progress: the big tables, plus a little for the rest
        return (len(self.specs) + len(self.mpn_rows) + len(self.activity.schedule)
                + len(self.activity.counts) + self.sap_rows + len(self.locations) + 100)


def _plan(materials: int, days: int, seed: int, today: dt.date) -> _Plan:
    rng = _streams(seed)
    timeline = Timeline.build(today, days, materials)
    locations = location_pool(materials, rng["locations"])
    specs = plan_materials(materials, locations, rng["materials"])
    mpn_rows = assign_mpns(specs, rng["materials"])
    stock = BookStock(timeline, rng["stock"])
    activity = Activity(specs, timeline, stock, locations, _user_ids()["supervisor"],
                        rng["activity"], rng["uuids"]).run()
    return _Plan(timeline, locations, specs, mpn_rows, stock, activity,
                 row_count(specs, stock), rng)


def _user_ids() -> dict[str, int]:
    return {name: n + 1 for n, (name, _, _) in enumerate(catalog.USERS)}


def generate(database: Database, materials: int = 1000, days: int = 30, seed: int = 1,
             progress: Progress | None = None, today: dt.date | None = None) -> DemoSummary:
    """Fill `database` (schema upgraded, no data yet) with demo data ending on `today`.

    Raises InputRejected (exit 3) when the database already has data, Cancelled when
    `progress` asks to stop (nothing is written then).
    """
    if materials < 1 or days < 1:
        raise ValueError("materials and days must be at least 1")
    started = time.perf_counter()
    progress = ensure(progress)
    with database.session() as session:  # say so before spending time on the plan
        refuse_unless_empty(session)
    progress.step(0, 1, "Planning demo data")
    plan = _plan(materials, days, seed, today or clock.today())
    try:
        with database.session() as session:
            refuse_unless_empty(session)
            writer = _write(session, database, plan, progress)
    except IntegrityError as exc:  # another `wics demo` filled the database at the same time
        raise InputRejected("the database already has data; demo data goes into an empty "
                            "database (another demo run wrote to it meanwhile)") from exc
    timeline = plan.timeline
    return DemoSummary(
        database=database.describe(), today=timeline.today, materials=materials, days=days,
        seed=seed, row_counts=writer.counts, seconds=time.perf_counter() - started,
        sap_uploads=list(timeline.sap_days),
        full_snapshots=len(timeline.sap_days) - timeline.full_from,
        shared_part_numbers=sum(1 for s in plan.specs if s.twin_of is not None),
    )


def _write(session: Session, database: Database, plan: _Plan, progress: Progress) -> BulkWriter:
    """All inserts, in one transaction, parents before children."""
    org_ids, user_ids, rng, total = [1, 2], _user_ids(), plan.rng, plan.total_rows
    progress.step(0, total, "Preparing demo data")
    sqlite = database.dialect == "sqlite"
    if sqlite:  # index pages stay in memory while the rows go in
        session.execute(text(f"PRAGMA cache_size = -{SQLITE_LOAD_CACHE_KIB}"))
    now = session.scalar(select(utc_now()))
    assert now is not None  # the database's clock always answers
    writer = BulkWriter(session, progress, total, now)
    writer.insert(Organization, [{"id": i, "name": name}
                                 for i, (name, _) in zip(org_ids, catalog.ORGS, strict=True)],
                  "Organizations")
    writer.insert(SapPlant, [{"plant": plant, "org_id": i}
                             for i, (_, plants) in zip(org_ids, catalog.ORGS, strict=True)
                             for plant in plants],
                  "SAP plants")
    part_type_ids = _write_part_types(session, writer)
    writer.insert(User, [{"id": user_ids[name], "username": name, "display_name": display,
                          "role": role, "password_hash": hash_password(name), "active": True}
                         for name, role, display in catalog.USERS], "Users")
    _write_reference(session, writer, plan.timeline, plan.locations)
    writer.insert(Material, material_rows(plan.specs, part_type_ids, org_ids, rng["rows"]),
                  "Materials")
    writer.insert(ManufacturerPartNumber, plan.mpn_rows, "Manufacturer part numbers")
    writer.insert(MaterialPhoto, photo_rows(plan.specs, rng["rows"]), "Photos")
    writer.insert(CountSchedule, plan.activity.schedule, "Count schedule")
    writer.insert(ActualCount, plan.activity.counts, "Counts")
    writer.insert(SapStock, sap_rows(plan.specs, plan.stock, org_ids), "SAP stock on hand")
    progress.step(total, total, "Committing")
    if sqlite:
        session.execute(text("PRAGMA cache_size = -2000"))  # SQLite's default again
    return writer


def _write_part_types(session: Session, writer: BulkWriter) -> dict[str, int]:
    existing = {name: id_ for name, id_ in session.execute(select(PartType.name, PartType.id))}
    next_id = max(existing.values(), default=0) + 1
    rows = []
    for n, (name, priority, inactive) in enumerate(catalog.PART_TYPES):
        rows.append({"id": next_id + n, "name": name, "priority": priority, "inactive": inactive})
        existing[name] = next_id + n
    writer.insert(PartType, rows, "Part types")
    if UNKNOWN_PART_TYPE not in existing:  # `wics db upgrade` seeds it; be safe anyway
        raise RuntimeError("the UNKNOWN part type is missing: run `wics db upgrade` first")
    return existing


def _write_reference(session: Session, writer: BulkWriter, timeline: Timeline,
                     locations: list[str]) -> None:
    """Holidays, greetings, worksheet zones and the accuracy parameters (skipping what exists)."""
    have_days = set(session.scalars(select(Holiday.holiday_date)))
    writer.insert(Holiday, [{"holiday_date": day, "name": name} for day, name in timeline.holidays
                            if day not in have_days], "Holidays")
    have_text = set(session.scalars(select(Greeting.text)))
    writer.insert(Greeting, [{"text": t} for t in catalog.GREETINGS if t not in have_text],
                  "Greetings")
    have_zones = set(session.scalars(select(WorksheetZone.zone)))
    writer.insert(WorksheetZone, [{"zone": z, "name": name} for z, name in catalog.ZONES
                                  if z not in have_zones], "Worksheet zones")
    have_locations = set(session.scalars(select(LocationZone.location)))
    writer.insert(LocationZone, [{"location": loc, "zone": zone_of(loc)} for loc in locations
                                 if loc not in have_locations], "Location zones")
    params.ensure_declared(session)
    for name in (params.ACCURACY_DANGER, params.ACCURACY_WARNING, params.ACCURACY_SUCCESS):
        declared = params.spec(name)
        assert declared is not None, f"{name} is a declared parameter"
        params.set_value(session, name, declared.default)
