"""A small page-flow engine: sections of blocks laid out onto pages, then painted.

Two passes, because a header says "page 2 of 5": `layout()` measures every block and decides
the pages (a plain model tests can inspect), `paint()` draws them. Rules:

- every section starts on a new page and has its own page header (and page count);
- a block is never split across pages: when it does not fit in what is left of a page it moves
  to the next page. Only a block taller than a whole page is split, between its units, and its
  `continued` heading is repeated at the top of the next page;
- a block marked `keep_with_next` (a heading) moves with the next block (with its first unit
  when the next block is taller than a page);
- a block marked `new_page` starts a page;
- a block's `running_head` (a table's column titles) is repeated when the block starts a page.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtGui import QPagedPaintDevice, QPainter

from ...core.progress import Progress, check_cancel, ensure
from .style import PageStyle

PaintAt = Callable[[QPainter, float], None]  # paint at y (x 0, full body width)


@dataclass
class Unit:
    """The smallest thing on a page: a measured height and how to paint it."""

    height: float
    paint: PaintAt
    barcodes: tuple[str, ...] = ()  # what its barcodes encode (tests scan pages against it)


@dataclass
class Block:
    key: str  # what it is, for tests and progress ("material:A-100")
    units: list[Unit]
    continued: Unit | None = None  # repeated on the next page if the block has to split
    keep_with_next: bool = False
    new_page: bool = False  # start a new page (a list that follows a section's sheets)
    running_head: Unit | None = None  # put first on a page this block starts (table header)

    @property
    def height(self) -> float:
        return sum(u.height for u in self.units)


@dataclass
class PageInfo:
    number: int  # 1-based, whole document
    total: int
    section_number: int  # 1-based, within its section
    section_total: int


@dataclass
class Section:
    key: str
    blocks: list[Block]
    header_height: float = 0.0
    paint_header: Callable[[QPainter, PageInfo], None] | None = None
    gap: float = 0.0  # space between blocks


@dataclass
class Placement:
    key: str
    y: float  # within the page body
    units: list[Unit]
    piece: int = 0  # >0 for the continuation pieces of a split block


@dataclass
class Page:
    section: int
    placements: list[Placement] = field(default_factory=list)
    section_number: int = 0
    section_total: int = 0

    @property
    def keys(self) -> list[str]:
        return [p.key for p in self.placements]

    @property
    def barcodes(self) -> list[str]:
        return [code for p in self.placements for u in p.units for code in u.barcodes]


@dataclass
class DocumentLayout:
    style: PageStyle
    sections: list[Section]
    pages: list[Page]
    footer_height: float

    def pages_of(self, key: str) -> list[int]:
        """Page indexes (0-based) a block appears on: one, unless it was taller than a page."""
        return [i for i, p in enumerate(self.pages) if key in p.keys]


class PagedDocument(ABC):
    """Base of every printed report: subclasses build sections for a PageStyle."""

    title = "WICS Desktop"
    landscape = False  # wide tables (summary, lists) print across the page

    @abstractmethod
    def sections(self, style: PageStyle) -> list[Section]:
        """The report's content, laid out for this page style."""

    def footer_height(self, style: PageStyle) -> float:
        return 0.0

    def paint_footer(  # noqa: B027 - optional: a document without a footer keeps this
            self, painter: QPainter, style: PageStyle, info: PageInfo, y: float) -> None:
        """Draw the page footer at y (the top of the footer band)."""

    # ---- pass 1 ---------------------------------------------------------------------------
    def layout(self, device: QPagedPaintDevice) -> DocumentLayout:
        style = PageStyle(device)
        sections = self.sections(style)
        footer = self.footer_height(style)
        pages: list[Page] = []
        for s_index, section in enumerate(sections):
            body = style.height - section.header_height - footer
            first = len(pages)
            _flow(section, s_index, body, pages)
            count = len(pages) - first
            for n, page in enumerate(pages[first:], start=1):
                page.section_number, page.section_total = n, count
        return DocumentLayout(style, sections, pages, footer)

    # ---- pass 2 ---------------------------------------------------------------------------
    def paint(self, device: QPagedPaintDevice, layout: DocumentLayout | None = None,
              progress: Progress | None = None) -> DocumentLayout:
        """Lay out (unless given) and paint every page onto the device."""
        progress = ensure(progress)
        layout = layout or self.layout(device)
        painter = QPainter()
        if not painter.begin(device):
            raise RuntimeError("cannot paint on the output device (is the file writable?)")
        try:
            total = len(layout.pages)
            for i, page in enumerate(layout.pages):
                check_cancel(progress)
                if i:
                    device.newPage()
                section = layout.sections[page.section]
                info = PageInfo(i + 1, total, page.section_number, page.section_total)
                if section.paint_header is not None:
                    section.paint_header(painter, info)
                top = section.header_height
                for placement in page.placements:
                    y = top + placement.y
                    for unit in placement.units:
                        unit.paint(painter, y)
                        y += unit.height
                self.paint_footer(painter, layout.style, info,
                                  layout.style.height - layout.footer_height)
                progress.step(i + 1, total, f"Page {i + 1} of {total}")
        finally:
            painter.end()
        return layout


def _flow(section: Section, s_index: int, body: float, pages: list[Page]) -> None:
    page = Page(s_index)
    pages.append(page)
    y = 0.0
    blocks = section.blocks

    def new_page() -> None:
        nonlocal page, y
        page = Page(s_index)
        pages.append(page)
        y = 0.0

    for b_index, block in enumerate(blocks):
        if block.new_page and page.placements:
            new_page()
        head = block.running_head
        gap = section.gap if page.placements else 0.0
        need = block.height
        if block.keep_with_next and b_index + 1 < len(blocks) and blocks[b_index + 1].units:
            follower = blocks[b_index + 1]  # all of it, unless it will have to split anyway
            need += section.gap + (follower.height if follower.height <= body
                                   else follower.units[0].height)
        if y + gap + need <= body:
            page.placements.append(Placement(block.key, y + gap, block.units))
            y += gap + block.height
            continue
        head_h = head.height if head else 0.0
        if need + head_h <= body:  # fits on a page of its own: move it, never split it
            if page.placements:
                new_page()
            units = ([head] if head else []) + block.units
            page.placements.append(Placement(block.key, 0.0, units))
            y = head_h + block.height
            continue
        # Taller than a page: split between units, repeating the block's heading.
        if page.placements:
            new_page()
        piece, units, start = 0, [], y
        for unit in block.units:
            if units and y + unit.height > body:
                page.placements.append(Placement(block.key, start, units, piece))
                new_page()
                piece += 1
                units = [block.continued] if block.continued else []
                y = block.continued.height if block.continued else 0.0
                start = 0.0
            units.append(unit)
            y += unit.height  # a single unit taller than a page is clipped; none is that tall
        page.placements.append(Placement(block.key, start, units, piece))
    return None
