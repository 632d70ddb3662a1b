"""Page 4 of the import wizard: what will happen, the SAP snapshot date, and for the material
master the fields to update and the dry run of that choice."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ....core import clock
from ....core.services.fields import plural
from ...screens.common import date_edit, from_qdate, to_qdate
from ...screens.rows_table import Col, RowsModel, make_table
from .running import RunningMixin
from .widgets import bold

UPDATE_LABELS = {"Description": "Description", "SAPMaterialType": "SAP material type",
                 "SAPMaterialGroup": "SAP material group", "SAPManuf": "SAP manufacturer",
                 "SAPMPN": "SAP MPN", "SAPABC": "SAP ABC designation",
                 "Price": "Price, price unit and currency"}


class ConfirmPage(QWizardPage):
    def __init__(self, wizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Confirm")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b3261e; font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        self.date = self.add = self.mode = None
        if wizard.kind.needs_date:
            self.date = date_edit(clock.today())
            self.date.dateChanged.connect(lambda _d: self._date_changed())
            row = QHBoxLayout()
            row.addWidget(bold(QLabel("SAP snapshot date")))
            row.addWidget(self.date)
            row.addStretch(1)
            layout.addLayout(row)
            self.add = QCheckBox("Add these rows to that date's snapshot (keep the rows "
                                 "uploaded before; a row with the same stock key replaces "
                                 "its old row)")
            self.add.toggled.connect(lambda _on: self._date_changed())
            layout.addWidget(self.add)
            self.mode = QLabel()
            self.mode.setWordWrap(True)
            layout.addWidget(self.mode)
        layout.addWidget(self.warning)
        self.plan = None
        if wizard.kind.material_master:
            self.plan = MaterialMasterPlan(wizard, self)
            layout.addWidget(self.plan, 1)
        else:
            layout.addStretch(1)

    def initializePage(self) -> None:
        o, r = self.w.options, self.w.trial.result
        good = r.rows_read - r.rows_ignored - r.rows_rejected
        text = (f"Ready to import <b>{Path(o.path).name}</b> (sheet '{o.sheet}'): "
                f"<b>{plural(good, 'row')}</b>.")
        if r.rows_rejected:
            text += (" Nothing will be written because of the problems (strict)." if o.strict
                     else f" {plural(r.rows_rejected, 'row')} with problems will be left out.")
        self.summary.setText(text)
        if self.date is not None:
            book = bool(r.errors_workbook)
            if book and getattr(self, "_dated_from", None) != o.path:
                # its rows were rejected from the snapshot of that date: start there
                from ....core.imports.errors_book import read_mark

                self._dated_from = o.path
                mark = read_mark(o.path)
                if mark is not None and mark.upload_date is not None:
                    o.upload_date = mark.upload_date
            self.add.blockSignals(True)
            self.add.setChecked(book or o.add)
            self.add.setEnabled(not book)  # an errors workbook is always added
            self.add.blockSignals(False)
            self.date.setDate(to_qdate(o.upload_date or clock.today()))
            self._date_changed()
        if self.plan is not None:
            self.plan.release_keep()
            self.plan.refresh()

    def _date_changed(self) -> None:
        day = from_qdate(self.date.date())
        self.w.options.upload_date = day
        add = self.w.options.add = self.add.isChecked()
        rows = self.w.uploads.get(day)
        book = bool(self.w.trial and self.w.trial.result.errors_workbook)
        when = f"{day:%a} {day.isoformat()}"
        if add:
            self.mode.setText(
                "<b>Mode: add.</b> "
                + ("This file is an errors workbook written by WICS for a SAP import: its "
                   "corrected rows are added to the snapshot, never replacing it. " if book
                   else "")
                + f"The rows are added to the SAP snapshot of {when}; rows with the same "
                "material, plant, storage location, special stock, batch and vendor replace "
                "the old ones, so importing the file twice adds it once."
                + (f" The snapshot has {rows:,} rows now; they are kept." if rows else ""))
        else:
            self.mode.setText(f"<b>Mode: replace.</b> This file becomes the SAP snapshot of "
                              f"{when}.")
        self.warning.setText(f"An SAP upload of {when} already exists ({rows:,} rows). "
                             "Importing replaces it." if rows and not add else "")
        if day > clock.today():
            self.warning.setText((self.warning.text() + " " if rows else "")
                                 + "This date is in the future.")

    def isComplete(self) -> bool:
        if self.w.options.strict and self.w.trial and self.w.trial.result.rows_rejected:
            return False
        return self.plan is None or self.plan.confirmed


class MaterialMasterPlan(RunningMixin, QWidget):
    """MM60: which fields to update, keep-missing, and the core's dry run of that choice."""

    def __init__(self, wizard, page: ConfirmPage) -> None:
        super().__init__(page)
        self.w, self.page = wizard, page
        self.ready = False
        self.mass_removal: list[dict] = []
        self.failure = None
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        grid.addWidget(bold(QLabel("Update existing materials where SAP differs:")), 0, 0, 1, 4)
        for i, name in enumerate(wizard.kind.update_fields):
            box = QCheckBox(UPDATE_LABELS.get(name, name))
            box.toggled.connect(lambda _on: self.refresh())
            self.boxes[name] = box
            grid.addWidget(box, 1 + i // 4, i % 4)
        self.keep = QCheckBox("Keep materials that are missing from the file (remove nothing)")
        self.keep.toggled.connect(lambda _on: self.refresh())
        # A short or truncated file removes most materials: say how many and ask explicitly.
        self.mass = QLabel()
        self.mass.setWordWrap(True)
        self.mass.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.mass_ok = QCheckBox()
        self.mass_ok.toggled.connect(self._mass_confirmed)
        self.mass.hide()
        self.mass_ok.hide()
        self.tabs = QTabWidget()
        self.lists = {}
        for key, cols in (
                ("added", [Col("Material", lambda m: m, width=260)]),
                ("removed", [Col("Material", lambda m: m, width=260)]),
                ("kept", [Col("Material", lambda m: m["material"], width=200),
                          Col("Reason", lambda m: m["reason"], width=420)]),
                ("changed", [Col("Material", lambda m: m["material"], width=180),
                             Col("Field", lambda m: m["field"], width=140),
                             Col("Old", lambda m: m["old"], width=200),
                             Col("New", lambda m: m["new"], width=200)])):
            model = RowsModel(cols, self)
            view, _proxy = make_table(model, f"import_mm60_{key}")
            self.lists[key] = model
            self.tabs.addTab(view, key.title())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addWidget(self.keep)
        layout.addWidget(self.mass)
        layout.addWidget(self.mass_ok)
        self.make_progress(layout)
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        o = self.w.options
        o.update = tuple(k for k, b in self.boxes.items() if b.isChecked())
        o.keep_missing = self.keep.isChecked()
        self.mass_removal = []
        self.mass.hide()
        self.mass_ok.hide()
        self.mass_ok.setChecked(False)  # a new plan needs a new confirmation
        o.allow_mass_removal = False
        if self.running:
            self.task.cancel()
        self.ready = False
        self.page.completeChanged.emit()
        self.start(True, self._planned)

    def _planned(self, outcome) -> None:
        if outcome is None or outcome.rejected:
            if outcome is not None:
                self.bar_text.setText(outcome.rejected)
            return
        r = outcome.result
        for key in ("added", "removed", "kept", "changed"):
            items = getattr(r, key) or []
            self.lists[key].set_rows(items)
            self.tabs.setTabText(list(self.lists).index(key), f"{key.title()} ({len(items):,})")
        verb = "" if r.written else "would be "
        self.bar_text.setText(f"Materials {verb}added {len(r.added or []):,}, removed "
                              f"{len(r.removed or []):,}, kept {len(r.kept or []):,}, "
                              f"changed {r.rows_updated:,}.")
        if r.errors_workbook and not self.keep.isChecked():
            # the corrected rows of an earlier MM60 import: the core removes nothing; say so
            self.forced_keep = True
            self.keep.blockSignals(True)
            self.keep.setChecked(True)
            self.keep.blockSignals(False)
            self.keep.setEnabled(False)
            self.keep.setText("Keep materials that are missing from the file (always, for an "
                              "errors workbook written by WICS)")
        self.mass_removal = list(r.mass_removal or [])
        if self.mass_removal:
            n = len(r.removed or [])
            orgs = "; ".join(f"{m['removed']:,} of the {m['materials']:,} materials of "
                             f"{m['org']} ({m['percent']:g} %)" for m in self.mass_removal)
            self.mass.setText(
                f"This file would remove {orgs} - more than the {r.removal_limit_pct:g} % "
                "allowed without confirmation (parameter MM60-REMOVAL-LIMIT-PCT). Is the file "
                "complete? Check the Removed list, or tick 'Keep materials that are missing'.")
            self.mass_ok.setText(f"Yes, remove {'this' if n == 1 else 'these'} "
                                 f"{plural(n, 'material')} (with their MPNs and photos)")
            self.mass.show()
            self.mass_ok.show()
            self.tabs.setCurrentIndex(list(self.lists).index("removed"))
        self.ready = True
        self.page.completeChanged.emit()

    def release_keep(self) -> None:
        """Undo what an errors workbook did to the keep box (a new file may be any file)."""
        if getattr(self, "forced_keep", False):
            self.forced_keep = False
            self.keep.blockSignals(True)
            self.keep.setChecked(False)
            self.keep.blockSignals(False)
            self.keep.setEnabled(True)
            self.keep.setText("Keep materials that are missing from the file (remove nothing)")

    def _mass_confirmed(self, on: bool) -> None:
        self.w.options.allow_mass_removal = on
        self.page.completeChanged.emit()

    @property
    def confirmed(self) -> bool:
        """Ready, and a mass removal (if any) explicitly confirmed."""
        return self.ready and (not getattr(self, "mass_removal", None)
                               or self.mass_ok.isChecked())

    def run_finished(self) -> None:
        self.page.completeChanged.emit()
