"""Building blocks printed reports share: barcodes with their text, label/value grids, tables,
ruled rows to write on, paragraphs. Each is measured on construction and paints at (x, y)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter

from . import code128
from .flow import Unit
from .style import GREY, LABEL_PT, SMALL_PT, PageStyle, TextBox

BARCODE_MODULE_MM = 0.33  # >= 0.3 mm: a bar is 3.9 pixels of a 300 dpi scan
BARCODE_MIN_MODULE_MM = 0.30
BARCODE_HEIGHT_MM = 10.0


class Barcode:
    """A Code128 symbol, optionally with its human-readable text centred beneath."""

    def __init__(self, style: PageStyle, text: str, max_width: float,
                 height_mm: float = BARCODE_HEIGHT_MM, human_readable: bool = True,
                 font: QFont | None = None) -> None:
        self.style, self.value = style, text
        self.bar_height = style.mm(height_mm)
        self.module = style.mm(BARCODE_MODULE_MM)
        self.ok = code128.encodable(text)
        if self.ok and code128.symbol_width(text, self.module) > max_width:
            self.module = max(style.mm(BARCODE_MIN_MODULE_MM),
                              max_width / code128.symbol_width(text, 1.0))
            self.ok = code128.symbol_width(text, self.module) <= max_width
        if self.ok:
            self.width = code128.symbol_width(text, self.module)
            self.label = (style.text(text, self.width, font or style.font(SMALL_PT),
                                     Qt.AlignmentFlag.AlignHCenter) if human_readable else None)
            self.height = self.bar_height + (self.label.height + style.mm(0.8)
                                             if self.label else 0)
        else:  # a character Code128 cannot carry, or far too long: say so, print the text
            self.label = style.text(f"{text}\n(no barcode: cannot be encoded)", max_width,
                                    font or style.font(SMALL_PT))
            self.width, self.height = min(max_width, self.label.natural_width), self.label.height

    @property
    def codes(self) -> tuple[str, ...]:
        """What a scanner reads here (nothing when the text could not be encoded)."""
        return (self.value,) if self.ok else ()

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        if not self.ok:
            self.label.paint(painter, x, y)
            return
        code128.paint(painter, x, y, self.value, self.module, self.bar_height)
        if self.label:
            self.label.paint(painter, x, y + self.bar_height + self.style.mm(0.8))


class FactGrid:
    """Label/value pairs in equal columns: small grey label over the value."""

    def __init__(self, style: PageStyle, pairs: Sequence[tuple[str, str]], width: float,
                 columns: int = 3, value_font: QFont | None = None,
                 wide: Sequence[tuple[str, str]] = ()) -> None:
        self.style = style
        gap = style.mm(3)
        col_w = (width - gap * (columns - 1)) / columns
        self.cells: list[tuple[float, float, TextBox, TextBox]] = []  # x, y, label, value
        label_font = style.font(LABEL_PT, bold=True)
        value_font = value_font or style.body
        y, row_h = 0.0, 0.0
        row_gap = style.mm(1.2)

        def cell(x: float, y: float, w: float, label: str, value: str) -> float:
            lab = style.text(label.upper(), w, label_font, color=GREY)
            val = style.text(value, w, value_font)
            self.cells.append((x, y, lab, val))
            return lab.height + val.height

        for i, (label, value) in enumerate(pairs):
            col = i % columns
            if col == 0 and i:
                y += row_h + row_gap
                row_h = 0.0
            row_h = max(row_h, cell(col * (col_w + gap), y, col_w, label, value))
        if pairs:
            y += row_h
        for label, value in wide:  # full-width rows (notes, long location lists)
            y += row_gap if self.cells else 0.0
            y += cell(0.0, y, width, label, value)
        self.height = y

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        for cx, cy, lab, val in self.cells:
            lab.paint(painter, x + cx, y + cy)
            val.paint(painter, x + cx, y + cy + lab.height)


@dataclass
class Column:
    header: str
    weight: float = 1.0
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft


@dataclass
class Table:
    """Columns over the page width; makes header and row units with ruled cells."""

    style: PageStyle
    columns: Sequence[Column]
    width: float | None = None
    pad_mm: float = 1.2
    x: float = 0.0
    xs: list[float] = field(default_factory=list, init=False)
    ws: list[float] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        width = self.width if self.width is not None else self.style.width
        total = sum(c.weight for c in self.columns)
        x = self.x
        for c in self.columns:
            w = width * c.weight / total
            self.xs.append(x)
            self.ws.append(w)
            x += w
        self.right = x

    def header(self, font: QFont | None = None, fill: QColor | None = None) -> Unit:
        from .style import SHADE

        return self.row([c.header for c in self.columns], font or self.style.font(SMALL_PT, True),
                        fill=fill or SHADE, rule_mm=0.35)

    def row(self, values: Sequence[object], font: QFont | None = None,
            fill: QColor | None = None, fills: Sequence[QColor | None] | None = None,
            min_height_mm: float = 0.0, rule_mm: float = 0.2, fonts=None,
            rules: bool = True) -> Unit:
        style, pad = self.style, self.style.mm(self.pad_mm)
        boxes = []
        # a row may carry fewer values than there are columns: the rest stay empty
        for i, (value, col) in enumerate(zip(values, self.columns, strict=False)):
            f = (fonts[i] if fonts and fonts[i] is not None else None) or font or style.body
            boxes.append(style.text("" if value is None else str(value),
                                    self.ws[i] - 2 * pad, f, col.align))
        height = max([b.height for b in boxes] + [0.0]) + 2 * pad
        height = max(height, style.mm(min_height_mm))
        xs, ws = self.xs, self.ws

        def paint(painter: QPainter, y: float) -> None:
            for i, box in enumerate(boxes):
                cell_fill = fills[i] if fills and fills[i] is not None else fill
                rect = QRectF(xs[i], y, ws[i], height)
                if cell_fill is not None:
                    painter.fillRect(rect, cell_fill)
                if rules:
                    style.box(painter, rect, rule_mm)
                box.paint(painter, xs[i] + pad, y + pad)

        return Unit(height, paint)


def paragraph(style: PageStyle, text: str, font: QFont | None = None,
              color: QColor | None = None, space_before_mm: float = 0.0,
              space_after_mm: float = 0.0, x: float = 0.0) -> Unit:
    box = style.text(text, style.width - x, font, color=color)
    before, after = style.mm(space_before_mm), style.mm(space_after_mm)

    def paint(painter: QPainter, y: float) -> None:
        box.paint(painter, x, y + before)

    return Unit(before + box.height + after, paint)


def spacer(style: PageStyle, mm: float) -> Unit:
    return Unit(style.mm(mm), lambda painter, y: None)


def rule(style: PageStyle, width_mm: float = 0.6, space_mm: float = 1.5) -> Unit:
    space = style.mm(space_mm)

    def paint(painter: QPainter, y: float) -> None:
        style.hline(painter, 0, style.width, y + space, width_mm)

    return Unit(2 * space, paint)


def signature_line(style: PageStyle, labels: Sequence[str] = ("Counted by", "Date"),
                   space_before_mm: float = 2.5, note: str = "") -> Unit:
    """'Counted by ________   Date ______' at the right, to sign; an optional note at the left."""
    font = style.font(SMALL_PT, bold=True)
    boxes = [style.text(label, style.width, font) for label in labels]
    note_box = style.text(note, style.width * 0.4, style.font(SMALL_PT, italic=True),
                          color=GREY) if note else None
    line_w = [style.mm(55), style.mm(30)]
    before = style.mm(space_before_mm)
    height = before + max([b.height for b in boxes]
                          + ([note_box.height] if note_box else [])) + style.mm(1)

    def paint(painter: QPainter, y: float) -> None:
        if note_box is not None:
            note_box.paint(painter, 0, y + before)
        gap = style.mm(3)
        widths = [b.natural_width + gap + line_w[min(i, 1)] for i, b in enumerate(boxes)]
        x = style.width - sum(widths) - gap * 2 * (len(boxes) - 1)
        for i, box in enumerate(boxes):
            box.paint(painter, x, y + before)
            lx = x + box.natural_width + gap
            base = y + before + box.height - style.mm(0.5)
            style.hline(painter, lx, lx + line_w[min(i, 1)], base, 0.3)
            x = lx + line_w[min(i, 1)] + gap * 2

    return Unit(height, paint)


def stack(units: Sequence[Unit]) -> Unit:
    """Several units as one (a 'continued' heading over a table header)."""
    def paint(painter: QPainter, y: float) -> None:
        for u in units:
            u.paint(painter, y)
            y += u.height

    return Unit(sum(u.height for u in units), paint)
