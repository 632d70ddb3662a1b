"""Count Sheets: choose the date (next workday by default), by counter or walk order, blind or
not, and the paper; the pages show at once in the preview beside the options, exactly as they
will print; Print… and Save PDF… send the same pages to the printer or a file.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintPreviewWidget
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.reports import worksheet
from ...core.services import schedule
from ...core.services.fields import plural
from .. import settings
from ..printing import printer
from ..printing.output import PAGE_SIZES, preferred_page_size
from ..printing.worksheet_doc import UNASSIGNED, WorksheetDocument
from .common import date_edit, from_qdate, to_qdate
from .report_base import ReportScreen, day_text

PAPER_NAMES = {"letter": "Letter (8.5 × 11 in)", "a4": "A4 (210 × 297 mm)"}


class CountSheetsScreen(ReportScreen):
    title_text = "Count Sheets"
    job_key = "worksheet"  # task-log names report-worksheet-pdf, -xlsx, -print

    def __init__(self, ctx, parent=None, count_date=None) -> None:
        super().__init__(ctx, parent)
        self.export_button.hide()  # count sheets are paper; the data export is the summary's
        if count_date is None:
            count_date = ctx.read(schedule.next_workday, owner=self)
        self.date = date_edit(count_date, self)
        self.by_counter = QRadioButton("By counter")
        self.by_location = QRadioButton("By location (walk order)")
        self.by_counter.setChecked(True)
        self.order = QButtonGroup(self)
        self.order.addButton(self.by_counter)
        self.order.addButton(self.by_location)
        self.blind = QCheckBox("Blind count (no SAP quantity on the sheets)")
        self.paper = QComboBox()
        for key in PAGE_SIZES:
            self.paper.addItem(PAPER_NAMES[key], key)
        self.paper.setCurrentIndex(max(0, self.paper.findData(preferred_page_size())))

        options = QFormLayout()
        options.addRow("Count date", self.date)
        options.addRow("Order", self.by_counter)
        options.addRow("", self.by_location)
        options.addRow("", self.blind)
        options.addRow("Paper", self.paper)
        self.counters = QTableWidget(0, 3)
        self.counters.setHorizontalHeaderLabels(["Counter", "Materials", "Never counted"])
        self.counters.verticalHeader().hide()
        self.counters.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.counters.horizontalHeader().setStretchLastSection(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(options)
        left_layout.addWidget(QLabel("Scheduled for this date"))
        left_layout.addWidget(self.counters, 1)

        self.printer = printer.make_printer(preferred_page_size(), title="Count sheets")
        self.preview = QPrintPreviewWidget(self.printer)
        self.preview.setZoomMode(QPrintPreviewWidget.ZoomMode.FitToWidth)
        self.preview.paintRequested.connect(self._paint_preview)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 900])
        self.splitter = splitter
        settings.restore_splitter(splitter, "count_sheets")
        self.body.addWidget(splitter, 1)
        self.pages = 0

        self.date.dateChanged.connect(lambda _d: self.load())
        self.order.buttonToggled.connect(lambda _b, on: on and self.load())
        self.blind.toggled.connect(lambda _on: self.load())
        self.paper.currentIndexChanged.connect(self._paper_changed)
        self.load()

    # ---- the report -----------------------------------------------------------------------
    def options(self) -> dict:
        return {"count_date": from_qdate(self.date.date()),
                "by": worksheet.BY_LOCATION if self.by_location.isChecked()
                else worksheet.BY_COUNTER,
                "blind": self.blind.isChecked()}

    @staticmethod
    def fetch(session, count_date, by, blind):
        return worksheet.build(session, count_date, by=by, blind=blind)

    def show_report(self, sheet) -> None:
        self.set_title(f"Count Sheets {sheet.count_date.isoformat()}")
        doc = WorksheetDocument(sheet)
        rows = []
        for counter, items in doc.counters():
            mats = items if sheet.by == worksheet.BY_COUNTER else {
                m.schedule_id: m for _loc, ms in items for m in ms}.values()
            mats = list(mats)
            rows.append((counter or UNASSIGNED, len(mats),
                         sum(1 for m in mats if not m.last_found_at)))
        self.counters.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.counters.setItem(r, c, item)
        self.preview.updatePreview()
        self.pages = self.preview.pageCount()
        sap = "blind: no SAP quantities" if sheet.blind else "SAP date " + ", ".join(
            f"{org} {day_text(d)}" for org, d in sorted(sheet.sap_dates.items()))
        self.status.setText(f"{plural(sheet.material_count, 'material')} scheduled for "
                            f"{day_text(sheet.count_date)} · "
                            f"{plural(len(rows), 'counter section')} · "
                            f"{plural(self.pages, 'page')} · {sap}")

    def _paint_preview(self, target) -> None:
        if self.report is not None:
            printer.paint_on(self.document(self.report), target, self)

    def _paper_changed(self) -> None:
        key = self.paper.currentData()
        settings.put(settings.PAGE_SIZE, key)
        from ..printing.output import page_layout

        self.printer.setPageLayout(page_layout(key))
        if self.report is not None:
            self.show_report(self.report)

    def document(self, report):
        return WorksheetDocument(report)

    def file_stem(self) -> str:
        o = self.options()
        return (f"Count Sheets {o['count_date'].isoformat()} by {o['by']}"
                + (" blind" if o["blind"] else ""))

    def open_with(self, count_date=None, **_kwargs) -> None:
        if count_date is not None:
            self.date.setDate(to_qdate(count_date))

    # Printed or saved sheets are recorded (audit log), so the "count sheets not printed for
    # tomorrow" alert knows - the task log is a file on this PC the server cannot read.
    def print_report(self) -> None:
        if self.report is None:
            return
        from ...core.reports import row_count

        pages = printer.print_with_dialog(self.document(self.report), self,
                                          job=f"report-{self.job_key}-print", actor=self.ctx.actor,
                                          rows=row_count(self.report))
        if pages:
            self._record_printed("print", pages)

    def _saved(self, path: str, pages: int | None = None) -> None:
        super()._saved(path, pages)
        if pages:
            self._record_printed("pdf", pages)

    def _record_printed(self, how: str, pages: int) -> None:
        from ...core.alerts.rules import record_sheets_printed

        # quiet: the sheets are printed; a lost note is logged, not an error
        self.ctx.op(record_sheets_printed, self.ctx.actor, self.report.count_date, how, pages,
                    owner=self, quiet=True, what="recording the printed count sheets")

    def focus_first(self) -> None:
        self.date.setFocus()

    def save_state(self) -> None:
        settings.save_splitter(self.splitter, "count_sheets")


if __name__ == "__main__":  # pragma: no cover
    from ..standalone import run_screen

    sys.exit(run_screen("count_sheets", sys.argv[1:]))
