"""What a workstation replica holds: the tables counting needs, and how much of each.

Whole tables: organizations, plants, part types, units, materials, manufacturer part numbers,
users (password hashes of active users only), menus, parameters, holidays, greetings.
Windows: the count schedule from REPLICA-SCHEDULE-DAYS-BACK days before today to
REPLICA-SCHEDULE-DAYS-AHEAD days after; counts dated from the window's start on, plus every
material's counts on its latest count date (last count date and last found at, offline).
Left out on purpose: SAP stock (reports need the server), photos (large), the audit log,
worksheet zones.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Table

from ..models import Base

FULL = "full"
SCHEDULE_WINDOW = "schedule_window"
COUNTS = "counts"


@dataclass(frozen=True)
class ReplicaTable:
    name: str
    scope: str = FULL
    # Changes a server row before it is stored in the replica (e.g. drop a password hash).
    transform: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    @property
    def table(self) -> Table:
        return Base.metadata.tables[self.name]

    @property
    def key(self) -> Column[Any]:
        (column,) = self.table.primary_key.columns
        return column

    @property
    def int_key(self) -> bool:
        return self.key.type.python_type is int


def _offline_user(row: dict[str, Any]) -> dict[str, Any]:
    # Only users who may sign in keep a password hash on the workstation.
    if not row.get("active"):
        row["password_hash"] = None
    return row


# Parents before children, so a refresh reads a material before its MPNs (the replica does not
# enforce foreign keys, but a reader in between sees a tidier picture).
TABLES: tuple[ReplicaTable, ...] = (
    ReplicaTable("organizations"),
    ReplicaTable("sap_plants"),
    ReplicaTable("part_types"),
    ReplicaTable("units_of_measure"),
    ReplicaTable("menu_groups"),
    ReplicaTable("menu_items"),
    ReplicaTable("users", transform=_offline_user),
    ReplicaTable("parameters"),
    ReplicaTable("holidays"),
    ReplicaTable("greetings"),
    ReplicaTable("materials"),
    ReplicaTable("mpn"),
    ReplicaTable("count_schedule", scope=SCHEDULE_WINDOW),
    ReplicaTable("actual_counts", scope=COUNTS),
)

BY_NAME = {t.name: t for t in TABLES}
