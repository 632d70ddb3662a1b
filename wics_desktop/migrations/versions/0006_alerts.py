"""Alerts that open and close by themselves as the data changes, and each workstation's last
report of its outbox (so the server can tell when counts wait too long on a PC).

Revision ID: 0006_alerts
Revises: 0005_planner
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from wics_desktop.core.models.base import Timestamp, utc_now

revision = "0006_alerts"
down_revision = "0005_planner"
branch_labels = None
depends_on = None

_MYSQL = dict(mysql_charset="utf8mb4", mysql_collate="utf8mb4_bin", mysql_engine="InnoDB")


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=50), nullable=False),
        sa.Column("alert_key", sa.String(length=250), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=250), nullable=False),
        sa.Column("message", sa.String(length=2000), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="open", nullable=False),
        sa.Column("opened_at", Timestamp, server_default=utc_now(), nullable=False),
        sa.Column("closed_at", Timestamp, nullable=True),
        sa.Column("acknowledged_by", sa.String(length=150), nullable=True),
        sa.Column("acknowledged_at", Timestamp, nullable=True),
        sa.Column("emailed_at", Timestamp, nullable=True),
        sa.Column("email_error", sa.String(length=1000), nullable=True),
        sa.Column("created_at", Timestamp, server_default=utc_now(), nullable=False),
        sa.Column("updated_at", Timestamp, server_default=utc_now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        **_MYSQL,
    )
    op.create_index("ix_alerts_status_rule_key", "alerts", ["status", "rule", "alert_key"])
    op.create_table(
        "workstation_outbox",
        sa.Column("workstation", sa.String(length=100), nullable=False),
        sa.Column("username", sa.String(length=150), nullable=True),
        sa.Column("pending", sa.Integer(), server_default="0", nullable=False),
        sa.Column("oldest_pending_at", Timestamp, nullable=True),
        sa.Column("reported_at", Timestamp, server_default=utc_now(), nullable=False),
        sa.PrimaryKeyConstraint("workstation", name=op.f("pk_workstation_outbox")),
        **_MYSQL,
    )


def downgrade() -> None:
    op.drop_table("workstation_outbox")
    op.drop_index("ix_alerts_status_rule_key", table_name="alerts")
    op.drop_table("alerts")
