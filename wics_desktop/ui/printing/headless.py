"""PDF output for the command line: `wics report worksheet|count-summary --pdf OUT`.

Imported only on the --pdf path, so other commands never load Qt; the offscreen
QGuiApplication that fonts and painting need is created on first use.
"""
from __future__ import annotations

from pathlib import Path

from .output import DEFAULT_PAGE_SIZE, write_pdf


def worksheet_pdf(sheet, path: str | Path, page_size: str = DEFAULT_PAGE_SIZE) -> int:
    """Count sheets to a PDF; returns the number of pages."""
    from .worksheet_doc import WorksheetDocument

    return len(write_pdf(WorksheetDocument(sheet), path, page_size).pages)


def count_summary_pdf(summary, path: str | Path, page_size: str = DEFAULT_PAGE_SIZE) -> int:
    from .summary_doc import CountSummaryDocument

    return len(write_pdf(CountSummaryDocument(summary), path, page_size).pages)


def accuracy_pdf(report, path: str | Path, page_size: str = DEFAULT_PAGE_SIZE) -> int:
    from .accuracy_doc import AccuracyDocument

    return len(write_pdf(AccuracyDocument(report), path, page_size).pages)
