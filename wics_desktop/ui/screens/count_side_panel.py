"""Count Entry's side panel: what the clerk needs to know about the material being counted.

The material (description, part type, typical quantities, notes, where it was last found),
the schedule entry for the count date (counter, reason, priority, notes) or "not scheduled",
and that date's counts of the material with their total. Loaded on a worker (three small core
calls) so typing never waits for it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.expressions import format_quantity
from ...core.services import counts, materials, schedule

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class SideInfo:
    material_id: int
    count_date: dt.date
    card: materials.MaterialCard
    entry: schedule.ScheduleEntry | None
    day: counts.DayCounts


def load_side_info(session, material_id: int, count_date: dt.date) -> SideInfo:
    """Runs on a worker: plain dataclasses out."""
    return SideInfo(material_id, count_date, materials.get_card(session, material_id),
                    schedule.entry_for(session, material_id, count_date),
                    counts.counts_on(session, material_id, count_date))


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CountSidePanel(QWidget):
    edit_requested = Signal(int)  # count id
    schedule_requested = Signal(int, object)  # material id, date

    def __init__(self, can_schedule: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info: SideInfo | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.material_box = QGroupBox("Material")
        form = QFormLayout(self.material_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = _value_label()
        font = QFont(self.name.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.name.setFont(font)
        self.description = _value_label()
        self.part_type = _value_label()
        self.container = _value_label()
        self.pallet = _value_label()
        self.last_found = _value_label()
        self.notes = _value_label()
        form.addRow(self.name)
        form.addRow(self.description)
        form.addRow("Part type:", self.part_type)
        form.addRow("Typical container qty:", self.container)
        form.addRow("Typical pallet qty:", self.pallet)
        form.addRow("Last found at:", self.last_found)
        form.addRow("Notes:", self.notes)

        self.schedule_box = QGroupBox("Schedule")
        sform = QFormLayout(self.schedule_box)
        self.scheduled = _value_label()
        self.s_counter, self.s_reason = _value_label(), _value_label()
        self.s_priority, self.s_notes = _value_label(), _value_label()
        self.s_requestor = _value_label()
        sform.addRow(self.scheduled)
        sform.addRow("Counter:", self.s_counter)
        sform.addRow("Reason:", self.s_reason)
        sform.addRow("Priority:", self.s_priority)
        sform.addRow("Requested by:", self.s_requestor)
        sform.addRow("Notes:", self.s_notes)
        self.schedule_button = QPushButton("Schedule a count for this date..." if can_schedule
                                           else "Request a count for this date...")
        self.schedule_button.setVisible(False)
        self.schedule_button.clicked.connect(self._schedule_clicked)
        sform.addRow(self.schedule_button)
        self._schedule_rows = [self.s_counter, self.s_reason, self.s_priority, self.s_requestor,
                               self.s_notes]

        self.counts_box = QGroupBox("Counts on this date")
        cl = QVBoxLayout(self.counts_box)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            ["ID", "Counter", "Location", "Expression", "Quantity"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._row_activated)
        self.table.setToolTip("Double-click a count to change, delete or copy it")
        self.total = QLabel()
        tf = QFont(self.total.font())
        tf.setBold(True)
        self.total.setFont(tf)
        cl.addWidget(self.table, 1)
        cl.addWidget(self.total)

        layout.addWidget(self.material_box)
        layout.addWidget(self.schedule_box)
        layout.addWidget(self.counts_box, 1)
        self.show_empty()

    # ---- content ---------------------------------------------------------------------------
    def show_empty(self, message: str = "Enter or scan a material.") -> None:
        self.info = None
        self.name.setText(message)
        for label in (self.description, self.part_type, self.container, self.pallet,
                      self.last_found, self.notes):
            label.setText("")
        self.schedule_box.setTitle("Schedule")
        self.scheduled.setText("")
        for label in self._schedule_rows:
            label.setText("")
        self.schedule_button.setVisible(False)
        self.counts_box.setTitle("Counts on this date")
        self.table.setRowCount(0)
        self.total.setText("")

    def show_info(self, info: SideInfo) -> None:
        self.info = info
        card = info.card
        self.name.setText(card.display_name)
        self.description.setText(card.description or "(no description)")
        self.part_type.setText(card.part_type or "-")
        self.container.setText(card.typical_container_qty or "-")
        self.pallet.setText(card.typical_pallet_qty or "-")
        if card.last_found_at:
            self.last_found.setText(f"{', '.join(card.last_found_at)}  "
                                    f"(on {card.last_count_date.isoformat()})")
        else:
            self.last_found.setText("never counted")
        self.notes.setText(card.notes or "-")
        day = info.count_date.isoformat()
        self.schedule_box.setTitle(f"Schedule on {day}")
        entry = info.entry
        if entry is None:
            self.scheduled.setText("<b>NOT SCHEDULED</b> for this date")
            for label in self._schedule_rows:
                label.setText("-")
            self.schedule_button.setVisible(True)
        else:
            kind = "REQUESTED" if entry.is_request else "SCHEDULED"
            self.scheduled.setText(f"<b>{kind}</b> for this date")
            self.s_counter.setText(entry.counter or "(anyone)")
            self.s_reason.setText(entry.reason or "-")
            self.s_priority.setText(entry.priority or "-")
            self.s_requestor.setText(entry.requestor or "-")
            self.s_notes.setText(entry.notes or "-")
            self.schedule_button.setVisible(False)
        self.counts_box.setTitle(f"Counts of {card.display_name} on {day}")
        lines = info.day.lines
        self.table.setRowCount(len(lines))
        for r, line in enumerate(lines):
            qty = "LOCATION ONLY" if line.location_only else format_quantity(line.quantity)
            # a count saved offline has no server id yet (negative locally): say so instead
            for c, text in enumerate((str(line.id) if line.id > 0 else "offline",
                                      line.counter, line.location,
                                      line.expression or "", qty)):
                item = QTableWidgetItem(text)
                if c in (0, 4):
                    item.setTextAlignment(RIGHT)
                item.setData(Qt.ItemDataRole.UserRole, line.id)
                self.table.setItem(r, c, item)
        n = len(lines)
        self.total.setText(f"Total: {format_quantity(info.day.total)}   "
                           f"({n} count{'s' if n != 1 else ''})" if n
                           else "No counts yet on this date.")

    def _row_activated(self, index) -> None:
        item = self.table.item(index.row(), 0)
        if item is not None:
            self.edit_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def _schedule_clicked(self) -> None:
        if self.info is not None:
            self.schedule_requested.emit(self.info.material_id, self.info.count_date)
