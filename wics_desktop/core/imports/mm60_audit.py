"""Audit rows for what an MM60 update removes and changes, written in bulk.

One row per removed material (action "delete", before = every column of the material, its
organization's name, its manufacturer part numbers and the names and sizes of its photos - the
photo bytes themselves are not copied into the audit log) and one per changed material (action
"update", before = part number, organization and the old value of each changed field; after =
the new values). The entity is "material" and the key the material's id, as for a material
edited in the desktop, so `wics audit list --entity material` shows both. A handful of queries
and one bulk insert however many materials are involved.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import dialect
from ..actor import Actor
from ..models import AuditLog, ManufacturerPartNumber, Material, MaterialPhoto
from .common import table_of
from .lookup import IN_CHUNK

__all__ = ["removal_snapshots", "audit_removals", "audit_changes"]

_SKIP = {"created_at", "updated_at"}
_COLUMNS = ("username", "workstation", "entity", "entity_key", "action", "before_json",
            "after_json")


def _json(value: dict[str, Any] | None) -> str | None:
    if value is None:
        return None

    def default(v: object) -> str:
        if isinstance(v, (dt.date, dt.datetime)):
            return v.isoformat()
        return str(v)

    return json.dumps(value, default=default, ensure_ascii=False, sort_keys=True)


def removal_snapshots(session: Session, ids: Sequence[int], org_name: dict[int, str]
                      ) -> dict[int, dict[str, Any]]:
    """material id -> what the audit keeps of it (read before it is deleted)."""
    cols = [c for c in table_of(Material).c if c.name not in _SKIP]
    out: dict[int, dict[str, Any]] = {}
    conn = session.connection()
    for part in dialect.chunks(list(ids), IN_CHUNK):
        for found in conn.execute(select(*cols).where(Material.id.in_(part))).mappings():
            snap = dict(found)
            snap["org"] = org_name.get(snap["org_id"])
            snap["mpns"], snap["photos"] = [], []
            out[snap["id"]] = snap
        for r in conn.execute(select(ManufacturerPartNumber.material_id,
                                     ManufacturerPartNumber.mpn,
                                     ManufacturerPartNumber.manufacturer,
                                     ManufacturerPartNumber.notes)
                              .where(ManufacturerPartNumber.material_id.in_(part))
                              .order_by(ManufacturerPartNumber.id)):
            out[r[0]]["mpns"].append({"mpn": r[1], "manufacturer": r[2], "notes": r[3]})
        for p in conn.execute(select(MaterialPhoto.material_id, MaterialPhoto.file_name,
                                     MaterialPhoto.content_type,
                                     func.length(MaterialPhoto.image), MaterialPhoto.notes)
                              .where(MaterialPhoto.material_id.in_(part))
                              .order_by(MaterialPhoto.id)):
            out[p[0]]["photos"].append({"file_name": p[1], "content_type": p[2],
                                        "bytes": p[3], "notes": p[4]})
    return out


def _insert(session: Session, actor: Actor, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        dialect.bulk_insert(session, table_of(AuditLog), _COLUMNS,
                            [(actor.username, actor.workstation, *r) for r in rows],
                            chunk=500)


def audit_removals(session: Session, actor: Actor, snapshots: list[dict[str, Any]]) -> None:
    _insert(session, actor, [("material", str(s["id"]), "delete", _json(s), None)
                             for s in snapshots])


def audit_changes(session: Session, actor: Actor, changes: list[tuple[Any, ...]]) -> None:
    """changes: (material id, (org id, part), org name, field label, column, old, new)."""
    by_material: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
    for mid, (_org_id, part), org, _label, column, old, new in changes:
        before, after = by_material.setdefault(
            mid, ({"part_number": part, "org": org, "source": "mm60"},
                  {"part_number": part, "org": org, "source": "mm60"}))
        before[column], after[column] = old, new
    _insert(session, actor, [("material", str(mid), "update", _json(b), _json(a))
                             for mid, (b, a) in by_material.items()])
