"""Admin screens for the setup tables: Organizations, SAP Plants, Units of Measure.

Each is a list on the left (with how much refers to each row) and the chosen row's fields on
the right, like Part Types: Save (Ctrl+S) writes through core, which validates (blank, too long,
control characters, a multiplier that is not a positive number) and audits; New (Ctrl+N)
empties the form; Remove asks, and core refuses a row that something still refers to, saying
what ("L10 has 1,234 materials and 3 plants"). Admins only (the screens' permission).
"""
from __future__ import annotations

from abc import ABCMeta, abstractmethod
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import WicsError
from ...core.services import orgs, units
from .. import settings
from ..screen_base import Screen
from .common import Banner

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class _Cell(QTableWidgetItem):
    """Shows a formatted number ("1,000") and sorts by its value (the edit role would
    replace the text)."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is not None and theirs is not None:
            return mine < theirs
        return (self.text().lower(), self.text()) < (other.text().lower(), other.text())


class _SetupMeta(type(Screen), ABCMeta):
    """Qt's metaclass with ABC's: a setup screen that leaves a hook out cannot be created."""


class _SetupScreen(Screen, metaclass=_SetupMeta):
    """List + form. Subclasses say what the rows are and how a row is saved and removed."""

    title_text = ""
    noun = ""
    columns: tuple[str, ...] = ()
    number_columns: tuple[int, ...] = ()
    hint = ""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.set_title(self.title_text)
        self.current: object | None = None  # key of the row in the form; None = a new one
        self.banner = Banner(self)
        self.list = QTableWidget(0, len(self.columns), self)
        self.list.setHorizontalHeaderLabels(list(self.columns))
        self.list.verticalHeader().setVisible(False)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setSortingEnabled(True)
        self.list.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # as core lists them
        self.list.setAccessibleName(self.title_text)
        self.list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.currentCellChanged.connect(lambda row, *_: self._select_row(row))

        self.form = QFormLayout()
        self.build_form(self.form)
        self.save_button = QPushButton("&Save  (Ctrl+S)")
        self.new_button = QPushButton(f"&New {self.noun}  (Ctrl+N)")
        self.delete_button = QPushButton(f"&Remove {self.noun}...")
        buttons = QHBoxLayout()
        for b in (self.save_button, self.new_button, self.delete_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.new)
        self.delete_button.clicked.connect(self.remove)
        self.mode = QLabel(self)
        note = QLabel(self.hint)
        note.setWordWrap(True)
        note.setEnabled(False)

        right = QWidget(self)
        right.setMaximumWidth(640)  # a form, not a spreadsheet
        rl = QVBoxLayout(right)
        rl.addWidget(self.mode)
        rl.addWidget(self.banner)
        rl.addLayout(self.form)
        rl.addLayout(buttons)
        rl.addWidget(note)
        rl.addStretch(1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([520, 560])
        settings.restore_splitter(self.splitter, self.settings_key())
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.reload_list()

    # ---- what subclasses provide ------------------------------------------------------
    @abstractmethod
    def build_form(self, form: QFormLayout) -> None:
        """Add the fields of one row to `form`."""

    @abstractmethod
    def load_rows(self, session) -> list[tuple[object, tuple]]:
        """(key, cell values) per row. Runs on an op worker (ctx.read): touches no widget."""

    def load_choices(self, session) -> object:
        """What the form's lists of choices need, read with the rows (on the worker)."""
        return None

    def show_choices(self, choices) -> None:
        """Put what load_choices read into the form (on the GUI thread)."""

    @abstractmethod
    def fill(self, values: tuple) -> None:
        """Show a row's values in the form."""

    @abstractmethod
    def clear_form(self) -> None:
        """Empty the form for a new row."""

    @abstractmethod
    def write(self, key) -> Callable[[object, object], object]:
        """What saves the form (key None: a new row): reads the fields now, on the GUI
        thread, and returns `save(session, actor) -> the row's key`, run as an op."""

    @abstractmethod
    def delete(self, session, actor, key) -> None:
        """Remove the row (core refuses one that something refers to); runs as an op, so it
        touches no widget."""

    def settings_key(self) -> str:
        return "setup_" + self.noun.replace(" ", "_")

    # ---- list ---------------------------------------------------------------------------
    def reload_list(self, select_key: object | None = None) -> None:
        rows, choices = self.ctx.read(lambda s: (self.load_rows(s), self.load_choices(s)),
                                      owner=self)
        self.show_choices(choices)
        self.rows = {key: values for key, values in rows}
        self.list.setSortingEnabled(False)
        self.list.setRowCount(len(rows))
        for r, (key, values) in enumerate(rows):
            for c, value in enumerate(values):
                text = f"{value:,}" if isinstance(value, int) else (
                    f"{value:,.6g}" if isinstance(value, float) else str(value or ""))
                item = _Cell(text)
                item.setData(KEY_ROLE, key)
                if c in self.number_columns:
                    item.setData(SORT_ROLE, value)
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.list.setItem(r, c, item)
        self.list.setSortingEnabled(True)
        self.list.resizeColumnsToContents()
        target = select_key if select_key in self.rows else (rows[0][0] if rows else None)
        for r in range(self.list.rowCount()):
            if self.list.item(r, 0).data(KEY_ROLE) == target:
                self.list.selectRow(r)
                self._select_row(r)
                return
        self.new(announce=False)

    def _select_row(self, row: int) -> None:
        item = self.list.item(row, 0) if row >= 0 else None
        if item is None:
            return
        self.current = item.data(KEY_ROLE)
        self.fill(self.rows[self.current])
        self.delete_button.setEnabled(True)
        self.mode.setText(f"<b>{self.noun.capitalize()} {self.rows[self.current][0]}</b>")

    # ---- actions ------------------------------------------------------------------------
    def save(self) -> bool:
        def saved(key) -> None:
            self.reload_list(key)
            self.banner.show_message(f"Saved {self.noun} {self.rows[key][0]}.", "success")
            self.ctx.notices.changed.emit("setup")

        return self.ctx.op(self.write(self.current), self.ctx.actor, owner=self, on_done=saved,
                           banner=self.banner, what=f"saving the {self.noun}").ok

    def new(self, announce: bool = True) -> bool:
        self.current = None
        self.list.setCurrentCell(-1, -1)  # choosing the same row again loads it again
        self.list.clearSelection()
        self.clear_form()
        self.delete_button.setEnabled(False)
        self.mode.setText(f"<b>New {self.noun}</b>")
        if announce:
            self.banner.show_message(f"New {self.noun}: fill in the fields, then Save.", "info")
        self.focus_first()
        return True

    def remove(self) -> bool:
        if self.current is None:
            return False
        name = self.rows[self.current][0]
        if QMessageBox.question(self, f"Remove {self.noun}",
                                f"Remove {self.noun} {name}?") != QMessageBox.StandardButton.Yes:
            return False
        def removed(_none) -> None:
            self.current = None
            self.reload_list()
            self.banner.show_message(f"Removed {self.noun} {name}.", "success")
            self.ctx.notices.changed.emit("setup")

        return self.ctx.op(self.delete, self.ctx.actor, self.current, owner=self,
                           on_done=removed, banner=self.banner,
                           what=f"removing the {self.noun}").ok

    def refresh(self) -> bool:
        self.reload_list(self.current)
        return True

    def save_state(self) -> None:
        settings.save_splitter(self.splitter, self.settings_key())


class OrganizationsScreen(_SetupScreen):
    title_text = "Organizations"
    noun = "organization"
    columns = ("Organization", "SAP plants", "Materials")
    number_columns = (2,)
    hint = ("Materials belong to an organization; part numbers are unique within one. An "
            "organization that still has materials, plants or SAP stock cannot be removed.")

    def build_form(self, form: QFormLayout) -> None:
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Organization name")
        self.name.returnPressed.connect(self.save)
        form.addRow("N&ame:", self.name)

    def load_rows(self, session):
        return [(o.id, (o.name, ", ".join(o.plants), o.materials)) for o in orgs.list_orgs(session)]

    def fill(self, values) -> None:
        self.name.setText(values[0])

    def clear_form(self) -> None:
        self.name.clear()

    def write(self, key):
        text, taken = self.name.text(), {v[0] for v in self.rows.values()}

        def save(session, actor):
            if key is None:
                if orgs.setup_text(text, "an organization name", 250) in taken:
                    raise WicsError(f"There is already an organization named {text.strip()}.")
                return orgs.add_org(session, actor, text).values["id"]
            return orgs.rename_org(session, actor, key, text).values["id"]
        return save

    def delete(self, session, actor, key) -> None:
        orgs.delete_org(session, actor, key)

    def focus_first(self) -> None:
        self.name.setFocus()
        self.name.selectAll()


class PlantsScreen(_SetupScreen):
    title_text = "SAP Plants"
    noun = "plant"
    columns = ("SAP plant", "Organization", "Materials", "SAP stock rows")
    number_columns = (2, 3)
    hint = ("An SAP plant code says which organization a row of an SAP import belongs to. "
            "Moving a plant changes the next imports, not what is stored. A plant that "
            "materials or SAP stock rows name cannot be removed.")

    def build_form(self, form: QFormLayout) -> None:
        self.code = QLineEdit(self)
        self.code.setAccessibleName("SAP plant code")
        self.org = QComboBox(self)
        self.org.setAccessibleName("Organization")
        self.code.returnPressed.connect(self.org.setFocus)
        form.addRow("SAP &plant:", self.code)
        form.addRow("&Organization:", self.org)

    def load_rows(self, session):
        return [(p.plant, (p.plant, p.org, p.materials, p.sap_rows))
                for p in orgs.list_plants(session)]

    def load_choices(self, session) -> list[str]:
        return [o.name for o in orgs.list_orgs(session)]

    def show_choices(self, names) -> None:
        current = self.org.currentText()
        self.org.clear()
        self.org.addItems(names)
        if current in names:
            self.org.setCurrentText(current)

    def fill(self, values) -> None:
        self.code.setText(values[0])
        self.code.setReadOnly(True)  # the code is the key: remove and add to change it
        self.org.setCurrentText(values[1])

    def clear_form(self) -> None:
        self.code.clear()
        self.code.setReadOnly(False)

    def write(self, key):
        org, typed, taken = self.org.currentText(), self.code.text(), set(self.rows)

        def save(session, actor):
            if not org:
                raise WicsError("Please add an organization first (Organizations screen).")
            if key is None:
                code = orgs.setup_text(typed, "a plant code", 20)
                if code in taken:
                    raise WicsError(f"Plant {code} exists already: choose it in the list to "
                                    f"move it to another organization.")
                return orgs.add_plant(session, actor, code, org).key
            return orgs.move_plant(session, actor, key, org).key
        return save

    def delete(self, session, actor, key) -> None:
        orgs.delete_plant(session, actor, key)

    def focus_first(self) -> None:
        target = self.org if self.code.isReadOnly() else self.code
        target.setFocus()


class UnitsScreen(_SetupScreen):
    title_text = "Units of Measure"
    noun = "unit"
    columns = ("Unit", "Multiplier", "Meaning", "SAP stock rows")
    number_columns = (1, 3)
    hint = ("SAP books stock in its base unit; the multiplier turns it into counting units "
            "(KPC = 1,000 pieces). Changing a multiplier changes every SAP quantity in that "
            "unit. A unit that SAP stock rows use cannot be removed or renamed.")

    def build_form(self, form: QFormLayout) -> None:
        self.code = QLineEdit(self)
        self.code.setAccessibleName("Unit of measure")
        self.multiplier = QLineEdit(self)
        self.multiplier.setAccessibleName("Multiplier")
        self.multiplier.setPlaceholderText("counting units per SAP unit, e.g. 1000")
        self.text = QLineEdit(self)
        self.text.setAccessibleName("Meaning")
        self.code.returnPressed.connect(self.multiplier.setFocus)
        self.multiplier.returnPressed.connect(self.text.setFocus)
        self.text.returnPressed.connect(self.save)
        form.addRow("&Unit:", self.code)
        form.addRow("&Multiplier:", self.multiplier)
        form.addRow("M&eaning:", self.text)

    def load_rows(self, session):
        return [(u.id, (u.uom, float(u.multiplier), u.text or "", u.sap_rows))
                for u in units.list_units(session)]

    def fill(self, values) -> None:
        self.code.setText(values[0])
        self.multiplier.setText(f"{values[1]:g}")
        self.text.setText(values[2])

    def clear_form(self) -> None:
        for w in (self.code, self.multiplier, self.text):
            w.clear()

    def write(self, key):
        uom, multiplier, meaning = self.code.text(), self.multiplier.text(), self.text.text()

        def save(session, actor):
            if key is None:
                code = units.add_unit(session, actor, uom, multiplier, meaning).key
            else:
                code = units.update_unit(session, actor, key, uom=uom, multiplier=multiplier,
                                         text=meaning).key
            return next(u.id for u in units.list_units(session) if u.uom == code)
        return save

    def delete(self, session, actor, key) -> None:
        units.delete_unit(session, actor, key)

    def focus_first(self) -> None:
        self.code.setFocus()
        self.code.selectAll()


if __name__ == "__main__":  # pragma: no cover
    from ..standalone import run_screen

    run_screen("organizations")
