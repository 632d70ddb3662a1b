"""The Material screen: every field of a material, and everything WICS knows about it.

Top: go to another material (type-ahead), the material's name, its SAP line (today's snapshot)
and where it was last found. Tabs: Details (all fields), Count history (newest first), Schedule,
Counts vs SAP (per count date: counted, SAP quantity of that date, difference, accuracy),
SAP rows, Manufacturer part numbers (edited in place), Photos. Clerks see it read-only; the
role decides (permission edit_materials). One Material tab per material.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core import clock
from ...core.errors import WicsError
from ...core.expressions import first_number, format_quantity
from ...core.lists import definitions
from ...core.services import materials, mpns, orgs, part_types, sap
from .. import shortcuts
from ..screen_base import Screen
from ..tables.table_widget import QueryTableWidget
from .common import Banner, tab_chain
from .material_field import MaterialField
from .material_tabs import HistorySummaryTable, MpnEditor, PhotoPanel

# (field, label, max length) of the text fields, in form order
TEXT_FIELDS = (
    ("description", "Description", 250), ("typical_container_qty", "Typical container qty", 100),
    ("typical_pallet_qty", "Typical pallet qty", 100), ("plant", "Plant", 20),
    ("sap_material_type", "SAP material type", 100),
    ("sap_material_group", "SAP material group", 100),
    ("sap_manufacturer", "SAP manufacturer", 100), ("sap_mpn", "SAP MPN", 100),
    ("sap_abc", "SAP ABC", 5), ("currency", "Currency", 20),
)


class MaterialScreen(Screen):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.read_only = not ctx.can("edit_materials")
        self.material_id: int | None = None
        self.card: materials.MaterialCard | None = None
        self._loaded_values: dict = {}
        self.set_title("Material")

        self.goto = MaterialField(ctx, self)
        self.goto.setPlaceholderText("go to material: part number, scan or search text")
        self.goto.resolved.connect(lambda mid, _n: self.load(mid))
        self.goto.problem.connect(lambda m: self.banner.show_message(m, "error"))
        self.name = QLabel(self)
        font = QFont(self.name.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.name.setFont(font)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sap_line = QLabel(self)
        self.found_line = QLabel(self)
        for label in (self.sap_line, self.found_line):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner = Banner(self)

        # ---- details ----
        self.part_number = QLineEdit(self)
        self.part_number.setMaxLength(100)
        self.org = QComboBox(self)
        self.part_type = QComboBox(self)
        self.edits: dict[str, QLineEdit] = {}
        for field, _label, length in TEXT_FIELDS:
            edit = QLineEdit(self)
            edit.setMaxLength(length)
            self.edits[field] = edit
        self.price = QLineEdit(self)
        self.price_unit = QLineEdit(self)
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(90)
        details = QWidget(self)
        grid = QGridLayout(details)
        left, right = QFormLayout(), QFormLayout()
        left.addRow("&Part number:", self.part_number)
        left.addRow("&Organization:", self.org)
        left.addRow("&Description:", self.edits["description"])
        left.addRow("Part &type:", self.part_type)
        left.addRow("Typical &container qty:", self.edits["typical_container_qty"])
        left.addRow("Typical pa&llet qty:", self.edits["typical_pallet_qty"])
        # what a counter's 3P and 2C come to for this material, as the fields are typed
        self.packs_hint = QLabel(self)
        self.packs_hint.setAccessibleName("Packs in counts")
        self.packs_hint.setWordWrap(True)
        left.addRow("In counts:", self.packs_hint)
        for key in ("typical_container_qty", "typical_pallet_qty"):
            self.edits[key].textChanged.connect(lambda _t: self._show_packs())
        left.addRow("&Notes:", self.notes)
        for field, label, _ in TEXT_FIELDS[3:9]:
            right.addRow(label + ":", self.edits[field])
        price_row = QHBoxLayout()
        price_row.addWidget(self.price, 2)
        price_row.addWidget(QLabel("per"))
        price_row.addWidget(self.price_unit, 1)
        price_row.addWidget(self.edits["currency"], 1)
        right.addRow("Price:", price_row)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(1, 1)

        # ---- tabs ----
        self.tabs = QTabWidget(self)
        self.tabs.addTab(details, "Details")
        self.history = QueryTableWidget(definitions.counts_spec("material_counts"), ctx.runner,
                                        self, show_filters=False)
        self.history.add_row_action("Open in Count Entry", lambda ids: ctx.open(
            "count_entry", count_id=ids[0]), single=True)
        self.tabs.addTab(self.history, "Count history")
        for key in shortcuts.keys("count_history"):  # not a mnemonic: one declared key
            to_history = QShortcut(key, self)
            to_history.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            to_history.activated.connect(self.show_history)
        self.schedule = QueryTableWidget(definitions.schedule_spec("material_schedule"),
                                         ctx.runner, self, show_filters=False)
        if ctx.can("schedule_counts"):
            self.schedule.add_row_action("Edit...", lambda ids: ctx.open(
                "schedule_entry", entry_id=ids[0]), single=True)
        self.tabs.addTab(self.schedule, "Schedule")
        self.summary = HistorySummaryTable(self)
        self.tabs.addTab(self.summary, "Counts vs SAP")
        self.sap_rows = QueryTableWidget(definitions.sap_spec("material_sap"), ctx.runner, self,
                                         show_filters=False)
        self.sap_rows.header.setSectionHidden(0, False)  # the upload date matters here
        self.sap_rows.model.state.sort_key, self.sap_rows.model.state.descending = \
            "upload_date", True
        self.tabs.addTab(self.sap_rows, "SAP rows")
        self.mpns = MpnEditor(ctx, self.read_only, self)
        self.tabs.addTab(self.mpns, "&Manufacturer part numbers")
        self.photos = PhotoPanel(ctx, self.read_only, self)
        self._show_packs()
        self.tabs.addTab(self.photos, "Photos")

        # ---- buttons ----
        self.save_button = QPushButton("&Save  (Ctrl+S)", self)
        self.new_button = QPushButton("New material", self)
        self.delete_button = QPushButton("Delete material...", self)
        self.count_button = QPushButton("Count &Entry", self)
        self.schedule_button = QPushButton("Schedule a count...", self)
        for b in (self.save_button, self.new_button, self.delete_button):
            b.setVisible(not self.read_only)
        self.schedule_button.setVisible(ctx.can("schedule_counts"))
        buttons = QHBoxLayout()
        for b in (self.save_button, self.new_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.count_button)
        buttons.addWidget(self.schedule_button)
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.new)
        self.delete_button.clicked.connect(self.delete_material)
        self.count_button.clicked.connect(
            lambda: self.material_id and ctx.open("count_entry", material_id=self.material_id))
        self.schedule_button.clicked.connect(
            lambda: self.material_id and ctx.open(
                "schedule_entry", material_id=self.material_id,
                count_date=clock.today() + dt.timedelta(days=1)))

        header = QVBoxLayout()
        header.addWidget(self.goto)
        header.addWidget(self.name)
        header.addWidget(self.sap_line)
        header.addWidget(self.found_line)
        # Tab in screen order: the go-to box, the tabs, the left column, the right column
        # (price row left to right), then the buttons
        tab_chain(self.goto, self.tabs, self.part_number, self.org,
                  self.edits["description"], self.part_type,
                  self.edits["typical_container_qty"], self.edits["typical_pallet_qty"],
                  self.notes, *[self.edits[f] for f, _l, _n in TEXT_FIELDS[3:9]],
                  self.price, self.price_unit, self.edits["currency"], self.save_button,
                  self.new_button, self.delete_button, self.count_button, self.schedule_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        if self.read_only:
            self._make_read_only()
        self._fill_choices()
        self._show_nothing()

    # ---- loading ---------------------------------------------------------------------------
    def _show_packs(self) -> None:
        """'3P = 3 × 40 (pallets) · 2C = 2 × 12 (containers)', or how to make P and C work."""
        pallet = first_number(self.edits["typical_pallet_qty"].text())
        container = first_number(self.edits["typical_container_qty"].text())
        bits = []
        for letter, size, what, field in (("P", pallet, "pallet", "Typical pallet qty"),
                                          ("C", container, "container",
                                           "Typical container qty")):
            if size is None:
                bits.append(f"{letter}: no {what} quantity (put a number in {field})")
            else:
                shown = format_quantity(int(size) if size.denominator == 1 else float(size))
                bits.append(f"1{letter} = {shown} (a {what})")
        self.packs_hint.setText(" · ".join(bits))

    def _fill_choices(self) -> None:
        self._orgs, self._types = self.ctx.read(
            lambda s: (orgs.list_orgs(s), part_types.list_part_types(s)), owner=self)
        self.org.clear()
        for o in self._orgs:
            self.org.addItem(o.name, o.id)
        self.part_type.clear()
        self.part_type.addItem("(none)", None)
        for t in self._types:
            self.part_type.addItem(t.name + (" (inactive)" if t.inactive else ""), t.id)

    def _make_read_only(self) -> None:
        from PySide6.QtGui import QPalette

        palette = self.palette()  # read-only fields drawn on the window colour, like labels
        palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
        for edit in (self.part_number, self.price, self.price_unit, *self.edits.values(),
                     self.notes):
            edit.setReadOnly(True)
            edit.setPalette(palette)
        self.org.setEnabled(False)
        self.part_type.setEnabled(False)
        self.banner.show_message("Read only: materials are changed by supervisors.", "info")

    def _show_nothing(self) -> None:
        self.name.setText("No material chosen: type a part number above." if self.material_id
                          is None else "")
        self.sap_line.setText("")
        self.found_line.setText("")
        self.tabs.setEnabled(self.material_id is not None or not self.read_only)

    def show_history(self) -> None:
        """Alt+H: the Count history tab, with the cursor in its list."""
        if self.tabs.isEnabled():
            self.tabs.setCurrentWidget(self.history)
            self.history.view.setFocus()

    def instance_key(self) -> str | None:
        return None if self.material_id is None else str(self.material_id)

    def load(self, material_id: int, force: bool = False) -> bool:
        if not force and self.is_dirty() and not self._confirm_discard():
            return False
        try:
            today = clock.today()
            card, (sap_date, sap_rows) = self.ctx.read(
                lambda s: (materials.get_card(s, material_id),
                           sap.material_snapshot(s, material_id, today)), owner=self)
        except WicsError as exc:
            self.banner.show_message(str(exc), "error")
            return False
        self.material_id, self.card = material_id, card
        self.set_title(f"Material {card.display_name}")
        self.name.setText(f"{card.display_name}   -   {card.description or '(no description)'}")
        if sap_date is None:
            self.sap_line.setText("<b>No SAP quantity</b> (no SAP upload of this organization "
                                  "on or before today)")
        elif not sap_rows:
            self.sap_line.setText(f"SAP {sap_date.isoformat()}: <b>No SAP quantity</b>")
        else:
            total = sum(r.quantity for r in sap_rows)
            parts = ", ".join(f"{r.storage_location or '-'}: {format_quantity(r.amount)} "
                              f"{r.base_uom or ''}".strip() for r in sap_rows[:8])
            self.sap_line.setText(f"SAP {sap_date.isoformat()}: <b>{format_quantity(total)}</b>"
                                  f" counting units  ({parts}"
                                  f"{', ...' if len(sap_rows) > 8 else ''})")
        self.found_line.setText(
            f"Last found at <b>{', '.join(card.last_found_at)}</b> on "
            f"{card.last_count_date.isoformat()}" if card.last_found_at else "Never counted.")
        self.part_number.setText(card.part_number)
        self.org.setCurrentIndex(max(0, self.org.findData(card.org_id)))
        self.org.setEnabled(False)  # moving a material between organizations: not here
        self.part_type.setCurrentIndex(max(0, self.part_type.findData(card.part_type_id)))
        for field, edit in self.edits.items():
            edit.setText(getattr(card, field) or "")
        self.price.setText("" if card.price is None else f"{card.price:g}")
        self.price_unit.setText("" if card.price_unit is None else str(card.price_unit))
        self.notes.setPlainText(card.notes or "")
        self._loaded_values = self._values()
        for table in (self.history, self.schedule, self.sap_rows):
            table.model.params["material_id"] = material_id
            if table.model._started:
                table.model.reload()
            else:
                table.start()
        self.mpns.load(material_id)
        self.photos.load(material_id, card.display_name)
        self.ctx.runner.submit(_history, material_id, title="count history", owner=self,
                               on_result=self.summary.show_rows)
        self.tabs.setEnabled(True)
        self.delete_button.setEnabled(True)
        if not self.read_only:
            self.banner.clear_message()
        return True

    # ---- editing ---------------------------------------------------------------------------
    def _values(self) -> dict:
        values = {field: edit.text() for field, edit in self.edits.items()}
        values.update(part_number=self.part_number.text(), notes=self.notes.toPlainText(),
                      price=self.price.text(), price_unit=self.price_unit.text(),
                      part_type_id=self.part_type.currentData())
        return {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}

    def is_dirty(self) -> bool:
        if self.read_only:
            return False
        if self.material_id is None:
            return bool(self.part_number.text().strip())
        return self._values() != self._loaded_values or self.mpns.is_dirty()

    def save(self) -> bool:
        if self.read_only:
            return False
        values = self._values()
        changes = {k: v for k, v in values.items() if v != self._loaded_values.get(k)}
        material_id, org, edits = self.material_id, self.org.currentData(), self.mpns.edits()

        def write(session, actor) -> tuple[int, int]:  # on the op's worker: no widget here
            if material_id is None:
                created = materials.create_material(session, actor, materials.MaterialInput(
                    org=org, part_number=values["part_number"],
                    description=values["description"], part_type=values["part_type_id"],
                    **{k: values[k] or None for k in values if k not in (
                        "part_number", "description", "part_type_id")}))
                saved_id = created.id
            else:
                saved_id = material_id
                if changes:
                    materials.update_material(session, actor, saved_id, **changes)
            return saved_id, mpns.apply_edits(session, actor, saved_id, edits)

        def saved(answer: tuple[int, int]) -> None:
            saved_id, n_mpns = answer
            said = ", ".join(f"{k.replace('_', ' ')}={v or '(blank)'}"
                             for k, v in changes.items() if k != "part_type_id")
            if "part_type_id" in changes:
                said = (said + ", " if said else "") + f"part type={self.part_type.currentText()}"
            if n_mpns:
                said = (said + "; " if said else "") + f"{n_mpns} MPN change(s)"
            self.load(saved_id, force=True)
            self.banner.show_message(f"Saved {self.card.display_name}"
                                     + (f": {said}" if said else " (nothing had changed)."),
                                     "success")
            self.status_message.emit(f"Saved material {self.card.display_name}.")

        fields = {"part_number": self.part_number, "notes": self.notes, "price": self.price,
                  "price_unit": self.price_unit, "part_type": self.part_type, "org": self.org,
                  **self.edits}
        return self.ctx.op(write, self.ctx.actor, owner=self, on_done=saved, banner=self.banner,
                           fields=fields, what="saving the material").ok

    def new(self) -> bool:
        if self.read_only or (self.is_dirty() and not self._confirm_discard()):
            return False
        self.material_id, self.card = None, None
        self.set_title("New material")
        self.part_number.clear()
        self.org.setEnabled(True)
        for edit in self.edits.values():
            edit.clear()
        self.price.clear()
        self.price_unit.setText("1")
        self.notes.clear()
        index = self.part_type.findText("UNKNOWN")
        self.part_type.setCurrentIndex(max(0, index))
        self._loaded_values = {}
        self.mpns.load(None)
        self.photos.load(None)
        self.summary.setRowCount(0)
        self.name.setText("New material: fill in the part number and organization, then Save.")
        self.sap_line.setText("")
        self.found_line.setText("")
        self.delete_button.setEnabled(False)
        self.tabs.setCurrentIndex(0)
        self.part_number.setFocus()
        return True

    def delete_material(self) -> bool:
        if self.read_only or self.material_id is None:
            return False
        reason = self.ctx.read(materials.delete_refusal, self.material_id, owner=self)
        if reason:
            self.banner.show_message(reason, "error")
            return False
        if QMessageBox.question(self, "Delete material",
                                f"Delete material {self.card.display_name} with its photos and "
                                f"manufacturer part numbers?") != QMessageBox.StandardButton.Yes:
            return False
        def deleted(_none) -> None:
            name = self.card.display_name
            self._loaded_values = self._values()
            self.new()
            self.banner.show_message(f"Material {name} was deleted.", "success")

        return self.ctx.op(materials.delete_material, self.ctx.actor, self.material_id,
                           owner=self, on_done=deleted, banner=self.banner,
                           what="deleting the material").ok

    def _confirm_discard(self) -> bool:
        return QMessageBox.question(
            self, self.title, "This material has changes that are not saved. Discard them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel) == QMessageBox.StandardButton.Discard

    # ---- screen protocol ---------------------------------------------------------------------
    def open_with(self, material_id: int | None = None, new: bool = False, **_kw) -> None:
        if new:
            self.new()
        elif material_id is not None and material_id != self.material_id:
            self.load(material_id)

    def focus_first(self) -> None:
        if self.material_id is None and not self.part_number.hasFocus():
            self.goto.setFocus()

    def find(self) -> bool:
        self.goto.setFocus()
        self.goto.selectAll()
        return True

    def refresh(self) -> bool:
        if self.material_id is not None:
            self.load(self.material_id)
        return True

    def save_state(self) -> None:
        for table in (self.history, self.schedule, self.sap_rows):
            table.save_state()


def _history(session, material_id: int):
    """Runs on a worker: core's per-date history plus each accuracy's band (core's rule)."""
    from ...core import params
    from ...core.reports.numbers import Bands
    from ...core.services.history import material_history

    bands = Bands.from_params(params.get_all(session))
    return [(day, bands.band(day.accuracy)) for day in material_history(session, material_id)]


if __name__ == "__main__":  # pragma: no cover
    from ..standalone import run_screen

    run_screen("material")
