"""Short writes and reads from a screen: the one call every Save, Delete and Apply goes through
(`run`), and the one every load, look-up and list of choices goes through (`read`).

`ctx.op(fn, *args, owner=self, on_done=..., banner=self.banner, fields={...})` runs
`fn(session, *args)` on a worker of its own small thread pool (a save never queues behind an
import or a report) in one transaction, on the database the screen reads (`ctx.database`) - this
PC's replica while offline, so counting keeps working. The caller waits in a local event loop, so
"click, then the write is done" still holds for the code after the call and for the tests,
while the window keeps painting and a silent server no longer freezes it.

While an op runs (the `_InputGate`, an application event filter installed only meanwhile):
- mouse presses on the owner's window are swallowed, and a second op from the same window is
  ignored (a double-click on Save saves once);
- keys typed into that window (a scanner keeps typing) are held, and sent in order once the op
  has finished and its answer was shown - to whichever widget then has the focus, so the next
  scanned code lands in the cleared form, never in a field about to be cleared. A shortcut
  among them (Ctrl+W, F2 ...) fires then, in its place: a key press the program sends goes
  through Qt's shortcut map first (QApplication::notify), as a typed one does.

Then, if the owner still exists: `on_done(result)` on success; on a rejection (WicsError) the
sentence in the banner (a message box without one) and the cursor in the field the error
names (`exc.field`, mapped through `fields`; else `focus`); on anything else the bug report
(errors.report_unexpected) - the typed input stays. A closed owner gets nothing.

`ctx.read(fn, *args, owner=self)` (`read` below) is the same worker and local loop for a
read whose answer the caller needs at once: it returns `fn`'s result or raises its error, and
while it waits the loop runs with user input excluded - keys and clicks stay queued, in
order, for after the read (what a read on the GUI thread did), while the window paints and
timers run. Nothing in a screen opens a database session itself (tests/gui_thread_guard.py).
"""
from __future__ import annotations

import collections
import itertools
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QEventLoop,
    QObject,
    QRunnable,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from ..core.errors import Cancelled, WicsError

log = logging.getLogger("wics.ui.ops")

# One op per window, a second window (a dialog) may save meanwhile, and the reads of screens
# (ctx.read) run here too: a read started by a timer while another waits must not queue.
OP_THREADS = 4


@dataclass
class Op:
    """How an op ended, for callers that return a bool (`return ctx.op(...).ok`).

    `ok`: it succeeded and its owner got the answer; `ignored`: another op of the same window
    was still running, nothing was done; `error`: the exception when it failed."""

    ok: bool = False
    result: Any = None
    error: BaseException | None = None
    ignored: bool = False


class _Answers(QObject):
    """Where the workers' answers arrive (queued), each under the number of its wait.

    One object for the program's life, on the GUI thread. A worker holds nothing else of the
    GUI thread: a wait's event loop is made and dropped by the GUI thread alone (a worker
    that held the last reference to such an object would delete it on the worker's thread,
    which Qt does not allow)."""

    arrived = Signal(int, object)  # (the wait's number, (result, error, traceback text))

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.waiting: dict[int, QEventLoop] = {}
        self.answers: dict[int, tuple] = {}
        self.numbers = itertools.count(1)
        self.arrived.connect(self._arrived)

    @Slot(int, object)
    def _arrived(self, number: int, outcome: tuple) -> None:
        self.answers[number] = outcome
        loop = self.waiting.get(number)
        if loop is not None:
            loop.quit()


class _Work(QRunnable):
    def __init__(self, call: Callable[[], Any], number: int, answers: _Answers) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._call = call
        self._number = number
        self._answers = answers  # lives as long as the application

    def run(self) -> None:  # worker thread
        try:
            outcome = (self._call(), None, "")
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            outcome = (None, exc, traceback.format_exc())
        self._call = None  # nothing of the caller's outlives the call here
        self._answers.arrived.emit(self._number, outcome)


_KEYS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease)
_MOUSE = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
          QEvent.Type.MouseButtonDblClick)


def _key_of(widget: QWidget) -> int:
    return shiboken6.getCppPointer(widget)[0]


class _InputGate(QObject):
    """Holds keys and swallows clicks for the windows that have an op running."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.windows: collections.Counter[int] = collections.Counter()
        self.held: collections.deque[QEvent] = collections.deque()
        self.sending = False
        self.installed = False

    # ---- op life ---------------------------------------------------------------------------
    def busy(self, window: QWidget) -> bool:
        return self.windows[_key_of(window)] > 0

    def begin(self, window: QWidget) -> tuple[int, bool]:
        """Start an op of `window`; what end() needs back (the window may be gone by then)."""
        key = _key_of(window)
        self.windows[key] += 1
        if not self.installed:
            QCoreApplication.instance().installEventFilter(self)
            self.installed = True
        sending, self.sending = self.sending, False  # keys typed now are held, even mid-send
        return key, sending

    def end(self, started: tuple[int, bool]) -> None:
        key, sending = started
        self.windows[key] -= 1
        if self.windows[key] <= 0:
            del self.windows[key]
        self.sending = sending
        if self.held:
            # After the caller's code has run (its answer shown, focus moved): not from here.
            QTimer.singleShot(0, self, self.send_held)
        else:
            self._uninstall()

    def _uninstall(self) -> None:
        if self.installed and not self.windows and not self.held:
            QCoreApplication.instance().removeEventFilter(self)
            self.installed = False

    # ---- held keys -------------------------------------------------------------------------
    def send_held(self) -> None:
        """Deliver the held keys in order, each to the widget that has the focus at that moment
        (an Enter among them moves the focus on, as it would have). A key that starts another
        op stops here: that op sends the rest, with what is typed meanwhile, when it ends."""
        if self.sending or self.windows:
            return
        self.sending = True
        try:
            while self.held and not self.windows:
                event = self.held.popleft()
                target = QApplication.focusWidget()
                if target is not None:
                    QCoreApplication.sendEvent(target, event)
        finally:
            self.sending = False
            self._uninstall()

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind in _KEYS or kind == QEvent.Type.ShortcutOverride:
            if (self.sending and not self.windows) or not obj.isWidgetType():
                return False
            if not self.windows and not self.held:
                return False
            if self.windows and not self.busy(obj.window()) and not self.held:
                return False
            focus = QApplication.focusWidget()
            if focus is not None and obj is not focus:
                # A key goes to the focus widget first; here one that widget did not take is on
                # its way up to the parents - delivered before the op began, so it goes on.
                return False
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()  # "the widget takes this key": no shortcut fires meanwhile
                return True
            self.held.append(event.clone())
            return True
        if kind in _MOUSE and obj.isWidgetType() and self.windows and self.busy(obj.window()):
            return True
        return False


def _of_application(attribute: str, make: Callable[[QCoreApplication], Any]) -> Any:
    """The one object of its kind for this application (made at first use, a child of it)."""
    app = QCoreApplication.instance()
    found = getattr(app, attribute, None)
    if found is None or not shiboken6.isValid(found):
        found = make(app)
        setattr(app, attribute, found)
    return found


def _gate() -> _InputGate:
    return _of_application("_wics_input_gate", _InputGate)


def _answers() -> _Answers:
    return _of_application("_wics_op_answers", _Answers)


def _make_pool(app: QCoreApplication) -> QThreadPool:
    pool = QThreadPool(app)
    pool.setMaxThreadCount(OP_THREADS)
    return pool


def _pool() -> QThreadPool:
    return _of_application("_wics_op_pool", _make_pool)


def wait_idle(msecs: int = 30000) -> bool:
    """Block until no op worker runs (shutdown and tests)."""
    return _pool().waitForDone(msecs)


def _run_once(call: Callable[[], Any], flags=QEventLoop.ProcessEventsFlag.AllEvents,
              ) -> tuple[Any, BaseException | None, str]:
    """`call()` on an op worker; the GUI thread runs its events until the answer is back."""
    answers = _answers()
    number = next(answers.numbers)
    loop = QEventLoop()
    answers.waiting[number] = loop
    try:
        _pool().start(_Work(call, number, answers))
        while number not in answers.answers:  # quit() comes from the worker's answer only
            loop.exec(flags)
    finally:
        del answers.waiting[number]
    return answers.answers.pop(number)


def run(database_of: Callable[[], Any], fn: Callable, *args, owner: QWidget,
        on_done: Callable[[Any], Any] | None = None, banner=None,
        fields: dict[str, QWidget] | None = None, focus: QWidget | None = None,
        what: str = "saving", on_error: Callable[[WicsError], Any] | None = None,
        on_unexpected: Callable[[BaseException], Any] | None = None,
        offline=None, session: bool = True, quiet: bool = False, **kwargs) -> Op:
    """Run `fn(session, *args, **kwargs)` (`fn(*args, **kwargs)` with session=False) as an op;
    see the module docstring. `database_of()` names the database at the moment of the call
    (AppContext.op passes `ctx.database`). `offline`: the OfflineController - when the server
    goes away during the op, it switches to this PC's replica and the op runs once more there
    (pass it only for writes that work offline: a count). `on_error` replaces the banner and
    focus of a rejection; `on_unexpected` runs after the bug report (e.g. "NOT saved").
    `quiet`: a failure is only logged (a note nobody waits for, e.g. "sheets printed")."""
    window = owner.window()
    gate = _gate()
    if gate.busy(window):
        log.info("%s: ignored, the window is still busy with the previous one", what)
        return Op(ignored=True)

    def call_with(database):
        def call():
            if not session:
                return fn(*args, **kwargs)
            with database.session() as s:
                return fn(s, *args, **kwargs)
        return call

    started = gate.begin(window)
    try:
        while True:
            result, error, tb_text = _run_once(call_with(database_of() if session else None))
            if isinstance(error, WicsError) and offline is not None \
                    and shiboken6.isValid(owner) and offline.take_over(error):
                continue  # the same write, on the replica `database_of()` now names
            break
    finally:
        gate.end(started)
    if not shiboken6.isValid(owner):
        log.debug("%s: its screen was closed, the answer is dropped", what)
        if error is not None and not isinstance(error, WicsError):
            log.warning("%s failed after its screen was closed: %s\n%s", what, error, tb_text)
        return Op(result=result, error=error)
    if error is None:
        if on_done is not None:
            on_done(result)
        return Op(ok=True, result=result)
    if quiet:
        log.warning("%s failed: %s\n%s", what, error, tb_text)
        return Op(error=error)
    if isinstance(error, WicsError):
        if isinstance(error, Cancelled):
            return Op(error=error)
        if on_error is not None:
            on_error(error)
        else:
            show_rejection(error, owner, banner, fields, focus)
        return Op(error=error)
    from . import errors

    errors.report_unexpected(error, owner, tb_text, what)
    if on_unexpected is not None:
        on_unexpected(error)
    return Op(error=error)


def read(database_of: Callable[[], Any], fn: Callable, *args, owner: QWidget | None,
         offline=None, **kwargs) -> Any:
    """`fn(session, *args, **kwargs)` on an op worker, its result returned (its exception
    raised) to the caller as if it had run here: the database read of a screen (a load, a
    look-up on Enter, a list for a combo box). The GUI thread never waits on the database
    itself, so a silent server cannot freeze the window: it paints while the read waits for
    its time-out, and keys typed meanwhile (a scanner) are held for the owner's window and
    replayed, in order, once the caller's code after the read has run - as a synchronous
    read would have left them queued. Unlike `run`, a read nests: one started while another
    of the same window waits (a timer, a signal) simply runs. With `offline` (the
    OfflineController) a server that goes away meanwhile gets the read repeated on this PC's
    replica. `owner` is the widget reading (None: a dialog before any window exists)."""
    while True:
        with_database = database_of()

        def call(database=with_database):
            with database.session() as s:
                return fn(s, *args, **kwargs)

        # Keys, clicks and other user input stay queued, in order, for after the read: what a
        # read on the GUI thread did, minus the frozen window (it paints, timers run).
        result, error, _tb = _run_once(call, QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        if isinstance(error, WicsError) and offline is not None and offline.take_over(error):
            continue  # the same read, on the replica `database_of()` now names
        break
    if error is not None:
        raise error
    return result


def show_rejection(error: WicsError, owner: QWidget, banner=None,
                   fields: dict[str, QWidget] | None = None,
                   focus: QWidget | None = None) -> None:
    """The sentence in the banner (else a message box), the cursor in the field it is about."""
    if banner is not None:
        banner.show_message(str(error), "error")
    else:
        from . import errors

        errors.show_problem(error, owner)
    widget = (fields or {}).get(getattr(error, "field", None) or "", focus)
    if widget is None:
        return
    widget.setFocus()
    if isinstance(widget, QLineEdit):
        widget.selectAll()
