"""Material lists (by part type, last count date, value) and the material locations report on
paper: one table row per material, the table's column titles repeated on every page."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from ...core.expressions import format_quantity
from ...core.reports.locations import LocationsReport
from ...core.reports.material_lists import BY_PART_TYPE, MaterialList
from ...core.reports.numbers import money
from ...core.services.fields import plural
from .flow import Block, Section
from .pieces import Column, Table, paragraph
from .report_frame import FramedDocument, long_date, short_date
from .style import GREY, HEADING_PT, SMALL_PT, PageStyle

RIGHT = Qt.AlignmentFlag.AlignRight


def _sap_dates(dates: dict) -> str:
    if not dates:
        return "SAP date none"
    return "SAP dates " + ", ".join(f"{org} {short_date(d) if d else 'none'}"
                                    for org, d in sorted(dates.items()))


def _rows_blocks(style: PageStyle, table: Table, key: str, rows) -> list[Block]:
    """One block per (values, note) row; the header repeats when a row starts a page."""
    header = table.header()
    font = style.font(SMALL_PT + 0.5)
    blocks = []
    for i, (values, note) in enumerate(rows):
        units = [table.row(values, font=font,
                           fonts=[style.font(SMALL_PT + 0.5, bold=True)] + [None] * 20)]
        if note:
            units.append(paragraph(style, note, style.font(SMALL_PT, italic=True), GREY,
                                   space_before_mm=0.4, space_after_mm=0.8, x=table.ws[0] * 0.25))
        blocks.append(Block(f"{key}:{i}", units, running_head=header))
    return blocks


class MaterialListDocument(FramedDocument):
    landscape = True

    def __init__(self, report: MaterialList, printed_at: dt.datetime | None = None) -> None:
        super().__init__(printed_at)
        self.report = report
        self.title = f"{report.title} {report.as_of.isoformat()}"
        self.footer_text = f"{report.title} as of {long_date(report.as_of)}"

    def sections(self, style: PageStyle) -> list[Section]:
        r = self.report
        table = Table(style, [Column("MATERIAL", 1.3), Column("PART TYPE", 0.8),
                              Column("DESCRIPTION", 1.8), Column("LAST COUNTED", 0.85),
                              Column("LAST FOUND AT", 1.2), Column("SAP QTY", 0.8, RIGHT),
                              Column("TOTAL VALUE", 1.0, RIGHT), Column("UNIT VALUE", 0.8, RIGHT),
                              Column("SCHEDULED", 0.9)])
        blocks: list[Block] = [Block("header", [table.header()])]
        current = object()
        for i, m in enumerate(r.rows):
            if r.by == BY_PART_TYPE and m.part_type != current:
                current = m.part_type
                blocks.append(Block(f"group:{i}", [paragraph(
                    style, f"Part type {m.part_type or '(none)'}", style.font(HEADING_PT, True),
                    space_before_mm=3, space_after_mm=1), table.header()], keep_with_next=True))
            sched = ("TODAY" if m.scheduled_today else "") + (
                f"{' · ' if m.scheduled_today else ''}next {short_date(m.next_scheduled)}"
                if m.next_scheduled else "")
            values = [m.material, m.part_type or "—", m.description,
                      short_date(m.last_count_date), ", ".join(m.last_found_at) or "—",
                      "No SAP qty" if m.sap_qty is None else format_quantity(m.sap_qty),
                      money(m.total_value, m.currency),
                      "—" if m.unit_value is None else f"{m.unit_value:,.4f}", sched or "—"]
            blocks += _rows_blocks(style, table, f"material:{m.material}",
                                   [(values, f"Notes: {m.notes}" if m.notes else "")])
        if r.by == BY_PART_TYPE and r.rows:
            blocks.pop(0)  # every group brings its own header
        if not r.rows:
            blocks = [Block("empty", [paragraph(style, "No materials.")])]
        lines = [f"As of {long_date(r.as_of)}  ·  {_sap_dates(r.sap_dates)}",
                 plural(len(r.rows), "material")]
        return [self.section(style, "list", r.title, lines, blocks, gap_mm=0)]


class LocationsDocument(FramedDocument):
    landscape = True

    def __init__(self, report: LocationsReport, printed_at: dt.datetime | None = None) -> None:
        super().__init__(printed_at)
        self.report = report
        self.title = f"Material Locations {report.as_of.isoformat()}"
        self.footer_text = f"Material Locations as of {long_date(report.as_of)}"

    def sections(self, style: PageStyle) -> list[Section]:
        r = self.report
        table = Table(style, [Column("MATERIAL", 1.3), Column("PART TYPE", 0.8),
                              Column("DESCRIPTION", 1.8), Column("LAST COUNTED", 0.85),
                              Column("LAST FOUND AT", 1.3), Column("SAP STORAGE LOCATIONS", 1.3)])
        rows = []
        for m in r.materials:
            slocs = ", ".join(f"{s.storage_location or '—'}: {format_quantity(s.quantity)}"
                              for s in m.sap_locations)
            rows.append(([m.material, m.part_type or "—", m.description,
                          short_date(m.last_count_date), ", ".join(m.last_found_at) or "—",
                          slocs or "—"], f"Notes: {m.notes}" if m.notes else ""))
        blocks = [Block("header", [table.header()])] + _rows_blocks(style, table, "material", rows)
        if not rows:
            blocks = [Block("empty", [paragraph(style, "No materials to show.")])]
        first = self.section(
            style, "materials", f"Material Locations as of {r.as_of.isoformat()}",
            [f"{plural(len(r.materials), 'material')} · {r.hidden} left out (no SAP stock and "
             f"not counted in the last {r.days_if_no_sap} days)"], blocks, gap_mm=0)

        loc_table = Table(style, [Column("LOCATION", 1.0),
                                  Column("MATERIALS LAST FOUND THERE", 3.5)])
        loc_rows = [([g.location, ", ".join(f"{e.material} ({e.count_date:%m/%d})"
                                            for e in g.materials)], "") for g in r.locations]
        loc_blocks = ([Block("header", [loc_table.header()])]
                      + _rows_blocks(style, loc_table, "location", loc_rows)) if loc_rows else [
            Block("empty", [paragraph(style, "No counts yet.")])]
        second = self.section(style, "by-location", "Material Locations by Location", [
            f"As of {long_date(r.as_of)} · {plural(len(r.locations), 'location')} · "
            "each material's last count date in brackets"], loc_blocks, gap_mm=0)
        return [first, second]
