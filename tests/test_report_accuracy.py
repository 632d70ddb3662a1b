"""`wics report accuracy`: the count summary's numbers, date by date, grouped over a period."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from wics_desktop.core import demo
from wics_desktop.core.models import Material
from wics_desktop.core.reports import accuracy, count_summary
from wics_desktop.core.services import parameters, users

from core_fixtures import ACTOR, count, material, org_id, sap, sched, setup_orgs

FRIDAY = dt.date(2026, 11, 20)


def _summary_rows(s, day):
    """Per org: (materials counted, mean accuracy, bands, abs diff value) from the count summary."""
    summary = count_summary.build(s, day)
    prices = {m.id: (m.price, m.price_unit) for m in s.query(Material)}
    out = {}
    for o in summary.orgs:
        counted = [m for sec in o.sections if sec.title != count_summary.SCHEDULED_NOT_COUNTED
                   for m in sec.materials]
        if not counted:
            continue
        values = [accuracy.diff_value(m.diff, accuracy.unit_value(*prices[m.material_id]))
                  for m in counted]
        out[o.org] = (len(counted),
                      round(sum(m.accuracy for m in counted) / len(counted), 2),
                      sum(m.band == "danger" for m in counted),
                      sum(m.band == "warning" for m in counted),
                      sum(m.band == "success" for m in counted),
                      round(sum(abs(v) for v in values if v is not None), 2))
    return out


def test_equals_the_count_summary_per_date_on_demo_data(db):
    demo.generate(db, materials=150, days=15, seed=5, today=FRIDAY)
    start = FRIDAY - dt.timedelta(days=21)
    with db.session() as s:
        report = accuracy.build(s, start, FRIDAY, by="org", period="day")
        got: dict[str, dict] = {}
        for r in report.rows:
            got.setdefault(r.period, {})[r.group] = (
                r.materials_counted, r.mean_accuracy, r.danger, r.warning, r.success,
                r.abs_diff_value_total)
        dates = [start + dt.timedelta(days=i) for i in range((FRIDAY - start).days + 1)]
        expected = {d.isoformat(): _summary_rows(s, d) for d in dates}
    expected = {k: v for k, v in expected.items() if v}
    assert len(expected) >= 8  # the demo counts on most workdays of the window
    assert got == expected
    # the demo has differences of every kind: all three bands and some value
    assert sum(r.danger for r in report.rows) and sum(r.success for r in report.rows)
    assert sum(r.abs_diff_value_total for r in report.rows) > 0


def test_snapshot_units_negative_and_location_only_follow_the_summary(db):
    """The edge rules: snapshot as of each date (not later), unit multiplier, a negative total,
    location-only counts, a material absent from the snapshot, no snapshot at all."""
    d1, d2, d3 = dt.date(2026, 11, 17), dt.date(2026, 11, 18), dt.date(2026, 11, 19)
    with db.session() as s:
        setup_orgs(s)
        from wics_desktop.core.services import orgs
        orgs.add_uom(s, ACTOR, "KPC", 1000)
        l10 = org_id(s, "L10")
        a = material(s, "A-1", price=12.5, price_unit=10)
        b = material(s, "B-2", price=3.0)
        c = material(s, "C-3", org="L6")
        e = material(s, "E-5")
        sap(s, a, l10, d1, 100)
        sap(s, a, l10, d2, 2, uom="KPC")  # 2,000 as of d2
        sap(s, a, l10, d3 + dt.timedelta(days=1), 5)  # after every count date: never used
        sap(s, b, l10, d2, 40)  # the d2 upload is the snapshot of d2: B must be in it
        count(s, a, day=d1, expr="95")
        count(s, a, day=d2, expr="1990")
        count(s, a, day=d3, expr="1000+1000.5")
        count(s, b, day=d2, expr="-5")  # a correction: negative total counts as 0
        count(s, c, day=d2, expr="7")   # L6 has no snapshot: SAP 0
        count(s, e, day=d2, location_only=True)  # not counted
        count(s, e, day=d3, expr="0")  # not in the snapshot: 0 against 0 = 100
        sched(s, e, day=d1)
        report = accuracy.build(s, d1, d3, by="org")
        got = {(r.period, r.group): (r.materials_counted, r.mean_accuracy, r.danger, r.warning,
                                     r.success, r.abs_diff_value_total) for r in report.rows}
        expected = {(d.isoformat(), org): v for d in (d1, d2, d3)
                    for org, v in _summary_rows(s, d).items()}
    assert got == expected
    # A on d2: 1990 against 2000 (KPC x1000) = 99.5; B: 0 against 40 = 0; L6: 7 against 0 = 0
    assert got[(d2.isoformat(), "L10")][:2] == (2, round((99.5 + 0) / 2, 2))
    assert got[(d2.isoformat(), "L6")][:2] == (1, 0.0)
    # value: A -10 x 1.25 = 12.5, B -45 x 3 = 135
    assert got[(d2.isoformat(), "L10")][5] == 147.5


def test_grouping_by_period_part_type_and_counter(db):
    d1, d2 = dt.date(2026, 11, 16), dt.date(2026, 11, 23)  # two ISO weeks, one month
    with db.session() as s:
        setup_orgs(s)
        l10 = org_id(s, "L10")
        a = material(s, "A-1", part_type="AST-A")
        b = material(s, "B-2")
        sap(s, a, l10, d1, 100)
        sap(s, b, l10, d1, 100)
        count(s, a, day=d1, expr="100", counter="Chris")
        count(s, a, day=d1, expr="0", counter="Sam")  # two counters, one material
        count(s, b, day=d1, expr="50", counter="Sam")
        count(s, a, day=d2, expr="80", counter="Chris")
        parameters.set_parameter(s, ACTOR, "ACCURACY-DANGER", "60")
        weekly = accuracy.build(s, d1, d2, period="week")
        monthly = accuracy.build(s, d1, d2, by="part-type", period="month")
        counters = accuracy.build(s, d1, d2, by="counter", period="month")
    assert [(r.period, r.group, r.materials_counted, r.mean_accuracy, r.danger, r.success)
            for r in weekly.rows] == [("2026-W47", "All", 2, 75.0, 1, 1),
                                      ("2026-W48", "All", 1, 80.0, 0, 0)]
    assert [(r.group, r.materials_counted, r.mean_accuracy) for r in monthly.rows] == [
        ("AST-A", 2, 90.0), ("UNKNOWN", 1, 50.0)]
    assert [(r.group, r.materials_counted) for r in counters.rows] == [("Chris", 2), ("Sam", 2)]


def test_rejects_a_bad_period_and_needs_the_reports_permission(db):
    with db.session() as s, pytest.raises(Exception, match="ends"):
        accuracy.build(s, FRIDAY, FRIDAY - dt.timedelta(days=1))
    from wics_desktop.core.actor import Actor
    from wics_desktop.core.errors import NotPermitted
    with pytest.raises(NotPermitted):
        users.require(Actor(username="c", role=None), "reports")  # every role reads reports


def test_cli_json_xlsx_pdf(qapp, sqlite_db, tmp_path, capsys):
    # qapp: a QApplication first, as every CLI --pdf test, so later widget tests can run
    from openpyxl import load_workbook

    from wics_desktop.cli import main

    demo.generate(sqlite_db, materials=80, days=10, seed=2, today=FRIDAY)
    url = str(sqlite_db.engine.url)
    xlsx, pdf = tmp_path / "acc.xlsx", tmp_path / "acc.pdf"
    code = main(["--db", url, "report", "accuracy", "--from", "2026-11-01", "--to", "2026-11-20",
                 "--by", "org", "--period", "week", "--json", "--xlsx", str(xlsx),
                 "--pdf", str(pdf)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["rows"] and set(out["rows"][0]) == {
        "period", "group", "materials_counted", "mean_accuracy", "danger", "warning", "success",
        "abs_diff_value_total"}
    assert {r["group"] for r in out["rows"]} <= {"L10", "L6"}
    sheet = load_workbook(xlsx).active
    assert sheet.cell(1, 4).value == "Mean Accuracy %"
    assert sheet.max_row == len(out["rows"]) + 1
    assert pdf.read_bytes().startswith(b"%PDF")
    with pytest.raises(SystemExit) as bad_date:
        main(["--db", url, "report", "accuracy", "--from", "2026-11-20", "--to", "2026-13-01"])
    assert bad_date.value.code == 2
    assert main(["--db", url, "report", "accuracy", "--from", "2026-11-20",
                 "--to", "2026-11-01"]) == 3


def test_a_fixed_handful_of_statements_whatever_the_period(db, count_queries):
    """Set-based: twenty counted dates cost the same statements as one (no per-date summary)."""
    start = dt.date(2026, 10, 1)
    with db.session() as s:
        setup_orgs(s)
        l10 = org_id(s, "L10")
        ids = [material(s, f"M-{i}") for i in range(5)]
        for n in range(20):
            day = start + dt.timedelta(days=n)
            if n % 3 != 1:  # no upload on some days: their snapshot is an earlier one
                sap(s, ids[n % 5], l10, day, 10)
            count(s, ids[n % 5], day=day, expr="9")
    with db.session() as s, count_queries(db.engine) as one:
        accuracy.build(s, start, start, by="org")
    with db.session() as s, count_queries(db.engine) as twenty:
        report = accuracy.build(s, start, start + dt.timedelta(days=19), by="org")
    assert sum(r.materials_counted for r in report.rows) == 20
    assert twenty.count == one.count <= 8
