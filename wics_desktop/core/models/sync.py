"""Tables of the offline machinery (migration 0002_sync).

Every WICS database has all three, but each is used on one side only:
- `sync_outbox` and `sync_state` fill up in a workstation's local replica (an SQLite file): the
  counts typed while the server was unreachable, and the replica's change markers;
- `sync_attention` fills up on the server: offline counts the server could not accept as they
  were (material deleted meanwhile, a rule failed), kept until a supervisor resolves them.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamp, Timestamps, table_args, utc_now

OUTBOX_PENDING = "pending"      # typed offline, not yet on the server
OUTBOX_SENT = "sent"            # the server stored it as a count (server_id)
OUTBOX_ATTENTION = "attention"  # the server put it on the needs-attention list
OUTBOX_STATES = (OUTBOX_PENDING, OUTBOX_SENT, OUTBOX_ATTENTION)

ATTENTION_OPEN = "open"
ATTENTION_RESOLVED = "resolved"    # stored as a count after a reassign / re-key
ATTENTION_DISCARDED = "discarded"  # dropped on purpose, with the supervisor's reason
ATTENTION_STATUSES = (ATTENTION_OPEN, ATTENTION_RESOLVED, ATTENTION_DISCARDED)


class OutboxCount(Base):
    """A count saved on this workstation while the server was unreachable, waiting to be sent."""

    __tablename__ = "sync_outbox"
    __table_args__ = table_args(Index("ix_sync_outbox_state_id", "state", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The count's own uuid: the server stores a uuid once, so sending twice is harmless.
    uuid: Mapped[str] = mapped_column(String(36), nullable=False, unique=True)
    # The count as typed (JSON): CountInput fields plus the material's part number and org,
    # so a supervisor can see what was meant even when the material is gone from the server.
    payload: Mapped[str] = mapped_column(Text, nullable=False)
    username: Mapped[str] = mapped_column(String(150), nullable=False)
    workstation: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(
        Timestamp, nullable=False, default=utc_now(), server_default=utc_now())
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=OUTBOX_PENDING,
                                       server_default=OUTBOX_PENDING)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(String(1000))
    server_id: Mapped[int | None] = mapped_column(Integer)  # actual_counts.id on the server
    sent_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)


class SyncState(Base):
    """Name/value notes of a replica: change markers per table, window, last refresh."""

    __tablename__ = "sync_state"
    __table_args__ = table_args()

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str | None] = mapped_column(String(1000))


class AttentionCount(Timestamps, Base):
    """An offline count the server did not store as it was; a supervisor decides what it becomes."""

    __tablename__ = "sync_attention"
    __table_args__ = table_args(Index("ix_sync_attention_status_id", "status", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), nullable=False, unique=True)
    payload: Mapped[str] = mapped_column(Text, nullable=False)
    reason: Mapped[str] = mapped_column(String(1000), nullable=False)
    username: Mapped[str] = mapped_column(String(150), nullable=False)
    workstation: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=ATTENTION_OPEN,
                                        server_default=ATTENTION_OPEN)
    resolution: Mapped[str | None] = mapped_column(String(1000))
    resolved_by: Mapped[str | None] = mapped_column(String(150))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    count_id: Mapped[int | None] = mapped_column(Integer)  # the count it became, if any
