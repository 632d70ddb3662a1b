"""The status bar's alert badge: "⚠ 3 alerts", hidden when none are open (or for a user who
may not see reports); a click opens the Alerts screen. It follows the "alerts" notice that
every check sends."""
from __future__ import annotations

from PySide6.QtWidgets import QToolButton


class AlertsBadge(QToolButton):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.count = 0
        self.setAccessibleName("Alerts")
        self.setAutoRaise(True)
        self.setStyleSheet("QToolButton { color: #b52b27; font-weight: bold; }")
        self.clicked.connect(lambda: self.ctx.open("alerts"))
        ctx.notices.changed.connect(lambda topic: self.refresh() if topic == "alerts" else None)
        self.hide()

    def refresh(self) -> None:
        if not self.ctx.can("reports"):
            self.hide()
            return
        from ..core import alerts

        self.ctx.runner.submit(alerts.open_count, title="Counting alerts", owner=self,
                               on_result=self.show_count, on_error=lambda _f: None)

    def show_count(self, count: int) -> None:
        self.count = count
        self.setText(f"\u26a0 {count} alert{'s' if count != 1 else ''}")
        self.setToolTip("Open alerts: click to see them")
        self.setVisible(count > 0)
