"""Completion popups that a barcode scanner cannot trip over.

Tried in a real window (Xvfb, xdotool typing five scans of "code Enter location Enter
quantity Enter" at scanner speed): with the popups as they were, 0 to 4 of the 5 counts were
saved, some with a location short of a character; without any popup, 5 of 5 every time. Two
rules make the popups harmless:

1. A popup opens only once the typing has paused (`PAUSE_MS`, longer than a scanner's gap
   between keys, shorter than a person notices), and closes at the next keystroke. A scan
   therefore never meets an open popup; a person who stops typing gets the list.
2. If a popup is open anyway (a person paused, then scanned):

A scanner types a whole code and its Enter in a few milliseconds. When a QCompleter popup is
open at that moment, X has already handed the keys that follow the Enter to the popup's
window, and QCompleter forwards every key it receives to *its* field - even after the Enter
moved the focus on. Tried in a real window: the location's Enter went through while the
popup stayed open, and the quantity that followed landed in the location field ("XR-02" +
"1080*2+7"), or a whole scan vanished.

   `guard_popup()` puts a filter in front of QCompleter's own (Qt calls the filter installed
   last first) that:
- on Enter/Return takes the row the user chose with the arrow keys (if any), closes the popup
  and gives the Enter to the field, so the field's "Enter = next field" runs in order;
- sends keys that arrive after the field lost the focus to the widget that has it now.
Nothing is guessed: without a chosen row, Enter keeps exactly what was typed.
"""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QCompleter, QLineEdit

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
PAUSE_MS = 150  # scanners leave < 20 ms between keys; a person's pause to look is longer


class _PopupGuard(QObject):
    def __init__(self, completer: QCompleter) -> None:
        super().__init__(completer)
        self._completer = completer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        field = self._completer.widget()
        if field is None:
            return False
        popup = self._completer.popup()
        if not isinstance(event, QKeyEvent):
            return False
        if not field.hasFocus():
            # The Enter before these keys moved on: they belong to the field that has the
            # focus now, not to the one this popup was opened for.
            popup.hide()
            target = QApplication.focusWidget()
            if target is not None and target is not popup:
                QApplication.sendEvent(target, _copy(event))
            return True
        if event.type() == QEvent.Type.KeyPress and event.key() in _ENTER:
            chosen = popup.currentIndex()
            popup.hide()
            if chosen.isValid() and isinstance(field, QLineEdit):
                field.setText(str(chosen.data(self._completer.completionRole())))
            QApplication.sendEvent(field, _copy(event))
            return True
        return False


def _copy(event: QKeyEvent) -> QKeyEvent:
    return QKeyEvent(event.type(), event.key(), event.modifiers(), event.text(),
                     event.isAutoRepeat(), event.count())


def guard_popup(completer: QCompleter) -> QCompleter:
    """Make `completer`'s popup safe for scanners (see the module docstring)."""
    completer.popup().installEventFilter(_PopupGuard(completer))
    return completer


def pause_timer(parent: QObject, when_paused) -> QTimer:
    """A single-shot timer that fires PAUSE_MS after the last `start()` (restart per key)."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(PAUSE_MS)
    timer.timeout.connect(when_paused)
    return timer


class _PausedCompletion(QObject):
    """Filters the choices at every keystroke (so they are always current) but shows the popup
    only when the typing pauses. QLineEdit.setCompleter() would pop it up at every key."""

    def __init__(self, edit: QLineEdit, completer: QCompleter) -> None:
        super().__init__(completer)
        self._edit, self._completer = edit, completer
        self._timer = pause_timer(self, self._paused)
        edit.textEdited.connect(self._edited)
        completer.activated[str].connect(edit.setText)

    def _edited(self, text: str) -> None:
        self._completer.popup().hide()
        self._completer.setCompletionPrefix(text)
        self._timer.start()

    def _paused(self) -> None:
        text = self._edit.text()
        c = self._completer
        if not text or not self._edit.hasFocus() or c.completionCount() == 0:
            return
        if c.completionCount() == 1 and c.currentCompletion().casefold() == text.casefold():
            return  # the one choice is what is typed already: nothing to offer
        c.complete()


def complete_from(edit: QLineEdit, names: Sequence[str]) -> QCompleter:
    """Give `edit` a case-insensitive popup of `names` (locations, counters), scanner-safe.
    `completer_of(edit)` returns it (QLineEdit.completer() does not: it is not set there,
    or the line edit would pop it up at every keystroke).

    One completer per field, its list replaced: deleting a completer deletes its popup, whose
    focus proxy is the field, and Qt then takes the focus off the field - in a real window the
    location lost its selection as the material's details arrived, and the next scan was
    appended to the previous location ("XR-03XR-04")."""
    completer = completer_of(edit)
    if completer is not None:
        model = completer.model()
        if isinstance(model, QStringListModel):
            model.setStringList(list(names))
            return completer
    completer = QCompleter(list(names), edit)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setWidget(edit)
    _PausedCompletion(edit, completer)
    edit.setProperty(_PROPERTY, completer)
    return guard_popup(completer)


def no_completion(edit: QLineEdit) -> None:
    """Take `edit`'s choices away (a material never counted has no last locations)."""
    completer = completer_of(edit)
    if completer is not None:
        completer.popup().hide()
        model = completer.model()
        if isinstance(model, QStringListModel):
            model.setStringList([])


def completer_of(edit: QLineEdit) -> QCompleter | None:
    found = edit.property(_PROPERTY)
    return found if isinstance(found, QCompleter) else None


_PROPERTY = "wics_completer"
