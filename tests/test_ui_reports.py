"""Report screens: count summary tree (bands, count lines, requests, sorting, open material),
count sheets with their live preview, material lists and locations; Excel, PDF on the runner."""
from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt

from wics_desktop.ui.screens.count_summary_model import (
    C_ACCURACY,
    C_COUNTED,
    C_COUNTERS,
    C_EXPRESSION,
    C_LOCATION,
    KIND_ROLE,
    MATERIAL_ID_ROLE,
)

from core_fixtures import D2, count
from sheet_fixtures import MATERIALS, SAP_A, build_world, need_tools, pdf_text
from ui_fixtures import *  # noqa: F403


@pytest.fixture
def world(db):
    ids = build_world(db)
    with db.session() as s:
        count(s, ids["A-100"], D2, expr="1080*4+791", location="D2", counter="Chris")
        count(s, ids["B-200"], D2, expr=str(SAP_B_COUNT), location="D2", counter="Chris")
        count(s, ids["E-500"], D2, expr="7", location="R01-3", counter="Alex")
    return db, ids


SAP_B_COUNT = 246000  # 99.67 % of the book: success band


def _screen(qtbot, ctx, cls, **kwargs):
    screen = cls(ctx, **kwargs)
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    qtbot.waitUntil(screen.is_ready, timeout=15000)
    return screen


def _children(model, parent):
    return [model.index(r, 0, parent) for r in range(model.rowCount(parent))]


def test_count_summary_tree(qtbot, world, ctx_factory, tmp_path):
    from wics_desktop.ui.screens.count_summary import CountSummaryScreen

    db, ids = world
    ctx = ctx_factory(db, role="supervisor")
    opened = []
    ctx.opener = lambda key, **kw: opened.append((key, kw))
    s = _screen(qtbot, ctx, CountSummaryScreen, count_date=D2)
    m = s.proxy
    orgs = _children(m, s.proxy.index(-1, -1))
    assert [o.data() .split()[0] for o in orgs] == ["L10", "L6"]
    assert "SAP date 2026-11-19" in orgs[0].data()
    sections = [x.data() for x in _children(m, orgs[0])]
    assert sections == ["Scheduled and Counted (3)", "Unscheduled (0)",
                        "Scheduled but Not Counted (5)"]
    counted = _children(m, _children(m, orgs[0])[0])
    names = [i.data() for i in counted]
    assert names == ["A-100", "B-200", "E-500"]
    a = counted[0]
    row = [m.index(a.row(), c, a.parent()).data() for c in range(C_COUNTED, C_ACCURACY + 1)]
    assert row == ["5,111", f"{SAP_A:,}", f"{5111 - SAP_A:,}", "0.52"]
    acc_a = m.index(a.row(), C_ACCURACY, a.parent())
    assert acc_a.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#f4c7c3"  # danger
    acc_b = m.index(counted[1].row(), C_ACCURACY, a.parent())
    assert acc_b.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#b7e1cd"  # success
    # a count line: counter, location, expression and quantity each in its own column
    line = [m.index(0, c, a).data() for c in (C_COUNTERS, C_LOCATION, C_EXPRESSION, C_COUNTED)]
    assert line == ["Chris", "D2", "1080*4+791", "5,111"]
    assert m.index(0, 1, a).data() == ""  # not squeezed into the description any more
    assert "SAP date used:" in s.sap_dates.text() and "L6 2026-11-19" in s.sap_dates.text()
    # sorting by accuracy keeps organizations and sections in place
    s.tree.sortByColumn(C_ACCURACY, Qt.SortOrder.DescendingOrder)
    orgs = _children(m, s.proxy.index(-1, -1))
    assert [x.data() for x in _children(m, orgs[0])][0].startswith("Scheduled and Counted")
    top = _children(m, _children(m, orgs[0])[0])
    assert [i.data() for i in top] == ["B-200", "A-100", "E-500"]  # 99.67, 0.52, 0.00
    # double-click opens the material
    s.open_material(top[0])
    assert opened == [("material", {"material_id": ids["B-200"]})]
    assert top[0].data(KIND_ROLE) == "material" and top[0].data(MATERIAL_ID_ROLE) == ids["B-200"]
    # requests variant: only E-500 was requested
    s.requests.setChecked(True)
    qtbot.waitUntil(s.is_ready, timeout=15000)
    orgs = _children(m, s.proxy.index(-1, -1))
    secs = _children(m, orgs[0])
    assert [x.data() for x in secs] == ["Requested and Counted (1)",
                                        "Requested but Not Counted (0)"]
    assert s.title.startswith("Requested Count Summary")


def test_count_summary_exports(qtbot, world, ctx_factory, tmp_path):
    need_tools("pdftotext")
    from wics_desktop.ui.screens.count_summary import CountSummaryScreen

    db, _ = world
    s = _screen(qtbot, ctx_factory(db, role="supervisor"), CountSummaryScreen, count_date=D2)
    xlsx, pdf = tmp_path / "summary.xlsx", tmp_path / "summary.pdf"
    s.export_xlsx(str(xlsx))
    s.save_pdf(str(pdf))
    qtbot.waitUntil(lambda: xlsx.exists() and pdf.exists() and s.banner.isVisible(), timeout=20000)
    ws = openpyxl.load_workbook(xlsx).active
    materials = {r[2] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert {"A-100", "B-200", "E-500"} <= materials
    text = pdf_text(pdf)
    assert "Count Summary: L10" in text and "1080*4+791" in text and "5,111" in text
    assert "below danger (< 90%)" in text and "value at stake" in text


def test_count_sheets_screen_previews_what_it_prints(qtbot, world, ctx_factory, tmp_path):
    need_tools("pdftotext")
    from wics_desktop.ui.screens.count_sheets import CountSheetsScreen

    db, _ = world
    s = _screen(qtbot, ctx_factory(db, role="supervisor"), CountSheetsScreen, count_date=D2)
    assert s.preview.pageCount() > 3 and s.pages == s.preview.pageCount()
    rows = [(s.counters.item(r, 0).text(), s.counters.item(r, 1).text())
            for r in range(s.counters.rowCount())]
    assert rows == [("Alex", "3"), ("Chris", "4"), ("Unassigned", "2")]
    pdf = tmp_path / "sheets.pdf"
    s.blind.setChecked(True)
    qtbot.waitUntil(s.is_ready, timeout=15000)
    assert s.report.blind and "blind" in s.status.text()
    s.save_pdf(str(pdf))
    qtbot.waitUntil(lambda: pdf.exists(), timeout=20000)
    text = pdf_text(pdf)
    assert all(name in text for name in MATERIALS) and f"{SAP_A:,}" not in text
    s.paper.setCurrentIndex(s.paper.findData("a4"))
    from wics_desktop.ui.printing.output import preferred_page_size

    assert preferred_page_size() == "a4"


def test_material_lists_and_locations(qtbot, world, ctx_factory, tmp_path):
    need_tools("pdftotext")
    from wics_desktop.ui.screens.report_lists import LocationsReportScreen, MaterialListsScreen

    db, ids = world
    ctx = ctx_factory(db, role="supervisor")
    s = _screen(qtbot, ctx, MaterialListsScreen)
    assert s.model.rowCount() == len(MATERIALS)
    s.by.setCurrentIndex(s.by.findData("value"))
    qtbot.waitUntil(lambda: s.is_ready() and s.title == "Material By Descending Value",
                    timeout=15000)
    assert s.model.rowCount() == len(MATERIALS) and "as of" in s.status.text()
    s.filter.setText("LONG")
    assert s.proxy.rowCount() == 1
    xlsx, pdf = tmp_path / "lists.xlsx", tmp_path / "lists.pdf"
    s.export_xlsx(str(xlsx))
    s.save_pdf(str(pdf))
    qtbot.waitUntil(lambda: xlsx.exists() and pdf.exists(), timeout=20000)
    assert "Material By Descending Value" in pdf_text(pdf)

    loc = _screen(qtbot, ctx, LocationsReportScreen)
    assert loc.location_table.model().rowCount() >= 4
    pdf2 = tmp_path / "locations.pdf"
    loc.save_pdf(str(pdf2))
    qtbot.waitUntil(lambda: pdf2.exists(), timeout=20000)
    text = pdf_text(pdf2)
    assert "Material Locations as of" in text and "HVC_RBFB_1-1" in text


def test_count_summary_follows_band_parameters_saved_here(qtbot, world, ctx_factory):
    """An admin tightens the success band on this workstation: the summary already open
    recolours itself, no F5 needed."""
    from wics_desktop.ui.screens.admin_settings import ParametersScreen
    from wics_desktop.ui.screens.count_summary import CountSummaryScreen

    db, ids = world
    ctx = ctx_factory(db, role="admin")
    s = _screen(qtbot, ctx, CountSummaryScreen, count_date=D2)

    def colour_of_b200():
        m = s.proxy
        org = _children(m, m.index(-1, -1))[0]
        counted = _children(m, _children(m, org)[0])
        b = next(i for i in counted if i.data() == "B-200")
        return m.index(b.row(), C_ACCURACY, b.parent()).data(
            Qt.ItemDataRole.BackgroundRole).color().name()

    assert colour_of_b200() == "#b7e1cd"  # 99.67 % > 98.5: success
    ps = ParametersScreen(ctx)
    qtbot.addWidget(ps)
    names = [ps.table.item(r, 0).text() for r in range(ps.table.rowCount())]
    ps.table.item(names.index("ACCURACY-SUCCESS"), 1).setText("99.9")
    assert ps.save(), ps.banner.text()
    qtbot.waitUntil(lambda: s.is_ready() and colour_of_b200() == "#fce8b2", timeout=15000)
