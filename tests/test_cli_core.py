"""The setup, count and report commands, in-process, on both databases: exit codes and JSON."""
from __future__ import annotations

import json

import pytest

from wics_desktop.cli import main

from core_fixtures import ensure_user, password_env


@pytest.fixture
def wics(db, capsys):
    url = db.url.render_as_string(hide_password=False)

    ensure_user(db, "admin1", "admin")

    def run(*args):
        capsys.readouterr()
        with password_env():
            code = main(["--db", url, "--user", "admin1", *args])
        out, err = capsys.readouterr()
        doc = json.loads(out) if "--json" in args and out.strip() else None
        return code, doc, err
    return run


def _setup(wics):
    for args in (["org", "add", "L10"], ["org", "add", "L6"],
                 ["plant", "add", "FW61", "--org", "L6"],
                 ["uom", "add", "BOX", "--multiplier", "12"],
                 ["part-type", "add", "AST-A", "--priority", "210"],
                 ["param", "set", "ACCURACY-SUCCESS", "98.5"],
                 ["holiday", "add", "2026-12-25", "--name", "Christmas"]):
        code, doc, err = wics(*args, "--json")
        assert code == 0, err
        assert doc["created"] is (args[0] != "param")  # declared parameters exist already


def test_setup_commands_are_idempotent(wics):
    _setup(wics)
    code, doc, _ = wics("org", "add", "L10", "--json")
    assert (code, doc["created"], doc["changed"]) == (0, False, False)
    code, doc, _ = wics("plant", "add", "FW61", "--org", "L10", "--json")
    assert (code, doc["created"], doc["changed"], doc["org"]) == (0, False, True, "L10")
    code, doc, _ = wics("uom", "add", "BOX", "--multiplier", "24", "--json")
    assert (code, doc["multiplier"], doc["changed"]) == (0, 24, True)
    code, doc, _ = wics("part-type", "add", "AST-A", "--priority", "220", "--json")
    assert (code, doc["priority"]) == (0, 220)
    code, doc, _ = wics("param", "set", "ACCURACY-SUCCESS", "98.5", "--json")
    assert (code, doc["changed"]) == (0, False)
    code, doc, _ = wics("holiday", "add", "2026-12-25", "--json")
    assert (code, doc["name"]) == (0, "Christmas")


def test_setup_errors(wics):
    _setup(wics)
    code, doc, err = wics("plant", "add", "FW99", "--org", "NOPE", "--json")
    assert code == 3 and "'NOPE' is not a known organization" in doc["error"]
    code, doc, _ = wics("param", "set", "ACCURACY-DANGER", "high", "--json")
    assert code == 3 and "must be a number" in doc["error"]
    with pytest.raises(SystemExit) as exc:
        wics("holiday", "add", "2026-13-45")
    assert exc.value.code == 2
    code, doc, _ = wics("uom", "add", "ZZ", "--multiplier", "0", "--json")
    assert code == 3


def test_bad_date_is_a_usage_error(wics):
    with pytest.raises(SystemExit) as exc:
        wics("report", "count-summary", "--date", "2026-13-45", "--json")
    assert exc.value.code == 2


def test_count_add_and_reports(wics, db, tmp_path):
    from core_fixtures import material

    _setup(wics)
    with db.session() as s:
        material(s, "A-100", "L10")
        material(s, "1115416", "L10")
        material(s, "1115416", "L6")
    code, doc, err = wics("count", "add", "--date", "2026-11-20", "--material", "A-100",
                          "--counter", "Chris", "--location", "D2", "--qty", "1080*4+791", "--json")
    assert code == 0, err
    assert set(doc) == {"id", "uuid", "quantity", "expanded", "offline"}
    assert (doc["quantity"], doc["offline"]) == (5111, False) and isinstance(doc["id"], int)
    assert doc["expanded"] == "1080*4+791"  # no packs: the expression itself
    code, doc, _ = wics("count", "add", "--date", "2026-11-20", "--material", "1115416",
                        "--counter", "Chris", "--location", "D2", "--qty", "5", "--json")
    assert code == 3 and "L10" in doc["error"] and "L6" in doc["error"]
    code, doc, _ = wics("count", "add", "--date", "2026-11-20", "--material", "1115416", "--org",
                        "L6", "--counter", "Chris", "--location", "HVC", "--location-only",
                        "--json")
    assert code == 0 and doc["quantity"] is None
    code, doc, _ = wics("count", "add", "--date", "2026-11-20", "--material", "A-100",
                        "--counter", "Chris", "--location", "D2", "--qty", "12 boxes", "--json")
    assert code == 3 and "not valid" in doc["error"] and doc["field"] == "quantity"
    code, doc, _ = wics("count", "add", "--date", "2026-11-20", "--material", "NOPE",
                        "--counter", "Chris", "--location", "D2", "--qty", "1", "--json")
    assert code == 3 and doc["error"] == "'NOPE' is not a known material."

    out = tmp_path / "cs.xlsx"
    code, doc, err = wics("report", "count-summary", "--date", "2026-11-20", "--json", "--xlsx",
                          str(out))
    assert code == 0, err
    assert out.is_file()
    unscheduled = doc["orgs"][0]["sections"][1]
    assert unscheduled["title"] == "Unscheduled"
    assert [m["material"] for m in unscheduled["materials"]] == ["A-100"]
    assert unscheduled["materials"][0]["count_total"] == 5111
    code, doc, _ = wics("report", "count-summary", "--date", "2026-11-20", "--requests", "--json")
    assert [s["title"] for s in doc["orgs"][0]["sections"]] == ["Requested and Counted",
                                                                "Requested but Not Counted"]
    code, doc, _ = wics("report", "worksheet", "--date", "2026-11-20", "--by", "location",
                        "--blind", "--json")
    assert code == 0 and doc == {"count_date": "2026-11-20", "blind": True, "by": "location",
                                 "groups": []}
    for by in ("part-type", "last-count", "value"):
        code, doc, _ = wics("report", "materials", "--by", by, "--json",
                            "--xlsx", str(tmp_path / f"{by}.xlsx"))
        assert code == 0 and len(doc["materials"]) == 3
    code, doc, _ = wics("report", "locations", "--date", "2026-11-20", "--json")
    assert code == 0 and [g["location"] for g in doc["locations"]] == ["D2", "HVC"]
    code, doc, _ = wics("log", "tail", "--lines", "50", "--json")
    summaries = [r for r in doc if r["job"].startswith("report-count-summary")]
    # the log folder is shared by the test session: look at this test's two runs
    xlsx, requests = summaries[-2:]
    assert xlsx["job"] == "report-count-summary-xlsx" and xlsx["rows"] == 1  # one material
    assert xlsx["extra"]["xlsx"] == str(out)
    assert requests["job"] == "report-count-summary" and requests["rows"] == 0  # none requested
    assert [r["user"] for r in doc if r["job"] == "report-locations"][-1] == "admin1"


def test_human_output(wics, capsys, db):
    _setup(wics)
    code, _, _ = wics("report", "count-summary", "--date", "2026-11-20")
    assert code == 0


def test_unreachable_database_exits_4(capsys):
    code = main(["--db", "mysql+pymysql://nobody@127.0.0.1:1/wics", "report", "worksheet",
                 "--date", "2026-11-20", "--json"])
    assert code == 4
    assert json.loads(capsys.readouterr().out)["exit_code"] == 4
