"""Users (admins): add, change role and menu group, deactivate, reset a password.

Passwords are never shown or stored in clear: a new user gets the password the admin types
(twice); "Reset password" makes a random temporary one, shown once, that the user must change
at the next sign-in. The last active admin cannot lose the role (core refuses, and says why).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.lists import definitions
from ...core.permissions import ROLES
from ...core.services import menus, users
from .. import settings
from ..screen_base import Screen
from ..tables.table_widget import QueryTableWidget
from .common import Banner, form_dialog


class NewUserDialog(QDialog):
    def __init__(self, ctx, groups: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.created: users.UserInfo | None = None
        self.setWindowTitle("New user")
        self.banner = Banner(self)
        self.username, self.display = QLineEdit(self), QLineEdit(self)
        self.password, self.confirm = QLineEdit(self), QLineEdit(self)
        for e in (self.password, self.confirm):
            e.setEchoMode(QLineEdit.EchoMode.Password)
        self.role = QComboBox(self)
        self.role.addItems(list(ROLES))  # viewer, clerk, supervisor, admin
        self.role.setCurrentText("clerk")  # most new users count
        self.group = QComboBox(self)
        self.group.addItem("(the role's default menus)", None)
        for g in groups:
            self.group.addItem(g, g)
        self.must_change = QCheckBox("Must choose a new password at the first sign-in", self)
        self.must_change.setChecked(True)
        form_dialog(self, self.banner, [
            ("&User name:", self.username), ("&Display name:", self.display),
            ("&Role:", self.role), ("&Menu group:", self.group),
            ("&Password:", self.password), ("&Confirm:", self.confirm),
            ("", self.must_change)], self.create)

    def create(self) -> bool:
        if self.password.text() != self.confirm.text():
            self.banner.show_message("The two passwords differ.", "error")
            return False
        def created(info: users.UserInfo) -> None:
            self.created = info
            self.accept()

        return self.ctx.op(
            users.create_user, self.username.text(), self.password.text(),
            role=self.role.currentText(), display_name=self.display.text(),
            menu_group=self.group.currentData(),
            must_change_password=self.must_change.isChecked(), actor=self.ctx.actor,
            owner=self, on_done=created, banner=self.banner, what="creating the user",
            fields={"username": self.username, "password": self.password,
                    "role": self.role}).ok


class UsersScreen(Screen):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.set_title("Users")
        self.current: users.UserInfo | None = None
        self.banner = Banner(self)
        self.list = QueryTableWidget(definitions.users_spec(), ctx.runner, self,
                                     show_filters=False)
        self.list.view.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._pick(self.list.model.row_id(cur.row())))

        self.username = QLabel()
        self.display = QLineEdit()
        self.display.setMaxLength(250)
        self.role = QComboBox()
        self.role.addItems(list(ROLES))
        self.group = QComboBox()
        self.active = QCheckBox("&Active (may sign in)")
        self.last_login = QLabel()
        save = QPushButton("&Save  (Ctrl+S)")
        new = QPushButton("&New user...  (Ctrl+N)")
        reset = QPushButton("&Reset password...")
        for b in (save, new, reset):
            b.setAutoDefault(False)
        save.clicked.connect(self.save)
        new.clicked.connect(self.new)
        reset.clicked.connect(self.reset_password)
        form = QFormLayout()
        form.addRow("User name:", self.username)
        form.addRow("&Display name:", self.display)
        form.addRow("R&ole:", self.role)
        form.addRow("&Menu group:", self.group)
        form.addRow("", self.active)
        form.addRow("Last sign-in:", self.last_login)
        buttons = QHBoxLayout()
        for b in (save, new, reset):
            buttons.addWidget(b)
        buttons.addStretch(1)
        note = QLabel("Roles: a clerk enters counts and requests counts; a supervisor also "
                      "schedules, edits materials and imports; an admin also manages users, "
                      "menus, parameters and holidays. Deactivated users keep their history.")
        note.setWordWrap(True)
        note.setEnabled(False)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(self.banner)
        rl.addLayout(form)
        rl.addLayout(buttons)
        rl.addWidget(note)
        rl.addStretch(1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        settings.restore_splitter(self.splitter, "users")
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self._load_groups()
        self.list.model.rowsInserted.connect(self._select_first)
        self.list.start()

    def _select_first(self, *_args) -> None:
        if self.current is None and self.list.model.rowCount():
            self.list.view.selectRow(0)
            self._pick(self.list.model.row_id(0))

    def _load_groups(self) -> None:
        self.groups = [g.name for g in self.ctx.read(menus.groups_with_defaults, owner=self)]
        self.group.clear()
        self.group.addItem("(the role's default menus)", None)
        for g in self.groups:
            self.group.addItem(g, g)

    def _pick(self, user_id) -> None:
        if user_id is None:
            return
        info = self.ctx.read(users.get_by_id, user_id, owner=self)
        if info is None:
            return
        self.current = info
        self.username.setText(f"<b>{info.username}</b>")
        self.display.setText(info.display_name or "")
        self.role.setCurrentText(info.role)
        self.group.setCurrentIndex(max(0, self.group.findData(info.menu_group)))
        self.active.setChecked(info.active)
        self.last_login.setText(info.last_login.strftime("%Y-%m-%d %H:%M UTC")
                                if info.last_login else "never")

    def save(self) -> bool:
        if self.current is None:
            return False
        group = self.group.currentData()
        def saved(info: users.UserInfo) -> None:
            self.banner.show_message(f"Saved user {info.username} ({info.role}"
                                     f"{'' if info.active else ', inactive'}).", "success")
            self.list.model.reload()

        return self.ctx.op(users.update_user, self.current.username,
                           role=self.role.currentText(), display_name=self.display.text(),
                           active=self.active.isChecked(), menu_group=group,
                           clear_menu_group=group is None, actor=self.ctx.actor, owner=self,
                           on_done=saved, banner=self.banner, what="saving the user").ok

    def new(self) -> bool:
        dlg = NewUserDialog(self.ctx, self.groups, self)
        if dlg.exec() and dlg.created is not None:
            self.banner.show_message(f"Created user {dlg.created.username} "
                                     f"({dlg.created.role}).", "success")
            self.list.model.reload()
        return True

    def reset_password(self) -> bool:
        if self.current is None:
            return False
        name = self.current.username
        if QMessageBox.question(self, "Reset password",
                                f"Give {name} a new temporary password? The old one stops "
                                f"working at once.") != QMessageBox.StandardButton.Yes:
            return False
        def reset(temporary: str) -> None:
            self.banner.show_message(
                f"Temporary password for {name}: <b><tt>{temporary}</tt></b> - tell it to "
                f"them; they choose their own at the next sign-in. It is not shown again.",
                "warning")

        return self.ctx.op(users.reset_password, name, actor=self.ctx.actor, owner=self,
                           on_done=reset, banner=self.banner,
                           what="resetting the password").ok

    def refresh(self) -> bool:
        self._load_groups()
        self.list.model.reload()
        return True

    def focus_first(self) -> None:
        self.list.view.setFocus()

    def is_ready(self) -> bool:
        return not self.list.model.loading

    def save_state(self) -> None:
        settings.save_splitter(self.splitter, "users")
        self.list.save_state()
