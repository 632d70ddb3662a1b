"""The audit trail: who changed what, when, from which workstation, before and after.

Services call `record()` in the same transaction as the change, so a rolled-back change leaves
no audit row behind. `snapshot()` turns a model row into the JSON-able dict stored as before/after.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from .actor import Actor
from .models import AuditLog

_SKIP = {"created_at", "updated_at", "image"}


def snapshot(row: Any) -> dict[str, Any]:
    """Column values of a mapped row (timestamps and image bytes left out)."""
    mapper = sa_inspect(row).mapper
    return {c.key: getattr(row, c.key) for c in mapper.column_attrs if c.key not in _SKIP}


def _dump(value: dict[str, Any] | None) -> str | None:
    if value is None:
        return None

    def default(v: Any) -> str:
        if isinstance(v, (dt.date, dt.datetime)):
            return v.isoformat()
        if isinstance(v, bytes):
            return f"<{len(v)} bytes>"
        return str(v)

    return json.dumps(value, default=default, ensure_ascii=False, sort_keys=True)


def record(session: Session, actor: Actor, entity: str, key: Any, action: str,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> AuditLog:
    """Add one audit row (action: create, update, delete, import, resolve, ...)."""
    row = AuditLog(username=actor.username, workstation=actor.workstation, entity=entity,
                   entity_key=None if key is None else str(key), action=action,
                   before_json=_dump(before), after_json=_dump(after))
    session.add(row)
    return row


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """field -> (old, new) for the fields that differ: what a 'saved' banner lists."""
    return {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
