"""ConnectionMonitor: the desktop's one answer to "is the database there?", off the GUI thread.

One per main window, owned by its AppContext (`ctx.connection`), for an embedded database and a
server alike; everything that cares listens to it. A plain Python thread asks the database
every `interval` seconds:

- a server through core's ServerProbe (one kept connection, `SELECT 1`, a two-second timeout),
  every two seconds, so a server that stops answering is noticed within about four seconds
  whatever the GUI thread is doing. On the change to offline the monitor first calls the
  `when_lost` callbacks *on its own thread* (the OfflineGuard's cut-off), because the GUI thread
  may be the one stuck waiting on the dead server; then it emits `changed(False, reason)`,
  which Qt delivers on the GUI thread. The OfflineController (ui/offline.py) listens to that.
- an embedded database through `Database.ping`, every fifteen seconds (a file on this PC rarely
  goes away: a network share, a USB stick); the main window's status bar follows `checked`.

`check_soon()` asks at once (after a failed save, say); `check_now()` asks on the calling
thread (the main window runs it on a worker for "check the connection now").
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from ..core.db import Database
from ..core.sync import ProbeResult, ServerProbe

log = logging.getLogger("wics.ui.connection")

SERVER_INTERVAL = 2.0  # seconds between two looks at a server
EMBEDDED_INTERVAL = 15.0  # ... at an embedded database (the first look after one interval)


class ConnectionMonitor(QObject):
    changed = Signal(bool, str)          # online?, why not (on transitions only)
    checked = Signal(bool, str, float)   # every look: online?, reason, seconds

    def __init__(self, database: Database, *, interval: float | None = None,
                 timeout: float = 2.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.embedded = database.is_embedded
        self.interval = interval if interval is not None else (
            EMBEDDED_INTERVAL if self.embedded else SERVER_INTERVAL)
        self._probe = None if self.embedded else ServerProbe(database, timeout=timeout)
        self._on_lost: list[Callable[[], object]] = []
        self._lock = threading.Lock()  # the thread and check_now() may report at once
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.online: bool | None = None  # unknown until the first answer

    @property
    def timeout(self) -> float:
        return self._probe.timeout if self._probe is not None else 0.0

    def when_lost(self, callback: Callable[[], object]) -> None:
        """Call `callback` on the monitor's thread the moment the database stops answering,
        before `changed` reaches the GUI thread."""
        self._on_lost.append(callback)

    def start(self, assume_online: bool | None = None) -> None:
        """Begin looking (again a no-op while looking)."""
        if self._thread is not None and self._thread.is_alive():
            return
        if assume_online is not None or self.online is None:
            self.online = assume_online
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="wics-connection-monitor",
                                        daemon=True)
        self._thread.start()

    def check_soon(self) -> None:
        """Look now instead of at the end of the interval (after a failed save, say)."""
        self._wake.set()

    def check_now(self) -> ProbeResult:
        """One look on the calling thread; its answer is reported like the thread's."""
        result = self.probe()
        self.report(result)
        return result

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(self.timeout * 3 + 1)
            self._thread = None
        if self._probe is not None:
            self._probe.close()

    def probe(self) -> ProbeResult:
        """Ask the database once (any thread); never raises."""
        if self._probe is not None:
            return self._probe.check()
        started = time.perf_counter()
        try:
            self.database.ping()
        except Exception as exc:  # noqa: BLE001 - any failure means "not reachable now"
            return ProbeResult(False, str(exc), time.perf_counter() - started)
        return ProbeResult(True, "", time.perf_counter() - started)

    def report(self, result: ProbeResult) -> None:
        """Note an answer: `changed` when it differs from the last one, `checked` always."""
        with self._lock:
            transition = result.online != self.online
            if transition:
                self.online = result.online
                if not result.online:
                    for cut_off in self._on_lost:
                        try:
                            cut_off()
                        except Exception:  # never let the monitor die
                            log.exception("cutting off the server connections failed")
        if transition:
            log.info("database %s%s", "reachable" if result.online else "unreachable: ",
                     result.reason)
            self.changed.emit(result.online, result.reason)
        self.checked.emit(result.online, result.reason, result.seconds)

    def _loop(self) -> None:
        if self.embedded:  # the first look after one interval: the window just opened on it
            self._wake.wait(self.interval)
            self._wake.clear()
        while not self._stop.is_set():
            result = self.probe()
            if self._stop.is_set():
                break
            self.report(result)
            self._wake.wait(self.interval)
            self._wake.clear()
