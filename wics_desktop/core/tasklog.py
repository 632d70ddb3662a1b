"""Task logs: one structured line per background job when it ends.

Every job (imports, reports, count sheets, sync, demo) runs inside `task("import-sap-soh",
actor)`; when it ends — done, rejected, cancelled or crashed — one JSON line is appended to
`tasks.log` (rotating) in the user log folder: job, user, workstation, started (UTC ISO),
duration in seconds, rows, outcome and a short detail. `tail()` reads the latest lines back
for `wics log tail` and the desktop's Activity view.
"""
from __future__ import annotations

import contextlib
import json
import logging
import logging.handlers
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .actor import Actor
from .clock import utcnow
from .config import log_dir
from .errors import Cancelled, WicsError

TASK_LOG_NAME = "tasks.log"
_lock = threading.Lock()
_handlers: dict[Path, logging.Handler] = {}


def task_log_file() -> Path:
    return log_dir() / TASK_LOG_NAME


@dataclass
class TaskRecord:
    job: str
    user: str
    workstation: str
    started: str
    duration: float = 0.0
    rows: int = 0
    outcome: str = "ok"
    detail: str = ""
    extra: dict = field(default_factory=dict)


def _handler_for(path: Path) -> logging.Handler | None:
    with _lock:
        handler = _handlers.get(path)
        if handler is None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                handler = logging.handlers.RotatingFileHandler(
                    path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
            except OSError:
                return None
            handler.setFormatter(logging.Formatter("%(message)s"))
            _handlers[path] = handler
        return handler


def write(record: TaskRecord) -> None:
    handler = _handler_for(task_log_file())
    if handler is None:
        return
    line = json.dumps(asdict(record), ensure_ascii=False, default=str)
    handler.emit(logging.LogRecord("wics.tasks", logging.INFO, __file__, 0, line, None, None))
    handler.flush()


class _Job:
    """Handle the job body fills in: rows processed, a detail line, extra fields."""

    def __init__(self) -> None:
        self.rows = 0
        self.detail = ""
        self.extra: dict = {}
        self.outcome: str | None = None


@contextlib.contextmanager
def task(job: str, actor: Actor | None = None) -> Iterator[_Job]:
    """Time a job and log its ending line, whatever the ending. Exceptions pass through."""
    actor = actor or Actor()
    handle = _Job()
    started = utcnow()
    t0 = time.perf_counter()
    outcome = "ok"
    try:
        yield handle
    except Cancelled:
        outcome = "cancelled"
        raise
    except WicsError as exc:
        outcome = "rejected"
        handle.detail = handle.detail or str(exc)
        raise
    except BaseException as exc:
        outcome = "failed"
        handle.detail = handle.detail or f"{exc.__class__.__name__}: {exc}"
        raise
    finally:
        write(TaskRecord(
            job=job, user=actor.username, workstation=actor.workstation,
            started=started.isoformat(timespec="seconds") + "Z",
            duration=round(time.perf_counter() - t0, 3), rows=int(handle.rows or 0),
            outcome=handle.outcome or outcome, detail=handle.detail[:500], extra=handle.extra,
        ))


def tail(lines: int = 20) -> list[dict]:
    """The latest `lines` task records, oldest first (reads the current file and its backups)."""
    path = task_log_file()
    files = [path.with_name(f"{path.name}.{i}") for i in (3, 2, 1)] + [path]
    recent: deque[dict] = deque(maxlen=max(lines, 0))
    for f in files:
        if not f.is_file():
            continue
        with f.open(encoding="utf-8", errors="replace") as fh:
            for raw in fh:
                raw = raw.strip()
                if not raw:
                    continue
                try:
                    recent.append(json.loads(raw))
                except json.JSONDecodeError:
                    continue
    return list(recent)
