"""Signing in: the login dialog, the first-run dialog that creates the admin, password changes.

The login dialog opens with the cursor in the user name; user name, Tab, password, Enter signs
in (Enter in the user name also moves on to the password). A failed attempt says only that the
pair is not right (not which half), clears the password and puts the cursor back there. Every
attempt is audited (users.sign_in); repeated failures lock the name out for a few minutes.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME, __version__
from ..core.db import Database
from ..core.errors import DatabaseUnavailable, WicsError
from ..core.services import users
from ..core.services.users import UserInfo
from ..core.sync.replica import is_replica_session
from . import ops, settings
from .screens.common import Banner, form_dialog


def _sign_in(session, name: str, password: str, verifier_path) -> users.SignIn:
    """Check a user name and password (an op: on a worker, in its own transaction)."""
    if is_replica_session(session) and verifier_path is not None:
        from ..core.sync import verifier

        return users.SignIn(verifier.check(verifier_path, session, name, password))
    if is_replica_session(session):
        # Offline, on this PC's replica: checked against its copy of the hashes; nothing can
        # be written (or audited) there.
        return users.SignIn(users.check_credentials(session, name, password))
    # audited; committed even when refused (that is the point)
    return users.sign_in(session, name, password, via="desktop")


# A server that went silent since start-up (the login dialog may wait for hours) is told
# within this many seconds, not after the connection's long read time-out.
SIGN_IN_PROBE_TIMEOUT = 3.0


def _answers(database: Database) -> None:
    """Ask the server once with short time-outs before signing in on it (an op). Raises
    DatabaseUnavailable when the network or the server is gone; a refusal (a wrong password
    of a personal account) is left for the sign-in itself to say."""
    if database.is_embedded:
        return
    from ..core.sync import probe

    result = probe(database, timeout=SIGN_IN_PROBE_TIMEOUT)
    if not result.online and result.unreachable:
        where = database.describe().split(": ", 1)[-1]
        raise DatabaseUnavailable(
            f"The server {where} does not answer ({result.reason}). Check the network and "
            "sign in again; counting goes on without the server when WICS is started while "
            "it is away (on this PC's copy).")


def _connect(database: Database, check) -> None:
    """A personal account's first connection: can it log in, is the schema right (an op)."""
    _answers(database)
    database.ping()
    if check is not None:
        check(database)


def _greeting(database: Database) -> str:
    try:
        from ..core.services.holidays import random_greeting

        return ops.read(lambda: database, random_greeting, owner=None)
    except Exception:  # noqa: BLE001 - a greeting is decoration: never stop a sign-in
        return ""


def _title(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.6)
    font.setBold(True)
    label.setFont(font)
    return label


class LoginDialog(QDialog):
    ask_first = True  # is the server there (short time-outs) before signing in on it
    def __init__(self, database: Database, parent: QWidget | None = None,
                 notice: str | None = None, *, greet: bool = True,
                 verifier_path=None) -> None:
        super().__init__(parent)
        self.database = database
        self.user: UserInfo | None = None
        # Offline with personal server accounts: this PC's verifier of people who signed
        # in here before (core/sync/verifier.py) instead of the replica's hashes.
        self.verifier_path = verifier_path
        self.accepted_password: str | None = None
        self.setWindowTitle(f"{APP_NAME} - sign in")
        self.username = QLineEdit(self)
        self.username.setAccessibleName("User name")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.banner = Banner(self)
        greeting = QLabel(_greeting(database) if greet else "")
        greeting.setWordWrap(True)
        greeting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        greeting.setMaximumWidth(460)
        font = QFont(greeting.font())
        font.setItalic(True)
        greeting.setFont(font)
        where = QLabel(f"Version {__version__}  -  " + (
            "offline, on this PC's copy of the server" if notice
            else f"database {database.describe()}"))
        small = QFont(where.font())
        small.setPointSizeF(small.pointSizeF() * 0.9)
        where.setFont(small)
        form = QFormLayout()
        form.addRow("&User name:", self.username)
        form.addRow("&Password:", self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Sign in")
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(_title(APP_NAME))
        layout.addWidget(where)
        if greeting.text():
            layout.addSpacing(6)
            layout.addWidget(greeting)
        layout.addSpacing(6)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        if notice:
            self.banner.show_message(notice, "warning")
        last = settings.get(settings.LAST_USER)
        self.username.setText(str(last))
        self.username.selectAll()
        self.username.setFocus()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.username.setFocus()

    def keyPressEvent(self, event) -> None:
        # Enter in the user name moves on to the password instead of signing in half-typed.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.username.hasFocus():
            self.password.setFocus()
            return
        super().keyPressEvent(event)

    def try_sign_in(self) -> bool:
        name, password = self.username.text().strip(), self.password.text()
        if not name:
            self.banner.show_message("Please enter your user name.", "error")
            self.username.setFocus()
            return False
        if self.ask_first and not ops.run(
                lambda: self.database, _answers, self.database, session=False, owner=self,
                banner=self.banner, what="reaching the server").ok:
            return False
        op = ops.run(lambda: self.database, _sign_in, name, password, self.verifier_path,
                     owner=self, banner=self.banner, what="signing in")
        if not op.ok:
            return False
        outcome: users.SignIn = op.result
        user = outcome.user
        if outcome.locked:
            self.banner.show_message(
                f"Too many failed sign-ins for this name: try again in {outcome.minutes} "
                "minutes, or ask an admin to reset the password.", "error")
            self.password.clear()
            return False
        if user is None:
            self.banner.show_message("That user name and password do not match an active "
                                     "user. Check both (passwords are case-sensitive).", "error")
            self.password.clear()
            self.password.setFocus()
            return False
        settings.put(settings.LAST_USER, user.username)
        self.user = user
        self.accepted_password = password
        self.accept()
        return True


class PersonalLoginDialog(LoginDialog):
    """MySQL/MariaDB without account or password in the workstation's config: the password
    typed here opens the database connection with the person's own server account (the
    server checks it, and refuses a locked - deactivated - account), then the sign-in is
    audited on it. `database` was opened on the URL without account; on success it logs in
    as this person from then on (Database.set_credentials)."""

    ask_first = False  # _connect asks, with the person's account, before anything else

    def __init__(self, database: Database, parent: QWidget | None = None,
                 check=None) -> None:
        # No account yet to read a greeting with.
        super().__init__(database, parent, greet=False)
        self.check = check  # extra checks once connected (schema present and current)

    def try_sign_in(self) -> bool:
        from ..core import server_accounts
        from ..core.sync import verifier

        name, password = self.username.text().strip(), self.password.text()
        if not name:
            return super().try_sign_in()
        server_accounts.use_personal_account(self.database, name, password)

        def refused(exc: WicsError) -> None:
            if exc.__cause__ is None or not server_accounts.is_refused_login(exc.__cause__):
                self.banner.show_message(str(exc), "error")
                return
            self.banner.show_message("That user name and password do not match an active "
                                     "user. Check both (passwords are case-sensitive).", "error")
            self.password.clear()
            self.password.setFocus()

        if not ops.run(lambda: self.database, _connect, self.database, self.check, owner=self,
                       session=False, on_error=refused, what="connecting").ok:
            return False
        if not super().try_sign_in():
            return False
        try:  # this PC now knows this person: they may sign in here offline later
            verifier.remember(verifier.path_for(self.database.url), self.user.username, password)
        except OSError:
            pass  # no offline sign-in for them on this PC; online works regardless
        return True


def sign_in_personal(database: Database, parent: QWidget | None = None, check=None):
    """The signed-in user (and `database` now logs in as them), or None when cancelled."""
    dialog = PersonalLoginDialog(database, parent, check)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.user is None:
        return None
    user = dialog.user
    if user.must_change_password:
        if ChangePasswordDialog(database, user, forced=True, parent=parent).exec() \
                != QDialog.DialogCode.Accepted:
            return None
        user = ops.read(lambda: database, users.get, user.username, owner=parent)
    return user


def sign_in_offline_personal(replica: Database, server: Database, notice: str,
                             parent: QWidget | None = None):
    """Offline with personal accounts: the user, checked against this PC's verifier of people
    who signed in here before, or None. `server` then logs in as them, so counts queued now
    are pushed under their account when it is back."""
    from ..core import server_accounts
    from ..core.sync import verifier

    dialog = LoginDialog(replica, parent, notice, verifier_path=verifier.path_for(server.url))
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.user is None:
        return None
    server_accounts.use_personal_account(server, dialog.user.username, dialog.accepted_password)
    return dialog.user


class FirstRunDialog(QDialog):
    """No users yet: whoever installs WICS creates the first admin."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.user: UserInfo | None = None
        self.setWindowTitle(f"{APP_NAME} - first start")
        intro = QLabel(f"This database ({database.describe()}) has no users yet. Create the "
                       f"administrator account; the administrator then adds everyone else "
                       f"(System > Users).")
        intro.setWordWrap(True)
        self.username = QLineEdit("admin", self)
        self.display = QLineEdit(self)
        self.password = QLineEdit(self)
        self.confirm = QLineEdit(self)
        for edit in (self.password, self.confirm):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.banner = Banner(self)
        form = QFormLayout()
        form.addRow("&User name:", self.username)
        form.addRow("&Display name:", self.display)
        form.addRow("&Password:", self.password)
        form.addRow("&Confirm password:", self.confirm)
        hint = QLabel(f"At least {users.MIN_PASSWORD_LENGTH} characters.")
        hint.setEnabled(False)
        form.addRow("", hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Create and sign in")
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(_title("Welcome to WICS Desktop"))
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.username.selectAll()

    def create(self) -> bool:
        if self.password.text() != self.confirm.text():
            self.banner.show_message("The two passwords differ.", "error")
            self.confirm.clear()
            self.confirm.setFocus()
            return False
        def created(user: UserInfo) -> None:
            self.user = user
            settings.put(settings.LAST_USER, user.username)
            self.accept()

        return ops.run(lambda: self.database, users.create_first_admin, self.username.text(),
                       self.password.text(), self.display.text(), owner=self, on_done=created,
                       banner=self.banner, what="creating the admin",
                       fields={"username": self.username, "password": self.password}).ok


class ChangePasswordDialog(QDialog):
    """Own password: current, new, confirm. `forced` when the admin reset it."""

    def __init__(self, database: Database, user: UserInfo, forced: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database, self.user = database, user
        self.setWindowTitle("Change your password")
        self.current, self.new, self.confirm = QLineEdit(self), QLineEdit(self), QLineEdit(self)
        for edit in (self.current, self.new, self.confirm):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.banner = Banner(self)
        if forced:
            self.banner.show_message("Your password was reset: choose your own before you "
                                     "continue.", "warning")
        form_dialog(self, self.banner, [
            ("&Current password:", self.current), ("&New password:", self.new),
            ("C&onfirm new password:", self.confirm)], self.change, min_width=420)

    def change(self) -> bool:
        if self.new.text() != self.confirm.text():
            self.banner.show_message("The two new passwords differ.", "error")
            return False
        new = self.new.text()

        def changed(_none) -> None:
            if self.database.account is not None:
                # A personal server account: its password changed too; log in with the new one.
                from ..core import server_accounts

                server_accounts.use_personal_account(self.database, self.user.username, new)
            self.accept()

        return ops.run(lambda: self.database, users.change_own_password, self.user.username,
                       self.current.text(), new, owner=self, on_done=changed,
                       banner=self.banner, what="changing the password",
                       fields={"current_password": self.current, "new_password": self.new}).ok


def sign_in(database: Database, parent: QWidget | None = None,
            notice: str | None = None) -> UserInfo | None:
    """First run (create the admin) or the login; a reset password must be changed first.
    `notice` is shown above the fields (signing in offline, on this PC's copy)."""
    first_run = not ops.read(lambda: database, users.has_users, owner=parent)
    dialog = FirstRunDialog(database, parent) if first_run else \
        LoginDialog(database, parent, notice)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.user is None:
        return None
    user = dialog.user
    if user.must_change_password:
        if ChangePasswordDialog(database, user, forced=True, parent=parent).exec() \
                != QDialog.DialogCode.Accepted:
            return None
        user = ops.read(lambda: database, users.get, user.username, owner=parent)
    return user
