"""audit_log.db_account: the server account that wrote the row, as the server names it.

On MySQL/MariaDB a trigger (created by `wics db upgrade`, core/server_accounts.py) sets it to
SESSION_USER() whatever the client sends, so an audit row cannot be forged with another name.
On SQLite it stays empty (the application's user name is all there is).

Revision ID: 0008_server_accounts
Revises: 0007_permissions
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_server_accounts"
down_revision = "0007_permissions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("db_account", sa.String(length=100), nullable=True))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name in ("mysql", "mariadb"):
        op.execute("DROP TRIGGER IF EXISTS wics_audit_account")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("db_account")
