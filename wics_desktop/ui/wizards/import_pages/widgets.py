"""What the import wizard's pages share: the file types, the problems table with its export,
the drop zone, small label and cell helpers."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ....core.imports.cells import show
from ....core.services.fields import plural
from ... import settings
from ...screens.rows_table import Col, RowsModel, make_table
from ...workers import wrote_file

FILE_FILTER = "Spreadsheets (*.xlsx *.xlsm *.xls *.xlsb *.ods *.csv *.txt);;All files (*)"
SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".txt"}
NOT_READ = "(not read)"

ERROR_COLUMNS = [Col("Row", lambda e: e.row, numeric=True, width=60),
                 Col("Column", lambda e: e.column, width=140),
                 Col("Value", lambda e: e.value,
                     lambda e: "" if e.value in (None, "") else show(e.value), width=140),
                 Col("Problem", lambda e: e.message, width=520)]


def things(result, n: int) -> str:
    """'3 counts' or '3 schedule entries': what an import of that kind stores."""
    if result.kind == "schedule":
        return plural(n, "schedule entry", "schedule entries")
    return plural(n, "count")


def bold(label: QLabel) -> QLabel:
    f = label.font()
    f.setBold(True)
    label.setFont(f)
    return label


class ErrorsTable(QWidget):
    """Every problem, sortable, with the export of the rejected rows to Excel."""

    def __init__(self, wizard, parent=None) -> None:
        super().__init__(parent)
        self.wizard = wizard
        self.result = None
        self.model = RowsModel(ERROR_COLUMNS, self)
        self.view, self.proxy = make_table(self.model, "import_errors")
        self.view.setWordWrap(False)
        self.export = QPushButton("Export problems to Excel…")
        self.export.clicked.connect(lambda: self.export_errors())
        self.export.setEnabled(False)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.export)
        layout.addLayout(row)

    def set_result(self, result) -> None:
        self.result = result
        self.message.setText("")
        self.model.set_rows(result.errors if result else [])
        self.export.setEnabled(bool(result and result.errors))

    def export_errors(self, path: str | None = None) -> None:
        if not self.result:
            return
        if not path:
            stem = Path(self.result.file).stem if self.result.file else "import"
            start = Path(settings.last_folder("export")) / f"{stem} problems.xlsx"
            path, _ = QFileDialog.getSaveFileName(self, "Export problems", str(start),
                                                  "Excel workbooks (*.xlsx)")
            if not path:
                return
            settings.remember_folder("export", path)
        self.wizard.ctx.runner.run(self.result.write_errors_xlsx, path, session=False,
                                   title="Exporting the problems", parent=self,
                                   job=f"import-{self.result.kind}-problems-xlsx",
                                   job_summary=wrote_file(path),
                                   on_result=lambda n: self.message.setText(
                                       f"{n:,} rejected row(s) and every problem written to "
                                       f"{path}. Fix them there and import that file."))


class DropZone(QFrame):
    dropped = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumHeight(90)
        label = QLabel("Drop a spreadsheet here\n(.xlsx, .xlsm, .xls, .csv)")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(label)

    def dragEnterEvent(self, event) -> None:
        if dropped_file(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = dropped_file(event.mimeData())
        if path:
            event.acceptProposedAction()
            self.dropped.emit(path)


def dropped_file(mime) -> str | None:
    for url in mime.urls() if mime.hasUrls() else []:
        path = url.toLocalFile()
        if path and Path(path).suffix.lower() in SUFFIXES:
            return path
    return None


# ---- 1. file ----------------------------------------------------------------------------------


def read_only_item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item
