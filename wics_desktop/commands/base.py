"""What every `wics` subcommand shares: the context (database, actor, output) and arg types."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from typing import Any

from ..core.actor import Actor
from ..core.errors import DatabaseUnavailable


def iso_date(text: str) -> dt.date:
    """argparse type for YYYY-MM-DD; anything else is a usage error (exit 2)."""
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date '{text}': use YYYY-MM-DD") from None


def set_rows(ctx: CliContext, rows: int) -> None:
    """Record rows processed in the task log line of the running job (if it is one)."""
    if ctx.task is not None:
        ctx.task.rows = rows


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true",
                        help="print exactly one JSON document on stdout")


def to_jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


PASSWORD_ENV = "WICS_PASSWORD"
# For nightly jobs: a file holding the password, readable by its owner only (else refused).
PASSWORD_FILE_ENV = "WICS_PASSWORD_FILE"


def read_password_file(path_text: str) -> str:
    """The first line of an owner-only file (POSIX: no group/other bits; Windows: the file
    must sit in the user's profile, see docs/operations.md)."""
    from pathlib import Path

    from ..core.errors import NotPermitted

    path = Path(path_text).expanduser()
    try:
        if os.name == "posix" and path.stat().st_mode & 0o077:
            raise NotPermitted(f"sign-in refused: {path} is readable by other accounts; "
                               f"make it owner-only (chmod 600 {path}).")
        return path.read_text(encoding="utf-8").splitlines()[0].rstrip("\r") if \
            path.stat().st_size else ""
    except OSError as exc:
        raise NotPermitted(f"sign-in refused: cannot read {PASSWORD_FILE_ENV} "
                           f"({exc.strerror or exc}).") from exc


def connection_identity(url) -> Actor:
    """Who a command runs as without --user: the connection's own identity, with full rights
    in WICS (the database decides what it may really do). MySQL/MariaDB: the account named
    in the URL, which has only what the server grants it; SQLite: whoever can write the file,
    named by the OS user."""
    from sqlalchemy.engine import make_url

    u = make_url(str(url))
    if u.get_backend_name() != "sqlite" and u.username:
        return Actor(username=u.username, role="admin")
    return Actor(role="admin")


class CliContext:
    def __init__(self, db_url: str | None, user: str | None, json: bool = False,
                 permission: str | None = None) -> None:
        self.db_url = db_url
        self.user = user
        # Until sign-in (done when the database is first opened) the actor has no role, so a
        # service reached by mistake before that refuses (fail closed).
        self.actor = Actor(username=user, role=None) if user else Actor(role=None)
        self.json = json
        # The permission the command needs (set_defaults(permission=...)), checked right
        # after sign-in, before the command reads or writes anything.
        self.permission = permission
        self.signed_in = False
        self._database = None
        # Set by cli.main for commands registered with set_defaults(task=...): a handler
        # records rows processed with `ctx.task.rows = n`.
        self.task = None
        # Set by commands a person waits on (count add): short connect and answer timeouts,
        # so a silent server sends the count offline within seconds instead of minutes.
        self.interactive = False
        self.route = None  # where reports read from, once asked (reports_database)

    # ---- database ---------------------------------------------------------------------
    def database(self, *, require_schema: bool = True):
        """The Database for --db / env / config; checks it answers and has the WICS schema,
        then signs in (--user) or takes the connection's identity, and checks the command's
        permission."""
        if self._database is None:
            from ..core.config import resolve_url
            from ..core.db import Database

            url = resolve_url(self.db_url)
            from ..core import server_accounts

            timeouts = {}
            if self.interactive:
                from ..core.db import INTERACTIVE_CONNECT_TIMEOUT, INTERACTIVE_READ_TIMEOUT

                timeouts = {"connect_timeout": INTERACTIVE_CONNECT_TIMEOUT,
                            "read_timeout": INTERACTIVE_READ_TIMEOUT}
            if self.user and server_accounts.wants_personal_account(url):
                # MySQL/MariaDB URL without account or password (workstation config: server and
                # database only): the person connects with their own server account, so the
                # server checks their password and enforces their role.
                self._database = self._personal_database(url, **timeouts)
            else:
                self._database = Database(url, **timeouts)
        if require_schema and not self._database.has_schema():
            raise DatabaseUnavailable(
                f"{self._database.describe()} has no WICS schema yet: run `wics db upgrade` first."
            )
        if not self.signed_in:
            if require_schema:
                self.sign_in(self._database)
            else:
                # Commands that may run before the schema exists (db upgrade, demo) or while
                # the server is away (sync, outbox): sign in when it can be done; otherwise
                # the actor keeps no role (core refuses changes) until a later call, or
                # sign_in_offline() on this PC's replica.
                try:
                    ready = self._database.has_schema()
                except DatabaseUnavailable:
                    ready = False
                if ready:
                    self.sign_in(self._database)
        return self._database

    def reports_database(self):
        """Where a report reads (core.report_routing): the reporting replica when one is set
        and current, else the database. A fallback is said on stderr."""
        from ..core import report_routing

        if self.route is None:
            url, max_lag = report_routing.settings()
            self.route = report_routing.choose(self.database(), url, max_lag)
            if self.route.note:
                self.say(f"wics: {self.route.note}")
        return self.route.database

    def note_route(self, doc: dict) -> dict:
        """`doc` with "served_by" (where it was read, or why not on the replica) - only where
        a reporting replica is configured, so other sites' JSON stays as it was."""
        route = self.route
        if route is not None and (route.served_by == "replica" or route.note):
            doc["served_by"] = route.as_dict()
        return doc

    def _personal_database(self, url, **timeouts):
        from sqlalchemy.exc import DBAPIError

        from ..core import server_accounts
        from ..core.db import Database
        from ..core.errors import NotPermitted

        # the URL stays the workstation's (replica, verifier, info)
        database = Database(url, **timeouts)
        server_accounts.use_personal_account(database, self.user, self.password() or "")
        try:
            with database.engine.connect():
                pass
        except DBAPIError as exc:
            if server_accounts.is_refused_login(exc):
                # Unknown account, wrong password or locked (deactivated): the server said no
                # before anything could be audited (docs/operations.md).
                database.dispose()
                raise NotPermitted("sign-in refused") from exc
            # Not reachable: the caller finds out on first use (sync then works offline).
        self.personal = True
        return database

    def password(self) -> str | None:
        """WICS_PASSWORD, else WICS_PASSWORD_FILE (an owner-only file), else a prompt when
        stdin is a terminal (never the command line). Asked once per command."""
        if getattr(self, "_password", None) is None:
            self._password = self._ask_password()
        return self._password

    def _ask_password(self) -> str | None:
        value = os.environ.get(PASSWORD_ENV)
        if value:
            return value
        if os.environ.get(PASSWORD_FILE_ENV):
            return read_password_file(os.environ[PASSWORD_FILE_ENV])
        if sys.stdin is not None and sys.stdin.isatty():
            import getpass

            try:
                return getpass.getpass(f"Password for {self.user}: ")
            except (EOFError, KeyboardInterrupt):
                return None
        return None

    def sign_in(self, database) -> None:
        """--user: check the password (audited, lock-out after repeated failures); else the
        connection's identity. Then the command's permission."""
        from ..core import permissions
        from ..core.errors import NotPermitted

        if self.user:
            from ..core.services import users

            password = self.password() or ""
            with database.session() as s:  # committed: the attempt is audited either way
                outcome = users.sign_in(s, self.user, password, via="cli")
            if outcome.user is None:
                raise NotPermitted("sign-in refused")
            self.actor = outcome.user.actor()
            if getattr(self, "personal", False):
                # This PC now knows this person: they may sign in here offline later.
                from ..core.config import resolve_url
                from ..core.sync import verifier

                verifier.remember(verifier.path_for(resolve_url(self.db_url)), self.user,
                                  password)
        else:
            self.actor = connection_identity(database.url)
        self.signed_in = True
        if self.task is not None:
            self.task.actor = self.actor
        if self.permission:
            permissions.require(self.actor, self.permission)

    def sign_in_offline(self, replica) -> None:
        """The server cannot be reached: check --user against this PC's replica (which keeps
        the hashes of active users for exactly this), without writing; the audit of the
        attempt is not possible offline. Then the command's permission."""
        from ..core import permissions
        from ..core.errors import NotPermitted

        if self.signed_in:
            return
        if self.user:
            from ..core import server_accounts
            from ..core.config import resolve_url
            from ..core.services import users

            url = resolve_url(self.db_url)
            with replica.session() as s:
                if server_accounts.wants_personal_account(url):
                    # Personal server accounts: only people who signed in on this PC before,
                    # against this PC's own verifier (core/sync/verifier.py).
                    from ..core.sync import verifier

                    user = verifier.check(verifier.path_for(url), s, self.user,
                                          self.password() or "")
                else:
                    user = users.check_credentials(s, self.user, self.password() or "")
            if user is None:
                raise NotPermitted("sign-in refused")
            self.actor = user.actor()
        else:
            self.actor = connection_identity(self.db_url_resolved())
        self.signed_in = True
        if self.permission:
            permissions.require(self.actor, self.permission)

    def db_url_resolved(self):
        if self._database is not None:
            return self._database.url
        from ..core.config import resolve_url

        return resolve_url(self.db_url)

    def require(self, permission: str) -> None:
        """Check a permission a handler needs beyond its command's (signs in first)."""
        from ..core import permissions

        self.database()
        permissions.require(self.actor, permission)

    def close(self) -> None:
        if self.route is not None and self.route.database is not self._database:
            self.route.database.dispose()
        if self._database is not None:
            self._database.dispose()

    # ---- output -----------------------------------------------------------------------
    def say(self, text: str) -> None:
        """A message for people: stderr, so stdout stays clean for --json."""
        print(text, file=sys.stderr)

    def out(self, text: str) -> None:
        print(text)

    def emit(self, payload: Any, human: str | None = None) -> None:
        """--json: the payload on stdout. Otherwise the human text (if any) on stdout."""
        if self.json:
            print(json.dumps(payload, default=to_jsonable, ensure_ascii=False))
        elif human is not None:
            print(human)

    def fail(self, message: str, code: int, payload: Any = None) -> None:
        self.say(f"wics: {message}")
        if self.json:
            doc = {"error": message, "exit_code": code}
            if isinstance(payload, dict):
                doc.update(payload)
            print(json.dumps(doc, default=to_jsonable, ensure_ascii=False))
