"""The generic lazy table: paging, sorting and filtering in SQL, copy, export, on both databases."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from wics_desktop.core.lists import definitions
from wics_desktop.ui.tables.table_widget import QueryTableWidget

from ui_fixtures import (  # noqa: F401
    add_counts,
    add_materials,
    ctx_factory,
    isolated_settings,
    qt_leak_guard,
)

DAY0 = dt.date(2026, 1, 5)


def _table(qtbot, ctx, spec, **params):
    w = QueryTableWidget(spec, ctx.runner)
    qtbot.addWidget(w)
    w.resize(1000, 500)
    w.show()
    w.model.params.update(params)
    w.start()
    qtbot.waitUntil(lambda: not w.model.loading and w.model.total is not None, timeout=20000)
    return w


@pytest.mark.slow
def test_paging_over_100000_counts(qtbot, db, ctx_factory, count_queries):
    ids = add_materials(db, 500)
    add_counts(db, 100_000, ids, first_day=DAY0, days=40)
    ctx = ctx_factory(db)
    w = _table(qtbot, ctx, definitions.counts_spec())
    model = w.model
    assert model.total == 100_000
    first = model.rowCount()
    assert 0 < first < 2000  # a page or a few, never the whole table
    # newest first (the default sort), computed by the database
    assert model.row_values(0)["count_date"] == DAY0 + dt.timedelta(days=39)
    # scrolling to the end asks for more: rowCount grows page by page
    for _ in range(3):
        assert model.canFetchMore()
        before = model.rowCount()
        model.fetchMore()
        qtbot.waitUntil(lambda b=before: model.rowCount() > b, timeout=10000)
    assert model.rowCount() == first + 3 * model.spec.page_size
    # each page is one query that continues after the last row's sort keys (keyset paging:
    # no OFFSET, so page 500 costs what page 2 does), not one query per row
    with count_queries(db.engine) as q:
        before = model.rowCount()
        model.fetchMore()
        qtbot.waitUntil(lambda: model.rowCount() > before, timeout=10000)
    # two queries: the page's keys (continuing after the last row's sort keys, no OFFSET),
    # then the displayed columns of just those rows
    assert q.count == 2 and "LIMIT" in q.statements[0].upper()
    assert "actual_counts.count_date < " in q.statements[0].lower()
    assert " IN (" in q.statements[1].upper()
    # the pages join up exactly: the same rows, in the same order, as one big ORDER BY
    from sqlalchemy import select

    from wics_desktop.core.models import ActualCount
    loaded = [model.row_id(r) for r in range(model.rowCount())]
    with db.session() as s:
        expected = s.scalars(select(ActualCount.id)
                             .order_by(ActualCount.count_date.desc(),
                                       ActualCount.material_id.desc(), ActualCount.id.desc())
                             .limit(len(loaded))).all()
    assert loaded == expected
    # sort in SQL: ascending by date puts the first day on top, after a reload from page one
    model.sort(definitions.counts_spec().index_of("count_date"), Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() > 0, timeout=10000)
    assert model.row_values(0)["count_date"] == DAY0
    assert model.rowCount() <= 2 * model.spec.page_size
    # a column filter: only the rows of one location, counted by the database
    model.set_column_filter("location", "=R07-0")
    qtbot.waitUntil(lambda: model.total is not None and not model.loading, timeout=10000)
    expected = sum(1 for i in range(100_000) if f"R{i % 50:02d}-{i % 7}" == "R07-0")
    assert model.total == expected
    assert {model.row_values(r)["location"] for r in range(model.rowCount())} == {"R07-0"}


def test_filters_quick_search_copy_and_export(qtbot, db, ctx_factory, tmp_path):
    ids = add_materials(db, 30)
    add_counts(db, 300, ids, first_day=DAY0, days=3)
    ctx = ctx_factory(db)
    w = _table(qtbot, ctx, definitions.counts_spec("counts_test"))
    m = w.model
    assert m.total == 300 and m.rowCount() == 200
    # quick search matches part numbers (any case) and the other text columns
    m.set_quick_filter("m000007")
    qtbot.waitUntil(lambda: m.total is not None and not m.loading)
    assert m.total == 10 and {m.row_values(r)["material"] for r in range(10)} == {"M000007"}
    m.set_quick_filter("")
    m.set_column_filter("count_date", f">={(DAY0 + dt.timedelta(days=1)).isoformat()}")
    qtbot.waitUntil(lambda: m.total is not None and not m.loading)
    assert m.total == 200
    m.set_column_filter("quantity", "1..21")  # q*2+1 for q in 1..10
    qtbot.waitUntil(lambda: m.total is not None and not m.loading)
    assert all(1 <= m.row_values(r)["quantity"] <= 21 for r in range(m.rowCount()))
    # a filter that makes no sense is marked, not applied, and the user is told why
    errors = []
    m.filter_error.connect(lambda k, msg: errors.append((k, msg)))
    m.set_column_filter("quantity", "lots")
    qtbot.waitUntil(lambda: m.total is not None and not m.loading)
    assert ("quantity", "'lots' is not a number") in errors
    m.set_column_filter("quantity", "")
    m.set_column_filter("count_date", "")
    qtbot.waitUntil(lambda: m.total == 300 and not m.loading)
    # copy: the selected rows as tab-separated text, the columns as the user sees them
    w.view.selectRow(0)
    text = w.copy_selection(with_titles=True)
    assert QGuiApplication.clipboard().text() == text
    title_line, first_line = text.splitlines()
    assert title_line.split("\t")[:3] == ["Count date", "Material", "Description"]
    assert first_line.split("\t")[0] == (DAY0 + dt.timedelta(days=2)).isoformat()
    # hide a column: copy and export follow what is on screen
    w.set_column_visible(definitions.counts_spec().index_of("description"), False)
    out = tmp_path / "counts.xlsx"
    task = w.export_to(str(out))
    qtbot.waitUntil(lambda: task.done, timeout=20000)
    assert task.failure is None and task.result == 300
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert [c.value for c in ws[1]][:3] == ["Count date", "Material", "Counter"]
    assert ws.max_row == 301 and ws.freeze_panes == "A2"
    assert isinstance(ws["A2"].value, dt.datetime)  # a real date, not text
    w.save_state()


def test_locations_and_materials_lists_follow_core(qtbot, db, ctx_factory):
    from wics_desktop.core.services import counts

    ids = add_materials(db, 40)
    add_counts(db, 400, ids, first_day=DAY0, days=5)
    ctx = ctx_factory(db)
    w = _table(qtbot, ctx, definitions.locations_spec())
    m = w.model
    while m.canFetchMore():
        n = m.rowCount()
        m.fetchMore()
        qtbot.waitUntil(lambda n=n: m.rowCount() > n or m.exhausted, timeout=10000)
    with db.session() as s:
        found = counts.last_found(s)
    expected = sorted((loc, mid) for mid, lf in found.items() for loc in lf.locations)
    got = sorted((m.row_values(r)["location"], m.row_id(r)) for r in range(m.rowCount()))
    assert got == expected and m.total == len(expected)
    assert [m.row_values(r)["location"] for r in range(m.rowCount())] == \
        sorted(m.row_values(r)["location"] for r in range(m.rowCount()))
    mats = _table(qtbot, ctx, definitions.materials_spec("materials_test"))
    assert mats.model.total == 40
    first = mats.model.row_values(0)
    assert first["material"] == "M000000" and first["last_count_date"] == \
        found[ids[0]].last_count_date
