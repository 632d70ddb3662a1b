"""QueryTableModel: one Qt table model over any SQL query, for lists of any size.

It never loads a whole table. Rows arrive a page at a time as the user scrolls
(`canFetchMore`/`fetchMore`), each page a LIMIT/OFFSET query run on a worker thread, so a list
of 1,000,000 counts opens as fast as one of 100 and the window never freezes, even while the
database sorts by an unindexed column. Sorting and filtering happen in SQL; the total row
count is computed separately, also off the GUI thread, and shown when it arrives.

A TableSpec says what to show: the columns (ui.tables.columns.Column), how to build the FROM/
WHERE part for the current parameters (an upload date, "show filled requests"), the row key and
the default sort. The same spec drives the xlsx export.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from sqlalchemy import and_, func, or_, select
from sqlalchemy.sql import Select

from ..workers import TaskFailure, TaskRunner
from .columns import Column, FilterError, TableState

log = logging.getLogger("wics.ui.tables")

ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
RAW_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass
class TableSpec:
    key: str  # for saved column layout ("counts", "materials", ...)
    title: str
    columns: list[Column]
    source: Callable[[dict], Select]  # FROM/JOIN/WHERE for the parameters; columns replaced
    row_id: Any  # SQL expression of the row's key (passed to row actions)
    default_sort: tuple[str, bool] | None = None  # (column key, descending)
    tiebreak: list[Any] = field(default_factory=list)  # makes the order total (default: row_id)
    noun: str = "rows"  # "counts", "materials": for "1,234 counts"
    page_size: int = 200
    row_style: Callable[[tuple], dict] | None = None  # {"foreground": QColor, ...} per row
    # The row key identifies one row: pages are fetched in two steps (keys, then rows).
    row_id_unique: bool = True

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def index_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)


def _limit(stmt, offset: int, limit: int):
    stmt = stmt.limit(limit)
    return stmt.offset(offset) if offset else stmt


def _fetch_page(session, stmt, offset: int, limit: int) -> list[tuple]:
    return [tuple(r) for r in session.execute(_limit(stmt, offset, limit))]


def _fetch_page_by_keys(session, key_stmt, row_stmt, row_id, offset: int,
                        limit: int) -> list[tuple]:
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


def _fetch_count(session, stmt) -> int:
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


class QueryTableModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    total_changed = Signal(object)  # int, or None while unknown
    filter_error = Signal(str, str)  # column key ("" = quick filter), message ("" = fine)
    failed = Signal(object)  # TaskFailure of a page or count query
    reset_done = Signal()

    def __init__(self, spec: TableSpec, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.runner = runner
        self.params: dict = {}
        self.state = TableState()
        if spec.default_sort:
            self.state.sort_key, self.state.descending = spec.default_sort
        self._rows: list[tuple] = []
        self._exhausted = True
        self._loading = False
        self._generation = 0
        self.total: int | None = None
        self._started = False

    # ---- the query ---------------------------------------------------------------------
    def statement(self, *, ordered: bool = True) -> Select:
        """The full SELECT (row id first, then every column) with filters and sort applied.

        The sort keys are selected too, after the columns, so the next page can continue after
        the last row's keys (keyset paging) instead of counting past every earlier row."""
        cols = self.spec.columns
        keys = [e for e, _desc in self._sort_keys()] if ordered else []
        stmt = self.spec.source(self.params).with_only_columns(
            self.spec.row_id.label("_row_id"),
            *[c.expr.label(f"c{i}") for i, c in enumerate(cols)],
            *[e.label(f"k{i}") for i, e in enumerate(keys)])
        for where in self._where():
            stmt = stmt.where(where)
        if ordered:
            stmt = stmt.order_by(*[e.desc() if d else e.asc() for e, d in self._sort_keys()])
        return stmt

    def key_statement(self) -> Select:
        """Row keys and sort keys of the filtered, sorted rows (a page's first query).

        MySQL/MariaDB is told to read the main table first (STRAIGHT_JOIN): the joined tables
        are lookups, and left to itself MariaDB starts from the 2-row organizations table and
        sorts a million joined rows to show the first 200."""
        keys = self._sort_keys()
        stmt = self.spec.source(self.params).with_only_columns(
            self.spec.row_id.label("_row_id"), *[e.label(f"k{i}") for i, (e, _d) in
                                                 enumerate(keys)])
        for where in self._where():
            stmt = stmt.where(where)
        return stmt.order_by(*[e.desc() if d else e.asc() for e, d in keys]) \
            .prefix_with("STRAIGHT_JOIN", dialect="mysql")

    def row_statement(self) -> Select:
        """The displayed columns, unfiltered and unsorted (a page's second query adds
        `row_id IN (...)`)."""
        return self.spec.source(self.params).with_only_columns(
            self.spec.row_id.label("_row_id"),
            *[c.expr.label(f"c{i}") for i, c in enumerate(self.spec.columns)])

    def _sort_keys(self) -> list[tuple]:
        """(expression, descending) of the ORDER BY, the row key last so the order is total."""
        keys = []
        if self.state.sort_key:
            col = self.spec.column(self.state.sort_key)
            exprs = col.sort_by if isinstance(col.sort_by, (list, tuple)) else [col.sort_by]
            keys += [(e, self.state.descending) for e in exprs]
        tiebreak = self.spec.tiebreak or [self.spec.row_id]
        keys += [(e, self.state.descending) for e in tiebreak]
        return keys

    def _keyset_after(self, last: tuple):
        """WHERE the rows come after `last` in the sort order; None when a key may be NULL
        (NULLs sort differently on the two databases: then paging falls back to OFFSET)."""
        keys = self._sort_keys()
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

    def _where(self) -> list:
        clauses = []
        for key, text in self.state.filters.items():
            try:
                clause = self.spec.column(key).filter_clause(text)
            except FilterError as exc:
                self.filter_error.emit(key, str(exc))
                continue
            self.filter_error.emit(key, "")
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

    # ---- loading -----------------------------------------------------------------------
    def start(self) -> None:
        """First load (screens call this once their parameters are set)."""
        self._started = True
        self.reload()

    def reload(self) -> None:
        """Throw away the loaded rows and load the first page again (filters/sort changed)."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._exhausted = False
        self._loading = False  # a page still in flight belongs to the old generation
        self.endResetModel()
        self._set_total(None)
        self._load_page()
        gen = self._generation
        self.runner.submit(_fetch_count, self.statement(ordered=False), title="count rows",
                           owner=self,
                           on_result=lambda n, g=gen: self._count_arrived(g, n),
                           on_error=lambda f, g=gen: self._query_failed(g, f))
        self.reset_done.emit()

    def _load_page(self) -> None:
        if self._loading or self._exhausted:
            return
        self._set_loading(True)
        gen, offset = self._generation, len(self._rows)
        size = self.spec.page_size
        after = self._keyset_after(self._rows[-1]) if self._rows else None
        done = dict(on_result=lambda rows, g=gen, s=size: self._page_arrived(g, rows, s),
                    on_error=lambda f, g=gen: self._query_failed(g, f))
        if self.spec.row_id_unique:
            keys = self.key_statement()
            if after is not None:
                keys, offset = keys.where(after), 0
            self.runner.submit(_fetch_page_by_keys, keys, self.row_statement(),
                               self.spec.row_id, offset, size, title="load rows", owner=self,
                               **done)
        else:
            stmt = self.statement().prefix_with("STRAIGHT_JOIN", dialect="mysql")
            if after is not None:
                stmt, offset = stmt.where(after), 0
            self.runner.submit(_fetch_page, stmt, offset, size, title="load rows", owner=self,
                               **done)

    def _page_arrived(self, generation: int, rows: list[tuple], size: int) -> None:
        if generation != self._generation:
            return  # an answer to a question nobody asks any more
        self._set_loading(False)
        if len(rows) < size:
            self._exhausted = True
            if self.total is None:
                self._set_total(len(self._rows) + len(rows))
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def _count_arrived(self, generation: int, n: int) -> None:
        if generation == self._generation:
            self._set_total(n)

    def _query_failed(self, generation: int, failure: TaskFailure) -> None:
        if generation != self._generation:
            return
        self._set_loading(False)
        self._exhausted = True
        log.error("table %s query failed: %s", self.spec.key, failure.traceback)
        self.failed.emit(failure)

    def _set_loading(self, value: bool) -> None:
        if value != self._loading:
            self._loading = value
            self.loading_changed.emit(value)

    def _set_total(self, n: int | None) -> None:
        self.total = n
        self.total_changed.emit(n)

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    # ---- user requests -----------------------------------------------------------------
    def set_params(self, **params) -> None:
        self.params.update(params)
        if self._started:
            self.reload()

    def set_quick_filter(self, text: str) -> None:
        if text != self.state.quick:
            self.state.quick = text
            self.reload()

    def set_column_filter(self, key: str, text: str) -> None:
        text = text or ""
        if self.state.filters.get(key, "") != text:
            if text:
                self.state.filters[key] = text
            else:
                self.state.filters.pop(key, None)
                # an emptied filter is no longer checked by _where(): say it is fine now, or
                # its box stays red after the bad text is gone
                self.filter_error.emit(key, "")
            self.reload()

    def clear_filters(self) -> None:
        if self.state.filters or self.state.quick:
            self.state.filters.clear()
            self.state.quick = ""
            self.reload()

    # ---- Qt model interface ------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spec.columns)

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._started and not self._exhausted \
            and not self._loading

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._load_page()

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = self.spec.columns[index.column()]
        value = row[index.column() + 1]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.display(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = col.display(value)
            return text if len(text) > 30 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int((Qt.AlignmentFlag.AlignRight if col.right_aligned
                        else Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ID_ROLE:
            return row[0]
        if role in (RAW_ROLE, Qt.ItemDataRole.EditRole):
            return value
        if self.spec.row_style is not None and role == Qt.ItemDataRole.ForegroundRole:
            return self.spec.row_style(row).get("foreground")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.spec.columns):
            col = self.spec.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return col.title
            if role == Qt.ItemDataRole.ToolTipRole:
                return col.tooltip or col.title
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int((Qt.AlignmentFlag.AlignRight if col.right_aligned
                            else Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.spec.columns) or not self.spec.columns[column].sortable:
            return
        key = self.spec.columns[column].key
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.state.sort_key, self.state.descending):
            return
        self.state.sort_key, self.state.descending = key, descending
        if self._started:
            self.reload()

    # ---- helpers for the view ----------------------------------------------------------
    def row_id(self, row: int):
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def row_values(self, row: int) -> dict[str, Any]:
        values = self._rows[row]
        return {c.key: values[i + 1] for i, c in enumerate(self.spec.columns)}

    def find_row(self, row_id) -> int:
        for i, r in enumerate(self._rows):
            if r[0] == row_id:
                return i
        return -1
