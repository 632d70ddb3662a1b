"""How much of a spreadsheet is really there, found out before any reader allocates for it.

python-calamine holds a sheet as one dense block from A1 to the farthest cell with a value: a
5 KB workbook with one cell at XFD1048576 makes it ask for 17 billion cells (512 GiB: the
process aborts, nothing can catch it), one at Z1048576 costs 1.2 GB. Neither the declared
`<dimension>` nor the size of the file says how far the cells reach, so for .xlsx/.xlsm this
module reads the sheet's XML once (streamed, C-speed searches, no per-cell Python work) and:

- counts the filled cells, refusing a sheet beyond the limits below;
- guesses the block the cells fill (the columns of the first rows; per piece of XML, the row of
  its last cell) and checks with one search that no cell lies outside it. A cell outside (the
  crafted far-off cell, or a stray space typed at Z1048576) means every cell reference of that
  piece is read to find the true block; if the block is too big for calamine, or cells are
  placed by order rather than by reference, the sheet is read row by row with openpyxl's
  streaming parser instead, in memory proportional to the cells present;
- notes every Excel error cell (#N/A, #REF!, ...) and every formula without a stored value:
  calamine reads both as blank, and a blank amount is 0 stock. The importers turn them into row
  errors naming the row and column (see RowProblems.cell_faults).

The limits are stated in docs/imports.md; together they keep any file of 10 MB or less below
about 500 MB of memory (benchmarks/bench_reader_memory.py measures crafted files). An .ods file
is checked the same way before calamine opens it (check_ods); .xls files are read by xlrd, row
by row (workbooks._read_xls).
"""
from __future__ import annotations

import functools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .addresses import column_index, column_letter, sheet_member

__all__ = ["MAX_FILE_BYTES", "MAX_ROWS", "MAX_COLUMNS", "MAX_CELLS", "MAX_XML_BYTES",
           "DENSE_CELLS", "MAX_ROW_BYTES", "MAX_SHARED_COPIES", "ERROR_CODES", "NO_VALUE",
           "TooLarge", "XlsxScan", "scan_xlsx", "check_xlsx_parts", "check_ods",
           "read_xlsx_sparse", "column_index", "file_too_large"]

MAX_FILE_BYTES = 30 * 1024 * 1024  # the file as stored
MAX_ROWS = 1_048_576  # Excel's own limit; also for .csv
MAX_COLUMNS = 16_384  # Excel's own limit (XFD); also for .csv
MAX_CELLS = 3_000_000  # filled cells of the sheet read (e.g. 200,000 rows of 15 columns)
MAX_XML_BYTES = 200 * 1024 * 1024  # the sheet's XML once unpacked (a zip bomb stops here)
DENSE_CELLS = 4_000_000  # the largest block calamine may allocate (~40 bytes a cell)
MAX_ROW_BYTES = 32 * 1024 * 1024  # one row (or one text) of XML: Excel's cells hold 32,767
# characters, so this is no real sheet
# calamine copies a shared string into every cell that uses it: one 30 KB text used by a
# million cells is 30 GB. Above this many bytes of such copies the sheet is read row by row
# (openpyxl shares one string object among its cells).
MAX_SHARED_COPIES = 150 * 1024 * 1024

# Excel's error values, as a cell of type "e" holds them (and as a .csv export writes them)
ERROR_CODES = ("#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NUM!", "#NAME?", "#NULL!",
               "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!",
               "#BUSY!", "#UNKNOWN!")
NO_VALUE = "a formula without a stored value"

_CHUNK = 1 << 24
# a cell with content (<c r="A1" s="3"/> holds nothing: calamine leaves it out, so do we)
_FILLED = rb'"[^>]*(?<!/)>(?!</c>)'
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})' + _FILLED)
_LAST_REF = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})' + _FILLED)
# any cell tag, namespaced or not, with its attributes and content (for the rare cells that
# hold an error or a formula: these are the only ones looked at one by one)
_ANY_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
_R_ATTR = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_ERROR_ATTR = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb'<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>')
_FORMULA = re.compile(rb'<(?:\w+:)?f[\s>/]')


class TooLarge(ValueError):
    """A file or sheet beyond the limits; str() is the sentence for the user."""


@dataclass
class XlsxScan:
    name: str | None  # the sheet as the workbook names it (None: not found)
    rows: int = 0  # the block calamine would allocate: rows x columns
    columns: int = 0
    cells: int = 0  # cell tags present (an upper bound of the filled cells)
    dense_ok: bool = True  # calamine may read it
    # Excel row -> 0-based column -> what is wrong ('#N/A', NO_VALUE)
    faults: dict[int, dict[int, str]] = field(default_factory=dict)


def file_too_large(path: Path) -> str | None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return (f"{path.name} is {size / 1048576:,.1f} MB; WICS imports files of at most "
                f"{MAX_FILE_BYTES // 1048576} MB. Split it into smaller files.")
    return None


def check_xlsx_parts(path: Path) -> int:
    """Refuse a workbook whose shared strings unpack beyond MAX_XML_BYTES: calamine reads them
    all into memory when it opens the file (streamed here, nothing kept). Returns the length
    of the longest shared string (in bytes of XML), which scan_xlsx needs."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return 0  # calamine says what is wrong with it
    longest = 0
    with zf:
        for info in zf.infolist():
            if not info.filename.lower().endswith("sharedstrings.xml"):
                continue
            total = 0
            tail = b""
            try:
                with zf.open(info) as fh:
                    while chunk := fh.read(_CHUNK):
                        total += len(chunk)
                        if total > MAX_XML_BYTES:
                            raise TooLarge(f"{path.name} holds more than "
                                           f"{MAX_XML_BYTES // 1048576} MB of text once "
                                           "unpacked; WICS does not import it.")
                        parts = (tail + chunk).split(b"<si>")
                        tail = parts.pop()
                        if parts:
                            longest = max(longest, max(map(len, parts)))
                        if len(tail) > MAX_ROW_BYTES:
                            raise TooLarge(f"{path.name} holds a text longer than "
                                           f"{MAX_ROW_BYTES // 1048576} MB; WICS does not "
                                           "import it.")
                    longest = max(longest, len(tail))
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                if isinstance(exc, TooLarge):
                    raise
                return longest
    return longest


def _greater_number(n: int) -> bytes:
    """A regex matching a decimal number (without leading zeros) greater than n."""
    s = str(n)
    alts = [rb"[1-9][0-9]{%d,}" % len(s)]  # more digits
    for i, ch in enumerate(s):
        d = int(ch)
        if d < 9:
            head = re.escape(s[:i].encode())
            rest = len(s) - i - 1
            alts.append(head + b"[%d-9]" % (d + 1) + (b"[0-9]{%d}" % rest if rest else b""))
    return b"(?:" + b"|".join(alts) + b")"


def _greater_letters(col: int) -> bytes:
    """A regex matching column letters of a column index greater than `col`."""
    letters = column_letter(col).encode()
    alts = [rb"[A-Z]{%d,}" % (len(letters) + 1)]
    for i, ch in enumerate(letters):
        if ch < ord("Z"):
            rest = len(letters) - i - 1
            alts.append(re.escape(letters[:i]) + b"[%s-Z]" % bytes([ch + 1])
                        + (b"[A-Z]{%d}" % rest if rest else b""))
    return b"(?:" + b"|".join(alts) + b")"


def scan_xlsx(path: Path, sheet_name: str, longest_shared: int = 0) -> XlsxScan:
    """Size up one sheet of an .xlsx/.xlsm file; raises TooLarge beyond the limits.

    Unreadable zips and missing sheets are left to calamine, which words them: the scan then
    says nothing (a scan of None) and calamine's dense read is allowed.
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return XlsxScan(None)
    with zf:
        try:
            name, member = sheet_member(zf, sheet_name)
        except Exception:  # noqa: BLE001 - a hostile zip or XML raises anything (KeyError,
            return XlsxScan(None)  # ParseError, zlib.error, ...): calamine words the problem
        if member is None:
            return XlsxScan(name)
        try:
            return _scan_member(zf, member, name, longest_shared)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            if isinstance(exc, TooLarge):
                raise
            return XlsxScan(name)


def _scan_member(zf: zipfile.ZipFile, member: str, name: str | None,
                 longest_shared: int) -> XlsxScan:
    # Each step below is one C-speed pass over a piece of the XML (count, find, one regular
    # expression), never Python work per cell: the scan costs about a quarter of calamine's
    # own parse. Pieces are searched in place (start, end), not copied.
    scan = XlsxScan(name)
    total = cells = shared = 0
    odd = False  # cells placed by order (no r="..." first), or namespaced tags
    max_row = max_col = 0  # upper bounds of where the cells reach (1-based row, 0-based col)
    guess_cols = -1
    with zf.open(member) as fh:
        tail = b""
        while True:
            chunk = fh.read(_CHUNK)
            total += len(chunk)
            if total > MAX_XML_BYTES:
                raise TooLarge(f"The sheet '{name}' unpacks to more than "
                               f"{MAX_XML_BYTES // 1048576} MB; WICS imports sheets of at most "
                               f"{MAX_CELLS:,} filled cells. Split it into smaller files.")
            buf = tail + chunk if tail else chunk
            if chunk:  # cut after the last whole row (or before the last cell) of the buffer
                cut = buf.rfind(b"</row>")
                cut = cut + 6 if cut >= 0 else max(buf.rfind(b"<c "), 0)
                tail = buf[cut:]
            else:
                cut, tail = len(buf), b""
            if len(tail) > MAX_ROW_BYTES:
                raise TooLarge(f"A row of the sheet '{name}' is larger than "
                               f"{MAX_ROW_BYTES // 1048576} MB; WICS does not import it.")
            if cut:
                if longest_shared:
                    shared += buf.count(b't="s"', 0, cut)
                n_cells = buf.count(b"</c>", 0, cut)  # cells with content
                cells += n_cells
                if cells > MAX_CELLS:
                    raise TooLarge(f"The sheet '{name}' has more than {MAX_CELLS:,} filled "
                                   f"cells; WICS imports at most {MAX_CELLS:,}. Split it into "
                                   "smaller files.")
                # namespaced tags (</x:c>) or <c> without attributes: positions come from the
                # order of the cells, which only the row-by-row reader follows
                if buf.count(b"c>", 0, cut) != n_cells:
                    odd = True
                if buf.find(b't="e"', 0, cut) >= 0 or buf.find(b"<f", 0, cut) >= 0:
                    _faults(buf[:cut], scan.faults)
                if not odd and n_cells:
                    if guess_cols < 0:  # the columns of the first rows: what the rest should fill
                        for m in _CELL_REF.finditer(buf, 0, min(cut, 262_144)):
                            guess_cols = max(guess_cols, column_index(m.group(1)))
                        max_col = max(max_col, guess_cols)
                    bound = _round_up(_last_row(buf, cut))
                    # one search for a cell right of those columns, below that row, or whose
                    # first attribute is not its position
                    found = _outside(guess_cols, bound).search(buf, 0, cut)
                    if found is not None and found.group(1) is None:
                        odd = True
                    elif found is not None:
                        for m in _CELL_REF.finditer(buf, 0, cut):  # where exactly (rare)
                            max_row = max(max_row, int(m.group(2)))
                            max_col = max(max_col, column_index(m.group(1)))
                    max_row = max(max_row, bound)
            if not chunk:
                break
    scan.cells = cells
    if odd:  # positions depend on order: only the row-by-row reader places them right
        scan.rows, scan.columns = max_row, max_col + 1
        scan.dense_ok = False
        return scan
    scan.rows, scan.columns = max_row, (max_col + 1 if cells else 0)
    scan.dense_ok = (scan.rows * scan.columns <= DENSE_CELLS
                     and shared * longest_shared <= MAX_SHARED_COPIES)
    return scan


def _last_row(buf: bytes, end: int) -> int:
    """The row of the last cell with content before `end` (0 when there is none)."""
    at = buf.rfind(b"</c>", 0, end)
    while at > 0:
        start = buf.rfind(b'<c r="', 0, at)
        if start < 0:
            return 0
        last = _LAST_REF.match(buf, start)
        if last is not None:
            return int(last.group(1))
        at = start
    return 0


def _round_up(n: int) -> int:
    """n rounded up to two significant digits (12,345 -> 13,000): fewer patterns to compile."""
    if n < 100:
        return n
    step = int(10 ** (len(str(n)) - 2))
    return -(-n // step) * step


@functools.lru_cache(maxsize=64)
def _outside(max_col: int, max_row: int) -> re.Pattern[bytes]:
    """A cell whose first attribute is not r (group 1 None), or one right of column `max_col`
    or below row `max_row` (group 1: its reference)."""
    return re.compile(rb'<c (?:(?!r=")|r="(' + _greater_letters(max_col)
                      + rb'[0-9]+|[A-Z]+(?:0[0-9]*|' + _greater_number(max_row) + rb'))'
                      + _FILLED + rb')')


def _faults(piece: bytes, faults: dict[int, dict[int, str]]) -> None:
    """Record the error cells and the formulas without a stored value of `piece`."""
    for m in _ANY_CELL.finditer(piece):
        attrs, body = m.group(1), m.group(2) or b""
        is_error = _ERROR_ATTR.search(attrs) is not None
        has_formula = _FORMULA.search(body) is not None
        if not (is_error or has_formula):
            continue
        where = _R_ATTR.search(attrs)
        if where is None:
            continue  # no position to name (cells placed by order): calamine's blank stands
        row, col = int(where.group(2)), column_index(where.group(1))
        value = _VALUE.search(body)
        text = value.group(1).decode("utf-8", "replace").strip() if value else ""
        if is_error:
            faults.setdefault(row, {})[col] = text or "#VALUE!"
        elif not text and b't="str"' not in attrs and b't="inlineStr"' not in attrs:
            faults.setdefault(row, {})[col] = NO_VALUE


def read_xlsx_sparse(path: Path, sheet_name: str) -> list[Any]:
    """The sheet's rows (row i = Excel row i + 1; a row without cells is an empty tuple), each
    only as long as its last cell: memory follows the cells present, however far they reach.
    Read with openpyxl's streaming parser (about 10 times slower than calamine)."""
    from openpyxl import load_workbook
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[sheet_name]
        rows: list[Any] = []
        cells = 0
        empty = ()
        with ws._get_source() as src:
            parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                     date_formats=wb._date_formats,
                                     timedelta_formats=wb._timedelta_formats)
            for number, row_cells in parser.parse():
                if number > MAX_ROWS:
                    raise TooLarge(f"The sheet '{sheet_name}' has a row beyond {MAX_ROWS:,}.")
                values = [(c["column"], c["value"]) for c in row_cells if c["value"] is not None]
                if not values:
                    continue
                cells += len(values)
                if cells > MAX_CELLS:
                    raise TooLarge(f"The sheet '{sheet_name}' has more than {MAX_CELLS:,} filled "
                                   f"cells; WICS imports at most {MAX_CELLS:,}.")
                width = max(c for c, _ in values)
                if width > MAX_COLUMNS:
                    raise TooLarge(f"Row {number} of the sheet '{sheet_name}' goes beyond "
                                   f"column {MAX_COLUMNS:,}.")
                line = [""] * width
                for column, value in values:
                    line[column - 1] = value
                if len(rows) < number - 1:
                    rows.extend([empty] * (number - 1 - len(rows)))
                if len(rows) >= number:  # a row element repeated (crafted): merge
                    old = list(rows[number - 1])
                    old.extend([""] * (width - len(old)))
                    for column, value in values:
                        old[column - 1] = value
                    rows[number - 1] = old
                else:
                    rows.append(line)
        return rows
    finally:
        wb.close()


_ODS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def check_ods(path: Path) -> None:
    """Refuse an .ods workbook whose cells would make calamine allocate beyond the limits.

    calamine reads every sheet of an .ods file when it opens it, each as a dense block, and a
    cell repeated with table:number-columns-repeated / number-rows-repeated is one cell per
    repetition: a 2 KB file can ask for 27 million cells (1.7 GB). This streams content.xml
    and adds up, per sheet, the cells with a value and how far they reach."""
    from xml.etree.ElementTree import iterparse

    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    row_tag, cell_tag = f"{{{_ODS}}}table-row", f"{{{_ODS}}}table-cell"
    covered_tag, table_tag = f"{{{_ODS}}}covered-table-cell", f"{{{_ODS}}}table"
    rows_rep, cols_rep = f"{{{_ODS}}}number-rows-repeated", f"{{{_ODS}}}number-columns-repeated"
    value_type = f"{{{_OFFICE}}}value-type"
    with zf:
        try:
            fh = zf.open("content.xml")
        except KeyError:
            return
        with fh:
            row = cells = max_row = max_col = 0
            name = ""
            try:
                for event, el in iterparse(fh, events=("start", "end")):
                    if event == "start":
                        if el.tag == table_tag:
                            row = cells = max_row = max_col = 0
                            name = el.get(f"{{{_ODS}}}name", "")
                        continue
                    if el.tag == row_tag:
                        repeat = int(el.get(rows_rep, "1") or 1)
                        col = filled = 0
                        for cell in el:
                            if cell.tag not in (cell_tag, covered_tag):
                                continue
                            n = int(cell.get(cols_rep, "1") or 1)
                            if cell.get(value_type) is not None:
                                filled += n
                                max_col = max(max_col, col + n)
                            col += n
                        if filled:
                            cells += filled * repeat
                            max_row = row + repeat
                        row += repeat
                        el.clear()
                        if cells > MAX_CELLS:
                            raise TooLarge(f"The sheet '{name}' has more than {MAX_CELLS:,} "
                                           f"filled cells; WICS imports at most {MAX_CELLS:,}.")
                        if max_row * max_col > DENSE_CELLS:
                            raise TooLarge(
                                f"The cells of the sheet '{name}' reach row {max_row:,} and "
                                f"column {max_col:,}, too far apart for an .ods file: delete "
                                "the far-off cells, or save the sheet as .xlsx.")
            except TooLarge:
                raise
            except Exception:  # noqa: BLE001 - not well-formed (ParseError, zlib.error, a
                return  # repeat count that is no number, ...): calamine says what is wrong

