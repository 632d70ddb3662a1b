"""Upgrades as operations meets them: `wics db upgrade` from the previous revision keeps the
data and is a no-op the second time; a single PC's embedded database is migrated by starting
the new desktop (after a backup copy); a server left behind is refused with a plain sentence."""
from __future__ import annotations

import json
import sqlite3

import pytest

from wics_desktop.cli import main
from wics_desktop.core import schema
from wics_desktop.core.db import Database
from wics_desktop.core.errors import DatabaseUnavailable

from core_fixtures import material, setup_orgs

PREVIOUS = "0001"


@pytest.fixture(autouse=True)
def fresh_task_log(monkeypatch, tmp_path):
    monkeypatch.setenv("WICS_LOG_DIR", str(tmp_path / "log"))


def old_database(url: str) -> Database:
    database = Database(url)
    schema.upgrade(database, PREVIOUS)
    with database.session() as s:
        setup_orgs(s)
        material(s, "A-100")
    return database


def test_cli_upgrade_from_the_previous_revision(mysql_databases, tmp_path, capsys):
    for url in (f"sqlite:///{tmp_path / 'old.sqlite'}", mysql_databases.create("wics_up")):
        database = old_database(url)
        try:
            capsys.readouterr()
            assert main(["--db", url, "db", "upgrade", "--json"]) == 0
            doc = json.loads(capsys.readouterr().out)
            assert (doc["from_revision"], doc["revision"]) == (PREVIOUS, schema.head_revision())
            assert main(["--db", url, "db", "upgrade", "--json"]) == 0
            again = json.loads(capsys.readouterr().out)
            assert again["from_revision"] == again["revision"] == schema.head_revision()
            assert main(["--db", url, "db", "info", "--json"]) == 0
            info = json.loads(capsys.readouterr().out)
            assert info["row_counts"]["materials"] == 1 and info["row_counts"]["organizations"] == 2
        finally:
            database.dispose()


def test_desktop_start_migrates_an_old_embedded_database_after_a_backup(qapp, tmp_path):
    from wics_desktop.ui.app import open_database

    path = tmp_path / "wics.sqlite"
    old_database(f"sqlite:///{path}").dispose()
    database = open_database(f"sqlite:///{path}")
    try:
        assert schema.current_revision(database) == schema.head_revision()
        copy = tmp_path / f"wics.before-{schema.head_revision()}.sqlite"
        with sqlite3.connect(copy) as conn:  # the copy is the old database, as it was
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (PREVIOUS,)
            assert conn.execute("SELECT COUNT(*) FROM materials").fetchone() == (1,)
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT COUNT(*) FROM materials").fetchone() == (1,)
    finally:
        database.dispose()
    again = open_database(f"sqlite:///{path}")  # up to date: nothing more happens
    again.dispose()
    assert sorted(p.name for p in tmp_path.glob("*.sqlite")) == sorted(
        ["wics.sqlite", f"wics.before-{schema.head_revision()}.sqlite"])


@pytest.mark.mysql
def test_desktop_refuses_a_server_left_behind(qapp, mysql_databases):
    from wics_desktop.ui.app import open_database

    url = mysql_databases.create("wics_behind")
    old_database(url).dispose()
    with pytest.raises(DatabaseUnavailable) as caught:
        open_database(url)
    message = str(caught.value)
    assert f"revision {PREVIOUS}" in message and "wics db upgrade" in message
    assert schema.head_revision() in message
