"""Reports can read from a MariaDB replica (the database's own asynchronous replication) while
counts go to the primary: used when current, the primary otherwise, and the report says which.
Two private mariadbd servers started by the test set-up (tests/replication_fixtures.py)."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import create_engine

from wics_desktop.cli import main
from wics_desktop.core import report_routing, schema
from wics_desktop.core.db import Database
from wics_desktop.core.services import counts

from core_fixtures import ACTOR, material, setup_orgs
from replication_fixtures import replication  # noqa: F401 - fixture
from ui_fixtures import ctx_factory, isolated_settings, qt_leak_guard  # noqa: F401 - fixtures

pytestmark = [pytest.mark.mysql, pytest.mark.slow]

DAY = dt.date(2026, 11, 20)


@pytest.fixture
def site(replication, monkeypatch):
    primary_server, replica_server, control = replication
    name = f"wics_routing_{id(control) % 100000}_{dt.datetime.now().strftime('%H%M%S%f')}"
    engine = create_engine(primary_server)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
    engine.dispose()
    primary = Database(primary_server + name)
    schema.upgrade(primary)
    with primary.session() as s:
        setup_orgs(s)
        mid = material(s, "R-1")
        counts.add_count(s, ACTOR, counts.CountInput(count_date=DAY, material_id=mid,
                                                    counter="Kim", location="D2", expression="5"))
    control.caught_up(name, "actual_counts", 1)
    monkeypatch.setenv(report_routing.ENV_REPORTS_URL, replica_server + name)
    monkeypatch.setenv(report_routing.ENV_REPORTS_MAX_LAG, "30")
    yield primary, replica_server + name, control, mid
    control.start()
    primary.dispose()


def _summary(capsys, primary):
    capsys.readouterr()
    url = primary.url.render_as_string(hide_password=False)
    assert main(["--db", url, "report", "count-summary", "--date", DAY.isoformat(), "--json"]) == 0
    out, err = capsys.readouterr()
    return json.loads(out), err


def _total(doc):
    found = [m["count_total"] for o in doc["orgs"] for sec in o["sections"]
             for m in sec["materials"] if m["material"] == "R-1"]
    assert len(found) == 1
    return found[0]


def test_a_current_replica_serves_the_report(site, capsys):
    primary, _replica_url, _control, _mid = site
    doc, _err = _summary(capsys, primary)
    assert doc["served_by"]["served_by"] == "replica"
    assert _total(doc) == 5


def test_stopped_replication_falls_back_to_the_primary_and_says_so(site, capsys):
    primary, _replica_url, control, mid = site
    control.stop()
    with primary.session() as s:  # a count the stopped replica never sees
        counts.add_count(s, ACTOR, counts.CountInput(count_date=DAY, material_id=mid,
                                                    counter="Kim", location="D3", expression="7"))
    doc, err = _summary(capsys, primary)
    assert doc["served_by"]["served_by"] == "primary"
    assert "replication to the reporting replica is stopped" in err
    assert _total(doc) == 12  # not stale


def test_unreachable_replica_falls_back(site, capsys, monkeypatch):
    primary, _replica_url, _control, _mid = site
    monkeypatch.setenv(report_routing.ENV_REPORTS_URL, "mysql+pymysql://root@127.0.0.1:1/x")
    doc, err = _summary(capsys, primary)
    assert doc["served_by"]["served_by"] == "primary" and "cannot be reached" in err


def test_lag_above_the_limit_falls_back(site):
    primary, replica_url, _control, _mid = site
    route = report_routing.choose(primary, replica_url, max_lag=30)
    assert route.served_by == "replica" and route.lag_seconds == 0
    route.database.dispose()
    # the decision at the limit, with the lag the replica reports
    replica = Database(replica_url)
    original = report_routing.replica_lag
    try:
        report_routing.replica_lag = lambda _db: (31, None)
        late = report_routing.choose(primary, replica_url, max_lag=30, replica=replica)
    finally:
        report_routing.replica_lag = original
    assert late.served_by == "primary" and "31 s behind" in late.note


def test_no_reports_url_means_the_primary_without_a_word(site, capsys, monkeypatch):
    primary, _replica_url, _control, _mid = site
    monkeypatch.delenv(report_routing.ENV_REPORTS_URL)
    doc, err = _summary(capsys, primary)
    assert "served_by" not in doc and err == ""


def test_the_desktop_count_summary_says_where_its_numbers_come_from(site, qtbot, ctx_factory):
    from wics_desktop.ui.screens.count_summary import CountSummaryScreen

    primary, _replica_url, control, _mid = site
    screen = CountSummaryScreen(ctx_factory(primary, role="supervisor"), count_date=DAY)
    qtbot.addWidget(screen)
    qtbot.waitUntil(screen.is_ready, timeout=20000)
    assert screen.banner.text().startswith("From the reporting replica")
    control.stop()
    screen.refresh()
    qtbot.waitUntil(screen.is_ready, timeout=20000)
    assert "replication to the reporting replica is stopped" in screen.banner.text()


def _on_the_replica_only(replica_url: str) -> None:
    """Change the count on the replica alone (replication keeps running: nothing conflicts),
    so a file that shows the change was read there."""
    engine = create_engine(replica_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE actual_counts SET location = 'SEEN-ON-REPLICA'")
    engine.dispose()


def _locations(path) -> list:
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    column = [c.value for c in ws[1]].index("Location")
    return [row[column].value for row in ws.iter_rows(min_row=2)]


def test_list_exports_read_on_the_replica(site, capsys, tmp_path, qtbot, ctx_factory):
    """An export of a whole list is a report's kind of read: `wics list export` and the
    desktop's Export read on the reporting replica (and the JSON says so); the rows on
    screen stay the server's."""
    from wics_desktop.core.lists import definitions
    from wics_desktop.ui.tables.table_widget import QueryTableWidget

    primary, replica_url, _control, _mid = site
    _on_the_replica_only(replica_url)
    out = tmp_path / "cli.xlsx"
    capsys.readouterr()
    url = primary.url.render_as_string(hide_password=False)
    assert main(["--db", url, "list", "export", "counts", "--out", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["served_by"]["served_by"] == "replica" and doc["rows"] == 1
    assert _locations(out) == ["SEEN-ON-REPLICA"]

    w = QueryTableWidget(definitions.counts_spec("counts_replica"),
                         ctx_factory(primary, role="supervisor").runner)
    qtbot.addWidget(w)
    w.start()
    qtbot.waitUntil(lambda: not w.model.loading and w.model.total == 1, timeout=20000)
    column = w.spec.index_of("location")
    assert w.model.data(w.model.index(0, column)) == "D2"  # on screen: the server's row
    task = w.export_to(str(tmp_path / "desktop.xlsx"))
    qtbot.waitUntil(lambda: task.done, timeout=20000)
    assert task.failure is None and task.result == 1
    assert _locations(tmp_path / "desktop.xlsx") == ["SEEN-ON-REPLICA"]
