"""Where SQLite and MySQL/MariaDB differ, in one place: bulk statements for big writes.

`bulk_insert` is as fast as each database takes rows. On SQLite it hands the rows to sqlite3's
executemany (a loop in C), with the timestamps read once and a bigger page cache while it runs
(see `_sqlite_insert`). On MySQL/MariaDB it writes multi-row INSERT statements of about 1 MB
itself: PyMySQL's executemany does the same but escapes value by value in Python, which costs more
than the server's work for 100,000 rows; here each column is escaped in one pass by its type,
with exactly PyMySQL's escaping (backslash escapes, or quote doubling under
NO_BACKSLASH_ESCAPES). `update_by_id` and `delete_ids` are portable chunked statements
(UPDATE ... SET col = CASE id WHEN ... END), because executemany of an UPDATE is one round trip
per row on PyMySQL.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import ColumnElement, CursorResult, Table, case, delete, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .models import utc_now

if TYPE_CHECKING:
    from pymysql.connections import Connection as PyMySQLConnection

__all__ = ["name", "table_of", "bulk_insert", "date_param", "update_by_id", "delete_ids", "chunks",
           "ID_CHUNK", "is_duplicate_key", "is_collision"]

ID_CHUNK = 300  # ids per statement: 3 parameters each stays under SQLite's old 999 limit


def table_of(model: type[Any]) -> Table:
    """The Table of a mapped class, for Core statements and the bulk helpers here (declarative
    classes type `__table__` as any FromClause)."""
    table = model.__table__
    assert isinstance(table, Table)  # every WICS model maps one Table
    return table


def name(session: Session) -> str:
    dialect = session.get_bind().dialect.name
    return "mysql" if dialect in ("mysql", "mariadb") else dialect


def date_param(session: Session) -> Callable[[dt.date], Any]:
    """How a date goes to the driver: ISO text for SQLite (what SQLAlchemy stores there; Python
    3.12 deprecates sqlite3's implicit date adapter), the date itself for PyMySQL."""
    if name(session) == "sqlite":
        return dt.date.isoformat
    return lambda d: d


def chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def bulk_insert(session: Session, table: Table, columns: Sequence[str],
                rows: Sequence[Sequence[Any]], *, chunk: int = 0,
                after_chunk: Callable[[int], None] | None = None) -> int:
    """INSERT `rows` (tuples in `columns` order) in the session's transaction; returns the count.

    Values go to the driver as they are: dates through `date_param`, booleans as bool, None as
    NULL. Columns left out take their server defaults (on SQLite the timestamps are read once
    for all rows, see `_sqlite_insert`). `after_chunk(done)` runs
    after each chunk of `chunk` rows (progress, cancel checks).
    """
    if not rows:
        return 0
    conn = session.connection()
    size = chunk if chunk > 0 else len(rows)
    if conn.dialect.name == "sqlite":
        return _sqlite_insert(conn, table, columns, rows, size, after_chunk)
    quote = conn.dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) VALUES "
    raw = conn.connection.dbapi_connection if conn.dialect.driver == "pymysql" else None
    done = 0
    for part in chunks(rows, size):
        if raw is not None:
            _raw_mysql_insert(raw, head, part)
        else:
            mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
            conn.exec_driver_sql(head + f"({', '.join([mark] * len(columns))})", list(part))
        done += len(part)
        if after_chunk is not None:
            after_chunk(done)
    return done


# ---- SQLite ---------------------------------------------------------------------------------

SQLITE_BULK_CACHE_KIB = 64 * 1024  # page cache during a bulk insert (SQLite's default: 2 MB)
_STAMPED = ("created_at", "updated_at")
_STAMP_TEXT = re.compile(r"[0-9 :.-]+").fullmatch


def _sqlite_insert(conn: Connection, table: Table, columns: Sequence[str],
                   rows: Sequence[Sequence[Any]], size: int,
                   after_chunk: Callable[[int], None] | None) -> int:
    """executemany on SQLite, with two changes that matter for 100,000 rows into an indexed table:

    - created_at/updated_at (when `columns` leaves them out) are the database clock read once
      and written into the statement as a literal. Their server default would be evaluated for
      every row, and each row's slightly later time lands in its own spot of the updated_at
      index; one value for all rows is what MySQL gives a statement anyway (and what a replica
      refresh expects: it re-reads an overlap before its marker).
    - the page cache grows while the rows go in, so the index pages being filled stay in memory
      instead of being spilled and read back; it is set back afterwards (the connection is
      pooled).
    """
    quote = conn.dialect.identifier_preparer.quote
    names = [quote(c) for c in columns]
    values = ["?"] * len(columns)
    stamped = [c for c in _STAMPED if c in table.c and c not in columns]
    if stamped:
        now = conn.exec_driver_sql(
            f"SELECT {utc_now().compile(dialect=conn.dialect)}").scalar_one()
        if not _STAMP_TEXT(now):
            raise ValueError(f"unexpected timestamp {now!r}")  # never: strftime() made it
        names += [quote(c) for c in stamped]
        values += [f"'{now}'"] * len(stamped)
    sql = f"INSERT INTO {quote(table.name)} ({', '.join(names)}) VALUES ({', '.join(values)})"
    cache = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size = {-SQLITE_BULK_CACHE_KIB}")
    try:
        done = 0
        for part in chunks(rows, size):
            conn.exec_driver_sql(sql, list(part))
            done += len(part)
            if after_chunk is not None:
                after_chunk(done)
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(cache)}")
    return done


# ---- MySQL/MariaDB: multi-row INSERT text ---------------------------------------------------

_MYSQL_STATEMENT_BYTES = 1_000_000  # PyMySQL's own batch size; far below max_allowed_packet
_BACKSLASH = {0: "\\0", 10: "\\n", 13: "\\r", 26: "\\Z", 34: '\\"', 39: "\\'", 92: "\\\\"}
_SPECIAL = re.compile("[\x00\n\r\x1a\"'\\\\]")  # the characters either table rewrites
_NO_BACKSLASH_ESCAPES = 512  # SERVER_STATUS_NO_BACKSLASH_ESCAPES


def _raw_mysql_insert(raw: PyMySQLConnection, head: str, rows: Sequence[Sequence[Any]]) -> None:
    """_mysql_insert, with the driver's errors raised as SQLAlchemy's (IntegrityError,
    DataError, OperationalError...), as every other statement's are: callers and the CLI handle
    one family of errors (a bare pymysql error used to end as exit 1)."""
    import pymysql
    from sqlalchemy.exc import DBAPIError

    try:
        _mysql_insert(raw, head, rows)
    except pymysql.err.Error as exc:
        raise DBAPIError.instance(head + "...", None, exc, pymysql.err.Error) from exc


def is_duplicate_key(exc: BaseException) -> bool:
    """A unique key refused a row (MySQL 1062, SQLite 'UNIQUE constraint failed')."""
    from sqlalchemy.exc import IntegrityError

    if not isinstance(exc, IntegrityError):
        return False
    args: tuple[Any, ...] = getattr(exc.orig, "args", ())
    return (bool(args) and args[0] == 1062) or "UNIQUE constraint failed" in str(exc.orig)


def is_collision(exc: BaseException) -> bool:
    """Another session got in the way: a duplicate key, a deadlock or a lock wait timeout
    (MySQL 1062, 1213, 1205) or a locked SQLite file. Running the work again can succeed."""
    from sqlalchemy.exc import DBAPIError

    if is_duplicate_key(exc):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    args: tuple[Any, ...] = getattr(exc.orig, "args", ())
    return (bool(args) and args[0] in (1205, 1213)) or "database is locked" in str(exc.orig)


def _mysql_insert(raw: PyMySQLConnection, head: str, rows: Sequence[Sequence[Any]]) -> None:
    """INSERT `rows` as literal multi-row statements on a PyMySQL connection (no %-formatting:
    the SQL goes to cursor.execute without arguments)."""
    table = ({39: "''"} if raw.server_status & _NO_BACKSLASH_ESCAPES
             else _BACKSLASH)
    columns = [_mysql_literals(col, table) for col in zip(*rows, strict=True)]
    values = ["(" + ",".join(r) + ")" for r in zip(*columns, strict=True)]
    with raw.cursor() as cursor:
        start, size = 0, len(head)
        for i, v in enumerate(values):
            size += len(v) + 1
            if size > _MYSQL_STATEMENT_BYTES and i > start:
                cursor.execute(head + ",".join(values[start:i]))
                start, size = i, len(head) + len(v) + 1
        cursor.execute(head + ",".join(values[start:]))


def _mysql_literals(col: Sequence[Any], table: dict[int, str]) -> list[str]:
    """One column's values as SQL literals, escaped in one pass by the column's type."""
    kinds = set(map(type, col))
    kinds.discard(type(None))
    if kinds <= {str}:
        special = _SPECIAL.search  # most text needs no escaping: skip translate() for it
        return ["NULL" if v is None else "'" + (v.translate(table) if special(v) else v) + "'"
                for v in col]
    if kinds <= {int}:
        return ["NULL" if v is None else str(v) for v in col]
    if kinds <= {float} and all(math.isfinite(v) for v in col if v is not None):
        return ["NULL" if v is None else (r if "e" in (r := repr(v)) else r + "e0") for v in col]
    if kinds <= {bool}:
        return ["NULL" if v is None else ("1" if v else "0") for v in col]
    if kinds <= {dt.date}:
        return ["NULL" if v is None else "'" + v.isoformat() + "'" for v in col]
    return [_literal(v, table) for v in col]


def _literal(v: Any, table: dict[int, str]) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"{v!r} cannot be stored in MySQL")
        text = repr(v)
        return text if "e" in text else text + "e0"  # a DOUBLE literal, not a DECIMAL
    if isinstance(v, str):
        return "'" + v.translate(table) + "'"
    if isinstance(v, dt.datetime):
        return "'" + v.isoformat(" ") + "'"
    if isinstance(v, dt.date):
        return "'" + v.isoformat() + "'"
    raise TypeError(f"cannot write {type(v).__name__} values in a bulk insert")


def update_by_id(session: Session, table: Table, column: str, values: Mapping[int, Any],
                 *, touch: bool = True) -> int:
    """Set `column` to values[id] for each id, a few hundred ids per statement."""
    ids = sorted(values)
    count = 0
    for part in chunks(ids, ID_CHUNK):
        new: dict[str, ColumnElement[Any]] = {
            column: case({i: values[i] for i in part}, value=table.c.id)}
        if touch and "updated_at" in table.c:
            new["updated_at"] = utc_now()
        # an UPDATE's result is a CursorResult (Session.execute is typed for any statement)
        result = session.execute(update(table).where(table.c.id.in_(part)).values(new))
        count += cast(CursorResult[Any], result).rowcount
    return count


def delete_ids(session: Session, table: Table, ids: Sequence[int],
               *where: ColumnElement[bool]) -> int:
    """DELETE the rows with these ids (and the extra conditions), in chunks; returns the count."""
    count = 0
    for part in chunks(sorted(ids), ID_CHUNK):
        result = session.execute(delete(table).where(table.c.id.in_(part), *where))
        count += cast(CursorResult[Any], result).rowcount  # a DELETE's result, as above
    return count
