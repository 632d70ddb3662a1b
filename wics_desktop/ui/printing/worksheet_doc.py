"""Count sheets (count worksheets): the paper a counter carries, painted from the core's
Worksheet data.

By counter: a section per counter ("Unassigned" last), one block per material: its Code128
barcode, what it is, where it was last found, the book quantity (never in blind mode) and ruled
rows LOCATION | QUANTITY | NOTES to write on, last-found locations pre-filled. By location: the
same sections, walking the locations in order; each location is headed by its name and its own
barcode, with the materials last found there beneath it; materials never counted come last.
Each section ends with the counter's material list (with barcodes) and, by counter, the list of
their last-found locations. Next to each quantity box the sheet says what P and C mean for
that material (`P = 40 · C = 12`), so a counter can write 3P+2C+17. A blind recount prints
blind on its own line even when the rest of the sheet shows book quantities.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from ...core.display import parse_display_name
from ...core.expressions import first_number, format_quantity
from ...core.reports.worksheet import BY_COUNTER, Worksheet, WorksheetMaterial
from ...core.services.fields import plural
from .flow import Block, Section, Unit
from .pieces import Barcode, Column, FactGrid, Table, paragraph, rule, signature_line, spacer, stack
from .report_frame import FramedDocument, long_date, short_date
from .style import BODY_PT, GREY, HEADING_PT, SMALL_PT, PageStyle

UNASSIGNED = "Unassigned"
WRITE_ROW_MM = 8.0  # room for a handwritten quantity expression


@dataclass(frozen=True)
class SheetOptions:
    rows: int = 4  # LOCATION rows per material: last-found locations first, then blank ones
    min_blank_rows: int = 2  # always at least this many blank rows
    extra_rows_per_location: int = 2  # by location: rows for other materials found there

    def blank_rows(self, prefilled: int) -> int:
        return max(self.min_blank_rows, self.rows - prefilled)


def _dash(value) -> str:
    text = "" if value is None else str(value).strip()
    return text or "—"


def pack_hint(m: WorksheetMaterial) -> str:
    """'P = 40 · C = 12' (what the pack letters mean for this material), '' when neither."""
    bits = []
    for letter, text in (("P", m.typical_pallet_qty), ("C", m.typical_container_qty)):
        size = first_number(text)
        if size is not None:
            value = int(size) if size.denominator == 1 else float(size)
            bits.append(f"{letter} = {format_quantity(value)}")
    return " · ".join(bits)


def last_found_text(m: WorksheetMaterial) -> str:
    if not m.last_found_at:
        return "Never counted"
    return f"{', '.join(m.last_found_at)} on {short_date(m.last_count_date)}"


class WorksheetDocument(FramedDocument):
    """The count sheets of one Worksheet, ready to lay out on any paged device."""

    def __init__(self, sheet: Worksheet, options: SheetOptions | None = None,
                 printed_at: dt.datetime | None = None) -> None:
        super().__init__(printed_at)
        self.sheet = sheet
        self.options = options or SheetOptions()
        self.title = f"Count sheets {sheet.count_date.isoformat()}"
        self.footer_text = (f"Count sheets for {long_date(sheet.count_date)}"
                            + (" · BLIND" if sheet.blind else ""))

    # ---- grouping -------------------------------------------------------------------------
    def counters(self) -> list[tuple[str | None, list]]:
        """[(counter, items)] in print order; items are materials (by counter) or
        (location, [materials]) pairs in walk order (by location)."""
        if self.sheet.by == BY_COUNTER:
            return [(g.counter, list(g.materials)) for g in self.sheet.groups]
        per: dict[str | None, list] = {}
        for g in self.sheet.groups:
            for m in g.materials:
                locs = per.setdefault(m.counter, [])
                if not locs or locs[-1][0] != g.location:
                    locs.append((g.location, []))
                locs[-1][1].append(m)
        named = sorted(k for k in per if k is not None)
        return [(k, per[k]) for k in named] + ([(None, per[None])] if None in per else [])

    # ---- sections -------------------------------------------------------------------------
    def sections(self, style: PageStyle) -> list[Section]:
        if not self.sheet.groups:
            text = f"No counts scheduled for {long_date(self.sheet.count_date)}."
            block = Block("empty", [paragraph(style, text, style.font(HEADING_PT, bold=True),
                                              space_before_mm=20)])
            return [self.section(style, "empty", "Count sheets", [
                f"Count date {long_date(self.sheet.count_date)}"], [block])]
        return [self._counter_section(style, counter, items)
                for counter, items in self.counters()]

    def _sap_line(self, materials: list[WorksheetMaterial]) -> str:
        if self.sheet.blind:
            return "BLIND COUNT: no book quantities on these sheets"
        orgs = sorted({m.org for m in materials})
        dates = [(o, self.sheet.sap_dates.get(o)) for o in orgs]
        if len(dates) == 1:
            return f"SAP date {short_date(dates[0][1]) if dates[0][1] else 'none'} ({dates[0][0]})"
        return "SAP dates " + ", ".join(f"{o} {short_date(d) if d else 'none'}" for o, d in dates)

    def _counter_section(self, style: PageStyle, counter: str | None, items: list) -> Section:
        name = counter or UNASSIGNED
        by_counter = self.sheet.by == BY_COUNTER
        materials = items if by_counter else _unique(m for _, ms in items for m in ms)
        if by_counter:
            order = f"By counter · {plural(len(materials), 'material')}"
            blocks = [self.material_block(style, name, m) for m in materials]
        else:
            located = [(loc, ms) for loc, ms in items if loc is not None]
            order = (f"Walk order by location · {plural(len(materials), 'material')} at "
                     f"{plural(len(located), 'location')}")
            blocks = [self.location_block(style, name, loc, ms) for loc, ms in located]
            never = [m for loc, ms in items if loc is None for m in ms]
            if never:
                blocks.append(Block(f"never:{name}", [paragraph(
                    style, "Not found before: look for "
                    + ("this material" if len(never) == 1 else f"these {len(never)} materials"),
                    style.font(HEADING_PT, bold=True))], keep_with_next=True))
                blocks += [self.material_block(style, name, m) for m in never]
        blocks += self.material_list_blocks(style, name, materials)
        if by_counter:
            blocks.append(self.locations_list_block(style, name, materials))
        title = f"Count sheet: {name}" if counter else "Count sheet: Unassigned (no counter)"
        lines = [f"Count date {long_date(self.sheet.count_date)}  ·  {self._sap_line(materials)}",
                 order]
        return self.section(style, f"counter:{name}", title, lines, blocks,
                            right="BLIND" if self.sheet.blind else "", gap_mm=5)

    # ---- one material ---------------------------------------------------------------------
    def facts(self, style: PageStyle, m: WorksheetMaterial, width: float,
              with_last_found: bool = True) -> FactGrid:
        part, _ = parse_display_name(m.material)
        pairs = [("Part number", part), ("Organization", m.org),
                 ("Part type", _dash(m.part_type)), ("Priority", _dash(m.priority)),
                 ("Scheduled counter", m.counter or UNASSIGNED)]
        if m.blind and not self.sheet.blind:  # a blind recount on a sheet that shows them
            pairs.append(("SAP quantity", "blind recount"))
        elif not self.sheet.blind:  # blind: the book quantity is nowhere on the sheet
            pairs.append(("SAP quantity", format_quantity(m.sap_qty) or "0"))
        pairs += [("Typical container qty", _dash(m.typical_container_qty)),
                  ("Typical pallet qty", _dash(m.typical_pallet_qty))]
        if with_last_found:  # the locations themselves are pre-filled in the rows below
            n = len(m.last_found_at)
            pairs.append(("Last found", f"{short_date(m.last_count_date)} (see rows)"
                          if n else "Never counted"))
        pairs += [("Requestor", _dash(m.requestor)), ("Reason scheduled", _dash(m.reason))]
        wide = [(label, value) for label, value in (("Schedule notes", m.schedule_notes),
                                                    ("Material notes", m.material_notes))
                if value and value.strip()]
        return FactGrid(style, pairs, width, columns=4, wide=wide)

    def head_unit(self, style: PageStyle, m: WorksheetMaterial) -> Unit:
        """Barcode (with its text) at the left, the material's name and description beside."""
        code = Barcode(style, m.material, style.width * 0.6, height_mm=11)
        gap = style.mm(5)
        text_w = style.width - code.width - gap
        stacked = text_w < style.mm(60)
        if stacked:
            text_w = style.width
        title = style.text(m.material, text_w, style.font(15, bold=True))
        desc = style.text(m.description or "(no description)", text_w, style.font(BODY_PT + 1))
        text_h = title.height + desc.height
        height = code.height + text_h + style.mm(1) if stacked else max(code.height, text_h)

        def paint(painter: QPainter, y: float) -> None:
            code.paint(painter, 0, y)
            x, ty = (0.0, y + code.height + style.mm(1)) if stacked else (code.width + gap, y)
            title.paint(painter, x, ty)
            desc.paint(painter, x, ty + title.height)

        return Unit(height + style.mm(2), paint, code.codes)

    def material_block(self, style: PageStyle, section: str, m: WorksheetMaterial) -> Block:
        grid = self.facts(style, m, style.width)
        hint = pack_hint(m)
        table = Table(style, [Column("LOCATION", 1.0),
                              Column(f"QUANTITY  ({hint})" if hint else "QUANTITY (expression)",
                                     1.15),
                              Column("NOTES", 1.35)])
        units = [spacer(style, 1.0), self.head_unit(style, m),
                 Unit(grid.height + style.mm(2.5), lambda p, y: grid.paint(p, 0, y)),
                 table.header()]
        bold = style.font(BODY_PT + 1, bold=True)
        units += [table.row([loc, "", ""], min_height_mm=WRITE_ROW_MM, fonts=[bold, None, None])
                  for loc in m.last_found_at]
        units += [table.row(["", "", ""], min_height_mm=WRITE_ROW_MM)
                  for _ in range(self.options.blank_rows(len(m.last_found_at)))]
        units.append(signature_line(style))
        units.append(rule(style, 0.7, 2.0))  # a heavy line between materials
        cont = paragraph(style, f"{m.material} (continued)", style.font(SMALL_PT, bold=True),
                         space_after_mm=1)
        return Block(f"material:{section}:{m.material}", units, continued=cont)

    # ---- one location (walk order) -------------------------------------------------------
    def location_block(self, style: PageStyle, section: str, location: str,
                       materials: list[WorksheetMaterial]) -> Block:
        table = Table(style, [Column("MATERIAL", 2.6), Column("QUANTITY (expression)", 1.1),
                              Column("NOTES", 1.0)])
        units = [spacer(style, 1.0), self._location_head(style, location), table.header()]
        units += [self._location_row(style, table, m) for m in materials]
        units += [table.row(["", "", ""], min_height_mm=WRITE_ROW_MM)
                  for _ in range(self.options.extra_rows_per_location)]
        units.append(signature_line(style, note="Blank rows: other materials found here."))
        units.append(rule(style, 0.7, 2.0))
        cont = stack([paragraph(style, f"Location {location} (continued)",
                                      style.font(SMALL_PT, bold=True), space_after_mm=1),
                            table.header()])
        return Block(f"location:{section}:{location}", units, continued=cont)

    def _location_head(self, style: PageStyle, location: str) -> Unit:
        label = style.text("LOCATION", style.width, style.font(SMALL_PT, bold=True), color=GREY)
        code = Barcode(style, location, style.width * 0.55, height_mm=11, human_readable=False)
        name_w = style.width - code.width - style.mm(5)
        name = style.text(location, name_w, style.font(20, bold=True))
        height = max(label.height + name.height, code.height) + style.mm(2)

        def paint(painter: QPainter, y: float) -> None:
            label.paint(painter, 0, y)
            name.paint(painter, 0, y + label.height)
            code.paint(painter, style.width - code.width, y)

        return Unit(height, paint, code.codes)

    def _location_row(self, style: PageStyle, table: Table, m: WorksheetMaterial) -> Unit:
        """The MATERIAL cell: barcode at the left, what it is beside it (stacked if the
        barcode is wide); QUANTITY and NOTES cells left empty to write in."""
        pad = style.mm(table.pad_mm)
        width = table.ws[0] - 2 * pad
        code = Barcode(style, m.material, width, height_mm=9)
        side = code.width <= width * 0.5
        text_x = code.width + style.mm(2) if side else 0.0
        text_w = width - text_x
        title = style.text(m.material, text_w, style.font(BODY_PT + 1, bold=True))
        desc = style.text(m.description or "(no description)", text_w, style.body)
        bits = [f"Typ. container {_dash(m.typical_container_qty)}",
                f"pallet {_dash(m.typical_pallet_qty)}",
                f"last found {last_found_text(m)}"]
        if m.priority:
            bits.append(f"priority {m.priority}")
        if m.blind and not self.sheet.blind:
            bits.append("blind recount")
        elif not self.sheet.blind:
            bits.append(f"SAP qty {format_quantity(m.sap_qty) or '0'}")
        lines = [" · ".join(bits)]
        if m.reason:
            lines.append(f"Reason: {m.reason}" + (f" (requested by {m.requestor})"
                                                  if m.requestor else ""))
        notes = "; ".join(n for n in (m.schedule_notes, m.material_notes) if n)
        if notes:
            lines.append(f"Notes: {notes}")
        more = style.text("\n".join(lines), text_w, style.font(SMALL_PT))
        hint = pack_hint(m)  # what P and C mean, inside the box the counter writes in
        packs = style.text(hint, table.ws[1] - 2 * pad, style.font(SMALL_PT), color=GREY) \
            if hint else None
        text_h = title.height + desc.height + more.height
        inner = max(code.height, text_h) if side else code.height + style.mm(1) + text_h
        height = inner + 2 * pad

        def paint(painter: QPainter, y: float) -> None:
            for x, w in zip(table.xs, table.ws, strict=True):
                style.box(painter, QRectF(x, y, w, height), 0.2)
            x, yy = table.xs[0] + pad, y + pad
            code.paint(painter, x, yy)
            tx, ty = (x + text_x, yy) if side else (x, yy + code.height + style.mm(1))
            for box in (title, desc, more):
                box.paint(painter, tx, ty)
                ty += box.height
            if packs is not None:
                packs.paint(painter, table.xs[1] + pad, y + pad)

        return Unit(height, paint, code.codes)

    # ---- the lists after a counter's sheets ----------------------------------------------
    def material_list_blocks(self, style: PageStyle, section: str,
                             materials: list[WorksheetMaterial]) -> list[Block]:
        head = Block(f"materials-list:{section}", [paragraph(
            style, f"{section}: materials to count ({len(materials)})",
            style.font(HEADING_PT, bold=True), space_after_mm=1)], keep_with_next=True,
            new_page=True)
        return [head] + [Block(f"list-item:{section}:{m.material}",
                               [self._list_item(style, m)]) for m in materials]

    def _list_item(self, style: PageStyle, m: WorksheetMaterial) -> Unit:
        code = Barcode(style, m.material, style.width * 0.5, height_mm=9)
        x = max(code.width + style.mm(5), style.width * 0.36)
        w = style.width - x
        title = style.text(m.material, w, style.font(BODY_PT + 1, bold=True))
        desc = style.text(m.description or "", w, style.body)
        found = style.text(f"Last found: {last_found_text(m)}", w, style.font(SMALL_PT))
        height = max(code.height, title.height + desc.height + found.height) + style.mm(3)

        def paint(painter: QPainter, y: float) -> None:
            code.paint(painter, 0, y + style.mm(1))
            title.paint(painter, x, y + style.mm(1))
            desc.paint(painter, x, y + style.mm(1) + title.height)
            found.paint(painter, x, y + style.mm(1) + title.height + desc.height)
            style.hline(painter, 0, style.width, y + height, 0.15, GREY)

        return Unit(height, paint, code.codes)

    def locations_list_block(self, style: PageStyle, section: str,
                             materials: list[WorksheetMaterial]) -> Block:
        rows = sorted((loc, m.last_count_date, m.material)
                      for m in materials for loc in m.last_found_at)
        table = Table(style, [Column("LOCATION", 1.2), Column("LAST COUNTED", 0.8),
                              Column("MATERIAL", 1.6)])
        units = [paragraph(style, f"{section}: where these materials were last found",
                           style.font(HEADING_PT, bold=True), space_after_mm=0.5),
                 paragraph(style, "Material may be in locations not listed here.",
                           style.font(SMALL_PT, italic=True), GREY, space_after_mm=1.5)]
        if rows:
            units.append(table.header())
            units += [table.row([loc, short_date(day), name]) for loc, day, name in rows]
        else:
            units.append(paragraph(style, "None of these materials has been counted before."))
        # follows the material list on its page when it fits, else starts the next one
        return Block(f"locations-list:{section}", units, continued=table.header())


def _unique(materials) -> list[WorksheetMaterial]:
    seen, out = set(), []
    for m in materials:
        if m.schedule_id not in seen:
            seen.add(m.schedule_id)
            out.append(m)
    return sorted(out, key=lambda m: m.material)

