"""The long run of the 'never exit 1' property (tests/test_cli_never_exit_1.py): many generated
import and report command lines against a throwaway database; prints the exit codes seen, the
files tried and every command that exited 1 or printed a traceback.

    PYTHONPATH=. python benchmarks/bench_cli_fuzz.py [--examples 2000] [--db URL] [--seed N]

Without --db it uses a fresh SQLite file. Never a timing assertion: it prints figures.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--db", help="a database URL with the WICS schema (default: new SQLite)")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()

    from hypothesis import HealthCheck, given, seed, settings

    from wics_desktop.core import schema
    from wics_desktop.core.db import Database

    import cli_fuzz
    from imports_fixtures import setup_reference

    work = Path(tempfile.mkdtemp(prefix="wics-fuzz-"))
    url = args.db or f"sqlite:///{work / 'fuzz.sqlite'}"
    database = Database(url)
    schema.upgrade(database)
    setup_reference(database, [("L10", "A-100"), ("L10", "1115416"), ("L10", "BOTH"),
                               ("L6", "BOTH")])
    bad: list[tuple[int, list[str], str]] = []
    n = [0]

    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(cmd=cli_fuzz.command())
    def prop(cmd):
        n[0] += 1
        code, err = cli_fuzz.run_one(url, work / f"run{n[0]}", cmd)
        if code not in (0, 2, 3, 4, 5) or "Traceback" in err or "Unexpected error" in err:
            bad.append((code, cmd["args"], err[-600:]))

    if args.seed is not None:
        prop = seed(args.seed)(prop)
    start = time.perf_counter()
    prop()
    took = time.perf_counter() - start
    print(f"commands run: {n[0]:,} in {took:.1f} s ({database.dialect})")
    print("exit codes seen:", dict(sorted(cli_fuzz.EXITS.items())))
    print("files tried:", dict(cli_fuzz.FILES), "total", sum(cli_fuzz.FILES.values()))
    print(f"exit 1 or traceback: {len(bad)}")
    for code, argv, err in bad[:20]:
        print(f"  exit {code}: wics {' '.join(argv)}\n    {err.strip()[-400:]}")
    database.dispose()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
