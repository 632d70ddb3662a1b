"""Move a WICS-3 site into this database: source, check (a dry run), confirm, run, result.

For the site admin on switch-over day. Every step runs the same core functions as
`wics migrate wics3`: the check is a full dry run in the background (everything written, then
rolled back), so the numbers on the confirm page are what the real run writes. The result page
lists each user's one-time password once, with a button to save the whole report.
"""
from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from ...core.migrate_wics3 import migrate, read_csv_dir, read_database
from ...core.services.fields import plural
from ..screen_base import Screen
from ..screens.common import Banner
from ..screens.rows_table import Col, RowsModel, make_table

SOURCE, CHECK, RESULT = range(3)

SUMMARY_COLUMNS = [
    Col("What", lambda r: r[0], width=180),
    Col("Writes", lambda r: r[2], lambda r: f"{r[2]:,}", numeric=True, width=80),
    Col("Already here", lambda r: r[3], lambda r: f"{r[3]:,}" if r[3] else "", numeric=True,
        width=100),
    Col("", lambda r: "", width=10),  # takes the rest of the width, so numbers stay together
]
PROBLEM_COLUMNS = [
    Col("Table", lambda p: p.table, width=160),
    Col("Row", lambda p: str(p.row), width=70),
    Col("Value", lambda p: "" if p.value is None else str(p.value), width=160),
    Col("What happens", lambda p: p.message, width=520),
]
USER_COLUMNS = [
    Col("User", lambda u: u["username"], width=140),
    Col("Role", lambda u: u["role"], width=90),
    Col("One-time password", lambda u: u.get("one_time_password", ""), width=160),
    Col("Why this role", lambda u: u.get("why") or "", width=200),
    Col("Active", lambda u: "yes" if u.get("active") else "no", width=60),
    Col("", lambda u: "", width=10),
]


def read_site(kind: str, where: str):
    return read_csv_dir(where) if kind == "csv" else read_database(where)


def check_and_run(database, actor, kind: str, where: str, media: str | None, merge: bool,
                  dry_run: bool):
    """The background job: read the site, then migrate it (rolled back when dry_run)."""
    site = read_site(kind, where)
    return migrate(database, actor, site, dry_run=dry_run, merge=merge, media_dir=media or None)


def summary_rows(result) -> list[tuple]:
    tables = list(dict.fromkeys([*result.written, *result.matched]))
    return [(t.replace("_", " "), None, result.written.get(t, 0), result.matched.get(t, 0))
            for t in tables if result.written.get(t) or result.matched.get(t)]


class SourcePage(QWizardPage):
    def __init__(self, wizard: MigrateWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Where is the WICS-3 site?")
        self.setSubTitle("WICS-3 is only read, never changed. Nothing is written here until you "
                         "confirm on the next page.")
        self.csv = QRadioButton("&CSV exports (the folder WICS-3 was loaded from)")
        self.db = QRadioButton("WICS-3 &database (MySQL/MariaDB URL)")
        self.csv.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.csv)
        group.addButton(self.db)
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("/path/to/load_data")
        browse = QPushButton("Bro&wse…")
        browse.clicked.connect(self.browse)
        self.url = QLineEdit()
        self.url.setPlaceholderText("mysql+pymysql://reader:password@host:3306/wics3")
        self.url.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.media = QLineEdit()
        self.media.setPlaceholderText("optional: WICS-3's media folder (holds MatlImg/)")
        self.merge = QCheckBox("&Merge into this database although it already has data "
                               "(materials matched by organization and part number)")
        grid = QGridLayout(self)
        grid.addWidget(self.csv, 0, 0, 1, 3)
        grid.addWidget(QLabel("Folder"), 1, 0)
        grid.addWidget(self.folder, 1, 1)
        grid.addWidget(browse, 1, 2)
        grid.addWidget(self.db, 2, 0, 1, 3)
        grid.addWidget(QLabel("URL"), 3, 0)
        grid.addWidget(self.url, 3, 1, 1, 2)
        grid.addWidget(QLabel("Photos"), 4, 0)
        grid.addWidget(self.media, 4, 1, 1, 2)
        grid.addWidget(self.merge, 5, 0, 1, 3)
        grid.setRowStretch(6, 1)
        for w in (self.folder, self.url):
            w.textChanged.connect(self.completeChanged)
        self.folder.textEdited.connect(lambda _t: self.csv.setChecked(True))
        self.url.textEdited.connect(lambda _t: self.db.setChecked(True))
        self.csv.toggled.connect(self.completeChanged)

    def browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "WICS-3 CSV exports", self.folder.text())
        if folder:
            self.folder.setText(folder)
            self.csv.setChecked(True)

    def source(self) -> tuple[str, str]:
        return ("csv", self.folder.text().strip()) if self.csv.isChecked() else \
            ("db", self.url.text().strip())

    def isComplete(self) -> bool:
        return bool(self.source()[1])


class CheckPage(QWizardPage):
    """Runs the dry run when entered; Next (= Migrate) needs the result and a tick."""

    def __init__(self, wizard: MigrateWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setTitle("Check")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Migrate")
        self.banner = Banner(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.summary = RowsModel(SUMMARY_COLUMNS, self)
        self.summary_view, _ = make_table(self.summary, "migrate_summary")
        self.problems = RowsModel(PROBLEM_COLUMNS, self)
        self.problems_view, _ = make_table(self.problems, "migrate_problems")
        self.read_them = QCheckBox("I have &read the problems listed above")
        self.read_them.toggled.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.status)
        layout.addWidget(self.summary_view, 1)
        layout.addWidget(QLabel("Problems (rows WICS will not take as they are):"))
        layout.addWidget(self.problems_view, 2)
        layout.addWidget(self.read_them)
        self.result = None
        self.running = False

    def initializePage(self) -> None:
        self.result = None
        self.summary.set_rows([])
        self.problems.set_rows([])
        self.read_them.setChecked(False)
        self.banner.clear_message()
        self.status.setText("Reading the WICS-3 site and trying the whole migration (nothing "
                            "is kept)…")
        self.running = True
        self.w.start(dry_run=True, on_result=self.checked, on_error=self.failed)

    def checked(self, result) -> None:
        self.running = False
        self.result = result
        self.summary.set_rows(summary_rows(result))
        self.problems.set_rows(result.problems)
        self.read_them.setVisible(bool(result.problems))
        total = sum(result.written.values())
        read = ", ".join(f"{name} {n:,}" for name, n in result.read.items())
        self.status.setText(
            f"Read from {result.source}: {read}.\nThe migration would write "
            f"{plural(total, 'row')}"
            + (f" and lists {plural(len(result.problems), 'problem')}" if result.problems else "")
            + ". Press Migrate to write them in one transaction.")
        self.completeChanged.emit()

    def failed(self, failure) -> None:
        self.running = False
        self.status.setText("")
        self.banner.show_message(str(failure.error), "error")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self.result is None:
            return False
        return self.read_them.isChecked() or not self.result.problems


class ResultPage(QWizardPage):
    def __init__(self, wizard: MigrateWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setTitle("Result")
        self.banner = Banner(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.users = RowsModel(USER_COLUMNS, self)
        self.users_view, _ = make_table(self.users, "migrate_users")
        self.users_view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.save_button = QPushButton("&Save report…")
        self.save_button.clicked.connect(self.save_report)
        self.save_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.status)
        self.users_note = QLabel()
        self.users_note.setWordWrap(True)
        layout.addWidget(self.users_note)
        layout.addWidget(self.users_view, 1)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.result = None
        self.running = False

    def initializePage(self) -> None:
        self.result = None
        self.banner.clear_message()
        self.status.setText("Migrating… (one transaction: if anything fails nothing is kept)")
        self.running = True
        self.w.start(dry_run=False, on_result=self.done, on_error=self.failed)

    def done(self, result) -> None:
        self.running = False
        self.result = result
        total = sum(result.written.values())
        self.status.setText(f"Done: {plural(total, 'row')} written"
                            + (f", {plural(len(result.problems), 'problem')} listed in the report"
                               if result.problems else "") + ".")
        self.users.set_rows(result.first_sign_in)
        self.users_view.setVisible(bool(result.first_sign_in))
        self.users_note.setText(
            "Users: each signs in once with the one-time password below and then chooses "
            "their own. This list is shown only now: save the report or hand the passwords out "
            "before you close this page." if result.first_sign_in else
            "No users came across (CSV exports hold none): add them under System › Users.")
        self.save_button.setEnabled(True)
        self.completeChanged.emit()

    def failed(self, failure) -> None:
        self.running = False
        self.status.setText("Nothing was written.")
        self.banner.show_message(str(failure.error), "error")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.running

    def save_report(self, path: str | None = None) -> str | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save migration report",
                                                  "wics3-migration.json", "JSON (*.json)")
        if not path or self.result is None:
            return None
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.result.as_dict(), f, indent=2, ensure_ascii=False, default=str)
        self.banner.show_message(f"Report saved to {path}", "info")
        return path


class MigrateWizard(QWizard):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Move a WICS-3 site")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.pages = {SOURCE: SourcePage(self), CHECK: CheckPage(self), RESULT: ResultPage(self)}
        for page_id, page in self.pages.items():
            self.setPage(page_id, page)

    def start(self, *, dry_run: bool, on_result, on_error) -> None:
        source = self.pages[SOURCE]
        kind, where = source.source()
        self.ctx.runner.submit(
            check_and_run, self.ctx.database, self.ctx.actor, kind, where,
            source.media.text().strip(), source.merge.isChecked(), dry_run, session=False,
            title="WICS-3 migration", job=None if dry_run else "migrate-wics3",
            on_result=on_result, on_error=on_error)

    def busy(self) -> bool:
        return bool(getattr(self.currentPage(), "running", False))

    def accept(self) -> None:
        self.restart()

    def reject(self) -> None:
        if not self.busy():
            self.restart()


class MigrateScreen(Screen):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.set_title("Move a WICS-3 Site")
        self.wizard = MigrateWizard(ctx, self)
        self.wizard.setWindowFlags(Qt.WindowType.Widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.wizard)

    def confirm_close(self) -> bool:
        return not self.wizard.busy()
