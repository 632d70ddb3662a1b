"""Issue 13, 'schedule from where you look': right-click a material in the Count Summary
(default: the next workday after the summary's date, weekends and holidays skipped) or in the
Material Lists (default: today) and Schedule a Count opens prefilled; a material already
scheduled that day is refused there as always."""
from __future__ import annotations

import datetime as dt

import pytest

from wics_desktop.core.services import holidays, schedule
from wics_desktop.ui.screens.schedule_entry import ScheduleEntryScreen

from core_fixtures import ACTOR, D2, count
from sheet_fixtures import build_world
from ui_fixtures import *  # noqa: F403

MONDAY = dt.date(2026, 11, 23)  # D2 is Friday 2026-11-20


@pytest.fixture
def world(db, monkeypatch):
    monkeypatch.setenv("WICS_TODAY", "2026-11-25")
    ids = build_world(db)
    with db.session() as s:
        count(s, ids["A-100"], D2, expr="5", location="D2", counter="Chris")
    return db, ids


def _screen(qtbot, ctx, cls, **kwargs):
    screen = cls(ctx, **kwargs)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    qtbot.waitUntil(screen.is_ready, timeout=15000)
    return screen


def _find(model, text, parent=None):
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    for r in range(model.rowCount(parent)):
        index = model.index(r, 0, parent)
        if index.data() == text:
            return index
        found = _find(model, text, index)
        if found is not None:
            return found
    return None


def test_schedule_a_count_from_the_count_summary(qtbot, world, ctx_factory):
    from wics_desktop.ui.screens.count_summary import CountSummaryScreen

    db, ids = world
    ctx = ctx_factory(db, role="supervisor")
    opened = []
    ctx.opener = lambda key, **kw: opened.append((key, kw))
    s = _screen(qtbot, ctx, CountSummaryScreen, count_date=D2)
    assert s.schedule_action in s.tree.actions()
    assert s.schedule_action.text() == "Schedule a count..."
    s.tree.setCurrentIndex(_find(s.proxy, "A-100"))
    assert s.schedule_action.isEnabled()
    s.schedule_action.trigger()
    assert opened == [("schedule_entry", {"material_id": ids["A-100"], "count_date": MONDAY})]
    # a holiday on Monday: the next workday is Tuesday
    with db.session() as ss:
        holidays.add_holiday(ss, ACTOR, MONDAY, "Closed")
    s.schedule_action.trigger()
    assert opened[-1][1]["count_date"] == dt.date(2026, 11, 24)
    # an organization or section row names no material: the action is greyed out
    s.tree.setCurrentIndex(s.proxy.index(0, 0))
    assert not s.schedule_action.isEnabled()
    s.schedule_action.trigger()
    assert len(opened) == 2


def test_schedule_a_count_from_material_lists_defaults_to_today(qtbot, world, ctx_factory):
    from wics_desktop.ui.screens.report_lists import MaterialListsScreen
    from wics_desktop.ui.screens.rows_table import MATERIAL_ID_ROLE

    db, ids = world
    ctx = ctx_factory(db, role="supervisor")
    opened = []
    ctx.opener = lambda key, **kw: opened.append((key, kw))
    s = _screen(qtbot, ctx, MaterialListsScreen)
    row = next(r for r in range(s.proxy.rowCount())
               if s.proxy.index(r, 0).data() == "B-200")
    s.table.setCurrentIndex(s.proxy.index(row, 2))
    s.schedule_action.trigger()
    assert opened == [("schedule_entry", {"material_id": ids["B-200"],
                                          "count_date": dt.date(2026, 11, 25)})]
    assert s.proxy.index(row, 0).data(MATERIAL_ID_ROLE) == ids["B-200"]


def test_the_prefilled_form_refuses_a_material_already_scheduled(qtbot, world, ctx_factory):
    db, ids = world
    ctx = ctx_factory(db, role="supervisor")
    form = ScheduleEntryScreen(ctx)
    qtbot.addWidget(form)
    form.show()
    # A-100 is scheduled on D2 (the world's schedule): prefilled for D2 it is refused
    form.open_with(material_id=ids["A-100"], count_date=D2)
    assert form.banner.kind == "error" and "already scheduled for 2026-11-20" in form.banner.text()
    assert not form.save_button.isEnabled() and form.open_duplicate.isVisible()
    # for the Monday it is free: prefilled and ready to save
    form.open_with(material_id=ids["A-100"], count_date=MONDAY)
    assert form.save_button.isEnabled() and form.material.text() == "A-100"
    assert "from where you chose it" in form.mode.text()
    assert form.save()
    with db.session() as s:
        assert schedule.entry_for(s, ids["A-100"], MONDAY) is not None
