"""Warehouse part types: the catalogue materials are grouped by (AST-A, UNKNOWN, ...)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..actor import Actor
from ..errors import NotFound, RuleViolation, about
from ..models import UNKNOWN_PART_TYPE, Material, PartType
from ..permissions import requires
from .fields import optional_int, plural, require
from .orgs import SetupResult


@dataclass(frozen=True)
class PartTypeRow:
    id: int
    name: str
    priority: int | None
    inactive: bool
    materials: int


def list_part_types(session: Session, include_inactive: bool = True) -> list[PartTypeRow]:
    """All part types by name, with how many materials use each (one query)."""
    used = (select(Material.part_type_id, func.count().label("n"))
            .group_by(Material.part_type_id).subquery())
    q = (select(PartType, func.coalesce(used.c.n, 0))
         .outerjoin(used, used.c.part_type_id == PartType.id).order_by(PartType.name))
    if not include_inactive:
        q = q.where(PartType.inactive.is_(False))
    return [PartTypeRow(pt.id, pt.name, pt.priority, pt.inactive, n)
            for pt, n in session.execute(q)]


def find_part_type(session: Session, name_or_id: object) -> PartType:
    if isinstance(name_or_id, int) and not isinstance(name_or_id, bool):
        row = session.get(PartType, name_or_id)
        if row is None:
            raise NotFound(f"There is no part type with id {name_or_id}.")
        return row
    text = require(name_or_id, "a part type")
    row = session.scalar(select(PartType).where(PartType.name == text))
    if row is None:
        raise NotFound(f"There is no such part type as '{text}'.")
    return row


def unknown_part_type(session: Session) -> PartType:
    """The UNKNOWN part type new materials get, created when missing."""
    row = session.scalar(select(PartType).where(PartType.name == UNKNOWN_PART_TYPE))
    if row is None:
        row = PartType(name=UNKNOWN_PART_TYPE, priority=None)
        session.add(row)
        session.flush()
    return row


def _check_priority_free(session: Session, priority: int | None, own_id: int | None) -> None:
    # The reference's production database keeps priorities unique: say so before the INSERT.
    if priority is None:
        return
    other = session.scalar(select(PartType.name).where(PartType.priority == priority,
                                                       PartType.id != (own_id or 0)))
    if other is not None:
        raise RuleViolation(f"Priority {priority} is already used by part type {other}.")


@requires("edit_part_types")
def add_part_type(session: Session, actor: Actor, name: str, priority: object = None,
                  inactive: bool | None = None) -> SetupResult:
    """Create, or update the priority/inactive flag of an existing one (idempotent)."""
    with about("name"):
        name = require(name, "a part type name", 50)
    with about("priority"):
        prio = optional_int(priority, "The priority")
    row = session.scalar(select(PartType).where(PartType.name == name))
    created = row is None
    if row is None:
        with about("priority"):
            _check_priority_free(session, prio, None)
        row = PartType(name=name, priority=prio, inactive=bool(inactive))
        session.add(row)
        session.flush()
        audit.record(session, actor, "part_type", row.id, "create", None, audit.snapshot(row))
        changed = True
    else:
        before = audit.snapshot(row)
        if prio is not None:
            with about("priority"):
                _check_priority_free(session, prio, row.id)
            row.priority = prio
        if inactive is not None:
            row.inactive = inactive
        changed = audit.snapshot(row) != before
        if changed:
            session.flush()
            audit.record(session, actor, "part_type", row.id, "update", before, audit.snapshot(row))
    return SetupResult("part_type", name, created, changed,
                       {"id": row.id, "name": name, "priority": row.priority,
                        "inactive": row.inactive})


@requires("edit_part_types")
def update_part_type(session: Session, actor: Actor, part_type_id: int, *, name: str | None = None,
                     priority: object = ..., inactive: bool | None = None) -> PartType:
    row = find_part_type(session, part_type_id)
    before = audit.snapshot(row)
    if name is not None:
        with about("name"):
            new_name = require(name, "a part type name", 50)
            clash = session.scalar(select(PartType.id).where(PartType.name == new_name,
                                                             PartType.id != row.id))
            if clash is not None:
                raise RuleViolation(f"There is already a part type named {new_name}.")
        row.name = new_name
    if priority is not ...:
        with about("priority"):
            prio = optional_int(priority, "The priority")
            _check_priority_free(session, prio, row.id)
        row.priority = prio
    if inactive is not None:
        row.inactive = inactive
    label = row.name  # read before the flush: a failed flush expires every loaded object
    try:
        session.flush()
    except IntegrityError as exc:
        raise RuleViolation(f"Part type {label} could not be saved: {exc.orig}") from exc
    audit.record(session, actor, "part_type", row.id, "update", before, audit.snapshot(row))
    return row


@requires("edit_part_types")
def delete_part_type(session: Session, actor: Actor, part_type_id: int | str) -> None:
    row = find_part_type(session, part_type_id)
    used = session.scalar(select(func.count()).select_from(Material)
                          .where(Material.part_type_id == row.id))
    if used:
        raise RuleViolation(f"Part type {row.name} is used by {plural(used, 'material')}: "
                            "it cannot be removed. Give those materials another part type first.")
    audit.record(session, actor, "part_type", row.id, "delete", audit.snapshot(row), None)
    session.delete(row)
    session.flush()


def save_part_type(session: Session, actor: Actor, part_type_id: int | None, name: str,
                   priority: object, inactive: bool) -> int:
    """The Part Types screen's Save: a new part type (part_type_id None) or changes to one;
    returns its id."""
    if part_type_id is None:
        return int(add_part_type(session, actor, name, priority, inactive).values["id"])
    return update_part_type(session, actor, part_type_id, name=name, priority=priority,
                            inactive=inactive).id
