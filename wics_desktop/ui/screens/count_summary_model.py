"""The count summary as a tree: organization > section > material > its count lines.

Material rows carry the numbers (counted, SAP, difference, accuracy shaded by band, the value
of the difference, recount/approved); a material's children are its count lines, each with its
own counter, location, expression and quantity columns, and - for a recount - the earlier
result it repeats with that day's lines, to read side by side. `SummarySortProxy` sorts
materials by any column (numbers as numbers; Value by its absolute size, so the costly
differences come first) while organizations and sections keep the report's order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ...core.expressions import format_quantity
from ...core.reports.count_summary import (
    CountSummary,
    EarlierResult,
    SummaryCount,
    SummaryMaterial,
    review_text,
)
from ...core.reports.numbers import money
from ..printing.style import BAND_COLORS

# Left to right in the order a supervisor reads them: what, who/where/how counted, the numbers,
# what it is worth and what to do about it; part type and count notes last (they fit a
# 1366-pixel screen with the navigation pane open up to Recount).
COLUMNS = ["Material", "Description", "Counter(s)", "Location", "Expression", "Counted", "SAP",
           "Difference", "Accuracy %", "Value", "Recount", "Part type", "Count notes"]
(C_MATERIAL, C_DESCRIPTION, C_COUNTERS, C_LOCATION, C_EXPRESSION, C_COUNTED, C_SAP, C_DIFF,
 C_ACCURACY, C_VALUE, C_RECOUNT, C_PART_TYPE, C_NOTES) = range(len(COLUMNS))
WIDTHS = (165, 120, 75, 85, 90, 65, 65, 70, 80, 110, 90, 80, 160)
NUMERIC = {C_COUNTED, C_SAP, C_DIFF, C_ACCURACY, C_VALUE}
MATERIAL_ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
RECOUNT_COLOR = QColor("#f4c7c3")  # the danger colour: the row a supervisor acts on

BAND_WORD = {"danger": "below the danger mark", "warning": "in the warning band",
             "success": "in the success band"}


def recount_text(m: SummaryMaterial) -> str:
    """The Recount column on screen: month-day dates, the column is narrow."""
    return review_text(m, lambda day: f"{day:%m-%d}")


@dataclass(eq=False)
class Node:
    kind: str  # "root" | "org" | "section" | "material" | "count"
    parent: Node | None
    row: int
    payload: Any = None
    label: str = ""
    children: list[Node] = field(default_factory=list)

    def add(self, kind: str, payload: Any = None, label: str = "") -> Node:
        child = Node(kind, self, len(self.children), payload, label)
        self.children.append(child)
        return child


def build_tree(summary: CountSummary | None) -> Node:
    root = Node("root", None, 0)
    if summary is None:
        return root
    for org in summary.orgs:
        sap = org.sap_date.isoformat() if org.sap_date else "none"
        counted = sum(len(s.materials) for s in org.sections)
        o = root.add("org", org, f"{org.org}  ·  SAP date {sap}  ·  {counted} "
                              f"material{'' if counted == 1 else 's'}")
        for section in org.sections:
            s = o.add("section", section, f"{section.title} ({len(section.materials)})")
            for m in section.materials:
                mn = s.add("material", m)
                for e in m.earlier:  # the earlier result first: then the recount's lines
                    en = mn.add("earlier", e)
                    for c in e.counts:
                        en.add("count", c)
                for c in m.counts:
                    mn.add("count", c)
    return root


def _count_text(c: SummaryCount) -> str:
    return " · ".join([f"{c.location}: {c.what()}", *c.extras()])


def _row(**cells) -> list[Any]:
    """A row's cells by column (C_... = value); the rest blank."""
    row: list[Any] = [""] * len(COLUMNS)
    for key, value in cells.items():
        row[globals()[key]] = value
    return row


def _material_values(m: SummaryMaterial) -> list[Any]:
    counted = bool(m.counts)
    return _row(C_MATERIAL=m.material, C_DESCRIPTION=m.description,
                C_PART_TYPE=m.part_type or "", C_COUNTERS=", ".join(m.counters),
                C_COUNTED=format_quantity(m.count_total) if counted else "—",
                C_SAP=format_quantity(m.sap_total), C_DIFF=format_quantity(m.diff),
                C_ACCURACY="—" if m.accuracy is None else f"{m.accuracy:.2f}",
                C_VALUE=money(m.diff_value, m.currency), C_RECOUNT=recount_text(m))


def _material_sort(m: SummaryMaterial, column: int) -> Any:
    keys = _row(C_MATERIAL=m.material, C_DESCRIPTION=m.description,
                C_PART_TYPE=m.part_type or "", C_COUNTERS=", ".join(m.counters),
                C_COUNTED=m.count_total if m.counts else float("-inf"), C_SAP=m.sap_total,
                C_DIFF=m.diff, C_ACCURACY=float("-inf") if m.accuracy is None else m.accuracy,
                C_VALUE=-1.0 if m.diff_value is None else abs(m.diff_value),  # costly first
                C_RECOUNT=recount_text(m))
    return keys[column]


def _count_values(c: SummaryCount) -> list[Any]:
    return _row(C_COUNTERS=c.counter, C_LOCATION=c.location,
                C_EXPRESSION="location only" if c.location_only else (c.expression or ""),
                C_COUNTED="" if c.quantity is None else format_quantity(c.quantity),
                C_NOTES=" · ".join(c.extras()))


def _earlier_values(e: EarlierResult) -> list[Any]:
    return _row(C_MATERIAL=f"earlier count {e.count_date:%m-%d}",
                C_COUNTED=format_quantity(e.count_total), C_SAP=format_quantity(e.sap_total),
                C_DIFF=format_quantity(e.count_total - e.sap_total),
                C_ACCURACY="—" if e.accuracy is None else f"{e.accuracy:.2f}")


def _tooltip(m: SummaryMaterial) -> str:
    lines = [f"{m.material} ({m.org})", m.description or ""]
    if m.band:
        lines.append(f"Accuracy {m.accuracy:.2f} % is {BAND_WORD[m.band]}")
    if m.unit_value is not None:
        lines.append(f"Unit value {m.unit_value:,.4g} {m.currency or ''}: difference worth "
                     f"{money(m.diff_value, m.currency)}")
    else:
        lines.append("No price in the material master: the difference has no value")
    if m.recount:
        lines.append("Flagged for recount: select it, then Approve or Recount")
    for e in m.earlier:
        lines.append(f"Recount of {e.count_date.isoformat()}: counted then "
                     f"{format_quantity(e.count_total)}, now {format_quantity(m.count_total)}")
    if m.scheduled:
        lines.append(f"Scheduled counter: {m.scheduled_counter or '—'}")
    for label, value in (("Requestor", m.requestor), ("Priority", m.priority),
                         ("Reason", m.reason), ("Schedule notes", m.schedule_notes),
                         ("Material notes", m.material_notes)):
        if value:
            lines.append(f"{label}: {value}")
    lines.append("Double-click to open the material.")
    return "\n".join(x for x in lines if x)


class SummaryTreeModel(QAbstractItemModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.summary: CountSummary | None = None
        self.root = build_tree(None)
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)

    def set_summary(self, summary: CountSummary | None) -> None:
        self.beginResetModel()
        self.summary = summary
        self.root = build_tree(summary)
        self.endResetModel()

    # ---- structure ------------------------------------------------------------------------
    def node(self, index: QModelIndex) -> Node:
        return index.internalPointer() if index.isValid() else self.root

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        node = self.node(parent)
        if 0 <= row < len(node.children) and 0 <= column < len(COLUMNS):
            return self.createIndex(row, column, node.children[row])
        return QModelIndex()

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        up = index.internalPointer().parent
        if up is None or up is self.root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section in NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # ---- content --------------------------------------------------------------------------
    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node, col = index.internalPointer(), index.column()
        if role == KIND_ROLE:
            return node.kind
        if node.kind in ("org", "section"):
            if role == Qt.ItemDataRole.DisplayRole:
                return node.label if col == 0 else None
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            if role == SORT_ROLE:
                return node.row
            return None
        if node.kind == "material":
            return self._material_data(node.payload, col, role)
        if node.kind == "earlier":
            return self._earlier_data(node.payload, node.parent.payload, col, role)
        if node.parent.kind == "earlier":  # a line of the earlier count: italic like its head
            if role == Qt.ItemDataRole.FontRole:
                return self._italic
            return self._count_data(node.payload, node.parent.parent.payload, col, role)
        return self._count_data(node.payload, node.parent.payload, col, role)

    def _earlier_data(self, e: EarlierResult, m: SummaryMaterial, col: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return _earlier_values(e)[col]
        if role == MATERIAL_ID_ROLE:
            return m.material_id
        if role == SORT_ROLE:
            return -1  # before the recount's own lines
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            return self._italic
        return None

    def _material_data(self, m: SummaryMaterial, col: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return _material_values(m)[col]
        if role == SORT_ROLE:
            return _material_sort(m, col)
        if role == MATERIAL_ID_ROLE:
            return m.material_id
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if col == C_ACCURACY and m.band:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(BAND_COLORS[m.band])
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("black"))
        if col == C_RECOUNT and m.recount:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(RECOUNT_COLOR)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("black"))
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(m)
        if role == Qt.ItemDataRole.FontRole and col == 0:
            return self._bold
        return None

    def _count_data(self, c: SummaryCount, m: SummaryMaterial, col: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return _count_values(c)[col]
        if role == MATERIAL_ID_ROLE:
            return m.material_id
        if role == SORT_ROLE:
            return c.id
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _count_text(c)
        return None


class SummarySortProxy(QSortFilterProxyModel):
    """Sorts materials by the clicked column; organizations, sections and count lines keep the
    report's order whichever way the sort goes."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:
        kind = left.data(KIND_ROLE)
        if kind != "material":
            a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
            return (a < b) if self.sortOrder() == Qt.SortOrder.AscendingOrder else (a > b)
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if isinstance(a, str) or isinstance(b, str):
            return str(a) < str(b)
        return a < b
