"""The one road by which WICS writes an xlsx file: reports, lists, table exports, error workbooks.

Why one road: text that reaches a workbook comes from people and from files (a counter's name,
notes, the cells of a rejected row). openpyxl turns any string starting with "=" into a formula,
so `=HYPERLINK("http://x","y")` typed as a note became a live link in every workbook. Here every
string is written as a text cell (inline string, never an <f> element); one starting with =, +,
- or @ also gets Excel's "quote prefix" so that editing the cell in Excel keeps it text.
Numbers stay numbers and dates stay dates, so Excel can still sort and sum.

Also handled once for every writer: control characters (openpyxl refuses them; shown as \\x00),
text longer than a cell holds (cut at 32,767 characters), NaN/infinity (not valid in xlsx:
written as text), a file written under a temporary name and renamed, so a crash or cancel never
leaves half a workbook under the real name.

API (streaming, write-only: memory stays flat for a million rows):

    book = XlsxBook()
    sheet = book.sheet("Title", [Header("Part", width=20), Header("Qty", "#,##0.###")])
    sheet.append(["A-1", 3.5])        # values: str, int, float, Decimal, date, bool, None
    sheet.append(["B-2", Styled(87.5, fill="FFC7CE", color="9C0006")])  # a coloured cell
    book.hidden_sheet("WICS", [["kind", "sap-soh"]])   # optional: marks for a later reader
    book.save(path)                    # -> Path; InputRejected when the file cannot be written
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import InputRejected

__all__ = ["Header", "Styled", "XlsxBook", "XlsxSheet", "cell_value", "FORMULA_STARTS",
           "MAX_TEXT"]

HEADER_GREY = "808080"
FORMULA_STARTS = ("=", "+", "-", "@")
MAX_TEXT = 32767  # Excel's limit for one cell
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Styled:
    """A value with a look of its own (a band colour, bold): put it in a row instead of the bare
    value. `fill` and `color` are RGB hex ("FFC7CE"); text stays text, numbers stay numbers."""
    value: Any
    fill: str | None = None
    color: str | None = None
    bold: bool = False
    number_format: str | None = None


@dataclass(frozen=True)
class Header:
    title: str
    number_format: str | None = None  # e.g. '#,##0.00', 'yyyy-mm-dd'
    width: float | None = None


def _visible(text: str) -> str:
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT]


def cell_value(value: Any) -> Any:
    """The plain value to store: str, int, float, date, datetime, bool or None."""
    if value is None or value == "":
        return None
    if value.__class__ is str:
        return _visible(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, Decimal):
            value = float(value) if value.is_finite() else str(value)
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)  # xlsx has no NaN or infinity: say it in words
        return value
    if isinstance(value, (dt.datetime, dt.date)):
        return value.replace(tzinfo=None) if isinstance(value, dt.datetime) else value
    if isinstance(value, (list, tuple)):
        return _visible(", ".join(str(v) for v in value))
    if isinstance(value, dt.timedelta):
        return str(value)
    return _visible(str(value))


class XlsxSheet:
    """One worksheet being written; rows go out as they are appended."""

    def __init__(self, book: XlsxBook, ws: Any, headers: Sequence[Header], *, header_style: str,
                 freeze: bool, autofilter: bool) -> None:
        from openpyxl.utils import get_column_letter

        self._book, self._ws = book, ws
        self.formats = [h.number_format for h in headers]
        self.rows = 0
        for i, h in enumerate(headers, start=1):
            if h.width:
                ws.column_dimensions[get_column_letter(i)].width = h.width
        if freeze and headers:
            ws.freeze_panes = "A2"
        if autofilter and headers:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"
        if headers:
            font, fill = book.header_font[header_style], book.header_fill.get(header_style)
            ws.append([self._header_cell(h.title, font, fill) for h in headers])

    def _header_cell(self, title: str, font: Any, fill: Any) -> Any:
        cell = self._text_cell(_visible(str(title)))
        cell.font = font
        if fill is not None:
            cell.fill = fill
        return cell

    def _plain(self, value: Any) -> Any:
        from openpyxl.cell import WriteOnlyCell
        return WriteOnlyCell(self._ws, value=value)

    def _text_cell(self, text: str) -> Any:
        from openpyxl.cell import WriteOnlyCell
        cell = WriteOnlyCell(self._ws, value=text)
        cell.data_type = "s"  # never "f": the text is shown, not calculated
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
        return cell

    def styled(self, item: Styled, number_format: str | None = None) -> Any:
        """A cell object for a Styled value (fonts and fills are shared, one per look)."""
        from openpyxl.styles import Font, PatternFill

        value = cell_value(item.value)
        cell = (self._text_cell(value) if value.__class__ is str
                else self._plain(value))
        fmt = item.number_format or number_format
        if fmt and value.__class__ is not str and value is not None:
            cell.number_format = fmt
        elif isinstance(value, dt.date):
            cell.number_format = ("yyyy-mm-dd hh:mm" if isinstance(value, dt.datetime)
                                  else "yyyy-mm-dd")
        key: tuple[Any, ...]
        if item.fill:
            key = ("fill", item.fill)
            if key not in self._book.looks:
                self._book.looks[key] = PatternFill("solid", start_color=item.fill,
                                                    end_color=item.fill)
            cell.fill = self._book.looks[key]
        if item.bold or item.color:
            key = ("font", item.bold, item.color)
            if key not in self._book.looks:
                self._book.looks[key] = Font(bold=item.bold, color=item.color)
            cell.font = self._book.looks[key]
        return cell

    def cell(self, value: Any, number_format: str | None = None) -> Any:
        """What to hand openpyxl for one value: the plain value when it is safe as it is, else
        a cell object (text starting like a formula, a number format, a date, a Styled)."""
        if value.__class__ is Styled:
            return self.styled(value, number_format)
        value = cell_value(value)
        if value is None or value == "":
            return None
        if value.__class__ is str:
            # plain strings are already text cells, except those openpyxl would take for a
            # formula; those starting with + - @ get the quote prefix too (Excel would read
            # them as a formula once someone edits the cell)
            return self._text_cell(value) if value[0] in "=+-@" else value
        if number_format or isinstance(value, dt.date):
            if isinstance(value, bool):
                return value
            cell = self._plain(value)
            cell.number_format = number_format or (
                "yyyy-mm-dd hh:mm" if isinstance(value, dt.datetime) else "yyyy-mm-dd")
            return cell
        return value

    def append(self, values: Iterable[Any], formats: Sequence[str | None] | None = None) -> None:
        formats = self.formats if formats is None else formats
        cells = []
        for i, value in enumerate(values):
            cells.append(self.cell(value, formats[i] if i < len(formats) else None))
        self._ws.append(cells)
        self.rows += 1

    def set_autofilter(self, columns: int, rows: int) -> None:
        from openpyxl.utils import get_column_letter
        if columns:
            self._ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(rows, 1)}"

    def set_width(self, column: int, width: float) -> None:
        from openpyxl.utils import get_column_letter
        self._ws.column_dimensions[get_column_letter(column)].width = width


class XlsxBook:
    """A write-only workbook whose every text cell is text (see the module's docstring)."""

    def __init__(self) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Font, PatternFill

        self._wb = Workbook(write_only=True)
        self.header_font = {"grey": Font(bold=True, color="FFFFFF"), "bold": Font(bold=True)}
        self.header_fill = {"grey": PatternFill("solid", start_color=HEADER_GREY,
                                                end_color=HEADER_GREY)}
        self._titles: set[str] = set()
        # shared Font/PatternFill objects of Styled values
        self.looks: dict[tuple[Any, ...], Any] = {}

    def _title(self, title: str) -> str:
        # a sheet title holds at most 31 characters and none of []:*?/\
        clean = re.sub(r"[\[\]:*?/\\]", "_", _visible(title or "Sheet")).strip("'")[:31] or "Sheet"
        base, n = clean, 2
        while clean.lower() in self._titles:
            suffix = f" ({n})"
            clean, n = base[:31 - len(suffix)] + suffix, n + 1
        self._titles.add(clean.lower())
        return clean

    def sheet(self, title: str, headers: Sequence[Header | str], *, header_style: str = "grey",
              freeze: bool = True, autofilter: bool = True) -> XlsxSheet:
        heads = [h if isinstance(h, Header) else Header(str(h)) for h in headers]
        ws = self._wb.create_sheet(title=self._title(title))
        return XlsxSheet(self, ws, heads, header_style=header_style, freeze=freeze,
                         autofilter=autofilter)

    def hidden_sheet(self, title: str, rows: Iterable[Sequence[Any]]) -> None:
        """A sheet people do not see, for marks a later import reads (e.g. what wrote it)."""
        ws = self._wb.create_sheet(title=self._title(title))
        ws.sheet_state = "hidden"
        sheet = XlsxSheet(self, ws, [], header_style="bold", freeze=False, autofilter=False)
        for row in rows:
            sheet.append(row)

    def set_property(self, *, title: str | None = None, subject: str | None = None,
                     keywords: str | None = None) -> None:
        props = self._wb.properties
        if title is not None:
            props.title = title
        if subject is not None:
            props.subject = subject
        if keywords is not None:
            props.keywords = keywords

    def save(self, path: str | Path) -> Path:
        """Write under a temporary name, then rename: the real name is whole or untouched."""
        target = Path(path)
        tmp = target.with_name(target.name + ".part")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._wb.save(tmp)
            tmp.replace(target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise InputRejected(f"Cannot write {target}: {exc.strerror or exc}") from exc
        return target
