"""Admin screens for the small settings tables: Parameters, Holidays, Greetings.

Each is a plain editable table (these tables hold dozens of rows, not millions): change values
in place and Save (Ctrl+S) writes the changes through core, which validates and audits them.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import clock
from ...core.services import holidays, parameters, schedule
from ..screen_base import Screen
from .common import Banner, date_edit, from_qdate

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(True)
    return table


def _item(text: str, editable: bool = False, key=None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    item.setData(KEY_ROLE, key)
    return item


class _AdminScreen(Screen):
    title_text = ""
    topic = ""  # what open screens are told changed after a save (AppContext.notices)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.set_title(self.title_text)
        self.banner = Banner(self)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.banner)

    def run(self, fn, *args, done: str) -> bool:
        def finished(_result) -> None:
            self.banner.show_message(done, "success")
            self.refresh()
            self.ctx.notices.changed.emit(self.topic)

        return self.ctx.op(fn, self.ctx.actor, *args, owner=self, on_done=finished,
                           banner=self.banner, what=f"saving the {self.title_text.lower()}").ok


# ---- parameters ----------------------------------------------------------------------------

class ParametersScreen(_AdminScreen):
    title_text = "Parameters"
    topic = "parameters"

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.table = _table(["Parameter", "Value", "Default", "What it does"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 140)
        save = QPushButton("&Save changes  (Ctrl+S)")
        add = QPushButton("&Add parameter...")
        remove = QPushButton("&Remove parameter...")
        save.clicked.connect(self.save)
        add.clicked.connect(self.new)
        remove.clicked.connect(self.remove)
        row = QHBoxLayout()
        for b in (save, add, remove):
            row.addWidget(b)
        row.addStretch(1)
        hint = QLabel("Double-click a value to change it. Numbers such as the accuracy bands "
                      "are checked when you save.")
        hint.setEnabled(False)
        self.layout_.addWidget(hint)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addLayout(row)
        self._original: dict[str, str] = {}
        self.refresh()

    def refresh(self) -> bool:
        rows = self.ctx.read(parameters.list_parameters, owner=self)
        self._original = {r.name: r.value for r in rows}
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            self.table.setItem(i, 0, _item(r.name, key=r.name))
            self.table.setItem(i, 1, _item(r.value, editable=r.user_modifiable, key=r.name))
            self.table.setItem(i, 2, _item(r.default or "", key=r.name))
            self.table.setItem(i, 3, _item(r.comment or "", key=r.name))
        self.table.resizeRowsToContents()
        return True

    def changes(self) -> dict[str, str]:
        out = {}
        for i in range(self.table.rowCount()):
            name, value = self.table.item(i, 0).text(), self.table.item(i, 1).text()
            if value.strip() != (self._original.get(name) or "").strip():
                out[name] = value
        return out

    def is_dirty(self) -> bool:
        return bool(self.changes())

    def save(self) -> bool:
        changes = self.changes()
        if not changes:
            self.banner.show_message("Nothing has changed.", "info")
            return True

        def apply(s, actor):  # checked together: the bands are in order after the save
            parameters.set_parameters(s, actor, changes)
        return self.run(apply, done="Saved: " + ", ".join(f"{k} = {v.strip()}"
                                                            for k, v in changes.items()))

    def new(self) -> bool:
        name, ok = QInputDialog.getText(self, "Add parameter", "Name of the new parameter:")
        if ok and name.strip():
            value, ok = QInputDialog.getText(self, "Add parameter", f"Value of {name.strip()}:")
            if ok:
                return self.run(lambda s, a: parameters.set_parameter(s, a, name, value),
                                done=f"Added parameter {name.strip()}.")
        return False

    def remove(self) -> bool:
        row = self.table.currentRow()
        if row < 0:
            return False
        name = self.table.item(row, 0).text()
        if QMessageBox.question(self, "Remove parameter", f"Remove parameter {name}?") \
                != QMessageBox.StandardButton.Yes:
            return False
        return self.run(lambda s, a: parameters.delete_parameter(s, a, name),
                        done=f"Removed parameter {name}.")


# ---- holidays ------------------------------------------------------------------------------

class HolidaysScreen(_AdminScreen):
    title_text = "Holidays"
    topic = "holidays"

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(clock.today().year)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.table = _table(["Date", "Weekday", "Holiday"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.new_date = date_edit(clock.today())
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("name, e.g. Thanksgiving")
        self.new_name.setMaxLength(100)
        self.new_name.returnPressed.connect(self.add)
        add = QPushButton("&Add holiday")
        remove = QPushButton("&Remove selected...")
        add.clicked.connect(self.add)
        remove.clicked.connect(self.remove)
        self.next_workday = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("&Year:", buddy=self.year))
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(self.next_workday)
        adder = QHBoxLayout()
        adder.addWidget(self.new_date)
        adder.addWidget(self.new_name, 1)
        adder.addWidget(add)
        adder.addWidget(remove)
        self.layout_.addLayout(top)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addLayout(adder)
        self.refresh()

    def refresh(self) -> bool:
        year = self.year.value()
        rows, nxt = self.ctx.read(
            lambda s: (holidays.list_holidays(s, year), schedule.next_workday(s)), owner=self)
        self.table.setRowCount(len(rows))
        for i, h in enumerate(rows):
            self.table.setItem(i, 0, _item(h.holiday_date.isoformat(), key=h.holiday_date))
            self.table.setItem(i, 1, _item(h.holiday_date.strftime("%A"), key=h.holiday_date))
            self.table.setItem(i, 2, _item(h.name or "", key=h.holiday_date))
        self.next_workday.setText(f"Next workday (default count date): <b>{nxt.isoformat()} "
                                  f"{nxt.strftime('%A')}</b>")
        return True

    def add(self) -> bool:
        day = from_qdate(self.new_date.date())
        ok = self.run(lambda s, a: holidays.add_holiday(s, a, day, self.new_name.text() or None),
                      done=f"Added {day.isoformat()} as a holiday.")
        if ok:
            self.new_name.clear()
            if day.year != self.year.value():
                self.year.setValue(day.year)
        return ok

    def new(self) -> bool:
        self.new_date.setFocus()
        return True

    def remove(self) -> bool:
        days: list[dt.date] = sorted({self.table.item(i.row(), 0).data(KEY_ROLE)
                                      for i in self.table.selectedIndexes()})
        if not days or QMessageBox.question(
                self, "Remove holidays", "Remove " + ", ".join(d.isoformat() for d in days)
                + " from the holidays?") != QMessageBox.StandardButton.Yes:
            return False

        def apply(s, actor):
            for d in days:
                holidays.delete_holiday(s, actor, d)
        return self.run(apply, done=f"Removed {len(days)} holiday(s).")


# ---- greetings -----------------------------------------------------------------------------

class GreetingsScreen(_AdminScreen):
    title_text = "Greetings"
    topic = "greetings"

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.table = _table(["#", "Greeting shown at sign-in and in the status bar"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda row, *_: self._pick(row))
        self.text = QPlainTextEdit()
        self.text.setMaximumHeight(90)
        self.text.setTabChangesFocus(True)
        self.current: int | None = None
        save = QPushButton("&Save  (Ctrl+S)")
        new = QPushButton("&New greeting  (Ctrl+N)")
        remove = QPushButton("&Remove...")
        save.clicked.connect(self.save)
        new.clicked.connect(self.new)
        remove.clicked.connect(self.remove)
        row = QHBoxLayout()
        for b in (save, new, remove):
            row.addWidget(b)
        row.addStretch(1)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addWidget(self.text)
        self.layout_.addLayout(row)
        self.refresh()

    def refresh(self) -> bool:
        rows = self.ctx.read(holidays.list_greetings, owner=self)
        self.table.setRowCount(len(rows))
        for i, g in enumerate(rows):
            self.table.setItem(i, 0, _item(str(g.id), key=g.id))
            self.table.setItem(i, 1, _item(g.text, key=g.id))
        self.table.resizeRowsToContents()
        return True

    def _pick(self, row: int) -> None:
        item = self.table.item(row, 0) if row >= 0 else None
        if item is not None:
            self.current = item.data(KEY_ROLE)
            self.text.setPlainText(self.table.item(row, 1).text())

    def save(self) -> bool:
        text = self.text.toPlainText()
        if self.current is None:
            return self.run(lambda s, a: holidays.add_greeting(s, a, text), done="Greeting added.")
        gid = self.current
        return self.run(lambda s, a: holidays.update_greeting(s, a, gid, text),
                        done="Greeting saved.")

    def new(self) -> bool:
        self.current = None
        self.table.clearSelection()
        self.text.clear()
        self.text.setFocus()
        return True

    def remove(self) -> bool:
        if self.current is None:
            return False
        gid = self.current
        if QMessageBox.question(self, "Remove greeting", "Remove this greeting?") \
                != QMessageBox.StandardButton.Yes:
            return False
        self.current = None
        return self.run(lambda s, a: holidays.delete_greeting(s, a, gid), done="Greeting removed.")
