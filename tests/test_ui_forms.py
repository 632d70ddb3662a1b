"""The record forms on both databases: schedule (duplicate refused before saving), requests,
the Material screen (fields, MPNs inline, photos, read-only for clerks), part types, admin
screens, and the list screens' actions."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from wics_desktop.core.actor import Actor
from wics_desktop.core.models import (
    ActualCount,
    CountSchedule,
    ManufacturerPartNumber,
    Material,
    MaterialPhoto,
    PartType,
)
from wics_desktop.core.services import counts, menus, schedule, users
from wics_desktop.ui import errors
from wics_desktop.ui.screens.admin_menus import MenusScreen
from wics_desktop.ui.screens.admin_settings import HolidaysScreen, ParametersScreen
from wics_desktop.ui.screens.admin_users import UsersScreen
from wics_desktop.ui.screens.material import MaterialScreen
from wics_desktop.ui.screens.part_types import PartTypesScreen
from wics_desktop.ui.screens.schedule_entry import RequestEntryScreen, ScheduleEntryScreen
from wics_desktop.ui.tables.list_screens import CountsScreen, RequestsScreen

from ui_fixtures import (  # noqa: F401
    add_materials,
    ctx_factory,
    isolated_settings,
    qt_leak_guard,
)

TODAY = dt.date(2026, 11, 20)  # a Friday: the next workday is Monday the 23rd


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("WICS_TODAY", TODAY.isoformat())


@pytest.fixture
def yes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def _show(qtbot, screen):
    qtbot.addWidget(screen)
    screen.resize(1200, 760)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    screen.focus_first()
    return screen


def _enter(qtbot, widget, text):
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_schedule_refuses_a_duplicate_before_saving(qtbot, db, ctx_factory):
    ids = add_materials(db, 5)
    ctx = ctx_factory(db, "supervisor")
    monday = dt.date(2026, 11, 23)
    with db.session() as s:
        schedule.add_entry(s, ctx.actor, schedule.ScheduleInput(monday, ids[2], counter="Nate"))
    se = _show(qtbot, ScheduleEntryScreen(ctx))
    assert se.date.date().toPython() == monday  # default: the next workday
    _enter(qtbot, se.material, "M000002")
    assert se.banner.kind == "error"
    assert "A count for M000002 is already scheduled for 2026-11-23 (counter Nate)" \
        in se.banner.text()
    assert not se.save_button.isEnabled() and se.open_duplicate.isVisible()
    assert not se.save()  # Ctrl+S does not write either
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(CountSchedule)) == 1
    assert "Widget M000002" in se.material_info.text()
    # typing over it: the card and the refusal of the old material go (not left describing
    # a material that is no longer in the field)
    qtbot.keyClicks(se.material, "9")
    assert se.material_info.text() == "" and not se.open_duplicate.isVisible()
    _enter(qtbot, se.material, "")
    assert "'M0000029' is not a known material" in se.banner.text()
    assert se.material_info.text() == ""
    se.material.clear()
    _enter(qtbot, se.material, "M000002")
    assert not se.save_button.isEnabled() and se.open_duplicate.isVisible()
    # another date clears the refusal and saves
    se.date.setDate(se.date.date().addDays(1))
    assert se.save_button.isEnabled() and se.banner.kind != "error"
    se.counter.setText("Chris")
    se.reason.setCurrentText("Verify Prev Count")
    assert se.save()
    assert "Scheduled: <b>M000002</b> on <b>2026-11-24</b> for Chris" in se.banner.text()
    # ready for the next: counter and reason kept, material cleared, cursor there
    assert se.material.text() == "" and se.counter.text() == "Chris"
    with db.session() as s:
        row = s.scalars(select(CountSchedule).where(CountSchedule.count_date == dt.date(
            2026, 11, 24))).one()
        assert (row.material_id, row.counter, row.reason) == (ids[2], "Chris", "Verify Prev Count")
    # open the existing entry from the refusal and change it
    se.date.setDate(se.date.date().addDays(-1))
    _enter(qtbot, se.material, "M000002")
    se.open_duplicate.click()
    assert se.entry is not None and se.counter.text() == "Nate" and se.save_button.isEnabled()
    se.priority.setText("HOT!!!")
    assert se.save()
    with db.session() as s:
        assert s.scalar(select(CountSchedule.priority).where(
            CountSchedule.count_date == monday)) == "HOT!!!"


def test_request_and_the_requests_list(qtbot, db, ctx_factory, yes):
    ids = add_materials(db, 3)
    ctx = ctx_factory(db, "clerk", "kim", display="Kim")
    req = _show(qtbot, RequestEntryScreen(ctx))
    assert req.requestor.text() == "Kim" and not req.counter.isVisible()
    _enter(qtbot, req.material, "M000001")
    req.reason.setCurrentText("Picked for Orders")
    assert req.save()
    with db.session() as s:
        row = s.scalars(select(CountSchedule)).one()
        assert row.requestor == "Kim" and row.requested_by_id == users.get(s, "kim").id
    lst = _show(qtbot, RequestsScreen(ctx))
    qtbot.waitUntil(lambda: lst.table.model.total == 1)
    # once counted, the request is filled and leaves the open list; "show filled" brings it back
    with db.session() as s:
        counts.add_count(s, ctx.actor, counts.CountInput(row.count_date, ids[1], "Kim", "A1",
                                                         "5"))
    lst.refresh()
    qtbot.waitUntil(lambda: lst.table.model.total == 0)
    lst.show_filled.setChecked(True)
    qtbot.waitUntil(lambda: lst.table.model.rowCount() == 1 and not lst.table.model.loading)
    assert lst.table.model.row_values(0)["counted"] is True


def test_edit_a_material_and_its_mpns(qtbot, db, ctx_factory):
    ids = add_materials(db, 3)
    ctx = ctx_factory(db, "supervisor")
    with db.session() as s:
        s.add(PartType(name="AST-B", priority=1210))
        s.add(ManufacturerPartNumber(mpn="TAKEN-1", material_id=ids[2]))
    ms = _show(qtbot, MaterialScreen(ctx))
    _enter(qtbot, ms.goto, "M000001")
    assert ms.material_id == ids[1] and ms.title == "Material M000001"
    ms.edits["description"].setText("  Fan guard, 120mm  ")
    ms.edits["typical_container_qty"].setText("48/ctn")
    ms.part_type.setCurrentIndex(ms.part_type.findText("AST-B"))
    ms.price.setText("1,250.50")
    assert ms.is_dirty()
    # MPNs inline: type in the blank row; a new blank row appears
    ms.tabs.setCurrentIndex(5)
    table = ms.mpns.table
    table.item(0, 0).setText("DELTA-FG-120")
    table.item(0, 1).setText("Delta")
    assert table.rowCount() == 2
    assert ms.save(), ms.banner.text()
    assert "Saved M000001" in ms.banner.text() and "1 MPN change" in ms.banner.text()
    with db.session() as s:
        m = s.get(Material, ids[1])
        assert (m.description, m.typical_container_qty, m.price) == ("Fan guard, 120mm",
                                                                      "48/ctn", 1250.5)
        assert s.get(PartType, m.part_type_id).name == "AST-B"
        assert s.scalars(select(ManufacturerPartNumber.mpn).where(
            ManufacturerPartNumber.material_id == ids[1])).all() == ["DELTA-FG-120"]
    assert not ms.is_dirty()
    # an MPN that belongs to another material: refused with the reason, nothing half-saved
    table = ms.mpns.table
    table.item(1, 0).setText("TAKEN-1")
    ms.edits["notes"] = ms.edits["description"]  # (keep the dict shape; notes is a text box)
    ms.notes.setPlainText("changed notes")
    assert not ms.save()
    assert "already belongs to material M000002" in ms.banner.text()
    with db.session() as s:
        assert s.get(Material, ids[1]).notes is None  # the whole save was rolled back
    # edit and remove MPNs
    table.item(1, 0).setText("")
    table.item(0, 0).setText("DELTA-FG-120B")
    assert ms.save()
    ms.mpns.table.selectRow(0)
    ms.mpns.remove_selected()
    assert ms.save()
    with db.session() as s:
        assert s.scalars(select(ManufacturerPartNumber.mpn).where(
            ManufacturerPartNumber.material_id == ids[1])).all() == []
        assert s.get(Material, ids[1]).notes == "changed notes"


def test_material_photos_and_delete_refusal(qtbot, sqlite_db, ctx_factory, tmp_path, yes):
    db = sqlite_db
    ids = add_materials(db, 2)
    ctx = ctx_factory(db, "supervisor")
    with db.session() as s:
        counts.add_count(s, ctx.actor, counts.CountInput(TODAY, ids[0], "Sam", "B2", "3"))
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("steelblue"))
    path = tmp_path / "fan.png"
    assert image.save(str(path))
    ms = _show(qtbot, MaterialScreen(ctx))
    ms.open_with(material_id=ids[0])
    assert ms.photos.add_file(str(path))
    assert ms.photos.list.count() == 1 and "1 photo" in ms.photos.empty.text()
    with db.session() as s:
        photo = s.scalars(select(MaterialPhoto)).one()
        assert (photo.width, photo.height, photo.file_name) == (64, 48, "fan.png")
    ms.photos.list.setCurrentRow(0)
    assert ms.photos.remove_current()
    assert ms.photos.list.count() == 0
    # the count history tab lists its counts; deleting a counted material is refused
    qtbot.waitUntil(lambda: ms.history.model.total == 1)
    assert not ms.delete_material()
    assert "cannot be deleted: 1 count" in ms.banner.text()
    ms.open_with(material_id=ids[1])
    assert ms.delete_material()
    with db.session() as s:
        assert s.get(Material, ids[1]) is None


def test_material_is_read_only_for_clerks(qtbot, sqlite_db, ctx_factory):
    ids = add_materials(sqlite_db, 1)
    ms = _show(qtbot, MaterialScreen(ctx_factory(sqlite_db, "clerk")))
    ms.open_with(material_id=ids[0])
    assert ms.edits["description"].isReadOnly() and not ms.save_button.isVisible()
    assert not ms.save() and not ms.is_dirty()
    assert not ms.mpns.remove_button.isVisible() and not ms.photos.add_button.isVisible()
    assert "Read only" in ms.banner.text()


def test_part_types_add_and_remove_refused_in_use(qtbot, db, ctx_factory, yes):
    add_materials(db, 2, part_type="AST-A")
    pt = _show(qtbot, PartTypesScreen(ctx_factory(db, "supervisor")))
    assert pt.new()
    pt.name.setText("CN-B")
    pt.priority.setText("1410")
    assert pt.save()
    with db.session() as s:
        assert s.scalar(select(PartType.priority).where(PartType.name == "CN-B")) == 1410
    names = [pt.list.item(r, 0).text() for r in range(pt.list.rowCount())]
    pt._select_row(names.index("AST-A"))
    qtbot.waitUntil(lambda: pt.materials.model.total == 2)
    assert not pt.remove()
    assert "used by 2 materials" in pt.banner.text()
    names = [pt.list.item(r, 0).text() for r in range(pt.list.rowCount())]
    pt._select_row(names.index("CN-B"))
    assert pt.remove() and "has been removed" in pt.banner.text()


def test_admin_screens(qtbot, db, ctx_factory, yes):
    ctx = ctx_factory(db, "admin", "root")
    us = _show(qtbot, UsersScreen(ctx))
    with db.session() as s:
        users.create_user(s, "nate", "nate-password", role="clerk", actor=Actor.system())
    us.refresh()
    qtbot.waitUntil(lambda: us.list.model.rowCount() == 2 and not us.list.model.loading)
    row = next(r for r in range(2) if us.list.model.row_values(r)["username"] == "nate")
    us._pick(us.list.model.row_id(row))
    us.role.setCurrentText("supervisor")
    us.group.setCurrentIndex(us.group.findData("Supervisors"))
    assert us.save()
    assert us.reset_password()
    temporary = us.banner.text().split("<tt>")[1].split("</tt>")[0]
    with db.session() as s:
        nate = users.authenticate(s, "nate", temporary)
        assert nate.role == "supervisor" and nate.menu_group == "Supervisors"
        assert nate.must_change_password
    # the last admin cannot be demoted: said plainly
    qtbot.waitUntil(lambda: us.list.model.rowCount() == 2)
    row = next(r for r in range(2) if us.list.model.row_values(r)["username"] == "root")
    us._pick(us.list.model.row_id(row))
    us.role.setCurrentText("clerk")
    assert not us.save() and "last active admin" in us.banner.text()

    ps = _show(qtbot, ParametersScreen(ctx))
    names = [ps.table.item(r, 0).text() for r in range(ps.table.rowCount())]
    ps.table.item(names.index("ACCURACY-DANGER"), 1).setText("eighty")
    assert not ps.save() and "must be a number" in ps.banner.text()
    ps.table.item(names.index("ACCURACY-DANGER"), 1).setText("80")
    assert ps.save() and not ps.is_dirty()

    hs = _show(qtbot, HolidaysScreen(ctx))
    assert "2026-11-23" in hs.next_workday.text()
    hs.new_date.setDate(hs.new_date.date().addDays(3))  # Monday the 23rd
    hs.new_name.setText("Inventory day")
    assert hs.add()
    assert "2026-11-24" in hs.next_workday.text()  # the next workday moved

    mn = _show(qtbot, MenusScreen(ctx))
    mn.group.setCurrentIndex(mn.group.findData("Clerks"))
    mn.title_edit.setText("Counting (night shift)")
    mn.add_option()
    assert mn.save(), mn.banner.text()
    with db.session() as s:
        clerk_menu = menus.get_menu(s, "Clerks", 0)
    assert clerk_menu.title == "Counting (night shift)" and len(clerk_menu.options) == 6


def test_counts_list_actions(qtbot, db, ctx_factory, yes, monkeypatch):
    ids = add_materials(db, 2)
    ctx = ctx_factory(db, "supervisor")
    with db.session() as s:
        line = counts.add_count(s, ctx.actor, counts.CountInput(TODAY, ids[0], "Sam", "B2", "3"))
    opened = []
    ctx.opener = lambda key, **kw: opened.append((key, kw))
    cl = _show(qtbot, CountsScreen(ctx))
    qtbot.waitUntil(lambda: cl.table.model.rowCount() == 1 and not cl.table.model.loading)
    cl.table.view.selectRow(0)
    qtbot.keyClick(cl.table.view, Qt.Key.Key_Return)  # Enter = the first action
    assert opened == [("count_entry", {"count_id": line.id})]
    from wics_desktop.ui.screens import common
    monkeypatch.setattr(common, "ask_date", lambda *a, **k: TODAY + dt.timedelta(days=1))
    cl._copy([line.id])
    qtbot.waitUntil(lambda: cl.table.model.rowCount() == 2 and not cl.table.model.loading)
    errors_before = errors.collected
    cl.table.view.selectAll()
    delete = next(a for a in cl.table.row_actions if a.text.startswith("Delete"))
    assert delete.action.shortcut().toString() == "Del"
    delete.action.trigger()  # what the Delete key does in the list
    qtbot.waitUntil(lambda: cl.table.model.total == 0)
    assert errors.collected is errors_before
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ActualCount)) == 0
