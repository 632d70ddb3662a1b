"""Engines and sessions for the two databases WICS runs on.

One `Database` per process and URL. SQLite gets WAL, a busy timeout and enforced foreign keys
(workers on other threads each open their own Session). MySQL/MariaDB gets pre-ping, recycling,
utf8mb4 and a UTC session time zone, so the database clock writes UTC timestamps.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .errors import DatabaseError, DatabaseUnavailable, NotPermitted

if TYPE_CHECKING:
    from sqlalchemy.engine.interfaces import DBAPIConnection, Dialect
    from sqlalchemy.pool import ConnectionPoolEntry

# The session `Database.session()` yields, by a name of core's: the GUI hands sessions on to
# core functions without importing SQLAlchemy itself.
DbSession = Session

SQLITE_BUSY_TIMEOUT_MS = 15000


def mask_url(url: URL | str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


# One count typed by a clerk must be decided - saved on the server, or saved on this PC -
# within about 5 s whichever way the network fails: refused (at once), black-holed or a server
# that accepts the connection and then says nothing (the greeting and each statement wait at
# most READ), or a slow link. A count is a handful of small statements, so 4 s per answer is
# generous for a healthy server and short enough for a clerk.
INTERACTIVE_CONNECT_TIMEOUT = 3
INTERACTIVE_READ_TIMEOUT = 4


def make_engine(url: URL | str, *, echo: bool = False, connect_timeout: int = 5,
                read_timeout: int = 600) -> Engine:
    """`read_timeout` bounds how long a statement may wait for the server's answer; an offline
    capable workstation gives its interactive engine a short one (a black-holed network would
    otherwise hang a click for ten minutes). `?connect_timeout=` / `?read_timeout=` /
    `?write_timeout=` in a MySQL URL override the arguments."""
    url = make_url(url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        database = url.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            # A new database file is owner-only: it holds the users' password hashes.
            from .secure_files import create_private_file

            create_private_file(Path(database).expanduser())
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 15}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if backend in ("mysql", "mariadb"):
        query = dict(url.query)
        query.setdefault("charset", "utf8mb4")
        # connect_args win over the URL in SQLAlchemy, so URL timeouts are moved over here.
        timeouts = {"connect_timeout": connect_timeout, "read_timeout": read_timeout,
                    "write_timeout": read_timeout}
        for key in timeouts:
            if key in query:
                # a key given once in the URL is one string (a repeated one stays an error)
                timeouts[key] = int(cast(str, query.pop(key)))
        url = url.set(query=query)
        return create_engine(
            url,
            echo=echo,
            pool_pre_ping=True,
            pool_recycle=1800,
            connect_args={**timeouts, "init_command": "SET time_zone = '+00:00'"},
        )
    raise DatabaseError(f"Unsupported database '{backend}': use SQLite or MySQL/MariaDB.")


class Database:
    """An engine plus a session factory for one database URL."""

    def __init__(self, url: URL | str, *, echo: bool = False, connect_timeout: int = 5,
                 read_timeout: int = 600) -> None:
        from .db_url import parse_url

        self.url = parse_url(url)  # a malformed URL: UsageError naming what is wrong
        self.engine = make_engine(self.url, echo=echo, connect_timeout=connect_timeout,
                                  read_timeout=read_timeout)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)
        self._credentials: tuple[str, str] | None = None

    def set_credentials(self, username: str, password: str) -> None:
        """Connect as this account from now on (MySQL/MariaDB personal server accounts): the
        engine stays the same object (whatever holds it keeps working), its pooled connections
        are dropped and new ones log in with these credentials instead of the URL's."""
        if self._credentials is None:
            event.listen(self.engine, "do_connect", self._apply_credentials)
        self._credentials = (username, password)
        self.engine.dispose()

    @property
    def account(self) -> str | None:
        """The account set by set_credentials (None: the URL's)."""
        return self._credentials[0] if self._credentials else None

    def _apply_credentials(self, _dialect: Dialect, _conn_rec: ConnectionPoolEntry,
                           _cargs: tuple[Any, ...], cparams: dict[str, Any]) -> None:
        if self._credentials is not None:
            cparams["user"], cparams["password"] = self._credentials

    @property
    def dialect(self) -> str:
        name = self.engine.dialect.name
        return "mysql" if name in ("mysql", "mariadb") else name

    @property
    def is_embedded(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def masked_url(self) -> str:
        return mask_url(self.url)

    def describe(self) -> str:
        """Short text for a status bar: 'embedded: demo.sqlite' or
        'server: db.example:3306/wics'."""
        if self.is_embedded:
            return f"embedded: {Path(self.url.database or ':memory:').name}"
        port = f":{self.url.port}" if self.url.port else ""
        return f"server: {self.url.host}{port}/{self.url.database}"

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A Session in one transaction: committed on success, rolled back on any exception."""
        with translate_db_errors(self):
            with self.Session() as session:
                with session.begin():
                    yield session

    def ping(self) -> None:
        with translate_db_errors(self):
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))

    def has_schema(self) -> bool:
        with translate_db_errors(self):
            return inspect(self.engine).has_table("alembic_version")

    def dispose(self) -> None:
        self.engine.dispose()


@contextlib.contextmanager
def translate_db_errors(database: Database | None = None) -> Iterator[None]:
    """Turn driver errors about reaching the server into DatabaseUnavailable (exit 4)."""
    try:
        yield
    except OperationalError as exc:
        if is_connection_error(exc):
            where = database.describe() if database else "the database"
            raise DatabaseUnavailable(
                f"Cannot reach {where}: {short_reason(exc)}"
            ) from exc
        if is_permission_error(exc):
            raise NotPermitted(
                f"The database refused: {short_reason(exc)}. The account in the database URL "
                f"lacks this privilege (docs/operations.md, 'Accounts')."
            ) from exc
        raise


# MySQL client error codes meaning "no connection": can't connect, server gone, lost, etc.
_MYSQL_CONNECTION_CODES = {1040, 1042, 1043, 1045, 1049, 1053, 1077, 1129, 1130, 1152, 1159,
                           1161, 2002, 2003, 2005, 2006, 2013, 2055}


def is_connection_error(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    orig = getattr(exc, "orig", None)
    args: tuple[Any, ...] = getattr(orig, "args", ())
    if args and isinstance(args[0], int) and args[0] in _MYSQL_CONNECTION_CODES:
        return True
    message = str(orig or exc).lower()
    return any(s in message for s in (
        "unable to open database file", "can't connect", "lost connection", "server has gone away",
        "connection refused", "timed out", "broken pipe", "connection reset",
    ))


# MySQL server error codes meaning "this account may not": command, column or routine denied,
# access to the database denied, a privilege such as SUPER needed.
_MYSQL_PERMISSION_CODES = {1044, 1142, 1143, 1227, 1370}


def is_permission_error(exc: BaseException) -> bool:
    args: tuple[Any, ...] = getattr(getattr(exc, "orig", None), "args", ())
    return bool(args) and isinstance(args[0], int) and args[0] in _MYSQL_PERMISSION_CODES


def short_reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    args: tuple[Any, ...] = getattr(orig, "args", ())
    if len(args) >= 2 and isinstance(args[0], int):
        return str(args[1])
    return str(orig).splitlines()[0]
