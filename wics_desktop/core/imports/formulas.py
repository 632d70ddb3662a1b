"""The text of formulas in a quantity column: '=1080*4+791' kept as the evidence of a count.

calamine gives only a formula's cached value (5111); for .xlsx/.xlsm files this module reads
the formulas of one column straight from the sheet's XML (a regular-expression scan: openpyxl
needs seconds for a big sheet). The counts import starts the scan (`FormulaScan`) while the
sheet is parsed.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .addresses import column_letter, sheet_member
from .background import Background

__all__ = ["FORMULA_SUFFIXES", "formula_texts", "FormulaScan"]

FORMULA_SUFFIXES = {".xlsx", ".xlsm"}  # whose formula texts WICS reads

_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]+)(\d+)\"[^>]*?"
                   rb"(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_F = re.compile(rb"<(?:\w+:)?f(\s[^>]*?)?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_NAMES = re.compile(r"[A-Za-z]")
_SI = re.compile(rb"\bsi=\"(\d+)\"")

# (the sheet's name as the workbook writes it, its XML when its cells hold a formula)
_SheetXml = tuple[str | None, bytes | None]


def formula_texts(path: str | Path, sheet_name: str, column: int, first_row: int) -> dict[int, str]:
    """Excel row -> formula text ('=1080*4+791') of the cells in `column`, from `first_row` on.

    A quantity typed as '=1080*4+791' is a formula to Excel; calamine gives only its cached
    value (5111), and the expression is the evidence WICS keeps. Only plain arithmetic counts:
    a formula that refers to cells or calls a function (=B2*2, =SUM(...)) is read as its value.
    """
    path = Path(path)
    if path.suffix.lower() not in FORMULA_SUFFIXES:
        return {}
    try:
        _, data = _sheet_xml_with_formulas(path, sheet_name)
    except Exception:  # noqa: BLE001 - not ours to judge the file: calamine already read it
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
        self._scan: Background[_SheetXml] | None = (
            Background(_sheet_xml_with_formulas, self.path, sheet)
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


def _sheet_xml_with_formulas(path: Path, sheet_name: str) -> _SheetXml:
    """(The sheet's name as the workbook writes it, its XML if its cells hold any formula, else
    None). The name is found as read_sheet finds it (exactly, else ignoring case).

    Streams the sheet and stops at the first formula tag or at the end of the cell data, so a
    sheet without formulas costs one decompression pass and no copy. (`<f` starts only formula
    tags inside sheetData; <formula>, <filterColumn>... come after it.)
    """
    with zipfile.ZipFile(path) as zf:
        name, member = sheet_member(zf, sheet_name)
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
