"""Dashboard: is our inventory accuracy getting better, where is it bad, what needs counting?

For a period and one organization (or all): mean accuracy and the share of materials per band
over time (per day, week or month), counts per counter per day, the largest differences by
value, materials overdue for counting by ABC class, and how old each organization's SAP stock
is. A click on a point or bar opens what it stands for: the count summary of that date (the
period's last counted date for a week or month), the material, the material lists, the SAP
stock. Export to Excel gives the numbers behind each chart; Save PDF / Print draw the same
charts as vectors. The numbers are core.reports.dashboard's; this screen only draws them.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel

from ...core import clock
from ...core.reports import dashboard
from .common import date_edit, from_qdate, to_qdate
from .dashboard_charts import CHART_TITLES, Chart, fill_charts
from .report_base import ReportScreen

PERIODS = ("day", "week", "month")
ALL_ORGS = "All organizations"


class DashboardScreen(ReportScreen):
    title_text = "Dashboard"
    job_key = "dashboard"

    def __init__(self, ctx, parent=None, date_from: dt.date | None = None,
                 date_to: dt.date | None = None, org: str | None = None,
                 period: str | None = None) -> None:
        super().__init__(ctx, parent)
        today = clock.today()
        self.date_from = date_edit(date_from or today - dt.timedelta(days=90), self)
        self.date_to = date_edit(date_to or today, self)
        self.date_from.setAccessibleName("From")
        self.date_to.setAccessibleName("To")
        self.org = QComboBox()
        self.org.setAccessibleName("Organization")
        self.org.addItem(ALL_ORGS)
        from ...core.reports.material_info import org_names

        for name in sorted(ctx.read(org_names, owner=self).values()):
            self.org.addItem(name)
        if org:
            self.org.setCurrentText(org)
        self.period = QComboBox()
        self.period.setAccessibleName("Period")
        self.period.addItems(PERIODS)
        self.period.setCurrentText(period or "week")
        for label, widget in (("From", self.date_from), ("To", self.date_to),
                              ("Organization", self.org), ("Per", self.period)):
            self.options_bar.addWidget(QLabel(label))
            self.options_bar.addWidget(widget)
        self.options_bar.addStretch(1)
        self.buttons_on_their_own_row()

        self.headline = QLabel()
        self.headline.setObjectName("dashboardHeadline")
        self.headline.setWordWrap(True)  # a long headline wraps instead of widening the window
        self.body.addWidget(self.headline)
        grid = QGridLayout()
        grid.setSpacing(6)
        self.charts: dict[str, Chart] = {}
        for i, key in enumerate(CHART_TITLES):
            chart = Chart(CHART_TITLES[key], self)
            chart.clicked.connect(lambda index, k=key: self.drill(k, index))
            chart.setToolTip("Click a bar or point to open what it stands for.")
            self.charts[key] = chart
            grid.addWidget(chart, i // 3, i % 3)
        self.body.addLayout(grid, 1)

        for w in (self.date_from, self.date_to):
            w.dateChanged.connect(lambda _d: self.load())
        self.org.currentTextChanged.connect(lambda _t: self.load())
        self.period.currentTextChanged.connect(lambda _t: self.load())
        self.load()

    def open_with(self, date_from=None, date_to=None, org=None, period=None, **_kw) -> None:
        if date_from is not None:
            self.date_from.setDate(to_qdate(date_from))
        if date_to is not None:
            self.date_to.setDate(to_qdate(date_to))
        if org is not None:
            self.org.setCurrentText(org)
        if period is not None:
            self.period.setCurrentText(period)

    # ---- the report -----------------------------------------------------------------------
    def options(self) -> dict:
        org = self.org.currentText()
        return {"actor": self.ctx.actor, "date_from": from_qdate(self.date_from.date()),
                "date_to": from_qdate(self.date_to.date()),
                "org": None if org == ALL_ORGS else org, "period": self.period.currentText()}

    def file_stem(self) -> str:
        r = self.report
        if r is None:
            return super().file_stem()
        return f"Dashboard {r.org or 'all'} {r.date_from.isoformat()} to {r.date_to.isoformat()}"

    @staticmethod
    def fetch(session, actor, date_from, date_to, org, period):
        return dashboard.build(session, actor, date_from, date_to, org=org, period=period)

    def show_report(self, board: dashboard.Dashboard) -> None:
        fill_charts(self.charts, board)
        mean = "—" if board.mean_accuracy is None else f"{board.mean_accuracy:.2f} %"
        overdue = sum(o.overdue for o in board.overdue)
        stale = [f.org for f in board.sap if f.days_old is None or f.days_old > 1]
        self.headline.setText(
            f"<b>{board.org or 'All organizations'}</b>, {board.date_from} to {board.date_to}: "
            f"mean accuracy <b>{mean}</b> over {board.materials_counted:,} material counts · "
            f"{overdue:,} materials overdue for counting · SAP stock "
            + (f"<span style='color:#b52b27'><b>stale for {', '.join(stale)}</b></span>"
               if stale else "up to date"))
        self.status.setText("Click a point or bar to open the count summary of that date or "
                            "the material.")

    @staticmethod
    def write_xlsx(board, path) -> None:
        dashboard.to_xlsx(board, path)

    def document(self, board):
        from ..printing.dashboard_doc import DashboardDocument

        return DashboardDocument(board)

    def save_pdf(self, path: str | None = None) -> None:
        """As every report, but painted here: the charts are widgets, which belong to the GUI
        thread (two pages take well under a second)."""
        if self.report is None:
            return
        path = path or self._ask_path(".pdf", "PDF files (*.pdf)")
        if not path:
            return
        from ...core import tasklog
        from ..printing.output import preferred_page_size, write_pdf

        with tasklog.task(f"report-{self.job_key}-pdf", self.ctx.actor) as job:
            pages = len(write_pdf(self.document(self.report), path,
                                  preferred_page_size()).pages)
            job.rows = self.report.materials_counted
            job.detail = f"{path} ({pages} pages)"
            job.extra = {"pdf": path, "pages": pages}
        self._saved(path, pages)

    # ---- drill down ---------------------------------------------------------------------------
    def drill(self, chart: str, index: int) -> None:
        """Open what a clicked bar or point stands for."""
        board = self.report
        if board is None:
            return
        if chart in ("accuracy", "bands") and index < len(board.accuracy):
            self.ctx.open("count_summary", count_date=board.accuracy[index].last_date)
        elif chart == "counters":
            days = board.count_days()
            if index < len(days):
                self.ctx.open("count_summary", count_date=days[index])
        elif chart == "differences" and index < len(board.differences):
            self.ctx.open("material", material_id=board.differences[index].material_id)
        elif chart == "overdue":
            self.ctx.open("report_materials")
        elif chart == "sap":
            self.ctx.open("sap_stock")
