"""Export a list to xlsx from the same column definitions the screen shows.

Runs on a worker (TaskRunner.run) with its own session: streams the query in chunks into an
openpyxl write-only workbook, so memory stays flat for a million rows, reports progress and
stops (writing nothing) when the user cancels. Header bold on grey, row 1 frozen, autofilter,
real numbers and dates (not text), the column widths the user had on screen.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ...core.progress import check_cancel, ensure

CHUNK = 2000
_FORMATS = {"int": "#,##0", "money": "#,##0.00", "float": "#,##0.###", "qty": "#,##0.###",
            "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}


@dataclass(frozen=True)
class ExportColumn:
    index: int  # position of the value in the statement's row (0 is the row id)
    title: str
    kind: str
    width_chars: int


def safe_file_name(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in " -_.()" else "_" for ch in text).strip()


def default_file_name(title: str, today: dt.date) -> str:
    return f"{safe_file_name(title)} {today.isoformat()}.xlsx"


def export_xlsx(session, stmt, columns: list[ExportColumn], path: str, sheet_title: str,
                total: int | None = None, progress=None) -> int:
    """Write the rows of `stmt` to `path`; returns the number of rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    progress = ensure(progress)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=safe_file_name(sheet_title)[:31] or "Sheet1")
    ws.freeze_panes = "A2"
    for n, col in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(n)].width = max(6, min(col.width_chars, 60))
    bold, grey = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="808080")
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=col.title)
        cell.font, cell.fill = bold, grey
        header.append(cell)
    ws.append(header)
    formats = [_FORMATS.get(c.kind) for c in columns]
    written = 0
    result = session.execute(stmt.execution_options(yield_per=CHUNK))
    for chunk in result.partitions(CHUNK):
        check_cancel(progress)
        for row in chunk:
            out = []
            for col, number_format in zip(columns, formats):
                value = row[col.index]
                if col.kind == "bool":
                    value = bool(value) if value is not None else None
                if number_format and value is not None:
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = number_format
                    out.append(cell)
                else:
                    out.append(value)
            ws.append(out)
        written += len(chunk)
        progress.step(written, total or written, f"Writing row {written:,}"
                      + (f" of {total:,}" if total else ""))
    check_cancel(progress)
    if written:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{written + 1}"
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    wb.save(tmp)
    tmp.replace(target)  # never leave a half-written file under the real name
    return written
