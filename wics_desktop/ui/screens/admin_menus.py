"""Menus (admins): the navigation each menu group sees.

Pick a group; its menus are listed on the left; the chosen menu's title and options are edited
on the right (option number, text, what it does, and its argument: a screen, a menu number or a
web address). Save writes the whole menu through core, which checks it (unknown screens,
duplicate numbers) and audits it. Users are assigned to groups in the Users screen; a user
without a group sees the default group of their role.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.services import menus
from .. import settings
from ..screen_base import Screen
from .common import Banner

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class MenusScreen(Screen):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.set_title("Menus")
        self.banner = Banner(self)
        self.group = QComboBox()
        self.group.setMinimumWidth(420)
        self.group.currentIndexChanged.connect(lambda _i: self._load_group())
        group_buttons = []
        for text, slot in (("New group...", self.new_group), ("Rename...", self.rename_group),
                           ("Delete group...", self.delete_group),
                           ("Reset to defaults...", self.reset_group)):
            b = QPushButton(text)
            b.setAutoDefault(False)
            b.clicked.connect(slot)
            group_buttons.append(b)
        self.menu_list = QListWidget()
        self.menu_list.currentItemChanged.connect(lambda cur, _p: self._load_menu(cur))
        new_menu, del_menu = QPushButton("New menu"), QPushButton("Delete menu...")
        new_menu.clicked.connect(self.new_menu)
        del_menu.clicked.connect(self.delete_menu)

        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(250)
        self.options = QTableWidget(0, 4)
        self.options.setHorizontalHeaderLabels(["#", "Text", "Does", "Screen / menu / address"])
        self.options.verticalHeader().setVisible(False)
        self.options.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.options.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        option_buttons = []
        for text, slot in (("Add option", self.add_option), ("Remove option", self.remove_option),
                           ("Move up", lambda: self.move_option(-1)),
                           ("Move down", lambda: self.move_option(1)),
                           ("&Save menu  (Ctrl+S)", self.save)):
            b = QPushButton(text)
            b.setAutoDefault(False)
            b.clicked.connect(slot)
            option_buttons.append(b)

        top = QHBoxLayout()
        top.addWidget(QLabel("Menu g&roup:", buddy=self.group))
        top.addWidget(self.group)
        for b in group_buttons:
            top.addWidget(b)
        top.addStretch(1)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel("Menus of the group:"))
        ll.addWidget(self.menu_list, 1)
        lb = QHBoxLayout()
        lb.addWidget(new_menu)
        lb.addWidget(del_menu)
        ll.addLayout(lb)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        tl = QHBoxLayout()
        tl.addWidget(QLabel("Menu &title:", buddy=self.title_edit))
        tl.addWidget(self.title_edit, 1)
        rl.addLayout(tl)
        rl.addWidget(self.options, 1)
        ob = QHBoxLayout()
        for b in option_buttons:
            ob.addWidget(b)
        ob.addStretch(1)
        rl.addLayout(ob)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 3)
        settings.restore_splitter(self.splitter, "menus")
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self.current_menu: menus.Menu | None = None
        self._load_groups()

    # ---- loading ---------------------------------------------------------------------------
    def _load_groups(self, select: str | None = None) -> None:
        groups = self.ctx.read(menus.groups_with_defaults, owner=self)
        current = select or self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        role_of = {name: role for role, name in menus.ROLE_GROUPS.items()}
        for g in groups:
            label = f"{g.name}  ({g.users} user{'s' if g.users != 1 else ''} assigned"
            if g.name in role_of:
                label += f"; default of every {role_of[g.name]} without a group"
            self.group.addItem(label + ")", g.name)
        index = self.group.findData(current)
        self.group.setCurrentIndex(max(0, index))
        self.group.blockSignals(False)
        self._load_group()

    def _load_group(self, select_menu: int | None = None) -> None:
        name = self.group.currentData()
        self.menu_list.clear()
        if name is None:
            return
        self._menus = self.ctx.read(menus.menus_of_group, name, owner=self)
        for m in self._menus:
            item = QListWidgetItem(f"{m.menu_id}: {m.title}")
            item.setData(ID_ROLE, m.menu_id)
            self.menu_list.addItem(item)
        row = next((i for i, m in enumerate(self._menus) if m.menu_id == select_menu), 0)
        if self._menus:
            self.menu_list.setCurrentRow(row)
        else:
            self.current_menu = None
            self.title_edit.clear()
            self.options.setRowCount(0)

    def _load_menu(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        menu_id = item.data(ID_ROLE)
        self.current_menu = next(m for m in self._menus if m.menu_id == menu_id)
        self.title_edit.setText(self.current_menu.title)
        self.options.setRowCount(0)
        for opt in self.current_menu.options:
            self._add_row(opt)

    def _add_row(self, opt: menus.MenuOption) -> None:
        row = self.options.rowCount()
        self.options.insertRow(row)
        number = QSpinBox()
        number.setRange(1, menus.MAX_OPTION)
        number.setValue(opt.number)
        self.options.setCellWidget(row, 0, number)
        self.options.setItem(row, 1, QTableWidgetItem(opt.text))
        command = QComboBox()
        for key, text in menus.COMMANDS.items():
            command.addItem(text, key)
        command.setCurrentIndex(max(0, command.findData(opt.command)))
        self.options.setCellWidget(row, 2, command)
        argument = QComboBox()
        argument.setEditable(True)
        for key, title in menus.SCREENS.items():
            argument.addItem(f"{title}  [{key}]", key)
        index = argument.findData(opt.argument)
        if index >= 0:
            argument.setCurrentIndex(index)
        else:
            argument.setEditText(opt.argument or "")
        self.options.setCellWidget(row, 3, argument)

    def _read_options(self) -> list[menus.MenuOption]:
        out = []
        for row in range(self.options.rowCount()):
            number = self.options.cellWidget(row, 0).value()
            text = self.options.item(row, 1).text() if self.options.item(row, 1) else ""
            command = self.options.cellWidget(row, 2).currentData()
            arg_box: QComboBox = self.options.cellWidget(row, 3)
            typed = arg_box.currentText()
            argument = arg_box.currentData() if arg_box.findText(typed) >= 0 else typed
            if command != "open" and arg_box.findText(typed) >= 0:
                argument = ""  # a screen picked for a command that does not open screens
            out.append(menus.MenuOption(number, text, command, argument or None))
        return out

    # ---- editing ---------------------------------------------------------------------------
    def add_option(self) -> None:
        used = [self.options.cellWidget(r, 0).value() for r in range(self.options.rowCount())]
        number = next((n for n in range(1, menus.MAX_OPTION + 1) if n not in used), 1)
        self._add_row(menus.MenuOption(number, "", "open", "count_entry"))
        self.options.setCurrentCell(self.options.rowCount() - 1, 1)

    def remove_option(self) -> None:
        row = self.options.currentRow()
        if row >= 0:
            self.options.removeRow(row)

    def move_option(self, step: int) -> None:
        row = self.options.currentRow()
        other = row + step
        if row < 0 or not 0 <= other < self.options.rowCount():
            return
        # the entries trade places; the option numbers stay in their rows
        opts = self._read_options()
        a, b = opts[row], opts[other]
        opts[row] = menus.MenuOption(a.number, *_rest(b))
        opts[other] = menus.MenuOption(b.number, *_rest(a))
        self.options.setRowCount(0)
        for opt in opts:
            self._add_row(opt)
        self.options.setCurrentCell(other, 1)

    def save(self) -> bool:
        if self.current_menu is None:
            return False
        group, menu_id = self.group.currentData(), self.current_menu.menu_id

        def saved(_none) -> None:
            self.banner.show_message(f"Saved menu {menu_id} of {group}. Users of the group see "
                                     f"it at their next sign-in.", "success")
            self._load_group(menu_id)

        return self.ctx.op(menus.save_menu, group, menu_id, self.title_edit.text(),
                           self._read_options(), actor=self.ctx.actor, owner=self,
                           on_done=saved, banner=self.banner, what="saving the menu").ok

    def is_dirty(self) -> bool:
        if self.current_menu is None:
            return False
        try:
            return (self.title_edit.text().strip() != self.current_menu.title
                    or tuple(self._read_options()) != self.current_menu.options)
        except Exception:  # noqa: BLE001 - a half-edited row: treat as changed
            return True

    def _run(self, fn, done: str, select_group: str | None = None) -> bool:
        """`fn(session)` as an op (it runs on a worker: it touches no widget)."""
        def finished(_result) -> None:
            self.banner.show_message(done, "success")
            self._load_groups(select_group)

        return self.ctx.op(fn, owner=self, on_done=finished, banner=self.banner,
                           what="changing the menus").ok

    def new_group(self) -> bool:
        name, ok = QInputDialog.getText(self, "New menu group", "Name of the new group (it "
                                        "starts as a copy of the group shown):")
        if not ok or not name.strip():
            return False
        source = self.group.currentData()
        return self._run(lambda s: menus.create_group(s, name, copy_from=source,
                                                      actor=self.ctx.actor),
                         f"Created group {name.strip()} as a copy of {source}.", name.strip())

    def rename_group(self) -> bool:
        old = self.group.currentData()
        name, ok = QInputDialog.getText(self, "Rename menu group", "New name:", text=old or "")
        if not ok or not name.strip():
            return False
        return self._run(lambda s: menus.rename_group(s, old, name, actor=self.ctx.actor),
                         f"Renamed {old} to {name.strip()}.", name.strip())

    def delete_group(self) -> bool:
        name = self.group.currentData()
        if QMessageBox.question(self, "Delete menu group", f"Delete menu group {name}?") \
                != QMessageBox.StandardButton.Yes:
            return False
        return self._run(lambda s: menus.delete_group(s, name, actor=self.ctx.actor),
                         f"Deleted menu group {name}.")

    def reset_group(self) -> bool:
        name = self.group.currentData()
        if QMessageBox.question(self, "Reset menus", f"Replace every menu of {name} with the "
                                f"default menus?") != QMessageBox.StandardButton.Yes:
            return False
        return self._run(lambda s: menus.reset_group(s, name, actor=self.ctx.actor),
                         f"The menus of {name} are back to the defaults.", name)

    def new_menu(self) -> bool:
        group = self.group.currentData()

        def created(menu) -> None:
            self._load_group(menu.menu_id)
            self.title_edit.setFocus()
            self.title_edit.selectAll()

        return self.ctx.op(menus.create_menu, group, "New Menu", actor=self.ctx.actor,
                           owner=self, on_done=created, banner=self.banner,
                           what="adding a menu").ok

    def new(self) -> bool:
        self.add_option()
        return True

    def delete_menu(self) -> bool:
        if self.current_menu is None:
            return False
        group, menu_id = self.group.currentData(), self.current_menu.menu_id
        if QMessageBox.question(self, "Delete menu", f"Delete menu {menu_id} "
                                f"({self.current_menu.title}) of {group}?") \
                != QMessageBox.StandardButton.Yes:
            return False
        return self._run(lambda s: menus.delete_menu(s, group, menu_id, actor=self.ctx.actor),
                         f"Deleted menu {menu_id}.", group)

    def refresh(self) -> bool:
        self._load_groups()
        return True

    def save_state(self) -> None:
        settings.save_splitter(self.splitter, "menus")


def _rest(opt: menus.MenuOption) -> tuple:
    return opt.text, opt.command, opt.argument
