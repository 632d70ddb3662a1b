"""Send the outbox to the server: batches, one server transaction each, idempotent by uuid.

For each batch, in one server transaction: which uuids the server already has (as counts, or on
the needs-attention list) — those are not written again; the rest are checked with the counts
service's own rules (`counts.validate`) and inserted with one multi-row INSERT plus their audit
rows; a count the server cannot take as it is (its material was deleted meanwhile, a rule
fails) goes to `sync_attention` instead, with the reason. Then, in one replica transaction, the
outbox rows are marked and the local copies of the counts take the ids the server gave them.

Crash or kill at any point: before the server commits, nothing happened; after the server
commits but before the replica is marked, the next push finds the uuids on the server and
counts them as already present (also when a supervisor deleted such a count in between: its
uuid is in deleted_counts, and it is not stored again). Two pushers at once (the desktop and
`wics sync`): the unique uuid makes the slower one fail its batch, which is retried once and
then finds them present.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CompoundSelect, bindparam, func, insert, select, union_all, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..actor import Actor
from ..db import Database, short_reason, translate_db_errors
from ..dialect import table_of
from ..errors import DatabaseError, InputRejected, NotFound
from ..models import (
    ActualCount,
    AttentionCount,
    AuditLog,
    DeletedCount,
    Material,
    OutboxCount,
    utc_now,
)
from ..models.sync import OUTBOX_ATTENTION, OUTBOX_PENDING, OUTBOX_SENT
from ..progress import Progress, ensure
from ..services import counts
from .connectivity import is_unreachable
from .outbox import material_text, payload_input

BATCH_SIZE = 500

SENT, PRESENT, ATTENTION = "sent", "present", "attention"


@dataclass
class PushResult:
    pushed: int = 0            # stored on the server by this push
    already_present: int = 0   # the server had them already (an earlier, interrupted push)
    needs_attention: int = 0   # on the server's needs-attention list
    withdrawn: int = 0         # undone on this PC while on their way (removed again)
    batches: int = 0
    seconds: float = 0.0

    @property
    def handled(self) -> int:
        return self.pushed + self.already_present + self.needs_attention


@dataclass(frozen=True)
class _Queued:
    id: int
    uuid: str
    payload: str
    username: str
    workstation: str | None


def _reason(exc: InputRejected, payload: dict[str, Any]) -> str:
    if isinstance(exc, NotFound) and "material" in str(exc):
        return (f"The material {material_text(payload)} (id {payload.get('material_id')}) no "
                "longer exists on the server: it was deleted while this count waited offline.")
    return f"The server did not accept it: {exc}"


def _send(session: Session, batch: list[_Queued]) -> tuple[dict[str, tuple[str, object]], object]:
    """One batch in the server's transaction -> ({uuid: (SENT|PRESENT|ATTENTION, id or
    reason)}, the server time stamped on the counts it stored)."""
    uuids = [q.uuid for q in batch]
    outcome: dict[str, tuple[str, object]] = {}
    # Stored, or stored by an earlier, interrupted push and deleted on the server since (it
    # arrived once: present as far as this PC is concerned; the next refresh drops the copy).
    present: CompoundSelect[str, int | None] = union_all(
        select(ActualCount.uuid, ActualCount.id).where(ActualCount.uuid.in_(uuids)),
        select(DeletedCount.uuid, DeletedCount.count_id).where(DeletedCount.uuid.in_(uuids)))
    for uuid, count_id in session.execute(present):
        outcome.setdefault(uuid, (PRESENT, count_id))
    for uuid, reason in session.execute(select(AttentionCount.uuid, AttentionCount.reason)
                                        .where(AttentionCount.uuid.in_(uuids))):
        outcome.setdefault(uuid, (ATTENTION, reason))
    todo = [q for q in batch if q.uuid not in outcome]
    if not todo:
        return outcome, None
    payloads = {q.uuid: json.loads(q.payload) for q in todo}
    # Loaded once for the batch: the service's per-count material check then finds them in the
    # session (a list keeps them alive; the identity map only holds weak references).
    materials = session.scalars(select(Material).where(
        Material.id.in_({p.get("material_id") for p in payloads.values()}))).all()
    rows: list[dict[str, Any]] = []
    held: list[dict[str, Any]] = []
    for q in todo:
        p = payloads[q.uuid]
        try:
            values = counts.validate(session, payload_input(p))
        except InputRejected as exc:
            held.append(dict(uuid=q.uuid, payload=q.payload, reason=_reason(exc, p)[:1000],
                             username=q.username, workstation=q.workstation))
            continue
        rows.append({**values, "uuid": q.uuid, "entered_by": p.get("entered_by") or q.username,
                     "workstation": q.workstation})
    del materials
    # Timestamps come from the server's clock, read once, and are sent as plain values: an
    # INSERT whose VALUES hold only parameters goes as one multi-row statement per batch
    # (with a UTC_TIMESTAMP() in it, the driver would send one statement per row).
    now = session.scalar(select(utc_now()))
    stamps = {"created_at": now, "updated_at": now}
    if rows:
        rows = [{**r, **stamps} for r in rows]
        session.execute(insert(table_of(ActualCount)), rows)
        ids = dict(session.execute(select(ActualCount.uuid, ActualCount.id).where(
            ActualCount.uuid.in_([r["uuid"] for r in rows]))).all())
        entries = []
        for r in rows:
            outcome[r["uuid"]] = (SENT, ids[r["uuid"]])
            after = audit.snapshot(ActualCount(id=ids[r["uuid"]], **r))
            after["synced_offline_count"] = True
            entry = audit.record(session, Actor(r["entered_by"], r["workstation"]),
                                 "actual_count", ids[r["uuid"]], "create", None, after)
            session.expunge(entry)  # written below in one statement, not one per row
            entries.append({**{c: getattr(entry, c) for c in (
                "username", "workstation", "entity", "entity_key", "action", "before_json",
                "after_json")}, "at": now, **stamps})
        session.execute(insert(table_of(AuditLog)), entries)
    if held:
        session.execute(insert(table_of(AttentionCount)), [{**h, **stamps} for h in held])
        for h in held:
            outcome[h["uuid"]] = (ATTENTION, h["reason"])
    return outcome, now


def _send_with_retry(server: Database, batch: list[_Queued],
                     ) -> tuple[dict[str, tuple[str, object]], object]:
    for attempt in (1, 2):
        try:
            with server.session() as session:
                return _send(session, batch)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _mark(replica: Database, outcome: dict[str, tuple[str, object]],
          stamp: object = None) -> set[str]:
    """Note what the server did; returns the uuids taken back here (undone) meanwhile."""
    ob, ac = table_of(OutboxCount), table_of(ActualCount)
    sent = [{"u": u, "sid": v} for u, (kind, v) in outcome.items() if kind in (SENT, PRESENT)]
    stored = [{"u": u, "ts": stamp} for u, (kind, _v) in outcome.items() if kind == SENT]
    held = [{"u": u, "why": str(v)[:1000]} for u, (kind, v) in outcome.items() if kind == ATTENTION]
    with replica.engine.begin() as conn:
        if sent:
            conn.execute(update(ob).where(ob.c.uuid == bindparam("u"), ob.c.state == OUTBOX_PENDING)
                         .values(state=OUTBOX_SENT, server_id=bindparam("sid"), sent_at=utc_now(),
                                 attempts=ob.c.attempts + 1, last_error=None), sent)
            # The local copy takes the server's id (OR REPLACE: a refresh may have brought it).
            conn.execute(update(ac).prefix_with("OR REPLACE")
                         .where(ac.c.uuid == bindparam("u"), ac.c.id < 0)
                         .values(id=bindparam("sid")), sent)
        if stored and stamp is not None:
            # ... and the server's timestamps, so the next refresh sees nothing new in it
            conn.execute(update(ac).where(ac.c.uuid == bindparam("u"))
                         .values(created_at=bindparam("ts"), updated_at=bindparam("ts")), stored)
        if held:
            conn.execute(update(ob).where(ob.c.uuid == bindparam("u"), ob.c.state == OUTBOX_PENDING)
                         .values(state=OUTBOX_ATTENTION, attempts=ob.c.attempts + 1,
                                 last_error=bindparam("why")), held)
            conn.execute(ac.delete().where(ac.c.uuid == bindparam("u"), ac.c.id < 0), held)
        # After the writes (this transaction now holds the replica's write lock): an outbox
        # row that is gone was taken back by the clerk while the batch was on its way.
        noted = set(conn.scalars(select(ob.c.uuid).where(ob.c.uuid.in_(list(outcome)))))
    return set(outcome) - noted


def _take_back(server: Database, outcome: dict[str, tuple[str, object]], uuids: set[str]) -> None:
    """Remove from the server what the clerk undid while it was being sent (audited)."""
    from . import attention

    with server.session() as s:
        for uuid in sorted(uuids):
            kind, value = outcome[uuid]
            if kind in (SENT, PRESENT):
                row = s.get(ActualCount, value)
                if row is not None:
                    # The clerk's own count: deleting it needs no more than a clerk's rights.
                    # (an unrecorded workstation stays None, as on the count)
                    counts.delete_count(s, Actor(row.entered_by or "unknown",
                                                 row.workstation,  # type: ignore[arg-type]
                                                 "clerk"), row.id)
            else:
                held = s.scalar(select(AttentionCount).where(AttentionCount.uuid == uuid))
                if held is not None and held.status == "open":
                    # Withdrawn by the clerk who sent it, not resolved by a supervisor:
                    # the check of `discard` (resolve_sync) does not apply.
                    # __wrapped__: set by functools.wraps in requires(), which keeps the type
                    # (an unrecorded workstation stays None, as on the count)
                    attention.discard.__wrapped__(  # type: ignore[attr-defined]
                        s, Actor(held.username,
                                 held.workstation),  # type: ignore[arg-type]
                        held.id,
                        "taken back on the workstation before it was sent")


def _note_failure(replica: Database, batch: list[_Queued], message: str) -> None:
    ob = table_of(OutboxCount)
    with replica.engine.begin() as conn:
        conn.execute(update(ob).where(ob.c.id.in_([q.id for q in batch]))
                     .values(attempts=ob.c.attempts + 1, last_error=message[:1000]))


def pending_count(replica: Database) -> int:
    with replica.session() as s:
        return s.scalar(select(func.count()).select_from(OutboxCount)
                        .where(OutboxCount.state == OUTBOX_PENDING)) or 0


def push(server: Database, replica: Database, *, batch_size: int = BATCH_SIZE,
         progress: Progress | None = None,
         after_server_commit: Callable[[int], None] | None = None) -> PushResult:
    """Send every pending outbox count. `after_server_commit(batch_number)` is a test hook
    called between the server's commit and the replica's mark (where a crash hurts most)."""
    progress = ensure(progress)
    started = time.monotonic()
    result = PushResult()
    total = pending_count(replica)
    last_id = 0
    while True:
        with replica.session() as s:
            batch = [_Queued(*row) for row in s.execute(
                select(OutboxCount.id, OutboxCount.uuid, OutboxCount.payload,
                       OutboxCount.username, OutboxCount.workstation)
                .where(OutboxCount.state == OUTBOX_PENDING, OutboxCount.id > last_id)
                .order_by(OutboxCount.id).limit(batch_size))]
        if not batch:
            break
        try:
            with translate_db_errors(server):
                outcome, stamp = _send_with_retry(server, batch)
        except Exception as exc:
            _note_failure(replica, batch, short_reason(exc))
            if is_unreachable(exc) or not isinstance(exc, DBAPIError):
                raise
            raise DatabaseError(f"The server refused a batch of offline counts: "
                                f"{short_reason(exc)}. They stay queued on this PC.") from exc
        result.batches += 1
        if after_server_commit is not None:
            after_server_commit(result.batches)
        withdrawn = _mark(replica, outcome, stamp)
        if withdrawn:
            with translate_db_errors(server):
                _take_back(server, outcome, withdrawn)
            result.withdrawn += len(withdrawn)
        for uuid, (kind, _) in outcome.items():
            if uuid in withdrawn:
                continue
            if kind == SENT:
                result.pushed += 1
            elif kind == PRESENT:
                result.already_present += 1
            else:
                result.needs_attention += 1
        last_id = batch[-1].id
        progress.step(result.handled, max(total, result.handled), "Sending counts saved offline")
    result.seconds = time.monotonic() - started
    return result
