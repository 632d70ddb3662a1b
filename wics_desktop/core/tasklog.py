"""Task logs: one structured line per background job when it ends.

Every job (imports, reports, count sheets, sync, demo) runs inside `task("import-sap-soh",
actor)`; when it ends — done, rejected, cancelled or crashed — one JSON line is appended to
`tasks.log` (rotating) in the user log folder: job, user, workstation, started (UTC ISO),
duration in seconds, rows, outcome and a short detail; the same line, shorter, goes to
`wics.log` through the "wics.tasks" logger. `tail()` reads the latest lines back for
`wics log tail` and the desktop's Activity screen.

Outcomes: `ok`; `rejected` (a WicsError: bad input, database unreachable, not permitted);
`cancelled` (the user pressed Cancel; nothing was kept); `failed` (an unexpected exception).
The job body may set `handle.outcome` itself, e.g. an import whose result says "nothing
written" without raising.
"""
from __future__ import annotations

import contextlib
import json
import logging
import logging.handlers
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .actor import Actor
from .clock import utcnow
from .config import log_dir
from .errors import Cancelled, WicsError

TASK_LOG_NAME = "tasks.log"
OUTCOMES = ("ok", "rejected", "cancelled", "failed")
log = logging.getLogger("wics.tasks")
_lock = threading.Lock()
_handlers: dict[Path, logging.handlers.RotatingFileHandler] = {}


# The jobs that leave lines, in words a supervisor reads (the Activity screen's tooltips and
# docs/operations.md). Suffixes: -pdf / -xlsx / -print (the report written to a file or
# printer), -check (an import wizard's trial run), -problems-xlsx (an import's rejected rows).
JOB_TITLES = {
    "import-sap-soh": "Import SAP stock on hand (MB52)",
    "import-mm60": "Update materials from SAP (MM60)",
    "import-counts": "Import counts",
    "import-schedule": "Import count schedule",
    "report-count-summary": "Count summary",
    "report-worksheet": "Count sheets",
    "report-materials": "Material lists",
    "report-locations": "Material locations report",
    "demo": "Fill the demo database",
    "db-upgrade": "Create or migrate the database schema",
    "db-backup": "Back up the embedded database",
    "sync": "Sync with the server (offline counts, replica)",
    "export": "Export a list to Excel",
    "migrate-wics3": "Move a WICS-3 site",
    "plan": "Count plan",
    "plan-apply": "Apply the count plan",
}
_SUFFIXES = {"-problems-xlsx": "rejected rows to Excel", "-check": "check only",
             "-pdf": "PDF", "-xlsx": "Excel", "-print": "printed"}


def job_title(job: str) -> str:
    """`report-worksheet-pdf` -> `Count sheets (PDF)`; unknown names come back as they are."""
    if job.startswith("export-"):  # export-<list>-xlsx: a desktop list written to Excel
        what = job[len("export-"):].removesuffix("-xlsx").replace("-", " ")
        return f"{JOB_TITLES['export']}: {what}"
    for suffix, words in _SUFFIXES.items():
        if job.endswith(suffix) and job != suffix:
            base = job[: -len(suffix)]
            return f"{job_title(base)} ({words})"
    return JOB_TITLES.get(job, job)


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
    extra: dict[str, Any] = field(default_factory=dict)


def _handler_for(path: Path) -> logging.handlers.RotatingFileHandler | None:
    with _lock:
        handler = _handlers.get(path)
        if handler is None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                handler = logging.handlers.RotatingFileHandler(
                    path, maxBytes=1_000_000, backupCount=3, encoding="utf-8", delay=True)
            except OSError:
                return None
            handler.setFormatter(logging.Formatter("%(message)s"))
            _handlers[path] = handler
        return handler


@contextlib.contextmanager
def _other_programs_wait(path: Path) -> Iterator[None]:
    """An exclusive lock on `tasks.log.lock` for one write: the desktop and `wics` commands on
    the same PC share tasks.log, and two programs rotating it at once would lose lines. If the
    lock cannot be had, the line is written anyway (a lost rotation beats a lost job line)."""
    try:
        fh = open(path.with_name(path.name + ".lock"), "a+b")
    except OSError:
        yield
        return
    locked = False
    try:
        try:
            if sys.platform == "win32":  # (os.name == "nt"; the form mypy understands)
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)  # retries for about 10 s
            else:
                import fcntl

                fcntl.flock(fh, fcntl.LOCK_EX)
            locked = True
        except OSError:
            pass
        yield
    finally:
        if locked:
            try:
                if sys.platform == "win32":
                    import msvcrt

                    fh.seek(0)
                    msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
                else:
                    import fcntl

                    fcntl.flock(fh, fcntl.LOCK_UN)
            except OSError:
                pass
        fh.close()


def write(record: TaskRecord) -> None:
    path = task_log_file()
    handler = _handler_for(path)
    if handler is None:
        return
    line = json.dumps(asdict(record), ensure_ascii=False, default=str)
    with _other_programs_wait(path):
        # handle() (not emit()) takes the handler's lock: jobs end on several threads at once
        handler.handle(logging.LogRecord("wics.tasks", logging.INFO, __file__, 0, line, None,
                                         None))
        # Closed between lines (a job ends every few seconds at most): the next write, in
        # this program or another, opens the current file and sees its true size; and on
        # Windows a file another program holds open could not be renamed by a rotation.
        handler.acquire()
        try:
            if handler.stream is not None:
                handler.stream.close()
                handler.stream = None
        finally:
            handler.release()


class _Job:
    """Handle the job body fills in: rows processed, a detail line, extra fields."""

    actor: Actor  # set by task() as soon as the job starts

    def __init__(self, job: str) -> None:
        self.job = job  # a handler may make it more precise (report-worksheet -> ...-pdf)
        self.rows = 0
        self.detail = ""
        self.extra: dict[str, Any] = {}
        self.outcome: str | None = None
        # A routine job (the desktop's every-minute sync that found nothing to send) sets
        # quiet: it then leaves a line only if it did not end "ok".
        self.quiet = False


def _with_reason(detail: str, reason: str) -> str:
    """The detail the job set (a file name) and why it ended, without saying it twice."""
    if not detail:
        return reason
    return detail if reason in detail else f"{detail}: {reason}"


@contextlib.contextmanager
def task(job: str, actor: Actor | None = None) -> Iterator[_Job]:
    """Time a job and log its ending line, whatever the ending. Exceptions pass through."""
    handle = _Job(job)
    # The command line signs in after the job started: it replaces handle.actor then.
    handle.actor = actor or Actor()
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
        handle.detail = _with_reason(handle.detail, str(exc))
        raise
    except BaseException as exc:
        outcome = "failed"
        handle.detail = _with_reason(handle.detail, f"{exc.__class__.__name__}: {exc}")
        raise
    finally:
        record = TaskRecord(
            job=handle.job, user=handle.actor.username, workstation=handle.actor.workstation,
            started=started.isoformat(timespec="seconds") + "Z",
            duration=round(time.perf_counter() - t0, 3), rows=int(handle.rows or 0),
            outcome=handle.outcome or outcome, detail=(handle.detail or "")[:500],
            extra=handle.extra)
        # No `return` here: in a finally block it would swallow the job's exception (a quiet
        # job that set outcome "ok" and then raised would end as if nothing had happened).
        if not (handle.quiet and record.outcome == "ok"):
            write(record)
            log.info("task %s by %s@%s: %s, %d rows, %.2f s%s", record.job, record.user,
                     record.workstation, record.outcome, record.rows, record.duration,
                     f" ({record.detail})" if record.detail else "")


def tail(lines: int = 20, newest_first: bool = False) -> list[dict[str, Any]]:
    """The latest `lines` task records, oldest first unless `newest_first` (reads the current
    file and its rotated backups, so a rotation never hides the last jobs)."""
    path = task_log_file()
    files = [path.with_name(f"{path.name}.{i}") for i in (3, 2, 1)] + [path]
    recent: deque[dict[str, Any]] = deque(maxlen=max(lines, 0))
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
    return list(reversed(recent)) if newest_first else list(recent)
