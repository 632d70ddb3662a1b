"""Alembic environment. WICS runs migrations programmatically (core.schema.upgrade), which
passes an open connection in `config.attributes["connection"]`; the alembic CLI is not needed."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from wics_desktop.core.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():  # pragma: no cover - WICS never renders SQL scripts offline
    raise SystemExit("Offline migrations are not supported: run `wics db upgrade`.")
run_migrations_online()
