"""sql/users_least_privilege.sql, run against MariaDB: the owner migrates, the workstations'
account does all the daily work but no DDL, the reader only reads, the backup account can
dump - and a refused privilege is a clear "not permitted" (exit 5), not a stack trace."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from wics_desktop.cli import main

pytestmark = pytest.mark.mysql
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def fresh_task_log(monkeypatch, tmp_path):
    monkeypatch.setenv("WICS_LOG_DIR", str(tmp_path / "log"))


def statements(sql: str) -> list[str]:
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]


@pytest.fixture
def accounts(mysql_server_url, mysql_databases):
    """The file's four accounts on a fresh database (unique names: accounts are server-wide)."""
    db_url = mysql_databases.create("wics_lp")
    db_name = db_url.rsplit("/", 1)[-1]
    tag = f"t{uuid.uuid4().hex[:6]}"
    sql = (ROOT / "sql" / "users_least_privilege.sql").read_text()
    sql = sql.replace("ON wics.*", f"ON `{db_name}`.*")
    sql = re.sub(r"'wics_(owner|app|reader|backup)'", lambda m: f"'{tag}_{m.group(1)}'", sql)
    engine = create_engine(mysql_server_url)
    with engine.begin() as conn:
        for stmt in statements(sql):
            conn.execute(text(stmt))
    server = mysql_server_url
    urls = {role: server.set(username=f"{tag}_{role}", password=f"change-me-{role}",
                             database=db_name).render_as_string(hide_password=False)
            for role in ("owner", "app", "reader", "backup")}
    yield urls
    with engine.begin() as conn:
        for role in urls:
            conn.execute(text(f"DROP USER IF EXISTS '{tag}_{role}'@'%'"))
    engine.dispose()


def wics(capsys, url: str, *args: str) -> tuple[int, dict | None, str]:
    capsys.readouterr()
    code = main(["--db", url, *args])  # no --user: runs as the URL's account
    out, err = capsys.readouterr()
    return code, (json.loads(out) if "--json" in args and out.strip() else None), err


def test_each_account_does_its_job_and_no_more(accounts, capsys, tmp_path):
    owner, app, reader = accounts["owner"], accounts["app"], accounts["reader"]
    # the workstations' account cannot create the schema: exit 5 with the reason
    code, doc, err = wics(capsys, app, "db", "upgrade", "--json")
    assert code == 5 and "CREATE command denied" in doc["error"]
    assert "docs/operations.md" in doc["error"]
    code, doc, err = wics(capsys, owner, "db", "upgrade", "--json")
    assert code == 0 and doc["from_revision"] is None, err

    # daily work with the workstations' account: upgrade at the head is a no-op, demo data,
    # counts, an import, reports, users
    assert wics(capsys, app, "db", "upgrade")[0] == 0
    code, _, err = wics(capsys, app, "demo", "--materials", "60", "--days", "3")
    assert code == 0, err
    code, report, err = wics(capsys, app, "report", "materials", "--by", "part-type", "--json")
    assert code == 0 and len(report["materials"]) == 60, err
    first = report["materials"][0]
    code, added, err = wics(capsys, app, "count", "add", "--date", "2026-11-20", "--material",
                            first["material"], "--org", first["org"], "--counter", "Chris",
                            "--location", "D2", "--qty", "1080*4+791", "--json")
    assert code == 0 and added["quantity"] == 5111, err
    from imports_fixtures import write_xlsx

    sched = write_xlsx(tmp_path / "schedule.xlsx", [
        ["Material", "org", "CountDate", "Counter"],
        [first["material"], first["org"], "2026-12-01", "Chris"]], sheet="Schedule")
    code, result, err = wics(capsys, app, "import", "schedule", str(sched), "--json")
    assert code == 0 and result["rows_added"] == 1, err
    code, _, err = wics(capsys, app, "report", "count-summary", "--date", "2026-11-20")
    assert code == 0, err
    code, _, err = wics(capsys, app, "report", "locations", "--json")
    assert code == 0, err

    # the reader reads, views included, and is refused a write
    code, info, _ = wics(capsys, reader, "db", "info", "--json")
    assert code == 0 and info["row_counts"]["materials"] == 60
    engine = create_engine(reader)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM v_materials")).scalar_one() == 60
    finally:
        engine.dispose()
    code, doc, _ = wics(capsys, reader, "org", "add", "X9", "--json")
    assert code == 5 and "INSERT command denied" in doc["error"]


def test_backup_account_can_dump(accounts, capsys, tmp_path):
    mysqldump = shutil.which("mysqldump")
    if mysqldump is None:
        pytest.skip("needs the mysql client tools")
    assert wics(capsys, accounts["owner"], "db", "upgrade")[0] == 0
    assert wics(capsys, accounts["app"], "org", "add", "L10")[0] == 0
    from sqlalchemy.engine import make_url

    u = make_url(accounts["backup"])
    run = subprocess.run(
        [mysqldump, f"--host={u.host}", f"--port={u.port or 3306}", f"--user={u.username}",
         f"--password={u.password}", "--single-transaction", "--routines", "--triggers",
         "--events", "--no-tablespaces", u.database],
        capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "CREATE TABLE `actual_counts`" in run.stdout and "'L10'" in run.stdout
    assert "v_materials" in run.stdout  # the views are in the dump
