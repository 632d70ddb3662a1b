"""Header overrides (the import wizard's "this column is the Material") and the sheet preview
the wizard shows, through the same core imports the CLI runs, on both databases."""
from __future__ import annotations

import datetime as dt

import pytest

from wics_desktop.core.imports import sap_soh, schedule
from wics_desktop.core.imports.reader import inspect_sheet, sheet_names
from wics_desktop.core.imports.result import ImportRejected

from core_fixtures import ACTOR
from imports_fixtures import sap_rows, setup_reference, write_csv, write_xlsx

DAY = dt.date(2026, 11, 19)


def test_an_unrecognised_header_can_be_named(db, tmp_path):
    setup_reference(db, [("L10", "A-100"), ("L10", "B-200")])
    path = write_xlsx(tmp_path / "mb52.xlsx", [
        ["Mat. No.", "Plant", "Unrestricted", "Notes"],
        ["A-100", "1010", 5, "x"], ["B-200", "1010", 7, "y"]])
    with pytest.raises(ImportRejected) as exc, db.session() as s:
        sap_soh.import_sap_soh(s, path, DAY, actor=ACTOR)
    assert "no column Material" in str(exc.value)
    with db.session() as s:
        result = sap_soh.import_sap_soh(s, path, DAY, actor=ACTOR,
                                        headers={"Mat. No.": "part_number"})
    assert (result.rows_added, result.errors) == (2, [])
    assert sorted((r[0], r[2]) for r in sap_rows(db, DAY)) == [("A-100", 5), ("B-200", 7)]


def test_a_doubled_column_can_be_ignored(db, tmp_path):
    setup_reference(db, [("L10", "A-100")])
    path = write_xlsx(tmp_path / "schedule.xlsx", [
        ["Material", "Part Number", "CountDate", "Counter"],
        ["A-100", "old", DAY, "Chris"]], sheet="Schedule")
    with pytest.raises(ImportRejected) as exc, db.session() as s:
        schedule.import_schedule(s, path, actor=ACTOR)
    assert "both mean Material" in str(exc.value)
    with db.session() as s:
        result = schedule.import_schedule(s, path, actor=ACTOR, headers={"Part Number": None})
    assert result.rows_added == 1


def test_inspect_reports_without_raising(tmp_path):
    path = write_xlsx(tmp_path / "mb52.xlsx", [
        ["Report of stock"], [],
        ["Mat. No.", "Plnt", "Unrestricted", "Unrestricted Stock"],
        ["A-100", "1010", 5, 5]], extra_sheets=["Other"])
    preview = inspect_sheet(path, sap_soh.FIELDS)
    assert preview.sheets == ["Sheet1", "Other"] and preview.sheet == "Sheet1"
    assert preview.header_row == 3
    assert preview.fields_by_column == [None, "plant", "amount", None]
    assert [f.key for f in preview.missing] == ["part_number"]
    assert preview.duplicates == [(3, "Unrestricted Stock", "amount")]
    assert preview.rows == [["A-100", "1010", 5.0, 5.0]] and preview.data_rows == 1
    fixed = inspect_sheet(path, sap_soh.FIELDS, headers={"Mat. No.": "part_number",
                                                         "Unrestricted Stock": None})
    assert fixed.fields_by_column == ["part_number", "plant", "amount", None]
    assert fixed.missing == [] and fixed.duplicates == []


def test_inspect_csv_and_bad_files(tmp_path):
    path = write_csv(tmp_path / "s.csv", [["Material", "CountDate"], ["A", "2026-11-20"]])
    assert sheet_names(path) == []
    preview = inspect_sheet(path, schedule.FIELDS)
    assert preview.header_row == 1 and preview.fields_by_column == ["part_number", "count_date"]
    bad = tmp_path / "not.xlsx"
    bad.write_bytes(b"hello")
    with pytest.raises(ImportRejected):
        inspect_sheet(bad, schedule.FIELDS)
    with pytest.raises(ImportRejected):
        sheet_names(bad)
    empty = write_xlsx(tmp_path / "e.xlsx", [["nothing", "here"]])
    preview = inspect_sheet(empty, schedule.FIELDS)
    assert preview.header_row is None and {f.key for f in preview.missing} == {
        "part_number", "count_date"}
