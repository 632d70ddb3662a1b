"""One workstation's offline side for one server: sync (push, then refresh) and offline saves.

`Workstation(server_database)` finds the replica file for that server in the user data folder
(or the path given). `sync()` builds the replica the first time, then sends the outbox and
refreshes; `save_offline()` stores a count in the replica and its outbox (the server being
unreachable); `offline_database()` is the replica a screen reads from while offline.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update

from ..actor import Actor
from ..clock import utcnow
from ..db import Database
from ..dialect import table_of
from ..errors import NotFound, WicsError
from ..models import ActualCount, OutboxCount, User
from ..models.sync import OUTBOX_SENT
from ..progress import Progress
from ..services import counts, materials
from . import outbox
from .connectivity import is_unreachable
from .push import BATCH_SIZE, PushResult, push
from .refresh import RefreshResult, refresh
from .replica import NoReplica, Replica

if TYPE_CHECKING:
    from ..tasklog import _Job

log = logging.getLogger("wics.sync")

KEEP_SENT = dt.timedelta(days=30)  # sent outbox rows are kept this long, as a local record


@dataclass(frozen=True)
class Saved:
    line: counts.CountLine
    offline: bool            # True: in this PC's outbox, not yet on the server
    reason: str | None = None  # why the server was not used


@dataclass
class SyncResult:
    push: PushResult = field(default_factory=PushResult)
    refresh: RefreshResult = field(default_factory=RefreshResult)
    seconds: float = 0.0

    @property
    def built(self) -> bool:
        return self.refresh.built

    def as_dict(self) -> dict[str, Any]:
        """The `wics sync --json` document (CLI contract)."""
        return {"pushed": self.push.pushed, "already_present": self.push.already_present,
                "needs_attention": self.push.needs_attention,
                "refreshed_rows": self.refresh.rows}

    def fill_task(self, handle: _Job | None, *, routine: bool = False) -> None:
        """This sync's task-log line (core.tasklog): rows = counts handled + replica rows
        written. A routine sync (the desktop's every-minute one) that sent nothing and built
        nothing stays out of the log, or the Activity screen would list one a minute."""
        if handle is None:
            return
        handle.rows = self.push.handled + self.refresh.rows
        handle.detail = self.describe()
        handle.extra = self.as_dict()
        handle.quiet = routine and not self.push.handled and not self.built

    def describe(self) -> str:
        parts = [f"{self.push.pushed} count(s) sent"]
        if self.push.already_present:
            parts.append(f"{self.push.already_present} already on the server")
        if self.push.needs_attention:
            parts.append(f"{self.push.needs_attention} need a supervisor's attention")
        what = "replica built" if self.built else "replica refreshed"
        parts.append(f"{what}: {self.refresh.rows} row(s) in {self.seconds:.1f} s")
        return "; ".join(parts)


class Workstation:
    def __init__(self, server: Database, replica_path: Path | str | None = None) -> None:
        self.server = server
        self.replica = Replica.for_server(server.url, replica_path)

    # ---- online ----------------------------------------------------------------------------
    def sync(self, *, full: bool = False, rebuild: bool = False, progress: Progress | None = None,
             after_server_commit: Callable[[int], None] | None = None,
             today: dt.date | None = None, batch_size: int = BATCH_SIZE) -> SyncResult:
        """Push the outbox, then refresh (build the first time). Raises DatabaseUnavailable
        when the server cannot be reached; what was sent before that stays sent."""
        started = time.monotonic()
        db = self.replica.open(create=True)
        result = SyncResult()
        from ..alerts.outbox_report import report_outbox

        report_outbox(self.server, db)  # what waits here, in case sending fails half-way
        result.push = push(self.server, db, progress=progress, batch_size=batch_size,
                           after_server_commit=after_server_commit)
        report_outbox(self.server, db)
        result.refresh = refresh(self.server, db, full=full, rebuild=rebuild, progress=progress,
                                 today=today)
        from ..server_accounts import wants_personal_account

        if wants_personal_account(self.server.url):
            # Personal server accounts: offline sign-in uses this PC's own verifier of people
            # who signed in here (sync/verifier.py), so the replica keeps no password hashes.
            # updated_at is kept as the server set it: it is the refresh's change marker.
            users = table_of(User)
            with db.engine.begin() as conn:
                conn.execute(update(users).where(users.c.password_hash.is_not(None))
                             .values(password_hash=None, updated_at=users.c.updated_at))
        with db.session() as s:
            s.execute(delete(OutboxCount).where(OutboxCount.state == OUTBOX_SENT,
                                                OutboxCount.sent_at < utcnow() - KEEP_SENT))
        result.seconds = time.monotonic() - started
        return result

    def save_count(self, actor: Actor, data: counts.CountInput, *,
                   offline: bool = False) -> Saved:
        """Save on the server; when it cannot be reached (or `offline` says it is known to be
        down), in the replica and its outbox. The uuid is fixed first: if the server stored
        the count just before the line dropped, sending it later finds it there."""
        data.uuid = data.uuid or str(uuidlib.uuid4())
        reason = "the server is offline"
        if not offline:
            try:
                with self.server.session() as s:
                    line = counts.add_count(s, actor, data)
            except WicsError as exc:
                if not is_unreachable(exc):
                    raise
                reason = str(exc)
            else:
                self.remember(line)
                return Saved(line, False)
        return Saved(self.save_offline(actor, data), True, reason)

    def remember(self, line: counts.CountLine) -> None:
        """Copy a count just stored on the server into the replica at once, so that if the
        server goes away before the next refresh, this PC's own counts still show offline."""
        if not self.replica.exists():
            return
        values = {c.name: getattr(line, c.name) for c in table_of(ActualCount).columns
                  if hasattr(line, c.name)}
        values["quantity"] = line.quantity
        try:
            with self.replica.open().engine.begin() as conn:
                conn.execute(insert(table_of(ActualCount)).prefix_with("OR REPLACE"), values)
        except Exception:  # a copy for later; the count itself is safe
            log.warning("could not copy count %s into the replica", line.id, exc_info=True)

    # ---- offline ---------------------------------------------------------------------------
    def has_replica(self) -> bool:
        return self.replica.is_built()

    def offline_database(self) -> Database:
        """The built replica; NoReplica (exit 4) when this PC never synced with the server."""
        if not self.replica.is_built():
            where = self.server.describe().split(": ", 1)[-1]
            raise NoReplica(
                f"The server {where} cannot be reached and this PC has no copy of it yet "
                "(run `wics sync` once while the server is reachable), so nothing was saved.")
        return self.replica.open()

    def save_offline(self, actor: Actor, data: counts.CountInput) -> counts.CountLine:
        with self.offline_database().session() as s:
            return counts.add_count(s, actor, data)

    def save_offline_by_name(self, actor: Actor, material: str, org: str | None,
                             data: counts.CountInput) -> counts.CountLine:
        """As save_offline, the material given as typed (part number, 'PART (ORG)', MPN)."""
        with self.offline_database().session() as s:
            data.material_id = materials.resolve(s, material, org=org).id
            return counts.add_count(s, actor, data)

    def take_back(self, actor: Actor, uuid: str) -> str:
        """Undo a count by its uuid, wherever it is now: still waiting in this PC's outbox
        ('local', nothing reaches the server) or already on the server ('server')."""
        if self.replica.exists():
            with self.replica.open().session() as s:
                local = s.scalar(select(ActualCount).where(ActualCount.uuid == uuid,
                                                           ActualCount.id < 0))
                if local is not None:
                    counts.delete_count(s, actor, local.id)
                    return "local"
        with self.server.session() as s:
            count_id = s.scalar(select(ActualCount.id).where(ActualCount.uuid == uuid))
            if count_id is None:
                raise NotFound("That count is neither waiting on this PC nor on the server.")
            counts.delete_count(s, actor, count_id)
        return "server"

    def outbox_summary(self) -> outbox.OutboxSummary:
        if not self.replica.exists():
            return outbox.OutboxSummary()
        with self.replica.open().session() as s:
            return outbox.summary(s)

    def close(self) -> None:
        self.replica.close()
