"""`wics count add`: record one count on the database, or offline in the outbox (sync.py)."""
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
    qty.add_argument("--qty", metavar="EXPR", help="quantity, e.g. 1080*4+791")
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


def _add(ctx, args) -> int:
    # Offline-capable: a server that cannot be reached -> this PC's replica and outbox.
    from .sync import with_offline_fallback

    return with_offline_fallback(ctx, args, _add_online)


def _add_online(ctx, args) -> int:
    from ..core.services import counts, materials

    with ctx.database().session() as s:
        material = materials.resolve(s, args.material, org=args.org)
        line = counts.add_count(s, ctx.actor, counts.CountInput(
            count_date=args.date, material_id=material.id, counter=args.counter,
            location=args.location, expression=args.qty, location_only=args.location_only,
            notes=args.notes, package_id=args.package_id, tag_qty=args.tag_qty,
            possibly_not_received=args.possibly_not_received,
            movement_during_count=args.movement_during_count, uuid=args.uuid))
    what = "location only" if line.location_only else f"{line.expression} = {line.quantity}"
    ctx.emit({"id": line.id, "uuid": line.uuid, "quantity": line.quantity, "offline": False},
             f"count {line.id} saved: {line.material} at {line.location}, {what}")
    return 0
