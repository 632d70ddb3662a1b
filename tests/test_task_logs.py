"""Task logs: every batch job leaves one line with the right fields - from the command line
(imports, reports, count-sheet PDF, db upgrade, a database that cannot be reached) and from the
desktop's background runner (a count-sheet PDF, an import wizard) - and the Activity screen
lists them, newest first."""
from __future__ import annotations

import datetime as dt
import json
import logging
import socket

import pytest

from wics_desktop.cli import main
from wics_desktop.core import tasklog
from wics_desktop.core.actor import Actor
from wics_desktop.core.errors import Cancelled, RuleViolation

from core_fixtures import D2, ensure_user, password_env
from imports_fixtures import setup_reference, write_xlsx
from sheet_fixtures import build_world, need_tools, pdf_page_count
from sync_fixtures import proxy  # noqa: F401 - fixture
from ui_fixtures import ctx_factory, isolated_settings, qt_leak_guard  # noqa: F401

FIELDS = {"job", "user", "workstation", "started", "duration", "rows", "outcome", "detail",
          "extra"}


TEST_STARTED: list[dt.datetime] = []  # when the running test began (UTC), for assert_line


@pytest.fixture(autouse=True)
def fresh_task_log(monkeypatch, tmp_path):
    """Each test reads its own tasks.log (the session shares one log folder otherwise)."""
    monkeypatch.setenv("WICS_LOG_DIR", str(tmp_path / "log"))
    monkeypatch.setenv("WICS_TODAY", D2.isoformat())
    TEST_STARTED[:] = [dt.datetime.utcnow()]
    yield tmp_path / "log" / "tasks.log"


def lines() -> list[dict]:
    return tasklog.tail(1000)


def assert_line(line: dict, job: str, *, user: str, outcome: str = "ok", rows: int | None = None,
                workstation: str | None = None) -> None:
    """The fields every line carries, with plausible values."""
    assert set(line) == FIELDS, line
    assert (line["job"], line["user"], line["outcome"]) == (job, user, outcome), line
    assert line["workstation"] == (workstation or socket.gethostname())
    started = dt.datetime.fromisoformat(line["started"].removesuffix("Z"))
    assert line["started"].endswith("Z")
    # the job ran inside this test: it started after the test did (the log keeps whole
    # seconds), before this check, and lasted no longer than the test so far
    test_started, now = TEST_STARTED[0], dt.datetime.utcnow()
    assert test_started.replace(microsecond=0) <= started <= now, (test_started, started, now)
    assert isinstance(line["duration"], float)
    assert 0 <= line["duration"] <= (now - test_started).total_seconds() + 0.001, line  # rounding
    if rows is not None:
        assert line["rows"] == rows, line


@pytest.fixture
def wics(db, capsys):
    url = db.url.render_as_string(hide_password=False)

    ensure_user(db, "sup1", "supervisor")

    def run(*args, user: str = "sup1", url_: str | None = None):
        capsys.readouterr()
        with password_env():
            code = main(["--db", url_ or url, "--user", user, *args])
        out, err = capsys.readouterr()
        doc = json.loads(out) if "--json" in args and out.strip() else None
        return code, doc, err
    return run


# ---- the log itself ----------------------------------------------------------------------------

def test_every_ending_leaves_one_line(fresh_task_log, caplog):
    caplog.set_level(logging.INFO, logger="wics.tasks")
    ann = Actor("ann", "pc-7", "supervisor")
    with tasklog.task("import-counts", ann) as job:
        job.rows, job.detail = 12, "counts.xlsx: written"
    with pytest.raises(RuleViolation), tasklog.task("import-counts", ann) as job:
        job.detail = "counts.xlsx"
        raise RuleViolation("strict mode: 2 rows have problems")
    with pytest.raises(Cancelled), tasklog.task("report-worksheet-pdf", ann):
        raise Cancelled()
    with pytest.raises(ZeroDivisionError), tasklog.task("sync", ann):
        _ = 1 / 0
    ok, rejected, cancelled, failed = lines()
    assert_line(ok, "import-counts", user="ann", rows=12, workstation="pc-7")
    assert ok["detail"] == "counts.xlsx: written"
    assert_line(rejected, "import-counts", user="ann", outcome="rejected", workstation="pc-7")
    assert rejected["detail"] == "counts.xlsx: strict mode: 2 rows have problems"
    assert_line(cancelled, "report-worksheet-pdf", user="ann", outcome="cancelled",
                workstation="pc-7")
    assert_line(failed, "sync", user="ann", outcome="failed", workstation="pc-7")
    assert failed["detail"] == "ZeroDivisionError: division by zero"
    # one JSON object per line in the file, and a short line in wics.log's logger
    assert len(fresh_task_log.read_text().splitlines()) == 4
    assert [r.getMessage() for r in caplog.records if r.name == "wics.tasks"][0].startswith(
        "task import-counts by ann@pc-7: ok, 12 rows")
    assert [r["outcome"] for r in tasklog.tail(2, newest_first=True)] == ["failed", "cancelled"]


def test_a_quiet_job_leaves_no_line_and_its_exception_still_passes(fresh_task_log):
    """A routine job that ends "ok" leaves no line; one that raises after calling itself "ok"
    still raises (task() once returned from its finally block, which swallowed that)."""
    ann = Actor("ann", "pc-7", "supervisor")
    with tasklog.task("sync", ann) as job:
        job.quiet = True
    with pytest.raises(ZeroDivisionError), tasklog.task("sync", ann) as job:
        job.quiet, job.outcome = True, "ok"
        _ = 1 / 0
    assert lines() == []
    with pytest.raises(ZeroDivisionError), tasklog.task("sync", ann) as job:
        job.quiet = True
        _ = 1 / 0
    (failed,) = lines()
    assert_line(failed, "sync", user="ann", outcome="failed", workstation="pc-7")


def test_tail_reads_across_rotation(fresh_task_log):
    for i in range(2500):  # ~1.6 MB: the file rotates once (1 MB each, 3 backups kept)
        with tasklog.task("export-counts-xlsx", Actor("ann", "pc-7", role="admin")) as job:
            job.rows, job.detail = i, "x" * 500
    assert fresh_task_log.with_name("tasks.log.1").is_file()
    last = tasklog.tail(2000)
    assert len(last) == 2000 and [r["rows"] for r in last[-3:]] == [2497, 2498, 2499]
    assert tasklog.tail(1, newest_first=True)[0]["rows"] == 2499


def test_two_programs_share_the_log_through_a_rotation(fresh_task_log):
    """The desktop and a `wics` command on the same PC write the same tasks.log: with the
    file closed between lines, both keep writing through a rotation and no line is lost."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from wics_desktop.core import tasklog\n"
        "from wics_desktop.core.actor import Actor\n"
        "for i in range(900):\n"
        "    with tasklog.task('export-counts-xlsx', Actor(sys.argv[1], 'pc-7')) as job:\n"
        "        job.rows, job.detail = i, 'x' * 500\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, who]) for who in ("desk", "cli")]
    assert [p.wait(120) for p in procs] == [0, 0]
    assert fresh_task_log.with_name("tasks.log.1").is_file()  # it did rotate
    records = tasklog.tail(5000)
    for who in ("desk", "cli"):
        assert sorted(r["rows"] for r in records if r["user"] == who) == list(range(900))


def test_job_titles_say_what_ran():
    assert tasklog.job_title("report-worksheet-pdf") == "Count sheets (PDF)"
    assert tasklog.job_title("import-sap-soh-check") == (
        "Import SAP stock on hand (MB52) (check only)")
    assert tasklog.job_title("export-sap-stock-xlsx") == "Export a list to Excel: sap stock"
    assert tasklog.job_title("something-new") == "something-new"


# ---- the command line ----------------------------------------------------------------------------

def test_cli_import_report_and_upgrade_lines(wics, db, tmp_path):
    setup_reference(db, [("L10", "A-100"), ("L10", "B-200")])
    ensure_user(db, "clerk7", "clerk")
    counts = write_xlsx(tmp_path / "counts.xlsx", [
        ["CountDate", "Counter", "LOCATION", "Material", "CTD_QTY_Expr"],
        [D2, "Chris", "D2", "A-100", "1080*4+791"],
        [D2, "Chris", "D3", "NOPE", "5"],
        [D2, "Chris", "D4", "B-200", "12"]], sheet="Counts")
    code, doc, err = wics("import", "counts", str(counts), "--json")
    assert code == 0 and doc["rows_added"] == 2, err
    code, _, _ = wics("import", "counts", str(counts), "--strict")
    assert code == 3
    code, doc, _ = wics("report", "count-summary", "--date", D2.isoformat(), "--json",
                        user="clerk7")
    assert code == 0
    code, doc, _ = wics("db", "upgrade", "--json")
    assert code == 0

    imported, strict, summary, upgrade = lines()
    assert_line(imported, "import-counts", user="sup1", rows=3)
    assert imported["detail"] == "counts.xlsx: written; 2 added, 0 updated, 0 removed, 1 rejected"
    assert imported["extra"]["rows_added"] == 2 and imported["extra"]["errors"] == 1
    assert_line(strict, "import-counts", user="sup1", outcome="rejected", rows=3)
    assert strict["detail"].startswith("counts.xlsx: ") and "nothing" in strict["detail"].lower()
    assert_line(summary, "report-count-summary", user="clerk7", rows=2)  # A-100 and B-200
    assert_line(upgrade, "db-upgrade", user="sup1", rows=0)  # already at the head
    assert "already at" in upgrade["detail"]


def test_cli_count_sheet_pdf_line(qapp, wics, db, tmp_path):
    need_tools("pdfinfo")
    build_world(db)
    out = tmp_path / "sheets.pdf"
    code, _, err = wics("report", "worksheet", "--date", D2.isoformat(), "--pdf", str(out))
    assert code == 0, err
    (line,) = lines()
    assert_line(line, "report-worksheet-pdf", user="sup1", rows=9)  # nine materials scheduled
    pages = pdf_page_count(out)
    assert line["extra"] == {"pdf": str(out), "pages": pages}
    assert line["detail"] == f"{out} ({pages} page{'' if pages == 1 else 's'})"


def test_cli_unwritable_pdf_fails_under_its_name(qapp, wics, db, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, _ = wics("report", "worksheet", "--date", D2.isoformat(), "--pdf",
                      str(blocker / "x.pdf"))
    assert code != 0
    (line,) = lines()
    assert line["job"] == "report-worksheet-pdf" and line["outcome"] in ("rejected", "failed")
    assert str(blocker / "x.pdf") in line["detail"]


def test_cli_unreachable_database_is_logged(sqlite_db, capsys, tmp_path):
    path = write_xlsx(tmp_path / "counts.xlsx", [["CountDate"]], sheet="Counts")
    code = main(["--db", "mysql+pymysql://wics:pw@127.0.0.1:1/wics", "--user", "sup1",
                 "import", "counts", str(path)])
    assert code == 4
    (line,) = lines()
    assert_line(line, "import-counts", user="sup1", outcome="rejected", rows=0)
    assert "127.0.0.1" in line["detail"]


def test_cli_log_tail_prints_the_lines(wics, db, capsys):
    with tasklog.task("import-mm60", Actor("ann", "pc-7", role="admin")) as job:
        job.rows = 40
    code, doc, _ = wics("log", "tail", "--lines", "5", "--json")
    assert code == 0 and [(r["job"], r["rows"]) for r in doc] == [("import-mm60", 40)]
    code, _, _ = wics("log", "tail")
    capsys.readouterr()
    assert code == 0


# ---- the desktop ------------------------------------------------------------------------------

def test_runner_jobs_name_the_signed_in_user(qtbot, db, ctx_factory):
    ctx = ctx_factory(db, role="supervisor", username="pat")

    def work(session, n):
        return list(range(n))

    def give_up(session, progress=None):
        raise Cancelled()

    def broken(session):
        raise RuntimeError("disk full")

    tasks = [ctx.runner.submit(work, 7, job="export-counts-xlsx"),
             ctx.runner.submit(give_up, job="sync"),
             ctx.runner.submit(broken, job="report-count-summary-xlsx", on_error=lambda f: None,
                               owner=ctx.runner),  # a lambda names what it serves
             ctx.runner.submit(work, 3)]  # no job name: no line
    qtbot.waitUntil(lambda: all(t.done for t in tasks), timeout=10000)
    by_job = {r["job"]: r for r in lines()}
    assert set(by_job) == {"export-counts-xlsx", "sync", "report-count-summary-xlsx"}
    assert_line(by_job["export-counts-xlsx"], "export-counts-xlsx", user="pat", rows=7,
                workstation="test-pc")
    assert_line(by_job["sync"], "sync", user="pat", outcome="cancelled", workstation="test-pc")
    assert_line(by_job["report-count-summary-xlsx"], "report-count-summary-xlsx", user="pat",
                outcome="failed", workstation="test-pc")
    assert by_job["report-count-summary-xlsx"]["detail"] == "RuntimeError: disk full"


def test_desktop_count_sheet_pdf_and_import_wizard_lines(qtbot, db, ctx_factory, tmp_path):
    need_tools("pdfinfo")
    from wics_desktop.ui.screens.activity import ActivityScreen
    from wics_desktop.ui.screens.count_sheets import CountSheetsScreen
    from wics_desktop.ui.wizards.import_wizard import (
        CHECK,
        COLUMNS,
        CONFIRM,
        RESULT,
        CountsImportScreen,
    )

    build_world(db)
    ctx = ctx_factory(db, role="supervisor", username="pat")
    sheets = CountSheetsScreen(ctx, count_date=D2)
    qtbot.addWidget(sheets)
    qtbot.waitUntil(sheets.is_ready, timeout=15000)
    out = tmp_path / "sheets.pdf"
    sheets.save_pdf(str(out))
    qtbot.waitUntil(lambda: any(r["job"] == "report-worksheet-pdf" for r in lines()),
                    timeout=20000)

    counts = write_xlsx(tmp_path / "counts.xlsx", [
        ["CountDate", "Counter", "LOCATION", "Material", "CTD_QTY_Expr"],
        [D2, "Chris", "D2", "A-100", "5"], [D2, "Chris", "D2", "NOPE", "5"]], sheet="Counts")
    screen = CountsImportScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    wizard = screen.wizard
    wizard.currentPage().path.setText(str(counts))
    for page_id in (COLUMNS, CHECK, CONFIRM, RESULT):
        wizard.next()
        qtbot.waitUntil(lambda page_id=page_id: wizard.currentId() == page_id, timeout=15000)
        if page_id in (COLUMNS, CHECK):
            qtbot.waitUntil(wizard.currentPage().isComplete, timeout=20000)

    pdf, check, imported = lines()
    assert_line(pdf, "report-worksheet-pdf", user="pat", rows=9, workstation="test-pc")
    assert pdf["extra"] == {"pdf": str(out), "pages": pdf_page_count(out)}
    assert_line(check, "import-counts-check", user="pat", rows=2, workstation="test-pc")
    assert check["detail"] == ("counts.xlsx: nothing written; "
                               "1 added, 0 updated, 0 removed, 1 rejected")
    assert_line(imported, "import-counts", user="pat", rows=2, workstation="test-pc")
    assert imported["detail"] == "counts.xlsx: written; 1 added, 0 updated, 0 removed, 1 rejected"

    # the Activity screen lists them, newest first, and Refresh picks up a new one
    activity = ActivityScreen(ctx)
    qtbot.addWidget(activity)
    activity.resize(1200, 420)
    qtbot.waitUntil(activity.is_ready, timeout=10000)
    model = activity.model
    assert [r["job"] for r in model.rows] == ["import-counts", "import-counts-check",
                                             "report-worksheet-pdf"]
    shown = [model.index(0, c).data() for c in range(model.columnCount())]
    started, job, user, workstation, duration, rows, outcome, detail = shown
    assert (job, user, workstation, rows, outcome) == ("Import counts", "pat", "test-pc", "2",
                                                      "ok")
    assert duration.endswith(" s") and detail.startswith("counts.xlsx: written")
    local = dt.datetime.fromisoformat(imported["started"].removesuffix("Z")).replace(
        tzinfo=dt.timezone.utc).astimezone()
    assert started == local.strftime("%Y-%m-%d %H:%M:%S")
    assert model.index(0, 1).data(0x03) == "import-counts"  # tooltip: its name in the log
    assert model.index(1, 1).data() == "Import counts (check only)"
    activity.filter.setText("pdf")
    assert activity.proxy.rowCount() == 1
    activity.filter.clear()
    with tasklog.task("sync", ctx.actor) as job:
        job.rows = 4
    assert activity.refresh()
    qtbot.waitUntil(lambda: activity.is_ready() and len(model.rows) == 4, timeout=10000)
    assert model.rows[0]["job"] == "sync" and model.rows[0]["user"] == "pat"
    activity.grab().save(str(tmp_path / "activity.png"))


def test_activity_is_in_the_default_menus_of_supervisors_and_admins(db):
    from wics_desktop.core.services import menus
    from wics_desktop.ui import screen_registry

    spec = screen_registry.get("activity")
    assert spec is not None and spec.title == "Activity" and spec.permission == "reports"
    for group, expected in (("Clerks", False), ("Supervisors", True), ("Admins", True)):
        keys = {o.argument for m in menus.default_menus(group) for o in m.options}
        assert ("activity" in keys) is expected, group


# ---- sync (MariaDB behind the test's TCP proxy) -----------------------------------------------

@pytest.fixture
def server(mysql_db, proxy):
    from wics_desktop.core.db import Database
    from wics_desktop.core.services import users

    from core_fixtures import material, setup_orgs

    with mysql_db.session() as s:
        setup_orgs(s)
        material(s, "A-100")
        users.create_user(s, "kim", "kim-password-1", role="supervisor", display_name="Kim",
                          actor=Actor.system())
    database = Database(proxy.url(mysql_db.url), connect_timeout=2, read_timeout=20)
    yield database
    database.dispose()


@pytest.mark.mysql
def test_cli_sync_after_an_outage(server, proxy, capsys):
    url = server.url.render_as_string(hide_password=False)
    add = ["count", "add", "--date", D2.isoformat(), "--material", "A-100", "--counter", "Kim",
           "--location", "D2", "--qty", "1080*4+791", "--json"]
    with password_env("kim-password-1"):
        assert main(["--db", url, "--user", "kim", "sync"]) == 0  # builds this PC's replica
        proxy.refuse()
        assert main(["--db", url, "--user", "kim", *add]) == 0  # saved offline
        assert main(["--db", url, "--user", "kim", "sync"]) == 4  # the server is still away
        proxy.restore()
        assert main(["--db", url, "--user", "kim", "sync", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    built, failed, synced = [r for r in lines() if r["job"] == "sync"]
    assert_line(built, "sync", user="kim")
    assert built["rows"] > 0 and "replica built" in built["detail"]
    assert_line(failed, "sync", user="kim", outcome="rejected", rows=0)
    assert "1 count(s) stay queued" in failed["detail"]
    assert_line(synced, "sync", user="kim", rows=1 + doc["refreshed_rows"])
    assert synced["detail"].startswith("1 count(s) sent; replica refreshed")
    assert synced["extra"] == doc and doc["pushed"] == 1


@pytest.mark.mysql
def test_desktop_sync_lines_manual_and_not_the_minutely_ones(qtbot, server, mysql_db, proxy,
                                                             tmp_path):
    from wics_desktop.core.services import users
    from wics_desktop.ui.main_window import MainWindow

    with mysql_db.session() as s:
        user = users.get(s, "kim")
    w = MainWindow(server, user, offline_options=dict(
        replica_path=tmp_path / "replica.sqlite", probe_interval=0.5, probe_timeout=1.0))
    w.ctx.workstation = "WS-BASEMENT"
    qtbot.addWidget(w)
    w.show()

    def synced_once_more(before):
        qtbot.waitUntil(lambda: w.offline.last_sync_at is not None and w.offline.last_sync_at
                        != before and not w.offline.syncing, timeout=30000)

    synced_once_more(None)  # the start: builds the replica - logged
    first = w.offline.last_sync_at
    assert w.offline.sync_now()  # what the timer does every minute: nothing new - not logged
    synced_once_more(first)
    second = w.offline.last_sync_at
    w.sync_now()  # File > Send offline counts and sync now (F9) - logged
    synced_once_more(second)
    qtbot.waitUntil(lambda: not w.runner.active(), timeout=15000)
    syncs = [r for r in lines() if r["job"] == "sync"]
    assert len(syncs) == 2, syncs
    assert "replica built" in syncs[0]["detail"]
    assert_line(syncs[1], "sync", user="kim", workstation="WS-BASEMENT")
    assert syncs[1]["detail"].startswith("0 count(s) sent; replica refreshed")
    w.close()
