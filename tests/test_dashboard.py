"""The dashboard's numbers (core, Qt-free): accuracy over time, counters, largest differences,
overdue by ABC class, SAP freshness; xlsx with the numbers behind each chart."""
from __future__ import annotations

import datetime as dt

import pytest

from wics_desktop.core.actor import Actor
from wics_desktop.core.errors import NotFound, NotPermitted
from wics_desktop.core.reports import accuracy, dashboard

from core_fixtures import ACTOR, count, material, org_id, sap, setup_orgs

MON, TUE, WED = dt.date(2026, 11, 16), dt.date(2026, 11, 17), dt.date(2026, 11, 18)
MONTH_AGO = MON - dt.timedelta(days=40)


def _warehouse(s):
    setup_orgs(s)
    l10, l6 = org_id(s, "L10"), org_id(s, "L6")
    a = material(s, "A-1", sap_abc="A", price=2.0)           # counted Monday: overdue? no
    b = material(s, "B-2", sap_abc="b", price=10.0)          # class b = B, counted 40 days ago
    c = material(s, "C-3", sap_abc="A")                      # A, counted 40 days ago: overdue
    d = material(s, "D-4")                                   # no class = C, never counted
    e = material(s, "E-5", org="L6", sap_abc="X", price=1.0)  # X = C
    for mid, oid, qty in ((a, l10, 100), (b, l10, 50), (c, l10, 10), (e, l6, 30)):
        sap(s, mid, oid, MON, qty)
    sap(s, a, l10, WED, 100)
    count(s, b, day=MONTH_AGO, expr="50")
    count(s, c, day=MONTH_AGO, expr="10")
    count(s, a, day=MON, expr="90", counter="Chris")          # 90%: warning edge -> no band
    count(s, a, day=MON, location="Z9", location_only=True, counter="Sam")
    count(s, b, day=TUE, expr="80", counter="Sam")            # +30 x 10 = 300
    count(s, e, day=TUE, expr="30", counter="Sam")            # 100%
    return a, b, c, d, e


def test_dashboard_numbers(db):
    with db.session() as s:
        a, b, *_ = _warehouse(s)
        board = dashboard.build(s, ACTOR, MON, WED, period="day", as_of=WED)
        by_org = dashboard.build(s, ACTOR, MON, WED, org="L6", as_of=WED)
        report = accuracy.build(s, MON, WED)
    # accuracy over time: the same numbers as the report
    assert [(p.period, p.materials_counted, p.mean_accuracy) for p in board.accuracy] == [
        (r.period, r.materials_counted, r.mean_accuracy) for r in report.rows]
    mon, tue = board.accuracy
    assert (mon.materials_counted, mon.mean_accuracy, mon.no_band) == (1, 90.0, 1)
    assert (tue.materials_counted, tue.success, tue.danger) == (2, 1, 1)
    assert tue.share("success") == 50.0
    assert board.mean_accuracy == round((90 + 62.5 + 100) / 3, 2)
    # counts per counter per day: location-only counts are work too
    assert [(c.count_date, c.counter, c.counts) for c in board.counters] == [
        (MON, "Chris", 1), (MON, "Sam", 1), (TUE, "Sam", 2)]
    assert board.counter_names() == ["Sam", "Chris"]
    # the largest differences by value: B (+30 x 10) before A (-10 x 2); E has none
    assert [(x.material_id, x.diff_value) for x in board.differences] == [(b, 300.0), (a, -20.0)]
    # overdue as of Wednesday: A class counted Monday is fine, C-3 (A, 40 days) is overdue,
    # B-2 (B, 40 days < 90) is fine, D-4 and E-5 (class C) never counted
    assert [(o.abc, o.due_days, o.materials, o.overdue, o.never_counted)
            for o in board.overdue] == [("A", 30, 2, 1, 0), ("B", 90, 1, 0, 0),
                                        ("C", 365, 2, 1, 1)]
    # E-5 was counted Tuesday: the overdue C is D-4 only
    # SAP freshness: L10 uploaded Wednesday, L6 last on Monday
    assert [(f.org, f.last_upload, f.days_old) for f in board.sap] == [
        ("L10", WED, 0), ("L6", MON, 2)]
    # one organization
    assert [p.materials_counted for p in by_org.accuracy] == [1]
    assert [(o.abc, o.materials) for o in by_org.overdue] == [("A", 0), ("B", 0), ("C", 1)]
    assert [f.org for f in by_org.sap] == ["L6"]
    assert [c.counter for c in by_org.counters] == ["Sam"]


def test_dashboard_xlsx_permissions_and_bad_input(db, tmp_path):
    from openpyxl import load_workbook

    with db.session() as s:
        _warehouse(s)
        board = dashboard.build(s, ACTOR, MON, WED, period="week")
        with pytest.raises(NotPermitted):
            dashboard.build(s, Actor(username="c", role=None), MON, WED)  # no role: nothing
        with pytest.raises(NotFound, match="L99"):
            dashboard.build(s, ACTOR, MON, WED, org="L99")
    path = tmp_path / "dash.xlsx"
    dashboard.to_xlsx(board, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Accuracy", "Counts per Counter", "Largest Differences",
                             "Overdue by ABC", "SAP Uploads"]
    acc = wb["Accuracy"]
    assert [c.value for c in acc[2]][:5] == ["2026-W47", dt.datetime(2026, 11, 16),
                                             dt.datetime(2026, 11, 17), 3, board.mean_accuracy]
    assert wb["Largest Differences"].max_row == 3
