"""`wics import ...` end to end on both databases: exit codes, the JSON result document,
--errors-xlsx, usage errors, and a lean start-up (no pandas, no Qt)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from wics_desktop import cli

from core_fixtures import ensure_user, password_env
from imports_fixtures import MB52_HEADER, SapStock, count_rows, setup_reference, write_xlsx

CONTRACT_KEYS = {"rows_read", "rows_added", "rows_updated", "rows_removed", "rows_ignored",
                 "written", "errors"}


def url_of(db) -> str:
    return db.url.render_as_string(hide_password=False)


def wics(db, *args, capsys):
    ensure_user(db, "sup1", "supervisor")
    with password_env():
        code = cli.main(["--db", url_of(db), "--user", "sup1", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def mb52(db, tmp_path):
    setup_reference(db, [("L10", "A-100"), ("L10", "1115416")])
    return write_xlsx(tmp_path / "mb52.xlsx", [
        MB52_HEADER,
        ["A-100", "1010", "d", "ZROH", "0001", "EA", 5.0, "USD", 1, None, 0, 0, None, None],
        ["NOPE", "1010", "d", "ZROH", "0001", "EA", 5.0, "USD", 1, None, 0, 0, None, None],
    ])


def test_lenient_exits_0_and_lists_rejected_rows(db, mb52, capsys, tmp_path):
    code, out, err = wics(db, "import", "sap-soh", str(mb52), "--date", "2026-11-20", "--json",
                          "--errors-xlsx", str(tmp_path / "bad.xlsx"), capsys=capsys)
    assert code == 0
    doc = json.loads(out)
    assert CONTRACT_KEYS <= set(doc)
    assert doc["written"] is True and doc["rows_read"] == 2 and doc["rows_added"] == 1
    assert doc["errors"] == [{"row": 3, "column": "Material", "value": "NOPE", "message":
                              "Material NOPE does not exist in organization L10 (plant 1010)."}]
    assert (tmp_path / "bad.xlsx").is_file() and "1 rejected row(s)" in err


def test_strict_exits_3_with_the_result_document(db, mb52, capsys):
    code, out, err = wics(db, "import", "sap-soh", str(mb52), "--date", "2026-11-20", "--strict",
                          "--json", capsys=capsys)
    assert code == 3
    doc = json.loads(out)
    assert doc["written"] is False and doc["exit_code"] == 3 and doc["errors"][0]["row"] == 3
    assert "--strict" in doc["error"]
    assert count_rows(db, SapStock) == 0


def test_fatal_header_problem_exits_3(db, capsys, tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [["Material", "Plnt", "Plant"], ["A", "1010", "1010"]])
    code, out, err = wics(db, "import", "sap-soh", str(path), "--date", "2026-11-20", "--json",
                          capsys=capsys)
    assert code == 3
    doc = json.loads(out)
    assert doc["written"] is False and doc["errors"][0]["column"] == "Plant"
    code, out, err = wics(db, "import", "sap-soh", str(path), "--date", "2026-11-20",
                          capsys=capsys)
    assert code == 3 and out == "" and "both mean Plant" in err


def test_human_output(db, mb52, capsys):
    code, out, err = wics(db, "import", "sap-soh", str(mb52), "--date", "2026-11-20",
                          capsys=capsys)
    assert code == 0 and "rows read: 2" in out and "row 3, Material:" in out
    assert "SAP snapshot of Fri 2026-11-20." in out
    # the same date again replaces it, and says so as the wizard does
    code, out, err = wics(db, "import", "sap-soh", str(mb52), "--date", "2026-11-20",
                          capsys=capsys)
    assert code == 0 and \
        "SAP snapshot of Fri 2026-11-20, replacing the 1 row uploaded before for that date." in out


def test_usage_errors_exit_2(db, mb52, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--db", url_of(db), "import", "sap-soh", str(mb52), "--date", "2026-13-45"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        cli.main(["--db", url_of(db), "import", "sap-soh", str(mb52)])  # --date is required
    assert exc.value.code == 2
    code, out, err = wics(db, "import", "mm60", str(mb52), "--update", "Colour", capsys=capsys)
    assert code == 2 and "unknown --update field 'Colour'" in err


def test_mm60_dry_run_json(db, capsys, tmp_path):
    setup_reference(db, [("L6", "OLD-1")])
    path = write_xlsx(tmp_path / "mm60.xlsx", [["Material", "Plant", "Material description"],
                                                ["NEW-1", "FW61", "new"]])
    code, out, _ = wics(db, "import", "mm60", str(path), "--dry-run", "--update",
                        "Description,Price", "--json", capsys=capsys)
    doc = json.loads(out)
    assert code == 0 and doc["written"] is False
    assert doc["added"] == ["NEW-1"] and doc["removed"] == ["OLD-1"]
    assert doc["kept"] == [] and doc["changed"] == []


def test_counts_and_schedule_commands(db, capsys, tmp_path):
    setup_reference(db, [("L10", "A-100")])
    counts = write_xlsx(tmp_path / "c.xlsx", [["CountDate", "Counter", "LOCATION", "Material",
                                               "CTD_QTY_Expr"],
                                              ["2026-11-20", "Chris", "D2", "A-100", "1080*4+791"]],
                        sheet="Counts")
    code, out, _ = wics(db, "import", "counts", str(counts), "--json", capsys=capsys)
    assert code == 0 and json.loads(out)["rows_added"] == 1
    code, out, _ = wics(db, "import", "counts", str(counts), "--json", capsys=capsys)
    doc = json.loads(out)  # the same file again: nothing twice, and said so
    assert code == 0 and (doc["rows_added"], doc["already_imported"], doc["rows_ignored"]) == \
        (0, 1, 1)
    code, out, _ = wics(db, "import", "counts", str(counts), capsys=capsys)
    assert code == 0 and "1 count was imported before" in out
    sched = write_xlsx(tmp_path / "s.xlsx", [["Material", "CountDate"], ["A-100", "2026-11-21"]],
                       sheet="Schedule")
    code, out, _ = wics(db, "import", "schedule", str(sched), "--json", capsys=capsys)
    assert code == 0 and json.loads(out)["rows_added"] == 1
    code, out, _ = wics(db, "import", "schedule", str(sched), "--json", capsys=capsys)
    doc = json.loads(out)  # the same entry again: imported before, not an error (issue 14)
    assert code == 0 and (doc["rows_added"], doc["already_imported"]) == (0, 1)
    other = write_xlsx(tmp_path / "s2.xlsx", [["Material", "CountDate", "Counter"],
                                              ["A-100", "2026-11-21", "Lee"]], sheet="Schedule")
    code, out, _ = wics(db, "import", "schedule", str(other), "--json", capsys=capsys)
    assert code == 3 and "already scheduled" in json.loads(out)["errors"][0]["message"]


def test_unreachable_database_exits_4(capsys, tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [MB52_HEADER])
    code = cli.main(["--db", "mysql+pymysql://nobody@127.0.0.1:1/wics", "import", "sap-soh",
                     str(path), "--date", "2026-11-20", "--json"])
    assert code == 4


def test_start_up_stays_lean(sqlite_db, tmp_path):
    """The SAP path loads neither pandas nor Qt nor openpyxl (calamine reads the file)."""
    setup_reference(sqlite_db, [("L10", "A-100")])
    path = write_xlsx(tmp_path / "m.xlsx", [MB52_HEADER, ["A-100", "1010"] + [None] * 12])
    code = (
        "import sys\n"
        "from wics_desktop import cli\n"
        f"rc = cli.main(['--db', {url_of(sqlite_db)!r}, 'import', 'sap-soh', {str(path)!r},"
        " '--date', '2026-11-20', '--json'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pandas', 'PySide6', 'openpyxl', 'numpy'))\n"
        "print('HEAVY', heavy, rc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "HEAVY [] 0" in out.stdout, out.stdout + out.stderr


def test_imports_leave_a_task_log_line(db, mb52, capsys, tmp_path):
    from wics_desktop.core import tasklog

    wics(db, "import", "sap-soh", str(mb52), "--date", "2026-11-20", "--json", capsys=capsys)
    wics(db, "import", "sap-soh", str(mb52), "--date", "2026-11-20", "--strict", capsys=capsys)
    last, strict = tasklog.tail(2)
    assert last["job"] == "import-sap-soh" and last["user"] == "sup1"
    assert last["outcome"] == "ok" and last["rows"] == 2 and last["extra"]["rows_added"] == 1
    assert strict["outcome"] == "rejected" and strict["rows"] == 2
