"""Organizations, the SAP plants that belong to them, and units of measure (setup data).

The `add`/`ensure` functions are idempotent, as the setup commands promise: adding what exists
updates it. Every change is audited.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..actor import Actor
from ..errors import InputRejected, NotFound, RuleViolation
from ..models import Material, Organization, SapPlant, SapStock, UnitOfMeasure
from .fields import clean, optional_float, plural, require
from ..permissions import requires


@dataclass(frozen=True)
class OrgRow:
    id: int
    name: str
    plants: list[str]
    materials: int


@dataclass(frozen=True)
class SetupResult:
    """What a setup command did: `created` False means an existing row was updated/kept."""

    entity: str
    key: str
    created: bool
    changed: bool
    values: dict

    def as_dict(self) -> dict:
        return {"entity": self.entity, "key": self.key, "created": self.created,
                "changed": self.changed, **self.values}


def find_org(session: Session, name_or_id: object) -> Organization:
    """An organization by name, or by numeric id (spreadsheets carry either)."""
    text = require(name_or_id, "an organization")
    org = session.scalar(select(Organization).where(Organization.name == text))
    if org is None and text.isdigit():
        org = session.get(Organization, int(text))
    if org is None:
        raise NotFound(f"'{text}' is not a known organization.")
    return org


def list_orgs(session: Session) -> list[OrgRow]:
    plants: dict[int, list[str]] = {}
    for plant, org_id in session.execute(select(SapPlant.plant, SapPlant.org_id)
                                         .order_by(SapPlant.plant)):
        plants.setdefault(org_id, []).append(plant)
    counts = dict(session.execute(select(Material.org_id, func.count()).group_by(Material.org_id)).all())
    return [OrgRow(o.id, o.name, plants.get(o.id, []), counts.get(o.id, 0))
            for o in session.scalars(select(Organization).order_by(Organization.name))]


@requires("edit_orgs")
def add_org(session: Session, actor: Actor, name: str) -> SetupResult:
    name = require(name, "an organization name", 250)
    org = session.scalar(select(Organization).where(Organization.name == name))
    created = org is None
    if created:
        org = Organization(name=name)
        session.add(org)
        session.flush()
        audit.record(session, actor, "organization", org.id, "create", None, audit.snapshot(org))
    return SetupResult("organization", name, created, created, {"id": org.id, "name": name})


@requires("edit_orgs")
def delete_org(session: Session, actor: Actor, name: str) -> None:
    org = find_org(session, name)
    used = session.scalar(select(func.count()).select_from(Material).where(Material.org_id == org.id))
    sap = session.scalar(select(func.count()).select_from(SapStock).where(SapStock.org_id == org.id))
    if used or sap:
        raise RuleViolation(f"Organization {org.name} still has {plural(used, 'material')} and "
                            f"{plural(sap, 'SAP stock row')}: it cannot be removed.")
    for plant in session.scalars(select(SapPlant).where(SapPlant.org_id == org.id)):
        session.delete(plant)
    audit.record(session, actor, "organization", org.id, "delete", audit.snapshot(org), None)
    session.delete(org)
    session.flush()


@requires("edit_orgs")
def add_plant(session: Session, actor: Actor, plant: str, org: str) -> SetupResult:
    code = require(plant, "a plant code", 20)
    target = find_org(session, org)
    row = session.get(SapPlant, code)
    created = row is None
    changed = created
    if created:
        row = SapPlant(plant=code, org_id=target.id)
        session.add(row)
        session.flush()
        audit.record(session, actor, "sap_plant", code, "create", None, audit.snapshot(row))
    elif row.org_id != target.id:
        before = audit.snapshot(row)
        row.org_id = target.id
        session.flush()
        changed = True
        audit.record(session, actor, "sap_plant", code, "update", before, audit.snapshot(row))
    return SetupResult("sap_plant", code, created, changed, {"plant": code, "org": target.name})


def plant_orgs(session: Session) -> dict[str, int]:
    """Plant code -> organization id, for imports."""
    return dict(session.execute(select(SapPlant.plant, SapPlant.org_id)).all())


@requires("edit_orgs")
def add_uom(session: Session, actor: Actor, uom: str, multiplier: object,
            text: str | None = None) -> SetupResult:
    code = require(uom, "a unit of measure", 50)
    factor = optional_float(multiplier, "The multiplier")
    if factor is None or factor <= 0:
        raise InputRejected(f"The multiplier of {code} must be a number above 0.")
    row = session.scalar(select(UnitOfMeasure).where(UnitOfMeasure.uom == code))
    created = row is None
    if created:
        row = UnitOfMeasure(uom=code, multiplier=factor, uom_text=clean(text, "The unit text", 100))
        session.add(row)
        session.flush()
        audit.record(session, actor, "unit_of_measure", code, "create", None, audit.snapshot(row))
        changed = True
    else:
        before = audit.snapshot(row)
        row.multiplier = factor
        if text is not None:
            row.uom_text = clean(text, "The unit text", 100)
        changed = audit.snapshot(row) != before
        if changed:
            session.flush()
            audit.record(session, actor, "unit_of_measure", code, "update", before, audit.snapshot(row))
    return SetupResult("unit_of_measure", code, created, changed,
                       {"uom": code, "multiplier": factor})


def multipliers(session: Session) -> dict[str, float]:
    return dict(session.execute(select(UnitOfMeasure.uom, UnitOfMeasure.multiplier)).all())
