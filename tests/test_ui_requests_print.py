"""Issue 13: Requested Counts has a printable version, through the one paged-document print
path: what the list shows (open requests, or all with 'show filled'), grouped by date, with
requestor, counter, priority, reason, status and notes; saved as PDF and read back."""
from __future__ import annotations

import datetime as dt

import pytest

from wics_desktop.core.services import counts, schedule
from wics_desktop.ui.tables.list_screens import RequestsScreen

from sheet_fixtures import need_tools, pdf_text
from ui_fixtures import *  # noqa: F403

MONDAY, TUESDAY = dt.date(2026, 11, 23), dt.date(2026, 11, 24)


@pytest.fixture
def requested(db, ctx_factory):
    ids = add_materials(db, 40)  # noqa: F405
    boss = ctx_factory(db, "supervisor", "sam", display="Sam")
    with db.session() as s:
        for i, mid in enumerate(ids[:30]):
            schedule.add_entry(s, boss.actor, schedule.ScheduleInput(
                MONDAY if i % 2 else TUESDAY, mid, counter="Nate" if i == 1 else None,
                priority="HOT" if i == 1 else None, reason="Picked for Orders",
                notes="behind the dock door" if i == 1 else None, requestor="Kim"))
        counts.add_count(s, boss.actor, counts.CountInput(TUESDAY, ids[0], "Nate", "A1", "5"))
    return boss, ids


def _pdf(qtbot, screen, path):
    screen.save_pdf(str(path))
    qtbot.waitUntil(path.exists, timeout=20000)
    return pdf_text(path)


def test_requested_counts_print_to_pdf(qtbot, db, requested, tmp_path):
    need_tools("pdftotext")
    boss, ids = requested
    screen = RequestsScreen(boss)
    qtbot.addWidget(screen)
    text = _pdf(qtbot, screen, tmp_path / "open.pdf")
    assert "Requested Counts (open)" in text
    assert "29 requests · open requests (not counted, not marked filled)" in text
    assert "Tuesday 2026-11-24 · 14 requests" in text and "Monday 2026-11-23 · 15 requests" in text
    assert text.index("Tuesday 2026-11-24") < text.index("Monday 2026-11-23")  # newest first
    line = next(ln for ln in text.splitlines() if "M000001" in ln)
    for word in ("Kim", "Nate", "HOT", "Picked for Orders", "open"):
        assert word in line
    assert "Notes: behind the dock door" in text
    assert "M000000" not in text  # counted: filled, not on the open list
    assert "Printed by Sam" in text
    # with 'show filled' the counted one is printed too, marked
    screen.show_filled.setChecked(True)
    text = _pdf(qtbot, screen, tmp_path / "all.pdf")
    assert "Requested Counts (all)" in text and "30 requests" in text
    assert "COUNTED" in next(ln for ln in text.splitlines() if "M000000" in ln)


def test_no_open_requests_prints_a_sentence(qtbot, db, ctx_factory, tmp_path):
    need_tools("pdftotext")
    screen = RequestsScreen(ctx_factory(db, "clerk"))
    qtbot.addWidget(screen)
    text = _pdf(qtbot, screen, tmp_path / "none.pdf")
    assert "No open requests: every requested count has been done." in text
