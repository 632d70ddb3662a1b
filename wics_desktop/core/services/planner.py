"""The count planner: which materials each counter counts on a day, and why.

For a workday D: what is already scheduled for D (requests, recounts, earlier plans) stays as it
is and is never proposed again; entries naming a counter use up that counter's capacity. Then
the materials due by their SAP ABC class (every PLAN-DAYS-A/-B/-C days since the last count; no
class counts as C) fill the counters' remaining capacity: never counted first, then most overdue
(days past due), then the highest value on hand (SAP total x price / price unit). A material
without stock that nobody counted in the last PLAN-DAYS-C days is left out (it is not there to
count); so is one counted on D already.

The chosen materials are shared out so counters differ by at most one proposal while any
counter has room (a counter whose capacity is used up stops earlier), and each counter gets a
contiguous stretch of the warehouse walk: materials are sorted by the zone and location where
they were last found, and cut into consecutive runs, one per counter.

A fixed handful of queries whatever the size of the warehouse; the rest is Python over plain
tuples (100,000 materials is a few hundred thousand small objects).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import case, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit, params
from ..actor import Actor
from ..dialect import chunks
from ..errors import InputRejected, RuleViolation
from ..models import (
    ActualCount,
    AuditLog,
    CounterCapacity,
    CountSchedule,
    Holiday,
    Material,
    User,
    utc_now,
)
from ..models.base import table_of
from ..reports.material_info import org_names
from . import users, zones
from .counts import last_found
from .fields import clean, require_date
from .material_lookup import display_names
from .plan_balance import balanced_quotas, cut_in_runs
from .sap import snapshot_dates, totals_query
from .schedule import next_workday

PLANNED = "Planned"
RECOUNT = "Recount"
CLASSES = ("A", "B", "C")


@dataclass(slots=True)
class PlanLine:
    """One material on the plan: a proposal, or (schedule_id set) an entry already scheduled."""

    material_id: int
    material: str
    org: str
    counter: str | None
    reason: str | None
    why: str
    abc: str
    last_count_date: dt.date | None
    value: float
    location: str | None  # where the counter's walk finds it (its last-found location)
    zone: str | None
    schedule_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"material": self.material, "org": self.org, "counter": self.counter,
             "reason": self.reason, "why": self.why, "abc": self.abc,
             "last_count_date": self.last_count_date.isoformat() if self.last_count_date else None,
             "value": round(self.value, 2), "location": self.location, "zone": self.zone}
        if self.schedule_id is not None:
            d["schedule_id"] = self.schedule_id
        return d


@dataclass(slots=True)
class CounterLoad:
    counter: str
    capacity: int
    scheduled: int  # entries of the day that already name this counter
    proposed: int = 0

    @property
    def room(self) -> int:
        return max(0, self.capacity - self.scheduled)

    def as_dict(self) -> dict[str, Any]:
        return {"counter": self.counter, "capacity": self.capacity,
                "scheduled": self.scheduled, "proposed": self.proposed}


@dataclass
class Plan:
    date: dt.date
    proposals: list[PlanLine]
    scheduled: list[PlanLine]
    counters: list[CounterLoad]
    due_left: int  # due materials that did not fit in the day
    applied: bool = False
    written: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "applied": self.applied,
                "proposals": [p.as_dict() for p in self.proposals],
                "already_scheduled": [p.as_dict() for p in self.scheduled],
                "counters": [c.as_dict() for c in self.counters],
                "due_left": self.due_left, "written": self.written}


@dataclass(frozen=True)
class ApplyResult:
    written: int
    already_scheduled: int


@dataclass(frozen=True)
class Settings:
    days: dict[str, int]
    capacity: int
    counter_days: int


@dataclass(slots=True)
class _Material:
    id: int
    org_id: int
    part_number: str
    abc: str
    has_class: bool
    last: dt.date | None
    before: dt.date | None  # the last count date before D (what a recount repeats)
    value: float
    quantity: float


# ---- rules ------------------------------------------------------------------------------------

def check_workday(session: Session, day: dt.date) -> None:
    """Nobody counts on weekends and holidays: refuse, naming the next workday."""
    if day.weekday() >= 5:
        what = f"a {day.strftime('%A')}"
    else:
        holiday = session.execute(select(Holiday.name).where(Holiday.holiday_date == day)).first()
        if holiday is None:
            return
        what = "a holiday" + (f" ({holiday.name})" if holiday.name else "")
    nxt = next_workday(session, day)
    raise RuleViolation(f"{day.isoformat()} is {what}: nobody counts then. The next workday "
                        f"is {nxt.isoformat()} ({nxt.strftime('%A')}).")


def _whole(values: dict[str, str], name: str, minimum: int) -> int:
    number = params.as_float(values, name)
    declared = params.spec(name)
    assert declared is not None, f"{name} is a declared parameter"
    default = int(float(declared.default))
    return int(number) if number >= minimum and number == int(number) else default


def settings(session: Session, capacity: int | None = None) -> Settings:
    values = params.get_all(session)
    days = {"A": _whole(values, params.PLAN_DAYS_A, 1), "B": _whole(values, params.PLAN_DAYS_B, 1),
            "C": _whole(values, params.PLAN_DAYS_C, 1)}
    if capacity is not None and (isinstance(capacity, bool) or not isinstance(capacity, int)
                                 or capacity < 0):
        raise InputRejected(f"The capacity must be a whole number of materials, 0 or more, "
                            f"not {capacity!r}.")
    cap = capacity if capacity is not None else _whole(values, params.PLAN_CAPACITY, 0)
    return Settings(days, cap, _whole(values, params.PLAN_COUNTER_DAYS, 1))


@lru_cache(maxsize=256)  # a handful of distinct values over 100,000 materials
def _class(sap_abc: str | None) -> tuple[str, bool]:
    text = (sap_abc or "").strip().upper()[:1]
    return (text, True) if text in CLASSES else ("C", False)


def _class_text(m: _Material) -> str:
    return f"{m.abc}-class" if m.has_class else "C-class (no ABC class)"


def _why_due(m: _Material, day: dt.date, every: int) -> str:
    if m.last is None:
        return f"{_class_text(m)}, never counted"
    return f"{_class_text(m)}, last counted {(day - m.last).days} days ago (due every {every})"


def _why_scheduled(reason: str | None, requestor: str | None, requested_by: str | None,
                   before: dt.date | None) -> str:
    if requestor or requested_by:
        return f"requested by {requestor or requested_by}"
    if (reason or "").strip().lower() == RECOUNT.lower():
        return f"recount of {before.isoformat()}" if before else "recount"
    return f"already scheduled ({reason})" if reason else "already scheduled"


def parse_counters(text: str | Iterable[str] | None) -> list[str] | None:
    """'A, B,,A' -> ['A', 'B'] (stripped, repeats dropped, order kept); None stays None."""
    if text is None:
        return None
    parts = text.split(",") if isinstance(text, str) else list(text)
    names: list[str] = []
    for part in parts:
        name = clean(part, "A counter's name", 250)
        if name and name not in names:
            names.append(name)
    if not names:
        raise InputRejected("Please name at least one counter (comma-separated).")
    return names


def default_counters(session: Session, day: dt.date, active_days: int) -> list[str]:
    """Everyone who counted in the `active_days` days before `day` (each person of a pair
    written "A+B"), and every counter with an own capacity above 0 (someone new, or back from
    leave); an own capacity of 0 leaves a counter out. Alphabetical."""
    since = day - dt.timedelta(days=active_days)
    written = session.scalars(select(ActualCount.counter).distinct().where(
        ActualCount.count_date >= since, ActualCount.count_date < day))
    # Counters who count in pairs write "Chris K+Nate": plan for each person.
    active = {name.strip() for text in written for name in text.split("+") if name.strip()}
    own = dict(session.execute(select(CounterCapacity.counter, CounterCapacity.capacity)).all())
    names = {c for c in active if own.get(c, 1) > 0} | {c for c, cap in own.items() if cap > 0}
    return sorted(names, key=lambda c: (c.casefold(), c))


# ---- the plan ---------------------------------------------------------------------------------

def _materials(session: Session, day: dt.date, days: dict[str, int],
               scheduled: set[int]) -> tuple[list[_Material], dict[int, _Material]]:
    """The materials due on `day`, most urgent first, and those already scheduled (by id).
    Four queries; objects only for those two kinds, not for all 100,000."""
    last = {mid: (latest, before) for mid, latest, before in session.execute(
        select(ActualCount.material_id, func.max(ActualCount.count_date),
               func.max(case((ActualCount.count_date < day, ActualCount.count_date))))
        .where(ActualCount.count_date <= day).group_by(ActualCount.material_id))}
    # only the quantity of each SAP total is needed: no SapTotal objects for 100,000 rows
    sap = {row[0]: float(row[1] or 0)
           for row in session.execute(totals_query(snapshot_dates(session, day)))}
    due, fixed, none = [], {}, (None, None)
    for mid, org_id, part, abc, price, price_unit in session.execute(select(
            Material.id, Material.org_id, Material.part_number, Material.sap_abc, Material.price,
            Material.price_unit)):
        qty = sap.get(mid, 0.0)
        cls, has_class = _class(abc)
        latest, before = last.get(mid, none)
        if mid not in scheduled:
            since = None if latest is None else (day - latest).days
            if qty <= 0 and (since is None or since >= days["C"]):
                continue  # nothing on the books and nobody has seen it for long: not there
            if since is not None and since < days[cls]:
                continue  # not due yet (or counted today)
        unit_value = (price or 0.0) / (price_unit or 1)  # blank or 0 price unit means 1
        m = _Material(mid, org_id, part, cls, has_class, latest, before, qty * unit_value, qty)
        if mid in scheduled:
            fixed[mid] = m
        else:
            due.append(m)
    # never counted first; then days past due; then value on hand; then a stable tie-break
    due.sort(key=lambda m: (m.last is not None,
                            -((day - m.last).days - days[m.abc]) if m.last else 0,
                            -m.value, m.org_id, m.part_number))
    return due, fixed


def propose(session: Session, actor: Actor, day: dt.date, capacity: int | None = None,
            counters: str | Iterable[str] | None = None) -> Plan:
    """The plan for `day` (nothing written). `capacity` overrides every counter's capacity;
    `counters` (names or 'A,B') replaces the default list (see default_counters)."""
    users.require(actor, "plan_counts")
    day = require_date(day, "the plan's date")
    check_workday(session, day)
    conf = settings(session, capacity)
    names = parse_counters(counters) or default_counters(session, day, conf.counter_days)
    if not names:
        raise InputRejected(
            f"Nobody to plan for: no one counted in the {conf.counter_days} days before "
            f"{day.isoformat()} and no counter has an own capacity. Name the counters "
            f"(--counters A,B).")

    existing = session.execute(
        select(CountSchedule.id, CountSchedule.material_id, CountSchedule.counter,
               CountSchedule.reason, CountSchedule.requestor,
               func.coalesce(User.display_name, User.username))
        .outerjoin(User, User.id == CountSchedule.requested_by_id)
        .where(CountSchedule.count_date == day)).all()
    own = dict(session.execute(select(CounterCapacity.counter, CounterCapacity.capacity)).all())
    loads = [CounterLoad(c, conf.capacity if capacity is not None else own.get(c, conf.capacity),
                         sum(1 for e in existing if e.counter == c)) for c in names]

    due, fixed = _materials(session, day, conf.days, {e.material_id for e in existing})
    chosen = due[:min(len(due), sum(c.room for c in loads))]
    quotas = balanced_quotas([c.room for c in loads], len(chosen))

    ids = [m.id for m in chosen] + [e.material_id for e in existing]
    found, walk = last_found(session, ids), zones.walk(session)
    shown, orgs = {}, org_names(session)
    for part in chunks(ids, 5000):  # keep each IN list under every driver's limits
        shown.update(display_names(session, part))

    def line(m: _Material, counter: str | None, reason: str | None, why: str,
             schedule_id: int | None = None) -> PlanLine:
        lf = found.get(m.id)
        loc = walk.first(list(lf.locations)) if lf else None
        return PlanLine(m.id, shown[m.id], orgs[m.org_id], counter, reason, why, m.abc, m.last,
                        m.value, loc, walk.zone_name(loc), schedule_id)

    def walk_key(p: PlanLine) -> tuple[tuple[int, str], str]:
        return (walk.key(p.location), p.material)

    lines = sorted((line(m, None, PLANNED, _why_due(m, day, conf.days[m.abc])) for m in chosen),
                   key=walk_key)
    proposals = []
    for load, run in zip(loads, cut_in_runs(lines, quotas), strict=True):
        load.proposed = len(run)
        for p in run:
            p.counter = load.counter
        proposals += run
    scheduled = sorted((line(fixed[e.material_id], e.counter, e.reason,
                             _why_scheduled(e.reason, e.requestor, e[5],
                                            fixed[e.material_id].before), e.id)
                        for e in existing), key=walk_key)
    return Plan(day, proposals, scheduled, loads, len(due) - len(chosen))


def apply_plan(session: Session, actor: Actor, day: dt.date,
               lines: Iterable[tuple[int, str | None, str | None]]) -> ApplyResult:
    """Write (material id, counter, why) lines as schedule entries of `day` with reason
    Planned. A material already scheduled that day is left as it is, so applying the same
    plan twice writes nothing new. One query to look, one batch to write."""
    users.require(actor, "plan_counts")
    day = require_date(day, "the plan's date")
    check_workday(session, day)
    wanted: dict[int, tuple[str | None, str | None]] = {}
    for material_id, counter, why in lines:
        wanted.setdefault(int(material_id), (clean(counter, "The counter", 250),
                                             clean(why, "The notes", 1000)))
    present = set(session.scalars(select(CountSchedule.material_id).where(
        CountSchedule.count_date == day)))
    fresh = [mid for mid in wanted if mid not in present]
    known = {mid for part in chunks(fresh, 5000) for mid in session.scalars(
        select(Material.id).where(Material.id.in_(part)))}
    missing = [mid for mid in fresh if mid not in known]
    if missing:
        raise InputRejected(f"The plan names materials that no longer exist (ids "
                            f"{', '.join(map(str, missing[:5]))}): plan again.")
    if not fresh:
        return ApplyResult(0, len(wanted))
    # One multi-row INSERT for the entries and one for their audit rows (the ORM would send
    # a statement per row, server-side timestamps and all).
    now = session.scalar(select(utc_now()))
    stamps = {"created_at": now, "updated_at": now}
    rows: list[dict[str, Any]]
    rows = [{"count_date": day, "material_id": mid, "counter": wanted[mid][0],
             "reason": PLANNED, "notes": wanted[mid][1], **stamps} for mid in fresh]
    try:
        session.execute(insert(table_of(CountSchedule)), rows)
    except IntegrityError as exc:  # another workstation scheduled one of them a moment ago
        raise RuleViolation(f"Someone scheduled some of these materials for {day.isoformat()} "
                            f"meanwhile; nothing was written. Plan again.") from exc
    ids = {mid: sid for part in chunks(fresh, 5000) for mid, sid in session.execute(
        select(CountSchedule.material_id, CountSchedule.id).where(
            CountSchedule.count_date == day, CountSchedule.material_id.in_(part)))}
    entries = []
    for r in rows:
        after = audit.snapshot(CountSchedule(id=ids[r["material_id"]], **r))
        entry = audit.record(session, actor, "count_schedule", after["id"], "create", None, after)
        session.expunge(entry)
        entries.append({**{c: getattr(entry, c) for c in (
            "username", "workstation", "entity", "entity_key", "action", "before_json",
            "after_json")}, "at": now, **stamps})
    session.execute(insert(table_of(AuditLog)), entries)
    return ApplyResult(len(rows), len(wanted) - len(rows))


def plan(session: Session, actor: Actor, day: dt.date, capacity: int | None = None,
         counters: str | Iterable[str] | None = None, apply: bool = False) -> Plan:
    """propose(), and with `apply` write it (the nightly `wics plan --apply`)."""
    result = propose(session, actor, day, capacity, counters)
    if apply:
        done = apply_plan(session, actor, day,
                          [(p.material_id, p.counter, p.why) for p in result.proposals])
        result.applied, result.written = True, done.written
    return result


# ---- counters' own capacities -----------------------------------------------------------------

@dataclass(frozen=True)
class CapacityRow:
    counter: str
    capacity: int


def list_capacities(session: Session) -> list[CapacityRow]:
    rows = session.execute(select(CounterCapacity.counter, CounterCapacity.capacity)).all()
    return sorted((CapacityRow(c, n) for c, n in rows), key=lambda r: r.counter.casefold())


def set_capacity(session: Session, actor: Actor, counter: str, capacity: int | None) -> None:
    """A counter's own daily capacity (0 = not planned); None goes back to PLAN-CAPACITY."""
    users.require(actor, "plan_counts")
    name = clean(counter, "The counter", 250)
    if not name:
        raise InputRejected("Please enter the counter.")
    if capacity is not None and (isinstance(capacity, bool) or not isinstance(capacity, int)
                                 or not 0 <= capacity <= 10000):
        raise InputRejected(f"A capacity is a whole number from 0 to 10000, not {capacity!r}.")
    row = session.get(CounterCapacity, name)
    before = audit.snapshot(row) if row is not None else None
    if capacity is None:
        if row is not None:
            session.delete(row)
            session.flush()
            audit.record(session, actor, "counter_capacity", name, "delete", before, None)
        return
    if row is None:
        row = CounterCapacity(counter=name, capacity=capacity)
        session.add(row)
    elif row.capacity == capacity:
        return
    row.capacity = capacity
    session.flush()
    audit.record(session, actor, "counter_capacity", name, "create" if before is None else "update",
                 before, audit.snapshot(row))

