"""The MySQL/MariaDB server enforces the permission table (issue 22), with REAL accounts.

Each test module run creates its own database, roles and accounts (named after that throwaway
database, so parallel runs do not collide) and drops them at the end. Everything here is a
mysql test: SQLite keeps the application's checks (its file permissions are the boundary).
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from wics_desktop.core import schema, server_accounts
from wics_desktop.core.actor import Actor
from wics_desktop.core.db import Database
from wics_desktop.core.errors import NotPermitted
from wics_desktop.core.services import counts, schedule, users

ROOT = Path(__file__).resolve().parents[1]
OWNER = Actor(username="owner", workstation="SRV", role="admin")
DAY = dt.date(2026, 11, 20)
PASSWORDS = {"boss": "boss-pass-1", "ann": "ann-pass-11", "bob": "bob-pass-11",
             "vic": "vic-pass-11", "sue": "sue-pass-11"}
ROLES = {"boss": "admin", "ann": "clerk", "bob": "clerk", "vic": "viewer", "sue": "supervisor"}


@pytest.fixture(scope="module")
def site(mysql_databases):
    """A set-up database (owner connection) with one user per role and a material."""
    from core_fixtures import material, setup_orgs

    owner = Database(mysql_databases.create("wics_acc"))
    schema.upgrade(owner)
    server_accounts.setup(owner.engine)
    with owner.session() as s:
        for name, role in ROLES.items():
            users.create_user(s, name, PASSWORDS[name], role=role, actor=OWNER)
        setup_orgs(s)
        mat = material(s, "P-100")
    yield {"owner": owner, "material": mat}
    server_accounts.drop_all(owner.engine)
    owner.dispose()


def personal(site, name, password=None) -> Database:
    return Database(server_accounts.personal_url(site["owner"].url, name,
                                                 password or PASSWORDS[name]))


def refused(conn, sql: str, **params) -> str:
    """Run `sql` on a personal connection; the server must refuse it. Returns the message."""
    with pytest.raises(DBAPIError) as info:
        conn.execute(text(sql), params)
    return str(info.value.orig)


def add_count(db: Database, who: str, counter: str | None = None, mat: int = 0) -> int:
    with db.session() as s:
        return counts.add_count(s, Actor(who, "WS-1", ROLES[who]), counts.CountInput(
            count_date=DAY, material_id=mat, counter=counter or who, location="A1",
            expression="5")).id


@pytest.mark.mysql
def test_each_user_has_an_account_with_the_role_of_their_wics_role(site):
    with site["owner"].engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT username, role FROM wics_accounts")).all())
        assert rows == ROLES
        database = conn.execute(text("SELECT DATABASE()")).scalar()
    ann = server_accounts.account_name(database, "ann")
    assert len(ann) <= 32 and ann.startswith("wics_")
    with personal(site, "ann").engine.connect() as conn:
        assert conn.execute(text("SELECT CURRENT_ROLE()")).scalar().strip("`").split("`@")[0] \
            == server_accounts.role_name(database, "clerk")


@pytest.mark.mysql
def test_a_clerks_own_connection_is_refused_what_a_clerk_may_not_do(site):
    bobs = add_count(personal(site, "bob"), "bob", mat=site["material"])
    clerk = personal(site, "ann")
    with clerk.engine.connect() as conn:
        assert "denied" in refused(conn, "UPDATE users SET role = 'admin' WHERE username = 'ann'")
        assert "denied" in refused(conn, "INSERT INTO parameters (name, value) VALUES ('X', '1')")
        assert "denied" in refused(conn, "UPDATE materials SET description = 'x'")
        assert "denied" in refused(conn, "DELETE FROM audit_log")
        assert "denied" in refused(conn, "UPDATE audit_log SET username = 'nobody'")
        message = refused(conn, "UPDATE actual_counts SET expression = '999' WHERE id = :id",
                          id=bobs)
        assert "only the counts they entered" in message
        assert "only the counts they entered" in refused(
            conn, "DELETE FROM actual_counts WHERE id = :id", id=bobs)
        assert "only an admin may change another user" in refused(
            conn, "UPDATE users SET last_login = NULL WHERE username = 'bob'")
    with site["owner"].engine.connect() as conn:
        assert conn.execute(text("SELECT expression FROM actual_counts WHERE id = :id"),
                            {"id": bobs}).scalar() == "5"


@pytest.mark.mysql
def test_a_clerk_adds_changes_and_deletes_own_counts_and_adds_a_request(site):
    clerk = personal(site, "ann")
    mine = add_count(clerk, "ann", mat=site["material"])
    actor = Actor("ann", "WS-1", "clerk")
    with clerk.session() as s:
        counts.update_count(s, actor, mine, counts.CountInput(
            count_date=DAY, material_id=site["material"], counter="ann", location="A2",
            expression="7"))
        entry = schedule.add_entry(s, actor, schedule.ScheduleInput(
            count_date=DAY + dt.timedelta(days=3), material_id=site["material"],
            requestor="ann", reason="looks short"))
    with clerk.session() as s:
        counts.delete_count(s, actor, mine)
    with clerk.engine.connect() as conn:
        # A schedule entry that is not a request is a supervisor's: the server says no.
        assert "count requests only" in refused(
            conn, "INSERT INTO count_schedule (count_date, material_id, created_at, updated_at)"
                  " VALUES ('2026-12-01', :m, NOW(), NOW())", m=site["material"])
    with site["owner"].engine.connect() as conn:
        assert conn.execute(text("SELECT requestor FROM count_schedule WHERE id = :i"),
                            {"i": entry.id}).scalar() == "ann"
        assert conn.execute(text("SELECT COUNT(*) FROM actual_counts WHERE id = :i"),
                            {"i": mine}).scalar() == 0


@pytest.mark.mysql
def test_a_viewer_only_reads(site):
    viewer = personal(site, "vic")
    with viewer.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM materials")).scalar() >= 1
        assert "denied" in refused(
            conn, "INSERT INTO actual_counts (uuid, count_date, material_id, counter, location,"
                  " created_at, updated_at) VALUES ('u-vic', '2026-11-20', :m, 'vic', 'A1',"
                  " NOW(), NOW())", m=site["material"])
        assert "denied" in refused(conn, "INSERT INTO count_schedule (count_date, material_id,"
                                         " requestor) VALUES ('2026-12-01', :m, 'vic')",
                                   m=site["material"])


@pytest.mark.mysql
def test_a_supervisor_changes_any_count_and_materials_but_not_users(site):
    anns = add_count(personal(site, "ann"), "ann", mat=site["material"])
    sup = personal(site, "sue")
    with sup.engine.begin() as conn:
        conn.execute(text("UPDATE actual_counts SET notes = 'checked' WHERE id = :i"), {"i": anns})
        conn.execute(text("UPDATE materials SET description = 'checked' WHERE id = :i"),
                     {"i": site["material"]})
    with sup.engine.connect() as conn:
        assert "denied" in refused(conn, "UPDATE users SET role = 'admin' WHERE username = 'sue'")
        assert "denied" in refused(conn, "UPDATE parameters SET value = '1'")


@pytest.mark.mysql
def test_an_audit_row_with_a_forged_name_is_stored_with_the_real_account(site):
    clerk = personal(site, "ann")
    with clerk.engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_log (username, entity, action, db_account) "
                          "VALUES ('boss', 'user', 'update', 'root@localhost')"))
        row_id = conn.execute(text("SELECT LAST_INSERT_ID()")).scalar()
    with site["owner"].engine.connect() as conn:
        who, account = conn.execute(text("SELECT username, db_account FROM audit_log "
                                         "WHERE id = :i"), {"i": row_id}).one()
        database = conn.execute(text("SELECT DATABASE()")).scalar()
    assert who == "boss"  # what the client claimed is kept, and next to it the truth:
    assert account.split("@")[0] == server_accounts.account_name(database, "ann")
    from wics_desktop.core.services import audit_trail

    with site["owner"].session() as s:  # and `wics audit list` shows it
        entry = audit_trail.list_entries(s, OWNER, entity="user", limit=1)[0]
    assert entry.as_dict()["db_account"] == account


@pytest.mark.mysql
def test_a_deactivated_user_cannot_connect_and_is_let_in_again_when_activated(site):
    with personal(site, "bob").engine.connect():
        pass
    with site["owner"].session() as s:
        users.deactivate(s, "bob", actor=OWNER)
    bob = personal(site, "bob")
    with pytest.raises(DBAPIError) as info:
        with bob.engine.connect():
            pass
    assert server_accounts.is_refused_login(info.value)
    with site["owner"].session() as s:
        users.activate(s, "bob", actor=OWNER)
    with personal(site, "bob").engine.connect():
        pass


@pytest.mark.mysql
def test_password_reset_and_role_change_follow_on_the_server(site):
    with site["owner"].session() as s:
        temporary = users.reset_password(s, "vic", actor=OWNER)
        users.update_user(s, "vic", role="clerk", actor=OWNER)
    with pytest.raises(DBAPIError):
        with personal(site, "vic").engine.connect():
            pass
    with personal(site, "vic", temporary).engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO actual_counts (uuid, count_date, material_id, counter, location, "
            "entered_by, created_at, updated_at) VALUES ('u-vic-2', '2026-11-20', :m, 'vic', "
            "'A1', 'vic', NOW(), NOW())"), {"m": site["material"]})
    with site["owner"].session() as s:
        users.set_password(s, "vic", PASSWORDS["vic"], actor=OWNER)
        users.update_user(s, "vic", role="viewer", actor=OWNER)


@pytest.mark.mysql
def test_a_connection_that_may_not_create_users_gets_a_clear_message(site):
    admin = personal(site, "boss")
    with pytest.raises(NotPermitted, match="owner account"):
        with admin.session() as s:
            users.create_user(s, "newbie", "newbie-pass-1", role="clerk",
                              actor=Actor("boss", "WS-1", "admin"))
    with site["owner"].engine.connect() as conn:  # and nothing was written
        assert conn.execute(text("SELECT COUNT(*) FROM users WHERE username = 'newbie'")
                            ).scalar() == 0


def _wics(*args, password: str | None = None, stdin: str | None = None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("WICS_PASSWORD", None)
    if password is not None:
        env["WICS_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "wics_desktop", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.mysql
def test_cli_signs_in_with_the_persons_own_account_when_the_url_has_no_password(site):
    import json

    owner_url = site["owner"].url.render_as_string(hide_password=False)
    added = _wics("--db", owner_url, "user", "add", "carl", "--role", "clerk",
                  "--password-stdin", "--json", stdin="carl-pass-11\n")
    assert added.returncode == 0, added.stderr
    doc = json.loads(added.stdout)
    database = site["owner"].url.database
    assert doc["db_account"] == server_accounts.account_name(database, "carl")
    u = site["owner"].url  # server and database only, as a workstation's config holds
    workstation = f"mysql+pymysql://{u.host}:{u.port or 3306}/{u.database}"
    ok = _wics("--db", workstation, "--user", "carl", "count", "add", "--date", "2026-11-20",
               "--material", "P-100", "--counter", "carl", "--location", "B1", "--qty", "3",
               "--json", password="carl-pass-11")
    assert ok.returncode == 0, ok.stderr
    from wics_desktop.core.sync import verifier

    signins = verifier.path_for(workstation)  # this PC may now sign carl in offline
    assert "carl" in signins.read_text() and "carl-pass-11" not in signins.read_text()
    wrong = _wics("--db", workstation, "--user", "carl", "db", "info", password="nope-nope-1")
    assert wrong.returncode == 5 and "sign-in refused" in wrong.stderr
    with site["owner"].engine.connect() as conn:
        account = conn.execute(text(
            "SELECT db_account FROM audit_log WHERE entity = 'actual_count' AND "
            "username = 'carl' ORDER BY id DESC LIMIT 1")).scalar()
    assert account.startswith(doc["db_account"] + "@")
    with site["owner"].session() as s:
        users.deactivate(s, "carl", actor=OWNER)
    gone = _wics("--db", workstation, "--user", "carl", "db", "info", password="carl-pass-11")
    assert gone.returncode == 5 and "sign-in refused" in gone.stderr


def test_account_names_stay_within_mysqls_limit_and_do_not_collide():
    long_db = "warehouse_production_copy_2026"
    a = server_accounts.account_name(long_db, "a" * 60)
    b = server_accounts.account_name(long_db, "a" * 59 + "b")
    assert len(a) <= 32 and len(b) <= 32 and a != b
    assert server_accounts.account_name("wics", "Chris") == "wics_wics_chris"
    assert server_accounts.account_name("other", "chris") != "wics_wics_chris"
    # A WICS user called "clerk" is not the clerk role.
    assert server_accounts.account_name("wics", "clerk") != \
        server_accounts.role_name("wics", "clerk")


def test_the_grants_table_in_the_docs_is_the_one_the_server_gets():
    doc = (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert server_accounts.grants_markdown() in doc
    # A clerk writes counts but none of users, parameters, materials or the SAP tables.
    clerk = server_accounts.writes_of("clerk")
    assert "INSERT" in clerk["actual_counts"]
    assert not {"parameters", "materials", "sap_stock", "organizations"} & set(clerk)
    assert clerk["users"].startswith("UPDATE (")
    assert set(server_accounts.writes_of("viewer")) == {"audit_log", "users"}


def test_only_a_url_without_account_and_password_means_personal_accounts():
    assert server_accounts.wants_personal_account("mysql+pymysql://db01:3306/wics")
    assert not server_accounts.wants_personal_account("mysql+pymysql://root@db01:3306/wics")
    assert not server_accounts.wants_personal_account("mysql+pymysql://app:pw@db01/wics")
    assert not server_accounts.wants_personal_account("sqlite:////tmp/x.sqlite")
    url = server_accounts.personal_url("mysql+pymysql://db01:3306/wics", "Pat", "p@ss word")
    assert (url.username, url.password, url.host, url.database) == \
        ("wics_wics_pat", "p@ss word", "db01", "wics")


# ---- offline workstations ------------------------------------------------------------------

@pytest.mark.mysql
def test_a_queued_count_is_pushed_under_the_account_signed_in_at_push_time_audited_as_both(
        site, tmp_path):
    from wics_desktop.core.models import AuditLog
    from wics_desktop.core.sync.workstation import Workstation

    bob = personal(site, "bob")
    ws = Workstation(bob, tmp_path / "replica.sqlite")
    ws.sync()  # the replica, built on bob's own (clerk) account
    saved = ws.save_count(Actor("ann", "PC-7", "clerk"), counts.CountInput(
        count_date=DAY, material_id=site["material"], counter="ann", location="Q1",
        expression="4"), offline=True)
    assert saved.offline
    result = ws.sync()  # the server is back; bob is the one signed in now
    assert result.push.pushed == 1
    audit = AuditLog.__table__
    with site["owner"].engine.connect() as conn:
        row = conn.execute(select(audit.c.username, audit.c.db_account).where(
            audit.c.entity == "actual_count", audit.c.after_json.like('%"Q1"%'))).one()
        database = conn.exec_driver_sql("SELECT DATABASE()").scalar()
    assert row.username == "ann"  # who entered it, as queued
    assert row.db_account.split("@")[0] == server_accounts.account_name(database, "bob")
    ws.replica.close()


@pytest.mark.mysql
def test_a_replica_synced_with_a_personal_account_keeps_no_password_hashes(site, tmp_path):
    from wics_desktop.core.models import User
    from wics_desktop.core.sync.workstation import Workstation

    u = site["owner"].url
    server = Database(f"mysql+pymysql://{u.host}:{u.port or 3306}/{u.database}")
    server_accounts.use_personal_account(server, "bob", PASSWORDS["bob"])
    ws = Workstation(server, tmp_path / "replica.sqlite")
    ws.sync()
    with ws.replica.open().session() as s:
        rows = s.execute(select(User.username, User.password_hash)).all()
    assert {name for name, _ in rows} >= {"ann", "bob"}
    assert all(h is None for _, h in rows)  # offline sign-in: this PC's verifier instead
    ws.replica.close()
    server.dispose()


def test_offline_sign_in_knows_only_people_who_signed_in_on_this_pc(sqlite_db, tmp_path):
    from wics_desktop.core.secure_files import mode
    from wics_desktop.core.sync import verifier

    with sqlite_db.session() as s:
        users.create_user(s, "ann", "ann-pass-11", role="clerk", actor=OWNER)
        users.create_user(s, "bob", "bob-pass-11", role="clerk", actor=OWNER)
    path = tmp_path / "signins.json"
    verifier.remember(path, "Ann", "ann-pass-11")
    if os.name == "posix":
        assert mode(path) == 0o600
    assert "ann-pass-11" not in path.read_text()
    with sqlite_db.session() as s:
        assert verifier.check(path, s, "ann", "ann-pass-11").username == "ann"
        assert verifier.check(path, s, "ann", "wrong-pass-1") is None
        # bob has a hash in the database, but never signed in on this PC
        assert verifier.check(path, s, "bob", "bob-pass-11") is None
        users.deactivate(s, "ann", actor=OWNER)
    with sqlite_db.session() as s:
        assert verifier.check(path, s, "ann", "ann-pass-11") is None
    assert verifier.path_for("mysql+pymysql://db01:3306/wics").name == \
        "signins-db01_3306_wics.json"


def test_every_table_is_written_by_some_role_or_by_the_replica_only():
    """A table added to the models must be given to a role in server_accounts._WRITES, or
    every personal account could only read it."""
    from wics_desktop.core.models import Base

    written = set(server_accounts.writes_of("admin")) | set(server_accounts.REPLICA_ONLY)
    assert set(Base.metadata.tables) - written == set()


# ---- the desktop --------------------------------------------------------------------------

@pytest.mark.mysql
def test_desktop_sign_in_and_own_password_change_use_the_persons_own_account(qtbot, site):
    from wics_desktop.ui.login import ChangePasswordDialog, PersonalLoginDialog

    u = site["owner"].url  # what a workstation's config holds: server and database only
    database = Database(f"mysql+pymysql://{u.host}:{u.port or 3306}/{u.database}")
    dialog = PersonalLoginDialog(database)
    qtbot.addWidget(dialog)
    dialog.username.setText("sue")
    dialog.password.setText("wrong-pass-1")
    assert not dialog.try_sign_in() and "do not match" in dialog.banner.text()
    dialog.password.setText(PASSWORDS["sue"])
    assert dialog.try_sign_in() and dialog.user.username == "sue"
    me = "SELECT SUBSTRING_INDEX(SESSION_USER(), '@', 1)"
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql(me).scalar() == \
            server_accounts.account_name(u.database, "sue")
    change = ChangePasswordDialog(database, dialog.user)
    qtbot.addWidget(change)
    change.current.setText(PASSWORDS["sue"])
    change.new.setText("sue-new-pass-1")
    change.confirm.setText("sue-new-pass-1")
    assert change.change()
    with database.engine.connect() as conn:  # the same Database logs in with the new one
        assert conn.exec_driver_sql(me).scalar().startswith("wics_")
    with pytest.raises(DBAPIError):  # and the old password no longer opens the account
        with personal(site, "sue").engine.connect():
            pass
    database.dispose()
    with site["owner"].session() as s:
        users.set_password(s, "sue", PASSWORDS["sue"], actor=OWNER)
