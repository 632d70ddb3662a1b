"""Count Summary's supervisor actions (Approve, Recount…, Schedule all recounts…), its legend
and value footer, the live pack expansion in the quantity field, and the Parameters screen's
check of the accuracy bands - with qtbot, on both databases."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from wics_desktop.core.models import CountSchedule, Material
from wics_desktop.core.reports import count_summary
from wics_desktop.ui.screens.count_summary_model import C_RECOUNT, C_VALUE, KIND_ROLE

from core_fixtures import D1, count, material, org_id, sap, sched, setup_orgs
from ui_fixtures import *  # noqa: F403

NEXT = dt.date(2026, 11, 20)  # D1 is Thursday 2026-11-19


@pytest.fixture
def world(db):
    with db.session() as s:
        setup_orgs(s)
        l10 = org_id(s, "L10")
        ids = {}
        for name, counted, book, price in [("LOW", "50", 100, 1.0), ("COSTLY", "98", 100, 900.0),
                                           ("FINE", "100", 100, 5.0)]:
            ids[name] = material(s, name, typical_pallet_qty="40 ctn/plt")
            s.get(Material, ids[name]).price = price
            sched(s, ids[name], day=D1, counter="Sched")
            count(s, ids[name], day=D1, expr=counted, counter="Chris")
            sap(s, ids[name], l10, D1, book)
    return db, ids


def _open(qtbot, ctx):
    from wics_desktop.ui.screens.count_summary import CountSummaryScreen

    screen = CountSummaryScreen(ctx, count_date=D1)
    qtbot.addWidget(screen)
    screen.resize(1366, 740)
    screen.show()
    qtbot.waitUntil(screen.is_ready, timeout=15000)
    screen.tree.expandAll()
    return screen


def _material_rows(screen):
    """name -> proxy index of every material row."""
    out, proxy = {}, screen.proxy
    stack = [proxy.index(r, 0) for r in range(proxy.rowCount())]
    while stack:
        index = stack.pop()
        if index.data(KIND_ROLE) == "material":
            out[index.data()] = index
        stack += [proxy.index(r, 0, index) for r in range(proxy.rowCount(index))]
    return out


def _select(screen, *names):
    rows = _material_rows(screen)
    sel = screen.tree.selectionModel()
    sel.clearSelection()
    for name in names:
        sel.select(rows[name], QItemSelectionModel.SelectionFlag.Select
                   | QItemSelectionModel.SelectionFlag.Rows)


def _cell(screen, name, column):
    index = _material_rows(screen)[name]
    return screen.proxy.index(index.row(), column, index.parent()).data()


def test_flags_legend_value_footer_and_sort_by_value(qtbot, world, ctx_factory):
    db, _ = world
    screen = _open(qtbot, ctx_factory(db, role="supervisor"))
    assert _cell(screen, "LOW", C_RECOUNT) == "RECOUNT"  # 50 %
    assert _cell(screen, "COSTLY", C_RECOUNT) == "RECOUNT"  # -2 x 900 = -1,800.00
    assert _cell(screen, "FINE", C_RECOUNT) == ""
    assert _cell(screen, "COSTLY", C_VALUE) == "-1,800.00"
    legend = screen.legend.text()
    assert "below danger (&lt; 90%)" in legend and "RECOUNT" in legend
    assert "Value at stake: L10 1,850.00" in screen.value_footer.text()
    assert "2 flagged for recount" in screen.value_footer.text()
    screen.tree.sortByColumn(C_VALUE, Qt.SortOrder.DescendingOrder)  # costly first
    rows = _material_rows(screen)
    assert sorted(rows, key=lambda n: rows[n].row()) == ["COSTLY", "LOW", "FINE"]


def test_approve_a_selection_clears_its_flag(qtbot, world, ctx_factory):
    db, ids = world
    screen = _open(qtbot, ctx_factory(db, role="supervisor"))
    _select(screen, "COSTLY")
    assert screen.review.approve()
    qtbot.waitUntil(screen.is_ready, timeout=15000)
    assert "Approved for 2026-11-19: COSTLY" in screen.banner.text()
    screen.tree.expandAll()
    assert _cell(screen, "COSTLY", C_RECOUNT) == "approved"
    assert _cell(screen, "LOW", C_RECOUNT) == "RECOUNT"


class _ScriptedRecount:
    """Stands in for RecountDialog: accepts with another counter and a non-blind sheet."""

    def __init__(self, parent, materials, default_date, counters):
        self.materials, self.default_date = materials, default_date

    def exec(self):
        return QDialog.DialogCode.Accepted

    def choice(self):
        return self.default_date, "Robin", False


def test_recount_selected_with_another_counter(qtbot, world, ctx_factory):
    db, ids = world
    screen = _open(qtbot, ctx_factory(db, role="supervisor"))
    screen.review.recount_dialog = _ScriptedRecount
    _select(screen, "FINE")
    assert screen.review.recount()
    qtbot.waitUntil(screen.is_ready, timeout=15000)
    assert "1 recount(s) scheduled for 2026-11-20" in screen.banner.text()
    with db.session() as s:
        entry = s.execute(select(CountSchedule.material_id, CountSchedule.counter,
                                 CountSchedule.reason)
                          .where(CountSchedule.count_date == NEXT)).one()
    assert tuple(entry) == (ids["FINE"], "Robin", "Recount")
    screen.tree.expandAll()
    assert _cell(screen, "FINE", C_RECOUNT) == "recount 11-20"


def test_recount_dialog_defaults_next_workday_same_counter_blind(qtbot, world):
    from wics_desktop.ui.screens.count_review import SAME_COUNTER, RecountDialog

    dialog = RecountDialog(None, [], NEXT, ["Chris", "Robin"])
    qtbot.addWidget(dialog)
    assert dialog.counter.currentText() == SAME_COUNTER and dialog.blind.isChecked()
    assert dialog.choice() == (NEXT, None, True)
    dialog.counter.setEditText("Pat")
    assert dialog.choice()[1] == "Pat"


def test_schedule_all_recounts_then_count_sheets_in_one_go(qtbot, world, ctx_factory):
    db, ids = world
    ctx = ctx_factory(db, role="supervisor")
    opened = []
    ctx.opener = lambda key, **kw: opened.append((key, kw))
    screen = _open(qtbot, ctx)
    # the question's default button is "Schedule and open count sheets": press it
    screen.review.run_box = lambda box: box.defaultButton()
    assert screen.review.schedule_all()
    qtbot.waitUntil(screen.is_ready, timeout=15000)
    assert opened == [("count_sheets", {"count_date": NEXT})]
    with db.session() as s:
        scheduled = set(s.scalars(select(CountSchedule.material_id)
                                  .where(CountSchedule.count_date == NEXT)))
        sheet_blind = count_summary.build(s, D1).to_recount()
    assert scheduled == {ids["LOW"], ids["COSTLY"]}
    assert [m.recount_for for m in sheet_blind] == [NEXT, NEXT]
    # again: nothing to ask, and the banner says where the recounts are
    screen.review.run_box = lambda box: pytest.fail("nothing new to schedule: no question")
    assert not screen.review.schedule_all()
    assert "All 2 flagged material(s) are already scheduled for recount (2026-11-20)" \
        in screen.banner.text()


def test_a_clerk_sees_no_supervisor_actions(qtbot, world, ctx_factory):
    db, _ = world
    screen = _open(qtbot, ctx_factory(db, role="clerk"))
    assert not any(b.isVisible() for b in screen.review.buttons)


def test_quantity_field_shows_the_pack_expansion_live(qtbot):
    from wics_desktop.core.expressions import Packs
    from wics_desktop.ui.screens.quantity_field import QuantityField

    field = QuantityField()
    qtbot.addWidget(field)
    field.set_text("3P+2C+17")  # the material's details are not there yet: no false error
    assert field.error is None and field.is_valid() and field.value is None
    field.set_text("")
    field.set_packs(Packs.of("40 ctn/plt", "12/ctn"))
    qtbot.keyClicks(field.edit, "3P+2C+17")
    assert field.value == 161
    assert "3P+2C+17 = 3×40 + 2×12 + 17 = <b>161</b>" in field.result.text()
    field.set_packs(Packs())  # another material, without typical quantities
    assert field.value is None and "Typical pallet qty" in field.error
    field.set_text("0x10")
    assert field.value is None and "hexadecimal" in field.error


def test_parameters_screen_refuses_bands_out_of_order(qtbot, db, ctx_factory):
    from wics_desktop.ui.screens.admin_settings import ParametersScreen

    ctx = ctx_factory(db, role="admin")
    ps = ParametersScreen(ctx)
    qtbot.addWidget(ps)
    names = [ps.table.item(r, 0).text() for r in range(ps.table.rowCount())]
    assert "RECOUNT-BELOW-ACCURACY" in names and "RECOUNT-ABOVE-VALUE" in names
    ps.table.item(names.index("ACCURACY-DANGER"), 1).setText("97")
    assert not ps.save()
    assert "ACCURACY-DANGER <= ACCURACY-WARNING <= ACCURACY-SUCCESS" in ps.banner.text()
    ps.table.item(names.index("ACCURACY-WARNING"), 1).setText("97.5")
    assert ps.save(), ps.banner.text()  # both in one save: in order


def test_material_form_says_what_p_and_c_mean(qtbot, world, ctx_factory):
    from wics_desktop.ui.screens.material import MaterialScreen

    db, ids = world
    screen = MaterialScreen(ctx_factory(db, role="supervisor"))
    qtbot.addWidget(screen)
    screen.load(ids["LOW"])
    assert "1P = 40 (a pallet)" in screen.packs_hint.text()
    assert "C: no container quantity (put a number in Typical container qty)" \
        in screen.packs_hint.text()
    screen.edits["typical_container_qty"].setText("4 per box")
    assert "1C = 4 (a container)" in screen.packs_hint.text()


def test_material_history_marks_the_recount_and_the_day_it_repeats(db):
    from wics_desktop.core.services import history, reviews

    from core_fixtures import ACTOR

    with db.session() as s:
        setup_orgs(s)
        mid = material(s, "HIST")
        count(s, mid, day=D1, expr="50")
        sap(s, mid, org_id(s, "L10"), D1, 100)
        reviews.schedule_recounts(s, ACTOR, D1, NEXT)
        count(s, mid, day=NEXT, expr="100")
        rows = history.material_history(s, mid)
    assert [(r.count_date, r.count_total, r.review) for r in rows] == [
        (NEXT, 100, "recount of 2026-11-19"), (D1, 50, "recount on 2026-11-20")]


def test_count_entry_saves_packs_typed_before_the_details_arrive(qtbot, db, ctx_factory,
                                                                 monkeypatch):
    """A scanner-fast clerk: material, location and 2P+1 Enter before the side panel has
    loaded. The form does not refuse it; the save works P out from the material itself."""
    from wics_desktop.core.models import ActualCount
    from wics_desktop.ui.screens.count_entry import CountEntryScreen

    monkeypatch.setenv("WICS_TODAY", "2026-11-20")
    with db.session() as s:
        setup_orgs(s)
        mid = material(s, "BOXED", typical_pallet_qty="40 ctn/plt")
    screen = CountEntryScreen(ctx_factory(db, "clerk", "chris"))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    screen.focus_first()
    screen.ctx.runner.submit = lambda *a, **kw: None  # the side panel never arrives
    for widget, text in ((screen.material, "BOXED"), (screen.location, "D2"),
                         (screen.quantity.edit, "2P+1")):
        qtbot.keyClicks(widget, text)
        qtbot.keyClick(widget, Qt.Key.Key_Return)
    with db.session() as s:
        got = s.execute(select(ActualCount.material_id, ActualCount.expression,
                               ActualCount.quantity)).all()
    assert [tuple(r) for r in got] == [(mid, "2P+1", 81)]
