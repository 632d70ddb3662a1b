"""`wics db upgrade`, `wics db info` and `wics db backup`."""
from __future__ import annotations

from .base import add_json


def register(sub) -> None:
    db = sub.add_parser("db", help="create, migrate and describe the database")
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION")
    dbsub.required = True

    p = dbsub.add_parser("upgrade",
                         help="create or migrate the schema (tables, constraints, views)")
    add_json(p)
    p.set_defaults(handler=_upgrade, task="db-upgrade")

    p = dbsub.add_parser("info", help="URL (password masked), dialect, schema revision, row counts")
    add_json(p)
    p.set_defaults(handler=_info, permission="view")

    p = dbsub.add_parser("backup", help="a consistent copy of the embedded (SQLite) database, "
                                        "safe while WICS runs; MySQL/MariaDB: use mysqldump")
    p.add_argument("out", metavar="OUT", help="the backup file to write (must not exist)")
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    add_json(p)
    p.set_defaults(handler=_backup, task="db-backup", permission="admin")


def _upgrade(ctx, args) -> int:
    from ..core import schema

    database = ctx.database(require_schema=False)
    before = schema.current_revision(database)
    steps = schema.pending_revisions(before)
    after = schema.upgrade(database)
    accounts = None
    if database.dialect == "mysql":
        # The server enforces the permission table: roles, grants and triggers, refreshed on
        # every upgrade (idempotent; needs the owner account). core/server_accounts.py.
        from ..core import server_accounts
        from ..core.db import translate_db_errors
        from ..core.errors import NotPermitted

        try:
            with translate_db_errors(database):
                accounts = server_accounts.setup(database.engine)
        except NotPermitted as exc:
            if steps:
                raise
            # Already at the head, run by an account that may not grant (the workstations'
            # shared account): nothing to migrate, so not a failure; say what was skipped.
            ctx.say(f"wics: server roles and grants not refreshed: {exc}")
        else:
            # The default menu groups are otherwise created at a first sign-in, which a
            # person's own account may not do (no writes to menus below admin).
            from ..core.services import menus

            with database.session() as session:
                menus.ensure_defaults(session)
    if ctx.task is not None:  # rows: the migrations applied (0 when already up to date)
        ctx.task.rows = len(steps)
        ctx.task.detail = (f"{database.describe()}: {before or 'empty'} -> {after}" if steps
                           else f"{database.describe()}: already at {after}")
    payload = {"url": database.masked_url, "from_revision": before, "revision": after}
    human = (f"{database.describe()}: schema at revision {after}"
             + ("" if before == after else f" (was {before or 'empty'})"))
    if accounts is not None:
        payload["server_roles"] = accounts.roles
        human += f"\nserver roles: {', '.join(accounts.roles.values())}"
    ctx.emit(payload, human)
    return 0


def _info(ctx, args) -> int:
    from ..core.dbinfo import info

    data = info(ctx.database(require_schema=False))
    lines = [f"URL:       {data['url']}", f"Dialect:   {data['dialect']}",
             f"Revision:  {data['revision'] or '(no schema: run wics db upgrade)'}", "Rows:"]
    lines += [f"  {name:<22} {count:>10,}" for name, count in data["row_counts"].items()]
    ctx.emit(data, "\n".join(lines))
    return 0


def _backup(ctx, args) -> int:
    from ..core.backup import backup_sqlite

    result = backup_sqlite(ctx.database(require_schema=False), args.out, overwrite=args.force)
    if ctx.task is not None:
        ctx.task.rows = result.rows
        ctx.task.detail = f"{result.backup} ({result.bytes:,} bytes)"
    ctx.emit(result.as_dict(),
             f"Backed up {result.source}\n"
             f"       to {result.backup} ({result.bytes:,} bytes, {result.seconds:.2f} s)\n"
             f"integrity: {result.integrity}, revision {result.revision or '(none)'}, "
             f"{result.rows:,} rows")
    return 0
