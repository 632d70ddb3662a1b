"""Signing in, the main window (navigation by role, F2, tabs, shortcuts) and the headless checks
(`--version` without a display, `--self-test` on SQLite and MariaDB)."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from wics_desktop.core.actor import Actor
from wics_desktop.core.services import menus, users
from wics_desktop.ui.login import FirstRunDialog, LoginDialog
from wics_desktop.ui.main_window import MainWindow

from ui_fixtures import (  # noqa: F401
    add_counts,
    add_materials,
    ctx_factory,
    isolated_settings,
    qt_leak_guard,
)


def _user(db, name, role, password=None):
    with db.session() as s:
        return users.get(s, name) or users.create_user(s, name, password or f"{name}-password",
                                                       role=role, display_name=name.title(),
                                                       actor=Actor.system())


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def test_login_by_keystrokes(qtbot, db):
    _user(db, "clerk", "clerk", "clerk-password")
    dlg = _show(qtbot, LoginDialog(db))
    qtbot.waitUntil(dlg.username.hasFocus)  # the cursor starts in the user name
    qtbot.keyClicks(dlg.username, "clerk")
    qtbot.keyClick(dlg.username, Qt.Key.Key_Tab)
    assert dlg.password.hasFocus()
    qtbot.keyClicks(dlg.password, "wrong-password")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    assert dlg.user is None and dlg.isVisible()
    assert "do not match" in dlg.banner.text()
    assert dlg.password.text() == "" and dlg.password.hasFocus()
    qtbot.keyClicks(dlg.password, "clerk-password")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    assert dlg.user is not None and dlg.user.username == "clerk" and dlg.user.role == "clerk"
    assert not dlg.isVisible()


def test_enter_in_user_name_moves_to_password(qtbot, sqlite_db):
    _user(sqlite_db, "ann", "clerk")
    dlg = _show(qtbot, LoginDialog(sqlite_db))
    qtbot.waitUntil(dlg.username.hasFocus)
    qtbot.keyClicks(dlg.username, "ann")
    qtbot.keyClick(dlg.username, Qt.Key.Key_Return)
    assert dlg.password.hasFocus() and dlg.user is None and dlg.banner.text() == ""


def test_first_run_creates_the_admin(qtbot, db):
    dlg = _show(qtbot, FirstRunDialog(db))
    dlg.username.setText("boss")
    dlg.password.setText("first-admin-pw")
    dlg.confirm.setText("other")
    assert not dlg.create() and "differ" in dlg.banner.text()
    dlg.confirm.setText("first-admin-pw")
    assert dlg.create()
    assert dlg.user.role == "admin"
    with db.session() as s:
        assert users.authenticate(s, "boss", "first-admin-pw").role == "admin"


def test_main_window_navigation_follows_role_and_f2_opens_count_entry(qtbot, db):
    add_materials(db, 5)
    clerk = _user(db, "cl", "clerk")
    win = _show(qtbot, MainWindow(db, clerk))
    items = [win.nav.topLevelItem(i).child(j).text(0)
             for i in range(win.nav.topLevelItemCount())
             for j in range(win.nav.topLevelItem(i).childCount())]
    assert "Count Entry" in items and "Users" not in items and "Part Types" not in items
    assert "Embedded" in win.db_label.text() or "Server" in win.db_label.text()
    assert "Cl (clerk)" == win.user_label.text() and "Connected" in win.conn_label.text()
    qtbot.waitUntil(lambda: win.greeting_label.text() != "")
    # open the materials list, then F2 from there: Count Entry, cursor in material, today
    win.open_screen("materials")
    assert win.current_screen().property("screen_key") == "materials"
    qtbot.keyClick(win.current_screen().table.view, Qt.Key.Key_F2)
    ce = win.current_screen()
    assert ce.property("screen_key") == "count_entry"
    qtbot.waitUntil(ce.material.hasFocus)
    assert ce.counter.text() == "Cl"
    # F2 again does not open a second Count Entry
    qtbot.keyClick(ce.material, Qt.Key.Key_F2)
    assert [w.property("screen_key") for w in win.open_screens()].count("count_entry") == 1
    # a screen the role may not use is refused, and the refusal is said, not crashed
    from wics_desktop.ui import errors
    errors.collected = []
    try:
        assert win.open_screen("users") is None
        assert "needs more rights" in str(errors.collected[0][0])
    finally:
        errors.collected = None
    # Ctrl+W closes the current screen
    n = win.tabs.count()
    qtbot.keyClick(ce.material, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert win.tabs.count() == n - 1
    win._closing = True
    win.close()


def test_admin_menus_and_tabs_per_material(qtbot, sqlite_db):
    ids = add_materials(sqlite_db, 3)
    admin = _user(sqlite_db, "root", "admin")
    with sqlite_db.session() as s:  # an admin edits a group's menus; its users see them
        menus.ensure_defaults(s)
        menus.save_menu(s, "Admins", 0, "Daily", [menus.MenuOption(1, "Count!", "open",
                                                                   "count_entry")],
                        actor=Actor.system())
    win = _show(qtbot, MainWindow(sqlite_db, admin))
    assert win.nav.topLevelItem(0).text(0) == "Daily"
    assert win.nav.topLevelItem(0).child(0).text(0) == "Count!"
    a = win.open_screen("material", material_id=ids[0])
    b = win.open_screen("material", material_id=ids[1])
    again = win.open_screen("material", material_id=ids[0])
    assert a is again and a is not b and win.tabs.count() == 2
    assert win.tabs.tabText(win.tabs.indexOf(b)) == "Material M000001"
    win._closing = True
    win.close()


def _run(args, env=None, timeout=180):
    return subprocess.run([sys.executable, "-m", "wics_desktop.ui.main", *args],
                          capture_output=True, text=True, env=env, timeout=timeout)


def test_version_needs_no_display():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY",
                                                            "QT_QPA_PLATFORM")}
    r = _run(["--version"], env=env)
    assert r.returncode == 0 and r.stdout.strip().startswith("wics-desktop ")
    code = ("import sys\nfrom wics_desktop.ui.main import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit as e:\n    assert e.code == 0\n"
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'qasync'))]\n"
            "print(bad)\nsys.exit(1 if bad else 0)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stdout + r.stderr


def test_self_test_on_both_databases(db, tmp_path):
    ids = add_materials(db, 300)
    add_counts(db, 2000, ids, first_day=dt.date(2026, 10, 1), days=20)
    _user(db, "admin", "admin")
    url = db.url.render_as_string(hide_password=False)
    env = dict(os.environ, WICS_CONFIG_DIR=str(tmp_path / "cfg"), QT_QPA_PLATFORM="offscreen")
    r = _run(["--self-test", "--db", url], env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert "self-test passed" in lines[-1]
    for key in ("count_entry", "counts", "materials", "material", "schedule", "requests",
                "sap_stock", "mpns", "locations", "users", "menus"):
        assert any(line.startswith("ok") and f" {key} " in line for line in lines), key
    assert not any(line.startswith("FAIL") for line in lines)
    # each report screen's print preview was opened, painted and closed: one line each
    previews = [line for line in lines if line.startswith("ok   preview ")]
    assert [p.split()[2] for p in previews] == ["Count", "Count", "Material", "Material",
                                                "Dashboard:"]
    assert all("page(s)" in p for p in previews)


def test_self_test_says_when_the_database_is_unreachable(tmp_path):
    env = dict(os.environ, WICS_CONFIG_DIR=str(tmp_path / "cfg"))
    r = _run(["--self-test", "--db", "mysql+pymysql://nobody:x@127.0.0.1:9/wics"], env=env)
    assert r.returncode == 4 and "Cannot reach" in r.stderr


@pytest.mark.parametrize("args", [["--demo", "--db", "sqlite:///x.sqlite"]])
def test_demo_and_db_together_is_a_usage_error(args):
    r = _run(args)
    assert r.returncode == 2 and "not both" in r.stderr


def test_connection_state_in_the_status_bar(qtbot, sqlite_db, monkeypatch):
    win = _show(qtbot, MainWindow(sqlite_db, _user(sqlite_db, "ann", "clerk")))
    task = win.check_connection()
    qtbot.waitUntil(lambda: task.done)
    assert win.connected and "Connected" in win.conn_label.text()

    def unreachable():
        from wics_desktop.core.errors import DatabaseUnavailable
        raise DatabaseUnavailable("Cannot reach server: db01:3306/wics: timed out")

    monkeypatch.setattr(sqlite_db, "ping", unreachable)
    task = win.check_connection()
    qtbot.waitUntil(lambda: task.done)
    assert not win.connected and "unreachable" in win.conn_label.text()
    assert "timed out" in win.conn_label.toolTip()
    win._closing = True
    win.close()


def test_window_and_column_layout_are_remembered(qtbot, sqlite_db, ctx_factory):
    from wics_desktop.core.lists import definitions
    from wics_desktop.ui.tables.table_widget import QueryTableWidget

    ctx = ctx_factory(sqlite_db)
    first = QueryTableWidget(definitions.counts_spec(), ctx.runner)
    qtbot.addWidget(first)
    col = definitions.counts_spec().index_of("location")
    first.header.resizeSection(col, 333)
    first.set_column_visible(definitions.counts_spec().index_of("notes"), False)
    first.save_state()
    again = QueryTableWidget(definitions.counts_spec(), ctx.runner)
    qtbot.addWidget(again)
    assert again.header.sectionSize(col) == 333
    assert again.header.isSectionHidden(definitions.counts_spec().index_of("notes"))
    win = MainWindow(sqlite_db, ctx.user)
    qtbot.addWidget(win)
    win.resize(711, 466)  # within the offscreen screen (800 x 600)
    win.open_screen("materials")
    win.close()  # saves geometry and the open screens
    win2 = _show(qtbot, MainWindow(sqlite_db, ctx.user))
    assert (win2.width(), win2.height()) == (711, 466)
    win2.open_start_screen()
    assert [w.property("screen_key") for w in win2.open_screens()] == ["materials"]
    win2._closing = True
    win2.close()


def test_self_test_on_the_demo_database(tmp_path):
    env = dict(os.environ, WICS_DATA_DIR=str(tmp_path / "data"),
               WICS_CONFIG_DIR=str(tmp_path / "cfg"), QT_QPA_PLATFORM="offscreen")
    r = _run(["--self-test", "--demo"], env=env, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (tmp_path / "data" / "demo.sqlite").is_file()
    assert "self-test passed" in r.stdout


def test_the_application_runs_on_a_qasync_loop(sqlite_db, tmp_path):
    """run(): database, sign-in (stubbed here), main window on the qasync event loop, exit."""
    _user(sqlite_db, "runner", "clerk")
    url = sqlite_db.url.render_as_string(hide_password=False)
    code = f"""
import asyncio, sys
from PySide6.QtCore import QTimer
from wics_desktop.ui import app, login
from wics_desktop.core.services import users
qapp = app.create_application()
def fake_sign_in(database, parent=None):
    with database.session() as s:
        return users.get(s, "runner")
login.sign_in = fake_sign_in
seen = {{}}
def check():
    loop = asyncio.get_event_loop()
    seen["loop"] = type(loop).__module__
    win = next(w for w in qapp.topLevelWidgets() if type(w).__name__ == "MainWindow")
    seen["tabs"] = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    win._closing = True
    win.close()
    qapp.quit()
QTimer.singleShot(1500, check)
rc = app.run({url!r})
print(seen)
sys.exit(rc)
"""
    env = dict(os.environ, WICS_CONFIG_DIR=str(tmp_path / "cfg"), QT_QPA_PLATFORM="offscreen")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "'loop': 'qasync'" in r.stdout and "'tabs': ['Count Entry']" in r.stdout


@pytest.mark.parametrize("role", ["clerk", "supervisor", "admin"])
def test_the_navigation_shows_every_item_in_full(qtbot, sqlite_db, role):
    """The dock was sized from the item texts without their indentation: 'Update Materials
    from SAP (MM60)' was cut off behind a horizontal scroll bar on a 1366x768 screen."""
    win = MainWindow(sqlite_db, _user(sqlite_db, f"nav-{role}", role))
    win.resize(1366, 768)
    _show(qtbot, win)
    qtbot.waitUntil(lambda: win.nav.viewport().width() > 0)
    assert win.nav.horizontalScrollBar().maximum() == 0
    # squeezed (a smaller screen, the offline banner's relayout): it keeps what it needs
    win.resizeDocks([win.nav_dock], [100], Qt.Orientation.Horizontal)
    qtbot.wait(50)
    assert win.nav.horizontalScrollBar().maximum() == 0
    assert win.nav.viewport().width() >= win.nav.columnWidth(0)
    win._closing = True
    win.close()
