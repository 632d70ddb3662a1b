"""Writing the demo: the empty-database guard and chunked bulk inserts with progress."""
from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnDefault, Date, DateTime, Table, exists, insert, select
from sqlalchemy.orm import Session

from ..errors import InputRejected
from ..models import (
    UNKNOWN_PART_TYPE,
    ActualCount,
    Base,
    CountSchedule,
    ManufacturerPartNumber,
    Material,
    MaterialPhoto,
    Organization,
    PartType,
    SapPlant,
    SapStock,
    User,
)
from ..models.base import table_of
from ..progress import Progress, check_cancel

CHUNK = 5000  # rows per INSERT batch: large enough to be fast, small enough to report progress

# Tables whose rows mean "someone uses this database". The reference rows `wics db upgrade`
# seeds (units of measure, the UNKNOWN part type, parameters) do not count.
_DATA = (Organization, SapPlant, Material, MaterialPhoto, ManufacturerPartNumber,
         CountSchedule, ActualCount, SapStock, User)


def refuse_unless_empty(session: Session) -> None:
    found = [m.__tablename__ for m in _DATA if session.scalar(select(exists().select_from(m)))]
    if session.scalar(select(exists().where(PartType.name != UNKNOWN_PART_TYPE))):
        found.append(PartType.__tablename__)
    if found:
        error = InputRejected(
            "the database already has data; demo data goes into an empty database "
            f"(found rows in: {', '.join(found)})")
        error.payload = {"tables_with_data": found}
        raise error


class BulkWriter:
    """Inserts rows in chunks inside the caller's transaction, stamping the database's clock.

    Every row gets the same created_at/updated_at, read once from the database server, so the
    timestamps are the database's (as for every other write) while each INSERT stays a plain
    parameterised statement the drivers can batch.
    """

    def __init__(self, session: Session, progress: Progress, total: int, now: dt.datetime) -> None:
        self.session, self.progress, self.total, self.now = session, progress, total, now
        self.done = 0
        self.counts: dict[str, int] = {}

    def insert(self, model: type[Base], rows: Iterable[dict[str, Any]], text: str) -> int:
        table = table_of(model)
        stamps = {"created_at": self.now, "updated_at": self.now} if "created_at" in table.c else {}
        written = 0
        iterator = iter(rows)
        statement = None
        while chunk := list(itertools.islice(iterator, CHUNK)):
            check_cancel(self.progress)
            if statement is None:
                statement = _DriverInsert(self.session, table, list(chunk[0]), stamps)
            statement.execute(chunk)
            written += len(chunk)
            self.done += len(chunk)
            self.progress.step(min(self.done, self.total), self.total, text)
        self.counts[table.name] = self.counts.get(table.name, 0) + written
        return written


class _DriverInsert:
    """One INSERT compiled once for the database, run with the driver's executemany.

    SQLAlchemy's executemany path processes every parameter of every row in Python; for half a
    million rows that is most of the time. Here SQLAlchemy compiles the statement for the
    dialect once, its bind processors convert what needs converting (dates become text on
    SQLite), values the same in every row are converted once, and the rows reach the driver
    as plain tuples or dicts.
    """

    def __init__(self, session: Session, table: Table, keys: list[str],
                 constants: dict[str, Any]) -> None:
        self.connection = session.connection()
        dialect = self.connection.dialect
        # Columns left out that have a constant Python default (False, 1, ...) get it here,
        # as SQLAlchemy would; SQL-expression defaults are rendered into the statement.
        constants = dict(constants)
        constants.update({c.key: c.default.arg for c in table.c if c.key not in keys
                          and c.key not in constants and isinstance(c.default, ColumnDefault)
                          and c.default.is_scalar})  # (a scalar default is a ColumnDefault)
        processors = {key: proc for key in [*keys, *constants]
                      if (proc := table.c[key].type.dialect_impl(dialect).bind_processor(dialect))}
        self.constants = {key: processors[key](value) if key in processors else value
                          for key, value in constants.items()}
        # A date column repeats a handful of values: convert each once.
        self.processors = {key: (functools.lru_cache(maxsize=4096)(proc)
                                 if isinstance(table.c[key].type, (Date, DateTime)) else proc)
                           for key, proc in processors.items() if key in keys}
        compiled = insert(table).compile(dialect=dialect, column_keys=[*keys, *self.constants])
        self.sql = compiled.string
        self.positional = compiled.positional
        binds = compiled.binds
        self.columns = [binds[name].key if name in binds else name
                        for name in (compiled.positiontup or [])]

    def execute(self, rows: list[dict[str, Any]]) -> None:
        for key, proc in self.processors.items():
            for row in rows:
                row[key] = proc(row[key])
        if self.constants:
            for row in rows:
                row.update(self.constants)
        parameters: Sequence[dict[str, Any]] | Sequence[tuple[Any, ...]] = rows
        if self.positional:
            columns = self.columns
            parameters = [tuple([row[c] for c in columns]) for row in rows]
        self.connection.exec_driver_sql(self.sql, parameters)
