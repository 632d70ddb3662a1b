"""SAP material master (MM60) update on both databases: add, remove (scoped, guarded), keep with
reasons, update chosen fields, dry run, row errors (NBSP, unknown plant, repeats)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from wics_desktop.core.actor import Actor
from wics_desktop.core.imports.mm60 import import_mm60, parse_update_fields
from wics_desktop.core.imports.result import ImportRejected
from wics_desktop.core.models import (
    UNKNOWN_PART_TYPE,
    ActualCount,
    CountSchedule,
    ManufacturerPartNumber,
    Material,
    MaterialPhoto,
    PartType,
    SapStock,
)

from core_fixtures import ACTOR
from imports_fixtures import audit_actions, errors_by, material_ids, setup_reference, write_xlsx

HEADER = ["Material", "Plant", "Valuation Type", "Material description", "Last Change",
          "Material type", "Material Group", "Base Unit of Measure", "Purchasing Group",
          "ABC Indicator", "MRP Type", "Valuation Class", "Price control", "Price", "Currency",
          "Price unit", "Created by"]


def mm60_row(part, plant, desc="", mtype="ZROH", group="05", abc="", price=None, currency="USD",
             unit=None):
    return [part, plant, None, desc, dt.date(2022, 3, 1), mtype, group, "KPC", "P01", abc, "PD",
            "3000", "S", price, currency, unit, "SAPUSER"]


def run(db, path, **kw):
    with db.session() as s:
        return import_mm60(s, path, actor=Actor("tester", "ws1", "supervisor"), **kw)


def materials(db):
    with db.session() as s:
        rows = s.execute(select(Material.part_number, Material.org_id, Material.description,
                                Material.price, Material.price_unit, Material.currency,
                                PartType.name)
                         .outerjoin(PartType, PartType.id == Material.part_type_id)).all()
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


@pytest.fixture
def ref(db):
    orgs = setup_reference(db, [("L6", "KEEP-1"), ("L6", "GONE-1"), ("L6", "COUNTED"),
                                ("L6", "SCHEDULED"), ("L6", "IN-SAP"), ("L10", "L10-ONLY"),
                                ("L10", "SHARED")])
    ids = material_ids(db)
    with db.session() as s:
        s.add(ActualCount(uuid="u1", count_date=dt.date(2026, 1, 5),
                          material_id=ids["L6", "COUNTED"], counter="Chris", location="A1",
                          expression="5", quantity=5))
        s.add(ActualCount(uuid="u2", count_date=dt.date(2026, 1, 6),
                          material_id=ids["L6", "COUNTED"], counter="Chris", location="A1",
                          expression="6", quantity=6))
        s.add(CountSchedule(count_date=dt.date(2026, 1, 7), material_id=ids["L6", "SCHEDULED"]))
        s.add(SapStock(upload_date=dt.date(2026, 1, 2), org_id=orgs["L6"], part_number="IN-SAP",
                       material_id=ids["L6", "IN-SAP"], amount=3))
        s.add(MaterialPhoto(material_id=ids["L6", "GONE-1"], image=b"\x89PNG",
                            content_type="image/png"))
        s.add(ManufacturerPartNumber(mpn="MFR-9", material_id=ids["L6", "GONE-1"]))
    return orgs


def test_add_remove_keep_scoped_to_the_orgs_in_the_file(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "mm60.xlsx", [
        HEADER,
        mm60_row("KEEP-1", "FW61", "Kept one"),
        mm60_row("NEW-1", "FW62", "Brand new", price="302,230.00", unit="1,000"),
        mm60_row(1115416.0, "FW61", "Numeric part", price=12.5, unit=1.0),
        mm60_row("SHARED", "FW61", "Now in L6 too"),
    ])
    result = run(db, path)
    assert result.written and not result.errors
    assert result.added == ["1115416", "NEW-1", "SHARED (L6)"]
    assert result.removed == ["GONE-1"]
    assert result.kept == [
        {"material": "COUNTED", "reason": "2 counts refer to it"},
        {"material": "IN-SAP", "reason": "1 SAP stock row refers to it"},
        {"material": "SCHEDULED", "reason": "1 schedule entry refers to it"},
    ]
    assert (result.rows_added, result.rows_removed, result.rows_updated) == (3, 1, 0)
    l6, l10 = ref["L6"], ref["L10"]
    mats = materials(db)
    assert mats["NEW-1", l6] == ("Brand new", 302230.0, 1000, "USD", UNKNOWN_PART_TYPE)
    assert mats["1115416", l6][0] == "Numeric part"
    assert ("GONE-1", l6) not in mats
    # L10 is not in the file: its materials are untouched
    assert ("L10-ONLY", l10) in mats and ("SHARED", l10) in mats
    with db.session() as s:  # the removed material's photo and MPN went with it
        assert s.scalar(select(MaterialPhoto.id)) is None
        assert s.scalar(select(ManufacturerPartNumber.id)) is None
    assert audit_actions(db) == ["delete", "import-mm60"]  # the removal, with old values


def test_dry_run_reports_and_writes_nothing(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "mm60.xlsx", [HEADER, mm60_row("KEEP-1", "FW61", "Renamed"),
                                               mm60_row("NEW-1", "FW61")])
    before = materials(db)
    result = run(db, path, dry_run=True, update=["Description"])
    assert result.written is False and result.dry_run
    assert result.added == ["NEW-1"] and "GONE-1" in result.removed
    assert result.changed == [{"material": "KEEP-1", "field": "Description",
                               "old": "desc KEEP-1", "new": "Renamed"}]
    assert materials(db) == before and audit_actions(db) == []


def test_keep_missing_turns_removal_off(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "mm60.xlsx", [HEADER, mm60_row("KEEP-1", "FW61")])
    result = run(db, path, keep_missing=True)
    assert result.removed == [] and result.kept == [] and result.rows_removed == 0
    assert ("GONE-1", ref["L6"]) in materials(db)


def test_update_only_chosen_fields_non_blank_and_different(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "mm60.xlsx", [
        HEADER,
        mm60_row("KEEP-1", "FW61", "New text", mtype="ZHLB", price=10.0, unit=1000.0,
                 currency="EUR"),
        mm60_row("COUNTED", "FW61", "", mtype="", price=None, currency=""),  # blanks change nothing
    ])
    result = run(db, path, update=parse_update_fields("description, price"), keep_missing=True)
    fields = sorted((c["material"], c["field"], c["new"]) for c in result.changed)
    assert fields == [("KEEP-1", "Currency", "EUR"), ("KEEP-1", "Description", "New text"),
                      ("KEEP-1", "Price", 10.0), ("KEEP-1", "PriceUnit", 1000)]
    assert result.rows_updated == 1
    mats = materials(db)
    assert mats["KEEP-1", ref["L6"]][:4] == ("New text", 10.0, 1000, "EUR")
    assert mats["COUNTED", ref["L6"]][0] == "desc COUNTED"
    with db.session() as s:  # material type was not chosen
        assert s.scalar(select(Material.sap_material_type)
                        .where(Material.part_number == "KEEP-1")) is None
    again = run(db, path, update=["Description", "Price"], keep_missing=True)
    assert again.changed == [] and again.rows_updated == 0


def test_row_errors_nbsp_unknown_plant_repeats(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "mm60.xlsx", [
        HEADER,
        mm60_row("KEEP-1", "FW61"),          # 2
        mm60_row("1094081-05\xa0", "FW61"),  # 3 NBSP
        mm60_row("TAB\tPART", "FW61"),       # 4 tab
        mm60_row("NEW-2", "ZZ01"),           # 5 unknown plant
        mm60_row("KEEP-1", "FW62"),          # 6 same org (L6) via another plant
        mm60_row("KEEP-1", "FW61"),          # 7 plain repeat
        mm60_row("NEW-3", "FW61", unit="ten"),  # 8 bad price unit
        mm60_row(None, "FW61"),              # 9 blank: ignored
    ])
    result = run(db, path, keep_missing=True)
    assert errors_by(result) == [(3, "Material"), (4, "Material"), (5, "Plant"), (6, "Material"),
                                 (7, "Material"), (8, "Price unit")]
    msg = {e.row: e.message for e in result.errors}
    assert "1094081-05\\xa0" in msg[3] and "non-breaking space" in msg[3]
    assert "already in row 2; row 2 was used" in msg[6] and "row 2 was used" in msg[7]
    assert "'ZZ01' is not known" in msg[5]
    assert result.rows_ignored == 1 and result.added == []
    with pytest.raises(ImportRejected):
        run(db, path, strict=True)


def test_rejected_row_of_an_existing_material_does_not_remove_it(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "mm60.xlsx", [HEADER, mm60_row("KEEP-1", "FW61"),
                                               mm60_row("GONE-1", "FW61", price="cheap")])
    result = run(db, path)
    assert "GONE-1" not in result.removed and errors_by(result) == [(3, "Price")]


def test_unknown_part_type_created_when_absent(db, ref, tmp_path):
    with db.session() as s:
        s.execute(PartType.__table__.delete())
    result = run(db, write_xlsx(tmp_path / "m.xlsx", [HEADER, mm60_row("NEW-1", "FW61")]),
                 keep_missing=True)
    assert result.added == ["NEW-1"]
    assert materials(db)["NEW-1", ref["L6"]][-1] == UNKNOWN_PART_TYPE


def test_update_field_names(tmp_path):
    assert parse_update_fields("Description,SAPMaterialType, sapmpn ,Price") == (
        "Description", "SAPMaterialType", "SAPMPN", "Price")
    assert parse_update_fields("") == ()
    with pytest.raises(ValueError, match="unknown --update field 'Colour'"):
        parse_update_fields("Description,Colour")


def test_missing_header_is_fatal(db, ref, tmp_path):
    with pytest.raises(ImportRejected, match="no column Plant"):
        run(db, write_xlsx(tmp_path / "m.xlsx", [["Material", "Material description"], ["A", "b"]]))


def test_queries_do_not_grow_with_rows(db, ref, tmp_path, count_queries):
    small = write_xlsx(tmp_path / "s.xlsx",
                       [HEADER] + [mm60_row(f"N-{i}", "FW61") for i in range(5)])
    big = write_xlsx(tmp_path / "b.xlsx",
                     [HEADER] + [mm60_row(f"N-{i}", "FW61") for i in range(1500)])
    with count_queries(db.engine) as q1:
        run(db, small, dry_run=True, update=["Description", "Price"])
    with count_queries(db.engine) as q2:
        run(db, big, dry_run=True, update=["Description", "Price"])
    assert q1.count == q2.count < 15


def test_failure_or_cancel_while_applying_changes_nothing(db, ref, tmp_path, monkeypatch):
    from wics_desktop.core import dialect
    from wics_desktop.core.errors import Cancelled
    from wics_desktop.core.progress import RecordingProgress

    path = write_xlsx(tmp_path / "m.xlsx", [HEADER, mm60_row("KEEP-1", "FW61", "Renamed"),
                                            mm60_row("NEW-1", "FW61")])
    before = materials(db)
    progress = RecordingProgress()
    with db.session() as s:  # see where the apply steps are, then roll back
        import_mm60(s, path, update=["Description"], progress=progress, actor=ACTOR)
        s.rollback()
    first_apply = next(i for i, st in enumerate(progress.steps)
                       if st[2] == "Updating the material list")
    with pytest.raises(Cancelled):  # cancel after GONE-1 was deleted, before the insert
        run(db, path, update=["Description"], progress=RecordingProgress(cancel_at=first_apply + 2))
    assert materials(db) == before

    def broken(*a, **k):
        raise RuntimeError("connection lost")

    monkeypatch.setattr(dialect, "update_by_id", broken)
    with pytest.raises(RuntimeError):
        run(db, path, update=["Description"])
    assert materials(db) == before and audit_actions(db) == []
