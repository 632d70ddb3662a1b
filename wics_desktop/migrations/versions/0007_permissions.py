"""The viewer role: read-only users (lists, reports, exports), below clerk.

Only the users.role CHECK constraint changes. SQLite cannot alter a constraint in place, so
batch mode copies the table with the new constraint.

Revision ID: 0007_permissions
Revises: 0006_alerts
"""
from __future__ import annotations

from alembic import op

revision = "0007_permissions"
down_revision = "0006_alerts"
branch_labels = None
depends_on = None

_NEW = "role IN ('viewer', 'clerk', 'supervisor', 'admin')"
_OLD = "role IN ('clerk', 'supervisor', 'admin')"


def _replace(condition: str) -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint(op.f("ck_users_role"), condition)


def upgrade() -> None:
    _replace(_NEW)


def downgrade() -> None:
    op.execute("UPDATE users SET role = 'clerk' WHERE role = 'viewer'")
    _replace(_OLD)
