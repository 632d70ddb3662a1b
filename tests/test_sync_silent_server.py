"""A count typed at the command line is decided within seconds whichever way the network
fails: a server that accepts the connection and then says nothing (a link dead mid-stream, a
stalled server, a firewall that drops), and a slow link. Before, `wics count add` waited for
the driver's 600 s read timeout on a silent server. MariaDB behind the test's TCP proxy."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from wics_desktop.core.db import INTERACTIVE_CONNECT_TIMEOUT, INTERACTIVE_READ_TIMEOUT
from wics_desktop.core.models import ActualCount

from core_fixtures import material, setup_orgs
from sync_fixtures import TODAY, proxy  # noqa: F401 - fixture

pytestmark = pytest.mark.mysql

# A count add on a silent server must end long before this; the old behaviour (the CLI
# engine's 600 s read timeout) runs into it and fails the test.
DECIDED_WITHIN = 45


def _wics(url, env, *args):
    cmd = [sys.executable, "-c", "import sys; from wics_desktop.cli import main; "
           "sys.exit(main(sys.argv[1:]))", "--db", url, *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=DECIDED_WITHIN)


@pytest.fixture
def station(mysql_db, proxy, tmp_path):
    """A workstation (own data folder) on the server through the proxy, replica built."""
    with mysql_db.session() as s:
        setup_orgs(s)
        material(s, "S-100")
    server_url = mysql_db.url.render_as_string(hide_password=False)
    url = proxy.url(server_url)
    env = dict(os.environ, WICS_DATA_DIR=str(tmp_path / "data"), WICS_LOG_DIR=str(tmp_path / "log"))
    done = _wics(url, env, "sync", "--json")
    assert done.returncode == 0, done.stderr
    return url, env


def _add(url, env, qty, uuid=None):
    args = ["count", "add", "--date", TODAY.isoformat(), "--material", "S-100",
            "--counter", "Kim", "--location", "D2", "--qty", qty, "--json"]
    if uuid:
        args += ["--uuid", uuid]
    return _wics(url, env, *args)


def test_interactive_timeouts_are_sized_for_a_clerk():
    # connect + one unanswered read is what a silent server costs before the count goes offline
    assert INTERACTIVE_CONNECT_TIMEOUT + INTERACTIVE_READ_TIMEOUT <= 8
    assert INTERACTIVE_READ_TIMEOUT <= 5


def test_silent_server_count_goes_offline_then_arrives_once(mysql_db, proxy, station):
    url, env = station
    proxy.blackhole()  # connections accepted, nothing ever answers
    done = _add(url, env, "6*7")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["offline"] is True and doc["quantity"] == 42 and doc["id"] is None
    assert "Saved on this PC" in done.stderr

    proxy.restore()
    synced = _wics(url, env, "sync", "--json")
    assert synced.returncode == 0, synced.stderr
    assert json.loads(synced.stdout)["pushed"] == 1
    again = _wics(url, env, "sync", "--json")  # nothing left, nothing twice
    assert json.loads(again.stdout)["pushed"] == 0
    with mysql_db.session() as s:
        uuids = s.scalars(select(ActualCount.uuid)).all()
    assert uuids == [doc["uuid"]]


def test_slow_link_still_saves_on_the_server(mysql_db, proxy, station):
    url, env = station
    proxy.slow(0.05)  # 50 ms per chunk each way
    done = _add(url, env, "10+5")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["offline"] is False and doc["id"] is not None
    with mysql_db.session() as s:
        assert s.scalar(select(func.count()).select_from(ActualCount)) == 1


def test_count_resent_after_an_unacknowledged_commit_is_stored_once(mysql_db, proxy, station):
    """The statement reached the server, the answer did not: the count is saved offline under
    the same uuid and the push finds it already there (decided by the uuid, not a guess)."""
    url, env = station
    first = _add(url, env, "3", uuid="00000000-0000-4000-8000-000000000001")
    assert json.loads(first.stdout)["offline"] is False
    proxy.blackhole()
    second = _add(url, env, "3", uuid="00000000-0000-4000-8000-000000000001")
    assert second.returncode == 0 and json.loads(second.stdout)["offline"] is True
    proxy.restore()
    synced = json.loads(_wics(url, env, "sync", "--json").stdout)
    assert synced["pushed"] == 0 and synced["already_present"] == 1
    with mysql_db.session() as s:
        assert s.scalar(select(func.count()).select_from(ActualCount)) == 1
