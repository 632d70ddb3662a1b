"""ConnectionMonitor: asks the server "are you there?" every two seconds, off the GUI thread.

A plain Python thread runs core's ServerProbe (one kept connection, `SELECT 1`, a two-second
timeout), so a server that stops answering is noticed within about four seconds, whatever the
GUI thread is doing. On the change to offline it first calls `on_lost` *on the monitor's own
thread* (the OfflineGuard's cut-off), because the GUI thread may be the one stuck waiting on
the dead server; then it emits `changed(False, reason)`, which Qt delivers on the GUI thread.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

from PySide6.QtCore import QObject, Signal

from ..core.db import Database
from ..core.sync import ServerProbe

log = logging.getLogger("wics.ui.connection")


class ConnectionMonitor(QObject):
    changed = Signal(bool, str)          # online?, why not (on transitions only)
    checked = Signal(bool, str, float)   # every probe: online?, reason, seconds

    def __init__(self, server: Database, *, interval: float = 2.0, timeout: float = 2.0,
                 on_lost: Callable[[], object] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval = interval
        self._probe = ServerProbe(server, timeout=timeout)
        self._on_lost = on_lost
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.online: bool | None = None  # unknown until the first answer

    def start(self, assume_online: bool | None = None) -> None:
        self.online = assume_online
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="wics-connection-monitor",
                                        daemon=True)
        self._thread.start()

    def check_soon(self) -> None:
        """Probe now instead of at the end of the interval (after a failed save, say)."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(self._probe.timeout * 3 + 1)
            self._thread = None
        self._probe.close()

    def _loop(self) -> None:
        while not self._stop.is_set():
            result = self._probe.check()
            if self._stop.is_set():
                break
            if result.online != self.online:
                self.online = result.online
                if not result.online and self._on_lost is not None:
                    try:
                        self._on_lost()
                    except Exception:  # noqa: BLE001 - never let the monitor die
                        log.exception("cutting off the server connections failed")
                log.info("server %s%s", "reachable" if result.online else "unreachable: ",
                         result.reason)
                self.changed.emit(result.online, result.reason)
            self.checked.emit(result.online, result.reason, result.seconds)
            self._wake.wait(self.interval)
            self._wake.clear()
