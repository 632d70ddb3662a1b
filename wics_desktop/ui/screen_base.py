"""The base of every screen shown in a main-window tab.

The main window routes the standard shortcuts (save, new, find, refresh, close) to the current
screen, asks it before closing when it has unsaved input, and hands it open requests with
arguments (open the Material screen on material 42). Screens override what applies to them.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from .context import AppContext


class Screen(QWidget):
    title_changed = Signal(str)
    status_message = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._title = ""

    # ---- identity ---------------------------------------------------------------------
    @property
    def title(self) -> str:
        return self._title

    def set_title(self, title: str) -> None:
        self._title = title
        self.title_changed.emit(title)

    def instance_key(self) -> str | None:
        """Screens that may be open several times (one per material) tell them apart here."""
        return None

    # ---- standard actions (return True when handled) -----------------------------------
    def save(self) -> bool:
        return False

    def new(self) -> bool:
        return False

    def find(self) -> bool:
        return False

    def refresh(self) -> bool:
        return False

    def open_with(self, **kwargs) -> None:
        """Called with the arguments of an open request (also on an already open screen)."""

    def focus_first(self) -> None:
        """Put the cursor where the user starts typing."""
        self.focusNextChild()

    # ---- state -------------------------------------------------------------------------
    def is_dirty(self) -> bool:
        return False

    def is_ready(self) -> bool:
        """True once the screen has loaded what it shows (the self-test waits for this)."""
        return True

    def save_state(self) -> None:
        """Persist splitters, column widths and the like (called before the screen closes)."""

    def confirm_close(self) -> bool:
        """Ask before unsaved input is lost; True when the screen may close."""
        if not self.is_dirty():
            return True
        answer = QMessageBox.question(
            self, self.title or "WICS Desktop",
            "This record has changed and is not saved.\nSave it before closing?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save() and not self.is_dirty()
        return answer == QMessageBox.StandardButton.Discard
