"""Background work: run one core function on a QThreadPool worker, never on the GUI thread.

The one helper every screen uses. `TaskRunner.submit()` runs quietly (table pages, counts);
`TaskRunner.run()` adds the user-facing parts: a progress dialog that appears only when the
work takes longer than ~0.5 s (fast work never flickers), a Cancel button, and an error dialog
on failure. Rules that keep threads safe:

- the worker opens its own Session from the database's session factory (one transaction:
  committed when the function returns, rolled back when it raises, e.g. on Cancel);
- pass ids and plain values in, return plain values/dataclasses out, never ORM objects;
- results, progress and errors come back to the GUI thread through queued signals.

A core function that accepts a `progress` keyword gets a thread-safe Progress adapter, whose
`cancelled()` turns true when the user presses Cancel.

A job a supervisor may want to see afterwards (an import, a report, a PDF, an export, a sync)
is submitted with `job="import-sap-soh"`: the worker runs it inside `core.tasklog.task()`, so
it leaves one task-log line (job, user, workstation, duration, rows, outcome) however it ends -
the same lines `wics` writes, shown by the Activity screen. `job_summary(result, handle)` fills
in rows, outcome and detail from the result; without it, rows are guessed (`rows_of`).

Late answers: a task's answer can arrive after the screen that asked for it was closed (a tab
closed mid-load, the main window closed, which also deletes this runner). Every task therefore
has an `owner`, the widget its answer is for; once the owner is gone the task delivers nothing
at all - no result, error, cancel or finished signal reaches anyone, whether the callbacks came
through submit() or were connected to the task afterwards. Only the runner's own housekeeping
still runs, and it touches no Qt object that may be gone.
"""
from __future__ import annotations

import collections
import inspect
import itertools
import logging
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..core import tasklog
from ..core.actor import Actor
from ..core.errors import Cancelled

log = logging.getLogger("wics.ui.workers")

PROGRESS_DELAY_MS = 500
_ids = itertools.count(1)


@dataclass(frozen=True)
class TaskFailure:
    """What a failed task hands back: the exception and its formatted traceback."""

    error: BaseException
    traceback: str


@dataclass(frozen=True)
class _Outcome:
    # One object per finished task: a queued Signal(object) carrying None itself has caused
    # reference-count trouble in PySide, so None never crosses threads bare.
    result: Any
    failure: TaskFailure | None


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits through it (queued to the GUI thread)."""

    progressed = Signal(int, int, str)
    finished = Signal(object)  # _Outcome


class WorkerProgress:
    """The core Progress protocol, safe to call from the worker thread."""

    def __init__(self, relay: _Relay, cancel_event: threading.Event) -> None:
        self._relay = relay
        self._cancel = cancel_event
        self._last = 0.0

    def step(self, done: int, total: int, text: str = "") -> None:
        now = time.monotonic()
        if now - self._last >= 0.05 or done >= total:  # at most ~20 updates a second
            self._last = now
            self._relay.progressed.emit(int(done), int(total), str(text))

    def cancelled(self) -> bool:
        return self._cancel.is_set()


class Task(QObject):
    """A handle on one piece of background work (lives on the GUI thread).

    Its public signals fire only while its owner (if it has one) still exists; `settled`
    always fires once, for the runner and the progress dialog."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)  # TaskFailure
    cancelled = Signal()
    finished = Signal()
    settled = Signal()  # internal: fires even when the owner is gone

    def __init__(self, title: str, owner: QObject | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.id = next(_ids)
        self.title = title
        self.done = False
        self.result: Any = None
        self.failure: TaskFailure | None = None
        # Only checked with shiboken6.isValid(), which turns false as the owner's C++ object is
        # deleted (owners are widgets made in Python). No `destroyed` connection: one from the
        # owner to a task that went first crashes PySide at the owner's deletion.
        self.owner = owner
        self._cancel_event = threading.Event()
        self.relay = _Relay()
        self.relay.progressed.connect(self._progressed)
        self.relay.finished.connect(self._finish)

    def cancel(self) -> None:
        self._cancel_event.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel_event.is_set()

    def owner_alive(self) -> bool:
        """False once the widget this task works for has been deleted."""
        return self.owner is None or shiboken6.isValid(self.owner)

    @Slot(int, int, str)
    def _progressed(self, done: int, total: int, text: str) -> None:
        if self.owner_alive():
            self.progressed.emit(done, total, text)

    @Slot(object)
    def _finish(self, outcome: _Outcome) -> None:
        result, failure = outcome.result, outcome.failure
        self.done = True
        self.result = result
        self.failure = failure
        if self.owner_alive():
            if failure is None:
                self.succeeded.emit(result)
            elif isinstance(failure.error, Cancelled):
                self.cancelled.emit()
            else:
                self.failed.emit(failure)
            self.finished.emit()
        else:
            log.debug("%s: its screen was closed, the answer is dropped", self.title)
            if failure is not None and not isinstance(failure.error, Cancelled):
                log.warning("%s failed after its screen was closed: %s\n%s", self.title,
                            failure.error, failure.traceback)
        self.settled.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task, call: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._relay = task.relay
        self._call = call

    def run(self) -> None:  # worker thread
        try:
            result, failure = self._call(), None
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the GUI thread
            result, failure = None, TaskFailure(exc, traceback.format_exc())
        self._call = None  # nothing of the caller's outlives the call here
        self._relay.finished.emit(_Outcome(result, failure))


# The relays of the last settled tasks, kept by the GUI thread a while longer: a worker still
# holds its task's relay for a moment after its last signal, and must never be the one that
# drops the last reference (a QObject of the GUI thread deleted on a worker's thread).
_SETTLED: collections.deque[_Relay] = collections.deque(maxlen=256)


def _forget(tasks: dict[int, Task], task_id: int) -> None:
    task = tasks.pop(task_id, None)
    if task is not None:
        _SETTLED.append(task.relay)


def _owner_of(callback) -> QObject | None:
    """The QObject a bound-method callback belongs to (its natural owner), else None."""
    target = getattr(callback, "__self__", None)
    return target if isinstance(target, QObject) else None


def rows_of(result: Any) -> int:
    """Rows a job's result stands for, when its caller gave no job_summary: an int (rows
    written), a sized collection, or an object with rows_read / material_count / rows."""
    if isinstance(result, bool) or result is None:
        return 0
    if isinstance(result, int):
        return result
    for name in ("rows_read", "material_count", "rows_total"):
        value = getattr(result, name, None)
        if isinstance(value, int):
            return value
    rows = getattr(result, "rows", None)
    if rows is not None and not callable(rows):
        result = rows
    try:
        return len(result)
    except TypeError:
        return 0


def wrote_file(path: str, kind: str = "xlsx") -> Callable[[Any, Any], None]:
    """job_summary for a job that writes a file and returns the rows it wrote."""
    def summary(result, job) -> None:
        job.rows, job.detail, job.extra = rows_of(result), str(path), {kind: str(path)}
    return summary


def _logged(job: str, actor_source: Callable[[], Actor | None] | None,
            summary: Callable[[Any, Any], None] | None, call: Callable[[], Any]):
    """Wrap `call` so that, on the worker thread, it leaves one task-log line when it ends."""
    def run():
        actor = actor_source() if actor_source is not None else None
        with tasklog.task(job, actor) as handle:
            result = call()
            if summary is not None:
                summary(result, handle)
            else:
                handle.rows = rows_of(result)
            return result
    return run


def _accepts_progress(fn: Callable) -> bool:
    try:
        return "progress" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


class TaskRunner(QObject):
    """Runs functions on its own QThreadPool; one per application."""

    def __init__(self, database=None, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self.database = database
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._tasks: dict[int, Task] = {}
        # Who task-log lines name (the signed-in user at this workstation); AppContext sets it.
        self.actor_source: Callable[[], Actor | None] | None = None

    # ---- quiet -----------------------------------------------------------------------------
    def submit(self, fn: Callable, *args, title: str = "", session: bool = True,
               on_result: Callable[[Any], None] | None = None,
               on_error: Callable[[TaskFailure], None] | None = None,
               owner: QObject | None = None, job: str | None = None,
               job_summary: Callable[[Any, Any], None] | None = None, **kwargs) -> Task:
        """Run `fn(session, *args, **kwargs)` (or `fn(*args, **kwargs)` with session=False).

        `owner`: the widget the answer is for. Once it is deleted (the user closed the screen)
        the task delivers nothing - neither these callbacks nor anything connected to the
        task's signals later. Bound methods of a QObject name their owner themselves; any
        other callback (a lambda, a closure) needs `owner=` or this raises TypeError, so no
        screen can forget it.
        `job`: the task-log name of this work (see the module docstring); `job_summary`:
        `(result, handle)` sets handle.rows / .outcome / .detail / .extra from the result."""
        if owner is None:
            owner = _owner_of(on_result) or _owner_of(on_error)
            if owner is None and (on_result is not None or on_error is not None):
                raise TypeError(f"submit({title or fn!r}): pass owner= (the widget the "
                                f"callbacks update) with a callback that is not a method "
                                f"of a QObject")
        task = Task(title or getattr(fn, "__name__", "task"), owner)
        if _accepts_progress(fn) and "progress" not in kwargs:
            kwargs["progress"] = WorkerProgress(task.relay, task._cancel_event)
        database = self.database

        def call():
            if not session:
                return fn(*args, **kwargs)
            if database is None:
                raise RuntimeError("TaskRunner has no database for a session task")
            with database.session() as s:
                return fn(s, *args, **kwargs)

        if job:
            call = _logged(job, self.actor_source, job_summary, call)
        if on_result is not None:
            task.succeeded.connect(on_result)
        if on_error is not None:
            task.failed.connect(on_error)
        tasks = self._tasks
        tasks[task.id] = task
        # Forget the task once its signals are fully delivered (queued: never while it emits).
        # Only the plain dict is touched: the runner itself may be gone by then (it is a child
        # of the main window, which can be deleted while a worker still runs).
        task.settled.connect(lambda tid=task.id: _forget(tasks, tid),
                             Qt.ConnectionType.QueuedConnection)
        self.pool.start(_Runnable(task, call))
        return task

    # ---- with progress dialog and error dialog ---------------------------------------------
    def run(self, fn: Callable, *args, title: str, parent: QWidget | None = None,
            on_result: Callable[[Any], None] | None = None,
            on_error: Callable[[TaskFailure], None] | None = None,
            cancellable: bool = True, session: bool = True, job: str | None = None,
            job_summary: Callable[[Any, Any], None] | None = None, **kwargs) -> Task:
        """Like submit(), plus a progress dialog after ~0.5 s and an error dialog on failure."""
        task = self.submit(fn, *args, title=title, session=session, on_result=on_result,
                           owner=parent, job=job, job_summary=job_summary, **kwargs)
        TaskProgressUi(task, parent, cancellable)
        if on_error is not None:
            task.failed.connect(on_error)
        else:
            from . import errors

            # failed only fires while `parent` lives (see Task), so it can host the dialog
            task.failed.connect(lambda f: errors.handle(f.error, parent, title.lower(),
                                                        f.traceback))
        return task

    # ---- housekeeping ----------------------------------------------------------------------
    def active(self) -> list[Task]:
        return list(self._tasks.values())

    def cancel_all(self) -> None:
        for task in self.active():
            task.cancel()

    def wait(self, msecs: int = 30000) -> bool:
        """Block until every worker is done (at shutdown and in tests)."""
        return self.pool.waitForDone(msecs)


class TaskProgressUi(QObject):
    """The delayed progress dialog of one task; gone as soon as the task finishes."""

    def __init__(self, task: Task, parent: QWidget | None, cancellable: bool) -> None:
        super().__init__(task)
        self.task = task
        self.parent_widget = parent
        self.cancellable = cancellable
        self.dialog: QProgressDialog | None = None
        self._last = (0, 0, task.title)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show)
        self._timer.start(PROGRESS_DELAY_MS)
        task.progressed.connect(self._progress)
        task.settled.connect(self._close)

    def _show(self) -> None:
        if self.task.done or not self.task.owner_alive():
            return
        dlg = QProgressDialog(self.task.title, "Cancel" if self.cancellable else "", 0, 0,
                              self.parent_widget)
        dlg.setWindowTitle(self.task.title)
        dlg.setMinimumDuration(0)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        if not self.cancellable:
            dlg.setCancelButton(None)
        dlg.canceled.connect(self._cancel)
        dlg.setMinimumWidth(420)
        self.dialog = dlg
        self._progress(*self._last)
        dlg.show()

    def _progress(self, done: int, total: int, text: str) -> None:
        self._last = (done, total, text)
        if self.dialog is None:
            return
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total > 0 else 0)
        if text:
            self.dialog.setLabelText(text)

    def _cancel(self) -> None:
        self.task.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling - undoing what was done so far...")
            self.dialog.setCancelButton(None)

    def _close(self) -> None:
        self._timer.stop()
        if self.dialog is not None:
            dlg, self.dialog = self.dialog, None
            if not shiboken6.isValid(dlg):
                return  # deleted with its parent window
            dlg.canceled.disconnect(self._cancel)  # closing a QProgressDialog emits canceled
            dlg.hide()
            dlg.deleteLater()
