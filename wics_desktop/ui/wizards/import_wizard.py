"""The import wizards (QWizard) for SAP stock on hand, the SAP material master (MM60), counts
and the count schedule, and the screens that host them in the main window.

One wizard class serves the four imports (core.imports.kinds says what differs); every path ends
in the same core import the `wics import` command runs. Drop a spreadsheet anywhere on the
screen to start with it.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QVBoxLayout, QWizard

from ..screen_base import Screen
from . import import_jobs
from .import_pages import (
    CheckPage,
    ColumnsPage,
    ConfirmPage,
    FilePage,
    ResultPage,
    RunPage,
    dropped_file,
)

FILE, COLUMNS, CHECK, CONFIRM, RUN, RESULT = range(6)


class ImportWizard(QWizard):
    def __init__(self, ctx, kind: import_jobs.ImportKind, parent=None) -> None:
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        self.options = import_jobs.ImportOptions(path="")
        self.overrides_for_sheet: dict[str, dict[str, str | None]] = {}
        self.uploads: dict = {}
        self.trial = None
        self.outcome = None
        self.cancelled = False
        self.failure = None
        self.setWindowTitle(kind.title)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButtonText(QWizard.WizardButton.CustomButton1, "Import another file")
        self.customButtonClicked.connect(lambda _which: self.restart())
        self.pages = {FILE: FilePage(self), COLUMNS: ColumnsPage(self), CHECK: CheckPage(self),
                      CONFIRM: ConfirmPage(self), RUN: RunPage(self), RESULT: ResultPage(self)}
        for page_id, page in self.pages.items():
            self.setPage(page_id, page)
            page.completeChanged.connect(self._keep_focus)
        self.setStartId(FILE)
        self.currentIdChanged.connect(self._page_changed)
        self._page_changed(FILE)

    def _page_changed(self, page_id: int) -> None:
        self.button(QWizard.WizardButton.CustomButton1).setVisible(page_id == RESULT)
        self._keep_focus()

    def _keep_focus(self) -> None:
        """The page the focus was on is hidden now: keep the cursor in the wizard (on Next,
        so Enter goes on), not on the main window's tab bar."""
        focus = QApplication.focusWidget()
        if not self.isVisible() or (focus is not None and self.isAncestorOf(focus)
                                    and focus.isVisible()):
            return
        for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.CommitButton,
                      QWizard.WizardButton.FinishButton):
            button = self.button(which)
            if button.isVisible() and button.isEnabled():
                button.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        page = self.currentPage()  # still working: its first field, until it is complete
        widget = page.nextInFocusChain() if page is not None else None
        while widget is not None and widget is not page:
            if page.isAncestorOf(widget) and widget.isVisible() and widget.isEnabled() \
                    and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return
            widget = widget.nextInFocusChain()

    def use_file(self, path: str) -> bool:
        """A dropped file: start over with it, unless an import is running."""
        if self.busy():
            return False
        self.restart()
        self.pages[FILE].path.setText(path)
        return True

    def busy(self) -> bool:
        page = self.currentPage()
        return bool(getattr(page, "running", False))

    def accept(self) -> None:
        """Finish: the wizard is part of its screen, so it starts over instead of closing."""
        self.restart()

    def reject(self) -> None:
        page = self.currentPage()
        if getattr(page, "running", False):
            if self.currentId() == RUN:
                answer = QMessageBox.question(
                    self, self.kind.title, "Stop the import? Everything it did so far is "
                    "undone.")
                if answer != QMessageBox.StandardButton.Yes:
                    return
            page.cancel_run()
            return  # the result page says what happened
        self.restart()


class ImportScreen(Screen):
    """A main-window screen hosting one import wizard; accepts dropped spreadsheets."""

    kind_key = ""

    def __init__(self, ctx, parent=None, path: str | None = None) -> None:
        super().__init__(ctx, parent)
        self.kind = import_jobs.KINDS[self.kind_key]
        self.set_title(self.kind.title)
        self.wizard = ImportWizard(ctx, self.kind, self)
        self.wizard.setWindowFlags(Qt.WindowType.Widget)  # a page of the screen, not a dialog
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.wizard)
        self.setAcceptDrops(True)
        if path:
            self.wizard.use_file(path)

    def dragEnterEvent(self, event) -> None:
        if dropped_file(event.mimeData()) and not self.wizard.busy():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = dropped_file(event.mimeData())
        if path and self.wizard.use_file(path):
            event.acceptProposedAction()

    def open_with(self, path: str | None = None, **_kwargs) -> None:
        if path:
            self.wizard.use_file(path)

    def is_dirty(self) -> bool:
        return self.wizard.busy()

    def confirm_close(self) -> bool:
        if self.wizard.busy():
            QMessageBox.information(self, self.kind.title,
                                    "An import is running. Cancel it first.")
            return False
        return True

    def focus_first(self) -> None:
        self.wizard.pages[FILE].path.setFocus()


class SapSohImportScreen(ImportScreen):
    kind_key = "sap-soh"


class Mm60ImportScreen(ImportScreen):
    kind_key = "mm60"


class CountsImportScreen(ImportScreen):
    kind_key = "counts"


class ScheduleImportScreen(ImportScreen):
    kind_key = "schedule"


if __name__ == "__main__":  # pragma: no cover
    from ..standalone import run_screen

    sys.exit(run_screen(sys.argv[1] if len(sys.argv) > 1 else "import_sap_soh", sys.argv[2:]))
