"""The main window: navigation by the user's menu group, screens in tabs, the status bar.

- Navigation (left) shows the menus of the user's menu group (admins edit them in System >
  Menus); entries the user's role may not use are hidden, screens this version lacks are greyed.
  The Go menu mirrors it for the keyboard (Alt+G).
- Screens open in tabs; several at once. A screen that makes sense once (Count Entry) is
  brought forward instead of opened twice; the Material screen opens once per material.
- Standard shortcuts go to the current screen: Save (Ctrl+S), New (Ctrl+N), Find (Ctrl+F),
  Refresh (F5), Close (Ctrl+W). F2 opens Count Entry from anywhere in the window. Every key
  comes from the one table in ui/shortcuts.py (F1 lists it).
- Status bar: database (server or embedded), user, connection state, a greeting.
- One ConnectionMonitor (ui/connection.py, ctx.connection) watches the database, embedded or
  server; the status bar follows it. On a server, an OfflineController (ui/offline.py) listens
  to it: offline, a banner
  says so, Count Entry works on this PC's replica, and screens that need the server say why
  they are unavailable; back online, counts saved meanwhile are sent.
- Geometry, navigation width and the open tabs are remembered (QSettings).
"""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QFont
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME, __version__
from ..core import logs
from ..core.db import Database
from ..core.errors import WicsError
from ..core.services import menus as menu_service
from ..core.services.users import UserInfo
from . import errors, geometry, screen_registry, settings, shortcuts
from .connection import ConnectionMonitor
from .context import AppContext
from .screen_base import Screen
from .workers import TaskRunner

log = logging.getLogger("wics.ui")

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class MainWindow(QMainWindow):
    def __init__(self, database: Database, user: UserInfo, parent: QWidget | None = None, *,
                 start_online: bool = True, offline_options: dict | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.runner = TaskRunner(database, self)
        self.ctx = AppContext(database=database, user=user, runner=self.runner,
                              opener=self.open_screen)
        self.exit_code = 0
        self.connected = True
        self._closing = False

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(self._tab_changed)
        from .screens.common import Banner

        self.offline_banner = Banner(self)
        self.offline_banner.setAccessibleName("Connection")
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.offline_banner)
        column.addWidget(self.tabs)
        self.setCentralWidget(central)
        options = dict(offline_options or {})
        self.connection = ConnectionMonitor(database, interval=options.pop("probe_interval", None),
                                            timeout=options.pop("probe_timeout", 2.0),
                                            parent=self)
        self.ctx.connection = self.connection
        self.offline = None
        if database.is_embedded:
            self.connection.checked.connect(
                lambda online, reason, _seconds: self._set_connection(online, reason))
        else:
            from .offline import OfflineController

            self.offline = OfflineController(self.ctx, database, self.connection,
                                             start_online=start_online, parent=self, **options)
            self.offline.status_changed.connect(self._show_offline_state)
            self.offline.mode_changed.connect(self._mode_changed)
            self.offline.synced.connect(self._synced)

        self.nav = QTreeWidget(self)
        self.nav.setHeaderHidden(True)
        self.nav.setRootIsDecorated(True)
        self.nav.setAccessibleName("Navigation")
        self.nav.itemActivated.connect(self._nav_activated)
        self.nav_dock = QDockWidget("Navigation", self)
        self.nav_dock.setObjectName("navigation")
        self.nav_dock.setWidget(self.nav)
        self.nav_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                  | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.nav_dock)

        self.db_label, self.user_label = QLabel(), QLabel()
        self.conn_label, self.greeting_label = QLabel(), QLabel()
        self.greeting_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        from .alerts_badge import AlertsBadge

        self.alerts_badge = AlertsBadge(self.ctx, self)
        self.statusBar().addPermanentWidget(self.alerts_badge)
        for label in (self.db_label, self.user_label, self.conn_label):
            label.setContentsMargins(6, 0, 6, 0)
            self.statusBar().addPermanentWidget(label)
        self.statusBar().addWidget(self.greeting_label, 1)

        self._build_actions()
        self._apply_user()
        if not geometry.restore_or_fit(self, "main"):
            geometry.first_run_size(self)  # maximized on a 1366x768 screen
        if self.offline is not None:
            self.offline.start()

    # ---- user-dependent parts -------------------------------------------------------------
    def _apply_user(self) -> None:
        user = self.ctx.user
        self.setWindowTitle(f"{APP_NAME} - {user.name} ({user.role}) - {self.database.describe()}")
        self.db_label.setText(("Server: " if not self.database.is_embedded else "Embedded: ")
                              + self.database.describe().split(": ", 1)[-1])
        self.db_label.setToolTip(self.database.masked_url)
        self.user_label.setText(f"{user.name} ({user.role})")
        self.user_label.setToolTip(f"Signed in as {user.username}")
        if self.offline is None:
            self._set_connection(True)
        else:
            self._show_offline_state()
        self._load_menus()
        self._load_greeting()
        self.alerts_badge.refresh()

    def _load_menus(self) -> None:
        try:
            # on the replica while offline
            self.menus = self.ctx.read(menu_service.menus_for_user, self.ctx.user, owner=self)
        except WicsError as exc:
            errors.handle(exc, self)
            self.menus = []
        self.nav.clear()
        self.go_menu.clear()
        # F2 and Go > Count Entry only for roles that enter counts (not a viewer)
        self.count_entry_action.setEnabled(self.ctx.can("enter_counts"))
        if self.ctx.can("enter_counts"):
            self.go_menu.addAction(self.count_entry_action)
            self.go_menu.addSeparator()
        bold = QFont(self.nav.font())
        bold.setBold(True)
        for menu in self.menus:
            top = QTreeWidgetItem([menu.title])
            top.setFont(0, bold)
            top.setData(0, KEY_ROLE, ("menu", str(menu.menu_id)))
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            sub = self.go_menu.addMenu(menu.title)
            for opt in menu.options:
                item = self._nav_item(opt)
                if item is None:
                    continue
                top.addChild(item)
                act = sub.addAction(opt.text)
                act.setEnabled(bool(item.flags() & Qt.ItemFlag.ItemIsEnabled))
                act.triggered.connect(lambda _c=False, o=opt: self.run_option(o))
            self.nav.addTopLevelItem(top)
            top.setExpanded(True)
        self.nav.resizeColumnToContents(0)
        # the column's width includes each level's indentation (the item texts alone do not):
        # the dock never gets narrower than that, so no entry hides behind a scroll bar
        width = min(max(self.nav.columnWidth(0) + 2 * self.nav.frameWidth() + 4, 180), 360)
        self.nav.setMinimumWidth(width)
        self.resizeDocks([self.nav_dock], [width], Qt.Orientation.Horizontal)

    def _nav_item(self, opt) -> QTreeWidgetItem | None:
        item = QTreeWidgetItem([opt.text])
        item.setData(0, KEY_ROLE, (opt.command, opt.argument))
        if opt.command == "open":
            spec = screen_registry.get(opt.argument or "")
            if spec is not None and not self.ctx.can(spec.permission):
                return None  # the role may not use it: not shown at all
            if spec is None:
                item.setDisabled(True)
                item.setToolTip(0, "Not available in this version of WICS Desktop")
            else:
                item.setToolTip(0, spec.title)
        return item

    def _load_greeting(self) -> None:
        def pick(session):
            from ..core.services.holidays import random_greeting

            return random_greeting(session)

        self.runner.submit(pick, title="greeting", owner=self,
                           on_result=lambda text: self.greeting_label.setText(
                               " ".join((text or f"Welcome, {self.ctx.user.name}.").split())))

    # ---- actions and menus ------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut: str | None = None,
                menu: QMenu | None = None) -> QAction:
        """A window action; its keys come from the one shortcut table (ui/shortcuts.py)."""
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcuts(shortcuts.keys(shortcut))
            act.setObjectName(f"shortcut_{shortcut}")
        act.triggered.connect(lambda _checked=False: slot())
        self.addAction(act)
        if menu is not None:
            menu.addAction(act)
        return act

    def _build_actions(self) -> None:
        bar = self.menuBar()
        # only Go has an Alt+letter (see shortcuts.py): Alt+H is the Material screen's Count
        # history, Alt+R a screen's Remove...; F10 reaches the menu bar
        file_menu = bar.addMenu("File")
        self.go_menu = bar.addMenu("&Go")
        record = bar.addMenu("Record")
        view = bar.addMenu("View")
        help_menu = bar.addMenu("Help")
        self.count_entry_action = self._action("&Count Entry", self.open_count_entry,
                                               "count_entry")
        self._action("Change &password...", self.change_password, menu=file_menu)
        self._action("Sign &out", self.sign_out, menu=file_menu)
        self.sync_action = self._action("Send offline counts and s&ync now", self.sync_now,
                                        "sync", file_menu)
        self._action("Offline counts and sync...", lambda: self.open_screen("sync"),
                     menu=file_menu)
        file_menu.addSeparator()
        self._action("&Quit", self.close, "quit", file_menu)
        self._action("&Save", lambda: self._current_call("save"), "save", record)
        self._action("&New", lambda: self._current_call("new"), "new", record)
        self._action("&Find", lambda: self._current_call("find"), "find", record)
        self._action("&Refresh", lambda: self._current_call("refresh"), "refresh", record)
        record.addSeparator()
        self._action("&Close screen", lambda: self.close_tab(self.tabs.currentIndex()),
                     "close_screen", record)
        self._action("Next screen", lambda: self._step_tab(1), "next_screen", view)
        self._action("Previous screen", lambda: self._step_tab(-1), "previous_screen", view)
        toggle = self.nav_dock.toggleViewAction()
        toggle.setText("Show &navigation")
        toggle.setShortcuts(shortcuts.keys("toggle_navigation"))
        view.addAction(toggle)
        self._action("Go to navigation", self._focus_nav, "navigation", view)
        self._action("&Keyboard shortcuts", self.show_shortcuts, "help", help_menu)
        self._action("Open the &log folder", lambda: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(logs.log_file().parent))), menu=help_menu)
        self._action("&About WICS Desktop", self.about, menu=help_menu)

    def _current_call(self, name: str) -> None:
        screen = self.current_screen()
        if screen is None or getattr(screen, name)():
            return
        # False also means "refused" (the screen's banner says why, e.g. a priority that is not
        # a number): only a screen without this action at all has nothing to do here.
        if getattr(type(screen), name) is getattr(Screen, name):
            self.statusBar().showMessage(f"{screen.title}: nothing to {name} here.", 3000)

    def _step_tab(self, step: int) -> None:
        if self.tabs.count():
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def _focus_nav(self) -> None:
        self.nav_dock.show()
        self.nav.setFocus()

    # ---- navigation -------------------------------------------------------------------------
    def _nav_activated(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        data = item.data(0, KEY_ROLE)
        if not data or item.isDisabled():
            return
        command, argument = data
        self.run_option(menu_service.MenuOption(0, item.text(0), command, argument))

    def run_option(self, opt) -> None:
        if opt.command == "open":
            self.open_screen(opt.argument)
        elif opt.command == "menu":
            for i in range(self.nav.topLevelItemCount()):
                top = self.nav.topLevelItem(i)
                if top.data(0, KEY_ROLE) == ("menu", str(opt.argument)):
                    top.setExpanded(True)
                    self.nav.setCurrentItem(top.child(0) or top)
                    self._focus_nav()
                    return
            self.statusBar().showMessage(f"Menu {opt.argument} does not exist.", 4000)
        elif opt.command == "web" and opt.argument:
            QDesktopServices.openUrl(QUrl(opt.argument))
        elif opt.command == "signout":
            self.sign_out()

    # ---- screens ------------------------------------------------------------------------------
    def open_screens(self) -> list[Screen]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]

    def current_screen(self) -> Screen | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, Screen) else None

    def open_count_entry(self) -> Screen | None:
        return self.open_screen("count_entry")

    def open_screen(self, key: str, **kwargs) -> Screen | None:
        spec = screen_registry.get(key)
        if spec is None:
            self.statusBar().showMessage(
                f"'{screen_registry.title(key)}' is not available in this version.", 5000)
            return None
        if not self.ctx.can(spec.permission):
            errors.show_problem(WicsError(f"{spec.title} needs more rights than the "
                                          f"{self.ctx.user.role} role has."), self)
            return None
        if self.offline is not None and not self.offline.allows(key):
            self.offline_banner.show_message(self.offline.refusal(spec.title), "warning")
            self.statusBar().showMessage(f"{spec.title} needs the server.", 5000)
            return None
        screen = self._find_open(spec, kwargs)
        if screen is None:
            try:
                screen = spec.load()(self.ctx)
            except Exception as exc:  # noqa: BLE001 - a broken screen must not take the app down
                errors.handle(exc, self, f"opening {spec.title}")
                return None
            screen.setProperty("screen_key", key)
            index = self.tabs.addTab(screen, screen.title or spec.title)
            screen.title_changed.connect(lambda title, w=screen: self._retitle(w, title))
            screen.status_message.connect(lambda msg: self.statusBar().showMessage(msg, 5000))
            self.tabs.setCurrentIndex(index)
            if kwargs:
                screen.open_with(**kwargs)
        else:
            self.tabs.setCurrentWidget(screen)
            if kwargs:
                screen.open_with(**kwargs)
        screen.focus_first()
        return screen

    def _find_open(self, spec, kwargs) -> Screen | None:
        for screen in self.open_screens():
            if screen.property("screen_key") != spec.key:
                continue
            if not spec.multiple:
                return screen
            wanted = kwargs.get("material_id")
            if wanted is not None and screen.instance_key() == str(wanted):
                return screen
        return None

    def _retitle(self, screen: Screen, title: str) -> None:
        index = self.tabs.indexOf(screen)
        if index >= 0:
            self.tabs.setTabText(index, title)

    def _tab_changed(self, index: int) -> None:
        screen = self.current_screen()
        if screen is not None:
            screen.focus_first()

    def close_tab(self, index: int) -> bool:
        screen = self.tabs.widget(index)
        if screen is None:
            return False
        if isinstance(screen, Screen):
            if not screen.confirm_close():
                return False
            screen.save_state()
        self.tabs.removeTab(index)
        screen.deleteLater()
        return True

    def open_start_screen(self) -> None:
        """Reopen last session's screens, else Count Entry (or the materials for non-counters)."""
        keys = settings.get(settings.OPEN_TABS, user=self.ctx.user.username)
        opened = [self.open_screen(k) for k in keys
                  if screen_registry.get(k) and not screen_registry.get(k).multiple
                  and self.ctx.can(screen_registry.get(k).permission)]
        if not any(opened):
            self.open_screen("count_entry" if self.ctx.can("enter_counts") else "materials")
        self._show_alerts_at_sign_in()

    def _show_alerts_at_sign_in(self) -> None:
        """A supervisor signing in sees the open alerts first (one quick count)."""
        if not self.ctx.can("ack_alerts"):
            return
        try:
            from ..core import alerts

            waiting = self.ctx.read(alerts.open_count, owner=self)
        except Exception:  # noqa: BLE001 - an older server without the table: no alerts
            return
        if waiting:
            self.open_screen("alerts")

    # ---- connection state ------------------------------------------------------------------
    def _set_connection(self, ok: bool, message: str = "") -> None:
        self.connected = ok
        self.conn_label.setText("\u25cf Connected" if ok else "\u2716 Database unreachable")
        self.conn_label.setToolTip(message or ("The database answers." if ok else ""))
        self.conn_label.setStyleSheet("" if ok else "QLabel { color: #c0392b; font-weight: bold; }")

    def check_connection(self):
        """One look at the database on a worker, reported through the connection monitor (the
        status bar, or the OfflineController on a server, follows)."""
        return self.runner.submit(self.connection.probe, session=False, title="ping",
                                  owner=self, on_result=self.connection.report)

    def _show_offline_state(self) -> None:
        c = self.offline
        self.conn_label.setText(c.status_text())
        self.conn_label.setToolTip(c.tooltip())
        self.conn_label.setStyleSheet(
            "" if c.online else "QLabel { color: #c0392b; font-weight: bold; }")
        self.connected = c.online
        if c.online:
            if self.offline_banner.kind == "warning":
                self.offline_banner.clear_message()
        else:
            self.offline_banner.show_message(c.banner_text(), "error")
        self.sync_action.setEnabled(c.online and not c.syncing)

    def _mode_changed(self, online: bool) -> None:
        self._show_offline_state()
        if online:
            self.offline_banner.show_message(
                "The server is back. Counts saved on this PC meanwhile are being sent.",
                "success")
        for screen in self.open_screens():  # what they show now comes from another database
            screen.refresh()

    def _synced(self, result) -> None:
        if result.push.handled:  # counts arrived on the server: the rules may see new things
            self.ctx.check_alerts("sync")
        if self.offline_banner.kind == "success":
            self.offline_banner.clear_message()
        if result.push.handled:
            self.statusBar().showMessage(result.describe(), 10000)
        if result.push.needs_attention:
            self.offline_banner.show_message(
                f"{result.push.needs_attention} count(s) saved offline on this PC could not be "
                "stored as typed (e.g. the material was deleted meanwhile). They are kept on "
                "the server's “needs attention” list for a supervisor: File > Offline "
                "counts and sync.", "warning")

    def sync_now(self) -> None:
        if self.offline is None:
            self.statusBar().showMessage("This database is a file on this PC: nothing to sync.",
                                         5000)
        elif not self.offline.sync_now(manual=True):
            self.statusBar().showMessage("Sync is not possible right now (offline or running).",
                                         5000)

    # ---- account ------------------------------------------------------------------------------
    def change_password(self) -> None:
        from .login import ChangePasswordDialog

        if self.offline is not None and not self.offline.online:
            self.offline_banner.show_message(self.offline.refusal("Changing your password"),
                                             "warning")
            return
        if ChangePasswordDialog(self.database, self.ctx.user, parent=self).exec():
            self.statusBar().showMessage("Your password was changed.", 5000)

    def sign_out(self) -> None:
        if not self._close_all_tabs():
            return
        self.hide()
        from .login import sign_in

        if getattr(self, "personal_url", None) is not None:
            # Personal server accounts: the next person connects with their own account (the
            # same Database object, logging in as them from now on).
            from .login import sign_in_offline_personal, sign_in_personal

            if self.ctx.database is self.database:
                user = sign_in_personal(self.database)
            else:  # offline: this PC's verifier, on the replica
                from .app import OFFLINE_SIGN_IN

                user = sign_in_offline_personal(self.ctx.database, self.database,
                                                OFFLINE_SIGN_IN)
        else:
            user = sign_in(self.ctx.database)
        if user is None:
            self._closing = True
            self.close()
            QApplication.instance().quit()
            return
        self.ctx.user = user
        self._apply_user()
        self.show()
        self.open_start_screen()

    def _close_all_tabs(self) -> bool:
        keys = [s.property("screen_key") for s in self.open_screens()]
        while self.tabs.count():
            if not self.close_tab(self.tabs.count() - 1):
                return False
        settings.put(settings.OPEN_TABS, keys, user=self.ctx.user.username)
        return True

    # ---- help -------------------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        QMessageBox.information(self, "Keyboard shortcuts", shortcuts.help_html())

    def about(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}",
                          f"<b>{APP_NAME} {__version__}</b><br>Cycle counting against SAP book "
                          f"stock.<br><br>Database: {self.database.describe()}<br>"
                          f"Log file: {logs.log_file()}")

    def closeEvent(self, event) -> None:
        if not self._closing and not self._close_all_tabs():
            event.ignore()
            return
        self._closing = True
        settings.save_geometry(self, "main")
        self.connection.stop()
        if self.offline is not None:
            self.offline.stop()
        self.runner.cancel_all()
        if self.offline is not None:
            if not self.runner.wait(1500):
                # A worker still waits on the server (a sync on a link that just went silent,
                # before the monitor noticed): cut the connections off rather than keep the
                # closing window frozen until its time-out. Sends are settled by uuid.
                self.offline.guard.cut_off()
                self.runner.wait(10000)
            self.offline.close()
        super().closeEvent(event)

