"""Actual counts: add, edit, delete, copy; a material's counts on a day; last found at.

The expression is kept exactly as typed and its value, computed once here by the one evaluator,
is stored in `quantity` (NULL for location-only), so every total is an SQL SUM.
"""
from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, select, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..actor import Actor
from ..errors import InputRejected, NotFound, NotPermitted, RuleViolation, about
from ..expressions import ExpressionError, Packs, evaluate, has_packs
from ..limits import number_problem
from ..models import ActualCount, CountSchedule, DeletedCount
from ..permissions import require as require_permission
from ..permissions import requires
from . import users
from .fields import as_number, clean, date_in_range, plain_text, require_plain
from .material_lookup import MaterialSet, display_names, material_or_404, restrict_to

if TYPE_CHECKING:
    from .sql_types import AnySelect


@dataclass
class CountInput:
    count_date: dt.date
    material_id: int
    counter: str
    location: str
    expression: str | None = None
    location_only: bool = False
    package_id: str | None = None
    tag_qty: str | None = None
    possibly_not_received: bool = False
    movement_during_count: bool = False
    notes: str | None = None
    cycle_count_id: str | None = None
    uuid: str | None = None


@dataclass(frozen=True)
class CountLine:
    id: int
    uuid: str
    count_date: dt.date
    material_id: int
    material: str
    counter: str
    location: str
    location_only: bool
    expression: str | None
    quantity: int | float | None
    package_id: str | None
    tag_qty: str | None
    possibly_not_received: bool
    movement_during_count: bool
    notes: str | None
    cycle_count_id: str | None
    entered_by: str | None
    workstation: str | None


@dataclass(frozen=True)
class DayCounts:
    lines: list[CountLine]
    total: int | float  # sum of the quantities; location-only lines add nothing


@dataclass(slots=True)
class LastFound:
    last_count_date: dt.date
    locations: list[str] = field(default_factory=list)


def _validated(session: Session, data: CountInput) -> dict[str, Any]:
    """The column values for a count, or InputRejected with the first problem (form order);
    each rejection names its field (the form's cursor goes there)."""
    with about("date"):
        count_date = date_in_range(data.count_date, "a count date")
    with about("material"):
        if data.material_id is None:
            raise InputRejected("Please enter a material.")
        material = material_or_404(session, data.material_id)
    with about("counter"):
        counter = require_plain(data.counter, "The counter", 250, "Please enter the counter.")
    with about("location"):
        location = require_plain(data.location, "The location", 250, "Please enter a location.")
    location_only = bool(data.location_only)
    with about("quantity"):
        expression = clean(data.expression, "The quantity", 500) \
            if data.expression is not None else None
        quantity = None
        if location_only:
            expression = None  # seen there, not counted: no quantity, nothing to keep
        else:
            if expression is None:
                raise InputRejected("Please enter a valid quantity or tick Location only.")
            try:
                # P and C mean this material's typical pallet and container quantities
                packs = (Packs.of(material.typical_pallet_qty, material.typical_container_qty)
                         if has_packs(expression) else None)
                quantity = evaluate(expression, packs)
            except ExpressionError as exc:
                raise InputRejected(f"Quantity '{expression}' is not valid: {exc}.") from exc
            problem = number_problem(quantity)
            if problem:
                raise InputRejected(f"Quantity '{expression}': {problem}")
    with about("package"):
        package_id = plain_text(data.package_id, "The package id", 250)
    with about("tag"):
        tag_qty = plain_text(data.tag_qty, "The tag quantity", 250)
    with about("notes"):
        notes = plain_text(data.notes, "The notes", 1000, notes=True)
    return dict(
        count_date=count_date, material_id=data.material_id, counter=counter, location=location,
        location_only=location_only, expression=expression, quantity=quantity,
        package_id=package_id, tag_qty=tag_qty,
        possibly_not_received=bool(data.possibly_not_received),
        movement_during_count=bool(data.movement_during_count),
        notes=notes,
        cycle_count_id=plain_text(data.cycle_count_id, "The cycle count id", 100),
    )


def packs_of(session: Session, material_id: int) -> Packs:
    """What P and C mean for a material (the Count Entry's live expansion, the Material form)."""
    m = material_or_404(session, material_id)
    return Packs.of(m.typical_pallet_qty, m.typical_container_qty)


def validate(session: Session, data: CountInput) -> dict[str, Any]:
    """The column values `add_count` would write for `data`, or InputRejected: for writers
    that insert many counts in one statement (the offline sync's push) under the same rules."""
    return _validated(session, data)


def _line(row: ActualCount, name: str) -> CountLine:
    return CountLine(
        id=row.id, uuid=row.uuid, count_date=row.count_date, material_id=row.material_id,
        material=name, counter=row.counter, location=row.location, location_only=row.location_only,
        expression=row.expression, quantity=as_number(row.quantity), package_id=row.package_id,
        tag_qty=row.tag_qty, possibly_not_received=row.possibly_not_received,
        movement_during_count=row.movement_during_count, notes=row.notes,
        cycle_count_id=row.cycle_count_id, entered_by=row.entered_by, workstation=row.workstation)


def _lines(session: Session, rows: list[ActualCount]) -> list[CountLine]:
    names = display_names(session, [r.material_id for r in rows])
    return [_line(r, names.get(r.material_id, "")) for r in rows]


def _count_or_404(session: Session, count_id: int) -> ActualCount:
    row = session.get(ActualCount, count_id)
    if row is None:
        raise NotFound(f"There is no count with id {count_id}.")
    return row


def _require_own_or_any(actor: Actor, row: ActualCount) -> None:
    """A clerk changes and deletes only the counts they entered; a supervisor any count."""
    own = (row.entered_by or "").strip().lower() == (actor.username or "").strip().lower()
    if not own:
        require_permission(actor, "edit_counts_of_others")


@requires("enter_counts")
def add_count(session: Session, actor: Actor, data: CountInput) -> CountLine:
    values = _validated(session, data)
    key = clean(data.uuid, "The uuid", 36) or str(uuidlib.uuid4())
    existing = session.scalar(select(ActualCount.id).where(ActualCount.uuid == key))
    if existing is not None:
        err = RuleViolation(f"Count {key} is already recorded (id {existing}).")
        err.payload = {"id": existing, "uuid": key}
        raise err
    if data.uuid and (gone := session.get(DeletedCount, key)) is not None:
        raise RuleViolation(f"Count {key} was recorded before and deleted by "
                            f"{gone.deleted_by or 'someone'} on {gone.created_at:%Y-%m-%d}; "
                            "a deleted count is not recorded again under the same uuid.")
    row = ActualCount(uuid=key, entered_by=actor.username, workstation=actor.workstation, **values)
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:  # the same uuid arrived from another workstation meanwhile
        raise RuleViolation(f"Count {key} is already recorded.") from exc
    audit.record(session, actor, "actual_count", row.id, "create", None, audit.snapshot(row))
    return _lines(session, [row])[0]


@requires("enter_counts")
def update_count(session: Session, actor: Actor, count_id: int, data: CountInput) -> CountLine:
    """Replace a count's fields with `data` (its uuid, entered_by and workstation stay)."""
    row = _count_or_404(session, count_id)
    _require_own_or_any(actor, row)
    values = _validated(session, data)
    before = audit.snapshot(row)
    for name, value in values.items():
        setattr(row, name, value)
    after = audit.snapshot(row)
    if after != before:
        session.flush()
        audit.record(session, actor, "actual_count", row.id, "update", before, after)
    return _lines(session, [row])[0]


@requires("enter_counts")
def delete_count(session: Session, actor: Actor, count_id: int) -> None:
    row = _count_or_404(session, count_id)
    _require_own_or_any(actor, row)
    audit.record(session, actor, "actual_count", row.id, "delete", audit.snapshot(row), None)
    # Its uuid stays taken: a file imported again or an offline count sent again after an
    # interrupted push must not bring it back (imports/counts.py, sync/push.py).
    session.merge(DeletedCount(uuid=row.uuid, count_id=row.id, deleted_by=actor.username,
                               workstation=actor.workstation))
    session.delete(row)
    session.flush()


def may_change(actor: Actor, entered_by: str | None) -> bool:
    """A count is changed (or copied) by whoever entered it, or by a supervisor and above."""
    return entered_by == actor.username or users.can(actor.role, "edit_counts_of_others")


def require_may_change(actor: Actor, count_id: int, entered_by: str | None,
                       what: str = "change") -> None:
    if entered_by == actor.username:
        return
    try:
        users.require(actor, "edit_counts_of_others")
    except NotPermitted as exc:
        raise NotPermitted(f"Count #{count_id} was entered by {entered_by or 'someone else'}: "
                           f"only a supervisor may {what} it.") from exc


@requires("enter_counts")
def copy_count(session: Session, actor: Actor, count_id: int, new_date: dt.date) -> CountLine:
    """A new count with every field of `count_id` except its id and uuid, dated `new_date`.
    Someone else's count is copied by a supervisor only (a clerk would re-date a colleague's
    work under their own name)."""
    row = _count_or_404(session, count_id)
    require_may_change(actor, row.id, row.entered_by, "copy")
    copy = ActualCount(
        uuid=str(uuidlib.uuid4()), count_date=date_in_range(new_date, "the date to copy to"),
        material_id=row.material_id, counter=row.counter, location=row.location,
        location_only=row.location_only, expression=row.expression, quantity=row.quantity,
        package_id=row.package_id, tag_qty=row.tag_qty, cycle_count_id=row.cycle_count_id,
        possibly_not_received=row.possibly_not_received,
        movement_during_count=row.movement_during_count, notes=row.notes,
        entered_by=actor.username, workstation=actor.workstation)
    session.add(copy)
    session.flush()
    audit.record(session, actor, "actual_count", copy.id, "create", None,
                 {**audit.snapshot(copy), "copied_from": row.id})
    return _lines(session, [copy])[0]


def get_count(session: Session, count_id: int) -> CountLine:
    return _lines(session, [_count_or_404(session, count_id)])[0]


def get_counts(session: Session, count_ids: list[int]) -> list[CountLine]:
    """The counts with these ids, in the order given, in one query (a selection of rows to
    delete); NotFound names the first id that no longer exists."""
    rows = {r.id: r for r in session.scalars(
        select(ActualCount).where(ActualCount.id.in_(count_ids)))}
    missing = [i for i in count_ids if i not in rows]
    if missing:
        raise NotFound(f"There is no count with id {missing[0]}.")
    return _lines(session, [rows[i] for i in count_ids])


def counts_on(session: Session, material_id: int, count_date: dt.date) -> DayCounts:
    rows = list(session.scalars(select(ActualCount).where(
        ActualCount.material_id == material_id, ActualCount.count_date == count_date)
        .order_by(ActualCount.id)))
    lines = _lines(session, rows)
    total = sum((line.quantity or 0) for line in lines if not line.location_only)
    return DayCounts(lines, as_number(total) or 0)


def scheduled_counter(session: Session, material_id: int, count_date: dt.date) -> str | None:
    """Who is scheduled to count the material on that date (None: nobody named)."""
    return session.scalar(
        select(CountSchedule.counter).where(
            CountSchedule.material_id == material_id, CountSchedule.count_date == count_date,
            CountSchedule.counter.is_not(None), CountSchedule.counter != "")
        .order_by(CountSchedule.id).limit(1))


def known_counters(session: Session, since: dt.date | None = None,
                   limit: int = 500) -> list[str]:
    """Counter names seen in counts and in the schedule (since `since`), for completing the
    counter field: paper sheets are typed by a clerk for whoever counted. Sorted, ignoring
    case; one spelling per name (capitals first: "Calvin" over "calvin")."""
    counted = select(ActualCount.counter.label("name")).where(ActualCount.counter.is_not(None))
    planned = select(CountSchedule.counter.label("name")).where(
        CountSchedule.counter.is_not(None))
    if since is not None:
        counted = counted.where(ActualCount.count_date >= since)
        planned = planned.where(CountSchedule.count_date >= since)
    both = union(counted, planned).subquery()
    names = session.scalars(select(both.c.name).limit(limit * 2)).all()
    unique: dict[str, str] = {}
    for name in sorted(n.strip() for n in names if n):
        text = name
        if text:
            unique.setdefault(text.lower(), text)
    return sorted(unique.values(), key=str.lower)[:limit]


def counts_of_material(session: Session, material_id: int, limit: int | None = None
                       ) -> list[CountLine]:
    """A material's counts, newest date first (the Material form's count tab)."""
    q = (select(ActualCount).where(ActualCount.material_id == material_id)
         .order_by(ActualCount.count_date.desc(), ActualCount.id))
    if limit:
        q = q.limit(limit)
    return _lines(session, list(session.scalars(q)))


def last_found_query(materials: MaterialSet | None = None) -> AnySelect:
    """(material_id, count_date, location) rows of each material's latest count date, distinct.

    `materials`: None (all), a list of ids, or a SELECT of distinct ids (reports pass their
    material set as a query instead of shipping a list of ids).
    """
    latest = restrict_to(
        select(ActualCount.material_id, func.max(ActualCount.count_date).label("last_date")),
        ActualCount.material_id, materials).group_by(ActualCount.material_id).subquery()
    return (select(ActualCount.material_id, latest.c.last_date, ActualCount.location).distinct()
            .join(latest, and_(latest.c.material_id == ActualCount.material_id,
                               latest.c.last_date == ActualCount.count_date)))


def collect_last_found(rows: Iterable[tuple[Any, ...]]) -> dict[int, LastFound]:
    found: dict[int, LastFound] = {}
    for material_id, last_date, location in rows:
        entry = found.get(material_id)
        if entry is None:
            entry = found[material_id] = LastFound(last_date, [])
        entry.locations.append(location)
    for entry in found.values():
        entry.locations.sort()  # plain character order, the same on both databases
    return found


def last_found(session: Session, material_ids: list[int] | None = None) -> dict[int, LastFound]:
    """Each material's last count date and the distinct locations of its counts on that date
    (any kind, location-only included), sorted. Materials never counted are absent.
    `None` means every material."""
    if material_ids is None:
        return collect_last_found(session.execute(last_found_query()))
    ids = sorted(set(material_ids))
    result: dict[int, LastFound] = {}
    for start in range(0, len(ids), 5000):  # keep the IN list under every driver's limits
        chunk = ids[start:start + 5000]
        result.update(collect_last_found(
            session.execute(last_found_query(chunk))))
    return result
