"""Material lists and the locations report."""
from __future__ import annotations

import datetime as dt

import pytest

from wics_desktop.core import params
from wics_desktop.core.reports import locations, material_lists

from core_fixtures import D1, D2, count, material, org_id, sap, sched, setup_orgs

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def world(db):
    with db.session() as s:
        setup_orgs(s)
        l10 = org_id(s, "L10")
        ids = dict(
            a=material(s, "A-100", part_type="AST-B"), b=material(s, "B-200", part_type="AST-A"),
            c=material(s, "C-300", part_type="AST-A"), d=material(s, "D-400"),
            old=material(s, "OLD-1"))
        count(s, ids["a"], D1, location="X1")
        count(s, ids["b"], dt.date(2026, 10, 1), location="Y1")
        count(s, ids["c"], D2, location="X1", location_only=True)
        count(s, ids["old"], dt.date(2026, 9, 1), location="Q9")  # long ago, no SAP: hidden
        sap(s, ids["a"], l10, D1, 2, "KPC", value=100.0, sloc="0001")
        sap(s, ids["a"], l10, D1, 1, "EA", value=0.5, sloc="0002")
        sap(s, ids["b"], l10, D1, 10, value=1000.0)
        sched(s, ids["d"], TODAY)
        sched(s, ids["d"], dt.date(2026, 11, 24))
        sched(s, ids["a"], dt.date(2026, 11, 23))
        return db, ids


def test_by_part_type(world):
    db, _ = world
    with db.session() as s:
        report = material_lists.build(s, "part-type", as_of=TODAY)
    assert [(r.part_type, r.material) for r in report.rows] == [
        ("AST-A", "B-200"), ("AST-A", "C-300"), ("AST-B", "A-100"), ("UNKNOWN", "D-400"),
        ("UNKNOWN", "OLD-1")]
    a = report.rows[2]
    assert (a.sap_qty, a.total_value, a.currency, a.last_found_at) == (2001, 100.5, "USD", ["X1"])
    assert a.unit_value == pytest.approx(100.5 / 2001)
    assert (a.scheduled_today, a.next_scheduled) == (False, dt.date(2026, 11, 23))
    d = report.rows[3]
    assert (d.sap_qty, d.total_value, d.scheduled_today, d.next_scheduled) == (
        None, None, True, dt.date(2026, 11, 24))


def test_by_last_count_sap_first(world):
    db, _ = world
    with db.session() as s:
        report = material_lists.build(s, "last-count", as_of=TODAY)
    assert [r.material for r in report.rows] == ["B-200", "A-100", "D-400", "OLD-1", "C-300"]


def test_by_value(world):
    db, _ = world
    with db.session() as s:
        report = material_lists.build(s, "value", as_of=TODAY)
    assert [r.material for r in report.rows][:2] == ["B-200", "A-100"]
    doc = report.as_dict()
    assert doc["by"] == "value" and doc["sap_dates"] == {"L10": "2026-11-19", "L6": None}


def test_locations_report(world):
    db, _ = world
    with db.session() as s:
        params.set_value(s, params.LOCRPT_COUNTDAYS_IFNOSAP, "30")
        report = locations.build(s, as_of=TODAY)
    names = [m.material for m in report.materials]
    assert names == ["A-100", "B-200", "C-300"] and report.hidden == 2  # OLD-1 and D-400
    a = report.materials[0]
    assert [(x.storage_location, x.quantity) for x in a.sap_locations] == [("0001", 2000),
                                                                           ("0002", 1)]
    assert [(g.location, [e.material for e in g.materials]) for g in report.locations] == [
        ("Q9", ["OLD-1"]), ("X1", ["A-100", "C-300"]), ("Y1", ["B-200"])]


def test_lists_to_xlsx(world, tmp_path):
    from openpyxl import load_workbook

    db, _ = world
    with db.session() as s:
        material_lists.to_xlsx(material_lists.build(s, "value", as_of=TODAY), tmp_path / "v.xlsx")
        locations.to_xlsx(locations.build(s, as_of=TODAY), tmp_path / "l.xlsx")
    ws = load_workbook(tmp_path / "v.xlsx").active
    assert ws["A1"].value == "Material" and ws["A2"].value == "B-200" and ws.freeze_panes == "A2"
    assert ws.column_dimensions["D"].width == 36
    assert load_workbook(tmp_path / "l.xlsx").sheetnames == ["Material Locations", "Location List"]
