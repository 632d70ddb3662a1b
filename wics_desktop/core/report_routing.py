"""Where reports read from: a MySQL/MariaDB replica when the site has one and it is current,
else the primary.

A site whose one server is busy at the start of a shift can point reports and exports (count
summary, lists, count sheets, the dashboard) at a replica kept by the database's own
asynchronous replication, while counts and imports keep going to the primary. The replica is
used only when it answers within a couple of seconds and its replication threads run with a
lag of at most `max_lag` seconds; otherwise the report runs on the primary and says why, so
a supervisor never reads yesterday's numbers believing they are today's.

Settings: `reports_url` and `reports_max_lag` in the [database] section of config.ini, or the
environment variables WICS_REPORTS_URL / WICS_REPORTS_MAX_LAG (default 30 seconds).
"""
from __future__ import annotations

import configparser
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.engine import make_url

from . import config
from .db import Database, short_reason

ENV_REPORTS_URL = "WICS_REPORTS_URL"
ENV_REPORTS_MAX_LAG = "WICS_REPORTS_MAX_LAG"
DEFAULT_MAX_LAG = 30
CHECK_TIMEOUT = 2  # seconds to wait for the replica before the primary takes the report

T = TypeVar("T")


@dataclass(frozen=True)
class Route:
    database: Database
    served_by: str              # "primary" or "replica"
    lag_seconds: int | None = None
    note: str | None = None     # why the primary serves although a replica is configured

    def as_dict(self) -> dict[str, Any]:
        return {"served_by": self.served_by, "lag_seconds": self.lag_seconds, "note": self.note}

    def header(self) -> str | None:
        """The line a report shows at its top when it matters."""
        if self.served_by == "replica":
            return f"From the reporting replica ({self.lag_seconds or 0} s behind the server)"
        return self.note


def settings() -> tuple[str | None, int]:
    """(reports_url, max_lag) from the environment, else the user's then the site's config."""
    url = os.environ.get(ENV_REPORTS_URL)
    lag = os.environ.get(ENV_REPORTS_MAX_LAG)
    for path in (config.config_file(), config.site_config_file()):
        if path.is_file() and (not url or lag is None):
            parser = configparser.ConfigParser(interpolation=None)
            parser.read(path, encoding="utf-8-sig")
            url = url or parser.get("database", "reports_url", fallback="").strip() or None
            if lag is None:
                lag = parser.get("database", "reports_max_lag", fallback=None)
    try:
        max_lag = int(lag) if lag not in (None, "") else DEFAULT_MAX_LAG
    except ValueError:
        max_lag = DEFAULT_MAX_LAG
    return (url.strip() if url and url.strip() else None), max(0, max_lag)


def replica_lag(database: Database) -> tuple[int | None, str | None]:
    """(seconds behind the primary, None) for a replicating server, else (None, why not)."""
    try:
        with database.engine.connect() as conn:
            row = conn.execute(text("SHOW SLAVE STATUS")).mappings().first()
    except Exception as exc:  # noqa: BLE001 - any failure means: do not report from it
        return None, f"the reporting replica cannot be reached ({short_reason(exc)})"
    if row is None:
        return None, "the reporting replica is not set up to replicate"
    if row.get("Slave_IO_Running") != "Yes" or row.get("Slave_SQL_Running") != "Yes":
        return None, "replication to the reporting replica is stopped"
    lag = row.get("Seconds_Behind_Master")
    if lag is None:
        return None, "the reporting replica does not know how far behind it is"
    return int(lag), None


def choose(primary: Database, reports_url: str | None, max_lag: int,
           replica: Database | None = None) -> Route:
    """The database a report should read; `replica` may be passed to reuse an engine."""
    if not reports_url or primary.is_embedded:
        return Route(primary, "primary")
    if replica is None:
        try:
            replica = Database(reports_url, connect_timeout=CHECK_TIMEOUT,
                               read_timeout=max(CHECK_TIMEOUT, 600))
        except Exception as exc:  # noqa: BLE001 - a malformed reports_url must not stop reports
            return Route(primary, "primary", None,
                         f"From the server: the reporting replica setting is unusable "
                         f"({exc.__class__.__name__})")
    if make_url(reports_url).get_backend_name() not in ("mysql", "mariadb"):
        return Route(primary, "primary", None, "From the server: the reporting replica must "
                     "be MySQL/MariaDB")
    lag, why = replica_lag(replica)
    if why is not None:
        replica.dispose()
        return Route(primary, "primary", None, f"From the server: {why}")
    assert lag is not None  # replica_lag gives a lag whenever it gives no reason
    if lag > max_lag:
        replica.dispose()
        return Route(primary, "primary", lag, f"From the server: the reporting replica is "
                     f"{lag} s behind (more than {max_lag} s allowed)")
    return Route(replica, "replica", lag)


def read(primary: Database, fetch: Callable[..., T], **options: Any) -> tuple[T, str | None]:
    """(fetch(session, **options), the report's header line or None), read where `choose`
    says: what the desktop's report screens run on their worker."""
    url, max_lag = settings()
    route = choose(primary, url, max_lag)
    try:
        with route.database.session() as session:
            return fetch(session, **options), route.header()
    finally:
        if route.database is not primary:
            route.database.dispose()
