"""Create or migrate the schema (tables, constraints, views) with Alembic, then seed.

`upgrade()` is what `wics db upgrade` runs: idempotent, from an empty SQLite file or an empty
MySQL/MariaDB database to the current revision. View definitions live in sql/views/ (shipped as
package data `wics_desktop.sql`), one file per view and dialect, versioned so that an old
migration always re-creates the views it knew.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection

from .db import Database, translate_db_errors

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_PACKAGE = "wics_desktop.migrations"


def _alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    script_location = str(resources.files(MIGRATIONS_PACKAGE))
    cfg = Config()
    cfg.set_main_option("script_location", script_location)
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None  # the package ships its migrations: there is always a head
    return head


def pending_revisions(current: str | None) -> list[str]:
    """The migrations `upgrade()` would apply from `current` (None: an empty database), oldest
    first; [] when the schema is at the head."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    steps = [rev.revision for rev in script.iterate_revisions("heads", current or "base")]
    return list(reversed(steps))


def current_revision(database: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with translate_db_errors(database), database.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(database: Database, revision: str = "head", *, seed: bool = True) -> str:
    """Migrate to `revision` and apply the reference seeds. Returns the revision reached."""
    from alembic import command

    with translate_db_errors(database):
        with database.engine.begin() as conn:
            command.upgrade(_alembic_config(conn), revision)
        if seed:
            from . import seeds

            with database.session() as session:
                seeds.apply(session)
    return current_revision(database) or ""


def is_behind(database: Database) -> bool:
    """True when the database has the WICS schema at a revision older than this version's."""
    current = current_revision(database)
    return current is not None and bool(pending_revisions(current))


def bring_embedded_up_to_date(database: Database) -> Path | None:
    """At the desktop's start on an embedded (SQLite) database: create the schema when the
    file is new, or migrate it when an older version made it - after a backup copy beside the
    file (`wics.before-<revision>.sqlite`). Returns the backup's path (None when none was
    needed). A single-PC installation is thus upgraded by starting the new version; on SQLite
    the whole migration is one transaction, so it happens entirely or not at all."""
    if not database.has_schema():
        upgrade(database)
        return None
    if not is_behind(database):
        return None
    from .backup import backup_sqlite, sqlite_file

    source = sqlite_file(database)
    copy = source.with_name(f"{source.stem}.before-{head_revision()}{source.suffix}")
    if not copy.exists():
        backup_sqlite(database, copy)
    upgrade(database)
    return copy


def require_current(database: Database) -> None:
    """A server whose schema is older than this version: say so plainly (the workstations'
    account cannot migrate it; whoever runs the server must run `wics db upgrade`)."""
    if is_behind(database):
        from .errors import DatabaseUnavailable

        raise DatabaseUnavailable(
            f"{database.describe()} has WICS schema revision {current_revision(database)}; "
            f"this version of WICS needs {head_revision()}. Ask whoever looks after the server "
            f"to run `wics db upgrade` (docs/operations.md, 'Upgrading').")


# ---- views -------------------------------------------------------------------------------

def view_sql(dialect: str, version: str, name: str) -> str:
    """The text of sql/views/<version>/<dialect>/<name>.sql."""
    base = resources.files("wics_desktop.sql") / "views" / version / dialect / f"{name}.sql"
    return base.read_text(encoding="utf-8")


def view_names(version: str) -> list[str]:
    folder = resources.files("wics_desktop.sql") / "views" / version / "mysql"
    return sorted(Path(str(p)).stem for p in folder.iterdir() if str(p).endswith(".sql"))


def create_views(connection: Connection, version: str, names: list[str]) -> None:
    dialect = "mysql" if connection.dialect.name in ("mysql", "mariadb") else "sqlite"
    for name in names:
        connection.execute(text(f"DROP VIEW IF EXISTS {name}"))
        connection.execute(text(view_sql(dialect, version, name)))


def drop_views(connection: Connection, names: list[str]) -> None:
    for name in reversed(names):
        connection.execute(text(f"DROP VIEW IF EXISTS {name}"))
