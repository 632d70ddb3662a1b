"""Count Entry on counts already saved: load one (side panel double-click, Find), then Save
changes it and Delete and Copy to date work on it. A mixin of CountEntryScreen."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtWidgets import QDialog, QMessageBox

from ...core import clock
from ...core.errors import WicsError
from ...core.expressions import format_quantity
from ...core.services import counts
from .common import ask_date, from_qdate, to_qdate


class ExistingCounts:
    """load_count, delete_current, copy_current and find for CountEntryScreen."""

    def load_count(self, count_id: int) -> bool:
        if self.is_dirty() and not self._confirm_discard():
            return False
        try:
            line = self.ctx.read(counts.get_count, count_id, owner=self)
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
        return self.state.read_only()

    def _set_read_only(self, on: bool) -> None:
        for edit in (self.counter, self.material, self.location, self.quantity.edit,
                     self.package, self.tag_qty, self.notes):
            edit.setReadOnly(on)
        self.date.setReadOnly(on)
        for box in (self.location_only, self.not_received, self.movement):
            box.setEnabled(not on)

    def _fill(self, line: counts.CountLine, *, editing: bool) -> None:
        self.state.editing = line if editing else None
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

        def deleted(_none) -> None:
            self.state.undo = None
            self.banner.show_message(f"Count #{line.id} was deleted.", "success")
            self._next(replace(line, location=self.location.text()))

        return self.ctx.op(counts.delete_count, self.ctx.actor, line.id, owner=self,
                           on_done=deleted, banner=self.banner,
                           what="deleting the count").ok

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
        def copied(copy: counts.CountLine) -> None:
            self.banner.show_message(f"Count #{count_id} was copied to {day.isoformat()} as "
                                     f"count #{copy.id}.", "success")
            self._load_side(copy.material_id, force=True)

        return self.ctx.op(counts.copy_count, self.ctx.actor, count_id, day, owner=self,
                           on_done=copied, banner=self.banner, what="copying the count").ok

    def find(self) -> bool:
        from .find_count import FindCountDialog

        dlg = FindCountDialog(self.ctx, from_qdate(self.date.date()), self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.count_id is not None:
            self.load_count(dlg.count_id)
        return True
