"""The Count Plan screen: the proposal grouped by counter, lines removed and moved, a counter
changed, Apply writing the schedule on the runner and offering the count sheets."""
from __future__ import annotations

import datetime as dt

from wics_desktop.core.models import CountSchedule
from wics_desktop.ui.screens.plan import LINE_ROLE, PlanScreen

from core_fixtures import count, material, org_id, sap, sched, setup_orgs
from ui_fixtures import *  # noqa: F403

D = dt.date(2026, 12, 3)


def _shop(db):
    with db.session() as s:
        setup_orgs(s)
        l10 = org_id(s, "L10")
        ids = []
        for i in range(5):
            mid = material(s, f"P-{i}", sap_abc="A", price=1.0)
            count(s, mid, D - dt.timedelta(days=40 + i), location=f"R-{i}", counter="Ann")
            sap(s, mid, l10, D - dt.timedelta(days=1), 10)
            ids.append(mid)
        sched(s, ids[4], D, counter="Bob", requestor="Quality")
    return ids


def _groups(screen):
    out = {}
    for i in range(screen.tree.topLevelItemCount()):
        head = screen.tree.topLevelItem(i)
        out[head.text(0)] = [head.child(j).text(0) for j in range(head.childCount())]
    return out


def _select(screen, names):
    screen.tree.clearSelection()
    for i in range(screen.tree.topLevelItemCount()):
        head = screen.tree.topLevelItem(i)
        for j in range(head.childCount()):
            if head.child(j).text(0) in names:
                head.child(j).setSelected(True)


def test_plan_screen_adjusts_and_applies(qtbot, db, ctx_factory, monkeypatch):
    ids = _shop(db)
    ctx = ctx_factory(db, role="supervisor")
    opened = []
    ctx.opener = lambda key, **kw: opened.append((key, kw))
    screen = PlanScreen(ctx, count_date=D)
    qtbot.addWidget(screen)
    screen.counters.setText("Ann, Bob")
    screen.capacity.setValue(2)
    screen.propose()
    qtbot.waitUntil(lambda: screen.is_ready() and screen.plan is not None, timeout=15000)
    # Bob's request uses one of his two places: the three most overdue in walk order
    assert _groups(screen) == {"Ann": ["P-1", "P-2"], "Bob": ["P-3", "P-4"]}
    head = screen.tree.topLevelItem(1)
    assert head.text(7) == "1 proposal + 1 already scheduled, capacity 2"
    assert head.child(1).text(7) == "requested by Quality"
    assert head.child(1).data(0, LINE_ROLE) is None  # the request is not the plan's to change

    _select(screen, ["P-1"])
    screen.remove_selected()
    _select(screen, ["P-2", "P-4"])  # P-4 is already scheduled: it stays with Bob
    screen.move_selected("Bob")
    screen.change_counter("Bob", "Cy")  # Bob is off sick: Cy takes his proposals
    assert _groups(screen) == {"Ann": [], "Cy": ["P-2", "P-3"], "Bob": ["P-4"]}
    assert "2 proposals for 2 counters" in screen.status.text()

    monkeypatch.setattr(PlanScreen, "offer_print", lambda self, day: True)
    screen.apply()
    qtbot.waitUntil(lambda: screen.applied, timeout=15000)
    with db.session() as s:
        rows = sorted((r.material_id, r.counter, r.reason) for r in
                      s.query(CountSchedule).filter_by(count_date=D, reason="Planned"))
    assert rows == [(ids[2], "Cy", "Planned"), (ids[3], "Cy", "Planned")]
    assert "Scheduled 2 materials for 2026-12-03" in screen.banner.text()
    assert opened == [("count_sheets", {"count_date": D})]
    assert not screen.apply_button.isEnabled()


def test_plan_screen_says_why_a_weekend_is_refused(qtbot, db, ctx_factory):
    _shop(db)
    ctx = ctx_factory(db, role="supervisor")
    screen = PlanScreen(ctx, count_date=dt.date(2026, 12, 5))
    qtbot.addWidget(screen)
    qtbot.waitUntil(screen.is_ready, timeout=15000)
    assert "next workday is 2026-12-07" in screen.banner.text()
    assert screen.tree.topLevelItemCount() == 0 and not screen.apply_button.isEnabled()


def test_zones_dialog_keeps_zones_their_order_and_locations(qtbot, db, ctx_factory):
    from PySide6.QtWidgets import QTableWidgetSelectionRange

    from wics_desktop.core.models import AuditLog
    from wics_desktop.core.services import zones
    from wics_desktop.ui.screens.zones_dialog import ZonesDialog

    _shop(db)  # locations R-0 .. R-4 from the counts
    ctx = ctx_factory(db, role="supervisor")
    dialog = ZonesDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.add(1, "Racks")
    dialog.add(2, "Dock")
    dialog.move(-1)  # the dock (current) before the racks
    assert [dialog.zone_list.item(i).text() for i in range(2)] == [
        "1. Dock  (zone 2, 0 locations)", "2. Racks  (zone 1, 0 locations)"]
    dialog.table.clearSelection()
    for row in (0, 3):  # as a Ctrl-click selects them
        dialog.table.setRangeSelected(QTableWidgetSelectionRange(row, 0, row, 1), True)
    assert dialog.selected_locations() == ["R-0", "R-3"]
    dialog.assign(1)
    assert dialog.status.text() == "2 zones · 5 locations, 3 without a zone"
    with db.session() as s:
        assert zones.location_zone_names(s) == {"R-0": "Racks", "R-3": "Racks"}
        assert s.query(AuditLog).filter(AuditLog.entity == "location_zone").count() == 2


def test_locations_screen_offers_zones_to_supervisors_only(qtbot, db, ctx_factory):
    from PySide6.QtWidgets import QPushButton

    from wics_desktop.ui.tables.list_screens import LocationsScreen

    _shop(db)
    for role, shown in (("clerk", False), ("supervisor", True)):
        screen = LocationsScreen(ctx_factory(db, role=role))
        qtbot.addWidget(screen)
        texts = [b.text() for b in screen.findChildren(QPushButton)]
        assert ("Worksheet &zones…" in texts) is shown, (role, texts)
        qtbot.waitUntil(screen.is_ready, timeout=15000)


def test_plan_screen_sets_a_counters_own_capacity(qtbot, db, ctx_factory):
    from wics_desktop.core.models import CounterCapacity

    _shop(db)
    ctx = ctx_factory(db, role="supervisor")
    screen = PlanScreen(ctx, count_date=D)
    qtbot.addWidget(screen)
    screen.counters.setText("Ann")
    qtbot.waitUntil(screen.is_ready, timeout=15000)
    assert screen.set_own_capacity("Ann", 1)
    qtbot.waitUntil(lambda: screen.is_ready() and screen.plan is not None, timeout=15000)
    assert _groups(screen) == {"Ann": ["P-3"], "Bob": ["P-4"]}  # Bob: his request, greyed
    assert screen.plan.due_left == 3
    assert screen.set_own_capacity("Ann", None)  # back to PLAN-CAPACITY
    with db.session() as s:
        assert s.query(CounterCapacity).count() == 0
