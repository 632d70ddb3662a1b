"""Run SQL (admins): one read-only query, on a connection the database itself keeps read-only.

The reference let admins type SQL against the live database. Here the statement is checked
(a single SELECT / WITH / EXPLAIN, or SHOW on MySQL) and then run where writing is impossible
whatever the check missed:

- SQLite: a separate connection opening the file read-only (`mode=ro`) with
  `PRAGMA query_only=ON`; a progress handler aborts the query after the time limit.
- MySQL/MariaDB: a separate connection (not from the application's pool) in a
  `SET SESSION TRANSACTION READ ONLY` session, the statement wrapped in
  `SET STATEMENT max_statement_time=N FOR ...` (MariaDB) or run under `max_execution_time`
  (MySQL). A server "reader" account in the URL (issue 22) adds the server's own refusal.

At most `max_rows` rows are fetched (the result says when there were more).
"""
from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .actor import Actor
from .errors import DatabaseError, InputRejected
from .permissions import requires

if TYPE_CHECKING:
    from sqlalchemy.engine.interfaces import DBAPICursor

    from .db import Database

MAX_ROWS = 10_000
READING = {"select", "with", "explain"}
READING_MYSQL = READING | {"show", "describe", "desc"}


class QueryRefused(InputRejected):
    """The text is not one read-only statement (exit 3); nothing was run."""


class QueryStopped(InputRejected):
    """The statement ran past the time limit and was stopped."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    truncated: bool = False
    seconds: float = 0.0


def _strip(sql: str) -> str:
    """The statement without surrounding blanks, comments at its start and trailing ';'."""
    text = (sql or "").strip()
    while True:
        if text.startswith("--") or text.startswith("#"):
            text = text.split("\n", 1)[1].lstrip() if "\n" in text else ""
        elif text.startswith("/*") and "*/" in text:
            text = text.split("*/", 1)[1].lstrip()
        else:
            break
    return text.rstrip().rstrip(";").rstrip()


def _has_second_statement(text: str) -> bool:
    """A ';' outside quotes, identifiers and comments means more than one statement."""
    quote = None
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and quote in "'\"":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
        elif text.startswith("--", i) or ch == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end < 0 else end + 1
        elif ch == ";":
            return True
        i += 1
    return False


def check_statement(sql: str, dialect: str) -> str:
    """The statement to run, or QueryRefused naming why not."""
    text = _strip(sql)
    if not text:
        raise QueryRefused("Type a SELECT statement to run.")
    if _has_second_statement(text):
        raise QueryRefused("Only one statement at a time: remove the ';' in the middle.")
    first = re.match(r"[A-Za-z]+", text)
    allowed = READING_MYSQL if dialect == "mysql" else READING
    if first is None or first.group(0).lower() not in allowed:
        word = first.group(0).upper() if first else text[:12]
        kinds = ", ".join(sorted(a.upper() for a in allowed))
        raise QueryRefused(f"Only reading statements run here ({kinds}); "
                           f"'{word}' is not one of them.")
    return text


@requires("run_sql")
def run_query(database: Database, actor: Actor, sql: str, *, seconds: float = 30.0,
              max_rows: int = MAX_ROWS) -> QueryResult:
    """Run one read-only statement with a time limit; see the module docstring."""
    text = check_statement(sql, database.dialect)
    if database.dialect == "sqlite":
        return _run_sqlite(database, text, seconds, max_rows)
    return _run_mysql(database, text, seconds, max_rows)


def _collect(cursor: DBAPICursor | sqlite3.Cursor, max_rows: int, started: float) -> QueryResult:
    columns = [d[0] for d in (cursor.description or [])]
    rows = [tuple(r) for r in cursor.fetchmany(max_rows + 1)] if columns else []
    truncated = len(rows) > max_rows
    return QueryResult(columns, rows[:max_rows], truncated, time.monotonic() - started)


def _run_sqlite(database: Database, text: str, seconds: float, max_rows: int) -> QueryResult:
    path = Path(database.url.database or "")
    if not path.is_file():
        raise DatabaseError(f"The database file {path} does not exist.")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    started = time.monotonic()
    deadline = started + seconds

    def over_time() -> int:
        return 1 if time.monotonic() > deadline else 0

    try:
        conn.execute("PRAGMA query_only = ON")
        conn.set_progress_handler(over_time, 10_000)
        try:
            cursor = conn.execute(text)
            return _collect(cursor, max_rows, started)
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise QueryStopped(f"The query was stopped after {seconds:g} seconds "
                                   f"(SQL-TIME-LIMIT-SECONDS).") from exc
            raise InputRejected(f"The database refused the query: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise InputRejected(f"The database refused the query: {exc}") from exc
    finally:
        conn.close()


def _run_mysql(database: Database, text: str, seconds: float, max_rows: int) -> QueryResult:
    from sqlalchemy import create_engine
    from sqlalchemy.dialects.mysql.base import MySQLDialect
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.pool import NullPool

    # Its own connection: the session settings below never reach the application's pool.
    engine = create_engine(database.url, poolclass=NullPool,
                           connect_args={"init_command": "SET time_zone = '+00:00'"})
    started = time.monotonic()
    try:
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None  # a connection just opened has its driver connection
            cursor = raw.cursor()
            cursor.execute("SET SESSION TRANSACTION READ ONLY")
            cursor.execute("START TRANSACTION READ ONLY")
            assert isinstance(conn.dialect, MySQLDialect)  # only MySQL/MariaDB URLs come here
            mariadb = conn.dialect.is_mariadb
            if mariadb:
                statement = f"SET STATEMENT max_statement_time={float(seconds):g} FOR {text}"
            else:
                cursor.execute(f"SET SESSION max_execution_time = {int(seconds * 1000)}")
                statement = text
            try:
                cursor.execute(statement)
                result = _collect(cursor, max_rows, started)
            finally:
                try:
                    cursor.execute("ROLLBACK")
                except Exception:  # noqa: BLE001 - the connection is thrown away anyway
                    pass
            return result
    except DBAPIError as exc:
        raise _translate(exc, seconds) from exc
    except Exception as exc:  # pymysql errors raised by the raw cursor
        if exc.__class__.__module__.startswith("pymysql"):
            raise _translate(exc, seconds) from exc
        raise
    finally:
        engine.dispose()


def _translate(exc: Exception, seconds: float) -> Exception:
    orig = getattr(exc, "orig", exc)
    code = orig.args[0] if getattr(orig, "args", None) else None
    message = orig.args[1] if getattr(orig, "args", None) and len(orig.args) > 1 else str(orig)
    if code in (1969, 3024) or "max_statement_time" in str(message):
        return QueryStopped(f"The query was stopped after {seconds:g} seconds "
                            f"(SQL-TIME-LIMIT-SECONDS).")
    if code in (2003, 2006, 2013):
        from .errors import DatabaseUnavailable

        return DatabaseUnavailable(f"The server cannot be reached: {message}")
    return InputRejected(f"The database refused the query: {message}")
