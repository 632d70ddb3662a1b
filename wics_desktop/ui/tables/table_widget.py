"""QueryTableWidget: a QueryTableModel with everything a list needs around it.

Quick-filter box, per-column filter boxes, a column chooser (header right-click), copy of the
selection (Ctrl+C, as tab-separated text that pastes into Excel), export to xlsx, a live row
count, row actions (double-click = the first one), and the column layout remembered per list.
Used by the list screens and inside forms (a material's count history is the same widget).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.clock import today
from ...core.lists.export import ExportColumn, default_file_name, export_where_reports_read
from ...core.services.fields import plural
from .. import errors, settings
from ..workers import TaskRunner, wrote_file
from .filter_header import FilterHeader
from .query_model import ROW_ID_ROLE, QueryTableModel, TableSpec

QUICK_DELAY_MS = 300


@dataclass
class RowAction:
    text: str
    callback: Callable[[list], None]  # gets the selected row ids
    shortcut: str | None = None
    needs_selection: bool = True
    single: bool = False  # only with exactly one row selected
    action: QAction | None = None


class QueryTableWidget(QWidget):
    status_message = Signal(str)
    activated = Signal(object)  # row id of a double-clicked / Enter-pressed row

    def __init__(self, spec: TableSpec, runner: TaskRunner, parent: QWidget | None = None, *,
                 show_toolbar: bool = True, show_filters: bool = True) -> None:
        super().__init__(parent)
        self.spec = spec
        self.runner = runner
        self.model = QueryTableModel(spec, runner, self)
        self.row_actions: list[RowAction] = []

        self.view = QTableView(self)
        self.header = FilterHeader(self.view)
        self.view.setHorizontalHeader(self.header)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table, as in a form
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(
            self.view.fontMetrics().height() + 8)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._row_menu)
        # activated = Enter on a row, or a double-click (a single click where the platform
        # activates on single click): the first row action
        self.view.activated.connect(self._double_clicked)
        self.view.horizontalScrollBar().valueChanged.connect(self.header.adjust_positions)
        self.header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.header.customContextMenuRequested.connect(self._header_menu)
        self.header.filter_edited.connect(
            lambda col, text: self.model.set_column_filter(spec.columns[col].key, text))
        self.header.set_filter_boxes([c.filterable for c in spec.columns],
                                     [self._filter_tip(c) for c in spec.columns])
        self.header.set_filters_visible(show_filters)
        self.model.filter_error.connect(self._filter_error)
        self.model.total_changed.connect(self._update_count)
        self.model.loading_changed.connect(lambda _l: self._update_count(self.model.total))
        self.model.rowsInserted.connect(lambda *_: self._update_count(self.model.total))
        self.model.failed.connect(lambda f: errors.handle(f.error, self, f"loading {spec.title}",
                                                           f.traceback))

        # toolbar: quick filter, screen-specific widgets, row count, buttons
        self.quick = QLineEdit(self)
        self.quick.setPlaceholderText(f"Search {spec.title}...  (Ctrl+F)")
        self.quick.setClearButtonEnabled(True)
        self.quick.setMinimumWidth(240)
        self.quick.setAccessibleName(f"Search {spec.title}")
        self._quick_timer = QTimer(self)
        self._quick_timer.setSingleShot(True)
        self._quick_timer.setInterval(QUICK_DELAY_MS)
        self._quick_timer.timeout.connect(lambda: self.model.set_quick_filter(self.quick.text()))
        self.quick.textChanged.connect(lambda _t: self._quick_timer.start())
        self.quick.returnPressed.connect(self._quick_now)
        self.quick.setVisible(any(c.quick for c in spec.columns))
        self.count_label = QLabel(self)
        self.count_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.toolbar = QHBoxLayout()
        self.toolbar.setContentsMargins(0, 0, 0, 0)
        self.toolbar.addWidget(self.quick, 2)
        self._extra_at = 1
        self.toolbar.addStretch(1)
        self.toolbar.addWidget(self.count_label)
        for text, tip, slot in (("Columns", "Show or hide columns", self.choose_columns),
                                ("Export...", "Export these rows to an Excel file",
                                 self.export_dialog)):
            btn = QToolButton(self)
            btn.setText(text)
            btn.setToolTip(tip)
            btn.clicked.connect(slot)
            self.toolbar.addWidget(btn)
        bar = QWidget(self)
        bar.setLayout(self.toolbar)
        bar.setVisible(show_toolbar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(bar)
        layout.addWidget(self.view, 1)

        self._add_standard_actions()
        self._apply_default_widths()
        if not settings.restore_header(self.header, spec.key):
            for i, c in enumerate(spec.columns):
                self.header.setSectionHidden(i, not c.visible)
        self.header.adjust_positions()
        if spec.default_sort and self.model.state.sort_key:
            self.header.setSortIndicator(spec.index_of(self.model.state.sort_key),
                                         Qt.SortOrder.DescendingOrder if self.model.state.descending
                                         else Qt.SortOrder.AscendingOrder)
        self.header.setSortIndicatorShown(True)
        self.view.setSortingEnabled(True)  # header clicks -> model.sort -> ORDER BY in SQL
        self._update_count(None)

    # ---- setup -------------------------------------------------------------------------
    def start(self) -> None:
        self.model.start()

    def add_toolbar_widget(self, widget: QWidget) -> None:
        self.toolbar.insertWidget(self._extra_at, widget)
        self._extra_at += 1

    def add_row_action(self, text: str, callback: Callable[[list], None], *,
                       shortcut: str | QKeySequence | None = None, single: bool = False,
                       needs_selection: bool = True) -> QAction:
        act = QAction(text, self)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        ra = RowAction(text, callback, shortcut, needs_selection, single, act)
        act.triggered.connect(lambda: self._run_action(ra))
        self.view.addAction(act)
        self.row_actions.append(ra)
        return act

    def _add_standard_actions(self) -> None:
        copy = QAction("Copy", self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(lambda: self.copy_selection(False))
        self.view.addAction(copy)
        self._copy_action = copy

    def _apply_default_widths(self) -> None:
        """Wide enough for the title (and its sort arrow) and for typical values."""
        fm, hm = self.view.fontMetrics(), self.header.fontMetrics()
        digit = fm.horizontalAdvance("0")
        samples = {"date": "2026-11-20", "datetime": "2026-11-20 23:59"}
        for i, c in enumerate(self.spec.columns):
            width = c.width * digit + 16
            if c.kind in samples:
                width = max(width, fm.horizontalAdvance(samples[c.kind]) + 20)
            width = max(width, hm.horizontalAdvance(c.title) + 30)
            self.header.resizeSection(i, width)

    @staticmethod
    def _filter_tip(col) -> str:
        if not col.filterable:
            return ""
        if col.kind == "text":
            return "abc contains · =abc exactly · ^abc starts with · !abc does not contain"
        if col.kind == "bool":
            return "yes or no"
        if col.kind in ("date", "datetime"):
            return "2026-11-20 · >=2026-11-01 · 2026-11-01..2026-11-30 · = blank"
        return "5 · >5 · <=10 · 5..10 · !0 · = blank"

    # ---- state -------------------------------------------------------------------------
    def save_state(self) -> None:
        settings.save_header(self.header, self.spec.key)

    def _update_count(self, total) -> None:
        loaded = self.model.rowCount()
        noun = self.spec.noun
        if total is None:
            text = f"{loaded:,} {noun} loaded, counting..." if loaded else "loading..."
        elif total == loaded:
            text = f"{total:,} {noun}"
        else:
            text = f"{total:,} {noun} ({loaded:,} loaded)"
        filtered = bool(self.model.state.filters or self.model.state.quick.strip())
        self.count_label.setText(text + ("  - filtered" if filtered else ""))

    def _filter_error(self, key: str, message: str) -> None:
        if key:
            self.header.mark_invalid(self.spec.index_of(key), message)

    # ---- selection ---------------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        sel = self.view.selectionModel()
        rows = sorted({i.row() for i in sel.selectedRows()}) if sel else []
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        return rows

    def selected_ids(self) -> list:
        return [self.model.row_id(r) for r in self.selected_rows()]

    def current_id(self):
        ids = self.selected_ids()
        return ids[0] if ids else None

    def select_id(self, row_id) -> bool:
        row = self.model.find_row(row_id)
        if row < 0:
            return False
        idx = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(idx)
        return True

    # ---- actions -----------------------------------------------------------------------
    def _run_action(self, ra: RowAction) -> None:
        ids = self.selected_ids()
        if ra.needs_selection and not ids:
            self.status_message.emit("Select a row first.")
            return
        if ra.single and len(ids) > 1:
            ids = ids[:1]
        ra.callback(ids)

    def _double_clicked(self, index: QModelIndex) -> None:
        row_id = self.model.data(index, ROW_ID_ROLE)
        self.activated.emit(row_id)
        if self.row_actions:
            self._run_action(self.row_actions[0])

    def _row_menu(self, pos) -> None:
        menu = QMenu(self)
        for ra in self.row_actions:
            menu.addAction(ra.action)
        if self.row_actions:
            menu.addSeparator()
        menu.addAction(self._copy_action)
        menu.addAction("Copy with column titles", lambda: self.copy_selection(True))
        menu.addSeparator()
        menu.addAction("Export to Excel...", self.export_dialog)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def _header_menu(self, pos) -> None:
        menu = QMenu(self)
        self._fill_column_menu(menu)
        menu.addSeparator()
        act = menu.addAction("Show filter boxes")
        act.setCheckable(True)
        act.setChecked(self.header.filters_visible())
        act.toggled.connect(self.header.set_filters_visible)
        menu.addAction("Clear all filters", self.clear_filters)
        menu.addAction("Reset columns", self.reset_columns)
        menu.exec(self.header.mapToGlobal(pos))

    def _fill_column_menu(self, menu: QMenu) -> None:
        for i, c in enumerate(self.spec.columns):
            act = menu.addAction(c.title)
            act.setCheckable(True)
            act.setChecked(not self.header.isSectionHidden(i))
            act.toggled.connect(lambda on, col=i: self.set_column_visible(col, on))

    def choose_columns(self) -> None:
        menu = QMenu(self)
        self._fill_column_menu(menu)
        menu.exec(self.mapToGlobal(self.rect().topRight()))

    def set_column_visible(self, column: int, visible: bool) -> None:
        if not visible and sum(not self.header.isSectionHidden(i)
                               for i in range(self.header.count())) <= 1:
            return  # keep at least one column
        self.header.setSectionHidden(column, not visible)
        self.header.adjust_positions()

    def reset_columns(self) -> None:
        for i, c in enumerate(self.spec.columns):
            self.header.moveSection(self.header.visualIndex(i), i)
            self.header.setSectionHidden(i, not c.visible)
        self._apply_default_widths()
        self.header.adjust_positions()

    def clear_filters(self) -> None:
        for i in range(len(self.spec.columns)):
            self.header.set_filter_text(i, "")
            self.header.mark_invalid(i, "")
        self.quick.blockSignals(True)
        self.quick.clear()
        self.quick.blockSignals(False)
        self.model.clear_filters()

    def _quick_now(self) -> None:
        self._quick_timer.stop()
        self.model.set_quick_filter(self.quick.text())

    def visible_columns(self) -> list[int]:
        """Logical column numbers in the order the user sees them."""
        return [self.header.logicalIndex(v) for v in range(self.header.count())
                if not self.header.isSectionHidden(self.header.logicalIndex(v))]

    # ---- copy and export ---------------------------------------------------------------
    def copy_selection(self, with_titles: bool = False) -> str:
        cols = self.visible_columns()
        lines = []
        if with_titles:
            lines.append("\t".join(self.spec.columns[c].title for c in cols))
        for r in self.selected_rows():
            lines.append("\t".join(
                (self.model.data(self.model.index(r, c)) or "").replace("\t", " ")
                .replace("\n", " ") for c in cols))
        text = "\n".join(lines)
        QGuiApplication.clipboard().setText(text)
        n = len(lines) - (1 if with_titles else 0)
        self.status_message.emit(f"Copied {n:,} row{'s' if n != 1 else ''}.")
        return text

    def export_columns(self) -> list[ExportColumn]:
        char = max(1, self.view.fontMetrics().averageCharWidth())
        return [ExportColumn(c + 1, self.spec.columns[c].title, self.spec.columns[c].kind,
                             self.header.sectionSize(c) // char)
                for c in self.visible_columns() if self.spec.columns[c].export]

    def export_dialog(self) -> None:
        folder = settings.last_folder("export")
        name = default_file_name(self.spec.title, today())
        path, _ = QFileDialog.getSaveFileName(self, f"Export {self.spec.title}",
                                              f"{folder}/{name}", "Excel workbook (*.xlsx)")
        if path:
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            settings.remember_folder("export", path)
            self.export_to(path)

    def export_to(self, path: str):
        """Export every row that matches the filters, in the on-screen order and columns."""
        stmt = self.model.statement()
        # The whole list is a report's kind of read: on the reporting replica where the site
        # has one (core.report_routing), while the rows on screen stay the server's.
        task = self.runner.run(export_where_reports_read, self.runner.database, stmt,
                               self.export_columns(), path, self.spec.title, self.model.total,
                               session=False, title=f"Exporting {self.spec.title}",
                               parent=self, job=f"export-{self.spec.key.replace('_', '-')}-xlsx",
                               job_summary=wrote_file(path))
        task.succeeded.connect(
            lambda n: self.status_message.emit(f"Exported {plural(n, 'row')} to {path}"))
        return task
