"""Time the Count Entry type-ahead (materials.search) and resolve over 100,000 materials.

    .venv/bin/python benchmarks/bench_search.py [--materials 100000] [--skip-mysql]

Prints the median and worst time per query text on SQLite and MariaDB (target: well under
50 ms), and the statements each search sent.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time

from sqlalchemy import event, insert

from wics_desktop.core import schema
from wics_desktop.core.actor import Actor
from wics_desktop.core.db import Database
from wics_desktop.core.models import ManufacturerPartNumber, Material
from wics_desktop.core.services import materials, orgs

from throwaway_db import throwaway_mariadb

TEXTS = ["1", "10", "1004", "100456", "AB", "ab-12", "MFR-77", "Part 9999", "zzz-nothing"]


def fill(database: Database, n: int) -> None:
    actor = Actor("bench", "bench", "admin")
    with database.session() as s:
        ids = [orgs.add_org(s, actor, name).values["id"] for name in ("L10", "L6")]
    rows = [dict(org_id=ids[i % 7 == 0], part_number=(f"AB-{i}" if i % 5 == 0 else f"{100000 + i}"),
                 description=f"Part {i} bracket steel", price_unit=1) for i in range(n)]
    with database.engine.begin() as conn:
        for k in range(0, n, 5000):
            conn.execute(insert(Material), rows[k:k + 5000])
        mpns = [dict(mpn=f"MFR-{i}", material_id=i + 1) for i in range(0, n, 10)]
        for k in range(0, len(mpns), 5000):
            conn.execute(insert(ManufacturerPartNumber), mpns[k:k + 5000])


def run(label: str, database: Database, n: int) -> None:
    schema.upgrade(database)
    fill(database, n)
    print(f"\n{label}: {n:,} materials", flush=True)
    seen = []
    event.listen(database.engine, "before_cursor_execute", lambda *a: seen.append(1))
    with database.session() as s:
        for t in TEXTS:
            times = []
            for _ in range(7):
                seen.clear()
                start = time.perf_counter()
                hits = materials.search(s, t)
                times.append((time.perf_counter() - start) * 1000)
            print(f"  search {t!r:<14} median {statistics.median(times):6.1f} ms  worst "
                  f"{max(times):6.1f} ms  {len(hits):2d} hits  {len(seen)} statements", flush=True)
        start = time.perf_counter()
        for i in range(1, 200):
            materials.resolve(s, f"{100000 + i * 5 + 1}")
        print(f"  resolve: {(time.perf_counter() - start) / 199 * 1000:.2f} ms each", flush=True)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--materials", type=int, default=100_000)
    p.add_argument("--mysql-url", default="mysql+pymysql://root@127.0.0.1:3306/")
    p.add_argument("--skip-mysql", action="store_true")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database = Database(f"sqlite:///{tmp}/search.sqlite")
        run("SQLite", database, args.materials)
        database.dispose()
    if args.skip_mysql:
        return 0
    with throwaway_mariadb(args.mysql_url) as url:
        database = Database(url)
        try:
            run("MariaDB", database, args.materials)
        finally:
            database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
