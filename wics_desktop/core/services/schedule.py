"""The count schedule: which material is counted on which day, by whom and why; requests.

One entry per (date, material): checked here for a clear message, and enforced by the database's
unique constraint, whose error (two workstations saving at once) gets the same message.

Who may do what: supervisors schedule, change and delete any entry. A clerk requests: they
create entries that carry a requestor and no counter, and may change or withdraw only their
own request while it is still open (not filled, not counted); whatever they save keeps the
entry's counter and filled mark. Anyone may mark a request filled (whoever fills it does).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Exists, and_, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit, clock
from ..actor import Actor
from ..display import display_name_sql
from ..errors import NotFound, NotPermitted, RuleViolation, about
from ..models import ActualCount, CountSchedule, Holiday, Material, Organization, User
from . import permits
from .fields import clean, date_in_range, plain_text, require_date
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


def is_request(model: type[CountSchedule] = CountSchedule) -> ColumnElement[bool]:
    """SQL: the entry is a request (someone asked for it)."""
    return or_(model.requestor.isnot(None), model.requested_by_id.isnot(None))


def counted_on_day(model: type[CountSchedule] = CountSchedule) -> Exists:
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


def _existing(session: Session, material_id: int, count_date: dt.date,
              own_id: int | None) -> int | None:
    return session.scalar(select(CountSchedule.id).where(
        CountSchedule.material_id == material_id, CountSchedule.count_date == count_date,
        CountSchedule.id != (own_id or 0)))


def _user_id(session: Session, actor: Actor) -> int | None:
    return session.scalar(select(User.id).where(User.username == actor.username))


def edit_refusal(session: Session, actor: Actor, entry_id: int) -> str | None:
    """Why `actor` may not change or delete this entry, or None when they may (the form
    opens read-only with this sentence)."""
    if permits.has(actor, "schedule_counts"):
        return None
    if not permits.has(actor, "request_counts"):
        return "You may not change schedule entries."
    row = session.get(CountSchedule, entry_id)
    if row is None:
        raise NotFound(f"There is no schedule entry with id {entry_id}.")
    return _clerk_refusal(session, actor, row)


def _clerk_refusal(session: Session, actor: Actor, row: CountSchedule) -> str | None:
    what = f"The schedule entry for {display_name_of(session, row.material_id)} on {row.count_date}"
    if row.requested_by_id is None or row.requested_by_id != _user_id(session, actor):
        return (f"{what} is not your request: only a supervisor may change or delete it. "
                f"You can request another count.")
    if row.request_filled:
        return f"{what} is already filled: only a supervisor may change or delete it."
    counted = session.scalar(select(ActualCount.id).where(
        ActualCount.material_id == row.material_id, ActualCount.count_date == row.count_date,
        ActualCount.quantity.isnot(None)).limit(1))
    if counted is not None:
        return f"{what} has been counted: only a supervisor may change or delete it."
    return None


def _as_clerk(session: Session, actor: Actor, row: CountSchedule | None,
              data: ScheduleInput) -> ScheduleInput:
    """The input a clerk may save: a request, with the entry's own counter and filled mark."""
    if clean(data.requestor) is None:
        raise NotPermitted("A clerk requests counts: please enter who requests it (scheduling "
                           "without a requestor is for supervisors).")
    if row is None:
        if clean(data.counter) is not None:
            raise NotPermitted("Only a supervisor assigns the counter of a count; leave it "
                               "blank in a request.")
        counter, filled = None, None
    else:
        counter, filled = row.counter, row.request_filled
    return ScheduleInput(data.count_date, data.material_id, counter, data.priority, data.reason,
                         data.notes, data.requestor, filled)


def _apply(session: Session, actor: Actor, row: CountSchedule, data: ScheduleInput) -> None:
    # Every look-up first, then the assignments: a query after an assignment would autoflush.
    with about("date"):
        count_date = date_in_range(data.count_date, "a count date")
    with about("material"):
        material_id = material_or_404(session, data.material_id).id
    with about("requestor"):
        requestor = clean(data.requestor, "The requestor", 100)
    user_id = _user_id(session, actor) if requestor else None
    values = {}
    for name, label, max_len in (("counter", "The counter", 250),
                                 ("priority", "The priority", 50),
                                 ("reason", "The reason", 250), ("notes", "The notes", 1000)):
        with about(name):
            values[name] = plain_text(getattr(data, name), label, max_len,
                                      notes=name == "notes")
    if requestor != row.requestor:
        # Whoever saves a changed requestor becomes the requesting user (as the reference did).
        row.requested_by_id = user_id
    row.count_date, row.material_id, row.requestor = count_date, material_id, requestor
    for name, value in values.items():
        setattr(row, name, value)
    row.request_filled = data.request_filled


def add_entry(session: Session, actor: Actor, data: ScheduleInput) -> ScheduleEntry:
    permits.check(actor, "request_counts")
    if not permits.has(actor, "schedule_counts"):
        data = _as_clerk(session, actor, None, data)
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


def update_entry(session: Session, actor: Actor, entry_id: int, data: ScheduleInput
                 ) -> ScheduleEntry:
    permits.check(actor, "request_counts")
    row = _row(session, entry_id)
    if not permits.has(actor, "schedule_counts"):
        _refuse_clerk(session, actor, row)
        data = _as_clerk(session, actor, row, data)
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


def save_entry(session: Session, actor: Actor, entry_id: int | None,
               data: ScheduleInput) -> ScheduleEntry:
    """The schedule form's Save: a new entry (entry_id None) or changes to one."""
    if entry_id is None:
        return add_entry(session, actor, data)
    return update_entry(session, actor, entry_id, data)


def _row(session: Session, entry_id: int) -> CountSchedule:
    row = session.get(CountSchedule, entry_id)
    if row is None:
        raise NotFound(f"There is no schedule entry with id {entry_id}.")
    return row


def _refuse_clerk(session: Session, actor: Actor, row: CountSchedule) -> None:
    refusal = _clerk_refusal(session, actor, row)
    if refusal is not None:
        raise NotPermitted(refusal)


def set_request_filled(session: Session, actor: Actor, entry_id: int, filled: bool | None
                       ) -> ScheduleEntry:
    # Whoever fills a request marks it (the reference's rule): clerks too.
    permits.check(actor, "request_counts")
    row = _row(session, entry_id)
    before = audit.snapshot(row)
    row.request_filled = filled
    session.flush()
    audit.record(session, actor, "count_schedule", row.id, "update", before, audit.snapshot(row))
    return _entry(row, display_name_of(session, row.material_id))


def delete_entry(session: Session, actor: Actor, entry_id: int) -> None:
    """Delete an entry (supervisors), or withdraw one's own open request (clerks)."""
    permits.check(actor, "request_counts")
    row = _row(session, entry_id)
    if not permits.has(actor, "schedule_counts"):
        _refuse_clerk(session, actor, row)
    audit.record(session, actor, "count_schedule", row.id, "delete", audit.snapshot(row), None)
    session.delete(row)
    session.flush()


def get_entry(session: Session, entry_id: int) -> ScheduleEntry | None:
    """The schedule entry with this id, None when it no longer exists."""
    row = session.get(CountSchedule, entry_id)
    return _entry(row, display_name_of(session, row.material_id)) if row is not None else None


def entry_for(session: Session, material_id: int, count_date: dt.date) -> ScheduleEntry | None:
    """The schedule entry of a material on a date (Count Entry's SCHEDULED / NOT SCHEDULED)."""
    row = session.scalar(select(CountSchedule).where(CountSchedule.material_id == material_id,
                                                     CountSchedule.count_date == count_date))
    if row is None:
        return None
    return _entry(row, display_name_of(session, material_id))


def entries_on(session: Session, count_date: dt.date) -> list[ScheduleEntry]:
    rows = list(session.scalars(select(CountSchedule)
                                .where(CountSchedule.count_date == count_date)))
    names = display_names(session, [r.material_id for r in rows])
    return sorted((_entry(r, names[r.material_id]) for r in rows), key=lambda e: e.material)


def entries_of_material(session: Session, material_id: int) -> list[ScheduleEntry]:
    rows = list(session.scalars(select(CountSchedule)
                                .where(CountSchedule.material_id == material_id)
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
