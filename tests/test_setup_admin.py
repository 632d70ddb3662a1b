"""Issue 13, admin setup: organizations, SAP plants and units of measure renamed, moved and
removed by admins only, removal refused naming what refers to the row, input validated, every
change audited with before and after. Both databases."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from wics_desktop.core.actor import Actor
from wics_desktop.core.errors import InputRejected, NotPermitted, RuleViolation
from wics_desktop.core.models import AuditLog
from wics_desktop.core.services import orgs, units

from core_fixtures import ACTOR, D1, material, sap, setup_orgs

SUPERVISOR = Actor("sam", "WS-1", "supervisor")


def _audit(s, entity):
    return [(a.action, json.loads(a.before_json or "null"), json.loads(a.after_json or "null"))
            for a in s.scalars(select(AuditLog).where(AuditLog.entity == entity)
                               .order_by(AuditLog.id))]


def test_only_admins_change_organizations_plants_and_units(db):
    with db.session() as s:
        setup_orgs(s)
        calls = [lambda: orgs.add_org(s, SUPERVISOR, "L7"),
                 lambda: orgs.rename_org(s, SUPERVISOR, "L6", "L66"),
                 lambda: orgs.delete_org(s, SUPERVISOR, "L6"),
                 lambda: orgs.add_plant(s, SUPERVISOR, "FW70", "L6"),
                 lambda: orgs.move_plant(s, SUPERVISOR, "FW61", "L10"),
                 lambda: orgs.delete_plant(s, SUPERVISOR, "FW61"),
                 lambda: units.add_unit(s, SUPERVISOR, "BOX", 12),
                 lambda: units.update_unit(s, SUPERVISOR, "KPC", uom="KPC", multiplier=1,
                                           text=None),
                 lambda: units.delete_unit(s, SUPERVISOR, "KPC")]
        for call in calls:
            with pytest.raises(NotPermitted, match="admin"):
                call()
        assert [o.name for o in orgs.list_orgs(s)] == ["L10", "L6"]


def test_rename_and_remove_an_organization(db):
    with db.session() as s:
        setup_orgs(s)
        mat = material(s, "A-1")
        l10 = orgs.find_org(s, "L10").id
        for _ in range(2):
            material(s, f"B-{_}")
        sap(s, mat, l10, D1, 5)
        with pytest.raises(RuleViolation) as err:
            orgs.delete_org(s, ACTOR, "L10")
        assert str(err.value).startswith("L10 has 3 materials, 1 plant and 1 SAP stock row: "
                                         "it cannot be removed.")
        with pytest.raises(RuleViolation, match="already an organization named L6"):
            orgs.rename_org(s, ACTOR, "L10", " L6 ")
        orgs.rename_org(s, ACTOR, "L10", "L10-Fremont")
        assert orgs.find_org(s, l10).name == "L10-Fremont"
        orgs.add_org(s, ACTOR, "Empty")
        orgs.delete_org(s, ACTOR, "Empty")
        assert [o.name for o in orgs.list_orgs(s)] == ["L10-Fremont", "L6"]
        trail = _audit(s, "organization")
        assert ("update", "L10", "L10-Fremont") in [
            (a, b and b["name"], c and c["name"]) for a, b, c in trail]
        assert trail[-1][0] == "delete" and trail[-1][1]["name"] == "Empty"


def test_names_are_validated(db):
    with db.session() as s:
        setup_orgs(s)
        with pytest.raises(InputRejected, match="Please enter an organization name"):
            orgs.rename_org(s, ACTOR, "L6", "   ")
        with pytest.raises(InputRejected, match="too long: at most 250 characters"):
            orgs.add_org(s, ACTOR, "L" * 251)
        with pytest.raises(InputRejected, match="may not contain control characters"):
            orgs.add_org(s, ACTOR, "L\t7")
        with pytest.raises(InputRejected, match="may not contain control characters"):
            orgs.add_plant(s, ACTOR, "FW\n1", "L6")
        with pytest.raises(InputRejected, match="too long: at most 20 characters"):
            orgs.add_plant(s, ACTOR, "P" * 21, "L6")
        for bad in ("0", "-3", "abc", "nan", "inf", "", None):
            with pytest.raises(InputRejected, match="must be a number above 0"):
                units.add_unit(s, ACTOR, "BOX", bad)


def test_plants_listed_moved_and_removed(db):
    with db.session() as s:
        setup_orgs(s)
        material(s, "A-1", plant="FW10")
        orgs.add_plant(s, ACTOR, "FW62", "L6")
        rows = {p.plant: p for p in orgs.list_plants(s)}
        assert (rows["FW10"].org, rows["FW10"].materials) == ("L10", 1)
        assert (rows["FW62"].org, rows["FW62"].materials) == ("L6", 0)
        with pytest.raises(RuleViolation, match="Plant FW10 has 1 material: it cannot be removed"):
            orgs.delete_plant(s, ACTOR, "FW10")
        orgs.move_plant(s, ACTOR, "FW62", "L10")
        assert orgs.plant_orgs(s)["FW62"] == orgs.find_org(s, "L10").id
        orgs.delete_plant(s, ACTOR, "FW62")
        assert "FW62" not in orgs.plant_orgs(s)
        assert [a for a, *_ in _audit(s, "sap_plant")][-2:] == ["update", "delete"]


def test_units_edited_and_removed_unless_sap_uses_them(db):
    with db.session() as s:
        setup_orgs(s)
        mat = material(s, "A-1")
        l10 = orgs.find_org(s, "L10").id
        sap(s, mat, l10, D1, 2, uom="KPC")
        with pytest.raises(RuleViolation, match="KPC has 1 SAP stock row: it cannot be removed"):
            units.delete_unit(s, ACTOR, "KPC")
        with pytest.raises(RuleViolation, match="its code cannot change"):
            units.update_unit(s, ACTOR, "KPC", uom="KP", multiplier=1000, text=None)
        units.update_unit(s, ACTOR, "KPC", uom="KPC", multiplier="500", text="half thousands")
        row = {u.uom: u for u in units.list_units(s)}["KPC"]
        assert (row.multiplier, row.text, row.sap_rows) == (500, "half thousands", 1)
        with pytest.raises(RuleViolation, match="already a unit of measure EA"):
            units.add_unit(s, ACTOR, "EA", 1)
        units.add_unit(s, ACTOR, "BOX", "12", "box of twelve")
        units.update_unit(s, ACTOR, "BOX", uom="BX", multiplier=12, text="box of twelve")
        units.delete_unit(s, ACTOR, "BX")
        assert "BX" not in {u.uom for u in units.list_units(s)}
        trail = _audit(s, "unit_of_measure")
        assert trail[0][0] == "update" and (trail[0][1]["multiplier"], trail[0][2]["multiplier"]) \
            == (1000, 500)
        assert [a for a, *_ in trail] == ["update", "create", "update", "delete"]


def test_cli_lists_renames_and_removes(db, capsys):
    from wics_desktop.cli import main

    url = db.url.render_as_string(hide_password=False)

    def wics(*args):
        capsys.readouterr()
        code = main(["--db", url, *args, "--json"])
        out, err = capsys.readouterr()
        return code, (json.loads(out) if out.strip() else None), err

    for args in (["org", "add", "L10"], ["org", "add", "L6"],
                 ["plant", "add", "FW10", "--org", "L10"],
                 ["uom", "add", "BOX", "--multiplier", "12"]):
        assert wics(*args)[0] == 0
    code, doc, err = wics("org", "delete", "L10")
    assert code == 3 and "L10 has 1 plant: it cannot be removed" in err
    code, doc, _ = wics("org", "rename", "L10", "L10-Fremont")
    assert (code, doc["name"], doc["changed"]) == (0, "L10-Fremont", True)
    code, doc, _ = wics("plant", "list")
    assert doc == [{"plant": "FW10", "org": "L10-Fremont", "materials": 0, "sap_rows": 0}]
    assert wics("plant", "delete", "FW10")[:2] == (0, {"entity": "sap_plant", "key": "FW10",
                                                       "deleted": True})
    assert wics("org", "delete", "L10-Fremont")[0] == 0
    assert [o["name"] for o in wics("org", "list")[1]] == ["L6"]
    assert wics("uom", "delete", "BOX")[0] == 0
    assert "BOX" not in {u["uom"] for u in wics("uom", "list")[1]}
    assert wics("uom", "delete", "BOX")[0] == 3
