"""Knowing a workbook WICS wrote with the rejected rows of an import (--errors-xlsx).

The round trip: an import rejects some rows, WICS writes them to an errors workbook, the
supervisor corrects them in Excel and imports that workbook again. For sap-soh that second import
must ADD the corrected rows to the date's snapshot - imported the ordinary way it would replace
the whole snapshot with just those rows. So the errors workbook carries a mark: a hidden sheet
MARK_SHEET with "written by", "kind", "upload date" and "source file" rows (Excel keeps hidden
sheets when the workbook is saved again), and its data sheet has the "WICS row" column. Both
must be there for the workbook to count as an errors workbook.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .result import ImportResult  # result.py imports this module when it writes a workbook

__all__ = ["MARK_SHEET", "MARK_TEXT", "ErrorsBookMark", "mark_rows", "read_mark"]

MARK_SHEET = "WICS import"
MARK_TEXT = "WICS errors workbook"


@dataclass(frozen=True)
class ErrorsBookMark:
    kind: str  # the import that wrote it: sap-soh, counts, schedule, mm60
    upload_date: dt.date | None  # sap-soh: the snapshot date of that import
    source: str  # the file name of that import


def mark_rows(result: ImportResult) -> tuple[str, list[list[Any]]]:
    """The hidden sheet's title and rows for an errors workbook of `result` (an ImportResult)."""
    day = result.upload_date.isoformat() if result.upload_date else None
    return MARK_SHEET, [["written by", MARK_TEXT], ["kind", result.kind],
                        ["upload date", day], ["source file", Path(result.file).name]]


def _names_mark_sheet(path: Path) -> bool:
    """Whether the workbook's sheet list (xl/workbook.xml, a few hundred bytes) names the mark
    sheet: opening the workbook itself would parse its shared strings, seconds for a big file."""
    import zipfile
    from xml.sax.saxutils import escape

    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("xl/workbook.xml")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError):
        return False
    return f'name="{escape(MARK_SHEET)}"'.encode() in xml


def read_mark(path: str | Path) -> ErrorsBookMark | None:
    """The mark of an errors workbook at `path`, or None for any other file (or one WICS cannot
    open: the import itself then says what is wrong with it)."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return None
    if not _names_mark_sheet(path):
        return None  # the common case, answered without parsing the workbook
    import python_calamine as calamine

    from .result import ERRORS_ROW_HEADER

    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
    except Exception:  # noqa: BLE001 - any file calamine cannot open is simply no errors book
        return None
    try:
        names = list(workbook.sheet_names)
        if MARK_SHEET not in names or len(names) < 2:
            return None
        mark = workbook.get_sheet_by_name(MARK_SHEET).to_python(nrows=10)
        fields = {str(r[0]).strip(): r[1] for r in mark if len(r) >= 2}
        if fields.get("written by") != MARK_TEXT or not fields.get("kind"):
            return None
        data = workbook.get_sheet_by_name(names[0]).to_python(nrows=1)
        if not data or ERRORS_ROW_HEADER not in [str(c).strip() for c in data[0]]:
            return None  # the mark without the rows' header: someone built a new sheet
        day = fields.get("upload date")
        if isinstance(day, dt.datetime):
            day = day.date()
        elif isinstance(day, str) and day:
            try:
                day = dt.date.fromisoformat(day.strip())
            except ValueError:
                day = None
        elif not isinstance(day, dt.date):
            day = None
        return ErrorsBookMark(str(fields["kind"]).strip(), day,
                              str(fields.get("source file") or ""))
    except Exception:  # noqa: BLE001 - a sheet calamine cannot read: no errors book (the import
        return None  # reads the file again and says what is wrong with it)
    finally:
        workbook.close()
