"""What every screen needs: the database, the signed-in user, the background runner, navigation.

Screens get one AppContext instead of globals, so a form runs the same inside the main window,
on its own (`python -m wics_desktop.ui.screens.count_entry`) and in a test.
"""
from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from ..core.actor import Actor
from ..core.db import Database
from ..core.services.users import UserInfo
from .workers import TaskRunner


class DataNotices(QObject):
    """Tells open screens that shared settings changed on this workstation, so a report that
    depends on them (accuracy bands, the locations report's day limit) reloads by itself."""

    changed = Signal(str)  # topic: "parameters", "holidays", "greetings"


@dataclass
class AppContext:
    database: Database
    user: UserInfo
    runner: TaskRunner
    workstation: str = field(default_factory=socket.gethostname)
    # Set by the main window: open a screen by key with keyword arguments (material_id=...).
    opener: Callable[..., Any] | None = None
    # The OfflineController (ui/offline.py) of a workstation on a server; None when embedded.
    # While offline, `database` is this PC's replica.
    offline: Any = None
    # The ConnectionMonitor (ui/connection.py) watching `database` (embedded or server), set by
    # the main window; whatever cares whether the database answers listens to it.
    connection: Any = None
    notices: DataNotices = field(default_factory=DataNotices)

    def __post_init__(self) -> None:
        # Task-log lines of background jobs name the signed-in user at this workstation.
        if self.runner.actor_source is None:
            self.runner.actor_source = lambda: self.actor

    @property
    def actor(self) -> Actor:
        return Actor(username=self.user.username, workstation=self.workstation,
                     role=self.user.role)

    def can(self, permission: str) -> bool:
        return self.user.can(permission)

    def read(self, fn: Callable, *args, owner, fallback: bool = False, **kwargs):
        """A screen's read: `fn(session, *args)` on an op worker, its result returned here
        while the window keeps painting (no database call on the GUI thread; ui/ops.py says
        how). With `fallback=True` a server that goes away meanwhile gets the read repeated on
        this PC's replica (the look-ups of counting)."""
        from . import ops

        return ops.read(lambda: self.database, fn, *args, owner=owner,
                        offline=self.offline if fallback else None, **kwargs)

    def op(self, fn: Callable, *args, owner, fallback: bool = False, **kwargs):
        """A short write from a screen: `fn(session, *args)` on an op worker, on the database
        `read` uses, with the window kept alive meanwhile (ui/ops.py says how). With
        `fallback=True` (a count) a server that goes away mid-write gets the write saved on this
        PC's replica instead. Returns an ops.Op (`.ok`)."""
        from . import ops

        return ops.run(lambda: self.database, fn, *args, owner=owner,
                       offline=self.offline if fallback else None, **kwargs)

    def open(self, key: str, **kwargs):
        """Open (or bring forward) a screen; a no-op outside a main window."""
        if self.opener is not None:
            return self.opener(key, **kwargs)
        return None

    def check_alerts(self, why: str, force: bool = True) -> None:
        """Run the alert rules on a worker after an import, a count save (`force=False`: at
        most once a minute) or a sync; the badge follows ("alerts" notice). Never blocks,
        never fails what changed the data; nothing while offline (the rules need the server)."""
        if self.offline is not None and not getattr(self.offline, "online", True):
            return
        from ..core import alerts

        self.runner.submit(alerts.after_change, self.database, why, force=force,
                           session=False, title="Checking alerts", owner=self.notices,
                           on_result=lambda _r: self.notices.changed.emit("alerts"),
                           on_error=lambda _f: None)
