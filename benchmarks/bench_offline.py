"""How long a workstation takes to notice the server is gone (the figures tests/test_sync_offline.py
used to assert as time limits; the tests now assert what ended each wait instead).

    python benchmarks/bench_offline.py [--server-url mysql+pymysql://root@127.0.0.1:3306] [--runs 3]

A throwaway database on the MariaDB/MySQL server, reached through the tests' TCP proxy
(tests/sync_fixtures.py FlakyProxy), with a workstation's timeouts (connect 2 s, read 3 s).
Prints, per case, the median and worst seconds over the runs:
- refused: a ping while the port is closed (the server is down);
- black hole: a ping while nothing answers (a dead Wi-Fi: the read timeout ends it);
- probe: the connection monitor's ServerProbe (2 s timeout) on a black hole;
- cut off: a statement hung on a black hole (read timeout 60 s), from OfflineGuard.cut_off()
  to the statement's failure, and then a new ping while cut off (no network at all);
- offline save: Workstation.save_count on a black hole, until the count is in the outbox.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from wics_desktop.core import schema  # noqa: E402
from wics_desktop.core.actor import Actor  # noqa: E402
from wics_desktop.core.db import Database  # noqa: E402
from wics_desktop.core.errors import DatabaseUnavailable  # noqa: E402
from wics_desktop.core.services import counts, materials  # noqa: E402
from wics_desktop.core.sync import OfflineGuard, ServerProbe, Workstation  # noqa: E402

from core_fixtures import material, setup_orgs  # noqa: E402
from sync_fixtures import FlakyProxy  # noqa: E402
from throwaway_db import throwaway_mariadb  # noqa: E402

CLERK = Actor(username="bench", workstation="WS-BENCH", role="clerk")


def timed(fn) -> float:
    started = time.monotonic()
    fn()
    return time.monotonic() - started


def failing_ping(db: Database) -> None:
    try:
        db.ping()
    except DatabaseUnavailable:
        return
    raise SystemExit("the ping succeeded: the proxy did not cut the server off")


def one_run(proxy: FlakyProxy, url, work: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    db = Database(proxy.url(url), connect_timeout=2, read_timeout=3)
    db.ping()
    proxy.refuse()
    figures["refused"] = timed(lambda: failing_ping(db))
    proxy.restore()
    db.ping()
    proxy.blackhole()
    figures["black hole"] = timed(lambda: failing_ping(db))
    proxy.restore()

    probe = ServerProbe(db, timeout=2.0)
    assert probe.check().online
    proxy.blackhole()
    figures["probe"] = probe.check().seconds
    proxy.restore()
    probe.close()

    slow = Database(db.url, connect_timeout=2, read_timeout=60)
    guard = OfflineGuard(slow.engine)
    slow.ping()
    proxy.blackhole()
    ended: list[float] = []

    def hung_statement() -> None:
        try:
            with slow.session() as s:
                s.execute(text("SELECT 1"))
        except DatabaseUnavailable:
            ended.append(time.monotonic())

    thread = threading.Thread(target=hung_statement)
    thread.start()
    while guard.count() < 1:
        time.sleep(0.01)
    time.sleep(0.5)  # well into its wait on the black hole
    cut_at = time.monotonic()
    guard.cut_off()
    thread.join()
    figures["cut off"] = ended[0] - cut_at
    figures["ping while cut off"] = timed(lambda: failing_ping(slow))
    proxy.restore()
    guard.restore()
    slow.dispose()

    ws = Workstation(db, work / f"ws-{time.monotonic_ns()}.sqlite")
    ws.sync()
    with db.session() as s:
        material_id = materials.resolve(s, "A-100").id
    proxy.blackhole()
    data = counts.CountInput(count_date=dt.date.today(), material_id=material_id,
                             counter="Bench", location="D2", expression="1")
    started = time.monotonic()
    saved = ws.save_count(CLERK, data)
    figures["offline save"] = time.monotonic() - started
    assert saved.offline
    proxy.restore()
    ws.close()
    db.dispose()
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server-url", default="mysql+pymysql://root@127.0.0.1:3306")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with throwaway_mariadb(args.server_url, prefix="wics_bench_offline") as url, \
            tempfile.TemporaryDirectory() as tmp:
        server = Database(url)
        schema.upgrade(server)
        with server.session() as s:
            setup_orgs(s)
            material(s, "A-100")
        server.dispose()
        runs = []
        for _ in range(args.runs):
            proxy = FlakyProxy()
            try:
                runs.append(one_run(proxy, url, Path(tmp)))
            finally:
                proxy.close()
    print(f"\nseconds until the workstation knows (median / worst of {args.runs}):")
    for case in runs[0]:
        values = [r[case] for r in runs]
        print(f"  {case:<20} {statistics.median(values):6.2f} / {max(values):6.2f}")


if __name__ == "__main__":
    main()
