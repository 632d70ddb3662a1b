"""Page 2 of the import wizard: the sheet, and which column is which field."""
from __future__ import annotations

from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWizardPage,
)

from ....core.errors import WicsError
from ....core.imports.cells import show
from ....core.imports.reader import column_letter
from ... import errors
from ...screens.common import Banner
from .. import import_jobs
from .widgets import NOT_READ, read_only_item

# ---- 2. sheet and columns -------------------------------------------------------------------

class ColumnsPage(QWizardPage):
    """The sheet, the detected mapping (fixable per column) and the first rows."""

    def __init__(self, wizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Sheet and columns")
        self.setSubTitle("Check how WICS reads the columns. Pick the field for a column WICS "
                         "did not recognise, or set a column to (not read).")
        self.preview = None
        self.auto: list[str | None] = []  # the mapping WICS found by itself
        self.loading = False
        self.sheet = QComboBox()
        self.sheet.activated.connect(lambda _i: self.load(self.sheet.currentText()))
        self.note = Banner()
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b3261e;")
        self.mapping = QTableWidget(0, 3)
        self.mapping.setHorizontalHeaderLabels(["Column", "Header in the file", "Read as"])
        self.mapping.verticalHeader().hide()
        self.mapping.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.mapping.setColumnWidth(0, 64)
        self.mapping.setColumnWidth(2, 220)
        self.mapping.setMinimumWidth(520)
        self.mapping.setWordWrap(False)
        self.rows = QTableWidget(0, 0)
        self.rows.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.rows.setWordWrap(False)
        self.rows_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("Sheet"))
        top.addWidget(self.sheet, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.problems)
        grid = QHBoxLayout()
        grid.addWidget(self.mapping, 1)
        right = QVBoxLayout()
        right.addWidget(self.rows_label)
        right.addWidget(self.rows, 1)
        grid.addLayout(right, 3)
        layout.addLayout(grid, 1)

    def initializePage(self) -> None:
        self.load(self.w.options.sheet)

    def load(self, sheet: str | None) -> None:
        self.loading = True
        self.completeChanged.emit()
        self.problems.setText("Reading the file…")
        self.w.ctx.runner.submit(import_jobs.preview, self.w.kind.key, self.w.options.path,
                                 sheet, session=False, title="Reading the file",
                                 on_result=self._loaded, on_error=self._failed)

    def _failed(self, failure) -> None:
        self.loading = False
        self.preview = None
        self.problems.setText(str(failure.error))
        if not isinstance(failure.error, WicsError):
            errors.handle(failure.error, self, "reading the file", failure.traceback)
        self.completeChanged.emit()

    def _loaded(self, value) -> None:
        preview, note = value
        self.loading = False
        self.preview = preview
        self.auto = list(preview.fields_by_column)
        if note:
            self.note.show_message(note, "warning")
        else:
            self.note.clear_message()
        self.sheet.blockSignals(True)
        self.sheet.clear()
        self.sheet.addItems(preview.sheets or [preview.sheet])
        self.sheet.setCurrentText(preview.sheet)
        self.sheet.setEnabled(len(preview.sheets) > 1)
        self.sheet.blockSignals(False)
        self._fill_mapping()
        self._fill_rows()
        self.refresh()

    def _fill_mapping(self) -> None:
        p, fields = self.preview, self.w.kind.fields
        saved = self.w.overrides_for_sheet.get(p.sheet, {})
        self.mapping.setRowCount(len(p.header_cells))
        self.combos: list[QComboBox] = []
        for j, header in enumerate(p.header_cells):
            self.mapping.setItem(j, 0, read_only_item(column_letter(j)))
            self.mapping.setItem(j, 1, read_only_item(header))
            combo = QComboBox()
            combo.addItem(NOT_READ, None)
            for f in fields:
                combo.addItem(f.header + ("  (required)" if f.required else ""), f.key)
            chosen = saved.get(header, self.auto[j]) if header in saved else self.auto[j]
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.setEnabled(bool(header))
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
            self.mapping.setCellWidget(j, 2, combo)
            self.combos.append(combo)

    def _fill_rows(self) -> None:
        p = self.preview
        width = max([len(p.header_cells)] + [len(r) for r in p.rows])
        self.rows.clear()
        self.rows.setColumnCount(width)
        self.rows.setRowCount(len(p.rows))
        self.rows.setHorizontalHeaderLabels(
            [p.header_cells[j] if j < len(p.header_cells) else column_letter(j)
             for j in range(width)])
        first = (p.header_row or 0) + 1
        self.rows.setVerticalHeaderLabels([str(first + i) for i in range(len(p.rows))])
        for i, row in enumerate(p.rows):
            for j, value in enumerate(row):
                if value not in ("", None):
                    self.rows.setItem(i, j, read_only_item(show(value)))
        self.rows.resizeColumnsToContents()
        for j in range(width):
            self.rows.setColumnWidth(j, min(self.rows.columnWidth(j), 220))
        where = f"row {p.header_row}" if p.header_row else "not found"
        self.rows_label.setText(f"First {len(p.rows)} of {p.data_rows:,} rows "
                                f"(header {where})")

    def chosen(self) -> list[str | None]:
        return [c.currentData() for c in getattr(self, "combos", [])]

    def overrides(self) -> dict[str, str | None]:
        """header as written -> field (None: not read), where the user changed WICS's choice."""
        p = self.preview
        return {p.header_cells[j]: key for j, key in enumerate(self.chosen())
                if key != self.auto[j] and p.header_cells[j]}

    def problem_text(self) -> str:
        p = self.preview
        if p is None:
            return ""
        if p.header_row is None:
            need = ", ".join(f.header for f in self.w.kind.fields if f.required)
            return (f"No header row found in sheet '{p.sheet}': WICS looks for column names "
                    f"(at least {need}) in the first rows. Pick another sheet or fix the file.")
        chosen = self.chosen()
        lines = []
        for f in self.w.kind.fields:
            cols = [column_letter(j) for j, key in enumerate(chosen) if key == f.key]
            if f.required and not cols:
                lines.append(f"No column is read as {f.header} (required): pick it under "
                             "'Read as'.")
            if len(cols) > 1:
                lines.append(f"Columns {' and '.join(cols)} are both read as {f.header}: set "
                             "one of them to (not read).")
        return "\n".join(lines)

    def refresh(self) -> None:
        text = self.problem_text()
        self.problems.setText(text)
        chosen = self.chosen()
        bold = QFont()
        bold.setBold(True)
        for j, key in enumerate(chosen):
            head = self.rows.horizontalHeaderItem(j)
            if head is not None:
                head.setForeground(QBrush(QColor("gray")) if key is None else QBrush())
                head.setToolTip("not read" if key is None else
                                f"read as {self._field_name(key)}")
            for col in (0, 1):
                item = self.mapping.item(j, col)
                if item is not None:
                    item.setForeground(QBrush(QColor("gray")) if key is None else QBrush())
                    item.setFont(bold if key is not None and key != self.auto[j] else QFont())
        self.completeChanged.emit()

    def _field_name(self, key: str) -> str:
        return next(f.header for f in self.w.kind.fields if f.key == key)

    def isComplete(self) -> bool:
        return (not self.loading and self.preview is not None
                and self.preview.header_row is not None and not self.problem_text())

    def validatePage(self) -> bool:
        o = self.w.options
        o.sheet = self.preview.sheet
        o.headers = self.overrides()
        self.w.overrides_for_sheet[o.sheet] = dict(o.headers)
        return True
