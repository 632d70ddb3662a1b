"""One xlsx writer for every report: bold grey header, first row frozen, column widths.

Reports describe their columns once (`Column`) and hand rows of plain values; dates stay dates
and numbers stay numbers, so Excel can sort and sum them.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..xlsx_writer import Header, Styled, XlsxBook

__all__ = ["Column", "Sheet", "Styled", "write_xlsx"]


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 14
    number_format: str | None = None  # e.g. '#,##0.00', 'yyyy-mm-dd'


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]] = field(default_factory=list)


def write_xlsx(path: str | Path, sheets: Sequence[Sheet]) -> Path:
    """Write the sheets to `path` through the one xlsx writer (core.xlsx_writer: text cells
    are never formulas; write-only mode, fast and light on memory for big lists)."""
    book = XlsxBook()
    for sheet in sheets:
        out = book.sheet(sheet.title, [Header(c.header, c.number_format, c.width)
                                       for c in sheet.columns])
        for row in sheet.rows:
            out.append(row)
    return book.save(path)
