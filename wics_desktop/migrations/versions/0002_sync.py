"""Offline workstations: the outbox and markers of a local replica, the server's needs-attention list.

No change to existing tables and no triggers: deletions on the server are found by comparing
id fingerprints (see core/sync/refresh.py), which needs no privilege beyond SELECT.

Revision ID: 0002_sync
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from wics_desktop.core.models.base import Timestamp, utc_now

revision = "0002_sync"
down_revision = "0001"
branch_labels = None
depends_on = None

_MYSQL = dict(mysql_charset="utf8mb4", mysql_collate="utf8mb4_bin", mysql_engine="InnoDB")


def upgrade() -> None:
    op.create_table(
        "sync_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("username", sa.String(length=150), nullable=False),
        sa.Column("workstation", sa.String(length=100), nullable=True),
        sa.Column("created_at", Timestamp, server_default=utc_now(), nullable=False),
        sa.Column("state", sa.String(length=20), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("server_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", Timestamp, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_outbox")),
        sa.UniqueConstraint("uuid", name=op.f("uq_sync_outbox_uuid")),
        **_MYSQL,
    )
    op.create_index("ix_sync_outbox_state_id", "sync_outbox", ["state", "id"])
    op.create_table(
        "sync_state",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("value", sa.String(length=1000), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_sync_state")),
        **_MYSQL,
    )
    op.create_table(
        "sync_attention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("username", sa.String(length=150), nullable=False),
        sa.Column("workstation", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=20), server_default="open", nullable=False),
        sa.Column("resolution", sa.String(length=1000), nullable=True),
        sa.Column("resolved_by", sa.String(length=150), nullable=True),
        sa.Column("resolved_at", Timestamp, nullable=True),
        sa.Column("count_id", sa.Integer(), nullable=True),
        sa.Column("created_at", Timestamp, server_default=utc_now(), nullable=False),
        sa.Column("updated_at", Timestamp, server_default=utc_now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_attention")),
        sa.UniqueConstraint("uuid", name=op.f("uq_sync_attention_uuid")),
        **_MYSQL,
    )
    op.create_index("ix_sync_attention_status_id", "sync_attention", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_sync_attention_status_id", table_name="sync_attention")
    op.drop_table("sync_attention")
    op.drop_table("sync_state")
    op.drop_index("ix_sync_outbox_state_id", table_name="sync_outbox")
    op.drop_table("sync_outbox")
