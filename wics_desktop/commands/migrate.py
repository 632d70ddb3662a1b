"""`wics migrate wics3`: move a WICS-3 site (its database or its CSV exports) into WICS."""
from __future__ import annotations

from .base import add_json, set_rows


def register(sub) -> None:
    p = sub.add_parser("migrate", help="move another system's data into WICS")
    kinds = p.add_subparsers(dest="migrate_command", metavar="SOURCE")
    kinds.required = True
    w = kinds.add_parser("wics3", help="a WICS-3 site: its MySQL database or its CSV exports")
    source = w.add_mutually_exclusive_group(required=True)
    source.add_argument("--source", metavar="URL",
                        help="the WICS-3 database, e.g. mysql+pymysql://reader:pw@host/wics3 "
                             "(only read)")
    source.add_argument("--csv-dir", metavar="DIR", help="a folder of WICS-3 CSV exports")
    w.add_argument("--media-dir", metavar="DIR",
                   help="WICS-3's media folder (holds MatlImg/), for material photos")
    w.add_argument("--merge", action="store_true",
                   help="add to a WICS database that already has data (matched by organization "
                        "and part number)")
    w.add_argument("--dry-run", action="store_true",
                   help="report what would be written and every problem; write nothing")
    add_json(w)
    w.set_defaults(handler=_wics3, task="migrate-wics3", permission="migrate_site")


def _wics3(ctx, args) -> int:
    from ..core.migrate_wics3 import migrate, read_csv_dir, read_database

    site = read_database(args.source) if args.source else read_csv_dir(args.csv_dir)
    database = ctx.database()
    result = migrate(database, ctx.actor, site, dry_run=args.dry_run, merge=args.merge,
                     media_dir=args.media_dir)
    set_rows(ctx, sum(result.written.values()))
    ctx.emit(result.as_dict(), _describe(result))
    return 0


def _describe(result) -> str:
    verb = "would write" if result.dry_run else "wrote"
    lines = [f"{result.source}", "read:    " + _pairs(result.read),
             f"{verb}:   " + (_pairs(result.written) or "nothing (already migrated)")]
    if result.matched:
        lines.append("matched: " + _pairs(result.matched) + " (already here)")
    if result.first_sign_in:
        lines.append("users (each signs in once with this one-time password and must then "
                     "choose their own):")
        for u in result.first_sign_in:
            code = u.get("one_time_password", "(set on the real run)")
            lines.append(f"  {u['username']:<20} {u['role']:<11} {code}   ({u.get('why')})")
    if result.problems:
        lines.append(f"problems ({len(result.problems)}):")
        for p in result.problems:
            lines.append(f"  {p.table} row {p.row}: {p.message} [{p.value!r}]")
    return "\n".join(lines)


def _pairs(counts: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items() if v)
