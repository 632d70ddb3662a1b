"""A run of the import on the background runner, followed with a progress bar and Cancel:
the check, the material master's dry run and the import itself."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton

from ....core.errors import WicsError
from ... import errors
from .. import import_jobs


class RunningMixin:
    """Start run_import on the runner and follow it with a progress bar and a Cancel button."""

    def make_progress(self, layout) -> None:
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar_text = QLabel()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_run)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout.addWidget(self.bar_text)
        layout.addLayout(row)
        self.task = None

    def start(self, trial: bool, on_done) -> None:
        self.bar.setRange(0, 0)
        self.bar.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.bar_text.setText("Starting…")
        self.task = self.w.ctx.runner.submit(
            import_jobs.run_import, self.w.kind.key, self.w.options, trial,
            actor=self.w.ctx.actor, title=self.w.kind.title, owner=self,
            job=import_jobs.job_name(self.w.kind.key, trial), job_summary=import_jobs.fill_task)
        self.task.progressed.connect(self._progress)
        self.task.succeeded.connect(on_done)
        self.task.cancelled.connect(lambda: on_done(None))
        self.task.failed.connect(self._failed_run)
        self.task.finished.connect(self._finished_run)

    def _progress(self, done: int, total: int, text: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, total))
        self.bar_text.setText(f"{text}: {done:,} of {total:,}" if total > 1 else text)

    def cancel_run(self) -> None:
        if self.task is not None and not self.task.done:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.bar_text.setText("Cancelling - undoing what was done so far…")

    def _failed_run(self, failure) -> None:
        """An expected problem (database gone, file vanished) is said on the page; a bug gets
        the error dialog with its copyable report."""
        self.failure = failure
        self.bar_text.setText(f"Failed: {failure.error}")
        if not isinstance(failure.error, WicsError):
            errors.report_unexpected(failure.error, self, failure.traceback,
                                     self.w.kind.title.lower())

    def _finished_run(self) -> None:
        self.bar.hide()
        self.cancel_button.hide()
        self.run_finished()

    def run_finished(self) -> None:
        self.completeChanged.emit()

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done
