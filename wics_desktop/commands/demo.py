"""`wics demo`: fill an empty database with a realistic, deterministic data set."""
from __future__ import annotations

import sys

from .base import add_json, set_rows


def register(sub) -> None:
    p = sub.add_parser("demo", help="fill an empty database with realistic demo data")
    p.add_argument("--materials", type=int, default=1000, metavar="N",
                   help="materials to create (default 1000)")
    p.add_argument("--days", type=int, default=30, metavar="D",
                   help="days of counting history, ending today (default 30)")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    add_json(p)
    p.set_defaults(handler=_demo, task="demo", permission="admin")


def _demo(ctx, args) -> int:
    from ..core.errors import UsageError

    if args.materials < 1 or args.days < 1:
        raise UsageError("--materials and --days must be at least 1")
    from ..core import demo, schema

    database = ctx.database(require_schema=False)
    if not database.has_schema():
        schema.upgrade(database)
    progress = _TerminalProgress() if sys.stderr.isatty() and not ctx.json else None
    try:
        summary = demo.generate(database, materials=args.materials, days=args.days,
                                seed=args.seed, progress=progress)
    finally:
        if progress:
            progress.finish()
    set_rows(ctx, summary.rows_total)
    ctx.emit(summary.as_dict(), summary.describe())
    return 0


class _TerminalProgress:
    """A one-line percentage on stderr, for a person watching a large demo being written."""

    def __init__(self) -> None:
        self._shown = -1

    def step(self, done: int, total: int, text: str = "") -> None:
        percent = 100 * done // total if total else 100
        if percent != self._shown:
            self._shown = percent
            print(f"\r{text[:40]:40} {percent:3d}%", end="", file=sys.stderr, flush=True)

    def cancelled(self) -> bool:
        return False

    def finish(self) -> None:
        print("\r" + " " * 46 + "\r", end="", file=sys.stderr, flush=True)
