"""Issue 13: the admin screens for organizations, SAP plants and units of measure: list,
add, edit, remove (refused naming what refers to the row), input checked, admins only."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from wics_desktop.core.models import AuditLog, Material
from wics_desktop.core.services import orgs, units
from wics_desktop.ui import screen_registry
from wics_desktop.ui.screens.admin_setup import OrganizationsScreen, PlantsScreen, UnitsScreen

from ui_fixtures import (  # noqa: F401
    add_materials,
    ctx_factory,
    isolated_settings,
    qt_leak_guard,
)


@pytest.fixture
def yes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def _show(qtbot, screen):
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    qtbot.waitExposed(screen)
    with qtbot.waitActive(screen):
        screen.activateWindow()
    return screen


def _rows(screen):
    return [tuple(screen.list.item(r, c).text() for c in range(screen.list.columnCount()))
            for r in range(screen.list.rowCount())]


def _select(screen, text):
    for r in range(screen.list.rowCount()):
        if screen.list.item(r, 0).text() == text:
            screen.list.setCurrentCell(r, 0)
            return
    raise AssertionError(f"{text} not listed")


def test_the_setup_screens_are_for_admins(db):
    for key in ("organizations", "sap_plants", "units"):
        spec = screen_registry.get(key)
        assert spec is not None and spec.permission == "edit_orgs"
    from wics_desktop.core.services.users import can
    assert can("admin", "edit_orgs") and not can("supervisor", "edit_orgs")


def test_organizations_add_rename_and_refused_removal(qtbot, db, ctx_factory, yes):
    add_materials(db, 3, org="L10")
    admin = ctx_factory(db, "admin", "ada")
    with db.session() as s:
        orgs.add_plant(s, admin.actor, "FW10", "L10")
    scr = _show(qtbot, OrganizationsScreen(admin))
    assert _rows(scr) == [("L10", "FW10", "3")]
    # remove refused, naming what refers to it
    _select(scr, "L10")
    assert not scr.remove()
    assert scr.banner.kind == "error"
    assert "L10 has 3 materials and 1 plant: it cannot be removed" in scr.banner.text()
    # New, typed as a user does, Enter saves
    scr.new()
    qtbot.keyClicks(scr.name, "L6")
    qtbot.keyClick(scr.name, Qt.Key.Key_Return)
    assert scr.banner.kind == "success", scr.banner.text()
    assert [r[0] for r in _rows(scr)] == ["L10", "L6"]
    # a blank name and a name with a tab are refused with a sentence
    scr.name.setText("   ")
    assert not scr.save() and "Please enter an organization name" in scr.banner.text()
    scr.name.setText("L\t6")
    assert not scr.save() and "control characters" in scr.banner.text()
    scr.new()
    scr.name.setText("L10")
    assert not scr.save() and "already an organization named L10" in scr.banner.text()
    # rename, then remove the unused one
    _select(scr, "L6")
    scr.name.setText("L6-Penang")
    assert scr.save()
    assert [r[0] for r in _rows(scr)] == ["L10", "L6-Penang"]
    assert scr.remove() and [r[0] for r in _rows(scr)] == ["L10"]
    with db.session() as s:
        actions = s.scalars(select(AuditLog.action).where(AuditLog.entity == "organization")
                            .order_by(AuditLog.id)).all()
    assert actions[-3:] == ["create", "update", "delete"]


def test_plants_add_move_and_refused_removal(qtbot, db, ctx_factory, yes):
    ids = add_materials(db, 2, org="L10", plant="FW10")
    admin = ctx_factory(db, "admin", "ada")
    with db.session() as s:
        orgs.add_org(s, admin.actor, "L6")
        orgs.add_plant(s, admin.actor, "FW10", "L10")
    scr = _show(qtbot, PlantsScreen(admin))
    assert _rows(scr) == [("FW10", "L10", "2", "0")]
    assert scr.code.isReadOnly()
    assert not scr.remove() and "Plant FW10 has 2 materials" in scr.banner.text()
    scr.new()
    qtbot.keyClicks(scr.code, "FW61")
    scr.org.setCurrentText("L6")
    assert scr.save(), scr.banner.text()
    assert ("FW61", "L6", "0", "0") in _rows(scr)
    scr.new()
    scr.code.setText("FW61")
    assert not scr.save() and "exists already" in scr.banner.text()
    _select(scr, "FW61")
    scr.org.setCurrentText("L10")
    assert scr.save()
    assert ("FW61", "L10", "0", "0") in _rows(scr)
    _select(scr, "FW61")
    assert scr.remove() and [r[0] for r in _rows(scr)] == ["FW10"]
    with db.session() as s:
        assert s.scalar(select(Material.plant).where(Material.id == ids[0])) == "FW10"


def test_units_edit_multiplier_validation_and_removal(qtbot, db, ctx_factory, yes):
    admin = ctx_factory(db, "admin", "ada")
    scr = _show(qtbot, UnitsScreen(admin))
    assert ("KPC", "1,000", "Thousand pieces", "0") in _rows(scr)
    scr.new()
    qtbot.keyClicks(scr.code, "BOX")
    qtbot.keyClick(scr.code, Qt.Key.Key_Return)
    assert scr.multiplier.hasFocus()
    for bad in ("0", "-2", "twelve", ""):
        scr.multiplier.setText(bad)
        assert not scr.save()
        assert "The multiplier of BOX must be a number above 0" in scr.banner.text()
    scr.multiplier.setText("12")
    scr.text.setText("box of twelve")
    assert scr.save(), scr.banner.text()
    assert ("BOX", "12", "box of twelve", "0") in _rows(scr)
    scr.text.setText("x" * 101)
    assert not scr.save() and "at most 100 characters" in scr.banner.text()
    scr.text.setText("box of 24")
    scr.multiplier.setText("24")
    assert scr.save()
    with db.session() as s:
        assert {u.uom: u.multiplier for u in units.list_units(s)}["BOX"] == 24
    _select(scr, "BOX")
    assert scr.remove()
    assert "BOX" not in [r[0] for r in _rows(scr)]
