"""The SQL of a list: filters, sort, pages and the row count, for a TableSpec.

A list never loads a whole table. The desktop asks for one page at a time as the user scrolls,
each page a LIMIT query that continues after the last row's sort keys (keyset paging: page
500 costs what page 2 does), and for the total row count separately. Sorting and filtering
happen in SQL. The export and `wics list export` read the same statement in one stream, so
they hold exactly the rows the screen shows, in its order.

ListQuery is the list as the user asked for it right now (parameters, filters, sort); the
statements it builds are plain SQLAlchemy, run by the functions at the bottom on a session
(on a worker thread in the desktop).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from .columns import Clause, FilterError, TableState
from .spec import TableSpec

Row = tuple[Any, ...]  # (row id, one value per column, then the sort keys)
SortKey = tuple[Any, bool]  # (SQL expression, descending)


@dataclass
class ListQuery:
    spec: TableSpec
    params: dict[str, Any] = field(default_factory=dict)
    state: TableState = field(default_factory=TableState)

    def __post_init__(self) -> None:
        if self.spec.default_sort and self.state.sort_key is None:
            self.state.sort_key, self.state.descending = self.spec.default_sort

    # ---- filters and sort --------------------------------------------------------------
    def filter_problems(self) -> dict[str, str]:
        """Each column filter's problem ("" when it is fine): a filter that cannot be
        understood is left out of the query, and the user is told why."""
        problems = {}
        for key, text in self.state.filters.items():
            try:
                self.spec.column(key).filter_clause(text)
            except FilterError as exc:
                problems[key] = str(exc)
            else:
                problems[key] = ""
        return problems

    def where(self) -> list[Clause]:
        clauses = []
        for key, text in self.state.filters.items():
            try:
                clause = self.spec.column(key).filter_clause(text)
            except FilterError:
                continue  # reported by filter_problems()
            if clause is not None:
                clauses.append(clause)
        quick = self.state.quick.strip()
        if quick:
            parts = []
            for c in self.spec.columns:
                if not c.quick:
                    continue
                try:  # a quick search for "abc" simply skips number and date columns
                    clause = c.filter_clause(quick)
                except FilterError:
                    continue
                if clause is not None:
                    parts.append(clause)
            if parts:
                clauses.append(or_(*parts))
        return clauses

    def sort_keys(self) -> list[SortKey]:
        """(expression, descending) of the ORDER BY, the row key last so the order is total."""
        keys: list[SortKey] = []
        if self.state.sort_key:
            col = self.spec.column(self.state.sort_key)
            exprs = col.sort_by if isinstance(col.sort_by, (list, tuple)) else [col.sort_by]
            keys += [(e, self.state.descending) for e in exprs]
        tiebreak = self.spec.tiebreak or [self.spec.row_id]
        keys += [(e, self.state.descending) for e in tiebreak]
        return keys

    # ---- statements --------------------------------------------------------------------
    def statement(self, *, ordered: bool = True) -> Select[Any]:
        """The full SELECT (row id first, then every column) with filters and sort applied.

        The sort keys are selected too, after the columns, so the next page can continue after
        the last row's keys (keyset paging) instead of counting past every earlier row."""
        cols = self.spec.columns
        keys = [e for e, _desc in self.sort_keys()] if ordered else []
        stmt = self.spec.source(self.params).with_only_columns(
            self.spec.row_id.label("_row_id"),
            *[c.expr.label(f"c{i}") for i, c in enumerate(cols)],
            *[e.label(f"k{i}") for i, e in enumerate(keys)])
        for where in self.where():
            stmt = stmt.where(where)
        if ordered:
            stmt = stmt.order_by(*[e.desc() if d else e.asc() for e, d in self.sort_keys()])
        return stmt

    def key_statement(self) -> Select[Any]:
        """Row keys and sort keys of the filtered, sorted rows (a page's first query).

        MySQL/MariaDB is told to read the main table first (STRAIGHT_JOIN): the joined tables
        are lookups, and left to itself MariaDB starts from the 2-row organizations table and
        sorts a million joined rows to show the first 200."""
        keys = self.sort_keys()
        stmt = self.spec.source(self.params).with_only_columns(
            self.spec.row_id.label("_row_id"), *[e.label(f"k{i}") for i, (e, _d) in
                                                 enumerate(keys)])
        for where in self.where():
            stmt = stmt.where(where)
        return stmt.order_by(*[e.desc() if d else e.asc() for e, d in keys]) \
            .prefix_with("STRAIGHT_JOIN", dialect="mysql")

    def row_statement(self) -> Select[Any]:
        """The displayed columns, unfiltered and unsorted (a page's second query adds
        `row_id IN (...)`)."""
        return self.spec.source(self.params).with_only_columns(
            self.spec.row_id.label("_row_id"),
            *[c.expr.label(f"c{i}") for i, c in enumerate(self.spec.columns)])

    def keyset_after(self, last: Row) -> Clause | None:
        """WHERE the rows come after `last` in the sort order; None when a key may be NULL
        (NULLs sort differently on the two databases: then paging falls back to OFFSET)."""
        keys = self.sort_keys()
        if not all(getattr(e, "nullable", True) is False or getattr(e, "primary_key", False)
                   for e, _d in keys):
            return None
        values = last[len(last) - len(keys):]
        alternatives = []
        for k, (expr, desc) in enumerate(keys):
            same = [keys[j][0] == values[j] for j in range(k)]
            beyond = expr < values[k] if desc else expr > values[k]
            alternatives.append(and_(*same, beyond))
        return or_(*alternatives)

    def page(self, offset: int, size: int, last: Row | None = None) -> PageRequest:
        """The next page: `size` rows after `last` (the last row loaded; else from `offset`).
        Its statements are built now, so later changes to this query do not reach it."""
        after = self.keyset_after(last) if last is not None else None
        if self.spec.row_id_unique:
            keys = self.key_statement()
            if after is not None:
                keys, offset = keys.where(after), 0
            return PageRequest(keys, offset, size, self.row_statement(), self.spec.row_id)
        stmt = self.statement().prefix_with("STRAIGHT_JOIN", dialect="mysql")
        if after is not None:
            stmt, offset = stmt.where(after), 0
        return PageRequest(stmt, offset, size)


@dataclass(frozen=True)
class PageRequest:
    """One page's queries, ready to run on a session (the desktop runs `fetch` on a worker)."""

    stmt: Select[Any]  # the rows themselves, or (two-step) their keys in order
    offset: int
    size: int
    row_stmt: Select[Any] | None = None  # two-step: the displayed columns of the page's keys
    row_id: Any = None

    def fetch(self, session: Session) -> list[Row]:
        if self.row_stmt is None:
            return fetch_page(session, self.stmt, self.offset, self.size)
        return fetch_page_by_keys(session, self.stmt, self.row_stmt, self.row_id, self.offset,
                                  self.size)


def _limit(stmt: Select[Any], offset: int, limit: int) -> Select[Any]:
    stmt = stmt.limit(limit)
    return stmt.offset(offset) if offset else stmt


def fetch_page(session: Session, stmt: Select[Any], offset: int, limit: int) -> list[Row]:
    return [tuple(r) for r in session.execute(_limit(stmt, offset, limit))]


def fetch_page_by_keys(session: Session, key_stmt: Select[Any], row_stmt: Select[Any],
                       row_id: Any, offset: int, limit: int) -> list[Row]:
    """Two short queries instead of one long one: first the page's row keys in order (only the
    columns the filters and the sort need, the main table read first), then the displayed
    columns of just those rows. Expensive display columns (the display name's EXISTS) are then
    computed for 200 rows, never for the million the database would otherwise sort."""
    keys = session.execute(_limit(key_stmt, offset, limit)).all()
    if not keys:
        return []
    wanted = row_stmt.where(row_id.in_([k[0] for k in keys]))
    rows = {r[0]: tuple(r) for r in session.execute(wanted)}
    return [rows[k[0]] + tuple(k[1:]) for k in keys if k[0] in rows]


def count_rows(session: Session, stmt: Select[Any]) -> int:
    """How many rows `stmt` (filtered, unordered) returns, counted by the database."""
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
