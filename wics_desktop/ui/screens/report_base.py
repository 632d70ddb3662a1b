"""What every report screen shares: options at the top, the report loaded on a worker, and the
ways out: Export to Excel (the core's xlsx writer), Save PDF, Print preview and Print (the
printing package's renderer, so screen, paper and PDF say the same).

A subclass sets `title_text`, `job_key` (the CLI's report name: its PDF, Excel file and print
leave task-log lines `report-<job_key>-pdf`, `-xlsx`, `-print`), options widgets in
`self.options_bar`, and implements `options()` (plain values read on the GUI thread),
`fetch(session, **options)` (static, runs on a worker), `show_report()`, `document()` and
`write_xlsx()`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...core import clock, report_routing
from ...core.lists.export import safe_file_name
from ...core.reports import row_count
from ...core.services.fields import plural
from .. import errors, settings, shortcuts
from ..printing import printer
from ..printing.output import preferred_page_size
from ..screen_base import Screen
from .common import Banner


class ReportScreen(Screen):
    title_text = "Report"
    job_key = "report"
    # Settings a report reads (bands, day limits): when an admin saves them on this
    # workstation, a report already on screen reloads instead of showing stale colours.
    depends_on = frozenset({"parameters"})

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.set_title(self.title_text)
        self.report = None
        self._generation = 0
        self.loading = False
        ctx.notices.changed.connect(self._settings_changed)

        self.options_bar = QHBoxLayout()
        self.export_button = QPushButton("Export to Excel…")
        self.pdf_button = QPushButton("Save PDF…")
        self.preview_button = QPushButton("Print preview…")
        self.print_button = QPushButton("Print…")
        self.export_button.clicked.connect(lambda: self.export_xlsx())
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        self.preview_button.clicked.connect(self.open_preview)
        self.print_button.clicked.connect(self.print_report)
        self.output_buttons = [self.export_button, self.pdf_button, self.preview_button,
                               self.print_button]
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in self.output_buttons:
            b.setEnabled(False)
            buttons.addWidget(b)
        self.status = QLabel()
        self.banner = Banner()
        top = QHBoxLayout()
        top.addLayout(self.options_bar, 1)
        top.addLayout(buttons)
        self._top, self._buttons = top, buttons
        self.body = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.status)
        for key in shortcuts.keys("print"):
            QShortcut(key, self, self.print_report)

    def buttons_on_their_own_row(self) -> None:
        """For screens with many options: the output buttons go under them, so the two rows
        together fit a 1280-pixel screen beside the navigation."""
        self._top.removeItem(self._buttons)
        self.layout().insertLayout(1, self._buttons)

    # ---- what a subclass defines ---------------------------------------------------------
    # fetch(session, **options) -> report  static; runs on a worker with its own session
    # show_report(report)                  GUI thread: fill the screen's widgets
    # document(report) -> PagedDocument    what Save PDF, Print preview and Print render
    # write_xlsx(report, path)             static; the core's Excel writer, on a worker
    fetch: Callable[..., Any]
    show_report: Callable[[Any], None]
    document: Callable[[Any], Any]
    write_xlsx: Callable[[Any, str], None]

    def options(self) -> dict:
        """The options bar's values as plain Python, read on the GUI thread for fetch()."""
        return {}

    def file_stem(self) -> str:
        return f"{self.title_text} {clock.today().isoformat()}"

    # ---- loading --------------------------------------------------------------------------
    def refresh(self) -> bool:
        self.load()
        return True

    def load(self) -> None:
        """Fetch the report for the current options; a newer request wins over an older one."""
        self._generation += 1
        generation = self._generation
        self.loading = True
        self.status.setText("Loading…")
        # Read where the site says reports read (core.report_routing: a reporting replica
        # when one is set and current, else the server); the answer names where it came from.
        self.ctx.runner.submit(report_routing.read, self.ctx.database, self.fetch,
                               session=False, title=f"Loading {self.title_text}", owner=self,
                               on_result=lambda r: self._loaded(generation, *r),
                               on_error=lambda f: self._failed(generation, f),
                               **self.options())

    def _settings_changed(self, topic: str) -> None:
        if topic in self.depends_on and (self.report is not None or self.loading):
            self.load()

    def _loaded(self, generation: int, report, source: str | None = None) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self.report = report
        self.banner.clear_message()
        for b in self.output_buttons:
            b.setEnabled(True)
        self.show_report(report)
        self.source_note = source
        if source:  # a reporting replica is configured: say where these numbers come from
            self.banner.show_message(source, "info")

    def _failed(self, generation: int, failure) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self.status.setText("")
        self.banner.show_message(f"Could not load the report: {failure.error}", "error")
        errors.handle(failure.error, self, f"loading {self.title_text}", failure.traceback)

    def is_ready(self) -> bool:
        return self.report is not None and not self.loading

    # ---- output ---------------------------------------------------------------------------
    def _ask_path(self, suffix: str, filter_text: str) -> str | None:
        purpose = "pdf" if suffix == ".pdf" else "export"
        start = Path(settings.last_folder(purpose)) / (safe_file_name(self.file_stem()) + suffix)
        path, _ = QFileDialog.getSaveFileName(self, f"Save {self.title_text}", str(start),
                                              filter_text)
        if not path:
            return None
        if not path.lower().endswith(suffix):
            path += suffix
        settings.remember_folder(purpose, path)
        return path

    def export_xlsx(self, path: str | None = None) -> None:
        if self.report is None:
            return
        path = path or self._ask_path(".xlsx", "Excel workbooks (*.xlsx)")
        if path:
            rows = row_count(self.report)
            self.ctx.runner.run(self.write_xlsx, self.report, path, session=False,
                                title=f"Exporting {self.title_text}", parent=self,
                                on_result=lambda _r: self._saved(path),
                                job=f"report-{self.job_key}-xlsx",
                                job_summary=lambda _r, job: _file_written(job, "xlsx", path, rows))

    def save_pdf(self, path: str | None = None) -> None:
        if self.report is None:
            return
        path = path or self._ask_path(".pdf", "PDF files (*.pdf)")
        if not path:
            return
        document = self.document(self.report)
        rows = row_count(self.report)
        self.ctx.runner.run(_write_pdf, document, path, preferred_page_size(), session=False,
                            title=f"Saving {self.title_text} as PDF", parent=self,
                            on_result=lambda pages: self._saved(path, pages),
                            job=f"report-{self.job_key}-pdf",
                            job_summary=lambda pages, job: _file_written(job, "pdf", path, rows,
                                                                          pages))

    def _saved(self, path: str, pages: int | None = None) -> None:
        extra = f" ({plural(pages, 'page')})" if pages else ""
        self.banner.show_message(f"Saved {path}{extra}.", "success")
        self.status_message.emit(f"Saved {path}")

    def open_preview(self) -> None:
        if self.report is not None:
            printer.preview(self.document(self.report), self).exec()

    def print_report(self) -> None:
        if self.report is not None:
            printer.print_with_dialog(self.document(self.report), self,
                                      job=f"report-{self.job_key}-print", actor=self.ctx.actor,
                                      rows=row_count(self.report))


def _file_written(job, kind: str, path: str, rows: int, pages: int | None = None) -> None:
    """A report file's task-log line (as `wics report ... --pdf/--xlsx` writes it): the
    report's material lines as rows, the file (and its pages) as detail and extra."""
    job.rows = rows
    job.detail = path + (f" ({plural(pages, 'page')})" if pages is not None else "")
    job.extra = {kind: path} | ({"pages": pages} if pages is not None else {})


def _write_pdf(document, path: str, page_size: str, progress=None) -> int:
    from ..printing.output import write_pdf

    return len(write_pdf(document, path, page_size, progress=progress).pages)


def day_text(day: dt.date | None) -> str:
    return f"{day:%a} {day.isoformat()}" if day else "none"
