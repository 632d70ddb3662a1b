"""Small pieces the forms share: the message banner, date inputs, a date question, and the
layout of the small dialogs (banner, form, buttons)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

_COLORS = {  # (light palette, dark palette) background for each kind of message
    "info": ("#e8f0fe", "#1f2d44"),
    "success": ("#e3f4e5", "#1e3b24"),
    "error": ("#fdecea", "#4a1f1c"),
    "warning": ("#fff4d6", "#4a3c12"),
}


class Banner(QLabel):
    """A one- or two-line message strip above a form: what just happened, or what is wrong."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setMargin(6)
        self.kind = ""
        self.setAccessibleName("Message")
        self.clear_message()

    def reserve_space(self, lines: int = 2) -> None:
        """Keep the strip's room (`lines` of text) even while it is empty, so the fields below
        do not jump down when a message appears - under the cursor of a clerk typing."""
        self.setMinimumHeight(lines * self.fontMetrics().lineSpacing() + 2 * self.margin() + 4)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)

    def show_message(self, text: str, kind: str = "info") -> None:
        self.kind = kind
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        background = _COLORS.get(kind, _COLORS["info"])[1 if dark else 0]
        self.setStyleSheet(f"QLabel {{ background: {background}; border-radius: 4px; }}")
        self.setText(text)
        self.setVisible(True)

    def clear_message(self) -> None:
        self.kind = ""
        self.setText("")
        self.setStyleSheet("")
        self.setVisible(False)


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(qd: QDate) -> dt.date:
    return dt.date(qd.year(), qd.month(), qd.day())


def date_edit(day: dt.date, parent: QWidget | None = None) -> QDateEdit:
    """A date input with the weekday shown and a calendar popup (ISO order, any locale)."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("ddd yyyy-MM-dd")
    edit.setDate(to_qdate(day))
    return edit


def form_dialog(dialog: QDialog, banner: Banner, rows: list[tuple[str, QWidget]], accept,
                *, ok: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Ok,
                ok_text: str | None = None, min_width: int = 0) -> QDialogButtonBox:
    """Lay out a small dialog the way they all look: the banner on top, the labelled rows,
    then the OK (or `ok`) and Cancel buttons; OK calls `accept`, Cancel rejects."""
    form = QFormLayout()
    for label, widget in rows:
        form.addRow(label, widget)
    buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
    if ok_text:
        buttons.button(ok).setText(ok_text)
    buttons.accepted.connect(accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(banner)
    layout.addLayout(form)
    layout.addWidget(buttons)
    # Tab goes down the rows as they are on screen, whatever order the widgets were made in
    # (the New user dialog sent a password typed in screen order into Role)
    tab_chain(*[w for _label, w in rows])  # the buttons, made after them, follow
    if min_width:
        dialog.setMinimumWidth(min_width)
    return buttons


def tab_chain(*widgets: QWidget) -> None:
    """Tab visits `widgets` in this order (screen order), whatever order they were made in."""
    for a, b in zip(widgets, widgets[1:], strict=False):
        QWidget.setTabOrder(a, b)


def ask_date(parent: QWidget, title: str, question: str, default: dt.date) -> dt.date | None:
    dlg = QDialog(parent)
    dlg.setWindowTitle(title)
    label = QLabel(question)
    edit = date_edit(default, dlg)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dlg.accept)
    buttons.rejected.connect(dlg.reject)
    layout = QVBoxLayout(dlg)
    layout.addWidget(label)
    layout.addWidget(edit)
    layout.addWidget(buttons)
    edit.setFocus()
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    return from_qdate(edit.date())
