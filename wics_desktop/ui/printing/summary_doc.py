"""The count summary on paper: a section per organization, its sections (Scheduled and Counted,
Unscheduled, Scheduled but Not Counted, or the requests variant), one row per material with
counters, count total, SAP total, difference and accuracy shaded by band, its count lines
beneath."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ...core.expressions import format_quantity
from ...core.reports.count_summary import CountSummary, SummaryCount, SummaryMaterial
from .flow import Block, Section, Unit
from .pieces import Column, Table, paragraph, stack
from .report_frame import FramedDocument, long_date, short_date
from .style import BAND_COLORS, GREY, HEADING_PT, SMALL_PT, PageStyle

RIGHT = Qt.AlignmentFlag.AlignRight


def band_color(band: str | None) -> QColor | None:
    return BAND_COLORS.get(band or "")


def accuracy_text(m: SummaryMaterial) -> str:
    return "—" if m.accuracy is None else f"{m.accuracy:.2f} %"


def count_line(c: SummaryCount) -> str:
    return " · ".join([c.counter, c.location, c.what(), *c.extras(notes_label="notes: ")])


def schedule_line(m: SummaryMaterial) -> str:
    bits = []
    if m.scheduled:
        bits.append(f"Scheduled counter {m.scheduled_counter or '—'}")
    if m.requestor:
        bits.append(f"requested by {m.requestor}"
                    + (f" (filled: {'yes' if m.filled else 'no'})" if m.filled is not None else ""))
    for label, value in (("priority", m.priority), ("reason", m.reason),
                         ("schedule notes", m.schedule_notes)):
        if value:
            bits.append(f"{label}: {value}")
    return " · ".join(bits)


class CountSummaryDocument(FramedDocument):
    landscape = True

    def __init__(self, summary: CountSummary, printed_at: dt.datetime | None = None) -> None:
        super().__init__(printed_at)
        self.summary = summary
        name = "Requested Count Summary" if summary.requests else "Count Summary"
        self.name = name
        self.title = f"{name} {summary.count_date.isoformat()}"
        self.footer_text = f"{name} for {long_date(summary.count_date)}"

    def table(self, style: PageStyle) -> Table:
        right = RIGHT
        return Table(style, [Column("MATERIAL", 1.3), Column("DESCRIPTION", 2.2),
                             Column("PART TYPE", 0.9), Column("COUNTERS", 1.0),
                             Column("COUNTED", 0.8, right), Column("SAP", 0.8, right),
                             Column("DIFF", 0.8, right), Column("ACCURACY", 0.75, right)])

    def sections(self, style: PageStyle) -> list[Section]:
        b = self.summary.bands
        bands = (f"Accuracy bands: danger below {b.danger:g} %, warning above {b.warning:g} %, "
                 f"success above {b.success:g} %")
        out = []
        for org in self.summary.orgs:
            blocks: list[Block] = []
            for sec in org.sections:
                blocks += self.section_blocks(style, org.org, sec)
            lines = [f"Count date {long_date(self.summary.count_date)}  ·  SAP date "
                     f"{short_date(org.sap_date) if org.sap_date else 'none (no upload on or before)'}",
                     bands]
            out.append(self.section(style, f"org:{org.org}", f"{self.name}: {org.org}", lines,
                                    blocks, gap_mm=0))
        if not out:
            out.append(self.section(style, "empty", self.name,
                                    [f"Count date {long_date(self.summary.count_date)}"],
                                    [Block("empty", [paragraph(style, "No organizations.")])]))
        return out

    def section_blocks(self, style: PageStyle, org: str, sec) -> list[Block]:
        table = self.table(style)
        title = f"{sec.title} ({len(sec.materials)})"
        heading = paragraph(style, title, style.font(HEADING_PT, bold=True),
                            space_before_mm=4, space_after_mm=1.5)
        if not sec.materials:
            return [Block(f"heading:{org}:{sec.title}", [heading, paragraph(
                style, "None.", style.font(SMALL_PT, italic=True), GREY)])]
        cont = paragraph(style, f"{sec.title} (continued)", style.font(SMALL_PT, bold=True),
                         space_after_mm=1)
        running = stack([cont, table.header()])
        blocks = [Block(f"heading:{org}:{sec.title}", [heading, table.header()],
                        keep_with_next=True)]
        for m in sec.materials:
            blocks.append(Block(f"summary:{org}:{sec.title}:{m.material}",
                                self.material_units(style, table, m), running_head=running))
        return blocks

    def material_units(self, style: PageStyle, table: Table, m: SummaryMaterial) -> list[Unit]:
        counted = bool(m.counts)
        values = [m.material, m.description, m.part_type or "—", ", ".join(m.counters) or "—",
                  format_quantity(m.count_total) if counted else "—",
                  format_quantity(m.sap_total), format_quantity(m.diff), accuracy_text(m)]
        bold = style.font(SMALL_PT + 0.5, bold=True)
        fills = [None] * 7 + [band_color(m.band)]
        units = [table.row(values, font=style.font(SMALL_PT + 0.5), fills=fills,
                           fonts=[bold] + [None] * 6 + [bold])]
        details = [count_line(c) for c in m.counts]
        sched = schedule_line(m)
        if sched:
            details.append(sched)
        if details:
            indent = table.ws[0] * 0.25
            units.append(paragraph(style, "\n".join(details), style.font(SMALL_PT), GREY,
                                   space_before_mm=0.6, space_after_mm=1.2, x=indent))
        return units

