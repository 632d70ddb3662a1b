"""Offline sync figures: build and refresh a replica of a large server, push queued counts.

    python benchmarks/bench_sync.py [--materials 100000] [--push 10000] [--server-url URL]

Creates a throwaway database on the MariaDB/MySQL server (default root@127.0.0.1:3306), fills
it with N materials (a tenth with an MPN; half counted long ago, a tenth counted in the
replica's window; a schedule for the window), then prints:
- build: seconds for the first full copy;
- refresh with no change: seconds and statements sent to the server (the every-minute cost);
- refresh after changes: 1,000 materials edited, 100 deleted, 500 new counts, 50 deleted;
- full check: the same with every material's last-found counts verified;
- offline saves: counts typed into the replica per second (the real add_count path);
- push: seconds to send the queued counts in batches of 500, and counts per second.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import delete, event, func, insert, select, text, update

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from wics_desktop.core import schema  # noqa: E402
from wics_desktop.core.actor import Actor  # noqa: E402
from wics_desktop.core.db import Database  # noqa: E402
from wics_desktop.core.models import (  # noqa: E402
    ActualCount,
    CountSchedule,
    ManufacturerPartNumber,
    Material,
    Organization,
    PartType,
)
from wics_desktop.core.services import counts  # noqa: E402
from wics_desktop.core.sync import Workstation  # noqa: E402
from wics_desktop.core.sync.push import push  # noqa: E402

from throwaway_db import throwaway_mariadb  # noqa: E402

TODAY = dt.date.today()
CLERK = Actor("bench", "WS-BENCH", "clerk")


def chunks(rows, size=5000):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def fill(db: Database, n: int, rng: random.Random) -> list[int]:
    with db.engine.begin() as conn:
        conn.execute(insert(Organization), [{"name": "L10"}, {"name": "L6"}])
        orgs = list(conn.scalars(select(Organization.id).order_by(Organization.id)))
        conn.execute(insert(PartType),
                     [{"name": "AST-A", "priority": 1}, {"name": "AST-B", "priority": 2}])
        pts = list(conn.scalars(select(PartType.id)))
        for chunk in chunks([dict(org_id=orgs[i % 4 == 0], part_number=f"{1000000 + i}",
                                  description=f"Material {i}", part_type_id=pts[i % len(pts)],
                                  typical_container_qty="48/ctn" if i % 3 else None)
                             for i in range(n)]):
            conn.execute(insert(Material), chunk)
        ids = list(conn.scalars(select(Material.id).order_by(Material.id)))
        conn.execute(insert(ManufacturerPartNumber),
                     [dict(mpn=f"MPN-{m}", material_id=m) for m in ids[::10]])
        rows = []
        for k, m in enumerate(ids):
            if k % 2 == 0:  # counted long ago: last found comes from here
                day = TODAY - dt.timedelta(days=rng.randint(30, 400))
                rows += [dict(day=day, m=m, loc=f"R{k % 97}"), dict(day=day, m=m, loc=f"S{k % 89}")]
            if k % 10 == 0:
                rows.append(dict(day=TODAY - dt.timedelta(days=rng.randint(0, 6)), m=m, loc="W1"))
        for chunk in chunks([dict(uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                                  count_date=r["day"], material_id=r["m"], counter="Chris",
                                  location=r["loc"], expression="12", quantity=12.0)
                             for r in rows]):
            conn.execute(insert(ActualCount), chunk)
        for chunk in chunks([dict(count_date=TODAY + dt.timedelta(days=k % 20 - 5), material_id=m,
                                  counter="Chris", reason="Cycle count")
                             for k, m in enumerate(ids[::20])]):
            conn.execute(insert(CountSchedule), chunk)
        # Spread the timestamps over the past weeks, as a server in use has them (otherwise every
        # row is "just changed" and falls in the refresh's overlap).
        for table in ("organizations", "part_types", "materials", "mpn", "actual_counts",
                      "count_schedule", "parameters", "units_of_measure"):
            by_id = "id" if table not in ("parameters", "units_of_measure") else "1"
            conn.execute(text(f"UPDATE {table} SET updated_at = updated_at - INTERVAL "
                              f"(1 + {by_id} % 1000) HOUR"))
    return ids


def queue_copies(replica: Database, n: int) -> None:
    """Queue n more counts by copying queued ones with fresh uuids (the same rows the real
    path writes; typing 10,000 through add_count would only measure SQLAlchemy)."""
    if n <= 0:  # --push no larger than the counts typed one by one
        return
    import json

    from wics_desktop.core.models import OutboxCount

    with replica.engine.begin() as conn:
        seed = conn.execute(select(OutboxCount.payload, OutboxCount.username,
                                   OutboxCount.workstation)).all()
        low = conn.scalar(select(func.min(ActualCount.id)))
        counts_rows, outbox_rows = [], []
        for k in range(n):
            payload, user, station = seed[k % len(seed)]
            p = json.loads(payload)
            p["uuid"] = str(uuid.uuid4())
            counts_rows.append(dict(id=low - 1 - k, uuid=p["uuid"], count_date=TODAY,
                                    material_id=p["material_id"], counter=p["counter"],
                                    location=p["location"], expression=p["expression"],
                                    quantity=p["quantity"], entered_by=user, workstation=station))
            outbox_rows.append(dict(uuid=p["uuid"], payload=json.dumps(p), username=user,
                                    workstation=station, state="pending", attempts=0))
        conn.execute(insert(ActualCount), counts_rows)
        conn.execute(insert(OutboxCount), outbox_rows)


class Statements:
    def __init__(self, engine):
        self.n = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.n += 1


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--materials", type=int, default=100_000, help="at least 1,000")
    ap.add_argument("--push", type=int, default=10_000)
    ap.add_argument("--server-url", default="mysql+pymysql://root@127.0.0.1:3306/")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    if args.materials < 1000:
        ap.error("--materials must be at least 1,000 (the changes it times need them)")
    rng = random.Random(args.seed)
    with throwaway_mariadb(args.server_url, prefix="wics_bench_sync") as url:
        return measure(args, rng, Database(url))


def measure(args, rng, server) -> int:
    work = Path(tempfile.mkdtemp(prefix="bench_sync_"))
    try:
        schema.upgrade(server)
        secs, ids = timed(lambda: fill(server, args.materials, rng))
        with server.session() as s:
            n_counts = s.scalar(select(func.count()).select_from(ActualCount))
        print(f"server: {len(ids):,} materials, {n_counts:,} counts (filled in {secs:.1f} s)")

        ws = Workstation(server, work / "replica.sqlite")
        secs, result = timed(ws.sync)
        size = (work / "replica.sqlite").stat().st_size / 1e6
        print(f"build replica:                 {secs:7.2f} s  ({result.refresh.rows:,} rows, "
              f"{size:.0f} MB)")

        stmts = Statements(server.engine)
        times = []
        for _ in range(5):
            before = stmts.n
            secs, result = timed(ws.sync)
            times.append(secs)
            assert result.refresh.rows == 0, result.refresh.tables
        print(f"refresh, no change (median):   {statistics.median(times):7.3f} s  "
              f"({stmts.n - before} statements to the server)")

        with server.session() as s:
            s.execute(update(Material).where(Material.id.in_(ids[1:2001:2]))
                      .values(description="edited", updated_at=func.utc_timestamp(6)))
            uncounted = ids[1:400:2][:100]
            s.execute(delete(ManufacturerPartNumber).where(ManufacturerPartNumber.material_id.in_(uncounted)))
            s.execute(delete(CountSchedule).where(CountSchedule.material_id.in_(uncounted)))
            s.execute(delete(Material).where(Material.id.in_(uncounted)))
            s.execute(insert(ActualCount), [dict(
                uuid=str(uuid.uuid4()), count_date=TODAY, material_id=m, counter="Pat",
                location="N1", expression="5", quantity=5.0)
                for m in ids[max(400, len(ids) // 5):][:500]])  # past the deleted ones
            gone = s.scalars(select(ActualCount.id).where(ActualCount.location == "W1")
                             .limit(50)).all()
            s.execute(delete(ActualCount).where(ActualCount.id.in_(gone)))
        secs, result = timed(ws.sync)
        print(f"refresh after changes:         {secs:7.3f} s  ({result.refresh.rows:,} rows: "
              f"{result.refresh.upserted:,} written, {result.refresh.deleted:,} removed)")
        secs, result = timed(lambda: ws.sync(full=True))
        print(f"refresh with full last-found check: {secs:5.2f} s  ({result.refresh.rows} rows)")

        with server.session() as s:
            s.execute(update(Material).values(description=Material.description + " (new)",
                                              updated_at=func.utc_timestamp(6)))
        secs, result = timed(ws.sync)
        print(f"refresh after editing all {len(ids):,} materials: {secs:5.2f} s  "
              f"({result.refresh.rows:,} rows)")
        secs, result = timed(ws.sync)
        print(f"  the next refresh (overlap re-check): {secs:5.3f} s  ({result.refresh.rows} rows)")

        replica = ws.replica.open()
        targets = ids[len(ids) // 2:][:500]  # fixed offsets would break a small --materials
        typed = min(args.push, 500)
        started = time.perf_counter()
        for k in range(typed):
            with replica.session() as s:
                counts.add_count(s, CLERK, counts.CountInput(
                    count_date=TODAY, material_id=targets[k % len(targets)], counter="Kim",
                    location=f"B{k % 50}", expression=f"{k % 40}*12+{k % 7}"))
        secs = time.perf_counter() - started
        print(f"offline saves (add_count on the replica, one transaction each): "
              f"{secs / typed * 1000:.1f} ms per count")
        queue_copies(replica, args.push - typed)
        secs, pushed = timed(lambda: push(server, replica))
        print(f"push {pushed.pushed:,} queued counts:     {secs:7.2f} s  "
              f"({pushed.pushed / secs:,.0f} counts/s, {pushed.batches} batches)")
        secs, result = timed(ws.sync)
        print(f"refresh after the push:        {secs:7.3f} s  ({result.refresh.rows:,} rows)")
        ws.close()
    finally:
        server.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
