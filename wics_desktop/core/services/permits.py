"""The permission check the services make before they touch the database.

`users.require` is the rule; this adds one case: an actor without a role is the connection's
own identity (the `wics` command without --user, a sync replaying what a workstation already
checked). The CLI contract lets that identity do what its database account may do, so the
database decides, not this check.
"""
from __future__ import annotations

from ..actor import Actor
from . import users


def check(actor: Actor | None, permission: str) -> None:
    """NotPermitted unless the signed-in actor's role has `permission`."""
    if actor is not None and actor.role is None:
        return
    users.require(actor, permission)


def has(actor: Actor | None, permission: str) -> bool:
    """Like `check`, as a yes/no (for rules that depend on the role, not just refuse)."""
    if actor is not None and actor.role is None:
        return True
    return users.can(getattr(actor, "role", None), permission)
