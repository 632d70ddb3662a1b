"""Every test fails when the desktop's code ran a SQL statement on the GUI thread.

The rule (issue 20): no database call on the GUI thread, so a server that goes silent can
never freeze a window. Screens read through `ctx.read` and write through `ctx.op`, both on op
workers (ui/ops.py). This guard listens to every engine: a statement executed on the main
thread while a frame of `wics_desktop/ui/` is on the stack is a breach, reported with the
file, line and function that made it. A test's own set-up (core calls on the main thread, no
ui frame) is not concerned.
"""
from __future__ import annotations

import sys
import threading
from pathlib import PurePath

from sqlalchemy import event
from sqlalchemy.engine import Engine

UI = f"{PurePath('wics_desktop', 'ui')}"
# Where the GUI thread may, and why:
ALLOWED = {
    # the connection monitor's probe is meant for any thread; a test calls it directly
    ("connection.py", "probe"),
    # start-up, before any window exists: is the server there (3 s limit), else is this PC's
    # replica built; the schema checked or migrated - nothing can freeze yet
    ("app.py", "_offline_start"),
    ("app.py", "open_database"),
    # a window that starts offline opens this PC's replica (a local file) before it shows
    ("offline.py", "__init__"),
}

breaches: list[str] = []


def _ui_frame():
    """The innermost frame of the desktop's code that did not get its session handed in: a
    function whose first parameter is the session (`store(session, ...)`, the worker side of
    an op or import) runs where its caller opened the session - an op worker in the program,
    the test itself in a test - so the question is asked of its callers."""
    frame = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        if UI in code.co_filename and not (
                code.co_argcount and code.co_varnames[0] in ("session", "s")):
            return frame
        frame = frame.f_back
    return None


@event.listens_for(Engine, "before_cursor_execute")
def _on_statement(conn, cursor, statement, parameters, context, executemany):
    if threading.current_thread() is not threading.main_thread():
        return
    frame = _ui_frame()
    if frame is None:
        return
    path = PurePath(frame.f_code.co_filename)
    if (path.name, frame.f_code.co_name) in ALLOWED:
        return
    where = PurePath(*path.parts[path.parts.index("wics_desktop"):])
    breaches.append(f"{where}:{frame.f_lineno} in {frame.f_code.co_name}(): "
                    f"{' '.join(statement.split())[:70]}")


def take() -> list[str]:
    found = list(dict.fromkeys(breaches))
    breaches.clear()
    return found
