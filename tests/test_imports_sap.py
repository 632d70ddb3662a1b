"""SAP stock on hand (MB52) import on both databases: rows, errors, strict/lenient, same-date
replace, atomicity under failure and cancel, progress, set-based queries."""
from __future__ import annotations

import datetime as dt

import pytest

from wics_desktop.core import dialect
from wics_desktop.core.actor import Actor
from wics_desktop.core.errors import Cancelled
from wics_desktop.core.imports.result import ImportRejected
from wics_desktop.core.imports.sap_soh import import_sap_soh
from wics_desktop.core.progress import RecordingProgress

from imports_fixtures import (
    MB52_HEADER,
    SapStock,
    audit_actions,
    count_rows,
    errors_by,
    sap_rows,
    setup_reference,
    write_csv,
    write_xls,
    write_xlsx,
)

DAY = dt.date(2026, 11, 20)
MATERIALS = [("L10", "1115416"), ("L10", "07001541"), ("L6", "A-100"), ("L6", "1115416"),
             ("L10", "B-200")]


def mb52(*rows):
    """MB52 rows: (Material, Plant, Storage location, Unrestricted[, Base UoM])."""
    out = [MB52_HEADER]
    for r in rows:
        part, plant, sloc, amount, *rest = r
        uom = rest[0] if rest else "EA"
        out.append([part, plant, "desc", "ZROH", sloc, uom, amount, "USD", 1.5, None, 0.0, None,
                    None, None])
    return out


@pytest.fixture
def ref(db):
    return setup_reference(db, MATERIALS)


def run(db, path, day=DAY, **kw):
    with db.session() as s:
        return import_sap_soh(s, path, day, actor=Actor("tester", "ws1", "supervisor"), **kw)


def test_imports_rows_as_excel_writes_them(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "mb52.xlsx", mb52(
        (1115416.0, "1010", "0001", 10.0),       # a part number stored as a number
        ("07001541", "1010", "0002", "10,000"),  # a number stored as text with separators
        ("A-100", "FW61", "0001", 302230.0, "KPC"),
        ("A-100", "FW62", "0009", None),         # blank amount is 0
        (1115416.0, "FW62", "0001", "1,234.50"),  # same part number, other org (via plant)
    ))
    result = run(db, path)
    assert result.written and not result.errors
    assert (result.rows_read, result.rows_added, result.rows_ignored) == (5, 5, 0)
    rows = sap_rows(db, DAY)
    assert rows == [("1115416", "0001", 10.0, DAY), ("07001541", "0002", 10000.0, DAY),
                    ("A-100", "0001", 302230.0, DAY), ("A-100", "0009", 0.0, DAY),
                    ("1115416", "0001", 1234.5, DAY)]
    with db.session() as s:
        from sqlalchemy import select

        from wics_desktop.core.models import Material

        linked = s.execute(select(SapStock.part_number, SapStock.org_id, Material.org_id)
                           .join(Material, Material.id == SapStock.material_id)).all()
    assert len(linked) == 5 and all(a == b for _, a, b in linked)
    assert audit_actions(db) == ["import-sap-soh"]


def test_every_row_problem_reported_with_row_and_column(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "mb52.xlsx", mb52(
        ("1115416", "1010", "0001", 5),          # row 2 fine
        ("NOPE-1", "1010", "0001", 5),           # row 3 unknown material
        ("A-100", "XX99", "0001", 5),            # row 4 unknown plant
        ("B-200", "FW61", "0001", 5),            # row 5 part of L10, plant of L6
        ("B-200", "1010", "0001", "lots"),       # row 6 not a number
        (None, "1010", "0001", 5),               # row 7 blank material: ignored
        ("B-200", None, "0001", 5),              # row 8 plant missing
        ("B-200", "1010", "X" * 21, 5),          # row 9 storage location too long
    ))
    result = run(db, path)
    assert errors_by(result) == [(3, "Material"), (4, "Plant"), (5, "Material"),
                                 (6, "Unrestricted"), (8, "Plant"), (9, "Storage location")]
    messages = {e.row: e.message for e in result.errors}
    assert "Material NOPE-1 does not exist in organization L10 (plant 1010)" in messages[3]
    assert "The SAP plant 'XX99' is not known" in messages[4]
    assert "does not exist in organization L6" in messages[5]
    assert "'lots' is not a number" in messages[6]
    assert "The plant is missing" in messages[8]
    assert "at most 20" in messages[9]
    assert not any("Calvin" in e.message for e in result.errors)
    assert result.written and result.rows_added == 1 and result.rows_ignored == 1
    assert result.rows_rejected == 6
    assert [e.value for e in result.errors][:3] == ["NOPE-1", "XX99", "B-200"]


def test_strict_writes_nothing(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "mb52.xlsx", mb52(("1115416", "1010", "0001", 5),
                                                   ("NOPE", "1010", "0001", 5)))
    with pytest.raises(ImportRejected) as err:
        run(db, path, strict=True)
    assert err.value.exit_code == 3
    assert err.value.payload["written"] is False and err.value.payload["errors"][0]["row"] == 3
    assert count_rows(db, SapStock) == 0 and audit_actions(db) == []


def test_same_date_replaces_the_snapshot_other_dates_stay(db, ref, tmp_path):
    first = write_xlsx(tmp_path / "1.xlsx", mb52(("1115416", "1010", "0001", 5),
                                                 ("B-200", "1010", "0001", 6)))
    second = write_xlsx(tmp_path / "2.xlsx", mb52(("07001541", "1010", "0003", 7)))
    run(db, first)
    run(db, first, day=DAY - dt.timedelta(days=1))
    result = run(db, second)
    assert result.rows_removed == 2 and result.rows_added == 1
    assert sap_rows(db, DAY) == [("07001541", "0003", 7.0, DAY)]
    assert len(sap_rows(db, DAY - dt.timedelta(days=1))) == 2


def test_failure_mid_write_keeps_the_old_snapshot(db, ref, tmp_path, monkeypatch):
    run(db, write_xlsx(tmp_path / "1.xlsx", mb52(("1115416", "1010", "0001", 5))))
    calls = []

    def broken_insert(session, table, columns, rows, **kw):
        calls.append(len(rows))
        raise RuntimeError("disk full")  # after the DELETE of the date's old rows

    monkeypatch.setattr(dialect, "bulk_insert", broken_insert)
    with pytest.raises(RuntimeError):
        run(db, write_xlsx(tmp_path / "2.xlsx", mb52(("B-200", "1010", "0002", 9))))
    assert calls == [1]
    assert sap_rows(db, DAY) == [("1115416", "0001", 5.0, DAY)]
    assert audit_actions(db) == ["import-sap-soh"]


def test_cancel_while_writing_writes_nothing(db, ref, tmp_path):
    run(db, write_xlsx(tmp_path / "1.xlsx", mb52(("1115416", "1010", "0001", 5))))
    rows = [("B-200", "1010", f"{i:04d}", i) for i in range(1200)]
    path = write_xlsx(tmp_path / "2.xlsx", mb52(*rows))
    progress = RecordingProgress()
    run(db, path, day=DAY + dt.timedelta(days=1), progress=progress)
    writing = [i for i, s in enumerate(progress.steps) if s[2] == "Writing SAP rows"]
    # cancel after the first chunk was written (the old snapshot was already deleted)
    cancel = RecordingProgress(cancel_at=writing[1] + 1)
    with pytest.raises(Cancelled):
        run(db, path, progress=cancel)
    assert sap_rows(db, DAY) == [("1115416", "0001", 5.0, DAY)]
    assert len(sap_rows(db, DAY + dt.timedelta(days=1))) == 1200


def test_cancel_while_checking(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "1.xlsx", mb52(*[("B-200", "1010", "1", 1)] * 300))
    with pytest.raises(Cancelled):
        run(db, path, progress=RecordingProgress(cancel_at=3))
    assert count_rows(db, SapStock) == 0


def test_progress_about_every_percent(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "1.xlsx",
                      mb52(*[("B-200", "1010", str(i), i) for i in range(1000)]))
    progress = RecordingProgress()
    run(db, path, progress=progress)
    checking = [s for s in progress.steps if s[2] == "Checking rows"]
    assert 90 <= len(checking) <= 110
    assert checking[-1][0] == checking[-1][1] == 1000
    done = [d for d, _, _ in checking]
    assert done == sorted(done)


def test_set_based_a_fixed_number_of_queries(db, ref, tmp_path, count_queries):
    small = write_xlsx(tmp_path / "s.xlsx",
                       mb52(*[("B-200", "1010", str(i), i) for i in range(10)]))
    big = write_xlsx(tmp_path / "b.xlsx",
                     mb52(*[("B-200", "1010", str(i), i) for i in range(2000)]))
    with count_queries(db.engine) as q_small:
        run(db, small)
    with count_queries(db.engine) as q_big:
        run(db, big, day=DAY + dt.timedelta(days=1))
    inserts = [s for s in q_big.statements if s.startswith("INSERT INTO sap_stock")]
    # the big file only adds bulk INSERT statements of ~500 rows each, never a query per row
    # (on MariaDB they go through the raw cursor as multi-row INSERTs, unseen by the counter)
    assert q_big.count - q_small.count == max(len(inserts) - 1, 0) <= 4
    assert q_big.count < 20


def test_only_ignored_rows_keep_the_snapshot(db, ref, tmp_path):
    run(db, write_xlsx(tmp_path / "1.xlsx", mb52(("1115416", "1010", "0001", 5))))
    result = run(db, write_xlsx(tmp_path / "2.xlsx", mb52((None, "1010", "0001", 5))))
    assert result.written is False and result.rows_ignored == 1
    assert len(sap_rows(db, DAY)) == 1


def test_no_usable_row_is_rejected_as_a_whole(db, ref, tmp_path):
    run(db, write_xlsx(tmp_path / "1.xlsx", mb52(("1115416", "1010", "0001", 5))))
    with pytest.raises(ImportRejected, match="None of the 2 rows"):
        run(db, write_xlsx(tmp_path / "2.xlsx", mb52(("X", "1010", "1", 1), ("Y", "1010", "1", 1))))
    with pytest.raises(ImportRejected, match="no data rows"):
        run(db, write_xlsx(tmp_path / "3.xlsx", [MB52_HEADER]))
    assert len(sap_rows(db, DAY)) == 1


def test_named_sheet_and_csv_and_xls(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "w.xlsx", [["notes"]], sheet="Readme")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.create_sheet("MB52")
    for r in mb52(("B-200", "1010", "0001", 3)):
        ws.append(r)
    wb.save(path)
    with pytest.raises(ImportRejected):
        run(db, path)  # the first sheet is Readme
    assert run(db, path, sheet="MB52").rows_added == 1
    csv_path = write_csv(tmp_path / "mb52.csv", mb52(("07001541", "1010", "0001", "1,500")))
    assert run(db, csv_path).rows_added == 1
    assert sap_rows(db, DAY) == [("07001541", "0001", 1500.0, DAY)]
    xls = write_xls(tmp_path / "mb52.xls", mb52((1115416.0, "1010", "0001", 2.0)))
    assert run(db, xls).rows_added == 1
    assert sap_rows(db, DAY) == [("1115416", "0001", 2.0, DAY)]


def test_errors_workbook_reimports_just_the_fixed_rows(db, ref, tmp_path):
    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "mb52.xlsx", mb52(("1115416", "1010", "0001", 5),
                                                   ("B-200", "1010", "0002", "n/a"),
                                                   ("NOPE", "1010", "0003", 7)))
    result = run(db, path)
    out = tmp_path / "errors.xlsx"
    assert result.write_errors_xlsx(out) == 2
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]][:2] == ["Material", "Plant"]
    assert [c.value for c in ws[1]][-2:] == ["WICS row", "WICS problem"]
    assert [c.value for c in ws[2]][-2] == 3 and "not a number" in ws[2][-1].value
    assert [c.value for c in ws[3]][0] == "NOPE"
    assert wb["Problems"].max_row == 3
    ws[2][6].value = 4  # the supervisor fixes the amount; deletes the unknown material's row
    ws.delete_rows(3)
    wb.save(out)
    again = run(db, out, day=DAY + dt.timedelta(days=1))
    assert again.rows_added == 1 and not again.errors
    assert sap_rows(db, DAY + dt.timedelta(days=1)) == [("B-200", "0002", 4.0,
                                                         DAY + dt.timedelta(days=1))]
