"""One xlsx writer for every report: bold grey header, first row frozen, column widths.

Reports describe their columns once (`Column`) and hand rows of plain values; dates stay dates
and numbers stay numbers, so Excel can sort and sum them.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputRejected

HEADER_GREY = "808080"


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 14
    number_format: str | None = None  # e.g. '#,##0.00', 'yyyy-mm-dd'


@dataclass(frozen=True)
class Filled:
    """A cell value with a background colour (hex 'F4C7C3'): the count summary's bands."""
    value: object
    fill: str | None = None


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]] = field(default_factory=list)


def _cell_value(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, str, dt.date, dt.datetime)):
        return value
    return str(value)


def write_xlsx(path: str | Path, sheets: Sequence[Sheet]) -> Path:
    """Write the sheets to `path` (write-only mode: fast and light on memory for big lists)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook(write_only=True)
    bold = Font(bold=True, color="FFFFFF")
    grey = PatternFill("solid", start_color=HEADER_GREY, end_color=HEADER_GREY)
    fills: dict[str, PatternFill] = {}
    for sheet in sheets:
        ws = wb.create_sheet(title=sheet.title[:31])
        for i, col in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        ws.freeze_panes = "A2"
        header = []
        for col in sheet.columns:
            cell = WriteOnlyCell(ws, value=col.header)
            cell.font, cell.fill = bold, grey
            header.append(cell)
        ws.append(header)
        formats = [c.number_format for c in sheet.columns]
        for row in sheet.rows:
            out = []
            for value, fmt in zip(row, formats):
                fill = None
                if isinstance(value, Filled):
                    value, fill = value.value, value.fill
                value = _cell_value(value)
                if fill:
                    cell = WriteOnlyCell(ws, value=value)
                    cell.fill = fills.setdefault(fill, PatternFill("solid", start_color=fill,
                                                                   end_color=fill))
                    if fmt:
                        cell.number_format = fmt
                    out.append(cell)
                elif fmt or isinstance(value, dt.date):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = fmt or "yyyy-mm-dd"
                    out.append(cell)
                else:
                    out.append(value)
            ws.append(out)
        if sheet.columns:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}1"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
    except OSError as exc:
        raise InputRejected(f"Cannot write {path}: {exc.strerror or exc}") from exc
    return path
