"""The permission table, and proof that every service that changes data checks it.

The enumeration test imports every module of core (services, imports, sync, reports and the
top-level modules) and finds the public functions that change data — by name (add_, create_,
update_, delete_, import_, resolve, ...) or because they take an `actor`. Each must carry the
@requires check, or be listed below with the reason it needs none. A new service without a
check therefore fails here; with one, it is called with a role that lacks the permission and
must refuse before it touches the database (it is given no database at all).
"""
from __future__ import annotations

import datetime as dt
import importlib
import inspect
import itertools
import pkgutil
import re
from pathlib import Path

import pytest

from wics_desktop import core
from wics_desktop.core import permissions
from wics_desktop.core.actor import Actor
from wics_desktop.core.errors import NotPermitted
from wics_desktop.core.models import ROLES
from wics_desktop.core.services import counts, schedule, users

from core_fixtures import ACTOR, count, material, sched, setup_orgs

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("services", "imports", "sync", "reports", "alerts", "migrate_wics3")
CHANGES_DATA = re.compile(
    r"^(add|create|update|delete|remove|set|save|copy|import|resolve|reassign|discard|reset|"
    r"rename|activate|deactivate|upsert|approve|schedule|apply|ack|plan|recount|write|backup|"
    r"ensure|generate|refresh|push|run|execute)(_|$)")

# Functions the scan finds that need no check of their own, and why.
EXEMPT = {
    "server_accounts.save_account": "called by the users service after its edit_users check; "
                                    "the server refuses it to any but the owner's connection",
    "services.audit_trail.visible_entities": "pure: which entities a role may read",
    "services.materials.resolve": "reads: finds a material by what was typed",
    "services.materials.delete_refusal": "reads: why a delete would be refused",
    "services.menus.ensure_defaults": "seeding at `db upgrade`, before any user exists",
    "services.users.create_first_admin": "first run only: refuses once any user exists",
    "imports.common.write_chunk": "arithmetic helper of the checked imports",
    "imports.common.finish": "ends an import whose entry point was checked",
    "sync.push.push": "transport: sends counts checked (enter_counts) when they were queued",
    "sync.refresh.refresh": "transport: copies server rows into this PC's replica",
    "sync.replica.set_state": "bookkeeping of the local replica file",
    "reports.material_lists.schedule_marks": "reads",
    "reports.xlsx.write_xlsx": "writes a file, not the database",
    "audit.record": "the audit row of a change that was checked",
    "backup.backup_sqlite": "copies the embedded file (the CLI asks for admin)",
    "config.write_config_url": "the user's own config file",
    "config.resolve_url": "reads the configured URL",
    "dialect.update_by_id": "SQL helper used by checked services",
    "dialect.delete_ids": "SQL helper used by checked services",
    "params.set_value": "low level; parameters.set_parameter checks edit_parameters",
    "params.ensure_declared": "seeding at `db upgrade`",
    "progress.ensure": "progress reporting",
    "schema.create_views": "schema, at `db upgrade`",
    "seeds.apply": "seeding at `db upgrade`",
    "tasklog.write": "the task log file",
    "tasklog.task": "the task log file",
    "secure_files.create_private_file": "creates an empty owner-only file (no database)",
    "alerts.rules.record_sheets_printed": "the audit row of count sheets printed (the printing "
                                          "itself is gated by the count sheets' permission)",
    "imports.mm60_audit.audit_changes": "the audit rows of a checked MM60 import",
    "imports.mm60_audit.audit_removals": "the audit rows of a checked MM60 import",
    "imports.sap_soh.import_mode": "pure: whether a file is imported in add or replace mode",
    "services.counts.may_change": "pure: may this actor change this count (for the forms)",
    "services.permits.has": "pure: the table's yes/no for a role",
    "services.schedule.edit_refusal": "reads: why a form opens read-only",
}


def _modules():
    names = []
    for pkg in PACKAGES:
        package = importlib.import_module(f"wics_desktop.core.{pkg}")
        names += [f"{pkg}.{m.name}" for m in pkgutil.iter_modules(package.__path__)]
    names += [m.name for m in pkgutil.iter_modules(core.__path__) if not m.ispkg]
    return names


def _changing_functions():
    found = {}
    for short in _modules():
        module = importlib.import_module(f"wics_desktop.core.{short}")
        for name, fn in vars(module).items():
            if (name.startswith("_") or not inspect.isfunction(fn)
                    or fn.__module__ != module.__name__):
                continue
            if CHANGES_DATA.match(name) or "actor" in inspect.signature(fn).parameters:
                found[f"{short}.{name}"] = fn
    return found


FUNCTIONS = _changing_functions()
CHECKED = {k: fn for k, fn in FUNCTIONS.items() if hasattr(fn, "__wics_permission__")}


def _refuses_first(fn) -> bool:
    """Does `fn` refuse an actor without a role before it touches its (absent) database? —
    how a service that calls users.require(actor, ...) at its top is recognised."""
    try:
        _call_without_database(fn, Actor(username="someone", role=None))
    except NotPermitted:
        return True
    except Exception:  # noqa: BLE001 - it went on to use the database (None) or the input
        return False
    return False


def test_every_function_that_changes_data_checks_a_permission():
    undecorated = sorted(set(FUNCTIONS) - set(CHECKED) - set(EXEMPT))
    unchecked = [name for name in undecorated if not _refuses_first(FUNCTIONS[name])]
    assert not unchecked, ("these functions change data (or take an actor) but check no "
                           "permission before touching the database: add @requires(...) "
                           f"(or users.require at the top), or a reason to EXEMPT: {unchecked}")
    assert len(CHECKED) >= 45  # the scan really found the services
    stale = sorted(k for k in EXEMPT if k not in FUNCTIONS and k.split(".")[0] in PACKAGES
                   and importlib.util.find_spec(f"wics_desktop.core.{k.rsplit('.', 1)[0]}"))
    assert not stale, f"EXEMPT names functions that no longer exist: {stale}"


def _call_without_database(fn, actor):
    """Call `fn` with `actor` and None for every other required argument: the check runs
    first, so a refusal comes before anything is read (there is nothing to read)."""
    args, kwargs = [], {}
    for name, p in inspect.signature(fn).parameters.items():
        value = actor if name == "actor" else None
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.kind == p.KEYWORD_ONLY:
            kwargs[name] = value
        else:
            args.append(value)
    return fn(*args, **kwargs)


@pytest.mark.parametrize("name", sorted(CHECKED))
def test_each_checked_function_refuses_a_role_without_the_permission(name):
    fn = CHECKED[name]
    permission = fn.__wics_permission__
    assert permission in permissions.PERMISSIONS, f"{name}: '{permission}' is not in the table"
    refused = [r for r in (None, *ROLES) if not permissions.can(r, permission)]
    assert refused and refused[0] is None
    for role in refused:
        with pytest.raises(NotPermitted, match=permission):
            _call_without_database(fn, Actor(username="someone", role=role))
    with pytest.raises(NotPermitted):  # no actor at all
        _call_without_database(fn, None)


# ---- the table itself ----------------------------------------------------------------------

def test_roles_are_ranked_and_each_includes_the_one_before():
    assert ROLES == ("viewer", "clerk", "supervisor", "admin")
    for lower, higher in itertools.pairwise(ROLES):
        assert permissions.permissions_of(lower) < permissions.permissions_of(higher)
    assert permissions.permissions_of(None) == frozenset()
    assert permissions.permissions_of("boss") == frozenset()


@pytest.mark.parametrize("permission, lowest", [
    ("view", "viewer"), ("reports", "viewer"),
    ("enter_counts", "clerk"), ("request_counts", "clerk"),
    ("import", "supervisor"), ("schedule_counts", "supervisor"),
    ("edit_counts_of_others", "supervisor"), ("edit_materials", "supervisor"),
    ("edit_mpns", "supervisor"), ("edit_photos", "supervisor"),
    ("edit_part_types", "supervisor"), ("print_count_sheets", "supervisor"),
    ("approve_counts", "supervisor"), ("schedule_recounts", "supervisor"),
    ("plan_counts", "supervisor"), ("resolve_sync", "supervisor"),
    ("view_audit", "supervisor"),
    ("edit_users", "admin"), ("edit_parameters", "admin"), ("edit_holidays", "admin"),
    ("edit_menus", "admin"), ("edit_orgs", "admin"), ("run_sql", "admin"),
    ("view_audit_all", "admin"),
])
def test_the_contracts_roles(permission, lowest):
    assert permissions.lowest_role(permission) == lowest
    rank = ROLES.index(lowest)
    assert [permissions.can(r, permission) for r in ROLES] == [i >= rank for i in range(4)]


def test_an_unknown_permission_is_admin_only():
    assert not permissions.can("supervisor", "launch_rockets")
    assert permissions.can("admin", "launch_rockets")


def test_docs_list_the_same_table():
    text = (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert permissions.table_markdown() in text, "regenerate the table in docs/permissions.md"


# ---- own versus any, on both databases ------------------------------------------------------

CLERK = Actor(username="kim", workstation="WS-2", role="clerk")
OTHER_CLERK = Actor(username="lee", workstation="WS-3", role="clerk")
VIEWER = Actor(username="vic", workstation="WS-4", role="viewer")
D = dt.date(2026, 11, 20)


def _input(mid, expr="5"):
    return counts.CountInput(count_date=D, material_id=mid, counter="Kim", location="D2",
                             expression=expr)


def test_a_clerk_changes_only_their_own_counts(db):
    with db.session() as s:
        setup_orgs(s)
        a = material(s, "A-100")
        theirs = count(s, a)  # entered by the admin fixture actor
        mine = counts.add_count(s, CLERK, _input(a))
    with db.session() as s:
        assert counts.update_count(s, CLERK, mine.id, _input(a, "6")).quantity == 6
        with pytest.raises(NotPermitted, match="edit_counts_of_others"):
            counts.update_count(s, CLERK, theirs.id, _input(a, "7"))
        with pytest.raises(NotPermitted, match="edit_counts_of_others"):
            counts.delete_count(s, OTHER_CLERK, mine.id)
        with pytest.raises(NotPermitted, match="enter_counts"):
            counts.add_count(s, VIEWER, _input(a))
    with db.session() as s:
        counts.delete_count(s, CLERK, mine.id)
        assert counts.get_count(s, theirs.id).quantity == 1  # untouched


def test_a_clerk_requests_counts_but_does_not_schedule(db):
    with db.session() as s:
        setup_orgs(s)
        a, b = material(s, "A-100"), material(s, "B-200")
        users.create_user(s, "kim", "kim-password-1", role="clerk", actor=ACTOR)
        planned = sched(s, a, reason="Cycle")
    with db.session() as s:
        with pytest.raises(NotPermitted, match="requestor"):  # a clerk's entry is a request
            schedule.add_entry(s, CLERK, schedule.ScheduleInput(count_date=D, material_id=b))
        mine = schedule.add_entry(s, CLERK, schedule.ScheduleInput(
            count_date=D, material_id=b, requestor="Kim"))
    with db.session() as s:
        # the supervisor's entry: neither changed nor deleted by a clerk (the reported bug)
        with pytest.raises(NotPermitted, match="only a supervisor"):
            schedule.delete_entry(s, CLERK, planned.id)
        with pytest.raises(NotPermitted, match="only a supervisor"):
            schedule.update_entry(s, CLERK, planned.id, schedule.ScheduleInput(
                count_date=D, material_id=a, requestor="Kim"))
        with pytest.raises(NotPermitted):
            schedule.delete_entry(s, OTHER_CLERK, mine.id)  # someone else's request
        with pytest.raises(NotPermitted, match="request_counts"):
            schedule.add_entry(s, VIEWER, schedule.ScheduleInput(
                count_date=D, material_id=b, requestor="Vic"))
    with db.session() as s:
        schedule.delete_entry(s, CLERK, mine.id)  # their own request
        assert [e.id for e in schedule.entries_on(s, D)] == [planned.id]
