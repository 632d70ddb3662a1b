"""Count Entry: the screen a clerk uses all day, built for the keyboard and barcode scanners.

The path (CLI_CONTRACT.md, "The desktop executable"): the cursor starts in Material, with
today's date and the signed-in user as counter. Material, Enter -> Location; Location, Enter
-> Quantity; expression, Enter -> saved, and the form is ready for the next count with the
cursor in Material. Date, counter and location stay; everything else is cleared. A scanner
that sends Enter after each code follows the same path. With Location only ticked, Enter in
Location saves.

Mistakes never open a dialog in this path (a dialog would swallow the next scan): the message
appears in the banner and the cursor goes to the field to fix. Ctrl+Z right after a save
undoes that save and puts its values back in the form to correct. Saving is one short op
(ui/ops.py): the window keeps painting while the server answers, and the keys a scanner sends
meanwhile are held and typed into the form once it is ready for the next count, instead of
landing in a half-cleared form.

The fields and their layout are in count_entry_form.py, the form's state (the loaded count,
what Undo takes back) in count_entry_state.py, loaded counts (Delete, Copy to date, Find) in
count_entry_existing.py. Business rules live in core.services.counts.
"""
from __future__ import annotations

import datetime as dt
import uuid as uuidlib

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import QMessageBox, QWidget

from ...core import clock
from ...core.errors import WicsError
from ...core.expressions import format_quantity
from ...core.services import counts
from .. import errors, settings, shortcuts
from .common import from_qdate, to_qdate
from .completion import complete_from, no_completion
from .count_entry_existing import ExistingCounts
from .count_entry_form import CountEntryForm, UndoKey
from .count_entry_state import CountEntryState, Undo, revert, store
from .count_side_panel import load_side_info


class CountEntryScreen(ExistingCounts, CountEntryForm):
    saved = Signal(object)  # counts.CountLine after every save
    undone = Signal(int)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.set_title("Count Entry")
        self.state = CountEntryState(lambda: self.ctx.actor)
        self._side_generation = 0
        self._side_material: tuple[int, dt.date] | None = None
        # Who counted: the scheduled counter of the material and date, else the counter last
        # typed in this session, else the signed-in user (paper sheets are typed by a clerk
        # for whoever walked the aisle); _default_counter() decides, per material.
        self._typed_counter: str | None = None

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
        self._undo_filter = UndoKey(self)
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
    def _counter_typed(self, text: str) -> None:
        self._typed_counter = text.strip() or None

    def _default_counter(self, material_id: int | None) -> str:
        scheduled = None
        if material_id is not None:
            day = from_qdate(self.date.date())
            try:  # one indexed look-up; the scanner's next keys are held until it is back
                scheduled = self.ctx.read(counts.scheduled_counter, material_id, day,
                                          owner=self, fallback=True)
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
    @property
    def editing(self) -> counts.CountLine | None:
        """The loaded count Save changes (None: Save adds a new count)."""
        return self.state.editing

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
        # fallback: the server gone this very moment - the same count, on this PC's replica
        return self.ctx.op(store, self.ctx.actor, self.editing, data, owner=self,
                           fallback=True, on_done=self._stored, banner=self.banner,
                           fields=self._fields(), focus=self.material,
                           what="saving the count", on_unexpected=self._not_saved).ok

    def _not_saved(self, _exc) -> None:
        """A bug (already reported): say so, and keep every typed value in the form."""
        self._error("The count was NOT saved (an unexpected error; the details were logged). "
                    "Your input is still here.", self.quantity.edit)

    def _stored(self, answer: tuple[counts.CountLine, Undo]) -> None:
        line, undo = answer
        self.state.undo = undo
        qty = "location only" if line.location_only else format_quantity(line.quantity)
        self.banner.show_message(self.state.saved_message(line, undo, qty), "success")
        if self.ctx.offline is not None and (line.id < 0 or undo.kind == "add"):
            self.ctx.offline.note_saved(line)
        self.saved.emit(line)
        self._next(line)
        self.ctx.check_alerts("count save", force=False)

    def _clear_count_fields(self) -> None:
        """Everything but date, counter and location: what differs from count to count."""
        self.state.editing = None
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

    # ---- undo --------------------------------------------------------------------------
    def can_undo(self) -> bool:
        return self.state.can_undo()

    def undo_last_save(self) -> bool:
        undo = self.state.undo
        if undo is None:
            self.banner.show_message("Nothing to undo: Ctrl+Z takes back the last save, "
                                     "until the next one.", "info")
            return False

        def refused(exc: WicsError) -> None:
            self.state.undo = None
            self._error(f"Could not undo: {exc}")

        offline = self.ctx.offline
        if undo.kind == "add" and offline is not None:
            # by uuid: it may still wait on this PC, or have reached the server meanwhile
            def taken_back(_where) -> None:
                offline.note_saved_offline()
                self._undone(undo)

            return self.ctx.op(offline.workstation.take_back, self.ctx.actor, undo.line.uuid,
                               session=False, owner=self, on_done=taken_back,
                               on_error=refused, what="undoing the count").ok
        return self.ctx.op(revert, self.ctx.actor, undo, owner=self,
                           on_done=lambda _none: self._undone(undo), on_error=refused,
                           what="undoing the count").ok

    def _undone(self, undo: Undo) -> None:
        self.state.undo = None
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

    # ---- standard actions --------------------------------------------------------------
    def new(self) -> bool:
        if self.is_dirty() and not self._confirm_discard():
            return False
        self._clear_count_fields()
        self.banner.clear_message()
        self._update_mode()
        self.focus_first()
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

            name = self.ctx.read(display_name_of, material_id, owner=self)
            self.material.set_material(material_id, name)
            self._material_resolved(material_id, name)

    def is_dirty(self) -> bool:
        return self.state.is_dirty(self._input(), bool(
            self.material.text().strip() or self.quantity.text().strip()
            or self.notes.text().strip()))

    def _confirm_discard(self) -> bool:
        return QMessageBox.question(
            self, "Count Entry", "The form has input that is not saved. Discard it?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel) == QMessageBox.StandardButton.Discard

    def save_state(self) -> None:
        settings.save_splitter(self.splitter, "count_entry")

    def _update_mode(self) -> None:
        editing = self.editing is not None
        self.mode.setText(self.state.mode_text())
        locked = self.read_only()
        self._set_read_only(locked)
        self.save_button.setEnabled(not locked)
        self.delete_button.setEnabled(editing and not locked)
        self.copy_button.setEnabled(editing and not locked)  # core refuses it too
        self.save_button.setText("&Save changes  (Enter)" if editing else "&Save and next  (Enter)")


if __name__ == "__main__":  # pragma: no cover - look at the screen on its own
    from ..standalone import run_screen

    run_screen("count_entry")
