"""Who may do what: the one permission table, and the check every service makes.

Roles are ranked viewer < clerk < supervisor < admin, and each includes everything the one
before it may do. `GRANTS` is the table: for each role, the permissions it ADDS to the role
below. Everything else is derived from it: `PERMISSIONS` (permission -> lowest role, the form
older code and `users.require()` read), `permissions_of(role)` (what the GUI uses to hide
menus and actions), docs/permissions.md (written from the same table; a test compares).

Services check before they touch the database: either `users.require(actor, "name")` at the
top, or the `@requires("name")` decorator, which also registers the function so a test can
prove each one refuses a role without the permission. A permission name that is not in the
table is admin-only (fail closed), so a new service is never accidentally open to everyone.
"""
from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import NotPermitted

ROLES: tuple[str, ...] = ("viewer", "clerk", "supervisor", "admin")

# role -> (permission, what it allows) it adds to the role before it. Declared once, here.
GRANTS: dict[str, tuple[tuple[str, str], ...]] = {
    "viewer": (
        ("view", "open the lists: counts, schedule, requests, materials, MPNs, SAP stock, "
                 "locations, part types, sync state"),
        ("reports", "count summary, material and location reports, exports to xlsx/PDF"),
    ),
    "clerk": (
        ("enter_counts", "add counts; change, copy or delete the counts they entered"),
        ("request_counts", "ask for a material to be counted (a request in the schedule)"),
    ),
    "supervisor": (
        ("edit_counts_of_others", "change or delete anybody's counts"),
        ("schedule_counts", "add, change and delete schedule entries; close requests"),
        ("edit_materials", "add, change and delete materials"),
        ("edit_mpns", "add, change and delete manufacturer part numbers"),
        ("edit_photos", "add and remove material photos"),
        ("edit_part_types", "add, change and delete part types"),
        ("import", "import SAP stock, the material master (MM60), counts and schedules"),
        ("print_count_sheets", "count sheets (worksheets with book quantities) for counters"),
        ("approve_counts", "accept a counted result (no recount)"),
        ("schedule_recounts", "schedule recounts of results below the bands"),
        ("plan_counts", "propose and apply count plans; counters' own capacities"),
        ("edit_zones", "worksheet zones, their walk order and their locations"),
        ("ack_alerts", "acknowledge an alert (closes it until its cause comes back)"),
        ("resolve_sync", "resolve or discard offline counts the server held for attention"),
        ("view_audit", "the audit trail of counts, schedule, materials, imports and sync"),
    ),
    "admin": (
        ("admin", "administration screens without a permission of their own (greetings)"),
        ("edit_users", "add users, change roles, reset passwords, deactivate"),
        ("edit_menus", "menu groups and their menus"),
        ("edit_parameters", "database parameters (accuracy bands, limits)"),
        ("edit_holidays", "holidays and greetings"),
        ("edit_orgs", "organizations, SAP plants and units of measure"),
        ("view_audit_all", "the whole audit trail, including users, settings and sign-ins"),
        ("run_sql", "read-only SQL queries against the database"),
        ("migrate_site", "move a WICS-3 site (database or CSV exports) into this database"),
    ),
}

# Derived: permission -> the lowest role that has it.
PERMISSIONS: dict[str, str] = {perm: role for role in ROLES for perm, _ in GRANTS[role]}
DESCRIPTIONS: dict[str, str] = {perm: text for role in ROLES for perm, text in GRANTS[role]}
ROLE_RANK: dict[str, int] = {role: n for n, role in enumerate(ROLES, start=1)}

# Audit entities a supervisor's "view_audit" shows (their area); admins see every entity.
SUPERVISOR_AUDIT_ENTITIES: tuple[str, ...] = (
    "actual_count", "count_schedule", "material", "mpn", "material_photo", "part_type",
    "import", "sync_attention", "approval", "recount", "plan", "worksheet_zone", "alert",
    "count_sheets", "count_review", "location_zone", "counter_capacity",
)


def role_at_least(role: str | None, required: str) -> bool:
    return ROLE_RANK.get(role or "", 0) >= ROLE_RANK[required]


def lowest_role(permission: str) -> str:
    """The lowest role holding `permission`; names not in the table are admin-only."""
    return PERMISSIONS.get(permission, "admin")


def can(role: str | None, permission: str) -> bool:
    """Does `role` have `permission`? Unknown roles have nothing; unknown names need admin."""
    return role_at_least(role, lowest_role(permission))


def permissions_of(role: str | None) -> frozenset[str]:
    """Everything `role` may do (its own grants and those of every role below it)."""
    rank = ROLE_RANK.get(role or "", 0)
    return frozenset(p for r in ROLES if ROLE_RANK[r] <= rank for p, _ in GRANTS[r])


def refusal(role: str | None, permission: str) -> str:
    return (f"Not permitted: '{permission}' needs the {lowest_role(permission)} role or above "
            f"(you are signed in as {role or 'nobody'}).")


def require(who: Any, permission: str) -> None:
    """Raise NotPermitted (CLI exit 5) unless `who` (an Actor or UserInfo) has `permission`."""
    role = getattr(who, "role", None)
    if not can(role, permission):
        raise NotPermitted(refusal(role, permission))


# ---- the decorator services use, and its registry ---------------------------------------

F = TypeVar("F", bound=Callable[..., Any])

# "module.function" -> permission, filled as modules are imported (the test imports them all).
REGISTRY: dict[str, str] = {}


def requires(permission: str, *, actor_arg: str = "actor") -> Callable[[F], F]:
    """Check `permission` on the function's `actor` argument before the function runs.

    The wrapper finds the actor by parameter name (positional or keyword) without binding
    the whole signature, so the check costs next to nothing. A missing actor (None) is
    refused like a role without the permission.
    """
    def wrap(fn: F) -> F:
        params = list(inspect.signature(fn).parameters)
        if actor_arg not in params:
            raise TypeError(f"{fn.__qualname__} has no '{actor_arg}' parameter to check")
        position = params.index(actor_arg)

        @functools.wraps(fn)
        def checked(*args: Any, **kwargs: Any) -> Any:
            actor = args[position] if len(args) > position else kwargs.get(actor_arg)
            require(actor, permission)
            return fn(*args, **kwargs)

        checked.__wics_permission__ = permission  # type: ignore[attr-defined]
        REGISTRY[f"{fn.__module__}.{fn.__qualname__}"] = permission
        return checked  # type: ignore[return-value]

    return wrap


def table_markdown() -> str:
    """The permission table as Markdown (docs/permissions.md embeds it; a test compares)."""
    lines = ["| Permission | Lowest role | viewer | clerk | supervisor | admin | Allows |",
             "|---|---|---|---|---|---|---|"]
    for role in ROLES:
        for perm, text in GRANTS[role]:
            marks = " | ".join("yes" if can(r, perm) else "—" for r in ROLES)
            lines.append(f"| `{perm}` | {role} | {marks} | {text} |")
    return "\n".join(lines)
