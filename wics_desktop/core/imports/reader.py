"""Reading a sheet's columns: the part every import shares.

Opening the file is workbooks.py's (formats, sizes, reading ahead); the text of formulas is
formulas.py's. This module finds the header row and maps its columns to an import's fields.

Headers: matched to fields ignoring case, spaces and punctuation ("CTD_QTY_Expr", "CTD QTY Expr"
and "ctd qty expr" are one header) and through each field's aliases. The header row is the first
non-blank row if it holds a known header, else the first of the top rows that does (an export may
start with a title line). Everything fatal - not a spreadsheet, missing sheet, no header row,
a required column missing, two columns meaning the same field - raises ImportRejected with every
header problem listed, before any row is looked at.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from .addresses import column_letter, find_sheet_name
from .bounds import DENSE_CELLS
from .cells import text as cell_text
from .formulas import FORMULA_SUFFIXES, FormulaScan, formula_texts
from .result import ImportRejected, ImportResult
from .workbooks import (
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    Faults,
    open_sheet,
    read_ahead,
    reject,
    sheet_names,
)

# Opening files and reading formulas moved to workbooks.py and formulas.py; their names stay
# importable from here, the module every import and the wizard read sheets through.
__all__ = ["Field", "Sheet", "read_sheet", "read_ahead", "normalize_header", "column_letter",
           "formula_texts", "FormulaScan", "sheet_names", "match_header", "map_header",
           "inspect_sheet", "SheetPreview", "HeaderMatch", "find_sheet_name", "CSV_SUFFIXES",
           "EXCEL_SUFFIXES", "FORMULA_SUFFIXES"]

HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Field:
    """One column an import understands. `names[0]` is the header shown in docs and messages."""

    key: str
    names: tuple[str, ...]
    required: bool = False

    @property
    def header(self) -> str:
        return self.names[0]


def normalize_header(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


class Sheet:
    """A sheet's header mapping and its data rows (raw cells, as the reader gave them)."""

    def __init__(self, name: str, header_row: int, header_cells: list[Any],
                 columns: dict[str, int], headers: dict[str, str], fields: Sequence[Field],
                 rows: list[list[Any]], faults: dict[int, dict[int, str]] | None = None
                 ) -> None:
        self.name = name
        self.header_row = header_row  # as Excel numbers it
        self.header_cells = header_cells
        self.columns = columns  # field key -> 0-based column
        self.headers = headers  # field key -> header as written in the sheet
        self._canonical = {f.key: f.header for f in fields}
        self.rows = rows  # every row below the header, blank ones included
        self.width = len(header_cells)
        # Excel row -> 0-based column -> the Excel error ('#N/A') or formula without a value
        # that the reader found there (bounds.py): row errors, never a blank or 0
        self.faults = faults or {}

    def has(self, key: str) -> bool:
        return key in self.columns

    def header(self, key: str) -> str:
        """The column's header as written, or the canonical name when the sheet lacks it."""
        return self.headers.get(key) or self._canonical.get(key, key)

    @property
    def total(self) -> int:
        return len(self.rows)

    def records(self, keys: Sequence[str]) -> Iterator[tuple[int, tuple[Any, ...], list[Any]]]:
        """(Excel row number, values in `keys` order, raw row) for each non-blank row.

        A column the sheet lacks reads as "". A row is blank when every listed column is blank
        (notes in a column WICS does not read do not make a row).
        """
        rows = self.rows
        widest = max((len(r) for r in rows), default=0)
        # Rows as wide as the widest one (a calamine sheet: all of them) get one "" added; rows
        # of a sparse read (bounds.read_xlsx_sparse, .csv) can differ wildly in width, and
        # padding 100,000 rows to one far cell's width would cost gigabytes: then each is cut or
        # padded to the header's width, beyond which no column is read.
        pad = widest if widest * len(rows) <= DENSE_CELLS else self.width
        pad = max(pad, self.width)
        # every raw row gets one "" at index `pad`: the value read for a column the sheet lacks
        indexes = [self.columns.get(k, pad) for k in keys]
        getter = itemgetter(*indexes) if len(indexes) > 1 else (lambda r, i=indexes[0]: (r[i],))
        blank = ("",) * len(keys)
        first = self.header_row + 1
        faults = self.faults
        cut = widest > pad  # some rows reach beyond `pad`: their cell there is not ""
        for offset, raw in enumerate(rows):
            if not raw:  # a row without cells (sparse read, blank .csv line)
                continue
            if len(raw) != pad + 1 or (cut and raw[pad] != ""):
                if len(raw) == pad:
                    raw.append("")
                else:
                    raw = rows[offset] = _pad(raw, pad + 1)
            values = getter(raw)
            # stops at the first filled cell, where count("") reads all; a row whose only
            # "filled" cell is an error cell is not blank
            if values == blank and not (faults and first + offset in faults):
                continue
            yield first + offset, values, raw

    def raw_cells(self, raw: list[Any]) -> list[Any]:
        return raw[: self.width]


def _pad(row: list[Any], width: int) -> list[Any]:
    """`row` cut or padded to width - 1 cells, then one "" (the column a sheet lacks)."""
    row = list(row[:width - 1])
    row.extend([""] * (width - len(row)))
    return row


def read_sheet(path: str | Path, fields: Sequence[Field], result: ImportResult, *,
               sheet: str | None = None, headers: Mapping[str, str | None] | None = None
               ) -> Sheet:
    """Open `path`, pick the sheet (`sheet` by name, else the first) and map its header row.

    A .csv file is its own single sheet, whatever `sheet` asks for. `headers` overrides the
    matching for headers as written in the sheet: header -> field key, or None to ignore that
    column (the import wizard's "this column is the Material" / "ignore this column").
    """
    name, rows, faults = open_sheet(path, sheet, result)
    return map_header(name, rows, fields, result, headers, faults)


@dataclass
class HeaderMatch:
    """How a sheet's header row maps to an import's fields (no judgement yet)."""

    index: int  # 0-based row of the header in the sheet
    cells: list[Any]
    columns: dict[str, int]  # field key -> 0-based column
    headers: dict[str, str]  # field key -> header as written
    duplicates: list[tuple[int, str, str]]  # (column, header as written, field key) mapped twice
    missing: list[Field]  # required fields no column maps to

    def field_of(self, column: int) -> str | None:
        return next((k for k, j in self.columns.items() if j == column), None)


def match_header(rows: list[list[Any]], fields: Sequence[Field],
                 overrides: Mapping[str, str | None] | None = None) -> HeaderMatch | None:
    """Find the header row (None when there is none) and map its columns to fields."""
    aliases: dict[str, str | None] = {}
    for f in fields:
        for alias in f.names:
            aliases[normalize_header(alias)] = f.key
    for header, override in (overrides or {}).items():
        aliases[normalize_header(header)] = override or None

    def known(row: list[Any]) -> bool:
        return any(isinstance(v, str) and aliases.get(normalize_header(v)) for v in row)

    header_index = None
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if all(v == "" or v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        if known(row):
            header_index = i
            break
    if header_index is None:
        return None
    cells = list(rows[header_index])
    while cells and (cells[-1] == "" or cells[-1] is None):
        cells.pop()  # empty trailing columns
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    duplicates: list[tuple[int, str, str]] = []
    for j, cell in enumerate(cells):
        written = cell_text(cell)
        key = aliases.get(normalize_header(written)) if written else None
        if key is None or written is None:
            continue
        if key in columns:
            duplicates.append((j, written, key))
            continue
        columns[key] = j
        headers[key] = written
    missing = [f for f in fields if f.required and f.key not in columns]
    return HeaderMatch(header_index, cells, columns, headers, duplicates, missing)


def map_header(name: str, rows: list[list[Any]], fields: Sequence[Field],
               result: ImportResult, overrides: Mapping[str, str | None] | None = None,
               faults: Faults | None = None) -> Sheet:
    match = match_header(rows, fields, overrides)
    if match is None:
        first_nonblank = next((i for i, row in enumerate(rows[:HEADER_SEARCH_ROWS])
                               if not all(v == "" or v is None
                                          or (isinstance(v, str) and not v.strip())
                                          for v in row)), None)
        expected = ", ".join(f.header for f in fields if f.required)
        what = "is empty" if first_nonblank is None else "has no header row"
        raise reject(result, f"The sheet '{name}' {what}: WICS looks for a row of column "
                             f"names (at least {expected}) at the top of the sheet.")
    header_index, header_cells = match.index, match.cells
    result.header_row = header_index + 1
    result.header_cells = header_cells
    problems: list[tuple[str, Any, str]] = []
    for j, written, key in match.duplicates:
        first = match.columns[key]
        problems.append((written, written,
                         f"Columns {column_letter(first)} ('{match.headers[key]}') and "
                         f"{column_letter(j)} ('{written}') both mean "
                         f"{_field(fields, key).header}: keep one of them."))
    for f in match.missing:
        also = f" (or {', '.join(f.names[1:])})" if len(f.names) > 1 else ""
        present = ", ".join(cell_text(c) or "" for c in header_cells if cell_text(c))
        problems.append((f.header, None,
                         f"The sheet '{name}' has no column {f.header}{also}. "
                         f"Its header row {header_index + 1} has: {present}."))
    if problems:
        for column, value, message in problems:
            result.error(header_index + 1, column, value, message)
        raise ImportRejected(" ".join(p[2] for p in problems), result)
    return Sheet(name, header_index + 1, header_cells, match.columns, match.headers, fields,
                 rows[header_index + 1:],
                 {r: c for r, c in (faults or {}).items() if r > header_index + 1})


@dataclass
class SheetPreview:
    """What the import wizard shows before anything is imported."""

    sheet: str
    sheets: list[str]  # every worksheet of the file ([] for .csv)
    header_row: int | None  # as Excel numbers it; None when no header row was found
    header_cells: list[str]
    fields_by_column: list[str | None]  # field key per column (None: not read)
    missing: list[Field]
    duplicates: list[tuple[int, str, str]]
    rows: list[list[Any]]  # the first data rows, raw
    data_rows: int  # rows below the header (blank ones included)


def inspect_sheet(path: str | Path, fields: Sequence[Field], *, sheet: str | None = None,
                  headers: Mapping[str, str | None] | None = None,
                  preview_rows: int = 20) -> SheetPreview:
    """Read a sheet's header mapping and first rows without judging them (missing or doubled
    columns are reported, not raised). Raises ImportRejected only when the file or the sheet
    cannot be read at all."""
    result = ImportResult("")
    name, rows, _faults = open_sheet(path, sheet, result)
    names = sheet_names(path)
    match = match_header(rows, fields, headers)
    if match is None:
        return SheetPreview(name, names, None, [], [], [f for f in fields if f.required], [],
                            [list(r) for r in rows[:preview_rows]], len(rows))
    cells = [cell_text(c) or "" for c in match.cells]
    return SheetPreview(name, names, match.index + 1, cells,
                        [match.field_of(j) for j in range(len(cells))], match.missing,
                        match.duplicates,
                        [list(r) for r in rows[match.index + 1:match.index + 1 + preview_rows]],
                        len(rows) - match.index - 1)


def _field(fields: Sequence[Field], key: str) -> Field:
    return next(f for f in fields if f.key == key)

