"""The errors-workbook round trip loses nothing and counts once (issue 14, item 5).

An import rejects a row, --errors-xlsx writes it out, the supervisor corrects it in Excel and
imports the workbook again - once, or by mistake twice. SAP stock: the corrected rows join the
date's snapshot (the workbook is recognised; `--add` does the same for any file). Counts and
schedule: the second import of the same rows adds nothing and is not an error. Both databases,
through the command line.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import load_workbook

from wics_desktop import cli
from wics_desktop.core.imports.errors_book import read_mark

from imports_fixtures import (
    MB52_HEADER,
    ActualCount,
    CountSchedule,
    count_rows,
    sap_rows,
    setup_reference,
    write_xlsx,
)

DAY = dt.date(2026, 11, 20)


def wics(db, capsys, *args):
    code = cli.main(["--db", db.url.render_as_string(hide_password=False), *args, "--json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, (json.loads(out) if out.strip() else None)


def mb52_row(part, amount, sloc="0001", batch=None):
    return [part, "1010", f"d {part}", "ZROH", sloc, "EA", amount, "USD", 1, None, 0, 0, None,
            batch]


@pytest.fixture
def six(db, tmp_path):
    setup_reference(db, [("L10", f"M-{i}") for i in range(6)])
    rows = [MB52_HEADER] + [mb52_row(f"M-{i}", float(i + 1)) for i in range(5)]
    rows.append(mb52_row("M-5", "n/a"))  # row 7: the one bad amount
    return write_xlsx(tmp_path / "mb52.xlsx", rows)


def fix_errors_workbook(path, column, value):
    """What the supervisor does in Excel: correct the cell and save (hidden sheets are kept)."""
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    col = [c.value for c in ws[1]].index(column) + 1
    ws.cell(2, col).value = value
    wb.save(path)


def test_sap_errors_workbook_adds_its_rows_once(db, six, tmp_path, capsys):
    errors = tmp_path / "mb52 problems.xlsx"
    code, doc = wics(db, capsys, "import", "sap-soh", str(six), "--date", DAY.isoformat(),
                     "--errors-xlsx", str(errors))
    assert code == 0 and doc["rows_added"] == 5 and doc["mode"] == "replace"
    mark = read_mark(errors)
    assert mark is not None and mark.kind == "sap-soh" and mark.upload_date == DAY
    fix_errors_workbook(errors, "Unrestricted", 6)
    assert read_mark(errors) is not None  # still recognised after Excel-style saving
    for attempt in (1, 2):  # twice = once
        code, doc = wics(db, capsys, "import", "sap-soh", str(errors), "--date", DAY.isoformat())
        assert code == 0 and doc["mode"] == "add" and doc["errors_workbook"] is True
        assert doc["rows_removed"] == 0
        assert (doc["rows_added"], doc["rows_updated"]) == ((1, 0) if attempt == 1 else (0, 1))
        assert sorted(r[2] for r in sap_rows(db, DAY)) == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]


def test_add_option_keeps_the_snapshot_and_is_idempotent(db, six, tmp_path, capsys):
    wics(db, capsys, "import", "sap-soh", str(six), "--date", DAY.isoformat())
    extra = write_xlsx(tmp_path / "extra.xlsx", [MB52_HEADER, mb52_row("M-0", 9.0, sloc="0002"),
                                                 mb52_row("M-1", 7.0)])
    for _ in (1, 2):
        code, doc = wics(db, capsys, "import", "sap-soh", str(extra), "--date", DAY.isoformat(),
                         "--add")
        assert code == 0 and doc["mode"] == "add" and doc["errors_workbook"] is False
    rows = sorted((p, s, a) for p, s, a, _d in sap_rows(db, DAY))
    # M-0 gained a second storage location; M-1 0001 was replaced by the file's row
    assert rows == [("M-0", "0001", 1.0), ("M-0", "0002", 9.0), ("M-1", "0001", 7.0),
                    ("M-2", "0001", 3.0), ("M-3", "0001", 4.0), ("M-4", "0001", 5.0)]
    # without --add an ordinary file still replaces the date's snapshot
    code, doc = wics(db, capsys, "import", "sap-soh", str(extra), "--date", DAY.isoformat())
    assert code == 0 and doc["rows_removed"] == 6 and len(sap_rows(db, DAY)) == 2


def test_counts_errors_workbook_round_trip(db, tmp_path, capsys):
    setup_reference(db, [("L10", "A-100"), ("L10", "B-200")])
    header = ["CountDate", "Counter", "LOCATION", "Material", "CTD_QTY_Expr"]
    path = write_xlsx(tmp_path / "counts.xlsx", [
        header, [DAY, "Chris", "D2", "A-100", "5"], [DAY, "Chris", "D3", "B-200", "5*"]],
        sheet="Counts")
    errors = tmp_path / "counts problems.xlsx"
    code, doc = wics(db, capsys, "import", "counts", str(path), "--errors-xlsx", str(errors))
    assert code == 0 and doc["rows_added"] == 1
    fix_errors_workbook(errors, "CTD_QTY_Expr", "5*2")
    code, doc = wics(db, capsys, "import", "counts", str(errors))
    assert code == 0 and doc["rows_added"] == 1
    code, doc = wics(db, capsys, "import", "counts", str(errors))
    assert code == 0 and doc["rows_added"] == 0 and doc["already_imported"] == 1
    assert count_rows(db, ActualCount) == 2


def test_schedule_errors_workbook_round_trip(db, tmp_path, capsys):
    setup_reference(db, [("L10", "A-100"), ("L10", "B-200")])
    header = ["Material", "CountDate", "Counter", "Notes"]
    path = write_xlsx(tmp_path / "schedule.xlsx", [
        header, ["A-100", DAY, "Chris", None], ["B-200", "not a date", "Pat", "a note"]],
        sheet="Schedule")
    errors = tmp_path / "schedule problems.xlsx"
    code, doc = wics(db, capsys, "import", "schedule", str(path), "--errors-xlsx", str(errors))
    assert code == 0 and doc["rows_added"] == 1
    fix_errors_workbook(errors, "CountDate", DAY)
    code, doc = wics(db, capsys, "import", "schedule", str(errors))
    assert code == 0 and doc["rows_added"] == 1
    # the second time: the same entry is already there - not an error, not a second entry
    code, doc = wics(db, capsys, "import", "schedule", str(errors))
    assert code == 0 and doc["rows_added"] == 0 and doc["already_imported"] == 1
    assert doc["errors"] == [] and count_rows(db, CountSchedule) == 2
    # a different entry for the same material and day is still refused (one per day)
    other = write_xlsx(tmp_path / "other.xlsx", [header, ["A-100", DAY, "Lee", None]],
                       sheet="Schedule")
    code, doc = wics(db, capsys, "import", "schedule", str(other))
    assert code == 3 and "already scheduled" in doc["errors"][0]["message"]


def test_only_a_marked_errors_workbook_is_added(db, six, tmp_path, capsys):
    """The same header with 'WICS row' but no mark (rows pasted into a new workbook), or the
    mark of another import's errors workbook: an ordinary file, replacing the snapshot."""
    from wics_desktop.core.imports.sap_soh import import_mode

    wics(db, capsys, "import", "sap-soh", str(six), "--date", DAY.isoformat())
    pasted = write_xlsx(tmp_path / "pasted.xlsx", [MB52_HEADER + ["WICS row", "WICS problem"],
                                                   mb52_row("M-5", 6.0) + [7, "fixed"]])
    assert import_mode(pasted) == ("replace", False) and read_mark(pasted) is None
    marked_other = write_xlsx(tmp_path / "other.xlsx", [MB52_HEADER + ["WICS row"],
                                                        mb52_row("M-5", 6.0) + [7]],
                              extra_sheets=["WICS import"])
    assert import_mode(marked_other) == ("replace", False)
    code, doc = wics(db, capsys, "import", "sap-soh", str(pasted), "--date", DAY.isoformat())
    assert code == 0 and doc["mode"] == "replace" and doc["rows_removed"] == 5


def test_mm60_errors_workbook_never_removes_the_rest(db, tmp_path, capsys):
    """An MM60 errors workbook lists only the rejected rows: imported, it must not read as 'every
    other material is gone from SAP'."""
    setup_reference(db, [("L10", f"M-{i}") for i in range(10)])
    header = ["Material", "Plant", "Material description", "Price unit"]
    rows = [header] + [[f"M-{i}", "1010", f"d{i}", 1] for i in range(10)]
    rows.append(["NEW-1", "1010", "new", "lots"])  # rejected: price unit not a number
    path = write_xlsx(tmp_path / "mm60.xlsx", rows)
    errors = tmp_path / "mm60 problems.xlsx"
    code, doc = wics(db, capsys, "import", "mm60", str(path), "--errors-xlsx", str(errors))
    assert code == 0 and doc["removed"] == [] and len(doc["errors"]) == 1
    fix_errors_workbook(errors, "Price unit", 1)
    code, doc = wics(db, capsys, "import", "mm60", str(errors))
    assert code == 0 and doc["added"] == ["NEW-1"] and doc["removed"] == []
    assert doc["errors_workbook"] is True
