"""Completion popups in fields a barcode scanner types into (ui/screens/completion.py)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from wics_desktop.ui.screens.completion import complete_from, completer_of, no_completion


def _window(qtbot):
    w = QWidget()
    lay = QVBoxLayout(w)
    first, location = QLineEdit(), QLineEdit()
    lay.addWidget(first)
    lay.addWidget(location)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    return w, location


def test_new_choices_leave_the_focus_and_the_selection_alone(qtbot):
    """The material's details (and its last locations) arrive while the cursor already sits
    in Location with the previous location selected, so that the next scan replaces it. Found
    in a real window: replacing the completer took the focus off the field, the selection was
    gone, and the scan was appended ("XR-03XR-04")."""
    _w, location = _window(qtbot)
    complete_from(location, ["XR-01"])
    location.setText("XR-03")
    location.setFocus()
    qtbot.waitUntil(location.hasFocus)
    location.selectAll()
    for names in (["XR-02", "XR-03"], [], ["XR-04"]):
        if names:
            complete_from(location, names)
        else:
            no_completion(location)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert location.hasFocus() and location.selectedText() == "XR-03"
    qtbot.keyClicks(location, "XR-04")
    assert location.text() == "XR-04"
    model = completer_of(location).model()
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["XR-04"]
