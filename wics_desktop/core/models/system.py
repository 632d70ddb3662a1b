"""Users, menus, parameters, greetings, holidays, worksheet zones and the audit log."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

# viewer < clerk < supervisor < admin (the one table); "as ROLES": models re-exports it
from ..permissions import ROLES as ROLES
from .base import Base, SyncedTimestamps, Timestamp, Timestamps, table_args, table_of, utc_now


class MenuGroup(SyncedTimestamps, Base):
    """A named set of menus; each user belongs to one (admins edit them in the app)."""

    __tablename__ = "menu_groups"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    info: Mapped[str | None] = mapped_column(String(250))

    items: Mapped[list[MenuItem]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True
    )


class MenuItem(SyncedTimestamps, Base):
    """One option of one menu. Option 0 is the menu's title; `command` names what it opens."""

    __tablename__ = "menu_items"
    __table_args__ = table_args(UniqueConstraint("group_id", "menu_id", "option_number"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("menu_groups.id", ondelete="CASCADE"), nullable=False
    )
    menu_id: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    option_number: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    option_text: Mapped[str] = mapped_column(String(250), nullable=False, default="")
    command: Mapped[str | None] = mapped_column(String(50))
    argument: Mapped[str | None] = mapped_column(String(250))

    group: Mapped[MenuGroup] = relationship(back_populates="items")


class User(SyncedTimestamps, Base):
    __tablename__ = "users"
    __table_args__ = table_args(
        CheckConstraint("role IN ('viewer', 'clerk', 'supervisor', 'admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(150), nullable=False, unique=True)
    display_name: Mapped[str | None] = mapped_column(String(250))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), nullable=False, default="clerk")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default="1")
    menu_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("menu_groups.id", ondelete="SET NULL"), index=True
    )
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default="0"
    )
    last_login: Mapped[dt.datetime | None] = mapped_column(Timestamp)

    menu_group: Mapped[MenuGroup | None] = relationship()


class Parameter(SyncedTimestamps, Base):
    """A named setting (ACCURACY-DANGER, ...). Declared with defaults in core.params."""

    __tablename__ = "parameters"
    __table_args__ = table_args()

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(String(512), nullable=False, default="", server_default="")
    user_modifiable: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=True, server_default="1"
    )
    comment: Mapped[str | None] = mapped_column(String(512))


class Greeting(Timestamps, Base):
    __tablename__ = "greetings"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(String(2000), nullable=False)


class Holiday(SyncedTimestamps, Base):
    """A day nobody counts: the next-workday rule skips it (the reference hard-coded these)."""

    __tablename__ = "holidays"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    holiday_date: Mapped[dt.date] = mapped_column(Date, nullable=False, unique=True)
    name: Mapped[str | None] = mapped_column(String(100))


class WorksheetZone(Timestamps, Base):
    __tablename__ = "worksheet_zones"
    __table_args__ = table_args()

    zone: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(50), nullable=False)
    # Where the zone comes in a walk through the warehouse; NULL = in its number's place.
    walk_order: Mapped[int | None] = mapped_column(Integer)


class LocationZone(Timestamps, Base):
    __tablename__ = "location_zones"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location: Mapped[str] = mapped_column(String(250), nullable=False, unique=True)
    zone: Mapped[int] = mapped_column(
        ForeignKey("worksheet_zones.zone", ondelete="CASCADE"), nullable=False, index=True
    )


class CounterCapacity(Timestamps, Base):
    """A counter's own number of materials a day for the planner (else PLAN-CAPACITY)."""

    __tablename__ = "counter_capacity"
    __table_args__ = table_args()

    counter: Mapped[str] = mapped_column(String(250), primary_key=True)
    capacity: Mapped[int] = mapped_column(Integer, nullable=False)


class AuditLog(Timestamps, Base):
    """Who changed what, when, from which workstation; before/after as JSON text."""

    __tablename__ = "audit_log"
    __table_args__ = table_args(
        Index("ix_audit_log_entity_entity_key", "entity", "entity_key"),
        Index("ix_audit_log_at", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(
        Timestamp, nullable=False, default=utc_now(), server_default=utc_now()
    )
    username: Mapped[str] = mapped_column(String(150), nullable=False)
    workstation: Mapped[str | None] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(50), nullable=False)
    entity_key: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)


# audit_log.db_account (migration 0008_server_accounts): on MySQL/MariaDB the server account that
# wrote the row, set by a trigger from SESSION_USER() whatever the client sends
# (core/server_accounts.py); empty on SQLite. A column of the table but not of the mapped class:
# the ORM never sends it, so an INSERT does not even name it (and a database one migration
# behind still takes audit rows). Read it as AuditLog.__table__.c.db_account.
table_of(AuditLog).append_column(Column("db_account", String(100)))
