"""The server's "needs attention" list: offline counts it could not store as they were.

Nothing is dropped: a supervisor decides what each one becomes.
- reassign: the same count on another material (the clerk's material was deleted or wrong);
- re-key: the same count with corrected fields (date, location, quantity, counter, notes);
- discard: not stored, with a reason.
A reassign or re-key stores the count through `counts.add_count` (same rules as typing it),
keeping its uuid, its clerk as "entered by" and its workstation; the decision itself is
audited under the supervisor's name. All on a server session; callers own the transaction.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..actor import Actor
from ..errors import InputRejected, NotFound, RuleViolation
from ..models import AttentionCount, Material, Organization, utc_now
from ..models.sync import ATTENTION_DISCARDED, ATTENTION_OPEN, ATTENTION_RESOLVED
from ..permissions import requires
from ..services import counts
from ..services.fields import clean
from .outbox import material_text, payload_input

# Fields a re-key may change (the CountInput names).
REKEY_FIELDS = ("count_date", "material_id", "counter", "location", "expression",
                "location_only", "package_id", "tag_qty", "possibly_not_received",
                "movement_during_count", "notes", "cycle_count_id")


@dataclass(frozen=True)
class AttentionItem:
    id: int
    uuid: str
    status: str
    reason: str
    username: str
    workstation: str | None
    created_at: dt.datetime
    material: str                 # as the clerk saw it: 'PART (ORG)'
    count: dict[str, Any]         # the count as typed (payload)
    suggested_material_id: int | None = None  # same part number and org, if it exists now
    resolution: str | None = None
    resolved_by: str | None = None
    resolved_at: dt.datetime | None = None
    count_id: int | None = None


def _suggestions(session: Session, payloads: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    keys = {(p.get("part_number"), p.get("org")) for p in payloads if p.get("part_number")}
    if not keys:
        return {}
    rows = session.execute(
        select(Material.part_number, Organization.name, Material.id)
        .join(Organization, Organization.id == Material.org_id)
        .where(Material.part_number.in_({k[0] for k in keys}))).all()
    return {(pn, org): mid for pn, org, mid in rows if (pn, org) in keys}


def _items(session: Session, rows: list[AttentionCount]) -> list[AttentionItem]:
    payloads = [json.loads(r.payload) for r in rows]
    suggest = _suggestions(session, payloads)
    return [AttentionItem(
        id=r.id, uuid=r.uuid, status=r.status, reason=r.reason, username=r.username,
        workstation=r.workstation, created_at=r.created_at, material=material_text(p), count=p,
        suggested_material_id=suggest.get((p.get("part_number"), p.get("org"))),
        resolution=r.resolution, resolved_by=r.resolved_by, resolved_at=r.resolved_at,
        count_id=r.count_id) for r, p in zip(rows, payloads, strict=True)]


def list_items(session: Session, status: str | None = ATTENTION_OPEN,
               limit: int = 1000) -> list[AttentionItem]:
    q = select(AttentionCount).order_by(AttentionCount.id).limit(limit)
    if status is not None:
        q = q.where(AttentionCount.status == status)
    return _items(session, list(session.scalars(q)))


def open_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AttentionCount)
                          .where(AttentionCount.status == ATTENTION_OPEN)) or 0


def get_item(session: Session, item_id: int) -> AttentionItem:
    return _items(session, [_row(session, item_id)])[0]


def _row(session: Session, item_id: int) -> AttentionCount:
    row = session.get(AttentionCount, item_id)
    if row is None:
        raise NotFound(f"There is no count needing attention with id {item_id}.")
    return row


def _open_row(session: Session, item_id: int) -> AttentionCount:
    row = _row(session, item_id)
    if row.status != ATTENTION_OPEN:
        raise RuleViolation(f"That count was already {row.status} by {row.resolved_by}.")
    return row


def _close(session: Session, actor: Actor, row: AttentionCount, status: str, resolution: str,
           count_id: int | None) -> None:
    before = audit.snapshot(row)
    row.status = status
    row.resolution = resolution[:1000]
    row.resolved_by = actor.username
    row.resolved_at = session.scalar(select(utc_now()))
    row.count_id = count_id
    session.flush()
    after = audit.snapshot(row)
    audit.record(session, actor, "sync_attention", row.id,
                 "discard" if status == ATTENTION_DISCARDED else "resolve", before, after)


@requires("resolve_sync")
def resolve(session: Session, actor: Actor, item_id: int, **changes: Any) -> counts.CountLine:
    """Store the count, with `changes` (CountInput field names) applied: reassign is
    `material_id=...`, re-key any other field. Same rules as typing the count."""
    unknown = set(changes) - set(REKEY_FIELDS)
    if unknown:
        raise InputRejected(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    row = _open_row(session, item_id)
    payload = json.loads(row.payload)
    if changes.get("location_only"):
        changes.setdefault("expression", None)
    data = payload_input(payload, **changes)
    # Entered by the clerk, stored on the supervisor's authority (checked above).
    # An unrecorded workstation stays None on the stored count, as it was on the clerk's PC.
    clerk = Actor(username=payload.get("entered_by") or row.username,
                  workstation=row.workstation, role=actor.role)  # type: ignore[arg-type]
    line = counts.add_count(session, clerk, data)
    what = []
    if "material_id" in changes and changes["material_id"] != payload.get("material_id"):
        what.append(f"reassigned to {line.material}")
    edited = sorted(k for k in changes if k != "material_id" and changes[k] != payload.get(k))
    if edited:
        what.append("re-keyed " + ", ".join(edited))
    _close(session, actor, row, ATTENTION_RESOLVED,
           ("; ".join(what) or "stored as typed") + f" (count {line.id})", line.id)
    return line


@requires("resolve_sync")
def reassign(session: Session, actor: Actor, item_id: int, material_id: int) -> counts.CountLine:
    return resolve(session, actor, item_id, material_id=material_id)


@requires("resolve_sync")
def discard(session: Session, actor: Actor, item_id: int, reason: str) -> None:
    """Do not store the count; the reason is kept with it and in the audit log."""
    why = clean(reason, "The reason", 900)
    if why is None:
        raise InputRejected("Please give a reason for discarding this count.")
    row = _open_row(session, item_id)
    _close(session, actor, row, ATTENTION_DISCARDED, f"discarded: {why}", None)
