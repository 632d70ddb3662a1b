"""Reading the audit trail: who changed what, newest first, filtered by date, user and entity.

Supervisors (`view_audit`) see their area — the entities of counting: counts, schedule and
requests, materials, MPNs, photos, part types, imports, sync resolutions, approvals,
recounts and plans (permissions.SUPERVISOR_AUDIT_ENTITIES). Admins (`view_audit_all`) see
everything, including users, settings, menus and sign-ins. The filter is one SQL query;
before/after stay JSON text until a row is shown.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..actor import Actor
from ..models import AuditLog
from ..permissions import SUPERVISOR_AUDIT_ENTITIES, can, requires

DEFAULT_LIMIT = 1000
MAX_LIMIT = 100_000


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    user: str
    workstation: str | None
    entity: str
    key: str | None
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    # MySQL/MariaDB: the server account that wrote the row, as the server named it (set by a
    # trigger, cannot be forged by the client); None on SQLite.
    db_account: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The contract's shape for `wics audit list --json` (plus `db_account`)."""
        return {"at": self.at.isoformat(sep=" ", timespec="seconds") if self.at else None,
                "user": self.user, "workstation": self.workstation, "entity": self.entity,
                "key": self.key, "action": self.action, "before": self.before,
                "after": self.after, "db_account": self.db_account}

    @property
    def summary(self) -> str:
        """What changed, in one line: the fields that differ (or what was created/removed)."""
        before, after = self.before or {}, self.after or {}
        if before and after:
            changed = [k for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]
            return ", ".join(f"{k}: {before.get(k)!r} → {after.get(k)!r}" for k in changed[:6])
        shown = after or before
        return ", ".join(f"{k}={v!r}" for k, v in list(shown.items())[:6])


def _load(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return {"text": text}
    return value if isinstance(value, dict) else {"value": value}


def visible_entities(actor: Actor) -> tuple[str, ...] | None:
    """The entities `actor` may read in the audit trail; None means all of them."""
    return None if can(actor.role, "view_audit_all") else SUPERVISOR_AUDIT_ENTITIES


@requires("view_audit")
def query(actor: Actor, *, since: dt.date | None = None, until: dt.date | None = None,
          user: str | None = None, entity: str | None = None) -> Select[AuditLog]:
    """SELECT of the audit rows `actor` may see, filtered (no order, no limit): the desktop's
    Audit screen builds its table and its xlsx export on it. `user` and `entity` match
    case-insensitively; `since` and `until` are whole days (until inclusive)."""
    q = select(AuditLog)
    allowed = visible_entities(actor)
    if allowed is not None:
        q = q.where(AuditLog.entity.in_(allowed))
    if since is not None:
        q = q.where(AuditLog.at >= dt.datetime.combine(since, dt.time.min))
    if until is not None:
        q = q.where(AuditLog.at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    if user:
        q = q.where(func.lower(AuditLog.username) == user.strip().lower())
    if entity:
        q = q.where(func.lower(AuditLog.entity) == entity.strip().lower())
    return q


@requires("view_audit")
def list_entries(session: Session, actor: Actor, *, since: dt.date | None = None,
                 until: dt.date | None = None, user: str | None = None,
                 entity: str | None = None, limit: int | None = DEFAULT_LIMIT) -> list[AuditEntry]:
    """Audit rows newest first (see `query` for the filters)."""
    q = query(actor, since=since, until=until, user=user, entity=entity)
    q = q.order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if limit is not None:
        q = q.limit(max(1, min(int(limit), MAX_LIMIT)))
    with_account = q.add_columns(AuditLog.__table__.c.db_account)
    return [AuditEntry(r.id, r.at, r.username, r.workstation, r.entity, r.entity_key, r.action,
                       _load(r.before_json), _load(r.after_json), account)
            for r, account in session.execute(with_account)]


@requires("view_audit")
def entity_names(session: Session, actor: Actor) -> list[str]:
    """The entities present in the trail that `actor` may see (for a filter's drop-down)."""
    q = select(AuditLog.entity).distinct().order_by(AuditLog.entity)
    allowed = visible_entities(actor)
    if allowed is not None:
        q = q.where(AuditLog.entity.in_(allowed))
    return list(session.scalars(q))
