"""Pages 3, 5 and 6 of the import wizard: the check (a trial run), the import, the result."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWizardPage

from ....core import clock
from ....core.services.fields import plural
from .running import RunningMixin
from .widgets import ErrorsTable, things

# ---- 3. check ---------------------------------------------------------------------------------

class CheckPage(RunningMixin, QWizardPage):
    def __init__(self, wizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Check the rows")
        self.setSubTitle("Every row is checked the way the import will check it; nothing is "
                         "kept yet.")
        self.outcome = None
        self.failure = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.strict = QCheckBox("Import nothing if any row has a problem (strict)")
        self.errors = ErrorsTable(wizard)
        layout = QVBoxLayout(self)
        self.make_progress(layout)
        layout.addWidget(self.summary)
        layout.addWidget(self.strict)
        layout.addWidget(self.errors, 1)

    def initializePage(self) -> None:
        self.outcome, self.failure = None, None
        self.errors.set_result(None)
        self.summary.setText("")
        if self.w.kind.needs_date and self.w.options.upload_date is None:
            self.w.options.upload_date = clock.today()
        self.start(True, self._checked)

    def _checked(self, outcome) -> None:
        self.outcome = outcome
        self.bar_text.setText("Check complete: nothing has been written yet.")
        if outcome is None:
            self.summary.setText("Check cancelled. Press Back and Next to check again.")
            return
        self.w.trial = outcome
        r = outcome.result
        self.errors.set_result(r)
        if outcome.rejected:
            self.summary.setText(f"<b>This file cannot be imported:</b> {outcome.rejected}")
            return
        good = r.rows_read - r.rows_ignored - r.rows_rejected
        self.summary.setText(
            f"<b>{r.rows_read:,}</b> rows read · <b>{good:,}</b> can be imported · "
            f"<b>{r.rows_rejected:,}</b> with problems ({plural(len(r.errors), 'problem')}) · "
            f"{r.rows_ignored:,} ignored (blank material or marked to ignore"
            + (f"; {things(r, r.already_imported)} imported before, not added again"
               + (f", {r.deleted_since:,} of them deleted in WICS since)" if r.deleted_since
                  else ")")
               if r.already_imported else ")")
            + ("<br>This is an <b>errors workbook</b> WICS wrote for a SAP import: its rows "
               "will be <b>added</b> to the snapshot of the date, not replace it."
               if r.errors_workbook else ""))

    def isComplete(self) -> bool:
        return self.outcome is not None and not self.outcome.rejected and not self.running

    def validatePage(self) -> bool:
        self.w.options.strict = self.strict.isChecked()
        return True


# ---- 5. import ----------------------------------------------------------------------------------

class RunPage(RunningMixin, QWizardPage):
    def __init__(self, wizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Importing")
        self.setSubTitle("The rows are written in one transaction: Cancel undoes everything.")
        self.failure = None
        layout = QVBoxLayout(self)
        self.make_progress(layout)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.failure = None
        self.w.outcome = None
        self.w.cancelled = False
        self.start(False, self._done)

    def _done(self, outcome) -> None:
        self.w.outcome = outcome
        self.w.cancelled = outcome is None
        if outcome is not None and getattr(outcome, "written", True):
            self.w.ctx.check_alerts("import")  # an SAP upload or counts: alerts open or close

    def _finished_run(self) -> None:
        super()._finished_run()
        if self.failure is not None:
            self.w.failure = self.failure
        self.w.next()

    def isComplete(self) -> bool:
        return not self.running and self.task is not None


# ---- 6. result ----------------------------------------------------------------------------------

class ResultPage(QWizardPage):
    def __init__(self, wizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Result")
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.errors = ErrorsTable(wizard)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.details)
        layout.addWidget(self.errors, 1)
        # Without rejected rows the table is hidden: the spare height goes below the text
        # instead of being spread between the lines.
        layout.addStretch(0)
        self.setFinalPage(True)

    def initializePage(self) -> None:
        out = self.w.outcome
        if self.w.cancelled:
            self.headline.setText("<h3>Cancelled: nothing was written.</h3>")
            self.details.setText("The import was undone completely. Run it again when ready.")
            self.errors.set_result(None)
            self.errors.setVisible(False)
            return
        if out is None:
            self.headline.setText("<h3>The import failed: nothing was written.</h3>")
            failure = getattr(self.w, "failure", None)
            self.details.setText(str(failure.error) if failure else "")
            self.errors.set_result(None)
            self.errors.setVisible(False)
            return
        r = out.result
        if out.rejected:
            self.headline.setText(f"<h3>Nothing was written.</h3>{out.rejected}")
        else:
            self.headline.setText(f"<h3>Imported {Path(r.file).name}.</h3>")
        lines = [f"Rows read {r.rows_read:,} · added {r.rows_added:,} · updated "
                 f"{r.rows_updated:,} · removed {r.rows_removed:,} · ignored "
                 f"{r.rows_ignored:,} · rejected {r.rows_rejected:,}"]
        if r.upload_date and r.written and r.mode == "add":
            lines.append(f"Added to the SAP snapshot of {r.upload_date:%a} "
                         f"{r.upload_date.isoformat()}; {plural(r.rows_updated, 'row')} with the "
                         "same stock key replaced, the rest of the snapshot kept.")
        elif r.upload_date and r.written:
            replaced = (f", replacing the {plural(r.rows_removed, 'row')} uploaded before for "
                        "that date" if r.rows_removed else "")
            lines.append(f"SAP snapshot of {r.upload_date:%a} {r.upload_date.isoformat()}"
                         f"{replaced}.")
        if r.already_imported:
            n = r.already_imported
            lines.append(f"{things(r, n)} of this file {'was' if n == 1 else 'were'} "
                         "imported before and not added again.")
            if r.deleted_since:
                lines.append(r.deleted_since_text())
        if r.kind == "mm60":
            lines.append(f"Materials added {len(r.added or []):,}, removed "
                         f"{len(r.removed or []):,}, kept {len(r.kept or []):,}, fields "
                         f"changed {len(r.changed or []):,}.")
        self.details.setText("\n".join(lines))
        self.errors.set_result(r)
        self.errors.setVisible(bool(r.errors))
