"""Schedule upload on both databases: the real WICS-3 schedule, one entry per material and day
(within the file and against WICS), no row cap, strict/lenient."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from wics_desktop.core.actor import Actor
from wics_desktop.core.imports.result import ImportRejected
from wics_desktop.core.imports.schedule import import_schedule

from imports_fixtures import (
    CountSchedule,
    Material,
    audit_actions,
    count_rows,
    errors_by,
    excel_part,
    load_real_materials,
    read_csv_dicts,
    setup_reference,
    write_xlsx,
)

HEADER = ["org_id", "Material", "CountDate", "Counter", "Priority", "ReasonScheduled", "Notes"]
D = dt.date(2026, 11, 23)


def run(db, path, **kw):
    with db.session() as s:
        return import_schedule(s, path, actor=Actor("super", "ws2", "supervisor"), **kw)


@pytest.fixture
def ref(db):
    return setup_reference(db, [("L10", "A-100"), ("L10", "B-200"), ("L10", "BOTH"),
                                ("L6", "BOTH"), ("L10", "1115416")])


def schedule(db):
    with db.session() as s:
        return s.execute(select(Material.part_number, Material.org_id, CountSchedule.count_date,
                                CountSchedule.counter, CountSchedule.priority,
                                CountSchedule.reason, CountSchedule.notes)
                         .join(Material, Material.id == CountSchedule.material_id)
                         .order_by(CountSchedule.id)).all()


def test_real_wics3_schedule(db, shared_data, tmp_path):
    by_old = load_real_materials(db, shared_data)
    rows = [HEADER]
    for r in read_csv_dicts(shared_data / "CountSched.csv"):
        rows.append([None, excel_part(by_old[r["MaterialID"]]), r["CountDate"],
                     r["Counter"] or None, r["Priority"] or None, r["Reason Scheduled"] or None,
                     r["Notes"] or None])
    result = run(db, write_xlsx(tmp_path / "s.xlsx", rows, sheet="Schedule"))
    # the five materials that also exist in L6 need an org_id: each such row is reported
    ambiguous = [e for e in result.errors if "several organizations" in e.message]
    assert len(result.errors) == len(ambiguous)
    assert result.rows_added + len(ambiguous) == 1088 == result.rows_read
    assert result.written and audit_actions(db) == ["import-schedule"]


def test_imports_entries_with_every_column(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [
        HEADER,
        [None, "A-100", D, "Chris", "HOT!!!", "Verify Prev Count", "aisle 3"],
        ["L6", "BOTH", "11/24/2026", None, None, None, None],
        [float(ref["L10"]), "BOTH", 46350.0, "Nate", "vfy", None, None],
        [None, 1115416.0, "2026-11-25", None, None, "Received Material", None],
    ], sheet="Schedule")
    result = run(db, path)
    assert not result.errors and result.rows_added == 4
    assert schedule(db) == [
        ("A-100", ref["L10"], D, "Chris", "HOT!!!", "Verify Prev Count", "aisle 3"),
        ("BOTH", ref["L6"], dt.date(2026, 11, 24), None, None, None, None),
        ("BOTH", ref["L10"], dt.date(2026, 11, 24), "Nate", "vfy", None, None),
        ("1115416", ref["L10"], dt.date(2026, 11, 25), None, None, "Received Material", None),
    ]


def test_duplicates_in_the_file_and_against_wics(db, ref, tmp_path):
    run(db, write_xlsx(tmp_path / "a.xlsx", [HEADER, [None, "A-100", D, None, None, None, None]],
                       sheet="Schedule"))
    path = write_xlsx(tmp_path / "b.xlsx", [
        HEADER,
        [None, "A-100", D, "Pat", None, None, None],         # 2 already in WICS, other counter
        [None, "B-200", D, None, None, None, None],          # 3 fine
        [None, "B-200", "11/23/2026", "x", None, None, None],  # 4 same date and material as row 3
        ["L6", "BOTH", D, None, None, None, None],           # 5 fine
        ["L10", "BOTH", D, None, None, None, None],          # 6 fine: another material
        [None, "NOPE", D, None, None, None, None],           # 7 unknown
        [None, "A-100", None, None, None, None, None],       # 8 date missing
        [None, "BOTH", D, None, None, None, None],           # 9 ambiguous
    ], sheet="Schedule")
    result = run(db, path)
    assert errors_by(result) == [(2, "Material"), (4, "Material"), (7, "Material"),
                                 (8, "CountDate"), (9, "Material")]
    msg = {e.row: e.message for e in result.errors}
    assert msg[2] == "A count for A-100 is already scheduled for 2026-11-23."
    assert "is already in row 3 of this file" in msg[4]
    assert result.rows_added == 3


def test_no_row_cap(db, ref, tmp_path):
    start = dt.date(2020, 1, 1)  # 2,200 days: all within the accepted range
    rows = [HEADER] + [[None, part, start + dt.timedelta(days=i), None, None, None, None]
                       for i in range(2200) for part in ("A-100", "B-200", "1115416")]
    result = run(db, write_xlsx(tmp_path / "big.xlsx", rows, sheet="Schedule"))
    assert result.rows_added == 6600 and count_rows(db, CountSchedule) == 6600


def test_strict(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [HEADER, [None, "A-100", D, None, None, None, None],
                                            [None, "A-100", D, None, None, None, None]],
                      sheet="Schedule")
    with pytest.raises(ImportRejected) as err:
        run(db, path, strict=True)
    assert err.value.payload["errors"][0]["row"] == 3
    assert count_rows(db, CountSchedule) == 0


def test_sheet_and_headers(db, ref, tmp_path):
    with pytest.raises(ImportRejected, match="no sheet named 'Schedule'"):
        run(db, write_xlsx(tmp_path / "a.xlsx", [HEADER], sheet="Counts"))
    with pytest.raises(ImportRejected, match="no column CountDate"):
        run(db, write_xlsx(tmp_path / "b.xlsx", [["Material", "Counter"], ["A-100", "x"]],
                           sheet="Schedule"))
