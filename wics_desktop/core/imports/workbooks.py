"""Opening a spreadsheet file into rows: the part of reading that knows file formats.

Files: .xlsx, .xlsm, .xls (and .ods, .xlsb) through python-calamine, which reads a 100,000-row
sheet in about a second; .xls through xlrd (row by row: calamine would allocate every cell up to
the farthest one); .csv (and .txt) through the csv module, UTF-8 or Windows-1252, with a comma,
semicolon or tab as separator. Before calamine allocates, bounds.py sizes the sheet up and may
send it to a row-by-row reader. calamine releases the GIL while it parses, so the command line
starts the parse before it loads SQLAlchemy (`read_ahead`).

Every file problem (not a spreadsheet, missing sheet, too large, password) raises ImportRejected
with the problem recorded in the result. Finding the header row is reader.py's business.
"""
from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import bounds
from .addresses import find_sheet_name
from .background import Background
from .formulas import FORMULA_SUFFIXES
from .result import ImportRejected, ImportResult

__all__ = ["CSV_SUFFIXES", "EXCEL_SUFFIXES", "Rows", "Faults", "reject", "open_sheet",
           "read_ahead", "sheet_names"]

CSV_SUFFIXES = {".csv", ".txt"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


def reject(result: ImportResult, message: str, column: str = "", value: Any = None,
           row: int = 0) -> ImportRejected:
    """The problem recorded in `result`, and the exception to raise for it."""
    result.error(row, column, value, message)
    return ImportRejected(message, result)


# The sheet's rows: row i is Excel row i + 1. A row is a list, or a tuple (a row without cells
# of a sparse read) until something writes into it.
Rows = list[Any]
Faults = dict[int, dict[int, str]]  # Excel row -> 0-based column -> '#N/A' / bounds.NO_VALUE
NOT_A_SPREADSHEET = "{} is not a spreadsheet WICS can read (use .xlsx, .xlsm, .xls or .csv)."
PASSWORD = ("{} is protected by a password: save a copy without the password and import "
            "that.")


def _pick_sheet(path: Path, names: Sequence[str], visible: Sequence[str], sheet: str | None,
                result: ImportResult) -> str:
    """The sheet to read: `sheet` (exactly, else ignoring case), else the first visible one."""
    if sheet is None:
        if not (visible or names):
            raise reject(result, f"{path.name} has no worksheet.")
        return (visible or names)[0]
    name = find_sheet_name(names, sheet)
    if name is None:
        raise reject(result, f"{path.name} has no sheet named '{sheet}' (its sheets: "
                             f"{', '.join(names) or 'none'}). Rename the sheet that "
                             f"holds the data to '{sheet}'.")
    return name


def _read_csv(path: Path, result: ImportResult) -> tuple[str, Rows, Faults]:
    data = path.read_bytes()
    head = data[:4096]
    # a binary file (a workbook renamed .csv, UTF-16 text): NULs all over; a stray NUL in a
    # text file is a problem of its row (limits.py: control characters)
    if b"\x00" in head[:16] or head.count(b"\x00") > len(head) // 100:
        raise reject(result, f"{path.name} is not a text (.csv) file WICS can read.")
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
                raise reject(result, f"Line {line} of {path.name} has {len(row):,} values; WICS "
                                     f"reads at most {bounds.MAX_COLUMNS:,} columns.")
            cells += len(row)
            if len(rows) >= bounds.MAX_ROWS:
                raise reject(result, f"{path.name} has more than {bounds.MAX_ROWS:,} rows; "
                                     "split it into smaller files.")
            if cells > bounds.MAX_CELLS:
                raise reject(result, f"{path.name} has more than {bounds.MAX_CELLS:,} values; "
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
        raise reject(result, message, row=line) from None
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
        raise reject(result, too_large)
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
        raise reject(result, str(exc)) from None
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise reject(result, PASSWORD.format(path.name)) from None
    except Exception:  # noqa: BLE001 - calamine raises a family of errors for "not a workbook"
        raise reject(result, NOT_A_SPREADSHEET.format(path.name)) from None
    faults: Faults = {}
    try:
        visible = [m.name for m in workbook.sheets_metadata
                   if str(m.visible).endswith("Visible") and str(m.typ).endswith("WorkSheet")]
        name = _pick_sheet(path, list(workbook.sheet_names), visible, sheet, result)
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
        raise reject(result, str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - calamine raises anything on a hostile sheet
        raise reject(result, f"{path.name} could not be read: {exc}.") from None
    finally:
        try:
            workbook.close()
        except calamine.CalamineError:  # WorkbookClosed: closed already
            pass
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
    except Exception as exc:  # noqa: BLE001 - xlrd raises anything on a file that is no .xls
        if "encrypt" in str(exc).lower():
            raise reject(result, PASSWORD.format(path.name)) from None
        raise reject(result, NOT_A_SPREADSHEET.format(path.name)) from None
    try:
        names = book.sheet_names()
        hidden = getattr(book, "_sheet_visibility", None) or [0] * len(names)
        visible = [n for n, h in zip(names, hidden, strict=True) if not h]
        name = _pick_sheet(path, names, visible, sheet, result)
        ws = book.sheet_by_name(name)
        rows: Rows = []
        faults: Faults = {}
        cells = 0
        for r in range(ws.nrows):
            types, values = ws.row_types(r), ws.row_values(r)
            cells += len(values)
            if cells > bounds.MAX_CELLS:
                raise reject(result, f"The sheet '{name}' has more than {bounds.MAX_CELLS:,} "
                                     f"cells; WICS imports at most {bounds.MAX_CELLS:,}.")
            line: list[Any] = []
            for c, (kind, value) in enumerate(zip(types, values, strict=True)):
                if kind == xlrd.XL_CELL_DATE:
                    try:
                        value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                        if value.time() == datetime.time():
                            value = value.date()
                    except (OverflowError, ValueError):  # too large for a date; NaN
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
    except Exception as exc:  # noqa: BLE001 - xlrd raises anything on a damaged sheet: rejected
        raise reject(result, f"{path.name} could not be read: {exc}.") from None
    finally:
        book.release_resources()


def open_sheet(path: str | Path, sheet: str | None, result: ImportResult
               ) -> tuple[str, Rows, Faults]:
    """The sheet's name as the workbook writes it, its rows and the faults the reading found
    (a .csv file is its own single sheet). Rows read ahead for this file are taken, not read
    again."""
    path = Path(path)
    result.file = str(path)
    if not path.is_file():
        raise reject(result, f"There is no file {path}.")
    too_large = bounds.file_too_large(path)
    if too_large:
        raise reject(result, too_large)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        name, rows, faults = _read_csv(path, result)
    else:
        name, rows, faults = _take_read_ahead(path, sheet) or _read_excel(path, sheet, result)
    result.sheet = sheet if (suffix in CSV_SUFFIXES and sheet) else name
    return name, rows, faults


# ---- reading in the background ----------------------------------------------------------------

# The one reading begun ahead: ((resolved path, sheet), (mtime, size) when begun, the reading).
# One only: a command reads one file, and rows read for nothing are not kept past the next one.
_ahead: tuple[tuple[str, str | None], tuple[int, int],
              Background[tuple[str, Rows, Faults]]] | None = None


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
              Background(_read_excel, path, sheet, ImportResult("")))


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
        except Exception:  # noqa: BLE001 - xlrd raises anything on a file that is no .xls
            raise reject(ImportResult("", file=str(path)),
                         NOT_A_SPREADSHEET.format(path.name)) from None
        try:
            return list(book.sheet_names())
        finally:
            book.release_resources()
    import python_calamine as calamine

    try:
        if path.suffix.lower() == ".ods":
            bounds.check_ods(path)  # opening an .ods file reads all of it
        elif path.suffix.lower() in FORMULA_SUFFIXES:
            bounds.check_xlsx_parts(path)  # opening reads the shared strings
    except bounds.TooLarge as exc:
        raise reject(ImportResult("", file=str(path)), str(exc)) from None
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
    except Exception:  # noqa: BLE001 - calamine raises a family of errors for "not a workbook"
        raise reject(ImportResult("", file=str(path)),
                     NOT_A_SPREADSHEET.format(path.name)) from None
    try:
        return [m.name for m in workbook.sheets_metadata if str(m.typ).endswith("WorkSheet")]
    finally:
        workbook.close()

