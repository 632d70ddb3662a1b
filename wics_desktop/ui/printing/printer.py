"""Printing from the desktop: preview and printer through Qt's print system, PDF on a worker.

All three paint the same PagedDocument. The preview repaints itself when the user changes the
paper or orientation in it (the document lays out again for the new page), and painting a
printer happens on the GUI thread (Qt's rule for QPrinter with a dialog); PDF files are written
on the background runner with progress and Cancel.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QWidget

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


def preview(document: PagedDocument, parent: QWidget | None = None) -> QPrintPreviewDialog:
    """The print preview dialog (modal); printing from it prints the same pages."""
    printer = printer_for(document)
    dlg = QPrintPreviewDialog(printer, parent)
    dlg.setWindowTitle(f"Print preview - {getattr(document, 'title', '')}")
    dlg.paintRequested.connect(lambda p: paint_on(document, p, dlg))
    dlg.resize(1000, 800)
    return dlg


def print_with_dialog(document: PagedDocument, parent: QWidget | None = None, *,
                      job: str | None = None, actor=None, rows: int = 0) -> int:
    """The system print dialog, then the printer; returns pages printed (0 when cancelled).

    With `job`, the printing (not the time spent in the dialog) leaves a task-log line."""
    printer = printer_for(document)
    dlg = QPrintDialog(printer, parent)
    if dlg.exec() != QPrintDialog.DialogCode.Accepted:
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
