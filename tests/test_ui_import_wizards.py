"""The import wizards, driven end to end with pytest-qt on generated files, on both databases:
a header fixed by picking its field, problems listed and exported, the SAP date warning, the
material-master plan, a file with errors, a strict refusal, a cancelled run, a dropped file."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWizard
from sqlalchemy import func, select

from wics_desktop.core.models import ActualCount, CountSchedule, Material, SapStock
from wics_desktop.ui import errors as ui_errors
from wics_desktop.ui.screens.common import from_qdate
from wics_desktop.ui.wizards.import_wizard import (
    CHECK,
    COLUMNS,
    CONFIRM,
    FILE,
    RESULT,
    CountsImportScreen,
    Mm60ImportScreen,
    SapSohImportScreen,
    ScheduleImportScreen,
)

from imports_fixtures import material_ids, setup_reference, write_xlsx
from ui_fixtures import *  # noqa: F403

D1 = dt.date(2026, 11, 19)
D2 = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("WICS_TODAY", D2.isoformat())


@pytest.fixture(autouse=True)
def _collect_errors(monkeypatch):
    monkeypatch.setattr(ui_errors, "collected", [])
    yield
    assert ui_errors.collected == [], ui_errors.collected


def _open(qtbot, ctx, cls):
    screen = cls(ctx)
    qtbot.addWidget(screen)
    screen.resize(1100, 760)
    screen.show()
    return screen, screen.wizard


def _next(qtbot, wizard, expected: int):
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == expected, timeout=15000)
    return wizard.currentPage()


def _wait_complete(qtbot, page, timeout=20000):
    qtbot.waitUntil(page.isComplete, timeout=timeout)


def _count(db, model, *where):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def _shots(tmp_path):
    """Where screenshots of these tests go: WICS_SHOTS (to look at them), else tmp_path."""
    import os
    from pathlib import Path

    folder = Path(os.environ.get("WICS_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _combo_for(page, header):
    j = page.preview.header_cells.index(header)
    return page.combos[j]


def test_sap_wizard_fixes_a_header_lists_problems_and_replaces_the_date(
        qtbot, db, ctx_factory, tmp_path):
    orgs = setup_reference(db, [("L10", "A-100"), ("L10", "B-200"), ("L6", "C-300")])
    ids = material_ids(db)
    with db.session() as s:  # yesterday's snapshot, to be replaced
        s.add(SapStock(upload_date=D1, org_id=orgs["L10"], part_number="A-100",
                       material_id=ids[("L10", "A-100")], amount=1, plant="1010"))
    path = write_xlsx(tmp_path / "mb52.xlsx", [
        ["Mat. No.", "Plant", "Storage location", "Unrestricted", "Base Unit of Measure"],
        ["A-100", "1010", "0001", 5, "EA"],
        ["B-200", "1010", "0001", "10,000", "EA"],
        ["C-300", "FW61", "0002", 7, "EA"],
        ["NOPE-1", "1010", "0001", 1, "EA"],
        ["A-100", "1010", "0003", "lots", "EA"]])
    screen, wizard = _open(qtbot, ctx_factory(db, role="supervisor"), SapSohImportScreen)
    page = wizard.currentPage()
    assert "Last SAP upload: Thu 2026-11-19 (1 rows)" in page.last.text()
    page.path.setText(str(path))
    assert page.isComplete()

    cols = _next(qtbot, wizard, COLUMNS)
    qtbot.waitUntil(lambda: cols.preview is not None, timeout=15000)
    assert not cols.isComplete()
    assert "No column is read as Material (required)" in cols.problems.text()
    assert cols.rows.rowCount() == 5 and cols.rows.horizontalHeaderItem(0).text() == "Mat. No."
    combo = _combo_for(cols, "Mat. No.")
    combo.setCurrentIndex(combo.findData("part_number"))
    assert cols.isComplete() and cols.problems.text() == ""

    check = _next(qtbot, wizard, CHECK)
    _wait_complete(qtbot, check)
    summary = check.summary.text()
    assert "<b>5</b> rows read" in summary and "<b>3</b> can be imported" in summary
    problems = check.errors.model.rows
    assert [(e.row, e.column) for e in problems] == [(5, "Mat. No."), (6, "Unrestricted")]
    assert _count(db, SapStock, SapStock.upload_date == D2) == 0  # the check kept nothing
    out = tmp_path / "problems.xlsx"
    check.errors.export_errors(str(out))
    qtbot.waitUntil(lambda: "written to" in check.errors.message.text(), timeout=10000)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Sheet1", "Problems", "WICS import"] and wb["Sheet1"].max_row == 3
    assert wb["WICS import"].sheet_state == "hidden"  # the mark that makes a re-import add

    confirm = _next(qtbot, wizard, CONFIRM)
    assert confirm.warning.text() == ""  # today (2026-11-20) has no upload
    confirm.date.setDate(confirm.date.date().addDays(-1))
    assert "already exists (1 rows). Importing replaces it." in confirm.warning.text()
    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "Import"

    result = _next(qtbot, wizard, RESULT)
    assert "Imported mb52.xlsx" in result.headline.text()
    assert "added 3" in result.details.text() and "removed 1" in result.details.text()
    assert len(result.errors.model.rows) == 2
    with db.session() as s:
        rows = s.execute(select(SapStock.part_number, SapStock.amount)
                         .where(SapStock.upload_date == D1).order_by(SapStock.part_number)).all()
    assert [tuple(r) for r in rows] == [("A-100", 5), ("B-200", 10000), ("C-300", 7)]


def test_mm60_wizard_shows_the_plan_and_updates_chosen_fields(qtbot, db, ctx_factory, tmp_path):
    setup_reference(db, [("L6", "KEEP-1"), ("L6", "GONE-1"), ("L6", "USED-1")])
    ids = material_ids(db)
    with db.session() as s:
        s.add(CountSchedule(count_date=D2, material_id=ids[("L6", "USED-1")]))
    path = write_xlsx(tmp_path / "mm60.xlsx", [
        ["Material", "Plant", "Material description", "Material type", "Price", "Price unit"],
        ["KEEP-1", "FW61", "New words", "ZROH", "12.50", 1],
        ["NEW-1", "FW62", "Brand new", "ZROH", "3", 1]])
    screen, wizard = _open(qtbot, ctx_factory(db, role="supervisor"), Mm60ImportScreen)
    wizard.currentPage().path.setText(str(path))
    cols = _next(qtbot, wizard, COLUMNS)
    _wait_complete(qtbot, cols)
    check = _next(qtbot, wizard, CHECK)
    _wait_complete(qtbot, check)
    confirm = _next(qtbot, wizard, CONFIRM)
    plan = confirm.plan
    qtbot.waitUntil(lambda: plan.ready, timeout=15000)
    tabs = [plan.tabs.tabText(i) for i in range(plan.tabs.count())]
    assert tabs == ["Added (1)", "Removed (1)", "Kept (1)", "Changed (0)"]
    assert plan.lists["kept"].rows[0]["material"] == "USED-1"
    assert _count(db, Material) == 3  # the dry run wrote nothing
    plan.boxes["Description"].setChecked(True)
    qtbot.waitUntil(lambda: plan.ready and plan.tabs.tabText(3) == "Changed (1)", timeout=15000)
    assert plan.lists["changed"].rows[0]["new"] == "New words"
    plan.keep.setChecked(True)
    qtbot.waitUntil(lambda: plan.ready and plan.tabs.tabText(1) == "Removed (0)", timeout=15000)
    plan.keep.setChecked(False)
    qtbot.waitUntil(lambda: plan.ready and plan.tabs.tabText(1) == "Removed (1)", timeout=15000)
    # 1 of L6's 3 materials is more than MM60-REMOVAL-LIMIT-PCT (25 %): asked explicitly
    assert plan.mass.isVisible() and "1 of the 3 materials of L6 (33.3 %)" in plan.mass.text()
    assert plan.mass_ok.text() == "Yes, remove this 1 material (with their MPNs and photos)"
    assert plan.tabs.currentIndex() == 1 and not confirm.isComplete()
    screen.grab().save(str(_shots(tmp_path) / "mm60_mass_removal.png"))
    plan.mass_ok.setChecked(True)
    assert confirm.isComplete() and wizard.options.allow_mass_removal

    result = _next(qtbot, wizard, RESULT)
    assert "Materials added 1, removed 1, kept 1, fields changed 1" in result.details.text()
    with db.session() as s:
        parts = dict(s.execute(select(Material.part_number, Material.description)).all())
    assert parts == {"KEEP-1": "New words", "USED-1": "desc USED-1", "NEW-1": "Brand new"}


def _check_and_import(qtbot, wizard, path):
    """From the file page: this file, columns, check, confirm, run -> (check page, result page)."""
    wizard.currentPage().path.setText(str(path))
    _wait_complete(qtbot, _next(qtbot, wizard, COLUMNS))
    check = _next(qtbot, wizard, CHECK)
    _wait_complete(qtbot, check)
    _next(qtbot, wizard, CONFIRM)
    return check, _next(qtbot, wizard, RESULT)


def test_counts_wizard_with_errors_imports_the_good_rows(qtbot, db, ctx_factory, tmp_path):
    setup_reference(db, [("L10", "A-100"), ("L10", "B-200")])
    path = write_xlsx(tmp_path / "counts.xlsx", [
        ["CountDate", "Counter", "LOCATION", "Material", "CTD_QTY_Expr", "LocationOnly"],
        [D2, "Chris", "D2", "A-100", "1080*4+791", None],
        [D2, "Chris", "D3", "B-200", "12*", None],
        [D2, "Chris", "D4", "ZZZ", "5", None],
        [D2, "Chris", "D5", "B-200", None, "TRUE"]], sheet="Counts")
    screen, wizard = _open(qtbot, ctx_factory(db, role="supervisor"), CountsImportScreen)
    wizard.currentPage().path.setText(str(path))
    cols = _next(qtbot, wizard, COLUMNS)
    _wait_complete(qtbot, cols)
    assert cols.sheet.currentText() == "Counts"
    check = _next(qtbot, wizard, CHECK)
    _wait_complete(qtbot, check)
    assert sorted(e.row for e in check.errors.model.rows) == [3, 4]
    # sortable: by problem text, then back by row
    check.errors.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert check.errors.proxy.index(0, 0).data() == "4"
    _next(qtbot, wizard, CONFIRM)
    result = _next(qtbot, wizard, RESULT)
    assert "added 2" in result.details.text() and "rejected 2" in result.details.text()
    assert _count(db, ActualCount) == 2
    with db.session() as s:
        expr = s.scalar(select(ActualCount.expression).where(ActualCount.location == "D2"))
    assert expr == "1080*4+791"
    # "Import another file" starts over, and so does Finish (the wizard lives in its screen)
    wizard.button(QWizard.WizardButton.CustomButton1).click()
    assert wizard.currentId() == FILE
    # the same file again: the check says what was imported before; nothing is stored twice
    check, result = _check_and_import(qtbot, wizard, path)
    assert "2 counts imported before, not added again" in check.summary.text()
    assert "added 0" in result.details.text()
    assert "2 counts of this file were imported before" in result.details.text()
    assert _count(db, ActualCount) == 2
    # a supervisor deletes one of them; the file once more: it stays deleted, and is said so
    from wics_desktop.core.actor import Actor
    from wics_desktop.core.services import counts as count_service
    with db.session() as s:
        d2 = s.scalar(select(ActualCount.id).where(ActualCount.location == "D2"))
        count_service.delete_count(s, Actor("dana", "WS-OFFICE", "supervisor"), d2)
    wizard.button(QWizard.WizardButton.CustomButton1).click()
    check, result = _check_and_import(qtbot, wizard, path)
    assert "1 of them deleted in WICS since" in check.summary.text()
    assert "added 0" in result.details.text()
    assert "1 of them was deleted in WICS after that import" in result.details.text()
    assert _count(db, ActualCount) == 1
    wizard.button(QWizard.WizardButton.CustomButton1).click()
    wizard.accept()
    assert wizard.currentId() == FILE and wizard.isVisible()


def test_strict_refuses_and_a_missing_sheet_can_be_picked(qtbot, db, ctx_factory, tmp_path):
    setup_reference(db, [("L10", "A-100")])
    path = write_xlsx(tmp_path / "sched.xlsx", [
        ["Material", "CountDate", "Counter"],
        ["A-100", D2, "Chris"], ["NOPE", D2, "Chris"]], sheet="Plan")
    screen, wizard = _open(qtbot, ctx_factory(db, role="supervisor"), ScheduleImportScreen)
    wizard.currentPage().path.setText(str(path))
    cols = _next(qtbot, wizard, COLUMNS)
    _wait_complete(qtbot, cols)
    assert "no sheet named 'Schedule'" in cols.note.text() and cols.sheet.currentText() == "Plan"
    check = _next(qtbot, wizard, CHECK)
    _wait_complete(qtbot, check)
    check.strict.setChecked(True)
    confirm = _next(qtbot, wizard, CONFIRM)
    assert "Nothing will be written" in confirm.summary.text() and not confirm.isComplete()
    wizard.back()
    check.strict.setChecked(False)
    confirm = _next(qtbot, wizard, CONFIRM)
    assert confirm.isComplete()
    _next(qtbot, wizard, RESULT)
    assert _count(db, CountSchedule) == 1


def test_a_file_that_is_not_a_spreadsheet_stops_at_the_columns(qtbot, db, ctx_factory, tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("just text")
    screen, wizard = _open(qtbot, ctx_factory(db, role="supervisor"), SapSohImportScreen)
    wizard.currentPage().path.setText(str(bad))
    cols = _next(qtbot, wizard, COLUMNS)
    qtbot.waitUntil(lambda: not cols.loading, timeout=15000)
    assert "is not a spreadsheet WICS can read" in cols.problems.text()
    assert not cols.isComplete()


def test_a_cancelled_import_writes_nothing(qtbot, db, ctx_factory, tmp_path):
    setup_reference(db, [("L10", f"P-{i:05d}") for i in range(3000)])
    rows = [["Material", "CountDate", "Counter"]] + [[f"P-{i:05d}", D2, "Chris"]
                                                     for i in range(3000)]
    path = write_xlsx(tmp_path / "Schedule.xlsx", rows, sheet="Schedule")
    screen, wizard = _open(qtbot, ctx_factory(db, role="supervisor"), ScheduleImportScreen)
    wizard.currentPage().path.setText(str(path))
    _wait_complete(qtbot, _next(qtbot, wizard, COLUMNS))
    _wait_complete(qtbot, _next(qtbot, wizard, CHECK))
    _next(qtbot, wizard, CONFIRM)
    wizard.next()  # Import: the run page starts the import ...
    run = wizard.currentPage()
    assert run.running
    run.cancel_run()  # ... and Cancel stops it
    qtbot.waitUntil(lambda: wizard.currentId() == RESULT, timeout=20000)
    assert "Cancelled: nothing was written" in wizard.currentPage().headline.text()
    assert _count(db, CountSchedule) == 0


def test_dropping_a_file_on_the_screen_starts_with_it(qtbot, db, ctx_factory, tmp_path):
    path = write_xlsx(tmp_path / "drop.xlsx", [["Material", "Plant"]])
    screen, wizard = _open(qtbot, ctx_factory(db, role="supervisor"), SapSohImportScreen)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    pos = QPointF(50, 50)
    enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(screen, enter)
    assert enter.isAccepted()
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(screen, drop)
    assert wizard.currentId() == FILE and wizard.currentPage().path.text() == str(path)


def test_sap_wizard_adds_a_corrected_errors_workbook_and_says_so(qtbot, db, ctx_factory,
                                                                  tmp_path):
    from wics_desktop.core.actor import Actor
    from wics_desktop.core.imports import import_sap_soh

    setup_reference(db, [("L10", "A-100"), ("L10", "B-200")])
    path = write_xlsx(tmp_path / "mb52.xlsx", [
        ["Material", "Plant", "Storage location", "Unrestricted"],
        ["A-100", "1010", "0001", 5], ["B-200", "1010", "0001", "lots"]])
    with db.session() as s:
        result = import_sap_soh(s, path, D1, actor=Actor("dana", "WS-OFFICE", "supervisor"))
    errors = tmp_path / "mb52 problems.xlsx"
    result.write_errors_xlsx(errors)
    wb = openpyxl.load_workbook(errors)
    wb.worksheets[0]["D2"] = 7  # the supervisor corrects the amount
    wb.save(errors)

    screen, wizard = _open(qtbot, ctx_factory(db, role="supervisor"), SapSohImportScreen)
    wizard.currentPage().path.setText(str(errors))
    _wait_complete(qtbot, _next(qtbot, wizard, COLUMNS))
    check = _next(qtbot, wizard, CHECK)
    _wait_complete(qtbot, check)
    assert "errors workbook" in check.summary.text()
    confirm = _next(qtbot, wizard, CONFIRM)
    assert confirm.add.isChecked() and not confirm.add.isEnabled()
    assert from_qdate(confirm.date.date()) == D1  # the date the rows were rejected from
    assert confirm.mode.text().startswith("<b>Mode: add.</b>")
    assert "has 1 rows now; they are kept." in confirm.mode.text() and not confirm.warning.text()
    screen.grab().save(str(_shots(tmp_path) / "sap_confirm_add_mode.png"))
    result = _next(qtbot, wizard, RESULT)
    assert "Added to the SAP snapshot of Thu 2026-11-19" in result.details.text()
    with db.session() as s:
        rows = s.execute(select(SapStock.part_number, SapStock.amount)
                         .where(SapStock.upload_date == D1).order_by(SapStock.part_number)).all()
    assert [tuple(r) for r in rows] == [("A-100", 5), ("B-200", 7)]


def test_mm60_wizard_keeps_the_list_for_an_errors_workbook(qtbot, db, ctx_factory, tmp_path):
    from wics_desktop.core.actor import Actor
    from wics_desktop.core.imports import import_mm60

    setup_reference(db, [("L10", "A-100"), ("L10", "B-200")])
    header = ["Material", "Plant", "Material description", "Price unit"]
    path = write_xlsx(tmp_path / "mm60.xlsx", [header, ["A-100", "1010", "a", 1],
                                               ["B-200", "1010", "b", 1],
                                               ["NEW-1", "1010", "new", "lots"]])
    with db.session() as s:
        result = import_mm60(s, path, actor=Actor("dana", "WS-OFFICE", "supervisor"))
    errors = tmp_path / "mm60 problems.xlsx"
    result.write_errors_xlsx(errors)
    wb = openpyxl.load_workbook(errors)
    wb.worksheets[0]["D2"] = 1
    wb.save(errors)
    screen, wizard = _open(qtbot, ctx_factory(db, role="supervisor"), Mm60ImportScreen)
    wizard.currentPage().path.setText(str(errors))
    _wait_complete(qtbot, _next(qtbot, wizard, COLUMNS))
    _wait_complete(qtbot, _next(qtbot, wizard, CHECK))
    confirm = _next(qtbot, wizard, CONFIRM)
    plan = confirm.plan
    qtbot.waitUntil(lambda: plan.ready, timeout=15000)
    assert plan.keep.isChecked() and not plan.keep.isEnabled()
    assert plan.tabs.tabText(1) == "Removed (0)" and not plan.mass.isVisible()
    result = _next(qtbot, wizard, RESULT)
    assert "Materials added 1, removed 0" in result.details.text()
    assert _count(db, Material) == 3
    wizard.restart()  # the next file may be any MM60 file: the box is free again
    wizard.currentPage().path.setText(str(path))
    _wait_complete(qtbot, _next(qtbot, wizard, COLUMNS))
    _wait_complete(qtbot, _next(qtbot, wizard, CHECK))
    _next(qtbot, wizard, CONFIRM)
    qtbot.waitUntil(lambda: plan.ready, timeout=15000)
    assert plan.keep.isEnabled() and not plan.keep.isChecked()
