"""The pages of the import wizard: file, sheet and columns, check, confirm, import, result.

Pages keep their choices in the wizard's ImportOptions and do their reading and importing on
the desktop's background runner (AppContext.runner); nothing slow runs on the GUI thread.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFrame, QGridLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QProgressBar,
                               QPushButton, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget, QWizard, QWizardPage)

from ...core import clock
from ...core.errors import WicsError
from ...core.imports.cells import show
from ...core.imports.reader import column_letter
from ...core.services.fields import plural
from .. import errors, settings
from ..forms.common import Banner, date_edit, from_qdate, to_qdate
from ..forms.rows_table import Col, RowsModel, make_table
from ..workers import wrote_file
from . import import_jobs

FILE_FILTER = "Spreadsheets (*.xlsx *.xlsm *.xls *.xlsb *.ods *.csv *.txt);;All files (*)"
SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".txt"}
NOT_READ = "(not read)"
UPDATE_LABELS = {"Description": "Description", "SAPMaterialType": "SAP material type",
                 "SAPMaterialGroup": "SAP material group", "SAPManuf": "SAP manufacturer",
                 "SAPMPN": "SAP MPN", "SAPABC": "SAP ABC designation",
                 "Price": "Price, price unit and currency"}

ERROR_COLUMNS = [Col("Row", lambda e: e.row, numeric=True, width=60),
                 Col("Column", lambda e: e.column, width=140),
                 Col("Value", lambda e: e.value,
                     lambda e: "" if e.value in (None, "") else show(e.value), width=140),
                 Col("Problem", lambda e: e.message, width=520)]


def _things(result, n: int) -> str:
    """'3 counts' or '3 schedule entries': what an import of that kind stores."""
    if result.kind == "schedule":
        return plural(n, "schedule entry", "schedule entries")
    return plural(n, "count")


def _bold(label: QLabel) -> QLabel:
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

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if dropped_file(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
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

class FilePage(QWizardPage):
    def __init__(self, wizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Choose the file")
        self.setSubTitle(wizard.kind.what)
        self.path = QLineEdit()
        self.path.setPlaceholderText("Path of the spreadsheet")
        self._complete = False
        self.path.textChanged.connect(self._path_changed)
        self.path.returnPressed.connect(self._enter)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        self.drop = DropZone()
        self.drop.dropped.connect(self.path.setText)
        self.last = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.drop)
        layout.addWidget(self.last)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        if self.w.kind.needs_date:
            with self.w.ctx.session() as s:
                uploads = import_jobs.sap_uploads(s)
            self.w.uploads = uploads
            if uploads:
                day = max(uploads)
                self.last.setText(f"Last SAP upload: {day:%a} {day.isoformat()} "
                                  f"({uploads[day]:,} rows).")
            else:
                self.last.setText("No SAP stock on hand has been uploaded yet.")

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.w.kind.title,
                                              settings.last_folder("import"), FILE_FILTER)
        if path:
            self.path.setText(path)

    def isComplete(self) -> bool:  # noqa: N802
        return Path(self.path.text().strip()).is_file()

    def _path_changed(self) -> None:
        """Tell the wizard only when the answer changes: each completeChanged makes QWizard
        redo its buttons, and that took the focus away from the box after one typed key."""
        complete = self.isComplete()
        if complete == self._complete:
            return
        self._complete = complete
        typing = self.path.hasFocus()
        self.completeChanged.emit()
        if typing and not self.path.hasFocus():
            self.path.setFocus(Qt.FocusReason.OtherFocusReason)

    def _enter(self) -> None:
        """Enter in the file box is Next (the wizard sits in a tab: no default button)."""
        if self.isComplete():
            self.wizard().next()

    def validatePage(self) -> bool:  # noqa: N802
        path = self.path.text().strip()
        if path != self.w.options.path:
            self.w.options = import_jobs.ImportOptions(path=path)
            self.w.overrides_for_sheet.clear()
        settings.remember_folder("import", path)
        return True


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

    def initializePage(self) -> None:  # noqa: N802
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
            self.mapping.setItem(j, 0, _item(column_letter(j)))
            self.mapping.setItem(j, 1, _item(header))
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
                    self.rows.setItem(i, j, _item(show(value)))
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

    def isComplete(self) -> bool:  # noqa: N802
        return (not self.loading and self.preview is not None
                and self.preview.header_row is not None and not self.problem_text())

    def validatePage(self) -> bool:  # noqa: N802
        o = self.w.options
        o.sheet = self.preview.sheet
        o.headers = self.overrides()
        self.w.overrides_for_sheet[o.sheet] = dict(o.headers)
        return True


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


# ---- shared: a run of the import on the runner ---------------------------------------------

class RunningMixin:
    """Start run_import on the runner and follow it with a progress bar and a Cancel button."""

    def make_progress(self, layout) -> None:
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar_text = QLabel()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_run)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout.addWidget(self.bar_text)
        layout.addLayout(row)
        self.task = None

    def start(self, trial: bool, on_done) -> None:
        self.bar.setRange(0, 0)
        self.bar.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.bar_text.setText("Starting…")
        self.task = self.w.ctx.runner.submit(
            import_jobs.run_import, self.w.kind.key, self.w.options, trial,
            actor=self.w.ctx.actor, title=self.w.kind.title, owner=self,
            job=import_jobs.job_name(self.w.kind.key, trial), job_summary=import_jobs.fill_task)
        self.task.progressed.connect(self._progress)
        self.task.succeeded.connect(on_done)
        self.task.cancelled.connect(lambda: on_done(None))
        self.task.failed.connect(self._failed_run)
        self.task.finished.connect(self._finished_run)

    def _progress(self, done: int, total: int, text: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, total))
        self.bar_text.setText(f"{text}: {done:,} of {total:,}" if total > 1 else text)

    def cancel_run(self) -> None:
        if self.task is not None and not self.task.done:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.bar_text.setText("Cancelling - undoing what was done so far…")

    def _failed_run(self, failure) -> None:
        """An expected problem (database gone, file vanished) is said on the page; a bug gets
        the error dialog with its copyable report."""
        self.failure = failure
        self.bar_text.setText(f"Failed: {failure.error}")
        if not isinstance(failure.error, WicsError):
            errors.report_unexpected(failure.error, self, failure.traceback,
                                     self.w.kind.title.lower())

    def _finished_run(self) -> None:
        self.bar.hide()
        self.cancel_button.hide()
        self.run_finished()

    def run_finished(self) -> None:
        self.completeChanged.emit()

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done


# ---- 3. check ---------------------------------------------------------------------------------

class CheckPage(RunningMixin, QWizardPage):
    def __init__(self, wizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Check the rows")
        self.setSubTitle("Every row is checked the way the import will check it; nothing is "
                         "kept yet.")
        self.outcome = None
        self.failure = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.strict = QCheckBox("Import nothing if any row has a problem (strict)")
        self.errors = ErrorsTable(wizard)
        layout = QVBoxLayout(self)
        self.make_progress(layout)
        layout.addWidget(self.summary)
        layout.addWidget(self.strict)
        layout.addWidget(self.errors, 1)

    def initializePage(self) -> None:  # noqa: N802
        self.outcome, self.failure = None, None
        self.errors.set_result(None)
        self.summary.setText("")
        if self.w.kind.needs_date and self.w.options.upload_date is None:
            self.w.options.upload_date = clock.today()
        self.start(True, self._checked)

    def _checked(self, outcome) -> None:
        self.outcome = outcome
        self.bar_text.setText("Check complete: nothing has been written yet.")
        if outcome is None:
            self.summary.setText("Check cancelled. Press Back and Next to check again.")
            return
        self.w.trial = outcome
        r = outcome.result
        self.errors.set_result(r)
        if outcome.rejected:
            self.summary.setText(f"<b>This file cannot be imported:</b> {outcome.rejected}")
            return
        good = r.rows_read - r.rows_ignored - r.rows_rejected
        self.summary.setText(
            f"<b>{r.rows_read:,}</b> rows read · <b>{good:,}</b> can be imported · "
            f"<b>{r.rows_rejected:,}</b> with problems ({plural(len(r.errors), 'problem')}) · "
            f"{r.rows_ignored:,} ignored (blank material or marked to ignore"
            + (f"; {_things(r, r.already_imported)} imported before, not added again"
               + (f", {r.deleted_since:,} of them deleted in WICS since)" if r.deleted_since
                  else ")")
               if r.already_imported else ")")
            + ("<br>This is an <b>errors workbook</b> WICS wrote for a SAP import: its rows "
               "will be <b>added</b> to the snapshot of the date, not replace it."
               if r.errors_workbook else ""))

    def isComplete(self) -> bool:  # noqa: N802
        return self.outcome is not None and not self.outcome.rejected and not self.running

    def validatePage(self) -> bool:  # noqa: N802
        self.w.options.strict = self.strict.isChecked()
        return True


# ---- 4. confirm -------------------------------------------------------------------------------

class ConfirmPage(QWizardPage):
    def __init__(self, wizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Confirm")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b3261e; font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        self.date = self.add = self.mode = None
        if wizard.kind.needs_date:
            self.date = date_edit(clock.today())
            self.date.dateChanged.connect(lambda _d: self._date_changed())
            row = QHBoxLayout()
            row.addWidget(_bold(QLabel("SAP snapshot date")))
            row.addWidget(self.date)
            row.addStretch(1)
            layout.addLayout(row)
            self.add = QCheckBox("Add these rows to that date's snapshot (keep the rows "
                                 "uploaded before; a row with the same stock key replaces "
                                 "its old row)")
            self.add.toggled.connect(lambda _on: self._date_changed())
            layout.addWidget(self.add)
            self.mode = QLabel()
            self.mode.setWordWrap(True)
            layout.addWidget(self.mode)
        layout.addWidget(self.warning)
        self.plan = None
        if wizard.kind.material_master:
            self.plan = MaterialMasterPlan(wizard, self)
            layout.addWidget(self.plan, 1)
        else:
            layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        o, r = self.w.options, self.w.trial.result
        good = r.rows_read - r.rows_ignored - r.rows_rejected
        text = (f"Ready to import <b>{Path(o.path).name}</b> (sheet '{o.sheet}'): "
                f"<b>{plural(good, 'row')}</b>.")
        if r.rows_rejected:
            text += (" Nothing will be written because of the problems (strict)." if o.strict
                     else f" {plural(r.rows_rejected, 'row')} with problems will be left out.")
        self.summary.setText(text)
        if self.date is not None:
            book = bool(r.errors_workbook)
            if book and getattr(self, "_dated_from", None) != o.path:
                # its rows were rejected from the snapshot of that date: start there
                from ...core.imports.errors_book import read_mark

                self._dated_from = o.path
                mark = read_mark(o.path)
                if mark is not None and mark.upload_date is not None:
                    o.upload_date = mark.upload_date
            self.add.blockSignals(True)
            self.add.setChecked(book or o.add)
            self.add.setEnabled(not book)  # an errors workbook is always added
            self.add.blockSignals(False)
            self.date.setDate(to_qdate(o.upload_date or clock.today()))
            self._date_changed()
        if self.plan is not None:
            self.plan.release_keep()
            self.plan.refresh()

    def _date_changed(self) -> None:
        day = from_qdate(self.date.date())
        self.w.options.upload_date = day
        add = self.w.options.add = self.add.isChecked()
        rows = self.w.uploads.get(day)
        book = bool(self.w.trial and self.w.trial.result.errors_workbook)
        when = f"{day:%a} {day.isoformat()}"
        if add:
            self.mode.setText(
                "<b>Mode: add.</b> "
                + ("This file is an errors workbook written by WICS for a SAP import: its "
                   "corrected rows are added to the snapshot, never replacing it. " if book
                   else "")
                + f"The rows are added to the SAP snapshot of {when}; rows with the same "
                "material, plant, storage location, special stock, batch and vendor replace "
                "the old ones, so importing the file twice adds it once."
                + (f" The snapshot has {rows:,} rows now; they are kept." if rows else ""))
        else:
            self.mode.setText(f"<b>Mode: replace.</b> This file becomes the SAP snapshot of "
                              f"{when}.")
        self.warning.setText(f"An SAP upload of {when} already exists ({rows:,} rows). "
                             "Importing replaces it." if rows and not add else "")
        if day > clock.today():
            self.warning.setText((self.warning.text() + " " if rows else "")
                                 + "This date is in the future.")

    def isComplete(self) -> bool:  # noqa: N802
        if self.w.options.strict and self.w.trial and self.w.trial.result.rows_rejected:
            return False
        return self.plan is None or self.plan.confirmed


class MaterialMasterPlan(RunningMixin, QWidget):
    """MM60: which fields to update, keep-missing, and the core's dry run of that choice."""

    def __init__(self, wizard, page: ConfirmPage) -> None:
        super().__init__(page)
        self.w, self.page = wizard, page
        self.ready = False
        self.mass_removal: list[dict] = []
        self.failure = None
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        grid.addWidget(_bold(QLabel("Update existing materials where SAP differs:")), 0, 0, 1, 4)
        for i, name in enumerate(wizard.kind.update_fields):
            box = QCheckBox(UPDATE_LABELS.get(name, name))
            box.toggled.connect(lambda _on: self.refresh())
            self.boxes[name] = box
            grid.addWidget(box, 1 + i // 4, i % 4)
        self.keep = QCheckBox("Keep materials that are missing from the file (remove nothing)")
        self.keep.toggled.connect(lambda _on: self.refresh())
        # A short or truncated file removes most materials: say how many and ask explicitly.
        self.mass = QLabel()
        self.mass.setWordWrap(True)
        self.mass.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.mass_ok = QCheckBox()
        self.mass_ok.toggled.connect(self._mass_confirmed)
        self.mass.hide()
        self.mass_ok.hide()
        self.tabs = QTabWidget()
        self.lists = {}
        for key, cols in (
                ("added", [Col("Material", lambda m: m, width=260)]),
                ("removed", [Col("Material", lambda m: m, width=260)]),
                ("kept", [Col("Material", lambda m: m["material"], width=200),
                          Col("Reason", lambda m: m["reason"], width=420)]),
                ("changed", [Col("Material", lambda m: m["material"], width=180),
                             Col("Field", lambda m: m["field"], width=140),
                             Col("Old", lambda m: m["old"], width=200),
                             Col("New", lambda m: m["new"], width=200)])):
            model = RowsModel(cols, self)
            view, _proxy = make_table(model, f"import_mm60_{key}")
            self.lists[key] = model
            self.tabs.addTab(view, key.title())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addWidget(self.keep)
        layout.addWidget(self.mass)
        layout.addWidget(self.mass_ok)
        self.make_progress(layout)
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        o = self.w.options
        o.update = tuple(k for k, b in self.boxes.items() if b.isChecked())
        o.keep_missing = self.keep.isChecked()
        self.mass_removal = []
        self.mass.hide()
        self.mass_ok.hide()
        self.mass_ok.setChecked(False)  # a new plan needs a new confirmation
        o.allow_mass_removal = False
        if self.running:
            self.task.cancel()
        self.ready = False
        self.page.completeChanged.emit()
        self.start(True, self._planned)

    def _planned(self, outcome) -> None:
        if outcome is None or outcome.rejected:
            if outcome is not None:
                self.bar_text.setText(outcome.rejected)
            return
        r = outcome.result
        for key in ("added", "removed", "kept", "changed"):
            items = getattr(r, key) or []
            self.lists[key].set_rows(items)
            self.tabs.setTabText(list(self.lists).index(key), f"{key.title()} ({len(items):,})")
        verb = "" if r.written else "would be "
        self.bar_text.setText(f"Materials {verb}added {len(r.added or []):,}, removed "
                              f"{len(r.removed or []):,}, kept {len(r.kept or []):,}, "
                              f"changed {r.rows_updated:,}.")
        if r.errors_workbook and not self.keep.isChecked():
            # the corrected rows of an earlier MM60 import: the core removes nothing; say so
            self.forced_keep = True
            self.keep.blockSignals(True)
            self.keep.setChecked(True)
            self.keep.blockSignals(False)
            self.keep.setEnabled(False)
            self.keep.setText("Keep materials that are missing from the file (always, for an "
                              "errors workbook written by WICS)")
        self.mass_removal = list(r.mass_removal or [])
        if self.mass_removal:
            n = len(r.removed or [])
            orgs = "; ".join(f"{m['removed']:,} of the {m['materials']:,} materials of "
                             f"{m['org']} ({m['percent']:g} %)" for m in self.mass_removal)
            self.mass.setText(
                f"This file would remove {orgs} - more than the {r.removal_limit_pct:g} % "
                "allowed without confirmation (parameter MM60-REMOVAL-LIMIT-PCT). Is the file "
                "complete? Check the Removed list, or tick 'Keep materials that are missing'.")
            self.mass_ok.setText(f"Yes, remove {'this' if n == 1 else 'these'} "
                                 f"{plural(n, 'material')} (with their MPNs and photos)")
            self.mass.show()
            self.mass_ok.show()
            self.tabs.setCurrentIndex(list(self.lists).index("removed"))
        self.ready = True
        self.page.completeChanged.emit()

    def release_keep(self) -> None:
        """Undo what an errors workbook did to the keep box (a new file may be any file)."""
        if getattr(self, "forced_keep", False):
            self.forced_keep = False
            self.keep.blockSignals(True)
            self.keep.setChecked(False)
            self.keep.blockSignals(False)
            self.keep.setEnabled(True)
            self.keep.setText("Keep materials that are missing from the file (remove nothing)")

    def _mass_confirmed(self, on: bool) -> None:
        self.w.options.allow_mass_removal = on
        self.page.completeChanged.emit()

    @property
    def confirmed(self) -> bool:
        """Ready, and a mass removal (if any) explicitly confirmed."""
        return self.ready and (not getattr(self, "mass_removal", None)
                               or self.mass_ok.isChecked())

    def run_finished(self) -> None:
        self.page.completeChanged.emit()


# ---- 5. import ----------------------------------------------------------------------------------

class RunPage(RunningMixin, QWizardPage):
    def __init__(self, wizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Importing")
        self.setSubTitle("The rows are written in one transaction: Cancel undoes everything.")
        self.failure = None
        layout = QVBoxLayout(self)
        self.make_progress(layout)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        self.failure = None
        self.w.outcome = None
        self.w.cancelled = False
        self.start(False, self._done)

    def _done(self, outcome) -> None:
        self.w.outcome = outcome
        self.w.cancelled = outcome is None
        if outcome is not None and getattr(outcome, "written", True):
            self.w.ctx.check_alerts("import")  # an SAP upload or counts: alerts open or close

    def _finished_run(self) -> None:
        super()._finished_run()
        if self.failure is not None:
            self.w.failure = self.failure
        self.w.next()

    def isComplete(self) -> bool:  # noqa: N802
        return not self.running and self.task is not None


# ---- 6. result ----------------------------------------------------------------------------------

class ResultPage(QWizardPage):
    def __init__(self, wizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Result")
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.errors = ErrorsTable(wizard)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.details)
        layout.addWidget(self.errors, 1)
        # Without rejected rows the table is hidden: the spare height goes below the text
        # instead of being spread between the lines.
        layout.addStretch(0)
        self.setFinalPage(True)

    def initializePage(self) -> None:  # noqa: N802
        out = self.w.outcome
        if self.w.cancelled:
            self.headline.setText("<h3>Cancelled: nothing was written.</h3>")
            self.details.setText("The import was undone completely. Run it again when ready.")
            self.errors.set_result(None)
            self.errors.setVisible(False)
            return
        if out is None:
            self.headline.setText("<h3>The import failed: nothing was written.</h3>")
            failure = getattr(self.w, "failure", None)
            self.details.setText(str(failure.error) if failure else "")
            self.errors.set_result(None)
            self.errors.setVisible(False)
            return
        r = out.result
        if out.rejected:
            self.headline.setText(f"<h3>Nothing was written.</h3>{out.rejected}")
        else:
            self.headline.setText(f"<h3>Imported {Path(r.file).name}.</h3>")
        lines = [f"Rows read {r.rows_read:,} · added {r.rows_added:,} · updated "
                 f"{r.rows_updated:,} · removed {r.rows_removed:,} · ignored "
                 f"{r.rows_ignored:,} · rejected {r.rows_rejected:,}"]
        if r.upload_date and r.written and r.mode == "add":
            lines.append(f"Added to the SAP snapshot of {r.upload_date:%a} "
                         f"{r.upload_date.isoformat()}; {plural(r.rows_updated, 'row')} with the "
                         "same stock key replaced, the rest of the snapshot kept.")
        elif r.upload_date and r.written:
            replaced = (f", replacing the {plural(r.rows_removed, 'row')} uploaded before for "
                        "that date" if r.rows_removed else "")
            lines.append(f"SAP snapshot of {r.upload_date:%a} {r.upload_date.isoformat()}"
                         f"{replaced}.")
        if r.already_imported:
            n = r.already_imported
            lines.append(f"{_things(r, n)} of this file {'was' if n == 1 else 'were'} "
                         "imported before and not added again.")
            if r.deleted_since:
                lines.append(r.deleted_since_text())
        if r.kind == "mm60":
            lines.append(f"Materials added {len(r.added or []):,}, removed "
                         f"{len(r.removed or []):,}, kept {len(r.kept or []):,}, fields "
                         f"changed {len(r.changed or []):,}.")
        self.details.setText("\n".join(lines))
        self.errors.set_result(r)
        self.errors.setVisible(bool(r.errors))
