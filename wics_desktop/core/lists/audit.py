"""The Audit Trail as a list: who changed what, when and where, newest first.

The rows come from services.audit_trail.query, which checks `view_audit` and keeps a supervisor
to the entities of counting; an admin sees everything. The desktop's Audit screen, its export
and `wics list export audit` show this one spec.
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, literal
from sqlalchemy.sql import Select

from ..actor import Actor
from ..models import AuditLog
from ..services import audit_trail
from .columns import Column as Col
from .spec import TableSpec

SEP = "\x1e"  # between before and after in the Changes column's SQL value


def _load(text: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {"text": text}
    return data if isinstance(data, dict) else {"value": data}


def _json_text(value: Any) -> str:
    """before/after JSON as 'field=value, ...' (the export keeps the JSON itself)."""
    return ", ".join(f"{k}={v}" for k, v in _load(value or "").items())


def changes_text(value: Any) -> str:
    """What changed, readable: only the fields that differ for an update, the fields of a
    created or deleted row otherwise."""
    before_text, _, after_text = (value or "").partition(SEP)
    before, after = _load(before_text), _load(after_text)
    if before and after:
        keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
        return "; ".join(f"{k}: {before.get(k)} → {after.get(k)}" for k in keys) or "no change"
    return ", ".join(f"{k}={v}" for k, v in (after or before).items())


CHANGES = (func.coalesce(AuditLog.before_json, "") + literal(SEP)
           + func.coalesce(AuditLog.after_json, ""))


def audit_spec(actor: Actor) -> TableSpec:
    """The audit rows `actor` may see; parameters `since` (a date), `user`, `entity`."""
    def source(params: dict[str, Any]) -> Select[Any]:
        # core decides what this user may see; the column filters narrow it further
        stmt: Select[Any] = audit_trail.query(
            actor, since=params.get("since"), user=params.get("user"),
            entity=params.get("entity")).with_only_columns(AuditLog.id)
        return stmt

    return TableSpec(
        key="audit", title="Audit Trail", noun="audit rows",
        columns=[
            Col("at", "When (UTC)", AuditLog.at, "datetime", width=16),
            Col("user", "User", AuditLog.username, width=12, quick=True),
            Col("workstation", "Workstation", AuditLog.workstation, width=12),
            Col("entity", "Entity", AuditLog.entity, width=14, quick=True),
            Col("key", "Key", AuditLog.entity_key, width=12, quick=True),
            Col("action", "Action", AuditLog.action, width=10),
            # MySQL/MariaDB: the account that wrote the row, as the server named it (a
            # trigger sets it; the client cannot forge it). Empty on SQLite.
            Col("db_account", "Server account", AuditLog.__table__.c.db_account, width=16),
            Col("changes", "Changes", CHANGES, width=60, fmt=changes_text, sortable=False,
                export=False),
            # the JSON itself, right of the readable column: what an export carries
            Col("before", "Before", AuditLog.before_json, width=30, fmt=_json_text,
                sortable=False),
            Col("after", "After", AuditLog.after_json, width=30, fmt=_json_text, sortable=False),
        ],
        source=source, row_id=AuditLog.id, default_sort=("at", True),
    )
