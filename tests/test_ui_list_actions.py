"""Row actions of the list screens and the MPN dialog, which look rows up through core services
(schedule.get_entry, mpns.get_mpn, sap.material_of_row) instead of the ORM (issue 15)."""
from __future__ import annotations

from wics_desktop.core.services import mpns

from core_fixtures import ACTOR, D2, material, org_id, sap, sched, setup_orgs
from ui_fixtures import ctx_factory, isolated_settings, qt_leak_guard  # noqa: F401


def _world(db):
    with db.session() as s:
        setup_orgs(s)
        first = material(s, "A-100")
        entry = sched(s, first, counter="Kim")
        mpn = mpns.add_mpn(s, ACTOR, first, "MPN-9", "Acme", "on the reel")
        sap(s, first, org_id(s, "L10"), D2, 5)
        sap(s, None, org_id(s, "L10"), D2, 3, part="NOT-IN-WICS")
    return first, entry, mpn


def _screen(qtbot, cls, ctx):
    screen = cls(ctx)
    qtbot.addWidget(screen)
    qtbot.waitUntil(screen.is_ready, timeout=20000)
    return screen


def test_row_actions_open_the_row_s_material(qtbot, db, ctx_factory):
    from wics_desktop.ui.tables.list_screens import MpnScreen, SapStockScreen, ScheduleScreen

    first, entry, mpn = _world(db)
    ctx = ctx_factory(db, "supervisor")
    opened = []
    ctx.opener = lambda key, **kw: opened.append((key, kw))

    schedule_screen = _screen(qtbot, ScheduleScreen, ctx)
    schedule_screen._open_material([entry.id])
    schedule_screen._count([entry.id])
    schedule_screen._open_material([entry.id + 1000])  # gone meanwhile: nothing opens
    assert opened == [("material", {"material_id": first}),
                      ("count_entry", {"material_id": first, "count_date": D2})]

    opened.clear()
    _screen(qtbot, MpnScreen, ctx)._open_material([mpn.id])
    assert opened == [("material", {"material_id": first})]

    opened.clear()
    sap_screen = _screen(qtbot, SapStockScreen, ctx)
    model = sap_screen.table.model
    ids = {model.row_values(r)["part_number"]: model.row_id(r) for r in range(model.rowCount())}
    messages = []
    sap_screen.status_message.connect(messages.append)
    sap_screen._open_material([ids["A-100"]])
    sap_screen._open_material([ids["NOT-IN-WICS"]])
    assert opened == [("material", {"material_id": first})]
    assert messages == ["This SAP row's part number is not a WICS material."]


def test_the_mpn_dialog_shows_the_row_it_edits(qtbot, db, ctx_factory):
    from wics_desktop.ui.screens.mpn_dialog import MpnDialog

    first, _entry, mpn = _world(db)
    dialog = MpnDialog(ctx_factory(db, "supervisor"), mpn.id)
    qtbot.addWidget(dialog)
    assert (dialog.mpn.text(), dialog.manufacturer.text(), dialog.notes.text()) == \
        ("MPN-9", "Acme", "on the reel")
    assert (dialog.material.material_id, dialog.material.text()) == (first, "A-100")
