"""The MySQL/MariaDB server enforces the permission table: one server account per WICS user.

Everything the server is told lives in this module: the names of accounts and roles, the
roles' grants (derived from the same viewer < clerk < supervisor < admin ladder as
core.permissions), the triggers for the row rules grants cannot express, and the statements
that create, re-password, lock and drop a person's account.

- `setup(engine)` is idempotent and needs the owner account (the one that runs
  `wics db upgrade`, which calls it on MySQL/MariaDB): it creates the mapping table
  `wics_accounts` (server account -> WICS user name and role, written only by the owner and
  read by the triggers, which run with the owner's rights), one server ROLE per WICS role,
  re-grants each role from scratch, and (re)creates the triggers.
- `save_account()` is what the users service calls after it created or changed a user: it
  creates/alters the account on a connection of its own (CREATE USER and GRANT commit
  implicitly; they must not commit the service's half-done transaction).
- SQLite has none of this: the application checks, and the file's OS permissions are the
  boundary (docs/permissions.md).

Names: accounts are `wics_<db>_<user>`, roles `wicsr_<db>_<role>` (the 'r' keeps a WICS user
called "clerk" from colliding with the role), so two WICS databases on one server do not
collide. Everything stays within MySQL 8's 32-character limit (MariaDB allows 80): a long
database name or user name is cut and given a stable hash suffix.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import URL, Connection, CursorResult, Engine
from sqlalchemy.exc import DBAPIError

from .errors import NotPermitted
from .permissions import ROLES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .db import Database

MAX_NAME = 32  # MySQL 8's limit for user names (MariaDB: 80); roles share it.
MAPPING_TABLE = "wics_accounts"

# ---- the grants, per role (cumulative: each role holds all of the one below) --------------

# Every role reads every table and view of the database (lists, reports, exports; the
# mapping table too, so a personal connection sees that accounts are in force and an admin's
# user change is refused with a clear message instead of leaving the account behind, and
# the user names in it are in `users` anyway). Beyond that, what each role may WRITE, as
# (table, privileges):
_WRITES: dict[str, tuple[tuple[str, str], ...]] = {
    "viewer": (
        # Signing in is audited and stamps users.last_login; a person changes their own
        # password. Column grants, and the users trigger keeps it to their own row.
        ("audit_log", "INSERT"),
        ("users", "UPDATE (last_login, password_hash, must_change_password, updated_at)"),
    ),
    "clerk": (
        # Counts: only their own may be changed or deleted (triggers check entered_by).
        ("actual_counts", "INSERT, UPDATE, DELETE"),
        ("deleted_counts", "INSERT"),
        # Requests: a clerk's schedule rows must be requests, and only their own change.
        ("count_schedule", "INSERT, UPDATE, DELETE"),
        # Offline counts the server holds for a supervisor's attention at push time.
        ("sync_attention", "INSERT, UPDATE"),
        # Each sync reports how many counts wait in this PC's outbox (the outbox alert).
        ("workstation_outbox", "INSERT, UPDATE"),
    ),
    "supervisor": tuple((t, "INSERT, UPDATE, DELETE") for t in (
        "deleted_counts", "sync_attention", "materials", "mpn", "material_photos",
        "part_types", "sap_stock", "worksheet_zones", "location_zones",
        # the counting loop's decisions, the planner's capacities, the alert list
        "count_reviews", "counter_capacity", "alerts")),
    "admin": tuple((t, "INSERT, UPDATE, DELETE") for t in (
        "users", "menu_groups", "menu_items", "parameters", "greetings", "holidays",
        "organizations", "sap_plants", "units_of_measure")),
}
# Nobody but the owner: UPDATE/DELETE of audit_log, anything on wics_accounts, DDL.
# Tables only a workstation's replica writes (on the server no role writes them). Every other
# table of the models must appear in _WRITES (a test checks), so a table added later is not
# silently read-only for every person.
REPLICA_ONLY: tuple[str, ...] = ("sync_outbox", "sync_state")


def writes_of(role: str) -> dict[str, str]:
    """table -> privileges `role` may write (its own and those of every role below)."""
    out: dict[str, list[str]] = {}
    for r in ROLES[: ROLES.index(role) + 1]:
        for table, privileges in _WRITES[r]:
            for p in _split_privileges(privileges):
                if p not in out.setdefault(table, []):
                    out[table].append(p)
    # A column-limited UPDATE is dropped once the role may update the whole table.
    for table, privs in out.items():
        if "UPDATE" in privs:
            out[table] = [p for p in privs if not p.startswith("UPDATE (")]
    return {t: ", ".join(p) for t, p in out.items()}


def _split_privileges(text_: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text_:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    parts.append(cur.strip())
    return [p for p in parts if p]


def grants_markdown() -> str:
    """The grants per role as Markdown (docs/permissions.md embeds it; a test compares)."""
    lines = ["| Server role | Reads | Writes |", "|---|---|---|"]
    for role in ROLES:
        writes = "; ".join(f"`{t}`: {p}" for t, p in writes_of(role).items())
        lines.append(f"| `wicsr_<db>_{role}` | every table and view "
                     f"| {writes} |")
    return "\n".join(lines)


# ---- names -----------------------------------------------------------------------------

def _hash(value: str, n: int) -> str:
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:n]


def _db_part(database: str) -> str:
    return database if len(database) <= 12 else f"{database[:6]}{_hash(database, 6)}"


def account_name(database: str, username: str) -> str:
    """The server account of WICS user `username` in database `database` (stable)."""
    prefix = f"wics_{_db_part(database)}_"
    user = username.strip().lower()
    name = prefix + user
    if len(name) > MAX_NAME:
        name = prefix + user[: MAX_NAME - len(prefix) - 7] + "_" + _hash(user, 6)
    return name


def role_name(database: str, role: str) -> str:
    return f"wicsr_{_db_part(database)}_{role}"


# ---- the triggers ----------------------------------------------------------------------

_SIGNAL = "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{}'"
# The WICS user name of the connected account when its role is one of `roles`, else NULL
# (owner, service accounts and higher roles pass). SESSION_USER() is the client's account;
# CURRENT_USER() inside a trigger would be the trigger's definer.
_WHO = ("(SELECT username FROM wics_accounts WHERE account = "
        "SUBSTRING_INDEX(SESSION_USER(), '@', 1) AND role IN ({}))")
_LOW = "'viewer', 'clerk'"
_LOW_SUP = "'viewer', 'clerk', 'supervisor'"


def _trigger_sql() -> dict[str, str]:
    own_count = _SIGNAL.format("WICS: a clerk may change or delete only the counts they "
                               "entered themselves")
    own_request = _SIGNAL.format("WICS: a clerk may change or delete only their own count "
                                 "requests")
    only_requests = _SIGNAL.format("WICS: a clerk may add count requests only (with a "
                                   "requestor), not schedule entries")
    own_user = _SIGNAL.format("WICS: only an admin may change another user")
    mine_req = ("(SELECT id FROM users WHERE LOWER(username) = LOWER(who))")
    return {
        "wics_audit_account": (
            "CREATE TRIGGER wics_audit_account BEFORE INSERT ON audit_log FOR EACH ROW "
            "SET NEW.db_account = SESSION_USER()"),
        "wics_counts_own_update": (
            "CREATE TRIGGER wics_counts_own_update BEFORE UPDATE ON actual_counts FOR EACH ROW "
            f"BEGIN DECLARE who VARCHAR(150) DEFAULT {_WHO.format(_LOW)}; "
            "IF who IS NOT NULL AND (LOWER(COALESCE(OLD.entered_by, '')) <> LOWER(who) OR "
            "LOWER(COALESCE(NEW.entered_by, '')) <> LOWER(who)) THEN "
            f"{own_count}; END IF; END"),
        "wics_counts_own_delete": (
            "CREATE TRIGGER wics_counts_own_delete BEFORE DELETE ON actual_counts FOR EACH ROW "
            f"BEGIN DECLARE who VARCHAR(150) DEFAULT {_WHO.format(_LOW)}; "
            "IF who IS NOT NULL AND LOWER(COALESCE(OLD.entered_by, '')) <> LOWER(who) THEN "
            f"{own_count}; END IF; END"),
        "wics_schedule_requests_only": (
            "CREATE TRIGGER wics_schedule_requests_only BEFORE INSERT ON count_schedule "
            f"FOR EACH ROW BEGIN DECLARE who VARCHAR(150) DEFAULT {_WHO.format(_LOW)}; "
            "IF who IS NOT NULL AND NULLIF(TRIM(NEW.requestor), '') IS NULL THEN "
            f"{only_requests}; END IF; END"),
        "wics_schedule_own_update": (
            "CREATE TRIGGER wics_schedule_own_update BEFORE UPDATE ON count_schedule "
            f"FOR EACH ROW BEGIN DECLARE who VARCHAR(150) DEFAULT {_WHO.format(_LOW)}; "
            f"IF who IS NOT NULL AND (COALESCE(OLD.requested_by_id, -1) <> "
            f"COALESCE({mine_req}, -2) OR NULLIF(TRIM(NEW.requestor), '') IS NULL) THEN "
            f"{own_request}; END IF; END"),
        "wics_schedule_own_delete": (
            "CREATE TRIGGER wics_schedule_own_delete BEFORE DELETE ON count_schedule "
            f"FOR EACH ROW BEGIN DECLARE who VARCHAR(150) DEFAULT {_WHO.format(_LOW)}; "
            f"IF who IS NOT NULL AND COALESCE(OLD.requested_by_id, -1) <> "
            f"COALESCE({mine_req}, -2) THEN {own_request}; END IF; END"),
        "wics_users_own_row": (
            "CREATE TRIGGER wics_users_own_row BEFORE UPDATE ON users FOR EACH ROW "
            "BEGIN DECLARE who VARCHAR(150) DEFAULT "
            f"{_WHO.format(_LOW_SUP)}; "
            "IF who IS NOT NULL AND (LOWER(OLD.username) <> LOWER(who) OR "
            "NEW.username <> OLD.username OR NEW.role <> OLD.role OR "
            f"NEW.active <> OLD.active) THEN {own_user}; END IF; END"),
    }


# ---- set-up (owner) --------------------------------------------------------------------

def is_server(engine_or_conn: Engine | Connection) -> bool:
    return engine_or_conn.dialect.name in ("mysql", "mariadb")


def _is_mariadb(conn: Connection) -> bool:
    return bool(getattr(conn.dialect, "is_mariadb", False))


def _refused(exc: DBAPIError, what: str) -> NotPermitted:
    args: tuple[Any, ...] = getattr(exc.orig, "args", None) or ()
    reason = args[1] if len(args) > 1 else str(exc.orig)
    return NotPermitted(
        f"The database server refused to {what}: {reason}. People's server accounts are "
        f"created and changed only on the owner account's connection (the one that runs "
        f"`wics db upgrade`; it has CREATE USER and GRANT OPTION): do this with `wics --db "
        f"OWNER-URL ...` or in the desktop started with `--db OWNER-URL`. Nothing was saved. "
        f"docs/operations.md, 'Per-person server accounts'.")


_PERMISSION_CODES = {1044, 1045, 1142, 1143, 1211, 1227, 1370, 1410}


def _run(conn: Connection, sql: str, params: tuple[Any, ...] = (),
         what: str = "change accounts") -> CursorResult[Any]:
    try:
        return conn.exec_driver_sql(sql, params) if params else conn.exec_driver_sql(sql)
    except DBAPIError as exc:
        args: tuple[Any, ...] = getattr(exc.orig, "args", None) or ()
        code = args[0] if args else None
        if code in _PERMISSION_CODES:
            raise _refused(exc, what) from exc
        raise


@dataclass(frozen=True)
class SetupResult:
    database: str
    roles: dict[str, str]  # WICS role -> server role
    triggers: list[str]


def setup(engine: Engine) -> SetupResult:
    """Create or refresh the roles, grants, mapping table and triggers (idempotent, owner)."""
    with engine.connect() as raw:
        conn = raw.execution_options(isolation_level="AUTOCOMMIT")
        database = conn.exec_driver_sql("SELECT DATABASE()").scalar_one()
        _run(conn, f"CREATE TABLE IF NOT EXISTS {MAPPING_TABLE} ("
                   "account VARCHAR(80) NOT NULL PRIMARY KEY, "
                   "username VARCHAR(150) NOT NULL, role VARCHAR(20) NOT NULL) "
                   "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
             what="create the account table")
        tables = [r[0] for r in conn.exec_driver_sql(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
            "ORDER BY table_name")]
        roles: dict[str, str] = {}
        for role in ROLES:
            name = role_name(database, role)
            roles[role] = name
            _run(conn, "CREATE ROLE IF NOT EXISTS %s", (name,), what="create roles")
            # Re-grant from nothing, so a grant removed from this module is removed on the
            # server at the next upgrade.
            _run(conn, "REVOKE ALL PRIVILEGES, GRANT OPTION FROM %s", (name,),
                 what="re-grant roles")
            for table in tables:
                _run(conn, f"GRANT SELECT ON `{database}`.`{table}` TO %s", (name,),
                     what="grant to roles")
            for table, privileges in writes_of(role).items():
                if table in tables:
                    _run(conn, f"GRANT {privileges} ON `{database}`.`{table}` TO %s", (name,),
                         what="grant to roles")
        triggers = _trigger_sql()
        for trigger, sql in triggers.items():
            _run(conn, f"DROP TRIGGER IF EXISTS {trigger}", what="replace triggers")
            _run(conn, sql, what="create triggers")
    return SetupResult(database=database, roles=roles, triggers=list(triggers))


def enabled(conn: Connection) -> bool:
    """Are server accounts set up for this database (MySQL/MariaDB, after `setup`)?"""
    if not is_server(conn):
        return False
    return bool(conn.exec_driver_sql(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
        f"AND table_name = '{MAPPING_TABLE}'").scalar())


# ---- one person's account ----------------------------------------------------------------

def _engine_of(session: Session) -> Engine:
    return session.get_bind().engine  # an Engine's .engine is itself


def account_of(session: Session, username: str) -> str | None:
    """The server account that WICS user signs in with, or None (SQLite, not set up, none)."""
    conn = session.connection()
    if not enabled(conn):
        return None
    # By name, not from the mapping table: save_account wrote that on another connection,
    # which this transaction's snapshot may not see yet.
    return account_name(conn.exec_driver_sql("SELECT DATABASE()").scalar_one(), username)


def save_account(session: Session, username: str, role: str, active: bool,
                 password: str | None = None) -> str | None:
    """Create or bring up to date the server account of a WICS user; returns its name.

    Without a password an account that does not exist yet is not created (a user created
    before the set-up gets one when an admin sets or resets their password). Runs on its own
    connection of the session's engine, so the account statements' implicit commits leave
    the service's transaction alone; if that transaction rolls back afterwards, the account
    stays, and saving the user again brings it in line.
    """
    if not enabled(session.connection()):
        return None
    engine = _engine_of(session)
    with engine.connect() as raw:
        conn = raw.execution_options(isolation_level="AUTOCOMMIT")
        database = conn.exec_driver_sql("SELECT DATABASE()").scalar_one()
        account = account_name(database, username)
        row = conn.exec_driver_sql(
            f"SELECT role FROM {MAPPING_TABLE} WHERE account = %s", (account,)).first()
        if row is None and password is None:
            return None
        if row is None:
            _run(conn, "CREATE USER IF NOT EXISTS %s@'%%' IDENTIFIED BY %s",
                 (account, password), what="create the user's account")
        if password is not None:
            _run(conn, "ALTER USER %s@'%%' IDENTIFIED BY %s", (account, password),
                 what="set the account's password")
        old_role = row[0] if row is not None else None
        if old_role != role:
            if old_role in ROLES:
                try:
                    conn.exec_driver_sql("REVOKE %s FROM %s@'%%'",
                                         (role_name(database, old_role), account))
                except DBAPIError:
                    pass  # not granted any more (changed by hand): nothing to take back
            _run(conn, "GRANT %s TO %s@'%%'", (role_name(database, role), account),
                 what="grant the role")
            if _is_mariadb(conn):
                _run(conn, "SET DEFAULT ROLE %s FOR %s@'%%'",
                     (role_name(database, role), account), what="set the default role")
            else:
                _run(conn, "SET DEFAULT ROLE %s TO %s@'%%'",
                     (role_name(database, role), account), what="set the default role")
        _run(conn, f"ALTER USER %s@'%%' ACCOUNT {'UNLOCK' if active else 'LOCK'}", (account,),
             what="lock or unlock the account")
        _run(conn, f"REPLACE INTO {MAPPING_TABLE} (account, username, role) VALUES (%s, %s, %s)",
             (account, username.strip(), role), what="record the account")
    return account


def change_own_password(session: Session, username: str, password: str) -> bool:
    """A person changing their own password on their own connection: SET PASSWORD needs no
    privilege. Returns False when the connection is not that person's account (then the
    owner path, save_account, is used)."""
    conn = session.connection()
    if not enabled(conn):
        return False
    database = conn.exec_driver_sql("SELECT DATABASE()").scalar_one()
    me = conn.exec_driver_sql("SELECT SUBSTRING_INDEX(SESSION_USER(), '@', 1)").scalar()
    if me != account_name(database, username):
        return False
    if _is_mariadb(conn):
        conn.exec_driver_sql("SET PASSWORD = PASSWORD(%s)", (password,))
    else:
        conn.exec_driver_sql("SET PASSWORD = %s", (password,))
    return True


def drop_all(engine: Engine) -> list[str]:
    """Drop every account and role of this database (tests; taking a database out of use)."""
    dropped: list[str] = []
    with engine.connect() as raw:
        conn = raw.execution_options(isolation_level="AUTOCOMMIT")
        if not enabled(conn):
            return dropped
        database = conn.exec_driver_sql("SELECT DATABASE()").scalar_one()
        for (account,) in conn.exec_driver_sql(f"SELECT account FROM {MAPPING_TABLE}").all():
            conn.exec_driver_sql("DROP USER IF EXISTS %s@'%%'", (account,))
            dropped.append(account)
        conn.exec_driver_sql(f"DELETE FROM {MAPPING_TABLE}")
        for role in ROLES:
            name = role_name(database, role)
            conn.exec_driver_sql("DROP ROLE IF EXISTS %s", (name,))
            dropped.append(name)
    return dropped


# ---- signing in with one's own account -------------------------------------------------------

def personal_url(url: URL | str, username: str, password: str) -> URL:
    """The URL with the person's own account and password in place of the URL's (MySQL)."""
    from sqlalchemy.engine import make_url

    url = make_url(str(url))
    return url.set(username=account_name(url.database or "", username), password=password)


def wants_personal_account(url: URL | str) -> bool:
    """A MySQL/MariaDB URL with neither account nor password (the workstation config holds
    server and database only): people sign in with their own accounts. A URL naming an
    account keeps connecting as that account, even with an empty password (root on a test
    server)."""
    from sqlalchemy.engine import make_url

    url = make_url(str(url))
    return (url.get_backend_name() in ("mysql", "mariadb") and not url.username
            and not url.password)


def use_personal_account(database: Database, username: str, password: str) -> str:
    """Make `database` (opened on a URL without account) log in as this person's own account
    from now on; returns the account name. Nothing is connected yet: the first use says
    whether the server accepts it (is_refused_login)."""
    account = account_name(database.url.database or "", username)
    database.set_credentials(account, password)
    return account


# Server error codes of a refused log-in: wrong password/unknown account, account locked.
SIGN_IN_REFUSED_CODES = {1045, 3118, 4151}


def is_refused_login(exc: BaseException) -> bool:
    args: tuple[Any, ...] = getattr(getattr(exc, "orig", None), "args", ())
    return bool(args) and isinstance(args[0], int) and args[0] in SIGN_IN_REFUSED_CODES
