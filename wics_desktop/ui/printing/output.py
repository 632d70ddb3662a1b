"""Where printed documents go: a PDF file (QPdfWriter), a printer or the print preview (QPrinter).

The same PagedDocument paints all three, so what the preview shows is what the printer and the
PDF get. Paper is Letter unless the user chose A4 (settings.PAGE_SIZE; CLI --page-size).
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

from ...core.errors import InputRejected
from ...core.progress import Progress
from ..settings import PAGE_SIZE
from .flow import DocumentLayout, PagedDocument

PAGE_SIZES = {"letter": QPageSize.PageSizeId.Letter, "a4": QPageSize.PageSizeId.A4}
DEFAULT_PAGE_SIZE: str = PAGE_SIZE.default  # letter: US warehouses
MARGIN_MM = 12.0
PDF_RESOLUTION = 1200

_app = None  # the QGuiApplication the CLI creates for --pdf (kept alive for the process)


def page_layout(page_size: str = DEFAULT_PAGE_SIZE, landscape: bool = False) -> QPageLayout:
    size = PAGE_SIZES.get((page_size or DEFAULT_PAGE_SIZE).lower())
    if size is None:
        raise InputRejected(f"Unknown page size {page_size!r}; use one of: {', '.join(PAGE_SIZES)}")
    orientation = (QPageLayout.Orientation.Landscape if landscape
                   else QPageLayout.Orientation.Portrait)
    return QPageLayout(QPageSize(size), orientation,
                       QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                       QPageLayout.Unit.Millimeter)


def preferred_page_size() -> str:
    """The user's paper choice (desktop only; reads QSettings)."""
    from .. import settings

    value = str(settings.get(PAGE_SIZE)).lower()
    return value if value in PAGE_SIZES else DEFAULT_PAGE_SIZE


def ensure_gui_application():
    """Fonts and painting need a QGuiApplication; the CLI makes an offscreen one on demand."""
    global _app
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = _app = QGuiApplication(["wics"])
    return app


def write_pdf(document: PagedDocument, path: str | Path, page_size: str = DEFAULT_PAGE_SIZE,
              progress: Progress | None = None) -> DocumentLayout:
    """Paint the document into a PDF file. Written to a temporary name and renamed at the end,
    so a failed or cancelled run never leaves half a file behind."""
    ensure_gui_application()
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputRejected(f"Cannot write {path}: {exc.strerror or exc}") from exc
    part = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(part))
    writer.setResolution(PDF_RESOLUTION)
    writer.setPageLayout(page_layout(page_size, document.landscape))
    writer.setTitle(getattr(document, "title", "WICS Desktop"))
    writer.setCreator("WICS Desktop")
    try:
        try:
            layout = document.paint(writer, progress=progress)
        except RuntimeError as exc:
            raise InputRejected(f"Cannot write {path}: {exc}") from exc
        del writer  # flushes and closes the file
        os.replace(part, path)
    except BaseException:
        try:
            part.unlink(missing_ok=True)
        except OSError:
            pass
        raise
    return layout
