"""Where SQLite and MySQL/MariaDB differ, in one place: bulk statements for big writes.

`bulk_insert` hands rows straight to the driver's executemany (PyMySQL folds them into multi-row
INSERTs of about 1 MB; sqlite3 loops in C), which is as fast as either database takes rows; the
ORM's unit of work would cost several times more per row. `update_by_id` and `delete_ids` are
portable chunked statements (UPDATE ... SET col = CASE id WHEN ... END), because executemany of
an UPDATE is one round trip per row on PyMySQL.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, case, delete, update
from sqlalchemy.orm import Session

from .models import utc_now

__all__ = ["name", "bulk_insert", "date_param", "update_by_id", "delete_ids", "chunks",
           "ID_CHUNK"]

ID_CHUNK = 300  # ids per statement: 3 parameters each stays under SQLite's old 999 limit


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
    NULL. Columns left out take their server defaults (timestamps). `after_chunk(done)` runs
    after each chunk of `chunk` rows (progress, cancel checks).
    """
    if not rows:
        return 0
    conn = session.connection()
    quote = conn.dialect.identifier_preparer.quote
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join([mark] * len(columns))})")
    size = chunk if chunk > 0 else len(rows)
    done = 0
    for part in chunks(rows, size):
        conn.exec_driver_sql(sql, list(part))
        done += len(part)
        if after_chunk is not None:
            after_chunk(done)
    return done


def update_by_id(session: Session, table: Table, column: str, values: Mapping[int, Any],
                 *, touch: bool = True) -> int:
    """Set `column` to values[id] for each id, a few hundred ids per statement."""
    ids = sorted(values)
    count = 0
    for part in chunks(ids, ID_CHUNK):
        new = {column: case({i: values[i] for i in part}, value=table.c.id)}
        if touch and "updated_at" in table.c:
            new["updated_at"] = utc_now()
        count += session.execute(update(table).where(table.c.id.in_(part)).values(new)).rowcount
    return count


def delete_ids(session: Session, table: Table, ids: Sequence[int], *where) -> int:
    """DELETE the rows with these ids (and the extra conditions), in chunks; returns the count."""
    count = 0
    for part in chunks(sorted(ids), ID_CHUNK):
        count += session.execute(delete(table).where(table.c.id.in_(part), *where)).rowcount
    return count
