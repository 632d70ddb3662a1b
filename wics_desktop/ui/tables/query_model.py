"""QueryTableModel: the Qt table model over any list of core.lists, for lists of any size.

It never loads a whole table. Rows arrive a page at a time as the user scrolls
(`canFetchMore`/`fetchMore`), each page a query of core.lists.query run on a worker thread
(TaskRunner), so a list of 1,000,000 counts opens as fast as one of 100 and the window never
freezes, even while the database sorts by an unindexed column. Sorting and filtering happen in
SQL; the total row count is computed separately, also off the GUI thread, and shown when it
arrives.

What to show (columns, query, row key, default sort) is a core.lists TableSpec; what the user
asked for (parameters, filters, sort) is a core.lists ListQuery. This model only turns them
into Qt: pages into rows, values into display text, answers into signals.
"""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal

from ...core.lists.query import ListQuery, count_rows
from ...core.lists.spec import TableSpec
from ..workers import TaskFailure, TaskRunner

log = logging.getLogger("wics.ui.tables")

ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
RAW_ROLE = Qt.ItemDataRole.UserRole + 2

__all__ = ["RAW_ROLE", "ROW_ID_ROLE", "QueryTableModel", "TableSpec"]


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
        self.query = ListQuery(spec)
        self._rows: list[tuple] = []
        self._exhausted = True
        self._loading = False
        self._generation = 0
        self.total: int | None = None
        self._started = False

    @property
    def params(self) -> dict:
        return self.query.params

    @property
    def state(self):
        return self.query.state

    # ---- the query ---------------------------------------------------------------------
    def statement(self, *, ordered: bool = True):
        """The full SELECT of what the list shows (core.lists.query.ListQuery.statement)."""
        self._report_filters()
        return self.query.statement(ordered=ordered)

    def _report_filters(self) -> None:
        for key, message in self.query.filter_problems().items():
            self.filter_error.emit(key, message)

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
        self._report_filters()
        self._load_page()
        gen = self._generation
        self.runner.submit(count_rows, self.query.statement(ordered=False), title="count rows",
                           owner=self,
                           on_result=lambda n, g=gen: self._count_arrived(g, n),
                           on_error=lambda f, g=gen: self._query_failed(g, f))
        self.reset_done.emit()

    def _load_page(self) -> None:
        if self._loading or self._exhausted:
            return
        self._set_loading(True)
        gen, size = self._generation, self.spec.page_size
        page = self.query.page(len(self._rows), size, self._rows[-1] if self._rows else None)
        self.runner.submit(page.fetch, title="load rows", owner=self,
                           on_result=lambda rows, g=gen, s=size: self._page_arrived(g, rows, s),
                           on_error=lambda f, g=gen: self._query_failed(g, f))

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
                # an emptied filter is no longer checked by the query: say it is fine now, or
                # its box stays red after the bad text is gone
                self.filter_error.emit(key, "")
            self.reload()

    def clear_filters(self) -> None:
        if self.state.filters or self.state.quick:
            self.state.filters.clear()
            self.state.quick = ""
            self.reload()

    # ---- Qt model interface ------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.spec.columns)

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and self._started and not self._exhausted \
            and not self._loading

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:
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
