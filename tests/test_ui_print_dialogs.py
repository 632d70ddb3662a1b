"""Print preview and the print dialog, for every report screen: the dialogs own the printer
they paint on (a QPrinter held only by a Python local was freed while the preview used it and
took the whole application down), pages render, and Print reaches a PDF printer."""
from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter

from core_fixtures import D2, count
from sheet_fixtures import build_world, need_tools, pdf_text
from ui_fixtures import *  # noqa: F403

REPORT_SCREENS = [
    ("count_summary", "CountSummaryScreen", {"count_date": D2}),
    ("count_sheets", "CountSheetsScreen", {"count_date": D2}),
    ("report_lists", "MaterialListsScreen", {}),
    ("report_lists", "LocationsReportScreen", {}),
    ("dashboard", "DashboardScreen", {}),
]


@pytest.fixture
def world(db):
    ids = build_world(db)
    with db.session() as s:
        count(s, ids["A-100"], D2, expr="1080*4+791", location="D2", counter="Chris")
    return db


def _report_screen(qtbot, ctx, module, name, kwargs):
    import importlib

    cls = getattr(importlib.import_module(f"wics_desktop.ui.screens.{module}"), name)
    screen = cls(ctx, **kwargs)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    qtbot.waitUntil(screen.is_ready, timeout=15000)
    return screen


def test_every_report_screen_registers_here():
    """A new report screen (a ReportScreen in the registry) must be added to this test."""
    from wics_desktop.ui import screen_registry
    from wics_desktop.ui.screens.report_base import ReportScreen

    reports = {spec.load().__name__ for spec in screen_registry.all_specs()
               if issubclass(spec.load(), ReportScreen)}
    assert reports == {name for _m, name, _k in REPORT_SCREENS}


@pytest.mark.parametrize("module,name,kwargs", REPORT_SCREENS,
                         ids=[r[1] for r in REPORT_SCREENS])
def test_print_preview_of_each_report_renders_and_closes(qtbot, world, ctx_factory,
                                                         module, name, kwargs):
    from wics_desktop.ui.printing import printer

    screen = _report_screen(qtbot, ctx_factory(world, role="supervisor"), module, name, kwargs)
    dialog = printer.preview(screen.document(screen.report), screen)
    gc.collect()  # whatever Python alone held is gone now: the dialog must still have a printer
    shown = []

    def look_and_close():
        shown.append(dialog.render_pages())
        dialog.reject()

    QTimer.singleShot(0, look_and_close)
    dialog.exec()  # the modal path the Print preview button takes
    assert shown and shown[0] > 0
    assert dialog.printer.pageLayout().fullRectPoints().width() > 0  # the printer is alive
    dialog.deleteLater()


def test_preview_button_opens_the_dialog_modal(qtbot, world, ctx_factory, monkeypatch):
    """The screen's own button (exec() on the dialog it made and dropped)."""
    from wics_desktop.ui.printing import printer
    from wics_desktop.ui.screens.count_summary import CountSummaryScreen

    screen = _report_screen(qtbot, ctx_factory(world, role="supervisor"), "count_summary",
                            "CountSummaryScreen", {"count_date": D2})
    assert isinstance(screen, CountSummaryScreen)
    pages = []
    made = printer.preview

    def preview(document, parent=None):
        dialog = made(document, parent)
        gc.collect()
        QTimer.singleShot(0, lambda: (pages.append(dialog.render_pages()), dialog.accept()))
        return dialog

    monkeypatch.setattr(printer, "preview", preview)
    screen.open_preview()
    assert pages and pages[0] > 0


def test_print_with_dialog_to_a_pdf_printer(qtbot, world, ctx_factory, tmp_path, monkeypatch):
    need_tools("pdftotext")
    from wics_desktop.ui.printing import printer

    screen = _report_screen(qtbot, ctx_factory(world, role="supervisor"), "count_summary",
                            "CountSummaryScreen", {"count_date": D2})
    out = tmp_path / "printed.pdf"
    target = printer.printer_for(screen.document(screen.report))
    target.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target.setOutputFileName(str(out))
    seen = []

    def accept_when_shown(dialog):  # the real dialog, accepted by a timer once it is up
        assert isinstance(dialog, QPrintDialog)
        QTimer.singleShot(0, dialog.accept)
        seen.append(True)
        return dialog.exec() == QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(printer, "run_dialog", accept_when_shown)
    pages = printer.print_with_dialog(screen.document(screen.report), screen,
                                      job="report-count-summary-print", actor=screen.ctx.actor,
                                      rows=3, printer=target)
    del target
    gc.collect()
    assert seen and pages > 0
    assert "Count Summary" in pdf_text(out)


def test_cancelled_print_dialog_prints_nothing(qtbot, world, ctx_factory, monkeypatch):
    from wics_desktop.ui.printing import printer

    screen = _report_screen(qtbot, ctx_factory(world, role="supervisor"), "count_summary",
                            "CountSummaryScreen", {"count_date": D2})
    monkeypatch.setattr(printer, "run_dialog", lambda dialog: (
        QTimer.singleShot(0, dialog.reject), dialog.exec())[1] == 1)
    assert printer.print_with_dialog(screen.document(screen.report), screen) == 0

