"""What every `wics` subcommand shares: the context (database, actor, output) and arg types."""
from __future__ import annotations

import argparse
import datetime as dt
import json
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


def set_rows(ctx: "CliContext", rows: int) -> None:
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


class CliContext:
    def __init__(self, db_url: str | None, user: str | None, json: bool = False) -> None:
        self.db_url = db_url
        self.actor = Actor(username=user) if user else Actor()
        self.json = json
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
        """The Database for --db / env / config; checks it answers and has the WICS schema."""
        if self._database is None:
            from ..core.config import resolve_url
            from ..core.db import Database

            if self.interactive:
                from ..core.db import INTERACTIVE_CONNECT_TIMEOUT, INTERACTIVE_READ_TIMEOUT

                self._database = Database(resolve_url(self.db_url),
                                          connect_timeout=INTERACTIVE_CONNECT_TIMEOUT,
                                          read_timeout=INTERACTIVE_READ_TIMEOUT)
            else:
                self._database = Database(resolve_url(self.db_url))
        if require_schema and not self._database.has_schema():
            raise DatabaseUnavailable(
                f"{self._database.describe()} has no WICS schema yet: run `wics db upgrade` first."
            )
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
