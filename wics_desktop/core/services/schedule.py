"""The count schedule: which material is counted on which day, by whom and why; requests.

One entry per (date, material): checked here for a clear message, and enforced by the database's
unique constraint, whose error (two workstations saving at once) gets the same message.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit, clock
from ..actor import Actor
from ..display import display_name_sql
from ..errors import NotFound, NotPermitted, RuleViolation
from ..models import ActualCount, CountSchedule, Holiday, Material, Organization, User
from ..permissions import can, refusal, require as require_permission, requires
from .fields import clean, require_date
from .material_lookup import display_name_of, display_names, material_or_404


@dataclass
class ScheduleInput:
    count_date: dt.date
    material_id: int
    counter: str | None = None
    priority: str | None = None
    reason: str | None = None
    notes: str | None = None
    requestor: str | None = None
    request_filled: bool | None = None


@dataclass(frozen=True)
class ScheduleEntry:
    id: int
    count_date: dt.date
    material_id: int
    material: str
    counter: str | None
    priority: str | None
    reason: str | None
    notes: str | None
    requestor: str | None
    requested_by_id: int | None
    request_filled: bool | None

    @property
    def is_request(self) -> bool:
        return bool(self.requestor) or self.requested_by_id is not None


@dataclass(frozen=True)
class RequestRow:
    entry: ScheduleEntry
    counted: bool  # the material has a count with a quantity on that date
    filled: bool  # counted, or marked filled by hand


def is_request(model=CountSchedule):
    """SQL: the entry is a request (someone asked for it)."""
    return or_(model.requestor.isnot(None), model.requested_by_id.isnot(None))


def counted_on_day(model=CountSchedule):
    """SQL: the scheduled material has a count with a quantity on the scheduled date."""
    return exists().where(ActualCount.material_id == model.material_id,
                          ActualCount.count_date == model.count_date,
                          ActualCount.quantity.isnot(None))


def _entry(row: CountSchedule, name: str) -> ScheduleEntry:
    return ScheduleEntry(row.id, row.count_date, row.material_id, name, row.counter, row.priority,
                         row.reason, row.notes, row.requestor, row.requested_by_id,
                         row.request_filled)


def _duplicate_message(session: Session, material_id: int, count_date: dt.date) -> str:
    return (f"A count for {display_name_of(session, material_id)} is already scheduled for "
            f"{count_date.isoformat()}")


def _existing(session: Session, material_id: int, count_date: dt.date, own_id: int | None):
    return session.scalar(select(CountSchedule.id).where(
        CountSchedule.material_id == material_id, CountSchedule.count_date == count_date,
        CountSchedule.id != (own_id or 0)))


def _user_id(session: Session, actor: Actor) -> int | None:
    return session.scalar(select(User.id).where(User.username == actor.username))


def _apply(session: Session, actor: Actor, row: CountSchedule, data: ScheduleInput) -> None:
    # Every look-up first, then the assignments: a query after an assignment would autoflush.
    count_date = require_date(data.count_date, "a count date")
    material_id = material_or_404(session, data.material_id).id
    requestor = clean(data.requestor, "The requestor", 100)
    user_id = _user_id(session, actor) if requestor else None
    values = dict(counter=clean(data.counter, "The counter", 250),
                  priority=clean(data.priority, "The priority", 50),
                  reason=clean(data.reason, "The reason", 250),
                  notes=clean(data.notes, "The notes", 1000))
    if requestor != row.requestor:
        # Whoever saves a changed requestor becomes the requesting user (as the reference did).
        row.requested_by_id = user_id
    row.count_date, row.material_id, row.requestor = count_date, material_id, requestor
    for name, value in values.items():
        setattr(row, name, value)
    row.request_filled = data.request_filled


def _require_request_rights(session: Session, actor: Actor, row: CountSchedule | None,
                            data: ScheduleInput | None) -> None:
    """Without `schedule_counts` (a clerk) only requests: a new entry must name a requestor,
    and only a request this user made may be changed, closed or deleted (and stay a request)."""
    if can(actor.role, "schedule_counts"):
        return
    if data is not None and clean(data.requestor, "The requestor", 100) is None:
        require_permission(actor, "schedule_counts")
    if row is not None:
        mine = row.requested_by_id is not None and row.requested_by_id == _user_id(session, actor)
        if not mine and (row.requestor or "").strip().lower() != actor.username.lower():
            raise NotPermitted(refusal(actor.role, "schedule_counts")
                               + " Only requests you made yourself can be changed.")


@requires("request_counts")
def add_entry(session: Session, actor: Actor, data: ScheduleInput) -> ScheduleEntry:
    _require_request_rights(session, actor, None, data)
    row = CountSchedule()
    _apply(session, actor, row, data)
    material_id, count_date = row.material_id, row.count_date
    if _existing(session, material_id, count_date, None) is not None:
        raise RuleViolation(_duplicate_message(session, material_id, count_date))
    message = _duplicate_message(session, material_id, count_date)  # before a failed flush
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:  # another workstation saved the same pair a moment ago;
        raise RuleViolation(message) from exc  # the caller's transaction rolls back
    audit.record(session, actor, "count_schedule", row.id, "create", None, audit.snapshot(row))
    return _entry(row, display_name_of(session, row.material_id))


@requires("request_counts")
def update_entry(session: Session, actor: Actor, entry_id: int, data: ScheduleInput) -> ScheduleEntry:
    row = session.get(CountSchedule, entry_id)
    if row is None:
        raise NotFound(f"There is no schedule entry with id {entry_id}.")
    _require_request_rights(session, actor, row, data)
    before = audit.snapshot(row)
    material_id, count_date = data.material_id, require_date(data.count_date, "a count date")
    if _existing(session, material_id, count_date, row.id) is not None:
        raise RuleViolation(_duplicate_message(session, material_id, count_date))
    message = _duplicate_message(session, material_id, count_date)  # before a failed flush
    _apply(session, actor, row, data)
    after = audit.snapshot(row)
    if after != before:
        try:
            session.flush()
        except IntegrityError as exc:  # the unique constraint under a race
            raise RuleViolation(message) from exc
        audit.record(session, actor, "count_schedule", row.id, "update", before, after)
    return _entry(row, display_name_of(session, row.material_id))


@requires("request_counts")
def set_request_filled(session: Session, actor: Actor, entry_id: int, filled: bool | None) -> ScheduleEntry:
    row = session.get(CountSchedule, entry_id)
    if row is None:
        raise NotFound(f"There is no schedule entry with id {entry_id}.")
    _require_request_rights(session, actor, row, None)
    before = audit.snapshot(row)
    row.request_filled = filled
    session.flush()
    audit.record(session, actor, "count_schedule", row.id, "update", before, audit.snapshot(row))
    return _entry(row, display_name_of(session, row.material_id))


@requires("request_counts")
def delete_entry(session: Session, actor: Actor, entry_id: int) -> None:
    row = session.get(CountSchedule, entry_id)
    if row is None:
        raise NotFound(f"There is no schedule entry with id {entry_id}.")
    _require_request_rights(session, actor, row, None)
    audit.record(session, actor, "count_schedule", row.id, "delete", audit.snapshot(row), None)
    session.delete(row)
    session.flush()


def entry_for(session: Session, material_id: int, count_date: dt.date) -> ScheduleEntry | None:
    """The schedule entry of a material on a date (Count Entry's SCHEDULED / NOT SCHEDULED)."""
    row = session.scalar(select(CountSchedule).where(CountSchedule.material_id == material_id,
                                                     CountSchedule.count_date == count_date))
    if row is None:
        return None
    return _entry(row, display_name_of(session, material_id))


def entries_on(session: Session, count_date: dt.date) -> list[ScheduleEntry]:
    rows = list(session.scalars(select(CountSchedule).where(CountSchedule.count_date == count_date)))
    names = display_names(session, [r.material_id for r in rows])
    return sorted((_entry(r, names[r.material_id]) for r in rows), key=lambda e: e.material)


def entries_of_material(session: Session, material_id: int) -> list[ScheduleEntry]:
    rows = list(session.scalars(select(CountSchedule).where(CountSchedule.material_id == material_id)
                                .order_by(CountSchedule.count_date.desc())))
    name = display_name_of(session, material_id) if rows else ""
    return [_entry(r, name) for r in rows]


def next_workday(session: Session, after: dt.date | None = None) -> dt.date:
    """The first day after `after` (default today) that is neither a weekend nor a holiday."""
    start = after or clock.today()
    horizon = start + dt.timedelta(days=400)
    holidays = set(session.scalars(select(Holiday.holiday_date).where(
        Holiday.holiday_date > start, Holiday.holiday_date <= horizon)))
    day = start + dt.timedelta(days=1)
    while day.weekday() >= 5 or day in holidays:
        day += dt.timedelta(days=1)
    return day


def requests(session: Session, include_filled: bool = False) -> list[RequestRow]:
    """Requested counts, newest date first then by material; `filled` once the material has a
    count with a quantity on that date, or when marked filled by hand. One query."""
    counted = counted_on_day()
    q = (select(CountSchedule, display_name_sql(), counted)
         .join(Material, Material.id == CountSchedule.material_id)
         .join(Organization, Organization.id == Material.org_id)
         .where(is_request()))
    if not include_filled:
        q = q.where(and_(~counted, or_(CountSchedule.request_filled.is_(None),
                                       CountSchedule.request_filled.is_(False))))
    rows = [RequestRow(_entry(row, name), bool(c), bool(c) or bool(row.request_filled))
            for row, name, c in session.execute(q)]
    rows.sort(key=lambda r: r.entry.material)
    rows.sort(key=lambda r: r.entry.count_date, reverse=True)
    return rows
