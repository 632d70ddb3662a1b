"""Is the count planner any good? N working days on the demo warehouse, planner vs a fixed calendar.

Both strategies start from the same demo warehouse (its count history, SAP snapshot, holidays)
and count the same number of materials a day:

- **fixed calendar**: every material once per its class interval (PLAN-DAYS-A/B/C; no class:
  C), spread evenly over the interval by material id; a slot on a weekend or holiday moves to
  the next workday. No value weighting, no skipping: its average daily load is the day's
  capacity given to the planner too.
- **planner**: the real `planner.plan(..., apply=True)` each workday with that capacity shared
  by the demo's counters; every planned material is then counted that day (a count row is
  written, so the next day's plan sees it).

Printed per strategy: the share of A, B and C materials (with stock on hand at the start)
counted within their interval, averaged over the simulated days; value-weighted coverage (the
same share weighted by value on hand); counts made; and for the planner its time per day
(propose + apply, mean and max). Target: < 2 s a day at 100,000 materials.

    /work/venv/bin/python benchmarks/plan_simulation.py --materials 5000 --days 30
    /work/venv/bin/python benchmarks/plan_simulation.py --materials 100000   # the full size
    /work/venv/bin/python benchmarks/plan_simulation.py --db mysql+pymysql://root@127.0.0.1:3306/

Without --db the warehouse is a temporary SQLite file; with a server URL (no database name)
a throwaway MariaDB database is made and dropped afterwards.
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete, func, insert, select

from wics_desktop.core import clock, demo, schema
from wics_desktop.core.actor import Actor
from wics_desktop.core.db import Database
from wics_desktop.core.models import ActualCount, CountSchedule, Material
from wics_desktop.core.services import planner, schedule
from wics_desktop.core.services.sap import (
    collect_totals,
    snapshot_dates,
    totals_query,
)

ACTOR = Actor(username="simulation", workstation="bench", role="admin")


def load_state(database: Database, day: dt.date, days: dict[str, int]):
    """Per material: class, interval, value on hand, quantity, last count date (before day)."""
    with database.session() as s:
        last = dict(s.execute(select(ActualCount.material_id, func.max(ActualCount.count_date))
                              .where(ActualCount.count_date < day)
                              .group_by(ActualCount.material_id)).all())
        sap = collect_totals(s.execute(totals_query(snapshot_dates(s, day))))
        rows = s.execute(select(Material.id, Material.sap_abc, Material.price,
                                Material.price_unit)).all()
    state = {}
    for mid, abc, price, unit in rows:
        cls = (abc or "").strip().upper()[:1]
        cls = cls if cls in days else "C"
        qty = float(sap[mid].quantity) if mid in sap else 0.0
        state[mid] = {"cls": cls, "every": days[cls], "qty": qty,
                      "value": qty * (price or 0.0) / (unit or 1), "last": last.get(mid)}
    return state


def workdays(database: Database, start: dt.date, n: int) -> list[dt.date]:
    out, day = [], start
    with database.session() as s:
        while len(out) < n:
            out.append(day)
            day = schedule.next_workday(s, day)
    return out


def calendar_plan(state: dict, days: list[dt.date]) -> dict[dt.date, list[int]]:
    """The fixed calendar: material i of a class is due on calendar days i, i + interval, ...
    (counted from the first simulated day); a slot falling on a day off moves to the next
    workday in the list."""
    first, last = days[0], days[-1]
    plan: dict[dt.date, list[int]] = {d: [] for d in days}
    workday_on_or_after = {}
    j = 0
    for offset in range((last - first).days + 1):
        d = first + dt.timedelta(days=offset)
        while days[j] < d:
            j += 1
        workday_on_or_after[d] = days[j]
    for cls in ("A", "B", "C"):
        ids = sorted(m for m, st in state.items() if st["cls"] == cls)
        for i, mid in enumerate(ids):
            every = state[mid]["every"]
            slot = first + dt.timedelta(days=i % every)
            while slot <= last:
                plan[workday_on_or_after[slot]].append(mid)
                slot += dt.timedelta(days=every)
    return plan


def measure(state: dict, last: dict, day: dt.date) -> tuple[dict[str, float], float]:
    """Share of materials with stock counted within their interval, per class, and by value."""
    within = {c: [0, 0] for c in "ABC"}
    value_in, value_all = 0.0, 0.0
    for mid, st in state.items():
        if st["qty"] <= 0:
            continue
        seen = last.get(mid)
        ok = seen is not None and (day - seen).days <= st["every"]
        within[st["cls"]][0] += ok
        within[st["cls"]][1] += 1
        value_all += st["value"]
        value_in += st["value"] if ok else 0.0
    return ({c: (a / b if b else float("nan")) for c, (a, b) in within.items()},
            value_in / value_all if value_all else float("nan"))


def simulate(database: Database, n_days: int) -> None:
    with database.session() as s:
        conf = planner.settings(s)
        today = clock.today()
        start = schedule.next_workday(s, today)
        counters = planner.default_counters(s, start, conf.counter_days)
    days = workdays(database, start, n_days)
    with database.session() as s:  # the demo's schedule ahead: the plan starts from scratch
        s.execute(delete(CountSchedule).where(CountSchedule.count_date >= start))
    state = load_state(database, start, conf.days)
    fixed = calendar_plan(state, days)
    per_day = math.ceil(sum(len(v) for v in fixed.values()) / len(days))
    capacity = math.ceil(per_day / len(counters))
    print(f"{len(state):,} materials ({sum(1 for s in state.values() if s['qty'] > 0):,} with "
          f"stock), {len(days)} workdays {days[0]} .. {days[-1]}, {len(counters)} counters")
    print(f"fixed calendar: {per_day} counts a day on average -> planner capacity "
          f"{capacity} per counter ({capacity * len(counters)} a day)\n")

    results = {}
    # fixed calendar: in memory
    last = {m: st["last"] for m, st in state.items()}
    shares, values, made = [], [], 0
    for d in days:
        for mid in fixed[d]:
            last[mid] = d
        made += len(fixed[d])
        share, value = measure(state, last, d)
        shares.append(share)
        values.append(value)
    results["fixed calendar"] = (shares, values, made, None)

    # planner: the real thing, on the database
    last = {m: st["last"] for m, st in state.items()}
    shares, values, made, times = [], [], 0, []
    for d in days:
        t0 = time.perf_counter()
        with database.session() as s:
            plan = planner.plan(s, ACTOR, d, capacity=capacity, counters=counters, apply=True)
        times.append(time.perf_counter() - t0)
        rows = [{"uuid": str(uuid.uuid4()), "count_date": d, "material_id": p.material_id,
                 "counter": p.counter, "location": p.location or "SIM-1", "expression": "1",
                 "quantity": 1.0} for p in plan.proposals]
        if rows:
            with database.session() as s:
                s.execute(insert(ActualCount.__table__), rows)
        for p in plan.proposals:
            last[p.material_id] = d
        made += len(rows)
        share, value = measure(state, last, d)
        shares.append(share)
        values.append(value)
    results["planner"] = (shares, values, made, times)

    print(f"{'strategy':<16} {'A within 30':>12} {'B within 90':>12} {'C within 365':>13} "
          f"{'value-weighted':>15} {'counts':>8}  planner s/day (mean, max)")
    for name, (shares, values, made, times) in results.items():
        avg = {c: statistics.fmean(x[c] for x in shares) for c in "ABC"}
        timing = f"{statistics.fmean(times):.2f}, {max(times):.2f}" if times else "-"
        print(f"{name:<16} {avg['A']:>11.1%} {avg['B']:>12.1%} {avg['C']:>13.1%} "
              f"{statistics.fmean(values):>15.1%} {made:>8,}  {timing}")
    end = {name: (r[0][-1], r[1][-1]) for name, r in results.items()}
    print("\non the last day:")
    for name, (share, value) in end.items():
        print(f"{name:<16} {share['A']:>11.1%} {share['B']:>12.1%} {share['C']:>13.1%} "
              f"{value:>15.1%}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--materials", type=int, default=10000, help="demo size (100000 = full)")
    p.add_argument("--history", type=int, default=120,
                   help="days of demo count history before the simulation")
    p.add_argument("--days", type=int, default=90, help="working days simulated")
    p.add_argument("--db", metavar="URL", help="a MariaDB server URL (a throwaway database is "
                   "made); default: a temporary SQLite file")
    args = p.parse_args(argv)
    if args.db:
        from throwaway_db import throwaway_mariadb

        holder = throwaway_mariadb(args.db, prefix="wics_plan_sim")
    else:
        folder = tempfile.TemporaryDirectory(prefix="wics-plan-sim-")
        holder = nullcontext(f"sqlite:///{Path(folder.name) / 'plan_sim.sqlite'}")
    with holder as url:
        database = Database(url)
        schema.upgrade(database)
        t0 = time.perf_counter()
        demo.generate(database, materials=args.materials, days=args.history, seed=1)
        print(f"demo warehouse ({database.describe()})"
              f" built in {time.perf_counter() - t0:.0f} s")
        simulate(database, args.days)
        database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
