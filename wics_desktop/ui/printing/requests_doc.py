"""Requested Counts on paper: the requests as the Requested Counts list shows them (open ones,
or all with "show filled"), grouped by count date, newest first, one row per request with its
notes under it; the table's column titles repeat on every page. Built from core's
`schedule.requests()` rows (one query), painted by the one paged-document print path."""
from __future__ import annotations

import datetime as dt
from itertools import groupby

from ...core.services.fields import plural
from ...core.services.schedule import RequestRow
from .flow import Block, Section
from .pieces import Column, Table, paragraph
from .report_docs import _rows_blocks
from .report_frame import FramedDocument, long_date
from .style import HEADING_PT, PageStyle


def status_text(row: RequestRow) -> str:
    if row.counted:
        return "COUNTED"
    return "FILLED" if row.filled else "open"


class RequestedCountsDocument(FramedDocument):
    landscape = True

    def __init__(self, rows: list[RequestRow], include_filled: bool = False,
                 printed_at: dt.datetime | None = None, printed_by: str = "") -> None:
        super().__init__(printed_at)
        self.rows = rows
        self.include_filled = include_filled
        self.printed_by = printed_by
        self.title = "Requested Counts" + (" (all)" if include_filled else " (open)")
        self.footer_text = self.title

    def sections(self, style: PageStyle) -> list[Section]:
        table = Table(style, [Column("MATERIAL", 1.3), Column("REQUESTOR", 0.9),
                              Column("COUNTER", 0.9), Column("PRIORITY", 0.6),
                              Column("REASON", 1.3), Column("STATUS", 0.7)])
        blocks: list[Block] = []
        for day, group in groupby(self.rows, key=lambda r: r.entry.count_date):
            group = list(group)
            blocks.append(Block(f"date:{day}", [paragraph(
                style, f"{long_date(day)}  ·  {plural(len(group), 'request')}",
                style.font(HEADING_PT, True), space_before_mm=3, space_after_mm=1),
                table.header()], keep_with_next=True))
            rows = []
            for r in group:
                e = r.entry
                rows.append(([e.material, e.requestor or "—", e.counter or "(anyone)",
                              e.priority or "—", e.reason or "—", status_text(r)],
                             f"Notes: {e.notes}" if e.notes else ""))
            blocks += _rows_blocks(style, table, f"requests:{day}", rows)
        if not blocks:
            blocks = [Block("empty", [paragraph(
                style, "No requested counts." if self.include_filled
                else "No open requests: every requested count has been done.")])]
        scope = ("every request, filled ones included" if self.include_filled
                 else "open requests (not counted, not marked filled)")
        lines = [f"{plural(len(self.rows), 'request')} · {scope}",
                 f"Printed by {self.printed_by}" if self.printed_by else ""]
        return [self.section(style, "requests", self.title, lines, blocks, gap_mm=0)]
