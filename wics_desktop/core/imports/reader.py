"""Opening a spreadsheet and finding its columns: the part every import shares.

Files: .xlsx, .xlsm, .xls (and .ods, .xlsb) through python-calamine, which reads a 100,000-row
sheet in about a second; .csv (and .txt) through the csv module, UTF-8 or Windows-1252, with a
comma, semicolon or tab as separator. openpyxl is used only for what calamine cannot give: the
text of formulas (see `formula_texts`). calamine releases the GIL while it parses, so the command
line starts the parse before it loads SQLAlchemy (`read_ahead`), and the counts import looks for
formulas while the sheet is parsed (`FormulaScan`).

Headers: matched to fields ignoring case, spaces and punctuation ("CTD_QTY_Expr", "CTD QTY Expr"
and "ctd qty expr" are one header) and through each field's aliases. The header row is the first
non-blank row if it holds a known header, else the first of the top rows that does (an export may
start with a title line). Everything fatal - not a spreadsheet, missing sheet, no header row,
a required column missing, two columns meaning the same field - raises ImportRejected with every
header problem listed, before any row is looked at.
"""
from __future__ import annotations

import csv
import datetime
import io
import re
import threading
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from . import bounds
from .bounds import DENSE_CELLS
from .cells import text as cell_text
from .result import ImportRejected, ImportResult

__all__ = ["Field", "Sheet", "read_sheet", "read_ahead", "normalize_header", "column_letter",
           "formula_texts", "FormulaScan", "sheet_names", "match_header", "inspect_sheet",
           "SheetPreview", "HeaderMatch"]

HEADER_SEARCH_ROWS = 20
CSV_SUFFIXES = {".csv", ".txt"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
FORMULA_SUFFIXES = {".xlsx", ".xlsm"}  # whose formula texts WICS reads (see formula_texts)


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


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


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

    def records(self, keys: Sequence[str]) -> Iterator[tuple[int, tuple, list[Any]]]:
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


# ---- opening files ----------------------------------------------------------------------------

def _reject(result: ImportResult, message: str, column: str = "", value: Any = None,
            row: int = 0) -> ImportRejected:
    result.error(row, column, value, message)
    return ImportRejected(message, result)


Rows = list  # the sheet's rows: row i is Excel row i + 1
Faults = dict  # Excel row -> 0-based column -> '#N/A' / bounds.NO_VALUE


def _read_csv(path: Path, result: ImportResult) -> tuple[str, Rows, Faults]:
    data = path.read_bytes()
    head = data[:4096]
    # a binary file (a workbook renamed .csv, UTF-16 text): NULs all over; a stray NUL in a
    # text file is a problem of its row (limits.py: control characters)
    if b"\x00" in head[:16] or head.count(b"\x00") > len(head) // 100:
        raise _reject(result, f"{path.name} is not a text (.csv) file WICS can read.")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    del data
    first_line = content.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    # strict: a quote opened and never closed is an error, not the rest of the file read as
    # one value (every row then "ignored", exit 0)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter, strict=True)
    rows: Rows = []
    cells = 0
    line = 1
    try:
        for row in reader:
            if len(row) > bounds.MAX_COLUMNS:
                raise _reject(result, f"Line {line} of {path.name} has {len(row):,} values; WICS "
                                      f"reads at most {bounds.MAX_COLUMNS:,} columns.")
            cells += len(row)
            if len(rows) >= bounds.MAX_ROWS:
                raise _reject(result, f"{path.name} has more than {bounds.MAX_ROWS:,} rows; "
                                      "split it into smaller files.")
            if cells > bounds.MAX_CELLS:
                raise _reject(result, f"{path.name} has more than {bounds.MAX_CELLS:,} values; "
                                      "split it into smaller files.")
            rows.append(row)
            line = reader.line_num + 1
    except csv.Error as exc:
        if "end of data" in str(exc):
            message = (f"{path.name} is not a CSV file WICS can read: the quote (\") opened on "
                       f"line {line} is never closed. Close it, or remove the stray quote.")
        else:
            message = (f"{path.name} is not a CSV file WICS can read: line {line}: {exc}. "
                       "A value with quotes must be written as \"...\" with a quote inside "
                       "doubled.")
        raise _reject(result, message, row=line) from None
    return path.stem, rows, _csv_faults(content, rows)


_ERROR_TEXT = re.compile("|".join(re.escape(code) for code in bounds.ERROR_CODES))


def _csv_faults(content: str, rows: Rows) -> Faults:
    """Cells of a .csv file holding exactly an Excel error ('#N/A'): Excel writes an error cell
    so when it saves as CSV. Looked for cell by cell only when the text occurs at all."""
    if not _ERROR_TEXT.search(content):
        return {}
    codes = set(bounds.ERROR_CODES)
    faults: Faults = {}
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value.strip() in codes:
                faults.setdefault(i + 1, {})[j] = value.strip()
    return faults


def _read_excel(path: Path, sheet: str | None, result: ImportResult
                ) -> tuple[str, Rows, Faults]:
    too_large = bounds.file_too_large(path)
    if too_large:
        raise _reject(result, too_large)
    if path.suffix.lower() == ".xls":
        return _read_xls(path, sheet, result)
    import python_calamine as calamine

    xlsx = path.suffix.lower() in FORMULA_SUFFIXES
    longest_shared = 0
    try:
        if xlsx:
            longest_shared = bounds.check_xlsx_parts(path)
        elif path.suffix.lower() == ".ods":
            bounds.check_ods(path)  # calamine reads every sheet as it opens an .ods file
    except bounds.TooLarge as exc:
        raise _reject(result, str(exc)) from None
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise _reject(result, f"{path.name} is protected by a password: save a copy without "
                              "the password and import that.") from None
    except Exception:  # calamine raises a family of errors for "not a workbook"
        raise _reject(result, f"{path.name} is not a spreadsheet WICS can read "
                              "(use .xlsx, .xlsm, .xls or .csv).") from None
    faults: Faults = {}
    try:
        names = list(workbook.sheet_names)
        if sheet is None:
            visible = [m.name for m in workbook.sheets_metadata
                       if str(m.visible).endswith("Visible") and str(m.typ).endswith("WorkSheet")]
            if not (visible or names):
                raise _reject(result, f"{path.name} has no worksheet.")
            name = (visible or names)[0]
        else:
            name = find_sheet_name(names, sheet)
            if name is None:
                raise _reject(result, f"{path.name} has no sheet named '{sheet}' (its sheets: "
                                      f"{', '.join(names) or 'none'}). Rename the sheet that "
                                      f"holds the data to '{sheet}'.")
        scan = bounds.scan_xlsx(path, name, longest_shared) if xlsx else None
        if scan is not None:
            faults = scan.faults
        if scan is None or scan.dense_ok:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        else:  # cells far apart: row by row, in memory for the cells present
            workbook.close()
            rows = bounds.read_xlsx_sparse(path, name)
    except ImportRejected:
        raise
    except bounds.TooLarge as exc:
        raise _reject(result, str(exc)) from None
    except Exception as exc:
        raise _reject(result, f"{path.name} could not be read: {exc}.") from None
    finally:
        try:
            workbook.close()
        except Exception:
            pass  # closed already
    _mark_faults(rows, faults)
    return name, rows, faults


def _mark_faults(rows: Rows, faults: Faults) -> None:
    """Write each error code into its cell (calamine reads it as blank), so the preview and the
    errors workbook show '#N/A' where the sheet has it."""
    for row, columns in faults.items():
        if row - 1 >= len(rows):
            continue
        cells = rows[row - 1]
        for col, what in columns.items():
            if what == bounds.NO_VALUE:
                continue
            if col >= len(cells):
                cells = rows[row - 1] = list(cells) + [""] * (col + 1 - len(cells))
            elif not isinstance(cells, list):
                cells = rows[row - 1] = list(cells)
            cells[col] = what


def _read_xls(path: Path, sheet: str | None, result: ImportResult) -> tuple[str, Rows, Faults]:
    """An Excel 97-2003 workbook through xlrd: rows only as long as their cells (calamine would
    allocate every cell up to the farthest one), error cells seen as errors, the workbook's own
    date system (1900 or 1904) used for date cells."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True, ragged_rows=True)
    except Exception as exc:
        if "encrypt" in str(exc).lower():
            raise _reject(result, f"{path.name} is protected by a password: save a copy without "
                                  "the password and import that.") from None
        raise _reject(result, f"{path.name} is not a spreadsheet WICS can read "
                              "(use .xlsx, .xlsm, .xls or .csv).") from None
    try:
        names = book.sheet_names()
        if sheet is None:
            hidden = getattr(book, "_sheet_visibility", None) or [0] * len(names)
            visible = [n for n, h in zip(names, hidden) if not h]
            if not (visible or names):
                raise _reject(result, f"{path.name} has no worksheet.")
            name = (visible or names)[0]
        else:
            name = find_sheet_name(names, sheet)
            if name is None:
                raise _reject(result, f"{path.name} has no sheet named '{sheet}' (its sheets: "
                                      f"{', '.join(names) or 'none'}). Rename the sheet that "
                                      f"holds the data to '{sheet}'.")
        ws = book.sheet_by_name(name)
        rows: Rows = []
        faults: Faults = {}
        cells = 0
        for r in range(ws.nrows):
            types, values = ws.row_types(r), ws.row_values(r)
            cells += len(values)
            if cells > bounds.MAX_CELLS:
                raise _reject(result, f"The sheet '{name}' has more than {bounds.MAX_CELLS:,} "
                                      f"cells; WICS imports at most {bounds.MAX_CELLS:,}.")
            line: list[Any] = []
            for c, (kind, value) in enumerate(zip(types, values)):
                if kind == xlrd.XL_CELL_DATE:
                    try:
                        value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                        if value.time() == datetime.time():
                            value = value.date()
                    except Exception:
                        pass  # a serial no date can hold: the number, judged by the import
                elif kind == xlrd.XL_CELL_BOOLEAN:
                    value = bool(value)
                elif kind == xlrd.XL_CELL_ERROR:
                    value = xlrd.error_text_from_code.get(value, "#VALUE!")
                    faults.setdefault(r + 1, {})[c] = value
                elif kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    value = ""
                line.append(value)
            rows.append(line)
        return name, rows, faults
    except ImportRejected:
        raise
    except Exception as exc:
        raise _reject(result, f"{path.name} could not be read: {exc}.") from None
    finally:
        book.release_resources()


def find_sheet_name(names: Sequence[str], wanted: str) -> str | None:
    if wanted in names:
        return wanted
    folded = wanted.strip().casefold()
    for name in names:
        if name.strip().casefold() == folded:
            return name
    return None


def read_sheet(path: str | Path, fields: Sequence[Field], result: ImportResult, *,
               sheet: str | None = None, headers: Mapping[str, str | None] | None = None
               ) -> Sheet:
    """Open `path`, pick the sheet (`sheet` by name, else the first) and map its header row.

    A .csv file is its own single sheet, whatever `sheet` asks for. `headers` overrides the
    matching for headers as written in the sheet: header -> field key, or None to ignore that
    column (the import wizard's "this column is the Material" / "ignore this column").
    """
    name, rows, faults = _open(path, sheet, result)
    return map_header(name, rows, fields, result, headers, faults)


def _open(path: str | Path, sheet: str | None, result: ImportResult
          ) -> tuple[str, Rows, Faults]:
    path = Path(path)
    result.file = str(path)
    if not path.is_file():
        raise _reject(result, f"There is no file {path}.")
    too_large = bounds.file_too_large(path)
    if too_large:
        raise _reject(result, too_large)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        name, rows, faults = _read_csv(path, result)
    else:
        name, rows, faults = _take_read_ahead(path, sheet) or _read_excel(path, sheet, result)
    result.sheet = sheet if (suffix in CSV_SUFFIXES and sheet) else name
    return name, rows, faults


# ---- reading in the background ----------------------------------------------------------------

class _Background(threading.Thread):
    """fn(*args) in a thread of its own; result() waits for it.

    python-calamine and zlib release the GIL while they work, so a workbook read this way costs
    no time while the caller does something else. result() is fn's value, or None when fn
    raised: the caller then does the work itself, the ordinary way, and reports any problem as
    usual. Not a daemon: a thread still in calamine's native code must not be cut off at
    interpreter exit (it finishes soon: one sheet).
    """

    def __init__(self, fn, *args) -> None:
        super().__init__(name=f"wics-{fn.__name__}")
        self._call = (fn, args)
        self._value = None
        self.start()

    def run(self) -> None:
        fn, args = self._call
        try:
            self._value = fn(*args)
        except Exception:
            pass  # the caller reads again and reports it

    def result(self):
        self.join()
        return self._value


# The one reading begun ahead: ((resolved path, sheet), (mtime, size) when begun, the reading).
# One only: a command reads one file, and rows read for nothing are not kept past the next one.
_ahead: tuple[tuple[str, str | None], tuple[int, int], _Background] | None = None


def read_ahead(path: str | Path, sheet: str | None = None) -> None:
    """Start reading a workbook's sheet (`sheet` by name, else the first) in the background; the
    next read_sheet of the same file and sheet takes its rows from there.

    The command line calls this before it loads SQLAlchemy and the models, a quarter of a second
    the parse (half a second for 100,000 rows) now overlaps. A .csv file is read by Python code
    that holds the GIL, so there is nothing to gain: it is read when needed.
    """
    global _ahead
    path = Path(path)
    if path.suffix.lower() not in EXCEL_SUFFIXES or not path.is_file():
        return
    stat = path.stat()
    _ahead = ((str(path.resolve()), sheet), (stat.st_mtime_ns, stat.st_size),
              _Background(_read_excel, path, sheet, ImportResult("")))


def _take_read_ahead(path: Path, sheet: str | None) -> tuple[str, Rows, Faults] | None:
    """The rows read ahead for this file and sheet (None if none, or if the file changed)."""
    global _ahead
    if _ahead is None or _ahead[0] != (str(path.resolve()), sheet):
        return None
    _, stamp, reading = _ahead
    _ahead = None
    stat = path.stat()
    if stamp != (stat.st_mtime_ns, stat.st_size):
        return None
    return reading.result()


def sheet_names(path: str | Path) -> list[str]:
    """The worksheets of a workbook, in order ([] for a .csv file, which is one sheet)."""
    path = Path(path)
    if path.suffix.lower() in CSV_SUFFIXES:
        return []
    if path.suffix.lower() == ".xls":
        import xlrd

        try:
            book = xlrd.open_workbook(str(path), on_demand=True)
        except Exception:
            raise _reject(ImportResult("", file=str(path)),
                          f"{path.name} is not a spreadsheet WICS can read "
                          "(use .xlsx, .xlsm, .xls or .csv).") from None
        try:
            return book.sheet_names()
        finally:
            book.release_resources()
    import python_calamine as calamine

    try:
        if path.suffix.lower() == ".ods":
            bounds.check_ods(path)  # opening an .ods file reads all of it
        elif path.suffix.lower() in FORMULA_SUFFIXES:
            bounds.check_xlsx_parts(path)  # opening reads the shared strings
    except bounds.TooLarge as exc:
        raise _reject(ImportResult("", file=str(path)), str(exc)) from None
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
    except Exception:
        raise _reject(ImportResult("", file=str(path)),
                      f"{path.name} is not a spreadsheet WICS can read "
                      "(use .xlsx, .xlsm, .xls or .csv).") from None
    try:
        return [m.name for m in workbook.sheets_metadata if str(m.typ).endswith("WorkSheet")]
    finally:
        workbook.close()


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
    for written, key in (overrides or {}).items():
        aliases[normalize_header(written)] = key or None

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
        if key is None:
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
        raise _reject(result, f"The sheet '{name}' {what}: WICS looks for a row of column "
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
    name, rows, _faults = _open(path, sheet, result)
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


# ---- formulas -------------------------------------------------------------------------------

_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]+)(\d+)\"[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_F = re.compile(rb"<(?:\w+:)?f(\s[^>]*?)?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_NAMES = re.compile(r"[A-Za-z]")
_SI = re.compile(rb"\bsi=\"(\d+)\"")
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def formula_texts(path: str | Path, sheet_name: str, column: int, first_row: int) -> dict[int, str]:
    """Excel row -> formula text ('=1080*4+791') of the cells in `column`, from `first_row` on.

    A quantity typed as '=1080*4+791' is a formula to Excel; calamine gives only its cached
    value (5111), and the expression is the evidence WICS keeps. So for .xlsx/.xlsm files this
    reads the formulas of that one column straight from the sheet's XML (a regular-expression
    scan: openpyxl needs seconds for a big sheet). Only plain arithmetic counts: a formula that
    refers to cells or calls a function (=B2*2, =SUM(...)) is read as its value.
    """
    path = Path(path)
    if path.suffix.lower() not in FORMULA_SUFFIXES:
        return {}
    try:
        _, data = _sheet_xml_with_formulas(path, sheet_name)
    except Exception:  # not our business to judge the file here: calamine already read it
        return {}
    return _formulas_in(data, column, first_row)


class FormulaScan:
    """formula_texts() of a sheet, begun before the sheet is read.

    Finding out whether a sheet holds formulas at all means inflating and searching its XML
    (0.13 s for 100,000 rows, nearly always to find none). Started first, that runs in a
    background thread while python-calamine, which releases the GIL, parses the same sheet.
    """

    def __init__(self, path: str | Path, sheet: str) -> None:
        self.path = Path(path)
        self._scan = (_Background(_sheet_xml_with_formulas, self.path, sheet)
                      if self.path.suffix.lower() in FORMULA_SUFFIXES else None)

    def texts(self, sheet_name: str, column: int, first_row: int) -> dict[int, str]:
        """As formula_texts(path, sheet_name, column, first_row)."""
        found = self._scan.result() if self._scan is not None else None
        if found is None or found[0] != sheet_name:  # failed, or another sheet: the usual way
            return formula_texts(self.path, sheet_name, column, first_row)
        return _formulas_in(found[1], column, first_row)


def _formulas_in(data: bytes | None, column: int, first_row: int) -> dict[int, str]:
    """Excel row -> formula text of the cells in `column` from `first_row` on, in sheet XML."""
    if data is None:
        return {}
    import html

    letters = column_letter(column).encode()
    shared: dict[bytes, str] = {}
    found: dict[int, str] = {}
    for m in _CELL.finditer(data):
        if m.group(1) != letters or m.group(3) is None:
            continue
        row = int(m.group(2))
        f = _F.search(m.group(3))
        if f is None or row < first_row:
            continue
        attrs, body = f.group(1) or b"", f.group(2)
        si = _SI.search(attrs)
        if body:
            formula = html.unescape(body.decode("utf-8"))
            if si is not None:
                shared[si.group(1)] = formula
        elif si is not None and si.group(1) in shared:
            formula = shared[si.group(1)]
        else:
            continue
        if _NAMES.search(formula):
            continue  # refers to cells or calls functions: its value, not its text, is meant
        found[row] = "=" + formula
    return found


def _sheet_xml_with_formulas(path: Path, sheet_name: str) -> tuple[str | None, bytes | None]:
    """(The sheet's name as the workbook writes it, its XML if its cells hold any formula, else
    None). The name is found as read_sheet finds it (exactly, else ignoring case).

    Streams the sheet and stops at the first formula tag or at the end of the cell data, so a
    sheet without formulas costs one decompression pass and no copy. (`<f` starts only formula
    tags inside sheetData; <formula>, <filterColumn>... come after it.)
    """
    import zipfile

    with zipfile.ZipFile(path) as zf:
        name, member = _sheet_member(zf, sheet_name)
        if member is None:
            return name, None
        with zf.open(member) as fh:
            tail = b""
            while True:
                chunk = fh.read(1 << 22)
                if not chunk:
                    return name, None
                buf = tail + chunk
                end = buf.find(b"</sheetData>")
                if buf.find(b"<f", 0, end if end >= 0 else len(buf)) >= 0:
                    break
                if end >= 0:
                    return name, None
                tail = buf[-16:]
        return name, zf.read(member)


def _sheet_member(zf, sheet_name: str) -> tuple[str | None, str | None]:
    """(The sheet's name as written, the zip member holding its XML), None for what is missing."""
    import posixpath
    from xml.etree import ElementTree

    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rel_ids = {el.get("name"): el.get(_REL_NS) for el in book.iter()
               if el.tag.endswith("}sheet") and el.get("name") is not None}
    name = find_sheet_name(list(rel_ids), sheet_name)
    rel_id = rel_ids.get(name)
    if rel_id is None:
        return name, None
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    for el in rels:
        if el.get("Id") == rel_id:
            target = el.get("Target", "")
            if target.startswith("/"):
                return name, target.lstrip("/")
            return name, posixpath.normpath(posixpath.join("xl", target))
    return name, None
