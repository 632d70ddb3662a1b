"""Offline Counts and Sync: this PC's outbox, the last sync, and the server's "needs attention".

Everyone sees the connection state, the counts this PC still has to send (or that went to
"needs attention"), and can sync now. Supervisors also see the server's needs-attention list
from every workstation and decide what each count becomes: resolve it (the same count on
another material, or with corrected fields; prefilled with the material of the same part number
and organization when one exists again) or discard it with a reason. Every decision goes
through core.sync.attention, audited under the supervisor's name.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.services.material_lookup import display_name_of
from ...core.sync import attention
from ...core.sync import outbox as ob
from .. import ops
from ..screen_base import Screen
from .common import Banner, date_edit, form_dialog, from_qdate
from .material_field import MaterialField
from .quantity_field import QuantityField

OUTBOX_COLUMNS = ("State", "Date", "Material", "Location", "Quantity", "User", "Saved at",
                  "Problem")
ATTENTION_COLUMNS = ("#", "Typed by", "Workstation", "Date", "Material (as typed)", "Location",
                     "Quantity", "Why")


def _table(columns) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            item.setToolTip(item.text())
            table.setItem(r, c, item)


class SyncScreen(Screen):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.set_title("Offline Counts and Sync")
        self.items: list[attention.AttentionItem] = []
        self.banner = Banner(self)
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sync_button = QPushButton("&Sync now  (F9)", self)
        self.sync_button.clicked.connect(self.sync_now)
        top = QHBoxLayout()
        top.addWidget(self.state, 1)
        top.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignTop)

        self.outbox = _table(OUTBOX_COLUMNS)
        box = QGroupBox("Counts saved on this PC while offline (waiting, or needing attention)")
        QVBoxLayout(box).addWidget(self.outbox)

        self.attention = _table(ATTENTION_COLUMNS)
        self.attention.itemDoubleClicked.connect(lambda _i: self.resolve_selected())
        self.resolve_button = QPushButton("&Resolve...  (reassign or re-key)", self)
        self.discard_button = QPushButton("&Discard with a reason...", self)
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.discard_button.clicked.connect(self.discard_selected)
        actions = QHBoxLayout()
        actions.addWidget(self.resolve_button)
        actions.addWidget(self.discard_button)
        actions.addStretch(1)
        self.attention_box = QGroupBox("Needs attention (offline counts from every workstation "
                                       "that the server could not store as typed)", self)
        inner = QVBoxLayout(self.attention_box)
        inner.addWidget(self.attention)
        inner.addLayout(actions)
        self.attention_box.setVisible(ctx.can("schedule_counts"))  # supervisors and admins

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(box, 1)
        layout.addWidget(self.attention_box, 2)
        offline = ctx.offline
        if offline is not None:
            offline.status_changed.connect(self._show_state)
            offline.synced.connect(lambda _r: self.refresh())
        self.refresh()

    # ---- loading ---------------------------------------------------------------------------
    def refresh(self) -> bool:
        self._show_state()
        self._load_outbox()
        self._load_attention()
        return True

    def _show_state(self) -> None:
        c = self.ctx.offline
        if c is None:
            self.state.setText("This database is a file on this PC: there is nothing to sync.")
            self.sync_button.setEnabled(False)
            return
        text = [f"<b>{c.status_text()}</b>", c.tooltip().replace("\n", "<br>")]
        self.state.setText("<br>".join(text))
        self.sync_button.setEnabled(c.online and not c.syncing)

    def _load_outbox(self) -> None:
        c = self.ctx.offline
        rows = []
        if c is not None and c.workstation.replica.exists():
            replica = c.workstation.replica.open()
            lines = ops.read(lambda: replica, ob.lines, owner=self)
            rows = [(line.state, line.count_date, line.material, line.location,
                     line.expression or "location only", line.username,
                     f"{line.created_at:%Y-%m-%d %H:%M}", line.last_error) for line in lines]
        _fill(self.outbox, rows)

    def _load_attention(self) -> None:
        online = self.ctx.offline is None or self.ctx.offline.online
        allowed = self.ctx.can("schedule_counts") and online
        self.resolve_button.setEnabled(allowed)
        self.discard_button.setEnabled(allowed)
        if not allowed:
            return
        self.ctx.runner.submit(attention.list_items, title="needs attention", owner=self,
                               on_result=self._attention_loaded,
                               on_error=lambda f: self.banner.show_message(str(f.error), "error"))

    def _attention_loaded(self, items) -> None:
        self.items = list(items)
        _fill(self.attention, [
            (i.id, i.username, i.workstation, i.count.get("count_date"), i.material,
             i.count.get("location"), i.count.get("expression") or "location only", i.reason)
            for i in self.items])

    # ---- actions ---------------------------------------------------------------------------
    def sync_now(self) -> None:
        c = self.ctx.offline
        if c is not None and c.sync_now(manual=True):
            self.banner.show_message("Sending the counts saved on this PC and refreshing its "
                                     "copy of the server...", "info")

    def selected(self) -> attention.AttentionItem | None:
        row = self.attention.currentRow()
        if 0 <= row < len(self.items):
            return self.items[row]
        self.banner.show_message("Select a count in the needs-attention list first.", "info")
        return None

    def resolve_selected(self) -> bool:
        item = self.selected()
        if item is None:
            return False
        dialog = ResolveDialog(self.ctx, item, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.banner.show_message(f"#{item.id} stored as count #{dialog.line.id}: "
                                 f"{dialog.line.material} at {dialog.line.location}.", "success")
        self.refresh()
        return True

    def discard_selected(self, reason: str | None = None) -> bool:
        item = self.selected()
        if item is None:
            return False
        if reason is None:
            reason, ok = QInputDialog.getText(
                self, "Discard a count", f"Why is #{item.id} ({item.material} at "
                f"{item.count.get('location')}) not to be stored?")
            if not ok:
                return False
        def discarded(_none) -> None:
            self.banner.show_message(f"#{item.id} discarded: {reason.strip()}", "success")
            self.refresh()

        return self.ctx.op(attention.discard, self.ctx.actor, item.id, reason, owner=self,
                           on_done=discarded, banner=self.banner,
                           what="discarding the count").ok


class ResolveDialog(QDialog):
    """The count as typed, to correct: material (reassign), date, location, quantity..."""

    def __init__(self, ctx, item: attention.AttentionItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.item, self.line = ctx, item, None
        c = item.count
        self.setWindowTitle(f"Resolve #{item.id}")
        self.banner = Banner(self)
        self.banner.show_message(f"{item.reason}<br>Typed by {item.username} on "
                                 f"{item.workstation}.", "warning")
        self.material = MaterialField(ctx, self)
        if item.suggested_material_id is not None:
            self.material.set_material(item.suggested_material_id, ctx.read(
                display_name_of, item.suggested_material_id, owner=self))
        else:
            self.material.setText(c.get("part_number") or "")
        import datetime as dt

        self.date = date_edit(dt.date.fromisoformat(c["count_date"]), self)
        self.counter = QLineEdit(c.get("counter") or "", self)
        self.location = QLineEdit(c.get("location") or "", self)
        self.location_only = QCheckBox("Location only", self)
        self.location_only.setChecked(bool(c.get("location_only")))
        self.quantity = QuantityField(self)
        self.quantity.set_text(c.get("expression") or "")
        self.location_only.toggled.connect(self.quantity.set_location_only)
        self.quantity.set_location_only(self.location_only.isChecked())
        self.notes = QLineEdit(c.get("notes") or "", self)
        form_dialog(self, self.banner, [
            ("&Material:", self.material), ("Count &date:", self.date),
            ("Coun&ter:", self.counter), ("&Location:", self.location),
            ("", self.location_only), ("&Quantity:", self.quantity), ("&Notes:", self.notes)],
            self.store, ok_text="&Store the count", min_width=520)

    def changes(self) -> dict:
        return dict(material_id=self.material.material_id, count_date=from_qdate(self.date.date()),
                    counter=self.counter.text(), location=self.location.text(),
                    location_only=self.location_only.isChecked(),
                    expression=None if self.location_only.isChecked() else self.quantity.text(),
                    notes=self.notes.text() or None)

    def store(self) -> bool:
        if self.material.material_id is None or \
                self.material.text().strip() != self.material.display_name:
            if not self.material.resolve_now():
                self.banner.show_message("Choose the material this count is for.", "error")
                return False
        def stored(line) -> None:
            self.line = line
            self.accept()

        # the count's own rules name the field to correct (core.services.counts)
        return self.ctx.op(attention.resolve, self.ctx.actor, self.item.id, **self.changes(),
                           owner=self, on_done=stored, banner=self.banner,
                           what="storing the count",
                           fields={"material": self.material, "date": self.date,
                                   "counter": self.counter, "location": self.location,
                                   "quantity": self.quantity.edit, "notes": self.notes}).ok


if __name__ == "__main__":  # pragma: no cover - look at the screen on its own
    from ..standalone import run_screen

    run_screen("sync")
