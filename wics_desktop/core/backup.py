"""`wics db backup`: a consistent copy of an embedded (SQLite) WICS database while it is in use.

Copying `wics.sqlite` with the file manager while WICS runs can give a torn file: the latest
changes may still sit in `wics.sqlite-wal`. SQLite's online backup API copies the database as
of one moment, WAL included, while other programs keep reading and writing. The copy is written
to a temporary file beside the target, checked (`PRAGMA integrity_check`, then opened as a WICS
database: revision and row counts), and only then renamed into place - a failed backup never
leaves a half-written file under the target's name.

A MySQL/MariaDB server is backed up with its own tools (mysqldump, see docs/operations.md).
"""
from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .db import Database, translate_db_errors
from .errors import InputRejected, UsageError
from .secure_files import create_private_file

SERVER_HINT = ("`wics db backup` copies the embedded SQLite database. Back up a MySQL/MariaDB "
               "server with mysqldump --single-transaction --routines --triggers (see "
               "docs/operations.md, 'Backups').")


@dataclass
class BackupResult:
    source: str
    backup: str
    bytes: int
    seconds: float
    integrity: str
    revision: str | None
    row_counts: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.row_counts.values())

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "backup": self.backup, "bytes": self.bytes,
                "seconds": self.seconds, "integrity": self.integrity,
                "revision": self.revision, "row_counts": self.row_counts}


def sqlite_file(database: Database) -> Path:
    """The file of an embedded database; UsageError for a server or an in-memory database."""
    if not database.is_embedded:
        raise UsageError(SERVER_HINT)
    name = database.url.database or ""
    if not name or name == ":memory:" or name.startswith("file:"):
        raise UsageError("This SQLite database has no file to back up.")
    return Path(name).expanduser().resolve()


def backup_sqlite(database: Database, out: Path | str, *, overwrite: bool = False) -> BackupResult:
    """Copy the embedded database to `out` (a new file) and check the copy."""
    source = sqlite_file(database)
    out = Path(out).expanduser().resolve()
    if not source.is_file():
        raise InputRejected(f"There is no database file at {source}.")
    if out in (source, source.with_name(source.name + "-wal"),
               source.with_name(source.name + "-shm")):
        raise InputRejected(f"{out} is the database itself: back up to another file.")
    if out.exists() and not overwrite:
        raise InputRejected(f"{out} already exists: choose a new name (a dated one is "
                            "best) or add --force to replace it.")
    if not out.parent.is_dir():
        raise InputRejected(f"The folder {out.parent} does not exist.")
    partial = out.with_name(f".{out.name}.partial")
    started = time.perf_counter()
    try:
        with translate_db_errors(database), database.engine.connect() as conn:
            src = conn.connection.driver_connection  # the sqlite3.Connection under SQLAlchemy
            assert src is not None  # an open connection has its driver connection
            partial.unlink(missing_ok=True)
            create_private_file(partial)  # the copy holds password hashes too: owner-only
            dest = sqlite3.connect(partial)
            try:
                # pages=-1: one step, one read transaction - a copy as of one moment, while
                # writers carry on (WAL mode lets them).
                src.backup(dest, pages=-1)
                integrity = dest.execute("PRAGMA integrity_check").fetchone()[0]
                # The copy stands alone: no -wal beside it, readable by any SQLite tool.
                dest.execute("PRAGMA journal_mode=DELETE")
                revision, counts = _describe(dest)
            finally:
                dest.close()
        if integrity != "ok":
            raise InputRejected(f"The copy failed SQLite's integrity check: {integrity}. "
                                f"The database itself may be damaged; keep the last good "
                                f"backup and see docs/operations.md.")
        os.replace(partial, out)
    except OSError as exc:
        raise InputRejected(f"Could not write the backup {out}: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(str(source), str(out), out.stat().st_size,
                        round(time.perf_counter() - started, 3), integrity, revision, counts)


def _describe(conn: sqlite3.Connection) -> tuple[str | None, dict[str, int]]:
    """The copy's schema revision and row counts, as `wics db info` lists them."""
    from .dbinfo import table_order

    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    revision = None
    if "alembic_version" in present:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    counts = {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
              for name in table_order() if name in present}
    return revision, counts
