"""The count planner: each counter's own daily capacity, and the walk order of worksheet zones.

Revision ID: 0005_planner
Revises: 0004_counting_loop
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from wics_desktop.core.models.base import Timestamp, utc_now

revision = "0005_planner"
down_revision = "0004_counting_loop"
branch_labels = None
depends_on = None

_MYSQL = dict(mysql_charset="utf8mb4", mysql_collate="utf8mb4_bin", mysql_engine="InnoDB")


def upgrade() -> None:
    op.create_table(
        "counter_capacity",
        sa.Column("counter", sa.String(length=250), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("created_at", Timestamp, server_default=utc_now(), nullable=False),
        sa.Column("updated_at", Timestamp, server_default=utc_now(), nullable=False),
        sa.PrimaryKeyConstraint("counter", name=op.f("pk_counter_capacity")),
        **_MYSQL,
    )
    # NULL = walk the zone in its number's place; a supervisor reorders zones without
    # renumbering them (location_zones point at the number).
    with op.batch_alter_table("worksheet_zones", schema=None) as batch_op:
        batch_op.add_column(sa.Column("walk_order", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("worksheet_zones", schema=None) as batch_op:
        batch_op.drop_column("walk_order")
    op.drop_table("counter_capacity")
