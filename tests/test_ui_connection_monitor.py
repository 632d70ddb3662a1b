"""The one ConnectionMonitor (ui/connection.py): the window's context owns it, for an embedded
database as for a server, and it reports changes once each, cutting off before it tells."""
from __future__ import annotations

from wics_desktop.core.actor import Actor
from wics_desktop.core.errors import DatabaseUnavailable
from wics_desktop.core.services import users
from wics_desktop.ui.connection import EMBEDDED_INTERVAL, ConnectionMonitor
from wics_desktop.ui.main_window import MainWindow

from ui_fixtures import isolated_settings, qt_leak_guard  # noqa: F401 - fixtures


def _unreachable():
    raise DatabaseUnavailable("Cannot reach server: db01:3306/wics: timed out")


def test_changes_are_reported_once_and_the_cut_off_comes_first(qtbot, sqlite_db, monkeypatch):
    monitor = ConnectionMonitor(sqlite_db)
    assert monitor.embedded and monitor.interval == EMBEDDED_INTERVAL
    events: list = []
    monitor.when_lost(lambda: events.append("cut off"))
    monitor.changed.connect(lambda online, reason: events.append(("changed", online, reason)))
    monitor.checked.connect(lambda online, reason, _s: events.append(("checked", online)))

    assert monitor.check_now().online
    assert monitor.check_now().online
    with monkeypatch.context() as patch:  # (undo() would also undo isolated_settings)
        patch.setattr(sqlite_db, "ping", _unreachable)
        assert not monitor.check_now().online
        assert not monitor.check_now().online
    assert monitor.check_now().online
    reason = "Cannot reach server: db01:3306/wics: timed out"
    assert events == [("changed", True, ""), ("checked", True), ("checked", True),
                      "cut off", ("changed", False, reason), ("checked", False),
                      ("checked", False),
                      ("changed", True, ""), ("checked", True)]
    monitor.stop()


def test_the_thread_looks_when_asked(qtbot, sqlite_db):
    monitor = ConnectionMonitor(sqlite_db)
    with qtbot.waitSignal(monitor.changed, timeout=10000) as got:
        monitor.start()
        monitor.check_soon()  # an embedded database is first looked at after one interval
    assert got.args == [True, ""]
    monitor.start()  # already looking: a no-op
    monitor.stop()
    assert monitor._thread is None


def test_the_window_s_context_owns_the_monitor_and_the_status_bar_follows_it(
        qtbot, sqlite_db, monkeypatch):
    with sqlite_db.session() as s:
        user = users.create_user(s, "ann", "ann-password", role="clerk", display_name="Ann",
                                 actor=Actor.system())
    win = MainWindow(sqlite_db, user)
    qtbot.addWidget(win)
    assert win.ctx.connection is win.connection and win.offline is None
    with monkeypatch.context() as patch:
        patch.setattr(sqlite_db, "ping", _unreachable)
        win.connection.check_now()
        assert not win.connected and "unreachable" in win.conn_label.text()
    win.connection.check_now()
    assert win.connected and "Connected" in win.conn_label.text()
    win._closing = True
    win.close()
