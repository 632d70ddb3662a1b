"""A small sortable, filterable table over report rows (dataclasses or tuples): the column list
says how to read and show each value; numbers sort as numbers, blanks first."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QTableView

from ...core.expressions import format_quantity
from .. import settings

MATERIAL_ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Col:
    title: str
    value: Callable[[Any], Any]  # raw value (sorting)
    text: Callable[[Any], str] | None = None  # shown text (default str / formatted number)
    numeric: bool = False
    width: int = 110


def date_text(d) -> str:
    return d.isoformat() if d else "—"


def _sortable(v):
    if v is None:
        return (0, "")
    if isinstance(v, (int, float)):
        return (1, v)
    return (1, str(v))


class RowsModel(QAbstractTableModel):
    """Report rows (dataclasses with a material_id) shown through a column list."""

    def __init__(self, columns: Sequence[Col], parent=None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = col.value(row)
            if col.text is not None:
                return col.text(row)
            if value is None:
                return "—"
            return format_quantity(value) if col.numeric else str(value)
        if role == SORT_ROLE:
            return _sortable(col.value(row))
        if role == MATERIAL_ID_ROLE:
            return getattr(row, "material_id", None)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class _Proxy(QSortFilterProxyModel):
    def lessThan(self, left, right) -> bool:
        return left.data(SORT_ROLE) < right.data(SORT_ROLE)


def make_table(model: RowsModel, name: str) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = _Proxy()
    proxy.setSourceModel(model)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterKeyColumn(-1)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.verticalHeader().hide()
    for i, col in enumerate(model.columns):
        view.horizontalHeader().resizeSection(i, col.width)
    view.horizontalHeader().setStretchLastSection(True)
    settings.restore_header(view.horizontalHeader(), name)
    return view, proxy
