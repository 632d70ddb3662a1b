"""Issue 13, on screen: a clerk opens someone else's schedule entry read-only (no Save, no
Delete), a request saved over a scheduled entry keeps its counter, and the Schedule form's
counter completes from the counters already known."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from wics_desktop.core.models import CountSchedule
from wics_desktop.core.services import counts, schedule
from wics_desktop.ui.screens.schedule_entry import RequestEntryScreen, ScheduleEntryScreen

from ui_fixtures import (  # noqa: F401
    add_materials,
    ctx_factory,
    isolated_settings,
    qt_leak_guard,
)

TODAY = dt.date(2026, 11, 20)  # a Friday
MONDAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("WICS_TODAY", TODAY.isoformat())


@pytest.fixture
def yes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def _show(qtbot, screen):
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    qtbot.waitExposed(screen)
    screen.focus_first()
    return screen


def _enter(qtbot, widget, text):
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_a_clerk_opens_someone_elses_entry_read_only(qtbot, db, ctx_factory, yes):
    ids = add_materials(db, 3)
    boss = ctx_factory(db, "supervisor", "sam")
    with db.session() as s:
        schedule.add_entry(s, boss.actor, schedule.ScheduleInput(MONDAY, ids[1], counter="Nate"))
    clerk = ctx_factory(db, "clerk", "kim", display="Kim")
    req = _show(qtbot, RequestEntryScreen(clerk))
    _enter(qtbot, req.material, "M000001")
    assert req.open_duplicate.isVisible()
    req.open_duplicate.click()
    assert req.entry is not None and req.read_only_reason is not None
    assert "not your request: only a supervisor may change or delete it" in req.banner.text()
    assert not req.save_button.isVisible() and not req.delete_button.isVisible()
    assert req.priority.isReadOnly() and req.notes.isReadOnly() and not req.reason.isEnabled()
    assert not req.save() and not req.delete_current()  # Ctrl+S / the Delete path write nothing
    with db.session() as s:
        row = s.scalars(select(CountSchedule)).one()
        assert (row.counter, row.requestor) == ("Nate", None)
    # New: back to an editable request form
    req.new()
    assert req.save_button.isVisible() and not req.priority.isReadOnly()


def test_a_clerk_withdraws_their_own_open_request(qtbot, db, ctx_factory, yes):
    add_materials(db, 2)
    clerk = ctx_factory(db, "clerk", "kim", display="Kim")
    req = _show(qtbot, RequestEntryScreen(clerk))
    _enter(qtbot, req.material, "M000000")
    assert req.save()
    with db.session() as s:
        entry_id = s.scalar(select(CountSchedule.id))
    req.open_with(entry_id=entry_id)
    assert req.read_only_reason is None and req.delete_button.isVisible()
    assert "Withdraw" in req.delete_button.text()
    assert req.delete_current()
    assert "The request was withdrawn." in req.banner.text()
    with db.session() as s:
        assert s.scalar(select(CountSchedule.id)) is None


def test_saving_a_request_keeps_the_assigned_counter(qtbot, db, ctx_factory):
    ids = add_materials(db, 2)
    boss = ctx_factory(db, "supervisor", "sam", display="Sam")
    with db.session() as s:
        entry = schedule.add_entry(s, boss.actor, schedule.ScheduleInput(
            MONDAY, ids[0], counter="Nate", requestor="Kim"))
    req = _show(qtbot, RequestEntryScreen(boss))
    req.open_with(entry_id=entry.id)
    req.notes.setText("second pallet behind the racking")
    assert req.save()
    with db.session() as s:
        row = s.get(CountSchedule, entry.id)
        assert (row.counter, row.notes) == ("Nate", "second pallet behind the racking")


def test_the_schedule_counter_completes_from_known_counters(qtbot, db, ctx_factory):
    ids = add_materials(db, 2)
    boss = ctx_factory(db, "supervisor", "sam", display="Sam")
    with db.session() as s:
        counts.add_count(s, boss.actor, counts.CountInput(TODAY, ids[0], "Chris Moreno", "A1",
                                                          "5"))
        schedule.add_entry(s, boss.actor, schedule.ScheduleInput(MONDAY, ids[1],
                                                                 counter="Charlie"))
    se = _show(qtbot, ScheduleEntryScreen(boss))
    from wics_desktop.ui.screens.completion import completer_of

    completer = completer_of(se.counter)
    assert completer is not None
    se.counter.setFocus()
    qtbot.keyClicks(se.counter, "ch")
    shown = [completer.completionModel().index(i, 0).data()
             for i in range(completer.completionModel().rowCount())]
    assert shown == ["Charlie", "Chris Moreno"]
    qtbot.waitUntil(completer.popup().isVisible)  # once the typing pauses
