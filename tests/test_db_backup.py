"""`wics db backup`: a consistent, checked copy of the embedded database while it is in use;
a clear refusal (and the way to do it) for a server; and the mysqldump round trip that
docs/operations.md tells the database administrator to rehearse."""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import threading

import pytest
from sqlalchemy import func, select, text

from wics_desktop.cli import main
from wics_desktop.core import schema, tasklog
from wics_desktop.core.db import Database
from wics_desktop.core.models import ActualCount, Organization

from core_fixtures import count, material, setup_orgs


@pytest.fixture(autouse=True)
def fresh_task_log(monkeypatch, tmp_path):
    monkeypatch.setenv("WICS_LOG_DIR", str(tmp_path / "log"))


def run(capsys, *args) -> tuple[int, dict | None, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if "--json" in args and out.strip() else None), err


def url(database) -> str:
    return database.url.render_as_string(hide_password=False)


def fill(database, n: int = 50) -> None:
    with database.session() as s:
        setup_orgs(s)
        mid = material(s, "A-100")
        for i in range(n):
            count(s, mid, location=f"R{i:02d}")


def test_backup_copies_what_is_still_in_the_wal(sqlite_db, tmp_path, capsys):
    fill(sqlite_db)
    source = sqlite_db.url.database
    # the last writes are committed but not yet checkpointed into the main file
    assert (tmp_path / (source.rsplit("/", 1)[-1] + "-wal")).stat().st_size > 0
    out = tmp_path / "backups" / "wics-2026-11-20.sqlite"
    out.parent.mkdir()
    code, doc, err = run(capsys, "--db", url(sqlite_db), "db", "backup", str(out), "--json")
    assert code == 0, err
    assert doc["integrity"] == "ok" and doc["revision"] == schema.head_revision()
    assert doc["row_counts"]["actual_counts"] == 50 and doc["backup"] == str(out)
    assert doc["bytes"] == out.stat().st_size
    # the copy stands alone (no -wal needed) and is a WICS database `wics db info` can read
    assert not (out.parent / (out.name + "-wal")).exists()
    with sqlite3.connect(out) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT COUNT(*) FROM actual_counts").fetchone()[0] == 50
    code, info, _ = run(capsys, "--db", f"sqlite:///{out}", "db", "info", "--json")
    assert code == 0 and info["row_counts"] == doc["row_counts"]
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # no partial file left
    (line,) = tasklog.tail(5)
    assert line["job"] == "db-backup" and line["outcome"] == "ok"
    assert line["rows"] == sum(doc["row_counts"].values()) and str(out) in line["detail"]


def test_backup_while_another_program_writes(sqlite_db, tmp_path, capsys):
    """A writer in the middle of a transaction neither blocks the backup nor leaks into it."""
    fill(sqlite_db, 10)
    writer = Database(url(sqlite_db))
    started, release = threading.Event(), threading.Event()

    def hold_a_write():
        with writer.session() as s:
            s.add(Organization(name="HALF-WRITTEN"))
            s.flush()
            started.set()
            release.wait(20)

    thread = threading.Thread(target=hold_a_write)
    thread.start()
    try:
        assert started.wait(10)
        out = tmp_path / "during.sqlite"
        code, doc, err = run(capsys, "--db", url(sqlite_db), "db", "backup", str(out), "--json")
        assert code == 0, err
    finally:
        release.set()
        thread.join()
        writer.dispose()
    with sqlite3.connect(out) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM organizations")}
    assert names == {"L10", "L6"}  # as of one moment: the open transaction is not in it
    with sqlite_db.session() as s:  # and the writer's commit went through afterwards
        assert s.scalar(select(func.count()).select_from(Organization)) == 3


def test_backup_refusals(sqlite_db, tmp_path, capsys):
    out = tmp_path / "b.sqlite"
    assert run(capsys, "--db", url(sqlite_db), "db", "backup", str(out))[0] == 0
    code, _, err = run(capsys, "--db", url(sqlite_db), "db", "backup", str(out))
    assert code == 3 and "already exists" in err and "--force" in err
    assert run(capsys, "--db", url(sqlite_db), "db", "backup", str(out), "--force")[0] == 0
    code, _, err = run(capsys, "--db", url(sqlite_db), "db", "backup", sqlite_db.url.database)
    assert code == 3 and "is the database itself" in err
    code, _, err = run(capsys, "--db", url(sqlite_db), "db", "backup",
                       str(tmp_path / "no-such-folder" / "x.sqlite"))
    assert code == 3 and "does not exist" in err


def test_backup_of_a_server_points_to_mysqldump(mysql_db, tmp_path, capsys):
    code, doc, err = run(capsys, "--db", url(mysql_db), "db", "backup",
                         str(tmp_path / "x.sqlite"), "--json")
    assert code == 2 and "mysqldump --single-transaction" in doc["error"]
    assert not (tmp_path / "x.sqlite").exists()


def test_mysqldump_restore_rehearsal(mysql_db, mysql_databases, tmp_path, capsys):
    """The restore test of docs/operations.md: dump, load into a scratch database, compare."""
    mysqldump, mysql = shutil.which("mysqldump"), shutil.which("mysql")
    if not (mysqldump and mysql):
        pytest.skip("needs the mysql client tools")
    fill(mysql_db, 20)
    u = mysql_db.url
    conn = [f"--host={u.host}", f"--port={u.port or 3306}", f"--user={u.username}"]
    if u.password:
        conn.append(f"--password={u.password}")
    dump = tmp_path / "wics.sql"
    with dump.open("wb") as fh:
        subprocess.run([mysqldump, *conn, "--single-transaction", "--routines", "--triggers",
                        "--events", "--hex-blob", u.database], stdout=fh, check=True)
    scratch_url = mysql_databases.create("wics_restore")
    scratch = scratch_url.rsplit("/", 1)[-1]
    with dump.open("rb") as fh:
        subprocess.run([mysql, *conn, scratch], stdin=fh, check=True)
    code, original, _ = run(capsys, "--db", url(mysql_db), "db", "info", "--json")
    code2, restored, _ = run(capsys, "--db", scratch_url, "db", "info", "--json")
    assert code == code2 == 0
    assert restored["revision"] == original["revision"]
    assert restored["row_counts"] == original["row_counts"]
    assert restored["row_counts"]["actual_counts"] == 20
    copy = Database(scratch_url)
    try:  # the views came back too, and answer
        with copy.engine.connect() as c:
            assert c.execute(text("SELECT COUNT(*) FROM v_materials")).scalar_one() == 1
        with copy.session() as s:
            assert s.scalar(select(func.count()).select_from(ActualCount)) == 20
    finally:
        copy.dispose()


def test_mysql_backup_script(mysql_db, tmp_path):
    """scripts/mysql_backup.sh, as cron runs it: a checked .sql.gz, old dumps pruned."""
    import gzip
    import os
    import time
    from pathlib import Path

    if shutil.which("mysqldump") is None:
        pytest.skip("needs the mysql client tools")
    fill(mysql_db, 5)
    u = mysql_db.url
    cnf = tmp_path / "backup.cnf"
    cnf.write_text(f"[client]\nhost={u.host}\nport={u.port or 3306}\nuser={u.username}\n"
                   + (f"password={u.password}\n" if u.password else ""))
    cnf.chmod(0o600)
    folder = tmp_path / "dumps"
    folder.mkdir()
    old = folder / f"{u.database}-2020-01-01_000000.sql.gz"
    old.write_bytes(gzip.compress(b"-- old"))
    forty_days = time.time() - 40 * 86400
    os.utime(old, (forty_days, forty_days))
    script = Path(__file__).resolve().parents[1] / "scripts" / "mysql_backup.sh"
    run_ = subprocess.run([str(script), u.database, str(folder), "30"], capture_output=True,
                          text=True, env={**os.environ, "WICS_BACKUP_CNF": str(cnf)})
    assert run_.returncode == 0, run_.stderr
    dump = Path(run_.stdout.strip())
    assert dump.parent == folder and dump.name.endswith(".sql.gz")
    text_ = gzip.decompress(dump.read_bytes()).decode()
    assert "CREATE TABLE `actual_counts`" in text_ and text_.rstrip().splitlines()[-1].startswith(
        "-- Dump completed")
    assert sorted(p.name for p in folder.iterdir()) == [dump.name]  # old pruned, no partial
    # a broken dump (here: a database that does not exist) leaves nothing behind
    bad = subprocess.run([str(script), "no_such_db_x", str(folder)], capture_output=True,
                         text=True, env={**os.environ, "WICS_BACKUP_CNF": str(cnf)})
    assert bad.returncode != 0
    assert sorted(p.name for p in folder.iterdir()) == [dump.name]
