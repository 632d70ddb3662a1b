"""Dashboard screen: draws core's numbers, clicks drill down, Excel and a vector PDF."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from PySide6.QtCore import Qt

from core_fixtures import count, material, org_id, sap, setup_orgs
from ui_fixtures import *  # noqa: F403

MON, TUE = dt.date(2026, 11, 16), dt.date(2026, 11, 17)


@pytest.fixture
def world(sqlite_db):
    with sqlite_db.session() as s:
        setup_orgs(s)
        l10 = org_id(s, "L10")
        a = material(s, "A-1", sap_abc="A", price=2.0)
        b = material(s, "B-2", price=10.0)
        sap(s, a, l10, MON, 100)
        sap(s, b, l10, MON, 50)
        count(s, a, day=MON, expr="90", counter="Chris")
        count(s, b, day=TUE, expr="80", counter="Sam")
    return sqlite_db, {"A-1": a, "B-2": b}


def _open(qtbot, ctx):
    from wics_desktop.ui.screens.dashboard import DashboardScreen

    opened = []
    ctx.opener = lambda key, **kw: opened.append((key, kw))
    screen = DashboardScreen(ctx, date_from=MON, date_to=TUE, period="day")
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitUntil(screen.is_ready, timeout=15000)
    return screen, opened


def test_dashboard_shows_clicks_and_exports(qtbot, world, ctx_factory, tmp_path):
    db, ids = world
    screen, opened = _open(qtbot, ctx_factory(db, role="supervisor"))
    assert "mean accuracy <b>76.25 %</b> over 2 material counts" in screen.headline.text()
    acc = screen.charts["accuracy"]
    assert acc.labels == ["2026-11-16", "2026-11-17"]
    assert screen.charts["differences"].labels == ["B-2 11-17", "A-1 11-16"]

    # a real mouse click on Tuesday's point opens Tuesday's count summary
    view_pos = acc.mapFromScene(acc.scene_point(1))
    qtbot.mouseClick(acc.viewport(), Qt.MouseButton.LeftButton, pos=view_pos)
    assert opened[-1] == ("count_summary", {"count_date": TUE})
    # the largest difference's bar opens the material
    diffs = screen.charts["differences"]
    qtbot.mouseClick(diffs.viewport(), Qt.MouseButton.LeftButton,
                     pos=diffs.mapFromScene(diffs.scene_point(0)))
    assert opened[-1] == ("material", {"material_id": ids["B-2"]})

    xlsx, pdf = tmp_path / "dash.xlsx", tmp_path / "dash.pdf"
    screen.export_xlsx(str(xlsx))
    screen.save_pdf(str(pdf))
    qtbot.waitUntil(lambda: xlsx.exists() and pdf.exists(), timeout=20000)
    wb = openpyxl.load_workbook(xlsx)
    assert [r[1].value for r in wb["Largest Differences"].iter_rows(min_row=2)] == ["B-2", "A-1"]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"/Subtype /Image" not in data  # vectors, no bitmaps


def test_dashboard_is_for_supervisors_and_follows_the_organization(qtbot, world, ctx_factory):
    from wics_desktop.ui import screen_registry

    assert screen_registry.get("dashboard").permission == "reports"
    db, _ids = world
    screen, _opened = _open(qtbot, ctx_factory(db, role="supervisor"))
    screen.org.setCurrentText("L6")
    qtbot.waitUntil(lambda: screen.is_ready() and screen.report.org == "L6", timeout=15000)
    assert "L6" in screen.headline.text() and "over 0 material counts" in screen.headline.text()
    assert screen.charts["accuracy"].labels == []
