"""`wics audit list`: the audit trail, newest first (supervisors: their area; admins: all)."""
from __future__ import annotations

from .base import add_json, iso_date


def register(sub) -> None:
    group = sub.add_parser("audit", help="the audit trail: who changed what, when")
    actions = group.add_subparsers(dest="audit_command", metavar="ACTION")
    actions.required = True
    p = actions.add_parser("list", help="audit rows, newest first")
    p.add_argument("--since", type=iso_date, metavar="DATE", help="from this day on")
    p.add_argument("--user", dest="audit_user", metavar="NAME", help="only this user's rows")
    p.add_argument("--entity", metavar="NAME", help="only this entity (actual_count, import, ...)")
    p.add_argument("--limit", type=int, default=100, metavar="N", help="at most N rows (100)")
    add_json(p)
    p.set_defaults(handler=_list, permission="view_audit")


def _list(ctx, args) -> int:
    from ..core.errors import UsageError
    from ..core.services import audit_trail

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    with ctx.database().session() as s:
        rows = audit_trail.list_entries(s, ctx.actor, since=args.since, user=args.audit_user,
                                        entity=args.entity, limit=args.limit)
    lines = [f"{r.at:%Y-%m-%d %H:%M:%S}  {r.user:<14} {r.entity:<16} {r.key or '':<14} "
             f"{r.action:<10} {r.summary}" for r in rows]
    ctx.emit([r.as_dict() for r in rows], "\n".join(lines) or "No audit rows match.")
    return 0
