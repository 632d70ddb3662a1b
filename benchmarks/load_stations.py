"""Many workstations on one MariaDB at the start of a shift: save latency, refresh, reports.

    python benchmarks/load_stations.py [--stations 1,5,10,25,50] [--seconds 60]
                                       [--materials 10000] [--server-url URL]

A throwaway database gets the demo warehouse (N materials), and every material is scheduled
on the counting day, so the supervisor's count summary and count sheets cover all N. For each
station count K, K processes start, each one a workstation with its own engine and replica: it
saves counts at a clerk's peak pace - one every 3 s, and now and then a scanner burst of 10 in
5 s - through the same core path as Count Entry, and refreshes its replica once a minute (first
refresh at a random moment). Meanwhile one
supervisor runs the count summary and the count sheets for the day, again and again.
Printed per K: save latency p50 / p99 (ms), refresh median (s), count summary and count sheets
median (s), the server's CPU (share of one core, from /proc) and statements per second
(SHOW GLOBAL STATUS Questions). Targets: p99 save < 100 ms and summary < 2 s at 50 stations.
"""
from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from throwaway_db import throwaway_mariadb  # noqa: E402


def _station(url: str, index: int, seconds: float, material_ids: list[int], day: str,
             data_dir: str, out) -> None:
    os.environ["WICS_DATA_DIR"] = data_dir
    from wics_desktop.core.actor import Actor
    from wics_desktop.core.db import Database
    from wics_desktop.core.services import counts
    from wics_desktop.core.sync import Workstation
    from wics_desktop.core.sync.replica import default_path

    rng = random.Random(index)
    database = Database(url, read_timeout=30)
    ws = Workstation(database, default_path(url))
    actor = Actor(username=f"clerk{index}", workstation=f"WS-{index}", role="clerk")
    saves, refreshes = [], []
    start = time.monotonic()
    next_refresh = start + rng.uniform(0, 60)
    count_day = dt.date.fromisoformat(day)
    while time.monotonic() - start < seconds:
        burst = 10 if rng.random() < 0.1 else 1
        for _ in range(burst):
            t0 = time.perf_counter()
            with database.session() as s:
                counts.add_count(s, actor, counts.CountInput(
                    count_date=count_day, material_id=rng.choice(material_ids),
                    counter=f"Clerk {index}", location=f"R{rng.randrange(40)}",
                    expression=f"{rng.randrange(1, 500)}*{rng.randrange(1, 12)}"))
            saves.append(time.perf_counter() - t0)
            time.sleep(0.5 if burst > 1 else 0)
        if time.monotonic() >= next_refresh:
            t0 = time.perf_counter()
            ws.sync()
            refreshes.append(time.perf_counter() - t0)
            next_refresh += 60
        time.sleep(max(0.0, 3.0 - (0.5 * burst if burst > 1 else 0)))
    ws.close()
    database.dispose()
    out.put(("station", saves, refreshes))


def _supervisor(url: str, seconds: float, day: str, out) -> None:
    from wics_desktop.core.db import Database
    from wics_desktop.core.reports import count_summary, worksheet

    database = Database(url)
    summary, sheets = [], []
    start = time.monotonic()
    count_day = dt.date.fromisoformat(day)
    while time.monotonic() - start < seconds:
        t0 = time.perf_counter()
        with database.session() as s:
            count_summary.build(s, count_day)
        summary.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        with database.session() as s:
            worksheet.build(s, count_day)
        sheets.append(time.perf_counter() - t0)
    database.dispose()
    out.put(("supervisor", summary, sheets))


def _server_pid() -> int | None:
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if Path(f"/proc/{pid}/comm").read_text().strip() in ("mariadbd", "mysqld"):
                    return int(pid)
            except OSError:
                continue
    return None


def _cpu_seconds(pid: int | None) -> float:
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _questions(url) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        n = int(conn.execute(text("SHOW GLOBAL STATUS LIKE 'Questions'")).one()[1])
    engine.dispose()
    return n


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", default="1,5,10,25,50")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--materials", type=int, default=10000)
    ap.add_argument("--server-url", default="mysql+pymysql://root@127.0.0.1:3306/")
    args = ap.parse_args()
    from sqlalchemy import select

    from wics_desktop.core import demo, schema
    from wics_desktop.core.db import Database
    from wics_desktop.core.models import CountSchedule, Material

    with throwaway_mariadb(args.server_url, prefix="wics_load") as url:
        text_url = url.render_as_string(hide_password=False)
        database = Database(text_url)
        schema.upgrade(database)
        t0 = time.perf_counter()
        demo.generate(database, materials=args.materials, days=5, seed=3)
        with database.session() as s:
            ids = list(s.scalars(select(Material.id)))
            day = s.scalar(select(CountSchedule.count_date).order_by(
                CountSchedule.count_date.desc()).limit(1)) or dt.date.today()
        # the supervisor's reports cover every material: all of them scheduled that day
        from sqlalchemy import insert

        with database.session() as s:
            taken = set(s.scalars(select(CountSchedule.material_id)
                                  .where(CountSchedule.count_date == day)))
            rows = [{"count_date": day, "material_id": m, "counter": f"Clerk {m % 7}",
                     "reason": "Load test"} for m in ids if m not in taken]
            if rows:
                s.execute(insert(CountSchedule), rows)
        database.dispose()
        print(f"demo of {args.materials:,} materials in {time.perf_counter() - t0:.1f} s; "
              f"counting on {day}, every material scheduled\n")
        print(f"{'stations':>8} {'saves':>6} {'p50 ms':>7} {'p99 ms':>7} {'refresh s':>9} "
              f"{'summary s':>9} {'sheets s':>8} {'server CPU':>10} {'stmts/s':>8}")
        pid = _server_pid()
        for k in [int(x) for x in args.stations.split(",")]:
            out = mp.Queue()
            with tempfile.TemporaryDirectory() as tmp:
                procs = [mp.Process(target=_station, args=(
                    text_url, i, args.seconds, ids, day.isoformat(), f"{tmp}/ws{i}", out))
                    for i in range(k)]
                sup = mp.Process(target=_supervisor, args=(text_url, args.seconds,
                                                            day.isoformat(), out))
                cpu0, q0, w0 = _cpu_seconds(pid), _questions(text_url), time.monotonic()
                for p in (*procs, sup):
                    p.start()
                results = [out.get() for _ in range(k + 1)]
                for p in (*procs, sup):
                    p.join()
                wall = time.monotonic() - w0
                cpu, q = _cpu_seconds(pid) - cpu0, _questions(text_url) - q0
            saves = [x for kind, a, _b in results if kind == "station" for x in a]
            refreshes = [x for kind, _a, b in results if kind == "station" for x in b]
            _kind, summary, sheets = next(r for r in results if r[0] == "supervisor")
            print(f"{k:>8} {len(saves):>6} {1000 * _pct(saves, 0.5):>7.1f} "
                  f"{1000 * _pct(saves, 0.99):>7.1f} "
                  f"{statistics.median(refreshes) if refreshes else float('nan'):>9.2f} "
                  f"{statistics.median(summary):>9.2f} {statistics.median(sheets):>8.2f} "
                  f"{100 * cpu / wall:>9.0f}% {q / wall:>8.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
