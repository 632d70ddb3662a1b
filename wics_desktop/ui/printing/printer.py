"""Printing from the desktop: preview and printer through Qt's print system, PDF on a worker.

All three paint the same PagedDocument. The preview repaints itself when the user changes the
paper or orientation in it (the document lays out again for the new page), and painting a
printer happens on the GUI thread (Qt's rule for QPrinter with a dialog); PDF files are written
on the background runner with progress and Cancel.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from .. import errors, settings
from .flow import PagedDocument
from .output import page_layout, preferred_page_size, write_pdf


def make_printer(page_size: str | None = None, landscape: bool = False,
                 title: str = "WICS Desktop") -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout(page_size or preferred_page_size(), landscape))
    printer.setDocName(title)
    return printer


def printer_for(document: PagedDocument) -> QPrinter:
    return make_printer(None, document.landscape, getattr(document, "title", "WICS Desktop"))


def paint_on(document: PagedDocument, printer: QPrinter, parent: QWidget | None = None) -> int:
    """Paint with a wait cursor; a failure becomes a dialog, not a crash. Returns pages."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return len(document.paint(printer).pages)
    except Exception as exc:  # noqa: BLE001 - shown to the user with a copyable report
        errors.handle(exc, parent, "printing")
        return 0
    finally:
        QGuiApplication.restoreOverrideCursor()


class PreviewDialog(QPrintPreviewDialog):
    """The print preview dialog. It OWNS its printer: Qt's dialog keeps only a pointer to the
    QPrinter it is given, so a printer held by a Python local is freed as soon as the caller
    returns and the dialog paints on freed memory (a segfault in QtPrintSupport)."""

    def __init__(self, document: PagedDocument, parent: QWidget | None = None) -> None:
        printer = printer_for(document)
        super().__init__(printer, parent)
        self.printer = printer  # an attribute: it lives exactly as long as the dialog
        self.document = document
        self.setWindowTitle(f"Print preview - {getattr(document, 'title', '')}")
        self.paintRequested.connect(self._paint)
        from ..geometry import fit_to_screen

        fit_to_screen(self, 1000, 800)

    def _paint(self, target: QPrinter) -> None:
        paint_on(self.document, target, self)

    def preview_widget(self) -> QPrintPreviewWidget:
        return self.findChild(QPrintPreviewWidget)

    def render_pages(self) -> int:
        """Lay out and paint every page now (what opening the dialog does); returns pages."""
        widget = self.preview_widget()
        widget.updatePreview()
        return widget.pageCount()


def preview(document: PagedDocument, parent: QWidget | None = None) -> PreviewDialog:
    """The print preview dialog (modal); printing from it prints the same pages."""
    return PreviewDialog(document, parent)


def _exec(dialog) -> bool:
    """Runs a modal dialog; tests replace it to drive the system print dialog unattended."""
    return dialog.exec() == QDialog.DialogCode.Accepted


run_dialog: Callable[[QDialog], bool] = _exec


def print_with_dialog(document: PagedDocument, parent: QWidget | None = None, *,
                      job: str | None = None, actor=None, rows: int = 0,
                      printer: QPrinter | None = None) -> int:
    """The system print dialog, then the printer; returns pages printed (0 when cancelled).

    The printer is held by this frame for as long as the dialog and the painting use it (the
    dialog is parented and deleted here, never left to Python's collector in between).
    With `job`, the printing (not the time spent in the dialog) leaves a task-log line."""
    printer = printer or printer_for(document)
    dlg = QPrintDialog(printer, parent)
    try:
        accepted = run_dialog(dlg)
    finally:
        dlg.deleteLater()
    if not accepted:
        return 0
    if job is None:
        return paint_on(document, printer, parent)
    from ...core import tasklog

    with tasklog.task(job, actor) as handle:
        pages = paint_on(document, printer, parent)
        target = printer.outputFileName() or printer.printerName() or "the printer"
        handle.rows, handle.extra = rows, {"pages": pages, "printer": target}
        handle.detail = f"{pages} pages to {target}"
        if pages == 0:
            handle.outcome = "failed"
    return pages


def ask_pdf_path(parent: QWidget, default_name: str) -> str | None:
    folder = settings.last_folder("pdf")
    path, _ = QFileDialog.getSaveFileName(parent, "Save as PDF", str(Path(folder) / default_name),
                                          "PDF files (*.pdf)")
    if not path:
        return None
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    settings.remember_folder("pdf", path)
    return path


def pdf_job(build: Callable, make_document: Callable) -> Callable:
    """A runner job: `build(session)` the report data, paint `make_document(data)` into `path`.
    Returns the number of pages (plain data back to the GUI thread)."""
    def job(session, path: str, page_size: str, progress=None) -> int:
        data = build(session)
        return len(write_pdf(make_document(data), path, page_size, progress=progress).pages)

    return job
