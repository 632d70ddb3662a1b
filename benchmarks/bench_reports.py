"""Time the count summary and worksheet data on a large warehouse, on SQLite and MariaDB.

    .venv/bin/python benchmarks/bench_reports.py [--materials 10000] [--sap-rows 100000]
        [--mysql-url mysql+pymysql://root@127.0.0.1:3306/] [--skip-mysql] [--repeat 3]

Builds a fresh database per backend (10,000 materials scheduled and counted on one date, about
31,000 count lines, 100,000 SAP rows by default), then prints the best of --repeat runs of each
report, the statements each sent, and the ratio to the 2 s target. MariaDB gets a throwaway
database that is dropped at the end.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sqlalchemy import event

from wics_desktop.core import schema
from wics_desktop.core.db import Database
from wics_desktop.core.reports import count_summary, worksheet

from report_data import COUNT_DATE, fill
from throwaway_db import throwaway_mariadb

TARGET_S = 2.0
REPORTS = {
    "count summary": lambda s: count_summary.build(s, COUNT_DATE),
    "count summary --requests": lambda s: count_summary.build(s, COUNT_DATE, requests=True),
    "worksheet --by counter": lambda s: worksheet.build(s, COUNT_DATE),
    "worksheet --by location": lambda s: worksheet.build(s, COUNT_DATE, by="location"),
    "worksheet JSON (as_dict)": lambda s: worksheet.build(s, COUNT_DATE).as_dict(),
}


def measure(database: Database, repeat: int) -> list[tuple[str, float, int, int]]:
    results = []
    for name, build in REPORTS.items():
        best, statements, size = float("inf"), 0, 0
        for _ in range(repeat):
            seen = []

            def listener(*a, seen=seen):  # this repeat's list, bound now
                seen.append(1)

            event.listen(database.engine, "before_cursor_execute", listener)
            start = time.perf_counter()
            with database.session() as s:
                report = build(s)
            elapsed = time.perf_counter() - start
            event.remove(database.engine, "before_cursor_execute", listener)
            best, statements = min(best, elapsed), len(seen)
            if hasattr(report, "rows"):
                size = sum(1 for _ in report.rows())
            elif hasattr(report, "groups"):
                size = sum(len(g.materials) for g in report.groups)
            else:
                size = sum(len(g["materials"]) for g in report["groups"])
        results.append((name, best, statements, size))
    return results


def run(label: str, database: Database, args) -> None:
    schema.upgrade(database)
    start = time.perf_counter()
    sizes = fill(database, args.materials, args.sap_rows)
    print(f"\n{label}: built {sizes} in {time.perf_counter() - start:.1f} s", flush=True)
    for name, best, statements, size in measure(database, args.repeat):
        print(f"  {name:<26} {best:7.3f} s  {statements:3d} statements  {size:6d} lines  "
              f"{best / TARGET_S:5.2f} x target ({TARGET_S:.0f} s)", flush=True)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--materials", type=int, default=10_000)
    p.add_argument("--sap-rows", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--mysql-url", default="mysql+pymysql://root@127.0.0.1:3306/")
    p.add_argument("--skip-mysql", action="store_true")
    p.add_argument("--skip-sqlite", action="store_true")
    args = p.parse_args()

    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            database = Database(f"sqlite:///{tmp}/bench.sqlite")
            try:
                run("SQLite", database, args)
            finally:
                database.dispose()

    if args.skip_mysql:
        return 0
    with throwaway_mariadb(args.mysql_url, skip_if_unreachable=True) as url:
        if url is not None:
            database = Database(url)
            try:
                run("MariaDB", database, args)
            finally:
                database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
