"""Declarative base, shared column types and the timestamp mixin.

Decisions that hold for every table:
- MySQL/MariaDB tables use utf8mb4 with a *binary* collation, so part numbers, plants and
  locations compare case-sensitively there exactly as they do on SQLite. Inputs are stripped of
  surrounding whitespace before they reach the database, so PAD SPACE never matters.
- `created_at` / `updated_at` are UTC and set by the database's clock (not a workstation's), so
  an offline replica can pull changes by `updated_at` without trusting PC clocks.
- Quantities, amounts and prices are IEEE doubles on both databases, so sums agree between them.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, Float, LargeBinary, MetaData, String, Table
from sqlalchemy.dialects import mysql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.schema import SchemaItem

# Constraint names are stable across dialects, so migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MYSQL_TABLE_OPTIONS = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}


class utc_now(FunctionElement[dt.datetime]):  # noqa: N801 - used like the SQL function it is
    """The database server's current UTC time, with sub-second precision where available."""

    type = DateTime()
    inherit_cache = True


@compiles(utc_now)
def _utc_now_default(  # pragma: no cover - other dialects
    element: utc_now, compiler: SQLCompiler, **kw: Any
) -> str:
    return "CURRENT_TIMESTAMP"


@compiles(utc_now, "sqlite")
def _utc_now_sqlite(element: utc_now, compiler: SQLCompiler, **kw: Any) -> str:
    return "strftime('%Y-%m-%d %H:%M:%f', 'now')"


@compiles(utc_now, "mysql")
def _utc_now_mysql(element: utc_now, compiler: SQLCompiler, **kw: Any) -> str:
    return "UTC_TIMESTAMP(6)"


# DATETIME(6) on MySQL keeps microseconds, so "changed since" comparisons are fine-grained.
Timestamp = DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql")
# Images live in the database so every workstation sees them; MySQL BLOB stops at 64 KB.
ImageBytes = LargeBinary().with_variant(mysql.LONGBLOB(), "mysql")
Double = Float(precision=53).with_variant(mysql.DOUBLE(asdecimal=False), "mysql")


def text(length: int) -> String:
    return String(length)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """The Table a model maps. Declarative typing only promises a FromClause; every model here
    is declared with __tablename__, which always makes a Table."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class Timestamps:
    """created_at / updated_at kept by the database clock (UTC)."""

    created_at: Mapped[dt.datetime] = mapped_column(
        Timestamp, nullable=False, default=utc_now(), server_default=utc_now()
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        Timestamp, nullable=False, default=utc_now(), onupdate=utc_now(),
        server_default=utc_now(),
    )


class SyncedTimestamps(Timestamps):
    """Timestamps for tables a workstation replica pulls: updated_at is indexed."""

    updated_at: Mapped[dt.datetime] = mapped_column(
        Timestamp, nullable=False, default=utc_now(), onupdate=utc_now(),
        server_default=utc_now(), index=True,
    )


def table_args(*items: SchemaItem, **extra: str) -> tuple[SchemaItem | dict[str, str], ...]:
    """__table_args__ with the MySQL options every table gets."""
    options = dict(MYSQL_TABLE_OPTIONS)
    options.update(extra)
    return (*items, options)
