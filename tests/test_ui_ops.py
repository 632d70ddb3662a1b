"""ui/ops.py: the one path for short writes from a screen, on both databases.

The op's function blocks on a threading.Event the test releases from inside the op's wait
(a QTimer fired by the op's local event loop), so every assertion is about the order of
events, never about how long anything took."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget

from wics_desktop.core.errors import InputRejected
from wics_desktop.core.services import users
from wics_desktop.ui import ops
from wics_desktop.ui.screens.common import Banner

from ui_fixtures import (  # noqa: F401
    add_materials,
    ctx_factory,
    isolated_settings,
    qt_leak_guard,
)

WAIT = 10.0  # a safety net only: the test releases the worker long before


class Form(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.banner = Banner(self)
        self.first = QLineEdit(self)
        self.second = QLineEdit(self)
        self.button = QPushButton("Save", self)
        self.clicks = 0
        self.button.clicked.connect(self._clicked)
        layout = QVBoxLayout(self)
        for w in (self.banner, self.first, self.second, self.button):
            layout.addWidget(w)
        self.first.returnPressed.connect(self.second.setFocus)

    def _clicked(self) -> None:
        self.clicks += 1


@pytest.fixture
def form(qtbot):
    f = Form()
    qtbot.addWidget(f)
    f.show()
    qtbot.waitExposed(f)
    f.activateWindow()
    f.first.setFocus()
    qtbot.waitUntil(f.first.hasFocus)
    return f


def blocking(release: threading.Event, seen: list):
    """An op function: a core read, once the test lets it go on."""
    def fn(session, name):
        assert release.wait(WAIT), "the test never released the op"
        seen.append("op ran")
        return users.get(session, name)
    return fn


def soon(action) -> None:
    """Run `action` from the op's own event loop (0 ms: the first thing it processes)."""
    QTimer.singleShot(0, action)


def test_a_rejection_shows_in_the_banner_and_focuses_its_field(qtbot, db, ctx_factory, form):
    ctx = ctx_factory(db)
    form.first.setText("kept")
    form.second.setText("wrong value")

    def refuse(session):
        raise InputRejected("The second value is wrong.", field="second")

    done = []
    op = ctx.op(refuse, owner=form, banner=form.banner, on_done=done.append,
                fields={"first": form.first, "second": form.second}, focus=form.first)
    assert not op.ok and isinstance(op.error, InputRejected) and done == []
    assert form.banner.text() == "The second value is wrong." and form.banner.kind == "error"
    qtbot.waitUntil(form.second.hasFocus)
    assert form.second.selectedText() == "wrong value"
    assert (form.first.text(), form.second.text()) == ("kept", "wrong value")


def test_count_entry_puts_the_cursor_in_the_field_core_names(qtbot, db, ctx_factory):
    """The notes hold a control character: only core refuses it, naming the notes."""
    from wics_desktop.ui.screens.count_entry import CountEntryScreen

    add_materials(db, 2)
    s = CountEntryScreen(ctx_factory(db))
    qtbot.addWidget(s)
    s.show()
    qtbot.waitExposed(s)
    s.activateWindow()
    s.focus_first()
    qtbot.keyClicks(s.material, "M000001")
    qtbot.keyClick(s.material, Qt.Key.Key_Return)
    qtbot.keyClicks(s.location, "D2")
    s.quantity.set_text("12")
    s.notes.setText("bad\x01note")
    assert s.save() is False
    assert "notes" in s.banner.text().lower() and s.banner.kind == "error"
    qtbot.waitUntil(s.notes.hasFocus)
    assert s.notes.text() == "bad\x01note" and s.quantity.text() == "12"


def test_keys_typed_during_an_op_arrive_afterwards_in_order(qtbot, db, ctx_factory, form):
    ctx = ctx_factory(db)
    release, seen = threading.Event(), []
    form.first.setText("old")

    def scanner():
        seen.append("typing")
        QTest.keyClicks(form.first, "ab")
        QTest.keyClick(form.first, Qt.Key.Key_Return)  # moves the focus on, once delivered
        QTest.keyClicks(form.first, "cd")
        release.set()

    def saved(_user):
        seen.append("saved")
        form.first.clear()  # what a form does after a save: ready for the next
        form.first.setFocus()

    soon(scanner)
    op = ctx.op(blocking(release, seen), "clerk1", owner=form, on_done=saved)
    assert op.ok and seen == ["typing", "op ran", "saved"]
    assert form.first.text() == "" and form.second.text() == ""  # nothing delivered yet
    qtbot.waitUntil(lambda: form.second.text() == "cd")
    assert form.first.text() == "ab" and form.second.hasFocus()


def test_a_shortcut_typed_during_an_op_fires_afterwards(qtbot, db, ctx_factory, form):
    """A shortcut pressed while a save runs is held with the other keys, and fires once the
    op is over, in its place among them: Ctrl+K (a window shortcut) and F7 (an action of the
    form) each once, after the letters typed before it; the letters land in the field."""
    from PySide6.QtGui import QAction, QKeySequence, QShortcut

    ctx = ctx_factory(db)
    fired = []
    window_key = QShortcut(QKeySequence("Ctrl+K"), form)
    window_key.activated.connect(lambda: fired.append(("Ctrl+K", form.first.text())))
    action = QAction("Refresh", form)
    action.setShortcut(QKeySequence("F7"))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(lambda: fired.append(("F7", form.first.text())))
    form.addAction(action)
    release, seen = threading.Event(), []

    def clerk():
        QTest.keyClicks(form.first, "x")
        QTest.keyClick(form.first, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(form.first, "y")
        QTest.keyClick(form.first, Qt.Key.Key_F7)
        release.set()

    soon(clerk)
    assert ctx.op(blocking(release, seen), "clerk1", owner=form).ok
    assert fired == []  # nothing fires while the op runs
    qtbot.waitUntil(lambda: len(fired) == 2)
    assert fired == [("Ctrl+K", "x"), ("F7", "xy")] and form.first.text() == "xy"
    QTest.keyClick(form.first, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert len(fired) == 3  # and afterwards as ever


def test_a_second_press_during_an_op_is_ignored(qtbot, db, ctx_factory, form):
    ctx = ctx_factory(db)
    release, seen = threading.Event(), []
    second = []

    def press_again():
        second.append(ctx.op(blocking(release, seen), "clerk1", owner=form.second))
        QTest.mouseClick(form.button, Qt.MouseButton.LeftButton)  # swallowed meanwhile
        release.set()

    soon(press_again)
    op = ctx.op(blocking(release, seen), "clerk1", owner=form)
    assert op.ok and op.result.username == "clerk1"
    assert second[0].ignored and not second[0].ok
    assert seen == ["op ran"] and form.clicks == 0
    QTest.mouseClick(form.button, Qt.MouseButton.LeftButton)  # afterwards: a click again
    assert form.clicks == 1


def test_an_owner_closed_during_the_op_gets_nothing(qtbot, db, ctx_factory):
    ctx = ctx_factory(db)
    owner = Form()
    owner.show()
    qtbot.waitExposed(owner)
    release, seen, delivered = threading.Event(), [], []

    def close():
        shiboken6.delete(owner)
        release.set()

    def refuse(session):
        assert release.wait(WAIT)
        raise InputRejected("too late", field="first")

    soon(close)
    op = ctx.op(blocking(release, seen), "clerk1", owner=owner, on_done=delivered.append)
    assert not op.ok and delivered == [] and seen == ["op ran"]

    owner = Form()
    owner.show()
    qtbot.waitExposed(owner)
    release.clear()
    banner = owner.banner
    soon(close)
    op = ctx.op(refuse, owner=owner, banner=banner, on_error=delivered.append)
    assert not op.ok and delivered == []


def test_the_window_keeps_processing_events_during_an_op(qtbot, db, ctx_factory, form):
    """A timer fires and the form repaints while the worker still waits (event order)."""
    ctx = ctx_factory(db)
    release, seen = threading.Event(), []

    class Paints(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and "timer" in seen and not release.is_set():
                seen.append("painted")
                release.set()
            return False

    paints = Paints(form)
    form.banner.installEventFilter(paints)

    def tick():
        seen.append("timer")
        form.banner.show_message(f"still working {dt.datetime.now():%H:%M:%S}")

    soon(tick)
    op = ctx.op(blocking(release, seen), "clerk1", owner=form)
    assert op.ok and seen == ["timer", "painted", "op ran"]


def test_an_unexpected_error_is_reported_and_the_input_stays(qtbot, db, ctx_factory, form,
                                                             monkeypatch):
    from wics_desktop.ui import errors

    monkeypatch.setattr(errors, "collected", [])
    ctx = ctx_factory(db)
    form.first.setText("typed")
    after = []

    def broken(session):
        raise RuntimeError("disk on fire")

    op = ctx.op(broken, owner=form, banner=form.banner, what="saving the test",
                on_unexpected=after.append)
    assert not op.ok and isinstance(op.error, RuntimeError) and len(after) == 1
    (exc, report), = errors.collected
    assert "disk on fire" in report and form.first.text() == "typed"
    assert ops.wait_idle(5000)


def test_a_scanner_keeps_typing_while_count_entry_saves(qtbot, db, ctx_factory, monkeypatch):
    """The next code and its Enter arrive while the count is still being saved: they land in
    the cleared form's Material field once the save is done, and move on to Location."""
    from wics_desktop.core.services import counts
    from wics_desktop.ui.screens.count_entry import CountEntryScreen

    add_materials(db, 3)
    s = CountEntryScreen(ctx_factory(db))
    qtbot.addWidget(s)
    s.show()
    qtbot.waitExposed(s)
    s.activateWindow()
    s.focus_first()
    qtbot.waitUntil(s.material.hasFocus)
    real, release, seen = counts.add_count, threading.Event(), []

    def slow_server(session, actor, data):
        assert release.wait(WAIT)
        seen.append("saved")
        return real(session, actor, data)

    def scanner():
        seen.append("scanning")
        QTest.keyClicks(s.quantity.edit, "M000002")  # the quantity field still has the focus
        QTest.keyClick(s.quantity.edit, Qt.Key.Key_Return)
        release.set()

    monkeypatch.setattr(counts, "add_count", slow_server)
    qtbot.keyClicks(s.material, "M000001")
    qtbot.keyClick(s.material, Qt.Key.Key_Return)
    qtbot.keyClicks(s.location, "D2")
    qtbot.keyClick(s.location, Qt.Key.Key_Return)
    qtbot.keyClicks(s.quantity.edit, "5")
    soon(scanner)
    qtbot.keyClick(s.quantity.edit, Qt.Key.Key_Return)
    assert seen == ["scanning", "saved"] and "Saved count" in s.banner.text()
    assert s.quantity.text() == "" and s.material.text() == ""  # cleared, nothing typed yet
    qtbot.waitUntil(lambda: s.location.hasFocus() and s.material.material_id is not None)
    assert s.material.text() == s.material.display_name and "M000002" in s.material.text()
    assert s.quantity.text() == "" and s.location.text() == "D2"
