"""Count Summary: counted against SAP for a date, per organization, the way a supervisor reads it
on Monday morning: sections per org, one row per material (counters, count total, SAP total,
difference, accuracy shaded by band, value of the difference, recount flag), expandable to its
count lines (counter, location, expression, quantity in their own columns) and, for a recount,
the earlier result beside it. A legend says what the colours mean; the footer the value at
stake per organization. Supervisors approve or recount (count_review.py). Requests variant,
date picker (today by default; the SAP date used per organization is shown), Excel and PDF
export, print; double-click opens the material.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTreeView

from ...core import clock
from ...core.reports import count_summary
from ...core.services.fields import plural
from .. import settings
from .common import date_edit, from_qdate
from .count_review import ReviewActions, legend_html, value_footer
from .count_summary_model import (
    C_DESCRIPTION,
    KIND_ROLE,
    MATERIAL_ID_ROLE,
    WIDTHS,
    SummarySortProxy,
    SummaryTreeModel,
)
from .report_base import ReportScreen


class CountSummaryScreen(ReportScreen):
    title_text = "Count Summary"
    job_key = "count-summary"  # task-log names report-count-summary-pdf, -xlsx, -print

    def __init__(self, ctx, parent=None, count_date=None, requests: bool = False) -> None:
        super().__init__(ctx, parent)
        self.date = date_edit(count_date or clock.today(), self)
        self.date.setAccessibleName("Count date")
        self.requests = QCheckBox("Requested counts only")
        self.requests.setChecked(requests)
        self.expand_button = QPushButton("Expand all")
        self.collapse_button = QPushButton("Collapse")
        self.sap_dates = QLabel()
        self.sap_dates.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.options_bar.addWidget(QLabel("Count date"))
        self.options_bar.addWidget(self.date)
        self.options_bar.addWidget(self.requests)
        self.options_bar.addWidget(self.expand_button)
        self.options_bar.addWidget(self.collapse_button)
        self.options_bar.addStretch(1)

        self.model = SummaryTreeModel(self)
        self.proxy = SummarySortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the report's order first
        self.tree.setSelectionBehavior(QTreeView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QTreeView.SelectionMode.ExtendedSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        for col, width in enumerate(WIDTHS):
            header.resizeSection(col, width)
        settings.restore_header(header, "count_summary_v2")  # v2: the columns changed
        header.setSectionResizeMode(C_DESCRIPTION, QHeaderView.ResizeMode.Interactive)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.legend.setAccessibleName("Colour legend")
        self.value_footer = QLabel()
        self.value_footer.setAccessibleName("Value at stake")
        font = self.value_footer.font()
        font.setBold(True)
        self.value_footer.setFont(font)
        self.review = ReviewActions(self)
        actions = QHBoxLayout()
        for b in self.review.buttons:
            actions.addWidget(b)
        actions.addWidget(self.legend, 1)
        self.body.addWidget(self.sap_dates)
        self.body.addLayout(actions)
        self.body.addWidget(self.tree, 1)
        self.body.addWidget(self.value_footer)

        self.date.dateChanged.connect(lambda _d: self.load())
        self.requests.toggled.connect(lambda _on: self.load())
        self.expand_button.clicked.connect(self.tree.expandAll)
        self.collapse_button.clicked.connect(self.expand_sections)
        self.tree.doubleClicked.connect(self.open_material)
        self._add_schedule_action()
        self.load()

    # ---- the report -----------------------------------------------------------------------
    def options(self) -> dict:
        return {"count_date": from_qdate(self.date.date()),
                "requests": self.requests.isChecked()}

    @staticmethod
    def fetch(session, count_date, requests):
        return count_summary.build(session, count_date, requests=requests)

    def show_report(self, report) -> None:
        self.model.set_summary(report)
        self.expand_sections()
        wanted = min(self.tree.sizeHintForColumn(0), 340)  # "07058354 (L6)" in full
        if wanted > self.tree.header().sectionSize(0):
            self.tree.header().resizeSection(0, wanted)
        name = "Requested Count Summary" if report.requests else "Count Summary"
        self.set_title(f"{name} {report.count_date.isoformat()}")
        self.sap_dates.setText("SAP date used:  " + "   ·   ".join(
            f"{o.org} {o.sap_date.isoformat() if o.sap_date else 'none (no upload on or before)'}"
            for o in report.orgs))
        total = sum(1 for _ in report.rows())
        counted = sum(1 for _o, _s, m in report.rows() if m.counts)
        danger = sum(1 for _o, _s, m in report.rows() if m.band == "danger")
        self.status.setText(f"{plural(total, 'material')} · {counted} counted · {danger} below the "
                            f"danger mark ({report.bands.danger:g} %)")
        self.legend.setText(legend_html(report))
        self.value_footer.setText(value_footer(report))
        self.review.after_load()

    def expand_sections(self) -> None:
        """Organizations and sections open, materials closed (their count lines one click away)."""
        self.tree.collapseAll()
        for r in range(self.proxy.rowCount()):
            org = self.proxy.index(r, 0)
            self.tree.expand(org)
            self.tree.setFirstColumnSpanned(r, QModelIndex(), True)
            for s in range(self.proxy.rowCount(org)):
                self.tree.expand(self.proxy.index(s, 0, org))
                self.tree.setFirstColumnSpanned(s, org, True)

    def document(self, report):
        from ..printing.summary_doc import CountSummaryDocument

        return CountSummaryDocument(report)

    @staticmethod
    def write_xlsx(report, path: str) -> None:
        count_summary.to_xlsx(report, path)

    def file_stem(self) -> str:
        name = "Requested Count Summary" if self.requests.isChecked() else "Count Summary"
        return f"{name} {from_qdate(self.date.date()).isoformat()}"

    # ---- actions --------------------------------------------------------------------------
    def open_material(self, index: QModelIndex) -> None:
        if index.data(KIND_ROLE) in ("material", "count", "earlier"):
            material_id = index.data(MATERIAL_ID_ROLE)
            if material_id is not None:
                self.ctx.open("material", material_id=material_id)

    def _add_schedule_action(self) -> None:
        """Right-click a material: schedule it for the next workday after this summary's date."""
        from .schedule_from_list import add_schedule_action, next_workday_after

        self.schedule_action = add_schedule_action(
            self.ctx, self.tree,
            lambda i: i.data(MATERIAL_ID_ROLE) if i.data(KIND_ROLE) in ("material", "count")
            else None,
            lambda: next_workday_after(self.ctx, from_qdate(self.date.date()), self))

    def open_with(self, count_date=None, requests=None, **_kwargs) -> None:
        if requests is not None:
            self.requests.setChecked(bool(requests))
        if count_date is not None:
            from .common import to_qdate

            self.date.setDate(to_qdate(count_date))

    def focus_first(self) -> None:
        self.date.setFocus()

    def save_state(self) -> None:
        settings.save_header(self.tree.header(), "count_summary_v2")


if __name__ == "__main__":  # pragma: no cover
    from ..standalone import run_screen

    sys.exit(run_screen("count_summary", sys.argv[1:]))
