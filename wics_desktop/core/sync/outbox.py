"""The outbox: counts saved in a replica while the server was unreachable.

A count saved offline goes through the same `counts.add_count` as online (same rules, same
expression evaluator), on a replica session. Two mapper hooks, active on replica sessions
only, make that transparent for every caller (Count Entry, `wics count add`, copy):
- before insert: the count gets a *negative* id, so it can never collide with a server id the
  next refresh brings; the push later renumbers it to the id the server gave it;
- after insert: the count is queued in `sync_outbox` in the same transaction (its uuid, the
  fields as typed, the material's part number and org, the user and the workstation), so a
  count is never in the replica's lists without being queued, nor queued without being listed.
Editing counts is refused on a replica, and so is deleting them, except a count typed here and
not sent yet (Count Entry's undo): a change to a server count made offline could not be sent
back safely; it waits until the server is back. So is every other write
(master data, schedule, users) except a user's sign-in time.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, func, insert, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, UOWTransaction, object_session

from ..dialect import table_of
from ..errors import NotPermitted
from ..models import (
    ActualCount,
    AuditLog,
    DeletedCount,
    Material,
    Organization,
    OutboxCount,
    User,
)
from ..models.sync import OUTBOX_ATTENTION, OUTBOX_PENDING, OUTBOX_SENT
from ..services.counts import CountInput
from .replica import is_replica_session

# CountInput fields carried in a payload, in their JSON form.
_INPUT_FIELDS = ("count_date", "material_id", "counter", "location", "expression",
                 "location_only", "package_id", "tag_qty", "possibly_not_received",
                 "movement_during_count", "notes", "cycle_count_id", "uuid")


def _replica_target(target: object) -> bool:
    session = object_session(target)
    return session is not None and is_replica_session(session)


@event.listens_for(ActualCount, "before_insert")
def _local_id(mapper: Mapper[Any], connection: Connection, target: ActualCount) -> None:
    if target.id is None and _replica_target(target):
        lowest = connection.scalar(select(func.min(ActualCount.id)))
        target.id = min(lowest or 0, 0) - 1


@event.listens_for(ActualCount, "after_insert")
def _queue(mapper: Mapper[Any], connection: Connection, target: ActualCount) -> None:
    if not _replica_target(target):
        return
    part = connection.execute(
        select(Material.part_number, Organization.name)
        .join(Organization, Organization.id == Material.org_id)
        .where(Material.id == target.material_id)).first()
    payload = {name: getattr(target, name) for name in _INPUT_FIELDS}
    payload["count_date"] = target.count_date.isoformat()
    payload["quantity"] = target.quantity
    payload["part_number"], payload["org"] = (part if part else (None, None))
    payload["entered_by"] = target.entered_by
    payload["workstation"] = target.workstation
    payload["typed_at"] = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat()
    connection.execute(insert(table_of(OutboxCount)).values(
        uuid=target.uuid, payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
        username=target.entered_by or "unknown", workstation=target.workstation,
        state=OUTBOX_PENDING, attempts=0))


def _refuse(what: str) -> Callable[[Mapper[Any], Connection, ActualCount], None]:
    def hook(mapper: Mapper[Any], connection: Connection, target: ActualCount) -> None:
        if _replica_target(target):
            raise NotPermitted(f"Counts can be {what} only while the server is reachable; "
                               "new counts are kept on this PC and sent when it is back.")
    return hook


event.listen(ActualCount, "before_update", _refuse("changed"))


@event.listens_for(ActualCount, "before_delete")
def _withdraw(mapper: Mapper[Any], connection: Connection, target: ActualCount) -> None:
    """A count typed here and not sent yet may be taken back (Count Entry's undo): its outbox
    row goes with it. Anything else is refused. Should a push be sending it at this moment,
    the push notices the missing outbox row and removes it from the server again."""
    if not _replica_target(target):
        return
    table = table_of(OutboxCount)
    gone = connection.execute(table.delete().where(
        table.c.uuid == target.uuid, table.c.state == OUTBOX_PENDING)).rowcount
    if target.id is None or target.id >= 0 or not gone:
        _refuse("deleted")(mapper, connection, target)

# What a replica session may write: new counts (queued above) with their audit rows, and the
# sign-in time of a user signing in offline. Anything else would be overwritten by the next
# refresh without ever reaching the server, so it is refused with a sentence saying why.
_SIGN_IN_FIELDS = {"last_login", "password_hash"}


def _allowed_offline(session: Session, obj: object, new: bool) -> bool:
    if isinstance(obj, AuditLog):
        return new and obj.entity == "actual_count"
    if isinstance(obj, DeletedCount):  # a count typed here and taken back before it was sent
        return new
    if isinstance(obj, User) and not new:
        changed = {a.key for a in sa_inspect(obj).attrs if a.history.has_changes()}
        return changed <= _SIGN_IN_FIELDS
    return False


@event.listens_for(Session, "before_flush")
def _replica_writes(session: Session, _flush_context: UOWTransaction,
                    _instances: Sequence[Any] | None) -> None:
    if not is_replica_session(session):
        return
    for obj, new in [(o, True) for o in session.new] + [(o, False) for o in session.dirty] + \
            [(o, False) for o in session.deleted]:
        if isinstance(obj, ActualCount):
            continue  # the mapper hooks above queue new counts and refuse the rest
        if not _allowed_offline(session, obj, new and obj not in session.deleted):
            raise NotPermitted(
                f"This change needs the server ({type(obj).__name__} cannot be changed while "
                "working offline): only counting works offline. Try again when the server "
                "is back.")


# ---- reading the outbox ----------------------------------------------------------------------

def payload_input(payload: dict[str, Any], **changes: Any) -> CountInput:
    """The CountInput a payload describes, with `changes` applied (a supervisor's re-key)."""
    values: dict[str, Any] = {name: payload.get(name) for name in _INPUT_FIELDS}
    values.update(changes)
    if isinstance(values["count_date"], str):
        values["count_date"] = dt.date.fromisoformat(values["count_date"])
    values["location_only"] = bool(values["location_only"])
    values["possibly_not_received"] = bool(values["possibly_not_received"])
    values["movement_during_count"] = bool(values["movement_during_count"])
    return CountInput(**values)


def material_text(payload: dict[str, Any]) -> str:
    """'PART (ORG)' as the clerk saw it, or the id when the replica did not know it."""
    if payload.get("part_number"):
        return f"{payload['part_number']} ({payload.get('org') or '?'})"
    return f"material id {payload.get('material_id')}"


@dataclass(frozen=True)
class OutboxSummary:
    pending: int = 0
    sent: int = 0
    attention: int = 0
    oldest_pending: dt.datetime | None = None
    last_error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"pending": self.pending, "sent": self.sent, "attention": self.attention,
                "oldest_pending": self.oldest_pending, "last_error": self.last_error}


def summary(session: Session) -> OutboxSummary:
    by_state = dict(session.execute(select(OutboxCount.state, func.count())
                                    .group_by(OutboxCount.state)).all())
    oldest, error = session.execute(
        select(func.min(OutboxCount.created_at), func.max(OutboxCount.last_error))
        .where(OutboxCount.state == OUTBOX_PENDING)).one()
    return OutboxSummary(by_state.get(OUTBOX_PENDING, 0), by_state.get(OUTBOX_SENT, 0),
                         by_state.get(OUTBOX_ATTENTION, 0), oldest, error)


@dataclass(frozen=True)
class OutboxLine:
    id: int
    uuid: str
    state: str
    created_at: dt.datetime
    username: str
    workstation: str | None
    material: str
    count_date: str
    location: str
    expression: str | None
    attempts: int
    last_error: str | None
    server_id: int | None


def lines(session: Session, states: tuple[str, ...] = (OUTBOX_PENDING, OUTBOX_ATTENTION),
          limit: int = 500) -> list[OutboxLine]:
    rows = session.scalars(select(OutboxCount).where(OutboxCount.state.in_(states))
                           .order_by(OutboxCount.id).limit(limit))
    out: list[OutboxLine] = []
    for r in rows:
        p = json.loads(r.payload)
        out.append(OutboxLine(r.id, r.uuid, r.state, r.created_at, r.username, r.workstation,
                              material_text(p), p.get("count_date"), p.get("location"),
                              p.get("expression"), r.attempts, r.last_error, r.server_id))
    return out
