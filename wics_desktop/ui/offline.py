"""OfflineController: the desktop's side of offline work, for a workstation on a server.

- The window's ConnectionMonitor (ctx.connection, ui/connection.py) probes the server every two
  seconds; this controller listens to it. When it stops answering, open connections are cut
  off (so nothing waits on a dead socket), and the AppContext and the background runner switch
  to this PC's replica: Count Entry, lookups, last found at and the schedule keep working, and
  new counts go to the outbox (core.sync does that transparently).
- When the server answers again, everything switches back and the outbox is sent, then the
  replica refreshed, on a worker. The same sync runs every minute while online, and once at
  start (the first one builds the replica).
- Screens that need the server say so instead of opening (OFFLINE_SCREENS lists the others).
The main window shows `status_text()` in the status bar and `banner_text()` above the tabs.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..core.db import Database
from ..core.errors import WicsError
from ..core.sync import OfflineGuard, SyncResult, Workstation, is_unreachable
from .connection import ConnectionMonitor
from .context import AppContext

log = logging.getLogger("wics.ui.offline")

# Screens that work on the replica: counting and looking things up. Everything else (imports,
# master-data and schedule editing, reports across workstations, administration) needs the
# server and says so while offline.
OFFLINE_SCREENS = frozenset({"count_entry", "materials", "material", "mpns", "schedule", "sync"})
OFFLINE_BANNER = "Offline \u2014 counts are saved on this PC and sent when the server is back."
REFRESH_MS = 60_000


class OfflineController(QObject):
    mode_changed = Signal(bool)       # online?
    status_changed = Signal()         # status text, outbox or sync result changed
    synced = Signal(object)           # SyncResult after each successful sync

    def __init__(self, ctx: AppContext, server: Database, monitor: ConnectionMonitor, *,
                 start_online: bool = True, refresh_ms: int = REFRESH_MS, replica_path=None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.server = server
        self.workstation = Workstation(server, replica_path)
        self.guard = OfflineGuard(server.engine)
        self.monitor = monitor  # the window's (ctx.connection): this controller listens
        self.monitor.when_lost(self.guard.cut_off)
        self.monitor.changed.connect(self._changed)
        self.online = start_online
        self.reason = ""
        self.syncing = False
        self.last_sync: SyncResult | None = None
        self.last_sync_at: dt.datetime | None = None
        self.last_error = ""
        self.pending = 0
        self.attention = 0
        self.closed = False
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.sync_now)
        ctx.offline = self
        if not start_online:
            self._use(self.workstation.offline_database())
            self.guard.cut_off()

    # ---- life --------------------------------------------------------------------------------
    def start(self) -> None:
        self.monitor.start(assume_online=self.online)
        self._timer.start()
        self._count_outbox()
        if self.online:
            self.sync_now()

    def stop(self) -> None:
        """The window closes: no more syncs or signals (late results are dropped); the window
        stops its monitor."""
        self.closed = True
        self._timer.stop()

    def close(self) -> None:
        """After the runner has finished its work (the replica is closed last)."""
        self.workstation.close()

    # ---- switching ---------------------------------------------------------------------------
    def _use(self, database: Database) -> None:
        self.ctx.database = database
        self.ctx.runner.database = database

    @Slot(bool, str)
    def _changed(self, online: bool, reason: str) -> None:
        if self.closed:
            return
        if online:
            self.came_back()
        else:
            self.went_away(reason)

    def went_away(self, reason: str = "") -> bool:
        """Work on the replica from now on; False when this PC has no replica yet."""
        self.guard.cut_off()
        self.reason = reason or "the server does not answer"
        was_online, self.online = self.online, False
        ok = self.workstation.has_replica()
        if ok:
            self._use(self.workstation.offline_database())
        if was_online:
            log.warning("working offline: %s", self.reason)
            self.mode_changed.emit(False)
        self.status_changed.emit()
        return ok

    def came_back(self) -> None:
        if self.online:
            return
        self.guard.restore()
        self._use(self.server)
        self.online = True
        self.reason = ""
        log.info("server reachable again")
        self.mode_changed.emit(True)
        self.sync_now()

    def take_over(self, exc: BaseException) -> bool:
        """A save just failed: if the server is unreachable, go offline now (the monitor would
        within seconds) and tell the caller to try again on the replica."""
        if not is_unreachable(exc):
            return False
        self.monitor.check_soon()
        return self.went_away(str(exc)) if self.online else self.workstation.has_replica()

    # ---- sync --------------------------------------------------------------------------------
    def sync_now(self, manual: bool = False) -> bool:
        """Send the outbox and refresh the replica on a worker (no-op offline or if running).

        Its task-log line ("sync") is written when the user asked for it (`manual`), when it
        sent counts or built the replica, or when it failed - not for the quiet minutely ones."""
        if not self.online or self.syncing or self.closed:
            return False
        self.syncing = True
        self.status_changed.emit()
        self.ctx.runner.submit(self.workstation.sync, session=False, title="sync",
                               on_result=self._synced, on_error=self._sync_failed, job="sync",
                               job_summary=lambda r, job: r.fill_task(job, routine=not manual))
        return True

    def _synced(self, result: SyncResult) -> None:
        self.syncing = False
        if self.closed:
            return
        self.last_sync, self.last_sync_at = result, dt.datetime.now()
        self.last_error = ""
        self._count_outbox(then=lambda: self.synced.emit(result))  # the status first, as before

    def _sync_failed(self, failure) -> None:
        self.syncing = False
        if self.closed:
            return
        self.last_error = str(failure.error)
        if not isinstance(failure.error, WicsError):
            log.error("sync failed:\n%s", failure.traceback)
        self._count_outbox()

    def _count_outbox(self, then: Callable[[], object] | None = None) -> None:
        """Count what waits in the outbox, on a worker (the replica is a file on this PC, but
        the GUI thread reads no database); the status line changes when the answer is in,
        then `then()` runs."""
        if self.closed:
            return

        def counted(summary) -> None:
            self._outbox_counted(summary)
            if then is not None and not self.closed:
                then()

        self.ctx.runner.submit(self._outbox_summary, session=False, title="outbox",
                               on_result=counted, owner=self)

    def _outbox_summary(self):
        try:
            self.workstation.has_replica()  # asked here once, it answers the GUI thread from memory
            return self.workstation.outbox_summary()
        except Exception:  # a status line must never break the window
            log.exception("reading the outbox failed")
            return None

    def _outbox_counted(self, summary) -> None:
        if summary is not None:
            self.pending, self.attention = summary.pending, summary.attention
        if not self.closed:
            self.status_changed.emit()

    def note_saved(self, line) -> None:
        """After Count Entry saved `line`: a server count is copied into the replica at once
        (so it shows if the server goes away before the next refresh); an offline one
        changes the number waiting."""
        if line is not None and line.id > 0:
            # on a worker: a refresh writing the replica must never make the clerk wait
            self.ctx.runner.submit(self.workstation.remember, line, session=False,
                                   title="copy the count into the replica")
        else:
            self._count_outbox()

    def note_saved_offline(self) -> None:
        self._count_outbox()

    # ---- what the window shows ----------------------------------------------------------------
    def allows(self, screen_key: str) -> bool:
        return self.online or screen_key in OFFLINE_SCREENS

    def refusal(self, title: str) -> str:
        return (f"{title} needs the server, which cannot be reached right now "
                f"({self.reason}). Counting works offline; this screen will be available when "
                "the server is back.")

    def status_text(self) -> str:
        waiting = f" \u2014 {self.pending} count(s) waiting to be sent" if self.pending else ""
        if not self.online:
            if not self.workstation.has_replica():
                return "\u2716 Offline \u2014 no copy of the server on this PC yet"
            return "\u2716 Offline" + waiting
        if self.syncing:
            return "\u25cf Connected \u2014 syncing\u2026"
        return "\u25cf Connected" + waiting

    def tooltip(self) -> str:
        lines = [self.server.describe().capitalize(),
                 f"This PC's copy: {self.workstation.replica.path}"]
        if self.last_sync_at is not None:
            lines.append(f"Last sync: {self.last_sync_at:%H:%M:%S} \u2014 "
                         f"{self.last_sync.describe()}")
        if self.last_error:
            lines.append(f"Last problem: {self.last_error}")
        if self.attention:
            lines.append(f"{self.attention} count(s) typed here are waiting for a supervisor "
                         "(needs attention).")
        if not self.online:
            lines.append(f"Why offline: {self.reason}")
        return "\n".join(lines)

    def banner_text(self) -> str:
        if self.online:
            return ""
        if not self.workstation.has_replica():
            return ("Offline \u2014 the server cannot be reached and this PC has no copy of it "
                    "yet, so counts cannot be saved until the server is back.")
        return OFFLINE_BANNER
