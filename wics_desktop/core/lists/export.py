"""Export a list to xlsx from the same column definitions the screen shows.

The desktop runs it on a worker (TaskRunner.run) with its own session, `wics list export` in
the command itself: it streams the query in chunks into the one xlsx writer (core.xlsx_writer,
write-only: memory stays flat for a million rows; text is never a formula), reports progress
and stops (writing nothing) when the user cancels. Header bold on grey, row 1 frozen,
autofilter, real numbers and dates (not text), the column widths the user had on screen (the
command line: the list's default widths).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from ..db import Database
from ..progress import Progress, check_cancel, ensure
from ..xlsx_writer import Header, XlsxBook
from .query import ListQuery, count_rows
from .spec import TableSpec

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


def export_columns(spec: TableSpec, *, all_columns: bool = False) -> list[ExportColumn]:
    """The columns a list exports when nobody arranged them on screen: those shown by
    default (every one with `all_columns`), at their default widths."""
    return [ExportColumn(i + 1, c.title, c.kind, c.width) for i, c in enumerate(spec.columns)
            if c.export and (c.visible or all_columns)]


def export_list(session: Session, query: ListQuery, path: str | Path,
                columns: list[ExportColumn] | None = None,
                progress: Progress | None = None) -> int:
    """Export every row of the list that matches its filters, in its sort order: what the
    desktop's Export writes for the same list, filters and sort. Returns the rows written."""
    total = count_rows(session, query.statement(ordered=False))
    return export_xlsx(session, query.statement(), columns or export_columns(query.spec),
                       path, query.spec.title, total, progress)


def export_xlsx(session: Session, stmt: Select[Any], columns: list[ExportColumn],
                path: str | Path, sheet_title: str, total: int | None = None,
                progress: Progress | None = None) -> int:
    """Write the rows of `stmt` to `path`; returns the number of rows written."""
    progress = ensure(progress)
    book = XlsxBook()  # the one xlsx road: text is never a formula
    formats = [_FORMATS.get(c.kind) for c in columns]
    sheet = book.sheet(safe_file_name(sheet_title) or "Sheet1",
                       [Header(c.title, f, max(6, min(c.width_chars, 60)))
                        for c, f in zip(columns, formats, strict=True)])
    bools = [n for n, c in enumerate(columns) if c.kind == "bool"]
    indexes = [c.index for c in columns]
    written = 0
    result = session.execute(stmt.execution_options(yield_per=CHUNK))
    for chunk in result.partitions(CHUNK):
        check_cancel(progress)
        for row in chunk:
            values = [row[i] for i in indexes]
            for n in bools:
                values[n] = bool(values[n]) if values[n] is not None else None
            sheet.append(values, formats)
        written += len(chunk)
        progress.step(written, total or written, f"Writing row {written:,}"
                      + (f" of {total:,}" if total else ""))
    check_cancel(progress)
    if written:
        sheet.set_autofilter(len(columns), written + 1)
    book.save(path)  # under a temporary name first: never half a file under the real name
    return written


def export_where_reports_read(primary: Database, stmt: Select[Any], columns: list[ExportColumn],
                              path: str | Path, sheet_title: str, total: int | None = None,
                              progress: Progress | None = None) -> int:
    """`export_xlsx` on the database reports read (core.report_routing): the site's reporting
    replica when one is set and current, else `primary` - an export of a whole list is a
    report's kind of read. Returns the number of rows written."""
    from .. import report_routing

    rows, _header = report_routing.read(primary, export_xlsx, stmt=stmt, columns=columns,
                                        path=path, sheet_title=sheet_title, total=total,
                                        progress=progress)
    return int(rows)
