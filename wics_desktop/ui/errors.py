"""Errors for people: a plain sentence for expected problems, a copyable report for bugs.

Expected problems (WicsError: a rule refused the change, the database is unreachable, ...) get
a short message box with the sentence the core wrote. Anything else is a bug: it is logged with
its traceback to the rotating log file and shown in a dialog whose details can be copied into
a mail to support. Nothing here closes a window, so whatever the user was typing survives.
"""
from __future__ import annotations

import logging
import platform
import sys
import traceback

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core import logs
from ..core.errors import Cancelled, DatabaseUnavailable, NotPermitted, WicsError

log = logging.getLogger("wics.ui")

# Tests and the self-test set this to a list: problems are collected there instead of being
# shown in modal dialogs nobody could close.
collected: list[tuple[BaseException, str]] | None = None


def format_report(exc: BaseException, tb_text: str | None = None) -> str:
    tb_text = tb_text or "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return (f"WICS Desktop {__version__} on {platform.platform()}, Python "
            f"{platform.python_version()}\n\n{tb_text}")


class ErrorDialog(QDialog):
    """'Something went wrong' with the report in a read-only box and a Copy button."""

    def __init__(self, summary: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("WICS Desktop - unexpected error")
        self.details = details
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48))
        text = QLabel(
            f"<b>{summary}</b><br><br>Your unsaved input is still in its window. The details "
            f"below were written to the log file<br><tt>{logs.log_file()}</tt>.<br>Please send "
            f"them to whoever looks after WICS.")
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box = QPlainTextEdit(details)
        box.setReadOnly(True)
        box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        box.setMinimumSize(640, 220)
        copy = QPushButton("&Copy details")
        copy.clicked.connect(self.copy_details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(box, 1)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)


def report_unexpected(exc: BaseException, parent: QWidget | None = None,
                      tb_text: str | None = None, what: str | None = None) -> None:
    """Log a bug and show it; tests collect it instead (see `collected`)."""
    report = format_report(exc, tb_text)
    log.error("Unexpected error%s:\n%s", f" while {what}" if what else "", report)
    if collected is not None:
        collected.append((exc, report))
        return
    summary = f"Something unexpected went wrong{f' while {what}' if what else ''}: " \
              f"{exc.__class__.__name__}: {exc}"
    ErrorDialog(summary, report, parent or QApplication.activeWindow()).exec()


def show_problem(exc: WicsError, parent: QWidget | None = None,
                 title: str = "WICS Desktop") -> None:
    """An expected problem, said plainly."""
    if isinstance(exc, Cancelled):
        return
    log.info("Refused: %s", exc)
    if collected is not None:
        collected.append((exc, str(exc)))
        return
    icon = QMessageBox.Icon.Critical if isinstance(exc, DatabaseUnavailable) else \
        QMessageBox.Icon.Warning
    box = QMessageBox(icon, title, str(exc), QMessageBox.StandardButton.Ok, parent)
    if isinstance(exc, NotPermitted):
        box.setInformativeText("Ask a supervisor or an admin if you need this.")
    box.exec()


def handle(exc: BaseException, parent: QWidget | None = None, what: str | None = None,
           tb_text: str | None = None) -> None:
    """Show any exception the right way."""
    if isinstance(exc, WicsError):
        show_problem(exc, parent)
    else:
        report_unexpected(exc, parent, tb_text, what)


def _excepthook(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    try:
        handle(exc, None, tb_text="".join(traceback.format_exception(exc_type, exc, tb)))
    except Exception:  # the error dialog itself failed: at least keep the log
        log.exception("could not show the error dialog")


def install_excepthook() -> None:
    """Exceptions escaping a slot or event handler land here instead of killing the program."""
    sys.excepthook = _excepthook
