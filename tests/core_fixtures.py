"""Helpers that build small warehouses through the core services (imported by core tests)."""
from __future__ import annotations

import contextlib
import datetime as dt
import os

from wics_desktop.core.actor import Actor
from wics_desktop.core.models import SapStock
from wics_desktop.core.services import counts, materials, orgs, part_types, schedule

ACTOR = Actor(username="tester", workstation="WS-1", role="admin")
D1 = dt.date(2026, 11, 19)
D2 = dt.date(2026, 11, 20)


def setup_orgs(s, names=("L10", "L6")):
    for name in names:
        orgs.add_org(s, ACTOR, name)
    orgs.add_plant(s, ACTOR, "FW10", "L10")
    if "L6" in names:
        orgs.add_plant(s, ACTOR, "FW61", "L6")
    part_types.add_part_type(s, ACTOR, "AST-A", 210)
    part_types.add_part_type(s, ACTOR, "AST-B", 1210)


def material(s, part, org="L10", **kw):
    return materials.create_material(s, ACTOR,
                                     materials.MaterialInput(org=org, part_number=part, **kw)).id


def count(s, material_id, day=D2, expr="1", location="D2", counter="Chris", **kw):
    loc_only = kw.pop("location_only", False)
    return counts.add_count(s, ACTOR, counts.CountInput(
        count_date=day, material_id=material_id, counter=counter, location=location,
        expression=None if loc_only else expr, location_only=loc_only, **kw))


def sched(s, material_id, day=D2, **kw):
    return schedule.add_entry(s, ACTOR,
                              schedule.ScheduleInput(count_date=day, material_id=material_id, **kw))


def sap(s, material_id, org_id, day, amount, uom="EA", value=0.0, part=None, sloc="0001",
        currency="USD"):
    if part is None:
        from wics_desktop.core.models import Material
        part = s.get(Material, material_id).part_number
    s.add(SapStock(upload_date=day, org_id=org_id, part_number=part, material_id=material_id,
                   amount=amount, base_uom=uom, value_unrestricted=value,
                   storage_location=sloc, currency=currency))
    s.flush()


def org_id(s, name):
    return orgs.find_org(s, name).id


# ---- signing in on the command line (wics --user NAME takes the password from WICS_PASSWORD)

CLI_PASSWORD = "cli-password-1"


def ensure_user(db, name: str, role: str, password: str = CLI_PASSWORD) -> None:
    """A WICS user `name` with `role` and `password` (created once per database)."""
    from wics_desktop.core.services import users

    with db.session() as s:
        if users.get(s, name) is None:
            users.create_user(s, name, password, role=role, actor=ACTOR)


@contextlib.contextmanager
def password_env(password: str = CLI_PASSWORD):
    """WICS_PASSWORD set for the commands run inside, restored afterwards."""
    old = os.environ.get("WICS_PASSWORD")
    os.environ["WICS_PASSWORD"] = password
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("WICS_PASSWORD", None)
        else:
            os.environ["WICS_PASSWORD"] = old
