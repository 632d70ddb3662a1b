"""`wics log tail`: the latest task-log lines (what ran, for whom, how long, how it ended)."""
from __future__ import annotations

from .base import add_json


def register(sub) -> None:
    log = sub.add_parser("log", help="task logs of background jobs")
    logsub = log.add_subparsers(dest="log_command", metavar="ACTION")
    logsub.required = True
    p = logsub.add_parser("tail", help="the latest task-log lines")
    p.add_argument("--lines", type=int, default=20, metavar="N", help="how many (default 20)")
    add_json(p)
    p.set_defaults(handler=_tail)


def _tail(ctx, args) -> int:
    from ..core import tasklog

    records = tasklog.tail(args.lines)
    if ctx.json:
        ctx.emit(records)
        return 0
    if not records:
        ctx.out(f"No task-log lines yet ({tasklog.task_log_file()}).")
        return 0
    ctx.out(f"{'started (UTC)':<21} {'job':<22} {'user':<12} {'workstation':<16} "
            f"{'secs':>7} {'rows':>8}  outcome")
    for r in records:
        ctx.out(f"{r.get('started', ''):<21} {r.get('job', ''):<22} {r.get('user', ''):<12} "
                f"{r.get('workstation', ''):<16} {r.get('duration', 0):>7.2f} "
                f"{r.get('rows', 0):>8}  {r.get('outcome', '')}"
                + (f" — {r['detail']}" if r.get("detail") else ""))
    return 0
