"""The count summary on paper: a section per organization, its sections (Scheduled and Counted,
Unscheduled, Scheduled but Not Counted, or the requests variant), one row per material with
counters, count total, SAP total, difference, accuracy shaded by band, the value of the
difference and the recount state; beneath it its count lines in their own columns (counter,
location, expression, quantity) and, for a recount, the earlier result it repeats. Each
organization opens with the colour legend and ends with the value at stake."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ...core.expressions import format_quantity
from ...core.reports.count_summary import CountSummary, SummaryCount, SummaryMaterial, review_text
from ...core.reports.numbers import band_words, money
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


def recount_word(m: SummaryMaterial) -> str:
    return review_text(m, short_date)


def value_line(org) -> str:
    """The organization's footer: what its differences are worth."""
    signed, absolute = org.value_totals()
    currencies = org.currencies()
    unit = f" {currencies[0]}" if len(currencies) == 1 else (
        f" (mixed: {', '.join(currencies)})" if currencies else "")
    flagged = sum(1 for sec in org.sections for m in sec.materials if m.recount)
    uncounted = sum(abs(m.diff_value) for sec in org.sections for m in sec.materials
                    if m.recount is None and m.diff_value)
    note = f", {uncounted:,.2f} of it not counted" if uncounted else ""
    return (f"{org.org}: value at stake {absolute:,.2f}{unit} (absolute differences{note}; "
            f"net {signed:,.2f}) · {flagged} flagged for recount")


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
        return Table(style, [Column("MATERIAL", 1.25), Column("DESCRIPTION", 1.5),
                             Column("COUNTER", 0.8), Column("LOCATION", 0.85),
                             Column("EXPRESSION", 0.95),
                             Column("COUNTED", 0.8, right), Column("SAP", 0.75, right),
                             Column("DIFF", 0.7, right), Column("ACCURACY", 0.9, right),
                             Column("VALUE", 1.05, right), Column("RECOUNT", 0.9)])

    def legend_block(self, style: PageStyle, org: str) -> Block:
        """The colours and words a supervisor reads, as on the screen."""
        b, rule = self.summary.bands, self.summary.rule
        words = [("danger", band_words("danger", b)), (None, band_words(None, b)),
                 ("warning", band_words("warning", b)), ("success", band_words("success", b))]
        legend = Table(style, [Column("", 1.0) for _ in words] + [Column("", 2.2)])
        value_rule = (f"or |value| > {rule.above_value:,.2f}" if rule.above_value > 0
                      else "(value rule off)")
        row = legend.row([w for _, w in words]
                         + [f"RECOUNT: accuracy < {rule.below_accuracy:g}% {value_rule}, "
                            "unless approved"],
                         font=style.font(SMALL_PT), fills=[band_color(k) for k, _ in words]
                         + [None])
        return Block(f"legend:{org}", [row, paragraph(style, "", space_after_mm=1)],
                     keep_with_next=True)

    def sections(self, style: PageStyle) -> list[Section]:
        b = self.summary.bands
        bands = (f"Accuracy bands: below danger < {b.danger:g} %, warning > {b.warning:g} %, "
                 f"success > {b.success:g} %")
        out = []
        for org in self.summary.orgs:
            blocks: list[Block] = [self.legend_block(style, org.org)]
            for sec in org.sections:
                blocks += self.section_blocks(style, org.org, sec)
            blocks.append(Block(f"value:{org.org}", [paragraph(
                style, value_line(org), style.font(HEADING_PT, bold=True),
                space_before_mm=3)]))
            sap_day = (short_date(org.sap_date) if org.sap_date
                       else "none (no upload on or before)")
            lines = [f"Count date {long_date(self.summary.count_date)}  ·  SAP date {sap_day}",
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
        description = m.description + (f" ({m.part_type})" if m.part_type else "")
        values = [m.material, description, ", ".join(m.counters) or "—", "", "",
                  format_quantity(m.count_total) if counted else "—",
                  format_quantity(m.sap_total), format_quantity(m.diff), accuracy_text(m),
                  money(m.diff_value, m.currency), recount_word(m)]
        bold = style.font(SMALL_PT + 0.5, bold=True)
        fills = [None] * 8 + [band_color(m.band), None,
                              BAND_COLORS["danger"] if m.recount else None]
        units = [table.row(values, font=style.font(SMALL_PT + 0.5), fills=fills,
                           fonts=[bold] + [None] * 7 + [bold, None, bold])]
        small = style.font(SMALL_PT)
        for e in m.earlier:  # the result this recount repeats, beside the recount's lines
            units.append(table.row(
                [f"earlier {short_date(e.count_date)}", "", "", "", "",
                 format_quantity(e.count_total), format_quantity(e.sap_total),
                 format_quantity(e.count_total - e.sap_total),
                 "—" if e.accuracy is None else f"{e.accuracy:.2f} %", "", ""],
                font=style.font(SMALL_PT, italic=True), rules=False))
            units += [self.count_row(style, table, c, small) for c in e.counts]
        if m.earlier and m.counts:
            units.append(table.row([f"recount {short_date(self.summary.count_date)}"]
                                   + [""] * 10, font=style.font(SMALL_PT, italic=True),
                                   rules=False))
        units += [self.count_row(style, table, c, small) for c in m.counts]
        sched = schedule_line(m)
        if sched:
            indent = table.ws[0] * 0.25
            units.append(paragraph(style, sched, small, GREY,
                                   space_before_mm=0.6, space_after_mm=1.2, x=indent))
        return units

    @staticmethod
    def count_row(style: PageStyle, table: Table, c: SummaryCount, font) -> Unit:
        """One count line in its own columns: counter, location, expression, quantity; what
        else it says (package, tag, flags, notes) under the description."""
        return table.row(["", " · ".join(c.extras(notes_label="notes: ")), c.counter,
                          c.location, "location only" if c.location_only else c.expression,
                          "" if c.quantity is None else format_quantity(c.quantity),
                          "", "", "", "", ""], font=font, rules=False)

