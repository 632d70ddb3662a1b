"""Shared fixtures: a clean WICS database on SQLite and on MariaDB for every test that asks.

`db` is parametrized over both databases. MariaDB comes from WICS_TEST_MYSQL_URL (default
mysql+pymysql://root@127.0.0.1:3306/); the session creates one throwaway database and drops it at
the end. When MariaDB is unreachable its tests skip, unless WICS_REQUIRE_MYSQL=1 (CI), where
they fail. Each test starts from an empty, seeded schema.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import gui_thread_guard
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data" / "wics3"
MYSQL_DEFAULT = "mysql+pymysql://root@127.0.0.1:3306/"


@pytest.fixture(autouse=True)
def _no_sql_on_the_gui_thread():
    """The desktop never runs SQL on the GUI thread (tests/gui_thread_guard.py)."""
    gui_thread_guard.take()
    yield
    found = gui_thread_guard.take()
    if found:
        pytest.fail("SQL ran on the GUI thread (use ctx.read / ctx.op):\n  " + "\n  ".join(found),
                    pytrace=False)


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_dirs(tmp_path_factory):
    """Keep config, data and logs of the test run out of the real user folders."""
    base = tmp_path_factory.mktemp("userdirs")
    for var, sub in (("WICS_CONFIG_DIR", "config"), ("WICS_DATA_DIR", "data"),
                     ("WICS_LOG_DIR", "log"), ("WICS_SITE_CONFIG_DIR", "site-config")):
        os.environ[var] = str(base / sub)
    os.environ.pop("WICS_DATABASE_URL", None)
    yield base


def mysql_required() -> bool:
    return os.environ.get("WICS_REQUIRE_MYSQL") == "1"


def _mysql_unavailable(reason: str):
    if mysql_required():
        pytest.fail(f"MariaDB is required (WICS_REQUIRE_MYSQL=1) but unavailable: {reason}")
    pytest.skip(f"MariaDB unavailable: {reason}")


@pytest.fixture(scope="session")
def mysql_server_url():
    """URL of the MariaDB server (no database), or skip/fail when it does not answer."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(os.environ.get("WICS_TEST_MYSQL_URL", MYSQL_DEFAULT))
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "unavailable"
        _mysql_unavailable(str(exc).splitlines()[0])
    finally:
        engine.dispose()
    return url


class MysqlDatabases:
    """Creates throwaway databases on the server and drops them all at the end."""

    def __init__(self, server_url) -> None:
        from sqlalchemy import create_engine

        self.server_url = server_url
        self.engine = create_engine(server_url)
        self.names: list[str] = []

    def create(self, prefix: str = "wics_test") -> str:
        from sqlalchemy import text

        name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with self.engine.begin() as conn:
            conn.execute(text(
                f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"))
        self.names.append(name)
        return self.server_url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        from sqlalchemy import create_engine, text

        from wics_desktop.core import server_accounts

        for name in self.names:
            # Server accounts and roles a test (or `wics db upgrade`) made for that database
            # live outside it: drop them first.
            engine = create_engine(self.server_url.set(database=name))
            try:
                server_accounts.drop_all(engine)
            except Exception:  # noqa: BLE001 - the database may be gone already
                pass
            finally:
                engine.dispose()
        with self.engine.begin() as conn:
            for name in self.names:
                conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        self.engine.dispose()


@pytest.fixture(scope="session")
def mysql_databases(mysql_server_url):
    dbs = MysqlDatabases(mysql_server_url)
    yield dbs
    dbs.drop_all()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    """An upgraded, seeded SQLite file, copied for each test (faster than migrating each time)."""
    from wics_desktop.core import schema
    from wics_desktop.core.db import Database

    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    database = Database(f"sqlite:///{path}")
    schema.upgrade(database)
    with database.engine.connect() as conn:  # fold the WAL into the main file before copying
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture(scope="session")
def _mysql_shared(mysql_databases):
    """One upgraded MariaDB database for the session; tests empty it before they start."""
    from wics_desktop.core import schema
    from wics_desktop.core.db import Database

    database = Database(mysql_databases.create())
    schema.upgrade(database)
    yield database
    database.dispose()


def _empty_mysql(database) -> None:
    from sqlalchemy import text

    from wics_desktop.core import seeds
    from wics_desktop.core.models import Base

    with database.engine.begin() as conn:
        conn.execute(text("SET FOREIGN_KEY_CHECKS = 0"))
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(text(f"DELETE FROM `{table.name}`"))
        conn.execute(text("SET FOREIGN_KEY_CHECKS = 1"))
    with database.session() as session:
        seeds.apply(session)


def make_sqlite_db(template: Path, folder: Path):
    from wics_desktop.core.db import Database

    path = folder / f"wics_{uuid.uuid4().hex[:8]}.sqlite"
    shutil.copyfile(template, path)
    return Database(f"sqlite:///{path}")


@pytest.fixture
def sqlite_db(_sqlite_template, tmp_path):
    database = make_sqlite_db(_sqlite_template, tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def mysql_db(_mysql_shared):
    _empty_mysql(_mysql_shared)
    yield _mysql_shared


@pytest.fixture(params=["sqlite", pytest.param("mysql", marks=pytest.mark.mysql)])
def db(request):
    """A clean, seeded WICS database: SQLite and MariaDB in turn."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_db")
    return request.getfixturevalue("mysql_db")


@pytest.fixture
def shared_data() -> Path:
    """The real WICS-3 export in ../shared/data/wics3; the test skips when it is absent."""
    if not (SHARED_DATA / "MaterialList.csv").is_file():
        pytest.skip("../shared/data/wics3 is not present on this machine")
    return SHARED_DATA


class QueryCounter:
    """Counts SQL statements sent through an engine (for 'a fixed handful of queries' tests)."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.statements: list[str] = []

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._before)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._before)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries():
    return QueryCounter
