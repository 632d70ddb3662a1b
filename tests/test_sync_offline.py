"""A real MariaDB made unreachable through a TCP proxy the test controls (no database mocks).

Refused, black-holed and reset connections; counting on through the replica; coming back;
a sync killed mid-push; two workstations offline at once; a material deleted meanwhile; the
command line offline. MariaDB only (the proxy stands in front of it).

No time limits here: each wait is checked for what ended it (a refusal, the workstation's own
read timeout, the connection monitor's cut-off). How long those take is measured by
benchmarks/bench_offline.py.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select, text

from wics_desktop import cli
from wics_desktop.core.actor import Actor
from wics_desktop.core.db import Database
from wics_desktop.core.errors import DatabaseUnavailable, RuleViolation
from wics_desktop.core.models import ActualCount, OutboxCount
from wics_desktop.core.services import counts, materials
from wics_desktop.core.sync import OfflineGuard, ServerProbe, Workstation, attention, is_unreachable
from wics_desktop.core.sync.replica import default_path

from core_fixtures import ACTOR, material, setup_orgs
from sync_fixtures import proxy, wait_until  # noqa: F401 - fixture

pytestmark = pytest.mark.mysql

TODAY = dt.date.today()
CLERK = Actor(username="kim", workstation="WS-BASEMENT", role="clerk")
BOSS = Actor(username="dana", workstation="WS-OFFICE", role="supervisor")


@pytest.fixture
def server(mysql_db, proxy):
    """The test database reached through the proxy, with short timeouts as a workstation has."""
    with mysql_db.session() as s:
        setup_orgs(s)
        material(s, "A-100")
        material(s, "B-200")
        material(s, "C-300")
    database = Database(proxy.url(mysql_db.url), connect_timeout=2, read_timeout=3)
    yield database
    database.dispose()


@pytest.fixture
def ws(server, tmp_path):
    w = Workstation(server, tmp_path / "ws.sqlite")
    w.sync()
    yield w
    w.close()


def mid(db, part):
    with db.session() as s:
        return materials.resolve(s, part).id


def typed(material_id, expr="1", location="D2"):
    return counts.CountInput(count_date=TODAY, material_id=material_id, counter="Kim",
                             location=location, expression=expr)


def server_uuids(mysql_db) -> list[str]:
    with mysql_db.session() as s:
        return sorted(s.scalars(select(ActualCount.uuid)))


# ---- recognising "unreachable" ---------------------------------------------------------------

def test_refused_black_holed_and_reset_are_unreachable(server, proxy):
    server.ping()
    proxy.refuse()
    with pytest.raises(DatabaseUnavailable) as refused:
        server.ping()
    # the closed port answers at once: no timeout was waited for
    assert is_unreachable(refused.value) and "connection refused" in str(refused.value).lower()
    proxy.restore()
    server.ping()
    proxy.blackhole()
    with pytest.raises(DatabaseUnavailable) as hole:  # the pooled connection waits, then gives up
        server.ping()
    # ... on its own read timeout (3 s here), while nothing ever answered
    assert is_unreachable(hole.value) and "timed out" in str(hole.value)
    proxy.restore()
    server.ping()
    proxy.reset()  # the server restarted: open connections die
    proxy.restore()
    server.ping()  # ... and the pool reconnects by itself (pre-ping)


def test_an_answer_from_the_server_is_not_unreachable(mysql_db, proxy, server):
    wrong = Database(proxy.url(mysql_db.url.set(database="no_such_db")), connect_timeout=2)
    with pytest.raises(DatabaseUnavailable) as exc:
        wrong.ping()
    assert not is_unreachable(exc.value)   # unknown database: the server answered
    wrong.dispose()
    assert not is_unreachable(RuleViolation("duplicate"))


def test_the_probe_notices_on_its_own_timeout(server, proxy):
    probe = ServerProbe(server, timeout=2.0)
    try:
        assert probe.check().online
        proxy.blackhole()
        result = probe.check()
        # the probe's own two-second timeout ended the wait, not the server's or the app's
        assert not result.online and "timed out" in result.reason
        proxy.restore()
        assert probe.check().online
        proxy.refuse()                  # the kept connection is reset, new ones are refused
        assert not probe.check().online
        result = probe.check()
        assert not result.online and "refused" in result.reason.lower()
        proxy.restore()
        assert wait_until(lambda: probe.check().online, timeout=5)
    finally:
        probe.close()


def test_a_statement_hung_on_a_black_hole_is_cut_off(server, proxy):
    slow = Database(server.url, connect_timeout=2, read_timeout=60)
    guard = OfflineGuard(slow.engine)
    slow.ping()
    proxy.blackhole()
    events, outcome = [], {}

    def work():
        try:
            with slow.session() as s:
                s.execute(text("SELECT 1"))
        except DatabaseUnavailable as exc:
            outcome["error"] = exc
        events.append("statement ended")

    thread = threading.Thread(target=work)
    thread.start()
    time.sleep(0.5)                 # the thread now waits on the black hole (pre-ping)
    assert thread.is_alive() and guard.count() == 1
    events.append("cut off")
    assert guard.cut_off() == 1     # what the connection monitor does when the probe fails
    thread.join()
    # the cut-off ended the wait (the read timeout, 60 s, would say "timed out")
    assert events == ["cut off", "statement ended"]
    assert is_unreachable(outcome["error"]) and "timed out" not in str(outcome["error"])
    assert "server is offline" in str(outcome["error"])
    tried = proxy.connections
    with pytest.raises(DatabaseUnavailable) as again:   # no new waits while offline:
        slow.ping()
    assert is_unreachable(again.value) and "server is offline" in str(again.value)
    assert proxy.connections == tried   # ... refused before touching the network
    proxy.restore()
    guard.restore()
    slow.ping()
    slow.dispose()


def test_a_connection_waiting_for_the_greeting_is_cut_off_too(server, proxy):
    """A new connection to a server that accepts and then says nothing waits in PyMySQL's
    handshake for the server's greeting (up to the read timeout). Found in the desktop: the
    material look-up on Enter opened a fresh connection just as the link died and waited 20 s
    although the monitor had declared the server gone after 2; cut_off() now reaches it."""
    slow = Database(server.url, connect_timeout=2, read_timeout=60)
    guard = OfflineGuard(slow.engine)
    proxy.blackhole()               # before any connection: the next one hangs in its handshake
    events, outcome = [], {}

    def work():
        try:
            slow.ping()
        except DatabaseUnavailable as exc:
            outcome["error"] = exc
        events.append("connect ended")

    thread = threading.Thread(target=work)
    thread.start()
    assert wait_until(lambda: guard.count() == 1, timeout=5)  # known while it waits
    time.sleep(0.3)
    assert thread.is_alive()
    events.append("cut off")
    assert guard.cut_off() == 1
    thread.join(10)
    assert events == ["cut off", "connect ended"]
    assert is_unreachable(outcome["error"]) and "timed out" not in str(outcome["error"])
    assert guard.count() == 0       # the failed connection is forgotten
    proxy.restore()
    guard.restore()
    slow.ping()
    slow.dispose()


# ---- counting through an outage ------------------------------------------------------------

def test_go_offline_mid_entry_keep_entering_come_back_and_sync(mysql_db, server, proxy, ws):
    a, b = mid(mysql_db, "A-100"), mid(mysql_db, "B-200")
    saved = [ws.save_count(CLERK, typed(a, "1")), ws.save_count(CLERK, typed(b, "2"))]
    assert [s.offline for s in saved] == [False, False]
    proxy.blackhole()                       # the Wi-Fi drops while the clerk is typing
    third = ws.save_count(CLERK, typed(a, "3", location="D3"))
    # the server attempt gave up on the workstation's read timeout, then the replica took it
    assert third.offline and "timed out" in third.reason and third.line.id < 0
    more = [ws.save_count(CLERK, typed(b, str(n)), offline=True) for n in (4, 5)]
    with ws.offline_database().session() as s:  # the replica shows today's counts, all of them
        assert counts.counts_on(s, a, TODAY).total == 4
        assert counts.last_found(s, [a])[a].locations == ["D2", "D3"]
    with pytest.raises(DatabaseUnavailable):    # syncing during the outage loses nothing
        ws.sync()
    assert ws.outbox_summary().pending == 3
    proxy.restore()
    result = ws.sync()
    assert (result.push.pushed, result.push.already_present) == (3, 0)
    everything = [s.line.uuid for s in saved + [third] + more]
    assert server_uuids(mysql_db) == sorted(everything)
    with ws.replica.open().session() as s:
        assert sorted(s.scalars(select(ActualCount.uuid))) == sorted(everything)
        assert s.scalar(select(func.min(ActualCount.id))) > 0


def test_a_server_restart_mid_session_is_survived_online(mysql_db, server, proxy, ws):
    a = mid(mysql_db, "A-100")
    assert not ws.save_count(CLERK, typed(a, "1")).offline
    proxy.reset()
    proxy.restore()
    again = ws.save_count(CLERK, typed(a, "2"))
    assert not again.offline   # the pool noticed the dead connection and reconnected
    assert len(server_uuids(mysql_db)) == 2


def test_two_workstations_offline_at_once_count_the_same_material(mysql_db, server, proxy,
                                                                   tmp_path):
    one = Workstation(server, tmp_path / "one.sqlite")
    two = Workstation(server, tmp_path / "two.sqlite")
    one.sync()
    two.sync()
    a = mid(mysql_db, "A-100")
    proxy.refuse()
    first = one.save_count(CLERK, typed(a, "10"))
    second = two.save_count(Actor("lee", "WS-DOCK", "clerk"), typed(a, "10"))
    assert first.offline and second.offline
    proxy.restore()
    assert one.sync().push.pushed == 1 and two.sync().push.pushed == 1
    with mysql_db.session() as s:
        day = counts.counts_on(s, a, TODAY)
    assert day.total == 20 and sorted(c.workstation for c in day.lines) == ["WS-BASEMENT",
                                                                            "WS-DOCK"]
    one.close()
    two.close()


def test_material_deleted_while_offline_lands_in_needs_attention(mysql_db, server, proxy, ws):
    c, b = mid(mysql_db, "C-300"), mid(mysql_db, "B-200")
    proxy.refuse()
    orphan = ws.save_count(CLERK, typed(c, "7", location="Z9"))
    assert orphan.offline
    with mysql_db.session() as s:  # meanwhile, at the office, directly on the server
        materials.delete_material(s, ACTOR, c)
    proxy.restore()
    result = ws.sync()
    assert (result.push.pushed, result.push.needs_attention) == (0, 1)
    with mysql_db.session() as s:
        item = attention.list_items(s)[0]
        stored = attention.reassign(s, BOSS, item.id, b)
    assert stored.uuid == orphan.line.uuid and stored.quantity == 7
    assert server_uuids(mysql_db) == [orphan.line.uuid]


# ---- the command line ---------------------------------------------------------------------------

def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_count_add_offline_then_sync(mysql_db, server, proxy, capsys):
    url = server.url.render_as_string(hide_password=False)
    args = ["--db", url, "count", "add", "--date", TODAY.isoformat(),
            "--material", "A-100", "--counter", "Kim", "--location", "D2", "--qty", "1080*4+791",
            "--json"]
    proxy.refuse()
    code, out, err = run_cli(capsys, *args)
    assert code == 4 and "no copy of it yet" in err        # no replica on this PC yet
    assert json.loads(out)["exit_code"] == 4
    proxy.restore()
    code, out, err = run_cli(capsys, "--db", url, "sync", "--json")
    assert code == 0 and json.loads(out)["refreshed_rows"] > 0   # the first sync builds it
    proxy.refuse()
    code, out, err = run_cli(capsys, *args)
    doc = json.loads(out)
    assert code == 0 and doc["id"] is None and doc["offline"] is True and doc["quantity"] == 5111
    assert doc["expanded"] == "1080*4+791"  # as online (packs would be written out)
    assert "Saved on this PC" in err and "wics sync" in err
    code, out, err = run_cli(capsys, "--db", url, "sync", "--json")
    assert code == 4 and "1 count(s) stay queued" in err
    code, out, err = run_cli(capsys, "--db", url, "outbox", "--json")
    assert json.loads(out)["pending"] == 1
    proxy.restore()
    code, out, err = run_cli(capsys, "--db", url, "sync", "--json")
    assert code == 0
    assert json.loads(out) == {"pushed": 1, "already_present": 0, "needs_attention": 0,
                               "refreshed_rows": json.loads(out)["refreshed_rows"]}
    assert server_uuids(mysql_db) == [doc["uuid"]]
    # online again, count add stores on the server directly
    code, out, err = run_cli(capsys, *args)
    assert code == 0 and json.loads(out)["offline"] is False


def test_cli_attention_resolve_and_discard(mysql_db, server, proxy, capsys):
    url = server.url.render_as_string(hide_password=False)
    c = mid(mysql_db, "C-300")
    ws = Workstation(server)   # the replica in the user data folder, where the CLI looks
    ws.sync()
    proxy.refuse()
    ws.save_count(CLERK, typed(c, "7"))
    ws.save_count(CLERK, typed(c, "8"))
    with mysql_db.session() as s:
        materials.delete_material(s, ACTOR, c)
    proxy.restore()
    code, out, _ = run_cli(capsys, "--db", url, "sync", "--json")
    assert json.loads(out)["needs_attention"] == 2
    code, out, _ = run_cli(capsys, "--db", url, "attention", "list", "--json")
    first, second = [i["id"] for i in json.loads(out)["items"]]
    code, out, _ = run_cli(capsys, "--db", url, "attention", "resolve",
                           str(first), "--material", "B-200", "--location", "Z1", "--json")
    assert code == 0 and json.loads(out)["quantity"] == 7
    code, out, err = run_cli(capsys, "--db", url, "attention", "discard", str(second),
                             "--reason", "", "--json")
    assert code == 3 and "reason" in err
    code, out, _ = run_cli(capsys, "--db", url, "attention", "discard", str(second),
                           "--reason", "typed twice")
    assert code == 0
    code, out, _ = run_cli(capsys, "--db", url, "attention", "list", "--json")
    assert json.loads(out)["items"] == []
    ws.close()


def test_a_sync_killed_mid_push_resumes_without_loss_or_duplicates(mysql_db, tmp_path):
    """`wics sync` in its own process, SIGKILLed while it pushes 1,500 queued counts in
    batches of 25; a second run finishes the job."""
    url = mysql_db.url.render_as_string(hide_password=False)
    with mysql_db.session() as s:
        setup_orgs(s)
        ids = [material(s, f"K-{n}") for n in range(20)]
    env = dict(os.environ, WICS_DATA_DIR=str(tmp_path / "data"))
    ws = Workstation(mysql_db, default_path_for(url, env))
    ws.sync()
    replica = ws.replica.open()
    with replica.session() as s:  # 1,500 counts typed offline, through the real path
        for n in range(1500):
            counts.add_count(s, CLERK, typed(ids[n % 20], str(n), location=f"L{n % 7}"))
    queued = ws.outbox_summary().pending
    assert queued == 1500
    ws.close()
    cmd = [sys.executable, "-c", "import sys; from wics_desktop.cli import main; "
           "sys.exit(main(sys.argv[1:]))", "--db", url, "sync", "--batch-size", "25", "--json"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def on_server():
        with mysql_db.session() as s:
            return s.scalar(select(func.count()).select_from(ActualCount))

    wait_until(lambda: on_server() >= 100 or proc.poll() is not None, timeout=60, interval=0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    stored_at_kill = on_server()
    assert 0 < stored_at_kill < 1500, "the kill should land mid-push"
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["pushed"] + doc["already_present"] <= 1500
    assert doc["pushed"] == 1500 - stored_at_kill
    with mysql_db.session() as s:
        uuids = s.scalars(select(ActualCount.uuid)).all()
    assert len(uuids) == len(set(uuids)) == 1500           # nothing twice, nothing missing
    ws = Workstation(mysql_db, default_path_for(url, env))
    with ws.replica.open().session() as s:
        states = dict(s.execute(select(OutboxCount.state, func.count())
                                .group_by(OutboxCount.state)).all())
        local = s.scalars(select(ActualCount.uuid)).all()
    assert states == {"sent": 1500}
    assert sorted(set(uuids)) == sorted(set(local) & set(uuids))
    ws.close()


def default_path_for(url, env):
    saved = os.environ.get("WICS_DATA_DIR")
    os.environ["WICS_DATA_DIR"] = env["WICS_DATA_DIR"]
    try:
        return default_path(url)
    finally:
        if saved is None:
            os.environ.pop("WICS_DATA_DIR")
        else:
            os.environ["WICS_DATA_DIR"] = saved
