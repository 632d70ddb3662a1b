"""Alerts: what needs a supervisor now - the open alerts, most severe first, with what each is
about; Acknowledge takes one off the list (audited), Check now runs the rules. A supervisor
sees this screen on signing in when alerts are open; the status bar's badge counts them."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ...core import alerts
from .. import errors
from ..screen_base import Screen
from .common import Banner

SEVERITY_COLORS = {"critical": QColor("#f4c7c3"), "warning": QColor("#fce8b2"),
                   "info": QColor("#e8f0fe")}
HEADERS = ("Severity", "Since (UTC)", "Alert", "What it means")


class AlertsScreen(Screen):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.set_title("Alerts")
        self.alerts: list[alerts.AlertInfo] = []
        self.banner = Banner()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setAccessibleName("Open alerts")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)  # one line per alert; the whole text in the tooltip
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for col, width in enumerate((80, 130, 330)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.ack_button = QPushButton("Acknowledge", self)
        self.ack_button.setToolTip("Seen: take it off the list (it closes when the cause is gone)")
        self.check_button = QPushButton("Check now", self)
        self.ack_button.setEnabled(False)
        self.ack_button.setVisible(ctx.can("ack_alerts"))
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.check_button.clicked.connect(self.check_now)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.ack_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        ctx.notices.changed.connect(self._notice)
        self.refresh()

    def _notice(self, topic: str) -> None:
        if topic == "alerts":
            self.refresh()

    def refresh(self) -> bool:
        self.show_alerts(self.ctx.read(alerts.list_open, owner=self))
        return True

    def show_alerts(self, found: list[alerts.AlertInfo]) -> None:
        self.alerts = found
        self.table.setRowCount(len(found))
        for row, a in enumerate(found):
            values = (a.severity, f"{a.since:%Y-%m-%d %H:%M}", a.subject, a.message)
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, a.id)
                item.setToolTip(a.message)
                if col == 0:
                    item.setBackground(SEVERITY_COLORS.get(a.severity, QColor("white")))
                self.table.setItem(row, col, item)
        self.summary.setText("No open alerts." if not found else
                             f"{len(found)} open alert{'s' if len(found) != 1 else ''}.")
        self._selection_changed()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.alerts[r].id for r in rows if r < len(self.alerts)]

    def _selection_changed(self) -> None:
        self.ack_button.setEnabled(bool(self.selected_ids()) and self.ctx.can("ack_alerts"))

    def acknowledge_selected(self) -> None:
        ids = self.selected_ids()

        def acknowledged(_none) -> None:
            self.banner.show_message(
                f"Acknowledged {len(ids)} alert{'s' if len(ids) != 1 else ''}.", "success")
            self.ctx.notices.changed.emit("alerts")

        # one transaction for all: nothing half done
        self.ctx.op(alerts.acknowledge_all, self.ctx.actor, ids, owner=self,
                    on_done=acknowledged, what="acknowledging alerts")

    def check_now(self) -> None:
        self.check_button.setEnabled(False)
        self.ctx.runner.submit(alerts.check_and_notify, self.ctx.database, session=False,
                               title="Checking alerts", owner=self,
                               on_result=self._checked, on_error=self._check_failed)

    def _checked(self, result) -> None:
        self.check_button.setEnabled(True)
        text = f"Checked: {len(result.opened)} new, {len(result.closed)} closed."
        if result.mail_error:
            text += f" E-mail not sent: {result.mail_error}"
        self.banner.show_message(text, "warning" if result.mail_error else "success")
        self.ctx.notices.changed.emit("alerts")

    def _check_failed(self, failure) -> None:
        self.check_button.setEnabled(True)
        errors.handle(failure.error, self, "checking alerts", failure.traceback)
