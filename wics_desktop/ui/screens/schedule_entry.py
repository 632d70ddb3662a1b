"""Schedule a count (supervisors) and Request a count (anyone): one form, two variants.

The date defaults to the next workday (core: weekends and the holidays table skipped). As soon
as material and date are both known, the form checks whether that pair is already scheduled
and refuses to save with a clear message ("A count for X is already scheduled for D") and a
button to open the existing entry, before anything is written; core and the database's unique
constraint still guard the save itself (two workstations at once).

A clerk who opens an entry that is not their own open request (from "Open the existing entry"
or the Requested Counts list) sees it read-only, with the reason, and no Save or Delete: clerks
request counts, supervisors change the schedule (core enforces the same rule). Saving a request
keeps the entry's counter.

After a save the form is ready for the next material with date, counter, priority and reason
kept: scheduling twenty counts for tomorrow is twenty part numbers and Enters.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import WicsError
from ...core.services import counters, materials, schedule
from ..screen_base import Screen
from .common import Banner, date_edit, from_qdate, to_qdate
from .completion import complete_from
from .material_field import MaterialField

TYPICAL_REASONS = ("Material Movement", "Picked for Orders", "Verify Prev Count",
                   "Received Material", "Initial Count", "CM Random Count")


class ScheduleEntryScreen(Screen):
    request_mode = False

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.set_title("Request a Count" if self.request_mode else "Schedule a Count")
        self.entry: schedule.ScheduleEntry | None = None
        self.duplicate_id: int | None = None
        self.read_only_reason: str | None = None  # why the loaded entry cannot be changed

        self.banner = Banner(self)
        self.mode = QLabel(self)
        self.date = date_edit(ctx.read(schedule.next_workday, owner=self), self)
        self.date.setAccessibleName("Count date")
        self.material = MaterialField(ctx, self)
        self.material_info = QLabel(self)
        self.material_info.setWordWrap(True)
        # a wrapped label's row can be taller than its text: keep the text under the field
        self.material_info.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.material_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counter = QLineEdit(self)
        self.counter.setMaxLength(250)
        self.counter.setPlaceholderText("who counts (blank: anyone)")
        if not self.request_mode:
            self._complete_counters()
        self.priority = QLineEdit(self)
        self.priority.setMaxLength(50)
        self.reason = QComboBox(self)
        self.reason.setEditable(True)
        self.reason.addItems(["", *TYPICAL_REASONS])
        self.reason.lineEdit().setMaxLength(250)
        self.notes = QLineEdit(self)
        self.notes.setMaxLength(1000)
        self.requestor = QLineEdit(ctx.user.name if self.request_mode else "", self)
        self.requestor.setMaxLength(100)
        self.filled = QCheckBox("Request &filled", self)
        self.filled.setTristate(False)

        self.save_button = QPushButton("&Save  (Ctrl+S)", self)
        self.new_button = QPushButton("&New  (Ctrl+N)", self)
        self.delete_button = QPushButton("&Delete...", self)
        self.open_duplicate = QPushButton("Open the existing entry", self)
        self.open_duplicate.setVisible(False)
        for b in (self.save_button, self.new_button, self.delete_button, self.open_duplicate):
            b.setAutoDefault(False)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Count da&te:", self.date)
        form.addRow("&Material:", self.material)
        form.addRow("", self.material_info)
        if not self.request_mode:
            form.addRow("&Counter:", self.counter)
        form.addRow("&Priority:", self.priority)
        form.addRow("&Reason:", self.reason)
        form.addRow("N&otes:", self.notes)
        form.addRow("Re&questor:", self.requestor)
        if not self.request_mode:
            form.addRow("", self.filled)
        buttons = QHBoxLayout()
        for b in (self.save_button, self.new_button, self.delete_button, self.open_duplicate):
            buttons.addWidget(b)
        buttons.addStretch(1)
        body = QWidget(self)
        body.setMaximumWidth(820)  # a form, not a spreadsheet: keep lines readable
        inner = QVBoxLayout(body)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.mode)
        inner.addWidget(self.banner)
        inner.addLayout(form)
        inner.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(body)
        layout.addStretch(1)
        self.counter.setVisible(not self.request_mode)
        self.filled.setVisible(not self.request_mode)

        self.material.resolved.connect(self._material_resolved)
        self.material.textEdited.connect(self._material_edited)
        self.material.problem.connect(lambda m: self._error(m, self.material))
        self.date.dateChanged.connect(lambda _d: self._check_duplicate())
        nxt = self.priority if self.request_mode else self.counter
        self.counter.returnPressed.connect(self.priority.setFocus)
        self.priority.returnPressed.connect(self.reason.setFocus)
        self.reason.lineEdit().returnPressed.connect(self.notes.setFocus)
        self.notes.returnPressed.connect(self.save)
        self.requestor.returnPressed.connect(self.save)
        self._after_material = nxt
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.new)
        self.delete_button.clicked.connect(self.delete_current)
        self.open_duplicate.clicked.connect(
            lambda: self.duplicate_id and self.load_entry(self.duplicate_id))
        self._update_mode()

    def _complete_counters(self) -> None:
        """Offer the counters already known (typing 'ch' offers Chris, Chuck, ...)."""
        names = self.ctx.read(counters.known_counter_names, owner=self)
        complete_from(self.counter, names).setFilterMode(Qt.MatchFlag.MatchContains)

    # ---- flow ------------------------------------------------------------------------------
    def focus_first(self) -> None:
        if self.material.material_id is not None and self.duplicate_id is None \
                and self.entry is None and self.read_only_reason is None:
            self._after_material.setFocus()  # opened prefilled: the material is chosen
            return
        self.material.setFocus()
        self.material.selectAll()

    def _material_resolved(self, material_id: int, name: str) -> None:
        try:
            card = self.ctx.read(materials.get_card, material_id, owner=self)
        except WicsError as exc:
            self._error(str(exc))
            return
        found = ", ".join(card.last_found_at) or "never counted"
        self.material_info.setText(
            f"{card.description or '(no description)'}<br>Part type: {card.part_type or '-'}"
            f" &nbsp; Typical container: {card.typical_container_qty or '-'} &nbsp; pallet: "
            f"{card.typical_pallet_qty or '-'}<br>Last found at: {found}"
            + (f" (on {card.last_count_date})" if card.last_count_date else ""))
        if self._check_duplicate():
            self.banner.clear_message()
            self._after_material.setFocus()

    def _material_edited(self, _text: str) -> None:
        """The text no longer names the material described below it: forget what was shown
        (its card, and the refusal with its 'Open the existing entry')."""
        self.material_info.setText("")
        if self.duplicate_id is not None:
            self.duplicate_id = None
            self.open_duplicate.setVisible(False)
            self.save_button.setEnabled(True)

    def _check_duplicate(self) -> bool:
        """False (and says so) when the material is already scheduled on the date."""
        self.duplicate_id = None
        self.open_duplicate.setVisible(False)
        material_id = self.material.material_id
        if material_id is None:
            return True
        day = from_qdate(self.date.date())
        existing = self.ctx.read(schedule.entry_for, material_id, day, owner=self)
        if existing is not None and (self.entry is None or existing.id != self.entry.id):
            self.duplicate_id = existing.id
            self.open_duplicate.setVisible(True)
            who = f" (counter {existing.counter})" if existing.counter else ""
            self._error(f"A count for {existing.material} is already scheduled for "
                        f"{day.isoformat()}{who}. Pick another date or material, or open the "
                        f"existing entry.", self.material)
            self.save_button.setEnabled(False)
            return False
        self.save_button.setEnabled(True)
        if self.banner.kind == "error" and "already scheduled" in self.banner.text():
            self.banner.clear_message()
        return True

    def _input(self) -> schedule.ScheduleInput:
        return schedule.ScheduleInput(
            count_date=from_qdate(self.date.date()), material_id=self.material.material_id,
            # a request never clears the counter a supervisor assigned
            counter=(self.entry.counter if self.entry else None) if self.request_mode
            else self.counter.text(),
            priority=self.priority.text(), reason=self.reason.currentText(),
            notes=self.notes.text(), requestor=self.requestor.text(),
            request_filled=(self.entry.request_filled if self.request_mode and self.entry
                            else (self.filled.isChecked() or None)
                            if not self.request_mode else None))

    def save(self) -> bool:
        if self.read_only_reason is not None:
            return self._error(self.read_only_reason)
        if self.material.material_id is None or \
                self.material.text().strip() != self.material.display_name:
            if not self.material.resolve_now():
                return False
        if self.request_mode and not self.requestor.text().strip():
            return self._error("Please enter who requests the count.", self.requestor)
        if not self._check_duplicate():
            return False
        data = self._input()

        def saved(entry: schedule.ScheduleEntry) -> None:
            verb = "Requested" if self.request_mode else "Scheduled"
            self.banner.show_message(
                f"{verb}: <b>{entry.material}</b> on <b>{entry.count_date.isoformat()}</b>"
                + (f" for {entry.counter}" if entry.counter else "") + ".", "success")
            self.status_message.emit(f"{verb} {entry.material} on {entry.count_date}.")
            self._ready_for_next()

        fields = {"date": self.date, "material": self.material, "counter": self.counter,
                  "priority": self.priority, "reason": self.reason, "notes": self.notes,
                  "requestor": self.requestor}
        return self.ctx.op(schedule.save_entry, self.ctx.actor,
                           self.entry.id if self.entry else None, data, owner=self,
                           on_done=saved, banner=self.banner, fields=fields,
                           focus=self.material, what="saving the schedule entry").ok

    def _ready_for_next(self) -> None:
        self.entry = None
        self.material.clear_material()
        self.material_info.setText("")
        self.filled.setChecked(False)
        self.notes.clear()
        self._update_mode()
        self.focus_first()

    def _error(self, message: str, widget: QWidget | None = None) -> bool:
        self.banner.show_message(message, "error")
        if widget is not None:
            widget.setFocus()
        return False

    # ---- existing entries ------------------------------------------------------------------
    def load_entry(self, entry_id: int) -> bool:
        actor = self.ctx.actor

        def entry_and_refusal(s):
            entry = schedule.get_entry(s, entry_id)
            return entry, entry and schedule.edit_refusal(s, actor, entry.id)

        entry, refusal = self.ctx.read(entry_and_refusal, owner=self)
        if entry is None:
            return self._error(f"Schedule entry {entry_id} no longer exists.")
        self.entry = entry
        self.date.blockSignals(True)
        self.date.setDate(to_qdate(entry.count_date))
        self.date.blockSignals(False)
        self.material.set_material(entry.material_id, entry.material)
        self._material_resolved(entry.material_id, entry.material)
        self.counter.setText(entry.counter or "")
        self.priority.setText(entry.priority or "")
        self.reason.setCurrentText(entry.reason or "")
        self.notes.setText(entry.notes or "")
        self.requestor.setText(entry.requestor or "")
        self.filled.setChecked(bool(entry.request_filled))
        self.read_only_reason = refusal
        if self.read_only_reason is None:
            self.banner.show_message(f"Changing schedule entry #{entry.id}.", "info")
        else:
            self.banner.show_message(self.read_only_reason, "info")
        self._update_mode()
        return True

    def delete_current(self) -> bool:
        from PySide6.QtWidgets import QMessageBox

        if self.entry is None or self.read_only_reason is not None:
            return False
        withdraw = not self.ctx.can("schedule_counts")
        what = "Withdraw your request" if withdraw else "Delete the schedule entry"
        if QMessageBox.question(self, self.title, f"{what} for {self.entry.material} on "
                                f"{self.entry.count_date}?") != QMessageBox.StandardButton.Yes:
            return False
        def deleted(_none) -> None:
            self.banner.show_message("The request was withdrawn." if withdraw
                                     else "The schedule entry was deleted.", "success")
            self._ready_for_next()

        return self.ctx.op(schedule.delete_entry, self.ctx.actor, self.entry.id, owner=self,
                           on_done=deleted, banner=self.banner,
                           what="deleting the schedule entry").ok

    def new(self) -> bool:
        self.banner.clear_message()
        self._ready_for_next()
        return True

    def open_with(self, entry_id: int | None = None, material_id: int | None = None,
                  count_date: dt.date | None = None, **_kw) -> None:
        if entry_id is not None:
            self.load_entry(entry_id)
            return
        if material_id is not None and self.entry is not None:
            self.new()  # an entry was open: schedule the new material as a new entry
        if count_date is not None:
            self.date.setDate(to_qdate(count_date))
        if material_id is not None:
            from ...core.services.material_lookup import display_name_of

            name = self.ctx.read(display_name_of, material_id, owner=self)
            self.material.set_material(material_id, name)
            self._material_resolved(material_id, name)
        if count_date is not None and self.entry is None:
            noun = "request" if self.request_mode else "schedule entry"
            self.mode.setText(f"<b>New {noun}</b>  (date and material from where you chose "
                              f"it: check the date)")

    def is_dirty(self) -> bool:
        if self.entry is not None:
            return False
        return bool(self.material.text().strip() and self.notes.text().strip())

    def _update_mode(self) -> None:
        editing = self.entry is not None
        if not editing:
            self.read_only_reason = None
        locked = self.read_only_reason is not None
        noun = "request" if self.request_mode else "schedule entry"
        if locked:
            self.mode.setText(f"<b>Schedule entry #{self.entry.id}</b> (read-only)")
        else:
            self.mode.setText(f"<b>Changing {noun} #{self.entry.id}</b>" if editing
                              else f"<b>New {noun}</b>  (the date defaults to the next workday)")
        for w in (self.date, self.material, self.counter, self.priority, self.notes,
                  self.requestor):
            w.setReadOnly(locked)
        self.reason.setEnabled(not locked)
        self.filled.setEnabled(not locked)
        self.save_button.setVisible(not locked)
        self.delete_button.setVisible(not locked)
        self.delete_button.setEnabled(editing)
        self.save_button.setEnabled(True)
        if self.request_mode and editing and not locked and not self.ctx.can("schedule_counts"):
            self.delete_button.setText("&Withdraw request...")
        else:
            self.delete_button.setText("&Delete...")


class RequestEntryScreen(ScheduleEntryScreen):
    request_mode = True


if __name__ == "__main__":  # pragma: no cover
    from ..standalone import run_screen

    run_screen("schedule_entry")
