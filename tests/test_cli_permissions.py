"""Signing in on the command line, and exit 5 for every role/command pair the table refuses.

In-process (`cli.main([...])`), on SQLite and MariaDB, against one database per module that
holds a user of each role (password: CLI_PASSWORD): a refusal writes nothing, so the pairs
can share it. Nothing written is checked as "the row counts and the audit trail, sign-ins
aside, are what they were".
"""
from __future__ import annotations

import getpass
import json

import pytest
from conftest import make_sqlite_db
from sqlalchemy import func, select

from wics_desktop.cli import main
from wics_desktop.core import permissions, schema
from wics_desktop.core.db import Database
from wics_desktop.core.models import ROLES, AuditLog, Material, Organization, User

from core_fixtures import CLI_PASSWORD, ensure_user, material, password_env, setup_orgs

DAY = "2026-11-20"

# command line (after --db/--user) -> the permission it needs
COMMANDS: dict[tuple[str, ...], str] = {
    ("db", "info"): "view",
    ("report", "locations", "--json"): "reports",
    ("report", "count-summary", "--date", DAY, "--json"): "reports",
    ("report", "worksheet", "--date", DAY, "--json"): "print_count_sheets",
    ("count", "add", "--date", DAY, "--material", "A-100", "--counter", "Kim", "--location",
     "D2", "--qty", "5"): "enter_counts",
    ("import", "sap-soh", "missing.xlsx", "--date", DAY): "import",
    ("import", "mm60", "missing.xlsx"): "import",
    ("import", "counts", "missing.xlsx"): "import",
    ("import", "schedule", "missing.xlsx"): "import",
    ("attention", "list", "--json"): "resolve_sync",
    ("audit", "list", "--json"): "view_audit",
    ("part-type", "add", "AST-Z"): "edit_part_types",
    ("org", "add", "L99"): "edit_orgs",
    ("plant", "add", "FW99", "--org", "L10"): "edit_orgs",
    ("uom", "add", "BOX", "--multiplier", "12"): "edit_orgs",
    ("param", "set", "ACCURACY-SUCCESS", "99"): "edit_parameters",
    ("holiday", "add", "2026-12-25"): "edit_holidays",
    ("user", "add", "mallory", "--role", "admin", "--password-stdin"): "edit_users",
    ("user", "list"): "edit_users",
    ("user", "deactivate", "admin"): "edit_users",
    ("db", "backup", "copy.sqlite"): "admin",
    ("demo", "--materials", "5", "--days", "1"): "admin",
}
REFUSED = [(role, cmd) for cmd, perm in COMMANDS.items() for role in ROLES
           if not permissions.can(role, perm)]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("mysql", marks=pytest.mark.mysql)])
def shared(request, tmp_path_factory):
    """One database per kind for the module, with a user of each role."""
    if request.param == "sqlite":
        database = make_sqlite_db(request.getfixturevalue("_sqlite_template"),
                                  tmp_path_factory.mktemp("perm"))
    else:
        database = Database(request.getfixturevalue("mysql_databases").create("wics_perm"))
        schema.upgrade(database)
    with database.session() as s:
        setup_orgs(s)
        material(s, "A-100")
    for role in ROLES:
        ensure_user(database, role, role)
    yield database
    database.dispose()


def _state(database) -> tuple:
    with database.session() as s:
        return (s.scalar(select(func.count()).select_from(Organization)),
                s.scalar(select(func.count()).select_from(Material)),
                s.scalar(select(func.count()).select_from(User)),
                s.scalar(select(func.count()).select_from(AuditLog)
                         .where(AuditLog.entity != "sign_in")))


def _run(capsys, database, *args, user: str | None = None, password: str | None = CLI_PASSWORD):
    url = database.url.render_as_string(hide_password=False)
    argv = ["--db", url, *(["--user", user] if user else []), *args]
    capsys.readouterr()
    if password is None:
        code = main(argv)
    else:
        with password_env(password):
            code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("role, command", REFUSED,
                         ids=[f"{r}-{' '.join(c[:2])}" for r, c in REFUSED])
def test_a_command_the_role_may_not_run_exits_5_and_writes_nothing(shared, capsys, tmp_path,
                                                                  monkeypatch, role, command):
    monkeypatch.chdir(tmp_path)  # `db backup copy.sqlite` would land here
    before = _state(shared)
    code, out, err = _run(capsys, shared, *command, user=role)
    assert code == 5, err
    assert COMMANDS[command] in err and f"signed in as {role}" in err
    assert _state(shared) == before
    assert not (tmp_path / "copy.sqlite").exists()


def test_each_role_runs_what_it_may(shared, capsys):
    code, out, _ = _run(capsys, shared, "report", "locations", "--json", user="viewer")
    assert code == 0 and "materials" in json.loads(out)
    code, _, err = _run(capsys, shared, "count", "add", "--date", DAY, "--material", "A-100",
                        "--counter", "Kim", "--location", "D2", "--qty", "5", user="clerk")
    assert code == 0, err
    code, out, _ = _run(capsys, shared, "audit", "list", "--entity", "actual_count", "--json",
                        user="supervisor")
    rows = json.loads(out)
    assert code == 0 and rows[0]["user"] == "clerk" and rows[0]["action"] == "create"
    code, out, _ = _run(capsys, shared, "audit", "list", "--entity", "sign_in", "--json",
                        user="supervisor")
    assert code == 0 and json.loads(out) == []  # sign-ins are the admin's
    code, out, _ = _run(capsys, shared, "audit", "list", "--entity", "sign_in", "--limit", "1",
                        "--json", user="admin")
    (row,) = json.loads(out)
    assert (row["user"], row["action"], row["after"]["via"]) == ("admin", "signed_in", "cli")


@pytest.mark.parametrize("user, password", [("admin", "wrong-password"), ("nobody", CLI_PASSWORD),
                                            ("admin", None)])
def test_sign_in_refused_says_not_which_and_is_audited(shared, capsys, monkeypatch, user,
                                                       password):
    monkeypatch.delenv("WICS_PASSWORD", raising=False)
    before = _state(shared)
    code, out, err = _run(capsys, shared, "org", "add", "L77", "--json", user=user,
                          password=password)
    assert code == 5 and json.loads(out)["error"] == "sign-in refused"
    assert "wrong" not in err and "unknown" not in err
    assert _state(shared) == before
    # read back as the connection itself (a sign-in as admin would be the newest row)
    code, out, _ = _run(capsys, shared, "audit", "list", "--entity", "sign_in", "--user", user,
                        "--limit", "1", "--json", password=None)
    (row,) = json.loads(out)
    assert (row["user"], row["action"], row["key"]) == (user, "refused", user)


def test_repeated_failures_lock_the_name_out_for_a_while(db, capsys):
    ensure_user(db, "kim", "clerk")
    for _ in range(5):
        assert _run(capsys, db, "db", "info", user="kim", password="not-her-password")[0] == 5
    code, _, err = _run(capsys, db, "db", "info", user="kim")  # the right password, too late
    assert code == 5 and "sign-in refused" in err
    assert _run(capsys, db, "db", "info", user="admin2", password=CLI_PASSWORD)[0] == 5
    ensure_user(db, "lee", "clerk")
    assert _run(capsys, db, "db", "info", user="lee")[0] == 0  # other names are not affected
    with db.session() as s:
        reasons = [json.loads(r.after_json)["reason"] for r in s.scalars(
            select(AuditLog).where(AuditLog.entity == "sign_in", AuditLog.entity_key == "kim")
            .order_by(AuditLog.id))]
    assert reasons[-1] == "locked out" and len(reasons) == 6


def test_without_user_the_command_runs_as_the_connection(db, capsys):
    code, _, err = _run(capsys, db, "org", "add", "L55", password=None)
    assert code == 0, err
    with db.session() as s:
        who = s.scalar(select(AuditLog.username).where(AuditLog.entity == "organization"))
    expected = db.url.username if db.url.get_backend_name() == "mysql" else getpass.getuser()
    assert who == expected


@pytest.mark.skipif(__import__("os").name != "posix", reason="POSIX file modes")
def test_a_nightly_job_reads_its_password_from_an_owner_only_file(sqlite_db, capsys, tmp_path,
                                                                  monkeypatch):
    import os

    ensure_user(sqlite_db, "nightly", "supervisor")
    secret = tmp_path / "nightly.pw"
    secret.write_text(CLI_PASSWORD + "\n")
    os.chmod(secret, 0o644)
    monkeypatch.delenv("WICS_PASSWORD", raising=False)
    monkeypatch.setenv("WICS_PASSWORD_FILE", str(secret))
    code, _, err = _run(capsys, sqlite_db, "report", "locations", "--json", user="nightly",
                        password=None)
    assert code == 5 and "chmod 600" in err  # readable by others: refused
    os.chmod(secret, 0o600)
    code, _, err = _run(capsys, sqlite_db, "report", "locations", "--json", user="nightly",
                        password=None)
    assert code == 0, err
