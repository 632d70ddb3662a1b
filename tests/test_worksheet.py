"""Worksheet data: by counter (unassigned last), by location (walk order), blind mode."""
from __future__ import annotations

import json

import pytest

from wics_desktop.core.reports import worksheet

from core_fixtures import D1, D2, count, material, org_id, sap, sched, setup_orgs


@pytest.fixture
def world(db):
    with db.session() as s:
        setup_orgs(s)
        l10 = org_id(s, "L10")
        a, b, c, d = (material(s, p, typical_container_qty="48/ctn", notes=f"note {p}")
                      for p in ("A-100", "B-200", "C-300", "D-400"))
        sched(s, a, counter="Chris", priority="HOT", reason="Received Material", notes="dock")
        sched(s, b, counter="Alex")
        sched(s, c)  # no counter
        sched(s, d, counter="Chris")
        count(s, a, D1, location="Z-9")
        count(s, a, D1, location="D2", location_only=True)
        count(s, b, D1, location="D2")
        sap(s, a, l10, D1, 5, "KPC")
        sap(s, c, l10, D1, 7)
        material(s, "UNSCHEDULED")
        return db, dict(a=a, b=b, c=c, d=d)


def test_by_counter(world):
    db, _ = world
    with db.session() as s:
        sheet = worksheet.build(s, D2)
    assert [(g.counter, [m.material for m in g.materials]) for g in sheet.groups] == [
        ("Alex", ["B-200"]), ("Chris", ["A-100", "D-400"]), (None, ["C-300"])]
    a = sheet.groups[1].materials[0]
    assert (a.last_count_date, a.last_found_at, a.sap_qty) == (D1, ["D2", "Z-9"], 5000)
    assert (a.priority, a.reason, a.schedule_notes, a.material_notes, a.typical_container_qty) == (
        "HOT", "Received Material", "dock", "note A-100", "48/ctn")
    d = sheet.groups[1].materials[1]
    assert (d.last_count_date, d.last_found_at, d.sap_qty) == (None, [], 0)
    doc = sheet.as_dict()
    assert doc["groups"][2]["counter"] is None and doc["by"] == "counter"
    assert doc["groups"][1]["materials"][0]["sap_qty"] == 5000
    assert doc["groups"][1]["materials"][0]["last_found_at"] == ["D2", "Z-9"]


def test_by_location_walk_order(world):
    db, _ = world
    with db.session() as s:
        sheet = worksheet.build(s, D2, by="location")
    assert [(g.location, [m.material for m in g.materials]) for g in sheet.groups] == [
        ("D2", ["A-100", "B-200"]), ("Z-9", ["A-100"]), (None, ["C-300", "D-400"])]
    doc = sheet.as_dict()
    first = doc["groups"][0]
    assert first["location"] == "D2" and first["materials"][1]["counter"] == "Alex"


@pytest.mark.parametrize("by", ["counter", "location"])
def test_blind_has_no_book_quantity_anywhere(world, by):
    db, _ = world
    with db.session() as s:
        doc = worksheet.build(s, D2, by=by, blind=True).as_dict()
    assert doc["blind"] is True
    text = json.dumps(doc)
    assert "sap" not in text and "5000" not in text


def test_empty_day(db):
    with db.session() as s:
        setup_orgs(s)
        sheet = worksheet.build(s, D2)
    assert sheet.groups == [] and sheet.as_dict()["groups"] == []


def test_sheets_follow_the_zones_walk_order(world):
    from wics_desktop.core.services import zones

    from core_fixtures import ACTOR

    db, ids = world
    with db.session() as s:
        count(s, ids["d"], D1, location="A-1")
        zones.save_zone(s, ACTOR, 1, "Dock")
        zones.save_zone(s, ACTOR, 2, "Racks")
        zones.set_location_zone(s, ACTOR, "Z-9", 1)
        zones.set_location_zone(s, ACTOR, "A-1", 2)
        zones.set_location_zone(s, ACTOR, "D2", 2)
        zones.move_zone(s, ACTOR, 2, -1)  # the racks are walked before the dock
        by_counter = worksheet.build(s, D2)
        by_location = worksheet.build(s, D2, by="location")
    chris = next(g for g in by_counter.groups if g.counter == "Chris")
    # D-400 in A-1 (Racks) before A-100, whose first place in the walk is D2 (Racks, after A-1)
    assert [(m.material, m.zone) for m in chris.materials] == [("D-400", "Racks"),
                                                                ("A-100", "Racks")]
    assert by_counter.as_dict()["groups"][1]["materials"][0]["zone"] == "Racks"
    assert [g.location for g in by_location.groups] == ["A-1", "D2", "Z-9", None]
    with db.session() as s:
        zones.move_zone(s, ACTOR, 1, -1)  # the dock first again
        chris = next(g for g in worksheet.build(s, D2).groups if g.counter == "Chris")
    assert [m.material for m in chris.materials] == ["A-100", "D-400"]
