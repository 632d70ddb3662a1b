"""Measures, fonts and wrapped text for printed pages, in the paint device's own units.

Everything printed is sized in millimetres and points and converted here with the device's
resolution, so the same code gives the same paper from a 1200 dpi QPdfWriter, a 600 dpi
printer and the print preview. Text is laid out once with QTextLayout on the device (the
measured height is exactly what gets painted) and kept for the paint pass.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPainter,
    QPen,
    QTextLayout,
    QTextOption,
)

# Arial/Helvetica where they exist (Windows, macOS), the usual free look-alikes elsewhere.
FAMILIES = ["Arial", "Helvetica", "Liberation Sans", "Nimbus Sans", "DejaVu Sans"]

BODY_PT = 10.0
SMALL_PT = 9.0
LABEL_PT = 8.0
HEADING_PT = 13.0
TITLE_PT = 16.0

GREY = QColor(90, 90, 90)
# Accuracy bands, on screen and on paper alike: light shades under black text, readable in a
# light or dark theme and on a black-and-white printer.
BAND_COLORS = {"danger": QColor("#f4c7c3"), "warning": QColor("#fce8b2"),
               "success": QColor("#b7e1cd")}
LIGHT = QColor(170, 170, 170)
SHADE = QColor(238, 238, 238)


class TextBox:
    """A piece of text laid out to a width; `height` is what `paint` will cover."""

    def __init__(self, text: str, font: QFont, width: float, device,
                 align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
                 color: QColor | None = None) -> None:
        self.text = text
        self.color = color
        if not text:  # empty cells are common (rows to write on): one line, nothing to draw
            self.layout = None
            self.height = QFontMetricsF(font, device).lineSpacing()
            self.natural_width = 0.0
            return
        # QTextLayout breaks lines only at U+2028; a part number longer than the width
        # breaks anywhere instead of running off the page.
        self.layout = QTextLayout(text.replace("\r\n", "\n").replace("\n", "\u2028"), font,
                                  device)
        option = QTextOption(align)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.layout.setTextOption(option)
        self.layout.beginLayout()
        y, widest = 0.0, 0.0
        while True:
            line = self.layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(width, 1.0))
            line.setPosition(QPointF(0, y))
            y += line.height()
            widest = max(widest, line.naturalTextWidth())
        self.layout.endLayout()
        self.height = y
        self.natural_width = widest

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        if self.layout is None:
            return
        painter.save()
        painter.setPen(self.color or Qt.GlobalColor.black)
        self.layout.draw(painter, QPointF(x, y))
        painter.restore()


@dataclass
class PageStyle:
    """The page of one device: usable width/height (device units) and unit conversions."""

    device: QPagedPaintDevice

    def __post_init__(self) -> None:
        self.dpi = float(self.device.logicalDpiY())
        rect = self.device.pageLayout().paintRectPixels(round(self.dpi))
        self.width = float(rect.width())
        self.height = float(rect.height())
        self._fonts: dict[tuple, QFont] = {}
        self._texts: dict[tuple, TextBox] = {}
        self._font_keys: dict[int, str] = {}

    # ---- units ----------------------------------------------------------------------------
    def mm(self, value: float) -> float:
        return value * self.dpi / 25.4

    def pt(self, value: float) -> float:
        return value * self.dpi / 72.0

    # ---- fonts ----------------------------------------------------------------------------
    def font(self, size_pt: float = BODY_PT, bold: bool = False, italic: bool = False) -> QFont:
        key = (size_pt, bold, italic)
        font = self._fonts.get(key)
        if font is None:
            font = QFont()
            font.setFamilies(FAMILIES)
            font.setStyleHint(QFont.StyleHint.SansSerif)
            # pixel size from the device's resolution: no guessing which DPI Qt will apply
            font.setPixelSize(max(1, round(self.pt(size_pt))))
            font.setBold(bold)
            font.setItalic(italic)
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            self._fonts[key] = font
            self._font_keys[id(font)] = font.key()
        return font

    @property
    def body(self) -> QFont:
        return self.font(BODY_PT)

    @property
    def bold(self) -> QFont:
        return self.font(BODY_PT, bold=True)

    def text(self, text: str, width: float, font: QFont | None = None,
             align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
             color: QColor | None = None) -> TextBox:
        """Laid-out text; identical pieces (labels, column titles, blank cells) are laid out
        once and shared, which is most of the text on 500 count sheets."""
        font = font or self.body
        align_key = int(align.value if hasattr(align, "value") else align)
        key = (text or "", self._font_keys.get(id(font)) or font.key(), round(width), align_key,
               color.rgba() if color is not None else None)
        box = self._texts.get(key)
        if box is None:
            box = self._texts[key] = TextBox(text or "", font, width, self.device, align, color)
        return box

    # ---- pens -----------------------------------------------------------------------------
    def pen(self, width_mm: float = 0.25, color: QColor | Qt.GlobalColor = Qt.GlobalColor.black
            ) -> QPen:
        pen = QPen(color)
        pen.setWidthF(self.mm(width_mm))
        return pen

    def hline(self, painter: QPainter, x1: float, x2: float, y: float, width_mm: float = 0.25,
              color=Qt.GlobalColor.black) -> None:
        painter.save()
        painter.setPen(self.pen(width_mm, color))
        painter.drawLine(QPointF(x1, y), QPointF(x2, y))
        painter.restore()

    def box(self, painter: QPainter, rect: QRectF, width_mm: float = 0.25,
            fill: QColor | None = None) -> None:
        painter.save()
        painter.setPen(self.pen(width_mm))
        if fill is not None:
            painter.setBrush(fill)
        painter.drawRect(rect)
        painter.restore()
