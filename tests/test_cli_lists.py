"""`wics list names|export`: any list of the desktop to xlsx with the desktop's own export code,
filtered and sorted as on screen; unknown names are usage errors (exit 2). Both databases."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import load_workbook

from wics_desktop.cli import main
from wics_desktop.core.lists import definitions

from core_fixtures import CLI_PASSWORD, ensure_user, password_env
from ui_fixtures import (  # noqa: F401
    add_counts,
    add_materials,
    ctx_factory,
    isolated_settings,
    qt_leak_guard,
)

DAY0 = dt.date(2026, 1, 5)
SHOWN = ["Count date", "Material", "Description", "Counter", "Location", "Expression",
         "Quantity", "Notes"]


@pytest.fixture
def wics(db, capsys):
    url = db.url.render_as_string(hide_password=False)
    ensure_user(db, "admin1", "admin")
    ensure_user(db, "viewer1", "viewer")

    def run(*args, user="admin1"):
        capsys.readouterr()
        with password_env(CLI_PASSWORD):
            code = main(["--db", url, "--user", user, *args])
        out, err = capsys.readouterr()
        doc = json.loads(out) if "--json" in args and out.strip() else None
        return code, doc, err
    return run


@pytest.fixture
def counted(db):
    ids = add_materials(db, 20)
    add_counts(db, 120, ids, first_day=DAY0, days=6)
    return db


def _sheet(path):
    ws = load_workbook(path).active
    return [c.value for c in ws[1]], [[c.value for c in row] for row in ws.iter_rows(min_row=2)]


def test_export_writes_the_list_as_the_desktop_shows_it(wics, counted, tmp_path):
    out = tmp_path / "counts.xlsx"
    code, doc, err = wics("list", "export", "counts", "--out", str(out), "--json")
    assert code == 0, err
    assert doc == {"list": "counts", "title": "Actual Counts", "rows": 120, "xlsx": str(out),
                   "columns": SHOWN}
    headers, rows = _sheet(out)
    assert headers == SHOWN and len(rows) == 120  # the columns shown by default, every row
    assert load_workbook(out).active.freeze_panes == "A2"
    dates = [r[0] for r in rows]
    assert dates == sorted(dates, reverse=True)  # the list's own order: newest first
    assert isinstance(rows[0][0], dt.datetime) and isinstance(rows[0][6], (int, float))
    # a filter as typed in the column's filter box (by key or by title), a sort by title
    code, doc, err = wics("list", "export", "counts", "--out", str(out), "--filter",
                          "location=^R07", "--filter", "Count date=>=2026-01-07",
                          "--sort", "Quantity:desc", "--json")
    assert code == 0, err
    _, rows = _sheet(out)
    expected = [i for i in range(120) if i % 50 == 7 and i % 6 >= 2]  # add_counts' pattern
    assert doc["rows"] == len(rows) == len(expected) > 0
    assert all(r[4].startswith("R07") for r in rows)
    assert all(r[0] >= dt.datetime(2026, 1, 7) for r in rows)
    quantities = [r[6] for r in rows]
    assert quantities == sorted(quantities, reverse=True)
    # every column, hidden ones too
    code, doc, _ = wics("list", "export", "counts", "--out", str(out), "--all-columns",
                        "--json")
    headers, _ = _sheet(out)
    assert code == 0 and headers == doc["columns"] and "Entered by" in headers and \
        len(headers) == len([c for c in definitions.counts_spec().columns if c.export])


def test_unknown_names_and_bad_filters_are_usage_errors(wics, counted, tmp_path):
    out = tmp_path / "x.xlsx"
    code, doc, _ = wics("list", "export", "countz", "--out", str(out), "--json")
    assert code == 2 and "unknown list 'countz'" in doc["error"] and "counts" in doc["error"]
    code, doc, _ = wics("list", "export", "counts", "--out", str(out), "--filter", "shelf=D2",
                        "--json")
    assert code == 2 and "unknown column 'shelf'" in doc["error"]
    code, doc, _ = wics("list", "export", "counts", "--out", str(out), "--sort", "shelf:desc",
                        "--json")
    assert code == 2 and "unknown column 'shelf'" in doc["error"]
    code, doc, _ = wics("list", "export", "counts", "--out", str(out), "--filter",
                        "quantity=lots", "--json")
    assert code == 2 and "'lots' is not a number" in doc["error"]
    code, doc, _ = wics("list", "export", "counts", "--out", str(out), "--filter", "quantity",
                        "--json")
    assert code == 2 and "COLUMN=TEXT" in doc["error"]
    code, doc, _ = wics("list", "export", "requests", "--out", str(out), "--sort", "counted",
                        "--json")
    assert code == 2 and "cannot be sorted" in doc["error"]
    assert not out.exists()


def test_each_list_needs_its_screen_permission(wics, counted, tmp_path):
    code, doc, err = wics("list", "export", "materials", "--out", str(tmp_path / "m.xlsx"),
                          "--json", user="viewer1")
    assert code == 0 and doc["rows"] == 20, err
    for name, permission in (("users", "edit_users"), ("audit", "view_audit")):
        out = tmp_path / f"{name}.xlsx"
        code, _, err = wics("list", "export", name, "--out", str(out), user="viewer1")
        assert code == 5 and permission in err and not out.exists()
    code, doc, _ = wics("list", "export", "users", "--out", str(tmp_path / "u.xlsx"), "--json")
    assert code == 0 and doc["rows"] >= 2


def test_names_lists_every_list_with_its_columns(wics):
    code, doc, _ = wics("list", "names", "--json")
    assert code == 0
    names = {d["name"]: d for d in doc}
    assert set(names) == {"counts", "schedule", "requests", "materials", "mpns", "locations",
                          "sap-stock", "users", "audit"}
    counts = names["counts"]
    assert counts["title"] == "Actual Counts" and counts["permission"] == "view"
    assert [c["title"] for c in counts["columns"] if c["shown"]] == SHOWN
    assert {"key": "quantity", "title": "Quantity", "kind": "qty", "shown": True,
            "sortable": True, "filterable": True} in counts["columns"]
    assert names["audit"]["permission"] == "view_audit"


def test_the_desktop_export_writes_the_same_rows(qtbot, wics, counted, ctx_factory, tmp_path):
    """The desktop's Export and `wics list export` with the same filter and sort: the same
    headers and the same cells (only the column widths differ: on screen vs default)."""
    from PySide6.QtCore import Qt

    from wics_desktop.ui.tables.table_widget import QueryTableWidget

    w = QueryTableWidget(definitions.counts_spec("counts_cli"), ctx_factory(counted).runner)
    qtbot.addWidget(w)
    w.start()
    w.model.set_column_filter("location", "^R1")
    w.model.sort(w.spec.index_of("quantity"), Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: not w.model.loading and w.model.total is not None, timeout=20000)
    desktop = tmp_path / "desktop.xlsx"
    task = w.export_to(str(desktop))
    qtbot.waitUntil(lambda: task.done, timeout=20000)
    assert task.failure is None
    cli = tmp_path / "cli.xlsx"
    code, _, err = wics("list", "export", "counts", "--out", str(cli), "--filter", "location=^R1",
                        "--sort", "quantity:desc")
    assert code == 0, err
    assert _sheet(cli) == _sheet(desktop) and len(_sheet(cli)[1]) == task.result > 0
