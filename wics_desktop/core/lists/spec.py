"""TableSpec: what one list shows - its columns, its query, its row key and default sort.

A spec is plain data (no Qt): the desktop's list model pages through it, the xlsx export
streams it and `wics list export` writes it, all through core.lists.query.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.sql import Select

from .columns import Column

# The FROM/JOIN/WHERE part of a list for its parameters (an upload date, "show filled
# requests"); the selected columns are replaced by the query.
Source = Callable[[dict[str, Any]], Select[Any]]


@dataclass
class TableSpec:
    key: str  # for saved column layout ("counts", "materials", ...)
    title: str
    columns: list[Column]
    source: Source
    row_id: Any  # SQL expression of the row's key (passed to row actions)
    default_sort: tuple[str, bool] | None = None  # (column key, descending)
    tiebreak: list[Any] = field(default_factory=list)  # makes the order total (default: row_id)
    noun: str = "rows"  # "counts", "materials": for "1,234 counts"
    page_size: int = 200
    # {"foreground": <a colour the view understands>, ...} per row; only the desktop reads it
    row_style: Callable[[tuple[Any, ...]], dict[str, Any]] | None = None
    # The row key identifies one row: pages are fetched in two steps (keys, then rows).
    row_id_unique: bool = True

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def index_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def find_column(self, key: str) -> Column | None:
        """The column named `key` (its key or, any case, its title); None when there is none."""
        wanted = key.strip().lower()
        return next((c for c in self.columns if c.key.lower() == wanted), None) or \
            next((c for c in self.columns if c.title.lower() == wanted), None)
