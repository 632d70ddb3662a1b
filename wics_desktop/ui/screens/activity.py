"""Activity: the background jobs this workstation ran, newest first, from its task log.

Every import, report file, count-sheet PDF, export and sync - from the desktop or from the
`wics` command line on this PC - leaves one line in `tasks.log` when it ends (core.tasklog).
This screen shows the latest of them: when it started (local time), the job, who ran it, on
which workstation, how long it took, how many rows, how it ended and a short detail. The same
lines are printed by `wics log tail`. Refresh (F5) reads the file again; the filter looks in
every column.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...core import tasklog
from .. import settings
from ..screen_base import Screen
from .common import Banner
from .rows_table import Col, RowsModel, make_table

LINE_CHOICES = (100, 500, 2000)
OUTCOME_COLORS = {"ok": "#2e7d32", "rejected": "#c62828", "failed": "#c62828",
                  "cancelled": "#6d6d6d"}


def local_time(started: str | None) -> str:
    """The log's UTC stamp (`2026-11-26T06:14:51Z`) as this PC's local time."""
    if not started:
        return "—"
    try:
        utc = dt.datetime.fromisoformat(started.rstrip("Z")).replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return started
    return utc.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def duration_text(seconds) -> str:
    if not isinstance(seconds, (int, float)):
        return "—"
    if seconds < 60:
        return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"
    minutes, secs = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


COLUMNS = [
    Col("Started", lambda r: r.get("started"), lambda r: local_time(r.get("started")), width=140),
    Col("Job", lambda r: r.get("job"), lambda r: tasklog.job_title(r.get("job") or ""),
        width=200),
    Col("User", lambda r: r.get("user"), width=90),
    Col("Workstation", lambda r: r.get("workstation"), width=100),
    Col("Duration", lambda r: r.get("duration"), lambda r: duration_text(r.get("duration")),
        numeric=True, width=75),
    Col("Rows", lambda r: r.get("rows"), lambda r: f"{r.get('rows') or 0:,}", numeric=True,
        width=70),
    Col("Outcome", lambda r: r.get("outcome"), width=75),
    Col("Detail", lambda r: r.get("detail") or "", width=200),  # stretches to the edge
]
JOB_COLUMN, OUTCOME_COLUMN = 1, 6


class ActivityModel(RowsModel):
    """Task-log lines; the job in words (its log name as tooltip), the outcome in colour."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid():
            record = self.rows[index.row()]
            if role == Qt.ItemDataRole.ForegroundRole and index.column() == OUTCOME_COLUMN:
                color = OUTCOME_COLORS.get(record.get("outcome"))
                return QColor(color) if color else None
            if role == Qt.ItemDataRole.ToolTipRole and index.column() == JOB_COLUMN:
                return record.get("job") or ""
        return super().data(index, role)


class ActivityScreen(Screen):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.set_title("Activity")
        self.loading = False
        self.loaded = False
        self.banner = Banner(self)

        self.lines = QComboBox(self)
        for n in LINE_CHOICES:
            self.lines.addItem(f"latest {n:,}", n)
        self.lines.setCurrentIndex(max(0, self.lines.findData(
            settings.get(settings.ACTIVITY_LINES))))
        self.lines.currentIndexChanged.connect(lambda _i: self.load())
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter: job, user, outcome, file…")
        self.filter.setClearButtonEnabled(True)
        self.refresh_button = QPushButton("&Refresh  (F5)")
        self.refresh_button.clicked.connect(self.load)
        self.folder_button = QPushButton("Open log folder")
        self.folder_button.clicked.connect(self.open_folder)

        self.model = ActivityModel(COLUMNS, self)
        self.view, self.proxy = make_table(self.model, "activity")
        self.view.setWordWrap(False)
        # long paths keep their file name in view: "/srv/sh…/count sheets 2026-11-21.pdf"
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.count_label = QLabel()
        self.source = QLabel()
        self.source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.source.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.source.setEnabled(False)

        top = QHBoxLayout()
        top.addWidget(QLabel("Show"))
        top.addWidget(self.lines)
        top.addWidget(self.filter, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.folder_button)
        layout = QVBoxLayout(self)
        intro = QLabel("Background jobs run on this workstation - imports, reports written to "
                       "PDF or Excel, count sheets, exports, sync - by WICS Desktop and by the "
                       "wics command line, newest first.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addWidget(self.source, 1)
        layout.addLayout(bottom)
        self.load()

    # ---- loading ------------------------------------------------------------------------
    def load(self) -> None:
        """Read the latest lines on the runner (the file may be a few megabytes)."""
        self.loading = True
        self.count_label.setText("Loading…")
        self.ctx.runner.submit(tasklog.tail, self.line_count(), newest_first=True,
                               session=False, title="activity", owner=self,
                               on_result=self._loaded, on_error=self._failed)

    def line_count(self) -> int:
        return int(self.lines.currentData() or LINE_CHOICES[0])

    def _loaded(self, records: list[dict]) -> None:
        self.loading, self.loaded = False, True
        self.banner.clear_message()
        self.model.set_rows(records)
        path = tasklog.task_log_file()
        self.source.setText(f"Log file: {path}")
        self.source.setToolTip(str(path))
        if records:
            self.count_label.setText(f"{len(records):,} job{'s' if len(records) != 1 else ''}")
        else:
            self.count_label.setText("No jobs logged on this workstation yet.")

    def _failed(self, failure) -> None:
        self.loading, self.loaded = False, True
        self.count_label.setText("")
        self.banner.show_message(f"Could not read the task log: {failure.error}", "error")

    # ---- screen protocol ----------------------------------------------------------------
    def refresh(self) -> bool:
        self.load()
        return True

    def find(self) -> bool:
        self.filter.setFocus()
        self.filter.selectAll()
        return True

    def focus_first(self) -> None:
        self.view.setFocus()

    def is_ready(self) -> bool:
        return self.loaded and not self.loading

    def save_state(self) -> None:
        settings.save_header(self.view.horizontalHeader(), "activity")
        settings.put(settings.ACTIVITY_LINES, self.line_count())

    def open_folder(self) -> None:
        folder = tasklog.task_log_file().parent
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
