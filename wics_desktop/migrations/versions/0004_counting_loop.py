"""The counting loop: a supervisor's decision on a day's count result (approved, or recount
scheduled for a later day, blind by default).

Revision ID: 0004_counting_loop
Revises: 0003_deleted_counts
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from wics_desktop.core.models.base import Timestamp, utc_now

revision = "0004_counting_loop"
down_revision = "0003_deleted_counts"
branch_labels = None
depends_on = None

_MYSQL = dict(mysql_charset="utf8mb4", mysql_collate="utf8mb4_bin", mysql_engine="InnoDB")


def upgrade() -> None:
    op.create_table(
        "count_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("material_id", sa.Integer(), nullable=False),
        sa.Column("count_date", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("recount_date", sa.Date(), nullable=True),
        sa.Column("blind", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("decided_by", sa.String(length=150), nullable=True),
        sa.Column("workstation", sa.String(length=100), nullable=True),
        sa.Column("created_at", Timestamp, server_default=utc_now(), nullable=False),
        sa.Column("updated_at", Timestamp, server_default=utc_now(), nullable=False),
        sa.ForeignKeyConstraint(["material_id"], ["materials.id"],
                                name=op.f("fk_count_reviews_material_id_materials"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_reviews")),
        sa.UniqueConstraint("material_id", "count_date",
                            name=op.f("uq_count_reviews_material_id_count_date")),
        **_MYSQL,
    )
    op.create_index("ix_count_reviews_recount_date", "count_reviews", ["recount_date"])


def downgrade() -> None:
    op.drop_index("ix_count_reviews_recount_date", table_name="count_reviews")
    op.drop_table("count_reviews")
