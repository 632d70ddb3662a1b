"""`wics user add|list|deactivate`: the people who may sign in to the desktop."""
from __future__ import annotations

import sys

from .base import add_json


def register(sub) -> None:
    user = sub.add_parser("user", help="add, list and deactivate users")
    usub = user.add_subparsers(dest="user_command", metavar="ACTION")
    usub.required = True

    p = usub.add_parser("add", help="create or update a user; the password is read from stdin")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", required=True, choices=("viewer", "clerk", "supervisor", "admin"))
    p.add_argument("--display", metavar="TEXT", help="the name shown on screen and as counter")
    p.add_argument("--password-stdin", action="store_true", required=True,
                   help="read the password from the first line of stdin")
    add_json(p)
    p.set_defaults(handler=_add, permission="edit_users")

    p = usub.add_parser("list", help="every user with role and state")
    add_json(p)
    p.set_defaults(handler=_list, permission="edit_users")

    p = usub.add_parser("deactivate", help="stop a user from signing in (history is kept)")
    p.add_argument("name", metavar="NAME")
    add_json(p)
    p.set_defaults(handler=_deactivate, permission="edit_users")


def _read_password() -> str:
    from ..core.errors import InputRejected

    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise InputRejected("No password on stdin: pipe it in, e.g. "
                            "`echo 'secret-pass' | wics user add NAME --role clerk "
                            "--password-stdin`.")
    return password


def _user_dict(info) -> dict:
    return {"username": info.username, "display_name": info.display_name, "role": info.role,
            "active": info.active, "menu_group": info.menu_group}


def _add(ctx, args) -> int:
    from ..core import server_accounts
    from ..core.services import users

    database = ctx.database()  # signs in and checks edit_users before reading the password
    password = _read_password()
    with database.session() as session:
        info, created = users.upsert_user(session, args.name, role=args.role, password=password,
                                          display_name=args.display, actor=ctx.actor)
        # db_account: the server account that person signs in with on MySQL/MariaDB (made by
        # the service above); null on SQLite.
        account = server_accounts.account_of(session, info.username)
    ctx.emit({**_user_dict(info), "created": created, "db_account": account},
             f"{'Created' if created else 'Updated'} user {info.username} ({info.role})."
             + (f" Server account: {account}." if account else ""))
    return 0


def _list(ctx, args) -> int:
    from ..core.services import users

    with ctx.database().session() as session:
        rows = users.list_users(session)
    lines = [f"{u.username:<20} {u.role:<11} {'active' if u.active else 'inactive':<9} "
             f"{u.display_name or ''}" for u in rows]
    ctx.emit({"users": [_user_dict(u) for u in rows]}, "\n".join(lines) or "No users yet.")
    return 0


def _deactivate(ctx, args) -> int:
    from ..core.services import users

    with ctx.database().session() as session:
        info = users.deactivate(session, args.name, actor=ctx.actor)
    ctx.emit(_user_dict(info), f"User {info.username} can no longer sign in.")
    return 0
