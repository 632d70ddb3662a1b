"""Page 1 of the import wizard: the file (opened, dropped or typed)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from ... import settings
from .. import import_jobs
from .widgets import FILE_FILTER, DropZone


class FilePage(QWizardPage):
    def __init__(self, wizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Choose the file")
        self.setSubTitle(wizard.kind.what)
        self.path = QLineEdit()
        self.path.setPlaceholderText("Path of the spreadsheet")
        self._complete = False
        self.path.textChanged.connect(self._path_changed)
        self.path.returnPressed.connect(self._enter)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        self.drop = DropZone()
        self.drop.dropped.connect(self.path.setText)
        self.last = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.drop)
        layout.addWidget(self.last)
        layout.addStretch(1)

    def initializePage(self) -> None:
        if self.w.kind.needs_date:
            uploads = self.w.ctx.read(import_jobs.sap_uploads, owner=self)
            self.w.uploads = uploads
            if uploads:
                day = max(uploads)
                self.last.setText(f"Last SAP upload: {day:%a} {day.isoformat()} "
                                  f"({uploads[day]:,} rows).")
            else:
                self.last.setText("No SAP stock on hand has been uploaded yet.")

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.w.kind.title,
                                              settings.last_folder("import"), FILE_FILTER)
        if path:
            self.path.setText(path)

    def isComplete(self) -> bool:
        return Path(self.path.text().strip()).is_file()

    def _path_changed(self) -> None:
        """Tell the wizard only when the answer changes: each completeChanged makes QWizard
        redo its buttons, and that took the focus away from the box after one typed key."""
        complete = self.isComplete()
        if complete == self._complete:
            return
        self._complete = complete
        typing = self.path.hasFocus()
        self.completeChanged.emit()
        if typing and not self.path.hasFocus():
            self.path.setFocus(Qt.FocusReason.OtherFocusReason)

    def _enter(self) -> None:
        """Enter in the file box is Next (the wizard sits in a tab: no default button)."""
        if self.isComplete():
            self.wizard().next()

    def validatePage(self) -> bool:
        path = self.path.text().strip()
        if path != self.w.options.path:
            self.w.options = import_jobs.ImportOptions(path=path)
            self.w.overrides_for_sheet.clear()
        settings.remember_folder("import", path)
        return True
