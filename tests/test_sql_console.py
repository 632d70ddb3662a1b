"""Run SQL (admins): one reading statement, on a connection the database keeps read-only,
stopped after the time limit — on SQLite and MariaDB."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from wics_desktop.core import sql_console
from wics_desktop.core.actor import Actor
from wics_desktop.core.errors import InputRejected, NotPermitted
from wics_desktop.core.models import Organization

from core_fixtures import setup_orgs

ADMIN = Actor(username="ada", workstation="WS-1", role="admin")


def _orgs(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Organization))


def test_a_select_returns_columns_and_rows(db):
    with db.session() as s:
        setup_orgs(s)
    result = sql_console.run_query(db, ADMIN, "-- orgs\nSELECT name FROM organizations "
                                              "WHERE name LIKE 'L%' ORDER BY name;")
    assert result.columns == ["name"] and result.rows == [("L10",), ("L6",)]
    few = sql_console.run_query(db, ADMIN, "SELECT name FROM organizations", max_rows=1)
    assert len(few.rows) == 1 and few.truncated


@pytest.mark.parametrize("sql", [
    "UPDATE organizations SET name = 'X'",
    "DELETE FROM organizations",
    "SELECT 1; DELETE FROM organizations",
    "select 1 ; drop table users",
    "INSERT INTO organizations (name) VALUES ('X')",
    "",
])
def test_anything_but_one_reading_statement_is_refused(db, sql):
    with db.session() as s:
        setup_orgs(s)
    with pytest.raises(sql_console.QueryRefused):
        sql_console.run_query(db, ADMIN, sql)
    assert _orgs(db) == 2


def test_a_semicolon_inside_a_string_is_not_a_second_statement(db):
    result = sql_console.run_query(db, ADMIN, "SELECT 'a;b' AS t")
    assert result.rows == [("a;b",)]


def test_the_connection_itself_refuses_to_write(db):
    """Past the statement check (a WITH ... UPDATE on SQLite, an UPDATE on MariaDB), the
    database's read-only connection still refuses."""
    with db.session() as s:
        setup_orgs(s)
    if db.dialect == "sqlite":
        run = sql_console._run_sqlite
        sql = "WITH x AS (SELECT 1) UPDATE organizations SET name = 'X'"
    else:
        run, sql = sql_console._run_mysql, "UPDATE organizations SET name = 'X'"
    with pytest.raises(InputRejected, match="(?i)read.?only"):
        run(db, sql, 5, 10)
    assert _orgs(db) == 2


def test_a_long_query_is_stopped(db):
    if db.dialect == "sqlite":
        sql = ("WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
               "WHERE n < 1000000000) SELECT COUNT(*) FROM c")
    else:
        sql = ("SELECT COUNT(*) FROM information_schema.collations a, "
               "information_schema.collations b, information_schema.collations c, "
               "information_schema.collations d")
    with pytest.raises(sql_console.QueryStopped, match="stopped after 0.5 seconds"):
        sql_console.run_query(db, ADMIN, sql, seconds=0.5)


@pytest.mark.parametrize("role", ["viewer", "clerk", "supervisor", None])
def test_only_admins_run_sql(db, role):
    with pytest.raises(NotPermitted, match="run_sql"):
        sql_console.run_query(db, Actor(username="x", role=role), "SELECT 1")
