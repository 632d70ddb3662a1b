"""Case-insensitive text matching that means the same on both databases (the one place for
this dialect difference).

SQLite's LIKE ignores ASCII case natively; MariaDB's tables use a binary collation, so LIKE
there is case-sensitive unless the comparison is given a case-insensitive collation. Wrapping
the column in LOWER() would work on both but doubles the cost of a full scan on SQLite.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, SQLColumnExpression
from sqlalchemy.orm import Session


def like_escape(text: str) -> str:
    """`text` with LIKE's wildcards made literal (use with escape='\\\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains_ci(session: Session, column: SQLColumnExpression[str],
                text: str) -> ColumnElement[bool]:
    """SQL: `column` contains `text`, ignoring (ASCII) case, wildcards literal."""
    pattern = "%" + like_escape(text) + "%"
    if session.get_bind().dialect.name in ("mysql", "mariadb"):
        # an explicit COLLATE outranks the parameter's, so the whole comparison ignores case
        return column.collate("utf8mb4_general_ci").like(pattern, escape="\\")
    return column.like(pattern, escape="\\")
