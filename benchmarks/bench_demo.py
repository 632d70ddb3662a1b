"""How long `wics demo` takes: 1,000 and 100,000 materials on SQLite and on MariaDB.

Each run is the real command in a fresh process (`python -m wics_desktop --db URL demo
--materials N --json`) on a new database: a temporary SQLite file, or a throwaway MariaDB
database that is dropped afterwards. Prints wall-clock seconds (process start to exit,
schema creation included), the generator's own seconds, rows written and rows per second.

    .venv/bin/python benchmarks/bench_demo.py
    .venv/bin/python benchmarks/bench_demo.py --sizes 1000 --databases sqlite
    WICS_TEST_MYSQL_URL=mysql+pymysql://user:pw@host:3306/ .venv/bin/python benchmarks/bench_demo.py
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MYSQL_DEFAULT = "mysql+pymysql://root@127.0.0.1:3306/"


def run_demo(url: str, materials: int, days: int, today: str) -> tuple[float, dict]:
    env = dict(os.environ, WICS_TODAY=today)
    command = [sys.executable, "-m", "wics_desktop", "--db", url, "demo",
               "--materials", str(materials), "--days", str(days), "--json"]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"wics demo failed ({done.returncode}): {done.stderr.strip()}")
    return wall, json.loads(done.stdout)


def sqlite_case(materials: int, days: int, today: str) -> tuple[float, dict]:
    with tempfile.TemporaryDirectory(prefix="wics_bench_") as folder:
        return run_demo(f"sqlite:///{Path(folder) / 'demo.sqlite'}", materials, days, today)


def mysql_case(server_url: str, materials: int, days: int, today: str) -> tuple[float, dict]:
    from throwaway_db import throwaway_mariadb

    with throwaway_mariadb(server_url) as url:
        return run_demo(url.render_as_string(hide_password=False), materials, days, today)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000", help="materials per run (comma list)")
    parser.add_argument("--databases", default="sqlite,mysql", help="sqlite and/or mysql")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--today", default="2026-11-20", help="WICS_TODAY for the runs")
    args = parser.parse_args()
    server_url = os.environ.get("WICS_TEST_MYSQL_URL", MYSQL_DEFAULT)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'database':8} {'materials':>9} {'rows':>9} {'wall s':>7} {'demo s':>7} "
          f"{'rows/s':>8}  sap_stock  counts  schedule")
    for database in args.databases.split(","):
        for materials in sizes:
            if database == "sqlite":
                wall, summary = sqlite_case(materials, args.days, args.today)
            elif database == "mysql":
                wall, summary = mysql_case(server_url, materials, args.days, args.today)
            else:
                raise SystemExit(f"unknown database {database!r}: use sqlite or mysql")
            rows, counts = summary["rows_total"], summary["row_counts"]
            seconds = summary["seconds"]
            print(f"{database:8} {materials:>9,} {rows:>9,} {wall:>7.1f} {seconds:>7.1f} "
                  f"{rows / seconds:>8,.0f}  {counts['sap_stock']:>9,} "
                  f"{counts['actual_counts']:>7,} {counts['count_schedule']:>9,}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
