"""`wics count add`: record one count on the database, or offline in the outbox (sync.py).
`wics count approve` and `wics recount schedule`: the supervisor's side of the counting loop."""
from __future__ import annotations

from .base import add_json, iso_date


def register(sub) -> None:
    group = sub.add_parser("count", help="record counts")
    actions = group.add_subparsers(dest="count_command", metavar="ACTION")
    actions.required = True
    p = actions.add_parser("add", help="record one count")
    p.add_argument("--date", required=True, type=iso_date, metavar="DATE")
    p.add_argument("--material", required=True, metavar="PART",
                   help="part number, 'PART (ORG)' or a manufacturer part number")
    p.add_argument("--org", metavar="NAME", help="organization, when the part number is in several")
    p.add_argument("--counter", required=True, metavar="NAME")
    p.add_argument("--location", required=True, metavar="LOC")
    qty = p.add_mutually_exclusive_group(required=True)
    # A quantity may start with '-' ("-3*2"): cli.main keeps it as --qty's value
    # (DASH_VALUE_OPTIONS), where argparse alone would take it for an option.
    qty.add_argument("--qty", metavar="EXPR", help="quantity, e.g. 1080*4+791 or -3*2")
    qty.add_argument("--location-only", action="store_true",
                     help="the material was seen there, not counted")
    p.add_argument("--notes", metavar="TEXT")
    p.add_argument("--package-id", metavar="TEXT")
    p.add_argument("--tag-qty", metavar="TEXT")
    p.add_argument("--possibly-not-received", action="store_true")
    p.add_argument("--movement-during-count", action="store_true")
    p.add_argument("--uuid", metavar="UUID", help="the count's id (default: a new one)")
    add_json(p)
    p.set_defaults(handler=_add, permission="enter_counts")

    p = actions.add_parser("approve", help="accept a material's count result of a date")
    p.add_argument("--date", required=True, type=iso_date, metavar="DATE")
    p.add_argument("--material", required=True, metavar="PART",
                   help="part number, 'PART (ORG)' or a manufacturer part number")
    p.add_argument("--org", metavar="NAME", help="organization, when the part number is in several")
    add_json(p)
    p.set_defaults(handler=_approve, permission="approve_counts")

    group = sub.add_parser("recount", help="schedule recounts of a date's flagged results")
    actions = group.add_subparsers(dest="recount_command", metavar="ACTION")
    actions.required = True
    p = actions.add_parser("schedule", help="schedule every material flagged for recount on "
                                            "a date (running it twice schedules nothing new)")
    p.add_argument("--date", required=True, type=iso_date, metavar="DATE",
                   help="the count date whose results are recounted")
    p.add_argument("--for", dest="for_date", type=iso_date, metavar="DATE2",
                   help="the day of the recount (default: the next workday after DATE)")
    add_json(p)
    p.set_defaults(handler=_recount_schedule, permission="schedule_recounts")


def _supervising(ctx):
    """The acting identity, signed in first (its role is known only after sign-in)."""
    ctx.database()
    return ctx.actor


def _approve(ctx, args) -> int:
    from ..core.services import materials, reviews

    with ctx.database().session() as s:
        material = materials.resolve(s, args.material, org=args.org)
        done = reviews.approve(s, _supervising(ctx), args.date, [material.id])[0]
    ctx.emit(done.as_dict(), f"{done.material} on {args.date.isoformat()}: approved"
             + ("" if done.changed else " (already)"))
    return 0


def _recount_schedule(ctx, args) -> int:
    from ..core.services import reviews

    with ctx.database().session() as s:
        result = reviews.schedule_recounts(s, _supervising(ctx), args.date, args.for_date)
    lines = [f"{len(result.scheduled)} recount(s) of {args.date.isoformat()} scheduled for "
             f"{result.for_date.isoformat()}"]
    lines += [f"  {name}" for name in result.scheduled]
    lines += [f"  skipped {s['material']}: {s['reason']}" for s in result.skipped]
    ctx.emit(result.as_dict(), "\n".join(lines))
    return 0


def _add(ctx, args) -> int:
    # Offline-capable: a server that cannot be reached -> this PC's replica and outbox.
    from .sync import with_offline_fallback

    ctx.interactive = True

    return with_offline_fallback(ctx, args, _add_online)


def _add_online(ctx, args) -> int:
    from ..core.expressions import expand, format_quantity
    from ..core.services import counts, materials

    with ctx.database().session() as s:
        material = materials.resolve(s, args.material, org=args.org)
        line = counts.add_count(s, ctx.actor, counts.CountInput(
            count_date=args.date, material_id=material.id, counter=args.counter,
            location=args.location, expression=args.qty, location_only=args.location_only,
            notes=args.notes, package_id=args.package_id, tag_qty=args.tag_qty,
            possibly_not_received=args.possibly_not_received,
            movement_during_count=args.movement_during_count, uuid=args.uuid))
        # the arithmetic the quantity came from, packs written out (3P+17 -> 3*40+17)
        expanded = (None if line.location_only
                    else expand(line.expression, counts.packs_of(s, material.id)))
    shown = format_quantity(line.quantity)
    what = ("location only" if line.location_only
            else f"{line.expression} = {shown}" if expanded == line.expression
            else f"{line.expression} = {expanded} = {shown}")
    ctx.emit({"id": line.id, "uuid": line.uuid, "quantity": line.quantity, "expanded": expanded,
              "offline": False},
             f"count {line.id} saved: {line.material} at {line.location}, {what}")
    from ..core import alerts

    alerts.after_change(ctx.database(), "count save", force=False)
    return 0
