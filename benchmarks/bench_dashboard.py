"""Time the dashboard's data (and `wics report accuracy`) for a year of counts on a demo
warehouse, on SQLite and MariaDB.

    .venv/bin/python benchmarks/bench_dashboard.py [--materials 100000] [--days 365]
        [--mysql-url mysql+pymysql://root@127.0.0.1:3306/] [--skip-mysql] [--repeat 3]
        [--db URL]   (an existing demo database instead of building one)

Builds a fresh demo database per backend (`wics demo --materials N --days D`), then prints
the best of --repeat runs of: the dashboard for the whole period (all organizations, per week),
the same for one organization, and the accuracy report by org per month; with the statements
each sent, and the ratio to the 2 s target. The first run in the process also pays for
importing pandas, printed separately. MariaDB gets a throwaway database, dropped at the end.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sqlalchemy import event, func, select

from wics_desktop.core import demo, schema
from wics_desktop.core.actor import Actor
from wics_desktop.core.db import Database
from wics_desktop.core.models import ActualCount, Material, SapStock
from wics_desktop.core.reports import accuracy, dashboard

from throwaway_db import throwaway_mariadb

TARGET_S = 2.0
TODAY = dt.date(2026, 11, 20)
ACTOR = Actor(username="bench", role="admin")


def measure(database: Database, days: int, repeat: int) -> None:
    start = TODAY - dt.timedelta(days=days)
    jobs = {
        "dashboard, all orgs, per week": lambda s: dashboard.build(
            s, ACTOR, start, TODAY, period="week"),
        "dashboard, org L10, per day": lambda s: dashboard.build(
            s, ACTOR, start, TODAY, org="L10", period="day"),
        "report accuracy --by org --period month": lambda s: accuracy.build(
            s, start, TODAY, by="org", period="month"),
    }
    with database.session() as s:
        sizes = {t.__tablename__: s.scalar(select(func.count()).select_from(t))
                 for t in (Material, ActualCount, SapStock)}
    print(f"  {database.describe()}: " + ", ".join(f"{n:,} {k}" for k, n in sizes.items()))
    t0 = time.perf_counter()
    import pandas  # noqa: F401 - the first dashboard of a session pays for this

    print(f"  importing pandas: {time.perf_counter() - t0:.2f} s (once per process)")
    for name, job in jobs.items():
        best, statements = float("inf"), 0
        for _ in range(repeat):
            sent: list[str] = []

            def count(*args, sent=sent, **kw):  # this repeat's list, bound now
                sent.append(args[2])
            event.listen(database.engine, "before_cursor_execute", count)
            t0 = time.perf_counter()
            with database.session() as s:
                job(s)
            elapsed = time.perf_counter() - t0
            event.remove(database.engine, "before_cursor_execute", count)
            best, statements = min(best, elapsed), len(sent)
        print(f"  {name:<42} {best:6.2f} s  {statements:3d} statements  "
              f"({best / TARGET_S:.0%} of the {TARGET_S:.0f} s target)")


def build(url: str, materials: int, days: int) -> Database:
    database = Database(url)
    schema.upgrade(database)
    t0 = time.perf_counter()
    demo.generate(database, materials=materials, days=days, seed=1, today=TODAY)
    print(f"  demo {materials:,} materials x {days} days built in {time.perf_counter() - t0:.0f} s")
    return database


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--materials", type=int, default=100_000)
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--db", help="an existing demo database (its data ends on 2026-11-20)")
    p.add_argument("--mysql-url", default="mysql+pymysql://root@127.0.0.1:3306/")
    p.add_argument("--skip-mysql", action="store_true")
    args = p.parse_args()
    if args.db:
        measure(Database(args.db), args.days, args.repeat)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        print("SQLite")
        database = build(f"sqlite:///{Path(tmp) / 'bench.sqlite'}", args.materials, args.days)
        measure(database, args.days, args.repeat)
        database.dispose()
    if not args.skip_mysql:
        with throwaway_mariadb(args.mysql_url, skip_if_unreachable=True) as url:
            if url is not None:
                print("MariaDB")
                database = build(url.render_as_string(hide_password=False), args.materials,
                                 args.days)
                measure(database, args.days, args.repeat)
                database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
