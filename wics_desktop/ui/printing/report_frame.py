"""The frame every printed report shares: page header (title, subtitle lines, page x of y of the
section) and footer (what was printed, when, and the sheet number of the whole print)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter

from .flow import PagedDocument, PageInfo, Section
from .style import GREY, LABEL_PT, SMALL_PT, TITLE_PT, PageStyle


def long_date(day: dt.date | None) -> str:
    return f"{day:%A} {day.isoformat()}" if day else "—"


def short_date(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def header(style: PageStyle, title: str, lines: Sequence[str],
           right: str = "") -> tuple[float, callable]:
    """A page header: bold title with 'Page x of y' at the right, subtitle lines, a thick rule.
    Returns (height, paint(painter, info)); `right` is printed above the page number."""
    page_font = style.font(SMALL_PT, bold=True)
    sample = style.text("Page 999 of 999", style.width, page_font)
    right_w = sample.natural_width + style.mm(2)
    right_box = style.text(right, right_w * 1.6, style.font(SMALL_PT), Qt.AlignmentFlag.AlignRight)
    title_box = style.text(title, style.width - right_w * 1.6 - style.mm(3),
                           style.font(TITLE_PT, bold=True))
    line_boxes = [style.text(line, style.width - right_w - style.mm(3), style.font(SMALL_PT))
                  for line in lines if line]
    top = max(title_box.height, right_box.height + sample.height)
    height = top + sum(b.height for b in line_boxes) + style.mm(4.5)

    def paint(painter: QPainter, info: PageInfo) -> None:
        title_box.paint(painter, 0, 0)
        x_right = style.width - right_w * 1.6
        if right:
            right_box.paint(painter, x_right, 0)
        page = style.text(f"Page {info.section_number} of {info.section_total}", right_w * 1.6,
                          page_font, Qt.AlignmentFlag.AlignRight)
        page.paint(painter, x_right, right_box.height if right else 0)
        y = top
        for box in line_boxes:
            box.paint(painter, 0, y)
            y += box.height
        style.hline(painter, 0, style.width, y + style.mm(1.5), 0.8)

    return height, paint


class FramedDocument(PagedDocument):
    """A PagedDocument with the shared footer: `footer_text` left, 'sheet n of N' right."""

    footer_text = "WICS Desktop"

    def __init__(self, printed_at: dt.datetime | None = None) -> None:
        self.printed_at = printed_at or dt.datetime.now()

    def footer_height(self, style: PageStyle) -> float:
        return style.text("Xg", style.width, style.font(LABEL_PT)).height + style.mm(3)

    def paint_footer(self, painter: QPainter, style: PageStyle, info: PageInfo,
                     y: float) -> None:
        font = style.font(LABEL_PT)
        style.hline(painter, 0, style.width, y + style.mm(1.2), 0.2, GREY)
        left = style.text(f"{self.footer_text} · printed {self.printed_at:%Y-%m-%d %H:%M}",
                          style.width * 0.7, font, color=GREY)
        left.paint(painter, 0, y + style.mm(2))
        right = style.text(f"sheet {info.number} of {info.total}", style.width * 0.3, font,
                           Qt.AlignmentFlag.AlignRight, GREY)
        right.paint(painter, style.width * 0.7, y + style.mm(2))

    def section(self, style: PageStyle, key: str, title: str, lines: Sequence[str],
                blocks, right: str = "", gap_mm: float = 4.0) -> Section:
        height, paint = header(style, title, lines, right)
        return Section(key, blocks, height + style.mm(3), paint, style.mm(gap_mm))
