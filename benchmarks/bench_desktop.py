"""Desktop speed: the lazy table over 1,000,000 counts and the material type-ahead.

Builds (once, cached in the temp folder for SQLite) a database with 100,000 materials and
1,000,000 actual counts, then measures with the real widgets, offscreen:

- opening the Actual Counts list: start() to the first rows on screen (target < 1 s), and to
  the total row count;
- fetchMore (one page) at increasing depths, a sort by an unindexed column, a column filter;
- type-ahead: core `materials.search` per keystroke for growing prefixes (target < 50 ms),
  and MaterialField's keystroke-to-popup time (the query runs on a worker thread).

    .venv/bin/python benchmarks/bench_desktop.py                      # SQLite
    .venv/bin/python benchmarks/bench_desktop.py --mysql              # also MariaDB (slow build)
    .venv/bin/python benchmarks/bench_desktop.py --counts 200000 --materials 20000
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MYSQL_DEFAULT = "mysql+pymysql://root@127.0.0.1:3306/"


def build(database, materials: int, counts: int) -> None:
    from sqlalchemy import insert, select

    from wics_desktop.core import schema
    from wics_desktop.core.models import ActualCount, Material, Organization

    schema.upgrade(database)
    started = time.perf_counter()
    with database.session() as s:
        orgs = []
        for name in ("L10", "L6"):
            org = Organization(name=name)
            s.add(org)
            s.flush()
            orgs.append(org.id)
        rows = [{"org_id": orgs[i % 7 == 0], "part_number": f"{(i * 7919) % 10_000_000:07d}",
                 "description": f"PART {i} {('CBL', 'PSU', 'MB', 'SCREW')[i % 4]}, {i % 97}MM"}
                for i in range(materials)]
        for k in range(0, len(rows), 20000):
            s.execute(insert(Material), rows[k:k + 20000])
        ids = s.scalars(select(Material.id)).all()
    day0 = dt.date(2024, 1, 1)
    batch = []
    for i in range(counts):
        batch.append({"uuid": str(uuid.uuid4()), "count_date": day0 + dt.timedelta(days=i % 700),
                      "material_id": ids[(i * 31) % len(ids)], "counter": ("Calvin", "Nate",
                      "Chris K", "Ryan")[i % 4], "location": f"HVC_RBFB_{i % 90}-{i % 7}",
                      "expression": f"{i % 500}*4+{i % 13}",
                      "quantity": float(i % 500 * 4 + i % 13),
                      "location_only": False, "possibly_not_received": False,
                      "movement_during_count": False})
        if len(batch) == 20000:
            with database.session() as s:
                s.execute(insert(ActualCount), batch)
            batch = []
    if batch:
        with database.session() as s:
            s.execute(insert(ActualCount), batch)
    print(f"  built {materials:,} materials and {counts:,} counts in "
          f"{time.perf_counter() - started:.0f} s")


def wait(app, condition, timeout=120.0) -> float:
    started = time.perf_counter()
    while not condition():
        app.processEvents()
        time.sleep(0.0005)
        if time.perf_counter() - started > timeout:
            raise TimeoutError("timed out")
    return time.perf_counter() - started


def measure_table(app, database, label: str) -> None:
    from PySide6.QtCore import Qt

    from wics_desktop.core.lists import definitions
    from wics_desktop.ui.tables.table_widget import QueryTableWidget
    from wics_desktop.ui.workers import TaskRunner

    runner = TaskRunner(database)
    spec = definitions.counts_spec("bench")
    w = QueryTableWidget(spec, runner)
    w.resize(1200, 700)
    w.show()
    m = w.model
    started = time.perf_counter()
    w.start()
    first = wait(app, lambda: m.rowCount() > 0)
    total = wait(app, lambda: m.total is not None) + first
    print(f"  {label}: Actual Counts opened, first {m.rowCount()} rows on screen in "
          f"{first * 1000:.0f} ms; total {m.total:,} known after {total * 1000:.0f} ms")
    for target in (1_000, 10_000, 100_000):
        while m.rowCount() < target - spec.page_size:  # scroll on (as the view would)
            n = m.rowCount()
            m.fetchMore()
            wait(app, lambda n=n: m.rowCount() > n)
        n = m.rowCount()
        t0 = time.perf_counter()
        m.fetchMore()
        wait(app, lambda n=n: m.rowCount() > n)
        print(f"  {label}: one more page at row {n:,}: {(time.perf_counter() - t0) * 1000:.0f} ms")
    for key, order, what in (("counter", Qt.SortOrder.AscendingOrder, "sort by counter"),
                             ("material", Qt.SortOrder.AscendingOrder, "sort by material"),
                             ("count_date", Qt.SortOrder.DescendingOrder, "sort by date")):
        t0 = time.perf_counter()
        m.sort(spec.index_of(key), order)
        wait(app, lambda: m.rowCount() > 0 and not m.loading)
        print(f"  {label}: {what}: first page in {(time.perf_counter() - t0) * 1000:.0f} ms")
    t0 = time.perf_counter()
    m.set_column_filter("location", "=HVC_RBFB_42-0")
    wait(app, lambda: not m.loading)
    print(f"  {label}: column filter location=HVC_RBFB_42-0: first page in "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms")
    w.close()
    runner.wait(600000)
    _ = started


def measure_typeahead(app, database, label: str) -> None:
    from wics_desktop.core.services import materials, users
    from wics_desktop.ui.context import AppContext
    from wics_desktop.ui.screens.material_field import MaterialField
    from wics_desktop.ui.workers import TaskRunner

    with database.session() as s:
        sample = materials.search(s, "1", 1)[0].part_number
    prefixes = [sample[:n] for n in range(1, len(sample) + 1)]
    times = []
    for prefix in prefixes:
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            with database.session() as s:
                materials.search(s, prefix, 30)
            runs.append((time.perf_counter() - t0) * 1000)
        times.append((prefix, statistics.median(runs)))
    print(f"  {label}: materials.search per keystroke (median of 5, ms): "
          + ", ".join(f"{p!r} {ms:.1f}" for p, ms in times))
    with database.session() as s:
        user = users.get(s, "bench") or users.create_user(s, "bench", "bench-password")
    runner = TaskRunner(database)
    field = MaterialField(AppContext(database, user, runner))
    field.show()
    shown = []
    field.hits_shown.connect(lambda n, ms: shown.append(ms))
    for ch in sample:
        field.setText(field.text() + ch)
        field.textEdited.emit(field.text())
        wait(app, lambda: not field._searching)
    wait(app, lambda: bool(shown))
    print(f"  {label}: keystroke to popup (worker thread, ms): "
          + ", ".join(f"{ms:.1f}" for ms in shown))
    field.close()
    runner.wait(60000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--materials", type=int, default=100_000)
    parser.add_argument("--counts", type=int, default=1_000_000)
    parser.add_argument("--mysql", action="store_true", help="also run on MariaDB")
    parser.add_argument("--only", choices=("table", "typeahead"), help="run one part")
    parser.add_argument("--mysql-db", metavar="NAME",
                        help="reuse (and keep) this MariaDB database instead of a throwaway one")
    args = parser.parse_args()
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from wics_desktop.core.db import Database

    qInstallMessageHandler(lambda *a: None)
    app = QApplication.instance() or QApplication([])
    os.environ["WICS_CONFIG_DIR"] = tempfile.mkdtemp(prefix="wics-bench-cfg-")
    cache = (Path(tempfile.gettempdir())
             / f"wics_bench_desktop_{args.materials}_{args.counts}.sqlite")
    print(f"SQLite ({cache})")
    database = Database(f"sqlite:///{cache}")
    if not database.has_schema():
        try:
            build(database, args.materials, args.counts)
        except BaseException:
            database.dispose()
            cache.unlink(missing_ok=True)
            raise
    if args.only != "typeahead":
        measure_table(app, database, "SQLite")
    if args.only != "table":
        measure_typeahead(app, database, "SQLite")
    database.dispose()
    if args.mysql:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        server = make_url(os.environ.get("WICS_TEST_MYSQL_URL", MYSQL_DEFAULT))
        name = args.mysql_db or f"wics_bench_desktop_{os.getpid()}"
        admin = create_engine(server)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 "
                              f"COLLATE utf8mb4_bin"))
        try:
            print(f"MariaDB ({name})")
            database = Database(server.set(database=name))
            if not database.has_schema():
                build(database, args.materials, args.counts)
            if args.only != "typeahead":
                measure_table(app, database, "MariaDB")
            if args.only != "table":
                measure_typeahead(app, database, "MariaDB")
            database.dispose()
        finally:
            if not args.mysql_db:
                with admin.begin() as conn:
                    conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
