"""Count Entry: the screen a clerk uses all day, built for the keyboard and barcode scanners.

The path (CLI_CONTRACT.md, "The desktop executable"): the cursor starts in Material, with
today's date and the signed-in user as counter. Material, Enter -> Location; Location, Enter
-> Quantity; expression, Enter -> saved, and the form is ready for the next count with the
cursor in Material. Date, counter and location stay; everything else is cleared. A scanner
that sends Enter after each code follows the same path. With Location only ticked, Enter in
Location saves.

Mistakes never open a dialog in this path (a dialog would swallow the next scan): the message
appears in the banner and the cursor goes to the field to fix. Ctrl+Z right after a save
undoes that save and puts its values back in the form to correct. Saving is one short
transaction on the GUI thread, on purpose: the next keystrokes of a scanner wait the few
milliseconds instead of landing in a half-cleared form.

Existing counts: double-click one in the side panel (or Find, Ctrl+F) to load it; Save then
changes it, and Delete and Copy to date work on it. Business rules live in core.services.counts.
"""
from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core import clock
from ...core.errors import InputRejected, WicsError
from ...core.expressions import format_quantity
from ...core.services import counts
from .. import errors, settings, shortcuts
from ..offline import with_fallback
from ..screen import Screen
from .common import Banner, ask_date, date_edit, from_qdate, tab_chain, to_qdate
from .completion import complete_from, no_completion
from .count_side_panel import CountSidePanel, load_side_info
from .material_field import MaterialField
from .quantity_field import QuantityField


@dataclass
class _Undo:
    """What Ctrl+Z can take back: the count just added, or the values a count had before."""

    kind: str  # "add" | "update"
    count_id: int
    before: counts.CountInput | None
    line: counts.CountLine


class _UndoKey(QObject):
    """Ctrl+Z in a text box that has nothing of its own to undo undoes the last save."""

    def __init__(self, screen: CountEntryScreen) -> None:
        super().__init__(screen)
        self.screen = screen

    def eventFilter(self, obj, event) -> bool:
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) \
                and event.matches(QKeySequence.StandardKey.Undo) \
                and isinstance(obj, QLineEdit) and not obj.isUndoAvailable() \
                and self.screen.can_undo():
            if event.type() == QEvent.Type.KeyPress:
                self.screen.undo_last_save()
            event.accept()
            return True
        return False


class CountEntryScreen(Screen):
    saved = Signal(object)  # counts.CountLine after every save
    undone = Signal(int)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.set_title("Count Entry")
        self.editing: counts.CountLine | None = None
        self._undo: _Undo | None = None
        self._side_generation = 0
        self._side_material: tuple[int, dt.date] | None = None

        # ---- fields ----
        self.banner = Banner(self)
        self.banner.reserve_space(2)  # the fields never move when a message appears
        self.date = date_edit(clock.today(), self)
        self.date.setAccessibleName("Count date")
        # Who counted: the scheduled counter of the material and date, else the counter last
        # typed in this session, else the signed-in user (paper sheets are typed by a clerk
        # for whoever walked the aisle); _default_counter() decides, per material.
        self._typed_counter: str | None = None
        self.counter = QLineEdit(ctx.user.name, self)
        self.counter.setAccessibleName("Counter")
        self.counter.setMaxLength(250)
        self.material = MaterialField(ctx, self)
        self.location = QLineEdit(self)
        self.location.setAccessibleName("Location")
        self.location.setMaxLength(250)
        self.location.setPlaceholderText("scan or type the location")
        # Alt+O ticks it from the Location field WITHOUT taking the cursor away (a mnemonic
        # would move focus to the box, and the next scanned location would land nowhere)
        self.location_only = QCheckBox(
            f"Location only (seen here, not counted)  {shortcuts.key_text('location_only')}",
            self)
        self.quantity = QuantityField(self)
        self.not_received = QCheckBox("&Possibly not received", self)
        self.movement = QCheckBox("Movement during count", self)
        self.package = QLineEdit(self)
        self.package.setMaxLength(250)
        self.package.setAccessibleName("Package ID or description")
        self.tag_qty = QLineEdit(self)
        self.tag_qty.setMaxLength(250)
        self.tag_qty.setAccessibleName("Tag quantity")
        self.notes = QLineEdit(self)
        self.notes.setMaxLength(1000)
        self.notes.setAccessibleName("Count notes")
        self.mode = QLabel(self)
        self.mode.setAccessibleName("Mode")

        self.save_button = QPushButton("&Save and next  (Enter)", self)
        self.new_button = QPushButton("Ne&w  (Ctrl+N)", self)
        self.undo_button = QPushButton("&Undo last save  (Ctrl+Z)", self)
        self.delete_button = QPushButton("D&elete...", self)
        self.copy_button = QPushButton("&Copy to date...", self)
        self.find_button = QPushButton("F&ind count...  (Ctrl+F)", self)
        for b in (self.save_button, self.new_button, self.undo_button, self.delete_button,
                  self.copy_button, self.find_button):
            b.setAutoDefault(False)

        # ---- layout ----
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        top = QHBoxLayout()
        top.addWidget(self.date)
        top.addSpacing(12)
        top.addWidget(QLabel("Coun&ter:", self, buddy=self.counter))
        top.addWidget(self.counter, 1)
        form.addRow(QLabel("Count &date:", self, buddy=self.date), top)
        form.addRow("&Material:", self.material)
        form.addRow("&Location:", self.location)
        form.addRow("", self.location_only)
        form.addRow("&Quantity:", self.quantity)
        flags = QHBoxLayout()
        flags.addWidget(self.not_received)
        flags.addWidget(self.movement)
        flags.addStretch(1)
        form.addRow("Flags:", flags)
        extra = QGridLayout()
        extra.addWidget(self.package, 0, 0)
        extra.addWidget(QLabel("Tag qty:", self, buddy=self.tag_qty), 0, 1)
        extra.addWidget(self.tag_qty, 0, 2)
        extra.setColumnStretch(0, 3)
        extra.setColumnStretch(2, 1)
        form.addRow("Pkg ID / desc:", extra)
        form.addRow("&Notes:", self.notes)
        buttons = QGridLayout()
        buttons.addWidget(self.save_button, 0, 0)
        buttons.addWidget(self.new_button, 0, 1)
        buttons.addWidget(self.undo_button, 0, 2)
        buttons.addWidget(self.find_button, 1, 0)
        buttons.addWidget(self.delete_button, 1, 1)
        buttons.addWidget(self.copy_button, 1, 2)
        hint = QLabel("Material <b>Enter</b> \u2192 Location <b>Enter</b> \u2192 Quantity "
                      "<b>Enter</b> saves.  Required: date, material, counter, location and a "
                      "quantity (or Location only).", self)
        hint.setWordWrap(True)
        small = hint.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        hint.setFont(small)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.addWidget(self.mode)
        ll.addWidget(self.banner)
        ll.addLayout(form)
        ll.addLayout(buttons)
        ll.addWidget(hint)
        ll.addStretch(1)
        self.side = CountSidePanel(ctx.can("schedule_counts"), self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        outer = QVBoxLayout(self)
        outer.addWidget(self.splitter)
        self.splitter.setSizes([640, 520])
        settings.restore_splitter(self.splitter, "count_entry")

        # Tab order: screen order, starting in Material (date and counter, set once, come
        # round last); Enter, not Tab, is the fast path Material -> Location -> Quantity.
        chain = [self.material, self.location, self.location_only, self.quantity.edit,
                 self.not_received, self.movement, self.package, self.tag_qty, self.notes,
                 self.save_button, self.new_button, self.undo_button, self.find_button,
                 self.delete_button, self.copy_button, self.date, self.counter]
        tab_chain(*chain)

        # ---- behaviour ----
        self.material.resolved.connect(self._material_resolved)
        self.material.problem.connect(self._material_problem)
        self.material.cleared.connect(self._material_cleared)
        self.location.returnPressed.connect(self._location_entered)
        self.quantity.submitted.connect(self.save)
        for edit in (self.package, self.tag_qty, self.notes):
            edit.returnPressed.connect(self.save)
        self.counter.returnPressed.connect(self.material.setFocus)
        self.counter.textEdited.connect(self._counter_typed)
        self.date.dateChanged.connect(self._date_changed)
        self.location_only.toggled.connect(self.quantity.set_location_only)
        self.side.edit_requested.connect(self.load_count)
        self.side.schedule_requested.connect(lambda mid, day: self.ctx.open(
            "schedule_entry" if ctx.can("schedule_counts") else "request_entry",
            material_id=mid, count_date=day))
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.new)
        self.undo_button.clicked.connect(self.undo_last_save)
        self.delete_button.clicked.connect(self.delete_current)
        self.copy_button.clicked.connect(self.copy_current)
        self.find_button.clicked.connect(self.find)
        self._undo_filter = _UndoKey(self)
        for edit in (self.material, self.location, self.quantity.edit, self.package,
                     self.tag_qty, self.notes, self.counter):
            edit.installEventFilter(self._undo_filter)
        undo = QAction("Undo last save", self)
        undo.setShortcuts(shortcuts.keys("undo_save"))
        undo.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo.triggered.connect(self.undo_last_save)
        self.addAction(undo)
        for key in shortcuts.keys("location_only"):
            toggle = QShortcut(key, self)
            toggle.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            toggle.activated.connect(self.location_only.toggle)
        self._load_counters()
        self._update_mode()

    # ---- the keyboard path -----------------------------------------------------------------
    def focus_first(self) -> None:
        self.material.setFocus(Qt.FocusReason.OtherFocusReason)
        self.material.selectAll()

    def _counter_typed(self, text: str) -> None:
        self._typed_counter = text.strip() or None

    def _default_counter(self, material_id: int | None) -> str:
        scheduled = None
        if material_id is not None:
            day = from_qdate(self.date.date())

            def look_up():
                with self.ctx.session() as s:
                    return counts.scheduled_counter(s, material_id, day)

            try:  # one indexed look-up, on the GUI thread: the scanner's next keys wait for it
                scheduled = with_fallback(self.ctx, look_up)
            except WicsError:
                scheduled = None
        return scheduled or self._typed_counter or self.ctx.user.name

    def _apply_default_counter(self) -> None:
        if self.editing is None:  # an existing count keeps the counter it has
            self.counter.setText(self._default_counter(self.material.material_id))

    def _material_resolved(self, material_id: int, name: str) -> None:
        if self.banner.kind == "error":
            self.banner.clear_message()
        self.quantity.set_packs(None)  # not the previous material's P and C: wait for its own
        self._apply_default_counter()
        self._load_side(material_id)
        self.location.setFocus()
        self.location.selectAll()

    def _material_problem(self, message: str) -> None:
        """Not one material: the side panel must not go on showing the previous one (a clerk
        would read its last-found locations and counts as this material's)."""
        self._forget_side()
        self.side.show_empty("No material chosen: the material above is not known or not "
                             "unique.")
        self._error(message, self.material)

    def _forget_side(self) -> None:
        self._side_generation += 1  # an answer still on its way is for the old material
        self._side_material = None
        no_completion(self.location)
        self.location.setPlaceholderText("scan or type the location")

    def _material_cleared(self) -> None:
        pass  # keep showing the last material until another is chosen

    def _location_entered(self) -> None:
        if not self.location.text().strip():
            self._error("Please enter a location.", self.location)
            return
        if self.location_only.isChecked():
            self.save()
        else:
            self.quantity.setFocus()
            self.quantity.edit.selectAll()

    def _date_changed(self, _qdate) -> None:
        if self.material.material_id is not None:
            self._apply_default_counter()
            self._load_side(self.material.material_id)
        elif self.side.info is not None:
            self._load_side(self.side.info.material_id)

    # ---- side panel ------------------------------------------------------------------------
    def _load_side(self, material_id: int, force: bool = False) -> None:
        key = (material_id, from_qdate(self.date.date()))
        if key == self._side_material and not force:
            return
        self._side_material = key
        self._side_generation += 1
        gen = self._side_generation
        self.ctx.runner.submit(load_side_info, material_id, key[1], title="material details",
                               owner=self,
                               on_result=lambda info, g=gen: self._side_loaded(g, info),
                               on_error=lambda f, g=gen: self._side_failed(g, f))

    def _side_failed(self, generation: int, failure) -> None:
        offline = self.ctx.offline
        if offline is not None and offline.take_over(failure.error):
            if generation == self._side_generation and self._side_material is not None:
                self._load_side(self._side_material[0], force=True)  # again, on the replica
            return
        if isinstance(failure.error, WicsError):  # e.g. the material was deleted meanwhile:
            self.banner.show_message(str(failure.error), "warning")  # no dialog mid-scan
            return
        errors.handle(failure.error, self, "loading the material details", failure.traceback)

    def _side_loaded(self, generation: int, info) -> None:
        if generation == self._side_generation:
            self.side.show_info(info)
            self.quantity.set_material_packs(info.card)  # what 3P and 2C mean for it
            if info.card.last_found_at:
                complete_from(self.location, info.card.last_found_at)
                self.location.setPlaceholderText(
                    "last found at " + ", ".join(info.card.last_found_at[:4]))
            else:
                no_completion(self.location)
                self.location.setPlaceholderText("scan or type the location")

    def _load_counters(self) -> None:
        """The counter field completes from the names counted or scheduled lately."""
        def done(names):
            complete_from(self.counter, names)

        self.ctx.runner.submit(counts.known_counters, clock.today() - dt.timedelta(days=60),
                               title="known counters", on_result=done, owner=self)

    # ---- saving ----------------------------------------------------------------------------
    def _input(self) -> counts.CountInput:
        return counts.CountInput(
            count_date=from_qdate(self.date.date()),
            material_id=self.material.material_id,
            counter=self.counter.text(), location=self.location.text(),
            expression=None if self.location_only.isChecked() else self.quantity.text(),
            location_only=self.location_only.isChecked(),
            package_id=self.package.text(), tag_qty=self.tag_qty.text(),
            possibly_not_received=self.not_received.isChecked(),
            movement_during_count=self.movement.isChecked(), notes=self.notes.text())

    def _check(self) -> bool:
        """The form's own checks, in the order a person fills it; core checks again."""
        if not self.material.text().strip():
            return self._error("Please enter a material.", self.material)
        if self.material.material_id is None or \
                self.material.text().strip() != self.material.display_name:
            if not self.material.resolve_now():
                return False
        if not self.counter.text().strip():
            return self._error("Please enter the counter.", self.counter)
        if not self.location.text().strip():
            return self._error("Please enter a location.", self.location)
        if not self.quantity.is_valid():
            if self.quantity.error:
                self._error(f"The quantity is not valid: {self.quantity.error}.",
                            self.quantity.edit)
                if self.quantity.error_position is not None:  # the cursor where it went wrong
                    self.quantity.edit.setCursorPosition(self.quantity.error_position)
                return False
            return self._error("Please enter a valid quantity or tick Location only.",
                               self.quantity.edit)
        return True

    def save(self) -> bool:
        if not self._check():
            return False
        data = self._input()
        if self.editing is not None and not self._may_change(self.editing):
            return False
        # The uuid is fixed before the first try: if the server goes away mid-save and the
        # count is saved again offline, sending it later cannot store it twice.
        data.uuid = str(uuidlib.uuid4())
        try:  # the server gone this very moment: the same count, on this PC's replica
            line, undo = with_fallback(self.ctx, lambda: self._store(data))
        except InputRejected as exc:
            return self._error(str(exc), self._field_for(str(exc)))
        except WicsError as exc:
            return self._error(str(exc), self.material)
        except Exception as exc:  # a bug: report it, and keep every typed value in the form
            errors.report_unexpected(exc, self, what="saving the count")
            return self._error("The count was NOT saved (an unexpected error; the details "
                               "were logged). Your input is still here.", self.quantity.edit)
        self._undo = undo
        verb = "Saved" if undo.kind == "add" else "Changed"
        qty = "location only" if line.location_only else format_quantity(line.quantity)
        if line.id < 0:  # in this PC's outbox: no server id yet
            self.banner.show_message(
                f"Saved on this PC (offline): <b>{line.material}</b> at <b>{line.location}</b>, "
                f"<b>{qty}</b>. It is sent when the server is back.  Ctrl+Z undoes it.",
                "success")
            self.ctx.offline.note_saved(line)
        else:
            if self.ctx.offline is not None and undo.kind == "add":
                self.ctx.offline.note_saved(line)
            self.banner.show_message(
                f"{verb} count #{line.id}: <b>{line.material}</b> at <b>{line.location}</b>, "
                f"<b>{qty}</b>.  Ctrl+Z undoes it.", "success")
        self.saved.emit(line)
        self._next(line)
        self.ctx.check_alerts("count save", force=False)
        return True

    def _store(self, data: counts.CountInput) -> tuple[counts.CountLine, _Undo]:
        with self.ctx.session() as s:
            if self.editing is None:
                line = counts.add_count(s, self.ctx.actor, data)
                return line, _Undo("add", line.id, None, line)
            before = _input_of(self.editing)
            line = counts.update_count(s, self.ctx.actor, self.editing.id, data)
            return line, _Undo("update", line.id, before, line)

    def _clear_count_fields(self) -> None:
        """Everything but date, counter and location: what differs from count to count."""
        self.editing = None
        self.material.clear_material()
        self.quantity.set_text("")
        self.location_only.setChecked(False)
        for box in (self.not_received, self.movement):
            box.setChecked(False)
        for edit in (self.package, self.tag_qty, self.notes):
            edit.setText("")

    def _next(self, line: counts.CountLine) -> None:
        """Ready for the next count: date, counter and location stay, the rest is cleared."""
        self._clear_count_fields()
        self.location.setText(line.location)
        self._update_mode()
        self._load_side(line.material_id, force=True)
        self.focus_first()

    def _field_for(self, message: str) -> QWidget:
        text = message.lower()
        for words, widget in ((("counter",), self.counter), (("location",), self.location),
                              (("quantity",), self.quantity.edit),
                              (("material",), self.material), (("date",), self.date),
                              (("notes",), self.notes), (("package",), self.package),
                              (("tag",), self.tag_qty)):
            if any(w in text for w in words):
                return widget
        return self.material

    def _error(self, message: str, widget: QWidget | None = None) -> bool:
        self.banner.show_message(message, "error")
        if widget is not None:
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.selectAll()
        return False

    # ---- undo --------------------------------------------------------------------------
    def can_undo(self) -> bool:
        return self._undo is not None

    def undo_last_save(self) -> bool:
        undo = self._undo
        if undo is None:
            self.banner.show_message("Nothing to undo: Ctrl+Z takes back the last save, "
                                     "until the next one.", "info")
            return False
        try:
            if undo.kind == "add" and self.ctx.offline is not None:
                # by uuid: it may still wait on this PC, or have reached the server meanwhile
                self.ctx.offline.workstation.take_back(self.ctx.actor, undo.line.uuid)
                self.ctx.offline.note_saved_offline()
            else:
                with self.ctx.session() as s:
                    if undo.kind == "add":
                        counts.delete_count(s, self.ctx.actor, undo.count_id)
                    else:
                        counts.update_count(s, self.ctx.actor, undo.count_id, undo.before)
        except WicsError as exc:
            self._undo = None
            return self._error(f"Could not undo: {exc}")
        self._undo = None
        if undo.kind == "add":
            self._fill(undo.line, editing=False)
            what = "The count" if undo.count_id < 0 else f"Count #{undo.count_id}"
            self.banner.show_message(
                f"{what} was taken back. Its values are in the form again: "
                f"correct them and press Enter to save.", "warning")
        else:
            self.banner.show_message(f"The change to count #{undo.count_id} was undone.",
                                     "warning")
        self.undone.emit(undo.count_id)
        self._load_side(undo.line.material_id, force=True)
        self.quantity.setFocus()
        self.quantity.edit.selectAll()
        return True

    # ---- existing counts ---------------------------------------------------------------
    def load_count(self, count_id: int) -> bool:
        if self.is_dirty() and not self._confirm_discard():
            return False
        try:
            with self.ctx.session() as s:
                line = counts.get_count(s, count_id)
        except WicsError as exc:
            return self._error(str(exc))
        self._fill(line, editing=True)
        if self.read_only():
            # shown, not offered for editing: a clerk is not left to change it and be refused
            self.banner.show_message(
                f"Count #{line.id} was entered by {line.entered_by or 'someone else'}: you can "
                f"look at it, only a supervisor may change, delete or copy it. New (Ctrl+N) "
                f"goes back to entering counts.", "warning")
        else:
            self.banner.show_message(
                f"Changing count #{line.id}, entered by {line.entered_by or 'unknown'}"
                f"{' on ' + line.workstation if line.workstation else ''}. Save keeps the "
                f"changes; New (Ctrl+N) goes back to entering counts.", "info")
        self._load_side(line.material_id, force=True)
        if self.read_only():
            self.new_button.setFocus()
        else:
            self.quantity.setFocus()
            self.quantity.edit.selectAll()
        return True

    def read_only(self) -> bool:
        """The loaded count is someone else's and this user may not change it."""
        return self.editing is not None and not counts.may_change(
            self.ctx.actor, self.editing.entered_by)

    def _set_read_only(self, on: bool) -> None:
        for edit in (self.counter, self.material, self.location, self.quantity.edit,
                     self.package, self.tag_qty, self.notes):
            edit.setReadOnly(on)
        self.date.setReadOnly(on)
        for box in (self.location_only, self.not_received, self.movement):
            box.setEnabled(not on)

    def _fill(self, line: counts.CountLine, *, editing: bool) -> None:
        self.editing = line if editing else None
        self.date.blockSignals(True)
        self.date.setDate(to_qdate(line.count_date))
        self.date.blockSignals(False)
        self.material.set_material(line.material_id, line.material)
        self.counter.setText(line.counter)
        self.location.setText(line.location)
        self.location_only.setChecked(line.location_only)
        self.quantity.set_text(line.expression or "")
        self.not_received.setChecked(line.possibly_not_received)
        self.movement.setChecked(line.movement_during_count)
        self.package.setText(line.package_id or "")
        self.tag_qty.setText(line.tag_qty or "")
        self.notes.setText(line.notes or "")
        self._update_mode()

    def _may_change(self, line: counts.CountLine, quiet: bool = False) -> bool:
        if counts.may_change(self.ctx.actor, line.entered_by):
            return True
        if not quiet:
            self._error(f"Count #{line.id} was entered by {line.entered_by}: only a supervisor "
                        f"may change or delete it.")
        return False

    def delete_current(self) -> bool:
        line = self.editing
        if line is None:
            return self._error("Load a count first (double-click it in the list on the right, "
                               "or Find count).")
        if not self._may_change(line):
            return False
        qty = "location only" if line.location_only else f"{line.expression} = " \
            f"{format_quantity(line.quantity)}"
        answer = QMessageBox.question(
            self, "Delete count", f"Delete count #{line.id}?\n\n{line.count_date}  "
            f"{line.material}  at {line.location}\n{qty}  (counter {line.counter})")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            with self.ctx.session() as s:
                counts.delete_count(s, self.ctx.actor, line.id)
        except WicsError as exc:
            return self._error(str(exc))
        self._undo = None
        self.banner.show_message(f"Count #{line.id} was deleted.", "success")
        self._next(replace(line, location=self.location.text()))
        return True

    def copy_current(self) -> bool:
        line = self.editing
        if line is None:
            return self._error("Load a count first, then copy it to another date.")
        day = ask_date(self, "Copy count", f"Copy count #{line.id} ({line.material} at "
                       f"{line.location}) to which date?", clock.today())
        if day is None:
            return False
        return self.copy_count_to(line.id, day)

    def copy_count_to(self, count_id: int, day: dt.date) -> bool:
        try:
            with self.ctx.session() as s:
                copy = counts.copy_count(s, self.ctx.actor, count_id, day)
        except WicsError as exc:
            return self._error(str(exc))
        self.banner.show_message(f"Count #{count_id} was copied to {day.isoformat()} as count "
                                 f"#{copy.id}.", "success")
        self._load_side(copy.material_id, force=True)
        return True

    # ---- standard actions --------------------------------------------------------------
    def new(self) -> bool:
        if self.is_dirty() and not self._confirm_discard():
            return False
        self._clear_count_fields()
        self.banner.clear_message()
        self._update_mode()
        self.focus_first()
        return True

    def find(self) -> bool:
        from .find_count import FindCountDialog

        dlg = FindCountDialog(self.ctx, from_qdate(self.date.date()), self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.count_id is not None:
            self.load_count(dlg.count_id)
        return True

    def refresh(self) -> bool:
        if self.side.info is not None:
            self._load_side(self.side.info.material_id, force=True)
        return True

    def open_with(self, count_id: int | None = None, material_id: int | None = None,
                  count_date: dt.date | None = None, **_ignored) -> None:
        if count_date is not None:
            self.date.setDate(to_qdate(count_date))
        if count_id is not None:
            self.load_count(count_id)
        elif material_id is not None:
            from ...core.services.material_lookup import display_name_of

            with self.ctx.session() as s:
                name = display_name_of(s, material_id)
            self.material.set_material(material_id, name)
            self._material_resolved(material_id, name)

    def is_dirty(self) -> bool:
        if self.editing is not None:
            return _normalized(_input_of(self.editing)) != self._input_for_compare()
        return bool(self.material.text().strip() or self.quantity.text().strip()
                    or self.notes.text().strip())

    def _input_for_compare(self) -> counts.CountInput:
        return _normalized(self._input())

    def _confirm_discard(self) -> bool:
        return QMessageBox.question(
            self, "Count Entry", "The form has input that is not saved. Discard it?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel) == QMessageBox.StandardButton.Discard

    def save_state(self) -> None:
        settings.save_splitter(self.splitter, "count_entry")

    def _update_mode(self) -> None:
        editing = self.editing is not None
        self.mode.setText(f"<b>Changing count #{self.editing.id}</b>" if editing
                          else "<b>New count</b>")
        locked = self.read_only()
        if locked:
            self.mode.setText(f"<b>Count #{self.editing.id} (read-only: entered by "
                              f"{self.editing.entered_by})</b>")
        self._set_read_only(locked)
        self.save_button.setEnabled(not locked)
        self.delete_button.setEnabled(editing and not locked)
        self.copy_button.setEnabled(editing and not locked)  # core refuses it too
        self.save_button.setText("&Save changes  (Enter)" if editing else "&Save and next  (Enter)")


def _input_of(line: counts.CountLine) -> counts.CountInput:
    return counts.CountInput(
        count_date=line.count_date, material_id=line.material_id, counter=line.counter,
        location=line.location, expression=line.expression, location_only=line.location_only,
        package_id=line.package_id, tag_qty=line.tag_qty,
        possibly_not_received=line.possibly_not_received,
        movement_during_count=line.movement_during_count, notes=line.notes)


def _normalized(data: counts.CountInput) -> counts.CountInput:
    """Stripped text, blank as None: how core will store it (for "is it changed?")."""
    changes = {k: ((getattr(data, k) or "").strip() or None)
               for k in ("counter", "location", "expression", "package_id", "tag_qty", "notes")}
    if data.location_only:
        changes["expression"] = None
    return replace(data, **changes)


if __name__ == "__main__":  # pragma: no cover - look at the screen on its own
    from ..standalone import run_screen

    run_screen("count_entry")
