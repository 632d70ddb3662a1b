"""The permission check some services make inside their body (when the rule depends on the
row, e.g. a clerk's own request): the one table of core.permissions, nothing more.

An actor without a role is refused like any role without the permission (fail closed): the
command line signs everyone in (--user, or the connection's own identity with its role), and
the desktop's actors carry the signed-in user's role.
"""
from __future__ import annotations

from .. import permissions
from ..actor import Actor


def check(actor: Actor | None, permission: str) -> None:
    """NotPermitted unless the actor's role has `permission`."""
    permissions.require(actor, permission)


def has(actor: Actor | None, permission: str) -> bool:
    """Like `check`, as a yes/no (for rules that depend on the role, not just refuse)."""
    return permissions.can(getattr(actor, "role", None), permission)
