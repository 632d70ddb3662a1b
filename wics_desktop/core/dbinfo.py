"""`wics db info`: where the database is, which dialect and revision, and how many rows."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, inspect, select

from .db import Database, translate_db_errors
from .models import Base

# The tables the contract lists first; every other table follows in name order.
CONTRACT_TABLES = ("organizations", "materials", "part_types", "count_schedule", "actual_counts",
                   "sap_stock", "mpn", "users", "parameters", "holidays")


def table_order() -> list[str]:
    """The tables `row_counts` lists: the contract's first, then the others by name."""
    names = [t for t in CONTRACT_TABLES if t in Base.metadata.tables]
    return names + sorted(t for t in Base.metadata.tables if t not in CONTRACT_TABLES)


def info(database: Database) -> dict[str, Any]:
    from .schema import current_revision

    with translate_db_errors(database):
        existing = set(inspect(database.engine).get_table_names())
        names = table_order()
        counts: dict[str, int] = {}
        with database.engine.connect() as conn:
            for name in names:
                if name in existing:
                    table = Base.metadata.tables[name]
                    counts[name] = conn.execute(
                        select(func.count()).select_from(table)).scalar_one()
        return {
            "url": database.masked_url,
            "dialect": database.dialect,
            "revision": current_revision(database),
            "row_counts": counts,
        }
