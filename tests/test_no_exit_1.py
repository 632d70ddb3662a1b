"""No exit 1 (issue 14, item 6): what used to end as "Unexpected error" now has its own answer.

Two imports of the same counts at the same moment; malformed database URLs (never echoing a
password); number filters the database cannot compare with. Both databases where a database is
involved.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from wics_desktop import cli
from wics_desktop.core.actor import Actor
from wics_desktop.core.db import Database
from wics_desktop.core.imports.counts import import_counts

from imports_fixtures import ActualCount, count_rows, setup_reference, write_xlsx

DAY = dt.date(2026, 11, 20)


def run_cli(capsys, *args):
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_a_competing_import_of_the_same_counts_is_recognised(db, tmp_path, capsys):
    """The other import commits the same counts between our duplicate check and our insert:
    the unique uuid refuses our rows; the import runs again and reports them as imported."""
    setup_reference(db, [("L10", "A-100"), ("L10", "B-200")])
    path = write_xlsx(tmp_path / "counts.xlsx", [
        ["CountDate", "Counter", "LOCATION", "Material", "CTD_QTY_Expr"],
        [DAY, "Chris", "D2", "A-100", "5"], [DAY, "Chris", "D3", "B-200", "7"]], sheet="Counts")
    url = db.url.render_as_string(hide_password=False)
    fired = []

    def competitor(conn, cursor, statement, params, context, executemany):
        if fired or "actual_counts" not in statement or "IN (" not in statement:
            return
        fired.append(statement)
        other = Database(url)  # another workstation, its own connection and transaction
        try:
            with other.session() as s:
                import_counts(s, path, actor=Actor("other", "ws9", role="admin"))
        finally:
            other.dispose()

    event.listen(Engine, "after_cursor_execute", competitor)
    try:
        code, out, err = run_cli(capsys, "--db", url, "import", "counts", str(path), "--json")
    finally:
        event.remove(Engine, "after_cursor_execute", competitor)
    assert fired, "the competing import did not run"
    assert code == 0, err
    doc = json.loads(out)
    assert (doc["rows_added"], doc["already_imported"]) == (0, 2)
    assert "at the same moment" in err
    assert count_rows(db, ActualCount) == 2


BAD_URLS = [
    ("mysql+pymysql://root@127.0.0.1:99999/x", "port must be a whole number from 1 to 65535"),
    ("mysql+pymysql://root@127.0.0.1:abc/x", "cannot be read as a URL"),
    ("mysql+nodriver://root@127.0.0.1/x", "no driver 'nodriver'"),
    ("oracle://root@127.0.0.1/x", "'oracle' is not a database WICS works with"),
    ("mysql+pymysql://root@127.0.0.1:3306/x?charset=bogus", "charset=bogus is not a character"),
    ("mysql+pymysql://root@127.0.0.1/x?connect_timeout=soon", "connect_timeout must be"),
    ("::::", "does not start with a database kind"),
    ("mysql+pymysql://root@[::1/x", "cannot be read as a URL"),
]


@pytest.mark.parametrize("url,why", BAD_URLS)
def test_a_malformed_database_url_exits_2_saying_what_is_wrong(url, why, capsys):
    code, out, err = run_cli(capsys, "--db", url, "report", "count-summary", "--date",
                             DAY.isoformat(), "--json")
    assert code == 2
    assert why in json.loads(out)["error"] and "The database URL is malformed" in err


def test_a_password_with_an_unencoded_at_sign_is_never_shown(capsys):
    from wics_desktop.core.tasklog import task_log_file

    url = "mysql+pymysql://wics:s3cr@tPW@db.example:3306/wics"
    code, out, err = run_cli(capsys, "--db", url, "import", "counts", "nofile.xlsx", "--json")
    assert code == 2 and "%40" in err
    for secret in ("s3cr", "tPW", "tPW@db"):
        assert secret not in out and secret not in err
    log = task_log_file()
    assert not log.exists() or "tPW" not in log.read_text(encoding="utf-8")


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", ">1e999", "<=-1e999", "1e999..2",
                                  "NaN..5", "Infinity"])
def test_number_filters_the_database_cannot_compare_with(db, text):
    from sqlalchemy import select

    from wics_desktop.core.lists.columns import FilterError, filter_clause

    with pytest.raises(FilterError, match="is not a number"):
        filter_clause(ActualCount.quantity, "qty", text)
    clause = filter_clause(ActualCount.quantity, "qty", ">1e300")  # big but real: fine
    with db.session() as s:
        assert s.execute(select(ActualCount.id).where(clause)).all() == []


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("mysql", marks=pytest.mark.mysql)])
def test_a_statement_the_database_refuses_is_exit_4_not_1(kind, request, tmp_path, capsys):
    """Any statement the database refuses - here a table gone from under a report - ends as
    exit 4 with the server's words, never 'Unexpected error' and exit 1."""
    from sqlalchemy import text

    from wics_desktop.core import schema

    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'broken.sqlite'}"
    else:  # a throwaway database of its own: the shared one must keep its tables
        url = request.getfixturevalue("mysql_databases").create("wics_broken")
    database = Database(url)
    schema.upgrade(database)
    with database.engine.begin() as conn:
        conn.execute(text("DROP TABLE sap_stock"))
    database.dispose()
    code, out, err = run_cli(capsys, "--db", url, "report", "count-summary", "--date",
                             DAY.isoformat())
    assert code == 4, err
    assert "The database refused the command" in err and "Unexpected error" not in err


def test_the_wizard_says_try_again_when_another_import_got_there_first(db, tmp_path):
    """The wizard's run (ui/wizards/import_jobs.run_import) turns the collision into a
    message for its page (ConcurrentWrite, exit 4 family), not the crash dialog."""
    from wics_desktop.core.errors import ConcurrentWrite
    from wics_desktop.ui.wizards.import_jobs import ImportOptions, run_import

    setup_reference(db, [("L10", "A-100")])
    path = write_xlsx(tmp_path / "counts.xlsx", [
        ["CountDate", "Counter", "LOCATION", "Material", "CTD_QTY_Expr"],
        [DAY, "Chris", "D2", "A-100", "5"]], sheet="Counts")
    url = db.url.render_as_string(hide_password=False)
    fired = []

    def competitor(conn, cursor, statement, params, context, executemany):
        if fired or "actual_counts" not in statement or "IN (" not in statement:
            return
        fired.append(1)
        other = Database(url)
        try:
            with other.session() as s:
                import_counts(s, path, actor=Actor("other", "ws9", role="admin"))
        finally:
            other.dispose()

    event.listen(Engine, "after_cursor_execute", competitor)
    try:
        with pytest.raises(ConcurrentWrite, match="Import the file again"):
            with db.session() as s:
                run_import(s, "counts", ImportOptions(path=str(path)),
                           actor=Actor("me", "ws1", role="admin"))
    finally:
        event.remove(Engine, "after_cursor_execute", competitor)
    assert fired and count_rows(db, ActualCount) == 1
