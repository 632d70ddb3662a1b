"""Deleted counts keep their uuid: a re-imported file or a re-sent offline count does not bring
back a count a supervisor deleted.

Revision ID: 0003_deleted_counts
Revises: 0002_sync
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from wics_desktop.core.models.base import Timestamp, utc_now

revision = "0003_deleted_counts"
down_revision = "0002_sync"
branch_labels = None
depends_on = None

_MYSQL = dict(mysql_charset="utf8mb4", mysql_collate="utf8mb4_bin", mysql_engine="InnoDB")


def upgrade() -> None:
    op.create_table(
        "deleted_counts",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=True),
        sa.Column("deleted_by", sa.String(length=150), nullable=True),
        sa.Column("workstation", sa.String(length=100), nullable=True),
        sa.Column("created_at", Timestamp, server_default=utc_now(), nullable=False),
        sa.Column("updated_at", Timestamp, server_default=utc_now(), nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_deleted_counts")),
        **_MYSQL,
    )


def downgrade() -> None:
    op.drop_table("deleted_counts")
