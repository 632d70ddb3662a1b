"""Random fault schedules for offline sync, as many as you like; prints the seed of every
failure so it can be replayed (and then added to tests/test_chaos_sync.py CI_SEEDS).

    python benchmarks/chaos_sync.py [--schedules 1000] [--first-seed 1] [--stations 3]
                                    [--counts 8] [--server-url mysql+pymysql://root@127.0.0.1:3306/]
    python benchmarks/chaos_sync.py --replay SEED     # one schedule, its faults and violations

Each schedule: a fresh database on the server, N workstation processes behind a TCP proxy, the
seeded faults (black hole, reset, refuse, slow link, kill -9, material deleted or re-keyed),
a clean sync, then the invariants of tests/chaos_harness.py. Prints one line per schedule and
a summary: schedules run, failures (with seeds), counts saved, stored, needing attention,
station kills, seconds per schedule.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from chaos_harness import make_schedule, run_schedule  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--schedules", type=int, default=20)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--stations", type=int, default=3)
    ap.add_argument("--counts", type=int, default=8, help="counts per station")
    ap.add_argument("--replay", type=int, metavar="SEED")
    ap.add_argument("--server-url", default="mysql+pymysql://root@127.0.0.1:3306/")
    args = ap.parse_args()
    seeds = [args.replay] if args.replay is not None else \
        list(range(args.first_seed, args.first_seed + args.schedules))
    failures, seconds = [], []
    totals = {"saved": 0, "stored": 0, "attention": 0, "kills": 0}
    started = time.monotonic()
    for seed in seeds:
        schedule = make_schedule(seed, stations=args.stations, counts=args.counts)
        try:
            with tempfile.TemporaryDirectory() as work:
                outcome = run_schedule(args.server_url, schedule, Path(work))
        except Exception as exc:  # noqa: BLE001 - a crash is a finding: say its seed, go on
            failures.append(seed)
            print(f"FAIL seed {seed:>5}: the schedule crashed: {type(exc).__name__}: {exc}",
                  flush=True)
            continue
        seconds.append(outcome.seconds)
        totals["saved"] += outcome.saved
        totals["stored"] += outcome.on_server
        totals["attention"] += outcome.attention
        totals["kills"] += outcome.kills
        mark = "ok  " if outcome.ok else "FAIL"
        print(f"{mark} seed {seed:>5}: saved {outcome.saved:>3}, stored {outcome.on_server:>3}, "
              f"attention {outcome.attention:>2}, kills {outcome.kills}, "
              f"{outcome.seconds:5.1f} s", flush=True)
        if args.replay is not None:
            print(schedule.describe())
        if not outcome.ok:
            failures.append(seed)
            for v in outcome.violations:
                print(f"      {v}")
    print(f"\n{len(seeds)} schedules in {time.monotonic() - started:.0f} s "
          f"(median {statistics.median(seconds):.1f} s each); {len(failures)} failed"
          + (f": seeds {', '.join(map(str, failures))}" if failures else ""))
    print(f"counts saved {totals['saved']}, stored {totals['stored']}, needing attention "
          f"{totals['attention']}, station kills {totals['kills']}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
