"""`wics alerts check|ack|list`: run the alert rules now (a scheduled task does this every few
minutes - docs/alerts.md), acknowledge one, list the open ones."""
from __future__ import annotations

from .base import add_json


def register(sub) -> None:
    group = sub.add_parser("alerts", help="what needs a supervisor now")
    cmds = group.add_subparsers(dest="alerts_command", metavar="ACTION")
    cmds.required = True

    p = cmds.add_parser("check", help="run the rules now, e-mail new alerts, list the open ones")
    add_json(p)
    p.set_defaults(handler=_check, task="alerts-check", permission="ack_alerts")

    p = cmds.add_parser("list", help="the open alerts (without running the rules)")
    add_json(p)
    p.set_defaults(handler=_list, permission="reports")

    p = cmds.add_parser("ack", help="acknowledge an alert: off the list (audited)")
    p.add_argument("id", type=int, metavar="ID")
    add_json(p)
    p.set_defaults(handler=_ack, permission="ack_alerts")


def _lines(alerts) -> str:
    if not alerts:
        return "No open alerts."
    return "\n".join(f"#{a.id:<5} {a.severity:<8} {a.since:%Y-%m-%d %H:%M}  {a.subject}"
                     for a in alerts)


def _check(ctx, args) -> int:
    from ..core import alerts
    from ..core.services import users
    from .reports import acting

    database = ctx.database()
    users.require(acting(ctx), "reports")
    result = alerts.check_and_notify(database)
    if ctx.task is not None:
        ctx.task.rows = len(result.open)
        ctx.task.detail = f"{len(result.opened)} opened, {len(result.closed)} closed"
    if result.mail_error:
        ctx.say(f"wics: alert e-mail not sent ({result.mail_error}); tried again next run")
    elif result.mailed:
        ctx.say(f"sent {result.mailed} alert e-mail{'s' if result.mailed != 1 else ''}")
    ctx.emit([a.as_dict() for a in result.open], _lines(result.open))
    return 0


def _list(ctx, args) -> int:
    from ..core import alerts
    from ..core.services import users
    from .reports import acting

    users.require(acting(ctx), "reports")
    with ctx.database().session() as s:
        found = alerts.list_open(s)
    ctx.emit([a.as_dict() for a in found], _lines(found))
    return 0


def _ack(ctx, args) -> int:
    from ..core import alerts
    from .reports import acting

    with ctx.database().session() as s:
        info = alerts.acknowledge(s, acting(ctx), args.id)
    ctx.emit({"id": info.id, "rule": info.rule, "status": "acknowledged"},
             f"Alert #{info.id} acknowledged: {info.subject}")
    return 0
