"""Count Entry's fields and their layout (the behaviour is in count_entry.py).

The order on screen is the order a clerk fills them; the tab order starts in Material (date
and counter, set once a shift, come round last).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core import clock
from ...core.services import counts
from .. import settings, shortcuts
from ..screen_base import Screen
from .common import Banner, date_edit, from_qdate, tab_chain
from .count_side_panel import CountSidePanel
from .material_field import MaterialField
from .quantity_field import QuantityField


class UndoKey(QObject):
    """Ctrl+Z in a text box that has nothing of its own to undo undoes the last save."""

    def __init__(self, screen) -> None:
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


class CountEntryForm(Screen):
    """The widgets of Count Entry, laid out, and what reads them or points at one; the
    behaviour is the screen's."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        # ---- fields ----
        self.banner = Banner(self)
        self.banner.reserve_space(2)  # the fields never move when a message appears
        self.date = date_edit(clock.today(), self)
        self.date.setAccessibleName("Count date")
        # Who counted: filled in per material by the screen (_default_counter)
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

    # ---- reading and pointing at the fields -------------------------------------------------
    def focus_first(self) -> None:
        self.material.setFocus(Qt.FocusReason.OtherFocusReason)
        self.material.selectAll()

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

    def _fields(self) -> dict[str, QWidget]:
        """Where the cursor goes for a rejection naming a field (WicsError.field)."""
        return {"counter": self.counter, "location": self.location,
                "quantity": self.quantity.edit, "material": self.material, "date": self.date,
                "notes": self.notes, "package": self.package, "tag": self.tag_qty}

    def _error(self, message: str, widget: QWidget | None = None) -> bool:
        self.banner.show_message(message, "error")
        if widget is not None:
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.selectAll()
        return False
