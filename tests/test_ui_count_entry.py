"""Count Entry driven by keystrokes, as a clerk (or a scanner) does, on both databases."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from wics_desktop.core.actor import Actor
from wics_desktop.core.models import ActualCount
from wics_desktop.ui.screens.count_entry import CountEntryScreen

from ui_fixtures import (  # noqa: F401
    add_materials,
    ctx_factory,
    isolated_settings,
    qt_leak_guard,
)

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("WICS_TODAY", TODAY.isoformat())


def _screen(qtbot, ctx):
    screen = CountEntryScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    screen.focus_first()
    qtbot.waitUntil(screen.material.hasFocus)
    return screen


def _type(qtbot, widget, text: str, enter: bool = True):
    qtbot.keyClicks(widget, text)
    if enter:
        qtbot.keyClick(widget, Qt.Key.Key_Return)


def _counts(db):
    with db.session() as s:
        return s.execute(select(ActualCount.material_id, ActualCount.counter,
                                ActualCount.location, ActualCount.expression,
                                ActualCount.quantity, ActualCount.count_date,
                                ActualCount.location_only, ActualCount.entered_by)
                         .order_by(ActualCount.id)).all()


def test_keyboard_path_saves_and_gets_ready_for_the_next(qtbot, db, ctx_factory):
    ids = add_materials(db, 20)
    ctx = ctx_factory(db, "clerk", "chris", display="Chris K")
    s = _screen(qtbot, ctx)
    assert s.date.date().toPython() == TODAY and s.counter.text() == "Chris K"

    _type(qtbot, s.material, "M000007")
    assert s.location.hasFocus()
    _type(qtbot, s.location, "D2")
    assert s.quantity.edit.hasFocus()
    _type(qtbot, s.quantity.edit, "1080*4+791", enter=False)
    assert s.quantity.result.text() == "1080*4+791 = <b>5,111</b>"
    qtbot.keyClick(s.quantity.edit, Qt.Key.Key_Return)

    rows = _counts(db)
    assert rows == [(ids[7], "Chris K", "D2", "1080*4+791", 5111.0, TODAY, False, "chris")]
    assert "Saved count" in s.banner.text() and "5,111" in s.banner.text()
    # ready for the next: cursor in material, date/counter/location kept, the rest cleared
    assert s.material.hasFocus() and s.material.text() == ""
    assert s.location.text() == "D2" and s.counter.text() == "Chris K"
    assert s.quantity.text() == "" and not s.is_dirty()
    # the side panel shows that date's counts of the material with their total
    qtbot.waitUntil(lambda: s.side.info is not None and s.side.info.day.total == 5111)
    assert s.side.total.text().startswith("Total: 5,111")

    # a scanner: code + Enter, location kept (Enter), quantity + Enter
    _type(qtbot, s.material, "M000008")
    assert s.location.hasFocus() and s.location.text() == "D2"
    qtbot.keyClick(s.location, Qt.Key.Key_Return)
    _type(qtbot, s.quantity.edit, "=12")
    assert [r[:5] for r in _counts(db)][1] == (ids[8], "Chris K", "D2", "=12", 12.0)


def test_invalid_expression_is_shown_inline_and_not_saved(qtbot, db, ctx_factory):
    ids = add_materials(db, 5)
    s = _screen(qtbot, ctx_factory(db))
    _type(qtbot, s.material, "M000001")
    _type(qtbot, s.location, "HVC-1")
    _type(qtbot, s.quantity.edit, "12*/3", enter=False)
    assert "unexpected '/' (character 4)" in s.quantity.result.text()
    assert s.quantity.error and "border" in s.quantity.edit.styleSheet()
    qtbot.keyClick(s.quantity.edit, Qt.Key.Key_Return)
    assert _counts(db) == []  # nothing saved
    assert s.banner.kind == "error" and "not valid" in s.banner.text()
    assert s.quantity.edit.hasFocus()  # the cursor stays where the fix is needed
    assert s.is_dirty()
    # fix it: the error goes away, Enter saves
    qtbot.keyClick(s.quantity.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    _type(qtbot, s.quantity.edit, "12*3+3")
    assert [r[4] for r in _counts(db)] == [39.0]
    assert s.quantity.error is None and s.quantity.edit.styleSheet() == ""
    # an unknown material says so in the banner and keeps the cursor in the field
    _type(qtbot, s.material, "NOPE-1")
    assert "not a known material" in s.banner.text() and s.material.hasFocus()
    assert ids


def test_location_only_and_flags(qtbot, db, ctx_factory):
    ids = add_materials(db, 3)
    s = _screen(qtbot, ctx_factory(db))
    _type(qtbot, s.material, "M000002")
    s.location_only.setChecked(True)
    assert not s.quantity.edit.isEnabled() and "LOCATION ONLY" in s.quantity.result.text()
    s.location.setFocus()
    _type(qtbot, s.location, "868-IQC")  # Enter in location saves a location-only count
    rows = _counts(db)
    assert rows[0][2:5] == ("868-IQC", None, None) and rows[0][6] is True
    assert not s.location_only.isChecked()
    _type(qtbot, s.material, "M000000")
    qtbot.keyClick(s.location, Qt.Key.Key_Return)
    s.not_received.setChecked(True)
    s.notes.setText("pallet wrapped")
    _type(qtbot, s.quantity.edit, "5")
    with db.session() as session:
        last = session.scalars(select(ActualCount).order_by(ActualCount.id.desc())).first()
        assert last.possibly_not_received and last.notes == "pallet wrapped"
        assert last.material_id == ids[0]
    assert not s.not_received.isChecked() and s.notes.text() == ""


def test_undo_edit_delete_and_copy(qtbot, db, ctx_factory, monkeypatch):
    ids = add_materials(db, 3)
    ctx = ctx_factory(db, "supervisor")
    s = _screen(qtbot, ctx)
    _type(qtbot, s.material, "M000001")
    _type(qtbot, s.location, "A1")
    _type(qtbot, s.quantity.edit, "100")
    assert len(_counts(db)) == 1
    # one keystroke undoes the count just saved and puts its values back
    qtbot.keyClick(s.material, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _counts(db) == []
    assert s.material.text() == "M000001" and s.quantity.text() == "100"
    assert "taken back" in s.banner.text() and not s.can_undo()
    qtbot.keyClick(s.quantity.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    _type(qtbot, s.quantity.edit, "110")
    (count_id,) = [r.id for r in _all(db)]
    # change it: load, new quantity, Enter
    assert s.load_count(count_id)
    assert s.editing is not None and s.quantity.text() == "110" and s.delete_button.isEnabled()
    qtbot.keyClick(s.quantity.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    _type(qtbot, s.quantity.edit, "120")
    assert [r.quantity for r in _all(db)] == [120.0] and "Changed count" in s.banner.text()
    # undo the change: the old value is back
    qtbot.keyClick(s.material, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [r.quantity for r in _all(db)] == [110.0]
    # copy to another date, then delete the original (confirmed)
    assert s.load_count(count_id)
    assert s.copy_count_to(count_id, TODAY + dt.timedelta(days=3))
    from PySide6.QtWidgets import QMessageBox
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert s.delete_current()
    rows = _all(db)
    assert [(r.count_date, r.quantity) for r in rows] == [(TODAY + dt.timedelta(days=3), 110.0)]
    assert ids


def test_clerk_may_not_change_someone_elses_count(qtbot, db, ctx_factory):
    add_materials(db, 2)
    other = ctx_factory(db, "clerk", "ann")
    with db.session() as session:
        from wics_desktop.core.services import counts

        line = counts.add_count(session, other.actor, counts.CountInput(
            count_date=TODAY, material_id=_ids(db)[0], counter="Ann", location="B1",
            expression="7"))
    s = _screen(qtbot, ctx_factory(db, "clerk", "bob"))
    assert s.load_count(line.id)
    assert "only a supervisor" in s.banner.text()
    qtbot.keyClick(s.quantity.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    _type(qtbot, s.quantity.edit, "8")
    assert [r.quantity for r in _all(db)] == [7.0]


def test_type_ahead_shows_matches(qtbot, db, ctx_factory):
    add_materials(db, 300)
    add_materials(db, 1, org="L6", prefix="M", start=42)  # M000042 exists in two orgs
    s = _screen(qtbot, ctx_factory(db))
    timings = []
    s.material.hits_shown.connect(lambda n, ms: timings.append((n, ms)))
    qtbot.keyClicks(s.material, "M00004")
    qtbot.waitUntil(lambda: s.material.popup_visible() and s.material.text() == "M00004"
                    and "M000049" in s.material.popup_names(), timeout=5000)
    names = s.material.popup_names()
    assert names[:3] == ["M000040", "M000041", "M000042 (L10)"] and "M000042 (L6)" in names
    # Enter on a part number in two organizations: the user is asked to pick
    qtbot.keyClick(s.material, Qt.Key.Key_2)
    qtbot.keyClick(s.material, Qt.Key.Key_Return)
    assert "2 organizations" in s.banner.text() and s.material.material_id is None
    # pick from the popup with the keyboard: Down, Enter -> resolved, cursor in location
    qtbot.waitUntil(s.material.popup_visible)
    popup = s.material._completer.popup()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert s.material.material_id is not None and s.material.text().startswith("M000042 (")
    assert s.location.hasFocus()
    assert timings and all(n > 0 for n, _ in timings)


def _all(db):
    with db.session() as session:
        return session.scalars(select(ActualCount).order_by(ActualCount.id)).all()


def _ids(db):
    from wics_desktop.core.models import Material

    with db.session() as session:
        return session.scalars(select(Material.id).order_by(Material.part_number)).all()


def test_unexpected_error_keeps_the_input(qtbot, sqlite_db, ctx_factory, monkeypatch):
    from wics_desktop.core.services import counts
    from wics_desktop.ui import errors

    add_materials(sqlite_db, 2)
    s = _screen(qtbot, ctx_factory(sqlite_db))
    monkeypatch.setattr(errors, "collected", [])

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(counts, "add_count", broken)
    _type(qtbot, s.material, "M000001")
    _type(qtbot, s.location, "C3")
    _type(qtbot, s.quantity.edit, "40*3")
    assert "NOT saved" in s.banner.text()
    assert (s.material.text(), s.location.text(), s.quantity.text()) == ("M000001", "C3", "40*3")
    (exc, report), = errors.collected
    assert isinstance(exc, RuntimeError) and "disk on fire" in report and "Traceback" in report
    assert _counts(sqlite_db) == []


@pytest.mark.parametrize("close", ["tab", "window"])
def test_closing_while_the_side_panel_loads(qtbot, db, monkeypatch, close):
    """The side panel's answer arrives after the tab (or the whole main window, runner and
    all) is gone: nothing may touch the deleted widgets (pytest-qt fails on any exception)."""
    import time

    import shiboken6

    from wics_desktop.core.services import users
    from wics_desktop.ui.main_window import MainWindow
    from wics_desktop.ui.screens import count_entry

    add_materials(db, 3)
    with db.session() as s:
        user = users.create_user(s, "chris", "chris-password", role="clerk", actor=Actor.system())
    real = count_entry.load_side_info
    started = []

    def slow(session, material_id, day):
        started.append(material_id)
        time.sleep(0.4)
        return real(session, material_id, day)

    monkeypatch.setattr(count_entry, "load_side_info", slow)
    win = MainWindow(db, user)
    win.show()
    qtbot.waitExposed(win)
    screen = win.open_count_entry()
    _type(qtbot, screen.material, "M000001")
    qtbot.waitUntil(lambda: bool(started), timeout=3000)
    screen.material.clear()  # nothing unsaved: closing asks no question
    if close == "tab":
        assert win.close_tab(win.tabs.indexOf(screen))
        qtbot.waitUntil(lambda: not shiboken6.isValid(screen), timeout=3000)
        assert win.runner.wait(5000)
        qtbot.wait(50)
        assert not win.runner.active()
        win.close()
    else:
        win.close()
    shiboken6.delete(win)  # what the application does once the window is closed
    qtbot.wait(100)
    assert not shiboken6.isValid(screen)


def test_a_quantity_mistake_is_shown_in_full(qtbot, db, ctx_factory):
    """The evaluator's sentence used to be cut off at the form's edge ("(characte")."""
    add_materials(db, 2)
    s = _screen(qtbot, ctx_factory(db, "clerk"))
    s.resize(1060, 700)  # what a 1366 px wide main window leaves it beside the navigation
    _type(qtbot, s.material, "M000001")
    _type(qtbot, s.location, "D2")
    _type(qtbot, s.quantity.edit, "12*4+", enter=False)
    label = s.quantity.result
    assert label.text().endswith("(character 5)")
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()) > 0
                    if label.wordWrap() else label.sizeHint().width() <= label.width(),
                    timeout=2000)
    s.quantity.set_text("")
