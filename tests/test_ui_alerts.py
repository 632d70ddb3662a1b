"""Alerts in the main window: the badge counts them, a supervisor sees them at sign-in, the
list acknowledges them (a clerk sees neither)."""
from __future__ import annotations

from sqlalchemy import select

from wics_desktop.core import alerts
from wics_desktop.core.actor import Actor
from wics_desktop.core.models import Alert, AttentionCount
from wics_desktop.core.services import users
from wics_desktop.ui.main_window import MainWindow

from ui_fixtures import isolated_settings, qt_leak_guard  # noqa: F401


def _user(db, name, role):
    with db.session() as s:
        return users.create_user(s, name, f"{name}-password", role=role, actor=Actor.system())


def _attention(db, n=2):
    with db.session() as s:
        for i in range(n):
            s.add(AttentionCount(uuid=f"u-{i}", payload="{}", reason="x", username="kim"))
    with db.session() as s:
        return alerts.check(s)


def _window(qtbot, db, user):
    win = MainWindow(db, user)
    qtbot.addWidget(win)
    win.show()
    win.open_start_screen()
    return win


def _close(win):
    win._closing = True
    win.close()
    win.runner.wait(10000)


def test_supervisor_sees_alerts_at_sign_in_and_acknowledges(qtbot, sqlite_db):
    _attention(sqlite_db)
    win = _window(qtbot, sqlite_db, _user(sqlite_db, "sue", "supervisor"))
    try:
        screen = win.current_screen()
        assert screen.property("screen_key") == "alerts"
        assert screen.table.rowCount() == 1
        assert screen.table.item(0, 2).text() == "2 offline counts need attention"
        qtbot.waitUntil(lambda: win.alerts_badge.isVisible(), timeout=10000)
        assert win.alerts_badge.text() == "\u26a0 1 alert"
        screen.table.selectRow(0)
        assert screen.ack_button.isEnabled()
        screen.ack_button.click()
        assert screen.table.rowCount() == 0
        qtbot.waitUntil(lambda: not win.alerts_badge.isVisible(), timeout=10000)
        with sqlite_db.session() as s:
            assert s.scalar(select(Alert.acknowledged_by)) == "sue"
    finally:
        _close(win)


def test_a_clerk_gets_no_alert_screen_and_no_badge(qtbot, sqlite_db):
    _attention(sqlite_db)
    win = _window(qtbot, sqlite_db, _user(sqlite_db, "kim", "clerk"))
    try:
        assert win.current_screen().property("screen_key") != "alerts"
        assert not win.alerts_badge.isVisible()
    finally:
        _close(win)
