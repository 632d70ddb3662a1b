"""`wics plan`: propose a day's counts per counter, and with --apply write them (nightly job)."""
from __future__ import annotations

import argparse

from .base import add_json, iso_date


def _capacity(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(
            f"invalid capacity '{text}': use a whole number, 0 or more")
    return value


def register(sub) -> None:
    p = sub.add_parser("plan",
                       help="propose (and with --apply schedule) a day's counts per counter")
    p.add_argument("--date", required=True, type=iso_date, metavar="D")
    p.add_argument("--capacity", type=_capacity, metavar="N",
                   help="materials per counter that day (default: the counter's own capacity, "
                        "else PLAN-CAPACITY)")
    p.add_argument("--counters", metavar="A,B,...",
                   help="who counts (default: everyone who counted in the last PLAN-COUNTER-DAYS "
                        "days, and counters with an own capacity)")
    p.add_argument("--apply", action="store_true",
                   help="write the proposals as schedule entries (reason Planned)")
    add_json(p)
    p.set_defaults(handler=_plan, task="plan", permission="plan_counts")


def _plan(ctx, args) -> int:
    from ..core.services import planner

    database = ctx.database()  # signs in: the actor's role is known from here on
    actor = ctx.actor
    with database.session() as s:
        result = planner.plan(s, actor, args.date, capacity=args.capacity,
                              counters=args.counters, apply=args.apply)
    if ctx.task is not None:
        ctx.task.rows = result.written if args.apply else len(result.proposals)
    ctx.emit(result.as_dict(), _human(result))
    if not ctx.json and args.apply:
        ctx.say(f"wrote {result.written} schedule entries for {result.date.isoformat()}")
    return 0


def _human(plan) -> str:
    head = f"Count plan for {plan.date.isoformat()} ({plan.date:%A})"
    lines = [head + (" - applied" if plan.applied else "")]
    for load in plan.counters:
        lines.append(f"\n{load.counter}: {load.proposed} proposed, {load.scheduled} already "
                     f"scheduled, capacity {load.capacity}")
        for p in plan.proposals:
            if p.counter == load.counter:
                lines.append(f"  {p.material:<24} {p.location or '-':<16} {p.why}")
    if plan.scheduled:
        lines.append(f"\nAlready scheduled ({len(plan.scheduled)})")
        for p in plan.scheduled:
            lines.append(f"  {p.material:<24} {p.counter or '(no counter)':<16} {p.why}")
    if plan.due_left:
        lines.append(f"\n{plan.due_left} more materials are due but did not fit in the day.")
    return "\n".join(lines)
