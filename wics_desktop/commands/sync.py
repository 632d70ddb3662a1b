"""Offline work from the command line.

wics sync [--json] [--full] [--rebuild]     send counts saved offline, refresh this PC's replica
wics outbox [--json]                        what this PC still has to send (or had refused)
wics attention list [--json] [--all]        the server's counts that need a supervisor
wics attention resolve ID [--material PART [--org NAME]] [--date D] [--location L]
                          [--counter NAME] [--qty EXPR | --location-only] [--notes TEXT]
wics attention discard ID --reason TEXT

`wics count add` falls back to the outbox through `with_offline_fallback` when the server
cannot be reached (commands/counts.py calls it).
"""
from __future__ import annotations

import uuid as uuidlib

from .base import add_json, iso_date


def register(sub) -> None:
    p = sub.add_parser("sync", help="send counts saved offline and refresh the local replica")
    p.add_argument("--full", action="store_true",
                   help="also verify every material's last-found counts (slower)")
    p.add_argument("--rebuild", action="store_true",
                   help="copy everything again (counts waiting to be sent are kept)")
    p.add_argument("--batch-size", type=int, default=500, metavar="N",
                   help="counts sent per server transaction (default 500)")
    add_json(p)
    p.set_defaults(handler=_sync, task="sync", permission="view")

    p = sub.add_parser("outbox", help="counts saved on this PC while the server was unreachable")
    add_json(p)
    p.set_defaults(handler=_outbox, permission="view")

    group = sub.add_parser("attention", help="offline counts the server could not store as typed")
    actions = group.add_subparsers(dest="attention_command", metavar="ACTION")
    actions.required = True
    p = actions.add_parser("list", help="counts that need a supervisor's decision")
    p.add_argument("--all", action="store_true", help="include resolved and discarded ones")
    add_json(p)
    p.set_defaults(handler=_attention_list, permission="resolve_sync")
    p = actions.add_parser("resolve", help="store the count, reassigned or re-keyed")
    p.add_argument("item", type=int, metavar="ID")
    p.add_argument("--material", metavar="PART", help="reassign to this material")
    p.add_argument("--org", metavar="NAME")
    p.add_argument("--date", type=iso_date, metavar="DATE")
    p.add_argument("--location", metavar="LOC")
    p.add_argument("--counter", metavar="NAME")
    qty = p.add_mutually_exclusive_group()
    qty.add_argument("--qty", metavar="EXPR")
    qty.add_argument("--location-only", action="store_true", default=None)
    p.add_argument("--notes", metavar="TEXT")
    add_json(p)
    p.set_defaults(handler=_attention_resolve, permission="resolve_sync")
    p = actions.add_parser("discard", help="do not store the count (a reason is required)")
    p.add_argument("item", type=int, metavar="ID")
    p.add_argument("--reason", required=True, metavar="TEXT")
    add_json(p)
    p.set_defaults(handler=_attention_discard, permission="resolve_sync")


# ---- wics count add, offline ------------------------------------------------------------------

def with_offline_fallback(ctx, args, online) -> int:
    """Run `online(ctx, args)`; when the server cannot be reached, save the count in this
    PC's replica and outbox instead. The uuid is fixed first, so a count whose commit reached
    the server just before the line dropped is recognised when the outbox is sent."""
    from ..core.errors import WicsError
    from ..core.sync import is_unreachable

    if not args.uuid:
        args.uuid = str(uuidlib.uuid4())
    try:
        return online(ctx, args)
    except WicsError as exc:
        database = ctx._database
        if database is None or database.is_embedded or not is_unreachable(exc):
            raise
        return _add_offline(ctx, args, database, exc)


def _add_offline(ctx, args, database, cause) -> int:
    from ..core.services.counts import CountInput
    from ..core.sync import Workstation

    ws = Workstation(database)
    try:
        ctx.sign_in_offline(ws.offline_database())
        line = ws.save_offline_by_name(ctx.actor, args.material, args.org, CountInput(
            count_date=args.date, material_id=None, counter=args.counter, location=args.location,
            expression=args.qty, location_only=args.location_only, notes=args.notes,
            package_id=args.package_id, tag_qty=args.tag_qty,
            possibly_not_received=args.possibly_not_received,
            movement_during_count=args.movement_during_count, uuid=args.uuid))
        pending = ws.outbox_summary().pending
        expanded = None
        if not line.location_only:  # packs written out, from the replica's material
            from ..core.expressions import expand
            from ..core.services.counts import packs_of

            with ws.offline_database().session() as s:
                expanded = expand(line.expression, packs_of(s, line.material_id))
    finally:
        ws.close()
    ctx.say(f"wics: {cause}")
    ctx.say(f"Saved on this PC instead ({pending} count(s) waiting); `wics sync` sends them "
            "when the server is back.")
    what = "location only" if line.location_only else f"{line.expression} = {line.quantity}"
    ctx.emit({"id": None, "uuid": line.uuid, "quantity": line.quantity, "expanded": expanded,
              "offline": True},
             f"count saved offline: {line.material} at {line.location}, {what}")
    return 0


# ---- wics sync / outbox ---------------------------------------------------------------------

def _sync(ctx, args) -> int:
    from ..core.errors import DatabaseUnavailable
    from ..core.sync import Workstation, is_unreachable

    database = ctx.database(require_schema=False)
    if database.is_embedded:
        ctx.say(f"{database.describe()} is a file on this PC: there is nothing to sync.")
        ctx.emit({"pushed": 0, "already_present": 0, "needs_attention": 0, "refreshed_rows": 0},
                 "nothing to sync")
        return 0
    ws = Workstation(database)
    try:
        try:
            ctx.database()  # the server answers and has the WICS schema
            result = ws.sync(full=args.full, rebuild=args.rebuild,
                             batch_size=max(1, args.batch_size))
        except DatabaseUnavailable as exc:
            if not is_unreachable(exc):
                raise
            waiting = ws.outbox_summary().pending
            raise DatabaseUnavailable(f"{exc} — {waiting} count(s) stay queued on this PC; "
                                      "nothing was lost.") from exc
        result.fill_task(ctx.task)
        ctx.emit(result.as_dict(), result.describe())
        from ..core import alerts

        alerts.after_change(database, "sync")
        if result.push.needs_attention:
            ctx.say(f"{result.push.needs_attention} count(s) need a supervisor's attention: "
                    "see `wics attention list`.")
    finally:
        ws.close()
    return 0


def _outbox(ctx, args) -> int:
    from dataclasses import asdict

    from ..core.sync import Workstation
    from ..core.sync import outbox as ob

    database = ctx.database(require_schema=False)
    ws = Workstation(database)
    try:
        if not ctx.signed_in and ws.replica.is_built():
            ctx.sign_in_offline(ws.replica.open())  # the server is away: this PC's copy
        summary = ws.outbox_summary()
        lines = []
        if ws.replica.exists():
            with ws.replica.open().session() as s:
                lines = ob.lines(s)
    finally:
        ws.close()
    if ctx.json:
        ctx.emit({**summary.as_dict(), "replica": str(ws.replica.path),
                  "counts": [asdict(line) for line in lines]})
        return 0
    ctx.out(f"{summary.pending} waiting to be sent, {summary.attention} sent to "
            f"'needs attention', {summary.sent} sent (replica {ws.replica.path})")
    for line in lines:
        ctx.out(f"  {line.state:<9} {line.count_date} {line.material:<24} {line.location:<12} "
                f"{line.expression or 'location only':<14} {line.username}"
                + (f" — {line.last_error}" if line.last_error else ""))
    return 0


# ---- wics attention ---------------------------------------------------------------------------

def _item_dict(item) -> dict:
    from dataclasses import asdict

    return asdict(item)


def _attention_list(ctx, args) -> int:
    from ..core.sync import attention

    with ctx.database().session() as s:
        items = attention.list_items(s, status=None if args.all else "open")
    if ctx.json:
        ctx.emit({"items": [_item_dict(i) for i in items]})
        return 0
    if not items:
        ctx.out("Nothing needs attention.")
    for i in items:
        c = i.count
        ctx.out(f"#{i.id} {i.status:<9} {c.get('count_date')} {i.material} at "
                f"{c.get('location')}: {c.get('expression') or 'location only'} "
                f"({i.username}@{i.workstation}) — {i.resolution or i.reason}")
    return 0


def _attention_resolve(ctx, args) -> int:
    from ..core.services import materials
    from ..core.sync import attention

    changes = {}
    for name, key in (("date", "count_date"), ("location", "location"), ("counter", "counter"),
                      ("notes", "notes")):
        if getattr(args, name) is not None:
            changes[key] = getattr(args, name)
    if args.qty is not None:
        changes.update(expression=args.qty, location_only=False)
    elif args.location_only:
        changes.update(expression=None, location_only=True)
    with ctx.database().session() as s:
        if args.material is not None:
            changes["material_id"] = materials.resolve(s, args.material, org=args.org).id
        line = attention.resolve(s, ctx.actor, args.item, **changes)
    ctx.emit({"item": args.item, "status": "resolved", "count_id": line.id, "uuid": line.uuid,
              "material": line.material, "quantity": line.quantity},
             f"#{args.item} resolved: count {line.id} for {line.material} at {line.location}")
    return 0


def _attention_discard(ctx, args) -> int:
    from ..core.sync import attention

    with ctx.database().session() as s:
        attention.discard(s, ctx.actor, args.item, args.reason)
    ctx.emit({"item": args.item, "status": "discarded"}, f"#{args.item} discarded")
    return 0
