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

On one machine the K stations are K processes on the same cores as the server, so a save also
waits for a core while the other stations run - which a clerk's own PC does not. Linux counts
that wait per thread (/proc/thread-self/schedstat: time spent runnable but not running), so
the script prints a second pair, "own PC": each save's and report's time minus the time its
own thread waited for a core here. What remains is its own work plus the wait for the server
(network and the server's queue, the server's own wait for a core included): what the same
save takes on a PC of its own. `--pin` puts the server on the first core and every station and
the supervisor on the others (as a server machine and the PCs would be), and gives the server
back all cores afterwards.
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


def _run_delay() -> float:
    """Seconds this thread has waited for a core so far (0.0 where Linux does not say)."""
    try:
        return int(Path("/proc/thread-self/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def _timed(fn) -> tuple[float, float]:
    """(wall seconds, wall seconds minus this thread's wait for a core meanwhile)."""
    w0, r0 = time.perf_counter(), _run_delay()
    fn()
    wall = time.perf_counter() - w0
    return wall, max(0.0, wall - (_run_delay() - r0))


def _pin(cores: set[int]) -> None:
    if cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, cores)


def _station(url: str, index: int, seconds: float, material_ids: list[int], day: str,
             data_dir: str, out, cores: set[int]) -> None:
    _pin(cores)
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
    saves, own, refreshes = [], [], []
    start = time.monotonic()
    next_refresh = start + rng.uniform(0, 60)
    count_day = dt.date.fromisoformat(day)
    while time.monotonic() - start < seconds:
        burst = 10 if rng.random() < 0.1 else 1
        for _ in range(burst):
            data = counts.CountInput(
                count_date=count_day, material_id=rng.choice(material_ids),
                counter=f"Clerk {index}", location=f"R{rng.randrange(40)}",
                expression=f"{rng.randrange(1, 500)}*{rng.randrange(1, 12)}")

            def save(data=data):
                with database.session() as s:
                    counts.add_count(s, actor, data)

            wall, mine = _timed(save)
            saves.append(wall)
            own.append(mine)
            time.sleep(0.5 if burst > 1 else 0)
        if time.monotonic() >= next_refresh:
            t0 = time.perf_counter()
            ws.sync()
            refreshes.append(time.perf_counter() - t0)
            next_refresh += 60
        time.sleep(max(0.0, 3.0 - (0.5 * burst if burst > 1 else 0)))
    ws.close()
    database.dispose()
    out.put(("station", saves, own, refreshes))


def _supervisor(url: str, seconds: float, day: str, out, cores: set[int]) -> None:
    _pin(cores)
    from wics_desktop.core.db import Database
    from wics_desktop.core.reports import count_summary, worksheet

    database = Database(url)
    summary, sheets = [], []
    start = time.monotonic()
    count_day = dt.date.fromisoformat(day)

    def report(build):
        with database.session() as s:
            build(s, count_day)

    while time.monotonic() - start < seconds:
        summary.append(_timed(lambda: report(count_summary.build)))
        sheets.append(_timed(lambda: report(worksheet.build)))
    database.dispose()
    out.put(("supervisor", summary, sheets, None))


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
    ap.add_argument("--pin", action="store_true",
                    help="the server on the first core, stations and supervisor on the others")
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
        pid = _server_pid()
        clients: set[int] = set()
        if args.pin and pid is not None and len(os.sched_getaffinity(0)) > 1:
            every = os.sched_getaffinity(pid)
            first = min(every)
            clients = every - {first}
            _pin_threads(pid, {first})
            print(f"server (pid {pid}) on core {first}; stations and supervisor on "
                  f"{sorted(clients)}\n")
        try:
            _steps(args, text_url, ids, day, pid, clients)
        finally:
            if clients:
                _pin_threads(pid, every)
    return 0


def _pin_threads(pid: int, cores: set[int]) -> None:
    """Every thread of the server process (its connection threads included)."""
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            os.sched_setaffinity(int(task), cores)
        except OSError:
            pass  # a thread that ended meanwhile


def _steps(args, text_url: str, ids: list[int], day: dt.date, pid: int | None,
           clients: set[int]) -> None:
    print(f"{'':>15} {'as measured here':^25}  {'own PC (minus core wait)':^26}")
    print(f"{'stations':>8} {'saves':>6} {'p50 ms':>7} {'p99 ms':>7} {'summary s':>9}  "
          f"{'p50 ms':>7} {'p99 ms':>7} {'summary s':>9}  {'sheets s':>8} {'refresh s':>9} "
          f"{'server CPU':>10} {'stmts/s':>8}")
    for k in [int(x) for x in args.stations.split(",")]:
        out = mp.Queue()
        with tempfile.TemporaryDirectory() as tmp:
            procs = [mp.Process(target=_station, args=(
                text_url, i, args.seconds, ids, day.isoformat(), f"{tmp}/ws{i}", out, clients))
                for i in range(k)]
            sup = mp.Process(target=_supervisor, args=(text_url, args.seconds,
                                                        day.isoformat(), out, clients))
            cpu0, q0, w0 = _cpu_seconds(pid), _questions(text_url), time.monotonic()
            for p in (*procs, sup):
                p.start()
            results = [out.get() for _ in range(k + 1)]
            for p in (*procs, sup):
                p.join()
            wall = time.monotonic() - w0
            cpu, q = _cpu_seconds(pid) - cpu0, _questions(text_url) - q0
            if clients:  # connection threads started meanwhile
                _pin_threads(pid, {min(os.sched_getaffinity(pid))})
        stations = [r for r in results if r[0] == "station"]
        saves = [x for r in stations for x in r[1]]
        own = [x for r in stations for x in r[2]]
        refreshes = [x for r in stations for x in r[3]]
        _kind, summary, sheets, _ = next(r for r in results if r[0] == "supervisor")
        median = statistics.median
        print(f"{k:>8} {len(saves):>6} {1000 * _pct(saves, 0.5):>7.1f} "
              f"{1000 * _pct(saves, 0.99):>7.1f} {median(w for w, _o in summary):>9.2f}  "
              f"{1000 * _pct(own, 0.5):>7.1f} {1000 * _pct(own, 0.99):>7.1f} "
              f"{median(o for _w, o in summary):>9.2f}  {median(w for w, _o in sheets):>8.2f} "
              f"{median(refreshes) if refreshes else float('nan'):>9.2f} "
              f"{100 * cpu / wall:>9.0f}% {q / wall:>8.0f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
