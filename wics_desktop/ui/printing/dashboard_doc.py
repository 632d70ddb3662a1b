"""The dashboard on paper: its six charts, two side by side, drawn as vectors (the pyqtgraph
scenes painted onto the page), then the numbers behind them as tables - accuracy per period,
the largest differences, overdue materials by ABC class, SAP upload age.

The charts are built here at a fixed size from the dashboard data (not grabbed from the
screen), so the printout looks the same whatever the window size; this needs the
QApplication the desktop has (pyqtgraph charts are widgets).
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QRectF, Qt

from ...core.expressions import format_quantity
from ...core.reports.dashboard import Dashboard
from .flow import Block, Section, Unit
from .pieces import Column, Table, paragraph
from .report_frame import FramedDocument
from .style import BAND_COLORS, HEADING_PT, SMALL_PT, PageStyle

RIGHT = Qt.AlignmentFlag.AlignRight
CHART_PX = (520, 290)  # the size the charts are laid out at before being scaled onto paper
ROWS = (("accuracy", "bands"), ("counters", "differences"), ("overdue", "sap"))


def _pct(value) -> str:
    return "—" if value is None else f"{value:.2f}"


class DashboardDocument(FramedDocument):
    landscape = True

    def __init__(self, board: Dashboard, printed_at: dt.datetime | None = None) -> None:
        super().__init__(printed_at)
        self.board = board
        who = board.org or "all organizations"
        self.title = f"Dashboard {who} {board.date_from.isoformat()} to {board.date_to.isoformat()}"
        self.footer_text = f"Dashboard, {who}, {board.date_from} to {board.date_to}"
        # Widgets: made here, on the GUI thread, which must also paint the document.
        from ..screens.dashboard_charts import build_charts

        self._charts = build_charts(board)
        for chart in self._charts.values():
            chart.for_print(*CHART_PX)

    def charts(self):
        return self._charts

    def _chart_row(self, style: PageStyle, keys) -> Unit:
        charts = self.charts()
        gap = style.mm(6)
        width = (style.width - gap) / 2
        height = width * CHART_PX[1] / CHART_PX[0]

        def paint(painter, y: float) -> None:
            for i, key in enumerate(keys):
                target = QRectF(i * (width + gap), y, width, height)
                painter.save()
                charts[key].paint_into(painter, target)
                painter.restore()

        return Unit(height + style.mm(4), paint)

    def sections(self, style: PageStyle) -> list[Section]:
        b = self.board
        mean = "—" if b.mean_accuracy is None else f"{b.mean_accuracy:.2f} %"
        lines = [f"Per {b.period} · mean accuracy {mean} over {b.materials_counted:,} material "
                 f"counts · bands: danger below {b.bands.danger:g}, warning above "
                 f"{b.bands.warning:g}, success above {b.bands.success:g} · overdue as of "
                 f"{b.as_of.isoformat()}"]
        blocks = [Block(f"charts:{i}", [self._chart_row(style, keys)])
                  for i, keys in enumerate(ROWS)]
        blocks += self._tables(style)
        return [self.section(style, "dashboard", self.title, lines, blocks, gap_mm=2)]

    def _table(self, style: PageStyle, key: str, title: str, columns, rows,
               fills=None) -> list[Block]:
        table = Table(style, columns, pad_mm=0.8)
        head = table.header()
        heading = paragraph(style, title, style.font(HEADING_PT - 2, True), space_before_mm=3,
                            space_after_mm=1)
        out = [Block(f"{key}:title", [heading, head], keep_with_next=True)]
        font = style.font(SMALL_PT)
        for i, values in enumerate(rows):
            out.append(Block(f"{key}:{i}", [table.row(values, font=font,
                                                      fills=fills[i] if fills else None)],
                             running_head=head))
        if not rows:
            out.append(Block(f"{key}:empty", [paragraph(style, "None.", font)]))
        return out

    def _tables(self, style: PageStyle) -> list[Block]:
        b = self.board
        blocks = self._table(
            style, "accuracy", "Accuracy per period",
            [Column(b.period.upper(), 1.0), Column("COUNTED", 0.8, RIGHT),
             Column("MEAN ACC. %", 0.9, RIGHT), Column("DANGER", 0.7, RIGHT),
             Column("WARNING", 0.7, RIGHT), Column("SUCCESS", 0.7, RIGHT),
             Column("NO BAND", 0.7, RIGHT), Column("LAST COUNT DATE", 1.0)],
            [[p.period, f"{p.materials_counted:,}", _pct(p.mean_accuracy), p.danger, p.warning,
              p.success, p.no_band, p.last_date.isoformat()] for p in b.accuracy],
            [[None, None, None, BAND_COLORS["danger"] if p.danger else None,
              BAND_COLORS["warning"] if p.warning else None,
              BAND_COLORS["success"] if p.success else None, None, None] for p in b.accuracy])
        blocks += self._table(
            style, "differences", "Largest differences by value",
            [Column("DATE", 0.8), Column("MATERIAL", 1.2), Column("ORG", 0.5),
             Column("DESCRIPTION", 2.0), Column("COUNTED", 0.8, RIGHT), Column("SAP", 0.8, RIGHT),
             Column("DIFFERENCE", 0.8, RIGHT), Column("ACC. %", 0.6, RIGHT),
             Column("VALUE", 1.0, RIGHT)],
            [[x.count_date.isoformat(), x.material, x.org, x.description,
              format_quantity(x.count_total), format_quantity(x.sap_total),
              format_quantity(x.diff), _pct(x.accuracy),
              f"{x.diff_value:,.2f}" + (f" {x.currency}" if x.currency else "")]
             for x in b.differences])
        blocks += self._table(
            style, "overdue", f"Materials overdue for counting as of {b.as_of.isoformat()}",
            [Column("ABC CLASS", 1.0), Column("DUE EVERY", 1.0, RIGHT),
             Column("MATERIALS", 1.0, RIGHT), Column("OVERDUE", 1.0, RIGHT),
             Column("NEVER COUNTED", 1.0, RIGHT)],
            [[o.abc, f"{o.due_days} days", f"{o.materials:,}", f"{o.overdue:,}",
              f"{o.never_counted:,}"] for o in b.overdue])
        blocks += self._table(
            style, "sap", "SAP stock uploads",
            [Column("ORGANIZATION", 1.0), Column("LAST UPLOAD", 1.0),
             Column("DAYS OLD", 1.0, RIGHT)],
            [[f.org, f.last_upload.isoformat() if f.last_upload else "none",
              "—" if f.days_old is None else f.days_old] for f in b.sap])
        return blocks
