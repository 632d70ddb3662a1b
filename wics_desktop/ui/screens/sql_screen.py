"""Run SQL (admins): type one SELECT, see the rows in the standard table, export them.

The query runs in the background through core.sql_console, which checks `run_sql`, refuses
anything but a single reading statement, runs it on a connection the database itself keeps
read-only and stops it after SQL-TIME-LIMIT-SECONDS. At most 10,000 rows are shown.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core import params, sql_console
from ...core.lists.export import safe_file_name
from ...core.reports.xlsx import Column as XlsxColumn
from ...core.reports.xlsx import Sheet, write_xlsx
from ...core.services.fields import plural
from .. import settings
from ..screen_base import Screen
from .common import Banner
from .rows_table import Col, RowsModel, make_table

EXAMPLE = ("SELECT o.name AS org, COUNT(*) AS materials\n"
           "FROM materials m JOIN organizations o ON o.id = m.org_id\n"
           "GROUP BY o.name ORDER BY o.name")


def _columns(names: list[str], rows: list[tuple]) -> list[Col]:
    """One column per result column; numbers right-aligned when the column holds numbers."""
    def numeric(i: int) -> bool:
        values = [r[i] for r in rows[:50] if r[i] is not None]
        return bool(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                    for v in values)

    return [Col(name, (lambda r, i=i: r[i]), numeric=numeric(i), width=140)
            for i, name in enumerate(names)]


class SqlScreen(Screen):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.set_title("Run SQL")
        self.result: sql_console.QueryResult | None = None
        self.running = False
        self.banner = Banner(self)
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName("SQL statement")
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setPlainText(settings.get(settings.RUN_SQL_LAST) or EXAMPLE)
        self.run_button = QPushButton("&Run  (Ctrl+Enter)", self)
        self.run_button.clicked.connect(self.run)
        self.export_button = QPushButton("Export to Excel…", self)
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(lambda: self.export_xlsx())
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter the rows shown…")
        self.filter.setClearButtonEnabled(True)
        self.status = QLabel(self)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self.editor, activated=self.run)

        self.model = RowsModel([], self)
        self.view, self.proxy = make_table(self.model, "run_sql")
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)

        note = QLabel("One SELECT (or WITH / EXPLAIN; SHOW on MySQL) at a time, on a read-only "
                      "connection: nothing can be changed from here. A query running longer "
                      "than SQL-TIME-LIMIT-SECONDS is stopped.")
        note.setWordWrap(True)
        note.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.filter, 1)
        buttons.addWidget(self.status)
        buttons.addWidget(self.export_button)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(note)
        top_layout.addWidget(self.editor)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(self.view)
        split.setSizes([160, 440])
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)

    # ---- running ----------------------------------------------------------------------------
    def time_limit(self) -> float:
        try:
            return max(1.0, self.ctx.read(params.get_float, params.SQL_TIME_LIMIT, owner=self))
        except Exception:  # noqa: BLE001 - the default still protects the server
            return 30.0

    def run(self) -> bool:
        if self.running:
            return False
        sql = self.editor.toPlainText()
        settings.put(settings.RUN_SQL_LAST, sql)
        self.running = True
        self.run_button.setEnabled(False)
        self.status.setText("Running…")
        self.banner.clear_message()
        self.ctx.runner.submit(sql_console.run_query, self.ctx.database, self.ctx.actor, sql,
                               seconds=self.time_limit(), session=False, title="Run SQL",
                               owner=self, on_result=self._done, on_error=self._failed)
        return True

    def _done(self, result: sql_console.QueryResult) -> None:
        self.running = False
        self.run_button.setEnabled(True)
        self.result = result
        self.model.beginResetModel()
        self.model.columns = _columns(result.columns, result.rows)
        self.model.rows = list(result.rows)
        self.model.endResetModel()
        for i in range(len(result.columns)):
            self.view.horizontalHeader().resizeSection(i, 140)
        more = " (the first ones: there are more)" if result.truncated else ""
        self.status.setText(f"{plural(len(result.rows), 'row')}{more} in {result.seconds:.2f} s")
        self.export_button.setEnabled(bool(result.columns))

    def _failed(self, failure) -> None:
        self.running = False
        self.run_button.setEnabled(True)
        self.status.setText("")
        self.banner.show_message(str(failure.error), "error")

    # ---- export -------------------------------------------------------------------------------
    def export_xlsx(self, path: str | None = None) -> bool:
        if self.result is None or not self.result.columns:
            return False
        if path is None:
            start = Path(settings.last_folder("export")) / (safe_file_name("Run SQL") + ".xlsx")
            path, _ = QFileDialog.getSaveFileName(self, "Save the rows", str(start),
                                                  "Excel workbooks (*.xlsx)")
            if not path:
                return False
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            settings.remember_folder("export", path)
        sheet = Sheet("Query", [XlsxColumn(c, 18) for c in self.result.columns],
                      self.result.rows)
        self.ctx.runner.run(write_xlsx, path, [sheet], session=False, title="Exporting rows",
                            parent=self, job="run-sql-xlsx",
                            on_result=lambda _r: self.banner.show_message(f"Saved {path}.",
                                                                          "success"))
        return True

    # ---- screen protocol --------------------------------------------------------------------
    def focus_first(self) -> None:
        self.editor.setFocus()

    def refresh(self) -> bool:
        return self.run()

    def is_ready(self) -> bool:
        return not self.running

    def save_state(self) -> None:
        settings.save_header(self.view.horizontalHeader(), "run_sql")


if __name__ == "__main__":  # pragma: no cover - `python -m wics_desktop.ui.screens.sql_screen`
    import sys

    from ..standalone import run_screen

    sys.exit(run_screen("run_sql", sys.argv[1:]))
