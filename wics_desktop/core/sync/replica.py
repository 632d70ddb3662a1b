"""The replica file of one server on this workstation: where it lives, how it is opened.

A replica is an SQLite database with the full WICS schema (migrated like any other), holding
server rows *with their server ids*, so a count typed offline names the server's material id.
Counts typed offline get negative ids there (see outbox.py) until the server gives them theirs.

The replica does not enforce foreign keys: it is a copy whose integrity is the server's job,
and a refresh applies changes table by table (a material and its MPNs may arrive in either
order, a schedule entry may name a user who is gone). Its sessions carry `info["wics_replica"]`,
which the outbox hooks look for.
"""
from __future__ import annotations

import datetime as dt
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, event, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from .. import config, schema
from ..db import Database
from ..errors import DatabaseUnavailable
from ..models import SyncState
from ..secure_files import tighten

if TYPE_CHECKING:
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry

REPLICA_FLAG = "wics_replica"
STATE_BUILT_AT = "built_at"
STATE_REFRESHED_AT = "refreshed_at"
STATE_SERVER = "server"


class NoReplica(DatabaseUnavailable):
    """The server is unreachable and this PC holds no replica of it (exit 4)."""


def server_key(url: URL | str) -> str:
    """'host-port-database' in file-name-safe characters."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        parts = ["sqlite", Path(u.database or "memory").stem]
    else:
        parts = [u.host or "localhost", str(u.port or 3306), u.database or "wics"]
    return re.sub(r"[^A-Za-z0-9_.]+", "_", "-".join(parts))


def default_path(server_url: URL | str) -> Path:
    return config.data_dir() / f"replica-{server_key(server_url)}.sqlite"


def _foreign_keys_off(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=OFF")
    cur.close()


class Replica:
    """One replica file. `open()` gives its Database (created and migrated when asked)."""

    def __init__(self, path: Path | str, server_url: URL | str | None = None) -> None:
        self.path = Path(path)
        self.server_url = make_url(server_url) if server_url is not None else None
        self._db: Database | None = None
        self._built = False
        self._opening = threading.Lock()

    @classmethod
    def for_server(cls, server_url: URL | str, path: Path | str | None = None) -> Replica:
        return cls(path or default_path(server_url), server_url)

    def exists(self) -> bool:
        return self.path.is_file()

    def open(self, create: bool = False) -> Database:
        if self._db is not None:
            return self._db
        with self._opening:  # a sync and the desktop's outbox count may open it at once
            if self._db is not None:
                return self._db
            return self._open(create)

    def _open(self, create: bool) -> Database:
        from . import outbox  # noqa: F401 - the hooks that queue counts saved in a replica
        if not self.exists() and not create:
            raise NoReplica(f"There is no replica at {self.path}.")
        db = Database(config.sqlite_url(self.path))  # a new file is created owner-only
        # An older replica is tightened: it holds the hashes of active users (for signing in
        # offline) and the outbox of counts not yet sent.
        tighten(self.path)
        event.listen(db.engine, "connect", _foreign_keys_off)  # after the default pragmas
        db.Session.configure(info={REPLICA_FLAG: True})
        if schema.current_revision(db) != schema.head_revision():
            # seed=False: reference rows come from the server, with the server's ids.
            schema.upgrade(db, seed=False)
        self._db = db
        return db

    def is_built(self) -> bool:
        """True when a first full copy was completed (a killed build leaves nothing behind).
        Once true it stays so for this object (asked again, it answers without a query: the
        desktop asks from its GUI thread when the server goes away)."""
        if self._built:
            return self.exists()
        if not self.exists():
            return False
        with self.open().session() as s:
            self._built = get_state(s, STATE_BUILT_AT) is not None
        return self._built

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None


def is_replica_session(session: Session) -> bool:
    return bool(session.info.get(REPLICA_FLAG))


# ---- the replica's notes (markers, window, last refresh) -----------------------------------

def get_state(session: Session, name: str) -> str | None:
    return session.scalar(select(SyncState.value).where(SyncState.name == name))


def all_state(session: Session) -> dict[str, str | None]:
    return dict(session.execute(select(SyncState.name, SyncState.value)).all())


def set_state(session: Session, name: str, value: object | None) -> None:
    if value is None:
        session.execute(delete(SyncState).where(SyncState.name == name))
        return
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    row = session.get(SyncState, name)
    if row is None:
        session.add(SyncState(name=name, value=str(value)))
    else:
        row.value = str(value)
    session.flush()
