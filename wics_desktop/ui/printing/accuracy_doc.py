"""`wics report accuracy --pdf`: the accuracy-over-time table on paper, one row per period and
group, cells of the band counts tinted with the band colours the count summary uses."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from ...core.reports.accuracy import AccuracyReport
from ...core.services.fields import plural
from .flow import Block, Section
from .pieces import Column, Table, paragraph
from .report_frame import FramedDocument
from .style import BAND_COLORS, SMALL_PT, PageStyle

RIGHT = Qt.AlignmentFlag.AlignRight


def _pct(value) -> str:
    return "—" if value is None else f"{value:.2f}"


class AccuracyDocument(FramedDocument):
    def __init__(self, report: AccuracyReport, printed_at: dt.datetime | None = None) -> None:
        super().__init__(printed_at)
        self.report = report
        self.title = f"Accuracy {report.date_from.isoformat()} to {report.date_to.isoformat()}"
        self.footer_text = f"Inventory accuracy {report.date_from} to {report.date_to}"

    def sections(self, style: PageStyle) -> list[Section]:
        r = self.report
        group_title = {"org": "ORGANIZATION", "part-type": "PART TYPE",
                       "counter": "COUNTER"}.get(r.by, "GROUP")
        table = Table(style, [Column(r.period.upper(), 1.0), Column(group_title, 1.2),
                              Column("COUNTED", 0.8, RIGHT), Column("MEAN ACC. %", 0.9, RIGHT),
                              Column("DANGER", 0.7, RIGHT), Column("WARNING", 0.7, RIGHT),
                              Column("SUCCESS", 0.7, RIGHT), Column("ABS. DIFF VALUE", 1.1, RIGHT)])
        header = table.header()
        font = style.font(SMALL_PT + 0.5)
        blocks = [Block("header", [header])]
        for i, row in enumerate(r.rows):
            fills = [None] * 4 + [BAND_COLORS["danger"] if row.danger else None,
                                  BAND_COLORS["warning"] if row.warning else None,
                                  BAND_COLORS["success"] if row.success else None, None]
            unit = table.row([row.period, row.group, f"{row.materials_counted:,}",
                              _pct(row.mean_accuracy), row.danger, row.warning, row.success,
                              f"{row.abs_diff_value_total:,.2f}"], font=font, fills=fills)
            blocks.append(Block(f"row:{i}", [unit], running_head=header))
        if not r.rows:
            blocks = [Block("empty", [paragraph(style, "Nothing was counted in this period.")])]
        b = r.bands
        lines = [f"By {r.by or 'all materials'}, per {r.period} · "
                 f"{plural(sum(x.materials_counted for x in r.rows), 'material count')} · "
                 f"bands: danger below {b.danger:g}, warning above {b.warning:g}, "
                 f"success above {b.success:g}"]
        return [self.section(style, "accuracy", self.title, lines, blocks, gap_mm=0)]
