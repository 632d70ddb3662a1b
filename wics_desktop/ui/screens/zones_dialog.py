"""Worksheet Zones: the areas of the warehouse, the order counters walk them, and which
locations each holds. Opened from the Locations screen; a supervisor's job (edit_zones).

Count sheets by counter and the count planner walk zone by zone in the order shown here, then
location by location, so moving a zone up or down changes the next sheets printed. Every change
is one short core call (audited), saved at once.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ...core.services import zones
from ...core.services.fields import plural

ZONE_ROLE = Qt.ItemDataRole.UserRole + 1
NO_ZONE = "(no zone)"


class ZonesDialog(QDialog):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Worksheet Zones")
        self.resize(900, 560)
        self.rows: list[zones.ZoneRow] = []
        self.locations: list[zones.LocationRow] = []

        self.zone_list = QListWidget(self)
        self.zone_list.setAccessibleName("Zones in walk order")
        self.zone_list.currentRowChanged.connect(lambda _r: self._fill_locations())
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add…")
        self.rename_button = QPushButton("Re&name…")
        self.up_button = QPushButton("&Up")
        self.down_button = QPushButton("Do&wn")
        self.delete_button = QPushButton("&Delete")
        self.add_button.clicked.connect(self._ask_add)
        self.rename_button.clicked.connect(self._ask_rename)
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))
        self.delete_button.clicked.connect(self._ask_delete)
        for b in (self.add_button, self.rename_button, self.up_button, self.down_button,
                  self.delete_button):
            buttons.addWidget(b)
        left = QGroupBox("Zones, in the order counters walk them")
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.zone_list, 1)
        left_layout.addLayout(buttons)

        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter locations")
        self.filter.setAccessibleName("Filter locations")
        self.filter.textChanged.connect(lambda _t: self._fill_locations())
        self.only_zone = QComboBox(self)
        self.only_zone.setAccessibleName("Show locations of")
        self.only_zone.currentIndexChanged.connect(lambda _i: self._fill_locations())
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels(["Location", "Zone"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 220)
        self.put_button = QPushButton("&Put in the selected zone")
        self.put_button.clicked.connect(lambda: self.assign(self.current_zone()))
        self.clear_button = QPushButton("&Take out of its zone")
        self.clear_button.clicked.connect(lambda: self.assign(None))
        right = QGroupBox("Locations")
        right_layout = QVBoxLayout(right)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(QLabel("Show"))
        top.addWidget(self.only_zone)
        right_layout.addLayout(top)
        right_layout.addWidget(self.table, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.put_button)
        actions.addWidget(self.clear_button)
        actions.addStretch(1)
        right_layout.addLayout(actions)

        body = QHBoxLayout()
        body.addWidget(left, 2)
        body.addWidget(right, 3)
        self.status = QLabel()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.reload()

    # ---- reading --------------------------------------------------------------------------
    def reload(self, keep_zone: int | None = None) -> None:
        keep = keep_zone if keep_zone is not None else self.current_zone()
        self.rows, self.locations = self.ctx.read(
            lambda s: (zones.list_zones(s), zones.known_locations(s)), owner=self)
        self.zone_list.blockSignals(True)
        self.zone_list.clear()
        for z in self.rows:
            item = QListWidgetItem(f"{z.position}. {z.name}  (zone {z.zone}, "
                                   f"{plural(z.locations, 'location')})")
            item.setData(ZONE_ROLE, z.zone)
            self.zone_list.addItem(item)
            if z.zone == keep:
                self.zone_list.setCurrentItem(item)
        if self.zone_list.currentRow() < 0 and self.rows:
            self.zone_list.setCurrentRow(0)
        self.zone_list.blockSignals(False)
        shown = self.only_zone.currentData()
        self.only_zone.blockSignals(True)
        self.only_zone.clear()
        self.only_zone.addItem("all locations", "all")
        self.only_zone.addItem("without a zone", None)
        for z in self.rows:
            self.only_zone.addItem(z.name, z.zone)
        index = self.only_zone.findData(shown)
        self.only_zone.setCurrentIndex(index if index >= 0 else 0)
        self.only_zone.blockSignals(False)
        self._fill_locations()

    def current_zone(self) -> int | None:
        item = self.zone_list.currentItem()
        return item.data(ZONE_ROLE) if item is not None else None

    def _fill_locations(self) -> None:
        names = {z.zone: z.name for z in self.rows}
        text = self.filter.text().strip().casefold()
        shown = self.only_zone.currentData() if self.only_zone.count() else "all"
        rows = [r for r in self.locations if text in r.location.casefold()
                and (shown == "all" or r.zone == shown)]
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(r.location))
            self.table.setItem(i, 1, QTableWidgetItem(names.get(r.zone, NO_ZONE)))
        without = sum(1 for r in self.locations if r.zone is None)
        self.status.setText(f"{plural(len(self.rows), 'zone')} · "
                            f"{plural(len(self.locations), 'location')}, {without} without a zone")
        can = self.ctx.can("edit_zones")
        has_zone = self.current_zone() is not None
        for b in (self.rename_button, self.up_button, self.down_button, self.delete_button,
                  self.put_button):
            b.setEnabled(can and has_zone)
        self.add_button.setEnabled(can)
        self.clear_button.setEnabled(can)

    def selected_locations(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.table.item(r, 0).text() for r in rows]

    # ---- changes ------------------------------------------------------------------------
    def _call(self, fn, *args) -> bool:
        return self.ctx.op(fn, self.ctx.actor, *args, owner=self,
                           what="changing the zones").ok

    def add(self, zone: int, name: str) -> None:
        if self._call(zones.save_zone, zone, name):
            self.reload(keep_zone=zone)

    def rename(self, zone: int, name: str) -> None:
        if self._call(zones.save_zone, zone, name):
            self.reload(keep_zone=zone)

    def move(self, steps: int) -> None:
        zone = self.current_zone()
        if zone is not None and self._call(zones.move_zone, zone, steps):
            self.reload(keep_zone=zone)

    def delete(self, zone: int) -> None:
        if self._call(zones.delete_zone, zone):
            self.reload()

    def assign(self, zone: int | None) -> None:
        locations = self.selected_locations()
        if locations and self._call(zones.set_locations_zone, locations, zone):
            self.reload(keep_zone=zone)

    def _ask_add(self) -> None:
        number = max((z.zone for z in self.rows), default=0) + 1
        name, ok = QInputDialog.getText(self, "Add a zone", f"Name of zone {number}:")
        if ok:
            self.add(number, name)

    def _ask_rename(self) -> None:
        zone = self.current_zone()
        old = next((z.name for z in self.rows if z.zone == zone), "")
        name, ok = QInputDialog.getText(self, "Rename the zone", "Name:", text=old)
        if ok and zone is not None:
            self.rename(zone, name)

    def _ask_delete(self) -> None:
        zone = self.current_zone()
        row = next((z for z in self.rows if z.zone == zone), None)
        if row is None:
            return
        answer = QMessageBox.question(
            self, "Delete the zone", f"Delete zone {row.name}? Its "
            f"{plural(row.locations, 'location')} will have no zone (walked last).")
        if answer == QMessageBox.StandardButton.Yes:
            self.delete(row.zone)
